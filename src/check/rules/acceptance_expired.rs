//! `acceptance-expired` (error): an accepted risk whose `acceptance.expires` date has passed.
//! The acceptance lapsed: review the risk and renew (re-date) or change the decision.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::model::TreatmentOption;

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for r in cx.open_risks() {
        let accepted = r
            .treatment
            .as_ref()
            .and_then(|t| t.option.as_ref())
            .is_some_and(|o| o.value == TreatmentOption::Accept);
        let Some(expires) = r.acceptance.as_ref().and_then(|a| a.expires.as_ref()) else {
            continue;
        };
        if accepted && cx.passed(expires.value) {
            out.push(
                Diagnostic::new(Code::AcceptanceExpired, expires.span, format!("the acceptance of risk `{}` expired on {}", r.id.value, expires.value))
                    .label(format!("expired (as of {})", cx.today))
                    .help("review the risk; renew the acceptance with a new date and approver, or treat it"),
            );
        }
    }
}
