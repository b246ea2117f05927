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
pub mod yaml;

pub use config::{ConfigError, ConfigProblem};

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
fn list_files(root: &Path) -> Result<Vec<(String, Kind)>> {
    let mut out = Vec::new();
    for (stem, kind) in [("people", Kind::People), ("soa", Kind::Soa)] {
        // `.yaml` or `.yml`; with both, the first is read and the second is reported.
        for ext in ["yaml", "yml"] {
            let name = format!("{stem}.{ext}");
            if root.join(&name).is_file() {
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
        let base = root.join(dir);
        if !base.is_dir() {
            continue;
        }
        let walker = walkdir::WalkDir::new(&base)
            .follow_links(false)
            .max_depth(if recursive { 64 } else { 1 })
            .sort_by_file_name();
        for entry in walker {
            let entry = entry.with_context(|| format!("cannot read folder `{dir}`"))?;
            let name = entry.file_name().to_string_lossy();
            if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
                continue;
            }
            let ft = entry.file_type();
            let is_file = if ft.is_symlink() {
                // A link is read only when it points at a file inside the register.
                match (entry.path().canonicalize(), root.canonicalize()) {
                    (Ok(target), Ok(r)) => target.starts_with(r) && target.is_file(),
                    _ => false,
                }
            } else {
                ft.is_file()
            };
            if !is_file {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(root)
                .unwrap_or(entry.path())
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((rel, kind));
        }
    }
    Ok(out)
}

/// Reads and lowers the register at `root`. Configuration problems are a [`ConfigError`];
/// problems in the other files are findings in [`Loaded::diagnostics`].
pub fn load(root: &Path) -> Result<Loaded> {
    let mut sources = Sources::default();
    let config_path = root.join(CONFIG_FILE);
    let config_text = std::fs::read_to_string(&config_path)
        .with_context(|| format!("cannot read `{}`", config_path.display()))?;
    let config_file = sources.add(CONFIG_FILE.to_string(), config_text);
    let config = match config::load(&mut sources, config_file, root) {
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
    for (rel, kind) in list_files(root)? {
        let (file, node) = read(&mut sources, root, rel, &mut diagnostics);
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
    root: &Path,
    rel: String,
    diags: &mut Vec<Diagnostic>,
) -> (FileId, Option<yaml::Node>) {
    let bytes = match std::fs::read(root.join(&rel)) {
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
