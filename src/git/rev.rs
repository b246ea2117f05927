//! A revision as the user names it (`--at REV`, `diff BASE HEAD`, `check --baseline REV`),
//! resolved to a commit — or refused in our words, saying what is wrong and what to do,
//! never in the git library's (docs/git.md "Naming a revision").
//!
//! gix resolves what it can. When it cannot, the spelling is taken apart here as a name
//! followed by navigation (`~N`, `^N`, `^{…}`), the name is resolved on its own (an unknown
//! name gets a "did you mean" over the branch and tag names, an ambiguous short id lists its
//! candidates) and the navigation is walked one step at a time, to name the step that goes
//! past what the history holds (`HEAD^2` of a commit with one parent, `HEAD~500` beyond the
//! first commit). A value the user typed is quoted with its hidden characters escaped
//! ([`shown`]): a newline or an escape sequence in it never reaches the terminal as such.

use super::objects;
use super::{FETCH_HELP, Repo};
use crate::diag::suggest::Suggester;
use anyhow::{Result, anyhow};
use gix::ObjectId;

/// What every refusal ends with: the forms a revision takes and where to list them.
const HELP: &str = "help: give a branch, a tag, a commit id, `HEAD~N` or `main@{YYYY-MM-DD}`; \
     `git branch -a`, `git tag` and `git log --oneline` list them";

/// The most characters of a value quoted in a message (a huge value is cut, with `…`).
const SHOWN_CHARS: usize = 80;

/// The most branch and tag names compared for a "did you mean".
const MAX_NAMES: usize = 10_000;

