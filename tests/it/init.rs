//! `init` writes a register that checks clean on whatever day it runs, and embeds exactly
//! the files of examples/minimal.

use crate::support::{check_register, date, findings, root, run_cli};
use airisk::workspace::init::{FILES, starter};

#[test]
fn starter_checks_clean_on_any_day() {
    for today in ["2026-11-01", "2027-02-28", "2029-08-31", "2031-01-01"] {
        let tmp = tempfile::tempdir().expect("tempdir");
        for (rel, text) in starter("Test Org", date(today)) {
            let path = tmp.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        let outcome = check_register(tmp.path(), date(today), true).expect("loads");
        assert_eq!(findings(&outcome), vec![], "init as of {today}");
        assert_eq!(outcome.loaded.register.config.organisation.name, "Test Org");
    }
}

#[test]
fn starter_embeds_every_file_of_the_minimal_example() {
    let dir = root().join("examples/minimal");
    let mut on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .map(|e| e.expect("entry"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = FILES.iter().map(|(r, _)| r.to_string()).collect();
    embedded.sort();
    assert_eq!(embedded, on_disk);
}

/// `init --blank`: nothing of the worked example, every control still to be decided, no
/// system or risk, and no finding from `check` (`control-without-risk` waits for the first
/// risk or assessment). With one risk, every control it does not use is reported again; the
/// placeholder person is the new system's and risk's owner.
#[test]
fn a_blank_register_has_nothing_of_the_example_and_checks_without_findings() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let files = airisk::workspace::init::blank("Hospital \"North\" Group", date("2027-03-01"));
    for (rel, text) in &files {
        let path = tmp.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
        for example in [
            "Example Software",
            "asmith",
            "bjones",
            "ticket-triage",
            "support",
        ] {
            assert!(!text.contains(example), "{rel} holds `{example}`");
        }
    }
    let outcome = check_register(tmp.path(), date("2027-03-01"), true).expect("loads");
    let reg = &outcome.loaded.register;
    assert_eq!(reg.config.organisation.name, "Hospital \"North\" Group");
    assert!(reg.systems.is_empty() && reg.risks.is_empty());
    assert_eq!(reg.people.as_ref().map(|p| p.people.len()), Some(1));
    let soa = reg.soa.as_ref().expect("an SoA");
    assert_eq!(soa.decisions.len(), 38);
    let found = findings(&outcome);
    assert_eq!(found, [], "a blank register checks with no finding");

    let (code, out) = run_cli(
        tmp.path(),
        &[
            "--as-of",
            "2027-03-01",
            "new",
            "system",
            "--title",
            "Triage",
        ],
    );
    assert_eq!((code, out.as_str()), (0, "systems/triage.yaml\n"));
    let (code, out) = run_cli(
        tmp.path(),
        &["--as-of", "2027-03-01", "new", "risk", "--system", "triage"],
    );
    assert_eq!((code, out.as_str()), (0, "risks/R-001.yaml\n"));
    let outcome = check_register(tmp.path(), date("2027-03-01"), true).expect("loads");
    let found = findings(&outcome);
    let unused = found
        .iter()
        .filter(|(code, ..)| code == "control-without-risk")
        .count();
    assert_eq!(unused, 38, "{found:?}");
    let system = std::fs::read_to_string(tmp.path().join("systems/triage.yaml")).expect("system");
    assert!(system.contains("\nowner: owner\n"), "{system}");
}
