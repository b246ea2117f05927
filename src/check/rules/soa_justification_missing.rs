//! `soa-justification-missing` (error): an SoA decision without `justification`. ISO/IEC
//! 42001 (6.1.3) asks for the justification of inclusion as much as of exclusion.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(soa) = &cx.reg.soa else { return };
    for d in soa.decisions.iter().filter(|d| d.justification.is_absent()) {
        let why = if d.is_excluded() {
            "exclusion"
        } else {
            "inclusion"
        };
        out.push(
            Diagnostic::new(
                Code::SoaJustificationMissing,
                d.control.span,
                format!(
                    "the SoA decision for {} has no justification",
                    d.control.value
                ),
            )
            .label(format!("no justification of its {why}"))
            .help("add `justification: ...`"),
        );
    }
}
