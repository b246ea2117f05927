//! The one writer: every file airisk writes goes through this module (SPEC §7 "Writes";
//! docs/security.md, docs/reliability.md "No data loss").
//!
//! Two modes:
//!
//! - **Replace** ([`replace`]): `-o FILE` of every command and `schema --write`. The bytes go
//!   to an exclusive temporary file with an unpredictable name in FILE's folder (the
//!   `tempfile` crate: `O_CREAT|O_EXCL`, so a link planted at any name is never opened), are
//!   fsynced, and the temporary file is renamed over FILE, then the folder is fsynced. A link
//!   at FILE is replaced, not followed. A regular FILE keeps its permission bits (and, where
//!   the system allows, its owner and group); a new FILE gets `0666 & ~umask`. A FIFO or a
//!   character device at FILE (`/dev/null`, `/dev/stdout`, a named pipe) is written into,
//!   never replaced. `-o -` is standard output ([`is_stdout`]; the command layer writes it).
//! - **Create** ([`create_all`] for `init`, `new`, `templates export`; [`create_folder`] for
//!   `pack`). Never replaces anything: when any file of the set is in the way, nothing is
//!   written and one [`InTheWay`] error names them all. Each file is written to a temporary
//!   file and linked to its name only when whole (no-clobber: `renameat2(RENAME_NOREPLACE)`
//!   or a hard link), so no reader sees half a file and a file that appears meanwhile is
//!   never replaced. A failure part-way removes every file and folder the set created.
//!   `create_folder` writes a whole folder into a hidden temporary folder and renames it into
//!   place, once its files are on disk (on Linux by one `syncfs` of the file system after all
//!   are written, elsewhere by an `fsync` of each) and its folders synced.
//!
//! - **Append** ([`append`], for `monitor add` and `monitor import`): a reading file grows
//!   by whole rows and never loses a byte. Under the register `root`, through no link, the
//!   file at `rel` is written as `expected + tail` to a temporary file (fsynced, mode kept)
//!   that is renamed over it — only if the file still holds exactly `expected`, checked just
//!   before the rename, so rows another writer added meanwhile are never dropped (the run
//!   fails instead and nothing changes). A file that did not exist (`expected: None`) is
//!   created no-clobber, like the files of create mode. A link, FIFO or device at `rel` is
//!   refused: a register file is a regular file.
//!
//! **Nothing left behind.** Every temporary file, temporary folder, and every file and folder
//! of a set not yet complete is recorded in one process-wide list while it exists. Each step
//! that creates or renames a recorded path holds the list's lock, so a signal sees the world
//! either before or after the step. [`remove_leftovers_on_signals`] (called by `main`)
//! removes what the list holds on SIGINT or SIGTERM and exits 130 or 143. A file-size limit
//! (`ulimit -f`) makes a write fail with `EFBIG` instead of killing the process, so it is an
//! ordinary error and is cleaned up like one.
//!
//! **Test-only hook** (debug builds only; compiled out of release builds):
//! `AIRISK_TEST_PAUSE=FILE` makes the process stop once, at its first commit point (just
//! before a replace's rename, before the last file of a set is linked, before a folder is
//! renamed into place): it creates FILE and waits until FILE is removed. The process tests
//! in `tests/it/writes.rs` use it to signal a run in the middle of a write, and to line up
//! concurrent runs, deterministically.
//!
//! This module must not print, read the register or know output formats; it is called by the
//! command layer only.

use anyhow::{Context, Result, anyhow, bail};
use std::ffi::OsStr;
use std::fs::{self, File, Metadata};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// `-o -`: standard output.
pub const STDOUT: &str = "-";

/// The suffix of every temporary file and folder airisk writes (after a random part).
pub const TEMP_SUFFIX: &str = ".airisk-tmp";

/// Random characters in a temporary name (62 possibilities each).
const RANDOM_CHARS: usize = 12;

/// Whether an `-o` value means standard output: none, or `-`.
pub fn is_stdout(output: Option<&Path>) -> bool {
    output.is_none_or(|p| p.as_os_str() == STDOUT)
}

// ------------------------------------------------------------------ replace mode

/// Replaces the file at `path` with `bytes` (`-o FILE`, `schema --write`); see the module
/// doc. Errors name `path` (never a temporary name) and leave `path` as it was.
pub fn replace(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display();
    let Some(name) = path.file_name() else {
        bail!("cannot write `{shown}`: it does not name a file");
    };
    let folder = folder_of(path);
    let existing = match fs::symlink_metadata(path) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("cannot write `{shown}`")),
    };
    let mut keep = None;
    if let Some(meta) = &existing {
        match Found::of(meta) {
            Found::File => keep = Some(meta),
            Found::Link => {}
            Found::Stream => return write_into(path, meta, bytes),
            Found::Folder => bail!("cannot write `{shown}`: it is a folder"),
            Found::Other(what) => bail!(
                "cannot write `{shown}`: it is a {what}, which airisk neither writes into nor replaces"
            ),
        }
    }
    let mut temp = Temp::new(&folder, name, path)?;
    temp.write(bytes, keep)
        .with_context(|| format!("cannot write `{shown}`"))?;
    pause_before_commit();
    temp.persist(path, true, |_| {})
        .with_context(|| format!("cannot write `{shown}`"))?;
    sync_folder(&folder);
    Ok(())
}

// ------------------------------------------------------------------ append mode

