//! The history cache (`.git/airisk/line-*.json`, docs/git.md "The history cache"): a second
//! run on the same commit reads the first-parent line from it instead of walking; a cache
//! that is corrupt, truncated, of another version, a link, a FIFO or over the size limit is
//! ignored and written again; it is never in the working tree and never written through a
//! link.

use crate::git::{GITHUB, Git, airisk};
use std::path::{Path, PathBuf};

/// A register with three commits; returns the repository and the history of R-001 as the
/// first run prints it.
fn repo() -> (Git, String) {
    let g = Git::init();
    g.base("reg");
    g.date("2026-09-01").commit("Add the register");
    g.edit("reg/risks/R-001.yaml", "likelihood: 3", "likelihood: 4");
    g.date("2026-09-10").commit("Raise R-001 (#4)");
    g.edit("reg/risks/R-002.yaml", "likelihood: 2", "likelihood: 1");
    g.date("2026-09-12").commit("Lower R-002");
    let (code, out, err) = airisk(&g.path().join("reg"), &["history", "R-001"]);
    assert_eq!(code, 0, "{err}");
    (g, out)
}

/// The one cache file of the repository.
fn cache_file(g: &Git) -> PathBuf {
    let dir = g.path().join(".git/airisk");
    let files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

fn history(g: &Git) -> String {
    let (code, out, err) = airisk(&g.path().join("reg"), &["history", "R-001"]);
    assert_eq!(code, 0, "{err}");
    out
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).expect("cache")).expect("cache is JSON")
}

#[test]
fn a_second_run_on_the_same_commit_reads_the_cache() {
    let (g, first) = repo();
    let path = cache_file(&g);
    let cache = json(&path);
    assert_eq!(cache["version"], 3);
    assert_eq!(cache["head"], g.git(&["rev-parse", "HEAD"]));
    assert_eq!(cache["prefix"], "reg");
    assert_eq!(cache["steps"].as_array().expect("steps").len(), 3);
    // Nothing in the working tree.
    assert!(!g.path().join("reg/.airisk").exists());
    assert!(g.git(&["status", "--porcelain"]).is_empty());
    assert_eq!(history(&g), first);

    // Proof that the second run walks nothing: a cache whose steps were emptied is believed.
    let mut doctored = cache.clone();
    doctored["steps"] = serde_json::json!([]);
    std::fs::write(&path, serde_json::to_vec(&doctored).expect("JSON")).expect("write");
    let out = history(&g);
    assert!(out.contains("no commit has this file yet"), "{out}");

    // A new commit: the cache of the older HEAD is extended, not thrown away.
    std::fs::write(&path, serde_json::to_vec(&cache).expect("JSON")).expect("write");
    g.edit("reg/risks/R-001.yaml", "likelihood: 4", "likelihood: 5");
    g.date("2026-09-20").commit("Raise R-001 again");
    let out = history(&g);
    assert_eq!(out.matches("assessment.likelihood").count(), 2, "{out}");
    let after = json(&path);
    assert_eq!(after["head"], g.git(&["rev-parse", "HEAD"]));
    assert_eq!(after["steps"].as_array().expect("steps").len(), 4);
}

#[test]
fn a_bad_cache_is_ignored_and_written_again() {
    let (g, first) = repo();
    let path = cache_file(&g);
    let good = std::fs::read(&path).expect("cache");
    let bad: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", good[..good.len() / 2].to_vec()),
        ("garbage", b"\x00\xffnot json at all\n".to_vec()),
        (
            "another version",
            String::from_utf8_lossy(&good)
                .replacen("\"version\":2", "\"version\":99", 1)
                .into_bytes(),
        ),
        (
            "a bad object id",
            String::from_utf8_lossy(&good)
                .replacen("\"head\":\"", "\"head\":\"zz", 1)
                .into_bytes(),
        ),
        ("empty", Vec::new()),
    ];
    for (what, bytes) in bad {
        std::fs::write(&path, &bytes).expect("write");
        assert_eq!(history(&g), first, "{what}");
        assert_eq!(
            std::fs::read(&path).expect("cache"),
            good,
            "{what}: rewritten"
        );
    }
    // Over the size limit (a sparse file): not read.
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .expect("open");
    f.set_len(airisk::git::MAX_CACHE_BYTES + 1).expect("grow");
    drop(f);
    assert_eq!(history(&g), first);
    assert_eq!(std::fs::read(&path).expect("cache"), good);
}

