//! `airisk due`: reviews, treatments, corrective actions and acceptance expiries that are
//! overdue or coming up. `--fail-on overdue|due` makes it a CI gate (exit 1).

use super::Global;
use super::{EXIT_FINDINGS, Env, SheetFormat, open_with_history};
use crate::model::Duration;
use crate::render;
use crate::report::due;
use anyhow::Result;
use clap::ValueEnum;
use clap::builder::PossibleValuesParser;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// How far ahead to look, e.g. "30 days" or `90days`, `12w`, `6mo`, `1y` (default:
    /// `[review] due_soon`).
    #[arg(long, value_name = "DURATION", value_parser = duration_arg)]
    pub within: Option<Duration>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SheetFormat::Table)]
    pub format: SheetFormat,
    /// Exit 1 when anything is overdue (`overdue`), or when anything is listed (`due`).
    #[arg(long, value_enum, value_name = "WHAT")]
    pub fail_on: Option<FailOn>,
    /// Show only these columns, in this order (comma-separated keys, as in CSV and JSON).
    #[arg(long, value_name = "KEYS", value_delimiter = ',', value_parser = PossibleValuesParser::new(due::column_keys()))]
    pub columns: Vec<String>,
    /// Start CSV with a UTF-8 byte order mark, so Excel reads it as UTF-8.
    #[arg(long)]
    pub bom: bool,
    /// Write to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With -o: write nothing; exit 1 when FILE's content (not its document-control block)
    /// differs from what would be rendered.
    #[arg(long, requires = "output")]
    pub check: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Overdue,
    Due,
}

fn duration_arg(s: &str) -> Result<Duration, String> {
    Duration::parse_arg(s)
}

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    let (opened, history) = open_with_history(global, env, false)?;
    let reg = &opened.loaded.register;
    let within = args.within.unwrap_or(reg.config.review.due_soon);
    let mut doc = due::build(reg, &opened.loaded.sources, opened.today, within);
    doc.pick_columns(&args.columns)?;
    opened.stamp(&mut doc, history.as_ref());
    super::warn_as_of(env, &doc)?;
    let format = args.format.into();
    super::refuse_binary_on_terminal(env, format, args.output.as_deref())?;
    let bytes = opened.render(&doc, format, env.screen(args.output.as_deref()))?;
    let regenerate = format!(
        "airisk due{}",
        super::format_flag(args.format, SheetFormat::Table)
    );
    let checked = super::write_or_check(
        env,
        args.output.as_deref(),
        args.check,
        &render::bom(args.bom, format, bytes)?,
        format,
        &regenerate,
    )?;
    let items = due::window(reg, opened.today, within);
    let fail = match args.fail_on {
        None => false,
        Some(FailOn::Overdue) => items.iter().any(|i| i.overdue(opened.today)),
        Some(FailOn::Due) => !items.is_empty(),
    };
    Ok(if fail { EXIT_FINDINGS } else { checked })
}
