//! The rule-case format (`tests/rules/<code>[--variant].toml`, described in
//! tests/rules/README.md): the base register (`tests/fixtures/base`, clean) and a list of
//! edits to it, which *are* the defect, with the expected findings pinned (code, file, line,
//! column). Shared by the `cases` target (one test per case, tests/cases/main.rs) and the
//! tests of the `it` binary that go over every case (docs, SARIF, schema).
//!
//! ```toml
//! description = "what the defect is"
//! as_of = "2026-11-01"                 # optional
//!
//! [[edit]]                             # change a file: `replace` occurs exactly once in it
//! file = "risks/R-001.yaml"
//! replace = "likelihood: 3"
//! with = "likelihood: 9"
//!
//! [[edit]]                             # lines after the line holding `after` (once)
//! file = "risks/R-001.yaml"
//! after = "status: open"
//! insert = '''
//! colour: red
//! '''
//!
//! [[edit]]                             # a file the register does not have yet
//! file = "risks/R-004.yaml"
//! copy = "risks/R-002.yaml"            # or: new = '''...''', or: new_bytes = [0xff, ...]
//!
//! [[edit]]                             # a file taken out
//! file = "evidence/provider-dpa-review.md"
//! delete = true
//!
//! [[expect]]
//! code = "unknown-reference"
//! file = "risks/R-001.yaml"
//! line = 4
//! column = 11
//! message = "unknown category"         # optional: a substring of the message
//! ```
//!
//! An edit that cannot apply as written (its text matches nothing, or more than once; a new
//! file that exists; a file that does not) is a harness error naming the case and the edit,
//! never a silent change of what the case tests.

use crate::support::{AS_OF, Outcome, check_register, date, root};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The files of a register: path relative to its root (`/`-separated) to content.
pub type Files = BTreeMap<String, Vec<u8>>;

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub description: String,
    pub as_of: Option<String>,
    #[serde(default)]
    pub edit: Vec<Edit>,
    #[serde(default)]
    pub expect: Vec<Expect>,
}

/// One change to the register. Exactly one of `replace` (with `with`), `after` (with
/// `insert`), `new`, `new_bytes`, `copy` and `delete`.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    pub file: String,
    pub replace: Option<String>,
    pub with: Option<String>,
    pub after: Option<String>,
    pub insert: Option<String>,
    pub new: Option<String>,
    pub new_bytes: Option<Vec<u8>>,
    pub copy: Option<String>,
    #[serde(default)]
    pub delete: bool,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub code: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: Option<String>,
}

/// What an [`Edit`] does, once its fields are checked.
enum Op<'a> {
    Replace { text: &'a str, with: &'a str },
    After { anchor: &'a str, insert: &'a str },
    New(&'a [u8]),
    Copy(&'a str),
    Delete,
}

/// Every case file, in name order.
pub fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root().join("tests/rules"))
        .expect("tests/rules")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    cases.sort();
    cases
}

/// The name of a case: its file name without `.toml`.
pub fn name(path: &Path) -> String {
    path.file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// The base register, read once per process.
pub fn base() -> &'static Files {
    static BASE: std::sync::OnceLock<Files> = std::sync::OnceLock::new();
    BASE.get_or_init(|| {
        let dir = root().join("tests/fixtures/base");
        let mut files = Files::new();
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.expect("readable fixture");
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(&dir).expect("inside");
                let rel = rel.to_string_lossy().replace('\\', "/");
                files.insert(rel, std::fs::read(entry.path()).expect("read fixture"));
            }
        }
        files
    })
}

impl Case {
    /// Reads and checks a case file (its syntax only; edits are checked as they apply).
    pub fn load(path: &Path) -> Result<Case, String> {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        Case::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Case, String> {
        let case: Case = toml::from_str(text).map_err(|e| format!("bad case file: {e}"))?;
        if case.description.trim().is_empty() {
            return Err("the case has no description".into());
        }
        if case.edit.is_empty() {
            return Err(
                "the case makes no [[edit]]: the base register alone is `base_fixture_is_clean`"
                    .into(),
            );
        }
        Ok(case)
    }

    /// (code, file) of every expected finding.
    pub fn expected(&self) -> impl Iterator<Item = (&str, &str)> {
        self.expect
            .iter()
            .map(|e| (e.code.as_str(), e.file.as_str()))
    }

    /// The as-of date the case is checked at.
    pub fn as_of(&self) -> chrono::NaiveDate {
        date(self.as_of.as_deref().unwrap_or(AS_OF))
    }

    /// The case's register: the base with every edit applied, in order.
    pub fn files(&self) -> Result<Files, String> {
        let mut files = base().clone();
        for (i, edit) in self.edit.iter().enumerate() {
            edit.apply(&mut files)
                .map_err(|e| format!("[[edit]] {} (file = {:?}): {e}", i + 1, edit.file))?;
        }
        Ok(files)
    }

    /// The files the edits touch (that still exist), in path order.
    #[allow(dead_code)] // for the `cases` target's failure reports
    pub fn edited<'f>(&self, files: &'f Files) -> Vec<(&'f str, &'f [u8])> {
        files
            .iter()
            .filter(|(k, _)| self.edit.iter().any(|e| &e.file == *k))
            .map(|(k, v)| (k.as_str(), v.as_slice()))
            .collect()
    }
}

