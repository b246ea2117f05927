//! The governance report (`report::governance` builds it) and what it needs from git: the
//! register in force at the end of each month of the period — found for every month in one
//! walk over the first-parent line (`git::Repo::in_force`), then each read through the same
//! `Tree` machinery as `--at` — and, with `--since`, the semantic diff (`changes`) from the
//! register in force that day to the register of the report. Outside git the report says so
//! and has no trend.

use super::Opened;
use crate::changes::RegisterDiff;
use crate::changes::register::Side;
use crate::git::{self, FETCH_HELP, InForce};
use crate::kinds::Kind;
use crate::load::{self, Loaded};
use crate::model::{Date, FileId, Risk};
use crate::report::Document;
use crate::report::governance::{self, Changes, Inputs, Point, Snapshot, Trend};
use anyhow::{Result, bail};
use gix::ObjectId;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// Where a day's register comes from.
#[derive(Clone)]
enum Slot {
    /// An index into the registers read whole (the --since day's).
    Read(usize),
    /// An index into the risks read for the trend alone.
    Risks(usize),
    NoCommit,
    NoRegister,
    /// Why it could not be read.
    Unreadable(String),
    Truncated,
}

/// The report of an opened register as of its day, with the changes since `since` (the day
/// of the last management review), stamped with the document control `history` gives.
pub fn document(
    opened: &Opened,
    since: Option<Date>,
    history: Option<&git::History>,
) -> Result<Document> {
    let no_git = opened.no_git.as_deref();
    let reg = &opened.loaded.register;
    let today = opened.today;
    if let Some(s) = since
        && s > today
    {
        bail!("--since {s} is after the as-of date {today}");
    }
    let start = governance::period_start(today, since);
    let days = governance::month_ends(start, today);

    let Some(g) = &opened.git else {
        if since.is_some() {
            bail!(
                "--since compares the register with the one in force on that day, which needs the register's git history: {}",
                no_git.unwrap_or("the register is not in a git repository")
            );
        }
        let inputs = Inputs {
            period_start: start,
            since,
            trend: Trend::Unavailable(no_git.unwrap_or("not in a git repository").to_string()),
            changes: None,
        };
        let mut doc = governance::build(reg, today, &inputs);
        opened.stamp(&mut doc, history);
        return Ok(doc);
    };

    // One walk for every month end (and the --since day), then each distinct commit read once:
    // the --since day's whole (the changes compare two registers), a month end's for its risks
    // alone, sharing each unchanged file's reading with the register of the report.
    let mut asked = days.clone();
    asked.extend(since);
    let found = g.repo.in_force(&g.rev, &asked)?;
    let folders = folders(g, &found)?;
    let since_commit = match since.map(|_| &found[days.len()]) {
        Some(InForce::Commit { rev, .. }) => Some(rev.id()),
        _ => None,
    };
    let mut reuse = Reuse::new(&opened.loaded);
    let mut read: Vec<Loaded> = Vec::new();
    let mut risks_read: Vec<Vec<Held>> = Vec::new();
    let mut by_commit: BTreeMap<String, Slot> = BTreeMap::new();
    let mut slots: Vec<(Slot, Option<(String, Date)>)> = Vec::new();
    for f in &found {
        let slot = match f {
            InForce::Before => Slot::NoCommit,
            InForce::Truncated => Slot::Truncated,
            InForce::Commit { rev, .. } => {
                if let Some(s) = by_commit.get(&rev.id()) {
                    s.clone()
                } else {
                    let prefix = folders.get(&rev.id()).unwrap_or(&g.prefix);
                    let tree = g.repo.tree(rev, prefix)?;
                    let s = if !load::Tree::is_file(&tree, load::CONFIG_FILE) {
                        Slot::NoRegister
                    } else if since_commit.as_deref() == Some(rev.id().as_str()) {
                        match load::load_tree(&tree, &opened.root) {
                            Ok(l) => {
                                read.push(l);
                                Slot::Read(read.len() - 1)
                            }
                            Err(e) => Slot::Unreadable(format!("{e:#}")),
                        }
                    } else {
                        match trend_risks(&tree, &opened.root, &mut reuse) {
                            Ok(r) => {
                                risks_read.push(r);
                                Slot::Risks(risks_read.len() - 1)
                            }
                            Err(e) => Slot::Unreadable(format!("{e:#}")),
                        }
                    };
                    by_commit.insert(rev.id(), s.clone());
                    s
                }
            }
        };
        let commit = match f {
            InForce::Commit { rev, day } => Some((rev.short(), *day)),
            _ => None,
        };
        slots.push((slot, commit));
    }
    let views: Vec<Vec<&Risk>> = risks_read
        .iter()
        .map(|v| v.iter().map(Held::risk).collect())
        .collect();

    let snapshot = |s: &Slot| match s {
        Slot::Read(i) => Snapshot::Register(&read[*i].register),
        Slot::Risks(i) => Snapshot::Risks(&views[*i]),
        Slot::NoCommit => Snapshot::NoCommit,
        Slot::NoRegister => Snapshot::NoRegister,
        Slot::Unreadable(_) => Snapshot::Unreadable,
        Slot::Truncated => Snapshot::Truncated,
    };
    let mut points: Vec<Point> = days
        .iter()
        .zip(&slots)
        .map(|(day, (slot, commit))| Point {
            day: *day,
            label: day.format("%Y-%m").to_string(),
            commit: commit.as_ref().map(|c| c.0.clone()),
            state: snapshot(slot),
        })
        .collect();
    // The register the report is about: its commit is the document control's, so that a
    // committed report compares equal with `report -o FILE --check` on the commit adding it.
    points.push(Point {
        day: today,
        label: "as of".into(),
        commit: None,
        state: Snapshot::Register(reg),
    });

    // The changes since the last review.
    let mut base = None;
    let diff = match since {
        None => None,
        Some(day) => {
            let (slot, commit) = &slots[days.len()];
            base = commit.clone();
            let what = commit
                .as_ref()
                .map(|(c, d)| format!(" (commit {c} of {d})"))
                .unwrap_or_default();
            match slot {
                Slot::Read(i) => Some(RegisterDiff::between(
                    &Side {
                        loaded: &read[*i],
                        diagnostics: &[],
                        extras: &crate::changes::register::Extras::NONE,
                    },
                    &Side {
                        loaded: &opened.loaded,
                        diagnostics: &[],
                        extras: &crate::changes::register::Extras::NONE,
                    },
                )),
                Slot::Risks(_) => unreachable!("the --since day's commit is read whole"),
                Slot::NoCommit | Slot::NoRegister => None,
                Slot::Unreadable(why) => {
                    bail!("cannot read the register in force on {day}{what}: {why}")
                }
                Slot::Truncated => bail!(
                    "cannot compare with {day}: the history of this clone is truncated (shallow) before that day\nhelp: {FETCH_HELP}"
                ),
            }
        }
    };
    let changes = since.map(|day| Changes {
        since: day,
        base,
        diff: diff.as_ref(),
    });
    let inputs = Inputs {
        period_start: start,
        since,
        trend: Trend::Points(points),
        changes,
    };
    let mut doc = governance::build(reg, today, &inputs);
    opened.stamp(&mut doc, history);
    Ok(doc)
}

