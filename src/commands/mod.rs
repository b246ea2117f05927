//! One file per subcommand: its arguments and its `run`, the few lines that wire the
//! workspace (the register, opened) to a report, a renderer and the output. No command
//! imports another, and none holds a pipeline of its own: what spans several stages is in
//! `workspace`. This layer alone touches the world: it receives the working directory,
//! today's date, the colour decision and the writers in an [`Env`] from `main` (`cli::run`
//! dispatches), and returns an exit code. This file holds what the commands share: the
//! [`Env`], the [`Selection`] the global flags make, the writers of a document and of
//! `-o FILE`, and the report of an error that stopped the run.

pub mod check;
pub mod codeowners;
pub mod completions;
pub mod diff;
pub mod due;
pub mod history;
pub mod import;
pub mod init;
pub mod man;
pub mod matrix;
pub mod monitor;
pub mod new;
pub mod obligations;
pub mod pack;
pub mod register;
pub mod report;
pub mod schema;
pub mod show;
pub mod soa;
pub mod taxonomy;
pub mod templates;

use crate::model::Date;
use crate::output;
use crate::render::Format;
use crate::report::Document;
use crate::text::{terminal, terminal_line, terminal_source};
use crate::workspace::{ConfigError, History, Opened, Screen, Selection, Workspace};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use anyhow::Result;
use clap::ValueEnum;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Exit codes (SPEC §4).
pub const EXIT_OK: u8 = 0;
/// Findings at error level (`check`), or `--fail-on` matched (`due`).
pub const EXIT_FINDINGS: u8 = 1;
/// Usage, configuration, I/O or git error.
pub const EXIT_ERROR: u8 = 2;

/// The flags every command takes: which register, as of when, from which revision, with or
/// without git, and colour.
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
    #[arg(
        long,
        value_name = "REV",
        global = true,
        conflicts_with = "no_git",
        allow_hyphen_values = true
    )]
    pub at: Option<String>,
    /// Read no git history: documents carry no commit, approver or DRAFT mark, `show` and
    /// `register` no provenance, and the git rules do not run. Also AIRISK_NO_GIT=1.
    #[arg(long, global = true, env = "AIRISK_NO_GIT", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_git: bool,
    /// When to colour output.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,
}

/// `--color`: on a terminal only (and never with NO_COLOR), always, or never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// A `YYYY-MM-DD` argument (`--as-of`, `--since`).
pub fn date_arg(s: &str) -> Result<Date, String> {
    crate::model::time::parse_date(s)
}

/// `--format` of the commands that render a document: every format of [`render::Format`],
/// for the command line (render itself knows nothing of clap).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DocFormat {
    /// A table for the terminal (coloured by level on a terminal only).
    Table,
    /// GitHub-flavoured markdown.
    Markdown,
    /// One CSV table (spreadsheet-safe).
    Csv,
    /// One versioned JSON document.
    Json,
    /// One self-contained HTML file that prints on A4.
    Html,
}

impl From<DocFormat> for Format {
    fn from(f: DocFormat) -> Format {
        match f {
            DocFormat::Table => Format::Table,
            DocFormat::Markdown => Format::Markdown,
            DocFormat::Csv => Format::Csv,
            DocFormat::Json => Format::Json,
            DocFormat::Html => Format::Html,
        }
    }
}

/// `--format` of the documents that are tables a spreadsheet opens (`register`, `soa`,
/// `due`): every [`DocFormat`] and a workbook.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SheetFormat {
    /// A table for the terminal (coloured by level on a terminal only).
    Table,
    /// GitHub-flavoured markdown.
    Markdown,
    /// One CSV table (spreadsheet-safe).
    Csv,
    /// One versioned JSON document.
    Json,
    /// One self-contained HTML file that prints on A4.
    Html,
    /// An Excel workbook: typed cells, frozen header, filters, level colours, a
    /// document-control sheet (binary: needs -o FILE or a redirected stdout).
    Xlsx,
}

impl From<SheetFormat> for Format {
    fn from(f: SheetFormat) -> Format {
        match f {
            SheetFormat::Table => Format::Table,
            SheetFormat::Markdown => Format::Markdown,
            SheetFormat::Csv => Format::Csv,
            SheetFormat::Json => Format::Json,
            SheetFormat::Html => Format::Html,
            SheetFormat::Xlsx => Format::Xlsx,
        }
    }
}

