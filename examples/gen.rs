#![allow(clippy::print_stderr)] // a command-line generator: it reports on stderr
//! Generates a large, valid register for benchmarks (docs/performance.md):
//!
//! ```text
//! cargo run --release --example gen -- --risks N [--commits M] [--seed S] OUT
//! ```
//!
//! N risks over N/20 systems (each covering all eight categories), N/20 impact assessments
//! (one per system), N/200 incidents, people, evidence, and a full Statement of Applicability
//! whose 38 controls are all used. The risks vary as real ones do: most are mitigated and in
//! progress, some are done with evidence, some accepted (with an acceptance record), some
//! closed; review dates are spread over two months. It checks clean at
//! `--as-of 2026-11-01`, the git rules included.
//!
//! With `--commits M`, OUT is also a git repository whose first-parent history has M
//! commits ending on 2026-10-31, one an hour, built in one `git fast-import` stream with
//! pinned authors and dates: an initial commit adding the register, then changes touching
//! one to three random files (risks mostly, also systems, impact assessments and the SoA),
//! landed as direct commits, squash merges (`(#N)`) or pull-request merges (a branch commit
//! and its merge commit, with `Approved-by` trailers), then packed as `git gc` would pack a
//! repository that grew commit by commit. The history is shaped so that the
//! register stays clean: system files change in content only before the earliest risk
//! review (later edits touch their comments only), and accepted risks' ratings never change
//! after their acceptance — so the git rules walk the history without firing.
//!
//! With `--readings DAYS`, every system has four monitors with ids (`auc`, `psi`, `fpr`,
//! `latency`, read every week) and `monitoring/sys-NNNNN.csv` holds DAYS daily readings of
//! each, ending on 2026-10-31, all within their thresholds (so the register still checks
//! clean): 10,000 risks and `--readings 1826` make 500 systems × 4 monitors × 5 years, 3.65
//! million rows, about 150 MB. The reading files are written into OUT after the history
//! (uncommitted, like a pipeline's pull request before it is merged).
//!
//! The output depends only on the arguments. OUT must not exist.

use chrono::{Days, NaiveDate};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const CATEGORIES: [&str; 8] = [
    "bias-fairness",
    "explainability-transparency",
    "security",
    "privacy",
    "safety",
    "societal",
    "operational",
    "supply-chain",
];

const CONTROLS: [&str; 38] = [
    "A.2.2", "A.2.3", "A.2.4", "A.3.2", "A.3.3", "A.4.2", "A.4.3", "A.4.4", "A.4.5", "A.4.6",
    "A.5.2", "A.5.3", "A.5.4", "A.5.5", "A.6.1.2", "A.6.1.3", "A.6.2.2", "A.6.2.3", "A.6.2.4",
    "A.6.2.5", "A.6.2.6", "A.6.2.7", "A.6.2.8", "A.7.2", "A.7.3", "A.7.4", "A.7.5", "A.7.6",
    "A.8.2", "A.8.3", "A.8.4", "A.8.5", "A.9.2", "A.9.3", "A.9.4", "A.10.2", "A.10.3", "A.10.4",
];

const PEOPLE: [&str; 8] = [
    "ahughes", "dchen", "pnair", "tokafor", "rbauer", "lmartin", "sgreen", "jwalsh",
];

/// The earliest risk review; system files change in content only before it.
const FIRST_REVIEW: (i32, u32, u32) = (2026, 8, 16);
/// Review dates are spread over this many days from [`FIRST_REVIEW`].
const REVIEW_SPREAD: u64 = 61;
/// Accepted risks were accepted on this day, before any generated commit: the
/// `acceptance-stale` rule walks the whole history for them.
const ACCEPTED_ON: &str = "2024-01-15";
/// The last commit's time: 2026-10-31T12:00:00Z.
const LAST_COMMIT: i64 = 1_793_448_000;

