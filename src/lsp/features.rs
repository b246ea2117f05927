//! The requests: definition, references, hover, completion, rename (with prepareRename),
//! code actions and document symbols, each answered from the live register's symbol index,
//! its model and the field declarations of `kinds`. A position in a file that does not parse
//! now (its spans index its last good text) finds nothing; a rename that would edit such a
//! file is refused.

use super::position::{Encoding, Lines};
use super::server::{Failure, INVALID_PARAMS, METHOD_NOT_FOUND, REQUEST_FAILED, Server, path_uri};
use crate::diag::{Code, Diagnostic};
use crate::kinds::fields::{Mapping, Symbol as Sym, Type};
use crate::kinds::{KINDS, Kind};
use crate::model::symbols::At;
use crate::source::{FileId, Span};
use crate::text;
use crate::workspace::Taxonomy;
use crate::workspace::live::{Live, kind_of_path};
use lsp_types as lt;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};

/// What the server offers, in the negotiated encoding.
pub fn capabilities(enc: Encoding) -> lt::ServerCapabilities {
    lt::ServerCapabilities {
        position_encoding: Some(enc.kind()),
        text_document_sync: Some(lt::TextDocumentSyncCapability::Options(
            lt::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lt::TextDocumentSyncKind::INCREMENTAL),
                save: Some(lt::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        definition_provider: Some(lt::OneOf::Left(true)),
        references_provider: Some(lt::OneOf::Left(true)),
        hover_provider: Some(lt::HoverProviderCapability::Simple(true)),
        completion_provider: Some(lt::CompletionOptions {
            trigger_characters: Some(vec![" ".into(), "-".into(), "[".into()]),
            ..Default::default()
        }),
        rename_provider: Some(lt::OneOf::Right(lt::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        code_action_provider: Some(lt::CodeActionProviderCapability::Simple(true)),
        document_symbol_provider: Some(lt::OneOf::Left(true)),
        ..Default::default()
    }
}

/// Answers a request of the running server.
pub fn request(s: &mut Server, method: &str, params: Value) -> Result<Value, Failure> {
    fn p<T: serde::de::DeserializeOwned>(params: Value) -> Result<T, Failure> {
        serde_json::from_value(params).map_err(|e| Failure::new(INVALID_PARAMS, e.to_string()))
    }
    let json = |v: Result<Option<Value>, Failure>| v.map(|v| v.unwrap_or(Value::Null));
    match method {
        "textDocument/definition" => json(definition(s, p(params)?)),
        "textDocument/references" => json(references(s, p(params)?)),
        "textDocument/hover" => json(hover(s, p(params)?)),
        "textDocument/completion" => json(completion(s, p(params)?)),
        "textDocument/prepareRename" => json(prepare_rename(s, p(params)?)),
        "textDocument/rename" => json(rename(s, p(params)?)),
        "textDocument/codeAction" => json(code_action(s, p(params)?)),
        "textDocument/documentSymbol" => json(document_symbols(s, p(params)?)),
        _ => Err(Failure::new(
            METHOD_NOT_FOUND,
            format!("unknown method `{}`", text::terminal_line(method)),
        )),
    }
}

/// A document of the register at a position: the live register, its path, its id in the
/// last check, and the byte offset.
struct Place<'a> {
    live: &'a Live,
    rel: String,
    file: FileId,
    offset: usize,
}

fn place<'a>(s: &'a Server, uri: &lt::Uri, pos: lt::Position) -> Option<Place<'a>> {
    let rel = s.rel(uri)?;
    let live = s.live.as_ref()?;
    let file = live.file_id(&rel)?;
    let text = live.text_of(&rel)?;
    let offset = Lines::new(text).offset(pos, s.enc);
    Some(Place {
        live,
        rel,
        file,
        offset,
    })
}

/// The symbol named at a place: its kind, its id, and the span of the id there.
fn symbol_at(pl: &Place) -> Option<(Kind, String, Span)> {
    let c = pl.live.checked.as_ref()?;
    match c.loaded.register.symbols.at(pl.file, pl.offset)? {
        At::Definition(d) => Some((d.kind, d.id.clone(), d.span?)),
        At::Reference(r) => Some((r.kind, c.loaded.register.symbols.id(r).to_string(), r.span)),
    }
}

/// The location of a span of the last check.
fn location(live: &Live, span: Span, enc: Encoding) -> Option<lt::Location> {
    let c = live.checked.as_ref()?;
    let file = c.loaded.sources.get(span.file);
    if file.path.is_empty() {
        return None;
    }
    let uri = path_uri(&live.root.join(&file.path))?;
    let range = Lines::new(&file.text).range(span.start as usize, span.end as usize, enc);
    Some(lt::Location::new(uri, range))
}

/// Where an id is defined: its definition, or for an Annex A control its SoA decision.
fn definition_span(live: &Live, kind: Kind, id: &str) -> Option<Span> {
    let symbols = &live.checked.as_ref()?.loaded.register.symbols;
    symbols.get(kind, id).and_then(|d| d.span).or_else(|| {
        (kind == Kind::Control)
            .then(|| symbols.get(Kind::Decision, id).and_then(|d| d.span))
            .flatten()
    })
}

fn definition(s: &Server, p: lt::GotoDefinitionParams) -> Result<Option<Value>, Failure> {
    let tp = p.text_document_position_params;
    let Some(pl) = place(s, &tp.text_document.uri, tp.position) else {
        return Ok(None);
    };
    if let Some(path) = evidence_at(&pl) {
        let Some(file) = pl.live.evidence_file(&path) else {
            return Ok(None);
        };
        let Some(uri) = path_uri(&file) else {
            return Ok(None);
        };
        let loc = lt::Location::new(uri, lt::Range::default());
        return Ok(Some(json!(loc)));
    }
    let Some((kind, id, _)) = symbol_at(&pl) else {
        return Ok(None);
    };
    Ok(definition_span(pl.live, kind, &id)
        .and_then(|span| location(pl.live, span, s.enc))
        .map(|l| json!(l)))
}

/// The evidence path written at a place, if the cursor is on one.
fn evidence_at(pl: &Place) -> Option<String> {
    let c = pl.live.checked.as_ref()?;
    let reg = &c.loaded.register;
    let mut lists: Vec<&Vec<crate::source::Sp<String>>> = Vec::new();
    for r in reg.risks.iter().filter(|r| r.file == pl.file) {
        if let Some(e) = r.treatment.as_ref().and_then(|t| t.evidence.get()) {
            lists.push(e);
        }
    }
    if let Some(soa) = reg.soa.as_ref().filter(|s| s.file == pl.file) {
        lists.extend(soa.decisions.iter().filter_map(|d| d.evidence.get()));
    }
    lists
        .into_iter()
        .flatten()
        .find(|e| e.span.range().contains(&pl.offset) || e.span.end as usize == pl.offset)
        .map(|e| e.value.clone())
}

fn references(s: &Server, p: lt::ReferenceParams) -> Result<Option<Value>, Failure> {
    let tp = p.text_document_position;
    let Some(pl) = place(s, &tp.text_document.uri, tp.position) else {
        return Ok(None);
    };
    let Some((kind, id, _)) = symbol_at(&pl) else {
        return Ok(None);
    };
    let Some(c) = &pl.live.checked else {
        return Ok(None);
    };
    let symbols = &c.loaded.register.symbols;
    let mut spans: Vec<Span> = Vec::new();
    if p.context.include_declaration
        && let Some(span) = definition_span(pl.live, kind, &id)
    {
        spans.push(span);
    }
    spans.extend(symbols.references_to(kind, &id).map(|r| r.span));
    if kind == Kind::Decision {
        spans.extend(symbols.references_to(Kind::Control, &id).map(|r| r.span));
    }
    spans.sort();
    spans.dedup();
    let locations: Vec<lt::Location> = spans
        .into_iter()
        .filter_map(|sp| location(pl.live, sp, s.enc))
        .collect();
    Ok(Some(json!(locations)))
}

fn hover(s: &Server, p: lt::HoverParams) -> Result<Option<Value>, Failure> {
    let tp = p.text_document_position_params;
    let Some(pl) = place(s, &tp.text_document.uri, tp.position) else {
        return Ok(None);
    };
    let Some((kind, id, span)) = symbol_at(&pl) else {
        return Ok(None);
    };
    let Some(text) = describe(pl.live, kind, &id) else {
        return Ok(None);
    };
    let range = Lines::new(pl.live.text_of(&pl.rel).unwrap_or("")).range(
        span.start as usize,
        span.end as usize,
        s.enc,
    );
    Ok(Some(json!(lt::Hover {
        contents: lt::HoverContents::Markup(lt::MarkupContent {
            kind: lt::MarkupKind::Markdown,
            value: text,
        }),
        range: Some(range),
    })))
}

/// The hover text of a symbol, in markdown (every value of the register escaped).
fn describe(live: &Live, kind: Kind, id: &str) -> Option<String> {
    let c = live.checked.as_ref()?;
    let reg = &c.loaded.register;
    let t = Taxonomy::get();
    let code = text::markdown_code;
    let md = text::markdown_text;
    let mut lines: Vec<String> = Vec::new();
    match kind {
        Kind::Risk => {
            let r = reg.risk(id)?;
            lines.push(format!(
                "**risk** {}{}",
                code(id),
                r.title
                    .as_ref()
                    .map(|t| format!(" — {}", md(&t.value)))
                    .unwrap_or_default()
            ));
            match r.current() {
                Some((l, cq)) => {
                    let level = reg
                        .level_of(r)
                        .map(|lv| format!(", level **{}**", md(&lv.name)))
                        .unwrap_or_default();
                    lines.push(format!(
                        "score {} (likelihood {l} × consequence {cq}){level}",
                        l.saturating_mul(cq)
                    ));
                }
                None => lines.push("not assessed".into()),
            }
            lines.push(format!("status: {}", r.status.as_str()));
            match crate::model::schedule::risk_review(reg, r) {
                Some(due) if r.is_open() => {
                    lines.push(format!("next review: {} ({})", due.due, md(&due.why)))
                }
                _ => {}
            }
        }
        Kind::Control | Kind::Decision => {
            let title = t.control(id).map(|c| c.title.as_str()).unwrap_or("");
            lines.push(format!("**Annex A control** {} — {}", code(id), md(title)));
            match reg.decision(id) {
                None => lines.push("no SoA decision".into()),
                Some(d) => {
                    let applicable = match d.applicable.as_ref().map(|a| a.value) {
                        Some(true) => "applicable",
                        Some(false) => "excluded",
                        None => "applicability not stated",
                    };
                    let status = d
                        .status
                        .as_ref()
                        .map(|s| format!(", {}", s.value.as_str()))
                        .unwrap_or_default();
                    lines.push(format!("SoA: {applicable}{status}"));
                    if let Some(j) = d.justification.get() {
                        lines.push(format!("justification: {}", md(&j.value)));
                    }
                }
            }
        }
        Kind::Person => {
            let person = reg.person(id)?;
            let name = person.name.as_ref().map(|n| n.value.as_str()).unwrap_or(id);
            lines.push(format!("**person** {} — {}", code(id), md(name)));
            if let Some(role) = &person.role {
                lines.push(format!("role: {}", md(&role.value)));
            }
            let roles: Vec<String> = reg
                .people
                .iter()
                .flat_map(|p| p.roles.iter())
                .filter(|r| r.members.iter().any(|m| m.value == id))
                .map(|r| code(&r.name.value))
                .collect();
            if !roles.is_empty() {
                lines.push(format!("member of: {}", roles.join(", ")));
            }
        }
        Kind::System => {
            let sys = reg.system(id)?;
            let name = sys.name.as_ref().map(|n| md(&n.value)).unwrap_or_default();
            lines.push(format!("**AI system** {} — {name}", code(id)));
            let risks = reg.symbols.named_by(Kind::System, id, Kind::Risk).len();
            lines.push(format!("{risks} risk(s)"));
        }
        Kind::Category => {
            let name = t
                .category(id)
                .map(|c| c.name.clone())
                .or_else(|| {
                    reg.config
                        .extra_categories
                        .iter()
                        .find(|c| c.id == id)
                        .map(|c| c.name.clone())
                })
                .unwrap_or_default();
            lines.push(format!("**risk category** {} — {}", code(id), md(&name)));
        }
        Kind::Source | Kind::Objective => {
            let list = if kind == Kind::Source {
                &t.annex_c.sources
            } else {
                &t.annex_c.objectives
            };
            let name = list.iter().find(|i| i.id == id).map(|i| i.name.as_str());
            lines.push(format!(
                "**Annex C {}** {} — {}",
                kind.def().title,
                code(id),
                md(name.unwrap_or(""))
            ));
        }
        Kind::EuPoint | Kind::EuAct | Kind::EuDuty | Kind::EuObligation => {
            reg.symbols.get(kind, id)?;
            lines.push(format!("**{}** {}", kind.def().title, code(id)));
            lines.push(md(&eu_ai_act_detail(kind, id).unwrap_or_default()));
        }
        _ => {
            reg.symbols.get(kind, id)?;
            lines.push(format!("**{}** {}", kind.def().title, code(id)));
        }
    }
    Some(lines.join("\n\n"))
}

/// What the EU AI Act pack says of one of its ids: the point's area and use case, the act, the
/// duty or obligation with its article.
fn eu_ai_act_detail(kind: Kind, id: &str) -> Option<String> {
    let pack = &Taxonomy::get().eu_ai_act;
    Some(match kind {
        Kind::EuPoint => {
            let p = pack.point(id)?;
            format!("{}: {}", p.area, p.summary)
        }
        Kind::EuAct => {
            let a = pack.act(id)?;
            format!("{} ({})", a.name, a.act)
        }
        _ => {
            let (article, summary) = pack.describe(id)?;
            format!("{article}: {summary}")
        }
    })
}

/// The kinds whose ids are written in the register's own files, which a rename may change.
fn renamable(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::System | Kind::Risk | Kind::Assessment | Kind::Incident | Kind::Person | Kind::Role
    )
}

