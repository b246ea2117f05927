//! The built-in lists `airisk taxonomy` shows: the risk categories, ISO/IEC 42001 Annex A
//! and Annex C, NIST AI RMF 1.0 and the EU AI Act pack (the embedded taxonomy, read by
//! `load::taxonomy`).

pub use crate::load::taxonomy::Taxonomy;
pub use crate::model::eu_ai_act::Pack;

/// One list of the taxonomy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum List {
    /// The eight risk categories, with typical controls and treatment.
    Categories,
    /// ISO/IEC 42001 Annex A: 38 controls in 9 groups, with the NIST AI RMF crosswalk.
    Controls,
    /// ISO/IEC 42001 Annex C: objectives (C.2) and risk sources (C.3).
    Sources,
    /// NIST AI RMF 1.0: functions, categories, subcategories.
    Nist,
    /// The EU AI Act pack: dates, practices, Annex III, Annex I, Art. 50, roles, obligations.
    EuAiAct,
}

impl List {
    /// Every list, in the order `airisk taxonomy` shows them.
    pub const ALL: [List; 5] = [
        List::Categories,
        List::Controls,
        List::Sources,
        List::Nist,
        List::EuAiAct,
    ];
}
