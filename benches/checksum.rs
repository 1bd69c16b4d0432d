//! Throughput of rzlib's checksums against zlib's (libz-sys, static) on the
//! same input in the same run: the bench inputs joined (corpus files when
//! there is a corpus, generated data if not; see benches/common).

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

mod common;

/// Bytes taken from each input: enough to measure streaming speed.
const PER_INPUT: usize = 2 << 20;

/// Two sizes from the joined inputs: 64 KiB, a typical stream chunk that
/// stays in cache (the kernels' own speed), and the whole 8 MiB, which on a
/// machine with a small L2 measures memory bandwidth as much as the kernel.
fn checksums(c: &mut Criterion) {
    let joined = common::joined(PER_INPUT);
    for data in [&joined[..joined.len().min(64 << 10)], &joined[..]] {
        let len = data.len();
        let input = common::size_label(len);

        let mut group = c.benchmark_group("crc32");
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_function(BenchmarkId::new("rzlib", &input), |b| {
            b.iter(|| rzlib::checksum::crc32(0, black_box(data)))
        });
        group.bench_function(BenchmarkId::new("zlib", &input), |b| {
            // SAFETY: `data` is readable for `len` bytes.
            b.iter(|| unsafe {
                libz_sys::crc32(0, black_box(data.as_ptr()), len as libz_sys::uInt)
            })
        });
        group.finish();

        let mut group = c.benchmark_group("adler32");
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_function(BenchmarkId::new("rzlib", &input), |b| {
            b.iter(|| rzlib::checksum::adler32(1, black_box(data)))
        });
        group.bench_function(BenchmarkId::new("zlib", &input), |b| {
            // SAFETY: `data` is readable for `len` bytes.
            b.iter(|| unsafe {
                libz_sys::adler32(1, black_box(data.as_ptr()), len as libz_sys::uInt)
            })
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = common::config(30);
    targets = checksums
}
criterion_main!(benches);
