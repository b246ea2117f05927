//! Terminal tables (comfy-table): the document's title, control block, key figures and one
//! table per section; level colours only when colour is on. Register text is escaped for the
//! terminal (`text::terminal`: no control, bidirectional or invisible format character);
//! lines outside the table are one line each.
//!
//! On a terminal (`Options::width`), every line fits its width: `layout` decides which
//! columns to show and how wide each is — ids, dates, levels, statuses, numbers and paths are
//! never split, lists break between items, long text takes the room left and is cut short
//! with `…` (or wraps, in `show`), columns give way in the document's order and a line under
//! the table names them; too narrow for even the columns that never give way, the rows are
//! listed as items, one field a line. Sections with the same columns (the SoA's groups) are
//! laid out together, so they line up. Piped (no width), nothing is fitted or wrapped, so
//! the output is stable.

use super::Options;
use super::layout::{self, Kind, Plan, Text};
use crate::report::{Cell, Document, Section, Value};
use crate::text::{one_line, terminal, terminal_line};
use comfy_table::{
    Attribute, CellAlignment, Color, ColumnConstraint, ContentArrangement, Table, TableStyle,
    Width, presets,
};
use std::collections::BTreeMap;
use std::fmt::Write;

pub fn render(doc: &Document, opts: &Options) -> String {
    let mut out = String::new();
    let width = opts.width.map(usize::from);
    let c = &doc.control;
    line(&mut out, &terminal_line(&one_line(&doc.title)), width);
    let mut control = format!(
        "{} · as of {}",
        terminal_line(&one_line(&c.organisation)),
        c.as_of
    );
    if let Some(commit) = &c.commit {
        let _ = write!(control, " · commit {commit}");
    }
    if c.draft {
        let _ = write!(control, " · DRAFT (uncommitted changes)");
    }
    if let Some(w) = &c.as_of_warning {
        let _ = write!(control, " · note: {}", terminal_line(&one_line(w)));
    }
    line(&mut out, &control, width);
    if !doc.summary.is_empty() {
        let figures: Vec<String> = doc
            .summary
            .iter()
            .map(|f| {
                format!(
                    "{}: {}",
                    terminal_line(&one_line(&f.label)),
                    terminal_line(&one_line(&f.text_value()))
                )
            })
            .collect();
        line(&mut out, &figures.join(" · "), width);
    }
    for n in &doc.notes {
        line(&mut out, &terminal_line(&one_line(n)), width);
    }
    let plans = width.map(|w| plans(&doc.sections, w));
    let left_out = plans.iter().flatten().any(|(p, _)| match p {
        Plan::Table(widths) => widths.contains(&None),
        Plan::List => false,
    });
    for (i, s) in doc.sections.iter().enumerate() {
        out.push('\n');
        if doc.sections.len() > 1 || s.title != doc.title {
            line(&mut out, &terminal_line(&one_line(&s.title)), width);
        }
        if s.table.rows.is_empty() {
            out.push_str("(none)\n");
            continue;
        }
        match (&plans, width) {
            (Some(plans), Some(w)) => {
                let (plan, last) = &plans[i];
                fitted(&mut out, s, plan, *last, w, opts.color, DOCUMENT);
            }
            _ => {
                let _ = writeln!(out, "{}", unfitted(s, opts.color));
            }
        }
    }
    if left_out {
        out.push('\n');
        line(
            &mut out,
            "A wider terminal, or --format markdown, json or html, shows every column.",
            width,
        );
    }
    out
}

/// One line of text outside the tables: wrapped at spaces to the terminal's width, if any.
fn line(out: &mut String, text: &str, width: Option<usize>) {
    match width {
        Some(w) => {
            for l in layout::wrap(text, w) {
                out.push_str(&l);
                out.push('\n');
            }
        }
        None => {
            out.push_str(text);
            out.push('\n');
        }
    }
}

/// The borders of a document's tables.
const DOCUMENT: TableStyle = presets::UTF8_FULL_CONDENSED;

fn new_table(color: bool, preset: TableStyle) -> Table {
    let mut t = Table::new();
    t.load_style(preset);
    t.set_content_arrangement(ContentArrangement::Disabled);
    if color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t
}

fn heading(text: String, color: bool) -> comfy_table::Cell {
    let cell = comfy_table::Cell::new(text);
    if color {
        cell.add_attribute(Attribute::Bold)
    } else {
        cell
    }
}

