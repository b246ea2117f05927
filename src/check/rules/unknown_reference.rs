//! `unknown-reference` (error): a reference to something that does not exist — a system,
//! risk, impact assessment, person (every `owner`, `assessor`, `approved_by` and the roles
//! in people.yaml, when people.yaml exists), category (built-in or `[taxonomy]
//! extra_categories`), consequence type (when `[criteria] consequence_types` is set), Annex A
//! control, Annex C source or objective, or infosec register entry. The finding points at the
//! reference and says where valid ids come from, with the nearest one when it looks like a
//! typo.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::model::Sp;

/// What a reference points to, and where that kind's ids come from.
struct Target<'a> {
    kind: &'static str,
    source: &'static str,
    ids: Vec<&'a str>,
}

impl Target<'_> {
    fn check(&self, r: &Sp<String>, out: &mut Vec<Diagnostic>) {
        if r.value.is_empty() || self.ids.contains(&r.value.as_str()) {
            return;
        }
        out.push(dangling(self.kind, self.source, &self.ids, r));
    }
}

fn dangling(kind: &str, source: &str, ids: &[&str], r: &Sp<String>) -> Diagnostic {
    let mut d = Diagnostic::new(
        Code::UnknownReference,
        r.span,
        format!("unknown {kind} `{}`", r.value),
    )
    .label(format!("no {kind} has this id"))
    .note(format!("{kind} ids come from {source}"));
    if let Some(s) = did_you_mean(&r.value, ids.iter().copied()) {
        d = d.help(format!("did you mean `{s}`?"));
    }
    d
}

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let reg = cx.reg;
    let tax = cx.taxonomy;
    let sorted = |mut v: Vec<&'static str>| {
        v.sort_unstable();
        v
    };
    let systems = Target {
        kind: "system",
        source: "the `id` of each file in systems/",
        ids: reg.systems.iter().map(|s| s.id.value.as_str()).collect(),
    };
    let risks = Target {
        kind: "risk",
        source: "the `id` of each file in risks/",
        ids: reg.risks.iter().map(|r| r.id.value.as_str()).collect(),
    };
    let assessments = Target {
        kind: "impact assessment",
        source: "the `id` of each file in assessments/",
        ids: reg
            .assessments
            .iter()
            .map(|a| a.id.value.as_str())
            .collect(),
    };
    let categories = Target {
        kind: "category",
        source: "the eight built-in categories (`airisk taxonomy categories`) and `[taxonomy] extra_categories` in airisk.toml",
        ids: reg.category_ids(),
    };
    let controls = Target {
        kind: "Annex A control",
        source: "ISO/IEC 42001 Annex A (`airisk taxonomy controls`)",
        ids: sorted(cx.index.controls.iter().copied().collect()),
    };
    let sources = Target {
        kind: "Annex C risk source",
        source: "ISO/IEC 42001 Annex C.3 (`airisk taxonomy sources`)",
        ids: tax.annex_c.sources.iter().map(|s| s.id.as_str()).collect(),
    };
    let objectives = Target {
        kind: "Annex C objective",
        source: "ISO/IEC 42001 Annex C.2 (`airisk taxonomy sources`)",
        ids: tax
            .annex_c
            .objectives
            .iter()
            .map(|s| s.id.as_str())
            .collect(),
    };
    let types = &reg.config.criteria.consequence_types;
    let consequence_types = (!types.is_empty()).then(|| Target {
        kind: "consequence type",
        source: "`[criteria] consequence_types` in airisk.toml",
        ids: types.iter().map(String::as_str).collect(),
    });
    let people_yaml = reg.people.as_ref();
    let person = |r: &Sp<String>, out: &mut Vec<Diagnostic>| {
        let Some(people) = people_yaml else { return };
        if r.value.is_empty() || people.people.iter().any(|p| p.key.value == r.value) {
            return;
        }
        let ids: Vec<&str> = people.people.iter().map(|p| p.key.value.as_str()).collect();
        let mut d = dangling("person", "the keys under `people:` in people.yaml", &ids, r);
        if let Some(k) = people.people_key {
            d = d.with_label(k, "people are defined here");
        }
        out.push(d);
    };

    if let Some(people) = people_yaml {
        for role in &people.roles {
            for m in &role.members {
                person(m, out);
            }
        }
    }
    for s in &reg.systems {
        s.owner.iter().for_each(|o| person(o, out));
        for sc in &s.screening {
            categories.check(&sc.category, out);
        }
        for m in &s.monitoring {
            m.owner.iter().for_each(|o| person(o, out));
        }
    }
    for r in &reg.risks {
        r.systems.iter().for_each(|s| systems.check(s, out));
        r.category.iter().for_each(|c| categories.check(c, out));
        r.sources.iter().for_each(|s| sources.check(s, out));
        r.objectives.iter().for_each(|s| objectives.check(s, out));
        if let Some(t) = &consequence_types {
            r.consequence_types.iter().for_each(|c| t.check(c, out));
        }
        r.owner.iter().for_each(|o| person(o, out));
        if let Some(t) = &r.treatment {
            t.owner.get().iter().for_each(|o| person(o, out));
            t.controls.iter().for_each(|c| controls.check(c, out));
        }
        if let Some(a) = &r.acceptance {
            a.approved_by.get().iter().for_each(|o| person(o, out));
        }
        r.assessments.iter().for_each(|a| assessments.check(a, out));
        infosec(cx, &r.infosec_refs, out);
    }
    for a in &reg.assessments {
        a.system.iter().for_each(|s| systems.check(s, out));
        a.assessor.iter().for_each(|o| person(o, out));
        for i in &a.impacts {
            i.controls.iter().for_each(|c| controls.check(c, out));
            i.risks.iter().for_each(|r| risks.check(r, out));
        }
    }
    for i in &reg.incidents {
        i.system.iter().for_each(|s| systems.check(s, out));
        i.risks.iter().for_each(|r| risks.check(r, out));
        if let Some(c) = &i.corrective_action {
            c.owner.get().iter().for_each(|o| person(o, out));
        }
    }
    if let Some(soa) = &reg.soa {
        soa.approved_by.iter().for_each(|o| person(o, out));
        for d in &soa.decisions {
            controls.check(&d.control, out);
            d.owner.iter().for_each(|o| person(o, out));
        }
    }
}

fn infosec(cx: &Ctx, refs: &[Sp<String>], out: &mut Vec<Diagnostic>) {
    let Some(reg) = &cx.reg.config.infosec else {
        for r in refs {
            out.push(
                Diagnostic::new(Code::UnknownReference, r.span, format!("unknown infosec entry `{}`", r.value))
                    .label("no infosec register is configured")
                    .help("name the ISO 27001 risk register in airisk.toml: `[infosec] register = \"path/to/risks.csv\"`"),
            );
        }
        return;
    };
    let ids: Vec<&str> = reg.ids.iter().map(String::as_str).collect();
    let source = format!("the infosec register `{}`", reg.path);
    for r in refs.iter().filter(|r| !reg.ids.contains(&r.value)) {
        let mut d = Diagnostic::new(
            Code::UnknownReference,
            r.span,
            format!("unknown infosec entry `{}`", r.value),
        )
        .label("no entry of the infosec register has this id")
        .note(format!("infosec ids come from {source}"));
        if let Some(s) = did_you_mean(&r.value, ids.iter().copied()) {
            d = d.help(format!("did you mean `{s}`?"));
        }
        out.push(d);
    }
}
