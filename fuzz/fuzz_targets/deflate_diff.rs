//! Deflate by rzlib and by the original zlib, call by call, on arbitrary
//! data with settings, flushes, chunking and extra calls chosen by its
//! first eight bytes; every observable and every output byte compared, and
//! the stream inflated by both. See `fuzz_deflate` in
//! tests/common/deflate_diff.rs, which a stable test
//! (differential_deflate::fuzz_body_on_random_inputs) also runs.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::deflate_diff::fuzz_deflate(data));
