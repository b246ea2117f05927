//! `airisk pack DIR`: the audit pack — the governance report, the risk register (open and
//! closed risks), the Statement of Applicability, the due list and the history of every risk,
//! each in markdown and HTML, with a README naming what each file is and `MANIFEST.sha256`
//! listing every file's SHA-256 in the format `sha256sum -c` checks, so an auditor can
//! verify the pack without airisk.
//!
//! It never leaves half a pack: `output::create_folder` writes the files into a hidden
//! temporary folder beside DIR, renamed into place only when every file is written (and
//! removed on a failure or a signal). DIR must not exist or be an empty folder; anything else
//! (a file, a link, a non-empty folder) is refused (exit 2) before anything is read.

use super::history::Story;
use super::report::date_arg;
use super::{EXIT_OK, Env, Opened, render_bytes, stamp};
use crate::cli::Global;
use crate::model::Date;
use crate::render::Format;
use crate::report::{self, Document};
use crate::text::{markdown_cell, markdown_text, natural_cmp};
use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to write the pack to; it must not exist, or be empty.
    pub dir: PathBuf,
    /// As for `report`: the day of the last management review.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date_arg)]
    pub since: Option<Date>,
}

/// The name of the manifest.
pub const MANIFEST: &str = "MANIFEST.sha256";

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    let target = env.cwd.join(&args.dir);
    refuse_non_empty(&target)?;
    let (opened, history, no_git) = super::report::open(global, env)?;
    let reg = &opened.loaded.register;
    let sources = &opened.loaded.sources;
    let today = opened.today;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |env: &Env, name: &str, doc: &mut Document| -> Result<()> {
        stamp(doc, history.as_ref(), opened.trusted());
        for (ext, format) in [("md", Format::Markdown), ("html", Format::Html)] {
            let bytes = render_bytes(env, &opened, doc, format, Some(Path::new(name)))?;
            files.push((format!("{name}.{ext}"), bytes));
        }
        Ok(())
    };

    let mut doc = super::report::document(&opened, no_git.as_deref(), args.since, None)?;
    add(env, "report", &mut doc)?;
    let all = report::register::Options {
        status: Some(report::register::StatusFilter::All),
        ..Default::default()
    };
    add(
        env,
        "register",
        &mut report::register::build(reg, sources, today, &all)?,
    )?;
    add(
        env,
        "soa",
        &mut report::soa::build(reg, today, &report::soa::Options::default()),
    )?;
    add(
        env,
        "due",
        &mut report::due::build(reg, sources, today, reg.config.review.due_soon),
    )?;

    // The history of every risk.
    let mut histories: Vec<(String, String)> = Vec::new();
    if let Some(g) = &opened.git {
        let uncommitted = if g.rev.worktree {
            g.repo.uncommitted(&g.prefix)?
        } else {
            Vec::new()
        };
        let mut ids: Vec<&str> = reg
            .risks
            .iter()
            .map(|r| r.id.value.as_str())
            .filter(|id| !id.is_empty())
            .collect();
        ids.sort_by(|a, b| natural_cmp(a, b));
        ids.dedup();
        let mut taken = BTreeSet::new();
        for id in ids {
            let story = Story::read(g, &opened.loaded, id, &uncommitted)?;
            let name = format!("history/{}", file_name(id, &mut taken));
            files.push((format!("{name}.md"), story.markdown().into_bytes()));
            let mut doc = story.document(reg, today);
            stamp(&mut doc, history.as_ref(), opened.trusted());
            let html = render_bytes(env, &opened, &doc, Format::Html, Some(Path::new(&name)))?;
            files.push((format!("{name}.html"), html));
            histories.push((id.to_string(), name));
        }
    }

    let header = header(&opened, history.as_ref());
    files.push((
        "README.md".into(),
        readme(&opened, &header, &histories, no_git.as_deref()).into_bytes(),
    ));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut manifest = format!("# {header}\n");
    for (path, bytes) in &files {
        let _ = writeln!(manifest, "{}  {path}", hex(&Sha256::digest(bytes)));
    }
    files.push((MANIFEST.into(), manifest.into_bytes()));

    crate::output::create_folder(&target, &files)?;
    writeln!(
        env.stdout,
        "Wrote the audit pack to {}: {} files. Verify it with `sha256sum -c {MANIFEST}` in that folder.",
        args.dir.display(),
        files.len()
    )?;
    Ok(EXIT_OK)
}

