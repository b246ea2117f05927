//! `incident-report-overdue` (error): with the EU AI Act profile on, a serious incident
//! (`serious: true`) of a high-risk system the organisation provides (role `provider`, or
//! `product-manufacturer` of an Annex I product), of which it became `aware` on or after the
//! day Art. 73 applies to that system, and that was not `reported` within the Art. 73
//! deadline after `aware`: 15 days, 10 for a death (`harm: death`), 2 for critical
//! infrastructure (`harm: critical-infrastructure`). The deadline has passed when the as-of
//! date is after it and nothing is reported, or when `reported` is after it.
//!
//! The pack dates Arts 72/73 `unknown`: the system's high-risk date (Annex III 2027-12-02,
//! Annex I 2028-08-02, or its `[eu_ai_act.dates]` override) is used, as the pack's
//! `practical_date_keys` say. Before that day the deadline is shown in `airisk due` only.
//! Without `aware`, the incident's `date` starts the clock. Reported at `reported`, else at
//! `aware` (or `serious`).

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::model::eu_ai_act::Profile;
use crate::model::{EuClass, EuRole, Harm};
use chrono::Days;

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let config = &cx.reg.config.eu_ai_act;
    if !config.applies {
        return;
    }
    let profile = Profile {
        pack: &cx.taxonomy.eu_ai_act,
        config,
    };
    for i in cx.reg.incidents.iter().filter(|i| i.is_serious()) {
        let Some(sys) = i.system.as_ref().and_then(|s| cx.reg.system(&s.value)) else {
            continue;
        };
        let Some(b) = &sys.eu_ai_act else { continue };
        let provides = b.has_role(EuRole::Provider)
            || (b.annex_i.is_some() && b.has_role(EuRole::ProductManufacturer));
        if b.class() != Some(EuClass::HighRisk) || !provides {
            continue;
        }
        let Some(since) = profile.high_risk_date(b) else {
            continue;
        };
        let Some(aware) = i.aware.as_ref().or(i.date.as_ref()) else {
            continue;
        };
        if aware.value < since {
            continue;
        }
        let harm = i.harm.as_ref().map(|h| h.value);
        let days = profile.report_days(harm);
        let Some(deadline) = aware.value.checked_add_days(Days::new(days.into())) else {
            continue;
        };
        let late = match &i.reported {
            Some(r) => r.value > deadline,
            None => cx.today > deadline,
        };
        if !late {
            continue;
        }
        let why = match harm {
            Some(Harm::Death) => "a death",
            Some(Harm::CriticalInfrastructure) => "critical infrastructure",
            _ => "a serious incident",
        };
        let at = i
            .reported
            .as_ref()
            .map(|r| r.span)
            .or(i.aware.as_ref().map(|a| a.span))
            .or(i.serious.as_ref().map(|s| s.span))
            .unwrap_or(i.id.span);
        let label = match &i.reported {
            Some(r) => format!("reported {}, after the deadline", r.value),
            None => "not reported".to_string(),
        };
        out.push(
            Diagnostic::new(
                Code::IncidentReportOverdue,
                at,
                format!(
                    "serious incident `{}` of `{}` had to be reported by {deadline} ({days} days after awareness on {}, for {why})",
                    i.id.value, sys.id.value, aware.value
                ),
            )
            .label(label)
            .note(format!(
                "Art. 73 applies to this system from {since} (the pack dates Arts 72/73 unknown; the system's high-risk date is used)"
            ))
            .help("report it to the market surveillance authority and record `reported: DATE`; an incomplete initial report may come first (Art. 73(5))"),
        );
    }
}
