//! What changed between two versions of an entity, and between two registers: field by
//! field, score and level moves, threshold crossings, SoA decisions, findings introduced and
//! fixed. Data only, computed from files read through the loader; `airisk history` and
//! `airisk diff` render it.
//!
//! Field changes compare parsed YAML, so layout, comments, quoting and key order are not
//! changes. A value is compared as written ([`parse`]): a string is its text whatever its
//! quoting (`"x"`, `'x'` and `x` are the same), and a plain scalar that YAML types as a
//! boolean or a number keeps its spelling (`4.2` → `4.20`, `true` → `True`, `on` → `yes`
//! are changes). A field's name is its path in the file (`assessment.likelihood`,
//! `impacts[0].severity`); a list of plain values is one field (`controls`).

pub mod register;
pub mod text;

pub use register::{EntityDelta, Finding, Kind, RegisterDiff, Status};

use crate::load::entities;
use crate::load::fields::Cx;
use crate::load::yaml::{self, Node, Value};
use crate::model::{Criteria, Risk};
use crate::source::Sources;
use serde::Serialize;
use std::cmp::Ordering;

/// One field that differs; `None` is absent on that side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A risk's score, level and standing against the acceptance threshold, on one side.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Standing {
    pub likelihood: Option<i64>,
    pub consequence: Option<i64>,
    pub score: Option<u32>,
    pub level: Option<String>,
    /// The level's position in the criteria (higher is worse), for ↑ and ↓.
    #[serde(skip)]
    pub rank: Option<usize>,
    /// Above the acceptance threshold.
    pub above_threshold: Option<bool>,
}

impl Standing {
    /// A risk's standing under `criteria` (`None` fields when it has no valid assessment).
    pub fn of(risk: &Risk, criteria: &Criteria) -> Standing {
        let pair = risk
            .current()
            .filter(|(l, c)| criteria.in_range(*l, *c))
            .and_then(|(l, c)| Some((u32::try_from(l).ok()?, u32::try_from(c).ok()?)));
        let Some((l, c)) = pair else {
            return Standing {
                likelihood: risk
                    .assessment
                    .as_ref()
                    .and_then(|a| a.likelihood.as_ref())
                    .map(|v| v.value),
                consequence: risk
                    .assessment
                    .as_ref()
                    .and_then(|a| a.consequence.as_ref())
                    .map(|v| v.value),
                ..Standing::default()
            };
        };
        let score = Criteria::score(l, c);
        let level = criteria.level(l, c);
        Standing {
            likelihood: Some(l.into()),
            consequence: Some(c.into()),
            score: Some(score),
            level: level.map(|lv| lv.name.clone()),
            rank: level.and_then(|lv| criteria.levels.iter().position(|x| x.name == lv.name)),
            above_threshold: Some(score > criteria.acceptance_threshold),
        }
    }
}

/// How a risk's standing moved between two versions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Move {
    pub before: Standing,
    pub after: Standing,
}

impl Move {
    /// `↑` when the score rose, `↓` when it fell, empty otherwise.
    pub fn score_arrow(&self) -> &'static str {
        arrow(
            self.before.score.cmp(&self.after.score),
            self.before.score,
            self.after.score,
        )
    }

    /// `↑` when the level rose, `↓` when it fell, empty otherwise.
    pub fn level_arrow(&self) -> &'static str {
        arrow(
            self.before.rank.cmp(&self.after.rank),
            self.before.rank,
            self.after.rank,
        )
    }

    pub fn score_changed(&self) -> bool {
        self.before.score != self.after.score
    }

    pub fn level_changed(&self) -> bool {
        self.before.level != self.after.level
    }

    /// `Some(true)`: now above the threshold; `Some(false)`: now within it.
    pub fn threshold_crossed(&self) -> Option<bool> {
        match (self.before.above_threshold, self.after.above_threshold) {
            (Some(a), Some(b)) if a != b => Some(b),
            (None, Some(true)) => Some(true),
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        !self.score_changed() && !self.level_changed() && self.threshold_crossed().is_none()
    }
}

