//! `airisk diff [BASE] [HEAD]`: the semantic change of the register between two revisions, or
//! a revision and the working tree. Default BASE: the merge-base of HEAD and the default
//! branch (`origin/HEAD`, else `main`, `master`, `origin/main`, `origin/master`); default
//! HEAD: the working tree (or the `--at` revision). Both sides are loaded and checked (git
//! rules included, each over its own history), then compared: entities added, removed and
//! changed field by field, score and level moves, threshold crossings, SoA decisions, and
//! findings introduced and fixed. Human, markdown (a pull-request comment: summary first,
//! details in collapsible sections) or JSON; deterministic.

use super::check::{Outcome, check_tree_git};
use super::{EXIT_OK, Env, GitSource, write_output};
use crate::changes::register::Side;
use crate::changes::{EntityDelta, Finding, Kind, RegisterDiff, Status, text as ct};
use crate::cli::Global;
use crate::git::Rev;
use crate::load::Tree;
use crate::text::{markdown_cell, terminal};
use anyhow::{Context, Result};
use clap::ValueEnum;
use serde_json::json;
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The older revision (default: the merge-base of HEAD and the default branch).
    pub base: Option<String>,
    /// The newer revision (default: the working tree, or the `--at` revision).
    pub head: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Markdown,
    Json,
}

/// One side of the comparison, described for output.
struct Label {
    /// `1a2b3c4`, or `working tree`.
    short: String,
    /// `merge-base of HEAD and main`, `v1.0`, ...
    what: String,
}

impl Label {
    fn of(rev: Option<&Rev>, what: &str) -> Label {
        match rev {
            Some(r) => Label {
                short: r.short(),
                what: what.to_string(),
            },
            None => Label {
                short: "working tree".into(),
                what: what.to_string(),
            },
        }
    }

    fn text(&self) -> String {
        if self.what.is_empty() || self.what == self.short {
            self.short.clone()
        } else {
            format!("{} ({})", self.short, self.what)
        }
    }
}

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    let source = super::open_tree(global, env)?;
    let git = source.require_git("`airisk diff`")?;
    let repo = &git.repo;
    let today = global.as_of.unwrap_or(env.today);
    // The newer side: a named revision, else what the global flags read (the working tree
    // over HEAD, or the `--at` revision).
    let named_head = match &args.head {
        Some(spec) => Some(repo.resolve(spec)?),
        None => None,
    };
    let (base, base_what) = match &args.base {
        Some(spec) => (repo.resolve(spec)?, spec.clone()),
        None => {
            let (name, branch) = repo.default_branch()?;
            let head = named_head.as_ref().unwrap_or(&git.rev);
            let base = repo.merge_base(head, &branch)?;
            (base, format!("merge-base of {} and {name}", head.spec))
        }
    };
    let side = |rev: &Rev| -> Result<(Box<dyn Tree>, GitSource)> {
        let tree = repo.tree(rev, &git.prefix)?;
        if !tree.is_file(crate::load::CONFIG_FILE) {
            anyhow::bail!(
                "there is no register (no {}) in `{}` at revision `{}`",
                crate::load::CONFIG_FILE,
                if git.prefix.is_empty() {
                    "."
                } else {
                    &git.prefix
                },
                rev.spec
            );
        }
        Ok((
            Box::new(tree),
            GitSource {
                repo: repo.clone(),
                rev: rev.clone(),
                prefix: git.prefix.clone(),
            },
        ))
    };
    let check = |tree: &dyn Tree, g: &GitSource| -> Result<Outcome> {
        check_tree_git(tree, &source.root, today, false, Some(g))
            .with_context(|| format!("cannot read the register at `{}`", g.rev.spec))
    };
    let (base_tree, base_git) = side(&base)?;
    let before = check(base_tree.as_ref(), &base_git)?;
    let (after, head_label) = match &named_head {
        Some(rev) => {
            let (t, g) = side(rev)?;
            (check(t.as_ref(), &g)?, Label::of(Some(rev), &rev.spec))
        }
        None => {
            let label = if git.rev.worktree {
                Label::of(None, "")
            } else {
                Label::of(Some(&git.rev), &git.rev.spec)
            };
            let tree = source.tree.as_ref();
            (
                check(tree, git).map_err(|e| e.context("cannot read the register"))?,
                label,
            )
        }
    };
    let mut incomplete = before.git_incomplete.clone();
    incomplete.extend(after.git_incomplete.iter().cloned());
    incomplete.sort();
    incomplete.dedup();
    if let Some(note) = super::check::incomplete_note(&incomplete) {
        writeln!(env.stderr, "{note}")?;
    }
    let base_label = Label::of(Some(&base), &base_what);
    let diff = RegisterDiff::between(
        &Side {
            loaded: &before.loaded,
            diagnostics: &before.diagnostics,
        },
        &Side {
            loaded: &after.loaded,
            diagnostics: &after.diagnostics,
        },
    );
    let threshold = after.loaded.register.config.criteria.acceptance_threshold;
    let text = match args.format {
        Format::Human => human(&diff, &base_label, &head_label, threshold),
        Format::Markdown => markdown(&diff, &base_label, &head_label, threshold),
        Format::Json => {
            let doc = json!({
                "version": 1,
                "base": { "commit": base.id(), "what": base_label.what },
                "head": match &named_head {
                    Some(r) => json!({ "commit": r.id(), "what": r.spec }),
                    None if git.rev.worktree => json!({ "commit": null, "what": "working tree" }),
                    None => json!({ "commit": git.rev.id(), "what": git.rev.spec }),
                },
                "diff": diff,
            });
            crate::text::json_pretty(&doc)? + "\n"
        }
    };
    write_output(env, args.output.as_deref(), text.as_bytes())?;
    Ok(EXIT_OK)
}

