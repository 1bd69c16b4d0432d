//! The fast deflate profile (issue 16). Every stream it writes, over every
//! level, strategy, window, memLevel and wrapper, with every flush mode in
//! random chunkings, deflateParams, dictionaries, gzip headers, primes,
//! copies, resets and pending queries, inflates with the ORIGINAL zlib
//! (libz-sys) to its input, with zlib's return codes and counters; every
//! sync and full flush point is checked by inflating what came out so far.
//! The profile switch (rz_deflateSetProfile) follows its rules, memory
//! stays within 1.5 times zlib's, the links two back leave the output as
//! it is without them, levels keep their order, and RZLIB_DEFLATE_PROFILE sets
//! the process default (in a child process). `speed_probe` (ignored)
//! prints speed and size against the original's.
#![allow(non_snake_case)]

#[path = "fast_profile/body.rs"]
mod body;
mod common;

use std::ffi::c_int;

use body::*;
use common::deflate_diff::{Setup, ALL_FLUSHES, RZ_D, ZLIB_D, Z_PARTIAL_FLUSH};
use common::*;
use rzlib::deflate::{RZ_PROFILE_FAST, RZ_PROFILE_ZLIB};

/// Every level (with Z_DEFAULT_COMPRESSION) and strategy on the corpus and
/// the generated data: one Z_FINISH call within deflateBound's space, and a
/// random sequence of chunks and flushes.
#[test]
fn levels_and_strategies_round_trip() {
    let samples = samples(48 << 10);
    let mut rng = Rng::new(0xfa57_0001);
    let plan = Plan {
        flushes: vec![
            Z_NO_FLUSH,
            Z_NO_FLUSH,
            Z_NO_FLUSH,
            Z_SYNC_FLUSH,
            Z_FULL_FLUSH,
            Z_BLOCK,
        ],
        max_chunk: 12_000,
        max_room: 20_000,
        extras: false,
    };
    for sample in &samples {
        for level in -1..=9 {
            for strategy in 0..=4 {
                let setup = Setup::new(level, 15, 8, strategy);
                let label = format!("{} level {level} strategy {strategy}", sample.name);
                let mut fast = Fast::new(setup);
                fast.finish_all(&sample.data);
                let back = original_inflate(
                    "",
                    &fast.out,
                    15,
                    &Reading::default(),
                    true,
                    sample.data.len(),
                );
                assert!(back == sample.data, "{label}: one call");
                if level % 3 == 0 || strategy == 0 {
                    run_sequence(&label, &sample.data, setup, &mut rng, &plan);
                }
            }
        }
    }
}

/// Every windowBits in every wrapper and every memLevel, at levels of each
/// band, with the extra calls (deflateParams, deflateCopy, deflatePending,
/// deflateBound, dictionaries, gzip headers, deflatePrime) mixed in.
#[test]
fn windows_mem_levels_and_wrappers() {
    let data = mixed_data(40_000);
    let mut rng = Rng::new(0xfa57_0002);
    let windows = (8..=15)
        .chain((9..=15).map(|w| -w))
        .chain((9..=15).map(|w| w + 16));
    for window_bits in windows {
        for mem_level in 1..=9 {
            for level in [1, 3, 4, 6, 9] {
                let setup = Setup::new(level, window_bits, mem_level, 0);
                let label = format!("windowBits {window_bits} memLevel {mem_level} level {level}");
                let mut fast = Fast::new(setup);
                fast.finish_all(&data);
                let back = original_inflate(
                    &label,
                    &fast.out,
                    window_bits,
                    &Reading::default(),
                    true,
                    data.len(),
                );
                assert!(back == data, "{label}: one call");
                let plan = Plan {
                    flushes: ALL_FLUSHES.to_vec(),
                    max_chunk: rng.range(1, 9000),
                    max_room: rng.range(1, 9000),
                    extras: true,
                };
                run_sequence(&label, &data, setup, &mut rng, &plan);
            }
        }
    }
}

/// The samples over 1000 bytes (the corpus's, else generated), each cut
/// to `each` bytes, joined and cut to `total`.
fn joined_samples(each: usize, total: usize) -> Vec<u8> {
    let mut data = Vec::new();
    for sample in samples(each).iter().filter(|s| s.data.len() > 1000) {
        data.extend_from_slice(&sample.data);
    }
    data.truncate(total);
    data
}

/// Text, binary and incompressible data cut from the samples, joined.
fn mixed_data(len: usize) -> Vec<u8> {
    let generated = common::generated();
    let mut data = Vec::new();
    for sample in generated.iter().filter(|s| s.data.len() > 1000) {
        data.extend_from_slice(&sample.data[..(len / 4).min(sample.data.len())]);
    }
    data.truncate(len);
    data
}

