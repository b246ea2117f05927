//! Markdown and HTML through minijinja templates. The defaults are embedded (`templates/` of
//! this repository); a register overrides any of them by putting a file of the same name in
//! its own `templates/` folder. Both go through one loader (the register's folder first), so
//! an override always wins. HTML templates are autoescaped by their name; markdown cells come
//! pre-escaped (`cell.md`, `text::markdown_cell`), and the `md` filter escapes anything else
//! (`text::markdown_text`, safe in a paragraph, a heading or a cell); the `css` filter
//! escapes text for a CSS string in a style sheet (`text::css_string`: the running header of
//! printed pages). Every value a template
//! prints passes the formatter, which shows control, bidirectional and invisible format
//! characters as `�` (`text::html_visible`) before autoescaping. A template is a program
//! from the register (a pull request can change it), so every render is bounded: [`FUEL`]
//! for its work and memory, [`OUTPUT_CAP`] for what it writes; past either the run stops
//! with an error naming the template.

use super::Options;
use crate::report::{Column, DocControl, Document, Value};
use crate::text::{css_string, html_visible, markdown_cell, markdown_text};
use anyhow::{Context, Result};
use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;
use std::collections::BTreeMap;

/// The built-in templates, by name.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "document.html",
        include_str!("../../templates/document.html"),
    ),
    ("document.md", include_str!("../../templates/document.md")),
    ("due.html", include_str!("../../templates/due.html")),
    ("due.md", include_str!("../../templates/due.md")),
    ("history.html", include_str!("../../templates/history.html")),
    ("matrix.html", include_str!("../../templates/matrix.html")),
    ("matrix.md", include_str!("../../templates/matrix.md")),
    ("monitor.html", include_str!("../../templates/monitor.html")),
    ("monitor.md", include_str!("../../templates/monitor.md")),
    (
        "obligations.html",
        include_str!("../../templates/obligations.html"),
    ),
    (
        "obligations.md",
        include_str!("../../templates/obligations.md"),
    ),
    (
        "register.html",
        include_str!("../../templates/register.html"),
    ),
    ("register.md", include_str!("../../templates/register.md")),
    ("report.html", include_str!("../../templates/report.html")),
    ("report.md", include_str!("../../templates/report.md")),
    ("show.html", include_str!("../../templates/show.html")),
    ("show.md", include_str!("../../templates/show.md")),
    ("soa.html", include_str!("../../templates/soa.html")),
    ("soa.md", include_str!("../../templates/soa.md")),
];

#[derive(Serialize)]
struct View<'a> {
    doc: DocView<'a>,
}

#[derive(Serialize)]
struct DocView<'a> {
    kind: &'a str,
    title: &'a str,
    control: &'a DocControl,
    summary: Vec<FigureView<'a>>,
    notes: &'a [String],
    sections: Vec<SectionView<'a>>,
}

#[derive(Serialize)]
struct SectionView<'a> {
    id: &'a str,
    title: &'a str,
    note: Option<&'a str>,
    columns: &'a [Column],
    rows: Vec<Vec<CellView>>,
}

/// A key figure as templates see it: its label and its amount as text (`22`, `21 of 33`).
#[derive(Serialize)]
struct FigureView<'a> {
    label: &'a str,
    value: String,
}

/// A cell as templates see it: its text (HTML templates escape it), the same text escaped
/// for a markdown table, its colour band and level, and whether it is a number.
#[derive(Serialize)]
struct CellView {
    text: String,
    md: String,
    band: Option<String>,
    level: Option<String>,
    num: bool,
    /// The column holds long text that may wrap; others keep ids and dates on one line.
    wrap: bool,
    /// The items of a list value, so HTML can wrap between items and never inside one.
    items: Option<Vec<String>>,
    /// The level name to show before the value (tables that show level names).
    label: Option<String>,
    /// The number of items a list cell shows instead of its items (the heat map); the items
    /// are still in `items`, for HTML to list under the number.
    count: Option<usize>,
}

fn view(doc: &Document) -> View<'_> {
    View {
        doc: DocView {
            kind: doc.kind,
            title: &doc.title,
            control: &doc.control,
            summary: doc
                .summary
                .iter()
                .map(|f| FigureView {
                    label: &f.label,
                    value: f.text_value(),
                })
                .collect(),
            notes: &doc.notes,
            sections: doc
                .sections
                .iter()
                .map(|s| SectionView {
                    id: &s.id,
                    title: &s.title,
                    note: s.note.as_deref(),
                    columns: &s.table.columns,
                    rows: s
                        .table
                        .rows
                        .iter()
                        .map(|row| {
                            row.iter()
                                .zip(s.table.columns.iter())
                                .map(|(c, col)| {
                                    let text = s.table.text(c);
                                    let items = match &c.value {
                                        Value::List(l) => Some(l.clone()),
                                        _ => None,
                                    };
                                    let label = c
                                        .level
                                        .as_ref()
                                        .filter(|_| s.table.level_names)
                                        .map(|l| l.name.clone());
                                    CellView {
                                        md: markdown_cell(&text),
                                        text,
                                        band: c.level.as_ref().map(|l| l.band.clone()),
                                        level: c.level.as_ref().map(|l| l.name.clone()),
                                        num: matches!(c.value, Value::Int(_) | Value::Decimal(_)),
                                        wrap: col.wide,
                                        items,
                                        label,
                                        count: s.table.count(c),
                                    }
                                })
                                .collect()
                        })
                        .collect(),
                })
                .collect(),
        },
    }
}

