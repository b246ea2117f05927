//! `evidence-not-found` (error): an evidence path that does not exist. Paths are relative to
//! the register folder; entries with a URL scheme (`https://...`) are not checked. Covers
//! treatment evidence (of every risk, open or closed) and SoA evidence.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
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
    for e in from_risks.chain(from_soa) {
        path(cx, e, out);
    }
}

/// Whether a relative path stays inside its base folder, read lexically.
fn stays_inside(rel: &str) -> bool {
    use std::path::Component;
    let mut depth = 0i32;
    for c in std::path::Path::new(rel).components() {
        match c {
            Component::Prefix(_) | Component::RootDir => return false,
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
        }
        if depth < 0 {
            return false;
        }
    }
    true
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
    let path = cx.reg.root.join(rel);
    // Inside the register: relative, not climbing out with `..`, and (for a path that exists)
    // not resolving out of it through a link.
    let resolves_inside = match (path.canonicalize(), cx.reg.root.canonicalize()) {
        (Ok(p), Ok(root)) => p.starts_with(root),
        _ => true,
    };
    if !stays_inside(rel) || !resolves_inside {
        out.push(
            Diagnostic::new(
                Code::EvidenceNotFound,
                e.span,
                format!("evidence `{value}` is outside the register"),
            )
            .label("not a path inside the register")
            .note("evidence paths are relative to the register folder (where airisk.toml is); link to anything else with a URL"),
        );
        return;
    }
    if !path.exists() {
        out.push(
            Diagnostic::new(
                Code::EvidenceNotFound,
                e.span,
                format!("evidence `{value}` does not exist"),
            )
            .label("no such file in the register")
            .note("evidence paths are relative to the register folder (where airisk.toml is)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{is_url, stays_inside};

    #[test]
    fn paths_must_stay_inside_the_register() {
        assert!(stays_inside("evidence/a.md"));
        assert!(stays_inside("evidence/../policies/a.md"));
        assert!(!stays_inside("../a.md"));
        assert!(!stays_inside("evidence/../../a.md"));
        assert!(!stays_inside("/etc/hostname"));
    }

    #[test]
    fn urls_are_told_from_paths() {
        assert!(is_url("https://wiki.example/x"));
        assert!(is_url("mailto:audit@example.com"));
        assert!(!is_url("evidence/a.md"));
        assert!(!is_url("C:/evidence/a.md"));
        assert!(!is_url("notes: a.md"));
    }
}
