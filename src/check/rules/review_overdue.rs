//! `review-overdue` (warning): a review date has passed.
//!
//! - A risk (open) is due `reviewed` + its `review_every`, else the `review_every` of the level
//!   of its current score. An incident linked to the risk (`risks:` of the incident) and dated
//!   after `reviewed` makes the review due on the incident's date.
//! - An impact assessment is due `reviewed` + `[review] assessments_every` (assessments of
//!   retired systems are not reviewed).
//! - The SoA is due `reviewed` + `[review] soa_every`.
//!
//! Due means strictly before the as-of date. Reported at the `reviewed` date.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::model::{Date, Duration, Sp};

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for r in cx.open_risks() {
        let Some(reviewed) = &r.reviewed else {
            continue;
        };
        let Some(every) = cx.reg.review_interval(r) else {
            continue;
        };
        let mut due = every.after(reviewed.value);
        let mut why = format!("reviewed {}, every {every}", reviewed.value);
        let trigger = cx
            .reg
            .incidents
            .iter()
            .filter(|i| i.risks.iter().any(|x| x.value == r.id.value))
            .filter_map(|i| i.date.as_ref().map(|d| (d.value, &i.id.value)))
            .filter(|(d, _)| *d > reviewed.value)
            .min();
        if let Some((date, id)) = trigger
            && due.is_none_or(|d| date < d)
        {
            due = Some(date);
            why = format!(
                "incident `{id}` on {date} came after the review of {}",
                reviewed.value
            );
        }
        report(
            cx,
            out,
            &format!("risk `{}`", r.id.value),
            reviewed,
            due,
            why,
        );
    }
    for a in &cx.reg.assessments {
        let retired = a
            .system
            .as_ref()
            .and_then(|s| cx.index.systems.get(s.value.as_str()))
            .is_some_and(|s| !s.is_live());
        if let (Some(reviewed), false) = (&a.reviewed, retired) {
            let every = cx.reg.config.review.assessments_every;
            interval(
                cx,
                out,
                &format!("impact assessment `{}`", a.id.value),
                reviewed,
                every,
            );
        }
    }
    if let Some(reviewed) = cx.reg.soa.as_ref().and_then(|s| s.reviewed.as_ref()) {
        interval(
            cx,
            out,
            "the Statement of Applicability",
            reviewed,
            cx.reg.config.review.soa_every,
        );
    }
}

fn interval(cx: &Ctx, out: &mut Vec<Diagnostic>, what: &str, reviewed: &Sp<Date>, every: Duration) {
    let why = format!("reviewed {}, every {every}", reviewed.value);
    report(cx, out, what, reviewed, every.after(reviewed.value), why);
}

fn report(
    cx: &Ctx,
    out: &mut Vec<Diagnostic>,
    what: &str,
    reviewed: &Sp<Date>,
    due: Option<Date>,
    why: String,
) {
    let Some(due) = due else { return };
    if cx.passed(due) {
        out.push(
            Diagnostic::new(
                Code::ReviewOverdue,
                reviewed.span,
                format!("the review of {what} was due {due}"),
            )
            .label(why)
            .help(format!(
                "review it and set `reviewed:` to the review date (as of {})",
                cx.today
            )),
        );
    }
}
