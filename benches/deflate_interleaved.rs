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
//! round runs all three. A last input, `1k-streams`, is the corpus mix's
//! first 256 KiB compressed as 256 streams of 1 KiB each: what a stream's
//! setup and its first block cost, which one-shot calls on small data
//! (an HTTP response, a database row) pay. ROUNDS (default 20) sets the
//! rounds per level;
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
/// The size of each stream of the `1k-streams` input.
const SMALL_STREAM: usize = 1 << 10;

fn time(imp: &Deflate, level: i32, data: &[u8], stream: usize, out: &mut [u8]) -> Duration {
    let start = Instant::now();
    black_box(run_streams(imp, level, black_box(data), stream, out));
    start.elapsed()
}

/// `data` compressed as streams of `stream` bytes each, one after another
/// in `out`; returns the bytes written.
fn run_streams(imp: &Deflate, level: i32, data: &[u8], stream: usize, out: &mut [u8]) -> usize {
    data.chunks(stream)
        .fold(0, |at, piece| at + run(imp, level, piece, &mut out[at..]))
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
    let mix_data: Vec<u8> = mix.into_iter().flat_map(|i| i.data).collect();
    let small = mix_data[..mix_data.len().min(LIMIT)].to_vec();
    // (name, data, size of each stream)
    let mut inputs = vec![(mix_name.to_owned(), mix_data, usize::MAX)];
    inputs.extend(
        common::other_classes(CLASS_LIMIT)
            .into_iter()
            .map(|i| (i.name, i.data, usize::MAX)),
    );
    inputs.push(("1k-streams".to_owned(), small, SMALL_STREAM));
    if let Ok(wanted) = std::env::var("CLASSES") {
        inputs.retain(|(name, _, _)| wanted.split(',').any(|w| w == name));
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
        for (name, data, stream) in &inputs {
            let bound: usize = data
                .chunks(*stream)
                // SAFETY: compressBound only computes from its argument.
                .map(|c| unsafe { original::compressBound(c.len() as uLong) } as usize)
                .sum();
            let mut outs = [vec![0u8; bound], vec![0u8; bound], vec![0u8; bound]];
            let sizes: Vec<usize> = implementations
                .iter()
                .zip(&mut outs)
                .map(|(imp, out)| run_streams(imp, level, data, *stream, out))
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
                    let t = time(implementations[i], level, data, *stream, &mut outs[i]);
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
