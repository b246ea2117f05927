//! One file's history for `airisk history`: every non-merge commit that changed it, newest
//! first, following renames (a file added in the same first-parent commit that deleted a
//! file with the same content or the same entity `id`), each with the file's text before and
//! after, and the merge that brought it to the first-parent line.
//!
//! Like [`walk`](super::walk), it goes down the first-parent line once, comparing the file's
//! blob with the first parent's; a merge that changed the file is followed into its branch.
//!
//! The versions are not kept: each entry's two texts go to the caller's `summarize` as they
//! are read, and only what it returns is kept (for `history`, the field changes), so a long
//! history of a large file never sits in memory whole. A version over
//! [`MAX_FILE_BYTES`](crate::load::MAX_FILE_BYTES) is never decompressed (its size is read
//! from the blob's header) and reaches `summarize` as [`Content::TooBig`].

use super::moves;
use super::objects::{self, Blob, load_commit};
use super::walk::{Change, branch_commits, landing, rename_source};
use super::{Rev, join};
use crate::load::MAX_FILE_BYTES;
use anyhow::Result;
use gix::ObjectId;
use std::sync::Arc;

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

pub(super) fn read<T>(
    repo: &gix::Repository,
    rev: &Rev,
    prefix: &str,
    path: &str,
    shallow: &[ObjectId],
    identify: super::Identify,
    summarize: &mut dyn FnMut(Option<Content>, Option<Content>) -> T,
) -> Result<FileLog<T>> {
    read_from(repo, rev, prefix, path, false, shallow, identify, summarize)
}

