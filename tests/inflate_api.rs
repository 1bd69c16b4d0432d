//! Differential tests of rzlib's inflate exports against zlib (libz-sys,
//! linked statically): the same call sequence on both, with random input
//! and output chunk sizes and random flush values, comparing every
//! observable field after every call.
#![cfg(not(feature = "drop-in"))]
#![allow(clippy::missing_safety_doc)]

mod common;

use std::ffi::{c_char, c_int, c_long, c_ulong, c_void};
use std::ptr;

use common::bits::{Bits, CODE_LENGTH_ORDER};
use common::*;
use libz_sys as z;
use rzlib::c_api::inflate as rz;

/// The gzip header buffers of one side.
struct HeaderBufs {
    extra: Vec<u8>,
    name: Vec<u8>,
    comment: Vec<u8>,
}

impl HeaderBufs {
    fn new() -> HeaderBufs {
        HeaderBufs {
            extra: vec![0; 40],
            name: vec![0; 30],
            comment: vec![0; 50],
        }
    }
}

/// Points a gzip header of either implementation (zlib's field names on
/// both) at `bufs`.
macro_rules! attach {
    ($head:expr, $bufs:expr) => {{
        $head.extra = $bufs.extra.as_mut_ptr();
        $head.extra_max = $bufs.extra.len() as u32;
        $head.name = $bufs.name.as_mut_ptr();
        $head.name_max = $bufs.name.len() as u32;
        $head.comment = $bufs.comment.as_mut_ptr();
        $head.comm_max = $bufs.comment.len() as u32;
    }};
}

/// What a caller sees in a gzip header of either implementation.
macro_rules! seen {
    ($head:expr) => {
        HeaderSeen {
            text: $head.text,
            time: $head.time,
            xflags: $head.xflags,
            os: $head.os,
            extra_len: $head.extra_len,
            extra_null: $head.extra.is_null(),
            name_null: $head.name.is_null(),
            comment_null: $head.comment.is_null(),
            hcrc: $head.hcrc,
            done: $head.done,
        }
    };
}

#[derive(Debug, PartialEq)]
struct HeaderSeen {
    text: c_int,
    time: c_ulong,
    xflags: c_int,
    os: c_int,
    extra_len: u32,
    extra_null: bool,
    name_null: bool,
    comment_null: bool,
    hcrc: c_int,
    done: c_int,
}

/// Options of one differential run.
#[derive(Clone, Copy)]
struct Run<'a> {
    window_bits: c_int,
    dict: Option<&'a [u8]>,
    header: bool,
    seed: u64,
    max_in: usize,
    max_out: usize,
}

/// Inflates `input` with both libraries in lock step and compares after
/// every call. Returns the last return code and the output.
fn differential(input: &[u8], run: Run) -> (c_int, Vec<u8>) {
    let (code, out, _) = differential_msg(input, run);
    (code, out)
}

/// A zlib stream and an rzlib stream after `inflateInit2_(window_bits)`,
/// which must return the same code on both.
fn init_both(window_bits: c_int) -> (c_int, Box<z_stream>, Box<RzStream>) {
    let mut zs = plain_stream();
    let mut rs = rz_stream();
    // SAFETY: fresh streams.
    let (a, b) = unsafe {
        (
            (ZLIB.inflateInit2_)(&mut *zs, window_bits, VERSION.as_ptr(), STREAM_SIZE),
            rz::inflateInit2_(&mut *rs, window_bits, VERSION.as_ptr(), STREAM_SIZE),
        )
    };
    assert_eq!(a, b, "inflateInit2_({window_bits})");
    (a, zs, rs)
}

