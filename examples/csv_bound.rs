#![allow(clippy::print_stdout, clippy::print_stderr)] // a command-line tool: it reports
//! The CSV lower bound for benchmarks (docs/performance.md): reads every
//! `monitoring/**/*.csv` of a register and splits each into records with the `csv` crate
//! (byte records: no UTF-8 check, no parsing of dates or numbers, no spans, no rules), on
//! every core with rayon, as the loader does. What `airisk check` does with readings beyond
//! this is its own cost.
//!
//! ```text
//! cargo run --release --example csv_bound -- REGISTER
//! ```
//!
//! Prints the number of files, bytes and records read.

use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// The allocator airisk's binary uses, so the bound measures the same reading.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn csv_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            csv_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "csv") {
            out.push(p);
        }
    }
}

fn main() {
    let Some(reg) = std::env::args().nth(1) else {
        eprintln!("usage: csv_bound REGISTER");
        std::process::exit(2);
    };
    let mut files = Vec::new();
    csv_files(&Path::new(&reg).join("monitoring"), &mut files);
    let (bytes, records) = files
        .par_iter()
        .map(|p| {
            let data = std::fs::read(p).expect("readable");
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(&data[..]);
            let mut rec = csv::ByteRecord::new();
            let mut n = 0usize;
            while rdr.read_byte_record(&mut rec).expect("valid CSV") {
                n += rec.len().min(1);
            }
            (data.len(), n)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!("{} files, {bytes} bytes, {records} records", files.len());
}