impl Edit {
    fn op(&self) -> Result<Op<'_>, String> {
        let mut ops = Vec::new();
        if let Some(text) = &self.replace {
            let with = self
                .with
                .as_deref()
                .ok_or("`replace` needs `with` (`with = \"\"` to delete the text)")?;
            ops.push(Op::Replace { text, with });
        }
        if let Some(anchor) = &self.after {
            let insert = self.insert.as_deref().ok_or("`after` needs `insert`")?;
            ops.push(Op::After { anchor, insert });
        }
        if let Some(text) = &self.new {
            ops.push(Op::New(text.as_bytes()));
        }
        if let Some(bytes) = &self.new_bytes {
            ops.push(Op::New(bytes));
        }
        if let Some(from) = &self.copy {
            ops.push(Op::Copy(from));
        }
        if self.delete {
            ops.push(Op::Delete);
        }
        if self.with.is_some() && self.replace.is_none() {
            return Err("`with` belongs to `replace`".into());
        }
        if self.insert.is_some() && self.after.is_none() {
            return Err("`insert` belongs to `after`".into());
        }
        match ops.len() {
            1 => Ok(ops.remove(0)),
            0 => {
                Err("no operation: give one of replace, after, new, new_bytes, copy, delete".into())
            }
            _ => Err("more than one operation in one [[edit]]: split it".into()),
        }
    }

    fn apply(&self, files: &mut Files) -> Result<(), String> {
        let op = self.op()?;
        let file = &self.file;
        if file.is_empty()
            || file.starts_with('/')
            || file.contains('\\')
            || file.split('/').any(|p| matches!(p, "" | "." | ".."))
        {
            return Err("`file` is a relative path inside the register, `/`-separated".into());
        }
        let exists = files.contains_key(file);
        match op {
            Op::New(_) | Op::Copy(_) if exists => {
                return Err("the file exists: change it with `replace` or `after`".into());
            }
            Op::Replace { .. } | Op::After { .. } | Op::Delete if !exists => {
                return Err("no such file in the register".into());
            }
            _ => {}
        }
        match op {
            Op::Delete => {
                files.remove(file);
            }
            Op::New(bytes) => {
                files.insert(file.clone(), bytes.to_vec());
            }
            Op::Copy(from) => {
                let bytes = files
                    .get(from)
                    .ok_or_else(|| format!("`copy`: no file `{from}` in the register"))?
                    .clone();
                files.insert(file.clone(), bytes);
            }
            Op::Replace { text, with } => {
                let old = utf8(&files[file])?;
                let at = once(old, text, "replace")?;
                let new = format!("{}{with}{}", &old[..at], &old[at + text.len()..]);
                files.insert(file.clone(), new.into_bytes());
            }
            Op::After { anchor, insert } => {
                if anchor.contains('\n') {
                    return Err("`after` is text within one line".into());
                }
                if !insert.ends_with('\n') {
                    return Err("`insert` is whole lines: it ends with a line break".into());
                }
                let old = utf8(&files[file])?;
                let at = once(old, anchor, "after")?;
                let end = old[at..]
                    .find('\n')
                    .map(|n| at + n + 1)
                    .ok_or("the line holding `after` has no line break")?;
                let new = format!("{}{insert}{}", &old[..end], &old[end..]);
                files.insert(file.clone(), new.into_bytes());
            }
        }
        Ok(())
    }
}

fn utf8(bytes: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(bytes)
        .map_err(|_| "the file is not UTF-8 text: give it whole with `new_bytes`".to_string())
}

/// Where `text` occurs in `hay`, when it occurs exactly once.
fn once(hay: &str, text: &str, what: &str) -> Result<usize, String> {
    if text.is_empty() {
        return Err(format!("`{what}` is empty"));
    }
    let mut at = hay.match_indices(text).map(|(i, _)| i);
    match (at.next(), at.count()) {
        (Some(i), 0) => Ok(i),
        (None, _) => Err(format!("`{what}` matches nothing: {text:?}")),
        (Some(_), n) => Err(format!(
            "`{what}` matches {} times, not once: give more of the text around it: {text:?}",
            n + 1
        )),
    }
}

/// Writes `files` into the folder `dir`.
pub fn write(files: &Files, dir: &Path) {
    for (rel, content) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write fixture file");
    }
}

/// A case built in a temporary folder (removed once checked) and checked.
pub struct Checked {
    pub name: String,
    pub case: Case,
    /// The register as the case makes it.
    pub files: Files,
    pub outcome: Outcome,
}

impl Checked {
    /// Loads, builds and checks the case at `path`.
    pub fn run(path: &Path) -> Result<Checked, String> {
        let case = Case::load(path)?;
        let files = case.files()?;
        let dir = tempfile::tempdir().expect("tempdir");
        write(&files, dir.path());
        let outcome =
            check_register(dir.path(), case.as_of(), false).map_err(|e| format!("{e:#}"))?;
        Ok(Checked {
            name: name(path),
            case,
            files,
            outcome,
        })
    }
}
