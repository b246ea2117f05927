//! [`RevTree`]: the register as it was at a revision, for `--at REV`. Implements the loader's
//! [`Tree`] under the same confinement as the working tree (load/tree.rs): paths are
//! relative to the register folder inside the commit's tree; only the infosec register
//! ([`Tree::read_beside`]) may climb out of the register, and never out of the repository.
//! Links and submodules are never followed (git stores a link's target, not a file), and are
//! returned as refused by a listing; every blob's size is checked on its header before it is
//! decompressed.

use super::objects::{self, Blob, Mode, Reach};
use super::{Rev, join, normalize};
use crate::load::Tree;
use crate::load::tree::{Listed, MAX_DEPTH, MAX_FILE_BYTES, Unreadable, stays_inside};
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

    /// The blob id of a file a listing ([`Tree::list`]) returned, by the path it gave: two
    /// files with the same id have the same bytes (the governance report's trend reuses the
    /// reading of a file it already has by this id, workspace/report.rs).
    pub fn listed_blob(&self, rel: &str) -> Option<ObjectId> {
        self.listed.lock().ok()?.get(rel).copied()
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

    /// Where a repository-relative path leads.
    fn reach(&self, path: &str) -> Result<Reach, Unreadable> {
        self.with_repo(|repo| objects::reach(repo, self.root, path))
            .map_err(Unreadable::Io)?
            .map_err(|e| Unreadable::Io(std::io::Error::other(format!("{e:#}"))))
    }

    /// The blob at a repository-relative path, under the rules of load/tree.rs.
    fn read_path(&self, path: &str) -> Result<Vec<u8>, Unreadable> {
        if path.split('/').any(|p| p.eq_ignore_ascii_case(".git")) {
            return Err(Unreadable::GitDir);
        }
        let id = match self.reach(path)? {
            Reach::Found(id, Mode::File) => id,
            Reach::Found(_, Mode::Tree) => return Err(Unreadable::Folder),
            Reach::Found(_, Mode::Link) | Reach::Through(Mode::Link) => {
                return Err(Unreadable::Link);
            }
            Reach::Found(_, Mode::Submodule) | Reach::Through(Mode::Submodule) => {
                return Err(Unreadable::Submodule);
            }
            Reach::Missing | Reach::Through(_) => return Err(Unreadable::Missing),
        };
        self.read_blob(id)
    }

    fn read_blob(&self, id: ObjectId) -> Result<Vec<u8>, Unreadable> {
        match self.with_repo(|repo| objects::blob(repo, id, MAX_FILE_BYTES)) {
            Ok(Ok(Blob::Bytes(b))) => Ok(b),
            Ok(Ok(Blob::TooBig(n))) => Err(Unreadable::TooBig(n)),
            Ok(Err(e)) => Err(Unreadable::Io(std::io::Error::other(format!("{e:#}")))),
            Err(e) => Err(Unreadable::Io(e)),
        }
    }
}

impl Tree for RevTree {
    fn describe(&self) -> String {
        format!("revision `{}` ({})", self.rev.spec, self.rev.short())
    }

    fn read(&self, rel: &str) -> Result<Vec<u8>, Unreadable> {
        if !stays_inside(rel) {
            return Err(Unreadable::Outside { of: "the register" });
        }
        let listed = self.listed.lock().ok().and_then(|l| l.get(rel).copied());
        if let Some(id) = listed {
            return self.read_blob(id);
        }
        let path = normalize(&join(&self.prefix, rel))
            .ok_or(Unreadable::Outside { of: "the register" })?;
        self.read_path(&path)
    }

    fn read_beside(&self, rel: &str) -> Result<Vec<u8>, Unreadable> {
        let path = normalize(&join(&self.prefix, rel)).ok_or(Unreadable::Outside {
            of: "the register and the git repository holding it",
        })?;
        self.read_path(&path)
    }

    fn list(&self, dir: &str, recursive: bool) -> Vec<Listed> {
        let Some(base) = normalize(dir).filter(|_| stays_inside(dir)) else {
            return Vec::new();
        };
        let full = join(&self.prefix, &base);
        let id = match self.reach(&full) {
            Ok(Reach::Found(id, Mode::Tree)) => id,
            Ok(Reach::Missing) | Ok(Reach::Through(Mode::File | Mode::Tree)) => {
                return Vec::new();
            }
            Ok(Reach::Found(_, Mode::File)) => {
                return vec![Listed::refused(base, Unreadable::NotFolder)];
            }
            Ok(Reach::Found(_, Mode::Link) | Reach::Through(Mode::Link)) => {
                return vec![Listed::refused(base, Unreadable::Link)];
            }
            Ok(Reach::Found(_, Mode::Submodule) | Reach::Through(Mode::Submodule)) => {
                return vec![Listed::refused(base, Unreadable::Submodule)];
            }
            Err(e) => return vec![Listed::refused(base, e)],
        };
        let depth = if recursive { MAX_DEPTH } else { 1 };
        let found = self.with_repo(|repo| {
            let mut out = Vec::new();
            objects::listing(repo, id, &base, depth, &mut out).map(|()| out)
        });
        let entries = match found {
            Ok(Ok(entries)) => entries,
            Ok(Err(e)) => {
                let e = std::io::Error::other(format!("{e:#}"));
                return vec![Listed::refused(base, Unreadable::Io(e))];
            }
            Err(e) => return vec![Listed::refused(base, Unreadable::Io(e))],
        };
        let mut out = Vec::new();
        let mut files = Vec::new();
        for (path, mode, blob, last) in entries {
            match mode {
                Mode::File => {
                    files.push((path.clone(), blob));
                    out.push(Listed::file(path));
                }
                Mode::Tree if recursive && last => {
                    out.push(Listed::refused(path, Unreadable::TooDeep));
                }
                // Every folder is returned, as the working tree's listing does.
                Mode::Tree => out.push(Listed::refused(path, Unreadable::Folder)),
                Mode::Link => out.push(Listed::refused(path, Unreadable::Link)),
                Mode::Submodule => out.push(Listed::refused(path, Unreadable::Submodule)),
            }
        }
        if let Ok(mut listed) = self.listed.lock() {
            listed.extend(files);
        }
        out
    }

    fn present(&self, rel: &str) -> bool {
        stays_inside(rel) && self.lookup(rel).is_some()
    }

    fn exists(&self, rel: &str) -> bool {
        stays_inside(rel) && matches!(self.lookup(rel), Some((_, Mode::File | Mode::Tree)))
    }

    fn is_file(&self, rel: &str) -> bool {
        stays_inside(rel) && matches!(self.lookup(rel), Some((_, Mode::File)))
    }
}
