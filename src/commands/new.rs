//! `airisk new risk|system|assessment|incident`: writes a new entity file from an embedded
//! template (`new/*.yaml`, with short comments) with the next free id, prefilled from the
//! flags, and prints the path written.
//!
//! The next id follows the register's numbering: `R-`, `IA-`, `INC-` and the width of the
//! highest existing number (`R-009` → `R-010`; three digits when there is none). Values from
//! the flags are written as YAML scalars that cannot change the document's structure, and
//! the text is read back through the loader before writing: it must have no finding other
//! than `missing-field` for the fields left to fill in. Never overwrites: the file is
//! created by `output::create_all` (a temporary file linked into place, which fails if the
//! name exists). When another run took the next id meanwhile (parallel `new risk`), the
//! following free id is tried, up to [`MAX_TRIES`] times; an id given with `--id` is never
//! changed.

use super::{EXIT_OK, Env};
use crate::cli::Global;
use crate::diag::{Code, did_you_mean};
use crate::kinds::{Home, Kind};
use crate::load::schema::modeline;
use crate::load::{self, Loaded};
use crate::model::Date;
use crate::model::symbols::next_id;
use crate::output;
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

impl NewKind {
    fn template(self) -> &'static str {
        self.0.def().template.unwrap_or_default()
    }

    /// The id prefix of numbered kinds.
    fn prefix(self) -> Option<&'static str> {
        self.0.def().id_prefix
    }

    fn folder(self) -> &'static str {
        match self.0.def().home {
            Home::Folder { dir, .. } => dir,
            _ => unreachable!("a kind with a template has a folder (kinds::tests)"),
        }
    }

    fn what(self) -> &'static str {
        self.0.title()
    }
}

pub fn run(args: &Args, global: &Global, env: &mut Env) -> Result<u8> {
    if global.at.is_some() {
        bail!("`new` writes into the working tree; `--at` does not apply to it");
    }
    let root = load::discover(&env.cwd, global.register.as_deref())?;
    let today = global.as_of.unwrap_or(env.today);
    let loaded = load::load(&root)?;
    let numbered = args.id.is_none() && args.kind.prefix().is_some();
    // Ids another run created since the register was read.
    let mut taken: Vec<String> = Vec::new();
    let rel = loop {
        let (id, rel, text) = render_taking(args, &loaded, today, &taken)?;
        match output::create_all(&root, &[(rel.as_str(), text.as_bytes())]) {
            Ok(()) => break rel,
            Err(e)
                if numbered
                    && taken.len() + 1 < MAX_TRIES
                    && e.downcast_ref::<output::InTheWay>().is_some() =>
            {
                taken.push(id);
            }
            Err(e) => return Err(e),
        }
    };
    let path = root.join(&rel);
    let shown = path.strip_prefix(&env.cwd).unwrap_or(&path);
    writeln!(env.stdout, "{}", shown.display())?;
    Ok(EXIT_OK)
}

/// How many ids `new` tries when other runs keep taking the next one.
pub const MAX_TRIES: usize = 1000;

/// The new file: its path relative to the register root, and its text.
pub fn render(args: &Args, loaded: &Loaded, today: Date) -> Result<(String, String)> {
    render_taking(args, loaded, today, &[]).map(|(_, rel, text)| (rel, text))
}

/// Like [`render`], with the ids in `taken` counted as used too; also gives the id.
fn render_taking(
    args: &Args,
    loaded: &Loaded,
    today: Date,
    taken: &[String],
) -> Result<(String, String, String)> {
    let reg = &loaded.register;
    let kind = args.kind;
    if args.category.is_some() && kind.0 != Kind::Risk {
        bail!("--category applies to `new risk` only");
    }
    if args.system.is_some() && kind.0 == Kind::System {
        bail!("--system does not apply to `new system`; use --id or --title");
    }
    let mut existing = existing_ids(loaded, kind);
    existing.extend(taken.iter().cloned());
    let id = match (&args.id, kind) {
        (Some(id), _) => id.trim().to_string(),
        (None, NewKind(Kind::System)) => match &args.title {
            Some(t) => kebab(t),
            None => bail!(
                "a new system needs --id ID or --title TITLE (its id is then the title in kebab-case)"
            ),
        },
        (None, _) => next_id(
            kind.prefix().unwrap_or_default(),
            existing.iter().map(String::as_str),
        ),
    };
    check_file_name(&id)?;
    if existing.iter().any(|e| e == &id) {
        bail!("there is already a {} with id `{id}`", kind.what());
    }
    let system = match &args.system {
        Some(s) => {
            if reg.system(s).is_none() {
                let ids: Vec<&str> = reg.symbols.ids(Kind::System).collect();
                let hint = did_you_mean(s, ids.iter().copied())
                    .map(|m| format!(": did you mean `{m}`?"))
                    .unwrap_or_default();
                bail!("no system has the id `{s}`{hint}");
            }
            Some(s.clone())
        }
        None => None,
    };
    if let Some(c) = &args.category {
        let ids: Vec<&str> = reg.symbols.ids(Kind::Category).collect();
        if !ids.contains(&c.as_str()) {
            let hint = did_you_mean(c, ids.iter().copied())
                .map(|m| format!(": did you mean `{m}`?"))
                .unwrap_or_default();
            bail!("unknown category `{c}`{hint} (see `airisk taxonomy categories`)");
        }
    }
    if let (Some(o), Some(_)) = (&args.owner, &reg.people) {
        let keys: Vec<&str> = reg.symbols.ids(Kind::Person).collect();
        if reg.person(o).is_none() {
            let hint = did_you_mean(o, keys.iter().copied())
                .map(|m| format!(": did you mean `{m}`?"))
                .unwrap_or_default();
            bail!("no person has the key `{o}` in people.yaml{hint}");
        }
    }
    let owner = args.owner.clone().or_else(|| {
        let s = reg.system(system.as_deref()?)?;
        s.owner.as_ref().map(|o| o.value.clone())
    });

    let folder = kind.folder();
    let rel = match &system {
        // A register that files risks by system (risks/<system>/) gets the new one there too.
        Some(s) if kind.0 == Kind::Risk && reg.root.join(folder).join(s).is_dir() => {
            format!("{folder}/{s}/{id}.yaml")
        }
        _ => format!("{folder}/{id}.yaml"),
    };
    let values: [(&str, Option<String>); 8] = [
        ("modeline", Some(modeline(kind.0, &rel))),
        ("id", Some(scalar(&id))),
        ("title", args.title.as_deref().map(scalar)),
        ("name", Some(scalar(args.title.as_deref().unwrap_or(&id)))),
        ("system", system.as_deref().map(scalar)),
        ("category", args.category.as_deref().map(scalar)),
        ("owner", owner.as_deref().map(scalar)),
        ("today", Some(today.to_string())),
    ];
    let text = fill(kind.template(), &values);

    // The file must read back as the kind, with nothing wrong but what is left to fill in.
    let problems: Vec<String> = load::lower_text(kind.0, &rel, &text)
        .into_iter()
        .filter(|d| d.code != Code::MissingField)
        .map(|d| format!("{}: {}", d.code.name(), d.message))
        .collect();
    if !problems.is_empty() {
        bail!(
            "the new {} would not read back cleanly: {}",
            kind.what(),
            problems.join("; ")
        );
    }
    Ok((id, rel, text))
}

