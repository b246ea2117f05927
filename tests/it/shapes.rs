//! The shapes of machine-readable outputs (docs/cli.md, "Numbers and pull requests"): every
//! JSON output of a register with a merged pull request writes `pull_request` as a number
//! (with `pull_request_ref`, `#7` or `!9`, beside it), and writes counts, scores and readings as
//! numbers, never as text; CSV writes the pull request's number too.

use crate::git::airisk;
use crate::report::trend_repo;
use serde_json::Value;

/// The keys whose value is text even when it is made of digits: what was written in a
/// file (a field change's `before`/`after`, a monitor's `threshold` expression, an id),
/// a clause number, a commit.
const TEXT_KEYS: &[&str] = &["before", "after", "threshold", "clauses", "id", "short"];

/// Every (path, value) pair of a JSON value, with the key each value sits under.
fn walk<'a>(v: &'a Value, key: &str, path: String, out: &mut Vec<(String, String, &'a Value)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                walk(x, k, format!("{path}.{k}"), out);
            }
        }
        Value::Array(items) => {
            for x in items {
                walk(x, key, format!("{path}[]"), out);
            }
        }
        _ => out.push((path, key.to_string(), v)),
    }
}

fn number_like(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_digit() || c == '.')
        && s.chars().next().is_some_and(|c| c.is_ascii_digit())
        && s.matches('.').count() <= 1
}

#[test]
fn every_json_output_writes_pull_requests_and_numbers_as_numbers() {
    // trend_repo merges GitHub's pull request #7; a GitLab merge request !9 is the last
    // change, so every document's control names it too.
    let g = trend_repo();
    g.git(&["checkout", "-q", "-b", "retitle"]);
    g.edit(
        "reg/risks/R-003.yaml",
        "title: Provider retires",
        "title: The provider retires",
    );
    g.date("2026-09-20").commit("Retitle R-003");
    g.git(&["checkout", "-q", "main"]);
    g.date("2026-09-21").merge(
        "retitle",
        "Merge branch 'retitle' into 'main'\n\nSee merge request acme/risks!9",
    );
    let dir = g.path().join("reg");
    let runs: &[&[&str]] = &[
        &["check", "--format", "json"],
        &[
            "register",
            "--provenance",
            "--status",
            "all",
            "--format",
            "json",
        ],
        &["soa", "--format", "json"],
        &["due", "--format", "json"],
        &["matrix", "--format", "json"],
        &["report", "--format", "json"],
        &["obligations", "--format", "json"],
        &["monitor", "--format", "json"],
        &["show", "R-001", "--format", "json"],
        &["history", "R-001", "--format", "json"],
        &["diff", "HEAD~4", "HEAD", "--format", "json"],
        &["taxonomy", "--format", "json"],
    ];
    let mut pull_requests = 0;
    for args in runs {
        let mut argv = vec!["--as-of", "2026-11-01"];
        argv.extend_from_slice(args);
        let (code, out, err) = airisk(&dir, &argv);
        assert!(code == 0 || code == 1, "{args:?}: {code} {err}");
        let json: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        let mut leaves = Vec::new();
        walk(&json, "", String::new(), &mut leaves);
        for (path, key, v) in leaves {
            if key == "pull_request" || key.ends_with("pull_request") || key == "pr" {
                assert!(
                    v.is_null() || v.is_u64(),
                    "{args:?} {path}: a pull request is a number, not {v}"
                );
                pull_requests += usize::from(v.is_u64());
            }
            if key.ends_with("_ref") && !v.is_null() {
                let r = v.as_str().unwrap_or_else(|| panic!("{args:?} {path}: {v}"));
                assert!(r == "#7" || r == "!9", "{args:?} {path}: {r}");
            }
            if let Some(s) = v.as_str()
                && !TEXT_KEYS.contains(&key.as_str())
                && !key.ends_with("_ref")
            {
                assert!(
                    !number_like(s) && !s.starts_with('#'),
                    "{args:?} {path}: {s:?} is a number written as text"
                );
            }
        }
    }
    // register --provenance, show, history (entry and merge), every document's control.
    assert!(pull_requests >= 10, "{pull_requests} pull requests seen");

    // CSV writes the number too.
    let (code, csv, err) = airisk(
        &dir,
        &[
            "register",
            "--provenance",
            "--status",
            "all",
            "--format",
            "csv",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let mut rd = csv::Reader::from_reader(csv.as_bytes());
    let head = rd.headers().expect("header").clone();
    let at = head
        .iter()
        .position(|h| h == "pull_request")
        .expect("column");
    let prs: Vec<String> = rd
        .records()
        .map(|r| r.expect("record")[at].to_string())
        .filter(|c| !c.is_empty())
        .collect();
    assert!(
        !prs.is_empty() && prs.iter().all(|c| c == "7" || c == "9"),
        "{prs:?}"
    );
}
