//! The one place that reads YAML: the register's files and the embedded taxonomy
//! ([`parse`]), and the versions of a file `diff` and `history` compare
//! ([`parse_as_written`]).
//!
//! Parses a document into a [`Node`] tree that keeps the byte range of every key and value,
//! so later stages can point at any of them and report every problem in a file, not just the
//! first one a deserializer would stop at. The tree is built straight from the events of
//! granit-parser (the YAML parser inside serde-saphyr, used directly: going through
//! serde-saphyr's serde layer made reading a register about twice as slow,
//! docs/performance.md). Duplicate keys, multiple documents, alias bombs and deep nesting are
//! rejected here as [`YamlError`]s. Scalars are typed by the YAML 1.2 core schema (`scalar`);
//! a tag outside it is not read, except `!!binary` and `!!timestamp`, which are refused
//! (`Core`).
//!
//! `reference::parse` (compiled only with the `reference` feature, for the tests and
//! fuzzing) is the former reader, built on serde-saphyr, kept as the reference the tests and
//! a fuzz target compare this one with, value by value and range by range.

mod hint;
#[cfg(feature = "reference")]
pub mod reference;
mod scalar;

pub use hint::{Hint, flow_comma, hint};
pub use scalar::yaml11_boolean;

use granit_parser::{Event, Parser, ScalarStyle, ScanError, Span, StrInput, Tag};
use std::borrow::Cow;
use std::collections::HashSet;
use std::marker::PhantomData;

/// Limits that keep a hostile file from exhausting memory or time.
/// A register file is a few hundred nodes; these are orders of magnitude above any real one.
pub const MAX_DEPTH: usize = 32;
pub const MAX_NODES: usize = 250_000;
/// Values copied through aliases (`*a`), across a file: alias bombs stop here.
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
                if a.len() != b.len() {
                    return false;
                }
                // A linear search per key is quadratic in a huge (hostile) mapping: past a
                // few keys, look them up in a map. Keys are unique (the parser rejects a
                // duplicate), so equal lengths and every key found mean the same key set.
                if a.len() < LINEAR_KEYS {
                    return a.iter().all(|(k, v)| {
                        b.iter()
                            .find(|(k2, _)| k2.text == k.text)
                            .is_some_and(|(_, v2)| v.same_content(v2))
                    });
                }
                let index: std::collections::HashMap<&str, &Node> =
                    b.iter().map(|(k, v)| (k.text.as_str(), v)).collect();
                index.len() == b.len()
                    && a.iter().all(|(k, v)| {
                        index
                            .get(k.text.as_str())
                            .is_some_and(|v2| v.same_content(v2))
                    })
            }
            (Value::Seq(a), Value::Seq(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_content(y))
            }
            (a, b) => a == b,
        }
    }

    /// Values in this tree, itself included (what an alias copies).
    fn count(&self) -> usize {
        1 + match &self.value {
            Value::Seq(items) => items.iter().map(Node::count).sum(),
            Value::Map(entries) => entries.iter().map(|(_, v)| 1 + v.count()).sum(),
            _ => 0,
        }
    }

    /// Gives this tree, keys included, the range `start..end`: a copy made by an alias is
    /// reported where the alias is written.
    fn relocate(&mut self, start: usize, end: usize) {
        (self.start, self.end) = (start, end);
        match &mut self.value {
            Value::Seq(items) => items.iter_mut().for_each(|i| i.relocate(start, end)),
            Value::Map(entries) => {
                for (k, v) in entries {
                    (k.start, k.end) = (start, end);
                    v.relocate(start, end);
                }
            }
            _ => {}
        }
    }
}

/// Parses one YAML document. An empty document is `Null`.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    parse_with::<Core>(text)
}

/// Parses one YAML document, giving every boolean and number its text as written (`4.20`,
/// `0x10`, `TRUE`): for comparing two versions of a file as written (`changes`). Strings
/// are their value, whatever their quoting; the rest (nulls, what is refused, which keys
/// are duplicates) as [`parse`].
pub fn parse_as_written(text: &str) -> Result<Node, YamlError> {
    parse_with::<Written>(text)
}

