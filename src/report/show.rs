//! `airisk show ID`: one entity with everything linked to it, both ways — a risk (its
//! systems, controls, assessments, incidents, infosec refs), a system (its risks, impact
//! assessments, screening, incidents), an Annex A control (its decision, risks, assessments),
//! an impact assessment, an incident, a person (what they own, assessed, approved, and their
//! roles), a risk category (its risks, the systems that screened it out) or an Annex C source
//! or objective (the risks naming it). An unknown id gets a "did you mean". Links are found through the symbol index
//! (`model::symbols`): what names the entity, and what it names.

use super::{Cell, Column, Detail, DocControl, Document, ProvenanceMap, Section, Table, level_tag};
use crate::kinds::fields::Mapping;
use crate::kinds::{Kind, risk, system};
use crate::load::taxonomy::Taxonomy;
use crate::model::FileId;
use crate::model::{Assessment, Criteria, Date, Register, Risk};
use crate::source::Sources;
use crate::text::natural_cmp;
use anyhow::{Result, bail};

const FIELD: Column = Column::new("field", "Field");
const VALUE: Column = Column::wide("value", "Value").wrapping();

fn fields(rows: Vec<(&str, Cell)>) -> Table {
    Table::new(
        vec![FIELD, VALUE],
        rows.into_iter()
            .map(|(k, v)| vec![Cell::text(k), v])
            .collect(),
    )
}

fn section(id: &str, title: impl Into<String>, table: Table) -> Section {
    Section {
        id: id.into(),
        title: title.into(),
        note: None,
        table,
    }
}

fn risk_table(reg: &Register, risks: &[&Risk]) -> Table {
    let mut risks = risks.to_vec();
    risks.sort_by(|a, b| natural_cmp(&a.id.value, &b.id.value));
    let rows = risks
        .iter()
        .map(|r| {
            let level = reg.level_of(r).map(|l| l.name.clone());
            let tag = level.as_deref().and_then(|n| level_tag(reg, n));
            vec![
                Cell::text(&r.id.value),
                Cell::opt(r.title.as_ref().map(|t| t.value.clone())),
                Cell::opt(r.category.as_ref().map(|c| c.value.clone())),
                r.current()
                    .filter(|(l, c)| reg.config.criteria.in_range(*l, *c))
                    .map_or(Cell::null(), |(l, c)| {
                        Cell::int(i64::from(Criteria::score(l as u32, c as u32)))
                    })
                    .with_level(tag.clone()),
                Cell::opt(level).with_level(tag),
                Cell::text(r.status.to_string()),
            ]
        })
        .collect();
    Table::new(
        vec![
            Column::new("id", "ID"),
            Column::wide("title", "Title").wrapping(),
            Column::new("category", "Category").drop(2),
            Column::new("score", "Score"),
            Column::new("level", "Level"),
            Column::new("status", "Status").drop(1),
        ],
        rows,
    )
}

fn list(items: Vec<(String, String)>, key: &'static str, title: &'static str) -> Table {
    let mut items = items;
    items.sort_by(|a, b| natural_cmp(&a.0, &b.0));
    items.dedup();
    Table::new(
        vec![
            Column::new(key, title),
            Column::wide("title", "Title").wrapping(),
        ],
        items
            .into_iter()
            .map(|(a, b)| vec![Cell::text(a), Cell::text(b)])
            .collect(),
    )
}

/// The provenance section of the file an entity lives in, when git history is at hand.
fn provenance(sources: &Sources, prov: Option<&ProvenanceMap>, file: FileId) -> Option<Section> {
    let prov = prov?;
    let path = sources.path(file);
    let rows = match prov.get(path) {
        Some(p) => vec![
            ("file", Cell::text(path)),
            ("last commit", Cell::text(&p.commit)),
            ("date", Cell::text(&p.day)),
            ("author", Cell::text(&p.author)),
            ("subject", Cell::text(&p.subject)),
            ("pull request", Cell::pull_request(p.pr)),
            ("merged in", Cell::opt(p.merged_in.clone())),
            ("approved by", Cell::list(p.approved_by.clone())),
            ("reviewed by", Cell::list(p.reviewed_by.clone())),
            ("claimed, not approvals", Cell::list(p.claimed.clone())),
        ],
        None => vec![
            ("file", Cell::text(path)),
            ("last commit", Cell::text(prov.missing())),
        ],
    };
    Some(section("provenance", "Provenance (git)", fields(rows)))
}

