//! Approvals are evidence, not claims (SPEC §7, docs/git.md "Approvals and claims"): on
//! throwaway repositories with pinned authors, committers and dates, the trailer a pull
//! request's author forges in their own branch commit is no approval in any output (history
//! in every format, provenance, document control of every document, the audit pack); a
//! self-merge is none; an untrusted committer's trailer is a claim; a trusted merge with a
//! reviewer's trailer is an approval; `[git] trusted_committers` replaces the default.

use crate::git::{GITHUB, Git, airisk, history, trusted};
use serde_json::Value;
use std::path::{Path, PathBuf};

const MO: (&str, &str) = ("Mo Khan", "mo@example.com");
const BEA: (&str, &str) = ("Bea Jones", "bea@example.com");
/// The approver the attacker names: nobody approved anything under this name.
const FORGED: &str = "Rae Forde <rae@example.com>";
const AS_OF: &str = "2026-11-01";

/// The base register in reg/, then a pull request by Mo raising R-001, merged as `merge`
/// (by `merger`, committed by `committer`) with `merge_msg`. The branch commit's message
/// is `branch_msg`.
fn pull_request(
    branch_msg: &str,
    merge_msg: &str,
    merger: (&str, &str),
    committer: (&str, &str),
) -> (Git, PathBuf, [String; 2]) {
    let g = Git::init();
    g.base("reg");
    g.date("2026-09-01").commit("Add the AI risk register");
    g.git(&["checkout", "-q", "-b", "raise-r1"]);
    g.edit("reg/risks/R-001.yaml", "likelihood: 3", "likelihood: 4");
    let branch = g.date("2026-09-20").commit_as(MO, branch_msg);
    g.git(&["checkout", "-q", "main"]);
    let merge = g
        .date("2026-09-22")
        .merge_by("raise-r1", merge_msg, merger, committer);
    let reg = g.path().join("reg");
    (g, reg, [branch, merge])
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let (code, out, err) = airisk(dir, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}\n{out}"))
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let (code, out, err) = airisk(dir, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

/// `name` occurs in `text`, and every occurrence is a claim: followed, within its cell or
/// line, by "not an approval".
fn only_claimed(text: &str, name: &str) -> Result<(), String> {
    let hits: Vec<usize> = text.match_indices(name).map(|(i, _)| i).collect();
    if hits.is_empty() {
        return Err(format!("`{name}` is not shown at all"));
    }
    for i in hits {
        let rest = &text[i + name.len()..];
        let end = rest
            .find(['|', '\n', ',', '"'])
            .into_iter()
            .chain(rest.find("<td"))
            .chain(rest.find("</td"))
            .min()
            .unwrap_or(rest.len());
        if !rest[..end].contains("not an approval") {
            let from = text[..i].rfind('\n').map_or(0, |n| n + 1);
            return Err(format!(
                "`{name}` shown as something other than a claim: {}",
                &text[from..(i + name.len() + end).min(text.len())]
            ));
        }
    }
    Ok(())
}

/// The provenance cells of R-001 in `register --provenance --format json`.
fn provenance_row(reg: &Path) -> Value {
    let doc = json(
        reg,
        &[
            "register",
            "--provenance",
            "--format",
            "json",
            "--as-of",
            AS_OF,
        ],
    );
    doc["sections"][0]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["id"] == "R-001")
        .expect("R-001")
        .clone()
}

#[test]
fn a_forged_trailer_in_the_authors_branch_commit_is_no_approval_anywhere() {
    // The attack: Mo writes the approval into his own commit. Bea merges the pull
    // request with GitHub's button, which is the one approval there is.
    let (g, reg, [branch, merge]) = pull_request(
        &format!("Raise R-001 after the Q3 test\n\nApproved-by: {FORGED}"),
        "Merge pull request #7 from mo/raise-r1\n\nRaise R-001",
        BEA,
        GITHUB,
    );
    let bea = "Bea Jones <bea@example.com>";
    let name = "Rae Forde";

    // history, every format.
    let human = ok(&reg, &["history", "R-001"]);
    only_claimed(&human, name).unwrap();
    assert!(
        human.contains(&format!(
            "    approved by: {bea}\n    Approved-by: {FORGED} — not an approval: claimed in a branch commit ({branch})\n"
        )),
        "{human}"
    );
    let md = ok(&reg, &["history", "R-001", "--format", "markdown"]);
    only_claimed(&md, name).unwrap();
    let html = ok(&reg, &["history", "R-001", "--format", "html"]);
    only_claimed(&html, name).unwrap();
    let v = json(&reg, &["history", "R-001", "--format", "json"]);
    let c = &v["commits"][0];
    assert_eq!(c["approved_by"], serde_json::json!([bea]), "{c}");
    assert_eq!(c["merged_by"], bea);
    assert_eq!(c["claimed"][0]["value"], FORGED);
    assert_eq!(c["claimed"][0]["reason"], "branch-commit");
    assert_eq!(c["claimed"][0]["commit"], branch.as_str());
    assert!(!c["approved_by"].to_string().contains(name));

    // Provenance: register --provenance and show.
    let row = provenance_row(&reg);
    assert_eq!(row["approved_by"], serde_json::json!([bea]), "{row}");
    assert!(row["claimed"].to_string().contains(name), "{row}");
    for format in ["csv", "markdown", "html", "table"] {
        let out = ok(
            &reg,
            &[
                "register",
                "--provenance",
                "--format",
                format,
                "--as-of",
                AS_OF,
            ],
        );
        // A terminal table wraps nothing when piped, but its cells are not separated by
        // the characters `only_claimed` knows: look for the name in the claim text.
        if format == "table" {
            assert!(
                out.contains(&format!("{FORGED} — not an approval")),
                "{out}"
            );
            continue;
        }
        only_claimed(&out, name).unwrap_or_else(|e| panic!("{format}: {e}\n{out}"));
    }
    for format in ["markdown", "html"] {
        let out = ok(
            &reg,
            &["show", "R-001", "--format", format, "--as-of", AS_OF],
        );
        only_claimed(&out, name).unwrap_or_else(|e| panic!("show {format}: {e}\n{out}"));
    }
    let show = json(
        &reg,
        &["show", "R-001", "--format", "json", "--as-of", AS_OF],
    );
    assert!(!show["control"]["approver"].to_string().contains(name));

    // Document control of every document: Bea approved (she merged); the forged trailer is
    // shown as a claim.
    for cmd in ["register", "soa", "due", "matrix", "report"] {
        for format in ["markdown", "html"] {
            let out = ok(&reg, &[cmd, "--format", format, "--as-of", AS_OF]);
            only_claimed(&out, name).unwrap_or_else(|e| panic!("{cmd} {format}: {e}"));
            // Markdown breaks the e-mail address so that GitHub links nothing from data.
            let bea_shown = if format == "markdown" {
                "Bea Jones &lt;bea@&#8203;example.com&gt;"
            } else {
                "Bea Jones &lt;bea@example.com&gt;"
            };
            assert!(out.contains(bea_shown), "{cmd} {format}");
        }
        if cmd != "report" {
            let v = json(&reg, &[cmd, "--format", "json", "--as-of", AS_OF]);
            assert_eq!(v["control"]["approver"], bea, "{cmd}");
            assert!(
                v["control"]["claimed"][0].as_str().is_some_and(
                    |c| c.starts_with(&format!("Approved-by: {FORGED} — not an approval"))
                ),
                "{cmd}: {}",
                v["control"]
            );
        }
    }

    // The audit pack: every file that names the forged approver names it as a claim.
    let pack = g.path().join("pack");
    ok(
        &reg,
        &["pack", &pack.display().to_string(), "--as-of", AS_OF],
    );
    let mut seen = 0;
    for entry in walkdir::WalkDir::new(&pack) {
        let entry = entry.expect("pack file");
        if !entry.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("text");
        if text.contains(name) {
            seen += 1;
            only_claimed(&text, name).unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
        }
    }
    assert!(
        seen >= 8,
        "the claim is shown in the pack's documents: {seen}"
    );
    assert!(
        std::fs::read_to_string(pack.join("history/R-001.md"))
            .expect("history in the pack")
            .contains(&format!("Merged in `{merge}`")),
    );
}

#[test]
fn a_self_merge_is_not_an_approval() {
    // Mo merges his own pull request with GitHub's button (under another spelling of his
    // address) and names himself in the merge message: neither counts.
    let (_g, reg, [_, merge]) = pull_request(
        "Raise R-001",
        "Merge pull request #8 from mo/raise-r1\n\nRaise R-001\n\nApproved-by: M. Khan <MO@EXAMPLE.COM>",
        ("M. Khan", "Mo@Example.com"),
        GITHUB,
    );
    let dc = history(&reg).document_control(&trusted());
    assert_eq!(dc.approver, None);
    let reasons: Vec<(&str, &str)> = dc
        .claimed
        .iter()
        .map(|c| (c.trailer.as_str(), c.reason))
        .collect();
    assert_eq!(
        reasons,
        [("Approved-by", "own-change"), ("Merged-by", "own-change")]
    );
    let v = json(&reg, &["history", "R-001", "--format", "json"]);
    assert_eq!(v["commits"][0]["approved_by"], serde_json::json!([]));
    assert_eq!(v["commits"][0]["merged_by"], Value::Null);
    assert_eq!(v["commits"][0]["claimed"][1]["trailer"], "Merged-by");
    let human = ok(&reg, &["history", "R-001"]);
    assert!(!human.contains("approved by:"), "{human}");
    assert!(
        human.contains(&format!(
            "Merged-by: M. Khan <Mo@Example.com> — not an approval: merged by an author of the change ({merge})"
        )),
        "{human}"
    );
    let soa = ok(&reg, &["soa", "--as-of", AS_OF]);
    assert!(!soa.contains("| Approved by |"), "{soa}");
    assert!(
        soa.contains("| Claimed, not approved | Merged-by: M. Khan"),
        "{soa}"
    );
    assert_eq!(provenance_row(&reg)["approved_by"], serde_json::json!([]));
}

#[test]
fn an_untrusted_committers_trailer_is_a_claim() {
    // A merge made on a laptop and pushed: Jane is its committer, not GitHub.
    let (g, reg, [_, merge]) = pull_request(
        "Raise R-001",
        &format!(
            "Merge branch 'raise-r1'\n\nApproved-by: {}",
            "Bea Jones <bea@example.com>"
        ),
        ("Jane Doe", "jane@example.com"),
        ("Jane Doe", "jane@example.com"),
    );
    let dc = history(&reg).document_control(&trusted());
    assert_eq!(
        dc.approver, None,
        "neither the trailer nor the merger counts"
    );
    assert_eq!(dc.claimed.len(), 1);
    assert_eq!(dc.claimed[0].reason, "untrusted-committer");
    assert_eq!(
        dc.claimed[0].describe(),
        format!(
            "Approved-by: Bea Jones <bea@example.com> — not an approval: written in a commit by Jane Doe <jane@example.com>, who is not a trusted committer ({merge})"
        )
    );
    // A direct commit with a trailer: the same.
    g.edit("reg/risks/R-002.yaml", "likelihood: 2", "likelihood: 1");
    g.date("2026-09-25")
        .commit("Lower R-002\n\nReviewed-by: Bea Jones <bea@example.com>");
    let c = history(&reg);
    let a = c
        .last_change("risks/R-002.yaml")
        .expect("R-002")
        .approvals(&trusted());
    assert!(a.reviewed_by.is_empty(), "{a:?}");
    assert_eq!(a.claimed[0].reason, "untrusted-committer");
    let row = json(
        &reg,
        &[
            "register",
            "--provenance",
            "--format",
            "json",
            "--as-of",
            AS_OF,
        ],
    );
    let r2 = row["sections"][0]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["id"] == "R-002")
        .expect("R-002")
        .clone();
    assert!(
        r2["claimed"][0]
            .as_str()
            .is_some_and(|s| s.contains("who is not a trusted committer")),
        "{r2}"
    );
}

