//! Loading a register: find it, read every file once, parse YAML into span-carrying trees,
//! and lower them into the [`model`](crate::model). Findings about single files
//! (`yaml-syntax`, `file-unreadable`, `unknown-field`, `missing-field`, `invalid-value`) are
//! produced here; everything that relates files to each other is a rule in `check`.
//!
//! The only I/O of a `check` run happens in this module (plus `evidence-not-found`, which
//! asks whether a path exists), always through a [`Tree`], which confines every read to the
//! register (tree.rs). Every path a listing or a read refuses, where the register would have
//! read data or a template, becomes a `file-unreadable` finding: nothing is skipped in
//! silence. The register's `templates/` are read here too, with the same findings, so that
//! `check` reports a refused template and the rendering commands can warn of it.

pub mod config;
pub mod entities;
pub mod fields;
pub mod readings;
pub mod schema;
pub mod taxonomy;
mod toml_errors;
pub mod tree;
pub mod yaml;

pub use config::{ConfigError, ConfigProblem, RuleLevels};
pub use tree::{Listed, MAX_FILE_BYTES, MemTree, Overlay, Tree, Unreadable, WorkTree};

use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::kinds::{Home, KINDS, Kind, NOT_DATA, OTHER_ROOT_FILES};
use crate::model::symbols::{self, Recorded};
use crate::model::{
    Assessment, FileId, Incident, People, Register, Risk, Soa, Span, System, Waivers,
};
use crate::source::{SourceFile, Sources};
use anyhow::{Context, Result, bail};
use fields::Cx;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file that marks a register's root.
pub const CONFIG_FILE: &str = "airisk.toml";

/// The folder of the register's own templates (overriding the built-in ones by name).
pub const TEMPLATES_DIR: &str = "templates";

/// A loaded register with the files it was read from and the findings of loading.
#[derive(Debug)]
pub struct Loaded {
    pub sources: Sources,
    pub register: Register,
    pub diagnostics: Vec<Diagnostic>,
    /// The levels `[rules]` of airisk.toml sets (`diag::finalize` applies them).
    pub rules: RuleLevels,
    /// The files of `templates/` that could be read, by name inside the folder (`soa.md`).
    pub templates: BTreeMap<String, Vec<u8>>,
    /// The files of `templates/` that were not read, with why (also `file-unreadable`
    /// findings): the rendering commands, which show no findings, warn about them.
    pub skipped_templates: Vec<(String, String)>,
}

/// Finds the register: `explicit` (from `-C`) must hold airisk.toml; otherwise walk up from
/// `cwd` to the first folder that does.
pub fn discover(cwd: &Path, explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = explicit {
        let dir = cwd.join(dir);
        if marks_register(&dir) {
            return Ok(dir);
        }
        if !dir.is_dir() {
            bail!("register folder `{}` does not exist", dir.display());
        }
        bail!(
            "no {CONFIG_FILE} in `{}`: a register is a folder holding {CONFIG_FILE} (create one with `airisk init`)",
            dir.display()
        );
    }
    for dir in cwd.ancestors() {
        if marks_register(dir) {
            return Ok(dir.to_path_buf());
        }
    }
    let below = registers_below(cwd);
    if !below.is_empty() {
        let dirs: Vec<String> = below
            .iter()
            .map(|d| format!("`-C {}`", crate::text::terminal_line(d)))
            .collect();
        bail!(
            "could not find {CONFIG_FILE} in `{}` or any parent folder\n\
             help: a register is below this folder: pass {}",
            cwd.display(),
            dirs.join(" or ")
        );
    }
    bail!(
        "could not find {CONFIG_FILE} in `{}` or any parent folder\n\
         help: run airisk inside a register, pass `-C DIR`, or create one with `airisk init`",
        cwd.display()
    )
}

/// The registers in the folders below `cwd` (run from a repository's root, the register is
/// usually a folder or two down): at most three, nearest first then by path, found within
/// four levels and 2,000 folders, never through a link or into a hidden folder or `target/`.
fn registers_below(cwd: &Path) -> Vec<String> {
    const DEPTH: usize = 4;
    const FOLDERS: usize = 2_000;
    let mut found = Vec::new();
    let mut level: Vec<PathBuf> = vec![cwd.to_path_buf()];
    let mut seen = 0;
    for _ in 0..DEPTH {
        let mut next = Vec::new();
        for dir in &level {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            let mut names: Vec<_> = entries
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.file_name())
                .filter(|n| {
                    let n = n.to_string_lossy();
                    !n.starts_with('.') && n != "target" && n != "node_modules"
                })
                .collect();
            names.sort();
            for name in names {
                seen += 1;
                if seen > FOLDERS {
                    return found;
                }
                let sub = dir.join(&name);
                if marks_register(&sub) {
                    if let Ok(rel) = sub.strip_prefix(cwd) {
                        found.push(rel.to_string_lossy().replace('\\', "/"));
                    }
                    if found.len() == 3 {
                        return found;
                    }
                } else {
                    next.push(sub);
                }
            }
        }
        level = next;
    }
    found
}

/// Whether `dir` holds an `airisk.toml` that is not a folder. A link or a FIFO there still
/// marks the register, so that reading it is refused with its reason rather than the search
/// going on to a parent folder.
fn marks_register(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir.join(CONFIG_FILE)).is_ok_and(|m| !m.is_dir())
}

