//! `airisk history ID`: the commits that changed one entity's file, newest first, following
//! renames: author and author date, subject, trailers, the pull request and merge that
//! brought each to the first-parent line, and what changed field by field (a risk's score,
//! level and threshold standing under the register's criteria). Human, markdown, JSON, or
//! HTML (a document through the `history.html` template; the audit pack uses it too).

use super::{EXIT_OK, Env, GitSource, Opened, render_bytes, stamp, write_output};
use crate::changes::{self, FileChange, text as ct};
use crate::cli::Global;
use crate::git::{Approvals, Content, FETCH_HELP, FileLog, LogEntry, approval};
use crate::kinds::Kind;
use crate::load::Loaded;
use crate::model::{Date, Register};
use crate::report::{self, Document};
use crate::text::{markdown_cell, markdown_code, markdown_text, terminal_line};
use anyhow::{Result, bail};
use clap::ValueEnum;
use serde_json::json;
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The id of a risk, system, impact assessment or incident.
    pub id: String,
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
    /// One self-contained HTML file.
    Html,
}

/// The entity whose history is asked for.
struct Subject {
    kind: &'static str,
    id: String,
    file: String,
}

/// The entity `id` among the kinds `history` follows (the table of kinds says which), the
/// first kind of the table that has it.
fn find(reg: &Register, sources: &crate::source::Sources, id: &str) -> Result<Subject> {
    let kinds: Vec<Kind> = Kind::all().filter(|k| k.def().history).collect();
    if let Some(symbol) = reg.symbols.find(id, &kinds)
        && let Some(file) = symbol.file()
    {
        return Ok(Subject {
            kind: symbol.kind.title(),
            id: symbol.id.clone(),
            file: sources.path(file).to_string(),
        });
    }
    let ids = kinds
        .iter()
        .flat_map(|k| reg.symbols.definitions(*k).map(|s| s.id.as_str()));
    let hint = crate::diag::did_you_mean(id, ids)
        .map(|s| format!("\nhelp: did you mean `{s}`?"))
        .unwrap_or_default();
    bail!("no {} has the id `{id}`{hint}", crate::kinds::titles(kinds))
}

/// One commit of the history, with its changes and its approvals.
struct Row<'a> {
    entry: &'a LogEntry<FileChange>,
    change: FileChange,
    approvals: &'a Approvals,
}

/// The commits of one file, each with its field changes.
type Log = FileLog<FileChange>;

/// One entity's history, read once, for every format.
pub(super) struct Story {
    subject: Subject,
    log: Log,
    /// Each commit's approvals, judged with the register's trusted committers.
    approvals: Vec<Approvals>,
    uncommitted: bool,
    threshold: u32,
}

/// What changed between two versions of a file; a version over the size limit is not read,
/// so its fields are not compared.
fn summarize(
    before: Option<Content>,
    after: Option<Content>,
    is_risk: bool,
    criteria: &crate::model::Criteria,
) -> FileChange {
    fn text(c: Content<'_>) -> Option<&str> {
        match c {
            Content::Text(t) => Some(t),
            Content::TooBig => None,
        }
    }
    match (before.map(text), after.map(text)) {
        (Some(None), _) | (_, Some(None)) => FileChange {
            unreadable: true,
            ..FileChange::default()
        },
        (b, a) => changes::file_change(b.flatten(), a.flatten(), is_risk, criteria),
    }
}

impl Story {
    /// Reads the history of the entity `id`. `uncommitted` lists the register files with
    /// uncommitted changes (empty when reading a revision).
    pub(super) fn read(
        git: &GitSource,
        loaded: &Loaded,
        id: &str,
        uncommitted: &[String],
    ) -> Result<Story> {
        let subject = find(&loaded.register, &loaded.sources, id)?;
        let criteria = &loaded.register.config.criteria;
        let is_risk = subject.kind == Kind::Risk.title();
        let log = git.repo.file_log(
            &git.rev,
            &git.prefix,
            &subject.file,
            crate::load::entity_id,
            |before, after| summarize(before, after, is_risk, criteria),
        )?;
        let trusted = &loaded.register.config.git.trusted_committers;
        let approvals = log
            .entries
            .iter()
            .map(|e| e.change.approvals(trusted))
            .collect();
        Ok(Story {
            uncommitted: uncommitted.contains(&subject.file),
            subject,
            log,
            approvals,
            threshold: criteria.acceptance_threshold,
        })
    }