/// Refuses to write a binary format (XLSX) to a terminal: it would print noise and could
/// leave the terminal in a strange state. With `-o FILE`, or stdout redirected, it goes on.
pub fn refuse_binary_on_terminal(env: &Env, format: Format, output: Option<&Path>) -> Result<()> {
    // `width` is known only when stdout is a terminal.
    if format == Format::Xlsx && output::is_stdout(output) && env.width.is_some() {
        anyhow::bail!(
            "--format xlsx writes a binary workbook: give -o FILE.xlsx, or redirect standard output"
        );
    }
    Ok(())
}

/// A kind of the table of kinds named on the command line, among those `$admits` (a
/// predicate on the kind's row): clap's `ValueEnum` over the table, so a kind added there is
/// offered here without another list.
macro_rules! kind_arg {
    ($(#[$m:meta])* $name:ident, $admits:expr) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $name(pub crate::kinds::Kind);

        impl clap::ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                static KINDS: std::sync::LazyLock<Vec<$name>> = std::sync::LazyLock::new(|| {
                    let admits: fn(&crate::kinds::KindDef) -> bool = $admits;
                    crate::kinds::KINDS
                        .iter()
                        .filter(|d| admits(d))
                        .map(|d| $name(d.kind))
                        .collect()
                });
                &KINDS
            }

            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                Some(clap::builder::PossibleValue::new(self.0.name()))
            }
        }
    };
}
pub(crate) use kind_arg;

/// The world as a command sees it.
pub struct Env<'a> {
    pub cwd: PathBuf,
    /// Today's date from the clock; `--as-of` overrides it.
    pub today: Date,
    /// Whether stdout gets colour (decided from `--color`, the terminal and NO_COLOR).
    pub color: bool,
    /// The terminal's width when stdout is a terminal (tables fit it); `None` otherwise.
    pub width: Option<u16>,
    pub stdout: &'a mut dyn Write,
    /// Notes that do not stop the run (a shallow clone's truncated history, owners without
    /// a handle).
    pub stderr: &'a mut dyn Write,
}

/// The register the global flags name: the front end's [`Selection`].
pub fn selection(global: &Global, env: &Env) -> Selection {
    Selection {
        cwd: env.cwd.clone(),
        register: global.register.clone(),
        at: global.at.clone(),
        no_git: global.no_git,
        today: global.as_of.unwrap_or(env.today),
    }
}

/// Finds the register the global flags name.
pub fn open(global: &Global, env: &Env) -> Result<Workspace> {
    Workspace::open(&selection(global, env))
}

/// Finds and loads the register the global flags name (the working tree, or the `--at`
/// revision), with the git history of its documents. Findings of loading are not shown
/// here (`check` shows them); a document is rendered from what could be read.
pub fn open_with_history(
    global: &Global,
    env: &mut Env,
    provenance: bool,
) -> Result<(Opened, Option<History>)> {
    let (opened, history) = open(global, env)?.read_with_history(provenance)?;
    warn_skipped_templates(env, &opened)?;
    Ok((opened, history))
}

/// Warns, on stderr, of every file of `templates/` that was not read (a link out of the
/// register, a FIFO, a file too big...): a rendering command shows no findings, and a
/// document must not silently lose the template its register asked for.
pub fn warn_skipped_templates(env: &mut Env, opened: &Opened) -> Result<()> {
    for (path, why) in opened.skipped_templates() {
        writeln!(
            env.stderr,
            "warning: `{}` is not read: {why}; documents use the built-in template of that name, if there is one",
            terminal_line(path)
        )?;
    }
    Ok(())
}

impl Env<'_> {
    /// What rendering may assume of where `output` goes: colour and the terminal's width
    /// for stdout only.
    pub fn screen(&self, output: Option<&Path>) -> Screen {
        let to_stdout = output::is_stdout(output);
        Screen {
            color: self.color && to_stdout,
            width: if to_stdout { self.width } else { None },
        }
    }
}

/// Renders a document to `-o FILE` or stdout.
pub fn render_document(
    env: &mut Env,
    opened: &Opened,
    doc: &Document,
    format: Format,
    output: Option<&Path>,
) -> Result<()> {
    let bytes = opened.render(doc, format, env.screen(output))?;
    write_output(env, output, &bytes)
}

/// Warns, on stderr, when the document's as-of date is before the newest commit that changed
/// the register (the document says so too): it shows today's register, and names the `--at`
/// that shows the register as it was then.
pub fn warn_as_of(env: &mut Env, doc: &crate::report::Document) -> Result<()> {
    if let Some(w) = &doc.control.as_of_warning {
        writeln!(env.stderr, "warning: {}", terminal_line(w))?;
    }
    Ok(())
}

