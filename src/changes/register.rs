//! The semantic difference between two checked registers: entities added, removed and changed
//! field by field (matched by kind and id, so a renamed file is not a new entity), how each
//! risk's score and level moved, SoA decisions, people and roles, and the findings one side
//! has and the other has not (matched by code, file and message, not by line, which shifts
//! with any edit).
//!
//! And everything else that changes what CI publishes (SPEC §7, "the reviewer sees every
//! change"): `airisk.toml` setting by setting, compared as parsed TOML whatever its sections
//! (a section added later shows without new code), a root `waivers.yaml` field by field,
//! the files under `templates/` (added, removed, changed), and the infosec register (ids
//! added and removed, or the file changed).

use super::{FieldChange, Move, Standing, flat_changes, flatten, parse};
use crate::diag::Diagnostic;
use crate::load::Loaded;
use crate::load::yaml::{Node, Value};
use crate::text::natural_cmp;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What an entity is: a kind of the table of kinds (the SoA's own fields, `reviewed` and
/// `approved_by`, are [`Kind::Soa`]).
pub use crate::kinds::Kind;

/// The kinds a diff compares, in the order it lists them: risks first, what a reviewer reads
/// first.
pub const ORDER: [Kind; 8] = [
    Kind::Risk,
    Kind::System,
    Kind::Assessment,
    Kind::Incident,
    Kind::Decision,
    Kind::Soa,
    Kind::Person,
    Kind::Role,
];

/// A kind's place in [`ORDER`].
fn rank(kind: Kind) -> usize {
    ORDER.iter().position(|k| *k == kind).unwrap_or(ORDER.len())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Added,
    Removed,
    Changed,
}

/// One entity that differs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityDelta {
    pub kind: Kind,
    pub id: String,
    pub status: Status,
    /// Its file (on the newer side, or the older for a removed entity).
    pub file: String,
    /// Its file on the older side, when it moved.
    pub moved_from: Option<String>,
    /// A risk's or system's title or name, for summaries.
    pub title: Option<String>,
    pub fields: Vec<FieldChange>,
    /// A risk's score, level and threshold standing, when they moved.
    pub risk: Option<Move>,
}

/// A finding on one side only.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    pub file: String,
    pub line: usize,
    pub code: String,
    pub level: String,
    pub message: String,
}

/// The difference between two registers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RegisterDiff {
    /// Sorted by kind (risks first), then id in natural order.
    pub entities: Vec<EntityDelta>,
    /// `airisk.toml` differs as text (its settings, or only comments and layout).
    pub config_changed: bool,
    /// `airisk.toml` setting by setting (`criteria.acceptance_threshold`, `rules.<code>`, ...).
    pub config: Vec<FieldChange>,
    /// The root `waivers.yaml` (or `.yml`), when either side has one and they differ.
    pub waivers: Option<FileDelta>,
    /// Files under `templates/` added, removed or changed, by path.
    pub templates: Vec<TemplateChange>,
    /// The infosec register, when its path, its ids or its text differ.
    pub infosec: Option<InfosecChange>,
    /// Monitors whose readings changed in number, in register order.
    pub readings: Vec<ReadingsChange>,
    pub findings_introduced: Vec<Finding>,
    pub findings_fixed: Vec<Finding>,
}

/// A file compared field by field (parsed YAML).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileDelta {
    pub file: String,
    pub status: Status,
    pub fields: Vec<FieldChange>,
    /// A side is not readable YAML (or too large): its fields could not be compared.
    pub unreadable: bool,
}

/// The readings of one monitor, before and after (SPEC §9): a pull request of a pipeline
/// adds rows; breaches it brings are among the findings introduced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReadingsChange {
    /// `system/monitor`.
    pub monitor: String,
    pub before: usize,
    pub after: usize,
    /// The latest reading after, `DATE VALUE`.
    pub latest: Option<String>,
}

/// A template file added, removed or changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TemplateChange {
    /// Its path in the register (`templates/soa.md`).
    pub file: String,
    pub status: Status,
}

/// How the infosec register changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InfosecChange {
    /// Its path as airisk.toml names it, on each side (`None`: no `[infosec]`).
    pub before: Option<String>,
    pub after: Option<String>,
    pub ids_added: Vec<String>,
    pub ids_removed: Vec<String>,
    /// The file's text differs (other columns, or the same ids reordered).
    pub file_changed: bool,
}

