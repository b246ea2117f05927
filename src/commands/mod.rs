//! One file per subcommand: its arguments and its `run`. This layer alone touches the world:
//! it receives the working directory, today's date, the colour decision and the writers in
//! an [`Env`] from `main`, and returns an exit code.

pub mod check;
pub mod codeowners;
pub mod completions;
pub mod diff;
pub mod due;
pub mod history;
pub mod init;
pub mod man;
pub mod matrix;
pub mod new;
pub mod pack;
pub mod register;
pub mod report;
pub mod schema;
pub mod show;
pub mod soa;
pub mod taxonomy;
pub mod templates;

use crate::cli::{Cli, Command, Global};
use crate::git;
use crate::load::{ConfigError, Loaded, Tree, WorkTree};
use crate::model::Date;
use crate::output;
use crate::render::{self, Format};
use crate::report::Document;
use crate::text::{terminal, terminal_line, terminal_source};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use anyhow::{Result, bail};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Exit codes (SPEC §4).
pub const EXIT_OK: u8 = 0;
/// Findings at error level (`check`), or `--fail-on` matched (`due`).
pub const EXIT_FINDINGS: u8 = 1;
/// Usage, configuration, I/O or git error.
pub const EXIT_ERROR: u8 = 2;

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

/// Runs a parsed command line.
pub fn run(cli: &Cli, env: &mut Env) -> Result<u8> {
    match &cli.command {
        Command::Check(args) => check::run(args, &cli.global, env),
        Command::Init(args) => init::run(args, &cli.global, env),
        Command::Taxonomy(args) => taxonomy::run(args, &cli.global, env),
        Command::Register(args) => register::run(args, &cli.global, env),
        Command::Soa(args) => soa::run(args, &cli.global, env),
        Command::Due(args) => due::run(args, &cli.global, env),
        Command::Matrix(args) => matrix::run(args, &cli.global, env),
        Command::Report(args) => report::run(args, &cli.global, env),
        Command::Pack(args) => pack::run(args, &cli.global, env),
        Command::Show(args) => show::run(args, &cli.global, env),
        Command::Templates(args) => templates::run(args, &cli.global, env),
        Command::History(args) => history::run(args, &cli.global, env),
        Command::Diff(args) => diff::run(args, &cli.global, env),
        Command::Codeowners(args) => codeowners::run(args, &cli.global, env),
        Command::New(args) => new::run(args, &cli.global, env),
        Command::Schema(args) => schema::run(args, &cli.global, env),
        Command::Completions(args) => completions::run(args, &cli.global, env),
        Command::Man(args) => man::run(args, &cli.global, env),
    }
}

/// Where a command reads the register from: the working tree, or a revision (`--at REV`).
pub struct RegisterTree {
    /// The register's folder. With `--at`, where the folder is in the working tree (it may
    /// no longer exist on disk).
    pub root: PathBuf,
    pub tree: Box<dyn Tree>,
    /// The repository and commit behind the register; `None` outside git (or before the
    /// first commit).
    pub git: Option<GitSource>,
    /// The register is in a repository that could not be read (`git` is `None`).
    pub git_problem: Option<String>,
    /// Why `git` is `None`: not in a repository (`None`), or the reason.
    no_git: Option<String>,
}

/// A register in git: the repository, the commit read (HEAD for the working tree), and the
/// register's folder inside the repository.
pub struct GitSource {
    pub repo: git::Repo,
    pub rev: git::Rev,
    pub prefix: String,
}

impl GitSource {
    /// One pass over history for what `wants` asks.
    pub fn history(&self, wants: &git::Wants) -> Result<git::History> {
        self.repo.history(&self.rev, &self.prefix, wants)
    }

