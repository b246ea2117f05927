//! JSON: the document with typed cell values, one object per row keyed by column. Versioned
//! (`version`); fields are only added within a version.

use crate::report::{Document, JSON_VERSION, Value};
use anyhow::Result;
use serde_json::{Map, Value as J, json};

pub fn render(doc: &Document) -> Result<String> {
    let sections: Vec<J> = doc
        .sections
        .iter()
        .map(|s| {
            let rows: Vec<J> = s
                .table
                .rows
                .iter()
                .map(|row| {
                    let mut obj = Map::new();
                    for (col, cell) in s.table.columns.iter().zip(row) {
                        obj.insert(col.key.to_string(), value(&cell.value));
                        if let Some(l) = &cell.level
                            && col.key != "level"
                        {
                            obj.insert(format!("{}_level", col.key), J::String(l.name.clone()));
                        }
                    }
                    J::Object(obj)
                })
                .collect();
            json!({
                "id": s.id,
                "title": s.title,
                "note": s.note,
                "columns": s.table.columns.iter().map(|c| json!({"key": c.key, "title": c.title})).collect::<Vec<_>>(),
                "rows": rows,
            })
        })
        .collect();
    let out = json!({
        "version": JSON_VERSION,
        "kind": doc.kind,
        "title": doc.title,
        "control": doc.control,
        "summary": doc.summary,
        "notes": doc.notes,
        "sections": sections,
    });
    Ok(serde_json::to_string_pretty(&out)? + "\n")
}

fn value(v: &Value) -> J {
    match v {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        Value::Text(s) => J::String(s.clone()),
        Value::List(l) => J::Array(l.iter().cloned().map(J::String).collect()),
    }
}
