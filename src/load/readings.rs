//! Reading files, `monitoring/**/*.csv` (SPEC §9): one reading per row, read with the `csv`
//! crate through the register's [`Tree`] (confined, at most [`MAX_FILE_BYTES`] a file, like
//! every register file: about 80 years of daily readings of one monitor).
//!
//! The header is checked against the declared columns (`kinds::readings`): a column that is
//! not one is `unknown-field` at its cell (with a suggestion), a required one that is absent
//! `missing-field` at the header, a repeated one `invalid-value`; a UTF-8 byte order mark is
//! accepted. Every cell has its file:line:column span: a bad date or number is
//! `invalid-value` at the cell, an empty required cell `missing-field`, a row with another
//! number of cells than the header `invalid-value` at the row.
//!
//! The readings are read after the YAML files, because what a row is kept for depends on
//! them: a row's monitor (by system and monitor id), its threshold (a breach?) and the review
//! dates of the risks the monitor links (the trigger). Rows are folded into the monitor's
//! [`Series`] as they are read, never kept: memory is the files' text plus a fixed amount per
//! monitor. A file records, in the symbol index, the first row naming each system and each
//! `system/monitor` (so an unknown one is `unknown-reference` once per file, at its first
//! cell, not once per row).
//!
//! Files are read in parallel and their series merged in path order: the same result on
//! every run.

use super::fields::Cx;
use super::tree::{MAX_FILE_BYTES, Tree, Unreadable};
use crate::diag::{Code, Diagnostic, Suggester};
use crate::kinds::Kind;
use crate::kinds::readings::READING;
use crate::model::monitoring::{Point, Series, parse_decimal, parse_moment};
use crate::model::symbols::Recorded;
use crate::model::{Date, FileId, Register, Sp, Span};
use crate::source::SourceFile;
use rayon::prelude::*;
use std::collections::HashMap;

/// The columns, in the order of the declaration.
const COLUMNS: [&str; 6] = ["date", "system", "monitor", "value", "source", "note"];
const REQUIRED: usize = 4;

/// What one reading file gave.
pub struct ReadFile {
    pub source: SourceFile,
    pub diags: Vec<Diagnostic>,
    pub recorded: Recorded,
}

/// Where each monitor with an id is: systems and monitors by id (the first of each).
struct Index<'r> {
    by_system: HashMap<&'r str, HashMap<&'r str, usize>>,
    /// Per monitor (in `slots` order): where it is, and the review dates it watches.
    slots: Vec<Slot>,
}

struct Slot {
    system: usize,
    monitor: usize,
    watched: Vec<Date>,
}