#[cfg(unix)]
#[test]
fn a_link_or_a_fifo_at_the_cache_is_never_followed() {
    let (g, first) = repo();
    let path = cache_file(&g);
    let good = std::fs::read(&path).expect("cache");
    // A link to a doctored cache elsewhere: not read, and replaced rather than written
    // through.
    let elsewhere = g.path().join("elsewhere.json");
    let mut doctored = json(&path);
    doctored["steps"] = serde_json::json!([]);
    std::fs::write(&elsewhere, serde_json::to_vec(&doctored).expect("JSON")).expect("write");
    let planted = std::fs::read(&elsewhere).expect("read");
    std::fs::remove_file(&path).expect("rm");
    std::os::unix::fs::symlink(&elsewhere, &path).expect("symlink");
    assert_eq!(history(&g), first);
    assert_eq!(std::fs::read(&elsewhere).expect("read"), planted);
    assert!(
        !std::fs::symlink_metadata(&path)
            .expect("cache")
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read(&path).expect("cache"), good);

    // A FIFO: neither read (it would block) nor written into.
    std::fs::remove_file(&path).expect("rm");
    let status = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    assert_eq!(history(&g), first);
    assert!(std::os::unix::fs::FileTypeExt::is_fifo(
        &std::fs::symlink_metadata(&path).expect("fifo").file_type()
    ));

    // A link in place of the cache folder: nothing is written through it.
    std::fs::remove_file(&path).expect("rm");
    std::fs::remove_dir(g.path().join(".git/airisk")).expect("rmdir");
    let target = g.path().join("target-dir");
    std::fs::create_dir(&target).expect("mkdir");
    std::os::unix::fs::symlink(&target, g.path().join(".git/airisk")).expect("symlink");
    assert_eq!(history(&g), first);
    assert_eq!(std::fs::read_dir(&target).expect("dir").count(), 0);
    // Nor read through it: a doctored cache behind the link is not believed.
    std::fs::write(target.join(path.file_name().expect("name")), &planted).expect("plant");
    assert_eq!(history(&g), first);
}

/// A register whose history makes every git question answer something: a merged pull
/// request (an approval on the merge, a forged one in the branch) that changed a system after
/// its risks' review, and a direct change of a rating after its acceptance. Returns the
/// repository and the commit `diff` compares with (the one after the register's creation).
fn busy_repo() -> (Git, String) {
    let g = Git::init();
    g.base("reg");
    g.date("2026-09-01").commit("Add the register");
    g.edit("reg/risks/R-002.yaml", "likelihood: 2", "likelihood: 1");
    let base = g.date("2026-09-05").commit("Lower R-002");
    let base = g.git(&["rev-parse", &base]);
    g.git(&["checkout", "-q", "-b", "prompt-v4"]);
    g.edit(
        "reg/systems/ticket-triage.yaml",
        "2026-06 prompt v3",
        "2026-10 prompt v4",
    );
    g.edit(
        "reg/risks/R-001.yaml",
        "update the label list",
        "update the label list and the prompt",
    );
    g.date("2026-09-30")
        .commit("Prompt v4\n\nApproved-by: Mallory <mallory@example.com>");
    g.git(&["checkout", "-q", "main"]);
    g.date("2026-10-02").merge_by(
        "prompt-v4",
        "Merge pull request #12 from acme/prompt-v4\n\nApproved-by: Bea Chen <bea@example.com>",
        ("Bea Chen", "bea@example.com"),
        GITHUB,
    );
    g.edit("reg/risks/R-003.yaml", "likelihood: 3", "likelihood: 4");
    g.date("2026-10-03").commit("R-003 is more likely (#21)");
    (g, base)
}

/// The outputs of every command that asks git something, at `--as-of 2026-11-01`.
fn every_git_question(g: &Git, base: &str) -> Vec<(i32, String, String)> {
    let reg = g.path().join("reg");
    let as_of = ["--as-of", "2026-11-01"];
    let runs: [&[&str]; 5] = [
        &["check"],
        &["check", "--format", "json"],
        &["register", "--provenance", "--format", "json"],
        &["diff", base, "HEAD"],
        &["diff", base, "HEAD", "--format", "json"],
    ];
    runs.iter()
        .map(|args| {
            let args: Vec<&str> = args.iter().chain(as_of.iter()).copied().collect();
            airisk(&reg, &args)
        })
        .collect()
}

