//! Confinement (SPEC §7, docs/security.md "Confinement"): nothing outside the register is
//! read, listed, echoed or copied; only regular files are read, the size limit applies before
//! a byte is read, and every path skipped is a finding or a warning. Each attack of issue 12
//! on reading is a test here: a canary token planted outside the register must appear in no
//! output of any command, in any format, from the working tree or with `--at`.

use crate::git::{Git, airisk};
use crate::support::{copy_dir, root};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A token found nowhere but in the files planted outside the register.
fn canary() -> String {
    format!("CANARY-{}-7f3e9c", std::process::id())
}

/// Runs airisk with a hang guard: a read that blocks (a FIFO) would otherwise stop the test
/// run instead of failing it. The guard is not a timing assertion: 120 s is far beyond any
/// run here (each takes milliseconds).
fn airisk_guarded(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_airisk"))
        .current_dir(cwd)
        .args(args)
        .env("NO_COLOR", "1")
        .env("HOME", cwd)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("airisk runs");
    fn drain(r: Option<impl std::io::Read + Send + 'static>) -> std::thread::JoinHandle<String> {
        std::thread::spawn(move || {
            let mut s = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut s);
            }
            String::from_utf8_lossy(&s).into_owned()
        })
    }
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > std::time::Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("airisk {args:?} hung (a blocking read?)");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    (
        status.code().unwrap_or(-1),
        out.join().expect("stdout"),
        err.join().expect("stderr"),
    )
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs")
        .success();
    assert!(ok, "mkfifo {}", path.display());
}

/// Every command a CI runs or a user reads, in every format (with `-o` where a command
/// writes a file: the file is read back as output).
fn every_command() -> Vec<Vec<String>> {
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for f in ["human", "json", "github", "sarif", "gitlab"] {
        runs.push(vec!["check", "--format", f]);
    }
    for cmd in ["register", "soa", "due"] {
        for f in ["table", "markdown", "csv", "json", "html"] {
            runs.push(vec![cmd, "--format", f]);
        }
    }
    for f in ["table", "markdown", "json", "html"] {
        runs.push(vec!["matrix", "--format", f]);
        runs.push(vec!["show", "R-001", "--format", f]);
        runs.push(vec!["report", "--format", f]);
    }
    for f in ["human", "markdown", "json", "html"] {
        runs.push(vec!["history", "R-001", "--format", f]);
    }
    for f in ["human", "markdown", "json"] {
        runs.push(vec!["diff", "main", "--format", f]);
    }
    runs.push(vec!["register", "--provenance", "--format", "json"]);
    runs.push(vec!["codeowners"]);
    runs.into_iter()
        .map(|r| r.into_iter().map(String::from).collect())
        .collect()
}

/// Runs every command (in the working tree and `--at REV` when given) and asserts `token` is
/// in none of their outputs, nor in the files of a pack. Returns the stderr of `soa`.
fn assert_no_output_has(reg: &Path, token: &str, at: Option<&str>) -> String {
    let mut soa_err = String::new();
    let out_dir = tempfile::tempdir().expect("tempdir");
    for (i, run) in every_command().into_iter().enumerate() {
        let mut args: Vec<String> = Vec::new();
        if let Some(rev) = at {
            args.extend(["--at".to_string(), rev.to_string()]);
        }
        args.extend(["--as-of".to_string(), "2026-11-01".to_string()]);
        args.extend(run.iter().cloned());
        let file = out_dir.path().join(format!("out-{i}"));
        args.extend(["-o".to_string(), file.display().to_string()]);
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = airisk_guarded(reg, &argv);
        assert!(code >= 0, "{argv:?} was killed");
        let written = std::fs::read_to_string(&file).unwrap_or_default();
        for (what, text) in [("stdout", &out), ("stderr", &err), ("-o file", &written)] {
            assert!(
                !text.contains(token),
                "{argv:?} put the secret in its {what}:\n{text}"
            );
        }
        if run[0] == "soa" && run[2] == "markdown" {
            soa_err = err;
        }
    }
    // The audit pack: every file in it.
    let pack = out_dir.path().join("pack");
    let mut args: Vec<String> = at
        .map(|r| vec!["--at".to_string(), r.to_string()])
        .unwrap_or_default();
    args.extend(["--as-of", "2026-11-01", "pack"].map(String::from));
    args.push(pack.display().to_string());
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = airisk_guarded(reg, &argv);
    assert_eq!(code, 0, "{argv:?}: {err}");
    assert!(!out.contains(token) && !err.contains(token), "{argv:?}");
    let mut files = 0;
    for e in walkdir::WalkDir::new(&pack) {
        let e = e.expect("entry");
        if e.file_type().is_file() {
            files += 1;
            let text =
                String::from_utf8_lossy(&std::fs::read(e.path()).expect("read")).into_owned();
            assert!(
                !text.contains(token),
                "the pack's {} has the secret",
                e.path().display()
            );
        }
    }
    assert!(files > 5, "the pack has {files} files");
    soa_err
}

