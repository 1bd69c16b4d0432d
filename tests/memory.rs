//! Per-stream memory: the bytes rzlib and the original zlib ask of the
//! caller's `zalloc` for the same call sequence, counted by one allocator
//! per stream. `peak` is the most bytes outstanding at once, `total` all
//! bytes requested. rzlib's peak must not exceed zlib's in any case.
//! Blocks come filled with a canary byte, as uninitialised memory might
//! be: a stream that read memory it never wrote would differ from zlib's,
//! and `touched` counts the bytes a stream changed (a short stream should
//! leave most of its blocks alone, as zlib does).
//!
//! `cargo test --release --test memory -- --nocapture` prints the tables.
#![cfg(not(feature = "drop-in"))]

mod common;

use std::alloc::Layout;
use std::cell::Cell;
use std::ffi::{c_int, c_uint, c_void};
use std::fmt::Write as _;
use std::ptr;

use common::deflate_diff::{DeflateApi, RZ_D, ZLIB_D};
use common::*;

// ---------------------------------------------------------------- counting

/// What one implementation asked of its allocator.
#[derive(Default)]
struct Tally {
    live: Cell<usize>,
    peak: Cell<usize>,
    total: Cell<usize>,
    calls: Cell<usize>,
    /// Bytes no longer the canary when their block was freed.
    touched: Cell<usize>,
}

/// Bytes in front of each block, recording its size.
const HEADER: usize = 16;

/// What every block holds when the allocator hands it out.
const CANARY: u8 = 0xA5;

unsafe extern "C" fn tally_alloc(opaque: *mut c_void, items: c_uint, size: c_uint) -> *mut c_void {
    // SAFETY: `opaque` is the `Tally` that `stream` installed; one thread uses it.
    let tally = unsafe { &*(opaque as *const Tally) };
    let Some(bytes) = (items as usize).checked_mul(size as usize) else {
        return ptr::null_mut();
    };
    let layout = Layout::from_size_align(bytes + HEADER, HEADER).unwrap();
    // SAFETY: a non-zero size; the header lies inside the block.
    unsafe {
        let base = std::alloc::alloc(layout);
        if base.is_null() {
            return ptr::null_mut();
        }
        base.cast::<usize>().write(bytes);
        ptr::write_bytes(base.add(HEADER), CANARY, bytes);
        tally.calls.set(tally.calls.get() + 1);
        tally.total.set(tally.total.get() + bytes);
        tally.live.set(tally.live.get() + bytes);
        tally.peak.set(tally.peak.get().max(tally.live.get()));
        base.add(HEADER).cast()
    }
}

unsafe extern "C" fn tally_free(opaque: *mut c_void, address: *mut c_void) {
    if address.is_null() {
        return;
    }
    // SAFETY: `address` came from `tally_alloc` with this tally.
    unsafe {
        let tally = &*(opaque as *const Tally);
        let base = address.cast::<u8>().sub(HEADER);
        let bytes = base.cast::<usize>().read();
        let block = std::slice::from_raw_parts(base.add(HEADER), bytes);
        let changed = block.iter().filter(|&&b| b != CANARY).count();
        tally.touched.set(tally.touched.get() + changed);
        tally.live.set(tally.live.get() - bytes);
        std::alloc::dealloc(
            base,
            Layout::from_size_align(bytes + HEADER, HEADER).unwrap(),
        );
    }
}

/// A fresh stream whose allocations `tally` counts.
fn stream(tally: &Tally) -> Box<z_stream> {
    Box::new(z_stream {
        next_in: ptr::null_mut(),
        avail_in: 0,
        total_in: 0,
        next_out: ptr::null_mut(),
        avail_out: 0,
        total_out: 0,
        msg: ptr::null_mut(),
        state: ptr::null_mut(),
        zalloc: tally_alloc,
        zfree: tally_free,
        opaque: tally as *const Tally as *mut c_void,
        data_type: 0,
        adler: 0,
        reserved: 0,
    })
}

/// One implementation's figures for a case.
struct Measured {
    peak: usize,
    total: usize,
    calls: usize,
    touched: usize,
}

