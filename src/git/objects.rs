//! Low-level object access over gix: decoding commits, looking up paths in trees, comparing
//! two trees by merge-joining their sorted entries (descending only into subtrees whose ids
//! differ), reading blobs, and a commit's description for output.

use super::message;
use super::walk::CommitInfo;
use anyhow::{Context, Result};
use gix::ObjectId;
use std::cmp::Ordering;

/// A decoded commit: what a walk needs.
pub struct Commit {
    pub tree: ObjectId,
    pub parents: Vec<ObjectId>,
    /// Committer time, seconds since the epoch.
    pub time: i64,
}

pub fn load_commit(repo: &gix::Repository, id: ObjectId) -> Result<Commit> {
    let c = repo
        .find_commit(id)
        .with_context(|| format!("cannot read commit {id}"))?;
    let d = c.decode()?;
    let time = d.committer()?.time()?.seconds;
    Ok(Commit {
        tree: d.tree(),
        parents: d.parents().collect(),
        time,
    })
}

/// Author, dates, message, trailers and pull request of a commit.
pub fn describe(repo: &gix::Repository, id: ObjectId) -> Result<CommitInfo> {
    let c = repo
        .find_commit(id)
        .with_context(|| format!("cannot read commit {id}"))?;
    let d = c.decode()?;
    let author = d.author()?;
    let committer = d.committer()?;
    let text = String::from_utf8_lossy(d.message.as_ref()).into_owned();
    let parents = d.parents().count();
    Ok(CommitInfo {
        id: id.to_string(),
        short: super::short(&id),
        author: author.name.to_string(),
        author_email: author.email.to_string(),
        author_date: timestamp(author.time()?),
        committer: committer.name.to_string(),
        committer_date: timestamp(committer.time()?),
        day: day(committer.time()?.seconds),
        summary: message::summary(&text),
        trailers: message::trailers(&text),
        pr: message::pull_request(&text),
        merge: parents > 1,
    })
}

/// RFC 3339 in the signature's own offset: `2026-03-02T10:15:00+01:00`.
fn timestamp(t: gix::date::Time) -> String {
    let offset = chrono::FixedOffset::east_opt(t.offset)
        .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).expect("zero offset"));
    chrono::DateTime::from_timestamp(t.seconds, 0)
        .map(|d| d.with_timezone(&offset).to_rfc3339())
        .unwrap_or_default()
}

/// The calendar day (UTC) of a time in seconds.
pub fn day(seconds: i64) -> chrono::NaiveDate {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|d| d.date_naive())
        .unwrap_or_default()
}

/// What a tree entry is, as far as a register cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Tree,
    File,
    /// A symbolic link or a submodule: never followed, never read.
    Other,
}

fn mode_of(m: gix::objs::tree::EntryMode) -> Mode {
    if m.is_tree() {
        Mode::Tree
    } else if m.is_blob() {
        Mode::File
    } else {
        Mode::Other
    }
}

/// The entries of a tree: (name, mode, id), in git's order.
pub fn entries(repo: &gix::Repository, tree: ObjectId) -> Result<Vec<(String, Mode, ObjectId)>> {
    let t = repo
        .find_tree(tree)
        .with_context(|| format!("cannot read tree {tree}"))?;
    let d = t.decode()?;
    Ok(d.entries
        .iter()
        .map(|e| (e.filename.to_string(), mode_of(e.mode), e.oid.to_owned()))
        .collect())
}

/// The object at a `/`-separated path below `tree` (`""` is the tree itself).
pub fn entry_at(
    repo: &gix::Repository,
    tree: ObjectId,
    path: &str,
) -> Result<Option<(ObjectId, Mode)>> {
    let mut current = (tree, Mode::Tree);
    for part in path.split('/').filter(|p| !p.is_empty()) {
        if current.1 != Mode::Tree {
            return Ok(None);
        }
        let t = repo
            .find_tree(current.0)
            .with_context(|| format!("cannot read tree {}", current.0))?;
        let d = t.decode()?;
        match d.entries.iter().find(|e| e.filename == part) {
            Some(e) => current = (e.oid.to_owned(), mode_of(e.mode)),
            None => return Ok(None),
        }
    }
    Ok(Some(current))
}

