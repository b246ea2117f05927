//! Low-level object access over gix: decoding commits, looking up paths in trees, comparing
//! two trees by merge-joining their sorted entries (descending only into subtrees whose ids
//! differ), reading blobs, and a commit's description for output.

use super::message;
use super::walk::CommitInfo;
use anyhow::{Context, Result};
use gix::ObjectId;
use std::cmp::Ordering;
use std::collections::HashMap;

/// A decoded commit: what a walk needs.
pub struct Commit {
    pub tree: ObjectId,
    pub parents: Vec<ObjectId>,
    /// Committer time, seconds since the epoch.
    pub time: i64,
}

thread_local! {
    /// Commits decoded on this thread: what a history read costs, for tests to prove that a
    /// run answered from the cache reads none ([`commits_read`]).
    static COMMITS_READ: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    /// Trees a walk's comparisons read from git ([`trees_read`]).
    static TREES_READ: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Counts one commit read from git (decoded, described, or met by a revision walk).
pub fn count_read() {
    COMMITS_READ.with(|c| c.set(c.get() + 1));
}

/// Counts one tree read from git by a walk's comparisons ([`Trees::walk`]).
fn count_tree() {
    TREES_READ.with(|c| c.set(c.get() + 1));
}

/// How many trees this thread's walks have read from git so far: each tree of a
/// first-parent line once, though each is compared twice.
pub fn trees_read() -> u64 {
    TREES_READ.with(|c| c.get())
}

/// How many commits this thread has read from git so far.
pub fn commits_read() -> u64 {
    COMMITS_READ.with(|c| c.get())
}

pub fn load_commit(repo: &gix::Repository, id: ObjectId) -> Result<Commit> {
    count_read();
    let c = repo
        .find_commit(id)
        .with_context(|| format!("cannot read commit {id}"))?;
    let d = c.decode()?;
    let time = d.committer()?.time()?.seconds;
    Ok(Commit {
        tree: d.tree(),
        parents: d.parents().collect(),
        time,
    })
}

/// Author, dates, message, trailers and pull request of a commit.
pub fn describe(repo: &gix::Repository, id: ObjectId) -> Result<CommitInfo> {
    count_read();
    let c = repo
        .find_commit(id)
        .with_context(|| format!("cannot read commit {id}"))?;
    let d = c.decode()?;
    let author = d.author()?;
    let committer = d.committer()?;
    let text = String::from_utf8_lossy(d.message.as_ref()).into_owned();
    let parents = d.parents().count();
    Ok(CommitInfo {
        id: id.to_string(),
        short: super::short(&id),
        author: author.name.to_string(),
        author_email: author.email.to_string(),
        author_date: timestamp(author.time()?),
        committer: committer.name.to_string(),
        committer_email: committer.email.to_string(),
        committer_date: timestamp(committer.time()?),
        day: day(committer.time()?.seconds),
        summary: message::summary(&text),
        trailers: message::trailers(&text),
        pr: message::pull_request(&text),
        merge: parents > 1,
    })
}

/// RFC 3339 in the signature's own offset: `2026-03-02T10:15:00+01:00`.
fn timestamp(t: gix::date::Time) -> String {
    let offset = chrono::FixedOffset::east_opt(t.offset)
        .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).expect("zero offset"));
    chrono::DateTime::from_timestamp(t.seconds, 0)
        .map(|d| d.with_timezone(&offset).to_rfc3339())
        .unwrap_or_default()
}

/// The calendar day (UTC) of a time in seconds.
pub fn day(seconds: i64) -> chrono::NaiveDate {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|d| d.date_naive())
        .unwrap_or_default()
}

/// What a tree entry is, as far as a register cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Tree,
    File,
    /// A symbolic link: never followed, never read.
    Link,
    /// A submodule (a commit of another repository): never followed, never read.
    Submodule,
}

fn mode_of(m: gix::objs::tree::EntryMode) -> Mode {
    if m.is_tree() {
        Mode::Tree
    } else if m.is_link() {
        Mode::Link
    } else if m.is_blob() {
        Mode::File
    } else {
        Mode::Submodule
    }
}

