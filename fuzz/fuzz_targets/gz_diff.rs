//! Arbitrary bytes drive one sequence of gz* calls on rzlib and on the
//! original zlib, each on its own copy of the file, with every return value,
//! buffer, gzerror text and file compared: the first byte picks reading or
//! writing, the next eight seed the calls, the rest is the file to read or
//! the data to write. See `fuzz_gz` in tests/common/gz_diff.rs, which a
//! stable test (differential_gz::fuzz_body_on_random_inputs) also runs.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::gz_diff::fuzz_gz(data));
