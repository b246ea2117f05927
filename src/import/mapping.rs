//! The mapping file of `airisk import` (TOML, SPEC §11): which kind the rows are, the row of
//! the headers, which column feeds which field (a path of the kind's field declarations:
//! `assessment.likelihood`), value labels per field (`[values.FIELD]`), `[defaults]`, and,
//! for the built-in mappings, the fields `--set` must give (`needs`).
//!
//! Every problem is a finding in the mapping file at its key or value (`import-mapping`);
//! a header the sheet lacks is `import-unknown-column`, at the header's value. The built-in
//! mappings (`mit-ai-risk-repository`, `ciso-assistant`, `airisk-register`) are files of
//! `maps/`, embedded; `--map-template NAME` prints one.

use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::kinds::fields::{Field, Mapping as Decl, Type};
use crate::kinds::{KINDS, Kind};
use crate::source::{FileId, Span};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// The built-in mappings: name, text.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "mit-ai-risk-repository",
        include_str!("maps/mit-ai-risk-repository.toml"),
    ),
    ("ciso-assistant", include_str!("maps/ciso-assistant.toml")),
    ("airisk-register", include_str!("maps/airisk-register.toml")),
];

/// The text of a built-in mapping.
pub fn builtin(name: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// The kinds rows can be.
pub const KINDS_IMPORTED: &[Kind] = &[Kind::Risk, Kind::System, Kind::Assessment, Kind::Incident];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    kind: Option<Spanned<String>>,
    header_row: Option<Spanned<i64>>,
    sheet: Option<Spanned<String>>,
    #[serde(default)]
    needs: Vec<Spanned<String>>,
    columns: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    #[serde(default)]
    values: BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
    #[serde(default)]
    defaults: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
}

/// A mapped field: its path, its declaration, and where the mapping names it.
#[derive(Clone, Debug)]
pub struct Target {
    pub path: Vec<&'static str>,
    pub field: &'static Field,
    /// Every mapping on the way is required (so an empty cell for a required field is one).
    pub required: bool,
    pub span: Span,
}

impl Target {
    pub fn dotted(&self) -> String {
        self.path.join(".")
    }
}

/// A mapping read and checked against the kind's declarations.
#[derive(Debug)]
pub struct Map {
    pub kind: Kind,
    /// 1-based.
    pub header_row: usize,
    pub sheet: Option<String>,
    /// Fields `--set` must give.
    pub needs: Vec<(String, Span)>,
    /// Column header → field, in the mapping's order of fields.
    pub columns: Vec<(String, Span, Target)>,
    /// Field path → label → value.
    pub values: BTreeMap<String, Vec<(String, toml::Value)>>,
    pub defaults: Vec<(Target, toml::Value)>,
}

