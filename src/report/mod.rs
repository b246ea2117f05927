//! The output shape: every rendered command (register, soa, due, matrix, show, report,
//! history, diff) builds a [`Document`] — a title, a document-control block, key figures
//! and sections of typed tables — from the model. No formatting happens here; `render` turns
//! a document into a terminal table, markdown, CSV, JSON or HTML, so a new column is one
//! change in this folder and every format picks it up. A history and a diff also carry what
//! they are as data ([`Detail`]), for the formats that show them their own way (a commit
//! list, a pull-request comment).

pub mod codeowners;
pub mod diff;
pub mod due;
pub mod governance;
pub mod history;
pub mod matrix;
pub mod monitor;
pub mod obligations;
pub mod pack;
pub mod register;
pub mod show;
pub mod soa;
pub mod taxonomy;
pub mod waivers;

use crate::model::{Date, Register};
use serde::Serialize;
use std::borrow::Cow;

/// The version of the JSON shape of documents (`--format json`).
pub const JSON_VERSION: u32 = 2;

/// A rendered document.
#[derive(Clone, Debug, Serialize)]
pub struct Document {
    /// What it is: `register`, `soa`, `due`, `matrix`, `show` — also the template's name.
    pub kind: &'static str,
    pub title: String,
    pub control: DocControl,
    /// Key figures, in order ("Applicable" → "31").
    pub summary: Vec<Figure>,
    pub sections: Vec<Section>,
    /// Lines of explanation shown after the key figures (e.g. the filters applied).
    pub notes: Vec<String>,
    /// What the document is, as data, for the formats that show it their own way.
    #[serde(skip)]
    pub detail: Detail,
}

/// A document's own data, beside its tables.
#[derive(Clone, Debug, Default)]
pub enum Detail {
    /// Only the tables.
    #[default]
    None,
    /// One entity's commits (`airisk history`).
    History(Box<history::Story>),
    /// What changed between two registers (`airisk diff`).
    Diff(Box<diff::Compared>),
}

/// A key figure: a label and its amount. JSON writes a count as a number (`"value": 22`), a
/// part of a whole as two (`"value": 21, "of": 33`), and only a genuinely textual figure (a
/// monitor's status) as text; every other format shows [`Figure::text`].
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub label: String,
    pub value: Amount,
}

/// What a key figure says.
#[derive(Clone, Debug, PartialEq)]
pub enum Amount {
    /// How many (`22`).
    Count(u64),
    /// How many of how many (`21 of 33`).
    Part { n: u64, of: u64 },
    /// A word, not a number (`breach`).
    Text(String),
}

impl Figure {
    pub fn count(label: impl Into<String>, n: usize) -> Self {
        Figure {
            label: label.into(),
            value: Amount::Count(n as u64),
        }
    }

    pub fn part(label: impl Into<String>, n: usize, of: usize) -> Self {
        Figure {
            label: label.into(),
            value: Amount::Part {
                n: n as u64,
                of: of as u64,
            },
        }
    }

    pub fn text(label: impl Into<String>, text: impl Into<String>) -> Self {
        Figure {
            label: label.into(),
            value: Amount::Text(text.into()),
        }
    }

    /// The amount as a reader sees it: `22`, `21 of 33`, `breach`.
    pub fn text_value(&self) -> String {
        match &self.value {
            Amount::Count(n) => n.to_string(),
            Amount::Part { n, of } => format!("{n} of {of}"),
            Amount::Text(t) => t.clone(),
        }
    }
}

/// `{label, value}`, with `of` for a part of a whole.
impl Serialize for Figure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let of = match self.value {
            Amount::Part { of, .. } => Some(of),
            _ => None,
        };
        let mut m = s.serialize_map(Some(2 + usize::from(of.is_some())))?;
        m.serialize_entry("label", &self.label)?;
        if let Some(of) = of {
            m.serialize_entry("of", &of)?;
        }
        match &self.value {
            Amount::Count(n) | Amount::Part { n, .. } => m.serialize_entry("value", n)?,
            Amount::Text(t) => m.serialize_entry("value", t)?,
        }
        m.end()
    }
}

