//! Lowering of each YAML file kind into the model: people, systems, risks, impact
//! assessments, incidents and the SoA. Each mapping is read through its declaration in
//! `kinds` (the file format, docs/format.md): this file says how the declared fields become
//! the model's values, and the checks between fields that messages of their own explain.
//!
//! Structural findings only (`missing-field`, `invalid-value`, `unknown-field`); anything that
//! needs another file or the criteria is a rule in `check`.

use super::fields::{Cx, Entry, Fields, boolean, date, duration, enumeration, int, text};
use super::yaml::{Node, Value};
use crate::diag::{Code, Diagnostic};
use crate::kinds::fields::Mapping;
use crate::kinds::{assessment, incident, people, risk, soa, system, waivers};
use crate::model::*;

/// Opens the nested mapping under `key` (pointing missing fields at the key) and lowers it.
fn sub<T>(
    cx: &mut Cx,
    f: &mut Fields,
    key: &'static str,
    mapping: &'static Mapping,
    lower: impl FnOnce(&mut Cx, &mut Fields, Span) -> T,
) -> Option<T> {
    let Entry::Present(ks, n) = cx.entry(f, key) else {
        return None;
    };
    let mut inner = cx.fields(n, ks, mapping)?;
    let out = lower(cx, &mut inner, ks);
    cx.finish(inner);
    Some(out)
}

/// Lowers each mapping of the list under `key`.
fn list_of<T>(
    cx: &mut Cx,
    f: &mut Fields,
    key: &'static str,
    mapping: &'static Mapping,
    lower: impl Fn(&mut Cx, &mut Fields) -> T,
) -> Vec<T> {
    let Entry::Present(_, n) = cx.entry(f, key) else {
        return Vec::new();
    };
    let Value::Seq(items) = &n.value else {
        let span = cx.node_span(n);
        cx.invalid(span, format!("`{key}` must be a list of mappings"));
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let at = cx.node_span(item);
        if let Some(mut inner) = cx.fields(item, at, mapping) {
            out.push(lower(cx, &mut inner));
            cx.finish(inner);
        }
    }
    out
}

/// Opens the top-level mapping of an entity file.
fn root<'n>(cx: &mut Cx, node: &'n Node, mapping: &'static Mapping) -> Option<Fields<'n>> {
    if node.value == Value::Null {
        let span = Span::file_start(cx.file);
        cx.invalid(
            span,
            format!(
                "the file is empty: expected the fields of a {}",
                mapping.what
            ),
        );
        return None;
    }
    let at = cx.span(node.start, node.start);
    cx.fields(node, at, mapping)
}

/// An entity's id, which must have the id syntax (`text::is_id`). A malformed id is
/// `invalid-value` and still the entity's id, so references to it resolve and the one
/// defect is one finding (every output escapes it like any other text).
fn id(cx: &mut Cx, f: &mut Fields) -> Sp<String> {
    let Some(id) = cx.req(f, "id", text) else {
        return Sp::new(String::new(), f.at);
    };
    check_id(cx, &id, "an id");
    id
}

/// Reports `invalid-value` at `id` unless it has the id syntax.
fn check_id(cx: &mut Cx, id: &Sp<String>, what: &str) {
    if !crate::text::is_id(&id.value) {
        cx.report(
            Diagnostic::new(
                Code::InvalidValue,
                id.span,
                format!("`{}` is not valid as {what}", id.value),
            )
            .label("not an id")
            .help(ID_HELP),
        );
    }
}

const ID_HELP: &str = "an id is 1 to 64 letters, digits, `.`, `_` and `-`, starting with a letter or digit (`R-001`, `credit-scoring`)";

fn rating(cx: &mut Cx, f: &mut Fields, span: Span, with_rationale: bool) -> Rating {
    Rating {
        span,
        likelihood: cx.req(f, "likelihood", int),
        consequence: cx.req(f, "consequence", int),
        rationale: if with_rationale {
            cx.req(f, "rationale", text)
        } else {
            None
        },
    }
}