#[test]
fn a_trusted_merge_with_a_reviewers_trailer_is_an_approval() {
    let (g, reg, [branch, _]) = pull_request(
        "Raise R-001",
        "Merge pull request #9 from mo/raise-r1\n\nRaise R-001\n\nApproved-by: Bea Jones <bea@example.com>\nReviewed-by: Cy Lee <cy@example.com>",
        ("Alex Smith", "alex@example.com"),
        GITHUB,
    );
    let h = history(&reg);
    let dc = h.document_control(&trusted());
    assert_eq!(
        dc.approver.as_deref(),
        Some("Bea Jones <bea@example.com>, Alex Smith <alex@example.com>")
    );
    assert!(dc.claimed.is_empty(), "{:?}", dc.claimed);
    let c = h.last_change("risks/R-001.yaml").expect("R-001");
    assert_eq!(c.commit.short, branch);
    let a = c.approvals(&trusted());
    assert_eq!(a.reviewed_by, ["Cy Lee <cy@example.com>"]);
    let human = ok(&reg, &["history", "R-001"]);
    assert!(
        human.contains(
            "    approved by: Bea Jones <bea@example.com>, Alex Smith <alex@example.com>\n    reviewed by: Cy Lee <cy@example.com>\n"
        ),
        "{human}"
    );
    assert!(!human.contains("not an approval"), "{human}");

    // A GitHub squash merge by the pull request's author: its reviewer counts, the author's
    // own name in it does not.
    g.edit("reg/risks/R-002.yaml", "likelihood: 2", "likelihood: 1");
    g.date("2026-09-25").commit_by(
        MO,
        GITHUB,
        "Lower R-002 (#10)\n\nReviewed-by: Bea Jones <bea@example.com>\nApproved-by: Mo Khan <mo@example.com>",
    );
    let a = history(&reg)
        .last_change("risks/R-002.yaml")
        .expect("R-002")
        .approvals(&trusted());
    assert_eq!(a.reviewed_by, ["Bea Jones <bea@example.com>"]);
    assert!(a.approved_by.is_empty());
    assert_eq!(a.claimed[0].reason, "own-change");
}