/// Finds `id` among every kind (systems, risks, assessments, incidents, controls, people).
/// With `prov`, the entity's file gets a provenance section.
/// A system's EU AI Act classification and its obligations, when it has a block.
fn eu_ai_act_sections(reg: &Register, s: &crate::model::System) -> Vec<Section> {
    use super::obligations as ob;
    let Some(b) = &s.eu_ai_act else {
        return Vec::new();
    };
    let text =
        |v: &Option<crate::model::Sp<String>>| Cell::opt(v.as_ref().map(|x| x.value.clone()));
    vec![
        section(
            "eu-ai-act",
            "EU AI Act classification",
            fields(vec![
                (
                    "classification",
                    Cell::opt(b.class().map(|c| c.to_string())),
                ),
                ("route", Cell::text(ob::route(b))),
                (
                    "roles",
                    Cell::list(b.roles.iter().map(|r| r.value.to_string())),
                ),
                ("rationale", text(&b.rationale)),
                ("assessed", Cell::date(b.assessed.as_ref().map(|d| d.value))),
                ("assessed by", text(&b.assessed_by)),
                ("pack", Cell::text(ob::pack_note(reg))),
            ]),
        ),
        section(
            "eu-ai-act-obligations",
            "EU AI Act obligations",
            Table::new(ob::OBLIGATIONS.to_vec(), ob::rows(reg, s, b)),
        ),
    ]
}

