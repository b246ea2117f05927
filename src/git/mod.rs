//! Everything that reads git: the only module that imports gix (its API changes often, so it
//! stays behind this one door). It opens the repository holding a register, resolves
//! revisions for `--at`, `diff` and `--baseline` (`rev.rs`: a revision that names no commit
//! is refused in our words; a [`RevTree`] is a [`Tree`](crate::load::Tree) over a commit), reads
//! history in one pass over the first-parent line ([`History`]: provenance, document control,
//! the facts of the git rules), finds the commits in force at given days in one walk (the
//! report's trend, [`InForce`]), lists one file's commits for `airisk history` ([`FileLog`]),
//! tells whether the register has uncommitted changes (DRAFT), and judges which recorded
//! approvals are evidence and which only claims ([`approval`]).
//!
//! Merge semantics (docs/git.md): history is read along HEAD's first-parent line. A commit on
//! that line is when a change reached the record; a merge commit is the approval event of the
//! branch it merges, and its date is the date of every change the branch brought. The
//! non-merge commits of a merged branch are the authors' changes, shown by `history` and
//! named as a file's last change, with the merge's pull request and approvals. An approval
//! counts only from the first-parent commit, written by a trusted committer, and never by an
//! author of the change.
//!
//! Nothing here prints or knows output formats; failures are `anyhow` errors (exit 2).

pub mod approval;
mod line;
mod log;
pub mod message;
mod moves;
mod objects;
mod rev;
mod status;
mod tree;
mod walk;

pub use approval::{Approvals, Claim};
pub use line::{CacheWrite, MAX_CACHE_BYTES, take_cache_writes};
pub use log::{Content, FileLog, LogEntry, Removal};
pub use message::Trailer;
pub use objects::{commits_read, trees_read};
pub use rev::shown;
pub use tree::RevTree;
pub use walk::{
    Change, CommitInfo, ContentChange, DocControl, GitFacts, History, Identify, Projected,
    Projection, Wants, Watch,
};

use anyhow::{Context, Result, anyhow, bail};
use gix::ObjectId;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

/// How to get the full history in CI, for messages about shallow clones.
pub const FETCH_HELP: &str = "fetch the full history: `git fetch --unshallow`; in CI, \
     GitHub actions/checkout `fetch-depth: 0`, GitLab `GIT_DEPTH: 0`";

/// A git repository holding a register.
#[derive(Clone)]
pub struct Repo {
    repo: gix::Repository,
    /// The working tree's root (canonical).
    workdir: PathBuf,
    /// The first-parent lines read in this run: a run reads each commit of a line once,
    /// whatever it asks.
    lines: Arc<Mutex<Lines>>,
}

/// The lines of a run, and the register folders whose cache has been read.
#[derive(Default)]
struct Lines {
    all: Vec<Arc<Mutex<line::Line>>>,
    cache_read: Vec<String>,
}

/// A resolved revision: a commit, with the spelling the user gave for messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rev {
    id: ObjectId,
    /// What the user wrote (`v1.0`, `main@{2026-01-01}`), or `HEAD`.
    pub spec: String,
    /// True when the register is read from the working tree on top of this commit (HEAD),
    /// so uncommitted changes make a document a draft.
    pub worktree: bool,
}

impl Rev {
    /// The full commit id, in hex.
    pub fn id(&self) -> String {
        self.id.to_string()
    }

    /// The first 7 hex digits of the commit id.
    pub fn short(&self) -> String {
        short(&self.id)
    }
}

pub(crate) fn short(id: &ObjectId) -> String {
    let mut s = id.to_string();
    s.truncate(7);
    s
}

/// Why a git feature cannot run outside a repository, plainly.
pub fn not_a_repository(dir: &Path, what: &str) -> anyhow::Error {
    anyhow!(
        "`{}` is not inside a git repository, and {what} needs one\n\
         help: keep the register in git (`git init`, then commit it), or run airisk in a clone of the repository that holds it",
        dir.display()
    )
}