/// Makes the register file `rel` (under `root`) `expected` followed by `tail` (see the
/// module doc); with `expected: None`, creates it holding `tail`, refusing if anything is
/// there. Errors leave the file as it was.
pub fn append(root: &Path, rel: &str, expected: Option<&[u8]>, tail: &[u8]) -> Result<()> {
    let (folder_rel, name) = match rel.rsplit_once('/') {
        Some((f, n)) => (Some(f), n),
        None => (None, rel),
    };
    let folder = match folder_rel {
        Some(f) => folder_within(root, f)?,
        None => root.to_path_buf(),
    };
    let path = folder.join(name);
    let shown = path.display();
    let Some(expected) = expected else {
        let mut temp = Temp::new(&folder, OsStr::new(name), &path)?;
        temp.write(tail, None)
            .with_context(|| format!("cannot write `{shown}`"))?;
        pause_before_commit();
        return temp
            .persist(&path, false, |_| {})
            .map_err(|e| {
                if e.kind() == io::ErrorKind::AlreadyExists {
                    anyhow!("cannot create `{shown}`: a file appeared there meanwhile; nothing was written")
                } else {
                    anyhow!(e).context(format!("cannot write `{shown}`"))
                }
            })
            .map(|()| sync_folder(&folder));
    };
    let meta =
        fs::symlink_metadata(&path).with_context(|| format!("cannot append to `{shown}`"))?;
    if !meta.file_type().is_file() {
        bail!(
            "cannot append to `{shown}`: it is not a regular file (a link, a folder or a special file)"
        );
    }
    let mut bytes = Vec::with_capacity(expected.len() + tail.len());
    bytes.extend_from_slice(expected);
    bytes.extend_from_slice(tail);
    let mut temp = Temp::new(&folder, OsStr::new(name), &path)?;
    temp.write(&bytes, Some(&meta))
        .with_context(|| format!("cannot write `{shown}`"))?;
    pause_before_commit();
    let now = fs::symlink_metadata(&path)
        .ok()
        .filter(|m| m.file_type().is_file())
        .and_then(|_| fs::read(&path).ok());
    if now.as_deref() != Some(expected) {
        bail!(
            "cannot append to `{shown}`: it changed while airisk was preparing the new rows; nothing was written (run the command again)"
        );
    }
    temp.persist(&path, true, |_| {})
        .with_context(|| format!("cannot write `{shown}`"))?;
    sync_folder(&folder);
    Ok(())
}

/// The folder `rel` (`/`-separated) under `root`, created where missing, with no link
/// followed on the way: a register's own folders (`schema --write` into `.airisk/schema`)
/// come from its pull requests, and a link there must not send a write elsewhere.
pub fn folder_within(root: &Path, rel: &str) -> Result<PathBuf> {
    let mut at = root.to_path_buf();
    for part in relative_parts(rel)? {
        at.push(part);
        match fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => bail!(
                "refusing to write through a symbolic link: `{}` is one",
                at.display()
            ),
            Ok(m) if m.is_dir() => {}
            Ok(_) => bail!("cannot write into `{}`: it is not a folder", at.display()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => match fs::create_dir(&at) {
                Err(e) if e.kind() != io::ErrorKind::AlreadyExists => {
                    return Err(e).with_context(|| format!("cannot create `{}`", at.display()));
                }
                _ => {}
            },
            Err(e) => return Err(e).with_context(|| format!("cannot read `{}`", at.display())),
        }
    }
    Ok(at)
}

/// What is at a target already.
enum Found {
    File,
    Link,
    /// A FIFO or a character device: written into.
    Stream,
    Folder,
    Other(&'static str),
}

impl Found {
    fn of(meta: &Metadata) -> Found {
        let ft = meta.file_type();
        if ft.is_symlink() {
            return Found::Link;
        }
        if ft.is_file() {
            return Found::File;
        }
        if ft.is_dir() {
            return Found::Folder;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if ft.is_fifo() || ft.is_char_device() {
                return Found::Stream;
            }
            if ft.is_block_device() {
                return Found::Other("block device");
            }
            if ft.is_socket() {
                return Found::Other("socket");
            }
        }
        Found::Other("special file")
    }
}

/// Writes into the FIFO or character device at `path`, which `seen` describes: opened
/// without creating or truncating, and only written when what was opened is what was seen
/// (a link swapped in meanwhile is not written through).
fn write_into(path: &Path, seen: &Metadata, bytes: &[u8]) -> Result<()> {
    let context = || format!("cannot write `{}`", path.display());
    let mut f = fs::OpenOptions::new()
        .write(true)
        .open(path)
        .with_context(context)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let now = f.metadata().with_context(context)?;
        if (now.dev(), now.ino()) != (seen.dev(), seen.ino()) {
            bail!(
                "cannot write `{}`: it was replaced while airisk opened it",
                path.display()
            );
        }
    }
    #[cfg(not(unix))]
    let _ = seen;
    f.write_all(bytes).with_context(context)?;
    f.flush().with_context(context)
}

// ------------------------------------------------------------------ create mode

/// Files of a set that are already there: nothing of the set was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InTheWay {
    /// The folder the set is written into.
    pub dir: PathBuf,
    /// The files in the way, relative to `dir`, in the set's order.
    pub names: Vec<String>,
}

impl std::fmt::Display for InTheWay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let one = self.names.len() == 1;
        write!(
            f,
            "refusing to overwrite: {} in `{}`: {}\nnothing was written",
            if one {
                "a file already exists"
            } else {
                "files already exist"
            },
            self.dir.display(),
            self.names.join(", ")
        )
    }
}

impl std::error::Error for InTheWay {}

