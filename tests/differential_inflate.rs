//! Differential tests: the same inflate call sequences on rzlib (through its
//! `rz_*` C exports) and on the original zlib (libz-sys, static), comparing
//! return codes, stream fields, msg and output after every call.
//!
//! Every mismatch message names the case (sample, parameters, seed) so that
//! it can be replayed.

mod common;

use std::ffi::{c_int, c_uint, c_ulong};

use common::diff::{fuzz_inflate, inflate_both, Pair, Plan, ALL_FLUSHES};
use common::*;

const STRATEGIES: [c_int; 5] = [
    Z_DEFAULT_STRATEGY,
    Z_FILTERED,
    Z_HUFFMAN_ONLY,
    Z_RLE,
    Z_FIXED,
];

/// The inflate-side wrappers.
#[derive(Clone, Copy, Debug)]
enum Wrapper {
    Zlib,
    Raw,
    Gzip,
    /// windowBits + 32: zlib or gzip, detected.
    Auto,
    /// windowBits 0: zlib, window size from the header.
    HeaderWindow,
}

/// A text-like slice of moderate size for the parameter matrix.
fn matrix_sample() -> Sample {
    let mut sample = samples(1 << 20)
        .into_iter()
        .find(|s| s.name.ends_with("alice29.txt") || s.name == "gen:text")
        .unwrap();
    sample.data.truncate(48 * 1024);
    sample
}

/// The compression side of one round trip.
struct Setup {
    wrapper: Wrapper,
    level: c_int,
    strategy: c_int,
    /// Window size (8..=15), before the wrapper's offset.
    w: c_int,
    seed: u64,
}

/// Compresses `data` as `setup` says and inflates it on both sides with
/// random chunking and flushes; checks the result against `data`.
fn round(label: &str, data: &[u8], setup: Setup, plan: &Plan) {
    let Setup {
        wrapper,
        level,
        strategy,
        w,
        seed,
    } = setup;
    // deflate accepts window 8 only with a zlib wrapper (and then uses 9).
    let deflate_w = if matches!(wrapper, Wrapper::Zlib | Wrapper::HeaderWindow) {
        w
    } else {
        w.max(9)
    };
    let gzip =
        matches!(wrapper, Wrapper::Gzip) || (matches!(wrapper, Wrapper::Auto) && seed % 2 == 0);
    let window_bits = match wrapper {
        Wrapper::Zlib => deflate_w,
        Wrapper::Raw => -deflate_w,
        Wrapper::Gzip => 16 + deflate_w,
        Wrapper::Auto => {
            if gzip {
                16 + deflate_w
            } else {
                deflate_w
            }
        }
        Wrapper::HeaderWindow => deflate_w,
    };
    let mem_level = 1 + (seed % 9) as c_int;
    let params = Deflate {
        level,
        strategy,
        window_bits,
        mem_level,
        ..Deflate::default()
    };
    let stream = deflate(data, &params);
    let inflate_bits = match wrapper {
        Wrapper::Zlib => w,
        Wrapper::Raw => -w,
        Wrapper::Gzip => 16 + w,
        Wrapper::Auto => 32 + w,
        Wrapper::HeaderWindow => 0,
    };
    let label = format!("{label} {wrapper:?} level={level} strategy={strategy} deflate_w={window_bits} memLevel={mem_level}");
    let (ret, out) = inflate_both(&label, &stream, inflate_bits, data.len() + 512, seed, plan);
    // deflate turns window 8 into 9, so an inflate window of 8 may reject the
    // stream (zlib header) or a distance (raw, gzip): compared, not asserted.
    if w > 8 || matches!(wrapper, Wrapper::HeaderWindow) {
        assert_eq!(ret, Z_STREAM_END, "[{label} seed={seed:#x}] did not finish");
        assert!(out == data, "[{label} seed={seed:#x}] wrong output");
    }
}

/// Every level, strategy and window size for one wrapper.
fn matrix(wrapper: Wrapper) {
    let sample = matrix_sample();
    let mut plan = Plan::new(4096);
    plan.extras = true;
    let mut seed = 0x1000 * wrapper as u64;
    for level in 0..=9 {
        for strategy in STRATEGIES {
            for w in 8..=15 {
                seed += 1;
                let setup = Setup {
                    wrapper,
                    level,
                    strategy,
                    w,
                    seed,
                };
                round(&sample.name, &sample.data, setup, &plan);
            }
        }
    }
}

#[test]
fn matrix_zlib() {
    matrix(Wrapper::Zlib);
}

#[test]
fn matrix_raw() {
    matrix(Wrapper::Raw);
}

#[test]
fn matrix_gzip() {
    matrix(Wrapper::Gzip);
}

#[test]
fn matrix_auto_detect() {
    matrix(Wrapper::Auto);
}

#[test]
fn matrix_window_from_header() {
    matrix(Wrapper::HeaderWindow);
}

