//! `fria-missing` (warning): with the EU AI Act profile on and Art. 27 in application (the
//! pack's date for `obl-dep-art27`, or its `[eu_ai_act.dates]` override, on or before the
//! as-of date), a live system the organisation deploys, classified high-risk through an
//! Annex III point that Art. 27 covers — 5(b) creditworthiness or 5(c) life and health
//! insurance; any point except 2 (critical infrastructure) when `[eu_ai_act]
//! public_service = true` — without an impact assessment of that system that says `fria:
//! true`. Reported at the system's `annex_iii` point.
//!
//! Such an assessment meets `obl-dep-art27`, which is therefore reported only here, never
//! also as `obligation-not-met`.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::model::eu_ai_act::Profile;

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let config = &cx.reg.config.eu_ai_act;
    if !config.applies {
        return;
    }
    let profile = Profile {
        pack: &cx.taxonomy.eu_ai_act,
        config,
    };
    let Some(since) = profile.fria_date() else {
        return;
    };
    if since > cx.today {
        return;
    }
    for s in cx.reg.systems.iter().filter(|s| s.is_live()) {
        let Some(b) = &s.eu_ai_act else { continue };
        let Some(point) = &b.annex_iii else { continue };
        if !profile.fria_covers(b) {
            continue;
        }
        let has = cx.reg.assessments.iter().any(|a| {
            a.system.as_ref().is_some_and(|x| x.value == s.id.value)
                && a.fria.as_ref().is_some_and(|f| f.value)
        });
        if has {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::FriaMissing,
                point.span,
                format!(
                    "system `{}` needs a fundamental rights impact assessment (Art. 27) since {since}",
                    s.id.value
                ),
            )
            .label(format!("a deployer of {} owes a FRIA", point.value))
            .note("an impact assessment of this system with `fria: true` meets obligation obl-dep-art27")
            .help("carry out the FRIA and mark its impact assessment `fria: true`"),
        );
    }
}