/// Refuses, before anything is written, new files whose names are taken (an [`InTheWay`]
/// error naming them all) or whose folders on the way include a symbolic link.
fn refuse_in_the_way<R: AsRef<str>, B>(dir: &Path, files: &[(R, B)]) -> Result<()> {
    let mut in_the_way = Vec::new();
    for (rel, _) in files {
        let rel = rel.as_ref();
        let parts = relative_parts(rel)?;
        let mut at = dir.to_path_buf();
        for part in &parts[..parts.len() - 1] {
            at.push(part);
            if fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
                bail!(
                    "refusing to write through a symbolic link: `{}` is one\nnothing was written",
                    at.display()
                );
            }
        }
        if fs::symlink_metadata(dir.join(rel)).is_ok() {
            in_the_way.push(rel.to_string());
        }
    }
    if !in_the_way.is_empty() {
        return Err(InTheWay {
            dir: dir.to_path_buf(),
            names: in_the_way,
        }
        .into());
    }
    Ok(())
}

/// Creates every file of `files` (paths relative to `dir`, `/`-separated) with its bytes,
/// creating the folders they need, `dir` included: all of them or none (see the module
/// doc). Anything already at one of the names (a file, a folder, a link, dangling or not)
/// is an [`InTheWay`] error; a link among the folders on the way is refused too.
pub fn create_all<R: AsRef<str>, B: AsRef<[u8]>>(dir: &Path, files: &[(R, B)]) -> Result<()> {
    refuse_in_the_way(dir, files)?;
    let mut set = Set::default();
    let mut folders: Vec<PathBuf> = Vec::new();
    for (i, (rel, bytes)) in files.iter().enumerate() {
        let rel = rel.as_ref();
        let path = dir.join(rel);
        let shown = path.display();
        let folder = folder_of(&path);
        set.make_folders(&folder)?;
        let name = path.file_name().unwrap_or(OsStr::new(rel));
        let mut temp = Temp::new(&folder, name, &path)?;
        temp.write(bytes.as_ref(), None)
            .with_context(|| format!("cannot write `{shown}`"))?;
        if i + 1 == files.len() {
            pause_before_commit();
        }
        let created = temp.persist(&path, false, |list| {
            set.ids.push(list.add(Leftover::File(path.clone())));
        });
        match created {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return Err(InTheWay {
                    dir: dir.to_path_buf(),
                    names: vec![rel.to_string()],
                }
                .into());
            }
            Err(e) => return Err(e).with_context(|| format!("cannot create `{shown}`")),
        }
        if !folders.contains(&folder) {
            folders.push(folder);
        }
    }
    for folder in folders.iter().chain(set.folders.iter()) {
        sync_folder(folder);
        sync_folder(&folder_of(folder));
    }
    set.commit();
    Ok(())
}

/// Updates the existing regular files `replaced` and creates the files `created` (paths
/// relative to `dir`), for `airisk import`, which may write ten thousand files at once:
///
/// 1. every target is checked first: a file to replace must be a regular file, a file to
///    create must not exist, no folder on the way may be a link; otherwise nothing is written;
/// 2. the folders the files need are made, then every file is written to its exclusive
///    temporary file beside its target, synced and closed, many at once ([`SYNC_THREADS`]):
///    one after the other, at 7 ms a sync on a virtual disk, 10,000 files would take over a
///    minute;
/// 3. (the pause point of the tests, `AIRISK_TEST_PAUSE`);
/// 4. the new files are linked into place without replacing anything (a file that appeared
///    meanwhile stops the run, [`InTheWay`], and the new files already linked are removed),
///    then the replacements are renamed over their targets, and the folders are synced.
///
/// A failure or a signal before step 4 leaves nothing behind.
pub fn update_all<R: AsRef<str>, B: AsRef<[u8]>>(
    dir: &Path,
    replaced: &[(R, B)],
    created: &[(R, B)],
) -> Result<()> {
    let mut metas = Vec::with_capacity(replaced.len());
    for (rel, _) in replaced {
        let rel = rel.as_ref();
        relative_parts(rel)?;
        let path = dir.join(rel);
        let meta = fs::symlink_metadata(&path)
            .with_context(|| format!("cannot update `{}`\nnothing was written", path.display()))?;
        if !meta.file_type().is_file() {
            bail!(
                "cannot update `{}`: it is not a regular file\nnothing was written",
                path.display()
            );
        }
        metas.push(meta);
    }
    refuse_in_the_way(dir, created)?;
    let mut set = Set::default();
    // The folders first (few), then the files, written and synced many at once.
    let mut folders: Vec<PathBuf> = Vec::new();
    let jobs: Vec<(PathBuf, &[u8], Option<&Metadata>)> = created
        .iter()
        .map(|(rel, bytes)| (dir.join(rel.as_ref()), bytes.as_ref(), None))
        .chain(
            replaced
                .iter()
                .zip(&metas)
                .map(|((rel, bytes), m)| (dir.join(rel.as_ref()), bytes.as_ref(), Some(m))),
        )
        .collect();
    for (path, _, _) in &jobs {
        let folder = folder_of(path);
        if !folders.contains(&folder) {
            set.make_folders(&folder)?;
            folders.push(folder);
        }
    }
    let mut staged = stage_all(&jobs)?;
    let replacements: Vec<(Staged, PathBuf)> = staged.split_off(created.len());
    let new_files = staged;
    pause_before_commit();
    for (staged, path) in new_files {
        let rel = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .display()
            .to_string();
        match staged.persist(&path, false, |list| {
            set.ids.push(list.add(Leftover::File(path.clone())));
        }) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return Err(InTheWay {
                    dir: dir.to_path_buf(),
                    names: vec![rel],
                }
                .into());
            }
            Err(e) => {
                return Err(e).with_context(|| format!("cannot create `{}`", path.display()));
            }
        }
    }
    for (staged, path) in replacements {
        staged
            .persist(&path, true, |_| {})
            .with_context(|| format!("cannot write `{}`", path.display()))?;
    }
    for folder in folders.iter().chain(set.folders.iter()) {
        sync_folder(folder);
        sync_folder(&folder_of(folder));
    }
    set.commit();
    Ok(())
}

