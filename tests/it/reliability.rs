//! Hostile input, odd file systems, no data loss: every case of docs/reliability.md has its
//! test here (or names the test elsewhere that covers it).

use crate::support::{AS_OF, check_register, check_tree, copy_dir, date, findings, root};
use airisk::load::{Listed, MemTree, Tree, Unreadable, WorkTree};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A copy of the clean base register in a temporary folder.
fn base() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/base"), tmp.path());
    tmp
}

fn codes_at(dir: &Path) -> Vec<(String, String, usize, usize)> {
    findings(&check_register(dir, date(AS_OF), false).expect("loads"))
}

fn airisk(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_airisk"))
        .current_dir(cwd)
        .args(args)
        .env("NO_COLOR", "1")
        .env("AIRISK_NO_GIT", "1")
        .output()
        .expect("airisk runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every path under `dir`, relative, sorted (to prove nothing was left behind).
fn tree_of(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| {
            e.expect("entry")
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    out.sort();
    out
}

// ------------------------------------------------------------------ encodings and names

#[test]
fn bom_and_crlf_keep_columns_right() {
    let tmp = base();
    let p = tmp.path().join("risks/R-001.yaml");
    let text = std::fs::read_to_string(&p)
        .expect("read")
        .replace("title:", "titel:");
    let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    std::fs::write(&p, crlf).expect("write");
    assert_eq!(
        codes_at(tmp.path()),
        [(
            "unknown-field".to_string(),
            "risks/R-001.yaml".to_string(),
            2,
            1
        )]
    );
    // A finding further along a CRLF line still counts characters, not bytes.
    let text = std::fs::read_to_string(&p)
        .expect("read")
        .replace("titel:", "title:")
        .replace("category: operational", "category: opérationnel");
    std::fs::write(&p, text).expect("write");
    let f = codes_at(tmp.path());
    assert_eq!(
        f[0],
        (
            "unknown-reference".to_string(),
            "risks/R-001.yaml".to_string(),
            4,
            11
        )
    );
}

#[test]
fn file_names_with_spaces_and_non_ascii_letters() {
    let tmp = base();
    let from = tmp.path().join("risks/R-002.yaml");
    let to = tmp.path().join("risks/Privatsphäre und Daten é.yaml");
    std::fs::rename(&from, &to).expect("rename");
    let text = std::fs::read_to_string(&to)
        .expect("read")
        .replace("owner: asmith", "owner: nobody");
    std::fs::write(&to, text).expect("write");
    let f = codes_at(tmp.path());
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].1, "risks/Privatsphäre und Daten é.yaml");
    let (code, out, _) = airisk(tmp.path(), &["check", "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        json["findings"][0]["file"],
        "risks/Privatsphäre und Daten é.yaml"
    );
}

#[test]
fn non_utf8_content_is_a_finding_and_the_rest_is_checked() {
    let tmp = base();
    std::fs::write(
        tmp.path().join("risks/R-009.yaml"),
        b"id: R-009\ntitle: caf\xe9\n",
    )
    .expect("write");
    let text = std::fs::read_to_string(tmp.path().join("risks/R-001.yaml"))
        .expect("read")
        .replacen("owner: bjones", "owner: nobody", 1);
    std::fs::write(tmp.path().join("risks/R-001.yaml"), text).expect("write");
    let f = codes_at(tmp.path());
    let codes: Vec<&str> = f.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(codes, ["unknown-reference", "file-unreadable"], "{f:?}");
    assert_eq!((f[1].2, f[1].3), (2, 11));
}

// ------------------------------------------------------------------ symlinks

#[cfg(unix)]
#[test]
fn symlinks_are_never_followed_out_of_the_register_and_loops_end() {
    use std::os::unix::fs::symlink;
    let tmp = base();
    let outside = tempfile::tempdir().expect("tempdir");
    // A risk file outside the register, linked in: not read.
    let foreign = outside.path().join("R-666.yaml");
    std::fs::copy(tmp.path().join("risks/R-001.yaml"), &foreign).expect("copy");
    symlink(&foreign, tmp.path().join("risks/R-666.yaml")).expect("link");
    // A folder outside, linked in: not followed.
    std::fs::create_dir(outside.path().join("more")).expect("mkdir");
    std::fs::copy(
        tmp.path().join("risks/R-001.yaml"),
        outside.path().join("more/R-667.yaml"),
    )
    .expect("copy");
    symlink(outside.path().join("more"), tmp.path().join("risks/more")).expect("link");
    // A loop: a folder linked to its own parent.
    symlink(tmp.path().join("risks"), tmp.path().join("risks/loop")).expect("link");
    // A link to a file inside the register is read like the file (here: a duplicate id).
    symlink(
        tmp.path().join("risks/R-003.yaml"),
        tmp.path().join("risks/R-003-link.yaml"),
    )
    .expect("link");
    let outcome = check_register(tmp.path(), date(AS_OF), false).expect("loads");
    let ids: Vec<&str> = outcome
        .loaded
        .register
        .risks
        .iter()
        .map(|r| r.id.value.as_str())
        .collect();
    assert_eq!(ids, ["R-001", "R-002", "R-003", "R-003"]);
    // Nothing skipped is silent: the link out and the two links to folders are findings.
    let f = findings(&outcome);
    let got: Vec<(&str, &str)> = f.iter().map(|x| (x.0.as_str(), x.1.as_str())).collect();
    assert_eq!(
        got,
        [
            ("duplicate-id", "risks/R-003.yaml"),
            ("file-unreadable", "risks/R-666.yaml"),
            ("file-unreadable", "risks/loop"),
            ("file-unreadable", "risks/more"),
        ],
        "{:?}",
        outcome.diagnostics
    );
    // Evidence through a link out of the register does not exist in the register.
    symlink(outside.path(), tmp.path().join("evidence/outside")).expect("link");
    std::fs::write(outside.path().join("proof.md"), "x").expect("write");
    let wt = WorkTree::new(tmp.path());
    assert!(!wt.exists("evidence/outside/proof.md"));
    assert!(wt.exists("evidence/provider-dpa-review.md"));
}

// ------------------------------------------------------------------ unreadable files

/// The base register in memory, with files that fail to read.
struct FailingTree {
    inner: WorkTree,
    failing: Vec<&'static str>,
}

impl Tree for FailingTree {
    fn describe(&self) -> String {
        "a test tree".into()
    }
    fn read(&self, rel: &str) -> Result<Vec<u8>, Unreadable> {
        if self.failing.contains(&rel) {
            return Err(Unreadable::Io(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "permission denied",
            )));
        }
        self.inner.read(rel)
    }
    fn list(&self, dir: &str, recursive: bool) -> Vec<Listed> {
        self.inner.list(dir, recursive)
    }
    fn present(&self, rel: &str) -> bool {
        self.inner.present(rel)
    }
    fn exists(&self, rel: &str) -> bool {
        self.inner.exists(rel)
    }
    fn is_file(&self, rel: &str) -> bool {
        self.inner.is_file(rel)
    }
}

#[test]
fn an_unreadable_file_is_a_finding_and_the_others_are_checked() {
    // As root (CI), file permissions do not stop a read: the tree fails the read instead.
    let tmp = base();
    let text = std::fs::read_to_string(tmp.path().join("risks/R-001.yaml"))
        .expect("read")
        .replacen("owner: bjones", "owner: nobody", 1);
    std::fs::write(tmp.path().join("risks/R-001.yaml"), text).expect("write");
    let tree = FailingTree {
        inner: WorkTree::new(tmp.path()),
        failing: vec!["risks/R-002.yaml"],
    };
    let outcome = check_tree(&tree, tmp.path(), date(AS_OF), false).expect("loads");
    let f = findings(&outcome);
    let codes: Vec<(&str, &str)> = f.iter().map(|x| (x.0.as_str(), x.1.as_str())).collect();
    // R-002 is gone, so its privacy coverage is missing too; R-001 is still checked.
    assert!(
        codes.contains(&("unknown-reference", "risks/R-001.yaml")),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("file-unreadable", "risks/R-002.yaml")),
        "{codes:?}"
    );
    assert!(
        outcome
            .diagnostics
            .iter()
            .any(|d| d.message.contains("permission denied"))
    );
}

