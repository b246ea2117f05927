//! Escaping by construction, end to end (SPEC §5, §7): a pull request whose every input is
//! hostile — file names with `<!--`, a line break, escape sequences and a bidi override; an
//! id with a line break and `<!--`; titles with images, links, URLs, `@mentions`, `#12`,
//! comments and headings; a person with a hostile name and a handle that would inject a
//! CODEOWNERS line; a commit whose author and subject carry escapes — goes through every
//! command in every format, and each output is checked by the rules of its consumer:
//!
//! - markdown is rendered by comrak (cmark-gfm's port, GitHub's renderer, with raw HTML kept
//!   as GitHub keeps it before sanitising): no link, image, raw HTML element or comment
//!   comes from the data, no heading either, and the text holds no mention, reference or URL
//!   that GitHub would resolve after rendering; the diff comment shows every changed entity
//!   and every finding, the issue's own attack included (`mitigate → accept` on the risk
//!   whose id and path hold `<!--`, and its error findings);
//! - terminal text (and every command's stderr) holds no control, bidirectional or invisible
//!   format character, with colour off or on;
//! - HTML has no element from the data; CSV no formula cell; JSON, SARIF and GitLab parse,
//!   with hidden characters escaped; CODEOWNERS gains no line.

use crate::git::{Git, airisk};
use airisk::text::is_hidden;
use std::path::Path;

/// The risk file whose name holds a comment opener, a line break, an escape sequence that
/// clears the screen and a right-to-left override.
const HOSTILE_FILE: &str = "risks/R-0 <!--\n\u{1b}[2J\u{202e}lmth.yaml";
/// Its id (YAML double-quoted): a line break and `<!--`, which once swallowed the rest of the
/// pull-request comment.
const HOSTILE_ID: &str = "R-0\n<!-- hidden";
/// A title with everything markdown and GitHub could turn into something else (YAML
/// double-quoted: `\e` is ESC, `\u202E` the right-to-left override).
const TITLE: &str = r"![x](http://e.example/x.png) [a](http://e.example) https://e.example www.e.example mail@e.example @someone #12 GH-12 <!-- # heading \u202Ecepta\u202C \e[31mred <img src=x onerror=alert(1)> &#64;entity";
/// A commit author and subject with escapes, a mention and a reference.
const AUTHOR: (&str, &str) = (
    "Mallory \u{1b}[31m @someone \u{202e}#12",
    "mallory@e.example",
);
const SUBJECT: &str =
    "Accept R-0 #12 ![x](http://e.example/x.png) \u{1b}]8;;http://e.example\u{7}@someone\u{202e}";

/// main: the base register, the hostile risk (treated), a file name with spaces and `#`, a
/// person with a hostile name and handle. feature: the hostile risk accepted above the
/// threshold, a rule turned off, a template override, committed by the hostile author.
fn hostile_repo() -> Git {
    let g = Git::init();
    g.base("reg");
    let r1 = std::fs::read_to_string(g.path().join("reg/risks/R-001.yaml")).expect("R-001");
    g.write(
        &format!("reg/{HOSTILE_FILE}"),
        &r1.replacen("id: R-001", &format!("id: {HOSTILE_ID:?}"), 1)
            .replacen(
                "title: Tickets routed to the wrong queue after product changes",
                &format!("title: \"{TITLE}\""),
                1,
            )
            .replacen("owner: bjones", "owner: mallory", 1),
    );
    let r2 = std::fs::read_to_string(g.path().join("reg/risks/R-002.yaml")).expect("R-002");
    g.write(
        "reg/risks/R 5 #x.yaml",
        &r2.replacen("id: R-002", "id: R-5", 1),
    );
    g.edit(
        "reg/people.yaml",
        "roles:",
        "  mallory: { name: \"<img src=x onerror=alert(1)> @someone #12 \\u202E [a](http://e.example) \\e[2J\", email: m@e.example, github: \"mallory\\n* @attacker\" }\nroles:",
    );
    g.date("2026-09-01").commit("Add the register");
    g.git(&["checkout", "-q", "-b", "feature"]);
    let hostile = format!("reg/{HOSTILE_FILE}");
    g.edit(&hostile, "option: mitigate", "option: accept");
    g.edit(&hostile, "likelihood: 3", "likelihood: 5");
    g.edit(
        &hostile,
        "consequence: 2\n  rationale",
        "consequence: 4\n  rationale",
    );
    g.edit(
        "reg/airisk.toml",
        "[review]",
        "[rules]\ncategory-not-screened = \"off\"\n\n[review]",
    );
    // The EU AI Act profile, with a hostile rationale and obligation evidence path.
    g.edit(
        "reg/airisk.toml",
        "[review]",
        "[eu_ai_act]\napplies = true\n\n[review]",
    );
    let system = std::fs::read_to_string(g.path().join("reg/systems/ticket-triage.yaml"))
        .expect("ticket-triage");
    g.write(
        "reg/systems/ticket-triage.yaml",
        &format!(
            "{system}eu_ai_act:\n  roles: [provider]\n  classification: limited\n  transparency: [art50-1]\n  rationale: \"{TITLE}\"\n  assessed: 2026-10-01\n  assessed_by: mallory\n  obligations:\n    art50-1: {{ status: planned, owner: mallory, evidence: [\"{TITLE}\"] }}\n"
        ),
    );
    g.write(
        "reg/templates/soa.md",
        "{% extends \"document.md\" %}{# the same SoA, from a template of the register #}\n",
    );
    g.date("2026-10-01").commit_as(AUTHOR, SUBJECT);
    g
}

