//! Where a register's files come from, and the confinement of every read: the working tree
//! here, a git revision in the git module ([`Tree`] over a commit's tree for `--at REV`), or
//! memory (tests, fuzzing). The loader, the templates and the one rule that asks about paths
//! (`evidence-not-found`) see only this trait.
//!
//! Every implementation holds to the same rules (SPEC §7 "Confinement", docs/security.md):
//!
//! - a file of the register is read only when it is a regular file inside the register folder:
//!   never through a symbolic link that leads out of it (nor, in a revision, through any link
//!   or submodule), never a FIFO, device or socket, never a folder;
//! - the size limit ([`MAX_FILE_BYTES`]) is checked before a byte is read (on the opened
//!   file's metadata, or a blob's header), and at most one byte past it is ever read;
//! - the infosec register ([`Tree::read_beside`]) may lie beside the register, but only inside
//!   the git repository that holds it (never in its `.git` folder), under the same rules;
//! - a listing returns what it refuses ([`Listed::refused`]) as well as what it reads, so the
//!   caller reports every skipped path; a refusal ([`Unreadable`]) never carries any of the
//!   file's content.
//!
//! It must not parse, print or decide what a refusal means to the user: the loader turns
//! refusals into `file-unreadable` findings, the command layer into warnings.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::RwLock;

/// No file is read past this size (a register file, a template, `airisk.toml`, the infosec
/// register, a blob in history): a risk is a few kilobytes, and the limit keeps a stray dump,
/// a sparse file or a hostile one from costing seconds and memory.
pub const MAX_FILE_BYTES: u64 = 8 << 20;

/// Folders nested deeper than this below a listed folder are not entered (and reported).
pub const MAX_DEPTH: usize = 64;

