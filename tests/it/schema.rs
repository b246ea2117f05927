//! The JSON Schemas of `airisk schema` against the loader they describe. Both are derived
//! from the same field declarations (`kinds`), so they cannot list different keys; these
//! tests hold the rest of the contract:
//!
//! - over every register of the repository (the examples, the test fixtures, the `.in`
//!   registers of the CLI cases), every file without a file-format finding
//!   (`unknown-field`, `missing-field`, `invalid-value`) validates against its kind's schema
//!   and every file with one is rejected;
//! - the same over every rule fixture (the base register plus one defect).

use crate::support::root;
use airisk::kinds::Kind;
use airisk::load::schema::schema;
use airisk::load::yaml::{Node, Value as YamlValue};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The codes a schema reports: a file with one of these findings must fail validation.
const SCHEMA_CODES: &[&str] = &["unknown-field", "missing-field", "invalid-value"];

/// Every register folder of the repository: the examples, the fixtures and the CLI cases'
/// registers (any folder holding airisk.toml outside `target/`).
fn registers() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = ["examples", "tests"]
        .iter()
        .flat_map(|top| walkdir::WalkDir::new(root().join(top)).sort_by_file_name())
        .map(|e| e.expect("entry"))
        .filter(|e| e.file_type().is_file() && e.file_name() == "airisk.toml")
        .filter_map(|e| e.path().parent().map(Path::to_path_buf))
        .collect();
    out.sort();
    out
}

/// The files of a register with a file-format finding, by the loader; `None` when the
/// register does not load (its configuration is invalid).
fn format_findings(dir: &Path) -> Option<BTreeSet<String>> {
    let loaded = airisk::load::load(dir).ok()?;
    Some(
        loaded
            .diagnostics
            .iter()
            .filter(|d| SCHEMA_CODES.contains(&d.code.name()))
            .map(|d| loaded.sources.path(d.primary.span.file).to_string())
            .filter(|rel| has_schema(rel))
            .collect(),
    )
}

#[test]
fn every_register_file_validates_exactly_when_the_loader_finds_no_format_problem() {
    let v = Validators::new();
    let (mut accepted, mut rejected) = (0, 0);
    let mut failures = Vec::new();
    let registers = registers();
    assert!(registers.len() >= 15, "only {} registers", registers.len());
    for dir in &registers {
        let Some(want) = format_findings(dir) else {
            continue;
        };
        for rel in register_files(dir) {
            let Some(errors) = v.errors(dir, &rel) else {
                continue;
            };
            let reject = !errors.is_empty();
            if reject {
                rejected += 1;
            } else {
                accepted += 1;
            }
            if reject != want.contains(&rel) {
                failures.push(format!(
                    "{}/{rel}: the schema {}, the loader {} ({errors:?})",
                    dir.display(),
                    if reject { "rejects it" } else { "accepts it" },
                    if want.contains(&rel) {
                        "reports a format finding"
                    } else {
                        "does not"
                    }
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(accepted > 60, "only {accepted} files validated");
    assert!(rejected >= 2, "only {rejected} files rejected");
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
            Kind::with_files()
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
        Kind::of_path(rel)?;
        self.errors_in(rel, &std::fs::read(dir.join(rel)).ok()?)
    }

    /// [`Validators::errors`] of a file's content.
    fn errors_in(&self, rel: &str, bytes: &[u8]) -> Option<Vec<String>> {
        let kind = Kind::of_path(rel)?;
        let validator = self.0.get(&kind)?;
        let text = std::str::from_utf8(bytes).ok()?;
        let node = airisk::load::yaml::parse(text).ok()?;
        let instance = to_json(&node, text);
        Some(
            validator
                .iter_errors(&instance)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect(),
        )
    }
}

/// Whether the file at `rel` is of a kind with a JSON Schema (reading files are CSV).
fn has_schema(rel: &str) -> bool {
    Kind::of_path(rel).is_some_and(|k| k.def().schema.is_some())
}

/// Rule cases whose format finding in a YAML file depends on another file, which a schema of
/// one file cannot see: a threshold that is not a comparison is `invalid-value` only when
/// readings name the monitor.
const CROSS_FILE: &[&str] = &["invalid-value--threshold-text"];

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
            .filter(|rel| has_schema(rel) && !CROSS_FILE.contains(&name.as_str()))
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
