//! Changes in words, shared by `history` and `diff` (and the report's changes since the last
//! review): a value or `(none)`, and the lines of a risk's move (`score 9 → 12 ↑`). Unescaped:
//! `render::changes` writes them for a format.

use super::Move;
pub use crate::text::one_line;

/// A value, or `(none)` for an absent one.
pub fn value(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "(none)".into())
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
