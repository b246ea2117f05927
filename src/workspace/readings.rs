//! Appending readings (`airisk monitor add`, `airisk monitor import`): the rows to add to
//! `monitoring/<system>.csv`, checked before anything is written.
//!
//! [`plan`] reads the register (the working tree), makes the new rows in the columns of the
//! file's header (or the full header, for a new file), skips rows already recorded (same
//! system, monitor, day and time, and value, in any reading file), and checks the register as
//! it would be with the rows appended — in memory, through an overlay of the one file
//! ([`load::Overlay`]). The [`Plan`] says what to write and which findings the rows would
//! bring; the command layer refuses (and writes nothing) when any of them is an error, and
//! otherwise hands the bytes to the one writer's append mode, which keeps every byte already
//! in the file.
//!
//! Text of a reading (source, note) is one line without control characters: a line break
//! inside a quoted cell would show, in a pull request's diff, a line that looks like a
//! reading and is not one.

use super::Workspace;
use super::check::{Outcome, check_tree};
use crate::diag::{Diagnostic, Severity};
use crate::load::{self, Overlay, Unreadable};
use crate::model::monitoring::{Moment, parse_decimal, parse_moment};
use anyhow::{Result, bail};
use std::collections::{BTreeMap, HashSet};

/// The header of a reading file airisk creates.
pub const HEADER: &str = "date,system,monitor,value,source,note";

/// One reading to append.
#[derive(Clone, Debug)]
pub struct NewReading {
    pub monitor: String,
    /// As it will be written: `2026-11-30` or `2026-11-30T06:00:00Z`.
    pub date: String,
    pub value: f64,
    pub source: Option<String>,
    pub note: Option<String>,
}

/// What appending would do.
pub struct Plan {
    /// The file, relative to the register (`monitoring/credit-scoring.csv`).
    pub rel: String,
    /// Its bytes now; `None` when it does not exist yet.
    pub expected: Option<Vec<u8>>,
    /// What is appended (the header too, for a new file).
    pub tail: Vec<u8>,
    /// Rows appended, and rows skipped as already recorded.
    pub added: usize,
    pub skipped: usize,
    /// The register with the rows, checked.
    pub outcome: Outcome,
    /// The findings the rows bring (not in the register before), in check order.
    pub introduced: Vec<Diagnostic>,
}

