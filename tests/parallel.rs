//! Parallel compression of one stream (issue 19): `rz_deflateSetThreads`
//! and the process default `RZLIB_DEFLATE_THREADS`.
//!
//! - Round trips through the ORIGINAL zlib's inflate (libz-sys) for every
//!   wrapper, a few windows and memLevels, every level and strategy, with
//!   Z_NO_FLUSH only, random flushes, and the extra calls (deflateParams,
//!   dictionaries, gzip headers, deflatePrime, deflatePending,
//!   deflateBound, deflateCopy), on data of several 128 KiB jobs
//!   (the corpus when present, else generated data: stderr says which),
//!   every sync and full flush point checked (`run_sequence` in
//!   fast_profile/body.rs) on 2, 3 and 0 (one per core) threads.
//! - The bytes depend on the call sequence only: 2, 3, 4 and 0 threads
//!   and any output space give the same stream; a first Z_FINISH of at
//!   most one job is a one-thread stream's bytes.
//! - One Z_FINISH call fits deflateBound; flushes deliver everything and a
//!   full flush leaves a stream that inflates without its history.
//! - deflateReset and deflateEnd with jobs in flight, rz_deflateSetThreads'
//!   rules, refused memory (nothing leaks), deflateParams, deflatePending,
//!   deflateGetDictionary, deflateSetDictionary, and deflateCopy with jobs
//!   in flight (the copy writes what the original writes).
//! - Many parallel streams at once (`concurrent_streams`), a fork while
//!   the pool works and a forked child finishing a stream with jobs in
//!   flight, the environment variable in a child process, and the fuzz
//!   body (`fuzz_parallel`) on random inputs and its seeds.
#![allow(non_snake_case)]

#[path = "fast_profile/body.rs"]
mod body;
mod common;

use std::ffi::{c_int, c_uint};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use body::*;
use common::deflate_diff::{Setup, ALL_FLUSHES, RZ_D, ZLIB_D, Z_PARTIAL_FLUSH};
use common::*;
use rzlib::deflate::{PARALLEL_BLOCK, THREADS_VARIABLE};

/// Runs `f` with the streams of `Fast::new` on `threads` threads.
fn with_threads<R>(threads: c_int, f: impl FnOnce() -> R) -> R {
    struct Restore(c_int);
    impl Drop for Restore {
        fn drop(&mut self) {
            THREADS.set(self.0);
        }
    }
    let _restore = Restore(THREADS.get());
    THREADS.set(threads);
    f()
}

/// `len` bytes of the samples (the corpus files when present, else the
/// generated data; `samples` says which on stderr), each cut to 96 KiB so
/// that jobs span several kinds, joined and repeated as needed.
fn several_jobs(len: usize) -> Vec<u8> {
    let mut joined = Vec::new();
    for sample in samples(96 << 10).iter().filter(|s| s.data.len() > 1000) {
        joined.extend_from_slice(&sample.data);
    }
    assert!(!joined.is_empty());
    joined.iter().copied().cycle().take(len).collect()
}

/// One kind of generated data ("gen:text", "gen:random", ...), repeated
/// to `len` bytes.
fn generated_kind(name: &str, len: usize) -> Vec<u8> {
    let generated = common::generated();
    let sample = generated.iter().find(|s| s.name == name).expect(name);
    sample.data.iter().copied().cycle().take(len).collect()
}

/// Text, random bytes and binary records taking turns in 40 KB pieces.
fn turns(len: usize) -> Vec<u8> {
    let kinds = [
        generated_kind("gen:text", len),
        generated_kind("gen:random", len),
        generated_kind("gen:binary", len),
    ];
    let mut data = Vec::with_capacity(len);
    let mut i = 0;
    while data.len() < len {
        let at = data.len();
        let end = (at + 40_000).min(len);
        data.extend_from_slice(&kinds[i % 3][at..end]);
        i += 1;
    }
    data
}

/// A stream in the fast profile on `threads` threads.
fn parallel_stream(setup: Setup, threads: c_int) -> Fast {
    with_threads(threads, || Fast::new(setup))
}

/// The ORIGINAL zlib inflates `stream` (a whole stream, `window_bits` as
/// deflate had it) to `data`.
fn assert_inflates(label: &str, stream: &[u8], window_bits: c_int, data: &[u8]) {
    let back = original_inflate(
        label,
        stream,
        window_bits,
        &Reading::default(),
        true,
        data.len(),
    );
    assert!(back == data, "{label}: the original inflates the data");
}

/// Inflates `stream` with the ORIGINAL zlib as a raw stream with no
/// dictionary; returns the data and the bytes left after its end (the
/// wrapper's trailer).
fn raw_inflate(stream: &[u8], max_len: usize) -> (Vec<u8>, usize) {
    let mut strm = plain_stream();
    let mut out = vec![0u8; max_len + 64];
    // SAFETY: the buffers outlive the calls.
    unsafe {
        assert_eq!(
            (ZLIB.inflateInit2_)(&mut *strm, -15, VERSION.as_ptr(), STREAM_SIZE),
            Z_OK
        );
        set_buffers(&mut strm, stream, &mut out);
        let ret = (ZLIB.inflate)(&mut *strm, Z_SYNC_FLUSH);
        assert_eq!(ret, Z_STREAM_END, "raw inflate without history");
        out.truncate(strm.total_out as usize);
        let left = strm.avail_in as usize;
        (ZLIB.inflateEnd)(&mut *strm);
        (out, left)
    }
}

/// deflateParams on `fast` with `room` bytes of output; the output joins
/// the stream's. Returns the code.
fn params(fast: &mut Fast, level: c_int, strategy: c_int, room: usize) -> c_int {
    let mut buf = vec![0u8; room];
    set_buffers(&mut fast.strm, &[], &mut buf);
    let before = fast.strm.total_out;
    // SAFETY: the buffers outlive the call.
    let ret = unsafe { (RZ_D.deflateParams)(&mut *fast.strm, level, strategy) };
    let made = (fast.strm.total_out - before) as usize;
    fast.out.extend_from_slice(&buf[..made]);
    ret
}

/// deflatePending's answer.
fn pending(fast: &mut Fast) -> (c_uint, c_int) {
    let (mut bytes, mut bits) = (0, 0);
    // SAFETY: the stream is live.
    let ret = unsafe { (RZ_D.deflatePending)(&mut *fast.strm, &mut bytes, &mut bits) };
    assert_eq!(ret, Z_OK);
    (bytes, bits)
}

/// deflateGetDictionary's answer.
fn dictionary_of(fast: &mut Fast) -> Vec<u8> {
    let mut dict = vec![0u8; 1 << 15];
    let mut len: c_uint = 0;
    // SAFETY: room for the largest window.
    let ret = unsafe { (RZ_D.deflateGetDictionary)(&mut *fast.strm, dict.as_mut_ptr(), &mut len) };
    assert_eq!(ret, Z_OK);
    dict.truncate(len as usize);
    dict
}

fn counted(counter: &Counter) -> (usize, usize) {
    (
        counter.attempts.load(Ordering::SeqCst),
        counter.allocs.load(Ordering::SeqCst),
    )
}

// ------------------------------------------------------------ round trips

