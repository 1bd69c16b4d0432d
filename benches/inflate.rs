//! inflate: rzlib and the original zlib on the same zlib streams (made by the
//! original at level 6): one call with the whole input and output
//! (`inflate`), streaming with 1 KiB input and 4 KiB output chunks
//! (`inflate_stream`), and `inflateBack` on the raw deflate data with
//! callbacks like pigz's: `in()` hands out 32 KiB chunks, `out()` takes
//! each full window (`inflate_back`).

use std::hint::black_box;
use std::mem::MaybeUninit;

use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};

mod common;

const LIMIT: usize = 4 << 20;

use rzlib::c_api::constants::{Z_FINISH, Z_NO_FLUSH, Z_OK, Z_STREAM_END};
use rzlib::c_api::stream::z_stream;
use rzlib::c_api::types::uLongf;

#[path = "common/zlib_api.rs"]
mod zlib_api;
use zlib_api::original;

fn zlib_compress(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; data.len() + data.len() / 1000 + 64];
    let mut out_len = out.len() as uLongf;
    // SAFETY: both buffers are valid for the lengths passed.
    let ret = unsafe {
        original::compress2(
            out.as_mut_ptr(),
            &mut out_len,
            data.as_ptr(),
            data.len() as _,
            6,
        )
    };
    assert_eq!(ret, Z_OK);
    out.truncate(out_len as usize);
    out
}

/// The entry points one implementation exports.
struct Inflate {
    init: unsafe extern "C" fn(*mut z_stream, *const core::ffi::c_char, i32) -> i32,
    inflate: unsafe extern "C" fn(*mut z_stream, i32) -> i32,
    end: unsafe extern "C" fn(*mut z_stream) -> i32,
}

const ZLIB: Inflate = Inflate {
    init: original::inflateInit_,
    inflate: original::inflate,
    end: original::inflateEnd,
};
const RZLIB: Inflate = Inflate {
    init: rzlib::c_api::inflate::inflateInit_,
    inflate: rzlib::c_api::inflate::inflate,
    end: rzlib::c_api::inflate::inflateEnd,
};

/// One whole-buffer inflate call, as `uncompress` makes it.
fn run(imp: &Inflate, input: &[u8], output: &mut [u8]) -> usize {
    // SAFETY: a zeroed z_stream is the documented initial state; the buffers
    // outlive the stream, which is ended before returning.
    unsafe {
        let mut s = MaybeUninit::<z_stream>::zeroed().assume_init();
        let size = std::mem::size_of::<z_stream>() as i32;
        assert_eq!(
            (imp.init)(&mut s, rzlib::ZLIB_VERSION_C.as_ptr(), size),
            Z_OK
        );
        s.next_in = input.as_ptr() as *mut u8;
        s.avail_in = input.len() as u32;
        s.next_out = output.as_mut_ptr();
        s.avail_out = output.len() as u32;
        assert_eq!((imp.inflate)(&mut s, Z_FINISH), Z_STREAM_END);
        (imp.end)(&mut s);
        s.total_out as usize
    }
}

/// Streaming use, as network and file code makes it: 1 KiB of input at a
/// time, output drained through a 4 KiB buffer.
fn run_streaming(imp: &Inflate, input: &[u8], chunk: &mut [u8; 4096]) -> usize {
    // SAFETY: as in `run`; `next_in` always points into `input` with
    // `avail_in` bytes left in it, and `next_out` into `chunk`.
    unsafe {
        let mut s = MaybeUninit::<z_stream>::zeroed().assume_init();
        let size = std::mem::size_of::<z_stream>() as i32;
        assert_eq!(
            (imp.init)(&mut s, rzlib::ZLIB_VERSION_C.as_ptr(), size),
            Z_OK
        );
        let mut ret = Z_OK;
        for piece in input.chunks(1024) {
            s.next_in = piece.as_ptr() as *mut u8;
            s.avail_in = piece.len() as u32;
            loop {
                s.next_out = chunk.as_mut_ptr();
                s.avail_out = chunk.len() as u32;
                ret = (imp.inflate)(&mut s, Z_NO_FLUSH);
                if s.avail_out != 0 || ret == Z_STREAM_END {
                    break;
                }
            }
        }
        assert_eq!(ret, Z_STREAM_END);
        (imp.end)(&mut s);
        s.total_out as usize
    }
}

