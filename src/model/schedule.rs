//! When things are due: risk, assessment and SoA reviews (with the incident trigger of SPEC
//! §6). One place, so the `review-overdue` rule and the `due` list always agree.

use super::{Assessment, Date, Duration, Register, Risk};

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
