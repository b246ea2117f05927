//! Everything a run needs from git about a revision, as one filter of the register's
//! first-parent line ([`line`](super::line), read once per run, cached by commit, and read
//! no deeper than the questions need): the last change of every register file (provenance),
//! the commit that last changed the register folder (document control), and the content
//! changes the git rules look at ([`GitFacts`]).
//!
//! The filter goes down the line, newest first, and stops when every question is answered.
//! A merge that changed a file is followed into its branch (the commits it brought,
//! `merge^2 ^merge^1`) to find the author's commit, and each first-parent commit that
//! answers something gets its [`Landing`] once: the authors of the change and the approval
//! trailers of its branch, for [`approval`](super::approval) to judge ([`bring`] reads both in
//! one walk of the branch; the line keeps them with the commit, so a second run reads neither).
//!
//! A shallow clone's boundary commit has no parent to compare with: whatever is unresolved
//! when the filter reaches it is reported as unknown, never attributed to the boundary.

use super::Rev;
use super::approval::{self, Approvals, Claim, Landing, co_authors, is_approval};
use super::line::{BranchCommit, Line};
use super::message::Trailer;
use super::moves;
use super::objects::{self, Delta, day, describe, load_commit};
use crate::model::{Date, Identity};
use anyhow::Result;
use gix::ObjectId;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// A commit as output shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CommitInfo {
    /// Full commit id (hex).
    pub id: String,
    /// Its first 7 hex digits.
    pub short: String,
    pub author: String,
    pub author_email: String,
    /// RFC 3339, in the author's offset.
    pub author_date: String,
    pub committer: String,
    pub committer_email: String,
    /// RFC 3339, in the committer's offset.
    pub committer_date: String,
    /// The committer date's calendar day (UTC): the day the rules compare.
    #[serde(serialize_with = "as_text")]
    pub day: Date,
    pub summary: String,
    pub trailers: Vec<Trailer>,
    /// The pull request the message names (merge subject, or a squash commit's `(#N)`).
    pub pr: Option<crate::model::PullRequest>,
    pub merge: bool,
}

fn as_text<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

/// The last change of a file: the newest non-merge commit that changed it, and the commit on
/// the first-parent line that brought it there (a merge), with the pull request and what
/// judging the approvals recorded on them needs ([`Change::approvals`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The file, relative to the register folder.
    pub path: String,
    /// The commit that changed the file. For a change that no commit of a merged branch
    /// explains (a conflict resolved in the merge, or a branch cut off by a shallow clone),
    /// the merge commit itself.
    pub commit: CommitInfo,
    /// The merge commit on the first-parent line that brought `commit`; `None` when `commit`
    /// is itself on that line (a direct or squash commit).
    pub landed: Option<CommitInfo>,
    pub pr: Option<crate::model::PullRequest>,
    /// The authors and branch trailers of the first-parent commit's change (shared by every
    /// file it brought).
    pub landing: Arc<Landing>,
}

impl Change {
    /// The commit on the first-parent line: its committer date is the date of the change.
    pub fn landed_commit(&self) -> &CommitInfo {
        self.landed.as_ref().unwrap_or(&self.commit)
    }

    /// The approvals of the change, judged with `trusted` the trusted committers: approvals
    /// only from the first-parent commit, never by an author of the change; claims for the
    /// rest (see [`approval`](super::approval)).
    pub fn approvals(&self, trusted: &[Identity]) -> Approvals {
        approval::judge(&self.commit, self.landed.as_ref(), &self.landing, trusted)
    }

    pub(super) fn new(
        commit: CommitInfo,
        landed: Option<CommitInfo>,
        path: String,
        landing: Arc<Landing>,
    ) -> Change {
        let pr = landed.as_ref().and_then(|l| l.pr).or(commit.pr);
        Change {
            path,
            commit,
            landed,
            pr,
            landing,
        }
    }
}

/// What a git rule watches: a register file and the day after which its changes count.
#[derive(Clone, Debug)]
pub struct Watch {
    /// Relative to the register folder, as the file is named in the revision read.
    pub path: String,
    /// What the rule compares of each version of the file.
    pub project: Projection,
    /// The entity id a version of the file declares, to follow a rename that also changed it.
    pub identify: Identify,
    /// Changes on this day or before do not count; the walk stops for this file there.
    pub after: Date,
}

