//! `airisk check`: load the register, run every rule, print the findings, exit 1 on errors.
//! The workspace checks (`workspace::check`); this file picks the emitter of `--format`.

use super::Global;
use super::{EXIT_FINDINGS, EXIT_OK, Env, write_output};
use crate::diag;
use crate::workspace::check::{incomplete_note, repository_prefix};
use anyhow::Result;
use clap::ValueEnum;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Turn warnings into errors (exit 1 on any finding).
    #[arg(long, value_enum, value_name = "WHAT")]
    pub deny: Option<Deny>,
    /// Write the findings to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Compare with the register at git revision REV (the pull request's base branch):
    /// findings also found there are existing and do not fail the run; exit 1 only for new
    /// ones at error level.
    #[arg(long, value_name = "REV", allow_hyphen_values = true)]
    pub baseline: Option<String>,
    /// Print only the findings: no summary line (human, github).
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Compiler-style findings with the source line and a caret.
    Human,
    /// One versioned JSON document (docs/cli.md).
    Json,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// SARIF 2.1.0, for GitHub code scanning (upload-sarif).
    Sarif,
    /// GitLab Code Quality report (artifacts: reports: codequality).
    Gitlab,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    Warnings,
}

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    let source = super::open(global, env)?;
    let today = source.today;
    let deny = args.deny == Some(Deny::Warnings);
    let mut outcome = source.check(deny)?;
    let mut fixed = None;
    if let Some(rev) = &args.baseline {
        let base = source.check_baseline(rev, deny)?;
        if base.is_none() {
            writeln!(
                env.stderr,
                "note: there is no register here at `{}`: every finding is new",
                crate::text::terminal_line(rev)
            )?;
        }
        fixed = Some(outcome.compare_with_baseline(base.as_ref()));
    }
    if let Some(note) = incomplete_note(&outcome.git_incomplete) {
        writeln!(env.stderr, "{note}")?;
    }
    if let Some(problem) = &source.git_problem {
        writeln!(
            env.stderr,
            "note: the git rules did not run: the repository cannot be read: {}",
            crate::text::terminal(problem)
        )?;
    }
    let sources = &outcome.loaded.sources;
    let mut buf = Vec::new();
    let diags = &outcome.diagnostics;
    let prefix = || repository_prefix(&source.root);
    match args.format {
        Format::Human if args.quiet => {
            let color = env.color && crate::output::is_stdout(args.output.as_deref());
            let renderer = if color {
                annotate_snippets::Renderer::styled()
            } else {
                annotate_snippets::Renderer::plain()
            };
            for d in diags {
                writeln!(buf, "{}\n", diag::human::render(&renderer, d, sources))?;
            }
        }
        Format::Human => {
            let color = env.color && crate::output::is_stdout(args.output.as_deref());
            diag::human::emit_counted(
                &mut buf,
                diags,
                sources,
                sources.len(),
                color,
                outcome.waived.len(),
                fixed,
            )?;
            // The EU AI Act profile says which pack the rules used.
            let reg = &outcome.loaded.register;
            if reg.config.eu_ai_act.applies {
                writeln!(
                    buf,
                    "EU AI Act profile on (pack verified on {}): see `airisk obligations`",
                    crate::report::obligations::verified_on()
                )?;
                for (key, date) in &reg.config.eu_ai_act.dates {
                    writeln!(buf, "  {key} = {date}, set in airisk.toml")?;
                }
            }
        }
        Format::Json => diag::json::emit_all(
            &mut buf,
            diags,
            &outcome.waived,
            sources,
            sources.len(),
            &today.to_string(),
        )?,
        Format::Github => diag::github::emit(
            &mut buf,
            diags,
            sources,
            &prefix(),
            sources.len(),
            args.quiet,
        )?,
        Format::Sarif => {
            diag::sarif::emit_all(&mut buf, diags, &outcome.waived, sources, &prefix())?
        }
        Format::Gitlab => diag::gitlab::emit(&mut buf, diags, sources, &prefix())?,
    }
    write_output(env, args.output.as_deref(), &buf)?;
    let code = if outcome.has_errors() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    };
    // The process ends with this command: freeing every string of the register one by one
    // first would be the last few milliseconds of a large check, spent on one core.
    std::mem::forget(outcome);
    Ok(code)
}