/// Parses one YAML document with `S`'s typing.
pub(crate) fn parse_with<S: Schema>(text: &str) -> Result<Node, YamlError> {
    Builder::<S> {
        events: Parser::new_from_str(text),
        text,
        anchors: Vec::new(),
        items: Vec::new(),
        entries: Vec::new(),
        reference: None,
        nodes: 0,
        copied: 0,
        anchored: 0,
        schema: PhantomData,
    }
    .stream()
}

/// How scalars and the tags of collections are read. airisk reads the YAML 1.2 core schema
/// ([`Core`]); the differential tests give the builder serde-saphyr's typing
/// (`reference::schema::Saphyr`), so that the trees they compare with the reference reader
/// differ only by design.
pub(crate) trait Schema {
    /// Whether booleans and numbers keep their text as written ([`parse_as_written`]).
    const AS_WRITTEN: bool = false;

    /// The value of a scalar with its text, style and tag, or why the file is refused.
    fn scalar(text: Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>) -> Result<Value, String>;

    /// Whether a mapping (or a sequence) may carry `tag`; why not.
    fn collection(tag: &Tag, mapping: bool) -> Result<(), String>;

    /// Whether a scalar with `tag` may be a mapping key; why not.
    fn key(tag: &Tag) -> Result<(), String>;

    /// The integer a key is, if it is one: two keys that are the same integer are
    /// duplicates, however written (`1` and `0x1`).
    fn key_int(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Option<KeyInt>;
}

/// An integer key: whether it is negative, and its magnitude.
pub(crate) type KeyInt = (bool, u128);

/// The YAML 1.2 core schema ([`scalar`]). A tag outside it is not read (the value reads as
/// if untagged: `!custom 4` is 4, `!include x` the text `x`), but for `!!binary` and
/// `!!timestamp`, refused: a register holds no binary data, and dates are plain text.
pub(crate) struct Core;

impl Schema for Core {
    fn scalar(text: Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
        if let Some(tag) = tag {
            if let Some(core) = tag.core_suffix() {
                return scalar::tagged(core, &text)
                    .map_err(|want| format!("`{text}` is not {want} (tag !!{core})"));
            }
            if let Some(name) = refused(tag) {
                let why = match name {
                    "binary" => "a register holds no binary data",
                    _ => "dates are written as plain text",
                };
                return Err(format!("the tag !!{name} is not read: {why}"));
            }
            if tag.suffix_in_namespace("!").as_deref() == Some("") {
                // The non-specific tag `!` (also written `!<!>`): text.
                return Ok(Value::Str(text.into_owned()));
            }
        }
        Ok(match style {
            ScalarStyle::Plain => scalar::plain(&text),
            _ => Value::Str(text.into_owned()),
        })
    }

    fn collection(tag: &Tag, mapping: bool) -> Result<(), String> {
        let kind = if mapping { "map" } else { "seq" };
        match tag.core_suffix().or_else(|| refused(tag)) {
            Some(name) if name != kind => Err(format!(
                "the tag !!{name} cannot be given to a {}",
                if mapping { "mapping" } else { "sequence" }
            )),
            _ => Ok(()),
        }
    }

    /// A key is text: a core tag of another type (`!!int 1: x`) is refused.
    fn key(tag: &Tag) -> Result<(), String> {
        match tag.core_suffix() {
            Some(name) if name != "str" => Err(format!(
                "a mapping key is text: the tag !!{name} cannot be given to one"
            )),
            _ => Ok(()),
        }
    }

    /// A plain key that the core schema reads as an integer (a tag that is not read, such as
    /// `!custom`, does not change that; `!!str` and `!` do).
    fn key_int(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Option<KeyInt> {
        let read_as_untagged = tag.is_none_or(|t| {
            t.core_suffix().is_none()
                && refused(t).is_none()
                && t.suffix_in_namespace("!").as_deref() != Some("")
        });
        if style != ScalarStyle::Plain || !read_as_untagged {
            return None;
        }
        scalar::integer(text).map(|i| (i < 0, u128::from(i.unsigned_abs())))
    }
}

/// The core schema, booleans and numbers as written ([`parse_as_written`]).
struct Written;

impl Schema for Written {
    const AS_WRITTEN: bool = true;

    fn scalar(text: Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
        Core::scalar(text, style, tag)
    }

