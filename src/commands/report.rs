//! `airisk report`: the governance report for the board and the management review; the
//! workspace builds it with its trend over git history (`workspace::report`).

use super::{Env, open_with_history};
use super::{Global, date_arg};
use crate::model::Date;
use crate::render::Format;
use crate::workspace;
use anyhow::Result;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format (no csv: the report's tables have different columns).
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
    /// The day of the last management review: list what changed since then, and start the
    /// period (incidents, trend) there. Default period: the last 12 months.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date_arg)]
    pub since: Option<Date>,
    /// Write to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With -o: write nothing; exit 1 when FILE's content (not its document-control block)
    /// differs from what would be rendered.
    #[arg(long, requires = "output")]
    pub check: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// GitHub-flavoured markdown.
    Markdown,
    /// One self-contained HTML file for the board: no script, prints on A4.
    Html,
    /// One versioned JSON document.
    Json,
    /// Tables for the terminal.
    Table,
}

impl ReportFormat {
    fn format(self) -> Format {
        match self {
            ReportFormat::Markdown => Format::Markdown,
            ReportFormat::Html => Format::Html,
            ReportFormat::Json => Format::Json,
            ReportFormat::Table => Format::Table,
        }
    }
}

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    let (opened, history) = open_with_history(global, env, false)?;
    let doc = workspace::report::document(&opened, args.since, history.as_ref())?;
    super::warn_as_of(env, &doc)?;
    let format = args.format.format();
    let bytes = opened.render(&doc, format, env.screen(args.output.as_deref()))?;
    let regenerate = format!(
        "airisk report{}",
        super::format_flag(args.format, ReportFormat::Markdown)
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