#[test]
fn custom_trusted_committers_replace_the_default() {
    // A merge bot writes the trailers; GitHub's own merges are no longer trusted.
    let (g, reg, _) = pull_request(
        "Raise R-001",
        "Merge pull request #11 from mo/raise-r1\n\nApproved-by: Bea Jones <bea@example.com>",
        ("Merge Bot", "bot@acme.example"),
        ("Merge Bot", "bot@acme.example"),
    );
    let toml = reg.join("airisk.toml");
    let base = std::fs::read_to_string(&toml).expect("toml");
    let soa = ok(&reg, &["soa", "--as-of", AS_OF]);
    assert!(
        !soa.contains("| Approved by |"),
        "untrusted by default: {soa}"
    );

    std::fs::write(
        &toml,
        format!("{base}\n[git]\ntrusted_committers = [\"merge bot <BOT@acme.example>\"]\n"),
    )
    .expect("write");
    let soa = ok(&reg, &["soa", "--as-of", AS_OF]);
    assert!(
        soa.contains(
            "| Approved by | Bea Jones &lt;bea@&#8203;example.com&gt;, Merge Bot &lt;bot@&#8203;acme.example&gt; |"
        ),
        "{soa}"
    );
    // The configuration read is the register's own: under `--at` that revision's.
    let (code, out, err) = airisk(&reg, &["--at", "HEAD", "soa", "--as-of", AS_OF]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("| Approved by |"), "{out}");

    // An empty list trusts no one.
    std::fs::write(&toml, format!("{base}\n[git]\ntrusted_committers = []\n")).expect("write");
    let dc_soa = ok(&reg, &["soa", "--as-of", AS_OF]);
    assert!(!dc_soa.contains("| Approved by |"), "{dc_soa}");
    drop(g);
}

