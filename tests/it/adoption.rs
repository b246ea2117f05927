//! Adopting airisk in CI on a register with history: a committed document kept in step with
//! `-o FILE --check` (its content, not its document-control block), `check --baseline`, and
//! waivers over git; on throwaway repositories with pinned dates (`git::Git`).

use crate::git::{Git, airisk};

/// A committed SOA.md passes `--check` on the commit that adds it and on a later day, and
/// fails when a decision changes; the same for the other documents with `-o --check`.
#[test]
fn a_committed_soa_passes_check_until_a_decision_changes() {
    let g = Git::init();
    g.base("reg");
    g.date("2026-10-01").commit("Add the register");
    let reg = g.path().join("reg");
    let docs: &[(&str, &[&str])] = &[
        ("SOA.md", &["soa"]),
        ("SOA.html", &["soa", "--format", "html"]),
        ("SOA.json", &["soa", "--format", "json"]),
        ("REGISTER.md", &["register", "--format", "markdown"]),
        ("DUE.md", &["due", "--format", "markdown"]),
        ("MATRIX.md", &["matrix", "--format", "markdown"]),
        ("REPORT.md", &["report"]),
    ];
    for (file, args) in docs {
        let mut a: Vec<&str> = args.to_vec();
        a.extend(["-o", file, "--as-of", "2026-11-01"]);
        let (code, _, err) = airisk(&reg, &a);
        assert_eq!(code, 0, "{a:?}: {err}");
    }
    // Rendered from the first commit; committing them makes another one.
    let first = g.git(&["rev-parse", "HEAD"]);
    let soa = std::fs::read_to_string(reg.join("SOA.md")).expect("SOA.md");
    assert!(soa.contains(&first), "{soa}");
    g.date("2026-11-02").commit("Add the documents");
    let check = |file: &str, args: &[&str], as_of: &str| {
        let mut a: Vec<&str> = args.to_vec();
        a.extend(["-o", file, "--check", "--as-of", as_of]);
        let (code, out, err) = airisk(&reg, &a);
        (code, format!("{out}{err}"))
    };
    for (file, args) in docs {
        // On the commit that adds it: another commit, no DRAFT.
        let (code, out) = check(file, args, "2026-11-01");
        assert_eq!(code, 0, "{file}: {out}");
        assert!(out.contains("is up to date"), "{out}");
    }
    // A later day: the SoA, the register and the matrix say the same; the due list and the
    // report are about the day, so they may differ (and do, here: the SoA review falls due).
    for (file, args) in &docs[..6] {
        if *file == "DUE.md" {
            continue;
        }
        let (code, out) = check(file, args, "2026-11-20");
        assert_eq!(code, 0, "{file} on a later day: {out}");
    }
    // A decision changes: the SoA no longer matches, and says how to regenerate it.
    g.edit(
        "reg/soa.yaml",
        "We supply no AI systems to customers",
        "We supply no AI systems to customers or partners",
    );
    g.date("2026-11-03")
        .commit("Reword the exclusion of A.10.4");
    for (file, args) in &docs[..3] {
        let (code, out) = check(file, args, "2026-11-01");
        assert_eq!(code, 1, "{file}: {out}");
        assert!(out.contains("is out of date with the register"), "{out}");
    }
    let (_, out) = check("SOA.md", &["soa"], "2026-11-01");
    assert!(
        out.contains("regenerate it with `airisk soa -o SOA.md`"),
        "{out}"
    );
    let (_, out) = check("SOA.html", &["soa", "--format", "html"], "2026-11-01");
    assert!(
        out.contains("`airisk soa --format html -o SOA.html`"),
        "{out}"
    );
}

