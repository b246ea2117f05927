//! The register, opened: what every front end (each command of the CLI, and next the
//! language server and the importer) goes through to reach a register. From a
//! [`Selection`] — where the front end runs, the register folder it names (`-C`), the
//! revision to read (`--at`), whether to read git at all (`--no-git`) and the day that
//! counts as today — it finds the register's tree (the working tree, or a revision's) and
//! the git repository behind it ([`Workspace`]); loads it, with its templates and its
//! symbol index ([`Opened`]); checks it, with or without the git rules ([`check`]); fills a
//! document's control block and the provenance of its files from git; and renders a
//! document with the register's own templates.
//!
//! The pipelines that span several stages live here too, so that no front end holds one:
//! the governance report with its trend over git history ([`report`]), one entity's history
//! ([`history`]), the semantic diff of two revisions ([`diff`]) and the audit pack
//! ([`pack`]).
//!
//! Like everything below the command layer, it takes the world as values (the working
//! folder, today's date) and never prints: what a front end should tell its user (a
//! template that was not read) is returned for it to say.

pub mod check;
pub mod diff;
pub mod history;
pub mod init;
pub mod live;
pub mod metrics;
pub mod new;
pub mod pack;
pub mod readings;
pub mod report;

// What front ends need of the stages below, named here so that they reach them through the
// workspace: the error of an invalid airisk.toml, the JSON Schemas of the file kinds, a git
// history pass.
pub use crate::git::{CacheWrite, History, take_cache_writes};
pub use crate::load::taxonomy::Taxonomy;
pub use crate::load::{ConfigError, MAX_FILE_BYTES, schema};
pub use check::{Outcome, check_register, check_tree, check_tree_git};

use crate::git;
use crate::load::{self, Loaded, Tree, WorkTree};
use crate::model::{Date, Identity};
use crate::render::{self, Format};
use crate::report::Document;
use anyhow::{Result, anyhow, bail};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Which register a front end asks for, and as of when.
#[derive(Clone, Debug)]
pub struct Selection {
    /// Where the front end runs (the CLI's working folder): a register is looked for here
    /// and in its parents, and relative paths start here.
    pub cwd: PathBuf,
    /// The register folder (`-C DIR`), relative to `cwd`; `None`: search upwards.
    pub register: Option<PathBuf>,
    /// A git revision to read the register at (`--at REV`) instead of the working tree.
    pub at: Option<String>,
    /// Read no git history (`--no-git`).
    pub no_git: bool,
    /// The day that counts as today (`--as-of`, else the clock's: the front end decides).
    pub today: Date,
}

/// A register found: where its files are read from and the repository behind it.
pub struct Workspace {
    /// The register's folder. With `--at`, where the folder is in the working tree (it may
    /// no longer exist on disk).
    pub root: PathBuf,
    /// "Today" for this run.
    pub today: Date,
    pub tree: Box<dyn Tree>,
    /// The repository and commit behind the register; `None` outside git (or before the
    /// first commit, or with `--no-git`).
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

    /// The register files with uncommitted changes, when the register is read from the
    /// working tree (none for a revision).
    pub fn uncommitted(&self) -> Result<Vec<String>> {
        if self.rev.worktree {
            self.repo.uncommitted(&self.prefix)
        } else {
            Ok(Vec::new())
        }
    }

    /// The same repository and folder at another revision.
    pub fn at(&self, rev: &git::Rev) -> GitSource {
        GitSource {
            repo: self.repo.clone(),
            rev: rev.clone(),
            prefix: self.prefix.clone(),
        }
    }
}

impl Workspace {
    /// Finds the register `sel` names, in the working tree or, with `--at REV`, in that
    /// revision's tree (the register folder is looked for there: `-C DIR`, else the current
    /// folder and its parents, inside the repository).
    pub fn open(sel: &Selection) -> Result<Workspace> {
        let Some(spec) = &sel.at else {
            return Self::working_tree(sel);
        };
        let wanted = sel.register.as_deref().map(|d| sel.cwd.join(d));
        let start = wanted.as_deref().unwrap_or(&sel.cwd);
        let existing = start
            .ancestors()
            .find(|p| p.is_dir())
            .unwrap_or(&sel.cwd)
            .to_path_buf();
        let repo = git::Repo::discover(&existing)?
            .ok_or_else(|| git::not_a_repository(&existing, "`--at REV`"))?;
        let rev = repo.resolve(spec)?;
        let prefix = match &wanted {
            Some(dir) => {
                let prefix = repo.relative(dir)?;
                if repo.find_register(&rev, &prefix)?.as_deref() != Some(prefix.as_str()) {
                    bail!(
                        "no {} in `{}` at revision `{spec}`",
                        load::CONFIG_FILE,
                        dir.display()
                    );
                }
                prefix
            }
            None => {
                let here = repo.relative(&sel.cwd)?;
                repo.find_register(&rev, &here)?.ok_or_else(|| {
                    anyhow!(
                        "could not find {} at revision `{spec}` in `{}` or any parent folder\n\
                         help: pass `-C DIR` to name the register folder",
                        load::CONFIG_FILE,
                        sel.cwd.display()
                    )
                })?
            }
        };
        let root = repo.workdir().join(&prefix);
        let tree: Box<dyn Tree> = Box::new(repo.tree(&rev, &prefix)?);
        Ok(Workspace {
            root,
            today: sel.today,
            tree,
            git: Some(GitSource { repo, rev, prefix }),
            git_problem: None,
            no_git: None,
        })
    }

