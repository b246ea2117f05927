//! The github emitter: one GitHub Actions workflow command per finding
//! (`::error file=…,line=…,endLine=…,col=…,endColumn=…,title=…::message`), which GitHub shows
//! as an annotation on the pull request's changed files, then the summary line.
//!
//! Escaping follows the runner's rules (actions/toolkit `command.ts`): in the message `%`,
//! CR and LF are percent-encoded; in property values also `:` and `,`. Register text thus
//! cannot end a command early or start a new one, and (the job log shows the messages)
//! control, bidirectional and invisible format characters of the register's text and file
//! names are `�` (`text::terminal_line`). Paths are relative to the repository root (the
//! caller passes the register's prefix). Must not read files or decide exit codes.

use super::machine::{full_text, place};
use super::{Diagnostic, Severity, Summary};
use crate::source::Sources;
use crate::text::terminal_line;
use std::io::{self, Write};

/// Writes every finding as a workflow command; then, unless `quiet`, the summary line
/// (plain text, shown in the job log).
pub fn emit(
    out: &mut dyn Write,
    diags: &[Diagnostic],
    sources: &Sources,
    prefix: &str,
    files_checked: usize,
    quiet: bool,
) -> io::Result<()> {
    for d in diags {
        writeln!(out, "{}", command(d, sources, prefix))?;
    }
    if !quiet {
        let files = if files_checked == 1 { "file" } else { "files" };
        writeln!(
            out,
            "{} in {files_checked} {files}",
            Summary::of(diags).line()
        )?;
    }
    Ok(())
}

/// One finding as a workflow command.
pub fn command(d: &Diagnostic, sources: &Sources, prefix: &str) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let p = place(sources, d.primary.span, prefix);
    let mut props = vec![
        format!("file={}", escape_property(&terminal_line(&p.path))),
        format!("line={}", p.line),
        format!("endLine={}", p.end_line),
    ];
    // GitHub takes columns only for an annotation on a single line.
    if p.end_line == p.line {
        props.push(format!("col={}", p.column));
        props.push(format!("endColumn={}", p.end_column));
    }
    props.push(format!("title={}", escape_property(d.code.name())));
    let mut message = full_text(d);
    for l in &d.secondary {
        let lp = place(sources, l.span, prefix);
        message.push_str(&format!(
            "\nsee {}:{}:{}: {}",
            terminal_line(&lp.path),
            lp.line,
            lp.column,
            terminal_line(&l.message)
        ));
    }
    format!("::{level} {}::{}", props.join(","), escape_data(&message))
}

/// Escapes a command's message: `%`, CR, LF.
pub fn escape_data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value: like [`escape_data`], and `:` and `,`.
pub fn escape_property(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in escape_data(s).chars() {
        match c {
            ':' => out.push_str("%3A"),
            ',' => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::source::Span;

    #[test]
    fn escapes_follow_the_runner() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn one_command_per_finding_with_repository_paths() {
        let mut sources = Sources::default();
        let f = sources.add("risks/R-1.yaml".into(), "id: R-1\ncategory: bias\n".into());
        let d = Diagnostic::new(
            Code::UnknownReference,
            Span::new(f, 18, 22),
            "unknown category `bias`",
        )
        .help("did you mean `bias-fairness`?");
        assert_eq!(
            command(&d, &sources, "compliance/"),
            "::error file=compliance/risks/R-1.yaml,line=2,endLine=2,col=11,endColumn=15,\
             title=unknown-reference::unknown category `bias`%0Ahelp: did you mean `bias-fairness`?"
        );
    }

    #[test]
    fn register_text_cannot_inject_a_command() {
        let mut sources = Sources::default();
        let f = sources.add("a.yaml".into(), "x".into());
        let d = Diagnostic::new(
            Code::InvalidValue,
            Span::new(f, 0, 1),
            "bad\n::error file=x::owned",
        );
        let cmd = command(&d, &sources, "");
        assert_eq!(cmd.lines().count(), 1);
        assert!(cmd.ends_with("::bad\u{fffd}::error file=x::owned"), "{cmd}");
    }

    #[test]
    fn file_names_and_labels_reach_the_log_without_controls() {
        let mut sources = Sources::default();
        let f = sources.add("risks/\u{1b}[2J\u{202e}x.yaml".into(), "x".into());
        let d = Diagnostic::new(Code::InvalidValue, Span::new(f, 0, 1), "bad")
            .with_label(Span::new(f, 0, 1), "see \u{1b}]8;;http://e\u{7}");
        let cmd = command(&d, &sources, "");
        assert!(!cmd.chars().any(crate::text::is_hidden), "{cmd:?}");
        assert!(
            cmd.starts_with("::error file=risks/\u{fffd}[2J\u{fffd}x.yaml,"),
            "{cmd}"
        );
    }
}
