//! `treatment-incomplete` (error): a treatment with option avoid, mitigate or transfer that
//! lacks `owner`, `due` or `plan`; or an incident's `corrective_action` lacking `plan`,
//! `owner`, `due` or `status`. One finding per treatment, naming everything missing.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::model::{Span, TreatmentOption};

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for r in cx.open_risks() {
        let Some(t) = &r.treatment else { continue };
        let Some(option) = &t.option else { continue };
        if option.value == TreatmentOption::Accept {
            continue;
        }
        let missing = absent(&[
            ("owner", t.owner.is_absent()),
            ("due", t.due.is_absent()),
            ("plan", t.plan.is_absent()),
        ]);
        report(
            out,
            t.span,
            "a treatment needs an owner, a due date and a plan",
            &missing,
            &format!("the `{}` treatment of risk `{}`", option.value, r.id.value),
        );
    }
    for i in &cx.reg.incidents {
        let Some(c) = &i.corrective_action else {
            continue;
        };
        let missing = absent(&[
            ("plan", c.plan.is_absent()),
            ("owner", c.owner.is_absent()),
            ("due", c.due.is_absent()),
            ("status", c.status.is_absent()),
        ]);
        report(
            out,
            c.span,
            "a corrective action needs a plan, an owner, a due date and a status",
            &missing,
            &format!("the corrective action of incident `{}`", i.id.value),
        );
    }
}

fn absent<'a>(fields: &[(&'a str, bool)]) -> Vec<&'a str> {
    fields.iter().filter(|(_, a)| *a).map(|(k, _)| *k).collect()
}

fn report(out: &mut Vec<Diagnostic>, span: Span, help: &str, missing: &[&str], what: &str) {
    if missing.is_empty() {
        return;
    }
    let list = missing
        .iter()
        .map(|m| format!("`{m}`"))
        .collect::<Vec<_>>()
        .join(", ");
    out.push(
        Diagnostic::new(
            Code::TreatmentIncomplete,
            span,
            format!("{what} lacks {list}"),
        )
        .label(format!("missing {list}"))
        .help(help),
    );
}
