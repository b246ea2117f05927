//! The one writer, tried as an attacker and an unlucky user would (SPEC §7 "Writes", §13
//! closed pipes; docs/security.md "Writes", docs/reliability.md "No data loss"): links at the
//! target and at the old fixed temporary name, devices and FIFOs, modes, a file-size limit,
//! signals in the middle of a write, concurrent runs, parallel `new`, closed pipes. Every test
//! runs the real binary.
//!
//! Tests that stop a run in the middle of a write use the debug-build-only hook
//! `AIRISK_TEST_PAUSE=FILE` (src/output.rs): the run creates FILE at its first commit point
//! and waits until FILE is removed.

use crate::support::{AS_OF, copy_dir, root};
use std::io::{Read, Write};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_airisk"));
    c.env("NO_COLOR", "1")
        .env("AIRISK_NO_GIT", "1")
        .env_remove("AIRISK_TEST_PAUSE");
    c
}

/// Runs airisk in `cwd`: (exit code, stdout, stderr).
fn airisk(cwd: &Path, args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = bin()
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("airisk runs");
    result(out)
}

fn result(out: Output) -> (i32, Vec<u8>, String) {
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs a shell command line in `cwd` with `$AIRISK` set to the binary.
fn sh(cwd: &Path, script: &str) -> (i32, Vec<u8>, String) {
    let out = Command::new("sh")
        .current_dir(cwd)
        .args(["-c", script])
        .env("AIRISK", env!("CARGO_BIN_EXE_airisk"))
        .env("NO_COLOR", "1")
        .env("AIRISK_NO_GIT", "1")
        .env_remove("AIRISK_TEST_PAUSE")
        .output()
        .expect("sh runs");
    result(out)
}

/// A folder holding a copy of the base register in `reg/` (so files beside the register,
/// "outside" it, can be planted).
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let reg = tmp.path().join("reg");
    copy_dir(&root().join("tests/fixtures/base"), &reg);
    (tmp, reg)
}

/// Every name under `dir`, hidden ones included, relative and sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| {
            let e = e.expect("entry");
            e.path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    out.sort();
    out
}

/// The temporary files and folders under `dir`.
fn temporaries(dir: &Path) -> Vec<String> {
    tree(dir)
        .into_iter()
        .filter(|n| n.contains("airisk-tmp") || n.contains("airisk-new"))
        .collect()
}

fn symlink(to: impl AsRef<Path>, at: impl AsRef<Path>) {
    std::os::unix::fs::symlink(to, at).expect("symlink");
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o7777
}

/// Starts airisk in `cwd`, to pause at its first commit point (creating `marker`).
fn spawn_paused(cwd: &Path, args: &[&str], marker: &Path) -> Child {
    bin()
        .current_dir(cwd)
        .args(args)
        .env("AIRISK_TEST_PAUSE", marker)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("airisk starts")
}

/// Waits until `child` has paused (its marker exists). A run that ends instead, or never
/// gets there, fails the test with what it printed.
fn wait_paused(child: &mut Child, marker: &Path) {
    // A bound, not a measurement: a run pauses within milliseconds.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !marker.exists() {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut err = String::new();
            if let Some(e) = child.stderr.as_mut() {
                let _ = e.read_to_string(&mut err);
            }
            panic!("the run ended ({status}) without pausing: {err}");
        }
        assert!(std::time::Instant::now() < deadline, "the run never paused");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

fn release(marker: &Path) {
    std::fs::remove_file(marker).expect("remove marker");
}

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(ok.success());
}

fn finish(child: Child) -> (i32, Vec<u8>, String) {
    result(child.wait_with_output().expect("wait"))
}

// ------------------------------------------------------------------ links