/// The objects along `path` below `tree`: the tree itself, then one per component found.
/// With `like` (the trail of the same path in another commit), the descent stops at the
/// first object the two share and returns `like`: below a shared object all is shared.
pub fn trail(
    repo: &gix::Repository,
    tree: ObjectId,
    path: &str,
    like: Option<&[(ObjectId, Mode)]>,
) -> Result<Vec<(ObjectId, Mode)>> {
    let mut out = vec![(tree, Mode::Tree)];
    for part in path.split('/').filter(|p| !p.is_empty()) {
        let (id, mode) = out[out.len() - 1];
        if let Some(like) = like
            && like.get(out.len() - 1) == Some(&(id, mode))
        {
            return Ok(like.to_vec());
        }
        if mode != Mode::Tree {
            break;
        }
        let t = repo
            .find_tree(id)
            .with_context(|| format!("cannot read tree {id}"))?;
        let d = t.decode()?;
        match d.entries.iter().find(|e| e.filename == part) {
            Some(e) => out.push((e.oid.to_owned(), mode_of(e.mode))),
            None => break,
        }
    }
    Ok(out)
}

/// The file at the end of a trail of `path`, when it is one.
pub fn trail_file(trail: &[(ObjectId, Mode)], path: &str) -> Option<ObjectId> {
    let n = path.split('/').filter(|p| !p.is_empty()).count();
    match trail.get(n) {
        Some((id, Mode::File)) if trail.len() == n + 1 => Some(*id),
        _ => None,
    }
}

/// The blob id of a file at `path` below `tree`, when it is a file there.
pub fn file_at(repo: &gix::Repository, tree: ObjectId, path: &str) -> Result<Option<ObjectId>> {
    Ok(match entry_at(repo, tree, path)? {
        Some((id, Mode::File)) => Some(id),
        _ => None,
    })
}

/// The subtree at `path` below a commit's tree, when it is a folder there.
pub fn subtree(repo: &gix::Repository, tree: ObjectId, path: &str) -> Result<Option<ObjectId>> {
    Ok(match entry_at(repo, tree, path)? {
        Some((id, Mode::Tree)) => Some(id),
        _ => None,
    })
}

pub fn blob(repo: &gix::Repository, id: ObjectId) -> Result<Vec<u8>> {
    let o = repo
        .find_object(id)
        .with_context(|| format!("cannot read blob {id}"))?;
    Ok(o.data.clone())
}

/// A file that differs between two trees: its path below the compared folder, and its blob
/// on each side (`None`: absent on that side).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delta {
    pub path: String,
    pub old: Option<ObjectId>,
    pub new: Option<ObjectId>,
}

/// git's tree-entry order: a tree's name compares as if it ended in `/`.
fn git_cmp(a: &[u8], a_tree: bool, b: &[u8], b_tree: bool) -> Ordering {
    let n = a.len().min(b.len());
    match a[..n].cmp(&b[..n]) {
        Ordering::Equal => {}
        o => return o,
    }
    let ac = a.get(n).copied().unwrap_or(if a_tree { b'/' } else { 0 });
    let bc = b.get(n).copied().unwrap_or(if b_tree { b'/' } else { 0 });
    ac.cmp(&bc)
}