    /// What the git rules need about a loaded register (no walk when no rule needs one).
    pub fn facts(&self, loaded: &Loaded) -> Result<git::GitFacts> {
        let watches = crate::check::git_watches(&loaded.register, &loaded.sources);
        if watches.is_empty() {
            return Ok(git::GitFacts::default());
        }
        let wants = git::Wants {
            watches,
            ..git::Wants::default()
        };
        Ok(self.history(&wants)?.facts)
    }
}

impl RegisterTree {
    /// The repository, or a plain error saying why there is none, naming `what` needed it.
    pub fn require_git(&self, what: &str) -> Result<&GitSource> {
        self.git.as_ref().ok_or_else(|| match &self.no_git {
            Some(why) => anyhow::anyhow!("{what} needs the register's git history: {why}"),
            None => git::not_a_repository(&self.root, what),
        })
    }
}

/// Finds the register the global flags name, in the working tree or, with `--at REV`, in
/// that revision's tree (the register folder is looked for there: `-C DIR`, else the current
/// folder and its parents, inside the repository).
pub fn open_tree(global: &Global, env: &Env) -> Result<RegisterTree> {
    let Some(spec) = &global.at else {
        let root = crate::load::discover(&env.cwd, global.register.as_deref())?;
        let tree: Box<dyn Tree> = Box::new(WorkTree::new(&root));
        // A repository that cannot be read does not stop commands that need no git; it is
        // reported by those that do (and `check` notes that its git rules did not run).
        let found = if global.no_git {
            Ok(None)
        } else {
            git::Repo::discover(&root)
        };
        let (git, no_git, git_problem) = match found {
            Ok(None) if global.no_git => (None, Some("--no-git was given".to_string()), None),
            Ok(None) => (None, None, None),
            Ok(Some(repo)) => match repo.head() {
                Err(e) => (None, Some(format!("{e:#}")), None),
                Ok(rev) => match repo.relative(&root) {
                    Ok(prefix) => (Some(GitSource { repo, rev, prefix }), None, None),
                    Err(e) => (None, Some(format!("{e:#}")), Some(format!("{e:#}"))),
                },
            },
            Err(e) => (None, Some(format!("{e:#}")), Some(format!("{e:#}"))),
        };
        return Ok(RegisterTree {
            root,
            tree,
            git,
            git_problem,
            no_git,
        });
    };
    let wanted = global.register.as_deref().map(|d| env.cwd.join(d));
    let start = wanted.as_deref().unwrap_or(&env.cwd);
    let existing = start
        .ancestors()
        .find(|p| p.is_dir())
        .unwrap_or(&env.cwd)
        .to_path_buf();
    let repo = git::Repo::discover(&existing)?
        .ok_or_else(|| git::not_a_repository(&existing, "`--at` revisions"))?;
    let rev = repo.resolve(spec)?;
    let prefix = match &wanted {
        Some(dir) => {
            let prefix = repo.relative(dir)?;
            if repo.find_register(&rev, &prefix)?.as_deref() != Some(prefix.as_str()) {
                bail!(
                    "no {} in `{}` at revision `{spec}`",
                    crate::load::CONFIG_FILE,
                    dir.display()
                );
            }
            prefix
        }
        None => {
            let here = repo.relative(&env.cwd)?;
            repo.find_register(&rev, &here)?.ok_or_else(|| {
                anyhow::anyhow!(
                    "could not find {} at revision `{spec}` in `{}` or any parent folder\n\
                     help: pass `-C DIR` to name the register folder",
                    crate::load::CONFIG_FILE,
                    env.cwd.display()
                )
            })?
        }
    };
    let root = repo.workdir().join(&prefix);
    let tree: Box<dyn Tree> = Box::new(repo.tree(&rev, &prefix)?);
    Ok(RegisterTree {
        root,
        tree,
        git: Some(GitSource { repo, rev, prefix }),
        git_problem: None,
        no_git: None,
    })
}