// ------------------------------------------------------------------ limits

#[test]
fn a_huge_file_is_refused_quickly_and_the_rest_is_checked() {
    let tmp = base();
    let mut big = String::with_capacity(100 << 20);
    let line = "# padding padding padding padding padding padding padding padding padding\n";
    while big.len() < 100 << 20 {
        big.push_str(line);
    }
    std::fs::write(tmp.path().join("risks/R-100.yaml"), big).expect("write");
    let f = codes_at(tmp.path());
    assert_eq!(
        f,
        [(
            "file-unreadable".to_string(),
            "risks/R-100.yaml".to_string(),
            1,
            1
        )]
    );
}

#[test]
fn a_very_long_line_is_read_and_pointed_at() {
    let tmp = base();
    let p = tmp.path().join("risks/R-001.yaml");
    let long = "x".repeat(1 << 20);
    let text = std::fs::read_to_string(&p)
        .expect("read")
        .replace("title: Tickets", &format!("title: {long} Tickets"))
        .replacen("owner: bjones", "owner: nobody", 1);
    std::fs::write(&p, text).expect("write");
    let f = codes_at(tmp.path());
    assert_eq!(
        f,
        [(
            "unknown-reference".to_string(),
            "risks/R-001.yaml".to_string(),
            12,
            8
        )]
    );
}

