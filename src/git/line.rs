//! The register's first-parent line, read once: for every commit on HEAD's (or `--at`'s)
//! first-parent line whose register folder differs from its first parent's, the files that
//! differ (register-relative path, blob before and after), following moves of the register
//! folder ([`moves`](super::moves)). Every file's history is a filter of it, so `pack` (the
//! history of every risk), `history ID` and the search for a removed entity walk the line
//! once per run however many files they ask about, and never again for the same commit.
//!
//! **The cache.** A line is kept in the repository's git folder, `.git/airisk/line-<key>.json`
//! (one file per register folder, `<key>` a digest of the folder's path), tagged with the
//! commit it was read from. A run on the same commit reads it and walks nothing; a run on a
//! descendant walks only the commits above it and appends the rest. The cache is never in the
//! working tree. Only someone who can write `.git` can plant one, and such a person can rewrite
//! the history itself; still, it is read like any untrusted input: a link or anything but a
//! regular file is ignored, a file over [`MAX_CACHE_BYTES`] is not read, a version, commit or
//! folder that does not match and any file that does not decode (truncated, corrupt) is
//! ignored, and the line is read from git and written again. It is written by the command
//! layer ([`take_cache_writes`]) through `output::replace` (a temporary file renamed into
//! place; a link at the name is replaced, never followed), into a folder created with no link
//! followed on the way; a cache that cannot be written (a read-only clone) is silently not
//! written.

use super::Rev;
use super::moves;
use super::objects::{self, Delta, load_commit};
use anyhow::Result;
use gix::ObjectId;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The cache's folder in the repository's git folder.
pub const CACHE_FOLDER: &str = "airisk";
/// The cache format's version: a file of another version is ignored.
pub const CACHE_VERSION: u32 = 1;
/// A cache file larger than this is not read (a 50,000-risk register's line takes about
/// 7 MB).
pub const MAX_CACHE_BYTES: u64 = 256 << 20;

/// One commit of the line that changed the register folder.
#[derive(Clone, Debug)]
pub struct Step {
    pub id: ObjectId,
    /// The register's folder in the commit, and in its first parent (they differ when the
    /// commit moved the register).
    pub prefix: String,
    pub parent_prefix: String,
    /// The files that differ from the first parent (all of them, added, for the commit that
    /// created the register).
    pub deltas: Vec<Delta>,
    /// Where each path is in `deltas`, for a step with many (a lookup per file asked about
    /// must not scan the 50,000 files of the register's first commit).
    by_path: Option<HashMap<String, usize>>,
    /// The files the commit deleted, with their last blob (for rename detection).
    deleted: Vec<(String, ObjectId)>,
}

impl Step {
    fn new(id: ObjectId, prefix: String, parent_prefix: String, deltas: Vec<Delta>) -> Step {
        let by_path = (deltas.len() > 16).then(|| {
            deltas
                .iter()
                .enumerate()
                .map(|(i, d)| (d.path.clone(), i))
                .collect()
        });
        let deleted = deltas
            .iter()
            .filter_map(|d| match (d.old, d.new) {
                (Some(o), None) => Some((d.path.clone(), o)),
                _ => None,
            })
            .collect();
        Step {
            id,
            prefix,
            parent_prefix,
            deltas,
            by_path,
            deleted,
        }
    }

    /// The change of a file (register-relative) in this commit, if it changed.
    pub fn find(&self, path: &str) -> Option<&Delta> {
        match &self.by_path {
            Some(m) => m.get(path).map(|&i| &self.deltas[i]),
            None => self.deltas.iter().find(|d| d.path == path),
        }
    }

    /// The files the commit deleted, with their last blob.
    pub fn deleted(&self) -> &[(String, ObjectId)] {
        &self.deleted
    }
}

/// The line from `head` down to the commit that created the register (or a shallow clone's
/// boundary), newest first.
#[derive(Clone, Debug)]
pub struct Line {
    pub head: ObjectId,
    /// The register's folder at `head`.
    pub prefix: String,
    pub steps: Vec<Step>,
    /// The walk stopped at a shallow clone's boundary.
    pub truncated: bool,
}

