//! History without holes (SPEC §13): a register folder moved within its repository keeps its
//! history — `history`, the report's trend, provenance, `diff` and the git rules follow it
//! across the move —, `history ID` finds an entity that no longer exists and ends with its
//! removal, and `history soa|config|people` give the history of those files.

use crate::git::{Git, airisk, check, history};
use crate::report::{report_json, trend_repo, trend_rows};
use crate::support::findings;

/// The SoA, R-001, the people file and airisk.toml edited, the system changed after the
/// risks' review, then the whole register moved with `git mv`, then R-003 removed in a pull
/// request. Returns the repository and the commits: (first, system, edit, moved, removed).
fn moved_repo() -> (Git, [String; 5]) {
    let g = Git::init();
    g.base("compliance/ai-register");
    let first = g.date("2026-09-01").commit("Add the AI risk register");
    g.edit(
        "compliance/ai-register/systems/ticket-triage.yaml",
        "2026-06 prompt v3",
        "2026-10 prompt v4",
    );
    let system = g.date("2026-09-30").commit("Prompt v4");
    g.edit(
        "compliance/ai-register/risks/R-001.yaml",
        "rationale",
        "rationale: re-rated\n  note",
    );
    g.edit(
        "compliance/ai-register/soa.yaml",
        "A.2.2:   { applicable: true, status: implemented,",
        "A.2.2:   { applicable: true, status: partial,",
    );
    g.edit(
        "compliance/ai-register/people.yaml",
        "Head of Customer Support",
        "Director of Customer Support",
    );
    g.edit(
        "compliance/ai-register/airisk.toml",
        "Example Software Ltd",
        "Example Software plc",
    );
    let edit = g.date("2026-10-05").commit("Re-rate R-001, A.2.2 partial");
    // Something else in the repository keeps `compliance/` alive after the move.
    g.write("compliance/README.md", "Other compliance work\n");
    g.commit("Compliance readme");
    g.git(&["mv", "compliance/ai-register", "governance"]);
    let moved = g
        .date("2026-10-10")
        .commit("Move the register to governance/");
    std::fs::remove_file(g.path().join("governance/risks/R-003.yaml")).expect("rm");
    let removed = g
        .date("2026-10-12")
        .commit("Retire R-003: the feature is gone (#31)");
    (g, [first, system, edit, moved, removed])
}

/// The short ids at the start of the commit lines of `history`'s terminal output.
fn shown(out: &str) -> Vec<&str> {
    out.lines()
        .filter(|l| {
            l.len() > 7 && l[..7].bytes().all(|b| b.is_ascii_hexdigit()) && l.as_bytes()[7] == b' '
        })
        .map(|l| &l[..7])
        .collect()
}

#[test]
fn history_follows_a_moved_register_folder() {
    let (g, [first, _, edit, moved, _]) = moved_repo();
    let reg = g.path().join("governance");
    let (code, out, err) = airisk(&reg, &["history", "R-001"]);
    assert_eq!(code, 0, "{err}");
    // Created in the first commit, not at the move; the move itself changed nothing.
    assert_eq!(shown(&out), [edit.as_str(), first.as_str()], "{out}");
    assert!(out.contains("created: score 6 (medium)"), "{out}");
    assert!(!out.contains(&moved), "{out}");
}

#[test]
fn provenance_and_document_control_follow_a_moved_register_folder() {
    let (g, [first, _, edit, moved, removed]) = moved_repo();
    let h = history(&g.path().join("governance"));
    let last = |p: &str| h.last_change(p).expect(p).commit.short.clone();
    assert_eq!(last("risks/R-001.yaml"), edit);
    assert_eq!(last("risks/R-002.yaml"), first);
    assert_eq!(last("systems/ticket-triage.yaml").len(), 7);
    assert!(
        h.changes().all(|c| c.commit.short != moved),
        "the move is no change"
    );
    assert!(h.unresolved.is_empty(), "{:?}", h.unresolved);
    // The last change of the register folder is the removal.
    assert_eq!(h.version.as_ref().expect("version").short, removed);
}

#[test]
fn git_rules_see_changes_from_before_the_move() {
    let (g, [.., moved, _]) = moved_repo();
    let got = findings(&check(&g.path().join("governance"), "2026-11-01"));
    let changed: Vec<&str> = got
        .iter()
        .filter(|f| f.0 == "system-changed-since-review")
        .map(|f| f.1.as_str())
        .collect();
    // R-003 is gone; were reviewed on 2026-09-15, before the system changed.
    assert_eq!(changed, ["risks/R-001.yaml", "risks/R-002.yaml"], "{got:?}");
    // And the same register before the move gives the same findings.
    g.git(&["checkout", "-q", &format!("{moved}~1")]);
    let before = findings(&check(
        &g.path().join("compliance/ai-register"),
        "2026-11-01",
    ));
    let before: Vec<&str> = before
        .iter()
        .filter(|f| f.0 == "system-changed-since-review")
        .map(|f| f.1.as_str())
        .collect();
    assert_eq!(
        before,
        ["risks/R-001.yaml", "risks/R-002.yaml", "risks/R-003.yaml"]
    );
}

