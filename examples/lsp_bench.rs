#![allow(clippy::print_stdout, clippy::print_stderr)] // a measuring tool: it reports on stdout
//! A scripted editor for `airisk lsp`, for docs/performance.md: starts the server on a
//! register (a generated one: `cargo run --release --example gen -- --risks 10000 DIR`),
//! opens one risk file, and measures, each over `--rounds` repetitions, the time from sending
//! to receiving:
//!
//! - an edit that introduces a finding (a misspelt system) to the `publishDiagnostics` of the
//!   file, and the edit undoing it to the next one (the republish after an edit);
//! - go to definition (the system of the risk), find references (every use of that system),
//!   completion of the `system:` value.
//!
//! and the server's peak resident memory (`VmHWM` from /proc) after the run, beside that of
//! `airisk check` on the same register (measured by /usr/bin/time when it is there).
//! Not a test: nothing here is asserted; `scripts/lsp-bench.sh` runs it.
//!
//! `cargo run --release --example lsp_bench -- BIN REGISTER [--rounds N]`

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_str().expect("a UTF-8 path").bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

struct Server {
    stdin: std::process::ChildStdin,
    stdout: BufReader<std::process::ChildStdout>,
    next: i64,
}

impl Server {
    fn send(&mut self, v: &Value) {
        let body = serde_json::to_vec(v).expect("json");
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).expect("write");
        self.stdin.write_all(&body).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn recv(&mut self) -> Value {
        let mut len = 0;
        loop {
            let mut line = String::new();
            assert!(
                self.stdout.read_line(&mut line).expect("read") > 0,
                "the server exited"
            );
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                len = v.parse().expect("a length");
            }
        }
        let mut body = vec![0; len];
        self.stdout.read_exact(&mut body).expect("read");
        serde_json::from_slice(&body).expect("json")
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self.recv();
            if m["id"] == id {
                return m;
            }
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn publish_for(&mut self, u: &str) -> usize {
        loop {
            let m = self.recv();
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == u {
                return m["params"]["diagnostics"].as_array().map_or(0, Vec::len);
            }
        }
    }
}

fn summary(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = times[times.len() / 2];
    let p90 = times[(times.len() * 9 / 10).min(times.len() - 1)];
    println!(
        "{name:<28} median {:>7.2} ms   p90 {:>7.2} ms   min {:>7.2} ms   max {:>7.2} ms   (n = {})",
        ms(median),
        ms(p90),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
}

/// The CPU time (user + system) the process has used, from /proc (clock ticks of 10 ms).
fn cpu(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (in parentheses, which may hold spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(bin), Some(reg)) = (args.first(), args.get(1)) else {
        eprintln!("usage: lsp_bench BIN REGISTER [--rounds N]");
        std::process::exit(2);
    };
    let rounds: usize = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(50);
    let reg = PathBuf::from(reg)
        .canonicalize()
        .expect("the register exists");
    let mut risks: Vec<PathBuf> = walkdir::WalkDir::new(reg.join("risks"))
        .into_iter()
        .filter_map(|e| e.ok().map(|e| e.into_path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    risks.sort();
    let file = risks[risks.len() / 2].clone();
    let text = std::fs::read_to_string(&file).expect("read");
    let system_line = text
        .lines()
        .position(|l| l.starts_with("system: "))
        .expect("the risk names its system");
    let system = text.lines().nth(system_line).unwrap()["system: ".len()..].to_string();
    println!(
        "register: {} ({} risk files), edited: {}",
        reg.display(),
        risks.len(),
        file.strip_prefix(&reg).unwrap().display()
    );

    let mut child = Command::new(bin)
        .args(["--as-of", "2026-11-01", "lsp"])
        .current_dir(&reg)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("airisk lsp starts");
    let pid = child.id();
    let mut s = Server {
        stdin: child.stdin.take().unwrap(),
        stdout: BufReader::new(child.stdout.take().unwrap()),
        next: 0,
    };
    let started = Instant::now();
    s.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(&reg), "capabilities": {}}),
    );
    s.notify("initialized", json!({}));
    let u = uri(&file);
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "yaml", "version": 1, "text": text}}),
    );
    // A barrier: every message before it has been handled.
    s.request("airisk/barrier", json!(null));
    println!(
        "initialize + first full check + open: {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );

    let col = "system: ".len() as u32 + system.len() as u32;
    let pos = |c: u32| json!({"line": system_line, "character": c});
    let mut edits = Vec::new();
    let mut version = 1;
    let cpu_before = cpu(pid);
    for _ in 0..rounds {
        for insert in [true, false] {
            version += 1;
            let change = if insert {
                json!({"range": {"start": pos(col), "end": pos(col)}, "text": "x"})
            } else {
                json!({"range": {"start": pos(col), "end": pos(col + 1)}, "text": ""})
            };
            let t = Instant::now();
            s.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": u, "version": version}, "contentChanges": [change]}),
            );
            s.publish_for(&u);
            edits.push(t.elapsed());
        }
    }
    let cpu_edits = cpu(pid)
        .zip(cpu_before)
        .map(|(a, b)| (a - b) / edits.len() as u32);
    let at = json!({"textDocument": {"uri": u}, "position": pos(col - 2)});
    let timed = |s: &mut Server, method: &str, params: &Value| {
        let mut times = Vec::new();
        for _ in 0..rounds {
            let t = Instant::now();
            let r = s.request(method, params.clone());
            times.push(t.elapsed());
            assert!(r.get("error").is_none(), "{method}: {r}");
        }
        times
    };
    let definition = timed(&mut s, "textDocument/definition", &at);
    let mut refs = at.clone();
    refs["context"] = json!({"includeDeclaration": true});
    let references = timed(&mut s, "textDocument/references", &refs);
    let n_refs = s.request("textDocument/references", refs.clone())["result"]
        .as_array()
        .map_or(0, Vec::len);
    let complete =
        json!({"textDocument": {"uri": u}, "position": pos("system: ".len() as u32 + 2)});
    let completion = timed(&mut s, "textDocument/completion", &complete);
    summary("edit → republish", edits);
    if let Some(c) = cpu_edits {
        println!(
            "{:<28} {:.1} ms of CPU per edit (user + system, all threads)",
            "",
            c.as_secs_f64() * 1000.0
        );
    }
    summary("definition", definition);
    summary(&format!("references ({n_refs})"), references);
    summary("completion", completion);
    let server_peak = peak_kib(pid);
    s.request("shutdown", json!(null));
    s.notify("exit", json!(null));
    let _ = child.wait();
    let check_peak = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(bin)
        .args(["--as-of", "2026-11-01", "check"])
        .current_dir(&reg)
        .stdout(Stdio::null())
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .last()
                .and_then(|l| l.trim().parse::<u64>().ok())
        });
    let mib = |k: u64| k as f64 / 1024.0;
    match (server_peak, check_peak) {
        (Some(s), Some(c)) => println!(
            "peak memory: lsp {:.0} MiB, check {:.0} MiB ({:.2}×)",
            mib(s),
            mib(c),
            s as f64 / c as f64
        ),
        (Some(s), None) => println!(
            "peak memory: lsp {:.0} MiB (check: no /usr/bin/time)",
            mib(s)
        ),
        _ => println!("peak memory: not measured (no /proc)"),
    }
}