    fn rows(&self) -> Vec<Row<'_>> {
        self.log
            .entries
            .iter()
            .zip(&self.approvals)
            .map(|(entry, approvals)| Row {
                entry,
                change: entry.summary.clone(),
                approvals,
            })
            .collect()
    }

    pub(super) fn human(&self) -> String {
        let rows = self.rows();
        human(
            &self.subject,
            &self.log,
            &rows,
            self.uncommitted,
            Some(self.threshold),
        )
    }

    pub(super) fn markdown(&self) -> String {
        let rows = self.rows();
        markdown(
            &self.subject,
            &self.log,
            &rows,
            self.uncommitted,
            Some(self.threshold),
        )
    }

    fn json(&self) -> Result<String> {
        let rows = self.rows();
        json(&self.subject, &self.log, &rows, self.uncommitted)
    }

    /// The history as a document (for HTML).
    pub(super) fn document(&self, reg: &Register, as_of: Date) -> Document {
        let entries: Vec<report::history::Entry> = self
            .rows()
            .iter()
            .map(|r| {
                let c = &r.entry.change;
                report::history::Entry {
                    commit: c.commit.short.clone(),
                    date: day(&c.commit.author_date).to_string(),
                    author: c.commit.author.clone(),
                    pr: c.pr,
                    merged_in: c
                        .landed
                        .as_ref()
                        .map(|m| (m.short.clone(), m.day.to_string())),
                    approved_by: r.approvals.approved_by.clone(),
                    claimed: r
                        .approvals
                        .claimed
                        .iter()
                        .map(crate::git::Claim::describe)
                        .collect(),
                    summary: c.commit.summary.clone(),
                    origin: origin(r, &|p| p.to_string()),
                    fields: if r.entry.before.is_some() {
                        r.change.fields.clone()
                    } else {
                        Vec::new()
                    },
                    moves: moves(r, Some(self.threshold)),
                }
            })
            .collect();
        report::history::build(
            reg,
            as_of,
            &report::history::Subject {
                kind: self.subject.kind,
                id: &self.subject.id,
                file: &self.subject.file,
            },
            &entries,
            self.log.truncated,
            self.uncommitted,
        )
    }
}

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    let source = super::open_tree(global, env)?;
    source.require_git("`airisk history`")?;
    let opened = Opened::read(source, global.as_of.unwrap_or(env.today))?;
    super::warn_skipped_templates(env, &opened)?;
    let Some(git) = &opened.git else {
        unreachable!("require_git checked it");
    };
    let uncommitted = if git.rev.worktree {
        git.repo.uncommitted(&git.prefix)?
    } else {
        Vec::new()
    };
    let story = Story::read(git, &opened.loaded, &args.id, &uncommitted)?;
    let text = match args.format {
        Format::Human => story.human().into_bytes(),
        Format::Markdown => story.markdown().into_bytes(),
        Format::Json => story.json()?.into_bytes(),
        Format::Html => {
            let history = opened.history(false)?;
            let mut doc = story.document(&opened.loaded.register, opened.today);
            stamp(&mut doc, history.as_ref(), opened.trusted());
            render_bytes(
                env,
                &opened,
                &doc,
                crate::render::Format::Html,
                args.output.as_deref(),
            )?
        }
    };
    write_output(env, args.output.as_deref(), &text)?;
    Ok(EXIT_OK)
}