/// Every level (and Z_DEFAULT_COMPRESSION) in the three wrappers, default
/// strategy, on 2 threads: one Z_FINISH call within deflateBound, and
/// random chunks with Z_NO_FLUSH only (then Z_FINISH), through the
/// original's inflate.
#[test]
fn levels_and_wrappers_round_trip() {
    let data = several_jobs(420_000);
    let mut rng = Rng::new(0x9a4a_0001);
    let plan = Plan {
        flushes: vec![Z_NO_FLUSH],
        max_chunk: 90_000,
        max_room: 50_000,
        extras: false,
    };
    with_threads(2, || {
        for window_bits in [15, -15, 31] {
            for level in -1..=9 {
                let setup = Setup::new(level, window_bits, 8, 0);
                let label = format!("level {level} windowBits {window_bits}");
                let mut fast = Fast::new(setup);
                fast.finish_all(&data);
                assert_inflates(&label, &fast.out, window_bits, &data);
                run_sequence(&label, &data, setup, &mut rng, &plan);
            }
        }
    });
}

/// Every strategy at levels of each band, in the three wrappers, with
/// random sync, full, partial and block flushes between random chunks (on
/// 2 threads, and on 3 for the gzip wrapper).
#[test]
fn strategies_with_random_flushes() {
    let data = several_jobs(350_000);
    let mut rng = Rng::new(0x9a4a_0002);
    for (window_bits, threads) in [(15, 2), (-15, 2), (31, 3)] {
        with_threads(threads, || {
            for strategy in 0..=4 {
                for level in [1, 5, 9] {
                    let setup = Setup::new(level, window_bits, 8, strategy);
                    let plan = Plan {
                        flushes: vec![
                            Z_NO_FLUSH,
                            Z_NO_FLUSH,
                            Z_SYNC_FLUSH,
                            Z_FULL_FLUSH,
                            Z_PARTIAL_FLUSH,
                            Z_BLOCK,
                        ],
                        max_chunk: rng.range(1_000, 150_000),
                        max_room: rng.range(100, 60_000),
                        extras: false,
                    };
                    let label = format!(
                        "strategy {strategy} level {level} windowBits {window_bits} threads {threads}"
                    );
                    run_sequence(&label, &data, setup, &mut rng, &plan);
                }
            }
        });
    }
}

/// Smaller windows and memLevels in each wrapper, with every extra call
/// (deflateParams, dictionaries, gzip headers, deflatePrime, deflatePending,
/// deflateBound, deflateCopy) and every flush, on 2, 3 and 0
/// threads.
#[test]
fn windows_mem_levels_and_extras() {
    let data = several_jobs(320_000);
    let mut rng = Rng::new(0x9a4a_0003);
    let shapes = [
        (9, 1),
        (12, 5),
        (15, 9),
        (-10, 3),
        (-15, 1),
        (25, 7),
        (31, 2),
    ];
    for (i, (window_bits, mem_level)) in shapes.into_iter().enumerate() {
        let threads = [2, 3, 0][i % 3];
        with_threads(threads, || {
            for level in [-1, 1, 4, 9] {
                let setup = Setup::new(level, window_bits, mem_level, (i % 5) as c_int);
                let plan = Plan {
                    flushes: ALL_FLUSHES.to_vec(),
                    max_chunk: rng.range(1_000, 120_000),
                    max_room: rng.range(1, 40_000),
                    extras: true,
                };
                let label = format!("{setup:?} threads {threads}");
                run_sequence(&label, &data, setup, &mut rng, &plan);
            }
        });
    }
}

/// Random settings and sequences with every call, the small chunks and
/// output buffers included.
#[test]
fn random_sequences_with_every_call() {
    let data = several_jobs(300_000);
    let mut rng = Rng::new(0x9a4a_0004);
    for round in 0..24 {
        let threads = rng.pick(&[2, 3, 4, 0]);
        let setup = Setup::new(
            rng.range(0, 10) as c_int - 1,
            rng.pick(&[15, 9, 12, -15, -10, 31, 25]),
            rng.range(1, 9) as c_int,
            rng.range(0, 4) as c_int,
        );
        let plan = Plan {
            flushes: ALL_FLUSHES.to_vec(),
            max_chunk: rng.pick(&[700, 20_000, 200_000]),
            max_room: rng.pick(&[7, 900, 70_000]),
            extras: true,
        };
        let start = rng.below(data.len() / 3);
        let label = format!("round {round}: {setup:?} threads {threads}");
        with_threads(threads, || {
            run_sequence(&label, &data[start..], setup, &mut rng, &plan)
        });
    }
}

// ------------------------------------------------------------ same bytes

/// A fixed call sequence: chunks taken whole (Z_NO_FLUSH calls repeat
/// until the chunk is in), flushes of each kind, deflateParams changes
/// with input pending, then Z_FINISH, with output space from `room_seed`.
/// Returns the stream.
fn scripted(setup: Setup, threads: c_int, data: &[u8], room_seed: u64) -> Vec<u8> {
    let mut fast = parallel_stream(setup, threads);
    let mut script = Rng::new(0x5c41_97ed);
    let mut rooms = Rng::new(room_seed);
    let mut room = move || rooms.range(1, 30_000);
    let mut given = 0;
    while given < data.len() {
        let chunk = script.range(1, 100_000).min(data.len() - given);
        let input = &data[given..given + chunk];
        let flush = script.pick(&[
            Z_NO_FLUSH,
            Z_NO_FLUSH,
            Z_NO_FLUSH,
            Z_SYNC_FLUSH,
            Z_FULL_FLUSH,
            Z_PARTIAL_FLUSH,
            Z_BLOCK,
        ]);
        if flush == Z_NO_FLUSH {
            let mut taken = 0;
            while taken < chunk {
                taken += fast.call(&input[taken..], room(), Z_NO_FLUSH).1;
            }
        } else {
            let ret = fast.flush_through(input, flush, &mut room);
            assert!(matches!(ret, Z_OK | Z_BUF_ERROR), "flush {flush}: {ret}");
        }
        given += chunk;
        if script.below(6) == 0 {
            let (level, strategy) = (script.range(0, 9) as c_int, script.range(0, 4) as c_int);
            // Room for the input still in the stream: the change completes.
            assert_eq!(params(&mut fast, level, strategy, 1 << 20), Z_OK);
        }
    }
    assert_eq!(fast.flush_through(&[], Z_FINISH, &mut room), Z_STREAM_END);
    assert_eq!(fast.end(), Z_OK);
    std::mem::take(&mut fast.out)
}

/// The same call sequence on 2, 3, 4 and 0 threads, with different output
/// space, writes the same bytes, which inflate to the data.
#[test]
fn thread_count_does_not_change_the_bytes() {
    let data = several_jobs(900_000);
    for setup in [
        Setup::new(6, 15, 8, 0),
        Setup::new(1, -15, 8, 0),
        Setup::new(9, 31, 9, 1),
        Setup::new(3, 12, 4, 0),
    ] {
        let first = scripted(setup, 2, &data, 1);
        assert_inflates("scripted", &first, setup.window_bits, &data);
        for (threads, room_seed) in [(2, 2), (3, 3), (4, 4), (0, 5), (3, 6)] {
            let other = scripted(setup, threads, &data, room_seed);
            assert!(
                other == first,
                "{setup:?}: {threads} threads (room seed {room_seed}) wrote other bytes ({} vs {})",
                other.len(),
                first.len()
            );
        }
    }
}

