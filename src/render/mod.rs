//! Renderers: a [`Document`] into a terminal table, markdown, CSV, JSON or HTML. Markdown and
//! HTML go through minijinja templates embedded in the binary and overridable file by file
//! from the register's `templates/` folder; the others are code. A history and a diff show
//! themselves their own way for the terminal, markdown and JSON (`history`, `diff`: their
//! document's [`Detail`]); their other formats are those of every document. Every renderer
//! escapes register text for its format (`text` has the rules) and is deterministic. No
//! renderer lives outside this folder (but the emitters of findings, `diag`).

pub mod changes;
pub mod codeowners;
pub mod content;
pub mod csv;
pub mod diff;
pub mod history;
pub mod json;
pub mod layout;
pub mod pack;
pub mod table;
pub mod taxonomy;
pub mod templates;
pub mod xlsx;

use crate::report::{Detail, Document};
use anyhow::Result;
use std::collections::BTreeMap;

/// The formats a document renders to. The command line offers them through its own enum
/// (`commands::DocFormat`), so this layer knows nothing of argument parsing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A table for the terminal (coloured by level on a terminal only).
    Table,
    /// GitHub-flavoured markdown.
    Markdown,
    /// One CSV table (spreadsheet-safe).
    Csv,
    /// One versioned JSON document.
    Json,
    /// One self-contained HTML file that prints on A4.
    Html,
    /// A workbook (binary: [`render_bytes`]).
    Xlsx,
}

/// How to render.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Colour (terminal tables only).
    pub color: bool,
    /// Terminal width to fit tables to; `None`: do not wrap.
    pub width: Option<u16>,
    /// The files of the register's `templates/` folder, by name inside it (`soa.md`), read
    /// from the same tree as the register (with `--at`, the revision's).
    pub templates: BTreeMap<String, Vec<u8>>,
    /// The template environment made from `templates`, every template compiled, on the
    /// first render with these options; each render takes a copy of it (its own fuel), so a
    /// run that renders many documents (the audit pack's 100,000 histories) compiles the
    /// templates once. Set `templates` before the first render and do not change it after.
    pub compiled: Compiled,
}

/// [`Options::compiled`]: a copy of the options starts with nothing compiled, so a copy
/// whose `templates` are then changed never renders with the templates of the original.
#[derive(Debug, Default)]
pub struct Compiled(pub(crate) std::sync::OnceLock<minijinja::Environment<'static>>);

impl Clone for Compiled {
    fn clone(&self) -> Self {
        Compiled::default()
    }
}

/// The UTF-8 byte order mark `--bom` puts first, so Excel (and LibreOffice's defaults) read
/// a CSV file as UTF-8 rather than as the system's legacy code page.
pub const BOM: &str = "\u{feff}";

/// `bytes` rendered as `format`, with a byte order mark first when `bom` asks for one: for
/// CSV only (a usage error otherwise).
pub fn bom(bom: bool, format: Format, bytes: Vec<u8>) -> Result<Vec<u8>> {
    match (bom, format) {
        (false, _) => Ok(bytes),
        (true, Format::Csv) => Ok([BOM.as_bytes(), &bytes].concat()),
        (true, _) => {
            anyhow::bail!("--bom is for --format csv: it marks a CSV file as UTF-8 for Excel")
        }
    }
}

/// `doc` as `format`, as bytes: the text formats as UTF-8, XLSX as a workbook.
pub fn render_bytes(doc: &Document, format: Format, opts: &Options) -> Result<Vec<u8>> {
    match format {
        Format::Xlsx => xlsx::render(doc),
        _ => Ok(render(doc, format, opts)?.into_bytes()),
    }
}

/// `doc` as a text format (XLSX is binary: [`render_bytes`]).
pub fn render(doc: &Document, format: Format, opts: &Options) -> Result<String> {
    match (&doc.detail, format) {
        (Detail::History(h), Format::Table) => return Ok(history::text(h)),
        (Detail::History(h), Format::Markdown) => return Ok(history::markdown(h)),
        (Detail::History(h), Format::Json) => return history::json(h),
        (Detail::Diff(d), Format::Table) => return Ok(diff::text(d)),
        (Detail::Diff(d), Format::Markdown) => return Ok(diff::markdown(d)),
        (Detail::Diff(d), Format::Json) => return diff::json(d),
        _ => {}
    }
    match format {
        Format::Table => Ok(table::render(doc, opts)),
        Format::Csv => csv::render(doc),
        Format::Json => json::render(doc),
        Format::Markdown => templates::render(doc, "md", opts),
        Format::Html => templates::render(doc, "html", opts),
        Format::Xlsx => anyhow::bail!("XLSX is a binary format: render it with `render_bytes`"),
    }
}