/// One entry of a tree object as stored: `<octal mode> <name>\0<object id>`. Reading the
/// stored bytes directly (no decoded entry list) keeps walks over large folders cheap: a
/// history walk compares thousands of trees of hundreds of entries.
struct RawEntry<'a> {
    mode: &'a [u8],
    name: &'a [u8],
    id: &'a [u8],
}

impl RawEntry<'_> {
    fn oid(&self) -> ObjectId {
        ObjectId::from_bytes_or_panic(self.id)
    }

    fn mode(&self) -> Mode {
        let mut m = 0u32;
        for &d in self.mode {
            m = m
                .wrapping_mul(8)
                .wrapping_add(u32::from(d.wrapping_sub(b'0')));
        }
        match m & 0o170000 {
            0o040000 => Mode::Tree,
            0o100000 => Mode::File,
            0o120000 => Mode::Link,
            _ => Mode::Submodule,
        }
    }

    fn is_tree(&self) -> bool {
        self.mode() == Mode::Tree
    }
}

/// The entry at the start of `data` and its length in bytes; `None` when malformed.
fn raw_entry(data: &[u8], hash_len: usize) -> Option<(RawEntry<'_>, usize)> {
    let space = data.iter().take(8).position(|&b| b == b' ')?;
    // `CStr` finds the name's end with the standard library's word-at-a-time search.
    let name = std::ffi::CStr::from_bytes_until_nul(&data[space + 1..]).ok()?;
    let nul = space + 1 + name.count_bytes();
    let end = nul + 1 + hash_len;
    let mode = &data[..space];
    if end > data.len() || mode.is_empty() || !mode.iter().all(|d| (b'0'..=b'7').contains(d)) {
        return None;
    }
    let entry = RawEntry {
        mode,
        name: &data[space + 1..nul],
        id: &data[nul + 1..end],
    };
    Some((entry, end))
}

/// The length of the whole entries at the start of `data` (a prefix two trees share).
fn whole_entries(data: &[u8], hash_len: usize) -> usize {
    let mut pos = 0;
    while let Some(nul) = first_nul(data, pos) {
        let end = nul + 1 + hash_len;
        if end > data.len() {
            break;
        }
        pos = end;
    }
    pos
}

/// Where the first NUL byte at or after `from` is. A tree entry's mode and name are about
/// twenty bytes: eight at a time with the word trick (a byte is zero where `v - 0x01..`
/// borrows and `v` had no high bit), not a library search per entry, whose set-up cost
/// more than the search (a sixth of a cold walk's instructions).
fn first_nul(data: &[u8], from: usize) -> Option<usize> {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while let Some(chunk) = data.get(i..i + 8) {
        let v = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let zero = v.wrapping_sub(LOW) & !v & HIGH;
        if zero != 0 {
            return Some(i + (zero.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    data.get(i..)?.iter().position(|&b| b == 0).map(|k| i + k)
}

/// How many leading bytes two slices share, compared 32 bytes at a time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const CHUNK: usize = 32;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + CHUNK <= n && a[i..i + CHUNK] == b[i..i + CHUNK] {
        i += CHUNK;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// The entries of a tree object's data, in stored (git) order.
struct RawEntries<'a> {
    rest: &'a [u8],
    hash_len: usize,
}

impl<'a> RawEntries<'a> {
    fn new(repo: &gix::Repository, data: &'a [u8]) -> Self {
        RawEntries {
            rest: data,
            hash_len: repo.object_hash().len_in_bytes(),
        }
    }
}

impl<'a> Iterator for RawEntries<'a> {
    type Item = Result<RawEntry<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        match raw_entry(self.rest, self.hash_len) {
            Some((entry, end)) => {
                self.rest = &self.rest[end..];
                Some(Ok(entry))
            }
            None => {
                self.rest = &[];
                Some(Err(anyhow::anyhow!("a tree object is malformed")))
            }
        }
    }
}

/// The stored data of a tree.
fn tree_data(repo: &gix::Repository, tree: ObjectId) -> Result<gix::Tree<'_>> {
    repo.find_tree(tree)
        .with_context(|| format!("cannot read tree {tree}"))
}

/// The entry named `name` in a tree.
fn find_entry(
    repo: &gix::Repository,
    tree: ObjectId,
    name: &str,
) -> Result<Option<(ObjectId, Mode)>> {
    let t = tree_data(repo, tree)?;
    for e in RawEntries::new(repo, &t.data) {
        let e = e.with_context(|| format!("cannot read tree {tree}"))?;
        if e.name == name.as_bytes() {
            return Ok(Some((e.oid(), e.mode())));
        }
    }
    Ok(None)
}

/// The entries of a tree: (name, mode, id), in git's order.
pub fn entries(repo: &gix::Repository, tree: ObjectId) -> Result<Vec<(String, Mode, ObjectId)>> {
    let t = repo
        .find_tree(tree)
        .with_context(|| format!("cannot read tree {tree}"))?;
    let d = t.decode()?;
    Ok(d.entries
        .iter()
        .map(|e| (e.filename.to_string(), mode_of(e.mode), e.oid.to_owned()))
        .collect())
}

/// Where a path below a tree leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    Found(ObjectId, Mode),
    Missing,
    /// A component on the way is not a folder: a link or a submodule (never entered), or a
    /// file.
    Through(Mode),
}