/// The span of the id itself inside a written value (without quotes).
fn inner(live: &Live, span: Span) -> Span {
    let Some(c) = &live.checked else { return span };
    let text = c.loaded.sources.text(span);
    let quoted = text.len() >= 2
        && ((text.starts_with('"') && text.ends_with('"'))
            || (text.starts_with('\'') && text.ends_with('\'')));
    if quoted {
        Span {
            start: span.start + 1,
            end: span.end - 1,
            ..span
        }
    } else {
        span
    }
}

fn prepare_rename(s: &Server, p: lt::TextDocumentPositionParams) -> Result<Option<Value>, Failure> {
    let Some(pl) = place(s, &p.text_document.uri, p.position) else {
        return Err(Failure::new(REQUEST_FAILED, "nothing to rename here"));
    };
    let Some((kind, id, span)) = symbol_at(&pl) else {
        return Err(Failure::new(
            REQUEST_FAILED,
            "not an id: nothing to rename here",
        ));
    };
    if !renamable(kind) {
        return Err(Failure::new(
            REQUEST_FAILED,
            format!(
                "`{}` is a {} of the built-in taxonomy or airisk.toml: it cannot be renamed here",
                text::terminal_line(&id),
                kind.def().title
            ),
        ));
    }
    let span = inner(pl.live, span);
    let range = Lines::new(pl.live.text_of(&pl.rel).unwrap_or("")).range(
        span.start as usize,
        span.end as usize,
        s.enc,
    );
    Ok(Some(json!({"range": range, "placeholder": id})))
}

