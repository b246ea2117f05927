//! `airisk history ID`: the commits that changed one entity's file, newest first, following
//! renames: author and author date, subject, trailers, the pull request and merge that
//! brought each to the first-parent line, and what changed field by field (a risk's score,
//! level and threshold standing under the register's criteria). Human, markdown, JSON, or
//! HTML (a document through the `history.html` template; the audit pack uses it too). The
//! workspace reads it (`workspace::history`).

use super::Global;
use super::{EXIT_OK, Env, warn_skipped_templates, write_output};
use crate::render::Format as Rendered;
use crate::report;
use crate::workspace;
use anyhow::Result;
use clap::ValueEnum;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The id of a risk, system, impact assessment or incident (also one removed since);
    /// SYSTEM/MONITOR for every reading of a monitor; or `soa`, `config` or `people` for the
    /// history of soa.yaml, airisk.toml or people.yaml.
    pub id: String,
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
    /// One self-contained HTML file.
    Html,
}

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    let source = super::open(global, env)?;
    if let Some((system, monitor)) = args.id.split_once('/') {
        return monitor_history(args, source, system, monitor, env);
    }
    source.require_git("`airisk history`")?;
    let opened = source.read()?;
    warn_skipped_templates(env, &opened)?;
    let Some(git) = &opened.git else {
        unreachable!("require_git checked it");
    };
    let story = workspace::history::read(git, &opened.loaded, &args.id, &git.uncommitted()?)?;
    let doc = report::history::build(&opened.loaded.register, opened.today, story);
    finish(args, &opened, doc, env)
}

/// `history SYSTEM/MONITOR`: every recorded reading of the monitor (no git needed).
fn monitor_history(
    args: &Args,
    source: workspace::Workspace,
    system: &str,
    monitor: &str,
    env: &mut Env,
) -> Result<u8> {
    let recorded = workspace::readings::readings_of(&source, system, monitor);
    let opened = source.read()?;
    warn_skipped_templates(env, &opened)?;
    let reg = &opened.loaded.register;
    let found = reg.system(system).and_then(|s| {
        s.monitoring
            .iter()
            .find(|m| m.id.as_ref().is_some_and(|i| i.value == monitor))
            .map(|m| (s, m))
    });
    let Some((s, m)) = found else {
        anyhow::bail!(
            "no monitor `{}`: a monitor is named SYSTEM/MONITOR, by its system's id and its own `id`",
            crate::text::terminal_line(&args.id)
        );
    };
    let rows: Vec<report::monitor::Reading> = recorded
        .iter()
        .map(|r| report::monitor::Reading {
            date: &r.date,
            value: r.value,
            source: &r.source,
            note: &r.note,
            file: &r.file,
            line: r.line,
        })
        .collect();
    let doc = report::monitor::history(reg, opened.today, s, m, &rows);
    finish(args, &opened, doc, env)
}

/// Renders a history document in the asked format and writes it. Only HTML shows the
/// document-control block: the other formats need no pass over the register's history.
fn finish(
    args: &Args,
    opened: &workspace::Opened,
    mut doc: report::Document,
    env: &mut Env,
) -> Result<u8> {
    let format = match args.format {
        Format::Human => Rendered::Table,
        Format::Markdown => Rendered::Markdown,
        Format::Json => Rendered::Json,
        Format::Html => Rendered::Html,
    };
    if format == Rendered::Html {
        opened.stamp(&mut doc, opened.history(false)?.as_ref());
    }
    let bytes = opened.render(&doc, format, env.screen(args.output.as_deref()))?;
    write_output(env, args.output.as_deref(), &bytes)?;
    Ok(EXIT_OK)
}
