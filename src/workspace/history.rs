//! One entity's history, read from git: the commits that changed its file, newest first,
//! following renames — author and author date, subject, trailers, the pull request and merge
//! that brought each to the first-parent line, the approvals as judged with the register's
//! trusted committers, and what changed field by field (a risk's score, level and threshold
//! standing under the register's criteria). The result is a `report::history::Story` of plain
//! values; `airisk history` and the audit pack render it.

use super::GitSource;
use crate::changes::{self, FileChange};
use crate::git::{self, Content, approval};
use crate::kinds::{self, Kind};
use crate::load::Loaded;
use crate::model::{Criteria, Register};
use crate::report::history::{Claim, Commit, Entry, Story, Subject, Trailer};
use crate::source::Sources;
use anyhow::{Result, bail};

/// The kinds `history` follows, in the order of the table of kinds.
fn followed() -> Vec<Kind> {
    Kind::all().filter(|k| k.def().history).collect()
}

/// The entity `id`: the first kind `history` follows that has it (the symbol index says).
fn find(reg: &Register, sources: &Sources, id: &str) -> Result<Subject> {
    let kinds = followed();
    if let Some(symbol) = reg.symbols.find(id, &kinds)
        && let Some(file) = symbol.file()
    {
        return Ok(Subject {
            kind: symbol.kind.title(),
            id: symbol.id.clone(),
            file: sources.path(file).to_string(),
        });
    }
    let ids = kinds
        .iter()
        .flat_map(|k| reg.symbols.definitions(*k).map(|s| s.id.as_str()));
    let hint = crate::diag::did_you_mean(id, ids)
        .map(|s| format!("\nhelp: did you mean `{s}`?"))
        .unwrap_or_default();
    bail!("no {} has the id `{id}`{hint}", kinds::titles(kinds))
}

/// What changed between two versions of a file; a version over the size limit is not read,
/// so its fields are not compared.
fn summarize(
    before: Option<Content>,
    after: Option<Content>,
    is_risk: bool,
    criteria: &Criteria,
) -> FileChange {
    fn text(c: Content<'_>) -> Option<&str> {
        match c {
            Content::Text(t) => Some(t),
            Content::TooBig => None,
        }
    }
    match (before.map(text), after.map(text)) {
        (Some(None), _) | (_, Some(None)) => FileChange {
            unreadable: true,
            ..FileChange::default()
        },
        (b, a) => changes::file_change(b.flatten(), a.flatten(), is_risk, criteria),
    }
}

/// Reads the history of the entity `id` of the register `loaded` (read from `git`'s
/// revision). `uncommitted` lists the register files with uncommitted changes (empty when
/// reading a revision).
pub fn read(git: &GitSource, loaded: &Loaded, id: &str, uncommitted: &[String]) -> Result<Story> {
    let subject = find(&loaded.register, &loaded.sources, id)?;
    let criteria = &loaded.register.config.criteria;
    let is_risk = subject.kind == Kind::Risk.title();
    let log = git.repo.file_log(
        &git.rev,
        &git.prefix,
        &subject.file,
        crate::load::entity_id,
        |before, after| summarize(before, after, is_risk, criteria),
    )?;
    let trusted = &loaded.register.config.git.trusted_committers;
    let entries = log
        .entries
        .iter()
        .map(|e| {
            let c = &e.change;
            let a = c.approvals(trusted);
            Entry {
                commit: commit(&c.commit),
                landed: c.landed.as_ref().map(commit),
                pr: c.pr,
                approved_by: a.approved_by,
                reviewed_by: a.reviewed_by,
                merged_by: a.merged_by,
                claimed: a.claimed.iter().map(claim).collect(),
                other_trailers: c
                    .landed
                    .iter()
                    .flat_map(|m| m.trailers.iter())
                    .chain(&c.commit.trailers)
                    .filter(|t| !approval::is_approval(t))
                    .map(trailer)
                    .collect(),
                before: e.before.as_ref().map(|v| v.path.clone()),
                after: e.after.as_ref().map(|v| v.path.clone()),
                fields: e.summary.fields.clone(),
                risk: e.summary.risk.clone(),
                unreadable: e.summary.unreadable,
            }
        })
        .collect();
    Ok(Story {
        uncommitted: uncommitted.contains(&subject.file),
        subject,
        entries,
        truncated: log.truncated,
        threshold: criteria.acceptance_threshold,
        fetch_help: git::FETCH_HELP,
        max_file_mib: crate::load::MAX_FILE_BYTES >> 20,
    })
}

fn commit(c: &git::CommitInfo) -> Commit {
    Commit {
        id: c.id.clone(),
        short: c.short.clone(),
        author: c.author.clone(),
        author_email: c.author_email.clone(),
        author_date: c.author_date.clone(),
        committer: c.committer.clone(),
        committer_email: c.committer_email.clone(),
        committer_date: c.committer_date.clone(),
        day: c.day.to_string(),
        summary: c.summary.clone(),
        trailers: c.trailers.iter().map(trailer).collect(),
        pr: c.pr,
        merge: c.merge,
    }
}

fn trailer(t: &git::Trailer) -> Trailer {
    Trailer {
        key: t.key.clone(),
        value: t.value.clone(),
    }
}

fn claim(c: &git::Claim) -> Claim {
    Claim {
        trailer: c.trailer.clone(),
        value: c.value.clone(),
        commit: c.commit.clone(),
        reason: c.reason,
        note: c.note.clone(),
    }
}
