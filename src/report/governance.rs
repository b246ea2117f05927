//! `airisk report`: the governance report for the board, the AI governance committee and the
//! management review of Clause 9.3 — totals by level, the heat map, the trend of levels over
//! git history, what changed since the last review, risks above the threshold, overdue
//! reviews and actions, treatment progress, acceptances, incidents of the period, monitoring
//! signals, risks by system and category, the coverage grid of systems x categories and the
//! SoA in figures. One [`Document`] of typed tables, so every renderer can print it.
//!
//! It reuses the other documents' logic rather than repeating it: the heat map is
//! `matrix::build`'s table, overdue items are `due::items`, the SoA figures are `soa::build`'s.
//! It knows nothing of git: the command layer reads the registers in force at each month end
//! and the semantic diff since `--since`, and hands them in as [`Inputs`].

use super::{
    Amount, Cell, Column, Detail, DocControl, Document, Figure, Section, Table, level_tag,
};
use super::{due, matrix, soa};
use crate::changes::{EntityDelta, FieldChange, Kind, RegisterDiff, Standing, Status};
use crate::load::taxonomy::Taxonomy;
use crate::model::{
    Criteria, Date, Incident, IncidentKind, Register, Risk, System, TreatmentOption,
    TreatmentStatus,
};
use crate::text::natural_cmp;
use chrono::{Datelike, Months};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What the report needs from outside the register: the period, the trend and the changes.
pub struct Inputs<'a> {
    /// The first day of the period (incidents of the period). See [`period_start`].
    pub period_start: Date,
    /// `--since`: the last management review.
    pub since: Option<Date>,
    pub trend: Trend<'a>,
    /// With `--since`: what changed since then.
    pub changes: Option<Changes<'a>>,
}

/// The register at each month end, read from git history.
pub enum Trend<'a> {
    /// Why there is no trend (not in a git repository, `--no-git`, no commit yet).
    Unavailable(String),
    /// Oldest first; the last point is the register the report is about (as of today).
    Points(Vec<Point<'a>>),
}

/// The register on one day.
pub struct Point<'a> {
    pub day: Date,
    /// `2026-03` for a month end; `as of` for the register the report is about.
    pub label: String,
    /// The commit in force (short id), `working tree`, or `None`.
    pub commit: Option<String>,
    pub state: Snapshot<'a>,
}

pub enum Snapshot<'a> {
    Register(&'a Register),
    /// No commit on the first-parent line is that old.
    NoCommit,
    /// The commit in force holds no register in this folder.
    NoRegister,
    /// The register at that commit could not be read (its airisk.toml, say).
    Unreadable,
    /// Beyond a shallow clone's boundary.
    Truncated,
}

/// The changes since `--since`.
pub struct Changes<'a> {
    pub since: Date,
    /// The commit in force on that day (short id) and its day; `None` when history has no
    /// commit that old.
    pub base: Option<(String, Date)>,
    /// The semantic diff from the register then to the register now; `None` when there was
    /// no register then (every risk is new).
    pub diff: Option<&'a RegisterDiff>,
}

/// The period the report covers: from `--since`, else the same day twelve months before the
/// as-of date.
pub fn period_start(as_of: Date, since: Option<Date>) -> Date {
    since.unwrap_or_else(|| as_of.checked_sub_months(Months::new(12)).unwrap_or(as_of))
}

/// The month ends of the trend: every last day of a month from `start` (included) to
/// `as_of` (excluded), oldest first. The as-of date itself is the trend's last point.
pub fn month_ends(start: Date, as_of: Date) -> Vec<Date> {
    let mut out = Vec::new();
    let mut first = start.with_day(1);
    while let Some(end) = first
        .and_then(|f| f.checked_add_months(Months::new(1)))
        .and_then(|d| d.pred_opt())
    {
        if end >= as_of {
            break;
        }
        if end >= start {
            out.push(end);
        }
        first = end.succ_opt();
    }
    out
}

/// A risk as the report counts it: open risks with their score and level (`None` when the
/// assessment is missing or off the scales).
struct Rated<'a> {
    risk: &'a Risk,
    score: Option<u32>,
    level: Option<usize>,
}

fn rate<'a>(criteria: &Criteria, risk: &'a Risk) -> Rated<'a> {
    let pair = risk
        .current()
        .filter(|(l, c)| criteria.in_range(*l, *c))
        .map(|(l, c)| (l as u32, c as u32));
    Rated {
        risk,
        score: pair.map(|(l, c)| Criteria::score(l, c)),
        level: pair
            .and_then(|(l, c)| criteria.level(l, c))
            .and_then(|lv| criteria.levels.iter().position(|x| x.name == lv.name)),
    }
}

fn open_risks<'a>(reg: &'a Register, criteria: &Criteria) -> Vec<Rated<'a>> {
    let mut v: Vec<Rated> = reg
        .risks
        .iter()
        .filter(|r| r.is_open())
        .map(|r| rate(criteria, r))
        .collect();
    v.sort_by(|a, b| natural_cmp(&a.risk.id.value, &b.risk.id.value));
    v
}

fn fig(label: impl Into<String>, value: usize) -> Figure {
    Figure::count(label, value)
}

fn section(id: &str, title: impl Into<String>, note: Option<String>, table: Table) -> Section {
    Section {
        id: id.into(),
        title: title.into(),
        note,
        table,
    }
}

fn text(v: &Option<crate::model::Sp<String>>) -> Cell {
    Cell::opt(v.as_ref().map(|s| s.value.clone()))
}

pub fn build(reg: &Register, as_of: Date, inputs: &Inputs) -> Document {
    let cx = Cx::new(reg, as_of, inputs.period_start);
    let mut sections = vec![levels_section(&cx)];
    sections.extend(heat_map_section(&cx));
    let trend_truncated = trend_section(reg, &inputs.trend, &mut sections);
    if let Some(ch) = &inputs.changes {
        sections.push(changes_section(reg, &cx.risks, ch));
    }
    sections.push(above_threshold_section(&cx));
    let (overdue, n_overdue) = overdue_section(&cx);
    sections.push(overdue);
    sections.push(treatment_section(&cx));
    let (acceptances, expired) = acceptances_section(&cx);
    sections.push(acceptances);
    sections.extend(waivers_section(&cx));
    sections.push(incidents_section(&cx));
    sections.push(monitoring_section(&cx));
    sections.push(monitoring_readings_section(&cx));
    sections.push(systems_section(&cx));
    sections.push(categories_section(&cx));
    let (coverage, gaps) = coverage_section(&cx);
    sections.push(coverage);
    let (soa, applicable, implemented) = soa_section(&cx);
    sections.push(soa);
    sections.extend(eu_ai_act_sections(&cx));
    let tally = Tally {
        overdue: n_overdue,
        expired,
        gaps,
        applicable,
        implemented,
    };
    Document {
        kind: "report",
        title: "AI risk report".into(),
        control: DocControl::new(reg, as_of),
        summary: key_figures(&cx, &tally),
        notes: notes(&cx, inputs, trend_truncated),
        sections,
        detail: Detail::None,
    }
}