/// [`differential`], also returning zlib's final `msg`.
fn differential_msg(input: &[u8], run: Run) -> (c_int, Vec<u8>, Option<String>) {
    let mut rng = Rng::new(run.seed);
    let (code, mut zs, mut rs) = init_both(run.window_bits);
    if code != Z_OK {
        return (code, Vec::new(), None);
    }
    let total_out_cap = input.len() * 40 + 300_000;
    let mut zout = vec![0xa5u8; total_out_cap];
    let mut rout = vec![0xa5u8; total_out_cap];
    let (mut zbufs, mut rbufs) = (HeaderBufs::new(), HeaderBufs::new());
    let mut zhead = empty_header();
    // SAFETY: all-zero is a valid header (every pointer NULL).
    let mut rhead: RzHeader = unsafe { std::mem::MaybeUninit::zeroed().assume_init() };
    if let (Some(d), true) = (run.dict, run.window_bits < 0) {
        // A raw stream takes its dictionary before any data.
        unsafe {
            let a = z::inflateSetDictionary(&mut *zs, d.as_ptr(), d.len() as u32);
            let b = rz::inflateSetDictionary(&mut *rs, d.as_ptr(), d.len() as u32);
            assert_eq!(a, b, "inflateSetDictionary (raw)");
        }
    }
    if run.header {
        attach!(zhead, zbufs);
        attach!(rhead, rbufs);
        unsafe {
            let a = z::inflateGetHeader(&mut *zs, &mut zhead);
            let b = rz::inflateGetHeader(&mut *rs, &mut rhead);
            assert_eq!(a, b, "inflateGetHeader");
        }
    }
    let mut in_pos = 0usize;
    let mut out_pos = 0usize;
    let mut stalls = 0;
    let mut last;
    let mut calls = 0;
    loop {
        calls += 1;
        let in_len = rng.below(run.max_in + 1).min(input.len() - in_pos);
        let out_len = rng.below(run.max_out + 1).min(total_out_cap - out_pos);
        let flush = [0, 0, 2, 4, 5, 6, 0, 1][rng.below(8)];
        zs.next_in = input[in_pos..].as_ptr() as *mut u8;
        zs.avail_in = in_len as u32;
        zs.next_out = zout[out_pos..].as_mut_ptr();
        zs.avail_out = out_len as u32;
        rs.next_in = input[in_pos..].as_ptr() as *mut u8;
        rs.avail_in = in_len as u32;
        rs.next_out = rout[out_pos..].as_mut_ptr();
        rs.avail_out = out_len as u32;
        let (a, b) = unsafe { (z::inflate(&mut *zs, flush), rz::inflate(&mut *rs, flush)) };
        let ctx = format!(
            "call {calls} seed {} flush {flush} in {in_pos}+{in_len} out {out_pos}+{out_len}",
            run.seed
        );
        assert_eq!(a, b, "return code, {ctx}");
        assert_eq!(zs.avail_in, rs.avail_in, "avail_in, {ctx}");
        assert_eq!(zs.avail_out, rs.avail_out, "avail_out, {ctx}");
        assert_eq!(zs.total_in, rs.total_in, "total_in, {ctx}");
        assert_eq!(zs.total_out, rs.total_out, "total_out, {ctx}");
        assert_eq!(zs.adler, rs.adler, "adler, {ctx}");
        assert_eq!(zs.data_type, rs.data_type, "data_type, {ctx}");
        assert_eq!(msg_of(zs.msg), msg_of(rs.msg), "msg, {ctx}");
        let (zm, rm) = unsafe { (z::inflateMark(&mut *zs), rz::inflateMark(&mut *rs)) };
        assert_eq!(zm, rm as c_long, "inflateMark, {ctx}");
        let (zc, rc) = unsafe {
            (
                (ZLIB.inflateCodesUsed)(&mut *zs),
                rz::inflateCodesUsed(&mut *rs),
            )
        };
        assert_eq!(zc, rc, "inflateCodesUsed, {ctx}");
        let produced = out_len - zs.avail_out as usize;
        assert_eq!(
            zout[out_pos..out_pos + produced],
            rout[out_pos..out_pos + produced],
            "output, {ctx}"
        );
        if run.header {
            assert_eq!(seen!(zhead), seen!(rhead), "header, {ctx}");
            assert_eq!(zbufs.extra, rbufs.extra, "extra, {ctx}");
            assert_eq!(zbufs.name, rbufs.name, "name, {ctx}");
            assert_eq!(zbufs.comment, rbufs.comment, "comment, {ctx}");
        }
        in_pos += in_len - zs.avail_in as usize;
        out_pos += produced;
        last = a;
        if a == 2 {
            let d = run.dict.unwrap_or(b"");
            let (x, y) = unsafe {
                (
                    z::inflateSetDictionary(&mut *zs, d.as_ptr(), d.len() as u32),
                    rz::inflateSetDictionary(&mut *rs, d.as_ptr(), d.len() as u32),
                )
            };
            assert_eq!(x, y, "inflateSetDictionary, {ctx}");
            if x != 0 {
                break;
            }
            continue;
        }
        if a != 0 && a != -5 {
            break;
        }
        if in_pos == input.len() && (in_len == 0 || a == -5) {
            stalls += 1;
            if stalls > 50 {
                break;
            }
        }
    }
    let message = msg_of(zs.msg);
    unsafe {
        let mut zd = vec![0u8; 32768];
        let mut rd = vec![0u8; 32768];
        let (mut zl, mut rl) = (0u32, 0u32);
        let a = (ZLIB.inflateGetDictionary)(&mut *zs, zd.as_mut_ptr(), &mut zl);
        let b = rz::inflateGetDictionary(&mut *rs, rd.as_mut_ptr(), &mut rl);
        assert_eq!((a, zl), (b, rl), "inflateGetDictionary");
        assert_eq!(zd, rd, "dictionary contents");
        assert_eq!(z::inflateEnd(&mut *zs), rz::inflateEnd(&mut *rs));
    }
    zout.truncate(out_pos);
    (last, zout, message)
}

