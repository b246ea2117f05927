//! The built-in taxonomy, embedded from `taxonomy/*.yaml` at compile time: the eight risk
//! categories, ISO/IEC 42001 Annex A and Annex C, and NIST AI RMF 1.0 with its crosswalk.
//!
//! Parsed once per process on first use. Provenance is in `taxonomy/README.md`.
//!
//! It lives in `load`, beside the YAML reader it is parsed with, so that `model` knows no
//! YAML and imports nothing above it; the register refers to these ids, and the symbol index
//! lists them as built-in symbols (they have no file or span).

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    pub name: String,
    pub description: String,
    pub example: String,
    pub controls: Vec<String>,
    pub treatment: String,
    pub sources: Vec<String>,
    pub nist: Vec<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ControlGroup {
    pub id: String,
    pub title: String,
    pub controls: Vec<Control>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    pub id: String,
    pub title: String,
    /// NIST AI RMF subcategories the published crosswalk maps to this control.
    pub nist: Vec<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AnnexCItem {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AnnexC {
    pub objectives: Vec<AnnexCItem>,
    pub sources: Vec<AnnexCItem>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NistFunction {
    pub id: String,
    pub name: String,
    pub outcome: String,
    /// ISO/IEC 42001 clauses this function corresponds to.
    pub clauses: Vec<String>,
    pub categories: Vec<NistCategory>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NistCategory {
    pub id: String,
    pub label: String,
    pub statement: String,
    pub subcategories: Vec<NistSubcategory>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NistSubcategory {
    pub id: String,
    pub label: String,
    pub statement: String,
}

/// The whole built-in taxonomy.
#[derive(Debug)]
pub struct Taxonomy {
    pub categories: Vec<Category>,
    pub groups: Vec<ControlGroup>,
    pub annex_c: AnnexC,
    pub nist: Vec<NistFunction>,
}

#[derive(Deserialize)]
struct CategoriesFile {
    categories: Vec<Category>,
}

#[derive(Deserialize)]
struct AnnexAFile {
    groups: Vec<ControlGroup>,
}

#[derive(Deserialize)]
struct NistFile {
    functions: Vec<NistFunction>,
}

/// The embedded files, by name, for `airisk taxonomy` and the provenance test.
pub const FILES: &[(&str, &str)] = &[
    (
        "categories.yaml",
        include_str!("../../taxonomy/categories.yaml"),
    ),
    ("annex-a.yaml", include_str!("../../taxonomy/annex-a.yaml")),
    ("annex-c.yaml", include_str!("../../taxonomy/annex-c.yaml")),
    (
        "nist-ai-rmf.yaml",
        include_str!("../../taxonomy/nist-ai-rmf.yaml"),
    ),
];

fn file(name: &str) -> &'static str {
    FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .expect("embedded taxonomy file")
}

impl Taxonomy {
    /// The taxonomy, parsed on first use.
    pub fn get() -> &'static Taxonomy {
        static T: OnceLock<Taxonomy> = OnceLock::new();
        T.get_or_init(|| {
            use crate::load::yaml::from_embedded;
            let c: CategoriesFile = from_embedded("categories.yaml", file("categories.yaml"));
            let a: AnnexAFile = from_embedded("annex-a.yaml", file("annex-a.yaml"));
            let annex_c: AnnexC = from_embedded("annex-c.yaml", file("annex-c.yaml"));
            let n: NistFile = from_embedded("nist-ai-rmf.yaml", file("nist-ai-rmf.yaml"));
            Taxonomy {
                categories: c.categories,
                groups: a.groups,
                annex_c,
                nist: n.functions,
            }
        })
    }

    pub fn controls(&self) -> impl Iterator<Item = &Control> {
        self.groups.iter().flat_map(|g| g.controls.iter())
    }

    pub fn control(&self, id: &str) -> Option<&Control> {
        self.controls().find(|c| c.id == id)
    }

    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    pub fn nist_subcategories(&self) -> impl Iterator<Item = &NistSubcategory> {
        self.nist
            .iter()
            .flat_map(|f| f.categories.iter())
            .flat_map(|c| c.subcategories.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn counts_match_the_standards() {
        let t = Taxonomy::get();
        assert_eq!(t.categories.len(), 8);
        assert_eq!(t.groups.len(), 9);
        assert_eq!(t.controls().count(), 38);
        assert_eq!(t.annex_c.objectives.len(), 11);
        assert_eq!(t.annex_c.sources.len(), 7);
        assert_eq!(t.nist.len(), 4);
        assert_eq!(t.nist.iter().map(|f| f.categories.len()).sum::<usize>(), 19);
        assert_eq!(t.nist_subcategories().count(), 72);
        let ids: Vec<_> = t.categories.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "bias-fairness",
                "explainability-transparency",
                "security",
                "privacy",
                "safety",
                "societal",
                "operational",
                "supply-chain"
            ]
        );
    }

    #[test]
    fn every_cited_id_exists() {
        let t = Taxonomy::get();
        let controls: HashSet<_> = t.controls().map(|c| c.id.as_str()).collect();
        let sources: HashSet<_> = t.annex_c.sources.iter().map(|s| s.id.as_str()).collect();
        let nist: HashSet<_> = t.nist_subcategories().map(|s| s.id.as_str()).collect();
        for c in &t.categories {
            for id in &c.controls {
                assert!(controls.contains(id.as_str()), "{}: control {id}", c.id);
            }
            for id in &c.sources {
                assert!(sources.contains(id.as_str()), "{}: source {id}", c.id);
            }
            for id in &c.nist {
                assert!(nist.contains(id.as_str()), "{}: NIST {id}", c.id);
            }
        }
        for c in t.controls() {
            for id in &c.nist {
                assert!(nist.contains(id.as_str()), "{}: NIST {id}", c.id);
            }
        }
    }

    #[test]
    fn ids_are_unique_and_nested() {
        let t = Taxonomy::get();
        let mut seen = HashSet::new();
        for g in &t.groups {
            for c in &g.controls {
                assert!(c.id.starts_with(&format!("{}.", g.id)), "{}", c.id);
                assert!(seen.insert(&c.id), "duplicate {}", c.id);
            }
        }
        for o in &t.annex_c.objectives {
            assert!(o.id.starts_with("C.2."));
        }
        for s in &t.annex_c.sources {
            assert!(s.id.starts_with("C.3."));
        }
    }
}
