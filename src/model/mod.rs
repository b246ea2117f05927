//! The register as the rules and renderers see it: validated values with the spans they
//! came from, no serde, no YAML, no I/O.
//!
//! Entities keep going when a field is bad: a field that failed to read is absent here (its
//! finding was already reported by `load`), so one broken field never hides the rest of a
//! file from the rules. Fields with their own absence rule (`treatment-incomplete`,
//! `acceptance-incomplete`, `soa-justification-missing`, `evidence-missing`) are a [`Field`],
//! which tells "absent" from "present but invalid".

pub mod criteria;
pub mod eu_ai_act;
pub mod forge;
pub mod identity;
pub mod monitoring;
pub mod schedule;
pub mod symbols;
pub mod time;

pub use crate::kinds::values::*;
pub use crate::source::{FileId, Sp, Span};
pub use criteria::{Criteria, Level};
pub use forge::{Forge, PullRequest};
pub use identity::Identity;
pub use symbols::Symbols;
pub use time::{Date, Duration};

use crate::kinds::Kind;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// A field whose absence has its own rule.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Field<T> {
    #[default]
    Absent,
    /// Present with a value that could not be read (already reported as `invalid-value`).
    Invalid,
    Ok(T),
}

impl<T> Field<T> {
    pub fn get(&self) -> Option<&T> {
        match self {
            Field::Ok(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }
}

/// airisk.toml, validated.
#[derive(Clone, Debug)]
pub struct Config {
    pub file: FileId,
    pub organisation: Organisation,
    pub criteria: Criteria,
    pub review: ReviewPolicy,
    pub extra_categories: Vec<ExtraCategory>,
    pub infosec: Option<Infosec>,
    pub git: GitConfig,
    /// `[eu_ai_act]`: the EU AI Act profile.
    pub eu_ai_act: eu_ai_act::EuAiActConfig,
}

/// `[git]`: how history is read.
#[derive(Clone, Debug)]
pub struct GitConfig {
    /// Who may write approval trailers on a first-parent commit, and whose merge commits
    /// make their author (the merger) an approver (docs/git.md).
    pub trusted_committers: Vec<Identity>,
}

#[derive(Clone, Debug)]
pub struct Organisation {
    pub name: String,
    pub scope: Option<String>,
}

#[derive(Clone, Debug)]
pub struct ReviewPolicy {
    pub assessments_every: Duration,
    pub soa_every: Duration,
    pub due_soon: Duration,
}

#[derive(Clone, Debug)]
pub struct ExtraCategory {
    pub id: String,
    pub name: String,
}

/// The ISO 27001 register that `infosec_refs` point into.
#[derive(Clone, Debug)]
pub struct Infosec {
    /// As written in airisk.toml (relative to it).
    pub path: String,
    pub ids: BTreeSet<String>,
}

#[derive(Clone, Debug, Default)]
pub struct People {
    pub file: Option<FileId>,
    /// The span of the `people:` key, where a dangling person reference points as well.
    pub people_key: Option<Span>,
    pub people: Vec<Person>,
    pub roles: Vec<Role>,
}

#[derive(Clone, Debug)]
pub struct Person {
    pub key: Sp<String>,
    pub name: Option<Sp<String>>,
    pub email: Option<Sp<String>>,
    pub github: Option<Sp<String>>,
    pub role: Option<Sp<String>>,
}

#[derive(Clone, Debug)]
pub struct Role {
    pub name: Sp<String>,
    pub members: Vec<Sp<String>>,
}

#[derive(Clone, Debug)]
pub struct System {
    pub file: FileId,
    pub id: Sp<String>,
    pub name: Option<Sp<String>>,
    pub owner: Option<Sp<String>>,
    pub intended_use: Option<Sp<String>>,
    pub model_type: Option<Sp<ModelType>>,
    pub provider: Option<Sp<String>>,
    pub data_inputs: Vec<Sp<String>>,
    pub users: Vec<Sp<String>>,
    pub affected_parties: Vec<Sp<String>>,
    pub model_version: Option<Sp<String>>,
    pub lifecycle: Option<Sp<Lifecycle>>,
    pub environment: Option<Sp<String>>,
    pub criticality: Option<Sp<Criticality>>,
    pub screening: Vec<Screening>,
    pub monitoring: Vec<Monitoring>,
    pub eu_ai_act: Option<EuAiAct>,
}

/// A system's EU AI Act classification (SPEC §10): the organisation's judgement, recorded.
#[derive(Clone, Debug)]
pub struct EuAiAct {
    /// The `eu_ai_act:` key.
    pub span: Span,
    pub roles: Vec<Sp<EuRole>>,
    pub classification: Option<Sp<EuClass>>,
    pub annex_iii: Option<Sp<String>>,
    pub annex_i: Option<Sp<String>>,
    pub derogation: Option<Derogation>,
    pub profiling: Option<Sp<bool>>,
    pub transparency: Vec<Sp<String>>,
    pub gpai: Option<Sp<bool>>,
    pub rationale: Option<Sp<String>>,
    pub assessed: Option<Sp<Date>>,
    pub assessed_by: Option<Sp<String>>,
    /// The `obligations:` key, when present.
    pub obligations_key: Option<Span>,
    pub obligations: Vec<ObligationRecord>,
}

impl EuAiAct {
    pub fn class(&self) -> Option<EuClass> {
        self.classification.as_ref().map(|c| c.value)
    }

    pub fn has_role(&self, role: EuRole) -> bool {
        self.roles.iter().any(|r| r.value == role)
    }

    pub fn profiles(&self) -> bool {
        self.profiling.as_ref().is_some_and(|p| p.value)
    }

    pub fn is_gpai(&self) -> bool {
        self.gpai.as_ref().is_some_and(|p| p.value)
    }

    /// The recorded status of obligation `id`.
    pub fn record(&self, id: &str) -> Option<&ObligationRecord> {
        self.obligations.iter().find(|o| o.id.value == id)
    }
}

/// An Art. 6(3) derogation.
#[derive(Clone, Debug)]
pub struct Derogation {
    /// The `derogation:` key.
    pub span: Span,
    pub condition: Option<Sp<DerogationCondition>>,
    pub rationale: Option<Sp<String>>,
}

/// The recorded status of one obligation of the pack.
#[derive(Clone, Debug)]
pub struct ObligationRecord {
    /// The obligation id, as the key.
    pub id: Sp<String>,
    pub status: Option<Sp<ObligationStatus>>,
    pub due: Option<Sp<Date>>,
    pub owner: Option<Sp<String>>,
    pub evidence: Vec<Sp<String>>,
    pub rationale: Option<Sp<String>>,
}

impl ObligationRecord {
    /// Done, or not applicable with a rationale.
    pub fn is_met(&self) -> bool {
        match self.status.as_ref().map(|s| s.value) {
            Some(ObligationStatus::Done) => true,
            Some(ObligationStatus::NotApplicable) => self.rationale.is_some(),
            _ => false,
        }
    }
}

impl System {
    /// Live unless retired (SPEC §6). A system whose lifecycle could not be read counts as live.
    pub fn is_live(&self) -> bool {
        self.lifecycle
            .as_ref()
            .is_none_or(|l| l.value != Lifecycle::Retired)
    }
}

#[derive(Clone, Debug)]
pub struct Screening {
    pub category: Sp<String>,
    pub rationale: Option<Sp<String>>,
}

#[derive(Clone, Debug)]
pub struct Monitoring {
    /// Unique within the system; readings name the monitor by it.
    pub id: Option<Sp<String>>,
    pub signal: Option<Sp<Signal>>,
    pub metric: Option<Sp<String>>,
    pub threshold: Option<Sp<String>>,
    /// The threshold, when it is a comparison (`>= 0.62`): what readings are judged by.
    pub comparison: Option<monitoring::Threshold>,
    pub every: Option<Sp<Duration>>,
    pub owner: Option<Sp<String>>,
    /// The risks whose review a breaching reading triggers.
    pub risks: Vec<Sp<String>>,
    /// What the register keeps of its readings (empty until the reading files are read).
    pub series: monitoring::Series,
}

impl Monitoring {
    /// Whether `value` fails the threshold (never, without a comparison).
    pub fn breaches(&self, value: f64) -> bool {
        self.comparison.is_some_and(|t| !t.passes(value))
    }

    /// The monitor's state on `today`: breach (the latest reading fails), stale (with
    /// `every`, the latest reading is older than that), no-data, or ok.
    pub fn status(&self, today: Date) -> monitoring::Status {
        use monitoring::Status;
        match &self.series.latest {
            None => Status::NoData,
            Some(p) if self.breaches(p.value) => Status::Breach,
            Some(p) if self.stale_since(p.at.day, today) => Status::Stale,
            Some(_) => Status::Ok,
        }
    }

    /// With `every`, whether a reading of `day` is too old on `today`.
    pub fn stale_since(&self, day: Date, today: Date) -> bool {
        self.every
            .as_ref()
            .and_then(|e| e.value.after(day))
            .is_some_and(|limit| limit < today)
    }

    /// When the next reading is due: the latest reading (or none) plus `every`.
    pub fn next_reading(&self) -> Option<Date> {
        let day = self.series.latest.as_ref()?.at.day;
        self.every.as_ref()?.value.after(day)
    }
}

#[derive(Clone, Debug)]
pub struct Risk {
    pub file: FileId,
    pub id: Sp<String>,
    pub title: Option<Sp<String>>,
    /// `system` or `systems`, normalised to a list.
    pub systems: Vec<Sp<String>>,
    pub category: Option<Sp<String>>,
    pub sources: Vec<Sp<String>>,
    pub objectives: Vec<Sp<String>>,
    pub event: Option<Sp<String>>,
    pub cause: Option<Sp<String>>,
    pub consequence: Option<Sp<String>>,
    pub affected_parties: Vec<Sp<String>>,
    pub consequence_types: Vec<Sp<String>>,
    pub owner: Option<Sp<String>>,
    pub assessment: Option<Rating>,
    pub treatment: Option<Treatment>,
    /// Boxed: most risks have none, and it is the largest part of a risk (docs/performance.md,
    /// fifth round).
    pub acceptance: Option<Box<Acceptance>>,
    pub reviewed: Option<Sp<Date>>,
    pub review_every: Option<Sp<Duration>>,
    pub infosec_refs: Vec<Sp<String>>,
    pub assessments: Vec<Sp<String>>,
    pub status: RiskStatus,
}

impl Risk {
    pub fn is_open(&self) -> bool {
        self.status == RiskStatus::Open
    }

    /// The current likelihood and consequence, when both were read.
    pub fn current(&self) -> Option<(i64, i64)> {
        self.assessment.as_ref()?.pair()
    }
}

/// A likelihood x consequence pair: a risk's assessment or a treatment's target.
#[derive(Clone, Debug)]
pub struct Rating {
    /// The key introducing the mapping (`assessment:` or `target:`).
    pub span: Span,
    pub likelihood: Option<Sp<i64>>,
    pub consequence: Option<Sp<i64>>,
    pub rationale: Option<Sp<String>>,
}

impl Rating {
    pub fn pair(&self) -> Option<(i64, i64)> {
        Some((
            self.likelihood.as_ref()?.value,
            self.consequence.as_ref()?.value,
        ))
    }
}

#[derive(Clone, Debug)]
pub struct Treatment {
    /// The `treatment:` key.
    pub span: Span,
    pub option: Option<Sp<TreatmentOption>>,
    pub plan: Field<Sp<String>>,
    pub owner: Field<Sp<String>>,
    pub due: Field<Sp<Date>>,
    pub status: Option<Sp<TreatmentStatus>>,
    pub controls: Vec<Sp<String>>,
    pub evidence: Field<Vec<Sp<String>>>,
    pub target: Option<Rating>,
}

impl Treatment {
    pub fn is_done(&self) -> bool {
        self.status
            .as_ref()
            .is_some_and(|s| s.value == TreatmentStatus::Done)
    }
}

#[derive(Clone, Debug)]
pub struct Acceptance {
    /// The `acceptance:` key.
    pub span: Span,
    pub rationale: Field<Sp<String>>,
    pub approved_by: Field<Sp<String>>,
    pub date: Field<Sp<Date>>,
    pub expires: Option<Sp<Date>>,
    pub exception: Option<Sp<String>>,
}

#[derive(Clone, Debug)]
pub struct Assessment {
    pub file: FileId,
    pub id: Sp<String>,
    pub system: Option<Sp<String>>,
    pub assessor: Option<Sp<String>>,
    pub date: Option<Sp<Date>>,
    pub reviewed: Option<Sp<Date>>,
    pub impacts: Vec<Impact>,
    /// Also the Art. 27 fundamental rights impact assessment.
    pub fria: Option<Sp<bool>>,
}

#[derive(Clone, Debug)]
pub struct Impact {
    pub affected: Option<Sp<String>>,
    pub scope: Option<Sp<ImpactScope>>,
    pub area: Option<Sp<ImpactArea>>,
    pub description: Option<Sp<String>>,
    pub severity: Option<Sp<i64>>,
    pub likelihood: Option<Sp<i64>>,
    pub mitigation: Option<Sp<String>>,
    pub controls: Vec<Sp<String>>,
    pub risks: Vec<Sp<String>>,
}

#[derive(Clone, Debug)]
pub struct Incident {
    pub file: FileId,
    pub id: Sp<String>,
    pub date: Option<Sp<Date>>,
    pub kind: Option<Sp<IncidentKind>>,
    pub system: Option<Sp<String>>,
    pub risks: Vec<Sp<String>>,
    pub summary: Option<Sp<String>>,
    pub corrective_action: Option<CorrectiveAction>,
    /// A serious incident under the EU AI Act (Art. 3(49)).
    pub serious: Option<Sp<bool>>,
    pub aware: Option<Sp<Date>>,
    pub harm: Option<Sp<Harm>>,
    pub reported: Option<Sp<Date>>,
}

impl Incident {
    pub fn is_serious(&self) -> bool {
        self.serious.as_ref().is_some_and(|s| s.value)
    }
}

#[derive(Clone, Debug)]
pub struct CorrectiveAction {
    /// The `corrective_action:` key.
    pub span: Span,
    pub plan: Field<Sp<String>>,
    pub owner: Field<Sp<String>>,
    pub due: Field<Sp<Date>>,
    pub status: Field<Sp<TreatmentStatus>>,
}

#[derive(Clone, Debug)]
pub struct Soa {
    pub file: FileId,
    /// The `controls:` key (or the file start when it is absent).
    pub controls_key: Span,
    pub reviewed: Option<Sp<Date>>,
    pub approved_by: Option<Sp<String>>,
    pub decisions: Vec<Decision>,
    /// False when `controls:` could not be read (misspelt, or not a mapping): its finding is
    /// already reported, and no decision counts as missing.
    pub decisions_read: bool,
}

/// `waivers.yaml`: accepted exceptions to rules.
#[derive(Clone, Debug)]
pub struct Waivers {
    pub file: FileId,
    pub waivers: Vec<Waiver>,
}

/// One waiver. A waiver lacking its rule or target (a finding already says so) waives
/// nothing.
#[derive(Clone, Debug)]
pub struct Waiver {
    /// The waiver's mapping in the file (where `waiver-unused` points).
    pub span: Span,
    pub rule: Option<Sp<String>>,
    pub target: Option<Sp<String>>,
    pub reason: Option<Sp<String>>,
    pub approved_by: Option<Sp<String>>,
    pub date: Option<Sp<Date>>,
    pub expires: Option<Sp<Date>>,
}

#[derive(Clone, Debug)]
pub struct Decision {
    /// The control id, as the key of the decision.
    pub control: Sp<String>,
    pub applicable: Option<Sp<bool>>,
    pub status: Option<Sp<SoaStatus>>,
    pub justification: Field<Sp<String>>,
    pub evidence: Field<Vec<Sp<String>>>,
    pub owner: Option<Sp<String>>,
}

impl Decision {
    pub fn is_applicable(&self) -> bool {
        self.applicable.as_ref().is_some_and(|a| a.value)
    }

    pub fn is_excluded(&self) -> bool {
        self.applicable.as_ref().is_some_and(|a| !a.value)
    }
}

/// Everything read from one register.
#[derive(Debug)]
pub struct Register {
    /// The folder holding airisk.toml.
    pub root: PathBuf,
    pub config: Config,
    pub people: Option<People>,
    pub systems: Vec<System>,
    /// Boxed: each risk stays where the loader's thread built it (about a kilobyte each),
    /// instead of being copied into one vector after the parallel load (docs/performance.md,
    /// fourth round).
    pub risks: Vec<Box<Risk>>,
    pub assessments: Vec<Assessment>,
    pub incidents: Vec<Incident>,
    pub soa: Option<Soa>,
    /// `waivers.yaml`, when the register has one.
    pub waivers: Option<Waivers>,
    /// Every id and every reference to one: lookups by id go through it. Built by the
    /// loader once the register is read (`Symbols::default()` when constructing).
    pub symbols: Symbols,
}

impl Register {
    /// The first system with this id.
    pub fn system(&self, id: &str) -> Option<&System> {
        self.item(Kind::System, id).map(|i| &self.systems[i])
    }

    /// The first risk with this id.
    pub fn risk(&self, id: &str) -> Option<&Risk> {
        self.item(Kind::Risk, id).map(|i| &*self.risks[i])
    }

    /// The first impact assessment with this id.
    pub fn assessment(&self, id: &str) -> Option<&Assessment> {
        self.item(Kind::Assessment, id)
            .map(|i| &self.assessments[i])
    }

    /// The first incident with this id.
    pub fn incident(&self, id: &str) -> Option<&Incident> {
        self.item(Kind::Incident, id).map(|i| &self.incidents[i])
    }

    /// The person with this key in people.yaml.
    pub fn person(&self, key: &str) -> Option<&Person> {
        let i = self.item(Kind::Person, key)?;
        self.people.as_ref()?.people.get(i)
    }

    /// The SoA decision on this control.
    pub fn decision(&self, control: &str) -> Option<&Decision> {
        let i = self.item(Kind::Decision, control)?;
        self.soa.as_ref()?.decisions.get(i)
    }

    /// The incidents that name the risk `id`, in register order, each once.
    pub fn incidents_of(&self, id: &str) -> impl Iterator<Item = &Incident> {
        self.symbols
            .named_by(Kind::Risk, id, Kind::Incident)
            .into_iter()
            .filter_map(|i| self.incidents.get(i))
    }

    /// The position of the first entity of `kind` with this id.
    fn item(&self, kind: Kind, id: &str) -> Option<usize> {
        self.symbols.get(kind, id).map(|s| s.item)
    }

    /// The review interval of a risk: its own `review_every`, else its level's.
    pub fn review_interval(&self, risk: &Risk) -> Option<Duration> {
        if let Some(every) = &risk.review_every {
            return Some(every.value);
        }
        self.level_of(risk).map(|l| l.review_every)
    }

    /// The level of a risk's current assessment, when it has one on the scales.
    pub fn level_of(&self, risk: &Risk) -> Option<&Level> {
        let (l, c) = risk.current()?;
        self.config
            .criteria
            .level(u32::try_from(l).ok()?, u32::try_from(c).ok()?)
    }
}
