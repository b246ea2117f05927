//! The one place that talks to the YAML crate (serde-saphyr).
//!
//! Parses a document into a [`Node`] tree that keeps the byte range of every key and value,
//! so later stages can point at any of them and report every problem in a file, not just the
//! first one serde would stop at. Duplicate keys, multiple documents, alias bombs and deep
//! nesting are rejected here as [`YamlError`]s. Also deserializes the embedded taxonomy.

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// Limits that keep a hostile file from exhausting memory or time.
/// A register file is a few hundred nodes; these are orders of magnitude above any real one.
pub const MAX_DEPTH: usize = 32;
pub const MAX_NODES: usize = 250_000;
/// Events replayed through aliases (`*a`), across a file: alias bombs stop here.
pub const MAX_ALIAS_EVENTS: usize = 50_000;

/// A parsed YAML value with the byte range it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub start: usize,
    pub end: usize,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A mapping key and its byte range.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Why a document could not be parsed, with the parser's position (1-based line, column).
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub message: String,
    pub line: usize,
    pub column: usize,
    pub offset: Option<usize>,
}

impl Node {
    /// The value of `key` when this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.text == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Whether two trees hold the same data, whatever their layout: positions, comments,
    /// quoting and the order of mapping keys do not count.
    pub fn same_content(&self, other: &Node) -> bool {
        match (&self.value, &other.value) {
            (Value::Map(a), Value::Map(b)) => {
                a.len() == b.len()
                    && a.iter().all(|(k, v)| {
                        b.iter()
                            .find(|(k2, _)| k2.text == k.text)
                            .is_some_and(|(_, v2)| v.same_content(v2))
                    })
            }
            (Value::Seq(a), Value::Seq(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_content(y))
            }
            (a, b) => a == b,
        }
    }
}

/// Parses one YAML document. An empty document is `Null`.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    let opts = serde_saphyr::options! {
        budget: serde_saphyr::budget! { max_depth: MAX_DEPTH, max_nodes: MAX_NODES },
        alias_limits: serde_saphyr::alias_limits! { max_total_replayed_events: MAX_ALIAS_EVENTS },
    };
    match serde_saphyr::from_str_with_options::<Spanned<Raw>>(text, opts) {
        Ok(root) => Ok(lower(root, text)),
        Err(e) => Err(error(&e)),
    }
}

/// Deserializes trusted, embedded YAML (the taxonomy) into `T`.
pub fn from_embedded<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> T {
    serde_saphyr::from_str(text)
        .unwrap_or_else(|e| panic!("embedded {name} is invalid (a build defect): {e}"))
}

fn error(e: &serde_saphyr::Error) -> YamlError {
    let loc = e.location();
    let raw = e.without_snippet().to_string();
    YamlError {
        message: clean_message(&raw),
        line: loc.map_or(1, |l| l.line() as usize).max(1),
        column: loc.map_or(1, |l| l.column() as usize).max(1),
        offset: loc.and_then(|l| l.span().byte_offset()).map(|o| o as usize),
    }
}

/// serde-saphyr's messages read "error: line 2 column 1: duplicate mapping key: a, set
/// DuplicateKeyPolicy in Options if acceptable"; keep the part a user of airisk can act on.
fn clean_message(raw: &str) -> String {
    let mut m = raw.lines().next().unwrap_or(raw).trim();
    m = m.strip_prefix("error:").unwrap_or(m).trim();
    if let Some(rest) = m.strip_prefix("line ")
        && let Some(idx) = rest.find(": ")
        && rest[..idx].contains("column")
    {
        m = &rest[idx + 2..];
    }
    let m = m
        .split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(m)
        .split("; use from_str_multiple")
        .next()
        .unwrap_or(m);
    // The position is shown by the caller; drop the parser's own " at line 1, column 5".
    let m = match m.rfind(" at line ") {
        Some(i) if m[i..].contains("column") => &m[..i],
        _ => m,
    };
    if m.starts_with("alias replay limit exceeded") {
        return format!(
            "aliases expand to more than {MAX_ALIAS_EVENTS} values (an alias bomb?): the file is not read"
        );
    }
    if m.starts_with("budget breached: Depth") {
        return format!("nesting deeper than {MAX_DEPTH} levels: the file is not read");
    }
    if m.starts_with("budget breached") {
        return format!("the file holds more than {MAX_NODES} values: the file is not read");
    }
    if m.starts_with("multiple YAML documents") {
        return "more than one YAML document in the file (one entity per file)".into();
    }
    m.to_string()
}

