//! Reading commit messages: the summary line, trailers (`Approved-by: ...`), and the pull
//! request that brought a commit (`Merge pull request #12 from ...`, a squash commit's
//! `(#34)` suffix, GitLab's `See merge request group/project!56`). Pure text functions.

use crate::model::PullRequest;
use serde::Serialize;

/// One `Token: value` line of a message's trailer block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trailer {
    pub key: String,
    pub value: String,
}

/// The summary: the first paragraph of the message, its lines joined by spaces (as
/// `git log --format=%s` shows it).
pub fn summary(message: &str) -> String {
    message
        .trim_start_matches(['\n', '\r'])
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The trailers of a message: its last paragraph (not the summary), when every line of it is
/// `Token: value` (a token is letters, digits and `-`) or a continuation indented under one.
pub fn trailers(message: &str) -> Vec<Trailer> {
    let text = message.replace("\r\n", "\n");
    let paragraphs: Vec<&str> = text
        .split("\n\n")
        .map(|p| p.trim_matches('\n'))
        .filter(|p| !p.trim().is_empty())
        .collect();
    if paragraphs.len() < 2 {
        return Vec::new();
    }
    let last = paragraphs[paragraphs.len() - 1];
    let mut out: Vec<Trailer> = Vec::new();
    for line in last.lines() {
        if line.starts_with([' ', '\t']) {
            match out.last_mut() {
                Some(t) => {
                    t.value.push(' ');
                    t.value.push_str(line.trim());
                    continue;
                }
                None => return Vec::new(),
            }
        }
        let Some((key, value)) = line.split_once(':') else {
            return Vec::new();
        };
        let key_ok = !key.is_empty()
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !key.starts_with('-');
        if !key_ok {
            return Vec::new();
        }
        out.push(Trailer {
            key: key.to_string(),
            value: value.trim().to_string(),
        });
    }
    out
}

/// The values of the trailers named `key` (compared without case).
pub fn trailer_values<'a>(trailers: &'a [Trailer], key: &'a str) -> impl Iterator<Item = &'a str> {
    trailers
        .iter()
        .filter(move |t| t.key.eq_ignore_ascii_case(key))
        .map(|t| t.value.as_str())
}

/// The pull (or merge) request a commit message names: `Merge pull request #N from ...`
/// (GitHub's merge commit), `See merge request group/project!N` (GitLab's), or a `(#N)` at
/// the end of the summary (GitHub's squash and rebase merges).
pub fn pull_request(message: &str) -> Option<PullRequest> {
    let summary = summary(message);
    if let Some(rest) = summary.strip_prefix("Merge pull request #") {
        return leading_number(rest).map(PullRequest::github);
    }
    for line in message.lines() {
        if let Some(rest) = line.trim().strip_prefix("See merge request ")
            && let Some((_, n)) = rest.rsplit_once('!')
        {
            return leading_number(n).map(PullRequest::gitlab);
        }
    }
    let s = summary.trim_end();
    let inner = s.strip_suffix(')')?;
    let start = inner.rfind("(#")?;
    let digits = &inner[start + 2..];
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().map(PullRequest::github)
}

fn leading_number(s: &str) -> Option<u64> {
    let n = s.chars().take_while(char::is_ascii_digit).count();
    s[..n].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_is_the_first_paragraph() {
        assert_eq!(summary("Fix it\n\nBody"), "Fix it");
        assert_eq!(summary("Two\nlines\n\nBody"), "Two lines");
        assert_eq!(summary(""), "");
    }

    #[test]
    fn trailers_are_the_last_paragraph_of_key_values() {
        let m = "Raise R-001\n\nBecause.\n\nApproved-by: Jane Doe <jane@x>\nReviewed-by: Mo\n";
        assert_eq!(
            trailers(m),
            vec![
                Trailer {
                    key: "Approved-by".into(),
                    value: "Jane Doe <jane@x>".into()
                },
                Trailer {
                    key: "Reviewed-by".into(),
                    value: "Mo".into()
                },
            ]
        );
        // A summary alone has no trailers; a prose paragraph is not a trailer block.
        assert!(trailers("Approved-by: x").is_empty());
        assert!(trailers("S\n\nThis is: prose with a colon\nand more").is_empty());
        // Continuation lines.
        let t = trailers("S\n\nApproved-by: Jane\n  Doe");
        assert_eq!(t[0].value, "Jane Doe");
        assert_eq!(
            trailer_values(&t, "approved-BY").collect::<Vec<_>>(),
            ["Jane Doe"]
        );
    }

    #[test]
    fn pull_request_numbers() {
        assert_eq!(
            pull_request("Merge pull request #12 from acme/raise-r1\n\nRaise R-001"),
            Some(PullRequest::github(12))
        );
        assert_eq!(
            pull_request("Raise R-001 likelihood (#34)"),
            Some(PullRequest::github(34))
        );
        assert_eq!(
            pull_request("Raise R-001 (#34)\n\n* one\n* two"),
            Some(PullRequest::github(34))
        );
        assert_eq!(
            pull_request("Merge branch 'x' into 'main'\n\nSee merge request acme/risks!56"),
            Some(PullRequest::gitlab(56))
        );
        assert_eq!(pull_request("Direct commit"), None);
        assert_eq!(pull_request("Mention (#x)"), None);
        assert_eq!(pull_request("Merge branch 'feature'"), None);
    }
}
