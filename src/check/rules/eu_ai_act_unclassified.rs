//! `eu-ai-act-unclassified` (warning): with the EU AI Act profile on (`[eu_ai_act] applies =
//! true` in airisk.toml), a live system without an `eu_ai_act` block. Reported at the
//! system's `id`: every system of the inventory needs a recorded classification, even
//! `minimal` or `out-of-scope` (docs/eu-ai-act.md).

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    if !cx.reg.config.eu_ai_act.applies {
        return;
    }
    for s in cx.reg.systems.iter().filter(|s| s.is_live()) {
        if s.eu_ai_act.is_some() {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::EuAiActUnclassified,
                s.id.span,
                format!("system `{}` has no EU AI Act classification", s.id.value),
            )
            .label("no `eu_ai_act` block")
            .note("the EU AI Act profile is on (`[eu_ai_act] applies = true` in airisk.toml)")
            .help("add an `eu_ai_act:` block with roles, classification, rationale, assessed and assessed_by (docs/eu-ai-act.md)"),
        );
    }
}