/// Each whole sample at least once, with parameters drawn from its seed.
fn whole_samples(filter: impl Fn(&str) -> bool) {
    let wrappers = [
        Wrapper::Zlib,
        Wrapper::Raw,
        Wrapper::Gzip,
        Wrapper::Auto,
        Wrapper::HeaderWindow,
    ];
    let chosen: Vec<Sample> = samples(usize::MAX)
        .into_iter()
        .filter(|s| filter(&s.name))
        .collect();
    if chosen.is_empty() {
        eprintln!("no test data for this test (it runs on corpus files only): nothing to run");
    }
    for (i, sample) in chosen.into_iter().enumerate() {
        let seed = 0xc0ffee + i as u64;
        let mut rng = Rng::new(seed);
        let runs = if sample.data.len() > 1 << 20 { 2 } else { 4 };
        for run in 0..runs {
            let level = rng.range(0, 9) as c_int;
            let strategy = rng.pick(&STRATEGIES);
            let wrapper = rng.pick(&wrappers);
            let w = rng.range(9, 15) as c_int;
            // Big chunks for big files keep the call count sane; small files get small ones.
            let mut plan = Plan::new(if sample.data.len() > 1 << 20 {
                1 << 16
            } else {
                rng.range(16, 8192)
            });
            plan.extras = run == 0;
            let seed = seed * 7 + run;
            let setup = Setup {
                wrapper,
                level,
                strategy,
                w,
                seed,
            };
            round(&sample.name, &sample.data, setup, &plan);
        }
    }
}

#[test]
fn corpus_canterbury_and_generated() {
    whole_samples(|name| !name.starts_with("silesia/"));
}

#[test]
fn corpus_silesia() {
    whole_samples(|name| name.starts_with("silesia/"));
}

/// Damaged streams: bit flips, truncations, garbage; the error paths must match.
#[test]
fn corrupted_streams() {
    let sources: Vec<Sample> = samples(64 * 1024)
        .into_iter()
        .filter(|s| s.data.len() > 100)
        .take(12)
        .collect();
    let mut rng = Rng::new(0xbad);
    for case in 0..3000u64 {
        let sample = &sources[case as usize % sources.len()];
        let len = rng.range(1, sample.data.len().min(16 * 1024));
        let data = &sample.data[..len];
        let level = rng.range(0, 9) as c_int;
        let strategy = rng.pick(&STRATEGIES);
        let (window_bits, inflate_bits) = match rng.below(4) {
            0 => (15, 15),
            1 => (-15, -15),
            2 => (31, 31),
            _ => (15, 47),
        };
        let mut stream = deflate(
            data,
            &Deflate {
                level,
                strategy,
                window_bits,
                ..Deflate::default()
            },
        );
        let damage = match rng.below(5) {
            0 | 1 => {
                for _ in 0..rng.range(1, 4) {
                    let at = rng.below(stream.len());
                    stream[at] ^= 1 << rng.below(8);
                }
                "flips"
            }
            2 => {
                stream.truncate(rng.below(stream.len()));
                "truncated"
            }
            3 => {
                let at = rng.below(stream.len());
                let n = rng.range(1, 64);
                let garbage = rng.bytes(n);
                stream.splice(at..at, garbage);
                "garbage inserted"
            }
            _ => {
                let n = rng.range(1, 2048);
                stream = rng.bytes(n);
                "all garbage"
            }
        };
        let plan = Plan {
            extras: case % 3 == 0,
            ..Plan::new(rng.range(1, 2048))
        };
        let label = format!(
            "{} corrupted case={case} ({damage}) level={level} strategy={strategy}",
            sample.name
        );
        inflate_both(
            &label,
            &stream,
            inflate_bits,
            data.len() + 4096,
            case,
            &plan,
        );
    }
}

/// Preset dictionaries: Z_NEED_DICT, wrong and right dictionaries,
/// inflateGetDictionary, raw streams with a dictionary set up front.
#[test]
fn dictionaries() {
    let sample = matrix_sample();
    let data = &sample.data[..8192];
    let mut rng = Rng::new(0xd1c7);
    for case in 0..40u64 {
        let dict_len = rng.pick(&[1usize, 100, 4000, 32768, 40000]);
        let dict: Vec<u8> = sample
            .data
            .iter()
            .copied()
            .cycle()
            .skip(rng.below(4096))
            .take(dict_len)
            .collect();
        let raw = case % 2 == 1;
        let window_bits = if raw { -15 } else { 15 };
        let stream = deflate(
            data,
            &Deflate {
                level: rng.range(1, 9) as c_int,
                window_bits,
                dictionary: Some(dict.clone()),
                ..Deflate::default()
            },
        );
        let mut pair = Pair::new(
            format!("dictionary case={case} len={dict_len} raw={raw}"),
            &stream,
            data.len() + 64,
        );
        assert_eq!(pair.init(Some(window_bits)), Z_OK);
        // Too early for a zlib stream (no header read yet): Z_STREAM_ERROR; raw: accepted.
        let wrong = [b'?'; 50];
        if !raw {
            pair.call("inflateSetDictionary(early)", |z, s| unsafe {
                (z.inflateSetDictionary)(s, dict.as_ptr(), dict.len() as c_uint)
            });
            pair.set_io(0, stream.len(), 0, data.len() + 64);
            assert_eq!(pair.inflate(Z_NO_FLUSH), Z_NEED_DICT);
            pair.call("inflateSetDictionary(wrong)", |z, s| unsafe {
                (z.inflateSetDictionary)(s, wrong.as_ptr(), wrong.len() as c_uint)
            });
            pair.call("inflate after wrong dictionary", |z, s| unsafe {
                (z.inflate)(s, Z_NO_FLUSH)
            });
        }
        pair.call("inflateSetDictionary", |z, s| unsafe {
            (z.inflateSetDictionary)(s, dict.as_ptr(), dict.len() as c_uint)
        });
        pair.call("inflateGetDictionary(after set)", |z, s| unsafe {
            let mut out = vec![0u8; 32768];
            let mut len: c_uint = 0;
            let r = (z.inflateGetDictionary)(s, out.as_mut_ptr(), &mut len);
            out.truncate(len as usize);
            (r, out)
        });
        pair.call("inflateGetDictionary(NULL buffer)", |z, s| unsafe {
            let mut len: c_uint = 0;
            (
                (z.inflateGetDictionary)(s, std::ptr::null_mut(), &mut len),
                len,
            )
        });
        let plan = Plan {
            dictionary: Some(dict.clone()),
            extras: true,
            ..Plan::new(rng.range(1, 3000))
        };
        let ret = pair.pump(&mut rng, &plan);
        assert_eq!(ret, Z_STREAM_END, "dictionary case {case}");
        assert!(pair.output() == data);
        pair.end();
    }
}

