//! The starter register (`airisk init`): the bundled `examples/minimal`, with its
//! organisation named as asked and its dates moved so that it is current today; or, for
//! `init --blank`, a register with nothing of another organisation in it ([`blank`]). Each YAML
//! file starts with a yaml-language-server modeline pointing at the JSON Schemas, which are
//! among the files (`.airisk/schema/`, what `airisk schema --write` regenerates): an editor
//! completes and checks the register from the first day. The bundled example files
//! themselves carry no modeline; it is added here.

use crate::kinds::Kind;
use crate::load::schema::{SCHEMA_DIR, modeline, schema_file, to_text};
use crate::model::Date;
use crate::model::time::parse_date;

/// The date the bundled example is current at; init moves its dates to today.
const EXAMPLE_AS_OF: &str = "2026-11-01";

/// The files of the starter register: examples/minimal, embedded.
pub const FILES: &[(&str, &str)] = &[
    (
        "airisk.toml",
        include_str!("../../examples/minimal/airisk.toml"),
    ),
    (
        "people.yaml",
        include_str!("../../examples/minimal/people.yaml"),
    ),
    ("soa.yaml", include_str!("../../examples/minimal/soa.yaml")),
    (
        "systems/ticket-triage.yaml",
        include_str!("../../examples/minimal/systems/ticket-triage.yaml"),
    ),
    (
        "risks/R-001.yaml",
        include_str!("../../examples/minimal/risks/R-001.yaml"),
    ),
    (
        "risks/R-002.yaml",
        include_str!("../../examples/minimal/risks/R-002.yaml"),
    ),
    (
        "risks/R-003.yaml",
        include_str!("../../examples/minimal/risks/R-003.yaml"),
    ),
    (
        "monitoring/ticket-triage.csv",
        include_str!("../../examples/minimal/monitoring/ticket-triage.csv"),
    ),
    (
        "policies/ai-policy.md",
        include_str!("../../examples/minimal/policies/ai-policy.md"),
    ),
    (
        "evidence/override-rate-2026-09.md",
        include_str!("../../examples/minimal/evidence/override-rate-2026-09.md"),
    ),
    (
        "evidence/provider-dpa-review.md",
        include_str!("../../examples/minimal/evidence/provider-dpa-review.md"),
    ),
];

/// The starter files for an organisation, current as of `today`.
pub fn starter(name: &str, today: Date) -> Vec<(String, String)> {
    let base = parse_date(EXAMPLE_AS_OF).expect("a valid date");
    let shift = today.signed_duration_since(base);
    FILES
        .iter()
        .map(|(rel, text)| {
            // Readings move with the rest, so the starter's monitor is fresh today.
            let mut text = if rel.ends_with(".yaml") || rel.ends_with(".csv") {
                shift_dates(text, shift)
            } else {
                (*text).to_string()
            };
            if *rel == "airisk.toml" {
                text = text.replacen(
                    "name = \"Example Software Ltd\"",
                    &format!("name = {}", toml_string(name)),
                    1,
                );
            }
            if let Some(kind) = Kind::of_path(rel).filter(|k| !k.is_csv()) {
                text = format!("{}\n{text}", modeline(kind, rel));
            }
            (rel.to_string(), text)
        })
        .chain(Kind::with_files().map(|k| (format!("{SCHEMA_DIR}/{}", schema_file(k)), to_text(k))))
        .collect()
}

