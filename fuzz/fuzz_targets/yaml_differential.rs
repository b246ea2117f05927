//! Any bytes as YAML: airisk's reader (granit-parser events) and the reference reader
//! (serde-saphyr) give the same tree, every range included, or both refuse the text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Err(e) = airisk::load::yaml::reference::agrees(text)
    {
        panic!("{text:?}\n{e}");
    }
});
