//! libFuzzer's entry to `dealgraph_fuzz::ingest_extract`; the target and its invariants are documented
//! there.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dealgraph_fuzz::ingest_extract(data));
