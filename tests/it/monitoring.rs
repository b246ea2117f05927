//! Monitoring readings end to end (SPEC §9): `monitor add` and `monitor import` append
//! without losing a byte and refuse what `check` would reject, writing nothing; the
//! importers read their formats' documented examples; hostile inputs (FIFOs, links, huge
//! files, non-finite numbers, line breaks and formulas in notes, a million rows) are
//! findings or refusals, never a hang, a panic or lost data.

use crate::support::{AS_OF, check_register, copy_dir, date, findings, root, try_cli};
use std::path::{Path, PathBuf};

/// The base fixture with an id on its monitor (`ticket-triage/override-rate`, `<= 15%`,
/// linked to R-001), in a temporary folder.
fn register() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let reg = tmp.path().join("register");
    copy_dir(&root().join("tests/fixtures/base"), &reg);
    let system = reg.join("systems/ticket-triage.yaml");
    let text = std::fs::read_to_string(&system).expect("system");
    let text = text.replace(
        "  - signal: performance\n",
        "  - id: override-rate\n    signal: performance\n",
    );
    let text = text.replace(
        "    owner: bjones\n",
        "    owner: bjones\n    risks: [R-001]\n",
    );
    std::fs::write(&system, text).expect("write");
    (tmp, reg)
}

fn cli(reg: &Path, args: &[&str]) -> Result<(u8, String), String> {
    let mut all = vec!["--no-git", "--as-of", AS_OF];
    all.extend_from_slice(args);
    try_cli(reg, &all)
}

fn readings(reg: &Path) -> Vec<u8> {
    std::fs::read(reg.join("monitoring/ticket-triage.csv")).unwrap_or_default()
}

fn codes(reg: &Path) -> Vec<(String, String, usize, usize)> {
    findings(&check_register(reg, date(AS_OF), false).expect("checks"))
}

#[test]
fn add_creates_the_file_with_its_header_then_appends_keeping_every_byte() {
    let (_tmp, reg) = register();
    let (code, out) = cli(
        &reg,
        &[
            "monitor",
            "add",
            "ticket-triage",
            "override-rate",
            "0.11",
            "--date",
            "2026-10-18",
            "--source",
            "weekly report",
        ],
    )
    .expect("runs");
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        String::from_utf8(readings(&reg)).expect("utf-8"),
        "date,system,monitor,value,source,note\n2026-10-18,ticket-triage,override-rate,0.11,weekly report,\n"
    );
    // A file written by hand, without a final line break and with CRLF line ends, keeps
    // every byte; the new row follows on a line of its own, with the file's line ends.
    let by_hand = b"\xef\xbb\xbfdate,system,monitor,value,note\r\n2026-10-18,ticket-triage,override-rate,0.11,\"a, b\"".to_vec();
    std::fs::write(reg.join("monitoring/ticket-triage.csv"), &by_hand).expect("write");
    let (code, out) = cli(
        &reg,
        &[
            "monitor",
            "add",
            "ticket-triage",
            "override-rate",
            "0.12",
            "--date",
            "2026-10-25T06:00:00Z",
            "--note",
            "=HYPERLINK(\"x\") @someone <!-- -->",
        ],
    )
    .expect("runs");
    assert_eq!(code, 0, "{out}");
    let now = readings(&reg);
    assert!(
        now.starts_with(&by_hand),
        "{:?}",
        String::from_utf8_lossy(&now)
    );
    assert_eq!(
        String::from_utf8_lossy(&now[by_hand.len()..]),
        "\r\n2026-10-25T06:00:00Z,ticket-triage,override-rate,0.12,\"=HYPERLINK(\"\"x\"\") @someone <!-- -->\"\r\n"
    );
    // The register checks clean with both rows, and the latest is the new one.
    assert_eq!(codes(&reg), Vec::<(String, String, usize, usize)>::new());
    let (_, list) = cli(&reg, &["monitor", "--format", "csv"]).expect("lists");
    assert!(
        list.contains("ticket-triage,override-rate,performance"),
        "{list}"
    );
    assert!(list.contains("2026-10-25T06:00:00Z,0.12,ok,2"), "{list}");
}

