//! Applying `waivers.yaml` (SPEC §8): after every rule has run and `[rules]` has set the
//! levels, each finding whose code is a waiver's `rule` and whose subject is its `target` is
//! waived: set apart with its waiver, shown as waived and never counted for the exit code.
//! A target that is a path of the register also waives the rule's findings that point into
//! that file. An expired waiver waives nothing (its `waiver-expired` finding, a rule, says
//! so); a waiver that waives nothing is `waiver-unused` (like rustc's unfulfilled
//! `#[expect]`), except when its target is unknown (`unknown-reference` already says so), its
//! rule cannot be named (`invalid-value`), or it waives a git rule and the git rules did not
//! run (a register outside a repository).

use crate::diag::{self, Code, Diagnostic, Stage};
use crate::kinds::Kind;
use crate::model::{Date, Register, Waiver};
use crate::source::Sources;

/// The kinds whose ids a waiver's target may name.
pub const TARGET_KINDS: &[Kind] = &[
    Kind::System,
    Kind::Risk,
    Kind::Assessment,
    Kind::Incident,
    Kind::Control,
    Kind::Decision,
    Kind::Person,
    Kind::Role,
];

/// Whether `target` names an entity of the register or one of its files.
pub fn target_exists(reg: &Register, sources: &Sources, target: &str) -> bool {
    reg.symbols.find(target, TARGET_KINDS).is_some()
        || (0..sources.len()).any(|i| sources.path(crate::source::FileId(i as u32)) == target)
}

/// A waiver that may waive: its rule a waivable code, its target known, not expired.
fn active(reg: &Register, sources: &Sources, today: Date, w: &Waiver) -> Option<(Code, String)> {
    let code = Code::from_name(&w.rule.as_ref()?.value).filter(|c| c.waivable())?;
    let target = w.target.as_ref()?.value.clone();
    if !target_exists(reg, sources, &target) || w.expires.as_ref().is_some_and(|e| e.value < today)
    {
        return None;
    }
    Some((code, target))
}

/// What applying the waivers gave.
pub struct Applied {
    /// The findings still counted, with a `waiver-unused` finding per unused waiver.
    pub kept: Vec<Diagnostic>,
    /// The findings waived, each with its waiver.
    pub waived: Vec<Diagnostic>,
}

/// Sets apart the findings the register's waivers waive; `git_ran`: whether the git rules ran.
pub fn apply(
    reg: &Register,
    sources: &Sources,
    today: Date,
    git_ran: bool,
    diags: Vec<Diagnostic>,
) -> Applied {
    let Some(file) = &reg.waivers else {
        return Applied {
            kept: diags,
            waived: Vec::new(),
        };
    };
    let active: Vec<_> = file
        .waivers
        .iter()
        .map(|w| active(reg, sources, today, w))
        .collect();
    let mut used = vec![false; active.len()];
    let mut kept = Vec::new();
    let mut waived = Vec::new();
    for mut d in diags {
        let by = active.iter().position(|a| {
            a.as_ref().is_some_and(|(code, target)| {
                *code == d.code
                    && (d.subject.as_deref() == Some(target.as_str())
                        || sources.path(d.primary.span.file) == target)
            })
        });
        match by {
            Some(i) => {
                used[i] = true;
                d.waiver = Some(Box::new(shown(&file.waivers[i])));
                waived.push(d);
            }
            None => kept.push(d),
        }
    }
    let mut unused = Vec::new();
    for (i, w) in file.waivers.iter().enumerate() {
        let Some((code, target)) = &active[i] else {
            continue;
        };
        if used[i] || (code.info().stage == Stage::Git && !git_ran) {
            continue;
        }
        let Some(rule) = &w.rule else { continue };
        unused.push(
            Diagnostic::new(
                Code::WaiverUnused,
                rule.span,
                format!(
                    "the waiver of `{}` for `{target}` waives nothing: no such finding",
                    code.name()
                ),
            )
            .label("no finding of this rule is about this target")
            .help("remove the waiver: the finding it was for is fixed (or was never there), or the target is not the finding's subject (`check --format json` shows each finding's subject)"),
        );
    }
    super::subject::attribute(reg, sources, &mut unused);
    kept.extend(unused);
    Applied { kept, waived }
}

/// The waiver as the emitters show it.
fn shown(w: &Waiver) -> diag::Waiver {
    let text = |v: &Option<crate::model::Sp<String>>| {
        v.as_ref().map(|s| s.value.clone()).unwrap_or_default()
    };
    diag::Waiver {
        rule: text(&w.rule),
        target: text(&w.target),
        reason: text(&w.reason),
        approved_by: text(&w.approved_by),
        date: w
            .date
            .as_ref()
            .map(|d| d.value.to_string())
            .unwrap_or_default(),
        expires: w.expires.as_ref().map(|d| d.value.to_string()),
        span: w.rule.as_ref().map(|r| r.span).unwrap_or(w.span),
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::CODES;

    #[test]
    fn the_format_lists_exactly_the_waivable_codes() {
        let waivable: Vec<&str> = CODES
            .iter()
            .filter(|i| i.code.waivable())
            .map(|i| i.name)
            .collect();
        assert_eq!(waivable, crate::kinds::waivers::WAIVABLE.values);
    }
}
