//! `airisk obligations`: the EU AI Act view of the inventory (SPEC §10). Per system its
//! classification and route, and each obligation the pack assigns to its roles and tier (and
//! each Art. 50 duty it lists) with the article, the day it applies from (and that date's
//! status when it is not confirmed, or that airisk.toml set it), the recorded status, due
//! date, owner and evidence. The pack's `verified_on` date is in the notes of every document
//! that uses it.
//!
//! Which obligations apply and from when is `model::eu_ai_act::Profile`'s decision; this
//! file only lays it out. The row builders (`route`, `rows`, `status_counts`) are shared
//! with `show` and the governance report.

use super::{Cell, Column, Detail, DocControl, Document, Figure, Section, Table};
use crate::load::taxonomy::Taxonomy;
use crate::model::eu_ai_act::{ART27, Applicable, Pack, Profile};
use crate::model::{Date, EuAiAct, EuClass, ObligationStatus, Register, System};
use crate::text::natural_cmp;
use anyhow::{Result, bail};

/// The classification table's columns.
pub const CLASSIFICATION: &[Column] = &[
    Column::new("system", "System"),
    Column::new("classification", "Classification"),
    Column::wide("route", "Route"),
    Column::new("roles", "Roles").drop(2),
    Column::new("assessed", "Assessed").drop(3),
    Column::new("assessed_by", "Assessed by").drop(4),
    Column::wide("rationale", "Rationale").drop(1),
];

/// The obligations table's columns.
pub const OBLIGATIONS: &[Column] = &[
    Column::new("system", "System"),
    Column::new("obligation", "Obligation"),
    Column::new("article", "Article"),
    Column::new("applies_from", "Applies from"),
    Column::wide("date_status", "Date status").drop(3),
    Column::new("status", "Status"),
    Column::new("due", "Due").drop(4),
    Column::new("owner", "Owner").drop(5),
    Column::new("evidence", "Evidence").drop(2),
    Column::wide("summary", "What").drop(1),
];

/// The profile of a register: the pack and its `[eu_ai_act]` settings.
pub fn profile(reg: &Register) -> Profile<'_> {
    Profile {
        pack: &Taxonomy::get().eu_ai_act,
        config: &reg.config.eu_ai_act,
    }
}

/// The day the pack was verified.
pub fn verified_on() -> Date {
    Taxonomy::get().eu_ai_act.verified_on
}

/// The line every document that uses the pack carries.
pub fn pack_note(reg: &Register) -> String {
    let pack: &Pack = &Taxonomy::get().eu_ai_act;
    let mut note = format!(
        "EU AI Act pack verified on {} ({}).",
        pack.verified_on, pack.regulation
    );
    let dates = &reg.config.eu_ai_act.dates;
    if !dates.is_empty() {
        let set: Vec<String> = dates.iter().map(|(k, d)| format!("{k} = {d}")).collect();
        note.push_str(&format!(
            " Dates set in airisk.toml [eu_ai_act.dates]: {}.",
            set.join(", ")
        ));
    }
    note
}

/// The route of a classification, in words: `Annex III annex-iii-5-b (Access to ...)`,
/// `Art. 6(3) art6-3-d from annex-iii-4-a`, `Annex I annex-i-a-11 (Medical devices (MDR))`.
pub fn route(b: &EuAiAct) -> String {
    let pack = &Taxonomy::get().eu_ai_act;
    let mut parts = Vec::new();
    if let Some(d) = &b.derogation {
        let cond = d
            .condition
            .as_ref()
            .map_or("?".to_string(), |c| c.value.to_string());
        let from = b.annex_iii.as_ref().map_or("?", |p| p.value.as_str());
        parts.push(format!("Art. 6(3) derogation {cond} from {from}"));
    } else if let Some(p) = &b.annex_iii {
        let area = pack
            .point(&p.value)
            .map(|x| format!(" ({})", x.area))
            .unwrap_or_default();
        parts.push(format!("Annex III {}{area}", p.value));
    }
    if let Some(a) = &b.annex_i {
        let name = pack
            .act(&a.value)
            .map(|x| format!(" ({}, {})", x.name, x.act))
            .unwrap_or_default();
        parts.push(format!("Annex I {}{name}", a.value));
    }
    if b.class() == Some(EuClass::Prohibited) {
        parts.push("Art. 5".into());
    }
    if !b.transparency.is_empty() {
        let ids: Vec<&str> = b.transparency.iter().map(|t| t.value.as_str()).collect();
        parts.push(format!("Art. 50: {}", ids.join(", ")));
    }
    if b.is_gpai() {
        parts.push("GPAI model provider".into());
    }
    if b.profiles() {
        parts.push("profiling".into());
    }
    parts.join("; ")
}