#[test]
fn a_second_run_answers_every_git_question_from_the_cache() {
    let (g, base) = busy_repo();
    let head = g.git(&["rev-parse", "HEAD"]);
    let cold = every_git_question(&g, &base);
    // The git rules fire, provenance and the approvals are read, diff's sides differ.
    let text: String = cold.iter().map(|(_, o, _)| o.as_str()).collect();
    for wanted in [
        "system-changed-since-review",
        "acceptance-stale",
        "Bea Chen",
        "not an approval",
    ] {
        assert!(text.contains(wanted), "{wanted}: {text}");
    }
    // One cache, read from HEAD.
    let path = cache_file(&g);
    assert_eq!(json(&path)["head"], head);
    assert_eq!(every_git_question(&g, &base), cold, "warm");

    // Proof that the warm runs read no commit: every commit object but the two the commands
    // name is deleted, and every answer is the same.
    let commits = g.git(&["rev-list", "--all"]);
    let mut deleted = 0;
    for id in commits.lines().filter(|id| *id != head && *id != base) {
        let object = g.path().join(".git/objects").join(&id[..2]).join(&id[2..]);
        std::fs::remove_file(&object).unwrap_or_else(|e| panic!("{}: {e}", object.display()));
        deleted += 1;
    }
    assert_eq!(deleted, 3);
    assert_eq!(every_git_question(&g, &base), cold, "from the cache alone");

    // And the test can fail: without the cache, the history is needed and is gone.
    std::fs::remove_dir_all(g.path().join(".git/airisk")).expect("rm cache");
    let (code, _, err) = airisk(&g.path().join("reg"), &["check", "--as-of", "2026-11-01"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot read commit"), "{err}");
}

#[test]
fn the_older_side_of_a_diff_is_a_suffix_of_the_newer_sides_line() {
    let (g, base) = busy_repo();
    // Warm the cache from HEAD only (a `check`), then make the commits below HEAD unreadable
    // but the base: `diff BASE HEAD` answers both sides' git rules from HEAD's line.
    let reg = g.path().join("reg");
    let cold = airisk(&reg, &["diff", &base, "HEAD", "--as-of", "2026-11-01"]);
    assert_eq!(cold.0, 0, "{}", cold.2);
    std::fs::remove_dir_all(g.path().join(".git/airisk")).expect("rm cache");
    let (code, _, err) = airisk(&reg, &["check", "--as-of", "2026-11-01"]);
    assert_eq!(code, 0, "{err}");
    let head = g.git(&["rev-parse", "HEAD"]);
    for id in g.git(&["rev-list", "--all"]).lines() {
        if id != head && id != base {
            let object = g.path().join(".git/objects").join(&id[..2]).join(&id[2..]);
            std::fs::remove_file(&object).expect("rm");
        }
    }
    let warm = airisk(&reg, &["diff", &base, "HEAD", "--as-of", "2026-11-01"]);
    assert_eq!(warm, cold);
}

/// `report`'s walk to the month ends (`Repo::in_force`) takes the commits a line of the run
/// already holds — here read whole by a file's history, as the cache a `check`, `history`
/// or `pack` leaves is — and reads from git only the commits beyond it (before the register
/// existed); its answers are those of the walk that reads every commit.
#[test]
fn the_month_ends_of_a_report_come_from_the_line_already_read() {
    use airisk::git::{InForce, Repo, commits_read};
    let g = Git::init();
    g.write("README.md", "The repository before the register.\n");
    g.date("2025-12-01").commit("Start");
    g.base("reg");
    g.date("2026-01-10").commit("Add the register");
    g.edit("reg/risks/R-001.yaml", "likelihood: 3", "likelihood: 4");
    g.date("2026-03-15").commit("Raise R-001");
    g.edit("reg/risks/R-001.yaml", "likelihood: 4", "likelihood: 2");
    g.date("2026-06-02").commit("Lower R-001");
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("day");
    let days = [
        day("2026-06-30"),
        day("2025-11-30"),
        day("2026-01-31"),
        day("2025-12-31"),
        day("2026-04-30"),
    ];
    let reg = g.path().join("reg");
    let open = || Repo::discover(&reg).expect("opens").expect("a repository");

    let walked = open();
    let rev = walked.head().expect("HEAD");
    let before = commits_read();
    let all = walked.in_force(&rev, &days).expect("in force");
    assert_eq!(commits_read() - before, 4, "the walk reads every commit");
    let ids: Vec<Option<String>> = all
        .iter()
        .map(|f| match f {
            InForce::Commit { rev, .. } => Some(rev.id()),
            _ => None,
        })
        .collect();
    let log: Vec<String> = g
        .git(&["log", "--first-parent", "--format=%H"])
        .lines()
        .map(String::from)
        .collect();
    let at = |i: usize| Some(log[i].clone());
    assert_eq!(ids, vec![at(0), None, at(2), at(3), at(1)]);
    assert_eq!(all[1], InForce::Before);

    let read = open();
    read.file_log(&rev, "reg", "risks/R-001.yaml", |_| None, |_, _| ())
        .expect("the whole line");
    let before = commits_read();
    assert_eq!(read.in_force(&rev, &days).expect("in force"), all);
    assert_eq!(
        commits_read() - before,
        1,
        "only the commit before the register is read again"
    );
}

/// A cold walk down the line compares each commit's register folder with its parent's, and
/// the parent's trees are the newer side of the next comparison: each tree is read from git
/// once (`objects::Trees`), not once per comparison it takes part in.
#[test]
fn a_cold_walk_reads_each_tree_of_the_line_once() {
    use airisk::git::{Repo, trees_read};
    use std::collections::HashSet;
    let g = Git::init();
    g.base("reg");
    g.date("2026-01-10").commit("Add the register");
    for (n, (from, to)) in [("3", "4"), ("4", "2"), ("2", "5")].iter().enumerate() {
        g.edit(
            "reg/risks/R-001.yaml",
            &format!("likelihood: {from}"),
            &format!("likelihood: {to}"),
        );
        g.date(&format!("2026-02-1{n}")).commit("Edit R-001");
    }
    g.git(&["checkout", "-q", "-b", "topic"]);
    g.edit("reg/risks/R-002.yaml", "likelihood: 2", "likelihood: 1");
    g.date("2026-03-01").commit("Lower R-002");
    g.git(&["checkout", "-q", "main"]);
    g.merge("topic", "Merge topic (#3)");

    // The trees the comparisons visit: below each commit's register folder and its
    // parent's, every folder whose tree differs between the two (both sides), and every
    // folder of the register's first commit.
    let trees = |rev: &str| -> Vec<(String, String)> {
        g.git(&["ls-tree", "-r", "-d", rev])
            .lines()
            .map(|l| {
                let (meta, path) = l.split_once('\t').expect("ls-tree line");
                let id = meta.split_whitespace().nth(2).expect("id").to_string();
                (path.to_string(), id)
            })
            .collect()
    };
    let line: Vec<String> = g
        .git(&["rev-list", "--first-parent", "HEAD"])
        .lines()
        .map(String::from)
        .collect();
    let mut visited = HashSet::new();
    for (k, c) in line.iter().enumerate() {
        let here: std::collections::HashMap<String, String> =
            trees(&format!("{c}:reg")).into_iter().collect();
        visited.insert(g.git(&["rev-parse", &format!("{c}:reg")]));
        let Some(p) = line.get(k + 1) else {
            visited.extend(here.values().cloned());
            continue;
        };
        visited.insert(g.git(&["rev-parse", &format!("{p}:reg")]));
        let there: std::collections::HashMap<String, String> =
            trees(&format!("{p}:reg")).into_iter().collect();
        for (path, id) in &here {
            if there.get(path) != Some(id) {
                visited.insert(id.clone());
                visited.extend(there.get(path).cloned());
            }
        }
        for (path, id) in &there {
            if here.get(path) != Some(id) {
                visited.insert(id.clone());
            }
        }
    }

    let repo = Repo::discover(&g.path().join("reg"))
        .expect("opens")
        .expect("a repository");
    let rev = repo.head().expect("HEAD");
    let before = trees_read();
    let log = repo
        .file_log(&rev, "reg", "risks/R-001.yaml", |_| None, |_, _| ())
        .expect("the whole line");
    assert_eq!(log.entries.len(), 4, "{log:?}");
    assert_eq!(trees_read() - before, visited.len() as u64);
}

/// `register --provenance` stops comparing a folder once every file in it has its last
/// change: the steps below that leave the folder uncompared, and the cache says so
/// (`skipped`). A later question about a file there — a history (a rename, a deletion and
/// a re-addition on the way), the audit pack, the git rules — completes those steps and
/// answers exactly what a run without the cache answers.
#[test]
fn a_line_read_for_some_folders_answers_later_questions_in_full() {
    let g = Git::init();
    g.base("reg");
    g.date("2026-09-01").commit("Add the register");
    g.edit("reg/risks/R-001.yaml", "likelihood: 3", "likelihood: 4");
    g.date("2026-09-03").commit("Raise R-001");
    g.git(&["mv", "reg/risks/R-003.yaml", "reg/risks/R-030.yaml"]);
    g.date("2026-09-05").commit("Rename R-003's file");
    let r2 = g.read("reg/risks/R-002.yaml");
    g.git(&["rm", "-q", "reg/risks/R-002.yaml"]);
    g.date("2026-09-07").commit("Remove R-002");
    g.write("reg/risks/R-002.yaml", &r2);
    g.date("2026-09-09").commit("Restore R-002");
    g.git(&["checkout", "-q", "-b", "topic"]);
    g.edit("reg/risks/R-001.yaml", "likelihood: 4", "likelihood: 5");
    g.date("2026-09-11").commit("Raise R-001 again");
    g.git(&["checkout", "-q", "main"]);
    g.merge("topic", "Merge topic (#9)");
    g.edit(
        "reg/systems/ticket-triage.yaml",
        "lifecycle: production",
        "lifecycle: retired",
    );
    g.date("2026-09-13").commit("Retire the system");
    // Every risk's last change at the top: below it `risks` has no open question.
    g.edit("reg/risks/R-001.yaml", "likelihood: 5", "likelihood: 2");
    g.edit("reg/risks/R-002.yaml", "likelihood: 2", "likelihood: 1");
    g.edit("reg/risks/R-030.yaml", "likelihood: 3", "likelihood: 2");
    g.date("2026-09-15").commit("Review every risk");

    let reg = g.path().join("reg");
    let cache = g.path().join(".git/airisk");
    let run = |args: &[&str], cached: bool| -> String {
        if !cached {
            let _ = std::fs::remove_dir_all(&cache);
        }
        let (code, out, err) = airisk(&reg, args);
        assert!(code == 0 || code == 1, "{args:?}: {err}");
        out
    };
    let provenance = ["register", "--provenance", "--format", "json"];
    let asked: Vec<Vec<&str>> = vec![
        vec!["history", "R-001"],
        vec!["history", "R-003"],
        vec!["history", "R-002"],
        vec!["history", "ticket-triage"],
        vec!["check", "--format", "json", "--as-of", "2026-11-01"],
        vec!["diff", "HEAD~4", "HEAD"],
    ];
    for args in &asked {
        let whole = run(args, false);
        let cold = run(&provenance, false);
        let steps = json(&cache_file(&g))["steps"].clone();
        let skipped: Vec<&serde_json::Value> = steps
            .as_array()
            .expect("steps")
            .iter()
            .filter(|s| s.get("skipped").is_some())
            .collect();
        assert!(!skipped.is_empty(), "no step was left uncompared: {steps}");
        // The folders whose every file had its last change above (the system's at the
        // second commit, so `systems` in the register's first).
        assert!(
            skipped.iter().all(|s| {
                s["skipped"] == serde_json::json!(["risks"])
                    || s["skipped"] == serde_json::json!(["risks", "systems"])
            }),
            "{skipped:?}"
        );
        assert_eq!(run(args, true), whole, "{args:?} after a partial line");
        // The steps completed (or not) by the question, the provenance is the same.
        assert_eq!(run(&provenance, true), cold);
    }

    // The audit pack from the partial line is the pack read from git.
    let pack = |dir: &str, cached: bool| -> PathBuf {
        let out = g.path().join(dir);
        run(
            &[
                "pack",
                out.to_str().expect("UTF-8"),
                "--as-of",
                "2026-11-01",
            ],
            cached,
        );
        out
    };
    let whole = pack("pack-whole", false);
    run(&provenance, false);
    let partial = pack("pack-partial", true);
    let diff = std::process::Command::new("diff")
        .args(["-r"])
        .arg(&whole)
        .arg(&partial)
        .output()
        .expect("diff runs");
    assert!(
        diff.status.success(),
        "{}",
        String::from_utf8_lossy(&diff.stdout)
    );
    // The pack completed every step: the cache it leaves is whole.
    let steps = json(&cache_file(&g))["steps"].clone();
    assert!(
        steps
            .as_array()
            .expect("steps")
            .iter()
            .all(|s| s.get("skipped").is_none()),
        "{steps}"
    );
}
