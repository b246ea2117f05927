//! `airisk import`: a spreadsheet (CSV, XLSX, ODS) into register files, through a mapping
//! (SPEC §11, docs/import.md). A front end over the workspace, as the commands are: it
//! opens the register through `workspace`, never through a command.
//!
//! The pipeline, all in memory until the command layer writes:
//!
//! 1. the mapping ([`mapping`]) is read and checked against the kind's field declarations,
//!    and its headers against the sheet's header row ([`sheet`] reads the sheet);
//! 2. each row becomes field values: labels through `[values.FIELD]`, people by key, name
//!    or email (case-insensitive), dates from date cells or `YYYY-MM-DD`, lists split at
//!    `,` `;` and line breaks, then `--set` and `[defaults]` for what the row lacks; a row
//!    without an id gets the next free one (the symbol index);
//! 3. a row whose id a file defines already updates that file in place ([`crate::edit`]:
//!    only the fields whose value differs, comments and layout kept; nothing is deleted);
//!    any other row becomes a new file;
//! 4. the whole resulting register (the real one with those files laid over it: an
//!    [`Overlay`]) is loaded and checked; a finding in a file the import would write is
//!    moved to the cell its value came from.
//!
//! The [`Plan`] holds the findings and the files to write: with any error, nothing is to be
//! written. `--dry-run` shows the plan as `diff` shows a change of the register.

pub mod mapping;
pub mod sheet;

use crate::changes::RegisterDiff;
use crate::changes::register::Side as DiffSide;
use crate::diag::{self, Code, Diagnostic, Severity};
use crate::edit::{self, New};
use crate::kinds::fields::{Symbol, Type};
use crate::kinds::{Home, Kind};
use crate::load::schema::modeline;
use crate::load::yaml;
use crate::load::{Loaded, Overlay};
use crate::model::symbols::next_id;
use crate::report::DocControl;
use crate::report::diff::{Compared, Side};
use crate::source::{FileId, Sources, Span};
use crate::workspace::{Workspace, check_tree};
use anyhow::{Result, bail};
use mapping::{Map, Target};
use sheet::{CellValue, Grid};
use std::collections::{BTreeMap, HashMap};

/// What to import.
#[derive(Clone, Debug)]
pub struct Request {
    /// The spreadsheet as the user named it (findings show this), and its bytes (the
    /// command layer reads the file: a regular file only).
    pub shown: String,
    pub bytes: Vec<u8>,
    /// `--sheet NAME` (else the mapping's, else the first).
    pub sheet: Option<String>,
    /// The mapping as named (a built-in name or a path) and its text.
    pub map_shown: String,
    pub map_text: String,
    /// `--set FIELD=VALUE`, in order.
    pub sets: Vec<(String, String)>,
    /// Compare the register before and after, for a dry run's display ([`Plan::compared`]).
    pub compare: bool,
}

/// One file the import writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Write {
    /// Relative to the register root.
    pub rel: String,
    pub text: String,
    /// A new file (else an existing one updated in place).
    pub new: bool,
}

/// What an import would do.
pub struct Plan {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
    pub writes: Vec<Write>,
    /// The change of the register, as `diff` shows it (with [`Request::compare`], and
    /// unless findings stopped the import before the check).
    pub compared: Option<Compared>,
    /// Rows read (the header and empty rows aside).
    pub rows: usize,
}

impl Plan {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// The fields `--set` must give for the mapping `text` (its `needs`), for the command's
/// refusal before anything else is read.
pub fn needs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(m) = mapping::read(FileId(0), text, &mut Vec::new()) {
        out = m.needs.into_iter().map(|(n, _)| n).collect();
    }
    out
}

/// The bytes of an input the user names (the spreadsheet, a mapping file): a regular file
/// only — not a link, a FIFO or a device — of at most [`sheet::MAX_FILE_BYTES`].
pub fn read_input(path: &std::path::Path, shown: &str) -> Result<Vec<u8>> {
    crate::load::tree::read_regular(path, sheet::MAX_FILE_BYTES)
        .map_err(|e| anyhow::anyhow!("cannot import `{shown}`: {e}"))
}

