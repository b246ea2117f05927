//! `date-in-future` (warning): a date that records something done — a `reviewed` date (of a
//! risk, an impact assessment, the SoA), the `date` of an impact assessment or an incident, an
//! acceptance's `date`, the day an incident became known (`aware`), the day a system's EU AI
//! Act classification was made (`eu_ai_act.assessed`) — after the as-of date. A review cannot have happened tomorrow: the
//! date is a typo (`2062` for `2026`) or written ahead, and a review date in the future hides
//! the risk from `review-overdue` until then. Dates that are plans (a treatment's `due`, an
//! acceptance's `expires`) may lie in the future and are not checked. Closed risks are
//! checked for format and references only, so their dates are not either.
//!
//! Reported at the date, naming the as-of date; the same day is not in the future.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::model::{Date, Sp};

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let mut future = |date: Option<&Sp<Date>>, what: String| {
        let Some(d) = date.filter(|d| d.value > cx.today) else {
            return;
        };
        out.push(
            Diagnostic::new(
                Code::DateInFuture,
                d.span,
                format!("{what} is {}, after today ({})", d.value, cx.today),
            )
            .label("in the future")
            .help("write the day it happened (a typo in the year?); `--as-of` sets the day `check` counts as today"),
        );
    };
    for r in cx.open_risks() {
        let id = &r.id.value;
        future(
            r.reviewed.as_ref(),
            format!("the review date of risk `{id}`"),
        );
        if let Some(a) = &r.acceptance {
            future(a.date.get(), format!("the acceptance date of risk `{id}`"));
        }
    }
    for a in &cx.reg.assessments {
        let id = &a.id.value;
        future(
            a.date.as_ref(),
            format!("the date of impact assessment `{id}`"),
        );
        future(
            a.reviewed.as_ref(),
            format!("the review date of impact assessment `{id}`"),
        );
    }
    for i in &cx.reg.incidents {
        future(
            i.date.as_ref(),
            format!("the date of incident `{}`", i.id.value),
        );
        future(
            i.aware.as_ref(),
            format!("the day incident `{}` became known", i.id.value),
        );
    }
    for s in &cx.reg.systems {
        if let Some(eu) = &s.eu_ai_act {
            future(
                eu.assessed.as_ref(),
                format!(
                    "the EU AI Act classification date of system `{}`",
                    s.id.value
                ),
            );
        }
    }
    if let Some(s) = &cx.reg.soa {
        future(
            s.reviewed.as_ref(),
            "the review date of the Statement of Applicability".into(),
        );
    }
}
