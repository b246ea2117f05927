//! The sarif emitter: one SARIF 2.1.0 log that GitHub code scanning accepts
//! (`github/codeql-action/upload-sarif`).
//!
//! `tool.driver.rules` lists every code of the code table (so `ruleIndex` is the code's row),
//! with its one-line summary, the "What it means" paragraph and the whole section of
//! `docs/diagnostics.md` (embedded) as help and its default level. No `informationUri` or
//! `helpUri`: the help travels inside the log, so it needs no web page to point at.
//! Each result has the code, its level after `[rules]` and `--deny`, the message with notes
//! and help, the primary place (a `uri` relative to the repository root, `uriBaseId`
//! `%SRCROOT%`, a region of 1-based lines and character columns, the end column exclusive),
//! the secondary labels as `relatedLocations`, and a stable `partialFingerprints` entry.
//! No timestamps, no absolute paths: the same register gives byte-identical output.
//! Must not read files or decide exit codes.
//!
//! GitHub code scanning takes at most [`MAX_RESULTS`] results per run and refuses the
//! whole upload past it, so a log holds that many at most: errors first (in output order),
//! then warnings. A truncated log says so where tools and people look: a warning
//! `toolExecutionNotification` in `invocations[0]` naming how many were left out and the
//! command that lists them all, and the run's `properties` (`airisk/truncated`,
//! `airisk/results`, `airisk/resultsTotal`). Text from the register is one line, with
//! control, bidirectional and invisible format characters as `�`; the JSON writer escapes
//! any that remain in paths as `\uXXXX`.

use super::machine::{fingerprints, full_text, place};
use super::{CODES, Code, Diagnostic, Severity};
use crate::source::{Sources, Span};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The schema a consumer validates against (the one GitHub's documentation names).
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The key of our entry in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "airisk/v1";
/// The most results GitHub code scanning accepts in one run.
pub const MAX_RESULTS: usize = 25_000;

/// docs/diagnostics.md, the source of each rule's help.
const DIAGNOSTICS_MD: &str = include_str!("../../docs/diagnostics.md");

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    invocations: Vec<Invocation>,
    column_kind: &'static str,
    results: Vec<ResultOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<BTreeMap<&'static str, serde_json::Value>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultOut<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'a str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
}

/// A waived finding's waiver: external (recorded outside the source, in waivers.yaml).
#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    justification: String,
    location: Location,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: Physical,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: Artifact,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// Writes the SARIF log (pretty-printed JSON and a final newline).
pub fn emit(
    out: &mut dyn Write,
    diags: &[Diagnostic],
    sources: &Sources,
    prefix: &str,
) -> io::Result<()> {
    emit_all(out, diags, &[], sources, prefix)
}

/// Writes the SARIF log of the findings and, after them, the waived findings, each with its
/// waiver as an external suppression (the reason as justification, the waiver's
/// place as location). A finding compared with a baseline has its `baselineState`.
pub fn emit_all(
    out: &mut dyn Write,
    counted: &[Diagnostic],
    waived: &[Diagnostic],
    sources: &Sources,
    prefix: &str,
) -> io::Result<()> {
    let all: Vec<Diagnostic>;
    let diags = if waived.is_empty() {
        counted
    } else {
        all = counted.iter().chain(waived).cloned().collect();
        &all
    };
    let fps = fingerprints(diags, sources, prefix);
    // Within the cap, errors first; each kept finding keeps its fingerprint (computed over
    // every finding, so an occurrence number does not change with the cap).
    let mut kept: Vec<(&Diagnostic, String)> = diags.iter().zip(fps).collect();
    if kept.len() > MAX_RESULTS {
        kept.sort_by_key(|(d, _)| d.severity != Severity::Error);
        kept.truncate(MAX_RESULTS);
    }
    let left_out = diags.len() - kept.len();
    let results = kept
        .into_iter()
        .map(|(d, fp)| ResultOut {
            rule_id: d.code.name(),
            rule_index: rule_index(d.code),
            level: level(d.severity),
            message: Text { text: full_text(d) },
            locations: [location(
                sources,
                d.primary.span,
                prefix,
                None,
                &d.primary.message,
            )],
            related_locations: d
                .secondary
                .iter()
                .enumerate()
                .map(|(i, l)| location(sources, l.span, prefix, Some(i + 1), &l.message))
                .collect(),
            partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fp)]),
            suppressions: d
                .waiver
                .iter()
                .map(|w| Suppression {
                    kind: "external",
                    justification: crate::text::terminal_line(&w.reason),
                    location: location(sources, w.span, prefix, None, ""),
                })
                .collect(),
            baseline_state: d.baseline.map(super::Baseline::as_str),
        })
        .collect();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "airisk",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: rules(),
                },
            },
            invocations: truncation_notice(diags.len(), left_out),
            column_kind: "unicodeCodePoints",
            results,
            properties: (left_out > 0).then(|| {
                BTreeMap::from([
                    ("airisk/truncated", serde_json::json!(true)),
                    ("airisk/results", serde_json::json!(diags.len() - left_out)),
                    ("airisk/resultsTotal", serde_json::json!(diags.len())),
                ])
            }),
        }],
    };
    crate::text::json_pretty_to(&mut *out, &log)?;
    writeln!(out)
}