/// Runs `case` on one implementation with a fresh tally; everything it
/// allocated must be freed by the end.
fn measure<R>(case: impl FnOnce(&Tally) -> R) -> (Measured, R) {
    let tally = Tally::default();
    let result = case(&tally);
    assert_eq!(tally.live.get(), 0, "memory left allocated");
    let measured = Measured {
        peak: tally.peak.get(),
        total: tally.total.get(),
        calls: tally.calls.get(),
        touched: tally.touched.get(),
    };
    (measured, result)
}

/// The table of one family, and the cases where rzlib's peak is above zlib's.
struct Report {
    table: String,
    over: Vec<String>,
}

impl Report {
    fn new(title: &str) -> Report {
        let mut table = format!("\n{title}\n\n");
        table.push_str(
            "| case | zlib peak | rzlib peak | zlib total | rzlib total | zalloc calls (zlib/rzlib) |\n",
        );
        table.push_str("|---|---:|---:|---:|---:|---:|\n");
        Report {
            table,
            over: Vec::new(),
        }
    }

    /// Runs `case` on both implementations, checks they agree on the
    /// result, and adds a row.
    fn case<R: PartialEq + std::fmt::Debug>(
        &mut self,
        name: &str,
        case: impl Fn(Api, &Tally) -> R,
    ) {
        let (zlib, zlib_result) = measure(|t| case(Api::ZLIB, t));
        let (rz, rz_result) = measure(|t| case(Api::RZ, t));
        assert_eq!(rz_result, zlib_result, "{name}: results differ");
        writeln!(
            self.table,
            "| {name} | {} | {} | {} | {} | {}/{} |",
            zlib.peak, rz.peak, zlib.total, rz.total, zlib.calls, rz.calls
        )
        .unwrap();
        if rz.peak > zlib.peak {
            self.over
                .push(format!("{name}: peak {} > zlib's {}", rz.peak, zlib.peak));
        }
    }

    fn finish(self) {
        println!("{}", self.table);
        assert!(self.over.is_empty(), "above zlib: {:#?}", self.over);
    }
}

/// One implementation's inflate and deflate entry points.
#[derive(Clone, Copy)]
struct Api {
    inflate: &'static Zlib,
    deflate: &'static DeflateApi,
}

impl Api {
    const ZLIB: Api = Api {
        inflate: &ZLIB,
        deflate: &ZLIB_D,
    };
    const RZ: Api = Api {
        inflate: &RZ,
        deflate: &RZ_D,
    };
}

// ---------------------------------------------------------------- data

/// `len` bytes of text-like data.
fn text(len: usize) -> Vec<u8> {
    let sample = generated().into_iter().next().unwrap();
    assert!(sample.data.len() >= len);
    sample.data[..len].to_vec()
}

// ---------------------------------------------------------------- inflate

/// How a compressed stream is fed to inflate.
#[derive(Clone)]
struct Feed {
    window_bits: c_int,
    dictionary: Option<Vec<u8>>,
    /// Input and output bytes per call (0: everything at once, with
    /// Z_FINISH).
    chunk: usize,
    /// Copy the stream with inflateCopy after this many calls and finish
    /// both.
    copy_after: Option<usize>,
}

impl Feed {
    fn whole(window_bits: c_int) -> Feed {
        Feed {
            window_bits,
            dictionary: None,
            chunk: 0,
            copy_after: None,
        }
    }

    fn chunked(window_bits: c_int, chunk: usize) -> Feed {
        Feed {
            chunk,
            ..Feed::whole(window_bits)
        }
    }
}