/// What a rule keeps of one version of a watched file, extracted by the caller from the
/// version's text (`None` when the version is not UTF-8 text or is over the size limit, so it
/// is never read): git parses nothing. Two versions are the same to the rule when their
/// projections are equal, unless the projection is [`Projected::Unreadable`].
pub type Projection = fn(Option<&str>) -> Projected;

/// The entity id a version's text declares (`None`: none that can be read); a file added in
/// the commit that deleted a file with the same id is that file, renamed.
pub type Identify = fn(&str) -> Option<String>;

/// A [`Projection`] of one version of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Projected {
    /// Nothing the rule can compare (the text does not parse): a change from any other
    /// version.
    Unreadable,
    /// A digest of the content, whatever its layout.
    Digest([u8; 32]),
    /// Values the rule compares and reports (a risk's likelihood and consequence).
    Values(Vec<Option<i64>>),
}

/// A change of a watched file, as it reached the first-parent line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentChange {
    /// The commit on the first-parent line (the merge of a merged branch).
    pub commit: CommitInfo,
    /// The file's path in that commit (it may have been renamed since).
    pub path: String,
    /// The watch's projection of the version before the change, and after it.
    pub before: Projected,
    pub after: Projected,
}

/// What the git rules read: for each watched file, its changes after the watch's day, newest
/// first.
#[derive(Clone, Debug, Default)]
pub struct GitFacts {
    changes: BTreeMap<String, Vec<ContentChange>>,
    incomplete: BTreeSet<String>,
}

impl GitFacts {
    /// The changes of a watched file (by its path in the revision read), newest first.
    pub fn changes(&self, path: &str) -> &[ContentChange] {
        self.changes.get(path).map_or(&[], Vec::as_slice)
    }

    /// Watched files whose history is cut off by a shallow clone before their watch's day:
    /// for them, "no change" is not known.
    pub fn incomplete(&self) -> &BTreeSet<String> {
        &self.incomplete
    }
}

/// What one pass should find.
#[derive(Clone, Debug, Default)]
pub struct Wants {
    /// The last change of every file of the register.
    pub provenance: bool,
    /// The commit that last changed the register folder, and (for the working tree)
    /// uncommitted files.
    pub document: bool,
    pub watches: Vec<Watch>,
}

/// The result of one pass.
#[derive(Clone, Debug)]
pub struct History {
    /// The commit read (HEAD, or `--at`).
    pub rev: CommitInfo,
    /// Whether the register was read from the working tree on top of `rev`.
    pub worktree: bool,
    changes: BTreeMap<String, Change>,
    /// The newest commit on the first-parent line that changed the register folder.
    pub version: Option<CommitInfo>,
    /// What judging the approvals on `version` needs.
    version_landing: Arc<Landing>,
    pub facts: GitFacts,
    /// The clone is shallow and the walk reached its boundary with questions open.
    pub truncated: bool,
    /// Files whose last change lies beyond a shallow clone's boundary.
    pub unresolved: Vec<String>,
    /// Register files with uncommitted or untracked changes (working tree only).
    pub draft: Vec<String>,
}

/// The document-control block of a rendered document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocControl {
    /// The commit the document was rendered from (full id, and its first 7 digits).
    pub commit: String,
    pub short: String,
    /// That commit's committer date (RFC 3339) and day (UTC).
    pub date: String,
    #[serde(serialize_with = "as_text")]
    pub day: Date,
    /// That commit's author: `Name <email>`.
    pub author: String,
    /// Who approved the register's current version, joined by ", ": the approvals of the
    /// commit on the first-parent line that last changed the register folder — its
    /// `Approved-by` trailers and, for a merge, its author (who merged it), when they count
    /// (see [`approval`](super::approval)). `None` when history records no approval.
    pub approver: Option<String>,
    /// What that commit (and the branch it merged) claims and is not an approval.
    pub claimed: Vec<Claim>,
    /// The pull request that brought the register's current version.
    pub pr: Option<crate::model::PullRequest>,
    /// The commit the approval is read from (the last change of the register folder).
    pub approval_commit: Option<String>,
    /// The register folder has uncommitted or untracked changes.
    pub draft: bool,
    /// Which files (register-relative).
    pub uncommitted: Vec<String>,
    /// The history is cut off by a shallow clone before the register's last change.
    pub truncated: bool,
}

