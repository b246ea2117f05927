//! `acceptance-stale` (warning): git shows that an accepted risk's assessed likelihood or
//! consequence changed from one version of its file to the next after `acceptance.date` —
//! what was approved is no longer what is recorded.
//!
//! Versions are the file as it was at each commit on the first-parent line of the revision
//! read (HEAD, or `--at`); a change's date is that commit's committer date (UTC day), the
//! merge commit for a merged branch. It counts when it is after the acceptance day and not
//! after the as-of date. Creating the file does not count, a rename alone does not, and
//! re-dating the acceptance (a new approval) clears it. Open risks with option `accept` only;
//! reported at `acceptance.date`, naming the commits. Needs git: outside a repository the
//! rule does not run.

use super::system_changed_since_review::commit_ref;
use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::git::{ContentChange, Projected, Watch};
use crate::load::yaml;
use crate::model::{Register, Risk, TreatmentOption};
use crate::source::Sources;

fn accepted(r: &Risk) -> bool {
    r.is_open()
        && r.treatment
            .as_ref()
            .and_then(|t| t.option.as_ref())
            .is_some_and(|o| o.value == TreatmentOption::Accept)
}

/// The accepted risks' files, from their acceptance day.
pub fn watches(reg: &Register, sources: &Sources) -> Vec<Watch> {
    reg.risks
        .iter()
        .filter(|r| accepted(r))
        .filter_map(|r| {
            let date = r.acceptance.as_ref()?.date.get()?;
            Some(Watch {
                path: sources.path(r.file).to_string(),
                project: rating,
                identify: crate::load::entity_id,
                after: date.value,
            })
        })
        .collect()
}

/// Likelihood and consequence of a risk's assessment in one version of its file.
type Pair = (Option<i64>, Option<i64>);

/// What this rule compares of a version of a risk file: `assessment.likelihood` and
/// `assessment.consequence`, each when it is a whole number (neither, when the version does
/// not parse or was not read).
fn rating(text: Option<&str>) -> Projected {
    let node = text.and_then(|t| yaml::parse(t).ok());
    let int = |key: &str| match node
        .as_ref()
        .and_then(|n| n.get("assessment"))
        .and_then(|a| a.get(key))
    {
        Some(yaml::Node {
            value: yaml::Value::Int(i),
            ..
        }) => Some(*i),
        _ => None,
    };
    Projected::Values(vec![int("likelihood"), int("consequence")])
}

/// The pair a [`rating`] projection holds.
fn unproject(p: &Projected) -> Option<Pair> {
    match p {
        Projected::Values(v) => Some((*v.first()?, *v.get(1)?)),
        _ => None,
    }
}

fn pair(p: Pair) -> String {
    let v = |x: Option<i64>| x.map_or("?".to_string(), |x| x.to_string());
    format!("likelihood {}, consequence {}", v(p.0), v(p.1))
}

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(git) = cx.git else { return };
    for r in cx.open_risks().filter(|r| accepted(r)) {
        let Some(date) = r.acceptance.as_ref().and_then(|a| a.date.get()) else {
            continue;
        };
        let path = cx.sources.path(r.file);
        let changes: Vec<&ContentChange> = git
            .changes(path)
            .iter()
            .rev()
            .filter(|c| c.commit.day > date.value && c.commit.day <= cx.today)
            .collect();
        let Some(first) = changes.first() else {
            continue;
        };
        let Some(before) = unproject(&first.before) else {
            continue;
        };
        let now = changes.last().and_then(|c| unproject(&c.after));
        let mut d = Diagnostic::new(
            Code::AcceptanceStale,
            date.span,
            format!(
                "the assessment of risk `{}` changed after it was accepted on {}",
                r.id.value, date.value
            ),
        )
        .label(format!(
            "accepted at {}; changed on {} in {}",
            pair(before),
            first.commit.day,
            commit_ref(first)
        ));
        if let (Some(a), Some(now)) = (&r.assessment, now) {
            d = d.with_label(a.span, format!("now {}", pair(now)));
        }
        for c in &changes {
            if let (Some(b), Some(a)) = (unproject(&c.before), unproject(&c.after)) {
                d = d.note(format!(
                    "{} → {} in {} on {} by {}: {}",
                    pair(b),
                    pair(a),
                    c.commit.short,
                    c.commit.day,
                    c.commit.author,
                    crate::text::terminal(&c.commit.summary)
                ));
            }
        }
        out.push(d.help(
            "have the acceptance approved for the current assessment and update `acceptance.date` (and `approved_by`), or change the treatment",
        ));
    }
}
