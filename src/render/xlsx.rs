//! XLSX: a real workbook of any [`Document`] (`--format xlsx` of `register`, `soa`, `due`),
//! through rust_xlsxwriter.
//!
//! The data sheet holds the rows of every section, like CSV (one table, the column keys as
//! headers, a `section` column first when there are several sections; sections of different
//! shapes get a sheet each): typed cells — numbers as numbers, `YYYY-MM-DD` as dates shown
//! `yyyy-mm-dd`, yes/no as the other formats write them (a boolean cell shows as 1 or 0 in
//! some programs), lists joined with `, ` —, a bold frozen header row
//! with an autofilter, column widths from the longest value (wide columns wrap), and the
//! risk level of a cell as its fill colour (green to red over the configured levels). A
//! second sheet, "Document control", holds the control block (organisation, scope, as of,
//! commit, approver, DRAFT), the document's figures and notes; a DRAFT document also says
//! so in the printed header of every sheet.
//!
//! Text is always written as a string cell, never as a formula (`=cmd` stays text); the
//! control characters XML cannot hold are dropped and a cell is cut at Excel's 32,767
//! characters. The same document gives the same bytes: the workbook's creation time is the
//! document's as-of day, and nothing else in the file depends on the clock.

use crate::report::{Cell, Document, Table, Value};
use anyhow::{Context, Result};
use rayon::prelude::*;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

/// Excel's limit on the characters of a cell.
const MAX_CELL_CHARS: usize = 32_767;
/// Excel's limit on a sheet name.
const MAX_SHEET_NAME: usize = 31;

/// The fills of the level bands `l0` (lowest) .. `l4` (highest).
const BANDS: [u32; 5] = [0xC6EFCE, 0xE2EFDA, 0xFFEB9C, 0xF8CBAD, 0xFFC7CE];

pub fn render(doc: &Document) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let day = parse_day(&doc.control.as_of)
        .unwrap_or_else(|| ExcelDateTime::from_ymd(2000, 1, 1).expect("a valid day"));
    wb.set_properties(
        &DocProperties::new()
            .set_title(clean(&doc.title))
            .set_company(clean(&doc.control.organisation))
            .set_author(clean(&doc.control.generator))
            .set_creation_datetime(&day),
    );
    let styles = Styles::new();
    let first = doc.sections.first();
    let same_shape = doc.sections.iter().all(|s| {
        first.is_some_and(|f| {
            s.table.columns.len() == f.table.columns.len()
                && s.table
                    .columns
                    .iter()
                    .zip(&f.table.columns)
                    .all(|(a, b)| a.key == b.key)
        })
    });
    let mut names: Vec<String> = Vec::new();
    if same_shape {
        let multi = doc.sections.len() > 1;
        let rows: Vec<(&str, &Table, &Vec<Cell>)> = doc
            .sections
            .iter()
            .flat_map(|s| {
                s.table
                    .rows
                    .iter()
                    .map(move |r| (s.id.as_str(), &s.table, r))
            })
            .collect();
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&doc.title, &mut names))?;
        if let Some(f) = first {
            data_sheet(ws, &f.table, multi, &rows, &styles, doc.control.draft)?;
        }
    } else {
        for s in &doc.sections {
            let rows: Vec<(&str, &Table, &Vec<Cell>)> = s
                .table
                .rows
                .iter()
                .map(|r| (s.id.as_str(), &s.table, r))
                .collect();
            let ws = wb.add_worksheet();
            ws.set_name(sheet_name(&s.title, &mut names))?;
            data_sheet(ws, &s.table, false, &rows, &styles, doc.control.draft)?;
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name("Document control", &mut names))?;
    control_sheet(ws, doc, &styles)?;
    wb.save_to_buffer().context("cannot write the workbook")
}

struct Styles {
    header: Format,
    date: Format,
    /// A date of the control sheet, left-aligned as its other values are.
    day_left: Format,
    /// Every other data cell: top-aligned, as the wrapped cells of its row are.
    top: Format,
    wrap: Format,
    key: Format,
    draft: Format,
}