/// Sync and full flushes at random points, in small output buffers: after
/// each, the original inflates everything given so far.
#[test]
fn flush_points_are_honoured() {
    let samples = samples(64 << 10);
    let mut rng = Rng::new(0xfa57_0003);
    for (i, sample) in samples.iter().enumerate() {
        for level in 1..=9 {
            let plan = Plan {
                flushes: vec![Z_NO_FLUSH, Z_SYNC_FLUSH, Z_FULL_FLUSH, Z_PARTIAL_FLUSH],
                max_chunk: [7, 300, 5000][(i + level as usize) % 3],
                max_room: [1, 64, 4096][(i + 2 * level as usize) % 3],
                extras: false,
            };
            let label = format!("{} level {level} flushes", sample.name);
            run_sequence(
                &label,
                &sample.data,
                Setup::new(level, 15, 8, 0),
                &mut rng,
                &plan,
            );
        }
    }
}

/// Random sequences with every extra call, at every level and strategy.
#[test]
fn random_sequences_with_every_call() {
    random_sequences(300);
}

/// The same sequences in zlib's profile: the checks hold for zlib's own
/// algorithms too.
#[test]
fn checks_hold_for_the_zlib_profile() {
    ZLIB_PROFILE.set(true);
    random_sequences(60);
    ZLIB_PROFILE.set(false);
}

fn random_sequences(rounds: usize) {
    let samples = samples(24 << 10);
    let mut rng = Rng::new(0xfa57_0004);
    for round in 0..rounds {
        let sample = &samples[round % samples.len()];
        let window_bits = rng.pick(&[15, 9, 12, -15, -10, 31, 25, 8]);
        let setup = Setup::new(
            rng.range(0, 10) as c_int - 1,
            window_bits,
            rng.range(1, 9) as c_int,
            rng.range(0, 4) as c_int,
        );
        let plan = Plan {
            flushes: ALL_FLUSHES.to_vec(),
            max_chunk: rng.range(1, 6000),
            max_room: rng.range(1, 6000),
            extras: true,
        };
        let label = format!("round {round}: {} {setup:?}", sample.name);
        run_sequence(&label, &sample.data, setup, &mut rng, &plan);
    }
}

/// The fuzz target's body on generated inputs, and its seeds.
#[test]
fn fuzz_body_on_random_inputs() {
    fuzz_random_inputs(&samples(16 * 1024), 8, 300, 0xfa57_0005, fuzz_fast);
    replay_fuzz_inputs("fast_profile", fuzz_fast);
}

/// deflateReset keeps the stream usable in either profile and lets the
/// profile be chosen again; after the reset the stream's bytes are those
/// of a fresh stream in the profile chosen.
#[test]
fn reset_and_reuse() {
    let data = mixed_data(30_000);
    for level in [1, 6, 9] {
        let mut fast = Fast::new(Setup::new(level, 15, 8, 0));
        fast.finish_all(&data);
        let first = std::mem::take(&mut fast.out);
        // SAFETY: the stream is live.
        unsafe {
            assert_eq!((RZ_D.deflateReset)(&mut *fast.strm), Z_OK);
            assert_eq!(rz_deflateSetProfile(&mut *fast.strm, RZ_PROFILE_FAST), Z_OK);
        }
        fast.finish_all(&data);
        assert_eq!(
            fast.out, first,
            "level {level}: the same bytes after deflateReset"
        );
        // Back to zlib's profile after a reset: zlib's bytes.
        let second = std::mem::take(&mut fast.out);
        assert_ne!(
            second,
            zlib_compress(&data, level),
            "level {level}: fast differs"
        );
        // SAFETY: the stream is live.
        unsafe {
            assert_eq!((RZ_D.deflateReset)(&mut *fast.strm), Z_OK);
            assert_eq!(rz_deflateSetProfile(&mut *fast.strm, RZ_PROFILE_ZLIB), Z_OK);
        }
        fast.finish_all(&data);
        assert_eq!(
            fast.out,
            zlib_compress(&data, level),
            "level {level}: zlib profile"
        );
    }
}