#[test]
fn bombs_and_deep_nesting_stop_at_their_file() {
    let tmp = base();
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{p}"); 10].join(", ")
        ));
    }
    std::fs::write(tmp.path().join("risks/R-bomb.yaml"), bomb).expect("write");
    std::fs::write(
        tmp.path().join("risks/R-deep.yaml"),
        format!("x: {}{}\n", "[".repeat(5000), "]".repeat(5000)),
    )
    .expect("write");
    let f = codes_at(tmp.path());
    let codes: Vec<(&str, &str)> = f.iter().map(|x| (x.0.as_str(), x.1.as_str())).collect();
    assert_eq!(
        codes,
        [
            ("yaml-syntax", "risks/R-bomb.yaml"),
            ("yaml-syntax", "risks/R-deep.yaml")
        ]
    );
}

#[test]
fn a_hundred_thousand_tiny_files() {
    let tmp = base();
    let dir = tmp.path().join("risks/many");
    std::fs::create_dir_all(&dir).expect("mkdir");
    // Hard links to a few files outside the register are regular files like any other, and
    // far cheaper to make than 100,000 files with their own content (ext4 allows 65,000
    // links to one file).
    let sources = tempfile::tempdir_in(tmp.path().parent().unwrap_or(tmp.path())).expect("tempdir");
    let source = |i: usize| sources.path().join(format!("tiny-{}.yaml", i / 50_000));
    for i in (0..100_000).step_by(50_000) {
        std::fs::write(source(i), "# not yet written\n").expect("write");
    }
    for i in 0..100_000 {
        let file = dir.join(format!("R-{i:06}.yaml"));
        std::fs::hard_link(source(i), &file)
            .or_else(|_| std::fs::write(&file, "# not yet written\n"))
            .expect("link or write");
    }
    let outcome = check_register(tmp.path(), date(AS_OF), false).expect("loads");
    assert_eq!(outcome.diagnostics.len(), 100_000);
    assert!(
        outcome
            .diagnostics
            .iter()
            .all(|d| d.message.starts_with("the file is empty"))
    );
}

// ------------------------------------------------------------------ no data loss

