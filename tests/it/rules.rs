//! Rule fixtures: `tests/rules/<code>[--variant].toml`, each the base register
//! (`tests/fixtures/base`, clean) plus exactly one defect, with the expected findings pinned
//! (code, file, line, column). A reviewer can read each case without reading Rust.
//!
//! ```toml
//! description = "what the defect is"
//! as_of = "2026-11-01"          # optional
//! remove = ["risks/R-002.yaml"] # optional: files taken out of the base
//! [files]                       # files written over the base (or added)
//! "risks/R-001.yaml" = """..."""
//! [bytes]                       # optional: files given as raw bytes
//! "risks/R-009.yaml" = [0xff, 0xfe]
//! [[expect]]
//! code = "unknown-reference"
//! file = "risks/R-001.yaml"
//! line = 4
//! column = 11
//! message = "unknown category"  # optional: a substring of the message
//! ```

use crate::support::{AS_OF, copy_dir, date, findings, root};
use airisk::diag::{CODES, Stage};
use airisk::workspace::{Outcome, check_register};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    description: String,
    as_of: Option<String>,
    #[serde(default)]
    remove: Vec<String>,
    #[serde(default)]
    files: BTreeMap<String, String>,
    #[serde(default)]
    bytes: BTreeMap<String, Vec<u8>>,
    #[serde(default)]
    expect: Vec<Expect>,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct Expect {
    code: String,
    file: String,
    line: usize,
    column: usize,
    message: Option<String>,
}

pub fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root().join("tests/rules"))
        .expect("tests/rules")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    cases.sort();
    cases
}

impl Case {
    /// (code, file) of every expected finding.
    pub fn expected(&self) -> impl Iterator<Item = (&str, &str)> {
        self.expect
            .iter()
            .map(|e| (e.code.as_str(), e.file.as_str()))
    }
}

/// Writes a case's register into `dir`: the base register, then the case's changes.
pub fn build(case: &Case, dir: &Path) {
    copy_dir(&root().join("tests/fixtures/base"), dir);
    for rel in &case.remove {
        std::fs::remove_file(dir.join(rel)).unwrap_or_else(|e| panic!("remove {rel}: {e}"));
    }
    let all = case
        .files
        .iter()
        .map(|(k, v)| (k, v.as_bytes().to_vec()))
        .chain(case.bytes.iter().map(|(k, v)| (k, v.clone())));
    for (rel, content) in all {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write fixture file");
    }
}

/// Builds a case's register in a temporary folder and checks it.
pub fn check_case(path: &Path) -> Result<(Case, Outcome), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let case: Case = toml::from_str(&text).map_err(|e| format!("bad case file: {e}"))?;
    assert!(!case.description.trim().is_empty());
    let tmp = tempfile::tempdir().expect("tempdir");
    build(&case, tmp.path());
    let as_of = date(case.as_of.as_deref().unwrap_or(AS_OF));
    let outcome = check_register(tmp.path(), as_of, false).map_err(|e| format!("{e:#}"))?;
    Ok((case, outcome))
}

fn run_case(path: &Path) -> Result<(), String> {
    let (case, outcome) = check_case(path)?;
    let got = findings(&outcome);
    let want: Vec<_> = case
        .expect
        .iter()
        .map(|e| (e.code.clone(), e.file.clone(), e.line, e.column))
        .collect();
    if got != want {
        let messages: Vec<_> = outcome.diagnostics.iter().map(|d| &d.message).collect();
        return Err(format!(
            "findings differ\n  want: {want:?}\n  got:  {got:?}\n  messages: {messages:?}"
        ));
    }
    for (e, d) in case.expect.iter().zip(&outcome.diagnostics) {
        if let Some(m) = &e.message
            && !d.message.contains(m.as_str())
        {
            return Err(format!("message `{}` does not contain `{m}`", d.message));
        }
    }
    Ok(())
}

#[test]
fn base_fixture_is_clean() {
    let outcome =
        check_register(&root().join("tests/fixtures/base"), date(AS_OF), true).expect("loads");
    assert_eq!(findings(&outcome), vec![]);
}

#[test]
fn every_rule_case_gives_exactly_its_findings() {
    let mut failures = Vec::new();
    let cases = cases();
    assert!(!cases.is_empty());
    for path in &cases {
        if let Err(e) = run_case(path) {
            failures.push(format!(
                "{}: {e}",
                path.file_name().unwrap_or_default().to_string_lossy()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Every code has at least one case that expects it. The git codes need history, which the
/// plain folders of tests/rules/ do not have: each must instead have, in tests/it/git.rs, a
/// test named after it that fires (`fn <code>_fires...`, expecting the code by name) and one
/// where it must not (`fn <code>_ignores...`).
#[test]
fn every_code_has_a_case() {
    let names: Vec<String> = cases()
        .iter()
        .map(|p| {
            p.file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let texts: Vec<String> = cases()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect();
    let git_tests =
        std::fs::read_to_string(root().join("tests/it/git.rs")).expect("tests/it/git.rs");
    for info in CODES {
        if info.stage == Stage::Git {
            let snake = info.name.replace('-', "_");
            for kind in ["fires", "ignores"] {
                let test = format!("fn {snake}_{kind}");
                let body = git_tests.split(&test).nth(1).unwrap_or_default();
                let body = body.split("\n#[test]").next().unwrap_or_default();
                assert!(
                    !body.is_empty(),
                    "no `{test}...` test in tests/it/git.rs for `{}`",
                    info.name
                );
                if kind == "fires" {
                    assert!(
                        body.contains(&format!("\"{}\"", info.name)),
                        "`{test}...` in tests/it/git.rs does not expect `{}`",
                        info.name
                    );
                }
            }
            continue;
        }
        let has_file = names
            .iter()
            .any(|n| n == info.name || n.starts_with(&format!("{}--", info.name)));
        let expects = texts
            .iter()
            .any(|t| t.contains(&format!("code = \"{}\"", info.name)));
        assert!(
            has_file && expects,
            "no case in tests/rules/ for `{}`",
            info.name
        );
    }
}