/// Whether a listed file name is one the register reads as `kind`'s data.
fn looks_like_data(kind: Kind, path: &str) -> bool {
    let def = kind.def();
    def.extensions.iter().any(|ext| {
        path.strip_suffix(ext)
            .is_some_and(|rest| rest.ends_with('.'))
    })
}

/// A path to read as `kind`, or already refused by the listing.
#[derive(Clone, Debug)]
pub struct Planned {
    pub rel: String,
    pub kind: Kind,
    pub refused: Option<Unreadable>,
}

/// A path named like data that the register does not read: a `file-ignored` finding.
#[derive(Debug, PartialEq, Eq)]
pub struct Ignored {
    rel: String,
    message: String,
    help: String,
}

/// Whether a file or folder name looks like YAML data: its extension is `.yaml` or `.yml` in
/// any case, possibly followed by an editor's or a merge's suffix (`R-1.YAML`, `R-1.yaml~`,
/// `R-1.yaml.orig`, `#R-1.yaml#`). Hidden names (`.R-1.yaml.swp`, an editor's swap file) do
/// not: editors keep their own files hidden.
fn named_like_yaml(name: &str) -> bool {
    if name.starts_with('.') {
        return false;
    }
    let lower = name.to_ascii_lowercase();
    let core = lower.trim_end_matches(['~', '#']);
    [".yaml", ".yml"]
        .iter()
        .any(|e| core.ends_with(e) || core.contains(&format!("{e}.")))
}

/// The last component of a `/`-separated path.
fn base_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// The name a file named like data would be read under (`R-1.YAML~` → `R-1.yaml`), if one.
fn readable_name(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    ["yaml", "yml"].iter().find_map(|e| {
        let at = lower.find(&format!(".{e}"))?;
        let end = at + 1 + e.len();
        Some(format!("{}.{e}", &name[..at])).filter(|_| end <= name.len())
    })
}

/// Why an entity folder's entry named like data is not read.
fn ignored_in_kind(tree: &dyn Tree, kind: Kind, dir: &str, l: &Listed) -> Ignored {
    let name = base_name(&l.path);
    let what = kind.title();
    if matches!(l.refused, Some(Unreadable::Folder)) {
        return Ignored {
            rel: l.path.clone(),
            message: format!(
                "this is a folder named like a file: it is not read as a {what} (the files inside it are)"
            ),
            help: "rename the folder without `.yaml` or `.yml`".into(),
        };
    }
    let folder = l.path.rsplit_once('/').map_or("", |(f, _)| f);
    let exts = kind.def().extensions;
    let help = match readable_name(name) {
        _ if !exts.contains(&"yaml") => {
            let exts: Vec<String> = exts.iter().map(|e| format!("`.{e}`")).collect();
            format!("only {} files are read in {dir}/", exts.join(", "))
        }
        Some(n) if n != name && tree.is_file(&format!("{folder}/{n}")) => {
            format!("`{n}` beside it is read; delete this leftover copy")
        }
        Some(n) if n != name => format!(
            "only names ending in `.yaml` or `.yml` (lower case) are read: rename it to `{n}` to read it as a {what}, or delete it if it is a leftover copy"
        ),
        _ => format!("only names ending in `.yaml` or `.yml` (lower case) are read in {dir}/"),
    };
    Ignored {
        rel: l.path.clone(),
        message: format!("the file is named like a {what} but is not read"),
        help,
    }
}

/// The entity folder a misplaced folder name probably means (`riks` → `risks`, `Risks` →
/// `risks`, `incident` → `incidents`).
fn meant_folder(name: &str) -> Option<&'static str> {
    let dirs: Vec<&'static str> = KINDS
        .iter()
        .filter_map(|d| match d.home {
            Home::Folder { dir, .. } => Some(dir),
            _ => None,
        })
        .collect();
    dirs.iter()
        .copied()
        .find(|d| d.eq_ignore_ascii_case(name))
        .or_else(|| did_you_mean(name, dirs.iter().copied()))
}

