//! `airisk import` (docs/import.md): CSV and workbooks through a mapping into register files,
//! every problem a finding at its cell with nothing written, re-import editing in place, the
//! built-in mappings on hand-made fixtures in their shape, and the attacker's inputs (a link,
//! a FIFO, a zip bomb, a million rows, hostile text in cells). Every code of the import is
//! expected here by name (`every_code_has_a_case`).

use crate::support::{AS_OF, check_register, copy_dir, date, findings, root, try_cli};
use rust_xlsxwriter::{Formula, Workbook};
use std::collections::BTreeMap;
use std::path::Path;

/// A copy of examples/minimal in a temporary folder (no git).
fn register() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("examples/minimal"), dir.path());
    dir
}

/// Every file of a register folder and its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

const MAP: &str = r#"
kind = "risk"
header_row = 1
[columns]
id = "Risk ID"
title = "Risk"
system = "AI system"
category = "Category"
event = "Event"
cause = "Cause"
consequence = "Consequence"
"assessment.likelihood" = "Likelihood"
"assessment.consequence" = "Impact"
"assessment.rationale" = "Rationale"
owner = "Owner"
reviewed = "Last review"
"treatment.option" = "Treatment"
[values."assessment.likelihood"]
"Rare" = 1
"Unlikely" = 2
"Possible" = 3
[values.category]
"Bias" = "bias-fairness"
"Ops" = "operational"
[defaults]
status = "open"
"acceptance.rationale" = "Low score; the fallback queue catches it"
"acceptance.approved_by" = "asmith"
"acceptance.date" = "2026-09-15"
"#;

const HEADER: &str = "Risk ID,Risk,AI system,Category,Event,Cause,Consequence,Likelihood,Impact,Rationale,Owner,Last review,Treatment\n";

fn row(id: &str, title: &str, likelihood: &str, owner: &str, reviewed: &str) -> String {
    format!("{id},{title},ticket-triage,Bias,e,c,q,{likelihood},2,r,{owner},{reviewed},accept\n")
}

/// A finding: code, file, line, column.
type Found = (String, String, u64, u64);

