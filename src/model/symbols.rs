//! The symbol index of a register: for every id of every kind (systems, risks, impact
//! assessments, incidents, people, roles, SoA decisions, Annex A controls, categories —
//! built in and extra —, Annex C sources and objectives, consequence types, infosec entries)
//! its kind, its definition (file and span; built-in and configured ids have none) and the
//! entity it is; and every reference — a value that names a symbol — with its span, the
//! field it sits in and the entity whose file holds it.
//!
//! The loader records definitions and references while it reads, from the field
//! declarations (`kinds`: a field that defines or names a symbol says so), and builds the
//! index once per load, in one pass over what it recorded ([`Builder`]): linear in the size
//! of the register. Every lookup by id goes through it — rules (`unknown-reference`,
//! `duplicate-id`), reports (`show`), `history`, `new`, the model's own `Register::risk` —
//! and so will the language server (go to definition, find references, rename, completion).
//!
//! The first definition of an id wins; later ones are `duplicate-id` findings. Empty ids (a
//! missing `id:`) define nothing.

use crate::kinds::Kind;
use crate::kinds::fields::{Field, Mapping};
use crate::source::{FileId, Sources, Sp, Span};
use std::collections::HashMap;

/// A defined id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub kind: Kind,
    pub id: String,
    /// Where the id is written: its definition. `None` for built-in and configured ids.
    pub span: Option<Span>,
    /// The entity among the model's entities of its kind (`register.risks[item]`,
    /// `people.people[item]`, `soa.decisions[item]`, the taxonomy's list for built-ins).
    pub item: usize,
}

impl Symbol {
    /// The file that defines it, if any.
    pub fn file(&self) -> Option<FileId> {
        self.span.map(|s| s.file)
    }
}

/// A value naming a symbol: 32 bytes, with no text of its own. Its id is one of the
/// index's names (each distinct id of a kind held once, [`Symbols::id`]); the mapping it
/// sits in is the one whose fields hold its field (docs/performance.md, sixth round).
#[derive(Clone, Debug)]
pub struct Reference {
    /// The field it sits in (for a key of a mapping of ids, the field holding that mapping).
    pub field: &'static Field,
    /// Where the id is written.
    pub span: Span,
    /// Its id: a place in the index's names.
    name: u32,
    /// The position of the entity whose file holds it ([`Symbol::item`]; 0 for a root file).
    from_item: u32,
    /// What it names.
    pub kind: Kind,
    /// The kind of the file that holds it.
    from_kind: Kind,
}

impl Reference {
    /// Whether it sits in field `field` of `mapping`.
    pub fn is_in(&self, mapping: &Mapping, field: &str) -> bool {
        mapping
            .fields
            .as_ptr_range()
            .contains(&std::ptr::from_ref(self.field))
            && self.field.name == field
    }

    /// The entity whose file holds it: the file's kind and the entity's position
    /// ([`Symbol::item`]; 0 for a root file).
    pub fn from(&self) -> (Kind, usize) {
        (self.from_kind, self.from_item as usize)
    }
}

/// In a file's record, a reference's `name` when its id is the text at its span as written.
const AS_WRITTEN: u32 = u32::MAX;

/// What the loader records of one file as it reads it, in reading order.
#[derive(Clone, Debug, Default)]
pub struct Recorded {
    /// Ids defined: an entity's `id`, a person's key, a role's name, a decision's control.
    pub defs: Vec<(Kind, Sp<String>)>,
    /// Values naming a symbol, with the field they sit in, already in the shape the index
    /// keeps them in (the index numbers their ids in place: the references of a register
    /// are never held twice). Until then a reference's `name` is [`AS_WRITTEN`] (most are:
    /// no quotes, no escapes) or its id's place in `ids`.
    refs: Vec<Reference>,
    /// The ids not written as they are.
    ids: Vec<Box<str>>,
}

impl Recorded {
    /// Records a value naming `kind`'s `id`, in field `field`.
    pub fn refer(&mut self, kind: Kind, id: Sp<String>, field: &'static Field) {
        let name = slot_index(self.ids.len());
        self.ids.push(id.value.into_boxed_str());
        self.push(kind, id.span, field, name);
    }

