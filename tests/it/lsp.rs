//! `airisk lsp` driven as an editor drives it: the real binary over stdio (tests/it/
//! lsp_client.rs), on a copy of the base register. Each feature through the protocol, the
//! lifecycle and what a hostile client can send.

use crate::lsp_client::{Client, publishes, uri};
use crate::support::{copy_dir, root};
use serde_json::{Value, json};
use std::path::Path;

fn register() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("tests/fixtures/base"), tmp.path());
    tmp
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).expect("read")
}

fn open(c: &mut Client, dir: &Path, rel: &str, text: &str) -> String {
    let u = uri(&dir.join(rel));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": u, "languageId": "yaml", "version": 1, "text": text}}),
    );
    u
}

fn at(u: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": u}, "position": {"line": line, "character": character}})
}

/// The line and column (in bytes, which is every encoding for ASCII) of `needle` in `text`.
fn find(text: &str, needle: &str) -> (u32, u32) {
    let i = text.find(needle).expect("present");
    let line = text[..i].matches('\n').count();
    let col = i - text[..i].rfind('\n').map_or(0, |n| n + 1);
    (line as u32, col as u32)
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn the_lifecycle_requests_before_initialize_unknown_methods_shutdown_and_exit() {
    let tmp = register();
    let mut c = Client::start(tmp.path(), false);
    let early = c.request("textDocument/hover", at("file:///x", 0, 0));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    let init = c.initialize(tmp.path(), None);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 2);
    assert_eq!(init["serverInfo"]["name"], "airisk");
    let unknown = c.request("workspace/frobnicate", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    // The base register is clean: nothing to publish.
    assert_eq!(publishes(&c.drain()), []);
    assert_eq!(c.result("shutdown", json!(null)), Value::Null);
    let after = c.request("textDocument/hover", at("file:///x", 0, 0));
    assert_eq!(after["error"]["code"], -32600, "{after}");
    c.notify("exit", json!(null));
    assert_eq!(c.wait().0, Some(0));
}

#[test]
fn exit_without_shutdown_and_a_closed_stream_end_with_1() {
    let tmp = register();
    let mut c = Client::start(tmp.path(), false);
    c.initialize(tmp.path(), None);
    c.notify("exit", json!(null));
    assert_eq!(c.wait().0, Some(1));
    let mut c = Client::start(tmp.path(), false);
    c.initialize(tmp.path(), None);
    assert_eq!(c.wait().0, Some(1));
}

#[test]
fn malformed_json_is_answered_and_a_lying_length_ends_the_server_cleanly() {
    let tmp = register();
    let mut c = Client::start(tmp.path(), false);
    c.initialize(tmp.path(), None);
    c.raw(b"Content-Length: 9\r\n\r\n{\"id\": 1,");
    let hover = c.request("textDocument/hover", at("file:///etc/passwd", 0, 0));
    assert_eq!(hover["result"], Value::Null, "the server goes on: {hover}");
    assert!(
        c.pending
            .iter()
            .any(|m| m["error"]["code"] == -32700 && m["id"].is_null()),
        "{:?}",
        c.pending
    );
    // A body shorter than its Content-Length, then the end of the stream.
    c.raw(b"Content-Length: 1000\r\n\r\n{\"jsonrpc\": \"2.0\"}");
    let (code, stderr) = c.wait();
    assert_eq!(code, Some(1));
    assert!(!stderr.contains("panicked"), "{stderr}");
    // A length no one could send.
    let mut c = Client::start(tmp.path(), false);
    c.raw(b"Content-Length: 99999999999999999999\r\n\r\n");
    let (code, stderr) = c.wait();
    assert_eq!(code, Some(1));
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn findings_of_a_buffer_with_related_locations_and_help_then_cleared_by_an_incremental_edit() {
    let tmp = register();
    let mut c = Client::start(tmp.path(), false);
    c.initialize(tmp.path(), None);
    let text = read(tmp.path(), "risks/R-001.yaml")
        .replace("system: ticket-triage", "system: ticket-triag");
    let u = open(&mut c, tmp.path(), "risks/R-001.yaml", &text);
    let diags = c.diagnostics_for(&u);
    assert_eq!(codes(&diags), ["unknown-reference"], "{diags:?}");
    let d = &diags[0];
    let (line, col) = find(&text, "ticket-triag");
    assert_eq!(d["range"]["start"], json!({"line": line, "character": col}));
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "airisk");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("help: did you mean `ticket-triage`?"),
        "{d}"
    );
    let related = d["relatedInformation"].as_array().expect("related");
    assert!(
        related
            .iter()
            .any(|r| r["location"]["uri"] == uri(&tmp.path().join("systems/ticket-triage.yaml"))),
        "{related:?}"
    );
    // Typing the missing letter: an incremental change.
    let end = col + "ticket-triag".len() as u32;
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": line, "character": end}, "end": {"line": line, "character": end}}, "text": "e"}
        ]}),
    );
    assert_eq!(c.diagnostics_for(&u), Vec::<Value>::new());
    // A full change back.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 3}, "contentChanges": [{"text": text}]}),
    );
    assert_eq!(codes(&c.diagnostics_for(&u)), ["unknown-reference"]);
    // Closed unsaved: the file on disk counts again, and its findings go.
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    assert_eq!(c.diagnostics_for(&u), Vec::<Value>::new());
}

