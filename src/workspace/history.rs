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
use crate::text::natural_cmp;
use anyhow::{Result, anyhow};

/// The kinds `history` follows, in the order of the table of kinds.
fn followed() -> Vec<Kind> {
    Kind::all().filter(|k| k.def().history).collect()
}

/// The register files `history` knows by a name rather than an id: `history soa` (decision
/// by decision), `history config` (airisk.toml, setting by setting), `history people`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Named {
    Soa,
    Config,
    People,
}

impl Named {
    fn of(id: &str) -> Option<Named> {
        match id {
            "soa" => Some(Named::Soa),
            "config" => Some(Named::Config),
            "people" => Some(Named::People),
            _ => None,
        }
    }

    fn title(self) -> &'static str {
        match self {
            Named::Soa => Kind::Soa.title(),
            Named::Config => "configuration",
            Named::People => "people file",
        }
    }

    /// The file in the register read, else its usual name.
    fn file(self, reg: &Register, sources: &Sources) -> String {
        let loaded = match self {
            Named::Soa => reg.soa.as_ref().map(|s| s.file),
            Named::Config => Some(reg.config.file),
            Named::People => reg.people.as_ref().and_then(|p| p.file),
        };
        match (loaded, self) {
            (Some(f), _) => sources.path(f).to_string(),
            (None, Named::Soa) => "soa.yaml".into(),
            (None, Named::Config) => crate::load::CONFIG_FILE.into(),
            (None, Named::People) => "people.yaml".into(),
        }
    }

    /// Whether a register-relative path is this file (its `.yaml` or `.yml` spelling).
    fn is(self, path: &str) -> bool {
        match self {
            Named::Soa => Kind::of_path(path) == Some(Kind::Soa),
            Named::Config => path == crate::load::CONFIG_FILE,
            Named::People => path == "people.yaml" || path == "people.yml",
        }
    }
}

/// The entity `id`: the first kind `history` follows that has it (the symbol index says).
fn find(reg: &Register, sources: &Sources, id: &str) -> Option<Subject> {
    let kinds = followed();
    let symbol = reg.symbols.find(id, &kinds)?;
    let file = symbol.file()?;
    Some(Subject {
        kind: symbol.kind.title(),
        id: symbol.id.clone(),
        file: sources.path(file).to_string(),
    })
}

/// What changed between two versions of a file; a version over the size limit is not read,
/// so its fields are not compared.
fn summarize(
    before: Option<Content>,
    after: Option<Content>,
    what: What,
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
        (b, a) => match what {
            What::Entity { is_risk } => {
                changes::file_change(b.flatten(), a.flatten(), is_risk, criteria)
            }
            What::Named(Named::Soa) => changes::soa_change(b.flatten(), a.flatten(), criteria),
            What::Named(Named::Config) => changes::config_change(b.flatten(), a.flatten()),
            What::Named(Named::People) => {
                changes::file_change(b.flatten(), a.flatten(), false, criteria)
            }
        },
    }
}

/// How a file's versions are compared.
#[derive(Clone, Copy)]
enum What {
    Entity { is_risk: bool },
    Named(Named),
}

/// An id (or `soa`, `config`, `people`) that names nothing, now or in history.
fn unknown(reg: &Register, id: &str, removed: &[String]) -> anyhow::Error {
    let kinds = followed();
    let ids = kinds
        .iter()
        .flat_map(|k| reg.symbols.definitions(*k).map(|s| s.id.as_str()))
        .chain(removed.iter().map(String::as_str))
        .chain(["soa", "config", "people"]);
    let hint = crate::diag::did_you_mean(id, ids)
        .map(|s| format!("\nhelp: did you mean `{s}`?"))
        .unwrap_or_default();
    anyhow!(
        "no {} has the id `{id}`, now or in the history of the register{hint}",
        kinds::titles(kinds)
    )
}