/// The files of a blank register (`init --blank`): nothing of another organisation. The
/// criteria of the worked example (five by five, four bands, threshold 8), the
/// organisation's name and a scope to write, one placeholder person, an SoA reviewed today
/// in which every Annex A control is applicable and "to be decided" (so that nothing is
/// excluded before someone decides it, and `check` gives no error), no system and no risk;
/// then the JSON Schemas, as for the worked example.
pub fn blank(name: &str, today: Date) -> Vec<(String, String)> {
    let config = FILES
        .iter()
        .find(|(rel, _)| *rel == "airisk.toml")
        .map_or("", |(_, t)| t);
    let criteria = config.find("[criteria]").map_or("", |at| &config[at..]);
    let config = format!(
        "# The register's settings (docs/format.md, section 2). Write your scope first.\n\n\
         [organisation]\n\
         name = {}\n\
         scope = \"TO DO: the AI systems this management system covers (the AIMS scope, Clause 4.3)\"\n\n\
         {criteria}",
        toml_string(name)
    );
    let people = "# The people who own systems, risks and decisions (Clause 5.3): replace the placeholder.\n\
                  people:\n  \
                  owner: { name: \"TO DO: your name\", role: \"AI risk owner\" }\n\
                  roles:\n  \
                  accountable_executive: owner\n";
    let t = crate::load::taxonomy::Taxonomy::get();
    let mut soa = format!(
        "# Statement of Applicability: decide each Annex A control. Every control starts as\n\
         # applicable and \"to be decided\": exclude one with `applicable: false` and why, or\n\
         # give its status and evidence. (`airisk taxonomy controls` lists them.)\n\
         reviewed: {today}\n\
         approved_by: owner\n\
         controls:\n"
    );
    let width = t.controls().map(|c| c.id.len()).max().unwrap_or(0) + 1;
    for c in t.controls() {
        soa.push_str(&format!(
            "  {:<width$} {{ applicable: true, status: not-implemented, justification: \"To be decided: {}\" }}\n",
            format!("{}:", c.id),
            c.title.replace(['"', '\\'], "")
        ));
    }
    [
        ("airisk.toml", config),
        ("people.yaml", people.to_string()),
        ("soa.yaml", soa),
    ]
    .into_iter()
    .map(|(rel, text)| {
        let text = match Kind::of_path(rel) {
            Some(kind) => format!("{}\n{text}", modeline(kind, rel)),
            None => text,
        };
        (rel.to_string(), text)
    })
    .chain(Kind::with_files().map(|k| (format!("{SCHEMA_DIR}/{}", schema_file(k)), to_text(k))))
    .collect()
}

/// Moves every `YYYY-MM-DD` date in the text by `shift`.
fn shift_dates(text: &str, shift: chrono::TimeDelta) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let candidate = rest.get(..10).unwrap_or("");
        let boundary = !rest[10.min(rest.len())..].starts_with(|c: char| c.is_ascii_alphanumeric());
        match parse_date(candidate) {
            Ok(d) if boundary => {
                out.push_str(&(d + shift).to_string());
                rest = &rest[10..];
            }
            _ => {
                let n = rest
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(rest.len());
                out.push_str(&rest[..n]);
                rest = &rest[n..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_move_and_other_numbers_stay() {
        let shift = chrono::TimeDelta::days(10);
        assert_eq!(
            shift_dates(
                "reviewed: 2026-09-15\nmax: 2026\nfile: a-2026-09.md\nx: 2026-09-151\n",
                shift
            ),
            "reviewed: 2026-09-25\nmax: 2026\nfile: a-2026-09.md\nx: 2026-09-151\n"
        );
    }

    #[test]
    fn yaml_files_point_at_the_schemas_written_beside_them() {
        let files = starter("Org", parse_date("2027-03-01").unwrap());
        let text = |rel: &str| &files.iter().find(|(r, _)| r == rel).unwrap().1;
        assert!(
            text("risks/R-001.yaml").starts_with(
                "# yaml-language-server: $schema=../.airisk/schema/risk.schema.json\n"
            )
        );
        assert!(
            text("soa.yaml")
                .starts_with("# yaml-language-server: $schema=.airisk/schema/soa.schema.json\n")
        );
        assert!(text(".airisk/schema/risk.schema.json").contains("draft-07"));
        assert!(!text("airisk.toml").contains("yaml-language-server"));
    }

    #[test]
    fn organisation_name_is_quoted_for_toml() {
        let files = starter("Acme \"AI\" Ltd", parse_date("2027-03-01").unwrap());
        let config = &files.iter().find(|(r, _)| r == "airisk.toml").unwrap().1;
        let parsed: toml::Table = toml::from_str(config).unwrap();
        assert_eq!(
            parsed["organisation"]["name"].as_str(),
            Some("Acme \"AI\" Ltd")
        );
    }
}