/// Replaces `{{name}}` placeholders; a line ending in a placeholder without a value keeps
/// its key with an empty value (`title:`), which `check` reports as missing.
fn fill(template: &str, values: &[(&str, Option<String>)]) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    for line in template.lines() {
        let mut line = line.to_string();
        for (name, value) in values {
            let ph = format!("{{{{{name}}}}}");
            if !line.contains(&ph) {
                continue;
            }
            line = match value {
                Some(v) => line.replace(&ph, v),
                None => line.replace(&ph, "").trim_end().to_string(),
            };
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// A value from the command line as a YAML scalar: plain when that reads back as the same
/// text, otherwise double-quoted (JSON string syntax, a subset of YAML's).
pub fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_alphabetic())
        && s.chars()
            .all(|c| c.is_alphanumeric() || " -_./()',".contains(c))
        && !s.ends_with(' ')
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "nan" | "inf"
        );
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).expect("a string serialises")
    }
}

/// Lower-case ASCII letters and digits, other runs of characters become one `-`.
pub fn kebab(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// An id has the id syntax (`text::is_id`: 1 to 64 letters, digits, `.`, `_` and `-`,
/// starting with a letter or digit), which also makes it a safe file name.
fn check_file_name(id: &str) -> Result<()> {
    if !crate::text::is_id(id) {
        bail!(
            "`{id}` cannot be an id of a new file: use 1 to 64 letters, digits, `.`, `_` and `-`, starting with a letter or digit (it becomes the file name)"
        );
    }
    Ok(())
}

/// The ids of `kind` in the register (its symbols), and the stems of its files (a file that
/// does not parse still holds its number).
fn existing_ids(loaded: &Loaded, kind: NewKind) -> Vec<String> {
    let reg = &loaded.register;
    let mut ids: Vec<String> = reg
        .symbols
        .definitions(kind.0)
        .map(|s| s.id.clone())
        .collect();
    let folder = format!("{}/", kind.folder());
    for i in 0..loaded.sources.len() {
        let path = loaded
            .sources
            .path(crate::source::FileId(u32::try_from(i).unwrap_or(u32::MAX)));
        if let Some(rest) = path.strip_prefix(&folder) {
            let name = rest.rsplit('/').next().unwrap_or(rest);
            let stem = name
                .strip_suffix(".yaml")
                .or_else(|| name.strip_suffix(".yml"))
                .unwrap_or(name);
            ids.push(stem.to_string());
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_from_flags_cannot_change_the_document() {
        assert_eq!(
            scalar("Model drifts after refresh"),
            "Model drifts after refresh"
        );
        assert_eq!(scalar("credit-scoring"), "credit-scoring");
        assert_eq!(
            scalar("the provider's logs, kept"),
            "the provider's logs, kept"
        );
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("2026"), "\"2026\"");
        assert_eq!(scalar("x\n- y"), "\"x\\n- y\"");
        assert_eq!(scalar("# not a comment"), "\"# not a comment\"");
    }

    #[test]
    fn kebab_case_ids() {
        assert_eq!(
            kebab("Retail Credit Scoring (v2)"),
            "retail-credit-scoring-v2"
        );
        assert_eq!(kebab("  --ÄI  "), "i");
        assert_eq!(kebab("!!!"), "");
    }

    #[test]
    fn fill_leaves_empty_keys_for_missing_values() {
        let t = "a: {{x}}\nb: {{y}}\n# {{x}} here\n";
        let out = fill(t, &[("x", Some("1".into())), ("y", None)]);
        assert_eq!(out, "a: 1\nb:\n# 1 here\n");
    }
}