#[test]
fn a_link_at_the_target_is_replaced_and_what_it_points_at_is_untouched() {
    let (tmp, reg) = workspace();
    let outside = tmp.path().join("outside.txt");
    std::fs::write(&outside, "precious\n").expect("write");
    symlink(&outside, reg.join("SOA.md"));
    let (code, _, err) = airisk(&reg, &["soa", "--as-of", AS_OF, "-o", "SOA.md"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(&outside).expect("read"),
        "precious\n"
    );
    let meta = std::fs::symlink_metadata(reg.join("SOA.md")).expect("stat");
    assert!(meta.file_type().is_file(), "the link was not replaced");
    let (_, expected, _) = airisk(&reg, &["soa", "--as-of", AS_OF]);
    assert_eq!(std::fs::read(reg.join("SOA.md")).expect("read"), expected);
    // A link to a folder, and a dangling link, are replaced the same way.
    symlink(tmp.path(), reg.join("dir-link.md"));
    symlink(tmp.path().join("nothing-here"), reg.join("dangling.md"));
    for name in ["dir-link.md", "dangling.md"] {
        let (code, _, err) = airisk(&reg, &["register", "-o", name]);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(
            std::fs::symlink_metadata(reg.join(name))
                .expect("stat")
                .is_file()
        );
    }
    assert!(!tmp.path().join("nothing-here").exists());
    assert_eq!(temporaries(tmp.path()), Vec::<String>::new());
}

#[test]
fn a_link_at_the_old_fixed_temporary_name_is_not_followed() {
    // airisk 0.1.0 wrote `-o FILE` through `.FILE.airisk-tmp`: a link committed at that name
    // sent the document anywhere CI can write (`.git/config`).
    let (tmp, reg) = workspace();
    let outside = tmp.path().join("config");
    std::fs::write(&outside, "[core]\n").expect("write");
    symlink(&outside, reg.join(".SOA.md.airisk-tmp"));
    symlink(&outside, reg.join(".risk.schema.json.airisk-tmp"));
    let (code, _, err) = airisk(&reg, &["soa", "--as-of", AS_OF, "-o", "SOA.md"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = airisk(&reg, &["schema", "--write", "."]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&outside).expect("read"), "[core]\n");
    // The planted links are left as they were, and the outputs are whole files.
    for link in [".SOA.md.airisk-tmp", ".risk.schema.json.airisk-tmp"] {
        let meta = std::fs::symlink_metadata(reg.join(link)).expect("stat");
        assert!(meta.file_type().is_symlink(), "{link}");
    }
    assert!(
        std::fs::read_to_string(reg.join("SOA.md"))
            .expect("read")
            .starts_with("# Statement of Applicability")
    );
    assert!(
        std::fs::read_to_string(reg.join("risk.schema.json"))
            .expect("read")
            .contains("draft-07")
    );
}

#[test]
fn schema_write_replaces_links_and_does_not_write_through_a_linked_folder() {
    let (tmp, reg) = workspace();
    let outside = tmp.path().join("outside.json");
    std::fs::write(&outside, "{}\n").expect("write");
    std::fs::create_dir_all(reg.join(".airisk/schema")).expect("mkdir");
    symlink(&outside, reg.join(".airisk/schema/risk.schema.json"));
    let (code, _, err) = airisk(&reg, &["schema", "--write"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&outside).expect("read"), "{}\n");
    assert!(
        std::fs::symlink_metadata(reg.join(".airisk/schema/risk.schema.json"))
            .expect("stat")
            .is_file()
    );
    // `.airisk` itself a link out of the register: refused, nothing written there.
    std::fs::remove_dir_all(reg.join(".airisk")).expect("rm");
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).expect("mkdir");
    symlink(&elsewhere, reg.join(".airisk"));
    let (code, _, err) = airisk(&reg, &["schema", "--write"]);
    assert_eq!(code, 2);
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(tree(&elsewhere), Vec::<String>::new());
}

#[test]
fn create_mode_does_not_write_through_a_linked_folder() {
    let (tmp, reg) = workspace();
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).expect("mkdir");
    std::fs::rename(reg.join("risks"), elsewhere.join("risks")).expect("move");
    symlink(elsewhere.join("risks"), reg.join("risks"));
    let before = tree(&elsewhere);
    let (code, _, err) = airisk(&reg, &["new", "risk", "--id", "R-100"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("symbolic link"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(tree(&elsewhere), before);
}

#[test]
fn pack_refuses_a_link_as_its_folder() {
    let (tmp, reg) = workspace();
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).expect("mkdir");
    symlink(&elsewhere, tmp.path().join("pack"));
    let (code, _, err) = airisk(&reg, &["pack", "../pack", "--as-of", AS_OF]);
    assert_eq!(code, 2);
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(tree(&elsewhere), Vec::<String>::new());
    assert_eq!(temporaries(tmp.path()), Vec::<String>::new());
}

// ------------------------------------------------------------------ devices, FIFOs, modes

/// A private character device `major:minor` in `dir` where this user may make one (root with
/// CAP_MKNOD), so that a regression cannot destroy the machine's own; else the machine's
/// `fallback`, which a user without that right could not replace anyway.
fn char_device(dir: &Path, name: &str, major_minor: (&str, &str), fallback: &str) -> PathBuf {
    let private = dir.join(name);
    let made = Command::new("mknod")
        .arg(&private)
        .args(["c", major_minor.0, major_minor.1])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if made {
        private
    } else {
        PathBuf::from(fallback)
    }
}

fn is_char_device(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_char_device())
}

#[test]
fn dev_null_stays_a_character_device() {
    let (tmp, reg) = workspace();
    let null = char_device(tmp.path(), "null", ("1", "3"), "/dev/null");
    let null_arg = null.to_str().expect("UTF-8 path");
    for args in [
        &["register", "-o", null_arg][..],
        &["soa", "--as-of", AS_OF, "-o", null_arg],
        &["check", "--format", "sarif", "-o", null_arg],
    ] {
        let (code, _, err) = airisk(&reg, args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(is_char_device(&null), "{args:?} replaced it");
    }
    assert_eq!(temporaries(tmp.path()), Vec::<String>::new());
    assert!(is_char_device(Path::new("/dev/null")));
}

#[test]
fn a_device_that_fails_the_write_is_an_error_and_stays_a_device() {
    let (tmp, reg) = workspace();
    let full = char_device(tmp.path(), "full", ("1", "7"), "/dev/full");
    let full_arg = full.to_str().expect("UTF-8 path");
    let (code, _, err) = airisk(&reg, &["register", "-o", full_arg]);
    assert_eq!(code, 2);
    assert!(err.contains(&format!("cannot write `{full_arg}`")), "{err}");
    assert!(err.contains("No space left"), "{err}");
    assert!(is_char_device(&full));
    assert_eq!(temporaries(tmp.path()), Vec::<String>::new());
}

#[test]
fn a_fifo_receives_the_document_and_stays_a_fifo() {
    let (tmp, reg) = workspace();
    let fifo = reg.join("out.fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success()
    );
    let (_, expected, _) = airisk(&reg, &["register", "--format", "markdown"]);
    // Read and write ends held open by the test, so neither side blocks in open(), and a
    // run that never writes into the FIFO cannot hang the reader: after the run the test
    // pads the FIFO with zero bytes, which the reader would then read instead.
    let ours = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&fifo)
        .expect("open the FIFO");
    let mut reading = ours.try_clone().expect("clone");
    let want = expected.len();
    let reader = std::thread::spawn(move || {
        let mut got = vec![0u8; want];
        reading.read_exact(&mut got).expect("read");
        got
    });
    let (code, _, err) = airisk(
        &reg,
        &["register", "--format", "markdown", "-o", "out.fifo"],
    );
    assert_eq!(code, 0, "{err}");
    let mut padding = ours;
    padding.write_all(&vec![0u8; want]).expect("pad");
    let got = reader.join().expect("reader");
    assert_eq!(
        String::from_utf8_lossy(&got),
        String::from_utf8_lossy(&expected)
    );
    let meta = std::fs::symlink_metadata(&fifo).expect("stat");
    assert!(meta.file_type().is_fifo(), "the FIFO was replaced");
    assert_eq!(temporaries(tmp.path()), Vec::<String>::new());
}

#[test]
fn the_mode_of_a_replaced_file_is_kept_and_a_new_file_gets_the_umask() {
    let (_tmp, reg) = workspace();
    let kept = reg.join("SOA.md");
    std::fs::write(&kept, "old\n").expect("write");
    std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let (code, _, err) = airisk(&reg, &["soa", "--as-of", AS_OF, "-o", "SOA.md"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(mode(&kept), 0o640);
    assert!(
        std::fs::read_to_string(&kept)
            .expect("read")
            .starts_with("# Statement")
    );
    // An executable script regenerated keeps its x bits too.
    let script = reg.join("complete.bash");
    std::fs::write(&script, "old\n").expect("write");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o750)).expect("chmod");
    let (code, _, err) = airisk(&reg, &["completions", "bash", "-o", "complete.bash"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(mode(&script), 0o750);
    // New files: 0666 less the umask (not the 0600 of a temporary file).
    for (umask, want) in [("022", 0o644), ("027", 0o640), ("002", 0o664)] {
        let name = format!("new-{umask}.md");
        let (code, _, err) = sh(
            &reg,
            &format!("umask {umask} && exec \"$AIRISK\" register -o {name}"),
        );
        assert_eq!(code, 0, "{err}");
        assert_eq!(mode(&reg.join(&name)), want, "umask {umask}");
    }
    // A link replaced by the document gets the mode of a new file, not its target's.
    let secret = reg.join("secret.txt");
    std::fs::write(&secret, "x\n").expect("write");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    symlink("secret.txt", reg.join("linked.md"));
    let (code, _, err) = sh(&reg, "umask 022 && exec \"$AIRISK\" register -o linked.md");
    assert_eq!(code, 0, "{err}");
    assert_eq!(mode(&reg.join("linked.md")), 0o644);
    assert_eq!(mode(&secret), 0o600);
}

// ------------------------------------------------------------------ failures and signals

#[test]
fn a_failing_write_leaves_no_temporary_file_and_the_old_target_intact() {
    let (tmp, reg) = workspace();
    // A file-size limit of one block: the manual page (several KB) cannot be written. Run
    // with SIGXFSZ at its default (which would kill the process mid-write, were airisk not
    // to catch it) and ignored.
    for trap in ["", "trap '' XFSZ; "] {
        std::fs::write(reg.join("airisk.1"), "old\n").expect("write");
        let (code, _, err) = sh(
            &reg,
            &format!("{trap}ulimit -f 1 && exec \"$AIRISK\" man -o airisk.1"),
        );
        assert_eq!(code, 2, "{trap}: {err}");
        assert!(err.contains("cannot write `"), "{err}");
        assert!(err.contains("airisk.1`"), "{err}");
        assert!(!err.contains("airisk-tmp"), "{err}");
        assert_eq!(
            std::fs::read_to_string(reg.join("airisk.1")).expect("read"),
            "old\n"
        );
        assert_eq!(temporaries(tmp.path()), Vec::<String>::new(), "{trap}");
    }
    // init under the same limit: nothing of the new register is left, its folder included.
    let (code, _, err) = sh(tmp.path(), "ulimit -f 1 && exec \"$AIRISK\" init limited");
    assert_eq!(code, 2, "{err}");
    assert!(
        !tmp.path().join("limited").exists(),
        "{:?}",
        tree(tmp.path())
    );
    // pack under the same limit: no half pack, no temporary folder.
    let (code, _, err) = sh(
        &reg,
        &format!("ulimit -f 1 && exec \"$AIRISK\" pack ../pack --as-of {AS_OF}"),
    );
    assert_eq!(code, 2, "{err}");
    assert!(!tmp.path().join("pack").exists());
    assert_eq!(temporaries(tmp.path()), Vec::<String>::new());
}

#[test]
fn a_missing_folder_is_named_and_no_temporary_name_is() {
    let (tmp, reg) = workspace();
    let before = tree(tmp.path());
    let (code, _, err) = airisk(&reg, &["register", "-o", "missing/folder/register.md"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("the folder `") && err.contains("missing/folder` does not exist"),
        "{err}"
    );
    assert!(!err.contains("airisk-tmp"), "{err}");
    assert_eq!(tree(tmp.path()), before);
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "needs a debug build: the AIRISK_TEST_PAUSE hook is compiled out of release builds"
)]
fn sigint_during_a_write_leaves_nothing_behind() {
    let (tmp, reg) = workspace();
    std::fs::write(reg.join("out.md"), "old\n").expect("write");
    let marker = tmp.path().join("paused");
    let mut child = spawn_paused(&reg, &["register", "-o", "out.md"], &marker);
    wait_paused(&mut child, &marker);
    // Mid-write: the whole document sits in a temporary file beside the target.
    assert_eq!(temporaries(&reg).len(), 1, "{:?}", tree(&reg));
    signal(&child, "-INT");
    let (code, _, err) = finish(child);
    assert_eq!(code, 130, "{err}");
    assert_eq!(temporaries(tmp.path()), Vec::<String>::new());
    assert_eq!(
        std::fs::read_to_string(reg.join("out.md")).expect("read"),
        "old\n"
    );
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "needs a debug build: the AIRISK_TEST_PAUSE hook is compiled out of release builds"
)]
fn sigterm_during_init_removes_the_half_created_register() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let marker = tmp.path().join("paused");
    let mut child = spawn_paused(tmp.path(), &["init", "reg"], &marker);
    wait_paused(&mut child, &marker);
    // Every file but the last is in place.
    let half = tree(&tmp.path().join("reg"));
    assert!(half.contains(&"airisk.toml".to_string()), "{half:?}");
    signal(&child, "-TERM");
    let (code, _, err) = finish(child);
    assert_eq!(code, 143, "{err}");
    assert_eq!(tree(tmp.path()), ["paused"]);
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "needs a debug build: the AIRISK_TEST_PAUSE hook is compiled out of release builds"
)]
fn sigint_during_pack_leaves_no_temporary_folder() {
    let (tmp, reg) = workspace();
    let marker = tmp.path().join("paused");
    let mut child = spawn_paused(&reg, &["pack", "../out/pack", "--as-of", AS_OF], &marker);
    wait_paused(&mut child, &marker);
    // Mid-write: the whole pack sits in one hidden folder beside where it goes.
    let staged: Vec<String> = tree(&tmp.path().join("out"))
        .into_iter()
        .filter(|n| n.ends_with(".airisk-tmp"))
        .collect();
    assert_eq!(staged.len(), 1, "{:?}", tree(tmp.path()));
    signal(&child, "-INT");
    let (code, _, err) = finish(child);
    assert_eq!(code, 130, "{err}");
    // Neither the pack, nor its staging folder, nor the `out` folder made for it.
    assert!(!tmp.path().join("out").exists(), "{:?}", tree(tmp.path()));
}

