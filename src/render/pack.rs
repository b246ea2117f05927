//! The audit pack's own files: its README (what each file is, how to verify the pack) and
//! `MANIFEST.sha256`, in the format `sha256sum -c` checks. The workspace assembles the pack
//! and computes the digests (`workspace::pack`).

use crate::report::pack::Index;
use crate::text::{markdown_cell, markdown_text};
use std::fmt::Write as _;

/// The name of the manifest.
pub const MANIFEST: &str = "MANIFEST.sha256";

/// The manifest: a comment line naming what the pack was rendered from, then one
/// `digest  path` line per file.
pub fn manifest(header: &str, files: &[(String, String)]) -> String {
    let mut out = format!("# {header}\n");
    for (digest, path) in files {
        let _ = writeln!(out, "{digest}  {path}");
    }
    out
}

pub fn readme(index: &Index) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Audit pack: {}\n", markdown_text(&index.organisation));
    let _ = writeln!(o, "{}.\n", index.header);
    if let Some(scope) = &index.scope {
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
                index.due_soon
            ),
        ),
    ];
    for (f, what) in rows {
        let _ = writeln!(o, "| {f} | {what} |");
    }
    if index.histories.is_empty() {
        let why = index
            .no_history
            .as_deref()
            .unwrap_or("the register has no risk");
        let _ = writeln!(
            o,
            "| history/ | none: the history of each risk comes from git ({}) |",
            markdown_cell(why)
        );
    } else {
        for (id, name, removed) in &index.histories {
            let id = markdown_cell(id);
            let what = if *removed {
                format!(
                    "risk {id}, removed from the register: the commits that changed it, ending with its removal"
                )
            } else {
                format!("the commits that changed risk {id}")
            };
            let _ = writeln!(
                o,
                "| {name}.md, {name}.html | {what}: author, date, pull request, approvals, field changes |"
            );
        }
    }
    let _ = writeln!(
        o,
        "| {MANIFEST} | the SHA-256 of every other file, for `sha256sum -c` |"
    );
    o
}
