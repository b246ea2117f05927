//! `airisk taxonomy [categories|controls|sources|nist|eu-ai-act]`: the built-in lists, as a table or JSON.

use super::Global;
use super::{EXIT_OK, Env, write_output};
use crate::render::taxonomy as render;
use crate::report::taxonomy::{List, Taxonomy};
use anyhow::Result;
use clap::ValueEnum;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which list (default: all of them).
    #[arg(value_enum)]
    pub what: Option<What>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum What {
    /// The eight risk categories, with typical controls and treatment.
    Categories,
    /// ISO/IEC 42001 Annex A: 38 controls in 9 groups, with the NIST AI RMF crosswalk.
    Controls,
    /// ISO/IEC 42001 Annex C: objectives (C.2) and risk sources (C.3).
    Sources,
    /// NIST AI RMF 1.0: functions, categories, subcategories.
    Nist,
    /// The EU AI Act pack (with its verified_on date): application dates, prohibited
    /// practices, Annex III points, Annex I acts, Art. 50 duties, roles and obligations.
    EuAiAct,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

impl What {
    fn list(self) -> List {
        match self {
            What::Categories => List::Categories,
            What::Controls => List::Controls,
            What::Sources => List::Sources,
            What::Nist => List::Nist,
            What::EuAiAct => List::EuAiAct,
        }
    }
}

pub fn run(args: &Args, _global: &Global, env: &mut Env) -> Result<u8> {
    let t = Taxonomy::get();
    let which: Vec<List> = args.what.map_or(List::ALL.to_vec(), |w| vec![w.list()]);
    let text = match args.format {
        Format::Json => render::json(t, &which)?,
        Format::Table => which
            .iter()
            .map(|w| render::table(t, *w, env.width))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    write_output(env, args.output.as_deref(), text.as_bytes())?;
    Ok(EXIT_OK)
}