/// Calls inflate on stream `s`, feeding `input` as `feed` says from where
/// `next_in` is, until the stream ends (returning the last code) or
/// `calls` calls have been made (returning `None`). Output is appended to
/// `out`.
///
/// # Safety
/// `s` is an initialised inflate stream of `api` whose `next_in` points
/// into `input` with `avail_in` bytes left there.
unsafe fn pump(
    api: Api,
    s: &mut z_stream,
    input: &[u8],
    feed: &Feed,
    out: &mut Vec<u8>,
    calls: Option<usize>,
) -> Option<c_int> {
    let (flush, chunk) = match feed.chunk {
        0 => (Z_FINISH, 1 << 20),
        n => (Z_NO_FLUSH, n),
    };
    let mut buf = vec![0u8; chunk];
    for _ in 0..calls.unwrap_or(usize::MAX) {
        // SAFETY: `next_in` stays inside `input` (the caller's contract).
        let left = input.len() - unsafe { s.next_in.offset_from(input.as_ptr()) } as usize;
        if s.avail_in == 0 {
            s.avail_in = left.min(chunk) as c_uint;
        }
        s.next_out = buf.as_mut_ptr();
        s.avail_out = buf.len() as c_uint;
        // SAFETY: `next_in` and `next_out` hold `avail_in` and `avail_out` bytes.
        let ret = unsafe { (api.inflate.inflate)(s, flush) };
        out.extend_from_slice(&buf[..buf.len() - s.avail_out as usize]);
        match ret {
            Z_NEED_DICT => {
                let dict = feed.dictionary.as_ref().expect("a dictionary");
                // SAFETY: the dictionary holds `len` bytes.
                let ret = unsafe {
                    (api.inflate.inflateSetDictionary)(s, dict.as_ptr(), dict.len() as c_uint)
                };
                assert_eq!(ret, Z_OK, "inflateSetDictionary");
            }
            // Z_OK means progress; Z_BUF_ERROR, that more input is due.
            Z_OK => {}
            Z_BUF_ERROR if left != 0 => {}
            _ => return Some(ret),
        }
    }
    None
}

/// Inflates `input` as `feed` says; returns the last code and the output.
/// With `feed.copy_after`, the stream is copied after that many calls and
/// the copy inflated to the end (its output must be the same) before the
/// original goes on, so both are allocated at once.
fn inflate_case(api: Api, tally: &Tally, input: &[u8], feed: &Feed) -> (c_int, Vec<u8>) {
    let mut s = stream(tally);
    let mut out = Vec::new();
    // SAFETY: fresh streams; `next_in` points into `input`, and every
    // buffer outlives the calls that use it.
    unsafe {
        let ret =
            (api.inflate.inflateInit2_)(&mut *s, feed.window_bits, VERSION.as_ptr(), STREAM_SIZE);
        assert_eq!(ret, Z_OK, "inflateInit2_");
        if let (true, Some(dict)) = (feed.window_bits < 0, &feed.dictionary) {
            // A raw stream takes its dictionary before any input.
            let ret = (api.inflate.inflateSetDictionary)(&mut *s, dict.as_ptr(), dict.len() as _);
            assert_eq!(ret, Z_OK, "inflateSetDictionary (raw)");
        }
        s.next_in = input.as_ptr() as *mut u8;
        s.avail_in = 0;
        let mut copy = None;
        if let Some(calls) = feed.copy_after {
            assert_eq!(pump(api, &mut s, input, feed, &mut out, Some(calls)), None);
            let mut dup = stream(tally);
            assert_eq!((api.inflate.inflateCopy)(&mut *dup, &mut *s), Z_OK);
            let mut dup_out = out.clone();
            let dup_ret = pump(api, &mut dup, input, feed, &mut dup_out, None);
            assert_eq!((api.inflate.inflateEnd)(&mut *dup), Z_OK);
            copy = Some((dup_ret, dup_out));
        }
        let ret = pump(api, &mut s, input, feed, &mut out, None);
        assert_eq!((api.inflate.inflateEnd)(&mut *s), Z_OK);
        if let Some(copy) = copy {
            assert_eq!(copy, (ret, out.clone()), "the copy ends as the original");
        }
        (ret.expect("the stream ends"), out)
    }
}

/// The input of an inflateBack run: all of it at once.
struct BackInput {
    data: Vec<u8>,
    given: bool,
}

unsafe extern "C" fn back_in(desc: *mut c_void, buf: *mut *mut u8) -> c_uint {
    // SAFETY: `desc` is the `BackInput` passed to inflateBack.
    let input = unsafe { &mut *(desc as *mut BackInput) };
    if input.given {
        return 0;
    }
    input.given = true;
    // SAFETY: `buf` is inflateBack's pointer to fill.
    unsafe { *buf = input.data.as_mut_ptr() };
    input.data.len() as c_uint
}

