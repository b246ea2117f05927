//! The binary: parse arguments, build the environment (working directory, today, colour,
//! writers), run the command, map the result to an exit code (0 / 1 / 2, SPEC §4). SIGINT and
//! SIGTERM remove the temporary files of a write under way and exit 130 / 143
//! (`output::remove_leftovers_on_signals`); a closed standard output (`airisk register |
//! head -1`) ends the run quietly with 0.

use airisk::cli::{self, Cli, ColorWhen};
use airisk::commands::{self, EXIT_ERROR, Env};
use airisk::output;
use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: reading a register allocates a string for every
/// key and value, and this made `check` of 10,000 risks about a tenth faster
/// (docs/performance.md, docs/design.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_ERROR } else { 0 });
        }
    };
    let stdout_color = color_for(cli.global.color, &std::io::stdout());
    let stderr_color = color_for(cli.global.color, &std::io::stderr());
    let cwd = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "error: cannot read the current folder: {e}"
            );
            return ExitCode::from(EXIT_ERROR);
        }
    };
    // Without the handler (it cannot fail on a working system), a failed write still
    // removes its temporary file; only an interrupted one could leave it.
    let _ = output::remove_leftovers_on_signals();
    let stdout = std::io::stdout();
    let mut out = output::PipeWatch::new(stdout.lock());
    let mut stderr = std::io::stderr();
    let mut env = Env {
        cwd,
        today: chrono::Local::now().date_naive(),
        color: stdout_color,
        width: terminal_width(),
        stdout: &mut out,
        stderr: &mut stderr,
    };
    let result = cli::run(&cli, &mut env);
    let flushed = env.stdout.flush();
    // The reader went away (`| head`): nothing more to say to anyone (SPEC §13).
    if out.closed() || result.as_ref().is_err_and(output::is_closed_pipe) {
        return ExitCode::SUCCESS;
    }
    match (result, flushed) {
        (Ok(_), Err(e)) => {
            let e = anyhow::Error::from(e).context("cannot write to standard output");
            commands::report_error(&e, stderr_color, &mut std::io::stderr());
            ExitCode::from(EXIT_ERROR)
        }
        (Ok(code), Ok(())) => ExitCode::from(code),
        (Err(e), _) => {
            commands::report_error(&e, stderr_color, &mut std::io::stderr());
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// The width of the terminal stdout is, if it is one: the terminal's own (asked of stdout,
/// not of the controlling terminal, which may be another one), else `COLUMNS`, else 80.
fn terminal_width() -> Option<u16> {
    use std::io::IsTerminal;
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    #[cfg(unix)]
    let asked = rustix::termios::tcgetwinsize(&stdout)
        .ok()
        .map(|w| w.ws_col)
        .filter(|&c| c > 0);
    #[cfg(not(unix))]
    let asked = comfy_table::Table::new().width();
    let columns = || {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<u16>().ok())
            .filter(|&c| c > 0)
    };
    Some(asked.or_else(columns).unwrap_or(80))
}

/// Colour on a terminal only, never with NO_COLOR (anstream reads the environment).
fn color_for(when: ColorWhen, stream: &impl anstream::stream::RawStream) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => anstream::AutoStream::choice(stream) != anstream::ColorChoice::Never,
    }
}
