//! `airisk matrix`: the likelihood x consequence heat map.

use super::Global;
use super::{DocFormat, Env, open_with_history};
use crate::report::matrix::{self, Plot};
use anyhow::{Result, bail};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format (csv is not offered: a heat map is not a list).
    #[arg(long, value_enum, default_value_t = DocFormat::Table)]
    pub format: DocFormat,
    /// Plot the current assessments, with today's controls (the default).
    #[arg(long, conflicts_with = "target")]
    pub residual: bool,
    /// Plot the treatment targets instead.
    #[arg(long)]
    pub target: bool,
    /// List the risks' ids in each cell instead of their number (table and markdown; JSON
    /// always has the ids, HTML lists them under each number).
    #[arg(long)]
    pub ids: bool,
    /// Write to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With -o: write nothing; exit 1 when FILE's content (not its document-control block)
    /// differs from what would be rendered.
    #[arg(long, requires = "output")]
    pub check: bool,
}

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    if args.format == DocFormat::Csv {
        bail!("matrix has no csv format: use table, markdown, html or json");
    }
    let (opened, history) = open_with_history(global, env, false)?;
    let plot = if args.target {
        Plot::Target
    } else {
        Plot::Current
    };
    let mut doc = matrix::build(&opened.loaded.register, opened.today, plot, args.ids);
    opened.stamp(&mut doc, history.as_ref());
    super::warn_as_of(env, &doc)?;
    let format = args.format.into();
    let bytes = opened.render(&doc, format, env.screen(args.output.as_deref()))?;
    let regenerate = format!(
        "airisk matrix{}",
        super::format_flag(args.format, DocFormat::Table)
    );
    super::write_or_check(
        env,
        args.output.as_deref(),
        args.check,
        &bytes,
        format,
        &regenerate,
    )
}