fn arrow<T>(ord: Ordering, a: Option<T>, b: Option<T>) -> &'static str {
    if a.is_none() || b.is_none() {
        return "";
    }
    match ord {
        Ordering::Less => "↑",
        Ordering::Greater => "↓",
        Ordering::Equal => "",
    }
}

/// Parses YAML text for comparing its fields: booleans and numbers as written
/// (`yaml::parse_as_written`); `None` when it does not parse.
pub fn parse(text: &str) -> Option<Node> {
    yaml::parse_as_written(text).ok()
}

/// The fields of a YAML value, flattened to (path, value as text), in file order. Nulls and
/// empty mappings are absent.
pub fn flatten(node: &Node) -> Vec<(String, String)> {
    let mut out = Vec::new();
    flatten_into(node, String::new(), &mut out);
    out
}

fn flatten_into(node: &Node, path: String, out: &mut Vec<(String, String)>) {
    match &node.value {
        Value::Null => {}
        Value::Map(entries) => {
            for (k, v) in entries {
                let p = if path.is_empty() {
                    k.text.clone()
                } else {
                    format!("{path}.{}", k.text)
                };
                flatten_into(v, p, out);
            }
        }
        Value::Seq(items) if items.iter().all(|i| scalar(i).is_some()) => {
            let parts: Vec<String> = items.iter().filter_map(scalar).collect();
            out.push((path, format!("[{}]", parts.join(", "))));
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten_into(item, format!("{path}[{i}]"), out);
            }
        }
        _ => {
            if let Some(s) = scalar(node) {
                out.push((path, s));
            }
        }
    }
}

fn scalar(n: &Node) -> Option<String> {
    Some(match &n.value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Str(s) => s.clone(),
        Value::Seq(_) | Value::Map(_) => return None,
    })
}

/// The fields that differ between two versions (either may be absent), in the order of the
/// newer version, then fields only the older one has.
pub fn field_changes(before: Option<&Node>, after: Option<&Node>) -> Vec<FieldChange> {
    let a = before.map(flatten).unwrap_or_default();
    let b = after.map(flatten).unwrap_or_default();
    flat_changes(&a, &b)
}

/// The fields that differ between two flattened versions, in the order of the newer, then
/// the fields only the older has.
pub fn flat_changes(a: &[(String, String)], b: &[(String, String)]) -> Vec<FieldChange> {
    let old: std::collections::HashMap<&str, &str> =
        a.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let new: std::collections::HashSet<&str> = b.iter().map(|(k, _)| k.as_str()).collect();
    let mut out = Vec::new();
    for (field, value) in b {
        let old = old.get(field.as_str()).map(|x| x.to_string());
        if old.as_deref() != Some(value.as_str()) {
            out.push(FieldChange {
                field: field.clone(),
                before: old,
                after: Some(value.clone()),
            });
        }
    }
    for (field, value) in a {
        if !new.contains(field.as_str()) {
            out.push(FieldChange {
                field: field.clone(),
                before: Some(value.clone()),
                after: None,
            });
        }
    }
    out
}

/// Lowers a risk file's text through the loader (its findings are dropped: `check` reports
/// them); `None` when the text is not a readable risk.
pub fn lower_risk(text: &str) -> Option<Risk> {
    let node = yaml::parse(text).ok()?;
    let mut sources = Sources::default();
    let file = sources.add(String::new(), text.to_string());
    let mut diags = Vec::new();
    let mut recorded = Default::default();
    let mut cx = Cx {
        file,
        text,
        diags: &mut diags,
        recorded: &mut recorded,
    };
    entities::risk(&mut cx, &node)
}

/// The change of one file between two versions of its text: its fields and, for a risk, how
/// its standing moved under `criteria`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FileChange {
    pub fields: Vec<FieldChange>,
    /// For a risk whose score, level or threshold standing moved.
    pub risk: Option<Move>,
    /// A side that is not readable YAML (its fields cannot be compared).
    pub unreadable: bool,
    /// For `soa.yaml`: the decisions that changed.
    pub decisions: Vec<DecisionChange>,
}

