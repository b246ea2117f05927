//! The register kept open while it is edited: what the language server works on. The files
//! of the register are read from the working tree with the editor's open buffers laid over
//! it ([`Overlay`]: an open buffer wins over the file on disk, an unsaved new file is listed,
//! and a buffer larger than the loader's limit is refused like a file would be); every file's
//! reading is kept ([`Live`]), so that an edit re-reads only the file edited and runs the
//! rules again over the register put together from the kept readings.
//!
//! Three things keep the findings what `check` would say of the saved files, and stable as
//! one types:
//!
//! - each file keeps the [`FileId`] it was first given for the whole session (a removed
//!   file's place stays empty), so the readings of unchanged files need not be redone when
//!   another file comes or goes; the register is assembled in path order, as `check` reads;
//! - a file that does not parse (a syntax error half-way through an edit) keeps its last
//!   good reading for the rules over other files, so that one broken file does not light up
//!   the others with dangling references; its own findings are those of its current text
//!   ([`Live::findings`]);
//! - the git rules' facts (one pass over history) are computed when the register is opened
//!   and when a file is saved ([`Live::refresh_git`]), never on a keystroke, and kept per
//!   HEAD commit and set of watched files.
//!
//! Reads stay confined as the loader confines them: the overlay only answers for paths
//! inside the register, and every other read goes through the [`WorkTree`].

use super::GitSource;
use crate::diag::{self, Diagnostic};
use crate::git::GitFacts;
use crate::kinds::Kind;
use crate::load::{self, FileResult, Listed, Loaded, MAX_FILE_BYTES, Tree, Unreadable, WorkTree};
use crate::model::Date;
use crate::source::FileId;
use anyhow::Result;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The working tree with open buffers laid over it, by register-relative path.
pub struct Overlay<'a> {
    pub disk: &'a WorkTree,
    pub buffers: &'a BTreeMap<String, String>,
}

impl Tree for Overlay<'_> {
    fn describe(&self) -> String {
        self.disk.describe()
    }

    fn read(&self, rel: &str) -> Result<Vec<u8>, Unreadable> {
        match self.buffers.get(rel) {
            Some(text) if text.len() as u64 > MAX_FILE_BYTES => {
                Err(Unreadable::TooBig(text.len() as u64))
            }
            Some(text) => Ok(text.as_bytes().to_vec()),
            None => self.disk.read(rel),
        }
    }

    fn read_beside(&self, rel: &str) -> Result<Vec<u8>, Unreadable> {
        if self.buffers.contains_key(rel) {
            return self.read(rel);
        }
        self.disk.read_beside(rel)
    }

    fn list(&self, dir: &str, recursive: bool) -> Vec<Listed> {
        let mut out = self.disk.list(dir, recursive);
        let seen: BTreeSet<String> = out.iter().map(|l| l.path.clone()).collect();
        let prefix = format!("{dir}/");
        for path in self.buffers.keys() {
            let Some(rest) = path.strip_prefix(&prefix) else {
                continue;
            };
            if (recursive || !rest.contains('/')) && !seen.contains(path) {
                out.push(Listed::file(path.clone()));
            }
        }
        out
    }

    fn present(&self, rel: &str) -> bool {
        self.buffers.contains_key(rel) || self.disk.present(rel)
    }

    fn exists(&self, rel: &str) -> bool {
        self.buffers.contains_key(rel) || self.disk.exists(rel)
    }

    fn is_file(&self, rel: &str) -> bool {
        self.buffers.contains_key(rel) || self.disk.is_file(rel)
    }
}

/// One file of the register as last read.
struct Kept {
    kind: Kind,
    /// Its reading of the current text (buffer or disk).
    now: FileResult,
    /// When `now` did not parse, the last reading that did: what the rules see.
    good: Option<FileResult>,
}

/// The register checked: what was read (assembled) and its findings, levelled and sorted.
pub struct Checked {
    pub loaded: Loaded,
    pub diagnostics: Vec<Diagnostic>,
}

/// A problem of `airisk.toml` (or of a file it names) that stops the register from being
/// checked: where it is and what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigIssue {
    pub path: String,
    /// The text the range indexes.
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// The message, with its help on a line of its own.
    pub message: String,
}

