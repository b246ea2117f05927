//! `airisk check`: load the register, run every rule, print the findings, exit 1 on errors.

use super::{EXIT_FINDINGS, EXIT_OK, Env, write_output};
use crate::cli::Global;
use crate::diag::{self, Diagnostic, Severity};
use crate::load::{self, Loaded, Tree, WorkTree};
use crate::model::Date;
use anyhow::Result;
use clap::ValueEnum;
use std::path::{Path, PathBuf};

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Compiler-style findings with the source line and a caret.
    Human,
    /// One versioned JSON document (docs/cli.md).
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    Warnings,
}

/// A checked register: what was read and every finding, levelled and sorted.
pub struct Outcome {
    pub loaded: Loaded,
    pub diagnostics: Vec<Diagnostic>,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Loads and checks the register in the working tree at `root` as of `today`.
pub fn check_register(root: &Path, today: Date, deny_warnings: bool) -> Result<Outcome> {
    check_tree(&WorkTree::new(root), root, today, deny_warnings)
}

/// Loads and checks the register read from `tree` as of `today`.
pub fn check_tree(
    tree: &dyn Tree,
    root: &Path,
    today: Date,
    deny_warnings: bool,
) -> Result<Outcome> {
    let mut loaded = load::load_tree(tree, root)?;
    let mut diags = std::mem::take(&mut loaded.diagnostics);
    diags.extend(crate::check::run(
        &loaded.register,
        &loaded.sources,
        tree,
        today,
    ));
    let diagnostics = diag::finalize(
        diags,
        &loaded.register.config.rules,
        deny_warnings,
        &loaded.sources,
    );
    Ok(Outcome {
        loaded,
        diagnostics,
    })
}

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    let root = load::discover(&env.cwd, global.register.as_deref())?;
    let today = global.as_of.unwrap_or(env.today);
    let outcome = check_register(&root, today, args.deny == Some(Deny::Warnings))?;
    let sources = &outcome.loaded.sources;
    let mut buf = Vec::new();
    match args.format {
        Format::Human => {
            let color = env.color && args.output.is_none();
            diag::human::emit(
                &mut buf,
                &outcome.diagnostics,
                sources,
                sources.len(),
                color,
            )?
        }
        Format::Json => diag::json::emit(
            &mut buf,
            &outcome.diagnostics,
            sources,
            sources.len(),
            &today.to_string(),
        )?,
    }
    write_output(env, args.output.as_deref(), &buf)?;
    Ok(if outcome.has_errors() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}