#[test]
fn a_syntax_error_lights_up_only_its_own_file() {
    let tmp = register();
    let mut c = Client::start(tmp.path(), false);
    c.initialize(tmp.path(), None);
    let text = read(tmp.path(), "systems/ticket-triage.yaml");
    let u = open(
        &mut c,
        tmp.path(),
        "systems/ticket-triage.yaml",
        &format!("{text}\nbroken: [unclosed\n"),
    );
    let seen = c.drain();
    let published = publishes(&seen);
    assert_eq!(
        published,
        [(u.clone(), 1)],
        "nothing else is published: {seen:?}"
    );
    let seen = seen
        .into_iter()
        .find(|m| m["params"]["uri"] == u)
        .expect("published");
    assert_eq!(seen["params"]["diagnostics"][0]["code"], "yaml-syntax");
}

#[test]
fn definition_references_and_an_evidence_path_and_nothing_outside_the_register() {
    let tmp = register();
    let mut c = Client::start(tmp.path(), false);
    c.initialize(tmp.path(), None);
    let text = read(tmp.path(), "risks/R-001.yaml");
    let u = open(&mut c, tmp.path(), "risks/R-001.yaml", &text);
    let (line, col) = find(&text, "ticket-triage");
    let def = c.result("textDocument/definition", at(&u, line, col + 2));
    assert_eq!(
        def["uri"],
        uri(&tmp.path().join("systems/ticket-triage.yaml"))
    );
    let sys = read(tmp.path(), "systems/ticket-triage.yaml");
    let (dl, dc) = find(&sys, "ticket-triage");
    assert_eq!(def["range"]["start"], json!({"line": dl, "character": dc}));
    let mut params = at(&u, line, col);
    params["context"] = json!({"includeDeclaration": true});
    let refs = c.result("textDocument/references", params);
    let refs = refs.as_array().expect("locations");
    assert!(refs.len() >= 4, "{refs:?}");
    assert!(refs.iter().any(|r| r["uri"] == def["uri"]));
    // A control: to its SoA decision.
    let (cl, cc) = find(&text, "A.6.2.4");
    let control = c.result("textDocument/definition", at(&u, cl, cc));
    assert_eq!(control["uri"], uri(&tmp.path().join("soa.yaml")));
    // An evidence path: to the file.
    let (el, ec) = find(&text, "evidence/override");
    let evidence = c.result("textDocument/definition", at(&u, el, ec + 3));
    assert_eq!(
        evidence["uri"],
        uri(&tmp.path().join("evidence/override-rate-2026-09.md"))
    );
    // Nothing outside the register, whatever is asked.
    let outside = c.result("textDocument/definition", at("file:///etc/passwd", 0, 0));
    assert_eq!(outside, Value::Null);
    let dotdot = format!("{}/../../etc/passwd", uri(tmp.path()));
    let outside = c.result("textDocument/references", {
        let mut p = at(&dotdot, 0, 0);
        p["context"] = json!({"includeDeclaration": true});
        p
    });
    assert_eq!(outside, Value::Null);
    // Opening a file outside the register publishes nothing and changes nothing.
    let away = tempfile::tempdir().expect("tempdir");
    let out = open(&mut c, away.path(), "risks/R-009.yaml", "id: [");
    assert!(
        publishes(&c.drain()).iter().all(|(p, _)| *p != out),
        "a file outside is ignored"
    );
}