impl Plan {
    /// Whether the rows would bring an error: then nothing may be written.
    pub fn refused(&self) -> bool {
        self.introduced
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// One line of text, for a cell: no line break, no control character.
fn one_line(what: &str, s: &str) -> Result<()> {
    if let Some(c) = s.chars().find(|c| c.is_control()) {
        bail!(
            "the {what} holds a control character ({}): a reading's {what} is one line of text",
            c.escape_debug()
        );
    }
    Ok(())
}

/// The plan for appending `rows` to the readings of `system`.
pub fn plan(
    ws: &Workspace,
    system: &str,
    rows: Vec<NewReading>,
    skip_recorded: bool,
) -> Result<Plan> {
    let before = check_tree(ws.tree.as_ref(), &ws.root, ws.today, false)?;
    let reg = &before.loaded.register;
    if reg.system(system).is_none() {
        let known: Vec<&str> = reg.symbols.ids(crate::kinds::Kind::System).collect();
        let hint = crate::diag::Suggester::new(known.iter().copied())
            .suggest(system)
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        bail!(
            "unknown system `{}`{hint} (systems: {})",
            crate::text::terminal_line(system),
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        );
    }
    for r in &rows {
        if let Some(s) = &r.source {
            one_line("source", s)?;
        }
        if let Some(n) = &r.note {
            one_line("note", n)?;
        }
        parse_moment(&r.date).map_err(|e| anyhow::anyhow!("--date: {e}"))?;
        if !r.value.is_finite() {
            bail!("the value {} is not a finite number", r.value);
        }
    }
    let rel = format!("{}/{system}.csv", readings_dir());
    let expected = match ws.tree.read(&rel) {
        Ok(b) => Some(b),
        Err(e) if e.is_missing() => None,
        Err(Unreadable::TooBig(n)) => bail!(
            "cannot append to `{rel}`: it is {} MiB, over the {} MiB a reading file may hold; start another file under monitoring/ (for example monitoring/{}/{system}.csv)",
            n >> 20,
            load::MAX_FILE_BYTES >> 20,
            ws.today.format("%Y")
        ),
        Err(e) => bail!("cannot append to `{rel}`: {e}"),
    };
    let recorded = if skip_recorded {
        recorded(ws, system)
    } else {
        HashSet::new()
    };
    // The columns of the file's header, or the full header for a new file.
    let (columns, crlf, needs_newline) = match &expected {
        None => (
            HEADER.split(',').map(str::to_string).collect::<Vec<_>>(),
            false,
            false,
        ),
        Some(bytes) => {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| anyhow::anyhow!("cannot append to `{rel}`: it is not UTF-8"))?;
            let body = text.strip_prefix('\u{feff}').unwrap_or(text);
            let first = body.lines().next().unwrap_or_default();
            let cols: Vec<String> = first.split(',').map(|c| c.trim().to_string()).collect();
            if first.is_empty() {
                bail!(
                    "cannot append to `{rel}`: it has no header line; fix it first (`airisk check` says how)"
                );
            }
            let crlf = body.split('\n').next().is_some_and(|l| l.ends_with('\r'));
            (cols, crlf, !text.is_empty() && !text.ends_with('\n'))
        }
    };
    let mut seen = recorded;
    let mut w = csv::WriterBuilder::new()
        .terminator(if crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(Vec::new());
    if expected.is_none() {
        w.write_record(&columns)?;
    }
    let (mut added, mut skipped) = (0, 0);
    for r in rows {
        let key = key(&r.monitor, &r.date, r.value);
        if key.is_some_and(|k| !seen.insert(k)) {
            skipped += 1;
            continue;
        }
        let value = crate::model::monitoring::number(r.value);
        let mut record = Vec::with_capacity(columns.len());
        for c in &columns {
            record.push(match c.as_str() {
                "date" => r.date.clone(),
                "system" => system.to_string(),
                "monitor" => r.monitor.clone(),
                "value" => value.clone(),
                "source" => r.source.clone().unwrap_or_default(),
                "note" => r.note.clone().unwrap_or_default(),
                _ => String::new(),
            });
        }
        for (what, v) in [("source", &r.source), ("note", &r.note)] {
            if v.as_deref().is_some_and(|v| !v.is_empty()) && !columns.iter().any(|c| c == what) {
                bail!(
                    "cannot append to `{rel}`: its header has no `{what}` column for the reading's {what}"
                );
            }
        }
        w.write_record(&record)?;
        added += 1;
    }
    let mut tail = Vec::new();
    if needs_newline {
        tail.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
    }
    tail.extend(w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?);
    if added == 0 {
        tail.clear();
    }
    let mut bytes = expected.clone().unwrap_or_default();
    bytes.extend_from_slice(&tail);
    let overlay = Overlay::new(ws.tree.as_ref(), BTreeMap::from([(rel.clone(), bytes)]));
    let after = check_tree(&overlay, &ws.root, ws.today, false)?;
    let identify = |o: &Outcome, d: &Diagnostic| {
        (
            d.code,
            o.loaded.sources.path(d.primary.span.file).to_string(),
            d.primary.span.range().start,
            d.message.clone(),
        )
    };
    let old: HashSet<_> = before
        .diagnostics
        .iter()
        .map(|d| identify(&before, d))
        .collect();
    let introduced = after
        .diagnostics
        .iter()
        .filter(|d| !old.contains(&identify(&after, d)))
        .cloned()
        .collect();
    Ok(Plan {
        rel,
        expected,
        tail,
        added,
        skipped,
        outcome: after,
        introduced,
    })
}

/// The folder of reading files, from the table of kinds.
fn readings_dir() -> &'static str {
    match crate::kinds::Kind::Readings.def().home {
        crate::kinds::Home::Folder { dir, .. } => dir,
        _ => unreachable!("reading files live in a folder"),
    }
}

/// What makes a reading the same as another: monitor, moment and value.
type Key = (String, Moment, u64);

fn key(monitor: &str, date: &str, value: f64) -> Option<Key> {
    let at = parse_moment(date).ok()?;
    // 0.0 and -0.0 are the same reading.
    let v = if value == 0.0 { 0.0 } else { value };
    Some((monitor.to_string(), at, v.to_bits()))
}

/// The readings of `system` already recorded, in every reading file of the register (files
/// that cannot be read are `check`'s to report).
fn recorded(ws: &Workspace, system: &str) -> HashSet<Key> {
    let mut out = HashSet::new();
    scan(ws.tree.as_ref(), system, |r| {
        if let Some(k) = key(&r.monitor, &r.date, r.value) {
            out.insert(k);
        }
    });
    out
}

/// One recorded reading, as `history SYSTEM/MONITOR` lists it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub monitor: String,
    pub date: String,
    pub value: f64,
    pub source: String,
    pub note: String,
    /// Where: the file and line.
    pub file: String,
    pub line: u64,
}