/// One side: a register as read and its findings.
pub struct Side<'a> {
    pub loaded: &'a Loaded,
    pub diagnostics: &'a [Diagnostic],
    /// The files the loader does not read that change what is published.
    pub extras: &'a Extras,
}

/// What a register holds besides the files the loader reads: its `templates/` and a root
/// `waivers.yaml`, as read from the same tree.
#[derive(Clone, Debug, Default)]
pub struct Extras {
    /// Template files by their name inside `templates/`.
    pub templates: BTreeMap<String, Vec<u8>>,
    /// The waivers file: its name and its text (`None` for text too large or not UTF-8).
    pub waivers: Option<(String, Option<String>)>,
}

impl Extras {
    /// No templates, no waivers: for comparisons that need only the loaded registers.
    pub const NONE: Extras = Extras {
        templates: BTreeMap::new(),
        waivers: None,
    };
}

struct Entry<'a> {
    file: String,
    node: Yaml<'a>,
    title: Option<String>,
    standing: Option<Standing>,
}

/// An entity's YAML. A whole file is parsed only when it is compared with a different text
/// (most files of a large register are the same on both sides: they are not parsed again);
/// a part of a file (an SoA decision, a person) comes parsed with that file.
enum Yaml<'a> {
    File(&'a str),
    Part(Option<Node>),
    /// Fields already flat (a role's members).
    Flat(Vec<(String, String)>),
}

impl Yaml<'_> {
    fn flat(&self) -> Vec<(String, String)> {
        match self {
            Yaml::File(text) => parse(text).as_ref().map(flatten).unwrap_or_default(),
            Yaml::Part(node) => node.as_ref().map(flatten).unwrap_or_default(),
            Yaml::Flat(f) => f.clone(),
        }
    }

    /// The field changes from `self` (older) to `new`: none without parsing when the two
    /// are the same text.
    fn changes(&self, new: &Yaml) -> Vec<FieldChange> {
        if let (Yaml::File(a), Yaml::File(b)) = (self, new)
            && a == b
        {
            return Vec::new();
        }
        flat_changes(&self.flat(), &new.flat())
    }
}