/// The register's folder at each commit of `found` that does not have it where it is now
/// (the folder was moved since): where the walk down the first-parent line, following the
/// move, finds it. Commits that have it in place need no walk.
fn folders(g: &super::GitSource, found: &[InForce]) -> Result<BTreeMap<String, String>> {
    let mut moved: Vec<git::Rev> = Vec::new();
    for f in found {
        if let InForce::Commit { rev, .. } = f
            && !moved.contains(rev)
            && !load::Tree::is_file(&g.repo.tree(rev, &g.prefix)?, load::CONFIG_FILE)
        {
            moved.push(rev.clone());
        }
    }
    if moved.is_empty() {
        return Ok(BTreeMap::new());
    }
    let at = g.repo.folders_at(&g.rev, &g.prefix, &moved)?;
    Ok(moved
        .iter()
        .zip(at)
        .filter_map(|(r, p)| Some((r.id(), p?)))
        .collect())
}

/// A risk of a past revision, as the trend counts it.
pub enum Held<'a> {
    /// The reading of the register being reported, of a file with the same bytes.
    Shared(&'a Risk),
    /// Read from the revision: its file differs from every file of the register reported.
    Read(Box<Risk>),
}

impl Held<'_> {
    pub fn risk(&self) -> &Risk {
        match self {
            Held::Shared(r) => r,
            Held::Read(r) => r,
        }
    }

    /// Whether it is the reading of the register reported (its file unchanged).
    pub fn is_shared(&self) -> bool {
        matches!(self, Held::Shared(_))
    }
}