pub fn build(
    reg: &Register,
    sources: &Sources,
    as_of: Date,
    id: &str,
    prov: Option<&ProvenanceMap>,
) -> Result<Document> {
    let control = DocControl::new(reg, as_of);
    let doc = |title: String, mut sections: Vec<Section>, file: Option<FileId>| {
        let path = file.map(|f| sources.path(f));
        sections.extend(super::waivers::for_subject(reg, as_of, id, path));
        sections.extend(file.and_then(|f| provenance(sources, prov, f)));
        Document {
            kind: "show",
            title,
            control: control.clone(),
            summary: Vec::new(),
            notes: Vec::new(),
            sections,
            detail: Detail::None,
        }
    };
    if let Some(r) = reg.risk(id) {
        return Ok(doc(
            format!("Risk {id}"),
            {
                let mut sections = show_risk(reg, sources, r);
                sections.push(risk_monitors_section(reg, r, as_of));
                sections
            },
            Some(r.file),
        ));
    }
    let named_by = |kind: Kind, from: Kind| reg.symbols.named_by(kind, id, from);
    if let Some(s) = reg.system(id) {
        let risks: Vec<&Risk> = named_by(Kind::System, Kind::Risk)
            .into_iter()
            .map(|i| &*reg.risks[i])
            .collect();
        let mut sections = vec![section(
            "system",
            format!("System {id}"),
            fields(vec![
                ("name", Cell::opt(s.name.as_ref().map(|x| x.value.clone()))),
                (
                    "owner",
                    Cell::opt(s.owner.as_ref().map(|x| x.value.clone())),
                ),
                (
                    "intended use",
                    Cell::opt(s.intended_use.as_ref().map(|x| x.value.clone())),
                ),
                (
                    "model type",
                    Cell::opt(s.model_type.as_ref().map(|x| x.value.to_string())),
                ),
                (
                    "provider",
                    Cell::opt(s.provider.as_ref().map(|x| x.value.clone())),
                ),
                (
                    "model version",
                    Cell::opt(s.model_version.as_ref().map(|x| x.value.clone())),
                ),
                (
                    "lifecycle",
                    Cell::opt(s.lifecycle.as_ref().map(|x| x.value.to_string())),
                ),
                (
                    "criticality",
                    Cell::opt(s.criticality.as_ref().map(|x| x.value.to_string())),
                ),
                ("file", Cell::text(sources.path(s.file))),
            ]),
        )];
        sections.push(section("risks", "Risks", risk_table(reg, &risks)));
        sections.push(section(
            "assessments",
            "Impact assessments",
            list(
                named_by(Kind::System, Kind::Assessment)
                    .into_iter()
                    .map(|i| &reg.assessments[i])
                    .map(|a| (a.id.value.clone(), format!("{} impacts", a.impacts.len())))
                    .collect(),
                "id",
                "ID",
            ),
        ));
        sections.push(section(
            "screening",
            "Categories screened out",
            list(
                s.screening
                    .iter()
                    .map(|x| {
                        (
                            x.category.value.clone(),
                            x.rationale
                                .as_ref()
                                .map(|r| r.value.clone())
                                .unwrap_or_default(),
                        )
                    })
                    .collect(),
                "category",
                "Category",
            ),
        ));
        sections.push(section(
            "incidents",
            "Incidents",
            list(
                named_by(Kind::System, Kind::Incident)
                    .into_iter()
                    .map(|i| &reg.incidents[i])
                    .map(|i| {
                        (
                            i.id.value.clone(),
                            i.summary
                                .as_ref()
                                .map(|s| s.value.clone())
                                .unwrap_or_default(),
                        )
                    })
                    .collect(),
                "id",
                "ID",
            ),
        ));
        sections.push(system_monitors_section(s, as_of));
        sections.extend(eu_ai_act_sections(reg, s));
        return Ok(doc(format!("System {id}"), sections, Some(s.file)));
    }
    if let Some(c) = Taxonomy::get().control(id) {
        let d = reg.decision(id);
        let mut treated: Vec<usize> = reg
            .symbols
            .references_to(Kind::Control, id)
            .filter(|r| r.from().0 == Kind::Risk && r.is_in(&risk::TREATMENT, "controls"))
            .map(|r| r.from().1)
            .collect();
        treated.dedup();
        let risks: Vec<&Risk> = treated
            .into_iter()
            .map(|i| &*reg.risks[i])
            .filter(|r| r.is_open())
            .collect();
        let assessments = named_by(Kind::Control, Kind::Assessment)
            .into_iter()
            .map(|i| &reg.assessments[i])
            .map(|a| {
                (
                    a.id.value.clone(),
                    a.system
                        .as_ref()
                        .map(|s| s.value.clone())
                        .unwrap_or_default(),
                )
            })
            .collect();
        let sections = vec![
            section(
                "control",
                format!("{id} {}", c.title),
                fields(vec![
                    (
                        "applicable",
                        d.and_then(|d| d.applicable.as_ref())
                            .map_or(Cell::text("undecided"), |a| Cell::bool(a.value)),
                    ),
                    (
                        "status",
                        Cell::opt(
                            d.and_then(|d| d.status.as_ref())
                                .map(|s| s.value.to_string()),
                        ),
                    ),
                    (
                        "justification",
                        Cell::opt(
                            d.and_then(|d| d.justification.get())
                                .map(|j| j.value.clone()),
                        ),
                    ),
                    (
                        "owner",
                        Cell::opt(d.and_then(|d| d.owner.as_ref()).map(|o| o.value.clone())),
                    ),
                    (
                        "evidence",
                        Cell::list(
                            d.and_then(|d| d.evidence.get())
                                .map(|e| e.iter().map(|x| x.value.clone()).collect::<Vec<_>>())
                                .unwrap_or_default(),
                        ),
                    ),
                    ("NIST AI RMF", Cell::list(c.nist.clone())),
                ]),
            ),
            section("risks", "Risks treated with it", risk_table(reg, &risks)),
            section(
                "assessments",
                "Impact assessments relying on it",
                list(assessments, "id", "ID"),
            ),
        ];
        return Ok(doc(
            format!("Control {id}"),
            sections,
            reg.soa.as_ref().map(|s| s.file),
        ));
    }
    if let Some(a) = reg.assessment(id) {
        let risks = assessment_risks(reg, a);
        let impacts = Table::new(
            vec![
                Column::new("affected", "Affected"),
                Column::new("area", "Area"),
                Column::new("severity", "Severity"),
                Column::new("likelihood", "Likelihood"),
                Column::wide("description", "Description").wrapping(),
                Column::new("controls", "Controls"),
            ],
            a.impacts
                .iter()
                .map(|i| {
                    vec![
                        Cell::opt(i.affected.as_ref().map(|x| x.value.clone())),
                        Cell::opt(i.area.as_ref().map(|x| x.value.to_string())),
                        i.severity
                            .as_ref()
                            .map_or(Cell::null(), |x| Cell::int(x.value)),
                        i.likelihood
                            .as_ref()
                            .map_or(Cell::null(), |x| Cell::int(x.value)),
                        Cell::opt(i.description.as_ref().map(|x| x.value.clone())),
                        Cell::list(i.controls.iter().map(|c| c.value.clone())),
                    ]
                })
                .collect(),
        );
        let sections = vec![
            section(
                "assessment",
                format!("Impact assessment {id}"),
                fields(vec![
                    (
                        "system",
                        Cell::opt(a.system.as_ref().map(|x| x.value.clone())),
                    ),
                    (
                        "assessor",
                        Cell::opt(a.assessor.as_ref().map(|x| x.value.clone())),
                    ),
                    ("date", Cell::date(a.date.as_ref().map(|d| d.value))),
                    ("reviewed", Cell::date(a.reviewed.as_ref().map(|d| d.value))),
                    ("file", Cell::text(sources.path(a.file))),
                ]),
            ),
            section("impacts", "Impacts", impacts),
            section("risks", "Risks", risk_table(reg, &risks)),
        ];
        return Ok(doc(
            format!("Impact assessment {id}"),
            sections,
            Some(a.file),
        ));
    }
    if let Some(i) = reg.incident(id) {
        let risks = dedup(i.risks.iter().filter_map(|x| reg.risk(&x.value)));
        let ca = i.corrective_action.as_ref();
        let sections = vec![
            section(
                "incident",
                format!("Incident {id}"),
                fields(vec![
                    ("date", Cell::date(i.date.as_ref().map(|d| d.value))),
                    (
                        "kind",
                        Cell::opt(i.kind.as_ref().map(|k| k.value.to_string())),
                    ),
                    (
                        "system",
                        Cell::opt(i.system.as_ref().map(|x| x.value.clone())),
                    ),
                    (
                        "summary",
                        Cell::opt(i.summary.as_ref().map(|x| x.value.clone())),
                    ),
                    (
                        "corrective action",
                        Cell::opt(ca.and_then(|c| c.plan.get()).map(|p| p.value.clone())),
                    ),
                    (
                        "action owner",
                        Cell::opt(ca.and_then(|c| c.owner.get()).map(|p| p.value.clone())),
                    ),
                    (
                        "action due",
                        Cell::date(ca.and_then(|c| c.due.get()).map(|p| p.value)),
                    ),
                    (
                        "action status",
                        Cell::opt(ca.and_then(|c| c.status.get()).map(|p| p.value.to_string())),
                    ),
                    ("file", Cell::text(sources.path(i.file))),
                ]),
            ),
            section("risks", "Risks", risk_table(reg, &risks)),
        ];
        return Ok(doc(format!("Incident {id}"), sections, Some(i.file)));
    }
    if let Some(p) = reg.person(id) {
        let of = |kind: Kind, mapping: &'static Mapping| {
            let mut items: Vec<usize> = reg
                .symbols
                .references_to(Kind::Person, id)
                .filter(|r| r.from().0 == kind && r.is_in(mapping, "owner"))
                .map(|r| r.from().1)
                .collect();
            items.dedup();
            items
        };
        let mut owned = of(Kind::Risk, &risk::RISK);
        owned.extend(of(Kind::Risk, &risk::TREATMENT));
        owned.sort_unstable();
        owned.dedup();
        let owns: Vec<&Risk> = owned.into_iter().map(|i| &*reg.risks[i]).collect();
        let systems = of(Kind::System, &system::SYSTEM)
            .into_iter()
            .map(|i| &reg.systems[i])
            .map(|s| {
                (
                    s.id.value.clone(),
                    s.name.as_ref().map(|n| n.value.clone()).unwrap_or_default(),
                )
            })
            .collect();
        let sections = vec![
            section(
                "person",
                format!("Person {id}"),
                fields(vec![
                    ("name", Cell::opt(p.name.as_ref().map(|x| x.value.clone()))),
                    (
                        "email",
                        Cell::opt(p.email.as_ref().map(|x| x.value.clone())),
                    ),
                    (
                        "github",
                        Cell::opt(p.github.as_ref().map(|x| x.value.clone())),
                    ),
                    ("role", Cell::opt(p.role.as_ref().map(|x| x.value.clone()))),
                ]),
            ),
            section("systems", "Systems owned", list(systems, "id", "ID")),
            section("risks", "Risks owned or treated", risk_table(reg, &owns)),
            person_assessments(reg, id),
            person_actions(reg, id),
            person_controls(reg, id),
            person_approvals(reg, id),
            person_roles(reg, id),
        ];
        return Ok(doc(
            format!("Person {id}"),
            sections,
            reg.people.as_ref().and_then(|p| p.file),
        ));
    }
    if let Some(sections) = show_category(reg, id) {
        return Ok(doc(format!("Category {id}"), sections, None));
    }
    if let Some((title, sections)) = show_annex_c(reg, id) {
        return Ok(doc(title, sections, None));
    }
    let all: Vec<&str> = SHOWN.iter().flat_map(|k| reg.symbols.ids(*k)).collect();
    // A list of every id would say little: only a likely typo or a prefix helps here.
    let hint = crate::diag::hint(id, &all, "ids")
        .filter(|h| h.starts_with("did you mean"))
        .map(|h| format!("\nhelp: {h}"))
        .unwrap_or_default();
    bail!("no {} has the id `{id}`{hint}", crate::kinds::titles(SHOWN))
}