impl<'r> Index<'r> {
    fn new(reg: &'r Register) -> Index<'r> {
        let mut reviewed: HashMap<&str, Date> = HashMap::new();
        for r in &reg.risks {
            if let Some(d) = &r.reviewed {
                reviewed.entry(r.id.value.as_str()).or_insert(d.value);
            }
        }
        let mut by_system: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
        let mut slots = Vec::new();
        for (si, s) in reg.systems.iter().enumerate() {
            if s.id.value.is_empty() || by_system.contains_key(s.id.value.as_str()) {
                continue;
            }
            let mons = by_system.entry(s.id.value.as_str()).or_default();
            for (mi, m) in s.monitoring.iter().enumerate() {
                let Some(id) = &m.id else { continue };
                if mons.contains_key(id.value.as_str()) {
                    continue;
                }
                mons.insert(id.value.as_str(), slots.len());
                slots.push(Slot {
                    system: si,
                    monitor: mi,
                    watched: m
                        .risks
                        .iter()
                        .filter_map(|r| reviewed.get(r.value.as_str()).copied())
                        .collect(),
                });
            }
        }
        Index { by_system, slots }
    }
}

/// Reads every reading file (`files`: path and the listing's refusal, if any; the first gets
/// `FileId(first)`) into the series of the register's monitors.
pub fn read_all(
    tree: &dyn Tree,
    first: usize,
    files: Vec<(String, Option<Unreadable>)>,
    reg: &mut Register,
) -> Vec<ReadFile> {
    let results: Vec<(ReadFile, HashMap<usize, Series>)>;
    let slots: Vec<(usize, usize, Vec<Date>)>;
    {
        let index = Index::new(reg);
        let shared: &Register = reg;
        results = files
            .into_par_iter()
            .enumerate()
            .map(|(i, (rel, refused))| {
                read_one(
                    tree,
                    FileId((first + i) as u32),
                    rel,
                    refused,
                    shared,
                    &index,
                )
            })
            .collect();
        slots = index
            .slots
            .into_iter()
            .map(|s| (s.system, s.monitor, s.watched))
            .collect();
    }
    let mut out = Vec::with_capacity(results.len());
    let mut touched = vec![false; slots.len()];
    for (file, series) in results {
        let mut series: Vec<(usize, Series)> = series.into_iter().collect();
        series.sort_by_key(|(k, _)| *k);
        for (k, s) in series {
            let (si, mi, _) = slots[k];
            let m = &mut reg.systems[si].monitoring[mi];
            if touched[k] {
                m.series.merge(s);
            } else {
                m.series = s;
                touched[k] = true;
            }
        }
        out.push(file);
    }
    for (k, (si, mi, watched)) in slots.into_iter().enumerate() {
        let m = &mut reg.systems[si].monitoring[mi];
        if !touched[k] {
            m.series = Series::watching(watched);
        }
        m.series.finish();
    }
    unjudged(reg, &mut out);
    out
}

/// A monitor with readings whose threshold is not a comparison: it cannot be evaluated
/// (`invalid-value` at the threshold, reported with the first reading file's findings).
fn unjudged(reg: &Register, out: &mut [ReadFile]) {
    let Some(first) = out.first_mut() else { return };
    for s in &reg.systems {
        for m in &s.monitoring {
            let (Some(t), None, true) = (&m.threshold, m.comparison, m.series.count > 0) else {
                continue;
            };
            first.diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    t.span,
                    format!("the threshold `{}` is not a comparison, and the monitor has readings", t.value),
                )
                .label("readings cannot be judged against this")
                .help("write the threshold as `OP NUMBER`: `>= 0.62`, `< 0.2`, `<= 5%` (OP one of >=, >, <=, <, ==, !=)"),
            );
        }
    }
}

fn read_one(
    tree: &dyn Tree,
    file: FileId,
    rel: String,
    refused: Option<Unreadable>,
    reg: &Register,
    index: &Index,
) -> (ReadFile, HashMap<usize, Series>) {
    let mut diags = Vec::new();
    let mut recorded = Recorded::default();
    let read = match refused {
        Some(why) => Err(why),
        None => tree.read(&rel),
    };
    let text = match read {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                diags.push(
                    Diagnostic::new(
                        Code::FileUnreadable,
                        Span::new(file, at, at),
                        "the file is not valid UTF-8",
                    )
                    .label("invalid byte sequence here")
                    .help("save the file as UTF-8"),
                );
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                return (finish(rel, text, diags, recorded), HashMap::new());
            }
        },
        Err(Unreadable::TooBig(n)) => {
            diags.push(
                Diagnostic::new(
                    Code::FileUnreadable,
                    Span::file_start(file),
                    format!(
                        "the file is {} MiB; reading files are read up to {} MiB",
                        n >> 20,
                        MAX_FILE_BYTES >> 20
                    ),
                )
                .help("split the readings into several files under monitoring/ (one per system, or per year)"),
            );
            return (finish(rel, String::new(), diags, recorded), HashMap::new());
        }
        Err(e) => {
            diags.push(Diagnostic::new(
                Code::FileUnreadable,
                Span::file_start(file),
                format!("cannot read the file: {e}"),
            ));
            return (finish(rel, String::new(), diags, recorded), HashMap::new());
        }
    };
    let series = {
        let mut cx = Cx {
            file,
            text: &text,
            diags: &mut diags,
            recorded: &mut recorded,
        };
        rows(&mut cx, reg, index)
    };
    (finish(rel, text, diags, recorded), series)
}

fn finish(rel: String, text: String, diags: Vec<Diagnostic>, recorded: Recorded) -> ReadFile {
    ReadFile {
        source: SourceFile::new(rel, text),
        diags,
        recorded,
    }
}