/// The corpus files the suite runs on, when ../shared/corpus exists.
const CORPUS_FILES: [&str; 4] = [
    "canterbury/alice29.txt",
    "canterbury/kennedy.xls",
    "canterbury/ptt5",
    "silesia/xml",
];

/// Test inputs: [`CORPUS_FILES`] and the generated data, cut to 300 000 bytes.
fn samples() -> Vec<Sample> {
    chosen_samples(&CORPUS_FILES, 300_000)
}

#[test]
fn round_trips_match_zlib_call_by_call() {
    for Sample { name, data } in samples() {
        for (level, strategy) in [(6, 0), (1, 0), (9, 1), (6, 2), (6, 3), (6, 4), (0, 0)] {
            for wbits in [15, -15, 31, 9] {
                let packed = deflate(&data, &Deflate::new(level, wbits, strategy));
                for (seed, max_in, max_out) in [(1, 1 << 16, 1 << 17), (7, 300, 700)] {
                    let inflate_bits = if wbits == 9 { 0 } else { wbits };
                    let run = Run {
                        window_bits: inflate_bits,
                        dict: None,
                        header: false,
                        seed: seed + level as u64,
                        max_in,
                        max_out,
                    };
                    let (ret, out) = differential(&packed, run);
                    assert_eq!(ret, 1, "{name} level {level} wbits {wbits}");
                    assert_eq!(out, data, "{name} level {level} wbits {wbits}");
                }
            }
        }
    }
}

#[test]
fn byte_at_a_time_matches_zlib() {
    let data: Vec<u8> = samples().remove(0).data.into_iter().take(20_000).collect();
    for wbits in [15, 31, -15] {
        let packed = deflate(
            &data,
            &Deflate {
                flush_every: Some((3000, Z_SYNC_FLUSH)),
                ..Deflate::new(6, wbits, 0)
            },
        );
        for auto in [false, true] {
            let window_bits = if auto && wbits > 0 { 47 } else { wbits };
            let run = Run {
                window_bits,
                dict: None,
                header: false,
                seed: 99,
                max_in: 1,
                max_out: 3,
            };
            let (ret, out) = differential(&packed, run);
            assert_eq!(ret, 1);
            assert_eq!(out, data);
        }
    }
}

#[test]
fn dictionaries_match_zlib() {
    let dict = b"the quick brown fox jumps over the lazy dog and other words".repeat(20);
    let data: Vec<u8> = dict.iter().rev().cycle().take(50_000).copied().collect();
    for wbits in [15, -15] {
        let packed = deflate(
            &data,
            &Deflate {
                dictionary: Some(dict.clone()),
                ..Deflate::new(6, wbits, 0)
            },
        );
        for seed in 1..6 {
            let run = Run {
                window_bits: wbits,
                dict: Some(&dict),
                header: false,
                seed,
                max_in: 500,
                max_out: 5000,
            };
            let (ret, out) = differential(&packed, run);
            assert_eq!(ret, 1);
            assert_eq!(out, data);
        }
    }
    // Wrong dictionary: Z_DATA_ERROR from inflateSetDictionary on both.
    let packed = deflate(
        &data,
        &Deflate {
            dictionary: Some(dict.clone()),
            ..Deflate::new(6, 15, 0)
        },
    );
    let run = Run {
        window_bits: 15,
        dict: Some(b"nope"),
        header: false,
        seed: 3,
        max_in: 1000,
        max_out: 1000,
    };
    differential(&packed, run);
}