/// Threads that write and sync the files of a set at once: a sync waits on the disk, not
/// the processor, and syncs under way together share the file system's journal commits
/// (2,000 files: 15 s one after the other on a virtual disk, 0.2 s with 32 at once).
const SYNC_THREADS: usize = 32;

/// Every job (target, bytes, the metadata of the file it replaces) written to an exclusive
/// temporary file beside its target, synced and closed, [`SYNC_THREADS`] at a time; in the
/// jobs' order. On any failure, every temporary file is removed (dropped).
fn stage_all(jobs: &[(PathBuf, &[u8], Option<&Metadata>)]) -> Result<Vec<(Staged, PathBuf)>> {
    let staged = at_once(jobs.len(), SYNC_THREADS, |i| {
        let (path, bytes, keep) = &jobs[i];
        let folder = folder_of(path);
        let name = path.file_name().unwrap_or(OsStr::new("file"));
        let mut temp = Temp::new(&folder, name, path)?;
        temp.write(bytes, *keep)
            .with_context(|| format!("cannot write `{}`\nnothing was written", path.display()))?;
        Ok(temp.close())
    })?;
    Ok(staged
        .into_iter()
        .zip(jobs.iter().map(|(path, _, _)| path.clone()))
        .collect())
}

/// Runs `job` for every index below `count` on `threads` threads at once (work that waits on
/// the disk): the results in index order, or the error of the earliest index that failed.
/// After a failure the other threads stop at their next index; the results already made
/// are dropped (a [`Staged`] file removes itself).
fn at_once<T: Send>(
    count: usize,
    threads: usize,
    job: impl Fn(usize) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Result<T>>>> = (0..count).map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads.min(count) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        break;
                    }
                    let done = job(i);
                    let failed = done.is_err();
                    *slots[i].lock().unwrap_or_else(PoisonError::into_inner) = Some(done);
                    if failed {
                        // The others stop at their next index.
                        next.store(count, Ordering::Relaxed);
                        break;
                    }
                }
            });
        }
    });
    let mut out = Vec::with_capacity(count);
    let mut first_error = None;
    for slot in slots {
        match slot.into_inner().unwrap_or_else(PoisonError::into_inner) {
            Some(Ok(t)) => out.push(t),
            Some(Err(e)) => {
                first_error.get_or_insert(e);
            }
            None => {}
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// A temporary file written and closed (so that thousands can wait without an open file
/// each), recorded as a leftover until it is persisted or dropped (then removed).
struct Staged {
    path: Option<tempfile::TempPath>,
    id: u64,
}

impl Staged {
    /// Like [`Temp::persist`].
    fn persist(
        mut self,
        target: &Path,
        clobber: bool,
        then: impl FnOnce(&mut Leftovers),
    ) -> io::Result<()> {
        let path = self.path.take().expect("persisted once");
        let mut list = leftovers();
        let moved = if clobber {
            path.persist(target)
        } else {
            path.persist_noclobber(target)
        };
        list.forget(self.id);
        match moved {
            Ok(()) => {
                then(&mut list);
                Ok(())
            }
            Err(e) => {
                drop(e.path);
                Err(e.error)
            }
        }
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let mut list = leftovers();
            drop(path);
            list.forget(self.id);
        }
    }
}

/// Creates the folder `target` holding `files` (paths relative to it): written into a hidden
/// temporary folder beside `target`, then renamed to `target`, which must be absent or an
/// empty folder (an empty folder is replaced by the rename). On any failure, or a signal,
/// the temporary folder and any folder created on the way to `target` are removed.
pub fn create_folder<R: AsRef<str> + Sync, B: AsRef<[u8]> + Sync>(
    target: &Path,
    files: &[(R, B)],
) -> Result<()> {
    let shown = target.display();
    let Some(name) = target.file_name() else {
        bail!("cannot write `{shown}`: it does not name a folder");
    };
    if fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink()) {
        bail!("refusing to write `{shown}`: it is a symbolic link\nnothing was written");
    }
    let parent = folder_of(target);
    let mut set = Set::default();
    set.make_folders(&parent)?;
    check_folder(&parent, target)?;
    let staging = {
        let mut list = leftovers();
        let prefix = temp_prefix(name);
        let mut builder = tempfile::Builder::new();
        builder
            .prefix(&prefix)
            .suffix(TEMP_SUFFIX)
            .rand_bytes(RANDOM_CHARS);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o777));
        }
        let dir = builder
            .tempdir_in(&parent)
            .map_err(|e| no_temporary(target, &parent, &e))?
            .keep();
        set.ids.push(list.add(Leftover::Tree(dir.clone())));
        dir
    };
    // The folders first, one after the other (few, and each once), then the files.
    let mut folders = std::collections::BTreeSet::new();
    for (rel, _) in files {
        let rel = rel.as_ref();
        relative_parts(rel)?;
        let folder = folder_of(&staging.join(rel));
        if folders.insert(folder.clone()) {
            fs::create_dir_all(&folder)
                .with_context(|| format!("cannot write `{}`", target.join(rel).display()))?;
        }
    }
    write_new_all(&staging, target, files)?;
    for entry in walk_folders(&staging) {
        sync_folder(&entry);
    }
    pause_before_commit();
    {
        let mut list = leftovers();
        let mut moved = fs::rename(&staging, target);
        // Where a rename does not replace an empty folder, remove it first.
        if moved.is_err() && fs::read_dir(target).is_ok_and(|mut d| d.next().is_none()) {
            moved = fs::remove_dir(target).and_then(|()| fs::rename(&staging, target));
        }
        moved.with_context(|| format!("cannot write `{shown}`"))?;
        // The folder is in place: it is no longer a leftover.
        let staged = set.ids.pop().expect("the staging folder is recorded");
        list.forget(staged);
    }
    sync_folder(&parent);
    set.commit();
    Ok(())
}

