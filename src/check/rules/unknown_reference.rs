//! `unknown-reference` (error): a reference to something that does not exist — a system,
//! risk, impact assessment, person (every `owner`, `assessor`, `approved_by` and the roles
//! in people.yaml, when people.yaml exists), category (built-in or `[taxonomy]
//! extra_categories`), consequence type (when `[criteria] consequence_types` is set), Annex A
//! control, Annex C source or objective, or infosec register entry. The finding points at the
//! reference and says where valid ids come from; when an id looks like a typo of an existing
//! one, it suggests it and labels where that one is defined.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic, Suggester};
use crate::model::{Sp, Span};
use std::collections::HashMap;

/// What a reference points to, and where that kind's ids come from.
struct Target<'a> {
    kind: &'static str,
    source: String,
    index: HashMap<&'a str, Option<Span>>,
    /// Every valid id in a stable order, for "did you mean".
    ids: Vec<&'a str>,
    /// `ids` indexed for suggestions, once, at the first unknown reference (the work of
    /// suggestions is bounded per list: it never costs refs × ids).
    suggester: std::cell::OnceCell<Suggester<'a>>,
    /// Labelled when no suggestion has a place to show (people.yaml's `people:`).
    home: Option<(Span, &'static str)>,
}

impl<'a> Target<'a> {
    fn new(
        kind: &'static str,
        source: impl Into<String>,
        ids: impl IntoIterator<Item = (&'a str, Option<Span>)>,
    ) -> Self {
        let ids: Vec<_> = ids.into_iter().filter(|(id, _)| !id.is_empty()).collect();
        let mut index = HashMap::with_capacity(ids.len());
        for (id, span) in &ids {
            index.entry(*id).or_insert(*span);
        }
        Target {
            kind,
            source: source.into(),
            ids: ids.iter().map(|(id, _)| *id).collect(),
            suggester: std::cell::OnceCell::new(),
            index,
            home: None,
        }
    }

    fn entities<T>(
        kind: &'static str,
        source: &str,
        items: &'a [T],
        id: impl Fn(&'a T) -> &'a Sp<String>,
    ) -> Self {
        Self::new(
            kind,
            source,
            items.iter().map(|x| {
                let sp = id(x);
                (sp.value.as_str(), Some(sp.span))
            }),
        )
    }

    fn check(&self, r: &Sp<String>, out: &mut Vec<Diagnostic>) {
        if r.value.is_empty() || self.index.contains_key(r.value.as_str()) {
            return;
        }
        let mut d = Diagnostic::new(
            Code::UnknownReference,
            r.span,
            format!("unknown {} `{}`", self.kind, r.value),
        )
        .label(format!("no {} has this id", self.kind))
        .note(format!("{} ids come from {}", self.kind, self.source));
        let suggestion = self
            .suggester
            .get_or_init(|| Suggester::new(self.ids.iter().copied()))
            .suggest(&r.value);
        let mut labelled = false;
        if let Some(s) = suggestion {
            d = d.help(format!("did you mean `{s}`?"));
            if let Some(Some(span)) = self.index.get(s) {
                d = d.with_label(*span, format!("`{s}` is defined here"));
                labelled = true;
            }
        }
        if let (false, Some((span, text))) = (labelled, self.home) {
            d = d.with_label(span, text);
        }
        out.push(d);
    }
}

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let reg = cx.reg;
    let tax = cx.taxonomy;
    let systems = Target::entities(
        "system",
        "the `id` of each file in systems/",
        &reg.systems,
        |s| &s.id,
    );
    let risks = Target::entities("risk", "the `id` of each file in risks/", &reg.risks, |r| {
        &r.id
    });
    let assessments = Target::entities(
        "impact assessment",
        "the `id` of each file in assessments/",
        &reg.assessments,
        |a| &a.id,
    );
    let categories = Target::new(
        "category",
        "the eight built-in categories (`airisk taxonomy categories`) and `[taxonomy] extra_categories` in airisk.toml",
        crate::load::taxonomy::category_ids(reg)
            .into_iter()
            .map(|c| (c, None)),
    );
    let controls = Target::new(
        "Annex A control",
        "ISO/IEC 42001 Annex A (`airisk taxonomy controls`)",
        tax.controls().map(|c| (c.id.as_str(), None)),
    );
    let sources = Target::new(
        "Annex C risk source",
        "ISO/IEC 42001 Annex C.3 (`airisk taxonomy sources`)",
        tax.annex_c.sources.iter().map(|s| (s.id.as_str(), None)),
    );
    let objectives = Target::new(
        "Annex C objective",
        "ISO/IEC 42001 Annex C.2 (`airisk taxonomy sources`)",
        tax.annex_c.objectives.iter().map(|s| (s.id.as_str(), None)),
    );
    let types = &reg.config.criteria.consequence_types;
    let consequence_types = (!types.is_empty()).then(|| {
        Target::new(
            "consequence type",
            "`[criteria] consequence_types` in airisk.toml",
            types.iter().map(|t| (t.as_str(), None)),
        )
    });
    let people = reg.people.as_ref().map(|p| {
        let mut t = Target::entities(
            "person",
            "the keys under `people:` in people.yaml",
            &p.people,
            |x| &x.key,
        );
        t.home = p.people_key.map(|k| (k, "people are defined here"));
        t
    });
    let person = |r: &Sp<String>, out: &mut Vec<Diagnostic>| {
        if let Some(p) = &people {
            p.check(r, out);
        }
    };
    let infosec = reg.config.infosec.as_ref().map(|i| {
        Target::new(
            "infosec entry",
            format!("the infosec register `{}`", i.path),
            i.ids.iter().map(|id| (id.as_str(), None)),
        )
    });

    if let Some(p) = &reg.people {
        for role in &p.roles {
            role.members.iter().for_each(|m| person(m, out));
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
        match &infosec {
            Some(t) => r.infosec_refs.iter().for_each(|i| t.check(i, out)),
            None => r
                .infosec_refs
                .iter()
                .for_each(|i| no_infosec_register(i, out)),
        }
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

fn no_infosec_register(r: &Sp<String>, out: &mut Vec<Diagnostic>) {
    out.push(
        Diagnostic::new(
            Code::UnknownReference,
            r.span,
            format!("unknown infosec entry `{}`", r.value),
        )
        .label("no infosec register is configured")
        .help("name the ISO 27001 risk register in airisk.toml: `[infosec] register = \"path/to/risks.csv\"`"),
    );
}
