//! `airisk monitor`: the monitors with their latest reading and status (SPEC §9);
//! `airisk monitor add SYSTEM MONITOR VALUE` appends one reading to `monitoring/<system>.csv`;
//! `airisk monitor import --from mlflow|openmetrics FILE --system S` appends a tool's
//! readings, skipping those already recorded. Both check the register with the new rows in
//! memory first and write nothing when that brings an error (exit 1, the findings on
//! stderr); the write is the one writer's append mode (every byte already in the file kept,
//! atomically).

use super::Global;
use super::{DocFormat, EXIT_FINDINGS, EXIT_OK, Env, open, open_with_history, write_output};
use crate::diag;
use crate::model::monitoring::{Moment, parse_decimal, parse_moment};
use crate::render;
use crate::report::monitor;
use crate::text::terminal_line;
use crate::workspace::metrics::{self, Sample};
use crate::workspace::readings::{self, NewReading, Plan};
use anyhow::{Result, bail};
use clap::builder::PossibleValuesParser;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
    /// Only the monitors of this system.
    #[arg(long, value_name = "SYSTEM")]
    pub system: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DocFormat::Table)]
    pub format: DocFormat,
    /// Show only these columns, in this order (comma-separated keys, as in CSV and JSON).
    #[arg(long, value_name = "KEYS", value_delimiter = ',', value_parser = PossibleValuesParser::new(monitor::column_keys()))]
    pub columns: Vec<String>,
    /// Start CSV with a UTF-8 byte order mark, so Excel reads it as UTF-8.
    #[arg(long)]
    pub bom: bool,
    /// Write to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Append one reading to monitoring/<SYSTEM>.csv (created with its header if missing).
    Add(AddArgs),
    /// Append the readings of an MLflow metric history or an OpenMetrics / Prometheus text
    /// file, skipping those already recorded.
    Import(ImportArgs),
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The system's id.
    pub system: String,
    /// The monitor's id (of the system's `monitoring` entries).
    pub monitor: String,
    /// The reading: a decimal number (0.64, -3, 1.5e-3).
    #[arg(allow_hyphen_values = true)]
    pub value: String,
    /// When it was measured: YYYY-MM-DD or an RFC 3339 time (default: today, or --as-of).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Where the value comes from (one line).
    #[arg(long, value_name = "TEXT")]
    pub source: Option<String>,
    /// Anything a reviewer should know (one line).
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum From {
    /// MLflow REST API metric-history JSON (timestamps in milliseconds).
    Mlflow,
    /// OpenMetrics text (timestamps in seconds, ends with `# EOF`) or Prometheus text
    /// (timestamps in milliseconds).
    Openmetrics,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The tool's format.
    #[arg(long, value_enum)]
    pub from: From,
    /// The file to read.
    pub file: PathBuf,
    /// The system the readings are of.
    #[arg(long, value_name = "SYSTEM")]
    pub system: String,
    /// A metric to import (its name, or name{labels} as written); pairs with the --monitor
    /// at the same position. Without any, every metric whose name is a monitor id is read.
    #[arg(long, value_name = "NAME")]
    pub metric: Vec<String>,
    /// The monitor the --metric at the same position is recorded as.
    #[arg(long, value_name = "ID")]
    pub monitor: Vec<String>,
    /// The source written with each reading (default: the tool and the file name).
    #[arg(long, value_name = "TEXT")]
    pub source: Option<String>,
    /// The day of samples without a timestamp (default: today, or --as-of).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Check and show what would be appended; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    match &args.action {
        None => list(args, global, env),
        Some(Action::Add(a)) => add(a, global, env),
        Some(Action::Import(a)) => import(a, global, env),
    }
}

fn list(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    let (opened, history) = open_with_history(global, env, false)?;
    let reg = &opened.loaded.register;
    if let Some(s) = &args.system
        && reg.system(s).is_none()
    {
        bail!("unknown system `{}`", terminal_line(s));
    }
    let mut doc = monitor::build(
        reg,
        &opened.loaded.sources,
        opened.today,
        args.system.as_deref(),
    );
    doc.pick_columns(&args.columns)?;
    opened.stamp(&mut doc, history.as_ref());
    let format = args.format.into();
    let bytes = opened.render(&doc, format, env.screen(args.output.as_deref()))?;
    write_output(
        env,
        args.output.as_deref(),
        &render::bom(args.bom, format, bytes)?,
    )?;
    Ok(EXIT_OK)
}

