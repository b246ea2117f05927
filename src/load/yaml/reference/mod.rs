//! The reference reader: the same [`parse`](super::parse), built on serde-saphyr's
//! deserializer (with spans read through its span hook), as airisk read registers before it
//! read granit-parser's events directly (docs/performance.md). Kept so the tests and the
//! `yaml_differential` fuzz target can check that both build the same tree, ranges included
//! ([`agrees`]); airisk itself does not call it, and builds it only for the tests (and with
//! the `reference` feature, for the fuzz crate).
//!
//! The two type scalars differently by design: airisk follows the YAML 1.2 core schema,
//! serde-saphyr reads YAML 1.1 forms too ([`schema`] says which). So [`agrees`] compares the
//! reference's tree with the one airisk's builder makes with serde-saphyr's typing.

pub mod schema;

use super::{Key, MAX_ALIAS_EVENTS, MAX_DEPTH, MAX_NODES, Node, Value, YamlError};
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// Parses one YAML document through serde-saphyr. An empty document is `Null`.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    parse_with(text, serde_saphyr::MergeKeyPolicy::Merge)
}

/// [`parse`] with merge keys (`<<`) merged, or read as ordinary keys.
fn parse_with(text: &str, merge_keys: serde_saphyr::MergeKeyPolicy) -> Result<Node, YamlError> {
    let opts = serde_saphyr::options! {
        budget: serde_saphyr::budget! { max_depth: MAX_DEPTH, max_nodes: MAX_NODES },
        alias_limits: serde_saphyr::alias_limits! { max_total_replayed_events: MAX_ALIAS_EVENTS },
        merge_keys: merge_keys,
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

/// Whether airisk's reader builds the tree this reference builds from `text`: the same tree,
/// every range included, or both refuse the file (their messages may differ). `Err` says how
/// they differ.
///
/// The trees compared are the reference's and the one airisk's builder makes with
/// serde-saphyr's typing ([`schema::Saphyr`]): how airisk's own typing (the YAML 1.2 core
/// schema) differs from it is by design, and listed there and in docs/design.md. The tree
/// airisk reads (with its own typing) is built too, and must have the same shape, ranges and
/// keys when both typings accept the file, and read as written ([`super::parse_as_written`])
/// it must be refused or read alike, with the same shape. Beyond the typing, four differences
/// are by design: a float that is not finite (`.inf`) is text to airisk where the reference
/// refuses the file; keys written alike (`1` and `'1'`) are duplicates to airisk, whose keys are text,
/// where the reference tells them apart; airisk refuses `!!binary` scalars, which the
/// reference decodes from base64; and airisk reads every value of the file, where the
/// reference skips, unread, the values a merge key adds under a key the mapping already has
/// ([`unread_by_the_reference`]).
pub fn agrees(text: &str) -> Result<(), String> {
    let typed = super::parse_with::<schema::Saphyr>(text);
    let core = super::parse(text);
    if let (Ok(core), Ok(saphyr)) = (&core, &typed)
        && let Some(at) = shapes_differ(core, saphyr)
    {
        return Err(format!(
            "the core schema's tree is shaped differently at {}..{}:\n  core:   {core:?}\n  saphyr: {saphyr:?}",
            at.0, at.1
        ));
    }
    // Read as written (`diff`, `history`): the same file refused, or the same shape.
    match (&core, super::parse_as_written(text)) {
        (Ok(core), Ok(written)) => {
            if let Some(at) = shapes_differ(core, &written) {
                return Err(format!(
                    "read as written, the tree is shaped differently at {}..{}:\n  core:    {core:?}\n  written: {written:?}",
                    at.0, at.1
                ));
            }
        }
        (Err(_), Err(_)) => {}
        (core, written) => {
            return Err(format!(
                "read as written, the file reads otherwise:\n  core:    {core:?}\n  written: {written:?}"
            ));
        }
    }
    match (typed, parse(text)) {
        (Ok(a), Ok(b)) if a == b => Ok(()),
        (Ok(a), Ok(b)) => Err(format!(
            "trees differ:\n  granit:    {a:?}\n  reference: {b:?}"
        )),
        (Err(_), Err(_)) => Ok(()),
        (Ok(_), Err(e)) if e.message.starts_with("non-finite float") => Ok(()),
        (Err(e), Ok(b)) if e.message.starts_with("duplicate mapping key") && keys_alike(&b) => {
            Ok(())
        }
        (Err(e), Ok(_)) if e.message.starts_with("the tag !!binary") => Ok(()),
        (Err(e), Ok(_)) if unread_by_the_reference(text, &e) => Ok(()),
        (Ok(a), Err(e)) => Err(format!(
            "only the reference refuses it ({}): {a:?}",
            e.message
        )),
        (Err(e), Ok(b)) => Err(format!(
            "only granit refuses it ({} at {}:{}): {b:?}",
            e.message, e.line, e.column
        )),
    }
}

/// Where two trees first differ in anything but the values of their scalars: their ranges,
/// their keys, the length or kind of their collections.
fn shapes_differ(a: &Node, b: &Node) -> Option<(usize, usize)> {
    if (a.start, a.end) != (b.start, b.end) {
        return Some((a.start, a.end));
    }
    match (&a.value, &b.value) {
        (Value::Seq(x), Value::Seq(y)) if x.len() == y.len() => {
            x.iter().zip(y).find_map(|(i, j)| shapes_differ(i, j))
        }
        (Value::Map(x), Value::Map(y)) if x.len() == y.len() => {
            x.iter().zip(y).find_map(|((k, v), (k2, v2))| {
                if k != k2 {
                    Some((k.start, k.end))
                } else {
                    shapes_differ(v, v2)
                }
            })
        }
        (Value::Seq(_) | Value::Map(_), _) | (_, Value::Seq(_) | Value::Map(_)) => {
            Some((a.start, a.end))
        }
        _ => None,
    }
}

/// Whether airisk refuses, with `e`, a value the reference never reads: one that a merge key
/// (`<<`) adds under a key the mapping already has (`o: a` with `<<: {o: !!int x}`). serde-
/// saphyr drops such a value without deserializing it, so it sees no error in it (a wrong
/// tag, a duplicate key, a merge of a scalar); airisk reads every value the file holds, and
/// refuses the file. It is such a value when the reference, reading merge keys as ordinary
/// keys (and so every value), refuses the text at the same place; or, for a merge that
/// cannot be made (`<<: 4`) inside such a value, when that reading has a merge key whose
/// value, where the error is, is not a mapping, a list of them, or null.
fn unread_by_the_reference(text: &str, e: &YamlError) -> bool {
    match parse_with(text, serde_saphyr::MergeKeyPolicy::AsOrdinary) {
        Err(ordinary) => (ordinary.line, ordinary.column) == (e.line, e.column),
        Ok(tree) => {
            e.message.starts_with("a merge key (<<) needs")
                && e.offset.is_some_and(|at| bad_merge_at(&tree, at))
        }
    }
}

/// Whether the tree (merge keys read as ordinary keys) has a `<<` key whose value starts at
/// `at` and is not something a merge key can merge.
fn bad_merge_at(n: &Node, at: usize) -> bool {
    fn mergeable(n: &Node) -> bool {
        match &n.value {
            Value::Null | Value::Map(_) => true,
            Value::Seq(items) => items.iter().all(mergeable),
            _ => false,
        }
    }
    match &n.value {
        Value::Map(entries) => entries.iter().any(|(k, v)| {
            (k.text == "<<" && v.start == at && !mergeable(v)) || bad_merge_at(v, at)
        }),
        Value::Seq(items) => items.iter().any(|i| bad_merge_at(i, at)),
        _ => false,
    }
}

/// Whether a mapping in the tree has two keys written alike.
fn keys_alike(n: &Node) -> bool {
    match &n.value {
        Value::Map(entries) => {
            entries
                .iter()
                .enumerate()
                .any(|(i, (k, _))| entries[..i].iter().any(|(k2, _)| k2.text == k.text))
                || entries.iter().any(|(_, v)| keys_alike(v))
        }
        Value::Seq(items) => items.iter().any(keys_alike),
        _ => false,
    }
}