/// The risks of the register at `tree` (a past revision) as the trend reads them, sharing
/// the readings of `reported` (the register of the report): what [`document`] counts at a
/// month end, for the tests that hold it to a whole load of the same revision.
pub fn trend_reading<'a>(
    tree: &git::RevTree,
    root: &std::path::Path,
    reported: &'a Loaded,
) -> Result<Vec<Held<'a>>> {
    trend_risks(tree, root, &mut Reuse::new(reported))
}

/// The risks of the register being reported, by the git blob id of their file's text (the
/// file's bytes: a risk is only lowered from a file read whole as UTF-8). A file of a past
/// revision with the same blob id has the same bytes and lies in a risk folder too (the
/// trend only looks up risk files), so lowering it would give this same risk: the trend
/// shares it instead of reading, parsing and lowering the file again. Filled on first use.
struct Reuse<'a> {
    loaded: &'a Loaded,
    by_blob: Option<HashMap<ObjectId, &'a Risk>>,
}

impl<'a> Reuse<'a> {
    fn new(loaded: &'a Loaded) -> Self {
        Reuse {
            loaded,
            by_blob: None,
        }
    }

    fn get(&mut self, blob: ObjectId) -> Option<&'a Risk> {
        let loaded = self.loaded;
        let map = self.by_blob.get_or_insert_with(|| {
            loaded
                .register
                .risks
                .par_iter()
                .filter_map(|r| {
                    let text = &loaded.sources.get(r.file).text;
                    gix::objs::compute_hash(blob.kind(), gix::objs::Kind::Blob, text.as_bytes())
                        .ok()
                        .map(|id| (id, &**r))
                })
                .collect()
        });
        map.get(&blob).copied()
    }
}

/// The risks of the register at a past revision, as a whole load of it would give them (in
/// path order), for the trend: its configuration is read as a load reads it (a broken one
/// makes the revision unreadable, as it does a load), then every file of the risk folders
/// is shared with the register of the report when its blob is one of that register's risk
/// files (see [`Reuse`]), and read, parsed and lowered otherwise. Nothing else of the
/// revision is read: the trend counts open risks by their rating and needs no other file.
fn trend_risks<'a>(
    tree: &git::RevTree,
    root: &std::path::Path,
    reuse: &mut Reuse<'a>,
) -> Result<Vec<Held<'a>>> {
    load::begin(tree, root)?;
    let planned: Vec<load::Planned> = load::list_files(tree)
        .into_iter()
        .filter(|p| p.kind == Kind::Risk)
        .collect();
    let mut held: Vec<Option<Held<'a>>> = Vec::with_capacity(planned.len());
    let mut to_read = Vec::new();
    for p in planned {
        let shared = match (&p.refused, tree.listed_blob(&p.rel)) {
            (None, Some(blob)) => reuse.get(blob),
            _ => None,
        };
        match shared {
            Some(r) => held.push(Some(Held::Shared(r))),
            None => {
                to_read.push((held.len(), p));
                held.push(None);
            }
        }
    }
    let fresh: Vec<(usize, Option<Box<Risk>>)> = to_read
        .into_par_iter()
        .map(|(i, p)| (i, load::process(tree, FileId(0), p).into_risk()))
        .collect();
    for (i, r) in fresh {
        held[i] = r.map(Held::Read);
    }
    Ok(held.into_iter().flatten().collect())
}