/// A small deterministic generator (xorshift64*), so runs are reproducible without a crate.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Args {
    risks: usize,
    commits: usize,
    readings: usize,
    seed: u64,
    out: PathBuf,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        risks: 1000,
        commits: 0,
        readings: 0,
        seed: 42,
        out: PathBuf::new(),
    };
    let mut it = std::env::args().skip(1);
    let mut out = None;
    while let Some(x) = it.next() {
        let mut num = |name: &str| -> Result<u64, String> {
            it.next()
                .and_then(|v| v.parse().ok())
                .ok_or(format!("{name} needs a number"))
        };
        match x.as_str() {
            "--risks" => a.risks = num("--risks")? as usize,
            "--commits" => a.commits = num("--commits")? as usize,
            "--readings" => a.readings = num("--readings")? as usize,
            "--seed" => a.seed = num("--seed")?.max(1),
            "-h" | "--help" => return Err(String::new()),
            other if !other.starts_with('-') && out.is_none() => out = Some(PathBuf::from(other)),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    a.out = out.ok_or("OUT is required")?;
    if a.risks < 20 {
        return Err("--risks must be at least 20".into());
    }
    Ok(a)
}

fn main() {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}");
            }
            eprintln!("usage: gen --risks N [--commits M] [--readings DAYS] [--seed S] OUT");
            std::process::exit(2);
        }
    };
    if a.out.exists() {
        eprintln!("error: `{}` exists; give a new folder", a.out.display());
        std::process::exit(2);
    }
    let started = std::time::Instant::now();
    let mut reg = Register::new(a.risks, a.seed);
    reg.monitors = a.readings > 0;
    let result = if a.commits == 0 {
        write_files(&a.out, &reg.files())
    } else {
        write_repository(&a.out, &mut reg, a.commits, a.seed)
    }
    .and_then(|()| write_readings(&a.out, reg.systems, a.readings, a.seed));
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
    eprintln!(
        "wrote {} files ({} risks, {} commits) to {} in {:.1}s",
        reg.files().len(),
        a.risks,
        a.commits,
        a.out.display(),
        started.elapsed().as_secs_f64()
    );
}

/// One generated risk, as its file is rendered.
struct Risk {
    system: usize,
    likelihood: u64,
    consequence: u64,
    reviewed: NaiveDate,
    kind: RiskKind,
    /// Bumped by every change of the file in the history.
    revision: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RiskKind {
    /// Mitigation in progress, with a target (most risks).
    InProgress,
    /// Mitigation done, with evidence.
    Done,
    /// Accepted, with an acceptance record; its rating never changes.
    Accepted,
    Closed,
}

/// A generated register: its entities, rendered to files on demand (the history changes
/// them one revision at a time).
pub struct Register {
    risks: Vec<Risk>,
    systems: usize,
    /// Per system: (content revision, layout revision).
    system_revisions: Vec<(usize, usize)>,
    assessment_revisions: Vec<usize>,
    soa_revision: usize,
    /// Systems have four monitors with ids (for `--readings`).
    pub monitors: bool,
}

impl Register {
    pub fn new(risks: usize, seed: u64) -> Register {
        let mut rng = Rng::new(seed);
        let systems = (risks / 20).max(1);
        let first_review = NaiveDate::from_ymd_opt(FIRST_REVIEW.0, FIRST_REVIEW.1, FIRST_REVIEW.2)
            .expect("a valid date");
        let risks = (1..=risks)
            .map(|i| {
                let kind = match i {
                    _ if i % 50 == 0 => RiskKind::Closed,
                    _ if i % 25 == 0 => RiskKind::Accepted,
                    _ if i % 10 == 0 => RiskKind::Done,
                    _ => RiskKind::InProgress,
                };
                let (likelihood, consequence) = match kind {
                    // Within the acceptance threshold (8).
                    RiskKind::Accepted => (2, 1 + rng.below(4)),
                    _ => (2 + rng.below(3), 1 + rng.below(3)),
                };
                Risk {
                    system: (i - 1) / 20 % systems,
                    likelihood,
                    consequence,
                    reviewed: first_review + Days::new(rng.below(REVIEW_SPREAD)),
                    kind,
                    revision: 0,
                }
            })
            .collect();
        Register {
            risks,
            systems,
            system_revisions: vec![(0, 0); systems],
            assessment_revisions: vec![0; systems],
            soa_revision: 0,
            monitors: false,
        }
    }