    /// Records a value naming `kind`'s id written as it is at `span` of the file's text
    /// (the text the index is built with: [`Builder::file`]).
    pub fn refer_as_written(&mut self, kind: Kind, span: Span, field: &'static Field) {
        self.push(kind, span, field, AS_WRITTEN);
    }

    fn push(&mut self, kind: Kind, span: Span, field: &'static Field, name: u32) {
        self.refs.push(Reference {
            field,
            span,
            name,
            from_item: 0,
            kind,
            from_kind: kind,
        });
    }

    /// The number of references recorded.
    pub fn references(&self) -> usize {
        self.refs.len()
    }

    /// Gives back the room the vectors grew by: a file's record is held until the index is
    /// built from every file's.
    pub fn shrink_to_fit(&mut self) {
        self.defs.shrink_to_fit();
        self.refs.shrink_to_fit();
        self.ids.shrink_to_fit();
    }
}

/// What is at a position of a file.
#[derive(Clone, Copy, Debug)]
pub enum At<'a> {
    Definition(&'a Symbol),
    Reference(&'a Reference),
}

/// The index. Built by [`Builder`]; read-only after.
#[derive(Debug, Default)]
pub struct Symbols {
    symbols: Vec<Symbol>,
    /// By kind: every definition in order (indexes into `symbols`).
    of_kind: Vec<Vec<u32>>,
    /// By kind: the first definition of each id.
    first: Vec<HashMap<Box<str>, u32>>,
    /// Every reference, file by file as the files recorded them (files without one hold no
    /// vector): numbered across files in this order, the `n`th file's first one being
    /// `reference_starts[n]`.
    references: Vec<Vec<Reference>>,
    reference_starts: Vec<u32>,
    /// The number of references.
    reference_count: u32,
    /// Every id named, each once per kind, with the references to it in order (their
    /// numbers, as above): what a [`Reference`]'s name is a place in.
    names: Vec<Name>,
    /// By kind: the place of each id named in `names`.
    to: Vec<HashMap<Box<str>, u32>>,
    /// By file: definitions and references as (start, end, what), sorted by start (byte
    /// offsets and positions fit in 32 bits, as in a [`Span`]).
    spans: HashMap<FileId, Vec<(u32, u32, Slot)>>,
}

/// An id named by references.
#[derive(Debug)]
struct Name {
    id: Box<str>,
    refs: Vec<u32>,
}

#[derive(Clone, Copy, Debug)]
enum Slot {
    Definition(u32),
    Reference(u32),
}

/// A position in `symbols` or `references` as a [`Slot`] holds it.
fn slot_index(i: usize) -> u32 {
    u32::try_from(i).expect("fewer than 4 billion symbols")
}

const KINDS: usize = Kind::EuObligation as usize + 1;

impl Symbols {
    /// The first definition of `id` as a `kind`.
    pub fn get(&self, kind: Kind, id: &str) -> Option<&Symbol> {
        let i = *self.first.get(kind as usize)?.get(id)?;
        Some(&self.symbols[i as usize])
    }

    /// The first of `kinds` that defines `id`, in the order given.
    pub fn find(&self, id: &str, kinds: &[Kind]) -> Option<&Symbol> {
        kinds.iter().find_map(|k| self.get(*k, id))
    }

    /// Every definition of a kind, in order (files in path order, then built-ins), a
    /// duplicated id each time it is defined.
    pub fn definitions(&self, kind: Kind) -> impl Iterator<Item = &Symbol> {
        self.of_kind
            .get(kind as usize)
            .into_iter()
            .flatten()
            .map(|&i| &self.symbols[i as usize])
    }

    /// The ids of a kind, each once, in the order of their first definition: what may be
    /// named (completion, the valid ids of a message).
    pub fn ids(&self, kind: Kind) -> impl Iterator<Item = &str> {
        let first = self.first.get(kind as usize);
        self.of_kind
            .get(kind as usize)
            .into_iter()
            .flatten()
            .map(|&i| (i, self.symbols[i as usize].id.as_str()))
            .filter(move |&(i, id)| first.and_then(|f| f.get(id)) == Some(&i))
            .map(|(_, id)| id)
    }

    /// Each later definition of an id already defined as the same kind, with the first.
    pub fn duplicates(&self, kind: Kind) -> impl Iterator<Item = (&Symbol, &Symbol)> {
        let first = self.first.get(kind as usize);
        self.of_kind
            .get(kind as usize)
            .into_iter()
            .flatten()
            .filter_map(move |&i| {
                let symbol = &self.symbols[i as usize];
                let f = *first?.get(symbol.id.as_str())?;
                (f != i).then(|| (symbol, &self.symbols[f as usize]))
            })
    }

    /// Every reference, in reading order (files in path order).
    pub fn references(&self) -> impl Iterator<Item = &Reference> {
        self.references.iter().flatten()
    }

    /// The room for definitions left unused (the index is sized for them once: a test
    /// checks that it is).
    #[cfg(test)]
    pub fn spare_definitions(&self) -> usize {
        self.symbols.capacity() - self.symbols.len()
    }

    /// The id a reference names, as written.
    pub fn id(&self, r: &Reference) -> &str {
        &self.names[r.name as usize].id
    }

    /// The reference numbered `i` (in reading order).
    fn reference(&self, i: u32) -> &Reference {
        let file = self.reference_starts.partition_point(|&s| s <= i) - 1;
        &self.references[file][(i - self.reference_starts[file]) as usize]
    }

    /// The references to `id` as a `kind`, in reading order.
    pub fn references_to(&self, kind: Kind, id: &str) -> impl Iterator<Item = &Reference> {
        self.to
            .get(kind as usize)
            .and_then(|m| m.get(id))
            .map(|&n| self.names[n as usize].refs.as_slice())
            .into_iter()
            .flatten()
            .map(|&i| self.reference(i))
    }

    /// The entities of kind `from` (their positions, each once, in order) that name `id` as a
    /// `kind`: the incidents of a risk, the risks of a system.
    pub fn named_by(&self, kind: Kind, id: &str, from: Kind) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .references_to(kind, id)
            .filter(|r| r.from_kind == from)
            .map(|r| r.from_item as usize)
            .collect();
        out.dedup();
        out
    }

    /// The definition or reference written at byte `offset` of `file`, if any.
    pub fn at(&self, file: FileId, offset: usize) -> Option<At<'_>> {
        let spans = self.spans.get(&file)?;
        // The last span starting at or before the offset (spans do not overlap but for a
        // key that defines one symbol and names another: the definition, recorded first).
        let mut i = spans
            .partition_point(|(start, _, _)| *start as usize <= offset)
            .checked_sub(1)?;
        while i > 0 && spans[i - 1].0 == spans[i].0 {
            i -= 1;
        }
        let (start, end, slot) = spans[i];
        let (start, end) = (start as usize, end as usize);
        if offset < start || offset >= end.max(start + 1) {
            return None;
        }
        Some(match slot {
            Slot::Definition(i) => At::Definition(&self.symbols[i as usize]),
            Slot::Reference(i) => At::Reference(self.reference(i)),
        })
    }

    /// The next free numbered id of a kind with an id prefix (`R-010` after `R-009`), among
    /// its ids and `also` (ids taken otherwise: file names, other runs).
    pub fn next_id<'a>(
        &'a self,
        kind: Kind,
        also: impl IntoIterator<Item = &'a str>,
    ) -> Option<String> {
        let prefix = kind.def().id_prefix?;
        Some(next_id(prefix, self.ids(kind).chain(also)))
    }
}

