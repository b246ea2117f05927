//! `airisk soa`: the Statement of Applicability — all 38 Annex A controls grouped by
//! objective, each with its decision, justification, status, owner and evidence, and (derived
//! both ways) the risks and impact assessments that use it. Optionally the NIST AI RMF
//! crosswalk.

use super::{Cell, Column, Detail, DocControl, Document, Figure, Section, Table};
use crate::load::taxonomy::Taxonomy;
use crate::model::{Date, Register, SoaStatus};
use crate::text::natural_cmp;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Add the NIST AI RMF subcategories mapped to each control.
    pub nist: bool,
}

/// The columns, in order. In a terminal too narrow for all of them, the links go first,
/// then the owner and the control's title (Annex A's, not the register's); the control, the
/// decision and its justification stay (docs/rendering.md).
pub const COLUMNS: &[Column] = &[
    Column::new("control", "Control"),
    Column::wide("title", "Title").drop(3),
    Column::new("applicable", "Applicable"),
    Column::new("status", "Status"),
    Column::wide("justification", "Justification"),
    Column::new("owner", "Owner").drop(4),
    Column::new("evidence", "Evidence").drop(6),
    Column::new("risks", "Risks").drop(5),
    Column::new("assessments", "Impact assessments").drop(7),
];
pub static NIST: Column = Column::new("nist", "NIST AI RMF").drop(2);

/// Every key `--columns` accepts (`nist` only with `--crosswalk nist`).
pub fn column_keys() -> Vec<&'static str> {
    let mut keys = super::column_keys(COLUMNS);
    keys.push(NIST.static_key());
    keys
}

pub fn build(reg: &Register, as_of: Date, opts: &Options) -> Document {
    let tax = Taxonomy::get();
    let (risks, assessments) = users(reg);
    let decisions: BTreeMap<&str, _> = reg
        .soa
        .iter()
        .flat_map(|s| s.decisions.iter())
        .map(|d| (d.control.value.as_str(), d))
        .rev() // the first decision of a control wins, as in `check`
        .collect();

    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut sections = Vec::new();
    for group in &tax.groups {
        let mut rows = Vec::new();
        for c in &group.controls {
            let d = decisions.get(c.id.as_str());
            let applicable = d.and_then(|d| d.applicable.as_ref()).map(|a| a.value);
            let status = d.and_then(|d| d.status.as_ref()).map(|s| s.value);
            *counts
                .entry(match (applicable, status) {
                    (None, _) => "undecided",
                    (Some(false), _) => "excluded",
                    (Some(true), Some(SoaStatus::Implemented)) => "implemented",
                    (Some(true), Some(SoaStatus::Partial)) => "partial",
                    (Some(true), Some(SoaStatus::Planned)) => "planned",
                    (Some(true), Some(SoaStatus::NotImplemented)) => "not-implemented",
                    (Some(true), None) => "no status",
                })
                .or_default() += 1;
            let mut row = vec![
                Cell::text(&c.id),
                Cell::text(&c.title),
                applicable.map_or(Cell::null(), Cell::bool),
                Cell::opt(match (applicable, status) {
                    (None, _) => Some("undecided".to_string()),
                    (Some(false), _) => Some("excluded".to_string()),
                    (_, s) => s.map(|s| s.to_string()),
                }),
                Cell::opt(
                    d.and_then(|d| d.justification.get())
                        .map(|j| j.value.clone()),
                ),
                Cell::opt(d.and_then(|d| d.owner.as_ref()).map(|o| o.value.clone())),
                Cell::list(
                    d.and_then(|d| d.evidence.get())
                        .map(|e| e.iter().map(|x| x.value.clone()).collect::<Vec<_>>())
                        .unwrap_or_default(),
                ),
                Cell::list(risks.get(c.id.as_str()).cloned().unwrap_or_default()),
                Cell::list(assessments.get(c.id.as_str()).cloned().unwrap_or_default()),
            ];
            if opts.nist {
                row.push(Cell::list(c.nist.clone()));
            }
            rows.push(row);
        }
        let mut columns = COLUMNS.to_vec();
        if opts.nist {
            columns.push(NIST.clone());
        }
        sections.push(Section {
            id: group.id.clone(),
            title: format!("{} {}", group.id, group.title),
            note: None,
            table: Table::new(columns, rows),
        });
    }

    let n = |k: &str| counts.get(k).copied().unwrap_or(0);
    let applicable =
        n("implemented") + n("partial") + n("planned") + n("not-implemented") + n("no status");
    let mut summary = vec![
        fig("Controls", tax.controls().count()),
        fig("Applicable", applicable),
        fig("Excluded", n("excluded")),
        fig("Implemented", n("implemented")),
        fig("Partially implemented", n("partial")),
        fig("Planned", n("planned")),
        fig("Not implemented", n("not-implemented")),
    ];
    if n("undecided") > 0 {
        summary.push(fig("Undecided", n("undecided")));
    }
    let soa = reg.soa.as_ref();
    let mut notes = Vec::new();
    match soa.and_then(|s| s.reviewed.as_ref()) {
        Some(r) => notes.push(format!("SoA last reviewed {}.", r.value)),
        None => notes.push("The SoA records no review date.".into()),
    }
    if let Some(a) = soa.and_then(|s| s.approved_by.as_ref()) {
        let name = reg
            .people
            .as_ref()
            .and_then(|p| p.people.iter().find(|p| p.key.value == a.value))
            .and_then(|p| p.name.as_ref())
            .map(|n| format!("{} ({})", n.value, a.value))
            .unwrap_or_else(|| a.value.clone());
        notes.push(format!("Approved by {name}."));
    }
    notes.push(
        "Risks and impact assessments are derived from the register: the open risks whose treatment names the control, and the impact assessments whose impacts do."
            .into(),
    );
    Document {
        kind: "soa",
        title: "Statement of Applicability".into(),
        control: DocControl::new(reg, as_of),
        summary,
        notes,
        sections,
        detail: Detail::None,
    }
}

fn fig(label: &str, n: usize) -> Figure {
    Figure::count(label, n)
}

type Users = BTreeMap<String, Vec<String>>;

/// Control id → the open risks and the assessments that use it, each in natural order.
pub fn users(reg: &Register) -> (Users, Users) {
    let mut risks: Users = BTreeMap::new();
    for r in reg.risks.iter().filter(|r| r.is_open()) {
        for c in r.treatment.iter().flat_map(|t| t.controls.iter()) {
            risks
                .entry(c.value.clone())
                .or_default()
                .push(r.id.value.clone());
        }
    }
    let mut assessments: Users = BTreeMap::new();
    for a in &reg.assessments {
        for c in a.impacts.iter().flat_map(|i| i.controls.iter()) {
            assessments
                .entry(c.value.clone())
                .or_default()
                .push(a.id.value.clone());
        }
    }
    for list in risks.values_mut().chain(assessments.values_mut()) {
        list.sort_by(|a, b| natural_cmp(a, b));
        list.dedup();
    }
    (risks, assessments)
}
