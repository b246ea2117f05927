//! One file per subcommand: its arguments and its `run`. This layer alone touches the world:
//! it receives the working directory, today's date, the colour decision and the writers in
//! an [`Env`] from `main`, and returns an exit code.

pub mod check;
pub mod init;
pub mod taxonomy;

use crate::cli::{Cli, Command};
use crate::load::ConfigError;
use crate::model::Date;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use anyhow::{Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Exit codes (SPEC §4).
pub const EXIT_OK: u8 = 0;
/// Findings at error level (`check`), or `--fail-on` matched (`due`).
pub const EXIT_FINDINGS: u8 = 1;
/// Usage, configuration, I/O or git error.
pub const EXIT_ERROR: u8 = 2;

/// The world as a command sees it.
pub struct Env<'a> {
    pub cwd: PathBuf,
    /// Today's date from the clock; `--as-of` overrides it.
    pub today: Date,
    /// Whether stdout gets colour (decided from `--color`, the terminal and NO_COLOR).
    pub color: bool,
    pub stdout: &'a mut dyn Write,
}

/// Runs a parsed command line.
pub fn run(cli: &Cli, env: &mut Env) -> Result<u8> {
    match &cli.command {
        Command::Check(args) => check::run(args, &cli.global, env),
        Command::Init(args) => init::run(args, &cli.global, env),
        Command::Taxonomy(args) => taxonomy::run(args, &cli.global, env),
    }
}

/// Writes a command's output to `-o FILE` (through a temporary file and a rename, so a
/// failed run never leaves half a file) or to stdout.
pub fn write_output(env: &mut Env, output: Option<&Path>, bytes: &[u8]) -> Result<()> {
    let Some(path) = output else {
        env.stdout.write_all(bytes)?;
        return Ok(());
    };
    let path = env.cwd.join(path);
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.airisk-tmp"));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write `{}`", tmp.display()))?;
    std::fs::rename(&tmp, &path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        anyhow::anyhow!("cannot write `{}`: {e}", path.display())
    })
}

/// Prints an error that stopped the run. Configuration errors get the source line and caret.
pub fn report_error(err: &anyhow::Error, color: bool, out: &mut dyn Write) {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    if let Some(config) = err.downcast_ref::<ConfigError>() {
        for p in &config.problems {
            let src = config.sources.get(p.span.file);
            let range = p.span.range();
            let mut group = Group::with_title(Level::ERROR.primary_title(p.message.as_str()))
                .element(
                    Snippet::source(src.text.as_str())
                        .path(src.path.as_str())
                        .annotation(AnnotationKind::Primary.span(range)),
                );
            if let Some(h) = &p.help {
                group = group.element(Level::HELP.message(h.as_str()));
            }
            let _ = writeln!(out, "{}\n", renderer.render(&[group]));
        }
        let n = config.problems.len();
        let _ = writeln!(
            out,
            "invalid configuration: {n} problem{} in airisk.toml",
            if n == 1 { "" } else { "s" }
        );
        return;
    }
    let (style, reset) = if color {
        let s = anstyle::Style::new()
            .bold()
            .fg_color(Some(anstyle::AnsiColor::Red.into()));
        (s.render().to_string(), s.render_reset().to_string())
    } else {
        (String::new(), String::new())
    };
    let _ = writeln!(out, "{style}error{reset}: {err:#}");
}
