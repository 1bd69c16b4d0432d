//! deflate: rzlib and the original zlib compressing the same input at levels
//! 1, 6 and 9 (one group per level: `deflate_1`, `deflate_6`, `deflate_9`),
//! each as compress2 does it: deflateInit2_ (windowBits 15, memLevel 8,
//! default strategy), one deflate(Z_FINISH) with room for the whole output,
//! deflateEnd.
//!
//! The input is the bench inputs joined into one buffer (corpus files cut to
//! LIMIT bytes each, or generated data), so that the whole bench runs in
//! under a minute with `--warm-up-time 1 --measurement-time 3`. Before
//! timing, each level's output is checked to be byte-identical.

use std::hint::black_box;
use std::mem::MaybeUninit;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

mod common;

const LIMIT: usize = 256 << 10;
const LEVELS: [i32; 3] = [1, 6, 9];

use rzlib::c_api::constants::{Z_DEFAULT_STRATEGY, Z_DEFLATED, Z_FINISH, Z_OK, Z_STREAM_END};
use rzlib::c_api::stream::z_stream;
use rzlib::c_api::types::uLong;

/// The original zlib, as libz-sys links it, declared with rzlib's z_stream
/// (the same C layout) so that both sides share one stream type.
mod original {
    use super::*;
    use core::ffi::{c_char, c_int};
    use libz_sys as _;

    // z_stream's state pointer targets an opaque type, which is fine here.
    #[allow(improper_ctypes)]
    extern "C" {
        pub fn deflateInit2_(
            strm: *mut z_stream,
            level: c_int,
            method: c_int,
            window_bits: c_int,
            mem_level: c_int,
            strategy: c_int,
            version: *const c_char,
            stream_size: c_int,
        ) -> c_int;
        pub fn deflate(strm: *mut z_stream, flush: c_int) -> c_int;
        pub fn deflateEnd(strm: *mut z_stream) -> c_int;
        pub fn compressBound(source_len: uLong) -> uLong;
    }
}

type Init = unsafe extern "C" fn(
    *mut z_stream,
    i32,
    i32,
    i32,
    i32,
    i32,
    *const core::ffi::c_char,
    i32,
) -> i32;

/// The entry points one implementation exports.
struct Deflate {
    init: Init,
    deflate: unsafe extern "C" fn(*mut z_stream, i32) -> i32,
    end: unsafe extern "C" fn(*mut z_stream) -> i32,
}

const ZLIB: Deflate = Deflate {
    init: original::deflateInit2_,
    deflate: original::deflate,
    end: original::deflateEnd,
};
const RZLIB: Deflate = Deflate {
    init: rzlib::c_api::deflate::deflateInit2_,
    deflate: rzlib::c_api::deflate::deflate,
    end: rzlib::c_api::deflate::deflateEnd,
};

/// One whole-buffer deflate at `level`, as compress2 makes it; returns the
/// compressed size.
fn run(imp: &Deflate, level: i32, input: &[u8], output: &mut [u8]) -> usize {
    // SAFETY: a zeroed z_stream is the documented initial state (Z_NULL
    // allocators); the buffers outlive the stream, which is ended before
    // returning.
    unsafe {
        let mut s = MaybeUninit::<z_stream>::zeroed().assume_init();
        let size = std::mem::size_of::<z_stream>() as i32;
        let ret = (imp.init)(
            &mut s,
            level,
            Z_DEFLATED,
            15,
            8,
            Z_DEFAULT_STRATEGY,
            rzlib::ZLIB_VERSION_C.as_ptr(),
            size,
        );
        assert_eq!(ret, Z_OK);
        s.next_in = input.as_ptr() as *mut u8;
        s.avail_in = input.len() as u32;
        s.next_out = output.as_mut_ptr();
        s.avail_out = output.len() as u32;
        assert_eq!((imp.deflate)(&mut s, Z_FINISH), Z_STREAM_END);
        (imp.end)(&mut s);
        s.total_out as usize
    }
}

fn bench_deflate(c: &mut Criterion) {
    let inputs = common::inputs(LIMIT);
    let generated = inputs.len() <= 2;
    // DEFLATE_BENCH_PER_INPUT=1 measures each input on its own (slower).
    let named: Vec<(String, Vec<u8>)> = if std::env::var_os("DEFLATE_BENCH_PER_INPUT").is_some() {
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
    let implementations = [("zlib", &ZLIB), ("rzlib", &RZLIB)];

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
            eprintln!("level {level}, {name}: {} -> {n} bytes", data.len());

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
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3))
        .sample_size(20);
    targets = bench_deflate
}
criterion_main!(benches);
