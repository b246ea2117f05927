//! The command line: the global flags (`commands::Global`, which every command receives),
//! one subcommand enum (each command's arguments live in its own file under `commands/`),
//! and [`run`], the dispatch from a parsed command line to the command's `run`. It lives here rather than in `main.rs` so that the tests run command
//! lines in-process through the same dispatch as the binary.

use crate::commands::{self, Env};
// `lsp` is a front end beside `commands`: dispatched here, never imported by a command.
pub use crate::commands::{ColorWhen, Global};
use clap::{CommandFactory, Parser, Subcommand};

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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the register: schema, references, scores, decisions, SoA, coverage, dates.
    Check(commands::check::Args),
    /// Create a new register that passes `check` (never overwrites a file).
    Init(commands::init::Args),
    /// List the built-in taxonomy: risk categories, Annex A controls, Annex C, NIST AI RMF,
    /// the EU AI Act pack.
    Taxonomy(commands::taxonomy::Args),
    /// The risk register: a row per risk, with filters.
    Register(commands::register::Args),
    /// The Statement of Applicability over the 38 Annex A controls.
    Soa(commands::soa::Args),
    /// Reviews, treatments and actions overdue or coming up.
    Due(commands::due::Args),
    /// The likelihood x consequence heat map.
    Matrix(commands::matrix::Args),
    /// Monitors and their readings: list them, add a reading, import a tool's readings.
    Monitor(commands::monitor::Args),
    /// The EU AI Act view: each system's classification and route, and its obligations with
    /// their application dates and status.
    Obligations(commands::obligations::Args),
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
    /// Import a spreadsheet (CSV, XLSX, ODS) into register files through a column mapping.
    Import(commands::import::Args),
    /// Print or write the JSON Schema of each file kind, for editor completion.
    Schema(commands::schema::Args),
    /// Print the shell completion script for bash, zsh, fish, powershell or elvish.
    Completions(commands::completions::Args),
    /// Print or write the manual pages (roff): airisk(1) and one per subcommand.
    Man(commands::man::Args),
    /// The language server: findings, definitions, references, hover, completion and
    /// rename in the editor, over standard input and output.
    Lsp(crate::lsp::Args),
}

/// Runs a parsed command line: the exit code, or the error that stopped the run.
pub fn run(cli: &Cli, env: &mut Env) -> anyhow::Result<u8> {
    use commands::*;
    let g = &cli.global;
    let code = match &cli.command {
        Command::Check(args) => check::run(args, g, env),
        Command::Init(args) => init::run(args, g, env),
        Command::Taxonomy(args) => taxonomy::run(args, g, env),
        Command::Register(args) => register::run(args, g, env),
        Command::Soa(args) => soa::run(args, g, env),
        Command::Due(args) => due::run(args, g, env),
        Command::Matrix(args) => matrix::run(args, g, env),
        Command::Monitor(args) => monitor::run(args, g, env),
        Command::Obligations(args) => obligations::run(args, g, env),
        Command::Report(args) => report::run(args, g, env),
        Command::Pack(args) => pack::run(args, g, env),
        Command::Show(args) => show::run(args, g, env),
        Command::Templates(args) => templates::run(args, g, env),
        Command::History(args) => history::run(args, g, env),
        Command::Diff(args) => diff::run(args, g, env),
        Command::Codeowners(args) => codeowners::run(args, g, env),
        Command::New(args) => new::run(args, g, env),
        Command::Import(args) => import::run(args, g, env),
        Command::Schema(args) => schema::run(args, g, env),
        // They describe the command line itself: it is handed to them.
        Command::Completions(args) => completions::run(args, Cli::command(), env),
        Command::Man(args) => man::run(args, Cli::command(), env),
        // A front end of its own beside the commands: it speaks over stdin and stdout.
        Command::Lsp(args) => {
            let stdin = std::io::stdin();
            crate::lsp::run(
                args,
                commands::selection(g, env),
                &mut stdin.lock(),
                env.stdout,
                env.stderr,
                &save_caches,
            )
        }
    };
    // Whatever the outcome, the history read is kept for the next run.
    save_caches();
    code
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
