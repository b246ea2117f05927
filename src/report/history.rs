//! One entity's history as a document (`airisk history ID`, and the audit pack): the commits
//! that changed its file, newest first — author, date, pull request, merge, approvals — and
//! what each changed, field by field. The workspace reads git and hands the commits in as a
//! [`Story`] of plain values; nothing here knows git.
//!
//! The document carries the story itself ([`Detail::History`]) for the formats that show a
//! history their own way (the terminal's commit list, markdown, JSON: `render::history`),
//! and two tables (commits, field changes) for the others (HTML through `history.html`).

use super::{Cell, Column, Detail, DocControl, Document, Figure, Section, Table};
use crate::changes::{DecisionChange, FieldChange, Move, text as ct};
use crate::model::{Date, Register};
use serde::Serialize;

/// The entity whose history it is.
#[derive(Clone, Debug)]
pub struct Subject {
    /// `risk`, `system`, `impact assessment`, `incident` (the kind's title).
    pub kind: &'static str,
    pub id: String,
    /// Its file, relative to the register.
    pub file: String,
}

/// A commit as a history shows it (every field is in the JSON output).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Commit {
    /// Full commit id (hex).
    pub id: String,
    /// Its first 7 hex digits.
    pub short: String,
    pub author: String,
    pub author_email: String,
    /// RFC 3339, in the author's offset.
    pub author_date: String,
    pub committer: String,
    pub committer_email: String,
    /// RFC 3339, in the committer's offset.
    pub committer_date: String,
    /// The committer date's calendar day (UTC).
    pub day: String,
    pub summary: String,
    pub trailers: Vec<Trailer>,
    /// The pull request the message names.
    pub pr: Option<crate::model::PullRequest>,
    pub merge: bool,
}

impl Commit {
    /// The author date's day.
    pub fn author_day(&self) -> &str {
        self.author_date.get(..10).unwrap_or(&self.author_date)
    }
}

/// One `Token: value` trailer of a commit message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trailer {
    pub key: String,
    pub value: String,
}

/// Something that looks like an approval and is not one, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Claim {
    /// `Approved-by`, `Reviewed-by`, or `Merged-by`.
    pub trailer: String,
    /// As written (`Name <email>`).
    pub value: String,
    /// The commit it is written in (short id).
    pub commit: String,
    /// Why it is not an approval, as a code (`branch-commit`, `untrusted-committer`, ...).
    pub reason: &'static str,
    /// The reason in words.
    pub note: String,
}

impl Claim {
    /// One line: `Approved-by: Alex <alex@example.com> — not an approval: claimed in a branch
    /// commit (abc1234)`.
    pub fn describe(&self) -> String {
        format!(
            "{}: {} — not an approval: {} ({})",
            self.trailer, self.value, self.note, self.commit
        )
    }
}

/// One commit that changed the file.
#[derive(Clone, Debug)]
pub struct Entry {
    pub commit: Commit,
    /// The merge that brought it to the first-parent line, when it is not on that line.
    pub landed: Option<Commit>,
    /// The pull request that brought it.
    pub pr: Option<crate::model::PullRequest>,
    /// The approvals, as judged with the register's trusted committers.
    pub approved_by: Vec<String>,
    pub reviewed_by: Vec<String>,
    pub merged_by: Option<String>,
    pub claimed: Vec<Claim>,
    /// The trailers of the merge and of the commit that do not record an approval, as
    /// written (`Co-authored-by: ...`), the merge's first.
    pub other_trailers: Vec<Trailer>,
    /// The file's path before the commit (`None`: the commit created it) and after it.
    pub before: Option<String>,
    pub after: Option<String>,
    /// What changed, field by field (for a created file, every field).
    pub fields: Vec<FieldChange>,
    /// A risk's score, level and threshold standing, when they moved.
    pub risk: Option<Move>,
    /// For the Statement of Applicability: the decisions the commit added, removed or
    /// changed.
    pub decisions: Vec<DecisionChange>,
    /// A version is not readable YAML or is over the size limit: fields not compared.
    pub unreadable: bool,
}

impl Entry {
    /// The commit created the file.
    pub fn created(&self) -> bool {
        self.before.is_none()
    }

    /// The commit removed the file (the entity no longer exists after it).
    pub fn removed(&self) -> bool {
        self.before.is_some() && self.after.is_none()
    }

    /// The field changes to show: none for the commit that created or removed the file.
    pub fn changed_fields(&self) -> &[FieldChange] {
        if self.created() || self.removed() {
            &[]
        } else {
            &self.fields
        }
    }

    /// The decisions to show: none for the commit that created or removed the file.
    pub fn changed_decisions(&self) -> &[DecisionChange] {
        if self.created() || self.removed() {
            &[]
        } else {
            &self.decisions
        }
    }

    /// The decisions the commit changed, one line each (`decision A.6.2.4 changed`);
    /// control ids are unescaped.
    pub fn decision_lines(&self) -> Vec<String> {
        self.changed_decisions()
            .iter()
            .map(|d| format!("decision {} {}", d.control, d.change))
            .collect()
    }