/// A first Z_FINISH call with at most one job's input on a fresh stream
/// is a one-thread stream: the same bytes as threads 1 in the fast
/// profile. With more than one job's input, the bytes differ (the jobs
/// end on sync flushes).
#[test]
fn one_job_in_one_call_is_a_one_thread_stream() {
    // Two jobs at every level (the fast profile's level 1 takes two
    // blocks' worth per job).
    let data = several_jobs(2 * PARALLEL_BLOCK + 70_000);
    for window_bits in [15, -15, 31] {
        for level in [1, 6, 9] {
            let setup = Setup::new(level, window_bits, 8, 0);
            for len in [1000, PARALLEL_BLOCK - 1, PARALLEL_BLOCK] {
                let mut one = parallel_stream(setup, 1);
                one.finish_all(&data[..len]);
                let mut two = parallel_stream(setup, 2);
                two.finish_all(&data[..len]);
                assert!(one.out == two.out, "{setup:?}, {len} bytes");
            }
            let mut one = parallel_stream(setup, 1);
            one.finish_all(&data);
            let mut two = parallel_stream(setup, 2);
            two.finish_all(&data);
            assert!(one.out != two.out, "{setup:?}: two jobs in parallel");
        }
    }
}

// ------------------------------------------------------------ bounds and flushes

/// One Z_FINISH call with deflateBound's space takes everything and
/// finishes: random bytes, text and the two taking turns, every level and
/// (at three levels) every strategy, in the three wrappers; and Z_NO_FLUSH
/// chunks then Z_FINISH stay within the bound as well.
#[test]
fn one_call_within_the_bound() {
    let len = 3 * PARALLEL_BLOCK + 12_345;
    let kinds = [
        ("random", generated_kind("gen:random", len)),
        ("text", generated_kind("gen:text", len)),
        ("turns", turns(len)),
    ];
    let mut rng = Rng::new(0x9a4a_0b0d);
    with_threads(2, || {
        for (name, data) in &kinds {
            for window_bits in [15, -15, 31] {
                let cases = (0..=9).map(|l| (l, 0)).chain(
                    [1, 6, 9]
                        .into_iter()
                        .flat_map(|l| (1..=4).map(move |s| (l, s))),
                );
                for (level, strategy) in cases {
                    let setup = Setup::new(level, window_bits, 8, strategy);
                    let label = format!("{name} {setup:?}");
                    let mut fast = Fast::new(setup);
                    // finish_all: one call, Z_STREAM_END, within the bound.
                    fast.finish_all(data);
                    assert_inflates(&label, &fast.out, window_bits, data);
                    if level % 4 == 1 {
                        let mut chunked = Fast::new(setup);
                        let bound = chunked.bound(data.len());
                        let ret = chunked.chunks_then_finish(data, 150_000, bound, &mut rng);
                        assert_eq!(ret, Z_STREAM_END, "{label}: chunks");
                        assert!(
                            chunked.out.len() <= bound,
                            "{label}: chunks give {} bytes, deflateBound {bound}",
                            chunked.out.len()
                        );
                    }
                }
            }
        }
    });
}

/// After Z_SYNC_FLUSH or Z_FULL_FLUSH returns with output space left,
/// everything given so far inflates, the jobs in flight included; after
/// Z_NO_FLUSH, total_in counts all the input taken, whatever output was
/// held back, and deflatePending counts what is held.
#[test]
fn flushes_deliver_everything_given() {
    let data = several_jobs(800_000);
    let mut rng = Rng::new(0x9a4a_0f1f);
    for (threads, window_bits) in [(2, 15), (3, 31), (0, -15)] {
        let setup = Setup::new(6, window_bits, 8, 0);
        let mut fast = parallel_stream(setup, threads);
        let mut given = 0;
        let mut syncs = 0;
        while given < data.len() {
            let chunk = rng.range(1, 250_000).min(data.len() - given);
            let input = &data[given..given + chunk];
            // Room for everything: Z_NO_FLUSH must take all of it.
            let room = fast.bound(data.len());
            let (_, used) = fast.call(input, room, Z_NO_FLUSH);
            assert_eq!(used, chunk, "Z_NO_FLUSH with room takes everything");
            given += chunk;
            assert_eq!(fast.strm.total_in as usize, given, "total_in");
            let (held, _) = pending(&mut fast);
            assert!((held as usize) < room, "deflatePending: {held} bytes held");
            if rng.below(2) == 0 {
                let flush = rng.pick(&[Z_SYNC_FLUSH, Z_FULL_FLUSH]);
                let room = fast.bound(data.len());
                let (ret, used) = fast.call(&[], room, flush);
                assert_eq!((ret, used), (Z_OK, 0), "flush {flush}");
                assert_ne!(fast.strm.avail_out, 0, "flush {flush} done in one call");
                assert_eq!(pending(&mut fast), (0, 0), "nothing pending after it");
                let back = original_inflate(
                    "flushed",
                    &fast.out,
                    window_bits,
                    &Reading::default(),
                    false,
                    given,
                );
                assert!(
                    back == data[..given],
                    "threads {threads}: after flush {flush}, {} of {given} bytes inflate",
                    back.len()
                );
                syncs += 1;
            }
        }
        assert!(syncs > 0);
        assert_eq!(fast.call(&[], 1 << 20, Z_FINISH).0, Z_STREAM_END);
        assert_inflates("end", &fast.out, window_bits, &data);
    }
}

/// What follows a Z_FULL_FLUSH inflates on its own: a raw inflate with no
/// history, fed only the bytes after the flush point, gives the data after
/// it. Data that repeats itself every 20 KB, so that a job still using the
/// history would refer back past the flush; flushes inside jobs and at
/// their edges, with jobs in flight.
#[test]
fn full_flush_restarts_the_history() {
    let unit = generated_kind("gen:text", 20_000);
    let data: Vec<u8> = unit.iter().copied().cycle().take(700_000).collect();
    let points = [
        5_000,
        PARALLEL_BLOCK,
        PARALLEL_BLOCK + 1,
        2 * PARALLEL_BLOCK + 17_000,
        600_000,
    ];
    for (threads, window_bits, level) in [(2, 15, 6), (3, -15, 1), (2, 31, 9), (0, 15, 3)] {
        let setup = Setup::new(level, window_bits, 8, 0);
        let mut fast = parallel_stream(setup, threads);
        let mut cuts = Vec::new();
        let mut given = 0;
        for &point in &points {
            let mut taken = 0;
            let input = &data[given..point];
            while taken < input.len() {
                taken += fast.call(&input[taken..], 40_000, Z_NO_FLUSH).1;
            }
            let ret = fast.flush_through(&[], Z_FULL_FLUSH, &mut || 50_000);
            assert_eq!(ret, Z_OK);
            given = point;
            cuts.push((point, fast.out.len()));
        }
        let room = fast.bound(data.len());
        fast.call(&data[given..], room, Z_FINISH);
        assert_eq!(fast.end(), Z_OK);
        let trailer = match window_bits {
            w if w < 0 => 0,
            w if w > 15 => 8,
            _ => 4,
        };
        for (point, at) in cuts {
            let (back, left) = raw_inflate(&fast.out[at..], data.len());
            assert_eq!(left, trailer, "threads {threads}: after {point}");
            assert!(
                back == data[point..],
                "threads {threads} windowBits {window_bits}: after the full flush at {point}, {} of {} bytes inflate",
                back.len(),
                data.len() - point
            );
        }
    }
}

// ------------------------------------------------------------ reset, end, rules, memory