/// `spec` as a message quotes it: hidden characters (line breaks, escape sequences, other
/// controls, bidirectional overrides) escaped as Rust writes them (`\n`, `\u{1b}`), and a
/// long value cut at [`SHOWN_CHARS`] characters.
pub fn shown(spec: &str) -> String {
    let mut out = String::new();
    for (i, c) in spec.chars().enumerate() {
        if i == SHOWN_CHARS {
            out.push('…');
            break;
        }
        if crate::text::is_hidden(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// One step of navigation after a name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    /// `~N`: the Nth first-parent ancestor (`~` is `~1`).
    Ancestor(u64),
    /// `^N`: the Nth parent (`^` is `^1`, `^0` the commit itself).
    Parent(u64),
    /// `^{…}`: a peel (`^{commit}`, `^{tree}`, `^{}`).
    Peel(String),
}

/// A count after `~` or `^`: empty is 1; a huge one saturates (the walk stops long before).
fn count(digits: &str) -> u64 {
    if digits.is_empty() {
        return 1;
    }
    digits.bytes().fold(0u64, |n, d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    })
}

/// `spec` as a name and the navigation after it, when it has that shape (`HEAD~3^2`,
/// `v1.0^{commit}`); `None` for any other (`:/message`, `HEAD@{5}` on its own is a name).
fn split(spec: &str) -> Option<(&str, Vec<(Step, &str)>)> {
    let at = spec.find(['~', '^'])?;
    let (base, mut rest) = spec.split_at(at);
    if base.is_empty() {
        return None;
    }
    let mut steps = Vec::new();
    while !rest.is_empty() {
        let kind = rest.as_bytes()[0];
        let after = &rest[1..];
        let (step, len) = if kind == b'^' && after.starts_with('{') {
            let close = after.find('}')?;
            (Step::Peel(after[1..close].to_string()), 1 + close + 1)
        } else {
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let n = count(&after[..digits]);
            match kind {
                b'~' => (Step::Ancestor(n), 1 + digits),
                b'^' => (Step::Parent(n), 1 + digits),
                _ => return None,
            }
        };
        steps.push((step, &rest[..len]));
        rest = &rest[len..];
    }
    Some((base, steps))
}

/// "second", "third" … for a parent's position.
fn ordinal(n: u64) -> String {
    match n {
        1 => "first".into(),
        2 => "second".into(),
        3 => "third".into(),
        n => {
            let suffix = match (n % 10, n % 100) {
                (_, 11..=13) => "th",
                (1, _) => "st",
                (2, _) => "nd",
                (3, _) => "rd",
                _ => "th",
            };
            format!("{n}{suffix}")
        }
    }
}

impl Repo {
    /// The commit `spec` names (no `REF@{DAY}`: [`Repo::resolve`] reads those), or the
    /// reason it names none, in our words.
    pub(super) fn parse(&self, spec: &str) -> Result<ObjectId> {
        if spec.is_empty() {
            return Err(anyhow!(
                "the revision is empty: name a branch, a tag or a commit\n{HELP}"
            ));
        }
        if spec.starts_with('-') {
            return Err(anyhow!(
                "`{}` is not a revision: a revision never starts with `-` (it would read as an option)\n\
                 help: if a revision is missing before it, give one (`--at main`, `--baseline origin/main`); no branch or tag name starts with `-`",
                shown(spec)
            ));
        }
        if spec.chars().any(crate::text::is_hidden) {
            return Err(anyhow!(
                "no revision named `{}`: a revision never holds a line break or another control character\n{HELP}",
                shown(spec)
            ));
        }
        match self.repo.rev_parse_single(spec) {
            Ok(id) => self.commit_of(id.detach(), spec),
            Err(e) => Err(self.diagnose(spec, &e)),
        }
    }

    /// The commit `id` (named `spec`) is, or peels to (an annotated tag).
    fn commit_of(&self, id: ObjectId, spec: &str) -> Result<ObjectId> {
        let object = self
            .repo
            .find_object(id)
            .map_err(|e| anyhow!("cannot read the object `{}` names: {e}", shown(spec)))?;
        let kind = object.kind;
        object.peel_to_commit().map(|c| c.id).map_err(|_| {
            let what = match kind {
                gix::object::Kind::Tree => "a tree (a folder's listing)",
                gix::object::Kind::Blob => "a blob (a file's content)",
                gix::object::Kind::Tag => "a tag of something other than a commit",
                gix::object::Kind::Commit => "a commit that cannot be read",
            };
            anyhow!(
                "`{}` names {what}, not a commit: a register is read at a commit\n\
                 help: name the commit itself (`HEAD`, not `HEAD^{{tree}}` or `HEAD:path`)",
                shown(spec)
            )
        })
    }

    /// Why gix could not resolve `spec`.
    fn diagnose(&self, spec: &str, err: &gix::Error) -> anyhow::Error {
        if self.repo.head().is_ok_and(|h| h.is_unborn()) {
            return anyhow!(
                "the repository has no commits yet, so `{}` names nothing\n\
                 help: commit the register first (`git add`, then `git commit`)",
                shown(spec)
            );
        }
        let Some((base, steps)) = split(spec) else {
            return self.unknown_name(spec, err);
        };
        let id = match self.repo.rev_parse_single(base) {
            Ok(id) => id.detach(),
            Err(e) => return self.unknown_name(base, &e),
        };
        match self.walk(spec, base, id, &steps) {
            Some(why) => why,
            // The walk found nothing wrong where gix did: its reason, quoted.
            None => generic(spec, err),
        }
    }

    /// Why the name `name` (no navigation) resolves to nothing.
    fn unknown_name(&self, name: &str, err: &gix::Error) -> anyhow::Error {
        use gix::revision::spec::parse::Error as E;
        let candidates = match err.downcast_any_ref::<E>() {
            Some(E::AmbiguousPrefix { candidates, .. })
            | Some(E::AmbiguousRefAndObject { candidates, .. }) => Some(candidates),
            _ => None,
        };
        if let Some(candidates) = candidates {
            let list: Vec<String> = candidates
                .iter()
                .take(10)
                .map(|(id, info)| shown(&format!("  {id} {info}")))
                .collect();
            let more = candidates.len().saturating_sub(list.len());
            return anyhow!(
                "the short id `{}` is ambiguous: {} objects start with it\n{}{}\n\
                 help: give more digits of the commit id (`git log --oneline --abbrev=12` shows longer ones)",
                shown(name),
                candidates.len(),
                list.join("\n"),
                if more > 0 {
                    format!("\n  … and {more} more")
                } else {
                    String::new()
                }
            );
        }
        // Anything but revision syntax (`:path`, `:/text`, `@{…}`, `A..B`) is a name that
        // is not there.
        let syntax = name.contains(':') || name.contains("@{") || name.contains("..");
        if syntax {
            return syntax_error(name, err);
        }
        let hex = name.len() >= 4 && name.chars().all(|c| c.is_ascii_hexdigit());
        let names = self.ref_names();
        let suggester = Suggester::new(names.iter().map(String::as_str));
        let mean = suggester
            .suggest(name)
            .map(|s| format!("\nhelp: did you mean `{}`?", shown(s)))
            .unwrap_or_default();
        anyhow!(
            "no revision named `{}` in this repository ({}){mean}\n{HELP}",
            shown(name),
            if hex {
                "no branch or tag has this name, and no commit id starts with it"
            } else {
                "no branch or tag has this name"
            }
        )
    }

    /// `HEAD`, then the local branches, the remote ones and the tags, by their short names.
    fn ref_names(&self) -> Vec<String> {
        let mut names = vec!["HEAD".to_string()];
        let Ok(refs) = self.repo.references() else {
            return names;
        };
        let iters = [refs.local_branches(), refs.remote_branches(), refs.tags()];
        for iter in iters.into_iter().flatten() {
            for r in iter.flatten() {
                if names.len() >= MAX_NAMES {
                    return names;
                }
                names.push(r.name().shorten().to_string());
            }
        }
        names
    }

    /// Walks `steps` from `id` (named `base`, in `spec`): the reason of the first step that
    /// goes past the history, or `None` when every step can be taken.
    fn walk(
        &self,
        spec: &str,
        base: &str,
        id: ObjectId,
        steps: &[(Step, &str)],
    ) -> Option<anyhow::Error> {
        let shallow = self.shallow_commits().unwrap_or_default();
        let mut named = base.to_string();
        let mut id = id;
        for (step, text) in steps {
            let whole = format!("{named}{text}");
            if let Step::Peel(_) = step {
                match self.repo.rev_parse_single(format!("{id}{text}").as_str()) {
                    Ok(next) => id = next.detach(),
                    Err(_) => return None,
                }
                named = whole;
                continue;
            }
            let commit = match self.commit_of(id, &named) {
                Ok(c) => c,
                Err(e) => return Some(e),
            };
            let truncated = |at: &ObjectId| {
                shallow.binary_search(at).is_ok().then(|| {
                    anyhow!(
                        "cannot resolve `{}`: the history of this clone is truncated (shallow) before it\nhelp: {FETCH_HELP}",
                        shown(&whole)
                    )
                })
            };
            match *step {
                Step::Ancestor(n) => {
                    let mut at = commit;
                    for k in 0..n {
                        let c = objects::load_commit(&self.repo, at).ok()?;
                        match c.parents.first() {
                            Some(p) if shallow.binary_search(&at).is_err() => at = *p,
                            Some(_) => return truncated(&at),
                            None => {
                                let before = match k {
                                    0 => "is the first commit: no commit is before it".into(),
                                    1 => "has only 1 commit before it".to_string(),
                                    k => format!("has only {k} commits before it"),
                                };
                                return Some(anyhow!(
                                    "no revision `{}`: `{}` {before} on its first-parent line; `{}` names the {}\n\
                                     help: `git log --oneline --first-parent {}` lists them",
                                    shown(spec),
                                    shown(&named),
                                    shown(&whole),
                                    if n == 1 {
                                        "one before it".to_string()
                                    } else {
                                        format!("{} before it", ordinal(n))
                                    },
                                    shown(&named)
                                ));
                            }
                        }
                    }
                    id = at;
                }
                Step::Parent(0) => id = commit,
                Step::Parent(n) => {
                    let c = objects::load_commit(&self.repo, commit).ok()?;
                    let parents = c.parents.len() as u64;
                    if n <= parents {
                        if shallow.binary_search(&commit).is_ok() {
                            return truncated(&commit);
                        }
                        id = c.parents[(n - 1) as usize];
                    } else {
                        let has = match parents {
                            0 => "is the first commit: it has no parent".to_string(),
                            1 => "has one parent".to_string(),
                            p => format!("has {p} parents"),
                        };
                        let wants = if n == 1 {
                            format!("`{}` names its parent", shown(&whole))
                        } else {
                            format!(
                                "`{}` names the {} parent of a merge",
                                shown(&whole),
                                ordinal(n)
                            )
                        };
                        return Some(anyhow!(
                            "no revision `{}`: `{}` {has}; {wants}\n\
                             help: `git log --oneline --graph {}` shows its parents",
                            shown(spec),
                            shown(&named),
                            shown(&named)
                        ));
                    }
                }
                Step::Peel(_) => unreachable!("peels are taken above"),
            }
            named = whole;
        }
        None
    }
}

/// A name in revision syntax that names nothing: a reflog entry, an upstream, a message
/// search; any other form with the library's reason quoted.
fn syntax_error(name: &str, err: &gix::Error) -> anyhow::Error {
    if let Some((base, inner)) = name.strip_suffix('}').and_then(|n| n.rsplit_once("@{")) {
        let base = if base.is_empty() { "HEAD" } else { base };
        if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) {
            return anyhow!(
                "no revision `{}`: the reflog of `{}` in this clone has no entry {inner}\n\
                 help: the reflog is local to a clone and expires; `{}@{{YYYY-MM-DD}}` is read from the history, the same in every clone, and `{}~N` counts commits",
                shown(name),
                shown(base),
                shown(base),
                shown(base)
            );
        }
        if ["u", "upstream", "push"].contains(&inner.to_ascii_lowercase().as_str()) {
            return anyhow!(
                "no revision `{}`: `{}` has no upstream branch in this clone\n\
                 help: name the remote branch itself (`origin/main`), or set one (`git branch --set-upstream-to origin/main`)",
                shown(name),
                shown(base)
            );
        }
    }
    if let Some((a, b)) = name.split_once("..") {
        let b = b.trim_start_matches('.');
        return anyhow!(
            "`{}` is a range of commits, and a register is read at one commit\n\
             help: what changed between two revisions is `airisk diff {} {}`",
            shown(name),
            shown(if a.is_empty() { "HEAD" } else { a }),
            shown(if b.is_empty() { "HEAD" } else { b })
        );
    }
    if let Some(text) = name.strip_prefix(":/") {
        return anyhow!(
            "no revision `{}`: no commit's message matches `{}`\n{HELP}",
            shown(name),
            shown(text)
        );
    }
    generic(name, err)
}