/// The original's inflateBack functions (libz-sys links them; the shared
/// declarations lack them), with rzlib's z_stream (the same C layout).
mod original_back {
    use core::ffi::{c_char, c_int};
    use rzlib::c_api::stream::{in_func, out_func, z_stream};

    // z_stream's state pointer targets an opaque type, which is fine here.
    #[allow(improper_ctypes)]
    extern "C" {
        pub fn inflateBackInit_(
            strm: *mut z_stream,
            window_bits: c_int,
            window: *mut u8,
            version: *const c_char,
            stream_size: c_int,
        ) -> c_int;
        pub fn inflateBack(
            strm: *mut z_stream,
            input: in_func,
            in_desc: *mut core::ffi::c_void,
            output: out_func,
            out_desc: *mut core::ffi::c_void,
        ) -> c_int;
        pub fn inflateBackEnd(strm: *mut z_stream) -> c_int;
    }
}

/// One implementation's inflateBack entry points.
struct Back {
    init: unsafe extern "C" fn(*mut z_stream, i32, *mut u8, *const core::ffi::c_char, i32) -> i32,
    run: unsafe extern "C" fn(
        *mut z_stream,
        rzlib::c_api::stream::in_func,
        *mut core::ffi::c_void,
        rzlib::c_api::stream::out_func,
        *mut core::ffi::c_void,
    ) -> i32,
    end: unsafe extern "C" fn(*mut z_stream) -> i32,
}

const ZLIB_BACK: Back = Back {
    init: original_back::inflateBackInit_,
    run: original_back::inflateBack,
    end: original_back::inflateBackEnd,
};
const RZLIB_BACK: Back = Back {
    init: rzlib::c_api::inflate_back::inflateBackInit_,
    run: rzlib::c_api::inflate_back::inflateBack,
    end: rzlib::c_api::inflate_back::inflateBackEnd,
};

/// pigz's reader: the input in 32 KiB chunks.
struct Chunks<'a> {
    rest: &'a [u8],
}

unsafe extern "C" fn chunk_in(desc: *mut core::ffi::c_void, buf: *mut *mut u8) -> u32 {
    // SAFETY: `desc` is the `Chunks` the bench passed; `buf` is writable.
    unsafe {
        let chunks = &mut *desc.cast::<Chunks>();
        let n = chunks.rest.len().min(32 << 10);
        *buf = chunks.rest.as_ptr() as *mut u8;
        chunks.rest = &chunks.rest[n..];
        n as u32
    }
}

/// pigz's writer takes each window: here its length is counted and its
/// last byte read, so that the window's contents are used.
unsafe extern "C" fn window_out(desc: *mut core::ffi::c_void, buf: *mut u8, len: u32) -> i32 {
    // SAFETY: `desc` is the bench's counter; `buf` holds `len` bytes.
    unsafe {
        *desc.cast::<usize>() += len as usize;
        if len != 0 {
            black_box(*buf.add(len as usize - 1));
        }
    }
    0
}