// ------------------------------------------------------------------ concurrent runs

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "needs a debug build: the AIRISK_TEST_PAUSE hook is compiled out of release builds"
)]
fn two_concurrent_runs_to_one_target_both_succeed_with_one_whole_document() {
    let (tmp, reg) = workspace();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let mut first = spawn_paused(&reg, &["register", "--format", "markdown", "-o", "out"], &a);
    let mut second = spawn_paused(&reg, &["register", "--format", "html", "-o", "out"], &b);
    wait_paused(&mut first, &a);
    wait_paused(&mut second, &b);
    // Both documents are written, each in its own temporary file.
    assert_eq!(temporaries(&reg).len(), 2, "{:?}", tree(&reg));
    release(&a);
    let (code, _, err) = finish(first);
    assert_eq!(code, 0, "{err}");
    release(&b);
    let (code, _, err) = finish(second);
    assert_eq!(code, 0, "{err}");
    let (_, html, _) = airisk(&reg, &["register", "--format", "html"]);
    assert_eq!(std::fs::read(reg.join("out")).expect("read"), html);
    assert_eq!(temporaries(tmp.path()), Vec::<String>::new());
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "needs a debug build: the AIRISK_TEST_PAUSE hook is compiled out of release builds"
)]
fn parallel_new_risks_take_distinct_ids() {
    let (tmp, reg) = workspace();
    const N: usize = 6;
    let markers: Vec<PathBuf> = (0..N).map(|i| tmp.path().join(format!("m{i}"))).collect();
    let mut children: Vec<Child> = markers
        .iter()
        .map(|m| spawn_paused(&reg, &["new", "risk", "--system", "ticket-triage"], m))
        .collect();
    // All of them have chosen the same next id and written it, none has created it yet.
    for (child, marker) in children.iter_mut().zip(&markers) {
        wait_paused(child, marker);
    }
    for m in &markers {
        release(m);
    }
    let mut paths: Vec<String> = children
        .into_iter()
        .map(|c| {
            let (code, out, err) = finish(c);
            assert_eq!(code, 0, "{err}");
            String::from_utf8(out).expect("UTF-8").trim().to_string()
        })
        .collect();
    paths.sort();
    let want: Vec<String> = (4..4 + N).map(|n| format!("risks/R-{n:03}.yaml")).collect();
    assert_eq!(paths, want);
    for p in &paths {
        let id = p.trim_start_matches("risks/").trim_end_matches(".yaml");
        let text = std::fs::read_to_string(reg.join(p)).expect("read");
        assert!(text.contains(&format!("\nid: {id}\n")), "{p}: {text}");
    }
    assert_eq!(temporaries(tmp.path()), Vec::<String>::new());
}

