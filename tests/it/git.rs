//! Git is the record: provenance, document control, `--at`, `history`, `diff`, `codeowners`
//! and the git rules, on throwaway repositories built here with the `git` CLI, pinned
//! authors, committers and dates (so commit ids are stable), and no user configuration.
//!
//! The git rules (`system-changed-since-review`, `acceptance-stale`) are tested here rather
//! than in `tests/rules/` (plain folders without history): each has a test named after it
//! that fires and tests that do not (rules.rs checks they exist).

use crate::support::{GitSource, Outcome, check_tree_git, copy_dir, date, findings, root};
use airisk::git::{Repo, Wants};
use airisk::load::WorkTree;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A repository in a temporary folder; commits are dated with [`Git::date`]. Shared with
/// `report.rs`.
pub(crate) struct Git {
    dir: tempfile::TempDir,
    date: std::cell::RefCell<String>,
}

const AUTHOR: (&str, &str) = ("Jane Doe", "jane@example.com");
/// The committer of GitHub's web merges (trusted by default).
pub(crate) const GITHUB: (&str, &str) = ("GitHub", "noreply@github.com");

impl Git {
    pub(crate) fn init() -> Git {
        let g = Git {
            dir: tempfile::tempdir().expect("tempdir"),
            date: std::cell::RefCell::new("2026-09-01T10:00:00+00:00".into()),
        };
        g.git(&["init", "-q", "-b", "main"]);
        g
    }

    pub(crate) fn path(&self) -> PathBuf {
        self.dir.path().canonicalize().expect("canonical temp dir")
    }

    /// Sets the author and committer date of the next commits.
    pub(crate) fn date(&self, d: &str) -> &Self {
        *self.date.borrow_mut() = format!("{d}T10:00:00+00:00");
        self
    }

    fn cmd(&self, dir: &Path, args: &[&str]) -> Command {
        let mut c = Command::new("git");
        let d = self.date.borrow().clone();
        c.current_dir(dir)
            .args(["-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"])
            .args(args)
            .env("HOME", self.dir.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", AUTHOR.0)
            .env("GIT_AUTHOR_EMAIL", AUTHOR.1)
            .env("GIT_COMMITTER_NAME", AUTHOR.0)
            .env("GIT_COMMITTER_EMAIL", AUTHOR.1)
            .env("GIT_AUTHOR_DATE", &d)
            .env("GIT_COMMITTER_DATE", &d);
        c
    }

    pub(crate) fn git(&self, args: &[&str]) -> String {
        let out = self.cmd(&self.path(), args).output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Commits everything as `author` (name, email).
    pub(crate) fn commit_as(&self, author: (&str, &str), msg: &str) -> String {
        self.commit_by(author, AUTHOR, msg)
    }

    /// Commits everything as `author`, committed by `committer`.
    pub(crate) fn commit_by(
        &self,
        author: (&str, &str),
        committer: (&str, &str),
        msg: &str,
    ) -> String {
        self.git(&["add", "-A"]);
        let mut c = self.cmd(&self.path(), &["commit", "-q", "--allow-empty", "-m", msg]);
        c.env("GIT_AUTHOR_NAME", author.0)
            .env("GIT_AUTHOR_EMAIL", author.1)
            .env("GIT_COMMITTER_NAME", committer.0)
            .env("GIT_COMMITTER_EMAIL", committer.1);
        let out = c.output().expect("git commit");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.git(&["rev-parse", "--short=7", "HEAD"])
    }

    pub(crate) fn commit(&self, msg: &str) -> String {
        self.commit_as(AUTHOR, msg)
    }

    /// Merges `branch` into the current branch with a merge commit.
    pub(crate) fn merge(&self, branch: &str, msg: &str) -> String {
        self.git(&["merge", "-q", "--no-ff", "-m", msg, branch]);
        self.git(&["rev-parse", "--short=7", "HEAD"])
    }

    /// Merges `branch` with a merge commit by `author`, committed by `committer`: GitHub's
    /// merge button is `merge_by(branch, msg, merger, GITHUB)`.
    pub(crate) fn merge_by(
        &self,
        branch: &str,
        msg: &str,
        author: (&str, &str),
        committer: (&str, &str),
    ) -> String {
        let mut c = self.cmd(&self.path(), &["merge", "-q", "--no-ff", "-m", msg, branch]);
        c.env("GIT_AUTHOR_NAME", author.0)
            .env("GIT_AUTHOR_EMAIL", author.1)
            .env("GIT_COMMITTER_NAME", committer.0)
            .env("GIT_COMMITTER_EMAIL", committer.1);
        let out = c.output().expect("git merge");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.git(&["rev-parse", "--short=7", "HEAD"])
    }

    pub(crate) fn write(&self, rel: &str, text: &str) {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    pub(crate) fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).expect("read")
    }

    /// Replaces `from` (which must occur) by `to` in a file.
    pub(crate) fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} has no `{from}`");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// The base register (clean) into `dir`.
    pub(crate) fn base(&self, dir: &str) {
        copy_dir(&root().join("tests/fixtures/base"), &self.path().join(dir));
    }
}

