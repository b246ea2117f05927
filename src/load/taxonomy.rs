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
use crate::model::Date;
use crate::model::eu_ai_act::{
    AnnexIAct, AnnexIiiPoint, DateEntry, Deadlines, Described, Duty, Obligation, Pack, Practice,
};
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
    /// The EU AI Act pack (`eu-ai-act.yaml`).
    pub eu_ai_act: Pack,
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
    (
        "eu-ai-act.yaml",
        include_str!("../../taxonomy/eu-ai-act.yaml"),
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
            eu_ai_act: Reader::read("eu-ai-act.yaml", Reader::pack),
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

    /// Text, or `None` for `null`.
    fn opt_text(&self, n: &Node) -> Option<String> {
        match &n.value {
            Value::Null => None,
            _ => Some(self.text(n)),
        }
    }

    fn date(&self, n: &Node) -> Date {
        let t = self.text(n);
        crate::model::time::parse_date(&t).unwrap_or_else(|e| self.fail(n, e))
    }

    fn opt_date(&self, n: &Node) -> Option<Date> {
        match &n.value {
            Value::Null => None,
            _ => Some(self.date(n)),
        }
    }

    fn days(&self, n: &Node) -> u32 {
        self.text(n)
            .parse()
            .unwrap_or_else(|_| self.fail(n, "expected a number of days"))
    }

    /// A status of the reference (`confirmed`, ... `editorial`).
    fn status(&self, n: &Node) -> String {
        let s = self.text(n);
        if !crate::model::eu_ai_act::STATUSES.contains(&s.as_str()) {
            self.fail(n, format!("unknown status `{s}`"));
        }
        s
    }

    fn pack(&self, n: &Node) -> Pack {
        let [
            verified_on,
            regulation,
            caveat,
            dates,
            practices,
            annex_iii,
            derogations,
            annex_i,
            transparency,
            roles,
            obligations,
            deadlines,
        ] = self.fields(
            n,
            "the EU AI Act pack",
            [
                "verified_on",
                "regulation",
                "caveat",
                "dates",
                "practices",
                "annex_iii",
                "derogations",
                "annex_i",
                "transparency",
                "roles",
                "obligations",
                "incident_deadlines",
            ],
        );
        Pack {
            verified_on: self.date(verified_on),
            regulation: self.text(regulation),
            caveat: self.text(caveat),
            dates: self.list(dates, |r, n| {
                let [key, date, practical, status, scope, source] = r.fields(
                    n,
                    "an application date",
                    ["key", "date", "practical", "status", "scope", "source"],
                );
                DateEntry {
                    key: r.text(key),
                    date: r.opt_date(date),
                    practical: r.texts(practical),
                    status: r.status(status),
                    scope: r.text(scope),
                    source: r.text(source),
                }
            }),
            practices: self.list(practices, |r, n| {
                let [id, summary, date_key, status, source] = r.fields(
                    n,
                    "a prohibited practice",
                    ["id", "summary", "date_key", "status", "source"],
                );
                Practice {
                    id: r.text(id),
                    summary: r.text(summary),
                    date_key: r.text(date_key),
                    status: r.status(status),
                    source: r.text(source),
                }
            }),
            annex_iii: self.list(annex_iii, |r, n| {
                let [id, area, summary, source] =
                    r.fields(n, "an Annex III point", ["id", "area", "summary", "source"]);
                AnnexIiiPoint {
                    id: r.text(id),
                    area: r.text(area),
                    summary: r.text(summary),
                    source: r.text(source),
                }
            }),
            derogations: self.list(derogations, |r, n| {
                let [id, summary, source] =
                    r.fields(n, "a derogation condition", ["id", "summary", "source"]);
                Described {
                    id: r.text(id),
                    text: r.text(summary),
                    source: r.text(source),
                }
            }),
            annex_i: self.list(annex_i, |r, n| {
                let [id, section, act, name, status, source] = r.fields(
                    n,
                    "an Annex I act",
                    ["id", "section", "act", "name", "status", "source"],
                );
                AnnexIAct {
                    id: r.text(id),
                    section: r.text(section),
                    act: r.text(act),
                    name: r.text(name),
                    status: r.status(status),
                    source: r.text(source),
                }
            }),
            transparency: self.list(transparency, |r, n| {
                let [id, who, what, date_key, legacy_date_key, status, source] = r.fields(
                    n,
                    "an Art. 50 duty",
                    [
                        "id",
                        "who",
                        "what",
                        "date_key",
                        "legacy_date_key",
                        "status",
                        "source",
                    ],
                );
                Duty {
                    id: r.text(id),
                    who: r.text(who),
                    what: r.text(what),
                    date_key: r.text(date_key),
                    legacy_date_key: r.opt_text(legacy_date_key),
                    status: r.status(status),
                    source: r.text(source),
                }
            }),
            roles: self.list(roles, |r, n| {
                let [id, definition, source] =
                    r.fields(n, "a role", ["id", "definition", "source"]);
                Described {
                    id: r.text(id),
                    text: r.text(definition),
                    source: r.text(source),
                }
            }),
            obligations: self.list(obligations, |r, n| {
                let [
                    id,
                    roles,
                    applies_to,
                    only_for,
                    article,
                    summary,
                    date_keys,
                    status,
                    source,
                ] = r.fields(
                    n,
                    "an obligation",
                    [
                        "id",
                        "roles",
                        "applies_to",
                        "only_for",
                        "article",
                        "summary",
                        "date_keys",
                        "status",
                        "source",
                    ],
                );
                Obligation {
                    id: r.text(id),
                    roles: r.texts(roles),
                    applies_to: r.text(applies_to),
                    only_for: r.opt_text(only_for).unwrap_or_default(),
                    article: r.text(article),
                    summary: r.text(summary),
                    date_keys: r.texts(date_keys),
                    status: r.status(status),
                    source: r.text(source),
                }
            }),
            deadlines: {
                let [date_key, general, death, critical, source] = self.fields(
                    deadlines,
                    "the Art. 73 deadlines",
                    [
                        "date_key",
                        "general",
                        "death",
                        "critical_infrastructure",
                        "source",
                    ],
                );
                Deadlines {
                    date_key: self.text(date_key),
                    general: self.days(general),
                    death: self.days(death),
                    critical_infrastructure: self.days(critical),
                    source: self.text(source),
                }
            },
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
    /// The law's application dates, pinned from the project's reference notes on EU AI Act
    /// dates (verified 2026-12-04: Regulation (EU) 2024/1689 as amended by (EU) 2026/1744),
    /// with their statuses. The embedded pack must say exactly this: a stale date (the
    /// pre-Omnibus 2026-08-02 for Annex III) fails here.
    const LAW_DATES: &[(&str, Option<&str>, &str)] = &[
        ("eif", Some("2024-08-01"), "confirmed"),
        ("prohibitions", Some("2025-02-02"), "confirmed"),
        ("ai_literacy", Some("2025-02-02"), "disputed"),
        ("gpai", Some("2025-08-02"), "confirmed"),
        ("governance_penalties", Some("2025-08-02"), "confirmed"),
        ("gpai_fines_art101", Some("2026-08-02"), "confirmed"),
        ("general", Some("2026-08-02"), "confirmed"),
        ("transparency_art50", Some("2026-08-02"), "confirmed"),
        ("art50_2_legacy_systems", Some("2026-12-02"), "confirmed"),
        ("new_prohibitions_ba_bb", Some("2026-12-02"), "confirmed"),
        ("high_risk_annex_iii", Some("2027-12-02"), "confirmed"),
        ("high_risk_annex_i", Some("2028-08-02"), "confirmed"),
        ("art6_5_guidelines", Some("2026-08-02"), "confirmed"),
        ("legacy_gpai", Some("2027-08-02"), "confirmed"),
        ("legacy_high_risk", None, "single_source"),
        (
            "public_authority_high_risk_backstop",
            Some("2030-08-02"),
            "confirmed",
        ),
        ("annex_x_large_scale_it", Some("2030-12-31"), "confirmed"),
        ("sandboxes", Some("2027-08-02"), "confirmed"),
        ("amendments_other_acts", Some("2026-07-27"), "single_source"),
        ("art72_art73", None, "unknown"),
        ("art86", None, "unknown"),
    ];

    #[test]
    fn eu_ai_act_dates_are_the_laws() {
        let pack = &Taxonomy::get().eu_ai_act;
        let embedded: Vec<(&str, Option<String>, &str)> = pack
            .dates
            .iter()
            .map(|d| {
                (
                    d.key.as_str(),
                    d.date.map(|x| x.to_string()),
                    d.status.as_str(),
                )
            })
            .collect();
        let law: Vec<(&str, Option<String>, &str)> = LAW_DATES
            .iter()
            .map(|(k, d, s)| (*k, d.map(String::from), *s))
            .collect();
        assert_eq!(embedded, law);
        assert_eq!(pack.verified_on.to_string(), "2026-12-04");
        // Arts 72/73 and 86 are dated by the high-risk dates in practice.
        let practical = |k: &str| pack.date_entry(k).unwrap().practical.clone();
        assert_eq!(
            practical("art72_art73"),
            ["high_risk_annex_iii", "high_risk_annex_i"]
        );
        assert_eq!(practical("art86"), ["high_risk_annex_iii"]);
        // Every practice, duty and obligation is dated by a key of the pack.
        let key = |k: &str| assert!(pack.date_entry(k).is_some(), "date key {k}");
        pack.practices.iter().for_each(|p| key(&p.date_key));
        pack.transparency.iter().for_each(|d| key(&d.date_key));
        for o in &pack.obligations {
            assert!(
                !o.date_keys.is_empty() && o.date_keys.len() <= 2,
                "{}",
                o.id
            );
            o.date_keys.iter().for_each(|k| key(k));
        }
        // The two new prohibited practices, from 2026-12-02.
        for id in ["art5-1-ba", "art5-1-bb"] {
            let p = pack.practices.iter().find(|p| p.id == id).unwrap();
            assert_eq!(p.date_key, "new_prohibitions_ba_bb");
        }
        assert_eq!(
            pack.duty("art50-2").unwrap().legacy_date_key.as_deref(),
            Some("art50_2_legacy_systems")
        );
    }

    #[test]
    fn eu_ai_act_counts_and_ids() {
        let pack = &Taxonomy::get().eu_ai_act;
        assert_eq!(pack.annex_iii.len(), 25);
        assert_eq!(pack.practices.len(), 12); // (a)-(h), (ba), (bb), 5(1a), 5(1b)
        assert_eq!(pack.annex_i.len(), 20); // Section A 11, Section B 9, as amended
        assert_eq!(pack.transparency.len(), 6);
        assert_eq!(pack.derogations.len(), 4);
        assert_eq!(pack.obligations.len(), 58);
        assert_eq!((pack.deadlines.general, pack.deadlines.death), (15, 10));
        assert_eq!(pack.deadlines.critical_infrastructure, 2);
        let mut seen = HashSet::new();
        for id in pack
            .obligations
            .iter()
            .map(|o| &o.id)
            .chain(pack.transparency.iter().map(|d| &d.id))
            .chain(pack.annex_iii.iter().map(|p| &p.id))
            .chain(pack.annex_i.iter().map(|p| &p.id))
        {
            assert!(seen.insert(id), "duplicate {id}");
            assert!(crate::text::is_id(id), "{id}");
        }
        // Every role an obligation names is a role of the register's format.
        for o in &pack.obligations {
            for r in &o.roles {
                assert!(
                    crate::model::eu_ai_act::role_of(r).is_some(),
                    "{}: {r}",
                    o.id
                );
            }
        }
        // The derogation conditions are the format's enumeration.
        let conditions: Vec<&str> = pack.derogations.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(conditions, crate::model::DerogationCondition::ALL);
        assert!(pack.obligation(crate::model::eu_ai_act::ART27).is_some());
    }
    /// What applies when: the route picks the date, an undated key uses the practical
    /// key of the route (and says so), an override wins and says so.
    #[test]
    fn eu_ai_act_dates_by_route_and_override() {
        use crate::model::eu_ai_act::{EuAiActConfig, Profile, Route};
        let pack = &Taxonomy::get().eu_ai_act;
        let mut config = EuAiActConfig::default();
        let keys = |o: &str| pack.obligation(o).unwrap().date_keys.clone();
        let day = |s: &str| crate::model::time::parse_date(s).unwrap();
        {
            let p = Profile {
                pack,
                config: &config,
            };
            let a = p.applies(&keys("obl-prov-art9"), &[Route::AnnexI]);
            assert_eq!(a.date, Some(day("2028-08-02")));
            let both = p.applies(&keys("obl-prov-art9"), &[Route::AnnexIii, Route::AnnexI]);
            assert_eq!(both.date, Some(day("2027-12-02")));
            let a73 = p.applies(&keys("obl-prov-art73"), &[Route::AnnexI]);
            assert_eq!(a73.date, Some(day("2028-08-02")));
            let caveat = a73.caveat.unwrap();
            assert!(
                caveat.starts_with("unknown: ") && caveat.contains("high_risk_annex_i"),
                "{caveat}"
            );
            let a4 = p.applies(&keys("obl-all-art4"), &[]);
            assert_eq!(
                (a4.date, a4.caveat.as_deref()),
                (Some(day("2025-02-02")), Some("disputed"))
            );
            assert_eq!(p.fria_date(), Some(day("2027-12-02")));
        }
        config
            .dates
            .insert("high_risk_annex_iii".into(), day("2028-06-02"));
        let p = Profile {
            pack,
            config: &config,
        };
        let a73 = p.applies(&keys("obl-prov-art73"), &[Route::AnnexIii]);
        assert_eq!(a73.date, Some(day("2028-06-02")));
        let a9 = p.applies(&keys("obl-prov-art9"), &[Route::AnnexIii]);
        assert!(a9.overridden && a9.date == Some(day("2028-06-02")));
        assert_eq!(p.fria_date(), Some(day("2028-06-02")));
    }
}