/// Reads the line of `rev` for the register at `prefix`, from the cache when it has it.
pub fn read(repo: &gix::Repository, rev: &Rev, prefix: &str, shallow: &[ObjectId]) -> Result<Line> {
    let path = cache_path(repo, prefix);
    let cached = path.as_deref().and_then(|p| load(p, prefix));
    if let Some(c) = &cached
        && c.head == rev.id
    {
        return Ok(cached.expect("just matched"));
    }
    let line = walk(repo, rev.id, prefix, shallow, cached)?;
    if let Some(p) = &path {
        store(p, &line);
    }
    Ok(line)
}

/// Walks the first-parent line from `head`; on reaching `known`'s head with the same folder,
/// takes the rest from it.
fn walk(
    repo: &gix::Repository,
    head: ObjectId,
    prefix: &str,
    shallow: &[ObjectId],
    known: Option<Line>,
) -> Result<Line> {
    let mut steps = Vec::new();
    let mut truncated = false;
    let mut prefix_here = prefix.to_string();
    let mut id = head;
    let mut cur = load_commit(repo, id)?;
    let mut cur_sub = objects::subtree(repo, cur.tree, &prefix_here)?;
    let mut known = known;
    loop {
        if let Some(k) = known.take_if(|k| k.head == id && k.prefix == prefix_here) {
            steps.extend(k.steps);
            truncated = k.truncated;
            break;
        }
        // Before the register existed there is nothing to learn.
        if cur_sub.is_none() {
            break;
        }
        if shallow.binary_search(&id).is_ok() {
            truncated = true;
            break;
        }
        let parent = match cur.parents.first() {
            Some(p) => Some((*p, load_commit(repo, *p)?)),
            None => None,
        };
        let mut parent_prefix = prefix_here.clone();
        let mut parent_sub = match &parent {
            Some((_, p)) => objects::subtree(repo, p.tree, &prefix_here)?,
            None => None,
        };
        if parent_sub != cur_sub
            && let Some((_, p)) = &parent
            && let Some(old) = moves::moved_from(repo, cur.tree, p.tree, &prefix_here)?
        {
            parent_sub = objects::subtree(repo, p.tree, &old)?;
            parent_prefix = old;
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
            steps.push(Step::new(
                id,
                prefix_here.clone(),
                parent_prefix.clone(),
                deltas,
            ));
        }
        let Some((pid, p)) = parent else { break };
        id = pid;
        cur = p;
        cur_sub = parent_sub;
        prefix_here = parent_prefix;
    }
    Ok(Line {
        head,
        prefix: prefix.to_string(),
        steps,
        truncated,
    })
}

/// The cache file of the register at `prefix`: in the repository's common git folder (shared
/// by its worktrees), never in the working tree. `None` for a repository without one.
fn cache_path(repo: &gix::Repository, prefix: &str) -> Option<PathBuf> {
    let digest = Sha256::digest(prefix.as_bytes());
    let key: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    Some(
        repo.common_dir()
            .join(CACHE_FOLDER)
            .join(format!("line-{key}.json")),
    )
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    head: String,
    prefix: String,
    truncated: bool,
    steps: Vec<CacheStep>,
}

#[derive(Serialize, Deserialize)]
struct CacheStep {
    id: String,
    prefix: String,
    parent_prefix: String,
    /// `[path, old blob or "", new blob or ""]`.
    deltas: Vec<(String, String, String)>,
}

