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
use crate::report::{Cell, Column, DocControl, Document, Section, Value};
use crate::text::{css_string, html_visible, markdown_cell, markdown_text};
use anyhow::{Context, Result};
use minijinja::{Environment, UndefinedBehavior, Value as MjValue};
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
    ("rows.html", include_str!("../../templates/rows.html")),
    ("rows.md", include_str!("../../templates/rows.md")),
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
    /// A sequence of rows, each a sequence of [`CellView`] objects: passed through to the
    /// template as it is (minijinja does not copy a value it serializes into itself).
    rows: MjValue,
    /// The rows already rendered by the row template (`rows.<ext>`), in pieces on every
    /// core: only when every template of the document is built in ([`splittable`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<MjValue>,
}

/// A key figure as templates see it: its label and its amount as text (`22`, `21 of 33`).
#[derive(Serialize)]
struct FigureView<'a> {
    label: &'a str,
    value: String,
}

/// A cell as templates see it: its text (HTML templates escape it), the same text escaped
/// for a markdown table (`md`), its colour band and level, and whether it is a number.
///
/// A template sees it as a map of these fields, in the order [`CELL_FIELDS`] gives. It is
/// handed over as a minijinja object, not serialized: a register of 50,000 risks has a
/// million cells, and a map value of each (nine keys and values) took more time and memory
/// than the rest of the render; `md` is made from `text` when a template asks for it (the
/// markdown templates do, the HTML ones do not).
#[derive(Debug)]
struct CellView {
    text: String,
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

/// The fields of a [`CellView`], in the order a template enumerates them.
const CELL_FIELDS: &[&str] = &[
    "text", "md", "band", "level", "num", "wrap", "items", "label", "count",
];

impl minijinja::value::Object for CellView {
    fn repr(self: &std::sync::Arc<Self>) -> minijinja::value::ObjectRepr {
        minijinja::value::ObjectRepr::Map
    }

    fn get_value(self: &std::sync::Arc<Self>, key: &MjValue) -> Option<MjValue> {
        Some(match key.as_str()? {
            "text" => MjValue::from(self.text.as_str()),
            "md" => MjValue::from(markdown_cell(&self.text)),
            "band" => MjValue::from(self.band.as_deref()),
            "level" => MjValue::from(self.level.as_deref()),
            "num" => MjValue::from(self.num),
            "wrap" => MjValue::from(self.wrap),
            "items" => MjValue::from(minijinja::value::Serde(&self.items)),
            "label" => MjValue::from(self.label.as_deref()),
            "count" => MjValue::from(self.count),
            _ => return None,
        })
    }

    fn enumerate(self: &std::sync::Arc<Self>) -> minijinja::value::Enumerator {
        minijinja::value::Enumerator::Str(CELL_FIELDS)
    }
}

/// The view of `doc`, with each section's rows (and, rendered, its body) as `prepared`
/// holds them, in the order of the sections.
fn view(doc: &Document, prepared: Vec<(MjValue, Option<MjValue>)>) -> View<'_> {
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
                .zip(prepared)
                .map(|(s, p)| SectionView {
                    id: &s.id,
                    title: &s.title,
                    note: s.note.as_deref(),
                    columns: &s.table.columns,
                    rows: p.0,
                    body: p.1,
                })
                .collect(),
        },
    }
}

/// A section's rows as the template sees them, and its body when it was rendered ahead.
struct Prepared {
    rows: MjValue,
    /// What the template prints for the body: its mark.
    body: Option<MjValue>,
    /// The mark and the body that takes its place.
    text: Option<(String, String)>,
}

/// The rows of `s` a template sees: each a sequence of [`CellView`] objects.
fn row_values(s: &Section, rows: &[Vec<Cell>]) -> Vec<MjValue> {
    rows.iter()
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
                    MjValue::from_object(CellView {
                        text,
                        band: c.level.as_ref().map(|l| l.band.clone()),
                        level: c.level.as_ref().map(|l| l.name.clone()),
                        num: matches!(c.value, Value::Int(_) | Value::Decimal(_)),
                        wrap: col.wide,
                        items,
                        label,
                        count: s.table.count(c),
                    })
                })
                .collect::<Vec<MjValue>>()
                .into()
        })
        .collect()
}

/// The rows of a table rendered (and their views made) in one piece on one core: a large
/// register's table is rendered [`CHUNK`] rows at a time on every core, the pieces joined
/// in order.
pub const CHUNK: usize = 1024;