/// The template environment: the register's templates first, the built-in ones second.
pub fn environment(opts: &Options) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_fuel(Some(FUEL));
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .expect("a valid syntax configuration"),
    );
    let defaults: BTreeMap<&str, &str> = DEFAULTS.iter().copied().collect();
    // Looked up by name only: a template can reach no file but the register's templates
    // and the built-in ones (`../x` and absolute paths are names no template has).
    let user = opts.templates.clone();
    env.set_loader(move |name| {
        if let Some(bytes) = user.get(name) {
            return match std::str::from_utf8(bytes) {
                Ok(text) => Ok(Some(minijinja::TemplateSource::new(text.to_owned()))),
                Err(e) => Err(minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    format!("templates/{name} is not UTF-8 text ({e})"),
                )),
            };
        }
        Ok(defaults
            .get(name)
            .map(|s| minijinja::TemplateSource::new(*s)))
    });
    env.add_filter("md", |s: String| markdown_text(&s));
    // For the inside of a "…" string in a style sheet (the printed page's running header):
    // escaped for CSS, and therefore not for HTML, which decodes nothing inside `<style>`.
    env.add_filter("css", |s: String| {
        minijinja::Value::from_safe_string(css_string(&s))
    });
    env.set_formatter(|out, state, value| {
        if let Some(s) = value.as_str()
            && let std::borrow::Cow::Owned(shown) = html_visible(s)
        {
            let shown = if value.is_safe() {
                minijinja::Value::from_safe_string(shown)
            } else {
                minijinja::Value::from(shown)
            };
            return minijinja::escape_formatter(out, state, &shown);
        }
        minijinja::escape_formatter(out, state, value)
    });
    env
}

/// The work one render may do, in minijinja's fuel: one unit per instruction and one per 64
/// bytes of data the template makes or writes, so it bounds both time and memory (about 64
/// bytes a unit). The built-in templates burn at most 24.4 million at 50,000 risks (the
/// register of every risk as HTML; the governance report 8.5 million; docs/design.md has
/// the measurements): this is four times the largest, and a template that loops without
/// end stops within seconds, having made at most 6.4 GB of data.
pub const FUEL: u64 = 100_000_000;

/// The most bytes one render may write: ten times the largest built-in document at 50,000
/// risks (the register of every risk as HTML, 26.5 MB).
pub const OUTPUT_CAP: usize = 256 << 20;

/// A rendered template and the fuel it burnt.
pub struct Rendered {
    pub text: String,
    pub fuel: u64,
}

/// Renders `doc` with the template `<kind>.<ext>`.
pub fn render(doc: &Document, ext: &str, opts: &Options) -> Result<String> {
    Ok(render_metered(doc, ext, opts, FUEL, OUTPUT_CAP)?.text)
}

/// [`render`] within `fuel` and `cap` bytes of output: past either, an error naming the
/// template (exit 2), and nothing of its output.
pub fn render_metered(
    doc: &Document,
    ext: &str,
    opts: &Options,
    fuel: u64,
    cap: usize,
) -> Result<Rendered> {
    let mut env = environment(opts);
    env.set_fuel(Some(fuel));
    let name = format!("{}.{ext}", doc.kind);
    let overridden = opts.templates.contains_key(&name);
    let origin = if overridden {
        format!("templates/{name} of the register")
    } else {
        format!("built-in template {name}")
    };
    let template = env
        .get_template(&name)
        .with_context(|| format!("cannot load the {origin}"))?;
    let mut out = Capped {
        bytes: Vec::new(),
        cap,
        over: false,
    };
    let rendered = template.render_captured_to(minijinja::value::Serde(view(doc)), &mut out);
    let used = match rendered {
        Ok(c) => c.state().fuel_levels().map_or(0, |(used, _)| used),
        Err(_) if out.over => anyhow::bail!(
            "cannot render the {origin}: it wrote more than {} MiB, the limit of one document (a loop without end?)",
            cap >> 20
        ),
        Err(e) if e.kind() == minijinja::ErrorKind::OutOfFuel => anyhow::bail!(
            "cannot render the {origin}: it did more work than any document needs (more than {fuel} steps; a loop without end?): {}",
            template_error(&e)
        ),
        Err(e) => anyhow::bail!("cannot render the {origin}: {}", template_error(&e)),
    };
    let text = String::from_utf8(out.bytes).map_err(|_| {
        anyhow::anyhow!("cannot render the {origin}: it wrote text that is not UTF-8")
    })?;
    // Exactly one newline at the end, however the template ends.
    Ok(Rendered {
        text: format!("{}\n", text.trim_end()),
        fuel: used,
    })
}

/// Collects a template's output up to `cap` bytes; past it, every write fails, which stops
/// the render.
struct Capped {
    bytes: Vec<u8>,
    cap: usize,
    over: bool,
}

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.over || self.bytes.len().saturating_add(buf.len()) > self.cap {
            self.over = true;
            return Err(std::io::Error::other("the output limit is reached"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A template error with its file and line, and the chain of causes.
fn template_error(e: &minijinja::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(&format!(": {s}"));
        source = s.source();
    }
    msg
}