/// deflateReset with jobs in flight (and running), then the stream again:
/// the same bytes as a fresh stream's for the same calls, which inflate.
/// The threads may be set again after the reset.
#[test]
fn reset_with_jobs_in_flight() {
    let data = several_jobs(900_000);
    for (threads, window_bits) in [(2, 15), (4, 31), (3, -15)] {
        let setup = Setup::new(6, window_bits, 8, 0);
        let mut fresh = parallel_stream(setup, threads);
        for chunk in data.chunks(300_000) {
            fresh.call(chunk, 1 << 21, Z_NO_FLUSH);
        }
        assert_eq!(fresh.call(&[], 1 << 21, Z_FINISH).0, Z_STREAM_END);
        let expected = std::mem::take(&mut fresh.out);

        let mut fast = parallel_stream(setup, threads);
        // Several jobs queued and running; part of the output held.
        let (_, used) = fast.call(&data[..700_000], 1 << 21, Z_NO_FLUSH);
        assert_eq!(used, 700_000);
        // SAFETY: the stream is live.
        unsafe {
            assert_eq!((RZ_D.deflateReset)(&mut *fast.strm), Z_OK);
            assert_eq!(fast.strm.total_in, 0);
            assert_eq!(rz_deflateSetThreads(&mut *fast.strm, 3), Z_OK);
            assert_eq!(rz_deflateSetThreads(&mut *fast.strm, threads), Z_OK);
        }
        fast.out.clear();
        for chunk in data.chunks(300_000) {
            fast.call(chunk, 1 << 21, Z_NO_FLUSH);
        }
        assert_eq!(fast.call(&[], 1 << 21, Z_FINISH).0, Z_STREAM_END);
        assert!(
            fast.out == expected,
            "threads {threads} windowBits {window_bits}: reset stream's bytes"
        );
        assert_inflates("reset", &fast.out, window_bits, &data);
    }
}

/// deflateEnd with jobs in flight returns Z_DATA_ERROR (data was lost) and
/// gives back every block allocated; at the end of a stream, or before the
/// first call, Z_OK, nothing left either.
#[test]
fn end_mid_stream_leaks_nothing() {
    let data = several_jobs(1_000_000);
    for threads in [2, 3, 4] {
        for stop in [0, 1000, 300_000, 1_000_000] {
            let counter = Counter::new(false);
            let live = &*counter as *const Counter;
            let mut fast = with_threads(threads, || {
                Fast::with_counter(Setup::new(6, 15, 8, 0), counter)
            });
            if stop != 0 {
                let (_, used) = fast.call(&data[..stop], 1 << 21, Z_NO_FLUSH);
                assert_eq!(used, stop);
            }
            let ret = fast.end();
            let expected = if stop == 0 { Z_OK } else { Z_DATA_ERROR };
            assert_eq!(ret, expected, "threads {threads}, deflateEnd after {stop}");
            // SAFETY: the counter lives in `fast`.
            let live = unsafe { &*live };
            assert_eq!(live.live(), 0, "threads {threads}, {stop}: blocks left");
            assert_eq!(live.live_bytes.load(Ordering::SeqCst), 0);
        }
        // A finished stream.
        let counter = Counter::new(false);
        let live = &*counter as *const Counter;
        let mut fast = with_threads(threads, || {
            Fast::with_counter(Setup::new(1, 31, 8, 0), counter)
        });
        fast.finish_all(&data);
        assert_eq!(fast.end(), Z_OK);
        // SAFETY: the counter lives in `fast`.
        assert_eq!(unsafe { &*live }.live(), 0, "threads {threads}: finished");
    }
}

/// rz_deflateSetThreads: Z_OK any number of times before the first deflate
/// call (the last counts), Z_STREAM_ERROR after it (also for 1 thread),
/// for a negative count, a NULL stream, one never initialised and an
/// inflate stream.
#[test]
fn set_threads_rules() {
    let data = several_jobs(400_000);
    // SAFETY: every stream is valid or NULL as each call says.
    unsafe {
        assert_eq!(
            rz_deflateSetThreads(std::ptr::null_mut(), 2),
            Z_STREAM_ERROR
        );
        let mut never = plain_stream();
        assert_eq!(rz_deflateSetThreads(&mut *never, 2), Z_STREAM_ERROR);
        let mut inflating = plain_stream();
        assert_eq!(
            (RZ.inflateInit_)(&mut *inflating, VERSION.as_ptr(), STREAM_SIZE),
            Z_OK
        );
        assert_eq!(rz_deflateSetThreads(&mut *inflating, 2), Z_STREAM_ERROR);
        (RZ.inflateEnd)(&mut *inflating);
    }
    let setup = Setup::new(6, 15, 8, 0);
    let mut fast = parallel_stream(setup, 1);
    // SAFETY: the stream is live.
    unsafe {
        for negative in [-1, -2, c_int::MIN] {
            assert_eq!(
                rz_deflateSetThreads(&mut *fast.strm, negative),
                Z_STREAM_ERROR
            );
        }
        assert_eq!(rz_deflateSetThreads(&mut *fast.strm, 4), Z_OK);
        assert_eq!(rz_deflateSetThreads(&mut *fast.strm, 1), Z_OK);
        assert_eq!(rz_deflateSetThreads(&mut *fast.strm, 3), Z_OK);
        assert_eq!(rz_deflateSetThreads(&mut *fast.strm, 2), Z_OK);
    }
    fast.call(&data[..1000], 100, Z_NO_FLUSH);
    // SAFETY: the stream is live.
    unsafe {
        for threads in [1, 2, 0, -1] {
            assert_eq!(
                rz_deflateSetThreads(&mut *fast.strm, threads),
                Z_STREAM_ERROR,
                "after the first deflate: {threads}"
            );
        }
    }
    assert_eq!(
        fast.flush_through(&data[1000..], Z_FINISH, &mut || 70_000),
        Z_STREAM_END
    );
    let mut two = parallel_stream(setup, 2);
    two.call(&data[..1000], 100, Z_NO_FLUSH);
    two.flush_through(&data[1000..], Z_FINISH, &mut || 70_000);
    assert!(fast.out == two.out, "the last choice (2 threads) counts");
    // A first call that fails for lack of output space still counts.
    let mut failed = parallel_stream(setup, 1);
    assert_eq!(failed.call(&data, 0, Z_NO_FLUSH).0, Z_BUF_ERROR);
    // SAFETY: the stream is live.
    assert_eq!(
        unsafe { rz_deflateSetThreads(&mut *failed.strm, 2) },
        Z_STREAM_ERROR
    );
}

/// One parallel stream over `data` whose allocator refuses attempt
/// `fail_at`: rz_deflateSetThreads(threads) either succeeds or returns
/// Z_MEM_ERROR; the stream then either completes and inflates or returns
/// an error; deflateEnd leaves nothing allocated. Returns
/// rz_deflateSetThreads' code (None when deflateInit2_ itself failed).
fn refused_run(data: &[u8], threads: c_int, fail_at: usize) -> Option<c_int> {
    let counter = Counter::failing_at(fail_at);
    let mut strm = new_stream(&counter);
    let label = format!("threads {threads}, attempt {fail_at} refused");
    // SAFETY: the buffers outlive the calls.
    let set = unsafe {
        let ret = RZ_D.deflate_init2(&mut *strm, 6, 15, 8, 0);
        if ret != Z_OK {
            assert_eq!(ret, Z_MEM_ERROR, "{label}: deflateInit2_");
            assert_eq!(counter.live(), 0, "{label}: deflateInit2_ leaks");
            return None;
        }
        let set = rz_deflateSetThreads(&mut *strm, threads);
        assert!(matches!(set, Z_OK | Z_MEM_ERROR), "{label}: {set}");
        let mut out = vec![0u8; data.len() + data.len() / 8 + 4096];
        let mut written = 0;
        let mut code = Z_OK;
        for (i, chunk) in data.chunks(100_000).enumerate() {
            let last = (i + 1) * 100_000 >= data.len();
            let flush = if last { Z_FINISH } else { Z_NO_FLUSH };
            set_buffers(&mut strm, chunk, &mut out[written..]);
            code = (RZ_D.deflate)(&mut *strm, flush);
            written = strm.total_out as usize;
            if code < 0 {
                break;
            }
        }
        if code >= 0 {
            assert_eq!(code, Z_STREAM_END, "{label}");
            assert_inflates(&label, &out[..written], 15, data);
        } else {
            assert!(
                matches!(code, Z_MEM_ERROR | Z_STREAM_ERROR),
                "{label}: deflate returned {code}"
            );
        }
        (RZ_D.deflateEnd)(&mut *strm);
        set
    };
    assert_eq!(counter.live(), 0, "{label}: blocks left after deflateEnd");
    Some(set)
}

