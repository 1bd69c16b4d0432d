//! Throughput of rzlib's checksums against zlib's (libz-sys, static) on the
//! same input in the same run: the corpus files concatenated (up to
//! [`INPUT_CAP`] bytes) when ../shared/corpus exists, generated data if not.

use std::path::Path;
use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

/// Enough bytes to measure streaming speed, few enough to stay in L3.
const INPUT_CAP: usize = 16 << 20;

fn input() -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut data = Vec::new();
    for set in ["canterbury", "silesia"] {
        let Ok(entries) = std::fs::read_dir(root.join(set)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.flatten().map(|entry| entry.path()).collect();
        paths.sort();
        for path in paths {
            if let Ok(bytes) = std::fs::read(&path) {
                data.extend_from_slice(&bytes);
            }
        }
    }
    data.truncate(INPUT_CAP);
    if data.is_empty() {
        // xorshift bytes: incompressible but checksums do not care.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        data = (0..INPUT_CAP)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        println!("checksum bench input: generated data, {} bytes", data.len());
    } else {
        println!(
            "checksum bench input: ../shared/corpus concatenated, {} bytes",
            data.len()
        );
    }
    data
}

fn checksums(c: &mut Criterion) {
    let data = input();
    let len = data.len();

    let mut group = c.benchmark_group("crc32");
    group.throughput(Throughput::Bytes(len as u64));
    group.bench_function("rzlib", |b| {
        b.iter(|| rzlib::checksum::crc32(0, black_box(&data)))
    });
    group.bench_function("zlib", |b| {
        // SAFETY: `data` is readable for `len` bytes.
        b.iter(|| unsafe { libz_sys::crc32(0, black_box(data.as_ptr()), len as libz_sys::uInt) })
    });
    group.finish();

    let mut group = c.benchmark_group("adler32");
    group.throughput(Throughput::Bytes(len as u64));
    group.bench_function("rzlib", |b| {
        b.iter(|| rzlib::checksum::adler32(1, black_box(&data)))
    });
    group.bench_function("zlib", |b| {
        // SAFETY: `data` is readable for `len` bytes.
        b.iter(|| unsafe { libz_sys::adler32(1, black_box(data.as_ptr()), len as libz_sys::uInt) })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30);
    targets = checksums
}
criterion_main!(benches);
