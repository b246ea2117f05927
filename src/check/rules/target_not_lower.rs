//! `target-not-lower` (warning): a treatment's `target` score (likelihood x consequence
//! expected after treatment) is not below the current score. A treatment that is not expected
//! to lower the risk is worth a second look. Only while the treatment is not done.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let criteria = &cx.reg.config.criteria;
    for r in cx.open_risks() {
        let Some(t) = &r.treatment else { continue };
        let (Some(target), Some((l, c))) = (&t.target, r.current()) else {
            continue;
        };
        let Some((tl, tc)) = target.pair() else {
            continue;
        };
        if t.is_done() || !criteria.in_range(l, c) || !criteria.in_range(tl, tc) {
            continue;
        }
        let (now, then) = (l * c, tl * tc);
        if then >= now {
            out.push(
                Diagnostic::new(Code::TargetNotLower, target.span, format!("the target score of risk `{}` ({then}) is not below its current score ({now})", r.id.value))
                    .label(format!("target {tl} x {tc} = {then}"))
                    .help("set the target the treatment is expected to reach, or reconsider the treatment"),
            );
        }
    }
}