/// Why a path was not read. Its text names the reason, never anything the file holds.
#[derive(Debug)]
pub enum Unreadable {
    /// Nothing is at the path.
    Missing,
    /// The path itself leads out of what may be read (`..`, an absolute path).
    Outside { of: &'static str },
    /// The path is inside the repository's `.git` folder.
    GitDir,
    /// A symbolic link (or a folder on the way) that leads out of what may be read.
    LinkOut { of: &'static str },
    /// A symbolic link to nothing (or a loop of links).
    Dangling,
    /// A symbolic link in a git revision: git stores the link, not the file, and links are
    /// never followed there.
    Link,
    /// A symbolic link to a folder: folders are never entered through a link.
    FolderLink,
    /// A git submodule: another repository, never read.
    Submodule,
    /// A folder where a file was expected.
    Folder,
    /// A file where a folder was expected (`risks` as a file).
    NotFolder,
    /// A FIFO, device or socket: reading one may block forever or never end.
    Special(&'static str),
    /// Larger than [`MAX_FILE_BYTES`] (its size in bytes, as far as it was read).
    TooBig(u64),
    /// A folder nested deeper than [`MAX_DEPTH`]: it is not entered.
    TooDeep,
    /// The operating system's or git's reason.
    Io(std::io::Error),
}

/// A copy says the same (the language server keeps a listing's refusals between checks);
/// an operating system error is copied as its kind and text.
impl Clone for Unreadable {
    fn clone(&self) -> Self {
        use Unreadable::*;
        match self {
            Missing => Missing,
            Outside { of } => Outside { of },
            GitDir => GitDir,
            LinkOut { of } => LinkOut { of },
            Dangling => Dangling,
            Link => Link,
            FolderLink => FolderLink,
            Submodule => Submodule,
            Folder => Folder,
            NotFolder => NotFolder,
            Special(s) => Special(s),
            TooBig(n) => TooBig(*n),
            TooDeep => TooDeep,
            Io(e) => Io(std::io::Error::new(e.kind(), e.to_string())),
        }
    }
}

impl Unreadable {
    pub fn is_missing(&self) -> bool {
        matches!(self, Unreadable::Missing)
            || matches!(self, Unreadable::Io(e) if e.kind() == std::io::ErrorKind::NotFound)
    }

    fn io(e: std::io::Error) -> Unreadable {
        if e.kind() == std::io::ErrorKind::NotFound {
            Unreadable::Missing
        } else {
            Unreadable::Io(e)
        }
    }
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unreadable::Missing => write!(f, "it does not exist"),
            Unreadable::Outside { of } => write!(f, "the path leads outside {of}"),
            Unreadable::GitDir => write!(f, "the path leads into the repository's `.git` folder"),
            Unreadable::LinkOut { of } => write!(
                f,
                "it leads outside {of} through a symbolic link, and airisk never follows one out"
            ),
            Unreadable::Dangling => write!(f, "it is a symbolic link to nothing"),
            Unreadable::Link => write!(
                f,
                "it is a symbolic link, and links are never followed in a git revision"
            ),
            Unreadable::FolderLink => write!(
                f,
                "it is a symbolic link to a folder, and airisk never enters a folder through a link"
            ),
            Unreadable::Submodule => write!(f, "it is a git submodule, which airisk never reads"),
            Unreadable::Folder => write!(f, "it is a folder, not a file"),
            Unreadable::NotFolder => write!(f, "it is not a folder"),
            Unreadable::Special(what) => write!(f, "it is {what}, not a regular file"),
            Unreadable::TooBig(n) => write!(
                f,
                "the file is {} MiB; files are read up to {} MiB",
                n >> 20,
                MAX_FILE_BYTES >> 20
            ),
            Unreadable::TooDeep => write!(
                f,
                "it is a folder {MAX_DEPTH} levels down, and airisk enters no folder that deep"
            ),
            Unreadable::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Unreadable {}

/// What a listing found at a path (relative to the register root, `/`-separated).
#[derive(Debug)]
pub struct Listed {
    pub path: String,
    /// `None`: a file to read. `Some`: why the path is not read.
    pub refused: Option<Unreadable>,
}

impl Listed {
    pub fn file(path: String) -> Listed {
        Listed {
            path,
            refused: None,
        }
    }

    pub fn refused(path: String, why: Unreadable) -> Listed {
        Listed {
            path,
            refused: Some(why),
        }
    }
}

pub trait Tree: Sync {
    /// What the files are read from, for messages: a folder, or a revision.
    fn describe(&self) -> String;
    /// The bytes of a file of the register, by its path relative to the register root
    /// (`/`-separated), under the rules of this module.
    fn read(&self, rel: &str) -> Result<Vec<u8>, Unreadable>;
    /// Like [`Tree::read`], for a file that may lie beside the register (`..` may climb out
    /// of it) inside the git repository holding it: the infosec register. Outside a
    /// repository, only the register folder.
    fn read_beside(&self, rel: &str) -> Result<Vec<u8>, Unreadable> {
        self.read(rel)
    }
    /// What is in `dir` (and below, when `recursive`): the files to read and the paths
    /// refused, relative to the register root (`""` lists the root). Every folder found is
    /// returned too, refused as [`Unreadable::Folder`] (entered when `recursive`), so that
    /// the caller sees a folder named like a file. `dir` itself is refused when it is a link
    /// or not a folder; nothing is returned when it does not exist. Order does not matter.
    fn list(&self, dir: &str, recursive: bool) -> Vec<Listed>;
    /// Whether anything (a file, a folder, a link, a FIFO) is at `rel`: a candidate that
    /// [`Tree::read`] then reads or refuses.
    fn present(&self, rel: &str) -> bool;
    /// Whether `rel` is a file or folder inside the register.
    fn exists(&self, rel: &str) -> bool;
    fn is_file(&self, rel: &str) -> bool;
}

/// Whether a relative path stays inside its base folder, read lexically.
pub fn stays_inside(rel: &str) -> bool {
    matches!(lexical(rel), Some((0, _)))
}

/// A relative path resolved lexically: how many levels it climbs above its base, and the
/// names below that. `None` for an absolute path.
fn lexical(rel: &str) -> Option<(usize, Vec<&str>)> {
    let mut ups = 0;
    let mut parts: Vec<&str> = Vec::new();
    for c in Path::new(rel).components() {
        match c {
            Component::Prefix(_) | Component::RootDir => return None,
            Component::ParentDir => {
                if parts.pop().is_none() {
                    ups += 1;
                }
            }
            Component::Normal(s) => parts.push(s.to_str()?),
            Component::CurDir => {}
        }
    }
    Some((ups, parts))
}

/// Reads an opened file: a regular one (checked on the open file's own metadata) of at most
/// `limit` bytes, checked before reading; never more than `limit + 1` bytes are read, so a
/// file that grows meanwhile is refused too.
fn read_opened(mut file: std::fs::File, limit: u64) -> Result<Vec<u8>, Unreadable> {
    let meta = file.metadata().map_err(Unreadable::io)?;
    if let Some(what) = special(&meta.file_type()) {
        return Err(Unreadable::Special(what));
    }
    if meta.is_dir() {
        return Err(Unreadable::Folder);
    }
    if meta.len() > limit {
        return Err(Unreadable::TooBig(meta.len()));
    }
    read_bounded(&mut file, limit, meta.len())
}

/// At most `limit` bytes of `r` (`hint`: the expected length); more is [`Unreadable::TooBig`].
fn read_bounded(r: &mut dyn Read, limit: u64, hint: u64) -> Result<Vec<u8>, Unreadable> {
    let mut bytes = Vec::with_capacity(usize::try_from(hint.min(limit)).unwrap_or(0));
    r.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(Unreadable::io)?;
    if bytes.len() as u64 > limit {
        return Err(Unreadable::TooBig(bytes.len() as u64));
    }
    Ok(bytes)
}

/// What a file type is when it is neither a regular file, a folder nor a link.
fn special(ft: &std::fs::FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if ft.is_char_device() {
            return Some("a character device");
        }
        if ft.is_block_device() {
            return Some("a block device");
        }
        if ft.is_socket() {
            return Some("a socket");
        }
    }
    (!ft.is_file() && !ft.is_dir() && !ft.is_symlink()).then_some("a special file")
}

/// Opens `path` for reading without following a link at its last component and without
/// blocking on a FIFO (the caller has already refused both; this closes the gap should the
/// path change in between).
fn open_plain(path: &Path) -> Result<std::fs::File, Unreadable> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    o.open(path).map_err(Unreadable::io)
}

/// Reads the file at `path` (outside any register: a command's own `-o` file) only when it
/// is a regular file, not a link, of at most `limit` bytes.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, Unreadable> {
    let meta = std::fs::symlink_metadata(path).map_err(Unreadable::io)?;
    if meta.file_type().is_symlink() {
        return Err(Unreadable::Link);
    }
    if let Some(what) = special(&meta.file_type()) {
        return Err(Unreadable::Special(what));
    }
    if meta.is_dir() {
        return Err(Unreadable::Folder);
    }
    read_opened(open_plain(path)?, limit)
}

/// The nearest folder at or above `dir` holding `.git` (a folder, or the file of a worktree
/// or submodule): the root of the repository's working tree. A question about paths only.
pub fn repository_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| std::fs::symlink_metadata(d.join(".git")).is_ok())
        .map(Path::to_path_buf)
}

