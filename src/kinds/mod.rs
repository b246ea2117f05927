//! The table of kinds: every kind of thing in a register that has an id or a file, declared
//! once, as the table of rule codes declares every code. A row says what the kind is called
//! (its name on the command line and in JSON, its title in sentences, its plural), where its
//! files are (one file at the root, a folder — read with its subfolders or not — and the
//! file extensions, or inside another kind's file, or built in), the prefix of its numbered
//! ids, the template `airisk new` writes, its JSON Schema's description and its field
//! declarations (the modules beside this one, one per file kind), and whether `airisk
//! history` follows it.
//!
//! Loading (which files to list, how to lower each), `new`, `show`, `history`, `changes`,
//! `schema` and the symbol index read this table, so adding a kind (monitoring readings) is a
//! row in [`KINDS`], a variant of [`Kind`] and the declaration of its fields.
//!
//! Pure data: no I/O, no YAML; nothing here depends on another module of the crate but the
//! declarations' own vocabulary ([`fields`]) and the enumerations of the format
//! ([`values`], which the model re-exports).

pub mod assessment;
pub mod fields;
pub mod incident;
pub mod people;
pub mod readings;
pub mod risk;
pub mod soa;
pub mod system;
pub mod values;
pub mod waivers;

use fields::Mapping;

/// Every kind of thing a register holds or refers to by id. The order is the order of the
/// table (and of the docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// `people.yaml`: people and roles.
    People,
    System,
    Risk,
    Assessment,
    Incident,
    /// A monitoring entry of a system, by `system/id` (its `id` is unique within the system).
    Monitor,
    /// `monitoring/**/*.csv`: monitoring readings, one per row.
    Readings,
    /// `soa.yaml`, and the SoA's own fields (`reviewed`, `approved_by`).
    Soa,
    /// An SoA decision, by the id of its control.
    Decision,
    /// `waivers.yaml`: accepted exceptions to rules.
    Waivers,
    /// An ISO/IEC 42001 Annex A control (built in).
    Control,
    /// A person, by the key in people.yaml.
    Person,
    /// A role of people.yaml, by its name.
    Role,
    /// A risk category: built in, or `[taxonomy] extra_categories`.
    Category,
    /// An Annex C risk source (built in).
    Source,
    /// An Annex C objective (built in).
    Objective,
    /// `[criteria] consequence_types` of airisk.toml.
    ConsequenceType,
    /// An entry of the ISO/IEC 27001 register `[infosec]` names.
    Infosec,
    /// An Annex III point of the EU AI Act pack (built in).
    EuPoint,
    /// An Annex I act of the EU AI Act pack (built in).
    EuAct,
    /// An Art. 50 transparency duty of the EU AI Act pack (built in).
    EuDuty,
    /// An obligation of the EU AI Act pack, or an Art. 50 duty (built in).
    EuObligation,
}

/// Where the definitions of a kind are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Home {
    /// One file at the register root: `<stem>.<extension>` (with both extensions present, the
    /// first is read and the second is reported).
    Root { stem: &'static str },
    /// One file per entity in a folder; `recursive`: its subfolders too.
    Folder { dir: &'static str, recursive: bool },
    /// Entries of another kind's file (a person in people.yaml).
    Within(Kind),
    /// Built in (the taxonomy) or configured in airisk.toml: its symbols have no file or span.
    BuiltIn,
}

/// One row of the table.
#[derive(Debug)]
pub struct KindDef {
    pub kind: Kind,
    /// Its name on the command line, in JSON and in schema file names (`assessment`).
    pub name: &'static str,
    /// In sentences (`impact assessment`, `Annex A control`).
    pub title: &'static str,
    /// In the short lines of a summary or a diff (`assessment`, `SoA decision`).
    pub label: &'static str,
    /// `impact assessments`, `people`.
    pub plural: &'static str,
    pub home: Home,
    /// The file extensions of its files (for [`Home::Root`] and [`Home::Folder`]).
    pub extensions: &'static [&'static str],
    /// Where valid ids of the kind come from, for messages about an unknown one.
    pub ids_from: &'static str,
    /// The prefix of numbered ids (`R` → `R-001`), for the next free id.
    pub id_prefix: Option<&'static str>,
    /// The file format: the file's top-level mapping (kinds with files).
    pub mapping: Option<&'static Mapping>,
    /// The description of the kind's JSON Schema (kinds with files).
    pub schema: Option<&'static str>,
    /// The file `airisk new` writes from (`{{placeholder}}`s filled in).
    pub template: Option<&'static str>,
    /// `airisk history ID` follows entities of this kind.
    pub history: bool,
}