/// `created` (with a risk's first score and level), `renamed from X` (the path as `code`
/// writes it for the format), or nothing. Level names are unescaped.
fn origin(r: &Row, code: &dyn Fn(&str) -> String) -> Option<String> {
    match (&r.entry.before, &r.entry.after) {
        (None, _) => {
            let standing = r.change.risk.as_ref().and_then(|m| {
                let score = m.after.score?;
                Some(match &m.after.level {
                    Some(l) => format!(": score {score} ({l})"),
                    None => format!(": score {score}"),
                })
            });
            Some(format!("created{}", standing.unwrap_or_default()))
        }
        (Some(b), Some(a)) if b.path != a.path => Some(format!("renamed from {}", code(&b.path))),
        _ => None,
    }
}

/// The lines of a risk's move, for a commit that changed (not created) the file.
fn moves(r: &Row, threshold: Option<u32>) -> Vec<String> {
    match (&r.entry.before, &r.change.risk) {
        (Some(_), Some(m)) => ct::move_lines(m, threshold),
        _ => Vec::new(),
    }
}

/// What a commit records about its approval, one line each: who approved and reviewed it
/// (as judged), each claim that is not an approval and why, then the other trailers of the
/// merge and of the commit as written (`Co-authored-by: ...`).
fn approval_lines(r: &Row) -> Vec<String> {
    let a = r.approvals;
    let mut lines = Vec::new();
    if !a.approved_by.is_empty() {
        lines.push(format!("approved by: {}", a.approved_by.join(", ")));
    }
    if !a.reviewed_by.is_empty() {
        lines.push(format!("reviewed by: {}", a.reviewed_by.join(", ")));
    }
    lines.extend(a.claimed.iter().map(crate::git::Claim::describe));
    let c = &r.entry.change;
    for t in c
        .landed
        .iter()
        .flat_map(|m| m.trailers.iter())
        .chain(&c.commit.trailers)
        .filter(|t| !approval::is_approval(t))
    {
        lines.push(format!("{}: {}", t.key, t.value));
    }
    lines
}

fn day(rfc3339: &str) -> &str {
    rfc3339.get(..10).unwrap_or(rfc3339)
}

fn human(
    s: &Subject,
    log: &Log,
    rows: &[Row],
    uncommitted: bool,
    threshold: Option<u32>,
) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "history of {} `{}` ({}), newest first",
        s.kind,
        terminal_line(&s.id),
        terminal_line(&s.file)
    );
    if uncommitted {
        let _ = writeln!(o, "the working tree has uncommitted changes to this file");
    }
    if rows.is_empty() && !log.truncated {
        let _ = writeln!(o, "\nno commit has this file yet");
    }
    for r in rows {
        let c = &r.entry.change;
        let pr = c.pr.map(|n| format!("  PR #{n}")).unwrap_or_default();
        let _ = writeln!(
            o,
            "\n{}  {}  {} <{}>{pr}",
            c.commit.short,
            day(&c.commit.author_date),
            terminal_line(&c.commit.author),
            terminal_line(&c.commit.author_email)
        );
        let _ = writeln!(o, "    {}", terminal_line(&c.commit.summary));
        if let Some(m) = &c.landed {
            let _ = writeln!(
                o,
                "    merged in {} on {}: {}",
                m.short,
                m.day,
                terminal_line(&m.summary)
            );
        }
        for line in approval_lines(r) {
            let _ = writeln!(o, "    {}", terminal_line(&line));
        }
        if let Some(what) = origin(r, &|p| format!("`{p}`")) {
            let _ = writeln!(o, "    {}", terminal_line(&what));
        }
        if r.entry.before.is_some() {
            for f in &r.change.fields {
                let _ = writeln!(o, "    {}", ct::field_line(f));
            }
        }
        for l in moves(r, threshold) {
            let _ = writeln!(o, "    {}", terminal_line(&l));
        }
        if r.change.unreadable {
            let _ = writeln!(
                o,
                "    (a version is not readable YAML, or is over {} MiB: fields not compared)",
                crate::load::MAX_FILE_BYTES >> 20
            );
        }
    }
    if log.truncated {
        let _ = writeln!(
            o,
            "\nhistory truncated: this is a shallow clone and older commits are missing\nhelp: {FETCH_HELP}"
        );
    }
    o
}

