//! Editing a register file in place: change one value of a YAML document and keep every
//! other byte — comments, layout, quoting, key order — as it was. The importer's re-import
//! uses it (an existing risk's changed cells), and the language server's rename and code
//! actions are to use it next.
//!
//! Three edits, each at the byte range the reader (`load::yaml`) gives the value:
//!
//! - [`set`]: the value at a path of keys (`["treatment", "due"]`) becomes a new scalar or
//!   flow list, written where the old value was; a key that is absent is inserted into its
//!   mapping (block or flow), with any missing mappings on the way;
//! - [`append`]: one item at the end of the list at a path (block or flow);
//! - every new value is written by [`render`]: plain when the YAML 1.2 core schema reads
//!   the plain text back as the same string (or the number or date it is), otherwise
//!   double-quoted with JSON's escapes (a subset of YAML's), so no value can change the
//!   document's structure: a newline, `#`, `: `, `<!--`, a leading `=` or `@` stay text.
//!
//! Each edit is confirmed: the result is parsed again and must hold exactly the old
//! document with that one value changed ([`Node::same_content`]); otherwise the edit is
//! refused with an [`EditError`] and the caller keeps the old text. This module must not
//! read or write files: it maps text to text.

use crate::load::yaml::{self, Key, Node, Value};
use std::fmt;

/// A value to write.
#[derive(Clone, Debug, PartialEq)]
pub enum New {
    Str(String),
    Int(i64),
    Bool(bool),
    /// A list of strings, written as a flow sequence (`[a, b]`).
    List(Vec<String>),
}

impl New {
    /// The node the reader makes of this value (positions aside).
    fn node(&self) -> Node {
        let value = match self {
            New::Str(s) => Value::Str(s.clone()),
            New::Int(i) => Value::Int(*i),
            New::Bool(b) => Value::Bool(*b),
            New::List(items) => Value::Seq(
                items
                    .iter()
                    .map(|s| Node {
                        start: 0,
                        end: 0,
                        value: Value::Str(s.clone()),
                    })
                    .collect(),
            ),
        };
        Node {
            start: 0,
            end: 0,
            value,
        }
    }

    /// Whether `node` already holds this value (a plain `2027-01-31` and the string
    /// `"2027-01-31"` are the same: the core schema reads both as that string).
    pub fn is_in(&self, node: &Node) -> bool {
        self.node().same_content(node)
    }
}

/// Why an edit was not made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditError(pub String);

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EditError {}

/// `value` as YAML text on one line: a scalar plain where that reads back as the same
/// value, else double-quoted; a list as a flow sequence of such scalars.
pub fn render(value: &New) -> String {
    match value {
        New::Str(s) => scalar(s),
        New::Int(i) => i.to_string(),
        New::Bool(b) => b.to_string(),
        New::List(items) => {
            let inner: Vec<String> = items.iter().map(|s| scalar(s)).collect();
            format!("[{}]", inner.join(", "))
        }
    }
}

/// A string as a YAML scalar: plain when it is a date (`YYYY-MM-DD`, a string in YAML 1.2)
/// or starts with a letter and holds only letters, digits, spaces and `-_./()',` (never a
/// keyword of YAML 1.1 either, for other readers); otherwise double-quoted.
pub fn scalar(s: &str) -> String {
    let is_date = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    let plain = is_date
        || (s.chars().next().is_some_and(|c| c.is_alphabetic())
            && s.chars()
                .all(|c| c.is_alphanumeric() || " -_./()',".contains(c))
            && !s.ends_with(' ')
            && !s.contains(" '")
            && !matches!(
                s.to_ascii_lowercase().as_str(),
                "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "nan" | "inf"
            ));
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).expect("a string serialises")
    }
}

/// `text` with the value at `path` set to `value` (inserted when absent, with the mappings
/// on the way), confirmed by parsing the result again.
pub fn set(text: &str, path: &[&str], value: &New) -> Result<String, EditError> {
    let root = parse(text)?;
    let out = set_in(text, &root, path, value)?;
    let mut expected = root.clone();
    put(&mut expected, path, value.node());
    confirm(&out, &expected)?;
    Ok(out)
}

