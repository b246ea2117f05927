//! `airisk register`: a row per risk — the AI risk register of Clause 6.1.2 — with filters
//! and a sort order.

use super::{
    Cell, Column, Detail, DocControl, Document, Figure, ProvenanceMap, Section, Table, level_tag,
};
use crate::kinds::Kind;
use crate::model::schedule;
use crate::model::{Criteria, Date, Register, Risk, RiskStatus};
use crate::source::Sources;
use crate::text::natural_cmp;
use anyhow::{Result, bail};
use rayon::prelude::*;
use std::cmp::Ordering;

/// Which risks, in which order.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Each filter keeps the risks matching any of its values; none: no filter.
    pub system: Vec<String>,
    pub category: Vec<String>,
    pub level: Vec<String>,
    pub owner: Vec<String>,
    /// `None`: open risks only.
    pub status: Option<StatusFilter>,
    pub above_threshold: bool,
    pub sort: Option<String>,
    /// Add provenance columns (last commit, date, author, pull request, approvers).
    pub provenance: Option<ProvenanceMap>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusFilter {
    Open,
    Closed,
    All,
}

/// The columns, in order. In a terminal too narrow for all of them, they are left out from
/// the highest `drop` down (docs/rendering.md): the id, title, level and next review stay.
pub const COLUMNS: &[Column] = &[
    Column::new("id", "ID"),
    Column::wide("title", "Title"),
    Column::new("systems", "System").drop(4),
    Column::new("category", "Category").drop(9),
    Column::new("owner", "Owner").drop(8),
    Column::new("likelihood", "L").drop(12),
    Column::new("consequence", "C").drop(13),
    Column::new("score", "Score").drop(3),
    Column::new("level", "Level"),
    Column::new("above_threshold", "Above threshold").drop(14),
    Column::new("treatment", "Treatment").drop(10),
    Column::new("treatment_status", "Status").drop(5),
    Column::new("treatment_due", "Due").drop(7),
    Column::new("controls", "Controls").drop(11),
    Column::new("next_review", "Next review"),
    Column::new("status", "Risk status").drop(6),
];

/// The sort fields `--sort` accepts.
pub const SORT_FIELDS: &[&str] = &[
    "id",
    "title",
    "system",
    "category",
    "owner",
    "score",
    "level",
    "due",
    "next-review",
];

/// One risk, as the register shows it.
struct Row<'a> {
    risk: &'a Risk,
    score: Option<u32>,
    level: Option<(usize, String)>,
    next_review: Option<Date>,
}

/// The provenance columns of `--provenance` (asked for, so they give way after the
/// treatment's).
pub const PROVENANCE: &[Column] = &[
    Column::new("last_commit", "Last commit").drop(2),
    Column::new("last_changed", "Changed").drop(2),
    Column::new("changed_by", "Changed by").drop(6),
    Column::new("pull_request", "PR").drop(2),
    Column::new("approved_by", "Approved by").drop(2),
    Column::wide("claimed", "Claimed, not approvals").drop(6),
];

/// Every key `--columns` accepts (some exist only with an option: `status` with closed
/// risks shown, the provenance columns with `--provenance`).
pub fn column_keys() -> Vec<&'static str> {
    let mut keys = super::column_keys(COLUMNS);
    keys.extend(super::column_keys(PROVENANCE));
    keys
}

