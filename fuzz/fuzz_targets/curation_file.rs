//! libFuzzer's entry to `dealgraph_fuzz::curation_file`; the target and its invariants are documented
//! there.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dealgraph_fuzz::curation_file(data));
