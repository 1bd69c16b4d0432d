//! inflate: rzlib and the original zlib on the same zlib streams (made by the
//! original at level 6): one call with the whole input and output
//! (`inflate`), and streaming with 1 KiB input and 4 KiB output chunks
//! (`inflate_stream`).

use std::hint::black_box;
use std::mem::MaybeUninit;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

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
}

criterion_group! {
    name = benches;
    config = common::config(20);
    targets = bench_inflate
}
criterion_main!(benches);
