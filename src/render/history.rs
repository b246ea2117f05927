//! One entity's history (a document carrying a `report::history::Story`) for the terminal —
//! a commit list, one commit per paragraph —, as markdown (a table of commits, then each
//! commit's facts and field changes) and as JSON (versioned, every commit's full
//! description). HTML goes through the `history.html` template, like any document.
//!
//! Register and git text is escaped where it enters the output (`text`): one line for the
//! terminal, markdown text, cell or code span.

use super::changes::{field_line, field_row};
use crate::report::history::{Commit, Story};
use crate::text::{markdown_cell, markdown_code, markdown_text, terminal_line};
use anyhow::Result;
use serde_json::json;
use std::fmt::Write as _;

/// The terminal's commit list.
pub fn text(story: &Story) -> String {
    let s = &story.subject;
    let threshold = Some(story.threshold);
    let mut o = String::new();
    let _ = writeln!(
        o,
        "history of {} `{}` ({}), newest first",
        s.kind,
        terminal_line(&s.id),
        terminal_line(&s.file)
    );
    if story.uncommitted {
        let _ = writeln!(o, "the working tree has uncommitted changes to this file");
    }
    if story.removed {
        let _ = writeln!(
            o,
            "no longer in the register: removed by the newest commit below"
        );
    }
    if story.entries.is_empty() && !story.truncated {
        let _ = writeln!(o, "\nno commit has this file yet");
    }
    for e in &story.entries {
        let c = &e.commit;
        let pr = e.pr.map(|n| format!("  {}", n.label())).unwrap_or_default();
        let _ = writeln!(
            o,
            "\n{}  {}  {} <{}>{pr}",
            c.short,
            c.author_day(),
            terminal_line(&c.author),
            terminal_line(&c.author_email)
        );
        let _ = writeln!(o, "    {}", terminal_line(&c.summary));
        if let Some(m) = &e.landed {
            let _ = writeln!(
                o,
                "    merged in {} on {}: {}",
                m.short,
                m.day,
                terminal_line(&m.summary)
            );
        }
        for line in e.approval_lines() {
            let _ = writeln!(o, "    {}", terminal_line(&line));
        }
        if let Some(what) = e.origin(&|p| format!("`{p}`")) {
            let _ = writeln!(o, "    {}", terminal_line(&what));
        }
        for f in e.changed_fields() {
            let _ = writeln!(o, "    {}", field_line(f));
        }
        for l in e.moves(threshold) {
            let _ = writeln!(o, "    {}", terminal_line(&l));
        }
        for l in e.decision_lines() {
            let _ = writeln!(o, "    {}", terminal_line(&l));
        }
        if e.unreadable {
            let _ = writeln!(
                o,
                "    (a version is not readable YAML, or is over {} MiB: fields not compared)",
                story.max_file_mib
            );
        }
    }
    if story.truncated {
        let _ = writeln!(
            o,
            "\nhistory truncated: this is a shallow clone and older commits are missing\nhelp: {}",
            story.fetch_help
        );
    }
    o
}

/// Markdown: a table of the commits, then each commit's facts and field changes.
pub fn markdown(story: &Story) -> String {
    let s = &story.subject;
    let threshold = Some(story.threshold);
    let mut o = String::new();
    let _ = writeln!(o, "## History of {} {}\n", s.kind, markdown_code(&s.id));
    let _ = writeln!(o, "File: {}, newest first.\n", markdown_code(&s.file));
    if story.uncommitted {
        let _ = writeln!(
            o,
            "The working tree has uncommitted changes to this file.\n"
        );
    }
    if story.removed {
        let _ = writeln!(
            o,
            "No longer in the register: removed by the newest commit below.\n"
        );
    }
    if story.truncated {
        let _ = writeln!(
            o,
            "> **History truncated**: this is a shallow clone and older commits are missing. To {}.\n",
            story.fetch_help
        );
    }
    if story.entries.is_empty() {
        if !story.truncated {
            let _ = writeln!(o, "No commit has this file yet.");
        }
        return o;
    }
    let _ = writeln!(
        o,
        "| commit | date | author | pull request | approved by | summary |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|---|");
    for e in &story.entries {
        let c = &e.commit;
        let _ = writeln!(
            o,
            "| `{}` | {} | {} | {} | {} | {} |",
            c.short,
            c.author_day(),
            markdown_cell(&c.author),
            e.pr.map(|n| n.reference()).unwrap_or_default(),
            markdown_cell(&e.approved_by.join(", ")),
            markdown_cell(&c.summary)
        );
    }
    for e in &story.entries {
        let c = &e.commit;
        let _ = writeln!(o, "\n### `{}` {}\n", c.short, markdown_text(&c.summary));
        let mut facts = vec![format!(
            "Author: {}, {}",
            markdown_text(&c.author),
            c.author_day()
        )];
        if let Some(m) = &e.landed {
            facts.push(format!("Merged in `{}` on {}", m.short, m.day));
        }
        for line in e.approval_lines() {
            facts.push(markdown_text(&line));
        }
        if let Some(what) = e.origin(&markdown_code) {
            // The path is a code span already; the rest is ours but for level names.
            facts.push(match what.strip_prefix("created") {
                Some(rest) => format!("created{}", markdown_cell(rest)),
                None => what,
            });
        }
        facts.extend(e.moves(threshold).iter().map(|l| markdown_text(l)));
        facts.extend(e.decision_lines().iter().map(|l| markdown_text(l)));
        for f in facts {
            let _ = writeln!(o, "- {f}");
        }
        let fields = e.changed_fields();
        if !fields.is_empty() {
            let _ = writeln!(o, "\n| field | before | after |\n|---|---|---|");
            for f in fields {
                let _ = writeln!(o, "{}", field_row(f));
            }
        }
    }
    o
}

/// A commit's JSON: its fields, and its pull request in the shape of every other output
/// (`pull_request`: the number, `pull_request_ref`: `#12` or `!12`) beside the older `pr`.
fn commit_json(c: &Commit) -> serde_json::Value {
    let mut v = json!(c);
    if let Some(m) = v.as_object_mut() {
        m.insert("pull_request".into(), json!(c.pr));
        m.insert(
            "pull_request_ref".into(),
            json!(c.pr.map(|p| p.reference())),
        );
    }
    v
}

/// One versioned JSON document: the entity, and every commit with its full description.
pub fn json(story: &Story) -> Result<String> {
    let s = &story.subject;
    let commits: Vec<_> = story
        .entries
        .iter()
        .map(|e| {
            json!({
                "commit": commit_json(&e.commit),
                "merge": e.landed.as_ref().map(commit_json),
                "pr": e.pr,
                "pull_request": e.pr,
                "pull_request_ref": e.pr.map(|p| p.reference()),
                "forge": e.pr.map(|p| p.forge_name()),
                "approved_by": e.approved_by,
                "reviewed_by": e.reviewed_by,
                "merged_by": e.merged_by,
                "claimed": e.claimed,
                "path": e.after,
                "previous_path": e.before,
                "created": e.created(),
                "removed": e.removed(),
                "fields": e.changed_fields(),
                "decisions": e.changed_decisions(),
                "risk": e.risk,
            })
        })
        .collect();
    let doc = json!({
        "version": 1,
        "entity": { "kind": s.kind, "id": s.id, "file": s.file },
        "uncommitted": story.uncommitted,
        "removed": story.removed,
        "truncated": story.truncated,
        "commits": commits,
    });
    Ok(crate::text::json_pretty(&doc)? + "\n")
}