/// The byte ranges of the cells of the record starting at `pos` of `text` (as the csv crate
/// split it: quoted cells span their quotes).
fn cells(text: &[u8], pos: usize, n: usize, out: &mut Vec<(usize, usize)>) {
    out.clear();
    let mut i = pos;
    for _ in 0..n {
        let start = i;
        if text.get(i) == Some(&b'"') {
            i += 1;
            while i < text.len() {
                if text[i] == b'"' {
                    if text.get(i + 1) == Some(&b'"') {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
        }
        while i < text.len() && !matches!(text[i], b',' | b'\n' | b'\r') {
            i += 1;
        }
        out.push((start, i));
        if text.get(i) == Some(&b',') {
            i += 1;
        }
    }
}

/// Reads the header and the rows of one file's text.
fn rows(cx: &mut Cx, reg: &Register, index: &Index) -> HashMap<usize, Series> {
    let mut series: HashMap<usize, Series> = HashMap::new();
    let bytes = cx.text.as_bytes();
    let bom = if cx.text.starts_with('\u{feff}') {
        3
    } else {
        0
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&bytes[bom..]);
    let mut rec = csv::ByteRecord::new();
    let mut spans = Vec::new();
    let file = cx.file;
    let at = |(s, e): (usize, usize)| Span::new(file, s, e);
    // The header.
    match rdr.read_byte_record(&mut rec) {
        Ok(true) => {}
        _ => {
            cx.report(
                Diagnostic::new(
                    Code::MissingField,
                    Span::file_start(file),
                    "the reading file has no header",
                )
                .label("expected `date,system,monitor,value,source,note`")
                .help("start the file with the header line `date,system,monitor,value,source,note` (source and note are optional)"),
            );
            return series;
        }
    }
    let header_pos = rec.position().map_or(0, |p| p.byte() as usize) + bom;
    cells(bytes, header_pos, rec.len(), &mut spans);
    let mut col: [Option<usize>; 6] = [None; 6];
    let suggester = Suggester::new(COLUMNS);
    for (i, name) in rec.iter().enumerate() {
        let name = String::from_utf8_lossy(name);
        let span = at(spans[i]);
        match COLUMNS.iter().position(|c| *c == name.trim()) {
            Some(c) if col[c].is_some() => cx.report(
                Diagnostic::new(
                    Code::InvalidValue,
                    span,
                    format!("the column `{}` is named twice", COLUMNS[c]),
                )
                .label("again here")
                .help("keep one column of each name"),
            ),
            Some(c) => col[c] = Some(i),
            None => {
                let mut d = Diagnostic::new(
                    Code::UnknownField,
                    span,
                    format!("unknown column `{name}` in the reading file"),
                )
                .label("not a column of a reading file")
                .note("the columns are date, system, monitor, value (required), source and note");
                if let Some(s) = suggester.suggest(&name) {
                    d = d.help(format!("did you mean `{s}`?"));
                }
                cx.report(d);
            }
        }
    }
    let header_end = spans.last().map_or(header_pos, |s| s.1);
    let missing: Vec<&str> = (0..REQUIRED)
        .filter(|c| col[*c].is_none())
        .map(|c| COLUMNS[c])
        .collect();
    if !missing.is_empty() {
        let list = missing
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", ");
        cx.report(
            Diagnostic::new(
                Code::MissingField,
                Span::new(file, header_pos, header_end),
                format!("the reading file has no column {list}"),
            )
            .label("this header lacks it")
            .help("the header is `date,system,monitor,value,source,note` (source and note are optional)"),
        );
        return series;
    }
    let width = rec.len();
    let [
        Some(c_date),
        Some(c_system),
        Some(c_monitor),
        Some(c_value),
        ..,
    ] = col
    else {
        unreachable!("required columns are present");
    };
    // The first row naming each system and each system's monitor, in this file.
    let mut named_systems: HashMap<Vec<u8>, ()> = HashMap::new();
    let mut named_monitors: HashMap<(Vec<u8>, Vec<u8>), Option<usize>> = HashMap::new();
    let mut last: Option<(Vec<u8>, Vec<u8>, Option<usize>)> = None;
    let system_field = READING.field("system").expect("declared");
    let monitor_field = READING.field("monitor").expect("declared");
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let pos = e.position().map_or(0, |p| p.byte() as usize) + bom;
                cx.invalid(
                    Span::new(file, pos, pos),
                    format!("the row cannot be read: {e}"),
                );
                break;
            }
        }
        let pos = rec.position().map_or(0, |p| p.byte() as usize) + bom;
        cells(bytes, pos, rec.len(), &mut spans);
        if rec.len() != width {
            let end = spans.last().map_or(pos, |s| s.1);
            cx.report(
                Diagnostic::new(
                    Code::InvalidValue,
                    Span::new(file, pos, end),
                    format!("this row has {} cells; the header has {width}", rec.len()),
                )
                .label("not read")
                .help("quote a cell that holds a comma: \"a, b\""),
            );
            continue;
        }
        let mut ok = true;
        let mut got: [Option<&[u8]>; REQUIRED] = [None; REQUIRED];
        for (c, slot) in got.iter_mut().enumerate() {
            let i = col[c].unwrap_or_default();
            let v = &rec[i];
            if v.is_empty() {
                cx.report(
                    Diagnostic::new(
                        Code::MissingField,
                        at(spans[i]),
                        format!("the `{}` of this reading is empty", COLUMNS[c]),
                    )
                    .label("a value is required here"),
                );
                ok = false;
            } else {
                *slot = Some(v);
            }
        }
        let [date, system, monitor, value] = got;
        let moment = date.and_then(|d| {
            let d = std::str::from_utf8(d).unwrap_or_default();
            match parse_moment(d) {
                Ok(m) => Some(m),
                Err(msg) => {
                    cx.report(
                        Diagnostic::new(Code::InvalidValue, at(spans[c_date]), msg)
                            .label("not a date"),
                    );
                    None
                }
            }
        });
        let number = value.and_then(|v| {
            let v = std::str::from_utf8(v).unwrap_or_default();
            match parse_decimal(v) {
                Some(n) => Some(n),
                None => {
                    cx.report(
                        Diagnostic::new(
                            Code::InvalidValue,
                            at(spans[c_value]),
                            format!("`{}` is not a decimal number", v.escape_debug()),
                        )
                        .label("not a number")
                        .help("a value is a finite decimal number: `0.64`, `-3`, `1.5e-3` (NaN and infinities are not readings)"),
                    );
                    None
                }
            }
        });
        let (Some(system), Some(monitor)) = (system, monitor) else {
            continue;
        };
        // The monitor, from the last row's when it is the same (files are mostly runs of
        // one monitor).
        let slot = match &last {
            Some((s, m, slot)) if s == system && m == monitor => *slot,
            _ => {
                let slot = resolve(
                    cx,
                    index,
                    system,
                    monitor,
                    at(spans[c_system]),
                    at(spans[c_monitor]),
                    &mut named_systems,
                    &mut named_monitors,
                    (system_field, monitor_field),
                );
                last = Some((system.to_vec(), monitor.to_vec(), slot));
                slot
            }
        };
        let (Some(slot), Some(moment), Some(number), true) = (slot, moment, number, ok) else {
            continue;
        };
        let s = &index.slots[slot];
        let m = &reg.systems[s.system].monitoring[s.monitor];
        series
            .entry(slot)
            .or_insert_with(|| Series::watching(s.watched.clone()))
            .add(
                Point {
                    at: moment,
                    value: number,
                    span: at(spans[c_value]),
                },
                m.breaches(number),
            );
    }
    series
}

