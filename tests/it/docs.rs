//! Documentation in step with the code: every rule code has an entry in docs/diagnostics.md,
//! and the docs name no code that does not exist.

use crate::support::root;
use airisk::diag::{CODES, Code};

fn diagnostics_md() -> String {
    std::fs::read_to_string(root().join("docs/diagnostics.md")).expect("docs/diagnostics.md")
}

#[test]
fn every_code_is_documented() {
    let doc = diagnostics_md();
    for info in CODES {
        let heading = format!("## `{}`", info.name);
        assert!(
            doc.contains(&heading),
            "docs/diagnostics.md has no `{heading}`"
        );
    }
}

#[test]
fn documented_codes_exist() {
    for line in diagnostics_md().lines() {
        if let Some(rest) = line.strip_prefix("## `") {
            let name = rest.split('`').next().unwrap_or_default();
            assert!(
                Code::from_name(name).is_some(),
                "docs/diagnostics.md documents unknown code `{name}`"
            );
        }
    }
}

#[test]
fn every_code_names_its_default_level_in_the_docs() {
    let doc = diagnostics_md();
    for info in CODES {
        let heading = format!("## `{}`", info.name);
        let section = doc.split(&heading).nth(1).unwrap_or_default();
        let section = section.split("\n## ").next().unwrap_or_default();
        let level = format!("Default level: {}", info.default.as_str());
        assert!(
            section.contains(&level),
            "`{}`: docs must say \"{level}\"",
            info.name
        );
    }
}