/// The id syntax, as the loader states it.
const ID_SYNTAX: &str = "an id is 1 to 64 letters, digits, `.`, `_` and `-`, starting with a letter or digit (`R-001`, `credit-scoring`)";

// lsp-types' `WorkspaceEdit` is a map keyed by `Uri` (its parsed form caches, which clippy
// counts as interior mutability; the key is never changed).
#[allow(clippy::mutable_key_type)]
fn rename(s: &Server, p: lt::RenameParams) -> Result<Option<Value>, Failure> {
    let tp = p.text_document_position;
    let Some(pl) = place(s, &tp.text_document.uri, tp.position) else {
        return Err(Failure::new(REQUEST_FAILED, "nothing to rename here"));
    };
    let Some((kind, id, _)) = symbol_at(&pl) else {
        return Err(Failure::new(
            REQUEST_FAILED,
            "not an id: nothing to rename here",
        ));
    };
    if !renamable(kind) {
        return Err(Failure::new(
            REQUEST_FAILED,
            format!("a {} cannot be renamed here", kind.def().title),
        ));
    }
    let new = p.new_name;
    if !text::is_id(&new) {
        return Err(Failure::new(
            INVALID_PARAMS,
            format!(
                "`{}` is not valid as an id: {ID_SYNTAX}",
                text::terminal_line(&new)
            ),
        ));
    }
    let live = pl.live;
    let Some(c) = &live.checked else {
        return Ok(None);
    };
    let symbols = &c.loaded.register.symbols;
    if new != id && symbols.get(kind, &new).is_some() {
        return Err(Failure::new(
            REQUEST_FAILED,
            format!(
                "a {} `{}` exists already",
                kind.def().title,
                text::terminal_line(&new)
            ),
        ));
    }
    let mut spans: Vec<Span> = symbols
        .definitions(kind)
        .filter(|d| d.id == id)
        .filter_map(|d| d.span)
        .collect();
    spans.extend(symbols.references_to(kind, &id).map(|r| r.span));
    let mut changes: HashMap<lt::Uri, Vec<lt::TextEdit>> = HashMap::new();
    let mut by_file: BTreeMap<FileId, Vec<Span>> = BTreeMap::new();
    for sp in spans {
        by_file.entry(sp.file).or_default().push(inner(live, sp));
    }
    for (file, mut spans) in by_file {
        let path = c.loaded.sources.path(file);
        if live.is_stale(path) {
            return Err(Failure::new(
                REQUEST_FAILED,
                format!(
                    "`{}` does not parse: fix it before renaming",
                    text::terminal_line(path)
                ),
            ));
        }
        let Some(uri) = path_uri(&live.root.join(path)) else {
            continue;
        };
        spans.sort();
        spans.dedup();
        let lines = Lines::new(&c.loaded.sources.get(file).text);
        let edits = spans
            .into_iter()
            .map(|sp| lt::TextEdit {
                range: lines.range(sp.start as usize, sp.end as usize, s.enc),
                new_text: new.clone(),
            })
            .collect();
        changes.insert(uri, edits);
    }
    Ok(Some(json!(lt::WorkspaceEdit::new(changes))))
}

