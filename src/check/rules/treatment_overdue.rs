//! `treatment-overdue` (warning): a treatment's `due` date has passed (is before the as-of
//! date) and its status is not `done`; the same for an incident's corrective action.
//! Reported at the due date.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::model::TreatmentStatus;

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for r in cx.open_risks() {
        let Some(t) = &r.treatment else { continue };
        let Some(due) = t.due.get() else { continue };
        if cx.passed(due.value) && !t.is_done() {
            out.push(
                Diagnostic::new(
                    Code::TreatmentOverdue,
                    due.span,
                    format!(
                        "the treatment of risk `{}` was due {}",
                        r.id.value, due.value
                    ),
                )
                .label(format!("due date passed (as of {})", cx.today))
                .help("finish it and set `status: done`, or agree a new due date"),
            );
        }
    }
    for i in &cx.reg.incidents {
        let Some(c) = &i.corrective_action else {
            continue;
        };
        let Some(due) = c.due.get() else { continue };
        let done = c
            .status
            .get()
            .is_some_and(|s| s.value == TreatmentStatus::Done);
        if cx.passed(due.value) && !done {
            out.push(
                Diagnostic::new(
                    Code::TreatmentOverdue,
                    due.span,
                    format!(
                        "the corrective action of incident `{}` was due {}",
                        i.id.value, due.value
                    ),
                )
                .label(format!("due date passed (as of {})", cx.today))
                .help("finish it and set `status: done`, or agree a new due date"),
            );
        }
    }
}