/// The document-control block: what the document was rendered from. The git fields are
/// filled by the git module when the register is in a repository.
#[derive(Clone, Debug, Default, Serialize)]
pub struct DocControl {
    pub organisation: String,
    pub scope: Option<String>,
    pub as_of: String,
    /// `airisk <version>`.
    pub generator: String,
    /// The commit the register was read from; `None` outside git.
    pub commit: Option<String>,
    pub commit_date: Option<String>,
    pub author: Option<String>,
    /// Who approved the last change (the merger of a trusted merge, an Approved-by trailer
    /// of a trusted commit), if recorded.
    pub approver: Option<String>,
    /// Trailers that look like approvals and are not (claimed in a branch commit, by an
    /// untrusted committer, by the change's author), each as one line saying why.
    pub claimed: Vec<String>,
    /// The pull request that brought the last change, if recorded.
    pub pull_request: Option<crate::model::PullRequest>,
    /// How the forge writes it (`#12` on GitHub, `!12` on GitLab), with the pull request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pull_request_ref: Option<String>,
    /// `github` or `gitlab`, with the pull request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forge: Option<&'static str>,
    /// The register has uncommitted changes: this is a draft.
    pub draft: bool,
    /// The as-of date is before the newest commit that changed the register: the document
    /// shows today's register, not the one of that day; says so and names the `--at` that
    /// shows it as it was then (SPEC §13).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of_warning: Option<String>,
}

impl DocControl {
    pub fn new(reg: &Register, as_of: Date) -> Self {
        DocControl {
            organisation: reg.config.organisation.name.clone(),
            scope: reg.config.organisation.scope.clone(),
            as_of: as_of.to_string(),
            generator: format!("airisk {}", env!("CARGO_PKG_VERSION")),
            ..DocControl::default()
        }
    }
}

/// Where an entity file's current content comes from, from git history (filled by the
/// command layer; the report knows nothing of git).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Provenance {
    /// The commit that last changed the file (short id), its day and author.
    pub commit: String,
    pub day: String,
    pub author: String,
    pub subject: String,
    /// The pull request that brought it, and the merge commit (short id) when it was merged.
    pub pr: Option<crate::model::PullRequest>,
    pub merged_in: Option<String>,
    pub approved_by: Vec<String>,
    pub reviewed_by: Vec<String>,
    /// What looks like an approval and is not one, each as one line saying why.
    pub claimed: Vec<String>,
}

/// Provenance by register-relative path. An absent path has no committed version (new and
/// uncommitted), or lies beyond a shallow clone (then `unknown` says so).
#[derive(Clone, Debug, Default)]
pub struct ProvenanceMap {
    pub files: std::collections::BTreeMap<String, Provenance>,
    /// History is cut off by a shallow clone: a missing entry is unknown, not uncommitted.
    pub truncated: bool,
}

impl ProvenanceMap {
    pub fn get(&self, path: &str) -> Option<&Provenance> {
        self.files.get(path)
    }

    /// What to show when a file has no entry.
    pub fn missing(&self) -> &'static str {
        if self.truncated {
            "unknown (shallow clone)"
        } else {
            "uncommitted"
        }
    }
}

/// A titled table.
#[derive(Clone, Debug, Serialize)]
pub struct Section {
    /// A stable anchor (`A.5`, `risks`).
    pub id: String,
    pub title: String,
    /// A line under the title.
    pub note: Option<String>,
    pub table: Table,
}

#[derive(Clone, Debug, Serialize)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// Show the level name of tagged cells in the text (the heat map, where colour alone
    /// would be lost in markdown and CSV).
    #[serde(skip)]
    pub level_names: bool,
    /// Show a list cell as the number of its items (the heat map: a cell of 1,600 ids is
    /// not read; `matrix --ids` turns it off). JSON keeps the items, HTML shows the number
    /// and lists the items under it.
    #[serde(skip)]
    pub counts: bool,
    /// The reader picked these columns (`--columns`): a terminal too narrow for them leaves
    /// none out (it lists the rows as items instead).
    #[serde(skip)]
    pub pinned: bool,
}

impl Table {
    pub fn new(columns: Vec<Column>, rows: Vec<Vec<Cell>>) -> Self {
        Table {
            columns,
            rows,
            level_names: false,
            counts: false,
            pinned: false,
        }
    }

    /// The text a reader sees in a cell of this table: the value (or, with [`Table::counts`],
    /// the number of items of a list), with the level name first where the table asks.
    pub fn text(&self, cell: &Cell) -> String {
        let text = match (&cell.value, self.counts) {
            (Value::List(items), true) if items.is_empty() => String::new(),
            (Value::List(items), true) => items.len().to_string(),
            (v, _) => v.text(),
        };
        match (&cell.level, self.level_names) {
            (Some(l), true) if text.is_empty() => l.name.clone(),
            (Some(l), true) => format!("{}: {text}", l.name),
            _ => text,
        }
    }