pub fn people(cx: &mut Cx, node: &Node) -> People {
    let mut out = People {
        file: Some(cx.file),
        ..People::default()
    };
    if node.value == Value::Null {
        return out;
    }
    let at = cx.span(node.start, node.start);
    let Some(mut f) = cx.fields(node, at, &people::PEOPLE) else {
        return out;
    };
    if let Entry::Present(ks, n) = cx.entry(&mut f, "people") {
        out.people_key = Some(ks);
        match &n.value {
            Value::Map(entries) => {
                for (k, v) in entries {
                    let key = Sp::new(k.text.clone(), cx.key_span(k));
                    check_id(cx, &key, "a person's key");
                    let Some(mut pf) = cx.fields(v, key.span, &people::PERSON) else {
                        continue;
                    };
                    cx.record_key(&f, "people", &key);
                    let person = Person {
                        name: cx.req(&mut pf, "name", text),
                        email: cx.opt(&mut pf, "email", text),
                        github: cx.opt(&mut pf, "github", github),
                        role: cx.opt(&mut pf, "role", text),
                        key,
                    };
                    cx.finish(pf);
                    out.people.push(person);
                }
            }
            other => {
                let span = cx.node_span(n);
                cx.invalid(
                    span,
                    format!(
                        "`people` must be a mapping of person keys to people, found {}",
                        super::fields::describe(other)
                    ),
                );
            }
        }
    }
    if let Entry::Present(_, n) = cx.entry(&mut f, "roles") {
        match &n.value {
            Value::Map(entries) => {
                for (k, v) in entries {
                    let name = Sp::new(k.text.clone(), cx.key_span(k));
                    let members = match &v.value {
                        Value::Seq(_) => cx.items(v, &k.text, text).unwrap_or_default(),
                        _ => text(cx, v).into_iter().collect(),
                    };
                    cx.record_key(&f, "roles", &name);
                    cx.record(&f, "roles", &members);
                    out.roles.push(Role { name, members });
                }
            }
            other => {
                let span = cx.node_span(n);
                cx.invalid(
                    span,
                    format!(
                        "`roles` must be a mapping of role names to people, found {}",
                        super::fields::describe(other)
                    ),
                );
            }
        }
    }
    cx.finish(f);
    out
}

/// A `github:` handle: a GitHub user or `org/team` (`text::is_github_handle`), so that
/// `codeowners` can only ever write a handle. Anything else is `invalid-value` and no handle.
fn github(cx: &mut Cx, n: &Node) -> Option<Sp<String>> {
    let h = text(cx, n)?;
    if crate::text::is_github_handle(h.value.trim()) {
        return Some(h);
    }
    cx.report(
        Diagnostic::new(
            Code::InvalidValue,
            h.span,
            format!("`{}` is not a GitHub user or team", h.value),
        )
        .label("not a GitHub handle")
        .help("a handle is a GitHub user name (`janedoe`: letters, digits and `-`, at most 39) or a team (`acme/ai-governance`)"),
    );
    None
}

