//! The register's first-parent line, read once and only as deep as asked: for every commit
//! on HEAD's (or `--at`'s) first-parent line down to the commit that created the register
//! (or a shallow clone's boundary), its committer time, whether its register folder differs
//! from its first parent's and, when it does, the files that differ (register-relative path,
//! blob before and after), following moves of the register folder
//! ([`moves`](super::moves)). Every git question of a run is a filter of it: the git rules,
//! the provenance of every file and document control ([`walk`](super::walk)), `pack` (the
//! history of every risk), `history ID`, the search for a removed entity, and `diff`'s two
//! sides (an older side on the line is a suffix of the newer side's line).
//!
//! The line is read lazily ([`Line::ensure`]): a filter asks for the next commit, and the
//! line reads it from git only when it has not read it yet, so a question answered within the
//! last commits reads no further. What a filter asks about a commit beyond its change — its
//! description ([`Line::info`]), and for the approvals the authors and trailers of the branch
//! it merged with the files each branch commit changed ([`Line::brought`]) — is read once, on
//! first use, and kept with the commit.
//!
//! **Partial steps.** A commit read for a walk compares only the folders the walk still has
//! a question below ([`Line::ensure`]'s `open`); the others are noted with the step
//! ([`Step::skipped`]) and compared when a later question needs them ([`Line::complete`]):
//! every answer is the one a whole comparison gives. Each tree is read from git once per
//! walk ([`objects::Trees`]). A line read whole is indexed by path ([`PathIndex`]), so a
//! file's log visits only the commits that changed it.
//!
//! **The cache.** A line is kept in the repository's git folder, `.git/airisk/line-<key>.json`
//! (one file per register folder, `<key>` a digest of the folder's path), tagged with the
//! commit it was read from, how deep it was read and what was learnt about each commit. A
//! run on the same commit reads it and walks nothing; a run on a descendant walks only the
//! commits above it and takes the rest from it; a run on a commit of the line (an older side
//! of `diff`, `--at HEAD~3`) reads its suffix. The cache is never in the working tree. Only
//! someone who can write `.git` can plant one, and such a person can rewrite the history
//! itself; still, it is read like any untrusted input: a link or anything but a regular file
//! is ignored, a file over [`MAX_CACHE_BYTES`] is not read, a version, commit or folder that
//! does not match and any file that does not decode (truncated, corrupt, a description of
//! another commit) is ignored, and the line is read from git and written again. It is written
//! by the command layer ([`take_cache_writes`]) through `output::replace` (a temporary file
//! renamed into place; a link at the name is replaced, never followed), into a folder created
//! with no link followed on the way; a cache that cannot be written (a read-only clone) is
//! silently not written.

use super::approval::Landing;
use super::message::Trailer;
use super::moves;
use super::objects::{self, Commit, Delta, load_commit};
use super::walk::{CommitInfo, bring};
use crate::model::{Identity, PullRequest};
use anyhow::Result;
use gix::ObjectId;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The cache's folder in the repository's git folder.
pub const CACHE_FOLDER: &str = "airisk";
/// The cache format's version: a file of another version is ignored.
pub const CACHE_VERSION: u32 = 3;
/// A cache file larger than this is not read (a 50,000-risk register's line takes about
/// 7 MB; 20,000 commits with their descriptions about 12 MB).
pub const MAX_CACHE_BYTES: u64 = 256 << 20;

/// One commit of the line.
#[derive(Clone, Debug)]
pub struct Step {
    pub id: ObjectId,
    /// Committer time, seconds since the epoch.
    pub time: i64,
    pub parents: Vec<ObjectId>,
    /// The register's folder in the commit, and in its first parent (they differ when the
    /// commit moved the register).
    pub prefix: String,
    pub parent_prefix: String,
    /// The register folder differs from the first parent's (the commit is a change of the
    /// register, even when no file of it differs: a link added).
    pub changed: bool,
    /// The files that differ from the first parent (all of them, added, for the commit that
    /// created the register).
    pub deltas: Vec<Delta>,
    /// Where each path is in `deltas`, for a step with many (a lookup per file asked about
    /// must not scan the 50,000 files of the register's first commit).
    by_path: Option<HashMap<String, usize>>,
    /// The files the commit deleted, with their last blob (for rename detection).
    deleted: Vec<(String, ObjectId)>,
    /// The folders (register-relative) that differ from the first parent's but were not
    /// compared, because no question of the walk that read the step was open below them
    /// ([`Line::ensure`]); `deltas` and `deleted` lack their files until the step is
    /// completed ([`Line::complete`]). Empty: the step is whole.
    pub skipped: Vec<String>,
}