pub fn build(reg: &Register, sources: &Sources, as_of: Date, opts: &Options) -> Result<Document> {
    validate(reg, opts)?;
    let criteria = &reg.config.criteria;
    let status = opts.status.unwrap_or(StatusFilter::Open);
    let mut rows: Vec<Row> = reg
        .risks
        .iter()
        .filter(|r| match status {
            StatusFilter::Open => r.status == RiskStatus::Open,
            StatusFilter::Closed => r.status == RiskStatus::Closed,
            StatusFilter::All => true,
        })
        .map(|risk| {
            let pair = risk
                .current()
                .filter(|(l, c)| criteria.in_range(*l, *c))
                .map(|(l, c)| (l as u32, c as u32));
            let level = reg.level_of(risk).map(|l| {
                let rank = criteria
                    .levels
                    .iter()
                    .position(|x| x.name == l.name)
                    .unwrap_or(0);
                (rank, l.name.clone())
            });
            Row {
                risk,
                score: pair.map(|(l, c)| Criteria::score(l, c)),
                level,
                next_review: risk
                    .is_open()
                    .then(|| schedule::risk_review(reg, risk).map(|d| d.due))
                    .flatten(),
            }
        })
        .filter(|row| keep(row, opts, criteria.acceptance_threshold))
        .collect();
    rows.sort_by(|a, b| compare(a, b, opts.sort.as_deref().unwrap_or("id")));

    let threshold = criteria.acceptance_threshold;
    // A row's cells copy its risk's text: on every core (a million cells at 50,000 risks).
    let table_rows: Vec<Vec<Cell>> = rows
        .par_iter()
        .map(|row| {
            let r = row.risk;
            let t = r.treatment.as_ref();
            let tag = row.level.as_ref().and_then(|(_, n)| level_tag(reg, n));
            vec![
                Cell::text(&r.id.value),
                Cell::opt(r.title.as_ref().map(|t| t.value.clone())),
                Cell::list(r.systems.iter().map(|s| s.value.clone())),
                Cell::opt(r.category.as_ref().map(|c| c.value.clone())),
                Cell::opt(r.owner.as_ref().map(|o| o.value.clone())),
                r.current().map_or(Cell::null(), |(l, _)| Cell::int(l)),
                r.current().map_or(Cell::null(), |(_, c)| Cell::int(c)),
                row.score
                    .map_or(Cell::null(), |s| Cell::int(s.into()))
                    .with_level(tag.clone()),
                Cell::opt(row.level.as_ref().map(|(_, n)| n.clone())).with_level(tag),
                row.score
                    .map_or(Cell::null(), |s| Cell::bool(s > threshold)),
                Cell::opt(
                    t.and_then(|t| t.option.as_ref())
                        .map(|o| o.value.to_string()),
                ),
                Cell::opt(
                    t.and_then(|t| t.status.as_ref())
                        .map(|s| s.value.to_string()),
                ),
                Cell::date(t.and_then(|t| t.due.get()).map(|d| d.value)),
                Cell::list(
                    t.map(|t| {
                        t.controls
                            .iter()
                            .map(|c| c.value.clone())
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default(),
                ),
                Cell::date(row.next_review),
                Cell::text(r.status.to_string()),
            ]
        })
        .collect();

    let above = rows
        .iter()
        .filter(|r| r.score.is_some_and(|s| s > threshold))
        .count();
    let mut summary = vec![
        Figure::count("Risks", rows.len()),
        Figure::count(
            format!("Above the acceptance threshold ({threshold})"),
            above,
        ),
    ];
    for (i, level) in criteria.levels.iter().enumerate().rev() {
        let n = rows
            .iter()
            .filter(|r| r.level.as_ref().is_some_and(|(rank, _)| *rank == i))
            .count();
        summary.push(Figure::count(format!("Level {}", level.name), n));
    }
    let mut columns = COLUMNS.to_vec();
    let mut table_rows = table_rows;
    if let Some(prov) = &opts.provenance {
        columns.extend_from_slice(PROVENANCE);
        for (row, cells) in rows.iter().zip(table_rows.iter_mut()) {
            match prov.get(sources.path(row.risk.file)) {
                Some(p) => cells.extend([
                    Cell::text(&p.commit),
                    Cell::text(&p.day),
                    Cell::text(&p.author),
                    Cell::pull_request(p.pr),
                    Cell::list(p.approved_by.clone()),
                    Cell::list(p.claimed.clone()),
                ]),
                None => cells.extend([
                    Cell::text(prov.missing()),
                    Cell::null(),
                    Cell::null(),
                    Cell::null(),
                    Cell::null(),
                    Cell::null(),
                ]),
            }
        }
    }
    if status == StatusFilter::Open {
        // Every row says "open": the column only matters when closed risks are shown.
        let at = COLUMNS.len() - 1;
        columns.remove(at);
        for row in &mut table_rows {
            row.remove(at);
        }
    }
    Ok(Document {
        kind: "register",
        title: "AI risk register".into(),
        control: DocControl::new(reg, as_of),
        summary,
        notes: filters_note(opts),
        sections: vec![Section {
            id: "risks".into(),
            title: "Risks".into(),
            note: None,
            table: Table::new(columns, table_rows),
        }],
        detail: Detail::None,
    })
}

fn keep(row: &Row, opts: &Options, threshold: u32) -> bool {
    let r = row.risk;
    let eq = |want: &[String], have: Option<&str>| {
        want.is_empty() || have.is_some_and(|h| want.iter().any(|w| w == h))
    };
    (opts.system.is_empty() || r.systems.iter().any(|s| opts.system.contains(&s.value)))
        && eq(
            &opts.category,
            r.category.as_ref().map(|c| c.value.as_str()),
        )
        && eq(&opts.owner, r.owner.as_ref().map(|c| c.value.as_str()))
        && eq(&opts.level, row.level.as_ref().map(|(_, n)| n.as_str()))
        && (!opts.above_threshold || row.score.is_some_and(|s| s > threshold))
}

fn compare(a: &Row, b: &Row, field: &str) -> Ordering {
    let text = |r: &Row, f: fn(&Risk) -> Option<String>| f(r.risk).unwrap_or_default();
    let ord = match field {
        "title" => natural_cmp(
            &text(a, |r| r.title.as_ref().map(|t| t.value.clone())),
            &text(b, |r| r.title.as_ref().map(|t| t.value.clone())),
        ),
        "system" => natural_cmp(
            &text(a, |r| r.systems.first().map(|s| s.value.clone())),
            &text(b, |r| r.systems.first().map(|s| s.value.clone())),
        ),
        "category" => natural_cmp(
            &text(a, |r| r.category.as_ref().map(|c| c.value.clone())),
            &text(b, |r| r.category.as_ref().map(|c| c.value.clone())),
        ),
        "owner" => natural_cmp(
            &text(a, |r| r.owner.as_ref().map(|c| c.value.clone())),
            &text(b, |r| r.owner.as_ref().map(|c| c.value.clone())),
        ),
        // Highest first.
        "score" => b.score.cmp(&a.score),
        "level" => b
            .level
            .as_ref()
            .map(|l| l.0)
            .cmp(&a.level.as_ref().map(|l| l.0))
            .then(b.score.cmp(&a.score)),
        // Soonest first; none last.
        "due" => by_date(
            a.risk
                .treatment
                .as_ref()
                .and_then(|t| t.due.get())
                .map(|d| d.value),
            b.risk
                .treatment
                .as_ref()
                .and_then(|t| t.due.get())
                .map(|d| d.value),
        ),
        "next-review" => by_date(a.next_review, b.next_review),
        _ => Ordering::Equal,
    };
    ord.then_with(|| natural_cmp(&a.risk.id.value, &b.risk.id.value))
}

fn by_date(a: Option<Date>, b: Option<Date>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Unknown filter values are usage errors, with the nearest valid value.
fn validate(reg: &Register, opts: &Options) -> Result<()> {
    fn check(flag: &str, values: &[String], valid: Vec<&str>) -> Result<()> {
        let Some(v) = values.iter().find(|v| !valid.contains(&v.as_str())) else {
            return Ok(());
        };
        let hint = crate::diag::hint(v, &valid, "values")
            .filter(|h| h.starts_with("did you mean"))
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        let mut shown: Vec<&str> = valid.clone();
        shown.truncate(20);
        bail!(
            "{flag} `{v}` matches nothing{hint}; valid: {}",
            shown.join(", ")
        )
    }
    check(
        "--system",
        &opts.system,
        reg.systems.iter().map(|s| s.id.value.as_str()).collect(),
    )?;
    check(
        "--category",
        &opts.category,
        reg.symbols.ids(Kind::Category).collect(),
    )?;
    check(
        "--level",
        &opts.level,
        reg.config
            .criteria
            .levels
            .iter()
            .map(|l| l.name.as_str())
            .collect(),
    )?;
    if let Some(people) = &reg.people {
        check(
            "--owner",
            &opts.owner,
            people.people.iter().map(|p| p.key.value.as_str()).collect(),
        )?;
    }
    check("--sort", opts.sort.as_slice(), SORT_FIELDS.to_vec())?;
    Ok(())
}

fn filters_note(opts: &Options) -> Vec<String> {
    let mut parts = Vec::new();
    for (name, v) in [
        ("system", &opts.system),
        ("category", &opts.category),
        ("level", &opts.level),
        ("owner", &opts.owner),
    ] {
        if !v.is_empty() {
            parts.push(format!("{name} {}", v.join(" or ")));
        }
    }
    match opts.status.unwrap_or(StatusFilter::Open) {
        StatusFilter::Open => parts.push("open risks".into()),
        StatusFilter::Closed => parts.push("closed risks".into()),
        StatusFilter::All => parts.push("open and closed risks".into()),
    }
    if opts.above_threshold {
        parts.push("above the acceptance threshold".into());
    }
    let mut notes = vec![format!("Showing: {}.", parts.join(", "))];
    if let Some(s) = &opts.sort {
        notes.push(format!("Sorted by {s}."));
    }
    notes
}