/// Threads that write the new files of a folder at once (the audit pack): fewer than
/// [`SYNC_THREADS`], since tens of thousands of new files in one folder tree contend in the
/// file system (at 50,000 risks, 32 threads spent four times the system time of one for the
/// same wall time; 4 gave the wall time of 32 at 10,000 risks).
const WRITE_THREADS: usize = 4;

/// Writes each of `files` as a new file below `staging` (its folders exist) and syncs it,
/// [`WRITE_THREADS`] at a time. The first failure stops the others at their
/// next file and is returned (the caller removes the staging folder); errors name the file
/// at `target`, where it was to be.
fn write_new_all<R: AsRef<str> + Sync, B: AsRef<[u8]> + Sync>(
    staging: &Path,
    target: &Path,
    files: &[(R, B)],
) -> Result<()> {
    at_once(files.len(), WRITE_THREADS, |i| {
        let (rel, bytes) = &files[i];
        let rel = rel.as_ref();
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(staging.join(rel))
            .and_then(|mut f| {
                f.write_all(bytes.as_ref())?;
                if SYNC_TOGETHER { Ok(()) } else { f.sync_all() }
            })
            .with_context(|| format!("cannot write `{}`", target.join(rel).display()))
    })?;
    if SYNC_TOGETHER {
        sync_file_system(staging).with_context(|| {
            format!(
                "cannot write `{}`: its files could not be synced",
                target.display()
            )
        })?;
    }
    Ok(())
}

/// Whether the new files of a folder are synced together, by one `syncfs` of their file
/// system once all are written (Linux), rather than each by its own `fsync`: at 10,000 risks
/// the pack's 20,010 `fsync`s were 28% of its samples (docs/performance.md). Either way every
/// file is on disk before the folder is renamed into place.
const SYNC_TOGETHER: bool = cfg!(target_os = "linux");

#[cfg(target_os = "linux")]
fn sync_file_system(folder: &Path) -> std::io::Result<()> {
    let dir = fs::File::open(folder)?;
    rustix::fs::syncfs(&dir)?;
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn sync_file_system(_folder: &Path) -> std::io::Result<()> {
    Ok(())
}

/// `rel` as its parts: relative, `/`-separated, no empty, `.` or `..` part (a bug in the
/// caller otherwise: the names come from airisk, not from the register).
fn relative_parts(rel: &str) -> Result<Vec<&str>> {
    let parts: Vec<&str> = rel.split('/').collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || *p == "." || *p == ".." || p.contains('\\'))
    {
        return Err(anyhow!("cannot write `{rel}`: not a plain relative path"));
    }
    Ok(parts)
}

/// Every folder under `root`, `root` included, innermost last.
fn walk_folders(root: &Path) -> Vec<PathBuf> {
    let mut out = vec![root.to_path_buf()];
    let mut i = 0;
    while i < out.len() {
        if let Ok(entries) = fs::read_dir(&out[i]) {
            for e in entries.flatten() {
                if e.file_type().is_ok_and(|t| t.is_dir()) {
                    out.push(e.path());
                }
            }
        }
        i += 1;
    }
    out
}

/// The files and folders a create-mode run has made so far: removed, newest first, unless
/// the run completes ([`Set::commit`]). Recorded in the leftover list, so a signal removes
/// them too.
#[derive(Default)]
struct Set {
    ids: Vec<u64>,
    /// The folders this set created, outermost first.
    folders: Vec<PathBuf>,
    done: bool,
}

impl Set {
    /// Creates the missing folders of `folder` (outermost first), recording each.
    fn make_folders(&mut self, folder: &Path) -> Result<()> {
        let mut missing: Vec<&Path> = folder
            .ancestors()
            .take_while(|a| !a.as_os_str().is_empty() && fs::symlink_metadata(a).is_err())
            .collect();
        missing.reverse();
        for dir in missing {
            let mut list = leftovers();
            match fs::create_dir(dir) {
                Ok(()) => {
                    self.ids.push(list.add(Leftover::Dir(dir.to_path_buf())));
                    self.folders.push(dir.to_path_buf());
                }
                // Made meanwhile by someone else: theirs to keep.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    return Err(e).with_context(|| format!("cannot create `{}`", dir.display()));
                }
            }
        }
        Ok(())
    }

    fn commit(mut self) {
        let mut list = leftovers();
        for id in self.ids.drain(..) {
            list.forget(id);
        }
        self.done = true;
    }
}

impl Drop for Set {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let mut list = leftovers();
        for id in self.ids.drain(..).rev() {
            list.remove(id);
        }
    }
}

// ------------------------------------------------------------------ temporary files