pub fn file_change(
    before: Option<&str>,
    after: Option<&str>,
    is_risk: bool,
    criteria: &Criteria,
) -> FileChange {
    let (a, b) = (before.map(parse), after.map(parse));
    let unreadable = matches!(a, Some(None)) || matches!(b, Some(None));
    let fields = field_changes(a.flatten().as_ref(), b.flatten().as_ref());
    let risk = if is_risk {
        let standing = |t: Option<&str>| {
            t.and_then(lower_risk)
                .map(|r| Standing::of(&r, criteria))
                .unwrap_or_default()
        };
        let m = Move {
            before: standing(before),
            after: standing(after),
        };
        (!m.is_empty()).then_some(m)
    } else {
        None
    };
    FileChange {
        fields,
        risk,
        unreadable,
        decisions: Vec::new(),
    }
}

/// [`file_change`] for `soa.yaml`: its fields and the decisions that changed.
pub fn soa_change(before: Option<&str>, after: Option<&str>, criteria: &Criteria) -> FileChange {
    let mut c = file_change(before, after, false, criteria);
    let (a, b) = (before.and_then(parse), after.and_then(parse));
    c.decisions = decisions(a.as_ref(), b.as_ref());
    c
}

/// A decision of the Statement of Applicability that a change of `soa.yaml` touched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DecisionChange {
    /// The control (`A.6.2.4`).
    pub control: String,
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
}

/// The decisions (entries of `controls:`) that differ between two versions of `soa.yaml`,
/// in the order of the newer version, then those only the older one has; compared as
/// parsed YAML, like [`field_changes`].
pub fn decisions(before: Option<&Node>, after: Option<&Node>) -> Vec<DecisionChange> {
    fn controls(n: Option<&Node>) -> Vec<(String, Vec<(String, String)>)> {
        match n.and_then(|n| n.get("controls")).map(|c| &c.value) {
            Some(Value::Map(entries)) => entries
                .iter()
                .map(|(k, v)| (k.text.clone(), flatten(v)))
                .collect(),
            _ => Vec::new(),
        }
    }
    let (a, b) = (controls(before), controls(after));
    let old: std::collections::HashMap<&str, &Vec<(String, String)>> =
        a.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let new: std::collections::HashSet<&str> = b.iter().map(|(k, _)| k.as_str()).collect();
    let mut out = Vec::new();
    for (control, fields) in &b {
        let change = match old.get(control.as_str()) {
            None => "added",
            Some(f) if *f != fields => "changed",
            Some(_) => continue,
        };
        out.push(DecisionChange {
            control: control.clone(),
            change,
        });
    }
    for (control, _) in &a {
        if !new.contains(control.as_str()) {
            out.push(DecisionChange {
                control: control.clone(),
                change: "removed",
            });
        }
    }
    out
}