/// Files outside the register holding `token`, shaped like what each linked path would hold:
/// the register's templates with the token in each, risks, a system, an assessment, an
/// incident, people.yaml and soa.yaml.
fn plant_outside(dir: &Path, token: &str) {
    let base = root().join("tests/fixtures/base");
    // Templates: the built-in ones, each carrying the token.
    let (code, _, err) = airisk(
        &base,
        &[
            "templates",
            "export",
            &dir.join("templates").display().to_string(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    for e in std::fs::read_dir(dir.join("templates")).expect("templates") {
        let p = e.expect("entry").path();
        let text = std::fs::read_to_string(&p).expect("read");
        std::fs::write(&p, format!("{token}\n{text}")).expect("write");
    }
    std::fs::write(dir.join("secret.txt"), format!("{token}\n")).expect("write");
    let risk = std::fs::read_to_string(base.join("risks/R-001.yaml"))
        .expect("read")
        .replace("id: R-001", "id: R-900")
        .replacen("title: ", &format!("title: {token} "), 1);
    std::fs::create_dir_all(dir.join("risks")).expect("mkdir");
    std::fs::write(dir.join("R-900.yaml"), &risk).expect("write");
    std::fs::write(
        dir.join("risks/R-901.yaml"),
        risk.replace("id: R-900", "id: R-901"),
    )
    .expect("write");
    std::fs::create_dir_all(dir.join("systems")).expect("mkdir");
    let system = std::fs::read_to_string(base.join("systems/ticket-triage.yaml"))
        .expect("read")
        .replacen("name: ", &format!("name: {token} "), 1);
    std::fs::write(dir.join("systems/ticket-triage.yaml"), system).expect("write");
    std::fs::create_dir_all(dir.join("assessments")).expect("mkdir");
    std::fs::write(
        dir.join("assessments/A-900.yaml"),
        format!("id: A-900\nsystem: ticket-triage\nsecret: {token}\n"),
    )
    .expect("write");
    std::fs::write(
        dir.join("I-900.yaml"),
        format!("id: I-900\nsummary: {token}\nwhatever: {token}\n"),
    )
    .expect("write");
    let people = std::fs::read_to_string(base.join("people.yaml"))
        .expect("read")
        .replacen("name: ", &format!("name: {token} "), 1);
    std::fs::write(dir.join("people.yaml"), people).expect("write");
    let soa = std::fs::read_to_string(base.join("soa.yaml"))
        .expect("read")
        .replacen("justification: ", &format!("justification: {token} "), 1);
    std::fs::write(dir.join("soa.yaml"), soa).expect("write");
}

/// A repository with the clean base register on `main`, and branch `pr` (checked out)
/// committing links out of the register at every path a register reads: `templates/`,
/// `systems/`, `assessments/`, a risk file, a folder of risks, an incident file,
/// people.yaml and soa.yaml.
#[cfg(unix)]
fn linked_repo(outside: &Path) -> Git {
    use std::os::unix::fs::symlink;
    let g = Git::init();
    g.base("reg");
    g.date("2026-09-01").commit("The register");
    g.git(&["checkout", "-q", "-b", "pr"]);
    let reg = g.path().join("reg");
    for (link, target) in [
        ("templates", "templates"),
        ("systems", "systems"),
        ("assessments", "assessments"),
        ("risks/R-900.yaml", "R-900.yaml"),
        ("risks/more", "risks"),
        ("incidents/I-900.yaml", "I-900.yaml"),
        ("people.yaml", "people.yaml"),
        ("soa.yaml", "soa.yaml"),
    ] {
        let at = reg.join(link);
        if at.is_dir() {
            std::fs::remove_dir_all(&at).expect("rm");
        } else if at.exists() {
            std::fs::remove_file(&at).expect("rm");
        }
        std::fs::create_dir_all(at.parent().expect("parent")).expect("mkdir");
        symlink(outside.join(target), &at).expect("link");
    }
    g.date("2026-09-02")
        .commit("Link everything out of the register");
    g
}

/// The paths the listing refused, from `check --format json`.
fn refused_paths(reg: &Path, at: Option<&str>) -> Vec<String> {
    let mut args: Vec<&str> = at.map(|r| vec!["--at", r]).unwrap_or_default();
    args.extend(["check", "--as-of", "2026-11-01", "--format", "json"]);
    let (code, out, err) = airisk_guarded(reg, &args);
    assert_eq!(code, 1, "{args:?}: {err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    let mut files: Vec<String> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "file-unreadable")
        .map(|f| f["file"].as_str().unwrap_or_default().to_string())
        .collect();
    files.sort();
    files
}

#[cfg(unix)]
#[test]
fn links_out_of_the_register_reach_no_output_of_any_command() {
    let token = canary();
    let outside = tempfile::tempdir().expect("tempdir");
    plant_outside(outside.path(), &token);
    let g = linked_repo(outside.path());
    let reg = g.path().join("reg");
    let every_link = [
        "assessments",
        "incidents/I-900.yaml",
        "people.yaml",
        "risks/R-900.yaml",
        "risks/more",
        "soa.yaml",
        "systems",
        "templates",
    ];
    // Every path skipped is a finding, in the working tree and in the revision.
    assert_eq!(refused_paths(&reg, None), every_link);
    assert_eq!(refused_paths(&reg, Some("pr")), every_link);
    // The rendering commands warn of the templates they do not use.
    let soa_err = assert_no_output_has(&reg, &token, None);
    assert!(
        soa_err.contains("`templates` is not read"),
        "no warning about templates/: {soa_err}"
    );
    assert_no_output_has(&reg, &token, Some("pr"));
}

#[cfg(unix)]
#[test]
fn an_airisk_toml_linked_out_of_the_register_stops_every_command_unread() {
    use std::os::unix::fs::symlink;
    let token = canary();
    let outside = tempfile::tempdir().expect("tempdir");
    let config = std::fs::read_to_string(root().join("tests/fixtures/base/airisk.toml"))
        .expect("read")
        .replace("Example Software Ltd", &token);
    std::fs::write(outside.path().join("airisk.toml"), config).expect("write");
    let g = Git::init();
    g.base("reg");
    g.date("2026-09-01").commit("The register");
    g.git(&["checkout", "-q", "-b", "pr"]);
    let reg = g.path().join("reg");
    std::fs::remove_file(reg.join("airisk.toml")).expect("rm");
    symlink(outside.path().join("airisk.toml"), reg.join("airisk.toml")).expect("link");
    g.date("2026-09-02").commit("Link airisk.toml out");
    for at in [None, Some("pr")] {
        for run in every_command() {
            let mut args: Vec<&str> = at.map(|r| vec!["--at", r]).unwrap_or_default();
            args.extend(run.iter().map(String::as_str));
            let (code, out, err) = airisk_guarded(&reg, &args);
            assert_eq!(code, 2, "{args:?}: {out}");
            assert!(
                !out.contains(&token) && !err.contains(&token),
                "{args:?}: {err}"
            );
            assert!(err.contains("symbolic link"), "{args:?}: {err}");
        }
    }
}

#[cfg(unix)]
#[test]
fn a_template_linked_out_of_the_register_is_refused_and_named() {
    use std::os::unix::fs::symlink;
    let token = canary();
    let outside = tempfile::tempdir().expect("tempdir");
    plant_outside(outside.path(), &token);
    let reg = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/base"), reg.path());
    std::fs::create_dir(reg.path().join("templates")).expect("mkdir");
    // One template linked out, one including a file linked out, one linked to a file inside.
    symlink(
        outside.path().join("templates/soa.md"),
        reg.path().join("templates/soa.md"),
    )
    .expect("link");
    symlink(
        outside.path().join("secret.txt"),
        reg.path().join("templates/secret.md"),
    )
    .expect("link");
    std::fs::write(
        reg.path().join("templates/due.md"),
        "{% include \"secret.md\" %}\n",
    )
    .expect("write");
    std::fs::write(
        reg.path().join("policies/inside.md"),
        "INSIDE {{ 1 + 1 }}\n",
    )
    .expect("write");
    symlink(
        reg.path().join("policies/inside.md"),
        reg.path().join("templates/matrix.md"),
    )
    .expect("link");
    let run = |args: &[&str]| {
        let mut a = vec!["--no-git", "--as-of", "2026-11-01"];
        a.extend(args);
        airisk_guarded(reg.path(), &a)
    };
    let (code, out, err) = run(&["soa", "--format", "markdown"]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains(&token) && !err.contains(&token));
    assert!(out.contains("Statement of Applicability"), "{out}");
    assert!(err.contains("`templates/soa.md` is not read"), "{err}");
    assert!(err.contains("`templates/secret.md` is not read"), "{err}");
    // The include of the refused file fails, naming the template, not showing the file.
    let (code, out, err) = run(&["due", "--format", "markdown"]);
    assert_eq!(code, 2, "{out}");
    assert!(!out.contains(&token) && !err.contains(&token), "{err}");
    assert!(err.contains("secret.md"), "{err}");
    // A link to a file inside the register is read like the file.
    let (code, out, err) = run(&["matrix", "--format", "markdown"]);
    assert_eq!((code, out.as_str()), (0, "INSIDE 2\n"), "{err}");
    // check reports each refused template as a finding.
    let (code, out, _) = run(&["check", "--format", "json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    let files: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["file"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(files, ["templates/secret.md", "templates/soa.md"]);
}

#[cfg(unix)]
#[test]
fn fifos_are_never_opened_and_each_is_a_finding() {
    let reg = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/base"), reg.path());
    std::fs::create_dir(reg.path().join("templates")).expect("mkdir");
    std::fs::create_dir(reg.path().join("incidents")).expect("mkdir");
    std::fs::remove_file(reg.path().join("people.yaml")).expect("rm");
    for fifo in [
        "risks/R-fifo.yaml",
        "incidents/I-fifo.yml",
        "people.yaml",
        "templates/soa.md",
    ] {
        mkfifo(&reg.path().join(fifo));
    }
    let (code, out, err) = airisk_guarded(
        reg.path(),
        &[
            "--no-git",
            "check",
            "--as-of",
            "2026-11-01",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    let mut unreadable: Vec<(String, String)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "file-unreadable")
        .map(|f| {
            (
                f["file"].as_str().unwrap_or_default().to_string(),
                f["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    unreadable.sort();
    let files: Vec<&str> = unreadable.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        files,
        [
            "incidents/I-fifo.yml",
            "people.yaml",
            "risks/R-fifo.yaml",
            "templates/soa.md"
        ]
    );
    assert!(
        unreadable.iter().all(|(_, m)| m.contains("a FIFO")),
        "{unreadable:?}"
    );
    let (code, _, err) = airisk_guarded(
        reg.path(),
        &[
            "--no-git",
            "soa",
            "--as-of",
            "2026-11-01",
            "--format",
            "markdown",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("`templates/soa.md` is not read: it is a FIFO"),
        "{err}"
    );
    // airisk.toml itself as a FIFO: a plain error (exit 2), no hang.
    std::fs::remove_file(reg.path().join("airisk.toml")).expect("rm");
    mkfifo(&reg.path().join("airisk.toml"));
    let (code, _, err) = airisk_guarded(reg.path(), &["--no-git", "check"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot read airisk.toml") && err.contains("FIFO"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn odd_entries_where_data_would_be_are_findings() {
    use std::os::unix::fs::symlink;
    let reg = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/base"), reg.path());
    // A link to nothing, a folder named like a data file, a link to a folder inside the
    // register, and a folder too deep to enter.
    symlink("R-404.yaml", reg.path().join("risks/R-gone.yaml")).expect("link");
    std::fs::remove_file(reg.path().join("people.yaml")).expect("rm");
    std::fs::create_dir(reg.path().join("people.yaml")).expect("mkdir");
    symlink(reg.path().join("systems"), reg.path().join("risks/systems")).expect("link");
    let deep: PathBuf = (0..70).map(|i| format!("d{i}")).collect();
    std::fs::create_dir_all(reg.path().join("risks").join(&deep)).expect("mkdir");
    let (code, out, err) = airisk_guarded(
        reg.path(),
        &[
            "--no-git",
            "check",
            "--as-of",
            "2026-11-01",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    let found: Vec<(String, String)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "file-unreadable")
        .map(|f| {
            (
                f["file"].as_str().unwrap_or_default().to_string(),
                f["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let at_64: String = (0..64).map(|i| format!("/d{i}")).collect();
    assert_eq!(
        found,
        [
            (
                "people.yaml".to_string(),
                "cannot read the file: it is a folder, not a file".to_string()
            ),
            (
                "risks/R-gone.yaml".to_string(),
                "cannot read the file: it is a symbolic link to nothing".to_string()
            ),
            (
                format!("risks{at_64}"),
                "cannot read the file: it is a folder 64 levels down, and airisk enters no folder that deep".to_string()
            ),
            (
                "risks/systems".to_string(),
                "cannot read the file: it is a symbolic link to a folder, and airisk never enters a folder through a link".to_string()
            ),
        ]
    );
}

#[cfg(unix)]
#[test]
fn soa_check_reads_only_a_regular_file_and_no_more_than_the_document() {
    use std::os::unix::fs::symlink;
    let reg = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/base"), reg.path());
    let check = |name: &str| {
        airisk_guarded(
            reg.path(),
            &[
                "--no-git",
                "--as-of",
                "2026-11-01",
                "soa",
                "-o",
                name,
                "--check",
            ],
        )
    };
    // The `-o` name a pull request commits as a link to an endless device, or as a FIFO.
    symlink("/dev/zero", reg.path().join("ZERO.md")).expect("link");
    let (code, out, err) = check("ZERO.md");
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("ZERO.md is a symbolic link, not the document"),
        "{out}"
    );
    mkfifo(&reg.path().join("FIFO.md"));
    let (code, _, err) = check("FIFO.md");
    assert_eq!(code, 2);
    assert!(err.contains("it is a FIFO"), "{err}");
    // A file far longer than the document is out of date, read no further than it.
    sparse(&reg.path().join("BIG.md"), 40 << 30);
    let (code, out, err) = check("BIG.md");
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("BIG.md is out of date with the register"),
        "{out}"
    );
    // The real thing still works.
    let (code, _, err) = airisk_guarded(
        reg.path(),
        &["--no-git", "--as-of", "2026-11-01", "soa", "-o", "SOA.md"],
    );
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = check("SOA.md");
    assert_eq!(
        (code, out.as_str()),
        (0, "SOA.md is up to date with the register\n")
    );
}

/// A sparse file: its size is what metadata says, without the disk space.
fn sparse(path: &Path, bytes: u64) {
    let f = std::fs::File::create(path).expect("create");
    f.set_len(bytes).expect("set_len");
}

#[test]
fn a_huge_file_is_refused_by_its_size_before_a_byte_is_read() {
    // 40 GiB (sparse): read whole, it took 18.7 GB of memory. Refused on its metadata, it
    // costs nothing, wherever it is: a risk, people.yaml, a template, the infosec register.
    let reg = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/base"), reg.path());
    std::fs::create_dir(reg.path().join("templates")).expect("mkdir");
    sparse(&reg.path().join("risks/R-huge.yaml"), 40 << 30);
    sparse(&reg.path().join("templates/soa.md"), 40 << 30);
    let (code, out, err) = airisk_guarded(
        reg.path(),
        &[
            "--no-git",
            "check",
            "--as-of",
            "2026-11-01",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    let found: Vec<(&str, &str)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap_or_default(),
                f["message"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "risks/R-huge.yaml",
                "the file is 40960 MiB; register files are read up to 8 MiB"
            ),
            (
                "templates/soa.md",
                "the template is not read: the file is 40960 MiB; files are read up to 8 MiB"
            ),
        ]
    );
    // The infosec register, too.
    let config = std::fs::read_to_string(reg.path().join("airisk.toml")).expect("read");
    std::fs::write(
        reg.path().join("airisk.toml"),
        format!("{config}\n[infosec]\nregister = \"isms.csv\"\n"),
    )
    .expect("write");
    sparse(&reg.path().join("isms.csv"), 40 << 30);
    let (code, _, err) = airisk_guarded(reg.path(), &["--no-git", "check"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot read the infosec register `isms.csv`: the file is 40960 MiB"),
        "{err}"
    );
}

/// `airisk.toml` with an `[infosec]` register at `path`.
fn with_infosec(reg: &Path, path: &str, column: Option<&str>) {
    let base =
        std::fs::read_to_string(root().join("tests/fixtures/base/airisk.toml")).expect("read");
    let column = column
        .map(|c| format!("id_column = \"{c}\"\n"))
        .unwrap_or_default();
    std::fs::write(
        reg.join("airisk.toml"),
        format!("{base}\n[infosec]\nregister = \"{path}\"\n{column}"),
    )
    .expect("write");
}

/// `../` enough times to climb from `from` to `/`, then `to` (absolute): a relative path out.
fn relative_out(from: &Path, to: &Path) -> String {
    let ups = from.components().count() - 1;
    format!(
        "{}{}",
        "../".repeat(ups),
        to.display().to_string().trim_start_matches('/')
    )
}

#[cfg(unix)]
#[test]
fn the_infosec_register_is_a_regular_file_of_the_repository_and_never_echoed() {
    use std::os::unix::fs::symlink;
    let token = canary();
    let outside = tempfile::tempdir().expect("tempdir");
    let secret = outside.path().join("secret.csv");
    std::fs::write(&secret, format!("{token},x\n{token},y\n")).expect("write");
    let g = Git::init();
    g.base("reg");
    g.write(
        "isms/risks.csv",
        "id,title\nISR-104,Email data leaves the EU\n",
    );
    g.write(
        "isms/headers.csv",
        &format!("{token},title\nISR-104,Email\n"),
    );
    g.write(
        "isms/broken.yaml",
        &format!("- id: a\n  {token}: 1\n  {token}: 2\n"),
    );
    g.git(&["config", "airisk.canary", &token]);
    let reg = g.path().join("reg");
    symlink(&secret, reg.join("linked.csv")).expect("link");
    symlink("/dev/zero", reg.join("zero.csv")).expect("link");
    mkfifo(&reg.join("fifo.csv"));
    symlink(g.path().join("isms"), reg.join("isms-link")).expect("link");
    let abs = secret.display().to_string();
    let climbing = relative_out(&reg, &secret);
    let cases: Vec<(&str, Option<&str>, &str)> = vec![
        (
            &abs,
            None,
            "leads outside the register and the git repository holding it",
        ),
        (
            &climbing,
            None,
            "leads outside the register and the git repository holding it",
        ),
        (
            "linked.csv",
            None,
            "leads outside the register and the git repository holding it through a symbolic link",
        ),
        ("zero.csv", None, "through a symbolic link"),
        ("fifo.csv", None, "it is a FIFO"),
        ("/dev/zero", None, "leads outside"),
        ("../.git/config", None, "`.git` folder"),
        ("isms-link/../../.git/config", None, "`.git` folder"),
        (
            "../isms/headers.csv",
            Some("id"),
            "its header row (line 1, 2 columns) has no column `id`",
        ),
        ("../isms/broken.yaml", None, "line 3 is not valid YAML"),
    ];
    for (path, column, why) in cases {
        with_infosec(&reg, path, column);
        for cmd in [&["check"][..], &["register", "--format", "markdown"][..]] {
            let mut args = vec!["--as-of", "2026-11-01"];
            args.extend(cmd);
            let (code, out, err) = airisk_guarded(&reg, &args);
            assert_eq!(code, 2, "{path}: {out}{err}");
            assert!(
                !out.contains(&token) && !err.contains(&token),
                "{path}: the content is echoed: {err}"
            );
            assert!(err.contains(why), "{path}: {err}");
        }
    }
    // Beside the register in its repository, a regular file is read (SPEC §1.1's
    // `../isms/risks.csv`), through a link inside the repository too.
    for path in ["../isms/risks.csv", "isms-link/risks.csv"] {
        with_infosec(&reg, path, Some("id"));
        let (code, out, err) = airisk_guarded(&reg, &["check", "--as-of", "2026-11-01"]);
        assert_eq!(code, 0, "{path}: {out}{err}");
    }
    // Outside any repository, only the register folder may hold it.
    let plain = tempfile::tempdir().expect("tempdir");
    copy_dir(
        &root().join("tests/fixtures/base"),
        &plain.path().join("reg"),
    );
    std::fs::create_dir(plain.path().join("isms")).expect("mkdir");
    std::fs::write(plain.path().join("isms/risks.csv"), "id\nISR-1\n").expect("write");
    with_infosec(&plain.path().join("reg"), "../isms/risks.csv", None);
    if git_free_dir(plain.path()) {
        let (code, _, err) = airisk_guarded(&plain.path().join("reg"), &["--no-git", "check"]);
        assert_eq!(code, 2);
        assert!(err.contains("leads outside the register"), "{err}");
    }
}

/// A zlib stream holding `data` in one stored (uncompressed) deflate block: what a loose git
/// object file is, written by hand so that its header can lie about its size.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let len = u16::try_from(data.len()).expect("a short object");
    let mut out = vec![0x78, 0x01, 0x01];
    out.extend(len.to_le_bytes());
    out.extend((!len).to_le_bytes());
    out.extend(data);
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    out.extend(((b << 16) | a).to_be_bytes());
    out
}

#[cfg(unix)]
#[test]
fn at_a_revision_links_and_submodules_are_refused_and_blobs_are_size_checked() {
    use std::os::unix::fs::symlink;
    let g = Git::init();
    g.base("reg");
    g.date("2026-09-01").commit("The register");
    let head = g.git(&["rev-parse", "HEAD"]);
    // A link to a risk inside the register: the working tree reads it (a duplicate id); a
    // revision holds the link, which is never followed.
    symlink("R-001.yaml", g.path().join("reg/risks/R-link.yaml")).expect("link");
    // A 9 MiB risk file (it compresses to almost nothing in git).
    g.write("reg/risks/R-big.yaml", &"#".repeat(9 << 20));
    g.date("2026-09-02").commit("A link and a big file");
    // A submodule where risks live, and a blob whose header says 100 MiB but which holds a
    // few bytes: refused on its header, it is never decompressed.
    let fake = "0123456789abcdef0123456789abcdef01234567";
    let objects = g.path().join(".git/objects/01");
    std::fs::create_dir_all(&objects).expect("mkdir");
    std::fs::write(
        objects.join(&fake[2..]),
        zlib_stored(b"blob 104857600\0id: R-fake\n"),
    )
    .expect("write");
    g.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("100644,{fake},reg/risks/R-fake.yaml"),
    ]);
    g.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{head},reg/risks/sub"),
    ]);
    g.git(&["commit", "-q", "-m", "A submodule and a lying blob"]);
    let reg = g.path().join("reg");
    let (code, out, err) = airisk_guarded(
        &reg,
        &[
            "--at",
            "HEAD",
            "check",
            "--as-of",
            "2026-11-01",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    let found: Vec<(&str, &str)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap_or_default(),
                f["message"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "risks/R-big.yaml",
                "the file is 9 MiB; register files are read up to 8 MiB"
            ),
            (
                "risks/R-fake.yaml",
                "the file is 100 MiB; register files are read up to 8 MiB"
            ),
            (
                "risks/R-link.yaml",
                "cannot read the file: it is a symbolic link, and links are never followed in a git revision"
            ),
            (
                "risks/sub",
                "cannot read the file: it is a git submodule, which airisk never reads"
            ),
        ]
    );
    // airisk.toml as a link in a revision: refused by name, not "not found".
    g.git(&[
        "rm",
        "-q",
        "--cached",
        "reg/risks/R-fake.yaml",
        "reg/risks/sub",
    ]);
    std::fs::rename(reg.join("airisk.toml"), g.path().join("airisk.toml")).expect("mv");
    symlink("../airisk.toml", reg.join("airisk.toml")).expect("link");
    g.date("2026-09-03").commit("airisk.toml as a link");
    let (code, _, err) = airisk_guarded(&reg, &["--at", "HEAD", "check"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("reg/airisk.toml` at revision `HEAD` is a symbolic link"),
        "{err}"
    );
}

#[test]
fn history_reads_no_version_over_the_size_limit() {
    let g = Git::init();
    g.base("reg");
    g.date("2026-09-01").commit("The register");
    let path = g.path().join("reg/risks/R-001.yaml");
    let text = std::fs::read_to_string(&path).expect("read");
    // One version padded past 8 MiB with a comment, then back.
    g.write(
        "reg/risks/R-001.yaml",
        &format!("{text}#{}\n", "x".repeat(9 << 20)),
    );
    g.date("2026-09-02").commit("Pad R-001");
    g.write(
        "reg/risks/R-001.yaml",
        &text.replace("title: ", "title: New "),
    );
    g.date("2026-09-03").commit("Retitle R-001");
    let reg = g.path().join("reg");
    let (code, out, err) = airisk_guarded(&reg, &["history", "R-001"]);
    assert_eq!(code, 0, "{err}");
    let notes = out
        .matches("(a version is not readable YAML, or is over 8 MiB: fields not compared)")
        .count();
    assert_eq!(notes, 2, "{out}");
    assert!(
        out.contains("Retitle R-001") && out.contains("Pad R-001"),
        "{out}"
    );
}

/// Peak memory (KiB) of `airisk history ID --format json` in `reg`, by GNU time's `%M`, with
/// the number of commits listed.
fn history_peak(time: &Path, reg: &Path, id: &str) -> (u64, usize) {
    let out = Command::new(time)
        .args(["-f", "%M"])
        .arg(env!("CARGO_BIN_EXE_airisk"))
        .args(["history", id, "--format", "json"])
        .current_dir(reg)
        .env("HOME", reg)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let kib = stderr
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak memory in {stderr}"));
    (kib, json["commits"].as_array().map_or(0, Vec::len))
}

#[test]
#[ignore = "needs GNU time (/usr/bin/time): apt-get install time"]
fn history_holds_one_version_at_a_time() {
    // R-001 gets 40 versions of 3 MiB, R-002 8: held whole, each version costs its size
    // several times over, so the longer history took hundreds of megabytes more; read one
    // at a time, the two runs peak alike. Peak memory is measured with GNU time, which
    // .ci/run installs.
    let time = crate::support::require_tool(
        &["/usr/bin/time"],
        &["-f", "%M", "true"],
        "apt-get install time",
    );
    let time = Path::new(&time);
    let g = Git::init();
    g.base("reg");
    g.date("2026-09-01").commit("The register");
    let read = |rel: &str| std::fs::read_to_string(g.path().join(rel)).expect("read");
    let (r1, r2) = (read("reg/risks/R-001.yaml"), read("reg/risks/R-002.yaml"));
    let padding = "x".repeat(3 << 20);
    let version = |text: &str, i: usize| {
        format!(
            "{}#{i}{padding}\n",
            text.replacen("title: ", &format!("title: v{i} "), 1)
        )
    };
    for i in 0..40 {
        g.write("reg/risks/R-001.yaml", &version(&r1, i));
        if i < 8 {
            g.write("reg/risks/R-002.yaml", &version(&r2, i));
        }
        g.date(&format!("2026-09-{:02}", 2 + i % 28))
            .commit(&format!("Version {i}"));
    }
    let reg = g.path().join("reg");
    let (long, n_long) = history_peak(time, &reg, "R-001");
    let (short, n_short) = history_peak(time, &reg, "R-002");
    assert_eq!((n_long, n_short), (41, 9));
    // The 32 more versions may fill git's object cache (64 MiB, src/git/mod.rs) where the
    // shorter history does not; held whole, they would cost 3 x 96 MiB more.
    assert!(
        long < short + (96 << 10),
        "32 more versions of 3 MiB cost {} MiB more",
        (long.saturating_sub(short)) >> 10
    );
}

/// Whether no folder at or above `dir` holds `.git`.
fn git_free_dir(dir: &Path) -> bool {
    !dir.ancestors().any(|d| d.join(".git").exists())
}

/// The `file-ignored` findings of `check --format json`: (file, help).
fn ignored_paths(reg: &Path, at: Option<&str>) -> Vec<(String, String)> {
    let mut args: Vec<&str> = at.map(|r| vec!["--at", r]).unwrap_or_default();
    args.extend(["check", "--as-of", "2026-11-01", "--format", "json"]);
    let (_, out, err) = airisk_guarded(reg, &args);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{err}"));
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "file-ignored")
        .map(|f| {
            (
                f["file"].as_str().unwrap_or_default().to_string(),
                f["help"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn paths_named_like_data_that_are_not_read_are_findings_and_subfolders_are_read() {
    let g = Git::init();
    g.base("reg");
    // Year and team folders are read: a nested incident and a nested system.
    g.write(
        "reg/incidents/2026/INC-001.yaml",
        "id: INC-001\ndate: 2026-10-20\nkind: near-miss\nsystem: ticket-triage\nsummary: x\n\
         corrective_action: { plan: p, owner: bjones, due: 2026-10-25, status: planned }\n",
    );
    // Named like data, not read: an upper-case extension, a misspelt folder, YAML at the
    // root, a folder named like a file. Quiet: evidence/, a hidden folder, a README.
    let reg = g.path().join("reg");
    std::fs::copy(reg.join("risks/R-003.yaml"), reg.join("risks/R-004.YAML")).expect("cp");
    g.write("reg/riks/R-005.yaml", "id: R-005\n");
    g.write("reg/Systems/chat.yaml", "id: chat\n");
    g.write("reg/risk.yaml", "id: R-006\n");
    g.write("reg/systems/old.yaml/notes.md", "notes\n");
    g.write("reg/evidence/pipeline.yaml", "steps: [a]\n");
    g.write("reg/.github/workflows/ci.yml", "on: push\n");
    g.write("reg/risks/README.md", "One risk per file.\n");
    g.date("2026-09-01").commit("The register");
    let want = [
        (
            "Systems/chat.yaml",
            "did you mean `systems/`? move it to `systems/chat.yaml`",
        ),
        (
            "riks/R-005.yaml",
            "did you mean `risks/`? move it to `risks/R-005.yaml`",
        ),
        (
            "risk.yaml",
            "one entity per file, in its kind's folder: systems/, risks/, assessments/, incidents/",
        ),
        (
            "risks/R-004.YAML",
            "only names ending in `.yaml` or `.yml` (lower case) are read: rename it to `R-004.yaml` to read it as a risk, or delete it if it is a leftover copy",
        ),
        (
            "systems/old.yaml",
            "rename the folder without `.yaml` or `.yml`",
        ),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(f, h)| (f.to_string(), h.to_string()))
        .collect();
    // The working tree and a revision agree.
    assert_eq!(ignored_paths(&reg, None), want);
    assert_eq!(ignored_paths(&reg, Some("HEAD")), want);
    for at in [None, Some("HEAD")] {
        let mut args: Vec<&str> = at.map(|r| vec!["--at", r]).unwrap_or_default();
        args.extend(["due", "--as-of", "2026-11-01", "--format", "json"]);
        let (code, out, err) = airisk_guarded(&reg, &args);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("INC-001"), "{args:?}: {out}");
    }
    // A FIFO and a dangling link named like data inside a kind's folder are refused
    // (`file-unreadable`); outside, they are named like data and not read (`file-ignored`).
    mkfifo(&reg.join("incidents/2026/INC-002.yaml"));
    std::os::unix::fs::symlink("nothing", reg.join("riks/R-007.yaml")).expect("link");
    let refused = refused_paths(&reg, None);
    assert_eq!(refused, ["incidents/2026/INC-002.yaml"]);
    assert!(
        ignored_paths(&reg, None)
            .iter()
            .any(|(f, _)| f == "riks/R-007.yaml")
    );
}
