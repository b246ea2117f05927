//! `airisk diff [BASE] [HEAD]`: the semantic change of the register between two revisions, or
//! a revision and the working tree. The workspace compares (`workspace::diff`), the report
//! is a document (`report::diff`), and `render::diff` shows it: human, markdown (a
//! pull-request comment, under GitHub's size limit) or JSON.

use super::Global;
use super::{EXIT_OK, Env, write_output};
use crate::render::{self, Format as Rendered};
use crate::text::terminal;
use crate::workspace::{self, check::incomplete_note};
use anyhow::Result;
use clap::ValueEnum;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The older revision (default: the merge-base of HEAD and the default branch).
    #[arg(allow_hyphen_values = true)]
    pub base: Option<String>,
    /// The newer revision (default: the working tree, or the `--at` revision).
    #[arg(allow_hyphen_values = true)]
    pub head: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Markdown,
    Json,
}

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    let ws = super::open(global, env)?;
    let c = workspace::diff::compare(&ws, args.base.as_deref(), args.head.as_deref())?;
    if let Some(note) = incomplete_note(&c.incomplete) {
        writeln!(env.stderr, "{}", terminal(&note))?;
    }
    let doc = crate::report::diff::build(c.control, c.compared);
    let format = match args.format {
        Format::Human => Rendered::Table,
        Format::Markdown => Rendered::Markdown,
        Format::Json => Rendered::Json,
    };
    let text = render::render(&doc, format, &render::Options::default())?;
    write_output(env, args.output.as_deref(), text.as_bytes())?;
    Ok(EXIT_OK)
}
