//! Differential tests of rzlib's inflateBack exports against zlib's
//! (libz-sys, linked statically): the same raw deflate streams, the same
//! input chunking and the same callback failures on both, comparing the
//! return code, `msg`, every in() and out() call in order (with the bytes
//! out() received), `next_in`/`avail_in` and `next_out`/`avail_out` at
//! return, and the window contents.
#![cfg(not(feature = "drop-in"))]
#![allow(clippy::missing_safety_doc)]

mod common;

use std::ffi::{c_char, c_int, c_uint, c_void};
use std::ptr;

use common::*;
use rzlib::c_api::inflate as rz_inflate;
use rzlib::c_api::inflate_back as rz;

/// One callback call, as the descriptor saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Event {
    /// in() returned this many bytes.
    In(usize),
    /// out() received these bytes.
    Out(Vec<u8>),
}

/// How one run feeds input and takes output.
#[derive(Clone)]
struct Plan {
    /// Bytes handed over through next_in/avail_in before the first in().
    initial: usize,
    /// next_in is NULL (with `initial` as avail_in, which must be ignored).
    null_next_in: bool,
    /// in() returns between 1 and this many bytes.
    max_chunk: usize,
    seed: u64,
    /// The in() call (1-based) that fails.
    fail_in: Option<usize>,
    /// The out() call (1-based) that fails.
    fail_out: Option<usize>,
    /// out() adds one to every byte it is handed (zlib's out() gets a
    /// writable window, and later distances read what it left there).
    scribble: bool,
    window_bits: c_int,
}

impl Plan {
    fn new(window_bits: c_int, max_chunk: usize, seed: u64) -> Plan {
        Plan {
            initial: 0,
            null_next_in: false,
            max_chunk,
            seed,
            fail_in: None,
            fail_out: None,
            scribble: false,
            window_bits,
        }
    }
}

/// The descriptor both callbacks receive.
struct Io<'a> {
    data: &'a [u8],
    at: usize,
    rng: Rng,
    plan: Plan,
    in_calls: usize,
    out_calls: usize,
    events: Vec<Event>,
}

impl Io<'_> {
    fn pull(&mut self, buf: &mut *mut u8) -> c_uint {
        self.in_calls += 1;
        if self.plan.fail_in == Some(self.in_calls) {
            self.events.push(Event::In(0));
            return 0;
        }
        let left = self.data.len() - self.at;
        let n = left.min(1 + self.rng.below(self.plan.max_chunk));
        *buf = self.data[self.at..].as_ptr().cast_mut();
        self.at += n;
        self.events.push(Event::In(n));
        n as c_uint
    }

    fn push(&mut self, buf: *mut u8, len: c_uint) -> c_int {
        self.out_calls += 1;
        // SAFETY: out() gets `len` writable bytes.
        let bytes = unsafe { std::slice::from_raw_parts_mut(buf, len as usize) };
        self.events.push(Event::Out(bytes.to_vec()));
        if self.plan.scribble {
            bytes.iter_mut().for_each(|b| *b = b.wrapping_add(1));
        }
        c_int::from(self.plan.fail_out == Some(self.out_calls))
    }
}

/// in() for both implementations: `desc` is the run's [`Io`].
unsafe extern "C" fn pull_input(desc: *mut c_void, buf: *mut *mut u8) -> c_uint {
    // SAFETY: `desc` is the `Io` of the running call, `buf` is valid.
    unsafe { (*desc.cast::<Io>()).pull(&mut *buf) }
}

/// out() for both implementations: `desc` is the run's [`Io`].
unsafe extern "C" fn push_output(desc: *mut c_void, buf: *mut u8, len: c_uint) -> c_int {
    // SAFETY: `desc` is the `Io` of the running call.
    unsafe { (*desc.cast::<Io>()).push(buf, len) }
}

/// Everything observable after one inflateBack call.
#[derive(Debug, PartialEq, Eq)]
struct Observed {
    ret: c_int,
    msg: Option<String>,
    /// next_in as an offset into the input, or None for NULL.
    next_in: Option<usize>,
    avail_in: c_uint,
    /// next_out as an offset into the window, or None if untouched.
    next_out: Option<usize>,
    avail_out: c_uint,
    events: Vec<Event>,
    window: Vec<u8>,
}