/// An exclusive temporary file with an unpredictable name, recorded as a leftover until it
/// is renamed into place or removed.
struct Temp {
    file: Option<tempfile::NamedTempFile>,
    id: u64,
}

impl Temp {
    /// A temporary file in `folder` for the target `path` (whose file name is `name`).
    fn new(folder: &Path, name: &OsStr, path: &Path) -> Result<Temp> {
        check_folder(folder, path)?;
        let mut list = leftovers();
        let prefix = temp_prefix(name);
        let mut builder = tempfile::Builder::new();
        builder
            .prefix(&prefix)
            .suffix(TEMP_SUFFIX)
            .rand_bytes(RANDOM_CHARS);
        // The usual mode of a new file (the umask applies at creation), not tempfile's 0600.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        let file = builder
            .tempfile_in(folder)
            .map_err(|e| no_temporary(path, folder, &e))?;
        let id = list.add(Leftover::File(file.path().to_path_buf()));
        Ok(Temp {
            file: Some(file),
            id,
        })
    }

    /// Writes `bytes`, gives the file the mode (and owner) of `keep`, and syncs it.
    fn write(&mut self, bytes: &[u8], keep: Option<&Metadata>) -> io::Result<()> {
        let f = self
            .file
            .as_mut()
            .expect("a temporary file is written before it is persisted")
            .as_file_mut();
        f.write_all(bytes)?;
        #[cfg(unix)]
        if let Some(old) = keep {
            use std::os::unix::fs::{MetadataExt, PermissionsExt};
            let mine = f.metadata()?;
            if (mine.uid(), mine.gid()) != (old.uid(), old.gid()) {
                // Best effort: only root may give a file away; a group is kept where the
                // user belongs to it.
                let _ = std::os::unix::fs::fchown(&*f, Some(old.uid()), Some(old.gid()));
                let _ = std::os::unix::fs::fchown(&*f, None, Some(old.gid()));
            }
            // Permission bits only: set-id bits are not carried over to a document.
            f.set_permissions(fs::Permissions::from_mode(old.mode() & 0o777))?;
        }
        #[cfg(not(unix))]
        let _ = keep;
        f.sync_all()
    }

    /// Closes the file, keeping it (and its leftover record) until it is persisted.
    fn close(mut self) -> Staged {
        let file = self.file.take().expect("closed once");
        Staged {
            path: Some(file.into_temp_path()),
            id: self.id,
        }
    }

    /// Renames the file to `target` (over what is there with `clobber`, else only where
    /// nothing is), running `then` with the leftover list under the same lock on success.
    fn persist(
        mut self,
        target: &Path,
        clobber: bool,
        then: impl FnOnce(&mut Leftovers),
    ) -> io::Result<()> {
        let file = self.file.take().expect("persisted once");
        let mut list = leftovers();
        let moved = if clobber {
            file.persist(target).map(drop)
        } else {
            file.persist_noclobber(target).map(drop)
        };
        match moved {
            Ok(()) => {
                list.forget(self.id);
                then(&mut list);
                Ok(())
            }
            Err(e) => {
                drop(e.file);
                list.forget(self.id);
                Err(e.error)
            }
        }
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            let mut list = leftovers();
            drop(file);
            list.forget(self.id);
        }
    }
}

/// The start of a temporary name for `name`: hidden, and short enough that the whole name
/// stays within the usual 255-byte limit.
fn temp_prefix(name: &OsStr) -> String {
    let name = name.to_string_lossy();
    let mut end = name.len().min(200);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    format!(".{}.", &name[..end])
}

/// `folder` exists and is a folder; else an error naming it (and `path`, the target).
fn check_folder(folder: &Path, path: &Path) -> Result<()> {
    match fs::metadata(folder) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => bail!(
            "cannot write `{}`: `{}` is not a folder",
            path.display(),
            folder.display()
        ),
        Err(e) if e.kind() == io::ErrorKind::NotFound => bail!(
            "cannot write `{}`: the folder `{}` does not exist",
            path.display(),
            folder.display()
        ),
        Err(e) => Err(e).with_context(|| {
            format!(
                "cannot write `{}`: cannot read the folder `{}`",
                path.display(),
                folder.display()
            )
        }),
    }
}

/// The error of a temporary file or folder that could not be created: named by the target
/// and its folder (tempfile's own message names the hidden temporary path).
fn no_temporary(path: &Path, folder: &Path, e: &io::Error) -> anyhow::Error {
    anyhow!(
        "cannot write `{}`: cannot create a file in `{}`: {}",
        path.display(),
        folder.display(),
        io::Error::from(e.kind())
    )
}

/// The folder holding `path` (`.` for a bare name).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Makes a folder's entries durable (after a rename or a link into it). Best effort: some
/// file systems cannot sync a folder, and the data is already in place.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(f) = File::open(folder) {
        let _ = f.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

// ------------------------------------------------------------------ leftovers and signals

/// A path to remove if the run stops before it is complete.
enum Leftover {
    File(PathBuf),
    /// A folder this run created (removed only while empty).
    Dir(PathBuf),
    /// A temporary folder and everything in it.
    Tree(PathBuf),
}

impl Leftover {
    fn remove(&self) {
        let _ = match self {
            Leftover::File(p) => fs::remove_file(p),
            Leftover::Dir(p) => fs::remove_dir(p),
            Leftover::Tree(p) => fs::remove_dir_all(p),
        };
    }
}

/// Every leftover of the process, by the order recorded (ids grow): a map, so that a set of
/// ten thousand files (`update_all`) forgets each in logarithmic time.
struct Leftovers {
    next: u64,
    items: std::collections::BTreeMap<u64, Leftover>,
}