/// The monitor a row names, recording the first row of each system and monitor of the file
/// in the symbol index.
#[allow(clippy::too_many_arguments)]
fn resolve(
    cx: &mut Cx,
    index: &Index,
    system: &[u8],
    monitor: &[u8],
    system_span: Span,
    monitor_span: Span,
    named_systems: &mut HashMap<Vec<u8>, ()>,
    named_monitors: &mut HashMap<(Vec<u8>, Vec<u8>), Option<usize>>,
    (system_field, monitor_field): (
        &'static crate::kinds::fields::Field,
        &'static crate::kinds::fields::Field,
    ),
) -> Option<usize> {
    if let Some(slot) = named_monitors.get(&(system.to_vec(), monitor.to_vec())) {
        return *slot;
    }
    let sys = String::from_utf8_lossy(system).into_owned();
    let mon = String::from_utf8_lossy(monitor).into_owned();
    if named_systems.insert(system.to_vec(), ()).is_none() {
        cx.recorded.refer(
            Kind::System,
            Sp::new(sys.clone(), system_span),
            system_field,
        );
    }
    let known = index.by_system.get(sys.as_str());
    let slot = known.and_then(|m| m.get(mon.as_str()).copied());
    // A row of an unknown system is reported once, as the system.
    if known.is_some() {
        cx.recorded.refer(
            Kind::Monitor,
            Sp::new(super::entities::qualified(&sys, &mon), monitor_span),
            monitor_field,
        );
    }
    named_monitors.insert((system.to_vec(), monitor.to_vec()), slot);
    slot
}
