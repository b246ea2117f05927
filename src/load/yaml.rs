//! The one place that talks to the YAML crate (serde-saphyr).
//!
//! Parses a document into a [`Node`] tree that keeps the byte range of every key and value,
//! so later stages can point at any of them and report every problem in a file, not just the
//! first one serde would stop at. Duplicate keys, multiple documents, alias bombs and deep
//! nesting are rejected here as [`YamlError`]s. Also deserializes the embedded taxonomy.

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

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
    match serde_saphyr::from_str_with_options::<At<ValueOf>>(text, opts) {
        Ok(root) => {
            let mut root = node(root);
            clamp(&mut root, text.len());
            Ok(root)
        }
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

/// The value of a node with the byte range it came from, as serde-saphyr reports it.
struct At<T> {
    value: T,
    start: usize,
    end: usize,
}

/// The newtype name through which serde-saphyr hands out where the next value is: the hook
/// behind its own `Spanned<T>`, which answers with a map `{marker, value, referenced,
/// defined}` whose locations are maps `{line, column, span: {offset, len, byte_info}}`.
/// Reading that map directly (keys matched as borrowed identifiers, locations reduced to
/// their byte range) instead of through `Spanned<T>` and `Location` halves the cost of
/// spans per value (docs/performance.md). If a version of the crate stopped answering this
/// way, every parse would fail with [`NO_SPAN`], which the tests below would catch.
const SPANNED: &str = "__yaml_spanned";
const NO_SPAN: &str = "the YAML parser reported no position for a value";

impl<'de, T: Deserialize<'de>> Deserialize<'de> for At<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_newtype_struct(SPANNED, AtVisitor(PhantomData))
    }
}

struct AtVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for AtVisitor<T> {
    type Value = At<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value with its location")
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<At<T>, D::Error> {
        d.deserialize_struct("Spanned", &["value", "referenced", "defined"], self)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<At<T>, A::Error> {
        let (mut value, mut range) = (None, None);
        // Stops once both are read: the remaining `defined` location (the anchor of an alias)
        // is not needed, and the map is synthesised, so leaving it unread consumes nothing.
        while value.is_none() || range.is_none() {
            let Some(name) = m.next_key::<Name>()? else {
                break;
            };
            match name {
                Name::Value => value = Some(m.next_value::<T>()?),
                Name::Referenced => range = Some(m.next_value::<Range>()?),
                Name::Defined => {
                    m.next_value::<Range>()?;
                }
                _ => {
                    m.next_value::<IgnoredAny>()?;
                }
            }
        }
        match (value, range) {
            (Some(value), Some(Range(Some((start, end))))) => Ok(At { value, start, end }),
            // No byte offsets (not a string source): the range is unknown.
            (Some(value), Some(Range(None))) => Ok(At {
                value,
                start: usize::MAX,
                end: usize::MAX,
            }),
            _ => Err(de::Error::custom(NO_SPAN)),
        }
    }
}

/// A key of the location maps, borrowed (no allocation per value).
enum Name {
    Value,
    Referenced,
    Defined,
    Span,
    ByteInfo,
    Other,
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_identifier(NameVisitor)
    }
}

struct NameVisitor;

impl Visitor<'_> for NameVisitor {
    type Value = Name;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field of a location")
    }
    fn visit_str<E>(self, v: &str) -> Result<Name, E> {
        Ok(match v {
            "value" => Name::Value,
            "referenced" => Name::Referenced,
            "defined" => Name::Defined,
            "span" => Name::Span,
            "byte_info" => Name::ByteInfo,
            _ => Name::Other,
        })
    }
}

/// A location reduced to its byte range (`None`: unknown).
struct Range(Option<(usize, usize)>);

impl<'de> Deserialize<'de> for Range {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_struct("Location", &["line", "column", "span"], RangeVisitor)
    }
}

struct RangeVisitor;

impl<'de> Visitor<'de> for RangeVisitor {
    type Value = Range;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a location")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Range, A::Error> {
        let mut out = None;
        while out.is_none() {
            let Some(name) = m.next_key::<Name>()? else {
                break;
            };
            match name {
                Name::Span => out = Some(m.next_value::<SpanBytes>()?.0),
                _ => {
                    m.next_value::<IgnoredAny>()?;
                }
            }
        }
        out.map(Range).ok_or_else(|| de::Error::custom(NO_SPAN))
    }
}