    fn working_tree(sel: &Selection) -> Result<Workspace> {
        let root = load::discover(&sel.cwd, sel.register.as_deref())?;
        let tree: Box<dyn Tree> = Box::new(WorkTree::new(&root));
        // A repository that cannot be read does not stop commands that need no git; it is
        // reported by those that do (and `check` notes that its git rules did not run).
        let found = if sel.no_git {
            Ok(None)
        } else {
            git::Repo::discover(&root)
        };
        let (git, no_git, git_problem) = match found {
            Ok(None) if sel.no_git => (None, Some("--no-git was given".to_string()), None),
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
        Ok(Workspace {
            root,
            today: sel.today,
            tree,
            git,
            git_problem,
            no_git,
        })
    }

    /// The register's folder in the working tree, for a front end that writes into it (`new`,
    /// `schema --write`): `--at` does not apply there.
    pub fn working_root(sel: &Selection) -> Result<PathBuf> {
        load::discover(&sel.cwd, sel.register.as_deref())
    }

    /// The repository, or a plain error saying why there is none, naming `what` needed it.
    pub fn require_git(&self, what: &str) -> Result<&GitSource> {
        self.git.as_ref().ok_or_else(|| match &self.no_git {
            Some(why) => anyhow!("{what} needs the register's git history: {why}"),
            None => git::not_a_repository(&self.root, what),
        })
    }

    /// Why there is no git history, when there is none.
    pub fn no_git_reason(&self) -> Option<String> {
        match (&self.git, &self.no_git) {
            (Some(_), _) => None,
            (None, Some(why)) => Some(why.clone()),
            (None, None) => Some("the register is not in a git repository".to_string()),
        }
    }

    /// Loads the register (its findings of loading are in [`Loaded::diagnostics`]).
    pub fn load(&self) -> Result<Loaded> {
        load::load_tree(self.tree.as_ref(), &self.root)
    }

    /// Loads and checks the register, with the git rules when it is in a repository.
    pub fn check(&self, deny_warnings: bool) -> Result<Outcome> {
        check_tree_git(
            self.tree.as_ref(),
            &self.root,
            self.today,
            deny_warnings,
            self.git.as_ref(),
        )
    }

    /// The register in the same folder at revision `spec`, checked as of the same day (the
    /// baseline of `check --baseline REV`); `None` when that revision has no register there
    /// (every finding is then new). Needs the repository holding the register.
    pub fn check_baseline(&self, spec: &str, deny_warnings: bool) -> Result<Option<Outcome>> {
        let Some(g) = &self.git else {
            bail!(
                "`--baseline {}` needs the register's git repository: {}",
                git::shown(spec),
                self.no_git
                    .as_deref()
                    .unwrap_or("the register is not in a git repository")
            );
        };
        let rev = g.repo.resolve(spec)?;
        if g.repo.find_register(&rev, &g.prefix)?.as_deref() != Some(g.prefix.as_str()) {
            return Ok(None);
        }
        let tree = g.repo.tree(&rev, &g.prefix)?;
        let source = GitSource {
            repo: g.repo.clone(),
            rev,
            prefix: g.prefix.clone(),
        };
        check_tree_git(&tree, &self.root, self.today, deny_warnings, Some(&source)).map(Some)
    }

    /// Loads the register and its templates, for a rendering front end.
    pub fn read(self) -> Result<Opened> {
        let no_git = self.no_git_reason();
        let (loaded, templates) = load_with_templates(self.tree.as_ref(), &self.root)?;
        Ok(Opened {
            loaded,
            root: self.root,
            today: self.today,
            git: self.git,
            no_git,
            templates,
        })
    }

    /// Like [`Workspace::read`], with the pass over git history a document needs (see
    /// [`Opened::history`]) read on this thread while the register loads on the others: the
    /// two do not depend on each other, and at 10,000 risks take 60 and 200 ms.
    pub fn read_with_history(self, provenance: bool) -> Result<(Opened, Option<git::History>)> {
        let no_git = self.no_git_reason();
        let Workspace {
            root,
            today,
            tree,
            git,
            ..
        } = self;
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
            no_git,
            templates,
        };
        Ok((opened, history))
    }
}

