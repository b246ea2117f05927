//! `evidence-not-found` (error): an evidence path that does not exist in the register. Paths
//! are relative to the register folder; entries with a URL scheme (`https://...`) are not
//! checked. A path that leaves the register (absolute, or climbing out with `..`) is reported
//! as outside it; one that leaves through a link does not exist in the register. Covers
//! treatment evidence (of every risk, open or closed), SoA evidence and the evidence of EU AI
//! Act obligations (`eu_ai_act.obligations` of a system).

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::load::tree::stays_inside;
use crate::model::Sp;

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let treatments = cx.reg.risks.iter().filter_map(|r| r.treatment.as_ref());
    let from_risks = treatments.filter_map(|t| t.evidence.get()).flatten();
    let from_soa = cx
        .reg
        .soa
        .iter()
        .flat_map(|s| s.decisions.iter())
        .filter_map(|d| d.evidence.get())
        .flatten();
    let from_obligations = cx
        .reg
        .systems
        .iter()
        .filter_map(|s| s.eu_ai_act.as_ref())
        .flat_map(|b| b.obligations.iter())
        .flat_map(|o| o.evidence.iter());
    for e in from_risks.chain(from_soa).chain(from_obligations) {
        path(cx, e, out);
    }
}

/// `https://x`, `mailto:x`: a URL, not a path.
fn is_url(s: &str) -> bool {
    if s.contains(char::is_whitespace) {
        return false;
    }
    match s.split_once(':') {
        Some((scheme, _)) => {
            scheme.len() > 1
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        }
        None => false,
    }
}

fn path(cx: &Ctx, e: &Sp<String>, out: &mut Vec<Diagnostic>) {
    let value = e.value.trim();
    if is_url(value) {
        return;
    }
    let rel = value.split('#').next().unwrap_or(value);
    let d = if !stays_inside(rel) {
        Diagnostic::new(
            Code::EvidenceNotFound,
            e.span,
            format!("evidence `{value}` is outside the register"),
        )
        .label("not a path inside the register")
    } else if !cx.tree.exists(rel) {
        Diagnostic::new(
            Code::EvidenceNotFound,
            e.span,
            format!("evidence `{value}` does not exist"),
        )
        .label("no such file in the register")
    } else {
        return;
    };
    out.push(d.note(
        "evidence paths are relative to the register folder (where airisk.toml is); link to anything else with a URL",
    ));
}

#[cfg(test)]
mod tests {
    use super::is_url;

    #[test]
    fn urls_are_told_from_paths() {
        assert!(is_url("https://wiki.example/x"));
        assert!(is_url("mailto:audit@example.com"));
        assert!(!is_url("evidence/a.md"));
        assert!(!is_url("C:/evidence/a.md"));
        assert!(!is_url("notes: a.md"));
    }
}
