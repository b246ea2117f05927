//! The one table of rule codes: name, default level, stage, one-line summary.
//!
//! Codes are interface (SPEC §3): add freely, never rename. A test keeps this table,
//! the rule fixtures under `tests/rules/` and `docs/diagnostics.md` in step.

use super::Severity;

/// Where a code is produced: while reading files, by a rule over the register, or from git.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Load,
    Check,
    Git,
    /// `airisk import`, about a spreadsheet or its mapping.
    Import,
}

/// One row of the code table.
#[derive(Clone, Copy, Debug)]
pub struct CodeInfo {
    pub code: Code,
    pub name: &'static str,
    pub default: Severity,
    pub stage: Stage,
    pub summary: &'static str,
}

macro_rules! codes {
    ($($variant:ident = $name:literal, $level:ident, $stage:ident, $summary:literal;)*) => {
        /// A stable rule code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant,)* }

        /// Every code, in documentation order.
        pub const CODES: &[CodeInfo] = &[
            $(CodeInfo {
                code: Code::$variant,
                name: $name,
                default: Severity::$level,
                stage: Stage::$stage,
                summary: $summary,
            },)*
        ];
    };
}

codes! {
    YamlSyntax = "yaml-syntax", Error, Load, "not parseable YAML (position from the parser)";
    FileUnreadable = "file-unreadable", Error, Load, "a register file or template is not read: a link out of the register, not a regular file, over 8 MiB, not UTF-8, or an I/O error";
    UnknownField = "unknown-field", Error, Load, "field not in the format; suggests the nearest known name";
    MissingField = "missing-field", Error, Load, "a required field is absent";
    InvalidValue = "invalid-value", Error, Load, "wrong type, unknown enum value, bad date or duration";
    DuplicateId = "duplicate-id", Error, Check, "two entities of a kind share an id (both places shown)";
    UnknownReference = "unknown-reference", Error, Check, "a reference to a system, category, control, source, person, risk, assessment or infosec entry that does not exist";
    ScoreOutOfRange = "score-out-of-range", Error, Check, "likelihood/consequence outside the configured scale";
    TreatmentRequired = "treatment-required", Error, Check, "an open risk without a treatment block: every open risk needs a decision (treat or accept)";
    AcceptanceIncomplete = "acceptance-incomplete", Error, Check, "`accept` without an acceptance block, or one lacking rationale, approver or date";
    AcceptanceAboveThreshold = "acceptance-above-threshold", Error, Check, "`accept` with a score above the acceptance threshold and no `acceptance.exception` saying why treatment is not cost-effective";
    TreatmentIncomplete = "treatment-incomplete", Error, Check, "mitigate/transfer/avoid (or an incident's corrective action) without owner, due date or plan";
    TreatmentOverdue = "treatment-overdue", Warning, Check, "treatment due date passed and status is not done";
    EvidenceMissing = "evidence-missing", Error, Check, "treatment done, or control implemented, without evidence";
    EvidenceNotFound = "evidence-not-found", Error, Check, "an evidence path that does not exist in the register";
    TargetNotLower = "target-not-lower", Warning, Check, "treatment target score not below the current score";
    SoaControlMissing = "soa-control-missing", Error, Check, "an Annex A control without an SoA decision";
    SoaJustificationMissing = "soa-justification-missing", Error, Check, "an SoA decision without justification";
    ControlExcludedButUsed = "control-excluded-but-used", Error, Check, "a risk or assessment relies on a control the SoA excludes";
    ControlWithoutRisk = "control-without-risk", Warning, Check, "an applicable control that no risk or assessment uses";
    CategoryNotScreened = "category-not-screened", Warning, Check, "a live system with neither a risk nor a screening entry for a category";
    AssessmentMissing = "assessment-missing", Warning, Check, "a system of high or critical criticality without an impact assessment";
    AcceptanceExpired = "acceptance-expired", Error, Check, "an acceptance whose `expires` date has passed";
    AcceptanceStale = "acceptance-stale", Warning, Git, "git shows the risk's assessment (likelihood, consequence) changed after the acceptance date";
    ReviewOverdue = "review-overdue", Warning, Check, "a review date has passed (risk, assessment, SoA)";
    SystemChangedSinceReview = "system-changed-since-review", Warning, Git, "git shows the risk's system file changed after the risk was last reviewed";
    WaiverExpired = "waiver-expired", Warning, Check, "a waiver whose `expires` date has passed: the findings it waived are reported again";
    WaiverUnused = "waiver-unused", Warning, Check, "a waiver that suppresses no finding";
    MonitoringBreach = "monitoring-breach", Warning, Check, "the latest reading of a monitor fails its threshold";
    MonitoringStale = "monitoring-stale", Warning, Check, "a monitor with `every` on a live system has no reading that recent";
    EuAiActUnclassified = "eu-ai-act-unclassified", Warning, Check, "with the EU AI Act profile on, a live system without an `eu_ai_act` block";
    EuAiActInconsistent = "eu-ai-act-inconsistent", Error, Check, "an EU AI Act classification that contradicts itself (high-risk without a route, Annex III without high-risk or a derogation, a derogation with profiling)";
    EuAiActProhibited = "eu-ai-act-prohibited", Error, Check, "a live system classified prohibited (Art. 5)";
    ObligationNotMet = "obligation-not-met", Warning, Check, "an EU AI Act obligation of the system's roles and tier whose application date has arrived, absent or not done";
    FriaMissing = "fria-missing", Warning, Check, "a deployer of a high-risk system Art. 27 covers without an impact assessment with `fria: true`, once Art. 27 applies";
    IncidentReportOverdue = "incident-report-overdue", Error, Check, "a serious incident of a high-risk system the organisation provides, not reported within the Art. 73 deadline";
    ImportMapping = "import-mapping", Error, Import, "`airisk import`: the mapping file cannot be used (not TOML, an unknown key or kind, a field path the kind does not declare)";
    ImportUnknownColumn = "import-unknown-column", Error, Import, "`airisk import`: a column the mapping names is not in the sheet's header row";
    ImportUnmappedLabel = "import-unmapped-label", Error, Import, "`airisk import`: a cell's label has no value in the mapping's [values.FIELD]";
    ImportEmptyCell = "import-empty-cell", Error, Import, "`airisk import`: a new row's cell for a required field is empty";
    ImportInvalidCell = "import-invalid-cell", Error, Import, "`airisk import`: a cell is not of its field's type (a date written as text, a number that is not whole, a bad id)";
    ImportDuplicateId = "import-duplicate-id", Error, Import, "`airisk import`: two rows of the sheet have the same id";
    ImportMergedCell = "import-merged-cell", Error, Import, "`airisk import`: a mapped cell is inside a merged range";
    ImportFormulaError = "import-formula-error", Error, Import, "`airisk import`: a formula cell holds an error, or no saved value";
    ImportNotEditable = "import-not-editable", Error, Import, "`airisk import`: an existing file's value cannot be updated in place";
    FileIgnored = "file-ignored", Warning, Load, "a file or folder in the register is named like data but not read: `.YAML`, an editor's leftover, a folder named `x.yaml`, YAML outside every kind's folder";
    DateInFuture = "date-in-future", Warning, Check, "a `reviewed`, `date`, `assessed`, `aware` or acceptance `date` after the as-of date";
}