impl Repo {
    /// The repository whose working tree holds `dir`, or `None` when there is none.
    pub fn discover(dir: &Path) -> Result<Option<Repo>> {
        if let Err(e) = gix::discover::upwards(dir) {
            use gix::discover::upwards::Error as E;
            return match e.downcast_any_ref::<E>() {
                Some(
                    E::NoGitRepository { .. }
                    | E::NoGitRepositoryWithinCeiling { .. }
                    | E::NoGitRepositoryWithinFs { .. },
                ) => Ok(None),
                _ => Err(anyhow!("{e}")).with_context(|| {
                    format!("cannot open the git repository of `{}`", dir.display())
                }),
            };
        }
        let mut repo = gix::discover(dir)
            .with_context(|| format!("cannot open the git repository of `{}`", dir.display()))?;
        // A walk reads each tree twice (as a commit's and as its child's parent's): keep
        // decompressed objects.
        repo.object_cache_size_if_unset(64 << 20);
        let Some(workdir) = repo.workdir() else {
            bail!(
                "the git repository at `{}` has no working tree (a bare repository); run airisk in a clone",
                repo.git_dir().display()
            );
        };
        let workdir = workdir
            .canonicalize()
            .with_context(|| format!("cannot read `{}`", workdir.display()))?;
        Ok(Some(Repo {
            repo,
            workdir,
            lines: Arc::default(),
        }))
    }