/// A span's byte offset and end.
struct SpanBytes(Option<(usize, usize)>);

impl<'de> Deserialize<'de> for SpanBytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_struct("Span", &["offset", "len", "byte_info"], SpanVisitor)
    }
}

struct SpanVisitor;

impl<'de> Visitor<'de> for SpanVisitor {
    type Value = SpanBytes;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a span")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<SpanBytes, A::Error> {
        let mut out = None;
        while let Some(name) = m.next_key::<Name>()? {
            match name {
                Name::ByteInfo => {
                    let (offset, len) = m.next_value::<(u64, u64)>()?;
                    // serde-saphyr marks unknown byte info with `u32::MAX` (its sentinel).
                    let known = offset < u64::from(u32::MAX) && len < u64::from(u32::MAX);
                    out = Some(known.then(|| {
                        let start = usize::try_from(offset).unwrap_or(usize::MAX);
                        (
                            start,
                            start.saturating_add(usize::try_from(len).unwrap_or(0)),
                        )
                    }));
                }
                _ => {
                    m.next_value::<IgnoredAny>()?;
                }
            }
        }
        out.map(SpanBytes).ok_or_else(|| de::Error::custom(NO_SPAN))
    }
}

/// Deserializes a [`Value`] whose children carry their byte ranges.
struct ValueOf(Value);

