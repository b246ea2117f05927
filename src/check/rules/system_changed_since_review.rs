//! `system-changed-since-review` (warning): git shows that a risk's system file changed in
//! content after the risk's `reviewed` day.
//!
//! A change is a commit on the first-parent line of the revision read (HEAD, or `--at`) that
//! changed the system file's parsed content: formatting, comments, key order and a rename
//! alone do not count, and neither does creating the file. Its date is the committer date
//! (UTC day) of that commit — for a merged branch, the merge commit. It counts when it is
//! after the `reviewed` day and not after the as-of date. Open risks only; reported at the
//! risk's `reviewed` date, naming the commits. Needs git: outside a repository the rule does
//! not run.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::git::{ContentChange, Watch, WatchKind};
use crate::model::{FileId, Register};
use crate::source::Sources;
use std::collections::HashMap;

/// The system files to watch, each from the earliest review of a risk that uses it.
pub fn watches(reg: &Register, sources: &Sources) -> Vec<Watch> {
    let mut out: Vec<Watch> = Vec::new();
    // Where each system file's watch is in `out`: one watch per file, in first-use order.
    let mut at: HashMap<FileId, usize> = HashMap::new();
    for r in reg.risks.iter().filter(|r| r.is_open()) {
        let Some(reviewed) = &r.reviewed else {
            continue;
        };
        for s in &r.systems {
            let Some(system) = reg.system(&s.value) else {
                continue;
            };
            match at.get(&system.file) {
                Some(&i) => out[i].after = out[i].after.min(reviewed.value),
                None => {
                    at.insert(system.file, out.len());
                    out.push(Watch {
                        path: sources.path(system.file).to_string(),
                        kind: WatchKind::Content,
                        after: reviewed.value,
                    });
                }
            }
        }
    }
    out
}

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(git) = cx.git else { return };
    for r in cx.open_risks() {
        let Some(reviewed) = &r.reviewed else {
            continue;
        };
        for s in &r.systems {
            let Some(system) = cx.index.systems.get(s.value.as_str()) else {
                continue;
            };
            let path = cx.sources.path(system.file);
            // Oldest first: the first change after the review is what made it stale.
            let changes: Vec<&ContentChange> = git
                .changes(path)
                .iter()
                .rev()
                .filter(|c| c.commit.day > reviewed.value && c.commit.day <= cx.today)
                .collect();
            let Some(first) = changes.first() else {
                continue;
            };
            let mut d = Diagnostic::new(
                Code::SystemChangedSinceReview,
                reviewed.span,
                format!(
                    "system `{}` changed after risk `{}` was last reviewed",
                    s.value, r.id.value
                ),
            )
            .label(format!(
                "reviewed {}; `{path}` changed on {} in {}",
                reviewed.value,
                first.commit.day,
                commit_ref(first)
            ))
            .with_label(system.id.span, "changed since the review");
            for c in &changes {
                d = d.note(describe(c));
            }
            out.push(d.help(
                "review the risk in the light of the change, then set `reviewed:` to the date of that review",
            ));
        }
    }
}

/// `1a2b3c4 (PR #12)` or `1a2b3c4`.
pub fn commit_ref(c: &ContentChange) -> String {
    match c.commit.pr {
        Some(pr) => format!("{} (PR #{pr})", c.commit.short),
        None => c.commit.short.clone(),
    }
}

/// `changed in 1a2b3c4 on 2026-10-02 by Jane Doe: subject`
pub fn describe(c: &ContentChange) -> String {
    format!(
        "changed in {} on {} by {}: {}",
        c.commit.short,
        c.commit.day,
        c.commit.author,
        crate::text::terminal(&c.commit.summary)
    )
}