/// A risk category (built in or extra): what it is, the risks in it, the systems that
/// screened it out.
fn show_category(reg: &Register, id: &str) -> Option<Vec<Section>> {
    let t = Taxonomy::get();
    let builtin = t.categories.iter().find(|c| c.id == id);
    let extra = reg.config.extra_categories.iter().find(|c| c.id == id);
    let rows = match (builtin, extra) {
        (Some(c), _) => vec![
            ("name", Cell::text(&c.name)),
            ("description", Cell::text(&c.description)),
            ("example", Cell::text(&c.example)),
            ("typical controls", Cell::list(c.controls.clone())),
            ("typical treatment", Cell::text(&c.treatment)),
            ("Annex C sources", Cell::list(c.sources.clone())),
        ],
        (None, Some(c)) => vec![
            ("name", Cell::text(&c.name)),
            (
                "defined in",
                Cell::text("airisk.toml `[taxonomy] extra_categories`"),
            ),
        ],
        (None, None) => return None,
    };
    let risks: Vec<&Risk> = reg
        .symbols
        .named_by(Kind::Category, id, Kind::Risk)
        .into_iter()
        .map(|i| &*reg.risks[i])
        .collect();
    let screened = reg
        .systems
        .iter()
        .flat_map(|s| {
            s.screening
                .iter()
                .filter(|x| x.category.value == id)
                .map(move |x| {
                    (
                        s.id.value.clone(),
                        x.rationale
                            .as_ref()
                            .map(|r| r.value.clone())
                            .unwrap_or_default(),
                    )
                })
        })
        .collect();
    Some(vec![
        section("category", format!("Category {id}"), fields(rows)),
        section("risks", "Risks in the category", risk_table(reg, &risks)),
        section(
            "screening",
            "Systems that screened it out",
            list(screened, "system", "System"),
        ),
    ])
}

