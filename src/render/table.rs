//! Terminal tables (comfy-table): the document's title, control block, key figures and one
//! table per section; level colours only when colour is on; fitted to the terminal's width
//! when there is one, never wrapped otherwise (so piped output is stable). Register text is
//! escaped for the terminal (`text::terminal`: no control, bidirectional or invisible format
//! character); lines outside the table are one line each.

use super::Options;
use crate::report::{Cell, Document, Value};
use crate::text::{one_line, terminal, terminal_line};
use comfy_table::{Attribute, CellAlignment, Color, ContentArrangement, Table, presets};
use std::fmt::Write;

pub fn render(doc: &Document, opts: &Options) -> String {
    let mut out = String::new();
    let c = &doc.control;
    let _ = writeln!(out, "{}", terminal_line(&one_line(&doc.title)));
    let _ = write!(
        out,
        "{} · as of {}",
        terminal_line(&one_line(&c.organisation)),
        c.as_of
    );
    if let Some(commit) = &c.commit {
        let _ = write!(out, " · commit {commit}");
    }
    if c.draft {
        let _ = write!(out, " · DRAFT (uncommitted changes)");
    }
    out.push('\n');
    if !doc.summary.is_empty() {
        let figures: Vec<String> = doc
            .summary
            .iter()
            .map(|f| {
                format!(
                    "{}: {}",
                    terminal_line(&one_line(&f.label)),
                    terminal_line(&one_line(&f.value))
                )
            })
            .collect();
        let _ = writeln!(out, "{}", figures.join(" · "));
    }
    for n in &doc.notes {
        let _ = writeln!(out, "{}", terminal_line(&one_line(n)));
    }
    for s in &doc.sections {
        out.push('\n');
        if doc.sections.len() > 1 || s.title != doc.title {
            let _ = writeln!(out, "{}", terminal_line(&one_line(&s.title)));
        }
        if s.table.rows.is_empty() {
            out.push_str("(none)\n");
            continue;
        }
        let mut t = Table::new();
        t.load_style(presets::UTF8_FULL_CONDENSED);
        match opts.width {
            Some(w) => {
                t.set_content_arrangement(ContentArrangement::Dynamic);
                t.set_width(w);
            }
            None => {
                t.set_content_arrangement(ContentArrangement::Disabled);
            }
        }
        if opts.color {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        t.set_header(s.table.columns.iter().map(|c| {
            let cell = comfy_table::Cell::new(c.title.as_ref());
            if opts.color {
                cell.add_attribute(Attribute::Bold)
            } else {
                cell
            }
        }));
        for row in &s.table.rows {
            t.add_row(
                row.iter()
                    .zip(s.table.columns.iter())
                    .map(|(cell, col)| styled(cell, col.wide, s.table.level_names, opts.color)),
            );
        }
        let _ = writeln!(out, "{t}");
    }
    out
}

fn styled(cell: &Cell, wide: bool, level_names: bool, color: bool) -> comfy_table::Cell {
    let mut c = comfy_table::Cell::new(terminal(&cell.display(level_names)));
    // Numbers line up on the right in a column of numbers, not in a column of prose.
    if matches!(cell.value, Value::Int(_)) && !wide {
        c = c.set_alignment(CellAlignment::Right);
    }
    if let (true, Some(l)) = (color, &cell.level) {
        let colour = match l.band.as_str() {
            "l0" => Color::Green,
            "l1" => Color::Yellow,
            "l2" => Color::DarkYellow,
            "l3" => Color::Red,
            _ => Color::DarkRed,
        };
        c = c.fg(colour).add_attribute(Attribute::Bold);
    }
    c
}