impl Styles {
    fn new() -> Styles {
        Styles {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border_bottom(FormatBorder::Thin),
            date: Format::new()
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Top),
            top: Format::new().set_align(FormatAlign::Top),
            day_left: Format::new()
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Left),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            key: Format::new().set_bold().set_align(FormatAlign::Top),
            draft: Format::new()
                .set_bold()
                .set_align(FormatAlign::Top)
                .set_font_color(Color::RGB(0xC00000)),
        }
    }
}

/// One sheet of rows under `table`'s columns (and a `section` column first with `multi`).
fn data_sheet(
    ws: &mut Worksheet,
    table: &Table,
    multi: bool,
    rows: &[(&str, &Table, &Vec<Cell>)],
    styles: &Styles,
    draft: bool,
) -> Result<()> {
    let offset = u16::from(multi);
    let mut widths: Vec<usize> = Vec::new();
    if multi {
        ws.write_string_with_format(0, 0, "section", &styles.header)?;
        widths.push("section".len());
    }
    for (i, c) in table.columns.iter().enumerate() {
        ws.write_string_with_format(0, i as u16 + offset, clean(&c.key), &styles.header)?;
        widths.push(c.key.chars().count());
    }
    let bands: Vec<Format> = BANDS
        .iter()
        .map(|&rgb| {
            Format::new()
                .set_background_color(Color::RGB(rgb))
                .set_align(FormatAlign::Top)
        })
        .collect();
    let dated_bands: Vec<Format> = BANDS
        .iter()
        .map(|&rgb| {
            Format::new()
                .set_background_color(Color::RGB(rgb))
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Top)
        })
        .collect();
    // Each cell's text, type and fill first, on every core (a million cells at 50,000
    // risks); then the widths; then the writes, which the workbook takes one at a time.
    let plans: Vec<Vec<Planned>> = rows
        .par_iter()
        .map(|(_, t, cells)| {
            cells
                .iter()
                .enumerate()
                .map(|(i, cell)| plan(t, cell, table.columns.get(i).is_some_and(|c| c.wide)))
                .collect()
        })
        .collect();
    // The width of each column first (the longest value, within bounds), so that a row of
    // wrapped text can be given the height its lines need: programs do not all fit rows to
    // wrapped text when they open a file (LibreOffice does not).
    for ((section, _, _), cells) in rows.iter().zip(&plans) {
        if multi {
            widths[0] = widths[0].max(section.chars().count());
        }
        for (i, cell) in cells.iter().enumerate() {
            let w = &mut widths[i + usize::from(offset)];
            *w = (*w).max(cell.chars);
        }
    }
    let limit = |i: usize| {
        let wide = i >= usize::from(offset)
            && table
                .columns
                .get(i - usize::from(offset))
                .is_some_and(|c| c.wide);
        if wide { 60 } else { 40 }
    };
    for (i, w) in widths.iter_mut().enumerate() {
        *w = (*w).clamp(6, limit(i));
    }
    for (r, ((section, _, _), cells)) in rows.iter().zip(plans).enumerate() {
        let row = r as u32 + 1;
        let mut lines = 1;
        if multi {
            ws.write_string_with_format(row, 0, clean(section), &styles.top)?;
        }
        for (i, cell) in cells.into_iter().enumerate() {
            let col = i as u16 + offset;
            let band = cell.band;
            if let Some(lengths) = &cell.lines {
                let width = widths[col as usize].max(1);
                let need: usize = lengths.iter().map(|l| l.div_ceil(width).max(1)).sum();
                lines = lines.max(need.min(20));
            }
            match cell.write {
                Write::Nothing => {}
                Write::Number(n) => {
                    match band {
                        Some(b) => ws.write_number_with_format(row, col, n, &bands[b])?,
                        None => ws.write_number_with_format(row, col, n, &styles.top)?,
                    };
                }
                Write::Day(day) => {
                    match band {
                        Some(b) => {
                            ws.write_datetime_with_format(row, col, &day, &dated_bands[b])?
                        }
                        None => ws.write_datetime_with_format(row, col, &day, &styles.date)?,
                    };
                }
                Write::Text(s) => {
                    match (band, cell.lines.is_some()) {
                        (Some(b), _) => ws.write_string_with_format(row, col, s, &bands[b])?,
                        (None, true) => ws.write_string_with_format(row, col, s, &styles.wrap)?,
                        (None, false) => ws.write_string_with_format(row, col, s, &styles.top)?,
                    };
                }
            }
        }
        if lines > 1 {
            ws.set_row_height(row, 15.0 * lines as f64)?;
        }
    }
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, (*w + 2) as f64)?;
    }
    ws.set_freeze_panes(1, 0)?;
    // Printed: A4 landscape, one page wide, the header on every page.
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    let last_col = (widths.len().max(1) - 1) as u16;
    ws.autofilter(0, 0, rows.len() as u32, last_col)?;
    if draft {
        ws.set_header("&C&\"-,Bold\"DRAFT: uncommitted changes");
    }
    Ok(())
}