    /// Every file of the register: (path, content), in a stable order.
    pub fn files(&self) -> Vec<(String, String)> {
        let mut files = vec![
            ("airisk.toml".to_string(), CONFIG.to_string()),
            ("people.yaml".to_string(), people()),
            (
                "evidence/test-report.md".to_string(),
                "# Test report\n".to_string(),
            ),
            ("soa.yaml".to_string(), self.soa()),
        ];
        for s in 0..self.systems {
            files.push((system_path(s), self.system(s)));
            files.push((assessment_path(s), self.assessment(s)));
        }
        for i in 1..=self.risks.len() {
            files.push((risk_path(i), self.risk(i)));
        }
        for k in 0..self.systems.div_ceil(10) {
            files.push((
                format!("incidents/INC-{k:05}.yaml"),
                format!(
                    "id: INC-{k:05}\ndate: 2026-05-01\nkind: near-miss\nsystem: sys-{:05}\nrisks: [R-{:06}]\nsummary: Generated near miss {k}\ncorrective_action: {{ plan: Fix it, owner: pnair, due: 2027-03-01, status: in-progress }}\n",
                    k * 10 % self.systems,
                    (k * 200) % self.risks.len() + 1
                ),
            ));
        }
        files
    }

    fn soa(&self) -> String {
        let mut soa = String::from("reviewed: 2026-09-01\napproved_by: ahughes\ncontrols:\n");
        for (n, c) in CONTROLS.iter().enumerate() {
            let _ = writeln!(
                soa,
                "  {c}: {{ applicable: true, status: implemented, justification: \"Needed by the generated risks (decision {n}, revision {})\", evidence: [evidence/test-report.md], owner: dchen }}",
                self.soa_revision
            );
        }
        soa
    }

    fn system(&self, s: usize) -> String {
        let (content, layout) = self.system_revisions[s];
        format!(
            "# Generated system {s}; layout revision {layout}\nid: sys-{s:05}\nname: Generated system {s}\nowner: {owner}\nintended_use: >-\n  Benchmark system {s}, scoring generated cases for the operations team; its\n  output is reviewed by a person before any decision\nmodel_type: proprietary\nprovider: In-house data science\ndata_inputs: [case history, customer profile]\nusers: [operations analysts]\naffected_parties: [customers]\nmodel_version: \"1.{content}\"\nlifecycle: production\nenvironment: production\ncriticality: high\nmonitoring:\n{monitors}",
            owner = PEOPLE[s % PEOPLE.len()],
            monitors = if self.monitors {
                MONITORS
                    .iter()
                    .map(|(id, signal, threshold)| format!("  - id: {id}\n    signal: {signal}\n    metric: generated {id}, daily\n    threshold: \"{threshold}\"\n    every: 1 week\n    owner: {owner}\n", owner = PEOPLE[s % PEOPLE.len()]))
                    .collect::<String>()
            } else {
                format!(
                    "  - signal: performance\n    metric: AUC on the monthly holdout\n    threshold: \">= 0.7\"\n    owner: {owner}\n  - signal: drift\n    metric: population stability index\n    threshold: \"< 0.2\"\n    owner: {owner}\n",
                    owner = PEOPLE[s % PEOPLE.len()]
                )
            }
        )
    }

