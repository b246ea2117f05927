//! Any bytes as each kind of file in turn (people, SoA, system, assessment, incident).
#![no_main]
#[path = "common.rs"]
mod common;
use libfuzzer_sys::fuzz_target;

const KINDS: [&str; 5] = [
    "people.yaml",
    "soa.yaml",
    "systems/ticket-triage.yaml",
    "assessments/IA-001.yaml",
    "incidents/INC-001.yaml",
];

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else { return };
    let mut files = common::base();
    files.insert(KINDS[*first as usize % KINDS.len()].into(), rest.to_vec());
    common::check(files);
});