/// Where a `/`-separated path below `tree` leads (`""` is the tree itself).
pub fn reach(repo: &gix::Repository, tree: ObjectId, path: &str) -> Result<Reach> {
    let mut current = (tree, Mode::Tree);
    for part in path.split('/').filter(|p| !p.is_empty()) {
        if current.1 != Mode::Tree {
            return Ok(Reach::Through(current.1));
        }
        match find_entry(repo, current.0, part)? {
            Some(found) => current = found,
            None => return Ok(Reach::Missing),
        }
    }
    Ok(Reach::Found(current.0, current.1))
}

/// The object at a `/`-separated path below `tree` (`""` is the tree itself).
pub fn entry_at(
    repo: &gix::Repository,
    tree: ObjectId,
    path: &str,
) -> Result<Option<(ObjectId, Mode)>> {
    let mut current = (tree, Mode::Tree);
    for part in path.split('/').filter(|p| !p.is_empty()) {
        if current.1 != Mode::Tree {
            return Ok(None);
        }
        match find_entry(repo, current.0, part)? {
            Some(found) => current = found,
            None => return Ok(None),
        }
    }
    Ok(Some(current))
}

/// The blob id of a file at `path` below `tree`, when it is a file there.
pub fn file_at(repo: &gix::Repository, tree: ObjectId, path: &str) -> Result<Option<ObjectId>> {
    Ok(match entry_at(repo, tree, path)? {
        Some((id, Mode::File)) => Some(id),
        _ => None,
    })
}

/// The subtree at `path` below a commit's tree, when it is a folder there.
pub fn subtree(repo: &gix::Repository, tree: ObjectId, path: &str) -> Result<Option<ObjectId>> {
    Ok(match entry_at(repo, tree, path)? {
        Some((id, Mode::Tree)) => Some(id),
        _ => None,
    })
}

/// A blob's bytes, or its size when it is over the limit.
#[derive(Debug)]
pub enum Blob {
    Bytes(Vec<u8>),
    TooBig(u64),
}

/// The bytes of a blob of at most `limit` bytes: the size is read from the object's header
/// (a loose object's first bytes, a packed object's entry header) before anything is
/// decompressed, so a huge blob costs nothing.
pub fn blob(repo: &gix::Repository, id: ObjectId, limit: u64) -> Result<Blob> {
    let header = repo
        .find_header(id)
        .with_context(|| format!("cannot read blob {id}"))?;
    if header.size() > limit {
        return Ok(Blob::TooBig(header.size()));
    }
    let o = repo
        .find_object(id)
        .with_context(|| format!("cannot read blob {id}"))?;
    Ok(Blob::Bytes(o.data.clone()))
}

/// A blob's text: `None` when it is not UTF-8, or is over [`crate::load::MAX_FILE_BYTES`]
/// (then never decompressed). How the git rules read old versions.
pub fn text(repo: &gix::Repository, id: ObjectId) -> Result<Option<String>> {
    Ok(match blob(repo, id, crate::load::MAX_FILE_BYTES)? {
        Blob::Bytes(b) => String::from_utf8(b).ok(),
        Blob::TooBig(_) => None,
    })
}

/// A file that differs between two trees: its path below the compared folder, and its blob
/// on each side (`None`: absent on that side).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delta {
    pub path: String,
    pub old: Option<ObjectId>,
    pub new: Option<ObjectId>,
}