/// The cached line, when the cache file is a regular file (not a link) within the size
/// limit that decodes, of this version and register folder; `None` otherwise.
fn load(path: &Path, prefix: &str) -> Option<Line> {
    use std::io::Read;
    // Neither the cache folder nor the file may be a link.
    let folder = std::fs::symlink_metadata(path.parent()?).ok()?;
    if !folder.file_type().is_dir() {
        return None;
    }
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_file() || meta.len() > MAX_CACHE_BYTES {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    // The name may have been swapped for a link since it was looked at: the file opened
    // must be the one looked at.
    let opened = file.metadata().ok()?;
    if !opened.is_file() || !same_file(&meta, &opened) {
        return None;
    }
    let mut bytes = Vec::new();
    file.take(MAX_CACHE_BYTES + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    if bytes.len() as u64 > MAX_CACHE_BYTES {
        return None;
    }
    decode(&bytes, prefix)
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    a.len() == b.len()
}

/// A line from the cache file's bytes (`None`: not a valid cache of `prefix`).
pub fn decode(bytes: &[u8], prefix: &str) -> Option<Line> {
    let f: CacheFile = serde_json::from_slice(bytes).ok()?;
    if f.version != CACHE_VERSION || f.prefix != prefix {
        return None;
    }
    let oid = |s: &str| ObjectId::from_hex(s.as_bytes()).ok();
    let side = |s: &str| -> Option<Option<ObjectId>> {
        if s.is_empty() {
            Some(None)
        } else {
            oid(s).map(Some)
        }
    };
    let mut steps = Vec::with_capacity(f.steps.len());
    for s in f.steps {
        let mut deltas = Vec::with_capacity(s.deltas.len());
        for (path, old, new) in s.deltas {
            deltas.push(Delta {
                path,
                old: side(&old)?,
                new: side(&new)?,
            });
        }
        steps.push(Step::new(oid(&s.id)?, s.prefix, s.parent_prefix, deltas));
    }
    Some(Line {
        head: oid(&f.head)?,
        prefix: f.prefix,
        steps,
        truncated: f.truncated,
    })
}

/// The cache file's bytes for a line.
pub fn encode(line: &Line) -> Vec<u8> {
    let hex = |o: &Option<ObjectId>| o.map(|o| o.to_string()).unwrap_or_default();
    let f = CacheFile {
        version: CACHE_VERSION,
        head: line.head.to_string(),
        prefix: line.prefix.clone(),
        truncated: line.truncated,
        steps: line
            .steps
            .iter()
            .map(|s| CacheStep {
                id: s.id.to_string(),
                prefix: s.prefix.clone(),
                parent_prefix: s.parent_prefix.clone(),
                deltas: s
                    .deltas
                    .iter()
                    .map(|d| (d.path.clone(), hex(&d.old), hex(&d.new)))
                    .collect(),
            })
            .collect(),
    };
    serde_json::to_vec(&f).unwrap_or_default()
}

/// A cache file to write: the git module never writes (only the command layer touches the
/// world, through `output`), so each line read from git leaves its cache here, and the
/// command layer writes what [`take_cache_writes`] gives it when the command is done.
#[derive(Clone, Debug)]
pub struct CacheWrite {
    /// The repository's common git folder (`.git`).
    pub git_dir: PathBuf,
    /// The folder below it (`airisk`), to create with no link followed on the way.
    pub folder: &'static str,
    /// The file's name in that folder.
    pub name: String,
    pub bytes: Vec<u8>,
}

static PENDING: Mutex<Vec<CacheWrite>> = Mutex::new(Vec::new());

/// The cache files this run has to write (each once), emptied.
pub fn take_cache_writes() -> Vec<CacheWrite> {
    std::mem::take(&mut *PENDING.lock().unwrap_or_else(|p| p.into_inner()))
}

/// Leaves the line's cache for the command layer to write.
fn store(path: &Path, line: &Line) {
    let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let Some(git_dir) = folder.parent() else {
        return;
    };
    let write = CacheWrite {
        git_dir: git_dir.to_path_buf(),
        folder: CACHE_FOLDER,
        name: name.to_string_lossy().into_owned(),
        bytes: encode(line),
    };
    let mut pending = PENDING.lock().unwrap_or_else(|p| p.into_inner());
    pending.retain(|w| w.git_dir != write.git_dir || w.name != write.name);
    pending.push(write);
}