fn gz_fields(rng: &mut Rng) -> GzFields {
    let mut opt = |n: usize| {
        (rng.below(3) != 0).then(|| {
            (0..rng.range(0, n))
                .map(|i| b'a' + (i % 26) as u8)
                .collect::<Vec<u8>>()
        })
    };
    let extra = opt(3000);
    let name = opt(300);
    let comment = opt(300);
    GzFields {
        text: rng.below(2) == 1,
        time: rng.next_u64() as u32,
        os: rng.below(256) as i32,
        extra,
        name,
        comment,
        hcrc: rng.below(2) == 1,
    }
}

/// inflateGetHeader on gzip streams with every header field, receiving
/// buffers of various sizes (too small included), and damaged header CRCs.
#[test]
fn gzip_headers() {
    let data = b"gzip header test payload, repeated. gzip header test payload, repeated.";
    let mut rng = Rng::new(0x9e11);
    for case in 0..200u64 {
        let fields = gz_fields(&mut rng);
        let mut stream = deflate(
            data,
            &Deflate {
                window_bits: 31,
                gzip: Some(fields),
                ..Deflate::default()
            },
        );
        if case % 10 == 9 && stream.len() > 20 {
            // Damage somewhere in the header (or just after it).
            let at = rng.range(3, stream.len().min(400) - 1);
            stream[at] ^= 0x20;
        }
        let window_bits = if case % 3 == 0 { 47 } else { 31 };
        let mut pair = Pair::new(format!("gzip header case={case}"), &stream, 1024);
        assert_eq!(pair.init(Some(window_bits)), Z_OK);
        let sizes = [0usize, 1, 5, 64, 4096];
        pair.get_header(rng.pick(&sizes), rng.pick(&sizes), rng.pick(&sizes));
        let plan = Plan::new(rng.range(1, 64));
        pair.pump(&mut rng, &plan);
        pair.end();
    }
    // inflateGetHeader on a zlib (not gzip) stream is a Z_STREAM_ERROR.
    let stream = zlib_compress(data, 6);
    let mut pair = Pair::new("gzip header on zlib stream", &stream, 1024);
    assert_eq!(pair.init(Some(15)), Z_OK);
    assert_eq!(pair.get_header(8, 8, 8), Z_STREAM_ERROR);
    pair.end();
}

/// inflateSync on streams with full flush points, after damage and from the start.
#[test]
fn sync_after_damage() {
    let sample = matrix_sample();
    let data = &sample.data;
    let mut rng = Rng::new(0x5e1c);
    for case in 0..60u64 {
        let window_bits = rng.pick(&[15, -15, 31]);
        let mut stream = deflate(
            data,
            &Deflate {
                level: rng.range(1, 9) as c_int,
                window_bits,
                flush_every: Some((rng.range(500, 5000), Z_FULL_FLUSH)),
                ..Deflate::default()
            },
        );
        let damage_at = rng.range(2, stream.len() / 2);
        for i in 0..rng.range(1, 8) {
            let at = (damage_at + i * 3).min(stream.len() - 1);
            stream[at] = stream[at].wrapping_add(0x55);
        }
        let mut pair = Pair::new(
            format!("sync case={case} wbits={window_bits} damage@{damage_at}"),
            &stream,
            data.len() * 2,
        );
        assert_eq!(pair.init(Some(window_bits)), Z_OK);
        let plan = Plan::new(rng.range(1, 4096));
        let mut syncs = 0;
        loop {
            let ret = pair.pump(&mut rng, &plan);
            if ret == Z_STREAM_END || syncs > 20 {
                break;
            }
            // Resynchronise in chunks, as an application reading a damaged file would.
            let sync = loop {
                let (in_at, out_at) = pair.positions();
                let left = stream.len() - in_at.min(stream.len());
                let out_left = pair.outs[0].len() - out_at;
                pair.set_io(in_at, rng.range(0, 700).min(left), out_at, out_left);
                let r = pair.call("inflateSync", |z, s| unsafe { (z.inflateSync)(s) });
                if r != Z_BUF_ERROR || left == 0 {
                    break r;
                }
            };
            syncs += 1;
            if sync != Z_OK {
                break;
            }
            pair.call("inflateSyncPoint", |z, s| unsafe {
                (z.inflateSyncPoint)(s)
            });
        }
        pair.end();
    }
}