    /// The root of the working tree.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// `dir` (absolute) relative to the working tree's root, `/`-separated (`""` for the root
    /// itself). `dir` need not exist (a register read from an old revision may be gone).
    pub fn relative(&self, dir: &Path) -> Result<String> {
        let abs = dir.to_path_buf();
        // Canonicalise the longest existing ancestor (symlinked temp folders), keep the rest.
        let mut existing = abs.as_path();
        let mut rest: Vec<std::ffi::OsString> = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(p), Some(n)) => {
                    rest.push(n.to_os_string());
                    existing = p;
                }
                _ => break,
            }
        }
        let mut full = existing
            .canonicalize()
            .unwrap_or_else(|_| existing.to_path_buf());
        for n in rest.iter().rev() {
            full.push(n);
        }
        let rel = full.strip_prefix(&self.workdir).map_err(|_| {
            anyhow!(
                "`{}` is outside the working tree of the git repository at `{}`",
                dir.display(),
                self.workdir.display()
            )
        })?;
        Ok(rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"))
    }

    /// HEAD, for reading the register from the working tree. An unborn HEAD (no commit yet)
    /// is an error naming the fix.
    pub fn head(&self) -> Result<Rev> {
        if self.repo.head()?.is_unborn() {
            bail!("the repository has no commit yet: commit the register first");
        }
        let id = self
            .repo
            .head_id()
            .map_err(|e| anyhow!("cannot read HEAD: {e}"))?
            .detach();
        Ok(Rev {
            id,
            spec: "HEAD".into(),
            worktree: true,
        })
    }

    /// Whether the working tree is checked out on a detached HEAD.
    pub fn is_detached(&self) -> Result<bool> {
        Ok(self.repo.head()?.is_detached())
    }

    /// The branch HEAD is on (`main`), or `None` when HEAD is detached or unborn.
    pub fn branch(&self) -> Option<String> {
        let head = self.repo.head().ok()?;
        let name = head.referent_name()?;
        Some(name.shorten().to_string())
    }

    /// Resolves a revision the way `--at` takes it: a tag, a branch, a commit id, anything
    /// `git rev-parse` understands, and `REF@{YYYY-MM-DD}`, which is the last commit on REF's
    /// first-parent line committed on or before that day (UTC) — read from history, not from
    /// the reflog, so every clone gives the same answer.
    pub fn resolve(&self, spec: &str) -> Result<Rev> {
        let id = match at_date(spec) {
            Some((base, day)) => self.at_day(base, day, spec)?,
            None => self.parse(spec)?,
        };
        Ok(Rev {
            id,
            spec: spec.to_string(),
            worktree: false,
        })
    }

    /// The last commit on `base`'s first-parent line committed on or before `day` (UTC).
    fn at_day(&self, base: &str, day: chrono::NaiveDate, spec: &str) -> Result<ObjectId> {
        let tip = self.parse(if base.is_empty() { "HEAD" } else { base })?;
        let end = day
            .succ_opt()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc().timestamp())
            .unwrap_or(i64::MAX);
        let shallow = self.shallow_commits()?;
        let mut id = tip;
        loop {
            let c = objects::load_commit(&self.repo, id)?;
            if c.time < end {
                return Ok(id);
            }
            if shallow.binary_search(&id).is_ok() {
                bail!(
                    "cannot resolve `{}`: the history of this clone is truncated (shallow) before {day}\nhelp: {FETCH_HELP}",
                    shown(spec)
                );
            }
            match c.parents.first() {
                Some(p) => id = *p,
                None => bail!(
                    "no revision `{}`: `{}` has no commit on or before {day} (its first commit is of {})\n\
                     help: name a later day, or a branch, a tag or a commit id",
                    shown(spec),
                    shown(if base.is_empty() { "HEAD" } else { base }),
                    objects::day(c.time)
                ),
            }
        }
    }

    /// The commit in force at the end of each of `days` (UTC) on `rev`'s first-parent line:
    /// the last commit committed on or before that day, as `REF@{DATE}` resolves it — for
    /// every day in one walk, newest first, that stops at the earliest day's answer. The
    /// answers are in the order of `days`. The part of the walk that a line of this run
    /// already holds (read by an earlier question, or taken from the history cache, which a
    /// `check`, `history` or `pack` on the same commit leaves whole) is taken from it, and
    /// only the commits beyond it are read from git: a `report` after a `check` reads none.
    pub fn in_force(&self, rev: &Rev, days: &[chrono::NaiveDate]) -> Result<Vec<InForce>> {
        let end = |d: chrono::NaiveDate| {
            d.succ_opt()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc().timestamp())
                .unwrap_or(i64::MAX)
        };
        // Latest day first: its commit is the first one the walk meets.
        let mut order: Vec<usize> = (0..days.len()).collect();
        order.sort_by(|a, b| days[*b].cmp(&days[*a]));
        let mut out: Vec<InForce> = vec![InForce::Before; days.len()];
        let shallow = self.shallow_commits()?;
        let mut next = order.iter().peekable();
        let known = self.known_chain(rev.id);
        let mut known = known.iter();
        let mut id = rev.id;
        while next.peek().is_some() {
            let (time, first_parent) = match known.next() {
                Some(&(k, time, parent)) if k == id => (time, parent),
                _ => {
                    let c = objects::load_commit(&self.repo, id)?;
                    (c.time, c.parents.first().copied())
                }
            };
            while let Some(&&i) = next.peek() {
                if time >= end(days[i]) {
                    break;
                }
                out[i] = InForce::Commit {
                    rev: Rev {
                        id,
                        spec: format!("{}@{{{}}}", rev.spec, days[i]),
                        worktree: false,
                    },
                    day: objects::day(time),
                };
                next.next();
            }
            if next.peek().is_none() {
                break;
            }
            if shallow.binary_search(&id).is_ok() {
                for &i in next {
                    out[i] = InForce::Truncated;
                }
                break;
            }
            match first_parent {
                Some(p) => id = p,
                None => break, // the first commit: earlier days had no commit yet
            }
        }
        Ok(out)
    }

    /// The first-parent line from commit `id` as far as a line of this run has read it, of
    /// any register folder (the commits of a first-parent line do not depend on the folder):
    /// each commit with its committer time and first parent, newest first, the longest such
    /// run; empty when no line has `id`. Reads nothing from git.
    fn known_chain(&self, id: ObjectId) -> Vec<(ObjectId, i64, Option<ObjectId>)> {
        let lines = self.lines.lock().unwrap_or_else(|p| p.into_inner());
        let mut best: Vec<(ObjectId, i64, Option<ObjectId>)> = Vec::new();
        for l in &lines.all {
            let l = l.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(i) = l.steps.iter().position(|s| s.id == id)
                && l.steps.len() - i > best.len()
            {
                best = l.steps[i..]
                    .iter()
                    .map(|s| (s.id, s.time, s.parents.first().copied()))
                    .collect();
            }
        }
        best
    }

    /// Commits whose parents are missing (a shallow clone's boundary), sorted; empty when
    /// the history is complete.
    fn shallow_commits(&self) -> Result<Vec<ObjectId>> {
        let mut v: Vec<ObjectId> = match self.repo.shallow_commits()? {
            Some(c) => c.iter().copied().collect(),
            None => Vec::new(),
        };
        v.sort();
        Ok(v)
    }

    /// Whether this clone's history is truncated (a shallow clone).
    pub fn is_shallow(&self) -> Result<bool> {
        Ok(!self.shallow_commits()?.is_empty())
    }

    /// The register folder at `prefix` as it is in `rev`'s tree.
    pub fn tree(&self, rev: &Rev, prefix: &str) -> Result<RevTree> {
        RevTree::new(&self.repo, rev, prefix)
    }

    /// The folder holding `airisk.toml` in `rev`, searching `start` (a repository-relative
    /// folder) and its parents, like discovery on disk does.
    pub fn find_register(&self, rev: &Rev, start: &str) -> Result<Option<String>> {
        let root = objects::load_commit(&self.repo, rev.id)?.tree;
        let mut dir = start.trim_matches('/').to_string();
        loop {
            let path = join(&dir, crate::load::CONFIG_FILE);
            match objects::entry_at(&self.repo, root, &path)? {
                Some((_, objects::Mode::File)) => return Ok(Some(dir)),
                // Found, and refused: links are never followed in a revision.
                Some((_, objects::Mode::Link)) => bail!(
                    "`{path}` at revision `{}` is a symbolic link, and links are never followed in a git revision",
                    rev.spec
                ),
                _ => {}
            }
            if dir.is_empty() {
                return Ok(None);
            }
            dir = match dir.rsplit_once('/') {
                Some((parent, _)) => parent.to_string(),
                None => String::new(),
            };
        }
    }

    /// The best common ancestor of two revisions (`git merge-base`).
    pub fn merge_base(&self, a: &Rev, b: &Rev) -> Result<Rev> {
        let id = self
            .repo
            .merge_base(a.id, b.id)
            .map_err(|e| anyhow!("{e}"))?
            .ok_or_else(|| anyhow!("`{}` and `{}` have no common ancestor", a.spec, b.spec))?
            .detach();
        Ok(Rev {
            id,
            spec: format!("merge-base of {} and {}", a.spec, b.spec),
            worktree: false,
        })
    }

    /// The repository's default branch: what `origin/HEAD` points to, else the first of
    /// `main`, `master`, `origin/main`, `origin/master` that exists.
    pub fn default_branch(&self) -> Result<(String, Rev)> {
        if let Ok(Some(r)) = self.repo.try_find_reference("refs/remotes/origin/HEAD")
            && let gix::refs::TargetRef::Symbolic(name) = r.target()
        {
            let name = name.as_bstr().to_string();
            let short = name
                .strip_prefix("refs/remotes/")
                .unwrap_or(&name)
                .to_string();
            if let Ok(rev) = self.resolve(&short) {
                return Ok((short, rev));
            }
        }
        for name in ["main", "master", "origin/main", "origin/master"] {
            if let Ok(rev) = self.resolve(name) {
                return Ok((name.to_string(), rev));
            }
        }
        bail!(
            "cannot find the default branch (no origin/HEAD, main or master)\n\
             help: name the base revision: `airisk diff origin/main`"
        )
    }

    /// What `wants` asks of `rev`'s history (see [`History`]), as a filter of the register's
    /// first-parent line.
    pub fn history(&self, rev: &Rev, prefix: &str, wants: &Wants) -> Result<History> {
        let shallow = self.shallow_commits()?;
        let (line, start) = self.line(rev, prefix)?;
        let mut history = {
            let mut line = line.lock().unwrap_or_else(|p| p.into_inner());
            let read = walk::read(&self.repo, &mut line, start, rev, prefix, wants, &shallow);
            line.end_walk();
            read?
        };
        if wants.document && rev.worktree {
            history.draft = status::uncommitted(&self.repo, prefix)?;
        }
        Ok(history)
    }

    /// Reads `newer`'s line down to `older` when `older` is on it (before `older`'s history is
    /// asked, so that it is a suffix of `newer`'s line and nothing is read twice): `diff`.
    /// Stops at the line's end, or once the line is older than `older` (by committer time),
    /// which it then is not on.
    pub fn read_line_to(&self, newer: &Rev, prefix: &str, older: &Rev) -> Result<()> {
        let shallow = self.shallow_commits()?;
        let (line, start) = self.line(newer, prefix)?;
        let target = objects::load_commit(&self.repo, older.id)?.time;
        let mut line = line.lock().unwrap_or_else(|p| p.into_inner());
        let mut i = start;
        let read = loop {
            match line.ensure(&self.repo, &shallow, i, &objects::everything) {
                Ok(true) => {}
                Ok(false) => break Ok(()),
                Err(e) => break Err(e),
            }
            let s = &line.steps[i];
            if s.id == older.id || s.time < target {
                break Ok(());
            }
            i += 1;
        };
        line.end_walk();
        read
    }

    /// The register's first-parent line from `rev` (see [`line`]), and the step that is
    /// `rev`: a line of this run that has `rev` (the older side of a `diff` is a suffix of
    /// the newer side's), else the cache's when it has it, else a new line that takes the
    /// rest from the newest line known of the folder on reaching one of its commits.
    fn line(&self, rev: &Rev, prefix: &str) -> Result<(Arc<Mutex<line::Line>>, usize)> {
        let mut lines = self.lines.lock().unwrap_or_else(|p| p.into_inner());
        if !lines.cache_read.iter().any(|p| p == prefix) {
            lines.cache_read.push(prefix.to_string());
            if let Some(c) = line::cached(&self.repo, prefix) {
                lines.all.push(Arc::new(Mutex::new(c)));
            }
        }
        for l in lines.all.iter().rev() {
            let found = {
                let g = l.lock().unwrap_or_else(|p| p.into_inner());
                if g.head == rev.id && g.prefix == prefix {
                    Some((0, g.prefix.clone()))
                } else {
                    g.position(rev.id, prefix).map(|i| (i, g.prefix.clone()))
                }
            };
            if let Some((i, folder)) = found {
                line::store(line::cache_path(&self.repo, &folder), l);
                return Ok((l.clone(), i));
            }
        }
        let known = lines.all.last().cloned();
        let l = Arc::new(Mutex::new(line::new_line(rev.id, prefix, known)));
        lines.all.push(l.clone());
        line::store(line::cache_path(&self.repo, prefix), &l);
        Ok((l, 0))
    }

    /// The commits that changed one file of the register (`airisk history`), each with what
    /// `summarize` makes of its two versions (the versions themselves are not kept); a rename
    /// that also edited the file is followed by the entity id `identify` reads.
    pub fn file_log<T>(
        &self,
        rev: &Rev,
        prefix: &str,
        path: &str,
        identify: Identify,
        summarize: impl FnMut(Option<Content>, Option<Content>) -> T,
    ) -> Result<FileLog<T>> {
        let mut summarize = summarize;
        Ok(self
            .file_logs(rev, prefix, &[path], identify, |_, b, a| summarize(b, a))?
            .pop()
            .expect("one log per path"))
    }

    /// [`Repo::file_log`] of each of `paths`, from one read of the first-parent line;
    /// `summarize` is also given the path whose versions it compares.
    pub fn file_logs<T>(
        &self,
        rev: &Rev,
        prefix: &str,
        paths: &[&str],
        identify: Identify,
        mut summarize: impl FnMut(&str, Option<Content>, Option<Content>) -> T,
    ) -> Result<Vec<FileLog<T>>> {
        let shallow = self.shallow_commits()?;
        let (line, start) = self.line(rev, prefix)?;
        let mut line = line.lock().unwrap_or_else(|p| p.into_inner());
        line.ensure_all(&self.repo, &shallow)?;
        paths
            .iter()
            .map(|p| {
                log::read(
                    &self.repo,
                    &line,
                    start,
                    (rev.id, prefix),
                    p,
                    false,
                    &shallow,
                    identify,
                    &mut |b, a| summarize(p, b, a),
                )
            })
            .collect()
    }

    /// The log of a file that a commit of `rev`'s line deleted ([`Repo::removal`]): its
    /// removal first, then every older change, as [`Repo::file_log`] gives them.
    pub fn removed_log<T>(
        &self,
        rev: &Rev,
        prefix: &str,
        removal: &Removal,
        identify: Identify,
        mut summarize: impl FnMut(Option<Content>, Option<Content>) -> T,
    ) -> Result<FileLog<T>> {
        let shallow = self.shallow_commits()?;
        let (line, _) = self.line(rev, prefix)?;
        let mut line = line.lock().unwrap_or_else(|p| p.into_inner());
        line.ensure_all(&self.repo, &shallow)?;
        log::read(
            &self.repo,
            &line,
            removal.step(),
            (rev.id, prefix),
            &removal.path,
            true,
            &shallow,
            identify,
            &mut summarize,
        )
    }

    /// The newest commit on `rev`'s first-parent line that deleted the entity `id` (a file
    /// `wanted` accepts whose last version `identify` reads as `id`), following moves of the
    /// register folder; `seen` gets the ids of the other deleted entities met on the way.
    pub fn removal(
        &self,
        rev: &Rev,
        prefix: &str,
        id: &str,
        wanted: &dyn Fn(&str) -> bool,
        identify: Identify,
        seen: &mut Vec<String>,
    ) -> Result<Option<Removal>> {
        let shallow = self.shallow_commits()?;
        let (line, start) = self.line(rev, prefix)?;
        let mut line = line.lock().unwrap_or_else(|p| p.into_inner());
        line.ensure_all(&self.repo, &shallow)?;
        log::removal(&self.repo, &line, start, id, wanted, identify, seen)
    }

    /// Every entity deleted on `rev`'s first-parent line (files `wanted` accepts), newest
    /// removal first, each id once, as [`Repo::removal`] finds one: one pass for all.
    pub fn removals(
        &self,
        rev: &Rev,
        prefix: &str,
        wanted: &dyn Fn(&str) -> bool,
        identify: Identify,
    ) -> Result<Vec<(String, Removal)>> {
        let shallow = self.shallow_commits()?;
        let (line, start) = self.line(rev, prefix)?;
        let mut line = line.lock().unwrap_or_else(|p| p.into_inner());
        line.ensure_all(&self.repo, &shallow)?;
        log::removals(&self.repo, &line, start, wanted, identify)
    }

    /// The register's folder at each of `targets` (commits on `rev`'s first-parent line),
    /// following moves of the folder from `prefix`, its folder at `rev`; `None` for a target
    /// not on the line.
    pub fn folders_at(
        &self,
        rev: &Rev,
        prefix: &str,
        targets: &[Rev],
    ) -> Result<Vec<Option<String>>> {
        let shallow = self.shallow_commits()?;
        let ids: Vec<ObjectId> = targets.iter().map(|t| t.id).collect();
        moves::follow(&self.repo, rev, prefix, &ids, &shallow)
    }

    /// Register files with uncommitted or untracked changes (register-relative, sorted).
    pub fn uncommitted(&self, prefix: &str) -> Result<Vec<String>> {
        status::uncommitted(&self.repo, prefix)
    }
}

