//! `airisk report` and `airisk pack` on throwaway git repositories (the `Git` helper of
//! git.rs: pinned authors and dates): the trend of levels month by month along the
//! first-parent line, the changes since `--since`, shallow clones, a register outside git;
//! the audit pack, refused into a non-empty folder, never half-written, its manifest checked
//! by the real `sha256sum -c` (an ignored test, which .ci/run runs); and hostile text through
//! the report in markdown and HTML.

use crate::git::{Git, airisk};
use crate::support::{cell_separators, copy_dir, date, root};
use airisk::load;
use airisk::render::{self, Format};
use airisk::report::governance::{self, Changes, Inputs, Point, Snapshot, Trend};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const AS_OF: &str = "2026-10-15";

/// The base register grown over 2026, R-001 raised in a merged branch whose own commit is
/// dated in April but merged in May:
///
/// | day        | change                                        | open risks by level        |
/// |------------|-----------------------------------------------|----------------------------|
/// | 2026-01-10 | the register, with R-001 (6, medium)          | medium 1                   |
/// | 2026-03-15 | R-002 (6, medium)                             | medium 2                   |
/// | 2026-05-20 | merge: R-001 likelihood 3 → 5 (10, high)      | high 1, medium 1           |
/// | 2026-07-05 | R-003 (6, medium); R-002 → 3 (low); SoA A.2.2 | high 1, medium 1, low 1    |
/// | 2026-09-01 | R-001 closed                                  | medium 1, low 1            |
pub(crate) fn trend_repo() -> Git {
    let g = Git::init();
    g.base("reg");
    let r2 = g.path().join("reg/risks/R-002.yaml");
    let r3 = g.path().join("reg/risks/R-003.yaml");
    let (t2, t3) = (
        std::fs::read_to_string(&r2).expect("R-002"),
        std::fs::read_to_string(&r3).expect("R-003"),
    );
    std::fs::remove_file(&r2).expect("rm");
    std::fs::remove_file(&r3).expect("rm");
    g.date("2026-01-10").commit("Add the register");
    g.write("reg/risks/R-002.yaml", &t2);
    g.date("2026-03-15").commit("Add R-002");
    g.git(&["checkout", "-q", "-b", "raise-r1"]);
    g.edit(
        "reg/risks/R-001.yaml",
        "  likelihood: 3\n  consequence: 2",
        "  likelihood: 5\n  consequence: 2",
    );
    g.date("2026-04-10").commit("Raise R-001");
    g.git(&["checkout", "-q", "main"]);
    g.date("2026-05-20")
        .merge("raise-r1", "Merge pull request #7 from acme/raise-r1");
    g.write("reg/risks/R-003.yaml", &t3);
    g.edit(
        "reg/risks/R-002.yaml",
        "  likelihood: 2\n  consequence: 3",
        "  likelihood: 1\n  consequence: 3",
    );
    g.edit(
        "reg/soa.yaml",
        "A.2.2:   { applicable: true, status: implemented,",
        "A.2.2:   { applicable: true, status: partial,",
    );
    g.date("2026-07-05")
        .commit("Add R-003, lower R-002, A.2.2 partial");
    g.edit("reg/risks/R-001.yaml", "status: open", "status: closed");
    g.date("2026-09-01").commit("Close R-001");
    g
}

pub(crate) fn report_json(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["report", "--as-of", AS_OF, "--format", "json"];
    args.extend(extra);
    let (code, out, err) = airisk(dir, &args);
    assert_eq!(code, 0, "{out}{err}");
    serde_json::from_str(&out).expect("JSON")
}

pub(crate) fn section<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no section {id}"))
}

/// `month low medium high total commit` of each trend row, compactly.
pub(crate) fn trend_rows(doc: &Value) -> Vec<String> {
    let n = |v: &Value| v.as_i64().map_or("-".to_string(), |n| n.to_string());
    section(doc, "trend")["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {} {} {}",
                r["month"].as_str().expect("month"),
                n(&r["low"]),
                n(&r["medium"]),
                n(&r["high"]),
                n(&r["total"]),
                r["commit"].as_str().unwrap_or("null"),
            )
        })
        .collect()
}