/// `check --baseline main` on a branch: findings the base branch has too (matched by code,
/// subject and field, not line) are existing and do not fail; a new error does, and with
/// `--deny warnings` a new warning does.
#[test]
fn baseline_fails_only_on_new_findings() {
    let g = Git::init();
    g.date("2026-09-01").commit("Start the repository");
    g.base("reg");
    // Old findings on main: an evidence path that does not exist (error), an unused control
    // (warning).
    g.edit(
        "reg/risks/R-002.yaml",
        "  evidence: [evidence/provider-dpa-review.md]",
        "  evidence: [evidence/provider-dpa-review-2025.md]",
    );
    g.edit(
        "reg/risks/R-002.yaml",
        "  controls: [A.2.2, A.10.3]",
        "  controls: [A.10.3]",
    );
    g.date("2026-10-01").commit("Register with old findings");
    let reg = g.path().join("reg");
    let run = |args: &[&str]| {
        let mut a = vec!["--as-of", "2026-11-01", "check"];
        a.extend(args);
        airisk(&reg, &a)
    };
    let (code, out, _) = run(&[]);
    assert_eq!(code, 1, "{out}");

    // A branch moves every line of R-002 (a comment on top) and adds nothing new: all existing.
    g.git(&["checkout", "-q", "-b", "edit"]);
    let text = std::fs::read_to_string(reg.join("risks/R-002.yaml")).expect("read");
    g.write(
        "reg/risks/R-002.yaml",
        &format!("# Reviewed by the DPO\n\n{text}"),
    );
    g.date("2026-10-05").commit("Comment R-002");
    let (code, out, err) = run(&["--baseline", "main"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.ends_with("1 error, 1 warning in 7 files; 2 existing, 0 new, 0 fixed\n"),
        "{out}"
    );

    // A new error fails the run; JSON and SARIF say which finding is new.
    g.edit("reg/risks/R-002.yaml", "owner: asmith", "owner: asmth");
    let (code, out, _) = run(&["--baseline", "main"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.ends_with("; 2 existing, 1 new, 0 fixed\n"), "{out}");
    let (_, json, _) = run(&["--baseline", "main", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    let states: Vec<(String, String)> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_string(),
                f["baseline"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let want = |c: &str, s: &str| (c.to_string(), s.to_string());
    assert!(
        states.contains(&want("unknown-reference", "new")),
        "{states:?}"
    );
    assert!(
        states.contains(&want("evidence-not-found", "unchanged")),
        "{states:?}"
    );
    assert!(
        states.contains(&want("control-without-risk", "unchanged")),
        "{states:?}"
    );
    let (_, sarif, _) = run(&["--baseline", "main", "--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&sarif).expect("sarif");
    let results = v["runs"][0]["results"].as_array().expect("results");
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "unknown-reference" && r["baselineState"] == "new"),
        "{sarif}"
    );
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "evidence-not-found" && r["baselineState"] == "unchanged")
    );

    // Fixed, and an old finding fixed too: counted as fixed. A new warning passes, but not
    // with --deny warnings (the old warning still does not fail).
    g.edit("reg/risks/R-002.yaml", "owner: asmth", "owner: asmith");
    g.edit(
        "reg/risks/R-002.yaml",
        "evidence/provider-dpa-review-2025.md",
        "evidence/provider-dpa-review.md",
    );
    g.edit(
        "reg/risks/R-001.yaml",
        "  due: 2027-01-31",
        "  due: 2026-10-15",
    );
    let (code, out, _) = run(&["--baseline", "main"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("; 1 existing, 1 new, 1 fixed\n"), "{out}");
    let (code, out, _) = run(&["--baseline", "main", "--deny", "warnings"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[treatment-overdue]"), "{out}");

    // A baseline without the register: every finding is new, and stderr says why.
    let (code, out, err) = run(&["--baseline", "main~1"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.ends_with("; 0 existing, 2 new, 0 fixed\n"), "{out}");
    assert!(
        err.contains("there is no register here at `main~1`: every finding is new"),
        "{err}"
    );
    // An unknown revision is exit 2.
    let (code, _, err) = run(&["--baseline", "no-such-branch"]);
    assert_eq!(code, 2, "{err}");
}

/// `diff` names each waiver by its rule and target: reordering the list changes nothing, a
/// changed reason or expiry is a change of that waiver, a new one is added under its name.
#[test]
fn diff_shows_waivers_by_rule_and_target() {
    let g = Git::init();
    g.base("reg");
    let one = "  - rule: control-without-risk\n    target: A.2.2\n    reason: AIMS-wide policy\n    approved_by: asmith\n    date: 2026-10-01\n";
    let two = "  - rule: review-overdue\n    target: soa.yaml\n    reason: Review booked\n    approved_by: bjones\n    date: 2026-10-01\n";
    g.write("reg/waivers.yaml", &format!("waivers:\n{one}{two}"));
    g.date("2026-10-01").commit("Waivers");
    // Reordered, one reason changed, one added.
    let three = "  - rule: assessment-missing\n    target: ticket-triage\n    reason: Assessed by the group\n    approved_by: asmith\n    date: 2026-10-02\n    expires: 2027-04-01\n";
    g.write(
        "reg/waivers.yaml",
        &format!(
            "waivers:\n{}{one}{three}",
            two.replace("Review booked", "Review booked for 2026-11-20")
        ),
    );
    g.date("2026-10-02").commit("More waivers");
    let reg = g.path().join("reg");
    let (code, out, err) = airisk(&reg, &["diff", "HEAD~1", "HEAD", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let fields: Vec<String> = v["diff"]["waivers"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        fields,
        [
            "waiver review-overdue for soa.yaml.reason",
            "waiver assessment-missing for ticket-triage.rule",
            "waiver assessment-missing for ticket-triage.target",
            "waiver assessment-missing for ticket-triage.reason",
            "waiver assessment-missing for ticket-triage.approved_by",
            "waiver assessment-missing for ticket-triage.date",
            "waiver assessment-missing for ticket-triage.expires",
        ],
        "{out}"
    );
    let (_, md, _) = airisk(&reg, &["diff", "HEAD~1", "HEAD", "--format", "markdown"]);
    assert!(
        md.contains("waiver review-overdue for soa.yaml.reason"),
        "{md}"
    );
}

/// `new waiver` creates waivers.yaml, appends to it keeping every byte, and refuses what
/// `check` would reject: an unknown or format code, an unknown target or approver, a
/// waiver that would waive nothing, one already there, a file it cannot append to.
#[test]
fn new_waiver_appends_and_refuses_what_check_would_reject() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let reg = tmp.path();
    crate::support::copy_dir(&crate::support::root().join("tests/fixtures/base"), reg);
    let edit = |rel: &str, from: &str, to: &str| {
        let p = reg.join(rel);
        let t = std::fs::read_to_string(&p).expect("read");
        assert!(t.contains(from));
        std::fs::write(&p, t.replacen(from, to, 1)).expect("write");
    };
    // Two unused controls: A.2.2 and A.6.2.6.
    edit(
        "risks/R-002.yaml",
        "controls: [A.2.2, A.10.3]",
        "controls: [A.10.3]",
    );
    edit(
        "risks/R-001.yaml",
        "controls: [A.6.2.4, A.6.2.6]",
        "controls: [A.6.2.4]",
    );
    let new = |args: &[&str]| {
        let mut a = vec!["--no-git", "--as-of", "2026-11-01", "new", "waiver"];
        a.extend(args);
        airisk(reg, &a)
    };
    for (args, why) in [
        (
            &["--rule", "control-without-rsk", "--target", "A.2.2"][..],
            "did you mean `control-without-risk`?",
        ),
        (
            &["--rule", "missing-field", "--target", "R-001"],
            "`missing-field` cannot be waived",
        ),
        (
            &["--rule", "control-without-risk", "--target", "A.9.9"],
            "no entity id and no file",
        ),
        (
            &["--rule", "control-without-risk", "--target", "A.2.3"],
            "would waive nothing",
        ),
        (
            &[
                "--rule",
                "control-without-risk",
                "--target",
                "A.2.2",
                "--approved-by",
                "asmth",
            ],
            "did you mean `asmith`?",
        ),
        (&["--target", "A.2.2"], "needs --rule CODE and --target"),
    ] {
        let (code, _, err) = new(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(why), "{args:?}: {err}");
        assert!(!reg.join("waivers.yaml").exists());
    }
    let (code, out, err) = new(&[
        "--rule",
        "control-without-risk",
        "--target",
        "A.2.2",
        "--reason",
        "AIMS-wide policy <!-- @all -->",
        "--approved-by",
        "asmith",
        "--expires",
        "2027-11-01",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "waivers.yaml");
    let (code, out, _) = airisk(reg, &["--no-git", "--as-of", "2026-11-01", "check"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 warning in 8 files; 1 waived"), "{out}");
    // Appended after a comment the file ends with, keeping it.
    let mut before = std::fs::read_to_string(reg.join("waivers.yaml")).expect("read");
    before.push_str("# the next one is for the reorganisation");
    std::fs::write(reg.join("waivers.yaml"), &before).expect("write");
    let (code, _, err) = new(&[
        "--rule",
        "control-without-risk",
        "--target",
        "A.6.2.6",
        "--reason",
        "Reorganisation",
        "--approved-by",
        "bjones",
    ]);
    assert_eq!(code, 0, "{err}");
    let after = std::fs::read_to_string(reg.join("waivers.yaml")).expect("read");
    assert!(after.starts_with(&before), "{after}");
    let (code, out, _) = airisk(reg, &["--no-git", "--as-of", "2026-11-01", "check"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 warnings in 8 files; 2 waived"), "{out}");
    let (code, _, err) = new(&["--rule", "control-without-risk", "--target", "A.2.2"]);
    assert_eq!(code, 2);
    assert!(err.contains("waived already"), "{err}");
    // A flow list cannot be appended to: refused, the file untouched, the waiver shown.
    std::fs::write(reg.join("waivers.yaml"), "waivers: []\n").expect("write");
    let (code, _, err) = new(&["--rule", "control-without-risk", "--target", "A.2.2"]);
    assert_eq!(code, 2);
    assert!(err.contains("add it by hand"), "{err}");
    assert_eq!(
        std::fs::read_to_string(reg.join("waivers.yaml")).expect("read"),
        "waivers: []\n"
    );
    // A link at waivers.yaml is refused, not followed.
    #[cfg(unix)]
    {
        std::fs::remove_file(reg.join("waivers.yaml")).expect("rm");
        let outside = tempfile::NamedTempFile::new().expect("tmp");
        std::os::unix::fs::symlink(outside.path(), reg.join("waivers.yaml")).expect("link");
        let (code, _, err) = new(&["--rule", "control-without-risk", "--target", "A.2.2"]);
        assert_eq!(code, 2);
        assert!(err.contains("waivers.yaml is not read"), "{err}");
        assert_eq!(std::fs::read_to_string(outside.path()).expect("read"), "");
    }
}

/// A document rendered with `--as-of` before the register's newest commit warns (stderr and
/// the document's control block) and names the `--at` that shows the register as it was
/// then; with that `--at` there is no warning, and the pack warns too.
#[test]
fn as_of_before_the_newest_commit_warns_and_names_the_at() {
    let g = Git::init();
    g.base("reg");
    g.date("2026-09-01").commit("Register");
    g.edit("reg/risks/R-001.yaml", "  likelihood: 3", "  likelihood: 4");
    g.date("2026-11-02").commit("Re-rate R-001");
    let reg = g.path().join("reg");
    let (code, out, err) = airisk(&reg, &["soa", "--as-of", "2026-09-30"]);
    assert_eq!(code, 0, "{err}");
    let at = "`--at main@{2026-09-30}` shows the register as it was on 2026-09-30";
    assert!(
        err.starts_with(
            "warning: the register changed after 2026-09-30 (last on 2026-11-02, commit "
        ),
        "{err}"
    );
    assert!(err.contains(at), "{err}");
    assert!(
        out.contains("> **As of 2026-09-30**: the register changed after 2026-09-30"),
        "{out}"
    );
    let (_, html, _) = airisk(
        &reg,
        &["register", "--format", "html", "--as-of", "2026-09-30"],
    );
    assert!(
        html.contains("<p class=\"as-of\">As of 2026-09-30: the register changed"),
        "{html}"
    );
    let (_, json, _) = airisk(&reg, &["soa", "--format", "json", "--as-of", "2026-09-30"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert!(
        v["control"]["as_of_warning"]
            .as_str()
            .is_some_and(|w| w.contains(at)),
        "{json}"
    );
    // On or after the newest commit, or read as it was then: no warning.
    for args in [
        &["soa", "--as-of", "2026-11-02"][..],
        &["--at", "main@{2026-09-30}", "soa", "--as-of", "2026-09-30"],
    ] {
        let (code, out, err) = airisk(&reg, args);
        assert_eq!(code, 0, "{err}");
        assert!(
            err.is_empty() && !out.contains("As of 2026"),
            "{args:?}: {err}"
        );
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let pack = dir.path().join("pack");
    let pack = pack.to_str().expect("utf-8");
    let (code, _, err) = airisk(&reg, &["pack", pack, "--as-of", "2026-09-30"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(at), "{err}");
}

/// A GitLab merge request is `!N` everywhere (history, documents), and JSON keeps the
/// number and adds the forge; a GitHub pull request stays `#N`.
#[test]
fn gitlab_merge_requests_are_bang_n() {
    let g = Git::init();
    g.base("reg");
    g.date("2026-09-01").commit("Register");
    g.git(&["checkout", "-q", "-b", "raise"]);
    g.edit("reg/risks/R-001.yaml", "  likelihood: 3", "  likelihood: 4");
    g.date("2026-09-10").commit("Raise R-001");
    g.git(&["checkout", "-q", "main"]);
    g.merge(
        "raise",
        "Merge branch 'raise' into 'main'\n\nRaise R-001\n\nSee merge request acme/risks!42",
    );
    let reg = g.path().join("reg");
    let (code, out, err) = airisk(&reg, &["history", "R-001", "--as-of", "2026-11-01"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("MR !42"), "{out}");
    assert!(!out.contains("#42"), "{out}");
    let (_, json, _) = airisk(&reg, &["history", "R-001", "--format", "json"]);
    assert!(
        json.contains("\"pr\": 42") && json.contains("\"forge\": \"gitlab\""),
        "{json}"
    );
    let (_, soa, _) = airisk(&reg, &["soa", "--as-of", "2026-11-01"]);
    assert!(soa.contains("| Pull request | !42 |"), "{soa}");
    let (_, soa_json, _) = airisk(&reg, &["soa", "--format", "json", "--as-of", "2026-11-01"]);
    let v: serde_json::Value = serde_json::from_str(&soa_json).expect("json");
    assert_eq!(v["control"]["pull_request"], 42);
    assert_eq!(v["control"]["forge"], "gitlab");
    assert_eq!(v["control"]["pull_request_ref"], "!42");
}

/// A file that does not parse on the base branch is an existing finding while the branch
/// leaves it as it is; a branch that edits it (here: to declare the id a new risk names, which
/// the unreadable file would otherwise stand in for) is held to the file's finding again.
#[test]
fn baseline_holds_an_edited_unreadable_file_to_its_finding() {
    let g = Git::init();
    g.date("2026-09-01").commit("Start the repository");
    g.base("reg");
    g.edit(
        "reg/systems/ticket-triage.yaml",
        "name: ",
        "name: [unclosed ",
    );
    g.date("2026-10-01").commit("A broken system file");
    let reg = g.path().join("reg");
    let run = |args: &[&str]| {
        let mut a = vec!["--as-of", "2026-11-01", "check"];
        a.extend(args);
        airisk(&reg, &a)
    };
    g.git(&["checkout", "-q", "-b", "untouched"]);
    g.edit(
        "reg/risks/R-001.yaml",
        "title: Tickets routed to the wrong queue after product changes",
        "title: Tickets routed to the wrong queue after a product change",
    );
    g.date("2026-10-05").commit("Retitle R-001");
    let (code, out, err) = run(&["--baseline", "main"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1 existing, 0 new"), "{out}");

    g.git(&["checkout", "-q", "main"]);
    g.git(&["checkout", "-q", "-b", "ghost"]);
    let text = std::fs::read_to_string(reg.join("systems/ticket-triage.yaml")).expect("read");
    g.write(
        "reg/systems/ticket-triage.yaml",
        &text.replacen("id: ticket-triage", "id: ghost", 1),
    );
    g.edit(
        "reg/risks/R-001.yaml",
        "system: ticket-triage",
        "system: ghost",
    );
    g.date("2026-10-06").commit("Point R-001 at a ghost");
    let (code, out, err) = run(&["--baseline", "main"]);
    assert_eq!(code, 1, "{out}{err}");
    // The edited file's finding is new again, and so are the references it stood in for.
    assert!(out.contains("error[yaml-syntax]"), "{out}");
    assert!(out.contains("; 0 existing, 3 new, 1 fixed"), "{out}");
}
