//! A small LSP client for the tests: spawns the real `airisk lsp`, writes framed JSON-RPC to
//! its standard input and reads its standard output on a thread. Every wait has a generous
//! limit so that a hang fails the test instead of blocking it; no test asserts on time.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// How long any one answer may take before the test fails (a hang, not a measurement).
const PATIENCE: Duration = Duration::from_secs(60);

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for something else, oldest first.
    pub pending: Vec<Value>,
}

/// The `file:` URI of a path (as the server writes them).
pub fn uri(path: &Path) -> String {
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

fn read_frame(r: &mut dyn BufRead) -> Option<Vec<u8>> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse().ok();
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).ok()?;
    Some(body)
}

impl Client {
    /// Starts `airisk lsp` in `cwd`, with git read only when `git`.
    pub fn start(cwd: &Path, git: bool) -> Client {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_airisk"));
        cmd.arg("lsp")
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if !git {
            cmd.env("AIRISK_NO_GIT", "1");
        }
        let mut child = cmd.spawn().expect("airisk lsp starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(body) = read_frame(&mut r) {
                let v: Value = serde_json::from_slice(&body).expect("the server writes JSON");
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Client {
            child,
            stdin,
            rx,
            next_id: 0,
            pending: Vec::new(),
        }
    }

    pub fn raw(&mut self, bytes: &[u8]) {
        if let Some(stdin) = &mut self.stdin {
            // The server may have exited already: that is for the test to see.
            let _ = stdin.write_all(bytes).and_then(|()| stdin.flush());
        }
    }

    pub fn send(&mut self, msg: &Value) {
        let body = serde_json::to_vec(msg).expect("json");
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend(body);
        self.raw(&framed);
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&mut self, until: Instant) -> Option<Value> {
        let left = until.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(left) {
            Ok(v) => Some(v),
            Err(RecvTimeoutError::Timeout) => panic!("the server did not answer in time"),
            Err(RecvTimeoutError::Disconnected) => None,
        }
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let until = Instant::now() + PATIENCE;
        loop {
            let msg = self
                .next(until)
                .expect("the server answers before it exits");
            if msg.get("id") == Some(&json!(id)) && msg.get("method").is_none() {
                return msg;
            }
            self.pending.push(msg);
        }
    }

    /// The result of a request that must succeed.
    pub fn result(&mut self, method: &str, params: Value) -> Value {
        let r = self.request(method, params);
        assert!(r.get("error").is_none(), "{method}: {r}");
        r["result"].clone()
    }

    /// Initializes with `root` as the workspace folder and the client's position
    /// encodings (`None`: the client names none).
    pub fn initialize(&mut self, root: &Path, encodings: Option<&[&str]>) -> Value {
        let mut caps = json!({});
        if let Some(e) = encodings {
            caps = json!({"general": {"positionEncodings": e}});
        }
        let r = self.result(
            "initialize",
            json!({"processId": null, "rootUri": uri(root), "capabilities": caps,
                   "workspaceFolders": [{"uri": uri(root), "name": "register"}]}),
        );
        self.notify("initialized", json!({}));
        r
    }

    /// The next `publishDiagnostics` for `uri` (earlier ones for other files are kept in
    /// `pending`): its diagnostics.
    pub fn diagnostics_for(&mut self, uri: &str) -> Vec<Value> {
        if let Some(i) = self.pending.iter().position(|m| is_publish_for(m, uri)) {
            let m = self.pending.remove(i);
            return m["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
        }
        let until = Instant::now() + PATIENCE;
        loop {
            let msg = self
                .next(until)
                .expect("the server publishes before it exits");
            if is_publish_for(&msg, uri) {
                return msg["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
            self.pending.push(msg);
        }
    }

    /// Everything the server sent up to the answer of a request made now (a barrier: the
    /// server handles messages in order).
    pub fn drain(&mut self) -> Vec<Value> {
        self.request("airisk/barrier", json!(null));
        std::mem::take(&mut self.pending)
    }

    /// Closes standard input and waits for the exit code (and the standard error).
    pub fn wait(mut self) -> (Option<i32>, String) {
        drop(self.stdin.take());
        let until = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                let mut err = String::new();
                if let Some(mut e) = self.child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                return (status.code(), err);
            }
            if Instant::now() > until {
                let _ = self.child.kill();
                panic!("the server did not exit");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn is_publish_for(m: &Value, uri: &str) -> bool {
    m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
}

/// The publishes among messages, by URI.
pub fn publishes(msgs: &[Value]) -> Vec<(String, usize)> {
    msgs.iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .map(|m| {
            (
                m["params"]["uri"].as_str().unwrap_or("").to_string(),
                m["params"]["diagnostics"].as_array().map_or(0, Vec::len),
            )
        })
        .collect()
}