/// The replacement a "did you mean" finding suggests for its primary span.
fn suggested(d: &Diagnostic) -> Option<String> {
    let from = |s: &str| {
        let rest = s.split("did you mean `").nth(1)?;
        let (word, _) = rest.split_once("`?")?;
        Some(word.to_string())
    };
    from(&d.primary.message).or_else(|| d.help.as_deref().and_then(from))
}

// lsp-types' `WorkspaceEdit` is a map keyed by `Uri` (its parsed form caches, which clippy
// counts as interior mutability; the key is never changed).
#[allow(clippy::mutable_key_type)]
fn code_action(s: &Server, p: lt::CodeActionParams) -> Result<Option<Value>, Failure> {
    let Some(rel) = s.rel(&p.text_document.uri) else {
        return Ok(None);
    };
    let Some(live) = &s.live else { return Ok(None) };
    if live.file_id(&rel).is_none() {
        return Ok(None);
    }
    let Some(text) = live.text_of(&rel) else {
        return Ok(None);
    };
    let lines = Lines::new(text);
    let start = lines.offset(p.range.start, s.enc);
    let end = lines.offset(p.range.end, s.enc);
    let findings = live.findings();
    let uri = p.text_document.uri.clone();
    let mut actions = Vec::new();
    for d in findings.get(&rel).into_iter().flatten() {
        let (ds, de) = (d.primary.span.start as usize, d.primary.span.end as usize);
        if de < start || ds > end {
            continue;
        }
        let range = lines.range(ds, de, s.enc);
        let diagnostic = lt::Diagnostic {
            range,
            code: Some(lt::NumberOrString::String(d.code.name().into())),
            source: Some("airisk".into()),
            message: text::terminal(&d.message),
            ..Default::default()
        };
        let edit = match d.code {
            Code::UnknownReference | Code::UnknownField | Code::InvalidValue => {
                suggested(d).map(|word| {
                    let target = inner(live, d.primary.span);
                    (
                        format!("Replace with `{}`", text::terminal_line(&word)),
                        lt::TextEdit {
                            range: lines.range(target.start as usize, target.end as usize, s.enc),
                            new_text: word,
                        },
                    )
                })
            }
            Code::CategoryNotScreened => screening_edit(text, d, &lines, s.enc),
            _ => None,
        };
        let Some((title, edit)) = edit else { continue };
        let mut changes = HashMap::new();
        changes.insert(uri.clone(), vec![edit]);
        actions.push(lt::CodeActionOrCommand::CodeAction(lt::CodeAction {
            title,
            kind: Some(lt::CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic]),
            edit: Some(lt::WorkspaceEdit::new(changes)),
            is_preferred: Some(true),
            ..Default::default()
        }));
    }
    Ok(Some(json!(actions)))
}