/// Includes the CVE-2022-37434 pattern: an extra field (96 bytes) larger
/// than `extra_max` (40) arriving in pieces of at most 9 bytes, and a name
/// longer than `name_max`.
#[test]
fn gzip_headers_match_zlib() {
    let data = b"gzip header test data, gzip header test data".repeat(100);
    let extra = b"EXTRA-FIELD-".repeat(8);
    let name = b"a-rather-long-file-name-that-does-not-fit.txt".to_vec();
    let comment = b"short comment".to_vec();
    for (with_extra, with_name, with_comment, hcrc) in [
        (true, true, true, true),
        (false, true, false, false),
        (true, false, true, false),
        (false, false, false, true),
    ] {
        let fields = GzFields {
            text: true,
            time: 0x1234_5678,
            os: 3,
            extra: with_extra.then(|| extra.clone()),
            name: with_name.then(|| name.clone()),
            comment: with_comment.then(|| comment.clone()),
            hcrc,
        };
        let packed = deflate(
            &data,
            &Deflate {
                gzip: Some(fields),
                ..Deflate::new(6, 31, 0)
            },
        );
        for seed in 1..8 {
            for window_bits in [31, 47] {
                let run = Run {
                    window_bits,
                    dict: None,
                    header: true,
                    seed,
                    max_in: 9,
                    max_out: 1000,
                };
                let (ret, out) = differential(&packed, run);
                assert_eq!(ret, 1);
                assert_eq!(out, data);
            }
        }
    }
    // A zlib stream with a header registered: done = -1.
    let packed = deflate(&data, &Deflate::new(6, 15, 0));
    let run = Run {
        window_bits: 47,
        dict: None,
        header: true,
        seed: 5,
        max_in: 100,
        max_out: 100,
    };
    assert_eq!(differential(&packed, run).0, 1);
}

#[test]
fn corrupt_streams_match_zlib() {
    let data: Vec<u8> = samples()
        .into_iter()
        .find(|s| s.name.contains("text") || s.name.contains("alice"))
        .map(|s| s.data)
        .unwrap_or_default()
        .into_iter()
        .take(30_000)
        .collect();
    let mut rng = Rng::new(2024);
    let mut messages = std::collections::BTreeSet::new();
    for (level, strategy, wbits) in [(6, 0, 15), (1, 4, 31), (0, 0, -15), (9, 2, 15), (6, 0, 31)] {
        let packed = deflate(&data, &Deflate::new(level, wbits, strategy));
        for trial in 0..120 {
            let mut broken = packed.clone();
            let flips = 1 + rng.below(3);
            for _ in 0..flips {
                let at = rng.below(
                    broken
                        .len()
                        .min(if trial % 2 == 0 { 40 } else { usize::MAX }),
                );
                broken[at] ^= 1 << rng.below(8);
            }
            if trial % 7 == 0 {
                let cut = rng.below(broken.len());
                broken.truncate(cut);
            }
            let run = Run {
                window_bits: if trial % 3 == 0 && wbits > 0 {
                    47
                } else {
                    wbits
                },
                dict: None,
                header: false,
                seed: trial,
                max_in: 1 + rng.below(4000),
                max_out: 1 + rng.below(9000),
            };
            let (ret, _) = differential(&broken, run);
            messages.insert(ret);
        }
    }
    eprintln!("return codes seen: {messages:?}");
}

#[test]
fn invalid_arguments_and_foreign_states() {
    let version = z::zlibVersion as unsafe extern "C" fn() -> *const c_char;
    let rsize = core::mem::size_of::<RzStream>() as c_int;
    unsafe {
        assert_eq!(rz::inflate(ptr::null_mut(), 0), -2);
        assert_eq!(rz::inflateEnd(ptr::null_mut()), -2);
        assert_eq!(rz::inflateInit_(ptr::null_mut(), version(), rsize), -2);
        let mut rs = rz_stream();
        assert_eq!(rz::inflateInit_(&mut *rs, c"2.0".as_ptr(), rsize), -6);
        assert_eq!(rz::inflateInit_(&mut *rs, version(), rsize - 8), -6);
        assert_eq!(rz::inflateInit2_(&mut *rs, 7, version(), rsize), -2);
        assert!(rs.state.is_null());
        assert_eq!(rz::inflateInit2_(&mut *rs, -16, version(), rsize), -2);
        assert_eq!(rz::inflateInit2_(&mut *rs, 15, version(), rsize), 0);
        // next_out NULL.
        assert_eq!(rz::inflate(&mut *rs, 0), -2);
        // A state another zlib created is refused.
        let mut zs = plain_stream();
        assert_eq!(
            z::inflateInit_(
                &mut *zs,
                version(),
                core::mem::size_of::<z::z_stream>() as c_int
            ),
            0
        );
        let mine = rs.state;
        rs.state = zs.state.cast();
        let mut out = [0u8; 4];
        rs.next_out = out.as_mut_ptr();
        rs.avail_out = 4;
        assert_eq!(rz::inflate(&mut *rs, 0), -2);
        assert_eq!(rz::inflateEnd(&mut *rs), -2);
        assert_eq!(rz::inflateMark(&mut *rs), -65536);
        assert_eq!(rz::inflateCodesUsed(&mut *rs), c_ulong::MAX);
        rs.state = mine;
        // A copied z_stream (not via inflateCopy) is refused too.
        let mut moved: Box<RzStream> = Box::new(ptr::read(&*rs));
        assert_eq!(rz::inflate(&mut *moved, 0), -2);
        core::mem::forget(moved);
        assert_eq!(rz::inflateUndermine(&mut *rs, 1), -3);
        assert_eq!(rz::inflateGetHeader(&mut *rs, ptr::null_mut()), -2);
        assert_eq!(rz::inflatePrime(&mut *rs, 17, 0), -2);
        assert_eq!(rz::inflatePrime(&mut *rs, 16, 0xffff), 0);
        assert_eq!(rz::inflatePrime(&mut *rs, 16, 0xffff), 0);
        assert_eq!(rz::inflatePrime(&mut *rs, 1, 0), -2);
        assert_eq!(rz::inflateEnd(&mut *rs), 0);
        assert_eq!(z::inflateEnd(&mut *zs), 0);
    }
}