#[test]
fn add_refuses_what_check_would_reject_and_writes_nothing() {
    let (_tmp, reg) = register();
    cli(
        &reg,
        &[
            "monitor",
            "add",
            "ticket-triage",
            "override-rate",
            "0.11",
            "--date",
            "2026-10-18",
        ],
    )
    .expect("runs");
    let before = readings(&reg);
    // An unknown monitor: the finding `check` would give, exit 1, nothing written.
    assert_eq!(
        cli(
            &reg,
            &["monitor", "add", "ticket-triage", "overide-rate", "0.1"]
        )
        .expect("runs")
        .0,
        1
    );
    assert_eq!(readings(&reg), before);
    for (args, message) in [
        (
            vec!["ticket-triag", "override-rate", "0.1"],
            "unknown system `ticket-triag`; did you mean `ticket-triage`?",
        ),
        (
            vec!["ticket-triage", "override-rate", "NaN"],
            "is not a reading",
        ),
        (
            vec!["ticket-triage", "override-rate", "inf"],
            "is not a reading",
        ),
        (
            vec!["ticket-triage", "override-rate", "1e999"],
            "is not a reading",
        ),
        (
            vec!["ticket-triage", "override-rate", "0,5"],
            "is not a reading",
        ),
        (
            vec!["ticket-triage", "override-rate", "=1+2"],
            "is not a reading",
        ),
        (
            vec![
                "ticket-triage",
                "override-rate",
                "0.1",
                "--date",
                "31/10/2026",
            ],
            "is not a date",
        ),
        (
            vec![
                "ticket-triage",
                "override-rate",
                "0.1",
                "--note",
                "two\nlines",
            ],
            "one line of text",
        ),
        (
            vec![
                "ticket-triage",
                "override-rate",
                "0.1",
                "--note",
                "bell\u{7}",
            ],
            "one line of text",
        ),
        (
            vec![
                "ticket-triage",
                "override-rate",
                "0.1",
                "--source",
                "esc \u{1b}[31m",
            ],
            "one line of text",
        ),
    ] {
        let mut all = vec!["monitor", "add"];
        all.extend(args.iter().copied());
        let err = cli(&reg, &all).expect_err("refused");
        assert!(err.contains(message), "{args:?}: {err}");
        assert_eq!(readings(&reg), before, "{args:?} wrote");
    }
    // Not from a revision: a write goes to the working tree.
    let err = try_cli(
        &reg,
        &[
            "--as-of",
            AS_OF,
            "--at",
            "HEAD",
            "monitor",
            "add",
            "ticket-triage",
            "override-rate",
            "0.1",
        ],
    )
    .expect_err("refused");
    assert!(err.contains("--at"), "{err}");
}

#[test]
fn a_breaching_reading_is_accepted_and_makes_the_linked_review_due() {
    let (_tmp, reg) = register();
    let (code, _) = cli(
        &reg,
        &[
            "monitor",
            "add",
            "ticket-triage",
            "override-rate",
            "0.19",
            "--date",
            "2026-10-04",
        ],
    )
    .expect("runs");
    assert_eq!(code, 0);
    let got = codes(&reg);
    assert_eq!(
        got,
        [
            (
                "monitoring-breach".to_string(),
                "monitoring/ticket-triage.csv".to_string(),
                2,
                40
            ),
            (
                "review-overdue".to_string(),
                "risks/R-001.yaml".to_string(),
                26,
                11
            ),
        ]
    );
    // `due` agrees: R-001's review is overdue since the reading's day.
    let (_, due) = cli(&reg, &["due", "--format", "csv"]).expect("due");
    assert!(due.contains("2026-10-04,overdue"), "{due}");
}

