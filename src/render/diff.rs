//! What changed between two registers (a document carrying a `report::diff::Compared`), for
//! the terminal, as markdown — a pull-request comment: summary and what changes the rules
//! first, details in collapsible sections, never more than [`MAX_COMMENT`] bytes, ending
//! with what it left out — and as JSON. Deterministic.
//!
//! Every string from the register or from git is escaped where it enters the output
//! (`text`): one line for the terminal, markdown text, cell or code span for the comment.

use super::changes::field_line;
use crate::changes::register::{FileDelta, InfosecChange};
use crate::changes::{EntityDelta, FieldChange, Finding, Kind, RegisterDiff, Status, text as ct};
use crate::report::diff::{Compared, Side};
use crate::text::{
    markdown_cell, markdown_code, markdown_code_cell, markdown_text, one_line, terminal_line,
};
use anyhow::Result;
use serde_json::json;
use std::fmt::Write as _;

/// The terminal's summary and list of changes.
pub fn text(c: &Compared) -> String {
    human(&c.diff, &c.base, &c.head, c.threshold)
}

/// The pull-request comment.
pub fn markdown(c: &Compared) -> String {
    comment(&c.diff, &c.base, &c.head, c.threshold)
}

/// One versioned JSON document: the two sides and every change.
pub fn json(c: &Compared) -> Result<String> {
    let side = |s: &Side| match &s.commit {
        Some(id) => json!({ "commit": id, "what": s.what }),
        None => json!({ "commit": null, "what": "working tree" }),
    };
    let doc = json!({
        "version": 1,
        "base": side(&c.base),
        "head": side(&c.head),
        "diff": c.diff,
    });
    Ok(crate::text::json_pretty(&doc)? + "\n")
}

/// The most a pull-request comment may hold, in bytes (GitHub's limit is 65,536
/// characters; a byte is never less than a character).
pub const MAX_COMMENT: usize = 65_000;
/// Kept free for the closing lines and the note of what was left out.
const RESERVE: usize = 2_000;
/// A value longer than this (in characters) is cut in the comment, saying by how much.
const MAX_VALUE: usize = 1_000;

/// `risks: 1 added, 2 changed; SoA decisions: 1 changed`
fn counts(d: &RegisterDiff) -> Vec<String> {
    let mut out: Vec<String> = crate::changes::register::ORDER
        .iter()
        .filter_map(|kind| d.tally(*kind, kind.plural()))
        .collect();
    if d.config_changed {
        out.push(match d.config.len() {
            0 => "airisk.toml: comments or layout only".to_string(),
            1 => "airisk.toml: 1 setting changed".to_string(),
            n => format!("airisk.toml: {n} settings changed"),
        });
    }
    if !d.templates.is_empty() {
        let parts: Vec<String> = [
            (Status::Added, "added"),
            (Status::Changed, "changed"),
            (Status::Removed, "removed"),
        ]
        .iter()
        .filter_map(|(st, w)| {
            let n = d.templates.iter().filter(|t| t.status == *st).count();
            (n > 0).then(|| format!("{n} {w}"))
        })
        .collect();
        out.push(format!("templates: {}", parts.join(", ")));
    }
    if let Some(w) = &d.waivers {
        out.push(format!("{} {}", w.file, status_of(w.status)));
    }
    if let Some(i) = &d.infosec {
        out.push(format!("infosec register: {}", infosec_summary(i)));
    }
    for r in &d.readings {
        let n = r.after.abs_diff(r.before);
        let what = if r.after >= r.before {
            "added"
        } else {
            "removed"
        };
        let s = if n == 1 { "" } else { "s" };
        let latest = r
            .latest
            .as_deref()
            .map(|l| format!(", latest {l}"))
            .unwrap_or_default();
        out.push(format!(
            "monitor {}: {n} reading{s} {what}{latest}",
            r.monitor
        ));
    }
    out
}