/// Runs the airisk binary: (exit code, stdout, stderr).
pub(crate) fn airisk(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_airisk"))
        .current_dir(cwd)
        .args(args)
        .env("NO_COLOR", "1")
        .env("HOME", cwd)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("airisk runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn source(dir: &Path) -> GitSource {
    let repo = Repo::discover(dir).expect("opens").expect("a repository");
    let rev = repo.head().expect("HEAD");
    let prefix = repo.relative(dir).expect("inside");
    GitSource { repo, rev, prefix }
}

/// `check` of the register at `dir` (working tree over HEAD), git rules included.
pub(crate) fn check(dir: &Path, as_of: &str) -> Outcome {
    let src = source(dir);
    check_tree_git(&WorkTree::new(dir), dir, date(as_of), false, Some(&src)).expect("checks")
}

fn codes(o: &Outcome) -> Vec<String> {
    findings(o).into_iter().map(|f| f.0).collect()
}

/// The default trusted committers.
pub(crate) fn trusted() -> Vec<airisk::model::Identity> {
    vec![airisk::model::Identity::new(GITHUB.0, GITHUB.1)]
}

pub(crate) fn history(dir: &Path) -> airisk::git::History {
    let src = source(dir);
    let wants = Wants {
        provenance: true,
        document: true,
        watches: vec![],
    };
    src.history(&wants).expect("history")
}

// ---------------------------------------------------------------- outside git

#[test]
fn outside_a_repository_git_features_say_so_and_the_rest_works() {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/base"), tmp.path());
    let dir = tmp.path();
    let (code, out, _) = airisk(dir, &["check", "--as-of", "2026-11-01"]);
    assert_eq!(code, 0, "{out}");
    for args in [
        vec!["history", "R-001"],
        vec!["diff"],
        vec!["codeowners"],
        vec!["--at", "HEAD", "check"],
    ] {
        let (code, out, err) = airisk(dir, &args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(
            err.contains("is not inside a git repository"),
            "{args:?}: {err}"
        );
    }
    assert!(Repo::discover(dir).expect("no error").is_none());
}

#[test]
fn a_repository_without_commits_has_no_history_yet() {
    let g = Git::init();
    g.base("reg");
    let reg = g.path().join("reg");
    let (code, out, _) = airisk(&reg, &["check", "--as-of", "2026-11-01"]);
    assert_eq!(code, 0, "{out}");
    let (code, _, err) = airisk(&reg, &["history", "R-001"]);
    assert_eq!(code, 2);
    assert!(err.contains("the repository has no commit yet"), "{err}");
}

// ---------------------------------------------------------------- provenance

/// reg/ in a subfolder: a direct commit, a pull request merged with GitHub's button (by Alex,
/// committed by GitHub) with an Approved-by trailer, a GitHub squash merge `(#34)` with
/// Reviewed-by, and a later commit outside the register.
fn approvals_repo() -> (Git, [String; 5]) {
    let g = Git::init();
    g.base("compliance/ai");
    g.write("README.md", "policy repo\n");
    let initial = g.date("2026-09-01").commit("Add the AI risk register");
    g.git(&["checkout", "-q", "-b", "raise-r1"]);
    g.edit(
        "compliance/ai/risks/R-001.yaml",
        "likelihood: 3",
        "likelihood: 4",
    );
    let branch = g.date("2026-09-20").commit_as(
        ("Mo Khan", "mo@example.com"),
        "Raise R-001 after the Q3 test",
    );
    g.git(&["checkout", "-q", "main"]);
    let merge = g.date("2026-09-22").merge_by(
        "raise-r1",
        "Merge pull request #12 from acme/raise-r1\n\nRaise R-001\n\nApproved-by: Alex Smith <alex@example.com>",
        ("Alex Smith", "alex@example.com"),
        GITHUB,
    );
    g.edit(
        "compliance/ai/risks/R-002.yaml",
        "likelihood: 2",
        "likelihood: 1",
    );
    let squash = g.date("2026-09-25").commit_by(
        AUTHOR,
        GITHUB,
        "Lower R-002 after DPA review (#34)\n\nReviewed-by: Bea Jones <bea@example.com>",
    );
    g.write("README.md", "policy repo, updated\n");
    let outside = g.date("2026-09-30").commit("Update the README");
    (g, [initial, branch, merge, squash, outside])
}

#[test]
fn provenance_names_the_author_commit_the_pull_request_and_the_approval() {
    let (g, [initial, branch, merge, squash, outside]) = approvals_repo();
    let reg = g.path().join("compliance/ai");
    let h = history(&reg);

    // Merged pull request: the branch commit, brought by the merge, with its approval.
    let c = h.last_change("risks/R-001.yaml").expect("R-001");
    assert_eq!(c.commit.short, branch);
    assert_eq!(c.commit.author, "Mo Khan");
    assert_eq!(
        c.landed.as_ref().map(|l| l.short.as_str()),
        Some(merge.as_str())
    );
    assert_eq!(c.landed_commit().day.to_string(), "2026-09-22");
    assert_eq!(c.pr, Some(airisk::model::PullRequest::github(12)));
    let a = c.approvals(&trusted());
    assert_eq!(a.approved_by, ["Alex Smith <alex@example.com>"]);
    assert_eq!(
        a.merged_by.as_deref(),
        Some("Alex Smith <alex@example.com>")
    );

    // Squash merge: the commit is on the first-parent line itself.
    let c = h.last_change("risks/R-002.yaml").expect("R-002");
    assert_eq!(c.commit.short, squash);
    assert!(c.landed.is_none());
    assert_eq!(c.pr, Some(airisk::model::PullRequest::github(34)));
    let a = c.approvals(&trusted());
    assert_eq!(a.reviewed_by, ["Bea Jones <bea@example.com>"]);
    assert!(a.approved_by.is_empty() && a.claimed.is_empty());

    // Untouched since it was added: a direct commit, no pull request.
    let c = h.last_change("risks/R-003.yaml").expect("R-003");
    assert_eq!(c.commit.short, initial);
    assert_eq!(c.pr, None);
    assert!(h.last_change("airisk.toml").is_some());
    assert!(h.unresolved.is_empty());

    // Document control: rendered from HEAD (outside the register); the register's version is
    // the squash commit, whose pull request is recorded.
    let dc = h.document_control(&trusted());
    assert_eq!(dc.short, outside);
    assert_eq!(dc.author, "Jane Doe <jane@example.com>");
    assert_eq!(dc.day.to_string(), "2026-09-30");
    assert_eq!(dc.pr, Some(airisk::model::PullRequest::github(34)));
    assert_eq!(dc.approver, None);
    assert!(!dc.draft);
    assert!(!dc.truncated);
}

#[test]
fn document_control_takes_the_approver_of_the_merge() {
    let (g, [.., merge, _, _]) = approvals_repo();
    g.git(&["checkout", "-q", "--detach", &merge]);
    let dc = history(&g.path().join("compliance/ai")).document_control(&trusted());
    assert_eq!(dc.short, merge);
    assert_eq!(dc.pr, Some(airisk::model::PullRequest::github(12)));
    assert_eq!(
        dc.approver.as_deref(),
        Some("Alex Smith <alex@example.com>")
    );
}

#[test]
fn detached_head_reads_the_checked_out_commit() {
    let (g, [initial, ..]) = approvals_repo();
    g.git(&["checkout", "-q", "--detach", &initial]);
    let reg = g.path().join("compliance/ai");
    let src = source(&reg);
    assert!(src.repo.is_detached().expect("head"));
    let h = history(&reg);
    assert_eq!(h.rev.short, initial);
    assert_eq!(
        h.last_change("risks/R-001.yaml")
            .map(|c| c.commit.short.clone()),
        Some(initial)
    );
    let (code, out, err) = airisk(&reg, &["history", "R-001"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Add the AI risk register"), "{out}");
    assert!(!out.contains("Raise R-001"), "{out}");
}

#[test]
fn uncommitted_and_untracked_files_make_a_draft() {
    let (g, _) = approvals_repo();
    let reg = g.path().join("compliance/ai");
    assert!(!history(&reg).document_control(&trusted()).draft);
    g.edit(
        "compliance/ai/risks/R-003.yaml",
        "likelihood: 3",
        "likelihood: 4",
    );
    g.write("compliance/ai/risks/R-009.yaml", "id: R-009\n");
    g.write("elsewhere.txt", "not in the register\n");
    let dc = history(&reg).document_control(&trusted());
    assert!(dc.draft);
    assert_eq!(dc.uncommitted, ["risks/R-003.yaml", "risks/R-009.yaml"]);
    // Ignored files do not count.
    g.git(&["checkout", "-q", "--", "."]);
    std::fs::remove_file(reg.join("risks/R-009.yaml")).expect("rm");
    g.write(".gitignore", "*.tmp\n");
    g.commit("Ignore temporary files");
    g.write("compliance/ai/out.tmp", "x");
    assert!(!history(&reg).document_control(&trusted()).draft);
    // A staged change counts.
    g.edit("compliance/ai/people.yaml", "Alex Smith", "Alexandra Smith");
    g.git(&["add", "compliance/ai/people.yaml"]);
    assert_eq!(
        history(&reg).document_control(&trusted()).uncommitted,
        ["people.yaml"]
    );
}

// ---------------------------------------------------------------- history

#[test]
fn history_lists_commits_with_pull_requests_trailers_and_field_changes() {
    let (g, [initial, branch, merge, ..]) = approvals_repo();
    let reg = g.path().join("compliance/ai");
    g.edit(
        "compliance/ai/risks/R-001.yaml",
        "consequence: 2\n  rationale",
        "consequence: 3\n  rationale",
    );
    g.edit(
        "compliance/ai/risks/R-001.yaml",
        "status: in-progress",
        "status: done",
    );
    g.date("2026-10-03")
        .commit("Q3 fairness test done; raise consequence (#40)");
    let (code, out, err) = airisk(&reg, &["history", "R-001"]);
    assert_eq!(code, 0, "{err}");
    let squash = g.git(&["rev-parse", "--short=7", "HEAD"]);
    let expected = format!(
        "history of risk `R-001` (risks/R-001.yaml), newest first

{squash}  2026-10-03  Jane Doe <jane@example.com>  PR #40
    Q3 fairness test done; raise consequence (#40)
    assessment.consequence: 2 → 3
    treatment.status: in-progress → done
    score 8 → 12 ↑
    level medium → high ↑
    now above the acceptance threshold (8)

{branch}  2026-09-20  Mo Khan <mo@example.com>  PR #12
    Raise R-001 after the Q3 test
    merged in {merge} on 2026-09-22: Merge pull request #12 from acme/raise-r1
    approved by: Alex Smith <alex@example.com>
    assessment.likelihood: 3 → 4
    score 6 → 8 ↑

{initial}  2026-09-01  Jane Doe <jane@example.com>
    Add the AI risk register
    created: score 6 (medium)
"
    );
    assert_eq!(out, expected);

    let (_, json, _) = airisk(&reg, &["history", "R-001", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["entity"]["file"], "risks/R-001.yaml");
    assert_eq!(v["commits"][1]["pr"], 12);
    assert_eq!(v["commits"][1]["merge"]["short"], merge.as_str());
    assert_eq!(
        v["commits"][1]["approved_by"][0],
        "Alex Smith <alex@example.com>"
    );
    assert_eq!(
        v["commits"][0]["fields"][0]["field"],
        "assessment.consequence"
    );
    assert_eq!(v["commits"][0]["risk"]["after"]["level"], "high");
    assert_eq!(v["commits"][2]["created"], true);

    let (_, md, _) = airisk(&reg, &["history", "R-001", "--format", "markdown"]);
    assert!(md.contains(&format!("| `{branch}` | 2026-09-20 | Mo Khan | #12 | Alex Smith &lt;alex@&#8203;example.com&gt; | Raise R-001 after the Q3 test |")), "{md}");
    assert!(md.contains("| `assessment.likelihood` | 3 | 4 |"), "{md}");

    let (code, _, err) = airisk(&reg, &["history", "R-01"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `R-001`?"), "{err}");
}

#[test]
fn history_follows_renames_and_notes_uncommitted_changes() {
    let g = Git::init();
    g.base("reg");
    let first = g.date("2026-09-01").commit("Add the register");
    std::fs::create_dir_all(g.path().join("reg/risks/ops")).expect("mkdir");
    g.git(&["mv", "reg/risks/R-003.yaml", "reg/risks/ops/R-003.yaml"]);
    let moved = g
        .date("2026-09-05")
        .commit("File operational risks under ops/");
    // A rename with an edit in the same commit is still followed (same entity id).
    let text = g
        .read("reg/risks/ops/R-003.yaml")
        .replace("likelihood: 3", "likelihood: 2");
    std::fs::remove_file(g.path().join("reg/risks/ops/R-003.yaml")).expect("rm");
    g.write("reg/risks/ops/provider.yaml", &text);
    let both = g.date("2026-09-06").commit("Rename and lower R-003");
    g.edit(
        "reg/risks/ops/provider.yaml",
        "owner: bjones\nassessment",
        "owner: asmith\nassessment",
    );
    let reg = g.path().join("reg");
    let (code, out, err) = airisk(&reg, &["history", "R-003"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("the working tree has uncommitted changes to this file"),
        "{out}"
    );
    let shown: Vec<&str> = out
        .lines()
        .filter(|l| {
            l.len() > 7 && l[..7].bytes().all(|b| b.is_ascii_hexdigit()) && l.as_bytes()[7] == b' '
        })
        .map(|l| &l[..7])
        .collect();
    assert_eq!(
        shown,
        [both.as_str(), moved.as_str(), first.as_str()],
        "{out}"
    );
    assert!(out.contains("renamed from `risks/ops/R-003.yaml`"), "{out}");
    assert!(out.contains("renamed from `risks/R-003.yaml`"), "{out}");
    assert!(out.contains("assessment.likelihood: 3 → 2"), "{out}");
}

// ---------------------------------------------------------------- --at

#[test]
fn at_a_tag_reproduces_an_old_check_result() {
    let g = Git::init();
    g.base("reg");
    g.edit(
        "reg/risks/R-002.yaml",
        "system: ticket-triage",
        "system: ticket-triag",
    );
    g.date("2026-09-01").commit("Add the register");
    g.git(&["tag", "v1.0"]);
    g.edit(
        "reg/risks/R-002.yaml",
        "system: ticket-triag",
        "system: ticket-triage",
    );
    g.date("2026-10-01").commit("Fix the system of R-002");
    let reg = g.path().join("reg");

    let (code, out, _) = airisk(&reg, &["check", "--as-of", "2026-11-01"]);
    assert_eq!(
        (code, out.as_str()),
        (0, "0 errors, 0 warnings in 7 files\n")
    );
    for rev in ["v1.0", "main@{2026-09-15}", "HEAD~1"] {
        let (code, out, err) = airisk(&reg, &["--at", rev, "check", "--as-of", "2026-11-01"]);
        assert_eq!(code, 1, "{rev}: {err}");
        assert!(
            out.contains("unknown system `ticket-triag`"),
            "{rev}: {out}"
        );
        assert!(out.contains("--> risks/R-002.yaml:3:9"), "{rev}: {out}");
    }
    // From the repository's root, and with -C naming the folder.
    let (code, _, err) = airisk(
        &g.path(),
        &[
            "--at",
            "v1.0",
            "-C",
            "reg",
            "check",
            "--as-of",
            "2026-11-01",
        ],
    );
    assert_eq!(code, 1, "{err}");
    // The day after the fix, the date form reads the fixed register.
    let (code, ..) = airisk(
        &reg,
        &[
            "--at",
            "main@{2026-10-01}",
            "check",
            "--as-of",
            "2026-11-01",
        ],
    );
    assert_eq!(code, 0);
    // A register folder removed since still reads at the old revision.
    g.git(&["rm", "-q", "-r", "reg"]);
    g.date("2026-10-02").commit("Move the register out");
    let (code, _, err) = airisk(
        &g.path(),
        &[
            "--at",
            "v1.0",
            "-C",
            "reg",
            "check",
            "--as-of",
            "2026-11-01",
        ],
    );
    assert_eq!(code, 1, "{err}");
}

#[test]
fn at_reads_an_infosec_register_beside_the_register() {
    let g = Git::init();
    g.base("reg");
    let config = g.read("reg/airisk.toml");
    g.write(
        "reg/airisk.toml",
        &format!("{config}\n[infosec]\nregister = \"../isms/risks.csv\"\nid_column = \"id\"\n"),
    );
    g.write(
        "isms/risks.csv",
        "id,title\nISR-104,Email data leaves the EU\n",
    );
    g.edit(
        "reg/risks/R-002.yaml",
        "reviewed: 2026-09-15",
        "infosec_refs: [ISR-104]\nreviewed: 2026-09-15",
    );
    g.date("2026-09-01")
        .commit("Link R-002 to the ISMS register");
    // The working tree drops the entry; the revision still has it.
    g.write("isms/risks.csv", "id,title\n");
    let reg = g.path().join("reg");
    assert_eq!(codes(&check(&reg, "2026-11-01")), ["unknown-reference"]);
    let (code, out, err) = airisk(&reg, &["--at", "HEAD", "check", "--as-of", "2026-11-01"]);
    assert_eq!(
        (code, out.as_str()),
        (0, "0 errors, 0 warnings in 8 files\n"),
        "{err}"
    );
}

#[test]
fn at_renders_with_the_templates_of_that_revision() {
    let g = Git::init();
    g.base("reg");
    g.write("reg/templates/soa.md", "Committed SoA template\n");
    g.date("2026-09-01").commit("Add a SoA template");
    // The working tree changes the template and adds one the revision does not have.
    g.write("reg/templates/soa.md", "Working-tree SoA template\n");
    g.write("reg/templates/due.md", "Working-tree due template\n");
    let reg = g.path().join("reg");
    let (code, out, err) = airisk(
        &reg,
        &["soa", "--format", "markdown", "--as-of", "2026-11-01"],
    );
    assert_eq!(
        (code, out.as_str()),
        (0, "Working-tree SoA template\n"),
        "{err}"
    );
    let (code, out, err) = airisk(
        &reg,
        &[
            "--at",
            "HEAD",
            "soa",
            "--format",
            "markdown",
            "--as-of",
            "2026-11-01",
        ],
    );
    assert_eq!(
        (code, out.as_str()),
        (0, "Committed SoA template\n"),
        "{err}"
    );
    // A template only the working tree has is not used at the revision: the built-in one is.
    let (code, out, err) = airisk(
        &reg,
        &[
            "--at",
            "HEAD",
            "due",
            "--format",
            "markdown",
            "--as-of",
            "2026-11-01",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("Working-tree"), "{out}");
}

#[test]
fn an_unknown_revision_is_exit_2() {
    let g = Git::init();
    g.base("reg");
    g.date("2026-09-01").commit("Add the register");
    let reg = g.path().join("reg");
    let (code, _, err) = airisk(&reg, &["--at", "v9.9", "check"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: no revision named `v9.9` in this repository"),
        "{err}"
    );
    let (code, _, err) = airisk(&reg, &["--at", "main@{2020-01-01}", "check"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("has no commit on or before 2020-01-01"),
        "{err}"
    );
    let (code, _, err) = airisk(&reg, &["diff", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("no revision named `nope`"), "{err}");
}

// ---------------------------------------------------------------- shallow clones

#[test]
fn a_shallow_clone_says_history_is_truncated() {
    let (g, _) = approvals_repo();
    let clone = tempfile::tempdir().expect("tempdir");
    let url = format!("file://{}", g.path().display());
    let target = clone.path().join("c");
    g.git(&[
        "clone",
        "-q",
        "--depth",
        "1",
        &url,
        &target.display().to_string(),
    ]);
    let reg = target.join("compliance/ai");

    let h = history(&reg);
    assert!(h.truncated);
    // Nothing in the register changed in the one commit there is: nothing is known, and
    // nothing is attributed to the boundary commit.
    assert_eq!(h.changes().count(), 0);
    assert!(h.unresolved.contains(&"risks/R-001.yaml".to_string()));
    assert!(h.document_control(&trusted()).truncated);

    let (code, out, _) = airisk(&reg, &["history", "R-001"]);
    assert_eq!(code, 0);
    assert!(!out.contains("no commit has this file yet"), "{out}");
    assert!(
        out.contains("history truncated: this is a shallow clone"),
        "{out}"
    );
    assert!(out.contains("fetch-depth: 0"), "{out}");

    // The git rules cannot tell: check says so on stderr.
    let (code, _, err) = airisk(&reg, &["check", "--as-of", "2026-11-01"]);
    assert_eq!(code, 0);
    assert!(
        err.contains("the history of this clone is truncated"),
        "{err}"
    );
    assert!(err.contains("GIT_DEPTH: 0"), "{err}");
}

// ---------------------------------------------------------------- the git rules

/// The base register committed on 2026-09-01 (reviews and the acceptance of R-003 are dated
/// 2026-09-15).
fn rules_repo() -> Git {
    let g = Git::init();
    g.base("reg");
    g.date("2026-09-01").commit("Add the register");
    g
}

#[test]
fn system_changed_since_review_fires_after_a_merged_change() {
    let g = rules_repo();
    g.git(&["checkout", "-q", "-b", "prompt-v4"]);
    g.edit(
        "reg/systems/ticket-triage.yaml",
        "2026-06 prompt v3",
        "2026-10 prompt v4",
    );
    g.date("2026-09-30").commit("Prompt v4");
    g.git(&["checkout", "-q", "main"]);
    let merge = g
        .date("2026-10-02")
        .merge("prompt-v4", "Merge pull request #12 from acme/prompt-v4");
    let reg = g.path().join("reg");
    let o = check(&reg, "2026-11-01");
    assert_eq!(
        findings(&o),
        [
            (
                "system-changed-since-review".into(),
                "risks/R-001.yaml".into(),
                26,
                11
            ),
            (
                "system-changed-since-review".into(),
                "risks/R-002.yaml".into(),
                25,
                11
            ),
            (
                "system-changed-since-review".into(),
                "risks/R-003.yaml".into(),
                29,
                11
            ),
        ]
    );
    let d = &o.diagnostics[0];
    assert_eq!(
        d.message,
        "system `ticket-triage` changed after risk `R-001` was last reviewed"
    );
    // The change's date is the merge's, and the finding names the merge and its PR.
    assert_eq!(
        d.primary.message,
        format!(
            "reviewed 2026-09-15; `systems/ticket-triage.yaml` changed on 2026-10-02 in {merge} (PR #12)"
        )
    );
    assert!(d.notes[0].contains(&merge), "{:?}", d.notes);

    // Not after the as-of date: the change has not happened yet.
    assert!(codes(&check(&reg, "2026-10-01")).is_empty());

    // Reviewing the risk clears it.
    g.edit(
        "reg/risks/R-001.yaml",
        "reviewed: 2026-09-15",
        "reviewed: 2026-10-05",
    );
    assert_eq!(
        findings(&check(&reg, "2026-11-01"))
            .iter()
            .map(|f| f.1.as_str())
            .collect::<Vec<_>>(),
        ["risks/R-002.yaml", "risks/R-003.yaml"]
    );
}

#[test]
fn system_changed_since_review_ignores_formatting_renames_creation_and_old_changes() {
    // Formatting and comments only.
    let g = rules_repo();
    let text = g.read("reg/systems/ticket-triage.yaml");
    g.write(
        "reg/systems/ticket-triage.yaml",
        &format!(
            "# The triage assistant\n{}",
            text.replace("criticality: low", "criticality: 'low'   # reviewed yearly")
        ),
    );
    g.date("2026-10-02").commit("Tidy the system file");
    // A rename without a content change.
    g.git(&[
        "mv",
        "reg/systems/ticket-triage.yaml",
        "reg/systems/triage.yaml",
    ]);
    g.date("2026-10-03").commit("Rename the system file");
    assert!(codes(&check(&g.path().join("reg"), "2026-11-01")).is_empty());

    // A change on or before the review day.
    let g = rules_repo();
    g.edit(
        "reg/systems/ticket-triage.yaml",
        "2026-06 prompt v3",
        "2026-09 prompt v4",
    );
    g.date("2026-09-15")
        .commit("Prompt v4, reviewed the same day");
    assert!(codes(&check(&g.path().join("reg"), "2026-11-01")).is_empty());

    // Creating the file after the review is not a change of it.
    let g = Git::init();
    g.base("reg");
    g.date("2026-10-01").commit("Import the register");
    assert!(codes(&check(&g.path().join("reg"), "2026-11-01")).is_empty());
}

#[test]
fn acceptance_stale_fires_when_the_rating_changes_after_the_acceptance() {
    let g = rules_repo();
    g.edit("reg/risks/R-003.yaml", "likelihood: 3", "likelihood: 4");
    let change = g.date("2026-10-02").commit("R-003 is more likely (#21)");
    let reg = g.path().join("reg");
    let o = check(&reg, "2026-11-01");
    assert_eq!(
        findings(&o),
        [("acceptance-stale".into(), "risks/R-003.yaml".into(), 27, 9)]
    );
    let d = &o.diagnostics[0];
    assert_eq!(
        d.message,
        "the assessment of risk `R-003` changed after it was accepted on 2026-09-15"
    );
    assert_eq!(
        d.primary.message,
        format!(
            "accepted at likelihood 3, consequence 2; changed on 2026-10-02 in {change} (PR #21)"
        )
    );
    assert_eq!(d.secondary[0].message, "now likelihood 4, consequence 2");

    // Re-dating the acceptance (a new approval) clears it.
    g.edit(
        "reg/risks/R-003.yaml",
        "date: 2026-09-15",
        "date: 2026-10-02",
    );
    g.date("2026-10-03").commit("Re-approve R-003");
    assert!(codes(&check(&reg, "2026-11-01")).is_empty());

    // The CLI shows it too, naming the commit.
    let g = rules_repo();
    g.edit(
        "reg/risks/R-003.yaml",
        "consequence: 2\n  rationale",
        "consequence: 1\n  rationale",
    );
    let c = g
        .date("2026-10-02")
        .commit("Lower the consequence of R-003");
    let (code, out, _) = airisk(&g.path().join("reg"), &["check", "--as-of", "2026-11-01"]);
    assert_eq!(code, 0);
    assert!(out.contains("warning[acceptance-stale]"), "{out}");
    assert!(
        out.contains(&format!("changed on 2026-10-02 in {c}")),
        "{out}"
    );
    assert!(out.contains("0 errors, 1 warning"), "{out}");
}

#[test]
fn acceptance_stale_ignores_other_fields_same_day_changes_and_creation() {
    // Another field changes after the acceptance.
    let g = rules_repo();
    g.edit(
        "reg/risks/R-003.yaml",
        "title: Provider",
        "title: The provider",
    );
    g.date("2026-10-02").commit("Retitle R-003");
    assert!(codes(&check(&g.path().join("reg"), "2026-11-01")).is_empty());

    // The rating changes on the acceptance day itself.
    let g = rules_repo();
    g.edit("reg/risks/R-003.yaml", "likelihood: 3", "likelihood: 2");
    g.date("2026-09-15").commit("Lower R-003 as accepted");
    assert!(codes(&check(&g.path().join("reg"), "2026-11-01")).is_empty());

    // The file is created after its acceptance date.
    let g = Git::init();
    g.base("reg");
    g.date("2026-10-01").commit("Import the register");
    assert!(codes(&check(&g.path().join("reg"), "2026-11-01")).is_empty());

    // An uncommitted change is not yet in the record.
    g.edit("reg/risks/R-003.yaml", "likelihood: 3", "likelihood: 4");
    assert!(codes(&check(&g.path().join("reg"), "2026-11-01")).is_empty());
}

#[test]
fn git_rules_at_a_revision_read_that_revisions_history() {
    let g = rules_repo();
    g.edit("reg/risks/R-003.yaml", "likelihood: 3", "likelihood: 4");
    g.date("2026-10-02").commit("R-003 is more likely");
    g.git(&["tag", "stale"]);
    g.edit(
        "reg/risks/R-003.yaml",
        "date: 2026-09-15",
        "date: 2026-10-05",
    );
    g.date("2026-10-05").commit("Re-approve R-003");
    let reg = g.path().join("reg");
    let (_, now, _) = airisk(&reg, &["check", "--as-of", "2026-11-01"]);
    assert!(!now.contains("acceptance-stale"), "{now}");
    let (_, then, _) = airisk(&reg, &["--at", "stale", "check", "--as-of", "2026-11-01"]);
    assert!(then.contains("warning[acceptance-stale]"), "{then}");
}

// ---------------------------------------------------------------- diff

/// v1 → v2: R-001 raised (level up, over the threshold), R-004 added, R-002 removed, an SoA
/// decision changed, a finding introduced and one fixed.
fn diff_repo() -> Git {
    let g = Git::init();
    g.base("reg");
    g.edit(
        "reg/risks/R-001.yaml",
        "reviewed: 2026-09-15",
        "reviewed: 2025-09-15",
    );
    g.date("2026-09-01").commit("Add the register");
    g.git(&["tag", "v1"]);
    g.edit(
        "reg/risks/R-001.yaml",
        "consequence: 2\n  rationale",
        "consequence: 3\n  rationale",
    );
    g.edit("reg/risks/R-001.yaml", "likelihood: 3", "likelihood: 4");
    g.edit(
        "reg/risks/R-001.yaml",
        "reviewed: 2025-09-15",
        "reviewed: 2026-10-01",
    );
    g.edit(
        "reg/risks/R-001.yaml",
        "plan: Weekly override-rate report",
        "plan: \"Weekly override-rate report | with an alert\\nthreshold\" #",
    );
    let r2 = g.read("reg/risks/R-002.yaml");
    std::fs::remove_file(g.path().join("reg/risks/R-002.yaml")).expect("rm");
    g.write(
        "reg/risks/R-004.yaml",
        &r2.replace("id: R-002", "id: R-004")
            .replace("reviewed: 2026-09-15", "reviewed: 2025-01-01"),
    );
    // An SoA decision changes; a comment elsewhere in the SoA is not a change.
    g.edit(
        "reg/soa.yaml",
        "We supply no AI systems to customers",
        "We supply no AI systems to customers or partners",
    );
    g.edit("reg/soa.yaml", "A.10.2:", "# one supplier\n  A.10.2:");
    g.date("2026-10-01").commit("Second version");
    g.git(&["tag", "v2"]);
    g
}

#[test]
fn diff_markdown_is_fit_for_a_pull_request_comment() {
    let g = diff_repo();
    let reg = g.path().join("reg");
    let (code, md, err) = airisk(
        &reg,
        &[
            "diff",
            "v1",
            "v2",
            "--format",
            "markdown",
            "--as-of",
            "2026-11-01",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (v1, v2) = (
        g.git(&["rev-parse", "--short=7", "v1"]),
        g.git(&["rev-parse", "--short=7", "v2"]),
    );
    let snapshot = md.replace(&v1, "<v1>").replace(&v2, "<v2>");
    snapshot_eq("diff.md", &snapshot);

    // Deterministic, and the same between the tag and the working tree at v2.
    let (_, again, _) = airisk(
        &reg,
        &[
            "diff",
            "v1",
            "v2",
            "--format",
            "markdown",
            "--as-of",
            "2026-11-01",
        ],
    );
    assert_eq!(md, again);
    let (_, wt, _) = airisk(
        &reg,
        &[
            "diff",
            "v1",
            "--format",
            "markdown",
            "--as-of",
            "2026-11-01",
        ],
    );
    assert_eq!(wt.replace("the working tree", &format!("`{v2} (v2)`")), md);
}

#[test]
fn diff_human_and_json_and_the_default_base() {
    let g = diff_repo();
    let reg = g.path().join("reg");
    let (code, out, err) = airisk(&reg, &["diff", "v1", "v2", "--as-of", "2026-11-01"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("risks: 1 added, 1 changed, 1 removed"),
        "{out}"
    );
    assert!(out.contains("score 6 → 12 ↑"), "{out}");
    assert!(out.contains("level medium → high ↑"), "{out}");
    assert!(
        out.contains("now above the acceptance threshold (8)"),
        "{out}"
    );

    let (_, json, _) = airisk(
        &reg,
        &[
            "diff",
            "v1",
            "v2",
            "--format",
            "json",
            "--as-of",
            "2026-11-01",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let ents = v["diff"]["entities"].as_array().expect("entities");
    let r1 = ents.iter().find(|e| e["id"] == "R-001").expect("R-001");
    assert_eq!(r1["status"], "changed");
    assert_eq!(r1["risk"]["after"]["level"], "high");
    assert!(
        ents.iter()
            .any(|e| e["id"] == "A.10.4" && e["kind"] == "decision")
    );
    assert!(v["diff"]["findings_fixed"][0]["code"] == "review-overdue");

    // On a feature branch, the default base is the merge-base with main.
    g.git(&["checkout", "-q", "-b", "feature", "v2"]);
    g.git(&["branch", "-q", "-f", "main", "v1"]);
    let (code, out, err) = airisk(&reg, &["diff", "--as-of", "2026-11-01"]);
    assert_eq!(code, 0, "{err}");
    let v1 = g.git(&["rev-parse", "--short=7", "v1"]);
    assert!(
        out.starts_with(&format!(
            "register changes: {v1} (merge-base of HEAD and main) → working tree\n"
        )),
        "{out}"
    );
    // In a clone, the default branch is what origin/HEAD names (the origin's HEAD).
    g.git(&["checkout", "-q", "main"]);
    let clone = tempfile::tempdir().expect("tempdir");
    let target = clone.path().join("c");
    g.git(&[
        "clone",
        "-q",
        "--branch",
        "main",
        &g.path().display().to_string(),
        &target.display().to_string(),
    ]);
    g.cmd(&target, &["checkout", "-q", "-b", "topic"])
        .output()
        .expect("checkout");
    std::fs::remove_file(target.join("reg/risks/R-003.yaml")).expect("rm");
    let (code, out, err) = airisk(&target.join("reg"), &["diff", "--as-of", "2026-11-01"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(&format!(
            "register changes: {v1} (merge-base of HEAD and origin/main) → working tree\n"
        )),
        "{out}"
    );
    assert!(out.contains("risk `R-003` removed"), "{out}");
    // Nothing changed between HEAD and the working tree on main itself.
    g.git(&["checkout", "-q", "main"]);
    let (_, out, _) = airisk(&reg, &["diff"]);
    assert!(out.ends_with("no changes to the register\n"), "{out}");
}

/// v1 → v2 changes nothing but what the loader does not list as entities: the criteria and
/// a rule level in airisk.toml, a role and a person in people.yaml, a new waivers.yaml, a
/// template override, and the infosec register's ids.
fn settings_repo() -> Git {
    let g = Git::init();
    g.base("reg");
    g.edit(
        "reg/airisk.toml",
        "due_soon = \"30 days\"",
        "due_soon = \"30 days\"\n\n[infosec]\nregister = \"isms.csv\"\n",
    );
    g.write("reg/isms.csv", "id,title\nISR-1,Backups\nISR-2,Access\n");
    g.write("reg/templates/soa.md", "{% extends \"document.md\" %}\n");
    g.date("2026-09-01").commit("Add the register");
    g.git(&["tag", "v1"]);
    g.edit(
        "reg/airisk.toml",
        "acceptance_threshold = 8",
        "acceptance_threshold = 16",
    );
    g.edit(
        "reg/airisk.toml",
        "[infosec]",
        "[rules]\ntreatment-required = \"off\"\n\n[infosec]",
    );
    // A comment is not a setting; a section the diff has no code for shows all the same.
    g.edit("reg/airisk.toml", "[review]", "# reviewed yearly\n[review]");
    g.edit(
        "reg/airisk.toml",
        "[infosec]",
        "[git]\ntrusted_committers = [\"Merge Bot <bot@acme.example>\"]\n\n[infosec]",
    );
    g.edit(
        "reg/people.yaml",
        "governance_committee: [asmith, bjones]",
        "governance_committee: [asmith]",
    );
    g.edit(
        "reg/people.yaml",
        "roles:",
        "  cdoe: { name: Cy Doe }\nroles:",
    );
    g.write(
        "reg/waivers.yaml",
        "waivers:\n  - code: review-overdue\n    file: risks/R-001.yaml\n    reason: audit next week\n",
    );
    g.write("reg/templates/soa.md", "# Nothing to see\n");
    g.write("reg/templates/register.html", "<p>all clear</p>\n");
    g.write("reg/isms.csv", "id,title\nISR-2,Access\nISR-3,Logging\n");
    g.date("2026-10-01")
        .commit("Quietly change what CI publishes");
    g.git(&["tag", "v2"]);
    g
}

#[test]
fn diff_shows_settings_people_waivers_templates_and_the_infosec_register() {
    let g = settings_repo();
    let reg = g.path().join("reg");
    let args = ["diff", "v1", "v2", "--as-of", "2026-11-01"];
    let (code, out, err) = airisk(&reg, &args);
    assert_eq!(code, 0, "{err}");
    for want in [
        "airisk.toml: 3 settings changed",
        "templates: 1 added, 1 changed",
        "waivers.yaml added",
        "infosec register: 1 ids added, 1 ids removed",
        "roles: 1 changed",
        "people: 1 added",
        "warning: templates changed: every document rendered from this register",
        "    templates/register.html added\n    templates/soa.md changed\n",
        "\nairisk.toml changed\n    criteria.acceptance_threshold: 8 → 16\n    git.trusted_committers: (none) → [Merge Bot <bot@acme.example>]\n    rules.treatment-required: (none) → off\n",
        "\nwaivers.yaml added\n    waivers[0].code: (none) → review-overdue\n",
        "infosec register `isms.csv`: 1 ids added, 1 ids removed\n    ids added: ISR-3\n    ids removed: ISR-1\n",
        "role `governance_committee` changed (people.yaml)\n    members: [asmith, bjones] → [asmith]\n",
        "person `cdoe` added (people.yaml)",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
    // The comment shows the same, up top.
    let (_, md, _) = airisk(&reg, &[&args[..], &["--format", "markdown"]].concat());
    for want in [
        "> [!WARNING]\n> **templates changed: every document rendered",
        "> - `templates/register.html` added\n> - `templates/soa.md` changed\n",
        "| `criteria.acceptance_threshold` | 8 | 16 |",
        "| `rules.treatment-required` | (none) | off |",
        "| `git.trusted_committers` | (none) | [Merge Bot &lt;bot@&#8203;acme.example&gt;] |",
        "**`waivers.yaml`** added:",
        "| `waivers[0].reason` | (none) | audit next week |",
        "**Infosec register** `isms.csv`: 1 ids added, 1 ids removed.",
        "| id added | | `ISR-3` |",
        "| id removed | `ISR-1` | |",
        "#### role `governance_committee` changed",
        "| `members` | [asmith, bjones] | [asmith] |",
    ] {
        assert!(md.contains(want), "missing {want:?} in:\n{md}");
    }
    // And the JSON, field by field.
    let (_, json, _) = airisk(&reg, &[&args[..], &["--format", "json"]].concat());
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let d = &v["diff"];
    assert_eq!(d["config_changed"], true);
    assert_eq!(d["config"][0]["field"], "criteria.acceptance_threshold");
    assert_eq!(d["config"][0]["after"], "16");
    assert_eq!(d["templates"][0]["file"], "templates/register.html");
    assert_eq!(d["templates"][0]["status"], "added");
    assert_eq!(d["waivers"]["status"], "added");
    assert_eq!(d["infosec"]["ids_added"][0], "ISR-3");
    assert_eq!(d["infosec"]["ids_removed"][0], "ISR-1");
    assert!(
        d["entities"]
            .as_array()
            .expect("entities")
            .iter()
            .any(|e| e["kind"] == "role" && e["id"] == "governance_committee")
    );

    // Comments and layout alone: said so, no setting listed.
    g.edit(
        "reg/airisk.toml",
        "# reviewed yearly\n",
        "# reviewed every year\n",
    );
    let (_, out, _) = airisk(&reg, &["diff", "v2", "--as-of", "2026-11-01"]);
    assert!(
        out.contains("airisk.toml: comments or layout only")
            && out.contains("(comments or layout only: no setting changed)"),
        "{out}"
    );
}

/// Compares output with `tests/snapshots/NAME`; `AIRISK_BLESS=1` rewrites it.
fn snapshot_eq(name: &str, actual: &str) {
    let path = root().join("tests/snapshots").join(name);
    if std::env::var_os("AIRISK_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, actual).expect("bless");
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{name} differs (AIRISK_BLESS=1 cargo test to accept):\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

// ---------------------------------------------------------------- codeowners

#[test]
fn codeowners_gives_each_file_to_its_owner_from_the_repository_root() {
    let g = Git::init();
    g.base("compliance/ai");
    g.date("2026-09-01").commit("Add the register");
    let reg = g.path().join("compliance/ai");
    let (code, out, err) = airisk(&reg, &["codeowners"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        "# Generated by `airisk codeowners` from people.yaml: each risk, system and impact
# assessment file is owned by its owner (the assessor of an assessment).
/compliance/ai/risks/R-001.yaml @beajones
/compliance/ai/risks/R-002.yaml @alexsmith
/compliance/ai/risks/R-003.yaml @beajones
/compliance/ai/systems/ticket-triage.yaml @beajones
"
    );
    // An owner without a handle is reported; the other lines are still written; exit 1.
    g.edit("compliance/ai/people.yaml", ", github: alexsmith", "");
    let (code, out, err) = airisk(&reg, &["codeowners", "-o", "CODEOWNERS"]);
    assert_eq!(code, 1);
    assert_eq!(out, "");
    assert_eq!(
        err,
        "warning: no code owner for risks/R-002.yaml: owner `asmith` has no `github` handle in people.yaml\n"
    );
    let written = std::fs::read_to_string(reg.join("CODEOWNERS")).expect("written");
    assert!(!written.contains("R-002"));
    assert!(written.contains("/compliance/ai/risks/R-003.yaml @beajones"));
}

// ---------------------------------------------------------------- rendered documents

#[test]
fn rendered_documents_carry_document_control_and_provenance() {
    let (g, [_, branch, merge, _, _]) = approvals_repo();
    g.git(&["checkout", "-q", "--detach", &merge]);
    let reg = g.path().join("compliance/ai");

    // The SoA names the commit, its pull request and the approver of the merge.
    let (code, soa, err) = airisk(&reg, &["soa", "--as-of", "2026-11-01"]);
    assert_eq!(code, 0, "{err}");
    let full = g.git(&["rev-parse", "HEAD"]);
    assert!(
        soa.contains(&format!("| Commit | `{}`", full.trim())),
        "{soa}"
    );
    assert!(soa.contains("| Pull request | #12 |"), "{soa}");
    assert!(
        soa.contains("| Approved by | Alex Smith &lt;alex@&#8203;example.com&gt; |"),
        "{soa}"
    );
    assert!(!soa.contains("DRAFT"), "{soa}");

    // The register's provenance columns: R-001 came from the branch commit via PR #12.
    let (code, csv, err) = airisk(
        &reg,
        &[
            "register",
            "--as-of",
            "2026-11-01",
            "--provenance",
            "--format",
            "csv",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let r1 = csv
        .lines()
        .find(|l| l.starts_with("R-001,"))
        .expect("R-001 row");
    assert!(
        r1.contains(&format!(",{branch},2026-09-22,Mo Khan,12,")),
        "{r1}"
    );
    assert!(r1.ends_with(",Alex Smith <alex@example.com>,"), "{r1}");

    // show: the risk's provenance section.
    let (code, show, err) = airisk(
        &reg,
        &[
            "show",
            "R-001",
            "--format",
            "markdown",
            "--as-of",
            "2026-11-01",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(show.contains("## Provenance (git)"), "{show}");
    assert!(show.contains(&format!("| merged in | {merge} |")), "{show}");

    // An uncommitted change makes every document a draft.
    g.edit(
        "compliance/ai/risks/R-003.yaml",
        "likelihood: 3",
        "likelihood: 4",
    );
    let (_, soa, _) = airisk(&reg, &["soa", "--as-of", "2026-11-01", "--format", "html"]);
    assert!(soa.contains("<div class=\"draft\">DRAFT</div>"), "{soa}");
    let (_, csv, _) = airisk(
        &reg,
        &[
            "register",
            "--provenance",
            "--format",
            "csv",
            "--as-of",
            "2026-11-01",
        ],
    );
    assert!(csv.lines().any(|l| l.starts_with("R-003,")), "{csv}");

    // --no-git renders without any of it; --provenance then says why it cannot.
    let (code, soa, _) = airisk(&reg, &["--no-git", "soa", "--as-of", "2026-11-01"]);
    assert_eq!(code, 0);
    assert!(
        !soa.contains("| Commit |") && !soa.contains("DRAFT"),
        "{soa}"
    );
    let (code, _, err) = airisk(&reg, &["--no-git", "register", "--provenance"]);
    assert_eq!(code, 2, "{err}");
}

/// `diff` and `history` compare values as written: `title: on` → `title: yes` is a change
/// (a YAML 1.1 reader would read both as `true`), quoting a value is not.
#[test]
fn diff_and_history_compare_values_as_written() {
    let g = Git::init();
    g.base("reg");
    let file = "reg/risks/R-001.yaml";
    g.edit(
        file,
        "title: Tickets routed to the wrong queue after product changes",
        "title: on",
    );
    g.date("2026-09-01").commit("Add the register");
    g.git(&["tag", "v1"]);
    g.edit(file, "title: on", "title: yes");
    g.edit(
        file,
        "owner: bjones\nassessment",
        "owner: \"bjones\"\nassessment",
    );
    g.edit(file, "likelihood: 3", "likelihood: 03");
    g.date("2026-09-02").commit("Retitle R-001");
    g.git(&["tag", "v2"]);
    g.edit(file, "owner: \"bjones\"", "owner: 'bjones'");
    g.edit(file, "title: yes", "title: \"yes\"");
    g.date("2026-09-03").commit("Quote R-001's title");
    g.git(&["tag", "v3"]);
    let reg = g.path().join("reg");

    let diff = |from: &str, to: &str| {
        let args = [
            "diff",
            from,
            to,
            "--format",
            "json",
            "--as-of",
            "2026-11-01",
        ];
        let (code, json, err) = airisk(&reg, &args);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        v["diff"]["entities"].clone()
    };
    let entities = diff("v1", "v2");
    let r1 = entities
        .as_array()
        .and_then(|e| e.iter().find(|e| e["id"] == "R-001"))
        .expect("R-001 changed");
    assert_eq!(
        r1["fields"],
        serde_json::json!([
            {"field": "title", "before": "on", "after": "yes"},
            {"field": "assessment.likelihood", "before": "3", "after": "03"},
        ])
    );
    // The same value, quoted differently: no change.
    assert_eq!(diff("v2", "v3"), serde_json::json!([]));

    let (code, out, err) = airisk(&reg, &["history", "R-001"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("    title: on → yes\n"), "{out}");
    assert!(out.contains("    assessment.likelihood: 3 → 03\n"), "{out}");
    assert!(!out.contains("owner"), "{out}");
    assert!(!out.contains("→ \"yes\""), "{out}");
}

/// A system's EU AI Act classification and the status of its obligations are fields like any
/// other: `diff` and `history` show their moves.
#[test]
fn diff_and_history_show_eu_ai_act_classification_and_obligation_status() {
    let g = Git::init();
    g.base("reg");
    let file = "reg/systems/ticket-triage.yaml";
    let system = g.read(file);
    g.write(
        file,
        &format!(
            "{system}eu_ai_act:\n  roles: [deployer]\n  classification: minimal\n  rationale: Routes tickets\n  assessed: 2026-09-01\n  assessed_by: bjones\n  obligations:\n    obl-all-art4: {{ status: planned }}\n"
        ),
    );
    g.date("2026-09-01").commit("Classify ticket-triage");
    g.git(&["tag", "v1"]);
    g.edit(
        file,
        "classification: minimal",
        "classification: high-risk\n  annex_iii: annex-iii-4-a",
    );
    g.edit(file, "{ status: planned }", "{ status: done }");
    g.date("2026-10-01")
        .commit("ticket-triage screens job applications now");
    let reg = g.path().join("reg");
    let (code, text, err) = airisk(&reg, &["diff", "v1", "HEAD", "--as-of", "2026-11-01"]);
    assert_eq!(code, 0, "{err}");
    for want in [
        "eu_ai_act.classification: minimal → high-risk",
        "eu_ai_act.annex_iii: (none) → annex-iii-4-a",
        "eu_ai_act.obligations.obl-all-art4.status: planned → done",
    ] {
        assert!(text.contains(want), "diff lacks {want:?}:\n{text}");
    }
    let (code, text, err) = airisk(&reg, &["history", "ticket-triage", "--as-of", "2026-11-01"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        text.contains("classification") && text.contains("high-risk"),
        "history:\n{text}"
    );
    assert!(
        text.contains("ticket-triage screens job applications now"),
        "{text}"
    );
}