/// Writes a document to `-o FILE` or stdout, or with `check` compares FILE with it instead:
/// exit 0 when FILE has the document's content (its document-control block aside:
/// `workspace::compare_document`), 1 when it differs, is missing or is a link, saying so with
/// the command that regenerates it (`regenerate`, such as `airisk soa -o SOA.md`).
pub fn write_or_check(
    env: &mut Env,
    output: Option<&Path>,
    check: bool,
    bytes: &[u8],
    format: Format,
    regenerate: &str,
) -> Result<u8> {
    if !check {
        write_output(env, output, bytes)?;
        return Ok(EXIT_OK);
    }
    let Some(out) = output.filter(|o| !output::is_stdout(Some(o))) else {
        anyhow::bail!("--check needs -o FILE: the file to compare with");
    };
    let why = match crate::workspace::compare_document(&env.cwd.join(out), bytes, format)? {
        crate::workspace::FileState::Same => {
            writeln!(
                env.stdout,
                "{} is up to date with the register",
                out.display()
            )?;
            return Ok(EXIT_OK);
        }
        crate::workspace::FileState::Differs => "is out of date with the register",
        crate::workspace::FileState::Missing => "does not exist",
        // `-o` replaces a link with the document; it never writes through one.
        crate::workspace::FileState::Link => "is a symbolic link, not the document",
    };
    writeln!(
        env.stdout,
        "{} {why}: regenerate it with `{regenerate} -o {}`",
        out.display(),
        out.display()
    )?;
    Ok(EXIT_FINDINGS)
}

/// The ` --format F` of a regenerating command line (none for `default`).
pub fn format_flag<F: clap::ValueEnum + PartialEq>(f: F, default: F) -> String {
    if f == default {
        return String::new();
    }
    f.to_possible_value()
        .map(|v| format!(" --format {}", v.get_name()))
        .unwrap_or_default()
}

/// Writes a command's output to `-o FILE` (replaced whole by [`output::replace`]: never
/// through a link, never half a file; a FIFO or device is written into) or to stdout (no
/// `-o`, or `-o -`).
pub fn write_output(env: &mut Env, output: Option<&Path>, bytes: &[u8]) -> Result<()> {
    match output {
        Some(path) if !output::is_stdout(Some(path)) => output::replace(&env.cwd.join(path), bytes),
        _ => {
            env.stdout.write_all(bytes)?;
            Ok(())
        }
    }
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
            // The file, its path and the message may hold anything: shown as the human
            // emitter shows findings.
            let src = config.sources.get(p.span.file);
            let text = terminal_source(&src.text);
            let path = terminal_line(&src.path);
            let message = terminal_line(&p.message);
            let r = p.span.range();
            let len = text.text.len();
            let range = text.offset(r.start).min(len)..text.offset(r.end).min(len);
            let mut group = Group::with_title(Level::ERROR.primary_title(message.as_str()))
                .element(
                    Snippet::source(text.text.as_ref())
                        .path(path.as_str())
                        .annotation(AnnotationKind::Primary.span(range)),
                );
            let help = p.help.as_deref().map(terminal_line);
            if let Some(h) = &help {
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
    // An error may quote a path or a value from the register: no control character of
    // theirs reaches the terminal (our own line breaks are kept).
    let _ = writeln!(
        out,
        "{style}error{reset}: {}",
        terminal(&format!("{err:#}"))
    );
}

/// Writes the history caches the run left (`.git/airisk/`, docs/git.md "The history
/// cache"); one that cannot be written (a read-only clone, a link in the way) is skipped,
/// and so is one whose file already holds exactly these bytes (the language server runs
/// this after every message, and a line it read before is left to write again, unchanged,
/// whenever the git facts are computed again).
pub fn save_caches() {
    for w in crate::workspace::take_cache_writes() {
        let Ok(dir) = crate::output::folder_within(&w.git_dir, w.folder) else {
            continue;
        };
        let path = dir.join(&w.name);
        // A regular file or a link is replaced; anything else (a FIFO, which `replace`
        // would write into and block on, a device, a folder) is left alone.
        match std::fs::symlink_metadata(&path) {
            Ok(m) if !(m.file_type().is_file() || m.file_type().is_symlink()) => continue,
            // Only a regular file of the same size is read to compare (never through a link).
            Ok(m)
                if m.file_type().is_file()
                    && m.len() == w.bytes.len() as u64
                    && std::fs::read(&path).is_ok_and(|old| old == w.bytes) =>
            {
                continue;
            }
            _ => {}
        }
        let _ = crate::output::replace(&path, &w.bytes);
    }
}
