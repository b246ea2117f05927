//! `airisk due`: every date coming up or passed — risk reviews (with the incident trigger),
//! impact assessment reviews, the SoA review, treatment due dates, incident corrective
//! actions, acceptance expiries and waiver expiries, and with the EU AI Act profile on,
//! obligations not met and serious incidents' report deadlines — overdue first, then by date.

use super::{Cell, Column, Detail, DocControl, Document, Figure, Section, Table};
use crate::model::schedule;
use crate::model::{Date, Duration, FileId, Register, TreatmentOption, TreatmentStatus};
use crate::source::Sources;
use crate::text::natural_cmp;

/// One thing that falls due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub due: Date,
    pub kind: &'static str,
    pub id: String,
    pub what: String,
    pub owner: Option<String>,
    pub file: FileId,
}

impl Item {
    pub fn overdue(&self, today: Date) -> bool {
        self.due < today
    }
}

/// The columns, in order. In a terminal too narrow for all of them, the file goes first,
/// then the owner and the days (docs/rendering.md); a path is never split.
pub const COLUMNS: &[Column] = &[
    Column::new("due", "Due"),
    Column::new("state", "State"),
    Column::new("days", "Days").drop(2),
    Column::new("kind", "Kind"),
    Column::new("id", "ID"),
    Column::wide("what", "What"),
    Column::new("owner", "Owner").drop(3),
    Column::new("file", "File").drop(4),
];

/// Every key `--columns` accepts.
pub fn column_keys() -> Vec<&'static str> {
    super::column_keys(COLUMNS)
}

/// Every dated obligation of the register, unfiltered, in due order.
pub fn items(reg: &Register) -> Vec<Item> {
    let mut out = Vec::new();
    for r in reg.risks.iter().filter(|r| r.is_open()) {
        let title = r.title.as_ref().map(|t| t.value.as_str()).unwrap_or("");
        let owner = r.owner.as_ref().map(|o| o.value.clone());
        if let Some(d) = schedule::risk_review(reg, r) {
            out.push(Item {
                due: d.due,
                kind: "risk review",
                id: r.id.value.clone(),
                what: format!("{title} ({})", d.why),
                owner: owner.clone(),
                file: r.file,
            });
        }
        let Some(t) = &r.treatment else { continue };
        let accepted = t
            .option
            .as_ref()
            .is_some_and(|o| o.value == TreatmentOption::Accept);
        if let (Some(due), false, false) = (t.due.get(), t.is_done(), accepted) {
            out.push(Item {
                due: due.value,
                kind: "treatment",
                id: r.id.value.clone(),
                what: t
                    .plan
                    .get()
                    .map_or_else(|| title.to_string(), |p| p.value.clone()),
                owner: t.owner.get().map(|o| o.value.clone()).or(owner.clone()),
                file: r.file,
            });
        }
        if let (true, Some(exp)) = (
            accepted,
            r.acceptance.as_ref().and_then(|a| a.expires.as_ref()),
        ) {
            out.push(Item {
                due: exp.value,
                kind: "acceptance expiry",
                id: r.id.value.clone(),
                what: format!("acceptance of: {title}"),
                owner: r
                    .acceptance
                    .as_ref()
                    .and_then(|a| a.approved_by.get())
                    .map(|o| o.value.clone())
                    .or(owner),
                file: r.file,
            });
        }
    }
    for a in &reg.assessments {
        if let Some(d) = schedule::assessment_review(reg, a) {
            let system = a.system.as_ref().map(|s| s.value.as_str()).unwrap_or("");
            out.push(Item {
                due: d.due,
                kind: "assessment review",
                id: a.id.value.clone(),
                what: format!("impact assessment of {system} ({})", d.why),
                owner: a.assessor.as_ref().map(|o| o.value.clone()),
                file: a.file,
            });
        }
    }
    if let (Some(soa), Some(d)) = (&reg.soa, schedule::soa_review(reg)) {
        out.push(Item {
            due: d.due,
            kind: "SoA review",
            id: "SoA".into(),
            what: format!("Statement of Applicability ({})", d.why),
            owner: soa.approved_by.as_ref().map(|o| o.value.clone()),
            file: soa.file,
        });
    }
    for i in &reg.incidents {
        let Some(c) = &i.corrective_action else {
            continue;
        };
        let done = c
            .status
            .get()
            .is_some_and(|s| s.value == TreatmentStatus::Done);
        if let (Some(due), false) = (c.due.get(), done) {
            out.push(Item {
                due: due.value,
                kind: "corrective action",
                id: i.id.value.clone(),
                what: c.plan.get().map_or_else(String::new, |p| p.value.clone()),
                owner: c.owner.get().map(|o| o.value.clone()),
                file: i.file,
            });
        }
    }
    waiver_expiries(reg, &mut out);
    eu_ai_act(reg, &mut out);
    out.sort_by(|a, b| {
        a.due
            .cmp(&b.due)
            .then_with(|| natural_cmp(&a.id, &b.id))
            .then(a.kind.cmp(b.kind))
    });
    out
}