impl History {
    /// The last change of a register file (register-relative path). `None` when it has no
    /// commit (uncommitted) or lies beyond a shallow clone's boundary (see
    /// [`History::unresolved`]).
    pub fn last_change(&self, path: &str) -> Option<&Change> {
        self.changes.get(path)
    }

    /// Every file's last change, by path.
    pub fn changes(&self) -> impl Iterator<Item = &Change> {
        self.changes.values()
    }

    /// The document-control block, with `trusted` the committers trusted to write approvals.
    pub fn document_control(&self, trusted: &[Identity]) -> DocControl {
        let v = self.version.as_ref();
        let judged = v.map(|v| approval::judge(v, None, &self.version_landing, trusted));
        let approver = judged
            .as_ref()
            .filter(|a| !a.approved_by.is_empty())
            .map(|a| a.approved_by.join(", "));
        DocControl {
            commit: self.rev.id.clone(),
            short: self.rev.short.clone(),
            date: self.rev.committer_date.clone(),
            day: self.rev.day,
            author: format!("{} <{}>", self.rev.author, self.rev.author_email),
            approver,
            claimed: judged.map(|a| a.claimed).unwrap_or_default(),
            pr: v.and_then(|v| v.pr),
            approval_commit: v.map(|v| v.id.clone()),
            draft: !self.draft.is_empty(),
            uncommitted: self.draft.clone(),
            truncated: self.truncated && v.is_none(),
        }
    }
}

/// A watch during the walk.
struct Watching {
    key: String,
    name: String,
    project: Projection,
    identify: Identify,
    after: Date,
    done: bool,
    /// The older version read at the last change (newest first): it is the newer version of
    /// the next change found, so each version is read once. Only its projection is kept,
    /// never the file (a long history of large files would otherwise be held in memory).
    last: Option<(ObjectId, Projected)>,
}

impl Watching {
    /// Version `id` of the file, projected: the one kept from the last change, or read now.
    fn version(&mut self, repo: &gix::Repository, id: ObjectId) -> Result<Projected> {
        if let Some((last, _)) = &self.last
            && *last == id
            && let Some((_, v)) = self.last.take()
        {
            return Ok(v);
        }
        Ok((self.project)(objects::text(repo, id)?.as_deref()))
    }
}

