//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The as-of date every fixture and example is checked at.
pub const AS_OF: &str = "2026-11-01";

pub fn date(s: &str) -> chrono::NaiveDate {
    airisk::model::time::parse_date(s).expect("a valid date")
}

/// Copies a folder tree (files only).
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.expect("readable fixture");
        let rel = entry.path().strip_prefix(from).expect("inside");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create dir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// (code, file, line, column) of every finding, in output order.
pub fn findings(outcome: &airisk::commands::check::Outcome) -> Vec<(String, String, usize, usize)> {
    let sources = &outcome.loaded.sources;
    outcome
        .diagnostics
        .iter()
        .map(|d| {
            let lc = sources.line_col(d.primary.span);
            (
                d.code.name().to_string(),
                sources.path(d.primary.span.file).to_string(),
                lc.line,
                lc.column,
            )
        })
        .collect()
}