    fn collection(tag: &Tag, mapping: bool) -> Result<(), String> {
        Core::collection(tag, mapping)
    }

    fn key(tag: &Tag) -> Result<(), String> {
        Core::key(tag)
    }

    fn key_int(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Option<KeyInt> {
        Core::key_int(text, style, tag)
    }
}

/// The tags of the YAML type repository that airisk refuses: `binary`, `timestamp`.
fn refused(tag: &Tag) -> Option<&'static str> {
    match tag.suffix_in_namespace("tag:yaml.org,2002:")?.as_ref() {
        "binary" => Some("binary"),
        "timestamp" => Some("timestamp"),
        _ => None,
    }
}

/// Mappings with more keys than this find duplicates through a hash set; smaller ones by
/// comparing (faster for the few keys a register's mappings have).
const LINEAR_KEYS: usize = 16;

struct Builder<'a, S> {
    events: Parser<'a, StrInput<'a>>,
    text: &'a str,
    /// The trees of the anchors defined so far, by granit's anchor id, and for a scalar what
    /// an alias of it is as a key.
    anchors: Vec<Option<(Node, Option<AsKey>)>>,
    /// The items and entries of the sequences and mappings being read, innermost last: each
    /// is moved into a vector of its exact size when it ends, instead of growing its own.
    items: Vec<Node>,
    entries: Vec<(Key, Node)>,
    /// Where the values being read are reported, inside a merged mapping ([`Self::placed`]).
    reference: Option<At>,
    /// Values read, copies made by aliases included.
    nodes: usize,
    /// Values copied by aliases.
    copied: usize,
    /// Values copied for anchors.
    anchored: usize,
    schema: PhantomData<S>,
}

/// Where a value is: its byte range and the position of its start.
#[derive(Clone, Copy)]
struct At {
    start: usize,
    end: usize,
    line: usize,
    column: usize,
}

impl At {
    fn of(span: &Span) -> At {
        let start = span.start.byte_offset().unwrap_or(0);
        At {
            start,
            end: span.end.byte_offset().unwrap_or(start).max(start),
            line: span.start.line(),
            column: span.start.col() + 1,
        }
    }

    fn error(self, message: impl Into<String>) -> YamlError {
        YamlError {
            message: message.into(),
            line: self.line.max(1),
            column: self.column.max(1),
            offset: Some(self.start),
        }
    }
}

impl<'a, S: Schema> Builder<'a, S> {
    fn next(&mut self) -> Result<(Event<'a>, At), YamlError> {
        match self.events.next_event() {
            Some(Ok((event, span))) => Ok((event, At::of(&span))),
            Some(Err(e)) => Err(scan_error(&e)),
            None => {
                let end = self.text.len();
                let (line, column) = (self.text.lines().count().max(1), 1);
                Err(At {
                    start: end,
                    end,
                    line,
                    column,
                }
                .error("unexpected end of the file"))
            }
        }
    }

    /// The stream: one document, or none (null).
    fn stream(mut self) -> Result<Node, YamlError> {
        let mut root: Option<Node> = None;
        loop {
            let (event, at) = self.next()?;
            match event {
                Event::StreamStart | Event::DocumentEnd => {}
                // No document (nothing but comments): null, where the text ends.
                Event::StreamEnd => return Ok(root.unwrap_or_else(|| null(at))),
                Event::DocumentStart(..) if root.is_some() => {
                    return Err(
                        at.error("more than one YAML document in the file (one entity per file)")
                    );
                }
                Event::DocumentStart(..) => {
                    let (event, at) = self.next()?;
                    root = Some(if matches!(event, Event::DocumentEnd) {
                        null(at)
                    } else {
                        self.node(event, at, 0)?
                    });
                    self.anchors.clear();
                }
                _ => return Err(at.error("unexpected YAML structure")),
            }
        }
    }

    fn count(&mut self, at: At, n: usize) -> Result<(), YamlError> {
        self.nodes += n;
        if self.nodes > MAX_NODES {
            return Err(at.error(format!(
                "the file holds more than {MAX_NODES} values: the file is not read"
            )));
        }
        Ok(())
    }