#[test]
fn hover_for_a_risk_a_control_and_a_person() {
    let tmp = register();
    let mut c = Client::start(tmp.path(), false);
    c.initialize(tmp.path(), None);
    let text = read(tmp.path(), "risks/R-001.yaml");
    let u = open(&mut c, tmp.path(), "risks/R-001.yaml", &text);
    let hover = |c: &mut Client, needle: &str| {
        let (l, col) = find(&text, needle);
        let h = c.result("textDocument/hover", at(&u, l, col));
        h["contents"]["value"].as_str().unwrap_or("").to_string()
    };
    let risk = hover(&mut c, "R-001");
    assert!(
        risk.contains("score 6 (likelihood 3 × consequence 2)"),
        "{risk}"
    );
    assert!(risk.contains("level **"), "{risk}");
    assert!(risk.contains("next review: 2027-03-15"), "{risk}");
    let control = hover(&mut c, "A.6.2.4");
    assert!(control.contains("Annex A control"), "{control}");
    assert!(control.contains("SoA: applicable"), "{control}");
    let person = hover(&mut c, "bjones");
    assert!(person.contains("**person** `bjones`"), "{person}");
}

#[test]
fn hover_for_ids_of_the_eu_ai_act_pack() {
    let tmp = register();
    let rel = "systems/ticket-triage.yaml";
    let text = format!(
        "{}eu_ai_act:\n  roles: [deployer]\n  classification: high-risk\n  annex_iii: annex-iii-5-b\n  rationale: x\n  assessed: 2026-10-01\n  assessed_by: bjones\n  obligations:\n    obl-dep-art26-1: {{ status: planned }}\n",
        read(tmp.path(), rel)
    );
    std::fs::write(tmp.path().join(rel), &text).expect("write");
    let mut c = Client::start(tmp.path(), false);
    c.initialize(tmp.path(), None);
    let u = open(&mut c, tmp.path(), rel, &text);
    let hover = |c: &mut Client, needle: &str| {
        let (l, col) = find(&text, needle);
        let h = c.result("textDocument/hover", at(&u, l, col));
        h["contents"]["value"].as_str().unwrap_or("").to_string()
    };
    let point = hover(&mut c, "annex-iii-5-b");
    assert!(
        point.contains("**Annex III point** `annex-iii-5-b`"),
        "{point}"
    );
    assert!(point.contains("Creditworthiness"), "{point}");
    let obligation = hover(&mut c, "obl-dep-art26-1");
    assert!(obligation.contains("Art. 26(1)"), "{obligation}");
}