/// Allocators that refuse one attempt, each in turn, through
/// deflateInit2_, rz_deflateSetThreads (which returns Z_MEM_ERROR when
/// the first job's memory is refused) and the later jobs' allocations:
/// no crash, no leak, and every stream that completes inflates.
#[test]
fn refused_memory_leaks_nothing() {
    let data = several_jobs(900_000);
    for threads in [2, 3] {
        let all = {
            let counter = Counter::new(false);
            let mut strm = new_stream(&counter);
            // SAFETY: as in refused_run.
            unsafe {
                assert_eq!(RZ_D.deflate_init2(&mut *strm, 6, 15, 8, 0), Z_OK);
                assert_eq!(rz_deflateSetThreads(&mut *strm, threads), Z_OK);
                let mut out = vec![0u8; data.len() * 2];
                set_buffers(&mut strm, &data, &mut out);
                assert_eq!((RZ_D.deflate)(&mut *strm, Z_FINISH), Z_STREAM_END);
                assert_eq!((RZ_D.deflateEnd)(&mut *strm), Z_OK);
            }
            assert_eq!(counter.live(), 0);
            counted(&counter).0
        };
        let mut refused = 0;
        for fail_at in 1..=all + 1 {
            if refused_run(&data, threads, fail_at) == Some(Z_MEM_ERROR) {
                refused += 1;
            }
        }
        eprintln!("threads {threads}: {all} attempts, SetThreads refused {refused} times");
        assert!(refused > 0, "threads {threads}: never Z_MEM_ERROR");
    }
}

// ------------------------------------------------------------ the other calls

/// deflateParams on a parallel stream with input pending: the input so
/// far is compressed with the old settings and comes out in full (the
/// output so far inflates to it), the rest with the new: level 0 stores
/// the rest, level 9 after level 0 compresses it, Huffman-only does not
/// find the repeats. deflatePending is 0 after the change.
#[test]
fn params_mid_stream() {
    let data = generated_kind("gen:text", 600_000);
    let half = 200_000;
    for (threads, window_bits) in [(2, 15), (3, -15), (2, 31)] {
        for (from, to) in [
            ((6, 0), (0, 0)),
            ((0, 0), (9, 0)),
            ((1, 0), (6, 2)),
            ((9, 3), (4, 1)),
        ] {
            let label = format!("threads {threads} windowBits {window_bits}: {from:?} to {to:?}");
            let setup = Setup::new(from.0, window_bits, 8, from.1);
            let mut fast = parallel_stream(setup, threads);
            let (_, used) = fast.call(&data[..half], 1 << 21, Z_NO_FLUSH);
            assert_eq!(used, half);
            assert_eq!(params(&mut fast, to.0, to.1, 1 << 21), Z_OK, "{label}");
            assert_eq!(pending(&mut fast), (0, 0), "{label}: pending after");
            let before = fast.out.len();
            let back = original_inflate(
                &label,
                &fast.out,
                window_bits,
                &Reading::default(),
                false,
                half,
            );
            assert!(
                back == data[..half],
                "{label}: {} of {half} bytes before the change",
                back.len()
            );
            // Same again: nothing to flush, nothing changes.
            assert_eq!(params(&mut fast, to.0, to.1, 1 << 10), Z_OK, "{label}");
            fast.call(&data[half..], 1 << 21, Z_FINISH);
            let rest = fast.out.len() - before;
            assert_inflates(&label, &fast.out, window_bits, &data);
            let rest_len = data.len() - half;
            match to {
                (0, _) => assert!(rest >= rest_len, "{label}: level 0 stores ({rest})"),
                (9, _) | (4, _) => assert!(rest < rest_len / 3, "{label}: {rest} bytes"),
                (_, 2) => {
                    // Huffman codes only: at least 3/8 of the text's size.
                    assert!(
                        rest > rest_len * 3 / 8,
                        "{label}: Huffman only gives {rest}"
                    );
                }
                _ => {}
            }
            if from.0 == 0 {
                assert!(before >= half, "{label}: level 0 stored the first part");
            }
        }
    }
}

/// deflatePending on a stream with jobs in flight: with no output space,
/// what it counts comes out when space is given (and no more); with the
/// output all delivered after a flush, 0.
#[test]
fn pending_counts_what_is_held() {
    let data = several_jobs(700_000);
    for threads in [2, 3] {
        let mut fast = parallel_stream(Setup::new(4, 15, 8, 0), threads);
        let (_, used) = fast.call(&data[..500_000], 1 << 21, Z_NO_FLUSH);
        assert_eq!(used, 500_000);
        // Let the jobs finish, then ask.
        std::thread::sleep(Duration::from_millis(200));
        let (held, bits) = pending(&mut fast);
        assert!((0..8).contains(&bits), "bits {bits}");
        let bound = fast.bound(500_000);
        assert!((held as usize) <= bound, "{held} bytes pending");
        // A flush brings everything out: at least what was pending.
        let before = fast.out.len();
        let ret = fast.flush_through(&[], Z_SYNC_FLUSH, &mut || 1 << 20);
        assert_eq!(ret, Z_OK);
        assert!(
            fast.out.len() - before >= held as usize,
            "{held} pending, {} came out",
            fast.out.len() - before
        );
        assert_eq!(pending(&mut fast), (0, 0));
        // Output space of 1 byte at a time: pending + written never shrinks
        // below what inflates, and ends at 0.
        let mut given = 500_000;
        let (_, used) = fast.call(&data[given..], 1, Z_NO_FLUSH);
        given += used;
        let (held, _) = pending(&mut fast);
        assert!((held as usize) <= fast.bound(given), "{held} bytes pending");
        fast.call(&data[given..], 1 << 21, Z_FINISH);
        assert_eq!(
            fast.flush_through(&[], Z_FINISH, &mut || 1 << 20),
            Z_STREAM_END
        );
        assert_eq!(pending(&mut fast), (0, 0));
        assert_inflates("", &fast.out, 15, &data);
    }
}

