//! peers: the original zlib (libz-sys), rzlib, zlib-ng (its native zng_ API,
//! libz-ng-sys), zlib-rs (libz-rs-sys, called as Rust) and libdeflate
//! (libdeflater, whole-buffer API) on the same inputs in one run:
//!
//! - `peers_deflate_1`, `peers_deflate_6`, `peers_deflate_9`: one zlib-format
//!   compression of the deflate bench's input (the bench inputs cut to
//!   256 KiB each and joined) and of each class in it (text, binary, xml) at
//!   that level, with a fresh compressor each time, as compress2 makes it
//!   (libdeflate: its level of the same number); rzlib twice, in its zlib
//!   profile ("rzlib") and its fast profile ("rzlib-fast");
//! - `peers_inflate`: decompressing zlib's level-6 output of that input in
//!   one call; `peers_inflate_stream`: the same with 4 KiB of output room
//!   per call (libdeflate, which has no stream API, is left out);
//! - `peers_crc32`, `peers_adler32`: the checksum bench's 64 KiB and 8 MiB.
//!
//! Before timing, every compressed output is decompressed by the original
//! zlib and compared with the input, and every decompression and checksum is
//! compared with zlib's. The compressed sizes are printed and written to
//! target/criterion/peers_sizes.json for benches/peers_report.py.
//!
//! Runs only with `--features peers` (building zlib-ng needs cmake).

use std::hint::black_box;
use std::mem::MaybeUninit;
use std::path::PathBuf;

use criterion::{criterion_group, BenchmarkId, Criterion, SamplingMode, Throughput};
use rzlib::c_api::constants::{
    Z_DEFAULT_STRATEGY, Z_DEFLATED, Z_FINISH, Z_NO_FLUSH, Z_OK, Z_STREAM_END,
};
use rzlib::ZLIB_VERSION_C as VERSION;

mod common;

/// Bytes taken from each input for deflate and inflate, as in the deflate bench.
const LIMIT: usize = 256 << 10;
/// Bytes taken from each input for the checksums, as in the checksum bench.
const CHECKSUM_LIMIT: usize = 2 << 20;
const LEVELS: [i32; 3] = [1, 6, 9];

#[path = "common/zlib_api.rs"]
mod zlib_api;
use zlib_api::original;

/// zlib-ng's binding types the allocators as non-null function pointers, so
/// its streams cannot start zeroed; they get malloc and free, which is what
/// zlib-ng uses when they are left null.
mod zng {
    use core::ffi::c_void;
    use core::ptr::null_mut;
    use libz_ng_sys::{uInt, voidpf, z_stream};

    extern "C" {
        fn malloc(size: usize) -> *mut c_void;
        fn free(ptr: *mut c_void);
    }

    unsafe extern "C" fn alloc(_opaque: voidpf, items: uInt, size: uInt) -> voidpf {
        // SAFETY: malloc takes any size (a saturated one simply fails).
        unsafe { malloc((items as usize).saturating_mul(size as usize)) }
    }

    unsafe extern "C" fn release(_opaque: voidpf, address: voidpf) {
        // SAFETY: zlib-ng frees only what `alloc` returned.
        unsafe { free(address) }
    }

    /// A stream in its initial state.
    pub fn stream() -> z_stream {
        z_stream {
            next_in: null_mut(),
            avail_in: 0,
            total_in: 0,
            next_out: null_mut(),
            avail_out: 0,
            total_out: 0,
            msg: null_mut(),
            state: null_mut(),
            zalloc: alloc,
            zfree: release,
            opaque: null_mut(),
            data_type: 0,
            adler: 0,
            reserved: 0,
        }
    }
}