/// The invocation that says results were left out; none when every finding is a result.
fn truncation_notice(total: usize, left_out: usize) -> Vec<Invocation> {
    if left_out == 0 {
        return Vec::new();
    }
    vec![Invocation {
        execution_successful: true,
        tool_execution_notifications: vec![Notification {
            level: "warning",
            message: Text {
                text: format!(
                    "{left_out} of {total} findings were left out: GitHub code scanning takes at most {MAX_RESULTS} results per run (errors are kept first). `airisk check` (or `--format json`) lists them all."
                ),
            },
        }],
    }]
}

/// The row of `code` in the code table, which is its index in `tool.driver.rules`.
fn rule_index(code: Code) -> usize {
    CODES
        .iter()
        .position(|i| i.code == code)
        .expect("every code is in the table")
}

fn location(
    sources: &Sources,
    span: Span,
    prefix: &str,
    id: Option<usize>,
    label: &str,
) -> Location {
    let p = place(sources, span, prefix);
    Location {
        id,
        physical_location: Physical {
            artifact_location: Artifact {
                uri: uri_path(&p.path),
                uri_base_id: "%SRCROOT%",
            },
            region: Region {
                start_line: p.line,
                start_column: p.column,
                end_line: p.end_line,
                end_column: p.end_column,
            },
        },
        message: (!label.is_empty()).then(|| Text {
            text: crate::text::terminal_line(label),
        }),
    }
}

/// Every code of the table, in table order.
fn rules() -> Vec<Rule> {
    CODES
        .iter()
        .map(|info| {
            let section = doc_section(info.name);
            let full = section
                .and_then(what_it_means)
                .unwrap_or_else(|| info.summary.to_string());
            let body = section.map_or_else(|| info.summary.to_string(), str::to_string);
            Rule {
                id: info.name,
                short_description: Text {
                    text: info.summary.to_string(),
                },
                full_description: Text { text: full },
                help: Help {
                    text: body.clone(),
                    markdown: body,
                },
                default_configuration: Configuration {
                    level: level(info.default),
                },
            }
        })
        .collect()
}

/// The body of the `` ## `code` `` section of docs/diagnostics.md, trimmed.
pub fn doc_section(code: &str) -> Option<&'static str> {
    let heading = format!("## `{code}`\n");
    let start = DIAGNOSTICS_MD.find(&heading)? + heading.len();
    let rest = &DIAGNOSTICS_MD[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    Some(rest[..end].trim())
}

/// The "**What it means.**" paragraph of a section, as one line of text.
fn what_it_means(section: &str) -> Option<String> {
    const MARK: &str = "**What it means.**";
    let start = section.find(MARK)? + MARK.len();
    let para = section[start..].split("\n\n").next()?;
    let text = para.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// A relative path as a URI reference: `/` kept, everything outside the unreserved
/// characters percent-encoded (a space in a file name must not make the URI invalid).
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_documented_help() {
        for info in CODES {
            let section = doc_section(info.name)
                .unwrap_or_else(|| panic!("docs/diagnostics.md has no section for {}", info.name));
            assert!(
                what_it_means(section).is_some(),
                "{}: no \"What it means\" paragraph",
                info.name
            );
        }
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            uri_path("risks/my risk é.yaml"),
            "risks/my%20risk%20%C3%A9.yaml"
        );
        assert_eq!(uri_path("a/B-1_x.~y"), "a/B-1_x.~y");
    }

    #[test]
    fn every_code_is_a_rule_with_its_documentation_as_help() {
        let r = rules();
        assert_eq!(r.len(), CODES.len());
        assert_eq!(r[0].id, "yaml-syntax");
        assert!(r[0].help.markdown.contains("Default level: error"));
    }
}
