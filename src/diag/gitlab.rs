//! The gitlab emitter: a GitLab Code Quality report (a JSON array of issues, the subset of
//! the Code Climate format that GitLab reads), for `artifacts: reports: codequality`.
//!
//! Each issue: `description` (the message), `check_name` (the code), `fingerprint` (stable:
//! see [`machine::fingerprints`](super::machine::fingerprints)), `severity` (`major` for an
//! error, `minor` for a warning) and `location` (`path` relative to the repository root,
//! `lines.begin`). Deterministic; must not read files or decide exit codes.

use super::machine::{fingerprints, place};
use super::{Diagnostic, Severity};
use crate::source::Sources;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Issue {
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

/// GitLab's scale is info, minor, major, critical, blocker. An error fails the pipeline but
/// is a defect in a record, not an outage: `major` ranks it above every warning in the
/// merge-request widget without claiming the urgency of `critical`/`blocker`.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
    }
}

/// Writes the report (pretty-printed JSON array and a final newline); `[]` when clean.
pub fn emit(
    out: &mut dyn Write,
    diags: &[Diagnostic],
    sources: &Sources,
    prefix: &str,
) -> io::Result<()> {
    let issues: Vec<Issue> = diags
        .iter()
        .zip(fingerprints(diags, sources, prefix))
        .map(|(d, fingerprint)| {
            let p = place(sources, d.primary.span, prefix);
            Issue {
                description: crate::text::terminal_line(&d.message),
                check_name: d.code.name(),
                fingerprint,
                severity: severity(d.severity),
                location: Location {
                    path: p.path,
                    lines: Lines { begin: p.line },
                },
            }
        })
        .collect();
    crate::text::json_pretty_to(&mut *out, &issues)?;
    writeln!(out)
}
