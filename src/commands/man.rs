//! `airisk man [COMMAND] [-o FILE]`, `airisk man --dir DIR`: the manual pages (roff, in
//! section 1) from the command definition (`manual`, over clap_mangen), so they cannot drift
//! from `--help`: airisk(1) and one page per subcommand. `--dir` writes them all; they are
//! generated, so each replaces the file of its name (`output::replace`).

use super::{EXIT_OK, Env, write_output};
use crate::manual;
use anyhow::{Context, Result, bail};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The page of this subcommand (`check`, `templates-export`) instead of airisk(1).
    #[arg(value_name = "COMMAND", conflicts_with = "dir")]
    pub command: Option<String>,
    /// Write every page into DIR (created if missing), `airisk.1` and `airisk-<command>.1`,
    /// replacing older versions.
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    pub dir: Option<PathBuf>,
    /// Write the page to FILE (for example `airisk.1`) instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `cli` is the command line's definition (`cli::Cli`), which the pages describe.
pub fn run(args: &Args, cli: clap::Command, env: &mut Env) -> Result<u8> {
    if let Some(dir) = &args.dir {
        let target = env.cwd.join(dir);
        std::fs::create_dir_all(&target)
            .with_context(|| format!("cannot create `{}`", target.display()))?;
        for page in manual::pages(cli) {
            let file = page.file_name();
            crate::output::replace(&target.join(&file), &page.roff)?;
            writeln!(env.stdout, "{}", dir.join(&file).display())?;
        }
        return Ok(EXIT_OK);
    }
    let name = args.command.as_deref().unwrap_or("airisk");
    let Some(page) = manual::page(cli.clone(), name) else {
        let names = manual::names(cli);
        let hint = crate::diag::did_you_mean(name, names.iter().map(String::as_str))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        bail!(
            "no manual page for `{}`{hint}; pages: {}",
            crate::text::terminal_line(name),
            names.join(", ")
        );
    };
    write_output(env, args.output.as_deref(), &page.roff)?;
    Ok(EXIT_OK)
}