/// Which files a read may reach.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Register,
    /// The register, or beside it in its repository (the infosec register).
    Repository,
}

/// The register as it is on disk.
pub struct WorkTree {
    pub root: PathBuf,
    canonical_root: Option<PathBuf>,
    /// The working tree of the repository holding the register (canonical), when there is
    /// one.
    repository: Option<PathBuf>,
    /// Folders already resolved (register-relative lexical path → real path, or why not):
    /// a listing fills it with the folders it walked, so reading the files it found costs no
    /// resolution of their folders.
    folders: RwLock<HashMap<String, Result<PathBuf, std::io::ErrorKind>>>,
}

impl WorkTree {
    pub fn new(root: &Path) -> Self {
        let canonical_root = root.canonicalize().ok();
        let repository = canonical_root.as_deref().and_then(repository_root);
        let mut folders = HashMap::new();
        if let Some(c) = &canonical_root {
            folders.insert(String::new(), Ok(c.clone()));
        }
        WorkTree {
            root: root.to_path_buf(),
            canonical_root,
            repository,
            folders: RwLock::new(folders),
        }
    }

    /// Whether an existing path resolves (through links) inside the register.
    fn resolves_inside(&self, path: &Path) -> bool {
        match (path.canonicalize(), &self.canonical_root) {
            (Ok(p), Some(root)) => p.starts_with(root),
            _ => false,
        }
    }

