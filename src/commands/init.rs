//! `airisk init [DIR]`: writes a small worked register that passes `check` — the bundled
//! `examples/minimal`, with its organisation named after the folder (or `--name`) and its
//! dates moved so that it is current today. Never overwrites: when any file it would write
//! exists, it writes nothing and names every file in the way. The files are created by
//! `output::create_all`: each whole or not at all, and a failure or a signal part-way removes
//! what this run wrote, folders included.
//!
//! `--blank` writes a register with nothing of another organisation in it instead
//! (`workspace::init::blank`) and says which files to edit first. `-C DIR` is where init
//! runs: the register is `DIR`, or `DIR/[DIR]`.
//!
//! Each YAML file starts with a yaml-language-server modeline pointing at the JSON Schemas,
//! which init writes into `.airisk/schema/` (the workspace makes the files:
//! `workspace::init`).

use super::Global;
use super::{EXIT_OK, Env};
use crate::text::terminal;
use crate::workspace::init::{blank, starter};
use anyhow::Result;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to create the register (default: the current folder; created if missing).
    pub dir: Option<PathBuf>,
    /// The organisation's name (default: the folder's name).
    #[arg(long)]
    pub name: Option<String>,
    /// Write a blank register instead of the worked example: the default criteria, one
    /// placeholder person, an SoA with every control still to be decided, no systems or risks.
    #[arg(long)]
    pub blank: bool,
}

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    // `-C DIR` is where init runs, as `git -C` is: `DIR` alone, or `[DIR]` below it.
    let base = match &global.register {
        Some(r) => env.cwd.join(r),
        None => env.cwd.clone(),
    };
    let dir: PathBuf = match &args.dir {
        Some(d) => base.join(d),
        None => base.clone(),
    }
    .components()
    .collect();
    let folder_name = dir
        .canonicalize()
        .unwrap_or_else(|_| dir.clone())
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "My organisation".into());
    let name = args.name.clone().unwrap_or(folder_name);
    let files = if args.blank {
        blank(&name, env.today)
    } else {
        starter(&name, env.today)
    };

    crate::output::create_all(&dir, &files)?;
    // The register as the user would name it from where they are.
    let shown = match (&global.register, &args.dir) {
        (Some(r), Some(d)) => r.join(d),
        (Some(r), None) => r.clone(),
        (None, Some(d)) => d.clone(),
        (None, None) => PathBuf::from("."),
    };
    let shown: PathBuf = shown.components().collect();
    let shown = terminal(&shown.display().to_string());
    let at = terminal(&dir.display().to_string());
    let name = terminal(&name);
    if args.blank {
        writeln!(
            env.stdout,
            "Created a blank register for `{name}` in {at} ({} files).\n\
             Edit these first:\n  \
             airisk.toml   the organisation's scope (and the risk criteria, if yours differ)\n  \
             people.yaml   the people who own systems, risks and decisions (replace `owner`)\n  \
             soa.yaml      a decision for each Annex A control (all are still to be decided)\n\
             Then add your AI systems and their risks: `airisk -C {shown} new system`, `airisk -C {shown} new risk --system ID`.\n\
             Check it at any time: `airisk -C {shown} check`",
            files.len(),
        )?;
        return Ok(EXIT_OK);
    }
    writeln!(
        env.stdout,
        "Created a register for `{name}` in {at} ({} files).\n\
         It is a worked example to make your own: one system, three risks, a full SoA.\n\
         For a register with nothing of this example in it, use `airisk init --blank`.\n\
         Next: `airisk -C {shown} check`",
        files.len(),
    )?;
    Ok(EXIT_OK)
}