fn control_sheet(ws: &mut Worksheet, doc: &Document, styles: &Styles) -> Result<()> {
    let c = &doc.control;
    let mut lines: Vec<(String, String)> = vec![
        ("Document".into(), doc.title.clone()),
        ("Organisation".into(), c.organisation.clone()),
    ];
    if let Some(s) = &c.scope {
        lines.push(("Scope".into(), s.clone()));
    }
    lines.push(("As of".into(), c.as_of.clone()));
    lines.push(("Generated by".into(), c.generator.clone()));
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "(not in git)".into());
    lines.push(("Commit".into(), opt(&c.commit)));
    lines.push(("Commit date".into(), opt(&c.commit_date)));
    lines.push(("Author".into(), opt(&c.author)));
    lines.push((
        "Approved by".into(),
        c.approver
            .clone()
            .unwrap_or_else(|| "(no approval recorded)".into()),
    ));
    if !c.claimed.is_empty() {
        lines.push(("Claimed, not approvals".into(), c.claimed.join("; ")));
    }
    if let Some(pr) = c.pull_request {
        lines.push(("Pull request".into(), pr.reference()));
    }
    lines.push((
        "Status".into(),
        if c.draft {
            "DRAFT: the register has uncommitted changes".into()
        } else if c.commit.is_some() {
            "committed".into()
        } else {
            "DRAFT: not rendered from a git commit".into()
        },
    ));
    for f in &doc.summary {
        lines.push((f.label.clone(), f.text_value()));
    }
    for (i, n) in doc.notes.iter().enumerate() {
        lines.push((
            if i == 0 {
                "Notes".into()
            } else {
                String::new()
            },
            n.clone(),
        ));
    }
    let mut width = 10;
    for (r, (k, v)) in lines.iter().enumerate() {
        let row = r as u32;
        ws.write_string_with_format(row, 0, clean(k), &styles.key)?;
        width = width.max(k.chars().count());
        let status = k == "Status" && v.starts_with("DRAFT");
        let lines = v.chars().count().div_ceil(78).clamp(1, 20);
        if lines > 1 {
            ws.set_row_height(row, 15.0 * lines as f64)?;
        }
        match parse_day(v) {
            Some(day) => ws.write_datetime_with_format(row, 1, &day, &styles.day_left)?,
            None if status => ws.write_string_with_format(row, 1, clean(v), &styles.draft)?,
            None => ws.write_string_with_format(row, 1, clean(v), &styles.wrap)?,
        };
    }
    ws.set_column_width(0, (width + 2) as f64)?;
    ws.set_column_width(1, 80)?;
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    if c.draft || c.commit.is_none() {
        ws.set_header("&C&\"-,Bold\"DRAFT");
    }
    Ok(())
}