/// An allocator that fails: Z_MEM_ERROR from inflateInit_ and inflateCopy,
/// and each succeeds with exactly one allocation once the allocator works.
#[test]
fn failing_allocator_gives_mem_error() {
    use std::sync::atomic::Ordering::SeqCst;
    let counter = Counter::failing_at(1);
    let copy_counter = Counter::failing_at(1);
    let mut strm = new_stream(&counter);
    let s: *mut z_stream = &mut *strm;
    // SAFETY: streams of this test; each counter outlives its stream.
    unsafe {
        assert_eq!(
            (RZ.inflateInit_)(s, VERSION.as_ptr(), STREAM_SIZE),
            Z_MEM_ERROR
        );
        assert_eq!((RZ.inflateInit_)(s, VERSION.as_ptr(), STREAM_SIZE), Z_OK);
        assert_eq!(counter.allocs.load(SeqCst), 1);
        // inflateCopy allocates with the source's allocator.
        strm.opaque = &*copy_counter as *const Counter as *mut c_void;
        let mut copy = new_stream(&copy_counter);
        assert_eq!((RZ.inflateCopy)(&mut *copy, s), Z_MEM_ERROR);
        assert_eq!((RZ.inflateCopy)(&mut *copy, s), Z_OK);
        assert_eq!(copy_counter.allocs.load(SeqCst), 1);
        assert_eq!((RZ.inflateEnd)(&mut *copy), Z_OK);
        strm.opaque = &*counter as *const Counter as *mut c_void;
        assert_eq!((RZ.inflateEnd)(s), Z_OK);
    }
    assert_eq!((counter.live(), copy_counter.live()), (0, 0));
}

#[test]
fn sync_matches_zlib() {
    let data: Vec<u8> = samples().remove(0).data.into_iter().take(60_000).collect();
    let packed = deflate(
        &data,
        &Deflate {
            flush_every: Some((5000, Z_FULL_FLUSH)),
            ..Deflate::new(6, -15, 0)
        },
    );
    for skip in [10usize, 1000, 7777] {
        let (code, mut zs, mut rs) = init_both(-15);
        assert_eq!(code, Z_OK);
        unsafe {
            let mut zo = vec![0u8; 200_000];
            let mut ro = vec![0u8; 200_000];
            zs.next_in = packed[skip..].as_ptr() as *mut u8;
            rs.next_in = zs.next_in;
            let mut pos = skip;
            for step in [3usize, 1, 50, 2000, 100_000] {
                let n = step.min(packed.len() - pos);
                zs.next_in = packed[pos..].as_ptr() as *mut u8;
                rs.next_in = zs.next_in;
                zs.avail_in = n as u32;
                rs.avail_in = n as u32;
                let (a, b) = (z::inflateSync(&mut *zs), rz::inflateSync(&mut *rs));
                assert_eq!(a, b, "sync skip {skip} step {step}");
                assert_eq!(zs.avail_in, rs.avail_in);
                assert_eq!(zs.total_in, rs.total_in);
                pos += n - zs.avail_in as usize;
                if a == 0 {
                    break;
                }
            }
            zs.next_in = packed[pos..].as_ptr() as *mut u8;
            rs.next_in = zs.next_in;
            zs.avail_in = (packed.len() - pos) as u32;
            rs.avail_in = zs.avail_in;
            zs.next_out = zo.as_mut_ptr();
            rs.next_out = ro.as_mut_ptr();
            zs.avail_out = zo.len() as u32;
            rs.avail_out = ro.len() as u32;
            let (a, b) = (z::inflate(&mut *zs, 0), rz::inflate(&mut *rs, 0));
            assert_eq!(a, b);
            assert_eq!(zs.total_out, rs.total_out);
            assert_eq!(msg_of(zs.msg), msg_of(rs.msg));
            // The output; the space after it is scratch (see README).
            let produced = zs.total_out as usize;
            assert_eq!(zo[..produced], ro[..produced]);
            assert_eq!(
                (ZLIB.inflateSyncPoint)(&mut *zs),
                rz::inflateSyncPoint(&mut *rs)
            );
            z::inflateEnd(&mut *zs);
            rz::inflateEnd(&mut *rs);
        }
    }
}