/// A value for a field, with the cell it came from (if it came from one).
#[derive(Clone, Debug)]
struct Valued {
    target: Target,
    value: New,
    cell: Option<Span>,
}

/// The plan of importing `req` into the register `ws`.
pub fn plan(ws: &Workspace, req: &Request) -> Result<Plan> {
    let loaded = ws.load()?;
    let mut local = Sources::default();
    let map_file = local.add(req.map_shown.clone(), req.map_text.clone());
    let mut found: Vec<Diagnostic> = Vec::new();
    let Some(map) = mapping::read(map_file, &req.map_text, &mut found) else {
        return Ok(stopped(local, found));
    };
    let missing: Vec<&str> = map
        .needs
        .iter()
        .filter(|(n, _)| !req.sets.iter().any(|(k, _)| k == n))
        .map(|(n, _)| n.as_str())
        .collect();
    if !missing.is_empty() {
        bail!(
            "the mapping `{}` needs --set for: {}\nhelp: `airisk import --map-template {}` shows what each is",
            req.map_shown,
            missing
                .iter()
                .map(|m| format!("{m}=…"))
                .collect::<Vec<_>>()
                .join(" "),
            req.map_shown
        );
    }
    let mut sets = Vec::new();
    let decl = map
        .kind
        .def()
        .mapping
        .expect("an imported kind has declarations");
    for (k, v) in &req.sets {
        match mapping::resolve(decl, k) {
            Ok((path, field, required)) => sets.push((
                Target {
                    path,
                    field,
                    required,
                    span: Span::file_start(map_file),
                },
                v.clone(),
            )),
            Err((msg, help)) => bail!(
                "--set {k}=…: {msg}{}",
                help.map(|h| format!("\nhelp: {h}")).unwrap_or_default()
            ),
        }
    }
    let grid = if sheet::is_workbook(&req.shown) {
        let name = req.sheet.as_deref().or(map.sheet.as_deref());
        sheet::workbook(&req.shown, req.bytes.clone(), name)?
    } else {
        sheet::csv(&req.shown, &req.bytes)?
    };
    let sheet_file = local.add(grid.source.path.clone(), grid.source.text.clone());
    let cx = Rows {
        grid: &grid,
        file: sheet_file,
        map: &map,
        loaded: &loaded,
        sets: &sets,
    };
    let Some(columns) = cx.header(&mut found) else {
        return Ok(stopped(local, found));
    };
    let rows = cx.rows(&columns, &mut found);
    let count = rows.len();
    let (writes, origins) = files(&cx, rows, &mut found)?;
    if found.iter().any(|d| d.severity == Severity::Error) && writes.is_empty() {
        return Ok(stopped(local, found));
    }
    // The register with the import laid over it, checked whole.
    let overlay = Overlay::new(
        ws.tree.as_ref(),
        writes
            .iter()
            .map(|w| (w.rel.clone(), w.text.clone().into_bytes()))
            .collect(),
    );
    let before = check_tree(ws.tree.as_ref(), &ws.root, ws.today, false)?;
    let mut after = check_tree(&overlay, &ws.root, ws.today, false)?;
    let compared = req.compare.then(|| Compared {
        base: Side {
            short: "working tree".into(),
            what: String::new(),
            commit: None,
        },
        head: Side {
            short: "import".into(),
            what: req.shown.clone(),
            commit: None,
        },
        diff: RegisterDiff::between(
            &DiffSide {
                loaded: &before.loaded,
                diagnostics: &before.diagnostics,
                extras: &Default::default(),
            },
            &DiffSide {
                loaded: &after.loaded,
                diagnostics: &after.diagnostics,
                extras: &Default::default(),
            },
        ),
        threshold: after.loaded.register.config.criteria.acceptance_threshold,
    });
    let mut sources = std::mem::take(&mut after.loaded.sources);
    let (m, g) = (local.get(map_file), local.get(sheet_file));
    let map_id = sources.add(m.path.clone(), m.text.clone());
    let sheet_id = sources.add(g.path.clone(), g.text.clone());
    let relocate = |span: Span| -> Span {
        let file = if span.file == map_file {
            map_id
        } else {
            sheet_id
        };
        Span::new(file, span.start as usize, span.end as usize)
    };
    let mut diagnostics: Vec<Diagnostic> =
        found.into_iter().map(|d| relabel(d, &relocate)).collect();
    let bad_rows: std::collections::HashSet<&str> = origins
        .iter()
        .filter(|(_, o)| o.bad)
        .map(|(rel, _)| rel.as_str())
        .collect();
    // Findings the register had before the import are not the import's to report, unless
    // they are in a file it writes.
    let had: std::collections::HashSet<(String, String)> = before
        .diagnostics
        .iter()
        .map(|d| {
            (
                before.loaded.sources.path(d.primary.span.file).to_string(),
                d.message.clone(),
            )
        })
        .collect();
    for d in &after.diagnostics {
        let path = sources.path(d.primary.span.file).to_string();
        match origins.get(&path) {
            Some(origin) => {
                if bad_rows.contains(path.as_str()) {
                    continue;
                }
                diagnostics.push(to_cell(d.clone(), &sources, &path, origin, &relocate));
            }
            None if had.contains(&(path.clone(), d.message.clone())) => {}
            None => diagnostics.push(d.clone()),
        }
    }
    diagnostics = diag::finalize(diagnostics, &after.loaded.rules, false, &sources);
    Ok(Plan {
        diagnostics,
        sources,
        writes,
        compared,
        rows: count,
    })
}