impl Step {
    fn new(
        commit: (ObjectId, &Commit),
        prefix: String,
        parent_prefix: String,
        changed: bool,
        (deltas, skipped): (Vec<Delta>, Vec<String>),
    ) -> Step {
        let by_path = (deltas.len() > 16).then(|| {
            let mut m = HashMap::with_capacity(deltas.len());
            for (i, d) in deltas.iter().enumerate() {
                // The first of a path, as a scan finds it.
                m.entry(d.path.clone()).or_insert(i);
            }
            m
        });
        let deleted = deltas
            .iter()
            .filter_map(|d| match (d.old, d.new) {
                (Some(o), None) => Some((d.path.clone(), o)),
                _ => None,
            })
            .collect();
        Step {
            id: commit.0,
            time: commit.1.time,
            parents: commit.1.parents.clone(),
            prefix,
            parent_prefix,
            changed,
            deltas,
            by_path,
            deleted,
            skipped,
        }
    }

    /// Whether the step's changes are all there (no folder was left uncompared).
    pub fn whole(&self) -> bool {
        self.skipped.is_empty()
    }

    /// Whether the step left uncompared a folder that `open` accepts (one a question is now
    /// open below): the step must be completed ([`Line::complete`]) before it answers.
    pub fn skipped_open(&self, open: &dyn Fn(&str) -> bool) -> bool {
        self.skipped.iter().any(|f| open(f))
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

/// A non-merge commit of a merged branch (`merge^2.. ^merge^1`) that changed the register
/// folder, and the register files whose blob it changed (sorted).
#[derive(Clone, Debug)]
pub struct BranchCommit {
    pub info: CommitInfo,
    pub changed: Vec<String>,
}

impl BranchCommit {
    /// Whether the commit changed the file (register-relative).
    pub fn changes(&self, path: &str) -> bool {
        self.changed
            .binary_search_by(|p| p.as_str().cmp(path))
            .is_ok()
    }
}

/// What a first-parent commit brought: the authors and approval trailers of its change
/// ([`Landing`]), and for a merge the commits of its branch, newest first by commit time, up to
/// the first whose parent is missing (a shallow clone).
#[derive(Clone, Debug, Default)]
pub struct Brought {
    pub landing: Arc<Landing>,
    pub branch: Arc<Vec<BranchCommit>>,
}

/// What was learnt about one commit of the line beyond its change, on first use.
#[derive(Clone, Debug, Default)]
struct Extra {
    info: Option<CommitInfo>,
    brought: Option<Brought>,
}

/// A commit met while reading, kept so that it is decoded once (as a parent, then as the next
/// commit of the line).
struct Next {
    id: ObjectId,
    commit: Commit,
    sub: Option<ObjectId>,
}

/// Another line of the same register folder whose commits, once this line reaches one of
/// them, are this line's too.
struct Known {
    line: Arc<Mutex<Line>>,
    at: HashMap<ObjectId, usize>,
}

/// The line from `head`, newest first, as far as it has been read.
pub struct Line {
    pub head: ObjectId,
    /// The register's folder at `head`.
    pub prefix: String,
    pub steps: Vec<Step>,
    /// The line ends at a shallow clone's boundary: the commit whose parent is missing, and
    /// its committer time (it is not a step: there is nothing to compare it with).
    pub truncated: bool,
    pub boundary_time: Option<i64>,
    /// The next commit to read and the register's folder in it; `None` once the line is
    /// whole (it reached the register's first commit, or the boundary).
    rest: Option<(ObjectId, String)>,
    next: Option<Next>,
    known: Option<Known>,
    extras: RefCell<HashMap<ObjectId, Extra>>,
    /// Read further or learnt something since it was loaded: the cache is to be written.
    dirty: RefCell<bool>,
    /// The steps that changed each file, built on first use once the line is whole
    /// ([`Line::index`]).
    index: OnceCell<PathIndex>,
    /// The trees of the last comparison, for the next ([`objects::Trees`]); made on the
    /// first commit read from git.
    trees: Option<objects::Trees>,
}

/// Where the line changed each file: for each path (by a digest of it), the steps whose
/// changes include it, in the line's order (newest commit first). Built once, in one pass
/// over the changes, so that a file's log visits only the commits that changed it, not every
/// commit of the line (`pack`: every risk's history from one line).
///
/// A path is kept as a 64-bit digest, not a copy (the register's first commit adds every
/// file): two paths with the same digest share a list, which only makes a step a candidate,
/// and [`PathIndex::next`] keeps only the steps whose changes have the path itself
/// ([`Step::find`]). The index therefore answers exactly what a scan of every step answers.
#[derive(Debug, Default)]
pub struct PathIndex {
    at: HashMap<u64, Vec<usize>>,
}

impl PathIndex {
    fn digest(path: &str) -> u64 {
        let mut h = DefaultHasher::new();
        path.hash(&mut h);
        h.finish()
    }

    /// The index of `steps`.
    pub fn build(steps: &[Step]) -> PathIndex {
        let mut at: HashMap<u64, Vec<usize>> = HashMap::new();
        for (i, s) in steps.iter().enumerate() {
            for d in &s.deltas {
                let list = at.entry(Self::digest(&d.path)).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        PathIndex { at }
    }

    /// The first step at or after `from` of `steps` (the steps indexed) that changed `path`,
    /// with its change: what a scan of `steps[from..]` with [`Step::find`] finds first.
    pub fn next<'s>(
        &self,
        steps: &'s [Step],
        path: &str,
        from: usize,
    ) -> Option<(usize, &'s Delta)> {
        let list = self.at.get(&Self::digest(path))?;
        let start = list.partition_point(|&i| i < from);
        list[start..]
            .iter()
            .find_map(|&i| steps.get(i)?.find(path).map(|d| (i, d)))
    }
}

impl std::fmt::Debug for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Line")
            .field("head", &self.head)
            .field("prefix", &self.prefix)
            .field("steps", &self.steps.len())
            .field("truncated", &self.truncated)
            .field("whole", &self.rest.is_none())
            .finish()
    }
}

impl Line {
    /// A line of `head` not read yet; `known` is a line of the same folder to take the rest
    /// from on reaching one of its commits.
    fn start(head: ObjectId, prefix: &str, known: Option<Arc<Mutex<Line>>>) -> Line {
        let known = known.map(|line| {
            let at = {
                let l = line.lock().unwrap_or_else(|p| p.into_inner());
                l.steps.iter().enumerate().map(|(i, s)| (s.id, i)).collect()
            };
            Known { line, at }
        });
        Line {
            head,
            prefix: prefix.to_string(),
            steps: Vec::new(),
            truncated: false,
            boundary_time: None,
            rest: Some((head, prefix.to_string())),
            next: None,
            known,
            extras: RefCell::default(),
            dirty: RefCell::new(true),
            index: OnceCell::new(),
            trees: None,
        }
    }