/// The register open in an editor.
pub struct Live {
    pub root: PathBuf,
    pub today: Date,
    disk: WorkTree,
    buffers: BTreeMap<String, String>,
    /// Every data file of the register, by path (the listing's order is path order within a
    /// kind; kinds come in the table's order, which [`Live::order`] keeps).
    files: BTreeMap<String, Kept>,
    /// Paths in the order `check` reads them.
    order: Vec<String>,
    /// The reading files (CSV), read anew at every check: what a row counts for depends on
    /// the YAML files.
    csv: Vec<load::Planned>,
    /// Ids given out: path → id, for the session.
    ids: BTreeMap<String, FileId>,
    next_id: u32,
    /// How many sources the configuration stage adds (data files' ids start there).
    base: Option<usize>,
    git: Option<GitSource>,
    /// The git rules' facts, with the HEAD commit and the watches they were computed for.
    facts: Option<(String, String, GitFacts)>,
    /// The last check; `None` when `airisk.toml` could not be read (see `problem`).
    pub checked: Option<Checked>,
    /// Why the register could not be checked (an invalid `airisk.toml`), as text.
    pub problem: Option<String>,
    /// When `problem` is an invalid configuration: each of its problems.
    pub config_issues: Vec<ConfigIssue>,
    /// How many passes over git history were made (each computes the git rules' facts).
    pub git_passes: usize,
}

impl Live {
    /// Opens the register at `root` (holding `airisk.toml`) as of `today`, reading git
    /// history unless `no_git`; reads every file and checks the register.
    pub fn open(root: &Path, today: Date, no_git: bool) -> Live {
        let git = if no_git {
            None
        } else {
            crate::git::Repo::discover(root)
                .ok()
                .flatten()
                .and_then(|repo| {
                    let rev = repo.head().ok()?;
                    let prefix = repo.relative(root).ok()?;
                    Some(GitSource { repo, rev, prefix })
                })
        };
        let mut live = Live {
            root: root.to_path_buf(),
            today,
            disk: WorkTree::new(root),
            buffers: BTreeMap::new(),
            files: BTreeMap::new(),
            order: Vec::new(),
            csv: Vec::new(),
            ids: BTreeMap::new(),
            next_id: 0,
            base: None,
            git,
            facts: None,
            checked: None,
            problem: None,
            git_passes: 0,
            config_issues: Vec::new(),
        };
        live.rescan();
        live.recheck();
        live.refresh_git();
        live
    }