/// What the sections of the report share: the register, the as-of date, the criteria, the
/// rated open risks, the systems and the incidents of the period.
struct Cx<'a> {
    reg: &'a Register,
    as_of: Date,
    criteria: &'a Criteria,
    threshold: u32,
    risks: Vec<Rated<'a>>,
    /// Every system, by id.
    systems: Vec<&'a System>,
    /// The first day of the period. See [`period_start`].
    start: Date,
    /// Incidents and near misses of the period, newest first.
    incidents: Vec<&'a Incident>,
    /// The open risks of each system (indexes into `risks`, in its order, each risk once
    /// however often it names the system): the per-system sections look them up instead of
    /// filtering every risk for every system (quadratic at 50,000 risks, issue 20).
    by_system: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Cx<'a> {
    fn new(reg: &'a Register, as_of: Date, start: Date) -> Self {
        let criteria = &reg.config.criteria;
        let mut systems: Vec<_> = reg.systems.iter().collect();
        systems.sort_by(|a, b| natural_cmp(&a.id.value, &b.id.value));
        // Incidents and near misses of the period, newest first.
        let mut incidents: Vec<_> = reg
            .incidents
            .iter()
            .filter(|i| {
                i.date
                    .as_ref()
                    .is_some_and(|d| d.value >= start && d.value <= as_of)
            })
            .collect();
        incidents.sort_by(|a, b| {
            let day = |i: &crate::model::Incident| i.date.as_ref().map(|d| d.value);
            day(b)
                .cmp(&day(a))
                .then_with(|| natural_cmp(&a.id.value, &b.id.value))
        });
        let risks = open_risks(reg, criteria);
        let mut by_system: HashMap<&'a str, Vec<usize>> = HashMap::new();
        for (i, r) in risks.iter().enumerate() {
            for x in &r.risk.systems {
                let of = by_system.entry(x.value.as_str()).or_default();
                if of.last() != Some(&i) {
                    of.push(i);
                }
            }
        }
        Cx {
            reg,
            as_of,
            criteria,
            threshold: criteria.acceptance_threshold,
            risks,
            systems,
            start,
            incidents,
            by_system,
        }
    }

    /// The open risks that name system `id`, in the order of `risks`.
    fn risks_of(&self, id: &str) -> impl Iterator<Item = &Rated<'a>> {
        self.by_system
            .get(id)
            .into_iter()
            .flatten()
            .map(|&i| &self.risks[i])
    }

    fn level_cell(&self, rank: Option<usize>) -> Cell {
        let name = rank
            .and_then(|i| self.criteria.levels.get(i))
            .map(|l| l.name.clone());
        let tag = name.as_deref().and_then(|n| level_tag(self.reg, n));
        Cell::opt(name).with_level(tag)
    }

    fn score_cell(&self, r: &Rated) -> Cell {
        let name = r
            .level
            .and_then(|i| self.criteria.levels.get(i))
            .map(|l| l.name.clone());
        r.score
            .map_or(Cell::null(), |s| Cell::int(s.into()))
            .with_level(name.as_deref().and_then(|n| level_tag(self.reg, n)))
    }

    fn above(&self, r: &Rated) -> bool {
        r.score.is_some_and(|s| s > self.threshold)
    }
}

/// Totals by level, highest first.
fn levels_section(cx: &Cx) -> Section {
    let risks = &cx.risks;
    let mut rows = Vec::new();
    for (i, _) in cx.criteria.levels.iter().enumerate().rev() {
        let of: Vec<&Rated> = risks.iter().filter(|r| r.level == Some(i)).collect();
        rows.push(vec![
            cx.level_cell(Some(i)),
            Cell::int(of.len() as i64),
            Cell::int(of.iter().filter(|r| cx.above(r)).count() as i64),
        ]);
    }
    let unrated = risks.iter().filter(|r| r.level.is_none()).count();
    if unrated > 0 {
        rows.push(vec![
            Cell::text("unrated"),
            Cell::int(unrated as i64),
            Cell::int(0),
        ]);
    }
    rows.push(vec![
        Cell::text("total"),
        Cell::int(risks.len() as i64),
        Cell::int(risks.iter().filter(|r| cx.above(r)).count() as i64),
    ]);
    section(
        "levels",
        "Open risks by level",
        (unrated > 0).then(|| {
            "Unrated: the assessment is missing or off the scales (see `airisk check`).".into()
        }),
        Table::new(
            vec![
                Column::new("level", "Level"),
                Column::new("risks", "Open risks"),
                Column::new("above_threshold", "Above threshold"),
            ],
            rows,
        ),
    )
}

/// The heat map, as `airisk matrix` draws it.
fn heat_map_section(cx: &Cx) -> Option<Section> {
    let mut heat = matrix::build(cx.reg, cx.as_of, matrix::Plot::Current, false);
    let mut s = heat.sections.pop()?;
    s.id = "heat-map".into();
    s.title = "Heat map".into();
    s.note = heat.notes.first().cloned();
    Some(s)
}

