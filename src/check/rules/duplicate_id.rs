//! `duplicate-id` (error): two entities of one kind share an id. Ids are unique within their
//! kind across the register (a system and a risk may share one). Reported at the later file
//! in path order, with a label at the first.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::model::Sp;
use std::collections::HashMap;

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let r = cx.reg;
    kind(cx, "system", r.systems.iter().map(|s| &s.id), out);
    kind(cx, "risk", r.risks.iter().map(|x| &x.id), out);
    kind(
        cx,
        "impact assessment",
        r.assessments.iter().map(|x| &x.id),
        out,
    );
    kind(cx, "incident", r.incidents.iter().map(|x| &x.id), out);
}

fn kind<'a>(
    cx: &Ctx,
    what: &str,
    ids: impl Iterator<Item = &'a Sp<String>>,
    out: &mut Vec<Diagnostic>,
) {
    let mut ids: Vec<&Sp<String>> = ids.filter(|i| !i.value.is_empty()).collect();
    ids.sort_by(|a, b| {
        cx.sources
            .path(a.span.file)
            .cmp(cx.sources.path(b.span.file))
            .then(a.span.start.cmp(&b.span.start))
    });
    let mut first: HashMap<&str, &Sp<String>> = HashMap::new();
    for id in ids {
        match first.get(id.value.as_str()) {
            None => {
                first.insert(&id.value, id);
            }
            Some(prev) => out.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    id.span,
                    format!("duplicate {what} id `{}`", id.value),
                )
                .label("used again here")
                .with_label(prev.span, "first used here")
                .help(format!("give each {what} its own id")),
            ),
        }
    }
}