/// `PREFIX-N` after the highest N among `existing`, zero-padded to that id's width (at
/// least three digits).
pub fn next_id<'a>(prefix: &str, existing: impl IntoIterator<Item = &'a str>) -> String {
    let mut best: Option<(u64, usize)> = None;
    for id in existing {
        let Some(digits) = id
            .strip_prefix(prefix)
            .and_then(|r| r.strip_prefix('-'))
            .filter(|d| !d.is_empty() && d.len() <= 18 && d.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        let n: u64 = digits.parse().unwrap_or(0);
        if best.is_none_or(|(b, w)| n > b || (n == b && digits.len() > w)) {
            best = Some((n, digits.len()));
        }
    }
    let (n, width) = best.map_or((1, 3), |(n, w)| (n + 1, w));
    format!("{prefix}-{n:0width$}")
}

/// Builds a [`Symbols`] from what the loader recorded, file by file in path order, then the
/// built-in and configured ids.
#[derive(Debug)]
pub struct Builder {
    s: Symbols,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            s: Symbols {
                of_kind: vec![Vec::new(); KINDS],
                first: vec![HashMap::new(); KINDS],
                to: vec![HashMap::new(); KINDS],
                ..Symbols::default()
            },
        }
    }
}

impl Builder {
    /// Makes room for `defs` more definitions and the references of `files` more files
    /// (what the files to come recorded): the index is sized once instead of growing by
    /// doubling, which at the peak of a load held the old and the new vector at once. The
    /// references themselves are not copied: each file's vector is kept as it is.
    pub fn reserve(&mut self, defs: usize, files: usize) {
        self.s.symbols.reserve(defs);
        self.s.references.reserve(files);
        self.s.reference_starts.reserve(files);
    }

