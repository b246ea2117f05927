//! The human emitter: compiler-style findings with the source line and a caret under the
//! value, through annotate-snippets (the renderer of rustc and cargo). Colour is decided by
//! the caller. Nothing from the register reaches the terminal unescaped: messages, labels,
//! notes and help are one line each (`text::terminal_line`), and the file's path and source
//! lines are shown with every control, bidirectional or invisible format character as `�`
//! (`text::terminal_source`, spans moved to match).

use super::{Diagnostic, Severity, Summary};
use crate::source::{Sources, Span};
use crate::text::{Visible, terminal_line, terminal_source};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::io::{self, Write};

/// Writes every finding, then the summary line ("2 errors, 1 warning").
pub fn emit(
    out: &mut dyn Write,
    diags: &[Diagnostic],
    sources: &Sources,
    files_checked: usize,
    color: bool,
) -> io::Result<()> {
    emit_counted(out, diags, sources, files_checked, color, 0, None)
}

/// [`emit`], with how many findings were waived: the summary then ends with "N waived",
/// and, when the findings were compared with a baseline (`fixed`: how many of the
/// baseline's are gone), says how many are existing, new and fixed
/// ("2 errors, 3 warnings in 9 files; 4 existing, 1 new, 2 fixed; 2 waived").
pub fn emit_counted(
    out: &mut dyn Write,
    diags: &[Diagnostic],
    sources: &Sources,
    files_checked: usize,
    color: bool,
    waived: usize,
    fixed: Option<usize>,
) -> io::Result<()> {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for d in diags {
        writeln!(out, "{}\n", render(&renderer, d, sources))?;
    }
    let summary = Summary::of(diags);
    let files = if files_checked == 1 { "file" } else { "files" };
    let mut tail = String::new();
    if let Some(fixed) = fixed {
        let existing = diags
            .iter()
            .filter(|d| d.baseline == Some(super::Baseline::Unchanged))
            .count();
        tail.push_str(&format!(
            "; {existing} existing, {} new, {fixed} fixed",
            diags.len() - existing
        ));
    }
    if waived > 0 {
        tail.push_str(&format!("; {waived} waived"));
    }
    writeln!(out, "{} in {files_checked} {files}{tail}", summary.line())
}

/// Renders one diagnostic to a string.
pub fn render(renderer: &Renderer, d: &Diagnostic, sources: &Sources) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let message = terminal_line(&d.message);
    let primary_label = terminal_line(&d.primary.message);
    let mut group = Group::with_title(level.primary_title(message.as_str()).id(d.code.name()));

    // The primary file first, with the secondary labels that share it; then other files.
    let mut files = vec![d.primary.span.file];
    for l in &d.secondary {
        if !files.contains(&l.span.file) {
            files.push(l.span.file);
        }
    }
    let secondary: Vec<(Span, String)> = d
        .secondary
        .iter()
        .map(|l| (l.span, terminal_line(&l.message)))
        .collect();
    let shown: Vec<_> = files
        .iter()
        .map(|f| {
            let src = sources.get(*f);
            (*f, terminal_source(&src.text), terminal_line(&src.path))
        })
        .collect();
    for (file, text, path) in &shown {
        let file = *file;
        let mut snippet = Snippet::source(text.text.as_ref())
            .path(path.as_str())
            .fold(true);
        if d.primary.span.file == file {
            let range = visible(text, d.primary.span);
            snippet = snippet.annotation(
                AnnotationKind::Primary
                    .span(range)
                    .label(Some(primary_label.as_str()).filter(|s| !s.is_empty())),
            );
        }
        for (span, message) in secondary.iter().filter(|(s, _)| s.file == file) {
            snippet = snippet.annotation(
                AnnotationKind::Context
                    .span(visible(text, *span))
                    .label(Some(message.as_str()).filter(|s| !s.is_empty())),
            );
        }
        group = group.element(snippet);
    }
    let notes: Vec<String> = d.notes.iter().map(|n| terminal_line(n)).collect();
    for n in &notes {
        group = group.element(Level::NOTE.message(n.as_str()));
    }
    let help = d.help.as_deref().map(terminal_line);
    if let Some(h) = &help {
        group = group.element(Level::HELP.message(h.as_str()));
    }
    let report: &[Group] = &[group];
    renderer.render(report)
}

/// A span of the original text as a range of the text shown. A zero-width span is widened
/// to the character under it, so the caret has something to point at (a missing field
/// points at the start of its mapping).
fn visible(shown: &Visible, span: Span) -> std::ops::Range<usize> {
    let text: &str = shown.text.as_ref();
    let r = span.range();
    let start = shown.offset(r.start).min(text.len());
    let end = shown.offset(r.end).min(text.len()).max(start);
    // A span that lands inside a character (it cannot, but a bug must not panic).
    let (start, end) = (floor(text, start), floor(text, end));
    if end > start {
        return start..end;
    }
    match text[start..].chars().next() {
        Some(c) if c != '\n' && c != '\r' => start..start + c.len_utf8(),
        _ => start..start,
    }
}

fn floor(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

    #[test]
    fn renders_file_line_column_and_caret() {
        let mut sources = Sources::default();
        let f = sources.add("risks/R-1.yaml".into(), "id: R-1\ncategory: bias\n".into());
        let d = Diagnostic::new(
            Code::UnknownReference,
            Span::new(f, 18, 22),
            "unknown category `bias`",
        )
        .label("no category has this id")
        .help("did you mean `bias-fairness`?");
        let text = render(&Renderer::plain(), &d, &sources);
        assert!(
            text.starts_with("error[unknown-reference]: unknown category `bias`"),
            "{text}"
        );
        assert!(text.contains("--> risks/R-1.yaml:2:11"), "{text}");
        assert!(text.contains("^^^^ no category has this id"), "{text}");
        assert!(
            text.contains("help: did you mean `bias-fairness`?"),
            "{text}"
        );
    }
}
