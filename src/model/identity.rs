//! A person as git and airisk.toml name them: `Name <email>`. Parsing (loose for what commits
//! carry, strict for configuration) and the two comparisons approvals need: whether two
//! identities may be the same person (loose, so a self-approval is caught however it is
//! spelled), and whether a committer is exactly one listed as trusted (strict, so trust is
//! never given by a near miss). Pure values: no git, no I/O.

use std::fmt;

/// A name and an email, as in a commit's author line or an `Approved-by:` trailer.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Identity {
    pub name: String,
    /// `None` when the text had no `<email>` (a trailer naming only a person).
    pub email: Option<String>,
}

/// The committer of GitHub's web merges, squashes and rebases (the merge button, the API,
/// merge queues): the default of `[git] trusted_committers` (docs/git.md says why GitLab
/// has no such identity).
pub const GITHUB_WEB_FLOW: &str = "GitHub <noreply@github.com>";

impl Identity {
    pub fn new(name: &str, email: &str) -> Identity {
        let email = email.trim();
        Identity {
            name: name.trim().to_string(),
            email: (!email.is_empty()).then(|| email.to_string()),
        }
    }

    /// Reads what a trailer or a signature carries: `Name <email>`, `<email>`, a bare
    /// `user@host`, or a name alone; text after the address (`Name <email> (on leave)`) is
    /// not part of the name. Never fails: unreadable text is a name.
    pub fn parse(text: &str) -> Identity {
        let t = text.trim();
        if let Some(open) = t.rfind('<')
            && let Some(len) = t[open + 1..].find('>')
        {
            return Identity::new(&t[..open], &t[open + 1..open + 1 + len]);
        }
        let words: Vec<&str> = t.split_whitespace().collect();
        let is_address = |w: &&str| w.contains('@') && !w.starts_with('@');
        if let Some(i) = words.iter().position(is_address) {
            let email = words[i].trim_matches(|c: char| "()[],;:\"'".contains(c));
            return Identity::new(&words[..i].join(" "), email);
        }
        Identity::new(t, "")
    }

    /// Reads a `trusted_committers` entry: exactly `Name <email>`, both present, on one
    /// line. The error says what is wrong, for a configuration message.
    pub fn parse_strict(text: &str) -> Result<Identity, String> {
        if text.chars().any(char::is_control) {
            return Err("a committer is one line of text, without control characters".into());
        }
        let t = text.trim();
        let shape = || format!("`{t}` is not a committer identity: write `Name <email>`");
        let open = t.find('<').ok_or_else(shape)?;
        let inner = t[open + 1..].strip_suffix('>').ok_or_else(shape)?;
        if inner.contains(['<', '>']) || t[..open].contains('>') {
            return Err(shape());
        }
        let id = Identity::new(&t[..open], inner);
        match &id.email {
            _ if id.name.is_empty() => Err(format!("`{t}` has no name: write `Name <email>`")),
            Some(e) if e.contains('@') && !e.contains(char::is_whitespace) => Ok(id),
            _ => Err(format!("`{t}` has no email address between `<` and `>`")),
        }
    }

    /// Whether the two may be the same person: the same email (without case; GitHub's
    /// `ID+login@users.noreply.github.com` is `login@users.noreply.github.com`), or the same
    /// name (without case, spaces collapsed). Loose on purpose: it decides that an approval
    /// does not count, so a near miss errs on the safe side.
    pub fn same_person(&self, other: &Identity) -> bool {
        let emails = match (&self.email, &other.email) {
            (Some(a), Some(b)) => email_key(a) == email_key(b),
            _ => false,
        };
        let a = name_key(&self.name);
        emails || (!a.is_empty() && a == name_key(&other.name))
    }

