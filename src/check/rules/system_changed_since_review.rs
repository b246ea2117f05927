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
use crate::git::{ContentChange, Projected, Watch};
use crate::load::yaml;
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
                        project: content,
                        identify: crate::load::entity_id,
                        after: reviewed.value,
                    });
                }
            }
        }
    }
    out
}

/// What this rule compares of a version of a system file: a digest of its parsed content
/// ([`digest`]), or unreadable when it does not parse (or was not read).
fn content(text: Option<&str>) -> Projected {
    match text.map(yaml::parse) {
        Some(Ok(node)) => Projected::Digest(digest(&node)),
        _ => Projected::Unreadable,
    }
}

/// A digest of what a YAML tree holds, whatever its layout: positions, comments, quoting and
/// the order of mapping keys do not count (as `Node::same_content` compares), so two versions
/// have the same digest exactly when they hold the same data.
fn digest(node: &yaml::Node) -> [u8; 32] {
    use sha2::Digest as _;
    fn feed(h: &mut sha2::Sha256, n: &yaml::Node) {
        let len = |h: &mut sha2::Sha256, n: usize| h.update((n as u64).to_le_bytes());
        match &n.value {
            yaml::Value::Null => h.update(b"n"),
            yaml::Value::Bool(b) => h.update([b'b', u8::from(*b)]),
            yaml::Value::Int(i) => {
                h.update(b"i");
                h.update(i.to_le_bytes());
            }
            yaml::Value::Float(f) => {
                h.update(b"f");
                // 0.0 and -0.0 are equal values; every NaN is the same "not a number".
                let f = if *f == 0.0 { 0.0 } else { *f };
                let bits = if f.is_nan() {
                    f64::NAN.to_bits()
                } else {
                    f.to_bits()
                };
                h.update(bits.to_le_bytes());
            }
            yaml::Value::Str(s) => {
                h.update(b"s");
                len(h, s.len());
                h.update(s.as_bytes());
            }
            yaml::Value::Seq(items) => {
                h.update(b"[");
                len(h, items.len());
                items.iter().for_each(|i| feed(h, i));
            }
            yaml::Value::Map(entries) => {
                h.update(b"{");
                len(h, entries.len());
                let mut sorted: Vec<&(yaml::Key, yaml::Node)> = entries.iter().collect();
                sorted.sort_by(|a, b| a.0.text.cmp(&b.0.text));
                for (k, v) in sorted {
                    len(h, k.text.len());
                    h.update(k.text.as_bytes());
                    feed(h, v);
                }
            }
        }
    }
    let mut h = sha2::Sha256::new();
    feed(&mut h, node);
    h.finalize().into()
}

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(git) = cx.git else { return };
    for r in cx.open_risks() {
        let Some(reviewed) = &r.reviewed else {
            continue;
        };
        for s in &r.systems {
            let Some(system) = cx.reg.system(&s.value) else {
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
        Some(pr) => format!("{} ({})", c.commit.short, pr.label()),
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
