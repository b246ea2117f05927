#![allow(clippy::print_stderr)] // a command-line generator: it reports on stderr
//! Generates a large, valid register for benchmarks:
//!
//! ```text
//! cargo run --release --example gen -- --risks N [--commits M] [--seed S] OUT
//! ```
//!
//! N risks over N/20 systems (each covering all eight categories), one impact assessment per
//! system, incidents, people, and a full Statement of Applicability whose 38 controls are all
//! used. It checks clean at `--as-of 2026-11-01`. With `--commits M`, OUT is also a git
//! repository whose history has M commits changing random risk files (a likelihood, a review
//! date), built in one `git fast-import` stream with pinned authors and dates. The output is
//! the same for the same arguments. OUT must not exist.

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

/// A small deterministic generator (xorshift64*), so runs are reproducible without a crate.
struct Rng(u64);

impl Rng {
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
    seed: u64,
    out: PathBuf,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        risks: 1000,
        commits: 0,
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
            eprintln!("usage: gen --risks N [--commits M] [--seed S] OUT");
            std::process::exit(2);
        }
    };
    if a.out.exists() {
        eprintln!("error: `{}` exists; give a new folder", a.out.display());
        std::process::exit(2);
    }
    let files = register(a.risks, a.seed);
    let started = std::time::Instant::now();
    let result = if a.commits == 0 {
        write_files(&a.out, &files)
    } else {
        write_repository(&a.out, &files, a.commits, a.seed)
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
    eprintln!(
        "wrote {} files ({} risks, {} commits) to {} in {:.1}s",
        files.len(),
        a.risks,
        a.commits,
        a.out.display(),
        started.elapsed().as_secs_f64()
    );
}

/// Every file of the register: (path, content).
fn register(risks: usize, seed: u64) -> Vec<(String, String)> {
    let mut rng = Rng(seed);
    let systems = risks / 20;
    let mut files = Vec::new();
    files.push((
        "airisk.toml".to_string(),
        r#"[organisation]
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
"#
        .to_string(),
    ));
    let mut people = String::from("people:\n");
    for p in PEOPLE {
        let _ = writeln!(people, "  {p}: {{ name: Person {p}, github: gh-{p} }}");
    }
    files.push(("people.yaml".into(), people));
    files.push(("evidence/test-report.md".into(), "# Test report\n".into()));
    let mut soa = String::from("reviewed: 2026-09-01\napproved_by: ahughes\ncontrols:\n");
    for c in CONTROLS {
        let _ = writeln!(
            soa,
            "  {c}: {{ applicable: true, status: implemented, justification: Needed by the generated risks, evidence: [evidence/test-report.md], owner: dchen }}"
        );
    }
    files.push(("soa.yaml".into(), soa));
    for s in 0..systems {
        files.push((
            format!("systems/sys-{s:05}.yaml"),
            format!(
                "id: sys-{s:05}\nname: Generated system {s}\nowner: {}\nintended_use: Benchmark system {s}\nmodel_type: proprietary\nlifecycle: production\ncriticality: high\nmonitoring:\n  - signal: performance\n    metric: AUC\n    threshold: \">= 0.7\"\n",
                PEOPLE[s % PEOPLE.len()]
            ),
        ));
        files.push((
            format!("assessments/IA-{s:05}.yaml"),
            format!(
                "id: IA-{s:05}\nsystem: sys-{s:05}\nassessor: dchen\ndate: 2026-01-10\nreviewed: 2026-08-10\nimpacts:\n  - affected: customers\n    scope: group\n    area: fairness\n    description: Generated impact\n    severity: 3\n    likelihood: 2\n    controls: [{}]\n    risks: [R-{:06}]\n",
                CONTROLS[s % CONTROLS.len()],
                s * 20 + 1
            ),
        ));
    }
    for i in 1..=risks {
        let system = (i - 1) / 20 % systems.max(1);
        let l = 2 + rng.below(3);
        let c = 1 + rng.below(3);
        let folder = format!("g{:03}", (i - 1) / 500);
        files.push((
            format!("risks/{folder}/R-{i:06}.yaml"),
            risk(i, system, l, c, "2026-09-15"),
        ));
    }
    for k in 0..systems.div_ceil(10) {
        files.push((
            format!("incidents/INC-{k:05}.yaml"),
            format!(
                "id: INC-{k:05}\ndate: 2026-05-01\nkind: near-miss\nsystem: sys-{:05}\nrisks: [R-{:06}]\nsummary: Generated near miss\ncorrective_action: {{ plan: Fix it, owner: pnair, due: 2027-03-01, status: in-progress }}\n",
                k * 10 % systems.max(1),
                k * 200 + 1
            ),
        ));
    }
    files
}

