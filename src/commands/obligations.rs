//! `airisk obligations [--system S]`: the EU AI Act classification of every live system (or
//! one) and each obligation that applies to it, with its article, application date, status,
//! due date and evidence (SPEC §10).

use super::Global;
use super::{DocFormat, EXIT_OK, Env, open_with_history, render_document};
use crate::report::obligations;
use anyhow::Result;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this system (any lifecycle).
    #[arg(long, value_name = "SYSTEM")]
    pub system: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DocFormat::Table)]
    pub format: DocFormat,
    /// Write to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    let (opened, history) = open_with_history(global, env, false)?;
    // CSV holds one table: the flat form, a row per obligation with its classification.
    let flat = matches!(args.format, DocFormat::Csv);
    let mut doc = obligations::build(
        &opened.loaded.register,
        opened.today,
        args.system.as_deref(),
        flat,
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
