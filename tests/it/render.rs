//! Rendering: hostile text in every field is escaped for every format, with the real
//! consumers' rules (a CSV parser, markdown table shape, HTML tags, terminal escapes, a JSON
//! parser); and output is byte-identical for the same register and as-of date, wherever the
//! register lives.

use crate::support::{cell_separators, copy_dir, date, root};
use airisk::load;
use airisk::model::Duration;
use airisk::render::{self, Format};
use airisk::report::{self, Document};

const FORMATS: [Format; 5] = [
    Format::Table,
    Format::Markdown,
    Format::Csv,
    Format::Json,
    Format::Html,
];

/// Every document kind the register can render, as of 2026-11-01.
pub(crate) fn documents(dir: &std::path::Path, show: &[&str]) -> Vec<Document> {
    let loaded = load::load(dir).expect("loads");
    let reg = &loaded.register;
    let today = date("2026-11-01");
    let all = report::register::Options {
        status: Some(report::register::StatusFilter::All),
        ..Default::default()
    };
    let mut docs = vec![
        report::register::build(reg, &loaded.sources, today, &all).expect("register"),
        report::soa::build(reg, today, &report::soa::Options { nist: true }),
        report::due::build(
            reg,
            &loaded.sources,
            today,
            Duration::parse("10 years").expect("duration"),
        ),
        report::matrix::build(reg, today, report::matrix::Plot::Current, false),
        report::matrix::build(reg, today, report::matrix::Plot::Target, false),
        report::matrix::build(reg, today, report::matrix::Plot::Current, true),
    ];
    for id in show {
        docs.push(report::show::build(reg, &loaded.sources, today, id, None).expect("show"));
    }
    docs
}

fn render(doc: &Document, format: Format, color: bool) -> String {
    let opts = render::Options {
        color,
        width: None,
        templates: Default::default(),
        ..Default::default()
    };
    render::render(doc, format, &opts)
        .unwrap_or_else(|e| panic!("{} as {format:?}: {e:#}", doc.kind))
}

#[test]
fn hostile_text_is_escaped_in_every_format() {
    let docs = documents(
        &root().join("tests/fixtures/hostile"),
        &["R-001", "ticket-triage", "A.2.2", "asmith"],
    );
    let mut seen_script = 0;
    for doc in &docs {
        // HTML: tags from the data arrive as text.
        let html = render(doc, Format::Html, false);
        for tag in ["<script", "<img", "<b>", "<i>"] {
            let raw = html.matches(tag).count();
            assert_eq!(raw, 0, "{}: raw `{tag}` in HTML", doc.kind);
        }
        seen_script += html.matches("&lt;script&gt;").count();
        assert_eq!(
            html.matches("<table").count(),
            html.matches("</table>").count(),
            "{}",
            doc.kind
        );

        // Markdown: every row of a table has as many cell separators as its header.
        let md = render(doc, Format::Markdown, false);
        let mut expected: Option<usize> = None;
        for line in md.lines() {
            if line.starts_with('|') {
                let n = cell_separators(line);
                match expected {
                    None => expected = Some(n),
                    Some(e) => {
                        assert_eq!(n, e, "{}: markdown row breaks its table: {line}", doc.kind)
                    }
                }
            } else {
                expected = None;
            }
            assert!(
                !line.contains("<script") && !line.contains("<img") && !line.contains("<b>"),
                "{}: raw HTML in markdown: {line}",
                doc.kind
            );
        }

        // CSV: a real CSV parser sees rectangular rows and no cell a spreadsheet would run.
        if doc.kind != "show" {
            let csv_text = render(doc, Format::Csv, false);
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(true)
                .from_reader(csv_text.as_bytes());
            let width = reader.headers().expect("headers").len();
            for rec in reader.records() {
                let rec = rec.expect("valid CSV");
                assert_eq!(rec.len(), width, "{}", doc.kind);
                for cell in rec.iter() {
                    assert!(
                        !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                        "{}: formula cell {cell:?}",
                        doc.kind
                    );
                }
            }
        }

        // Terminal: no escape sequence from the data, with colour off or on.
        let plain = render(doc, Format::Table, false);
        assert!(
            !plain.contains('\u{1b}'),
            "{}: escape in plain table",
            doc.kind
        );
        let coloured = render(doc, Format::Table, true);
        for bad in ["\u{1b}[31mred", "\u{1b}]8;;", "\u{7}"] {
            assert!(
                !coloured.contains(bad),
                "{}: data escape {bad:?} reached the terminal",
                doc.kind
            );
        }

        // JSON: parses, and keeps the data exactly (escaping is the consumer's business).
        let json: serde_json::Value =
            serde_json::from_str(&render(doc, Format::Json, false)).expect("valid JSON");
        assert_eq!(json["version"], 2);
    }
    assert!(seen_script > 0, "the hostile title was rendered somewhere");
    let register = render(&docs[0], Format::Json, false);
    let json: serde_json::Value = serde_json::from_str(&register).expect("json");
    assert_eq!(
        json["sections"][0]["rows"][0]["title"],
        "<script>alert(1)</script> | pipe\nnewline \u{1b}[31mred\u{1b}[0m"
    );
}