impl RegisterDiff {
    pub fn between(before: &Side, after: &Side) -> RegisterDiff {
        let a = entities(before.loaded);
        let b = entities(after.loaded);
        let mut out = Vec::new();
        for (key, new) in &b {
            let (kind, id) = key.clone();
            match a.get(key) {
                None => out.push(EntityDelta {
                    kind,
                    id,
                    status: Status::Added,
                    file: new.file.clone(),
                    moved_from: None,
                    title: new.title.clone(),
                    fields: flat_changes(&[], &new.node.flat()),
                    risk: new.standing.clone().map(|s| Move {
                        before: Standing::default(),
                        after: s,
                    }),
                }),
                Some(old) => {
                    let fields = old.node.changes(&new.node);
                    let risk = match (&old.standing, &new.standing) {
                        (Some(x), Some(y)) => Some(Move {
                            before: x.clone(),
                            after: y.clone(),
                        })
                        .filter(|m| !m.is_empty()),
                        _ => None,
                    };
                    let moved = old.file != new.file;
                    if fields.is_empty() && risk.is_none() && !moved {
                        continue;
                    }
                    out.push(EntityDelta {
                        kind,
                        id,
                        status: Status::Changed,
                        file: new.file.clone(),
                        moved_from: moved.then(|| old.file.clone()),
                        title: new.title.clone(),
                        fields,
                        risk,
                    });
                }
            }
        }
        for (key, old) in &a {
            if !b.contains_key(key) {
                out.push(EntityDelta {
                    kind: key.0,
                    id: key.1.clone(),
                    status: Status::Removed,
                    file: old.file.clone(),
                    moved_from: None,
                    title: old.title.clone(),
                    fields: flat_changes(&old.node.flat(), &[]),
                    risk: None,
                });
            }
        }
        out.sort_by(|x, y| {
            rank(x.kind)
                .cmp(&rank(y.kind))
                .then_with(|| natural_cmp(&x.id, &y.id))
        });
        let (introduced, fixed) = findings(before, after);
        let (ca, cb) = (config_text(before.loaded), config_text(after.loaded));
        let config = if ca == cb {
            Vec::new()
        } else {
            let flat = |t| crate::load::config::flatten(t).unwrap_or_default();
            flat_changes(&flat(ca), &flat(cb))
        };
        RegisterDiff {
            entities: out,
            config_changed: ca != cb,
            config,
            waivers: waivers(before.extras, after.extras),
            templates: templates(before.extras, after.extras),
            infosec: infosec(before.loaded, after.loaded),
            readings: readings(before.loaded, after.loaded),
            findings_introduced: introduced,
            findings_fixed: fixed,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
            && !self.config_changed
            && self.waivers.is_none()
            && self.templates.is_empty()
            && self.infosec.is_none()
            && self.readings.is_empty()
            && self.findings_introduced.is_empty()
            && self.findings_fixed.is_empty()
    }

    /// Entities of a kind with a status.
    pub fn count(&self, kind: Kind, status: Status) -> usize {
        self.entities
            .iter()
            .filter(|e| e.kind == kind && e.status == status)
            .count()
    }

    /// What changed of a kind, named `name`: `risks: 1 added, 2 changed`; `None` if nothing.
    pub fn tally(&self, kind: Kind, name: &str) -> Option<String> {
        let parts: Vec<String> = [
            (Status::Added, "added"),
            (Status::Changed, "changed"),
            (Status::Removed, "removed"),
        ]
        .iter()
        .filter_map(|(s, w)| {
            let n = self.count(kind, *s);
            (n > 0).then(|| format!("{n} {w}"))
        })
        .collect();
        (!parts.is_empty()).then(|| format!("{name}: {}", parts.join(", ")))
    }

    /// Risks whose standing moved (changed risks only; new risks are in `entities`).
    pub fn moves(&self) -> impl Iterator<Item = (&EntityDelta, &Move)> {
        self.entities
            .iter()
            .filter_map(|e| match (&e.risk, e.status) {
                (Some(m), Status::Changed) => Some((e, m)),
                _ => None,
            })
    }
}

fn config_text(l: &Loaded) -> &str {
    &l.sources.get(l.register.config.file).text
}

/// The waivers file compared field by field.
fn waivers(a: &Extras, b: &Extras) -> Option<FileDelta> {
    let (status, file) = match (&a.waivers, &b.waivers) {
        (None, None) => return None,
        (None, Some((f, _))) => (Status::Added, f),
        (Some((f, _)), None) => (Status::Removed, f),
        (Some((fa, ta)), Some((fb, tb))) if fa == fb && ta == tb => return None,
        (Some(_), Some((f, _))) => (Status::Changed, f),
    };
    let (fa, ua) = waiver_fields(&a.waivers);
    let (fb, ub) = waiver_fields(&b.waivers);
    Some(FileDelta {
        file: file.clone(),
        status,
        fields: flat_changes(&fa, &fb),
        unreadable: ua || ub,
    })
}

/// A waivers file's fields, and whether they could not be read.
fn waiver_fields(w: &Option<(String, Option<String>)>) -> (Vec<(String, String)>, bool) {
    match w {
        None => (Vec::new(), false),
        Some((_, None)) => (Vec::new(), true),
        Some((_, Some(t))) => match parse(t) {
            Some(n) => (waiver_flat(&n), false),
            None => (Vec::new(), true),
        },
    }
}

/// A waivers file flattened with each waiver under its rule and target
/// (`waiver review-overdue for R-001.reason`) rather than its place in the list: moving a
/// waiver changes nothing, and an added, removed or changed waiver is named by what it
/// waives. A waiver without a rule or target keeps its place (`waivers[2].reason`); a second
/// waiver of the same rule and target is `... (2)`.
fn waiver_flat(n: &crate::load::yaml::Node) -> Vec<(String, String)> {
    use crate::load::yaml::Value;
    let Value::Map(entries) = &n.value else {
        return flatten(n);
    };
    let mut out = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (k, v) in entries {
        match (&k.text[..], &v.value) {
            ("waivers", Value::Seq(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let text = |key: &str| match item.get(key).map(|x| &x.value) {
                        Some(Value::Str(s)) => Some(s.clone()),
                        _ => None,
                    };
                    let key = match (text("rule"), text("target")) {
                        (Some(r), Some(t)) => {
                            let name = format!("waiver {r} for {t}");
                            let n = seen.entry(name.clone()).or_default();
                            *n += 1;
                            if *n == 1 {
                                name
                            } else {
                                format!("{name} ({n})")
                            }
                        }
                        _ => format!("waivers[{i}]"),
                    };
                    out.extend(
                        flatten(item)
                            .into_iter()
                            .map(|(f, v)| (format!("{key}.{f}"), v)),
                    );
                }
            }
            _ => out.extend(flatten(v).into_iter().map(|(f, x)| {
                (
                    if f.is_empty() {
                        k.text.clone()
                    } else {
                        format!("{}.{f}", k.text)
                    },
                    x,
                )
            })),
        }
    }
    out
}

/// Template files added, removed or changed, in path order.
fn templates(a: &Extras, b: &Extras) -> Vec<TemplateChange> {
    let mut names: Vec<&String> = a.templates.keys().chain(b.templates.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter_map(|name| {
            let status = match (a.templates.get(name), b.templates.get(name)) {
                (None, Some(_)) => Status::Added,
                (Some(_), None) => Status::Removed,
                (Some(x), Some(y)) if x != y => Status::Changed,
                _ => return None,
            };
            Some(TemplateChange {
                file: format!("templates/{name}"),
                status,
            })
        })
        .collect()
}

/// The infosec register of one side: its path, ids and text.
struct InfosecSide<'a> {
    path: &'a str,
    ids: &'a BTreeSet<String>,
    text: Option<&'a str>,
}

fn infosec_side(l: &Loaded) -> Option<InfosecSide<'_>> {
    let i = l.register.config.infosec.as_ref()?;
    let rel = i.path.replace('\\', "/");
    let text = (0..l.sources.len())
        .map(|n| l.sources.get(crate::source::FileId(n as u32)))
        .find(|f| f.path == rel)
        .map(|f| f.text.as_str());
    Some(InfosecSide {
        path: &i.path,
        ids: &i.ids,
        text,
    })
}

