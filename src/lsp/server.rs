//! The server's loop and state: the lifecycle (initialize, shutdown, exit), the text
//! documents the client holds (full and incremental changes), the register found from the
//! workspace folder, publishing findings (only files whose findings changed, an empty list for
//! a file whose findings went away), and the dispatch of requests to [`features`].

use super::features;
use super::position::{Encoding, Lines};
use super::transport::{self, Broken};
use crate::diag::{Diagnostic, Severity};
use crate::text;
use crate::workspace::Selection;
use crate::workspace::live::Live;
use lsp_types as lt;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

// JSON-RPC and LSP error codes.
pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_PARAMS: i64 = -32602;
pub const SERVER_NOT_INITIALIZED: i64 = -32002;
pub const REQUEST_FAILED: i64 = -32803;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Starting,
    Running,
    ShutDown,
}

/// A request's failure, answered as a JSON-RPC error.
pub struct Failure {
    pub code: i64,
    pub message: String,
}

impl Failure {
    pub fn new(code: i64, message: impl Into<String>) -> Failure {
        Failure {
            code,
            message: message.into(),
        }
    }
}

pub struct Server<'a> {
    sel: Selection,
    out: &'a mut dyn Write,
    log: &'a mut dyn Write,
    phase: Phase,
    pub enc: Encoding,
    pub live: Option<Live>,
    /// What was last published, by register-relative path.
    published: BTreeMap<String, Vec<lt::Diagnostic>>,
    /// The output broke: stop.
    dead: bool,
}