/// What one command wrote: a name for messages, stdout and stderr.
struct Output {
    what: String,
    stdout: String,
    stderr: String,
}

fn run(reg: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--as-of", "2026-11-01"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = airisk(reg, &all);
    let what = format!("airisk {args:?}");
    assert!(code == 0 || code == 1, "{what}: exit {code}: {stderr}");
    Output {
        what,
        stdout,
        stderr,
    }
}

#[test]
fn hostile_values_are_escaped_in_every_command_and_format() {
    let g = hostile_repo();
    let reg = g.path().join("reg");
    let formats = |cmd: &[&str], fs: &[&str]| -> Vec<(String, Output)> {
        fs.iter()
            .map(|f| {
                let mut args = cmd.to_vec();
                args.extend(["--format", f]);
                (f.to_string(), run(&reg, &args))
            })
            .collect()
    };
    let docs = ["table", "markdown", "csv", "json", "html"];
    let mut outputs: Vec<(String, Output)> = Vec::new();
    outputs.extend(formats(
        &["check"],
        &["human", "json", "github", "sarif", "gitlab"],
    ));
    outputs.extend(formats(
        &["register", "--status", "all", "--provenance"],
        &docs,
    ));
    outputs.extend(formats(&["soa"], &docs));
    outputs.extend(formats(&["due", "--within", "10 years"], &docs));
    outputs.extend(formats(&["obligations"], &docs));
    outputs.extend(formats(&["matrix"], &["table", "markdown", "json", "html"]));
    for id in [HOSTILE_ID, "mallory", "ticket-triage"] {
        outputs.extend(formats(
            &["show", id],
            &["table", "markdown", "json", "html"],
        ));
    }
    outputs.extend(formats(&["report"], &["table", "markdown", "json", "html"]));
    outputs.extend(formats(
        &["history", HOSTILE_ID],
        &["human", "markdown", "json", "html"],
    ));
    outputs.extend(formats(&["diff"], &["human", "markdown", "json"]));
    // Colour on: only our own styles reach the terminal.
    outputs.push(("colour".into(), run(&reg, &["--color", "always", "check"])));
    outputs.push((
        "colour".into(),
        run(&reg, &["--color", "always", "register", "--status", "all"]),
    ));

    let mut checked = 0;
    for (format, out) in &outputs {
        let what = &out.what;
        terminal(&format!("{what} (stderr)"), &out.stderr, false);
        match format.as_str() {
            "human" | "table" => terminal(what, &out.stdout, false),
            "colour" => terminal(what, &out.stdout, true),
            "markdown" => drop(markdown(what, &out.stdout)),
            "html" => html(what, &out.stdout),
            "csv" => csv(what, &out.stdout),
            "json" | "sarif" | "gitlab" => json(what, &out.stdout, format == "sarif"),
            "github" => {
                terminal(what, &out.stdout, false);
                assert!(
                    out.stdout
                        .lines()
                        .all(|l| l.starts_with("::") || l.contains(" in ")),
                    "{what}: a line that is not a workflow command:\n{}",
                    out.stdout
                );
            }
            other => panic!("no check for {other}"),
        }
        checked += 1;
    }
    assert!(checked >= 45, "{checked} outputs");

    // The hostile title reaches every markdown document as text, whole.
    let register = &outputs
        .iter()
        .find(|(f, o)| f == "markdown" && o.what.contains("register"))
        .expect("register markdown")
        .1;
    let shown = markdown(&register.what, &register.stdout);
    for part in [
        "![x](http://e.example/x.png)",
        "[a](http://e.example)",
        "@someone",
        "#12",
        "<!--#heading",
        "<imgsrc=xonerror=alert(1)>",
        "&#64;entity",
    ] {
        assert!(
            shown.contains(&squeeze(part)),
            "register: {part:?} is not visible as text"
        );
    }
}

