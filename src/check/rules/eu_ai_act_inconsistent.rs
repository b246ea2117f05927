//! `eu-ai-act-inconsistent` (error): a system's EU AI Act classification that contradicts
//! itself, reported at the offending field:
//!
//! - `classification: high-risk` with neither `annex_iii` nor `annex_i` (at `classification`):
//!   a high-risk system is high-risk through a route;
//! - an `annex_iii` point with a `classification` other than `high-risk` (or `prohibited`) and
//!   no `derogation` (at `classification`): an Annex III system is high-risk unless Art. 6(3)
//!   applies;
//! - a `derogation` with `profiling: true` (at `profiling`): an Annex III system that profiles
//!   natural persons is always high-risk (Art. 6(3) third subparagraph);
//! - a `derogation` without an `annex_iii` point, or on a system classified `high-risk` (at
//!   `derogation`): the derogation exists only to take an Annex III system out of high-risk.
//!
//! An unknown point, act or duty id is `unknown-reference` (with "did you mean"). The rule
//! checks every block, whether the profile is on or not: a contradiction is one either way.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::model::{EuAiAct, EuClass, System};

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in &cx.reg.systems {
        if let Some(b) = &s.eu_ai_act {
            block(s, b, out);
        }
    }
}

fn block(s: &System, b: &EuAiAct, out: &mut Vec<Diagnostic>) {
    let id = &s.id.value;
    let Some(class) = &b.classification else {
        return;
    };
    let routed = b.annex_iii.is_some() || b.annex_i.is_some();
    if class.value == EuClass::HighRisk && !routed {
        out.push(
            Diagnostic::new(
                Code::EuAiActInconsistent,
                class.span,
                format!("system `{id}` is classified high-risk without a route"),
            )
            .label("high-risk, but neither `annex_iii` nor `annex_i`")
            .help("name the Annex III point (`annex_iii: annex-iii-5-b`) or the Annex I act (`annex_i: annex-i-a-11`) it is high-risk through"),
        );
    }
    if let Some(point) = &b.annex_iii
        && !matches!(class.value, EuClass::HighRisk | EuClass::Prohibited)
        && b.derogation.is_none()
    {
        out.push(
            Diagnostic::new(
                Code::EuAiActInconsistent,
                class.span,
                format!(
                    "system `{id}` falls under {} but is classified {}",
                    point.value, class.value
                ),
            )
            .label(format!("{} without an Art. 6(3) derogation", class.value))
            .with_label(point.span, "an Annex III point")
            .help("an Annex III system is high-risk: classify it `high-risk`, or record the Art. 6(3) `derogation` with its condition and rationale"),
        );
    }
    if let Some(d) = &b.derogation {
        if let Some(p) = &b.profiling
            && p.value
        {
            out.push(
                Diagnostic::new(
                    Code::EuAiActInconsistent,
                    p.span,
                    format!("system `{id}` profiles natural persons but claims an Art. 6(3) derogation"),
                )
                .label("profiling voids the derogation")
                .with_label(d.span, "the derogation")
                .note("an Annex III system that profiles natural persons is always high-risk (Art. 6(3), third subparagraph)")
                .help("classify it `high-risk` and remove the derogation"),
            );
        }
        if b.annex_iii.is_none() {
            out.push(
                Diagnostic::new(
                    Code::EuAiActInconsistent,
                    d.span,
                    format!("system `{id}` has an Art. 6(3) derogation but no Annex III point"),
                )
                .label("a derogation from which Annex III point?")
                .help("name the `annex_iii` point the system would fall under, or remove the derogation"),
            );
        } else if class.value == EuClass::HighRisk {
            out.push(
                Diagnostic::new(
                    Code::EuAiActInconsistent,
                    d.span,
                    format!(
                        "system `{id}` is classified high-risk and claims an Art. 6(3) derogation"
                    ),
                )
                .label("the derogation says it is not high-risk")
                .with_label(class.span, "high-risk")
                .help(
                    "remove the derogation, or classify the system by it (`limited` or `minimal`)",
                ),
            );
        }
    }
}
