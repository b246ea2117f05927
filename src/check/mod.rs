//! `check`: the rules over a loaded register. Each rule is a file in `rules/` whose `//!` doc
//! is its user documentation; [`RULES`] lists them. Rules take the [`Ctx`] (the register with
//! its symbol index, the as-of date) and push [`Diagnostic`]s; they never print, read the clock
//! or touch files (except `evidence-not-found`, which asks whether a path exists).
//!
//! The git rules (`system-changed-since-review`, `acceptance-stale`) are rules like the others,
//! listed in [`GIT_RULES`]: they read [`GitFacts`] that the command layer computes in one pass
//! over history (for the files [`git_watches`] names) and puts into the context. Without git
//! facts (a register outside a repository) they do not run.

pub mod rules;
pub mod subject;
pub mod waivers;

use crate::diag::{Code, Diagnostic};
use crate::git::{GitFacts, Watch};
use crate::load::Tree;
use crate::load::taxonomy::Taxonomy;
use crate::model::*;
use crate::source::Sources;
use rayon::prelude::*;

/// What a rule sees.
pub struct Ctx<'a> {
    pub reg: &'a Register,
    pub sources: &'a Sources,
    /// Where the register's files are (the working tree or a revision), for evidence paths.
    pub tree: &'a dyn Tree,
    /// "Today": the as-of date of the run.
    pub today: Date,
    pub taxonomy: &'static Taxonomy,
    /// What git history says about the register's files; `None` outside a repository.
    pub git: Option<&'a GitFacts>,
}

/// A rule: reads the context, pushes findings.
pub type Rule = fn(&Ctx, &mut Vec<Diagnostic>);

/// Every rule that needs no git, with the code it reports.
pub const RULES: &[(Code, Rule)] = &[
    (Code::DuplicateId, rules::duplicate_id::check),
    (Code::UnknownReference, rules::unknown_reference::check),
    (Code::ScoreOutOfRange, rules::score_out_of_range::check),
    (Code::TreatmentRequired, rules::treatment_required::check),
    (
        Code::AcceptanceIncomplete,
        rules::acceptance_incomplete::check,
    ),
    (
        Code::AcceptanceAboveThreshold,
        rules::acceptance_above_threshold::check,
    ),
    (
        Code::TreatmentIncomplete,
        rules::treatment_incomplete::check,
    ),
    (Code::TreatmentOverdue, rules::treatment_overdue::check),
    (Code::EvidenceMissing, rules::evidence_missing::check),
    (Code::EvidenceNotFound, rules::evidence_not_found::check),
    (Code::TargetNotLower, rules::target_not_lower::check),
    (Code::SoaControlMissing, rules::soa_control_missing::check),
    (
        Code::SoaJustificationMissing,
        rules::soa_justification_missing::check,
    ),
    (
        Code::ControlExcludedButUsed,
        rules::control_excluded_but_used::check,
    ),
    (Code::ControlWithoutRisk, rules::control_without_risk::check),
    (
        Code::CategoryNotScreened,
        rules::category_not_screened::check,
    ),
    (Code::AssessmentMissing, rules::assessment_missing::check),
    (Code::AcceptanceExpired, rules::acceptance_expired::check),
    (Code::ReviewOverdue, rules::review_overdue::check),
    (Code::WaiverExpired, rules::waiver_expired::check),
    (Code::MonitoringBreach, rules::monitoring_breach::check),
    (Code::MonitoringStale, rules::monitoring_stale::check),
    (
        Code::EuAiActUnclassified,
        rules::eu_ai_act_unclassified::check,
    ),
    (
        Code::EuAiActInconsistent,
        rules::eu_ai_act_inconsistent::check,
    ),
    (Code::EuAiActProhibited, rules::eu_ai_act_prohibited::check),
    (Code::ObligationNotMet, rules::obligation_not_met::check),
    (Code::FriaMissing, rules::fria_missing::check),
    (
        Code::IncidentReportOverdue,
        rules::incident_report_overdue::check,
    ),
    (Code::DateInFuture, rules::date_in_future::check),
];