fn infosec_summary(i: &InfosecChange) -> String {
    match (&i.before, &i.after) {
        (None, Some(_)) => return format!("added ({} ids)", i.ids_added.len()),
        (Some(_), None) => return format!("removed ({} ids)", i.ids_removed.len()),
        _ => {}
    }
    let mut parts = Vec::new();
    if i.before != i.after {
        parts.push("moved".to_string());
    }
    if !i.ids_added.is_empty() {
        parts.push(format!("{} ids added", i.ids_added.len()));
    }
    if !i.ids_removed.is_empty() {
        parts.push(format!("{} ids removed", i.ids_removed.len()));
    }
    if parts.is_empty() {
        parts.push("file changed, same ids".to_string());
    }
    parts.join(", ")
}

/// Levels up and down, threshold crossings.
fn moves_summary(d: &RegisterDiff) -> Vec<String> {
    let (mut up, mut down, mut above, mut within) = (0, 0, 0, 0);
    for (_, m) in d.moves() {
        match m.level_arrow() {
            "↑" => up += 1,
            "↓" => down += 1,
            _ => {}
        }
        match m.threshold_crossed() {
            Some(true) => above += 1,
            Some(false) => within += 1,
            None => {}
        }
    }
    let mut out = Vec::new();
    if up + down > 0 {
        out.push(format!("levels: {up} up, {down} down"));
    }
    if above + within > 0 {
        out.push(format!(
            "acceptance threshold: {above} now above, {within} now within"
        ));
    }
    out
}

fn findings_summary(d: &RegisterDiff) -> String {
    format!(
        "findings: {} introduced, {} fixed",
        d.findings_introduced.len(),
        d.findings_fixed.len()
    )
}

fn summary(d: &RegisterDiff) -> Vec<String> {
    let mut summary = counts(d);
    summary.extend(moves_summary(d));
    summary.push(findings_summary(d));
    summary
}

fn status_of(s: Status) -> &'static str {
    match s {
        Status::Added => "added",
        Status::Removed => "removed",
        Status::Changed => "changed",
    }
}

/// The line a reviewer must not miss when templates change.
const TEMPLATES_WARNING: &str = "templates changed: every document rendered from this register (register, SoA, due list, heat map, report, history, audit pack) changes with them, whatever the register says";

/// `risk R-001` for the terminal: the id on one line.
fn entity_name_line(e: &EntityDelta) -> String {
    match e.kind {
        Kind::Soa => "SoA".into(),
        k => format!("{} `{}`", k.label(), terminal_line(&e.id)),
    }
}

