//! The human emitter: compiler-style findings with the source line and a caret under the
//! value, through annotate-snippets (the renderer of rustc and cargo). Colour is decided by
//! the caller; register text is stripped of control characters before it reaches a terminal.

use super::{Diagnostic, Severity, Summary};
use crate::source::{Sources, Span};
use crate::text::terminal;
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
    writeln!(out, "{} in {files_checked} {files}", summary.line())
}

/// Renders one diagnostic to a string.
pub fn render(renderer: &Renderer, d: &Diagnostic, sources: &Sources) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let message = terminal(&d.message);
    let primary_label = terminal(&d.primary.message);
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
        .map(|l| (l.span, terminal(&l.message)))
        .collect();
    for file in files {
        let src = sources.get(file);
        let mut snippet = Snippet::source(src.text.as_str())
            .path(src.path.as_str())
            .fold(true);
        if d.primary.span.file == file {
            let range = visible(&src.text, d.primary.span);
            snippet = snippet.annotation(
                AnnotationKind::Primary
                    .span(range)
                    .label(Some(primary_label.as_str()).filter(|s| !s.is_empty())),
            );
        }
        for (span, message) in secondary.iter().filter(|(s, _)| s.file == file) {
            snippet = snippet.annotation(
                AnnotationKind::Context
                    .span(visible(&src.text, *span))
                    .label(Some(message.as_str()).filter(|s| !s.is_empty())),
            );
        }
        group = group.element(snippet);
    }
    let notes: Vec<String> = d.notes.iter().map(|n| terminal(n)).collect();
    for n in &notes {
        group = group.element(Level::NOTE.message(n.as_str()));
    }
    let help = d.help.as_deref().map(terminal);
    if let Some(h) = &help {
        group = group.element(Level::HELP.message(h.as_str()));
    }
    let report: &[Group] = &[group];
    renderer.render(report)
}

/// A zero-width span is widened to the character under it, so the caret has something to
/// point at (a missing field points at the start of its mapping).
fn visible(text: &str, span: Span) -> std::ops::Range<usize> {
    let r = span.range();
    let start = r.start.min(text.len());
    let end = r.end.min(text.len());
    if end > start {
        return start..end;
    }
    match text[start..].chars().next() {
        Some(c) if c != '\n' && c != '\r' => start..start + c.len_utf8(),
        _ => start..start,
    }
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