#[test]
fn completion_of_ids_enum_values_and_controls_where_the_declarations_expect_them() {
    let tmp = register();
    let mut c = Client::start(tmp.path(), false);
    c.initialize(tmp.path(), None);
    let text = "id: R-050\ntitle: x\nsystem: tic\ncategory: \ntreatment:\n  option: mi\n  controls: [A.6.2.4, A.9.\n";
    let u = open(&mut c, tmp.path(), "risks/R-050.yaml", text);
    let labels = |c: &mut Client, line: u32, col: u32| -> Vec<String> {
        let r = c.result("textDocument/completion", at(&u, line, col));
        r["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["label"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(labels(&mut c, 2, 11), ["ticket-triage"]);
    let categories = labels(&mut c, 3, 10);
    assert!(
        categories.contains(&"operational".to_string()),
        "{categories:?}"
    );
    assert_eq!(labels(&mut c, 5, 12), ["mitigate"]);
    let controls = labels(&mut c, 6, 28);
    assert!(
        !controls.is_empty() && controls.iter().all(|c| c.starts_with("A.9.")),
        "{controls:?}"
    );
    // A key of the treatment mapping.
    let keys = labels(&mut c, 5, 2);
    assert!(keys.contains(&"option".to_string()), "{keys:?}");
}

#[test]
fn rename_refuses_non_ids_and_invalid_ids_and_edits_every_file() {
    let tmp = register();
    let mut c = Client::start(tmp.path(), false);
    c.initialize(tmp.path(), None);
    let text = read(tmp.path(), "risks/R-001.yaml");
    let u = open(&mut c, tmp.path(), "risks/R-001.yaml", &text);
    let (tl, tc) = find(&text, "Tickets routed");
    let refused = c.request("textDocument/prepareRename", at(&u, tl, tc));
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not an id"),
        "{refused}"
    );
    let (cl, cc) = find(&text, "A.6.2.4");
    let builtin = c.request("textDocument/prepareRename", at(&u, cl, cc));
    assert!(
        builtin.get("error").is_some(),
        "a built-in control is not renamed: {builtin}"
    );
    let (l, col) = find(&text, "ticket-triage");
    let ok = c.result("textDocument/prepareRename", at(&u, l, col));
    assert_eq!(ok["placeholder"], "ticket-triage");
    let mut params = at(&u, l, col);
    params["newName"] = json!("bad id!");
    let bad = c.request("textDocument/rename", params.clone());
    assert!(
        bad["error"]["message"]
            .as_str()
            .unwrap()
            .contains("an id is 1 to 64 letters"),
        "{bad}"
    );
    params["newName"] = json!("helpdesk-router");
    let edit = c.result("textDocument/rename", params);
    let changes = edit["changes"].as_object().expect("changes");
    assert!(changes.len() >= 3, "system, risks...: {changes:?}");
    let system_uri = uri(&tmp.path().join("systems/ticket-triage.yaml"));
    assert!(changes.contains_key(&system_uri));
    assert!(
        changes
            .values()
            .flat_map(|e| e.as_array().unwrap())
            .all(|e| e["newText"] == "helpdesk-router")
    );
}

#[test]
fn code_actions_replace_a_misspelling_and_add_a_screening_entry() {
    let tmp = register();
    let mut c = Client::start(tmp.path(), false);
    c.initialize(tmp.path(), None);
    let text = read(tmp.path(), "risks/R-001.yaml")
        .replace("owner: bjones\nassessment", "owner: bjone\nassessment");
    let u = open(&mut c, tmp.path(), "risks/R-001.yaml", &text);
    let diags = c.diagnostics_for(&u);
    assert_eq!(codes(&diags), ["unknown-reference"], "{diags:?}");
    let range = diags[0]["range"].clone();
    let actions = c.result(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": range, "context": {"diagnostics": diags}}),
    );
    let action = &actions[0];
    assert_eq!(action["kind"], "quickfix");
    let edit = &action["edit"]["changes"][&u][0];
    assert_eq!(edit["newText"], "bjones");
    assert_eq!(edit["range"], range);
    // A system with no risk of a category: the entry is added, with the rationale to write.
    let sys = read(tmp.path(), "systems/ticket-triage.yaml");
    let su = open(
        &mut c,
        tmp.path(),
        "systems/ticket-triage.yaml",
        &sys.replace("  - category: ", "  - category: x-"),
    );
    let diags = c.diagnostics_for(&su);
    let screening: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"] == "category-not-screened")
        .collect();
    assert!(!screening.is_empty(), "{diags:?}");
    let actions = c.result(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": su}, "range": screening[0]["range"], "context": {"diagnostics": []}}),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("Add a screening entry for `")),
        "{titles:?}"
    );
}

#[test]
fn document_symbols_are_the_ids_a_file_defines() {
    let tmp = register();
    let mut c = Client::start(tmp.path(), false);
    c.initialize(tmp.path(), None);
    let text = read(tmp.path(), "people.yaml");
    let u = open(&mut c, tmp.path(), "people.yaml", &text);
    let symbols = c.result(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": u}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"bjones"), "{names:?}");
}

#[test]
fn positions_in_each_negotiated_encoding_after_emoji_and_cjk() {
    let tmp = register();
    let text = read(tmp.path(), "risks/R-001.yaml")
        .replace("system: ticket-triage", "systems: [\"😀漢\", ticket-triag]");
    let prefix = "systems: [\"😀漢\", ";
    for (enc, col) in [
        (None, prefix.encode_utf16().count()),
        (Some("utf-16"), prefix.encode_utf16().count()),
        (Some("utf-8"), prefix.len()),
        (Some("utf-32"), prefix.chars().count()),
    ] {
        let mut c = Client::start(tmp.path(), false);
        let offered: Vec<&str> = enc.into_iter().collect();
        let init = c.initialize(tmp.path(), enc.map(|_| offered.as_slice()));
        assert_eq!(
            init["capabilities"]["positionEncoding"],
            enc.unwrap_or("utf-16")
        );
        let u = open(&mut c, tmp.path(), "risks/R-001.yaml", &text);
        let diags = c.diagnostics_for(&u);
        let d = diags
            .iter()
            .find(|d| d["message"].as_str().unwrap().contains("`ticket-triag`"))
            .expect("the misspelt system");
        let (line, _) = find(&text, "systems:");
        assert_eq!(
            d["range"]["start"],
            json!({"line": line, "character": col}),
            "{enc:?}"
        );
        // And back: a definition request at that column lands on the reference.
        let hover = c.result("textDocument/prepareRename", at(&u, line, col as u32 + 1));
        assert_eq!(hover["placeholder"], "ticket-triag", "{enc:?}");
        // A position far past the end of the line is its end, not a failure.
        let far = c.request("textDocument/hover", at(&u, line, 100_000));
        assert!(far.get("error").is_none(), "{far}");
    }
}

#[test]
fn a_100_mb_buffer_is_a_finding_not_a_crash() {
    let tmp = register();
    let mut c = Client::start(tmp.path(), false);
    c.initialize(tmp.path(), None);
    let huge = "#".repeat(100 << 20);
    let u = open(&mut c, tmp.path(), "risks/R-002.yaml", &huge);
    let diags = c.diagnostics_for(&u);
    assert_eq!(codes(&diags), ["file-unreadable"], "{diags:?}");
    assert!(diags[0]["message"].as_str().unwrap().contains("MiB"));
    assert_eq!(c.result("shutdown", json!(null)), Value::Null);
    c.notify("exit", json!(null));
    assert_eq!(c.wait().0, Some(0));
}

#[test]
fn an_invalid_airisk_toml_is_shown_where_it_is_wrong_and_fixing_it_checks_again() {
    let tmp = register();
    let mut c = Client::start(tmp.path(), false);
    c.initialize(tmp.path(), None);
    let risk = read(tmp.path(), "risks/R-001.yaml")
        .replace("owner: bjones\nassessment", "owner: bjone\nassessment");
    let ru = open(&mut c, tmp.path(), "risks/R-001.yaml", &risk);
    assert_eq!(codes(&c.diagnostics_for(&ru)), ["unknown-reference"]);
    let toml = read(tmp.path(), "airisk.toml");
    let broken = toml.replace(
        "acceptance_threshold = 8",
        "acceptance_threshold = \"eight\"",
    );
    assert_ne!(broken, toml);
    let tu = open(&mut c, tmp.path(), "airisk.toml", &broken);
    let diags = c.diagnostics_for(&tu);
    assert_eq!(codes(&diags), ["config"], "{diags:?}");
    let (line, _) = find(&broken, "acceptance_threshold");
    assert_eq!(diags[0]["range"]["start"]["line"], line);
    // The register is not checked meanwhile: the risk's finding is withdrawn, not stale.
    assert_eq!(c.diagnostics_for(&ru), Vec::<Value>::new());
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": tu, "version": 2}, "contentChanges": [{"text": toml}]}),
    );
    assert_eq!(c.diagnostics_for(&tu), Vec::<Value>::new());
    assert_eq!(codes(&c.diagnostics_for(&ru)), ["unknown-reference"]);
}

/// The history cache (`.git/airisk/`) is written while the server runs, after the message
/// whose check read history, not only at a clean exit: an editor that kills its server keeps
/// what the server read, and the next `airisk check` walks nothing.
#[test]
fn the_history_cache_is_written_while_the_server_runs() {
    let g = crate::report::trend_repo();
    let reg = g.path().join("reg");
    let cache = g.path().join(".git/airisk");
    assert!(!cache.exists());
    let mut c = Client::start(&reg, true);
    c.initialize(&reg, None);
    // Answered after `initialized` (and its full check) was handled: one message at a time.
    let unknown = c.request("workspace/frobnicate", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    let written: Vec<String> = std::fs::read_dir(&cache)
        .expect("the cache folder, before exit")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        written
            .iter()
            .any(|n| n.starts_with("line-") && n.ends_with(".json")),
        "{written:?}"
    );
    // Killed, not told to exit: the cache stays and is read by the next run.
    drop(c);
    let (code, _, err) = crate::git::airisk(&reg, &["check", "--as-of", "2026-11-01"]);
    assert!(code == 0 || code == 1, "{err}");
}

/// The history cache is written when a check learnt something of history, not again after
/// every later message: a save that computes the git facts again over a history the server
/// has already read (and written) leaves the cache file alone.
#[test]
fn the_history_cache_is_not_written_again_when_nothing_was_learnt() {
    use std::os::unix::fs::MetadataExt;
    let g = crate::report::trend_repo();
    let reg = g.path().join("reg");
    let cache = g.path().join(".git/airisk");
    let mut c = Client::start(&reg, true);
    c.initialize(&reg, None);
    let rel = "risks/R-001.yaml";
    let original = read(&reg, rel);
    assert!(original.contains("reviewed: 2026-09-15") && original.contains("status: closed"));
    // A save that changes what the git rules watch (an open risk reviewed earlier than any
    // other of its system): the facts are computed again, over the same HEAD.
    let save = |c: &mut Client, reviewed: &str| -> u64 {
        let text = original
            .replace("status: closed", "status: open")
            .replace("reviewed: 2026-09-15", &format!("reviewed: {reviewed}"));
        std::fs::write(reg.join(rel), &text).expect("write");
        c.notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": uri(&reg.join(rel))}}),
        );
        // Answered once the save was handled (one message at a time).
        let _ = c.request("workspace/frobnicate", json!({}));
        let line = std::fs::read_dir(&cache)
            .expect("the cache folder")
            .map(|e| e.expect("entry").path())
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("line-"))
            })
            .expect("a line cache");
        std::fs::metadata(&line).expect("meta").ino()
    };
    // Read back to the register's first commit, and written.
    let first = save(&mut c, "2025-01-01");
    // Computed again over what was read: nothing to write.
    let second = save(&mut c, "2025-06-01");
    assert_eq!(
        first, second,
        "the cache was replaced though nothing was learnt"
    );
}
