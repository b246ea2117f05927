//! A new entity file (`airisk new risk|system|assessment|incident`), written from the kind's
//! template in the table of kinds (`kinds/new/*.yaml`, with short comments) with the next
//! free id, prefilled from what the front end was given (an owner not given: the system's, else
//! the only person of people.yaml, which [`NewFile::note`] tells the user of).
//!
//! The next id follows the register's numbering (the symbol index: `R-`, `IA-`, `INC-` and
//! the width of the highest existing number, `R-009` → `R-010`; three digits when there is
//! none; a file that does not parse still holds its number). Values are written as YAML
//! scalars that cannot change the document's structure, and the text is read back through
//! the loader: it must have no finding other than `missing-field` for the fields left to fill
//! in. Writing is the front end's (never overwriting: `output::create_all`).

use crate::diag::{Code, did_you_mean, hint};
use crate::kinds::{Home, Kind};
use crate::load::schema::modeline;
use crate::load::{self, Loaded};
use crate::model::Date;
use crate::model::symbols::next_id;
use anyhow::{Result, bail};

/// What to write: a kind with a template, and the values the front end was given.
#[derive(Clone, Debug)]
pub struct Request {
    pub kind: Kind,
    /// The id (default: the next free one; a system's id defaults to its title in
    /// kebab-case).
    pub id: Option<String>,
    pub system: Option<String>,
    pub category: Option<String>,
    /// The title (risk), name (system) or summary (incident).
    pub title: Option<String>,
    /// The owner (risk, system) or assessor (assessment); default: the system's owner, else
    /// the only person of people.yaml when it has one.
    pub owner: Option<String>,
}

/// A new file: its id, its path relative to the register root, and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFile {
    pub id: String,
    pub path: String,
    pub text: String,
    /// A value filled in that the front end was not given and that is not the documented
    /// default, for the user to hear of (`owner: asmith, the only person in people.yaml`).
    pub note: Option<String>,
}

impl Request {
    /// Whether the id is the next free number (another run may take it first: then the
    /// following one is tried).
    pub fn numbered(&self) -> bool {
        self.id.is_none() && self.kind.def().id_prefix.is_some()
    }

    fn template(&self) -> &'static str {
        self.kind.def().template.unwrap_or_default()
    }

    fn prefix(&self) -> Option<&'static str> {
        self.kind.def().id_prefix
    }

    fn folder(&self) -> &'static str {
        match self.kind.def().home {
            Home::Folder { dir, .. } => dir,
            _ => unreachable!("a kind with a template has a folder (kinds::tests)"),
        }
    }

    fn what(&self) -> &'static str {
        self.kind.title()
    }
}

