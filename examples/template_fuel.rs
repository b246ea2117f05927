#![allow(clippy::print_stdout, clippy::print_stderr)] // a measuring tool: it reports on stdout
//! Measures the work (minijinja fuel) and output size of every built-in template on a
//! register, for the template limits in docs/design.md:
//!
//! ```text
//! cargo run --release --example gen -- --risks 50000 /tmp/r50k
//! cargo run --release --example template_fuel -- /tmp/r50k
//! ```
//!
//! Each document (the register of all risks and of open ones, the SoA, the due list, the
//! heat map, the governance report without a git trend) is rendered as markdown and HTML
//! with unlimited fuel; the fuel burnt and the bytes written are printed, one line each.

use airisk::render::templates::render_metered;
use airisk::report::{due, governance, matrix, register, soa};

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: template_fuel REGISTER");
        std::process::exit(2);
    };
    let loaded = match airisk::load::load(std::path::Path::new(&root)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(2);
        }
    };
    let reg = &loaded.register;
    let today = airisk::model::Date::from_ymd_opt(2026, 11, 1).expect("a valid date");
    let all = register::Options {
        status: Some(register::StatusFilter::All),
        ..Default::default()
    };
    let open = register::Options::default();
    let inputs = governance::Inputs {
        period_start: governance::period_start(today, None),
        since: None,
        trend: governance::Trend::Unavailable("not measured".into()),
        changes: None,
    };
    let docs = [
        (
            "register (all)",
            register::build(reg, &loaded.sources, today, &all),
        ),
        (
            "register",
            register::build(reg, &loaded.sources, today, &open),
        ),
        ("soa", Ok(soa::build(reg, today, &soa::Options::default()))),
        (
            "due",
            Ok(due::build(
                reg,
                &loaded.sources,
                today,
                reg.config.review.due_soon,
            )),
        ),
        (
            "matrix",
            Ok(matrix::build(reg, today, matrix::Plot::Current, false)),
        ),
        ("report", Ok(governance::build(reg, today, &inputs))),
    ];
    println!("{} risks", reg.risks.len());
    for (name, doc) in docs {
        let doc = doc.expect("the document builds");
        for ext in ["md", "html"] {
            let r = render_metered(&doc, ext, &Default::default(), u64::MAX >> 7, usize::MAX)
                .expect("it renders");
            println!("{name}.{ext}\tfuel {}\tbytes {}", r.fuel, r.text.len());
        }
    }
}
