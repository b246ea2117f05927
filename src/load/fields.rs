//! Reading typed fields out of a YAML [`Node`] tree, reporting every problem as a finding.
//!
//! This is the loader's hand-rolled "deserializer": a [`Fields`] reader over one mapping is
//! opened with that mapping's declaration (`kinds::fields::Mapping`) and reads through it: it
//! refuses, as a bug (a panic the tests meet), to look up a key the declaration does not
//! list or to read it other than as declared (required, optional, or ruled), and in a debug
//! build it checks that every declared key was looked up. So the reader, the JSON Schema and
//! the docs cannot drift from one another; unknown keys get a "did you mean" from the keys
//! read. Typed converters report `invalid-value` at the value and `missing-field` at the
//! enclosing mapping. Unlike serde, it never stops at the first problem in a file.

use super::yaml::{Key, Node, Value};
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::kinds::fields::{Field as Declared, Item, Mapping, Presence, Symbol, Type};
pub use crate::kinds::values::StrEnum;
use crate::model::symbols::Recorded;
use crate::model::time::{Date, Duration, parse_date};
use crate::model::{Field, FileId, Sp, Span};

/// The state of one file being lowered: where findings go, and the symbols it defines and
/// names (for the symbol index).
pub struct Cx<'a> {
    pub file: FileId,
    pub text: &'a str,
    pub diags: &'a mut Vec<Diagnostic>,
    pub recorded: &'a mut Recorded,
}

/// A value read from a field, as far as the symbol index cares: the texts in it, which
/// define or name a symbol when the field's declaration says so.
pub trait Named {
    fn named(&self) -> &[Sp<String>] {
        &[]
    }
}

impl Named for Sp<String> {
    fn named(&self) -> &[Sp<String>] {
        std::slice::from_ref(self)
    }
}

impl Named for Vec<Sp<String>> {
    fn named(&self) -> &[Sp<String>] {
        self
    }
}

impl Named for Sp<Date> {}
impl Named for Sp<Duration> {}
impl Named for Sp<i64> {}
impl Named for Sp<bool> {}
impl<E: StrEnum> Named for Sp<E> {}
impl<E: StrEnum> Named for Vec<Sp<E>> {}

/// The fields of one mapping, as they are read.
pub struct Fields<'n> {
    /// Where a missing field points: the key introducing the mapping, or the mapping itself.
    pub at: Span,
    /// What the mapping is, for messages ("risk", "treatment").
    pub what: &'static str,
    /// Its declaration: the only keys it may look up.
    pub mapping: &'static Mapping,
    entries: &'n [(Key, Node)],
    used: Vec<bool>,
    known: Vec<&'static str>,
    /// Required keys reported missing, with the index of their finding: a misspelt key
    /// that suggests one of them replaces that finding (one finding per defect).
    missing: Vec<(&'static str, usize)>,
}

/// A key looked up in a mapping.
pub enum Entry<'n> {
    Absent,
    /// Present with an empty (null) value: `provider:` or `provider: null`.
    Null(Span),
    Present(Span, &'n Node),
}

/// A converter from a YAML value to a typed value, reporting `invalid-value` itself.
pub type Conv<T> = fn(&mut Cx, &Node) -> Option<T>;

impl<'a> Cx<'a> {
    pub fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    pub fn node_span(&self, n: &Node) -> Span {
        self.span(n.start, n.end)
    }

    pub fn key_span(&self, k: &Key) -> Span {
        self.span(k.start, k.end)
    }