/// Reads the mapping file `text` (file `file`); `None` with findings when it cannot be used.
pub fn read(file: FileId, text: &str, out: &mut Vec<Diagnostic>) -> Option<Map> {
    let at = |r: std::ops::Range<usize>| Span::new(file, r.start, r.end);
    let raw: Raw = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let r = e.span().unwrap_or(0..0);
            out.push(
                Diagnostic::new(
                    Code::ImportMapping,
                    at(r),
                    format!("the mapping file cannot be read: {}", e.message()),
                )
                .help("the keys are kind, header_row, sheet, needs, [columns], [values.FIELD], [defaults]: docs/import.md"),
            );
            return None;
        }
    };
    let before = out.len();
    let kind = match &raw.kind {
        None => Kind::Risk,
        Some(k) => match KINDS_IMPORTED.iter().find(|x| x.name() == k.get_ref()) {
            Some(kind) => *kind,
            None => {
                let names: Vec<&str> = KINDS_IMPORTED.iter().map(|k| k.name()).collect();
                out.push(
                    Diagnostic::new(
                        Code::ImportMapping,
                        at(k.span()),
                        format!("`{}` is not a kind import writes", k.get_ref()),
                    )
                    .label("expected one of these kinds")
                    .help(format!("kind is one of: {}", names.join(", "))),
                );
                return None;
            }
        },
    };
    let decl = KINDS
        .iter()
        .find(|d| d.kind == kind)
        .and_then(|d| d.mapping)
        .expect("an imported kind has declarations");
    let header_row = match &raw.header_row {
        None => 1,
        Some(h) if *h.get_ref() >= 1 && (*h.get_ref() as usize) < super::sheet::MAX_ROWS => {
            *h.get_ref() as usize
        }
        Some(h) => {
            out.push(Diagnostic::new(
                Code::ImportMapping,
                at(h.span()),
                "header_row is the spreadsheet's row number of the headers, from 1",
            ));
            1
        }
    };
    let resolve = |path: &Spanned<String>, out: &mut Vec<Diagnostic>| {
        let r = resolve(decl, path.get_ref());
        match r {
            Ok((p, field, required)) => Some(Target {
                path: p,
                field,
                required,
                span: at(path.span()),
            }),
            Err(msg) => {
                out.push(
                    Diagnostic::new(Code::ImportMapping, at(path.span()), msg.0)
                        .label(format!("not a field of the {}", kind.name()))
                        .help_opt(msg.1),
                );
                None
            }
        }
    };
    let mut columns = Vec::new();
    match &raw.columns {
        None => out.push(
            Diagnostic::new(
                Code::ImportMapping,
                Span::new(file, 0, 0),
                "the mapping has no [columns]",
            )
            .help("[columns] maps field paths to column headers: `title = \"Risk\"`"),
        ),
        Some(cols) => {
            let mut entries: Vec<_> = cols.iter().collect();
            entries.sort_by_key(|(k, _)| k.span().start);
            for (path, header) in entries {
                if let Some(t) = resolve(path, out) {
                    columns.push((header.get_ref().clone(), at(header.span()), t));
                }
            }
        }
    }
    let mut values = BTreeMap::new();
    for (path, labels) in &raw.values {
        if resolve(path, out).is_some() {
            let mut list: Vec<_> = labels.iter().collect();
            list.sort_by_key(|(k, _)| k.span().start);
            values.insert(
                path.get_ref().clone(),
                list.into_iter()
                    .map(|(l, v)| (l.get_ref().clone(), v.get_ref().clone()))
                    .collect(),
            );
        }
    }
    let mut defaults = Vec::new();
    let mut list: Vec<_> = raw.defaults.iter().collect();
    list.sort_by_key(|(k, _)| k.span().start);
    for (path, v) in list {
        if let Some(t) = resolve(path, out) {
            defaults.push((t, v.get_ref().clone()));
        }
    }
    let mut needs = Vec::new();
    for n in &raw.needs {
        if resolve(n, out).is_some() {
            needs.push((n.get_ref().clone(), at(n.span())));
        }
    }
    if out.len() > before {
        return None;
    }
    Some(Map {
        kind,
        header_row,
        sheet: raw.sheet.map(|s| s.into_inner()),
        needs,
        columns,
        values,
        defaults,
    })
}

/// A field path resolved: its keys, its declaration, whether it is required all the way.
pub type Resolved = (Vec<&'static str>, &'static Field, bool);
/// Why a path is no field, and a suggestion.
pub type Unresolved = (String, Option<String>);

/// The declaration of the field at a dotted `path` of the kind's mapping `decl`, with
/// whether it is required all the way down; or why it is none (and a suggestion).
pub fn resolve(decl: &'static Decl, path: &str) -> Result<Resolved, Unresolved> {
    let mut at = decl;
    let mut out = Vec::new();
    let mut required = true;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let Some(f) = at.field(part) else {
            let names: Vec<&str> = at.fields.iter().map(|f| f.name).collect();
            let where_ = if out.is_empty() {
                format!("the {}", decl.what)
            } else {
                format!("`{}`", out.join("."))
            };
            return Err((
                format!("`{path}` is not a field: {where_} has no `{part}`"),
                did_you_mean(part, names.iter().copied()).map(|s| format!("did you mean `{s}`?")),
            ));
        };
        out.push(f.name);
        required &= f.presence == crate::kinds::fields::Presence::Required;
        match f.ty {
            Type::Mapping(inner) if i + 1 < parts.len() => at = inner,
            Type::Mapping(_) => {
                return Err((
                    format!("`{path}` is a mapping: map each of its fields (`{path}.…`)"),
                    None,
                ));
            }
            Type::Map { .. } => {
                return Err((
                    format!("`{path}` is a map of keys, which import does not write"),
                    None,
                ));
            }
            _ if i + 1 < parts.len() => {
                return Err((
                    format!("`{}` holds a value, not fields", out.join(".")),
                    None,
                ));
            }
            _ => return Ok((out, f, required)),
        }
    }
    Err((format!("`{path}` is not a field"), None))
}