/// The edit adding a screening entry for the category a `category-not-screened` finding
/// names, with an empty `rationale` for the author to write (the check asks for it: the
/// judgement is theirs, not the editor's).
fn screening_edit(
    text: &str,
    d: &Diagnostic,
    lines: &Lines,
    enc: Encoding,
) -> Option<(String, lt::TextEdit)> {
    let cat = d
        .message
        .split("for category `")
        .nth(1)?
        .split('`')
        .next()?;
    if !text::is_id(cat) {
        return None;
    }
    let mut offset = 0;
    let mut insert_at = None;
    let mut item_indent = "  ".to_string();
    let mut in_screening = false;
    for line in text.split_inclusive('\n') {
        let end = offset + line.len();
        let bare = line.trim_end();
        if in_screening {
            let indent = &line[..line.len() - line.trim_start().len()];
            if !bare.is_empty() && indent.is_empty() && !bare.starts_with('-') {
                break;
            }
            if bare.trim_start().starts_with("- ") || bare.trim_start() == "-" {
                item_indent = indent.to_string();
            }
            if !bare.is_empty() {
                insert_at = Some(end);
            }
        } else if bare == "screening:" {
            in_screening = true;
            insert_at = Some(end);
        } else if bare.starts_with("screening:") {
            // A flow list or a value on the key's line: not edited by hand here.
            return None;
        }
        offset = end;
    }
    let entry = format!("{item_indent}- category: {cat}\n{item_indent}  rationale:\n");
    let (at, new_text) = match insert_at {
        Some(at) if at > 0 && !text[..at].ends_with('\n') => (at, format!("\n{entry}")),
        Some(at) => (at, entry),
        None => {
            let sep = if text.is_empty() || text.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            (text.len(), format!("{sep}screening:\n{entry}"))
        }
    };
    let pos = lines.position(at, enc);
    Some((
        format!("Add a screening entry for `{cat}`"),
        lt::TextEdit {
            range: lt::Range::new(pos, pos),
            new_text,
        },
    ))
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be written.
fn document_symbols(s: &Server, p: lt::DocumentSymbolParams) -> Result<Option<Value>, Failure> {
    let Some(rel) = s.rel(&p.text_document.uri) else {
        return Ok(None);
    };
    let Some(live) = &s.live else { return Ok(None) };
    let (Some(file), Some(c)) = (live.file_id(&rel), &live.checked) else {
        return Ok(None);
    };
    let lines = Lines::new(live.text_of(&rel).unwrap_or(""));
    let symbols = &c.loaded.register.symbols;
    let mut out = Vec::new();
    for def in KINDS {
        for sym in symbols.definitions(def.kind) {
            let Some(span) = sym.span.filter(|sp| sp.file == file) else {
                continue;
            };
            let range = lines.range(span.start as usize, span.end as usize, s.enc);
            out.push((
                span.start,
                lt::DocumentSymbol {
                    name: sym.id.clone(),
                    detail: Some(def.title.to_string()),
                    kind: match def.kind {
                        Kind::Person | Kind::Role => lt::SymbolKind::CONSTANT,
                        Kind::Decision => lt::SymbolKind::PROPERTY,
                        _ => lt::SymbolKind::OBJECT,
                    },
                    tags: None,
                    deprecated: None,
                    range,
                    selection_range: range,
                    children: None,
                },
            ));
        }
    }
    out.sort_by_key(|(start, _)| *start);
    let list: Vec<lt::DocumentSymbol> = out.into_iter().map(|(_, d)| d).collect();
    Ok(Some(json!(list)))
}

/// The most completion items returned at once (the list is marked incomplete past it, and
/// the client asks again as more is typed).
const MAX_ITEMS: usize = 500;

fn completion(s: &Server, p: lt::CompletionParams) -> Result<Option<Value>, Failure> {
    let tp = p.text_document_position;
    let Some(rel) = s.rel(&tp.text_document.uri) else {
        return Ok(None);
    };
    let Some(live) = &s.live else { return Ok(None) };
    let (Some(kind), Some(text)) = (kind_of_path(&rel), live.buffers().get(&rel)) else {
        return Ok(None);
    };
    let Some(top) = kind.def().mapping else {
        return Ok(None);
    };
    let offset = Lines::new(text).offset(tp.position, s.enc);
    let Some(ctx) = context(text, offset) else {
        return Ok(None);
    };
    let Some(expected) = expected(top, &ctx.path, ctx.at_key) else {
        return Ok(None);
    };
    let prefix = ctx.prefix.to_lowercase();
    let mut items: Vec<lt::CompletionItem> = Vec::new();
    let mut push = |label: &str, detail: Option<String>, kind: lt::CompletionItemKind| {
        if label.to_lowercase().starts_with(&prefix) {
            items.push(lt::CompletionItem {
                label: label.to_string(),
                kind: Some(kind),
                detail,
                ..Default::default()
            });
        }
    };
    match expected {
        Expected::Keys(m) => {
            for f in m.fields {
                push(
                    f.name,
                    Some(f.description.to_string()),
                    lt::CompletionItemKind::PROPERTY,
                );
            }
        }
        Expected::Values(values) => {
            for v in values {
                push(v, None, lt::CompletionItemKind::ENUM_MEMBER);
            }
        }
        Expected::Ids(k) => {
            let Some(c) = &live.checked else {
                return Ok(None);
            };
            let reg = &c.loaded.register;
            let t = Taxonomy::get();
            for id in reg.symbols.ids(k) {
                let detail = match k {
                    Kind::Control => t.control(id).map(|c| c.title.clone()),
                    Kind::Category => t.category(id).map(|c| c.name.clone()),
                    Kind::EuPoint | Kind::EuAct | Kind::EuDuty | Kind::EuObligation => {
                        eu_ai_act_detail(k, id)
                    }
                    Kind::Risk => reg
                        .risk(id)
                        .and_then(|r| r.title.as_ref())
                        .map(|t| text::terminal_line(&t.value)),
                    Kind::System => reg
                        .system(id)
                        .and_then(|r| r.name.as_ref())
                        .map(|t| text::terminal_line(&t.value)),
                    Kind::Person => reg
                        .person(id)
                        .and_then(|r| r.name.as_ref())
                        .map(|t| text::terminal_line(&t.value)),
                    _ => None,
                };
                push(id, detail, lt::CompletionItemKind::REFERENCE);
            }
        }
    }
    let incomplete = items.len() > MAX_ITEMS;
    items.truncate(MAX_ITEMS);
    Ok(Some(json!(lt::CompletionList {
        is_incomplete: incomplete,
        items,
    })))
}

/// Where the cursor is in a YAML block: the keys above it, whether a key or a value is being
/// written, and what is typed of it so far.
#[derive(Debug, PartialEq)]
struct Context {
    path: Vec<String>,
    at_key: bool,
    prefix: String,
}

/// The indentation of a line (spaces), and its content with a list marker removed (the
/// marker's width added to the indentation: a mapping in a list item starts after it).
fn split_line(line: &str) -> (usize, bool, &str) {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    match rest.strip_prefix("- ") {
        Some(item) => {
            let more = item.len() - item.trim_start_matches(' ').len();
            (indent + 2 + more, true, &item[more..])
        }
        None if rest == "-" => (indent + 2, true, ""),
        None => (indent, false, rest),
    }
}

/// A line's key, when it is `key:` or `key: value`.
fn key_of(content: &str) -> Option<&str> {
    let content = content.split(" #").next()?;
    let (key, _) = content
        .split_once(": ")
        .or_else(|| content.strip_suffix(':').map(|k| (k, "")))?;
    let key = key.trim().trim_matches(['"', '\'']);
    (!key.is_empty() && !key.starts_with('#')).then_some(key)
}

fn context(text: &str, offset: usize) -> Option<Context> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..offset];
    let (indent, item, content) = split_line(line);
    let mut path: Vec<String> = Vec::new();
    let (at_key, prefix) = match content.split_once(':') {
        Some((key, value)) if !key.trim().is_empty() => {
            path.push(key.trim().trim_matches(['"', '\'']).to_string());
            // In a flow list (`controls: [A.5.2, A.`) the last item is being written.
            let value = value.trim_start();
            let last = value.rsplit([',', '[']).next().unwrap_or(value);
            (false, last.trim().trim_matches(['"', '\'']).to_string())
        }
        _ if item => (false, content.trim().to_string()),
        _ => (true, content.trim().to_string()),
    };
    // The keys of the mappings holding the line, read upwards by indentation: `limit` is
    // the indentation of what is being looked into; `in_list`: the line is an item of a list
    // at `limit`, whose key may be at the same indentation (`key:` over `- item`).
    let mut limit = if item { indent - 2 } else { indent };
    let mut in_list = item;
    for above in text[..line_start].lines().rev() {
        if limit == 0 && !in_list {
            break;
        }
        if above.trim().is_empty() || above.trim_start().starts_with('#') {
            continue;
        }
        let (ind, is_item, content) = split_line(above);
        let dash = if is_item { ind - 2 } else { ind };
        if in_list {
            if is_item && dash == limit {
                continue; // an earlier item of the same list
            }
            if dash > limit {
                continue;
            }
            if is_item {
                // A list in a list item's mapping (`- controls:` over `    - A.1`).
                if let Some(k) = key_of(content) {
                    path.push(k.to_string());
                }
                limit = dash;
                continue;
            }
            let Some(k) = key_of(content) else { continue };
            path.push(k.to_string());
            limit = ind;
            in_list = false;
        } else if is_item {
            if ind < limit {
                if let Some(k) = key_of(content) {
                    path.push(k.to_string());
                }
            } else if ind > limit {
                continue;
            }
            // The item whose mapping holds the line: its list's key is next.
            limit = dash;
            in_list = true;
        } else if ind < limit {
            let Some(k) = key_of(content) else { continue };
            path.push(k.to_string());
            limit = ind;
        }
    }
    path.reverse();
    if at_key && path.is_empty() && indent > 0 {
        return None;
    }
    Some(Context {
        path,
        at_key,
        prefix,
    })
}

