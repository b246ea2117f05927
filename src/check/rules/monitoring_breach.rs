//! `monitoring-breach` (warning): the latest reading of a monitor of a live system fails its
//! threshold. Only a threshold written as a comparison (`>= 0.62`, `< 5%`: SPEC §9) is
//! evaluated; `5%` is the number 0.05. Reported at the value's cell in the reading file, with
//! a label at the threshold.
//!
//! A breaching reading dated after the `reviewed` date of a risk the monitor links
//! (`risks:`) also makes that risk's review due on the reading's day: that is
//! `review-overdue` on the risk (`model::schedule`, which `airisk due` lists too), as for an
//! incident. The trigger stays after a later reading is back within the threshold: the
//! breach happened, and someone must look at the risk again.
//!
//! Fix: act on the signal (retrain, roll back, review the linked risks); the finding goes
//! when a newer reading passes.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::model::monitoring::number;

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in cx.reg.systems.iter().filter(|s| s.is_live()) {
        for m in &s.monitoring {
            let (Some(id), Some(t), Some(p)) = (&m.id, &m.comparison, &m.series.latest) else {
                continue;
            };
            if t.passes(p.value) {
                continue;
            }
            let mut d = Diagnostic::new(
                Code::MonitoringBreach,
                p.span,
                format!(
                    "monitor `{}/{}` is in breach: its latest reading, {} on {}, fails `{t}`",
                    s.id.value,
                    id.value,
                    number(p.value),
                    p.at
                ),
            )
            .label("the latest reading");
            if let Some(text) = &m.threshold {
                d = d.with_label(text.span, "the threshold");
            }
            let risks: Vec<String> = m.risks.iter().map(|r| format!("`{}`", r.value)).collect();
            d = d.help(if risks.is_empty() {
                "act on the signal (retrain, roll back or review the risks it bears on); the finding goes when a newer reading passes".to_string()
            } else {
                format!(
                    "act on the signal and review {}; the finding goes when a newer reading passes",
                    risks.join(", ")
                )
            });
            out.push(d);
        }
    }
}