    /// What one file recorded. `from` is the file's kind and the position of its entity
    /// among that kind's (0 for a root file). Ids defined inside a file (people, roles,
    /// decisions) are numbered in the order they were recorded, which is the order the
    /// model keeps them in. `sources` holds the file's text (an id recorded as written is
    /// read from it).
    pub fn file(&mut self, from: (Kind, usize), recorded: Recorded, sources: &Sources) {
        // Every span a file records is in that file: its list of spans is sized once (they
        // are held for the whole run, and a list grown by doubling holds up to twice its
        // room).
        let first_span = recorded.defs.first().map(|(_, id)| id.span);
        if let Some(span) = first_span.or_else(|| recorded.refs.first().map(|r| r.span)) {
            let n = recorded.defs.len() + recorded.refs.len();
            self.s.spans.entry(span.file).or_default().reserve_exact(n);
        }
        let mut ordinal = [0usize; KINDS];
        for (kind, id) in recorded.defs {
            let item = if kind == from.0 {
                from.1
            } else {
                ordinal[kind as usize]
            };
            ordinal[kind as usize] += 1;
            self.define(kind, id.value, Some(id.span), item);
        }
        let from_item = u32::try_from(from.1).expect("fewer than 4 billion entities");
        let (mut refs, ids) = (recorded.refs, recorded.ids);
        let first = self.s.reference_count;
        // Numbered in place; references to an empty id (which names nothing) dropped.
        let mut kept = 0;
        for n in 0..refs.len() {
            let r = &refs[n];
            let id: &str = if r.name == AS_WRITTEN {
                sources
                    .get(r.span.file)
                    .text
                    .get(r.span.range())
                    .expect("an id recorded as written is in its file's text")
            } else {
                &ids[r.name as usize]
            };
            if id.is_empty() {
                continue;
            }
            let i = first + slot_index(kept);
            // The id is copied only the first time it is named.
            let names = &mut self.s.names;
            let to = &mut self.s.to[r.kind as usize];
            let name = match to.get(id) {
                Some(&name) => {
                    names[name as usize].refs.push(i);
                    name
                }
                None => {
                    let name = slot_index(names.len());
                    let id: Box<str> = id.into();
                    names.push(Name {
                        id: id.clone(),
                        refs: vec![i],
                    });
                    to.insert(id, name);
                    name
                }
            };
            let span = r.span;
            self.spans(span, Slot::Reference(i));
            let r = &mut refs[n];
            r.name = name;
            r.from_item = from_item;
            r.from_kind = from.0;
            refs.swap(kept, n);
            kept += 1;
        }
        refs.truncate(kept);
        if refs.is_empty() {
            return;
        }
        self.s.reference_count = first
            .checked_add(slot_index(refs.len()))
            .expect("fewer than 4 billion references");
        self.s.reference_starts.push(first);
        self.s.references.push(refs);
    }