/// The infosec register's path, ids and text on both sides.
fn infosec(a: &Loaded, b: &Loaded) -> Option<InfosecChange> {
    let (x, y) = (infosec_side(a), infosec_side(b));
    let none = BTreeSet::new();
    let ia = x.as_ref().map_or(&none, |s| s.ids);
    let ib = y.as_ref().map_or(&none, |s| s.ids);
    let mut ids_added: Vec<String> = ib.difference(ia).cloned().collect();
    let mut ids_removed: Vec<String> = ia.difference(ib).cloned().collect();
    ids_added.sort_by(|p, q| natural_cmp(p, q));
    ids_removed.sort_by(|p, q| natural_cmp(p, q));
    let before = x.as_ref().map(|s| s.path.to_string());
    let after = y.as_ref().map(|s| s.path.to_string());
    let file_changed = x.as_ref().and_then(|s| s.text) != y.as_ref().and_then(|s| s.text);
    let changed =
        before != after || file_changed || !ids_added.is_empty() || !ids_removed.is_empty();
    changed.then_some(InfosecChange {
        before,
        after,
        ids_added,
        ids_removed,
        file_changed,
    })
}

/// Every entity of a register by (kind, id); the first of a duplicated id.
fn entities(l: &Loaded) -> BTreeMap<(Kind, String), Entry<'_>> {
    let reg = &l.register;
    let src = &l.sources;
    let mut out: BTreeMap<(Kind, String), Entry> = BTreeMap::new();
    let node_of = |file| Yaml::File(src.get(file).text.as_str());
    let text = |v: &Option<crate::model::Sp<String>>| v.as_ref().map(|s| s.value.clone());
    let mut add = |key: (Kind, String), e| {
        if !key.1.is_empty() {
            out.entry(key).or_insert(e);
        }
    };
    for r in &reg.risks {
        add(
            (Kind::Risk, r.id.value.clone()),
            Entry {
                file: src.path(r.file).to_string(),
                node: node_of(r.file),
                title: text(&r.title),
                standing: Some(Standing::of(r, &reg.config.criteria)),
            },
        );
    }
    for s in &reg.systems {
        add(
            (Kind::System, s.id.value.clone()),
            Entry {
                file: src.path(s.file).to_string(),
                node: node_of(s.file),
                title: text(&s.name),
                standing: None,
            },
        );
    }
    for a in &reg.assessments {
        add(
            (Kind::Assessment, a.id.value.clone()),
            Entry {
                file: src.path(a.file).to_string(),
                node: node_of(a.file),
                title: None,
                standing: None,
            },
        );
    }
    for i in &reg.incidents {
        add(
            (Kind::Incident, i.id.value.clone()),
            Entry {
                file: src.path(i.file).to_string(),
                node: node_of(i.file),
                title: text(&i.summary),
                standing: None,
            },
        );
    }
    if let Some(soa) = &reg.soa {
        let file = src.path(soa.file).to_string();
        let node = parse(&src.get(soa.file).text);
        if let Some(Value::Map(controls)) = node
            .as_ref()
            .and_then(|n| n.get("controls"))
            .map(|c| &c.value)
        {
            for (k, v) in controls {
                add(
                    (Kind::Decision, k.text.clone()),
                    Entry {
                        file: file.clone(),
                        node: Yaml::Part(Some(v.clone())),
                        title: None,
                        standing: None,
                    },
                );
            }
        }
        let own = node.map(|mut n| {
            if let Value::Map(entries) = &mut n.value {
                entries.retain(|(k, _)| k.text != "controls");
            }
            n
        });
        add(
            (Kind::Soa, "soa".into()),
            Entry {
                file,
                node: Yaml::Part(own),
                title: None,
                standing: None,
            },
        );
    }
    if let Some(people) = &reg.people
        && let Some(file) = people.file
    {
        let node = parse(&src.get(file).text);
        if let Some(Value::Map(entries)) = node
            .as_ref()
            .and_then(|n| n.get("people"))
            .map(|p| &p.value)
        {
            for (k, v) in entries {
                add(
                    (Kind::Person, k.text.clone()),
                    Entry {
                        file: src.path(file).to_string(),
                        node: Yaml::Part(Some(v.clone())),
                        title: None,
                        standing: None,
                    },
                );
            }
        }
        // Roles by name: their members, as one field.
        for role in &people.roles {
            let members: Vec<&str> = role.members.iter().map(|m| m.as_str()).collect();
            add(
                (Kind::Role, role.name.value.clone()),
                Entry {
                    file: src.path(file).to_string(),
                    node: Yaml::Flat(vec![(
                        "members".into(),
                        format!("[{}]", members.join(", ")),
                    )]),
                    title: None,
                    standing: None,
                },
            );
        }
    }
    out
}

