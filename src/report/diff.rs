//! What changed in the register between two revisions, as a document (`airisk diff`): the
//! two sides compared and the semantic diff (`changes::RegisterDiff`). The document carries
//! the comparison itself ([`Detail::Diff`]) for the formats that show it their own way (the
//! terminal's list, the pull-request comment, JSON: `render::diff`), and tables of the
//! entities that changed and of the findings introduced and fixed, for the generic
//! renderers (there is no `diff.html` template yet, so `airisk diff` offers no HTML).

use super::{Cell, Column, Detail, DocControl, Document, Figure, Section, Table};
use crate::changes::{Finding, RegisterDiff, Status};

/// One side of the comparison, described for output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Side {
    /// `1a2b3c4`, or `working tree`.
    pub short: String,
    /// `merge-base of HEAD and main`, `v1.0`, ... (empty for the working tree).
    pub what: String,
    /// The full commit id; `None` for the working tree.
    pub commit: Option<String>,
}

impl Side {
    /// `1a2b3c4 (merge-base of HEAD and main)`, or just the short form when it says all.
    pub fn text(&self) -> String {
        if self.what.is_empty() || self.what == self.short {
            self.short.clone()
        } else {
            format!("{} ({})", self.short, self.what)
        }
    }

    /// The working tree, not a commit.
    pub fn is_worktree(&self) -> bool {
        self.commit.is_none()
    }
}

/// Two registers compared.
#[derive(Clone, Debug)]
pub struct Compared {
    /// The older side and the newer.
    pub base: Side,
    pub head: Side,
    pub diff: RegisterDiff,
    /// The newer side's acceptance threshold, for threshold crossings.
    pub threshold: u32,
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Added => "added",
        Status::Removed => "removed",
        Status::Changed => "changed",
    }
}

fn findings(list: &[Finding]) -> Table {
    Table::new(
        vec![
            Column::new("level", "Level"),
            Column::new("code", "Code"),
            Column::new("file", "File"),
            Column::new("line", "Line"),
            Column::wide("message", "Message"),
        ],
        list.iter()
            .map(|f| {
                vec![
                    Cell::text(&f.level),
                    Cell::text(&f.code),
                    Cell::text(&f.file),
                    Cell::int(i64::try_from(f.line).unwrap_or(i64::MAX)),
                    Cell::text(&f.message),
                ]
            })
            .collect(),
    )
}

/// The comparison as a document, with the control block of the newer register.
pub fn build(control: DocControl, c: Compared) -> Document {
    let d = &c.diff;
    let entities = Table::new(
        vec![
            Column::new("kind", "Kind"),
            Column::new("id", "ID"),
            Column::new("status", "Status"),
            Column::new("file", "File"),
            Column::new("moved_from", "Moved from"),
            Column::wide("title", "Title"),
            Column::wide("fields", "Fields changed"),
        ],
        d.entities
            .iter()
            .map(|e| {
                vec![
                    Cell::text(e.kind.name()),
                    Cell::text(&e.id),
                    Cell::text(status(e.status)),
                    Cell::text(&e.file),
                    Cell::opt(e.moved_from.clone()),
                    Cell::opt(e.title.clone()),
                    Cell::list(e.fields.iter().map(|f| f.field.clone())),
                ]
            })
            .collect(),
    );
    let section = |id: &str, title: &str, table| Section {
        id: id.into(),
        title: title.into(),
        note: None,
        table,
    };
    let figure = |label: &str, n: usize| Figure::count(label, n);
    Document {
        kind: "diff",
        title: "Register changes".into(),
        control,
        summary: vec![
            figure("Entities changed", d.entities.len()),
            figure("Findings introduced", d.findings_introduced.len()),
            figure("Findings fixed", d.findings_fixed.len()),
        ],
        notes: vec![format!(
            "Comparing {} with {}.",
            c.base.text(),
            c.head.text()
        )],
        sections: vec![
            section("entities", "Entities added, removed and changed", entities),
            section(
                "introduced",
                "Findings introduced",
                findings(&d.findings_introduced),
            ),
            section("fixed", "Findings fixed", findings(&d.findings_fixed)),
        ],
        detail: Detail::Diff(Box::new(c)),
    }
}
