//! One file per rule. Each file's `//!` doc is the user documentation of its code; the
//! examples and fixes are in `docs/diagnostics.md`, kept in step by a test.

pub mod acceptance_above_threshold;
pub mod acceptance_expired;
pub mod acceptance_incomplete;
pub mod acceptance_stale;
pub mod assessment_missing;
pub mod category_not_screened;
pub mod control_excluded_but_used;
pub mod control_without_risk;
pub mod date_in_future;
pub mod duplicate_id;
pub mod eu_ai_act_inconsistent;
pub mod eu_ai_act_prohibited;
pub mod eu_ai_act_unclassified;
pub mod evidence_missing;
pub mod evidence_not_found;
pub mod fria_missing;
pub mod incident_report_overdue;
pub mod monitoring_breach;
pub mod monitoring_stale;
pub mod obligation_not_met;
pub mod review_overdue;
pub mod score_out_of_range;
pub mod soa_control_missing;
pub mod soa_justification_missing;
pub mod system_changed_since_review;
pub mod target_not_lower;
pub mod treatment_incomplete;
pub mod treatment_overdue;
pub mod treatment_required;
pub mod unknown_reference;
pub mod waiver_expired;
