//! `soa-control-missing` (error): an ISO/IEC 42001 Annex A control without a decision in
//! soa.yaml. Every one of the 38 controls needs one: applicable (with a status) or excluded,
//! and justified either way. Reported at `controls:` in soa.yaml; without a soa.yaml, once
//! at airisk.toml.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::model::Span;

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(soa) = &cx.reg.soa else {
        out.push(
            Diagnostic::new(Code::SoaControlMissing, Span::file_start(cx.reg.config.file), "the register has no soa.yaml: no Annex A control is decided")
                .help("create soa.yaml with a decision for each of the 38 Annex A controls (`airisk taxonomy controls` lists them)"),
        );
        return;
    };
    if !soa.decisions_read {
        return;
    }
    for c in cx.taxonomy.controls() {
        if cx.reg.decision(&c.id).is_none() {
            out.push(
                Diagnostic::new(Code::SoaControlMissing, soa.controls_key, format!("no SoA decision for {} ({})", c.id, c.title))
                    .subject(c.id.clone())
                    .label(format!("{} is missing here", c.id))
                    .help(format!("add `{}: {{ applicable: true, status: planned, justification: ... }}` or exclude it with a justification", c.id)),
            );
        }
    }
}
