//! `airisk monitor`: every monitor of the register (SPEC §9) with its threshold, its latest
//! reading (date, value), its status on the as-of day (`ok`, `breach`, `stale`, `no-data`)
//! and the number of readings; optionally of one system. Monitors without an id (which no
//! reading can name) are listed too, with status `no-data`, so the list is the whole
//! inventory of signals.
//!
//! Also the monitor rows other documents show (`show`, the governance report, `due`):
//! [`rows_of`] and [`stale`].

use super::{Cell, Column, Detail, DocControl, Document, Figure, Section, Table};
use crate::model::monitoring::Status;
use crate::model::{Date, Monitoring, Register, System};
use crate::source::Sources;

/// The columns, in order (the terminal drops the later ones first when narrow).
pub const COLUMNS: &[Column] = &[
    Column::new("system", "System"),
    Column::new("monitor", "Monitor"),
    Column::new("signal", "Signal").drop(4),
    Column::wide("metric", "Metric").drop(1),
    Column::new("threshold", "Threshold"),
    Column::new("last_date", "Last reading"),
    Column::new("last_value", "Value"),
    Column::new("status", "Status"),
    Column::new("readings", "Readings").drop(3),
    Column::new("every", "Every").drop(2),
    Column::new("owner", "Owner").drop(5),
    Column::new("risks", "Risks").drop(6),
];

/// Every key `--columns` accepts.
pub fn column_keys() -> Vec<&'static str> {
    super::column_keys(COLUMNS)
}

/// A monitor's name for people: `system/monitor`, or the system and its metric without id.
pub fn name(s: &System, m: &Monitoring) -> String {
    match &m.id {
        Some(id) => format!("{}/{}", s.id.value, id.value),
        None => format!("{} (no id)", s.id.value),
    }
}

/// The cells of one monitor, in [`COLUMNS`] order.
pub fn cells(s: &System, m: &Monitoring, today: Date) -> Vec<Cell> {
    let latest = m.series.latest.as_ref();
    vec![
        Cell::text(&s.id.value),
        Cell::opt(m.id.as_ref().map(|i| i.value.clone())),
        Cell::opt(m.signal.as_ref().map(|v| v.value.as_str().to_string())),
        Cell::opt(m.metric.as_ref().map(|v| v.value.clone())),
        Cell::opt(m.threshold.as_ref().map(|v| v.value.clone())),
        Cell::opt(latest.map(|p| p.at.to_string())),
        latest.map_or(Cell::null(), |p| Cell::decimal(p.value)),
        Cell::text(m.status(today).as_str()),
        Cell::int(m.series.count as i64),
        Cell::opt(m.every.as_ref().map(|e| e.value.to_string())),
        Cell::opt(m.owner.as_ref().map(|o| o.value.clone())),
        Cell::list(m.risks.iter().map(|r| r.value.clone())),
    ]
}

/// The monitors of `system` (every system when `None`), in register order.
pub fn monitors<'r>(
    reg: &'r Register,
    system: Option<&str>,
) -> impl Iterator<Item = (&'r System, &'r Monitoring)> {
    reg.systems
        .iter()
        .filter(move |s| system.is_none_or(|id| s.id.value == id))
        .flat_map(|s| s.monitoring.iter().map(move |m| (s, m)))
}

/// The rows of the monitors of one system.
pub fn rows_of(s: &System, today: Date) -> Vec<Vec<Cell>> {
    s.monitoring.iter().map(|m| cells(s, m, today)).collect()
}

/// Monitors of live systems with `every` and their next reading: the day it is due (`None`:
/// there is none yet, so it is due at once), for `due`.
pub fn stale(reg: &Register) -> Vec<(&System, &Monitoring, Option<Date>)> {
    reg.systems
        .iter()
        .filter(|s| s.is_live())
        .flat_map(|s| s.monitoring.iter().map(move |m| (s, m)))
        .filter_map(|(s, m)| Some((s, m, crate::model::schedule::next_reading(m)?)))
        .collect()
}

pub fn build(reg: &Register, _sources: &Sources, today: Date, system: Option<&str>) -> Document {
    let all: Vec<_> = monitors(reg, system).collect();
    let count = |st: Status| all.iter().filter(|(_, m)| m.status(today) == st).count();
    let rows = all.iter().map(|(s, m)| cells(s, m, today)).collect();
    let readings: usize = all.iter().map(|(_, m)| m.series.count).sum();
    let mut notes = vec![format!(
        "Status on {today}: `breach` when the latest reading fails the threshold, `stale` when it is older than `every`, `no-data` without readings."
    )];
    if let Some(s) = system {
        notes.push(format!("Monitors of system `{s}`."));
    }
    Document {
        kind: "monitor",
        title: "Monitoring".into(),
        control: DocControl::new(reg, today),
        summary: vec![
            Figure::count("Monitors", all.len()),
            Figure::count("In breach", count(Status::Breach)),
            Figure::count("Stale", count(Status::Stale)),
            Figure::count("No data", count(Status::NoData)),
            Figure::count("Readings", readings),
        ],
        notes,
        sections: vec![Section {
            id: "monitors".into(),
            title: "Monitors".into(),
            note: None,
            table: Table::new(COLUMNS.to_vec(), rows),
        }],
        detail: Detail::None,
    }
}

/// One recorded reading, for [`history`].
pub struct Reading<'a> {
    pub date: &'a str,
    pub value: f64,
    pub source: &'a str,
    pub note: &'a str,
    pub file: &'a str,
    pub line: u64,
}

/// `airisk history SYSTEM/MONITOR`: every reading of one monitor, oldest first, each
/// judged against the threshold (`breach` or `ok`), with where it is recorded.
pub fn history(
    reg: &Register,
    today: Date,
    s: &System,
    m: &Monitoring,
    readings: &[Reading],
) -> Document {
    let rows: Vec<Vec<Cell>> = readings
        .iter()
        .map(|r| {
            vec![
                Cell::text(r.date),
                Cell::decimal(r.value),
                Cell::text(match m.comparison {
                    None => "",
                    Some(t) if t.passes(r.value) => "ok",
                    Some(_) => "breach",
                }),
                Cell::text(r.source),
                Cell::text(r.note),
                Cell::text(format!("{}:{}", r.file, r.line)),
            ]
        })
        .collect();
    let breaches = rows
        .iter()
        .filter(|r| r[2].value.text() == "breach")
        .count();
    Document {
        kind: "monitor",
        title: format!("History of monitor {}", name(s, m)),
        control: DocControl::new(reg, today),
        summary: vec![
            Figure::count("Readings", rows.len()),
            Figure::count("Breaches", breaches),
            Figure::text("Status", m.status(today).as_str()),
        ],
        notes: vec![format!(
            "{} · threshold {}",
            m.metric.as_ref().map_or("", |x| x.value.as_str()),
            m.threshold.as_ref().map_or("none", |x| x.value.as_str())
        )],
        sections: vec![Section {
            id: "readings".into(),
            title: "Readings".into(),
            note: None,
            table: Table::new(
                vec![
                    Column::new("date", "Date"),
                    Column::new("value", "Value"),
                    Column::new("status", "Status"),
                    Column::new("source", "Source").drop(2),
                    Column::wide("note", "Note").drop(1),
                    Column::new("file", "Recorded in").drop(3),
                ],
                rows,
            ),
        }],
        detail: Detail::None,
    }
}