/// A revision of a form not taken apart here, with the library's reason quoted.
fn generic(spec: &str, err: &gix::Error) -> anyhow::Error {
    anyhow!(
        "cannot resolve the revision `{}` (git says: {})\n{HELP}",
        shown(spec),
        shown(&err.to_string())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn navigation_is_taken_apart() {
        let (base, steps) = split("HEAD~3^2^{commit}~").expect("a shape");
        assert_eq!(base, "HEAD");
        let steps: Vec<_> = steps.into_iter().collect();
        assert_eq!(
            steps,
            vec![
                (Step::Ancestor(3), "~3"),
                (Step::Parent(2), "^2"),
                (Step::Peel("commit".into()), "^{commit}"),
                (Step::Ancestor(1), "~"),
            ]
        );
        assert_eq!(split("main"), None);
        assert_eq!(split("^2"), None);
        assert_eq!(split("HEAD^{tree"), None);
        let (_, steps) = split("HEAD~99999999999999999999999").expect("a shape");
        assert_eq!(steps[0].0, Step::Ancestor(u64::MAX));
    }

    #[test]
    fn ordinals_are_english() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 500]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            got,
            [
                "first", "second", "third", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd",
                "101st", "111th", "500th"
            ]
        );
    }

    #[test]
    fn a_shown_value_has_no_hidden_character() {
        assert_eq!(shown("a\nb\u{1b}[31m"), "a\\nb\\u{1b}[31m");
        assert_eq!(shown("<!-- main"), "<!-- main");
        let long = "x".repeat(200);
        assert_eq!(shown(&long).chars().count(), SHOWN_CHARS + 1);
    }
}