/// A window with recognisable contents, the same on both sides (zlib's
/// fast loop can read window bytes it has not written).
fn fresh_window(bits: c_int) -> Vec<u8> {
    (0..1usize << bits).map(|i| (i * 7 + 3) as u8).collect()
}

const STALE: *mut c_char = c"stale".as_ptr() as *mut c_char;

impl<'a> Io<'a> {
    fn new(data: &'a [u8], plan: &Plan) -> Io<'a> {
        Io {
            data,
            at: if plan.null_next_in { 0 } else { plan.initial },
            rng: Rng::new(plan.seed),
            plan: plan.clone(),
            in_calls: 0,
            out_calls: 0,
            events: Vec::new(),
        }
    }
}

/// One whole inflateBack run of `z` over `input` as `plan` says; checks
/// that the run freed everything it allocated.
fn run(z: &Zlib, input: &[u8], plan: &Plan) -> Observed {
    let mut window = fresh_window(plan.window_bits);
    let mut io = Io::new(input, plan);
    let counter = Counter::new(false);
    let mut strm = new_stream(&counter);
    let s: *mut z_stream = &mut *strm;
    // SAFETY: a fresh stream; the window and input outlive the calls.
    let ret = unsafe {
        let ret = (z.inflateBackInit_)(
            s,
            plan.window_bits,
            window.as_mut_ptr(),
            VERSION.as_ptr(),
            STREAM_SIZE,
        );
        assert_eq!(ret, Z_OK, "{} inflateBackInit_", z.name);
        strm.next_in = if plan.null_next_in {
            ptr::null_mut()
        } else {
            input.as_ptr().cast_mut()
        };
        strm.avail_in = plan.initial as c_uint;
        strm.msg = STALE;
        let desc = ptr::addr_of_mut!(io).cast();
        (z.inflateBack)(s, Some(pull_input), desc, Some(push_output), desc)
    };
    let base = window.as_ptr() as usize;
    let seen = Observed {
        ret,
        msg: msg_of(strm.msg),
        next_in: (!strm.next_in.is_null()).then(|| strm.next_in as usize - input.as_ptr() as usize),
        avail_in: strm.avail_in,
        next_out: (!strm.next_out.is_null()).then(|| strm.next_out as usize - base),
        avail_out: strm.avail_out,
        events: io.events,
        window,
    };
    // SAFETY: the stream inflateBackInit_ opened.
    assert_eq!(
        unsafe { (z.inflateBackEnd)(s) },
        Z_OK,
        "{} inflateBackEnd",
        z.name
    );
    assert_eq!(counter.live(), 0, "{} leaked", z.name);
    seen
}

/// Runs both and compares; returns zlib's observation.
fn same(input: &[u8], plan: &Plan, what: &str) -> Observed {
    let zlib = run(&ZLIB, input, plan);
    let ours = run(&RZ, input, plan);
    if zlib != ours {
        let brief = |o: &Observed| {
            (
                o.ret,
                o.msg.clone(),
                o.next_in,
                o.avail_in,
                o.next_out,
                o.avail_out,
                o.events.len(),
            )
        };
        let first_diff = zlib
            .events
            .iter()
            .zip(&ours.events)
            .position(|(a, b)| a != b);
        // Within an out() call: the first byte that differs.
        let first_byte = first_diff.and_then(|i| match (&zlib.events[i], &ours.events[i]) {
            (Event::Out(a), Event::Out(b)) => a.iter().zip(b).position(|(x, y)| x != y),
            _ => None,
        });
        panic!(
            "{what}: window {} chunk {} seed {}: zlib {:?} rz {:?}; first differing event {:?} (byte {:?}); windows equal {}",
            plan.window_bits,
            plan.max_chunk,
            plan.seed,
            brief(&zlib),
            brief(&ours),
            first_diff,
            first_byte,
            zlib.window == ours.window
        );
    }
    zlib
}

/// Test inputs: a few corpus files (when ../shared/corpus exists) and the
/// generated data, each cut to 100 000 bytes.
fn samples() -> Vec<Sample> {
    chosen_samples(
        &[
            "canterbury/alice29.txt",
            "canterbury/kennedy.xls",
            "canterbury/ptt5",
            "silesia/xml",
        ],
        100_000,
    )
}

/// (level, strategy) pairs: default, filtered, Huffman only, RLE, fixed, stored.
const SETTINGS: [(c_int, c_int); 6] = [(6, 0), (1, 0), (9, 1), (6, 2), (6, 3), (6, 4)];

#[test]
fn valid_streams_match_zlib_for_every_window() {
    let mut seed = 1;
    for Sample { name, data } in samples() {
        for (level, strategy) in SETTINGS.iter().copied().chain([(0, 0)]) {
            for compress_bits in [9, 12, 15] {
                let packed = raw_deflate(&data, level, compress_bits, strategy);
                for window_bits in 8..=15 {
                    for max_chunk in [1 + (seed as usize % 13), 4096] {
                        seed += 1;
                        let plan = Plan::new(window_bits, max_chunk, seed);
                        let what = format!(
                            "{name} level {level} strategy {strategy} bits {compress_bits}"
                        );
                        let seen = same(&packed, &plan, &what);
                        if window_bits >= compress_bits.max(9) {
                            assert_eq!(seen.ret, 1, "{what}: window {window_bits}");
                            let output: Vec<u8> = seen
                                .events
                                .iter()
                                .flat_map(|e| match e {
                                    Event::Out(bytes) => bytes.clone(),
                                    Event::In(_) => Vec::new(),
                                })
                                .collect();
                            assert!(output == data, "{what}: window {window_bits}");
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn initial_input_and_trailing_data_match_zlib() {
    let data = samples().swap_remove(0).data;
    let mut packed = raw_deflate(&data[..data.len().min(30_000)], 6, 15, 0);
    packed.extend_from_slice(b"trailing bytes after the stream");
    for initial in [0, 1, 5, 6, 100, packed.len() / 2, packed.len()] {
        for null_next_in in [false, true] {
            for max_chunk in [1, 9, 1000] {
                let mut plan = Plan::new(15, max_chunk, initial as u64 + 3);
                plan.initial = initial;
                plan.null_next_in = null_next_in;
                let seen = same(&packed, &plan, &format!("initial {initial}"));
                assert_eq!(seen.ret, 1);
            }
        }
    }
}

#[test]
fn callback_failures_match_zlib() {
    let data = samples().swap_remove(0).data;
    for (window_bits, len) in [(15, 70_000), (9, 3_000), (8, 600)] {
        let packed = raw_deflate(&data[..data.len().min(len)], 6, window_bits.max(9), 3);
        let whole = run(&ZLIB, &packed, &Plan::new(window_bits, 200, 5));
        let count = |f: fn(&Event) -> bool| whole.events.iter().filter(|e| f(e)).count();
        let in_calls = count(|e| matches!(e, Event::In(_)));
        let out_calls = count(|e| matches!(e, Event::Out(_)));
        assert!(out_calls >= 2, "the test wants several window fills");
        for k in 1..=in_calls + 1 {
            let mut plan = Plan::new(window_bits, 200, 5);
            plan.fail_in = Some(k);
            let seen = same(&packed, &plan, &format!("in() fails at call {k}"));
            if k <= in_calls {
                assert_eq!((seen.ret, seen.next_in), (-5, None));
            }
        }
        for k in 1..=out_calls {
            let mut plan = Plan::new(window_bits, 200, 5);
            plan.fail_out = Some(k);
            let seen = same(&packed, &plan, &format!("out() fails at call {k}"));
            // The last out() comes after the end of the stream.
            assert_eq!(seen.ret, -5);
        }
    }
}

#[test]
fn corrupt_streams_match_zlib() {
    // `RZ_BACK_SEED` and `RZ_BACK_TRIALS` make a longer random run.
    let seed = std::env::var("RZ_BACK_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed);
    let mut rng = Rng::new(seed);
    let samples = samples();
    let trials: usize = std::env::var("RZ_BACK_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let mut codes = std::collections::BTreeMap::new();
    for trial in 0..trials {
        let Sample { name, data } = &samples[trial % samples.len()];
        let start = rng.below(data.len());
        let piece = &data[start..data.len().min(start + 1 + rng.below(20_000))];
        let (level, strategy) = SETTINGS[rng.below(SETTINGS.len())];
        let compress_bits = 9 + rng.below(7) as c_int;
        let mut packed = raw_deflate(piece, level, compress_bits, strategy);
        match rng.below(4) {
            0 => {
                // Flip a few bits.
                for _ in 0..1 + rng.below(3) {
                    let at = rng.below(packed.len());
                    packed[at] ^= 1 << rng.below(8);
                }
            }
            1 => packed.truncate(rng.below(packed.len())),
            2 => {
                let at = rng.below(packed.len());
                for byte in &mut packed[at..] {
                    *byte = rng.next_u64() as u8;
                }
            }
            _ => {
                packed = (0..1 + rng.below(64))
                    .map(|_| rng.next_u64() as u8)
                    .collect();
            }
        }
        let window_bits = 8 + rng.below(8) as c_int;
        let max_chunk = [1, 3, 7, 64, 5000][rng.below(5)];
        let mut plan = Plan::new(window_bits, max_chunk, rng.next_u64());
        plan.initial = rng.below(packed.len() + 1) % 16;
        let seen = same(&packed, &plan, &format!("trial {trial} on {name}"));
        *codes.entry((seen.ret, seen.msg)).or_insert(0) += 1;
    }
    eprintln!("outcomes: {codes:?}");
}

/// Distances beyond the window: zlib's fast loop and its one-at-a-time
/// path disagree on which are too far; both must be followed.
#[test]
fn too_far_distances_match_zlib() {
    let mut rng = Rng::new(77);
    // Text with repeats at all distances up to 32K.
    let mut data = Vec::new();
    while data.len() < 120_000 {
        if data.len() > 300 && rng.below(3) == 0 {
            let back = 1 + rng.below(data.len().min(32_000));
            let len = 3 + rng.below(200);
            let from = data.len() - back;
            for i in 0..len {
                data.push(data[from + i]);
            }
        } else {
            data.push(b'a' + rng.below(26) as u8);
        }
    }
    let packed = raw_deflate(&data, 9, 15, 0);
    let mut messages = std::collections::BTreeSet::new();
    for window_bits in 8..=14 {
        for max_chunk in [1, 5, 6, 7, 20, 300, 70_000] {
            for seed in 0..4 {
                let plan = Plan::new(window_bits, max_chunk, seed);
                let seen = same(&packed, &plan, "too far");
                messages.insert((seen.ret, seen.msg));
            }
        }
    }
    assert!(messages.contains(&(-3, Some("invalid distance too far back".into()))));
}

#[test]
fn output_callback_writing_the_window_matches_zlib() {
    let data = samples().swap_remove(0).data;
    let data = &data[..data.len().min(40_000)];
    for window_bits in [9, 11, 15] {
        let packed = raw_deflate(data, 6, window_bits, 0);
        for max_chunk in [3, 4096] {
            let mut plan = Plan::new(window_bits, max_chunk, 11);
            plan.scribble = true;
            let seen = same(&packed, &plan, "scribbling out()");
            assert_eq!(seen.ret, 1);
        }
    }
}

/// One timed decode of a large input on each side (run with `--ignored`).
#[test]
#[ignore]
fn throughput_against_zlib() {
    let xml =
        corpus(usize::MAX).and_then(|files| files.into_iter().find(|s| s.name == "silesia/xml"));
    let data = xml.map_or_else(
        || {
            eprintln!("test data: no silesia/xml; the generated data joined instead");
            generated().into_iter().flat_map(|s| s.data).collect()
        },
        |s| s.data,
    );
    let packed = raw_deflate(&data, 6, 15, 0);
    let plan = Plan::new(15, 1 << 16, 1);
    let time = |f: &dyn Fn() -> Observed| {
        let start = std::time::Instant::now();
        let seen = f();
        assert_eq!(seen.ret, 1);
        start.elapsed().as_secs_f64()
    };
    let zlib = time(&|| run(&ZLIB, &packed, &plan));
    let ours = time(&|| run(&RZ, &packed, &plan));
    let mib = data.len() as f64 / (1 << 20) as f64;
    eprintln!(
        "inflateBack of {mib:.1} MiB: zlib {:.0} MiB/s, rzlib {:.0} MiB/s (ratio {:.2})",
        mib / zlib,
        mib / ours,
        zlib / ours
    );
}

/// A last dynamic block (HLIT 257, HDIST 1, HCLEN 4) whose code-length code
/// has no codes: zlib reads every length as 0, one bit each, and fails on
/// the missing end-of-block code.
const NO_CODE_LENGTH_CODES: [u8; 41] = {
    let mut stream = [0; 41];
    stream[0] = 0x05;
    stream
};

#[test]
fn hand_made_streams_match_zlib() {
    let streams: &[(&str, &[u8])] = &[
        (
            "stored hello",
            &[0x01, 0x05, 0x00, 0xfa, 0xff, b'h', b'e', b'l', b'l', b'o'],
        ),
        ("bad stored lengths", &[0x01, 0x05, 0x00, 0xfa, 0xfe, b'h']),
        ("block type 3", &[0x07]),
        ("fixed empty", &[0x03, 0x00]),
        ("two blocks", &[0x02, 0x00, 0x03, 0x00]),
        ("too many symbols", &[0xfc, 0xff, 0xff]),
        ("distance before start", &[0x63, 0x00, 0x03]),
        ("invalid fixed distance code", &[0x63, 0x00, 0xf8, 0x0f]),
        ("invalid fixed literal code", &[0x03, 0x0c]),
        ("code-length code without codes", &NO_CODE_LENGTH_CODES),
        ("empty", &[]),
    ];
    for (what, stream) in streams {
        for window_bits in [8, 15] {
            for max_chunk in [1, 100] {
                same(stream, &Plan::new(window_bits, max_chunk, 9), what);
            }
        }
    }
}

/// An rzlib stream (default allocators) opened by `inflateBackInit_` with a
/// 32K `window`, which must outlive it.
fn rz_back_stream(window: &mut [u8]) -> Box<RzStream> {
    assert!(window.len() >= 1 << 15);
    let mut s = rz_stream();
    // SAFETY: a fresh stream; the window has 1 << 15 bytes.
    let ret = unsafe { rz::inflateBackInit_(&mut *s, 15, window.as_mut_ptr(), c"1".as_ptr(), 112) };
    assert_eq!(ret, 0);
    s
}

#[test]
fn a_state_is_reused_across_calls() {
    let packed = raw_deflate(b"hello hello hello hello", 6, 15, 0);
    let mut window = vec![0u8; 1 << 15];
    let mut s = rz_back_stream(&mut window);
    // SAFETY: one stream, its window and input live through the calls.
    unsafe {
        for _ in 0..3 {
            let mut io = Io::new(&packed, &Plan::new(15, 4, 1));
            let desc = ptr::addr_of_mut!(io).cast();
            assert_eq!(
                rz::inflateBack(&mut *s, Some(pull_input), desc, Some(push_output), desc),
                1
            );
            assert_eq!(
                io.events.last(),
                Some(&Event::Out(b"hello hello hello hello".to_vec()))
            );
        }
        assert_eq!(rz::inflateBackEnd(&mut *s), 0);
        assert_eq!(rz::inflateBackEnd(&mut *s), -2);
    }
}

#[test]
fn bad_arguments_are_refused_like_zlib() {
    let mut window = vec![0u8; 1 << 15];
    let w = window.as_mut_ptr();
    let size = STREAM_SIZE;
    // SAFETY: every pointer passed is NULL or valid.
    unsafe {
        for (bits, win, version, stream_size) in [
            (7, w, VERSION.as_ptr(), size),
            (16, w, VERSION.as_ptr(), size),
            (15, ptr::null_mut(), VERSION.as_ptr(), size),
            (15, w, c"2.0".as_ptr(), size),
            (15, w, ptr::null(), size),
            (15, w, VERSION.as_ptr(), size - 8),
            (8, w, c"1".as_ptr(), size),
        ] {
            let mut zs = plain_stream();
            let mut ours = rz_stream();
            let expected = (ZLIB.inflateBackInit_)(&mut *zs, bits, win, version, stream_size);
            let got = rz::inflateBackInit_(&mut *ours, bits, win, version, stream_size);
            assert_eq!(got, expected, "bits {bits}");
            if expected == 0 {
                assert!(ours.zalloc.is_some() && ours.zfree.is_some() && ours.msg.is_null());
                assert_eq!((ZLIB.inflateBackEnd)(&mut *zs), 0);
                assert_eq!(rz::inflateBackEnd(&mut *ours), 0);
            }
        }
        assert_eq!(
            rz::inflateBackInit_(ptr::null_mut(), 15, w, c"1".as_ptr(), size),
            (ZLIB.inflateBackInit_)(ptr::null_mut(), 15, w, c"1".as_ptr(), size)
        );
        assert_eq!(rz::inflateBackEnd(ptr::null_mut()), -2);
        // inflateBack with working callbacks and no descriptor (never reached).
        let back = |s: *mut RzStream| {
            rz::inflateBack(
                s,
                Some(pull_input),
                ptr::null_mut(),
                Some(push_output),
                ptr::null_mut(),
            )
        };
        assert_eq!(back(ptr::null_mut()), -2);
        // A stream without a state, and one with an inflate (not inflateBack) state.
        let mut s = rz_stream();
        assert_eq!(back(&mut *s), -2);
        assert_eq!(rz::inflateBackEnd(&mut *s), -2);
        assert_eq!(
            rz_inflate::inflateInit2_(&mut *s, -15, c"1".as_ptr(), size),
            0
        );
        assert_eq!(back(&mut *s), -2);
        assert_eq!(rz::inflateBackEnd(&mut *s), -2);
        assert_eq!(rz_inflate::inflateEnd(&mut *s), 0);
        // An inflateBack state is not an inflate state either.
        assert_eq!(rz::inflateBackInit_(&mut *s, 15, w, c"1".as_ptr(), size), 0);
        assert_eq!(rz_inflate::inflateEnd(&mut *s), -2);
        // A copied stream does not own the state.
        let mut copy = rz_stream();
        ptr::copy_nonoverlapping(&*s, &mut *copy, 1);
        assert_eq!(rz::inflateBackEnd(&mut *copy), -2);
        assert_eq!(rz::inflateBackEnd(&mut *s), 0);
    }
}

#[test]
fn null_callbacks_fail_without_crashing() {
    let packed = raw_deflate(b"some data some data some data", 6, 15, 0);
    let mut window = vec![0u8; 1 << 15];
    let mut s = rz_back_stream(&mut window);
    // SAFETY: one stream; its window and input live through the calls.
    unsafe {
        // All input at hand: a NULL in() is never needed, a NULL out() fails.
        s.next_in = packed.as_ptr().cast_mut();
        s.avail_in = packed.len() as c_uint;
        assert_eq!(
            rz::inflateBack(&mut *s, None, ptr::null_mut(), None, ptr::null_mut()),
            -5
        );
        assert!(!s.next_in.is_null());
        // No input and no in(): end of input.
        s.next_in = ptr::null_mut();
        assert_eq!(
            rz::inflateBack(&mut *s, None, ptr::null_mut(), None, ptr::null_mut()),
            -5
        );
        assert!(s.next_in.is_null());
        assert_eq!(rz::inflateBackEnd(&mut *s), 0);
    }
}

/// Large input chunks, where the fast loop runs long stretches far from
/// both ends before it must stop where zlib's stops: valid and corrupt
/// streams, with chunk sizes and window sizes drawn at random.
#[test]
fn large_chunks_match_zlib() {
    let mut rng = Rng::new(0xb1c);
    let samples = samples();
    for trial in 0..400 {
        let Sample { name, data } = &samples[trial % samples.len()];
        let (level, strategy) = SETTINGS[rng.below(SETTINGS.len())];
        let mut packed = raw_deflate(data, level, 15, strategy);
        let corrupt = trial % 2 == 1;
        if corrupt {
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(packed.len());
                packed[at] ^= 1 << rng.below(8);
            }
        }
        let window_bits = if rng.below(2) == 0 {
            15
        } else {
            8 + rng.below(8) as c_int
        };
        let max_chunk = 100 + rng.below(40_000);
        let mut plan = Plan::new(window_bits, max_chunk, rng.next_u64());
        plan.initial = rng.below(packed.len() + 1) % 3000;
        let seen = same(&packed, &plan, &format!("trial {trial} on {name}"));
        if !corrupt && window_bits == 15 {
            assert_eq!(seen.ret, 1, "trial {trial} on {name}");
        }
    }
}