/// Whether every template a render of `kind` as `ext` can load is built in, and its kind's
/// template is the shared layout (`document.<ext>`), which prints a section's `body` when
/// there is one: then the rows are rendered ahead, in pieces on every core, by the built-in
/// row template. A register's own template could keep state from one row to the next (a
/// `loop.index`, a namespace), which pieces would each start afresh: with any of them
/// overridden, the document renders in one piece, as its templates say.
fn splittable(kind: &str, ext: &str, opts: &Options) -> bool {
    let overridden = ["base", kind, "document", "rows"]
        .iter()
        .any(|name| opts.templates.contains_key(&format!("{name}.{ext}")));
    let layout = format!("{{% extends \"document.{ext}\" %}}");
    let extends = DEFAULTS
        .iter()
        .find(|(name, _)| *name == format!("{kind}.{ext}"))
        .is_some_and(|(_, text)| text.starts_with(&layout));
    !overridden && extends
}

/// What the pieces of a render have used of its limits so far: fuel and bytes.
#[derive(Default)]
struct Spent {
    fuel: std::sync::atomic::AtomicU64,
    bytes: std::sync::atomic::AtomicUsize,
}

/// The sections of `doc` ready for the template: with `split`, every section's rows are
/// rendered ahead, [`CHUNK`] at a time on every core, through the row template, within
/// the render's limits (`fuel`, `cap`: what the pieces use counts towards them, and a
/// piece starts only while some is left, so a runaway row template stops after at most
/// one piece per core past the limit); without, the rows alone, their views made on every
/// core.
fn prepare(
    doc: &Document,
    env: &Environment<'static>,
    ext: &str,
    split: bool,
    limits: (u64, usize),
    spent: &Spent,
    marks: &str,
) -> std::result::Result<Vec<Prepared>, Stop> {
    use rayon::prelude::*;
    use std::sync::atomic::Ordering::Relaxed;
    let (fuel, cap) = limits;
    let piece = if split {
        Some(
            env.get_template(&format!("rows.{ext}"))
                .map_err(Stop::Error)?,
        )
    } else {
        None
    };
    let mut out = Vec::with_capacity(doc.sections.len());
    for s in &doc.sections {
        let pieces: Vec<(Vec<MjValue>, Option<String>)> = s
            .table
            .rows
            .par_chunks(CHUNK)
            .map(|chunk| {
                let rows = row_values(s, chunk);
                let Some(piece) = &piece else {
                    return Ok((rows, None));
                };
                if spent.fuel.load(Relaxed) > fuel {
                    return Err(Stop::Fuel(None));
                }
                if spent.bytes.load(Relaxed) > cap {
                    return Err(Stop::Over);
                }
                // The built-in row template's macro, called with the piece's rows: what it
                // makes is charged to the fuel once (printing it would charge it again).
                let called = piece.render_captured(()).and_then(|mut done| {
                    done.with_state_mut(|state| {
                        let text = state.call_macro("rows", &[MjValue::from(rows.clone())])?;
                        Ok((text, state.fuel_levels().map_or(0, |(used, _)| used)))
                    })
                });
                let (text, used) = match called {
                    Ok(done) => done,
                    Err(e) if e.kind() == minijinja::ErrorKind::OutOfFuel => {
                        return Err(Stop::Fuel(Some(e)));
                    }
                    Err(e) => return Err(Stop::Error(e)),
                };
                if spent.fuel.fetch_add(used, Relaxed) + used > fuel {
                    return Err(Stop::Fuel(None));
                }
                if spent.bytes.fetch_add(text.len(), Relaxed) + text.len() > cap {
                    return Err(Stop::Over);
                }
                Ok((rows, Some(text)))
            })
            .collect::<std::result::Result<_, Stop>>()?;
        let mut rows = Vec::with_capacity(s.table.rows.len());
        let mut body = piece.as_ref().map(|_| String::new());
        for (r, text) in pieces {
            rows.extend(r);
            if let (Some(body), Some(text)) = (&mut body, text) {
                body.push_str(&text);
            }
        }
        // The template prints a mark where the body goes; the body is put in its place
        // after the render ([`splice`]), so the rows are not copied through the engine once more.
        // Ended by `-`, so no section's mark starts another's (`-1-`, `-10-`).
        let mark = body.map(|text| (format!("{marks}-{}-", out.len()), text));
        out.push(Prepared {
            rows: rows.into(),
            body: mark
                .as_ref()
                .map(|(mark, _)| MjValue::from_safe_string(mark.clone())),
            text: mark,
        });
    }
    Ok(out)
}

