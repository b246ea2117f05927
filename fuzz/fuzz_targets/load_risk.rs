//! Any bytes as a risk file, in an otherwise valid register: load, check and print findings.
#![no_main]
#[path = "common.rs"]
mod common;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut files = common::base();
    files.insert("risks/R-001.yaml".into(), data.to_vec());
    common::check(files);
});
