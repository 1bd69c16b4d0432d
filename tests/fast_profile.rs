//! The fast deflate profile (issue 16). Every stream it writes, over every
//! level, strategy, window, memLevel and wrapper, with every flush mode in
//! random chunkings, deflateParams, dictionaries, gzip headers, primes,
//! copies, resets and pending queries, inflates with the ORIGINAL zlib
//! (libz-sys) to its input, with zlib's return codes and counters; every
//! sync and full flush point is checked by inflating what came out so far.
//! The profile switch (rz_deflateSetProfile) follows its rules, memory
//! stays zlib's, levels keep their order, and RZLIB_DEFLATE_PROFILE sets
//! the process default (in a child process). `speed_probe` (ignored)
//! prints speed and size against the original's.
#![allow(non_snake_case)]

#[path = "fast_profile/body.rs"]
mod body;
mod common;

use std::ffi::{c_int, c_ulong};

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
    let samples = samples(16 * 1024);
    let mut rng = Rng::new(0xfa57_0005);
    for round in 0..300 {
        let mut input = rng.bytes(8);
        let sample = &samples[round % samples.len()].data;
        let start = rng.below(sample.len());
        let len = rng.below(sample.len() - start + 1);
        input.extend_from_slice(&sample[start..start + len]);
        fuzz_fast(&input);
    }
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

/// The fast profile allocates what the zlib profile does, and no more than
/// 1.5 times what the original zlib allocates for the same settings.
#[test]
fn memory_within_zlibs() {
    let data = mixed_data(200_000);
    for (window_bits, mem_level) in [(15, 8), (15, 9), (9, 1), (12, 4), (-15, 8), (31, 9)] {
        for level in [1, 6, 9] {
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
        let mut out = vec![0u8; data.len() * 2];
        let mut len = out.len() as c_ulong;
        // SAFETY: the buffers are valid for their lengths.
        let ret = unsafe {
            (RZ_D.compress2)(
                out.as_mut_ptr(),
                &mut len,
                data.as_ptr(),
                data.len() as c_ulong,
                level,
            )
        };
        assert_eq!(ret, Z_OK);
        out.truncate(len as usize);
        let zlib = zlib_compress(&data, level);
        assert_eq!(out != zlib, expect_fast, "compress2 at level {level}");
        let back = original_inflate("", &out, 15, &Reading::default(), true, data.len());
        assert!(back == data);
    }
    // A deflateInit stream starts in the process default too.
    let mut strm = plain_stream();
    let mut out = vec![0u8; data.len() * 2];
    // SAFETY: the buffers outlive the calls.
    unsafe {
        assert_eq!(
            (RZ_D.deflateInit_)(&mut *strm, 6, VERSION.as_ptr(), STREAM_SIZE),
            Z_OK
        );
        set_buffers(&mut strm, &data, &mut out);
        assert_eq!((RZ_D.deflate)(&mut *strm, Z_FINISH), Z_STREAM_END);
        out.truncate(strm.total_out as usize);
        (RZ_D.deflateEnd)(&mut *strm);
    }
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
