//! Every bundled example register checks clean (no finding at all) at the pinned date.

use crate::support::{AS_OF, check_register, date, findings, root};

#[test]
fn examples_check_clean() {
    let mut n = 0;
    for entry in std::fs::read_dir(root().join("examples")).expect("examples/") {
        let dir = entry.expect("entry").path();
        if !dir.join("airisk.toml").is_file() {
            continue;
        }
        n += 1;
        let outcome = check_register(&dir, date(AS_OF), true).expect("loads");
        assert_eq!(findings(&outcome), vec![], "{}", dir.display());
    }
    assert!(n >= 2, "expected the minimal and the realistic example");
}
