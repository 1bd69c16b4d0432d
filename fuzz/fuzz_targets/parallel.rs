//! Random call sequences on parallel deflate streams (issue 19): the fast
//! profile target's settings, flushes, chunking and extra calls, on 2 to 4
//! threads, with the data repeated (each copy a little changed) up to 16
//! times so that short inputs make streams of several 128 KiB jobs; every
//! call checked against zlib's bookkeeping rules, every sync/full flush
//! point and the whole stream inflated by the ORIGINAL zlib. See
//! `fuzz_parallel` in tests/fast_profile/body.rs, which a stable test
//! (parallel::fuzz_parallel_body_on_random_inputs) also runs.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/fast_profile/body.rs"]
mod body;
#[path = "../../tests/common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| body::fuzz_parallel(data));