/// Why rendering the rows ahead stopped.
enum Stop {
    /// Out of fuel: in a piece (its error), or the pieces together.
    Fuel(Option<minijinja::Error>),
    /// Past the output cap.
    Over,
    Error(minijinja::Error),
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

/// [`environment`] with the templates of the built-in names compiled (the register's own
/// where it overrides one), made once per [`Options`]: a copy of it shares the compiled
/// templates. A template that does not compile is left out here and fails again, with the
/// same error, in the render that loads it; a register's template of another name (one its
/// templates include) is compiled by each render that loads it, as before.
fn compiled(opts: &Options) -> &Environment<'static> {
    opts.compiled.0.get_or_init(|| {
        let env = environment(opts);
        for (name, _) in DEFAULTS {
            let _ = env.get_template(name);
        }
        env
    })
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
    let mut env = compiled(opts).clone();
    env.set_fuel(Some(fuel));
    let name = format!("{}.{ext}", doc.kind);
    let overridden = opts.templates.contains_key(&name);
    let origin = if overridden {
        format!("templates/{name} of the register")
    } else {
        format!("built-in template {name}")
    };
    env.get_template(&name)
        .with_context(|| format!("cannot load the {origin}"))?;
    let fuel_error = |e: Option<&minijinja::Error>| {
        let cause = e.map_or_else(|| "the rows' pieces together".to_string(), template_error);
        anyhow::anyhow!(
            "cannot render the {origin}: it did more work than any document needs (more than {fuel} steps; a loop without end?): {cause}"
        )
    };
    let over_error = || {
        anyhow::anyhow!(
            "cannot render the {origin}: it wrote more than {} MiB, the limit of one document (a loop without end?)",
            cap >> 20
        )
    };
    let spent = Spent::default();
    let split = splittable(doc.kind, ext, opts);
    let marks = mark_prefix();
    let prepared =
        prepare(doc, &env, ext, split, (fuel, cap), &spent, &marks).map_err(|stop| match stop {
            Stop::Fuel(e) => fuel_error(e.as_ref()),
            Stop::Over => over_error(),
            Stop::Error(e) => anyhow::anyhow!("cannot render the {origin}: {}", template_error(&e)),
        })?;
    let ahead = spent.fuel.into_inner();
    // The rest of the render has what the pieces left.
    env.set_fuel(Some(fuel - ahead));
    let template = env
        .get_template(&name)
        .with_context(|| format!("cannot load the {origin}"))?;
    let mut out = Capped {
        bytes: Vec::new(),
        cap,
        over: false,
    };
    let (values, bodies): (Vec<_>, Vec<_>) = prepared
        .into_iter()
        .map(|p| ((p.rows, p.body), p.text))
        .unzip();
    let rendered =
        template.render_captured_to(minijinja::value::Serde(view(doc, values)), &mut out);
    let used = match rendered {
        Ok(c) => ahead + c.state().fuel_levels().map_or(0, |(used, _)| used),
        Err(_) if out.over => return Err(over_error()),
        Err(e) if e.kind() == minijinja::ErrorKind::OutOfFuel => return Err(fuel_error(Some(&e))),
        Err(e) => anyhow::bail!("cannot render the {origin}: {}", template_error(&e)),
    };
    let text = String::from_utf8(out.bytes).map_err(|_| {
        anyhow::anyhow!("cannot render the {origin}: it wrote text that is not UTF-8")
    })?;
    let text = splice(&text, bodies.into_iter().flatten());
    // The newline `splice` ends the text with is not the template's: a render of exactly
    // `cap` bytes fits, as it did before the rows were spliced in.
    if text.len() - 1 > cap {
        return Err(over_error());
    }
    Ok(Rendered { text, fuel: used })
}

/// The first part of the marks a render's template prints where a body goes: random for
/// each render (std's hash keys), so no register text can print one.
fn mark_prefix() -> String {
    use std::hash::{BuildHasher, Hasher};
    let key = |n: u64| {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(n);
        h.finish()
    };
    format!("airisk-rows-{:016x}{:016x}", key(1), key(2))
}