/// The control block of the document a dry run shows.
pub fn control(ws: &Workspace) -> Result<DocControl> {
    let loaded = ws.load()?;
    Ok(DocControl::new(&loaded.register, ws.today))
}

fn stopped(sources: Sources, found: Vec<Diagnostic>) -> Plan {
    Plan {
        diagnostics: found,
        sources,
        writes: Vec::new(),
        compared: None,
        rows: 0,
    }
}

fn relabel(mut d: Diagnostic, f: &impl Fn(Span) -> Span) -> Diagnostic {
    d.primary.span = f(d.primary.span);
    for l in &mut d.secondary {
        l.span = f(l.span);
    }
    d
}

/// Where a planned file's values came from.
#[derive(Debug, Default)]
struct Origin {
    /// The row's first cell (for a finding about no value in particular).
    row: Option<Span>,
    /// Field path → the cell.
    cells: Vec<(Vec<&'static str>, Span)>,
    /// The row had a finding of its own: the check's findings of it would repeat it.
    bad: bool,
}

/// A finding of the check in a file the import would write, moved to the cell of the value
/// it points at (or the row), saying which file.
fn to_cell(
    mut d: Diagnostic,
    sources: &Sources,
    path: &str,
    origin: &Origin,
    relocate: &impl Fn(Span) -> Span,
) -> Diagnostic {
    let text = &sources.get(d.primary.span.file).text;
    let at = d.primary.span.start as usize;
    let mut best: Option<Span> = None;
    if let Ok(root) = yaml::parse(text) {
        for (p, cell) in &origin.cells {
            if let Some(n) = edit::find(&root, p)
                && n.start <= at
                && at <= edit::extent(text, n).max(n.end)
            {
                best = Some(*cell);
            }
        }
    }
    let Some(cell) = best.or(origin.row) else {
        return d;
    };
    d.primary.span = relocate(cell);
    d.notes
        .push(format!("in `{path}`, which the import would write"));
    d
}

/// The rows of a grid read through a mapping.
struct Rows<'a> {
    grid: &'a Grid,
    file: FileId,
    map: &'a Map,
    loaded: &'a Loaded,
    sets: &'a [(Target, String)],
}

/// A row read: its values, the cell of its id, its number.
struct RowValues {
    number: usize,
    start: Span,
    id: Option<(String, Option<Span>)>,
    values: Vec<Valued>,
    bad: bool,
}

