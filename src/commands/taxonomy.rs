//! `airisk taxonomy [categories|controls|sources|nist]`: the built-in lists, as a table or JSON.

use super::{EXIT_OK, Env, write_output};
use crate::cli::Global;
use crate::model::taxonomy::Taxonomy;
use crate::render::table::{Holds, Plain};
use anyhow::Result;
use clap::ValueEnum;
use serde_json::json;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which list (default: all of them).
    #[arg(value_enum)]
    pub what: Option<What>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to FILE instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum What {
    /// The eight risk categories, with typical controls and treatment.
    Categories,
    /// ISO/IEC 42001 Annex A: 38 controls in 9 groups, with the NIST AI RMF crosswalk.
    Controls,
    /// ISO/IEC 42001 Annex C: objectives (C.2) and risk sources (C.3).
    Sources,
    /// NIST AI RMF 1.0: functions, categories, subcategories.
    Nist,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

pub fn run(args: &Args, _global: &Global, env: &mut Env) -> Result<u8> {
    let t = Taxonomy::get();
    let all = [What::Categories, What::Controls, What::Sources, What::Nist];
    let which: Vec<What> = args.what.map_or(all.to_vec(), |w| vec![w]);
    let text = match args.format {
        Format::Json => {
            let mut doc = serde_json::Map::new();
            doc.insert("version".into(), json!(1));
            for w in &which {
                let (key, value) = match w {
                    What::Categories => ("categories", json!(t.categories)),
                    What::Controls => ("controls", json!(t.groups)),
                    What::Sources => ("sources", json!(t.annex_c)),
                    What::Nist => ("nist", json!(t.nist)),
                };
                doc.insert(key.into(), value);
            }
            crate::text::json_pretty(&doc)? + "\n"
        }
        Format::Table => which
            .iter()
            .map(|w| table(t, *w, env.width))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    write_output(env, args.output.as_deref(), text.as_bytes())?;
    Ok(EXIT_OK)
}

fn new_table(header: &[(&str, Holds)]) -> Plain {
    Plain::new(header)
}

/// One list as a table, fitted to the terminal's `width` when there is one.
fn table(t: &Taxonomy, what: What, width: Option<u16>) -> String {
    let (title, table) = match what {
        What::Categories => {
            let mut table = new_table(&[
                ("id", Holds::Value),
                ("name", Holds::Text),
                ("typical controls", Holds::List),
                ("typical treatment", Holds::Text),
            ]);
            for c in &t.categories {
                table.add_row(vec![
                    c.id.clone(),
                    c.name.clone(),
                    c.controls.join(", "),
                    c.treatment.clone(),
                ]);
            }
            ("Risk categories", table)
        }
        What::Controls => {
            let mut table = new_table(&[
                ("id", Holds::Value),
                ("title", Holds::Text),
                ("group", Holds::Text),
                ("NIST AI RMF", Holds::List),
            ]);
            for g in &t.groups {
                for c in &g.controls {
                    table.add_row(vec![
                        c.id.clone(),
                        c.title.clone(),
                        format!("{} {}", g.id, g.title),
                        c.nist.join(", "),
                    ]);
                }
            }
            ("ISO/IEC 42001 Annex A controls", table)
        }
        What::Sources => {
            let mut table = new_table(&[
                ("id", Holds::Value),
                ("name", Holds::Text),
                ("kind", Holds::Value),
            ]);
            for o in &t.annex_c.objectives {
                table.add_row(vec![o.id.clone(), o.name.clone(), "objective".into()]);
            }
            for s in &t.annex_c.sources {
                table.add_row(vec![s.id.clone(), s.name.clone(), "risk source".into()]);
            }
            ("ISO/IEC 42001 Annex C", table)
        }
        What::Nist => {
            let mut table = new_table(&[
                ("id", Holds::Value),
                ("label (editorial)", Holds::Text),
                ("ISO/IEC 42001 clauses", Holds::List),
            ]);
            for f in &t.nist {
                table.add_row(vec![f.id.clone(), f.name.clone(), f.clauses.join(", ")]);
                for c in &f.categories {
                    table.add_row(vec![c.id.clone(), c.label.clone(), String::new()]);
                    for s in &c.subcategories {
                        table.add_row(vec![s.id.clone(), s.label.clone(), String::new()]);
                    }
                }
            }
            ("NIST AI RMF 1.0", table)
        }
    };
    format!("{title}\n\n{}\n", table.render(width))
}
