//! Tables for people and for spreadsheets: every table document run in a real
//! pseudo-terminal at 80, 120 and 200 columns (and 40, where tables become item lists) fits
//! the width and never splits an id, a date, a level, a status, a number or a path; piped,
//! nothing is fitted; `--bom` CSV starts with the UTF-8 byte order mark and still parses.
//!
//! The pseudo-terminal is opened with rustix (already a dependency; `pty` for the tests): the
//! child gets it as stdout and stderr, so it measures the width as on a user's terminal.

use crate::support::{copy_dir, root, run_cli};
use unicode_width::UnicodeWidthStr;

/// The documents with a terminal table, as command lines for the example register.
const DOCUMENTS: &[&[&str]] = &[
    &["register"],
    &["register", "--status", "all"],
    &["due", "--within", "10 years"],
    &["soa", "--format", "table"],
    &["matrix"],
    &["matrix", "--ids"],
    &["matrix", "--target"],
    &["show", "R-009"],
    &["show", "credit-scoring"],
    &["show", "A.6.2.4"],
    &["report", "--format", "table"],
    &["obligations"],
    &["taxonomy"],
];

/// What the cells of a column with this heading must hold whole, when they hold anything: a
/// value, or a list of them broken between items (each line but the last ends with a comma).
fn whole(heading: &str, value: &str) -> bool {
    value
        .split(", ")
        .all(|item| whole_item(heading, item.strip_suffix(',').unwrap_or(item)))
}

fn whole_item(heading: &str, value: &str) -> bool {
    let date = |v: &str| {
        let b = v.as_bytes();
        b.len() == 10
            && b.iter().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            })
    };
    let number = |v: &str| v.trim_start_matches('-').parse::<u64>().is_ok();
    let id = |v: &str| {
        v.split_once('-').is_some_and(|(prefix, n)| {
            !prefix.is_empty()
                && prefix.chars().all(|c| c.is_ascii_uppercase())
                && n.chars().all(|c| c.is_ascii_digit())
                && !n.is_empty()
        })
    };
    let control = |v: &str| {
        v.strip_prefix("A.")
            .is_some_and(|r| !r.ends_with('.') && r.split('.').all(|p| p.parse::<u8>().is_ok()))
    };
    // (The report's table of levels ends with a total.)
    const LEVELS: &[&str] = &["low", "medium", "high", "critical", "total"];
    const STATES: &[&str] = &[
        "planned",
        "in-progress",
        "in progress",
        "done",
        "accepted",
        "late",
        "open",
        "closed",
        "implemented",
        "partial",
        "not-implemented",
        "not-applicable",
        "absent",
        "excluded",
        "undecided",
        "due",
        "overdue",
        "current",
        "expired",
        // A monitor's status (SPEC §9).
        "ok",
        "breach",
        "stale",
        "no-data",
    ];
    match heading {
        "ID" => {
            id(value)
                || value == "SoA"
                || value.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                // A monitor: `system/monitor`.
                || value.split_once('/').is_some_and(|(s, m)| {
                    [s, m].iter().all(|p| {
                        !p.is_empty()
                            && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
                    })
                })
        }
        "Due" | "Next review" | "Date" | "Expires" | "reviewed" | "next review" => date(value),
        "Level" | "Highest level" | "level" => LEVELS.contains(&value),
        "Status" | "State" | "Action" | "Risk status" => STATES.contains(&value),
        "Score" | "Days" | "L" | "C" | "Open risks" | "score" => number(value),
        "Risks" => number(value) || id(value),
        "Control" | "Controls" => control(value),
        "File" => value.ends_with(".yaml") && !value.contains(' '),
        // The taxonomy's ids: never cut, never broken after a dot or a hyphen.
        "id" => !value.contains('…') && !value.ends_with(['.', '-']),
        _ => true,
    }
}