/// Risks above the acceptance threshold: highest score first.
fn above_threshold_section(cx: &Cx) -> Section {
    let (as_of, threshold) = (cx.as_of, cx.threshold);
    let mut top: Vec<&Rated> = cx.risks.iter().filter(|r| cx.above(r)).collect();
    top.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| natural_cmp(&a.risk.id.value, &b.risk.id.value))
    });
    let rows = top
        .iter()
        .map(|r| {
            let t = r.risk.treatment.as_ref();
            vec![
                Cell::text(&r.risk.id.value),
                text(&r.risk.title),
                Cell::list(r.risk.systems.iter().map(|s| s.value.clone())),
                text(&r.risk.owner),
                cx.score_cell(r),
                cx.level_cell(r.level),
                Cell::opt(
                    t.and_then(|t| t.option.as_ref())
                        .map(|o| o.value.to_string()),
                ),
                Cell::text(progress(r.risk, as_of).label()),
                Cell::date(t.and_then(|t| t.due.get()).map(|d| d.value)),
                Cell::opt(t.and_then(|t| t.owner.get()).map(|o| o.value.clone())),
            ]
        })
        .collect();
    section(
        "above-threshold",
        format!("Risks above the acceptance threshold ({threshold})"),
        Some("Highest score first; the treatment status counts a treatment past its due date and not done as late.".into()),
        Table::new(
            vec![
                Column::new("id", "ID"),
                Column::wide("title", "Title"),
                Column::new("systems", "System").drop(3),
                Column::new("owner", "Owner").drop(5),
                Column::new("score", "Score"),
                Column::new("level", "Level"),
                Column::new("treatment", "Treatment").drop(4),
                Column::new("treatment_status", "Status").drop(1),
                Column::new("treatment_due", "Due").drop(2),
                Column::new("treatment_owner", "Treatment owner").drop(6),
            ],
            rows,
        ),
    )
}

/// Overdue reviews and actions, as `airisk due` lists them. Returns the section and the
/// number of overdue items.
fn overdue_section(cx: &Cx) -> (Section, usize) {
    let as_of = cx.as_of;
    let overdue: Vec<due::Item> = due::items(cx.reg)
        .into_iter()
        .filter(|i| i.overdue(as_of))
        .collect();
    let rows = overdue
        .iter()
        .map(|i| {
            vec![
                Cell::text(i.due.to_string()),
                Cell::int(as_of.signed_duration_since(i.due).num_days()),
                Cell::text(i.kind),
                Cell::text(&i.id),
                Cell::text(&i.what),
                Cell::opt(i.owner.clone()),
            ]
        })
        .collect();
    let s = section(
        "overdue",
        "Overdue reviews and actions",
        Some(format!(
            "Due before {as_of} and not done: risk, impact assessment and SoA reviews, treatments, corrective actions, acceptance expiries (`airisk due` lists what is coming up too)."
        )),
        Table::new(
            vec![
                Column::new("due", "Due"),
                Column::new("days_overdue", "Days overdue").drop(1),
                Column::new("kind", "Kind"),
                Column::new("id", "ID"),
                Column::wide("what", "What"),
                Column::new("owner", "Owner").drop(2),
            ],
            rows,
        ),
    );
    (s, overdue.len())
}

/// Treatment progress.
fn treatment_section(cx: &Cx) -> Section {
    let mut by_state: BTreeMap<TreatmentState, Vec<String>> = BTreeMap::new();
    for r in &cx.risks {
        let p = progress(r.risk, cx.as_of);
        if p != TreatmentState::Accepted {
            by_state.entry(p).or_default().push(r.risk.id.value.clone());
        }
    }
    let mut rows = Vec::new();
    for p in [
        TreatmentState::Planned,
        TreatmentState::InProgress,
        TreatmentState::Late,
        TreatmentState::Done,
        TreatmentState::NoStatus,
        TreatmentState::NoDecision,
    ] {
        let ids = by_state.remove(&p).unwrap_or_default();
        if ids.is_empty() && matches!(p, TreatmentState::NoStatus | TreatmentState::NoDecision) {
            continue;
        }
        rows.push(vec![
            Cell::text(p.label()),
            Cell::int(ids.len() as i64),
            Cell::list(ids),
        ]);
    }
    section(
        "treatment-progress",
        "Treatment progress",
        Some("Open risks being treated (avoid, mitigate, transfer), by the status of their treatment; late: past its due date and not done. Accepted risks are listed under Acceptances.".into()),
        Table::new(
            vec![
                Column::new("state", "State"),
                Column::new("risks", "Risks"),
                Column::new("ids", "IDs"),
            ],
            rows,
        ),
    )
}

/// Acceptances and their expiry. Returns the section and the number of expired acceptances.
fn acceptances_section(cx: &Cx) -> (Section, usize) {
    let (reg, as_of) = (cx.reg, cx.as_of);
    let soon = reg.config.review.due_soon.after(as_of).unwrap_or(as_of);
    let accepted: Vec<&Rated> = cx
        .risks
        .iter()
        .filter(|r| progress(r.risk, as_of) == TreatmentState::Accepted)
        .collect();
    let mut expired = 0;
    let rows = accepted
        .iter()
        .map(|r| {
            let a = r.risk.acceptance.as_ref();
            let expires = a.and_then(|a| a.expires.as_ref()).map(|e| e.value);
            let state = match expires {
                None => "no expiry".to_string(),
                Some(e) if e < as_of => {
                    expired += 1;
                    "expired".to_string()
                }
                Some(e) if e <= soon => format!("expires within {}", reg.config.review.due_soon),
                Some(_) => "current".to_string(),
            };
            vec![
                Cell::text(&r.risk.id.value),
                text(&r.risk.title),
                cx.score_cell(r),
                cx.level_cell(r.level),
                Cell::opt(a.and_then(|a| a.approved_by.get()).map(|p| p.value.clone())),
                Cell::date(a.and_then(|a| a.date.get()).map(|d| d.value)),
                Cell::date(expires),
                Cell::text(state),
                Cell::bool(a.and_then(|a| a.exception.as_ref()).is_some()),
            ]
        })
        .collect();
    let s = section(
        "acceptances",
        "Acceptances",
        Some("Open risks whose treatment is to accept them, with who approved it and when the acceptance lapses; an exception records why treatment above the threshold is not cost-effective.".into()),
        Table::new(
            vec![
                Column::new("id", "ID"),
                Column::wide("title", "Title"),
                Column::new("score", "Score").drop(3),
                Column::new("level", "Level"),
                Column::new("approved_by", "Approved by").drop(4),
                Column::new("accepted", "Accepted").drop(5),
                Column::new("expires", "Expires").drop(1),
                Column::new("state", "State"),
                Column::new("exception", "Exception").drop(2),
            ],
            rows,
        ),
    );
    (s, expired)
}

/// The waivers of `waivers.yaml`, active, expiring within `due_soon` or expired; none
/// without a waivers file.
fn waivers_section(cx: &Cx) -> Option<Section> {
    let table = super::waivers::table(cx.reg, cx.as_of, |_| true)?;
    Some(section(
        "waivers",
        "Waivers",
        Some("Accepted exceptions to rules (waivers.yaml), each approved in a pull request: the findings they waive are not counted. An expired waiver no longer waives anything.".into()),
        table,
    ))
}