#[test]
fn output_is_identical_wherever_the_register_lives() {
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    let src = root().join("examples/acme-bank");
    copy_dir(&src, a.path());
    copy_dir(&src, &b.path().join("nested/folder"));
    let ids = [
        "R-009",
        "credit-scoring",
        "A.6.2.4",
        "IA-001",
        "INC-001",
        "tokafor",
    ];
    let (da, db) = (
        documents(a.path(), &ids),
        documents(&b.path().join("nested/folder"), &ids),
    );
    for (x, y) in da.iter().zip(&db) {
        for f in FORMATS {
            if f == Format::Csv && x.kind == "show" {
                continue;
            }
            let (rx, ry) = (render(x, f, false), render(y, f, false));
            assert_eq!(rx, ry, "{} as {f:?} differs between two copies", x.kind);
            assert_eq!(
                rx,
                render(x, f, false),
                "{} as {f:?} differs between two runs",
                x.kind
            );
        }
    }
}

#[test]
fn ids_are_in_natural_order() {
    let docs = documents(&root().join("examples/acme-bank"), &[]);
    let json: serde_json::Value =
        serde_json::from_str(&render(&docs[0], Format::Json, false)).expect("json");
    let ids: Vec<&str> = json["sections"][0]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    let mut sorted = ids.clone();
    sorted.sort_by(|a, b| airisk::text::natural_cmp(a, b));
    assert_eq!(ids, sorted);
    assert!(ids.len() > 20);
}

/// The template limits are far above what the built-in templates need: on the example
/// register, each document's fuel, scaled to 50,000 risks, stays under half of
/// [`render::templates::FUEL`] and its size, scaled the same way, under a quarter of the
/// output cap (the page's head, its style sheet, is not scaled: it is the same at any size;
/// scaling the rest still overstates both). A template change that made the built-ins grow faster than the register
/// fails here before a large register fails in CI (docs/design.md has the measurements at
/// 50,000 risks).
#[test]
fn built_in_templates_stay_far_below_the_template_limits() {
    use airisk::render::templates::{FUEL, OUTPUT_CAP, render_metered};
    let dir = root().join("examples/acme-bank");
    let risks = load::load(&dir).expect("loads").register.risks.len() as u64;
    let scale = 50_000 / risks;
    for doc in documents(&dir, &["R-001"]) {
        for ext in ["md", "html"] {
            let r = render_metered(&doc, ext, &Default::default(), FUEL, OUTPUT_CAP)
                .unwrap_or_else(|e| panic!("{}.{ext}: {e:#}", doc.kind));
            assert!(r.fuel > 0, "fuel is counted");
            assert!(
                r.fuel * scale < FUEL / 2,
                "{}.{ext}: {} fuel for {risks} risks",
                doc.kind,
                r.fuel
            );
            // The page's head (the style sheet) is the same at any size: not scaled.
            let head = r.text.find("</head>").unwrap_or(0) as u64;
            assert!(
                (r.text.len() as u64 - head) * scale + head < OUTPUT_CAP as u64 / 4,
                "{}.{ext}: {} bytes for {risks} risks",
                doc.kind,
                r.text.len()
            );
            // With too little fuel the same document stops, naming its template.
            let e = render_metered(&doc, ext, &Default::default(), r.fuel / 2, OUTPUT_CAP)
                .err()
                .map(|e| format!("{e:#}"))
                .unwrap_or_default();
            assert!(
                e.contains(&format!("built-in template {}.{ext}", doc.kind))
                    && e.contains("did more work than any document needs"),
                "{e}"
            );
        }
    }
}

