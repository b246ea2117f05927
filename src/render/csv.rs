//! CSV: one table — the rows of every section (sections of one document share their
//! columns; the SoA's group is a column of its own) — with the column keys as headers. Cells
//! that a spreadsheet would run as a formula are neutralised; a typed number (a negative
//! count of days) is written as the number it is, which no spreadsheet runs.

use crate::report::{Cell, Document, Table, Value};
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
            rec.extend(row.iter().map(|c| cell(c, &s.table)));
            w.write_record(&rec)?;
        }
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// A cell's text: a number as it is, anything else neutralised.
fn cell(c: &Cell, table: &Table) -> String {
    let text = table.text(c);
    match c.value {
        Value::Int(i) if text == i.to_string() => text,
        Value::Decimal(_) if text == c.value.text() => text,
        // The number, as in JSON: `#12` would be a different shape per forge.
        Value::PullRequest(p) => p.number.to_string(),
        _ => csv_cell(&text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_numbers_and_text_is_neutralised() {
        let t = Table::new(Vec::new(), Vec::new());
        assert_eq!(cell(&Cell::int(-16), &t), "-16");
        assert_eq!(cell(&Cell::int(12), &t), "12");
        assert_eq!(cell(&Cell::text("-16"), &t), "'-16");
        assert_eq!(cell(&Cell::text("=1+1"), &t), "'=1+1");
    }
}
