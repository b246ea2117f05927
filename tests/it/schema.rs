//! The JSON Schemas of `airisk schema` against the loader they describe:
//!
//! - drift guard: for every kind of mapping the loader reads (`Fields::what`), the schema's
//!   property names and required keys equal the keys the loader really reads, recorded over
//!   the example registers and the rule fixtures' base;
//! - every file of the examples validates against its kind's schema;
//! - over every rule fixture, the files the schema rejects are exactly the files with a
//!   file-format finding (`unknown-field`, `missing-field`, `invalid-value`).

use crate::support::root;
use airisk::load::fields::KeysRead;
use airisk::load::schema::schema;
use airisk::load::yaml::{Node, Value as YamlValue};
use airisk::load::{Kind, WorkTree, load_tree_recording};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The registers whose files the schema must accept and whose reading is recorded.
const REGISTERS: &[&str] = &[
    "examples/acme-bank",
    "examples/minimal",
    "tests/fixtures/base",
];

/// The codes a schema reports: a file with one of these findings must fail validation.
const SCHEMA_CODES: &[&str] = &["unknown-field", "missing-field", "invalid-value"];

/// Each mapping of a schema (an object with a `title` and `additionalProperties: false`):
/// title → (property names, required names).
type Mappings = BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>;

fn collect_mappings(v: &Value, out: &mut Mappings) {
    match v {
        Value::Object(map) => {
            if let (Some(Value::String(title)), Some(Value::Object(props)), Some(false)) = (
                map.get("title"),
                map.get("properties"),
                map.get("additionalProperties").and_then(Value::as_bool),
            ) {
                let names = props.keys().cloned().collect();
                let required = map
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|r| {
                        r.iter()
                            .filter_map(|s| s.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                let previous = out.insert(title.clone(), (names, required));
                assert!(previous.is_none(), "two mappings titled `{title}`");
            }
            for child in map.values() {
                collect_mappings(child, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_mappings(i, out)),
        _ => {}
    }
}

#[test]
fn schemas_describe_exactly_the_keys_the_loader_reads() {
    let mut keys = KeysRead::new();
    for reg in REGISTERS {
        let dir = root().join(reg);
        load_tree_recording(&WorkTree::new(&dir), &dir, &mut keys).expect("loads");
    }
    let mut mappings = Mappings::new();
    for kind in Kind::ALL {
        collect_mappings(&schema(kind), &mut mappings);
    }
    let loader: Mappings = keys
        .iter()
        .map(|(what, keys)| {
            let names = keys.keys().map(|k| k.to_string()).collect();
            let required = keys
                .iter()
                .filter(|(_, r)| **r)
                .map(|(k, _)| k.to_string())
                .collect();
            (what.to_string(), (names, required))
        })
        .collect();
    assert_eq!(
        mappings.keys().collect::<Vec<_>>(),
        loader.keys().collect::<Vec<_>>(),
        "the schema's mappings and the loader's differ (or a mapping is not exercised by {REGISTERS:?})"
    );
    for (what, (names, required)) in &loader {
        let (s_names, s_required) = &mappings[what];
        assert_eq!(s_names, names, "properties of `{what}`: schema vs loader");
        assert_eq!(
            s_required, required,
            "required keys of `{what}`: schema vs loader"
        );
    }
}

/// The kind of a register file by its path, as the loader lists them.
fn kind_of(rel: &str) -> Option<Kind> {
    let yaml = rel.ends_with(".yaml") || rel.ends_with(".yml");
    if !yaml {
        return None;
    }
    let top = rel.split('/').next().unwrap_or_default();
    match (top, rel.contains('/')) {
        ("people.yaml" | "people.yml", false) => Some(Kind::People),
        ("soa.yaml" | "soa.yml", false) => Some(Kind::Soa),
        ("systems", true) => Some(Kind::System),
        ("risks", true) => Some(Kind::Risk),
        ("assessments", true) => Some(Kind::Assessment),
        ("incidents", true) => Some(Kind::Incident),
        _ => None,
    }
}

/// A YAML document as an editor's YAML 1.2 reader sees it: `yes`/`no` are text.
fn to_json(node: &Node, text: &str) -> Value {
    match &node.value {
        YamlValue::Null => Value::Null,
        YamlValue::Bool(b) => match text.get(node.start..node.end) {
            Some("true" | "True" | "TRUE" | "false" | "False" | "FALSE") => json!(b),
            Some(spelling) => json!(spelling),
            None => json!(b),
        },
        YamlValue::Int(i) => json!(i),
        YamlValue::Float(f) => json!(f),
        YamlValue::Str(s) => json!(s),
        YamlValue::Seq(items) => Value::Array(items.iter().map(|i| to_json(i, text)).collect()),
        YamlValue::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.text.clone(), to_json(v, text)))
                .collect(),
        ),
    }
}

struct Validators(BTreeMap<Kind, jsonschema::Validator>);

impl Validators {
    fn new() -> Self {
        Validators(
            Kind::ALL
                .into_iter()
                .map(|k| {
                    let v = jsonschema::draft7::options()
                        .should_validate_formats(true)
                        .build(&schema(k))
                        .unwrap_or_else(|e| panic!("schema of {} is invalid: {e}", k.name()));
                    (k, v)
                })
                .collect(),
        )
    }

    /// The schema errors of one file (`None` when it is not a register file or not YAML).
    fn errors(&self, dir: &Path, rel: &str) -> Option<Vec<String>> {
        kind_of(rel)?;
        self.errors_in(rel, &std::fs::read(dir.join(rel)).ok()?)
    }

    /// [`Validators::errors`] of a file's content.
    fn errors_in(&self, rel: &str, bytes: &[u8]) -> Option<Vec<String>> {
        let kind = kind_of(rel)?;
        let text = std::str::from_utf8(bytes).ok()?;
        let node = airisk::load::yaml::parse(text).ok()?;
        let instance = to_json(&node, text);
        Some(
            self.0[&kind]
                .iter_errors(&instance)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect(),
        )
    }
}

fn register_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("entry"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_example_file_validates_against_its_schema() {
    let v = Validators::new();
    let mut checked = 0;
    for reg in REGISTERS {
        let dir = root().join(reg);
        for rel in register_files(&dir) {
            if let Some(errors) = v.errors(&dir, &rel) {
                checked += 1;
                assert!(errors.is_empty(), "{reg}/{rel}: {errors:#?}");
            }
        }
    }
    assert!(checked > 40, "only {checked} files validated");
}

#[test]
fn the_schema_rejects_exactly_the_files_with_file_format_findings() {
    let v = Validators::new();
    let mut failures = Vec::new();
    let mut rejected = 0;
    for case in crate::rules::checked() {
        let name = &case.name;
        let want: BTreeSet<String> = case
            .case
            .expected()
            .filter(|(code, _)| SCHEMA_CODES.contains(code))
            .map(|(_, file)| file.to_string())
            .collect();
        let mut got = BTreeSet::new();
        let mut details = Vec::new();
        for (rel, bytes) in &case.files {
            if let Some(errors) = v.errors_in(rel, bytes)
                && !errors.is_empty()
            {
                got.insert(rel.clone());
                details.push(format!("{rel}: {errors:?}"));
            }
        }
        rejected += got.len();
        if got != want {
            failures.push(format!(
                "{name}: schema rejects {got:?}, the loader reports file-format findings in {want:?}\n  {}",
                details.join("\n  ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(rejected >= 15, "only {rejected} fixture files rejected");
}

#[test]
fn the_schema_patterns_are_the_id_and_handle_syntax_of_the_loader() {
    use airisk::load::schema::{GITHUB_PATTERN, ID_PATTERN};
    let matches = |pattern: &str, s: &str| {
        let schema = serde_json::json!({ "type": "string", "pattern": pattern });
        jsonschema::draft7::options()
            .build(&schema)
            .expect("a valid pattern")
            .is_valid(&serde_json::json!(s))
    };
    let samples = [
        "R-001",
        "credit-scoring",
        "IA_2026.1",
        "0",
        "-R",
        ".R",
        "R 1",
        "R\n<!--",
        "R/1",
        "Ré",
        "janedoe",
        "@janedoe",
        "jane-doe-2",
        "acme/ai-governance",
        "acme/team_x.y",
        "-jane",
        "jane doe",
        "jane\n* @evil",
        "jane@acme.example",
        "a/b/c",
        "acme/",
        "/team",
        "acme/-x",
        "@@jane",
        "",
    ];
    let long = [
        "R".repeat(64),
        "R".repeat(65),
        "a".repeat(39),
        "a".repeat(40),
    ];
    for s in samples
        .iter()
        .copied()
        .chain(long.iter().map(String::as_str))
    {
        assert_eq!(matches(ID_PATTERN, s), airisk::text::is_id(s), "id {s:?}");
        assert_eq!(
            matches(GITHUB_PATTERN, s),
            airisk::text::is_github_handle(s),
            "handle {s:?}"
        );
    }
}