/// Reads the history of the entity `id` of the register `loaded` (read from `git`'s
/// revision), or of `soa.yaml`, `airisk.toml` or `people.yaml` (`id` is `soa`, `config` or
/// `people`). An entity that no longer exists is found in history: its story ends with its
/// removal. `uncommitted` lists the register files with uncommitted changes (empty when
/// reading a revision).
pub fn read(git: &GitSource, loaded: &Loaded, id: &str, uncommitted: &[String]) -> Result<Story> {
    let reg = &loaded.register;
    let criteria = &reg.config.criteria;
    let named = Named::of(id);
    let (subject, what) = match named {
        Some(n) => (
            Subject {
                kind: n.title(),
                id: id.to_string(),
                file: n.file(reg, &loaded.sources),
            },
            What::Named(n),
        ),
        None => match find(reg, &loaded.sources, id) {
            Some(s) => {
                let is_risk = s.kind == Kind::Risk.title();
                (s, What::Entity { is_risk })
            }
            None => {
                // Not in the register now: the newest commit that removed it, if any.
                let kinds = followed();
                let wanted = |p: &str| Kind::of_path(p).is_some_and(|k| kinds.contains(&k));
                let mut seen = Vec::new();
                let Some(removal) = git.repo.removal(
                    &git.rev,
                    &git.prefix,
                    id,
                    &wanted,
                    removed_entity_id,
                    &mut seen,
                )?
                else {
                    return Err(unknown(reg, id, &seen));
                };
                let kind = Kind::of_path(&removal.path).unwrap_or(Kind::Risk);
                let subject = Subject {
                    kind: kind.title(),
                    id: id.to_string(),
                    file: removal.path.clone(),
                };
                let what = What::Entity {
                    is_risk: kind == Kind::Risk,
                };
                let log = git.repo.removed_log(
                    &git.rev,
                    &git.prefix,
                    &removal,
                    removed_entity_id,
                    |b, a| summarize(b, a, what, criteria),
                )?;
                return Ok(story(loaded, subject, log, true, false));
            }
        },
    };
    let mut log = git.repo.file_log(
        &git.rev,
        &git.prefix,
        &subject.file,
        crate::load::entity_id,
        |before, after| summarize(before, after, what, criteria),
    )?;
    let mut removed = false;
    if let Some(n) = named
        && log.entries.is_empty()
        && !log.truncated
        && !uncommitted.contains(&subject.file)
    {
        // soa.yaml or people.yaml is not in the register now: it may have been removed.
        let wanted = |p: &str| n.is(p);
        let mut seen = Vec::new();
        if let Some(removal) = git.repo.removal(
            &git.rev,
            &git.prefix,
            "",
            &wanted,
            |_| Some(String::new()),
            &mut seen,
        )? {
            log = git.repo.removed_log(
                &git.rev,
                &git.prefix,
                &removal,
                |_| Some(String::new()),
                |b, a| summarize(b, a, what, criteria),
            )?;
            removed = true;
        }
    }
    let uncommitted = uncommitted.contains(&subject.file);
    Ok(story(loaded, subject, log, removed, uncommitted))
}

/// The stories of the entities `ids` of the register `loaded`, each as [`read`] gives it,
/// from one read of the first-parent line (the audit pack: every risk's history). Ids the
/// register does not have are read one by one, as [`read`] reads them.
pub fn read_all(
    git: &GitSource,
    loaded: &Loaded,
    ids: &[&str],
    uncommitted: &[String],
) -> Result<Vec<Story>> {
    let reg = &loaded.register;
    let criteria = &reg.config.criteria;
    let mut found: Vec<(usize, Subject, bool)> = Vec::new();
    let mut out: Vec<Option<Story>> = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        match (Named::of(id), find(reg, &loaded.sources, id)) {
            (None, Some(s)) => {
                let is_risk = s.kind == Kind::Risk.title();
                found.push((i, s, is_risk));
                out.push(None);
            }
            _ => out.push(Some(read(git, loaded, id, uncommitted)?)),
        }
    }
    let paths: Vec<&str> = found.iter().map(|(_, s, _)| s.file.as_str()).collect();
    let risks: std::collections::HashSet<&str> = found
        .iter()
        .filter(|(_, _, is_risk)| *is_risk)
        .map(|(_, s, _)| s.file.as_str())
        .collect();
    let logs = git.repo.file_logs(
        &git.rev,
        &git.prefix,
        &paths,
        crate::load::entity_id,
        |path, before, after| {
            let is_risk = risks.contains(path);
            summarize(before, after, What::Entity { is_risk }, criteria)
        },
    )?;
    for ((i, subject, _), log) in found.iter().zip(logs) {
        let uncommitted = uncommitted.contains(&subject.file);
        out[*i] = Some(story(loaded, subject.clone(), log, false, uncommitted));
    }
    Ok(out.into_iter().map(|s| s.expect("every id read")).collect())
}