impl<'a> Server<'a> {
    pub fn new(sel: Selection, out: &'a mut dyn Write, log: &'a mut dyn Write) -> Server<'a> {
        Server {
            sel,
            out,
            log,
            phase: Phase::Starting,
            enc: Encoding::Utf16,
            live: None,
            published: BTreeMap::new(),
            dead: false,
        }
    }

    /// Reads and handles messages until `exit` or the end of the stream: the exit code.
    /// `persist` runs after each message (it writes the history caches a check left).
    pub fn serve(mut self, input: &mut dyn BufRead, persist: &dyn Fn()) -> u8 {
        loop {
            let body = match transport::read_message(input) {
                Ok(b) => b,
                Err(Broken::Closed) => return 1,
                Err(e) => {
                    let _ = writeln!(self.log, "airisk lsp: {e}");
                    return 1;
                }
            };
            let stop = self.handle(&body);
            persist();
            if let Some(code) = stop {
                return code;
            }
            if self.dead {
                return 1;
            }
        }
    }

    fn send(&mut self, msg: &Value) {
        let Ok(body) = serde_json::to_vec(msg) else {
            return;
        };
        if transport::write_message(self.out, &body).is_err() {
            self.dead = true;
        }
    }

    fn respond(&mut self, id: Value, result: Result<Value, Failure>) {
        let msg = match result {
            Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
            Err(f) => {
                json!({"jsonrpc": "2.0", "id": id, "error": {"code": f.code, "message": f.message}})
            }
        };
        self.send(&msg);
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn show(&mut self, kind: lt::MessageType, message: String) {
        self.notify(
            "window/showMessage",
            json!({"type": kind, "message": message}),
        );
    }

    /// Handles one message; `Some(code)` to stop.
    fn handle(&mut self, body: &[u8]) -> Option<u8> {
        let msg: Value = match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => {
                self.respond(
                    Value::Null,
                    Err(Failure::new(PARSE_ERROR, format!("not JSON: {e}"))),
                );
                return None;
            }
        };
        let id = msg.get("id").cloned();
        let Some(method) = msg.get("method").and_then(Value::as_str).map(str::to_owned) else {
            if id.is_some() && (msg.get("result").is_some() || msg.get("error").is_some()) {
                // A response to a request of ours: none is sent, so nothing waits for it.
                return None;
            }
            self.respond(
                id.unwrap_or(Value::Null),
                Err(Failure::new(INVALID_REQUEST, "a message without a method")),
            );
            return None;
        };
        let params = msg.get("params").cloned().unwrap_or(Value::Null);
        match id {
            Some(id) => {
                let result = self.request(&method, params);
                self.respond(id, result);
                None
            }
            None => self.notification(&method, params),
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Result<Value, Failure> {
        match (self.phase, method) {
            (Phase::Starting, "initialize") => self.initialize(params),
            (Phase::Starting, _) => Err(Failure::new(
                SERVER_NOT_INITIALIZED,
                "the server is not initialized: send `initialize` first",
            )),
            (Phase::ShutDown, _) => Err(Failure::new(
                INVALID_REQUEST,
                "the server is shut down: only `exit` is expected",
            )),
            (Phase::Running, "initialize") => Err(Failure::new(
                INVALID_REQUEST,
                "the server is initialized already",
            )),
            (Phase::Running, "shutdown") => {
                self.phase = Phase::ShutDown;
                Ok(Value::Null)
            }
            (Phase::Running, _) => features::request(self, method, params),
        }
    }

    fn notification(&mut self, method: &str, params: Value) -> Option<u8> {
        if method == "exit" {
            return Some(if self.phase == Phase::ShutDown { 0 } else { 1 });
        }
        if self.phase != Phase::Running {
            return None;
        }
        match method {
            "initialized" => self.publish(),
            "textDocument/didOpen" => {
                if let Ok(p) = serde_json::from_value::<lt::DidOpenTextDocumentParams>(params) {
                    self.opened(&p.text_document.uri, p.text_document.text);
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) = serde_json::from_value::<lt::DidChangeTextDocumentParams>(params) {
                    self.changed(&p.text_document.uri, p.content_changes);
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) = serde_json::from_value::<lt::DidCloseTextDocumentParams>(params) {
                    if let Some(rel) = self.rel(&p.text_document.uri)
                        && let Some(live) = &mut self.live
                    {
                        live.close_buffer(&rel);
                    }
                    self.publish();
                }
            }
            "textDocument/didSave" => {
                if let Ok(p) = serde_json::from_value::<lt::DidSaveTextDocumentParams>(params) {
                    let rel = self.rel(&p.text_document.uri);
                    if let Some(live) = &mut self.live {
                        live.disk_changed(&rel.into_iter().collect::<Vec<_>>());
                    }
                    self.publish();
                }
            }
            "workspace/didChangeWatchedFiles" => {
                if let Ok(p) = serde_json::from_value::<lt::DidChangeWatchedFilesParams>(params) {
                    let changed: Vec<String> =
                        p.changes.iter().filter_map(|c| self.rel(&c.uri)).collect();
                    if let Some(live) = &mut self.live {
                        live.disk_changed(&changed);
                    }
                    self.publish();
                }
            }
            // `$/cancelRequest`, `$/setTrace`, configuration changes...: nothing to do (every
            // request is answered before the next message is read).
            _ => {}
        }
        None
    }

    #[allow(deprecated)] // `root_uri` and `root_path`: older clients send only those.
    fn initialize(&mut self, params: Value) -> Result<Value, Failure> {
        let p: lt::InitializeParams = serde_json::from_value(params)
            .map_err(|e| Failure::new(INVALID_PARAMS, format!("initialize: {e}")))?;
        self.enc = Encoding::negotiate(
            p.capabilities
                .general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        let folder = p
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .and_then(|f| uri_path(&f.uri))
            .or_else(|| p.root_uri.as_ref().and_then(uri_path))
            .or_else(|| p.root_path.as_ref().map(PathBuf::from));
        self.phase = Phase::Running;
        let start = folder.unwrap_or_else(|| self.sel.cwd.clone());
        self.find_register(&start);
        let caps = features::capabilities(self.enc);
        Ok(json!({
            "capabilities": caps,
            "serverInfo": {"name": "airisk", "version": env!("CARGO_PKG_VERSION")},
        }))
    }

    /// Opens the register at or above `start` (or `-C`), else one in the folders below it.
    fn find_register(&mut self, start: &Path) {
        let sel = Selection {
            cwd: start.to_path_buf(),
            ..self.sel.clone()
        };
        let root = crate::workspace::Workspace::working_root(&sel)
            .ok()
            .or_else(|| below(start));
        match root {
            Some(root) => {
                let live = Live::open(&root, self.sel.today, self.sel.no_git);
                if let Some(problem) = &live.problem {
                    let message = text::terminal(problem);
                    self.show(lt::MessageType::ERROR, message);
                }
                self.live = Some(live);
            }
            None => {
                let message = format!(
                    "airisk: no register (a folder holding airisk.toml) at or above `{}`",
                    text::terminal_line(&start.display().to_string())
                );
                self.show(lt::MessageType::WARNING, message);
            }
        }
    }

    /// The register-relative path of a URI, when it names a file of the register.
    pub fn rel(&self, uri: &lt::Uri) -> Option<String> {
        let path = uri_path(uri)?;
        self.live.as_ref()?.relative(&path)
    }

    fn opened(&mut self, uri: &lt::Uri, text: String) {
        if self.live.is_none()
            && let Some(path) = uri_path(uri)
            && let Some(dir) = path.parent()
        {
            // No register at the workspace folder: the first file opened inside one opens it.
            let sel = Selection {
                cwd: dir.to_path_buf(),
                register: None,
                ..self.sel.clone()
            };
            if let Ok(root) = crate::workspace::Workspace::working_root(&sel) {
                self.live = Some(Live::open(&root, self.sel.today, self.sel.no_git));
            }
        }
        let Some(rel) = self.rel(uri) else { return };
        if let Some(live) = &mut self.live {
            live.set_buffer(&rel, text);
            live.refresh_git();
        }
        self.publish();
    }

    fn changed(&mut self, uri: &lt::Uri, changes: Vec<lt::TextDocumentContentChangeEvent>) {
        let Some(rel) = self.rel(uri) else { return };
        let enc = self.enc;
        let Some(live) = &mut self.live else { return };
        let Some(mut text) = live.buffers().get(&rel).cloned() else {
            // A change to a document never opened: nothing to apply it to.
            return;
        };
        for change in changes {
            match change.range {
                None => text = change.text,
                Some(range) => {
                    let lines = Lines::new(&text);
                    let start = lines.offset(range.start, enc);
                    let end = lines.offset(range.end, enc).max(start);
                    text.replace_range(start..end, &change.text);
                }
            }
        }
        live.set_buffer(&rel, text);
        self.publish();
    }

    /// Publishes the findings of every file whose findings changed since last published.
    pub fn publish(&mut self) {
        let Some(live) = &self.live else { return };
        let enc = self.enc;
        let findings = live.findings();
        let mut now: BTreeMap<String, Vec<lt::Diagnostic>> = BTreeMap::new();
        // An airisk.toml that cannot be read stops the check: its problems are what there is.
        for issue in &live.config_issues {
            let lines = Lines::new(&issue.text);
            now.entry(issue.path.clone())
                .or_default()
                .push(lt::Diagnostic {
                    range: lines.range(issue.start, issue.end, enc),
                    severity: Some(lt::DiagnosticSeverity::ERROR),
                    code: Some(lt::NumberOrString::String("config".into())),
                    source: Some("airisk".into()),
                    message: text::terminal(&issue.message),
                    ..Default::default()
                });
        }
        for (path, diags) in &findings {
            let converted = if diags.is_empty() {
                Vec::new()
            } else {
                let text = live.text_of(path).unwrap_or("");
                let lines = Lines::new(text);
                diags
                    .iter()
                    .map(|d| convert(live, d, &lines, enc))
                    .collect()
            };
            now.entry(path.clone()).or_default().extend(converted);
        }
        let root = live.root.clone();
        let mut sends = Vec::new();
        for (path, diags) in &now {
            // A file never published with findings needs no empty list.
            let known = self.published.contains_key(path);
            if (known || !diags.is_empty()) && self.published.get(path) != Some(diags) {
                sends.push((path.clone(), diags.clone()));
            }
        }
        for path in self.published.keys() {
            if !now.contains_key(path) {
                sends.push((path.clone(), Vec::new()));
            }
        }
        now.retain(|_, d| !d.is_empty());
        self.published = now;
        for (path, diags) in sends {
            let Some(uri) = path_uri(&root.join(&path)) else {
                continue;
            };
            self.notify(
                "textDocument/publishDiagnostics",
                json!({"uri": uri, "diagnostics": diags}),
            );
        }
    }
}

/// A finding as the protocol has it: code, severity, message (with its notes and help),
/// the primary label and the secondary labels as related information.
fn convert(live: &Live, d: &Diagnostic, lines: &Lines, enc: Encoding) -> lt::Diagnostic {
    let mut message = text::terminal(&d.message);
    for note in &d.notes {
        message.push_str("\nnote: ");
        message.push_str(&text::terminal(note));
    }
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(&text::terminal(help));
    }
    let range = lines.range(
        d.primary.span.start as usize,
        d.primary.span.end as usize,
        enc,
    );
    let mut related = Vec::new();
    let root = &live.root;
    if !d.primary.message.is_empty()
        && let Some(uri) = path_uri(&root.join(live_path(live, d.primary.span.file)))
    {
        related.push(lt::DiagnosticRelatedInformation {
            location: lt::Location::new(uri, range),
            message: text::terminal(&d.primary.message),
        });
    }
    if let Some(c) = &live.checked {
        for label in &d.secondary {
            let file = c.loaded.sources.get(label.span.file);
            if file.path.is_empty() {
                continue;
            }
            let Some(uri) = path_uri(&root.join(&file.path)) else {
                continue;
            };
            let l = Lines::new(&file.text);
            let r = l.range(label.span.start as usize, label.span.end as usize, enc);
            related.push(lt::DiagnosticRelatedInformation {
                location: lt::Location::new(uri, r),
                message: text::terminal(&label.message),
            });
        }
    }
    lt::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => lt::DiagnosticSeverity::ERROR,
            Severity::Warning => lt::DiagnosticSeverity::WARNING,
        }),
        code: Some(lt::NumberOrString::String(d.code.name().to_string())),
        code_description: None,
        source: Some("airisk".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

fn live_path(live: &Live, file: crate::source::FileId) -> String {
    live.checked
        .as_ref()
        .map(|c| c.loaded.sources.path(file).to_string())
        .unwrap_or_default()
}

/// A register below `start` (at most three folders down, skipping hidden folders and
/// build output), for a workspace whose register is a subfolder.
fn below(start: &Path) -> Option<PathBuf> {
    walkdir::WalkDir::new(start)
        .follow_links(false)
        .max_depth(4)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !(name.starts_with('.') || name == "target" || name == "node_modules")
        })
        .filter_map(Result::ok)
        .find(|e| e.file_type().is_file() && e.file_name() == "airisk.toml")
        .and_then(|e| e.path().parent().map(Path::to_path_buf))
}

