//! Where a register's files come from: the working tree here, or a git revision (the git
//! module implements [`Tree`] over a commit's tree for `--at REV`). The loader and the one
//! rule that asks about paths (`evidence-not-found`) see only this trait.

use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

pub trait Tree: Sync {
    /// What the files are read from, for messages: a folder, or a revision.
    fn describe(&self) -> String;
    /// The bytes of a file by its path relative to the register root (`/`-separated; `..`
    /// may climb out of the register, e.g. to an infosec register beside it).
    fn read(&self, rel: &str) -> std::io::Result<Vec<u8>>;
    /// The files in `dir` (and below, when `recursive`), as paths relative to the register
    /// root. Never follows a link out of the register. Order does not matter.
    fn list(&self, dir: &str, recursive: bool) -> Result<Vec<String>>;
    /// Whether `rel` is a file or folder inside the register.
    fn exists(&self, rel: &str) -> bool;
    fn is_file(&self, rel: &str) -> bool;
}

/// The register as it is on disk.
pub struct WorkTree {
    pub root: PathBuf,
    canonical_root: Option<PathBuf>,
}

impl WorkTree {
    pub fn new(root: &Path) -> Self {
        WorkTree {
            root: root.to_path_buf(),
            canonical_root: root.canonicalize().ok(),
        }
    }

    /// Whether an existing path resolves (through links) inside the register.
    fn resolves_inside(&self, path: &Path) -> bool {
        match (path.canonicalize(), &self.canonical_root) {
            (Ok(p), Some(root)) => p.starts_with(root),
            _ => false,
        }
    }
}

/// Whether a relative path stays inside its base folder, read lexically.
pub fn stays_inside(rel: &str) -> bool {
    let mut depth = 0i32;
    for c in Path::new(rel).components() {
        match c {
            Component::Prefix(_) | Component::RootDir => return false,
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
        }
        if depth < 0 {
            return false;
        }
    }
    true
}

impl Tree for WorkTree {
    fn describe(&self) -> String {
        format!("`{}`", self.root.display())
    }

    fn read(&self, rel: &str) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.root.join(rel))
    }

    fn list(&self, dir: &str, recursive: bool) -> Result<Vec<String>> {
        let base = self.root.join(dir);
        if !base.is_dir() {
            return Ok(Vec::new());
        }
        let walker = walkdir::WalkDir::new(&base)
            .follow_links(false)
            .max_depth(if recursive { 64 } else { 1 });
        let mut out = Vec::new();
        for entry in walker {
            let entry = entry.with_context(|| format!("cannot read folder `{dir}`"))?;
            let ft = entry.file_type();
            let is_file = if ft.is_symlink() {
                // A link counts only when it points at a file inside the register.
                self.resolves_inside(entry.path()) && entry.path().is_file()
            } else {
                ft.is_file()
            };
            if !is_file {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(&self.root)
                .unwrap_or(entry.path())
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push(rel);
        }
        Ok(out)
    }

    fn exists(&self, rel: &str) -> bool {
        let path = self.root.join(rel);
        stays_inside(rel) && path.exists() && self.resolves_inside(&path)
    }

    fn is_file(&self, rel: &str) -> bool {
        self.exists(rel) && self.root.join(rel).is_file()
    }
}

/// A register held in memory: register-relative paths to bytes. For generated inputs (tests,
/// fuzzing); a folder exists when a file lies under it.
#[derive(Clone, Debug, Default)]
pub struct MemTree(pub BTreeMap<String, Vec<u8>>);

impl Tree for MemTree {
    fn describe(&self) -> String {
        "memory".into()
    }

    fn read(&self, rel: &str) -> std::io::Result<Vec<u8>> {
        self.0
            .get(rel)
            .cloned()
            .ok_or_else(|| std::io::ErrorKind::NotFound.into())
    }

    fn list(&self, dir: &str, recursive: bool) -> Result<Vec<String>> {
        let prefix = format!("{dir}/");
        Ok(self
            .0
            .keys()
            .filter(|k| k.starts_with(&prefix) && (recursive || !k[prefix.len()..].contains('/')))
            .cloned()
            .collect())
    }

    fn exists(&self, rel: &str) -> bool {
        let folder = format!("{rel}/");
        self.0.contains_key(rel) || self.0.keys().any(|k| k.starts_with(&folder))
    }

    fn is_file(&self, rel: &str) -> bool {
        self.0.contains_key(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_must_stay_inside() {
        assert!(stays_inside("evidence/a.md"));
        assert!(stays_inside("evidence/../policies/a.md"));
        assert!(!stays_inside("../a.md"));
        assert!(!stays_inside("evidence/../../a.md"));
        assert!(!stays_inside("/etc/hostname"));
    }
}
