//! `acceptance-above-threshold` (error): a risk accepted with a score above `[criteria]
//! acceptance_threshold` and no `acceptance.exception` saying why treatment is not
//! cost-effective. Above the threshold a risk is treated; acceptance is the justified
//! exception only.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::model::{Criteria, TreatmentOption};

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let threshold = cx.reg.config.criteria.acceptance_threshold;
    for r in cx.open_risks() {
        let Some(option) = r.treatment.as_ref().and_then(|t| t.option.as_ref()) else {
            continue;
        };
        let Some((l, c)) = r.current() else { continue };
        if option.value != TreatmentOption::Accept || !cx.reg.config.criteria.in_range(l, c) {
            continue;
        }
        let score = Criteria::score(l as u32, c as u32);
        let has_exception = r.acceptance.as_ref().is_some_and(|a| a.exception.is_some());
        if score > threshold && !has_exception {
            let assessment_span = r.assessment.as_ref().map(|a| a.span);
            let mut d = Diagnostic::new(
                Code::AcceptanceAboveThreshold,
                option.span,
                format!("risk `{}` is accepted at score {score}, above the acceptance threshold {threshold}", r.id.value),
            )
            .label("accepted above the threshold")
            .help("treat the risk, or record in `acceptance.exception` why treatment is not cost-effective");
            if let Some(s) = assessment_span {
                d = d.with_label(s, format!("likelihood {l} x consequence {c} = {score}"));
            }
            out.push(d);
        }
    }
}