#[test]
fn uncompress_follows_uncompr_c() {
    let data = b"uncompress me, uncompress me, uncompress me".repeat(50);
    let packed = deflate(&data, &Deflate::new(6, 15, 0));
    unsafe {
        let mut out = vec![0u8; data.len()];
        let mut out_len = out.len() as c_ulong;
        let mut src_len = packed.len() as c_ulong;
        let ret = rzlib::c_api::uncompress::uncompress2(
            out.as_mut_ptr(),
            &mut out_len,
            packed.as_ptr(),
            &mut src_len,
        );
        assert_eq!(
            (ret, out_len as usize, src_len as usize),
            (0, data.len(), packed.len())
        );
        assert_eq!(out, data);
        // Too small: Z_BUF_ERROR.
        let mut small_len = 10 as c_ulong;
        let ret = rzlib::c_api::uncompress::uncompress(
            out.as_mut_ptr(),
            &mut small_len,
            packed.as_ptr(),
            packed.len() as c_ulong,
        );
        assert_eq!((ret, small_len), (-5, 10));
        // Truncated, with room to spare: Z_DATA_ERROR.
        let mut out = vec![0u8; data.len() + 10];
        let mut len = out.len() as c_ulong;
        let ret = rzlib::c_api::uncompress::uncompress(
            out.as_mut_ptr(),
            &mut len,
            packed.as_ptr(),
            (packed.len() - 3) as c_ulong,
        );
        assert_eq!(ret, -3);
    }
}

/// A rough throughput comparison (run with `--ignored --nocapture`); the
/// criterion benchmark is the real measurement.
#[test]
#[ignore]
fn throughput_vs_zlib() {
    let only = std::env::var("RZ_BENCH_ONLY").unwrap_or_default();
    // Raw deflate by default: the decoder alone, without the check pass.
    let wbits: c_int = std::env::var("RZ_BENCH_WBITS")
        .ok()
        .and_then(|w| w.parse().ok())
        .unwrap_or(-15);
    for Sample { name, data } in chosen_samples(&CORPUS_FILES, usize::MAX) {
        if data.is_empty() || !name.contains(&only) {
            continue;
        }
        let packed = deflate(&data, &Deflate::new(6, wbits, 0));
        let mut out = vec![0u8; data.len()];
        let rounds = (50_000_000 / data.len()).clamp(1, 20);
        let mut best = [f64::MAX; 2];
        for _ in 0..rounds {
            for (side, z) in [&ZLIB, &RZ].into_iter().enumerate() {
                let start = std::time::Instant::now();
                let mut s = plain_stream();
                // SAFETY: a fresh stream; input and output outlive the calls.
                unsafe {
                    (z.inflateInit2_)(&mut *s, wbits, VERSION.as_ptr(), STREAM_SIZE);
                    s.next_in = packed.as_ptr() as *mut u8;
                    s.avail_in = packed.len() as u32;
                    s.next_out = out.as_mut_ptr();
                    s.avail_out = out.len() as u32;
                    assert_eq!((z.inflate)(&mut *s, Z_FINISH), Z_STREAM_END, "{}", z.name);
                    (z.inflateEnd)(&mut *s);
                }
                best[side] = best[side].min(start.elapsed().as_secs_f64());
            }
        }
        let mbps = |t: f64| data.len() as f64 / t / 1e6;
        eprintln!(
            "{name:28} zlib {:7.1} MB/s  rzlib {:7.1} MB/s  ratio {:.2}",
            mbps(best[0]),
            mbps(best[1]),
            best[0] / best[1]
        );
    }
}

/// A final dynamic block header with a code-length code in which `one_bit`
/// symbols (exactly two) have 1-bit codes, then the given (symbol, extra
/// value, extra bits) sequence.
fn dynamic_block(nlen: u32, ndist: u32, one_bit: [usize; 2], seq: &[(usize, u32, u32)]) -> Vec<u8> {
    let mut w = Bits::default();
    w.block(true, 2);
    w.put(nlen - 257, 5);
    w.put(ndist - 1, 5);
    w.put(15, 4);
    for symbol in CODE_LENGTH_ORDER {
        w.put(u32::from(one_bit.contains(&symbol)), 3);
    }
    let low = one_bit[0].min(one_bit[1]);
    for &(symbol, extra, extra_bits) in seq {
        w.code(u32::from(symbol != low), 1);
        w.put(extra, extra_bits);
    }
    w.put(0, 16);
    w.finish()
}

