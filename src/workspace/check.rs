//! A register checked: loaded, every rule run (the git rules too, over the history of the
//! commit the tree belongs to, when there is one), and the findings levelled by `[rules]`
//! and sorted ([`Outcome`]). What `check` prints and `diff` compares.
//!
//! For the CI formats (github, sarif, gitlab) paths must be relative to the repository root,
//! which may be above the register: [`repository_prefix`] finds it by walking up from the
//! register to the folder holding `.git` (no git library: a path question only).

use super::GitSource;
use crate::diag::{self, Baseline, Diagnostic, Severity};
use crate::load::{self, Loaded, Tree, WorkTree};
use crate::model::Date;
use anyhow::Result;
use std::collections::HashMap;
use std::path::{Component, Path};

/// A checked register: what was read and every finding, levelled and sorted.
pub struct Outcome {
    pub loaded: Loaded,
    pub diagnostics: Vec<Diagnostic>,
    /// The findings `waivers.yaml` waives, each with its waiver: shown, never counted.
    pub waived: Vec<Diagnostic>,
    /// Files the git rules could not be checked for: their history is cut off by a shallow
    /// clone before the day that matters.
    pub git_incomplete: Vec<String>,
}

impl Outcome {
    /// Whether a finding fails the run: an error, and with a baseline a new one.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error && d.baseline != Some(Baseline::Unchanged))
    }

    /// Compares the findings with those of `base`, the register at the baseline revision
    /// (`None`: it had none), setting each finding's [`Baseline`]: `Unchanged` when the
    /// baseline has a finding of the same code, subject and field (not line: lines move with
    /// every edit), else `New`. Each finding of the baseline matches once; among those of one
    /// code, subject and field, one with the same message is matched first (so that of two
    /// findings at one place, the one that is new is the one called new). The baseline's
    /// waived findings count: a finding that was waived there is not new. Returns how many
    /// findings of the baseline are gone (fixed).
    ///
    /// A file that could not be read (`yaml-syntax`, `file-unreadable`) is existing only
    /// while its text is the baseline's: what it would define stands in for references to
    /// it (`unknown-reference`), so a pull request that edits a file already broken on the
    /// base branch (to declare another id, say) is held to the file's finding again.
    pub fn compare_with_baseline(&mut self, base: Option<&Outcome>) -> usize {
        type Key<'a> = (diag::Code, Option<&'a str>, Option<&'a str>);
        let unread =
            |c: diag::Code| matches!(c, diag::Code::YamlSyntax | diag::Code::FileUnreadable);
        let base_texts: HashMap<&str, &str> = base
            .filter(|_| self.diagnostics.iter().any(|d| unread(d.code)))
            .map(|b| {
                (0..b.loaded.sources.len())
                    .map(|i| b.loaded.sources.get(crate::source::FileId(i as u32)))
                    .map(|f| (f.path.as_str(), f.text.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        let sources = &self.loaded.sources;
        let same_file = |d: &Diagnostic| {
            let f = sources.get(d.primary.span.file);
            base_texts.get(f.path.as_str()) == Some(&f.text.as_str())
        };
        let mut left: HashMap<Key, Vec<(&str, bool)>> = HashMap::new();
        for d in base
            .into_iter()
            .flat_map(|b| b.diagnostics.iter().chain(&b.waived))
        {
            left.entry((d.code, d.subject.as_deref(), d.field.as_deref()))
                .or_default()
                .push((d.message.as_str(), false));
        }
        let mut state = vec![Baseline::New; self.diagnostics.len()];
        for exact in [true, false] {
            for (i, d) in self.diagnostics.iter().enumerate() {
                if state[i] == Baseline::Unchanged {
                    continue;
                }
                if unread(d.code) && !same_file(d) {
                    continue;
                }
                let key = (d.code, d.subject.as_deref(), d.field.as_deref());
                if let Some(entries) = left.get_mut(&key)
                    && let Some(e) = entries
                        .iter_mut()
                        .find(|(m, used)| !used && (!exact || *m == d.message))
                {
                    e.1 = true;
                    state[i] = Baseline::Unchanged;
                }
            }
        }
        let fixed = left.values().flatten().filter(|(_, used)| !used).count();
        for (d, s) in self.diagnostics.iter_mut().zip(state) {
            d.baseline = Some(s);
        }
        fixed
    }
}

/// Loads and checks the register in the working tree at `root` as of `today`.
pub fn check_register(root: &Path, today: Date, deny_warnings: bool) -> Result<Outcome> {
    check_tree(&WorkTree::new(root), root, today, deny_warnings)
}

/// Loads and checks the register read from `tree` as of `today`, without the git rules.
pub fn check_tree(
    tree: &dyn Tree,
    root: &Path,
    today: Date,
    deny_warnings: bool,
) -> Result<Outcome> {
    check_tree_git(tree, root, today, deny_warnings, None)
}

/// Loads and checks the register read from `tree` as of `today`; with `git`, the git rules
/// too, over the history of the commit the tree belongs to.
pub fn check_tree_git(
    tree: &dyn Tree,
    root: &Path,
    today: Date,
    deny_warnings: bool,
    git: Option<&GitSource>,
) -> Result<Outcome> {
    let mut loaded = load::load_tree(tree, root)?;
    let (found, facts) =
        crate::check::run_reading_git(&loaded.register, &loaded.sources, tree, today, || {
            git.map(|g| g.facts(&loaded)).transpose()
        })?;
    let mut diags = std::mem::take(&mut loaded.diagnostics);
    diags.extend(found);
    crate::check::subject::attribute(&loaded.register, &loaded.sources, &mut diags);
    let levelled = diag::finalize(diags, &loaded.rules, deny_warnings, &loaded.sources);
    let applied = crate::check::waivers::apply(
        &loaded.register,
        &loaded.sources,
        today,
        facts.is_some(),
        levelled,
    );
    // Again for the waivers' own findings (levels, `--deny`, order); the rest is unchanged.
    let diagnostics = diag::finalize(applied.kept, &loaded.rules, deny_warnings, &loaded.sources);
    Ok(Outcome {
        loaded,
        diagnostics,
        waived: applied.waived,
        git_incomplete: facts
            .map(|f| f.incomplete().iter().cloned().collect())
            .unwrap_or_default(),
    })
}

/// The note for a check whose git rules met a shallow clone's boundary.
pub fn incomplete_note(files: &[String]) -> Option<String> {
    let first = files.first()?;
    let more = match files.len() {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    Some(format!(
        "note: the history of this clone is truncated (a shallow clone), so `system-changed-since-review` and `acceptance-stale` could not be checked for `{}`{more}\nhelp: {}",
        crate::text::terminal_line(first),
        crate::git::FETCH_HELP
    ))
}

/// The register folder relative to the root of the git repository holding it, with `/`
/// separators and a trailing `/` (`"compliance/register/"`), or `""` when the register is the
/// repository root or is not in a repository. The root is the nearest folder at or above the
/// register that holds `.git` (a folder, or a file in a worktree or submodule).
pub fn repository_prefix(register_root: &Path) -> String {
    let root = register_root
        .canonicalize()
        .unwrap_or_else(|_| register_root.to_path_buf());
    let Some(repo) = load::tree::repository_root(&root) else {
        return String::new();
    };
    let Ok(rel) = root.strip_prefix(&repo) else {
        return String::new();
    };
    let mut prefix = String::new();
    for c in rel.components() {
        if let Component::Normal(part) = c {
            prefix.push_str(&part.to_string_lossy());
            prefix.push('/');
        }
    }
    prefix
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_is_the_register_below_the_repository_root() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let reg = tmp.path().join("compliance/ai register");
        std::fs::create_dir_all(&reg).expect("mkdir");
        if !tmp.path().ancestors().any(|d| d.join(".git").exists()) {
            assert_eq!(repository_prefix(&reg), "");
        }
        std::fs::create_dir(tmp.path().join(".git")).expect("mkdir");
        assert_eq!(repository_prefix(&reg), "compliance/ai register/");
        assert_eq!(repository_prefix(tmp.path()), "");
        // A worktree or submodule has a `.git` file.
        std::fs::write(reg.join(".git"), "gitdir: elsewhere\n").expect("write");
        assert_eq!(repository_prefix(&reg), "");
        // `..` in the given path does not leak into the prefix.
        let sub = reg.join("risks");
        std::fs::create_dir(&sub).expect("mkdir");
        std::fs::remove_file(reg.join(".git")).expect("rm");
        assert_eq!(
            repository_prefix(&sub.join("..")),
            "compliance/ai register/"
        );
    }
}