/// inflateCopy in the middle of streams, then both copies go on.
#[test]
fn copy_mid_stream() {
    let sample = matrix_sample();
    let mut rng = Rng::new(0xc0b1);
    for case in 0..30u64 {
        let window_bits = rng.pick(&[15, -15, 31, 9]);
        let stream = deflate(
            &sample.data,
            &Deflate {
                level: rng.range(0, 9) as c_int,
                window_bits,
                ..Deflate::default()
            },
        );
        let mut pair = Pair::new(
            format!("copy case={case} wbits={window_bits}"),
            &stream,
            sample.data.len() + 16,
        );
        assert_eq!(
            pair.init(Some(if window_bits < 0 { -15 } else { 47 })),
            Z_OK
        );
        for _ in 0..rng.range(1, 6) {
            let (i, o) = pair.positions();
            let n = rng.range(0, 3000).min(stream.len() - i);
            pair.set_io(i, n, o, rng.range(0, 5000).min(sample.data.len() + 16 - o));
            pair.inflate(rng.pick(ALL_FLUSHES));
            assert_eq!(pair.copy(), Z_OK);
        }
        assert_eq!(pair.pump(&mut rng, &Plan::new(2048)), Z_STREAM_END);
        assert!(pair.output() == &sample.data[..]);
        pair.end();
    }
}

/// inflatePrime: bits fed ahead of a raw stream, bad bit counts, and -1 (clear).
#[test]
fn prime() {
    let data = b"priming the bit buffer before the stream starts, and again.";
    let stream = deflate(
        data,
        &Deflate {
            window_bits: -15,
            level: 9,
            ..Deflate::default()
        },
    );
    for split in 0..=8 {
        let mut pair = Pair::new(format!("prime split={split}"), &stream[1..], 256);
        assert_eq!(pair.init(Some(-15)), Z_OK);
        let first = stream[0] as c_int;
        // The first byte in two primes: `split` low bits, then the rest.
        pair.call("inflatePrime(low)", |z, s| unsafe {
            (z.inflatePrime)(s, split, first & ((1 << split) - 1))
        });
        pair.call("inflatePrime(high)", |z, s| unsafe {
            (z.inflatePrime)(s, 8 - split, first >> split)
        });
        let mut rng = Rng::new(split as u64);
        assert_eq!(pair.pump(&mut rng, &Plan::new(7)), Z_STREAM_END);
        assert!(pair.output() == data);
        pair.end();
    }
    let mut pair = Pair::new("prime odd calls", &stream, 256);
    assert_eq!(pair.init(Some(-15)), Z_OK);
    for (bits, value) in [
        (17, 0),
        (-1, 0),
        (16, 0xffff),
        (16, 1),
        (16, 1),
        (33, 1),
        (0, 5),
        (-2, 0),
        (-1, 0),
    ] {
        pair.call(&format!("inflatePrime({bits}, {value})"), |z, s| unsafe {
            (z.inflatePrime)(s, bits, value)
        });
    }
    pair.end();
}

/// inflateReset, inflateReset2 (valid and invalid window sizes) and
/// inflateResetKeep between streams of different wrappers.
#[test]
fn reset_between_streams() {
    let sample = matrix_sample();
    let mut rng = Rng::new(0x4e5e7);
    let streams: Vec<(c_int, Vec<u8>)> = [15, -15, 31, 10, -9, 25]
        .into_iter()
        .map(|w| {
            (
                w,
                deflate(
                    &sample.data,
                    &Deflate {
                        window_bits: w,
                        ..Deflate::default()
                    },
                ),
            )
        })
        .collect();
    for case in 0..20u64 {
        let mut pair = Pair::new(format!("reset case={case}"), &[], sample.data.len() + 16);
        assert_eq!(pair.init(Some(15)), Z_OK);
        for step in 0..6 {
            let (w, stream) = &streams[rng.below(streams.len())];
            let reset_to = match rng.below(5) {
                0 => {
                    pair.call("inflateReset", |z, s| unsafe { (z.inflateReset)(s) });
                    None
                }
                1 => {
                    pair.call("inflateResetKeep", |z, s| unsafe {
                        (z.inflateResetKeep)(s)
                    });
                    None
                }
                2 => {
                    let bad = rng.pick(&[7, 16, 48, -7, -16, 100, 40 + 8]);
                    pair.call(&format!("inflateReset2({bad})"), |z, s| unsafe {
                        (z.inflateReset2)(s, bad)
                    });
                    None
                }
                _ => {
                    let to = *w;
                    pair.call(&format!("inflateReset2({to})"), |z, s| unsafe {
                        (z.inflateReset2)(s, to)
                    });
                    Some(to)
                }
            };
            pair.input = stream.clone();
            pair.outs = [
                vec![0; sample.data.len() + 16],
                vec![0; sample.data.len() + 16],
            ];
            pair.set_io(0, 0, 0, 0);
            let plan = Plan {
                extras: true,
                ..Plan::new(rng.range(1, 5000))
            };
            let ret = pair.pump(&mut rng, &plan);
            if reset_to.is_some() {
                assert_eq!(ret, Z_STREAM_END, "reset case {case} step {step}");
            }
            let _ = pair.call("inflateMark", |z, s| unsafe { (z.inflateMark)(s) });
        }
        pair.end();
    }
}