/// Incidents and near misses of the period, newest first.
fn incidents_section(cx: &Cx) -> Section {
    let (start, as_of) = (cx.start, cx.as_of);
    let rows = cx
        .incidents
        .iter()
        .map(|i| {
            let c = i.corrective_action.as_ref();
            let due = c.and_then(|c| c.due.get()).map(|d| d.value);
            let status = c.and_then(|c| c.status.get()).map(|s| s.value);
            let state = match (c, status, due) {
                (None, _, _) => "none recorded",
                (_, Some(TreatmentStatus::Done), _) => "done",
                (_, _, Some(d)) if d < as_of => "late",
                (_, Some(TreatmentStatus::InProgress), _) => "in progress",
                (_, Some(TreatmentStatus::Planned), _) => "planned",
                (_, None, _) => "no status",
            };
            vec![
                Cell::date(i.date.as_ref().map(|d| d.value)),
                Cell::text(&i.id.value),
                Cell::opt(i.kind.as_ref().map(|k| k.value.to_string())),
                text(&i.system),
                Cell::list(i.risks.iter().map(|r| r.value.clone())),
                text(&i.summary),
                Cell::opt(c.and_then(|c| c.plan.get()).map(|p| p.value.clone())),
                Cell::opt(c.and_then(|c| c.owner.get()).map(|o| o.value.clone())),
                Cell::date(due),
                Cell::text(state),
            ]
        })
        .collect();
    section(
        "incidents",
        "Incidents and near misses",
        Some(format!(
            "Dated from {start} to {as_of}, newest first, with the state of their corrective action (late: past its due date and not done)."
        )),
        Table::new(
            vec![
                Column::new("date", "Date"),
                Column::new("id", "ID"),
                Column::new("kind", "Kind").drop(1),
                Column::new("system", "System").drop(3),
                Column::new("risks", "Risks").drop(4),
                Column::wide("summary", "Summary"),
                Column::wide("corrective_action", "Corrective action").drop(5),
                Column::new("owner", "Owner").drop(6),
                Column::new("due", "Due").drop(2),
                Column::new("action_status", "Action").drop(2),
            ],
            rows,
        ),
    )
}

/// Monitoring signals of live systems: each monitor's latest reading and status on the
/// as-of date, with a compact trend of its most recent readings (a text sparkline, for the
/// formats without a chart).
fn monitoring_section(cx: &Cx) -> Section {
    let mut rows = Vec::new();
    for s in cx.systems.iter().filter(|s| s.is_live()) {
        if s.monitoring.is_empty() {
            rows.push(vec![
                Cell::text(&s.id.value),
                Cell::null(),
                Cell::null(),
                Cell::text("none recorded"),
                Cell::null(),
                Cell::null(),
                Cell::null(),
                Cell::null(),
                Cell::int(0),
                Cell::null(),
                Cell::null(),
            ]);
        }
        for m in &s.monitoring {
            let latest = m.series.latest.as_ref();
            rows.push(vec![
                Cell::text(&s.id.value),
                Cell::opt(m.id.as_ref().map(|i| i.value.clone())),
                Cell::opt(m.signal.as_ref().map(|x| x.value.to_string())),
                text(&m.metric),
                text(&m.threshold),
                Cell::opt(latest.map(|p| p.at.day.to_string())),
                latest.map_or(Cell::null(), |p| Cell::decimal(p.value)),
                Cell::text(m.status(cx.as_of).as_str()),
                Cell::int(m.series.count as i64),
                Cell::opt(sparkline(m, cx.as_of)),
                text(&m.owner),
            ]);
        }
    }
    section(
        "monitoring",
        "Monitoring",
        Some("The post-deployment signals each live system is watched by: the latest reading in monitoring/ and its status (`breach`: it fails the threshold; `stale`: older than the monitor's `every`; `no-data`: none), with the trend of its last 12 readings (▁ lowest to █ highest, `!` a reading that failed the threshold).".into()),
        Table::new(
            vec![
                Column::new("system", "System"),
                Column::new("monitor", "Monitor"),
                Column::new("signal", "Signal").drop(1),
                Column::wide("metric", "Metric"),
                Column::new("threshold", "Threshold"),
                Column::new("last_date", "Last reading"),
                Column::new("last_value", "Value"),
                Column::new("status", "Status"),
                Column::new("readings", "Readings").drop(3),
                Column::new("trend", "Trend").drop(4),
                Column::new("owner", "Owner").drop(2),
            ],
            rows,
        ),
    )
}

/// The last 12 readings up to `as_of` as eight-step blocks between their lowest and
/// highest value, a breach as `!`: the compact form of a monitor's chart.
fn sparkline(m: &crate::model::Monitoring, as_of: Date) -> Option<String> {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let recent: Vec<_> = m
        .series
        .recent()
        .iter()
        .filter(|p| p.at.day <= as_of)
        .collect();
    let last = &recent[recent.len().saturating_sub(12)..];
    if last.is_empty() {
        return None;
    }
    let lo = last.iter().map(|p| p.value).fold(f64::INFINITY, f64::min);
    let hi = last
        .iter()
        .map(|p| p.value)
        .fold(f64::NEG_INFINITY, f64::max);
    Some(
        last.iter()
            .map(|p| {
                if m.breaches(p.value) {
                    return '!';
                }
                let i = if hi > lo {
                    (((p.value - lo) / (hi - lo)) * 7.0).round() as usize
                } else {
                    3
                };
                BARS[i.min(7)]
            })
            .collect(),
    )
}

