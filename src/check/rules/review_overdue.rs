//! `review-overdue` (warning): a review date has passed.
//!
//! - A risk (open) is due `reviewed` + its `review_every`, else the `review_every` of the level
//!   of its current score. An incident linked to the risk (`risks:` of the incident) and dated
//!   after `reviewed` makes the review due on the incident's date.
//! - An impact assessment is due `reviewed` + `[review] assessments_every` (assessments of
//!   retired systems are not reviewed).
//! - The SoA is due `reviewed` + `[review] soa_every`.
//!
//! Due means strictly before the as-of date. Reported at the `reviewed` date. The dates come
//! from `model::schedule`, which `airisk due` lists too.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::model::schedule::{self, ReviewDue};
use crate::model::{Date, Sp};

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for r in cx.open_risks() {
        if let (Some(reviewed), Some(due)) = (&r.reviewed, schedule::risk_review(cx.reg, r)) {
            report(cx, out, &format!("risk `{}`", r.id.value), reviewed, due);
        }
    }
    for a in &cx.reg.assessments {
        if let (Some(reviewed), Some(due)) = (&a.reviewed, schedule::assessment_review(cx.reg, a)) {
            report(
                cx,
                out,
                &format!("impact assessment `{}`", a.id.value),
                reviewed,
                due,
            );
        }
    }
    let soa_reviewed = cx.reg.soa.as_ref().and_then(|s| s.reviewed.as_ref());
    if let (Some(reviewed), Some(due)) = (soa_reviewed, schedule::soa_review(cx.reg)) {
        report(cx, out, "the Statement of Applicability", reviewed, due);
    }
}

fn report(cx: &Ctx, out: &mut Vec<Diagnostic>, what: &str, reviewed: &Sp<Date>, due: ReviewDue) {
    if cx.passed(due.due) {
        out.push(
            Diagnostic::new(
                Code::ReviewOverdue,
                reviewed.span,
                format!("the review of {what} was due {}", due.due),
            )
            .label(due.why)
            .help(format!(
                "review it and set `reviewed:` to the review date (as of {})",
                cx.today
            )),
        );
    }
}