/// The cells of a table line (`│ a ┆ b │`, or the taxonomy's `| a | b |`), trimmed.
fn cells(line: &str) -> Option<Vec<String>> {
    if let Some(inner) = line.strip_prefix('│').and_then(|l| l.strip_suffix('│')) {
        return Some(inner.split('┆').map(|c| c.trim().to_string()).collect());
    }
    let inner = line.strip_prefix('|')?.strip_suffix('|')?;
    Some(inner.split('|').map(|c| c.trim().to_string()).collect())
}

/// Checks a document as a terminal shows it at `width`: every line fits; in every table,
/// every line of a cell under a heading that holds whole values is a whole value or empty;
/// in every item list, every value of such a field is whole.
fn check_fits(what: &str, text: &str, width: usize) {
    let mut headings: Vec<String> = Vec::new();
    let mut in_header = false;
    let mut in_table = false;
    for line in text.lines() {
        assert!(
            line.width() <= width,
            "{what}: a line of {} columns at {width}:\n{line}\n\n{text}",
            line.width()
        );
        if line.starts_with('┌') {
            headings.clear();
            in_header = true;
            continue;
        }
        if line.starts_with('╞') || line.starts_with("|-") {
            in_header = false;
            continue;
        }
        // A markdown-like table has no top border: its first line is the heading.
        if line.starts_with('|') && !in_table {
            headings.clear();
            in_header = true;
        }
        in_table = line.starts_with(['|', '│', '└']);
        if let Some(cells) = cells(line) {
            if in_header {
                // A heading that wraps: its words, one line each.
                headings.resize(cells.len(), String::new());
                for (h, c) in headings.iter_mut().zip(&cells) {
                    if !c.is_empty() {
                        if !h.is_empty() {
                            h.push(' ');
                        }
                        h.push_str(c);
                    }
                }
                continue;
            }
            assert_eq!(cells.len(), headings.len(), "{what}: {line}");
            for (h, c) in headings.iter().zip(&cells) {
                assert!(
                    c.is_empty() || whole(h, c),
                    "{what}: `{c}` under `{h}` is not a whole value at {width} columns:\n{text}"
                );
            }
            continue;
        }
        // An item list: `Heading  value`.
        if let Some((label, value)) = line.split_once("  ")
            && !label.starts_with(' ')
            && !label.contains(['│', '└', '┌'])
        {
            let value = value.trim();
            assert!(
                value.is_empty() || whole(label, value),
                "{what}: `{value}` for `{label}` is not a whole value at {width} columns:\n{text}"
            );
        }
    }
}

/// Runs airisk with stdout, stderr and stdin on a pseudo-terminal `width` columns wide, as a
/// user's terminal would be, and returns what the terminal received (line ends as `\n`).
#[cfg(unix)]
fn in_terminal(width: u16, args: &[&str], color: bool) -> String {
    use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    use std::process::{Command, Stdio};

    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).expect("a pseudo-terminal");
    grantpt(&master).expect("grantpt");
    unlockpt(&master).expect("unlockpt");
    let name = ptsname(&master, Vec::new()).expect("ptsname");
    let name = name.to_str().expect("a UTF-8 device name").to_string();
    let slave = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOCTTY)
        .open(&name)
        .expect("the terminal's other side");
    rustix::termios::tcsetwinsize(
        &slave,
        rustix::termios::Winsize {
            ws_row: 60,
            ws_col: width,
            ws_xpixel: 0,
            ws_ypixel: 0,
        },
    )
    .expect("set the width");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_airisk"));
    cmd.current_dir(root())
        .args(["-C", "examples/acme-bank", "--as-of", "2026-11-01"])
        .args(args)
        .env("AIRISK_NO_GIT", "1")
        // Only the terminal says how wide it is.
        .env_remove("COLUMNS")
        .env("TERM", "xterm-256color")
        .stdin(Stdio::null())
        .stdout(slave.try_clone().expect("dup"))
        .stderr(slave);
    if color {
        cmd.env_remove("NO_COLOR");
    } else {
        cmd.env("NO_COLOR", "1");
    }
    let mut child = cmd.spawn().expect("airisk runs");
    // The parent's copies of the terminal's other side must close, or reading never ends.
    drop(cmd);
    let mut reader = std::fs::File::from(master);
    let mut bytes = Vec::new();
    // Linux ends the stream with EIO once the last writer has closed; the bytes read are kept.
    let _ = reader.read_to_end(&mut bytes);
    let status = child.wait().expect("airisk ends");
    let text = String::from_utf8(bytes)
        .expect("UTF-8")
        .replace("\r\n", "\n");
    assert!(
        status.success(),
        "airisk {args:?} at {width}: {status}\n{text}"
    );
    text
}