/// The readings of the report's period of every monitor of a live system that has a
/// comparison threshold, for the HTML report's charts (one per monitor, readings against
/// the threshold line): each row a reading, with the monitor's bound and whether the reading
/// failed it. At most the monitor's most recent readings the register keeps.
fn monitoring_readings_section(cx: &Cx) -> Section {
    let mut rows = Vec::new();
    for s in cx.systems.iter().filter(|s| s.is_live()) {
        for m in &s.monitoring {
            let (Some(id), Some(t)) = (&m.id, &m.comparison) else {
                continue;
            };
            for p in m
                .series
                .recent()
                .iter()
                .filter(|p| p.at.day >= cx.start && p.at.day <= cx.as_of)
            {
                rows.push(vec![
                    Cell::text(format!("{}/{}", s.id.value, id.value)),
                    Cell::text(p.at.day.to_string()),
                    Cell::decimal(p.value),
                    text(&m.threshold),
                    Cell::decimal(t.bound),
                    Cell::bool(!t.passes(p.value)),
                ]);
            }
        }
    }
    section(
        "monitoring-readings",
        "Monitoring readings",
        Some(format!(
            "Every reading of the period ({} to {}) of each monitor with a threshold, against it.",
            cx.start, cx.as_of
        )),
        Table::new(
            vec![
                Column::new("monitor", "Monitor"),
                Column::new("date", "Date"),
                Column::new("value", "Value"),
                Column::new("threshold", "Threshold"),
                Column::new("bound", "Bound").drop(1),
                Column::new("breach", "Breach"),
            ],
            rows,
        ),
    )
}

/// Totals by system.
fn systems_section(cx: &Cx) -> Section {
    let rows = cx
        .systems
        .iter()
        .map(|s| {
            let of: Vec<&Rated> = cx.risks_of(&s.id.value).collect();
            let n_incidents = cx
                .incidents
                .iter()
                .filter(|i| i.system.as_ref().is_some_and(|x| x.value == s.id.value))
                .count();
            vec![
                Cell::text(&s.id.value),
                text(&s.name),
                Cell::opt(s.lifecycle.as_ref().map(|l| l.value.to_string())),
                Cell::opt(s.criticality.as_ref().map(|c| c.value.to_string())),
                Cell::int(of.len() as i64),
                Cell::int(of.iter().filter(|r| cx.above(r)).count() as i64),
                cx.level_cell(of.iter().filter_map(|r| r.level).max()),
                Cell::int(n_incidents as i64),
            ]
        })
        .collect();
    section(
        "systems",
        "Risks by system",
        Some(
            "A risk of several systems counts for each of them; incidents are those of the period."
                .into(),
        ),
        Table::new(
            vec![
                Column::new("system", "System"),
                Column::wide("name", "Name").drop(6),
                Column::new("lifecycle", "Lifecycle").drop(4),
                Column::new("criticality", "Criticality").drop(2),
                Column::new("risks", "Open risks"),
                Column::new("above_threshold", "Above threshold").drop(3),
                Column::new("highest_level", "Highest level").drop(1),
                Column::new("incidents", "Incidents").drop(5),
            ],
            rows,
        ),
    )
}

/// With the EU AI Act profile on: the live systems by tier, their obligations by status, and
/// what applies next and when (the obligations not met whose application date is ahead).
fn eu_ai_act_sections(cx: &Cx) -> Vec<Section> {
    use super::obligations as ob;
    use crate::model::EuClass;
    let reg = cx.reg;
    if !reg.config.eu_ai_act.applies {
        return Vec::new();
    }
    let live: Vec<&System> = cx.systems.iter().copied().filter(|s| s.is_live()).collect();
    let mut tiers: Vec<(String, Vec<String>)> = EuClass::ALL
        .iter()
        .map(|c| (c.to_string(), Vec::new()))
        .collect();
    tiers.push(("unclassified".into(), Vec::new()));
    for s in &live {
        let tier = s
            .eu_ai_act
            .as_ref()
            .and_then(|b| b.class())
            .map_or("unclassified".to_string(), |c| c.to_string());
        if let Some(t) = tiers.iter_mut().find(|(n, _)| *n == tier) {
            t.1.push(s.id.value.clone());
        }
    }
    let tier_rows = tiers
        .into_iter()
        .map(|(tier, ids)| {
            vec![
                Cell::text(tier),
                Cell::int(ids.len() as i64),
                Cell::list(ids),
            ]
        })
        .collect();
    let status_rows = ob::status_counts(reg)
        .into_iter()
        .map(|(label, n)| vec![Cell::text(label), Cell::int(n as i64)])
        .collect();
    let next = ob::next(reg, cx.as_of);
    let next_rows = next
        .iter()
        .map(|(d, system, id, article)| {
            vec![
                Cell::text(d.to_string()),
                Cell::text(system),
                Cell::text(id),
                Cell::text(article),
            ]
        })
        .collect();
    let first = next.first().map(|(d, ..)| *d);
    vec![
        section(
            "eu-ai-act-tiers",
            "EU AI Act: systems by tier",
            Some(format!(
                "Live systems by the classification each records (airisk obligations lists the routes). {}",
                ob::pack_note(reg)
            )),
            Table::new(
                vec![
                    Column::new("tier", "Tier"),
                    Column::new("systems", "Systems"),
                    Column::wide("ids", "Which"),
                ],
                tier_rows,
            ),
        ),
        section(
            "eu-ai-act-obligations",
            "EU AI Act: obligations by status",
            Some("Every obligation the pack assigns to the live systems' roles and tiers, in application or not yet. Done includes not-applicable with a rationale and Art. 27 met by a FRIA; not-applicable is the rest of them, absent has no entry.".into()),
            Table::new(
                vec![
                    Column::new("status", "Status"),
                    Column::new("obligations", "Obligations"),
                ],
                status_rows,
            ),
        ),
        section(
            "eu-ai-act-next",
            "EU AI Act: what applies next",
            Some(match first {
                Some(d) => format!("The next application date is {d}; these obligations are not met yet."),
                None => "No obligation not yet met applies after the as-of date.".into(),
            }),
            Table::new(
                vec![
                    Column::new("applies_from", "Applies from"),
                    Column::new("system", "System"),
                    Column::new("obligation", "Obligation"),
                    Column::new("article", "Article"),
                ],
                next_rows,
            ),
        ),
    ]
}

