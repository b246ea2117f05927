//! `airisk soa`: the Statement of Applicability, markdown by default (what an auditor
//! receives). `-o FILE --check` exits 1 when FILE is not what would be rendered, so CI keeps
//! a committed SoA in step with the register.

use super::Global;
use super::{
    EXIT_FINDINGS, EXIT_OK, Env, SheetFormat, open_with_history, refuse_binary_on_terminal,
    write_output,
};
use crate::render;
use crate::report::soa;
use crate::workspace::{FileState, compare_file};
use anyhow::{Result, bail};
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
    /// With -o: write nothing; exit 1 when FILE differs from what would be rendered.
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
    let format = args.format.into();
    refuse_binary_on_terminal(env, format, args.output.as_deref())?;
    let bytes = opened.render(&doc, format, env.screen(args.output.as_deref()))?;
    let bytes = render::bom(args.bom, format, bytes)?;
    if !args.check {
        write_output(env, args.output.as_deref(), &bytes)?;
        return Ok(EXIT_OK);
    }
    let Some(out) = args
        .output
        .as_ref()
        .filter(|o| !crate::output::is_stdout(Some(o)))
    else {
        bail!("--check needs -o FILE: the file to compare with");
    };
    let why = match compare_file(&env.cwd.join(out), &bytes)? {
        FileState::Same => {
            writeln!(
                env.stdout,
                "{} is up to date with the register",
                out.display()
            )?;
            return Ok(EXIT_OK);
        }
        FileState::Differs => "is out of date with the register",
        FileState::Missing => "does not exist",
        // `-o` replaces a link with the document; it never writes through one.
        FileState::Link => "is a symbolic link, not the document",
    };
    writeln!(
        env.stdout,
        "{} {why}: regenerate it with `airisk soa{} -o {}`",
        out.display(),
        format_flag(args.format),
        out.display()
    )?;
    Ok(EXIT_FINDINGS)
}

fn format_flag(f: SheetFormat) -> String {
    match f {
        SheetFormat::Markdown => String::new(),
        other => format!(
            " --format {}",
            other
                .to_possible_value()
                .map(|v| v.get_name().to_string())
                .unwrap_or_default()
        ),
    }
}
