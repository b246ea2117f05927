//! A register in memory for the fuzz targets: the base fixture with files replaced.

pub use airisk::load::MemTree;
use std::collections::BTreeMap;

macro_rules! base_file {
    ($p:literal) => {
        ($p, include_bytes!(concat!("../../tests/fixtures/base/", $p)).as_slice())
    };
}

pub fn base() -> BTreeMap<String, Vec<u8>> {
    [
        base_file!("airisk.toml"),
        base_file!("people.yaml"),
        base_file!("soa.yaml"),
        base_file!("systems/ticket-triage.yaml"),
        base_file!("risks/R-001.yaml"),
        base_file!("risks/R-002.yaml"),
        base_file!("risks/R-003.yaml"),
        base_file!("policies/ai-policy.md"),
    ]
    .into_iter()
    .map(|(p, b)| (p.to_string(), b.to_vec()))
    .collect()
}

/// Loads and checks; any outcome but a panic is fine, and every finding points inside its file.
pub fn check(files: BTreeMap<String, Vec<u8>>) {
    let tree = MemTree(files);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("a date");
    if let Ok(o) = airisk::workspace::check_tree(&tree, std::path::Path::new("mem"), today, false) {
        for d in &o.diagnostics {
            let f = o.loaded.sources.get(d.primary.span.file);
            assert!(d.primary.span.end as usize <= f.text.len());
            let _ = o.loaded.sources.line_col(d.primary.span);
        }
        let renderer = annotate_free_render(&o);
        assert!(renderer >= o.diagnostics.len());
    }
}

/// Renders every finding the way `check` prints them (so rendering is fuzzed too).
fn annotate_free_render(o: &airisk::workspace::Outcome) -> usize {
    let mut out = Vec::new();
    airisk::diag::human::emit(&mut out, &o.diagnostics, &o.loaded.sources, 1, false).expect("writes");
    o.diagnostics.len() + usize::from(!out.is_empty())
}