#[test]
fn trusted_committers_are_validated_like_any_configuration() {
    let g = Git::init();
    g.base("reg");
    let reg = g.path().join("reg");
    let toml = reg.join("airisk.toml");
    let base = std::fs::read_to_string(&toml).expect("toml");
    let lines = base.lines().count();
    for (extra, line, col, message) in [
        (
            "[git]\ntrusted_committers = [\"GitHub\"]\n",
            lines + 3,
            23,
            "`GitHub` is not a committer identity: write `Name <email>`",
        ),
        (
            "[git]\ntrusted_committers = [\"GitHub <noreply@github.com>\", \"github <NOREPLY@github.com>\"]\n",
            lines + 3,
            54,
            "committer `github <NOREPLY@github.com>` is listed twice",
        ),
        (
            "[git]\ntrusted_committers = [\"Bot <bot>\"]\n",
            lines + 3,
            23,
            "`Bot <bot>` has no email address between `<` and `>`",
        ),
        (
            "[git]\ntrusted_committers = [\"Bot <bot@x>\\nEvil <e@x>\"]\n",
            lines + 3,
            23,
            "a committer is one line of text, without control characters",
        ),
        (
            "[git]\ntrusted_committer = []\n",
            lines + 3,
            1,
            "unknown setting `trusted_committer` in [git]",
        ),
        (
            "[git]\ntrusted_committers = \"GitHub <noreply@github.com>\"\n",
            lines + 3,
            22,
            "`trusted_committers` in [git] must be a list in brackets",
        ),
    ] {
        std::fs::write(&toml, format!("{base}\n{extra}")).expect("write");
        let (code, out, err) = airisk(&reg, &["check", "--as-of", AS_OF]);
        assert_eq!(code, 2, "{extra}: {out}{err}");
        let at = format!("--> airisk.toml:{line}:{col}\n");
        assert!(err.contains(&at), "{extra}: want {at}\n{err}");
        assert!(err.contains(message), "{extra}: want {message}\n{err}");
    }
    std::fs::write(
        &toml,
        format!("{base}\n[git]\ntrusted_committers = [\"GitHub <noreply@github.com>\", \"Merge Bot <bot@acme.example>\"]\n"),
    )
    .expect("write");
    let (code, _, err) = airisk(&reg, &["check", "--as-of", AS_OF]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_merge_whose_branch_a_shallow_clone_cut_off_cannot_be_judged() {
    let (g, _reg, _) = pull_request(
        "Raise R-001",
        "Merge pull request #12 from mo/raise-r1\n\nApproved-by: Bea Jones <bea@example.com>",
        ("Alex Smith", "alex@example.com"),
        GITHUB,
    );
    // Depth 2: the merge and its two parents, whose parents are missing. The branch commit
    // is there, but not what it changed: its authors are not all known.
    let clone = tempfile::tempdir().expect("tempdir");
    let target = clone.path().join("c");
    g.git(&[
        "clone",
        "-q",
        "--depth",
        "2",
        &format!("file://{}", g.path().display()),
        &target.display().to_string(),
    ]);
    let dc = history(&target.join("reg")).document_control(&trusted());
    assert_eq!(dc.approver, None);
    assert!(
        !dc.claimed.is_empty() && dc.claimed.iter().all(|c| c.reason == "shallow-clone"),
        "{:?}",
        dc.claimed
    );
    // The same history, complete, has its approvals.
    let full = history(&g.path().join("reg")).document_control(&trusted());
    assert!(full.approver.is_some());
}

#[test]
fn hostile_trailers_are_escaped_where_claims_are_shown() {
    // A trailer value is git-derived text: it reaches markdown, HTML and the terminal only
    // escaped for each.
    let (_g, reg, _) = pull_request(
        "Raise R-001\n\nApproved-by: Eve <!-- @admin \u{1b}[31m| <e@x>",
        "Merge pull request #13 from mo/raise-r1",
        BEA,
        GITHUB,
    );
    let human = ok(&reg, &["history", "R-001"]);
    assert!(!human.contains('\u{1b}'), "{human:?}");
    assert!(
        human.contains("Approved-by: Eve <!-- @admin \u{fffd}[31m| <e@x> — not an approval"),
        "{human}"
    );
    for args in [
        vec!["history", "R-001", "--format", "markdown"],
        vec!["soa", "--as-of", AS_OF],
        vec![
            "register",
            "--provenance",
            "--format",
            "markdown",
            "--as-of",
            AS_OF,
        ],
    ] {
        let md = ok(&reg, &args);
        assert!(
            !md.contains("<!--") && !md.contains('\u{1b}'),
            "{args:?}: {md}"
        );
        assert!(md.contains("Eve &lt;!--"), "{args:?}: {md}");
    }
    let html = ok(&reg, &["soa", "--format", "html", "--as-of", AS_OF]);
    assert!(
        !html.contains("<!-- @admin") && html.contains("Eve &lt;!--"),
        "{html}"
    );
}