fn risk(i: usize, system: usize, l: u64, c: u64, reviewed: &str) -> String {
    let category = CATEGORIES[(i - 1) % CATEGORIES.len()];
    let c1 = CONTROLS[i % CONTROLS.len()];
    let c2 = CONTROLS[(i * 7 + 3) % CONTROLS.len()];
    let owner = PEOPLE[i % PEOPLE.len()];
    format!(
        "id: R-{i:06}\ntitle: Generated risk {i} of system {system}\nsystem: sys-{system:05}\ncategory: {category}\nsources: [C.3.4]\nobjectives: [C.2.5]\nevent: Something goes wrong in case {i}\ncause: A generated cause\nconsequence: A generated consequence\naffected_parties: [customers]\nowner: {owner}\nassessment:\n  likelihood: {l}\n  consequence: {c}\n  rationale: Generated rating\ntreatment:\n  option: mitigate\n  plan: Generated plan {i}\n  owner: {owner}\n  due: 2027-06-30\n  status: in-progress\n  controls: [{c1}, {c2}]\n  target: {{ likelihood: 1, consequence: 1 }}\nreviewed: {reviewed}\nstatus: open\n"
    )
}

fn write_files(out: &Path, files: &[(String, String)]) -> Result<(), String> {
    for (rel, text) in files {
        let path = out.join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).map_err(|e| e.to_string())?;
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// The register plus a history of `commits` commits, each changing one random risk.
fn write_repository(
    out: &Path,
    files: &[(String, String)],
    commits: usize,
    seed: u64,
) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    let git = |args: &[&str]| -> Result<(), String> {
        let s = Command::new("git")
            .args(args)
            .current_dir(out)
            .status()
            .map_err(|e| format!("git: {e}"))?;
        s.success()
            .then_some(())
            .ok_or(format!("git {} failed", args.join(" ")))
    };
    git(&["init", "-q", "-b", "main"])?;
    let mut stream = Vec::new();
    let mut rng = Rng(seed ^ 0x9e37_79b9_7f4a_7c15);
    let base_time: u64 = 1_700_000_000;
    let risk_files: Vec<usize> = files
        .iter()
        .enumerate()
        .filter(|(_, (p, _))| p.starts_with("risks/"))
        .map(|(i, _)| i)
        .collect();
    // The first commit adds everything.
    let mut mark = 0;
    let mut commit = |stream: &mut Vec<u8>, n: usize, message: &str, changes: &[(&str, &str)]| {
        mark += 1;
        let t = base_time + n as u64 * 3600;
        let who = PEOPLE[n % PEOPLE.len()];
        let _ = write!(
            stream,
            "commit refs/heads/main\nmark :{mark}\nauthor {who} <{who}@example.com> {t} +0000\ncommitter {who} <{who}@example.com> {t} +0000\ndata {}\n{message}\n",
            message.len()
        );
        if n > 0 {
            let _ = writeln!(stream, "from :{}", mark - 1);
        }
        for (path, text) in changes {
            let _ = write!(
                stream,
                "M 100644 inline {path}\ndata {}\n{text}\n",
                text.len()
            );
        }
    };
    let all: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    commit(&mut stream, 0, "Initial register", &all);
    for n in 1..commits {
        let idx = risk_files[rng.below(risk_files.len() as u64) as usize];
        let path = &files[idx].0;
        let i: usize = path
            .rsplit("R-")
            .next()
            .and_then(|s| s.trim_end_matches(".yaml").parse().ok())
            .unwrap_or(1);
        let system = (i - 1) / 20
            % (files
                .iter()
                .filter(|(p, _)| p.starts_with("systems/"))
                .count()
                .max(1));
        let text = risk(i, system, 2 + rng.below(3), 1 + rng.below(3), "2026-09-15");
        let message = if n % 5 == 0 {
            format!("Reassess R-{i:06} (#{n})")
        } else {
            format!(
                "Reassess R-{i:06}\n\nReviewed-by: {}",
                PEOPLE[n % PEOPLE.len()]
            )
        };
        commit(&mut stream, n, &message, &[(path.as_str(), text.as_str())]);
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
        .write_all(&stream)
        .map_err(|e| e.to_string())?;
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("git fast-import failed".into());
    }
    git(&["checkout", "-q", "-f", "main"])
}
