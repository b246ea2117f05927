//! The built-in taxonomy (`airisk taxonomy`): each list as a titled table in markdown-like
//! borders (whole when piped, fitted to the terminal when there is one: `table::Plain`), or
//! every list asked for in one versioned JSON document. The lists are the embedded reference data
//! (`report::taxonomy`), not register text.

use super::table::{Holds, Plain};
use crate::report::taxonomy::{List, Taxonomy};
use anyhow::Result;
use serde_json::json;

/// One list as a titled table, fitted to the terminal's `width` when there is one.
pub fn table(t: &Taxonomy, what: List, width: Option<u16>) -> String {
    let (title, table) = match what {
        List::Categories => {
            let mut table = Plain::new(&[
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
        List::Controls => {
            let mut table = Plain::new(&[
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
        List::Sources => {
            let mut table = Plain::new(&[
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
        List::Nist => {
            let mut table = Plain::new(&[
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

/// The lists `which` names, in one versioned JSON document.
pub fn json(t: &Taxonomy, which: &[List]) -> Result<String> {
    let mut doc = serde_json::Map::new();
    doc.insert("version".into(), json!(1));
    for w in which {
        let (key, value) = match w {
            List::Categories => ("categories", json!(t.categories)),
            List::Controls => ("controls", json!(t.groups)),
            List::Sources => ("sources", json!(t.annex_c)),
            List::Nist => ("nist", json!(t.nist)),
        };
        doc.insert(key.into(), value);
    }
    Ok(crate::text::json_pretty(&doc)? + "\n")
}
