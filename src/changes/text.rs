//! Changes as text, shared by `history` and `diff`: one line per field change and per move
//! of a risk's standing, for the terminal (control characters stripped) and for markdown
//! (cells escaped so register text cannot break a table).

use super::{FieldChange, Move};
use crate::text::{markdown_cell, terminal};

/// A value, or `(none)` for an absent one.
pub fn value(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "(none)".into())
}

/// `assessment.likelihood: 3 → 4`, for the terminal.
pub fn field_line(f: &FieldChange) -> String {
    terminal(&format!(
        "{}: {} → {}",
        f.field,
        one_line(&value(&f.before)),
        one_line(&value(&f.after))
    ))
}

/// A markdown table row `| field | before | after |`.
pub fn field_row(f: &FieldChange) -> String {
    format!(
        "| `{}` | {} | {} |",
        f.field.replace('`', "'"),
        markdown_cell(&value(&f.before)),
        markdown_cell(&value(&f.after))
    )
}

/// Lines for a risk's move: `score 9 → 12 ↑`, `level medium → high ↑`, and a threshold
/// crossing.
pub fn move_lines(m: &Move, threshold: Option<u32>) -> Vec<String> {
    let mut out = Vec::new();
    let num = |v: Option<u32>| v.map_or("(none)".to_string(), |v| v.to_string());
    if m.score_changed() {
        out.push(
            format!(
                "score {} → {} {}",
                num(m.before.score),
                num(m.after.score),
                m.score_arrow()
            )
            .trim_end()
            .to_string(),
        );
    }
    if m.level_changed() {
        out.push(
            terminal(&format!(
                "level {} → {} {}",
                value(&m.before.level),
                value(&m.after.level),
                m.level_arrow()
            ))
            .trim_end()
            .to_string(),
        );
    }
    if let Some(above) = m.threshold_crossed() {
        let t = threshold.map(|t| format!(" ({t})")).unwrap_or_default();
        out.push(if above {
            format!("now above the acceptance threshold{t}")
        } else {
            format!("now within the acceptance threshold{t}")
        });
    }
    out
}

/// Newlines as spaces, for one-line output.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
