//! `assessments/**/*.yaml`: one AI system impact assessment (ISO/IEC 42001 Clause 6.1.4).

use super::Kind;
use super::fields::{Item, Mapping, Presence::*, Symbol, Type, field, id, item_of, refers};
use super::values::*;

/// One impact on people or society.
pub static IMPACT: Mapping = Mapping {
    what: "impact",
    description: "One impact on people or society.",
    fields: &[
        field("affected", Required, Type::Text, "Who is affected."),
        field(
            "scope",
            Required,
            Type::Enum(&ImpactScope::ENUM),
            "How widely the impact reaches.",
        ),
        field(
            "area",
            Required,
            Type::Enum(&ImpactArea::ENUM),
            "What is affected.",
        ),
        field("description", Required, Type::Text, "The impact."),
        field(
            "severity",
            Required,
            Type::Int,
            "On the consequence scale, 1..m.",
        ),
        field(
            "likelihood",
            Required,
            Type::Int,
            "On the likelihood scale, 1..n.",
        ),
        field("mitigation", Optional, Type::Text, "How it is mitigated."),
        field(
            "controls",
            Optional,
            Type::List {
                item: &item_of(Kind::Control, "an id"),
                min: 0,
            },
            "Annex A controls that mitigate it.",
        ),
        field(
            "risks",
            Optional,
            Type::List {
                item: &item_of(Kind::Risk, "one entry"),
                min: 0,
            },
            "Risks of the register for this impact (ids).",
        ),
    ],
    constraints: &[],
};

/// The file.
pub static ASSESSMENT: Mapping = Mapping {
    what: "impact assessment",
    description: "One AI system impact assessment.",
    fields: &[
        id(
            Kind::Assessment,
            "Unique among assessments, for example IA-001.",
        ),
        refers(
            "system",
            Required,
            Type::Text,
            Kind::System,
            "The assessed AI system (a system id).",
        ),
        refers(
            "assessor",
            Required,
            Type::Text,
            Kind::Person,
            "Who assessed it (a person key).",
        ),
        field("date", Required, Type::Date, "When it was carried out."),
        field(
            "reviewed",
            Required,
            Type::Date,
            "When it was last reviewed.",
        ),
        field(
            "impacts",
            Required,
            Type::List {
                item: &Item {
                    ty: Type::Mapping(&IMPACT),
                    description: "",
                    symbol: Symbol::None,
                },
                min: 1,
            },
            "At least one impact.",
        ),
        field(
            "fria",
            Optional,
            Type::Bool,
            "This assessment is also the Art. 27 fundamental rights impact assessment (EU AI Act).",
        ),
    ],
    constraints: &[],
};