    /// The value that starts with `event`; `depth` containers enclose it.
    fn node(&mut self, event: Event<'a>, at: At, depth: usize) -> Result<Node, YamlError> {
        let (node, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let as_key = (anchor != 0).then(|| AsKey::of::<S>(&text, style, tag.as_deref()));
                let node = self.scalar(text, style, tag.as_deref(), at)?;
                self.define(anchor, &node, as_key, at)?;
                return Ok(node);
            }
            Event::SequenceStart(_, anchor, tag) => {
                let items = self.sequence(at, depth, tag.as_deref(), false)?;
                (node(self.placed(at), items), anchor)
            }
            Event::MappingStart(_, anchor, tag) => {
                self.open(at, depth, tag.as_deref(), true)?;
                let entries = self.mapping(depth + 1)?;
                (node(self.placed(at), entries), anchor)
            }
            Event::Alias(id) => return self.alias(id, at),
            _ => return Err(at.error("unexpected YAML structure")),
        };
        self.define(anchor, &node, None, at)?;
        Ok(node)
    }

    /// Keeps a copy of the tree of anchor `anchor` (0: none) for its aliases, and for a
    /// scalar what it is as a key. The copies count against [`MAX_NODES`] too: anchors
    /// nested in anchors copy a tree once per level.
    fn define(
        &mut self,
        anchor: usize,
        node: &Node,
        as_key: Option<AsKey>,
        at: At,
    ) -> Result<(), YamlError> {
        if anchor != 0 {
            self.anchored += node.count();
            if self.anchored > MAX_NODES {
                return Err(at.error(format!(
                    "anchors hold more than {MAX_NODES} values: the file is not read"
                )));
            }
            if self.anchors.len() <= anchor {
                self.anchors.resize(anchor + 1, None);
            }
            self.anchors[anchor] = Some((node.clone(), as_key));
        }
        Ok(())
    }

    /// Opens a sequence or mapping: counted, nested no deeper than [`MAX_DEPTH`], and tagged
    /// (if at all) as what it is.
    fn open(
        &mut self,
        at: At,
        depth: usize,
        tag: Option<&Tag>,
        mapping: bool,
    ) -> Result<(), YamlError> {
        if depth >= MAX_DEPTH {
            return Err(at.error(format!(
                "nesting deeper than {MAX_DEPTH} levels: the file is not read"
            )));
        }
        self.count(at, 1)?;
        match tag {
            Some(tag) => S::collection(tag, mapping).map_err(|m| at.error(m)),
            None => Ok(()),
        }
    }

    /// A scalar, counted.
    fn scalar(
        &mut self,
        text: Cow<'a, str>,
        style: ScalarStyle,
        tag: Option<&Tag>,
        at: At,
    ) -> Result<Node, YamlError> {
        self.count(at, 1)?;
        let written = S::AS_WRITTEN.then(|| text.to_string());
        let value = S::scalar(text, style, tag).map_err(|m| at.error(m))?;
        let value = match (written, value) {
            (Some(w), Value::Bool(_) | Value::Int(_) | Value::Float(_)) => Value::Str(w),
            (_, value) => value,
        };
        Ok(node(self.placed(at), value))
    }

    /// The entries of a mapping, up to its end. Merge keys (`<<`) add the entries of the
    /// mappings they name, after the mapping's own and without replacing any.
    fn mapping(&mut self, depth: usize) -> Result<Value, YamlError> {
        let mark = self.entries.len();
        let mut int_keys: HashSet<KeyInt> = HashSet::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut merged: Vec<(Key, Node)> = Vec::new();
        loop {
            let (event, at) = self.next()?;
            if matches!(event, Event::MappingEnd) {
                break;
            }
            let merge = self.is_merge_key(&event);
            let (key, key_int) = self.key(event, at)?;
            let (event, value_at) = self.next()?;
            let value = if merge {
                self.merge_value(event, value_at, depth)?
            } else {
                self.node(event, value_at, depth)?
            };
            if merge {
                self.merge_sources(value, value_at, &mut merged)?;
                continue;
            }
            // The same key: written alike (keys are text to airisk), or the same integer
            // however written (`0` and `-0`, `1` and `0x1`), as the reference compares them.
            let entries = &self.entries[mark..];
            let mut duplicate = if entries.len() < LINEAR_KEYS {
                entries.iter().any(|(k, _)| k.text == key.text)
            } else {
                if seen.is_empty() {
                    seen.extend(entries.iter().map(|(k, _)| k.text.clone()));
                }
                !seen.insert(key.text.clone())
            };
            if let Some(i) = key_int {
                duplicate |= !int_keys.insert(i);
            }
            if duplicate {
                return Err(at.error(format!("duplicate mapping key: {}", key.text)));
            }
            self.entries.push((key, value));
        }
        let mut entries = self.entries.split_off(mark);
        if !merged.is_empty() {
            // The mapping's own keys win, then the first merged mapping that has a key.
            let mut taken: HashSet<String> = entries.iter().map(|(k, _)| k.text.clone()).collect();
            for (key, value) in merged {
                if taken.insert(key.text.clone()) {
                    entries.push((key, value));
                }
            }
        }
        Ok(Value::Map(entries))
    }

