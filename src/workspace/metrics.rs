//! The outputs of other tools that `airisk monitor import` reads (SPEC §9), parsed into
//! samples: a metric name (with its labels, as written), a value and a time.
//!
//! - `mlflow`: the JSON of MLflow's REST API `GET /api/2.0/mlflow/metrics/get-history`
//!   (`{"metrics": [{"key", "value", "timestamp", "step"}], "next_page_token"}`), timestamps in
//!   milliseconds since the epoch. A list of several such responses (one per metric) is
//!   accepted too.
//! - `openmetrics`: the OpenMetrics text format (timestamps in seconds, possibly with a
//!   fraction; the exposition ends with `# EOF`) and the Prometheus text format it grew from
//!   (timestamps in milliseconds; no `# EOF`). The `# EOF` line is what tells them apart.
//!   `# HELP`, `# TYPE`, `# UNIT` and other comments are skipped; label values are
//!   unescaped (`\\`, `\"`, `\n`); an exemplar (`# {...} v`) after a sample is ignored.
//!
//! A sample without a timestamp takes the day given by the caller. A value that is not
//! finite (`NaN`, `+Inf`) cannot be a reading: it is refused here, with its line, and
//! nothing is imported. The input is bounded by the caller (read through the one reader of
//! outside files, at most [`MAX_INPUT`] bytes). No I/O here.

use crate::model::monitoring::{Moment, parse_decimal};
use anyhow::{Result, anyhow, bail};

/// The largest input file read: a year of minutely samples of one metric is about 25 MB.
pub const MAX_INPUT: u64 = 64 << 20;

/// One sample of a tool's output.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    /// The metric's name (`gini`, `model_auc`).
    pub name: String,
    /// Its labels as written (`{model="v4"}`), empty without.
    pub labels: String,
    pub value: f64,
    /// When it was taken; `None`: the sample has no timestamp.
    pub at: Option<Moment>,
    /// Where in the input (a line, or an index in the list).
    pub place: String,
}

/// A time from seconds since the epoch (with a fraction).
fn moment_of_seconds(secs: f64) -> Option<Moment> {
    if !secs.is_finite() {
        return None;
    }
    let whole = secs.floor();
    if whole.abs() > 1e12 {
        return None;
    }
    let t = chrono::DateTime::from_timestamp(whole as i64, 0)?;
    use chrono::Timelike;
    Some(Moment {
        day: t.date_naive(),
        second: Some(t.num_seconds_from_midnight()),
    })
}

/// MLflow metric-history JSON.
pub fn mlflow(text: &str) -> Result<Vec<Sample>> {
    let json: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        anyhow!("the file is not MLflow's metric-history JSON: {e} (NaN and Infinity are not JSON values; MLflow writes them only in invalid JSON)")
    })?;
    let pages: Vec<&serde_json::Value> = match &json {
        serde_json::Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut out = Vec::new();
    for (p, page) in pages.iter().enumerate() {
        let Some(metrics) = page.get("metrics").and_then(|m| m.as_array()) else {
            bail!(
                "the file is not MLflow's metric-history JSON: no `metrics` list{}",
                if pages.len() > 1 {
                    format!(" in item {}", p + 1)
                } else {
                    String::new()
                }
            );
        };
        for (i, m) in metrics.iter().enumerate() {
            let place = format!("metrics[{i}]");
            let key = m
                .get("key")
                .and_then(|k| k.as_str())
                .ok_or_else(|| anyhow!("{place}: no `key`"))?;
            let value = match m.get("value") {
                Some(serde_json::Value::Number(n)) => n.as_f64(),
                // MLflow's protobuf JSON writes NaN and infinities as strings.
                Some(serde_json::Value::String(s)) => parse_decimal(s),
                _ => None,
            }
            .filter(|v| v.is_finite())
            .ok_or_else(|| {
                anyhow!(
                    "{place} (`{}`): the value {} is not a finite number, and cannot be a reading",
                    key.escape_debug(),
                    m.get("value")
                        .map_or("(none)".to_string(), |v| v.to_string())
                )
            })?;
            let at = match m.get("timestamp") {
                None | Some(serde_json::Value::Null) => None,
                Some(t) => {
                    let ms = t
                        .as_i64()
                        .or_else(|| t.as_str().and_then(|s| s.parse().ok()))
                        .ok_or_else(|| {
                            anyhow!("{place}: the timestamp {t} is not milliseconds since 1970")
                        })?;
                    Some(
                        moment_of_seconds(ms.div_euclid(1000) as f64).ok_or_else(|| {
                            anyhow!("{place}: the timestamp {ms} is out of range")
                        })?,
                    )
                }
            };
            out.push(Sample {
                name: key.to_string(),
                labels: String::new(),
                value,
                at,
                place,
            });
        }
    }
    Ok(out)
}

