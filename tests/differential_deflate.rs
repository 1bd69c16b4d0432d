//! Differential tests of deflate: the same call sequence on rzlib (`rz_`
//! exports) and on the original zlib (libz-sys), comparing return codes,
//! every stream field and the output after every call; the streams must
//! also inflate with both implementations.
#![cfg(not(feature = "drop-in"))]
#![allow(non_snake_case)]

mod common;

use std::ffi::{c_int, c_uint, c_ulong};
use std::sync::atomic::Ordering;

use common::deflate_diff::*;
use common::*;

fn matrix_case(sample: &Sample, setup: Setup, rng: &mut Rng, flushes: &[c_int], max_chunk: usize) {
    let label = &sample.name;
    let stream = run(label, &sample.data, setup, rng, flushes, max_chunk);
    check_inflates(label, &stream, &sample.data, setup.window_bits);
}

#[test]
fn levels_and_wrappers_no_flush() {
    let samples = samples(96 * 1024);
    let mut rng = Rng::new(1);
    for sample in &samples {
        for level in -1..=9 {
            for window_bits in [15, -15, 31] {
                let setup = Setup {
                    level,
                    window_bits,
                    mem_level: 8,
                    strategy: Z_DEFAULT_STRATEGY,
                };
                matrix_case(sample, setup, &mut rng, &[Z_NO_FLUSH], 40_000);
            }
        }
    }
}

