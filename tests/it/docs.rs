//! Documentation in step with the code: every rule code has an entry in docs/diagnostics.md,
//! and the docs name no code that does not exist.

use crate::support::root;
use airisk::diag::{CODES, Code};

fn diagnostics_md() -> String {
    std::fs::read_to_string(root().join("docs/diagnostics.md")).expect("docs/diagnostics.md")
}

/// Every finding printed in docs/diagnostics.md is what `check` prints for one of the rule
/// cases, so the examples cannot drift from the code.
#[test]
fn printed_findings_in_the_docs_are_real() {
    let renderer = annotate_snippets::Renderer::plain();
    let mut rendered = std::collections::HashSet::new();
    for case in crate::rules::checked() {
        let outcome = &case.outcome;
        for d in &outcome.diagnostics {
            rendered.insert(airisk::diag::human::render(
                &renderer,
                d,
                &outcome.loaded.sources,
            ));
        }
    }
    let doc = diagnostics_md();
    let mut checked = 0;
    for block in doc.split("```text\n").skip(1) {
        let block = block.split("\n```").next().unwrap_or_default();
        // One block may show several findings, separated by a blank line.
        let mut current = String::new();
        let mut chunks = Vec::new();
        for line in block.lines() {
            if (line.starts_with("error[") || line.starts_with("warning[")) && !current.is_empty() {
                chunks.push(std::mem::take(&mut current));
            }
            current.push_str(line);
            current.push('\n');
        }
        chunks.push(current);
        for chunk in chunks.iter().map(|c| c.trim_end()) {
            if !(chunk.starts_with("error[") || chunk.starts_with("warning[")) {
                continue;
            }
            checked += 1;
            assert!(
                rendered.contains(chunk),
                "docs/diagnostics.md shows a finding no rule case produces:\n{chunk}"
            );
        }
    }
    assert!(checked >= 20, "only {checked} printed findings found");
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

/// The fields of every mapping a kind's files hold, from the declarations (`kinds`), with
/// whether each is required.
fn declared(m: &'static airisk::kinds::fields::Mapping, out: &mut Vec<(&'static str, bool)>) {
    use airisk::kinds::fields::{Presence, Type};
    for f in m.fields {
        out.push((f.name, f.presence == Presence::Required));
        let nested = match f.ty {
            Type::Mapping(inner) => Some(inner),
            Type::List { item, .. } | Type::Map { value: item, .. } => match item.ty {
                Type::Mapping(inner) => Some(inner),
                _ => None,
            },
            _ => None,
        };
        if let Some(inner) = nested {
            declared(inner, out);
        }
    }
}

/// docs/format.md documents each kind's fields in its section (`## 5. risks/`): every
/// declared field has a row there, every row is a declared field, and a required field says
/// so. The format is declared once; its documentation follows the declaration.
#[test]
fn the_format_docs_list_exactly_the_declared_fields() {
    use airisk::kinds::{Home, KINDS};
    let doc = std::fs::read_to_string(root().join("docs/format.md")).expect("docs/format.md");
    let sections: Vec<&str> = doc.split("\n## ").skip(1).collect();
    let mut problems = Vec::new();
    for def in KINDS {
        let (Some(mapping), heading) = (
            def.mapping,
            match def.home {
                Home::Root { stem } => format!("{stem}.yaml"),
                Home::Folder { dir, .. } => format!("{dir}/"),
                _ => continue,
            },
        ) else {
            continue;
        };
        let Some(section) = sections
            .iter()
            .find(|s| s.lines().next().is_some_and(|h| h.ends_with(&heading)))
        else {
            problems.push(format!("docs/format.md has no section for `{heading}`"));
            continue;
        };
        let rows: Vec<(&str, &str)> = section
            .lines()
            .filter(|l| l.starts_with("| `"))
            .filter_map(|l| {
                let cells: Vec<&str> = l.trim_matches('|').split('|').collect();
                Some((cells.first()?.trim().trim_matches('`'), *cells.get(2)?))
            })
            .collect();
        let mut fields = Vec::new();
        declared(mapping, &mut fields);
        for (name, required) in &fields {
            match rows.iter().find(|(n, _)| n == name) {
                None => problems.push(format!("`{heading}`: `{name}` is not documented")),
                Some((_, cell)) if *required && !cell.contains("required") => problems.push(
                    format!("`{heading}`: `{name}` is required, the docs do not say so"),
                ),
                Some(_) => {}
            }
        }
        for (name, _) in &rows {
            if !fields.iter().any(|(n, _)| n == name) {
                problems.push(format!(
                    "`{heading}`: the docs list `{name}`, which is not declared"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