/// An Annex C risk source or objective: its name and the risks naming it.
fn show_annex_c(reg: &Register, id: &str) -> Option<(String, Vec<Section>)> {
    let c = &Taxonomy::get().annex_c;
    let (kind, item, what) = if let Some(s) = c.sources.iter().find(|s| s.id == id) {
        (Kind::Source, s, "Annex C risk source")
    } else {
        let o = c.objectives.iter().find(|o| o.id == id)?;
        (Kind::Objective, o, "Annex C objective")
    };
    let risks: Vec<&Risk> = reg
        .symbols
        .named_by(kind, id, Kind::Risk)
        .into_iter()
        .map(|i| &*reg.risks[i])
        .collect();
    Some((
        format!("{what} {id}"),
        vec![
            section(
                kind.name(),
                format!("{what} {id}"),
                fields(vec![("name", Cell::text(&item.name))]),
            ),
            section("risks", "Risks naming it", risk_table(reg, &risks)),
        ],
    ))
}

/// Whether an optional value is `id`.
fn is(v: Option<&crate::model::Sp<String>>, id: &str) -> bool {
    v.is_some_and(|v| v.value == id)
}

/// The impact assessments a person made (`assessor`).
fn person_assessments(reg: &Register, id: &str) -> Section {
    let items = reg
        .assessments
        .iter()
        .filter(|a| is(a.assessor.as_ref(), id))
        .map(|a| {
            let system = a
                .system
                .as_ref()
                .map(|s| s.value.clone())
                .unwrap_or_default();
            let date = a
                .date
                .as_ref()
                .map(|d| format!(", {}", d.value))
                .unwrap_or_default();
            (a.id.value.clone(), format!("{system}{date}"))
        })
        .collect();
    section(
        "assessments",
        "Impact assessments made",
        list(items, "id", "ID"),
    )
}

