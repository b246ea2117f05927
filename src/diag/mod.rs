//! Diagnostics: findings about the user's register, as data.
//!
//! A [`Diagnostic`] carries a stable [`Code`], a severity, a message, a primary label (a span
//! in one file), secondary labels (possibly in other files), notes and a help line. Rules and
//! loaders create them; emitters (`human`, `json`, and for CI `github`, `sarif`, `gitlab`,
//! which share `machine`) print them. Nothing here reads files or decides exit codes.

pub mod codes;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod machine;
pub mod sarif;
pub mod suggest;

pub use codes::{CODES, Code, CodeInfo, Stage};
pub use suggest::{Suggester, did_you_mean, hint};

use crate::source::{Sources, Span};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A configured level for a code: `[rules]` in airisk.toml.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleLevel {
    Error,
    Warning,
    Off,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    /// What the finding is about: the id of an entity (a risk, a system, an Annex A control
    /// for an SoA decision, a person), or the file's path for a finding about a file. Set by
    /// a rule whose finding points away from its subject, else found from the place
    /// (`check::subject`). What a waiver's `target` and a baseline match.
    pub subject: Option<String>,
    /// Where in its subject, as a path of keys and list positions (`treatment.controls[1]`),
    /// when the finding points inside it.
    pub field: Option<String>,
    /// The waiver that suppresses it (waived findings only: `check::waivers`).
    pub waiver: Option<Box<Waiver>>,
    /// Whether the baseline of `check --baseline` has it (only with a baseline).
    pub baseline: Option<Baseline>,
}

/// The waiver of a waived finding, as its emitters show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiver {
    pub rule: String,
    pub target: String,
    pub reason: String,
    pub approved_by: String,
    pub date: String,
    pub expires: Option<String>,
    /// Where it is written (its `rule`).
    pub span: Span,
}

/// A finding's state against the baseline of `check --baseline` (SARIF's `baselineState`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Baseline {
    /// Not in the baseline: introduced since.
    New,
    /// In the baseline too: existing, it does not fail the run.
    Unchanged,
}

impl Baseline {
    pub fn as_str(self) -> &'static str {
        match self {
            Baseline::New => "new",
            Baseline::Unchanged => "unchanged",
        }
    }
}

impl Diagnostic {
    /// A finding at its code's default severity.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.info().default,
            message: message.into(),
            primary: Label {
                span,
                message: String::new(),
            },
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
            subject: None,
            field: None,
            waiver: None,
            baseline: None,
        }
    }

    /// The finding is about `subject` (an entity id or a file), wherever it points.
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// The text under the caret.
    pub fn label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn help_opt(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }
}

/// Applies `[rules]` overrides and `--deny warnings`, drops codes turned off, and sorts
/// findings by file path, line and column, then code.
pub fn finalize(
    mut diags: Vec<Diagnostic>,
    levels: &BTreeMap<Code, RuleLevel>,
    deny_warnings: bool,
    sources: &Sources,
) -> Vec<Diagnostic> {
    diags.retain_mut(|d| {
        match levels.get(&d.code) {
            Some(RuleLevel::Off) => return false,
            Some(RuleLevel::Error) => d.severity = Severity::Error,
            Some(RuleLevel::Warning) => d.severity = Severity::Warning,
            None => {}
        }
        if deny_warnings {
            d.severity = Severity::Error;
        }
        true
    });
    // Stable: findings at one place keep the order their rule gave them (Annex A order for
    // missing SoA decisions), which is deterministic.
    diags.sort_by(|a, b| {
        let pa = sources.path(a.primary.span.file);
        let pb = sources.path(b.primary.span.file);
        pa.cmp(pb)
            .then(a.primary.span.start.cmp(&b.primary.span.start))
            .then(a.code.cmp(&b.code))
    });
    diags.dedup();
    diags
}

/// Counts of findings by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
}

impl Summary {
    pub fn of(diags: &[Diagnostic]) -> Self {
        let errors = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        Summary {
            errors,
            warnings: diags.len() - errors,
        }
    }

    /// "2 errors, 1 warning"
    pub fn line(&self) -> String {
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("{n} {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        format!(
            "{}, {}",
            plural(self.errors, "error"),
            plural(self.warnings, "warning")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_line() {
        assert_eq!(
            Summary {
                errors: 1,
                warnings: 2
            }
            .line(),
            "1 error, 2 warnings"
        );
    }
}