/// git's tree-entry order: a tree's name compares as if it ended in `/`.
fn git_cmp(a: &[u8], a_tree: bool, b: &[u8], b_tree: bool) -> Ordering {
    let n = a.len().min(b.len());
    match a[..n].cmp(&b[..n]) {
        Ordering::Equal => {}
        o => return o,
    }
    let ac = a.get(n).copied().unwrap_or(if a_tree { b'/' } else { 0 });
    let bc = b.get(n).copied().unwrap_or(if b_tree { b'/' } else { 0 });
    ac.cmp(&bc)
}

/// Where a comparison of trees reads them. A walk down a first-parent line compares each
/// commit's register folder with its parent's, and the parent's trees are the newer side of
/// the next comparison: [`Trees::walk`] keeps the older side's trees of one comparison for
/// the next ([`Trees::turn`]), so each tree of the line is decompressed once, and reads
/// past gix's object cache (which copies every object it is given and every object it gives
/// back: a quarter of a cold walk's instructions, for trees this keeps itself).
/// [`Trees::plain`] reads through the repository, as any other lookup does.
pub struct Trees {
    /// The object database without its object cache (its pack cache kept); `None`: read
    /// through the repository.
    odb: Option<gix::OdbHandle>,
    /// Trees of the last comparison's older side, by id.
    kept: HashMap<ObjectId, Vec<u8>>,
    /// Trees of this comparison's older side, kept for the next.
    next: HashMap<ObjectId, Vec<u8>>,
    /// Buffers of trees let go, to read the next ones into (a fresh buffer grows by
    /// copies as a delta chain is applied into it).
    free: Vec<Vec<u8>>,
}

/// How many buffers [`Trees`] keeps for reuse.
const FREE_BUFFERS: usize = 32;

impl Trees {
    /// Trees of a walk, kept from one comparison to the next.
    pub fn walk(repo: &gix::Repository) -> Trees {
        let mut odb = repo.objects.clone();
        odb.unset_object_cache();
        Trees {
            odb: Some(odb),
            kept: HashMap::new(),
            next: HashMap::new(),
            free: Vec::new(),
        }
    }

    /// Trees read through the repository, nothing kept.
    pub fn plain() -> Trees {
        Trees {
            odb: None,
            kept: HashMap::new(),
            next: HashMap::new(),
            free: Vec::new(),
        }
    }

    /// One comparison is done: the trees of its older side are the ones kept for the next,
    /// the others are let go.
    pub fn turn(&mut self) {
        let unused = std::mem::replace(&mut self.kept, std::mem::take(&mut self.next));
        for (_, data) in unused {
            self.recycle(data);
        }
    }

    /// A tree's buffer, to read another tree into.
    fn recycle(&mut self, data: Vec<u8>) {
        if self.odb.is_some() && self.free.len() < FREE_BUFFERS {
            self.free.push(data);
        }
    }

    /// The stored data of a tree.
    fn read<'r>(&mut self, repo: &'r gix::Repository, id: ObjectId) -> Result<TreeData<'r>> {
        if let Some(data) = self.kept.remove(&id) {
            return Ok(TreeData::Owned(data));
        }
        let Some(odb) = &self.odb else {
            // The repository's buffer goes back to it when the tree is dropped.
            return Ok(TreeData::Repo(tree_data(repo, id)?));
        };
        if id == ObjectId::empty_tree(repo.object_hash()) {
            return Ok(TreeData::Owned(Vec::new()));
        }
        count_tree();
        use gix::prelude::FindExt;
        let mut buf = self.free.pop().unwrap_or_default();
        buf.clear();
        let kind = odb
            .find(&id, &mut buf)
            .with_context(|| format!("cannot read tree {id}"))?
            .kind;
        if kind != gix::object::Kind::Tree {
            anyhow::bail!("cannot read tree {id}: it is a {kind}");
        }
        Ok(TreeData::Owned(buf))
    }

    /// Keeps an older side's tree for the next comparison.
    fn keep(&mut self, id: ObjectId, data: Vec<u8>) {
        if self.odb.is_some() {
            self.next.insert(id, data);
        }
    }
}

/// A tree's stored data, as [`Trees`] reads it.
enum TreeData<'r> {
    Owned(Vec<u8>),
    Repo(gix::Tree<'r>),
}

