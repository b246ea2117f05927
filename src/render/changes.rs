//! One field change as a format shows it, shared by the renderers of a history and a diff:
//! one line for the terminal (no control, bidirectional or invisible format character), a
//! table row for markdown (field names as code, values escaped so register text cannot break
//! a table or open a link).

use crate::changes::FieldChange;
use crate::changes::text::{one_line, value};
use crate::text::{markdown_cell, markdown_code_cell, terminal_line};

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