/// Totals by category: the built-in ones, the extra ones, then any unknown id in use.
fn categories_section(cx: &Cx) -> Section {
    let risks = &cx.risks;
    let tax = Taxonomy::get();
    let mut categories: Vec<(String, String)> = tax
        .categories
        .iter()
        .map(|c| (c.id.clone(), c.name.clone()))
        .chain(
            cx.reg
                .config
                .extra_categories
                .iter()
                .map(|c| (c.id.clone(), c.name.clone())),
        )
        .collect();
    let known: BTreeSet<String> = categories.iter().map(|c| c.0.clone()).collect();
    let unknown: BTreeSet<String> = risks
        .iter()
        .filter_map(|r| r.risk.category.as_ref().map(|c| c.value.clone()))
        .filter(|c| !known.contains(c))
        .collect();
    categories.extend(
        unknown
            .into_iter()
            .map(|c| (c, "(not a category: see `airisk check`)".into())),
    );
    let rows = categories
        .iter()
        .map(|(id, name)| {
            let of: Vec<&Rated> = risks
                .iter()
                .filter(|r| r.risk.category.as_ref().is_some_and(|c| &c.value == id))
                .collect();
            vec![
                Cell::text(id),
                Cell::text(name),
                Cell::int(of.len() as i64),
                Cell::int(of.iter().filter(|r| cx.above(r)).count() as i64),
                cx.level_cell(of.iter().filter_map(|r| r.level).max()),
            ]
        })
        .collect();
    section(
        "categories",
        "Risks by category",
        None,
        Table::new(
            vec![
                Column::new("category", "Category"),
                Column::wide("name", "Name").drop(3),
                Column::new("risks", "Open risks"),
                Column::new("above_threshold", "Above threshold").drop(2),
                Column::new("highest_level", "Highest level").drop(1),
            ],
            rows,
        ),
    )
}

/// Coverage: live systems x categories. Returns the section and the number of gaps.
fn coverage_section(cx: &Cx) -> (Section, usize) {
    let cats: Vec<&str> = cx.reg.symbols.ids(crate::kinds::Kind::Category).collect();
    let mut columns = vec![Column::new("system", "System")];
    columns.extend(
        cats.iter()
            .map(|c| Column::owned((*c).to_string(), (*c).to_string())),
    );
    let mut gaps = 0;
    let rows = cx
        .systems
        .iter()
        .filter(|s| s.is_live())
        .map(|s| {
            let mut row = vec![Cell::text(&s.id.value)];
            for cat in &cats {
                let ids: Vec<String> = cx
                    .risks_of(&s.id.value)
                    .filter(|r| r.risk.category.as_ref().is_some_and(|c| c.value == *cat))
                    .map(|r| r.risk.id.value.clone())
                    .collect();
                let screened = s.screening.iter().any(|x| x.category.value == *cat);
                row.push(if !ids.is_empty() {
                    Cell::list(ids)
                } else if screened {
                    Cell::text(SCREENED)
                } else {
                    gaps += 1;
                    Cell::text(GAP)
                });
            }
            row
        })
        .collect();
    let s = section(
        "coverage",
        "Coverage: systems x categories",
        Some(format!(
            "Each live system against each risk category: the open risks that cover it, \"{SCREENED}\" (a screening entry says why it does not apply), or \"{GAP}\" (neither: the `category-not-screened` finding)."
        )),
        Table::new(columns, rows),
    );
    (s, gaps)
}

/// The SoA in figures. Returns the section and the figures of applicable and implemented
/// controls.
fn soa_section(cx: &Cx) -> (Section, usize, usize) {
    let reg = cx.reg;
    let soa_doc = soa::build(reg, cx.as_of, &soa::Options::default());
    let mut rows: Vec<Vec<Cell>> = soa_doc
        .summary
        .iter()
        .map(|f| vec![Cell::text(&f.label), figure_cell(f)])
        .collect();
    let reviewed = reg
        .soa
        .as_ref()
        .and_then(|s| s.reviewed.as_ref())
        .map(|r| r.value);
    rows.push(vec![Cell::text("Last reviewed"), Cell::date(reviewed)]);
    rows.push(vec![
        Cell::text("Next review due"),
        Cell::date(crate::model::schedule::soa_review(reg).map(|d| d.due)),
    ]);
    if let Some(a) = reg.soa.as_ref().and_then(|s| s.approved_by.as_ref()) {
        rows.push(vec![Cell::text("Approved by"), Cell::text(&a.value)]);
    }
    let applicable = figure(&soa_doc.summary, "Applicable");
    let implemented = figure(&soa_doc.summary, "Implemented");
    let s = section(
        "soa",
        "Statement of Applicability",
        Some("The Annex A controls by decision and implementation status (`airisk soa` has every decision).".into()),
        Table::new(
            vec![Column::new("item", "Item"), Column::new("value", "Value")],
            rows,
        ),
    );
    (s, applicable, implemented)
}

/// What the sections counted for the key figures.
struct Tally {
    /// Overdue reviews and actions.
    overdue: usize,
    /// Expired acceptances.
    expired: usize,
    /// Coverage gaps.
    gaps: usize,
    /// Applicable controls (the SoA's figure).
    applicable: usize,
    /// Implemented controls (the SoA's figure).
    implemented: usize,
}

/// Key figures.
fn key_figures(cx: &Cx, tally: &Tally) -> Vec<Figure> {
    let risks = &cx.risks;
    let count_kind = |k: IncidentKind| {
        cx.incidents
            .iter()
            .filter(|i| i.kind.as_ref().is_some_and(|x| x.value == k))
            .count()
    };
    let (n_incidents, n_near) = (
        count_kind(IncidentKind::Incident),
        count_kind(IncidentKind::NearMiss),
    );
    let late = risks
        .iter()
        .filter(|r| progress(r.risk, cx.as_of) == TreatmentState::Late)
        .count();
    let (applicable, implemented) = (tally.applicable, tally.implemented);
    let mut summary = vec![
        fig("Open risks", risks.len()),
        fig(
            format!("Above the acceptance threshold ({})", cx.threshold),
            risks.iter().filter(|r| cx.above(r)).count(),
        ),
        fig("Overdue reviews and actions", tally.overdue),
        fig("Late treatments", late),
        fig("Incidents in the period", n_incidents),
        fig("Near misses in the period", n_near),
        fig("Coverage gaps", tally.gaps),
        Figure::part("Applicable controls implemented", implemented, applicable),
    ];
    if tally.expired > 0 {
        summary.push(fig("Expired acceptances", tally.expired));
    }
    summary
}

