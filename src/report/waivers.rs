//! The waivers of `waivers.yaml` as a table: for the governance report (every waiver, with
//! its state: active, expiring within `[review] due_soon`, expired) and for `show ID` (the
//! waivers whose target is that entity or its file). `due` lists their expiries itself.

use super::{Cell, Column, Section, Table};
use crate::model::{Date, Register, Waiver};

/// A waiver's state on `as_of`: `expired`, `expires within 30 days`, `active` (or invalid,
/// when its rule is no code a waiver may name).
pub fn state(reg: &Register, as_of: Date, w: &Waiver) -> String {
    let waivable = w.rule.as_ref().is_some_and(|r| {
        crate::diag::Code::from_name(&r.value).is_some_and(crate::diag::Code::waivable)
    });
    if !waivable {
        return "invalid: not a rule that can be waived".into();
    }
    let soon = reg.config.review.due_soon.after(as_of).unwrap_or(as_of);
    match w.expires.as_ref().map(|e| e.value) {
        Some(e) if e < as_of => "expired".into(),
        Some(e) if e <= soon => format!("expires within {}", reg.config.review.due_soon),
        _ => "active".into(),
    }
}

/// The waivers `pick` keeps, in the file's order; `None` without a waivers file or when
/// `pick` keeps none.
pub fn table(reg: &Register, as_of: Date, pick: impl Fn(&Waiver) -> bool) -> Option<Table> {
    let text =
        |v: &Option<crate::model::Sp<String>>| Cell::opt(v.as_ref().map(|s| s.value.clone()));
    let rows: Vec<Vec<Cell>> = reg
        .waivers
        .as_ref()?
        .waivers
        .iter()
        .filter(|w| pick(w))
        .map(|w| {
            vec![
                text(&w.rule),
                text(&w.target),
                text(&w.reason),
                text(&w.approved_by),
                Cell::date(w.date.as_ref().map(|d| d.value)),
                Cell::date(w.expires.as_ref().map(|d| d.value)),
                Cell::text(state(reg, as_of, w)),
            ]
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    Some(Table::new(
        vec![
            Column::new("rule", "Rule"),
            Column::new("target", "Target"),
            Column::wide("reason", "Reason"),
            Column::new("approved_by", "Approved by").drop(3),
            Column::new("date", "Date").drop(4),
            Column::new("expires", "Expires").drop(1),
            Column::new("state", "State").drop(2),
        ],
        rows,
    ))
}

/// The section of `show` for an entity `id` defined in `file`: the waivers targeting either.
pub fn for_subject(reg: &Register, as_of: Date, id: &str, file: Option<&str>) -> Option<Section> {
    let table = table(reg, as_of, |w| {
        w.target
            .as_ref()
            .is_some_and(|t| t.value == id || Some(t.value.as_str()) == file)
    })?;
    Some(Section {
        id: "waivers".into(),
        title: "Waivers".into(),
        note: Some("Accepted exceptions to rules for this entity (waivers.yaml): the findings they waive are not counted.".into()),
        table,
    })
}