    fn canonical_root(&self) -> Result<&Path, Unreadable> {
        self.canonical_root.as_deref().ok_or_else(|| {
            Unreadable::Io(std::io::Error::other(format!(
                "the register folder `{}` cannot be read",
                self.root.display()
            )))
        })
    }

    /// The real path of a folder given by its lexical path relative to the register.
    fn folder(&self, rel: &str) -> Result<PathBuf, Unreadable> {
        if let Some(found) = self.folders.read().ok().and_then(|f| f.get(rel).cloned()) {
            return found.map_err(|k| Unreadable::io(k.into()));
        }
        let found = self
            .canonical_root()?
            .join(rel)
            .canonicalize()
            .map_err(|e| e.kind());
        if let Ok(mut f) = self.folders.write() {
            f.insert(rel.to_string(), found.clone());
        }
        found.map_err(|k| Unreadable::io(k.into()))
    }

    /// The folder a scope may read from, and its name for messages.
    fn scope_root(&self, scope: Scope) -> Result<(&Path, &'static str), Unreadable> {
        let register = self.canonical_root()?;
        Ok(match (scope, &self.repository) {
            (Scope::Repository, Some(repo)) => (
                repo.as_path(),
                "the register and the git repository holding it",
            ),
            _ => (register, "the register"),
        })
    }

    /// Whether a real path lies inside the repository's `.git` folder.
    fn in_git_dir(&self, real: &Path) -> bool {
        let Some(repo) = &self.repository else {
            return false;
        };
        real.strip_prefix(repo).is_ok_and(|rest| {
            rest.components()
                .any(|c| c.as_os_str().eq_ignore_ascii_case(".git"))
        })
    }

    /// The real path to open for `rel`, under `scope`'s rules.
    fn resolve(&self, rel: &str, scope: Scope) -> Result<PathBuf, Unreadable> {
        let (root, of) = self.scope_root(scope)?;
        let (ups, parts) = lexical(rel).ok_or(Unreadable::Outside { of })?;
        if ups > self.depth_below(root) {
            return Err(Unreadable::Outside { of });
        }
        let Some((name, dirs)) = parts.split_last() else {
            return Err(Unreadable::Folder);
        };
        if self.repository.is_some() && name.eq_ignore_ascii_case(".git") {
            return Err(Unreadable::GitDir);
        }
        let parent_rel = std::iter::repeat_n("..", ups)
            .chain(dirs.iter().copied())
            .collect::<Vec<_>>()
            .join("/");
        let parent = self.folder(&parent_rel)?;
        if !parent.starts_with(root) {
            // Lexically inside, really outside: a folder on the way is a link out.
            return Err(Unreadable::LinkOut { of });
        }
        if self.in_git_dir(&parent) {
            return Err(Unreadable::GitDir);
        }
        let path = parent.join(name);
        let meta = std::fs::symlink_metadata(&path).map_err(Unreadable::io)?;
        let ft = meta.file_type();
        if ft.is_symlink() {
            let target = match path.canonicalize() {
                Ok(t) => t,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(Unreadable::Dangling);
                }
                Err(e) => return Err(Unreadable::Io(e)),
            };
            if !target.starts_with(root) {
                return Err(Unreadable::LinkOut { of });
            }
            if self.in_git_dir(&target) {
                return Err(Unreadable::GitDir);
            }
            let meta = std::fs::symlink_metadata(&target).map_err(Unreadable::io)?;
            return match kind_of(&meta.file_type()) {
                Err(Unreadable::Folder) => Err(Unreadable::FolderLink),
                Err(e) => Err(e),
                Ok(()) => Ok(target),
            };
        }
        kind_of(&ft).map(|()| path)
    }

    /// How many folders the register lies below `root` (0 when it is `root`).
    fn depth_below(&self, root: &Path) -> usize {
        self.canonical_root
            .as_deref()
            .and_then(|c| c.strip_prefix(root).ok())
            .map_or(0, |rest| rest.components().count())
    }

    fn read_in(&self, rel: &str, scope: Scope) -> Result<Vec<u8>, Unreadable> {
        let real = self.resolve(rel, scope)?;
        read_opened(open_plain(&real)?, MAX_FILE_BYTES)
    }
}