#[test]
fn imports_read_the_documented_formats_and_skip_what_is_recorded() {
    let (_tmp, reg) = register();
    let fixtures = root().join("tests/fixtures/imports");
    let mlflow = fixtures.join("mlflow-history.json");
    let mlflow = mlflow.to_str().expect("utf-8 path");
    let (code, out) = cli(
        &reg,
        &[
            "monitor",
            "import",
            "--from",
            "mlflow",
            mlflow,
            "--system",
            "ticket-triage",
        ],
    )
    .expect("imports");
    assert_eq!(
        (code, out.as_str()),
        (0, "Appended 3 readings to monitoring/ticket-triage.csv.\n")
    );
    let once = readings(&reg);
    assert_eq!(
        String::from_utf8_lossy(&once),
        "date,system,monitor,value,source,note\n\
         2026-10-04T00:00:00Z,ticket-triage,override-rate,0.11,mlflow mlflow-history.json,\n\
         2026-10-11T00:00:00Z,ticket-triage,override-rate,0.12,mlflow mlflow-history.json,\n\
         2026-10-25T06:00:00Z,ticket-triage,override-rate,0.18,mlflow mlflow-history.json,\n"
    );
    // Again: every row is already recorded, nothing changes.
    let (code, out) = cli(
        &reg,
        &[
            "monitor",
            "import",
            "--from",
            "mlflow",
            mlflow,
            "--system",
            "ticket-triage",
        ],
    )
    .expect("imports");
    assert_eq!(code, 0);
    assert!(out.starts_with("Nothing to append"), "{out}");
    assert_eq!(readings(&reg), once);
    // OpenMetrics (seconds, `# EOF`): one series mapped to the monitor; the first sample is
    // the same reading as the first of MLflow's, so it is skipped.
    let om = fixtures.join("openmetrics.txt");
    let (code, out) = cli(
        &reg,
        &[
            "monitor",
            "import",
            "--from",
            "openmetrics",
            om.to_str().unwrap_or_default(),
            "--system",
            "ticket-triage",
            "--metric",
            "triage_override_rate",
            "--monitor",
            "override-rate",
            "--source",
            "prometheus",
        ],
    )
    .expect("imports");
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "Appended 1 reading to monitoring/ticket-triage.csv (1 already recorded, skipped).\n"
    );
    assert!(
        readings(&reg)
            .ends_with(b"2026-10-11T00:00:00Z,ticket-triage,override-rate,0.13,prometheus,\n")
    );
    // Prometheus text (milliseconds): the documentation's example plus one metric.
    let prom = fixtures.join("prometheus.txt");
    let (code, _) = cli(
        &reg,
        &[
            "monitor",
            "import",
            "--from",
            "openmetrics",
            prom.to_str().unwrap_or_default(),
            "--system",
            "ticket-triage",
            "--metric",
            "override_rate",
            "--monitor",
            "override-rate",
            "--dry-run",
        ],
    )
    .expect("imports");
    assert_eq!(code, 0);
    // A metric mapped that the file lacks, and one monitor fed by several series.
    let err = cli(
        &reg,
        &[
            "monitor",
            "import",
            "--from",
            "openmetrics",
            prom.to_str().unwrap_or_default(),
            "--system",
            "ticket-triage",
            "--metric",
            "gini",
            "--monitor",
            "override-rate",
        ],
    )
    .expect_err("refused");
    assert!(err.contains("no metric `gini`"), "{err}");
    let err = cli(
        &reg,
        &[
            "monitor",
            "import",
            "--from",
            "openmetrics",
            prom.to_str().unwrap_or_default(),
            "--system",
            "ticket-triage",
            "--metric",
            "http_requests_total",
            "--monitor",
            "override-rate",
        ],
    )
    .expect_err("refused");
    assert!(err.contains("2 series"), "{err}");
    // A metric mapped to a monitor that does not exist: check would reject it.
    let (code, _) = cli(
        &reg,
        &[
            "monitor",
            "import",
            "--from",
            "openmetrics",
            prom.to_str().unwrap_or_default(),
            "--system",
            "ticket-triage",
            "--metric",
            "override_rate",
            "--monitor",
            "nope",
        ],
    )
    .expect("runs");
    assert_eq!(code, 1);
    assert!(
        readings(&reg).ends_with(b",prometheus,\n"),
        "the refused import wrote"
    );
}

#[cfg(unix)]
#[test]
fn hostile_import_files_are_refused_without_reading_them() {
    let (tmp, reg) = register();
    let fifo = tmp.path().join("metrics.fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success()
    );
    let link = tmp.path().join("link.json");
    std::os::unix::fs::symlink(
        root().join("tests/fixtures/imports/mlflow-history.json"),
        &link,
    )
    .expect("symlink");
    let huge = tmp.path().join("huge.json");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(1 << 30))
        .expect("sparse file");
    let nan = tmp.path().join("nan.json");
    std::fs::write(&nan, r#"{"metrics": [{"key": "override-rate", "value": "NaN", "timestamp": 1791072000000, "step": 0}]}"#).expect("write");
    let inf = tmp.path().join("inf.txt");
    std::fs::write(&inf, "override_rate +Inf\n").expect("write");
    for (file, message) in [
        (&fifo, "FIFO"),
        (&link, "symbolic link"),
        (&huge, "larger than 64 MiB"),
        (&nan, "not a finite number"),
        (&inf, "not a finite number"),
    ] {
        let from = if file.extension().is_some_and(|e| e == "txt") {
            "openmetrics"
        } else {
            "mlflow"
        };
        let err = cli(
            &reg,
            &[
                "monitor",
                "import",
                "--from",
                from,
                file.to_str().unwrap_or_default(),
                "--system",
                "ticket-triage",
            ],
        )
        .expect_err("refused");
        assert!(err.contains(message), "{file:?}: {err}");
        assert!(!reg.join("monitoring").exists(), "{file:?} wrote");
    }
}

