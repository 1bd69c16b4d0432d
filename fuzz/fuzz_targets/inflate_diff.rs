//! Arbitrary bytes inflated by rzlib and by the original zlib, call by call,
//! with every observable compared. The first four bytes choose the wrapper
//! and window, the chunk sizes, the output space and the flush sequence;
//! see `fuzz_inflate` in tests/common/diff.rs, which a stable test
//! (differential_inflate::fuzz_body_on_random_inputs) also runs.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::diff::fuzz_inflate(data));