fn no_revision(global: &Global, what: &str) -> Result<()> {
    if global.at.is_some() {
        bail!("`monitor {what}` writes to the working tree: it does not take --at");
    }
    Ok(())
}

fn add(a: &AddArgs, global: &Global, env: &mut Env) -> Result<u8> {
    no_revision(global, "add")?;
    let Some(value) = parse_decimal(a.value.trim()) else {
        bail!(
            "`{}` is not a reading: a reading is a finite decimal number (0.64, -3, 1.5e-3)",
            terminal_line(&a.value)
        );
    };
    let ws = open(global, env)?;
    let date = match &a.date {
        Some(d) => {
            parse_moment(d).map_err(|e| anyhow::anyhow!("--date: {}", terminal_line(&e)))?;
            d.clone()
        }
        None => ws.today.to_string(),
    };
    let row = NewReading {
        monitor: a.monitor.clone(),
        date,
        value,
        source: a.source.clone(),
        note: a.note.clone(),
    };
    let plan = readings::plan(&ws, &a.system, vec![row], false)?;
    commit(&ws.root, plan, false, env)
}

/// The monitor each sample is recorded as, by the `--metric`/`--monitor` pairs or, without
/// them, by its name when that is a monitor id.
fn assign(
    samples: Vec<Sample>,
    a: &ImportArgs,
    is_monitor: impl Fn(&str) -> bool,
    env: &mut Env,
) -> Result<Vec<(String, Sample)>> {
    if a.metric.len() != a.monitor.len() {
        bail!(
            "give --metric and --monitor in pairs: {} --metric and {} --monitor",
            a.metric.len(),
            a.monitor.len()
        );
    }
    let pairs: Vec<(&str, &str)> = a
        .metric
        .iter()
        .map(String::as_str)
        .zip(a.monitor.iter().map(String::as_str))
        .collect();
    let mut out = Vec::new();
    let mut ignored: BTreeSet<String> = BTreeSet::new();
    let mut labels: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut used: BTreeSet<&str> = BTreeSet::new();
    for s in samples {
        let full = format!("{}{}", s.name, s.labels);
        let target = if pairs.is_empty() {
            is_monitor(&s.name).then(|| s.name.clone())
        } else {
            pairs
                .iter()
                .find(|(m, _)| *m == full || *m == s.name)
                .map(|(m, id)| {
                    used.insert(m);
                    id.to_string()
                })
        };
        match target {
            Some(id) => {
                labels
                    .entry(id.clone())
                    .or_default()
                    .insert(s.labels.clone());
                out.push((id, s));
            }
            None => {
                ignored.insert(s.name.clone());
            }
        }
    }
    for (m, _) in &pairs {
        if !used.contains(m) {
            bail!("the file has no metric `{}`", terminal_line(m));
        }
    }
    for (id, sets) in &labels {
        if sets.len() > 1 {
            let list: Vec<String> = sets.iter().map(|l| terminal_line(l)).collect();
            bail!(
                "monitor `{}` would get the samples of {} series ({}); choose one with --metric 'NAME{{labels}}' --monitor {}",
                terminal_line(id),
                sets.len(),
                list.join(", "),
                terminal_line(id)
            );
        }
    }
    if !ignored.is_empty() {
        let list: Vec<String> = ignored
            .iter()
            .map(|n| format!("`{}`", terminal_line(n)))
            .collect();
        writeln!(
            env.stderr,
            "note: not imported (no monitor of `{}` is named so; map one with --metric NAME --monitor ID): {}",
            terminal_line(&a.system),
            list.join(", ")
        )?;
    }
    Ok(out)
}