/// The change of `airisk.toml` between two versions of its text, setting by setting (as
/// parsed TOML: comments and layout are not changes); `unreadable` when a side is not TOML.
pub fn config_change(before: Option<&str>, after: Option<&str>) -> FileChange {
    let (a, b) = (
        before.map(crate::load::config::flatten),
        after.map(crate::load::config::flatten),
    );
    let unreadable = matches!(a, Some(None)) || matches!(b, Some(None));
    FileChange {
        fields: flat_changes(
            &a.flatten().unwrap_or_default(),
            &b.flatten().unwrap_or_default(),
        ),
        risk: None,
        unreadable,
        decisions: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Duration, Level};

    fn criteria() -> Criteria {
        let level = |name: &str, max| Level {
            name: name.into(),
            max: Some(max),
            review_every: Duration::parse("3 months").unwrap(),
        };
        Criteria {
            likelihood: (1..=5).map(|i| i.to_string()).collect(),
            consequence: (1..=5).map(|i| i.to_string()).collect(),
            acceptance_threshold: 8,
            consequence_types: vec![],
            levels: vec![
                level("low", 4),
                level("medium", 9),
                level("high", 16),
                level("critical", 25),
            ],
            matrix: None,
        }
    }

    #[test]
    fn fields_flatten_to_paths() {
        let n = parse("id: R-1\nassessment: {likelihood: 3, consequence: 3}\ncontrols: [A.1, A.2]\nimpacts:\n  - severity: 4\nnote: null\n").unwrap();
        assert_eq!(
            flatten(&n),
            vec![
                ("id".into(), "R-1".into()),
                ("assessment.likelihood".into(), "3".into()),
                ("assessment.consequence".into(), "3".into()),
                ("controls".into(), "[A.1, A.2]".into()),
                ("impacts[0].severity".into(), "4".into()),
            ]
        );
    }

    #[test]
    fn field_changes_ignore_layout() {
        let a = parse("id: R-1\ntitle: A\nowner: x\n").unwrap();
        let b = parse("# comment\ntitle: 'A'\nid: R-1\nstatus: closed\n").unwrap();
        assert_eq!(
            field_changes(Some(&a), Some(&b)),
            vec![
                FieldChange {
                    field: "status".into(),
                    before: None,
                    after: Some("closed".into())
                },
                FieldChange {
                    field: "owner".into(),
                    before: Some("x".into()),
                    after: None
                },
            ]
        );
    }

    /// Values are compared as written: the spelling of a boolean or a number counts, the
    /// quoting of a string does not.
    #[test]
    fn field_changes_compare_values_as_written() {
        let a = parse("title: on\nv: 4.2\nf: true\nn: 0x10\nq: x\ns: \"it's\"\nk: ~\n").unwrap();
        let b =
            parse("title: yes\nv: 4.20\nf: True\nn: 16\nq: 'x'\ns: 'it''s'\nk: null\n").unwrap();
        let changed: Vec<(String, Option<String>, Option<String>)> =
            field_changes(Some(&a), Some(&b))
                .into_iter()
                .map(|c| (c.field, c.before, c.after))
                .collect();
        let c =
            |f: &str, x: &str, y: &str| (f.to_string(), Some(x.to_string()), Some(y.to_string()));
        assert_eq!(
            changed,
            [
                c("title", "on", "yes"),
                c("v", "4.2", "4.20"),
                c("f", "true", "True"),
                c("n", "0x10", "16"),
            ]
        );
        // Through an anchor, as written where the anchor is.
        let a = parse("a: &x 1.0\nb: *x\n").unwrap();
        let b = parse("a: &x 1.00\nb: *x\n").unwrap();
        let fields: Vec<_> = field_changes(Some(&a), Some(&b))
            .into_iter()
            .map(|c| c.field)
            .collect();
        assert_eq!(fields, ["a", "b"]);
    }

    #[test]
    fn risk_moves_are_scored_by_the_criteria() {
        let risk = |l: i64| {
            format!(
                "id: R-1\ntitle: t\nsystem: s\ncategory: c\nevent: e\ncause: c\nconsequence: c\nowner: o\nreviewed: 2026-01-01\nassessment: {{likelihood: {l}, consequence: 3, rationale: r}}\n"
            )
        };
        let c = file_change(Some(&risk(3)), Some(&risk(4)), true, &criteria());
        assert_eq!(c.fields[0].field, "assessment.likelihood");
        let m = c.risk.expect("a move");
        assert_eq!((m.before.score, m.after.score), (Some(9), Some(12)));
        assert_eq!(m.before.level.as_deref(), Some("medium"));
        assert_eq!(m.after.level.as_deref(), Some("high"));
        assert_eq!((m.score_arrow(), m.level_arrow()), ("↑", "↑"));
        assert_eq!(m.threshold_crossed(), None);
        let down = file_change(Some(&risk(3)), Some(&risk(2)), true, &criteria());
        let m = down.risk.unwrap();
        assert_eq!((m.score_arrow(), m.level_arrow()), ("↓", ""));
        assert_eq!(m.threshold_crossed(), Some(false));
        // A new file: no "before"; its fields all appear.
        let new = file_change(None, Some(&risk(1)), true, &criteria());
        assert!(new.fields.iter().all(|f| f.before.is_none()));
    }
}
