#![allow(clippy::print_stdout, clippy::print_stderr)] // a command-line tool: it reports
//! The parse-only lower bound for benchmarks (docs/performance.md): reads the YAML files a
//! register's `check` reads (`people`, `soa`, `systems/`, `risks/**`, `assessments/`,
//! `incidents/`) and parses each with the same YAML parser (granit-parser) into a generic
//! value (`serde_json::Value`, every scalar kept as text: no spans, no typing, no duplicate
//! or alias checks, no field reading, no rules), on every core with rayon, as the loader
//! does. Nothing else: what airisk does beyond this is its own cost.
//!
//! ```text
//! cargo run --release --example parse_bound -- [--serde-saphyr] REGISTER
//! ```
//!
//! `--serde-saphyr` parses with serde-saphyr (granit-parser under its serde layer) into the
//! same generic value instead: the bound of the reader airisk used before.
//!
//! Prints the number of files, bytes and values parsed; exits 1 if a file does not parse.

use rayon::prelude::*;

/// The allocator airisk's binary uses, so the bound measures the same reading.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::path::{Path, PathBuf};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let serde_saphyr = args.first().is_some_and(|a| a == "--serde-saphyr");
    if serde_saphyr {
        args.remove(0);
    }
    let Some(root) = args.first().map(PathBuf::from) else {
        eprintln!("usage: parse_bound [--serde-saphyr] REGISTER");
        std::process::exit(2);
    };
    let files = list(&root);
    let results: Vec<Result<(usize, usize), String>> = files
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{path:?}: {e}"))?;
            let value = if serde_saphyr {
                serde_saphyr::from_str(&text).map_err(|e| e.to_string())
            } else {
                granit(&text)
            }
            .map_err(|e| format!("{path:?}: {e}"))?;
            Ok((text.len(), count(&value)))
        })
        .collect();
    let (mut bytes, mut values) = (0, 0);
    for r in results {
        match r {
            Ok((b, v)) => {
                bytes += b;
                values += v;
            }
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        }
    }
    println!("{} files, {bytes} bytes, {values} values", files.len());
}

/// A document as a generic value, straight from granit-parser's events.
fn granit(text: &str) -> Result<serde_json::Value, String> {
    use granit_parser::{Event, Parser};
    use serde_json::Value;
    enum Open {
        Seq(Vec<Value>),
        Map(serde_json::Map<String, Value>, Option<String>),
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut root = Value::Null;
    for event in Parser::new_from_str(text) {
        let (event, _) = event.map_err(|e| e.to_string())?;
        let done = match event {
            Event::Scalar(s, ..) => Value::String(s.into_owned()),
            Event::SequenceStart(..) => {
                stack.push(Open::Seq(Vec::new()));
                continue;
            }
            Event::MappingStart(..) => {
                stack.push(Open::Map(serde_json::Map::new(), None));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Open::Seq(items)) => Value::Array(items),
                Some(Open::Map(map, _)) => Value::Object(map),
                None => return Err("unbalanced events".into()),
            },
            Event::Alias(_) => Value::Null,
            _ => continue,
        };
        match stack.last_mut() {
            None => root = done,
            Some(Open::Seq(items)) => items.push(done),
            Some(Open::Map(map, key)) => match key.take() {
                None => *key = Some(done.as_str().unwrap_or_default().to_owned()),
                Some(k) => {
                    map.insert(k, done);
                }
            },
        }
    }
    Ok(root)
}

/// The register's YAML files, as the loader lists them.
fn list(root: &Path) -> Vec<PathBuf> {
    let yaml = |p: &Path| p.extension().is_some_and(|e| e == "yaml" || e == "yml");
    let mut out: Vec<PathBuf> = ["people.yaml", "people.yml", "soa.yaml", "soa.yml"]
        .iter()
        .map(|n| root.join(n))
        .filter(|p| p.is_file())
        .collect();
    for (dir, depth) in [
        ("systems", 1),
        ("risks", 64),
        ("assessments", 1),
        ("incidents", 1),
    ] {
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join(dir))
            .max_depth(depth)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && yaml(e.path()))
            .map(walkdir::DirEntry::into_path)
            .collect();
        files.sort();
        out.extend(files);
    }
    out
}

/// Values in a tree, so the parse cannot be optimised away and the output says how much.
fn count(v: &serde_json::Value) -> usize {
    1 + match v {
        serde_json::Value::Array(a) => a.iter().map(count).sum(),
        serde_json::Value::Object(m) => m.values().map(count).sum(),
        _ => 0,
    }
}