fn human(d: &RegisterDiff, base: &Side, head: &Side, threshold: u32) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "register changes: {} → {}",
        terminal_line(&base.text()),
        terminal_line(&head.text())
    );
    if d.is_empty() {
        let _ = writeln!(o, "no changes to the register");
        return o;
    }
    for line in summary(d) {
        let _ = writeln!(o, "  {line}");
    }
    if !d.templates.is_empty() {
        let _ = writeln!(o, "\nwarning: {TEMPLATES_WARNING}");
        for t in &d.templates {
            let _ = writeln!(o, "    {} {}", terminal_line(&t.file), status_of(t.status));
        }
    }
    if d.config_changed {
        let _ = writeln!(o, "\nairisk.toml changed");
        if d.config.is_empty() {
            let _ = writeln!(o, "    (comments or layout only: no setting changed)");
        }
        for f in &d.config {
            let _ = writeln!(o, "    {}", field_line(f));
        }
    }
    if let Some(w) = &d.waivers {
        file_human(&mut o, w);
    }
    if let Some(i) = &d.infosec {
        let path = i.after.as_ref().or(i.before.as_ref()).map_or("", |p| p);
        let _ = writeln!(
            o,
            "\ninfosec register `{}`: {}",
            terminal_line(path),
            infosec_summary(i)
        );
        if i.before != i.after {
            let _ = writeln!(
                o,
                "    path: {} → {}",
                terminal_line(&ct::value(&i.before)),
                terminal_line(&ct::value(&i.after))
            );
        }
        for (what, ids) in [("ids added", &i.ids_added), ("ids removed", &i.ids_removed)] {
            if !ids.is_empty() {
                let _ = writeln!(o, "    {what}: {}", terminal_line(&ids.join(", ")));
            }
        }
    }
    for e in &d.entities {
        let title = e
            .title
            .as_ref()
            .map(|t| format!(": {}", terminal_line(&one_line(t))))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "\n{} {} ({}){title}",
            entity_name_line(e),
            status_of(e.status),
            terminal_line(&e.file),
        );
        if let Some(from) = &e.moved_from {
            let _ = writeln!(o, "    moved from {}", terminal_line(from));
        }
        if e.status == Status::Changed {
            for f in &e.fields {
                let _ = writeln!(o, "    {}", field_line(f));
            }
        }
        if let Some(m) = &e.risk {
            for l in ct::move_lines(m, Some(threshold)) {
                let _ = writeln!(o, "    {}", terminal_line(&l));
            }
        }
    }
    for (title, list) in [
        ("findings introduced", &d.findings_introduced),
        ("findings fixed", &d.findings_fixed),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(o, "\n{title}:");
        for f in list {
            let _ = writeln!(
                o,
                "    {}[{}] {}:{}: {}",
                f.level,
                f.code,
                terminal_line(&f.file),
                f.line,
                terminal_line(&f.message)
            );
        }
    }
    o
}

fn file_human(o: &mut String, w: &FileDelta) {
    let _ = writeln!(o, "\n{} {}", terminal_line(&w.file), status_of(w.status));
    if w.unreadable {
        let _ = writeln!(
            o,
            "    (a version is not readable YAML, or too large: fields not compared)"
        );
    }
    for f in &w.fields {
        let _ = writeln!(o, "    {}", field_line(f));
    }
}

/// A pull-request comment that never exceeds [`MAX_COMMENT`] bytes. It is built as a list
/// of parts in the order a reader reads them: text that is always written, and sections of
/// rows (a table, the entity details). When everything does not fit, rows are kept by
/// priority, not by place, so a flood of new files or warnings cannot push a changed
/// entity or an error out: settings and templates, then errors introduced, then what
/// changed, what was removed, warnings introduced, what was added, findings fixed. What was
/// left out is counted, per section, for the closing note.
#[derive(Default)]
struct Comment {
    parts: Vec<Part>,
}

enum Part {
    Text(String),
    Section(Section),
}

struct Section {
    head: String,
    tail: String,
    /// What the rows are, for the note: `findings introduced`.
    what: &'static str,
    rows: Vec<(Priority, String)>,
}

/// Which rows stay when not everything fits: the lower, the more important.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Priority {
    Settings,
    Error,
    Changed,
    Removed,
    Warning,
    Added,
    Fixed,
}

fn priority(s: Status) -> Priority {
    match s {
        Status::Changed => Priority::Changed,
        Status::Removed => Priority::Removed,
        Status::Added => Priority::Added,
    }
}

impl Comment {
    fn text(&mut self, s: impl Into<String>) {
        self.parts.push(Part::Text(s.into()));
    }

    fn section(
        &mut self,
        head: String,
        rows: Vec<(Priority, String)>,
        tail: &str,
        what: &'static str,
    ) {
        if !rows.is_empty() {
            self.parts.push(Part::Section(Section {
                head,
                tail: tail.to_string(),
                what,
                rows,
            }));
        }
    }

