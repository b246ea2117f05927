//! Reading a spreadsheet into a [`Grid`]: rows of typed cells, each with the byte range of
//! its text in a [`SourceFile`], so that a finding about a cell points at it through the
//! same emitters as `check`.
//!
//! CSV (UTF-8, a byte order mark skipped) is its own source: a cell's range is its text in
//! the file, its row the line its record starts on. A workbook (XLSX, XLSM, ODS, through
//! calamine) has no text: its source is the sheet written out one spreadsheet row per line
//! (`A7: R-001 | B7: Title`), named `FILE!Sheet`, so a finding reads
//! `book.xlsx!Risks:7:…` and its message names the cell (`B7`).
//!
//! Bounds, for a file that arrives in a pull request: the file itself ([`MAX_FILE_BYTES`]),
//! every part of a workbook's zip archive decompressed and counted before calamine reads it
//! ([`MAX_UNZIPPED_BYTES`] in all, so a zip bomb stops there), and the rows read
//! ([`MAX_ROWS`]). The caller reads the file (a regular file only: no link, no FIFO).

use crate::source::SourceFile;
use anyhow::{Context, Result, bail};
use calamine::{Data, Reader};
use std::io::{Cursor, Read};

/// The largest spreadsheet file read.
pub const MAX_FILE_BYTES: u64 = 64 << 20;
/// The most a workbook's parts may hold, decompressed, in all.
pub const MAX_UNZIPPED_BYTES: u64 = 256 << 20;
/// The most rows read from a sheet, header included.
pub const MAX_ROWS: usize = 100_000;

/// What a cell holds.
#[derive(Clone, Debug, PartialEq)]
pub enum CellValue {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A cell formatted as a date (`YYYY-MM-DD`).
    Date(String),
    /// A formula error (`#DIV/0!`), or a formula with no value saved in the file.
    Error(String),
    /// Inside a merged range, not its first cell (the range's first cell, `A1` style).
    Merged(String),
}

impl CellValue {
    /// The value as text (numbers without a trailing `.0`).
    pub fn text(&self) -> String {
        match self {
            CellValue::Empty | CellValue::Merged(_) => String::new(),
            CellValue::Text(s) | CellValue::Date(s) | CellValue::Error(s) => s.clone(),
            CellValue::Number(n) => number_text(*n),
            CellValue::Bool(b) => b.to_string(),
        }
    }
}

/// A number as a person reads it: `3`, not `3.0`.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

#[derive(Clone, Debug)]
pub struct Cell {
    pub value: CellValue,
    /// The byte range of the cell's text in the grid's source.
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug)]
pub struct Row {
    /// The spreadsheet's row number (CSV: the line the record starts on).
    pub number: usize,
    /// Where the row starts in the source (for a finding about the whole row).
    pub start: usize,
    pub cells: Vec<Cell>,
}

/// A sheet read.
#[derive(Debug)]
pub struct Grid {
    pub source: SourceFile,
    /// The sheet's name (a workbook's), for cell names in messages.
    pub sheet: Option<String>,
    pub rows: Vec<Row>,
}

impl Grid {
    /// The name of a cell for messages: `B7` (CSV: `row 7, column 2`).
    pub fn cell_name(&self, row: usize, col: usize) -> String {
        match &self.sheet {
            Some(sheet) => format!("{sheet}!{}{row}", column_letters(col)),
            None => format!("row {row}, column {}", col + 1),
        }
    }
}

/// `A`, `B`, ..., `Z`, `AA`: a 0-based column index.
pub fn column_letters(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII")
}

/// Which reader a file's name asks for.
pub fn is_workbook(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".xlsx", ".xlsm", ".ods", ".xls", ".xlsb"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// A CSV file's grid. `shown` is the path findings name.
pub fn csv(shown: &str, bytes: &[u8]) -> Result<Grid> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes)
        .with_context(|| format!("`{shown}` is not UTF-8: save it as CSV UTF-8"))?
        .to_string();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let more = reader
            .read_record(&mut record)
            .with_context(|| format!("cannot read `{shown}` as CSV"))?;
        if !more {
            break;
        }
        if rows.len() == MAX_ROWS {
            bail!("`{shown}` has more than {MAX_ROWS} rows: split it");
        }
        let pos = record.position().expect("a record read has a position");
        let start = pos.byte() as usize;
        let spans = field_spans(&text, start, record.len());
        let cells = record
            .iter()
            .zip(spans)
            .map(|(v, (s, e))| Cell {
                value: if v.trim().is_empty() {
                    CellValue::Empty
                } else {
                    CellValue::Text(v.to_string())
                },
                start: s,
                end: e,
            })
            .collect();
        rows.push(Row {
            number: pos.line() as usize,
            start,
            cells,
        });
    }
    Ok(Grid {
        source: SourceFile::new(shown.to_string(), text),
        sheet: None,
        rows,
    })
}

