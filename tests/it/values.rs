//! No value of the command line panics: every possible value of every argument that has a
//! fixed list of them (each `clap::ValueEnum`: `--format` of every command, `schema KIND`,
//! `completions SHELL`, `--sort`, `--color`, …), read from clap's command tree so that a new
//! value or a new command is covered without editing this test, is run once on the bundled
//! example register (committed to a throwaway git repository, so the git features run too),
//! as of a fixed day, each run its own process. A run may succeed, find problems (exit 1) or
//! refuse (exit 2); it never panics (exit 101, "panicked" on stderr).

use crate::git::Git;
use crate::support::{copy_dir, root};
use clap::CommandFactory;
use std::path::Path;
use std::process::{Command, Stdio};

/// A value for an argument the command needs that is not the one under test, by its value
/// name (`ID`, `DIR`, …). A required argument named here by no entry fails the test, which
/// says which to add.
fn sample(value_name: &str, out: &Path) -> Option<String> {
    let file = |name: &str| out.join(name).display().to_string();
    Some(match value_name {
        "ID" | "RISK" | "ENTITY" => "R-001".to_string(),
        "SYSTEM" => "fraud-detection".to_string(),
        "DIR" => file("out-dir"),
        "FILE" | "PATH" => file("out-file"),
        "MAPPING" => file("mapping.toml"),
        "VALUE" => "1".to_string(),
        _ => return None,
    })
}

/// One command line to run: the subcommand path, the argument under test and its value.
struct Case {
    argv: Vec<String>,
}

/// Every possible value of every argument of `cmd` (under the subcommand path `path`), with
/// what the command needs besides filled in from [`sample`].
fn cases(cmd: &clap::Command, path: &[String], out: &Path, missing: &mut Vec<String>) -> Vec<Case> {
    let mut found = Vec::new();
    let mut required: Vec<&clap::Arg> = cmd
        .get_arguments()
        .filter(|a| a.is_required_set() && !a.is_global_set())
        .collect();
    required.sort_by_key(|a| a.get_index());
    for arg in cmd.get_arguments() {
        if !arg.get_action().takes_values() || (arg.is_global_set() && !path.is_empty()) {
            continue;
        }
        for value in arg
            .get_value_parser()
            .possible_values()
            .into_iter()
            .flatten()
        {
            let mut argv: Vec<String> = path.to_vec();
            if path.is_empty() {
                // A global flag: before a command that reads the register.
                argv.push(flag(arg));
                argv.push(value.get_name().to_string());
                argv.push("check".into());
                found.push(Case { argv });
                continue;
            }
            for other in &required {
                if other.get_id() == arg.get_id() {
                    continue;
                }
                let name = other
                    .get_value_names()
                    .and_then(|n| n.first())
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| other.get_id().to_string().to_uppercase());
                let Some(v) = other
                    .get_value_parser()
                    .possible_values()
                    .and_then(|mut p| p.next())
                    .map(|p| p.get_name().to_string())
                    .or_else(|| sample(&name, out))
                else {
                    missing.push(format!("{} {name}", path.join(" ")));
                    continue;
                };
                if other.is_positional() {
                    argv.push(v);
                } else {
                    argv.push(flag(other));
                    argv.push(v);
                }
            }
            if arg.is_positional() {
                argv.push(value.get_name().to_string());
            } else {
                argv.push(flag(arg));
                argv.push(value.get_name().to_string());
            }
            found.push(Case { argv });
        }
    }
    for sub in cmd.get_subcommands() {
        let mut p = path.to_vec();
        p.push(sub.get_name().to_string());
        found.extend(cases(sub, &p, out, missing));
    }
    found
}

/// `--long`, else `-s`.
fn flag(arg: &clap::Arg) -> String {
    match (arg.get_long(), arg.get_short()) {
        (Some(l), _) => format!("--{l}"),
        (None, Some(s)) => format!("-{s}"),
        (None, None) => unreachable!("an option has a name"),
    }
}

/// What a command needs when clap says it misses required arguments that its tree does not
/// mark required (`required_unless_present`).
fn extras(command: &str) -> Option<Vec<String>> {
    let csv = root().join("tests/fixtures/import/ciso-assistant.csv");
    Some(match command {
        "import" => vec![
            "--dry-run".into(),
            "--map".into(),
            "ciso-assistant".into(),
            csv.display().to_string(),
        ],
        _ => return None,
    })
}

/// Runs the binary in `reg` with `argv`, standard input closed.
fn airisk(reg: &Path, home: &Path, argv: &[String]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_airisk"))
        .current_dir(reg)
        .args(argv)
        .env("NO_COLOR", "1")
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(Stdio::null())
        .output()
        .expect("airisk runs")
}

#[test]
fn no_value_of_any_value_enum_panics() {
    let g = Git::init();
    copy_dir(&root().join("examples/acme-bank"), &g.path().join("reg"));
    g.date("2026-09-01").commit("Add the register");
    let reg = g.path().join("reg");
    let out = tempfile::tempdir().expect("tempdir");
    let mut cmd = airisk::cli::Cli::command();
    cmd.build();
    let mut missing = Vec::new();
    let all = cases(&cmd, &[], out.path(), &mut missing);
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "add a sample value for these required arguments: {missing:?}"
    );
    // The tree is read: the known ones are among what it gave.
    let lines: Vec<String> = all.iter().map(|c| c.argv.join(" ")).collect();
    for known in [
        "--color never check",
        "check --format sarif",
        "register --format xlsx",
        "completions fish",
        "schema risk",
    ] {
        assert!(
            lines
                .iter()
                .any(|l| l == known || l.starts_with(&format!("{known} "))),
            "`{known}` is not among the cases: {lines:#?}"
        );
    }
    assert!(all.len() > 60, "{}", all.len());

    // Two at a time (the machine's cores), each its own process.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(case) = all.get(i) else { break };
                    let mut argv = case.argv.clone();
                    argv.extend(["--as-of".to_string(), "2026-11-01".to_string()]);
                    let mut run = airisk(&reg, out.path(), &argv);
                    // Arguments required unless another is given (clap's tree does not say
                    // which): the command's own, then again.
                    if String::from_utf8_lossy(&run.stderr)
                        .contains("the following required arguments were not provided")
                    {
                        let Some(more) = extras(&case.argv[0]) else {
                            failures.lock().expect("lock").push(format!(
                                "airisk {}: add its required arguments to `extras`",
                                argv.join(" ")
                            ));
                            continue;
                        };
                        argv.extend(more);
                        run = airisk(&reg, out.path(), &argv);
                    }
                    let err = String::from_utf8_lossy(&run.stderr);
                    if run.status.code() == Some(101) || err.contains("panicked") {
                        failures
                            .lock()
                            .expect("lock")
                            .push(format!("airisk {}: {err}", argv.join(" ")));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().expect("lock");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