impl TreeData<'_> {
    fn bytes(&self) -> &[u8] {
        match self {
            TreeData::Owned(d) => d,
            TreeData::Repo(t) => &t.data,
        }
    }
}

/// The files that differ between two folders (either may be absent), merge-joining their
/// sorted entries and descending only into subtrees whose ids differ and for which `open`
/// (given the subtree's path) says there is something to find; the trees are read from
/// `trees`.
pub fn diff(
    repo: &gix::Repository,
    trees: &mut Trees,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
    prefix: &str,
    out: &mut Vec<Delta>,
    open: &dyn Fn(&str) -> bool,
) -> Result<()> {
    if old == new || !open(prefix) {
        return Ok(());
    }
    let a_data = old.map(|t| trees.read(repo, t)).transpose()?;
    let b_data = new.map(|t| trees.read(repo, t)).transpose()?;
    let a: &[u8] = a_data.as_ref().map_or(&[], |d| d.bytes());
    let b: &[u8] = b_data.as_ref().map_or(&[], |d| d.bytes());
    compare(repo, trees, a, b, prefix, out, open)?;
    if let (Some(id), Some(TreeData::Owned(data))) = (old, a_data) {
        trees.keep(id, data);
    }
    if let Some(TreeData::Owned(data)) = b_data {
        trees.recycle(data);
    }
    Ok(())
}

/// [`diff`] of two trees' data.
fn compare(
    repo: &gix::Repository,
    trees: &mut Trees,
    a: &[u8],
    b: &[u8],
    prefix: &str,
    out: &mut Vec<Delta>,
    open: &dyn Fn(&str) -> bool,
) -> Result<()> {
    let hash_len = repo.object_hash().len_in_bytes();
    let malformed = || anyhow::anyhow!("cannot read a tree below `{prefix}`: it is malformed");
    let (mut i, mut j) = (0, 0);
    loop {
        // Entries the two folders share byte for byte (most of a large folder) are skipped
        // without being parsed one by one.
        let shared = whole_entries(&a[i..i + common_prefix(&a[i..], &b[j..])], hash_len);
        i += shared;
        j += shared;
        let x = match a.get(i..).filter(|r| !r.is_empty()) {
            Some(rest) => Some(raw_entry(rest, hash_len).ok_or_else(malformed)?),
            None => None,
        };
        let y = match b.get(j..).filter(|r| !r.is_empty()) {
            Some(rest) => Some(raw_entry(rest, hash_len).ok_or_else(malformed)?),
            None => None,
        };
        let ord = match (&x, &y) {
            (None, None) => return Ok(()),
            (Some((x, _)), Some((y, _))) => git_cmp(x.name, x.is_tree(), y.name, y.is_tree()),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
        };
        match (ord, x, y) {
            (Ordering::Less, Some((x, len)), _) => {
                side(repo, trees, &x, prefix, true, out, open)?;
                i += len;
            }
            (Ordering::Greater, _, Some((y, len))) => {
                side(repo, trees, &y, prefix, false, out, open)?;
                j += len;
            }
            (Ordering::Equal, Some((x, xl)), Some((y, yl))) => {
                let (xm, ym) = (x.mode(), y.mode());
                if x.id != y.id || xm != ym {
                    let path = super::join(prefix, &String::from_utf8_lossy(y.name));
                    match (xm, ym) {
                        (Mode::Tree, Mode::Tree) => {
                            diff(repo, trees, Some(x.oid()), Some(y.oid()), &path, out, open)?
                        }
                        (Mode::File, Mode::File) => out.push(Delta {
                            path,
                            old: Some(x.oid()),
                            new: Some(y.oid()),
                        }),
                        _ => {
                            side(repo, trees, &x, prefix, true, out, open)?;
                            side(repo, trees, &y, prefix, false, out, open)?;
                        }
                    }
                }
                i += xl;
                j += yl;
            }
            _ => unreachable!("an ordering is only given to entries that exist"),
        }
    }
}

/// Every question is open: the full difference.
pub fn everything(_: &str) -> bool {
    true
}

