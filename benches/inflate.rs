//! inflate: rzlib and the original zlib on the same zlib streams (made by the
//! original at level 6), whole input and a large output buffer per call.

use std::hint::black_box;
use std::mem::MaybeUninit;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

mod common;

const LIMIT: usize = 4 << 20;

fn zlib_compress(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; data.len() + data.len() / 1000 + 64];
    let mut out_len = out.len() as libz_sys::uLongf;
    // SAFETY: both buffers are valid for the lengths passed.
    let ret = unsafe { libz_sys::compress2(out.as_mut_ptr(), &mut out_len, data.as_ptr(), data.len() as _, 6) };
    assert_eq!(ret, libz_sys::Z_OK);
    out.truncate(out_len as usize);
    out
}

fn zlib_inflate(input: &[u8], output: &mut [u8]) -> usize {
    // SAFETY: a zeroed z_stream is the documented initial state; the buffers
    // outlive the stream, which is ended before returning.
    unsafe {
        let mut s = MaybeUninit::<libz_sys::z_stream>::zeroed().assume_init();
        let size = std::mem::size_of::<libz_sys::z_stream>() as i32;
        assert_eq!(libz_sys::inflateInit_(&mut s, libz_sys::zlibVersion(), size), libz_sys::Z_OK);
        s.next_in = input.as_ptr() as *mut u8;
        s.avail_in = input.len() as u32;
        s.next_out = output.as_mut_ptr();
        s.avail_out = output.len() as u32;
        assert_eq!(libz_sys::inflate(&mut s, libz_sys::Z_FINISH), libz_sys::Z_STREAM_END);
        libz_sys::inflateEnd(&mut s);
        s.total_out as usize
    }
}

fn rzlib_inflate(input: &[u8], output: &mut [u8]) -> usize {
    use rzlib::c_api::{constants::*, inflate, stream::z_stream};
    // SAFETY: as for zlib_inflate, through rzlib's exports.
    unsafe {
        let mut s = MaybeUninit::<z_stream>::zeroed().assume_init();
        let size = std::mem::size_of::<z_stream>() as i32;
        let version = rzlib::ZLIB_VERSION_C.as_ptr();
        assert_eq!(inflate::inflateInit_(&mut s, version, size), Z_OK);
        s.next_in = input.as_ptr() as *mut u8;
        s.avail_in = input.len() as u32;
        s.next_out = output.as_mut_ptr();
        s.avail_out = output.len() as u32;
        assert_eq!(inflate::inflate(&mut s, Z_FINISH), Z_STREAM_END);
        inflate::inflateEnd(&mut s);
        s.total_out as usize
    }
}

fn bench_inflate(c: &mut Criterion) {
    let mut group = c.benchmark_group("inflate");
    for input in common::inputs(LIMIT) {
        let compressed = zlib_compress(&input.data);
        let mut output = vec![0u8; input.data.len()];
        assert_eq!(rzlib_inflate(&compressed, &mut output), input.data.len());
        assert!(output == input.data, "rzlib inflate output differs on {}", input.name);
        group.throughput(Throughput::Bytes(input.data.len() as u64));
        group.bench_with_input(BenchmarkId::new("zlib", &input.name), &compressed, |b, z| {
            b.iter(|| zlib_inflate(black_box(z), &mut output))
        });
        group.bench_with_input(BenchmarkId::new("rzlib", &input.name), &compressed, |b, z| {
            b.iter(|| rzlib_inflate(black_box(z), &mut output))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3))
        .sample_size(20);
    targets = bench_inflate
}
criterion_main!(benches);