    /// The comment, with the note of what was left out when something was.
    fn finish(self, command: &str) -> String {
        let fixed: usize = self
            .parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.len(),
                Part::Section(_) => 0,
            })
            .sum();
        let mut budget = MAX_COMMENT.saturating_sub(RESERVE).saturating_sub(fixed);
        // Every row, most important first (stable: in reading order within a priority).
        let mut order: Vec<(Priority, usize, usize)> = Vec::new();
        for (si, p) in self.parts.iter().enumerate() {
            if let Part::Section(s) = p {
                order.extend(s.rows.iter().enumerate().map(|(ri, (pr, _))| (*pr, si, ri)));
            }
        }
        order.sort();
        let mut kept: std::collections::BTreeSet<(usize, usize)> = Default::default();
        let mut opened: std::collections::BTreeSet<usize> = Default::default();
        for (_, si, ri) in order {
            let Part::Section(s) = &self.parts[si] else {
                continue;
            };
            let mut cost = s.rows[ri].1.len();
            if !opened.contains(&si) {
                cost += s.head.len() + s.tail.len();
            }
            if cost <= budget {
                budget -= cost;
                opened.insert(si);
                kept.insert((si, ri));
            }
        }
        let mut out = String::new();
        let mut left_out = Vec::new();
        for (si, p) in self.parts.iter().enumerate() {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Section(s) => {
                    let n = (0..s.rows.len())
                        .filter(|ri| kept.contains(&(si, *ri)))
                        .count();
                    if n > 0 {
                        out.push_str(&s.head);
                        for (ri, (_, row)) in s.rows.iter().enumerate() {
                            if kept.contains(&(si, ri)) {
                                out.push_str(row);
                            }
                        }
                        out.push_str(&s.tail);
                    }
                    match s.rows.len() - n {
                        0 => {}
                        m if n == 0 => left_out.push(format!("{m} {}", s.what)),
                        m => left_out.push(format!("{m} of {} {}", s.rows.len(), s.what)),
                    }
                }
            }
        }
        if !left_out.is_empty() {
            let _ = write!(
                out,
                "---\n\n**Not shown, to keep this comment under {} characters:** {}. {} lists every change (`--format json` too).\n",
                group(MAX_COMMENT),
                left_out.join(", "),
                markdown_code(command)
            );
        }
        out
    }
}

/// A value cut to [`MAX_VALUE`] characters, saying how much is left out.
fn clip(s: &str) -> String {
    let n = s.chars().count();
    if n <= MAX_VALUE {
        return s.to_string();
    }
    let kept: String = s.chars().take(MAX_VALUE).collect();
    format!("{kept} … ({} more characters)", n - MAX_VALUE)
}

/// `| `field` | before | after |` with long values cut.
fn field_row(f: &FieldChange) -> String {
    format!(
        "| {} | {} | {} |\n",
        markdown_code_cell(&f.field),
        markdown_cell(&clip(&ct::value(&f.before))),
        markdown_cell(&clip(&ct::value(&f.after)))
    )
}

const FIELD_HEAD: &str = "| field | before | after |\n|---|---|---|\n";