/// rz_deflateSetProfile: Z_OK after deflateInit and before the first
/// deflate call; Z_STREAM_ERROR after it, for an unknown profile, a NULL
/// stream, a stream never initialised and an inflate stream.
#[test]
fn profile_switch_rules() {
    let data = b"hello hello hello hello, profile".repeat(20);
    // SAFETY: every stream is valid or NULL as each call says.
    unsafe {
        assert_eq!(
            rz_deflateSetProfile(std::ptr::null_mut(), RZ_PROFILE_FAST),
            Z_STREAM_ERROR
        );
        let mut never = plain_stream();
        assert_eq!(
            rz_deflateSetProfile(&mut *never, RZ_PROFILE_FAST),
            Z_STREAM_ERROR
        );
        let mut inflating = plain_stream();
        assert_eq!(
            (RZ.inflateInit_)(&mut *inflating, VERSION.as_ptr(), STREAM_SIZE),
            Z_OK
        );
        assert_eq!(
            rz_deflateSetProfile(&mut *inflating, RZ_PROFILE_FAST),
            Z_STREAM_ERROR
        );
        (RZ.inflateEnd)(&mut *inflating);

        let mut strm = plain_stream();
        assert_eq!(
            (RZ_D.deflateInit_)(&mut *strm, 6, VERSION.as_ptr(), STREAM_SIZE),
            Z_OK
        );
        for unknown in [2, -1, 100, c_int::MIN] {
            assert_eq!(rz_deflateSetProfile(&mut *strm, unknown), Z_STREAM_ERROR);
        }
        // Any number of choices before the first call; the last counts.
        assert_eq!(rz_deflateSetProfile(&mut *strm, RZ_PROFILE_ZLIB), Z_OK);
        assert_eq!(rz_deflateSetProfile(&mut *strm, RZ_PROFILE_FAST), Z_OK);
        let mut out = vec![0u8; 4096];
        set_buffers(&mut strm, &data, &mut out);
        assert_eq!((RZ_D.deflate)(&mut *strm, Z_NO_FLUSH), Z_OK);
        assert_eq!(
            rz_deflateSetProfile(&mut *strm, RZ_PROFILE_FAST),
            Z_STREAM_ERROR
        );
        assert_eq!(
            rz_deflateSetProfile(&mut *strm, RZ_PROFILE_ZLIB),
            Z_STREAM_ERROR
        );
        assert_eq!((RZ_D.deflate)(&mut *strm, Z_FINISH), Z_STREAM_END);
        let n = strm.total_out as usize;
        assert_eq!(
            rz_deflateSetProfile(&mut *strm, RZ_PROFILE_ZLIB),
            Z_STREAM_ERROR
        );
        assert_eq!((RZ_D.deflateEnd)(&mut *strm), Z_OK);
        assert_eq!(
            rz_deflateSetProfile(&mut *strm, RZ_PROFILE_FAST),
            Z_STREAM_ERROR
        );
        let back = original_inflate("", &out[..n], 15, &Reading::default(), true, data.len());
        assert_eq!(back, data);

        // A deflate call that fails (no output space) still counts as the
        // first call.
        let mut strm = plain_stream();
        assert_eq!(
            (RZ_D.deflateInit_)(&mut *strm, 6, VERSION.as_ptr(), STREAM_SIZE),
            Z_OK
        );
        set_buffers(&mut strm, &data, &mut []);
        assert_eq!((RZ_D.deflate)(&mut *strm, Z_NO_FLUSH), Z_BUF_ERROR);
        assert_eq!(
            rz_deflateSetProfile(&mut *strm, RZ_PROFILE_FAST),
            Z_STREAM_ERROR
        );
        (RZ_D.deflateEnd)(&mut *strm);
    }
}

/// A dictionary set before the profile is chosen serves the fast profile
/// (both keep zlib's hash chains): the stream uses it and inflates.
#[test]
fn dictionary_then_profile() {
    let data = b"the dictionary holds these words: profile, window, chains. ".repeat(50);
    for window_bits in [15, -15] {
        let mut strm = plain_stream();
        // SAFETY: the buffers outlive the calls.
        unsafe {
            assert_eq!(RZ_D.deflate_init2(&mut *strm, 6, window_bits, 8, 0), Z_OK);
            assert_eq!(
                (RZ_D.deflateSetDictionary)(&mut *strm, data.as_ptr(), 200),
                Z_OK
            );
            assert_eq!(rz_deflateSetProfile(&mut *strm, RZ_PROFILE_FAST), Z_OK);
            let mut out = vec![0u8; 8192];
            set_buffers(&mut strm, &data, &mut out);
            assert_eq!((RZ_D.deflate)(&mut *strm, Z_FINISH), Z_STREAM_END);
            out.truncate(strm.total_out as usize);
            (RZ_D.deflateEnd)(&mut *strm);
            let reading = Reading {
                dictionary: Some(data[..200].to_vec()),
            };
            let back = original_inflate("", &out, window_bits, &reading, true, data.len());
            assert_eq!(back, data);
            // The dictionary helped: the first bytes repeat it.
            assert!(out.len() < 60, "{} bytes with the dictionary", out.len());
        }
    }
}

