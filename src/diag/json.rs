//! The json emitter: one stable, versioned document (docs/cli.md documents every field).
//! Fields are only ever added; a breaking change bumps `version`.

use super::{Diagnostic, Summary};
use crate::source::{Sources, Span};
use serde::Serialize;
use std::io::{self, Write};

/// The version of the JSON document's shape.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    tool: Tool,
    as_of: String,
    summary: JsonSummary,
    findings: Vec<Finding<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonSummary {
    errors: usize,
    warnings: usize,
    files: usize,
    /// Findings waived (listed with `"waived": true`, not counted in errors or warnings).
    waived: usize,
}

#[derive(Serialize)]
struct Finding<'a> {
    code: &'static str,
    level: &'static str,
    message: &'a str,
    #[serde(flatten)]
    location: Location<'a>,
    label: &'a str,
    labels: Vec<LabelOut<'a>>,
    notes: &'a [String],
    help: Option<&'a str>,
    subject: Option<&'a str>,
    field: Option<&'a str>,
    waived: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    waiver: Option<WaiverOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'static str>,
}

#[derive(Serialize)]
struct WaiverOut<'a> {
    rule: &'a str,
    target: &'a str,
    reason: &'a str,
    approved_by: &'a str,
    date: &'a str,
    expires: Option<&'a str>,
    #[serde(flatten)]
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct LabelOut<'a> {
    #[serde(flatten)]
    location: Location<'a>,
    message: &'a str,
}

fn location<'a>(sources: &'a Sources, span: Span) -> Location<'a> {
    let file = sources.get(span.file);
    let start = file.line_col(span.start as usize);
    let end = file.line_col(span.end as usize);
    Location {
        file: &file.path,
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

pub fn emit(
    out: &mut dyn Write,
    diags: &[Diagnostic],
    sources: &Sources,
    files_checked: usize,
    as_of: &str,
) -> io::Result<()> {
    emit_all(out, diags, &[], sources, files_checked, as_of)
}

/// The document of the counted findings, then the waived ones (`"waived": true`, with their
/// waiver).
pub fn emit_all(
    out: &mut dyn Write,
    diags: &[Diagnostic],
    waived: &[Diagnostic],
    sources: &Sources,
    files_checked: usize,
    as_of: &str,
) -> io::Result<()> {
    let summary = Summary::of(diags);
    let report = Report {
        version: VERSION,
        tool: Tool {
            name: "airisk",
            version: env!("CARGO_PKG_VERSION"),
        },
        as_of: as_of.to_string(),
        summary: JsonSummary {
            errors: summary.errors,
            warnings: summary.warnings,
            files: files_checked,
            waived: waived.len(),
        },
        findings: diags
            .iter()
            .chain(waived)
            .map(|d| Finding {
                code: d.code.name(),
                level: d.severity.as_str(),
                message: &d.message,
                location: location(sources, d.primary.span),
                label: &d.primary.message,
                labels: d
                    .secondary
                    .iter()
                    .map(|l| LabelOut {
                        location: location(sources, l.span),
                        message: &l.message,
                    })
                    .collect(),
                notes: &d.notes,
                help: d.help.as_deref(),
                subject: d.subject.as_deref(),
                field: d.field.as_deref(),
                waived: d.waiver.is_some(),
                waiver: d.waiver.as_deref().map(|w| WaiverOut {
                    rule: &w.rule,
                    target: &w.target,
                    reason: &w.reason,
                    approved_by: &w.approved_by,
                    date: &w.date,
                    expires: w.expires.as_deref(),
                    location: location(sources, w.span),
                }),
                baseline: d.baseline.map(super::Baseline::as_str),
            })
            .collect(),
    };
    crate::text::json_pretty_to(&mut *out, &report)?;
    writeln!(out)
}
