//! `airisk import FILE --map MAP`: a spreadsheet into register files (SPEC §11,
//! docs/import.md). The importer (`import`) plans it in memory and checks the result; this
//! file reads the two inputs (regular files only), prints the findings with the emitter of
//! `--format`, and, when no error remains and it is not a dry run, hands the files to the
//! one writer (`output::update_all`: all or nothing). `--dry-run` prints the change as
//! `diff` shows it; `--map-template NAME` prints a built-in mapping to start from.

use super::Global;
use super::{EXIT_FINDINGS, EXIT_OK, Env};
use crate::diag;
use crate::import::{self, Request, mapping};
use crate::output;
use crate::render;
use crate::report;
use crate::workspace::Workspace;
use crate::workspace::check::repository_prefix;
use anyhow::{Result, bail};
use clap::ValueEnum;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The spreadsheet: CSV (UTF-8), XLSX, XLSM or ODS.
    #[arg(value_name = "FILE", required_unless_present = "map_template")]
    pub file: Option<PathBuf>,
    /// The mapping: a TOML file, or a built-in one (mit-ai-risk-repository, ciso-assistant,
    /// airisk-register).
    #[arg(long, value_name = "MAP", required_unless_present = "map_template")]
    pub map: Option<String>,
    /// The sheet of a workbook (default: the mapping's, else the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Write nothing: print what would be created or changed, as `diff` shows it.
    #[arg(long)]
    pub dry_run: bool,
    /// Give every row a value for a field the sheet lacks (repeatable).
    #[arg(long = "set", value_name = "FIELD=VALUE", value_parser = field_value)]
    pub sets: Vec<(String, String)>,
    /// Output format of the findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Print a built-in mapping, commented, to start a mapping file from.
    #[arg(long, value_name = "NAME", value_parser = clap::builder::PossibleValuesParser::new(mapping::BUILTIN.iter().map(|(n, _)| *n)), conflicts_with_all = ["file", "map"])]
    pub map_template: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Compiler-style findings with the source line and a caret.
    Human,
    /// One versioned JSON document (docs/cli.md).
    Json,
    /// GitHub Actions workflow commands.
    Github,
    /// SARIF 2.1.0.
    Sarif,
    /// GitLab Code Quality report.
    Gitlab,
}

fn field_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err("expected FIELD=VALUE, for example `--set system=loan-scoring`".into()),
    }
}

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    if let Some(name) = &args.map_template {
        let text = mapping::builtin(name).expect("clap offers only built-in names");
        env.stdout.write_all(text.as_bytes())?;
        return Ok(EXIT_OK);
    }
    if global.at.is_some() {
        bail!("`import` writes into the working tree; `--at` does not apply to it");
    }
    let (Some(file), Some(map)) = (&args.file, &args.map) else {
        unreachable!("clap requires FILE and --map without --map-template")
    };
    let ws = Workspace::open(&super::selection(global, env))?;
    let shown = file.display().to_string();
    let bytes = import::read_input(&env.cwd.join(file), &shown)?;
    let (map_shown, map_text) = match mapping::builtin(map) {
        Some(text) => (map.clone(), text.to_string()),
        None => {
            let path = env.cwd.join(map);
            let bytes = import::read_input(&path, map)?;
            let text = String::from_utf8(bytes)
                .map_err(|_| anyhow::anyhow!("the mapping `{map}` is not UTF-8"))?;
            (map.clone(), text)
        }
    };
    let req = Request {
        shown,
        bytes,
        sheet: args.sheet.clone(),
        map_shown,
        map_text,
        sets: args.sets.clone(),
        compare: args.dry_run,
    };
    let plan = import::plan(&ws, &req)?;
    let mut buf = Vec::new();
    let sources = &plan.sources;
    let diags = &plan.diagnostics;
    let today = ws.today.to_string();
    let prefix = || repository_prefix(&ws.root);
    match args.format {
        Format::Human => diag::human::emit(&mut buf, diags, sources, sources.len(), env.color)?,
        Format::Json => diag::json::emit(&mut buf, diags, sources, sources.len(), &today)?,
        Format::Github => {
            diag::github::emit(&mut buf, diags, sources, &prefix(), sources.len(), true)?
        }
        Format::Sarif => diag::sarif::emit(&mut buf, diags, sources, &prefix())?,
        Format::Gitlab => diag::gitlab::emit(&mut buf, diags, sources, &prefix())?,
    }
    let machine = args.format != Format::Human;
    if plan.has_errors() {
        if machine {
            env.stdout.write_all(&buf)?;
        } else if !diags.is_empty() {
            env.stderr.write_all(&buf)?;
        }
        writeln!(
            env.stderr,
            "nothing was written: fix the findings above and import again"
        )?;
        return Ok(EXIT_FINDINGS);
    }
    if machine {
        env.stdout.write_all(&buf)?;
    } else if !diags.is_empty() {
        env.stderr.write_all(&buf)?;
    }
    let created = plan.writes.iter().filter(|w| w.new).count();
    let updated = plan.writes.len() - created;
    if args.dry_run {
        if !machine && let Some(c) = plan.compared {
            let doc = report::diff::build(import::control(&ws)?, c);
            if let report::Detail::Diff(d) = &doc.detail {
                env.stdout.write_all(render::diff::text(d).as_bytes())?;
            }
        }
        writeln!(
            env.stderr,
            "dry run: {} row{} read; would create {created} file{} and update {updated}; nothing was written",
            plan.rows,
            if plan.rows == 1 { "" } else { "s" },
            if created == 1 { "" } else { "s" },
        )?;
        return Ok(EXIT_OK);
    }
    let replaced: Vec<(&str, &[u8])> = plan
        .writes
        .iter()
        .filter(|w| !w.new)
        .map(|w| (w.rel.as_str(), w.text.as_bytes()))
        .collect();
    let new: Vec<(&str, &[u8])> = plan
        .writes
        .iter()
        .filter(|w| w.new)
        .map(|w| (w.rel.as_str(), w.text.as_bytes()))
        .collect();
    output::update_all(&ws.root, &replaced, &new)?;
    if !machine {
        for w in &plan.writes {
            let path = ws.root.join(&w.rel);
            let shown = path.strip_prefix(&env.cwd).unwrap_or(&path);
            writeln!(
                env.stdout,
                "{} {}",
                if w.new { "created" } else { "updated" },
                crate::text::terminal_line(&shown.display().to_string())
            )?;
        }
    }
    writeln!(
        env.stderr,
        "{} row{} read; created {created} file{}, updated {updated}",
        plan.rows,
        if plan.rows == 1 { "" } else { "s" },
        if created == 1 { "" } else { "s" },
    )?;
    Ok(EXIT_OK)
}
