//! `unknown-reference` (error): a reference to something that does not exist — a system,
//! risk, impact assessment, person (every `owner`, `assessor`, `approved_by` and the roles
//! in people.yaml, when people.yaml exists), category (built-in or `[taxonomy]
//! extra_categories`), consequence type (when `[criteria] consequence_types` is set), Annex A
//! control, Annex C source or objective, or infosec register entry. The finding points at the
//! reference and says where valid ids come from; when an id looks like a typo of an existing
//! one, it suggests it and labels where that one is defined.
//!
//! A file that cannot be read (`yaml-syntax`, `file-unreadable`) defines nothing, so every
//! reference to what it would define would be unknown: one mistake reported once per use.
//! When such a file of the target's kind has the referenced id on its first top-level `id:`
//! line, the reference is not reported (the file's own finding is the one to fix); otherwise
//! the finding notes the files of that kind no id could be read from. Only the first line
//! counts: a file declares one entity, and a second `id:` line (a duplicate key, so a file
//! that does not parse) must not hide a dangling reference. The file's own finding may not
//! fail the run (an old finding under `check --baseline`), so one line added to a broken file
//! could otherwise silence any number of unknown references.
//!
//! Every reference comes from the symbol index (`model::symbols`): the loader records the
//! value of every field whose declaration says it names a symbol, so a field added to the
//! format with a reference kind is checked here without a change to this rule.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic, Suggester};
use crate::kinds::Kind;
use crate::model::Span;
use std::cell::OnceCell;
use std::collections::HashMap;

/// The valid ids of one kind, and where they come from, for messages. Built at the first
/// unknown reference to the kind.
struct Target<'a> {
    kind: Kind,
    /// Every valid id in definition order, for "did you mean".
    ids: Vec<&'a str>,
    /// `ids` indexed for suggestions, once (the work of suggestions is bounded per list:
    /// it never costs refs × ids).
    suggester: OnceCell<Suggester<'a>>,
}

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let reg = cx.reg;
    let symbols = &reg.symbols;
    // Labelled when no suggestion has a place to show: people.yaml's `people:`.
    let people_home = reg
        .people
        .as_ref()
        .and_then(|p| p.people_key)
        .map(|k| (k, "people are defined here"));
    let infosec_path = reg.config.infosec.as_ref().map(|i| i.path.as_str());
    let mut targets: HashMap<Kind, Target> = HashMap::new();
    let mut unread: HashMap<Kind, Vec<Unread>> = HashMap::new();
    for r in symbols.references() {
        let id = symbols.id(r);
        match r.kind {
            // People are checked when people.yaml exists, consequence types when
            // `[criteria] consequence_types` lists them.
            Kind::Person if reg.people.is_none() => continue,
            Kind::ConsequenceType if reg.config.criteria.consequence_types.is_empty() => {
                continue;
            }
            Kind::Infosec if infosec_path.is_none() => {
                no_infosec_register(id, r.span, out);
                continue;
            }
            _ => {}
        }
        if symbols.get(r.kind, id).is_some() {
            continue;
        }
        let unread = unread
            .entry(r.kind)
            .or_insert_with(|| unread_files(cx, r.kind));
        if unread.iter().any(|u| u.id == Some(id)) {
            continue;
        }
        let target = targets.entry(r.kind).or_insert_with(|| Target {
            kind: r.kind,
            ids: symbols.definitions(r.kind).map(|s| s.id.as_str()).collect(),
            suggester: OnceCell::new(),
        });
        let home = if r.kind == Kind::Person {
            people_home
        } else {
            None
        };
        let source = match (r.kind, infosec_path) {
            (Kind::Infosec, Some(path)) => format!("{} `{path}`", r.kind.def().ids_from),
            _ => r.kind.def().ids_from.to_string(),
        };
        let mut d = unknown(cx, target, (id, r.span), &source, home);
        match unread.as_slice() {
            [] => {}
            [one] => {
                d = d.note(format!(
                    "no {} id could be read from `{}` (see its own findings)",
                    r.kind.title(),
                    one.path
                ));
            }
            [first, rest @ ..] => {
                d = d.note(format!(
                    "no {} id could be read from `{}` and {} other files (see their own findings)",
                    r.kind.title(),
                    first.path,
                    rest.len()
                ));
            }
        }
        out.push(d);
    }
    super::waiver_expired::unknown_targets(cx, out);
}

/// A file of a kind that defines nothing in the symbol index (it could not be read), and
/// the id its first top-level `id:` line names (the one entity the file would define).
struct Unread<'a> {
    path: &'a str,
    id: Option<&'a str>,
}

/// The files of `kind` that define no symbol: files the loader could not read (a file that
/// was read defines its id, or reports it missing), in path order.
fn unread_files<'a>(cx: &Ctx<'a>, kind: Kind) -> Vec<Unread<'a>> {
    let defining: std::collections::HashSet<_> = cx
        .reg
        .symbols
        .definitions(kind)
        .filter_map(|s| s.span.map(|sp| sp.file))
        .collect();
    let mut out: Vec<Unread> = (0..cx.sources.len())
        .map(|i| crate::source::FileId(i as u32))
        .filter(|f| !defining.contains(f))
        .map(|f| cx.sources.get(f))
        .filter(|f| Kind::of_path(&f.path) == Some(kind))
        .map(|f| Unread {
            path: &f.path,
            id: crate::load::declared_id(&f.text),
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(b.path));
    out
}

/// The finding for `r`, an id no `target.kind` has.
fn unknown(
    cx: &Ctx,
    target: &Target,
    (id, span): (&str, Span),
    source: &str,
    home: Option<(Span, &'static str)>,
) -> Diagnostic {
    let kind = target.kind.title();
    let mut d = Diagnostic::new(
        Code::UnknownReference,
        span,
        format!("unknown {kind} `{id}`"),
    )
    .label(format!("no {kind} has this id"))
    .note(format!("{kind} ids come from {source}"));
    let suggestion = target
        .suggester
        .get_or_init(|| Suggester::new(target.ids.iter().copied()))
        .suggest(id);
    let mut labelled = false;
    if let Some(s) = suggestion {
        d = d.help(format!("did you mean `{s}`?"));
        if let Some(span) = cx.reg.symbols.get(target.kind, s).and_then(|x| x.span) {
            d = d.with_label(span, format!("`{s}` is defined here"));
            labelled = true;
        }
    }
    if let (false, Some((span, text))) = (labelled, home) {
        d = d.with_label(span, text);
    }
    d
}

fn no_infosec_register(id: &str, span: Span, out: &mut Vec<Diagnostic>) {
    out.push(
        Diagnostic::new(
            Code::UnknownReference,
            span,
            format!("unknown infosec entry `{id}`"),
        )
        .label("no infosec register is configured")
        .help("name the ISO 27001 risk register in airisk.toml: `[infosec] register = \"path/to/risks.csv\"`"),
    );
}