fn comment(d: &RegisterDiff, base: &Side, head: &Side, threshold: u32) -> String {
    let mut c = Comment::default();
    c.text("## airisk: register changes\n\n");
    let head_text = if head.short == "working tree" {
        "the working tree".to_string()
    } else {
        markdown_code(&head.text())
    };
    c.text(format!(
        "Comparing {} with {head_text}.\n\n",
        markdown_code(&base.text())
    ));
    let command = if head.short == "working tree" {
        format!("airisk diff {}", base.short)
    } else {
        format!("airisk diff {} {}", base.short, head.short)
    };
    if d.is_empty() {
        c.text("No changes to the register.\n");
        return c.finish(&command);
    }
    c.text(format!("{}\n\n", summary(d).join(" · ")));
    let settings = |rows: Vec<String>| -> Vec<(Priority, String)> {
        rows.into_iter().map(|r| (Priority::Settings, r)).collect()
    };

    // What changes the rules and every published document: first, never collapsed.
    c.section(
        format!(
            "> [!WARNING]\n> **{}.**\n>\n",
            markdown_text(TEMPLATES_WARNING)
        ),
        settings(
            d.templates
                .iter()
                .map(|t| format!("> - {} {}\n", markdown_code(&t.file), status_of(t.status)))
                .collect(),
        ),
        "\n",
        "template changes",
    );
    if d.config_changed {
        if d.config.is_empty() {
            c.text("**airisk.toml** changed: comments or layout only, no setting.\n\n");
        } else {
            c.section(
                format!("**airisk.toml**, setting by setting:\n\n{FIELD_HEAD}"),
                settings(d.config.iter().map(field_row).collect()),
                "\n",
                "airisk.toml settings",
            );
        }
    }
    if let Some(w) = &d.waivers {
        let note = if w.unreadable {
            " (a version is not readable YAML, or too large: fields not compared)"
        } else {
            ""
        };
        let what = format!(
            "**{}** {}{note}",
            markdown_code(&w.file),
            status_of(w.status)
        );
        if w.fields.is_empty() {
            c.text(format!("{what}.\n\n"));
        } else {
            c.section(
                format!("{what}:\n\n{FIELD_HEAD}"),
                settings(w.fields.iter().map(field_row).collect()),
                "\n",
                "waiver fields",
            );
        }
    }
    if let Some(i) = &d.infosec {
        let path = i.after.as_ref().or(i.before.as_ref()).map_or("", |p| p);
        c.text(format!(
            "**Infosec register** {}: {}.\n\n",
            markdown_code(path),
            infosec_summary(i)
        ));
        let mut rows = Vec::new();
        if i.before != i.after {
            rows.push(format!(
                "| path | {} | {} |\n",
                markdown_code_cell(&ct::value(&i.before)),
                markdown_code_cell(&ct::value(&i.after))
            ));
        }
        rows.extend(
            i.ids_added
                .iter()
                .map(|id| format!("| id added | | {} |\n", markdown_code_cell(id))),
        );
        rows.extend(
            i.ids_removed
                .iter()
                .map(|id| format!("| id removed | {} | |\n", markdown_code_cell(id))),
        );
        c.section(
            "| change | before | after |\n|---|---|---|\n".into(),
            settings(rows),
            "\n",
            "infosec register changes",
        );
    }

    // Findings introduced, errors first: what the change breaks.
    let mut introduced: Vec<&Finding> = d.findings_introduced.iter().collect();
    introduced.sort_by_key(|f| f.level != "error");
    c.section(
        format!(
            "<details open><summary>Findings introduced ({})</summary>\n\n{FINDINGS_HEAD}",
            introduced.len()
        ),
        introduced
            .iter()
            .map(|f| {
                let p = if f.level == "error" {
                    Priority::Error
                } else {
                    Priority::Warning
                };
                (p, finding_row(f))
            })
            .collect(),
        "\n</details>\n\n",
        "findings introduced",
    );

    // Risks whose standing moved, or that are new: the table a reviewer reads first.
    c.section(
        "| risk | title | score | level | acceptance threshold |\n|---|---|---|---|---|\n".into(),
        d.entities
            .iter()
            .filter(|e| e.kind == Kind::Risk)
            .filter_map(|e| Some((priority(e.status), risk_row(e, threshold)?)))
            .collect(),
        "\n",
        "risk moves",
    );
    c.section(
        format!(
            "<details><summary>Entities added, removed and changed ({})</summary>\n\n",
            d.entities.len()
        ),
        d.entities
            .iter()
            .map(|e| (priority(e.status), entity_block(e)))
            .collect(),
        "</details>\n\n",
        "entities",
    );
    c.section(
        format!(
            "<details><summary>Findings fixed ({})</summary>\n\n{FINDINGS_HEAD}",
            d.findings_fixed.len()
        ),
        d.findings_fixed
            .iter()
            .map(|f| (Priority::Fixed, finding_row(f)))
            .collect(),
        "\n</details>\n\n",
        "findings fixed",
    );
    c.finish(&command)
}

