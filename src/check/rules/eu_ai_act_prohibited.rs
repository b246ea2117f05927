//! `eu-ai-act-prohibited` (error): a live system classified `prohibited` (Art. 5). Reported
//! at `classification`. A prohibited practice may not be placed on the market, put into
//! service or used; retire the system (`lifecycle: retired`) or change what it does and
//! classify it again.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::model::EuClass;

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in cx.reg.systems.iter().filter(|s| s.is_live()) {
        let Some(class) = s.eu_ai_act.as_ref().and_then(|b| b.classification.as_ref()) else {
            continue;
        };
        if class.value != EuClass::Prohibited {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::EuAiActProhibited,
                class.span,
                format!("live system `{}` is classified prohibited", s.id.value),
            )
            .label("an Art. 5 prohibited practice")
            .note("a prohibited practice may not be placed on the market, put into service or used (Art. 5(1))")
            .help("stop it and set `lifecycle: retired`, or change what it does and classify it again"),
        );
    }
}