/// What may be written at a place of a file of mapping `top`.
enum Expected {
    Keys(&'static Mapping),
    Values(&'static [&'static str]),
    Ids(Kind),
}

fn expected(top: &'static Mapping, path: &[String], at_key: bool) -> Option<Expected> {
    // Walk the mappings; `pending` is the type of the last key's value.
    let mut mapping = top;
    let mut ty: Option<(Type, Sym)> = None;
    for key in path {
        if let Some((t, _)) = ty {
            match descend(t) {
                Some(Step::Mapping(m)) => mapping = m,
                Some(Step::MapKey(value)) => {
                    // `key` is a key of a map; what follows is its value.
                    ty = Some((value.ty, value.symbol));
                    continue;
                }
                None => return None,
            }
        }
        let f = mapping.field(key)?;
        ty = Some((f.ty, f.symbol));
    }
    let Some((t, sym)) = ty else {
        return at_key.then_some(Expected::Keys(top));
    };
    if at_key {
        return match descend(t)? {
            Step::Mapping(m) => Some(Expected::Keys(m)),
            Step::MapKey(_) => match t {
                Type::Map { key, .. } => key.refers.map(Expected::Ids),
                _ => None,
            },
        };
    }
    value_of(t, sym)
}

enum Step {
    Mapping(&'static Mapping),
    MapKey(&'static crate::kinds::fields::Item),
}

fn descend(t: Type) -> Option<Step> {
    match t {
        Type::Mapping(m) => Some(Step::Mapping(m)),
        Type::List { item, .. } | Type::OneOrList(item) => match item.ty {
            Type::Mapping(m) => Some(Step::Mapping(m)),
            _ => None,
        },
        Type::Map { value, .. } => Some(Step::MapKey(value)),
        _ => None,
    }
}

fn value_of(t: Type, sym: Sym) -> Option<Expected> {
    if let Sym::Refers(k) = sym {
        return Some(Expected::Ids(k));
    }
    match t {
        Type::Enum(e) => Some(Expected::Values(e.values)),
        Type::Bool => Some(Expected::Values(&["true", "false"])),
        Type::List { item, .. } | Type::OneOrList(item) => value_of(item.ty, item.symbol),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(text: &str) -> Context {
        let at = text.find('|').expect("a cursor");
        let text = text.replace('|', "");
        context(&text, at).expect("a context")
    }

    #[test]
    fn the_place_of_the_cursor_in_a_yaml_block() {
        let c = ctx("id: R-1\nsystem: cre|");
        assert_eq!(
            (c.path.clone(), c.at_key, c.prefix.as_str()),
            (vec!["system".into()], false, "cre")
        );
        let c = ctx("id: R-1\ntreatment:\n  option: mitigate\n  controls:\n    - A.6|");
        assert_eq!(c.path, ["treatment", "controls"]);
        assert_eq!((c.at_key, c.prefix.as_str()), (false, "A.6"));
        let c = ctx("id: R-1\ntreatment:\n  controls: [A.5.2, A.|");
        assert_eq!(
            (c.path.clone(), c.prefix.as_str()),
            (vec!["treatment".into(), "controls".into()], "A.")
        );
        let c = ctx("id: R-1\ntreatment:\n  opt|");
        assert_eq!((c.path.clone(), c.at_key), (vec!["treatment".into()], true));
        let c =
            ctx("id: S\nscreening:\n  - category: fairness\n    rationale: x\n  - category: pri|");
        assert_eq!(c.path, ["screening", "category"]);
    }

    #[test]
    fn what_the_declarations_expect_there() {
        use crate::kinds::risk::RISK;
        let path = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(matches!(
            expected(&RISK, &path(&["system"]), false),
            Some(Expected::Ids(Kind::System))
        ));
        assert!(matches!(
            expected(&RISK, &path(&["treatment", "controls"]), false),
            Some(Expected::Ids(Kind::Control))
        ));
        assert!(matches!(
            expected(&RISK, &path(&["category"]), false),
            Some(Expected::Ids(Kind::Category))
        ));
        match expected(&RISK, &path(&["treatment", "option"]), false) {
            Some(Expected::Values(v)) => assert!(v.contains(&"mitigate")),
            _ => panic!("an enumeration"),
        }
        assert!(matches!(
            expected(&RISK, &path(&["treatment"]), true),
            Some(Expected::Keys(_))
        ));
        assert!(expected(&RISK, &path(&["title"]), false).is_none());
    }
}
