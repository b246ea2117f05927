//! `assessment-missing` (warning): a live system of criticality `high` or `critical` without
//! an AI system impact assessment (Clause 6.1.4) in assessments/. Reported at the system's id.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::model::Criticality;
use std::collections::HashSet;

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let assessed: HashSet<&str> = cx
        .reg
        .assessments
        .iter()
        .filter_map(|a| a.system.as_ref())
        .map(|s| s.value.as_str())
        .collect();
    for s in cx.reg.systems.iter().filter(|s| s.is_live()) {
        let Some(c) = &s.criticality else { continue };
        if !matches!(c.value, Criticality::High | Criticality::Critical)
            || assessed.contains(s.id.value.as_str())
        {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::AssessmentMissing,
                s.id.span,
                format!(
                    "system `{}` is of {} criticality but has no impact assessment",
                    s.id.value, c.value
                ),
            )
            .label("no file in assessments/ names this system")
            .with_label(c.span, "criticality")
            .help("add an impact assessment: assessments/IA-NNN.yaml with `system: ` this id"),
        );
    }
}