    /// The register-relative path of `path` (absolute), when it lies inside the register
    /// and names a file the register would read: a data file of a kind, or `airisk.toml`.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.root).ok()?;
        let mut parts = Vec::new();
        for c in rel.components() {
            match c {
                std::path::Component::Normal(s) => parts.push(s.to_str()?),
                _ => return None,
            }
        }
        let rel = parts.join("/");
        (rel == load::CONFIG_FILE || kind_of_path(&rel).is_some()).then_some(rel)
    }

    /// The open buffers.
    pub fn buffers(&self) -> &BTreeMap<String, String> {
        &self.buffers
    }

    /// An editor opened (or changed) the file at `rel` with `text`: re-reads that file only
    /// (a new file, or `airisk.toml`, re-reads the listing or everything).
    pub fn set_buffer(&mut self, rel: &str, text: String) {
        let known = self.files.contains_key(rel);
        self.buffers.insert(rel.to_string(), text);
        if rel == load::CONFIG_FILE {
            self.base = None;
            self.rescan();
        } else if known {
            self.reread(rel);
        } else {
            self.rescan();
        }
        self.recheck();
    }

    /// The editor closed the file: the file on disk counts again.
    pub fn close_buffer(&mut self, rel: &str) {
        if self.buffers.remove(rel).is_none() {
            return;
        }
        if rel == load::CONFIG_FILE {
            self.base = None;
        }
        self.rescan();
        if self.files.contains_key(rel) {
            self.reread(rel);
        }
        self.recheck();
    }

    /// Files were created, changed or deleted on disk (or saved): lists the register again,
    /// re-reads `changed`, and the git facts when HEAD or what the git rules watch moved.
    pub fn disk_changed(&mut self, changed: &[String]) {
        if changed.iter().any(|c| c == load::CONFIG_FILE) {
            self.base = None;
        }
        self.rescan();
        for rel in changed {
            if self.files.contains_key(rel) && !self.buffers.contains_key(rel) {
                self.reread(rel);
            }
        }
        self.recheck();
        self.refresh_git();
    }

    /// The text the findings of `rel` are positioned in: the current reading of the file
    /// (for a file that does not parse, its current text, not the last good one).
    pub fn text_of(&self, rel: &str) -> Option<&str> {
        if let Some(k) = self.files.get(rel) {
            return Some(&k.now.source.text);
        }
        let checked = self.checked.as_ref()?;
        let sources = &checked.loaded.sources;
        (0..sources.len())
            .map(|i| sources.get(FileId(i as u32)))
            .find(|f| f.path == rel)
            .map(|f| f.text.as_str())
    }

    /// The id of `rel` in the last check's sources, when its spans there index its current
    /// text (not for a stale file, whose spans index its last good text).
    pub fn file_id(&self, rel: &str) -> Option<FileId> {
        let k = self.files.get(rel)?;
        (k.good.is_none()).then_some(k.now.file)
    }

    /// The file an evidence path names, when it is a file inside the register (the same
    /// confinement as every read: a link out of the register, `..` out of it or an absolute
    /// path names nothing). Nothing is read.
    pub fn evidence_file(&self, rel: &str) -> Option<PathBuf> {
        let overlay = Overlay {
            disk: &self.disk,
            buffers: &self.buffers,
        };
        (load::tree::stays_inside(rel) && overlay.is_file(rel)).then(|| self.root.join(rel))
    }

    /// Whether `rel` does not parse now and the rules see its last good reading.
    pub fn is_stale(&self, rel: &str) -> bool {
        self.files.get(rel).is_some_and(|k| k.good.is_some())
    }

    /// The findings of every file of the register, by path (every data file and
    /// `airisk.toml`, with or without findings), in path order. A stale file's findings are
    /// those of its current text only (positioned in [`Live::text_of`]).
    pub fn findings(&self) -> BTreeMap<String, Vec<Diagnostic>> {
        let mut out: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
        out.insert(load::CONFIG_FILE.to_string(), Vec::new());
        for path in self.files.keys() {
            out.insert(path.clone(), Vec::new());
        }
        let Some(c) = &self.checked else { return out };
        let sources = &c.loaded.sources;
        for d in &c.diagnostics {
            let path = sources.path(d.primary.span.file);
            if path.is_empty() {
                continue;
            }
            out.entry(path.to_string()).or_default().push(d.clone());
        }
        out
    }

    /// Lists the register's files again: new paths get an id and are read, removed ones are
    /// forgotten. Without a configuration stage yet (`base`), everything is read anew.
    fn rescan(&mut self) {
        let overlay = Overlay {
            disk: &self.disk,
            buffers: &self.buffers,
        };
        let base = match load::begin(&overlay, &self.root) {
            Ok((sources, _, _)) => sources.len(),
            Err(e) => {
                self.stopped(e);
                return;
            }
        };
        if self.base != Some(base) {
            // The configuration's sources changed in number: every id moves.
            self.files.clear();
            self.ids.clear();
            self.next_id = base as u32;
            self.base = Some(base);
        }
        let (csv, planned): (Vec<_>, Vec<_>) = load::list_files(&overlay)
            .into_iter()
            .partition(|p| p.kind.is_csv());
        self.csv = csv;
        let listed: BTreeSet<&str> = planned.iter().map(|p| p.rel.as_str()).collect();
        self.files.retain(|path, _| listed.contains(path.as_str()));
        self.order = planned.iter().map(|p| p.rel.clone()).collect();
        let mut todo = Vec::new();
        for p in planned {
            if self.files.contains_key(&p.rel) {
                continue;
            }
            let id = *self.ids.entry(p.rel.clone()).or_insert_with(|| {
                let id = FileId(self.next_id);
                self.next_id += 1;
                id
            });
            todo.push((id, p));
        }
        let read: Vec<(Kind, FileResult)> = todo
            .into_par_iter()
            .map(|(id, p)| (p.kind, load::process(&overlay, id, p)))
            .collect();
        for (kind, now) in read {
            self.files.insert(
                now.source.path.clone(),
                Kept {
                    kind,
                    now,
                    good: None,
                },
            );
        }
    }

    /// The register cannot be checked: why, and where when the configuration says.
    fn stopped(&mut self, e: anyhow::Error) {
        self.problem = Some(format!("{e:#}"));
        self.checked = None;
        self.config_issues = match e.downcast_ref::<load::ConfigError>() {
            None => Vec::new(),
            Some(c) => c
                .problems
                .iter()
                .map(|p| {
                    let file = c.sources.get(p.span.file);
                    let mut message = p.message.clone();
                    if let Some(help) = &p.help {
                        message.push_str("\nhelp: ");
                        message.push_str(help);
                    }
                    ConfigIssue {
                        path: file.path.clone(),
                        text: file.text.clone(),
                        start: p.span.start as usize,
                        end: p.span.end as usize,
                        message,
                    }
                })
                .collect(),
        };
    }

    /// Reads one known file again (its buffer, or the disk).
    fn reread(&mut self, rel: &str) {
        let Some(&id) = self.ids.get(rel) else { return };
        let Some(kind) = self.files.get(rel).map(|k| k.kind) else {
            return;
        };
        let overlay = Overlay {
            disk: &self.disk,
            buffers: &self.buffers,
        };
        let planned = load::Planned {
            rel: rel.to_string(),
            kind,
            refused: None,
        };
        let now = load::process(&overlay, id, planned);
        let Some(k) = self.files.get_mut(rel) else {
            return;
        };
        let before = std::mem::replace(&mut k.now, now);
        if k.now.parsed() {
            k.good = None;
        } else if before.parsed() {
            k.good = Some(before);
        }
    }

    /// Computes the git rules' facts again when HEAD or the files they watch changed since
    /// they were last computed (never on a keystroke: on open and on save).
    pub fn refresh_git(&mut self) {
        let Some(git) = &mut self.git else { return };
        // HEAD may have moved (a commit, a checkout): read it again.
        if let Ok(rev) = git.repo.head() {
            git.rev = rev;
        }
        let Some(c) = &self.checked else { return };
        let head = git.rev.id();
        let watches = crate::check::git_watches(&c.loaded.register, &c.loaded.sources);
        let key = format!("{watches:?}");
        if self
            .facts
            .as_ref()
            .is_some_and(|(h, k, _)| *h == head && *k == key)
        {
            return;
        }
        self.git_passes += 1;
        match git.facts(&c.loaded) {
            Ok(facts) => self.facts = Some((head, key, facts)),
            Err(_) => self.facts = None,
        }
        self.recheck();
    }

    /// Assembles the register from the kept readings and runs every rule (the git rules
    /// over the kept facts).
    fn recheck(&mut self) {
        // Twice at most: the configuration may have changed what it reads, and then every
        // file is read anew under its new id.
        for _ in 0..2 {
            if self.recheck_once() {
                return;
            }
            self.base = None;
            self.rescan();
        }
    }

    /// [`Live::recheck`], unless the configuration's sources no longer match the ids given
    /// out (`false`).
    fn recheck_once(&mut self) -> bool {
        let overlay = Overlay {
            disk: &self.disk,
            buffers: &self.buffers,
        };
        let (sources, register, rules) = match load::begin(&overlay, &self.root) {
            Ok(b) => b,
            Err(e) => {
                self.stopped(e);
                return true;
            }
        };
        if self.base != Some(sources.len()) {
            return false;
        }
        self.problem = None;
        self.config_issues.clear();
        let mut broken = Vec::new();
        let results: Vec<FileResult> = self
            .order
            .iter()
            .filter_map(|path| self.files.get(path))
            .map(|k| match &k.good {
                Some(good) => {
                    broken.extend(k.now.diags.iter().cloned());
                    let mut r = good.clone();
                    r.diags.clear();
                    r
                }
                None => k.now.clone(),
            })
            .collect();
        let stale: BTreeSet<FileId> = self
            .files
            .values()
            .filter(|k| k.good.is_some())
            .map(|k| k.now.file)
            .collect();
        let mut loaded = load::assemble(
            &overlay,
            sources,
            register,
            rules,
            results,
            self.csv.clone(),
        );
        let facts = self.facts.as_ref().map(|(_, _, f)| f.clone());
        let ran = crate::check::run_reading_git(
            &loaded.register,
            &loaded.sources,
            &overlay,
            self.today,
            || Ok::<_, anyhow::Error>(facts),
        );
        let found = match ran {
            Ok((found, _)) => found,
            Err(e) => {
                self.problem = Some(format!("{e:#}"));
                Vec::new()
            }
        };
        let mut diags = std::mem::take(&mut loaded.diagnostics);
        diags.extend(found);
        // A stale file's findings from its last good text would point at text no longer
        // there: its findings are those of its current text.
        diags.retain(|d| !stale.contains(&d.primary.span.file));
        diags.extend(broken);
        // As `check` does: subjects, levels, then waivers (a waived finding is not shown).
        crate::check::subject::attribute(&loaded.register, &loaded.sources, &mut diags);
        let levelled = diag::finalize(diags, &loaded.rules, false, &loaded.sources);
        let applied = crate::check::waivers::apply(
            &loaded.register,
            &loaded.sources,
            self.today,
            self.facts.is_some(),
            levelled,
        );
        let diagnostics = diag::finalize(applied.kept, &loaded.rules, false, &loaded.sources);
        self.checked = Some(Checked {
            loaded,
            diagnostics,
        });
        true
    }
}