/// Every HTML document has one `<main>` landmark between its header and its footer; every
/// scrolling table area can be reached with the keyboard and is a named region (axe-core's
/// `scrollable-region-focusable` and `region`); printed, every page after the first is
/// headed with the document's title and commit and every page is numbered, with the text
/// escaped for the style sheet it sits in.
#[test]
fn html_is_navigable_and_prints_a_running_header_and_page_numbers() {
    let mut docs = documents(&root().join("examples/acme-bank"), &["R-001"]);
    docs.extend(documents(
        &root().join("tests/fixtures/hostile"),
        &["R-001", "A.2.2"],
    ));
    for (i, doc) in docs.iter_mut().enumerate() {
        if i % 2 == 0 {
            doc.control.commit = Some("0123456789abcdef0123456789abcdef01234567".into());
        }
        let html = render(doc, Format::Html, false);
        let kind = doc.kind;
        assert_eq!(html.matches("<main>").count(), 1, "{kind}");
        assert_eq!(html.matches("</main>").count(), 1, "{kind}");
        let (header, main, footer) = (
            html.find("</header>").expect("header"),
            html.find("<main>").expect("main"),
            html.find("<footer>").expect("footer"),
        );
        assert!(
            header < main && html.find("</main>").expect("end") < footer,
            "{kind}"
        );
        let mut regions = 0;
        for (at, _) in html.match_indices("<div class=\"scroll\"") {
            let tag = &html[at..at + html[at..].find('>').expect("tag end")];
            assert!(tag.contains(" tabindex=\"0\""), "{kind}: {tag}");
            assert!(tag.contains(" role=\"region\""), "{kind}: {tag}");
            let label = tag
                .split("aria-labelledby=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or_else(|| panic!("{kind}: no accessible name in {tag}"));
            assert!(
                html.contains(&format!("<h2 id=\"{label}\">")),
                "{kind}: {label} names no heading"
            );
            regions += 1;
        }
        assert!(regions > 0 || doc.sections.iter().all(|s| s.table.rows.is_empty()));

        let style =
            &html[html.find("<style>").expect("style")..html.find("</style>").expect("end")];
        let title = airisk::text::css_string(&doc.title);
        assert!(
            style.contains(&format!("@top-left {{ content: \"{title}\";")),
            "{kind}: no running title in\n{style}"
        );
        let right = match &doc.control.commit {
            Some(_) => format!(
                "@top-right {{ content: \"Commit 0123456789ab · as of {}",
                doc.control.as_of
            ),
            None => format!("@top-right {{ content: \"as of {}", doc.control.as_of),
        };
        assert!(style.contains(&right), "{kind}: {right} not in\n{style}");
        assert!(
            style.contains(
                r#"@bottom-right { content: "Page " counter(page) " of " counter(pages);"#
            ),
            "{kind}"
        );
        assert!(
            style.contains("@page :first { @top-left { content: none; }"),
            "{kind}"
        );
        // What the data puts in a CSS string stays in it: two quotes a line.
        for line in style
            .lines()
            .filter(|l| l.contains("content: \"") && !l.contains("counter("))
        {
            assert_eq!(line.matches('"').count(), 2, "{kind}: {line}");
        }
    }
    // A title that tries to end the string, the rule and the style element.
    let mut doc = docs.remove(0);
    doc.title = "x\"; } </style><script>alert(1)</script> {".into();
    doc.control.organisation = "Gipiškis & Co <b>".into();
    let html = render(&doc, Format::Html, false);
    assert_eq!(html.matches("</style>").count(), 1);
    assert!(!html.contains("<script"));
    assert!(html.contains("content: \"x\\000022\\00003B \\00007D \\00003C\\00002Fstyle\\00003E"));
    assert!(html.contains("@bottom-left { content: \"Gipiškis \\000026 Co \\00003Cb\\00003E\";"));
}