/// The status of an applicable obligation as shown: the recorded one, or `absent`. Art. 27
/// is `done` when an impact assessment of the system says `fria: true` (its evidence is that
/// assessment).
pub fn status_of(reg: &Register, s: &System, b: &EuAiAct, o: &Applicable) -> String {
    if o.id == ART27 && has_fria(reg, &s.id.value) {
        return "done".into();
    }
    match b.record(o.id).and_then(|r| r.status.as_ref()) {
        Some(st) => st.value.to_string(),
        None => "absent".into(),
    }
}

/// Whether an impact assessment of system `id` says `fria: true`.
pub fn has_fria(reg: &Register, id: &str) -> bool {
    !frias(reg, id).is_empty()
}

/// The ids of the impact assessments of system `id` that say `fria: true`.
pub fn frias(reg: &Register, id: &str) -> Vec<String> {
    reg.assessments
        .iter()
        .filter(|a| {
            a.system.as_ref().is_some_and(|x| x.value == id)
                && a.fria.as_ref().is_some_and(|f| f.value)
        })
        .map(|a| a.id.value.clone())
        .collect()
}

/// The state of an obligation's date on `today`: in application, or from when.
fn applies_from(o: &Applicable) -> String {
    match o.applies.date {
        Some(d) => d.to_string(),
        None => "unknown".into(),
    }
}

/// What is uncertain about the date and the obligation, for the date-status column.
fn date_status(o: &Applicable) -> String {
    let mut parts = Vec::new();
    if let Some(c) = &o.applies.caveat {
        parts.push(format!("date {c}"));
    }
    if o.status != "confirmed" {
        parts.push(format!("obligation {}", o.status));
    }
    parts.join("; ")
}

/// The rows of one system's obligations.
pub fn rows(reg: &Register, s: &System, b: &EuAiAct) -> Vec<Vec<Cell>> {
    let profile = profile(reg);
    profile
        .obligations(b)
        .iter()
        .map(|o| {
            let record = b.record(o.id);
            let mut evidence: Vec<String> = record
                .map(|r| r.evidence.iter().map(|e| e.value.clone()).collect())
                .unwrap_or_default();
            if o.id == ART27 {
                evidence.extend(frias(reg, &s.id.value));
            }
            vec![
                Cell::text(&s.id.value),
                Cell::text(o.id),
                Cell::text(&o.article),
                Cell::text(applies_from(o)),
                Cell::text(date_status(o)),
                Cell::text(status_of(reg, s, b, o)),
                Cell::date(record.and_then(|r| r.due.as_ref()).map(|d| d.value)),
                Cell::opt(
                    record
                        .and_then(|r| r.owner.as_ref())
                        .map(|o| o.value.clone()),
                ),
                Cell::list(evidence),
                Cell::text(o.summary),
            ]
        })
        .collect()
}

/// The classification row of a system.
pub fn classification_row(s: &System) -> Vec<Cell> {
    let Some(b) = &s.eu_ai_act else {
        return vec![
            Cell::text(&s.id.value),
            Cell::text("unclassified"),
            Cell::null(),
            Cell::null(),
            Cell::null(),
            Cell::null(),
            Cell::null(),
        ];
    };
    vec![
        Cell::text(&s.id.value),
        Cell::opt(b.class().map(|c| c.to_string())),
        Cell::text(route(b)),
        Cell::list(b.roles.iter().map(|r| r.value.to_string())),
        Cell::date(b.assessed.as_ref().map(|d| d.value)),
        Cell::opt(b.assessed_by.as_ref().map(|p| p.value.clone())),
        Cell::opt(b.rationale.as_ref().map(|r| r.value.clone())),
    ]
}

/// Whether a recorded status counts as met on the obligation (for counts).
fn met(reg: &Register, s: &System, b: &EuAiAct, o: &Applicable) -> bool {
    if o.id == ART27 {
        return has_fria(reg, &s.id.value);
    }
    b.record(o.id).is_some_and(|r| r.is_met())
}

/// Counts of applicable obligations by status, over the live systems with a block:
/// (label, count) in a fixed order. `done` counts `not-applicable` with a rationale and an
/// Art. 27 met by a FRIA; `not-applicable` is the rest of them, without the rationale that
/// would make them met; `absent`: no entry in `obligations`.
pub fn status_counts(reg: &Register) -> Vec<(&'static str, usize)> {
    let profile = profile(reg);
    let mut counts = [0usize; 5];
    for s in reg.systems.iter().filter(|s| s.is_live()) {
        let Some(b) = &s.eu_ai_act else { continue };
        for o in profile.obligations(b) {
            let i = if met(reg, s, b, &o) {
                0
            } else {
                match b
                    .record(o.id)
                    .and_then(|r| r.status.as_ref())
                    .map(|x| x.value)
                {
                    Some(ObligationStatus::InProgress) => 1,
                    Some(ObligationStatus::Planned) => 2,
                    Some(ObligationStatus::NotApplicable) => 3,
                    _ => 4,
                }
            };
            counts[i] += 1;
        }
    }
    vec![
        ("done", counts[0]),
        ("in-progress", counts[1]),
        ("planned", counts[2]),
        ("not-applicable", counts[3]),
        ("absent", counts[4]),
    ]
}