/// Answers `wants` for revision `rev` (the register at `prefix` there) from `line`, whose
/// step `start` is `rev` (when the register exists there): a filter of the line, newest
/// first, that reads the line no further than its questions need.
pub(super) fn read(
    repo: &gix::Repository,
    line: &mut Line,
    start: usize,
    rev: &Rev,
    prefix: &str,
    wants: &Wants,
    shallow: &[ObjectId],
) -> Result<History> {
    let head = load_commit(repo, rev.id)?;
    let cur_sub = objects::subtree(repo, head.tree, prefix)?;
    let mut pending: HashSet<String> = HashSet::new();
    if wants.provenance
        && let Some(t) = cur_sub
    {
        let mut files = Vec::new();
        objects::files(repo, t, "", &mut files)?;
        pending.extend(files.into_iter().map(|(p, _)| p));
    }
    // Which watched files the revision has: with many watches, one listing of the folder
    // (a lookup each would read the same large trees over and over).
    let listed: Option<HashSet<String>> = match cur_sub {
        Some(t) if wants.watches.len() > 64 => {
            let mut files = Vec::new();
            objects::files(repo, t, "", &mut files)?;
            Some(files.into_iter().map(|(p, _)| p).collect())
        }
        _ => None,
    };
    let mut watching: Vec<Watching> = Vec::new();
    for w in &wants.watches {
        let exists = match (cur_sub, &listed) {
            (Some(_), Some(files)) => files.contains(&w.path),
            (Some(t), None) => objects::file_at(repo, t, &w.path)?.is_some(),
            (None, _) => false,
        };
        watching.push(Watching {
            key: w.path.clone(),
            name: w.path.clone(),
            project: w.project,
            identify: w.identify,
            after: w.after,
            done: !exists,
            last: None,
        });
    }
    let mut need_version = wants.document;
    let mut changes = BTreeMap::new();
    let mut facts = GitFacts::default();
    let mut version = None;
    let mut version_landing = Arc::default();
    let mut truncated = false;
    if cur_sub.is_none() {
        // No register in the revision (one not committed yet): its line is empty, and the
        // last change of the folder, if any, is a deletion further down.
        if need_version {
            match version_below(repo, rev.id, prefix, shallow)? {
                Below::Found(v, l) => {
                    version = Some(*v);
                    version_landing = l;
                }
                Below::Cut => truncated = true,
                Below::None => {}
            }
        }
        need_version = false;
    }
    // The folders a question is open below: a step read now compares only those.
    let mut open = Questions::default();
    pending.iter().for_each(|p| open.add(p));
    watching
        .iter()
        .filter(|w| !w.done)
        .for_each(|w| open.add(&w.name));
    let mut i = start;
    while need_version || !pending.is_empty() || watching.iter().any(|w| !w.done) {
        if !line.ensure(repo, shallow, i, &|f| open.below(f))? {
            if line.truncated {
                // The boundary commit: what its day settles, then whatever is still open
                // is unknown.
                if let Some(t) = line.boundary_time {
                    let commit_day = day(t);
                    for w in watching.iter_mut().filter(|w| !w.done) {
                        if commit_day <= w.after {
                            w.done = true;
                        }
                    }
                }
                truncated = need_version || !pending.is_empty() || watching.iter().any(|w| !w.done);
            }
            break;
        }
        let commit_day = day(line.steps[i].time);
        for w in watching.iter_mut().filter(|w| !w.done) {
            if commit_day <= w.after {
                w.done = true;
                open.remove(&w.name);
            }
        }
        if !need_version && pending.is_empty() && watching.iter().all(|w| w.done) {
            break;
        }
        // A step read by another question (earlier in the run, or cached) may have left
        // uncompared a folder that this walk asks about; a watched file's change needs the
        // step's every deletion (a rename may come from any folder).
        let s = &line.steps[i];
        if !s.whole()
            && (s.skipped_open(&|f| open.below(f))
                || watching
                    .iter()
                    .any(|w| !w.done && s.find(&w.name).is_some()))
        {
            line.complete(repo, i)?;
        }
        let step = &line.steps[i];
        if step.changed {
            if need_version {
                version = Some(line.info(repo, i)?);
                version_landing = line.brought(repo, shallow, i)?.landing;
                need_version = false;
            }
            let resolved: Vec<String> = step
                .deltas
                .iter()
                .filter(|d| d.new.is_some() && pending.remove(&d.path))
                .map(|d| d.path.clone())
                .collect();
            resolved.iter().for_each(|p| open.remove(p));
            if !resolved.is_empty() {
                attribute(repo, line, i, shallow, resolved, &mut changes)?;
            }
            for w in watching.iter_mut().filter(|w| !w.done) {
                let Some(d) = step.find(&w.name) else {
                    continue;
                };
                let name = w.name.clone();
                watch_step(repo, line, i, w, d, step.deleted(), &mut facts)?;
                if w.done || w.name != name {
                    open.remove(&name);
                    if !w.done {
                        open.add(&w.name);
                    }
                }
            }
        }
        i += 1;
    }
    let mut unresolved: Vec<String> = pending.into_iter().collect();
    unresolved.sort();
    if truncated {
        facts.incomplete = watching
            .iter()
            .filter(|w| !w.done)
            .map(|w| w.key.clone())
            .collect();
    }
    let rev_info = match line.steps.get(start) {
        Some(s) if s.id == rev.id => line.info(repo, start)?,
        _ => describe(repo, rev.id)?,
    };
    Ok(History {
        rev: rev_info,
        worktree: rev.worktree,
        changes,
        version,
        version_landing,
        facts,
        truncated,
        unresolved,
        draft: Vec::new(),
    })
}

/// The open questions of a walk by folder: how many of the paths still asked about lie
/// below each folder (register-relative). A folder with none need not be compared.
#[derive(Default)]
struct Questions {
    below: HashMap<String, usize>,
}

impl Questions {
    /// The folders that hold `path`, innermost last (`a/b/c.yaml`: `a`, `a/b`).
    fn folders(path: &str) -> impl Iterator<Item = &str> {
        path.match_indices('/').map(move |(k, _)| &path[..k])
    }

    fn add(&mut self, path: &str) {
        for f in Self::folders(path) {
            *self.below.entry(f.to_string()).or_default() += 1;
        }
    }

