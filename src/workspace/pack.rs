//! The audit pack (`airisk pack DIR`), assembled: the governance report, the risk register
//! (open and closed risks), the Statement of Applicability, the due list and the history of
//! every risk, each in markdown and HTML, a README naming what each file is, and
//! `MANIFEST.sha256` listing every file's SHA-256 in the format `sha256sum -c` checks, so an
//! auditor can verify the pack without airisk. The files come back in memory; the front end
//! writes them (all or nothing).

use super::{Opened, Screen};
use crate::git;
use crate::model::Date;
use crate::render::Format;
use crate::render::pack::{MANIFEST, manifest, readme};
use crate::report::{self, Document, pack::Index};
use crate::text::natural_cmp;
use anyhow::Result;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// Every file of the pack, by its path in the pack, in path order with the manifest last.
pub fn build(
    opened: &Opened,
    history: Option<&git::History>,
    since: Option<Date>,
) -> Result<Vec<(String, Vec<u8>)>> {
    let reg = &opened.loaded.register;
    let sources = &opened.loaded.sources;
    let today = opened.today;
    // Files, not a terminal: no colour, no width.
    let screen = Screen::default();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    // The same document control for every document of the pack: computed once.
    let stamp = opened.stamp_of(history);
    let mut add = |name: &str, doc: &mut Document| -> Result<()> {
        stamp.apply(doc);
        for (ext, format) in [("md", Format::Markdown), ("html", Format::Html)] {
            files.push((format!("{name}.{ext}"), opened.render(doc, format, screen)?));
        }
        Ok(())
    };

    add("report", &mut super::report::document(opened, since, None)?)?;
    let all = report::register::Options {
        status: Some(report::register::StatusFilter::All),
        ..Default::default()
    };
    add(
        "register",
        &mut report::register::build(reg, sources, today, &all)?,
    )?;
    add(
        "soa",
        &mut report::soa::build(reg, today, &report::soa::Options::default()),
    )?;
    add(
        "due",
        &mut report::due::build(reg, sources, today, reg.config.review.due_soon),
    )?;

    // The history of every risk.
    let mut histories: Vec<(String, String, bool)> = Vec::new();
    if let Some(g) = &opened.git {
        let uncommitted = g.uncommitted()?;
        let mut ids: Vec<&str> = reg
            .risks
            .iter()
            .map(|r| r.id.value.as_str())
            .filter(|id| !id.is_empty())
            .collect();
        ids.sort_by(|a, b| natural_cmp(a, b));
        ids.dedup();
        let mut taken = BTreeSet::new();
        // Every risk's history from one read of the first-parent line, then the risks history
        // removed (their record ends with the removal); names given in this order.
        let mut stories = super::history::read_all(g, &opened.loaded, &ids, &uncommitted)?;
        for id in ids {
            let name = format!("history/{}", file_name(id, &mut taken));
            histories.push((id.to_string(), name, false));
        }
        for (id, story) in super::history::read_removed_risks(g, &opened.loaded)? {
            let name = format!("history/{}", file_name(&id, &mut taken));
            histories.push((id, name, true));
            stories.push(story);
        }
        // Built and stamped here, rendered on every core (at 50,000 risks, 100,000
        // documents) a chunk at a time, in order.
        let opts = opened.render_options(screen);
        let mut stories = stories.into_iter();
        for names in histories.chunks(RENDER_CHUNK) {
            let docs: Vec<(&str, Document)> = names
                .iter()
                .zip(stories.by_ref())
                .map(|((_, name, _), story)| {
                    let mut doc = report::history::build(reg, today, story);
                    stamp.apply(&mut doc);
                    (name.as_str(), doc)
                })
                .collect();
            let rendered: Vec<Result<[PackFile; 2]>> = docs
                .par_iter()
                .map(|(name, doc)| {
                    Ok([
                        (
                            format!("{name}.md"),
                            crate::render::render_bytes(doc, Format::Markdown, &opts)?,
                        ),
                        (
                            format!("{name}.html"),
                            crate::render::render_bytes(doc, Format::Html, &opts)?,
                        ),
                    ])
                })
                .collect();
            for r in rendered {
                files.extend(r?);
            }
        }
    }

    let header = header(opened, history);
    let org = &reg.config.organisation;
    let index = Index {
        organisation: org.name.clone(),
        scope: org.scope.clone(),
        header: header.clone(),
        due_soon: reg.config.review.due_soon.to_string(),
        histories,
        no_history: opened.no_git.clone(),
    };
    files.push(("README.md".into(), readme(&index).into_bytes()));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let digests: Vec<(String, String)> = files
        .par_iter()
        .map(|(path, bytes)| (hex(&Sha256::digest(bytes)), path.clone()))
        .collect();
    files.push((MANIFEST.into(), manifest(&header, &digests).into_bytes()));
    Ok(files)
}

/// What the pack was rendered from, on one line (the manifest's comment, the README).
fn header(opened: &Opened, history: Option<&git::History>) -> String {
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

/// A file of the pack: its path in the pack and its bytes.
type PackFile = (String, Vec<u8>);

/// Histories rendered together on every core (bounded, so that the built documents of a
/// large register are not all held at once).
const RENDER_CHUNK: usize = 1024;

/// The longest file name a history gets, before its extension and a `-N` to keep it unique.
const MAX_NAME: usize = 100;

/// A file name for an id: letters, digits, `-`, `_` and `.` kept, anything else `_`, at most
/// [`MAX_NAME`] of them; never hidden, never `..`, and unique within the pack
/// (case-insensitively).
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
    // Every character is ASCII now; a name stays well within a file system's 255 bytes
    // (an id read from a removed file of history is not checked like the register's).
    base.truncate(MAX_NAME);
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
        let long = "R".repeat(5000);
        assert_eq!(file_name(&long, &mut taken).len(), MAX_NAME);
        assert_eq!(file_name(&long, &mut taken).len(), MAX_NAME + 2);
    }

    #[test]
    fn sha256_in_hex() {
        assert_eq!(
            hex(&Sha256::digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
