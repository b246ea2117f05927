//! Uncommitted work in the register folder (`git status` limited to it): files staged but not
//! committed, modified, deleted, or untracked and not ignored. Any of them makes a rendered
//! document a DRAFT.

use anyhow::{Result, anyhow};
use std::collections::BTreeSet;

/// Register-relative paths with uncommitted or untracked changes, sorted.
pub fn uncommitted(repo: &gix::Repository, prefix: &str) -> Result<Vec<String>> {
    let patterns: Vec<gix::bstr::BString> = if prefix.is_empty() {
        Vec::new()
    } else {
        vec![format!(":(top){prefix}/").into()]
    };
    let iter = repo
        .status(gix::progress::Discard)
        .map_err(|e| anyhow!("cannot read the status of the working tree: {e}"))?
        .untracked_files(gix::status::UntrackedFiles::Files)
        .index_worktree_submodules(None)
        .into_iter(patterns)
        .map_err(|e| anyhow!("cannot read the status of the working tree: {e}"))?;
    let mut out = BTreeSet::new();
    let lead = if prefix.is_empty() {
        String::new()
    } else {
        format!("{prefix}/")
    };
    for item in iter {
        let item = item.map_err(|e| anyhow!("cannot read the status of the working tree: {e}"))?;
        if let gix::status::Item::IndexWorktree(
            gix::status::index_worktree::Item::DirectoryContents { entry, .. },
        ) = &item
            && entry.status != gix::dir::entry::Status::Untracked
        {
            continue;
        }
        let location = item.location().to_string();
        if let Some(rel) = location.strip_prefix(&lead) {
            out.insert(rel.to_string());
        }
    }
    Ok(out.into_iter().collect())
}