/// Whole-buffer compression (as compress2) and decompression (as uncompress)
/// through a zlib-style stream API. The four zlib implementations differ
/// only in their stream type, its initial value and the modules that hold
/// the entry points, so one macro writes the same calls for each.
/// `after_init`, when given, runs on the stream right after deflateInit2_
/// and must return Z_OK (rzlib's fast profile is set there).
macro_rules! zlib_style {
    ($name:ident, new: $new:expr, deflate: $($d:ident)::+, inflate: $($i:ident)::+
        $(, after_init: $after_init:expr)?) => {
        mod $name {
            use super::*;

            pub fn compress(level: i32, input: &[u8], output: &mut [u8]) -> usize {
                // SAFETY: the stream starts in its documented initial state
                // (default allocators, or malloc and free for zlib-ng); the
                // buffers outlive the stream, which is ended before returning.
                unsafe {
                    let mut s = $new;
                    let size = std::mem::size_of_val(&s) as i32;
                    let ret = $($d)::+::deflateInit2_(
                        &mut s,
                        level,
                        Z_DEFLATED,
                        15,
                        8,
                        Z_DEFAULT_STRATEGY,
                        VERSION.as_ptr(),
                        size,
                    );
                    assert_eq!(ret, Z_OK);
                    $(assert_eq!(($after_init)(&mut s), Z_OK);)?
                    s.next_in = input.as_ptr() as _;
                    s.avail_in = input.len() as u32;
                    s.next_out = output.as_mut_ptr();
                    s.avail_out = output.len() as u32;
                    assert_eq!($($d)::+::deflate(&mut s, Z_FINISH), Z_STREAM_END);
                    $($d)::+::deflateEnd(&mut s);
                    s.total_out as usize
                }
            }

            pub fn decompress(input: &[u8], output: &mut [u8]) -> usize {
                let whole = output.len();
                inflate_in_steps(input, output, whole, Z_FINISH)
            }

            /// `decompress` with at most [`STREAM_CHUNK`] bytes of output
            /// room per call, as a program that streams to a small buffer
            /// calls inflate (the window is kept up to date each call).
            pub fn decompress_stream(input: &[u8], output: &mut [u8]) -> usize {
                inflate_in_steps(input, output, STREAM_CHUNK, Z_NO_FLUSH)
            }

            /// Inflates `input` whole into `output`, giving each inflate
            /// call at most `step` bytes of output room.
            fn inflate_in_steps(input: &[u8], output: &mut [u8], step: usize, flush: i32) -> usize {
                // SAFETY: as in `compress`; each call's output room lies
                // within `output`.
                unsafe {
                    let mut s = $new;
                    let size = std::mem::size_of_val(&s) as i32;
                    assert_eq!($($i)::+::inflateInit_(&mut s, VERSION.as_ptr(), size), Z_OK);
                    s.next_in = input.as_ptr() as _;
                    s.avail_in = input.len() as u32;
                    loop {
                        let done = s.total_out as usize;
                        s.next_out = output.as_mut_ptr().add(done);
                        s.avail_out = (output.len() - done).min(step) as u32;
                        let ret = $($i)::+::inflate(&mut s, flush);
                        if ret == Z_STREAM_END {
                            break;
                        }
                        assert_eq!(ret, Z_OK);
                    }
                    $($i)::+::inflateEnd(&mut s);
                    s.total_out as usize
                }
            }
        }
    };
}

/// Output room per inflate call in the streamed inflate group.
const STREAM_CHUNK: usize = 4096;

type RzStream = rzlib::c_api::stream::z_stream;
zlib_style!(via_zlib,
    new: MaybeUninit::<RzStream>::zeroed().assume_init(),
    deflate: original, inflate: original);
zlib_style!(via_rzlib,
    new: MaybeUninit::<RzStream>::zeroed().assume_init(),
    deflate: rzlib::c_api::deflate, inflate: rzlib::c_api::inflate);
// rzlib in its fast profile: the same calls, with the profile set after
// deflateInit2_.
zlib_style!(via_rzlib_fast,
    new: MaybeUninit::<RzStream>::zeroed().assume_init(),
    deflate: rzlib::c_api::deflate, inflate: rzlib::c_api::inflate,
    after_init: set_fast_profile);

/// Switches a stream that deflateInit2_ has set up to the fast profile.
fn set_fast_profile(s: &mut RzStream) -> i32 {
    // SAFETY: a valid, initialised stream, borrowed for the call.
    unsafe { rzlib::c_api::deflate::rz_deflateSetProfile(s, rzlib::deflate::RZ_PROFILE_FAST) }
}

