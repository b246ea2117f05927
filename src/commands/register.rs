//! `airisk register`: the risk register as a table, markdown, CSV, JSON or HTML, with filters.

use super::Global;
use super::{DocFormat, EXIT_OK, Env, open_with_history, render_document};
use crate::report::register::{self, StatusFilter};
use anyhow::Result;
use clap::ValueEnum;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = DocFormat::Table)]
    pub format: DocFormat,
    /// Only risks of this system.
    #[arg(long, value_name = "ID")]
    pub system: Option<String>,
    /// Only risks of this category.
    #[arg(long, value_name = "ID")]
    pub category: Option<String>,
    /// Only risks at this level.
    #[arg(long, value_name = "NAME")]
    pub level: Option<String>,
    /// Only risks owned by this person.
    #[arg(long, value_name = "KEY")]
    pub owner: Option<String>,
    /// Which risks by status (default: open).
    #[arg(long, value_enum, value_name = "STATUS")]
    pub status: Option<Status>,
    /// Only risks scored above the acceptance threshold.
    #[arg(long)]
    pub above_threshold: bool,
    /// Sort by: id (default), title, system, category, owner, score, level, due, next-review.
    #[arg(long, value_name = "FIELD")]
    pub sort: Option<String>,
    /// Add provenance columns from git: last commit, date, author, pull request, approvers.
    #[arg(long)]
    pub provenance: bool,
    /// Write to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
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
    opened.stamp(&mut doc, history.as_ref());
    render_document(
        env,
        &opened,
        &doc,
        args.format.into(),
        args.output.as_deref(),
    )?;
    Ok(EXIT_OK)
}