/// deflateGetDictionary on a parallel stream gives the last window of the
/// input (or of a dictionary set before it): with input not yet in a job,
/// after flushes and across jobs, in small windows too.
#[test]
fn get_dictionary_is_the_last_window() {
    let data = several_jobs(500_000);
    for (threads, window_bits) in [(2, 15), (3, 10), (2, -12), (2, 31i32)] {
        let window = 1usize << window_bits.unsigned_abs().clamp(9, 15);
        let window = if window_bits > 15 { 1 << 15 } else { window };
        let mut fast = parallel_stream(Setup::new(6, window_bits, 8, 0), threads);
        assert_eq!(dictionary_of(&mut fast), b"", "before any input");
        if window_bits < 16 {
            let dict = &data[400_000..400_000 + 50_000];
            // SAFETY: the dictionary outlives the call.
            let ret = unsafe {
                (RZ_D.deflateSetDictionary)(&mut *fast.strm, dict.as_ptr(), dict.len() as c_uint)
            };
            assert_eq!(ret, Z_OK);
            assert_eq!(
                dictionary_of(&mut fast),
                &dict[dict.len() - window..],
                "threads {threads} windowBits {window_bits}: the dictionary"
            );
        }
        let mut given = 0;
        for (chunk, flush) in [
            (100, Z_NO_FLUSH),
            (20_000, Z_NO_FLUSH),
            (1, Z_SYNC_FLUSH),
            (PARALLEL_BLOCK, Z_NO_FLUSH),
            (150_000, Z_FULL_FLUSH),
            (70_000, Z_NO_FLUSH),
            (5, Z_NO_FLUSH),
        ] {
            let input = &data[given..given + chunk];
            fast.flush_through(input, flush, &mut || 1 << 20);
            given += chunk;
            let got = dictionary_of(&mut fast);
            let label = format!("threads {threads} windowBits {window_bits}: after {given}");
            if flush == Z_FULL_FLUSH {
                // zlib keeps the window over a full flush too, but a
                // history that is forgotten would be no error: only the
                // tail that it keeps must be the input's.
                assert!(data[..given].ends_with(&got), "{label}");
                continue;
            }
            if given < window {
                assert!(
                    got.ends_with(&data[..given]),
                    "{label}: {} bytes",
                    got.len()
                );
                assert!(got.len() <= window, "{label}: {} bytes", got.len());
            } else {
                assert_eq!(got.len(), window, "{label}: length");
                assert!(got == data[given - window..given], "{label}: bytes");
            }
        }
    }
}

/// deflateGetDictionary with a NULL dictionary gives the length alone
/// (zlib copies only `if (dictionary != Z_NULL && len)`), on a parallel
/// stream and on a one-thread one, as the original does.
#[test]
fn get_dictionary_length_alone() {
    let data = several_jobs(300_000);
    let length_alone = |strm: &mut z_stream, api: &common::deflate_diff::DeflateApi| {
        let mut len: c_uint = 7;
        // SAFETY: NULL dictionary, valid length.
        let ret = unsafe { (api.deflateGetDictionary)(strm, std::ptr::null_mut(), &mut len) };
        (ret, len)
    };
    // The original's answer.
    let mut strm = plain_stream();
    // SAFETY: the buffers outlive the calls.
    let zlib = unsafe {
        assert_eq!(ZLIB_D.deflate_init2(&mut *strm, 6, 15, 8, 0), Z_OK);
        let mut out = vec![0u8; 1 << 20];
        set_buffers(&mut strm, &data, &mut out);
        assert_eq!((ZLIB_D.deflate)(&mut *strm, Z_SYNC_FLUSH), Z_OK);
        let answer = length_alone(&mut strm, &ZLIB_D);
        (ZLIB_D.deflateEnd)(&mut *strm);
        answer
    };
    assert_eq!(zlib, (Z_OK, 1 << 15));
    for threads in [1, 2] {
        let mut fast = parallel_stream(Setup::new(6, 15, 8, 0), threads);
        fast.flush_through(&data, Z_SYNC_FLUSH, &mut || 1 << 20);
        let answer = length_alone(&mut fast.strm, &RZ_D);
        assert_eq!(
            answer, zlib,
            "threads {threads}: deflateGetDictionary(NULL)"
        );
        assert_eq!(dictionary_of(&mut fast), data[data.len() - (1 << 15)..]);
    }
}

/// deflateSetDictionary on a raw parallel stream: before the first call,
/// and between jobs after a flush (refused with input not yet flushed);
/// the data after it refers to it, and inflates with the same dictionary
/// given to inflate at the same point.
#[test]
fn set_dictionary_on_a_raw_stream() {
    let text = generated_kind("gen:text", 400_000);
    let random = generated_kind("gen:random", 300_000);
    for threads in [2, 3] {
        let dict_a = &random[..30_000];
        let dict_b = &random[100_000..130_000];
        // Data made of the dictionaries' bytes: compresses only with them.
        let mut first = text[..200_000].to_vec();
        first.extend_from_slice(&random[20_000..30_000]);
        let mut second = random[110_000..130_000].to_vec();
        second.extend_from_slice(&text[200_000..]);
        let mut fast = parallel_stream(Setup::new(6, -15, 8, 0), threads);
        // SAFETY: the dictionaries outlive the calls.
        unsafe {
            let ret = (RZ_D.deflateSetDictionary)(
                &mut *fast.strm,
                dict_a.as_ptr(),
                dict_a.len() as c_uint,
            );
            assert_eq!(ret, Z_OK);
        }
        fast.call(&first, 1 << 21, Z_NO_FLUSH);
        // SAFETY: as above.
        let refused = unsafe {
            (RZ_D.deflateSetDictionary)(&mut *fast.strm, dict_b.as_ptr(), dict_b.len() as c_uint)
        };
        assert_eq!(refused, Z_STREAM_ERROR, "input not yet flushed");
        assert_eq!(fast.flush_through(&[], Z_SYNC_FLUSH, &mut || 1 << 20), Z_OK);
        let cut = fast.out.len();
        // SAFETY: as above.
        let ret = unsafe {
            (RZ_D.deflateSetDictionary)(&mut *fast.strm, dict_b.as_ptr(), dict_b.len() as c_uint)
        };
        assert_eq!(ret, Z_OK, "after a sync flush");
        fast.call(&second, 1 << 21, Z_FINISH);
        assert_eq!(fast.end(), Z_OK);
        // The random tails were found in the dictionaries.
        assert!(cut < 100_000, "threads {threads}: first part {cut} bytes");
        assert!(
            fast.out.len() - cut < 8_000 + second.len() / 3,
            "threads {threads}: second part {} bytes",
            fast.out.len() - cut
        );
        // Inflate the first part with dict_a, then dict_b, then the rest.
        let mut strm = plain_stream();
        let mut out = vec![0u8; first.len() + second.len() + 64];
        // SAFETY: the buffers outlive the calls.
        unsafe {
            assert_eq!(
                (ZLIB.inflateInit2_)(&mut *strm, -15, VERSION.as_ptr(), STREAM_SIZE),
                Z_OK
            );
            let set = |strm: &mut z_stream, d: &[u8]| {
                (ZLIB.inflateSetDictionary)(strm, d.as_ptr(), d.len() as c_uint)
            };
            assert_eq!(set(&mut strm, dict_a), Z_OK);
            set_buffers(&mut strm, &fast.out[..cut], &mut out);
            assert_eq!((ZLIB.inflate)(&mut *strm, Z_SYNC_FLUSH), Z_OK);
            assert_eq!(strm.total_out as usize, first.len());
            assert_eq!(set(&mut strm, dict_b), Z_OK);
            set_buffers(&mut strm, &fast.out[cut..], &mut out[first.len()..]);
            assert_eq!((ZLIB.inflate)(&mut *strm, Z_SYNC_FLUSH), Z_STREAM_END);
            assert_eq!(strm.total_out as usize, first.len() + second.len());
            (ZLIB.inflateEnd)(&mut *strm);
        }
        assert!(
            out[..first.len()] == first[..],
            "threads {threads}: first part"
        );
        assert!(
            out[first.len()..first.len() + second.len()] == second[..],
            "threads {threads}: second part"
        );
    }
}