/// [`read`], from `rev`; with `removed`, the file is not in `rev` but in its first parent
/// (`rev` deleted it), and the log starts with its removal.
#[allow(clippy::too_many_arguments)]
pub(super) fn read_from<T>(
    repo: &gix::Repository,
    rev: &Rev,
    prefix: &str,
    path: &str,
    removed: bool,
    shallow: &[ObjectId],
    identify: super::Identify,
    summarize: &mut dyn FnMut(Option<Content>, Option<Content>) -> T,
) -> Result<FileLog<T>> {
    let mut texts = Texts { repo, kept: None };
    let mut entries = Vec::new();
    let mut truncated = false;
    let mut name = path.to_string();
    // The register's folder in the commit read (it changes across a move of the folder).
    let mut prefix = prefix.to_string();
    let mut id = rev.id;
    let mut cur = load_commit(repo, id)?;
    let mut cur_trail = objects::trail(repo, cur.tree, &join(&prefix, &name), None)?;
    if !removed && objects::trail_file(&cur_trail, &join(&prefix, &name)).is_none() {
        // Not in the revision (a new, uncommitted file): no commit has it.
        return Ok(FileLog {
            path: path.to_string(),
            entries,
            truncated,
        });
    }
    loop {
        if shallow.binary_search(&id).is_ok() {
            truncated = true;
            break;
        }
        let parent = match cur.parents.first() {
            Some(p) => Some(load_commit(repo, *p)?),
            None => None,
        };
        let mut pprefix = prefix.clone();
        let mut parent_trail = match &parent {
            Some(p) => objects::trail(repo, p.tree, &join(&prefix, &name), Some(&cur_trail))?,
            None => Vec::new(),
        };
        let new = objects::trail_file(&cur_trail, &join(&prefix, &name));
        let mut old = objects::trail_file(&parent_trail, &join(&prefix, &name));
        if new.is_some()
            && old.is_none()
            && let Some(p) = &parent
            && let Some(from) = moves::moved_from(repo, cur.tree, p.tree, &prefix)?
        {
            // The commit moved the register folder: the file was under the old folder.
            parent_trail = objects::trail(repo, p.tree, &join(&from, &name), None)?;
            old = objects::trail_file(&parent_trail, &join(&from, &name));
            pprefix = from;
        }
        let mut created = false;
        if new != old {
            let (old, old_name) = match (old, new) {
                (None, Some(n)) => {
                    let sub = objects::subtree(repo, cur.tree, &prefix)?;
                    let psub = match &parent {
                        Some(p) => objects::subtree(repo, p.tree, &pprefix)?,
                        None => None,
                    };
                    let mut deltas = Vec::new();
                    objects::diff(repo, psub, sub, "", &mut deltas, &objects::everything)?;
                    match rename_source(repo, n, &deltas, identify)? {
                        Some((o, n)) => (Some(o), n),
                        None => (None, name.clone()),
                    }
                }
                _ => (old, name.clone()),
            };
            created = old.is_none();
            let here = objects::describe(repo, id)?;
            let landed = Arc::new(landing(repo, &cur, &here, &prefix, shallow)?);
            let mut in_branch = Vec::new();
            if cur.parents.len() > 1 {
                let mut names = vec![name.clone()];
                if old_name != name {
                    names.push(old_name.clone());
                }
                for (c, _) in branch_commits(repo, &cur, &prefix, &names, false)? {
                    let commit = load_commit(repo, c)?;
                    let ptree = match commit.parents.first() {
                        Some(p) => Some(load_commit(repo, *p)?.tree),
                        None => None,
                    };
                    let after = find(repo, Some(commit.tree), &prefix, &names)?;
                    let before = find(repo, ptree, &prefix, &names)?;
                    let change = Change::new(
                        objects::describe(repo, c)?,
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
        }
        match (parent, cur.parents.first()) {
            (Some(p), Some(pid)) if !created => {
                id = *pid;
                cur_trail = if new == old && pprefix == prefix {
                    parent_trail
                } else {
                    objects::trail(repo, p.tree, &join(&pprefix, &name), None)?
                };
                prefix = pprefix;
                cur = p;
            }
            _ => break,
        }
    }
    Ok(FileLog {
        path: path.to_string(),
        entries,
        truncated,
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
    /// The commit that deleted it.
    pub commit: ObjectId,
    /// The register's folder in that commit (after any move of the folder).
    pub prefix: String,
    /// The file, relative to the register folder, as it was before the deletion.
    pub path: String,
}

/// The newest first-parent commit of `rev`'s line that deleted a register file (one of the
/// files `wanted` accepts by path) whose last version declares the entity id `id` (as
/// `identify` reads it); a file deleted and added again elsewhere with the same id (a rename)
/// is not a removal. `seen` collects the ids of every deleted file read on the way (for a
/// "did you mean"). The walk follows moves of the register folder and stops at the first
/// match, at the first commit, or at a shallow clone's boundary.
#[allow(clippy::too_many_arguments)]
pub(super) fn removal(
    repo: &gix::Repository,
    rev: &Rev,
    prefix: &str,
    id: &str,
    wanted: &dyn Fn(&str) -> bool,
    identify: super::Identify,
    shallow: &[ObjectId],
    seen: &mut Vec<String>,
) -> Result<Option<Removal>> {
    let mut prefix = prefix.to_string();
    let mut at = rev.id;
    let mut cur = load_commit(repo, at)?;
    let mut cur_sub = objects::subtree(repo, cur.tree, &prefix)?;
    loop {
        if shallow.binary_search(&at).is_ok() {
            return Ok(None);
        }
        let Some(pid) = cur.parents.first().copied() else {
            return Ok(None);
        };
        let parent = load_commit(repo, pid)?;
        let mut pprefix = prefix.clone();
        let mut parent_sub = objects::subtree(repo, parent.tree, &prefix)?;
        if parent_sub != cur_sub
            && let Some(from) = moves::moved_from(repo, cur.tree, parent.tree, &prefix)?
        {
            parent_sub = objects::subtree(repo, parent.tree, &from)?;
            pprefix = from;
        }
        if parent_sub != cur_sub {
            let mut deltas = Vec::new();
            objects::diff(
                repo,
                parent_sub,
                cur_sub,
                "",
                &mut deltas,
                &objects::everything,
            )?;
            let added: Vec<ObjectId> = deltas
                .iter()
                .filter(|d| d.old.is_none() && wanted(&d.path))
                .filter_map(|d| d.new)
                .collect();
            for d in &deltas {
                let (Some(old), None) = (d.old, d.new) else {
                    continue;
                };
                if !wanted(&d.path) {
                    continue;
                }
                let Some(found) = objects::text(repo, old)?.as_deref().and_then(identify) else {
                    continue;
                };
                if found != id {
                    seen.push(found);
                    continue;
                }
                // Renamed in the same commit (an added file of the same kind with the same id):
                // not removed.
                let mut renamed = false;
                for n in &added {
                    if objects::text(repo, *n)?
                        .as_deref()
                        .and_then(identify)
                        .as_deref()
                        == Some(id)
                    {
                        renamed = true;
                        break;
                    }
                }
                if !renamed {
                    return Ok(Some(Removal {
                        commit: at,
                        prefix,
                        path: d.path.clone(),
                    }));
                }
            }
        }
        at = pid;
        cur = parent;
        cur_sub = parent_sub;
        prefix = pprefix;
    }
}
