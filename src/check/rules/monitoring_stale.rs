//! `monitoring-stale` (warning): a monitor with `every` on a live system whose latest reading
//! is older than `every` on the as-of date, or that has no reading at all (SPEC §9: manual
//! monitoring at scale produces stale data). Reported at the monitor's `id` (or, for a
//! monitor without one, which no reading can name, at its `every`).
//!
//! A reading of day D with `every: 1 month` keeps the monitor fresh until D + 1 month; the
//! day after, it is stale. `airisk due` lists the same dates (`model::schedule`).
//!
//! Fix: record a reading (`airisk monitor add`, or the pipeline's `airisk monitor import`),
//! or, if the signal is no longer watched, remove `every`.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::model::schedule;

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for s in cx.reg.systems.iter().filter(|s| s.is_live()) {
        for m in &s.monitoring {
            let (Some(every), Some(next)) = (&m.every, schedule::next_reading(m)) else {
                continue;
            };
            let name = match &m.id {
                Some(id) => format!("monitor `{}/{}`", s.id.value, id.value),
                None => format!("a monitor of `{}` without an id", s.id.value),
            };
            let at = m.id.as_ref().map_or(every.span, |i| i.span);
            let d = match (next, &m.series.latest) {
                (Some(due), Some(p)) if cx.passed(due) => Diagnostic::new(
                    Code::MonitoringStale,
                    at,
                    format!(
                        "{name} is stale: its latest reading is of {}, and it is read every {}",
                        p.at.day, every.value
                    ),
                )
                .label(format!("a reading was due by {due}"))
                .with_label(p.span, "the latest reading"),
                (None, None) => Diagnostic::new(
                    Code::MonitoringStale,
                    at,
                    format!(
                        "{name} has no reading, and it is read every {}",
                        every.value
                    ),
                )
                .label("no reading names this monitor"),
                _ => continue,
            };
            let help = if m.id.is_some() {
                format!(
                    "record a reading: `airisk monitor add {} {} VALUE` (or import the pipeline's output)",
                    s.id.value,
                    m.id.as_ref().map_or("", |i| i.value.as_str())
                )
            } else {
                "give the monitor an `id`, so that readings can name it".to_string()
            };
            out.push(d.help(help));
        }
    }
}