/// OpenMetrics or Prometheus text.
pub fn openmetrics(text: &str) -> Result<Vec<Sample>> {
    let lines: Vec<&str> = text.split('\n').collect();
    // OpenMetrics ends with `# EOF` (then at most an empty line).
    let eof = lines
        .iter()
        .rposition(|l| !l.trim_end_matches('\r').is_empty())
        .filter(|&i| lines[i].trim_end_matches('\r') == "# EOF");
    let seconds = eof.is_some();
    let mut out = Vec::new();
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim_end_matches('\r');
        let n = i + 1;
        if Some(i) == eof {
            break;
        }
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let sample = sample_line(line, seconds).map_err(|e| anyhow!("line {n}: {e}"))?;
        out.push(Sample {
            place: format!("line {n}"),
            ..sample
        });
    }
    Ok(out)
}

/// One sample line: `name{labels} value [timestamp] [# exemplar]`.
fn sample_line(line: &str, seconds: bool) -> Result<Sample> {
    let line = line.trim_start();
    let name_end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(line.len());
    let name = &line[..name_end];
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        bail!("not a sample: it does not start with a metric name");
    }
    let mut rest = &line[name_end..];
    let mut labels = String::new();
    if rest.starts_with('{') {
        let end =
            label_end(rest).ok_or_else(|| anyhow!("the labels of `{name}` are not closed"))?;
        labels = rest[..=end].to_string();
        rest = &rest[end + 1..];
    }
    // An exemplar follows ` # `.
    let rest = match rest.find(" # ") {
        Some(i) => &rest[..i],
        None => rest,
    };
    let mut parts = rest.split_whitespace();
    let value = parts
        .next()
        .ok_or_else(|| anyhow!("`{name}` has no value"))?;
    let v = match value {
        "NaN" | "+Inf" | "-Inf" | "Inf" | "+inf" | "-inf" | "nan" => bail!(
            "`{name}{labels}` is {value}, which is not a finite number and cannot be a reading"
        ),
        _ => parse_decimal(value).ok_or_else(|| anyhow!("`{value}` is not a number"))?,
    };
    let at = match parts.next() {
        None => None,
        Some(t) => {
            let n: f64 = parse_decimal(t).ok_or_else(|| anyhow!("`{t}` is not a timestamp"))?;
            let secs = if seconds { n } else { n / 1000.0 };
            Some(
                moment_of_seconds(secs)
                    .ok_or_else(|| anyhow!("the timestamp {t} is out of range"))?,
            )
        }
    };
    if let Some(extra) = parts.next() {
        bail!("unexpected `{extra}` after the timestamp");
    }
    Ok(Sample {
        name: name.to_string(),
        labels: unescape_labels(&labels),
        value: v,
        at,
        place: String::new(),
    })
}

/// The index of the `}` closing the label set that `s` starts with (quotes and escapes
/// honoured).
fn label_end(s: &str) -> Option<usize> {
    let mut in_quote = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match (in_quote, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (_, false, '"') => in_quote = !in_quote,
            (false, _, '}') => return Some(i),
            _ => {}
        }
    }
    None
}

