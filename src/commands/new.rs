//! `airisk new risk|system|assessment|incident|waiver`: writes a new entity file from the kind's
//! template with the next free id, prefilled from the flags, and prints the path written
//! (the workspace makes the file: `workspace::new`). Never overwrites: the file is created
//! by `output::create_all` (a temporary file linked into place, which fails if the name
//! exists). When another run took the next id meanwhile (parallel `new risk`), the
//! following free id is tried, up to [`MAX_TRIES`] times; an id given with `--id` is never
//! changed. `new waiver --rule R --target T` adds a waiver to waivers.yaml instead
//! (`workspace::new::waiver`).

use super::Global;
use super::{EXIT_OK, Env};
use crate::output;
use crate::workspace::new::{self, Request};
use crate::workspace::{Selection, Workspace};
use anyhow::{Result, bail};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to create.
    #[arg(value_enum)]
    pub kind: NewKind,
    /// The id (default: the next free one; a system's id defaults to its --title in kebab-case).
    #[arg(long)]
    pub id: Option<String>,
    /// The AI system it is about (risk, assessment, incident).
    #[arg(long, value_name = "SYSTEM")]
    pub system: Option<String>,
    /// The risk category (risk).
    #[arg(long, value_name = "CATEGORY")]
    pub category: Option<String>,
    /// The title (risk), name (system) or summary (incident).
    #[arg(long)]
    pub title: Option<String>,
    /// The owner (risk, system) or assessor (assessment); default: the system's owner, else
    /// the only person of people.yaml when it has one.
    #[arg(long, value_name = "PERSON")]
    pub owner: Option<String>,
    /// The rule code to waive (waiver).
    #[arg(long, value_name = "CODE")]
    pub rule: Option<String>,
    /// The subject of the findings to waive: an entity id or a register path (waiver).
    #[arg(long, value_name = "ID|PATH")]
    pub target: Option<String>,
    /// Why the exception is accepted (waiver).
    #[arg(long)]
    pub reason: Option<String>,
    /// Who approved it, a person key (waiver).
    #[arg(long, value_name = "PERSON")]
    pub approved_by: Option<String>,
    /// The last day it holds (waiver).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::date_arg)]
    pub expires: Option<crate::model::Date>,
}

/// What `new` writes: a kind with a template in the table of kinds (a file of its own), or
/// `waiver` (one more entry of waivers.yaml).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewKind(pub Option<crate::kinds::Kind>);

impl clap::ValueEnum for NewKind {
    fn value_variants<'a>() -> &'a [Self] {
        static KINDS: std::sync::LazyLock<Vec<NewKind>> = std::sync::LazyLock::new(|| {
            crate::kinds::KINDS
                .iter()
                .filter(|d| d.template.is_some())
                .map(|d| NewKind(Some(d.kind)))
                .chain([NewKind(None)])
                .collect()
        });
        &KINDS
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(
            self.0.map_or("waiver", |k| k.name()),
        ))
    }
}

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    if global.at.is_some() {
        bail!("`new` writes into the working tree; `--at` does not apply to it");
    }
    let sel = Selection {
        no_git: true,
        ..super::selection(global, env)
    };
    let Some(kind) = args.kind.0 else {
        // The git rules run too: a waiver of one of theirs must find its finding.
        let ws = Workspace::open(&super::selection(global, env))?;
        return waiver(args, &ws, env);
    };
    let ws = Workspace::open(&sel)?;
    if args.rule.is_some() || args.target.is_some() || args.reason.is_some() {
        bail!("--rule, --target and --reason apply to `new waiver` only");
    }
    let loaded = ws.load()?;
    let req = Request {
        kind,
        id: args.id.clone(),
        system: args.system.clone(),
        category: args.category.clone(),
        title: args.title.clone(),
        owner: args.owner.clone(),
    };
    // Ids another run created since the register was read.
    let mut taken: Vec<String> = Vec::new();
    let (rel, note) = loop {
        let file = new::render(&loaded, ws.today, &req, &taken)?;
        match output::create_all(&ws.root, &[(file.path.as_str(), file.text.as_bytes())]) {
            Ok(()) => break (file.path, file.note),
            Err(e)
                if req.numbered()
                    && taken.len() + 1 < MAX_TRIES
                    && e.downcast_ref::<output::InTheWay>().is_some() =>
            {
                taken.push(file.id);
            }
            Err(e) => return Err(e),
        }
    };
    let path = ws.root.join(&rel);
    let shown = path.strip_prefix(&env.cwd).unwrap_or(&path);
    writeln!(env.stdout, "{}", shown.display())?;
    if let Some(n) = note {
        // stdout is the path alone (`$EDITOR "$(airisk new risk)"`).
        writeln!(env.stderr, "note: {n}")?;
    }
    Ok(EXIT_OK)
}

/// How many ids `new` tries when other runs keep taking the next one.
pub const MAX_TRIES: usize = 1000;

/// `new waiver --rule R --target T`: one more waiver in waivers.yaml, appended to what is
/// there (every byte of it kept) or in a new file, through the one writer (replaced whole,
/// never through a link; created, never overwriting).
fn waiver(args: &Args, ws: &Workspace, env: &mut Env) -> Result<u8> {
    let (Some(rule), Some(target)) = (&args.rule, &args.target) else {
        bail!("`new waiver` needs --rule CODE and --target ID|PATH");
    };
    if args.id.is_some()
        || args.system.is_some()
        || args.category.is_some()
        || args.title.is_some()
        || args.owner.is_some()
    {
        bail!("--id, --system, --category, --title and --owner do not apply to `new waiver`");
    }
    let checked = ws.check(false)?;
    let req = new::WaiverRequest {
        rule: rule.clone(),
        target: target.clone(),
        reason: args.reason.clone(),
        approved_by: args.approved_by.clone(),
        expires: args.expires,
    };
    let (rel, text, exists) = new::waiver(&checked, ws.today, &req)?;
    if exists {
        output::replace(&ws.root.join(&rel), text.as_bytes())?;
    } else {
        output::create_all(&ws.root, &[(rel.as_str(), text.as_bytes())])?;
    }
    let path = ws.root.join(&rel);
    let shown = path.strip_prefix(&env.cwd).unwrap_or(&path);
    writeln!(env.stdout, "{}", shown.display())?;
    if args.reason.is_none() || args.approved_by.is_none() {
        writeln!(
            env.stderr,
            "note: fill in the waiver's `reason` and `approved_by` (`airisk check` reports them missing until then)"
        )?;
    }
    Ok(EXIT_OK)
}
