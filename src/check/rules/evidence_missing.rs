//! `evidence-missing` (error): a treatment with status `done`, or an SoA control with status
//! `implemented`, without `evidence` (an empty list counts as none). An auditor asks "show
//! me"; the register must point at the proof. Reported at the status.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::model::{Field, SoaStatus};

fn has_none<T>(evidence: &Field<Vec<T>>) -> bool {
    match evidence {
        Field::Absent => true,
        Field::Invalid => false,
        Field::Ok(v) => v.is_empty(),
    }
}

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for r in cx.open_risks() {
        let Some(t) = &r.treatment else { continue };
        let Some(status) = t.status.as_ref().filter(|_| t.is_done()) else {
            continue;
        };
        if has_none(&t.evidence) {
            out.push(
                Diagnostic::new(
                    Code::EvidenceMissing,
                    status.span,
                    format!(
                        "the treatment of risk `{}` is done but names no evidence",
                        r.id.value
                    ),
                )
                .label("done, without evidence")
                .help("add `evidence: [path/in/register.md]` or a URL"),
            );
        }
    }
    let Some(soa) = &cx.reg.soa else { return };
    for d in &soa.decisions {
        let implemented = d
            .status
            .as_ref()
            .is_some_and(|s| s.value == SoaStatus::Implemented);
        if implemented && d.is_applicable() && has_none(&d.evidence) {
            out.push(
                Diagnostic::new(
                    Code::EvidenceMissing,
                    d.control.span,
                    format!(
                        "control {} is implemented but names no evidence",
                        d.control.value
                    ),
                )
                .label("implemented, without evidence")
                .help("add `evidence: [path/in/register.md]` or a URL to the decision"),
            );
        }
    }
}