    pub fn report(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub fn invalid(&mut self, span: Span, message: impl Into<String>) {
        self.report(Diagnostic::new(Code::InvalidValue, span, message));
    }

    /// Opens a mapping declared as `mapping`. Anything else is `invalid-value` and yields
    /// `None`.
    pub fn fields<'n>(
        &mut self,
        node: &'n Node,
        at: Span,
        mapping: &'static Mapping,
    ) -> Option<Fields<'n>> {
        let what = mapping.what;
        match &node.value {
            Value::Map(entries) => Some(Fields {
                at,
                what,
                mapping,
                entries,
                used: vec![false; entries.len()],
                known: Vec::with_capacity(mapping.fields.len()),
                missing: Vec::new(),
            }),
            other => {
                let span = if node.end > node.start {
                    self.node_span(node)
                } else {
                    at
                };
                self.invalid(
                    span,
                    format!(
                        "expected a mapping of fields for the {what}, found {}",
                        describe(other)
                    ),
                );
                None
            }
        }
    }

    /// Looks up `key`, which the mapping's declaration must list.
    pub fn entry<'n>(&mut self, f: &mut Fields<'n>, key: &'static str) -> Entry<'n> {
        declared(f, key);
        f.known.push(key);
        let Some(i) = f.entries.iter().position(|(k, _)| k.text == key) else {
            return Entry::Absent;
        };
        f.used[i] = true;
        let (k, v) = &f.entries[i];
        let ks = self.key_span(k);
        match v.value {
            Value::Null => Entry::Null(ks),
            _ => Entry::Present(ks, v),
        }
    }

    /// Looks up a required `key` whose absence the caller reports itself (with
    /// [`Cx::report_missing`]).
    pub fn entry_required<'n>(&mut self, f: &mut Fields<'n>, key: &'static str) -> Entry<'n> {
        expect(f, key, Presence::Required);
        self.entry(f, key)
    }

    /// The span of `key` when the mapping has it (whatever its value), without reading it.
    pub fn key_of(&self, f: &Fields, key: &str) -> Option<Span> {
        f.entries
            .iter()
            .find(|(k, _)| k.text == key)
            .map(|(k, _)| self.key_span(k))
    }

    /// Reports the absence of required `key` (superseded by a misspelling of it, in `finish`).
    pub fn report_missing(&mut self, f: &mut Fields, key: &'static str, d: Diagnostic) {
        self.report_missing_any(f, &[key], d);
    }

    /// Like [`Cx::report_missing`], for a finding that any of `keys` would have satisfied
    /// (`system` or `systems`).
    pub fn report_missing_any(&mut self, f: &mut Fields, keys: &[&'static str], d: Diagnostic) {
        for key in keys {
            f.missing.push((key, self.diags.len()));
        }
        self.report(d);
    }

    /// Whether the mapping has a key that is a misspelling of `key` (which is absent):
    /// the misspelt key is reported as `unknown-field`, and a rule about the absence of
    /// `key` would report the same defect twice.
    pub fn misspelt(&self, f: &Fields, key: &str) -> bool {
        f.entries.iter().any(|(k, _)| near_miss(&k.text, key))
    }

    /// Records what a value read from `key` defines or names, as its declaration says (for
    /// a list, its items' declaration): the readers below do it for the values they return.
    pub fn record(&mut self, f: &Fields, key: &'static str, value: &impl Named) {
        let d = declared(f, key);
        let symbol = match d.ty {
            Type::List { item, .. } | Type::OneOrList(item) => item.symbol,
            Type::Map { value, .. } => value.symbol_of_items(),
            _ => d.symbol,
        };
        self.push(symbol, f.mapping, d, value.named());
    }

    /// Records what a key of the mapping of ids under `field` defines and names (a person's
    /// key, an SoA decision's control).
    pub fn record_key(&mut self, f: &Fields, field: &'static str, key: &Sp<String>) {
        let d = declared(f, field);
        let Type::Map { key: k, .. } = d.ty else {
            panic!("`{field}` of the {} is not a mapping of ids", f.what);
        };
        if let Some(kind) = k.defines {
            self.push(
                Symbol::Defines(kind),
                f.mapping,
                d,
                std::slice::from_ref(key),
            );
        }
        if let Some(kind) = k.refers {
            self.push(
                Symbol::Refers(kind),
                f.mapping,
                d,
                std::slice::from_ref(key),
            );
        }
    }

    fn push(
        &mut self,
        symbol: Symbol,
        mapping: &'static Mapping,
        d: &'static Declared,
        values: &[Sp<String>],
    ) {
        // A reference knows its mapping as the one whose fields hold its field.
        debug_assert!(
            mapping
                .fields
                .as_ptr_range()
                .contains(&std::ptr::from_ref(d)),
            "`{}` is a field of the {}",
            d.name,
            mapping.what
        );
        for v in values {
            match symbol {
                Symbol::None => {}
                Symbol::Defines(kind) => self.recorded.defs.push((kind, v.clone())),
                Symbol::Refers(kind) => {
                    // Most ids are written as they are (no quotes, no escapes): the
                    // record then holds their place, not a copy.
                    if self.text.get(v.span.range()) == Some(v.value.as_str()) {
                        self.recorded.refer_as_written(kind, v.span, d);
                    } else {
                        self.recorded.refer(kind, v.clone(), d);
                    }
                }
            }
        }
    }

    /// A required field: absent (or empty) is `missing-field`.
    pub fn req<T: Named>(&mut self, f: &mut Fields, key: &'static str, conv: Conv<T>) -> Option<T> {
        match self.entry_required(f, key) {
            Entry::Absent => {
                let d = Diagnostic::new(
                    Code::MissingField,
                    f.at,
                    format!("missing field `{key}` in the {}", f.what),
                )
                .label(format!("this {} has no `{key}`", f.what));
                self.report_missing(f, key, d);
                None
            }
            Entry::Null(ks) => {
                let d = Diagnostic::new(Code::MissingField, ks, format!("field `{key}` is empty"))
                    .label("a value is required here");
                self.report(d);
                None
            }
            Entry::Present(_, n) => self.read(f, key, n, conv),
        }
    }

    /// A value converted and recorded.
    fn read<T: Named>(
        &mut self,
        f: &Fields,
        key: &'static str,
        n: &Node,
        conv: Conv<T>,
    ) -> Option<T> {
        let v = conv(self, n)?;
        self.record(f, key, &v);
        Some(v)
    }

    /// An optional field; `null` counts as absent.
    pub fn opt<T: Named>(&mut self, f: &mut Fields, key: &'static str, conv: Conv<T>) -> Option<T> {
        expect(f, key, Presence::Optional);
        match self.entry(f, key) {
            Entry::Absent | Entry::Null(_) => None,
            Entry::Present(_, n) => self.read(f, key, n, conv),
        }
    }

    /// A field whose absence a rule reports: tells absent from invalid. A misspelling of the
    /// key counts as invalid (its `unknown-field` finding is the one defect).
    pub fn field<T: Named>(
        &mut self,
        f: &mut Fields,
        key: &'static str,
        conv: Conv<T>,
    ) -> Field<T> {
        expect(f, key, Presence::Ruled);
        match self.entry(f, key) {
            Entry::Absent if self.misspelt(f, key) => Field::Invalid,
            Entry::Absent | Entry::Null(_) => Field::Absent,
            Entry::Present(_, n) => self.read(f, key, n, conv).map_or(Field::Invalid, Field::Ok),
        }
    }

    /// An optional list; a single scalar is `invalid-value` (write `[x]`).
    pub fn list(
        &mut self,
        f: &mut Fields,
        key: &'static str,
        conv: Conv<Sp<String>>,
    ) -> Vec<Sp<String>> {
        expect(f, key, Presence::Optional);
        match self.entry(f, key) {
            Entry::Absent | Entry::Null(_) => Vec::new(),
            Entry::Present(_, n) => {
                let items = self.items(n, key, conv).unwrap_or_default();
                self.record(f, key, &items);
                items
            }
        }
    }

    /// The items of a sequence, each converted; `None` when the node is not a sequence.
    pub fn items<T>(&mut self, n: &Node, key: &str, conv: Conv<T>) -> Option<Vec<T>> {
        match &n.value {
            // Sized to the sequence: collecting through `filter_map` grows from four
            // items by doubling, and a register holds a list or two of one or two items per
            // entity (docs/performance.md, fifth round).
            Value::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                out.extend(items.iter().filter_map(|i| conv(self, i)));
                Some(out)
            }
            other => {
                let span = self.node_span(n);
                let shown = self.text.get(n.start..n.end).unwrap_or("").to_string();
                let d = Diagnostic::new(
                    Code::InvalidValue,
                    span,
                    format!("`{key}` must be a list, found {}", describe(other)),
                )
                .help(format!("write a list: `{key}: [{shown}]`"));
                self.report(d);
                None
            }
        }
    }

    /// Reports every key of the mapping that the format does not know.
    pub fn finish(&mut self, f: Fields) {
        debug_assert!(
            f.mapping.fields.iter().all(|d| f.known.contains(&d.name)),
            "the {} reader does not look up every declared key: {:?} of {:?}",
            f.what,
            f.known,
            f.mapping.fields.iter().map(|d| d.name).collect::<Vec<_>>()
        );
        let mut superseded = Vec::new();
        for (i, (k, _)) in f.entries.iter().enumerate() {
            if f.used[i] {
                continue;
            }
            let span = self.key_span(k);
            let suggestion = did_you_mean(&k.text, f.known.iter().copied());
            if let Some(&(_, idx)) = f.missing.iter().find(|(m, _)| Some(*m) == suggestion) {
                superseded.push(idx);
            }
            let mut d = Diagnostic::new(
                Code::UnknownField,
                span,
                format!("unknown field `{}` in the {}", k.text, f.what),
            );
            // `{title: Retrain (weekly, monthly)}`: the key is the tail of the value before
            // it, cut at a `,`.
            // (A likely typo of a field keeps its "did you mean".)
            let cut = (suggestion.is_none() || k.text.contains([')', ' ']))
                .then(|| crate::load::yaml::flow_comma(self.text, f.entries, i))
                .flatten();
            d = match (suggestion, cut) {
                (_, Some(h)) => {
                    let width = self.text.get(h.at..).and_then(|t| t.chars().next());
                    let end = h.at + width.map_or(0, char::len_utf8);
                    d.label("the text after a `,` of the value before it")
                        .with_label(self.span(h.at, end), h.label)
                        .help(h.help)
                }
                (Some(s), None) => d
                    .label(format!("did you mean `{s}`?"))
                    .help(format!("rename it to `{s}`")),
                (None, None) => d.label("not a field of this mapping").note(format!(
                    "known fields: {}",
                    f.known
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            self.report(d);
        }
        superseded.sort_unstable();
        for idx in superseded.into_iter().rev() {
            self.diags.remove(idx);
        }
    }
}

/// The symbol of the values under each key of a mapping of ids (a role's members).
trait ItemsSymbol {
    fn symbol_of_items(&self) -> Symbol;
}

impl ItemsSymbol for Item {
    fn symbol_of_items(&self) -> Symbol {
        match self.ty {
            Type::List { item, .. } | Type::OneOrList(item) => item.symbol,
            _ => self.symbol,
        }
    }
}

/// The declaration of `key` in the mapping being read: a key the reader looks up must be
/// declared (`kinds`), or the reader and the schema would disagree. A bug, not a finding.
fn declared(f: &Fields, key: &str) -> &'static Declared {
    f.mapping.field(key).unwrap_or_else(|| {
        panic!(
            "the {} reader looks up `{key}`, which its declaration does not list",
            f.what
        )
    })
}

/// Checks that `key` is declared as read: `req` for required fields, `opt` and `list` for
/// optional ones, `field` for those whose absence a rule reports.
fn expect(f: &Fields, key: &str, presence: Presence) {
    let d = declared(f, key);
    assert_eq!(
        d.presence, presence,
        "the {} reader reads `{key}` as {presence:?}, its declaration says {:?}",
        f.what, d.presence
    );
}

/// Whether `did_you_mean(written, [key])` would suggest `key`: a different spelling within a
/// third of the longer length in edits. Asked for every absent optional field of every file,
/// so ASCII keys (all of the format's) are compared here without allocating, with the
/// length difference as a first bound; anything else goes through `did_you_mean` itself.
fn near_miss(written: &str, key: &str) -> bool {
    if written == key {
        return false;
    }
    let (a, b) = (written.as_bytes(), key.as_bytes());
    const MAX: usize = 32;
    if !written.is_ascii() || !key.is_ascii() || a.len() > MAX || b.len() > MAX {
        return did_you_mean(written, [key]).is_some();
    }
    let limit = (a.len().max(b.len()) / 3).max(1);
    if a.len().abs_diff(b.len()) > limit {
        return false;
    }
    // Optimal string alignment distance, case-insensitive, over three rolling rows.
    let w = b.len() + 1;
    // Distances are at most MAX: a byte holds them.
    let (mut before, mut prev, mut row) = ([0u8; MAX + 1], [0u8; MAX + 1], [0u8; MAX + 1]);
    for (j, cell) in (0u8..).zip(prev.iter_mut().take(w)) {
        *cell = j;
    }
    let lower = |c: u8| c.to_ascii_lowercase();
    for i in 1..=a.len() {
        row[0] = i as u8;
        for j in 1..w {
            let cost = u8::from(lower(a[i - 1]) != lower(b[j - 1]));
            let mut v = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1
                && j > 1
                && lower(a[i - 1]) == lower(b[j - 2])
                && lower(a[i - 2]) == lower(b[j - 1])
            {
                v = v.min(before[j - 2] + 1);
            }
            row[j] = v;
        }
        before = prev;
        prev = row;
    }
    usize::from(prev[w - 1]) <= limit
}

/// What a value is, for messages.
pub fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Int(_) => "a number",
        Value::Float(_) => "a number",
        Value::Str(_) => "text",
        Value::Seq(_) => "a list",
        Value::Map(_) => "a mapping",
    }
}