/// `risks: 1 added, 2 changed; SoA decisions: 1 changed`
fn counts(d: &RegisterDiff) -> Vec<String> {
    let kinds = [
        (Kind::Risk, "risks"),
        (Kind::System, "systems"),
        (Kind::Assessment, "impact assessments"),
        (Kind::Incident, "incidents"),
        (Kind::Decision, "SoA decisions"),
        (Kind::Soa, "SoA"),
        (Kind::Person, "people"),
    ];
    let mut out: Vec<String> = kinds
        .iter()
        .filter_map(|(kind, name)| d.tally(*kind, name))
        .collect();
    if d.config_changed {
        out.push("airisk.toml changed".into());
    }
    out
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

fn entity_name(e: &EntityDelta) -> String {
    match e.kind {
        Kind::Soa => "SoA".into(),
        k => format!("{} `{}`", k.as_str(), e.id),
    }
}

fn status_word(e: &EntityDelta) -> &'static str {
    match e.status {
        Status::Added => "added",
        Status::Removed => "removed",
        Status::Changed => "changed",
    }
}

fn human(d: &RegisterDiff, base: &Label, head: &Label, threshold: u32) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "register changes: {} → {}", base.text(), head.text());
    if d.is_empty() {
        let _ = writeln!(o, "no changes to the register");
        return o;
    }
    let mut summary = counts(d);
    summary.extend(moves_summary(d));
    summary.push(findings_summary(d));
    for line in summary {
        let _ = writeln!(o, "  {line}");
    }
    for e in &d.entities {
        let title = e
            .title
            .as_ref()
            .map(|t| format!(": {}", ct::one_line(t)))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "\n{} {} ({}){}",
            entity_name(e),
            status_word(e),
            e.file,
            terminal(&title)
        );
        if let Some(from) = &e.moved_from {
            let _ = writeln!(o, "    moved from {from}");
        }
        if e.status == Status::Changed {
            for f in &e.fields {
                let _ = writeln!(o, "    {}", ct::field_line(f));
            }
        }
        if let Some(m) = &e.risk {
            for l in ct::move_lines(m, Some(threshold)) {
                let _ = writeln!(o, "    {l}");
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
                f.file,
                f.line,
                terminal(&f.message)
            );
        }
    }
    o
}

fn markdown(d: &RegisterDiff, base: &Label, head: &Label, threshold: u32) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "## airisk: register changes\n");
    let _ = writeln!(
        o,
        "Comparing `{}` with {}.\n",
        base.text().replace('`', "'"),
        if head.short == "working tree" {
            "the working tree".to_string()
        } else {
            format!("`{}`", head.text().replace('`', "'"))
        }
    );
    if d.is_empty() {
        let _ = writeln!(o, "No changes to the register.");
        return o;
    }
    let mut summary = counts(d);
    summary.extend(moves_summary(d));
    summary.push(findings_summary(d));
    let _ = writeln!(o, "{}\n", summary.join(" · "));

    // Risks whose standing moved, or that are new: the table a reviewer reads first.
    let risks: Vec<&EntityDelta> = d
        .entities
        .iter()
        .filter(|e| e.kind == Kind::Risk && e.risk.is_some())
        .collect();
    if !risks.is_empty() {
        let _ = writeln!(o, "| risk | title | score | level | acceptance threshold |");
        let _ = writeln!(o, "|---|---|---|---|---|");
        for e in risks {
            let Some(m) = &e.risk else { continue };
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
            let _ = writeln!(
                o,
                "| {}{new} | {} | {} | {} | {} |",
                markdown_cell(&e.id),
                markdown_cell(e.title.as_deref().unwrap_or("")),
                markdown_cell(&score),
                markdown_cell(&level),
                crossing
            );
        }
        let _ = writeln!(o);
    }

    if !d.entities.is_empty() {
        let _ = writeln!(
            o,
            "<details><summary>Entities added, removed and changed ({})</summary>\n",
            d.entities.len()
        );
        for e in &d.entities {
            let _ = writeln!(
                o,
                "#### {} {}\n",
                entity_name(e).replace('|', "\\|"),
                status_word(e)
            );
            let mut facts = vec![format!("File: `{}`", e.file.replace('`', "'"))];
            if let Some(from) = &e.moved_from {
                facts.push(format!("moved from `{}`", from.replace('`', "'")));
            }
            if let Some(t) = &e.title {
                facts.push(markdown_cell(t));
            }
            let _ = writeln!(o, "{}\n", facts.join(" · "));
            if e.status == Status::Changed && !e.fields.is_empty() {
                let _ = writeln!(o, "| field | before | after |\n|---|---|---|");
                for f in &e.fields {
                    let _ = writeln!(o, "{}", ct::field_row(f));
                }
                let _ = writeln!(o);
            }
        }
        let _ = writeln!(o, "</details>\n");
    }
    for (title, list) in [
        ("Findings introduced", &d.findings_introduced),
        ("Findings fixed", &d.findings_fixed),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(o, "<details><summary>{title} ({})</summary>\n", list.len());
        findings_table(&mut o, list);
        let _ = writeln!(o, "\n</details>\n");
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

fn findings_table(o: &mut String, list: &[Finding]) {
    let _ = writeln!(o, "| level | code | file | message |\n|---|---|---|---|");
    for f in list {
        let _ = writeln!(
            o,
            "| {} | `{}` | `{}:{}` | {} |",
            f.level,
            f.code,
            f.file.replace('`', "'"),
            f.line,
            markdown_cell(&f.message)
        );
    }
}
