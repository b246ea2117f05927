//! `airisk init [DIR]`: writes a small worked register that passes `check` — the bundled
//! `examples/minimal`, with its organisation named after the folder (or `--name`) and its
//! dates moved so that it is current today. Never overwrites: when any file it would write
//! exists, it writes nothing and names every file in the way. The files are created by
//! `output::create_all`: each whole or not at all, and a failure or a signal part-way removes
//! what this run wrote, folders included.
//!
//! Each YAML file starts with a yaml-language-server modeline pointing at the JSON Schemas,
//! which init writes into `.airisk/schema/` (the workspace makes the files:
//! `workspace::init`).

use super::Global;
use super::{EXIT_OK, Env};
use crate::workspace::init::starter;
use anyhow::Result;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to create the register (default: the current folder; created if missing).
    pub dir: Option<PathBuf>,
    /// The organisation's name (default: the folder's name).
    #[arg(long)]
    pub name: Option<String>,
}

pub fn run(args: &Args, _global: &Global, env: &mut Env) -> Result<u8> {
    let dir = match &args.dir {
        Some(d) => env.cwd.join(d),
        None => env.cwd.clone(),
    };
    let folder_name = dir
        .canonicalize()
        .unwrap_or_else(|_| dir.clone())
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "My organisation".into());
    let name = args.name.clone().unwrap_or(folder_name);
    let files = starter(&name, env.today);

    crate::output::create_all(&dir, &files)?;
    writeln!(
        env.stdout,
        "Created a register for `{name}` in {} ({} files).\n\
         It is a worked example to make your own: one system, three risks, a full SoA.\n\
         Next: `airisk -C {} check`",
        dir.display(),
        files.len(),
        args.dir.as_deref().unwrap_or(Path::new(".")).display()
    )?;
    Ok(EXIT_OK)
}
