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
use crate::load::{self, Loaded};
use crate::model::Date;
use crate::report::Document;
use crate::report::governance::{self, Changes, Inputs, Point, Snapshot, Trend};
use anyhow::{Result, bail};
use std::collections::BTreeMap;

/// Where a day's register comes from.
#[derive(Clone)]
enum Slot {
    /// An index into the registers read.
    Read(usize),
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

    // One walk for every month end (and the --since day), then each distinct commit read once.
    let mut asked = days.clone();
    asked.extend(since);
    let found = g.repo.in_force(&g.rev, &asked)?;
    let folders = folders(g, &found)?;
    let mut read: Vec<Loaded> = Vec::new();
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
                    } else {
                        match load::load_tree(&tree, &opened.root) {
                            Ok(l) => {
                                read.push(l);
                                Slot::Read(read.len() - 1)
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

    let snapshot = |s: &Slot| match s {
        Slot::Read(i) => Snapshot::Register(&read[*i].register),
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