/// A register loaded for a rendering front end: what was read, its templates, the
/// repository behind it.
pub struct Opened {
    pub loaded: Loaded,
    /// The register's folder.
    pub root: PathBuf,
    /// "Today" for this run.
    pub today: Date,
    /// The repository and commit the register was read from; `None` outside git.
    pub git: Option<GitSource>,
    /// Why `git` is `None`, when it is.
    pub no_git: Option<String>,
    /// The files of the register's `templates/` folder, by name inside it, from the same
    /// tree as the register (with `--at`, the revision's).
    pub templates: BTreeMap<String, Vec<u8>>,
}

/// Where a rendered document goes, as far as rendering cares: colour and the width to fit
/// apply to a terminal only.
#[derive(Clone, Copy, Debug, Default)]
pub struct Screen {
    pub color: bool,
    pub width: Option<u16>,
}

impl Opened {
    /// The committers trusted to write approvals (`[git] trusted_committers` of the
    /// register read).
    pub fn trusted(&self) -> &[Identity] {
        &self.loaded.register.config.git.trusted_committers
    }

    /// The error for a feature (`what`) that needs git, of a register outside a repository.
    pub fn not_in_git(&self, what: &str) -> anyhow::Error {
        git::not_a_repository(&self.root, what)
    }

    /// One pass over git history for the document-control block (and, with `provenance`,
    /// every file's last change). `None` outside git.
    pub fn history(&self, provenance: bool) -> Result<Option<git::History>> {
        let Some(g) = &self.git else { return Ok(None) };
        g.history(&document_wants(provenance)).map(Some)
    }

    /// The files of `templates/` that were not read (a link out of the register, a FIFO, a
    /// file too big...), with why: a front end that shows no findings warns of them, so that
    /// a document does not silently lose the template its register asked for.
    pub fn skipped_templates(&self) -> &[(String, String)] {
        &self.loaded.skipped_templates
    }

    /// Fills a document's control block from git: the commit it was rendered from, its date
    /// and author, the approval history records, and DRAFT for uncommitted changes.
    pub fn stamp(&self, doc: &mut Document, history: Option<&git::History>) {
        self.stamp_of(history).apply(doc);
    }

    /// What [`Opened::stamp`] writes, computed once for documents stamped alike (the audit
    /// pack's: every document of a run has the same revision, trusted committers and as-of
    /// day, which are all a stamp depends on).
    pub fn stamp_of(&self, history: Option<&git::History>) -> Stamp {
        Stamp {
            control: history.map(|h| h.document_control(self.trusted())),
            as_of_warning: history.and_then(|h| self.as_of_warning(h)),
        }
    }

    /// When the as-of day is before the newest commit that changed the register, what the
    /// document says about it: it shows the register of that commit (or the working tree),
    /// and `--at REF@{DAY}` shows the register as it was on the as-of day.
    pub fn as_of_warning(&self, h: &git::History) -> Option<String> {
        let v = h.version.as_ref()?;
        if v.day <= self.today {
            return None;
        }
        let base = match self.git.as_ref() {
            Some(g) if g.rev.worktree => g.repo.branch().unwrap_or_else(|| "HEAD".into()),
            Some(g) => g.rev.spec.split("@{").next().unwrap_or("HEAD").to_string(),
            None => "HEAD".into(),
        };
        Some(format!(
            "the register changed after {today} (last on {day}, commit {short}): this document shows the register as it is now, as of {today}; `--at {base}@{{{today}}}` shows the register as it was on {today}",
            today = self.today,
            day = v.day,
            short = v.short,
        ))
    }

    /// Every file's last change, as the reports show it.
    pub fn provenance(&self, history: &git::History) -> crate::report::ProvenanceMap {
        provenance(history, self.trusted())
    }

    /// Renders a document to bytes; the register's `templates/` folder, when it has one,
    /// overrides the built-in templates.
    pub fn render(&self, doc: &Document, format: Format, screen: Screen) -> Result<Vec<u8>> {
        render::render_bytes(doc, format, &self.render_options(screen))
    }