/// Colour escapes out, so a coloured line is measured as the terminal shows it.
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(unix)]
#[test]
fn every_table_fits_a_terminal_of_80_and_120_columns_and_splits_no_value() {
    // (And 200, where `due` shows its paths.)
    for width in [80, 120, 200] {
        for args in DOCUMENTS {
            let text = in_terminal(width, args, false);
            check_fits(&format!("airisk {args:?}"), &text, width as usize);
        }
    }
    // The register at both widths keeps the id, title, level and next review, and says which
    // columns it left out.
    for width in [80, 120] {
        let text = in_terminal(width, &["register"], false);
        let head = text
            .lines()
            .find(|l| l.starts_with("│ ID"))
            .unwrap_or_else(|| panic!("a table at {width}:\n{text}"));
        for h in ["ID", "Title", "Level", "Next"] {
            assert!(head.contains(h), "{width}: {head}");
        }
        assert!(
            text.contains(&format!("Left out at {width} columns: ")),
            "{text}"
        );
        assert!(text.contains("R-022"), "every risk is listed");
        assert!(text.contains('…'), "long titles are cut short with `…`");
    }
    // Wider, more columns are shown.
    let count = |t: &str| {
        t.lines()
            .find(|l| l.starts_with("│ ID"))
            .map_or(0, |l| l.matches('┆').count())
    };
    assert!(
        count(&in_terminal(120, &["register"], false))
            > count(&in_terminal(80, &["register"], false))
    );
}

#[cfg(unix)]
#[test]
fn a_terminal_too_narrow_for_a_table_gets_the_rows_as_items() {
    let text = in_terminal(40, &["register"], false);
    check_fits("airisk register at 40", &text, 40);
    assert!(!text.contains('┌'), "no table at 40 columns:\n{text}");
    assert!(text.contains("\nID               R-001\n"), "{text}");
    assert!(text.contains("\nNext review      2026-12-30\n"), "{text}");
    // Picked columns are never left out: a list rather than fewer columns.
    let text = in_terminal(
        80,
        &[
            "register",
            "--columns",
            "id,title,systems,category,owner,controls",
        ],
        false,
    );
    check_fits("airisk register --columns at 80", &text, 80);
    assert!(
        text.contains("\nControls  A.5.4, A.6.1.2, A.6.2.4, A.7.4\n"),
        "{text}"
    );
    assert!(!text.contains("Left out"), "{text}");
}

#[cfg(unix)]
#[test]
fn colour_does_not_change_the_layout() {
    let plain = in_terminal(80, &["register"], false);
    let coloured = in_terminal(80, &["register"], true);
    assert!(coloured.contains("\u{1b}["), "colour is on in a terminal");
    assert_eq!(strip_ansi(&coloured), plain);
    let items = in_terminal(40, &["register"], true);
    check_fits("coloured items", &strip_ansi(&items), 40);
}

