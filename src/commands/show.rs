//! `airisk show ID`: one entity and everything linked to it, both ways.

use super::Global;
use super::{DocFormat, EXIT_OK, Env, open_with_history, render_document};
use crate::report::show;
use anyhow::Result;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A system, risk, impact assessment, incident, Annex A control or person.
    pub id: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DocFormat::Table)]
    pub format: DocFormat,
    /// Write to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    let (opened, history) = open_with_history(global, env, true)?;
    let prov = history.as_ref().map(|h| opened.provenance(h));
    let mut doc = show::build(
        &opened.loaded.register,
        &opened.loaded.sources,
        opened.today,
        &args.id,
        prov.as_ref(),
    )?;
    opened.stamp(&mut doc, history.as_ref());
    super::warn_as_of(env, &doc)?;
    render_document(
        env,
        &opened,
        &doc,
        args.format.into(),
        args.output.as_deref(),
    )?;
    Ok(EXIT_OK)
}