impl Rows<'_> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    /// The column index of every mapped header; `None` after findings.
    fn header(&self, out: &mut Vec<Diagnostic>) -> Option<Vec<(usize, Target)>> {
        let Some(row) = self
            .grid
            .rows
            .iter()
            .find(|r| r.number == self.map.header_row)
        else {
            out.push(Diagnostic::new(
                Code::ImportMapping,
                self.span(0, 0),
                format!(
                    "the sheet has no row {}, where the mapping says the headers are",
                    self.map.header_row
                ),
            ));
            return None;
        };
        let headers: Vec<String> = row
            .cells
            .iter()
            .map(|c| c.value.text().trim().to_string())
            .collect();
        let before = out.len();
        let mut cols = Vec::new();
        for (header, span, target) in &self.map.columns {
            let found = headers
                .iter()
                .position(|h| h == header)
                .or_else(|| headers.iter().position(|h| h.eq_ignore_ascii_case(header)));
            match found {
                Some(i) => cols.push((i, target.clone())),
                None => out.push(
                    Diagnostic::new(
                        Code::ImportUnknownColumn,
                        *span,
                        format!(
                            "the sheet has no column `{header}` in its header row ({})",
                            self.map.header_row
                        ),
                    )
                    .label(format!("for `{}`", target.dotted()))
                    .help_opt(
                        diag::did_you_mean(header, headers.iter().map(String::as_str))
                            .map(|s| format!("did you mean `{s}`?")),
                    )
                    .note(format!(
                        "the headers are: {}",
                        headers
                            .iter()
                            .filter(|h| !h.is_empty())
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                ),
            }
        }
        (out.len() == before).then_some(cols)
    }

    /// Every data row's values.
    fn rows(&self, cols: &[(usize, Target)], out: &mut Vec<Diagnostic>) -> Vec<RowValues> {
        let mut rows = Vec::new();
        for row in self
            .grid
            .rows
            .iter()
            .filter(|r| r.number > self.map.header_row)
        {
            let empty = cols.iter().all(|(i, _)| {
                row.cells
                    .get(*i)
                    .is_none_or(|c| matches!(c.value, CellValue::Empty))
            });
            if empty {
                continue;
            }
            let first = row
                .cells
                .first()
                .map_or(self.span(row.start, row.start), |c| {
                    self.span(c.start, c.end)
                });
            let before = out.len();
            let mut values = Vec::new();
            let mut id = None;
            for (i, target) in cols {
                let Some(cell) = row.cells.get(*i) else {
                    continue;
                };
                let span = self.span(cell.start, cell.end);
                let name = self.grid.cell_name(row.number, *i);
                if let Some(v) = self.value(target, &cell.value, span, &name, out) {
                    if target.path == ["id"] {
                        if let New::Str(s) = &v {
                            id = Some((s.clone(), Some(span)));
                        }
                        continue;
                    }
                    values.push(Valued {
                        target: target.clone(),
                        value: v,
                        cell: Some(span),
                    });
                } else if matches!(cell.value, CellValue::Empty)
                    && target.required
                    && target.path != ["id"]
                    && !self.sets.iter().any(|(t, _)| t.path == target.path)
                    && !self.map.defaults.iter().any(|(t, _)| t.path == target.path)
                {
                    // Reported once the row is known to be new (an existing file keeps its
                    // value): see `files`.
                    values.push(Valued {
                        target: target.clone(),
                        value: New::Str(String::new()),
                        cell: Some(span),
                    });
                }
            }
            for (target, v) in self.sets {
                if !values.iter().any(|x| x.target.path == target.path) {
                    let span = Span::file_start(self.file);
                    if let Some(value) =
                        self.typed(target, &CellValue::Text(v.clone()), span, "--set", out)
                    {
                        values.push(Valued {
                            target: target.clone(),
                            value,
                            cell: None,
                        });
                    }
                }
            }
            for (target, v) in &self.map.defaults {
                if !values.iter().any(|x| x.target.path == target.path) {
                    let value = match v {
                        toml::Value::Integer(i) => New::Int(*i),
                        toml::Value::Boolean(b) => New::Bool(*b),
                        toml::Value::String(s) => New::Str(s.clone()),
                        other => New::Str(other.to_string()),
                    };
                    values.push(Valued {
                        target: target.clone(),
                        value,
                        cell: None,
                    });
                }
            }
            rows.push(RowValues {
                number: row.number,
                start: first,
                id,
                values,
                bad: out.len() > before,
            });
        }
        rows
    }

    /// A cell's value for `target`: `None` for an empty cell or after a finding.
    fn value(
        &self,
        target: &Target,
        cell: &CellValue,
        span: Span,
        name: &str,
        out: &mut Vec<Diagnostic>,
    ) -> Option<New> {
        match cell {
            CellValue::Empty => return None,
            CellValue::Merged(anchor) => {
                out.push(
                    Diagnostic::new(
                        Code::ImportMergedCell,
                        span,
                        format!("{name} is part of a merged range that starts at {anchor}"),
                    )
                    .label("merged cell")
                    .help("unmerge the cells and fill in each row's value"),
                );
                return None;
            }
            CellValue::Error(e) => {
                out.push(
                    Diagnostic::new(
                        Code::ImportFormulaError,
                        span,
                        format!("{name} holds no value: {e}"),
                    )
                    .label("no value")
                    .help("open the workbook in a spreadsheet and save it (so each formula's value is saved), or type the value"),
                );
                return None;
            }
            _ => {}
        }
        let dotted = target.dotted();
        if let Some(labels) = self.map.values.get(&dotted) {
            let text = cell.text();
            let t = text.trim();
            let hit = labels
                .iter()
                .find(|(l, _)| l == t)
                .or_else(|| labels.iter().find(|(l, _)| l.eq_ignore_ascii_case(t)));
            return match hit {
                Some((_, toml::Value::Integer(i))) => Some(New::Int(*i)),
                Some((_, toml::Value::String(s))) => {
                    self.typed(target, &CellValue::Text(s.clone()), span, name, out)
                }
                Some((_, toml::Value::Boolean(b))) => Some(New::Bool(*b)),
                Some((_, other)) => Some(New::Str(other.to_string())),
                None => {
                    let known: Vec<&str> = labels.iter().map(|(l, _)| l.as_str()).collect();
                    out.push(
                        Diagnostic::new(
                            Code::ImportUnmappedLabel,
                            span,
                            format!(
                                "{name}: `{t}` has no value in [values.\"{dotted}\"] of the mapping"
                            ),
                        )
                        .label("no value mapping")
                        .help_opt(
                            diag::did_you_mean(t, known.iter().copied())
                                .map(|s| format!("did you mean `{s}`?")),
                        )
                        .note(format!("the labels mapped: {}", known.join(", "))),
                    );
                    None
                }
            };
        }
        self.typed(target, cell, span, name, out)
    }

    /// A cell as the field's type.
    fn typed(
        &self,
        target: &Target,
        cell: &CellValue,
        span: Span,
        name: &str,
        out: &mut Vec<Diagnostic>,
    ) -> Option<New> {
        let text = cell.text();
        let t = text.trim();
        let invalid = |what: &str, help: &str, out: &mut Vec<Diagnostic>| {
            out.push(
                Diagnostic::new(
                    Code::ImportInvalidCell,
                    span,
                    format!("{name}: `{t}` is not {what} (for `{}`)", target.dotted()),
                )
                .label(format!("expected {what}"))
                .help(help.to_string()),
            );
            None
        };
        match target.field.ty {
            Type::Int => match cell {
                CellValue::Number(n) if n.fract() == 0.0 => Some(New::Int(*n as i64)),
                _ => match t.parse::<i64>() {
                    Ok(i) => Some(New::Int(i)),
                    Err(_) => invalid(
                        "a whole number",
                        "write a number, or map the label under [values] in the mapping",
                        out,
                    ),
                },
            },
            Type::Date => match cell {
                CellValue::Date(d) => Some(New::Str(d.clone())),
                CellValue::Number(n) if !sheet_is_csv(self.grid) => match sheet::serial_date(*n) {
                    Some(d) => Some(New::Str(d)),
                    None => invalid("a date", "format the cell as a date", out),
                },
                _ if crate::model::time::parse_date(t).is_ok() => Some(New::Str(t.to_string())),
                _ => invalid(
                    "a date",
                    "a date written as text is read only as YYYY-MM-DD: format the column as a date, or write 2026-09-15",
                    out,
                ),
            },
            Type::Bool => match t.to_ascii_lowercase().as_str() {
                "true" | "yes" | "y" | "1" | "x" => Some(New::Bool(true)),
                "false" | "no" | "n" | "0" => Some(New::Bool(false)),
                _ => invalid("yes or no", "write yes or no", out),
            },
            Type::List { .. } | Type::OneOrList(_) => Some(New::List(
                t.split([',', ';', '\n'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| self.person(target, s))
                    .collect(),
            )),
            _ => Some(New::Str(self.person(target, t))),
        }
    }

    /// A person field's value: the key of the person whose key, name or email it is
    /// (case-insensitive); anything else as written (the check reports it).
    fn person(&self, target: &Target, s: &str) -> String {
        if target.field.symbol != Symbol::Refers(Kind::Person) {
            return s.to_string();
        }
        let Some(people) = &self.loaded.register.people else {
            return s.to_string();
        };
        let same = |x: &Option<crate::model::Sp<String>>| {
            x.as_ref().is_some_and(|v| v.value.eq_ignore_ascii_case(s))
        };
        people
            .people
            .iter()
            .find(|p| p.key.value == s)
            .or_else(|| {
                people.people.iter().find(|p| {
                    p.key.value.eq_ignore_ascii_case(s) || same(&p.name) || same(&p.email)
                })
            })
            .map_or_else(|| s.to_string(), |p| p.key.value.clone())
    }
}

fn sheet_is_csv(grid: &Grid) -> bool {
    grid.sheet.is_none()
}

/// The files of the rows: existing files edited, new ones written; with where each value
/// came from.
fn files(
    cx: &Rows,
    rows: Vec<RowValues>,
    out: &mut Vec<Diagnostic>,
) -> Result<(Vec<Write>, BTreeMap<String, Origin>)> {
    let kind = cx.map.kind;
    let def = kind.def();
    let symbols = &cx.loaded.register.symbols;
    let sources = &cx.loaded.sources;
    let Home::Folder { dir, .. } = def.home else {
        bail!("{} files are not imported", kind.name());
    };
    // Ids given in the sheet: duplicates are findings; the rest count as taken.
    let mut seen: HashMap<String, (usize, Option<Span>)> = HashMap::new();
    let mut dup_rows = std::collections::HashSet::new();
    for (i, r) in rows.iter().enumerate() {
        if let Some((id, span)) = &r.id {
            if let Some((_, first)) = seen.get(id) {
                let mut d = Diagnostic::new(
                    Code::ImportDuplicateId,
                    span.unwrap_or(r.start),
                    format!("`{id}` is the id of an earlier row too"),
                )
                .label("the same id again");
                if let Some(f) = first {
                    d = d.with_label(*f, "first here");
                }
                out.push(
                    d.help("give each row its own id, or leave the id empty for the next free one"),
                );
                dup_rows.insert(i);
            } else {
                seen.insert(id.clone(), (i, *span));
            }
        }
    }
    let prefix = def.id_prefix;
    let mut last: Option<String> = None;
    let mut writes = Vec::new();
    let mut origins = BTreeMap::new();
    for (i, r) in rows.into_iter().enumerate() {
        if dup_rows.contains(&i) {
            continue;
        }
        let id = match &r.id {
            Some((id, span)) => {
                if !crate::text::is_id(id) {
                    out.push(
                        Diagnostic::new(Code::ImportInvalidCell, span.unwrap_or(r.start), format!("`{id}` cannot be an id"))
                            .label("not an id")
                            .help("an id is 1 to 64 letters, digits, `.`, `_` and `-`, starting with a letter or digit"),
                    );
                    continue;
                }
                id.clone()
            }
            None => {
                let Some(prefix) = prefix else {
                    out.push(Diagnostic::new(
                        Code::ImportEmptyCell,
                        r.start,
                        format!(
                            "row {} has no id, and {} ids are not numbered",
                            r.number,
                            kind.name()
                        ),
                    ));
                    continue;
                };
                let next = match &last {
                    None => next_id(
                        prefix,
                        symbols.ids(kind).chain(seen.keys().map(String::as_str)),
                    ),
                    Some(prev) => next_id(prefix, std::iter::once(prev.as_str())),
                };
                // A number after the highest can still be taken by a file's name.
                last = Some(next.clone());
                next
            }
        };
        let mut origin = Origin {
            row: Some(r.start),
            cells: r
                .values
                .iter()
                .filter_map(|v| v.cell.map(|c| (v.target.path.clone(), c)))
                .collect(),
            bad: r.bad,
        };
        if let Some((_, Some(span))) = &r.id {
            origin.cells.push((vec!["id"], *span));
        }
        let existing = symbols.get(kind, &id).and_then(|s| s.file());
        match existing {
            Some(file) => {
                let rel = sources.path(file).to_string();
                let mut text = sources.get(file).text.clone();
                let root = yaml::parse(&text).ok();
                let mut changed = false;
                for v in &r.values {
                    if matches!(&v.value, New::Str(s) if s.is_empty()) {
                        continue; // an empty cell changes nothing
                    }
                    if v.cell.is_none()
                        && root
                            .as_ref()
                            .and_then(|n| edit::find(n, &v.target.path))
                            .is_some()
                    {
                        continue; // --set and defaults fill in; they do not overwrite
                    }
                    let current = root.as_ref().and_then(|n| edit::find(n, &v.target.path));
                    if current.is_some_and(|n| v.value.is_in(n)) {
                        continue;
                    }
                    match edit::set(&text, &v.target.path, &v.value) {
                        Ok(t) => {
                            text = t;
                            changed = true;
                        }
                        Err(e) => {
                            out.push(
                                Diagnostic::new(
                                    Code::ImportNotEditable,
                                    v.cell.unwrap_or(r.start),
                                    format!(
                                        "`{}` of `{rel}` cannot be updated in place: {e}",
                                        v.target.dotted()
                                    ),
                                )
                                .label("this value")
                                .help(
                                    "edit the file by hand, or leave the cell as the file has it",
                                ),
                            );
                            origin.bad = true;
                        }
                    }
                }
                if changed {
                    writes.push(Write {
                        rel: rel.clone(),
                        text,
                        new: false,
                    });
                    origins.insert(rel, origin);
                }
            }
            None => {
                let mut values = r.values;
                for v in &values {
                    if matches!(&v.value, New::Str(s) if s.is_empty())
                        && let Some(cell) = v.cell
                    {
                        out.push(
                            Diagnostic::new(
                                Code::ImportEmptyCell,
                                cell,
                                format!(
                                    "row {}: `{}` is required and its cell is empty",
                                    r.number,
                                    v.target.dotted()
                                ),
                            )
                            .label("empty")
                            .help("fill it in, or give every row a value with --set or [defaults]"),
                        );
                        origin.bad = true;
                    }
                }
                values.retain(|v| !matches!(&v.value, New::Str(s) if s.is_empty()));
                let rel = format!("{dir}/{id}.yaml");
                let text = new_file(kind, &rel, &id, &values);
                writes.push(Write {
                    rel: rel.clone(),
                    text,
                    new: true,
                });
                origins.insert(rel, origin);
            }
        }
    }
    Ok((writes, origins))
}

/// A new file of `kind` holding `values`, keys in the order of the declarations.
fn new_file(kind: Kind, rel: &str, id: &str, values: &[Valued]) -> String {
    let decl = kind
        .def()
        .mapping
        .expect("an imported kind has declarations");
    let mut out = modeline(kind, rel);
    out.push_str("\n# Imported by `airisk import`: review it before you merge.\n");
    out.push_str(&format!("id: {}\n", edit::scalar(id)));
    write_mapping(decl, &[], values, 0, &mut out);
    out
}

fn write_mapping(
    decl: &'static crate::kinds::fields::Mapping,
    at: &[&'static str],
    values: &[Valued],
    indent: usize,
    out: &mut String,
) {
    let pad = " ".repeat(indent);
    for f in decl.fields {
        if at.is_empty() && f.name == "id" {
            continue;
        }
        let mut path = at.to_vec();
        path.push(f.name);
        if let Type::Mapping(inner) = f.ty {
            let below = values.iter().any(|v| v.target.path.starts_with(&path));
            if below {
                out.push_str(&format!("{pad}{}:\n", f.name));
                write_mapping(inner, &path, values, indent + 2, out);
            }
            continue;
        }
        if let Some(v) = values.iter().find(|v| v.target.path == path) {
            out.push_str(&format!("{pad}{}: {}\n", f.name, edit::render(&v.value)));
        }
    }
}
