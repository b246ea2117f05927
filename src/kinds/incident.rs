//! `incidents/**/*.yaml`: one incident or near miss (ISO/IEC 42001 Clause 10).

use super::Kind;
use super::fields::{Mapping, Presence::*, Type, field, id, item_of, refers};
use super::values::*;

/// What is done about it.
pub static CORRECTIVE_ACTION: Mapping = Mapping {
    what: "corrective action",
    description: "What is done about it (Clause 10.2).",
    fields: &[
        field("plan", Ruled, Type::Text, "What will be done."),
        refers(
            "owner",
            Ruled,
            Type::Text,
            Kind::Person,
            "Who does it (a person key).",
        ),
        field("due", Ruled, Type::Date, "When it should be done."),
        field(
            "status",
            Ruled,
            Type::Enum(&TreatmentStatus::ENUM),
            "Progress of the action.",
        ),
    ],
    constraints: &[],
};

/// The file.
pub static INCIDENT: Mapping = Mapping {
    what: "incident",
    description: "One incident or near miss.",
    fields: &[
        id(
            Kind::Incident,
            "Unique among incidents, for example INC-001.",
        ),
        field("date", Required, Type::Date, "When it happened."),
        field(
            "kind",
            Required,
            Type::Enum(&IncidentKind::ENUM),
            "Incident or near miss.",
        ),
        refers(
            "system",
            Required,
            Type::Text,
            Kind::System,
            "The AI system involved (a system id).",
        ),
        field(
            "risks",
            Optional,
            Type::List {
                item: &item_of(Kind::Risk, "one entry"),
                min: 0,
            },
            "Risks it relates to (ids); their review falls due.",
        ),
        field("summary", Required, Type::Text, "What happened."),
        field(
            "corrective_action",
            Optional,
            Type::Mapping(&CORRECTIVE_ACTION),
            "What is done about it (Clause 10.2).",
        ),
        field(
            "serious",
            Optional,
            Type::Bool,
            "A serious incident under the EU AI Act (Art. 3(49)).",
        ),
        field(
            "aware",
            Optional,
            Type::Date,
            "When the organisation became aware of it (starts the Art. 73 clock).",
        ),
        field(
            "harm",
            Optional,
            Type::Enum(&Harm::ENUM),
            "What the serious incident led to (Art. 3(49)); sets the Art. 73 deadline.",
        ),
        field(
            "reported",
            Optional,
            Type::Date,
            "When it was reported to the market surveillance authority.",
        ),
    ],
    constraints: &[],
};