pub fn system(cx: &mut Cx, node: &Node) -> Option<System> {
    let mut f = root(cx, node, &system::SYSTEM)?;
    let system_id = id(cx, &mut f);
    let s = System {
        file: cx.file,
        id: system_id.clone(),
        name: cx.req(&mut f, "name", text),
        owner: cx.req(&mut f, "owner", text),
        intended_use: cx.req(&mut f, "intended_use", text),
        model_type: cx.req(&mut f, "model_type", enumeration),
        provider: cx.opt(&mut f, "provider", text),
        data_inputs: cx.list(&mut f, "data_inputs", text),
        users: cx.list(&mut f, "users", text),
        affected_parties: cx.list(&mut f, "affected_parties", text),
        model_version: cx.opt(&mut f, "model_version", text),
        lifecycle: cx.req(&mut f, "lifecycle", enumeration),
        environment: cx.opt(&mut f, "environment", text),
        criticality: cx.req(&mut f, "criticality", enumeration),
        screening: list_of(cx, &mut f, "screening", &system::SCREENING, |cx, f| {
            Screening {
                category: cx
                    .req(f, "category", text)
                    .unwrap_or_else(|| Sp::new(String::new(), f.at)),
                rationale: cx.req(f, "rationale", text),
            }
        }),
        monitoring: list_of(cx, &mut f, "monitoring", &system::MONITORING, |cx, f| {
            let id = cx.opt(f, "id", text);
            if let Some(id) = &id {
                monitor_id(cx, id, &system_id);
            }
            let threshold = cx.opt(f, "threshold", text);
            Monitoring {
                id,
                signal: cx.req(f, "signal", enumeration),
                metric: cx.req(f, "metric", text),
                comparison: threshold
                    .as_ref()
                    .and_then(|t| monitoring::Threshold::parse(&t.value)),
                threshold,
                every: cx.opt(f, "every", duration),
                owner: cx.opt(f, "owner", text),
                risks: cx.list(f, "risks", text),
                series: monitoring::Series::default(),
            }
        }),
        eu_ai_act: sub(cx, &mut f, "eu_ai_act", &system::EU_AI_ACT, eu_ai_act),
    };
    cx.finish(f);
    Some(s)
}

/// Checks a monitor's id (`[a-z0-9][a-z0-9_-]*`, SPEC §9) and records it in the symbol index
/// as `system/monitor`: monitor ids are unique within their system, not across the register.
fn monitor_id(cx: &mut Cx, id: &Sp<String>, system: &Sp<String>) {
    let v = id.value.as_bytes();
    let ok = v.len() <= 64
        && v.first()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && v.iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_' || *b == b'-');
    if !ok {
        cx.report(
            Diagnostic::new(
                Code::InvalidValue,
                id.span,
                format!("`{}` is not valid as a monitor id", id.value),
            )
            .label("not a monitor id")
            .help("a monitor id is 1 to 64 lowercase letters, digits, `_` and `-`, starting with a letter or digit (`gini`, `psi-income`)"),
        );
        return;
    }
    if !system.value.is_empty() {
        cx.recorded.defs.push((
            crate::kinds::Kind::Monitor,
            Sp::new(qualified(&system.value, &id.value), id.span),
        ));
    }
}

/// The id of a monitor's symbol: `system/monitor`.
pub fn qualified(system: &str, monitor: &str) -> String {
    format!("{system}/{monitor}")
}

