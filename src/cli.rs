//! The command line: global flags and one subcommand enum. Each command's arguments live
//! in its own file under `commands/`.

use crate::commands;
use crate::model::Date;
use crate::model::time::parse_date;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "airisk",
    version,
    about = "An ISO/IEC 42001 AI risk register kept as YAML in git: check it like a compiler",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, clap::Args)]
pub struct Global {
    /// The register folder (holding airisk.toml). Default: search upwards from here.
    #[arg(short = 'C', long = "register", value_name = "DIR", global = true)]
    pub register: Option<PathBuf>,
    /// The date that counts as today for due and overdue dates.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date_arg, global = true)]
    pub as_of: Option<Date>,
    /// Read the register as it was at a git revision (a tag, a branch, a commit, or
    /// `main@{YYYY-MM-DD}`) instead of the working tree.
    #[arg(long, value_name = "REV", global = true, conflicts_with = "no_git")]
    pub at: Option<String>,
    /// Read no git history: documents carry no commit, approver or DRAFT mark, `show` and
    /// `register` no provenance, and the git rules do not run. Also AIRISK_NO_GIT=1.
    #[arg(long, global = true, env = "AIRISK_NO_GIT", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_git: bool,
    /// When to colour output.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the register: schema, references, scores, decisions, SoA, coverage, dates.
    Check(commands::check::Args),
    /// Create a new register that passes `check` (never overwrites a file).
    Init(commands::init::Args),
    /// List the built-in taxonomy: risk categories, Annex A controls, Annex C, NIST AI RMF.
    Taxonomy(commands::taxonomy::Args),
    /// The risk register: a row per risk, with filters.
    Register(commands::register::Args),
    /// The Statement of Applicability over the 38 Annex A controls.
    Soa(commands::soa::Args),
    /// Reviews, treatments and actions overdue or coming up.
    Due(commands::due::Args),
    /// The likelihood x consequence heat map.
    Matrix(commands::matrix::Args),
    /// The governance report for the board and the management review: totals, heat map,
    /// trend, changes since the last review, overdue items, treatments, incidents, coverage.
    Report(commands::report::Args),
    /// Write an audit pack: report, register, SoA, due list, risk histories, SHA-256 manifest.
    Pack(commands::pack::Args),
    /// One entity with everything linked to it.
    Show(commands::show::Args),
    /// The built-in document templates.
    Templates(commands::templates::Args),
    /// The commits that changed one entity: author, date, pull request, approvals, fields.
    History(commands::history::Args),
    /// What changed in the register between two revisions, or a revision and the working tree.
    Diff(commands::diff::Args),
    /// CODEOWNERS lines giving each risk, system and assessment file to its owner.
    Codeowners(commands::codeowners::Args),
    /// Write a new risk, system, impact assessment or incident file with the next free id.
    New(commands::new::Args),
    /// Print or write the JSON Schema of each file kind, for editor completion.
    Schema(commands::schema::Args),
    /// Print the shell completion script for bash, zsh, fish, powershell or elvish.
    Completions(commands::completions::Args),
    /// Print or write the manual pages (roff): airisk(1) and one per subcommand.
    Man(commands::man::Args),
}

fn date_arg(s: &str) -> Result<Date, String> {
    parse_date(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