unsafe extern "C" fn back_out(desc: *mut c_void, buf: *mut u8, len: c_uint) -> c_int {
    // SAFETY: `desc` is the output vector; `buf` holds `len` bytes.
    unsafe {
        let out = &mut *(desc as *mut Vec<u8>);
        out.extend_from_slice(std::slice::from_raw_parts(buf, len as usize));
    }
    0
}

/// inflateBack on a raw stream with a caller's window of `1 << window_bits`.
fn inflate_back_case(
    api: Api,
    tally: &Tally,
    input: &[u8],
    window_bits: c_int,
) -> (c_int, Vec<u8>) {
    let mut s = stream(tally);
    let mut window = vec![0u8; 1 << window_bits];
    let mut source = BackInput {
        data: input.to_vec(),
        given: false,
    };
    let mut out = Vec::new();
    // SAFETY: a fresh stream; the window, input and output outlive it.
    unsafe {
        let ret = (api.inflate.inflateBackInit_)(
            &mut *s,
            window_bits,
            window.as_mut_ptr(),
            VERSION.as_ptr(),
            STREAM_SIZE,
        );
        assert_eq!(ret, Z_OK, "inflateBackInit_");
        let ret = (api.inflate.inflateBack)(
            &mut *s,
            Some(back_in),
            &mut source as *mut BackInput as *mut c_void,
            Some(back_out),
            &mut out as *mut Vec<u8> as *mut c_void,
        );
        assert_eq!((api.inflate.inflateBackEnd)(&mut *s), Z_OK);
        (ret, out)
    }
}

#[test]
fn inflate_memory_is_at_most_zlibs() {
    let small = text(1000);
    let large = text(100_000);
    let dictionary = text(20_000)[10_000..].to_vec();
    let params = |level, window_bits, strategy| Deflate::new(level, window_bits, strategy);
    let stored = params(0, 15, Z_DEFAULT_STRATEGY);
    let fixed = params(6, 15, Z_FIXED);
    let dynamic = params(6, 15, Z_DEFAULT_STRATEGY);
    let gzip = params(6, 31, Z_DEFAULT_STRATEGY);
    let raw = params(6, -15, Z_DEFAULT_STRATEGY);
    let raw9 = params(6, -9, Z_DEFAULT_STRATEGY);
    let zlib_dict = Deflate {
        dictionary: Some(dictionary.clone()),
        ..dynamic.clone()
    };
    let raw_dict = Deflate {
        dictionary: Some(dictionary.clone()),
        ..raw.clone()
    };
    // Everything in one inflate call with Z_FINISH, or 4 KB at a time.
    let whole = Feed::whole;
    let chunks = |window_bits| Feed::chunked(window_bits, 4096);
    let with_dict = |feed: Feed| Feed {
        dictionary: Some(dictionary.clone()),
        ..feed
    };
    let copied = |feed: Feed, after| Feed {
        copy_after: Some(after),
        ..feed
    };
    let cases = [
        ("zlib, stored, 1 KB, one call", &small, &stored, whole(15)),
        ("zlib, fixed, 1 KB, one call", &small, &fixed, whole(15)),
        ("zlib, dynamic, 1 KB, one call", &small, &dynamic, whole(15)),
        (
            "zlib, dynamic, 100 KB, one call",
            &large,
            &dynamic,
            whole(15),
        ),
        (
            "zlib, stored, 100 KB, 4 KB calls",
            &large,
            &stored,
            chunks(15),
        ),
        (
            "zlib, fixed, 100 KB, 4 KB calls",
            &large,
            &fixed,
            chunks(15),
        ),
        (
            "zlib, dynamic, 1 KB, 100 B calls",
            &small,
            &dynamic,
            Feed::chunked(15, 100),
        ),
        (
            "zlib, dynamic, 100 KB, 4 KB calls",
            &large,
            &dynamic,
            chunks(15),
        ),
        (
            "zlib (auto-detected), 100 KB, 4 KB calls",
            &large,
            &dynamic,
            chunks(47),
        ),
        (
            "zlib (windowBits 0), 100 KB, 4 KB calls",
            &large,
            &dynamic,
            chunks(0),
        ),
        ("gzip, dynamic, 1 KB, one call", &small, &gzip, whole(31)),
        (
            "gzip, dynamic, 100 KB, 4 KB calls",
            &large,
            &gzip,
            chunks(31),
        ),
        ("raw, dynamic, 1 KB, one call", &small, &raw, whole(-15)),
        (
            "raw, 512 B window, 100 KB, 4 KB calls",
            &large,
            &raw9,
            chunks(-9),
        ),
        (
            "zlib, dictionary, 1 KB, one call",
            &small,
            &zlib_dict,
            with_dict(whole(15)),
        ),
        (
            "zlib, dictionary, 100 KB, 4 KB calls",
            &large,
            &zlib_dict,
            with_dict(chunks(15)),
        ),
        (
            "raw, dictionary, 100 KB, 4 KB calls",
            &large,
            &raw_dict,
            with_dict(chunks(-15)),
        ),
        (
            "inflateCopy before any output",
            &small,
            &dynamic,
            copied(Feed::chunked(15, 1), 1),
        ),
        (
            "inflateCopy mid-stream, 100 KB",
            &large,
            &dynamic,
            copied(chunks(15), 5),
        ),
        (
            "inflateCopy mid-stream, 512 B window",
            &large,
            &raw9,
            copied(chunks(-9), 5),
        ),
    ];
    let mut report = Report::new("inflate: bytes requested through zalloc");
    for (name, data, deflate, feed) in cases {
        let input = common::deflate(data, deflate);
        report.case(name, |api, tally| {
            let (ret, out) = inflate_case(api, tally, &input, &feed);
            assert_eq!(&out, data, "{name}: output");
            ret
        });
    }
    for (name, data, strategy) in [
        ("inflateBack, fixed, 1 KB", &small, Z_FIXED),
        ("inflateBack, dynamic, 100 KB", &large, Z_DEFAULT_STRATEGY),
    ] {
        let input = common::deflate(data, &params(6, -15, strategy));
        report.case(name, |api, tally| {
            let (ret, out) = inflate_back_case(api, tally, &input, 15);
            assert_eq!(&out, data, "{name}: output");
            ret
        });
    }
    report.finish();
}

