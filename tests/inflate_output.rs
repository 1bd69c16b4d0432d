//! What inflate does to the caller's output buffer, against the original
//! zlib, call by call:
//!
//! - in-place decompression: the compressed data sits at the tail of the
//!   output buffer, whose size is the larger of the compressed and the
//!   decompressed size plus a margin of 0 to 16 bytes. Output overwrites only input that has been read if inflate writes
//!   nothing beyond the bytes it produced; wherever zlib succeeds rzlib
//!   must, with the same calls and bytes.
//! - neighbouring data: bytes after the output (past `avail_out`, and past
//!   what the stream produces when `avail_out` is larger) stay exactly as
//!   the caller left them after every call.

mod common;

use common::*;
use std::ffi::c_uint;

/// Test data: the generated samples, at most 64 KiB each, so the suite
/// does not depend on the corpus.
fn samples() -> Vec<Sample> {
    let mut samples = generated();
    for s in &mut samples {
        s.data.truncate(64 << 10);
    }
    // Short periods and long matches right at a buffer's end.
    let mut rng = Rng::new(7);
    let mut mixed = Vec::new();
    while mixed.len() < 40_000 {
        let period = rng.range(1, 40);
        let unit = rng.bytes(period);
        let len = rng.range(1, 300);
        mixed.extend(unit.iter().cycle().take(len));
        let noise = rng.below(20);
        mixed.extend(rng.bytes(noise));
    }
    samples.push(Sample {
        name: "gen:periods".into(),
        data: mixed,
    });
    samples
}

/// windowBits for raw deflate, zlib and gzip.
const WRAPS: [(i32, &str); 3] = [(-15, "raw"), (15, "zlib"), (31, "gzip")];

/// One call's outcome: return code, bytes taken and bytes written.
type Step = (i32, usize, usize);

/// Inflates in place: `buf` holds the compressed data at its tail; output
/// starts at the buffer's front. `pieces` gives avail_in/avail_out chunk
/// sizes (None: one call with everything). Returns every call's outcome,
/// the output and whether it ended well.
fn in_place(
    z: &Zlib,
    wbits: i32,
    buf: &mut [u8],
    input_at: usize,
    pieces: Option<u64>,
) -> Vec<Step> {
    let mut strm = plain_stream();
    let s: *mut z_stream = &mut *strm;
    let mut rng = pieces.map(Rng::new);
    let mut steps = Vec::new();
    let base = buf.as_mut_ptr();
    let len = buf.len();
    // SAFETY: every pointer stays inside `buf`, which outlives the stream;
    // the overlap of input and output is the point of the test, and C
    // allows it.
    unsafe {
        assert_eq!(
            (z.inflateInit2_)(s, wbits, VERSION.as_ptr(), STREAM_SIZE),
            Z_OK
        );
        let (mut in_pos, mut out_pos) = (input_at, 0usize);
        loop {
            let (avail_in, avail_out) = match rng.as_mut() {
                None => (len - in_pos, len - out_pos),
                Some(r) => (
                    r.range(0, 3000).min(len - in_pos),
                    r.range(0, 3000).min(len - out_pos),
                ),
            };
            strm.next_in = base.add(in_pos);
            strm.avail_in = avail_in as c_uint;
            strm.next_out = base.add(out_pos);
            strm.avail_out = avail_out as c_uint;
            let flush = if rng.is_none() { Z_FINISH } else { Z_NO_FLUSH };
            let ret = (z.inflate)(s, flush);
            let took = avail_in - strm.avail_in as usize;
            let wrote = avail_out - strm.avail_out as usize;
            steps.push((ret, took, wrote));
            in_pos += took;
            out_pos += wrote;
            let stuck = ret == Z_BUF_ERROR && (in_pos == len || out_pos == len);
            if ret != Z_OK && ret != Z_BUF_ERROR || stuck || rng.is_none() || steps.len() > 100_000
            {
                break;
            }
        }
        (z.inflateEnd)(s);
    }
    steps
}