/// `text` with `item` added at the end of the list at `path`, confirmed by parsing again.
pub fn append(text: &str, path: &[&str], item: &str) -> Result<String, EditError> {
    let root = parse(text)?;
    let list = find(&root, path).ok_or_else(|| missing(path))?;
    let Value::Seq(items) = &list.value else {
        return Err(EditError(format!("`{}` is not a list", path.join("."))));
    };
    let rendered = scalar(item);
    let out = if text[list.start..].starts_with('[') {
        let close = extent(text, list) - 1;
        let sep = if items.is_empty() { "" } else { ", " };
        format!("{}{sep}{rendered}{}", &text[..close], &text[close..])
    } else {
        let last = items
            .last()
            .ok_or_else(|| EditError("an empty block list".into()))?;
        let indent = column(text, list.start);
        let at = line_end(text, extent(text, last));
        insert_line(text, at, &format!("{}- {rendered}", " ".repeat(indent)))
    };
    let mut expected = root.clone();
    if let Some(Node {
        value: Value::Seq(items),
        ..
    }) = find_mut(&mut expected, path)
    {
        items.push(New::Str(item.to_string()).node());
    }
    confirm(&out, &expected)?;
    Ok(out)
}

/// The node at `path` of a document, if there is one.
pub fn find<'a>(root: &'a Node, path: &[&str]) -> Option<&'a Node> {
    path.iter().try_fold(root, |n, key| n.get(key))
}

fn find_mut<'a>(root: &'a mut Node, path: &[&str]) -> Option<&'a mut Node> {
    let mut at = root;
    for key in path {
        let Value::Map(entries) = &mut at.value else {
            return None;
        };
        at = entries
            .iter_mut()
            .find(|(k, _)| k.text == *key)
            .map(|(_, v)| v)?;
    }
    Some(at)
}

fn parse(text: &str) -> Result<Node, EditError> {
    yaml::parse(text).map_err(|e| {
        EditError(format!(
            "the file is not valid YAML ({}:{}: {})",
            e.line, e.column, e.message
        ))
    })
}

fn missing(path: &[&str]) -> EditError {
    EditError(format!("there is no `{}`", path.join(".")))
}

/// The expected document: `value` at `path`, creating mappings on the way.
fn put(node: &mut Node, path: &[&str], value: Node) {
    let Some((first, rest)) = path.split_first() else {
        *node = value;
        return;
    };
    if !matches!(node.value, Value::Map(_)) {
        node.value = Value::Map(Vec::new());
    }
    let Value::Map(entries) = &mut node.value else {
        unreachable!("made a mapping above")
    };
    let at = match entries.iter().position(|(k, _)| k.text == *first) {
        Some(i) => i,
        None => {
            entries.push((
                Key {
                    text: first.to_string(),
                    start: 0,
                    end: 0,
                },
                Node {
                    start: 0,
                    end: 0,
                    value: Value::Map(Vec::new()),
                },
            ));
            entries.len() - 1
        }
    };
    put(&mut entries[at].1, rest, value);
}

fn set_in(text: &str, node: &Node, path: &[&str], value: &New) -> Result<String, EditError> {
    let Some((first, rest)) = path.split_first() else {
        // The value itself: replaced at its range.
        if matches!(node.value, Value::Map(_)) {
            return Err(EditError("cannot replace a mapping with a value".into()));
        }
        return Ok(replace(text, node, &render(value)));
    };
    let Value::Map(entries) = &node.value else {
        return Err(EditError(format!(
            "`{first}` cannot be set: its parent is not a mapping"
        )));
    };
    if let Some((k, child)) = entries.iter().find(|(k, _)| k.text == *first) {
        let block_list =
            matches!(child.value, Value::Seq(_)) && !text[child.start..].starts_with('[');
        if rest.is_empty() && block_list {
            // A block list becomes a flow list after its key: `key: [a, b]`.
            let colon = text[k.end..].find(':').map_or(k.end, |i| k.end + i + 1);
            let end = extent(text, child);
            return Ok(format!(
                "{} {}{}",
                &text[..colon],
                render(value),
                &text[end..]
            ));
        }
        if rest.is_empty() || matches!(child.value, Value::Map(_)) {
            return set_in(text, child, rest, value);
        }
        if matches!(child.value, Value::Null) {
            // `treatment:` with nothing: the nested mapping replaces the null.
            return Ok(replace_null_with_block(text, node, first, rest, value));
        }
        return Err(EditError(format!("`{first}` holds a value, not a mapping")));
    }
    insert_key(text, node, first, rest, value)
}

/// `text` with `node`'s range replaced by `with`. An empty (null) value has no range of its
/// own after its key: the new value goes right after the `:`.
fn replace(text: &str, node: &Node, with: &str) -> String {
    if node.start == node.end {
        // The reader puts an empty value at its key's `:`.
        let at = node.start + usize::from(text[node.start..].starts_with(':'));
        let space = if text[..at].ends_with(':') { " " } else { "" };
        return format!("{}{space}{with}{}", &text[..at], &text[at..]);
    }
    format!("{}{with}{}", &text[..node.start], &text[node.end..])
}

