//! The subject and field of every finding (SPEC §8): what a finding is about, for waivers
//! (`target`) and baselines (matched by code, subject and field, not by line).
//!
//! A rule whose finding points away from its subject sets it (`soa-control-missing` points
//! at `controls:` and is about the missing control). Every other finding's subject follows
//! from its place: in an entity's own file (a system, risk, assessment, incident) the
//! entity's id; under `controls.<id>` of soa.yaml the Annex A control; under `people.<key>`
//! or `roles.<name>` of people.yaml the person or role; anywhere else (airisk.toml, soa.yaml's
//! own fields, waivers.yaml, a template, a file that could not be read) the file's path. The
//! field is the path of keys and list positions from the subject down to the value the
//! finding points at (`treatment.controls[1]`, `evidence[0]`), found in the file's parsed
//! YAML; none when the finding points at the subject as a whole.

use crate::diag::Diagnostic;
use crate::kinds::Kind;
use crate::load::yaml::{self, Node, Value};
use crate::model::Register;
use crate::source::{FileId, Sources};
use std::collections::HashMap;

/// One step of a field path.
enum Step {
    Key(String),
    Index(usize),
}

/// Fills in the subject (where no rule set it) and the field of every finding.
pub fn attribute(reg: &Register, sources: &Sources, diags: &mut [Diagnostic]) {
    let mut ids: HashMap<FileId, &str> = HashMap::new();
    let files = reg
        .systems
        .iter()
        .map(|s| (s.file, &s.id))
        .chain(reg.risks.iter().map(|r| (r.file, &r.id)))
        .chain(reg.assessments.iter().map(|a| (a.file, &a.id)))
        .chain(reg.incidents.iter().map(|i| (i.file, &i.id)));
    for (file, id) in files {
        if !id.value.is_empty() {
            ids.entry(file).or_insert(id.value.as_str());
        }
    }
    let mut parsed: HashMap<FileId, Option<Node>> = HashMap::new();
    for d in diags.iter_mut() {
        let file = d.primary.span.file;
        let path = sources.path(file);
        let kind = Kind::of_path(path);
        let node = parsed
            .entry(file)
            .or_insert_with(|| kind.and_then(|_| yaml::parse(&sources.get(file).text).ok()));
        let mut steps = Vec::new();
        if let Some(n) = node {
            let span = d.primary.span;
            steps_to(n, span.start as usize, span.start == span.end, &mut steps);
        }
        let (subject, rest): (String, &[Step]) = match (kind, steps.as_slice()) {
            (Some(Kind::Soa), [Step::Key(k), Step::Key(id), rest @ ..]) if k == "controls" => {
                (id.clone(), rest)
            }
            (Some(Kind::People), [Step::Key(k), Step::Key(id), rest @ ..])
                if k == "people" || k == "roles" =>
            {
                (id.clone(), rest)
            }
            (Some(_), all) => match ids.get(&file) {
                Some(id) => ((*id).to_string(), all),
                None => (path.to_string(), all),
            },
            (None, all) => (path.to_string(), all),
        };
        if d.subject.is_none() {
            d.subject = Some(subject);
            d.field = field(rest);
        } else if d.subject.as_deref() == Some(subject.as_str()) {
            d.field = field(rest);
        }
    }
}

/// `treatment.controls[1]`, or `None` for the subject itself.
fn field(steps: &[Step]) -> Option<String> {
    let mut out = String::new();
    for s in steps {
        match s {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The steps from `node` down to the innermost key or value at byte `at`. Entries are in
/// the order of the text, so the entry holding `at` is the last one starting at or before
/// it (a mapping's own range may be empty). A zero-width place at the start of a mapping or
/// list (a missing field) is that mapping or list itself.
fn steps_to(node: &Node, at: usize, zero_width: bool, out: &mut Vec<Step>) {
    if zero_width && at == node.start {
        return;
    }
    match &node.value {
        Value::Map(entries) => {
            let Some((k, v)) = entries.iter().rev().find(|(k, _)| k.start <= at) else {
                return;
            };
            out.push(Step::Key(k.text.clone()));
            if at >= k.end {
                steps_to(v, at, zero_width, out);
            }
        }
        Value::Seq(items) => {
            if let Some((i, v)) = items.iter().enumerate().rev().find(|(_, v)| v.start <= at) {
                out.push(Step::Index(i));
                steps_to(v, at, zero_width, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str, at: &str) -> Option<String> {
        let node = yaml::parse(text).expect("yaml");
        let mut steps = Vec::new();
        steps_to(&node, text.find(at).expect("in text"), false, &mut steps);
        field(&steps)
    }

    #[test]
    fn the_field_is_the_path_of_keys_and_positions_to_the_value() {
        let text = "id: R-1\ntreatment:\n  option: mitigate\n  controls: [A.6.2.4, A.9.9]\n";
        assert_eq!(path(text, "R-1").as_deref(), Some("id"));
        assert_eq!(path(text, "treatment").as_deref(), Some("treatment"));
        assert_eq!(path(text, "mitigate").as_deref(), Some("treatment.option"));
        assert_eq!(
            path(text, "A.9.9").as_deref(),
            Some("treatment.controls[1]")
        );
        assert_eq!(path("a: 1\n", "a: 1"), Some("a".into()));
        let list = "screening:\n  - category: safety\n  - rationale: x\n";
        assert_eq!(
            path(list, "rationale").as_deref(),
            Some("screening[1].rationale")
        );
        // A missing field points at its mapping: the mapping, not its first key.
        let node = yaml::parse(list).expect("yaml");
        let mut steps = Vec::new();
        steps_to(&node, 0, true, &mut steps);
        assert!(steps.is_empty());
        let item = list.find("rationale").expect("in text");
        steps_to(&node, item, true, &mut steps);
        assert_eq!(field(&steps).as_deref(), Some("screening[1]"));
    }
}