    /// A mapping key: a scalar (or an alias of one), read as written, with the integer YAML
    /// makes of it (`0x1` and `1` are the same integer).
    fn key(&mut self, event: Event<'a>, at: At) -> Result<(Key, Option<KeyInt>), YamlError> {
        const NULL: &str = "a mapping key is empty or null (quote it to mean the text)";
        let (text, int) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag.as_deref();
                if let Some(tag) = tag {
                    S::key(tag).map_err(|m| at.error(m))?;
                }
                if anchor == 0 {
                    // No alias can name it: the key's text is the scalar's own when it reads
                    // as text (the usual key), so it is not copied again (a key is allocated
                    // once, not three times: docs/performance.md, fifth round). `text` is
                    // borrowed from the file unless it had escapes: cloning it is free.
                    let int = S::key_int(&text, style, tag);
                    let node = self.scalar(text.clone(), style, tag, at)?;
                    let written = match node.value {
                        Value::Null => return Err(at.error(NULL)),
                        Value::Str(s) if s == *text => s,
                        _ => text.into_owned(),
                    };
                    let at = self.placed(at);
                    let key = Key {
                        text: written,
                        start: at.start,
                        end: at.end,
                    };
                    return Ok((key, int));
                }
                let as_key = AsKey::of::<S>(&text, style, tag);
                let node = self.scalar(text, style, tag, at)?;
                if node.value == Value::Null {
                    return Err(at.error(NULL));
                }
                let (written, int) = (as_key.text.clone(), as_key.int);
                self.define(anchor, &node, Some(as_key), at)?;
                (written, int)
            }
            // An alias of a scalar: the key is that scalar, as written where it is anchored.
            Event::Alias(id) => {
                let as_key = match self.anchors.get(id) {
                    Some(Some((_, as_key))) => as_key.clone(),
                    _ => None,
                };
                let value = self.alias(id, at)?.value;
                let Some(as_key) = as_key else {
                    return Err(at.error("a mapping key must be a scalar, not a list or mapping"));
                };
                if let Some(why) = as_key.refused {
                    return Err(at.error(why));
                }
                if value == Value::Null {
                    return Err(at.error(NULL));
                }
                (as_key.text, as_key.int)
            }
            _ => return Err(at.error("a mapping key must be a scalar, not a list or mapping")),
        };
        let at = self.placed(at);
        let key = Key {
            text,
            start: at.start,
            end: at.end,
        };
        Ok((key, int))
    }

    /// Whether `event`, a key, is a merge key: `<<`, plain and untagged (a tagged or quoted
    /// `<<` is an ordinary key, as the reference reads it), or an alias of one.
    fn is_merge_key(&self, event: &Event) -> bool {
        match event {
            Event::Scalar(text, style, _, tag) => is_merge(text, *style, tag.as_deref()),
            Event::Alias(id) => matches!(
                self.anchors.get(*id),
                Some(Some((_, Some(AsKey { merge: true, .. }))))
            ),
            _ => false,
        }
    }

    /// The value of a merge key (`<<`). What it adds to the mapping is reported where each
    /// mapping it merges is named, as the reference does: the mapping's start, or its alias,
    /// for every key and value inside (an alias inside keeps its own place).
    fn merge_value(&mut self, event: Event<'a>, at: At, depth: usize) -> Result<Node, YamlError> {
        let outer = self.reference;
        let Event::SequenceStart(_, anchor, tag) = event else {
            self.reference = Some(self.placed(at));
            let value = self.node(event, at, depth);
            self.reference = outer;
            return value;
        };
        // A list of mappings: each is placed where it is written.
        let items = self.sequence(at, depth, tag.as_deref(), true)?;
        let items = node(self.placed(at), items);
        self.define(anchor, &items, None, at)?;
        Ok(items)
    }

    /// The items of a sequence, up to its end. With `placed`, each item is reported where it
    /// is written (the mappings a merge key lists), whatever encloses the sequence.
    fn sequence(
        &mut self,
        at: At,
        depth: usize,
        tag: Option<&Tag>,
        placed: bool,
    ) -> Result<Value, YamlError> {
        self.open(at, depth, tag, false)?;
        let outer = self.reference;
        let mark = self.items.len();
        loop {
            let (event, item_at) = self.next()?;
            if matches!(event, Event::SequenceEnd) {
                break;
            }
            if placed {
                self.reference = Some(self.placed(item_at));
            }
            let item = self.node(event, item_at, depth + 1);
            self.reference = outer;
            self.items.push(item?);
        }
        Ok(Value::Seq(self.items.split_off(mark)))
    }

    /// Where a value read at `at` is reported: inside a merged mapping, where that mapping is
    /// named.
    fn placed(&self, at: At) -> At {
        match self.reference {
            Some(r) => At {
                start: r.start,
                end: r.end,
                ..at
            },
            None => at,
        }
    }

    /// The entries a merge key adds, in order: those of a mapping, or of a list of them
    /// (nested lists too); null adds none. Keys given twice are kept to the mapping's end,
    /// where the first one counts.
    fn merge_sources(
        &mut self,
        value: Node,
        at: At,
        merged: &mut Vec<(Key, Node)>,
    ) -> Result<(), YamlError> {
        match value.value {
            Value::Null => {}
            Value::Map(entries) => merged.extend(entries),
            Value::Seq(items) => {
                for item in items {
                    self.merge_sources(item, at, merged)?;
                }
            }
            _ => {
                return Err(at.error("a merge key (<<) needs a mapping or a list of mappings"));
            }
        }
        Ok(())
    }

    /// A copy of an anchor's tree, placed where the alias is.
    fn alias(&mut self, id: usize, at: At) -> Result<Node, YamlError> {
        let Some(Some((anchored, _))) = self.anchors.get(id) else {
            // granit reports unknown anchors itself; an anchor still open is a cycle.
            return Err(at.error("an alias refers to the value that contains it"));
        };
        let n = anchored.count();
        self.copied += n;
        if self.copied > MAX_ALIAS_EVENTS {
            return Err(at.error(format!(
                "aliases expand to more than {MAX_ALIAS_EVENTS} values (an alias bomb?): the file is not read"
            )));
        }
        let mut copy = anchored.clone();
        self.count(at, n)?;
        copy.relocate(at.start, at.end);
        Ok(copy)
    }
}