    /// What [`Opened::render`] renders with, for documents rendered on other threads (the
    /// audit pack's histories).
    pub fn render_options(&self, screen: Screen) -> render::Options {
        render::Options {
            color: screen.color,
            width: screen.width,
            templates: self.templates.clone(),
            ..Default::default()
        }
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
    let mut loaded = load::load_tree(tree, root)?;
    let templates = std::mem::take(&mut loaded.templates);
    Ok((loaded, templates))
}

/// Fills a document's control block from git (see [`Opened::stamp`]), with `trusted` the
/// committers trusted to write approvals.
pub fn stamp(doc: &mut Document, history: Option<&git::History>, trusted: &[Identity]) {
    if let Some(h) = history {
        fill_control(doc, &h.document_control(trusted));
    }
}

/// Writes the document control `dc` judged from git into `doc`'s control block, and the
/// note of a truncated history into its notes.
fn fill_control(doc: &mut Document, dc: &git::DocControl) {
    let c = &mut doc.control;
    c.commit = Some(dc.commit.clone());
    c.commit_date = Some(dc.date.clone());
    c.author = Some(dc.author.clone());
    c.approver = dc.approver.clone();
    c.claimed = dc.claimed.iter().map(git::Claim::describe).collect();
    c.pull_request = dc.pr;
    c.pull_request_ref = dc.pr.map(|p| p.reference());
    c.forge = dc.pr.map(|p| p.forge_name());
    c.draft = dc.draft;
    if dc.truncated {
        doc.notes.push(
            "Git history is truncated (a shallow clone): the approval of the register's last change is unknown. Fetch the whole history (actions/checkout `fetch-depth: 0`, GitLab `GIT_DEPTH: 0`)."
                .into(),
        );
    }
}

/// A document control judged once ([`Opened::stamp_of`]) and written into each document
/// as [`Opened::stamp`] writes it: the git fields of the control block and the note of a
/// truncated history (outside git, none), and the as-of warning.
#[derive(Clone, Debug)]
pub struct Stamp {
    control: Option<git::DocControl>,
    as_of_warning: Option<String>,
}

impl Stamp {
    /// Writes the stamp into `doc`.
    pub fn apply(&self, doc: &mut Document) {
        if let Some(dc) = &self.control {
            fill_control(doc, dc);
        }
        doc.control.as_of_warning = self.as_of_warning.clone();
    }
}

/// Every file's last change, as the reports show it, with `trusted` the committers trusted
/// to write approvals.
pub fn provenance(history: &git::History, trusted: &[Identity]) -> crate::report::ProvenanceMap {
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

/// Whether a file a front end is asked to keep in step (`soa --check -o FILE`) holds exactly
/// `bytes`. Only a regular file is read, no further than one byte past `bytes`: the file a
/// pull request commits at that name may be a link to a FIFO or to /dev/zero.
pub fn compare_file(path: &Path, bytes: &[u8]) -> Result<FileState> {
    Ok(match load::tree::read_regular(path, bytes.len() as u64) {
        Ok(current) if current == bytes => FileState::Same,
        Ok(_) | Err(load::Unreadable::TooBig(_)) => FileState::Differs,
        Err(e) if e.is_missing() => FileState::Missing,
        Err(load::Unreadable::Link) => FileState::Link,
        Err(e) => bail!("cannot compare with `{}`: {e}", path.display()),
    })
}

/// Whether a document a front end is asked to keep in step (`-o FILE --check`) has the
/// content of `bytes`, rendered in `format`: the same bytes, or the same once the
/// document-control block (commit, dates, DRAFT) is left out of both
/// (`render::content::content`), so that committing the file or a new day does not make it
/// differ. Read as [`compare_file`] reads, no further than [`CONTROL_SLACK`] past the
/// length of `bytes`: a document-control block is never longer than that.
pub fn compare_document(path: &Path, bytes: &[u8], format: Format) -> Result<FileState> {
    Ok(
        match load::tree::read_regular(path, bytes.len() as u64 + CONTROL_SLACK) {
            Ok(current) if current == bytes => FileState::Same,
            Ok(current) => match (std::str::from_utf8(&current), std::str::from_utf8(bytes)) {
                (Ok(a), Ok(b))
                    if render::content::content(format, a)
                        == render::content::content(format, b) =>
                {
                    FileState::Same
                }
                _ => FileState::Differs,
            },
            Err(load::Unreadable::TooBig(_)) => FileState::Differs,
            Err(e) if e.is_missing() => FileState::Missing,
            Err(load::Unreadable::Link) => FileState::Link,
            Err(e) => bail!("cannot compare with `{}`: {e}", path.display()),
        },
    )
}

/// How much longer than the document rendered now a file compared with it may be: room for
/// another document-control block (a longer author, approver, claims).
pub const CONTROL_SLACK: u64 = 64 << 10;

/// What [`compare_file`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileState {
    Same,
    Differs,
    Missing,
    /// A symbolic link, not the document (`-o` replaces a link; it never writes through one).
    Link,
}