    /// The number of items a list cell shows as a count, with [`Table::counts`].
    pub fn count(&self, cell: &Cell) -> Option<usize> {
        match &cell.value {
            Value::List(items) if self.counts => Some(items.len()),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Column {
    /// Machine name: JSON keys and CSV headers. Stable.
    pub key: Cow<'static, str>,
    /// Human heading: terminal, markdown, HTML.
    pub title: Cow<'static, str>,
    /// Long text (a title, a justification): it wraps in HTML, and takes the room a terminal
    /// has left, cut short with `…` (or wrapped, with [`Column::wrapping`]). Other columns
    /// hold values that are never split: ids, dates, levels, statuses, numbers (a list of
    /// them breaks between items only).
    pub wide: bool,
    /// In a terminal too narrow for the whole table, the order in which columns are left
    /// out: 0 never; the highest number first (docs/rendering.md has each document's).
    #[serde(skip)]
    pub drop: u8,
    /// A wide column whose text wraps at spaces in a terminal rather than being cut short
    /// (the values of `show`, where nothing may go missing).
    #[serde(skip)]
    pub wrap: bool,
}

impl Column {
    pub const fn new(key: &'static str, title: &'static str) -> Self {
        Column {
            key: Cow::Borrowed(key),
            title: Cow::Borrowed(title),
            wide: false,
            drop: 0,
            wrap: false,
        }
    }

    pub const fn wide(key: &'static str, title: &'static str) -> Self {
        Column {
            key: Cow::Borrowed(key),
            title: Cow::Borrowed(title),
            wide: true,
            drop: 0,
            wrap: false,
        }
    }

    pub fn owned(key: String, title: String) -> Self {
        Column {
            key: Cow::Owned(key),
            title: Cow::Owned(title),
            wide: false,
            drop: 0,
            wrap: false,
        }
    }

    /// Left out of a narrow terminal in this order (higher first; 0 never).
    pub const fn drop(mut self, order: u8) -> Self {
        self.drop = order;
        self
    }

    /// A wide column that wraps at spaces in a terminal instead of being cut short.
    pub const fn wrapping(mut self) -> Self {
        self.wrap = true;
        self
    }

    /// The key, for the `--columns` parsers (a column of a `const` table has a `'static` key).
    pub fn static_key(&'static self) -> &'static str {
        match &self.key {
            Cow::Borrowed(k) => k,
            Cow::Owned(k) => k.as_str(),
        }
    }
}

/// The keys of a document's columns, for `--columns` (a usage error lists them).
pub fn column_keys(columns: &'static [Column]) -> Vec<&'static str> {
    columns.iter().map(Column::static_key).collect()
}

/// `--columns` named a column the document does not have with the options given.
#[derive(Debug)]
pub struct UnknownColumn {
    pub key: String,
    pub valid: Vec<String>,
}

impl std::fmt::Display for UnknownColumn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "--columns: this document has no column `{}` with the options given; its columns: {}",
            crate::text::terminal_line(&self.key),
            self.valid.join(", ")
        )
    }
}

impl std::error::Error for UnknownColumn {}

impl Document {
    /// Keeps the columns `keys` names, in that order, in every section (`--columns`); the
    /// reader's choice, so a narrow terminal leaves none of them out. No keys: no change.
    pub fn pick_columns(&mut self, keys: &[String]) -> Result<(), UnknownColumn> {
        if keys.is_empty() {
            return Ok(());
        }
        for s in &mut self.sections {
            let t = &mut s.table;
            let mut at = Vec::with_capacity(keys.len());
            for k in keys {
                match t.columns.iter().position(|c| c.key == k.as_str()) {
                    Some(i) => at.push(i),
                    None => {
                        return Err(UnknownColumn {
                            key: k.clone(),
                            valid: t.columns.iter().map(|c| c.key.to_string()).collect(),
                        });
                    }
                }
            }
            t.columns = at.iter().map(|&i| t.columns[i].clone()).collect();
            for row in &mut t.rows {
                *row = at.iter().map(|&i| row[i].clone()).collect();
            }
            t.pinned = true;
        }
        Ok(())
    }
}

/// A typed cell. `level` is the risk level it shows (for colour), as an index into the
/// configured levels and their name.
#[derive(Clone, Debug, Serialize)]
pub struct Cell {
    pub value: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<LevelTag>,
}

#[derive(Clone, Debug, Serialize)]
pub struct LevelTag {
    pub name: String,
    /// 0 for the lowest configured level, `of - 1` for the highest.
    pub rank: usize,
    pub of: usize,
    /// A CSS class / colour band: `l0` (lowest) .. `l4` (highest), spread over the levels.
    pub band: String,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    /// A measured value (a monitoring reading): finite, shown in its shortest form.
    Decimal(f64),
    Text(String),
    List(Vec<String>),
    /// A pull (GitLab: merge) request: shown as the forge writes it (`#12`, `!12`); every
    /// machine-readable format writes its number (JSON adds the reference beside it as
    /// `<key>_ref`; docs/cli.md, "Numbers and pull requests").
    PullRequest(crate::model::PullRequest),
}

impl Value {
    /// The value as plain text (lists joined with ", ", booleans as yes/no).
    pub fn text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Bool(true) => "yes".into(),
            Value::Bool(false) => "no".into(),
            Value::Int(i) => i.to_string(),
            Value::Decimal(v) => crate::model::monitoring::number(*v),
            Value::Text(s) => s.clone(),
            Value::List(l) => l.join(", "),
            Value::PullRequest(p) => p.reference(),
        }
    }
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Self {
        Cell {
            value: Value::Text(s.into()),
            level: None,
        }
    }