/// inflateValidate(0) skips the check value: a bad trailer then passes;
/// inflateValidate(1) turns it back on. Also inflateUndermine.
#[test]
fn validate_and_undermine() {
    let data = b"validate me validate me validate me, and the trailer is wrong";
    for window_bits in [15, 31, 47] {
        for check in [0, 1] {
            let mut stream = deflate(
                data,
                &Deflate {
                    window_bits: window_bits.min(31),
                    ..Deflate::default()
                },
            );
            let last = stream.len() - 5;
            stream[last] ^= 0xff;
            let mut pair = Pair::new(
                format!("validate({check}) wbits={window_bits}"),
                &stream,
                256,
            );
            assert_eq!(pair.init(Some(window_bits)), Z_OK);
            pair.call("inflateValidate", |z, s| unsafe {
                (z.inflateValidate)(s, check)
            });
            pair.call("inflateUndermine(1)", |z, s| unsafe {
                (z.inflateUndermine)(s, 1)
            });
            let mut rng = Rng::new(check as u64);
            pair.pump(&mut rng, &Plan::new(9));
            pair.call("inflateCodesUsed", |z, s| unsafe {
                (z.inflateCodesUsed)(s)
            });
            pair.end();
        }
    }
}

/// Calls on streams that are not open, or with bad arguments.
#[test]
fn bad_calls() {
    let mut pair = Pair::new("not initialised", b"x", 16);
    pair.set_io(0, 1, 0, 16);
    pair.call("inflate(no state)", |z, s| unsafe {
        (z.inflate)(s, Z_NO_FLUSH)
    });
    pair.call("inflateEnd(no state)", |z, s| unsafe { (z.inflateEnd)(s) });
    pair.call("inflateSync(no state)", |z, s| unsafe {
        (z.inflateSync)(s)
    });
    pair.call("inflateMark(no state)", |z, s| unsafe {
        (z.inflateMark)(s)
    });
    pair.call("inflateCodesUsed(no state)", |z, s| unsafe {
        (z.inflateCodesUsed)(s)
    });
    pair.call("inflateReset(no state)", |z, s| unsafe {
        (z.inflateReset)(s)
    });
    for w in [
        -16, -8, -7, 0, 7, 8, 15, 16, 23, 24, 31, 32, 39, 40, 47, 48, 64,
    ] {
        let mut pair = Pair::new(format!("inflateInit2_({w})"), b"", 16);
        pair.init(Some(w));
        pair.end();
    }
    for (version, size) in [
        (c"1.3.1", STREAM_SIZE),
        (c"2", STREAM_SIZE),
        (c"1", STREAM_SIZE - 8),
        (c"", STREAM_SIZE),
    ] {
        let mut pair = Pair::new(format!("inflateInit_({version:?}, {size})"), b"", 16);
        pair.call("inflateInit_", |z, s| unsafe {
            (z.inflateInit_)(s, version.as_ptr(), size)
        });
        pair.call("inflateEnd", |z, s| unsafe { (z.inflateEnd)(s) });
        pair.call("inflateInit2_", |z, s| unsafe {
            (z.inflateInit2_)(s, 15, version.as_ptr(), size)
        });
        pair.end();
    }
    let mut pair = Pair::new("flush out of range", b"\x78\x9c", 16);
    pair.init(None);
    pair.set_io(0, 2, 0, 16);
    for flush in [-1, 7, 100] {
        pair.inflate(flush);
    }
    pair.end();
}

/// One call of `uncompress2` (with `uncompress` beside it, which must
/// agree) on `zlib`. A zero `dest_len` passes a NULL `dest` when
/// `null_dest` is set.
fn uncompress_with(
    zlib: &Zlib,
    dest_len: usize,
    null_dest: bool,
    source: &[u8],
) -> (c_int, c_ulong, c_ulong, Vec<u8>) {
    // Returns (code, destLen, sourceLen, the bytes written); bytes past
    // *destLen are inflate's scratch in rzlib (issue 15).
    let call = |two: bool| {
        let mut dest = vec![0u8; dest_len];
        let dest_ptr = if null_dest {
            std::ptr::null_mut()
        } else {
            dest.as_mut_ptr()
        };
        let (mut dl, mut sl) = (dest_len as c_ulong, source.len() as c_ulong);
        // SAFETY: both buffers are valid for their lengths.
        let code = unsafe {
            if two {
                (zlib.uncompress2)(dest_ptr, &mut dl, source.as_ptr(), &mut sl)
            } else {
                (zlib.uncompress)(dest_ptr, &mut dl, source.as_ptr(), sl)
            }
        };
        dest.truncate((dl as usize).min(dest_len));
        (code, dl, sl, dest)
    };
    let (two, one) = (call(true), call(false));
    assert!(
        (one.0, one.1) == (two.0, two.1) && one.3 == two.3,
        "{}: uncompress and uncompress2 disagree",
        zlib.name
    );
    two
}

