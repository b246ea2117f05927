//! A pull request and the forge it is on: GitHub's pull requests are `#N`, GitLab's merge
//! requests `!N` (in GitLab markdown `#N` is an issue). The forge is known from the commit
//! that names the request: GitLab's merge commit says `See merge request group/project!N`;
//! GitHub's says `Merge pull request #N from ...`, and a squash or rebase merge ends its
//! summary with `(#N)` (GitHub's convention). docs/git.md says so.

use serde::Serialize;

/// Where a pull request lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Forge {
    GitHub,
    GitLab,
}

/// A pull (or merge) request by its number. Serialised as the number alone (the JSON
/// documents keep their `pr` numbers; they add the forge beside it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PullRequest {
    pub number: u64,
    pub forge: Forge,
}

impl PullRequest {
    pub fn github(number: u64) -> Self {
        PullRequest {
            number,
            forge: Forge::GitHub,
        }
    }

    pub fn gitlab(number: u64) -> Self {
        PullRequest {
            number,
            forge: Forge::GitLab,
        }
    }

    /// `#12` on GitHub, `!12` on GitLab.
    pub fn reference(&self) -> String {
        match self.forge {
            Forge::GitHub => format!("#{}", self.number),
            Forge::GitLab => format!("!{}", self.number),
        }
    }

    /// `PR #12`, `MR !12`.
    pub fn label(&self) -> String {
        match self.forge {
            Forge::GitHub => format!("PR #{}", self.number),
            Forge::GitLab => format!("MR !{}", self.number),
        }
    }

    /// `github` or `gitlab`, as JSON names it.
    pub fn forge_name(&self) -> &'static str {
        match self.forge {
            Forge::GitHub => "github",
            Forge::GitLab => "gitlab",
        }
    }
}

impl Serialize for PullRequest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_by_forge() {
        assert_eq!(PullRequest::github(12).reference(), "#12");
        assert_eq!(PullRequest::gitlab(12).reference(), "!12");
        assert_eq!(PullRequest::gitlab(7).label(), "MR !7");
        assert_eq!(serde_json::to_string(&PullRequest::gitlab(7)).unwrap(), "7");
    }
}