/// The fast profile allocates no more than 1.5 times what the original
/// zlib allocates for the same settings, measured here: levels 6-9 add the
/// links two back (`prev2`, two bytes per window position) to zlib's
/// tables, and windowBits 15 with memLevel 1 is where that weighs most.
#[test]
fn memory_within_zlibs() {
    let data = mixed_data(200_000);
    let shapes = [
        (15, 8),
        (15, 9),
        (15, 1),
        (9, 1),
        (10, 1),
        (12, 4),
        (-15, 8),
        (31, 9),
    ];
    for (window_bits, mem_level) in shapes {
        for level in [1, 6, 7, 9] {
            let counter = Counter::new(false);
            let mut fast =
                Fast::with_counter(Setup::new(level, window_bits, mem_level, 0), counter);
            fast.finish_all(&data);
            // SAFETY: the counter lives in the stream's box.
            let ours = unsafe { &*(fast.strm.opaque as *const Counter) }
                .peak_bytes
                .load(std::sync::atomic::Ordering::SeqCst);
            let counter = Counter::new(false);
            let mut strm = new_stream(&counter);
            let mut out = vec![0u8; data.len() * 2 + 1024];
            // SAFETY: the buffers outlive the calls.
            unsafe {
                let ret = ZLIB_D.deflate_init2(&mut *strm, level, window_bits, mem_level, 0);
                assert_eq!(ret, Z_OK);
                set_buffers(&mut strm, &data, &mut out);
                assert_eq!((ZLIB_D.deflate)(&mut *strm, Z_FINISH), Z_STREAM_END);
                (ZLIB_D.deflateEnd)(&mut *strm);
            }
            let theirs = counter.peak_bytes.load(std::sync::atomic::Ordering::SeqCst);
            eprintln!(
                "windowBits {window_bits} memLevel {mem_level} level {level}: {ours} bytes, zlib {theirs} ({:.3}x)",
                ours as f64 / theirs as f64
            );
            assert!(
                ours * 2 <= theirs * 3,
                "windowBits {window_bits} memLevel {mem_level} level {level}: {ours} bytes, zlib {theirs}"
            );
        }
    }
}

/// A higher level never compresses clearly worse (by more than 0.5%) on
/// the corpus and the generated text and binary data.
#[test]
fn levels_keep_their_order() {
    let samples = samples(256 << 10);
    let mut all = Vec::new();
    for sample in samples.iter().filter(|s| s.data.len() > 10_000) {
        all.extend_from_slice(&sample.data);
    }
    let mut sizes = Vec::new();
    for level in 1..=9 {
        let mut fast = Fast::new(Setup::new(level, 15, 8, 0));
        fast.finish_all(&all);
        sizes.push(fast.out.len());
    }
    eprintln!(
        "fast profile sizes at levels 1-9 of {} bytes: {sizes:?}",
        all.len()
    );
    for (i, pair) in sizes.windows(2).enumerate() {
        assert!(
            pair[1] * 1000 <= pair[0] * 1005,
            "level {} gives {} bytes, level {} {}",
            i + 2,
            pair[1],
            i + 1,
            pair[0]
        );
    }
}

/// With RZLIB_DEFLATE_PROFILE=fast in its environment, a child process's
/// compress2 and gz files use the fast profile; with an unknown value, or
/// none, zlib's bytes. The child is this test binary running
/// `process_default_child`.
#[test]
fn process_default_from_environment() {
    let exe = std::env::current_exe().unwrap();
    for (value, fast) in [
        (Some("fast"), true),
        (Some("turbo"), false),
        (Some("zlib"), false),
        (None, false),
    ] {
        let mut child = std::process::Command::new(&exe);
        child.args([
            "--ignored",
            "--exact",
            "process_default_child",
            "--test-threads=1",
        ]);
        child.env_remove(rzlib::deflate::PROFILE_VARIABLE);
        if let Some(value) = value {
            child.env(rzlib::deflate::PROFILE_VARIABLE, value);
        }
        child.env("RZLIB_EXPECT_FAST", if fast { "1" } else { "0" });
        let status = child.status().unwrap();
        assert!(
            status.success(),
            "child with RZLIB_DEFLATE_PROFILE={value:?}"
        );
    }
}

/// Run by `process_default_from_environment` with the variable set.
#[test]
#[ignore]
fn process_default_child() {
    let Ok(expect) = std::env::var("RZLIB_EXPECT_FAST") else {
        return;
    };
    let expect_fast = expect == "1";
    let data = mixed_data(100_000);
    for level in [1, 6, 9] {
        let out = rz_compress2(&data, level);
        let zlib = zlib_compress(&data, level);
        assert_eq!(out != zlib, expect_fast, "compress2 at level {level}");
        let back = original_inflate("", &out, 15, &Reading::default(), true, data.len());
        assert!(back == data);
    }
    // A deflateInit stream starts in the process default too.
    let out = rz_deflate_init_finish(&data, 6);
    assert_eq!(out != zlib_compress(&data, 6), expect_fast, "deflateInit");
    gz_follows_default(&data, expect_fast);
}

/// gzwrite's file in the process default: zlib's deflate of the same data
/// (a gzip stream at level 6 through 8 KiB buffers) or other bytes.
fn gz_follows_default(data: &[u8], expect_fast: bool) {
    let path = std::env::temp_dir().join(format!("rzlib-fast-profile-{}.gz", std::process::id()));
    let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: valid strings and buffer; the handle is closed once.
    unsafe {
        let file = rzlib::c_api::gz::gzopen(c_path.as_ptr(), c"wb".as_ptr());
        assert!(!file.is_null());
        assert_eq!(
            rzlib::c_api::gz::gzwrite(file, data.as_ptr().cast(), data.len() as _),
            data.len() as c_int
        );
        assert_eq!(rzlib::c_api::gz::gzclose(file), Z_OK);
    }
    let written = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    let back = original_inflate("", &written, 31, &Reading::default(), true, data.len());
    assert!(back == data, "gz file round trip");
    let mut zlib = common::Deflate::new(6, 31, 0);
    zlib.mem_level = 8;
    let exact = common::deflate(data, &zlib);
    // The same header; the deflate data differs in the fast profile.
    assert_eq!(written[..10], exact[..10]);
    assert_eq!(written != exact, expect_fast, "gz file bytes");
}