/// Folders at the register root that hold no register data, whatever their files are called:
/// `check` does not look for misplaced YAML in them (`file-ignored`). Folders whose name
/// starts with `.` (`.airisk/`, `.github/`) are quiet too.
pub const NOT_DATA: &[&str] = &["evidence", "policies", "templates", "docs"];

/// Files at the register root that are read by a reader of their own rather than as a kind
/// of the table (SPEC §8: `waivers.yaml`), so are not misplaced data.
pub const OTHER_ROOT_FILES: &[&str] = &["waivers.yaml", "waivers.yml"];

/// The extensions of the register's YAML files.
const YAML: &[&str] = &["yaml", "yml"];

/// The extension of reading files.
const CSV: &[&str] = &["csv"];

/// The table.
pub static KINDS: &[KindDef] = &[
    KindDef {
        kind: Kind::People,
        name: "people",
        title: "people file",
        label: "people",
        plural: "people files",
        home: Home::Root { stem: "people" },
        extensions: YAML,
        ids_from: "people.yaml",
        id_prefix: None,
        mapping: Some(&people::PEOPLE),
        schema: Some("people.yaml: named owners and roles (ISO/IEC 42001 Clause 5.3)."),
        template: None,
        history: false,
    },
    KindDef {
        kind: Kind::System,
        name: "system",
        title: "system",
        label: "system",
        plural: "systems",
        home: Home::Folder {
            dir: "systems",
            recursive: true,
        },
        extensions: YAML,
        ids_from: "the `id` of each file in systems/",
        id_prefix: None,
        mapping: Some(&system::SYSTEM),
        schema: Some("systems/**/*.yaml: one AI system of the inventory."),
        template: Some(include_str!("new/system.yaml")),
        history: true,
    },
    KindDef {
        kind: Kind::Risk,
        name: "risk",
        title: "risk",
        label: "risk",
        plural: "risks",
        home: Home::Folder {
            dir: "risks",
            recursive: true,
        },
        extensions: YAML,
        ids_from: "the `id` of each file in risks/",
        id_prefix: Some("R"),
        mapping: Some(&risk::RISK),
        schema: Some("risks/**/*.yaml: one AI risk of the register (ISO/IEC 42001 Clause 6.1.2)."),
        template: Some(include_str!("new/risk.yaml")),
        history: true,
    },
    KindDef {
        kind: Kind::Assessment,
        name: "assessment",
        title: "impact assessment",
        label: "assessment",
        plural: "impact assessments",
        home: Home::Folder {
            dir: "assessments",
            recursive: true,
        },
        extensions: YAML,
        ids_from: "the `id` of each file in assessments/",
        id_prefix: Some("IA"),
        mapping: Some(&assessment::ASSESSMENT),
        schema: Some(
            "assessments/**/*.yaml: one AI system impact assessment (ISO/IEC 42001 Clause 6.1.4).",
        ),
        template: Some(include_str!("new/assessment.yaml")),
        history: true,
    },
    KindDef {
        kind: Kind::Incident,
        name: "incident",
        title: "incident",
        label: "incident",
        plural: "incidents",
        home: Home::Folder {
            dir: "incidents",
            recursive: true,
        },
        extensions: YAML,
        ids_from: "the `id` of each file in incidents/",
        id_prefix: Some("INC"),
        mapping: Some(&incident::INCIDENT),
        schema: Some("incidents/**/*.yaml: one incident or near miss (ISO/IEC 42001 Clause 10)."),
        template: Some(include_str!("new/incident.yaml")),
        history: true,
    },
    KindDef {
        kind: Kind::Monitor,
        name: "monitor",
        title: "monitor",
        label: "monitor",
        plural: "monitors",
        home: Home::Within(Kind::System),
        extensions: &[],
        ids_from: "the `id` of each `monitoring` entry of a system, written `system/monitor`",
        id_prefix: None,
        mapping: None,
        schema: None,
        template: None,
        history: false,
    },
    KindDef {
        kind: Kind::Readings,
        name: "readings",
        title: "reading file",
        label: "readings",
        plural: "reading files",
        home: Home::Folder {
            dir: "monitoring",
            recursive: true,
        },
        extensions: CSV,
        ids_from: "monitoring/**/*.csv",
        id_prefix: None,
        mapping: Some(&readings::READING),
        // CSV: the header is checked against the columns of `mapping`; no JSON Schema.
        schema: None,
        template: None,
        history: false,
    },
    KindDef {
        kind: Kind::Soa,
        name: "soa",
        title: "Statement of Applicability",
        label: "SoA",
        plural: "SoA",
        home: Home::Root { stem: "soa" },
        extensions: YAML,
        ids_from: "soa.yaml",
        id_prefix: None,
        mapping: Some(&soa::SOA),
        schema: Some("soa.yaml: the Statement of Applicability of the Annex A controls."),
        template: None,
        history: false,
    },
    KindDef {
        kind: Kind::Decision,
        name: "decision",
        title: "SoA decision",
        label: "SoA decision",
        plural: "SoA decisions",
        home: Home::Within(Kind::Soa),
        extensions: &[],
        ids_from: "the keys under `controls:` in soa.yaml",
        id_prefix: None,
        mapping: None,
        schema: None,
        template: None,
        history: false,
    },
    KindDef {
        kind: Kind::Waivers,
        name: "waivers",
        title: "waivers file",
        label: "waivers",
        plural: "waivers files",
        home: Home::Root { stem: "waivers" },
        extensions: YAML,
        ids_from: "waivers.yaml",
        id_prefix: None,
        mapping: Some(&waivers::WAIVERS),
        schema: Some(
            "waivers.yaml: accepted exceptions to rules, each approved and possibly expiring.",
        ),
        template: None,
        history: false,
    },
    KindDef {
        kind: Kind::Control,
        name: "control",
        title: "Annex A control",
        label: "control",
        plural: "Annex A controls",
        home: Home::BuiltIn,
        extensions: &[],
        ids_from: "ISO/IEC 42001 Annex A (`airisk taxonomy controls`)",
        id_prefix: None,
        mapping: None,
        schema: None,
        template: None,
        history: false,
    },
    KindDef {
        kind: Kind::Person,
        name: "person",
        title: "person",
        label: "person",
        plural: "people",
        home: Home::Within(Kind::People),
        extensions: &[],
        ids_from: "the keys under `people:` in people.yaml",
        id_prefix: None,
        mapping: None,
        schema: None,
        template: None,
        history: false,
    },
    KindDef {
        kind: Kind::Role,
        name: "role",
        title: "role",
        label: "role",
        plural: "roles",
        home: Home::Within(Kind::People),
        extensions: &[],
        ids_from: "the keys under `roles:` in people.yaml",
        id_prefix: None,
        mapping: None,
        schema: None,
        template: None,
        history: false,
    },
    KindDef {
        kind: Kind::Category,
        name: "category",
        title: "category",
        label: "category",
        plural: "categories",
        home: Home::BuiltIn,
        extensions: &[],
        ids_from: "the eight built-in categories (`airisk taxonomy categories`) and `[taxonomy] extra_categories` in airisk.toml",
        id_prefix: None,
        mapping: None,
        schema: None,
        template: None,
        history: false,
    },
    KindDef {
        kind: Kind::Source,
        name: "source",
        title: "Annex C risk source",
        label: "source",
        plural: "Annex C risk sources",
        home: Home::BuiltIn,
        extensions: &[],
        ids_from: "ISO/IEC 42001 Annex C.3 (`airisk taxonomy sources`)",
        id_prefix: None,
        mapping: None,
        schema: None,
        template: None,
        history: false,
    },
    KindDef {
        kind: Kind::Objective,
        name: "objective",
        title: "Annex C objective",
        label: "objective",
        plural: "Annex C objectives",
        home: Home::BuiltIn,
        extensions: &[],
        ids_from: "ISO/IEC 42001 Annex C.2 (`airisk taxonomy sources`)",
        id_prefix: None,
        mapping: None,
        schema: None,
        template: None,
        history: false,
    },
    KindDef {
        kind: Kind::ConsequenceType,
        name: "consequence-type",
        title: "consequence type",
        label: "consequence type",
        plural: "consequence types",
        home: Home::BuiltIn,
        extensions: &[],
        ids_from: "`[criteria] consequence_types` in airisk.toml",
        id_prefix: None,
        mapping: None,
        schema: None,
        template: None,
        history: false,
    },
    KindDef {
        kind: Kind::Infosec,
        name: "infosec",
        title: "infosec entry",
        label: "infosec entry",
        plural: "infosec entries",
        home: Home::BuiltIn,
        extensions: &[],
        ids_from: "the infosec register",
        id_prefix: None,
        mapping: None,
        schema: None,
        template: None,
        history: false,
    },
    KindDef {
        kind: Kind::EuPoint,
        name: "eu-annex-iii",
        title: "Annex III point",
        label: "Annex III point",
        plural: "Annex III points",
        home: Home::BuiltIn,
        extensions: &[],
        ids_from: "the EU AI Act pack (`airisk taxonomy eu-ai-act`)",
        id_prefix: None,
        mapping: None,
        schema: None,
        template: None,
        history: false,
    },
    KindDef {
        kind: Kind::EuAct,
        name: "eu-annex-i",
        title: "Annex I act",
        label: "Annex I act",
        plural: "Annex I acts",
        home: Home::BuiltIn,
        extensions: &[],
        ids_from: "the EU AI Act pack (`airisk taxonomy eu-ai-act`)",
        id_prefix: None,
        mapping: None,
        schema: None,
        template: None,
        history: false,
    },
    KindDef {
        kind: Kind::EuDuty,
        name: "eu-duty",
        title: "Art. 50 duty",
        label: "Art. 50 duty",
        plural: "Art. 50 duties",
        home: Home::BuiltIn,
        extensions: &[],
        ids_from: "the EU AI Act pack (`airisk taxonomy eu-ai-act`)",
        id_prefix: None,
        mapping: None,
        schema: None,
        template: None,
        history: false,
    },
    KindDef {
        kind: Kind::EuObligation,
        name: "eu-obligation",
        title: "EU AI Act obligation",
        label: "obligation",
        plural: "EU AI Act obligations",
        home: Home::BuiltIn,
        extensions: &[],
        ids_from: "the EU AI Act pack's obligations and Art. 50 duties (`airisk taxonomy eu-ai-act`)",
        id_prefix: None,
        mapping: None,
        schema: None,
        template: None,
        history: false,
    },
];