    /// Where commit `id` is on the line as read so far, with the register at `prefix` there.
    pub fn position(&self, id: ObjectId, prefix: &str) -> Option<usize> {
        self.steps
            .iter()
            .position(|s| s.id == id && s.prefix == prefix)
    }

    /// Whether the line has step `i`, reading it (and the steps before it) from git when it
    /// has not been read yet; `false` at the line's end. A step read now compares only the
    /// folders `open` accepts (given a register-relative folder path; `""`, the register
    /// folder, is always compared) and notes the others as skipped ([`Step::skipped`]): a
    /// walk whose open questions all lie in a few folders does not decompress the trees of
    /// the others, commit after commit.
    pub fn ensure(
        &mut self,
        repo: &gix::Repository,
        shallow: &[ObjectId],
        i: usize,
        open: &dyn Fn(&str) -> bool,
    ) -> Result<bool> {
        while self.steps.len() <= i {
            if !self.advance(repo, shallow, open)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Compares what step `i` skipped ([`Step::skipped`]): the step's changes become the
    /// whole comparison of its register folder with its first parent's, as a step read
    /// with every folder open has them (same files, same order).
    pub fn complete(&mut self, repo: &gix::Repository, i: usize) -> Result<()> {
        let s = &self.steps[i];
        if s.whole() {
            return Ok(());
        }
        let cur = load_commit(repo, s.id)?;
        let cur_sub = objects::subtree(repo, cur.tree, &s.prefix)?;
        let parent_sub = match s.parents.first() {
            Some(p) => objects::subtree(repo, load_commit(repo, *p)?.tree, &s.parent_prefix)?,
            None => None,
        };
        let mut deltas = Vec::new();
        // Steps are completed newest first, as they are read: the walk's trees are kept
        // from one to the next (a whole line of partial steps completes at the cost of a
        // cold read, not twice it).
        let trees = self.trees.get_or_insert_with(|| objects::Trees::walk(repo));
        objects::diff(
            repo,
            trees,
            parent_sub,
            cur_sub,
            "",
            &mut deltas,
            &objects::everything,
        )?;
        trees.turn();
        let s = &self.steps[i];
        let commit = Commit {
            tree: cur.tree,
            parents: s.parents.clone(),
            time: s.time,
        };
        self.steps[i] = Step::new(
            (s.id, &commit),
            s.prefix.clone(),
            s.parent_prefix.clone(),
            s.changed,
            (deltas, Vec::new()),
        );
        *self.dirty.borrow_mut() = true;
        Ok(())
    }

    /// The steps that changed each file ([`PathIndex`]), built on first use; `None` while
    /// the line may still be read further (a line that is whole never grows again) or has
    /// steps not compared whole.
    pub fn index(&self) -> Option<&PathIndex> {
        // Asked at every turn of a file's log: once built, it is the answer.
        if let Some(ix) = self.index.get() {
            return Some(ix);
        }
        if self.rest.is_some() || !self.steps.iter().all(Step::whole) {
            return None;
        }
        Some(self.index.get_or_init(|| PathIndex::build(&self.steps)))
    }

    /// The first step at or after `from` that changed `path`, with its change: from the
    /// index when the line is whole, else by a scan of the steps read so far.
    pub fn next_change(&self, path: &str, from: usize) -> Option<(usize, &Delta)> {
        match self.index() {
            Some(ix) => ix.next(&self.steps, path, from),
            None => self
                .steps
                .iter()
                .enumerate()
                .skip(from)
                .find_map(|(i, s)| s.find(path).map(|d| (i, d))),
        }
    }

    /// Reads the whole line, every step compared whole (`pack`, `history`: every file's
    /// history to its creation).
    pub fn ensure_all(&mut self, repo: &gix::Repository, shallow: &[ObjectId]) -> Result<()> {
        let read = (|| {
            while self.advance(repo, shallow, &objects::everything)? {}
            for i in 0..self.steps.len() {
                self.complete(repo, i)?;
            }
            Ok(())
        })();
        self.end_walk();
        read
    }

    /// Lets go of the trees a walk kept from one comparison to the next, and of their object
    /// store's own cache: a line outlives its walks (a language server keeps every line of
    /// its session), and the next walk starts elsewhere on the line.
    pub fn end_walk(&mut self) {
        self.trees = None;
    }

    /// Reads one more commit (or takes the rest of a known line), comparing the folders
    /// `open` accepts; `false` when the line is whole.
    fn advance(
        &mut self,
        repo: &gix::Repository,
        shallow: &[ObjectId],
        open: &dyn Fn(&str) -> bool,
    ) -> Result<bool> {
        let Some((id, prefix_here)) = self.rest.take() else {
            return Ok(false);
        };
        *self.dirty.borrow_mut() = true;
        if let Some(k) = &self.known
            && let Some(&i) = k.at.get(&id)
        {
            let other = k.line.clone();
            let other = other.lock().unwrap_or_else(|p| p.into_inner());
            if other.steps.get(i).is_some_and(|s| s.prefix == prefix_here) {
                self.steps.extend(other.steps[i..].iter().cloned());
                self.truncated = other.truncated;
                self.boundary_time = other.boundary_time;
                self.rest = other.rest.clone();
                let theirs = other.extras.borrow();
                let mut mine = self.extras.borrow_mut();
                for s in &other.steps[i..] {
                    if let Some(e) = theirs.get(&s.id) {
                        mine.insert(s.id, e.clone());
                    }
                }
                drop(mine);
                drop(theirs);
                drop(other);
                self.known = None;
                return Ok(true);
            }
        }
        let (cur, cur_sub) = match self.next.take().filter(|n| n.id == id) {
            Some(n) => (n.commit, n.sub),
            None => {
                let c = load_commit(repo, id)?;
                let sub = objects::subtree(repo, c.tree, &prefix_here)?;
                (c, sub)
            }
        };
        // Before the register existed there is nothing to learn.
        if cur_sub.is_none() {
            return Ok(false);
        }
        if shallow.binary_search(&id).is_ok() {
            self.truncated = true;
            self.boundary_time = Some(cur.time);
            return Ok(false);
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
        let changed = parent_sub != cur_sub;
        let mut deltas = Vec::new();
        let skipped = RefCell::new(Vec::new());
        if changed {
            let trees = self.trees.get_or_insert_with(|| objects::Trees::walk(repo));
            // `diff` asks only about folders that differ; those not open are noted.
            let open = |folder: &str| {
                let o = folder.is_empty() || open(folder);
                if !o {
                    skipped.borrow_mut().push(folder.to_string());
                }
                o
            };
            objects::diff(repo, trees, parent_sub, cur_sub, "", &mut deltas, &open)?;
            trees.turn();
        }
        self.steps.push(Step::new(
            (id, &cur),
            prefix_here,
            parent_prefix.clone(),
            changed,
            (deltas, skipped.into_inner()),
        ));
        if let Some((pid, p)) = parent {
            self.rest = Some((pid, parent_prefix));
            self.next = Some(Next {
                id: pid,
                commit: p,
                sub: parent_sub,
            });
        }
        Ok(true)
    }

    /// The description of step `i`'s commit (read once).
    pub fn info(&self, repo: &gix::Repository, i: usize) -> Result<CommitInfo> {
        let id = self.steps[i].id;
        if let Some(info) = self.extras.borrow().get(&id).and_then(|e| e.info.clone()) {
            return Ok(info);
        }
        let info = objects::describe(repo, id)?;
        self.extras.borrow_mut().entry(id).or_default().info = Some(info.clone());
        *self.dirty.borrow_mut() = true;
        Ok(info)
    }

    /// What step `i`'s commit brought (read once): see [`Brought`].
    pub fn brought(
        &self,
        repo: &gix::Repository,
        shallow: &[ObjectId],
        i: usize,
    ) -> Result<Brought> {
        let id = self.steps[i].id;
        if let Some(b) = self
            .extras
            .borrow()
            .get(&id)
            .and_then(|e| e.brought.clone())
        {
            return Ok(b);
        }
        let info = self.info(repo, i)?;
        let s = &self.steps[i];
        let (landing, branch) = bring(repo, &s.parents, &info, &s.prefix, shallow)?;
        let b = Brought {
            landing: Arc::new(landing),
            branch: Arc::new(branch),
        };
        self.extras.borrow_mut().entry(id).or_default().brought = Some(b.clone());
        *self.dirty.borrow_mut() = true;
        Ok(b)
    }
}

/// The cache file of the register at `prefix`: in the repository's common git folder (shared
/// by its worktrees), never in the working tree.
pub fn cache_path(repo: &gix::Repository, prefix: &str) -> PathBuf {
    let digest = Sha256::digest(prefix.as_bytes());
    let key: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    repo.common_dir()
        .join(CACHE_FOLDER)
        .join(format!("line-{key}.json"))
}

/// The line of `head` for the register at `prefix`, not read yet, with the rest to take from
/// `known` (a line of this run, or the cache's).
pub fn new_line(head: ObjectId, prefix: &str, known: Option<Arc<Mutex<Line>>>) -> Line {
    Line::start(head, prefix, known)
}

/// The cached line of the register at `prefix`, when there is a valid one.
pub fn cached(repo: &gix::Repository, prefix: &str) -> Option<Line> {
    load(&cache_path(repo, prefix), prefix)
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    head: String,
    prefix: String,
    truncated: bool,
    #[serde(default)]
    boundary_time: Option<i64>,
    /// The next commit to read and the folder in it, when the line was not read whole.
    #[serde(default)]
    rest: Option<(String, String)>,
    steps: Vec<CacheStep>,
}

#[derive(Serialize, Deserialize)]
struct CacheStep {
    id: String,
    time: i64,
    parents: Vec<String>,
    prefix: String,
    parent_prefix: String,
    changed: bool,
    /// `[path, old blob or "", new blob or ""]`.
    deltas: Vec<(String, String, String)>,
    /// The folders not compared ([`Step::skipped`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    skipped: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    info: Option<CacheInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    brought: Option<CacheBrought>,
}

#[derive(Serialize, Deserialize)]
struct CacheInfo {
    id: String,
    author: (String, String, String),
    committer: (String, String, String),
    day: String,
    summary: String,
    trailers: Vec<(String, String)>,
    /// The pull request: its number and forge (`github`, `gitlab`).
    pr: Option<(u64, String)>,
    merge: bool,
}

#[derive(Serialize, Deserialize)]
struct CacheBrought {
    /// `[name, email or null]`.
    authors: Vec<(String, Option<String>)>,
    /// `[short id, key, value]`.
    branch_trailers: Vec<(String, String, String)>,
    truncated: bool,
    branch: Vec<(CacheInfo, Vec<String>)>,
}

fn info_to_cache(i: &CommitInfo) -> CacheInfo {
    CacheInfo {
        id: i.id.clone(),
        author: (
            i.author.clone(),
            i.author_email.clone(),
            i.author_date.clone(),
        ),
        committer: (
            i.committer.clone(),
            i.committer_email.clone(),
            i.committer_date.clone(),
        ),
        day: i.day.to_string(),
        summary: i.summary.clone(),
        trailers: i
            .trailers
            .iter()
            .map(|t| (t.key.clone(), t.value.clone()))
            .collect(),
        pr: i.pr.map(|p| {
            let forge = match p.forge {
                crate::model::Forge::GitHub => "github",
                crate::model::Forge::GitLab => "gitlab",
            };
            (p.number, forge.to_string())
        }),
        merge: i.merge,
    }
}

/// A cached description, when it is one of commit `id` (hex) that decodes.
fn info_from_cache(c: CacheInfo, id: Option<&str>) -> Option<CommitInfo> {
    let oid = ObjectId::from_hex(c.id.as_bytes()).ok()?;
    if id.is_some_and(|id| id != c.id) {
        return None;
    }
    let pr = match c.pr {
        None => None,
        Some((n, f)) => Some(match f.as_str() {
            "github" => PullRequest::github(n),
            "gitlab" => PullRequest::gitlab(n),
            _ => return None,
        }),
    };
    Some(CommitInfo {
        short: super::short(&oid),
        id: c.id,
        author: c.author.0,
        author_email: c.author.1,
        author_date: c.author.2,
        committer: c.committer.0,
        committer_email: c.committer.1,
        committer_date: c.committer.2,
        day: crate::model::time::parse_date(&c.day).ok()?,
        summary: c.summary,
        trailers: c
            .trailers
            .into_iter()
            .map(|(key, value)| Trailer { key, value })
            .collect(),
        pr,
        merge: c.merge,
    })
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
    let mut extras = HashMap::new();
    for s in f.steps {
        let mut deltas = Vec::with_capacity(s.deltas.len());
        for (path, old, new) in s.deltas {
            deltas.push(Delta {
                path,
                old: side(&old)?,
                new: side(&new)?,
            });
        }
        let id = oid(&s.id)?;
        let parents = s
            .parents
            .iter()
            .map(|p| oid(p))
            .collect::<Option<Vec<_>>>()?;
        let commit = Commit {
            tree: ObjectId::null(gix::hash::Kind::Sha1),
            parents,
            time: s.time,
        };
        let mut extra = Extra::default();
        if let Some(i) = s.info {
            extra.info = Some(info_from_cache(i, Some(&s.id))?);
        }
        if let Some(b) = s.brought {
            let mut landing = Landing {
                truncated: b.truncated,
                ..Landing::default()
            };
            for (name, email) in b.authors {
                landing.authors.push(Identity { name, email });
            }
            for (short, key, value) in b.branch_trailers {
                landing
                    .branch_trailers
                    .push((short, Trailer { key, value }));
            }
            let mut branch = Vec::with_capacity(b.branch.len());
            for (info, mut changed) in b.branch {
                changed.sort();
                branch.push(BranchCommit {
                    info: info_from_cache(info, None)?,
                    changed,
                });
            }
            extra.brought = Some(Brought {
                landing: Arc::new(landing),
                branch: Arc::new(branch),
            });
        }
        if extra.info.is_some() || extra.brought.is_some() {
            extras.insert(id, extra);
        }
        steps.push(Step::new(
            (id, &commit),
            s.prefix,
            s.parent_prefix,
            s.changed,
            (deltas, s.skipped),
        ));
    }
    let rest = match f.rest {
        Some((id, folder)) => Some((oid(&id)?, folder)),
        None => None,
    };
    Some(Line {
        head: oid(&f.head)?,
        prefix: f.prefix,
        steps,
        truncated: f.truncated,
        boundary_time: f.boundary_time,
        rest,
        next: None,
        known: None,
        extras: RefCell::new(extras),
        dirty: RefCell::new(false),
        index: OnceCell::new(),
        trees: None,
    })
}

/// The cache file's bytes for a line.
pub fn encode(line: &Line) -> Vec<u8> {
    let hex = |o: &Option<ObjectId>| o.map(|o| o.to_string()).unwrap_or_default();
    let extras = line.extras.borrow();
    let f = CacheFile {
        version: CACHE_VERSION,
        head: line.head.to_string(),
        prefix: line.prefix.clone(),
        truncated: line.truncated,
        boundary_time: line.boundary_time,
        rest: line
            .rest
            .as_ref()
            .map(|(id, folder)| (id.to_string(), folder.clone())),
        steps: line
            .steps
            .iter()
            .map(|s| {
                let extra = extras.get(&s.id);
                CacheStep {
                    id: s.id.to_string(),
                    time: s.time,
                    parents: s.parents.iter().map(|p| p.to_string()).collect(),
                    prefix: s.prefix.clone(),
                    parent_prefix: s.parent_prefix.clone(),
                    changed: s.changed,
                    deltas: s
                        .deltas
                        .iter()
                        .map(|d| (d.path.clone(), hex(&d.old), hex(&d.new)))
                        .collect(),
                    skipped: s.skipped.clone(),
                    info: extra.and_then(|e| e.info.as_ref()).map(info_to_cache),
                    brought: extra
                        .and_then(|e| e.brought.as_ref())
                        .map(|b| CacheBrought {
                            authors: b
                                .landing
                                .authors
                                .iter()
                                .map(|a| (a.name.clone(), a.email.clone()))
                                .collect(),
                            branch_trailers: b
                                .landing
                                .branch_trailers
                                .iter()
                                .map(|(s, t)| (s.clone(), t.key.clone(), t.value.clone()))
                                .collect(),
                            truncated: b.landing.truncated,
                            branch: b
                                .branch
                                .iter()
                                .map(|c| (info_to_cache(&c.info), c.changed.clone()))
                                .collect(),
                        }),
                }
            })
            .collect(),
    };
    serde_json::to_vec(&f).unwrap_or_default()
}

/// A cache file to write: the git module never writes (only the command layer touches the
/// world, through `output`), so each line a run reads leaves its cache here, and the
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

/// The line of each cache file this run may have to write: the first line asked for of each
/// register folder (the newer side of a `diff`).
static PENDING: Mutex<Vec<(PathBuf, Arc<Mutex<Line>>)>> = Mutex::new(Vec::new());

/// The cache files this run has to write (each once: a line read further, or that learnt
/// something, since it was loaded), emptied.
pub fn take_cache_writes() -> Vec<CacheWrite> {
    let pending = std::mem::take(&mut *PENDING.lock().unwrap_or_else(|p| p.into_inner()));
    let mut out = Vec::new();
    for (path, line) in pending {
        let line = line.lock().unwrap_or_else(|p| p.into_inner());
        if !*line.dirty.borrow() || line.steps.is_empty() {
            continue;
        }
        let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
            continue;
        };
        let Some(git_dir) = folder.parent() else {
            continue;
        };
        out.push(CacheWrite {
            git_dir: git_dir.to_path_buf(),
            folder: CACHE_FOLDER,
            name: name.to_string_lossy().into_owned(),
            bytes: encode(&line),
        });
        // Written: a later run of the same process (the language server) writes it again
        // only when the line reads further or learns something.
        *line.dirty.borrow_mut() = false;
    }
    out
}

/// Leaves `line` as the cache to write at `path`, unless a line of this run already is.
pub fn store(path: PathBuf, line: &Arc<Mutex<Line>>) {
    let mut pending = PENDING.lock().unwrap_or_else(|p| p.into_inner());
    if !pending.iter().any(|(p, _)| *p == path) {
        pending.push((path, line.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "1111111111111111111111111111111111111111";
    const B: &str = "2222222222222222222222222222222222222222";

    fn cache(info_id: &str) -> String {
        format!(
            r#"{{"version":{CACHE_VERSION},"head":"{A}","prefix":"reg","truncated":false,"steps":[
            {{"id":"{A}","time":1790000000,"parents":[],"prefix":"reg","parent_prefix":"reg",
              "changed":true,"deltas":[["risks/R-1.yaml","","{B}"]],
              "info":{{"id":"{info_id}","author":["Ann","ann@example.com","2026-09-21T10:00:00+00:00"],
                "committer":["Ann","ann@example.com","2026-09-21T10:00:00+00:00"],"day":"2026-09-21",
                "summary":"Add","trailers":[["Approved-by","Bea <bea@example.com>"]],"pr":[7,"gitlab"],"merge":false}}}}]}}"#
        )
    }

    #[test]
    fn a_description_of_another_commit_is_not_believed() {
        let line = decode(cache(A).as_bytes(), "reg").expect("a valid cache");
        let (_dir, repo) = empty_repo();
        let info = line.info(&repo, 0).expect("cached");
        assert_eq!(info.trailers[0].value, "Bea <bea@example.com>");
        assert_eq!(info.pr, Some(PullRequest::gitlab(7)));
        assert_eq!(info.short, "1111111");
        // Another commit's description: the whole cache is ignored.
        assert!(decode(cache(B).as_bytes(), "reg").is_none());
        // Another folder, or a forge that does not exist: ignored too.
        assert!(decode(cache(A).as_bytes(), "other").is_none());
        assert!(decode(cache(A).replace("gitlab", "forgejo").as_bytes(), "reg").is_none());
    }

    #[test]
    fn what_was_learnt_survives_the_cache() {
        let line = decode(cache(A).as_bytes(), "reg").expect("a valid cache");
        let again = decode(&encode(&line), "reg").expect("decodes");
        assert_eq!(encode(&again), encode(&line));
        assert_eq!(
            again.steps[0].find("risks/R-1.yaml").map(|d| d.old),
            Some(None)
        );
        assert!(again.rest.is_none() && !again.truncated);
    }

    /// A step of a made-up line: commit `n`, with `parents` parents, changing `deltas`
    /// (`(path, old blob, new blob)`, 0 for absent).
    fn step(n: u8, parents: usize, deltas: &[(&str, u8, u8)]) -> Step {
        let oid = |b: u8| ObjectId::from_bytes_or_panic(&[b; 20]);
        let side = |b: u8| (b != 0).then(|| oid(b));
        let commit = Commit {
            tree: ObjectId::null(gix::hash::Kind::Sha1),
            parents: (0..parents).map(|p| oid(200 + p as u8)).collect(),
            time: 1_790_000_000 - i64::from(n),
        };
        let deltas = deltas
            .iter()
            .map(|&(path, old, new)| Delta {
                path: path.to_string(),
                old: side(old),
                new: side(new),
            })
            .collect();
        Step::new(
            (oid(n), &commit),
            "reg".into(),
            "reg".into(),
            true,
            (deltas, Vec::new()),
        )
    }

    #[test]
    fn the_index_answers_what_a_scan_of_the_steps_answers() {
        // Newest first: a rename (R-2 → R-3), a merge, an edit, a re-addition, a deletion, a
        // commit that changed nothing in the folder's files, and the register's first commit
        // (more than 16 files, so its own lookup is a map).
        let mut first: Vec<(String, u8, u8)> = (0..40)
            .map(|k| (format!("risks/R-{}.yaml", 100 + k), 0, 10 + k as u8))
            .collect();
        first.push(("risks/R-1.yaml".into(), 0, 1));
        first.push(("risks/R-2.yaml".into(), 0, 2));
        let first: Vec<(&str, u8, u8)> =
            first.iter().map(|(p, o, n)| (p.as_str(), *o, *n)).collect();
        let steps = vec![
            step(1, 1, &[("risks/R-2.yaml", 5, 0), ("risks/R-3.yaml", 0, 5)]),
            step(2, 2, &[("risks/R-1.yaml", 3, 4), ("soa.yaml", 6, 7)]),
            step(3, 1, &[("risks/R-2.yaml", 8, 5)]),
            step(4, 1, &[("risks/R-2.yaml", 0, 8)]),
            step(5, 1, &[("risks/R-2.yaml", 2, 0), ("risks/R-1.yaml", 1, 3)]),
            step(6, 1, &[]),
            step(7, 0, &first),
        ];
        let index = PathIndex::build(&steps);
        let mut paths: Vec<&str> = steps
            .iter()
            .flat_map(|s| s.deltas.iter().map(|d| d.path.as_str()))
            .collect();
        paths.extend(["risks/R-9.yaml", "", "risks"]);
        for path in paths {
            for from in 0..=steps.len() + 1 {
                let scan = steps
                    .iter()
                    .enumerate()
                    .skip(from)
                    .find_map(|(i, s)| s.find(path).map(|d| (i, d)));
                assert_eq!(index.next(&steps, path, from), scan, "{path} from {from}");
            }
        }
        // What the log of R-2 visits: its own changes, in order.
        let mut seen = Vec::new();
        let mut from = 0;
        while let Some((i, _)) = index.next(&steps, "risks/R-2.yaml", from) {
            seen.push(i);
            from = i + 1;
        }
        assert_eq!(seen, [0, 2, 3, 4, 6]);
    }

    #[test]
    fn a_line_still_to_be_read_has_no_index_yet() {
        let mut line = decode(cache(A).as_bytes(), "reg").expect("a valid cache");
        assert!(line.index().is_some());
        assert_eq!(
            line.next_change("risks/R-1.yaml", 0)
                .map(|(i, d)| (i, d.old)),
            Some((0, None))
        );
        // A line that may grow answers by scanning the steps read so far.
        line.rest = Some((ObjectId::from_bytes_or_panic(&[9; 20]), "reg".into()));
        line.index = OnceCell::new();
        assert!(line.index().is_none());
        assert_eq!(
            line.next_change("risks/R-1.yaml", 0).map(|(i, _)| i),
            Some(0)
        );
        assert!(line.next_change("risks/R-1.yaml", 1).is_none());
    }

    /// An empty repository: the cached answers are the only ones it can give.
    fn empty_repo() -> (tempfile::TempDir, gix::Repository) {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = gix::init(dir.path()).expect("init");
        (dir, repo)
    }
}