impl Code {
    pub fn info(self) -> &'static CodeInfo {
        CODES
            .iter()
            .find(|i| i.code == self)
            .expect("every code is in the table")
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Whether a waiver may name this code: not the format codes (a file that cannot be read
    /// as the format says is fixed, not excused), not a waiver's own codes, and not the
    /// codes of `airisk import` (about a spreadsheet, not the register).
    pub fn waivable(self) -> bool {
        self.info().stage != Stage::Import
            && !matches!(
                self,
                Code::YamlSyntax
                    | Code::FileUnreadable
                    | Code::UnknownField
                    | Code::MissingField
                    | Code::InvalidValue
                    | Code::DuplicateId
                    | Code::WaiverExpired
                    | Code::WaiverUnused
                    // A misplaced file is moved and a future date corrected, not excused.
                    | Code::FileIgnored
                    | Code::DateInFuture
            )
    }

    pub fn from_name(name: &str) -> Option<Code> {
        CODES.iter().find(|i| i.name == name).map(|i| i.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case() {
        let mut names: Vec<_> = CODES.iter().map(|i| i.name).collect();
        for n in &names {
            assert!(n.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{n}");
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), CODES.len());
        for info in CODES {
            assert_eq!(Code::from_name(info.name), Some(info.code));
        }
    }
}
