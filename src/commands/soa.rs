//! `airisk soa`: the Statement of Applicability, markdown by default (what an auditor
//! receives). `-o FILE --check` exits 1 when FILE's content is not what would be rendered
//! (the document-control block aside), so CI keeps a committed SoA in step with the register.

use super::Global;
use super::{Env, SheetFormat, open_with_history};
use crate::render;
use crate::report::soa;
use anyhow::Result;
use clap::ValueEnum;
use clap::builder::PossibleValuesParser;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = SheetFormat::Markdown)]
    pub format: SheetFormat,
    /// Add a crosswalk column: the NIST AI RMF subcategories mapped to each control.
    #[arg(long, value_enum, value_name = "FRAMEWORK")]
    pub crosswalk: Option<Crosswalk>,
    /// Show only these columns, in this order (comma-separated keys, as in CSV and JSON).
    #[arg(long, value_name = "KEYS", value_delimiter = ',', value_parser = PossibleValuesParser::new(soa::column_keys()))]
    pub columns: Vec<String>,
    /// Start CSV with a UTF-8 byte order mark, so Excel reads it as UTF-8.
    #[arg(long)]
    pub bom: bool,
    /// Write to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With -o: write nothing; exit 1 when FILE's content (not its document-control block)
    /// differs from what would be rendered.
    #[arg(long, requires = "output")]
    pub check: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Crosswalk {
    Nist,
}

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    let (opened, history) = open_with_history(global, env, false)?;
    let opts = soa::Options {
        nist: args.crosswalk == Some(Crosswalk::Nist),
    };
    let mut doc = soa::build(&opened.loaded.register, opened.today, &opts);
    doc.pick_columns(&args.columns)?;
    opened.stamp(&mut doc, history.as_ref());
    super::warn_as_of(env, &doc)?;
    let format = args.format.into();
    super::refuse_binary_on_terminal(env, format, args.output.as_deref())?;
    let bytes = opened.render(&doc, format, env.screen(args.output.as_deref()))?;
    let bytes = render::bom(args.bom, format, bytes)?;
    let regenerate = format!(
        "airisk soa{}",
        super::format_flag(args.format, SheetFormat::Markdown)
    );
    super::write_or_check(
        env,
        args.output.as_deref(),
        args.check,
        &bytes,
        format,
        &regenerate,
    )
}
