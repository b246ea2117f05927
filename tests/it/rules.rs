//! Rule cases as a whole: the base register is clean, every code has a case, the edit
//! language of the case files (tests/it/rule_case.rs) refuses what it cannot apply as
//! written, and every case built and checked once for the tests that go over all of them
//! ([`checked`]). Each case's own findings are tested one case per test by the `cases`
//! target (`cargo test --test cases <name>`).

use crate::rule_case::{Case, Checked, Files, base, cases, name};
use crate::support::{AS_OF, check_register, date, findings, root};
use airisk::diag::{CODES, Stage};

/// Every rule case, built and checked once per test binary (the docs, SARIF and schema
/// tests each go over all of them).
pub fn checked() -> &'static [Checked] {
    static ALL: std::sync::OnceLock<Vec<Checked>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        cases()
            .iter()
            .map(|p| Checked::run(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
            .collect()
    })
}

#[test]
fn base_fixture_is_clean() {
    let outcome =
        check_register(&root().join("tests/fixtures/base"), date(AS_OF), true).expect("loads");
    assert_eq!(findings(&outcome), vec![]);
}

/// Every code has at least one case that expects it. The git codes need history, which the
/// plain folders of tests/rules/ do not have: each must instead have, in tests/it/git.rs, a
/// test named after it that fires (`fn <code>_fires...`, expecting the code by name) and one
/// where it must not (`fn <code>_ignores...`).
#[test]
fn every_code_has_a_case() {
    let names: Vec<String> = cases().iter().map(|p| name(p)).collect();
    let texts: Vec<String> = cases()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect();
    let git_tests =
        std::fs::read_to_string(root().join("tests/it/git.rs")).expect("tests/it/git.rs");
    let import_tests =
        std::fs::read_to_string(root().join("tests/it/import.rs")).expect("tests/it/import.rs");
    for info in CODES {
        // The import's codes are about spreadsheets, not registers: tests/it/import.rs
        // expects each by name.
        if info.stage == Stage::Import {
            assert!(
                import_tests.contains(&format!("\"{}\"", info.name)),
                "no test in tests/it/import.rs expects `{}`",
                info.name
            );
            continue;
        }
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

/// Every case file parses and every edit applies.
#[test]
fn every_case_file_is_well_formed() {
    let all = cases();
    assert!(all.len() > 50, "only {} cases", all.len());
    for path in &all {
        let case = Case::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        case.files()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

// ------------------------------------------------------------------ the edit language

/// The register of a case given as TOML text, or the harness error.
fn files_of(edits: &str) -> Result<Files, String> {
    Case::parse(&format!("description = \"a case\"\n{edits}"))?.files()
}

fn text(files: &Files, rel: &str) -> String {
    String::from_utf8(files[rel].clone()).expect("UTF-8")
}

#[test]
fn replace_changes_the_one_place_its_text_occurs() {
    let files = files_of(
        "[[edit]]\nfile = \"risks/R-001.yaml\"\nreplace = \"likelihood: 3\"\nwith = \"likelihood: 9\"\n",
    )
    .expect("applies");
    let before = text(base(), "risks/R-001.yaml");
    let after = text(&files, "risks/R-001.yaml");
    assert_eq!(after, before.replacen("likelihood: 3", "likelihood: 9", 1));
    assert_ne!(after, before);
    // Nothing else changes.
    for (rel, bytes) in base() {
        if rel != "risks/R-001.yaml" {
            assert_eq!(&files[rel], bytes, "{rel}");
        }
    }
    assert_eq!(files.len(), base().len());
}

#[test]
fn an_edit_that_matches_nothing_or_more_than_once_is_a_harness_error() {
    let e = files_of(
        "[[edit]]\nfile = \"risks/R-001.yaml\"\nreplace = \"no such text\"\nwith = \"x\"\n",
    )
    .unwrap_err();
    assert!(
        e.contains("matches nothing") && e.contains("[[edit]] 1"),
        "{e}"
    );
    // `status: ` is in the treatment and at the end of the file.
    let e =
        files_of("[[edit]]\nfile = \"risks/R-001.yaml\"\nreplace = \"status: \"\nwith = \"x\"\n")
            .unwrap_err();
    assert!(e.contains("matches 2 times"), "{e}");
    let e = files_of(
        "[[edit]]\nfile = \"risks/R-001.yaml\"\nafter = \"status: \"\ninsert = \"x: 1\\n\"\n",
    )
    .unwrap_err();
    assert!(e.contains("`after` matches 2 times"), "{e}");
    let e = files_of("[[edit]]\nfile = \"risks/R-001.yaml\"\nreplace = \"\"\nwith = \"x\"\n")
        .unwrap_err();
    assert!(e.contains("`replace` is empty"), "{e}");
}

#[test]
fn after_inserts_whole_lines_after_the_line_that_holds_it() {
    let files = files_of(
        "[[edit]]\nfile = \"risks/R-001.yaml\"\nafter = \"id: R-0\"\ninsert = '''\ncolour: red\n'''\n",
    )
    .expect("applies");
    let after = text(&files, "risks/R-001.yaml");
    assert!(
        after.starts_with("id: R-001\ncolour: red\ntitle: "),
        "{after}"
    );
    let e = files_of(
        "[[edit]]\nfile = \"risks/R-001.yaml\"\nafter = \"id: R-001\"\ninsert = \"colour: red\"\n",
    )
    .unwrap_err();
    assert!(e.contains("ends with a line break"), "{e}");
}

#[test]
fn new_copy_and_delete_say_whether_the_file_must_exist() {
    let files = files_of(
        "[[edit]]\nfile = \"risks/R-004.yaml\"\ncopy = \"risks/R-002.yaml\"\n\n\
         [[edit]]\nfile = \"risks/R-004.yaml\"\nreplace = \"id: R-002\"\nwith = \"id: R-004\"\n\n\
         [[edit]]\nfile = \"risks/sub/R-005.yaml\"\nnew_bytes = [0xff, 0x0a]\n\n\
         [[edit]]\nfile = \"risks/R-003.yaml\"\ndelete = true\n",
    )
    .expect("applies");
    assert_eq!(
        text(&files, "risks/R-004.yaml"),
        text(base(), "risks/R-002.yaml").replacen("id: R-002", "id: R-004", 1)
    );
    assert_eq!(files["risks/sub/R-005.yaml"], [0xff, 0x0a]);
    assert!(!files.contains_key("risks/R-003.yaml"));
    for (edit, want) in [
        (
            "file = \"risks/R-001.yaml\"\nnew = \"id: R-001\\n\"",
            "the file exists",
        ),
        (
            "file = \"risks/R-001.yaml\"\ncopy = \"risks/R-002.yaml\"",
            "the file exists",
        ),
        (
            "file = \"risks/R-009.yaml\"\ncopy = \"risks/R-008.yaml\"",
            "no file `risks/R-008.yaml`",
        ),
        ("file = \"risks/R-009.yaml\"\ndelete = true", "no such file"),
        (
            "file = \"risks/R-009.yaml\"\nreplace = \"a\"\nwith = \"b\"",
            "no such file",
        ),
        (
            "file = \"../outside.yaml\"\nnew = \"x\\n\"",
            "inside the register",
        ),
        (
            "file = \"/etc/x.yaml\"\nnew = \"x\\n\"",
            "inside the register",
        ),
    ] {
        let e = files_of(&format!("[[edit]]\n{edit}\n")).unwrap_err();
        assert!(e.contains(want), "{edit}: {e}");
    }
}

#[test]
fn an_edit_names_exactly_one_operation() {
    for (edit, want) in [
        ("file = \"risks/R-001.yaml\"", "no operation"),
        (
            "file = \"risks/R-001.yaml\"\nreplace = \"id\"",
            "`replace` needs `with`",
        ),
        (
            "file = \"risks/R-001.yaml\"\nwith = \"id\"",
            "`with` belongs to `replace`",
        ),
        (
            "file = \"risks/R-001.yaml\"\nafter = \"id\"",
            "`after` needs `insert`",
        ),
        (
            "file = \"risks/R-001.yaml\"\ninsert = \"x\\n\"",
            "`insert` belongs to `after`",
        ),
        (
            "file = \"risks/R-001.yaml\"\ndelete = true\nnew = \"x\\n\"",
            "more than one operation",
        ),
        (
            "file = \"risks/R-001.yaml\"\nremove = true",
            "unknown field `remove`",
        ),
    ] {
        let e = files_of(&format!("[[edit]]\n{edit}\n")).unwrap_err();
        assert!(e.contains(want), "{edit}: {e}");
    }
    let e = Case::parse("description = \"nothing changes\"\n").unwrap_err();
    assert!(e.contains("no [[edit]]"), "{e}");
}

#[test]
fn edits_apply_in_order_each_to_the_result_of_the_last() {
    let files = files_of(
        "[[edit]]\nfile = \"risks/R-001.yaml\"\nreplace = \"likelihood: 3\"\nwith = \"likelihood: 4\"\n\n\
         [[edit]]\nfile = \"risks/R-001.yaml\"\nreplace = \"likelihood: 4\"\nwith = \"likelihood: 5\"\n",
    )
    .expect("applies");
    assert!(text(&files, "risks/R-001.yaml").contains("likelihood: 5"));
    // The second edit sees the first one's result: its text is gone.
    let e = files_of(
        "[[edit]]\nfile = \"risks/R-001.yaml\"\nreplace = \"likelihood: 3\"\nwith = \"likelihood: 4\"\n\n\
         [[edit]]\nfile = \"risks/R-001.yaml\"\nreplace = \"likelihood: 3\"\nwith = \"likelihood: 5\"\n",
    )
    .unwrap_err();
    assert!(
        e.contains("[[edit]] 2") && e.contains("matches nothing"),
        "{e}"
    );
}
