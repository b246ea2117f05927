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
use std::collections::HashMap;
use std::sync::Mutex;

pub struct RevTree {
    /// gix's repository handle is not `Sync`: each concurrent reader takes a handle from
    /// this pool (a clone of the first, sharing its object database) and puts it back, so
    /// the loader reads and decompresses blobs on every core.
    repos: Mutex<Vec<gix::Repository>>,
    /// The handle the pool is cloned from.
    origin: Mutex<gix::Repository>,
    /// The commit's root tree.
    root: ObjectId,
    /// The register folder inside the repository (`""` at its root).
    prefix: String,
    rev: Rev,
    /// The blobs of the files [`Tree::list`] returned, by the path it gave: reading a listed
    /// file needs no walk down the trees again.
    listed: Mutex<HashMap<String, ObjectId>>,
}

impl RevTree {
    pub(super) fn new(repo: &gix::Repository, rev: &Rev, prefix: &str) -> Result<RevTree> {
        let root = objects::load_commit(repo, rev.id)?.tree;
        Ok(RevTree {
            repos: Mutex::new(vec![repo.clone()]),
            origin: Mutex::new(repo.clone()),
            root,
            prefix: prefix.to_string(),
            rev: rev.clone(),
            listed: Mutex::new(HashMap::new()),
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

    /// Runs `f` with a repository handle of this thread's own.
    fn with_repo<T>(&self, f: impl FnOnce(&gix::Repository) -> T) -> std::io::Result<T> {
        let poisoned = || std::io::Error::other("the repository handle is poisoned");
        let taken = self.repos.lock().map_err(|_| poisoned())?.pop();
        let repo = match taken {
            Some(r) => r,
            None => self.origin.lock().map_err(|_| poisoned())?.clone(),
        };
        let out = f(&repo);
        self.repos.lock().map_err(|_| poisoned())?.push(repo);
        Ok(out)
    }

    fn lookup(&self, rel: &str) -> Option<(ObjectId, Mode)> {
        let path = normalize(&join(&self.prefix, rel))?;
        self.with_repo(|repo| objects::entry_at(repo, self.root, &path).ok().flatten())
            .ok()
            .flatten()
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
        let listed = self.listed.lock().ok().and_then(|l| l.get(rel).copied());
        let id = match listed {
            Some(id) => id,
            None => match self.lookup(rel) {
                Some((id, Mode::File)) => id,
                _ => return Err(not_found()),
            },
        };
        self.with_repo(|repo| objects::blob(repo, id))?
            .map_err(|e| std::io::Error::other(format!("{e:#}")))
    }

    fn list(&self, dir: &str, recursive: bool) -> Result<Vec<String>> {
        let Some((id, Mode::Tree)) = self.lookup(dir) else {
            return Ok(Vec::new());
        };
        let base = normalize(dir).unwrap_or_default();
        let files = self.with_repo(|repo| -> Result<Vec<(String, ObjectId)>> {
            let mut files = Vec::new();
            if recursive {
                objects::files(repo, id, &base, &mut files)?;
            } else {
                for (name, mode, blob) in objects::entries(repo, id)? {
                    if mode == Mode::File {
                        files.push((join(&base, &name), blob));
                    }
                }
            }
            Ok(files)
        })??;
        if let Ok(mut listed) = self.listed.lock() {
            listed.extend(files.iter().cloned());
        }
        Ok(files.into_iter().map(|(p, _)| p).collect())
    }

    fn exists(&self, rel: &str) -> bool {
        stays_inside(rel) && matches!(self.lookup(rel), Some((_, Mode::File | Mode::Tree)))
    }

    fn is_file(&self, rel: &str) -> bool {
        stays_inside(rel) && matches!(self.lookup(rel), Some((_, Mode::File)))
    }
}