/// The new file for `req` in the register `loaded`, as of `today`, with the ids in `taken`
/// counted as used too (ids another run created since the register was read).
pub fn render(loaded: &Loaded, today: Date, req: &Request, taken: &[String]) -> Result<NewFile> {
    let reg = &loaded.register;
    if req.template().is_empty() {
        bail!("`new` does not write {} files", req.what());
    }
    if req.category.is_some() && req.kind != Kind::Risk {
        bail!("--category applies to `new risk` only");
    }
    if req.system.is_some() && req.kind == Kind::System {
        bail!("--system does not apply to `new system`; use --id or --title");
    }
    let mut existing = existing_ids(loaded, req.kind);
    existing.extend(taken.iter().cloned());
    let id = match (&req.id, req.kind) {
        (Some(id), _) => id.trim().to_string(),
        (None, Kind::System) => match &req.title {
            Some(t) => kebab(t),
            None => bail!(
                "a new system needs --id ID or --title TITLE (its id is then the title in kebab-case)"
            ),
        },
        (None, _) => next_id(
            req.prefix().unwrap_or_default(),
            existing.iter().map(String::as_str),
        ),
    };
    check_file_name(&id)?;
    if existing.iter().any(|e| e == &id) {
        bail!("there is already a {} with id `{id}`", req.what());
    }
    let system = match &req.system {
        Some(s) => {
            if reg.system(s).is_none() {
                let ids: Vec<&str> = reg.symbols.ids(Kind::System).collect();
                let hint = hint(s, &ids, "systems").map_or_else(
                    || {
                        "\nhelp: the register has no system yet: `airisk new system --title ...`"
                            .to_string()
                    },
                    |h| format!("\nhelp: {h}"),
                );
                bail!("no system has the id `{s}`{hint}");
            }
            Some(s.clone())
        }
        None => None,
    };
    if let Some(c) = &req.category {
        let ids: Vec<&str> = reg.symbols.ids(Kind::Category).collect();
        if !ids.contains(&c.as_str()) {
            let hint = hint(c, &ids, "categories")
                .map(|h| format!("\nhelp: {h}"))
                .unwrap_or_default();
            bail!(
                "unknown category `{c}`{hint}\nhelp: `airisk taxonomy categories` describes them; a sector's own go in `[taxonomy] extra_categories` of airisk.toml"
            );
        }
    }
    if let (Some(o), Some(_)) = (&req.owner, &reg.people) {
        let keys: Vec<&str> = reg.symbols.ids(Kind::Person).collect();
        if reg.person(o).is_none() {
            let hint = hint(o, &keys, "people")
                .map(|h| format!("\nhelp: {h}"))
                .unwrap_or_default();
            bail!("no person has the key `{o}` in people.yaml{hint}");
        }
    }
    let from_system = req.owner.clone().or_else(|| {
        let s = reg.system(system.as_deref()?)?;
        s.owner.as_ref().map(|o| o.value.clone())
    });
    // Otherwise, a register of one person: that person (a system's owner, a risk's owner, an
    // assessment's assessor). An incident has no owner field to fill.
    let (owner, note) = match from_system {
        Some(o) => (Some(o), None),
        None if req.template().contains("{{owner}}") => match only_person(loaded) {
            Some(p) => {
                let field = if req.kind == Kind::Assessment {
                    "assessor"
                } else {
                    "owner"
                };
                let note = format!("{field}: {p}, the only person in people.yaml");
                (Some(p), Some(note))
            }
            None => (None, None),
        },
        None => (None, None),
    };

    let folder = req.folder();
    let rel = match &system {
        // A register that files risks by system (risks/<system>/) gets the new one there too.
        Some(s) if req.kind == Kind::Risk && reg.root.join(folder).join(s).is_dir() => {
            format!("{folder}/{s}/{id}.yaml")
        }
        _ => format!("{folder}/{id}.yaml"),
    };
    let values: [(&str, Option<String>); 8] = [
        ("modeline", Some(modeline(req.kind, &rel))),
        ("id", Some(scalar(&id))),
        ("title", req.title.as_deref().map(scalar)),
        ("name", Some(scalar(req.title.as_deref().unwrap_or(&id)))),
        ("system", system.as_deref().map(scalar)),
        ("category", req.category.as_deref().map(scalar)),
        ("owner", owner.as_deref().map(scalar)),
        ("today", Some(today.to_string())),
    ];
    let text = fill(req.template(), &values);

    // The file must read back as the kind, with nothing wrong but what is left to fill in.
    let problems: Vec<String> = load::lower_text(req.kind, &rel, &text)
        .into_iter()
        .filter(|d| d.code != Code::MissingField)
        .map(|d| format!("{}: {}", d.code.name(), d.message))
        .collect();
    if !problems.is_empty() {
        bail!(
            "the new {} would not read back cleanly: {}",
            req.what(),
            problems.join("; ")
        );
    }
    Ok(NewFile {
        id,
        path: rel,
        text,
        note,
    })
}

