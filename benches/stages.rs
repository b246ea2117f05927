//! Stage benchmarks (docs/performance.md): where a run's time goes, stage by stage.
//!
//! - `parse`: `load::yaml::parse` over every YAML file of the register, on one core: the
//!   cost per file of the YAML crate plus the span-carrying tree.
//! - `lower`: `load::lower_node` over every parsed file, on one core: reading the fields of
//!   the trees into the model.
//! - `load`: `load::load`: list, read, parse and lower every file, on every core.
//! - `check`: `check::run` (every rule but the git ones) over a loaded register.
//! - `render`: the register and SoA documents built and rendered to every format.
//!
//! Registers come from the generator (examples/gen.rs, included here), written to a
//! temporary folder: N = 1,000 and 10,000 risks by default; `AIRISK_BENCH_RISKS=1000,50000`
//! picks others. Run with `cargo bench --bench stages`; `cargo test` never runs benches.
//! Whole commands and the lower bounds are timed by `scripts/bench.sh`.

#[allow(dead_code)]
#[path = "../examples/gen.rs"]
mod generator;

use airisk::kinds::Kind;
use airisk::load::{self, WorkTree};
use airisk::render::{self, Format};
use airisk::report::{register, soa};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

/// The allocator of airisk's binary (src/main.rs), so the stages cost what they cost there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn sizes() -> Vec<usize> {
    std::env::var("AIRISK_BENCH_RISKS")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000])
}

fn as_of() -> airisk::model::Date {
    airisk::model::Date::from_ymd_opt(2026, 11, 1).expect("a valid date")
}

/// A generated register on disk, and the text of its YAML files.
struct Fixture {
    _dir: tempfile::TempDir,
    root: std::path::PathBuf,
    yaml: Vec<String>,
    /// The kind of each file of `yaml`, as the loader tells it by folder.
    kinds: Vec<Kind>,
}

fn fixture(risks: usize) -> Fixture {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().join("register");
    let files = generator::Register::new(risks, 42).files();
    generator::write_files(&root, &files).expect("the register is written");
    let (kinds, yaml) = files
        .into_iter()
        .filter(|(p, _)| p.ends_with(".yaml"))
        .map(|(p, t)| (kind(&p), t))
        .unzip();
    Fixture {
        _dir: dir,
        root,
        yaml,
        kinds,
    }
}

/// The kind of a generated file, as the loader tells it (the table of kinds).
fn kind(path: &str) -> Kind {
    Kind::of_path(path).unwrap_or_else(|| panic!("the generator wrote an unexpected file: {path}"))
}

fn stages(c: &mut Criterion) {
    for n in sizes() {
        let f = fixture(n);
        let files = f.yaml.len() as u64;

        let mut g = c.benchmark_group("parse");
        g.sample_size(10).throughput(Throughput::Elements(files));
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            // The trees are freed outside the measurement, as the loader frees them while
            // the other core works.
            b.iter_with_large_drop(|| {
                f.yaml
                    .iter()
                    .map(|text| load::yaml::parse(text).expect("generated YAML parses"))
                    .collect::<Vec<_>>()
            })
        });
        g.finish();

        let parsed: Vec<load::yaml::Node> = f
            .yaml
            .iter()
            .map(|t| load::yaml::parse(t).expect("generated YAML parses"))
            .collect();
        let mut g = c.benchmark_group("lower");
        g.sample_size(10).throughput(Throughput::Elements(files));
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                for ((text, node), kind) in f.yaml.iter().zip(&parsed).zip(&f.kinds) {
                    let found = load::lower_node(*kind, text, node);
                    assert!(found.is_empty(), "the generated register lowers clean");
                    black_box(found);
                }
            })
        });
        g.finish();

        let mut g = c.benchmark_group("load");
        g.sample_size(10).throughput(Throughput::Elements(files));
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            // Freeing the register is not loading it (the binary never frees it).
            b.iter_with_large_drop(|| load::load(&f.root).expect("the register loads"))
        });
        g.finish();

        let loaded = load::load(&f.root).expect("the register loads");
        let tree = WorkTree::new(&f.root);
        let mut g = c.benchmark_group("check");
        g.sample_size(10).throughput(Throughput::Elements(files));
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                let found = airisk::check::run(&loaded.register, &loaded.sources, &tree, as_of());
                assert!(found.is_empty(), "the generated register checks clean");
                black_box(found)
            })
        });
        g.finish();

        render_group(c, n, &loaded);
    }
}

fn render_group(c: &mut Criterion, n: usize, loaded: &load::Loaded) {
    let reg = &loaded.register;
    let opts = render::Options::default();
    let mut g = c.benchmark_group("render");
    g.sample_size(10)
        .throughput(Throughput::Elements(reg.risks.len() as u64));
    for format in [
        Format::Table,
        Format::Markdown,
        Format::Csv,
        Format::Json,
        Format::Html,
    ] {
        let name = format!("{format:?}").to_lowercase();
        g.bench_function(BenchmarkId::new(format!("register-{name}"), n), |b| {
            b.iter(|| {
                let doc =
                    register::build(reg, &loaded.sources, as_of(), &register::Options::default())
                        .expect("the register report builds");
                black_box(render::render(&doc, format, &opts).expect("it renders"))
            })
        });
        g.bench_function(BenchmarkId::new(format!("soa-{name}"), n), |b| {
            b.iter(|| {
                let doc = soa::build(reg, as_of(), &soa::Options::default());
                black_box(render::render(&doc, format, &opts).expect("it renders"))
            })
        });
    }
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