// ---------------------------------------------------------------- deflate

/// Compresses `data` in 4 KB pieces at the given parameters; with `copy`,
/// copies the stream halfway with deflateCopy and finishes both.
fn deflate_case(
    api: Api,
    tally: &Tally,
    data: &[u8],
    (level, window_bits, mem_level): (c_int, c_int, c_int),
    copy: bool,
) -> Vec<Vec<u8>> {
    let d = api.deflate;
    let mut s = stream(tally);
    let mut outputs = Vec::new();
    // SAFETY: a fresh stream; the buffers outlive the calls that use them.
    unsafe {
        let ret = d.deflate_init2(&mut *s, level, window_bits, mem_level, Z_DEFAULT_STRATEGY);
        assert_eq!(ret, Z_OK, "deflateInit2_");
        let mut out = vec![0u8; (d.deflateBound)(&mut *s, data.len() as _) as usize];
        let finish = |s: &mut z_stream, out: &mut Vec<u8>, from: usize| {
            let mut pos = from;
            loop {
                let end = (pos + 4096).min(data.len());
                s.next_in = data.as_ptr().add(pos) as *mut u8;
                s.avail_in = (end - pos) as c_uint;
                let flush = if end == data.len() {
                    Z_FINISH
                } else {
                    Z_NO_FLUSH
                };
                s.next_out = out.as_mut_ptr().add(s.total_out as usize);
                s.avail_out = (out.len() - s.total_out as usize) as c_uint;
                let ret = (d.deflate)(s, flush);
                pos = end;
                if flush == Z_FINISH {
                    assert_eq!(ret, Z_STREAM_END);
                    out.truncate(s.total_out as usize);
                    return;
                }
                assert_eq!(ret, Z_OK);
            }
        };
        let half = data.len() / 2;
        let mut pos = 0;
        while pos < half {
            let end = (pos + 4096).min(half);
            s.next_in = data.as_ptr().add(pos) as *mut u8;
            s.avail_in = (end - pos) as c_uint;
            s.next_out = out.as_mut_ptr().add(s.total_out as usize);
            s.avail_out = (out.len() - s.total_out as usize) as c_uint;
            assert_eq!((d.deflate)(&mut *s, Z_NO_FLUSH), Z_OK);
            pos = end;
        }
        if copy {
            let mut dup = stream(tally);
            assert_eq!((d.deflateCopy)(&mut *dup, &mut *s), Z_OK, "deflateCopy");
            let mut dup_out = out.clone();
            finish(&mut dup, &mut dup_out, half);
            assert_eq!((d.deflateEnd)(&mut *dup), Z_OK);
            outputs.push(dup_out);
        }
        finish(&mut s, &mut out, half);
        assert_eq!((d.deflateEnd)(&mut *s), Z_OK);
        outputs.push(out);
    }
    outputs
}

