//! Approvals are evidence, not claims (SPEC §7, docs/git.md "Approvals and claims"). Whoever
//! opens a pull request writes the messages of its commits, so an `Approved-by:` trailer
//! there proves nothing. An approval is read only from the commit on the first-parent line
//! that brought the change (the merge, or a squash or direct commit), only when that commit's
//! committer is trusted (`[git] trusted_committers`) to have written it, and never when the
//! approver is an author of the change. The author of a trusted merge commit (who pressed the
//! merge button) is an approver too, unless they wrote the change. Everything else that looks
//! like an approval is kept as a [`Claim`], with the reason, so a reviewer sees it for what it
//! is.
//!
//! Pure functions over what the walk read ([`Landing`]); the trust list comes from the
//! register's configuration, which is loaded while history is read, so judging happens after
//! both.

use super::message::Trailer;
use super::walk::CommitInfo;
use crate::model::Identity;
use serde::Serialize;

/// The trailers that record an approval.
pub const KEYS: [&str; 2] = ["Approved-by", "Reviewed-by"];

/// Whether a trailer records an approval (`Approved-by`, `Reviewed-by`, without case).
pub fn is_approval(t: &Trailer) -> bool {
    KEYS.iter().any(|k| t.key.eq_ignore_ascii_case(k))
}

/// The people a `Co-authored-by` trailer names.
pub(super) fn co_authors(trailers: &[Trailer]) -> impl Iterator<Item = Identity> + '_ {
    trailers
        .iter()
        .filter(|t| t.key.eq_ignore_ascii_case("Co-authored-by"))
        .map(|t| Identity::parse(&t.value))
}

/// What the walk learns about a commit on the first-parent line that brought a change, for
/// judging the approvals recorded on it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Landing {
    /// Who wrote the change: for a merge, the authors (and `Co-authored-by`) of the commits
    /// of the merged branch that changed the register folder, or the merge's own author when
    /// none did (a change made in the merge itself); for a squash or direct commit, its
    /// author and co-authors.
    pub authors: Vec<Identity>,
    /// Approval trailers written in those branch commits: (short id, trailer).
    pub branch_trailers: Vec<(String, Trailer)>,
    /// The merged branch is cut off by a shallow clone: its authors are not all known.
    pub truncated: bool,
}

impl Landing {
    /// Adds an author once.
    pub(super) fn author(&mut self, who: Identity) {
        if (!who.name.is_empty() || who.email.is_some()) && !self.authors.contains(&who) {
            self.authors.push(who);
        }
    }
}

/// The approvals of a change, judged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Approvals {
    /// Who approved: the `Approved-by` trailers that count, then the merger of a trusted
    /// merge commit (when not already named).
    pub approved_by: Vec<String>,
    /// The `Reviewed-by` trailers that count.
    pub reviewed_by: Vec<String>,
    /// The author of a trusted merge commit (who merged it), when that counts.
    pub merged_by: Option<String>,
    /// What looks like an approval and is not one.
    pub claimed: Vec<Claim>,
}

/// A trailer (or a merge) that is not an approval, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Claim {
    /// `Approved-by`, `Reviewed-by`, or `Merged-by` for a merge by an author of the change.
    pub trailer: String,
    /// As written (`Name <email>`).
    pub value: String,
    /// The commit it is written in (short id).
    pub commit: String,
    /// Why it is not an approval: `branch-commit`, `untrusted-committer`, `own-change`,
    /// `copied-from-branch` or `shallow-clone`.
    pub reason: &'static str,
    /// The reason in words.
    pub note: String,
}

impl Claim {
    fn new(t: &Trailer, commit: &str, reason: &'static str, note: String) -> Claim {
        Claim {
            trailer: t.key.clone(),
            value: t.value.clone(),
            commit: commit.to_string(),
            reason,
            note,
        }
    }

    /// One line: `Approved-by: Alex <alex@example.com> — not an approval: claimed in a
    /// branch commit (abc1234)`.
    pub fn describe(&self) -> String {
        format!(
            "{}: {} — not an approval: {} ({})",
            self.trailer, self.value, self.note, self.commit
        )
    }
}