/// The text of a scalar as written: plain scalars that YAML typed (`4.2`, `TRUE`) keep their
/// spelling, so `model_version: 4.2` is the text "4.2".
fn scalar_text(cx: &Cx, n: &Node) -> Option<String> {
    match &n.value {
        Value::Str(s) => Some(s.clone()),
        Value::Bool(_) | Value::Int(_) | Value::Float(_) => {
            cx.text.get(n.start..n.end).map(str::to_string)
        }
        _ => None,
    }
}

/// Non-empty text.
pub fn text(cx: &mut Cx, n: &Node) -> Option<Sp<String>> {
    let span = cx.node_span(n);
    match scalar_text(cx, n) {
        Some(s) if s.trim().is_empty() => {
            cx.invalid(span, "expected text, found an empty string");
            None
        }
        Some(s) => Some(Sp::new(s, span)),
        None => {
            cx.invalid(span, format!("expected text, found {}", describe(&n.value)));
            None
        }
    }
}

pub fn date(cx: &mut Cx, n: &Node) -> Option<Sp<Date>> {
    let span = cx.node_span(n);
    let Some(s) = scalar_text(cx, n) else {
        cx.invalid(
            span,
            format!("expected a date (YYYY-MM-DD), found {}", describe(&n.value)),
        );
        return None;
    };
    match parse_date(s.trim()) {
        Ok(d) => Some(Sp::new(d, span)),
        Err(e) => {
            cx.invalid(span, e);
            None
        }
    }
}