static LEFTOVERS: Mutex<Leftovers> = Mutex::new(Leftovers {
    next: 0,
    items: std::collections::BTreeMap::new(),
});

fn leftovers() -> MutexGuard<'static, Leftovers> {
    LEFTOVERS.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Leftovers {
    fn add(&mut self, l: Leftover) -> u64 {
        let id = self.next;
        self.next += 1;
        self.items.insert(id, l);
        id
    }

    /// No longer a leftover (it is in place, or gone).
    fn forget(&mut self, id: u64) {
        self.items.remove(&id);
    }

    /// Removes the path and forgets it.
    fn remove(&mut self, id: u64) {
        if let Some(l) = self.items.remove(&id) {
            l.remove();
        }
    }

    /// Removes every path, newest first.
    fn remove_all(&mut self) {
        while let Some((_, l)) = self.items.pop_last() {
            l.remove();
        }
    }
}

/// Handles SIGINT and SIGTERM on a thread of their own: the leftovers of every write under
/// way are removed and the process exits with 128 + the signal's number (130, 143). Also
/// turns a file-size limit (SIGXFSZ) into a failing write. Called once, by `main`.
#[cfg(unix)]
pub fn remove_leftovers_on_signals() -> io::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM, SIGXFSZ};
    use std::sync::atomic::AtomicBool;
    static FILE_TOO_LARGE: AtomicBool = AtomicBool::new(false);
    signal_hook::flag::register(SIGXFSZ, &FILE_TOO_LARGE)?;
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
    std::thread::Builder::new()
        .name("airisk-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // Held until the process ends: no write can start or finish meanwhile.
                let mut list = leftovers();
                list.remove_all();
                std::process::exit(128 + signal);
            }
        })?;
    Ok(())
}

/// Without Unix signals, leftovers are removed on errors only.
#[cfg(not(unix))]
pub fn remove_leftovers_on_signals() -> io::Result<()> {
    Ok(())
}

/// The test-only pause of the module doc (debug builds only).
fn pause_before_commit() {
    #[cfg(debug_assertions)]
    {
        use std::sync::atomic::{AtomicBool, Ordering};
        static PAUSED: AtomicBool = AtomicBool::new(false);
        let Some(marker) = std::env::var_os("AIRISK_TEST_PAUSE") else {
            return;
        };
        if PAUSED.swap(true, Ordering::SeqCst) {
            return;
        }
        let marker = PathBuf::from(marker);
        if fs::write(&marker, b"paused\n").is_ok() {
            while marker.exists() {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
    }
}

// ------------------------------------------------------------------ closed pipes

/// Standard output that remembers whether its reader went away (a closed pipe:
/// `airisk register | head -1`), so `main` can end quietly.
pub struct PipeWatch<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> PipeWatch<W> {
    pub fn new(inner: W) -> PipeWatch<W> {
        PipeWatch {
            inner,
            closed: false,
        }
    }

    /// Whether a write or flush met a closed pipe.
    pub fn closed(&self) -> bool {
        self.closed
    }

    fn note<T>(&mut self, r: io::Result<T>) -> io::Result<T> {
        if r.as_ref()
            .is_err_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
        {
            self.closed = true;
        }
        r
    }
}

impl<W: Write> Write for PipeWatch<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let r = self.inner.write(buf);
        self.note(r)
    }

    fn flush(&mut self) -> io::Result<()> {
        let r = self.inner.flush();
        self.note(r)
    }
}