/// Where each YAML entity kind's files live, for a help line: `risks/, systems/, ...`.
fn kind_folders() -> String {
    KINDS
        .iter()
        .filter_map(|d| match d.home {
            Home::Folder { dir, .. } if d.extensions.contains(&"yaml") => Some(format!("{dir}/")),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The paths named like data outside every kind's home: files and folders at the root that
/// are no kind's, and what lies in the root's other folders (but those of [`NOT_DATA`] and
/// hidden ones, which hold no register data).
fn ignored_outside(tree: &dyn Tree) -> Vec<Ignored> {
    let kind_dirs: Vec<&str> = KINDS
        .iter()
        .filter_map(|d| match d.home {
            Home::Folder { dir, .. } => Some(dir),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for l in tree.list("", false) {
        let name = l.path.as_str();
        if name.contains('/') || kind_dirs.contains(&name) {
            continue;
        }
        let folder = matches!(l.refused, Some(Unreadable::Folder));
        if folder {
            if name.starts_with('.') || NOT_DATA.contains(&name) {
                continue;
            }
            if named_like_yaml(name) {
                out.push(Ignored {
                    rel: l.path.clone(),
                    message: "this is a folder named like a file, outside every kind's folder: it is not read".into(),
                    help: format!("a register reads its entities from {}", kind_folders()),
                });
            }
            let meant = meant_folder(name);
            for inner in tree.list(name, true) {
                if !named_like_yaml(base_name(&inner.path)) {
                    continue;
                }
                let rest = inner.path.strip_prefix(&format!("{name}/")).unwrap_or("");
                let help = match meant {
                    Some(dir) => format!("did you mean `{dir}/`? move it to `{dir}/{rest}`"),
                    None => format!(
                        "a register reads its entities from {}; YAML that is not register data belongs in {}/",
                        kind_folders(),
                        NOT_DATA.join("/, ")
                    ),
                };
                out.push(Ignored {
                    rel: inner.path.clone(),
                    message: format!(
                        "`{name}/` is not a folder airisk reads, so this file is not read"
                    ),
                    help,
                });
            }
            continue;
        }
        if name == CONFIG_FILE
            || Kind::of_path(name).is_some()
            || OTHER_ROOT_FILES.contains(&name)
            || !named_like_yaml(name)
        {
            continue;
        }
        let lower = readable_name(name).map(|n| n.to_ascii_lowercase());
        let root_kind = KINDS.iter().find_map(|d| match d.home {
            Home::Root { stem } => lower
                .as_deref()
                .and_then(|n| n.strip_prefix(stem))
                .filter(|ext| *ext == ".yaml" || *ext == ".yml")
                .map(|_| stem),
            _ => None,
        });
        let help = match root_kind {
            Some(stem) => format!("rename it to `{stem}.yaml` to read it"),
            None => format!(
                "one entity per file, in its kind's folder: {}",
                kind_folders()
            ),
        };
        out.push(Ignored {
            rel: l.path.clone(),
            message: "the file is named like register data but is no file airisk reads".into(),
            help,
        });
    }
    out
}

/// Every register file to read, in path order, with the paths the listing refused that the
/// register would have read (a link out, a FIFO, a folder behind a link): each becomes a
/// `file-unreadable` finding, never silence.
pub fn list_files(tree: &dyn Tree) -> Vec<Planned> {
    let mut out = Vec::new();
    for def in KINDS {
        let Home::Root { stem } = def.home else {
            continue;
        };
        for ext in def.extensions {
            let rel = format!("{stem}.{ext}");
            if tree.present(&rel) {
                out.push(Planned {
                    rel,
                    kind: def.kind,
                    refused: None,
                });
            }
        }
    }
    for def in KINDS {
        let Home::Folder { dir, recursive } = def.home else {
            continue;
        };
        let kind = def.kind;
        let mut files: Vec<Planned> = tree
            .list(dir, recursive)
            .into_iter()
            .filter(|l| !is_subfolder(dir, l) && reported(kind, dir, recursive, l))
            .map(|l| Planned {
                rel: l.path,
                kind,
                refused: l.refused,
            })
            .collect();
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
        out.extend(files);
    }
    out
}

/// Whether a listed path is a folder below `dir` (a listing returns them: entered, not read).
fn is_subfolder(dir: &str, l: &Listed) -> bool {
    matches!(l.refused, Some(Unreadable::Folder)) && l.path != dir
}

/// The paths named like data that the register does not read (`file-ignored`), in path
/// order: those outside every kind's home, and those of the entity folders that
/// [`list_files`] does not read. It lists the entity folders again (a listing is cheap
/// beside reading), so that [`list_files`] keeps its shape for the language server.
pub fn ignored_paths(tree: &dyn Tree) -> Vec<Ignored> {
    let mut ignored = ignored_outside(tree);
    for def in KINDS {
        let Home::Folder { dir, recursive } = def.home else {
            continue;
        };
        for l in tree.list(dir, recursive) {
            let read = !is_subfolder(dir, &l) && reported(def.kind, dir, recursive, &l);
            if !read && named_like_yaml(base_name(&l.path)) {
                ignored.push(ignored_in_kind(tree, def.kind, dir, &l));
            }
        }
    }
    ignored.sort_by(|a, b| a.rel.cmp(&b.rel));
    ignored
}

/// Whether a listed path of an entity folder counts: a data file, or a refused path that
/// would have held data (the folder itself, a data file's name, a folder not entered; in a
/// folder read with its subfolders, a link or submodule of a revision, which may be a
/// folder).
fn reported(kind: Kind, dir: &str, recursive: bool, l: &Listed) -> bool {
    match &l.refused {
        None => looks_like_data(kind, &l.path),
        Some(why) => {
            l.path == dir
                || looks_like_data(kind, &l.path)
                || matches!(
                    why,
                    Unreadable::FolderLink | Unreadable::TooDeep | Unreadable::Io(_)
                )
                || (recursive && matches!(why, Unreadable::Link | Unreadable::Submodule))
        }
    }
}

/// The `id` a YAML entity file's text declares, if it parses and has a text `id`: what git
/// follows a file by when it was renamed and changed in one commit (`git::Identify`).
pub fn entity_id(text: &str) -> Option<String> {
    match yaml::parse(text).ok()?.get("id").map(|v| &v.value) {
        Some(yaml::Value::Str(s)) => Some(s.clone()),
        _ => None,
    }
}

/// The id a file's text declares on its first top-level `id:` line (`id: x`, `id: "x"`,
/// `id: 'x' # note`), read as text, whether or not the file parses: what an unreadable file
/// would define (`unknown-reference`, the history of a removed file that no longer parsed).
pub fn declared_id(text: &str) -> Option<&str> {
    text.lines().find_map(|line| {
        let v = line.strip_prefix("id:")?;
        let v = v.split(" #").next().unwrap_or(v).trim();
        let v = v
            .strip_prefix('"')
            .and_then(|x| x.strip_suffix('"'))
            .or_else(|| v.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
            .unwrap_or(v);
        (!v.is_empty()).then_some(v)
    })
}

/// Reads and lowers the register in the working tree at `root`.
pub fn load(root: &Path) -> Result<Loaded> {
    load_tree(&WorkTree::new(root), root)
}

/// Reads and lowers the register from `tree`; `root` is where it lives (for display).
/// Configuration problems are a [`ConfigError`]; problems in the other files are findings in
/// [`Loaded::diagnostics`].
pub fn load_tree(tree: &dyn Tree, root: &Path) -> Result<Loaded> {
    load_inner(tree, root)
}

/// The load findings of one file's text read as `kind` on its own (no other file, no
/// rules): what `new` checks its output with before writing it.
pub fn lower_text(kind: Kind, path: &str, text: &str) -> Vec<Diagnostic> {
    match yaml::parse(text) {
        Ok(node) => lower_node(kind, text, &node),
        Err(e) => vec![Diagnostic::new(
            Code::YamlSyntax,
            Span::file_start(FileId(0)),
            format!("{path}: {}", e.message),
        )],
    }
}

/// The `yaml-syntax` finding of `e` (at byte `offset` of `text`): the parser's message at its
/// position, and where the cause is plain (a tab in the indentation, `: ` in unquoted text)
/// a label at the cause and a help line.
fn syntax_finding(file: FileId, text: &str, e: &yaml::YamlError, offset: usize) -> Diagnostic {
    let d = Diagnostic::new(
        Code::YamlSyntax,
        Span::new(file, offset, offset),
        e.message.clone(),
    );
    match yaml::hint(text, e, offset) {
        Some(h) => {
            let width = text.get(h.at..).and_then(|t| t.chars().next());
            let end = h.at + width.map_or(0, char::len_utf8);
            d.with_label(Span::new(file, h.at, end), h.label)
                .help(h.help)
        }
        None => d,
    }
}

/// The findings of lowering a parsed file (`text` parsed into `node`) into a `kind` of
/// entity, on its own: the lowering stage alone, for [`lower_text`] and the stage benchmarks.
pub fn lower_node(kind: Kind, text: &str, node: &yaml::Node) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut recorded = Recorded::default();
    let mut cx = Cx {
        file: FileId(0),
        text,
        diags: &mut diags,
        recorded: &mut recorded,
    };
    drop(lower(kind, &mut cx, node));
    diags
}

fn load_inner(tree: &dyn Tree, root: &Path) -> Result<Loaded> {
    let (sources, register, rules) = begin(tree, root)?;
    // Read, parse and lower every file in parallel (files are independent), then merge in
    // path order so ids, findings and entity order are the same on every run. Reading files
    // are read last, by `assemble`.
    let (csv_files, files): (Vec<Planned>, Vec<Planned>) =
        list_files(tree).into_iter().partition(|p| p.kind.is_csv());
    let base = sources.len();
    // The listing of what is not read (`file-ignored`) runs beside the files, not after.
    let (results, ignored) = rayon::join(
        || -> Vec<FileResult> {
            files
                .into_par_iter()
                .enumerate()
                .map(|(i, p)| process(tree, FileId((base + i) as u32), p))
                .collect()
        },
        || ignored_paths(tree),
    );
    Ok(assemble_with(
        tree, sources, register, rules, results, csv_files, ignored,
    ))
}

/// The first stage of a load: `airisk.toml` read (and what it names: the infosec register),
/// an empty register around its configuration. The data files come next, with
/// [`FileId`]s from `sources.len()` on.
pub fn begin(tree: &dyn Tree, root: &Path) -> Result<(Sources, Register, RuleLevels)> {
    let mut sources = Sources::default();
    let config_bytes = tree
        .read(CONFIG_FILE)
        .map_err(|e| anyhow::anyhow!("cannot read {CONFIG_FILE} in {}: {e}", tree.describe()))?;
    let config_text = String::from_utf8(config_bytes)
        .with_context(|| format!("{CONFIG_FILE} in {} is not valid UTF-8", tree.describe()))?;
    let config_file = sources.add(CONFIG_FILE.to_string(), config_text);
    let (config, rules) = match config::load(&mut sources, config_file, tree) {
        Ok(c) => c,
        Err(problems) => return Err(ConfigError { sources, problems }.into()),
    };
    let register = Register {
        root: root.to_path_buf(),
        config,
        people: None,
        systems: Vec::new(),
        risks: Vec::new(),
        assessments: Vec::new(),
        incidents: Vec::new(),
        soa: None,
        waivers: None,
        symbols: Default::default(),
    };
    Ok((sources, register, rules))
}

/// The last stage of a load: the results of every data file, in path order, merged into
/// the register begun by [`begin`], the reading files (`csv`, listed but not yet read: what
/// a row is kept for depends on the YAML files) read after them, the symbol index built and
/// the templates read. Each result's source goes to the place its [`FileResult::file`] names
/// (from `sources.len()` on); a place no result names (a file the language server has seen
/// removed since it gave out the id) holds an empty source with no path, which adds nothing
/// to the register.
pub fn assemble(
    tree: &dyn Tree,
    sources: Sources,
    register: Register,
    rules: RuleLevels,
    results: Vec<FileResult>,
    csv_files: Vec<Planned>,
) -> Loaded {
    let ignored = ignored_paths(tree);
    assemble_with(tree, sources, register, rules, results, csv_files, ignored)
}

/// [`assemble`], with the paths not read already listed ([`ignored_paths`]).
fn assemble_with(
    tree: &dyn Tree,
    mut sources: Sources,
    mut register: Register,
    rules: RuleLevels,
    results: Vec<FileResult>,
    csv_files: Vec<Planned>,
    ignored: Vec<Ignored>,
) -> Loaded {
    let mut diagnostics = Vec::new();
    // Grown once: moving every entity again as the vectors double cost more than the rest
    // of this loop.
    sources.reserve(results.len());
    let risks = results
        .iter()
        .filter(|r| matches!(r.entity, Lowered::Risk(_)))
        .count();
    register.risks.reserve(risks);
    let base = sources.len();
    let places = results
        .iter()
        .map(|r| r.file.0 as usize + 1)
        .max()
        .unwrap_or(base)
        .max(base)
        - base;
    // The sources are taken out of the results where they lie (each result is then merged
    // by value, in the order given): a second vector of the results' other parts would hold
    // a copy of every result at the peak of the load (docs/performance.md, fourth round).
    let mut placed: Vec<Option<SourceFile>> = (0..places).map(|_| None).collect();
    let mut results = results;
    for r in &mut results {
        let at = (r.file.0 as usize)
            .checked_sub(base)
            .expect("a data file's id comes after the configuration's sources");
        placed[at] = Some(std::mem::replace(&mut r.source, SourceFile::empty()));
    }
    for source in placed {
        sources.push(source.unwrap_or_else(SourceFile::empty));
    }
    // The entities first, each moved out of its box (freed as it goes), then the symbol
    // index, sized once: building both in one pass held every box, the register's vectors
    // and the index at once (docs/performance.md, fourth round).
    let mut recorded = Vec::with_capacity(results.len());
    for r in results {
        let file = r.file;
        let r = Merged {
            diags: r.diags,
            entity: r.entity,
            recorded: r.recorded,
        };
        let first = match r.entity {
            Lowered::People(_) => register.people.as_ref().and_then(|p| p.file),
            Lowered::Soa(_) => register.soa.as_ref().map(|s| s.file),
            Lowered::Waivers(_) => register.waivers.as_ref().map(|w| w.file),
            _ => None,
        };
        if let Some(first) = first {
            let d = Diagnostic::new(
                Code::DuplicateId,
                Span::file_start(file),
                format!(
                    "both `{}` and this file exist; only the first is read",
                    sources.path(first)
                ),
            )
            .with_label(Span::file_start(first), "read")
            .help("keep one of the two files");
            diagnostics.push(d);
            continue;
        }
        diagnostics.extend(r.diags);
        // The entity's kind and position among the register's entities of that kind.
        let from = match &r.entity {
            Lowered::None => None,
            Lowered::People(_) => Some((Kind::People, 0)),
            Lowered::Soa(s) => s.as_ref().map(|_| (Kind::Soa, 0)),
            Lowered::Waivers(w) => w.as_ref().map(|_| (Kind::Waivers, 0)),
            Lowered::System(x) => x.as_ref().map(|_| (Kind::System, register.systems.len())),
            Lowered::Risk(x) => x.as_ref().map(|_| (Kind::Risk, register.risks.len())),
            Lowered::Assessment(x) => x
                .as_ref()
                .map(|_| (Kind::Assessment, register.assessments.len())),
            Lowered::Incident(x) => x
                .as_ref()
                .map(|_| (Kind::Incident, register.incidents.len())),
        };
        if let Some(from) = from {
            recorded.push((from, r.recorded));
        }
        match r.entity {
            Lowered::None => {}
            Lowered::People(p) => register.people = Some(*p),
            Lowered::Soa(s) => register.soa = s.map(|s| *s),
            Lowered::Waivers(w) => register.waivers = w.map(|w| *w),
            Lowered::System(x) => register.systems.extend(x.map(|s| *s)),
            Lowered::Risk(x) => register.risks.extend(x),
            Lowered::Assessment(x) => register.assessments.extend(x.map(|a| *a)),
            Lowered::Incident(x) => register.incidents.extend(x.map(|i| *i)),
        }
    }
    let mut symbols = symbols::Builder::default();
    // The built-in ids come last: counted in, or the definitions' vector would double
    // for them (docs/performance.md, sixth round).
    symbols.reserve(
        recorded.iter().map(|(_, r)| r.defs.len()).sum::<usize>() + builtin_count(&register),
        recorded.len(),
    );
    for (from, r) in recorded {
        symbols.file(from, r, &sources);
    }
    // Reading files come after the YAML files: what a row is kept for depends on them.
    let first = sources.len();
    let csv_files = csv_files.into_iter().map(|p| (p.rel, p.refused)).collect();
    for (i, r) in readings::read_all(tree, first, csv_files, &mut register)
        .into_iter()
        .enumerate()
    {
        sources.push(r.source);
        diagnostics.extend(r.diags);
        symbols.file((Kind::Readings, i), r.recorded, &sources);
    }
    for i in ignored {
        let file = sources.add(i.rel, String::new());
        diagnostics.push(
            Diagnostic::new(Code::FileIgnored, Span::file_start(file), i.message).help(i.help),
        );
    }
    builtin_symbols(&mut symbols, &register);
    register.symbols = symbols.finish();
    let (templates, skipped_templates) = templates(tree, &mut sources, &mut diagnostics);
    Loaded {
        sources,
        register,
        diagnostics,
        rules,
        templates,
        skipped_templates,
    }
}

/// The ids that are not defined in a file: the taxonomy's, and those of airisk.toml (extra
/// categories, consequence types, the infosec register's entries).
fn builtin_symbols(b: &mut symbols::Builder, reg: &Register) {
    for (kind, ids) in builtin_ids(reg) {
        b.builtin(kind, ids);
    }
}

/// The number of [`builtin_ids`]: the index is sized for them with the files' definitions.
fn builtin_count(reg: &Register) -> usize {
    builtin_ids(reg).iter().map(|(_, ids)| ids.len()).sum()
}

/// The ids of [`builtin_symbols`], kind by kind.
fn builtin_ids(reg: &Register) -> Vec<(Kind, Vec<&str>)> {
    let t = taxonomy::Taxonomy::get();
    let config = &reg.config;
    let eu = &t.eu_ai_act;
    vec![
        (Kind::Control, t.controls().map(|c| c.id.as_str()).collect()),
        (
            Kind::Category,
            t.categories
                .iter()
                .map(|c| c.id.as_str())
                .chain(config.extra_categories.iter().map(|c| c.id.as_str()))
                .collect(),
        ),
        (
            Kind::Source,
            t.annex_c.sources.iter().map(|s| s.id.as_str()).collect(),
        ),
        (
            Kind::Objective,
            t.annex_c.objectives.iter().map(|s| s.id.as_str()).collect(),
        ),
        (
            Kind::ConsequenceType,
            config
                .criteria
                .consequence_types
                .iter()
                .map(String::as_str)
                .collect(),
        ),
        (
            Kind::Infosec,
            config
                .infosec
                .iter()
                .flat_map(|i| i.ids.iter().map(String::as_str))
                .collect(),
        ),
        (
            Kind::EuPoint,
            eu.annex_iii.iter().map(|p| p.id.as_str()).collect(),
        ),
        (
            Kind::EuAct,
            eu.annex_i.iter().map(|a| a.id.as_str()).collect(),
        ),
        (
            Kind::EuDuty,
            eu.transparency.iter().map(|d| d.id.as_str()).collect(),
        ),
        (
            Kind::EuObligation,
            eu.obligations
                .iter()
                .map(|o| o.id.as_str())
                .chain(eu.transparency.iter().map(|d| d.id.as_str()))
                .collect(),
        ),
    ]
}

/// The readable files of `templates/`, by name inside it; every file refused is a
/// `file-unreadable` finding (its path in `sources`, with no text) and is returned with why.
#[allow(clippy::type_complexity)]
fn templates(
    tree: &dyn Tree,
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> (BTreeMap<String, Vec<u8>>, Vec<(String, String)>) {
    let mut listed = tree.list(TEMPLATES_DIR, true);
    // Folders are entered, not read.
    listed.retain(|l| !is_subfolder(TEMPLATES_DIR, l));
    listed.sort_by(|a, b| a.path.cmp(&b.path));
    let mut read = BTreeMap::new();
    let mut skipped = Vec::new();
    for l in listed {
        let result = match l.refused {
            Some(why) => Err(why),
            None => tree.read(&l.path),
        };
        match result {
            Ok(bytes) => {
                let prefix = format!("{TEMPLATES_DIR}/");
                let name = l.path.strip_prefix(&prefix).unwrap_or(&l.path).to_string();
                read.insert(name, bytes);
            }
            Err(why) => {
                let file = sources.add(l.path.clone(), String::new());
                diagnostics.push(
                    Diagnostic::new(
                        Code::FileUnreadable,
                        Span::file_start(file),
                        format!("the template is not read: {why}"),
                    )
                    .help("documents are rendered without it: the built-in template of the same name is used, if there is one"),
                );
                skipped.push((l.path, why.to_string()));
            }
        }
    }
    (read, skipped)
}

/// A result merged into the register (its source already placed).
struct Merged {
    diags: Vec<Diagnostic>,
    entity: Lowered,
    recorded: Recorded,
}

/// What one file gave: its text, the findings of reading it, its entity, the symbols it
/// defines and names.
#[derive(Clone, Debug)]
pub struct FileResult {
    /// The id the file was read under: where [`assemble`] puts its source.
    pub file: FileId,
    pub source: SourceFile,
    pub diags: Vec<Diagnostic>,
    /// Two words: every kind of entity is boxed inside it, so that the results of every
    /// file, held together before they are merged, hold no room for the largest kind
    /// (docs/performance.md, fifth round).
    entity: Lowered,
    /// The symbols it defines and names.
    recorded: Recorded,
}

impl FileResult {
    /// The risk the file lowered to, if it is a risk's file and was read and parsed: what
    /// the governance report's trend counts of a past revision (workspace/report.rs), without
    /// assembling a register around it.
    pub fn into_risk(self) -> Option<Box<Risk>> {
        match self.entity {
            Lowered::Risk(x) => x,
            _ => None,
        }
    }

    /// Whether the file was read and parsed into an entity (a syntax error, an unreadable
    /// file or a file that is not a mapping gives none).
    pub fn parsed(&self) -> bool {
        match &self.entity {
            Lowered::None => false,
            Lowered::People(_) => true,
            Lowered::Soa(s) => s.is_some(),
            Lowered::Waivers(w) => w.is_some(),
            Lowered::System(x) => x.is_some(),
            Lowered::Risk(x) => x.is_some(),
            Lowered::Assessment(x) => x.is_some(),
            Lowered::Incident(x) => x.is_some(),
        }
    }
}

/// One value per file, moved once into the register. Every kind is boxed: the results of
/// every file are held together before they are merged, and an unboxed kind would make each
/// of them as large as the largest (a few hundred bytes per file). The register keeps the
/// risks' boxes (it holds its risks boxed), so a risk is not copied after the parallel load.
#[derive(Clone, Debug)]
enum Lowered {
    /// The file could not be read or parsed (its finding says why).
    None,
    People(Box<People>),
    Soa(Option<Box<Soa>>),
    Waivers(Option<Box<Waivers>>),
    System(Option<Box<System>>),
    Risk(Option<Box<Risk>>),
    Assessment(Option<Box<Assessment>>),
    Incident(Option<Box<Incident>>),
}

/// Lowers a parsed file of `kind` into its entity: the one place that says which function
/// of `entities` reads which kind of the table.
fn lower(kind: Kind, cx: &mut Cx, node: &yaml::Node) -> Lowered {
    match kind {
        Kind::People => Lowered::People(Box::new(entities::people(cx, node))),
        Kind::Soa => Lowered::Soa(entities::soa(cx, node).map(Box::new)),
        Kind::Waivers => Lowered::Waivers(entities::waivers(cx, node).map(Box::new)),
        Kind::System => Lowered::System(entities::system(cx, node).map(Box::new)),
        Kind::Risk => Lowered::Risk(entities::risk(cx, node).map(Box::new)),
        Kind::Assessment => Lowered::Assessment(entities::assessment(cx, node).map(Box::new)),
        Kind::Incident => Lowered::Incident(entities::incident(cx, node).map(Box::new)),
        // Kinds without files of their own are never listed.
        _ => Lowered::None,
    }
}

/// Reads, parses and lowers one file, which will have id `file` in the sources.
pub fn process(tree: &dyn Tree, file: FileId, planned: Planned) -> FileResult {
    let mut diags = Vec::new();
    let mut recorded = Recorded::default();
    let Planned { rel, kind, refused } = planned;
    let (source, node) = read(tree, file, rel, refused, &mut diags);
    let entity = match node {
        None => Lowered::None,
        Some(node) => {
            let mut cx = Cx {
                file,
                text: &source.text,
                diags: &mut diags,
                recorded: &mut recorded,
            };
            lower(kind, &mut cx, &node)
        }
    };
    // Every file's symbols are held until the index is built from all of them, so they
    // are held at their size, not at the doubling their vectors grew by
    // (docs/performance.md, fifth round).
    recorded.shrink_to_fit();
    FileResult {
        file,
        source,
        diags,
        entity,
        recorded,
    }
}

/// Reads and parses one file (or reports why the listing refused it); problems become
/// findings.
fn read(
    tree: &dyn Tree,
    file: FileId,
    rel: String,
    refused: Option<Unreadable>,
    diags: &mut Vec<Diagnostic>,
) -> (SourceFile, Option<yaml::Node>) {
    let read = match refused {
        Some(why) => Err(why),
        None => tree.read(&rel),
    };
    let bytes = match read {
        Ok(b) => b,
        Err(Unreadable::TooBig(n)) => {
            diags.push(
                Diagnostic::new(
                    Code::FileUnreadable,
                    Span::file_start(file),
                    format!(
                        "the file is {} MiB; register files are read up to {} MiB",
                        n >> 20,
                        MAX_FILE_BYTES >> 20
                    ),
                )
                .help("one entity per file: a register file is a few kilobytes"),
            );
            return (SourceFile::new(rel, String::new()), None);
        }
        Err(e) => {
            diags.push(Diagnostic::new(
                Code::FileUnreadable,
                Span::file_start(file),
                format!("cannot read the file: {e}"),
            ));
            return (SourceFile::new(rel, String::new()), None);
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let d = Diagnostic::new(
                Code::FileUnreadable,
                Span::new(file, at, at),
                "the file is not valid UTF-8",
            )
            .label("invalid byte sequence here")
            .help("save the file as UTF-8");
            diags.push(d);
            return (SourceFile::new(rel, text), None);
        }
    };
    let src = SourceFile::new(rel, text);
    match yaml::parse(&src.text) {
        Ok(node) => (src, Some(node)),
        Err(e) => {
            let offset = e.offset.unwrap_or_else(|| src.offset_of(e.line, e.column));
            diags.push(syntax_finding(file, &src.text, &e, offset));
            (src, None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::{risk, soa};
    use crate::model::symbols::At;

    fn base() -> Loaded {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base");
        load(&root).expect("the base fixture loads")
    }

    /// The base fixture in memory, with `edit` applied to the text of the file at `path`.
    fn base_edited(path: &str, edit: impl Fn(&str) -> String) -> Loaded {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base");
        let mut files = std::collections::BTreeMap::new();
        for e in walkdir::WalkDir::new(&root) {
            let e = e.expect("the fixture is readable");
            if e.file_type().is_file() {
                let rel = e.path().strip_prefix(&root).expect("under the root");
                let rel = rel.to_string_lossy().replace('\\', "/");
                let text = std::fs::read_to_string(e.path()).expect("text");
                let text = if rel == path { edit(&text) } else { text };
                files.insert(rel, text.into_bytes());
            }
        }
        load_tree(&MemTree(files), &root).expect("the edited fixture loads")
    }

    /// A reference written with quotes or escapes names the same symbol as one written
    /// plainly (the index reads the one from the text, keeps the other's value).
    #[test]
    fn references_quoted_or_escaped_name_the_same_symbol() {
        let l = base_edited("risks/R-002.yaml", |t| {
            t.replace("system: ticket-triage", "system: \"ticket\\x2dtriage\"")
                .replace("owner: asmith", "owner: 'asmith'")
        });
        let s = &l.register.symbols;
        let to: Vec<_> = s.references_to(Kind::System, "ticket-triage").collect();
        let plain = base();
        let before = plain
            .register
            .symbols
            .references_to(Kind::System, "ticket-triage")
            .count();
        assert_eq!(to.len(), before, "{to:?}");
        let file = l.register.risks[1].file;
        let quoted = to.iter().find(|r| r.span.file == file).expect("R-002's");
        assert_eq!(s.id(quoted), "ticket-triage");
        let text = &l.sources.get(file).text[quoted.span.range()];
        assert_ne!(text, "ticket-triage", "written otherwise: {text}");
        assert!(
            s.references_to(Kind::Person, "asmith")
                .any(|r| r.span.file == file)
        );
        assert!(
            l.diagnostics.is_empty(),
            "the quoted ids are read as ids: {:?}",
            l.diagnostics
        );
    }

    /// The index's definitions are sized once, the built-in ids included.
    #[test]
    fn the_definitions_are_sized_once() {
        let l = base();
        assert_eq!(l.register.symbols.spare_definitions(), 0);
    }

    #[test]
    fn declared_id_is_the_first_top_level_id_line() {
        assert_eq!(
            declared_id("id: ticket-triage\nname: ["),
            Some("ticket-triage")
        );
        assert_eq!(declared_id("id: \"R-001\"  # the first"), Some("R-001"));
        assert_eq!(declared_id("id: 'x y'"), Some("x y"));
        assert_eq!(declared_id("id:\nid: later"), Some("later"));
        assert_eq!(declared_id("id: first\nid: second"), Some("first"));
        assert_eq!(declared_id("  id: nested"), None);
        assert_eq!(declared_id("# id: commented"), None);
        assert_eq!(declared_id("idea: no"), None);
    }

    #[test]
    fn names_like_data_are_yaml_names_in_any_case_or_with_a_leftover_suffix() {
        for name in [
            "R-1.yaml",
            "R-1.YAML",
            "R-1.Yml",
            "R-1.yaml~",
            "R-1.yaml.orig",
            "#R-1.yaml#",
            "x.yaml",
        ] {
            assert!(named_like_yaml(name), "{name}");
        }
        for name in [
            "README.md",
            "R-1.yamlx",
            ".R-1.yaml.swp",
            "yaml",
            "notes.txt",
        ] {
            assert!(!named_like_yaml(name), "{name}");
        }
        assert_eq!(readable_name("R-1.YAML~").as_deref(), Some("R-1.yaml"));
        assert_eq!(readable_name("soa.yml.bak").as_deref(), Some("soa.yml"));
        assert_eq!(meant_folder("riks"), Some("risks"));
        assert_eq!(meant_folder("Incidents"), Some("incidents"));
        assert_eq!(meant_folder("system"), Some("systems"));
        assert_eq!(meant_folder("evidence"), None);
    }

    #[test]
    fn the_symbol_index_holds_every_definition_with_its_place() {
        let l = base();
        let s = &l.register.symbols;
        let r = s.get(Kind::Risk, "R-002").expect("a risk");
        assert_eq!(l.register.risks[r.item].id.value, "R-002");
        let span = r.span.expect("defined in a file");
        assert_eq!(l.sources.path(span.file), "risks/R-002.yaml");
        assert_eq!(&l.sources.get(span.file).text[span.range()], "R-002");
        // People and SoA decisions are entries of their files; controls are built in.
        let p = s.get(Kind::Person, "bjones").expect("a person");
        assert_eq!(l.sources.path(p.file().expect("a file")), "people.yaml");
        assert_eq!(s.ids(Kind::Decision).count(), 38);
        assert_eq!(s.get(Kind::Control, "A.6.2.4").and_then(|c| c.span), None);
        assert_eq!(s.ids(Kind::Category).count(), 8);
        assert_eq!(s.next_id(Kind::Risk, []).as_deref(), Some("R-004"));
    }

    #[test]
    fn every_reference_is_recorded_with_its_field() {
        let l = base();
        let s = &l.register.symbols;
        let to_system: Vec<_> = s.references_to(Kind::System, "ticket-triage").collect();
        assert!(to_system.len() >= 3, "{to_system:?}");
        let owner = to_system
            .iter()
            .find(|r| r.from() == (Kind::Risk, 0))
            .expect("R-001 names its system");
        assert!(owner.is_in(&risk::RISK, "system"));
        // The same value, found by its position.
        let span = owner.span;
        match s.at(span.file, span.range().start + 2) {
            Some(At::Reference(r)) => assert_eq!(s.id(r), "ticket-triage"),
            other => panic!("{other:?}"),
        }
        // A treatment's controls and the SoA's keys both name Annex A controls.
        let control: Vec<_> = s.references_to(Kind::Control, "A.6.2.4").collect();
        assert!(
            control
                .iter()
                .any(|r| r.is_in(&risk::TREATMENT, "controls"))
        );
        assert!(control.iter().any(|r| r.is_in(&soa::SOA, "controls")));
        // Every value of the model that names a person is a reference to one.
        let owners = l
            .register
            .risks
            .iter()
            .filter_map(|r| r.owner.as_ref())
            .count();
        let recorded = s
            .references()
            .filter(|r| r.kind == Kind::Person && r.is_in(&risk::RISK, "owner"))
            .count();
        assert_eq!(owners, recorded);
    }
}