/// One whole inflateBack run over the raw deflate data `raw`.
fn run_back(imp: &Back, raw: &[u8], window: &mut [u8]) -> usize {
    let mut chunks = Chunks { rest: raw };
    let mut total = 0usize;
    // SAFETY: a zeroed z_stream; the window, input and counter outlive the
    // stream, which is ended before returning.
    unsafe {
        let mut s = MaybeUninit::<z_stream>::zeroed().assume_init();
        let size = std::mem::size_of::<z_stream>() as i32;
        let ret = (imp.init)(
            &mut s,
            15,
            window.as_mut_ptr(),
            rzlib::ZLIB_VERSION_C.as_ptr(),
            size,
        );
        assert_eq!(ret, Z_OK);
        let ret = (imp.run)(
            &mut s,
            Some(chunk_in),
            (&mut chunks as *mut Chunks).cast(),
            Some(window_out),
            (&mut total as *mut usize).cast(),
        );
        assert_eq!(ret, Z_STREAM_END);
        (imp.end)(&mut s);
    }
    total
}

fn bench_inflate(c: &mut Criterion) {
    let inputs: Vec<_> = common::inputs(LIMIT)
        .into_iter()
        .map(|input| {
            let compressed = zlib_compress(&input.data);
            let mut output = vec![0u8; input.data.len()];
            assert_eq!(run(&RZLIB, &compressed, &mut output), input.data.len());
            assert!(
                output == input.data,
                "rzlib inflate output differs on {}",
                input.name
            );
            (input, compressed)
        })
        .collect();
    let implementations = [("zlib", &ZLIB), ("rzlib", &RZLIB)];

    let mut group = c.benchmark_group("inflate");
    for (input, compressed) in &inputs {
        let mut output = vec![0u8; input.data.len()];
        group.throughput(Throughput::Bytes(input.data.len() as u64));
        for (name, imp) in implementations {
            group.bench_with_input(BenchmarkId::new(name, &input.name), compressed, |b, z| {
                b.iter(|| run(imp, black_box(z), &mut output))
            });
        }
    }
    group.finish();

    let mut group = c.benchmark_group("inflate_stream");
    let mut chunk = [0u8; 4096];
    for (input, compressed) in &inputs {
        group.throughput(Throughput::Bytes(input.data.len() as u64));
        for (name, imp) in implementations {
            group.bench_with_input(BenchmarkId::new(name, &input.name), compressed, |b, z| {
                b.iter(|| run_streaming(imp, black_box(z), &mut chunk))
            });
        }
    }
    group.finish();

    let mut group = c.benchmark_group("inflate_back");
    let mut window = vec![0u8; 1 << 15];
    let backs = [("zlib", &ZLIB_BACK), ("rzlib", &RZLIB_BACK)];
    for (input, compressed) in &inputs {
        // The zlib stream without its 2-byte header and 4-byte trailer.
        let raw = &compressed[2..compressed.len() - 4];
        for (_, imp) in backs {
            assert_eq!(run_back(imp, raw, &mut window), input.data.len());
        }
        group.throughput(Throughput::Bytes(input.data.len() as u64));
        for (name, imp) in backs {
            group.bench_with_input(BenchmarkId::new(name, &input.name), raw, |b, z| {
                b.iter(|| run_back(imp, black_box(z), &mut window))
            });
        }
    }
    group.finish();
}

/// One run of one case, for instruction counts under callgrind:
/// `RZLIB_INFLATE_ONCE=<group>:<implementation>:<input>` (groups `inflate`,
/// `inflate_stream`, `inflate_back`; implementations `zlib`, `rzlib`).
/// `RZLIB_INFLATE_REPEAT=<n>` runs the case `n` times, for profilers.
fn run_once(spec: &str) {
    let parts: Vec<&str> = spec.split(':').collect();
    let [group, name, wanted] = parts[..] else {
        panic!("RZLIB_INFLATE_ONCE wants <group>:<implementation>:<input>");
    };
    let input = common::inputs(LIMIT)
        .into_iter()
        .find(|input| input.name == wanted)
        .expect("no such input");
    let compressed = zlib_compress(&input.data);
    let zlib = name == "zlib";
    let repeat: usize = std::env::var("RZLIB_INFLATE_REPEAT").map_or(1, |n| n.parse().unwrap());
    let mut output = vec![0u8; input.data.len()];
    let mut window = vec![0u8; 1 << 15];
    for _ in 0..repeat {
        run_case(group, zlib, &compressed, &mut output, &mut window);
    }
}