#[test]
fn piped_tables_are_not_fitted() {
    // No terminal, no width: the whole table on one line per row, as before.
    let (code, out) = run_cli(&root(), &["-C", "examples/acme-bank", "register"]);
    assert_eq!(code, 0);
    let head = out
        .lines()
        .find(|l| l.starts_with("│ ID"))
        .expect("a table");
    for h in ["System", "Category", "Owner", "Controls", "Next review"] {
        assert!(head.contains(h), "{head}");
    }
    assert!(!out.contains('…') && !out.contains("Left out"));
}

#[test]
fn the_layout_checker_catches_a_split_value() {
    let split = "┌───┐\n│ Next ┆ ID  │\n│ review ┆ │\n╞═══╡\n│ 2026- ┆ R-0 │\n│ 12-30 ┆ 01 │\n";
    let caught = std::panic::catch_unwind(|| check_fits("split", split, 80));
    assert!(caught.is_err(), "a date split over two lines is caught");
    let long = "x".repeat(81);
    assert!(std::panic::catch_unwind(|| check_fits("long", &long, 80)).is_err());
    let md = "| id | title |\n|----|----|\n| A.2. | AI policy |\n| 2 | |\n";
    assert!(std::panic::catch_unwind(|| check_fits("md", md, 80)).is_err());
    check_fits(
        "md",
        "| id | title |\n|----|----|\n| A.2.2 | AI policy… |\n",
        80,
    );
    let fine = "┌───┐\n│ Next ┆ ID    │\n│ review ┆ │\n╞═══╡\n│ 2026-12-30 ┆ R-001 │\n";
    check_fits("fine", fine, 80);
}

/// `--bom`: the UTF-8 byte order mark first, then the same CSV, which still parses (a CSV
/// reader skips the mark), names with accents intact.
#[test]
fn bom_csv_starts_with_the_utf8_byte_order_mark_and_still_parses() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let reg = tmp.path().join("reg");
    copy_dir(&root().join("examples/acme-bank"), &reg);
    let risk = reg.join("risks/credit-scoring/R-001.yaml");
    let text = std::fs::read_to_string(&risk).expect("risk");
    std::fs::write(
        &risk,
        text.replacen(
            "title: Model under-scores young and thin-file applicants",
            "title: Gipiškis's model under-scores young applicants",
            1,
        ),
    )
    .expect("write");
    let r = reg.to_str().expect("UTF-8 path");
    for cmd in [
        &["register"][..],
        &["soa"],
        &["due", "--within", "10 years"],
    ] {
        let mut plain_args = vec!["--no-git", "-C", r];
        plain_args.extend_from_slice(cmd);
        plain_args.extend(["--format", "csv"]);
        let (_, plain) = run_cli(tmp.path(), &plain_args);
        let mut bom_args = plain_args.clone();
        bom_args.extend(["--bom", "-o", "out.csv"]);
        let (code, _) = run_cli(tmp.path(), &bom_args);
        assert_eq!(code, 0);
        let bytes = std::fs::read(tmp.path().join("out.csv")).expect("written");
        assert_eq!(&bytes[..3], [0xEF, 0xBB, 0xBF], "{cmd:?}");
        assert_eq!(
            &bytes[3..],
            plain.as_bytes(),
            "{cmd:?}: the rest is the same CSV"
        );
        let read = |b: &[u8]| -> Vec<csv::StringRecord> {
            let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(b);
            r.records().map(|x| x.expect("valid CSV")).collect()
        };
        let (with, without) = (read(&bytes), read(plain.as_bytes()));
        assert_eq!(
            with, without,
            "{cmd:?}: the mark is not part of the first header"
        );
        assert!(with.len() > 2);
        if cmd[0] == "register" {
            assert_eq!(&with[0][0], "id");
            assert!(
                with.iter()
                    .any(|rec| rec.iter().any(|c| c.contains("Gipiškis")))
            );
        }
    }
}