#[test]
fn output_files_are_replaced_whole_and_failures_leave_nothing() {
    let tmp = base();
    let reg = tmp.path();
    // -o replaces an existing file with the complete new content.
    std::fs::write(reg.join("SOA.md"), "old content\n".repeat(10_000)).expect("write");
    let (code, _, err) = airisk(reg, &["soa", "--as-of", AS_OF, "-o", "SOA.md"]);
    assert_eq!(code, 0, "{err}");
    let soa = std::fs::read_to_string(reg.join("SOA.md")).expect("read");
    assert!(soa.starts_with("# Statement of Applicability") && !soa.contains("old content"));
    // -o into a folder that does not exist: exit 2, and no temporary file anywhere.
    let before = tree_of(reg);
    let (code, _, err) = airisk(reg, &["register", "-o", "missing/folder/register.md"]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(tree_of(reg), before);
}

#[test]
fn init_that_fails_part_way_leaves_nothing_behind() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("reg");
    std::fs::create_dir_all(&dir).expect("mkdir");
    // `evidence` is a file where init needs a folder: the last writes fail.
    std::fs::write(dir.join("evidence"), "in the way\n").expect("write");
    let before = tree_of(&dir);
    let (code, _, err) = airisk(tmp.path(), &["init", "reg"]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(tree_of(&dir), before, "init left files behind: {err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("evidence")).expect("read"),
        "in the way\n"
    );
}

#[test]
fn templates_export_that_fails_part_way_leaves_nothing_behind() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(tmp.path().join("tpl"), "a file, not a folder\n").expect("write");
    let before = tree_of(tmp.path());
    let (code, _, _) = airisk(tmp.path(), &["templates", "export", "tpl"]);
    assert_eq!(code, 2);
    assert_eq!(tree_of(tmp.path()), before);
}

// ------------------------------------------------------------------ templates

#[test]
fn templates_cannot_read_files_outside_the_register() {
    let tmp = base();
    let secret = tmp
        .path()
        .parent()
        .expect("parent")
        .join(format!("airisk-secret-{}.txt", std::process::id()));
    std::fs::write(&secret, "TOP SECRET\n").expect("write");
    std::fs::create_dir_all(tmp.path().join("templates")).expect("mkdir");
    let name = secret
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    for include in [
        format!("../../{name}"),
        format!("../{name}"),
        secret.display().to_string(),
    ] {
        std::fs::write(
            tmp.path().join("templates/soa.md"),
            format!("{{% include \"{include}\" %}}\n"),
        )
        .expect("write");
        let (code, out, err) = airisk(tmp.path(), &["soa", "--as-of", AS_OF]);
        assert_eq!(code, 2, "{include}: {out}");
        assert!(!out.contains("TOP SECRET") && !err.contains("TOP SECRET"));
        assert!(err.contains("templates/soa.md"), "{err}");
    }
    let _ = std::fs::remove_file(secret);
}

/// A template is a program a pull request can change: one that works without end runs out
/// of fuel (without it this one would copy a megabyte ten billion times), and one that
/// writes without end stops at the output cap (without it, this one would hold 100 GB).
/// Both stop with an error naming the template, exit 2, and nothing written.
#[test]
fn a_template_that_loops_without_end_runs_out_of_fuel() {
    let tmp = base();
    std::fs::create_dir_all(tmp.path().join("templates")).expect("mkdir");
    std::fs::write(
        tmp.path().join("templates/soa.md"),
        "{% set s = \"x\" * 1000000 %}{% for i in range(100000) %}{% for j in range(100000) %}{% set t = s ~ j %}{% endfor %}{% endfor %}\n",
    )
    .expect("write");
    let (code, out, err) = airisk(tmp.path(), &["soa", "--as-of", AS_OF, "-o", "soa.md"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("cannot render the templates/soa.md of the register: it did more work than any document needs (more than 100000000 steps"),
        "{err}"
    );
    assert!(!tmp.path().join("soa.md").exists());
}

#[test]
fn a_template_that_writes_without_end_stops_at_the_output_cap() {
    let tmp = base();
    std::fs::create_dir_all(tmp.path().join("templates")).expect("mkdir");
    std::fs::write(
        tmp.path().join("templates/register.html"),
        // 64 KiB of the template's own text and a value each time round: a debug build
        // escapes a value's characters one by one, which made a megabyte value cost seconds.
        format!(
            "{{% for i in range(100000) %}}{}{{{{ i }}}}{{% endfor %}}\n",
            "x".repeat(64 << 10)
        ),
    )
    .expect("write");
    let (code, out, err) = airisk(
        tmp.path(),
        &["register", "--format", "html", "--as-of", AS_OF],
    );
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "nothing of the document is written");
    assert!(
        err.contains("cannot render the templates/register.html of the register: it wrote more than 256 MiB, the limit of one document"),
        "{err}"
    );
}