/// The corrective actions of incidents a person owns.
fn person_actions(reg: &Register, id: &str) -> Section {
    let mut rows: Vec<&crate::model::Incident> = reg
        .incidents
        .iter()
        .filter(|i| {
            i.corrective_action
                .as_ref()
                .is_some_and(|c| is(c.owner.get(), id))
        })
        .collect();
    rows.sort_by(|a, b| natural_cmp(&a.id.value, &b.id.value));
    let table = Table::new(
        vec![
            Column::new("incident", "Incident"),
            Column::wide("plan", "Corrective action").wrapping(),
            Column::new("due", "Due"),
            Column::new("status", "Status"),
        ],
        rows.into_iter()
            .filter_map(|i| {
                let c = i.corrective_action.as_ref()?;
                Some(vec![
                    Cell::text(&i.id.value),
                    Cell::opt(c.plan.get().map(|p| p.value.clone())),
                    Cell::date(c.due.get().map(|d| d.value)),
                    Cell::opt(c.status.get().map(|s| s.value.to_string())),
                ])
            })
            .collect(),
    );
    section("actions", "Corrective actions owned", table)
}

/// The SoA decisions a person owns.
fn person_controls(reg: &Register, id: &str) -> Section {
    let t = Taxonomy::get();
    let items = reg
        .soa
        .iter()
        .flat_map(|s| s.decisions.iter())
        .filter(|d| is(d.owner.as_ref(), id))
        .map(|d| {
            let title = t
                .control(&d.control.value)
                .map(|c| c.title.clone())
                .unwrap_or_default();
            let status = d
                .status
                .as_ref()
                .map(|s| format!(" ({})", s.value))
                .unwrap_or_default();
            (d.control.value.clone(), format!("{title}{status}"))
        })
        .collect();
    section(
        "controls",
        "SoA controls owned",
        list(items, "control", "Control"),
    )
}

/// What a person approved: risk acceptances and the SoA.
fn person_approvals(reg: &Register, id: &str) -> Section {
    let mut rows: Vec<(String, String, Option<Date>)> = reg
        .risks
        .iter()
        .filter_map(|r| {
            let a = r.acceptance.as_ref()?;
            is(a.approved_by.get(), id).then(|| {
                (
                    r.id.value.clone(),
                    "risk acceptance".to_string(),
                    a.date.get().map(|d| d.value),
                )
            })
        })
        .collect();
    rows.sort_by(|a, b| natural_cmp(&a.0, &b.0));
    if let Some(s) = reg.soa.as_ref().filter(|s| is(s.approved_by.as_ref(), id)) {
        rows.push((
            "soa".into(),
            "Statement of Applicability".into(),
            s.reviewed.as_ref().map(|d| d.value),
        ));
    }
    let table = Table::new(
        vec![
            Column::new("id", "Approved"),
            Column::wide("what", "Approval").wrapping(),
            Column::new("date", "Date"),
        ],
        rows.into_iter()
            .map(|(i, w, d)| vec![Cell::text(i), Cell::text(w), Cell::date(d)])
            .collect(),
    );
    section("approvals", "Approvals", table)
}

/// The roles of people.yaml a person holds.
fn person_roles(reg: &Register, id: &str) -> Section {
    let mut roles: Vec<String> = reg
        .people
        .iter()
        .flat_map(|p| p.roles.iter())
        .filter(|r| r.members.iter().any(|m| m.value == id))
        .map(|r| r.name.value.clone())
        .collect();
    roles.sort_by(|a, b| natural_cmp(a, b));
    roles.dedup();
    let table = Table::new(
        vec![Column::new("role", "Role")],
        roles.into_iter().map(|r| vec![Cell::text(r)]).collect(),
    );
    section("roles", "Roles", table)
}

/// What `show` shows, in the order its error message names them (it looks a risk up first).
const SHOWN: [Kind; 9] = [
    Kind::System,
    Kind::Risk,
    Kind::Assessment,
    Kind::Incident,
    Kind::Control,
    Kind::Person,
    Kind::Category,
    Kind::Source,
    Kind::Objective,
];