#[test]
fn every_error_message_matches_zlib() {
    let zlib_ok = deflate(b"hello hello hello hello", &Deflate::new(6, 15, 0));
    let gzip_ok = deflate(b"hello hello hello hello", &Deflate::new(6, 31, 0));
    let mut bad_adler = zlib_ok.clone();
    *bad_adler.last_mut().unwrap() ^= 1;
    let mut bad_length = gzip_ok.clone();
    *bad_length.last_mut().unwrap() ^= 1;
    let mut bad_crc = gzip_ok.clone();
    let at = bad_crc.len() - 5;
    bad_crc[at] ^= 1;
    // Fixed-code streams.
    let fixed = |build: &dyn Fn(&mut Bits)| {
        let mut w = Bits::default();
        w.block(true, 1);
        build(&mut w);
        w.put(0, 32);
        w.finish()
    };
    let bad_litlen = fixed(&|w| w.code(0b1100_0110, 8));
    let bad_distance = fixed(&|w| {
        w.code(0b000_0001, 7);
        w.code(30, 5);
    });
    let too_far = fixed(&|w| {
        w.code(0x30 + u32::from(b'a'), 8);
        w.code(0b000_0001, 7);
        w.code(1, 5);
    });
    let cases: Vec<(&str, c_int, Vec<u8>)> = vec![
        ("incorrect header check", 15, vec![0x78, 0x9d, 0, 0]),
        ("unknown compression method", 15, vec![0x79, 0x18, 0, 0]),
        ("invalid window size", 15, vec![0x88, 0x1c, 0, 0]),
        (
            "unknown compression method",
            31,
            vec![0x1f, 0x8b, 7, 0, 0, 0, 0, 0],
        ),
        (
            "unknown header flags set",
            31,
            vec![0x1f, 0x8b, 8, 0xe0, 0, 0, 0, 0],
        ),
        (
            "header crc mismatch",
            31,
            vec![0x1f, 0x8b, 8, 2, 0, 0, 0, 0, 0, 3, 0, 0],
        ),
        ("invalid block type", -15, vec![0x07, 0, 0]),
        (
            "invalid stored block lengths",
            -15,
            vec![0x01, 5, 0, 0, 0, 0],
        ),
        (
            "too many length or distance symbols",
            -15,
            vec![0xf5, 0xff, 0xff],
        ),
        ("invalid code lengths set", -15, {
            let mut w = Bits::default();
            w.block(true, 2);
            w.put(0, 10);
            w.put(0, 4);
            for _ in 0..4 {
                w.put(1, 3);
            }
            w.put(0, 16);
            w.finish()
        }),
        (
            "invalid bit length repeat",
            -15,
            dynamic_block(257, 1, [16, 17], &[(16, 0, 2)]),
        ),
        (
            "invalid code -- missing end-of-block",
            -15,
            dynamic_block(257, 1, [17, 18], &[(18, 127, 7), (18, 109, 7)]),
        ),
        (
            "invalid literal/lengths set",
            -15,
            dynamic_block(
                257,
                1,
                [1, 18],
                &[
                    (18, 127, 7),
                    (18, 105, 7),
                    (1, 0, 0),
                    (1, 0, 0),
                    (1, 0, 0),
                    (1, 0, 0),
                ],
            ),
        ),
        (
            "invalid distances set",
            -15,
            dynamic_block(
                257,
                3,
                [1, 18],
                &[
                    (1, 0, 0),
                    (18, 127, 7),
                    (18, 106, 7),
                    (1, 0, 0),
                    (1, 0, 0),
                    (1, 0, 0),
                    (1, 0, 0),
                ],
            ),
        ),
        ("invalid literal/length code", -15, bad_litlen),
        ("invalid distance code", -15, bad_distance),
        ("invalid distance too far back", -15, too_far),
        ("incorrect data check", 15, bad_adler),
        ("incorrect length check", 31, bad_length),
        ("incorrect data check", 31, bad_crc),
    ];
    for (expected, window_bits, input) in cases {
        for seed in 1..6 {
            let run = Run {
                window_bits,
                dict: None,
                header: false,
                seed,
                max_in: if seed == 1 { 1 } else { 1000 },
                max_out: if seed == 2 { 1 } else { 1000 },
            };
            let (code, _, message) = differential_msg(&input, run);
            assert_eq!(code, -3, "{expected}");
            assert_eq!(message.as_deref(), Some(expected));
        }
    }
}