pub fn risk(cx: &mut Cx, node: &Node) -> Option<Risk> {
    let mut f = root(cx, node, &risk::RISK)?;
    let id = id(cx, &mut f);
    let title = cx.req(&mut f, "title", text);
    let systems = risk_systems(cx, &mut f);
    let category = cx.req(&mut f, "category", text);
    let sources = cx.list(&mut f, "sources", text);
    let objectives = cx.list(&mut f, "objectives", text);
    let event = cx.req(&mut f, "event", text);
    let cause = cx.req(&mut f, "cause", text);
    let consequence = cx.req(&mut f, "consequence", text);
    let affected_parties = cx.list(&mut f, "affected_parties", text);
    let consequence_types = cx.list(&mut f, "consequence_types", text);
    let owner = cx.req(&mut f, "owner", text);
    let assessment = match cx.entry_required(&mut f, "assessment") {
        Entry::Present(ks, n) => cx.fields(n, ks, &risk::ASSESSMENT).map(|mut af| {
            let r = rating(cx, &mut af, ks, true);
            cx.finish(af);
            r
        }),
        Entry::Absent => {
            let d = Diagnostic::new(
                Code::MissingField,
                f.at,
                "missing field `assessment` in the risk",
            )
            .label("this risk has no `assessment`")
            .help("add `assessment: { likelihood: N, consequence: N, rationale: ... }`");
            cx.report_missing(&mut f, "assessment", d);
            None
        }
        Entry::Null(ks) => {
            cx.report(
                Diagnostic::new(Code::MissingField, ks, "field `assessment` is empty")
                    .label("a value is required here"),
            );
            None
        }
    };
    let treatment = sub(cx, &mut f, "treatment", &risk::TREATMENT, |cx, tf, span| {
        Treatment {
            span,
            option: cx.req(tf, "option", enumeration),
            plan: cx.field(tf, "plan", text),
            owner: cx.field(tf, "owner", text),
            due: cx.field(tf, "due", date),
            status: cx.opt(tf, "status", enumeration),
            controls: cx.list(tf, "controls", text),
            evidence: cx.field(tf, "evidence", evidence),
            target: sub(cx, tf, "target", &risk::TARGET, |cx, gf, span| {
                rating(cx, gf, span, false)
            }),
        }
    });
    let acceptance = sub(
        cx,
        &mut f,
        "acceptance",
        &risk::ACCEPTANCE,
        |cx, af, span| Acceptance {
            span,
            rationale: cx.field(af, "rationale", text),
            approved_by: cx.field(af, "approved_by", text),
            date: cx.field(af, "date", date),
            expires: cx.opt(af, "expires", date),
            exception: cx.opt(af, "exception", text),
        },
    );
    if let (Some(a), Some(option)) = (
        &acceptance,
        treatment.as_ref().and_then(|t| t.option.as_ref()),
    ) && option.value != TreatmentOption::Accept
    {
        let d = Diagnostic::new(
            Code::InvalidValue,
            a.span,
            format!(
                "an `acceptance` block goes only with treatment option `accept`, not `{}`",
                option.value
            ),
        )
        .label("acceptance of a risk that is being treated")
        .with_label(option.span, "the treatment option")
        .help("remove the acceptance block, or set `option: accept`");
        cx.report(d);
    }
    let reviewed = cx.req(&mut f, "reviewed", date);
    let review_every = cx.opt(&mut f, "review_every", duration);
    let infosec_refs = cx.list(&mut f, "infosec_refs", text);
    let assessments = cx.list(&mut f, "assessments", text);
    let status = cx
        .opt(&mut f, "status", enumeration::<RiskStatus>)
        .map_or(RiskStatus::Open, |s| s.value);
    cx.finish(f);
    Some(Risk {
        file: cx.file,
        id,
        title,
        systems,
        category,
        sources,
        objectives,
        event,
        cause,
        consequence,
        affected_parties,
        consequence_types,
        owner,
        assessment,
        treatment,
        acceptance: acceptance.map(Box::new),
        reviewed,
        review_every,
        infosec_refs,
        assessments,
        status,
    })
}

/// Exactly one of `system` / `systems` (non-empty).
fn risk_systems(cx: &mut Cx, f: &mut Fields) -> Vec<Sp<String>> {
    let one = cx.entry(f, "system");
    let many = cx.entry(f, "systems");
    match (one, many) {
        (Entry::Present(_, _), Entry::Present(ks, _)) | (Entry::Present(_, _), Entry::Null(ks)) => {
            cx.report(
                Diagnostic::new(
                    Code::InvalidValue,
                    ks,
                    "a risk names `system` or `systems`, not both",
                )
                .label("second way of naming the systems")
                .help("keep one: `system: id` for one system, `systems: [a, b]` for several"),
            );
            Vec::new()
        }
        (Entry::Present(_, n), _) => {
            let one: Vec<Sp<String>> = text(cx, n).into_iter().collect();
            cx.record(f, "system", &one);
            one
        }
        (_, Entry::Present(ks, n)) => {
            let list = cx.items(n, "systems", text).unwrap_or_default();
            if list.is_empty() && matches!(n.value, Value::Seq(_)) {
                cx.invalid(ks, "`systems` is empty: name at least one system");
            }
            cx.record(f, "systems", &list);
            list
        }
        (Entry::Null(ks), _) | (_, Entry::Null(ks)) => {
            cx.report(
                Diagnostic::new(Code::MissingField, ks, "field `system` is empty")
                    .label("a value is required here"),
            );
            Vec::new()
        }
        (Entry::Absent, Entry::Absent) => {
            let d = Diagnostic::new(
                Code::MissingField,
                f.at,
                "missing field `system` in the risk",
            )
            .label("this risk has no `system` (or `systems`)")
            .help("name the AI system: `system: id`, or `systems: [a, b]`");
            cx.report_missing_any(f, &["system", "systems"], d);
            Vec::new()
        }
    }
}