/// The hostile register fitted to a terminal: every line still fits, and no control,
/// bidirectional or invisible character from the data reaches it, with colour on or off,
/// as a table or as items.
#[test]
fn hostile_text_fitted_to_a_terminal_stays_inert_and_fits() {
    use airisk::render::{self, Format};
    use airisk::text::is_hidden;
    let docs = crate::render::documents(
        &root().join("tests/fixtures/hostile"),
        &["R-001", "ticket-triage", "A.2.2", "asmith"],
    );
    for doc in &docs {
        for width in [40u16, 80, 120] {
            for color in [false, true] {
                let opts = render::Options {
                    color,
                    width: Some(width),
                    templates: Default::default(),
                    ..Default::default()
                };
                let out = render::render(doc, Format::Table, &opts).expect("renders");
                let shown = strip_ansi(&out);
                if let Some(c) = shown.chars().find(|c| *c != '\n' && is_hidden(*c)) {
                    panic!("{} at {width}: {c:?} reaches the terminal", doc.kind);
                }
                if width >= 80 {
                    check_fits(
                        &format!("hostile {} at {width}", doc.kind),
                        &shown,
                        width.into(),
                    );
                }
            }
        }
    }
}

/// Printed by a real browser, every page after the first is headed with the document's title
/// and commit, and every page is numbered "Page N of M". Needs `chromium` and `pdftotext`
/// (Debian's chromium and poppler-utils), which .ci/run installs; `cargo test` alone checks
/// the style sheet (render.rs).
#[test]
#[ignore = "needs chromium and pdftotext: apt-get install chromium poppler-utils"]
fn printed_html_has_a_running_header_and_page_numbers() {
    use airisk::render::{self, Format};
    let chromium = crate::support::require_tool(
        &["chromium", "chromium-browser"],
        &[],
        "apt-get install chromium",
    );
    let pdftotext =
        crate::support::require_tool(&["pdftotext"], &["-v"], "apt-get install poppler-utils");
    let tmp = tempfile::tempdir().expect("tempdir");
    let docs = crate::render::documents(&root().join("examples/acme-bank"), &[]);
    // The register (landscape) and the SoA (portrait) both run over several pages.
    for mut doc in docs
        .into_iter()
        .filter(|d| d.kind == "register" || d.kind == "soa")
    {
        doc.control.commit = Some("0123456789abcdef0123456789abcdef01234567".into());
        let html = render::render(&doc, Format::Html, &Default::default()).expect("html");
        let page = tmp.path().join(format!("{}.html", doc.kind));
        let pdf = tmp.path().join(format!("{}.pdf", doc.kind));
        std::fs::write(&page, html).expect("write");
        let out = std::process::Command::new(&chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-pdf-header-footer",
            ])
            .arg(format!(
                "--user-data-dir={}",
                tmp.path().join(format!("profile-{}", doc.kind)).display()
            ))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("chromium runs");
        assert!(
            pdf.exists(),
            "{}: no PDF: {}",
            doc.kind,
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::process::Command::new(&pdftotext)
            .args(["-layout"])
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("pdftotext runs");
        let text = String::from_utf8(text.stdout).expect("UTF-8");
        let pages: Vec<&str> = text
            .split('\u{c}')
            .filter(|p| !p.trim().is_empty())
            .collect();
        let n = pages.len();
        assert!(n >= 2, "{}: {n} pages", doc.kind);
        for (i, p) in pages.iter().enumerate() {
            assert!(
                p.contains(&format!("Page {} of {n}", i + 1)),
                "{} page {}: no page number\n{p}",
                doc.kind,
                i + 1
            );
            assert!(
                p.contains("Acme Retail Bank plc"),
                "{} page {}",
                doc.kind,
                i + 1
            );
            let header = p.contains("Commit 0123456789ab · as of 2026-11-01");
            assert_eq!(
                header,
                i > 0,
                "{} page {}: running header\n{p}",
                doc.kind,
                i + 1
            );
            if i > 0 {
                assert!(p.contains(&doc.title), "{} page {}: title", doc.kind, i + 1);
            }
        }
    }
}