    fn remove(&mut self, path: &str) {
        for f in Self::folders(path) {
            if let Some(n) = self.below.get_mut(f) {
                *n -= 1;
                if *n == 0 {
                    self.below.remove(f);
                }
            }
        }
    }

    /// Whether a question is open below `folder`.
    fn below(&self, folder: &str) -> bool {
        self.below.contains_key(folder)
    }
}

/// What [`version_below`] finds.
enum Below {
    Found(Box<CommitInfo>, Arc<Landing>),
    /// A shallow clone's boundary first.
    Cut,
    None,
}

/// For a revision without the register at `prefix`: the newest commit on its first-parent
/// line whose first parent has a register folder there (or one it moved from), which is
/// the register's last change (its deletion), with what it brought.
fn version_below(
    repo: &gix::Repository,
    head: ObjectId,
    prefix: &str,
    shallow: &[ObjectId],
) -> Result<Below> {
    let mut id = head;
    let mut cur = load_commit(repo, id)?;
    let mut folder = prefix.to_string();
    let mut cur_sub = objects::subtree(repo, cur.tree, &folder)?;
    loop {
        if shallow.binary_search(&id).is_ok() {
            return Ok(Below::Cut);
        }
        let Some(&pid) = cur.parents.first() else {
            return Ok(Below::None);
        };
        let parent = load_commit(repo, pid)?;
        let mut parent_sub = objects::subtree(repo, parent.tree, &folder)?;
        let mut moved = None;
        if parent_sub != cur_sub
            && let Some(old) = moves::moved_from(repo, cur.tree, parent.tree, &folder)?
        {
            parent_sub = objects::subtree(repo, parent.tree, &old)?;
            moved = Some(old);
        }
        if parent_sub != cur_sub {
            let info = describe(repo, id)?;
            let (landing, _) = bring(repo, &cur.parents, &info, &folder, shallow)?;
            return Ok(Below::Found(Box::new(info), Arc::new(landing)));
        }
        if let Some(old) = moved {
            folder = old;
        }
        id = pid;
        cur = parent;
        cur_sub = parent_sub;
    }
}

/// Records the last change of `paths`, changed by step `i` of the line: the commit itself,
/// or for a merge the newest commit of the merged branch that changed each file.
fn attribute(
    repo: &gix::Repository,
    line: &Line,
    i: usize,
    shallow: &[ObjectId],
    paths: Vec<String>,
    out: &mut BTreeMap<String, Change>,
) -> Result<()> {
    let here = line.info(repo, i)?;
    let brought = line.brought(repo, shallow, i)?;
    let landing = brought.landing.clone();
    if line.steps[i].parents.len() < 2 {
        for p in paths {
            out.insert(
                p.clone(),
                Change::new(here.clone(), None, p, landing.clone()),
            );
        }
        return Ok(());
    }
    for p in paths {
        let change = match brought.branch.iter().find(|c| c.changes(&p)) {
            Some(c) => Change::new(
                c.info.clone(),
                Some(here.clone()),
                p.clone(),
                landing.clone(),
            ),
            None => Change::new(here.clone(), None, p.clone(), landing.clone()),
        };
        out.insert(p, change);
    }
    Ok(())
}