pub fn duration(cx: &mut Cx, n: &Node) -> Option<Sp<Duration>> {
    let span = cx.node_span(n);
    let Some(s) = scalar_text(cx, n) else {
        cx.invalid(
            span,
            format!(
                "expected a duration like \"3 months\", found {}",
                describe(&n.value)
            ),
        );
        return None;
    };
    match Duration::parse(&s) {
        Ok(d) => Some(Sp::new(d, span)),
        Err(e) => {
            cx.invalid(span, e);
            None
        }
    }
}

/// A whole number. Range checks against the criteria are a rule (`score-out-of-range`).
pub fn int(cx: &mut Cx, n: &Node) -> Option<Sp<i64>> {
    let span = cx.node_span(n);
    match &n.value {
        Value::Int(i) => Some(Sp::new(*i, span)),
        Value::Float(_) => {
            let written = cx.text.get(n.start..n.end).unwrap_or("").to_string();
            cx.invalid(span, format!("expected a whole number, found `{written}`"));
            None
        }
        other => {
            cx.invalid(
                span,
                format!("expected a whole number, found {}", describe(other)),
            );
            None
        }
    }
}

pub fn boolean(cx: &mut Cx, n: &Node) -> Option<Sp<bool>> {
    let span = cx.node_span(n);
    match &n.value {
        Value::Bool(b) => Some(Sp::new(*b, span)),
        // YAML 1.1's booleans (`yes`, `on`, `y`) are text to a YAML 1.2 reader, airisk's
        // included; written plain, they were most likely meant as booleans.
        Value::Str(s)
            if super::yaml::yaml11_boolean(s) && cx.text.get(n.start..n.end) == Some(s) =>
        {
            cx.invalid(
                span,
                format!("`{s}` is not a YAML 1.2 boolean: write true or false"),
            );
            None
        }
        other => {
            cx.invalid(
                span,
                format!("expected true or false, found {}", describe(other)),
            );
            None
        }
    }
}