/// The approvals of a change made by `commit` and brought to the first-parent line by
/// `landed` (`None`: `commit` is on that line itself), whose first-parent commit `landing`
/// describes, with `trusted` the committers trusted to write approvals.
pub fn judge(
    commit: &CommitInfo,
    landed: Option<&CommitInfo>,
    landing: &Landing,
    trusted: &[Identity],
) -> Approvals {
    let mut out = Approvals::default();
    let first = landed.unwrap_or(commit);
    // What the branch's own commits say is the author's word: shown, never counted.
    if landed.is_some() {
        for t in commit.trailers.iter().filter(|t| is_approval(t)) {
            out.claimed.push(Claim::new(
                t,
                &commit.short,
                "branch-commit",
                "claimed in a branch commit".into(),
            ));
        }
    } else if first.merge {
        for (short, t) in &landing.branch_trailers {
            out.claimed.push(Claim::new(
                t,
                short,
                "branch-commit",
                "claimed in a branch commit".into(),
            ));
        }
    }
    let committer = Identity::new(&first.committer, &first.committer_email);
    let trusted_commit = trusted.iter().any(|t| t.is(&committer));
    let by_author = |who: &Identity| landing.authors.iter().any(|a| a.same_person(who));
    for t in first.trailers.iter().filter(|t| is_approval(t)) {
        let who = Identity::parse(&t.value);
        let (reason, note) =
            if !trusted_commit {
                (
                    "untrusted-committer",
                    format!("written in a commit by {committer}, who is not a trusted committer"),
                )
            } else if landing.truncated {
                (
                    "shallow-clone",
                    "the merged branch is cut off by a shallow clone, so its authors are unknown"
                        .into(),
                )
            } else if by_author(&who) {
                (
                    "own-change",
                    "the approver is an author of the change".into(),
                )
            } else if landing.branch_trailers.iter().any(|(_, b)| {
                b.key.eq_ignore_ascii_case(&t.key) && b.value.trim() == t.value.trim()
            }) {
                (
                    "copied-from-branch",
                    "copied from a commit of the merged branch".into(),
                )
            } else {
                let list = if t.key.eq_ignore_ascii_case("Approved-by") {
                    &mut out.approved_by
                } else {
                    &mut out.reviewed_by
                };
                if !list.contains(&t.value) {
                    list.push(t.value.clone());
                }
                continue;
            };
        out.claimed.push(Claim::new(t, &first.short, reason, note));
    }
    if first.merge && trusted_commit {
        let merger = Identity::new(&first.author, &first.author_email);
        let as_trailer = Trailer {
            key: "Merged-by".into(),
            value: merger.to_string(),
        };
        if landing.truncated {
            out.claimed.push(Claim::new(
                &as_trailer,
                &first.short,
                "shallow-clone",
                "the merged branch is cut off by a shallow clone, so its authors are unknown"
                    .into(),
            ));
        } else if by_author(&merger) {
            out.claimed.push(Claim::new(
                &as_trailer,
                &first.short,
                "own-change",
                "merged by an author of the change".into(),
            ));
        } else {
            let named = out
                .approved_by
                .iter()
                .any(|a| Identity::parse(a).same_person(&merger));
            if !named {
                out.approved_by.push(merger.to_string());
            }
            out.merged_by = Some(merger.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::message;

    fn commit(
        short: &str,
        author: &str,
        committer: &str,
        message: &str,
        merge: bool,
    ) -> CommitInfo {
        let a = Identity::parse(author);
        let c = Identity::parse(committer);
        CommitInfo {
            id: format!("{short}000"),
            short: short.into(),
            author: a.name,
            author_email: a.email.unwrap_or_default(),
            author_date: String::new(),
            committer: c.name,
            committer_email: c.email.unwrap_or_default(),
            committer_date: String::new(),
            day: Default::default(),
            summary: message::summary(message),
            trailers: message::trailers(message),
            pr: message::pull_request(message),
            merge,
        }
    }

    const MO: &str = "Mo Khan <mo@example.com>";
    const ALEX: &str = "Alex Smith <alex@example.com>";
    const GITHUB: &str = "GitHub <noreply@github.com>";

    fn trusted() -> Vec<Identity> {
        vec![Identity::parse_strict(GITHUB).unwrap()]
    }

    fn landing(authors: &[&str]) -> Landing {
        Landing {
            authors: authors.iter().map(|a| Identity::parse(a)).collect(),
            ..Landing::default()
        }
    }

    fn reasons(a: &Approvals) -> Vec<(&str, &str)> {
        a.claimed
            .iter()
            .map(|c| (c.trailer.as_str(), c.reason))
            .collect()
    }

    #[test]
    fn a_forged_trailer_in_a_branch_commit_is_a_claim() {
        let branch = commit("b", MO, MO, &format!("Raise\n\nApproved-by: {ALEX}"), false);
        let merge = commit(
            "m",
            MO,
            GITHUB,
            "Merge pull request #1 from x/y\n\nRaise",
            true,
        );
        let a = judge(&branch, Some(&merge), &landing(&[MO]), &trusted());
        assert!(a.approved_by.is_empty(), "{a:?}");
        assert_eq!(
            reasons(&a),
            [
                ("Approved-by", "branch-commit"),
                ("Merged-by", "own-change")
            ]
        );
        assert_eq!(
            a.claimed[0].describe(),
            "Approved-by: Alex Smith <alex@example.com> — not an approval: claimed in a branch commit (b)"
        );
    }

    #[test]
    fn a_trusted_merge_by_a_reviewer_approves() {
        let branch = commit("b", MO, MO, "Raise", false);
        let msg = "Merge pull request #1 from x/y\n\nRaise\n\nApproved-by: Bea <bea@x>\nReviewed-by: Cy <cy@x>";
        let merge = commit("m", ALEX, GITHUB, msg, true);
        let a = judge(&branch, Some(&merge), &landing(&[MO]), &trusted());
        assert_eq!(a.approved_by, ["Bea <bea@x>", ALEX]);
        assert_eq!(a.reviewed_by, ["Cy <cy@x>"]);
        assert_eq!(a.merged_by.as_deref(), Some(ALEX));
        assert!(a.claimed.is_empty());
        // Untrusted committer: nothing counts, every trailer is a claim, the merger is no one.
        let a = judge(&branch, Some(&merge), &landing(&[MO]), &[]);
        assert!(a.approved_by.is_empty() && a.merged_by.is_none());
        assert_eq!(
            reasons(&a),
            [
                ("Approved-by", "untrusted-committer"),
                ("Reviewed-by", "untrusted-committer")
            ]
        );
        assert!(
            a.claimed[0]
                .note
                .contains("by GitHub <noreply@github.com>, who is not")
        );
    }

    #[test]
    fn self_approval_copies_and_shallow_branches_do_not_count() {
        let msg = "Merge pull request #1\n\nApproved-by: mo khan <MO@example.com>\nApproved-by: Bea <bea@x>";
        let merge = commit("m", ALEX, GITHUB, msg, true);
        let mut l = landing(&[MO]);
        l.branch_trailers.push((
            "b".into(),
            Trailer {
                key: "approved-by".into(),
                value: "Bea <bea@x>".into(),
            },
        ));
        let a = judge(&merge, None, &l, &trusted());
        assert_eq!(a.approved_by, [ALEX]);
        assert_eq!(
            reasons(&a),
            [
                ("approved-by", "branch-commit"),
                ("Approved-by", "own-change"),
                ("Approved-by", "copied-from-branch")
            ]
        );
        l.truncated = true;
        let a = judge(&merge, None, &l, &trusted());
        assert!(a.approved_by.is_empty());
        assert!(
            a.claimed
                .iter()
                .skip(1)
                .all(|c| c.reason == "shallow-clone")
        );
    }

    #[test]
    fn a_squash_counts_trailers_of_others_only() {
        let msg = format!(
            "Lower R-2 (#3)\n\nApproved-by: {MO}\nApproved-by: {ALEX}\nReviewed-by: {MO} (self)\nSigned-off-by: {MO}"
        );
        let squash = commit("s", MO, GITHUB, &msg, false);
        let a = judge(&squash, None, &landing(&[MO]), &trusted());
        assert_eq!(a.approved_by, [ALEX]);
        assert_eq!(a.merged_by, None);
        assert_eq!(
            reasons(&a),
            [("Approved-by", "own-change"), ("Reviewed-by", "own-change")]
        );
    }
}
