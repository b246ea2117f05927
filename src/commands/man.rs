//! `airisk man [-o FILE]`: the manual page (roff, section 1) from the command definition
//! (clap_mangen): every global flag and subcommand, so it cannot drift from `--help`.

use super::{EXIT_OK, Env, write_output};
use crate::cli::{Cli, Global};
use anyhow::Result;
use clap::CommandFactory;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write the page to FILE (for example `airisk.1`) instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: &Args, _global: &Global, env: &mut Env) -> Result<u8> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut buf)?;
    write_output(env, args.output.as_deref(), &buf)?;
    Ok(EXIT_OK)
}
