//! One test per case file (a `harness = false` target on libtest-mimic, docs/design.md):
//!
//! - `rules::<name>`: `tests/rules/<name>.toml`, the base register plus the case's edits,
//!   checked in-process; its findings must be exactly those pinned (code, file, line,
//!   column, and the message substrings).
//! - `cmd::<command>/<case>`: `tests/cmd/<command>/<case>.toml`, one trycmd case (the binary
//!   run with the case's arguments, its output compared with the `.stdout`/`.stderr`
//!   snapshots); `cmd::README.md` and `cmd::docs/cli.md`, the console blocks of those files.
//!
//! `cargo test --test cases <filter>` runs the cases whose name contains the filter
//! (`--exact rules::treatment-overdue` for one), in parallel like any test binary; `TRYCMD=
//! overwrite` rewrites the CLI snapshots, to be read before they are committed.

#[allow(dead_code, unused_imports)] // shared with the `it` binary, which uses the rest
#[path = "../it/support.rs"]
mod support;

#[allow(dead_code)]
#[path = "../it/rule_case.rs"]
mod rule_case;

use libtest_mimic::{Arguments, Failed, Trial};
use rule_case::{Checked, Expect};
use std::path::{Path, PathBuf};

fn main() {
    let args = Arguments::from_args();
    let mut trials: Vec<Trial> = rule_case::cases()
        .into_iter()
        .map(|path| {
            Trial::test(format!("rules::{}", rule_case::name(&path)), move || {
                rule(&path)
            })
        })
        .collect();
    trials.extend(
        cmd_cases()
            .into_iter()
            .map(|(name, path)| Trial::test(format!("cmd::{name}"), move || cmd(&path))),
    );
    libtest_mimic::run(&args, trials).exit();
}

// ------------------------------------------------------------------ rule cases

/// A rule case: its findings are exactly the pinned ones, in output order.
fn rule(path: &Path) -> Result<(), Failed> {
    let checked = Checked::run(path)?;
    let outcome = &checked.outcome;
    let sources = &outcome.loaded.sources;
    let got = support::findings(outcome);
    let want: Vec<_> = checked
        .case
        .expect
        .iter()
        .map(|e: &Expect| (e.code.clone(), e.file.clone(), e.line, e.column))
        .collect();
    let mut problems = Vec::new();
    if got != want {
        problems.push(format!(
            "findings differ\n  want: {}\n  got:  {}",
            list(&want),
            list(&got)
        ));
    } else {
        for (e, d) in checked.case.expect.iter().zip(&outcome.diagnostics) {
            if let Some(m) = &e.message
                && !d.message.contains(m.as_str())
            {
                problems.push(format!("message `{}` does not contain `{m}`", d.message));
            }
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    // What the checker said, and the files as the edits left them, with line numbers: the
    // positions to pin are read off these.
    let mut report = problems.join("\n");
    report.push_str("\nfindings:\n");
    for d in &outcome.diagnostics {
        let lc = sources.line_col(d.primary.span);
        report.push_str(&format!(
            "  {} {}:{}:{} {}\n",
            d.code.name(),
            sources.path(d.primary.span.file),
            lc.line,
            lc.column,
            d.message
        ));
    }
    for (rel, bytes) in checked.case.edited(&checked.files) {
        report.push_str(&format!("{rel} after the edits:\n"));
        for (n, line) in String::from_utf8_lossy(bytes).lines().enumerate() {
            report.push_str(&format!("  {:>3} | {line}\n", n + 1));
        }
    }
    Err(report.into())
}

fn list(findings: &[(String, String, usize, usize)]) -> String {
    let items: Vec<String> = findings
        .iter()
        .map(|(code, file, line, col)| format!("{code} {file}:{line}:{col}"))
        .collect();
    format!("[{}]", items.join(", "))
}

// ------------------------------------------------------------------ CLI cases

/// The CLI cases that test git itself, and so may not set `AIRISK_NO_GIT`: every other case
/// sets it, so that no output depends on the repository the tests run in.
const GIT_CASES: &[&str] = &["history/not-a-repo"];

/// The files of markdown whose console blocks are cases. They show what a user sees in a
/// clone of this repository, git included (`codeowners`, `--at`), so they run without
/// `AIRISK_NO_GIT`: a block cannot set an environment of its own without showing it.
const DOCS: &[&str] = &["README.md", "docs/cli.md"];

/// (name, path) of every CLI case: `tests/cmd/<command>/<case>.toml`, then the docs.
fn cmd_cases() -> Vec<(String, PathBuf)> {
    let root = support::root();
    let mut cases = Vec::new();
    let mut commands: Vec<PathBuf> = std::fs::read_dir(root.join("tests/cmd"))
        .expect("tests/cmd")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    commands.sort();
    for dir in commands {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("a command folder")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        for path in files {
            let name = path
                .strip_prefix(root.join("tests/cmd"))
                .expect("inside")
                .with_extension("")
                .to_string_lossy()
                .replace('\\', "/");
            cases.push((name, path));
        }
    }
    cases.extend(DOCS.iter().map(|d| (d.to_string(), root.join(d))));
    cases
}

/// One trycmd case (a `.toml` case or a markdown file of console blocks).
fn cmd(path: &Path) -> Result<(), Failed> {
    let root = support::root();
    let rel = path
        .strip_prefix(&root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    let is_doc = DOCS.contains(&rel.as_str());
    if !is_doc {
        no_git_unless_git_case(path)?;
    }
    let cases = trycmd::TestCases::new();
    cases
        .env("NO_COLOR", "1")
        .register_bin("airisk", PathBuf::from(env!("CARGO_BIN_EXE_airisk")))
        .case(path);
    // trycmd reports a failed case by panicking, after printing the difference.
    std::panic::catch_unwind(|| cases.run())
        .map_err(|_| Failed::from(format!("{rel}: the output differs (above)")))
}

/// A case that does not test git sets `env.add.AIRISK_NO_GIT = "1"`.
fn no_git_unless_git_case(path: &Path) -> Result<(), Failed> {
    let name = path
        .strip_prefix(support::root().join("tests/cmd"))
        .map(|p| p.with_extension("").to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let case: toml::Value = toml::from_str(&text).map_err(|e| format!("bad case: {e}"))?;
    let no_git = case
        .get("env")
        .and_then(|e| e.get("add"))
        .and_then(|a| a.get("AIRISK_NO_GIT"))
        .and_then(toml::Value::as_str)
        == Some("1");
    match (no_git, GIT_CASES.contains(&name.as_str())) {
        (true, false) | (false, true) => Ok(()),
        (false, false) => Err(format!(
            "{name}: set `env.add.AIRISK_NO_GIT = \"1\"`, so the case does not depend on the \
             repository it runs in (or list it in GIT_CASES, tests/cases/main.rs, if it tests git)"
        )
        .into()),
        (true, true) => Err(format!("{name} tests git: it cannot set AIRISK_NO_GIT").into()),
    }
}