zlib_style!(via_zlib_ng,
    new: zng::stream(),
    deflate: libz_ng_sys, inflate: libz_ng_sys);
zlib_style!(via_zlib_rs,
    new: libz_rs_sys::z_stream::default(),
    deflate: libz_rs_sys, inflate: libz_rs_sys);

/// libdeflate compresses and decompresses whole buffers; a compressor or
/// decompressor is made per call, as the zlib ones make a stream per call.
mod via_libdeflate {
    use libdeflater::{CompressionLvl, Compressor, Decompressor};

    pub fn compress(level: i32, input: &[u8], output: &mut [u8]) -> usize {
        let level = CompressionLvl::new(level).expect("libdeflate level");
        Compressor::new(level).zlib_compress(input, output).unwrap()
    }

    pub fn decompress(input: &[u8], output: &mut [u8]) -> usize {
        Decompressor::new().zlib_decompress(input, output).unwrap()
    }
}

/// A checksum over a whole buffer, from the checksum's initial value.
type Checksum = fn(&[u8]) -> u32;

/// Decompression of a whole stream into an output buffer of its exact
/// size; returns the bytes written.
type Inflate = fn(&[u8], &mut [u8]) -> usize;

/// One implementation's entry points, as the benches call them.
struct Peer {
    name: &'static str,
    /// A deflate profile of an implementation listed before: only in the
    /// deflate groups.
    deflate_only: bool,
    compress: fn(i32, &[u8], &mut [u8]) -> usize,
    decompress: Inflate,
    /// Decompression in small output steps; `None` without a stream API.
    decompress_stream: Option<Inflate>,
    crc32: Checksum,
    adler32: Checksum,
}

// The C checksum calls below take `uInt` lengths; the inputs are at most
// 10 MiB, so the casts do not truncate.
const PEERS: [Peer; 6] = [
    Peer {
        name: "zlib",
        deflate_only: false,
        compress: via_zlib::compress,
        decompress: via_zlib::decompress,
        decompress_stream: Some(via_zlib::decompress_stream),
        // SAFETY: the slice is readable for its length.
        crc32: |d| unsafe { libz_sys::crc32(0, d.as_ptr(), d.len() as _) as u32 },
        // SAFETY: as above.
        adler32: |d| unsafe { libz_sys::adler32(1, d.as_ptr(), d.len() as _) as u32 },
    },
    Peer {
        name: "rzlib",
        deflate_only: false,
        compress: via_rzlib::compress,
        decompress: via_rzlib::decompress,
        decompress_stream: Some(via_rzlib::decompress_stream),
        crc32: |d| rzlib::checksum::crc32(0, d),
        adler32: |d| rzlib::checksum::adler32(1, d),
    },
    Peer {
        name: "rzlib-fast",
        deflate_only: true,
        compress: via_rzlib_fast::compress,
        decompress: via_rzlib_fast::decompress,
        decompress_stream: Some(via_rzlib_fast::decompress_stream),
        crc32: |d| rzlib::checksum::crc32(0, d),
        adler32: |d| rzlib::checksum::adler32(1, d),
    },
    Peer {
        name: "zlib-ng",
        deflate_only: false,
        compress: via_zlib_ng::compress,
        decompress: via_zlib_ng::decompress,
        decompress_stream: Some(via_zlib_ng::decompress_stream),
        // SAFETY: as above.
        crc32: |d| unsafe { libz_ng_sys::crc32(0, d.as_ptr(), d.len() as _) },
        // SAFETY: as above.
        adler32: |d| unsafe { libz_ng_sys::adler32(1, d.as_ptr(), d.len() as _) },
    },
    Peer {
        name: "zlib-rs",
        deflate_only: false,
        compress: via_zlib_rs::compress,
        decompress: via_zlib_rs::decompress,
        decompress_stream: Some(via_zlib_rs::decompress_stream),
        // SAFETY: as above.
        crc32: |d| unsafe { libz_rs_sys::crc32(0, d.as_ptr(), d.len() as _) as u32 },
        // SAFETY: as above.
        adler32: |d| unsafe { libz_rs_sys::adler32(1, d.as_ptr(), d.len() as _) as u32 },
    },
    Peer {
        name: "libdeflate",
        deflate_only: false,
        compress: via_libdeflate::compress,
        decompress: via_libdeflate::decompress,
        decompress_stream: None,
        crc32: libdeflater::crc32,
        adler32: libdeflater::adler32,
    },
];

