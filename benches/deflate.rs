//! deflate: rzlib and the original zlib compressing the same input at levels
//! 1, 6 and 9 (one group per level: `deflate_1`, `deflate_6`, `deflate_9`),
//! each as compress2 does it: deflateInit2_ (windowBits 15, memLevel 8,
//! default strategy), one deflate(Z_FINISH) with room for the whole output,
//! deflateEnd.
//!
//! The inputs: the bench inputs joined into one buffer (corpus files cut to
//! LIMIT bytes each, or generated data), and two classes outside the corpus
//! that are always present, cut to CLASS_LIMIT bytes: this crate's source
//! code and an executable (the bench prints which). Before timing, each
//! level's output is checked to be byte-identical. `rzlib-fast` is rzlib's
//! fast profile, with its own bytes (its sizes are printed too).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

mod common;

const LIMIT: usize = 256 << 10;
const CLASS_LIMIT: usize = 1 << 20;
const LEVELS: [i32; 3] = [1, 6, 9];

#[path = "common/zlib_api.rs"]
mod zlib_api;
use rzlib::c_api::types::uLong;
use zlib_api::{original, run, RZLIB, RZLIB_FAST, ZLIB};

fn bench_deflate(c: &mut Criterion) {
    let inputs = common::inputs(LIMIT);
    let generated = inputs.len() <= 2;
    // DEFLATE_BENCH_PER_INPUT=1 measures each input on its own (slower).
    let mut named: Vec<(String, Vec<u8>)> = if std::env::var_os("DEFLATE_BENCH_PER_INPUT").is_some()
    {
        inputs.into_iter().map(|i| (i.name, i.data)).collect()
    } else {
        let name = if generated {
            "generated-mix"
        } else {
            "corpus-mix"
        };
        vec![(
            name.into(),
            inputs.into_iter().flat_map(|i| i.data).collect(),
        )]
    };
    named.extend(
        common::other_classes(CLASS_LIMIT)
            .into_iter()
            .map(|i| (i.name, i.data)),
    );
    let implementations = [
        ("zlib", &ZLIB),
        ("rzlib", &RZLIB),
        ("rzlib-fast", &RZLIB_FAST),
    ];

    for level in LEVELS {
        let mut group = c.benchmark_group(format!("deflate_{level}"));
        for (name, data) in &named {
            // SAFETY: compressBound only computes from its argument.
            let bound = unsafe { original::compressBound(data.len() as uLong) } as usize;
            let mut zlib_out = vec![0u8; bound];
            let mut rzlib_out = vec![0u8; bound];
            let n = run(&ZLIB, level, data, &mut zlib_out);
            let m = run(&RZLIB, level, data, &mut rzlib_out);
            assert!(
                zlib_out[..n] == rzlib_out[..m],
                "rzlib deflate output differs from zlib's at level {level} on {name}"
            );
            let fast = run(&RZLIB_FAST, level, data, &mut rzlib_out);
            eprintln!(
                "level {level}, {name}: {} -> {n} bytes (fast profile: {fast})",
                data.len()
            );

            group.throughput(Throughput::Bytes(data.len() as u64));
            for (imp_name, imp) in implementations {
                group.bench_with_input(BenchmarkId::new(imp_name, name), data, |b, d| {
                    b.iter(|| run(imp, level, black_box(d), &mut rzlib_out))
                });
            }
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = common::config(20);
    targets = bench_deflate
}
criterion_main!(benches);