#[test]
fn deflate_memory_is_at_most_zlibs() {
    let data = text(100_000);
    let mut report = Report::new("deflate: bytes requested through zalloc (100 KB in 4 KB pieces)");
    for copy in [false, true] {
        for level in [1, 6, 9] {
            for window_bits in [15, 9] {
                for mem_level in [8, 1] {
                    let name = format!(
                        "level {level}, windowBits {window_bits}, memLevel {mem_level}{}",
                        if copy { ", deflateCopy" } else { "" }
                    );
                    let params = (level, window_bits, mem_level);
                    report.case(&name, |api, tally| {
                        deflate_case(api, tally, &data, params, copy)
                    });
                }
            }
        }
    }
    report.finish();
}

/// Short streams through a caller's allocator, whose memory rzlib makes
/// usable only as the stream reaches it (the window, `prev` and the
/// pending buffer; see `Deflater::grow_window`): around the sizes where it
/// grows them, in every window and memLevel shape, with a copy mid-stream,
/// the output is zlib's, although the blocks hold the canary and not zeros.
#[test]
fn deflate_on_memory_never_zeroed_matches_zlib() {
    let data = text(100_000);
    for len in [0, 1, 100, 1500, 3500, 4200, 20_000, 70_000] {
        for level in [0, 1, 6, 9] {
            for (window_bits, mem_level) in [(15, 8), (9, 1), (12, 9), (-15, 8), (31, 8)] {
                for copy in [false, true] {
                    let params = (level, window_bits, mem_level);
                    let [(_, ours), (_, theirs)] = [Api::RZ, Api::ZLIB]
                        .map(|api| measure(|t| deflate_case(api, t, &data[..len], params, copy)));
                    assert_eq!(ours, theirs, "{len} bytes, {params:?}, copy {copy}");
                }
            }
        }
    }
}

/// A one-shot stream of 100 bytes changes little more of its caller's
/// memory than zlib does (zlib: the hash heads, its state and a few
/// hundred bytes of each buffer). Zeroing all 256 KiB up front made such
/// calls several times slower than zlib's wherever the allocator hands
/// out fresh pages (Python's zlib.compress on a heap that glibc trims).
#[test]
fn short_deflate_stream_touches_little_memory() {
    let data = text(100);
    let mut report = String::from("| level | zlib touched | rzlib touched |\n|---|---:|---:|\n");
    for level in [1, 6, 9] {
        let params = (level, 15, 8);
        let [(ours, _), (theirs, _)] =
            [Api::RZ, Api::ZLIB].map(|api| measure(|t| deflate_case(api, t, &data, params, false)));
        writeln!(
            report,
            "| {level} | {} | {} |",
            theirs.touched, ours.touched
        )
        .unwrap();
        // Beyond zlib's: the pending buffer below the symbols, zeroed as
        // the symbols are reached (16 KiB at memLevel 8), and margins.
        assert!(
            ours.touched <= theirs.touched + 24 * 1024,
            "level {level}: rzlib touched {} bytes, zlib {}",
            ours.touched,
            theirs.touched
        );
    }
    println!("{report}");
}
