//! `soa.yaml`: the Statement of Applicability of the Annex A controls. Each key under
//! `controls:` is an Annex A control id (a reference to the control) and defines the SoA
//! decision for it.

use super::Kind;
use super::fields::{
    Constraint, Item, Key, Mapping, Presence::*, Symbol, Type, field, item, refers,
};
use super::values::*;

/// The decision on one control.
pub static DECISION: Mapping = Mapping {
    what: "SoA decision",
    description: "Whether the control applies, why, and how far it is implemented.",
    fields: &[
        field(
            "applicable",
            Required,
            Type::Bool,
            "true: included; false: excluded (then no status).",
        ),
        field(
            "status",
            Optional,
            Type::Enum(&SoaStatus::ENUM),
            "Implementation status of an applicable control.",
        ),
        field(
            "justification",
            Ruled,
            Type::Text,
            "Why the control is included or excluded.",
        ),
        field(
            "evidence",
            Ruled,
            Type::List {
                item: &item("one entry"),
                min: 0,
            },
            "Paths relative to the register folder, or URLs.",
        ),
        refers(
            "owner",
            Optional,
            Type::Text,
            Kind::Person,
            "Who owns the control (a person key).",
        ),
    ],
    constraints: &[Constraint::RequiredIf {
        field: "status",
        when: "applicable",
    }],
};

/// The file.
pub static SOA: Mapping = Mapping {
    what: "Statement of Applicability",
    description: "Decisions on the Annex A controls.",
    fields: &[
        field(
            "reviewed",
            Required,
            Type::Date,
            "When the SoA was last reviewed.",
        ),
        refers(
            "approved_by",
            Optional,
            Type::Text,
            Kind::Person,
            "Who approved it (a person key); the merged pull request may be the approval.",
        ),
        field(
            "controls",
            Optional,
            Type::Map {
                key: &Key {
                    id_syntax: false,
                    defines: Some(Kind::Decision),
                    refers: Some(Kind::Control),
                },
                value: &Item {
                    ty: Type::Mapping(&DECISION),
                    description: "",
                    symbol: Symbol::None,
                },
            },
            "Annex A control id → decision; every control needs one.",
        ),
    ],
    constraints: &[],
};
