//! `duplicate-id` (error): two entities of one kind share an id. Ids are unique within their
//! kind across the register (a system and a risk may share one). Reported at the later file
//! in path order, with a label at the first.
//!
//! The kinds are those with a file per entity (systems, risks, impact assessments,
//! incidents: the table of kinds), and monitors, whose ids are unique within their system;
//! the definitions come from the symbol index, in path order. (Keys of people.yaml and soa.yaml cannot repeat: a duplicated key is
//! `yaml-syntax`.)

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::kinds::Kind;

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for kind in Kind::all().filter(|k| k.has_own_files() || *k == Kind::Monitor) {
        let what = kind.title();
        for (later, first) in cx.reg.symbols.duplicates(kind) {
            let (Some(span), Some(first_span)) = (later.span, first.span) else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    span,
                    format!("duplicate {what} id `{}`", later.id),
                )
                .label("used again here")
                .with_label(first_span, "first used here")
                .help(format!("give each {what} its own id")),
            );
        }
    }
}
