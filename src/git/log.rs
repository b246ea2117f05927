//! One file's history for `airisk history`: every non-merge commit that changed it, newest
//! first, following renames (a file added in the same first-parent commit that deleted a
//! file with the same content or the same entity `id`), each with the file's text before and
//! after, and the merge that brought it to the first-parent line.
//!
//! Like [`walk`](super::walk), it goes down the first-parent line once, comparing the file's
//! blob with the first parent's; a merge that changed the file is followed into its branch.

use super::objects::{self, load_commit};
use super::walk::{Change, branch_commits, landing, rename_source};
use super::{Rev, join};
use anyhow::Result;
use gix::ObjectId;
use std::collections::HashMap;
use std::sync::Arc;

/// One version of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    /// Relative to the register folder.
    pub path: String,
    pub text: String,
}

/// One commit that changed the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    /// The commit, the merge that brought it, its pull request and approvals.
    pub change: Change,
    /// The file before the commit (`None`: created by it).
    pub before: Option<Version>,
    /// The file after the commit (`None`: deleted by it).
    pub after: Option<Version>,
}

/// The commits that changed a file, newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileLog {
    pub path: String,
    pub entries: Vec<LogEntry>,
    /// The walk reached a shallow clone's boundary before the file's creation: older
    /// commits are missing.
    pub truncated: bool,
}

pub(super) fn read(
    repo: &gix::Repository,
    rev: &Rev,
    prefix: &str,
    path: &str,
    shallow: &[ObjectId],
) -> Result<FileLog> {
    let mut texts: HashMap<ObjectId, String> = HashMap::new();
    let mut version = |blob: Option<ObjectId>, path: &str| -> Result<Option<Version>> {
        let Some(b) = blob else { return Ok(None) };
        let text = match texts.entry(b) {
            std::collections::hash_map::Entry::Occupied(e) => e.get().clone(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let bytes = objects::blob(repo, b)?;
                e.insert(String::from_utf8_lossy(&bytes).into_owned())
                    .clone()
            }
        };
        Ok(Some(Version {
            path: path.to_string(),
            text,
        }))
    };
    let mut entries = Vec::new();
    let mut truncated = false;
    let mut name = path.to_string();
    let mut id = rev.id;
    let mut cur = load_commit(repo, id)?;
    let full = |name: &str| join(prefix, name);
    let mut cur_trail = objects::trail(repo, cur.tree, &full(&name), None)?;
    if objects::trail_file(&cur_trail, &full(&name)).is_none() {
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
        let parent_trail = match &parent {
            Some(p) => objects::trail(repo, p.tree, &full(&name), Some(&cur_trail))?,
            None => Vec::new(),
        };
        let new = objects::trail_file(&cur_trail, &full(&name));
        let old = objects::trail_file(&parent_trail, &full(&name));
        let mut created = false;
        if new != old {
            let (old, old_name) = match (old, new) {
                (None, Some(n)) => {
                    let sub = objects::subtree(repo, cur.tree, prefix)?;
                    let psub = match &parent {
                        Some(p) => objects::subtree(repo, p.tree, prefix)?,
                        None => None,
                    };
                    let mut deltas = Vec::new();
                    objects::diff(repo, psub, sub, "", &mut deltas, &objects::everything)?;
                    match rename_source(repo, n, &deltas)? {
                        Some((o, n)) => (Some(o), n),
                        None => (None, name.clone()),
                    }
                }
                _ => (old, name.clone()),
            };
            created = old.is_none();
            let here = objects::describe(repo, id)?;
            let landed = Arc::new(landing(repo, &cur, &here, prefix, shallow)?);
            let mut in_branch = Vec::new();
            if cur.parents.len() > 1 {
                let mut names = vec![name.clone()];
                if old_name != name {
                    names.push(old_name.clone());
                }
                for (c, _) in branch_commits(repo, &cur, prefix, &names, false)? {
                    let commit = load_commit(repo, c)?;
                    let ptree = match commit.parents.first() {
                        Some(p) => Some(load_commit(repo, *p)?.tree),
                        None => None,
                    };
                    let after = find(repo, Some(commit.tree), prefix, &names)?;
                    let before = find(repo, ptree, prefix, &names)?;
                    in_branch.push(LogEntry {
                        change: Change::new(
                            objects::describe(repo, c)?,
                            Some(here.clone()),
                            name.clone(),
                            landed.clone(),
                        ),
                        before: match before {
                            Some((b, p)) => version(Some(b), &p)?,
                            None => None,
                        },
                        after: match after {
                            Some((b, p)) => version(Some(b), &p)?,
                            None => None,
                        },
                    });
                }
            }
            if in_branch.is_empty() {
                entries.push(LogEntry {
                    change: Change::new(here, None, name.clone(), landed),
                    before: version(old, &old_name)?,
                    after: version(new, &name)?,
                });
            } else {
                entries.extend(in_branch);
            }
            name = old_name;
        }
        match (parent, cur.parents.first()) {
            (Some(p), Some(pid)) if !created => {
                id = *pid;
                cur_trail = if new == old {
                    parent_trail
                } else {
                    objects::trail(repo, p.tree, &full(&name), None)?
                };
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
