//! deflate, rzlib against the original zlib with the two runs interleaved:
//! each round compresses the deflate bench's input once with each (in
//! alternating order), and the fastest round of each counts. On a shared,
//! noisy machine criterion measures the two seconds apart, and load that
//! comes and goes moves their ratio by several percent; interleaved, both
//! see the same machine, and the minimum drops the rounds that noise slowed.
//!
//! `cargo bench --bench deflate_interleaved` prints a Markdown table of the
//! levels 1, 6 and 9 on each input of the deflate bench (the corpus mix,
//! source code, an executable), with rzlib's fast profile beside: each
//! round runs all three. ROUNDS (default 20) sets the rounds per level;
//! CLASSES (a comma-separated list of input names) and LEVELS (of levels)
//! pick what to run.

use std::hint::black_box;
use std::time::{Duration, Instant};

mod common;
#[path = "common/zlib_api.rs"]
mod zlib_api;
use rzlib::c_api::types::uLong;
use zlib_api::{original, run, Deflate, RZLIB, RZLIB_FAST, ZLIB};

/// The deflate bench's input size per corpus file.
const LIMIT: usize = 256 << 10;
/// The deflate bench's input size per class outside the corpus.
const CLASS_LIMIT: usize = 1 << 20;

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
    let mix = common::inputs(LIMIT);
    let mix_name = if mix.len() <= 2 {
        "generated-mix"
    } else {
        "corpus-mix"
    };
    let mix_data = mix.into_iter().flat_map(|i| i.data).collect();
    let mut inputs = vec![(mix_name.to_owned(), mix_data)];
    inputs.extend(
        common::other_classes(CLASS_LIMIT)
            .into_iter()
            .map(|i| (i.name, i.data)),
    );
    if let Ok(wanted) = std::env::var("CLASSES") {
        inputs.retain(|(name, _)| wanted.split(',').any(|w| w == name));
    }
    println!("| level | input | zlib (ms) | rzlib (ms) | rzlib / zlib | fast (ms) | fast / zlib | fast size / zlib |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    let implementations = [&ZLIB, &RZLIB, &RZLIB_FAST];
    let levels: Vec<i32> = match std::env::var("LEVELS") {
        Ok(list) => list
            .split(',')
            .map(|l| l.parse().expect("LEVELS lists numbers"))
            .collect(),
        Err(_) => vec![1, 6, 9],
    };
    for level in levels {
        for (name, data) in &inputs {
            // SAFETY: compressBound only computes from its argument.
            let bound = unsafe { original::compressBound(data.len() as uLong) } as usize;
            let mut outs = [vec![0u8; bound], vec![0u8; bound], vec![0u8; bound]];
            let sizes: Vec<usize> = implementations
                .iter()
                .zip(&mut outs)
                .map(|(imp, out)| run(imp, level, data, out))
                .collect();
            assert!(
                outs[0][..sizes[0]] == outs[1][..sizes[1]],
                "rzlib deflate output differs from zlib's at level {level} on {name}"
            );
            let mut best = [Duration::MAX; 3];
            for round in 0..rounds {
                for k in 0..3 {
                    // Each round starts with another implementation.
                    let i = (round + k) % 3;
                    let t = time(implementations[i], level, data, &mut outs[i]);
                    best[i] = best[i].min(t);
                }
            }
            let ms = |d: Duration| d.as_secs_f64() * 1e3;
            let speed = |d: Duration| best[0].as_secs_f64() / d.as_secs_f64();
            println!(
                "| {level} | {name} | {:.2} | {:.2} | {:.2}x | {:.2} | {:.2}x | {:.3} |",
                ms(best[0]),
                ms(best[1]),
                speed(best[1]),
                ms(best[2]),
                speed(best[2]),
                sizes[2] as f64 / sizes[0] as f64
            );
        }
    }
}