/// `text` with each mark replaced by its body, in order, and exactly one newline at the
/// end, however the template ends. A mark is printed once where its section has rows and
/// not at all where it has none (its body is empty then).
fn splice(text: &str, bodies: impl Iterator<Item = (String, String)>) -> String {
    let bodies: Vec<(String, String)> = bodies.collect();
    let size = text.len() + bodies.iter().map(|(_, b)| b.len()).sum::<usize>() + 1;
    let mut out = String::with_capacity(size);
    let mut rest = text;
    for (mark, body) in &bodies {
        match rest.find(mark.as_str()) {
            Some(at) => {
                out.push_str(&rest[..at]);
                out.push_str(body);
                rest = &rest[at + mark.len()..];
            }
            None => assert!(
                body.is_empty(),
                "a built-in template printed no mark for a section's rows"
            ),
        }
    }
    out.push_str(rest);
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::value::Serde;

    /// A cell as the view serialized it before cells became objects.
    #[derive(Serialize)]
    struct Serialized {
        text: String,
        md: String,
        band: Option<String>,
        level: Option<String>,
        num: bool,
        wrap: bool,
        items: Option<Vec<String>>,
        label: Option<String>,
        count: Option<usize>,
    }

    fn cells() -> Vec<(Serialized, CellView)> {
        let texts = ["R-1 | <b>\n`x`", "", "a, b"];
        let mut out = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            let some = |s: &str| (i % 2 == 0).then(|| s.to_string());
            let items = match i {
                0 => Some(vec!["a".to_string(), "<b>".into()]),
                1 => Some(vec![]),
                _ => None,
            };
            let count = (i == 0).then_some(2);
            out.push((
                Serialized {
                    text: text.to_string(),
                    md: markdown_cell(text),
                    band: some("l2"),
                    level: some("high"),
                    num: i == 1,
                    wrap: i == 2,
                    items: items.clone(),
                    label: some("high"),
                    count,
                },
                CellView {
                    text: text.to_string(),
                    band: some("l2"),
                    level: some("high"),
                    num: i == 1,
                    wrap: i == 2,
                    items,
                    label: some("high"),
                    count,
                },
            ));
        }
        out
    }

    #[test]
    fn a_cell_object_is_to_a_template_what_the_serialized_cell_was() {
        let env = Environment::new();
        let template = "{{ c }}|{{ c|length }}|{% for k in c %}{{ k }}={{ c[k] }};{% endfor %}|\
            {{ c|dictsort }}|{{ c.items is none }}|{{ c.count is not none }}|{{ c.band or '' }}|\
            {{ c.md }}|{{ c.nothing is undefined }}|{{ c['text'] }}|{{ c|items|list }}";
        for (old, new) in cells() {
            let before = env
                .render_str(
                    template,
                    minijinja::context! { c => MjValue::from(Serde(&old)) },
                )
                .expect("renders");
            let after = env
                .render_str(
                    template,
                    minijinja::context! { c => MjValue::from_object(new) },
                )
                .expect("renders");
            assert_eq!(after, before);
            assert!(before.contains(&old.md), "{before}");
        }
    }

    /// A register document of `n` rows, with every kind of cell the row templates print
    /// (lists, counts, level names, numbers, nulls) and hostile text, in two sections (the
    /// second empty), and a table of level names as the heat map has.
    fn document(n: usize, counts: bool) -> Document {
        use crate::report::{Column, LevelTag, Table};
        let tag = |i: usize| LevelTag {
            name: format!("level {i}"),
            rank: i % 5,
            of: 5,
            band: format!("l{}", i % 5),
        };
        let rows = (0..n)
            .map(|i| {
                vec![
                    Cell::text(format!("R-{i}")),
                    Cell::text(format!("<!-- {i} @someone\n| `x` \u{1b}[31m & \u{202e}")),
                    Cell::list((0..i % 3).map(|k| format!("S-{k} <b>"))),
                    Cell::int(i as i64).with_level(Some(tag(i))),
                    Cell::null(),
                    Cell::list(["a", "b"]).with_level((i % 2 == 0).then(|| tag(i + 1))),
                ]
            })
            .collect();
        let columns = vec![
            Column::new("id", "ID"),
            Column::wide("title", "Title <&>"),
            Column::new("systems", "Systems"),
            Column::new("score", "Score"),
            Column::new("nothing", "Nothing"),
            Column::new("pair", "Pair"),
        ];
        let mut table = Table::new(columns.clone(), rows);
        table.counts = counts;
        table.level_names = counts;
        Document {
            kind: "register",
            title: "Risk register".into(),
            control: DocControl::default(),
            summary: Vec::new(),
            sections: vec![
                Section {
                    id: "risks".into(),
                    title: "Risks".into(),
                    note: None,
                    table,
                },
                Section {
                    id: "none".into(),
                    title: "None".into(),
                    note: Some("empty".into()),
                    table: Table::new(columns, Vec::new()),
                },
            ],
            notes: Vec::new(),
            detail: Default::default(),
        }
    }

    /// The row loop of the built-in row template, and `document.<ext>` with that loop
    /// written in place of its rows' line, as document.html was before the rows had their
    /// own template: a register's own `document.<ext>`, rendered in one piece.
    fn inline_layout(ext: &str) -> Vec<u8> {
        let find = |name: &str| {
            DEFAULTS
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| *t)
                .expect("a built-in template")
        };
        let rows = find(&format!("rows.{ext}"));
        let start = rows.find("{% for row in rows %}").expect("the loop");
        let end = rows.find("{% endmacro %}").expect("the macro's end");
        let looped = rows[start..end].replace("in rows %}", "in s.rows %}");
        let layout = find(&format!("document.{ext}"));
        let line = "{{ s.body if s.body is defined else rows(s.rows) }}";
        assert!(layout.contains(line));
        layout.replace(line, &looped).into_bytes()
    }

    fn with(name: &str, text: Vec<u8>) -> Options {
        Options {
            templates: BTreeMap::from([(name.to_string(), text)]),
            ..Default::default()
        }
    }

    #[test]
    fn rows_rendered_in_pieces_join_to_the_render_in_one_piece() {
        for n in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 1] {
            for counts in [false, true] {
                let doc = document(n, counts);
                for ext in ["md", "html"] {
                    assert!(splittable("register", ext, &Options::default()));
                    let pieces = render_metered(&doc, ext, &Options::default(), FUEL, OUTPUT_CAP)
                        .expect("renders");
                    let inline = with(&format!("document.{ext}"), inline_layout(ext));
                    assert!(!splittable("register", ext, &inline));
                    let one =
                        render_metered(&doc, ext, &inline, FUEL, OUTPUT_CAP).expect("renders");
                    assert_eq!(pieces.text, one.text, "{n} rows as {ext}");
                    // The same row template, from the register: one piece, the same text.
                    let rows = DEFAULTS
                        .iter()
                        .find(|(name, _)| *name == format!("rows.{ext}"))
                        .map(|(_, t)| t.as_bytes().to_vec())
                        .expect("built in");
                    let own = with(&format!("rows.{ext}"), rows);
                    let mine = render(&doc, ext, &own).expect("renders");
                    assert_eq!(pieces.text, mine, "{n} rows as {ext}");
                    assert_eq!(pieces.text.matches("airisk-rows-").count(), 0);
                    assert_eq!(pieces.text.matches("R-").count(), n);
                    // The pieces cost what the loop in one piece did, and a little for each.
                    let each = n.div_ceil(CHUNK) as u64;
                    assert!(
                        pieces.fuel <= one.fuel + 40 * each + 40,
                        "{n} rows as {ext}: {} against {}",
                        pieces.fuel,
                        one.fuel
                    );
                }
            }
        }
    }

    #[test]
    fn a_registers_row_template_is_rendered_in_one_piece() {
        // A template that counts its rows: in pieces, each would count from 1.
        let counting = b"{% macro rows(rows) %}{% for row in rows %}{{ loop.index }};{% endfor %}{% endmacro %}";
        let doc = document(CHUNK + 2, false);
        let text = render(&doc, "html", &with("rows.html", counting.to_vec())).expect("renders");
        let numbers: String = (1..=CHUNK + 2).map(|i| format!("{i};")).collect();
        assert!(text.contains(&numbers));
        // Any template of the document from the register: the same.
        for name in ["base.html", "document.html", "register.html"] {
            assert!(!splittable("register", "html", &with(name, Vec::new())));
        }
        // Other documents' templates do not matter; a kind whose template is not the
        // shared layout is never split.
        assert!(splittable(
            "register",
            "html",
            &with("soa.html", Vec::new())
        ));
        assert!(!splittable("report", "html", &Options::default()));
    }

    #[test]
    fn one_options_compiles_its_templates_once_and_renders_every_document_alike() {
        use rayon::prelude::*;
        let doc = document(CHUNK + 2, false);
        for opts in [
            Options::default(),
            with(
                "register.html",
                b"{{ doc.title }}|{{ doc.sections | length }}".to_vec(),
            ),
        ] {
            let fresh = |_: ()| render(&doc, "html", &opts.clone()).expect("renders");
            // A fresh copy of the options (nothing compiled yet) renders what the first,
            // second and a parallel render of the same options render.
            assert!(opts.compiled.0.get().is_none());
            let first = render(&doc, "html", &opts).expect("renders");
            assert!(opts.compiled.0.get().is_some());
            assert!(opts.clone().compiled.0.get().is_none());
            let again = render(&doc, "html", &opts).expect("renders");
            assert_eq!(first, again);
            assert_eq!(first, fresh(()));
            let many: Vec<String> = (0..4)
                .into_par_iter()
                .map(|_| render(&doc, "html", &opts).expect("renders"))
                .collect();
            assert!(many.iter().all(|t| *t == first));
        }
        // A register's template that does not compile fails every render, the same way.
        let broken = with("register.html", b"{% for x in %}".to_vec());
        let errors: Vec<String> = (0..2)
            .map(|_| format!("{:#}", render(&doc, "html", &broken).expect_err("fails")))
            .collect();
        assert_eq!(errors[0], errors[1]);
        assert!(
            errors[0].contains("templates/register.html"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn pieces_out_of_fuel_or_room_stop_as_the_render_in_one_piece_does() {
        let doc = document(3 * CHUNK, false);
        for ext in ["md", "html"] {
            let inline = with(&format!("document.{ext}"), inline_layout(ext));
            let full = render_metered(&doc, ext, &inline, FUEL, OUTPUT_CAP).expect("renders");
            let message = |opts: &Options, fuel: u64, cap: usize| {
                render_metered(&doc, ext, opts, fuel, cap)
                    .err()
                    .map(|e| format!("{e:#}"))
                    .expect("stops")
            };
            let prefix = |e: &str| e[..e.find("):").map_or(e.len(), |i| i + 2)].to_string();
            let split =
                render_metered(&doc, ext, &Options::default(), FUEL, OUTPUT_CAP).expect("renders");
            // Too little fuel for the first piece, for all of them, for the page around them.
            for fuel in [10, full.fuel / 2, full.fuel.min(split.fuel) - 1] {
                let pieces = message(&Options::default(), fuel, OUTPUT_CAP);
                let one = message(&inline, fuel, OUTPUT_CAP);
                assert_eq!(prefix(&pieces), prefix(&one), "{fuel}");
                assert!(
                    pieces.starts_with(&format!(
                        "cannot render the built-in template register.{ext}: it did more work than any document needs (more than {fuel} steps"
                    )),
                    "{pieces}"
                );
            }
            // Too little room for the rows, or for the whole page.
            for cap in [100, full.text.len() / 2, full.text.len() - 2] {
                let pieces = message(&Options::default(), FUEL, cap);
                assert_eq!(pieces, message(&inline, FUEL, cap));
                assert!(pieces.contains("the limit of one document"), "{pieces}");
            }
        }
    }

    #[test]
    fn each_sections_rows_go_in_its_place_among_empty_sections() {
        // Twelve sections, only some with rows: a section's mark is printed only when it
        // has rows, and no mark may be taken for another's (`…-1-` and `…-10-`).
        let mut doc = document(3, false);
        let full = doc.sections[0].clone();
        let empty = doc.sections[1].clone();
        doc.sections = (0..12)
            .map(|i| {
                let mut s = if [3, 10, 11].contains(&i) {
                    full.clone()
                } else {
                    empty.clone()
                };
                s.id = format!("s{i}");
                s.table.rows.iter_mut().for_each(|r| {
                    r[0] = Cell::text(format!("row of {i}"));
                });
                s
            })
            .collect();
        for ext in ["md", "html"] {
            let inline = with(&format!("document.{ext}"), inline_layout(ext));
            let one = render(&doc, ext, &inline).expect("renders");
            let pieces = render(&doc, ext, &Options::default()).expect("renders");
            assert_eq!(pieces, one);
            let at = |i: usize| pieces.find(&format!("row of {i}")).expect("its rows");
            assert!(at(3) < at(10) && at(10) < at(11));
        }
    }
}