#[test]
fn prime_and_mark_match_zlib() {
    // A raw stream whose first byte is fed through inflatePrime.
    let data = b"priming the bit buffer, priming the bit buffer".repeat(30);
    let packed = deflate(&data, &Deflate::new(6, -15, 0));
    for split in [3, 8, 13] {
        let (code, mut zs, mut rs) = init_both(-15);
        assert_eq!(code, Z_OK);
        unsafe {
            let first = i32::from(packed[0]) | (i32::from(packed[1]) << 8);
            assert_eq!(
                z::inflatePrime(&mut *zs, split, first),
                rz::inflatePrime(&mut *rs, split, first)
            );
            // The rest of the first 16 bits, then the stream from byte 2.
            let rest = 16 - split;
            assert_eq!(
                z::inflatePrime(&mut *zs, rest, first >> split),
                rz::inflatePrime(&mut *rs, rest, first >> split)
            );
            let mut zo = vec![0u8; data.len()];
            let mut ro = vec![0u8; data.len()];
            let mut pos = 2;
            let (mut zp, mut rp) = (0, 0);
            for call in 0.. {
                assert!(call < 100_000, "no progress");
                let flush = if call % 2 == 0 { 6 } else { 0 };
                let n = 7.min(packed.len() - pos);
                zs.next_in = packed[pos..].as_ptr() as *mut u8;
                rs.next_in = zs.next_in;
                zs.avail_in = n as u32;
                rs.avail_in = n as u32;
                zs.next_out = zo[zp..].as_mut_ptr();
                rs.next_out = ro[rp..].as_mut_ptr();
                zs.avail_out = 50.min(zo.len() - zp) as u32;
                rs.avail_out = zs.avail_out;
                let before = zs.avail_out;
                let (a, b) = (z::inflate(&mut *zs, flush), rz::inflate(&mut *rs, flush));
                assert_eq!(a, b);
                assert_eq!(zs.data_type, rs.data_type);
                assert_eq!(z::inflateMark(&mut *zs), rz::inflateMark(&mut *rs));
                assert_eq!(zs.avail_in, rs.avail_in);
                pos += n - zs.avail_in as usize;
                zp += (before - zs.avail_out) as usize;
                rp += (before - rs.avail_out) as usize;
                if a != 0 && a != -5 {
                    break;
                }
            }
            assert_eq!(zo, ro);
            assert_eq!(zo, data);
            z::inflateEnd(&mut *zs);
            rz::inflateEnd(&mut *rs);
        }
    }
}

/// The whole corpus, several levels and chunkings (run with `--ignored`;
/// takes a while).
#[test]
#[ignore]
fn whole_corpus_matches_zlib() {
    // Without a corpus (corpus() says why), the generated data stands in.
    let files = corpus(3_000_000).unwrap_or_else(generated);
    for Sample { name, data } in files {
        for (level, wbits, seed, max_in, max_out) in [
            (6, 15, 11, 1 << 20, 1 << 20),
            (9, 31, 12, 5000, 3000),
            (1, -10, 13, 100_000, 70_000),
        ] {
            let packed = deflate(&data, &Deflate::new(level, wbits, 0));
            let run = Run {
                window_bits: wbits,
                dict: None,
                header: false,
                seed,
                max_in,
                max_out,
            };
            let (ret, out) = differential(&packed, run);
            assert_eq!(ret, 1, "{name}");
            assert!(out == data, "{name}");
        }
        eprintln!("ok {name}");
    }
}

#[test]
fn random_garbage_matches_zlib() {
    let mut rng = Rng::new(77);
    let trials = std::env::var("RZ_GARBAGE_TRIALS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(600u64);
    for trial in 0..trials {
        let len = 1 + rng.below(300);
        let mut input: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        let window_bits = [15, -15, 31, 47, 0, -9, 9][(trial % 7) as usize];
        // Valid-looking wrappers get past the header more often.
        match window_bits {
            15 | 47 | 0 if len > 2 => {
                input[0] = 0x78;
                input[1] = 0x9c;
            }
            31 if len > 10 => {
                input[..4].copy_from_slice(&[0x1f, 0x8b, 8, (rng.next_u64() & 0x1f) as u8]);
            }
            _ => {}
        }
        let run = Run {
            window_bits,
            dict: Some(b"dictionary"),
            header: window_bits == 31 || window_bits == 47,
            seed: trial,
            max_in: 1 + rng.below(64),
            max_out: 1 + rng.below(600),
        };
        differential(&input, run);
    }
}