// ------------------------------------------------------------ speed probe

/// The fast profile's and the original's time and size on the bench mix
/// (the corpus files the benches use, cut to 256 KiB) and per class, at
/// levels 1, 6 and 9 (PROBE_LEVEL picks one). Run with
/// `cargo test --release --test fast_profile speed_probe -- --ignored --nocapture`.
#[test]
#[ignore]
fn speed_probe() {
    let names = [
        "silesia/dickens",
        "silesia/xml",
        "silesia/ooffice",
        "silesia/mr",
        "canterbury/kennedy.xls",
    ];
    let files = chosen_samples(&names, 256 << 10);
    let pick = |wanted: &[&str]| -> Vec<u8> {
        files
            .iter()
            .filter(|s| wanted.contains(&s.name.as_str()))
            .flat_map(|s| s.data.clone())
            .collect()
    };
    let sets = [
        ("mix", pick(&names)),
        ("text", pick(&["silesia/dickens"])),
        (
            "binary",
            pick(&["silesia/ooffice", "silesia/mr", "canterbury/kennedy.xls"]),
        ),
        ("xml", pick(&["silesia/xml"])),
    ];
    let only: Option<c_int> = std::env::var("PROBE_LEVEL")
        .ok()
        .and_then(|l| l.parse().ok());
    let mut out = vec![0u8; 4 << 20];
    for (name, data) in &sets {
        for level in [1, 6, 9] {
            if only.is_some_and(|l| l != level) {
                continue;
            }
            let mut best_of = |api: &common::deflate_diff::DeflateApi, fast: bool| {
                let mut best = f64::MAX;
                let mut size = 0;
                for _ in 0..9 {
                    let t = std::time::Instant::now();
                    size = compress_with(api, fast, data, level, &mut out);
                    best = best.min(t.elapsed().as_secs_f64());
                }
                (best, size)
            };
            let (ft, fs) = best_of(&RZ_D, true);
            let (zt, zs) = best_of(&ZLIB_D, false);
            println!(
                "{name:6} L{level}: speed {:.2}x size {:.3} ({fs} vs {zs}) {:.2} ms vs {:.2} ms",
                zt / ft,
                fs as f64 / zs as f64,
                ft * 1e3,
                zt * 1e3
            );
        }
    }
}

/// One zlib-format compression with a fresh stream, as compress2 makes it.
fn compress_with(
    api: &common::deflate_diff::DeflateApi,
    fast: bool,
    data: &[u8],
    level: c_int,
    out: &mut [u8],
) -> usize {
    let mut strm = plain_stream();
    // SAFETY: the buffers outlive the calls.
    unsafe {
        assert_eq!(
            (api.deflateInit_)(&mut *strm, level, VERSION.as_ptr(), STREAM_SIZE),
            Z_OK
        );
        if fast {
            assert_eq!(rz_deflateSetProfile(&mut *strm, RZ_PROFILE_FAST), Z_OK);
        }
        set_buffers(&mut strm, data, out);
        assert_eq!((api.deflate)(&mut *strm, Z_FINISH), Z_STREAM_END);
        (api.deflateEnd)(&mut *strm);
    }
    strm.total_out as usize
}