/// With the EU AI Act profile on: every obligation of a live system not met, at the day it
/// applies (SPEC §10: `due` lists those whose date falls within the window, and those already
/// in application), and every serious incident of a high-risk system the organisation
/// provides that is not reported, at its Art. 73 deadline — also before Art. 73 applies to
/// the system, when `check` does not report it yet.
fn eu_ai_act(reg: &Register, out: &mut Vec<Item>) {
    if !reg.config.eu_ai_act.applies {
        return;
    }
    let profile = super::obligations::profile(reg);
    for s in reg.systems.iter().filter(|s| s.is_live()) {
        let Some(b) = &s.eu_ai_act else { continue };
        for o in profile.obligations(b) {
            let Some(date) = o.applies.date else { continue };
            let record = b.record(o.id);
            let met = if o.id == crate::model::eu_ai_act::ART27 {
                super::obligations::has_fria(reg, &s.id.value)
            } else {
                record.is_some_and(|r| r.is_met())
            };
            if met {
                continue;
            }
            let status = super::obligations::status_of(reg, s, b, &o);
            let mut what = format!("{} {} ({status}", o.id, o.article);
            if let Some(d) = record.and_then(|r| r.due.as_ref()) {
                what.push_str(&format!(", planned by {}", d.value));
            }
            if let Some(c) = &o.applies.caveat {
                what.push_str(&format!("; date {c}"));
            }
            what.push(')');
            out.push(Item {
                due: date,
                kind: "EU AI Act obligation",
                id: s.id.value.clone(),
                what,
                owner: record
                    .and_then(|r| r.owner.as_ref())
                    .or(s.owner.as_ref())
                    .map(|o| o.value.clone()),
                file: s.file,
            });
        }
    }
    for i in reg
        .incidents
        .iter()
        .filter(|i| i.is_serious() && i.reported.is_none())
    {
        let Some(sys) = i.system.as_ref().and_then(|s| reg.system(&s.value)) else {
            continue;
        };
        let Some(b) = &sys.eu_ai_act else { continue };
        let provides = b.has_role(crate::model::EuRole::Provider)
            || (b.annex_i.is_some() && b.has_role(crate::model::EuRole::ProductManufacturer));
        if b.class() != Some(crate::model::EuClass::HighRisk) || !provides {
            continue;
        }
        let Some(aware) = i.aware.as_ref().or(i.date.as_ref()) else {
            continue;
        };
        let days = profile.report_days(i.harm.as_ref().map(|h| h.value));
        let Some(due) = aware.value.checked_add_days(chrono::Days::new(days.into())) else {
            continue;
        };
        let mut what = format!(
            "report the serious incident to the market surveillance authority (Art. 73: {days} days after awareness on {})",
            aware.value
        );
        if let Some(since) = profile.high_risk_date(b)
            && aware.value < since
        {
            what.push_str(&format!(
                "; Art. 73 applies to {} from {since}",
                sys.id.value
            ));
        }
        out.push(Item {
            due,
            kind: "incident report",
            id: i.id.value.clone(),
            what,
            owner: sys.owner.as_ref().map(|o| o.value.clone()),
            file: i.file,
        });
    }
}

