//! What the CI emitters (`github`, `sarif`, `gitlab`) share: a finding's place as 1-based
//! positions with a path relative to the repository root, the finding's text in one piece,
//! and a stable fingerprint.
//!
//! Pure functions over [`Diagnostic`] and [`Sources`]: no I/O. Where the repository root is
//! (the `prefix` joined to register paths) is decided by the command layer.

use super::Diagnostic;
use crate::source::{Sources, Span};
use crate::text::terminal_line;
use std::collections::HashMap;

/// A region of a file: path relative to the repository root (with `/`), 1-based lines and
/// character columns, the end exclusive (the column after the last character).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// The place of `span`, with `prefix` (the register folder relative to the repository root,
/// empty or ending in `/`) before the register-relative path. A zero-width span (a missing
/// field points at the start of its mapping) is widened to the character under it, so that
/// annotation viewers have something to highlight.
pub fn place(sources: &Sources, span: Span, prefix: &str) -> Place {
    let file = sources.get(span.file);
    let text = file.text.as_str();
    let start = (span.start as usize).min(text.len());
    let mut end = (span.end as usize).min(text.len()).max(start);
    if end == start
        && let Some(c) = text.get(start..).and_then(|t| t.chars().next())
        && c != '\n'
        && c != '\r'
    {
        end = start + c.len_utf8();
    }
    let s = file.line_col(start);
    let e = file.line_col(end);
    Place {
        path: format!("{prefix}{}", file.path),
        line: s.line,
        column: s.column,
        end_line: e.line,
        end_column: e.column,
    }
}

/// The finding as one text: the message, then its notes and help on lines of their own.
/// Each part is one line: control, bidirectional and invisible format characters from the
/// register (line breaks included) are replaced by `�`.
pub fn full_text(d: &Diagnostic) -> String {
    let mut out = terminal_line(&d.message);
    for n in &d.notes {
        out.push_str("\nnote: ");
        out.push_str(&terminal_line(n));
    }
    if let Some(h) = &d.help {
        out.push_str("\nhelp: ");
        out.push_str(&terminal_line(h));
    }
    out
}

/// A stable fingerprint per finding, in output order: a 128-bit FNV-1a hash (hex) of the
/// code, the repository-relative path, the message and the occurrence of that triple (1 for
/// the first, 2 for a second identical finding in the same file).
///
/// No line number: a finding keeps its identity when lines are added above it, so CI
/// systems that track findings across runs (GitHub code scanning, GitLab's merge-request
/// widget) do not report it as fixed and new. No randomness, no clock, no absolute path.
pub fn fingerprints(diags: &[Diagnostic], sources: &Sources, prefix: &str) -> Vec<String> {
    let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
    diags
        .iter()
        .map(|d| {
            let path = format!("{prefix}{}", sources.path(d.primary.span.file));
            let key = (d.code.name().to_string(), path, d.message.clone());
            let n = seen.entry(key.clone()).or_insert(0);
            *n += 1;
            let occurrence = n.to_string();
            fnv1a_128(&[&key.0, &key.1, &key.2, &occurrence])
        })
        .collect()
}

/// FNV-1a, 128 bits, over the parts separated by a NUL byte; lower-case hex.
fn fnv1a_128(parts: &[&str]) -> String {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let mut h = OFFSET;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            // A NUL byte between parts (`h ^ 0` is `h`).
            h = h.wrapping_mul(PRIME);
        }
        for b in part.bytes() {
            h ^= u128::from(b);
            h = h.wrapping_mul(PRIME);
        }
    }
    format!("{h:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

    #[test]
    fn fnv_matches_the_reference_vectors() {
        // Published FNV-1a 128 test vectors.
        assert_eq!(fnv1a_128(&[""]), "6c62272e07bb014262b821756295c58d");
        assert_eq!(fnv1a_128(&["a"]), "d228cb696f1a8caf78912b704e4a8964");
    }

    #[test]
    fn places_are_one_based_with_the_prefix_and_widen_empty_spans() {
        let mut sources = Sources::default();
        let f = sources.add("risks/R-1.yaml".into(), "id: R-1\ntitle: é x\n".into());
        let p = place(&sources, Span::new(f, 8, 13), "reg/");
        assert_eq!(
            p,
            Place {
                path: "reg/risks/R-1.yaml".into(),
                line: 2,
                column: 1,
                end_line: 2,
                end_column: 6
            }
        );
        let p = place(&sources, Span::new(f, 0, 0), "");
        assert_eq!((p.line, p.column, p.end_line, p.end_column), (1, 1, 1, 2));
        // The end of a file cannot be widened.
        let p = place(&sources, Span::new(f, 99, 99), "");
        assert_eq!((p.line, p.column), (p.end_line, p.end_column));
    }

    #[test]
    fn identical_findings_in_one_file_get_distinct_stable_fingerprints() {
        let mut sources = Sources::default();
        let f = sources.add("risks/R-1.yaml".into(), "controls: [A.9, A.9]\n".into());
        let d1 = Diagnostic::new(
            Code::UnknownReference,
            Span::new(f, 11, 14),
            "unknown control",
        );
        let d2 = Diagnostic::new(
            Code::UnknownReference,
            Span::new(f, 16, 19),
            "unknown control",
        );
        let a = fingerprints(&[d1.clone(), d2.clone()], &sources, "");
        assert_eq!(a.len(), 2);
        assert_ne!(a[0], a[1]);
        assert_eq!(a, fingerprints(&[d1.clone(), d2], &sources, ""));
        // The path (with the prefix) is part of the identity.
        assert_ne!(a[0], fingerprints(&[d1], &sources, "sub/")[0]);
    }

    #[test]
    fn full_text_joins_notes_and_help_and_strips_control_characters() {
        let mut sources = Sources::default();
        let f = sources.add("a.yaml".into(), String::new());
        let d = Diagnostic::new(Code::InvalidValue, Span::file_start(f), "bad \u{1b}[31m")
            .note("n")
            .help("h");
        assert_eq!(full_text(&d), "bad \u{fffd}[31m\nnote: n\nhelp: h");
    }
}
