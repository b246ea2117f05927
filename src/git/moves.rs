//! A register folder moved within its repository (`git mv compliance/ai-register governance`)
//! keeps its history: every walk (provenance, document control, the git rules, `history`,
//! the report's trend, `diff`'s older side) follows the register across the move, as
//! `git log --follow` follows a file, but for the folder.
//!
//! A commit moved the register when the register's `airisk.toml` is at `prefix` in the commit
//! and not in its first parent, and the parent has a register (a folder holding
//! `airisk.toml`) that the commit no longer has there. The old folder is looked for only
//! where the two trees differ, never inside a register, at most [`MAX_DEPTH`] folders deep
//! and over at most [`MAX_TREES`] folders; when several old registers vanished in the same
//! commit, the one whose folder is identical (a pure move), else whose `airisk.toml` is
//! identical, else the only one, is followed; otherwise none (the register starts at that
//! commit, as without this module).

use super::objects::{self, Mode};
use super::{Rev, join};
use crate::load::CONFIG_FILE;
use anyhow::Result;
use gix::ObjectId;
use std::collections::HashMap;

/// How deep below the repository root an old register folder is looked for.
pub const MAX_DEPTH: usize = 12;
/// How many folders one search reads at most (a commit that rewrote a huge tree).
pub const MAX_TREES: usize = 4096;

/// Where the register at `prefix` in a commit (root tree `cur`) was in its first parent (root
/// tree `parent`), when the commit moved it; `None` when it did not (same folder, or the
/// register is created by the commit).
pub fn moved_from(
    repo: &gix::Repository,
    cur: ObjectId,
    parent: ObjectId,
    prefix: &str,
) -> Result<Option<String>> {
    let config = join(prefix, CONFIG_FILE);
    let Some(blob) = objects::file_at(repo, cur, &config)? else {
        return Ok(None);
    };
    if objects::file_at(repo, parent, &config)?.is_some() {
        return Ok(None);
    }
    let here = objects::subtree(repo, cur, prefix)?;
    let mut found = Vec::new();
    let mut budget = MAX_TREES;
    search(
        repo,
        parent,
        Some(cur),
        "",
        MAX_DEPTH,
        &mut budget,
        &mut found,
    )?;
    let pick = found
        .iter()
        .find(|c| Some(c.tree) == here)
        .or_else(|| found.iter().find(|c| c.config == blob))
        .or_else(|| (found.len() == 1).then(|| &found[0]));
    Ok(pick.map(|c| c.path.clone()))
}

/// An old register folder that vanished in the commit.
struct Candidate {
    path: String,
    tree: ObjectId,
    config: ObjectId,
}

/// Registers in the parent's folder `old` (at `path`) that the commit's folder `new` (the
/// same path; `None`: absent) no longer has.
fn search(
    repo: &gix::Repository,
    old: ObjectId,
    new: Option<ObjectId>,
    path: &str,
    depth: usize,
    budget: &mut usize,
    out: &mut Vec<Candidate>,
) -> Result<()> {
    if Some(old) == new || *budget == 0 {
        return Ok(());
    }
    *budget -= 1;
    if let Some(config) = objects::file_at(repo, old, CONFIG_FILE)? {
        let still = match new {
            Some(t) => objects::file_at(repo, t, CONFIG_FILE)?.is_some(),
            None => false,
        };
        if !still {
            out.push(Candidate {
                path: path.to_string(),
                tree: old,
                config,
            });
        }
        // Never inside a register: a register holds no other.
        return Ok(());
    }
    if depth == 0 {
        return Ok(());
    }
    let theirs: HashMap<String, ObjectId> = match new {
        Some(t) => objects::entries(repo, t)?
            .into_iter()
            .filter(|(_, m, _)| *m == Mode::Tree)
            .map(|(n, _, id)| (n, id))
            .collect(),
        None => HashMap::new(),
    };
    for (name, mode, id) in objects::entries(repo, old)? {
        if mode != Mode::Tree {
            continue;
        }
        let sub = join(path, &name);
        search(
            repo,
            id,
            theirs.get(&name).copied(),
            &sub,
            depth - 1,
            budget,
            out,
        )?;
    }
    Ok(())
}

/// The register's folder in each of `targets`, following moves down `rev`'s first-parent
/// line from `prefix` (its folder in `rev`); `None` for a target that is not on the line.
/// The walk stops at the last target it meets.
pub fn follow(
    repo: &gix::Repository,
    rev: &Rev,
    prefix: &str,
    targets: &[ObjectId],
    shallow: &[ObjectId],
) -> Result<Vec<Option<String>>> {
    let mut out: Vec<Option<String>> = vec![None; targets.len()];
    let mut left = targets.len();
    let mut prefix = prefix.to_string();
    let mut id = rev.id;
    let mut cur = objects::load_commit(repo, id)?;
    while left > 0 {
        for (i, t) in targets.iter().enumerate() {
            if *t == id && out[i].is_none() {
                out[i] = Some(prefix.clone());
                left -= 1;
            }
        }
        if left == 0 || shallow.binary_search(&id).is_ok() {
            break;
        }
        let Some(pid) = cur.parents.first().copied() else {
            break;
        };
        let parent = objects::load_commit(repo, pid)?;
        if objects::subtree(repo, cur.tree, &prefix)?
            != objects::subtree(repo, parent.tree, &prefix)?
            && let Some(old) = moved_from(repo, cur.tree, parent.tree, &prefix)?
        {
            prefix = old;
        }
        id = pid;
        cur = parent;
    }
    Ok(out)
}