/// A regular file is `Ok`; anything else is why it is not read.
fn kind_of(ft: &std::fs::FileType) -> Result<(), Unreadable> {
    if let Some(what) = special(ft) {
        return Err(Unreadable::Special(what));
    }
    if ft.is_dir() {
        return Err(Unreadable::Folder);
    }
    Ok(())
}

/// `path` relative to `base`, `/`-separated.
fn relative(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

impl Tree for WorkTree {
    fn describe(&self) -> String {
        format!("`{}`", self.root.display())
    }

    fn read(&self, rel: &str) -> Result<Vec<u8>, Unreadable> {
        self.read_in(rel, Scope::Register)
    }

    fn read_beside(&self, rel: &str) -> Result<Vec<u8>, Unreadable> {
        self.read_in(rel, Scope::Repository)
    }

    fn list(&self, dir: &str, recursive: bool) -> Vec<Listed> {
        let (Some(root), true) = (&self.canonical_root, stays_inside(dir)) else {
            return Vec::new();
        };
        let base = root.join(dir);
        let dir_name = relative(&base, root);
        match std::fs::symlink_metadata(&base) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
            Err(e) => return vec![Listed::refused(dir_name, Unreadable::Io(e))],
            Ok(m) if m.file_type().is_symlink() => {
                return vec![Listed::refused(dir_name, Unreadable::FolderLink)];
            }
            Ok(m) if !m.is_dir() => return vec![Listed::refused(dir_name, Unreadable::NotFolder)],
            Ok(_) => {}
        }
        let max_depth = if recursive { MAX_DEPTH } else { 1 };
        let walker = walkdir::WalkDir::new(&base)
            .follow_links(false)
            .follow_root_links(false)
            .min_depth(1)
            .max_depth(max_depth);
        let mut out = Vec::new();
        let mut walked: Vec<String> = vec![dir_name];
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let at = e
                        .path()
                        .map_or_else(|| dir.to_string(), |p| relative(p, root));
                    let why = e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("cannot read the folder"));
                    out.push(Listed::refused(at, Unreadable::Io(why)));
                    continue;
                }
            };
            let rel = relative(entry.path(), root);
            let ft = entry.file_type();
            if ft.is_dir() {
                if recursive && entry.depth() == max_depth {
                    out.push(Listed::refused(rel, Unreadable::TooDeep));
                } else {
                    // Every folder is returned (a folder named `x.yaml` is news to the
                    // caller); a recursive listing enters it too.
                    out.push(Listed::refused(rel.clone(), Unreadable::Folder));
                    if recursive {
                        walked.push(rel);
                    }
                }
                continue;
            }
            if ft.is_file() {
                out.push(Listed::file(rel));
                continue;
            }
            if !ft.is_symlink() {
                out.push(Listed::refused(
                    rel,
                    Unreadable::Special(special(&ft).unwrap_or("a special file")),
                ));
                continue;
            }
            // A link: read only when it leads to a regular file inside the register. A link
            // to a folder is never entered.
            let target = match entry.path().canonicalize() {
                Ok(t) => t,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    out.push(Listed::refused(rel, Unreadable::Dangling));
                    continue;
                }
                Err(e) => {
                    out.push(Listed::refused(rel, Unreadable::Io(e)));
                    continue;
                }
            };
            let kind = match std::fs::symlink_metadata(&target) {
                Ok(m) => kind_of(&m.file_type()),
                Err(e) => Err(Unreadable::Io(e)),
            };
            match kind {
                Err(Unreadable::Folder) => out.push(Listed::refused(rel, Unreadable::FolderLink)),
                _ if !target.starts_with(root) => out.push(Listed::refused(
                    rel,
                    Unreadable::LinkOut { of: "the register" },
                )),
                Err(why) => out.push(Listed::refused(rel, why)),
                Ok(()) => out.push(Listed::file(rel)),
            }
        }
        // The folders walked are real folders inside the register (a walk that follows no
        // link): reading their files needs no resolution.
        if let Ok(mut f) = self.folders.write() {
            for w in walked {
                let real = root.join(&w);
                f.entry(w).or_insert(Ok(real));
            }
        }
        out
    }

    fn present(&self, rel: &str) -> bool {
        stays_inside(rel) && std::fs::symlink_metadata(self.root.join(rel)).is_ok()
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

    fn read(&self, rel: &str) -> Result<Vec<u8>, Unreadable> {
        let bytes = self.0.get(rel).ok_or(Unreadable::Missing)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(Unreadable::TooBig(bytes.len() as u64));
        }
        Ok(bytes.clone())
    }

    fn list(&self, dir: &str, recursive: bool) -> Vec<Listed> {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let mut folders = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        for k in self.0.keys().filter(|k| k.starts_with(&prefix)) {
            let rest = &k[prefix.len()..];
            let mut parts: Vec<&str> = rest.split('/').collect();
            parts.pop();
            if !recursive {
                parts.truncate(1);
            }
            for i in 1..=parts.len() {
                folders.insert(format!("{prefix}{}", parts[..i].join("/")));
            }
            if recursive || !rest.contains('/') {
                out.push(Listed::file(k.clone()));
            }
        }
        out.extend(
            folders
                .into_iter()
                .map(|f| Listed::refused(f, Unreadable::Folder)),
        );
        out
    }

    fn present(&self, rel: &str) -> bool {
        self.exists(rel)
    }

    fn exists(&self, rel: &str) -> bool {
        let folder = format!("{rel}/");
        self.0.contains_key(rel) || self.0.keys().any(|k| k.starts_with(&folder))
    }

    fn is_file(&self, rel: &str) -> bool {
        self.0.contains_key(rel)
    }
}