#[test]
fn diff_across_a_move_shows_only_real_changes() {
    let (g, [_, system, ..]) = moved_repo();
    let reg = g.path().join("governance");
    let (code, out, err) = airisk(
        &reg,
        &[
            "diff",
            &system,
            "HEAD",
            "--format",
            "json",
            "--as-of",
            "2026-11-01",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let entities = v["diff"]["entities"].as_array().expect("entities");
    let listed: Vec<String> = entities
        .iter()
        .map(|e| format!("{} {} {}", e["kind"], e["id"], e["status"]))
        .collect();
    // No spurious creates or deletes: R-001 changed, R-003 removed, the SoA decision, the
    // person; nothing else.
    for e in entities {
        let status = e["status"].as_str().unwrap_or_default();
        if status == "added" || status == "created" {
            panic!("nothing was added: {listed:?}");
        }
        if status == "removed" {
            assert_eq!(e["id"], "R-003", "{listed:?}");
        }
    }
    assert!(listed.iter().any(|l| l.contains("\"R-001\"")), "{listed:?}");
    assert!(listed.len() <= 6, "{listed:?}");
}

#[test]
fn the_trend_is_continuous_across_a_move() {
    let g = trend_repo();
    let before = trend_rows(&report_json(&g.path().join("reg"), &[]));
    std::fs::create_dir_all(g.path().join("gov")).expect("mkdir");
    g.git(&["mv", "reg", "gov/ai"]);
    g.date("2026-09-20").commit("Move the register under gov/");
    let moved = g.git(&["rev-parse", "--short=7", "HEAD"]);
    let after = trend_rows(&report_json(&g.path().join("gov/ai"), &[]));
    assert_eq!(after.len(), before.len());
    // Every month reads the same register; only the last months' commit is the move.
    for (a, b) in after.iter().zip(&before) {
        if a.ends_with(&moved) {
            assert_eq!(a[..a.len() - 7], b[..b.len() - 7], "{after:?}");
        } else {
            assert_eq!(a, b, "{after:?}");
        }
    }
    assert!(
        after.iter().filter(|r| r.contains(" 1 ")).count() > 3,
        "{after:?}"
    );
}

#[test]
fn history_of_a_removed_entity_ends_with_its_removal() {
    let (g, [first, .., removed]) = moved_repo();
    let reg = g.path().join("governance");
    let (code, out, err) = airisk(&reg, &["history", "R-003"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(
            "history of risk `R-003` (risks/R-003.yaml), newest first\nno longer in the register: removed by the newest commit below\n"
        ),
        "{out}"
    );
    assert_eq!(shown(&out), [removed.as_str(), first.as_str()], "{out}");
    assert!(
        out.contains(&format!(
            "{removed}  2026-10-12  Jane Doe <jane@example.com>  PR #31\n    Retire R-003: the feature is gone (#31)\n    removed\n"
        )),
        "{out}"
    );
    let (_, json, _) = airisk(&reg, &["history", "R-003", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["removed"], true);
    assert_eq!(v["commits"][0]["removed"], true);
    assert_eq!(v["commits"][0]["pr"], 31);
    assert_eq!(v["commits"][0]["path"], serde_json::Value::Null);
    assert_eq!(v["commits"][1]["created"], true);
    let (_, md, _) = airisk(&reg, &["history", "R-003", "--format", "markdown"]);
    assert!(md.contains("No longer in the register"), "{md}");
    assert!(md.contains("- removed"), "{md}");

    // Never existed: the error, with a suggestion among the living and the removed.
    let (code, _, err) = airisk(&reg, &["history", "R-0003"]);
    assert_eq!(code, 2);
    assert!(err.contains("risk"), "{err}");
    assert!(err.contains("has the id `R-0003`"), "{err}");
    assert!(err.contains("did you mean `R-003`?"), "{err}");
}

#[test]
fn history_of_the_soa_the_configuration_and_the_people() {
    let (g, [first, _, edit, ..]) = moved_repo();
    let reg = g.path().join("governance");
    for format in ["human", "markdown", "json"] {
        let (code, _, err) = airisk(&reg, &["history", "soa", "--format", format]);
        assert_eq!(code, 0, "{format}: {err}");
    }
    let (_, out, _) = airisk(&reg, &["history", "soa"]);
    assert_eq!(shown(&out), [edit.as_str(), first.as_str()], "{out}");
    assert!(out.contains("decision A.2.2 changed"), "{out}");
    assert!(
        out.contains("controls.A.2.2.status: implemented → partial"),
        "{out}"
    );
    let (_, json, _) = airisk(&reg, &["history", "soa", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["entity"]["file"], "soa.yaml");
    assert_eq!(v["commits"][0]["decisions"][0]["control"], "A.2.2");
    assert_eq!(v["commits"][0]["decisions"][0]["change"], "changed");

    let (code, out, err) = airisk(&reg, &["history", "config"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(shown(&out), [edit.as_str(), first.as_str()], "{out}");
    assert!(out.contains("(airisk.toml)"), "{out}");
    assert!(
        out.contains("organisation.name: Example Software Ltd → Example Software plc"),
        "{out}"
    );

    let (code, out, err) = airisk(&reg, &["history", "people", "--format", "markdown"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("`people.yaml`"), "{out}");
    assert!(out.contains("Director of Customer Support"), "{out}");
}
