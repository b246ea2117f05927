//! The dependency rule of docs/architecture.md, held: the test reads the table of that page
//! (each module and the modules it may use) and every `crate::` path in the code of every
//! file of each module of `src/`, and fails on an edge the table does not allow, a module the
//! table does not list, or a table row naming a module that does not exist. The doc and the
//! code cannot drift apart.
//!
//! It also holds two rules of the command layer (no command file names another command) and
//! that `src/lib.rs`'s map names every module.

use crate::support::root;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The table under `## The dependency rule` in docs/architecture.md: module → may use.
fn rule() -> BTreeMap<String, BTreeSet<String>> {
    let doc = std::fs::read_to_string(root().join("docs/architecture.md")).expect("readable");
    let section = doc
        .split("\n## The dependency rule")
        .nth(1)
        .expect("docs/architecture.md has a `## The dependency rule` section");
    let section = section.split("\n## ").next().unwrap_or(section);
    let names = |cell: &str| -> BTreeSet<String> {
        cell.split(',')
            .filter_map(|n| {
                let n = n.trim().trim_matches('`');
                (!n.is_empty() && n != "—").then(|| n.to_string())
            })
            .collect()
    };
    let mut out = BTreeMap::new();
    for line in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').collect();
        let [module, uses, ..] = cells.as_slice() else {
            panic!("a row of the dependency table has two columns: {line}");
        };
        let module = module.trim().trim_matches('`').to_string();
        assert!(
            out.insert(module.clone(), names(uses)).is_none(),
            "`{module}` has two rows in the dependency table"
        );
    }
    assert!(out.len() > 10, "the dependency table is missing: {out:?}");
    out
}

/// Every module of `src/`: its folder or file, by the name the crate gives it.
fn modules() -> BTreeMap<String, Vec<std::path::PathBuf>> {
    let src = root().join("src");
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(&src).expect("src/") {
        let path = entry.expect("entry").path();
        let name = path
            .file_stem()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        if name == "lib" || name == "main" {
            continue;
        }
        let files: Vec<_> = if path.is_dir() {
            walkdir::WalkDir::new(&path)
                .sort_by_file_name()
                .into_iter()
                .map(|e| e.expect("entry").into_path())
                .filter(|p| p.extension().is_some_and(|e| e == "rs"))
                .collect()
        } else if path.extension().is_some_and(|e| e == "rs") {
            vec![path.clone()]
        } else {
            continue;
        };
        out.insert(name, files);
    }
    out
}

/// The code of a file without its comments (a `//` to the end of the line), line by line.
fn code(path: &Path) -> Vec<(usize, String)> {
    std::fs::read_to_string(path)
        .expect("readable")
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split("//").next().unwrap_or("").to_string()))
        .collect()
}

/// The modules a line of code names: `crate::x`.
fn named(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        // `crate::{a, b}` would hide its names from this test: the code has none.
        assert!(
            !after.starts_with('{'),
            "grouped `crate::{{...}}` in: {line}"
        );
        if !name.is_empty() {
            out.push(name);
        }
        rest = after;
    }
    out
}

#[test]
fn every_module_uses_only_what_the_dependency_table_allows() {
    let rule = rule();
    let modules = modules();
    let mut problems = Vec::new();
    for name in modules.keys() {
        if !rule.contains_key(name) {
            problems.push(format!("`{name}` has no row in the dependency table"));
        }
    }
    for (name, uses) in &rule {
        if !modules.contains_key(name) {
            problems.push(format!(
                "the dependency table names `{name}`, which is not a module"
            ));
        }
        for u in uses {
            if !modules.contains_key(u) {
                problems.push(format!("`{name}` may use `{u}`, which is not a module"));
            }
        }
    }
    for (name, files) in &modules {
        let Some(allowed) = rule.get(name) else {
            continue;
        };
        for file in files {
            for (n, line) in code(file) {
                for used in named(&line) {
                    if used != *name && !allowed.contains(&used) {
                        problems.push(format!(
                            "{}:{n}: `{name}` uses `{used}`, which the dependency table does not allow",
                            file.strip_prefix(root()).unwrap_or(file).display()
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_table_lists_each_module_after_what_it_uses() {
    // Each module may use only modules listed above it: the table reads top-down as the
    // pipeline, and no two modules use each other.
    let rule = rule();
    let doc = std::fs::read_to_string(root().join("docs/architecture.md")).expect("readable");
    let order: Vec<&str> = doc
        .split("\n## The dependency rule")
        .nth(1)
        .expect("section")
        .lines()
        .filter(|l| l.starts_with("| `"))
        .filter_map(|l| l.trim_matches('|').split('|').next())
        .map(|m| m.trim().trim_matches('`'))
        .collect();
    for (i, module) in order.iter().enumerate() {
        for used in &rule[*module] {
            let at = order.iter().position(|m| m == used);
            assert!(
                at.is_some_and(|j| j < i),
                "`{module}` may use `{used}`, which is not above it in the table"
            );
        }
    }
}

#[test]
fn no_command_names_another() {
    let dir = root().join("src/commands");
    let commands: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("src/commands")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|s| s != "mod")
        .collect();
    assert!(commands.len() > 15, "{commands:?}");
    let mut problems = Vec::new();
    for cmd in &commands {
        let file = dir.join(format!("{cmd}.rs"));
        for (n, line) in code(&file) {
            for other in commands.iter().filter(|c| *c != cmd) {
                for path in [format!("super::{other}::"), format!("commands::{other}::")] {
                    if line.contains(&path) {
                        problems.push(format!("src/commands/{cmd}.rs:{n}: names `{other}`"));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_map_of_lib_rs_names_every_module() {
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).expect("readable");
    let map: String = lib
        .lines()
        .filter(|l| l.starts_with("//!"))
        .collect::<Vec<_>>()
        .join("\n");
    for name in modules().keys() {
        assert!(
            map.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .any(|w| w == name),
            "src/lib.rs's map does not name `{name}`"
        );
    }
}