/// Each risk once, in the order given.
fn dedup<'a>(risks: impl Iterator<Item = &'a Risk>) -> Vec<&'a Risk> {
    let mut seen = std::collections::HashSet::new();
    risks
        .filter(|r| seen.insert(std::ptr::from_ref(*r)))
        .collect()
}

/// The risks an impact assessment is linked to: those that list it under `assessments`,
/// and those its impacts name.
fn assessment_risks<'a>(reg: &'a Register, a: &'a Assessment) -> Vec<&'a Risk> {
    let listing = reg
        .symbols
        .named_by(Kind::Assessment, &a.id.value, Kind::Risk)
        .into_iter()
        .map(|i| &*reg.risks[i]);
    let named = a
        .impacts
        .iter()
        .flat_map(|i| i.risks.iter())
        .filter_map(|r| reg.risk(&r.value));
    dedup(listing.chain(named))
}

fn show_risk(reg: &Register, sources: &Sources, r: &Risk) -> Vec<Section> {
    let t = r.treatment.as_ref();
    let a = r.acceptance.as_ref();
    let level = reg.level_of(r).map(|l| l.name.clone());
    let tag = level.as_deref().and_then(|n| level_tag(reg, n));
    let score = r
        .current()
        .filter(|(l, c)| reg.config.criteria.in_range(*l, *c))
        .map(|(l, c)| Criteria::score(l as u32, c as u32));
    let target = t.and_then(|t| t.target.as_ref()).and_then(|x| x.pair());
    let main = fields(vec![
        (
            "title",
            Cell::opt(r.title.as_ref().map(|x| x.value.clone())),
        ),
        ("status", Cell::text(r.status.to_string())),
        (
            "systems",
            Cell::list(r.systems.iter().map(|s| s.value.clone())),
        ),
        (
            "category",
            Cell::opt(r.category.as_ref().map(|x| x.value.clone())),
        ),
        (
            "owner",
            Cell::opt(r.owner.as_ref().map(|x| x.value.clone())),
        ),
        (
            "event",
            Cell::opt(r.event.as_ref().map(|x| x.value.clone())),
        ),
        (
            "cause",
            Cell::opt(r.cause.as_ref().map(|x| x.value.clone())),
        ),
        (
            "consequence",
            Cell::opt(r.consequence.as_ref().map(|x| x.value.clone())),
        ),
        (
            "Annex C sources",
            Cell::list(r.sources.iter().map(|x| x.value.clone())),
        ),
        (
            "Annex C objectives",
            Cell::list(r.objectives.iter().map(|x| x.value.clone())),
        ),
        (
            "likelihood",
            r.current().map_or(Cell::null(), |(l, _)| Cell::int(l)),
        ),
        (
            "consequence rating",
            r.current().map_or(Cell::null(), |(_, c)| Cell::int(c)),
        ),
        (
            "score",
            score
                .map_or(Cell::null(), |s| Cell::int(s.into()))
                .with_level(tag.clone()),
        ),
        ("level", Cell::opt(level).with_level(tag)),
        (
            "rationale",
            Cell::opt(
                r.assessment
                    .as_ref()
                    .and_then(|a| a.rationale.as_ref())
                    .map(|x| x.value.clone()),
            ),
        ),
        (
            "treatment",
            Cell::opt(
                t.and_then(|t| t.option.as_ref())
                    .map(|o| o.value.to_string()),
            ),
        ),
        (
            "plan",
            Cell::opt(t.and_then(|t| t.plan.get()).map(|x| x.value.clone())),
        ),
        (
            "treatment owner",
            Cell::opt(t.and_then(|t| t.owner.get()).map(|x| x.value.clone())),
        ),
        (
            "treatment due",
            Cell::date(t.and_then(|t| t.due.get()).map(|x| x.value)),
        ),
        (
            "treatment status",
            Cell::opt(
                t.and_then(|t| t.status.as_ref())
                    .map(|x| x.value.to_string()),
            ),
        ),
        (
            "target",
            Cell::opt(target.map(|(l, c)| format!("{l} x {c} = {}", l * c))),
        ),
        (
            "evidence",
            Cell::list(
                t.and_then(|t| t.evidence.get())
                    .map(|e| e.iter().map(|x| x.value.clone()).collect::<Vec<_>>())
                    .unwrap_or_default(),
            ),
        ),
        (
            "accepted by",
            Cell::opt(a.and_then(|a| a.approved_by.get()).map(|x| x.value.clone())),
        ),
        (
            "accepted on",
            Cell::date(a.and_then(|a| a.date.get()).map(|x| x.value)),
        ),
        (
            "acceptance expires",
            Cell::date(a.and_then(|a| a.expires.as_ref()).map(|x| x.value)),
        ),
        ("reviewed", Cell::date(r.reviewed.as_ref().map(|x| x.value))),
        (
            "next review",
            Cell::date(
                crate::model::schedule::risk_review(reg, r)
                    .map(|d| d.due)
                    .filter(|_| r.is_open()),
            ),
        ),
        (
            "infosec refs",
            Cell::list(r.infosec_refs.iter().map(|x| x.value.clone())),
        ),
        ("file", Cell::text(sources.path(r.file))),
    ]);
    let tax = Taxonomy::get();
    let controls = Table::new(
        vec![
            Column::new("control", "Control"),
            Column::wide("title", "Title").wrapping(),
            Column::new("soa", "SoA"),
        ],
        t.map(|t| t.controls.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|c| {
                let d = reg.decision(&c.value);
                let soa = match d.and_then(|d| d.applicable.as_ref()).map(|a| a.value) {
                    Some(true) => d
                        .and_then(|d| d.status.as_ref())
                        .map_or("applicable".to_string(), |s| s.value.to_string()),
                    Some(false) => "excluded".to_string(),
                    None => "undecided".to_string(),
                };
                vec![
                    Cell::text(&c.value),
                    Cell::opt(tax.control(&c.value).map(|x| x.title.clone())),
                    Cell::text(soa),
                ]
            })
            .collect(),
    );
    let systems = list(
        r.systems
            .iter()
            .map(|s| {
                (
                    s.value.clone(),
                    reg.system(&s.value)
                        .and_then(|x| x.name.as_ref())
                        .map(|n| n.value.clone())
                        .unwrap_or_default(),
                )
            })
            .collect(),
        "id",
        "ID",
    );
    let mut linked: Vec<&Assessment> = r
        .assessments
        .iter()
        .filter_map(|x| reg.assessment(&x.value))
        .collect();
    linked.extend(
        reg.symbols
            .named_by(Kind::Risk, &r.id.value, Kind::Assessment)
            .into_iter()
            .map(|i| &reg.assessments[i]),
    );
    let assessments = list(
        linked
            .into_iter()
            .map(|a| {
                (
                    a.id.value.clone(),
                    a.system
                        .as_ref()
                        .map(|s| s.value.clone())
                        .unwrap_or_default(),
                )
            })
            .collect(),
        "id",
        "ID",
    );
    let incidents = list(
        reg.incidents_of(&r.id.value)
            .map(|i| {
                (
                    i.id.value.clone(),
                    i.summary
                        .as_ref()
                        .map(|s| s.value.clone())
                        .unwrap_or_default(),
                )
            })
            .collect(),
        "id",
        "ID",
    );
    vec![
        section("risk", format!("Risk {}", r.id.value), main),
        section("systems", "Systems", systems),
        section("controls", "Annex A controls", controls),
        section("assessments", "Impact assessments", assessments),
        section("incidents", "Incidents", incidents),
    ]
}

/// The monitors of a system, with their latest reading and state (SPEC §9).
fn system_monitors_section(s: &crate::model::System, as_of: Date) -> Section {
    section(
        "monitors",
        "Monitors",
        Table::new(
            super::monitor::COLUMNS.to_vec(),
            super::monitor::rows_of(s, as_of),
        ),
    )
}

/// The monitors whose breach makes this risk's review due (`risks:` of a monitor).
fn risk_monitors_section(reg: &Register, r: &Risk, as_of: Date) -> Section {
    let id = &r.id.value;
    let rows = reg
        .symbols
        .named_by(Kind::Risk, id, Kind::System)
        .into_iter()
        .filter_map(|i| reg.systems.get(i))
        .flat_map(|s| {
            s.monitoring
                .iter()
                .filter(|m| m.risks.iter().any(|x| &x.value == id))
                .map(move |m| super::monitor::cells(s, m, as_of))
        })
        .collect();
    section(
        "monitors",
        "Monitors that trigger its review",
        Table::new(super::monitor::COLUMNS.to_vec(), rows),
    )
}