/// DIR must not exist, or be an empty folder (not a link to one).
fn refuse_non_empty(target: &Path) -> Result<()> {
    if std::fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink()) {
        bail!(
            "refusing to write the audit pack to `{}`: it is a symbolic link\nhelp: name a new folder; nothing was written",
            target.display()
        );
    }
    match std::fs::read_dir(target) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                bail!(
                    "refusing to write the audit pack into `{}`: the folder is not empty\nhelp: name a new folder; nothing was written",
                    target.display()
                );
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(_) if target.exists() => bail!(
            "refusing to write the audit pack to `{}`: it exists and is not a folder\nhelp: name a new folder; nothing was written",
            target.display()
        ),
        Err(e) => Err(e).with_context(|| format!("cannot read `{}`", target.display())),
    }
}

/// What the pack was rendered from, on one line (the manifest's comment, the README).
fn header(opened: &Opened, history: Option<&crate::git::History>) -> String {
    let version = format!("airisk {}", env!("CARGO_PKG_VERSION"));
    let from = match history.map(|h| h.document_control(opened.trusted())) {
        Some(dc) if dc.draft => format!(
            "commit {} of {} with uncommitted changes (DRAFT)",
            dc.commit, dc.day
        ),
        Some(dc) => format!("commit {} of {}", dc.commit, dc.day),
        None => "a register outside git (no commit)".to_string(),
    };
    format!(
        "airisk audit pack rendered from {from}, as of {}, by {version}",
        opened.today
    )
}

fn readme(
    opened: &Opened,
    header: &str,
    histories: &[(String, String)],
    no_git: Option<&str>,
) -> String {
    let reg = &opened.loaded.register;
    let org = &reg.config.organisation;
    let mut o = String::new();
    let _ = writeln!(o, "# Audit pack: {}\n", markdown_text(&org.name));
    let _ = writeln!(o, "{header}.\n");
    if let Some(scope) = &org.scope {
        let _ = writeln!(o, "AIMS scope: {}\n", markdown_text(scope));
    }
    let _ = writeln!(
        o,
        "Verify that no file was changed: `sha256sum -c {MANIFEST}` in this folder (every line must say OK). The manifest's first line, a comment, names the commit.\n"
    );
    let _ = writeln!(o, "| file | what |\n|---|---|");
    let rows = [
        (
            "report.md, report.html",
            "the governance report: the inputs of the management review (Clause 9.3)".to_string(),
        ),
        (
            "register.md, register.html",
            "the AI risk register (Clause 6.1.2), open and closed risks".to_string(),
        ),
        (
            "soa.md, soa.html",
            "the Statement of Applicability over the 38 Annex A controls (Clause 6.1.3)"
                .to_string(),
        ),
        (
            "due.md, due.html",
            format!(
                "reviews and actions overdue or due within {}",
                reg.config.review.due_soon
            ),
        ),
    ];
    for (f, what) in rows {
        let _ = writeln!(o, "| {f} | {what} |");
    }
    if histories.is_empty() {
        let why = no_git.unwrap_or("the register has no risk");
        let _ = writeln!(
            o,
            "| history/ | none: the history of each risk comes from git ({}) |",
            markdown_cell(why)
        );
    } else {
        for (id, name) in histories {
            let _ = writeln!(
                o,
                "| {name}.md, {name}.html | the commits that changed risk {}: author, date, pull request, approvals, field changes |",
                markdown_cell(id)
            );
        }
    }
    let _ = writeln!(
        o,
        "| {MANIFEST} | the SHA-256 of every other file, for `sha256sum -c` |"
    );
    o
}

/// A file name for an id: letters, digits, `-`, `_` and `.` kept, anything else `_`; never
/// hidden, never `..`, and unique within the pack (case-insensitively).
fn file_name(id: &str, taken: &mut BTreeSet<String>) -> String {
    let mut base: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if base.is_empty() || base.starts_with('.') {
        base.insert(0, '_');
    }
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.to_lowercase()) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_unique() {
        let mut taken = BTreeSet::new();
        assert_eq!(file_name("R-001", &mut taken), "R-001");
        assert_eq!(file_name("../etc/passwd", &mut taken), "_.._etc_passwd");
        assert_eq!(file_name(".hidden", &mut taken), "_.hidden");
        assert_eq!(file_name("r-001", &mut taken), "r-001-2");
        assert_eq!(file_name("a b\nc", &mut taken), "a_b_c");
        assert_eq!(file_name("", &mut taken), "_");
    }

    #[test]
    fn sha256_in_hex() {
        assert_eq!(
            hex(&Sha256::digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