#[test]
fn in_place_decompression_succeeds_exactly_where_zlib_does() {
    let mut rng = Rng::new(0x1f1a7e);
    let mut cases = 0usize;
    let (mut rz_failed, mut zlib_failed, mut rz_only) = (0usize, 0usize, 0usize);
    for sample in samples() {
        for level in 0..=9 {
            for (wbits, wrap) in WRAPS {
                let packed = deflate(
                    &sample.data,
                    &Deflate::new(level, wbits, Z_DEFAULT_STRATEGY),
                );
                for margin in 0..=16usize {
                    // The larger of the two sizes, plus the margin.
                    let len = sample.data.len().max(packed.len()) + margin;
                    for pieces in [None, Some(rng.next_u64()), Some(rng.next_u64())] {
                        cases += 1;
                        let mut runs = Vec::new();
                        for z in both() {
                            let mut buf = rng_fill(len, margin as u64);
                            let at = len - packed.len();
                            buf[at..].copy_from_slice(&packed);
                            let steps = in_place(z, wbits, &mut buf, at, pieces);
                            let produced: usize = steps.iter().map(|s| s.2).sum();
                            let ok = steps.last().map(|s| s.0) == Some(Z_STREAM_END)
                                && buf[..produced] == sample.data[..];
                            runs.push((steps, buf, ok));
                        }
                        let what = format!(
                            "{} level {level} {wrap} margin {margin} pieces {pieces:?}",
                            sample.name
                        );
                        rz_failed += usize::from(!runs[0].2);
                        zlib_failed += usize::from(!runs[1].2);
                        // Where zlib succeeds, rzlib does, call by call.
                        // Where the output overwrote input zlib had not yet
                        // read, zlib fails; rzlib may have read those bytes
                        // already (it loads input 8 bytes at a time), so its
                        // failures are a subset of zlib's.
                        if runs[1].2 {
                            assert!(runs[0].2, "rzlib failed where zlib did not: {what}");
                            assert_eq!(runs[0].0, runs[1].0, "calls differ: {what}");
                            assert!(runs[0].1 == runs[1].1, "buffers differ: {what}");
                        } else if runs[0].2 {
                            rz_only += 1;
                        }
                    }
                }
            }
        }
    }
    println!(
        "in place: {cases} cases; failed: rzlib {rz_failed}, zlib {zlib_failed}; rzlib alone succeeded in {rz_only}"
    );
    assert!(cases > 10_000);
    assert_eq!(rz_failed + rz_only, zlib_failed);
}

/// `len` bytes of a pattern from `seed`.
fn rng_fill(len: usize, seed: u64) -> Vec<u8> {
    Rng::new(seed ^ 0xa5a5).bytes(len)
}

