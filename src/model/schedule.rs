//! When things are due: risk, assessment and SoA reviews (with the incident trigger of SPEC
//! §6 and the monitoring trigger of §9), and monitors' next readings. One place, so the
//! `review-overdue` and `monitoring-stale` rules and the `due` list always agree.

use super::{Assessment, Date, Duration, Monitoring, Register, Risk};
use crate::kinds::Kind;

/// A review's due date and why it falls then.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewDue {
    pub due: Date,
    pub reviewed: Date,
    pub why: String,
}

/// The next review of an open risk: `reviewed` + its `review_every` (else its level's
/// interval), or the date of a linked incident after `reviewed`, whichever is earlier.
pub fn risk_review(reg: &Register, risk: &Risk) -> Option<ReviewDue> {
    let reviewed = risk.reviewed.as_ref()?.value;
    let every = reg.review_interval(risk)?;
    let mut due = every.after(reviewed);
    let mut why = format!("reviewed {reviewed}, every {every}");
    let trigger = reg
        .incidents_of(&risk.id.value)
        .filter_map(|i| i.date.as_ref().map(|d| (d.value, &i.id.value)))
        .filter(|(d, _)| *d > reviewed)
        .min();
    if let Some((date, id)) = trigger
        && due.is_none_or(|d| date < d)
    {
        due = Some(date);
        why = format!("incident `{id}` on {date} came after the review of {reviewed}");
    }
    if let Some((date, system, monitor, value)) = breach_after(reg, &risk.id.value, reviewed)
        && due.is_none_or(|d| date < d)
    {
        due = Some(date);
        why = format!(
            "monitor `{system}/{monitor}` breached its threshold on {date} ({value}), after the review of {reviewed}"
        );
    }
    Some(ReviewDue {
        due: due?,
        reviewed,
        why,
    })
}

/// The next review of an impact assessment; none for assessments of retired systems.
pub fn assessment_review(reg: &Register, a: &Assessment) -> Option<ReviewDue> {
    let retired = a
        .system
        .as_ref()
        .and_then(|s| reg.system(&s.value))
        .is_some_and(|s| !s.is_live());
    if retired {
        return None;
    }
    interval(
        a.reviewed.as_ref()?.value,
        reg.config.review.assessments_every,
    )
}

/// The next review of the Statement of Applicability.
pub fn soa_review(reg: &Register) -> Option<ReviewDue> {
    let reviewed = reg.soa.as_ref()?.reviewed.as_ref()?.value;
    interval(reviewed, reg.config.review.soa_every)
}

fn interval(reviewed: Date, every: Duration) -> Option<ReviewDue> {
    Some(ReviewDue {
        due: every.after(reviewed)?,
        reviewed,
        why: format!("reviewed {reviewed}, every {every}"),
    })
}

/// The earliest breaching reading, dated after `reviewed`, of a monitor that links risk `id`
/// (`risks:` of the monitor): its day, system, monitor and value.
pub fn breach_after<'r>(
    reg: &'r Register,
    id: &str,
    reviewed: Date,
) -> Option<(Date, &'r str, &'r str, String)> {
    let mut systems = reg.symbols.named_by(Kind::Risk, id, Kind::System);
    systems.dedup();
    systems
        .into_iter()
        .filter_map(|i| reg.systems.get(i))
        .flat_map(|s| s.monitoring.iter().map(move |m| (s, m)))
        .filter(|(_, m)| m.risks.iter().any(|r| r.value == id))
        .filter_map(|(s, m)| {
            let p = m.series.first_breach_after(reviewed)?;
            Some((
                (p.at, p.span.file, p.span.range().start),
                p.at.day,
                s.id.value.as_str(),
                m.id.as_ref()?.value.as_str(),
                super::monitoring::number(p.value),
            ))
        })
        .min_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, d, s, m, v)| (d, s, m, v))
}

/// A monitor's next reading: due `every` after its latest one, or at once (`None`) when it
/// has none. Only for monitors with `every`.
pub fn next_reading(m: &Monitoring) -> Option<Option<Date>> {
    let every = m.every.as_ref()?.value;
    Some(m.series.latest.as_ref().and_then(|p| every.after(p.at.day)))
}