impl Kind {
    /// Every kind, in the order of the table.
    pub fn all() -> impl Iterator<Item = Kind> {
        KINDS.iter().map(|d| d.kind)
    }

    /// The kind's row of the table.
    pub fn def(self) -> &'static KindDef {
        // The table lists the kinds in the order of the enum (a test keeps it so).
        &KINDS[self as usize]
    }

    /// The kind named `name` on the command line.
    pub fn from_name(name: &str) -> Option<Kind> {
        KINDS.iter().find(|d| d.name == name).map(|d| d.kind)
    }

    pub fn name(self) -> &'static str {
        self.def().name
    }

    pub fn title(self) -> &'static str {
        self.def().title
    }

    pub fn label(self) -> &'static str {
        self.def().label
    }

    pub fn plural(self) -> &'static str {
        self.def().plural
    }

    /// Whether its entities have files of their own, one each (`systems/x.yaml`).
    pub fn has_own_files(self) -> bool {
        matches!(self.def().home, Home::Folder { .. })
    }

    /// The kinds with a YAML file format, in table order: those with a JSON Schema (reading
    /// files are CSV: their columns are declared, they have no schema).
    pub fn with_files() -> impl Iterator<Item = Kind> {
        KINDS.iter().filter(|d| d.schema.is_some()).map(|d| d.kind)
    }

    /// Whether its files are CSV (reading files), not YAML.
    pub fn is_csv(self) -> bool {
        self.def().extensions == CSV
    }

    /// The kind of the register file at `rel` (relative to the register root, with `/`), as
    /// the loader lists files: `risks/credit/R-001.yaml` is a risk, `notes.md` nothing.
    pub fn of_path(rel: &str) -> Option<Kind> {
        let has_ext = |d: &KindDef| {
            d.extensions
                .iter()
                .any(|e| rel.strip_suffix(e).is_some_and(|r| r.ends_with('.')))
        };
        KINDS
            .iter()
            .find(|d| {
                has_ext(d)
                    && match d.home {
                        Home::Root { stem } => rel
                            .strip_prefix(stem)
                            .and_then(|r| r.strip_prefix('.'))
                            .is_some_and(|ext| d.extensions.contains(&ext)),
                        Home::Folder { dir, recursive } => rel
                            .strip_prefix(dir)
                            .and_then(|r| r.strip_prefix('/'))
                            .is_some_and(|r| recursive || !r.contains('/')),
                        Home::Within(_) | Home::BuiltIn => false,
                    }
            })
            .map(|d| d.kind)
    }

    /// Which files of a register hold this kind (`risks/**/*.yaml`), for docs and editor
    /// settings; `None` for a kind without files.
    pub fn files(self) -> Option<String> {
        let def = self.def();
        let ext = def.extensions.first()?;
        match def.home {
            Home::Root { stem } => Some(format!("{stem}.{ext}")),
            Home::Folder { dir, recursive } => Some(format!(
                "{dir}/{}*.{ext}",
                if recursive { "**/" } else { "" }
            )),
            Home::Within(_) | Home::BuiltIn => None,
        }
    }
}