    pub fn opt(s: Option<impl Into<String>>) -> Self {
        s.map_or(Cell::null(), Cell::text)
    }

    pub fn int(i: i64) -> Self {
        Cell {
            value: Value::Int(i),
            level: None,
        }
    }

    /// A decimal number; a value that is not finite (never a reading: the loader refuses
    /// them) is shown as text.
    pub fn decimal(v: f64) -> Self {
        if !v.is_finite() {
            return Cell::text(v.to_string());
        }
        Cell {
            value: Value::Decimal(v),
            level: None,
        }
    }

    /// A pull request's cell, or null without one.
    pub fn pull_request(pr: Option<crate::model::PullRequest>) -> Self {
        Cell {
            value: pr.map_or(Value::Null, Value::PullRequest),
            level: None,
        }
    }

    pub fn bool(b: bool) -> Self {
        Cell {
            value: Value::Bool(b),
            level: None,
        }
    }

    pub fn list(items: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Cell {
            value: Value::List(items.into_iter().map(Into::into).collect()),
            level: None,
        }
    }

    pub fn null() -> Self {
        Cell {
            value: Value::Null,
            level: None,
        }
    }

    pub fn date(d: Option<Date>) -> Self {
        Cell::opt(d.map(|d| d.to_string()))
    }

    pub fn with_level(mut self, level: Option<LevelTag>) -> Self {
        self.level = level;
        self
    }
}

/// The colour tag of a level of the criteria: bands spread the configured levels over five
/// colours from green (`l0`) to red (`l4`).
pub fn level_tag(reg: &Register, name: &str) -> Option<LevelTag> {
    let levels = &reg.config.criteria.levels;
    let rank = levels.iter().position(|l| l.name == name)?;
    let of = levels.len();
    let band = if of <= 1 { 0 } else { rank * 4 / (of - 1) };
    Some(LevelTag {
        name: name.to_string(),
        rank,
        of,
        band: format!("l{band}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_counted_list_shows_its_number_and_the_level_first() {
        let tag = LevelTag {
            name: "high".into(),
            rank: 2,
            of: 4,
            band: "l2".into(),
        };
        let mut t = Table::new(Vec::new(), Vec::new());
        t.level_names = true;
        t.counts = true;
        let three = Cell::list(["R-1", "R-2", "R-3"]).with_level(Some(tag.clone()));
        let none = Cell::list(Vec::<String>::new()).with_level(Some(tag));
        assert_eq!(t.text(&three), "high: 3");
        assert_eq!(t.count(&three), Some(3));
        assert_eq!(t.text(&none), "high");
        assert_eq!(t.count(&none), Some(0));
        t.counts = false;
        assert_eq!(t.text(&three), "high: R-1, R-2, R-3");
        assert_eq!(t.count(&three), None);
    }

    #[test]
    fn picked_columns_come_in_the_order_asked_and_an_unknown_one_is_refused() {
        let mut doc = Document {
            kind: "register",
            title: "t".into(),
            control: DocControl::default(),
            summary: Vec::new(),
            notes: Vec::new(),
            detail: Detail::None,
            sections: vec![Section {
                id: "s".into(),
                title: "s".into(),
                note: None,
                table: Table::new(
                    vec![
                        Column::new("id", "ID"),
                        Column::wide("title", "Title"),
                        Column::new("level", "Level"),
                    ],
                    vec![vec![
                        Cell::text("R-1"),
                        Cell::text("A title"),
                        Cell::text("high"),
                    ]],
                ),
            }],
        };
        let keys = |k: &[&str]| k.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let e = doc
            .clone()
            .pick_columns(&keys(&["id", "owner"]))
            .expect_err("unknown");
        assert_eq!(e.key, "owner");
        assert_eq!(e.valid, ["id", "title", "level"]);
        doc.pick_columns(&keys(&["level", "id"])).expect("known");
        let t = &doc.sections[0].table;
        assert!(t.pinned);
        assert_eq!(
            t.columns.iter().map(|c| c.key.as_ref()).collect::<Vec<_>>(),
            ["level", "id"]
        );
        assert_eq!(t.rows[0][0].value, Value::Text("high".into()));
    }

    #[test]
    fn values_as_text() {
        assert_eq!(Value::List(vec!["a".into(), "b".into()]).text(), "a, b");
        assert_eq!(Value::Bool(true).text(), "yes");
        assert_eq!(Value::Null.text(), "");
    }
}