/// The stories of every risk that history removed and the register `loaded` no longer has
/// (the audit pack keeps their record, Clause 7.5), in id order: one pass over the
/// first-parent line finds the removals, then each story is read from its removal back, as
/// [`read`] reads a removed risk.
pub fn read_removed_risks(git: &GitSource, loaded: &Loaded) -> Result<Vec<(String, Story)>> {
    let reg = &loaded.register;
    let criteria = &reg.config.criteria;
    let wanted = |p: &str| Kind::of_path(p) == Some(Kind::Risk);
    let mut removed = git
        .repo
        .removals(&git.rev, &git.prefix, &wanted, removed_entity_id)?;
    removed.retain(|(id, _)| !id.is_empty() && reg.symbols.get(Kind::Risk, id).is_none());
    removed.sort_by(|a, b| natural_cmp(&a.0, &b.0));
    let what = What::Entity { is_risk: true };
    let mut out = Vec::with_capacity(removed.len());
    for (id, removal) in removed {
        let subject = Subject {
            kind: Kind::Risk.title(),
            id: id.clone(),
            file: removal.path.clone(),
        };
        let log = git.repo.removed_log(
            &git.rev,
            &git.prefix,
            &removal,
            removed_entity_id,
            |b, a| summarize(b, a, what, criteria),
        )?;
        out.push((id, story(loaded, subject, log, true, false)));
    }
    Ok(out)
}

/// The entity id of a version of a removed file: its `id`, or, when the version does not
/// parse, the value of its first top-level `id:` line. A pull request merged commit by
/// commit can break a file and then delete it (CI checks only the last commit, where the
/// file is gone): the removed entity keeps its record, found by the id it still declares.
fn removed_entity_id(text: &str) -> Option<String> {
    if let Some(id) = crate::load::entity_id(text) {
        return Some(id);
    }
    crate::load::declared_id(text).map(str::to_string)
}

/// The story of `subject` from its file's log.
fn story(
    loaded: &Loaded,
    subject: Subject,
    log: git::FileLog<FileChange>,
    removed: bool,
    uncommitted: bool,
) -> Story {
    let criteria = &loaded.register.config.criteria;
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
                decisions: e.summary.decisions.clone(),
                unreadable: e.summary.unreadable,
            }
        })
        .collect();
    Story {
        uncommitted,
        removed,
        subject,
        entries,
        truncated: log.truncated,
        threshold: criteria.acceptance_threshold,
        fetch_help: git::FETCH_HELP,
        max_file_mib: crate::load::MAX_FILE_BYTES >> 20,
    }
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

#[cfg(test)]
mod tests {
    use super::removed_entity_id;

    #[test]
    fn a_removed_version_is_identified_even_when_it_does_not_parse() {
        assert_eq!(
            removed_entity_id("id: R-001\ntitle: x\n").as_deref(),
            Some("R-001")
        );
        // Not YAML (an unclosed flow sequence): the first top-level `id:` line.
        let broken = "title: [unclosed\nid: \"R-002\"  # note\nid: R-009\n";
        assert_eq!(removed_entity_id(broken).as_deref(), Some("R-002"));
        assert_eq!(removed_entity_id("title: [x\n  id: nested\n"), None);
        assert_eq!(removed_entity_id("title: [x\nid:\n"), None);
    }
}
