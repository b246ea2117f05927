//! The manual pages, made from the command definition (clap_mangen) so they cannot drift
//! from `--help`: `airisk(1)` and one page per subcommand, nested ones included
//! (`airisk-check(1)`, `airisk-templates-export(1)`). Each has its synopsis, description and
//! options (the global ones too), its subcommands, an EXIT STATUS section and a SEE ALSO
//! section that names only pages this module makes.
//!
//! Pure: pages as names and roff bytes; the command layer writes them (`airisk man`).

use clap::Command;

/// One manual page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// `airisk`, `airisk-check`, `airisk-templates-export`.
    pub name: String,
    /// Roff (man(7)), section 1.
    pub roff: Vec<u8>,
}

impl Page {
    /// The page's file name: `airisk-check.1`.
    pub fn file_name(&self) -> String {
        format!("{}.1", self.name)
    }
}

/// Every page: `airisk(1)` first, then the subcommands' in the order `--help` lists them,
/// each followed by its own subcommands'.
pub fn pages(cmd: Command) -> Vec<Page> {
    // No `help` subcommand page: `help` is clap's, and `--help` says the same.
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    let mut out = Vec::new();
    collect(&cmd, &[], &mut out);
    out
}

/// The page of `name` (`airisk`, `check`, `airisk-check`, `templates-export`), if there is one.
pub fn page(cmd: Command, name: &str) -> Option<Page> {
    let full = if name == "airisk" || name.starts_with("airisk-") {
        name.to_string()
    } else {
        format!("airisk-{name}")
    };
    pages(cmd).into_iter().find(|p| p.name == full)
}

/// The names of every page without the `airisk-` prefix (`check`, `templates-export`), for
/// messages and completion.
pub fn names(cmd: Command) -> Vec<String> {
    pages(cmd)
        .into_iter()
        .map(|p| match p.name.strip_prefix("airisk-") {
            Some(rest) => rest.to_string(),
            None => p.name,
        })
        .collect()
}

fn visible(cmd: &Command) -> impl Iterator<Item = &Command> {
    cmd.get_subcommands().filter(|s| !s.is_hide_set())
}

/// `path` is the chain of subcommand names from `airisk` down to `cmd` (empty for `airisk`).
fn collect(cmd: &Command, path: &[&str], out: &mut Vec<Page>) {
    out.push(render(cmd, path));
    for sub in visible(cmd) {
        let mut p = path.to_vec();
        p.push(sub.get_name());
        collect(sub, &p, out);
    }
}

fn page_name(path: &[&str]) -> String {
    std::iter::once("airisk")
        .chain(path.iter().copied())
        .collect::<Vec<_>>()
        .join("-")
}

fn render(cmd: &Command, path: &[&str]) -> Page {
    let name = page_name(path);
    let mut cmd = cmd.clone();
    if !path.is_empty() {
        // The name the subcommands section and the title use: `airisk-check`.
        cmd = cmd.display_name(name.clone());
    }
    let version = cmd.get_version().unwrap_or_default().to_string();
    let man = clap_mangen::Man::new(cmd.clone())
        .title(name.clone())
        .source(format!("airisk {version}"));
    let mut roff = Vec::new();
    man.render_title(&mut roff).expect("writing to memory");
    man.render_name_section(&mut roff)
        .expect("writing to memory");
    man.render_synopsis_section(&mut roff)
        .expect("writing to memory");
    man.render_description_section(&mut roff)
        .expect("writing to memory");
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut roff)
            .expect("writing to memory");
    }
    if visible(&cmd).next().is_some() {
        man.render_subcommands_section(&mut roff)
            .expect("writing to memory");
    }
    roff.extend_from_slice(exit_status(path).as_bytes());
    roff.extend_from_slice(see_also(&cmd, path).as_bytes());
    if cmd.get_version().is_some() {
        man.render_version_section(&mut roff)
            .expect("writing to memory");
    }
    Page {
        name,
        roff: once_preamble(roff),
    }
}

/// Each section clap_mangen renders starts with the same two lines defining the `Aq` string
/// (an apostrophe): keep the first.
fn once_preamble(roff: Vec<u8>) -> Vec<u8> {
    const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    let text = String::from_utf8(roff).expect("clap_mangen writes UTF-8");
    let Some(first) = text.find(PREAMBLE) else {
        return text.into_bytes();
    };
    let end = first + PREAMBLE.len();
    let rest = text[end..].replace(PREAMBLE, "");
    format!("{}{rest}", &text[..end]).into_bytes()
}

