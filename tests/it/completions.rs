//! `airisk completions SHELL` and `airisk man` produce their documents from the command
//! definition: non-empty, and naming the subcommands. Fish completes positional values, the
//! global options before a subcommand and `register --sort` keys (checked by fish itself
//! where it is installed); `man --dir` writes one page per subcommand and every page a page
//! refers to exists.

use crate::support::{root, run_cli, try_cli};

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

fn fish_script() -> String {
    let (code, out) = run_cli(&root(), &["completions", "fish"]);
    assert_eq!(code, 0);
    out
}

#[test]
fn fish_completes_positional_values_global_options_and_sort_keys() {
    let script = fish_script();
    for (sub, values) in [
        (
            "schema",
            &["people", "system", "risk", "assessment", "incident", "soa"][..],
        ),
        (
            "completions",
            &["bash", "zsh", "fish", "powershell", "elvish"],
        ),
        (
            "taxonomy",
            &["categories", "controls", "sources", "nist", "eu-ai-act"],
        ),
        ("new", &["risk", "system", "assessment", "incident"]),
    ] {
        let line = script
            .split("\ncomplete ")
            .find(|l| {
                l.starts_with(&format!(
                    "-c airisk -n \"__fish_airisk_using_subcommand {sub}\" -f -a "
                ))
            })
            .unwrap_or_else(|| panic!("no positional values for `{sub}`"));
        for v in values {
            assert!(
                line.contains(&format!("{v}\\t")),
                "{sub}: {v} missing in {line}"
            );
        }
    }
    // The helper no longer gives up while a global option waits for its value.
    assert!(script.contains("    or return 0\n"), "{script}");
    assert!(!script.contains("2>/dev/null\n    or return\n"));
    // `register --sort` offers its keys and no file names.
    let sort = script
        .lines()
        .find(|l| l.contains("using_subcommand register\" -l sort"))
        .expect("--sort");
    assert!(sort.contains(" -r -f -a \"id\\t"), "{sort}");
    assert!(!sort.contains(" -F"), "{sort}");
    let columns = script
        .lines()
        .find(|l| l.contains("using_subcommand register\" -l columns"))
        .expect("--columns");
    assert!(columns.contains(" -f -a "), "{columns}");
}

/// What fish itself completes for a command line.
fn fish_complete(fish: &str, script: &std::path::Path, line: &str) -> Vec<String> {
    let out = std::process::Command::new(fish)
        .args(["--no-config", "-c"])
        .arg(format!(
            "source '{}'; complete -C '{line}'",
            script.display()
        ))
        .output()
        .expect("fish runs");
    assert!(
        out.status.success(),
        "fish: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .map(|l| l.split('\t').next().unwrap_or("").to_string())
        .collect()
}

/// Fish itself completes what the script promises. Needs `fish` (Debian's package), which
/// .ci/run installs; `cargo test` alone checks the script's text (above).
#[test]
#[ignore = "needs fish: apt-get install fish"]
fn fish_itself_completes_what_the_script_promises() {
    let fish = crate::support::require_tool(&["fish"], &[], "apt-get install fish");
    let tmp = tempfile::tempdir().expect("tempdir");
    let script = tmp.path().join("airisk.fish");
    std::fs::write(&script, fish_script()).expect("write");
    let cases: &[(&str, &[&str])] = &[
        ("airisk --color ", &["always", "auto", "never"]),
        (
            "airisk schema ",
            &["assessment", "incident", "people", "risk", "soa", "system"],
        ),
        (
            "airisk completions ",
            &["bash", "elvish", "fish", "powershell", "zsh"],
        ),
        (
            "airisk taxonomy ",
            &["categories", "controls", "nist", "sources"],
        ),
        (
            "airisk --color never taxonomy ",
            &["categories", "controls", "nist", "sources"],
        ),
        (
            "airisk register --sort ",
            &[
                "category",
                "due",
                "id",
                "level",
                "next-review",
                "owner",
                "score",
                "system",
                "title",
            ],
        ),
        ("airisk --color never reg", &["register"]),
    ];
    for (line, want) in cases {
        assert_eq!(&fish_complete(&fish, &script, line), want, "{line:?}");
    }
}

#[test]
fn man_dir_writes_a_page_per_subcommand_and_every_reference_exists() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for round in 0..2 {
        // The second run replaces the pages of the first.
        let (code, out) = run_cli(tmp.path(), &["man", "--dir", "man/man1"]);
        assert_eq!(code, 0, "round {round}");
        assert!(out.lines().any(|l| l == "man/man1/airisk-check.1"), "{out}");
    }
    let dir = tmp.path().join("man/man1");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("written")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    for sub in SUBCOMMANDS
        .iter()
        .chain(&["register", "templates", "templates-export", "man"])
    {
        assert!(
            files.contains(&format!("airisk-{sub}.1")),
            "{sub}: {files:?}"
        );
    }
    assert!(files.contains(&"airisk.1".to_string()));
    assert!(!files.iter().any(|f| f.contains("help")), "{files:?}");
    let mut references = 0;
    for f in &files {
        let text = std::fs::read_to_string(dir.join(f)).expect("page");
        let name = f.trim_end_matches(".1");
        assert!(text.contains(&format!(".TH {name} 1")), "{f}");
        assert!(text.contains(".SH \"EXIT STATUS\""), "{f}");
        assert!(text.contains("\\fB2\\fR"), "{f}: exit 2");
        if name != "airisk" {
            assert!(text.contains(".SH OPTIONS"), "{f}");
            assert!(text.contains("\\-\\-register"), "{f}: the global options");
        }
        // Every page another page names is one of the files.
        let plain = text
            .replace("\\-", "-")
            .replace("\\fB", "")
            .replace("\\fR", "");
        for (at, _) in plain.match_indices("airisk-") {
            let rest = &plain[at..];
            let end = rest
                .find(|c: char| !(c.is_ascii_lowercase() || c == '-'))
                .unwrap_or(rest.len());
            if rest[end..].starts_with("(1)") {
                let referenced = &rest[..end];
                assert!(
                    files.contains(&format!("{referenced}.1")),
                    "{f} names {referenced}(1), which is not written"
                );
                references += 1;
            }
        }
    }
    assert!(
        references > 2 * SUBCOMMANDS.len(),
        "{references} references checked"
    );
    // The exit codes a command can return are on its page.
    let check = std::fs::read_to_string(dir.join("airisk-check.1")).expect("page");
    assert!(check.contains("\\fB1\\fR\nFindings at error level"));
    let show = std::fs::read_to_string(dir.join("airisk-show.1")).expect("page");
    assert!(!show.contains("\\fB1\\fR"), "show never exits 1");
    let main = std::fs::read_to_string(dir.join("airisk.1")).expect("page");
    assert!(main.contains(".SH \"SEE ALSO\""));
}

#[test]
fn man_prints_one_page_and_refuses_an_unknown_one() {
    let (code, out) = run_cli(&root(), &["man", "check"]);
    assert_eq!(code, 0);
    assert!(out.contains(".TH airisk-check 1"), "{out}");
    let (_, out) = run_cli(&root(), &["man", "templates-export"]);
    assert!(out.contains(".TH airisk-templates-export 1"), "{out}");
    let e = try_cli(&root(), &["man", "chek"]).expect_err("no such page");
    assert!(e.contains("did you mean `check`?"), "{e}");
}