/// Findings on one side and not the other, as multisets of (code, file, message).
fn findings(before: &Side, after: &Side) -> (Vec<Finding>, Vec<Finding>) {
    let list = |s: &Side| -> Vec<Finding> {
        s.diagnostics
            .iter()
            .map(|d| Finding {
                file: s.loaded.sources.path(d.primary.span.file).to_string(),
                line: s.loaded.sources.line_col(d.primary.span).line,
                code: d.code.name().to_string(),
                level: d.severity.as_str().to_string(),
                message: d.message.clone(),
            })
            .collect()
    };
    let (a, b) = (list(before), list(after));
    let key = |f: &Finding| (f.code.clone(), f.file.clone(), f.message.clone());
    let only = |x: &[Finding], y: &[Finding]| -> Vec<Finding> {
        let mut counts: BTreeMap<(String, String, String), usize> = BTreeMap::new();
        for f in y {
            *counts.entry(key(f)).or_default() += 1;
        }
        let mut out = Vec::new();
        for f in x {
            match counts.get_mut(&key(f)) {
                Some(n) if *n > 0 => *n -= 1,
                _ => out.push(f.clone()),
            }
        }
        out.sort();
        out
    };
    (only(&b, &a), only(&a, &b))
}

/// Monitors whose number of readings differs between the two registers.
fn readings(before: &Loaded, after: &Loaded) -> Vec<ReadingsChange> {
    let counts = |l: &Loaded| {
        let mut m = BTreeMap::new();
        for s in &l.register.systems {
            for mon in &s.monitoring {
                if let Some(id) = &mon.id {
                    m.entry(format!("{}/{}", s.id.value, id.value))
                        .or_insert((mon.series.count, mon.series.latest.clone()));
                }
            }
        }
        m
    };
    let (a, b) = (counts(before), counts(after));
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let before = a.get(k).map_or(0, |x| x.0);
            let (after, latest) = b.get(k).map_or((0, None), |x| (x.0, x.1.as_ref()));
            (before != after).then(|| ReadingsChange {
                monitor: k.clone(),
                before,
                after,
                latest: latest
                    .map(|p| format!("{} {}", p.at, crate::model::monitoring::number(p.value))),
            })
        })
        .collect()
}