/// One fast-profile stream driven through a seeded sequence of calls
/// (chunks, flushes, deflateParams, a dictionary, deflateReset and a
/// deflateCopy finished on its own), its allocator refusing the attempt
/// numbered `fail_at` (0: none). Returns the outputs (the stream's, then
/// the copy's) and the counter.
fn links_run(
    data: &[u8],
    (window_bits, mem_level): (c_int, c_int),
    seed: u64,
    fail_at: usize,
) -> (Vec<Vec<u8>>, Box<Counter>) {
    let counter = Counter::failing_at(fail_at);
    let mut strm = new_stream(&counter);
    let mut rng = Rng::new(seed);
    let mut outputs = vec![Vec::new()];
    let mut copy: Option<Box<z_stream>> = None;
    let d = &RZ_D;
    // Calls with room to spare until all of `input` is taken and the
    // flush is done.
    let call = |strm: &mut z_stream, mut input: &[u8], flush: c_int, out: &mut Vec<u8>| loop {
        let mut buf = vec![0u8; input.len() * 2 + 4096];
        set_buffers(strm, input, &mut buf);
        // SAFETY: the buffers outlive the call.
        let ret = unsafe { (d.deflate)(strm, flush) };
        assert!(
            matches!(ret, Z_OK | Z_STREAM_END | Z_BUF_ERROR),
            "deflate({flush}): {ret}"
        );
        input = &input[input.len() - strm.avail_in as usize..];
        out.extend_from_slice(&buf[..buf.len() - strm.avail_out as usize]);
        if ret != Z_OK || (input.is_empty() && strm.avail_out != 0) {
            assert!(input.is_empty(), "deflate({flush}): {ret} with input left");
            break;
        }
    };
    // SAFETY: a fresh stream; every buffer outlives the calls using it.
    unsafe {
        // A level that keeps the table, and a first call long enough for
        // it: its allocation is the first after deflateInit2_'s.
        let level = rng.range(7, 9) as c_int;
        assert_eq!(
            d.deflate_init2(&mut *strm, level, window_bits, mem_level, 0),
            Z_OK
        );
        assert_eq!(rz_deflateSetProfile(&mut *strm, RZ_PROFILE_FAST), Z_OK);
        if rng.below(2) == 0 {
            let dict = &data[data.len() / 2..data.len() / 2 + 3000];
            assert_eq!(
                (d.deflateSetDictionary)(&mut *strm, dict.as_ptr(), dict.len() as _),
                Z_OK
            );
        }
        let mut pos = 0;
        while pos < data.len() {
            let least = if pos == 0 { 4096 } else { 1 };
            let end = (pos + rng.range(least, 9000)).min(data.len());
            let flush = rng.pick(&[
                Z_NO_FLUSH,
                Z_NO_FLUSH,
                Z_NO_FLUSH,
                Z_SYNC_FLUSH,
                Z_FULL_FLUSH,
                Z_PARTIAL_FLUSH,
                Z_BLOCK,
            ]);
            call(&mut strm, &data[pos..end], flush, &mut outputs[0]);
            pos = end;
            match rng.below(12) {
                0 | 1 => {
                    // Mostly the default strategy; level 0, Huffman-only
                    // and RLE leave their strings unlinked.
                    let level = rng.range(0, 9) as c_int;
                    let strategy = rng.pick(&[0, 0, 0, 0, 1, 2, 3]);
                    let mut buf = vec![0u8; 1 << 16];
                    set_buffers(&mut strm, &[], &mut buf);
                    let ret = (d.deflateParams)(&mut *strm, level, strategy);
                    assert_eq!(ret, Z_OK);
                    let made = buf.len() - strm.avail_out as usize;
                    outputs[0].extend_from_slice(&buf[..made]);
                }
                2 if copy.is_none() => {
                    let mut dup = new_stream(&counter);
                    assert_eq!((d.deflateCopy)(&mut *dup, &mut *strm), Z_OK);
                    copy = Some(dup);
                    // The copy goes on with the data from here, at its
                    // stream's level.
                    let mut out = Vec::new();
                    call(copy.as_mut().unwrap(), &data[pos..], Z_FINISH, &mut out);
                    outputs.push(out);
                }
                3 => {
                    // The stream's output so far stays; a new stream follows.
                    call(&mut strm, &[], Z_FINISH, &mut outputs[0]);
                    assert_eq!((d.deflateReset)(&mut *strm), Z_OK);
                    if window_bits > 0 && rng.below(2) == 0 {
                        let dict = &data[..pos.min(40_000)];
                        let ret =
                            (d.deflateSetDictionary)(&mut *strm, dict.as_ptr(), dict.len() as _);
                        assert_eq!(ret, Z_OK);
                    }
                }
                _ => {}
            }
        }
        call(&mut strm, &[], Z_FINISH, &mut outputs[0]);
        assert_eq!((d.deflateEnd)(&mut *strm), Z_OK);
        if let Some(mut dup) = copy {
            assert_eq!((d.deflateEnd)(&mut *dup), Z_OK);
        }
    }
    assert_eq!(counter.live(), 0, "memory left allocated");
    (outputs, counter)
}

