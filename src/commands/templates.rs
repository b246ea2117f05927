//! `airisk templates export DIR`: writes the built-in templates to start an override from.
//! Never overwrites: when any file exists, nothing is written (`output::create_all`).

use super::Global;
use super::{EXIT_OK, Env};
use crate::render::templates::DEFAULTS;
use anyhow::Result;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Write the built-in markdown and HTML templates into DIR (the register's `templates/`
    /// folder is where overrides are read from).
    Export {
        /// The folder to write to (created if missing).
        dir: PathBuf,
    },
}

pub fn run(args: &Args, _global: &Global, env: &mut Env) -> Result<u8> {
    let Action::Export { dir } = &args.action;
    let target = env.cwd.join(dir);
    let files: Vec<(String, String)> = DEFAULTS
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    crate::output::create_all(&target, &files)?;
    writeln!(
        env.stdout,
        "Wrote {} templates to {}. Keep the ones you change in the register's templates/ folder; the others fall back to the built-in ones.",
        files.len(),
        dir.display()
    )?;
    Ok(EXIT_OK)
}
