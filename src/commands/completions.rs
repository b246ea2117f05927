//! `airisk completions SHELL`: the shell completion script for bash, zsh, fish, PowerShell
//! or elvish (`completion`, over clap_complete), from the same command definition the parser
//! uses.

use super::{EXIT_OK, Env, write_output};
use crate::cli::{Cli, Global};
use anyhow::Result;
use clap::CommandFactory;
use clap_complete::Shell;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
    /// Write the script to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: &Args, _global: &Global, env: &mut Env) -> Result<u8> {
    let buf = crate::completion::script(args.shell, &mut Cli::command(), "airisk");
    write_output(env, args.output.as_deref(), &buf)?;
    Ok(EXIT_OK)
}
