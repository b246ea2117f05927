//! The vocabulary of field declarations: a [`Mapping`] of the file format lists every
//! [`Field`] it may hold — name, presence, [`Type`], description, and the kind of symbol the
//! value defines or names ([`Symbol`]) — and the [`Constraint`]s between its fields.
//!
//! Declarations are data, read by three consumers that therefore cannot disagree: the loader
//! (`load::fields` opens each mapping with its declaration and refuses, as a bug, to look up a
//! key that is not declared; unknown keys in a file are `unknown-field` with a suggestion from
//! the declared names), the JSON Schema (`load::schema` is generated from the declarations),
//! and the symbol index (the loader records every value of a field that defines or refers to
//! a symbol, with its span and field).

use super::Kind;

/// One mapping of the file format: a file's top level or a mapping nested in it.
#[derive(Debug)]
pub struct Mapping {
    /// What the loader calls it in messages (`missing field `x` in the risk`), and the
    /// title of its JSON Schema.
    pub what: &'static str,
    /// One line for the JSON Schema (editors show it).
    pub description: &'static str,
    /// Every key, in the order the loader reads them (and messages list them).
    pub fields: &'static [Field],
    /// Rules between fields, stated by the schema and checked by the loader.
    pub constraints: &'static [Constraint],
}

impl Mapping {
    /// The declaration of `name`.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// One key of a mapping.
#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub presence: Presence,
    pub ty: Type,
    /// One line for the JSON Schema (editors show it).
    pub description: &'static str,
    /// The symbol the value defines or names (for a list, each [`Item`] says).
    pub symbol: Symbol,
}

/// Whether a field must be there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// Absent or empty is `missing-field`.
    Required,
    /// May be absent or empty (`provider:` counts as absent).
    Optional,
    /// May be absent as far as the format goes; a rule reports its absence where it matters
    /// (`treatment.plan`: `treatment-incomplete`), and a value that could not be read is
    /// told apart from an absent one (`model::Field`).
    Ruled,
}

/// What a field holds.
#[derive(Clone, Copy, Debug)]
pub enum Type {
    /// Non-empty text; a plain number or boolean is read as its spelling (`4.2`, `yes`).
    Text,
    /// Text with the id syntax (`text::is_id`).
    Id,
    /// A GitHub user or `org/team` (`text::is_github_handle`).
    GitHub,
    /// `YYYY-MM-DD`, a day of the calendar.
    Date,
    /// `N days|weeks|months|years`.
    Duration,
    /// A whole number.
    Int,
    /// YAML 1.2 `true` or `false`.
    Bool,
    /// One of the spellings of an enumeration.
    Enum(&'static Enumeration),
    /// A list (a single value is `invalid-value`), with at least `min` items.
    List { item: &'static Item, min: usize },
    /// A value, or a list of such values.
    OneOrList(&'static Item),
    /// A nested mapping.
    Mapping(&'static Mapping),
    /// A mapping from keys the register chooses to values of one type.
    Map {
        /// What each key is (its syntax, the symbol it defines or names).
        key: &'static Key,
        value: &'static Item,
    },
}

/// One item of a list, or one value of a [`Type::Map`].
#[derive(Debug)]
pub struct Item {
    pub ty: Type,
    /// One line for the JSON Schema.
    pub description: &'static str,
    /// The symbol each item names (a list of control ids): the item is a reference.
    pub symbol: Symbol,
}

/// An item of text: `item("one entry")`.
pub const fn item(description: &'static str) -> Item {
    Item {
        ty: Type::Text,
        description,
        symbol: Symbol::None,
    }
}

/// An item of text naming a symbol of `kind`.
pub const fn item_of(kind: Kind, description: &'static str) -> Item {
    Item {
        ty: Type::Text,
        description,
        symbol: Symbol::Refers(kind),
    }
}

/// The keys of a [`Type::Map`].
#[derive(Debug)]
pub struct Key {
    /// Keys have the id syntax.
    pub id_syntax: bool,
    /// The symbols each key defines and names (an SoA decision's key defines the decision
    /// and names an Annex A control).
    pub defines: Option<Kind>,
    pub refers: Option<Kind>,
}

/// The spellings of a string enumeration and what a value is called in messages.
#[derive(Debug, PartialEq, Eq)]
pub struct Enumeration {
    /// `lifecycle stage` (`unknown lifecycle stage `x``).
    pub what: &'static str,
    pub values: &'static [&'static str],
}

/// The symbol a field's value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Symbol {
    /// Plain data.
    None,
    /// The id of the entity the mapping is (a risk's `id`).
    Defines(Kind),
    /// The id of a symbol defined elsewhere (a risk's `system`): a reference.
    Refers(Kind),
}

/// A rule between the fields of one mapping.
#[derive(Clone, Copy, Debug)]
pub enum Constraint {
    /// Exactly one of the two fields, with a value (a risk's `system` or `systems`); the
    /// first holds one value, the second a list.
    OneOf(&'static str, &'static str),
    /// `field` may be present only when the mapping `other` has `key` equal to `value`
    /// (an acceptance block only with treatment option `accept`).
    OnlyWith {
        field: &'static str,
        other: &'static str,
        key: &'static str,
        value: &'static str,
    },
    /// `field` is required when the boolean `when` is true and forbidden when it is false
    /// (an SoA decision's implementation status).
    RequiredIf {
        field: &'static str,
        when: &'static str,
    },
}

/// A field declaration, briefly: `field("name", Required, Type::Text, "Full name.")`.
pub const fn field(
    name: &'static str,
    presence: Presence,
    ty: Type,
    description: &'static str,
) -> Field {
    Field {
        name,
        presence,
        ty,
        description,
        symbol: Symbol::None,
    }
}

/// A field whose value names a symbol of `kind`.
pub const fn refers(
    name: &'static str,
    presence: Presence,
    ty: Type,
    kind: Kind,
    description: &'static str,
) -> Field {
    Field {
        name,
        presence,
        ty,
        description,
        symbol: Symbol::Refers(kind),
    }
}

/// The `id` field of an entity of `kind`: required, with the id syntax.
pub const fn id(kind: Kind, description: &'static str) -> Field {
    Field {
        name: "id",
        presence: Presence::Required,
        ty: Type::Id,
        description,
        symbol: Symbol::Defines(kind),
    }
}