/// The files that differ between two folders (either may be absent), merge-joining their
/// sorted entries and descending only into subtrees whose ids differ and for which `open`
/// (given the subtree's path) says there is something to find.
pub fn diff(
    repo: &gix::Repository,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
    prefix: &str,
    out: &mut Vec<Delta>,
    open: &dyn Fn(&str) -> bool,
) -> Result<()> {
    if old == new || !open(prefix) {
        return Ok(());
    }
    let find = |t: ObjectId| {
        repo.find_tree(t)
            .with_context(|| format!("cannot read tree {t}"))
    };
    let (a_obj, b_obj) = (old.map(find).transpose()?, new.map(find).transpose()?);
    let a = match &a_obj {
        Some(t) => t.decode()?.entries,
        None => Vec::new(),
    };
    let b = match &b_obj {
        Some(t) => t.decode()?.entries,
        None => Vec::new(),
    };
    let entry =
        |e: &gix::objs::tree::EntryRef| (e.filename.to_string(), mode_of(e.mode), e.oid.to_owned());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let ord = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) => git_cmp(
                x.filename.as_ref(),
                x.mode.is_tree(),
                y.filename.as_ref(),
                y.mode.is_tree(),
            ),
            (Some(_), None) => Ordering::Less,
            _ => Ordering::Greater,
        };
        match ord {
            Ordering::Less => {
                side(repo, &entry(&a[i]), prefix, true, out, open)?;
                i += 1;
            }
            Ordering::Greater => {
                side(repo, &entry(&b[j]), prefix, false, out, open)?;
                j += 1;
            }
            Ordering::Equal => {
                let (x, y) = (&a[i], &b[j]);
                let (xm, ym) = (mode_of(x.mode), mode_of(y.mode));
                if x.oid != y.oid || xm != ym {
                    let path = super::join(prefix, &y.filename.to_string());
                    match (xm, ym) {
                        (Mode::Tree, Mode::Tree) => diff(
                            repo,
                            Some(x.oid.to_owned()),
                            Some(y.oid.to_owned()),
                            &path,
                            out,
                            open,
                        )?,
                        (Mode::File, Mode::File) => out.push(Delta {
                            path,
                            old: Some(x.oid.to_owned()),
                            new: Some(y.oid.to_owned()),
                        }),
                        _ => {
                            side(repo, &entry(x), prefix, true, out, open)?;
                            side(repo, &entry(y), prefix, false, out, open)?;
                        }
                    }
                }
                i += 1;
                j += 1;
            }
        }
    }
    Ok(())
}

/// Every question is open: the full difference.
pub fn everything(_: &str) -> bool {
    true
}

/// An entry present on one side only: a file added or deleted, or every file of a folder.
fn side(
    repo: &gix::Repository,
    e: &(String, Mode, ObjectId),
    prefix: &str,
    deleted: bool,
    out: &mut Vec<Delta>,
    open: &dyn Fn(&str) -> bool,
) -> Result<()> {
    let path = super::join(prefix, &e.0);
    match e.1 {
        Mode::Tree => {
            let (old, new) = if deleted {
                (Some(e.2), None)
            } else {
                (None, Some(e.2))
            };
            diff(repo, old, new, &path, out, open)
        }
        Mode::File => {
            out.push(if deleted {
                Delta {
                    path,
                    old: Some(e.2),
                    new: None,
                }
            } else {
                Delta {
                    path,
                    old: None,
                    new: Some(e.2),
                }
            });
            Ok(())
        }
        Mode::Other => Ok(()),
    }
}

/// Every file below a folder: (path below it, blob).
pub fn files(
    repo: &gix::Repository,
    tree: ObjectId,
    prefix: &str,
    out: &mut Vec<(String, ObjectId)>,
) -> Result<()> {
    for (name, mode, id) in entries(repo, tree)? {
        let path = super::join(prefix, &name);
        match mode {
            Mode::Tree => files(repo, id, &path, out)?,
            Mode::File => out.push((path, id)),
            Mode::Other => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trees_sort_as_if_they_ended_in_a_slash() {
        assert_eq!(git_cmp(b"a", true, b"a.yaml", false), Ordering::Greater);
        assert_eq!(git_cmp(b"a", false, b"a.yaml", false), Ordering::Less);
        assert_eq!(git_cmp(b"a", true, b"a", true), Ordering::Equal);
        assert_eq!(git_cmp(b"a", true, b"a-b", false), Ordering::Greater);
    }
}
