//! `airisk register`: the risk register as a table, markdown, CSV, JSON or HTML, with filters.

use super::Global;
use super::{Env, SheetFormat, open_with_history};
use crate::render;
use crate::report::register::{self, StatusFilter};
use anyhow::Result;
use clap::ValueEnum;
use clap::builder::PossibleValuesParser;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = SheetFormat::Table)]
    pub format: SheetFormat,
    /// Only risks of this system (repeat the flag, or separate values by commas, for any of several).
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub system: Vec<String>,
    /// Only risks of this category (repeat the flag, or separate values by commas, for any of several).
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub category: Vec<String>,
    /// Only risks at this level (repeat the flag, or separate values by commas, for any of several).
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub level: Vec<String>,
    /// Only risks owned by this person (repeat the flag, or separate values by commas, for any of several).
    #[arg(long, value_name = "KEY", value_delimiter = ',')]
    pub owner: Vec<String>,
    /// Which risks by status (default: open).
    #[arg(long, value_enum, value_name = "STATUS")]
    pub status: Option<Status>,
    /// Only risks scored above the acceptance threshold.
    #[arg(long)]
    pub above_threshold: bool,
    /// Sort by: id (default), title, system, category, owner, score, level, due, next-review.
    #[arg(long, value_name = "FIELD", value_parser = PossibleValuesParser::new(register::SORT_FIELDS))]
    pub sort: Option<String>,
    /// Show only these columns, in this order (comma-separated keys, as in CSV and JSON):
    /// in every format; a terminal too narrow for them lists the risks as items.
    #[arg(long, value_name = "KEYS", value_delimiter = ',', value_parser = PossibleValuesParser::new(register::column_keys()))]
    pub columns: Vec<String>,
    /// Start CSV with a UTF-8 byte order mark, so Excel reads it as UTF-8.
    #[arg(long)]
    pub bom: bool,
    /// Add provenance columns from git: last commit, date, author, pull request, approvers.
    #[arg(long)]
    pub provenance: bool,
    /// Write to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With -o: write nothing; exit 1 when FILE's content (not its document-control block)
    /// differs from what would be rendered.
    #[arg(long, requires = "output")]
    pub check: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Status {
    Open,
    Closed,
    All,
}

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    let (opened, history) = open_with_history(global, env, args.provenance)?;
    if args.provenance && opened.git.is_none() {
        return Err(opened.not_in_git("--provenance"));
    }
    let opts = register::Options {
        system: args.system.clone(),
        category: args.category.clone(),
        level: args.level.clone(),
        owner: args.owner.clone(),
        status: args.status.map(|s| match s {
            Status::Open => StatusFilter::Open,
            Status::Closed => StatusFilter::Closed,
            Status::All => StatusFilter::All,
        }),
        above_threshold: args.above_threshold,
        sort: args.sort.clone(),
        provenance: history
            .as_ref()
            .filter(|_| args.provenance)
            .map(|h| opened.provenance(h)),
    };
    let mut doc = register::build(
        &opened.loaded.register,
        &opened.loaded.sources,
        opened.today,
        &opts,
    )?;
    doc.pick_columns(&args.columns)?;
    opened.stamp(&mut doc, history.as_ref());
    super::warn_as_of(env, &doc)?;
    let format = args.format.into();
    super::refuse_binary_on_terminal(env, format, args.output.as_deref())?;
    let bytes = opened.render(&doc, format, env.screen(args.output.as_deref()))?;
    let regenerate = format!(
        "airisk register{}",
        super::format_flag(args.format, SheetFormat::Table)
    );
    super::write_or_check(
        env,
        args.output.as_deref(),
        args.check,
        &render::bom(args.bom, format, bytes)?,
        format,
        &regenerate,
    )
}