/// A register found and loaded for a rendering command.
pub struct Opened {
    pub loaded: Loaded,
    /// The register's folder.
    pub root: PathBuf,
    /// "Today" for this run: `--as-of`, else the clock's date.
    pub today: Date,
    /// The repository and commit the register was read from (for provenance and document
    /// control: `git.history(&Wants { provenance: true, document: true, .. })`); `None`
    /// outside git.
    pub git: Option<GitSource>,
    /// The files of the register's `templates/` folder, by name inside it, from the same
    /// tree as the register (with `--at`, the revision's).
    pub templates: BTreeMap<String, Vec<u8>>,
}

impl Opened {
    /// Loads the register `source` names, and its templates.
    pub fn read(source: RegisterTree, today: Date) -> Result<Opened> {
        let (loaded, templates) = load_with_templates(source.tree.as_ref(), &source.root)?;
        Ok(Opened {
            loaded,
            root: source.root,
            today,
            git: source.git,
            templates,
        })
    }

    /// Like [`Opened::read`], with the pass over git history a document needs (see
    /// [`Opened::history`]) read on this thread while the register loads on the others: the
    /// two do not depend on each other, and at 10,000 risks take 60 and 200 ms.
    pub fn read_with_history(
        source: RegisterTree,
        today: Date,
        provenance: bool,
    ) -> Result<(Opened, Option<git::History>)> {
        let RegisterTree {
            root, tree, git, ..
        } = source;
        let (loaded, history) = std::thread::scope(|s| {
            let loading = s.spawn(|| load_with_templates(tree.as_ref(), &root));
            let history = git.as_ref().map(|g| g.history(&document_wants(provenance)));
            let loaded = loading
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (loaded, history)
        });
        // A register that cannot be read is the error to report, before any of git's.
        let (loaded, templates) = loaded?;
        let history = history.transpose()?;
        let opened = Opened {
            loaded,
            root,
            today,
            git,
            templates,
        };
        Ok((opened, history))
    }

    /// The committers trusted to write approvals (`[git] trusted_committers` of the
    /// register read).
    pub fn trusted(&self) -> &[crate::model::Identity] {
        &self.loaded.register.config.git.trusted_committers
    }

    /// One pass over git history for the document-control block (and, with `provenance`,
    /// every file's last change). `None` outside git.
    pub fn history(&self, provenance: bool) -> Result<Option<git::History>> {
        let Some(g) = &self.git else { return Ok(None) };
        g.history(&document_wants(provenance)).map(Some)
    }
}

/// What a document needs from git: its control block, and every file's last change with
/// `provenance`.
fn document_wants(provenance: bool) -> git::Wants {
    git::Wants {
        provenance,
        document: true,
        ..Default::default()
    }
}

/// The register of `tree` and its `templates/` files (by name inside the folder; the loader
/// reads them under the same confinement as every register file).
fn load_with_templates(
    tree: &dyn Tree,
    root: &Path,
) -> Result<(Loaded, BTreeMap<String, Vec<u8>>)> {
    let mut loaded = crate::load::load_tree(tree, root)?;
    let templates = std::mem::take(&mut loaded.templates);
    Ok((loaded, templates))
}

/// What `diff` compares besides the register's entities: its templates (as the loader read
/// them) and a root `waivers.yaml` (or `.yml`), read under the loader's rules; one that is
/// refused (a link out, a FIFO, over the size limit) or not UTF-8 is kept as unreadable
/// rather than compared, so it still shows as a change.
pub fn read_extras(tree: &dyn Tree, loaded: &Loaded) -> crate::changes::register::Extras {
    let waivers = ["waivers.yaml", "waivers.yml"]
        .into_iter()
        .find(|name| tree.present(name))
        .map(|name| {
            let text = tree
                .read(name)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok());
            (name.to_string(), text)
        });
    crate::changes::register::Extras {
        templates: loaded.templates.clone(),
        waivers,
    }
}