/// A system's `eu_ai_act` block (SPEC §10).
fn eu_ai_act(cx: &mut Cx, f: &mut Fields, span: Span) -> EuAiAct {
    let roles = cx
        .req(f, "roles", |cx, n| cx.items(n, "roles", enumeration))
        .unwrap_or_default();
    let classification = cx.req(f, "classification", enumeration);
    let annex_iii = cx.opt(f, "annex_iii", text);
    let annex_i = cx.opt(f, "annex_i", text);
    let derogation = sub(cx, f, "derogation", &system::DEROGATION, |cx, df, span| {
        Derogation {
            span,
            condition: cx.req(df, "condition", enumeration),
            rationale: cx.req(df, "rationale", text),
        }
    });
    let profiling = cx.opt(f, "profiling", boolean);
    let transparency = cx.list(f, "transparency", text);
    let gpai = cx.opt(f, "gpai", boolean);
    let rationale = cx.req(f, "rationale", text);
    let assessed = cx.req(f, "assessed", date);
    let assessed_by = cx.req(f, "assessed_by", text);
    let mut obligations = Vec::new();
    let mut obligations_key = None;
    if let Entry::Present(ks, n) = cx.entry(f, "obligations") {
        obligations_key = Some(ks);
        match &n.value {
            Value::Map(entries) => {
                for (k, v) in entries {
                    let id = Sp::new(k.text.clone(), cx.key_span(k));
                    let Some(mut of) = cx.fields(v, id.span, &system::OBLIGATION) else {
                        continue;
                    };
                    cx.record_key(f, "obligations", &id);
                    let record = ObligationRecord {
                        status: cx.req(&mut of, "status", enumeration),
                        due: cx.opt(&mut of, "due", date),
                        owner: cx.opt(&mut of, "owner", text),
                        evidence: cx.list(&mut of, "evidence", text),
                        rationale: cx.opt(&mut of, "rationale", text),
                        id,
                    };
                    cx.finish(of);
                    obligations.push(record);
                }
            }
            other => {
                let span = cx.node_span(n);
                cx.invalid(
                    span,
                    format!(
                        "`obligations` must be a mapping of obligation ids to their status, found {}",
                        super::fields::describe(other)
                    ),
                );
            }
        }
    }
    EuAiAct {
        span,
        roles,
        classification,
        annex_iii,
        annex_i,
        derogation,
        profiling,
        transparency,
        gpai,
        rationale,
        assessed,
        assessed_by,
        obligations_key,
        obligations,
    }
}

/// A list of evidence paths or URLs.
fn evidence(cx: &mut Cx, n: &Node) -> Option<Vec<Sp<String>>> {
    cx.items(n, "evidence", text)
}

pub fn assessment(cx: &mut Cx, node: &Node) -> Option<Assessment> {
    let mut f = root(cx, node, &assessment::ASSESSMENT)?;
    let id = id(cx, &mut f);
    let system = cx.req(&mut f, "system", text);
    let assessor = cx.req(&mut f, "assessor", text);
    let date_ = cx.req(&mut f, "date", date);
    let reviewed = cx.req(&mut f, "reviewed", date);
    let impacts = match cx.entry_required(&mut f, "impacts") {
        Entry::Absent => {
            let d = Diagnostic::new(
                Code::MissingField,
                f.at,
                "missing field `impacts` in the impact assessment",
            )
            .label("this assessment has no `impacts`");
            cx.report_missing(&mut f, "impacts", d);
            Vec::new()
        }
        Entry::Null(ks) => {
            cx.report(
                Diagnostic::new(Code::MissingField, ks, "field `impacts` is empty")
                    .label("at least one impact is required"),
            );
            Vec::new()
        }
        Entry::Present(ks, n) => {
            if let Value::Seq(items) = &n.value
                && items.is_empty()
            {
                cx.invalid(
                    ks,
                    "`impacts` is empty: an impact assessment records at least one impact",
                );
            }
            impacts(cx, n)
        }
    };
    let fria = cx.opt(&mut f, "fria", boolean);
    cx.finish(f);
    Some(Assessment {
        file: cx.file,
        id,
        system,
        assessor,
        date: date_,
        reviewed,
        impacts,
        fria,
    })
}