fn markdown(
    s: &Subject,
    log: &Log,
    rows: &[Row],
    uncommitted: bool,
    threshold: Option<u32>,
) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "## History of {} {}\n", s.kind, markdown_code(&s.id));
    let _ = writeln!(o, "File: {}, newest first.\n", markdown_code(&s.file));
    if uncommitted {
        let _ = writeln!(
            o,
            "The working tree has uncommitted changes to this file.\n"
        );
    }
    if log.truncated {
        let _ = writeln!(
            o,
            "> **History truncated**: this is a shallow clone and older commits are missing. To {FETCH_HELP}.\n"
        );
    }
    if rows.is_empty() {
        if !log.truncated {
            let _ = writeln!(o, "No commit has this file yet.");
        }
        return o;
    }
    let _ = writeln!(
        o,
        "| commit | date | author | pull request | approved by | summary |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|---|");
    for r in rows {
        let c = &r.entry.change;
        let _ = writeln!(
            o,
            "| `{}` | {} | {} | {} | {} | {} |",
            c.commit.short,
            day(&c.commit.author_date),
            markdown_cell(&c.commit.author),
            c.pr.map(|n| format!("#{n}")).unwrap_or_default(),
            markdown_cell(&r.approvals.approved_by.join(", ")),
            markdown_cell(&c.commit.summary)
        );
    }
    for r in rows {
        let c = &r.entry.change;
        let _ = writeln!(
            o,
            "\n### `{}` {}\n",
            c.commit.short,
            markdown_text(&c.commit.summary)
        );
        let mut facts = vec![format!(
            "Author: {}, {}",
            markdown_text(&c.commit.author),
            day(&c.commit.author_date)
        )];
        if let Some(m) = &c.landed {
            facts.push(format!("Merged in `{}` on {}", m.short, m.day));
        }
        for line in approval_lines(r) {
            facts.push(markdown_text(&line));
        }
        if let Some(what) = origin(r, &markdown_code) {
            // The path is a code span already; the rest is ours but for level names.
            facts.push(match what.strip_prefix("created") {
                Some(rest) => format!("created{}", markdown_cell(rest)),
                None => what,
            });
        }
        facts.extend(moves(r, threshold).iter().map(|l| markdown_text(l)));
        for f in facts {
            let _ = writeln!(o, "- {f}");
        }
        if r.entry.before.is_some() && !r.change.fields.is_empty() {
            let _ = writeln!(o, "\n| field | before | after |\n|---|---|---|");
            for f in &r.change.fields {
                let _ = writeln!(o, "{}", ct::field_row(f));
            }
        }
    }
    o
}

fn json(s: &Subject, log: &Log, rows: &[Row], uncommitted: bool) -> Result<String> {
    let commits: Vec<_> = rows
        .iter()
        .map(|r| {
            let c = &r.entry.change;
            json!({
                "commit": c.commit,
                "merge": c.landed,
                "pr": c.pr,
                "approved_by": r.approvals.approved_by,
                "reviewed_by": r.approvals.reviewed_by,
                "merged_by": r.approvals.merged_by,
                "claimed": r.approvals.claimed,
                "path": r.entry.after.as_ref().map(|v| &v.path),
                "previous_path": r.entry.before.as_ref().map(|v| &v.path),
                "created": r.entry.before.is_none(),
                "fields": if r.entry.before.is_some() { json!(r.change.fields) } else { json!([]) },
                "risk": r.change.risk,
            })
        })
        .collect();
    let doc = json!({
        "version": 1,
        "entity": { "kind": s.kind, "id": s.id, "file": s.file },
        "uncommitted": uncommitted,
        "truncated": log.truncated,
        "commits": commits,
    });
    Ok(crate::text::json_pretty(&doc)? + "\n")
}
