//! Helpers shared by the integration tests (the `it` binary and the `cases` target), and
//! the one place they reach the pipeline from: a move of the pipeline in `src/` changes the
//! re-exports here, not every test.

use std::path::{Path, PathBuf};

/// The pipeline, run in-process: load, check (with the git rules when given a repository).
pub use airisk::workspace::GitSource;
pub use airisk::workspace::{Outcome, check_register, check_tree, check_tree_git};

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
pub fn findings(outcome: &Outcome) -> Vec<(String, String, usize, usize)> {
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

/// Runs a command line in-process from `cwd`, today being [`AS_OF`]: (exit code, stdout).
/// An error that stops the run (exit 2) is returned as its message.
pub fn run_cli(cwd: &Path, args: &[&str]) -> (u8, String) {
    try_cli(cwd, args).unwrap_or_else(|e| panic!("airisk {args:?} failed: {e}"))
}

/// Like [`run_cli`], with the error of a run that stopped.
pub fn try_cli(cwd: &Path, args: &[&str]) -> Result<(u8, String), String> {
    use clap::Parser;
    let argv = std::iter::once("airisk").chain(args.iter().copied());
    let cli = airisk::cli::Cli::try_parse_from(argv).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut env = airisk::commands::Env {
        cwd: cwd.to_path_buf(),
        today: date(AS_OF),
        color: false,
        width: None,
        stdout: &mut out,
        stderr: &mut err,
    };
    let code = airisk::cli::run(&cli, &mut env).map_err(|e| format!("{e:#}"))?;
    Ok((code, String::from_utf8(out).expect("UTF-8 output")))
}

/// Counts the `|` that separate cells in a markdown table line (not the escaped `\|`).
pub fn cell_separators(line: &str) -> usize {
    let mut n = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => n += 1,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    n
}

/// The first of `names` that runs (`NAME --version`, or `probe` in its place), for a test
/// that needs a tool from outside: such a test is `#[ignore = "needs ..."]` (run with
/// `cargo test -- --ignored`, as .ci/run does after installing what they need), and
/// fails, never passes quietly, when the tool is missing.
pub fn require_tool(names: &[&str], probe: &[&str], install: &str) -> String {
    let probe = if probe.is_empty() {
        &["--version"][..]
    } else {
        probe
    };
    names
        .iter()
        .find(|n| {
            std::process::Command::new(n)
                .args(probe)
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(|n| n.to_string())
        .unwrap_or_else(|| panic!("this test needs {}: {install}", names.join(" or ")))
}