/// Levels 7-9 walk with the links two back (`prev2`, allocated through the
/// stream's allocator at its first use): their output is the same as
/// without, which a stream whose allocator refuses that table writes.
/// Over corpus-like data, windowBits 9-15 and raw, memLevel 1-9, random
/// flushes, deflateParams to every level and strategy and back, dictionaries,
/// deflateReset and deflateCopy.
#[test]
fn links_two_back_keep_the_output() {
    let data = joined_samples(40 << 10, 160 << 10);
    let mut runs = 0;
    for window_bits in (9..=15).chain([-15, -9]) {
        for mem_level in 1..=9 {
            let shape = (window_bits, mem_level);
            // The attempts deflateInit2_ makes: the next one is the table's.
            let init = {
                let counter = Counter::new(false);
                let mut strm = new_stream(&counter);
                // SAFETY: a fresh stream.
                unsafe {
                    let ret = RZ_D.deflate_init2(&mut *strm, 6, window_bits, mem_level, 0);
                    assert_eq!(ret, Z_OK);
                    (RZ_D.deflateEnd)(&mut *strm);
                }
                counter.attempts.load(std::sync::atomic::Ordering::SeqCst)
            };
            for seed in 0..4 {
                let seed = 0x11_4b5 ^ (seed << 8) ^ (window_bits as u64) << 16 ^ mem_level as u64;
                let (with, counter) = links_run(&data, shape, seed, 0);
                let (without, refused) = links_run(&data, shape, seed, init + 1);
                let attempts = |c: &Counter| c.attempts.load(std::sync::atomic::Ordering::SeqCst);
                let allocs = |c: &Counter| c.allocs.load(std::sync::atomic::Ordering::SeqCst);
                // One stream had the table, the other was refused it.
                assert_eq!(attempts(&counter), allocs(&counter), "{shape:?}");
                assert_eq!(attempts(&refused), allocs(&refused) + 1, "{shape:?}");
                assert!(allocs(&counter) > init, "{shape:?}: no table allocated");
                assert_eq!(with.len(), without.len(), "{shape:?} seed {seed:#x}");
                for (i, (a, b)) in with.iter().zip(&without).enumerate() {
                    assert!(a == b, "{shape:?} seed {seed:#x}: output {i} differs");
                }
                runs += 1;
            }
        }
    }
    eprintln!("{runs} runs with and without the links two back");
}

/// A stream at level 9 over `data`, reset, then `middle` (level and
/// strategy: routines that link no strings, or level 1, which links
/// none in `prev`) over part of it, then level 9 again: stale links of the
/// first stream are reachable then. With the table refused at attempt
/// `fail_at`; returns everything written after the reset.
fn links_after_unlinked(data: &[u8], middle: (c_int, c_int), fail_at: usize) -> Vec<u8> {
    let counter = Counter::failing_at(fail_at);
    let mut strm = new_stream(&counter);
    let d = &RZ_D;
    let mut out = Vec::new();
    let mut buf = vec![0u8; data.len() * 2 + 4096];
    let mut run = |strm: &mut z_stream, input: &[u8], flush: c_int, out: &mut Vec<u8>| {
        set_buffers(strm, input, &mut buf);
        // SAFETY: the buffers outlive the call.
        let ret = unsafe { (d.deflate)(strm, flush) };
        assert!(
            matches!(ret, Z_OK | Z_STREAM_END),
            "deflate({flush}): {ret}"
        );
        assert_eq!(strm.avail_in, 0);
        out.extend_from_slice(&buf[..buf.len() - strm.avail_out as usize]);
    };
    let third = data.len() / 3;
    // SAFETY: a fresh stream; every buffer outlives the calls using it.
    unsafe {
        assert_eq!(d.deflate_init2(&mut *strm, 9, 15, 8, 0), Z_OK);
        assert_eq!(rz_deflateSetProfile(&mut *strm, RZ_PROFILE_FAST), Z_OK);
        run(&mut strm, data, Z_FINISH, &mut Vec::new());
        assert_eq!((d.deflateReset)(&mut *strm), Z_OK);
        assert_eq!((d.deflateParams)(&mut *strm, middle.0, middle.1), Z_OK);
        for chunk in data[..third].chunks(3000) {
            run(&mut strm, chunk, Z_SYNC_FLUSH, &mut out);
        }
        let mut room = vec![0u8; 1 << 16];
        set_buffers(&mut strm, &[], &mut room);
        assert_eq!((d.deflateParams)(&mut *strm, 9, 0), Z_OK);
        out.extend_from_slice(&room[..room.len() - strm.avail_out as usize]);
        for chunk in data[third..].chunks(7000) {
            run(&mut strm, chunk, Z_NO_FLUSH, &mut out);
        }
        run(&mut strm, &[], Z_FINISH, &mut out);
        assert_eq!((d.deflateEnd)(&mut *strm), Z_OK);
    }
    let count = |n: &std::sync::atomic::AtomicUsize| n.load(std::sync::atomic::Ordering::SeqCst);
    let refused = count(&counter.attempts) - count(&counter.allocs);
    assert_eq!(refused, usize::from(fail_at != 0), "the table's allocation");
    assert_eq!(counter.live(), 0, "memory left allocated");
    out
}

/// The links two back leave the output as it is without them after
/// routines that leave strings unlinked, whose entries in `prev` are
/// stale (see `src/deflate/fast/links.rs`).
#[test]
fn links_two_back_after_unlinked_strings() {
    let data = joined_samples(64 << 10, 300 << 10);
    for middle in [(1, 0), (0, 0), (6, 2), (6, 3), (4, 0)] {
        for len in [100 << 10, 200 << 10, 300 << 10] {
            let data = &data[..len];
            // The first stream's table is the first allocation after
            // deflateInit2_'s (5 attempts: the state and four buffers).
            let with = links_after_unlinked(data, middle, 0);
            let without = links_after_unlinked(data, middle, 6);
            assert!(with == without, "{middle:?}, {len} bytes: outputs differ");
        }
    }
}