/// Calls `each` with every readable row of `system` in every reading file (path order, then
/// row order); rows that `check` would reject are left out.
fn scan(tree: &dyn load::Tree, system: &str, mut each: impl FnMut(Recorded)) {
    let dir = readings_dir();
    let mut listed = tree.list(dir, true);
    listed.sort_by(|a, b| a.path.cmp(&b.path));
    for l in listed {
        if l.refused.is_some() || !l.path.ends_with(".csv") {
            continue;
        }
        let Ok(bytes) = tree.read(&l.path) else {
            continue;
        };
        let bom = if bytes.starts_with(b"\xef\xbb\xbf") {
            3
        } else {
            0
        };
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(&bytes[bom..]);
        let Ok(header) = rdr.byte_headers().cloned() else {
            continue;
        };
        let col = |name: &str| header.iter().position(|h| h == name.as_bytes());
        let (Some(d), Some(s), Some(m), Some(v)) =
            (col("date"), col("system"), col("monitor"), col("value"))
        else {
            continue;
        };
        let (src, note) = (col("source"), col("note"));
        let mut rec = csv::ByteRecord::new();
        while rdr.read_byte_record(&mut rec).unwrap_or(false) {
            if rec.get(s) != Some(system.as_bytes()) || rec.len() != header.len() {
                continue;
            }
            let text = |i: Option<usize>| {
                i.and_then(|i| rec.get(i))
                    .and_then(|b| std::str::from_utf8(b).ok())
            };
            let (Some(monitor), Some(date), Some(value)) = (
                text(Some(m)),
                text(Some(d)).filter(|d| parse_moment(d).is_ok()),
                text(Some(v)).and_then(parse_decimal),
            ) else {
                continue;
            };
            each(Recorded {
                monitor: monitor.to_string(),
                date: date.to_string(),
                value,
                source: text(src).unwrap_or_default().to_string(),
                note: text(note).unwrap_or_default().to_string(),
                file: l.path.clone(),
                line: rec.position().map_or(0, |p| p.line()),
            });
        }
    }
}

/// Every recorded reading of one monitor, oldest first (by moment, then place).
pub fn readings_of(ws: &Workspace, system: &str, monitor: &str) -> Vec<Recorded> {
    let mut out = Vec::new();
    scan(ws.tree.as_ref(), system, |r| {
        if r.monitor == monitor {
            out.push(r);
        }
    });
    out.sort_by_cached_key(|r| parse_moment(&r.date).ok());
    out
}

/// The text of a tool's output file for `monitor import`: a regular file (not a link, FIFO
/// or device), at most [`super::metrics::MAX_INPUT`] bytes, UTF-8.
pub fn read_input(path: &std::path::Path) -> Result<String> {
    let shown = path.display();
    let bytes = match load::tree::read_regular(path, super::metrics::MAX_INPUT) {
        Ok(b) => b,
        Err(Unreadable::TooBig(_)) => bail!(
            "cannot read `{shown}`: it is larger than {} MiB, more than a metric export needs; export a shorter period",
            super::metrics::MAX_INPUT >> 20
        ),
        Err(e) => bail!("cannot read `{shown}`: {e}"),
    };
    String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("cannot read `{shown}`: it is not UTF-8"))
}

/// The ids of the monitors of `system` (an error if there is no such system).
pub fn monitor_ids(ws: &Workspace, system: &str) -> Result<std::collections::BTreeSet<String>> {
    let loaded = ws.load()?;
    let Some(s) = loaded.register.system(system) else {
        bail!("unknown system `{}`", crate::text::terminal_line(system));
    };
    Ok(s.monitoring
        .iter()
        .filter_map(|m| m.id.as_ref().map(|i| i.value.clone()))
        .collect())
}
