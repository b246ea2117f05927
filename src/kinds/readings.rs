//! `monitoring/**/*.csv`: monitoring readings, one per row (SPEC §9). The columns are
//! declared here as the fields of one row: the loader checks a file's header against them
//! (`unknown-field` at a header cell that is not one, `missing-field` for a required column
//! that is absent) and `docs/format.md` documents each.
//!
//! A row names its system and, within it, its monitor; the loader records both as
//! references (the monitor as `system/monitor`, the id of its symbol).

use super::Kind;
use super::fields::{Mapping, Presence::*, Type, field, refers};

/// One row of a reading file.
pub static READING: Mapping = Mapping {
    what: "reading file",
    description: "Monitoring readings, one per row.",
    fields: &[
        field(
            "date",
            Required,
            Type::Text,
            "When the value was measured: an ISO date (`2026-10-31`) or an RFC 3339 time (`2026-10-31T06:00:00Z`, its UTC day counts).",
        ),
        refers(
            "system",
            Required,
            Type::Text,
            Kind::System,
            "The system's id.",
        ),
        refers(
            "monitor",
            Required,
            Type::Text,
            Kind::Monitor,
            "The `id` of one of the system's `monitoring` entries.",
        ),
        field(
            "value",
            Required,
            Type::Text,
            "The reading: a decimal number (`0.64`, `-3`, `1.5e-3`); NaN and infinities are refused.",
        ),
        field(
            "source",
            Optional,
            Type::Text,
            "Where the value comes from (`mlflow run 8f3a`).",
        ),
        field(
            "note",
            Optional,
            Type::Text,
            "Anything a reviewer should know.",
        ),
    ],
    constraints: &[],
};
