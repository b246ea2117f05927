#![allow(clippy::print_stdout, clippy::print_stderr)] // a command-line tool: it reports
//! The parse-only lower bound for benchmarks (docs/performance.md): reads the YAML files a
//! register's `check` reads (`people`, `soa`, `systems/`, `risks/**`, `assessments/`,
//! `incidents/`) and parses each with the same YAML crate (serde-saphyr) into a generic value
//! (`serde_json::Value`: no spans, no field reading, no rules), on every core with rayon,
//! as the loader does. Nothing else: what airisk does beyond this is its own cost.
//!
//! ```text
//! cargo run --release --example parse_bound -- REGISTER
//! ```
//!
//! Prints the number of files, bytes and values parsed; exits 1 if a file does not parse.

use rayon::prelude::*;
use std::path::{Path, PathBuf};

fn main() {
    let Some(root) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: parse_bound REGISTER");
        std::process::exit(2);
    };
    let files = list(&root);
    let results: Vec<Result<(usize, usize), String>> = files
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{path:?}: {e}"))?;
            let value: serde_json::Value =
                serde_saphyr::from_str(&text).map_err(|e| format!("{path:?}: {e}"))?;
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