/// `YYYY-MM-DD` as a spreadsheet date.
/// What to write for one cell, decided before the writes.
struct Planned {
    write: Write,
    /// The level band of its fill.
    band: Option<usize>,
    /// The characters of its text (the column's width is the longest).
    chars: usize,
    /// In a wide column, the characters of each line of its text (its row's height).
    lines: Option<Vec<usize>>,
}

enum Write {
    Nothing,
    Number(f64),
    Day(ExcelDateTime),
    Text(String),
}

/// How `cell` of table `t` is written: numbers as numbers, days as dates, the rest as
/// text a cell can hold.
fn plan(t: &Table, cell: &Cell, wide: bool) -> Planned {
    let band = cell.level.as_ref().and_then(|l| {
        l.band
            .strip_prefix('l')
            .and_then(|n| n.parse::<usize>().ok())
            .map(|n| n.min(BANDS.len() - 1))
    });
    let text = t.text(cell);
    let lines = wide.then(|| text.split('\n').map(|l| l.chars().count()).collect());
    let write = match (&cell.value, parse_day(&text)) {
        (Value::Null, _) if band.is_none() => Write::Nothing,
        (Value::Int(n), _) if text == n.to_string() => Write::Number(*n as f64),
        (Value::Decimal(v), _) if text == cell.value.text() => Write::Number(*v),
        (Value::PullRequest(p), _) => Write::Number(p.number as f64),
        (Value::Text(_), Some(day)) => Write::Day(day),
        _ => Write::Text(clean(&text)),
    };
    Planned {
        write,
        band,
        chars: text.chars().count(),
        lines,
    }
}

fn parse_day(s: &str) -> Option<ExcelDateTime> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: u16 = s[..4].parse().ok()?;
    let m: u8 = s[5..7].parse().ok()?;
    let d: u8 = s[8..].parse().ok()?;
    chrono::NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))?;
    ExcelDateTime::from_ymd(y, m, d).ok()
}

/// Text a cell can hold: no control character XML 1.0 forbids (tab and line breaks kept),
/// at most [`MAX_CELL_CHARS`] characters.
fn clean(s: &str) -> String {
    let kept: String = s
        .chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r')
                || !(c.is_control() || c == '\u{fffe}' || c == '\u{ffff}')
        })
        .collect();
    if kept.chars().count() <= MAX_CELL_CHARS {
        return kept;
    }
    let mut cut: String = kept.chars().take(MAX_CELL_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// A sheet name Excel accepts, unique among `taken`: no `[]:*?/\`, at most 31 characters.
fn sheet_name(title: &str, taken: &mut Vec<String>) -> String {
    let base: String = title
        .chars()
        .map(|c| {
            if "[]:*?/\\".contains(c) || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .trim()
        .trim_matches('\'')
        .chars()
        .take(MAX_SHEET_NAME)
        .collect();
    let base = if base.is_empty() {
        "Sheet".to_string()
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        let suffix = format!(" ({n})");
        let keep = MAX_SHEET_NAME - suffix.len();
        name = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
        n += 1;
    }
    taken.push(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_what_excel_accepts() {
        let mut taken = Vec::new();
        assert_eq!(sheet_name("A/B: [c]", &mut taken), "A B   c");
        assert_eq!(sheet_name("a/b: [C]", &mut taken), "a b   C (2)");
        let long = "x".repeat(40);
        assert_eq!(sheet_name(&long, &mut taken).chars().count(), 31);
        assert_eq!(sheet_name("", &mut taken), "Sheet");
    }

    #[test]
    fn text_is_cleaned_and_cut() {
        assert_eq!(clean("a\u{1b}[31mb\nc\u{0}"), "a[31mb\nc");
        assert_eq!(clean(&"y".repeat(40_000)).chars().count(), MAX_CELL_CHARS);
        assert!(parse_day("2026-02-30").is_none());
        assert!(parse_day("2026-02-28").is_some());
        assert!(parse_day("R-2026-0228").is_none());
    }
}