/// What each exit code means for the command at `path` (SPEC §4: 0, 1, 2).
fn exit_status(path: &[&str]) -> String {
    let one = match path.first().copied() {
        None => Some(
            "Findings at error level (\\fBcheck\\fR), \\fB\\-\\-fail\\-on\\fR matched (\\fBdue\\fR), the file of \\fBsoa \\-o FILE \\-\\-check\\fR differs from the register, or a file has no code owner (\\fBcodeowners\\fR).",
        ),
        Some("codeowners") => Some(
            "A file has no code owner (no owner, or an owner without a GitHub handle in people.yaml), or a path no CODEOWNERS pattern can name: each is named on stderr, after every line that could be written.",
        ),
        Some("check") => Some(
            "Findings at error level, after the levels of \\fB[rules]\\fR, waivers and \\fB\\-\\-deny warnings\\fR; with \\fB\\-\\-baseline\\fR, new ones only.",
        ),
        Some("due") => Some(
            "\\fB\\-\\-fail\\-on overdue\\fR and something is overdue, or \\fB\\-\\-fail\\-on due\\fR and something is listed.",
        ),
        Some("soa") => Some(
            "With \\fB\\-o FILE \\-\\-check\\fR: FILE differs from what would be rendered (or is missing).",
        ),
        Some("lsp") => Some(
            "The client sent \\fBexit\\fR without \\fBshutdown\\fR first, closed the stream, or sent a message the server cannot read on from (a body shorter than its Content-Length, a message over 256 MiB).",
        ),
        _ => None,
    };
    let mut s = String::from(".SH \"EXIT STATUS\"\n.TP\n\\fB0\\fR\nSuccess");
    s.push_str(match path.first().copied() {
        Some("check") => ": no finding at error level (warnings do not fail the run).\n",
        Some("due") => ", whatever is due (unless \\fB\\-\\-fail\\-on\\fR matches).\n",
        Some("lsp") => ": the client sent \\fBshutdown\\fR, then \\fBexit\\fR.\n",
        _ => ".\n",
    });
    if let Some(one) = one {
        s.push_str(".TP\n\\fB1\\fR\n");
        s.push_str(one);
        s.push('\n');
    }
    s.push_str(
        ".TP\n\\fB2\\fR\nUsage error, invalid configuration (airisk.toml), or an I/O or git error: the command could not run.\n",
    );
    s.push_str(
        ".PP\nWriting to a closed pipe (\\fBairisk register | head\\fR) ends the run quietly with 0.\n",
    );
    s
}

/// The pages to read next: for `airisk(1)` every subcommand's; for a subcommand `airisk(1)`,
/// its parent's and its own subcommands'.
fn see_also(cmd: &Command, path: &[&str]) -> String {
    let mut names: Vec<String> = Vec::new();
    if !path.is_empty() {
        names.push("airisk".into());
        if path.len() > 1 {
            names.push(page_name(&path[..path.len() - 1]));
        }
    }
    for sub in visible(cmd) {
        let mut p = path.to_vec();
        p.push(sub.get_name());
        names.push(page_name(&p));
    }
    if names.is_empty() {
        return String::new();
    }
    let refs: Vec<String> = names
        .iter()
        .map(|n| format!("\\fB{}\\fR(1)", n.replace('-', "\\-")))
        .collect();
    format!(".SH \"SEE ALSO\"\n{}\n", refs.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Command {
        Command::new("airisk")
            .version("1.0")
            .about("demo")
            .subcommand(Command::new("check").about("Check"))
            .subcommand(
                Command::new("templates")
                    .about("Templates")
                    .subcommand(Command::new("export").about("Export")),
            )
            .subcommand(Command::new("hidden").hide(true))
    }

    #[test]
    fn one_page_per_visible_command_and_see_also_names_only_them() {
        let pages = pages(demo());
        let names: Vec<&str> = pages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "airisk",
                "airisk-check",
                "airisk-templates",
                "airisk-templates-export"
            ]
        );
        for p in &pages {
            let text = String::from_utf8(p.roff.clone()).expect("roff is text");
            assert!(text.contains(&format!("\n.TH {} 1 ", p.name)), "{text}");
            assert_eq!(text.matches(".ds Aq").count(), 2, "one preamble: {text}");
            assert!(text.contains(".SH \"EXIT STATUS\""), "{text}");
            // Every page named in SEE ALSO is one of the pages.
            let see = text.split(".SH \"SEE ALSO\"\n").nth(1).expect("SEE ALSO");
            let see = see.lines().next().expect("a line");
            for r in see.split(", ") {
                let n = r
                    .trim_start_matches("\\fB")
                    .split("\\fR")
                    .next()
                    .expect("name")
                    .replace("\\-", "-");
                assert!(names.contains(&n.as_str()), "{n} in {see}");
            }
            assert!(!text.contains("airisk-help"), "{text}");
        }
        assert_eq!(
            page(demo(), "templates-export").map(|p| p.name),
            Some("airisk-templates-export".into())
        );
        assert_eq!(page(demo(), "nope"), None);
    }
}
