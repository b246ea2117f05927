//! Any bytes as airisk.toml: a configuration error or a register, never a panic.
#![no_main]
#[path = "common.rs"]
mod common;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut files = common::base();
    files.insert("airisk.toml".into(), data.to_vec());
    common::check(files);
});