/// One run of `group`'s case on `compressed`, which inflates to
/// `output.len()` bytes.
/// `window` is inflateBack's (32 KiB), kept by the caller so that the runs
/// timed do not allocate it.
fn run_case(group: &str, zlib: bool, compressed: &[u8], output: &mut [u8], window: &mut [u8]) {
    let total = match group {
        "inflate" => run(if zlib { &ZLIB } else { &RZLIB }, compressed, output),
        "inflate_stream" => run_streaming(
            if zlib { &ZLIB } else { &RZLIB },
            compressed,
            &mut [0u8; 4096],
        ),
        "inflate_back" => run_back(
            if zlib { &ZLIB_BACK } else { &RZLIB_BACK },
            &compressed[2..compressed.len() - 4],
            window,
        ),
        _ => panic!("no such group"),
    };
    assert_eq!(total, output.len());
}

criterion_group! {
    name = benches;
    config = common::config(20);
    targets = bench_inflate
}

/// Interleaved timing on a busy machine: `RZLIB_INFLATE_MIN=<rounds>`
/// runs zlib and rzlib in turn on each input and group, `rounds` times
/// each, and prints the ratio of their fastest runs (the least disturbed);
/// then each group's ratio over the corpus files together, and on data
/// outside the corpus (source code, an executable).
fn run_interleaved(rounds: usize) {
    let corpus = common::inputs(LIMIT);
    let others = common::other_classes(LIMIT);
    println!("| group | input | zlib min (ms) | rzlib min (ms) | speed vs zlib |");
    println!("|---|---|---:|---:|---:|");
    // `RZLIB_INFLATE_GROUPS=<group>,...` runs only those groups.
    let only = std::env::var("RZLIB_INFLATE_GROUPS").ok();
    let wanted = |group: &str| {
        only.as_deref()
            .is_none_or(|l| l.split(',').any(|g| g == group))
    };
    let row = |group: &str, name: &str, [zlib, rzlib]: [f64; 2]| {
        println!(
            "| {group} | {name} | {zlib:.3} | {rzlib:.3} | {:.2}x |",
            zlib / rzlib
        );
    };
    for group in ["inflate", "inflate_stream", "inflate_back"] {
        if !wanted(group) {
            continue;
        }
        // The corpus's time as the peers bench's mix counts it: the sums
        // of each file's fastest runs.
        let mut total = [0.0f64; 2];
        for input in &corpus {
            let best = fastest_runs(group, &input.data, rounds);
            row(group, &input.name, best);
            total = [total[0] + best[0], total[1] + best[1]];
        }
        row(group, "corpus, all files", total);
        for input in &others {
            row(group, &input.name, fastest_runs(group, &input.data, rounds));
        }
    }
}

/// zlib's and rzlib's fastest of `rounds` alternating runs of `group` on
/// zlib's level-6 stream of `data`, in milliseconds.
fn fastest_runs(group: &str, data: &[u8], rounds: usize) -> [f64; 2] {
    use std::time::Instant;
    let compressed = zlib_compress(data);
    let mut output = vec![0u8; data.len()];
    let mut window = vec![0u8; 1 << 15];
    let mut best = [f64::MAX; 2];
    for _ in 0..rounds {
        for (i, zlib) in [true, false].into_iter().enumerate() {
            let start = Instant::now();
            run_case(group, zlib, &compressed, &mut output, &mut window);
            best[i] = best[i].min(start.elapsed().as_secs_f64() * 1e3);
        }
    }
    best
}

fn main() {
    if let Ok(spec) = std::env::var("RZLIB_INFLATE_ONCE") {
        run_once(&spec);
        return;
    }
    if let Ok(rounds) = std::env::var("RZLIB_INFLATE_MIN") {
        run_interleaved(rounds.parse().expect("RZLIB_INFLATE_MIN wants a number"));
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