/// Label values as they mean: `\\`, `\"` and `\n` unescaped (a line break shown as `\n`,
/// so the labels stay one line).
fn unescape_labels(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('\\') => out.push('\\'),
                Some('"') => out.push('"'),
                Some('n') => out.push_str("\\n"),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mlflow_metric_history_as_the_rest_api_returns_it() {
        // The shape of `GET /api/2.0/mlflow/metrics/get-history` (MLflow REST API docs).
        let text = r#"{"metrics": [
            {"key": "gini", "value": 0.64, "timestamp": 1793404800000, "step": 0},
            {"key": "gini", "value": 0.59, "timestamp": 1796018400123, "step": 1}
        ], "next_page_token": ""}"#;
        let s = mlflow(text).expect("parses");
        assert_eq!(s.len(), 2);
        assert_eq!(
            s[0].at.map(|m| m.day.to_string()).as_deref(),
            Some("2026-10-31")
        );
        assert_eq!(
            s[1].at.map(|m| m.to_string()).as_deref(),
            Some("2026-11-30T06:00:00Z")
        );
        assert_eq!(s[1].value, 0.59);
        // NaN: as a string (protobuf JSON), or as a bare token (not JSON at all).
        let nan = r#"{"metrics": [{"key": "gini", "value": "NaN", "timestamp": 1, "step": 0}]}"#;
        assert!(
            mlflow(nan)
                .unwrap_err()
                .to_string()
                .contains("not a finite number")
        );
        assert!(mlflow(r#"{"metrics": [{"key": "g", "value": NaN}]}"#).is_err());
        assert!(mlflow(r#"{"runs": []}"#).is_err());
        assert!(mlflow("[1, 2").is_err());
    }

    #[test]
    fn openmetrics_and_prometheus_text_as_their_docs_show_them() {
        // The Prometheus exposition-format documentation's example (timestamps in ms).
        let prom = "# HELP http_requests_total The total number of HTTP requests.\n\
            # TYPE http_requests_total counter\n\
            http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n\
            http_requests_total{method=\"post\",code=\"400\"}    3 1395066363000\n\
            \n\
            # Escaping in label values:\n\
            msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"} 1.458255915e9\n\
            \n\
            # Minimalistic line:\n\
            metric_without_timestamp_and_labels 12.47\n";
        let s = openmetrics(prom).expect("parses");
        assert_eq!(s.len(), 4);
        assert_eq!(s[0].name, "http_requests_total");
        assert_eq!(s[0].labels, "{method=\"post\",code=\"200\"}");
        assert_eq!(
            s[0].at.map(|m| m.to_string()).as_deref(),
            Some("2014-03-17T14:26:03Z")
        );
        assert_eq!(s[1].value, 3.0);
        assert_eq!(
            s[2].labels,
            "{path=\"C:\\DIR\\FILE.TXT\",error=\"Cannot find file:\\n\"FILE.TXT\"\"}"
        );
        assert_eq!(s[3].at, None);
        // OpenMetrics: seconds, `# EOF`, an exemplar.
        let om = "# TYPE model_gini gauge\n# UNIT model_gini ratio\n\
            model_gini{model=\"v4\"} 0.64 1793404800.5\n\
            requests_total 5 # {trace_id=\"abc\"} 1 1793404800\n# EOF\n";
        let s = openmetrics(om).expect("parses");
        assert_eq!(s.len(), 2);
        assert_eq!(
            s[0].at.map(|m| m.day.to_string()).as_deref(),
            Some("2026-10-31")
        );
        assert_eq!(s[1].value, 5.0);
        // Refused: not finite, a bad line, unclosed labels.
        let weird = "something_weird{problem=\"division by zero\"} +Inf -3982045\n";
        assert!(
            openmetrics(weird)
                .unwrap_err()
                .to_string()
                .contains("not a finite number")
        );
        assert!(openmetrics("gini NaN\n").is_err());
        assert!(openmetrics("{a=\"b\"} 1\n").is_err());
        assert!(openmetrics("gini{a=\"b} 1\n").is_err());
        assert!(openmetrics("gini 1 2 3\n").is_err());
        assert!(openmetrics("gini =1+2\n").is_err());
    }
}
