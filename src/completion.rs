//! Shell completion scripts, made from the command definition (clap_complete), with what
//! clap_complete's fish script lacks added:
//!
//! - the values of positional arguments (`schema KIND`, `completions SHELL`, `taxonomy
//!   WHAT`, `new KIND`): clap_complete's fish generator completes options only;
//! - the values of a global option typed before the subcommand (`airisk --color <TAB>`,
//!   `airisk -C <TAB>`): its helper that looks for the subcommand gives up while such an
//!   option still waits for its value, so nothing was offered.
//!
//! Option values come from the arguments' value parsers (`register --sort` completes its
//! sort keys, not file names). Pure: the script as bytes.

use clap::Command;
use clap_complete::Shell;

/// The completion script of `shell` for `cmd`, named `bin`.
pub fn script(shell: Shell, cmd: &mut Command, bin: &str) -> Vec<u8> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, cmd, bin, &mut buf);
    if shell != Shell::Fish {
        return buf;
    }
    let mut text = String::from_utf8(buf).expect("clap_complete writes UTF-8");
    cmd.build();
    text = fish_global_values(&text, bin);
    fish_positionals(&mut text, cmd, bin);
    text.into_bytes()
}

/// The helper that tells whether the subcommand is still to come parses the global options
/// with `argparse`, which fails while the last one waits for its value (`airisk --color`):
/// then no subcommand has been typed either, so the helper says so instead of failing.
fn fish_global_values(text: &str, bin: &str) -> String {
    let from = format!(
        "    argparse -s (__fish_{bin}_global_optspecs) -- $cmd 2>/dev/null\n    or return\n"
    );
    let to = format!(
        "    # An option still waiting for its value (`{bin} --color <TAB>`): no command yet.\n    argparse -s (__fish_{bin}_global_optspecs) -- $cmd 2>/dev/null\n    or return 0\n"
    );
    assert!(
        text.contains(&from),
        "clap_complete's fish helper changed: update completion::fish_global_values"
    );
    text.replacen(&from, &to, 1)
}

/// One `complete` line per positional argument with a fixed set of values, under the same
/// condition clap_complete uses for that subcommand's options.
fn fish_positionals(text: &mut String, cmd: &Command, bin: &str) {
    let mut lines = Vec::new();
    for sub in cmd.get_subcommands() {
        let condition = format!("__fish_{bin}_using_subcommand {}", sub.get_name());
        positional_lines(sub, bin, &condition, &mut lines);
        for subsub in sub.get_subcommands() {
            let condition = format!(
                "__fish_{bin}_using_subcommand {}; and __fish_seen_subcommand_from {}",
                sub.get_name(),
                subsub.get_name()
            );
            positional_lines(subsub, bin, &condition, &mut lines);
        }
    }
    if !lines.is_empty() {
        text.push_str("\n# The values of positional arguments.\n");
        for l in lines {
            text.push_str(&l);
            text.push('\n');
        }
    }
}

fn positional_lines(cmd: &Command, bin: &str, condition: &str, out: &mut Vec<String>) {
    for arg in cmd.get_positionals() {
        let values: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| {
                let help = v.get_help().map(|h| h.to_string()).unwrap_or_default();
                format!("{}\\t'{}'", fish_escape(v.get_name()), fish_escape(&help))
            })
            .collect();
        if values.is_empty() {
            continue;
        }
        let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
        out.push(format!(
            "complete -c {bin} -n \"{condition}\" -f -a \"{}\" -d '{}'",
            values.join("\n"),
            fish_single(&help)
        ));
    }
}

/// Text inside single quotes inside the double quotes of `-a "…"`: no quote, backslash,
/// variable or line break of its own.
fn fish_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\'', "\\'")
        .replace('"', "\\\"")
        .replace('$', "\\$")
        .replace('\n', " ")
}

/// Text inside fish single quotes (`-d '…'`).
fn fish_single(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\'', "\\'")
        .replace('\n', " ")
}