#[test]
fn the_diff_comment_shows_every_change_of_a_hostile_pull_request() {
    let g = hostile_repo();
    let reg = g.path().join("reg");
    let md = run(&reg, &["diff", "--format", "markdown"]);
    let json = run(&reg, &["diff", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let shown = markdown(&md.what, &md.stdout);

    // The issue's attack: the risk whose id and path hold `<!--` is accepted above the
    // threshold; the change and its error findings are in the rendered comment.
    let entities = v["diff"]["entities"].as_array().expect("entities");
    let hostile = entities
        .iter()
        .find(|e| e["id"] == HOSTILE_ID)
        .expect("the hostile risk is in the diff");
    assert_eq!(hostile["status"], "changed");
    assert_eq!(hostile["file"], HOSTILE_FILE);
    assert!(
        shown.contains(&squeeze("treatment.option mitigate accept")),
        "{shown}"
    );
    let errors: Vec<&serde_json::Value> = v["diff"]["findings_introduced"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["level"] == "error" && f["file"] == HOSTILE_FILE)
        .collect();
    assert!(errors.len() >= 2, "{errors:?}");
    // Every entity and every finding, introduced or fixed, is visible.
    for e in entities {
        let id = e["id"].as_str().expect("id");
        assert!(shown.contains(&squeeze(id)), "entity {id:?} is not visible");
    }
    for list in ["findings_introduced", "findings_fixed"] {
        for f in v["diff"][list].as_array().expect("findings") {
            for key in ["code", "message", "file"] {
                let s = f[key].as_str().expect("text");
                assert!(shown.contains(&squeeze(s)), "{list}: {s:?} is not visible");
            }
        }
    }
    // The rule turned off, and the template with its warning.
    for s in [
        "rules.category-not-screened (none) off",
        "templates changed: every document rendered from this register",
        "templates/soa.md added",
    ] {
        assert!(shown.contains(&squeeze(s)), "{s:?} is not visible");
    }
    // Nothing after the hostile id was swallowed: the last section is there.
    assert!(
        md.stdout.trim_end().ends_with("</details>"),
        "{}",
        md.stdout
    );
}

#[test]
fn codeowners_from_hostile_people_and_file_names_injects_nothing() {
    let g = hostile_repo();
    let reg = g.path().join("reg");
    let out = run(&reg, &["codeowners"]);
    terminal("codeowners (stderr)", &out.stderr, false);
    let lines: Vec<&str> = out.stdout.lines().filter(|l| !l.starts_with('#')).collect();
    for line in &lines {
        let (pattern, owner) = line.rsplit_once(' ').expect("pattern and owner");
        assert!(pattern.starts_with("/reg/"), "{line}");
        // Spaces in the pattern are escaped: the last unescaped space separates the owner.
        assert!(!pattern.replace("\\ ", "").contains(' '), "{line}");
        let handle = owner.strip_prefix('@').expect("a handle");
        assert!(airisk::text::is_github_handle(handle), "{line}");
        assert!(!line.chars().any(is_hidden), "{line:?}");
    }
    assert!(!out.stdout.contains("attacker"), "{}", out.stdout);
    assert!(
        lines.contains(&"/reg/risks/R\\ 5\\ \\#x.yaml @alexsmith"),
        "{}",
        out.stdout
    );
    // One line per file that has an owner with a handle and a path a pattern can name.
    assert_eq!(lines.len(), 5, "{}", out.stdout);
    assert!(
        out.stderr
            .contains("no CODEOWNERS pattern can name a path with a line break"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_audit_pack_of_a_hostile_register_is_escaped_file_by_file() {
    let g = hostile_repo();
    let reg = g.path().join("reg");
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("pack");
    let out = run(&reg, &["pack", &target.display().to_string()]);
    terminal("pack", &out.stdout, false);
    let mut seen = 0;
    for entry in walkdir::WalkDir::new(&target) {
        let entry = entry.expect("entry");
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.path().display().to_string();
        assert!(!name.chars().any(is_hidden), "{name:?}");
        let text = std::fs::read_to_string(entry.path()).expect("text");
        if name.ends_with(".md") {
            markdown(&name, &text);
        } else if name.ends_with(".html") {
            html(&name, &text);
        } else {
            terminal(&name, &text, false);
        }
        seen += 1;
    }
    assert!(seen >= 10, "{seen} files");
}

// ---------------------------------------------------------------- the consumers' rules

/// No control, bidirectional or invisible format character but line breaks; with colour,
/// our own SGR styles only.
fn terminal(what: &str, text: &str, colour: bool) {
    for payload in [
        "\u{1b}[2J",
        "\u{1b}[31mred",
        "\u{1b}]8",
        "\u{7}",
        "\u{202e}",
    ] {
        assert!(
            !text.contains(payload),
            "{what}: {payload:?} reached the terminal"
        );
    }
    let text = if colour {
        strip_sgr(text)
    } else {
        text.to_string()
    };
    if let Some(c) = text.chars().find(|c| *c != '\n' && is_hidden(*c)) {
        panic!("{what}: {c:?} reached the terminal:\n{text}");
    }
}

/// Removes `ESC [ digits/; m` sequences (the styles we write).
fn strip_sgr(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("\u{1b}[") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let n = after
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(after.len());
        if after[n..].starts_with('m') {
            rest = &after[n + 1..];
        } else {
            // Not a style: keep it, so the check sees it.
            out.push_str("\u{1b}[");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Renders markdown as GitHub does (cmark-gfm: tables, strikethrough, autolinks, task
/// lists, footnotes, alerts; raw HTML kept) and checks what GitHub would make of it. Returns
/// the visible text, squeezed ([`squeeze`]).
fn markdown(what: &str, md: &str) -> String {
    use comrak::nodes::NodeValue;
    assert!(
        md.len() <= 65_000 || !what.contains("diff"),
        "{what}: too long"
    );
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    options.extension.tasklist = true;
    options.extension.footnotes = true;
    options.extension.alerts = true;
    options.render.r#unsafe = true;
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, md, &options);
    let mut visible = String::new();
    for node in root.descendants() {
        match &node.data().value {
            NodeValue::Link(l) | NodeValue::Image(l) => {
                panic!("{what}: a link or image to {:?}:\n{md}", l.url)
            }
            NodeValue::HtmlInline(h) => html_is_ours(what, h),
            NodeValue::HtmlBlock(b) => html_is_ours(what, &b.literal),
            NodeValue::CodeBlock(c) => panic!("{what}: a code block {:?}:\n{md}", c.literal),
            NodeValue::FootnoteDefinition(_) | NodeValue::FootnoteReference(_) => {
                panic!("{what}: a footnote:\n{md}")
            }
            NodeValue::TaskItem(_) => panic!("{what}: a task list item:\n{md}"),
            NodeValue::Heading(_) => {
                let text: String = node
                    .descendants()
                    .filter_map(|n| match &n.data().value {
                        NodeValue::Text(t) => Some(t.to_string()),
                        NodeValue::Code(c) => Some(c.literal.clone()),
                        _ => None,
                    })
                    .collect();
                // Our headings name ids and titles; one opened by the data starts with it.
                let start = text.trim_start();
                assert!(
                    !start.starts_with("heading") && !start.starts_with("hidden"),
                    "{what}: a heading from the data: {text:?}"
                );
            }
            NodeValue::Text(t) => {
                github_resolves_nothing(what, t);
                visible.push_str(t);
            }
            NodeValue::Code(c) => visible.push_str(&c.literal),
            _ => {}
        }
    }
    squeeze(&visible)
}

/// The only raw HTML in our markdown: line breaks in cells and collapsible sections.
fn html_is_ours(what: &str, html: &str) {
    assert!(!html.contains("<!--"), "{what}: a comment {html:?}");
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1);
        let tag = &rest[start..end];
        assert!(
            [
                "<br>",
                "<details>",
                "<details open>",
                "</details>",
                "<summary>",
                "</summary>"
            ]
            .contains(&tag),
            "{what}: raw HTML {tag:?} in {html:?}"
        );
        rest = &rest[end..];
    }
}

/// GitHub turns these into mentions, references and links in the rendered text; a
/// zero-width space must break each.
fn github_resolves_nothing(what: &str, text: &str) {
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        let bad = match c {
            '@' => next.is_ascii_alphanumeric(),
            '#' => next.is_ascii_digit(),
            ':' => chars.get(i + 1..i + 3) == Some(&['/', '/'][..]),
            '-' => {
                i >= 2
                    && chars[i - 2].eq_ignore_ascii_case(&'g')
                    && chars[i - 1].eq_ignore_ascii_case(&'h')
                    && next.is_ascii_digit()
            }
            'w' | 'W' => text[text.char_indices().nth(i).map_or(0, |(b, _)| b)..]
                .to_ascii_lowercase()
                .starts_with("www."),
            _ => false,
        };
        assert!(!bad, "{what}: GitHub would resolve {c:?} in {text:?}");
        assert!(
            !is_hidden(*c) || *c == '\u{200b}',
            "{what}: {c:?} in the rendered text {text:?}"
        );
    }
}

/// Text as a reader sees it, for comparison: no white space, no zero-width space, no `�`
/// and no other hidden character, no backtick (code spans lose theirs when rendered).
fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !is_hidden(*c) && !matches!(c, '\u{fffd}' | '`'))
        .collect()
}

/// No element, comment or URL from the data; no hidden character.
fn html(what: &str, text: &str) {
    let lower = text.to_ascii_lowercase();
    for bad in [
        "<script",
        "<img",
        "<iframe",
        "<!--",
        "href=\"http",
        "src=\"http",
    ] {
        assert!(!lower.contains(bad), "{what}: {bad} in the HTML");
    }
    if let Some(c) = text
        .chars()
        .find(|c| !matches!(c, '\n' | '\r' | '\t') && is_hidden(*c))
    {
        panic!("{what}: {c:?} in the HTML");
    }
    assert!(
        text.contains("&lt;img src=x onerror=alert(1)&gt;") || !text.contains("onerror"),
        "{what}: the hostile text is not escaped"
    );
}

/// Rectangular, no cell a spreadsheet runs (a plain integer is a number), and nothing a
/// terminal showing the file would act on.
fn csv(what: &str, text: &str) {
    if let Some(c) = text
        .chars()
        .find(|c| !matches!(c, '\n' | '\r' | '\t') && is_hidden(*c))
    {
        panic!("{what}: {c:?} in the CSV");
    }
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let width = reader.headers().expect("headers").len();
    for rec in reader.records() {
        let rec = rec.expect("valid CSV");
        assert_eq!(rec.len(), width, "{what}");
        for cell in rec.iter() {
            let number = cell.parse::<i64>().is_ok();
            assert!(
                number || !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{what}: formula cell {cell:?}"
            );
        }
    }
}

/// Parses; hidden characters only as `\u` escapes; SARIF valid against its schema.
fn json(what: &str, text: &str, sarif: bool) {
    let value: serde_json::Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{what}: {e}"));
    if let Some(c) = text.chars().find(|c| *c != '\n' && is_hidden(*c)) {
        panic!("{what}: a raw {c:?} in the JSON");
    }
    if sarif {
        let schema: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(
                crate::support::root().join("tests/sarif/sarif-schema-2.1.0.json"),
            )
            .expect("schema"),
        )
        .expect("schema JSON");
        let validator = jsonschema::draft7::options()
            .build(&schema)
            .expect("valid schema");
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{what}: {errors:?}");
    }
}