#[test]
fn window_and_memory_sizes() {
    let samples = samples(64 * 1024);
    let mut rng = Rng::new(2);
    for sample in samples.iter().step_by(2) {
        for window_bits in 8..=15 {
            for mem_level in 1..=9 {
                let level = rng.pick(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
                let wrap = rng.pick(&[0, 1, 2]);
                let window_bits = match wrap {
                    0 if window_bits > 8 => -window_bits,
                    2 if window_bits > 8 => window_bits + 16,
                    _ => window_bits,
                };
                let setup = Setup {
                    level,
                    window_bits,
                    mem_level,
                    strategy: Z_DEFAULT_STRATEGY,
                };
                matrix_case(sample, setup, &mut rng, &[Z_NO_FLUSH], 20_000);
            }
        }
    }
}

#[test]
fn strategies_and_flushes() {
    let samples = samples(48 * 1024);
    let mut rng = Rng::new(3);
    let flushes = [
        Z_NO_FLUSH,
        Z_NO_FLUSH,
        Z_NO_FLUSH,
        Z_PARTIAL_FLUSH,
        Z_SYNC_FLUSH,
        Z_FULL_FLUSH,
        Z_BLOCK,
    ];
    for sample in &samples {
        for strategy in [
            Z_DEFAULT_STRATEGY,
            Z_FILTERED,
            Z_HUFFMAN_ONLY,
            Z_RLE,
            Z_FIXED,
        ] {
            for level in [0, 1, 3, 4, 6, 9] {
                let setup = Setup {
                    level,
                    window_bits: rng.pick(&[15, -12, 25, 9]),
                    mem_level: rng.range(1, 9) as c_int,
                    strategy,
                };
                matrix_case(sample, setup, &mut rng, &flushes, 9_000);
            }
        }
    }
}

#[test]
fn tiny_buffers() {
    let mut rng = Rng::new(4);
    let data: Vec<u8> = samples(6_000)
        .into_iter()
        .flat_map(|s| s.data)
        .take(40_000)
        .collect();
    let sample = Sample {
        name: "tiny-buffers".into(),
        data,
    };
    for level in [0, 1, 6, 9] {
        for window_bits in [15, -9, 31] {
            let setup = Setup {
                level,
                window_bits,
                mem_level: rng.range(1, 9) as c_int,
                strategy: Z_DEFAULT_STRATEGY,
            };
            matrix_case(
                &sample,
                setup,
                &mut rng,
                &[Z_NO_FLUSH, Z_NO_FLUSH, Z_SYNC_FLUSH, Z_BLOCK],
                40,
            );
        }
    }
}

#[test]
fn bad_parameters_and_calls() {
    for (level, method, bits, mem, strategy) in [
        (10, 8, 15, 8, 0),
        (-2, 8, 15, 8, 0),
        (6, 7, 15, 8, 0),
        (6, 8, 7, 8, 0),
        (6, 8, 16, 8, 0),
        (6, 8, -8, 8, 0),
        (6, 8, 24, 8, 0),
        (6, 8, -16, 8, 0),
        (6, 8, 32, 8, 0),
        (6, 8, 15, 0, 0),
        (6, 8, 15, 10, 0),
        (6, 8, 15, 8, 5),
        (6, 8, 15, 8, -1),
    ] {
        let rets: Vec<(c_int, Option<String>)> = [&RZ_D, &ZLIB_D]
            .iter()
            .map(|api| {
                let counter = Counter::new(false);
                let mut strm = new_stream(&counter);
                let ret = unsafe {
                    (api.deflateInit2_)(
                        &mut *strm,
                        level,
                        method,
                        bits,
                        mem,
                        strategy,
                        VERSION.as_ptr(),
                        STREAM_SIZE,
                    )
                };
                (ret, msg_of(strm.msg))
            })
            .collect();
        assert_eq!(
            rets[0], rets[1],
            "init({level},{method},{bits},{mem},{strategy})"
        );
        assert_eq!(rets[0].0, Z_STREAM_ERROR);
    }
    // Calls on a live stream: bad flush, NULL output, finishing rules.
    let mut sides = [Side::new(&RZ_D), Side::new(&ZLIB_D)];
    let input = b"hello hello hello hello";
    let mut log = [Vec::new(), Vec::new()];
    for (i, side) in sides.iter_mut().enumerate() {
        unsafe {
            assert_eq!(
                (side.api.deflateInit_)(&mut *side.strm, 6, VERSION.as_ptr(), STREAM_SIZE),
                Z_OK
            );
            log[i].push(side.apply(|api, strm| (api.deflate)(strm, 6)));
            log[i].push(side.apply(|api, strm| (api.deflate)(strm, -1)));
            side.strm.next_out = std::ptr::null_mut();
            log[i].push(side.apply(|api, strm| (api.deflate)(strm, Z_NO_FLUSH)));
        }
        log[i].push(side.call(&[], 10, Z_NO_FLUSH).0);
        log[i].push(side.call(&[], 0, Z_NO_FLUSH).0);
        log[i].push(side.call(input, 10, Z_FINISH).0);
        log[i].push(side.call(&[], 3, Z_NO_FLUSH).0);
        log[i].push(side.call(b"x", 30, Z_FINISH).0);
        log[i].push(side.call(&[], 30, Z_FINISH).0);
        log[i].push(side.call(&[], 30, Z_FINISH).0);
        unsafe {
            log[i].push(side.apply(|api, strm| (api.deflateReset)(strm)));
            log[i].push(side.apply(|api, strm| (api.deflateBound)(strm, 1000) as c_int));
        }
        log[i].push(side.call(input, 100, Z_SYNC_FLUSH).0);
        log[i].push(side.call(&[], 100, Z_SYNC_FLUSH).0);
        unsafe {
            log[i].push(side.apply(|api, strm| (api.deflateEnd)(strm)));
            log[i].push(side.apply(|api, strm| (api.deflateEnd)(strm)));
        }
    }
    assert_eq!(log[0], log[1]);
    assert_eq!(sides[0].out, sides[1].out);
}

#[test]
fn compress_and_bounds() {
    let samples = samples(64 * 1024);
    for sample in &samples {
        for level in [-1, 0, 1, 5, 9, 10] {
            let results: Vec<(c_int, Vec<u8>)> = [&RZ_D, &ZLIB_D]
                .iter()
                .map(|api| {
                    let bound = unsafe { (api.compressBound)(sample.data.len() as c_ulong) };
                    let mut dest = vec![0u8; bound as usize];
                    let mut len = bound;
                    let ret = unsafe {
                        (api.compress2)(
                            dest.as_mut_ptr(),
                            &mut len,
                            sample.data.as_ptr(),
                            sample.data.len() as c_ulong,
                            level,
                        )
                    };
                    dest.truncate(len as usize);
                    (ret, dest)
                })
                .collect();
            assert!(
                results[0] == results[1],
                "{}: compress2 level {level}",
                sample.name
            );
            // Too small a buffer.
            let short: Vec<(c_int, c_ulong)> = [&RZ_D, &ZLIB_D]
                .iter()
                .map(|api| {
                    let mut dest = vec![0u8; 10];
                    let mut len = 10;
                    let ret = unsafe {
                        (api.compress2)(
                            dest.as_mut_ptr(),
                            &mut len,
                            sample.data.as_ptr(),
                            sample.data.len() as c_ulong,
                            level,
                        )
                    };
                    (ret, len)
                })
                .collect();
            assert_eq!(
                short[0], short[1],
                "{}: short compress2 level {level}",
                sample.name
            );
        }
    }
    for len in [0, 1, 1000, 1 << 20, u32::MAX as c_ulong, c_ulong::MAX - 5] {
        unsafe {
            assert_eq!((RZ_D.compressBound)(len), (ZLIB_D.compressBound)(len));
            assert_eq!(
                (RZ_D.deflateBound)(std::ptr::null_mut(), len),
                (ZLIB_D.deflateBound)(std::ptr::null_mut(), len)
            );
        }
    }
}

#[test]
fn params_pending_copy_dictionary_midstream() {
    let samples = samples(40 * 1024);
    let mut rng = Rng::new(5);
    let flushes = [
        Z_NO_FLUSH,
        Z_NO_FLUSH,
        Z_SYNC_FLUSH,
        Z_BLOCK,
        Z_PARTIAL_FLUSH,
    ];
    for sample in &samples {
        for round in 0..6 {
            let setup = Setup {
                level: rng.range(0, 10) as c_int - 1,
                window_bits: rng.pick(&[15, -15, 31, 10, -9]),
                mem_level: rng.range(1, 9) as c_int,
                strategy: rng.range(0, 4) as c_int,
            };
            let label = format!("{} round {round}", sample.name);
            let stream = run_with(
                &label,
                &sample.data,
                setup,
                &mut rng,
                &flushes,
                3_000,
                true,
                &mut |_| Vec::new(),
            );
            check_inflates(&label, &stream, &sample.data, setup.window_bits);
        }
    }
}

#[test]
fn dictionaries_tune_and_prime() {
    let samples = samples(32 * 1024);
    let mut rng = Rng::new(6);
    for sample in samples.iter().filter(|s| s.data.len() > 1000) {
        for round in 0..8 {
            let setup = Setup {
                level: rng.range(0, 9) as c_int,
                window_bits: rng.pick(&[15, -15, 31, 9, -10]),
                mem_level: rng.range(1, 9) as c_int,
                strategy: rng.range(0, 4) as c_int,
            };
            let start = rng.below(sample.data.len() / 2);
            let dict_len = rng.range(0, 40_000).min(sample.data.len() - start);
            let dict = sample.data[start..start + dict_len].to_vec();
            let tune = [
                rng.range(0, 40) as c_int,
                rng.range(0, 300) as c_int,
                rng.range(0, 300) as c_int,
                rng.range(1, 5000) as c_int,
            ];
            let (bits, value) = (rng.range(0, 17) as c_int, rng.next_u64() as c_int);
            let label = format!("{} round {round}", sample.name);
            run_with(
                &label,
                &sample.data,
                setup,
                &mut rng,
                &[Z_NO_FLUSH, Z_SYNC_FLUSH],
                5_000,
                false,
                &mut |side| unsafe {
                    let mut seen = Vec::new();
                    let ret = (side.api.deflateSetDictionary)(
                        &mut *side.strm,
                        dict.as_ptr(),
                        dict.len() as c_uint,
                    );
                    seen.push(side.observe(ret));
                    let mut got = vec![0u8; 1 << 15];
                    let mut len = 0;
                    let ret = (side.api.deflateGetDictionary)(
                        &mut *side.strm,
                        got.as_mut_ptr(),
                        &mut len,
                    );
                    seen.push(side.observe(ret + len as c_int));
                    let bound = (side.api.deflateBound)(&mut *side.strm, 12_345);
                    seen.push(side.observe(bound as c_int));
                    if round % 2 == 1 {
                        let ret = (side.api.deflateTune)(
                            &mut *side.strm,
                            tune[0],
                            tune[1],
                            tune[2],
                            tune[3],
                        );
                        seen.push(side.observe(ret));
                    }
                    if round % 4 == 2 {
                        let ret = (side.api.deflatePrime)(&mut *side.strm, bits, value);
                        seen.push(side.observe(ret));
                        let (mut pending, mut held) = (0, 0);
                        let ret =
                            (side.api.deflatePending)(&mut *side.strm, &mut pending, &mut held);
                        seen.push(side.observe(ret + 100 * pending as c_int + 10_000 * held));
                    }
                    seen
                },
            );
        }
    }
}

#[test]
fn gzip_headers() {
    let mut rng = Rng::new(7);
    let data: Vec<u8> = samples(4_000)
        .into_iter()
        .flat_map(|s| s.data)
        .take(20_000)
        .collect();
    for round in 0..40 {
        let extra_len = rng.range(0, 1500);
        let mut extra = rng.bytes(extra_len);
        let mut name: Vec<u8> = (0..rng.range(0, 1300))
            .map(|_| rng.range(1, 255) as u8)
            .collect();
        name.push(0);
        let mut comment: Vec<u8> = (0..rng.range(0, 700))
            .map(|_| rng.range(1, 255) as u8)
            .collect();
        comment.push(0);
        let mut head = empty_header();
        head.text = rng.below(2) as c_int;
        head.time = rng.next_u64() as c_ulong;
        head.os = rng.below(300) as c_int;
        if rng.below(3) != 0 {
            head.extra = extra.as_mut_ptr();
            head.extra_len = extra.len() as c_uint;
        }
        if rng.below(3) != 0 {
            head.name = name.as_mut_ptr();
        }
        if rng.below(3) != 0 {
            head.comment = comment.as_mut_ptr();
        }
        head.hcrc = rng.below(2) as c_int;
        let setup = Setup {
            level: rng.range(0, 9) as c_int,
            window_bits: rng.pick(&[31, 25]),
            mem_level: rng.range(1, 3) as c_int,
            strategy: Z_DEFAULT_STRATEGY,
        };
        let label = format!("gzip header round {round}");
        let mut heads = [head, head];
        let mut which = 0;
        let stream = run_with(
            &label,
            &data,
            setup,
            &mut rng,
            &[Z_NO_FLUSH],
            if round % 2 == 0 { 50 } else { 3_000 },
            false,
            &mut |side| unsafe {
                let bound_before = (side.api.deflateBound)(&mut *side.strm, 1000);
                let head = &mut heads[which];
                which += 1;
                let ret = (side.api.deflateSetHeader)(&mut *side.strm, head);
                let bound = (side.api.deflateBound)(&mut *side.strm, 1000);
                vec![
                    side.observe(ret),
                    side.observe((bound - bound_before) as c_int),
                ]
            },
        );
        check_inflates(&label, &stream, &data, setup.window_bits);
    }
    // Not a gzip stream: refused.
    for api in [&RZ_D, &ZLIB_D] {
        let counter = Counter::new(false);
        let mut strm = new_stream(&counter);
        let mut head = empty_header();
        unsafe {
            assert_eq!(
                (api.deflateInit_)(&mut *strm, 6, VERSION.as_ptr(), STREAM_SIZE),
                Z_OK
            );
            assert_eq!(
                (api.deflateSetHeader)(&mut *strm, &mut head),
                Z_STREAM_ERROR
            );
            assert_eq!((api.deflateEnd)(&mut *strm), Z_OK);
        }
    }
}

#[test]
fn failing_allocators_and_foreign_states() {
    // Each allocation of init failing in turn (the state, the window, prev,
    // head, the pending buffer; then none): zlib's answer, its msg and its
    // count of zalloc calls, and nothing leaked.
    for fail_at in 1..=6 {
        let outcome = [&RZ_D, &ZLIB_D].map(|api| {
            let counter = Counter::failing_at(fail_at);
            let mut strm = new_stream(&counter);
            let ret = unsafe { api.deflate_init2(&mut *strm, 6, 15, 8, 0) };
            let msg = msg_of(strm.msg);
            let attempts = counter.attempts.load(Ordering::SeqCst);
            if ret == Z_OK {
                assert_eq!(unsafe { (api.deflateEnd)(&mut *strm) }, Z_OK);
            } else {
                assert!(strm.state.is_null(), "{} fail at {fail_at}", api.name);
            }
            assert_eq!(counter.live(), 0, "{} fail at {fail_at}: leak", api.name);
            (ret, msg, attempts)
        });
        assert_eq!(outcome[0], outcome[1], "fail at {fail_at}");
        let expected = if fail_at <= 5 { Z_MEM_ERROR } else { Z_OK };
        assert_eq!(outcome[1].0, expected, "fail at {fail_at}");
    }
    // deflateCopy with a failing allocator; misaligned blocks elsewhere.
    let counter = Counter::new(true);
    let mut strm = new_stream(&counter);
    let data: Vec<u8> = b"misaligned allocator "
        .iter()
        .copied()
        .cycle()
        .take(100_000)
        .collect();
    let mut out = vec![0u8; 200_000];
    unsafe {
        assert_eq!(
            (RZ_D.deflateInit_)(&mut *strm, 9, VERSION.as_ptr(), STREAM_SIZE),
            Z_OK
        );
        strm.next_in = data.as_ptr() as *mut u8;
        strm.avail_in = 50_000;
        strm.next_out = out.as_mut_ptr();
        strm.avail_out = out.len() as c_uint;
        assert_eq!((RZ_D.deflate)(&mut *strm, Z_NO_FLUSH), Z_OK);
        let failing = Counter::failing_at(1);
        let mut copy = new_stream(&failing);
        copy.opaque = &*failing as *const Counter as *mut _;
        let source: *mut z_stream = &mut *strm;
        // The copy takes the source's allocator, as in zlib; make it fail.
        let saved = (*source).opaque;
        (*source).opaque = &*failing as *const Counter as *mut _;
        assert_eq!((RZ_D.deflateCopy)(&mut *copy, source), Z_MEM_ERROR);
        (*source).opaque = saved;
        assert_eq!(failing.live(), 0);
        let mut good = new_stream(&counter);
        assert_eq!((RZ_D.deflateCopy)(&mut *good, source), Z_OK);
        assert_eq!((RZ_D.deflateEnd)(&mut *good), Z_DATA_ERROR);
        strm.avail_in = 50_000;
        assert_eq!((RZ_D.deflate)(&mut *strm, Z_FINISH), Z_STREAM_END);
        assert_eq!((RZ_D.deflateEnd)(&mut *strm), Z_OK);
    }
    assert_eq!(counter.live(), 0, "misaligned allocator: leak");

    // A state rzlib did not create: Z_STREAM_ERROR from every entry point.
    let counter = Counter::new(false);
    let mut strm = new_stream(&counter);
    let mut head = empty_header();
    unsafe {
        assert_eq!(
            (ZLIB_D.deflateInit_)(&mut *strm, 6, VERSION.as_ptr(), STREAM_SIZE),
            Z_OK
        );
        let s: *mut z_stream = &mut *strm;
        let mut out = [0u8; 64];
        (*s).next_out = out.as_mut_ptr();
        (*s).avail_out = 64;
        assert_eq!((RZ_D.deflate)(s, Z_FINISH), Z_STREAM_ERROR);
        assert_eq!((RZ_D.deflateReset)(s), Z_STREAM_ERROR);
        assert_eq!((RZ_D.deflateResetKeep)(s), Z_STREAM_ERROR);
        assert_eq!((RZ_D.deflateParams)(s, 1, 0), Z_STREAM_ERROR);
        assert_eq!((RZ_D.deflateTune)(s, 1, 1, 1, 1), Z_STREAM_ERROR);
        assert_eq!((RZ_D.deflatePrime)(s, 1, 1), Z_STREAM_ERROR);
        assert_eq!((RZ_D.deflateSetHeader)(s, &mut head), Z_STREAM_ERROR);
        assert_eq!(
            (RZ_D.deflateSetDictionary)(s, out.as_ptr(), 4),
            Z_STREAM_ERROR
        );
        let (mut p, mut b) = (0, 0);
        assert_eq!((RZ_D.deflatePending)(s, &mut p, &mut b), Z_STREAM_ERROR);
        let mut dest = new_stream(&counter);
        assert_eq!((RZ_D.deflateCopy)(&mut *dest, s), Z_STREAM_ERROR);
        assert_eq!((RZ_D.deflateEnd)(s), Z_STREAM_ERROR);
        assert_eq!(
            (RZ_D.deflateBound)(s, 1000),
            (ZLIB_D.deflateBound)(std::ptr::null_mut(), 1000)
        );
        assert_eq!((ZLIB_D.deflateEnd)(s), Z_OK);
        assert_eq!((RZ_D.deflateEnd)(std::ptr::null_mut()), Z_STREAM_ERROR);
    }
    assert_eq!(counter.live(), 0);
}

/// The peak bytes a stream holds through the caller's allocator, while it
/// compresses `data` at `window_bits`/`mem_level` and while a copy of it
/// lives; also checks that the copy's output equals the original's.
fn peak_memory(api: &DeflateApi, data: &[u8], window_bits: c_int, mem_level: c_int) -> usize {
    let counter = Counter::new(false);
    let mut strm = new_stream(&counter);
    let mut out = vec![0u8; data.len() * 2 + 1024];
    let half = data.len() / 2;
    unsafe {
        let ret = api.deflate_init2(&mut *strm, 6, window_bits, mem_level, 0);
        assert_eq!(ret, Z_OK, "{} {window_bits} {mem_level}", api.name);
        set_buffers(&mut strm, &data[..half], &mut out);
        assert_eq!((api.deflate)(&mut *strm, Z_NO_FLUSH), Z_OK);
        let mut copy = new_stream(&counter);
        assert_eq!((api.deflateCopy)(&mut *copy, &mut *strm), Z_OK);
        let mut outputs = Vec::new();
        for s in [&mut strm, &mut copy] {
            let mut tail = vec![0u8; data.len() * 2 + 1024];
            set_buffers(s, &data[half..], &mut tail);
            assert_eq!((api.deflate)(&mut **s, Z_FINISH), Z_STREAM_END);
            tail.truncate(tail.len() - s.avail_out as usize);
            outputs.push(tail);
            assert_eq!((api.deflateEnd)(&mut **s), Z_OK);
        }
        assert_eq!(outputs[0], outputs[1], "{}: the copy went astray", api.name);
    }
    assert_eq!(counter.live(), 0, "{}: leak", api.name);
    counter.peak_bytes.load(Ordering::SeqCst)
}

/// Per-stream memory, all of it through the caller's allocator, is at most
/// zlib's for every windowBits and memLevel (item 4 of the deflate issue).
#[test]
fn memory_is_at_most_zlibs() {
    let mut rng = Rng::new(0x6d65_6d6f);
    let mut data = b"memory accounting, ".repeat(4000);
    data.extend(rng.bytes(60_000));
    for window_bits in [8, 9, 12, 15, -9, -15, 25, 31] {
        for mem_level in 1..=9 {
            let ours = peak_memory(&RZ_D, &data, window_bits, mem_level);
            let zlib = peak_memory(&ZLIB_D, &data, window_bits, mem_level);
            assert!(
                ours <= zlib,
                "windowBits {window_bits} memLevel {mem_level}: rzlib {ours} bytes, zlib {zlib}"
            );
        }
    }
}

/// deflateCopy with each of its allocations failing in turn (the state,
/// then the four buffers): zlib's answers, zlib's count of zalloc calls, no
/// leak, and the source still works.
#[test]
fn failing_allocator_in_copy() {
    let data = b"copy me, copy me not ".repeat(3000);
    for fail_at in 1..=6 {
        let outcome = [&RZ_D, &ZLIB_D].map(|api| {
            let counter = Counter::new(false);
            let mut strm = new_stream(&counter);
            let failing = Counter::failing_at(fail_at);
            let mut out = vec![0u8; data.len() + 1024];
            unsafe {
                assert_eq!(
                    (api.deflateInit_)(&mut *strm, 6, VERSION.as_ptr(), STREAM_SIZE),
                    Z_OK
                );
                set_buffers(&mut strm, &data[..30_000], &mut out);
                assert_eq!((api.deflate)(&mut *strm, Z_NO_FLUSH), Z_OK);
                // deflateCopy allocates through the source's allocator.
                let saved = strm.opaque;
                strm.opaque = &*failing as *const Counter as *mut _;
                let mut copy = new_stream(&failing);
                let ret = (api.deflateCopy)(&mut *copy, &mut *strm);
                strm.opaque = saved;
                if ret == Z_OK {
                    assert_eq!((api.deflateEnd)(&mut *copy), Z_DATA_ERROR);
                }
                strm.avail_in = (data.len() - 30_000) as c_uint;
                assert_eq!((api.deflate)(&mut *strm, Z_FINISH), Z_STREAM_END);
                assert_eq!((api.deflateEnd)(&mut *strm), Z_OK);
                assert_eq!(failing.live(), 0, "{} fail at {fail_at}: leak", api.name);
                (ret, failing.attempts.load(Ordering::SeqCst))
            }
        });
        assert_eq!(outcome[0], outcome[1], "fail at {fail_at}");
    }
}

/// CVE-2018-25032: with Z_FIXED (or fixed blocks chosen) and memLevel 1,
/// many distant short matches made zlib's compressed output overrun the
/// symbols it shared a buffer with. The stream must come out exact.
#[test]
fn cve_2018_25032_distant_matches() {
    let mut rng = Rng::new(0x2018_25032);
    let mut data = rng.bytes(40_000);
    // Short copies from far back: long distance codes with 13 extra bits.
    for _ in 0..60_000 {
        let len = rng.range(3, 5);
        let distance = rng.range(16_385, 32_000);
        let from = data.len() - distance;
        for i in 0..len {
            let byte = data[from + i];
            data.push(byte);
        }
        if rng.below(4) == 0 {
            data.push(rng.next_u64() as u8);
        }
    }
    let sample = Sample {
        name: "cve-2018-25032".into(),
        data,
    };
    let mut rng = Rng::new(25032);
    for (strategy, level) in [
        (Z_FIXED, 6),
        (Z_FIXED, 1),
        (Z_DEFAULT_STRATEGY, 9),
        (Z_FIXED, 9),
    ] {
        for mem_level in [1, 2] {
            let setup = Setup {
                level,
                window_bits: 15,
                mem_level,
                strategy,
            };
            matrix_case(&sample, setup, &mut rng, &[Z_NO_FLUSH], 1 << 17);
        }
    }
}

/// A lazy match found at distance MAX_DIST just before the window slides
/// starts in the half that slides out: zlib's unsigned `match_start`
/// wraps below zero and the distance it then emits wraps back. (Saturating
/// instead emitted the distance one short: corrupt output.) The first call
/// stops with strstart exactly at w_size + MAX_DIST, where the slide comes.
#[test]
fn pending_match_across_the_window_slide() {
    for window_bits in [9, 10, 12, 15] {
        let w = 1usize << window_bits;
        let max_dist = w - 262;
        let first_call = 2 * w - 1;
        let mut rng = Rng::new(0x511de);
        let mut data = rng.bytes(first_call + 600);
        // The match at strstart - 1 = w + max_dist - 1 copies from w - 1.
        let pattern = b"<a repeated pattern>";
        let at = w + max_dist - 1;
        data[w - 1..w - 1 + pattern.len()].copy_from_slice(pattern);
        data[at..at + pattern.len()].copy_from_slice(pattern);
        for level in [4, 6, 9] {
            let mut sides = [Side::new(&RZ_D), Side::new(&ZLIB_D)];
            for side in sides.iter_mut() {
                // SAFETY: a fresh stream and zlib's own version and size.
                let ret = unsafe {
                    side.api.deflate_init2(
                        &mut *side.strm,
                        level,
                        window_bits,
                        8,
                        Z_DEFAULT_STRATEGY,
                    )
                };
                assert_eq!(ret, Z_OK);
            }
            for (input, flush) in [
                (&data[..first_call], Z_NO_FLUSH),
                (&data[first_call..], Z_FINISH),
            ] {
                let results: Vec<_> = sides
                    .iter_mut()
                    .map(|side| side.call(input, 2 * data.len(), flush))
                    .collect();
                assert_eq!(results[0], results[1], "wbits {window_bits} level {level}");
            }
            assert!(
                sides[0].out == sides[1].out,
                "wbits {window_bits} level {level}: output differs"
            );
        }
    }
}

/// A rough speed comparison (run with `--ignored --nocapture` in release):
/// compress2 of the corpus (or the generated data) at levels 1, 6 and 9.
#[test]
#[ignore = "timing, run by hand"]
fn speed_against_zlib() {
    let data: Vec<u8> = samples(4 << 20).into_iter().flat_map(|s| s.data).collect();
    for level in [1, 6, 9] {
        let mut times = [0f64; 2];
        let mut outputs = [Vec::new(), Vec::new()];
        for round in 0..3 {
            for (i, api) in [&RZ_D, &ZLIB_D].iter().enumerate() {
                let bound = unsafe { (api.compressBound)(data.len() as c_ulong) };
                let mut dest = vec![0u8; bound as usize];
                let mut len = bound;
                let start = std::time::Instant::now();
                let ret = unsafe {
                    (api.compress2)(
                        dest.as_mut_ptr(),
                        &mut len,
                        data.as_ptr(),
                        data.len() as c_ulong,
                        level,
                    )
                };
                let took = start.elapsed().as_secs_f64();
                assert_eq!(ret, Z_OK);
                if round == 0 || took < times[i] {
                    times[i] = took;
                }
                dest.truncate(len as usize);
                outputs[i] = dest;
            }
        }
        assert!(outputs[0] == outputs[1], "level {level}: outputs differ");
        let mb = data.len() as f64 / 1e6;
        eprintln!(
            "level {level}: rzlib {:.1} MB/s, zlib {:.1} MB/s, ratio {:.2}x ({} -> {} bytes)",
            mb / times[0],
            mb / times[1],
            times[1] / times[0],
            data.len(),
            outputs[0].len()
        );
    }
}

/// deflateParams' flush: Z_BUF_ERROR (parameters unchanged) while the
/// flush cannot complete, then Z_OK once it can; and no flush before the
/// first deflate call.
///
/// The data is made to reach Z_BUF_ERROR whatever the samples are: 30 000
/// bytes of samples (text and the like, which the first deflate call at
/// level 9 takes without filling a block), then 30 000 random bytes. The
/// first level change offers 20 000 of the random bytes and 1 byte of room:
/// they are 20 000 literals, more than a block's 16 383 symbols at memLevel
/// 8, so deflate(Z_BLOCK) fills a block it cannot write out and stops with
/// input left unprocessed, and deflateParams must return Z_BUF_ERROR. (Had
/// the first call filled a block, its output would still be pending, and the
/// flush would stop at once with all 20 000 bytes unread: Z_BUF_ERROR too.)
#[test]
fn params_flush_rules() {
    let mut data: Vec<u8> = samples(20_000)
        .into_iter()
        .flat_map(|s| s.data)
        .take(30_000)
        .collect();
    assert_eq!(data.len(), 30_000);
    data.extend(Rng::new(0x9a7a_b0f0).bytes(30_000));
    let mut sides = [Side::new(&RZ_D), Side::new(&ZLIB_D)];
    let mut log = [Vec::new(), Vec::new()];
    for (i, side) in sides.iter_mut().enumerate() {
        unsafe {
            assert_eq!(
                (side.api.deflateInit_)(&mut *side.strm, 6, VERSION.as_ptr(), STREAM_SIZE),
                Z_OK
            );
            log[i].push(side.apply(|api, strm| (api.deflateParams)(strm, 9, Z_FILTERED)));
            log[i].push(side.apply(|api, strm| (api.deflateParams)(strm, 11, 0)));
            log[i].push(side.apply(|api, strm| (api.deflateParams)(strm, 6, 5)));
        }
        log[i].push(side.call(&data[..30_000], 100, Z_NO_FLUSH).0);
        let mut out = vec![0u8; 40_000];
        for (level, strategy, room) in [
            (1, 0, 1),
            (1, 0, 50),
            (2, 0, 40_000),
            (0, 0, 10),
            (0, 2, 40_000),
            (4, 3, 40_000),
        ] {
            unsafe {
                side.strm.next_in = data[side.strm.total_in as usize..].as_ptr() as *mut u8;
                side.strm.avail_in = if room == 1 { 20_000 } else { 0 };
                side.strm.next_out = out.as_mut_ptr();
                side.strm.avail_out = room;
                log[i].push(side.apply(|api, strm| (api.deflateParams)(strm, level, strategy)));
                let produced = room as usize - side.strm.avail_out as usize;
                side.out.extend_from_slice(&out[..produced]);
            }
        }
        let rest = &data[side.strm.total_in as usize..];
        log[i].push(side.call(rest, 100_000, Z_FINISH).0);
        unsafe {
            log[i].push(side.apply(|api, strm| (api.deflateEnd)(strm)));
        }
    }
    assert_eq!(log[0], log[1]);
    // log: three deflateParams before any deflate, the first deflate, then
    // the level changes; the first of them (1 byte of room) is the one the
    // data above is built for.
    assert_eq!(
        log[0][4].ret, Z_BUF_ERROR,
        "no Z_BUF_ERROR case hit: {:?}",
        log[0]
    );
    assert!(sides[0].out == sides[1].out);
    check_inflates("params", &sides[0].out, &data, 15);
}

/// The fuzz target's body (fuzz/fuzz_targets/deflate_diff.rs) on random
/// settings and data of every kind, so that it runs on stable too.
#[test]
fn fuzz_body_on_random_inputs() {
    let samples = samples(16 * 1024);
    let mut rng = Rng::new(0x0def_1a7e);
    for round in 0..400 {
        let mut input = rng.bytes(8);
        let sample = &samples[round % samples.len()].data;
        let start = rng.below(sample.len());
        let len = rng.below(sample.len() - start + 1);
        input.extend_from_slice(&sample[start..start + len]);
        fuzz_deflate(&input);
    }
}

/// A lazy level, then Z_RLE (which leaves match_length at 0 and hashes
/// nothing), then the lazy level again: its first steps search the chains
/// of the first part from best length 0, where zlib's quick test also
/// compares the byte before the string, and a search that finds nothing
/// leaves the next step at best length 0 too. The paired chain walks, which
/// walk the next step's search from best length 2, must not take over
/// there.
#[test]
fn lazy_levels_after_rle() {
    for sample in samples(30_000) {
        let data = &sample.data;
        let cuts = [0, data.len() / 3, data.len() * 2 / 3, data.len()];
        let room = data.len() * 2 + 1024;
        for level in 4..=9 {
            let mut sides = [Side::new(&RZ_D), Side::new(&ZLIB_D)];
            let mut log = [Vec::new(), Vec::new()];
            for (i, side) in sides.iter_mut().enumerate() {
                unsafe {
                    let ret = (side.api.deflateInit_)(
                        &mut *side.strm,
                        level,
                        VERSION.as_ptr(),
                        STREAM_SIZE,
                    );
                    assert_eq!(ret, Z_OK);
                }
                for (part, strategy) in [(0, Z_RLE), (1, 0), (2, -1)] {
                    let flush = if strategy < 0 { Z_FINISH } else { Z_NO_FLUSH };
                    log[i].push(side.call(&data[cuts[part]..cuts[part + 1]], room, flush).0);
                    if strategy < 0 {
                        break;
                    }
                    let mut out = vec![0u8; room];
                    unsafe {
                        side.strm.avail_in = 0;
                        side.strm.next_out = out.as_mut_ptr();
                        side.strm.avail_out = room as c_uint;
                        log[i].push(
                            side.apply(|api, strm| (api.deflateParams)(strm, level, strategy)),
                        );
                        let produced = room - side.strm.avail_out as usize;
                        side.out.extend_from_slice(&out[..produced]);
                    }
                }
                unsafe {
                    log[i].push(side.apply(|api, strm| (api.deflateEnd)(strm)));
                }
            }
            let label = format!("{} level {level}", sample.name);
            assert_eq!(log[0], log[1], "{label}");
            assert!(sides[0].out == sides[1].out, "{label}: output differs");
            check_inflates(&label, &sides[0].out, data, 15);
        }
    }
}
