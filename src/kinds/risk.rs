//! `risks/**/*.yaml`: one AI risk of the register (ISO/IEC 42001 Clause 6.1.2).

use super::Kind;
use super::fields::{Constraint, Mapping, Presence::*, Type, field, id, item, item_of, refers};
use super::values::*;

/// The current rating, under `assessment:`.
pub static ASSESSMENT: Mapping = Mapping {
    what: "assessment",
    description: "The current rating, with the controls in place today.",
    fields: &[
        field(
            "likelihood",
            Required,
            Type::Int,
            "On the likelihood scale of airisk.toml, 1..n.",
        ),
        field(
            "consequence",
            Required,
            Type::Int,
            "On the consequence scale of airisk.toml, 1..m.",
        ),
        field(
            "rationale",
            Required,
            Type::Text,
            "The basis for the rating.",
        ),
    ],
    constraints: &[],
};

/// The expected rating after treatment, under `treatment.target:`.
pub static TARGET: Mapping = Mapping {
    what: "treatment target",
    description: "The expected rating after treatment.",
    fields: &[
        field(
            "likelihood",
            Required,
            Type::Int,
            "On the likelihood scale of airisk.toml, 1..n.",
        ),
        field(
            "consequence",
            Required,
            Type::Int,
            "On the consequence scale of airisk.toml, 1..m.",
        ),
    ],
    constraints: &[],
};

/// The decision: treat or accept.
pub static TREATMENT: Mapping = Mapping {
    what: "treatment",
    description: "The decision: treat or accept.",
    fields: &[
        field(
            "option",
            Required,
            Type::Enum(&TreatmentOption::ENUM),
            "The treatment option.",
        ),
        field(
            "plan",
            Ruled,
            Type::Text,
            "What will be done (needed for avoid, mitigate, transfer).",
        ),
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
            Optional,
            Type::Enum(&TreatmentStatus::ENUM),
            "Progress; absent means not done.",
        ),
        field(
            "controls",
            Optional,
            Type::List {
                item: &item_of(Kind::Control, "an id"),
                min: 0,
            },
            "Annex A controls the treatment relies on (`airisk taxonomy controls`).",
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
        field(
            "target",
            Optional,
            Type::Mapping(&TARGET),
            "The expected rating after treatment.",
        ),
    ],
    constraints: &[],
};

/// The acceptance record.
pub static ACCEPTANCE: Mapping = Mapping {
    what: "acceptance",
    description: "The acceptance record; only with treatment option `accept`.",
    fields: &[
        field("rationale", Ruled, Type::Text, "Why the risk is accepted."),
        refers(
            "approved_by",
            Ruled,
            Type::Text,
            Kind::Person,
            "Who approved the acceptance (a person key).",
        ),
        field("date", Ruled, Type::Date, "When it was approved."),
        field(
            "expires",
            Optional,
            Type::Date,
            "The day the acceptance lapses.",
        ),
        field(
            "exception",
            Optional,
            Type::Text,
            "Above the acceptance threshold: why treatment is not cost-effective.",
        ),
    ],
    constraints: &[],
};

/// The file.
pub static RISK: Mapping = Mapping {
    what: "risk",
    description: "One AI risk.",
    fields: &[
        id(Kind::Risk, "Unique among risks, for example R-001."),
        field(
            "title",
            Required,
            Type::Text,
            "A short statement of the risk.",
        ),
        refers(
            "system",
            Optional,
            Type::Text,
            Kind::System,
            "The AI system the risk is about (a system id). Or `systems`, not both.",
        ),
        field(
            "systems",
            Optional,
            Type::List {
                item: &item_of(Kind::System, "A system id."),
                min: 1,
            },
            "Several systems. Or `system`, not both.",
        ),
        refers(
            "category",
            Required,
            Type::Text,
            Kind::Category,
            "A built-in category id or an extra category of airisk.toml.",
        ),
        field(
            "sources",
            Optional,
            Type::List {
                item: &item_of(Kind::Source, "an id"),
                min: 0,
            },
            "Annex C risk sources, C.3.x.",
        ),
        field(
            "objectives",
            Optional,
            Type::List {
                item: &item_of(Kind::Objective, "an id"),
                min: 0,
            },
            "Annex C objectives affected, C.2.x.",
        ),
        field("event", Required, Type::Text, "What could happen."),
        field("cause", Required, Type::Text, "Why it could happen."),
        field("consequence", Required, Type::Text, "What would follow."),
        field(
            "affected_parties",
            Optional,
            Type::List {
                item: &item("one entry"),
                min: 0,
            },
            "Who would be harmed.",
        ),
        field(
            "consequence_types",
            Optional,
            Type::List {
                item: &item_of(Kind::ConsequenceType, "one entry"),
                min: 0,
            },
            "From [criteria] consequence_types of airisk.toml.",
        ),
        refers(
            "owner",
            Required,
            Type::Text,
            Kind::Person,
            "The risk owner (a person key).",
        ),
        field(
            "assessment",
            Required,
            Type::Mapping(&ASSESSMENT),
            "The current rating, with the controls in place today.",
        ),
        field(
            "treatment",
            Optional,
            Type::Mapping(&TREATMENT),
            "The decision: treat or accept.",
        ),
        field(
            "acceptance",
            Optional,
            Type::Mapping(&ACCEPTANCE),
            "The acceptance record; only with treatment option `accept`.",
        ),
        field(
            "reviewed",
            Required,
            Type::Date,
            "When this risk was last reviewed.",
        ),
        field(
            "review_every",
            Optional,
            Type::Duration,
            "Overrides the review interval of the risk's level.",
        ),
        field(
            "infosec_refs",
            Optional,
            Type::List {
                item: &item_of(Kind::Infosec, "one entry"),
                min: 0,
            },
            "Entries of the ISO/IEC 27001 register for the same event.",
        ),
        field(
            "assessments",
            Optional,
            Type::List {
                item: &item_of(Kind::Assessment, "one entry"),
                min: 0,
            },
            "Impact assessments this risk draws on (ids).",
        ),
        field(
            "status",
            Optional,
            Type::Enum(&RiskStatus::ENUM),
            "Default `open`; closed risks stay for the record.",
        ),
    ],
    constraints: &[
        Constraint::OneOf("system", "systems"),
        Constraint::OnlyWith {
            field: "acceptance",
            other: "treatment",
            key: "option",
            value: "accept",
        },
    ],
};