/// The byte ranges of the `n` fields of the CSV record starting at `start` (a quoted
/// field's range includes its quotes).
fn field_spans(text: &str, start: usize, n: usize) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(n);
    let mut i = start;
    while out.len() < n {
        let s = i;
        if b.get(i) == Some(&b'"') {
            i += 1;
            while i < b.len() {
                if b[i] == b'"' {
                    if b.get(i + 1) == Some(&b'"') {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
        }
        while i < b.len() && !matches!(b[i], b',' | b'\n' | b'\r') {
            i += 1;
        }
        out.push((s, i));
        if b.get(i) == Some(&b',') {
            i += 1;
        }
    }
    out
}

/// Decompresses every part of a workbook's archive, counting, before calamine reads it: a
/// part that inflates past what remains of [`MAX_UNZIPPED_BYTES`] stops the import.
fn bound_archive(shown: &str, bytes: &[u8]) -> Result<()> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .with_context(|| format!("cannot read `{shown}` as a workbook (not a zip archive)"))?;
    let mut left = MAX_UNZIPPED_BYTES;
    for i in 0..zip.len() {
        let mut part = zip
            .by_index(i)
            .with_context(|| format!("cannot read `{shown}`: a broken part"))?;
        let n = std::io::copy(&mut (&mut part).take(left + 1), &mut std::io::sink())
            .with_context(|| format!("cannot read `{shown}`: a broken part"))?;
        if n > left {
            bail!(
                "`{shown}` inflates to more than {} MiB: refused (a zip bomb, or a workbook too big to import)",
                MAX_UNZIPPED_BYTES >> 20
            );
        }
        left -= n;
    }
    Ok(())
}

/// A workbook's sheet (`sheet`, else the first). `shown` is the path findings name.
pub fn workbook(shown: &str, bytes: Vec<u8>, sheet: Option<&str>) -> Result<Grid> {
    if !shown.to_ascii_lowercase().ends_with(".xls") {
        bound_archive(shown, &bytes)?;
    }
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .with_context(|| format!("cannot read `{shown}` as a workbook"))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) if names.iter().any(|n| n == s) => s.to_string(),
        Some(s) => bail!(
            "`{shown}` has no sheet `{s}`; its sheets: {}",
            names.join(", ")
        ),
        None => names
            .first()
            .cloned()
            .with_context(|| format!("`{shown}` has no sheet"))?,
    };
    let range = book
        .worksheet_range(&name)
        .with_context(|| format!("cannot read sheet `{name}` of `{shown}`"))?;
    let formulas = book.worksheet_formula(&name).ok();
    let merged = match &mut book {
        calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
        calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
        _ => Vec::new(),
    };
    let Some((r0, c0)) = range.start() else {
        return Ok(Grid {
            source: SourceFile::new(format!("{shown}!{name}"), String::new()),
            sheet: Some(name),
            rows: Vec::new(),
        });
    };
    let (height, width) = range.get_size();
    if r0 as usize + height > MAX_ROWS {
        bail!("sheet `{name}` of `{shown}` has more than {MAX_ROWS} rows: split it");
    }
    let mut text = String::new();
    let mut rows = Vec::new();
    // Line n of the source is spreadsheet row n: rows above the data are empty lines.
    for _ in 0..r0 {
        text.push('\n');
    }
    for r in 0..height {
        let abs_row = r0 as usize + r;
        let start = text.len();
        let mut cells: Vec<Cell> = (0..c0 as usize)
            .map(|_| Cell {
                value: CellValue::Empty,
                start,
                end: start,
            })
            .collect();
        for c in 0..width {
            let abs_col = c0 as usize + c;
            let data = range.get((r, c)).unwrap_or(&Data::Empty);
            let mut value = cell_value(data);
            if value == CellValue::Empty
                && let Some(f) = &formulas
                && let Some(formula) = f.get_value((abs_row as u32, abs_col as u32))
                && !formula.is_empty()
            {
                value = CellValue::Error(format!("={formula} (no saved value)"));
            }
            if let Some(m) = merged.iter().find(|m| {
                (m.start.0..=m.end.0).contains(&(abs_row as u32))
                    && (m.start.1..=m.end.1).contains(&(abs_col as u32))
                    && (m.start.0, m.start.1) != (abs_row as u32, abs_col as u32)
            }) {
                value = CellValue::Merged(format!(
                    "{}{}",
                    column_letters(m.start.1 as usize),
                    m.start.0 + 1
                ));
            }
            let name = format!("{}{}: ", column_letters(abs_col), abs_row + 1);
            let shown_value = one_line(&value.text());
            if value != CellValue::Empty {
                if text.len() > start {
                    text.push_str(" | ");
                }
                text.push_str(&name);
            }
            let s = text.len();
            if value != CellValue::Empty {
                text.push_str(&shown_value);
            }
            cells.push(Cell {
                value,
                start: s,
                end: text.len(),
            });
        }
        text.push('\n');
        rows.push(Row {
            number: abs_row + 1,
            start,
            cells,
        });
    }
    Ok(Grid {
        source: SourceFile::new(format!("{shown}!{name}"), text),
        sheet: Some(name),
        rows,
    })
}

