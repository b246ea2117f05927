//! A revision the user names wrongly is refused in our words at every place that takes one
//! (`--at REV` of every command, `diff BASE HEAD` on each side, `check --baseline REV`):
//! what is wrong and what to do, exit 2, the value quoted with its hidden characters
//! escaped (docs/git.md "Naming a revision").

use crate::git::{Git, airisk};
use std::path::Path;

/// Every place a revision is named, with `R` standing for it; `out` is a folder for `pack`.
fn places<'a>(rev: &'a str, out: &'a str) -> Vec<Vec<&'a str>> {
    vec![
        vec!["--at", rev, "check"],
        vec!["check", "--at", rev, "--format", "json"],
        vec!["check", "--baseline", rev],
        vec!["diff", rev],
        vec!["diff", "HEAD", rev],
        vec!["--at", rev, "diff"],
        vec!["--at", rev, "history", "R-001"],
        vec!["--at", rev, "register"],
        vec!["--at", rev, "report"],
        vec!["--at", rev, "pack", out],
    ]
}

/// Runs `rev` at every place: each is exit 2 with one message holding every one of `want`,
/// and no hidden character of the value on stderr.
fn refused_everywhere(reg: &Path, rev: &str, want: &[&str]) {
    let out = tempfile::tempdir().expect("tempdir");
    let pack = out.path().join("pack").display().to_string();
    for args in places(rev, &pack) {
        let (code, stdout, err) = airisk(reg, &args);
        assert_eq!(code, 2, "{args:?}: {stdout}{err}");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        for w in want {
            assert!(err.contains(w), "{args:?}: wants {w:?} in\n{err}");
        }
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        // Our own line breaks only: the value never starts a line, nor sends an escape.
        assert!(
            !err.chars().any(|c| c.is_control() && c != '\n'),
            "{args:?}: {err:?}"
        );
        assert!(
            err.lines().all(|l| l.starts_with("error: ")
                || l.starts_with("help: ")
                || l.starts_with("  ")),
            "{args:?}: {err}"
        );
        assert!(!Path::new(&pack).exists(), "{args:?}: pack written");
    }
}

/// reg/ committed twice on `main` (no merge), tagged `v1.0` at the first, with a branch
/// `feature`.
fn repo() -> Git {
    let g = Git::init();
    g.base("reg");
    g.date("2026-09-01").commit("Add the register");
    g.git(&["tag", "v1.0"]);
    std::fs::write(g.path().join("reg/notes.md"), "notes\n").expect("write");
    g.date("2026-09-02").commit("Add notes");
    g.git(&["branch", "feature"]);
    g
}

#[test]
fn an_unknown_name_says_so_and_suggests_a_close_branch_or_tag() {
    let g = repo();
    let reg = g.path().join("reg");
    refused_everywhere(
        &reg,
        "mian",
        &[
            "error: no revision named `mian` in this repository (no branch or tag has this name)",
            "help: did you mean `main`?",
            "help: give a branch, a tag, a commit id",
        ],
    );
    refused_everywhere(&reg, "v1.1", &["help: did you mean `v1.0`?"]);
    refused_everywhere(&reg, "featur", &["help: did you mean `feature`?"]);
    refused_everywhere(&reg, "HAED", &["help: did you mean `HEAD`?"]);
    // Nothing close: no suggestion.
    let (_, _, err) = airisk(&reg, &["--at", "release-candidate", "check"]);
    assert!(!err.contains("did you mean"), "{err}");
    // A hex name is also no commit id's start.
    let (_, _, err) = airisk(&reg, &["--at", "deadbeef", "check"]);
    assert!(
        err.contains("no revision named `deadbeef` in this repository (no branch or tag has this name, and no commit id starts with it)"),
        "{err}"
    );
}

