//! One file's history for `airisk history`: every non-merge commit that changed it, newest
//! first, following renames (a file added in the same first-parent commit that deleted a
//! file with the same content or the same entity `id`), each with the file's text before and
//! after, and the merge that brought it to the first-parent line.
//!
//! It filters the register's first-parent line ([`line`](super::line): read once per run
//! however many files are asked about, and cached by commit), following renames and moves of
//! the register folder; a merge that changed the file is followed into its branch. Each
//! commit's description and landing, and the commits of a merged branch, are the line's
//! ([`Line::info`], [`Line::brought`]): read once, and kept in the cache.
//!
//! The versions are not kept: each entry's two texts go to the caller's `summarize` as they
//! are read, and only what it returns is kept (for `history`, the field changes), so a long
//! history of a large file never sits in memory whole. A version over
//! [`MAX_FILE_BYTES`](crate::load::MAX_FILE_BYTES) is never decompressed (its size is read
//! from the blob's header) and reaches `summarize` as [`Content::TooBig`].

use super::join;
use super::line::Line;
use super::objects::{self, Blob, load_commit};
use super::walk::{Change, rename_from};
use crate::load::MAX_FILE_BYTES;
use anyhow::Result;
use gix::ObjectId;

/// One version of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    /// Relative to the register folder.
    pub path: String,
}

/// A version's content, as `summarize` receives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Content<'a> {
    /// The text (invalid UTF-8 replaced).
    Text(&'a str),
    /// Over the size limit: not read.
    TooBig,
}

/// One commit that changed the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry<T> {
    /// The commit, the merge that brought it, its pull request and approvals.
    pub change: Change,
    /// The file before the commit (`None`: created by it).
    pub before: Option<Version>,
    /// The file after the commit (`None`: deleted by it).
    pub after: Option<Version>,
    /// What `summarize` made of the two versions.
    pub summary: T,
}

/// The commits that changed a file, newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileLog<T> {
    pub path: String,
    pub entries: Vec<LogEntry<T>>,
    /// The walk reached a shallow clone's boundary before the file's creation: older
    /// commits are missing.
    pub truncated: bool,
}

/// A version's text, read once: the last one read is kept, because the older side of an
/// entry is the newer side of the next.
struct Texts<'r> {
    repo: &'r gix::Repository,
    kept: Option<(ObjectId, Option<String>)>,
}

impl Texts<'_> {
    /// The text of a blob (`None`: over the size limit).
    fn take(&mut self, id: ObjectId) -> Result<Option<String>> {
        if let Some((kept, _)) = &self.kept
            && *kept == id
            && let Some((_, text)) = self.kept.take()
        {
            return Ok(text);
        }
        Ok(match objects::blob(self.repo, id, MAX_FILE_BYTES)? {
            Blob::Bytes(b) => Some(String::from_utf8_lossy(&b).into_owned()),
            Blob::TooBig(_) => None,
        })
    }

    /// An entry of the log from the blobs and paths of its two sides.
    fn entry<T>(
        &mut self,
        change: Change,
        before: Option<(ObjectId, String)>,
        after: Option<(ObjectId, String)>,
        summarize: &mut dyn FnMut(Option<Content>, Option<Content>) -> T,
    ) -> Result<LogEntry<T>> {
        let after_text = after.as_ref().map(|(b, _)| self.take(*b)).transpose()?;
        let before_text = before.as_ref().map(|(b, _)| self.take(*b)).transpose()?;
        fn content(t: &Option<String>) -> Content<'_> {
            match t {
                Some(t) => Content::Text(t.as_str()),
                None => Content::TooBig,
            }
        }
        let summary = summarize(
            before_text.as_ref().map(content),
            after_text.as_ref().map(content),
        );
        if let (Some((b, _)), Some(text)) = (&before, before_text) {
            self.kept = Some((*b, text));
        }
        Ok(LogEntry {
            change,
            before: before.map(|(_, path)| Version { path }),
            after: after.map(|(_, path)| Version { path }),
            summary,
        })
    }
}

