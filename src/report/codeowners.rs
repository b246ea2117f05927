//! Who owns each risk, system and impact assessment file (`airisk codeowners`): the owner of
//! a risk or system is its `owner`; of an impact assessment, its `assessor`; their GitHub
//! handle is the `github` of people.yaml. Plain data in path order; `render::codeowners`
//! writes the CODEOWNERS lines.

use crate::model::{FileId, Register, Sp};
use crate::source::Sources;
use crate::text::is_github_handle;

/// One file and its owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owned {
    /// `risk`, `system`, `impact assessment`.
    pub kind: &'static str,
    /// The file's path relative to the register folder (for messages).
    pub path: String,
    /// The file's path relative to the repository root (what CODEOWNERS patterns name).
    pub repo_path: String,
    pub owner: Owner,
}

/// A file's owner, as far as CODEOWNERS goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Owner {
    /// The entity names no owner.
    None,
    /// The owner's GitHub user or `org/team`, without `@`.
    Handle(String),
    /// The owner (a person key) has no valid `github` handle.
    NoHandle(String),
    /// The owner is not a person of people.yaml.
    Unknown(String),
}

/// Every risk, system and impact assessment file of `reg`, in path order, with its owner;
/// `prefix` is the register folder inside the repository (empty at the root). `None` when
/// the register has no people.yaml.
pub fn build(reg: &Register, sources: &Sources, prefix: &str) -> Option<Vec<Owned>> {
    reg.people.as_ref()?;
    let mut files: Vec<(&'static str, FileId, Option<&Sp<String>>)> = Vec::new();
    files.extend(reg.risks.iter().map(|r| ("risk", r.file, r.owner.as_ref())));
    files.extend(
        reg.systems
            .iter()
            .map(|s| ("system", s.file, s.owner.as_ref())),
    );
    files.extend(
        reg.assessments
            .iter()
            .map(|a| ("impact assessment", a.file, a.assessor.as_ref())),
    );
    files.sort_by(|a, b| sources.path(a.1).cmp(sources.path(b.1)));
    files.dedup_by(|a, b| a.1 == b.1);
    let owned = files
        .into_iter()
        .map(|(kind, file, owner)| {
            let path = sources.path(file).to_string();
            let owner = match owner {
                None => Owner::None,
                Some(o) => match reg.person(&o.value) {
                    None => Owner::Unknown(o.value.clone()),
                    Some(p) => p
                        .github
                        .as_ref()
                        .map(|h| h.value.trim())
                        .filter(|h| is_github_handle(h))
                        .map_or(Owner::NoHandle(o.value.clone()), |h| {
                            Owner::Handle(h.trim_start_matches('@').to_string())
                        }),
                },
            };
            let repo_path = match (prefix.is_empty(), path.is_empty()) {
                (true, _) => path.clone(),
                (_, true) => prefix.to_string(),
                _ => format!("{prefix}/{path}"),
            };
            Owned {
                kind,
                path,
                repo_path,
                owner,
            }
        })
        .collect();
    Some(owned)
}