fn import(a: &ImportArgs, global: &Global, env: &mut Env) -> Result<u8> {
    no_revision(global, "import")?;
    let ws = open(global, env)?;
    let text = readings::read_input(&env.cwd.join(&a.file))?;
    let samples = match a.from {
        From::Mlflow => metrics::mlflow(&text)?,
        From::Openmetrics => metrics::openmetrics(&text)?,
    };
    let default_day = match &a.date {
        Some(d) => parse_moment(d).map_err(|e| anyhow::anyhow!("--date: {}", terminal_line(&e)))?,
        None => Moment {
            day: ws.today,
            second: None,
        },
    };
    let monitors = readings::monitor_ids(&ws, &a.system)?;
    let assigned = assign(samples, a, |n| monitors.contains(n), env)?;
    if assigned.is_empty() {
        bail!(
            "no metric of `{}` names a monitor of `{}` (its monitors: {}); map one with --metric NAME --monitor ID",
            a.file.display(),
            terminal_line(&a.system),
            if monitors.is_empty() {
                "none with an id".to_string()
            } else {
                monitors.iter().cloned().collect::<Vec<_>>().join(", ")
            }
        );
    }
    let tool = match a.from {
        From::Mlflow => "mlflow",
        From::Openmetrics => "openmetrics",
    };
    let file_name = a
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let source = a.source.clone().unwrap_or_else(|| {
        format!(
            "{tool} {}",
            file_name
                .chars()
                .filter(|c| !c.is_control())
                .collect::<String>()
        )
    });
    let mut rows: Vec<NewReading> = assigned
        .into_iter()
        .map(|(monitor, s)| NewReading {
            monitor,
            date: s.at.unwrap_or(default_day).to_string(),
            value: s.value,
            source: Some(source.clone()),
            note: None,
        })
        .collect();
    // In time order, so the file reads as a log.
    rows.sort_by(|x, y| {
        let k = |r: &NewReading| parse_moment(&r.date).ok();
        k(x).cmp(&k(y)).then_with(|| x.monitor.cmp(&y.monitor))
    });
    let plan = readings::plan(&ws, &a.system, rows, true)?;
    commit(&ws.root, plan, a.dry_run, env)
}

/// Writes the plan, or refuses it (exit 1) when its rows bring an error.
fn commit(root: &std::path::Path, plan: Plan, dry_run: bool, env: &mut Env) -> Result<u8> {
    let sources = &plan.outcome.loaded.sources;
    let renderer = annotate_snippets::Renderer::plain();
    let rel = terminal_line(&plan.rel);
    if plan.refused() {
        for d in &plan.introduced {
            writeln!(
                env.stderr,
                "{}\n",
                diag::human::render(&renderer, d, sources)
            )?;
        }
        writeln!(
            env.stderr,
            "error: the reading would not pass `airisk check`; nothing was written to {rel}"
        )?;
        return Ok(EXIT_FINDINGS);
    }
    if plan.added == 0 {
        writeln!(
            env.stdout,
            "Nothing to append to {rel}: {} reading{} already recorded.",
            plan.skipped,
            if plan.skipped == 1 { " is" } else { "s are" }
        )?;
        return Ok(EXIT_OK);
    }
    if !dry_run {
        crate::output::append(root, &plan.rel, plan.expected.as_deref(), &plan.tail)?;
    }
    // What the new rows set off: a breach at a new row, a review they make due.
    let start = plan.expected.as_ref().map_or(0, Vec::len);
    for d in plan.introduced.iter().filter(|d| {
        d.code == diag::Code::ReviewOverdue
            || (sources.path(d.primary.span.file) == plan.rel
                && d.primary.span.range().start >= start)
    }) {
        writeln!(
            env.stderr,
            "{}\n",
            diag::human::render(&renderer, d, sources)
        )?;
    }
    let skipped = match plan.skipped {
        0 => String::new(),
        1 => " (1 already recorded, skipped)".to_string(),
        n => format!(" ({n} already recorded, skipped)"),
    };
    let verb = if dry_run { "Would append" } else { "Appended" };
    let s = if plan.added == 1 { "" } else { "s" };
    writeln!(
        env.stdout,
        "{verb} {} reading{s} to {rel}{skipped}.",
        plan.added
    )?;
    if dry_run {
        let tail = String::from_utf8_lossy(&plan.tail);
        write!(env.stdout, "{}", crate::text::terminal(&tail))?;
    }
    Ok(EXIT_OK)
}