/// "Did you mean" is bounded: a 1.2 MB people.yaml of 20,000 people whose roles name 20,000
/// people who do not exist was refs × ids, 400 million distances (minutes). Every reference
/// is still reported; the first ones still get their suggestion. (The work counter itself is
/// asserted by `diag::suggest::tests::many_candidates_and_many_questions_cost_bounded_work`.)
#[test]
fn a_huge_people_file_with_unknown_references_is_checked_in_bounded_work() {
    let tmp = base();
    let mut people = String::from("people:\n");
    people.push_str("  asmith: { name: Alex Smith, email: alex.smith@example.com, github: alexsmith, role: Head of Customer Support }\n");
    people.push_str("  bjones: { name: Bea Jones, email: bea.jones@example.com, github: beajones, role: Support Engineering Lead }\n");
    for i in 0..20_000 {
        let _ = std::fmt::Write::write_fmt(
            &mut people,
            format_args!("  person-{i:05}: {{ name: Person number {i:05} of the support team }}\n"),
        );
    }
    people.push_str("roles:\n  accountable_executive: asmith\n  governance_committee:\n");
    people.push_str("    - persn-00042\n");
    for i in 0..20_000 {
        let _ = std::fmt::Write::write_fmt(&mut people, format_args!("    - nobody-{i:05}\n"));
    }
    assert!(people.len() > 1_200_000, "{} bytes", people.len());
    std::fs::write(tmp.path().join("people.yaml"), &people).expect("write");
    let (code, out, err) = airisk(tmp.path(), &["check", "--format", "json", "--as-of", AS_OF]);
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let found = v["findings"].as_array().expect("findings");
    let unknown: Vec<&serde_json::Value> = found
        .iter()
        .filter(|f| f["code"] == "unknown-reference")
        .collect();
    assert_eq!(unknown.len(), 20_001, "every unknown person is reported");
    assert_eq!(
        unknown[0]["help"], "did you mean `person-00042`?",
        "{}",
        unknown[0]
    );
}

// ------------------------------------------------------------------ any input