#[test]
fn trend_counts_levels_at_each_month_end_along_the_first_parent_line() {
    let g = trend_repo();
    let reg = g.path().join("reg");
    let head = g.git(&["rev-parse", "--short=7", "HEAD"]);
    let at = |spec: &str| g.git(&["rev-parse", "--short=7", spec]);
    let (c1, c2, merge, c4) = (at("HEAD~4"), at("HEAD~3"), at("HEAD~2"), at("HEAD~1"));
    let doc = report_json(&reg, &[]);
    let rows = trend_rows(&doc);
    assert_eq!(
        rows,
        [
            "2025-10 - - - - no commit yet".to_string(),
            "2025-11 - - - - no commit yet".into(),
            "2025-12 - - - - no commit yet".into(),
            format!("2026-01 0 1 0 1 {c1}"),
            format!("2026-02 0 1 0 1 {c1}"),
            format!("2026-03 0 2 0 2 {c2}"),
            // The branch's own commit is dated 2026-04-10, but it reached the line in May.
            format!("2026-04 0 2 0 2 {c2}"),
            format!("2026-05 0 1 1 2 {merge}"),
            format!("2026-06 0 1 1 2 {merge}"),
            format!("2026-07 1 1 1 3 {c4}"),
            format!("2026-08 1 1 1 3 {c4}"),
            format!("2026-09 1 1 0 2 {head}"),
            // The register itself: its commit is the document control's (so a committed
            // report passes `--check` on the commit that adds it).
            "as of 1 1 0 2 null".into(),
        ]
    );
    // The dates are the month ends, the last the as-of date.
    let dates: Vec<&str> = section(&doc, "trend")["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["date"].as_str().expect("date"))
        .collect();
    assert_eq!(dates[1], "2025-11-30");
    assert_eq!(dates[4], "2026-02-28");
    assert_eq!(dates[12], AS_OF);
    // A git register says nothing about a missing trend.
    let notes = doc["notes"].to_string();
    assert!(!notes.contains("No trend"), "{notes}");

    // The HTML draws it: an accessible inline SVG, no script, and the table too.
    let (code, html, _) = airisk(&reg, &["report", "--as-of", AS_OF, "--format", "html"]);
    assert_eq!(code, 0);
    assert_eq!(html.matches("<svg ").count(), 1);
    assert!(html.contains(r#"role="img" aria-labelledby="trend-chart-title trend-chart-desc""#));
    assert!(html.contains(r#"<title id="trend-chart-title">Trend: open risks by level</title>"#));
    assert!(html.contains("<rect class=\"l2\""), "a high segment");
    assert!(!html.contains("<script"));
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert!(html.contains("<table class=\"data trend\">"));
    // Markdown has the table.
    let (_, md, _) = airisk(&reg, &["report", "--as-of", AS_OF]);
    assert!(md.contains("## Trend: open risks by level"), "{md}");
    assert!(
        md.contains(&format!(
            "| 2026-05 | 2026-05-31 | {merge} | 0 | 1 | 1 | 0 | 2 |"
        )),
        "{md}"
    );
    // Same inputs, same bytes.
    let (_, again, _) = airisk(&reg, &["report", "--as-of", AS_OF, "--format", "html"]);
    assert_eq!(html, again);
}

#[test]
fn since_lists_new_closed_raised_lowered_risks_and_soa_changes() {
    let g = trend_repo();
    let reg = g.path().join("reg");
    let base = g.git(&["rev-parse", "--short=7", "HEAD~3"]);
    let doc = report_json(&reg, &["--since", "2026-04-30"]);
    let changes = section(&doc, "changes");
    assert_eq!(changes["title"], "Changes since 2026-04-30");
    assert!(
        changes["note"]
            .as_str()
            .expect("note")
            .contains(&format!("commit {base} of 2026-03-15")),
        "{changes}"
    );
    let rows: Vec<String> = changes["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            format!(
                "{} {} | {} | {}",
                r["change"].as_str().expect("change"),
                r["id"].as_str().unwrap_or("-"),
                r["before"],
                r["after"]
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            r#"closed R-001 | "score 6 (medium)" | "closed""#,
            r#"lowered R-002 | "score 6 (medium)" | "score 3 (low)""#,
            r#"new R-003 | null | "score 6 (medium)""#,
            r#"SoA decision changed A.2.2 | ["status: implemented"] | ["status: partial"]"#,
        ],
        "{changes}"
    );
    // The period starts at --since: the trend too.
    let months = trend_rows(&doc);
    assert!(months[0].starts_with("2026-04 "), "{months:?}");
    assert!(
        doc["notes"][0]
            .as_str()
            .expect("note")
            .starts_with("Period: 2026-04-30 to 2026-10-15."),
        "{doc}"
    );

    // Before the first commit there was no register: every open risk is new.
    let doc = report_json(&reg, &["--since", "2025-12-31"]);
    let changes = section(&doc, "changes");
    assert!(
        changes["note"]
            .as_str()
            .expect("note")
            .contains("every open risk is new"),
        "{changes}"
    );
    assert_eq!(changes["rows"].as_array().expect("rows").len(), 2);

    // A raise shows as raised (the register on 2026-04-30 against the merge's).
    let (code, md, _) = airisk(
        &reg,
        &[
            "--at",
            "HEAD~2",
            "report",
            "--as-of",
            "2026-06-01",
            "--since",
            "2026-04-30",
        ],
    );
    assert_eq!(code, 0);
    assert!(
        md.contains("| raised | R-001 | Tickets routed to the wrong queue after product changes | score 6 (medium) | score 10 (high) |"),
        "{md}"
    );

    // --since after the as-of date is a usage error.
    let (code, _, err) = airisk(&reg, &["report", "--as-of", AS_OF, "--since", "2026-12-01"]);
    assert_eq!(code, 2);
    assert!(err.contains("is after the as-of date"), "{err}");
}

/// [`trend_repo`] and a clone of it one commit deep, in `c` of the folder returned.
fn shallow_trend_clone() -> (Git, tempfile::TempDir) {
    let g = trend_repo();
    let clone = tempfile::tempdir().expect("tempdir");
    let target = clone.path().join("c");
    g.git(&[
        "clone",
        "-q",
        "--depth",
        "1",
        &format!("file://{}", g.path().display()),
        &target.display().to_string(),
    ]);
    (g, clone)
}

#[test]
fn a_shallow_clone_truncates_the_trend_and_cannot_compare_further_back() {
    let (g, clone) = shallow_trend_clone();
    let target = clone.path().join("c");
    let reg = target.join("reg");
    let doc = report_json(&reg, &[]);
    let rows = trend_rows(&doc);
    let head = g.git(&["rev-parse", "--short=7", "HEAD"]);
    assert_eq!(rows[0], "2025-10 - - - - unknown (shallow clone)");
    assert_eq!(rows[10], "2026-08 - - - - unknown (shallow clone)");
    assert_eq!(rows[11], format!("2026-09 1 1 0 2 {head}"));
    let notes = doc["notes"].to_string();
    assert!(
        notes.contains("The trend is truncated: this is a shallow clone"),
        "{notes}"
    );
    assert!(notes.contains("fetch-depth: 0"), "{notes}");

    let (code, _, err) = airisk(&reg, &["report", "--as-of", AS_OF, "--since", "2026-04-30"]);
    assert_eq!(code, 2);
    assert!(err.contains("truncated (shallow)"), "{err}");
}

#[test]
fn outside_git_the_report_says_so_and_has_no_trend() {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/base"), tmp.path());
    let doc = report_json(tmp.path(), &[]);
    assert!(
        doc["notes"]
            .to_string()
            .contains("No trend over git history: the register is not in a git repository"),
        "{doc}"
    );
    assert!(
        doc["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .all(|s| s["id"] != "trend")
    );
    assert_eq!(doc["control"]["commit"], Value::Null);
}

/// Runs `sha256sum -c` on the manifest in `dir`: (success, output).
fn sha256sum_check(dir: &Path) -> (bool, String) {
    let out = Command::new("sha256sum")
        .args(["-c", "MANIFEST.sha256"])
        .current_dir(dir)
        .output()
        .expect("sha256sum runs");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// The real `sha256sum -c` accepts the manifest of a pack (its comment line included), in a
/// repository and outside git, and catches a changed file.
#[test]
#[ignore = "needs sha256sum: apt-get install coreutils"]
fn the_manifest_of_a_pack_verifies_with_sha256sum() {
    crate::support::require_tool(&["sha256sum"], &[], "apt-get install coreutils");
    let g = trend_repo();
    let reg = g.path().join("reg");
    let (code, out, err) = airisk(&reg, &["pack", "../audit/2026", "--as-of", AS_OF]);
    assert_eq!(code, 0, "{out}{err}");
    let pack = g.path().join("audit/2026");
    let (ok, text) = sha256sum_check(&pack);
    assert!(ok, "{text}");
    assert_eq!(text.matches(": OK").count(), 15, "{text}");
    assert!(!text.contains("WARNING"), "{text}");
    std::fs::write(pack.join("soa.md"), "tampered\n").expect("write");
    let (ok, text) = sha256sum_check(&pack);
    assert!(!ok);
    assert!(text.contains("soa.md: FAILED"), "{text}");

    let tmp = tempfile::tempdir().expect("tempdir");
    let reg = tmp.path().join("reg");
    copy_dir(&root().join("tests/fixtures/base"), &reg);
    let (code, _, err) = airisk(&reg, &["pack", "../pack", "--as-of", AS_OF]);
    assert_eq!(code, 0, "{err}");
    let (ok, text) = sha256sum_check(&tmp.path().join("pack"));
    assert!(ok, "{text}");
    assert!(!text.contains("WARNING"), "{text}");
}

#[test]
fn pack_writes_every_document_and_a_manifest() {
    let g = trend_repo();
    let reg = g.path().join("reg");
    let (code, out, err) = airisk(&reg, &["pack", "../audit/2026", "--as-of", AS_OF]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("Wrote the audit pack to ../audit/2026"),
        "{out}"
    );
    let pack = g.path().join("audit/2026");
    let mut names: Vec<String> = walkdir::WalkDir::new(&pack)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&pack)
                .expect("inside")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "MANIFEST.sha256",
            "README.md",
            "due.html",
            "due.md",
            "history/R-001.html",
            "history/R-001.md",
            "history/R-002.html",
            "history/R-002.md",
            "history/R-003.html",
            "history/R-003.md",
            "register.html",
            "register.md",
            "report.html",
            "report.md",
            "soa.html",
            "soa.md",
        ]
    );
    // Nothing left beside it.
    let beside: Vec<_> = std::fs::read_dir(g.path().join("audit"))
        .expect("read")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(beside, ["2026"]);

    let manifest = std::fs::read_to_string(pack.join("MANIFEST.sha256")).expect("manifest");
    let head = g.git(&["rev-parse", "HEAD"]);
    let first = manifest.lines().next().expect("a line");
    assert_eq!(
        first,
        format!(
            "# airisk audit pack rendered from commit {head} of 2026-09-01, as of {AS_OF}, by airisk {}",
            env!("CARGO_PKG_VERSION")
        )
    );
    assert_eq!(manifest.lines().count(), 16, "{manifest}");
    assert!(!manifest.contains("MANIFEST.sha256\n"), "{manifest}");

    // The documents are the ones the commands render.
    let (_, report, _) = airisk(&reg, &["report", "--as-of", AS_OF]);
    assert_eq!(
        std::fs::read_to_string(pack.join("report.md")).expect("report"),
        report
    );
    let (_, history, _) = airisk(&reg, &["history", "R-001", "--format", "markdown"]);
    assert_eq!(
        std::fs::read_to_string(pack.join("history/R-001.md")).expect("history"),
        history
    );
    let html = std::fs::read_to_string(pack.join("history/R-001.html")).expect("history");
    let (_, command_html, _) = airisk(
        &reg,
        &["history", "R-001", "--format", "html", "--as-of", AS_OF],
    );
    assert_eq!(html, command_html);
    assert!(html.contains("<h1>History of risk R-001</h1>"), "{html}");
    assert!(html.contains("#7"), "the pull request of the raise");
    assert!(html.contains("assessment.likelihood"), "{html}");
    let readme = std::fs::read_to_string(pack.join("README.md")).expect("readme");
    assert!(readme.contains(&format!("commit {head}")), "{readme}");
    assert!(
        readme.contains("| history/R-002.md, history/R-002.html |"),
        "{readme}"
    );
}

/// The pack computes its document control once for its every document: in a shallow clone
/// (the approval of the last change unknown, a note), and with an as-of day before the last
/// commit (a warning), each history carries the note or the warning once, as the `history`
/// command renders it.
#[test]
fn pack_documents_carry_the_document_control_the_commands_give_them() {
    let (g, clone) = shallow_trend_clone();
    let target = clone.path().join("c");
    let cases = [
        (target.join("reg"), AS_OF, "Git history is truncated"),
        (
            g.path().join("reg"),
            "2026-08-15",
            "the register changed after",
        ),
    ];
    for (reg, as_of, said) in cases {
        let (code, out, err) = airisk(&reg, &["pack", "../pack", "--as-of", as_of]);
        assert_eq!(code, 0, "{out}{err}");
        let pack = reg.join("../pack");
        for id in ["R-001", "R-002", "R-003"] {
            let html =
                std::fs::read_to_string(pack.join(format!("history/{id}.html"))).expect("html");
            let (_, command, _) =
                airisk(&reg, &["history", id, "--format", "html", "--as-of", as_of]);
            assert_eq!(html, command, "{id}");
            assert_eq!(html.matches(said).count(), 1, "{html}");
        }
        let report = std::fs::read_to_string(pack.join("report.html")).expect("report");
        assert_eq!(report.matches(said).count(), 1, "{report}");
    }
}

/// A risk removed from the register keeps its record in the pack: its history ends with the
/// removal, and it is the document `history` renders for it. A renamed risk file is not a
/// removal, and a risk removed and added again is the register's.
#[test]
fn pack_keeps_the_history_of_removed_risks() {
    let g = trend_repo();
    g.git(&["rm", "-q", "reg/risks/R-003.yaml"]);
    g.git(&["mv", "reg/risks/R-002.yaml", "reg/risks/R-002-renamed.yaml"]);
    g.date("2026-09-10")
        .commit("Remove R-003, rename R-002's file");
    let reg = g.path().join("reg");
    let (code, out, err) = airisk(&reg, &["pack", "../audit", "--as-of", AS_OF]);
    assert_eq!(code, 0, "{out}{err}");
    let pack = g.path().join("audit");
    let mut names: Vec<String> = std::fs::read_dir(pack.join("history"))
        .expect("history")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "R-001.html",
            "R-001.md",
            "R-002.html",
            "R-002.md",
            "R-003.html",
            "R-003.md"
        ]
    );
    let md = std::fs::read_to_string(pack.join("history/R-003.md")).expect("R-003");
    let (code, history, err) = airisk(&reg, &["history", "R-003", "--format", "markdown"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(md, history);
    assert!(md.contains("Remove R-003"), "{md}");
    let readme = std::fs::read_to_string(pack.join("README.md")).expect("readme");
    assert!(
        readme.contains(
            "| history/R-003.md, history/R-003.html | risk R-003, removed from the register"
        ),
        "{readme}"
    );
    assert!(
        readme.contains(
            "| history/R-002.md, history/R-002.html | the commits that changed risk R-002"
        ),
        "{readme}"
    );
}

/// The ids of removed risks come from old files that nothing checked: a pull request can
/// write any id into a risk file and delete it. Each still gets one history whose file name
/// is safe (no folder, no hidden file, at most 100 characters, unique case-insensitively
/// beside the register's risks), and the README and the documents escape the id. A risk
/// removed, added again and removed again has one history, ending with its last removal; a
/// removed file that is not UTF-8 gives none and breaks nothing; and a removal before the
/// register folder moved is found.
#[test]
fn pack_histories_of_removed_risks_with_hostile_ids() {
    let g = trend_repo();
    let template = g.read("reg/risks/R-003.yaml");
    let with_id = |id: &str| template.replacen("id: R-003", &format!("id: {id}"), 1);
    let hostile = [
        "\"<script>x</script>\\n# H <!-- | c | \\u001b[31m\"",
        "\"../../etc/passwd\"",
        "r-001",
        &"Z".repeat(10_000),
    ];
    for (i, id) in hostile.iter().enumerate() {
        g.write(&format!("reg/risks/H-{i}.yaml"), &with_id(id));
    }
    let mut latin1 = with_id("L-1").into_bytes();
    latin1.extend_from_slice(b"# caf\xe9\n");
    std::fs::write(g.path().join("reg/risks/L-1.yaml"), &latin1).expect("write");
    g.date("2026-09-05").commit("Add risks with hostile ids");
    g.git(&["rm", "-q", "reg/risks/H-0.yaml", "reg/risks/H-1.yaml"]);
    g.git(&["rm", "-q", "reg/risks/H-2.yaml", "reg/risks/H-3.yaml"]);
    g.git(&["rm", "-q", "reg/risks/L-1.yaml", "reg/risks/R-003.yaml"]);
    g.date("2026-09-06").commit("Remove them, and R-003");
    g.write("reg/risks/R-003.yaml", &template);
    g.date("2026-09-07").commit("Add R-003 again");
    g.git(&["mv", "reg", "register"]);
    g.date("2026-09-08").commit("Move the register");
    g.git(&["rm", "-q", "register/risks/R-003.yaml"]);
    g.date("2026-09-09").commit("Remove R-003 again");

    let reg = g.path().join("register");
    let (code, out, err) = airisk(&reg, &["pack", "../audit", "--as-of", AS_OF]);
    assert_eq!(code, 0, "{out}{err}");
    let pack = g.path().join("audit");
    let mut names: Vec<String> = std::fs::read_dir(pack.join("history"))
        .expect("history")
        .map(|e| {
            let e = e.expect("entry");
            assert!(e.file_type().expect("type").is_file(), "{e:?}");
            e.file_name().to_string_lossy().into_owned()
        })
        .collect();
    names.sort();
    for n in &names {
        let stem = n.trim_end_matches(".html").trim_end_matches(".md");
        assert!(
            !stem.starts_with('.')
                && stem.len() <= 100
                && stem
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
            "{n}"
        );
    }
    let stems: std::collections::BTreeSet<&str> = names
        .iter()
        .map(|n| n.trim_end_matches(".html").trim_end_matches(".md"))
        .collect();
    let z = "Z".repeat(100);
    let want: std::collections::BTreeSet<&str> = [
        "R-001",
        "R-002",
        "R-003",
        "r-001-2",
        "_.._.._etc_passwd",
        "_script_x__script____H___--___c_____31m",
        z.as_str(),
    ]
    .into_iter()
    .collect();
    assert_eq!(stems, want, "{names:?}");
    assert_eq!(names.len(), 2 * want.len());

    let readme = std::fs::read_to_string(pack.join("README.md")).expect("readme");
    for bad in ["<script", "<!--", "\u{1b}"] {
        assert!(!readme.contains(bad), "{bad:?} in the README:\n{readme}");
    }
    // One table row per history: no id breaks a row.
    let rows = readme
        .lines()
        .filter(|l| l.starts_with("| history/"))
        .count();
    assert_eq!(rows, want.len(), "{readme}");
    assert!(
        readme.contains("| history/r-001-2.md, history/r-001-2.html | risk r-001, removed"),
        "{readme}"
    );
    let html =
        std::fs::read_to_string(pack.join("history/_script_x__script____H___--___c_____31m.html"))
            .expect("html");
    assert!(!html.contains("<script>x"), "{html}");
    assert!(!html.contains('\u{1b}'), "{html}");

    // R-003: its last life, from the second addition to the second removal (after the move).
    let md = std::fs::read_to_string(pack.join("history/R-003.md")).expect("R-003");
    assert!(md.contains("Remove R-003 again"), "{md}");
    assert!(md.contains("Add R-003 again"), "{md}");
    let (code, history, err) = airisk(&reg, &["history", "R-003", "--format", "markdown"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(md, history);
    // Every file of the pack is in the manifest, and only those.
    let manifest = std::fs::read_to_string(pack.join("MANIFEST.sha256")).expect("manifest");
    let listed = manifest.lines().filter(|l| !l.starts_with('#')).count();
    assert_eq!(listed, 2 * 4 + 1 + names.len(), "{manifest}");
}

/// A pull request merged commit by commit (a rebase merge) can break a risk file and then
/// delete it: CI checks only the last commit, where the file is gone. The removed risk's last
/// version does not parse, but its record stays: it is found by its `id:` line, in the pack
/// and by `history`.
#[test]
fn pack_keeps_a_removed_risk_whose_last_version_does_not_parse() {
    let g = trend_repo();
    g.edit("reg/risks/R-003.yaml", "title: ", "title: [unclosed ");
    g.date("2026-09-05").commit("Break R-003");
    g.git(&["rm", "-q", "reg/risks/R-003.yaml"]);
    g.date("2026-09-06").commit("Remove R-003");
    let reg = g.path().join("reg");
    let (code, out, err) = airisk(&reg, &["pack", "../audit", "--as-of", AS_OF]);
    assert_eq!(code, 0, "{out}{err}");
    let pack = g.path().join("audit");
    let md = std::fs::read_to_string(pack.join("history/R-003.md")).expect("R-003's history");
    assert!(
        md.contains("Remove R-003") && md.contains("Break R-003"),
        "{md}"
    );
    let (code, history, err) = airisk(&reg, &["history", "R-003", "--format", "markdown"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(md, history);
    let readme = std::fs::read_to_string(pack.join("README.md")).expect("readme");
    assert!(
        readme.contains("| history/R-003.md, history/R-003.html | risk R-003, removed"),
        "{readme}"
    );
}

#[test]
fn pack_refuses_a_non_empty_folder_and_writes_into_an_empty_one() {
    let g = trend_repo();
    let reg = g.path().join("reg");
    g.write("out/keep.txt", "mine");
    let (code, _, err) = airisk(&reg, &["pack", "../out", "--as-of", AS_OF]);
    assert_eq!(code, 2);
    assert!(err.contains("the folder is not empty"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    let left: Vec<_> = std::fs::read_dir(g.path().join("out"))
        .expect("read")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(left, ["keep.txt"]);
    // A file in the way is refused too.
    let (code, _, err) = airisk(&reg, &["pack", "../out/keep.txt", "--as-of", AS_OF]);
    assert_eq!(code, 2);
    assert!(err.contains("is not a folder"), "{err}");
    // No temporary folder is left anywhere.
    let top: Vec<String> = std::fs::read_dir(g.path())
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(top.iter().all(|n| !n.contains("airisk-tmp")), "{top:?}");

    // An existing empty folder is fine.
    std::fs::create_dir(g.path().join("empty")).expect("mkdir");
    let (code, _, err) = airisk(&reg, &["pack", "../empty", "--as-of", AS_OF]);
    assert_eq!(code, 0, "{err}");
    assert!(g.path().join("empty/MANIFEST.sha256").is_file());
}

#[test]
fn pack_outside_git_says_there_is_no_history() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let reg = tmp.path().join("reg");
    copy_dir(&root().join("tests/fixtures/base"), &reg);
    let (code, _, err) = airisk(&reg, &["pack", "../pack", "--as-of", AS_OF]);
    assert_eq!(code, 0, "{err}");
    let pack = tmp.path().join("pack");
    assert!(!pack.join("history").exists());
    let manifest = std::fs::read_to_string(pack.join("MANIFEST.sha256")).expect("manifest");
    assert!(
        manifest
            .starts_with("# airisk audit pack rendered from a register outside git (no commit)"),
        "{manifest}"
    );
    let readme = std::fs::read_to_string(pack.join("README.md")).expect("readme");
    assert!(
        readme.contains("the register is not in a git repository"),
        "{readme}"
    );
}

#[test]
fn hostile_text_is_escaped_in_the_report() {
    // The hostile fixture, with hostile level names too (they reach the chart and headings).
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/hostile"), tmp.path());
    let toml = tmp.path().join("airisk.toml");
    let text = std::fs::read_to_string(&toml).expect("toml");
    std::fs::write(
        &toml,
        text.replacen(
            "name = \"medium\"",
            "name = \"<b>med</b> | </title><script>x()</script>\"",
            1,
        ),
    )
    .expect("write");
    let loaded = load::load(tmp.path()).expect("loads");
    let reg = &loaded.register;
    let as_of = date("2026-11-01");
    let inputs = Inputs {
        period_start: date("2025-11-01"),
        since: Some(date("2025-11-01")),
        trend: Trend::Points(vec![
            Point {
                day: date("2026-09-30"),
                label: "2026-09".into(),
                commit: Some("<i>c</i>".into()),
                state: Snapshot::Register(reg),
            },
            Point {
                day: as_of,
                label: "as of".into(),
                commit: None,
                state: Snapshot::Register(reg),
            },
        ]),
        changes: Some(Changes {
            since: date("2025-11-01"),
            base: None,
            diff: None,
        }),
    };
    let doc = governance::build(reg, as_of, &inputs);
    let opts = render::Options::default();
    let html = render::render(&doc, Format::Html, &opts).expect("html");
    for tag in ["<script", "<img", "<b>", "<i>"] {
        assert_eq!(html.matches(tag).count(), 0, "raw `{tag}` in HTML");
    }
    assert!(html.contains("&lt;script&gt;alert(1)"));
    assert!(html.contains("&lt;b&gt;med&lt;"), "the level name as text");
    assert_eq!(html.matches("<svg ").count(), 1);
    assert_eq!(
        html.matches("</title>").count(),
        1 + 1 + html.matches("<rect").count()
    );
    assert_eq!(
        html.matches("<table").count(),
        html.matches("</table>").count()
    );

    let md = render::render(&doc, Format::Markdown, &opts).expect("markdown");
    let mut expected: Option<usize> = None;
    for line in md.lines() {
        if line.starts_with('|') {
            let n = cell_separators(line);
            match expected {
                None => expected = Some(n),
                Some(e) => assert_eq!(n, e, "markdown row breaks its table: {line}"),
            }
        } else {
            expected = None;
        }
        assert!(
            !line.contains("<script") && !line.contains("<img") && !line.contains("<b>"),
            "raw HTML in markdown: {line}"
        );
    }
    // JSON keeps the text exactly.
    let json: Value =
        serde_json::from_str(&render::render(&doc, Format::Json, &opts).expect("json"))
            .expect("valid JSON");
    assert_eq!(json["kind"], "report");
}

/// Each risk's reading, compactly and in full (every field and span), with the file ids left
/// out: a reading shared with the register of the report has that register's file ids.
fn readings<'a>(risks: impl Iterator<Item = &'a airisk::model::Risk>) -> Vec<String> {
    risks
        .map(|r| {
            let text = format!("{r:?}");
            let mut out = String::new();
            let mut rest = text.as_str();
            while let Some(at) = rest.find("FileId(") {
                out.push_str(&rest[..at + "FileId(".len()]);
                rest = &rest[at + "FileId(".len()..];
                rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            }
            out.push_str(rest);
            out
        })
        .collect()
}

#[test]
fn the_trend_reads_every_revision_as_a_whole_load_of_it_does_sharing_unchanged_files() {
    let g = trend_repo();
    let reg = g.path().join("reg");
    let clean = report_json(&reg, &[]);
    // The working tree differs from HEAD: R-002 no longer parses, R-003 is a link (never
    // read), and R-009 has the bytes R-001 had in the first commit, under another name.
    let first_r1 = g.git(&["show", "HEAD~4:reg/risks/R-001.yaml"]) + "\n";
    g.write("reg/risks/R-009.yaml", &first_r1);
    g.write("reg/risks/R-002.yaml", "id: R-002\ntitle: [unclosed\n");
    #[cfg(unix)]
    {
        let r3 = reg.join("risks/R-003.yaml");
        let text = std::fs::read_to_string(&r3).expect("R-003");
        std::fs::create_dir_all(g.path().join("elsewhere")).expect("mkdir");
        std::fs::write(g.path().join("elsewhere/R-003.yaml"), text).expect("write");
        std::fs::remove_file(&r3).expect("rm");
        std::os::unix::fs::symlink("../../elsewhere/R-003.yaml", &r3).expect("link");
    }
    assert_eq!(
        std::fs::read_to_string(reg.join("risks/R-009.yaml")).expect("R-009"),
        g.git(&["show", "HEAD~4:reg/risks/R-001.yaml"]) + "\n",
        "R-009 holds the first commit's R-001 byte for byte"
    );
    let working = load::load(&reg).expect("loads");
    let repo = airisk::git::Repo::discover(&reg)
        .expect("discover")
        .expect("a repository");
    // Every commit of the history, the merged branch's own included.
    for spec in ["HEAD", "HEAD~1", "HEAD~2", "HEAD~2^2", "HEAD~3", "HEAD~4"] {
        let rev = repo.resolve(spec).expect("resolves");
        let whole = load::load_tree(&repo.tree(&rev, "reg").expect("tree"), &reg).expect("loads");
        let tree = repo.tree(&rev, "reg").expect("tree");
        let held = airisk::workspace::report::trend_reading(&tree, &reg, &working).expect("reads");
        assert_eq!(
            readings(held.iter().map(|h| h.risk())),
            readings(whole.register.risks.iter().map(|r| &**r)),
            "{spec}"
        );
        let shared: Vec<&str> = held
            .iter()
            .filter(|h| h.is_shared())
            .map(|h| h.risk().id.value.as_str())
            .collect();
        let expected: &[&str] = match spec {
            // R-001 is unchanged since HEAD; R-002 and R-003 are not read from the working tree.
            "HEAD" => &["R-001"],
            // R-001 was open and raised then; R-003 is HEAD's, but a link in the working
            // tree (never read there, so nothing to share).
            "HEAD~1" | "HEAD~2" | "HEAD~2^2" => &[],
            // The first commit's R-001 (unchanged until the raise) is R-009's bytes.
            "HEAD~3" | "HEAD~4" => &["R-001"],
            _ => unreachable!(),
        };
        assert_eq!(shared, expected, "{spec}");
    }
    // The report of the changed working tree has the same trend of the past as a clean one.
    let dirty = report_json(&reg, &[]);
    let past = |doc: &Value| {
        let mut rows = trend_rows(doc);
        rows.pop();
        rows
    };
    assert_eq!(past(&dirty), past(&clean));
    assert_eq!(trend_rows(&clean).len(), 13);
}