    /// Ids with no file: built in or configured, in their list's order.
    pub fn builtin<'a>(&mut self, kind: Kind, ids: impl IntoIterator<Item = &'a str>) {
        for (item, id) in ids.into_iter().enumerate() {
            self.define(kind, id.to_string(), None, item);
        }
    }

    fn define(&mut self, kind: Kind, id: String, span: Option<Span>, item: usize) {
        if id.is_empty() {
            return;
        }
        let i = slot_index(self.s.symbols.len());
        if let Some(span) = span {
            self.spans(span, Slot::Definition(i));
        }
        self.s.of_kind[kind as usize].push(i);
        let first = &mut self.s.first[kind as usize];
        if !first.contains_key(id.as_str()) {
            first.insert(id.as_str().into(), i);
        }
        self.s.symbols.push(Symbol {
            kind,
            id,
            span,
            item,
        });
    }

    fn spans(&mut self, span: Span, slot: Slot) {
        self.s
            .spans
            .entry(span.file)
            .or_default()
            .push((span.start, span.end, slot));
    }

    pub fn finish(mut self) -> Symbols {
        for spans in self.s.spans.values_mut() {
            // Files are read front to back: already in order but for a key recorded after
            // its value; a stable sort keeps a definition before a reference at one place.
            spans.sort_by_key(|(start, _, _)| *start);
        }
        self.s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::{risk, soa};

    fn sp(file: u32, start: usize, text: &str) -> Sp<String> {
        Sp::new(
            text.to_string(),
            Span::new(FileId(file), start, start + text.len()),
        )
    }

    fn field(m: &'static Mapping, name: &str) -> &'static Field {
        m.field(name).expect("declared")
    }

    /// A file's record written out.
    struct Tuples {
        defs: Vec<(Kind, Sp<String>)>,
        refs: Vec<(Kind, Sp<String>, &'static Mapping, &'static Field)>,
    }

    fn rec(t: Tuples) -> Recorded {
        let mut r = Recorded {
            defs: t.defs,
            ..Recorded::default()
        };
        for (kind, id, mapping, field) in t.refs {
            assert!(
                mapping
                    .field(field.name)
                    .is_some_and(|f| std::ptr::eq(f, field))
            );
            r.refer(kind, id, field);
        }
        r
    }

    /// One file's record into the index (its ids recorded with their text: no source).
    fn add(b: &mut Builder, from: (Kind, usize), r: Recorded) {
        b.file(from, r, &Sources::default());
    }

    /// Two risk files (R-1 twice), a system, an SoA naming a control.
    fn index() -> Symbols {
        let mut b = Builder::default();
        add(
            &mut b,
            (Kind::Risk, 0),
            rec(Tuples {
                defs: vec![(Kind::Risk, sp(1, 4, "R-1"))],
                refs: vec![
                    (
                        Kind::System,
                        sp(1, 20, "credit"),
                        &risk::RISK,
                        field(&risk::RISK, "system"),
                    ),
                    (
                        Kind::Control,
                        sp(1, 40, "A.2.2"),
                        &risk::TREATMENT,
                        field(&risk::TREATMENT, "controls"),
                    ),
                ],
            }),
        );
        add(
            &mut b,
            (Kind::Risk, 1),
            rec(Tuples {
                defs: vec![(Kind::Risk, sp(2, 4, "R-1"))],
                refs: vec![(
                    Kind::System,
                    sp(2, 20, "credit"),
                    &risk::RISK,
                    field(&risk::RISK, "system"),
                )],
            }),
        );
        add(
            &mut b,
            (Kind::System, 0),
            rec(Tuples {
                defs: vec![(Kind::System, sp(3, 4, "credit"))],
                refs: vec![],
            }),
        );
        add(
            &mut b,
            (Kind::Soa, 0),
            rec(Tuples {
                defs: vec![
                    (Kind::Decision, sp(4, 30, "A.2.2")),
                    (Kind::Decision, sp(4, 60, "A.2.3")),
                ],
                refs: vec![(
                    Kind::Control,
                    sp(4, 30, "A.2.2"),
                    &soa::SOA,
                    field(&soa::SOA, "controls"),
                )],
            }),
        );
        b.builtin(Kind::Control, ["A.2.2", "A.2.3", ""]);
        b.builtin(Kind::Category, ["fairness", "privacy"]);
        b.finish()
    }

    #[test]
    fn lookups_by_kind_and_id() {
        let s = index();
        let r = s.get(Kind::Risk, "R-1").expect("defined");
        assert_eq!((r.item, r.span.map(|x| x.file)), (0, Some(FileId(1))));
        assert!(s.get(Kind::System, "R-1").is_none());
        // Built-ins have no span; their item is their place in the list.
        let c = s.get(Kind::Control, "A.2.3").expect("built in");
        assert_eq!((c.span, c.item), (None, 1));
        // Decisions are numbered in their file.
        assert_eq!(s.get(Kind::Decision, "A.2.3").map(|d| d.item), Some(1));
        assert_eq!(
            s.find("credit", &[Kind::Risk, Kind::System])
                .map(|x| x.kind),
            Some(Kind::System)
        );
    }

    #[test]
    fn ids_of_a_kind_once_each_and_duplicates_after_the_first() {
        let s = index();
        assert_eq!(s.ids(Kind::Risk).collect::<Vec<_>>(), ["R-1"]);
        assert_eq!(s.definitions(Kind::Risk).count(), 2);
        let dups: Vec<_> = s
            .duplicates(Kind::Risk)
            .map(|(later, first)| (later.item, first.item))
            .collect();
        assert_eq!(dups, [(1, 0)]);
        assert_eq!(
            s.ids(Kind::Control).collect::<Vec<_>>(),
            ["A.2.2", "A.2.3"],
            "empty ids define nothing"
        );
    }

    #[test]
    fn every_reference_of_a_symbol_with_its_field_and_entity() {
        let s = index();
        let refs: Vec<_> = s.references_to(Kind::System, "credit").collect();
        assert_eq!(refs.len(), 2);
        assert!(refs.iter().all(|r| r.is_in(&risk::RISK, "system")));
        assert_eq!(s.named_by(Kind::System, "credit", Kind::Risk), [0, 1]);
        let control: Vec<_> = s.references_to(Kind::Control, "A.2.2").collect();
        assert!(control[0].is_in(&risk::TREATMENT, "controls"));
        assert!(control[1].is_in(&soa::SOA, "controls"));
        assert_eq!(s.references().count(), 4);
    }

    /// References are kept file by file and numbered across files: a file without one, and
    /// an empty id (which names nothing), leave no gap in the numbering.
    #[test]
    fn references_across_files_keep_their_order_and_entity() {
        let mut b = Builder::default();
        let sys = field(&risk::RISK, "system");
        for (item, file) in [(0, 1), (1, 2), (2, 3), (3, 4)] {
            let refs = match file {
                2 => vec![],
                3 => vec![
                    (Kind::System, sp(3, 10, ""), &risk::RISK, sys),
                    (Kind::System, sp(3, 20, "b"), &risk::RISK, sys),
                ],
                _ => vec![
                    (Kind::System, sp(file, 10, "a"), &risk::RISK, sys),
                    (Kind::System, sp(file, 20, "b"), &risk::RISK, sys),
                ],
            };
            add(
                &mut b,
                (Kind::Risk, item),
                rec(Tuples {
                    defs: vec![(Kind::Risk, sp(file, 4, &format!("R-{item}")))],
                    refs,
                }),
            );
        }
        let s = b.finish();
        let all: Vec<_> = s
            .references()
            .map(|r| (r.span.file.0, s.id(r), r.from().1))
            .collect();
        assert_eq!(
            all,
            [
                (1, "a", 0),
                (1, "b", 0),
                (3, "b", 2),
                (4, "a", 3),
                (4, "b", 3)
            ]
        );
        assert_eq!(s.named_by(Kind::System, "b", Kind::Risk), [0, 2, 3]);
        let to_a: Vec<_> = s
            .references_to(Kind::System, "a")
            .map(|r| r.span.file.0)
            .collect();
        assert_eq!(to_a, [1, 4]);
        for file in [1, 3, 4] {
            match s.at(FileId(file), 20) {
                Some(At::Reference(r)) => {
                    assert_eq!((r.span.file.0, s.id(r)), (file, "b"));
                }
                other => panic!("{file}: {other:?}"),
            }
        }
        assert!(s.at(FileId(3), 10).is_none(), "an empty id names nothing");
    }

    /// An id recorded as written is read from its file's text; one written otherwise (quoted)
    /// keeps its own copy; both name the same symbol, whose id is held once.
    #[test]
    fn ids_as_written_come_from_the_text() {
        let mut sources = Sources::default();
        sources.add("a.yaml".into(), "x: a\ny: 'credit'\nz: credit\n".into());
        let text = "system: credit\n";
        let f = sources.add("risks/R-1.yaml".into(), text.into());
        let sys = field(&risk::RISK, "system");
        let owner = field(&risk::TREATMENT, "owner");
        let mut r = Recorded::default();
        r.refer_as_written(Kind::System, Span::new(f, 8, 14), sys);
        r.refer(Kind::System, sp(f.0, 0, "credit"), sys);
        r.refer_as_written(Kind::Person, Span::new(f, 8, 8), owner);
        r.refer_as_written(Kind::Person, Span::new(f, 0, 6), owner);
        let mut b = Builder::default();
        b.file((Kind::Risk, 7), r, &sources);
        let s = b.finish();
        let ids: Vec<_> = s.references().map(|r| (s.id(r), r.span.start)).collect();
        assert_eq!(ids, [("credit", 8), ("credit", 0), ("system", 0)]);
        assert_eq!(s.references_to(Kind::System, "credit").count(), 2);
        assert_eq!(s.names.len(), 2, "one name per id and kind");
        let person = s
            .references_to(Kind::Person, "system")
            .next()
            .expect("named");
        assert_eq!(person.from(), (Kind::Risk, 7));
        // `owner` is a field of the risk and of its treatment: the mapping tells them apart.
        assert!(person.is_in(&risk::TREATMENT, "owner"));
        assert!(!person.is_in(&risk::RISK, "owner"));
        assert_eq!(std::mem::size_of::<Reference>(), 32);
    }

    #[test]
    fn what_is_at_a_position() {
        let s = index();
        match s.at(FileId(1), 22) {
            Some(At::Reference(r)) => assert_eq!(s.id(r), "credit"),
            other => panic!("{other:?}"),
        }
        match s.at(FileId(1), 4) {
            Some(At::Definition(d)) => assert_eq!(d.id, "R-1"),
            other => panic!("{other:?}"),
        }
        assert!(s.at(FileId(1), 10).is_none());
        assert!(s.at(FileId(1), 26).is_none(), "the end is outside the span");
        assert!(s.at(FileId(9), 0).is_none());
        // A decision's key defines the decision and names the control: the definition first.
        assert!(matches!(s.at(FileId(4), 31), Some(At::Definition(_))));
    }

    #[test]
    fn next_free_ids_follow_the_width_of_the_highest() {
        let s = index();
        assert_eq!(s.next_id(Kind::Risk, []).as_deref(), Some("R-2"));
        assert_eq!(s.next_id(Kind::Risk, ["R-0041"]).as_deref(), Some("R-0042"));
        assert_eq!(
            s.next_id(Kind::System, []),
            None,
            "systems are not numbered"
        );
        assert_eq!(s.next_id(Kind::Incident, []).as_deref(), Some("INC-001"));
        assert_eq!(next_id("R", ["R-001", "R-009"]), "R-010");
        assert_eq!(next_id("R", ["R-1", "R-2"]), "R-3");
        assert_eq!(next_id("R", ["R-0001", "x", "R-", "IA-7"]), "R-0002");
        assert_eq!(next_id("R", ["R-999"]), "R-1000");
        assert_eq!(next_id("INC", ["INC-003", "R-010"]), "INC-004");
    }
}