    fn assessment(&self, s: usize) -> String {
        format!(
            "id: IA-{s:05}\nsystem: sys-{s:05}\nassessor: dchen\ndate: 2026-01-10\nreviewed: 2026-08-10\nimpacts:\n  - affected: customers\n    scope: group\n    area: fairness\n    description: Generated impact on customers (revision {})\n    severity: 3\n    likelihood: 2\n    mitigation: Human review of every decision\n    controls: [{}]\n    risks: [R-{:06}]\n",
            self.assessment_revisions[s],
            CONTROLS[s % CONTROLS.len()],
            (s * 20) % self.risks.len() + 1
        )
    }

    fn risk(&self, i: usize) -> String {
        let r = &self.risks[i - 1];
        let category = CATEGORIES[(i - 1) % CATEGORIES.len()];
        let c1 = CONTROLS[i % CONTROLS.len()];
        let c2 = CONTROLS[(i * 7 + 3) % CONTROLS.len()];
        let owner = PEOPLE[i % PEOPLE.len()];
        let (l, c, system, rev) = (r.likelihood, r.consequence, r.system, r.revision);
        let mut t = format!(
            "id: R-{i:06}\ntitle: Generated risk {i} of system {system}\nsystem: sys-{system:05}\ncategory: {category}\nsources: [C.3.4]\nobjectives: [C.2.5]\nevent: >-\n  The system produces a wrong or unfair outcome for a customer in generated case {i},\n  and nobody notices before the decision takes effect (revision {rev})\ncause: A generated cause, such as drift in the input population\nconsequence: A generated consequence for the customers affected\naffected_parties: [customers]\nowner: {owner}\nassessment:\n  likelihood: {l}\n  consequence: {c}\n  rationale: Generated rating from the last quarterly test\n"
        );
        match r.kind {
            RiskKind::InProgress | RiskKind::Closed => {
                let _ = write!(
                    t,
                    "treatment:\n  option: mitigate\n  plan: Generated plan {i}\n  owner: {owner}\n  due: 2027-06-30\n  status: in-progress\n  controls: [{c1}, {c2}]\n  target: {{ likelihood: 1, consequence: 1 }}\n"
                );
            }
            RiskKind::Done => {
                let _ = write!(
                    t,
                    "treatment:\n  option: mitigate\n  plan: Generated plan {i}\n  owner: {owner}\n  due: 2026-06-30\n  status: done\n  controls: [{c1}, {c2}]\n  evidence: [evidence/test-report.md]\n  target: {{ likelihood: 1, consequence: 1 }}\n"
                );
            }
            RiskKind::Accepted => {
                let _ = write!(
                    t,
                    "treatment:\n  option: accept\nacceptance:\n  rationale: Low score; the cost of treatment outweighs the benefit\n  approved_by: ahughes\n  date: {ACCEPTED_ON}\n  expires: 2027-12-31\n"
                );
            }
        }
        let status = if r.kind == RiskKind::Closed {
            "closed"
        } else {
            "open"
        };
        let _ = write!(t, "reviewed: {}\nstatus: {status}\n", r.reviewed);
        t
    }
}

const CONFIG: &str = r#"[organisation]
name = "Generated Org"
scope = "Benchmark register"

[criteria]
likelihood = ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
consequence = ["Negligible", "Minor", "Moderate", "Major", "Severe"]
acceptance_threshold = 8

[[criteria.levels]]
name = "low"
max = 4
review_every = "12 months"
[[criteria.levels]]
name = "medium"
max = 9
review_every = "6 months"
[[criteria.levels]]
name = "high"
max = 16
review_every = "3 months"
[[criteria.levels]]
name = "critical"
max = 25
review_every = "1 month"
"#;

fn people() -> String {
    let mut people = String::from("people:\n");
    for p in PEOPLE {
        let _ = writeln!(
            people,
            "  {p}: {{ name: Person {p}, email: {p}@example.com, github: gh-{p} }}"
        );
    }
    people
}

fn system_path(s: usize) -> String {
    format!("systems/sys-{s:05}.yaml")
}

fn assessment_path(s: usize) -> String {
    format!("assessments/IA-{s:05}.yaml")
}

/// Risks live in folders of 500, as a large register groups them.
fn risk_path(i: usize) -> String {
    format!("risks/g{:03}/R-{i:06}.yaml", (i - 1) / 500)
}

/// The monitors of a system with `--readings`: id, signal, threshold.
const MONITORS: [(&str, &str, &str); 4] = [
    ("auc", "performance", ">= 0.7"),
    ("psi", "drift", "< 0.2"),
    ("fpr", "fairness", "<= 5%"),
    ("latency", "control-effectiveness", "< 500"),
];

/// `days` daily readings of every monitor of every system, ending 2026-10-31, one file per
/// system; every value within its threshold.
fn write_readings(out: &Path, systems: usize, days: usize, seed: u64) -> Result<(), String> {
    if days == 0 {
        return Ok(());
    }
    let last = NaiveDate::from_ymd_opt(2026, 10, 31).expect("a valid date");
    let first = last - Days::new(days as u64 - 1);
    let dir = out.join("monitoring");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut rng = Rng::new(seed ^ 0x5eed);
    for s in 0..systems {
        let mut text = String::with_capacity(days * 4 * 40 + 64);
        text.push_str("date,system,monitor,value,source,note\n");
        for d in 0..days {
            let day = first + Days::new(d as u64);
            for (id, _, _) in MONITORS {
                let r = rng.below(1000);
                let value = match id {
                    "auc" => format!("0.{}", 720 + r % 200),
                    "psi" => format!("0.{:03}", 10 + r % 150),
                    "fpr" => format!("0.{:03}", 5 + r % 40),
                    _ => format!("{}", 120 + r % 300),
                };
                let _ = writeln!(text, "{day},sys-{s:05},{id},{value},gen,");
            }
        }
        let path = dir.join(format!("sys-{s:05}.csv"));
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

pub fn write_files(out: &Path, files: &[(String, String)]) -> Result<(), String> {
    for (rel, text) in files {
        let path = out.join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).map_err(|e| e.to_string())?;
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// A `git fast-import` stream being written: commits on `main` and pull-request branches.
struct Stream {
    out: Vec<u8>,
    mark: usize,
    /// The mark of main's tip.
    main: usize,
}

impl Stream {
    /// Writes a commit and returns its mark.
    fn commit(
        &mut self,
        branch: &str,
        time: i64,
        who: &str,
        message: &str,
        parents: &[usize],
        changes: &[(String, String)],
    ) -> usize {
        self.mark += 1;
        let o = &mut self.out;
        let _ = write!(
            o,
            "commit refs/heads/{branch}\nmark :{}\nauthor {who} <{who}@example.com> {time} +0000\ncommitter {who} <{who}@example.com> {time} +0000\ndata {}\n{message}\n",
            self.mark,
            message.len()
        );
        if let Some(first) = parents.first() {
            let _ = writeln!(o, "from :{first}");
        }
        for p in &parents[1.min(parents.len())..] {
            let _ = writeln!(o, "merge :{p}");
        }
        for (path, text) in changes {
            let _ = write!(o, "M 100644 inline {path}\ndata {}\n{text}\n", text.len());
        }
        self.mark
    }
}

/// The register plus a first-parent history of `commits` commits (see the module doc).
pub fn write_repository(
    out: &Path,
    reg: &mut Register,
    commits: usize,
    seed: u64,
) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    let git = |args: &[&str]| -> Result<(), String> {
        let s = Command::new("git")
            .args(args)
            .current_dir(out)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .status()
            .map_err(|e| format!("git: {e}"))?;
        s.success()
            .then_some(())
            .ok_or(format!("git {} failed", args.join(" ")))
    };
    git(&["init", "-q", "-b", "main"])?;
    let mut rng = Rng::new(seed ^ 0x9e37_79b9_7f4a_7c15);
    let time = |n: usize| LAST_COMMIT - (commits - 1 - n) as i64 * 3600;
    let last_content_day = NaiveDate::from_ymd_opt(FIRST_REVIEW.0, FIRST_REVIEW.1, FIRST_REVIEW.2)
        .expect("a valid date")
        .pred_opt()
        .expect("a valid date");
    let day = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .expect("a valid time")
            .date_naive()
    };
    let mut s = Stream {
        out: Vec::new(),
        mark: 0,
        main: 0,
    };
    s.main = s.commit(
        "main",
        time(0),
        PEOPLE[0],
        "Initial register",
        &[],
        &reg.files(),
    );
    let mut n = 1;
    let mut pr = 0;
    while n < commits {
        // What changes: one to three random files.
        let mut changes: Vec<(String, String)> = Vec::new();
        let mut subject = Vec::new();
        let content_allowed = day(time(n)) <= last_content_day;
        for _ in 0..1 + rng.below(3) {
            let pick = rng.below(100);
            if pick < 85 {
                let i = 1 + rng.below(reg.risks.len() as u64) as usize;
                let r = &mut reg.risks[i - 1];
                r.revision += 1;
                if r.kind != RiskKind::Accepted {
                    r.likelihood = 2 + rng.below(3);
                    r.consequence = 1 + rng.below(3);
                }
                changes.push((risk_path(i), reg.risk(i)));
                subject.push(format!("R-{i:06}"));
            } else if pick < 93 {
                let k = rng.below(reg.systems as u64) as usize;
                let rev = &mut reg.system_revisions[k];
                if content_allowed {
                    rev.0 += 1;
                } else {
                    rev.1 += 1;
                }
                changes.push((system_path(k), reg.system(k)));
                subject.push(format!("sys-{k:05}"));
            } else if pick < 99 {
                let k = rng.below(reg.systems as u64) as usize;
                reg.assessment_revisions[k] += 1;
                changes.push((assessment_path(k), reg.assessment(k)));
                subject.push(format!("IA-{k:05}"));
            } else {
                reg.soa_revision += 1;
                changes.push(("soa.yaml".to_string(), reg.soa()));
                subject.push("the SoA".to_string());
            }
        }
        changes.sort_by(|a, b| a.0.cmp(&b.0));
        changes.dedup_by(|a, b| a.0 == b.0);
        let who = PEOPLE[rng.below(PEOPLE.len() as u64) as usize];
        let approver = PEOPLE[rng.below(PEOPLE.len() as u64) as usize];
        let summary = format!("Update {}", subject.join(", "));
        pr += 1;
        let style = rng.below(4);
        if style == 0 && n + 1 < commits {
            // A pull request: a branch commit, then its merge on main.
            let branch = s.commit("pr", time(n), who, &summary, &[s.main], &changes);
            let message = format!(
                "Merge pull request #{pr} from generated/change-{pr}\n\n{summary}\n\nApproved-by: Person {approver} <{approver}@example.com>"
            );
            s.main = s.commit(
                "main",
                time(n + 1),
                approver,
                &message,
                &[s.main, branch],
                &changes,
            );
            n += 2;
        } else {
            let message = if style == 1 {
                format!(
                    "{summary} (#{pr})\n\nReviewed-by: Person {approver} <{approver}@example.com>"
                )
            } else {
                summary
            };
            s.main = s.commit("main", time(n), who, &message, &[s.main], &changes);
            n += 1;
        }
    }
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(out)
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| format!("git fast-import: {e}"))?;
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(&s.out)
        .map_err(|e| e.to_string())?;
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("git fast-import failed".into());
    }
    // The pull-request branch is merged: only main remains.
    git(&["update-ref", "-d", "refs/heads/pr"])?;
    // fast-import stores each version as a delta on the one before, so the newest versions
    // sit at the end of long chains; a repository that grew commit by commit (and any clone
    // of it) is packed the other way round by `git gc`. Pack like that.
    git(&["repack", "-a", "-d", "-f", "-q"])?;
    git(&["checkout", "-q", "-f", "main"])
}