/// deflateCopy of a parallel stream before it starts, with jobs in flight
/// and input waiting (after Z_NO_FLUSH calls, with output held back and
/// with some of it taken), after a sync flush, and after the end: every
/// copy, finished with the same calls, writes exactly the original's
/// bytes, which inflate to the data.
#[test]
fn copies_write_what_the_original_writes() {
    let data = several_jobs(700_000);
    let setup = Setup::new(6, 31, 8, 0);
    // The calls: (input end, output space, flush).
    let calls = [
        (0, 64, Z_NO_FLUSH),
        (150_000, 1 << 21, Z_NO_FLUSH),
        (420_000, 10_000, Z_NO_FLUSH),
        (430_000, 1 << 21, Z_SYNC_FLUSH),
        (690_000, 1 << 21, Z_NO_FLUSH),
        (700_000, 1 << 21, Z_FINISH),
    ];
    let mut original = parallel_stream(setup, 2);
    run_calls(&mut original, &data, &calls, 0..calls.len());
    assert_inflates("", &original.out, 31, &data);
    for at in 0..=calls.len() {
        let mut fast = parallel_stream(setup, 2);
        run_calls(&mut fast, &data, &calls, 0..at);
        let (ret, copy) = fast.copy();
        assert_eq!(ret, Z_OK, "deflateCopy after {at} calls");
        let mut copy = copy.expect("a copy");
        run_calls(&mut copy, &data, &calls, at..calls.len());
        run_calls(&mut fast, &data, &calls, at..calls.len());
        assert!(copy.out == original.out, "the copy after {at} calls");
        assert!(fast.out == original.out, "the source after {at} calls");
    }
}

/// The calls `which` of [`copies_write_what_the_original_writes`]: each
/// gives the data up to its end, with its output space and flush.
fn run_calls(
    fast: &mut Fast,
    data: &[u8],
    calls: &[(usize, usize, c_int)],
    which: std::ops::Range<usize>,
) {
    let mut given = calls[..which.start].last().map_or(0, |call| call.0);
    for &(end, room, flush) in &calls[which] {
        let (_, used) = fast.call(&data[given..end], room, flush);
        given += used;
        if flush != Z_NO_FLUSH {
            fast.flush_through(&data[given..end], flush, &mut || 1 << 21);
            given = end;
        }
    }
}

// ------------------------------------------------------------ threads at once

/// Many threads (8) each running parallel streams (2 to 4 threads each)
/// at once, with different data, settings and flush patterns, all checked
/// by `run_sequence`: the pool's tasks of one stream never reach another.
#[test]
fn concurrent_streams() {
    let data = several_jobs(1_200_000);
    let data = &data;
    let started = Instant::now();
    std::thread::scope(|scope| {
        for t in 0..8u64 {
            scope.spawn(move || {
                let mut rng = Rng::new(0xc0c0_0000 + t);
                for round in 0..2 {
                    let threads = 2 + (t as c_int + round) % 3;
                    let setup = Setup::new(
                        rng.pick(&[1, 3, 6]),
                        rng.pick(&[15, -15, 31, 12]),
                        8,
                        rng.pick(&[0, 0, 1, 3]),
                    );
                    let len = rng.range(2 * PARALLEL_BLOCK, 3 * PARALLEL_BLOCK + 20_000);
                    let start = rng.below(data.len() - len);
                    let plan = Plan {
                        flushes: if t % 2 == 0 {
                            vec![Z_NO_FLUSH]
                        } else {
                            ALL_FLUSHES.to_vec()
                        },
                        max_chunk: rng.range(5_000, 200_000),
                        max_room: rng.range(500, 100_000),
                        extras: t % 4 == 3,
                    };
                    let label = format!("thread {t} round {round}: {setup:?} threads {threads}");
                    with_threads(threads, || {
                        run_sequence(&label, &data[start..start + len], setup, &mut rng, &plan)
                    });
                }
            });
        }
    });
    eprintln!("concurrent_streams: {:?}", started.elapsed());
}

// ------------------------------------------------------------ fork

/// Runs this test binary's ignored test `name` in a child process with
/// `env`, fails if it fails or does not end within two minutes.
fn run_child(name: &str, env: &[(&str, Option<&str>)]) {
    let exe = std::env::current_exe().unwrap();
    let mut child = std::process::Command::new(&exe);
    child.args([
        "--ignored",
        "--exact",
        name,
        "--test-threads=1",
        "--nocapture",
    ]);
    child.env_remove(THREADS_VARIABLE);
    for (key, value) in env {
        match value {
            Some(value) => child.env(key, value),
            None => child.env_remove(key),
        };
    }
    child.env("RZLIB_PARALLEL_CHILD", "1");
    let mut child = child.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "child {name} {env:?}: {status}");
            return;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("child {name} {env:?} hung");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// In a forked process: runs `body`, then ends the process with status 0,
/// or 1 if it panicked. In the parent: the child's exit status, waited
/// for up to two minutes (then killed: 124).
fn fork_and(body: impl FnOnce()) -> i32 {
    // SAFETY: the child runs `body` and leaves with _exit, never returning
    // into the parent's code; the library's fork handlers leave the pool
    // usable there.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)).is_ok();
        // SAFETY: ends the child at once.
        unsafe { libc::_exit(if ok { 0 } else { 1 }) };
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let mut status = 0;
        // SAFETY: our own child.
        let ret = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        assert!(ret >= 0, "waitpid");
        if ret == pid {
            if libc::WIFEXITED(status) {
                return libc::WEXITSTATUS(status);
            }
            return 128 + libc::WTERMSIG(status);
        }
        if Instant::now() > deadline {
            // SAFETY: our own child.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::waitpid(pid, &mut status, 0);
            }
            return 124;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A stream on 2 threads over `data`, in one Z_FINISH call, checked.
fn compress_and_check(label: &str, data: &[u8], threads: c_int) {
    let mut fast = parallel_stream(Setup::new(6, 15, 8, 0), threads);
    fast.flush_through(data, Z_FINISH, &mut || 100_000);
    assert_inflates(label, &fast.out, 15, data);
}

/// fork() after the pool has threads, while another thread compresses on
/// it: the child compresses a stream of several jobs on 2 threads and
/// gets it back; the parent's streams go on. A child also finishes a
/// stream that had jobs in flight at the fork, and so does the parent.
/// (Run in a child process of its own: see `fork_child`.)
#[test]
fn fork_while_compressing() {
    run_child("fork_child", &[]);
}

/// Run by `fork_while_compressing`, alone in its process.
#[test]
#[ignore]
fn fork_child() {
    if std::env::var_os("RZLIB_PARALLEL_CHILD").is_none() {
        return;
    }
    let data = several_jobs(700_000);
    // The pool has threads.
    compress_and_check("before the fork", &data, 2);
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        let busy = scope.spawn(|| {
            let mut rounds = 0;
            while !stop.load(Ordering::SeqCst) {
                compress_and_check("beside the fork", &data, 3);
                rounds += 1;
            }
            rounds
        });
        std::thread::sleep(Duration::from_millis(30));
        for round in 0..3 {
            let status = fork_and(|| compress_and_check("in the child", &data, 2));
            assert_eq!(status, 0, "round {round}: the child's stream");
        }
        stop.store(true, Ordering::SeqCst);
        assert!(busy.join().unwrap() > 0);
    });
    // A stream with jobs in flight at the fork: both sides finish it.
    for (threads, window_bits) in [(2, 15), (4, 31)] {
        let setup = Setup::new(6, window_bits, 8, 0);
        let mut fast = parallel_stream(setup, threads);
        let (_, used) = fast.call(&data, 1 << 21, Z_NO_FLUSH);
        assert_eq!(used, data.len());
        let finish = |fast: &mut Fast| {
            let ret = fast.flush_through(&[], Z_FINISH, &mut || 60_000);
            assert_eq!(ret, Z_STREAM_END);
            assert_inflates("inherited", &fast.out, window_bits, &data);
            assert_eq!(fast.end(), Z_OK);
        };
        let status = fork_and(|| finish(&mut fast));
        assert_eq!(
            status, 0,
            "threads {threads}: the child finishing the stream"
        );
        finish(&mut fast);
    }
}