    /// `created` (with a risk's first score and level), `renamed from X` (the path as `code`
    /// writes it for the format), or nothing. Level names are unescaped.
    pub fn origin(&self, code: &dyn Fn(&str) -> String) -> Option<String> {
        match (&self.before, &self.after) {
            (None, _) => {
                let standing = self.risk.as_ref().and_then(|m| {
                    let score = m.after.score?;
                    Some(match &m.after.level {
                        Some(l) => format!(": score {score} ({l})"),
                        None => format!(": score {score}"),
                    })
                });
                Some(format!("created{}", standing.unwrap_or_default()))
            }
            (Some(_), None) => Some("removed".to_string()),
            (Some(b), Some(a)) if b != a => Some(format!("renamed from {}", code(b))),
            _ => None,
        }
    }

    /// The lines of a risk's move, for a commit that changed (not created) the file.
    pub fn moves(&self, threshold: Option<u32>) -> Vec<String> {
        match (&self.before, &self.after, &self.risk) {
            (Some(_), Some(_), Some(m)) => ct::move_lines(m, threshold),
            _ => Vec::new(),
        }
    }

    /// What the commit records about its approval, one line each: who approved and reviewed
    /// it (as judged), each claim that is not an approval and why, then the other trailers.
    pub fn approval_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if !self.approved_by.is_empty() {
            lines.push(format!("approved by: {}", self.approved_by.join(", ")));
        }
        if !self.reviewed_by.is_empty() {
            lines.push(format!("reviewed by: {}", self.reviewed_by.join(", ")));
        }
        lines.extend(self.claimed.iter().map(Claim::describe));
        lines.extend(
            self.other_trailers
                .iter()
                .map(|t| format!("{}: {}", t.key, t.value)),
        );
        lines
    }
}

/// One entity's history, read once, for every format.
#[derive(Clone, Debug)]
pub struct Story {
    pub subject: Subject,
    /// Newest first.
    pub entries: Vec<Entry>,
    /// A shallow clone cut the history off: older commits are missing.
    pub truncated: bool,
    /// The working tree has uncommitted changes to the file.
    pub uncommitted: bool,
    /// The entity (or file) is not in the register read: a commit removed it (the newest
    /// entry).
    pub removed: bool,
    /// The acceptance threshold of the register's criteria, for threshold crossings.
    pub threshold: u32,
    /// How to get the whole history, for a truncated one (git's advice).
    pub fetch_help: &'static str,
    /// The size limit of a register file, in MiB (a version over it is not compared).
    pub max_file_mib: u64,
}

pub fn build(reg: &Register, as_of: Date, story: Story) -> Document {
    let subject = &story.subject;
    let entries = &story.entries;
    let threshold = Some(story.threshold);
    let commits = entries
        .iter()
        .map(|e| {
            let mut what: Vec<String> = e.origin(&|p| p.to_string()).into_iter().collect();
            what.extend(e.moves(threshold));
            what.extend(e.decision_lines());
            vec![
                Cell::text(&e.commit.short),
                Cell::text(e.commit.author_day()),
                Cell::text(&e.commit.author),
                Cell::pull_request(e.pr),
                Cell::opt(
                    e.landed
                        .as_ref()
                        .map(|m| format!("{} on {}", m.short, m.day)),
                ),
                Cell::list(e.approved_by.clone()),
                Cell::list(e.claimed.iter().map(Claim::describe)),
                Cell::text(&e.commit.summary),
                Cell::text(what.join("; ")),
            ]
        })
        .collect();
    let fields = entries
        .iter()
        .flat_map(|e| {
            e.changed_fields().iter().map(|f| {
                vec![
                    Cell::text(&e.commit.short),
                    Cell::text(&f.field),
                    Cell::opt(f.before.clone()),
                    Cell::opt(f.after.clone()),
                ]
            })
        })
        .collect();
    let mut notes = vec![format!(
        "The commits that changed `{}`, newest first, following renames; each with the pull request and merge that brought it to the first-parent line.",
        subject.file
    )];
    if story.uncommitted {
        notes.push("The working tree has uncommitted changes to this file.".into());
    }
    if story.removed {
        notes.push(format!(
            "`{}` is no longer in the register: the newest commit removed it.",
            subject.file
        ));
    }
    if story.truncated {
        notes.push(
            "History truncated: this is a shallow clone and older commits are missing. Fetch the full history (`git fetch --unshallow`; GitHub actions/checkout `fetch-depth: 0`, GitLab `GIT_DEPTH: 0`)."
                .into(),
        );
    }
    Document {
        kind: "history",
        title: format!("History of {} {}", subject.kind, subject.id),
        control: DocControl::new(reg, as_of),
        summary: vec![Figure::count("Commits", entries.len())],
        notes,
        sections: vec![
            Section {
                id: "commits".into(),
                title: "Commits".into(),
                note: None,
                table: Table::new(
                    vec![
                        Column::new("commit", "Commit"),
                        Column::new("date", "Date"),
                        Column::new("author", "Author"),
                        Column::new("pull_request", "PR"),
                        Column::new("merged_in", "Merged in"),
                        Column::new("approved_by", "Approved by"),
                        Column::wide("claimed", "Claimed, not approvals"),
                        Column::wide("summary", "Summary"),
                        Column::wide("what", "What"),
                    ],
                    commits,
                ),
            },
            Section {
                id: "fields".into(),
                title: "Field changes".into(),
                note: Some(
                    "Compared as parsed YAML: layout, comments and key order are not changes."
                        .into(),
                ),
                table: Table::new(
                    vec![
                        Column::new("commit", "Commit"),
                        Column::new("field", "Field"),
                        Column::wide("before", "Before"),
                        Column::wide("after", "After"),
                    ],
                    fields,
                ),
            },
        ],
        detail: Detail::History(Box::new(story)),
    }
}
