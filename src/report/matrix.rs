//! `airisk matrix`: the likelihood x consequence heat map of open risks, each cell with its
//! level (colour) and the risks in it — shown as their number (a cell of hundreds of ids is
//! not read), or as their ids with `ids`. JSON always has the ids, HTML lists them under the
//! number. Current assessments by default (`--residual`: the risk with today's controls, as
//! the register records it); `--target` plots the treatment targets instead, and says how
//! many open risks have none.

use super::{Cell, Column, Detail, DocControl, Document, Figure, Section, Table, level_tag};
use crate::model::{Date, Register, Risk};
use crate::text::natural_cmp;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Plot {
    /// The current assessment (with the controls in place today).
    #[default]
    Current,
    /// The treatment target (expected after treatment).
    Target,
}

/// The heat map; `ids`: cells show the risks' ids rather than their number.
pub fn build(reg: &Register, as_of: Date, plot: Plot, ids: bool) -> Document {
    let criteria = &reg.config.criteria;
    let (n, m) = (criteria.likelihood.len(), criteria.consequence.len());
    let mut cells: Vec<Vec<Vec<String>>> = vec![vec![Vec::new(); m]; n];
    let mut plotted = 0;
    let mut off_scale = 0;
    let mut unplotted = 0;
    for r in reg.risks.iter().filter(|r| r.is_open()) {
        let Some((l, c)) = pair(r, plot) else {
            unplotted += 1;
            continue;
        };
        if !criteria.in_range(l, c) {
            off_scale += 1;
            continue;
        }
        cells[l as usize - 1][c as usize - 1].push(r.id.value.clone());
        plotted += 1;
    }
    let mut columns = vec![Column::new("likelihood", "Likelihood")];
    for (j, name) in criteria.consequence.iter().enumerate() {
        columns.push(Column::owned(
            format!("c{}", j + 1),
            format!("{} {name}", j + 1),
        ));
    }
    let mut rows = Vec::new();
    for l in (1..=n).rev() {
        let mut row = vec![Cell::text(format!("{l} {}", criteria.likelihood[l - 1]))];
        for c in 1..=m {
            let mut ids = std::mem::take(&mut cells[l - 1][c - 1]);
            ids.sort_by(|a, b| natural_cmp(a, b));
            let tag = criteria
                .level(l as u32, c as u32)
                .and_then(|lv| level_tag(reg, &lv.name));
            row.push(Cell::list(ids).with_level(tag));
        }
        rows.push(row);
    }
    let (what, title) = match plot {
        Plot::Current => ("current assessments", "Heat map: current risk"),
        Plot::Target => ("treatment targets", "Heat map: treatment targets"),
    };
    let shows = if ids {
        "the risks in it"
    } else {
        "how many risks are in it"
    };
    let mut notes = vec![format!(
        "Open risks by likelihood (rows) and consequence (columns), plotted at their {what}; each cell shows its level and {shows}."
    )];
    let mut summary = vec![Figure::count("Risks plotted", plotted)];
    match plot {
        Plot::Target => {
            summary.push(Figure::count("Without a target", unplotted));
            if unplotted > 0 {
                notes.push(format!(
                    "{unplotted} open {} no treatment target (`treatment.target`: accepted risks, and treatments that name none) and {} not plotted.",
                    if unplotted == 1 { "risk has" } else { "risks have" },
                    if unplotted == 1 { "is" } else { "are" },
                ));
            }
        }
        Plot::Current if unplotted > 0 => notes.push(format!(
            "{unplotted} open {} no assessment and {} not plotted (see `airisk check`).",
            if unplotted == 1 {
                "risk has"
            } else {
                "risks have"
            },
            if unplotted == 1 { "is" } else { "are" },
        )),
        Plot::Current => {}
    }
    if off_scale > 0 {
        notes.push(format!(
            "{off_scale} risks are off the scales and not plotted (see `airisk check`)."
        ));
    }
    let mut table = Table::new(columns, rows);
    table.level_names = true;
    table.counts = !ids;
    Document {
        kind: "matrix",
        title: title.into(),
        control: DocControl::new(reg, as_of),
        summary,
        notes,
        sections: vec![Section {
            id: "matrix".into(),
            title: "Likelihood x consequence".into(),
            note: None,
            table,
        }],
        detail: Detail::None,
    }
}

fn pair(r: &Risk, plot: Plot) -> Option<(i64, i64)> {
    match plot {
        Plot::Current => r.current(),
        Plot::Target => r.treatment.as_ref()?.target.as_ref()?.pair(),
    }
}