impl<'de> Deserialize<'de> for ValueOf {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

fn node(at: At<ValueOf>) -> Node {
    Node {
        start: at.start,
        end: at.end,
        value: at.value.0,
    }
}

/// Keeps every range inside the text (an unknown range becomes the file's start).
fn clamp(n: &mut Node, len: usize) {
    let fix = |start: &mut usize, end: &mut usize| {
        if *start > len {
            (*start, *end) = (0, 0);
        } else {
            *end = (*end).clamp(*start, len);
        }
    };
    fix(&mut n.start, &mut n.end);
    match &mut n.value {
        Value::Seq(items) => items.iter_mut().for_each(|i| clamp(i, len)),
        Value::Map(entries) => {
            for (k, v) in entries {
                fix(&mut k.start, &mut k.end);
                clamp(v, len);
            }
        }
        _ => {}
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = ValueOf;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<ValueOf, E> {
        Ok(ValueOf(Value::Null))
    }
    fn visit_none<E>(self) -> Result<ValueOf, E> {
        Ok(ValueOf(Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<ValueOf, D::Error> {
        ValueOf::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<ValueOf, E> {
        Ok(ValueOf(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<ValueOf, E> {
        Ok(ValueOf(Value::Int(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<ValueOf, E> {
        Ok(ValueOf(
            i64::try_from(v).map_or(Value::Float(v as f64), Value::Int),
        ))
    }
    fn visit_i128<E>(self, v: i128) -> Result<ValueOf, E> {
        Ok(ValueOf(
            i64::try_from(v).map_or(Value::Float(v as f64), Value::Int),
        ))
    }
    fn visit_u128<E>(self, v: u128) -> Result<ValueOf, E> {
        Ok(ValueOf(
            i64::try_from(v).map_or(Value::Float(v as f64), Value::Int),
        ))
    }
    fn visit_f64<E>(self, v: f64) -> Result<ValueOf, E> {
        Ok(ValueOf(Value::Float(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<ValueOf, E> {
        Ok(ValueOf(Value::Str(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<ValueOf, E> {
        Ok(ValueOf(Value::Str(v)))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<ValueOf, E> {
        Ok(ValueOf(Value::Str(String::from_utf8_lossy(v).into_owned())))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<ValueOf, A::Error> {
        let mut v = Vec::with_capacity(a.size_hint().unwrap_or(0));
        while let Some(x) = a.next_element::<At<ValueOf>>()? {
            v.push(node(x));
        }
        Ok(ValueOf(Value::Seq(v)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<ValueOf, A::Error> {
        let mut v = Vec::with_capacity(a.size_hint().unwrap_or(0));
        while let Some((k, x)) = a.next_entry::<At<String>, At<ValueOf>>()? {
            let key = Key {
                text: k.value,
                start: k.start,
                end: k.end,
            };
            v.push((key, node(x)));
        }
        Ok(ValueOf(Value::Map(v)))
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

    /// serde-saphyr's public `Spanned<T>`, lowered the slow way: the reference that the
    /// direct reading of its span hook must agree with.
    enum Ref {
        Scalar,
        Seq(Vec<serde_saphyr::Spanned<Ref>>),
        Map(Vec<(serde_saphyr::Spanned<String>, serde_saphyr::Spanned<Ref>)>),
    }

    impl<'de> Deserialize<'de> for Ref {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Ref;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("any")
                }
                fn visit_unit<E>(self) -> Result<Ref, E> {
                    Ok(Ref::Scalar)
                }
                fn visit_bool<E>(self, _: bool) -> Result<Ref, E> {
                    Ok(Ref::Scalar)
                }
                fn visit_i64<E>(self, _: i64) -> Result<Ref, E> {
                    Ok(Ref::Scalar)
                }
                fn visit_u64<E>(self, _: u64) -> Result<Ref, E> {
                    Ok(Ref::Scalar)
                }
                fn visit_f64<E>(self, _: f64) -> Result<Ref, E> {
                    Ok(Ref::Scalar)
                }
                fn visit_str<E>(self, _: &str) -> Result<Ref, E> {
                    Ok(Ref::Scalar)
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Ref, A::Error> {
                    let mut v = Vec::new();
                    while let Some(x) = a.next_element()? {
                        v.push(x);
                    }
                    Ok(Ref::Seq(v))
                }
                fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Ref, A::Error> {
                    let mut v = Vec::new();
                    while let Some(e) = a.next_entry()? {
                        v.push(e);
                    }
                    Ok(Ref::Map(v))
                }
            }
            d.deserialize_any(V)
        }
    }

    fn range(l: &serde_saphyr::Location) -> (usize, usize) {
        let s = l.span();
        let o = s.byte_offset().unwrap() as usize;
        (o, o + s.byte_len().unwrap() as usize)
    }

    fn agree(n: &Node, r: &serde_saphyr::Spanned<Ref>) {
        assert_eq!((n.start, n.end), range(&r.referenced));
        match (&n.value, &r.value) {
            (Value::Seq(a), Ref::Seq(b)) => {
                assert_eq!(a.len(), b.len());
                a.iter().zip(b).for_each(|(x, y)| agree(x, y));
            }
            (Value::Map(a), Ref::Map(b)) => {
                assert_eq!(a.len(), b.len());
                for ((k, v), (k2, v2)) in a.iter().zip(b) {
                    assert_eq!(k.text, k2.value);
                    assert_eq!((k.start, k.end), range(&k2.referenced));
                    agree(v, v2);
                }
            }
            (Value::Seq(_) | Value::Map(_), _) | (_, Ref::Seq(_) | Ref::Map(_)) => {
                panic!("shapes differ at {}..{}", n.start, n.end)
            }
            _ => {}
        }
    }

    #[test]
    fn spans_agree_with_serde_saphyr_spanned() {
        let text = "# a risk\nid: R-1\ntitle: 'Quoted: text'\nevent: >-\n  folded\n  text\nlist: [a, \"b\", 3]\nblock:\n  - x: 1\n    y: [true, null, 2.5]\n  - ~\nanchor: &a { k: v }\nalias: *a\nunicode: é€😀\n";
        let node = parse(text).unwrap();
        let reference: serde_saphyr::Spanned<Ref> = serde_saphyr::from_str(text).unwrap();
        agree(&node, &reference);
        for file in [
            include_str!("../../examples/acme-bank/risks/R-009.yaml"),
            include_str!("../../examples/acme-bank/soa.yaml"),
            include_str!("../../examples/acme-bank/assessments/IA-001.yaml"),
        ] {
            agree(
                &parse(file).unwrap(),
                &serde_saphyr::from_str(file).unwrap(),
            );
        }
    }
}