/// Warns, on stderr, of every file of `templates/` that was not read (a link out of the
/// register, a FIFO, a file too big...): a rendering command shows no findings, and a
/// document must not silently lose the template its register asked for.
pub fn warn_skipped_templates(env: &mut Env, opened: &Opened) -> Result<()> {
    for (path, why) in &opened.loaded.skipped_templates {
        writeln!(
            env.stderr,
            "warning: `{}` is not read: {why}; documents use the built-in template of that name, if there is one",
            terminal_line(path)
        )?;
    }
    Ok(())
}

/// Fills a document's control block from git: the commit it was rendered from, its date and
/// author, the approval history records, and DRAFT for uncommitted changes.
pub fn stamp(
    doc: &mut crate::report::Document,
    history: Option<&git::History>,
    trusted: &[crate::model::Identity],
) {
    let Some(h) = history else { return };
    let dc = h.document_control(trusted);
    let c = &mut doc.control;
    c.commit = Some(dc.commit);
    c.commit_date = Some(dc.date);
    c.author = Some(dc.author);
    c.approver = dc.approver;
    c.claimed = dc.claimed.iter().map(git::Claim::describe).collect();
    c.pull_request = dc.pr;
    c.draft = dc.draft;
    if dc.truncated {
        doc.notes.push(
            "Git history is truncated (a shallow clone): the approval of the register's last change is unknown. Fetch the whole history (actions/checkout `fetch-depth: 0`, GitLab `GIT_DEPTH: 0`)."
                .into(),
        );
    }
}

/// Every file's last change, as the reports show it, with `trusted` the committers trusted
/// to write approvals.
pub fn provenance(
    history: &git::History,
    trusted: &[crate::model::Identity],
) -> crate::report::ProvenanceMap {
    let files = history
        .changes()
        .map(|c| {
            let a = c.approvals(trusted);
            let p = crate::report::Provenance {
                commit: c.commit.short.clone(),
                day: c.landed_commit().day.to_string(),
                author: c.commit.author.clone(),
                subject: c.commit.summary.clone(),
                pr: c.pr,
                merged_in: c.landed.as_ref().map(|m| m.short.clone()),
                approved_by: a.approved_by,
                reviewed_by: a.reviewed_by,
                claimed: a.claimed.iter().map(git::Claim::describe).collect(),
            };
            (c.path.clone(), p)
        })
        .collect();
    crate::report::ProvenanceMap {
        files,
        truncated: history.truncated,
    }
}

/// Finds and loads the register the global flags name (the working tree, or the `--at`
/// revision), with the git history of its documents ([`Opened::read_with_history`]). Findings
/// of loading are not shown here (`check` shows them); a document is rendered from what could
/// be read.
pub fn open_with_history(
    global: &Global,
    env: &mut Env,
    provenance: bool,
) -> Result<(Opened, Option<git::History>)> {
    let source = open_tree(global, env)?;
    let (opened, history) =
        Opened::read_with_history(source, global.as_of.unwrap_or(env.today), provenance)?;
    warn_skipped_templates(env, &opened)?;
    Ok((opened, history))
}

/// Renders a document to bytes: colour only for a table going to a terminal; the
/// register's `templates/` folder, when it has one, overrides the built-in templates.
pub fn render_bytes(
    env: &Env,
    opened: &Opened,
    doc: &Document,
    format: Format,
    output: Option<&Path>,
) -> Result<Vec<u8>> {
    let to_stdout = output::is_stdout(output);
    let opts = render::Options {
        color: env.color && to_stdout,
        width: if to_stdout { env.width } else { None },
        templates: opened.templates.clone(),
    };
    Ok(render::render(doc, format, &opts)?.into_bytes())
}

/// Renders a document to `-o FILE` or stdout.
pub fn render_document(
    env: &mut Env,
    opened: &Opened,
    doc: &Document,
    format: Format,
    output: Option<&Path>,
) -> Result<()> {
    let bytes = render_bytes(env, opened, doc, format, output)?;
    write_output(env, output, &bytes)
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