/// A register's tree with some files laid over it: what the register would be with those
/// files written (`airisk import` and `monitor add`/`import` check their result so before
/// writing anything). A path the overlay holds reads from it, held to the size limit like any
/// other; every other path, and every refusal, is the base tree's.
pub struct Overlay<'a> {
    base: &'a dyn Tree,
    files: BTreeMap<String, Vec<u8>>,
}

impl<'a> Overlay<'a> {
    pub fn new(base: &'a dyn Tree, files: BTreeMap<String, Vec<u8>>) -> Self {
        Overlay { base, files }
    }
}

impl Tree for Overlay<'_> {
    fn describe(&self) -> String {
        self.base.describe()
    }

    fn read(&self, rel: &str) -> Result<Vec<u8>, Unreadable> {
        match self.files.get(rel) {
            Some(bytes) => MemTree(BTreeMap::from([(rel.to_string(), bytes.clone())])).read(rel),
            None => self.base.read(rel),
        }
    }

    fn read_beside(&self, rel: &str) -> Result<Vec<u8>, Unreadable> {
        self.base.read_beside(rel)
    }

    fn list(&self, dir: &str, recursive: bool) -> Vec<Listed> {
        // What the base lists at a path the overlay holds (even a refusal: a link the write
        // will replace) gives way to the overlay's file.
        let mut out: Vec<Listed> = self
            .base
            .list(dir, recursive)
            .into_iter()
            .filter(|l| !self.files.contains_key(&l.path))
            .collect();
        let prefix = format!("{dir}/");
        for k in self.files.keys() {
            let inside = k.starts_with(&prefix) && (recursive || !k[prefix.len()..].contains('/'));
            if inside {
                out.push(Listed::file(k.clone()));
            }
        }
        out
    }

    fn present(&self, rel: &str) -> bool {
        self.files.contains_key(rel) || self.base.present(rel)
    }

    fn exists(&self, rel: &str) -> bool {
        let folder = format!("{rel}/");
        self.files.contains_key(rel)
            || self.files.keys().any(|k| k.starts_with(&folder))
            || self.base.exists(rel)
    }

    fn is_file(&self, rel: &str) -> bool {
        self.files.contains_key(rel) || self.base.is_file(rel)
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
        assert_eq!(lexical("../isms/./a.csv"), Some((1, vec!["isms", "a.csv"])));
        assert_eq!(lexical("a/../../../b"), Some((2, vec!["b"])));
    }

    #[test]
    fn an_overlay_reads_its_files_first_and_lists_both() {
        let base = MemTree(BTreeMap::from([
            ("risks/R-1.yaml".to_string(), b"base".to_vec()),
            ("risks/R-2.yaml".to_string(), b"two".to_vec()),
        ]));
        let over = Overlay::new(
            &base,
            BTreeMap::from([
                ("risks/R-1.yaml".to_string(), b"new".to_vec()),
                ("risks/sub/R-3.yaml".to_string(), b"three".to_vec()),
            ]),
        );
        assert_eq!(over.read("risks/R-1.yaml").unwrap(), b"new");
        assert_eq!(over.read("risks/R-2.yaml").unwrap(), b"two");
        let mut flat: Vec<String> = over
            .list("risks", false)
            .into_iter()
            .map(|l| l.path)
            .collect();
        flat.sort();
        assert_eq!(flat, ["risks/R-1.yaml", "risks/R-2.yaml"]);
        assert_eq!(over.list("risks", true).len(), 3);
        assert!(over.exists("risks/sub") && over.is_file("risks/sub/R-3.yaml"));
        let huge = Overlay::new(
            &base,
            BTreeMap::from([("big".to_string(), vec![b'x'; MAX_FILE_BYTES as usize + 1])]),
        );
        assert!(matches!(huge.read("big"), Err(Unreadable::TooBig(_))));
    }

    #[test]
    fn a_bounded_read_stops_one_byte_past_the_limit() {
        // An endless source (what /dev/zero is): the read ends, refused, having taken
        // limit + 1 bytes.
        let mut endless = std::io::repeat(b'x');
        match read_bounded(&mut endless, 1000, 0) {
            Err(Unreadable::TooBig(n)) => assert_eq!(n, 1001),
            other => panic!("{other:?}"),
        }
        let mut short: &[u8] = b"twelve bytes";
        assert_eq!(read_bounded(&mut short, 12, 12).unwrap(), b"twelve bytes");
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_inside_are_read() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        let reg = tempfile::tempdir().unwrap();
        let r = reg.path();
        std::fs::write(outside.path().join("secret"), "s3cr3t").unwrap();
        std::fs::write(r.join("a.yaml"), "a: 1\n").unwrap();
        std::fs::create_dir(r.join("sub")).unwrap();
        symlink(r.join("a.yaml"), r.join("sub/in.yaml")).unwrap();
        symlink(outside.path().join("secret"), r.join("out.yaml")).unwrap();
        symlink(outside.path(), r.join("dir")).unwrap();
        symlink(r.join("nothing"), r.join("dangling.yaml")).unwrap();
        symlink("/dev/zero", r.join("zero.yaml")).unwrap();
        let t = WorkTree::new(r);
        assert_eq!(t.read("a.yaml").unwrap(), b"a: 1\n");
        assert_eq!(t.read("sub/in.yaml").unwrap(), b"a: 1\n");
        let why = |rel: &str| format!("{}", t.read(rel).unwrap_err());
        assert!(why("out.yaml").contains("leads outside the register"));
        assert!(why("dir/secret").contains("leads outside the register"));
        assert!(why("dangling.yaml").contains("to nothing"));
        assert!(why("zero.yaml").contains("leads outside"));
        assert!(why("../x").contains("leads outside the register"));
        assert!(why("sub").contains("a folder"));
        assert!(t.read("missing.yaml").unwrap_err().is_missing());
        // No refusal carries content.
        for rel in ["out.yaml", "dir/secret", "zero.yaml"] {
            assert!(!why(rel).contains("s3cr3t"));
        }
    }
}