/// Level 1 codes its blocks as it finds the symbols, with trees made from
/// the previous block's counts, so a block can come out larger than its
/// input: then it is stored instead. deflateBound holds for input given
/// in one Z_FINISH call and in Z_NO_FLUSH calls of any size (zlib.h's
/// promise), on incompressible data (every block stored), on text, and on
/// text and random bytes taking turns (trees made for the other kind), with
/// the default strategy, Z_FILTERED and Z_FIXED (fixed codes only).
#[test]
fn level_one_stays_within_the_bound() {
    let generated = common::generated();
    let kind = |name: &str| {
        let sample = generated.iter().find(|s| s.name == name).expect(name);
        sample.data.repeat(300_000 / sample.data.len().max(1) + 1)[..300_000].to_vec()
    };
    let (random, text) = (kind("gen:random"), kind("gen:text"));
    let turns: Vec<u8> = random
        .chunks(40_000)
        .zip(text.chunks(40_000))
        .flat_map(|(r, t)| r.iter().chain(t).copied())
        .collect();
    let mut rng = Rng::new(0xfa57_0b0d);
    for (name, data) in [("random", &random), ("text", &text), ("turns", &turns)] {
        for (max_chunk, strategy, wrapper) in [0, 1_000, 20_000, 200_000]
            .into_iter()
            .flat_map(|c| [0, 1, 4].map(|s| (c, s)))
            .flat_map(|(c, s)| [-15, 15, 31].map(|w| (c, s, w)))
        {
            let label = format!(
                "{name}, chunks up to {max_chunk}, strategy {strategy}, windowBits {wrapper}"
            );
            let mut fast = Fast::new(Setup::new(1, wrapper, 8, strategy));
            let bound = fast.bound(data.len());
            let ret = fast.chunks_then_finish(data, max_chunk, bound, &mut rng);
            assert_eq!(ret, Z_STREAM_END, "{label}");
            assert!(
                fast.out.len() <= bound,
                "{label}: {} bytes, deflateBound {bound}",
                fast.out.len()
            );
            if name == "random" {
                // Stored blocks: 5 bytes for each 32 KiB at most.
                let stored = data.len() + 5 * (data.len() / 30_000 + 2) + 18;
                assert!(fast.out.len() <= stored, "{label}: {}", fast.out.len());
            }
            let back = original_inflate(
                &label,
                &fast.out,
                wrapper,
                &Reading::default(),
                true,
                data.len(),
            );
            assert!(back == *data, "{label}: round trip");
        }
    }
}

/// Level 1's blocks grow as long as they compress well: on long runs a
/// block holds a hundred thousand of the same match (24 MB of zeros), and
/// its counts are halved along the way to stay within the trees' 16-bit
/// frequencies (the unit test `counts_stay_small` in src/deflate/trees/
/// coder.rs checks the halving itself). Runs of zeros, a short repeated
/// phrase and another byte, in one call and in chunks, inflate to the input.
#[test]
fn level_one_long_blocks_keep_their_counts() {
    let mut data = vec![0u8; 24 << 20];
    data.extend(b"a phrase said again and again, ".repeat(100_000));
    data.extend(std::iter::repeat_n(0xA5, 3 << 20));
    let mut rng = Rng::new(0xfa57_0c0c);
    for max_chunk in [0, 300_000] {
        let label = format!("runs, chunks up to {max_chunk}");
        let mut fast = Fast::new(Setup::new(1, 15, 8, 0));
        let bound = fast.bound(data.len());
        let ret = fast.chunks_then_finish(&data, max_chunk, bound, &mut rng);
        assert_eq!(ret, Z_STREAM_END, "{label}");
        let back = original_inflate(&label, &fast.out, 15, &Reading::default(), true, data.len());
        assert!(back == data, "{label}: round trip");
    }
}

/// A stream reset from the fast profile's level 1, which leaves `prev`
/// unslid, to zlib's profile writes zlib's bytes: its slides move `prev`
/// again. Past two windows, so that both streams slide.
#[test]
fn zlib_profile_after_level_one() {
    let data = mixed_data(150_000);
    let mut rng = Rng::new(0xfa57_0d0d);
    for level in [1, 6, 9] {
        let mut fast = Fast::new(Setup::new(1, 15, 8, 0));
        let room = fast.bound(data.len());
        let ret = fast.chunks_then_finish(&data, 70_000, room, &mut rng);
        assert_eq!(ret, Z_STREAM_END, "level 1, fast");
        fast.out.clear();
        // SAFETY: the stream is live.
        unsafe {
            assert_eq!((RZ_D.deflateReset)(&mut *fast.strm), Z_OK);
            assert_eq!((RZ_D.deflateParams)(&mut *fast.strm, level, 0), Z_OK);
            assert_eq!(rz_deflateSetProfile(&mut *fast.strm, RZ_PROFILE_ZLIB), Z_OK);
        }
        fast.finish_all(&data);
        assert!(
            fast.out == zlib_compress(&data, level),
            "level {level}: zlib's bytes"
        );
    }
}
