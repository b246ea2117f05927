//! `waiver-expired` (warning): a waiver of `waivers.yaml` whose `expires` date has passed. It
//! waives nothing any more: the findings it waived are reported again beside this one. Review
//! the exception: renew it (a new `date`, `expires` and approval) or fix what it excused.
//! The same rule reports a waiver whose `target` is neither an entity id (system, risk,
//! impact assessment, incident, Annex A control, person, role) nor the path of a register
//! file, as `unknown-reference`.

use crate::check::Ctx;
use crate::check::waivers::target_exists;
use crate::diag::{Code, Diagnostic};

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(file) = &cx.reg.waivers else {
        return;
    };
    for w in &file.waivers {
        let what = match (&w.rule, &w.target) {
            (Some(r), Some(t)) => format!("the waiver of `{}` for `{}`", r.value, t.value),
            _ => "the waiver".to_string(),
        };
        if let Some(expires) = &w.expires
            && cx.passed(expires.value)
        {
            out.push(
                Diagnostic::new(Code::WaiverExpired, expires.span, format!("{what} expired on {}: the findings it waived are reported again", expires.value))
                    .label(format!("expired (as of {})", cx.today))
                    .help("review the exception: renew it with a new date, expiry and approver, or fix what it excused and remove it"),
            );
        }
    }
}

/// `unknown-reference` for a waiver target that names nothing (run by `unknown-reference`).
pub fn unknown_targets(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(file) = &cx.reg.waivers else {
        return;
    };
    for t in file.waivers.iter().filter_map(|w| w.target.as_ref()) {
        if !target_exists(cx.reg, cx.sources, &t.value) {
            let ids = crate::check::waivers::TARGET_KINDS
                .iter()
                .flat_map(|k| cx.reg.symbols.ids(*k));
            let help = match crate::diag::did_you_mean(&t.value, ids) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "a target is the subject of the findings it waives: an entity id (`R-001`, `credit-scoring`, `A.2.2`, a person key) or a path relative to the register (`risks/R-001.yaml`)".to_string(),
            };
            out.push(
                Diagnostic::new(
                    Code::UnknownReference,
                    t.span,
                    format!(
                        "the waiver's target `{}` is no entity and no file of the register",
                        t.value
                    ),
                )
                .label("nothing has this id or path")
                .help(help),
            );
        }
    }
}