/// The log of the file `path` (register-relative) from `line`'s head, or, with `removed`,
/// from the step that deleted it (`start`): every commit of the line that changed it, newest
/// first, following renames, each merge followed into its branch.
#[allow(clippy::too_many_arguments)]
pub(super) fn read<T>(
    repo: &gix::Repository,
    line: &Line,
    start: usize,
    (head, head_prefix): (ObjectId, &str),
    path: &str,
    removed: bool,
    shallow: &[ObjectId],
    identify: super::Identify,
    summarize: &mut dyn FnMut(Option<Content>, Option<Content>) -> T,
) -> Result<FileLog<T>> {
    let mut texts = Texts { repo, kept: None };
    let mut entries = Vec::new();
    let mut name = path.to_string();
    if !removed {
        let head = load_commit(repo, head)?;
        if objects::file_at(repo, head.tree, &join(head_prefix, &name))?.is_none() {
            // Not in the revision (a new, uncommitted file): no commit has it.
            return Ok(FileLog {
                path: path.to_string(),
                entries,
                truncated: false,
            });
        }
    }
    let mut created = false;
    // The steps that changed the file (under each of its names in turn), from the line's
    // index: a file's log costs its own changes, not the line's length.
    let mut from = start;
    while let Some((i, d)) = line.next_change(&name, from) {
        from = i + 1;
        let step = &line.steps[i];
        let (new, old) = (d.new, d.old);
        let (old, old_name) = match (old, new) {
            (None, Some(n)) => match rename_from(repo, n, step.deleted(), identify)? {
                Some((o, n)) => (Some(o), n),
                None => (None, name.clone()),
            },
            _ => (old, name.clone()),
        };
        created = old.is_none();
        let prefix = step.prefix.as_str();
        let here = line.info(repo, i)?;
        let brought = line.brought(repo, shallow, i)?;
        let landed = brought.landing.clone();
        let mut in_branch = Vec::new();
        if step.parents.len() > 1 {
            let mut names = vec![name.clone()];
            if old_name != name {
                names.push(old_name.clone());
            }
            let touched = brought
                .branch
                .iter()
                .filter(|c| names.iter().any(|n| c.changes(n)));
            for c in touched {
                let id = ObjectId::from_hex(c.info.id.as_bytes())?;
                let commit = load_commit(repo, id)?;
                let ptree = match commit.parents.first() {
                    Some(p) => Some(load_commit(repo, *p)?.tree),
                    None => None,
                };
                let after = find(repo, Some(commit.tree), prefix, &names)?;
                let before = find(repo, ptree, prefix, &names)?;
                let change = Change::new(
                    c.info.clone(),
                    Some(here.clone()),
                    name.clone(),
                    landed.clone(),
                );
                in_branch.push(texts.entry(change, before, after, summarize)?);
            }
        }
        if in_branch.is_empty() {
            entries.push(texts.entry(
                Change::new(here, None, name.clone(), landed),
                old.map(|b| (b, old_name.clone())),
                new.map(|b| (b, name.clone())),
                summarize,
            )?);
        } else {
            entries.extend(in_branch);
        }
        name = old_name;
        if created {
            break;
        }
    }
    Ok(FileLog {
        path: path.to_string(),
        entries,
        truncated: line.truncated && !created,
    })
}

/// The first of `names` that is a file in `tree`'s register folder, with its blob.
fn find(
    repo: &gix::Repository,
    tree: Option<ObjectId>,
    prefix: &str,
    names: &[String],
) -> Result<Option<(ObjectId, String)>> {
    let Some(tree) = tree else { return Ok(None) };
    for n in names {
        if let Some(b) = objects::file_at(repo, tree, &join(prefix, n))? {
            return Ok(Some((b, n.clone())));
        }
    }
    Ok(None)
}

/// A file of the register that a commit on the first-parent line deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removal {
    /// The step of the line (see [`Repo::line`](super::Repo)) that deleted it.
    step: usize,
    /// The file, relative to the register folder, as it was before the deletion.
    pub path: String,
}

impl Removal {
    pub(super) fn step(&self) -> usize {
        self.step
    }
}

/// Every deletion on `line` from `start` of a register file (one `wanted` accepts by path)
/// whose last version declares an entity id (as `identify` reads it), newest first, to
/// `visit` until it returns `false`. A file deleted and added again in the same commit with
/// the same id (a rename) is not a removal; the ids a commit added are read once, for the
/// first deletion of that commit.
fn visit_removals(
    repo: &gix::Repository,
    line: &Line,
    start: usize,
    wanted: &dyn Fn(&str) -> bool,
    identify: super::Identify,
    mut visit: impl FnMut(String, Removal) -> bool,
) -> Result<()> {
    for (i, step) in line.steps.iter().enumerate().skip(start) {
        let mut added: Option<Vec<String>> = None;
        for d in &step.deltas {
            let (Some(old), None) = (d.old, d.new) else {
                continue;
            };
            if !wanted(&d.path) {
                continue;
            }
            let Some(found) = objects::text(repo, old)?.as_deref().and_then(identify) else {
                continue;
            };
            if added.is_none() {
                let mut ids = Vec::new();
                for a in step
                    .deltas
                    .iter()
                    .filter(|a| a.old.is_none() && wanted(&a.path))
                {
                    if let Some(n) = a.new
                        && let Some(id) = objects::text(repo, n)?.as_deref().and_then(identify)
                    {
                        ids.push(id);
                    }
                }
                added = Some(ids);
            }
            if added.as_ref().is_some_and(|ids| ids.contains(&found)) {
                continue;
            }
            let removal = Removal {
                step: i,
                path: d.path.clone(),
            };
            if !visit(found, removal) {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// Every entity that a commit of `line` from `start` deleted (files `wanted` accepts by
/// path, identified by `identify` from their last version), newest removal first, each id
/// once (its newest removal), as [`visit_removals`] meets them. One pass over the line,
/// whatever the number of removed entities (the audit pack's histories of removed risks).
pub(super) fn removals(
    repo: &gix::Repository,
    line: &Line,
    start: usize,
    wanted: &dyn Fn(&str) -> bool,
    identify: super::Identify,
) -> Result<Vec<(String, Removal)>> {
    let mut out: Vec<(String, Removal)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    visit_removals(repo, line, start, wanted, identify, |id, removal| {
        if seen.insert(id.clone()) {
            out.push((id, removal));
        }
        true
    })?;
    Ok(out)
}

/// The newest commit of `line` that deleted a register file (one of the files `wanted`
/// accepts by path) whose last version declares the entity id `id` (as `identify` reads it),
/// renames excepted, as [`visit_removals`] meets them. `seen` collects the ids of the other
/// removed files met on the way (for a "did you mean").
pub(super) fn removal(
    repo: &gix::Repository,
    line: &Line,
    start: usize,
    id: &str,
    wanted: &dyn Fn(&str) -> bool,
    identify: super::Identify,
    seen: &mut Vec<String>,
) -> Result<Option<Removal>> {
    let mut out = None;
    visit_removals(repo, line, start, wanted, identify, |found, removal| {
        if found == id {
            out = Some(removal);
            false
        } else {
            seen.push(found);
            true
        }
    })?;
    Ok(out)
}