/// Runs `airisk import` in `dir` with `--format json`: (exit code, findings as (code, file,
/// line, column)), or the error that stopped it.
fn import(dir: &Path, args: &[&str]) -> Result<(u8, Vec<Found>), String> {
    let mut argv = vec!["--no-git", "import", "--format", "json"];
    argv.extend_from_slice(args);
    let (code, out) = try_cli(dir, &argv)?;
    let v: serde_json::Value = serde_json::from_str(&out).map_err(|e| format!("{e}: {out}"))?;
    let found = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    Ok((code, found))
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// Imports `csv` with [`MAP`] and expects exactly `expected` codes, nothing written.
fn refused(csv: &str, expected: &[(&str, u64, u64)]) {
    let reg = register();
    let dir = reg.path();
    write(dir, "map.toml", MAP);
    write(dir, "sheet.csv", csv);
    let before = snapshot(dir);
    let (code, found) = import(dir, &["sheet.csv", "--map", "map.toml"]).unwrap();
    assert_eq!(code, 1, "{found:?}");
    let got: Vec<(&str, u64, u64)> = found
        .iter()
        .map(|(c, _, l, col)| (c.as_str(), *l, *col))
        .collect();
    assert_eq!(got, expected, "{found:?}");
    assert_eq!(snapshot(dir), before, "nothing is written");
}

#[test]
fn a_csv_becomes_files_that_check_clean() {
    let reg = register();
    let dir = reg.path();
    write(dir, "map.toml", MAP);
    // A byte order mark, a quoted cell with a comma, a person by name and by email.
    let csv = format!(
        "\u{feff}{HEADER}{}{}",
        row(
            "",
            "\"Bias, in triage\"",
            "Possible",
            "Bea Jones",
            "2026-09-15"
        ),
        row("", "Drift", "rare", "ALEX.SMITH@example.com", "2026-10-01"),
    );
    write(dir, "sheet.csv", &csv);
    let (code, found) = import(dir, &["sheet.csv", "--map", "map.toml"]).unwrap();
    assert_eq!((code, found), (0, vec![]));
    let r4 = std::fs::read_to_string(dir.join("risks/R-004.yaml")).unwrap();
    assert!(r4.contains("id: R-004\ntitle: Bias, in triage\n"), "{r4}");
    assert!(r4.contains("owner: bjones\n"), "{r4}");
    assert!(
        r4.contains("assessment:\n  likelihood: 3\n  consequence: 2\n"),
        "{r4}"
    );
    assert!(r4.contains("category: bias-fairness\n"), "{r4}");
    let r5 = std::fs::read_to_string(dir.join("risks/R-005.yaml")).unwrap();
    assert!(
        r5.contains("owner: asmith\n") && r5.contains("likelihood: 1\n"),
        "{r5}"
    );
    assert!(r4.contains("acceptance:\n  rationale: "), "{r4}");
    let outcome = check_register(dir, date(AS_OF), false).unwrap();
    assert_eq!(findings(&outcome), vec![]);
}

#[test]
fn a_finding_of_the_resulting_register_is_at_the_cell_and_nothing_is_written() {
    // `nobody` is no person: the check of the register with the new file finds it, at the
    // owner cell of row 2 (line 2, column 46).
    let csv = format!(
        "{HEADER}{}",
        row("R-010", "T", "Rare", "nobody", "2026-09-15")
    );
    let col = csv.lines().nth(1).unwrap().find("nobody").unwrap() as u64 + 1;
    refused(&csv, &[("unknown-reference", 2, col)]);
}

#[test]
fn import_unmapped_label_is_at_the_cell() {
    let csv = format!(
        "{HEADER}{}",
        row("R-010", "T", "Often", "bjones", "2026-09-15")
    );
    refused(&csv, &[("import-unmapped-label", 2, 34)]);
}

#[test]
fn import_invalid_cell_for_a_date_written_as_text() {
    let csv = format!(
        "{HEADER}{}",
        row("R-010", "T", "Rare", "bjones", "15/09/2026")
    );
    refused(&csv, &[("import-invalid-cell", 2, 50)]);
}

#[test]
fn import_duplicate_id_across_rows() {
    let csv = format!(
        "{HEADER}{}{}",
        row("R-010", "T", "Often", "bjones", "2026-09-15"),
        row("R-010", "T", "Rare", "bjones", "2026-09-15")
    );
    refused(
        &csv,
        &[
            ("import-unmapped-label", 2, 34),
            ("import-duplicate-id", 3, 1),
        ],
    );
}

#[test]
fn import_empty_cell_of_a_required_field() {
    let csv = format!(
        "{HEADER}{}",
        row("R-010", "", "Rare", "bjones", "2026-09-15")
    );
    refused(&csv, &[("import-empty-cell", 2, 7)]);
}

#[test]
fn import_mapping_and_import_unknown_column_are_in_the_mapping_file() {
    let reg = register();
    let dir = reg.path();
    write(dir, "sheet.csv", HEADER);
    write(dir, "map.toml", &MAP.replace("title = ", "titel = "));
    let (code, found) = import(dir, &["sheet.csv", "--map", "map.toml"]).unwrap();
    assert_eq!(code, 1);
    assert_eq!(
        found,
        vec![("import-mapping".into(), "map.toml".into(), 6, 1)]
    );
    write(dir, "map.toml", &MAP.replace("\"Cause\"", "\"Why\""));
    let (_, found) = import(dir, &["sheet.csv", "--map", "map.toml"]).unwrap();
    assert_eq!(
        found,
        vec![("import-unknown-column".into(), "map.toml".into(), 10, 9)]
    );
    write(dir, "map.toml", "kind = \"soa\"\n[columns]\n");
    let (_, found) = import(dir, &["sheet.csv", "--map", "map.toml"]).unwrap();
    assert_eq!(
        found,
        vec![("import-mapping".into(), "map.toml".into(), 1, 8)]
    );
}

#[test]
fn reimport_edits_only_the_changed_field_in_place() {
    let reg = register();
    let dir = reg.path();
    let map = r#"
[columns]
id = "id"
"assessment.likelihood" = "likelihood"
"treatment.due" = "due"
title = "title"
"#;
    write(dir, "map.toml", map);
    let old = std::fs::read_to_string(dir.join("risks/R-001.yaml")).unwrap();
    write(
        dir,
        "sheet.csv",
        "id,likelihood,due,title\nR-001,4,2027-01-31,\nR-002,2,2026-06-30,Customer personal data sent to the LLM provider\n",
    );
    let before = snapshot(dir);
    let (code, found) = import(dir, &["sheet.csv", "--map", "map.toml", "--dry-run"]).unwrap();
    assert_eq!((code, found), (0, vec![]));
    assert_eq!(snapshot(dir), before, "a dry run writes nothing");
    let (code, found) = import(dir, &["sheet.csv", "--map", "map.toml"]).unwrap();
    assert_eq!((code, found), (0, vec![]));
    let new = std::fs::read_to_string(dir.join("risks/R-001.yaml")).unwrap();
    assert_eq!(new, old.replace("  likelihood: 3\n", "  likelihood: 4\n"));
    let mut after = snapshot(dir);
    after.remove("risks/R-001.yaml");
    let mut expected = before.clone();
    expected.remove("risks/R-001.yaml");
    assert_eq!(
        after, expected,
        "R-002 is unchanged: its cells hold what it has"
    );
    // The dry run printed the change as `diff` does.
    let (_, out) = try_cli(
        dir,
        &[
            "--no-git",
            "import",
            "sheet.csv",
            "--map",
            "map.toml",
            "--dry-run",
        ],
    )
    .unwrap();
    assert!(out.contains("no changes to the register"), "{out}");
}

#[test]
fn a_dry_run_shows_the_change_as_diff_does() {
    let reg = register();
    let dir = reg.path();
    write(
        dir,
        "map.toml",
        "[columns]\nid = \"id\"\n\"assessment.likelihood\" = \"L\"\n",
    );
    write(dir, "sheet.csv", "id,L\nR-001,4\n");
    let (code, out) = try_cli(
        dir,
        &[
            "--no-git",
            "import",
            "sheet.csv",
            "--map",
            "map.toml",
            "--dry-run",
        ],
    )
    .unwrap();
    assert_eq!(code, 0);
    assert!(out.contains("risks: 1 changed"), "{out}");
    assert!(out.contains("assessment.likelihood: 3 → 4"), "{out}");
}

#[test]
fn hostile_cells_stay_text_in_the_files() {
    let reg = register();
    let dir = reg.path();
    write(dir, "map.toml", MAP);
    let csv = format!(
        "{HEADER}{}",
        row(
            "R-010",
            "\"=cmd|' /C calc'!A0 <!-- x --> @someone\nsecond: line\"",
            "Rare",
            "bjones",
            "2026-09-15"
        )
    );
    write(dir, "sheet.csv", &csv);
    let (code, found) = import(dir, &["sheet.csv", "--map", "map.toml"]).unwrap();
    assert_eq!((code, found), (0, vec![]), "the title is one string");
    let text = std::fs::read_to_string(dir.join("risks/R-010.yaml")).unwrap();
    let node = airisk::load::yaml::parse(&text).unwrap();
    assert_eq!(
        node.get("title").unwrap().value,
        airisk::load::yaml::Value::Str(
            "=cmd|' /C calc'!A0 <!-- x --> @someone\nsecond: line".into()
        )
    );
    assert!(node.get("second").is_none());
    assert!(
        text.contains("title: \"=cmd|' /C calc'!A0 <!-- x --> @someone\\nsecond: line\"\n"),
        "{text}"
    );
}

#[test]
fn the_mapping_needs_named_with_set_and_templates_print() {
    let reg = register();
    let dir = reg.path();
    let (code, out) =
        try_cli(dir, &["import", "--map-template", "mit-ai-risk-repository"]).unwrap();
    assert_eq!(code, 0);
    assert!(
        out.contains("--set system=SYSTEM") && out.contains("header_row = 3"),
        "{out}"
    );
    write(dir, "x.csv", "a\n");
    let err = import(
        dir,
        &[
            "x.csv",
            "--map",
            "mit-ai-risk-repository",
            "--set",
            "system=ticket-triage",
        ],
    )
    .unwrap_err();
    assert!(err.contains("needs --set for: owner=…"), "{err}");
    assert!(!err.contains("system=…"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_link_or_a_fifo_is_not_read() {
    let reg = register();
    let dir = reg.path();
    write(dir, "map.toml", MAP);
    std::os::unix::fs::symlink("/etc/passwd", dir.join("link.csv")).unwrap();
    let err = import(dir, &["link.csv", "--map", "map.toml"]).unwrap_err();
    assert!(err.contains("link"), "{err}");
    let fifo = dir.join("fifo.csv");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let err = import(dir, &["fifo.csv", "--map", "map.toml"]).unwrap_err();
    assert!(
        err.contains("FIFO") || err.contains("fifo") || err.contains("special"),
        "{err}"
    );
    std::os::unix::fs::symlink(dir.join("map.toml"), dir.join("lmap.toml")).unwrap();
    write(dir, "sheet.csv", HEADER);
    let err = import(dir, &["sheet.csv", "--map", "lmap.toml"]).unwrap_err();
    assert!(err.contains("link"), "{err}");
}

#[test]
fn a_million_rows_stop_at_the_bound() {
    let reg = register();
    let dir = reg.path();
    write(dir, "map.toml", "[columns]\nid = \"id\"\n");
    let mut csv = String::from("id\n");
    for i in 0..1_000_000 {
        csv.push_str(&format!("X-{i}\n"));
    }
    write(dir, "big.csv", &csv);
    let err = import(dir, &["big.csv", "--map", "map.toml"]).unwrap_err();
    assert!(err.contains("more than 100000 rows"), "{err}");
}

// ------------------------------------------------------------------ workbooks

/// A workbook (a zip archive) with one part's text changed by `f`: how a test edits a cell
/// as a spreadsheet program would save it.
pub fn edit_part(bytes: &[u8], part: &str, f: impl Fn(&str) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut zout = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zin.len() {
        let mut file = zin.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        if name == part {
            let text = String::from_utf8(data).unwrap();
            let changed = f(&text);
            assert_ne!(changed, text, "the edit of {part} changed nothing");
            data = changed.into_bytes();
        }
        zout.start_file(name, opts).unwrap();
        zout.write_all(&data).unwrap();
    }
    zout.finish().unwrap().into_inner()
}

/// A workbook with one sheet `name`, rows of text from row `first` (1-based), via `edit`.
fn workbook(name: &str, edit: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(name).unwrap();
    edit(ws);
    wb.save_to_buffer().unwrap()
}

fn put_row(ws: &mut rust_xlsxwriter::Worksheet, row: u32, cells: &[&str]) {
    for (c, v) in cells.iter().enumerate() {
        if !v.is_empty() {
            ws.write_string(row, c as u16, *v).unwrap();
        }
    }
}

const XMAP: &str = r#"
[columns]
id = "id"
title = "title"
"assessment.likelihood" = "likelihood"
reviewed = "reviewed"
"#;

#[test]
fn a_workbook_cell_is_named_and_dates_are_read_as_dates() {
    let reg = register();
    let dir = reg.path();
    write(dir, "map.toml", XMAP);
    let bytes = workbook("Risks", |ws| {
        put_row(ws, 0, &["id", "title", "likelihood", "reviewed"]);
        put_row(
            ws,
            1,
            &[
                "R-001",
                "Tickets routed to the wrong queue after product changes",
            ],
        );
        ws.write_number(1, 2, 4).unwrap();
        let fmt = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
        let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 10, 20).unwrap();
        ws.write_datetime_with_format(1, 3, &day, &fmt).unwrap();
    });
    std::fs::write(dir.join("book.xlsx"), bytes).unwrap();
    let (code, found) = import(dir, &["book.xlsx", "--map", "map.toml"]).unwrap();
    assert_eq!((code, found), (0, vec![]));
    let text = std::fs::read_to_string(dir.join("risks/R-001.yaml")).unwrap();
    assert!(
        text.contains("  likelihood: 4\n") && text.contains("reviewed: 2026-10-20\n"),
        "{text}"
    );
}

#[test]
fn import_merged_cell_and_import_formula_error_in_a_workbook() {
    let reg = register();
    let dir = reg.path();
    write(dir, "map.toml", XMAP);
    let bytes = workbook("Risks", |ws| {
        put_row(ws, 0, &["id", "title", "likelihood", "reviewed"]);
        put_row(ws, 1, &["R-001", "a"]);
        put_row(ws, 2, &["R-002", "b"]);
        let f = rust_xlsxwriter::Format::new();
        ws.merge_range(1, 3, 2, 3, "2026-10-20", &f).unwrap();
        // A formula saved without its value, and one whose value is an error.
        ws.write_formula(1, 2, Formula::new("=1+1").set_result("NOVALUE"))
            .unwrap();
        ws.write_formula(2, 2, Formula::new("=1/0").set_result("#DIV/0!"))
            .unwrap();
    });
    // A program that does not compute formulas saves none of their values.
    let bytes = edit_part(&bytes, "xl/worksheets/sheet1.xml", |xml| {
        xml.replace("<v>NOVALUE</v>", "")
    });
    std::fs::write(dir.join("book.xlsx"), bytes).unwrap();
    let before = snapshot(dir);
    let (code, found) = import(dir, &["book.xlsx", "--map", "map.toml"]).unwrap();
    assert_eq!(code, 1);
    let codes: Vec<(&str, &str, u64)> = found
        .iter()
        .map(|(c, f, l, _)| (c.as_str(), f.as_str(), *l))
        .collect();
    assert_eq!(
        codes,
        vec![
            ("import-formula-error", "book.xlsx!Risks", 2),
            ("import-formula-error", "book.xlsx!Risks", 3),
            ("import-merged-cell", "book.xlsx!Risks", 3),
        ]
    );
    assert_eq!(snapshot(dir), before);
}

#[test]
fn a_formula_with_a_saved_value_is_read_as_that_value() {
    let reg = register();
    let dir = reg.path();
    write(
        dir,
        "map.toml",
        "[columns]\nid = \"id\"\n\"assessment.likelihood\" = \"likelihood\"\n",
    );
    let bytes = workbook("Risks", |ws| {
        put_row(ws, 0, &["id", "likelihood"]);
        put_row(ws, 1, &["R-001"]);
        ws.write_formula(1, 1, Formula::new("=2+2").set_result("4"))
            .unwrap();
    });
    std::fs::write(dir.join("book.xlsx"), bytes).unwrap();
    let (code, found) = import(dir, &["book.xlsx", "--map", "map.toml"]).unwrap();
    assert_eq!((code, found), (0, vec![]));
    let text = std::fs::read_to_string(dir.join("risks/R-001.yaml")).unwrap();
    assert!(text.contains("  likelihood: 4\n"), "{text}");
}

#[test]
fn a_zip_bomb_stops_at_the_bound() {
    use std::io::Write;
    let reg = register();
    let dir = reg.path();
    write(dir, "map.toml", XMAP);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..300 {
        zip.write_all(&zeros).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    assert!(bytes.len() < 2 << 20, "{}", bytes.len());
    std::fs::write(dir.join("bomb.xlsx"), bytes).unwrap();
    let err = import(dir, &["bomb.xlsx", "--map", "map.toml"]).unwrap_err();
    assert!(err.contains("inflates to more than 256 MiB"), "{err}");
}

#[test]
fn import_not_editable_when_the_edit_cannot_be_confirmed() {
    let reg = register();
    let dir = reg.path();
    // The title is an anchor that the event repeats: changing it in place would change the
    // event too, which the re-read catches.
    let path = dir.join("risks/R-003.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let title = text
        .lines()
        .find(|l| l.starts_with("title: "))
        .unwrap()
        .to_string();
    let event = text
        .lines()
        .find(|l| l.starts_with("event: "))
        .unwrap()
        .to_string();
    let edited = text
        .replace(&title, &title.replace("title: ", "title: &t "))
        .replace(&event, "event: *t");
    std::fs::write(&path, &edited).unwrap();
    write(
        dir,
        "map.toml",
        "[columns]\nid = \"id\"\ntitle = \"title\"\n",
    );
    write(dir, "sheet.csv", "id,title\nR-003,A new title\n");
    let before = snapshot(dir);
    let (code, found) = import(dir, &["sheet.csv", "--map", "map.toml"]).unwrap();
    assert_eq!(code, 1);
    assert_eq!(
        found,
        vec![("import-not-editable".into(), "sheet.csv".into(), 2, 7)]
    );
    assert_eq!(snapshot(dir), before);
}

// ------------------------------------------------------------------ XLSX out, and back

/// The first sheet of a workbook as calamine reads it.
fn read_sheet(bytes: &[u8]) -> (String, calamine::Range<calamine::Data>) {
    use calamine::Reader;
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    (name, range)
}

fn register_xlsx(dir: &Path) -> Vec<u8> {
    let out = dir.join("register.xlsx");
    let (code, _) = try_cli(
        dir,
        &[
            "--no-git",
            "register",
            "--format",
            "xlsx",
            "-o",
            out.to_str().unwrap(),
        ],
    )
    .unwrap();
    assert_eq!(code, 0);
    let bytes = std::fs::read(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
    bytes
}

#[test]
fn register_xlsx_has_typed_cells_a_frozen_filtered_header_and_the_same_bytes_twice() {
    use calamine::{Data, Reader};
    let reg = tempfile::tempdir().unwrap();
    copy_dir(&root().join("examples/acme-bank"), reg.path());
    let bytes = register_xlsx(reg.path());
    assert_eq!(bytes, register_xlsx(reg.path()), "deterministic bytes");
    let (name, range) = read_sheet(&bytes);
    assert_eq!(name, "AI risk register");
    let header: Vec<String> = (0..range.width())
        .map(|c| range.get((0, c)).unwrap().to_string())
        .collect();
    let col = |k: &str| {
        header
            .iter()
            .position(|h| h == k)
            .unwrap_or_else(|| panic!("{k}: {header:?}"))
    };
    assert_eq!(
        range.get((1, col("id"))),
        Some(&Data::String("R-001".into()))
    );
    assert!(
        matches!(range.get((1, col("likelihood"))), Some(Data::Float(_))),
        "a number"
    );
    assert!(
        matches!(range.get((1, col("next_review"))), Some(Data::DateTime(d)) if d.is_datetime()),
        "a date: {:?}",
        range.get((1, col("next_review")))
    );
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec!["AI risk register", "Document control"]
    );
    let control = book.worksheet_range("Document control").unwrap();
    let keys: Vec<String> = (0..control.height())
        .map(|r| control.get((r, 0)).unwrap().to_string())
        .collect();
    assert!(
        keys.contains(&"Status".to_string()) && keys.contains(&"Commit".to_string()),
        "{keys:?}"
    );
    // Frozen header, autofilter and level fills are in the sheet's XML.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    assert!(
        xml.contains("state=\"frozen\"") && xml.contains("<autoFilter"),
        "{xml}"
    );
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
    assert!(
        styles.contains("FFC6EFCE") || styles.contains("FFFFC7CE"),
        "level fills"
    );
}

#[test]
fn xlsx_is_refused_on_a_terminal_and_written_to_a_pipe() {
    use clap::Parser;
    let dir = root().join("examples/minimal");
    let cli =
        airisk::cli::Cli::try_parse_from(["airisk", "--no-git", "register", "--format", "xlsx"])
            .unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut env = airisk::commands::Env {
        cwd: dir.clone(),
        today: date(AS_OF),
        color: false,
        width: Some(80),
        stdout: &mut out,
        stderr: &mut err,
    };
    let e = airisk::cli::run(&cli, &mut env).unwrap_err();
    assert!(format!("{e}").contains("-o FILE.xlsx"), "{e}");
    assert!(out.is_empty());
    // Not a terminal: the workbook goes to standard output.
    let cli = airisk::cli::Cli::try_parse_from(["airisk", "--no-git", "soa", "--format", "xlsx"])
        .unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut env = airisk::commands::Env {
        cwd: dir,
        today: date(AS_OF),
        color: false,
        width: None,
        stdout: &mut out,
        stderr: &mut err,
    };
    assert_eq!(airisk::cli::run(&cli, &mut env).unwrap(), 0);
    assert!(out.starts_with(b"PK"), "a zip archive");
}

#[test]
fn round_trip_a_cell_edited_in_the_workbook_updates_exactly_that_field() {
    use calamine::Data;
    let reg = register();
    let dir = reg.path();
    let bytes = register_xlsx(dir);
    let (_, range) = read_sheet(&bytes);
    let header: Vec<String> = (0..range.width())
        .map(|c| range.get((0, c)).unwrap().to_string())
        .collect();
    let col = header.iter().position(|h| h == "likelihood").unwrap();
    let row = (1..range.height())
        .find(|&r| range.get((r, 0)) == Some(&Data::String("R-002".into())))
        .unwrap();
    assert_eq!(range.get((row, col)), Some(&Data::Float(2.0)));
    // Edit the cell as a spreadsheet program saves it: the number in the sheet's XML.
    let cell = format!(
        "r=\"{}{}\"",
        airisk::import::sheet::column_letters(col),
        row + 1
    );
    let edited = edit_part(&bytes, "xl/worksheets/sheet1.xml", |xml| {
        let at = xml.find(&cell).unwrap();
        let v = at + xml[at..].find("<v>").unwrap() + 3;
        let end = v + xml[v..].find("</v>").unwrap();
        assert_eq!(&xml[v..end], "2");
        format!("{}9{}", &xml[..v], &xml[end..])
    });
    std::fs::write(dir.join("edited.xlsx"), edited).unwrap();
    let before = snapshot(dir);
    let (code, found) = import(dir, &["edited.xlsx", "--map", "airisk-register"]).unwrap();
    assert_eq!(
        code, 1,
        "9 is outside the scale: the check at the cell says so"
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "score-out-of-range");
    assert_eq!(found[0].2, row as u64 + 1);
    assert_eq!(snapshot(dir), before);
    // Within the scale, it is written: that one value, every other byte the same.
    let edited = edit_part(&bytes, "xl/worksheets/sheet1.xml", |xml| {
        let at = xml.find(&cell).unwrap();
        let v = at + xml[at..].find("<v>").unwrap() + 3;
        let end = v + xml[v..].find("</v>").unwrap();
        format!("{}3{}", &xml[..v], &xml[end..])
    });
    std::fs::write(dir.join("edited.xlsx"), edited).unwrap();
    let before = snapshot(dir);
    let (code, found) = import(dir, &["edited.xlsx", "--map", "airisk-register"]).unwrap();
    assert_eq!((code, found), (0, vec![]));
    let after = snapshot(dir);
    for (path, bytes) in &before {
        if path == "risks/R-002.yaml" {
            let old = String::from_utf8(bytes.clone()).unwrap();
            let new = String::from_utf8(after[path].clone()).unwrap();
            assert_eq!(
                new,
                old.replacen("  likelihood: 2\n", "  likelihood: 3\n", 1)
            );
        } else {
            assert_eq!(&after[path], bytes, "{path} is unchanged");
        }
    }
    assert_eq!(after.len(), before.len(), "no file created");
}

// ------------------------------------------------------------------ the built-in mappings

/// A workbook in the shape of the MIT AI Risk Repository (v3): sheet "AI Risk Database v3",
/// two title rows, the headers on row 3, invented rows in the repository's coding.
fn mit_workbook() -> Vec<u8> {
    workbook("AI Risk Database v3", |ws| {
        put_row(ws, 0, &["The AI Risk Repository (made-up test rows)"]);
        put_row(
            ws,
            2,
            &[
                "Title",
                "QuickRef",
                "Ev_ID",
                "Paper_ID",
                "Cat_ID",
                "SubCat_ID",
                "Category level",
                "Risk category",
                "Risk subcategory",
                "Description",
                "Additional ev.",
                "P.Def",
                "p.AddEv",
                "Entity",
                "Intent",
                "Timing",
                "Domain",
                "Sub-domain",
            ],
        );
        put_row(
            ws,
            3,
            &[
                "Unequal treatment by a triage model",
                "Test2026",
                "99.01.00",
                "99",
                "1",
                "",
                "Risk Category",
                "Discrimination",
                "",
                "A model routes requests of some groups more slowly than others",
                "",
                "",
                "",
                "2 - AI",
                "2 - Unintentional",
                "2 - Post-deployment",
                "1. Discrimination & Toxicity",
                "1.1 Unfair discrimination and misrepresentation",
            ],
        );
        put_row(
            ws,
            4,
            &[
                "Extraction of personal data from a model",
                "Test2026",
                "99.02.00",
                "99",
                "2",
                "",
                "Risk Category",
                "Privacy",
                "",
                "Personal data in training text can be recovered by prompting",
                "",
                "",
                "",
                "1 - Human",
                "1 - Intentional",
                "2 - Post-deployment",
                "2. Privacy & Security",
                "2.1 Compromise of privacy by leaking or correctly inferring sensitive information",
            ],
        );
    })
}

const MIT_SETS: &[&str] = &[
    "--set",
    "system=ticket-triage",
    "--set",
    "owner=Bea Jones",
    "--set",
    "reviewed=2026-10-15",
    "--set",
    "assessment.likelihood=2",
    "--set",
    "assessment.consequence=2",
    "--set",
    "assessment.rationale=Not yet assessed: imported from the MIT AI Risk Repository",
    "--set",
    "treatment.option=mitigate",
    "--set",
    "treatment.plan=Assess for this system and decide controls",
    "--set",
    "treatment.owner=bjones",
    "--set",
    "treatment.due=2027-01-31",
];

#[test]
fn the_mit_ai_risk_repository_mapping_reads_its_workbook() {
    let reg = register();
    let dir = reg.path();
    std::fs::write(dir.join("mit.xlsx"), mit_workbook()).unwrap();
    let mut args = vec!["mit.xlsx", "--map", "mit-ai-risk-repository"];
    args.extend_from_slice(MIT_SETS);
    let (code, found) = import(dir, &args).unwrap();
    assert_eq!((code, found), (0, vec![]));
    let r4 = std::fs::read_to_string(dir.join("risks/R-004.yaml")).unwrap();
    assert!(
        r4.contains("title: Unequal treatment by a triage model\n"),
        "{r4}"
    );
    assert!(r4.contains("category: bias-fairness\n"), "{r4}");
    assert!(
        r4.contains("cause: Caused by a decision or action of the AI system\n"),
        "{r4}"
    );
    assert!(r4.contains("owner: bjones\n"), "{r4}");
    let r5 = std::fs::read_to_string(dir.join("risks/R-005.yaml")).unwrap();
    assert!(r5.contains("category: privacy\n"), "{r5}");
    assert_eq!(
        findings(&check_register(dir, date(AS_OF), false).unwrap()),
        vec![]
    );
    // Without the fields the catalogue cannot give, it refuses, naming them.
    let err = import(dir, &["mit.xlsx", "--map", "mit-ai-risk-repository"]).unwrap_err();
    assert!(err.contains("system=… owner=… reviewed=…"), "{err}");
}

#[test]
fn the_ciso_assistant_mapping_reads_its_export() {
    let reg = register();
    let dir = reg.path();
    std::fs::copy(
        root().join("tests/fixtures/import/ciso-assistant.csv"),
        dir.join("export.csv"),
    )
    .unwrap();
    let sets = [
        "export.csv",
        "--map",
        "ciso-assistant",
        "--set",
        "system=ticket-triage",
        "--set",
        "reviewed=2026-10-15",
        "--set",
        "owner=asmith",
        "--set",
        "treatment.owner=bjones",
        "--set",
        "treatment.due=2027-02-28",
    ];
    let (code, found) = import(dir, &sets).unwrap();
    assert_eq!((code, found), (0, vec![]));
    let r1 = std::fs::read_to_string(dir.join("risks/R.1.yaml")).unwrap();
    assert!(
        r1.contains("assessment:\n  likelihood: 3\n  consequence: 2\n"),
        "{r1}"
    );
    assert!(r1.contains("  option: mitigate\n"), "{r1}");
    assert!(
        r1.contains("  target:\n    likelihood: 1\n    consequence: 2\n"),
        "{r1}"
    );
    let r2 = std::fs::read_to_string(dir.join("risks/R.2.yaml")).unwrap();
    assert!(
        r2.contains("  option: mitigate\n"),
        "`open` is a treatment to decide: {r2}"
    );
    assert_eq!(
        findings(&check_register(dir, date(AS_OF), false).unwrap()),
        vec![]
    );
}