fn mem_base() -> BTreeMap<String, Vec<u8>> {
    let base = root().join("tests/fixtures/base");
    walkdir::WalkDir::new(&base)
        .into_iter()
        .map(|e| e.expect("entry"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(&base)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

fn check_mem(files: BTreeMap<String, Vec<u8>>) {
    let tree = MemTree(files);
    let outcome = check_tree(&tree, &PathBuf::from("mem"), date(AS_OF), false);
    if let Ok(o) = outcome {
        // Every finding points into a file that was read, inside its text.
        for d in &o.diagnostics {
            let f = o.loaded.sources.get(d.primary.span.file);
            assert!(d.primary.span.end as usize <= f.text.len());
        }
    }
}

mod generated {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

        /// Any bytes as a risk file: findings or a clean result, never a panic.
        #[test]
        fn any_bytes_as_a_risk(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let mut files = mem_base();
            files.insert("risks/R-001.yaml".into(), bytes);
            check_mem(files);
        }

        /// Valid files with one line mangled: the loader points at something in the file.
        #[test]
        fn a_mangled_line(file in 0usize..4, line in 0usize..30, junk in "[ -~\\t]{0,40}") {
            let mut files = mem_base();
            let names = ["risks/R-001.yaml", "systems/ticket-triage.yaml", "soa.yaml", "people.yaml"];
            let text = String::from_utf8(files[names[file]].clone()).expect("utf8");
            let mut lines: Vec<String> = text.lines().map(String::from).collect();
            let at = line.min(lines.len().saturating_sub(1));
            lines[at] = junk;
            files.insert(names[file].into(), lines.join("\n").into_bytes());
            check_mem(files);
        }

        /// Structured values in odd places: every field of a risk replaced by a generated value.
        #[test]
        fn odd_values(key in "(id|title|system|systems|category|assessment|treatment|acceptance|reviewed|review_every|status|sources)",
                      value in prop_oneof![
                          Just("~".to_string()), Just("[]".to_string()), Just("{}".to_string()),
                          Just("[[[]]]".to_string()), Just("-1".to_string()), Just("1e400".to_string()),
                          Just("9223372036854775808".to_string()), Just("\"\"".to_string()),
                          Just("{ likelihood: 99, consequence: -3 }".to_string()),
                          Just("2026-02-30".to_string()), Just("&a [*a]".to_string()),
                          "[a-z0-9 .:-]{0,12}",
                      ]) {
            let mut files = mem_base();
            let text = String::from_utf8(files["risks/R-001.yaml"].clone()).expect("utf8");
            let mut out = String::new();
            let mut replaced = false;
            for l in text.lines() {
                if !replaced && l.starts_with(&format!("{key}:")) {
                    out.push_str(&format!("{key}: {value}\n"));
                    replaced = true;
                } else if replaced && l.starts_with(' ') {
                    continue;
                } else {
                    replaced = replaced && l.starts_with(' ');
                    out.push_str(l);
                    out.push('\n');
                }
            }
            files.insert("risks/R-001.yaml".into(), out.into_bytes());
            check_mem(files);
        }
    }
}

/// The reader (granit-parser events) against the reference reader (serde-saphyr) on generated
/// YAML: the same tree and ranges, or both refuse (`load::yaml::reference::agrees`).
mod yaml_differential {
    use proptest::prelude::*;

    /// A scalar as YAML writes it: plain words and numbers that type differently, quoted,
    /// tagged, anchored, aliased, and the odd characters.
    fn scalar() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z][a-zA-Z0-9 _.-]{0,10}",
            "[-+]?[0-9_]{1,6}(\\.[0-9]{0,3})?([eE][-+]?[0-9]{1,3})?",
            "0[xXoObB][0-9a-fA-F_]{0,4}",
            prop::sample::select(vec![
                "~",
                "null",
                "Null",
                "NULL",
                "true",
                "False",
                "yes",
                "No",
                "on",
                "OFF",
                "y",
                ".inf",
                "-.Inf",
                ".nan",
                "-.nan",
                "1e999",
                "007",
                "-0",
                "<<",
                "''",
                "\"\"",
                "'it''s'",
                "\"a\\tb\\u00e9\"",
                "!!str 4",
                "!!int 4",
                "!!float 4",
                "!!bool yes",
                "!!null x",
                "! 4",
                "!x 4",
                "!!int x",
                "!!bool on",
                "!!null x",
                "!!float 0x1F",
                "!int '4'",
                "!str 4",
                "!null x",
                "!!time 1",
                "!include [x]",
                "0b11",
                "-0x1F",
                "*a",
                "*b",
                "&a v",
                "&b 4",
                "é€😀",
                "a: b",
                "- x",
                "[",
                "}",
                "#c",
                "|",
                ">",
                "%x",
                "@x",
                "`x",
                "a #b",
                "'a\n  b'",
            ])
            .prop_map(String::from),
        ]
    }

    /// A value at `indent` spaces: a scalar, a flow collection, or a block collection.
    fn value(indent: usize) -> BoxedStrategy<String> {
        let pad = " ".repeat(indent + 2);
        let leaf = scalar().boxed();
        leaf.prop_recursive(4, 24, 4, move |inner| {
            let pad = pad.clone();
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4)
                    .prop_map(|items| format!("[{}]", items.join(", "))),
                prop::collection::vec(("[a-z<]{1,3}", inner.clone()), 0..4).prop_map(|entries| {
                    let e: Vec<String> = entries.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                    format!("{{{}}}", e.join(", "))
                }),
                prop::collection::vec(("[a-z<]{1,3}", scalar()), 1..4).prop_map(move |entries| {
                    entries
                        .iter()
                        .map(|(k, v)| format!("\n{pad}{k}: {v}"))
                        .collect::<String>()
                }),
                (
                    prop::sample::select(vec!["&a ", "&b ", "!!map ", "!!seq ", ""]),
                    inner
                )
                    .prop_map(|(p, v)| format!("{p}{v}")),
            ]
        })
        .boxed()
    }

    fn document() -> impl Strategy<Value = String> {
        (
            prop::collection::vec(("[a-z<]{1,3}|'[a-z]{1,2}'|[0-9]|\\*[ab] ", value(0)), 0..8),
            prop::sample::select(vec!["", "---\n", "# c\n"]),
            prop::sample::select(vec!["", "...\n", "---\nx: 1\n", "# end"]),
        )
            .prop_map(|(entries, head, tail)| {
                let body: String = entries.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
                format!("{head}{body}{tail}")
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn generated_yaml_reads_as_the_reference_reads_it(text in document()) {
            if let Err(e) = airisk::load::yaml::reference::agrees(&text) {
                prop_assert!(false, "{text:?}\n{e}");
            }
        }

        #[test]
        fn mangled_yaml_reads_as_the_reference_reads_it(
            text in document(),
            at in any::<prop::sample::Index>(),
            junk in "[ -~\t\n]{0,6}",
        ) {
            let mut cut = at.index(text.len() + 1);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            let text = format!("{}{junk}{}", &text[..cut], &text[cut..]);
            if let Err(e) = airisk::load::yaml::reference::agrees(&text) {
                prop_assert!(false, "{text:?}\n{e}");
            }
        }
    }
}

// ------------------------------------------------------------------ the real consumers

/// The hostile register's documents, as the CLI renders them.
fn hostile_outputs(format: &str, extra: &[&str]) -> Vec<(String, String)> {
    let reg = root().join("tests/fixtures/hostile");
    let mut out = Vec::new();
    for args in [
        vec!["register", "--status", "all"],
        vec!["soa"],
        vec!["show", "R-001"],
        vec!["show", "ticket-triage"],
        vec!["matrix"],
        vec!["due", "--within", "10 years"],
    ] {
        if format == "csv" && (args[0] == "show" || args[0] == "matrix") {
            continue;
        }
        let mut full = args.clone();
        full.extend(["--as-of", AS_OF, "--format", format]);
        full.extend(extra);
        let (code, text, err) = airisk(&reg, &full);
        assert_eq!(code, 0, "{full:?}: {err}");
        out.push((args.join(" "), text));
    }
    out
}

#[test]
fn markdown_keeps_its_table_shape_in_a_gfm_parser() {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    for (what, md) in hostile_outputs("markdown", &[]) {
        let mut header = 0;
        let mut cells = 0;
        let mut in_head = false;
        let mut html = Vec::new();
        let mut headings = 0;
        for ev in Parser::new_ext(&md, Options::ENABLE_TABLES) {
            match ev {
                Event::Start(Tag::TableHead) => {
                    in_head = true;
                    header = 0;
                }
                Event::End(TagEnd::TableHead) => in_head = false,
                Event::Start(Tag::TableRow) => cells = 0,
                Event::Start(Tag::TableCell) if in_head => header += 1,
                Event::Start(Tag::TableCell) => cells += 1,
                Event::End(TagEnd::TableRow) => assert_eq!(
                    cells, header,
                    "{what}: a row has {cells} cells, its header {header}"
                ),
                Event::Html(h) | Event::InlineHtml(h) => html.push(h.to_string()),
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    panic!("{what}: a link or image to {dest_url} from the data")
                }
                Event::Start(Tag::Heading { .. }) => headings += 1,
                _ => {}
            }
        }
        // The only raw HTML is our own line breaks inside cells.
        assert!(
            html.iter().all(|h| h == "<br>"),
            "{what}: raw HTML {html:?}"
        );
        // The headings are the document's own: its title and one per section (`# heading`
        // in a title opens none).
        assert!(
            headings <= md.lines().filter(|l| l.starts_with('#')).count(),
            "{what}: {headings} headings"
        );
        assert!(!md.lines().any(|l| l.starts_with("# heading")), "{what}");
    }
}

