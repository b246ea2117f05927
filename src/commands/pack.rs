//! `airisk pack DIR`: the audit pack — the governance report, the risk register (open and
//! closed risks), the Statement of Applicability, the due list and the history of every risk,
//! each in markdown and HTML, with a README naming what each file is and `MANIFEST.sha256`
//! listing every file's SHA-256 in the format `sha256sum -c` checks, so an auditor can
//! verify the pack without airisk.
//!
//! It never leaves half a pack: `output::create_folder` writes the files into a hidden
//! temporary folder beside DIR, renamed into place only when every file is written (and
//! removed on a failure or a signal). DIR must not exist or be an empty folder; anything else
//! (a file, a link, a non-empty folder) is refused (exit 2) before anything is read. The
//! workspace assembles the pack (`workspace::pack`).

use super::{EXIT_OK, Env, open_with_history};
use super::{Global, date_arg};
use crate::model::Date;
use crate::render::pack::MANIFEST;
use crate::workspace;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to write the pack to; it must not exist, or be empty.
    pub dir: PathBuf,
    /// As for `report`: the day of the last management review.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date_arg)]
    pub since: Option<Date>,
}

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    let target = env.cwd.join(&args.dir);
    refuse_non_empty(&target)?;
    let (opened, history) = open_with_history(global, env, false)?;
    if let Some(w) = history.as_ref().and_then(|h| opened.as_of_warning(h)) {
        writeln!(env.stderr, "warning: {}", crate::text::terminal_line(&w))?;
    }
    let files = workspace::pack::build(&opened, history.as_ref(), args.since)?;
    crate::output::create_folder(&target, &files)?;
    writeln!(
        env.stdout,
        "Wrote the audit pack to {}: {} files. Verify it with `sha256sum -c {MANIFEST}` in that folder.",
        args.dir.display(),
        files.len()
    )?;
    Ok(EXIT_OK)
}

/// DIR must not exist, or be an empty folder (not a link to one).
fn refuse_non_empty(target: &Path) -> Result<()> {
    if std::fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink()) {
        bail!(
            "refusing to write the audit pack to `{}`: it is a symbolic link\nhelp: name a new folder; nothing was written",
            target.display()
        );
    }
    match std::fs::read_dir(target) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                bail!(
                    "refusing to write the audit pack into `{}`: the folder is not empty\nhelp: name a new folder; nothing was written",
                    target.display()
                );
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(_) if target.exists() => bail!(
            "refusing to write the audit pack to `{}`: it exists and is not a folder\nhelp: name a new folder; nothing was written",
            target.display()
        ),
        Err(e) => Err(e).with_context(|| format!("cannot read `{}`", target.display())),
    }
}