/// Whether an error that stopped a run was a write to a closed pipe (standard output, or a
/// FIFO named by `-o`).
pub fn is_closed_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .expect("read")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn stdout_is_no_flag_or_a_dash() {
        assert!(is_stdout(None));
        assert!(is_stdout(Some(Path::new("-"))));
        assert!(!is_stdout(Some(Path::new("./-"))));
        assert!(!is_stdout(Some(Path::new("out.md"))));
    }

    #[test]
    fn replace_writes_a_new_file_and_replaces_an_old_one() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("out.md");
        replace(&path, b"one\n").expect("new");
        replace(&path, b"two\n").expect("replace");
        assert_eq!(fs::read(&path).expect("read"), b"two\n");
        assert_eq!(names(tmp.path()), ["out.md"]);
    }

    #[test]
    fn a_missing_folder_is_named_and_no_temporary_name_is() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("no/such/out.md");
        let err = format!("{:#}", replace(&path, b"x").expect_err("no folder"));
        assert!(err.contains("the folder `"), "{err}");
        assert!(err.contains("no/such` does not exist"), "{err}");
        assert!(!err.contains(TEMP_SUFFIX), "{err}");
    }

    #[test]
    fn a_folder_at_the_target_is_refused() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let err = format!("{:#}", replace(tmp.path(), b"x").expect_err("a folder"));
        assert!(err.contains("it is a folder"), "{err}");
    }

    #[test]
    fn create_all_names_every_file_in_the_way_and_writes_nothing() {
        let tmp = tempfile::tempdir().expect("tempdir");
        fs::write(tmp.path().join("b"), "mine").expect("write");
        #[cfg(unix)]
        std::os::unix::fs::symlink("nowhere", tmp.path().join("c")).expect("link");
        #[cfg(not(unix))]
        fs::write(tmp.path().join("c"), "mine").expect("write");
        let files = [("a/x", "1"), ("b", "2"), ("c", "3")];
        let err = create_all(tmp.path(), &files).expect_err("in the way");
        let way = err.downcast_ref::<InTheWay>().expect("InTheWay");
        assert_eq!(way.names, ["b", "c"]);
        assert!(
            err.to_string()
                .starts_with("refusing to overwrite: files already exist in `")
        );
        assert_eq!(names(tmp.path()), ["b", "c"]);
    }

    #[test]
    fn create_all_that_fails_part_way_removes_what_it_made() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("new");
        // `f` is a file where the second entry needs a folder.
        let files = [
            ("a/one", "1"),
            ("b/two", "2"),
            ("f", "3"),
            ("f/g/three", "4"),
        ];
        let err = create_all(&dir, &files).expect_err("fails");
        assert!(format!("{err:#}").contains("f/g"), "{err:#}");
        assert!(names(tmp.path()).is_empty(), "{:?}", names(tmp.path()));
    }

    #[test]
    fn create_folder_moves_a_whole_folder_into_place() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let target = tmp.path().join("out/pack");
        create_folder(&target, &[("a.md", "a"), ("sub/b.md", "b")]).expect("written");
        assert_eq!(fs::read(target.join("sub/b.md")).expect("read"), b"b");
        assert_eq!(names(&tmp.path().join("out")), ["pack"]);
        // A non-empty folder is not replaced, and nothing is left beside it.
        let err = create_folder(&target, &[("c.md", "c")]).expect_err("not empty");
        assert!(format!("{err:#}").contains("cannot write"), "{err:#}");
        assert_eq!(names(&tmp.path().join("out")), ["pack"]);
        assert_eq!(names(&target), ["a.md", "sub"]);
    }

    #[test]
    fn create_folder_writes_many_files_at_once_or_leaves_nothing() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let target = tmp.path().join("pack");
        let files: Vec<(String, Vec<u8>)> = (0..500)
            .map(|i| {
                (
                    format!("history/R-{i:03}.md"),
                    format!("risk {i}\n").into_bytes(),
                )
            })
            .collect();
        create_folder(&target, &files).expect("written");
        for (rel, bytes) in &files {
            assert_eq!(&fs::read(target.join(rel)).expect("read"), bytes);
        }
        // A file that cannot be written (the same name twice: the second is not new) fails
        // the whole folder, naming the file, and leaves no temporary folder.
        let mut twice = files.clone();
        twice.push(("history/R-250.md".into(), b"again".to_vec()));
        let other = tmp.path().join("other");
        let err = create_folder(&other, &twice).expect_err("fails");
        assert!(
            format!("{err:#}").contains("other/history/R-250.md"),
            "{err:#}"
        );
        assert_eq!(names(tmp.path()), ["pack"]);
    }

    #[test]
    fn update_all_replaces_and_creates_or_writes_nothing() {
        let dir = tempfile::tempdir().expect("temp");
        let d = dir.path();
        fs::write(d.join("old.yaml"), "old\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(d.join("old.yaml"), fs::Permissions::from_mode(0o640)).unwrap();
        }
        fs::write(d.join("taken.yaml"), "mine\n").unwrap();
        // A file in the way of a new one: nothing written, not even the replacement.
        let err = update_all(
            d,
            &[("old.yaml", "new\n")],
            &[("risks/a.yaml", "a"), ("taken.yaml", "b")],
        )
        .unwrap_err();
        assert!(err.downcast_ref::<InTheWay>().is_some(), "{err:#}");
        assert_eq!(fs::read_to_string(d.join("old.yaml")).unwrap(), "old\n");
        assert_eq!(names(d), ["old.yaml", "taken.yaml"]);
        // A link where a file is to be replaced: refused.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc/passwd", d.join("link.yaml")).unwrap();
            assert!(update_all(d, &[("link.yaml", "x")], &[] as &[(&str, &str)]).is_err());
            fs::remove_file(d.join("link.yaml")).unwrap();
        }
        let many: Vec<(String, String)> = (0..100)
            .map(|i| (format!("risks/R-{i}.yaml"), format!("{i}\n")))
            .collect();
        update_all(d, &[("old.yaml".to_string(), "new\n".to_string())], &many).unwrap();
        assert_eq!(fs::read_to_string(d.join("old.yaml")).unwrap(), "new\n");
        assert_eq!(
            fs::read_to_string(d.join("risks/R-42.yaml")).unwrap(),
            "42\n"
        );
        assert_eq!(names(&d.join("risks")).len(), 100, "no temporary file left");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(d.join("old.yaml"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o640, "the replaced file keeps its mode");
        }
        assert_eq!(names(d), ["old.yaml", "risks", "taken.yaml"]);
    }

    #[test]
    fn paths_outside_the_set_are_a_bug() {
        for rel in ["../x", "/etc/x", "a//b", "./a", ""] {
            assert!(relative_parts(rel).is_err(), "{rel}");
        }
        assert_eq!(relative_parts("a/b.md").expect("plain"), ["a", "b.md"]);
    }

    #[test]
    fn temporary_names_stay_short() {
        let long = "é".repeat(200);
        let p = temp_prefix(OsStr::new(&long));
        assert!(p.len() <= 202 && p.starts_with('.') && p.ends_with('.'));
    }

    #[test]
    fn closed_pipes_are_recognised_through_context() {
        let e = anyhow::Error::from(io::Error::from(io::ErrorKind::BrokenPipe)).context("writing");
        assert!(is_closed_pipe(&e));
        assert!(!is_closed_pipe(&anyhow!("other")));
        let mut w = PipeWatch::new(Broken);
        assert!(w.write_all(b"x").is_err());
        assert!(w.closed());
    }

    struct Broken;
    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
}