/// The kind whose files `rel` would be, by the table of kinds (a data file's folder and
/// extension, or a root file's name).
pub fn kind_of_path(rel: &str) -> Option<Kind> {
    use crate::kinds::{Home, KINDS};
    KINDS.iter().find_map(|def| {
        let ext_ok = |name: &str| {
            def.extensions.iter().any(|ext| {
                name.strip_suffix(ext)
                    .is_some_and(|rest| rest.ends_with('.') && rest.len() > 1)
            })
        };
        let ok = match def.home {
            Home::Root { stem } => def
                .extensions
                .iter()
                .any(|ext| rel == format!("{stem}.{ext}")),
            Home::Folder { dir, recursive } => rel
                .strip_prefix(dir)
                .and_then(|r| r.strip_prefix('/'))
                .is_some_and(|r| (recursive || !r.contains('/')) && ext_ok(r)),
            _ => false,
        };
        ok.then_some(def.kind)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;

    fn register() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().expect("tempdir");
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base");
        for entry in walkdir::WalkDir::new(&base) {
            let entry = entry.expect("walk");
            let rel = entry.path().strip_prefix(&base).expect("inside");
            let to = tmp.path().join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).expect("mkdir");
            } else {
                std::fs::copy(entry.path(), &to).expect("copy");
            }
        }
        tmp
    }

    fn today() -> Date {
        Date::from_ymd_opt(2026, 11, 1).expect("a date")
    }

    fn codes(live: &Live, path: &str) -> Vec<Code> {
        live.findings()
            .get(path)
            .map(|d| d.iter().map(|d| d.code).collect())
            .unwrap_or_default()
    }

    #[test]
    fn the_same_findings_as_check_and_an_edit_rereads_one_file() {
        let tmp = register();
        let live = Live::open(tmp.path(), today(), true);
        let check = super::super::check_register(tmp.path(), today(), false).expect("checks");
        let c = live.checked.as_ref().expect("checked");
        assert_eq!(c.diagnostics, check.diagnostics);
        let mut live = live;
        let text = std::fs::read_to_string(tmp.path().join("risks/R-001.yaml")).expect("read");
        let edited = text.replacen("system: ticket-triage", "system: ticket-triag", 1);
        assert_ne!(text, edited, "the fixture names its system");
        live.set_buffer("risks/R-001.yaml", edited.clone());
        assert!(codes(&live, "risks/R-001.yaml").contains(&Code::UnknownReference));
        // What check says of the same text on disk.
        std::fs::write(tmp.path().join("risks/R-001.yaml"), &edited).expect("write");
        let check = super::super::check_register(tmp.path(), today(), false).expect("checks");
        assert_eq!(
            live.checked.as_ref().expect("checked").diagnostics,
            check.diagnostics
        );
    }

    #[test]
    fn a_broken_file_keeps_its_last_good_reading_for_the_others() {
        let tmp = register();
        let mut live = Live::open(tmp.path(), today(), true);
        let before: Vec<_> = live
            .findings()
            .into_iter()
            .filter(|(p, _)| p != "systems/ticket-triage.yaml")
            .collect();
        let text =
            std::fs::read_to_string(tmp.path().join("systems/ticket-triage.yaml")).expect("read");
        live.set_buffer("systems/ticket-triage.yaml", format!("{text}\n  : [oops\n"));
        assert!(live.is_stale("systems/ticket-triage.yaml"));
        assert_eq!(
            codes(&live, "systems/ticket-triage.yaml"),
            [Code::YamlSyntax]
        );
        let after: Vec<_> = live
            .findings()
            .into_iter()
            .filter(|(p, _)| p != "systems/ticket-triage.yaml")
            .collect();
        assert_eq!(before, after, "no other file lights up");
        // Fixed again: read as it is.
        live.set_buffer("systems/ticket-triage.yaml", text);
        assert!(!live.is_stale("systems/ticket-triage.yaml"));
        assert!(codes(&live, "systems/ticket-triage.yaml").is_empty());
    }

    #[test]
    fn git_facts_are_computed_on_open_and_when_head_moves_never_on_a_keystroke() {
        let tmp = register();
        let git = |args: &[&str]| {
            let out = std::process::Command::new("git")
                .args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
                .args(args)
                .current_dir(tmp.path())
                .output()
                .expect("git runs");
            assert!(out.status.success(), "git {args:?}: {out:?}");
        };
        git(&["init", "-q"]);
        git(&["add", "."]);
        git(&["commit", "-q", "-m", "register"]);
        let mut live = Live::open(tmp.path(), today(), false);
        assert_eq!(live.git_passes, 1);
        let text = std::fs::read_to_string(tmp.path().join("risks/R-001.yaml")).expect("read");
        for n in 0..3 {
            live.set_buffer("risks/R-001.yaml", format!("{text}# {n}\n"));
        }
        assert_eq!(live.git_passes, 1, "no pass over history on a keystroke");
        live.disk_changed(&["risks/R-001.yaml".to_string()]);
        assert_eq!(live.git_passes, 1, "the same HEAD and watches: kept");
        std::fs::write(
            tmp.path().join("risks/R-001.yaml"),
            format!("{text}# saved\n"),
        )
        .expect("write");
        git(&["commit", "-q", "-am", "an edit"]);
        live.disk_changed(&["risks/R-001.yaml".to_string()]);
        assert_eq!(live.git_passes, 2, "HEAD moved");
    }

    #[test]
    fn buffers_over_the_limit_and_new_files_and_closing() {
        let tmp = register();
        let mut live = Live::open(tmp.path(), today(), true);
        let huge = "#".repeat(MAX_FILE_BYTES as usize + 1);
        live.set_buffer("risks/R-002.yaml", huge);
        assert_eq!(codes(&live, "risks/R-002.yaml"), [Code::FileUnreadable]);
        live.close_buffer("risks/R-002.yaml");
        assert!(codes(&live, "risks/R-002.yaml").is_empty());
        // An unsaved new file is part of the register while it is open.
        live.set_buffer("risks/R-100.yaml", "id: R-100\n".into());
        assert!(codes(&live, "risks/R-100.yaml").contains(&Code::MissingField));
        assert_eq!(live.text_of("risks/R-100.yaml"), Some("id: R-100\n"));
        live.close_buffer("risks/R-100.yaml");
        assert!(!live.findings().contains_key("risks/R-100.yaml"));
        // Paths outside the register or of no kind are not the register's.
        assert_eq!(live.relative(&tmp.path().join("../etc/passwd")), None);
        assert_eq!(live.relative(Path::new("/etc/passwd")), None);
        assert_eq!(live.relative(&tmp.path().join("notes.txt")), None);
        assert_eq!(
            live.relative(&tmp.path().join("risks/R-001.yaml"))
                .as_deref(),
            Some("risks/R-001.yaml")
        );
    }
}
