//! JSON: the document with typed cell values, one object per row keyed by column. Versioned
//! (`version`); fields are only added within a version.
//!
//! Text is kept exactly; control, bidirectional and invisible format characters are written
//! as `\uXXXX` escapes (`text::json_pretty`), so the JSON printed to a terminal is inert.
//!
//! Every object's keys are in sorted order (serde_json's map order). The document is written
//! straight to the output, without building a `serde_json::Value` tree first: a register of
//! 50,000 risks is three quarters of a million cells, and the tree cost more time and memory
//! than everything else after loading (docs/performance.md).

use crate::report::{Cell, Document, JSON_VERSION, Section, Value};
use anyhow::Result;
use serde::ser::{Error as _, Serialize, SerializeMap, SerializeSeq, Serializer};
use std::borrow::Cow;

pub fn render(doc: &Document) -> Result<String> {
    Ok(crate::text::json_pretty(&Top(doc))? + "\n")
}

/// `{control, kind, notes, sections, summary, title, version}`.
struct Top<'a>(&'a Document);

impl Serialize for Top<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        // The small parts go through a value, which orders the keys of their structs.
        let mut control = serde_json::to_value(&d.control).map_err(S::Error::custom)?;
        // `claimed` (approvals that are not evidence) appears only when there is one.
        if d.control.claimed.is_empty()
            && let Some(c) = control.as_object_mut()
        {
            c.remove("claimed");
        }
        let summary = serde_json::to_value(&d.summary).map_err(S::Error::custom)?;
        let mut m = s.serialize_map(Some(7))?;
        m.serialize_entry("control", &control)?;
        m.serialize_entry("kind", d.kind)?;
        m.serialize_entry("notes", &d.notes)?;
        m.serialize_entry("sections", &Sections(&d.sections))?;
        m.serialize_entry("summary", &summary)?;
        m.serialize_entry("title", &d.title)?;
        m.serialize_entry("version", &JSON_VERSION)?;
        m.end()
    }
}

struct Sections<'a>(&'a [Section]);

impl Serialize for Sections<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for section in self.0 {
            seq.serialize_element(&SectionOut(section))?;
        }
        seq.end()
    }
}

/// `{columns, id, note, rows, title}`.
struct SectionOut<'a>(&'a Section);

impl Serialize for SectionOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let sec = self.0;
        let columns: Vec<ColumnOut> = sec
            .table
            .columns
            .iter()
            .map(|c| ColumnOut {
                key: &c.key,
                title: &c.title,
            })
            .collect();
        // The key of each column's level, made once for all rows.
        let level_keys: Vec<String> = sec
            .table
            .columns
            .iter()
            .map(|c| format!("{}_level", c.key))
            .collect();
        let rows = Rows {
            section: sec,
            level_keys: &level_keys,
        };
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("columns", &columns)?;
        m.serialize_entry("id", &sec.id)?;
        m.serialize_entry("note", &sec.note)?;
        m.serialize_entry("rows", &rows)?;
        m.serialize_entry("title", &sec.title)?;
        m.end()
    }
}

/// `{key, title}`.
#[derive(serde::Serialize)]
struct ColumnOut<'a> {
    key: &'a str,
    title: &'a str,
}

struct Rows<'a> {
    section: &'a Section,
    level_keys: &'a [String],
}

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let table = &self.section.table;
        let mut seq = s.serialize_seq(Some(table.rows.len()))?;
        let mut entries: Vec<(Cow<str>, Item)> = Vec::new();
        for row in &table.rows {
            // What `Map::insert` would hold: each column's value and, for a level-tagged
            // cell, the level's name; keys sorted, a repeated key holding the last value.
            entries.clear();
            for ((col, cell), level_key) in table.columns.iter().zip(row).zip(self.level_keys) {
                entries.push((Cow::Borrowed(&col.key), Item::Cell(cell)));
                if let Some(l) = &cell.level
                    && col.key != "level"
                {
                    entries.push((Cow::Borrowed(level_key), Item::Level(&l.name)));
                }
                // A pull request is its number; how its forge writes it comes beside it.
                if let Value::PullRequest(p) = &cell.value {
                    entries.push((
                        Cow::Owned(format!("{}_ref", col.key)),
                        Item::Reference(p.reference()),
                    ));
                }
            }
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            seq.serialize_element(&RowOut(&entries))?;
        }
        seq.end()
    }
}

enum Item<'a> {
    Cell(&'a Cell),
    Level(&'a str),
    Reference(String),
}

struct RowOut<'a, 'b>(&'b [(Cow<'a, str>, Item<'a>)]);

impl Serialize for RowOut<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = self.0;
        let last = |i: usize| e.get(i + 1).is_none_or(|next| next.0 != e[i].0);
        let mut m = s.serialize_map(Some((0..e.len()).filter(|&i| last(i)).count()))?;
        for (i, (key, item)) in e.iter().enumerate() {
            if !last(i) {
                continue;
            }
            match item {
                Item::Cell(c) => m.serialize_entry(key, &ValueOut(&c.value))?,
                Item::Level(name) => m.serialize_entry(key, name)?,
                Item::Reference(r) => m.serialize_entry(key, r)?,
            }
        }
        m.end()
    }
}

/// A cell's typed value: null, boolean, number, text or a list of texts; a pull request is
/// its number.
struct ValueOut<'a>(&'a Value);

impl Serialize for ValueOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Decimal(v) => s.serialize_f64(*v),
            Value::Text(t) => s.serialize_str(t),
            Value::List(l) => l.serialize(s),
            Value::PullRequest(p) => s.serialize_u64(p.number),
        }
    }
}
