//! `control-excluded-but-used` (error): an open risk's treatment or an impact assessment
//! relies on an Annex A control that the SoA excludes (`applicable: false`). Either the
//! exclusion or the reliance is wrong. Reported at the reference, labelled at the decision.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for (control, user) in cx.control_uses() {
        let Some(d) = cx.reg.decision(&control.value) else {
            continue;
        };
        if d.is_excluded() {
            out.push(
                Diagnostic::new(
                    Code::ControlExcludedButUsed,
                    control.span,
                    format!(
                        "`{}` relies on {}, which the SoA excludes",
                        user.value, control.value
                    ),
                )
                .label("relies on an excluded control")
                .with_label(d.control.span, "excluded here")
                .help("include the control in the SoA, or treat the risk with another control"),
            );
        }
    }
}
