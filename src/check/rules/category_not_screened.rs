//! `category-not-screened` (warning): a live system (lifecycle not `retired`) with neither an
//! open risk nor a `screening` entry for a risk category (the eight built-in and the extra
//! ones). Coverage of every system against every category shows the risk identification was
//! complete. Reported at the system's id, once per missing category.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::kinds::Kind;
use std::collections::HashSet;

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let mut covered: HashSet<(&str, &str)> = HashSet::new();
    for r in cx.open_risks() {
        let Some(cat) = &r.category else { continue };
        for s in &r.systems {
            covered.insert((s.value.as_str(), cat.value.as_str()));
        }
    }
    let categories: Vec<&str> = cx.reg.symbols.ids(Kind::Category).collect();
    for s in cx
        .reg
        .systems
        .iter()
        .filter(|s| s.is_live() && !s.id.value.is_empty())
    {
        let screened: HashSet<&str> = s
            .screening
            .iter()
            .map(|x| x.category.value.as_str())
            .collect();
        for cat in &categories {
            if covered.contains(&(s.id.value.as_str(), *cat)) || screened.contains(cat) {
                continue;
            }
            out.push(
                Diagnostic::new(Code::CategoryNotScreened, s.id.span, format!("system `{}` has no risk and no screening entry for category `{cat}`", s.id.value))
                    .label(format!("`{cat}` not considered"))
                    .help(format!("add a risk with `category: {cat}`, or a `screening` entry with the reason it does not apply")),
            );
        }
    }
}