/// The whole table, nothing wrapped (piped output).
fn unfitted(s: &Section, color: bool) -> Table {
    let mut t = new_table(color, DOCUMENT);
    t.set_header(
        s.table
            .columns
            .iter()
            .map(|c| heading(terminal_line(&c.title), color)),
    );
    for row in &s.table.rows {
        t.add_row(
            row.iter()
                .zip(s.table.columns.iter())
                .map(|(cell, col)| styled(cell, terminal(&s.table.text(cell)), col.wide, color)),
        );
    }
    t
}

/// A section's cells as the layout sees them: lists as their items (each escaped), the rest
/// as text.
fn texts(s: &Section) -> Vec<Vec<Text>> {
    let t = &s.table;
    t.rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|cell| match (&cell.value, t.counts) {
                    (Value::List(items), false) if !items.is_empty() => {
                        let mut items: Vec<String> =
                            items.iter().map(|i| terminal_line(i)).collect();
                        if let (Some(l), true) = (&cell.level, t.level_names) {
                            items[0] = format!("{}: {}", terminal_line(&l.name), items[0]);
                        }
                        Text::Items(items)
                    }
                    _ => Text::Plain(terminal(&t.text(cell))),
                })
                .collect()
        })
        .collect()
}

/// How each column of a section may break.
fn kinds(s: &Section) -> Vec<Kind> {
    let t = &s.table;
    t.columns
        .iter()
        .enumerate()
        .map(|(i, c)| match (c.wide, c.wrap) {
            (true, true) => Kind::Wrap,
            (true, false) => Kind::Cut,
            _ if !t.counts
                && t.rows
                    .iter()
                    .any(|r| matches!(r.get(i).map(|c| &c.value), Some(Value::List(_)))) =>
            {
                Kind::Items
            }
            _ => Kind::Whole,
        })
        .collect()
}

/// The layout of every section at `width`, and whether it is the last section laid out that
/// way; sections with the same columns share one, so the SoA's groups line up.
fn plans(sections: &[Section], width: usize) -> Vec<(Plan, bool)> {
    let mut shapes: BTreeMap<Vec<&str>, Vec<usize>> = BTreeMap::new();
    for (i, s) in sections.iter().enumerate() {
        let key = s.table.columns.iter().map(|c| c.key.as_ref()).collect();
        shapes.entry(key).or_default().push(i);
    }
    let mut plans = vec![(Plan::List, false); sections.len()];
    for members in shapes.values() {
        let first = &sections[members[0]];
        let all: Vec<Vec<Vec<Text>>> = members.iter().map(|&i| texts(&sections[i])).collect();
        // A column is a list if it is one in any of the sections.
        let mut kinds = kinds(first);
        for &i in &members[1..] {
            for (k, other) in kinds.iter_mut().zip(self::kinds(&sections[i])) {
                if other == Kind::Items {
                    *k = Kind::Items;
                }
            }
        }
        let needs: Vec<layout::Need> = first
            .table
            .columns
            .iter()
            .enumerate()
            .map(|(c, col)| {
                let cells = all.iter().flatten().filter_map(|row| row.get(c));
                layout::measure(&terminal_line(&col.title), kinds[c], col.drop, cells)
            })
            .collect();
        let pinned = members.iter().any(|&i| sections[i].table.pinned);
        let plan = layout::plan(&needs, width, pinned);
        for &i in members {
            plans[i] = (plan.clone(), Some(&i) == members.last());
        }
    }
    plans
}

/// A section fitted to `width`: a table of the columns the plan keeps (each as wide as the
/// plan says, so sections laid out alike line up), and after the `last` of them a line
/// naming the columns left out; or, too narrow for a table, the rows as items.
fn fitted(
    out: &mut String,
    s: &Section,
    plan: &Plan,
    last: bool,
    width: usize,
    color: bool,
    preset: TableStyle,
) {
    let t = &s.table;
    let texts = texts(s);
    let kinds = kinds(s);
    let Plan::Table(widths) = plan else {
        let headings: Vec<String> = t.columns.iter().map(|c| terminal_line(&c.title)).collect();
        for l in layout::items(&headings, &kinds, &texts, width) {
            let value = match l.at {
                Some((r, c)) => paint(&l.value, &t.rows[r][c], color),
                None => l.value,
            };
            let _ = writeln!(out, "{}{value}", l.lead);
        }
        return;
    };
    let mut table = new_table(color, preset);
    let shown: Vec<(usize, usize)> = widths
        .iter()
        .enumerate()
        .filter_map(|(i, w)| w.map(|w| (i, w)))
        .collect();
    table.set_header(shown.iter().map(|&(i, w)| {
        heading(
            layout::wrap(&terminal_line(&t.columns[i].title), w).join("\n"),
            color,
        )
    }));
    for (r, row) in t.rows.iter().enumerate() {
        table.add_row(shown.iter().map(|&(i, w)| {
            let text = layout::lines(&texts[r][i], kinds[i], w).join("\n");
            styled(&row[i], text, t.columns[i].wide, color)
        }));
    }
    for (column, &(_, w)) in table.column_iter_mut().zip(&shown) {
        // The plan's width is the content's; comfy-table's includes the padding.
        let w = u16::try_from(w + 2).unwrap_or(u16::MAX);
        column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(w)));
    }
    let _ = writeln!(out, "{table}");
    if !last {
        return;
    }
    let left_out: Vec<String> = widths
        .iter()
        .zip(&t.columns)
        .filter(|(w, _)| w.is_none())
        .map(|(_, c)| terminal_line(&c.key))
        .collect();
    if !left_out.is_empty() {
        line(
            out,
            &format!("Left out at {width} columns: {}.", left_out.join(", ")),
            Some(width),
        );
    }
}