/// The deflate bench's input: its name and the joined bytes.
fn mix() -> (&'static str, Vec<u8>) {
    let inputs = common::inputs(LIMIT);
    let name = if inputs.len() <= 2 {
        "generated-mix"
    } else {
        "corpus-mix"
    };
    (name, inputs.into_iter().flat_map(|i| i.data).collect())
}

/// The deflate groups' inputs: the mix, then each class of the corpus
/// files in it (text: dickens; binary: ooffice, mr, kennedy.xls; xml:
/// xml), or of the generated stand-ins.
fn deflate_inputs() -> Vec<(String, Vec<u8>)> {
    let (name, data) = mix();
    let mut sets = vec![(name.to_owned(), data)];
    let classes: [(&str, &[&str]); 5] = [
        ("text", &["dickens"]),
        ("binary", &["ooffice", "mr", "kennedy.xls"]),
        ("xml", &["xml"]),
        ("generated-text", &["generated-text"]),
        ("generated-binary", &["generated-binary"]),
    ];
    let inputs = common::inputs(LIMIT);
    for (class, members) in classes {
        let data: Vec<u8> = inputs
            .iter()
            .filter(|i| members.contains(&i.name.as_str()))
            .flat_map(|i| i.data.iter().copied())
            .collect();
        if !data.is_empty() {
            sets.push((class.to_owned(), data));
        }
    }
    sets
}

/// Where criterion writes its results (as criterion finds it).
fn criterion_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("criterion")
}

fn bench_deflate(c: &mut Criterion) {
    let sets = deflate_inputs();
    let longest = sets.iter().map(|(_, d)| d.len()).max().unwrap_or(0);
    // Room for the largest of the implementations' worst cases.
    // SAFETY: both compressBounds only compute from their argument.
    let zlib_bounds = unsafe {
        [
            original::compressBound(longest as _) as usize,
            libz_ng_sys::compressBound(longest as _) as usize,
        ]
    };
    let libdeflate_bound = libdeflater::Compressor::default().zlib_compress_bound(longest);
    let bound = libdeflate_bound.max(zlib_bounds[0]).max(zlib_bounds[1]);
    let mut out = vec![0u8; bound];
    let mut back = vec![0u8; longest];

    // Check the round trips and record the sizes: sizes[set][peer][level].
    let mut sizes = Vec::new();
    for (name, data) in &sets {
        let mut set_sizes = vec![Vec::new(); PEERS.len()];
        for level in LEVELS {
            let mut line = format!("level {level}, {name} ({} bytes):", data.len());
            for (peer, row) in PEERS.iter().zip(&mut set_sizes) {
                let n = (peer.compress)(level, data, &mut out);
                let m = via_zlib::decompress(&out[..n], &mut back);
                assert!(
                    m == data.len() && back[..m] == data[..],
                    "{} at level {level} does not round-trip through zlib",
                    peer.name
                );
                row.push(n);
                line += &format!(" {} {n},", peer.name);
            }
            eprintln!("{}", line.trim_end_matches(','));
        }
        sizes.push((name.clone(), set_sizes));
    }
    write_sizes(&sizes);

    for level in LEVELS {
        let mut group = c.benchmark_group(format!("peers_deflate_{level}"));
        // One level-9 run takes ~0.2 s: flat sampling keeps the group short.
        group.sampling_mode(SamplingMode::Flat);
        for (name, data) in &sets {
            group.throughput(Throughput::Bytes(data.len() as u64));
            for peer in &PEERS {
                group.bench_with_input(BenchmarkId::new(peer.name, name), data, |b, d| {
                    b.iter(|| (peer.compress)(level, black_box(d), &mut out))
                });
            }
        }
        group.finish();
    }
}

