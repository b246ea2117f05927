//! `airisk codeowners [-o FILE]`: CODEOWNERS lines giving each risk, system and impact
//! assessment file to its owner's GitHub handle (`github` in people.yaml), so that a pull
//! request touching a risk asks for its owner's review. The owner of a risk or system is its
//! `owner`; of an impact assessment, its `assessor`. Paths are from the repository's root
//! (CODEOWNERS patterns are), anchored with a leading `/`, in path order.
//!
//! Files whose owner has no handle (or no owner, or an owner missing from people.yaml), and
//! files whose path no CODEOWNERS pattern can name (a line break or another control
//! character in it), are named on stderr, and the run exits 1 after writing every line it
//! could; no people.yaml at all is an error (exit 2).
//!
//! Nothing from the register can add a line: a path is escaped for the CODEOWNERS syntax or
//! left out (`text::codeowners_path`), and a handle is written only when it has GitHub's
//! user or `org/team` syntax (`text::is_github_handle`; the loader already reports any other
//! as `invalid-value`).

use super::Global;
use super::{EXIT_FINDINGS, EXIT_OK, Env, write_output};
use crate::text::terminal_line;
use anyhow::{Result, bail};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write to FILE (e.g. `.github/CODEOWNERS`) instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    let source = super::open(global, env)?;
    let git = source
        .require_git("`airisk codeowners` (CODEOWNERS paths are relative to the repository)")?;
    let loaded = source.load()?;
    let Some(files) =
        crate::report::codeowners::build(&loaded.register, &loaded.sources, &git.prefix)
    else {
        bail!(
            "the register has no people.yaml: CODEOWNERS needs each owner's GitHub handle\n\
             help: add people.yaml with a `github` handle for each owner (docs/format.md)"
        );
    };
    let (out, missing) = crate::render::codeowners::render(&files);
    write_output(env, args.output.as_deref(), out.as_bytes())?;
    for m in &missing {
        writeln!(
            env.stderr,
            "warning: no code owner for {}",
            terminal_line(m)
        )?;
    }
    Ok(if missing.is_empty() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    })
}
