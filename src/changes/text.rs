//! Changes as text, shared by `history` and `diff`: one line per field change and per move
//! of a risk's standing, for the terminal (one line each, no control, bidirectional or
//! invisible format character) and for markdown (field names as code, values escaped so
//! register text cannot break a table or open a link).

use super::{FieldChange, Move};
pub use crate::text::one_line;
use crate::text::{markdown_cell, markdown_code_cell, terminal_line};

/// A value, or `(none)` for an absent one.
pub fn value(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "(none)".into())
}

/// `assessment.likelihood: 3 → 4`, for the terminal.
pub fn field_line(f: &FieldChange) -> String {
    format!(
        "{}: {} → {}",
        terminal_line(&f.field),
        terminal_line(&one_line(&value(&f.before))),
        terminal_line(&one_line(&value(&f.after)))
    )
}

/// A markdown table row `| field | before | after |`.
pub fn field_row(f: &FieldChange) -> String {
    format!(
        "| {} | {} | {} |",
        markdown_code_cell(&f.field),
        markdown_cell(&value(&f.before)),
        markdown_cell(&value(&f.after))
    )
}

/// Lines for a risk's move: `score 9 → 12 ↑`, `level medium → high ↑`, and a threshold
/// crossing. Unescaped (level names come from airisk.toml): the caller escapes each line for
/// its format.
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
            format!(
                "level {} → {} {}",
                value(&m.before.level),
                value(&m.after.level),
                m.level_arrow()
            )
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