#[cfg(unix)]
#[test]
fn hostile_reading_files_are_findings_and_never_written_through() {
    let (tmp, reg) = register();
    std::fs::create_dir(reg.join("monitoring")).expect("mkdir");
    let outside = tmp.path().join("outside.csv");
    std::fs::write(
        &outside,
        "date,system,monitor,value\n2026-10-18,ticket-triage,override-rate,0.99\n",
    )
    .expect("write");
    std::os::unix::fs::symlink(&outside, reg.join("monitoring/ticket-triage.csv"))
        .expect("symlink");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(reg.join("monitoring/pipe.csv"))
            .status()
            .expect("mkfifo")
            .success()
    );
    std::fs::File::create(reg.join("monitoring/huge.csv"))
        .and_then(|f| f.set_len(9 << 20))
        .expect("sparse");
    let got = codes(&reg);
    let unreadable: Vec<&str> = got
        .iter()
        .filter(|f| f.0 == "file-unreadable")
        .map(|f| f.1.as_str())
        .collect();
    assert_eq!(
        unreadable,
        [
            "monitoring/huge.csv",
            "monitoring/pipe.csv",
            "monitoring/ticket-triage.csv"
        ],
        "{got:?}"
    );
    // The link's target is never read (its 0.99 would breach) and never written through.
    assert!(!got.iter().any(|f| f.0 == "monitoring-breach"), "{got:?}");
    let err = cli(
        &reg,
        &["monitor", "add", "ticket-triage", "override-rate", "0.1"],
    )
    .expect_err("refused");
    assert!(err.contains("cannot append"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&outside).expect("read"),
        "date,system,monitor,value\n2026-10-18,ticket-triage,override-rate,0.99\n"
    );
}

#[test]
fn a_million_rows_keep_only_what_the_rules_need() {
    let (_tmp, reg) = register();
    std::fs::create_dir(reg.join("monitoring")).expect("mkdir");
    // 1,000,000 readings in 10 files (each under the 8 MiB limit): one a minute from
    // 2025-01-01, all within the threshold but one breach after R-001's review.
    let start = chrono::NaiveDate::from_ymd_opt(2025, 1, 1)
        .expect("date")
        .and_hms_opt(0, 0, 0)
        .expect("time");
    let mut n = 0usize;
    for f in 0..10 {
        let mut text = String::from("date,system,monitor,value\n");
        for _ in 0..100_000 {
            let t = start + chrono::Duration::minutes(n as i64);
            let value = if n == 900_000 { "0.5" } else { "0.1" };
            text.push_str(&format!(
                "{}Z,ticket-triage,override-rate,{value}\n",
                t.format("%Y-%m-%dT%H:%M:%S")
            ));
            n += 1;
        }
        assert!(text.len() < 8 << 20);
        std::fs::write(reg.join(format!("monitoring/part-{f}.csv")), text).expect("write");
    }
    let outcome = check_register(&reg, date("2027-01-01"), false).expect("checks");
    let m = &outcome.loaded.register.systems[0].monitoring[0];
    assert_eq!(m.series.count, 1_000_000);
    assert_eq!(m.series.recent().len(), airisk::model::monitoring::RECENT);
    assert_eq!(
        m.series
            .latest
            .as_ref()
            .map(|p| p.at.to_string())
            .as_deref(),
        Some("2026-11-26T10:39:00Z")
    );
    // The breach of 2026-09-18 (reading 900,000) came after the review of 2026-09-15.
    let due = findings(&outcome);
    assert!(
        due.iter()
            .any(|f| f.0 == "review-overdue" && f.1 == "risks/R-001.yaml"),
        "{due:?}"
    );
    assert!(!due.iter().any(|f| f.0 == "monitoring-breach"), "{due:?}");
}

#[test]
fn a_monitor_s_history_lists_every_reading_escaped_for_each_format() {
    let (_tmp, reg) = register();
    for (date, value, note) in [
        (
            "2026-10-04",
            "0.19",
            "<script>alert(1)</script> | @someone <!--",
        ),
        ("2026-10-11", "0.12", "=HYPERLINK(\"http://x\")"),
    ] {
        let (code, _) = cli(
            &reg,
            &[
                "monitor",
                "add",
                "ticket-triage",
                "override-rate",
                value,
                "--date",
                date,
                "--note",
                note,
            ],
        )
        .expect("adds");
        assert_eq!(code, 0);
    }
    let (_, human) = cli(&reg, &["history", "ticket-triage/override-rate"]).expect("history");
    assert!(human.contains("Readings: 2 · Breaches: 1"), "{human}");
    let (_, html) = cli(
        &reg,
        &["history", "ticket-triage/override-rate", "--format", "html"],
    )
    .expect("html");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
        "{html}"
    );
    let (_, md) = cli(
        &reg,
        &[
            "history",
            "ticket-triage/override-rate",
            "--format",
            "markdown",
        ],
    )
    .expect("markdown");
    let row = md
        .lines()
        .find(|l| l.contains("2026-10-04"))
        .expect("a row");
    assert!(
        !row.contains("<!--") && !row.contains(" | @someone"),
        "{row}"
    );
    let (_, json) = cli(
        &reg,
        &["history", "ticket-triage/override-rate", "--format", "json"],
    )
    .expect("json");
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(
        v["sections"][0]["rows"].as_array().map(Vec::len),
        Some(2),
        "{json}"
    );
    let err = cli(&reg, &["history", "ticket-triage/nope"]).expect_err("unknown");
    assert!(err.contains("no monitor"), "{err}");
}
