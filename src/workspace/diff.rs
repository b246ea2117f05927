//! The semantic change of the register between two revisions, or a revision and the working
//! tree (`airisk diff [BASE] [HEAD]`). Default BASE: the merge-base of HEAD and the default
//! branch (`origin/HEAD`, else `main`, `master`, `origin/main`, `origin/master`); default
//! HEAD: what the workspace reads (the working tree, or the `--at` revision). Both sides are
//! loaded and checked (git rules included, each over its own history — one first-parent
//! line read once, the older side's a suffix of the newer side's when it is on it), then compared
//! (`changes::RegisterDiff`): entities, score and level moves, SoA decisions, people and
//! roles, `airisk.toml` setting by setting, a root `waivers.yaml`, the files under
//! `templates/`, the infosec register, and findings introduced and fixed.

use super::{GitSource, Outcome, Workspace, check_tree_git};
use crate::changes::RegisterDiff;
use crate::changes::register::{Extras, Side as DiffSide};
use crate::git::Rev;
use crate::load::{self, Loaded, Tree};
use crate::report::DocControl;
use crate::report::diff::{Compared, Side};
use anyhow::{Context, Result, bail};

/// Two registers compared, and the files whose git rules could not be checked on either side
/// (their history is cut off by a shallow clone), for the front end to note.
pub struct Comparison {
    pub compared: Compared,
    /// The document control of the newer side's register.
    pub control: DocControl,
    pub incomplete: Vec<String>,
}

fn side(rev: Option<&Rev>, what: &str) -> Side {
    match rev {
        Some(r) => Side {
            short: r.short(),
            what: what.to_string(),
            commit: Some(r.id()),
        },
        None => Side {
            short: "working tree".into(),
            what: what.to_string(),
            commit: None,
        },
    }
}

/// Compares the register at `base` (default: the merge-base with the default branch) with
/// the one at `head` (default: what `ws` reads).
pub fn compare(ws: &Workspace, base: Option<&str>, head: Option<&str>) -> Result<Comparison> {
    let git = ws.require_git("`airisk diff`")?;
    let repo = &git.repo;
    // The newer side: a named revision, else what the workspace reads (the working tree
    // over HEAD, or the `--at` revision).
    let named_head = match head {
        Some(spec) => Some(repo.resolve(spec)?),
        None => None,
    };
    let (base, base_what) = match base {
        Some(spec) => (repo.resolve(spec)?, spec.to_string()),
        None => {
            let (name, branch) = repo.default_branch()?;
            let head = named_head.as_ref().unwrap_or(&git.rev);
            let base = repo.merge_base(head, &branch)?;
            (base, format!("merge-base of {} and {name}", head.spec))
        }
    };
    // The register's folder at a side: where it is now, else where the walk down the newer
    // side's first-parent line finds it (the folder was moved since).
    let line = named_head.as_ref().unwrap_or(&git.rev);
    // Both sides' git rules are filters of one first-parent line: read the newer side's down
    // to the older side first, so that the older side's is a suffix of it (docs/git.md "The
    // history cache"). Only a saving: when it cannot be read, each side reads its own.
    let _ = repo.read_line_to(line, &git.prefix, &base);
    let at = |rev: &Rev| -> Result<(Box<dyn Tree>, GitSource)> {
        let mut tree = repo.tree(rev, &git.prefix)?;
        let mut source = git.at(rev);
        if !tree.is_file(load::CONFIG_FILE)
            && let Some(Some(prefix)) = repo
                .folders_at(line, &git.prefix, std::slice::from_ref(rev))?
                .pop()
            && prefix != git.prefix
        {
            tree = repo.tree(rev, &prefix)?;
            source.prefix = prefix;
        }
        if !tree.is_file(load::CONFIG_FILE) {
            bail!(
                "there is no register (no {}) in `{}` at revision `{}`",
                load::CONFIG_FILE,
                if git.prefix.is_empty() {
                    "."
                } else {
                    &git.prefix
                },
                rev.spec
            );
        }
        Ok((Box::new(tree), source))
    };
    let check = |tree: &dyn Tree, g: &GitSource| -> Result<Outcome> {
        check_tree_git(tree, &ws.root, ws.today, false, Some(g))
            .with_context(|| format!("cannot read the register at `{}`", g.rev.spec))
    };
    let (base_tree, base_git) = at(&base)?;
    let before = check(base_tree.as_ref(), &base_git)?;
    let before_extras = read_extras(base_tree.as_ref(), &before.loaded);
    let (after, after_extras, head_side) = match &named_head {
        Some(rev) => {
            let (t, g) = at(rev)?;
            let after = check(t.as_ref(), &g)?;
            let extras = read_extras(t.as_ref(), &after.loaded);
            (after, extras, side(Some(rev), &rev.spec))
        }
        None => {
            let label = if git.rev.worktree {
                side(None, "")
            } else {
                side(Some(&git.rev), &git.rev.spec)
            };
            let tree = ws.tree.as_ref();
            let after = check(tree, git).map_err(|e| e.context("cannot read the register"))?;
            let extras = read_extras(tree, &after.loaded);
            (after, extras, label)
        }
    };
    let mut incomplete = before.git_incomplete.clone();
    incomplete.extend(after.git_incomplete.iter().cloned());
    incomplete.sort();
    incomplete.dedup();
    let diff = RegisterDiff::between(
        &DiffSide {
            loaded: &before.loaded,
            diagnostics: &before.diagnostics,
            extras: &before_extras,
        },
        &DiffSide {
            loaded: &after.loaded,
            diagnostics: &after.diagnostics,
            extras: &after_extras,
        },
    );
    let threshold = after.loaded.register.config.criteria.acceptance_threshold;
    Ok(Comparison {
        control: DocControl::new(&after.loaded.register, ws.today),
        compared: Compared {
            base: side(Some(&base), &base_what),
            head: head_side,
            diff,
            threshold,
        },
        incomplete,
    })
}

/// What `diff` compares besides the register's entities: its templates (as the loader read
/// them) and a root `waivers.yaml` (or `.yml`), read under the loader's rules; one that is
/// refused (a link out, a FIFO, over the size limit) or not UTF-8 is kept as unreadable
/// rather than compared, so it still shows as a change.
pub fn read_extras(tree: &dyn Tree, loaded: &Loaded) -> Extras {
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
    Extras {
        templates: loaded.templates.clone(),
        waivers,
    }
}