/// The path of a `file:` URI (percent-decoded; absolute). `None` for any other scheme, a
/// host other than `localhost`, or a path that does not decode.
pub fn uri_path(uri: &lt::Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s
        .strip_prefix("file://")
        .or_else(|| s.strip_prefix("FILE://"))?;
    let path = match rest.strip_prefix("localhost") {
        Some(p) => p,
        None => rest,
    };
    if !path.starts_with('/') {
        return None;
    }
    let path = path.split(['?', '#']).next()?;
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(out).ok()?;
    if path.contains('\0') {
        return None;
    }
    Some(PathBuf::from(path))
}

/// The `file:` URI of an absolute path.
pub fn path_uri(path: &Path) -> Option<lt::Uri> {
    let s = path.to_str()?;
    let mut out = String::from("file://");
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    lt::Uri::from_str(&out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip_and_other_schemes_are_refused() {
        let p = Path::new("/tmp/a register/risks/R-001 é.yaml");
        let uri = path_uri(p).expect("a uri");
        assert_eq!(
            uri.as_str(),
            "file:///tmp/a%20register/risks/R-001%20%C3%A9.yaml"
        );
        assert_eq!(uri_path(&uri).as_deref(), Some(p));
        let parse = |s: &str| lt::Uri::from_str(s).expect("parses");
        assert_eq!(uri_path(&parse("untitled:Untitled-1")), None);
        assert_eq!(uri_path(&parse("https://example.com/etc/passwd")), None);
        assert_eq!(uri_path(&parse("file://server/share/x")), None);
        assert_eq!(
            uri_path(&parse("file://localhost/etc/passwd")).as_deref(),
            Some(Path::new("/etc/passwd"))
        );
        assert_eq!(uri_path(&parse("file:///a%00b")), None);
    }
}
