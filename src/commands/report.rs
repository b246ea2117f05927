//! `airisk report`: the governance report (`report::governance` builds it). This file gathers
//! what the report needs from git: the register in force at the end of each month of the
//! period — found for every month in one walk over the first-parent line
//! (`git::Repo::in_force`), then each read through the same `Tree` machinery as `--at` — and,
//! with `--since`, the semantic diff (`changes`) from the register in force that day to the
//! register of the report. Outside git the report says so and has no trend.

use super::{EXIT_OK, Env, Opened, open_tree, render_document, stamp};
use crate::changes::RegisterDiff;
use crate::changes::register::Side;
use crate::cli::Global;
use crate::git::{self, FETCH_HELP, InForce};
use crate::load::{self, Loaded};
use crate::model::Date;
use crate::model::time::parse_date;
use crate::render::Format;
use crate::report::Document;
use crate::report::governance::{self, Changes, Inputs, Point, Snapshot, Trend};
use anyhow::{Result, bail};
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format (no csv: the report's tables have different columns).
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
    /// The day of the last management review: list what changed since then, and start the
    /// period (incidents, trend) there. Default period: the last 12 months.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date_arg)]
    pub since: Option<Date>,
    /// Write to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// GitHub-flavoured markdown.
    Markdown,
    /// One self-contained HTML file for the board: no script, prints on A4.
    Html,
    /// One versioned JSON document.
    Json,
    /// Tables for the terminal.
    Table,
}

impl ReportFormat {
    fn format(self) -> Format {
        match self {
            ReportFormat::Markdown => Format::Markdown,
            ReportFormat::Html => Format::Html,
            ReportFormat::Json => Format::Json,
            ReportFormat::Table => Format::Table,
        }
    }
}

pub(super) fn date_arg(s: &str) -> Result<Date, String> {
    parse_date(s)
}

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    let (opened, history, no_git) = open(global, env)?;
    let doc = document(&opened, no_git.as_deref(), args.since, history.as_ref())?;
    render_document(
        env,
        &opened,
        &doc,
        args.format.format(),
        args.output.as_deref(),
    )?;
    Ok(EXIT_OK)
}

/// Opens the register with the history of its documents, as [`super::open_with_history`] does, and
/// says why there is no git history when there is none.
pub(super) fn open(
    global: &Global,
    env: &mut Env,
) -> Result<(Opened, Option<git::History>, Option<String>)> {
    let source = open_tree(global, env)?;
    let why = match (&source.git, &source.no_git) {
        (Some(_), _) => None,
        (None, Some(why)) => Some(why.clone()),
        (None, None) => Some("the register is not in a git repository".to_string()),
    };
    let (opened, history) =
        Opened::read_with_history(source, global.as_of.unwrap_or(env.today), false)?;
    super::warn_skipped_templates(env, &opened)?;
    Ok((opened, history, why))
}

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

/// The report of an opened register, stamped with its document control.
pub(super) fn document(
    opened: &Opened,
    no_git: Option<&str>,
    since: Option<Date>,
    history: Option<&git::History>,
) -> Result<Document> {
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
        stamp(&mut doc, history, opened.trusted());
        return Ok(doc);
    };

    // One walk for every month end (and the --since day), then each distinct commit read once.
    let mut asked = days.clone();
    asked.extend(since);
    let found = g.repo.in_force(&g.rev, &asked)?;
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
                    let tree = g.repo.tree(rev, &g.prefix)?;
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
    let draft = history.is_some_and(|h| !h.draft.is_empty());
    points.push(Point {
        day: today,
        label: "as of".into(),
        commit: Some(if g.rev.worktree && draft {
            "working tree".to_string()
        } else {
            g.rev.short()
        }),
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
    stamp(&mut doc, history, opened.trusted());
    Ok(doc)
}
