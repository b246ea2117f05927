//! `control-without-risk` (warning): an applicable control that no open risk's treatment and
//! no impact assessment uses. A control is included because a risk needs it; one that nothing
//! uses has an inclusion the register cannot explain. Reported at the SoA decision.
//!
//! Silent while the register has no risk and no impact assessment at all (a register just
//! begun, as `init --blank` writes it): every applicable control would be reported, which
//! says nothing about any one of them. From the first risk or assessment on, open or closed,
//! it applies in full (docs/design.md, "control-without-risk in a register just begun").

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use std::collections::HashSet;

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(soa) = &cx.reg.soa else { return };
    if cx.reg.risks.is_empty() && cx.reg.assessments.is_empty() {
        return;
    }
    let used: HashSet<&str> = cx.control_uses().map(|(c, _)| c.value.as_str()).collect();
    for d in soa.decisions.iter().filter(|d| d.is_applicable()) {
        if !used.contains(d.control.value.as_str()) {
            out.push(
                Diagnostic::new(Code::ControlWithoutRisk, d.control.span, format!("{} is applicable but no risk or impact assessment uses it", d.control.value))
                    .label("applicable, unused")
                    .help("name it in a treatment's `controls` or an impact's `controls`, or reconsider the inclusion"),
            );
        }
    }
}