// ------------------------------------------------------------ the process default

/// RZLIB_DEFLATE_THREADS in a child process's environment: with 2 (and 0
/// when there is more than one core), deflateInit streams, compress2 and
/// gz files run parallel streams (other bytes than one thread's, the same
/// as an explicit rz_deflateSetThreads(2) stream's, inflating to the
/// data); unset, 1 or not a number, zlib's bytes.
#[test]
fn process_default_from_environment() {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let zero_parallel = if cores > 1 { "1" } else { "0" };
    for (value, parallel) in [
        (Some("2"), "1"),
        (Some("0"), zero_parallel),
        (Some("1"), "0"),
        (Some("junk"), "0"),
        (Some(""), "0"),
        (None, "0"),
    ] {
        run_child(
            "process_default_child",
            &[
                (THREADS_VARIABLE, value),
                ("RZLIB_EXPECT_PARALLEL", Some(parallel)),
            ],
        );
    }
}

/// Run by `process_default_from_environment` with the variable set.
#[test]
#[ignore]
fn process_default_child() {
    let Ok(expect) = std::env::var("RZLIB_EXPECT_PARALLEL") else {
        return;
    };
    let parallel = expect == "1";
    let data = several_jobs(3 * PARALLEL_BLOCK + 5_000);
    // An explicit parallel stream's bytes (one Z_FINISH call).
    let explicit = |window_bits: c_int| {
        let mut strm = plain_stream();
        let mut out = vec![0u8; data.len() * 2];
        // SAFETY: the buffers outlive the calls.
        unsafe {
            assert_eq!(RZ_D.deflate_init2(&mut *strm, 6, window_bits, 8, 0), Z_OK);
            assert_eq!(rz_deflateSetThreads(&mut *strm, 2), Z_OK);
            set_buffers(&mut strm, &data, &mut out);
            assert_eq!((RZ_D.deflate)(&mut *strm, Z_FINISH), Z_STREAM_END);
            out.truncate(strm.total_out as usize);
            (RZ_D.deflateEnd)(&mut *strm);
        }
        out
    };
    let zlib = zlib_compress(&data, 6);
    let expected = if parallel { explicit(15) } else { zlib.clone() };
    // compress2.
    let out = rz_compress2(&data, 6);
    assert_eq!(out != zlib, parallel, "compress2 differs from zlib's");
    assert!(out == expected, "compress2: the expected stream");
    assert_inflates("compress2", &out, 15, &data);
    // deflateInit (not deflateInit2_).
    let out = rz_deflate_init_finish(&data, 6);
    assert!(out == expected, "deflateInit: the expected stream");
    // deflateCopy copies the default parallel stream too.
    let mut strm = plain_stream();
    let mut dest = plain_stream();
    // SAFETY: valid streams.
    unsafe {
        assert_eq!(
            (RZ_D.deflateInit_)(&mut *strm, 6, VERSION.as_ptr(), STREAM_SIZE),
            Z_OK
        );
        let ret = (RZ_D.deflateCopy)(&mut *dest, &mut *strm);
        assert_eq!(ret, Z_OK, "deflateCopy (parallel: {parallel})");
        if ret == Z_OK {
            (RZ_D.deflateEnd)(&mut *dest);
        }
        (RZ_D.deflateEnd)(&mut *strm);
    }
    // A gz file.
    let path = std::env::temp_dir().join(format!("rzlib-parallel-{}.gz", std::process::id()));
    let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: valid strings and buffer; the handle is closed once.
    unsafe {
        let file = rzlib::c_api::gz::gzopen(c_path.as_ptr(), c"wb".as_ptr());
        assert!(!file.is_null());
        for piece in data.chunks(100_000) {
            let n = rzlib::c_api::gz::gzwrite(file, piece.as_ptr().cast(), piece.len() as _);
            assert_eq!(n, piece.len() as c_int);
        }
        assert_eq!(rzlib::c_api::gz::gzclose(file), Z_OK);
    }
    let written = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_inflates("gz file", &written, 31, &data);
    let gzip = common::deflate(&data, &common::Deflate::new(6, 31, 0));
    assert_eq!(written[..10], gzip[..10], "gzip header");
    assert_eq!(written != gzip, parallel, "gz file differs from zlib's");
}

// ------------------------------------------------------------ fuzz

/// The fuzz target's body (`fuzz_parallel`) on generated inputs, and its
/// seeds and committed reproducers.
#[test]
fn fuzz_parallel_body_on_random_inputs() {
    let rounds = if cfg!(debug_assertions) { 12 } else { 40 };
    fuzz_random_inputs(&samples(48 << 10), 9, rounds, 0x9a4a_f022, fuzz_parallel);
    replay_fuzz_inputs("parallel", fuzz_parallel);
}

/// The fuzz body makes streams of several jobs from short inputs: a copy
/// count of 16 over 20 KB is over two jobs.
#[test]
fn fuzz_parallel_expands_short_inputs() {
    let mut input = vec![6, 0, 8, 0, 0x04, 40, 1, 2, 0b0011_1101];
    input.extend(generated_kind("gen:text", 20_000));
    // The body's stream: 16 copies, 3 threads.
    assert_eq!(2 + (input[8] & 3) % 3, 3);
    assert_eq!(1 + (input[8] >> 2 & 15) as usize, 16);
    const { assert!(16 * 20_000 > 2 * PARALLEL_BLOCK) };
    fuzz_parallel(&input);
    assert_eq!(THREADS.get(), 1, "THREADS restored");
}

/// The same calls, repeated on 2, 3 and 4 threads, write the same bytes
/// whichever job memory (deflater) each job happens to reuse: a gzip
/// stream at level 6 given in 100 KB Z_NO_FLUSH calls with 30,000 bytes of
/// output space, the last call Z_FINISH, over 15 full jobs and a short
/// last one (as c_tests/threads_env.c writes it), ten times each.
#[test]
fn repeated_runs_write_the_same_bytes() {
    for tail in [33_920, 20_000, 90_000] {
        let data = several_jobs(15 * PARALLEL_BLOCK + tail);
        let run = |threads: c_int| {
            let mut fast = parallel_stream(Setup::new(6, 31, 8, 0), threads);
            let pieces: Vec<&[u8]> = data.chunks(100_000).collect();
            for (i, piece) in pieces.iter().enumerate() {
                let flush = if i + 1 == pieces.len() {
                    Z_FINISH
                } else {
                    Z_NO_FLUSH
                };
                let ret = fast.flush_through(piece, flush, &mut || 30_000);
                assert!(matches!(ret, Z_OK | Z_BUF_ERROR | Z_STREAM_END));
                if flush == Z_NO_FLUSH {
                    // Z_NO_FLUSH: flush_through returned with the piece in.
                    assert_eq!(fast.strm.avail_in, 0);
                }
            }
            assert_eq!(fast.end(), Z_OK);
            std::mem::take(&mut fast.out)
        };
        let first = run(2);
        assert_inflates("", &first, 31, &data);
        let mut differ = Vec::new();
        for round in 0..30 {
            let threads = 2 + round % 3;
            let other = run(threads);
            if other != first {
                let at = first.iter().zip(&other).position(|(a, b)| a != b);
                differ.push((round, threads, other.len(), at));
                assert_inflates("", &other, 31, &data);
            }
        }
        assert!(
            differ.is_empty(),
            "tail {tail}: {} bytes first; differing runs (round, threads, length, first difference): {differ:?}",
            first.len()
        );
    }
}