impl serde::Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// `a, b or c`: the titles of `kinds`, for messages.
pub fn titles(kinds: impl IntoIterator<Item = Kind>) -> String {
    let titles: Vec<&str> = kinds.into_iter().map(Kind::title).collect();
    match titles.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_lists_every_kind_once_in_the_order_of_the_enum() {
        for (i, def) in KINDS.iter().enumerate() {
            assert_eq!(def.kind as usize, i, "{:?} is out of place", def.kind);
            assert_eq!(Kind::from_name(def.name), Some(def.kind));
        }
    }

    #[test]
    fn kinds_with_files_have_a_format_a_schema_and_extensions() {
        for def in KINDS {
            let has_files = matches!(def.home, Home::Root { .. } | Home::Folder { .. });
            assert_eq!(def.mapping.is_some(), has_files, "{}", def.name);
            // CSV files have declared columns but no JSON Schema.
            let csv = def.extensions == CSV;
            assert_eq!(def.schema.is_some(), has_files && !csv, "{}", def.name);
            assert_eq!(!def.extensions.is_empty(), has_files, "{}", def.name);
            if def.template.is_some() || def.history {
                assert!(matches!(def.home, Home::Folder { .. }), "{}", def.name);
            }
            if let Home::Within(k) = def.home {
                assert!(
                    matches!(k.def().home, Home::Root { .. } | Home::Folder { .. }),
                    "{}",
                    def.name
                );
            }
        }
        assert_eq!(Kind::Risk.files().as_deref(), Some("risks/**/*.yaml"));
        assert_eq!(Kind::System.files().as_deref(), Some("systems/**/*.yaml"));
        assert_eq!(
            Kind::Incident.files().as_deref(),
            Some("incidents/**/*.yaml")
        );
        assert_eq!(Kind::Soa.files().as_deref(), Some("soa.yaml"));
        assert_eq!(Kind::Control.files(), None);
    }

    #[test]
    fn every_template_starts_with_its_modeline_and_has_an_id() {
        for def in KINDS.iter().filter(|d| d.template.is_some()) {
            let t = def.template.unwrap_or_default();
            assert!(t.starts_with("{{modeline}}\n"), "{}", def.name);
            assert!(t.contains("\nid: {{id}}\n"), "{}", def.name);
        }
    }

    #[test]
    fn paths_are_of_the_kind_the_loader_reads_them_as() {
        assert_eq!(Kind::of_path("people.yaml"), Some(Kind::People));
        assert_eq!(Kind::of_path("soa.yml"), Some(Kind::Soa));
        assert_eq!(Kind::of_path("soa.json"), None);
        assert_eq!(Kind::of_path("risks/a/b/R-1.yaml"), Some(Kind::Risk));
        assert_eq!(Kind::of_path("systems/x.yml"), Some(Kind::System));
        assert_eq!(Kind::of_path("systems/sub/x.yaml"), Some(Kind::System));
        assert_eq!(
            Kind::of_path("incidents/2026/INC-001.yaml"),
            Some(Kind::Incident)
        );
        assert_eq!(Kind::of_path("systems/x.YAML"), None);
        assert_eq!(Kind::of_path("systems.yaml"), None);
        assert_eq!(Kind::of_path("policies/ai-policy.md"), None);
        assert_eq!(Kind::of_path("risksx/R-1.yaml"), None);
        assert_eq!(
            Kind::of_path("monitoring/a/credit.csv"),
            Some(Kind::Readings)
        );
        assert_eq!(Kind::of_path("monitoring/credit.yaml"), None);
    }

    #[test]
    fn titles_read_as_a_list() {
        assert_eq!(titles([Kind::Risk]), "risk");
        assert_eq!(
            titles([Kind::System, Kind::Risk, Kind::Assessment]),
            "system, risk or impact assessment"
        );
    }
}