fn impacts(cx: &mut Cx, n: &Node) -> Vec<Impact> {
    let Value::Seq(items) = &n.value else {
        let span = cx.node_span(n);
        cx.invalid(span, "`impacts` must be a list of mappings");
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let at = cx.node_span(item);
        let Some(mut f) = cx.fields(item, at, &assessment::IMPACT) else {
            continue;
        };
        out.push(Impact {
            affected: cx.req(&mut f, "affected", text),
            scope: cx.req(&mut f, "scope", enumeration),
            area: cx.req(&mut f, "area", enumeration),
            description: cx.req(&mut f, "description", text),
            severity: cx.req(&mut f, "severity", int),
            likelihood: cx.req(&mut f, "likelihood", int),
            mitigation: cx.opt(&mut f, "mitigation", text),
            controls: cx.list(&mut f, "controls", text),
            risks: cx.list(&mut f, "risks", text),
        });
        cx.finish(f);
    }
    out
}

pub fn incident(cx: &mut Cx, node: &Node) -> Option<Incident> {
    let mut f = root(cx, node, &incident::INCIDENT)?;
    let i = Incident {
        file: cx.file,
        id: id(cx, &mut f),
        date: cx.req(&mut f, "date", date),
        kind: cx.req(&mut f, "kind", enumeration),
        system: cx.req(&mut f, "system", text),
        risks: cx.list(&mut f, "risks", text),
        summary: cx.req(&mut f, "summary", text),
        corrective_action: sub(
            cx,
            &mut f,
            "corrective_action",
            &incident::CORRECTIVE_ACTION,
            |cx, cf, span| CorrectiveAction {
                span,
                plan: cx.field(cf, "plan", text),
                owner: cx.field(cf, "owner", text),
                due: cx.field(cf, "due", date),
                status: cx.field(cf, "status", enumeration),
            },
        ),
        serious: cx.opt(&mut f, "serious", boolean),
        aware: cx.opt(&mut f, "aware", date),
        harm: cx.opt(&mut f, "harm", enumeration),
        reported: cx.opt(&mut f, "reported", date),
    };
    cx.finish(f);
    Some(i)
}

pub fn soa(cx: &mut Cx, node: &Node) -> Option<Soa> {
    let mut f = root(cx, node, &soa::SOA)?;
    let reviewed = cx.req(&mut f, "reviewed", date);
    let approved_by = cx.opt(&mut f, "approved_by", text);
    let mut controls_key = f.at;
    let mut decisions = Vec::new();
    let mut decisions_read = true;
    match cx.entry(&mut f, "controls") {
        // A misspelt `controls:` is one defect (unknown-field), not 38 missing decisions.
        Entry::Absent if cx.misspelt(&f, "controls") => decisions_read = false,
        Entry::Absent => {
            // Every control is then undecided: soa-control-missing says so, once per control.
        }
        Entry::Null(ks) => controls_key = ks,
        Entry::Present(ks, n) => {
            controls_key = ks;
            match &n.value {
                Value::Map(entries) => {
                    for (k, v) in entries {
                        let control = Sp::new(k.text.clone(), cx.key_span(k));
                        if let Some(d) = decision(cx, control, v) {
                            cx.record_key(&f, "controls", &d.control);
                            decisions.push(d);
                        }
                    }
                }
                other => {
                    decisions_read = false;
                    let span = cx.node_span(n);
                    cx.invalid(
                        span,
                        format!(
                            "`controls` must be a mapping of control ids to decisions, found {}",
                            super::fields::describe(other)
                        ),
                    );
                }
            }
        }
    }
    cx.finish(f);
    Some(Soa {
        file: cx.file,
        controls_key,
        reviewed,
        approved_by,
        decisions,
        decisions_read,
    })
}

