//! Parallel compression (issue 19).
#![allow(non_snake_case)]

#[path = "fast_profile/body.rs"]
mod body;
mod common;

use body::*;
use common::deflate_diff::{Setup, ALL_FLUSHES};
use common::*;

fn with_threads<R>(threads: i32, f: impl FnOnce() -> R) -> R {
    THREADS.set(threads);
    let r = f();
    THREADS.set(1);
    r
}

#[test]
fn smoke() {
    let mut data = Vec::new();
    for s in samples(200 << 10) {
        data.extend_from_slice(&s.data);
    }
    data.truncate(700 << 10);
    with_threads(2, || {
        for level in [1, 6, 9] {
            for wb in [15, -15, 31] {
                let setup = Setup::new(level, wb, 8, 0);
                let mut fast = Fast::new(setup);
                fast.finish_all(&data);
                let back = original_inflate(
                    "smoke",
                    &fast.out,
                    wb,
                    &Reading::default(),
                    true,
                    data.len(),
                );
                assert!(back == data);
                eprintln!(
                    "level {level} wb {wb}: {} -> {}",
                    data.len(),
                    fast.out.len()
                );
                let mut rng = Rng::new(level as u64);
                let plan = Plan {
                    flushes: ALL_FLUSHES.to_vec(),
                    max_chunk: 200_000,
                    max_room: 100_000,
                    extras: true,
                };
                run_sequence("seq", &data, setup, &mut rng, &plan);
            }
        }
    });
}
