//! The binary: parse arguments, build the environment (working directory, today, colour,
//! writers), run the command, map the result to an exit code (0 / 1 / 2, SPEC §4).

use airisk::cli::{Cli, ColorWhen};
use airisk::commands::{self, EXIT_ERROR, Env};
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
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    let mut env = Env {
        cwd,
        today: chrono::Local::now().date_naive(),
        color: stdout_color,
        width: terminal_width(),
        stdout: &mut lock,
        stderr: &mut std::io::stderr(),
    };
    let code = match commands::run(&cli, &mut env) {
        Ok(code) => code,
        Err(e) => {
            let _ = env.stdout.flush();
            commands::report_error(&e, stderr_color, &mut std::io::stderr());
            EXIT_ERROR
        }
    };
    if let Err(e) = env.stdout.flush()
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return ExitCode::from(EXIT_ERROR);
    }
    ExitCode::from(code)
}

/// The width of the terminal stdout is, if it is one.
fn terminal_width() -> Option<u16> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    comfy_table::Table::new().width()
}

/// Colour on a terminal only, never with NO_COLOR (anstream reads the environment).
fn color_for(when: ColorWhen, stream: &impl anstream::stream::RawStream) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => anstream::AutoStream::choice(stream) != anstream::ColorChoice::Never,
    }
}