/// uncompress and uncompress2 against the original (zlib 1.3.2's
/// definition): exact, short, empty and NULL destinations, damaged and
/// truncated sources, trailing bytes after the stream.
#[test]
fn uncompress_calls() {
    let sample = matrix_sample();
    let mut rng = Rng::new(0x0c0);
    let mut codes = std::collections::BTreeSet::new();
    for case in 0..300u64 {
        let len = rng.pick(&[0usize, 1, 2, 100, 5000, sample.data.len()]);
        let data = &sample.data[..len];
        let mut stream = zlib_compress(data, rng.range(0, 9) as c_int);
        match case % 6 {
            4 => stream.truncate(rng.below(stream.len())),
            5 => {
                let at = rng.below(stream.len());
                stream[at] ^= 0x10;
            }
            3 => stream.extend_from_slice(b"trailing"),
            _ => {}
        }
        let dest_len = match case % 4 {
            0 => len,
            1 => len + 10,
            2 => len / 2,
            _ => 0,
        };
        let null_dest = dest_len == 0 && case % 8 == 3;
        let label = format!(
            "uncompress case={case} len={len} dest_len={dest_len} null_dest={null_dest} source_len={}",
            stream.len()
        );
        let ours = uncompress_with(&RZ, dest_len, null_dest, &stream);
        let theirs = uncompress_with(&ZLIB, dest_len, null_dest, &stream);
        assert_eq!(
            (ours.0, ours.1, ours.2),
            (theirs.0, theirs.1, theirs.2),
            "{label}: (code, destLen, sourceLen)"
        );
        assert!(ours.3 == theirs.3, "{label}: output");
        codes.insert(theirs.0);
    }
    // The cases reach every answer uncompress2 can give here.
    let expected = [Z_OK, Z_DATA_ERROR, Z_BUF_ERROR];
    assert!(
        expected.iter().all(|code| codes.contains(code)),
        "codes reached: {codes:?}"
    );
}

/// The checksum exports, call sequence by call sequence.
#[test]
fn checksums() {
    let mut rng = Rng::new(0xc5c5);
    let data = rng.bytes(100_000);
    let same = |what: String, f: &dyn Fn(&Zlib) -> c_ulong| {
        let (a, b) = (f(&RZ), f(&ZLIB));
        assert_eq!(a, b, "{what}: rzlib {a:#x} zlib {b:#x}");
    };
    for _ in 0..300 {
        let start = rng.below(data.len());
        let len = rng
            .pick(&[
                0usize, 1, 3, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255, 5552, 5553, 10_000,
            ])
            .min(data.len() - start);
        let any = rng.next_u64() & 0xffff_ffff;
        let init = rng.pick(&[0u64, 1, 0xffff_ffff, any]) as c_ulong;
        let buf = &data[start..start + len];
        same(format!("adler32({init:#x}, len {len})"), &|z| unsafe {
            (z.adler32)(init, buf.as_ptr(), len as c_uint)
        });
        same(format!("adler32_z({init:#x}, len {len})"), &|z| unsafe {
            (z.adler32_z)(init, buf.as_ptr(), len)
        });
        same(format!("crc32({init:#x}, len {len})"), &|z| unsafe {
            (z.crc32)(init, buf.as_ptr(), len as c_uint)
        });
        same(format!("crc32_z({init:#x}, len {len})"), &|z| unsafe {
            (z.crc32_z)(init, buf.as_ptr(), len)
        });
        let a = rng.next_u64() as c_ulong & 0xffff_ffff;
        let b = rng.next_u64() as c_ulong & 0xffff_ffff;
        let any = rng.next_u64() as i64 >> 20;
        let len2 = rng.pick(&[-1i64, 0, 1, 65521, 65522, 1 << 20, any]);
        same(
            format!("adler32_combine({a:#x},{b:#x},{len2})"),
            &|z| unsafe { (z.adler32_combine)(a, b, len2 as _) },
        );
        same(
            format!("adler32_combine64({a:#x},{b:#x},{len2})"),
            &|z| unsafe { (z.adler32_combine64)(a, b, len2) },
        );
        same(
            format!("crc32_combine({a:#x},{b:#x},{len2})"),
            &|z| unsafe { (z.crc32_combine)(a, b, len2 as _) },
        );
        same(
            format!("crc32_combine64({a:#x},{b:#x},{len2})"),
            &|z| unsafe { (z.crc32_combine64)(a, b, len2) },
        );
        same(format!("crc32_combine_gen({len2})"), &|z| unsafe {
            (z.crc32_combine_gen)(len2 as _)
        });
        same(format!("crc32_combine_gen64({len2})"), &|z| unsafe {
            (z.crc32_combine_gen64)(len2)
        });
        let op = unsafe { (ZLIB.crc32_combine_gen64)(len2) };
        same(
            format!("crc32_combine_op({a:#x},{b:#x},{op:#x})"),
            &|z| unsafe { (z.crc32_combine_op)(a, b, op) },
        );
    }
    // NULL buffers return the initial value.
    same("adler32(NULL)".into(), &|z| unsafe {
        (z.adler32)(7, std::ptr::null(), 10)
    });
    same("crc32(NULL)".into(), &|z| unsafe {
        (z.crc32)(7, std::ptr::null(), 10)
    });
    let tables: Vec<Vec<u32>> = both()
        .into_iter()
        .map(|z| unsafe { std::slice::from_raw_parts((z.get_crc_table)(), 256).to_vec() })
        .collect();
    assert_eq!(tables[0], tables[1], "get_crc_table");
}

