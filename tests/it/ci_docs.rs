//! The workflows of docs/ci.md are well-formed and every airisk command line in them is one
//! the CLI accepts: each ```yaml block parses; a GitHub workflow (`on:` and `jobs:`) has jobs
//! with `runs-on` and steps that each `uses` an action or `run`s a script; a GitLab pipeline
//! has jobs with a `script` list; `.pre-commit-hooks.yaml` and the config shown run on any
//! change. Each `airisk ...` of a script (up to a shell operator) parses with the CLI's own
//! definition, so a renamed flag cannot leave the docs behind.

use crate::support::root;
use airisk::load::yaml::{self, Node, Value};

/// The fenced blocks of `lang`, indented ones (in a list item) too, without their indent.
fn blocks(doc: &str, lang: &str) -> Vec<String> {
    let open = format!("```{lang}");
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for line in doc.lines() {
        match &mut current {
            None if line.trim() == open => {
                current = Some((line.len() - line.trim_start().len(), String::new()));
            }
            None => {}
            Some(_) if line.trim() == "```" => {
                out.extend(current.take().map(|(_, b)| b));
            }
            Some((indent, b)) => {
                b.push_str(line.get(*indent..).unwrap_or(line.trim_start()));
                b.push('\n');
            }
        }
    }
    out
}

fn map(n: &Node) -> &[(yaml::Key, Node)] {
    match &n.value {
        Value::Map(m) => m,
        _ => &[],
    }
}

fn seq(n: &Node) -> &[Node] {
    match &n.value {
        Value::Seq(s) => s,
        _ => &[],
    }
}

fn text(n: &Node) -> Option<&str> {
    match &n.value {
        Value::Str(s) => Some(s),
        _ => None,
    }
}

/// The airisk command lines of a script, with variables given example values.
fn airisk_lines(script: &str, out: &mut Vec<String>) {
    for line in script.lines() {
        let Some(at) = line.find("airisk -C") else {
            continue;
        };
        let mut cmd = line[at..].to_string();
        for op in ["||", "&&", " > ", " | ", ">>"] {
            if let Some(i) = cmd.find(op) {
                cmd.truncate(i);
            }
        }
        let cmd = cmd
            .replace("\"$AIRISK_REGISTER\"", "reg")
            .replace("\"origin/${{ github.base_ref }}\"", "origin/main")
            .replace(
                "\"origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME\"",
                "origin/main",
            );
        out.push(cmd.trim().to_string());
    }
}

/// Splits a command line on spaces, keeping quoted words whole.
fn words(cmd: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote = None;
    for c in cmd.chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ' ') => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[test]
fn the_ci_workflows_are_well_formed_and_their_commands_parse() {
    let doc = std::fs::read_to_string(root().join("docs/ci.md")).expect("docs/ci.md");
    let (mut github, mut gitlab) = (0, 0);
    let mut commands = Vec::new();
    for block in blocks(&doc, "yaml") {
        let node = yaml::parse(&block).unwrap_or_else(|e| panic!("{}: {block}", e.message));
        if node.get("jobs").is_some() && node.get("on").is_some() {
            github += 1;
            for (name, job) in map(node.get("jobs").expect("jobs")) {
                assert!(
                    job.get("runs-on").is_some(),
                    "job {} has no runs-on",
                    name.text
                );
                let steps = seq(job.get("steps").expect("steps"));
                assert!(!steps.is_empty(), "job {}", name.text);
                for step in steps {
                    assert!(
                        step.get("uses").is_some() != step.get("run").is_some(),
                        "a step of {} must either use an action or run a script",
                        name.text
                    );
                    if let Some(run) = step.get("run").and_then(text) {
                        airisk_lines(run, &mut commands);
                    }
                }
            }
        } else if map(&node).iter().any(|(_, v)| v.get("script").is_some()) {
            gitlab += 1;
            for (name, job) in map(&node) {
                if ["variables", "default", "stages", "include", "workflow"]
                    .contains(&name.text.as_str())
                {
                    continue;
                }
                let script = seq(job
                    .get("script")
                    .unwrap_or_else(|| panic!("job {} has no script", name.text)));
                assert!(!script.is_empty(), "{}", name.text);
                for line in script.iter().filter_map(text) {
                    airisk_lines(line, &mut commands);
                }
            }
        }
    }
    assert!(
        github >= 2 && gitlab >= 2,
        "{github} GitHub, {gitlab} GitLab workflows"
    );
    assert!(commands.len() >= 12, "{commands:#?}");
    assert!(
        commands
            .iter()
            .any(|c| c.contains("--baseline origin/main"))
    );
    for cmd in &commands {
        let argv = words(cmd);
        <airisk::cli::Cli as clap::Parser>::try_parse_from(&argv)
            .unwrap_or_else(|e| panic!("docs/ci.md runs `{cmd}`, which airisk refuses: {e}"));
    }
}

/// The hooks run on any change (no `files` filter), and the config docs/ci.md shows pins a
/// commit, not a tag that does not exist.
#[test]
fn the_pre_commit_hooks_run_on_any_change_and_the_docs_pin_a_commit() {
    let hooks_text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect("hooks");
    let hooks = yaml::parse(&hooks_text).expect("yaml");
    assert_eq!(seq(&hooks).len(), 2);
    for h in seq(&hooks) {
        assert!(h.get("files").is_none(), "{hooks_text}");
        assert!(h.get("types").is_none(), "{hooks_text}");
        assert_eq!(
            h.get("pass_filenames").map(|n| &n.value),
            Some(&Value::Bool(false))
        );
    }
    let doc = std::fs::read_to_string(root().join("docs/ci.md")).expect("docs/ci.md");
    assert!(!doc.contains("rev: v0.1.0"));
    assert!(doc.contains("Cargo.lock"));
    let config = blocks(&doc, "yaml")
        .into_iter()
        .find(|b| b.contains("repos:"))
        .expect("a .pre-commit-config.yaml");
    let node = yaml::parse(&config).expect("yaml");
    let repo = &seq(node.get("repos").expect("repos"))[0];
    let rev = repo.get("rev").and_then(text).expect("rev");
    assert!(
        rev.len() == 40 && rev.chars().all(|c| c.is_ascii_hexdigit()),
        "{rev}"
    );
}