/// Inflates `packed` into a buffer with room to spare and guard bytes after
/// it, in calls of random sizes; after each call checks that every byte
/// from `next_out` to the buffer's end is as it was. Returns each call's
/// outcome and the whole buffer.
fn with_guard(z: &Zlib, wbits: i32, packed: &[u8], room: usize, seed: u64) -> (Vec<Step>, Vec<u8>) {
    const GUARD: usize = 64;
    let mut rng = Rng::new(seed);
    let one_call = seed.is_multiple_of(3);
    let mut buf = rng_fill(room + GUARD, seed);
    let pristine = buf.clone();
    let mut strm = plain_stream();
    let s: *mut z_stream = &mut *strm;
    let mut steps = Vec::new();
    // SAFETY: plain zlib calls with pointers inside `packed` and `buf`,
    // which outlive the stream.
    unsafe {
        assert_eq!(
            (z.inflateInit2_)(s, wbits, VERSION.as_ptr(), STREAM_SIZE),
            Z_OK
        );
        let (mut in_pos, mut out_pos) = (0usize, 0usize);
        loop {
            let (avail_in, avail_out) = if one_call {
                (packed.len(), room)
            } else {
                (
                    rng.range(0, 700).min(packed.len() - in_pos),
                    rng.range(0, 700).min(room - out_pos),
                )
            };
            strm.next_in = packed.as_ptr().add(in_pos) as *mut u8;
            strm.avail_in = avail_in as c_uint;
            strm.next_out = buf.as_mut_ptr().add(out_pos);
            strm.avail_out = avail_out as c_uint;
            let flush = if one_call {
                Z_FINISH
            } else {
                rng.pick(&[Z_NO_FLUSH, Z_SYNC_FLUSH, Z_BLOCK])
            };
            let ret = (z.inflate)(s, flush);
            let took = avail_in - strm.avail_in as usize;
            let wrote = avail_out - strm.avail_out as usize;
            steps.push((ret, took, wrote));
            in_pos += took;
            out_pos += wrote;
            assert!(
                buf[out_pos..] == pristine[out_pos..],
                "{}: bytes after next_out changed (call {}, wbits {wbits}, seed {seed})",
                z.name,
                steps.len()
            );
            let stuck = ret == Z_BUF_ERROR && (in_pos == packed.len() || out_pos == room);
            if ret != Z_OK && ret != Z_BUF_ERROR || stuck || one_call {
                break;
            }
        }
        (z.inflateEnd)(s);
    }
    (steps, buf)
}

#[test]
fn bytes_after_the_output_are_left_alone() {
    let mut rng = Rng::new(0x9e1b);
    let mut cases = 0;
    for sample in samples() {
        for level in [0, 1, 4, 6, 9] {
            for (wbits, wrap) in WRAPS {
                let packed = deflate(
                    &sample.data,
                    &Deflate::new(level, wbits, Z_DEFAULT_STRATEGY),
                );
                for _ in 0..6 {
                    // Exactly enough room, a little more, or much more.
                    let spare = rng.pick(&[0, 1, 7, 15, 16, 31, 33, 300]);
                    let room = sample.data.len() + spare;
                    let seed = rng.next_u64();
                    let (rz_steps, rz_buf) = with_guard(&RZ, wbits, &packed, room, seed);
                    let (z_steps, z_buf) = with_guard(&ZLIB, wbits, &packed, room, seed);
                    let what = format!(
                        "{} level {level} {wrap} room {room} seed {seed}",
                        sample.name
                    );
                    assert_eq!(rz_steps, z_steps, "calls differ: {what}");
                    assert!(rz_buf == z_buf, "buffers differ: {what}");
                    assert_eq!(z_steps.last().map(|s| s.0), Some(Z_STREAM_END), "{what}");
                    assert!(z_buf[..sample.data.len()] == sample.data[..], "{what}");
                    cases += 1;
                }
            }
        }
    }
    assert!(cases > 500);
}

/// Periodic data (long matches) inflated in small random pieces: many
/// calls end inside a match, and each writes nothing past its output.
#[test]
fn matches_cut_by_small_output_calls_write_nothing_past_them() {
    let data: Vec<u8> = b"0123456789abcdefghij"
        .iter()
        .copied()
        .cycle()
        .take(5000)
        .collect();
    for (wbits, _) in WRAPS {
        let packed = deflate(&data, &Deflate::new(9, wbits, Z_DEFAULT_STRATEGY));
        for i in 0..100u64 {
            let seed = i * 3 + 1; // never one call
            let room = data.len() + (i % 40) as usize;
            let (rz_steps, rz_buf) = with_guard(&RZ, wbits, &packed, room, seed);
            let (z_steps, z_buf) = with_guard(&ZLIB, wbits, &packed, room, seed);
            assert_eq!(rz_steps, z_steps, "seed {seed}");
            assert!(rz_buf == z_buf, "seed {seed}");
        }
    }
}
