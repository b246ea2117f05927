//! `acceptance-incomplete` (error): treatment option `accept` without an `acceptance` block,
//! or with one lacking `rationale`, `approved_by` or `date`. An accepted risk is a decision
//! someone made, for a reason, on a day; the record must say all three.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::model::TreatmentOption;

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for r in cx.open_risks() {
        let Some(option) = r.treatment.as_ref().and_then(|t| t.option.as_ref()) else {
            continue;
        };
        if option.value != TreatmentOption::Accept {
            continue;
        }
        let Some(a) = &r.acceptance else {
            out.push(
                Diagnostic::new(
                    Code::AcceptanceIncomplete,
                    option.span,
                    format!(
                        "risk `{}` is accepted without an acceptance record",
                        r.id.value
                    ),
                )
                .label("`accept` needs an `acceptance` block")
                .help("add `acceptance: { rationale: ..., approved_by: ..., date: YYYY-MM-DD }`"),
            );
            continue;
        };
        let missing: Vec<&str> = [
            ("rationale", a.rationale.is_absent()),
            ("approved_by", a.approved_by.is_absent()),
            ("date", a.date.is_absent()),
        ]
        .into_iter()
        .filter_map(|(k, absent)| absent.then_some(k))
        .collect();
        if !missing.is_empty() {
            let list = missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(
                Diagnostic::new(Code::AcceptanceIncomplete, a.span, format!("the acceptance of risk `{}` lacks {list}", r.id.value))
                    .label(format!("missing {list}"))
                    .help("an acceptance records why (`rationale`), who (`approved_by`) and when (`date`)"),
            );
        }
    }
}
