//! The CI formats of `check` (github, sarif, gitlab): SARIF validates against the official
//! SARIF 2.1.0 schema (vendored in tests/sarif/), every code is a rule, paths are relative to
//! the repository root, fingerprints are stable and unique, output is deterministic.

use crate::support::{copy_dir, root, run_cli as run};
use airisk::diag::CODES;
use serde_json::Value;

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("tests/sarif/sarif-schema-2.1.0.json"))
        .expect("the vendored SARIF schema");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

/// A register with findings of many codes, inside a fake repository, in a subfolder.
fn broken_in_subfolder() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(tmp.path().join(".git")).expect("mkdir .git");
    copy_dir(
        &root().join("tests/cmd/check/broken.in"),
        &tmp.path().join("compliance/ai register"),
    );
    tmp
}

#[test]
fn sarif_is_valid_sarif_2_1_0_and_lists_every_code() {
    let validator = sarif_validator();
    let tmp = broken_in_subfolder();
    let reg = tmp.path().join("compliance/ai register");
    let (code, out) = run(&reg, &["check", "--format", "sarif"]);
    assert_eq!(code, 1);
    let log: Value = serde_json::from_str(&out).expect("SARIF is JSON");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator does check: a wrong level, or a URI with a raw space, is rejected.
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&bad));
    let mut bad = log.clone();
    bad["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = "not a uri".into();
    assert!(!validator.is_valid(&bad));
    assert!(
        log["runs"][0]["tool"]["driver"]["rules"][0]
            .get("helpUri")
            .is_none()
    );

    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), CODES.len());
    for (rule, info) in rules.iter().zip(CODES) {
        assert_eq!(rule["id"], info.name);
        assert_eq!(rule["defaultConfiguration"]["level"], info.default.as_str());
        assert!(rule["help"]["text"].as_str().is_some_and(|t| t.len() > 40));
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .is_some_and(|m| m.contains(&format!("Default level: {}", info.default.as_str())))
        );
    }
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 4);
    let mut fingerprints = Vec::new();
    for r in results {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(r["ruleId"], rules[index]["id"]);
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(uri.starts_with("compliance/ai%20register/"), "{uri}");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(loc["region"]["startLine"].as_u64().is_some_and(|l| l >= 1));
        fingerprints.push(
            r["partialFingerprints"]["airisk/v1"]
                .as_str()
                .expect("fp")
                .to_string(),
        );
    }
    fingerprints.sort();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), results.len());
    // The unknown system points at where system ids live.
    let related = &results[1]["relatedLocations"][0];
    assert_eq!(
        related["physicalLocation"]["artifactLocation"]["uri"],
        "compliance/ai%20register/systems/ticket-triage.yaml"
    );
}

/// Every rule fixture's findings make a valid SARIF log (all codes, labels in other files,
/// waived findings with their suppressions).
#[test]
fn sarif_of_every_rule_case_is_valid() {
    let validator = sarif_validator();
    let (mut n, mut suppressed) = (0, 0);
    for case in crate::rules::checked() {
        let outcome = &case.outcome;
        let mut out = Vec::new();
        airisk::diag::sarif::emit_all(
            &mut out,
            &outcome.diagnostics,
            &outcome.waived,
            &outcome.loaded.sources,
            "",
        )
        .expect("emit");
        let log: Value = serde_json::from_slice(&out).expect("JSON");
        let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", case.name);
        n += outcome.diagnostics.len();
        for r in log["runs"][0]["results"].as_array().expect("results") {
            if let Some(s) = r.get("suppressions") {
                assert_eq!(s[0]["kind"], "external", "{}", case.name);
                assert!(
                    s[0]["justification"]
                        .as_str()
                        .is_some_and(|j| !j.is_empty())
                );
                suppressed += 1;
            }
        }
    }
    assert!(n > 50, "only {n} findings");
    assert!(suppressed > 0, "no rule case has a waived finding");
}