/// The waivers of `waivers.yaml` that expire: each is due on its `expires` day (its id the
/// waiver's target, its owner the approver).
fn waiver_expiries(reg: &Register, out: &mut Vec<Item>) {
    let Some(file) = &reg.waivers else { return };
    for w in &file.waivers {
        let (Some(exp), Some(rule), Some(target)) = (&w.expires, &w.rule, &w.target) else {
            continue;
        };
        out.push(Item {
            due: exp.value,
            kind: "waiver expiry",
            id: target.value.clone(),
            what: format!(
                "waiver of {}: {}",
                rule.value,
                w.reason.as_ref().map(|r| r.value.as_str()).unwrap_or("")
            ),
            owner: w.approved_by.as_ref().map(|a| a.value.clone()),
            file: file.file,
        });
    }
}

/// The items overdue or due within `within` of `today`.
pub fn window(reg: &Register, today: Date, within: Duration) -> Vec<Item> {
    let horizon = within.after(today).unwrap_or(today);
    let mut out: Vec<Item> = items(reg)
        .into_iter()
        .filter(|i| i.due <= horizon)
        .collect();
    let before = out.len();
    monitor_items(reg, today, &mut out);
    if out.len() > before {
        out.retain(|i| i.due <= horizon);
        out.sort_by(|a, b| {
            a.due
                .cmp(&b.due)
                .then_with(|| natural_cmp(&a.id, &b.id))
                .then(a.kind.cmp(b.kind))
        });
    }
    out
}

pub fn build(reg: &Register, sources: &Sources, today: Date, within: Duration) -> Document {
    let items = window(reg, today, within);
    let overdue = items.iter().filter(|i| i.overdue(today)).count();
    let rows = items
        .iter()
        .map(|i| {
            let days = i.due.signed_duration_since(today).num_days();
            vec![
                Cell::text(i.due.to_string()),
                Cell::text(if i.overdue(today) { "overdue" } else { "due" }),
                Cell::int(days),
                Cell::text(i.kind),
                Cell::text(&i.id),
                Cell::text(&i.what),
                Cell::opt(i.owner.clone()),
                Cell::text(sources.path(i.file)),
            ]
        })
        .collect();
    Document {
        kind: "due",
        title: "Reviews and actions due".into(),
        control: DocControl::new(reg, today),
        summary: vec![
            Figure::count("Overdue", overdue),
            Figure::count(format!("Due within {within}"), items.len() - overdue),
        ],
        notes: vec![format!(
            "Everything overdue on {today}, and everything due by {}.",
            within.after(today).unwrap_or(today)
        )],
        sections: vec![Section {
            id: "due".into(),
            title: "Due".into(),
            note: None,
            table: Table::new(COLUMNS.to_vec(), rows),
        }],
        detail: Detail::None,
    }
}

/// The next reading of every monitor with `every` of a live system (SPEC §9): due `every`
/// after its latest reading; one without any reading is overdue at once (listed as due the
/// day before `today`), as `monitoring-stale` reports it.
fn monitor_items(reg: &Register, today: Date, out: &mut Vec<Item>) {
    for (s, m, next) in super::monitor::stale(reg) {
        let Some(id) = &m.id else { continue };
        let metric = m.metric.as_ref().map(|x| x.value.as_str()).unwrap_or("");
        let (due, what) = match (next, &m.series.latest) {
            (Some(d), Some(p)) => (d, format!("{metric} (latest reading {})", p.at.day)),
            _ => (
                today.pred_opt().unwrap_or(today),
                format!("{metric} (no reading yet)"),
            ),
        };
        out.push(Item {
            due,
            kind: "monitor reading",
            id: format!("{}/{}", s.id.value, id.value),
            what,
            owner: m.owner.as_ref().map(|o| o.value.clone()),
            file: s.file,
        });
    }
}
