//! `waivers.yaml`: accepted exceptions to rules (SPEC §8). Each waiver names a rule code and
//! the subject of the findings it suppresses (an entity id or a path in the register), says
//! why, who approved it and when, and may expire. What a waiver may name (a known code that
//! is not a format code, a subject that exists) is checked by the loader and by the rules;
//! which findings it suppresses is decided after every rule has run (`check::waivers`).

use super::Kind;
use super::fields::{Enumeration, Item, Mapping, Presence::*, Symbol, Type, field, refers};

/// The codes a waiver may name: every rule code but the format codes and the waivers' own
/// (the code table says which: a test keeps the two in step, as this module may not use it).
pub static WAIVABLE: Enumeration = Enumeration {
    what: "waivable rule code",
    values: &[
        "unknown-reference",
        "score-out-of-range",
        "treatment-required",
        "acceptance-incomplete",
        "acceptance-above-threshold",
        "treatment-incomplete",
        "treatment-overdue",
        "evidence-missing",
        "evidence-not-found",
        "target-not-lower",
        "soa-control-missing",
        "soa-justification-missing",
        "control-excluded-but-used",
        "control-without-risk",
        "category-not-screened",
        "assessment-missing",
        "acceptance-expired",
        "acceptance-stale",
        "review-overdue",
        "system-changed-since-review",
        "monitoring-breach",
        "monitoring-stale",
        "eu-ai-act-unclassified",
        "eu-ai-act-inconsistent",
        "eu-ai-act-prohibited",
        "obligation-not-met",
        "fria-missing",
        "incident-report-overdue",
    ],
};

/// One waiver.
pub static WAIVER: Mapping = Mapping {
    what: "waiver",
    description: "An accepted exception: the findings of one rule about one subject are not counted.",
    fields: &[
        field(
            "rule",
            Required,
            Type::Enum(&WAIVABLE),
            "The rule code waived (`control-without-risk`); format codes cannot be waived.",
        ),
        field(
            "target",
            Required,
            Type::Text,
            "The subject of the findings: an entity id (system, risk, assessment, incident, person, Annex A control) or a path relative to the register.",
        ),
        field(
            "reason",
            Required,
            Type::Text,
            "Why the exception is accepted.",
        ),
        refers(
            "approved_by",
            Required,
            Type::Text,
            Kind::Person,
            "Who approved the exception (a person key).",
        ),
        field("date", Required, Type::Date, "When it was approved."),
        field(
            "expires",
            Optional,
            Type::Date,
            "When it lapses: after that day the findings count again (`waiver-expired`).",
        ),
    ],
    constraints: &[],
};

/// The file.
pub static WAIVERS: Mapping = Mapping {
    what: "waivers file",
    description: "Accepted exceptions to rules, each approved and possibly expiring.",
    fields: &[field(
        "waivers",
        Required,
        Type::List {
            item: &Item {
                ty: Type::Mapping(&WAIVER),
                description: "",
                symbol: Symbol::None,
            },
            min: 0,
        },
        "The waivers, in any order.",
    )],
    constraints: &[],
};
