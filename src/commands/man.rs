//! `airisk man [-o FILE]`: the manual page (roff, section 1) from the command definition
//! (clap_mangen): every global flag and subcommand, so it cannot drift from `--help`.

use super::{EXIT_OK, Env, write_output};
use anyhow::Result;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write the page to FILE (for example `airisk.1`) instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `cli` is the command line's definition (`cli::Cli`), which this page describes.
pub fn run(args: &Args, cli: clap::Command, env: &mut Env) -> Result<u8> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(cli).render(&mut buf)?;
    write_output(env, args.output.as_deref(), &buf)?;
    Ok(EXIT_OK)
}