/// A cell's text on one line of the sheet's source (a line break shows as `⏎`).
fn one_line(s: &str) -> String {
    s.replace("\r\n", "⏎").replace(['\n', '\r'], "⏎")
}

fn cell_value(d: &Data) -> CellValue {
    match d {
        Data::Empty => CellValue::Empty,
        Data::String(s) if s.trim().is_empty() => CellValue::Empty,
        Data::String(s) => CellValue::Text(s.clone()),
        Data::Int(i) => CellValue::Number(*i as f64),
        Data::Float(f) => CellValue::Number(*f),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(dt) => match serial_date(dt.as_f64()) {
            Some(day) if dt.is_datetime() => CellValue::Date(day),
            _ => CellValue::Number(dt.as_f64()),
        },
        Data::DateTimeIso(s) => CellValue::Date(s.chars().take(10).collect()),
        Data::DurationIso(s) => CellValue::Text(s.clone()),
        Data::Error(e) => CellValue::Error(e.to_string()),
    }
}

/// A spreadsheet's day number as `YYYY-MM-DD` (day 1 is 1900-01-01; day 60, the 29th of
/// February 1900 that never was, is counted as Excel counts it).
pub fn serial_date(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let days = serial.floor() as i64;
    let days = if days < 61 { days + 1 } else { days };
    epoch
        .checked_add_signed(chrono::Duration::days(days))
        .map(|d| d.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_point_at_their_text() {
        let g = csv(
            "r.csv",
            "\u{feff}a,b\n\"x, \"\"y\"\"\",2\n\"multi\nline\",3\n".as_bytes(),
        )
        .unwrap();
        let t = &g.source.text;
        assert_eq!(g.rows.len(), 3);
        let c = &g.rows[1].cells[0];
        assert_eq!(&t[c.start..c.end], "\"x, \"\"y\"\"\"");
        assert_eq!(c.value, CellValue::Text("x, \"y\"".into()));
        assert_eq!(&t[g.rows[1].cells[1].start..g.rows[1].cells[1].end], "2");
        assert_eq!(g.rows[2].number, 3);
        assert_eq!(&t[g.rows[2].cells[1].start..g.rows[2].cells[1].end], "3");
    }

    #[test]
    fn columns_and_days_are_named_as_spreadsheets_name_them() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(serial_date(46280.0).as_deref(), Some("2026-09-15"));
        assert_eq!(serial_date(1.0).as_deref(), Some("1900-01-01"));
        assert_eq!(serial_date(61.0).as_deref(), Some("1900-03-01"));
        assert_eq!(number_text(3.0), "3");
        assert_eq!(number_text(2.5), "2.5");
    }
}
