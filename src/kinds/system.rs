//! `systems/**/*.yaml`: one AI system of the inventory.

use super::Kind;
use super::fields::{Item, Mapping, Presence::*, Symbol, Type, field, id, item, refers};
use super::values::*;

/// A risk category judged not applicable to the system.
pub static SCREENING: Mapping = Mapping {
    what: "screening entry",
    description: "A risk category judged not applicable to this system, with the reason.",
    fields: &[
        refers(
            "category",
            Required,
            Type::Text,
            Kind::Category,
            "A built-in category id or an extra category of airisk.toml.",
        ),
        field(
            "rationale",
            Required,
            Type::Text,
            "Why the category does not apply.",
        ),
    ],
    constraints: &[],
};

/// A post-deployment signal.
pub static MONITORING: Mapping = Mapping {
    what: "monitoring entry",
    description: "A post-deployment signal.",
    fields: &[
        field(
            "signal",
            Required,
            Type::Enum(&Signal::ENUM),
            "What kind of signal is watched.",
        ),
        field(
            "metric",
            Required,
            Type::Text,
            "What is measured, and how often.",
        ),
        field(
            "threshold",
            Optional,
            Type::Text,
            "The alert level, for example \">= 0.62\" (quote it).",
        ),
        refers(
            "owner",
            Optional,
            Type::Text,
            Kind::Person,
            "Who watches the signal (a person key).",
        ),
    ],
    constraints: &[],
};

/// The file.
pub static SYSTEM: Mapping = Mapping {
    what: "system",
    description: "One AI system of the inventory.",
    fields: &[
        id(
            Kind::System,
            "Unique among systems; risks and assessments name it.",
        ),
        field("name", Required, Type::Text, "Human-readable name."),
        refers(
            "owner",
            Required,
            Type::Text,
            Kind::Person,
            "The accountable owner (a person key).",
        ),
        field(
            "intended_use",
            Required,
            Type::Text,
            "What the system is for.",
        ),
        field(
            "model_type",
            Required,
            Type::Enum(&ModelType::ENUM),
            "The kind of model.",
        ),
        field(
            "provider",
            Optional,
            Type::Text,
            "The supplier, for third-party models.",
        ),
        field(
            "data_inputs",
            Optional,
            Type::List {
                item: &item("one entry"),
                min: 0,
            },
            "The data the system consumes.",
        ),
        field(
            "users",
            Optional,
            Type::List {
                item: &item("one entry"),
                min: 0,
            },
            "Who uses the output.",
        ),
        field(
            "affected_parties",
            Optional,
            Type::List {
                item: &item("one entry"),
                min: 0,
            },
            "Who is affected by it.",
        ),
        field(
            "model_version",
            Optional,
            Type::Text,
            "The current version (quote it: \"3.1\"); a change is a material change.",
        ),
        field(
            "lifecycle",
            Required,
            Type::Enum(&Lifecycle::ENUM),
            "Lifecycle stage; `retired` systems are not live.",
        ),
        field(
            "environment",
            Optional,
            Type::Text,
            "Where the system runs.",
        ),
        field(
            "criticality",
            Required,
            Type::Enum(&Criticality::ENUM),
            "How critical the system is.",
        ),
        field(
            "screening",
            Optional,
            Type::List {
                item: &Item {
                    ty: Type::Mapping(&SCREENING),
                    description: "",
                    symbol: Symbol::None,
                },
                min: 0,
            },
            "Risk categories judged not applicable, each with a reason.",
        ),
        field(
            "monitoring",
            Optional,
            Type::List {
                item: &Item {
                    ty: Type::Mapping(&MONITORING),
                    description: "",
                    symbol: Symbol::None,
                },
                min: 0,
            },
            "Post-deployment signals.",
        ),
    ],
    constraints: &[],
};
