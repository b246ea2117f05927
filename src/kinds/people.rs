//! `people.yaml`: named owners and roles (ISO/IEC 42001 Clause 5.3). Each key under `people:`
//! defines a person (what `owner`, `assessor` and `approved_by` name); each key under
//! `roles:` defines a role, whose members are person keys.

use super::Kind;
use super::fields::{Item, Key, Mapping, Presence::*, Symbol, Type, field, item_of};

/// One person, under their key.
pub static PERSON: Mapping = Mapping {
    what: "person",
    description: "A person others refer to by the key.",
    fields: &[
        field("name", Required, Type::Text, "Full name."),
        field("email", Optional, Type::Text, "Email address."),
        field(
            "github",
            Optional,
            Type::GitHub,
            "GitHub user (`janedoe`) or team (`acme/ai-governance`), for CODEOWNERS lines.",
        ),
        field(
            "role",
            Optional,
            Type::Text,
            "Job title or role in the AI management system.",
        ),
    ],
    constraints: &[],
};

/// The file.
pub static PEOPLE: Mapping = Mapping {
    what: "people file",
    description: "Named owners and roles.",
    fields: &[
        field(
            "people",
            Optional,
            Type::Map {
                key: &Key {
                    id_syntax: true,
                    defines: Some(Kind::Person),
                    refers: None,
                },
                value: &Item {
                    ty: Type::Mapping(&PERSON),
                    description: "",
                    symbol: Symbol::None,
                },
            },
            "Person key (what `owner`, `assessor` and `approved_by` name; an id: letters, digits, `.`, `_`, `-`) → person.",
        ),
        field(
            "roles",
            Optional,
            Type::Map {
                key: &Key {
                    id_syntax: false,
                    defines: Some(Kind::Role),
                    refers: None,
                },
                value: &Item {
                    ty: Type::OneOrList(&MEMBER),
                    description: "",
                    symbol: Symbol::None,
                },
            },
            "Role name → a person key, or a list of person keys.",
        ),
    ],
    constraints: &[],
};

/// A member of a role: a person key.
pub static MEMBER: Item = item_of(Kind::Person, "A person key under `people:`.");
