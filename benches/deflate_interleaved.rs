//! deflate, rzlib against the original zlib with the two runs interleaved:
//! each round compresses the deflate bench's input once with each (in
//! alternating order), and the fastest round of each counts. On a shared,
//! noisy machine criterion measures the two seconds apart, and load that
//! comes and goes moves their ratio by several percent; interleaved, both
//! see the same machine, and the minimum drops the rounds that noise slowed.
//!
//! `cargo bench --bench deflate_interleaved` prints a Markdown table of the
//! levels 1, 6 and 9. ROUNDS (default 20) sets the rounds per level.

use std::hint::black_box;
use std::time::{Duration, Instant};

mod common;
#[path = "common/zlib_api.rs"]
mod zlib_api;
use rzlib::c_api::types::uLong;
use zlib_api::{original, run, Deflate, RZLIB, ZLIB};

/// The deflate bench's input size per corpus file.
const LIMIT: usize = 256 << 10;

fn time(imp: &Deflate, level: i32, data: &[u8], out: &mut [u8]) -> Duration {
    let start = Instant::now();
    black_box(run(imp, level, black_box(data), out));
    start.elapsed()
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` would pass
    // nothing and expects a quick run: one round then.
    let benching = std::env::args().any(|a| a == "--bench");
    let rounds: usize = match std::env::var("ROUNDS") {
        Ok(r) => r.parse().expect("ROUNDS is a number"),
        Err(_) if benching => 20,
        Err(_) => 1,
    };
    let data = common::joined(LIMIT);
    // SAFETY: compressBound only computes from its argument.
    let bound = unsafe { original::compressBound(data.len() as uLong) } as usize;
    let (mut zlib_out, mut rzlib_out) = (vec![0u8; bound], vec![0u8; bound]);
    println!("| level | zlib (ms) | rzlib (ms) | rzlib speed / zlib |");
    println!("|---|---:|---:|---:|");
    for level in [1, 6, 9] {
        let n = run(&ZLIB, level, &data, &mut zlib_out);
        let m = run(&RZLIB, level, &data, &mut rzlib_out);
        assert!(
            zlib_out[..n] == rzlib_out[..m],
            "rzlib deflate output differs from zlib's at level {level}"
        );
        let (mut zlib, mut rzlib) = (Duration::MAX, Duration::MAX);
        for round in 0..rounds {
            let first_zlib = round % 2 == 0;
            for take_zlib in [first_zlib, !first_zlib] {
                if take_zlib {
                    zlib = zlib.min(time(&ZLIB, level, &data, &mut zlib_out));
                } else {
                    rzlib = rzlib.min(time(&RZLIB, level, &data, &mut rzlib_out));
                }
            }
        }
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "| {level} | {:.2} | {:.2} | {:.2}x |",
            ms(zlib),
            ms(rzlib),
            zlib.as_secs_f64() / rzlib.as_secs_f64()
        );
    }
}