/// An entry present on one side only: a file added or deleted, or every file of a folder.
fn side(
    repo: &gix::Repository,
    trees: &mut Trees,
    e: &RawEntry,
    prefix: &str,
    deleted: bool,
    out: &mut Vec<Delta>,
    open: &dyn Fn(&str) -> bool,
) -> Result<()> {
    let path = super::join(prefix, &String::from_utf8_lossy(e.name));
    let id = e.oid();
    let (old, new) = if deleted {
        (Some(id), None)
    } else {
        (None, Some(id))
    };
    match e.mode() {
        Mode::Tree => diff(repo, trees, old, new, &path, out, open),
        Mode::File => {
            out.push(Delta { path, old, new });
            Ok(())
        }
        Mode::Link | Mode::Submodule => Ok(()),
    }
}

/// Every file below a folder: (path below it, blob).
pub fn files(
    repo: &gix::Repository,
    tree: ObjectId,
    prefix: &str,
    out: &mut Vec<(String, ObjectId)>,
) -> Result<()> {
    for (name, mode, id) in entries(repo, tree)? {
        let path = super::join(prefix, &name);
        match mode {
            Mode::Tree => files(repo, id, &path, out)?,
            Mode::File => out.push((path, id)),
            Mode::Link | Mode::Submodule => {}
        }
    }
    Ok(())
}

/// Every entry below a folder that a listing reports, up to `depth` levels: files, links and
/// submodules (never entered), and every folder (entered above the last level): (path below
/// it, what it is, its object, whether it lies at the last level).
pub fn listing(
    repo: &gix::Repository,
    tree: ObjectId,
    prefix: &str,
    depth: usize,
    out: &mut Vec<(String, Mode, ObjectId, bool)>,
) -> Result<()> {
    for (name, mode, id) in entries(repo, tree)? {
        let path = super::join(prefix, &name);
        match mode {
            Mode::Tree if depth > 1 => {
                out.push((path.clone(), mode, id, false));
                listing(repo, id, &path, depth - 1, out)?;
            }
            _ => out.push((path, mode, id, depth <= 1)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The NUL search as the standard library does it.
    fn nul_by_cstr(data: &[u8], from: usize) -> Option<usize> {
        std::ffi::CStr::from_bytes_until_nul(data.get(from..)?)
            .ok()
            .map(|c| from + c.count_bytes())
    }

    #[test]
    fn the_word_at_a_time_search_finds_the_nul_the_library_finds() {
        // Every position of a NUL (and of 0x80 and 0x01 bytes, the trick's edge cases)
        // relative to every start, in slices of every length up to 40.
        for len in 0..40usize {
            for at in 0..=len {
                for filler in [b'a', 0x80, 0x01, 0xff] {
                    let mut data = vec![filler; len];
                    if at < len {
                        data[at] = 0;
                    }
                    if at + 3 < len {
                        data[at + 3] = 0;
                    }
                    for from in 0..=len + 1 {
                        assert_eq!(
                            first_nul(&data, from),
                            nul_by_cstr(&data, from),
                            "{data:?} from {from}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn whole_entries_stop_at_the_last_entry_that_fits() {
        let entry = |name: &str, id: u8| {
            let mut e = format!("100644 {name}").into_bytes();
            e.push(0);
            // An id with a NUL and high bytes in it, as any id may have.
            e.extend([id, 0, 0x80, 0xff].iter().cycle().take(20));
            e
        };
        let entries = [entry("a.yaml", 1), entry("R-000123.yaml", 0), entry("z", 7)];
        let ends: Vec<usize> = (0..=entries.len())
            .map(|k| entries[..k].iter().map(Vec::len).sum())
            .collect();
        let data = entries.concat();
        for cut in 0..=data.len() {
            let expected = ends
                .iter()
                .copied()
                .filter(|&e| e <= cut)
                .max()
                .unwrap_or(0);
            assert_eq!(whole_entries(&data[..cut], 20), expected, "cut at {cut}");
        }
    }

    #[test]
    fn trees_sort_as_if_they_ended_in_a_slash() {
        assert_eq!(git_cmp(b"a", true, b"a.yaml", false), Ordering::Greater);
        assert_eq!(git_cmp(b"a", false, b"a.yaml", false), Ordering::Less);
        assert_eq!(git_cmp(b"a", true, b"a", true), Ordering::Equal);
        assert_eq!(git_cmp(b"a", true, b"a-b", false), Ordering::Greater);
    }
}