fn byte_range(loc: &serde_saphyr::Location, text: &str) -> (usize, usize) {
    let span = loc.span();
    match (span.byte_offset(), span.byte_len()) {
        (Some(o), Some(l)) => {
            let o = (o as usize).min(text.len());
            (o, (o + l as usize).min(text.len()))
        }
        _ => (0, 0),
    }
}

fn lower(raw: Spanned<Raw>, text: &str) -> Node {
    let (start, end) = byte_range(&raw.referenced, text);
    let value = match raw.value {
        Raw::Null => Value::Null,
        Raw::Bool(b) => Value::Bool(b),
        Raw::Int(i) => Value::Int(i),
        Raw::Float(f) => Value::Float(f),
        Raw::Str(s) => Value::Str(s),
        Raw::Seq(items) => Value::Seq(items.into_iter().map(|n| lower(n, text)).collect()),
        Raw::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let (ks, ke) = byte_range(&k.referenced, text);
                    let key = Key {
                        text: k.value,
                        start: ks,
                        end: ke,
                    };
                    (key, lower(v, text))
                })
                .collect(),
        ),
    };
    Node { start, end, value }
}

/// The generic, span-carrying shape serde-saphyr fills in.
enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<String>, Spanned<Raw>)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Raw, E> {
        Ok(Raw::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Raw, A::Error> {
        let mut v = Vec::new();
        while let Some(x) = a.next_element::<Spanned<Raw>>()? {
            v.push(x);
        }
        Ok(Raw::Seq(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Raw, A::Error> {
        let mut v = Vec::new();
        while let Some((k, x)) = a.next_entry::<Spanned<String>, Spanned<Raw>>()? {
            v.push((k, x));
        }
        Ok(Raw::Map(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(n: &Node) -> &[(Key, Node)] {
        match &n.value {
            Value::Map(m) => m,
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn keeps_byte_ranges_of_keys_and_values() {
        let text = "id: R-1\nassessment:\n  likelihood: 4\n";
        let root = parse(text).unwrap();
        let m = map(&root);
        assert_eq!(m[0].0.text, "id");
        assert_eq!(&text[m[0].1.start..m[0].1.end], "R-1");
        let inner = map(&m[1].1);
        assert_eq!(&text[inner[0].0.start..inner[0].0.end], "likelihood");
        assert_eq!(inner[0].1.value, Value::Int(4));
        assert_eq!(&text[inner[0].1.start..inner[0].1.end], "4");
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let e = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!(e.message, "duplicate mapping key: a");
        assert_eq!((e.line, e.column), (2, 1));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = parse("a: [1,\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("bracket"), "{}", e.message);
    }

    #[test]
    fn several_documents_are_rejected() {
        let e = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(e.message.contains("more than one YAML document"));
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let e = parse(&text).unwrap_err();
        assert!(e.message.contains("alias bomb"), "{}", e.message);
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let text = format!("x: {}{}\n", "[".repeat(100), "]".repeat(100));
        let e = parse(&text).unwrap_err();
        assert!(
            e.message.starts_with("nesting deeper than 32 levels"),
            "{}",
            e.message
        );
    }

    #[test]
    fn same_content_ignores_layout() {
        let a = parse("id: S\nname: A   # c\nlist: [x, y]\n").unwrap();
        let b = parse("# moved\nname: 'A'\nid: S\nlist:\n  - x\n  - y\n").unwrap();
        let c = parse("id: S\nname: B\nlist: [x, y]\n").unwrap();
        assert!(a.same_content(&b));
        assert!(!a.same_content(&c));
        assert_eq!(
            a.get("name").map(|n| n.value.clone()),
            Some(Value::Str("A".into()))
        );
    }

    #[test]
    fn empty_document_is_null() {
        assert_eq!(parse("# nothing\n").unwrap().value, Value::Null);
    }
}
