//! `treatment-required` (error): an open risk without a `treatment` block. Every open risk
//! needs a decision — treat it (avoid, mitigate, transfer) or accept it — whatever its score
//! (Clause 6.1.3). Reported at the risk's id.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for r in cx.open_risks().filter(|r| r.treatment.is_none()) {
        out.push(
            Diagnostic::new(
                Code::TreatmentRequired,
                r.id.span,
                format!("risk `{}` has no treatment decision", r.id.value),
            )
            .label("open risk without `treatment`")
            .help("add `treatment:` with `option: avoid | mitigate | transfer | accept`"),
        );
    }
}