/// Writes the sizes as {"implementation": {"input": {"level": bytes}}}, in
/// PEERS order.
fn write_sizes(sizes: &[(String, Vec<Vec<usize>>)]) {
    let rows: Vec<String> = PEERS
        .iter()
        .enumerate()
        .map(|(p, peer)| {
            let inputs: Vec<String> = sizes
                .iter()
                .map(|(name, set)| {
                    let cells: Vec<String> = LEVELS
                        .iter()
                        .zip(&set[p])
                        .map(|(level, n)| format!("\"{level}\": {n}"))
                        .collect();
                    format!("\"{name}\": {{{}}}", cells.join(", "))
                })
                .collect();
            format!("  \"{}\": {{{}}}", peer.name, inputs.join(", "))
        })
        .collect();
    let dir = criterion_dir();
    std::fs::create_dir_all(&dir).expect("create the criterion directory");
    let path = dir.join("peers_sizes.json");
    std::fs::write(&path, format!("{{\n{}\n}}\n", rows.join(",\n"))).expect("write sizes");
    eprintln!("sizes written to {}", path.display());
}

fn bench_inflate(c: &mut Criterion) {
    let (name, data) = mix();
    let compressed = compressed_mix(&data);

    let mut output = vec![0u8; data.len()];
    check_inflates(&data, &compressed, &mut output);

    for (group_name, streamed) in [("peers_inflate", false), ("peers_inflate_stream", true)] {
        let mut group = c.benchmark_group(group_name);
        group.throughput(Throughput::Bytes(data.len() as u64));
        for (peer, run) in inflaters(streamed) {
            group.bench_with_input(BenchmarkId::new(peer.name, name), &compressed, |b, z| {
                b.iter(|| run(black_box(z), &mut output))
            });
        }
        group.finish();
    }
}

/// zlib's level-6 stream of the mix, the stream the inflate groups time.
fn compressed_mix(data: &[u8]) -> Vec<u8> {
    // SAFETY: compressBound only computes from its argument.
    let bound = unsafe { original::compressBound(data.len() as _) } as usize;
    let mut compressed = vec![0u8; bound];
    let n = via_zlib::compress(6, data, &mut compressed);
    compressed.truncate(n);
    compressed
}

/// The implementations that inflate, with their one-call or streamed
/// entry point (those without a stream API are left out of the latter).
fn inflaters(streamed: bool) -> Vec<(&'static Peer, Inflate)> {
    PEERS
        .iter()
        .filter(|p| !p.deflate_only)
        .filter_map(|p| {
            let run = if streamed {
                p.decompress_stream?
            } else {
                p.decompress
            };
            Some((p, run))
        })
        .collect()
}

/// Every inflater, one call and streamed, gives back `data`.
fn check_inflates(data: &[u8], compressed: &[u8], output: &mut [u8]) {
    for streamed in [false, true] {
        for (peer, run) in inflaters(streamed) {
            output.fill(0);
            let m = run(compressed, output);
            assert!(
                m == data.len() && output == data,
                "{} inflates zlib's stream wrongly (streamed: {streamed})",
                peer.name
            );
        }
    }
}

/// The fastest of `rounds` runs of each of `count` jobs (seconds): each
/// round runs every job once, starting one later than the round before,
/// so that no job always follows the same one.
fn fastest_rotating(rounds: usize, count: usize, mut run: impl FnMut(usize)) -> Vec<f64> {
    let mut best = vec![f64::MAX; count];
    for round in 0..rounds {
        for k in 0..count {
            let i = (round + k) % count;
            let start = std::time::Instant::now();
            run(i);
            best[i] = best[i].min(start.elapsed().as_secs_f64());
        }
    }
    best
}

/// `PEERS_INTERLEAVED=inflate`: the inflate groups as a quick table, the
/// implementations interleaved as in [`interleaved`].
fn interleaved_inflate() {
    let rounds: usize = std::env::var("ROUNDS").map_or(10, |r| r.parse().expect("ROUNDS"));
    let (name, data) = mix();
    let compressed = compressed_mix(&data);
    let mut output = vec![0u8; data.len()];
    check_inflates(&data, &compressed, &mut output);
    println!("| inflate of {name} | implementation | speed vs zlib |");
    println!("|---|---|---:|");
    for (label, streamed) in [("one call", false), ("streamed", true)] {
        let runs = inflaters(streamed);
        let best = fastest_rotating(rounds, runs.len(), |i| {
            black_box((runs[i].1)(black_box(&compressed), &mut output));
        });
        for (i, (peer, _)) in runs.iter().enumerate() {
            println!("| {label} | {} | {:.2}x |", peer.name, best[0] / best[i]);
        }
    }
}