/// 65000 → `65,000`.
fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn risk_row(e: &EntityDelta, threshold: u32) -> Option<String> {
    let m = e.risk.as_ref()?;
    let num = |v: Option<u32>| v.map_or("–".to_string(), |v| v.to_string());
    let lvl = |v: &Option<String>| v.clone().unwrap_or_else(|| "–".into());
    let (score, level) = if e.status == Status::Added {
        (num(m.after.score), lvl(&m.after.level))
    } else {
        (
            cell_move(&num(m.before.score), &num(m.after.score), m.score_arrow()),
            cell_move(&lvl(&m.before.level), &lvl(&m.after.level), m.level_arrow()),
        )
    };
    let crossing = match (e.status, m.threshold_crossed(), m.after.above_threshold) {
        (Status::Added, _, Some(true)) => format!("above ({threshold})"),
        (_, Some(true), _) => format!("now above ({threshold})"),
        (_, Some(false), _) => format!("now within ({threshold})"),
        _ => String::new(),
    };
    let new = if e.status == Status::Added {
        " (new)"
    } else {
        ""
    };
    Some(format!(
        "| {}{new} | {} | {} | {} | {} |\n",
        markdown_cell(&e.id),
        markdown_cell(&clip(e.title.as_deref().unwrap_or(""))),
        markdown_cell(&score),
        markdown_cell(&level),
        crossing
    ))
}

/// One entity's heading, file, title and field table.
fn entity_block(e: &EntityDelta) -> String {
    let mut o = String::new();
    let name = match e.kind {
        Kind::Soa => "SoA".to_string(),
        k => format!("{} {}", k.label(), markdown_code(&e.id)),
    };
    let _ = writeln!(o, "#### {name} {}\n", status_of(e.status));
    let mut facts = vec![format!("File: {}", markdown_code(&e.file))];
    if let Some(from) = &e.moved_from {
        facts.push(format!("moved from {}", markdown_code(from)));
    }
    if let Some(t) = &e.title {
        facts.push(markdown_text(&clip(t)));
    }
    let _ = writeln!(o, "{}\n", facts.join(" · "));
    if e.status == Status::Changed && !e.fields.is_empty() {
        o.push_str(FIELD_HEAD);
        for f in &e.fields {
            o.push_str(&field_row(f));
        }
        o.push('\n');
    }
    o
}

fn cell_move(a: &str, b: &str, arrow: &str) -> String {
    if a == b {
        a.to_string()
    } else {
        format!("{a} → {b} {arrow}").trim_end().to_string()
    }
}

const FINDINGS_HEAD: &str = "| level | code | file | message |\n|---|---|---|---|\n";

