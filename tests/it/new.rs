//! `airisk new`: the next free id, a file that reads back with nothing wrong but the fields
//! left to fill in, prefilled from the flags, never overwriting.

use crate::support::{AS_OF, check_register, copy_dir, date, findings, root, run_cli, try_cli};

/// A copy of a bundled register to write into.
fn register(example: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join(example), tmp.path());
    tmp
}

/// (code, line) of the findings in one file of the register, after `new`.
fn findings_in(dir: &std::path::Path, file: &str) -> Vec<(String, usize)> {
    let outcome = check_register(dir, date(AS_OF), false).expect("loads");
    findings(&outcome)
        .into_iter()
        .filter(|(_, f, _, _)| f == file)
        .map(|(code, _, line, _)| (code, line))
        .collect()
}

#[test]
fn new_risk_checks_with_only_the_fields_left_to_fill_in() {
    let reg = register("examples/minimal");
    let (code, out) = run_cli(
        reg.path(),
        &[
            "new",
            "risk",
            "--system",
            "ticket-triage",
            "--category",
            "privacy",
            "--title",
            "Customer emails: kept in the provider's logs",
        ],
    );
    assert_eq!((code, out.as_str()), (0, "risks/R-004.yaml\n"));
    let text = std::fs::read_to_string(reg.path().join("risks/R-004.yaml")).expect("written");
    assert!(
        text.starts_with("# yaml-language-server: $schema=../.airisk/schema/risk.schema.json\n")
    );
    assert!(text.contains("\ntitle: \"Customer emails: kept in the provider's logs\"\n"));
    assert!(
        text.contains("\nowner: bjones\n"),
        "the system's owner by default"
    );
    assert!(text.contains(&format!("\nreviewed: {AS_OF}\n")));
    let got: Vec<String> = findings_in(reg.path(), "risks/R-004.yaml")
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    assert_eq!(
        got,
        [
            "treatment-required",
            "missing-field", // event
            "missing-field", // cause
            "missing-field", // consequence
            "missing-field", // assessment.likelihood
            "missing-field", // assessment.consequence
            "missing-field", // assessment.rationale
        ]
    );
    // The rest of the register is untouched: only R-004 has findings.
    let outcome = check_register(reg.path(), date(AS_OF), false).expect("loads");
    assert!(
        findings(&outcome)
            .iter()
            .all(|(_, f, _, _)| f == "risks/R-004.yaml"),
        "{:?}",
        findings(&outcome)
    );
}

#[test]
fn every_kind_reads_back_without_format_errors_beyond_empty_fields() {
    let reg = register("examples/minimal");
    let cases: [(&[&str], &str); 4] = [
        (
            &["new", "system", "--title", "Fraud scoring (v2)"],
            "systems/fraud-scoring-v2.yaml",
        ),
        (
            &["new", "assessment", "--system", "ticket-triage"],
            "assessments/IA-001.yaml",
        ),
        (
            &[
                "new",
                "incident",
                "--system",
                "ticket-triage",
                "--title",
                "Wrong queue",
            ],
            "incidents/INC-001.yaml",
        ),
        (&["new", "risk"], "risks/R-004.yaml"),
    ];
    for (args, path) in cases {
        let (code, out) = run_cli(reg.path(), args);
        assert_eq!((code, out.trim()), (0, path));
        for (code, line) in findings_in(reg.path(), path) {
            assert!(
                // A new system is not yet screened against the risk categories.
                [
                    "missing-field",
                    "treatment-required",
                    "category-not-screened"
                ]
                .contains(&code.as_str()),
                "{path}:{line}: {code}"
            );
        }
    }
}

#[test]
fn ids_follow_the_registers_numbering_and_folders() {
    let reg = register("examples/acme-bank");
    let (_, out) = run_cli(reg.path(), &["new", "risk", "--system", "credit-scoring"]);
    assert_eq!(
        out, "risks/credit-scoring/R-024.yaml\n",
        "next after R-023, beside its system's risks"
    );
    let (_, out) = run_cli(
        reg.path(),
        &["new", "risk", "--system", "atm-cash-forecast"],
    );
    assert_eq!(out, "risks/R-025.yaml\n");
    let (_, out) = run_cli(
        reg.path(),
        &["new", "incident", "--system", "credit-scoring"],
    );
    assert_eq!(out, "incidents/INC-004.yaml\n");
    let (_, out) = run_cli(
        reg.path(),
        &["new", "assessment", "--system", "credit-scoring"],
    );
    assert_eq!(out, "assessments/IA-003.yaml\n");
    let text = std::fs::read_to_string(reg.path().join("risks/credit-scoring/R-024.yaml"))
        .expect("written");
    assert!(
        text.starts_with("# yaml-language-server: $schema=../../.airisk/schema/risk.schema.json\n")
    );
}

