//! CSV: one table — the rows of every section (sections of one document share their
//! columns; the SoA's group is a column of its own) — with the column keys as headers. Cells
//! that a spreadsheet would run as a formula are neutralised.

use crate::report::Document;
use crate::text::csv_cell;
use anyhow::{Result, bail};

pub fn render(doc: &Document) -> Result<String> {
    let Some(first) = doc.sections.first() else {
        return Ok(String::new());
    };
    let multi = doc.sections.len() > 1;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut header: Vec<String> = Vec::new();
    if multi {
        header.push("section".into());
    }
    header.extend(first.table.columns.iter().map(|c| c.key.to_string()));
    w.write_record(&header)?;
    for s in &doc.sections {
        let same = s.table.columns.len() == first.table.columns.len()
            && s.table
                .columns
                .iter()
                .zip(&first.table.columns)
                .all(|(a, b)| a.key == b.key);
        if !same {
            bail!(
                "the {} document has sections of different shapes: CSV holds one table; use --format json",
                doc.kind
            );
        }
        for row in &s.table.rows {
            let mut rec: Vec<String> = Vec::with_capacity(row.len() + 1);
            if multi {
                rec.push(csv_cell(&s.id));
            }
            rec.extend(
                row.iter()
                    .map(|c| csv_cell(&c.display(s.table.level_names))),
            );
            w.write_record(&rec)?;
        }
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}