fn node(at: At, value: Value) -> Node {
    Node {
        start: at.start,
        end: at.end,
        value,
    }
}

fn null(at: At) -> Node {
    Node {
        start: at.start,
        end: at.start,
        value: Value::Null,
    }
}

/// What a scalar is as a key (kept for an anchored one, for its aliases): its text as
/// written, the integer it is, whether it is a merge key (`<<`), and why it cannot be a key,
/// if it cannot.
#[derive(Clone)]
struct AsKey {
    text: String,
    int: Option<KeyInt>,
    merge: bool,
    refused: Option<String>,
}

impl AsKey {
    fn of<S: Schema>(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> AsKey {
        AsKey {
            text: text.to_owned(),
            int: S::key_int(text, style, tag),
            merge: is_merge(text, style, tag),
            refused: tag.and_then(|t| S::key(t).err()),
        }
    }
}

/// A merge key: `<<`, plain and untagged.
fn is_merge(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> bool {
    style == ScalarStyle::Plain && tag.is_none() && text == "<<"
}

fn scan_error(e: &ScanError) -> YamlError {
    let mark = e.marker();
    YamlError {
        message: e.info(),
        line: mark.line().max(1),
        column: mark.col() + 1,
        offset: mark.byte_offset(),
    }
}

#[cfg(test)]
mod tests;
