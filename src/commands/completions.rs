//! `airisk completions SHELL`: the shell completion script for bash, zsh, fish, PowerShell
//! or elvish (`completion`, over clap_complete), from the same command definition the parser
//! uses.

use super::{EXIT_OK, Env, write_output};
use anyhow::Result;
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

/// `cli` is the command line's definition (`cli::Cli`), which the script completes.
pub fn run(args: &Args, cli: clap::Command, env: &mut Env) -> Result<u8> {
    let mut cli = cli;
    let buf = crate::completion::script(args.shell, &mut cli, "airisk");
    write_output(env, args.output.as_deref(), &buf)?;
    Ok(EXIT_OK)
}
