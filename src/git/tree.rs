//! [`RevTree`]: the register as it was at a revision, for `--at REV`. Implements the loader's
//! [`Tree`]: paths are relative to the register folder inside the commit's tree; `..` may
//! climb out of the register (an infosec register beside it) but never out of the
//! repository. Links and submodules are never followed.

use super::objects::{self, Mode};
use super::{Rev, join, normalize};
use crate::load::Tree;
use crate::load::tree::stays_inside;
use anyhow::Result;
use gix::ObjectId;
use std::sync::Mutex;

pub struct RevTree {
    /// gix's repository handle is not `Sync`; reads are serialised (they are few and small).
    repo: Mutex<gix::Repository>,
    /// The commit's root tree.
    root: ObjectId,
    /// The register folder inside the repository (`""` at its root).
    prefix: String,
    rev: Rev,
}

impl RevTree {
    pub(super) fn new(repo: &gix::Repository, rev: &Rev, prefix: &str) -> Result<RevTree> {
        let root = objects::load_commit(repo, rev.id)?.tree;
        Ok(RevTree {
            repo: Mutex::new(repo.clone()),
            root,
            prefix: prefix.to_string(),
            rev: rev.clone(),
        })
    }

    /// The revision this tree is read from.
    pub fn rev(&self) -> &Rev {
        &self.rev
    }

    /// The register folder inside the repository.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    fn lookup(&self, rel: &str) -> Option<(ObjectId, Mode)> {
        let path = normalize(&join(&self.prefix, rel))?;
        let repo = self.repo.lock().ok()?;
        objects::entry_at(&repo, self.root, &path).ok().flatten()
    }
}

impl Tree for RevTree {
    fn describe(&self) -> String {
        format!("revision `{}` ({})", self.rev.spec, self.rev.short())
    }

    fn read(&self, rel: &str) -> std::io::Result<Vec<u8>> {
        let not_found = || {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("`{rel}` does not exist in {}", self.describe()),
            )
        };
        let Some((id, Mode::File)) = self.lookup(rel) else {
            return Err(not_found());
        };
        let repo = self
            .repo
            .lock()
            .map_err(|_| std::io::Error::other("the repository handle is poisoned"))?;
        objects::blob(&repo, id).map_err(|e| std::io::Error::other(format!("{e:#}")))
    }

    fn list(&self, dir: &str, recursive: bool) -> Result<Vec<String>> {
        let Some((id, Mode::Tree)) = self.lookup(dir) else {
            return Ok(Vec::new());
        };
        let repo = self
            .repo
            .lock()
            .map_err(|_| anyhow::anyhow!("the repository handle is poisoned"))?;
        let base = normalize(dir).unwrap_or_default();
        let mut out = Vec::new();
        if recursive {
            let mut files = Vec::new();
            objects::files(&repo, id, &base, &mut files)?;
            out.extend(files.into_iter().map(|(p, _)| p));
        } else {
            for (name, mode, _) in objects::entries(&repo, id)? {
                if mode == Mode::File {
                    out.push(join(&base, &name));
                }
            }
        }
        Ok(out)
    }

    fn exists(&self, rel: &str) -> bool {
        stays_inside(rel) && matches!(self.lookup(rel), Some((_, Mode::File | Mode::Tree)))
    }

    fn is_file(&self, rel: &str) -> bool {
        stays_inside(rel) && matches!(self.lookup(rel), Some((_, Mode::File)))
    }
}