#[test]
fn csv_cells_never_start_a_formula_in_a_csv_parser() {
    for (what, text) in hostile_outputs("csv", &[]) {
        let mut r = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let width = r.headers().expect("headers").len();
        let mut rows = 0;
        for rec in r.records() {
            let rec = rec.expect("valid CSV");
            assert_eq!(rec.len(), width, "{what}");
            for cell in rec.iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{what}: {cell:?}"
                );
            }
            rows += 1;
        }
        assert!(rows > 0, "{what}");
    }
}

#[test]
fn terminal_output_carries_no_escape_from_the_data() {
    for color in ["never", "always"] {
        for (what, text) in hostile_outputs("table", &["--color", color]) {
            for bad in ["\u{1b}[31mred", "\u{1b}]8;;", "\u{7}", "\u{1b}\\"] {
                assert!(
                    !text.contains(bad),
                    "{what} --color {color}: {bad:?} reached the terminal"
                );
            }
            if color == "never" {
                assert!(
                    !text.contains('\u{1b}'),
                    "{what}: an escape with colour off"
                );
            }
        }
    }
    // The human findings too: a hostile id in a finding message.
    let tmp = base();
    let p = tmp.path().join("risks/R-001.yaml");
    let text = std::fs::read_to_string(&p).expect("read").replacen(
        "owner: bjones",
        "owner: \"\\e[2J\\e]8;;x\\e\\\\evil\"",
        1,
    );
    std::fs::write(&p, text).expect("write");
    let (code, out, _) = airisk(tmp.path(), &["check", "--as-of", AS_OF]);
    assert_eq!(code, 1);
    assert!(!out.contains('\u{1b}'), "{out}");
}