pub fn enumeration<E: StrEnum>(cx: &mut Cx, n: &Node) -> Option<Sp<E>> {
    let span = cx.node_span(n);
    let Some(s) = scalar_text(cx, n) else {
        cx.invalid(
            span,
            format!("expected a {}, found {}", E::ENUM.what, describe(&n.value)),
        );
        return None;
    };
    if let Ok(v) = s.parse::<E>() {
        return Some(Sp::new(v, span));
    }
    let mut d = Diagnostic::new(
        Code::InvalidValue,
        span,
        format!("unknown {} `{s}`", E::ENUM.what),
    )
    .note(format!("expected one of: {}", E::ENUM.values.join(", ")));
    if let Some(m) = did_you_mean(&s, E::ENUM.values.iter().copied()) {
        d = d.label(format!("did you mean `{m}`?"));
    }
    cx.report(d);
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse;

    #[test]
    fn near_misses_are_what_did_you_mean_suggests() {
        let words = [
            "id",
            "ID",
            "title",
            "titel",
            "Title",
            "system",
            "systems",
            "sytem",
            "category",
            "evidence",
            "evidnece",
            "eviDence",
            "owner",
            "ownr",
            "due",
            "plan",
            "plna",
            "status",
            "controls",
            "target",
            "option",
            "rationale",
            "approved_by",
            "approvedby",
            "date",
            "expires",
            "exception",
            "reviewed",
            "review_every",
            "x",
            "ab",
            "ba",
            "clé",
            "cle",
            "a_key_that_is_much_longer_than_thirty_two_bytes",
            "a_key_that_is_much_longer_than_thirty_two_byte",
        ];
        for a in words {
            for b in words {
                assert_eq!(near_miss(a, b), did_you_mean(a, [b]).is_some(), "{a} / {b}");
            }
        }
    }

    fn run(text: &str, f: impl FnOnce(&mut Cx, &Node)) -> Vec<Diagnostic> {
        let node = parse(text).unwrap();
        let mut diags = Vec::new();
        let mut recorded = Recorded::default();
        let mut cx = Cx {
            file: FileId(0),
            text,
            diags: &mut diags,
            recorded: &mut recorded,
        };
        f(&mut cx, &node);
        diags
    }

    use crate::kinds::fields::{Presence::*, Type, field};

    static RISKISH: Mapping = Mapping {
        what: "risk",
        description: "",
        fields: &[
            field("title", Required, Type::Text, ""),
            field("reviewed", Optional, Type::Date, ""),
            field("likelihood", Optional, Type::Int, ""),
        ],
        constraints: &[],
    };
    static TEXTS: Mapping = Mapping {
        what: "system",
        description: "",
        fields: &[
            field("v", Optional, Type::Text, ""),
            field("w", Optional, Type::Text, ""),
            field("x", Optional, Type::Text, ""),
            field("y", Optional, Type::Text, ""),
        ],
        constraints: &[],
    };
    static FLAGS: Mapping = Mapping {
        what: "decision",
        description: "",
        fields: &[
            field("a", Optional, Type::Bool, ""),
            field("b", Optional, Type::Bool, ""),
            field("c", Optional, Type::Bool, ""),
            field("d", Optional, Type::Bool, ""),
            field("e", Optional, Type::Bool, ""),
            field("f", Optional, Type::Bool, ""),
            field("g", Optional, Type::Bool, ""),
            field("h", Optional, Type::Bool, ""),
        ],
        constraints: &[],
    };
    static RULED: Mapping = Mapping {
        what: "treatment",
        description: "",
        fields: &[
            field("due", Ruled, Type::Date, ""),
            field("owner", Ruled, Type::Text, ""),
        ],
        constraints: &[],
    };

    #[test]
    fn reports_every_problem_in_one_mapping() {
        let diags = run("titel: x\nreviewed: soon\nlikelihood: 2.5\n", |cx, n| {
            let at = cx.span(0, 0);
            let mut f = cx.fields(n, at, &RISKISH).unwrap();
            assert!(cx.req(&mut f, "title", text).is_none());
            assert!(cx.opt(&mut f, "reviewed", date).is_none());
            assert!(cx.opt(&mut f, "likelihood", int).is_none());
            cx.finish(f);
        });
        let codes: Vec<_> = diags
            .iter()
            .map(|d| (d.code, d.primary.span.start))
            .collect();
        // The misspelt `titel` is one defect: unknown-field with a suggestion replaces the
        // missing-field of `title`.
        assert_eq!(
            codes,
            [
                (Code::InvalidValue, 19),
                (Code::InvalidValue, 36),
                (Code::UnknownField, 0)
            ]
        );
        assert_eq!(diags[2].primary.message, "did you mean `title`?");
    }

    #[test]
    fn the_tail_of_a_value_cut_at_a_comma_gets_the_quoting_hint() {
        let read = |doc: &str| {
            run(doc, |cx, n| {
                let at = cx.span(0, 0);
                let mut f = cx.fields(n, at, &RULED).unwrap();
                let _ = cx.field(&mut f, "due", date);
                let _ = cx.field(&mut f, "owner", text);
                cx.finish(f);
            })
        };
        let diags = read("{owner: Retrain (weekly, monthly), due: 2027-01-31}");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, Code::UnknownField);
        assert_eq!(
            diags[0].primary.message,
            "the text after a `,` of the value before it"
        );
        assert_eq!(diags[0].secondary[0].span.start, 8);
        assert!(
            diags[0]
                .help
                .as_deref()
                .is_some_and(|h| h
                    .starts_with("put the text in quotes: owner: \"Retrain (weekly, monthly)\"")),
            "{diags:?}"
        );
        // A likely typo of a field keeps its "did you mean".
        let diags = read("{owner: x, du}");
        assert_eq!(diags[0].primary.message, "did you mean `due`?");
    }

    #[test]
    fn typed_scalars_keep_their_spelling_as_text() {
        let diags = run("v: 4.20\nw: yes\nx: TRUE\ny: 0x10\n", |cx, n| {
            let at = cx.span(0, 0);
            let mut f = cx.fields(n, at, &TEXTS).unwrap();
            assert_eq!(cx.opt(&mut f, "v", text).unwrap().value, "4.20");
            assert_eq!(cx.opt(&mut f, "w", text).unwrap().value, "yes");
            assert_eq!(cx.opt(&mut f, "x", text).unwrap().value, "TRUE");
            assert_eq!(cx.opt(&mut f, "y", text).unwrap().value, "0x10");
            cx.finish(f);
        });
        assert!(diags.is_empty());
    }

    #[test]
    fn booleans_are_yaml_1_2_and_yaml_1_1_spellings_are_named() {
        let text = "a: true\nb: False\nc: !!bool TRUE\nd: yes\ne: Off\nf: 'yes'\ng: maybe\nh: 1\n";
        let mut got = Vec::new();
        let diags = run(text, |cx, n| {
            let at = cx.span(0, 0);
            let mut f = cx.fields(n, at, &FLAGS).unwrap();
            for key in ["a", "b", "c", "d", "e", "f", "g", "h"] {
                got.push(cx.opt(&mut f, key, boolean).map(|b| b.value));
            }
            cx.finish(f);
        });
        assert_eq!(
            got,
            [
                Some(true),
                Some(false),
                Some(true),
                None,
                None,
                None,
                None,
                None
            ]
        );
        let messages: Vec<_> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`yes` is not a YAML 1.2 boolean: write true or false",
                "`Off` is not a YAML 1.2 boolean: write true or false",
                "expected true or false, found text",
                "expected true or false, found text",
                "expected true or false, found a number",
            ]
        );
    }

    #[test]
    fn absent_and_invalid_are_told_apart() {
        run("due: never\n", |cx, n| {
            let at = cx.span(0, 0);
            let mut f = cx.fields(n, at, &RULED).unwrap();
            assert_eq!(cx.field(&mut f, "due", date), Field::Invalid);
            assert_eq!(cx.field(&mut f, "owner", text), Field::Absent);
            cx.finish(f);
        });
    }

    #[test]
    #[should_panic(expected = "which its declaration does not list")]
    fn an_undeclared_key_cannot_be_read() {
        run("title: x\nowner: y\n", |cx, n| {
            let at = cx.span(0, 0);
            let mut f = cx.fields(n, at, &RISKISH).unwrap();
            let _ = cx.opt(&mut f, "owner", text);
        });
    }

    #[test]
    #[should_panic(expected = "reads `title` as Optional, its declaration says Required")]
    fn a_key_is_read_as_declared() {
        run("title: x\n", |cx, n| {
            let at = cx.span(0, 0);
            let mut f = cx.fields(n, at, &RISKISH).unwrap();
            let _ = cx.opt(&mut f, "title", text);
        });
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "does not look up every declared key")]
    fn every_declared_key_is_looked_up() {
        run("title: x\n", |cx, n| {
            let at = cx.span(0, 0);
            let mut f = cx.fields(n, at, &RISKISH).unwrap();
            let _ = cx.req(&mut f, "title", text);
            cx.finish(f);
        });
    }
}

#[cfg(test)]
mod room {
    use super::*;
    use crate::load::yaml::parse;

    /// A list is held at its length (a register holds a few short lists per entity, for the
    /// whole run), also when an item is dropped for being invalid.
    #[test]
    fn a_list_is_held_at_its_length() {
        let node = parse("a: [x]\nb: [x, y, z]\nc: [x, [y], z]\n").unwrap();
        let mut diags = Vec::new();
        let mut recorded = Recorded::default();
        let mut cx = Cx {
            file: FileId(0),
            text: "",
            diags: &mut diags,
            recorded: &mut recorded,
        };
        // (key, items read, items written)
        for (key, len, written) in [("a", 1, 1), ("b", 3, 3), ("c", 2, 3)] {
            let list = cx.items(node.get(key).unwrap(), key, text).unwrap();
            assert_eq!(list.len(), len, "{key}");
            assert_eq!(list.capacity(), written, "{key}");
        }
        assert_eq!(diags.len(), 1, "the list item is invalid: {diags:?}");
    }
}
