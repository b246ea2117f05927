//! The semantic difference between two checked registers: entities added, removed and changed
//! field by field (matched by kind and id, so a renamed file is not a new entity), how each
//! risk's score and level moved, SoA decisions, and the findings one side has and the other
//! has not (matched by code, file and message, not by line, which shifts with any edit).

use super::{FieldChange, Move, Standing, field_changes, parse};
use crate::diag::Diagnostic;
use crate::load::Loaded;
use crate::load::yaml::{Node, Value};
use crate::text::natural_cmp;
use serde::Serialize;
use std::collections::BTreeMap;

/// What an entity is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Risk,
    System,
    Assessment,
    Incident,
    /// An SoA decision, by control id.
    Decision,
    /// The SoA's own fields (`reviewed`, `approved_by`).
    Soa,
    Person,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Risk => "risk",
            Kind::System => "system",
            Kind::Assessment => "assessment",
            Kind::Incident => "incident",
            Kind::Decision => "SoA decision",
            Kind::Soa => "SoA",
            Kind::Person => "person",
        }
    }
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
    /// `airisk.toml` differs (criteria, policy or rule levels may have changed).
    pub config_changed: bool,
    pub findings_introduced: Vec<Finding>,
    pub findings_fixed: Vec<Finding>,
}

/// One side: a register as read and its findings.
pub struct Side<'a> {
    pub loaded: &'a Loaded,
    pub diagnostics: &'a [Diagnostic],
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
}

impl Yaml<'_> {
    fn node(&self) -> Option<Node> {
        match self {
            Yaml::File(text) => parse(text),
            Yaml::Part(node) => node.clone(),
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
        field_changes(self.node().as_ref(), new.node().as_ref())
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
                    fields: field_changes(None, new.node.node().as_ref()),
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
                    fields: field_changes(old.node.node().as_ref(), None),
                    risk: None,
                });
            }
        }
        out.sort_by(|x, y| x.kind.cmp(&y.kind).then_with(|| natural_cmp(&x.id, &y.id)));
        let (introduced, fixed) = findings(before, after);
        RegisterDiff {
            entities: out,
            config_changed: config_text(before.loaded) != config_text(after.loaded),
            findings_introduced: introduced,
            findings_fixed: fixed,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
            && !self.config_changed
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