/// The commit in force on a day, as [`Repo::in_force`] finds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InForce {
    /// The last commit on the first-parent line committed on or before the day, and its
    /// committer day (UTC).
    Commit { rev: Rev, day: chrono::NaiveDate },
    /// No commit on the line is that old: the history starts later.
    Before,
    /// The answer lies beyond a shallow clone's boundary.
    Truncated,
}

/// `REF@{YYYY-MM-DD}` → (REF, day). Other `@{...}` forms (`@{1}`, `@{upstream}`) are not
/// dates and go to git's own parser.
fn at_date(spec: &str) -> Option<(&str, chrono::NaiveDate)> {
    let inner = spec.strip_suffix('}')?;
    let at = inner.rfind("@{")?;
    let day = crate::model::time::parse_date(&inner[at + 2..]).ok()?;
    Some((&inner[..at], day))
}

/// Joins repository-relative paths with `/`, either side possibly empty.
pub(crate) fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a}/{b}"),
    }
}

/// Resolves `.` and `..` in a `/`-separated relative path; `None` when it climbs above its
/// base.
pub(crate) fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for c in Path::new(path).components() {
        match c {
            Component::Normal(s) => parts.push(s.to_str()?),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_braces_are_read_from_history() {
        let (base, day) = at_date("main@{2026-01-01}").unwrap();
        assert_eq!((base, day.to_string().as_str()), ("main", "2026-01-01"));
        assert_eq!(at_date("@{2026-01-01}").unwrap().0, "");
        assert!(at_date("main@{1}").is_none());
        assert!(at_date("main@{upstream}").is_none());
        assert!(at_date("v1.0").is_none());
    }

    #[test]
    fn paths_normalize_within_the_repository() {
        assert_eq!(
            normalize("reg/../isms/a.csv").as_deref(),
            Some("isms/a.csv")
        );
        assert_eq!(normalize("./a/b").as_deref(), Some("a/b"));
        assert_eq!(normalize("../a"), None);
        assert_eq!(join("", "a"), "a");
        assert_eq!(join("reg", "a"), "reg/a");
        assert_eq!(join("reg", ""), "reg");
    }
}
