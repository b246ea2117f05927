//! `airisk completions SHELL` and `airisk man` produce their documents from the command
//! definition: non-empty, and naming the subcommands.

use crate::support::{root, run_cli};

const SUBCOMMANDS: &[&str] = &["check", "init", "new", "schema", "taxonomy", "completions"];

#[test]
fn completion_scripts_for_every_shell_name_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, out) = run_cli(&root(), &["completions", shell]);
        assert_eq!(code, 0);
        assert!(out.len() > 1000, "{shell}: {} bytes", out.len());
        for sub in SUBCOMMANDS {
            assert!(out.contains(sub), "{shell} completion lacks `{sub}`");
        }
    }
}

#[test]
fn man_page_is_roff_naming_the_subcommands() {
    let (code, out) = run_cli(&root(), &["man"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with(".ie \\n(.g .ds Aq") || out.contains(".TH airisk 1"),
        "{out}"
    );
    for sub in SUBCOMMANDS {
        assert!(out.contains(sub), "man page lacks `{sub}`");
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let (code, out) = run_cli(tmp.path(), &["man", "-o", "airisk.1"]);
    assert_eq!((code, out.as_str()), (0, ""));
    let written = std::fs::read_to_string(tmp.path().join("airisk.1")).expect("written");
    assert!(written.contains(".TH airisk 1"));
}