/// The report's notes: the period, where the changes are, and why the trend is missing or
/// truncated.
fn notes(cx: &Cx, inputs: &Inputs, trend_truncated: Option<Date>) -> Vec<String> {
    let (start, as_of) = (cx.start, cx.as_of);
    let mut notes = vec![format!(
        "Period: {start} to {as_of}. Counts are of open risks, at their current assessment; levels and the acceptance threshold are those of airisk.toml."
    )];
    if let Some(since) = inputs.since {
        notes.push(format!(
            "Changes since the last management review on {since} are in \"Changes since {since}\"."
        ));
    }
    match &inputs.trend {
        Trend::Unavailable(why) => notes.push(format!("No trend over git history: {why}.")),
        Trend::Points(_) if trend_truncated.is_some() => notes.push(format!(
            "The trend is truncated: this is a shallow clone, and the register before {} is unknown. Fetch the full history (`git fetch --unshallow`; GitHub actions/checkout `fetch-depth: 0`, GitLab `GIT_DEPTH: 0`).",
            trend_truncated.unwrap_or_default()
        )),
        Trend::Points(_) => {}
    }
    notes
}

const SCREENED: &str = "screened out";
const GAP: &str = "gap";

/// The count of the figure labelled `label` (0 when there is none).
fn figure(figures: &[Figure], label: &str) -> usize {
    figures
        .iter()
        .find(|f| f.label == label)
        .map_or(0, |f| match f.value {
            Amount::Count(n) | Amount::Part { n, .. } => n as usize,
            Amount::Text(_) => 0,
        })
}

/// A figure as a table cell: a count is a number.
fn figure_cell(f: &Figure) -> Cell {
    match f.value {
        Amount::Count(n) => Cell::int(n as i64),
        _ => Cell::text(f.text_value()),
    }
}

/// Where a risk's treatment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum TreatmentState {
    Planned,
    InProgress,
    Late,
    Done,
    /// Treated, but without a status.
    NoStatus,
    /// No treatment block: no decision yet (`treatment-required`).
    NoDecision,
    Accepted,
}

impl TreatmentState {
    fn label(self) -> &'static str {
        match self {
            TreatmentState::Planned => "planned",
            TreatmentState::InProgress => "in progress",
            TreatmentState::Late => "late",
            TreatmentState::Done => "done",
            TreatmentState::NoStatus => "no status",
            TreatmentState::NoDecision => "no decision",
            TreatmentState::Accepted => "accepted",
        }
    }
}

fn progress(risk: &Risk, as_of: Date) -> TreatmentState {
    let Some(t) = &risk.treatment else {
        return TreatmentState::NoDecision;
    };
    if t.option
        .as_ref()
        .is_some_and(|o| o.value == TreatmentOption::Accept)
    {
        return TreatmentState::Accepted;
    }
    if t.is_done() {
        return TreatmentState::Done;
    }
    if t.due.get().is_some_and(|d| d.value < as_of) {
        return TreatmentState::Late;
    }
    match t.status.as_ref().map(|s| s.value) {
        Some(TreatmentStatus::Planned) => TreatmentState::Planned,
        Some(TreatmentStatus::InProgress) => TreatmentState::InProgress,
        Some(TreatmentStatus::Done) => TreatmentState::Done,
        None => TreatmentState::NoStatus,
    }
}

/// The trend section: open risks per level at each point, under today's criteria. Returns
/// the first day the trend could not read because of a shallow clone.
fn trend_section(reg: &Register, trend: &Trend, sections: &mut Vec<Section>) -> Option<Date> {
    let Trend::Points(points) = trend else {
        return None;
    };
    let criteria = &reg.config.criteria;
    let n = criteria.levels.len();
    let mut truncated = None;
    let mut any_unrated = false;
    let mut counted: Vec<Option<(Vec<usize>, usize)>> = Vec::new();
    for p in points {
        counted.push(match &p.state {
            Snapshot::Register(r) => {
                let mut per = vec![0; n];
                let mut unrated = 0;
                for x in open_risks(r, criteria) {
                    match x.level {
                        Some(i) => per[i] += 1,
                        None => unrated += 1,
                    }
                }
                any_unrated |= unrated > 0;
                Some((per, unrated))
            }
            Snapshot::Truncated => {
                truncated = Some(truncated.unwrap_or(p.day).max(p.day));
                None
            }
            _ => None,
        });
    }
    let mut columns = vec![
        Column::new("month", "Month"),
        Column::new("date", "Date").drop(2),
        Column::new("commit", "Commit").drop(1),
    ];
    for l in &criteria.levels {
        columns.push(Column::owned(l.name.clone(), l.name.clone()));
    }
    if any_unrated {
        columns.push(Column::new("unrated", "unrated"));
    }
    columns.push(Column::new("total", "Total"));
    let rows = points
        .iter()
        .zip(&counted)
        .map(|(p, c)| {
            let mut row = vec![
                Cell::text(&p.label),
                Cell::text(p.day.to_string()),
                match &p.state {
                    Snapshot::Register(_) => Cell::opt(p.commit.clone()),
                    Snapshot::NoCommit => Cell::text("no commit yet"),
                    Snapshot::NoRegister => Cell::text("no register"),
                    Snapshot::Unreadable => Cell::text("unreadable"),
                    Snapshot::Truncated => Cell::text("unknown (shallow clone)"),
                },
            ];
            for (i, l) in criteria.levels.iter().enumerate() {
                let v = c
                    .as_ref()
                    .map_or(Cell::null(), |(per, _)| Cell::int(per[i] as i64));
                row.push(v.with_level(level_tag(reg, &l.name)));
            }
            if any_unrated {
                row.push(
                    c.as_ref()
                        .map_or(Cell::null(), |(_, u)| Cell::int(*u as i64)),
                );
            }
            row.push(c.as_ref().map_or(Cell::null(), |(per, u)| {
                Cell::int((per.iter().sum::<usize>() + u) as i64)
            }));
            row
        })
        .collect();
    sections.push(section(
        "trend",
        "Trend: open risks by level",
        Some("The register in force at the end of each month (the last commit on or before that day on the first-parent line), and as of today; levels under today's criteria.".into()),
        Table::new(columns, rows),
    ));
    truncated
}

