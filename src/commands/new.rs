//! `airisk new risk|system|assessment|incident`: writes a new entity file from the kind's
//! template with the next free id, prefilled from the flags, and prints the path written
//! (the workspace makes the file: `workspace::new`). Never overwrites: the file is created
//! by `output::create_all` (a temporary file linked into place, which fails if the name
//! exists). When another run took the next id meanwhile (parallel `new risk`), the
//! following free id is tried, up to [`MAX_TRIES`] times; an id given with `--id` is never
//! changed.

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
    /// The owner (risk, system) or assessor (assessment); default: the system's owner.
    #[arg(long, value_name = "PERSON")]
    pub owner: Option<String>,
}

super::kind_arg!(
    /// A kind `new` writes: one with a template in the table of kinds.
    NewKind,
    |d| d.template.is_some()
);

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    if global.at.is_some() {
        bail!("`new` writes into the working tree; `--at` does not apply to it");
    }
    let sel = Selection {
        no_git: true,
        ..super::selection(global, env)
    };
    let ws = Workspace::open(&sel)?;
    let loaded = ws.load()?;
    let req = Request {
        kind: args.kind.0,
        id: args.id.clone(),
        system: args.system.clone(),
        category: args.category.clone(),
        title: args.title.clone(),
        owner: args.owner.clone(),
    };
    // Ids another run created since the register was read.
    let mut taken: Vec<String> = Vec::new();
    let rel = loop {
        let file = new::render(&loaded, ws.today, &req, &taken)?;
        match output::create_all(&ws.root, &[(file.path.as_str(), file.text.as_bytes())]) {
            Ok(()) => break file.path,
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
    Ok(EXIT_OK)
}

/// How many ids `new` tries when other runs keep taking the next one.
pub const MAX_TRIES: usize = 1000;
