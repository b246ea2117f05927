//! `init` writes a register that checks clean on whatever day it runs, and embeds exactly
//! the files of examples/minimal.

use crate::support::{check_register, date, findings, root};
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