#[test]
fn navigation_past_the_history_names_the_step() {
    let g = repo();
    let reg = g.path().join("reg");
    refused_everywhere(
        &reg,
        "HEAD^2",
        &[
            "error: no revision `HEAD^2`: `HEAD` has one parent; `HEAD^2` names the second parent of a merge",
        ],
    );
    refused_everywhere(
        &reg,
        "HEAD~500",
        &[
            "error: no revision `HEAD~500`: `HEAD` has only 1 commit before it on its first-parent line; `HEAD~500` names the 500th before it",
            "help: `git log --oneline --first-parent HEAD` lists them",
        ],
    );
    refused_everywhere(
        &reg,
        "v1.0^",
        &["`v1.0` is the first commit: it has no parent; `v1.0^` names its parent"],
    );
    refused_everywhere(
        &reg,
        "main~1~1",
        &["`main~1` is the first commit: no commit is before it"],
    );
    // The step is found after a name that needs resolving, and a peel on the way.
    refused_everywhere(
        &reg,
        "feature^{commit}^3",
        &[
            "no revision `feature^{commit}^3`: `feature^{commit}` has one parent; `feature^{commit}^3` names the third parent of a merge",
        ],
    );
    // A huge count is no overflow.
    refused_everywhere(&reg, "HEAD~99999999999999999999999", &["has only 1 commit"]);
    // What can be taken is taken.
    let (code, _, err) = airisk(&reg, &["--at", "HEAD~1", "check", "--as-of", "2026-11-01"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_merge_has_a_second_parent_and_no_third() {
    let g = repo();
    g.git(&["checkout", "-q", "-b", "topic"]);
    std::fs::write(g.path().join("reg/more.md"), "more\n").expect("write");
    g.date("2026-09-03").commit("More notes");
    g.git(&["checkout", "-q", "main"]);
    g.date("2026-09-04").merge("topic", "Merge topic");
    let reg = g.path().join("reg");
    let (code, _, err) = airisk(&reg, &["--at", "HEAD^2", "check", "--as-of", "2026-11-01"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = airisk(&reg, &["--at", "HEAD^3", "check"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("`HEAD` has 2 parents; `HEAD^3` names the third parent of a merge"),
        "{err}"
    );
}

#[test]
fn a_tree_or_a_blob_is_not_a_commit() {
    let g = repo();
    let reg = g.path().join("reg");
    refused_everywhere(
        &reg,
        "HEAD^{tree}",
        &[
            "error: `HEAD^{tree}` names a tree (a folder's listing), not a commit: a register is read at a commit",
        ],
    );
    refused_everywhere(
        &reg,
        "HEAD:reg/airisk.toml",
        &["error: `HEAD:reg/airisk.toml` names a blob (a file's content), not a commit"],
    );
    // Navigation from a tree.
    refused_everywhere(&reg, "main^{tree}~1", &["`main^{tree}` names a tree"]);
}

#[test]
fn a_value_with_hidden_characters_is_escaped_and_markup_is_only_quoted() {
    let g = repo();
    let reg = g.path().join("reg");
    refused_everywhere(
        &reg,
        "a\nerror: forged",
        &[
            "error: no revision named `a\\nerror: forged`: a revision never holds a line break or another control character",
        ],
    );
    refused_everywhere(&reg, "\u{1b}[31mred", &["`\\u{1b}[31mred`"]);
    refused_everywhere(&reg, "main\u{202e}", &["`main\\u{202e}`"]);
    refused_everywhere(
        &reg,
        "<!-- x -->",
        &["error: no revision named `<!-- x -->` in this repository"],
    );
    refused_everywhere(
        &reg,
        "@someone",
        &["error: no revision named `@someone` in this repository"],
    );
    // A huge value is cut.
    let long = "x".repeat(5000);
    let (code, _, err) = airisk(&reg, &["--at", &long, "check"]);
    assert_eq!(code, 2);
    assert!(err.len() < 1000 && err.contains("xxx…`"), "{err}");
}

#[test]
fn a_value_starting_with_a_dash_or_empty_is_no_revision() {
    let g = repo();
    let reg = g.path().join("reg");
    refused_everywhere(
        &reg,
        "-x",
        &[
            "error: `-x` is not a revision: a revision never starts with `-` (it would read as an option)",
            "help: if a revision is missing before it, give one",
        ],
    );
    // A forgotten value: the next flag is taken as it, and said to be no revision.
    let (code, _, err) = airisk(&reg, &["check", "--baseline", "--quiet"]);
    assert_eq!(code, 2);
    assert!(err.contains("`--quiet` is not a revision"), "{err}");
    refused_everywhere(&reg, "", &["error: the revision is empty"]);
    // Flags still work beside the revisions of `diff`.
    let (code, out, err) = airisk(&reg, &["diff", "--format", "json", "v1.0", "HEAD"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with('{'), "{out}");
}

#[test]
fn an_ambiguous_short_id_lists_its_candidates() {
    let g = repo();
    // Blobs until two ids share their first 4 hex digits (the contents are fixed, so the
    // pair is too).
    let blobs = tempfile::tempdir().expect("tempdir");
    let paths: Vec<String> = (0..600)
        .map(|i| {
            let p = blobs.path().join(i.to_string());
            std::fs::write(&p, format!("blob {i}\n")).expect("write");
            p.display().to_string()
        })
        .collect();
    let mut args = vec!["hash-object", "-w", "--"];
    args.extend(paths.iter().map(String::as_str));
    let ids = g.git(&args);
    let mut prefixes: Vec<&str> = ids.lines().map(|l| &l[..4]).collect();
    prefixes.sort_unstable();
    let prefix = prefixes
        .windows(2)
        .find(|w| w[0] == w[1])
        .map(|w| w[0])
        .expect("600 ids share a 4-digit prefix");
    let reg = g.path().join("reg");
    refused_everywhere(
        &reg,
        prefix,
        &[
            &format!("error: the short id `{prefix}` is ambiguous: 2 objects start with it"),
            &format!("\n  {prefix}"),
            " blob",
            "help: give more digits of the commit id",
        ],
    );
}

#[test]
fn a_repository_without_commits_has_no_revision() {
    let g = Git::init();
    g.base("reg");
    let reg = g.path().join("reg");
    for args in [
        vec!["--at", "HEAD", "check"],
        vec!["--at", "main", "register"],
        vec!["--at", "mian", "check"],
    ] {
        let (code, _, err) = airisk(&reg, &args);
        assert_eq!(code, 2, "{args:?}");
        assert!(
            err.contains("the repository has no commits yet, so `")
                && err.contains("help: commit the register first"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn outside_a_repository_a_revision_says_git_is_needed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    crate::support::copy_dir(
        &crate::support::root().join("tests/fixtures/base"),
        tmp.path(),
    );
    let (code, _, err) = airisk(tmp.path(), &["--at", "HEAD", "check"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("is not inside a git repository, and `--at REV` needs one"),
        "{err}"
    );
    let (code, _, err) = airisk(tmp.path(), &["check", "--baseline", "a\nb"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("`--baseline a\\nb` needs the register's git repository"),
        "{err}"
    );
}

#[test]
fn a_shallow_clone_says_the_step_is_past_its_history() {
    let g = repo();
    let clone = tempfile::tempdir().expect("tempdir");
    let url = format!("file://{}", g.path().display());
    let target = clone.path().join("c");
    g.git(&[
        "clone",
        "-q",
        "--depth",
        "1",
        &url,
        &target.display().to_string(),
    ]);
    let reg = target.join("reg");
    let (code, _, err) = airisk(&reg, &["--at", "HEAD~1", "check"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot resolve `HEAD~1`: the history of this clone is truncated (shallow)"),
        "{err}"
    );
}

#[test]
fn a_range_a_reflog_entry_an_upstream_and_a_message_search_are_named() {
    let g = repo();
    let reg = g.path().join("reg");
    refused_everywhere(
        &reg,
        "v1.0..main",
        &[
            "error: `v1.0..main` is a range of commits, and a register is read at one commit",
            "help: what changed between two revisions is `airisk diff v1.0 main`",
        ],
    );
    refused_everywhere(
        &reg,
        "main@{99}",
        &["error: no revision `main@{99}`: the reflog of `main` in this clone has no entry 99"],
    );
    refused_everywhere(
        &reg,
        "main@{upstream}",
        &["error: no revision `main@{upstream}`: `main` has no upstream branch in this clone"],
    );
    refused_everywhere(
        &reg,
        ":/no such message",
        &["error: no revision `:/no such message`: no commit's message matches `no such message`"],
    );
}