/// The rules that read git history, with the code each reports.
pub const GIT_RULES: &[(Code, Rule)] = &[
    (
        Code::SystemChangedSinceReview,
        rules::system_changed_since_review::check,
    ),
    (Code::AcceptanceStale, rules::acceptance_stale::check),
];

/// The files the git rules need the history of, and from which day.
pub fn git_watches(reg: &Register, sources: &Sources) -> Vec<Watch> {
    let mut out = rules::system_changed_since_review::watches(reg, sources);
    out.extend(rules::acceptance_stale::watches(reg, sources));
    out
}

/// Runs every rule that needs no git over the register.
pub fn run(reg: &Register, sources: &Sources, tree: &dyn Tree, today: Date) -> Vec<Diagnostic> {
    run_rules(&Ctx::new(reg, sources, tree, today), RULES)
}

/// Runs every rule, and the git rules over the facts `facts` reads from the history (none:
/// no git rules). The history is read on this thread while the other rules run on the
/// others: the two take about as long at 10,000 risks (docs/performance.md). The findings
/// are those of running the rules, then the git rules, in table order.
pub fn run_reading_git<E>(
    reg: &Register,
    sources: &Sources,
    tree: &dyn Tree,
    today: Date,
    facts: impl FnOnce() -> Result<Option<GitFacts>, E>,
) -> Result<(Vec<Diagnostic>, Option<GitFacts>), E> {
    let cx = Ctx::new(reg, sources, tree, today);
    let (found, facts) = std::thread::scope(|s| {
        let rules = s.spawn(|| run_rules(&cx, RULES));
        let facts = facts();
        (rules.join(), facts)
    });
    let mut found = found.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    let facts = facts?;
    if let Some(f) = &facts {
        let cx = Ctx { git: Some(f), ..cx };
        found.extend(run_rules(&cx, GIT_RULES));
    }
    Ok((found, facts))
}

/// Rules are independent readers of the context: run them on every core, and keep their
/// findings in the order of the table, as one rule after the other would give them.
fn run_rules(cx: &Ctx, rules: &[(Code, Rule)]) -> Vec<Diagnostic> {
    let found: Vec<Vec<Diagnostic>> = rules
        .par_iter()
        .map(|(_, rule)| {
            let mut out = Vec::new();
            rule(cx, &mut out);
            out
        })
        .collect();
    found.concat()
}

impl<'a> Ctx<'a> {
    /// The context of the rules; `git` is set once the history has been read.
    fn new(reg: &'a Register, sources: &'a Sources, tree: &'a dyn Tree, today: Date) -> Ctx<'a> {
        Ctx {
            reg,
            sources,
            tree,
            today,
            taxonomy: Taxonomy::get(),
            git: None,
        }
    }

    /// Open risks: the ones that count for coverage, controls, reviews and decisions.
    pub fn open_risks(&self) -> impl Iterator<Item = &Risk> {
        self.reg.risks.iter().map(|r| &**r).filter(|r| r.is_open())
    }

    /// Every control reference that counts as "using" a control: treatments of open risks
    /// and impacts of assessments. With the id of what uses it.
    pub fn control_uses(&self) -> impl Iterator<Item = (&Sp<String>, &Sp<String>)> {
        let from_risks = self.open_risks().flat_map(|r| {
            r.treatment
                .iter()
                .flat_map(|t| t.controls.iter())
                .map(move |c| (c, &r.id))
        });
        let from_assessments = self.reg.assessments.iter().flat_map(|a| {
            a.impacts
                .iter()
                .flat_map(|i| i.controls.iter())
                .map(move |c| (c, &a.id))
        });
        from_risks.chain(from_assessments)
    }

    /// Whether a date has passed: strictly before the as-of date.
    pub fn passed(&self, date: Date) -> bool {
        date < self.today
    }
}
