//! One entity's history as a document (`airisk history ID --format html`, and the audit
//! pack): the commits that changed its file, newest first — author, date, pull request,
//! merge, approvals — and what each changed, field by field. The command layer reads git and
//! hands the commits in as [`Entry`] values; nothing here knows git.

use super::{Cell, Column, DocControl, Document, Figure, Section, Table};
use crate::changes::FieldChange;
use crate::model::{Date, Register};

/// The entity whose history it is.
pub struct Subject<'a> {
    /// `risk`, `system`, `impact assessment`, `incident`.
    pub kind: &'a str,
    pub id: &'a str,
    /// Its file, relative to the register.
    pub file: &'a str,
}

/// One commit that changed the file.
pub struct Entry {
    /// Short id.
    pub commit: String,
    /// The author date's day.
    pub date: String,
    pub author: String,
    pub pr: Option<u64>,
    /// The merge that brought it to the first-parent line: short id and day.
    pub merged_in: Option<(String, String)>,
    pub approved_by: Vec<String>,
    /// What looks like an approval and is not one, each as one line saying why.
    pub claimed: Vec<String>,
    pub summary: String,
    /// `created: score 6 (medium)`, `renamed from ...`.
    pub origin: Option<String>,
    /// Field changes (empty for the commit that created the file).
    pub fields: Vec<FieldChange>,
    /// A risk's score, level and threshold moves (`score 6 → 8 ↑`).
    pub moves: Vec<String>,
}

pub fn build(
    reg: &Register,
    as_of: Date,
    subject: &Subject,
    entries: &[Entry],
    truncated: bool,
    uncommitted: bool,
) -> Document {
    let commits = entries
        .iter()
        .map(|e| {
            let mut what: Vec<String> = e.origin.iter().cloned().collect();
            what.extend(e.moves.iter().cloned());
            vec![
                Cell::text(&e.commit),
                Cell::text(&e.date),
                Cell::text(&e.author),
                e.pr.map_or(Cell::null(), |n| Cell::text(format!("#{n}"))),
                Cell::opt(e.merged_in.as_ref().map(|(c, d)| format!("{c} on {d}"))),
                Cell::list(e.approved_by.clone()),
                Cell::list(e.claimed.clone()),
                Cell::text(&e.summary),
                Cell::text(what.join("; ")),
            ]
        })
        .collect();
    let fields = entries
        .iter()
        .flat_map(|e| {
            e.fields.iter().map(|f| {
                vec![
                    Cell::text(&e.commit),
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
    if uncommitted {
        notes.push("The working tree has uncommitted changes to this file.".into());
    }
    if truncated {
        notes.push(
            "History truncated: this is a shallow clone and older commits are missing. Fetch the full history (`git fetch --unshallow`; GitHub actions/checkout `fetch-depth: 0`, GitLab `GIT_DEPTH: 0`)."
                .into(),
        );
    }
    Document {
        kind: "history",
        title: format!("History of {} {}", subject.kind, subject.id),
        control: DocControl::new(reg, as_of),
        summary: vec![Figure {
            label: "Commits".into(),
            value: entries.len().to_string(),
        }],
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
    }
}
