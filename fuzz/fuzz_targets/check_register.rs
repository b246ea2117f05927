//! Splits the input into several files of a register (risks and a system), so the rules see
//! many odd entities referring to each other.
#![no_main]
#[path = "common.rs"]
mod common;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut files = common::base();
    for (i, part) in data.split(|b| *b == 0xff).take(8).enumerate() {
        let name = if i == 0 {
            "systems/ticket-triage.yaml".to_string()
        } else {
            format!("risks/R-{i:03}.yaml")
        };
        files.insert(name, part.to_vec());
    }
    common::check(files);
});