/// The checksum bench's sizes: 64 KiB (in cache) and the whole joined input.
fn bench_checksums(c: &mut Criterion) {
    let joined = common::joined(CHECKSUM_LIMIT);
    for data in [&joined[..joined.len().min(64 << 10)], &joined[..]] {
        let len = data.len();
        let input = common::size_label(len);
        let crc = (PEERS[0].crc32)(data);
        let adler = (PEERS[0].adler32)(data);
        for peer in PEERS.iter().filter(|p| !p.deflate_only) {
            assert_eq!((peer.crc32)(data), crc, "{} crc32 on {input}", peer.name);
            assert_eq!(
                (peer.adler32)(data),
                adler,
                "{} adler32 on {input}",
                peer.name
            );
        }

        let groups = [
            ("peers_crc32", PEERS.map(|p| p.crc32)),
            ("peers_adler32", PEERS.map(|p| p.adler32)),
        ];
        for (group_name, sums) in groups {
            let mut group = c.benchmark_group(group_name);
            group.throughput(Throughput::Bytes(len as u64));
            for (peer, sum) in PEERS.iter().zip(sums).filter(|(p, _)| !p.deflate_only) {
                group.bench_function(BenchmarkId::new(peer.name, &input), |b| {
                    b.iter(|| sum(black_box(data)))
                });
            }
            group.finish();
        }
    }
}

/// `PEERS_INTERLEAVED=1`: instead of criterion, a quick table of the
/// deflate groups with the implementations interleaved (each round
/// compresses every input once with each, in rotating order, and the
/// fastest round of each counts), for A/B runs on a shared machine.
/// ROUNDS (default 10) and LEVELS (comma-separated, default 1,6,9) pick
/// the work; libdeflate and rzlib's zlib profile are left out.
fn interleaved() {
    let rounds: usize = std::env::var("ROUNDS").map_or(10, |r| r.parse().expect("ROUNDS"));
    let levels: Vec<i32> = std::env::var("LEVELS").map_or(LEVELS.to_vec(), |l| {
        l.split(',').map(|n| n.parse().expect("LEVELS")).collect()
    });
    let peers: Vec<&Peer> = ["zlib", "rzlib-fast", "zlib-ng", "zlib-rs"]
        .iter()
        .map(|n| PEERS.iter().find(|p| p.name == *n).expect("peer"))
        .collect();
    let sets = deflate_inputs();
    let longest = sets.iter().map(|(_, d)| d.len()).max().unwrap_or(0);
    let mut out = vec![0u8; longest * 2 + 1024];
    println!("| level | input | fast speed | zlib-ng | zlib-rs | fast / faster peer | fast size | ng size | rs size |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for &level in &levels {
        for (name, data) in &sets {
            let sizes: Vec<usize> = peers
                .iter()
                .map(|p| (p.compress)(level, data, &mut out))
                .collect();
            let best = fastest_rotating(rounds, peers.len(), |i| {
                black_box((peers[i].compress)(level, black_box(data), &mut out));
            });
            let speed = |i: usize| best[0] / best[i];
            let size = |i: usize| sizes[i] as f64 / sizes[0] as f64;
            println!(
                "| {level} | {name} | {:.2}x | {:.2}x | {:.2}x | {:.3} | {:.4} | {:.4} | {:.4} |",
                speed(1),
                speed(2),
                speed(3),
                speed(1) / speed(2).max(speed(3)),
                size(1),
                size(2),
                size(3)
            );
        }
    }
}

criterion_group! {
    name = benches;
    config = common::config(20);
    targets = bench_deflate, bench_inflate, bench_checksums
}

fn main() {
    if let Some(what) = std::env::var_os("PEERS_INTERLEAVED") {
        if what == "inflate" {
            interleaved_inflate();
        } else {
            interleaved();
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