/// The colour of a level cell's band.
fn band_color(band: &str) -> Color {
    match band {
        "l0" => Color::Green,
        "l1" => Color::Yellow,
        "l2" => Color::DarkYellow,
        "l3" => Color::Red,
        _ => Color::DarkRed,
    }
}

/// A value of the item list, coloured like the cell's level.
fn paint(line: &str, cell: &Cell, color: bool) -> String {
    let (true, Some(l)) = (color, &cell.level) else {
        return line.to_string();
    };
    // The 256-colour numbers comfy-table's colours stand for.
    let n = match band_color(&l.band) {
        Color::Green => 10,
        Color::Yellow => 11,
        Color::DarkYellow => 3,
        Color::Red => 9,
        _ => 1,
    };
    let style = anstyle::Style::new()
        .bold()
        .fg_color(Some(anstyle::Ansi256Color(n).into()));
    format!("{}{line}{}", style.render(), style.render_reset())
}

fn styled(cell: &Cell, text: String, wide: bool, color: bool) -> comfy_table::Cell {
    let mut c = comfy_table::Cell::new(text);
    // Numbers line up on the right in a column of numbers, not in a column of prose.
    if matches!(cell.value, Value::Int(_) | Value::Decimal(_)) && !wide {
        c = c.set_alignment(CellAlignment::Right);
    }
    if let (true, Some(l)) = (color, &cell.level) {
        c = c.fg(band_color(&l.band)).add_attribute(Attribute::Bold);
    }
    c
}

/// What a column of a [`Plain`] table holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holds {
    /// Values that stay whole (ids, names of things).
    Value,
    /// A list of values joined with `, `: breaks between them.
    List,
    /// Long text: cut short with `…` on a narrow terminal.
    Text,
}

/// A plain table outside the documents (`taxonomy`), in markdown-like borders: whole when
/// piped, fitted to the terminal like a document's tables when there is one.
pub struct Plain {
    columns: Vec<(String, Holds)>,
    rows: Vec<Vec<String>>,
}

impl Plain {
    pub fn new(columns: &[(&str, Holds)]) -> Self {
        Plain {
            columns: columns.iter().map(|(t, h)| (t.to_string(), *h)).collect(),
            rows: Vec::new(),
        }
    }

    pub fn add_row(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// The table, fitted to `width` columns when there is one.
    pub fn render(&self, width: Option<u16>) -> String {
        let Some(width) = width else {
            let mut t = new_table(false, presets::ASCII_MARKDOWN);
            t.set_header(self.columns.iter().map(|(title, _)| title.as_str()));
            for row in &self.rows {
                t.add_row(row.clone());
            }
            return t.to_string();
        };
        let columns = self
            .columns
            .iter()
            .map(|(title, holds)| {
                let mut c = crate::report::Column::owned(title.clone(), title.clone());
                c.wide = *holds == Holds::Text;
                c
            })
            .collect();
        let rows = self
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .zip(&self.columns)
                    .map(|(text, (_, holds))| match holds {
                        Holds::List if !text.is_empty() => Cell::list(text.split(", ")),
                        _ => Cell::text(text),
                    })
                    .collect()
            })
            .collect();
        let section = Section {
            id: String::new(),
            title: String::new(),
            note: None,
            table: crate::report::Table::new(columns, rows),
        };
        let width = usize::from(width);
        let (plan, _) = plans(std::slice::from_ref(&section), width)
            .pop()
            .expect("one section");
        let mut out = String::new();
        fitted(
            &mut out,
            &section,
            &plan,
            true,
            width,
            false,
            presets::ASCII_MARKDOWN,
        );
        out.truncate(out.trim_end().len());
        out
    }
}