// ------------------------------------------------------------------ standard output

#[test]
fn dash_is_standard_output() {
    let (_tmp, reg) = workspace();
    let (_, expected, _) = airisk(&reg, &["register", "--format", "markdown"]);
    let (code, out, err) = airisk(&reg, &["register", "--format", "markdown", "-o", "-"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, expected);
    assert!(!reg.join("-").exists());
    let (code, out, _) = airisk(&reg, &["schema", "risk", "-o", "-"]);
    assert_eq!(code, 0);
    assert!(String::from_utf8_lossy(&out).contains("draft-07"));
    // `./-` is a file of that name.
    let (code, _, err) = airisk(&reg, &["register", "-o", "./-"]);
    assert_eq!(code, 0, "{err}");
    assert!(reg.join("-").is_file());
    // `soa --check` compares with a file, never with standard output.
    let (code, _, err) = airisk(&reg, &["soa", "-o", "-", "--check"]);
    assert_eq!(code, 2);
    assert!(err.contains("--check needs -o FILE"), "{err}");
}

/// A register whose rendered outputs are far larger than a pipe's buffer (64 KiB), with a
/// finding in every risk: a run writing to a closed pipe is certain to meet it. Long titles
/// make the documents large (each output is 230 KB or more) with few risks to read.
fn big_register() -> (tempfile::TempDir, PathBuf) {
    let (tmp, reg) = workspace();
    let text = std::fs::read_to_string(reg.join("risks/R-001.yaml")).expect("read");
    let title = "title: Tickets routed to the wrong queue after product changes";
    assert!(text.contains(title));
    let long = format!("{title}{}", " and more words".repeat(14));
    for n in 100..700 {
        let id = format!("R-{n}");
        let risk = text
            .replace("id: R-001", &format!("id: {id}"))
            .replace(title, &long)
            + "unknown_key: 1\n";
        std::fs::write(reg.join(format!("risks/{id}.yaml")), risk).expect("write");
    }
    (tmp, reg)
}

/// Runs airisk with its standard output a pipe whose reader has gone.
fn to_closed_pipe(cwd: &Path, args: &[&str]) -> (i32, String) {
    let mut child = bin()
        .current_dir(cwd)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("airisk starts");
    drop(child.stdout.take());
    let (code, _, err) = finish(child);
    (code, err)
}

#[test]
fn writing_to_a_closed_pipe_ends_quietly_with_0() {
    let (_tmp, reg) = big_register();
    // The smallest of these outputs is well over a pipe's buffer.
    let (_, csv, _) = airisk(&reg, &["register", "--format", "csv"]);
    assert!(csv.len() > 3 * (64 << 10), "{} bytes", csv.len());
    for args in [
        &["register"][..],
        &["register", "--format", "markdown"],
        &["check", "--format", "sarif"],
        &["check"],
        &["register", "--format", "csv"],
        &["register", "--format", "html"],
    ] {
        let (code, err) = to_closed_pipe(&reg, args);
        assert_eq!((code, err.as_str()), (0, ""), "{args:?}");
    }
    // As a shell runs it, the pipeline's status being airisk's (`pipefail`; bash is on
    // every machine these Unix tests run on, so a missing one fails the test).
    for line in [
        "\"$AIRISK\" register | head -1 >/dev/null",
        "\"$AIRISK\" check --format sarif | head -c1 >/dev/null",
    ] {
        let out = Command::new("bash")
            .current_dir(&reg)
            .args(["-o", "pipefail", "-c", line])
            .env("AIRISK", env!("CARGO_BIN_EXE_airisk"))
            .env("AIRISK_NO_GIT", "1")
            .output()
            .expect("bash runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!((out.status.code(), err.as_ref()), (Some(0), ""), "{line}");
    }
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "needs a debug build: the AIRISK_TEST_PAUSE hook is compiled out of release builds"
)]
fn init_to_a_closed_pipe_keeps_its_files_and_ends_quietly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let marker = tmp.path().join("paused");
    let mut child = spawn_paused(tmp.path(), &["init", "reg"], &marker);
    wait_paused(&mut child, &marker);
    // The reader goes away before init prints what it wrote.
    drop(child.stdout.take());
    release(&marker);
    let (code, _, err) = finish(child);
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(tmp.path().join("reg/airisk.toml").is_file());
    assert!(
        tmp.path()
            .join("reg/.airisk/schema/risk.schema.json")
            .is_file()
    );
}
