#![allow(clippy::print_stdout, clippy::print_stderr)] // a command-line tool: it reports
//! What `check --no-git` keeps on the heap, for a heap profiler (docs/performance.md,
//! "Fourth round"): loads a register and runs the rules, like the binary, but with the
//! system allocator, so that `heaptrack` or `valgrind --tool=massif` see every allocation
//! (the binary's mimalloc takes its memory from the system in large blocks they cannot
//! look into). Prints what the loaded register holds.
//!
//! ```text
//! cargo build --release --example heap
//! heaptrack target/release/examples/heap REGISTER
//! ```

fn main() {
    let Some(root) = std::env::args().nth(1).map(std::path::PathBuf::from) else {
        eprintln!("usage: heap REGISTER");
        std::process::exit(2);
    };
    let loaded = airisk::load::load(&root).expect("the register loads");
    let text: usize = (0..loaded.sources.len())
        .map(|i| {
            loaded
                .sources
                .get(airisk::model::FileId(i as u32))
                .text
                .len()
        })
        .sum();
    let tree = airisk::load::WorkTree::new(&root);
    let today = airisk::model::time::parse_date("2026-11-01").expect("a date");
    let found = airisk::check::run(&loaded.register, &loaded.sources, &tree, today);
    println!(
        "{} files, {text} bytes of text kept, {} risks, {} findings",
        loaded.sources.len(),
        loaded.register.risks.len(),
        loaded.diagnostics.len() + found.len()
    );
}