/// zError's strings.
#[test]
fn error_strings() {
    // zlib indexes its table without a bounds check: only -6..=2 are defined.
    for code in -6..=2 {
        let texts: Vec<String> = both()
            .into_iter()
            .map(|z| unsafe {
                std::ffi::CStr::from_ptr((z.zError)(code))
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(texts[0], texts[1], "zError({code})");
    }
}

/// The fuzz target's check (fuzz/fuzz_targets/inflate_diff.rs) on a few
/// thousand inputs: random bytes and mutated valid streams.
#[test]
fn fuzz_body_on_random_inputs() {
    let sample = matrix_sample();
    let mut rng = Rng::new(0xf022);
    let valid: Vec<Vec<u8>> = [15, -15, 31, 9]
        .into_iter()
        .map(|w| {
            deflate(
                &sample.data[..4096],
                &Deflate {
                    window_bits: w,
                    level: 6,
                    ..Deflate::default()
                },
            )
        })
        .collect();
    for _ in 0..10_000 {
        let mut input = rng.bytes(4);
        if rng.below(4) == 0 {
            let n = rng.range(0, 600);
            input.extend(rng.bytes(n));
        } else {
            let mut stream = valid[rng.below(valid.len())].clone();
            for _ in 0..rng.range(0, 4) {
                let at = rng.below(stream.len());
                stream[at] = rng.next_u64() as u8;
            }
            stream.truncate(rng.range(1, stream.len()));
            input.extend(stream);
        }
        fuzz_inflate(&input);
    }
}

/// Only a few bytes of output room per call: the fast loop runs to the end
/// of the output and must hand a match that does not fit, untouched, to
/// the resumable decoder, which copies what fits as zlib's does.
#[test]
fn tiny_output_room_leaves_matches_that_do_not_fit() {
    for sample in samples(16 << 10) {
        for (level, window_bits) in [(1, 15), (6, 15), (9, 9), (6, 31)] {
            let stream = deflate(
                &sample.data,
                &Deflate {
                    window_bits,
                    level,
                    ..Deflate::default()
                },
            );
            for seed in 0..6 {
                // Room for a few literals, rarely for a match.
                let plan = Plan {
                    out_cap: Some(3 + seed as usize),
                    ..Plan::new(24)
                };
                let label = format!("{} tiny-out level {level}", sample.name);
                let capacity = sample.data.len() + 1;
                let (ret, out) = inflate_both(&label, &stream, window_bits, capacity, seed, &plan);
                assert_eq!(ret, Z_STREAM_END, "{label}");
                assert!(out == sample.data, "{label} seed {seed}");
            }
        }
    }
}

/// The fuzz seeds and any committed reproducers
/// (fuzz/seeds/inflate_diff, fuzz/regressions/inflate_diff), replayed.
#[test]
fn fuzz_seeds_and_regressions_replay() {
    common::replay_fuzz_inputs("inflate_diff", fuzz_inflate);
}

/// What gunzip does with concatenated members and trailing bytes: inflate to
/// the end, call again (still Z_STREAM_END), inflateReset, go on from next_in.
#[test]
fn members_and_trailing_data() {
    let sample = matrix_sample();
    let mut rng = Rng::new(0x3e3b);
    for case in 0..20u64 {
        let mut input = Vec::new();
        let mut expected = Vec::new();
        let members = rng.range(1, 4);
        for _ in 0..members {
            let len = rng.range(0, 5000);
            let start = rng.below(sample.data.len() - len);
            let part = &sample.data[start..start + len];
            let window_bits = rng.pick(&[15, 31]);
            input.extend(deflate(
                part,
                &Deflate {
                    level: rng.range(0, 9) as c_int,
                    window_bits,
                    ..Deflate::default()
                },
            ));
            expected.extend_from_slice(part);
        }
        let garbage_len = rng.range(0, 20);
        input.extend(rng.bytes(garbage_len));
        let mut pair = Pair::new(
            format!("members case={case} members={members}"),
            &input,
            expected.len() + 64,
        );
        assert_eq!(pair.init(Some(47)), Z_OK);
        let plan = Plan::new(rng.range(1, 3000));
        for _ in 0..members + 1 {
            if pair.pump(&mut rng, &plan) != Z_STREAM_END {
                break;
            }
            let (in_at, out_at) = pair.positions();
            let out_len = pair.outs[0].len() - out_at;
            pair.set_io(in_at, input.len() - in_at, out_at, out_len);
            assert_eq!(pair.inflate(Z_NO_FLUSH), Z_STREAM_END);
            pair.call("inflateReset", |z, s| unsafe { (z.inflateReset)(s) });
        }
        assert!(pair.output().starts_with(&expected), "members case={case}");
        pair.end();
    }
}

/// What one side saw in [`window_allocation_fails_like_zlib`].
#[derive(Debug, PartialEq)]
struct Seen {
    rets: Vec<c_int>,
    avail_in: c_uint,
    avail_out: c_uint,
    total_in: c_ulong,
    total_out: c_ulong,
    adler: c_ulong,
    msg: Option<String>,
    attempts: usize,
}

/// The window is allocated when first needed, through the stream's
/// allocator: its failure (at the end of an inflate call, in
/// inflateSetDictionary, or in inflateCopy) gets zlib's Z_MEM_ERROR, leaves
/// the counters as zlib leaves them, and sticks; nothing leaks. A stream
/// finished in one call with Z_FINISH never asks for a window.
#[test]
fn window_allocation_fails_like_zlib() {
    use std::sync::atomic::Ordering;
    let data = b"window, window on the wall ".repeat(2000);
    let stream = zlib_compress(&data, 6);
    let raw = raw_deflate(&data, 6, -15, 0);
    let half = stream.len() / 2;
    for fail_at in 1..=4 {
        let seen = both().map(|z| {
            let counter = Counter::failing_at(fail_at);
            let mut strm = new_stream(&counter);
            let mut out = vec![0u8; data.len() + 64];
            let mut rets = Vec::new();
            unsafe {
                rets.push((z.inflateInit_)(&mut *strm, VERSION.as_ptr(), STREAM_SIZE));
                if rets[0] == Z_OK {
                    set_buffers(&mut strm, &stream[..half], &mut out);
                    rets.push((z.inflate)(&mut *strm, Z_NO_FLUSH));
                    // A copy needs a state and, once there is one, a window.
                    let mut copy = new_stream(&counter);
                    let copied = (z.inflateCopy)(&mut *copy, &mut *strm);
                    rets.push(copied);
                    if copied == Z_OK {
                        rets.push((z.inflateEnd)(&mut *copy));
                    }
                    strm.avail_in = (stream.len() - half) as c_uint;
                    rets.push((z.inflate)(&mut *strm, Z_NO_FLUSH));
                }
            }
            let seen = Seen {
                rets,
                avail_in: strm.avail_in,
                avail_out: strm.avail_out,
                total_in: strm.total_in,
                total_out: strm.total_out,
                adler: strm.adler,
                msg: msg_of(strm.msg),
                attempts: counter.attempts.load(Ordering::SeqCst),
            };
            if seen.rets[0] == Z_OK {
                assert_eq!(unsafe { (z.inflateEnd)(&mut *strm) }, Z_OK);
            }
            assert_eq!(counter.live(), 0, "{} fail at {fail_at}: leak", z.name);
            seen
        });
        assert_eq!(seen[0], seen[1], "inflate, fail at {fail_at}");

        // inflateSetDictionary on a raw stream needs the window at once.
        let seen = both().map(|z| {
            let counter = Counter::failing_at(fail_at);
            let mut strm = new_stream(&counter);
            let mut out = vec![0u8; data.len() + 64];
            let mut rets = Vec::new();
            unsafe {
                rets.push((z.inflateInit2_)(
                    &mut *strm,
                    -15,
                    VERSION.as_ptr(),
                    STREAM_SIZE,
                ));
                if rets[0] == Z_OK {
                    let dict = b"window";
                    rets.push((z.inflateSetDictionary)(&mut *strm, dict.as_ptr(), 6));
                    set_buffers(&mut strm, &raw, &mut out);
                    rets.push((z.inflate)(&mut *strm, Z_FINISH));
                    rets.push((z.inflateEnd)(&mut *strm));
                }
            }
            assert_eq!(counter.live(), 0, "{} fail at {fail_at}: leak", z.name);
            (rets, counter.attempts.load(Ordering::SeqCst))
        });
        assert_eq!(seen[0], seen[1], "inflateSetDictionary, fail at {fail_at}");
    }

    // One call with Z_FINISH: one allocation (the state), as in zlib.
    let counts = both().map(|z| {
        let counter = Counter::new(false);
        let mut strm = new_stream(&counter);
        let mut out = vec![0u8; data.len() + 64];
        unsafe {
            assert_eq!(
                (z.inflateInit_)(&mut *strm, VERSION.as_ptr(), STREAM_SIZE),
                Z_OK
            );
            set_buffers(&mut strm, &stream, &mut out);
            assert_eq!((z.inflate)(&mut *strm, Z_FINISH), Z_STREAM_END);
            assert_eq!((z.inflateEnd)(&mut *strm), Z_OK);
        }
        counter.attempts.load(Ordering::SeqCst)
    });
    assert_eq!(counts, [1, 1]);
}