    /// Whether `other` is exactly this identity: the same email (without case) and the same
    /// name (without case, spaces collapsed). Strict on purpose: it gives trust.
    pub fn is(&self, other: &Identity) -> bool {
        let emails = match (&self.email, &other.email) {
            (Some(a), Some(b)) => a.to_lowercase() == b.to_lowercase(),
            _ => false,
        };
        emails && name_key(&self.name) == name_key(&other.name)
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.email, self.name.is_empty()) {
            (Some(e), true) => write!(f, "<{e}>"),
            (Some(e), false) => write!(f, "{} <{e}>", self.name),
            (None, _) => f.write_str(&self.name),
        }
    }
}

fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn email_key(email: &str) -> String {
    let e = email.trim().to_lowercase();
    const NOREPLY: &str = "@users.noreply.github.com";
    if let Some(local) = e.strip_suffix(NOREPLY)
        && let Some((id, login)) = local.split_once('+')
        && !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_digit())
    {
        return format!("{login}{NOREPLY}");
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_commits_carry() {
        let p = Identity::parse("Alex Smith <alex@example.com>");
        assert_eq!(p, Identity::new("Alex Smith", "alex@example.com"));
        assert_eq!(p.to_string(), "Alex Smith <alex@example.com>");
        assert_eq!(Identity::parse("<a@x>"), Identity::new("", "a@x"));
        assert_eq!(Identity::parse("a@x.org"), Identity::new("", "a@x.org"));
        assert_eq!(Identity::parse("Alex"), Identity::new("Alex", ""));
        assert_eq!(Identity::parse("@alex"), Identity::new("@alex", ""));
        assert_eq!(
            Identity::parse("A <b> <c@d>"),
            Identity::new("A <b>", "c@d")
        );
        assert_eq!(Identity::parse("A <b"), Identity::new("A <b", ""));
        // Words after the address are not the name: a self-approval cannot hide behind them.
        assert_eq!(
            Identity::parse("Mo Khan <mo@x> (self)"),
            Identity::new("Mo Khan", "mo@x")
        );
        assert_eq!(
            Identity::parse("Mo Khan mo@x.org (self)"),
            Identity::new("Mo Khan", "mo@x.org")
        );
        assert_eq!(Identity::parse("(mo@x.org)"), Identity::new("", "mo@x.org"));
    }

    #[test]
    fn configuration_needs_name_and_email() {
        assert_eq!(
            Identity::parse_strict(GITHUB_WEB_FLOW),
            Ok(Identity::new("GitHub", "noreply@github.com"))
        );
        for bad in [
            "GitHub",
            "<noreply@github.com>",
            "GitHub <>",
            "GitHub <noreply>",
            "GitHub <a b@c>",
            "GitHub noreply@github.com>",
            "GitHub <noreply@github.com",
            "Git<Hub <noreply@github.com>",
            "GitHub <noreply@github.com>\nEvil <e@x>",
        ] {
            assert!(Identity::parse_strict(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn same_person_is_loose_and_trust_is_strict() {
        let mo = Identity::new("Mo Khan", "mo@example.com");
        assert!(mo.same_person(&Identity::parse("MO@Example.com")));
        assert!(mo.same_person(&Identity::parse("mo  khan <other@x>")));
        assert!(mo.same_person(&Identity::parse("Mo Khan")));
        assert!(!mo.same_person(&Identity::parse("Alex <alex@example.com>")));
        assert!(!Identity::new("", "a@x").same_person(&Identity::new("", "b@x")));
        let gh = Identity::new("mo", "12345+mo@users.noreply.github.com");
        assert!(gh.same_person(&Identity::new("M", "mo@users.noreply.github.com")));
        assert!(!gh.same_person(&Identity::new("M", "x+mo@users.noreply.github.com")));

        let trusted = Identity::parse_strict(GITHUB_WEB_FLOW).unwrap();
        assert!(trusted.is(&Identity::new("github", "NoReply@GitHub.com")));
        assert!(!trusted.is(&Identity::new("GitHub Bot", "noreply@github.com")));
        assert!(!trusted.is(&Identity::new("GitHub", "noreply@github.co")));
        assert!(!trusted.is(&Identity::new("GitHub", "")));
    }
}