/// The nested block for `rest` (keys, then the value), each level `indent` deeper.
fn block(rest: &[&str], value: &New, indent: usize) -> String {
    match rest.split_first() {
        None => format!(" {}", render(value)),
        Some((k, more)) => {
            let pad = " ".repeat(indent);
            let mut out = String::new();
            let _ = k;
            out.push('\n');
            out.push_str(&pad);
            out.push_str(k);
            out.push(':');
            out.push_str(&block(more, value, indent + 2));
            out
        }
    }
}

fn replace_null_with_block(
    text: &str,
    parent: &Node,
    key: &str,
    rest: &[&str],
    value: &New,
) -> String {
    let Value::Map(entries) = &parent.value else {
        unreachable!("the caller checked")
    };
    let (k, _) = entries
        .iter()
        .find(|(k, _)| k.text == key)
        .expect("the caller found it");
    let indent = column(text, k.start) + 2;
    let colon = text[k.end..].find(':').map_or(k.end, |i| k.end + i + 1);
    format!(
        "{}{}{}",
        &text[..colon],
        block(rest, value, indent),
        &text[colon..]
    )
}

/// Inserts `key` (and the mappings of `rest`) into the mapping `node`.
fn insert_key(
    text: &str,
    node: &Node,
    key: &str,
    rest: &[&str],
    value: &New,
) -> Result<String, EditError> {
    let Value::Map(entries) = &node.value else {
        unreachable!("the caller checked")
    };
    let key_text = scalar(key);
    if text[node.start..].starts_with('{') {
        // A flow mapping: `, key: value` before the closing brace (nested keys as flow).
        let close = extent(text, node) - 1;
        let mut v = render(value);
        for k in rest.iter().rev() {
            v = format!("{{ {}: {v} }}", scalar(k));
        }
        let sep = if entries.is_empty() { "" } else { ", " };
        let before = text[..close].trim_end_matches(' ');
        return Ok(format!("{before}{sep}{key_text}: {v} {}", &text[close..]));
    }
    let Some((first_key, _)) = entries.first() else {
        return Err(EditError("cannot insert into an empty mapping".into()));
    };
    let indent = column(text, first_key.start);
    let (last_key, last) = entries.last().expect("not empty");
    let at = line_end(text, extent(text, last).max(last_key.end));
    let line = format!(
        "{}{key_text}:{}",
        " ".repeat(indent),
        block(rest, value, indent + 2)
    );
    Ok(insert_line(text, at, &line))
}

/// Where a value's text ends. The reader gives a collection only its first position (its
/// `{`, `[` or first `-`): its text runs to the end of its last item, and for a flow
/// collection to the closing bracket after it.
pub fn extent(text: &str, node: &Node) -> usize {
    let last = match &node.value {
        Value::Seq(items) => items.last().map(|n| extent(text, n)),
        Value::Map(entries) => entries.last().map(|(k, v)| extent(text, v).max(k.end)),
        _ => return node.end,
    };
    let from = last.unwrap_or(node.start + 1).max(node.start);
    let flow = matches!(text.as_bytes().get(node.start), Some(b'[' | b'{'));
    if !flow {
        return from;
    }
    let close = if text.as_bytes()[node.start] == b'[' {
        ']'
    } else {
        '}'
    };
    text[from..]
        .find(close)
        .map_or(text.len(), |i| from + i + 1)
}

/// The column (0-based, in bytes) of `offset` on its line.
fn column(text: &str, offset: usize) -> usize {
    offset - text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// The offset just past the end of the line holding `offset` (past its `\n`), or the end of
/// the text. A value's range can end at the start of the next line (a block scalar): then
/// that is the place.
fn line_end(text: &str, offset: usize) -> usize {
    if offset > 0 && text.as_bytes().get(offset - 1) == Some(&b'\n') {
        return offset;
    }
    text[offset..]
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1)
}

/// `text` with `line` inserted at `at` (the start of a line, or the end of the text).
fn insert_line(text: &str, at: usize, line: &str) -> String {
    let mut out = String::with_capacity(text.len() + line.len() + 2);
    out.push_str(&text[..at]);
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(line);
    out.push('\n');
    out.push_str(&text[at..]);
    out
}

