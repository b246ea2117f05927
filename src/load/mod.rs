//! Loading a register: find it, read every file once, parse YAML into span-carrying trees,
//! and lower them into the [`model`](crate::model). Findings about single files
//! (`yaml-syntax`, `file-unreadable`, `unknown-field`, `missing-field`, `invalid-value`) are
//! produced here; everything that relates files to each other is a rule in `check`.
//!
//! The only I/O of a `check` run happens in this module (plus `evidence-not-found`, which
//! asks whether a path exists).

pub mod config;
pub mod entities;
pub mod fields;
pub mod tree;
pub mod yaml;

pub use config::{ConfigError, ConfigProblem};
pub use tree::{Tree, WorkTree};

use crate::diag::{Code, Diagnostic};
use crate::model::{FileId, Register, Span};
use crate::source::Sources;
use anyhow::{Context, Result, bail};
use fields::Cx;
use std::path::{Path, PathBuf};

/// The file that marks a register's root.
pub const CONFIG_FILE: &str = "airisk.toml";

/// A loaded register with the files it was read from and the findings of loading.
#[derive(Debug)]
pub struct Loaded {
    pub sources: Sources,
    pub register: Register,
    pub diagnostics: Vec<Diagnostic>,
}

/// Finds the register: `explicit` (from `-C`) must hold airisk.toml; otherwise walk up from
/// `cwd` to the first folder that does.
pub fn discover(cwd: &Path, explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = explicit {
        let dir = cwd.join(dir);
        if dir.join(CONFIG_FILE).is_file() {
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
        if dir.join(CONFIG_FILE).is_file() {
            return Ok(dir.to_path_buf());
        }
    }
    bail!(
        "could not find {CONFIG_FILE} in `{}` or any parent folder\n\
         help: run airisk inside a register, pass `-C DIR`, or create one with `airisk init`",
        cwd.display()
    )
}

/// The kinds of entity file, by where they live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    People,
    Soa,
    System,
    Risk,
    Assessment,
    Incident,
}

/// Every register file to read, in path order: (relative path with `/`, kind).
fn list_files(tree: &dyn Tree) -> Result<Vec<(String, Kind)>> {
    let mut out = Vec::new();
    for (stem, kind) in [("people", Kind::People), ("soa", Kind::Soa)] {
        // `.yaml` or `.yml`; with both, the first is read and the second is reported.
        for ext in ["yaml", "yml"] {
            let name = format!("{stem}.{ext}");
            if tree.is_file(&name) {
                out.push((name, kind));
            }
        }
    }
    for (dir, kind, recursive) in [
        ("systems", Kind::System, false),
        ("risks", Kind::Risk, true),
        ("assessments", Kind::Assessment, false),
        ("incidents", Kind::Incident, false),
    ] {
        let mut files: Vec<String> = tree
            .list(dir, recursive)?
            .into_iter()
            .filter(|p| p.ends_with(".yaml") || p.ends_with(".yml"))
            .collect();
        files.sort();
        out.extend(files.into_iter().map(|f| (f, kind)));
    }
    Ok(out)
}

/// Reads and lowers the register in the working tree at `root`.
pub fn load(root: &Path) -> Result<Loaded> {
    load_tree(&WorkTree::new(root), root)
}

/// Reads and lowers the register from `tree`; `root` is where it lives (for display).
/// Configuration problems are a [`ConfigError`]; problems in the other files are findings in
/// [`Loaded::diagnostics`].
pub fn load_tree(tree: &dyn Tree, root: &Path) -> Result<Loaded> {
    let mut sources = Sources::default();
    let config_bytes = tree
        .read(CONFIG_FILE)
        .with_context(|| format!("cannot read {CONFIG_FILE} in {}", tree.describe()))?;
    let config_text = String::from_utf8(config_bytes)
        .with_context(|| format!("{CONFIG_FILE} in {} is not valid UTF-8", tree.describe()))?;
    let config_file = sources.add(CONFIG_FILE.to_string(), config_text);
    let config = match config::load(&mut sources, config_file, tree) {
        Ok(c) => c,
        Err(problems) => return Err(ConfigError { sources, problems }.into()),
    };

    let mut diagnostics = Vec::new();
    let mut register = Register {
        root: root.to_path_buf(),
        config,
        people: None,
        systems: Vec::new(),
        risks: Vec::new(),
        assessments: Vec::new(),
        incidents: Vec::new(),
        soa: None,
    };
    for (rel, kind) in list_files(tree)? {
        let (file, node) = read(&mut sources, tree, rel, &mut diagnostics);
        let Some(node) = node else { continue };
        let first = match kind {
            Kind::People => register.people.as_ref().and_then(|p| p.file),
            Kind::Soa => register.soa.as_ref().map(|s| s.file),
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
        let mut cx = Cx {
            file,
            text: &sources.get(file).text,
            diags: &mut diagnostics,
        };
        match kind {
            Kind::People => register.people = Some(entities::people(&mut cx, &node)),
            Kind::Soa => register.soa = entities::soa(&mut cx, &node),
            Kind::System => register.systems.extend(entities::system(&mut cx, &node)),
            Kind::Risk => register.risks.extend(entities::risk(&mut cx, &node)),
            Kind::Assessment => register
                .assessments
                .extend(entities::assessment(&mut cx, &node)),
            Kind::Incident => register
                .incidents
                .extend(entities::incident(&mut cx, &node)),
        }
    }
    Ok(Loaded {
        sources,
        register,
        diagnostics,
    })
}

/// Reads one file into `sources` and parses it; problems become findings.
fn read(
    sources: &mut Sources,
    tree: &dyn Tree,
    rel: String,
    diags: &mut Vec<Diagnostic>,
) -> (FileId, Option<yaml::Node>) {
    let bytes = match tree.read(&rel) {
        Ok(b) => b,
        Err(e) => {
            let file = sources.add(rel, String::new());
            diags.push(Diagnostic::new(
                Code::FileUnreadable,
                Span::file_start(file),
                format!("cannot read the file: {e}"),
            ));
            return (file, None);
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let file = sources.add(rel, text);
            let d = Diagnostic::new(
                Code::FileUnreadable,
                Span::new(file, at, at),
                "the file is not valid UTF-8",
            )
            .label("invalid byte sequence here")
            .help("save the file as UTF-8");
            diags.push(d);
            return (file, None);
        }
    };
    let file = sources.add(rel, text);
    let src = sources.get(file);
    match yaml::parse(&src.text) {
        Ok(node) => (file, Some(node)),
        Err(e) => {
            let offset = e.offset.unwrap_or_else(|| src.offset_of(e.line, e.column));
            let d = Diagnostic::new(Code::YamlSyntax, Span::new(file, offset, offset), e.message);
            diags.push(d);
            (file, None)
        }
    }
}
