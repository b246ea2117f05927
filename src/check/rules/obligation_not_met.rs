//! `obligation-not-met` (warning): with the EU AI Act profile on, an obligation the pack
//! assigns to a live system's roles and classification (or an Art. 50 duty its block lists)
//! whose application date has arrived — on or before the as-of date — and that is absent
//! from the block's `obligations`, or recorded but not `done`. `not-applicable` counts as met
//! only with a `rationale`.
//!
//! The application date is the pack's date for the obligation's key (the system's route
//! picks the Annex III or the Annex I date; the earlier when it has both), or the date
//! `[eu_ai_act.dates]` sets for that key. A key the pack leaves undated (`unknown`: Arts
//! 72/73 and 86) uses the high-risk date of the system's route, as the pack's
//! `practical_date_keys` say; the message says so. Art. 27 (`obl-dep-art27`) is reported only
//! by `fria-missing`.
//!
//! Reported at the recorded status, or, for an absent obligation, at the block's
//! `obligations:` key (or the `eu_ai_act:` key when it has none).

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::model::ObligationStatus;
use crate::model::eu_ai_act::{ART27, Profile};

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let config = &cx.reg.config.eu_ai_act;
    if !config.applies {
        return;
    }
    let profile = Profile {
        pack: &cx.taxonomy.eu_ai_act,
        config,
    };
    for s in cx.reg.systems.iter().filter(|s| s.is_live()) {
        let Some(b) = &s.eu_ai_act else { continue };
        for o in profile.obligations(b) {
            if o.id == ART27 {
                continue;
            }
            let Some(date) = o.applies.date else { continue };
            if date > cx.today {
                continue;
            }
            let record = b.record(o.id);
            if record.is_some_and(|r| r.is_met()) {
                continue;
            }
            let caveat = o
                .applies
                .caveat
                .as_ref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default();
            let head = format!(
                "{} ({}) applies to system `{}` since {date}{caveat}",
                o.id, o.article, s.id.value
            );
            let d = match record {
                None => Diagnostic::new(
                    Code::ObligationNotMet,
                    b.obligations_key.unwrap_or(b.span),
                    format!("{head} and has no status"),
                )
                .label(format!("no entry for `{}`", o.id)),
                Some(r) => {
                    let (span, what) = match &r.status {
                        Some(st) if st.value == ObligationStatus::NotApplicable => {
                            (st.span, "not-applicable without a rationale".to_string())
                        }
                        Some(st) => (st.span, st.value.to_string()),
                        None => (r.id.span, "no readable status".to_string()),
                    };
                    Diagnostic::new(
                        Code::ObligationNotMet,
                        span,
                        format!("{head} and is not met"),
                    )
                    .label(what)
                }
            };
            out.push(
                d.note(format!("{}: {}", o.article, o.summary))
                    .help(format!(
                        "meet it and record `{}: {{ status: done, evidence: [...] }}` under `obligations:`, or `status: not-applicable` with a `rationale`",
                        o.id
                    )),
            );
        }
    }
}