fn decision(cx: &mut Cx, control: Sp<String>, v: &Node) -> Option<Decision> {
    let mut f = cx.fields(v, control.span, &soa::DECISION)?;
    let applicable = cx.req(&mut f, "applicable", boolean);
    let status_key = cx.key_of(&f, "status");
    let status = cx.opt(&mut f, "status", enumeration::<SoaStatus>);
    let justification = cx.field(&mut f, "justification", text);
    let evidence = cx.field(&mut f, "evidence", evidence);
    let owner = cx.opt(&mut f, "owner", text);
    match (&applicable, status_key) {
        (Some(a), None) if a.value => {
            let d = Diagnostic::new(
                Code::MissingField,
                control.span,
                format!(
                    "missing field `status` in the SoA decision for {}",
                    control.value
                ),
            )
            .label("an applicable control needs an implementation status")
            .note(format!("expected one of: {}", SoaStatus::ALL.join(", ")));
            cx.report_missing(&mut f, "status", d);
        }
        (Some(a), Some(ks)) if !a.value => cx.report(
            Diagnostic::new(
                Code::InvalidValue,
                ks,
                format!(
                    "{} is excluded, so it has no implementation status",
                    control.value
                ),
            )
            .label("status of an excluded control")
            .help("remove `status`, or set `applicable: true`"),
        ),
        _ => {}
    }
    // After the status check, so that a misspelt `status` replaces its missing-field finding.
    cx.finish(f);
    Some(Decision {
        control,
        applicable,
        status,
        justification,
        evidence,
        owner,
    })
}

/// `waivers.yaml`. An empty file holds no waivers. A `rule` must be a code of the code table
/// that may be waived (not a format code, not a waiver's own code), else `invalid-value` at
/// it, with the nearest code as a suggestion; the target and the approver are checked by the
/// rules (`unknown-reference`), which see the whole register.
pub fn waivers(cx: &mut Cx, node: &Node) -> Option<Waivers> {
    let mut out = Waivers {
        file: cx.file,
        waivers: Vec::new(),
    };
    if node.value == Value::Null {
        return Some(out);
    }
    let mut f = root(cx, node, &waivers::WAIVERS)?;
    out.waivers = list_of(cx, &mut f, "waivers", &waivers::WAIVER, |cx, f| {
        let rule = cx.req(f, "rule", text);
        if let Some(r) = &rule {
            waivable(cx, r);
        }
        Waiver {
            span: f.at,
            rule,
            target: cx.req(f, "target", text),
            reason: cx.req(f, "reason", text),
            approved_by: cx.req(f, "approved_by", text),
            date: cx.req(f, "date", date),
            expires: cx.opt(f, "expires", date),
        }
    });
    cx.finish(f);
    Some(out)
}

/// Reports `invalid-value` at a waiver's `rule` unless it names a code that may be waived.
fn waivable(cx: &mut Cx, rule: &Sp<String>) {
    let (message, label) = match Code::from_name(&rule.value) {
        Some(code) if code.waivable() => return,
        Some(_) => (
            format!("`{}` cannot be waived", rule.value),
            "a format code or a waiver's own code",
        ),
        None => (
            format!("unknown rule code `{}`", rule.value),
            "no rule has this code",
        ),
    };
    let waivable = crate::diag::CODES
        .iter()
        .filter(|i| i.code.waivable())
        .map(|i| i.name);
    let help = match crate::diag::did_you_mean(&rule.value, waivable) {
        Some(s) if Code::from_name(&rule.value).is_none() => format!("did you mean `{s}`?"),
        _ => "a waiver names a rule's code; the format codes (yaml-syntax, file-unreadable, unknown-field, missing-field, invalid-value, duplicate-id) and waiver-expired, waiver-unused cannot be waived: fix the file instead".to_string(),
    };
    cx.report(
        Diagnostic::new(Code::InvalidValue, rule.span, message)
            .label(label)
            .help(help),
    );
}