/// What the first-parent commit `info` (with `parents`) brought, in one walk over the
/// commits a merge brought (`merge^2.. ^merge^1`, by commit time): the [`Landing`] for
/// judging its approvals — the author, co-authors and approval trailers of each non-merge
/// commit that changed the register folder, up to a shallow clone's boundary — and those
/// commits with the files each changed, up to the first whose parent is missing. For any
/// other commit, its own author and co-authors, and no branch.
pub(super) fn bring(
    repo: &gix::Repository,
    parents: &[ObjectId],
    info: &CommitInfo,
    prefix: &str,
    shallow: &[ObjectId],
) -> Result<(Landing, Vec<BranchCommit>)> {
    let mut out = Landing::default();
    let mut branch = Vec::new();
    let co = co_authors(&info.trailers);
    let Some((first, others)) = parents.split_first().filter(|(_, o)| !o.is_empty()) else {
        out.author(Identity::new(&info.author, &info.author_email));
        co.for_each(|c| out.author(c));
        return Ok((out, branch));
    };
    let walk = repo
        .rev_walk(others.iter().copied())
        .with_hidden([*first])
        .sorting(gix::revision::walk::Sorting::ByCommitTime(
            Default::default(),
        ))
        .all()?;
    // The landing stops at a shallow clone's boundary; the branch's files go on while the
    // commits' parents can be read.
    let mut landing_open = true;
    for step in walk {
        let Ok(step) = step else {
            if landing_open {
                out.truncated = true;
            }
            break;
        };
        objects::count_read();
        if step.parent_ids.len() > 1 {
            continue;
        }
        let c = load_commit(repo, step.id)?;
        if landing_open && !c.parents.is_empty() && shallow.binary_search(&step.id).is_ok() {
            out.truncated = true;
            landing_open = false;
        }
        let parent = match c.parents.first() {
            Some(p) => match load_commit(repo, *p) {
                Ok(p) => Some(p.tree),
                Err(_) => {
                    if landing_open {
                        out.truncated = true;
                    }
                    break;
                }
            },
            None => None,
        };
        let sub = objects::subtree(repo, c.tree, prefix)?;
        let psub = match parent {
            Some(t) => objects::subtree(repo, t, prefix)?,
            None => None,
        };
        if sub == psub {
            continue;
        }
        let d = describe(repo, step.id)?;
        if landing_open {
            out.author(Identity::new(&d.author, &d.author_email));
            co_authors(&d.trailers).for_each(|a| out.author(a));
            for t in d.trailers.iter().filter(|t| is_approval(t)) {
                out.branch_trailers.push((d.short.clone(), t.clone()));
            }
        }
        let mut deltas = Vec::new();
        objects::diff(
            repo,
            &mut objects::Trees::plain(),
            psub,
            sub,
            "",
            &mut deltas,
            &objects::everything,
        )?;
        let mut changed: Vec<String> = deltas
            .into_iter()
            .filter(|x| x.old != x.new)
            .map(|x| x.path)
            .collect();
        changed.sort();
        changed.dedup();
        if !changed.is_empty() {
            branch.push(BranchCommit { info: d, changed });
        }
    }
    if out.authors.is_empty() {
        // No commit of the branch changed the register: the merge itself did.
        out.author(Identity::new(&info.author, &info.author_email));
    }
    co.for_each(|c| out.author(c));
    Ok((out, branch))
}

/// One first-parent commit's change `d` of a watched file (`deleted`: the files the commit
/// deleted, for rename detection when the file was added).
fn watch_step(
    repo: &gix::Repository,
    line: &Line,
    i: usize,
    w: &mut Watching,
    d: &Delta,
    deleted: &[(String, ObjectId)],
    facts: &mut GitFacts,
) -> Result<()> {
    let Some(new) = d.new else {
        w.done = true;
        return Ok(());
    };
    let (old, old_name) = match d.old {
        Some(old) => (old, w.name.clone()),
        None => match rename_from(repo, new, deleted, w.identify)? {
            Some((old, name)) => (old, name),
            None => {
                // Created here: creating a file is not a change of it.
                w.done = true;
                return Ok(());
            }
        },
    };
    let after = w.version(repo, new)?;
    let before = w.version(repo, old)?;
    let same = old == new || (before == after && before != Projected::Unreadable);
    w.last = Some((old, before.clone()));
    if !same {
        facts
            .changes
            .entry(w.key.clone())
            .or_default()
            .push(ContentChange {
                commit: line.info(repo, i)?,
                path: w.name.clone(),
                before,
                after,
            });
    }
    w.name = old_name;
    Ok(())
}

/// The file a newly added file was renamed from in the same commit, among the files the
/// commit deleted: one with the same content, or else with the same entity id (as
/// `identify` reads it).
pub(super) fn rename_from(
    repo: &gix::Repository,
    new: ObjectId,
    deleted: &[(String, ObjectId)],
    identify: Identify,
) -> Result<Option<(ObjectId, String)>> {
    if deleted.is_empty() {
        return Ok(None);
    }
    if let Some((p, o)) = deleted.iter().find(|(_, o)| *o == new) {
        return Ok(Some((*o, p.clone())));
    }
    let entity_id = |id| -> Result<Option<String>> {
        Ok(objects::text(repo, id)?.as_deref().and_then(identify))
    };
    let Some(id) = entity_id(new)? else {
        return Ok(None);
    };
    for (p, o) in deleted {
        if entity_id(*o)?.as_deref() == Some(id.as_str()) {
            return Ok(Some((*o, p.clone())));
        }
    }
    Ok(None)
}
