//! Random call sequences in rzlib's fast deflate profile: arbitrary data
//! with settings, flushes, chunking and extra calls (deflateParams,
//! deflateCopy, deflatePending, deflateBound, dictionaries, gzip headers,
//! deflatePrime) chosen by its first eight bytes; every call checked
//! against zlib's bookkeeping rules, every sync/full flush point and the
//! whole stream inflated by the ORIGINAL zlib. See `fuzz_fast` in
//! tests/fast_profile/body.rs, which a stable test
//! (fast_profile::fuzz_body_on_random_inputs) also runs.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/fast_profile/body.rs"]
mod body;
#[path = "../../tests/common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| body::fuzz_fast(data));