#[test]
fn never_overwrites_and_rejects_what_would_not_load() {
    let reg = register("examples/minimal");
    let before = std::fs::read(reg.path().join("risks/R-001.yaml")).expect("read");
    let err = try_cli(reg.path(), &["new", "risk", "--id", "R-001"]).expect_err("exists");
    assert!(err.contains("already a risk with id `R-001`"), "{err}");
    // A file in the way under another id's name.
    std::fs::write(reg.path().join("risks/R-009.yaml"), "not: [a risk").expect("write");
    let err = try_cli(reg.path(), &["new", "risk", "--id", "R-009"]).expect_err("exists");
    assert!(err.contains("R-009"), "{err}");
    assert_eq!(
        std::fs::read(reg.path().join("risks/R-001.yaml")).expect("read"),
        before
    );
    let err =
        try_cli(reg.path(), &["new", "risk", "--system", "ticket-triag"]).expect_err("unknown");
    assert!(err.contains("did you mean `ticket-triage`?"), "{err}");
    let err = try_cli(reg.path(), &["new", "risk", "--category", "bias"]).expect_err("unknown");
    assert!(err.contains("unknown category `bias`"), "{err}");
    let err = try_cli(reg.path(), &["new", "risk", "--owner", "bjone"]).expect_err("unknown");
    assert!(err.contains("did you mean `bjones`?"), "{err}");
    let err = try_cli(reg.path(), &["new", "risk", "--id", "../R-1"]).expect_err("a path");
    assert!(err.contains("cannot be an id"), "{err}");
    let err = try_cli(reg.path(), &["new", "system"]).expect_err("needs an id");
    assert!(err.contains("--id ID or --title TITLE"), "{err}");
    // Nothing was left behind by the refusals.
    let leftovers: Vec<_> = walkdir::WalkDir::new(reg.path())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .contains(airisk::output::TEMP_SUFFIX)
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A register of one person: `new` fills a system's owner, a risk's owner (when its system
/// has none) and an assessment's assessor with that person, and says so on stderr (stdout
/// stays the path alone). With two people, or a flag, or a system's owner, nothing changes.
#[test]
fn a_register_of_one_person_fills_the_owner_and_says_so() {
    let reg = register("examples/minimal");
    let dir = reg.path();
    let people = "people:\n  asmith: { name: Alex Smith, email: alex.smith@example.com }\nroles:\n  accountable_executive: asmith\n  governance_committee: [asmith]\n";
    std::fs::write(dir.join("people.yaml"), people).expect("people");
    let run = |args: &[&str]| {
        let (code, out, err) = crate::git::airisk(dir, args);
        assert_eq!(code, 0, "{args:?}: {err}");
        (out, err)
    };
    let (out, err) = run(&[
        "--as-of",
        AS_OF,
        "new",
        "system",
        "--title",
        "Chat assistant",
    ]);
    assert_eq!(out, "systems/chat-assistant.yaml\n");
    assert_eq!(err, "note: owner: asmith, the only person in people.yaml\n");
    let text = std::fs::read_to_string(dir.join("systems/chat-assistant.yaml")).expect("written");
    assert!(text.contains("\nowner: asmith\n"), "{text}");
    assert_eq!(
        findings_in(dir, "systems/chat-assistant.yaml")
            .iter()
            .filter(|(c, _)| c == "unknown-reference")
            .count(),
        0
    );

    // A system whose owner is empty: a new risk and assessment on it get the one person.
    let (out, err) = run(&[
        "--as-of", AS_OF, "new", "system", "--id", "no-owner", "--owner", "asmith",
    ]);
    assert_eq!(
        (out.as_str(), err.as_str()),
        ("systems/no-owner.yaml\n", ""),
        "a flag is no note"
    );
    let sys = dir.join("systems/no-owner.yaml");
    let t = std::fs::read_to_string(&sys).expect("system");
    std::fs::write(&sys, t.replace("\nowner: asmith\n", "\nowner:\n")).expect("write");
    let (out, err) = run(&["--as-of", AS_OF, "new", "risk", "--system", "no-owner"]);
    assert_eq!(out, "risks/R-004.yaml\n");
    assert_eq!(err, "note: owner: asmith, the only person in people.yaml\n");
    let (out, err) = run(&[
        "--as-of",
        AS_OF,
        "new",
        "assessment",
        "--system",
        "no-owner",
    ]);
    assert!(out.starts_with("assessments/IA-"), "{out}");
    assert_eq!(
        err,
        "note: assessor: asmith, the only person in people.yaml\n"
    );
    let text = std::fs::read_to_string(dir.join(out.trim())).expect("written");
    assert!(text.contains("\nassessor: asmith\n"), "{text}");
    // The system's owner is the documented default and wins; an incident has no owner.
    let (_, err) = run(&[
        "--as-of",
        AS_OF,
        "new",
        "risk",
        "--system",
        "chat-assistant",
    ]);
    assert_eq!(err, "");
    let (_, err) = run(&["--as-of", AS_OF, "new", "incident", "--system", "no-owner"]);
    assert_eq!(err, "");

    // Two people: the owner is left to fill in, as before.
    let two = people.replace(
        "\nroles:",
        "\n  bjones: { name: Bea Jones, email: bea.jones@example.com }\nroles:",
    );
    std::fs::write(dir.join("people.yaml"), two).expect("people");
    let (out, err) = run(&["--as-of", AS_OF, "new", "system", "--title", "Second one"]);
    assert_eq!(
        (out.as_str(), err.as_str()),
        ("systems/second-one.yaml\n", "")
    );
    let text = std::fs::read_to_string(dir.join("systems/second-one.yaml")).expect("written");
    assert!(text.contains("\nowner:\n"), "{text}");
    // An unreadable people.yaml is not "one person".
    std::fs::write(dir.join("people.yaml"), "people:\n  asmith: { name: A\n").expect("people");
    let (_, err) = run(&["--as-of", AS_OF, "new", "system", "--title", "Third one"]);
    assert_eq!(err, "");
}