#[test]
fn json_and_sarif_parse_with_hostile_text() {
    for (what, text) in hostile_outputs("json", &[]) {
        serde_json::from_str::<serde_json::Value>(&text).unwrap_or_else(|e| panic!("{what}: {e}"));
    }
    let tmp = base();
    let p = tmp.path().join("risks/R-001.yaml");
    let text = std::fs::read_to_string(&p).expect("read").replacen(
        "owner: bjones",
        "owner: \"\\u0000\\u001f\\\"quote\\\\ </script>\"",
        1,
    );
    std::fs::write(&p, text).expect("write");
    for format in ["json", "sarif", "gitlab"] {
        let (code, out, err) = airisk(tmp.path(), &["check", "--as-of", AS_OF, "--format", format]);
        assert_eq!(code, 1, "{err}");
        serde_json::from_str::<serde_json::Value>(&out)
            .unwrap_or_else(|e| panic!("{format}: {e}\n{out}"));
    }
}

/// The HTML opened in a real browser runs no script from the data. Needs `chromium` (Debian's
/// package), which .ci/run installs; `cargo test` alone leaves it to the static checks of
/// render.rs.
#[test]
#[ignore = "needs chromium: apt-get install chromium"]
fn html_runs_no_script_in_a_browser() {
    let chromium = crate::support::require_tool(
        &["chromium", "chromium-browser"],
        &[],
        "apt-get install chromium",
    );
    let chromium = chromium.as_str();
    let tmp = tempfile::tempdir().expect("tempdir");
    for (i, (what, html)) in hostile_outputs("html", &[]).into_iter().enumerate() {
        let page = tmp.path().join(format!("{i}.html"));
        std::fs::write(&page, html).expect("write");
        let profile = tmp.path().join(format!("profile-{i}"));
        let out = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                &format!("--user-data-dir={}", profile.display()),
                "--dump-dom",
            ])
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("chromium runs");
        let dom = String::from_utf8_lossy(&out.stdout);
        assert!(
            dom.contains("</html>"),
            "{what}: no DOM from chromium: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // A script from the data would be an element; an injected <img onerror> too.
        assert!(
            !dom.contains("<script"),
            "{what}: a script element in the DOM"
        );
        assert!(!dom.contains("<img"), "{what}: an img element in the DOM");
        assert!(
            dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || !what.starts_with("register"),
            "{what}: the title is not shown as text"
        );
    }
}