#[test]
fn github_commands_carry_repository_paths() {
    let tmp = broken_in_subfolder();
    let reg = tmp.path().join("compliance/ai register");
    let (code, out) = run(&reg.join("risks"), &["check", "--format", "github"]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{out}");
    assert!(lines[0].starts_with(
        "::error file=compliance/ai register/risks/R-001.yaml,line=2,endLine=2,col=1,endColumn=6,title=unknown-field::"
    ));
    assert!(lines[2].starts_with("::warning file=compliance/ai register/soa.yaml,"));
    assert_eq!(lines[4], "2 errors, 2 warnings in 7 files");
    let (_, quiet) = run(&reg, &["check", "--format", "github", "--quiet"]);
    assert_eq!(quiet.lines().count(), 4);
}

#[test]
fn gitlab_report_is_code_quality() {
    let tmp = broken_in_subfolder();
    let reg = tmp.path().join("compliance/ai register");
    let (code, out) = run(&reg, &["check", "--format", "gitlab"]);
    assert_eq!(code, 1);
    let issues: Vec<Value> = serde_json::from_str(&out).expect("a JSON array");
    assert_eq!(issues.len(), 4);
    let mut fps: Vec<&str> = issues
        .iter()
        .filter_map(|i| i["fingerprint"].as_str())
        .collect();
    for i in &issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(
                i[key].as_str().is_some_and(|s| !s.is_empty()),
                "{key} in {i}"
            );
        }
        assert!(["major", "minor"].contains(&i["severity"].as_str().unwrap_or_default()));
        assert!(
            i["location"]["path"]
                .as_str()
                .is_some_and(|p| p.starts_with("compliance/ai register/"))
        );
        assert!(
            i["location"]["lines"]["begin"]
                .as_u64()
                .is_some_and(|l| l >= 1)
        );
    }
    assert_eq!(issues[0]["severity"], "major");
    assert_eq!(issues[2]["severity"], "minor");
    fps.sort();
    fps.dedup();
    assert_eq!(fps.len(), 4);
    // A clean register is an empty report.
    let (code, out) = run(
        &root().join("examples/minimal"),
        &["check", "--format", "gitlab"],
    );
    assert_eq!((code, out.as_str()), (0, "[]\n"));
}

#[test]
fn machine_formats_are_deterministic() {
    let reg = root().join("examples/acme-bank");
    for format in ["github", "sarif", "gitlab", "json"] {
        let a = run(
            &reg,
            &["check", "--format", format, "--as-of", "2027-06-01"],
        );
        let b = run(
            &reg,
            &["check", "--format", format, "--as-of", "2027-06-01"],
        );
        assert_eq!(a, b, "{format}");
        assert!(
            a.1.len() > 100,
            "{format}: expected findings as of 2027-06-01"
        );
    }
}

#[test]
fn quiet_human_output_is_only_the_findings() {
    let (code, out) = run(&root().join("examples/minimal"), &["check", "--quiet"]);
    assert_eq!((code, out.as_str()), (0, ""));
    let (code, out) = run(&root().join("tests/cmd/check/broken.in"), &["check", "-q"]);
    assert_eq!(code, 1);
    assert!(out.starts_with("error[unknown-field]"), "{out}");
    assert!(!out.contains("errors,"), "{out}");
}

/// GitHub code scanning refuses a run of more than 25,000 results: the log stops there,
/// keeps every error first, stays valid SARIF and says what it left out.
#[test]
fn sarif_stops_at_25000_results_and_says_so() {
    use airisk::diag::{Code, Diagnostic, Severity, sarif};
    use airisk::source::{Sources, Span};
    let mut sources = Sources::default();
    let f = sources.add("risks/R-1.yaml".into(), "id: R-1\n".into());
    // 24,000 warnings, then 1,500 errors (output order is by file, not by level).
    let mut diags: Vec<Diagnostic> = (0..24_000)
        .map(|i| Diagnostic::new(Code::ReviewOverdue, Span::new(f, 0, 2), format!("w{i}")))
        .collect();
    diags.extend((0..1_500).map(|i| {
        let mut d = Diagnostic::new(Code::InvalidValue, Span::new(f, 4, 7), format!("e{i}"));
        d.severity = Severity::Error;
        d
    }));
    let mut out = Vec::new();
    sarif::emit(&mut out, &diags, &sources, "").expect("emit");
    let log: Value = serde_json::from_slice(&out).expect("JSON");
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&log)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &log["runs"][0];
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), sarif::MAX_RESULTS);
    let kept_errors = results.iter().filter(|r| r["level"] == "error").count();
    assert_eq!(kept_errors, 1_500, "every error is kept");
    let note = &run["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "warning");
    let text = note["message"]["text"].as_str().expect("text");
    assert!(
        text.starts_with(
            "500 of 25500 findings were left out: GitHub code scanning takes at most 25000 results"
        ),
        "{text}"
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    assert_eq!(run["properties"]["airisk/truncated"], true);
    assert_eq!(run["properties"]["airisk/resultsTotal"], 25_500);

    // Under the cap: no invocation, no property, every result.
    let mut out = Vec::new();
    sarif::emit(&mut out, &diags[..10], &sources, "").expect("emit");
    let log: Value = serde_json::from_slice(&out).expect("JSON");
    assert!(log["runs"][0].get("invocations").is_none());
    assert!(log["runs"][0].get("properties").is_none());
    assert_eq!(
        log["runs"][0]["results"].as_array().expect("results").len(),
        10
    );
}
