//! The built-in taxonomy, embedded from `taxonomy/*.yaml` at compile time: the eight risk
//! categories, ISO/IEC 42001 Annex A and Annex C, and NIST AI RMF 1.0 with its crosswalk.
//!
//! Parsed once per process on first use, with the project's own YAML reader
//! (`load::yaml::parse`) and a small typed reading of the fields below (`Reader`): an
//! embedded file that does not read is a defect of the build, so it panics, and the tests
//! read every file. Provenance is in `taxonomy/README.md`.
//!
//! It lives in `load`, beside the YAML reader it is parsed with, so that `model` knows no
//! YAML and imports nothing above it; the register refers to these ids, and the symbol index
//! lists them as built-in symbols (they have no file or span).

use crate::load::yaml::{self, Node, Value};
use serde::Serialize;
use std::fmt::Display;
use std::sync::OnceLock;

#[derive(Debug, Serialize)]
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

#[derive(Debug, Serialize)]
pub struct ControlGroup {
    pub id: String,
    pub title: String,
    pub controls: Vec<Control>,
}

#[derive(Debug, Serialize)]
pub struct Control {
    pub id: String,
    pub title: String,
    /// NIST AI RMF subcategories the published crosswalk maps to this control.
    pub nist: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct AnnexCItem {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct AnnexC {
    pub objectives: Vec<AnnexCItem>,
    pub sources: Vec<AnnexCItem>,
}

#[derive(Debug, Serialize)]
pub struct NistFunction {
    pub id: String,
    pub name: String,
    pub outcome: String,
    /// ISO/IEC 42001 clauses this function corresponds to.
    pub clauses: Vec<String>,
    pub categories: Vec<NistCategory>,
}

#[derive(Debug, Serialize)]
pub struct NistCategory {
    pub id: String,
    pub label: String,
    pub statement: String,
    pub subcategories: Vec<NistSubcategory>,
}

#[derive(Debug, Serialize)]
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
        T.get_or_init(|| Taxonomy {
            categories: Reader::read("categories.yaml", |r, n| {
                let [list] = r.fields(n, "the categories file", ["categories"]);
                r.list(list, Reader::category)
            }),
            groups: Reader::read("annex-a.yaml", |r, n| {
                let [list] = r.fields(n, "the Annex A file", ["groups"]);
                r.list(list, Reader::group)
            }),
            annex_c: Reader::read("annex-c.yaml", Reader::annex_c),
            nist: Reader::read("nist-ai-rmf.yaml", |r, n| {
                let [list] = r.fields(n, "the NIST AI RMF file", ["functions"]);
                r.list(list, Reader::function)
            }),
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

/// The typed reading of one embedded file: every mapping has exactly the fields of its type
/// (an unknown or a missing one is a defect, as `deny_unknown_fields` made it), text is read
/// as written (`6.1` stays `6.1`).
struct Reader {
    name: &'static str,
    text: &'static str,
}

impl Reader {
    /// Reads embedded file `name` with `read`.
    fn read<T>(name: &'static str, read: impl FnOnce(&Reader, &Node) -> T) -> T {
        let r = Reader {
            name,
            text: file(name),
        };
        let root = yaml::parse(r.text).unwrap_or_else(|e| {
            panic!(
                "embedded taxonomy/{name}:{}:{}: {} (a build defect)",
                e.line, e.column, e.message
            )
        });
        read(&r, &root)
    }

    /// Stops on a defect at `n`, with its place.
    fn fail(&self, n: &Node, what: impl Display) -> ! {
        let before = self.text.get(..n.start).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        panic!(
            "embedded taxonomy/{}:{line}:{column}: {what} (a build defect)",
            self.name
        )
    }

    /// The values of the `N` fields of a mapping (`what`, for messages), in the order named.
    fn fields<'n, const N: usize>(
        &self,
        n: &'n Node,
        what: &str,
        keys: [&str; N],
    ) -> [&'n Node; N] {
        let Value::Map(entries) = &n.value else {
            self.fail(n, format!("{what} is not a mapping"))
        };
        if let Some((k, _)) = entries
            .iter()
            .find(|(k, _)| !keys.contains(&k.text.as_str()))
        {
            self.fail(n, format!("unknown field `{}` in {what}", k.text));
        }
        keys.map(|key| {
            n.get(key)
                .unwrap_or_else(|| self.fail(n, format!("missing field `{key}` in {what}")))
        })
    }

    /// Text, as written.
    fn text(&self, n: &Node) -> String {
        match &n.value {
            Value::Str(s) => s.clone(),
            Value::Bool(_) | Value::Int(_) | Value::Float(_) => self.text[n.start..n.end].into(),
            _ => self.fail(n, "expected text"),
        }
    }

    fn list<T>(&self, n: &Node, item: impl Fn(&Reader, &Node) -> T) -> Vec<T> {
        match &n.value {
            Value::Seq(items) => items.iter().map(|i| item(self, i)).collect(),
            _ => self.fail(n, "expected a list"),
        }
    }

    fn texts(&self, n: &Node) -> Vec<String> {
        self.list(n, Reader::text)
    }

    fn category(&self, n: &Node) -> Category {
        let [
            id,
            name,
            description,
            example,
            controls,
            treatment,
            sources,
            nist,
        ] = self.fields(
            n,
            "a category",
            [
                "id",
                "name",
                "description",
                "example",
                "controls",
                "treatment",
                "sources",
                "nist",
            ],
        );
        Category {
            id: self.text(id),
            name: self.text(name),
            description: self.text(description),
            example: self.text(example),
            controls: self.texts(controls),
            treatment: self.text(treatment),
            sources: self.texts(sources),
            nist: self.texts(nist),
        }
    }

    fn group(&self, n: &Node) -> ControlGroup {
        let [id, title, controls] = self.fields(n, "a control group", ["id", "title", "controls"]);
        ControlGroup {
            id: self.text(id),
            title: self.text(title),
            controls: self.list(controls, Reader::control),
        }
    }

    fn control(&self, n: &Node) -> Control {
        let [id, title, nist] = self.fields(n, "a control", ["id", "title", "nist"]);
        Control {
            id: self.text(id),
            title: self.text(title),
            nist: self.texts(nist),
        }
    }

    fn annex_c(&self, n: &Node) -> AnnexC {
        let item = |r: &Reader, n: &Node| {
            let [id, name] = r.fields(n, "an Annex C item", ["id", "name"]);
            AnnexCItem {
                id: r.text(id),
                name: r.text(name),
            }
        };
        let [objectives, sources] = self.fields(n, "the Annex C file", ["objectives", "sources"]);
        AnnexC {
            objectives: self.list(objectives, item),
            sources: self.list(sources, item),
        }
    }

    fn function(&self, n: &Node) -> NistFunction {
        let [id, name, outcome, clauses, categories] = self.fields(
            n,
            "a NIST function",
            ["id", "name", "outcome", "clauses", "categories"],
        );
        NistFunction {
            id: self.text(id),
            name: self.text(name),
            outcome: self.text(outcome),
            clauses: self.texts(clauses),
            categories: self.list(categories, Reader::nist_category),
        }
    }

    fn nist_category(&self, n: &Node) -> NistCategory {
        let [id, label, statement, subcategories] = self.fields(
            n,
            "a NIST category",
            ["id", "label", "statement", "subcategories"],
        );
        NistCategory {
            id: self.text(id),
            label: self.text(label),
            statement: self.text(statement),
            subcategories: self.list(subcategories, |r, n| {
                let [id, label, statement] =
                    r.fields(n, "a NIST subcategory", ["id", "label", "statement"]);
                NistSubcategory {
                    id: r.text(id),
                    label: r.text(label),
                    statement: r.text(statement),
                }
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Every embedded file parses with the project's reader, and reads as its type: a file
    /// that does not is a build defect, which `Taxonomy::get` would meet at run time.
    #[test]
    fn every_embedded_file_reads() {
        for (name, text) in FILES {
            if let Err(e) = yaml::parse(text) {
                panic!("{name}:{}:{}: {}", e.line, e.column, e.message);
            }
        }
        let t = Taxonomy::get();
        assert!(!t.categories.is_empty() && !t.groups.is_empty());
        assert!(!t.annex_c.objectives.is_empty() && !t.nist.is_empty());
        // Text is read as written, also where YAML would type the scalar.
        let clauses: Vec<&str> = t
            .nist
            .iter()
            .flat_map(|f| f.clauses.iter().map(String::as_str))
            .collect();
        assert!(clauses.contains(&"4"), "{clauses:?}");
    }

    /// The typed reading refuses what serde's `deny_unknown_fields` refused, with the place.
    #[test]
    fn the_typed_reading_stops_at_a_defect() {
        let read = |text: &'static str| {
            std::panic::catch_unwind(|| {
                let r = Reader {
                    name: "test.yaml",
                    text,
                };
                let root = yaml::parse(text).unwrap();
                r.control(&root)
            })
            .map_err(|e| e.downcast_ref::<String>().cloned().unwrap_or_default())
        };
        let c = read("id: A.2.2\ntitle: 4.10\nnist: [GOVERN 1.1, yes]\n").unwrap();
        assert_eq!((c.title.as_str(), c.nist[1].as_str()), ("4.10", "yes"));
        for (text, want) in [
            (
                "id: A.2.2\ntitle: t\nnist: []\nextra: x\n",
                "test.yaml:1:1: unknown field `extra` in a control",
            ),
            (
                "id: A.2.2\nnist: []\n",
                "test.yaml:1:1: missing field `title` in a control",
            ),
            (
                "id: A.2.2\ntitle: [t]\nnist: []\n",
                "test.yaml:2:8: expected text",
            ),
            (
                "id: A.2.2\ntitle: t\nnist: x\n",
                "test.yaml:3:7: expected a list",
            ),
            ("- x\n", "test.yaml:1:1: a control is not a mapping"),
        ] {
            let e = read(text).unwrap_err();
            assert!(e.contains(want), "{text:?}: {e}");
        }
    }

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
