//! `systems/**/*.yaml`: one AI system of the inventory.

use super::Kind;
use super::fields::{
    Item, Key, Mapping, Presence::*, Symbol, Type, field, id, item, item_of, refers,
};
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
            "id",
            Optional,
            Type::Id,
            "Unique within the system; readings in monitoring/ name the monitor by it.",
        ),
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
            "The alert level: a comparison `OP NUMBER[%]` (\">= 0.62\", quote it) is evaluated against readings; other text is for people.",
        ),
        field(
            "every",
            Optional,
            Type::Duration,
            "The longest the monitor may go without a reading (`monitoring-stale`).",
        ),
        field(
            "risks",
            Optional,
            Type::List {
                item: &item_of(Kind::Risk, "A risk id."),
                min: 0,
            },
            "The risks whose review a breaching reading triggers.",
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

/// An Art. 6(3) derogation: an Annex III system that is not high-risk.
pub static DEROGATION: Mapping = Mapping {
    what: "derogation",
    description: "An Art. 6(3) derogation: why an Annex III system is not high-risk.",
    fields: &[
        field(
            "condition",
            Required,
            Type::Enum(&DerogationCondition::ENUM),
            "The Art. 6(3) condition met (art6-3-a narrow procedural task, -b improves a completed human activity, -c detects patterns without replacing human assessment, -d preparatory task).",
        ),
        field(
            "rationale",
            Required,
            Type::Text,
            "Why the system poses no significant risk of harm and meets the condition.",
        ),
    ],
    constraints: &[],
};

/// The status of one obligation of the EU AI Act pack for the system.
pub static OBLIGATION: Mapping = Mapping {
    what: "obligation",
    description: "The status of one obligation (or Art. 50 duty) of the EU AI Act pack.",
    fields: &[
        field(
            "status",
            Required,
            Type::Enum(&ObligationStatus::ENUM),
            "Progress; `not-applicable` needs a `rationale`.",
        ),
        field("due", Optional, Type::Date, "When it is planned to be met."),
        refers(
            "owner",
            Optional,
            Type::Text,
            Kind::Person,
            "Who meets it (a person key).",
        ),
        field(
            "evidence",
            Optional,
            Type::List {
                item: &item("a path in the register"),
                min: 0,
            },
            "Files that show it is met (paths in the register).",
        ),
        field(
            "rationale",
            Optional,
            Type::Text,
            "Why it does not apply, or notes on how it is met.",
        ),
    ],
    constraints: &[],
};

/// The EU AI Act classification of the system (SPEC §10).
pub static EU_AI_ACT: Mapping = Mapping {
    what: "eu_ai_act block",
    description: "The EU AI Act classification of the system, its route and the status of its obligations (docs/eu-ai-act.md).",
    fields: &[
        field(
            "roles",
            Required,
            Type::List {
                item: &Item {
                    ty: Type::Enum(&EuRole::ENUM),
                    description: "one role",
                    symbol: Symbol::None,
                },
                min: 1,
            },
            "The organisation's roles for this system (Art. 3).",
        ),
        field(
            "classification",
            Required,
            Type::Enum(&EuClass::ENUM),
            "The risk tier the organisation concluded.",
        ),
        refers(
            "annex_iii",
            Optional,
            Type::Text,
            Kind::EuPoint,
            "High-risk through Annex III (Art. 6(2)): a point id of the pack, e.g. annex-iii-5-b.",
        ),
        refers(
            "annex_i",
            Optional,
            Type::Text,
            Kind::EuAct,
            "High-risk through Annex I (Art. 6(1)): an act id of the pack, e.g. annex-i-a-11.",
        ),
        field(
            "derogation",
            Optional,
            Type::Mapping(&DEROGATION),
            "An Annex III system that is not high-risk under Art. 6(3).",
        ),
        field(
            "profiling",
            Optional,
            Type::Bool,
            "Whether it profiles natural persons (an Annex III system that does is always high-risk).",
        ),
        field(
            "transparency",
            Optional,
            Type::List {
                item: &item_of(Kind::EuDuty, "an Art. 50 duty id, e.g. art50-1"),
                min: 0,
            },
            "The Art. 50 transparency duties that apply (ids of the pack).",
        ),
        field(
            "gpai",
            Optional,
            Type::Bool,
            "Whether the organisation provides a general-purpose AI model with it (Chapter V).",
        ),
        field(
            "rationale",
            Required,
            Type::Text,
            "Why this classification and route: the judgement, in words.",
        ),
        field("assessed", Required, Type::Date, "When it was classified."),
        refers(
            "assessed_by",
            Required,
            Type::Text,
            Kind::Person,
            "Who classified it and stands behind the judgement (a person key).",
        ),
        field(
            "obligations",
            Optional,
            Type::Map {
                key: &Key {
                    id_syntax: true,
                    defines: None,
                    refers: Some(Kind::EuObligation),
                },
                value: &Item {
                    ty: Type::Mapping(&OBLIGATION),
                    description: "Its status.",
                    symbol: Symbol::None,
                },
            },
            "The status of obligations, by the pack's obligation id (Art. 50 duties by their id).",
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
        field(
            "eu_ai_act",
            Optional,
            Type::Mapping(&EU_AI_ACT),
            "The EU AI Act classification (SPEC §10, docs/eu-ai-act.md).",
        ),
    ],
    constraints: &[],
};