/// The obligations not met whose application date is after `today`, soonest first:
/// (date, system, obligation id, article).
pub fn next(reg: &Register, today: Date) -> Vec<(Date, String, String, String)> {
    let profile = profile(reg);
    let mut out = Vec::new();
    for s in reg.systems.iter().filter(|s| s.is_live()) {
        let Some(b) = &s.eu_ai_act else { continue };
        for o in profile.obligations(b) {
            if let Some(d) = o.applies.date
                && d > today
                && !met(reg, s, b, &o)
            {
                out.push((d, s.id.value.clone(), o.id.to_string(), o.article.clone()));
            }
        }
    }
    out.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| natural_cmp(&a.1, &b.1))
            .then_with(|| natural_cmp(&a.2, &b.2))
    });
    out
}

/// The columns of the one table of the flat form (CSV): a system's classification and route
/// beside each of its obligations.
pub fn flat_columns() -> Vec<Column> {
    let mut cols = vec![
        Column::new("system", "System"),
        Column::new("classification", "Classification"),
        Column::wide("route", "Route"),
    ];
    cols.extend(OBLIGATIONS.iter().skip(1).cloned());
    cols
}

/// The document. `flat`: one table, a row per obligation with its system's classification
/// and route (and a row for a system that has none), for CSV, which holds one table.
pub fn build(reg: &Register, today: Date, system: Option<&str>, flat: bool) -> Result<Document> {
    let systems: Vec<&System> = match system {
        Some(id) => match reg.system(id) {
            Some(s) => vec![s],
            None => {
                let hint =
                    crate::diag::did_you_mean(id, reg.systems.iter().map(|s| s.id.value.as_str()))
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                bail!("no system has the id `{id}`{hint}")
            }
        },
        None => reg.systems.iter().filter(|s| s.is_live()).collect(),
    };
    let classification: Vec<Vec<Cell>> = systems.iter().map(|s| classification_row(s)).collect();
    let mut rows = Vec::new();
    let mut flat_rows = Vec::new();
    let (mut in_force, mut done) = (0, 0);
    let profile = profile(reg);
    for s in &systems {
        let class = classification_row(s);
        let Some(b) = &s.eu_ai_act else {
            let mut row = class[..3].to_vec();
            row.extend((1..OBLIGATIONS.len()).map(|_| Cell::null()));
            flat_rows.push(row);
            continue;
        };
        let of = self::rows(reg, s, b);
        if of.is_empty() {
            let mut row = class[..3].to_vec();
            row.extend((1..OBLIGATIONS.len()).map(|_| Cell::null()));
            flat_rows.push(row);
        }
        for r in &of {
            let mut row = class[..3].to_vec();
            row.extend(r[1..].iter().cloned());
            flat_rows.push(row);
        }
        rows.extend(of);
        for o in profile.obligations(b) {
            in_force += usize::from(o.applies.date.is_some_and(|d| d <= today));
            done += usize::from(met(reg, s, b, &o));
        }
    }
    let classified = systems.iter().filter(|s| s.eu_ai_act.is_some()).count();
    let high = systems
        .iter()
        .filter(|s| {
            s.eu_ai_act
                .as_ref()
                .is_some_and(|b| b.class() == Some(EuClass::HighRisk))
        })
        .count();
    let mut notes = vec![pack_note(reg)];
    if !reg.config.eu_ai_act.applies {
        notes.push(
            "The EU AI Act profile is off (`[eu_ai_act] applies = true` in airisk.toml turns it on): check does not report obligations.".into(),
        );
    }
    notes.push("Classification is the organisation's judgement, recorded with its rationale and who made it; airisk checks that it is consistent and derives the obligations and their dates from it.".into());
    notes.push(format!(
        "Applies from: the day the obligation applies to the system, by its route (the pack's date, or airisk.toml's); on {today}, {in_force} of {} apply.",
        rows.len()
    ));
    Ok(Document {
        kind: "obligations",
        title: match system {
            Some(id) => format!("EU AI Act obligations of {id}"),
            None => "EU AI Act obligations".into(),
        },
        control: DocControl::new(reg, today),
        summary: vec![
            Figure::part("Systems classified", classified, systems.len()),
            Figure::count("High-risk", high),
            Figure::count("Obligations in application", in_force),
            Figure::part("Done", done, rows.len()),
        ],
        notes,
        sections: if flat {
            vec![Section {
                id: "obligations".into(),
                title: "Obligations".into(),
                note: None,
                table: Table::new(flat_columns(), flat_rows),
            }]
        } else {
            vec![
                Section {
                    id: "classification".into(),
                    title: "Classification".into(),
                    note: None,
                    table: Table::new(CLASSIFICATION.to_vec(), classification),
                },
                Section {
                    id: "obligations".into(),
                    title: "Obligations".into(),
                    note: None,
                    table: Table::new(OBLIGATIONS.to_vec(), rows),
                },
            ]
        },
        detail: Detail::None,
    })
}