fn finding_row(f: &Finding) -> String {
    format!(
        "| {} | {} | {} | {} |\n",
        f.level,
        markdown_code_cell(&f.code),
        markdown_code_cell(&format!("{}:{}", f.file, f.line)),
        markdown_cell(&clip(&f.message))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changes::{Move, Standing};

    fn change(field: &str, before: &str, after: &str) -> FieldChange {
        FieldChange {
            field: field.into(),
            before: Some(before.into()),
            after: Some(after.into()),
        }
    }

    fn risk(id: String, status: Status, fields: Vec<FieldChange>) -> EntityDelta {
        EntityDelta {
            kind: Kind::Risk,
            id,
            status,
            file: "risks/x.yaml".into(),
            moved_from: None,
            title: Some("A title that is long enough to take some room in a row".into()),
            fields,
            risk: Some(Move {
                before: Standing::default(),
                after: Standing {
                    score: Some(6),
                    level: Some("medium".into()),
                    ..Standing::default()
                },
            }),
        }
    }

    fn finding(level: &str, n: usize) -> Finding {
        Finding {
            file: format!("risks/R-{n}.yaml"),
            line: 3,
            code: "review-overdue".into(),
            level: level.into(),
            message: format!("the review of risk `R-{n}` was due 2025-01-01, long ago"),
        }
    }

    fn labels() -> (Side, Side) {
        (
            Side {
                short: "1a2b3c4".into(),
                what: "merge-base of HEAD and main".into(),
                commit: Some("1a2b3c4d".into()),
            },
            Side {
                short: "working tree".into(),
                what: String::new(),
                commit: None,
            },
        )
    }

    #[test]
    fn a_huge_diff_stays_under_the_comment_limit_and_says_what_it_left_out() {
        // One changed risk (accepted instead of treated), behind 3,000 new ones; 4,000
        // warnings and one error introduced.
        let mut entities = vec![risk(
            "R-9999".into(),
            Status::Changed,
            vec![change("treatment.option", "mitigate", "accept")],
        )];
        entities.extend((0..3000).map(|i| {
            risk(
                format!("R-{i:04}"),
                Status::Added,
                (0..20).map(|f| change(&format!("f{f}"), "", "x")).collect(),
            )
        }));
        let mut introduced: Vec<Finding> = (0..4000).map(|n| finding("warning", n)).collect();
        introduced.push(finding("error", 9999));
        let d = RegisterDiff {
            entities,
            findings_introduced: introduced,
            findings_fixed: (0..500).map(|n| finding("warning", n)).collect(),
            ..RegisterDiff::default()
        };
        let (base, head) = labels();
        let md = comment(&d, &base, &head, 8);
        assert!(md.len() <= MAX_COMMENT, "{} bytes", md.len());
        assert!(md.chars().count() < 65_536);
        // What it left out, and the command that shows everything, close the comment.
        let note = md.rsplit("---\n\n").next().expect("a closing note");
        assert!(
            note.starts_with("**Not shown, to keep this comment under 65,000 characters:**"),
            "{note}"
        );
        assert!(note.contains("of 4001 findings introduced"), "{note}");
        assert!(note.contains("500 findings fixed"), "{note}");
        assert!(
            note.contains("`airisk diff 1a2b3c4` lists every change"),
            "{note}"
        );
        // The error comes first among the findings; the changed risk leads the entities.
        assert!(md.contains("| error | `review-overdue` | `risks/R-9999.yaml:3` |"));
        assert_eq!(
            md.matches("<details").count(),
            md.matches("</details>").count()
        );
        // The counts in the summary are whole.
        assert!(
            md.contains("risks: 3000 added, 1 changed"),
            "{}",
            &md[..400]
        );
        assert!(md.contains("findings: 4001 introduced, 500 fixed"));
    }

    #[test]
    fn the_changed_risk_is_kept_before_a_flood_of_new_ones() {
        let mut entities: Vec<EntityDelta> = (0..2000)
            .map(|i| risk(format!("R-{i:04}"), Status::Added, Vec::new()))
            .collect();
        entities.push(risk(
            "R-9999".into(),
            Status::Changed,
            vec![change("treatment.option", "mitigate", "accept")],
        ));
        let d = RegisterDiff {
            entities,
            ..RegisterDiff::default()
        };
        let (base, head) = labels();
        let md = comment(&d, &base, &head, 8);
        assert!(md.len() <= MAX_COMMENT);
        assert!(md.contains("| `treatment.option` | mitigate | accept |"));
        assert!(md.contains("#### risk `R-9999` changed"));
        assert!(md.contains("**Not shown"));
    }

    #[test]
    fn a_diff_that_fits_has_no_closing_note_and_long_values_are_cut() {
        let long = "x".repeat(5000);
        let d = RegisterDiff {
            entities: vec![risk(
                "R-1".into(),
                Status::Changed,
                vec![change("treatment.plan", "short", &long)],
            )],
            ..RegisterDiff::default()
        };
        let (base, head) = labels();
        let md = comment(&d, &base, &head, 8);
        assert!(!md.contains("Not shown"), "{md}");
        assert!(md.contains(" … (4000 more characters) |"), "{md}");
        assert!(md.len() < 3000);
    }
}