/// The edited text holds exactly `expected`.
fn confirm(out: &str, expected: &Node) -> Result<(), EditError> {
    let got = parse(out).map_err(|e| EditError(format!("the edit would break the file: {e}")))?;
    if got.same_content(expected) {
        Ok(())
    } else {
        Err(EditError(
            "the edit would change more than the value (the file's layout is not one the editor handles)".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RISK: &str = "\
# A comment that stays.
id: R-001
title: Old title   # trailing comment
owner: bjones
assessment:
  likelihood: 3    # why three
  consequence: 2
  rationale: >
    Folded text
    on two lines
treatment: { option: mitigate, due: 2027-01-31 }
controls:
  - A.6.2.4
  - A.6.2.6
reviewed: 2026-09-15
";

    fn value(text: &str, path: &[&str]) -> Node {
        find(&yaml::parse(text).unwrap(), path).unwrap().clone()
    }

    #[test]
    fn a_scalar_is_replaced_at_its_range_and_nothing_else_moves() {
        let out = set(RISK, &["assessment", "likelihood"], &New::Int(4)).unwrap();
        assert_eq!(out, RISK.replace("likelihood: 3 ", "likelihood: 4 "));
        let out = set(
            RISK,
            &["title"],
            &New::Str("New: title # not a comment".into()),
        )
        .unwrap();
        assert!(out.contains("title: \"New: title # not a comment\"   # trailing comment\n"));
        assert_eq!(
            value(&out, &["title"]).value,
            Value::Str("New: title # not a comment".into())
        );
    }

    #[test]
    fn hostile_values_stay_one_string() {
        for s in [
            "a\nb: c",
            "<!-- x -->",
            "=cmd|' /C calc'!A0",
            "@someone",
            "\u{1b}[31m",
            "- item",
            "yes",
            "12",
            "",
        ] {
            let out = set(RISK, &["owner"], &New::Str(s.into())).unwrap();
            assert_eq!(value(&out, &["owner"]).value, Value::Str(s.into()), "{s:?}");
            assert_eq!(out.lines().count(), RISK.lines().count(), "{s:?}");
        }
    }

    #[test]
    fn a_flow_mapping_is_edited_in_place() {
        let out = set(RISK, &["treatment", "due"], &New::Str("2027-03-31".into())).unwrap();
        assert!(out.contains("treatment: { option: mitigate, due: 2027-03-31 }\n"));
        let out = set(RISK, &["treatment", "status"], &New::Str("done".into())).unwrap();
        assert!(
            out.contains("treatment: { option: mitigate, due: 2027-01-31, status: done }\n"),
            "{out}"
        );
    }

    #[test]
    fn a_missing_key_is_inserted_at_the_end_of_its_mapping() {
        let out = set(RISK, &["assessment", "note"], &New::Str("x".into())).unwrap();
        assert!(
            out.contains("    on two lines\n  note: x\ntreatment:"),
            "{out}"
        );
        let out = set(
            RISK,
            &["acceptance", "approved_by"],
            &New::Str("asmith".into()),
        )
        .unwrap();
        assert!(
            out.ends_with("reviewed: 2026-09-15\nacceptance:\n  approved_by: asmith\n"),
            "{out}"
        );
        // No newline at the end of the file: one is added before the new line.
        let out = set("id: R-1", &["title"], &New::Str("T".into())).unwrap();
        assert_eq!(out, "id: R-1\ntitle: T\n");
    }

    #[test]
    fn a_list_is_replaced_or_appended_to() {
        let out = set(
            RISK,
            &["controls"],
            &New::List(vec!["A.2.2".into(), "A.10.3".into()]),
        )
        .unwrap();
        assert!(out.contains("controls: [A.2.2, A.10.3]\nreviewed"), "{out}");
        let out = append(RISK, &["controls"], "A.9.2").unwrap();
        assert!(out.contains("  - A.6.2.6\n  - A.9.2\nreviewed"), "{out}");
        let flow = "sources: [C.3.4]\n";
        assert_eq!(
            append(flow, &["sources"], "C.3.6").unwrap(),
            "sources: [C.3.4, C.3.6]\n"
        );
        assert_eq!(
            append("sources: []\n", &["sources"], "C.3.6").unwrap(),
            "sources: [C.3.6]\n"
        );
    }

    #[test]
    fn a_null_value_gets_the_value_after_its_colon() {
        let out = set(
            "id: R-1\nowner:\nx: 1\n",
            &["owner"],
            &New::Str("bjones".into()),
        )
        .unwrap();
        assert_eq!(out, "id: R-1\nowner: bjones\nx: 1\n");
        let out = set(
            "id: R-1\ntreatment:\nx: 1\n",
            &["treatment", "option"],
            &New::Str("accept".into()),
        )
        .unwrap();
        assert_eq!(out, "id: R-1\ntreatment:\n  option: accept\nx: 1\n");
    }

    #[test]
    fn an_edit_that_cannot_be_confirmed_is_refused() {
        assert!(set("a: [1, 2\n", &["a"], &New::Int(1)).is_err());
        assert!(set("a: 1\n", &["a", "b"], &New::Int(1)).is_err());
        assert!(set(RISK, &["assessment"], &New::Int(1)).is_err());
    }
}