/// The changes section: new, closed, raised and lowered risks, and SoA changes.
fn changes_section(reg: &Register, risks: &[Rated], ch: &Changes) -> Section {
    let criteria = &reg.config.criteria;
    let columns = vec![
        Column::new("change", "Change"),
        Column::new("id", "ID"),
        Column::wide("title", "Title").drop(1),
        Column::wide("before", "Before").wrapping(),
        Column::wide("after", "After").wrapping(),
    ];
    let standing = |s: &Standing| -> String {
        match (s.score, &s.level) {
            (Some(score), Some(l)) => format!("score {score} ({l})"),
            (Some(score), None) => format!("score {score}"),
            _ => "unrated".into(),
        }
    };
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let note;
    match ch.diff {
        None => {
            note = match &ch.base {
                None => format!(
                    "History has no commit on or before {}: every open risk is new.",
                    ch.since
                ),
                Some((c, d)) => format!(
                    "The commit in force on {} ({c} of {d}) holds no register: every open risk is new.",
                    ch.since
                ),
            };
            for r in risks {
                let s = Standing::of(r.risk, criteria);
                rows.push(vec![
                    Cell::text("new"),
                    Cell::text(&r.risk.id.value),
                    text(&r.risk.title),
                    Cell::null(),
                    Cell::text(standing(&s)),
                ]);
            }
        }
        Some(diff) => {
            note = match &ch.base {
                Some((c, d)) => format!(
                    "From the register in force on {} (commit {c} of {d}) to the register of this report, compared as `airisk diff` does; scores and levels under the criteria of each side.",
                    ch.since
                ),
                None => format!("From the register in force on {}.", ch.since),
            };
            for e in &diff.entities {
                match e.kind {
                    Kind::Risk => {
                        let now = reg.risk(&e.id).map(|r| Standing::of(r, criteria));
                        if let Some(row) = risk_change(e, now.as_ref(), &standing) {
                            rows.push(row);
                        }
                    }
                    Kind::Decision | Kind::Soa => rows.push(soa_change(e)),
                    _ => {}
                }
            }
            let others: Vec<String> = [Kind::System, Kind::Assessment, Kind::Incident]
                .iter()
                .filter_map(|k| diff.tally(*k, k.plural()))
                .collect();
            if !others.is_empty() || diff.config_changed {
                let mut line = others.join("; ");
                if diff.config_changed {
                    if !line.is_empty() {
                        line.push_str("; ");
                    }
                    line.push_str("airisk.toml changed");
                }
                rows.push(vec![
                    Cell::text("other"),
                    Cell::null(),
                    Cell::text(line),
                    Cell::null(),
                    Cell::text("`airisk diff` has the detail"),
                ]);
            }
        }
    }
    section(
        "changes",
        format!("Changes since {}", ch.since),
        Some(note),
        Table::new(columns, rows),
    )
}

fn field<'a>(e: &'a EntityDelta, name: &str) -> Option<&'a FieldChange> {
    e.fields.iter().find(|f| f.field == name)
}

/// A risk's change as the board reads it: new, closed, reopened, removed, raised, lowered.
/// `now` is the risk's standing in the register of the report (for a change that did not
/// move it, such as closing it).
fn risk_change(
    e: &EntityDelta,
    now: Option<&Standing>,
    standing: &dyn Fn(&Standing) -> String,
) -> Option<Vec<Cell>> {
    let closed = |v: &Option<String>| v.as_deref() == Some("closed");
    let status = field(e, "status");
    let (change, before, after) = match e.status {
        Status::Added => {
            let after = e.risk.as_ref().map(|m| standing(&m.after));
            if status.is_some_and(|f| closed(&f.after)) {
                ("new, closed", None, Some("closed".to_string()))
            } else {
                ("new", None, after)
            }
        }
        Status::Removed => ("removed", None, Some("no longer in the register".into())),
        Status::Changed => {
            let m = e.risk.as_ref();
            let was = m.map(|m| &m.before).or(now).map(standing);
            let now = m.map(|m| &m.after).or(now).map(standing);
            match status {
                Some(f) if closed(&f.after) && !closed(&f.before) => {
                    ("closed", was, Some("closed".into()))
                }
                Some(f) if closed(&f.before) && !closed(&f.after) => ("reopened", None, now),
                _ => match m.map(|m| m.score_arrow()) {
                    Some("↑") => ("raised", was, now),
                    Some("↓") => ("lowered", was, now),
                    _ => return None,
                },
            }
        }
    };
    Some(vec![
        Cell::text(change),
        Cell::text(&e.id),
        Cell::opt(e.title.clone()),
        Cell::opt(before),
        Cell::opt(after),
    ])
}

/// An SoA decision (or the SoA's own fields) added, changed or removed.
fn soa_change(e: &EntityDelta) -> Vec<Cell> {
    let tax = Taxonomy::get();
    let (change, id, title) = match e.kind {
        Kind::Soa => ("SoA changed", "SoA".to_string(), None),
        _ => (
            match e.status {
                Status::Added => "SoA decision added",
                Status::Removed => "SoA decision removed",
                Status::Changed => "SoA decision changed",
            },
            e.id.clone(),
            tax.controls()
                .find(|c| c.id == e.id)
                .map(|c| c.title.clone()),
        ),
    };
    let side = |pick: fn(&FieldChange) -> &Option<String>| -> Vec<String> {
        e.fields
            .iter()
            .filter_map(|f| pick(f).as_ref().map(|v| format!("{}: {v}", f.field)))
            .collect()
    };
    let list = |v: Vec<String>| {
        if v.is_empty() {
            Cell::null()
        } else {
            Cell::list(v)
        }
    };
    vec![
        Cell::text(change),
        Cell::text(id),
        Cell::opt(title),
        list(side(|f| &f.before)),
        list(side(|f| &f.after)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        crate::model::time::parse_date(s).unwrap()
    }

    #[test]
    fn twelve_month_ends_before_the_as_of_date() {
        let start = period_start(d("2026-11-01"), None);
        assert_eq!(start, d("2025-11-01"));
        let ends = month_ends(start, d("2026-11-01"));
        assert_eq!(ends.len(), 12);
        assert_eq!(ends[0], d("2025-11-30"));
        assert_eq!(ends[3], d("2026-02-28"));
        assert_eq!(ends[11], d("2026-10-31"));
    }

    #[test]
    fn month_ends_start_at_since_and_stop_before_the_as_of_date() {
        // The as-of date is itself a month end: it is the last point, not a month end.
        let ends = month_ends(d("2026-03-31"), d("2026-06-30"));
        assert_eq!(ends, [d("2026-03-31"), d("2026-04-30"), d("2026-05-31")]);
        let ends = month_ends(d("2026-03-15"), d("2026-04-02"));
        assert_eq!(ends, [d("2026-03-31")]);
        assert!(month_ends(d("2026-04-01"), d("2026-04-20")).is_empty());
        // Leap years.
        assert_eq!(
            month_ends(d("2028-02-01"), d("2028-03-01")),
            [d("2028-02-29")]
        );
    }
}