/// The key of the one person of people.yaml, when it has exactly one (and no file of people
/// failed to read, which might hold others).
fn only_person(loaded: &Loaded) -> Option<String> {
    let people = loaded.register.people.as_ref()?;
    let unread = loaded.diagnostics.iter().any(|d| {
        matches!(d.code, Code::YamlSyntax | Code::FileUnreadable)
            && Some(d.primary.span.file) == people.file
    });
    match people.people.as_slice() {
        [one] if !unread => Some(one.key.value.clone()),
        _ => None,
    }
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
fn existing_ids(loaded: &Loaded, kind: Kind) -> Vec<String> {
    let reg = &loaded.register;
    let mut ids: Vec<String> = reg
        .symbols
        .definitions(kind)
        .map(|s| s.id.clone())
        .collect();
    let Home::Folder { dir, .. } = kind.def().home else {
        return ids;
    };
    let folder = format!("{dir}/");
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

/// A waiver to add (`airisk new waiver --rule R --target T`).
#[derive(Clone, Debug, Default)]
pub struct WaiverRequest {
    pub rule: String,
    pub target: String,
    pub reason: Option<String>,
    pub approved_by: Option<String>,
    pub expires: Option<Date>,
}

/// `waivers.yaml` with one more waiver: its path relative to the register root, the whole new
/// text, and whether the file exists already (then the text is its text, every byte kept,
/// with the waiver appended). Refused, with why: a rule no waiver may name, a target that is
/// no entity and no register file, an approver who is not in people.yaml, a waiver already
/// there for the rule and target, a waiver that would waive nothing (no finding of the rule is
/// about the target in `checked`), a waivers file that was not read (a link, a FIFO...), or
/// one the waiver cannot be appended to as written (a flow list, another key after it): the
/// new text must read back with the old waivers and the new one last, and nothing else wrong
/// but what is left to fill in (`reason`, `approved_by`).
pub fn waiver(
    checked: &super::check::Outcome,
    today: Date,
    req: &WaiverRequest,
) -> Result<(String, String, bool)> {
    let loaded = &checked.loaded;
    let reg = &loaded.register;
    let code = match Code::from_name(&req.rule) {
        Some(c) if c.waivable() => c,
        Some(_) => bail!(
            "`{}` cannot be waived: the format codes (yaml-syntax, file-unreadable, unknown-field, missing-field, invalid-value, duplicate-id) and waiver-expired, waiver-unused are fixed, not excused",
            req.rule
        ),
        None => {
            let names = crate::diag::CODES
                .iter()
                .filter(|i| i.code.waivable())
                .map(|i| i.name);
            let hint = did_you_mean(&req.rule, names)
                .map(|m| format!(": did you mean `{m}`?"))
                .unwrap_or_default();
            bail!("unknown rule code `{}`{hint}", req.rule);
        }
    };
    if !crate::check::waivers::target_exists(reg, &loaded.sources, &req.target) {
        let ids = crate::check::waivers::TARGET_KINDS
            .iter()
            .flat_map(|k| reg.symbols.ids(*k));
        let hint = did_you_mean(&req.target, ids)
            .map(|m| format!(": did you mean `{m}`?"))
            .unwrap_or_default();
        bail!(
            "`{}` is no entity id and no file of the register{hint}",
            req.target
        );
    }
    if let (Some(p), Some(_)) = (&req.approved_by, &reg.people)
        && reg.person(p).is_none()
    {
        let keys: Vec<&str> = reg.symbols.ids(Kind::Person).collect();
        let hint = did_you_mean(p, keys.iter().copied())
            .map(|m| format!(": did you mean `{m}`?"))
            .unwrap_or_default();
        bail!("no person has the key `{p}` in people.yaml{hint}");
    }
    let about = |d: &crate::diag::Diagnostic| {
        d.code == code
            && (d.subject.as_deref() == Some(req.target.as_str())
                || loaded.sources.path(d.primary.span.file) == req.target)
    };
    if checked.waived.iter().any(about) {
        bail!(
            "the `{}` findings about `{}` are waived already (waivers.yaml)",
            req.rule,
            req.target
        );
    }
    if !checked.diagnostics.iter().any(about) {
        bail!(
            "no `{}` finding is about `{}` today: the waiver would waive nothing (waiver-unused); `airisk check --format json` shows each finding's subject",
            req.rule,
            req.target
        );
    }
    let unread = checked.diagnostics.iter().find(|d| {
        d.code == Code::FileUnreadable
            && matches!(
                loaded.sources.path(d.primary.span.file),
                "waivers.yaml" | "waivers.yml"
            )
    });
    if let Some(d) = unread {
        bail!(
            "waivers.yaml is not read, so it cannot be added to: {}",
            d.message
        );
    }
    let existing = reg.waivers.as_ref().map(|w| {
        (
            loaded.sources.path(w.file).to_string(),
            loaded.sources.get(w.file).text.clone(),
            w.waivers.len(),
        )
    });
    if existing.is_none() {
        // A waivers file that did not parse has no model but is in the sources.
        let broken = (0..loaded.sources.len())
            .map(|i| loaded.sources.path(crate::source::FileId(i as u32)))
            .find(|p| matches!(*p, "waivers.yaml" | "waivers.yml"));
        if let Some(p) = broken {
            bail!("`{p}` has findings that stop it being read: fix them first (`airisk check`)");
        }
    }
    let item = |indent: &str| {
        let mut lines = vec![
            format!("- rule: {}", scalar(&req.rule)),
            format!("  target: {}", scalar(&req.target)),
            format!(
                "  reason:{}",
                req.reason
                    .as_deref()
                    .map(|r| format!(" {}", scalar(r)))
                    .unwrap_or_default()
            ),
            format!(
                "  approved_by:{}",
                req.approved_by
                    .as_deref()
                    .map(|r| format!(" {}", scalar(r)))
                    .unwrap_or_default()
            ),
            format!("  date: {today}"),
        ];
        if let Some(e) = req.expires {
            lines.push(format!("  expires: {e}"));
        }
        lines
            .into_iter()
            .map(|l| format!("{indent}{l}\n"))
            .collect::<String>()
    };
    let (path, before, count) = match existing {
        Some((p, t, n)) => (p, Some(t), n),
        None => ("waivers.yaml".to_string(), None, 0),
    };
    let candidates: Vec<String> = match &before {
        None => vec![format!(
            "{}\n# Accepted exceptions to rules: each is reviewed and approved like any change.\nwaivers:\n{}",
            modeline(Kind::Waivers, "waivers.yaml"),
            item("  ")
        )],
        Some(t) => {
            let base = if t.is_empty() || t.ends_with('\n') {
                t.clone()
            } else {
                format!("{t}\n")
            };
            let base = if reg.waivers.as_ref().is_some_and(|w| w.waivers.is_empty())
                && !base.lines().any(|l| l.starts_with("waivers:"))
            {
                format!("{base}waivers:\n")
            } else {
                base
            };
            ["  ", "", "    "]
                .iter()
                .map(|i| format!("{base}{}", item(i)))
                .collect()
        }
    };
    for text in candidates {
        if reads_back(&text, count, &req.rule, &req.target) {
            return Ok((path, text, before.is_some()));
        }
    }
    bail!(
        "cannot append a waiver to `{path}` as it is written (the list is not the file's last block of `- ` items); add it by hand:\n{}",
        item("  ")
    )
}

/// Whether `text`, read as a waivers file, has `count` + 1 waivers, the last of `rule` for
/// `target`, and no finding but missing fields.
fn reads_back(text: &str, count: usize, rule: &str, target: &str) -> bool {
    let Ok(node) = load::yaml::parse(text) else {
        return false;
    };
    let clean = load::lower_node(Kind::Waivers, text, &node)
        .iter()
        .all(|d| d.code == Code::MissingField);
    let Some(load::yaml::Value::Seq(items)) = node.get("waivers").map(|n| &n.value) else {
        return false;
    };
    let last_is = items.last().is_some_and(|i| {
        let is = |k: &str, v: &str| {
            matches!(i.get(k).map(|x| &x.value), Some(load::yaml::Value::Str(s)) if s == v)
        };
        is("rule", rule) && is("target", target)
    });
    clean && items.len() == count + 1 && last_is
}
