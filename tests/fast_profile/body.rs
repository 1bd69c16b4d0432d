//! The fast profile's checks, shared by tests/fast_profile.rs and the
//! fuzz target fuzz/fuzz_targets/fast_profile.rs: a stream compressed by
//! rzlib in the fast profile through a random sequence of calls, checked
//! call by call against zlib's bookkeeping rules and inflated by the
//! ORIGINAL zlib, in full and at every sync and full flush point.
#![allow(dead_code)]

use std::ffi::{c_int, c_uint, c_ulong};

use crate::common::deflate_diff::{fuzz_flushes, fuzz_window_bits, Setup, RZ_D};
use crate::common::*;
use rzlib::deflate::RZ_PROFILE_FAST;

extern "C" {
    pub fn rz_deflateSetProfile(strm: *mut z_stream, profile: c_int) -> c_int;
    pub fn rz_deflateSetThreads(strm: *mut z_stream, threads: c_int) -> c_int;
}

thread_local! {
    /// Run the checks on zlib's profile instead (to check the checks).
    pub static ZLIB_PROFILE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Run the streams on this many threads (rz_deflateSetThreads; 1: not
    /// called), for tests/parallel.rs.
    pub static THREADS: std::cell::Cell<c_int> = const { std::cell::Cell::new(1) };
}

/// A stream compressed by rzlib in the fast profile, and its output.
pub struct Fast {
    _counter: Box<Counter>,
    pub strm: Box<z_stream>,
    pub out: Vec<u8>,
    live: bool,
}

impl Fast {
    /// deflateInit2_ and rz_deflateSetProfile(RZ_PROFILE_FAST).
    pub fn new(setup: Setup) -> Fast {
        Self::with_counter(setup, Counter::new(false))
    }

    pub fn with_counter(setup: Setup, counter: Box<Counter>) -> Fast {
        let mut strm = new_stream(&counter);
        // SAFETY: a fresh stream with working allocators.
        unsafe {
            let ret = RZ_D.deflate_init2(
                &mut *strm,
                setup.level,
                setup.window_bits,
                setup.mem_level,
                setup.strategy,
            );
            assert_eq!(ret, Z_OK, "deflateInit2_ {setup:?}");
            let profile = if ZLIB_PROFILE.get() {
                rzlib::deflate::RZ_PROFILE_ZLIB
            } else {
                RZ_PROFILE_FAST
            };
            assert_eq!(rz_deflateSetProfile(&mut *strm, profile), Z_OK);
            if THREADS.get() != 1 {
                assert_eq!(rz_deflateSetThreads(&mut *strm, THREADS.get()), Z_OK);
            }
        }
        Fast {
            _counter: counter,
            strm,
            out: Vec::new(),
            live: true,
        }
    }

    /// One deflate call on `input` with `room` bytes of output space. Checks
    /// zlib's bookkeeping: the counters and pointers move by what was taken
    /// and written, Z_BUF_ERROR only without progress. Returns (ret, used).
    pub fn call(&mut self, input: &[u8], room: usize, flush: c_int) -> (c_int, usize) {
        let mut buf = vec![0u8; room];
        let (in_before, out_before) = (self.strm.total_in, self.strm.total_out);
        set_buffers(&mut self.strm, input, &mut buf);
        // SAFETY: the buffers outlive the call.
        let ret = unsafe { (RZ_D.deflate)(&mut *self.strm, flush) };
        let used = input.len() - self.strm.avail_in as usize;
        let made = room - self.strm.avail_out as usize;
        assert_eq!(self.strm.total_in - in_before, used as c_ulong, "total_in");
        assert_eq!(
            self.strm.total_out - out_before,
            made as c_ulong,
            "total_out"
        );
        assert_eq!(
            self.strm.next_in as usize,
            input.as_ptr() as usize + used,
            "next_in"
        );
        assert_eq!(
            self.strm.next_out as usize,
            buf.as_ptr() as usize + made,
            "next_out"
        );
        assert!(
            matches!(ret, Z_OK | Z_STREAM_END | Z_BUF_ERROR),
            "deflate({flush}) returned {ret}"
        );
        if ret == Z_BUF_ERROR {
            assert!(used == 0 && made == 0, "Z_BUF_ERROR after progress");
        }
        if ret == Z_STREAM_END {
            assert_eq!(flush, Z_FINISH, "Z_STREAM_END without Z_FINISH");
            assert_eq!(self.strm.avail_in, 0, "Z_STREAM_END with input left");
        }
        self.out.extend_from_slice(&buf[..made]);
        (ret, used)
    }

    /// Calls deflate with `flush` until it has taken all of `input` and
    /// left output space unused (zlib's sign that a flush is complete),
    /// with output space from `room`. Returns the last code.
    pub fn flush_through(
        &mut self,
        mut input: &[u8],
        flush: c_int,
        room: &mut dyn FnMut() -> usize,
    ) -> c_int {
        let mut stalls = 0;
        loop {
            // zlib.h: a flush needs more than six bytes of output space, or
            // every call that fills it adds another flush marker.
            let space = if flush == Z_FINISH {
                room()
            } else {
                room().max(7)
            };
            let (ret, used) = self.call(input, space, flush);
            input = &input[used..];
            let done = input.is_empty() && self.strm.avail_out != 0;
            if ret == Z_STREAM_END || (flush != Z_FINISH && done) {
                return ret;
            }
            if used == 0 && self.strm.avail_out as usize == space {
                stalls += 1;
                assert!(stalls < 3, "deflate({flush}) makes no progress: {ret}");
            } else {
                stalls = 0;
            }
        }
    }

    /// All of `data` in one Z_FINISH call with deflateBound's space.
    pub fn finish_all(&mut self, data: &[u8]) {
        let bound = self.bound(data.len());
        let (ret, used) = self.call(data, bound, Z_FINISH);
        assert_eq!((ret, used), (Z_STREAM_END, data.len()), "one Z_FINISH call");
        assert!(self.out.len() <= bound, "deflateBound exceeded");
    }

    /// All of `data` in Z_NO_FLUSH calls of 1 to `max_chunk` bytes (none
    /// when it is 0), then a Z_FINISH call, each with `room` bytes of
    /// output space; returns the last code.
    pub fn chunks_then_finish(
        &mut self,
        data: &[u8],
        max_chunk: usize,
        room: usize,
        rng: &mut Rng,
    ) -> c_int {
        let mut given = 0;
        while max_chunk != 0 && given < data.len() {
            let chunk = rng.range(1, max_chunk).min(data.len() - given);
            let (_, used) = self.call(&data[given..given + chunk], room, Z_NO_FLUSH);
            given += used;
        }
        self.call(&data[given..], room, Z_FINISH).0
    }

    /// deflateCopy into a new stream, which starts with this one's output
    /// so far; the code, and the copy when Z_OK.
    pub fn copy(&mut self) -> (c_int, Option<Fast>) {
        let mut copy = plain_stream();
        // SAFETY: both streams are valid.
        let ret = unsafe { (RZ_D.deflateCopy)(&mut *copy, &mut *self.strm) };
        let twin = (ret == Z_OK).then(|| Fast {
            _counter: Counter::new(false),
            strm: copy,
            out: self.out.clone(),
            live: true,
        });
        (ret, twin)
    }

    pub fn bound(&mut self, len: usize) -> usize {
        // SAFETY: the stream is live.
        unsafe { (RZ_D.deflateBound)(&mut *self.strm, len as c_ulong) as usize }
    }

    /// deflateEnd; returns its code.
    pub fn end(&mut self) -> c_int {
        self.live = false;
        // SAFETY: the stream is live.
        unsafe { (RZ_D.deflateEnd)(&mut *self.strm) }
    }
}

impl Drop for Fast {
    fn drop(&mut self) {
        if self.live {
            // SAFETY: the stream is live.
            unsafe { (RZ_D.deflateEnd)(&mut *self.strm) };
        }
    }
}

/// rzlib's compress2 of `data` at `level` (Z_OK asserted).
pub fn rz_compress2(data: &[u8], level: c_int) -> Vec<u8> {
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
    assert_eq!(ret, Z_OK, "compress2 at level {level}");
    out.truncate(len as usize);
    out
}

/// `data` through an rzlib deflateInit stream at `level`, in one
/// Z_FINISH call.
pub fn rz_deflate_init_finish(data: &[u8], level: c_int) -> Vec<u8> {
    let mut strm = plain_stream();
    let mut out = vec![0u8; data.len() * 2];
    // SAFETY: the buffers outlive the calls.
    unsafe {
        assert_eq!(
            (RZ_D.deflateInit_)(&mut *strm, level, VERSION.as_ptr(), STREAM_SIZE),
            Z_OK
        );
        set_buffers(&mut strm, data, &mut out);
        assert_eq!((RZ_D.deflate)(&mut *strm, Z_FINISH), Z_STREAM_END);
        out.truncate(strm.total_out as usize);
        (RZ_D.deflateEnd)(&mut *strm);
    }
    out
}

/// How a stream is to be read back.
#[derive(Clone, Debug, Default)]
pub struct Reading {
    /// The dictionary deflate was given.
    pub dictionary: Option<Vec<u8>>,
}

/// Inflates `stream` with the ORIGINAL zlib. With `complete`, it must be
/// a whole stream (Z_STREAM_END, nothing after it); without, a prefix that
/// inflate takes entirely. Returns the data.
pub fn original_inflate(
    label: &str,
    stream: &[u8],
    window_bits: c_int,
    reading: &Reading,
    complete: bool,
    max_len: usize,
) -> Vec<u8> {
    let bits = match window_bits {
        w if w < 0 => -15,
        w if w > 15 => 31,
        _ => 15,
    };
    let mut strm = plain_stream();
    let mut out = vec![0u8; max_len + 64];
    // SAFETY: the buffers outlive the calls.
    unsafe {
        assert_eq!(
            (ZLIB.inflateInit2_)(&mut *strm, bits, VERSION.as_ptr(), STREAM_SIZE),
            Z_OK
        );
        if let (Some(dict), true) = (&reading.dictionary, bits < 0) {
            let ret = (ZLIB.inflateSetDictionary)(&mut *strm, dict.as_ptr(), dict.len() as c_uint);
            assert_eq!(ret, Z_OK);
        }
        set_buffers(&mut strm, stream, &mut out);
        let mut ret = (ZLIB.inflate)(&mut *strm, Z_SYNC_FLUSH);
        if ret == Z_NEED_DICT {
            let dict = reading.dictionary.as_ref().expect("a dictionary was set");
            let set = (ZLIB.inflateSetDictionary)(&mut *strm, dict.as_ptr(), dict.len() as c_uint);
            assert_eq!(set, Z_OK);
            ret = (ZLIB.inflate)(&mut *strm, Z_SYNC_FLUSH);
        }
        if complete {
            assert_eq!(
                ret, Z_STREAM_END,
                "{label}: the original inflates the stream"
            );
            assert_eq!(
                strm.avail_in, 0,
                "{label}: bytes after the end of the stream"
            );
        } else {
            assert!(
                matches!(ret, Z_OK | Z_BUF_ERROR | Z_STREAM_END),
                "{label}: the original's inflate of a flushed prefix returned {ret} ({reading:?}, {} bytes)", stream.len()
            );
        }
        out.truncate(strm.total_out as usize);
        (ZLIB.inflateEnd)(&mut *strm);
    }
    out
}

/// The ORIGINAL zlib's inflate following a stream as it is written: each
/// call feeds what came out since the last and returns everything inflated
/// so far, so checking every flush point costs one inflate of the stream.
pub struct Follower {
    strm: Box<z_stream>,
    fed: usize,
    pub out: Vec<u8>,
    dictionary: Option<Vec<u8>>,
    ended: bool,
}

impl Follower {
    pub fn new(window_bits: c_int, reading: &Reading) -> Follower {
        let bits = match window_bits {
            w if w < 0 => -15,
            w if w > 15 => 31,
            _ => 15,
        };
        let mut strm = plain_stream();
        // SAFETY: a fresh stream; the dictionary is read during the call.
        unsafe {
            assert_eq!(
                (ZLIB.inflateInit2_)(&mut *strm, bits, VERSION.as_ptr(), STREAM_SIZE),
                Z_OK
            );
            if let (Some(dict), true) = (&reading.dictionary, bits < 0) {
                let ret =
                    (ZLIB.inflateSetDictionary)(&mut *strm, dict.as_ptr(), dict.len() as c_uint);
                assert_eq!(ret, Z_OK);
            }
        }
        Follower {
            strm,
            fed: 0,
            out: Vec::new(),
            dictionary: reading.dictionary.clone(),
            ended: false,
        }
    }

    /// Inflates `stream[fed..]` (the stream written so far) with
    /// Z_SYNC_FLUSH and returns all output so far.
    pub fn follow(&mut self, label: &str, stream: &[u8]) -> &[u8] {
        let mut input = &stream[self.fed..];
        let mut buf = vec![0u8; 1 << 16];
        while !self.ended {
            set_buffers(&mut self.strm, input, &mut buf);
            // SAFETY: the buffers outlive the call.
            let mut ret = unsafe { (ZLIB.inflate)(&mut *self.strm, Z_SYNC_FLUSH) };
            if ret == Z_NEED_DICT {
                let dict = self.dictionary.as_ref().expect("a dictionary was set");
                // SAFETY: the dictionary is readable.
                let set = unsafe {
                    (ZLIB.inflateSetDictionary)(
                        &mut *self.strm,
                        dict.as_ptr(),
                        dict.len() as c_uint,
                    )
                };
                assert_eq!(set, Z_OK);
                ret = Z_OK;
            }
            let used = input.len() - self.strm.avail_in as usize;
            let made = buf.len() - self.strm.avail_out as usize;
            self.out.extend_from_slice(&buf[..made]);
            input = &input[used..];
            self.fed += used;
            assert!(
                matches!(ret, Z_OK | Z_BUF_ERROR | Z_STREAM_END),
                "{label}: the original's inflate returned {ret} after {} bytes of output",
                self.out.len()
            );
            self.ended = ret == Z_STREAM_END;
            if used == 0 && made == 0 && ret != Z_OK {
                break;
            }
            if input.is_empty() && made < buf.len() {
                break;
            }
        }
        &self.out
    }
}

impl Drop for Follower {
    fn drop(&mut self) {
        // SAFETY: the stream is live.
        unsafe { (ZLIB.inflateEnd)(&mut *self.strm) };
    }
}

/// What a random sequence may use.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Flush modes to pick from between chunks.
    pub flushes: Vec<c_int>,
    /// Largest input chunk.
    pub max_chunk: usize,
    /// Largest output space per call.
    pub max_room: usize,
    /// Mix in deflateParams, deflatePending, deflateBound, deflateCopy, a
    /// dictionary, a gzip header and deflatePrime.
    pub extras: bool,
}

/// Compresses `data` in the fast profile through a random sequence of
/// calls (chunks, flushes, output space and, with `plan.extras`, the other
/// calls), checks it call by call, and reads it back with the original
/// zlib in full and after every sync and full flush.
pub fn run_sequence(label: &str, data: &[u8], setup: Setup, rng: &mut Rng, plan: &Plan) {
    if std::env::var_os("FAST_TRACE").is_some() {
        eprintln!("{label}");
    }
    let mut fast = Fast::new(setup);
    let mut reading = Reading::default();
    let mut header_name = None;
    let extras = plan.extras;
    // Items set before the first call.
    if extras && !setup.is_gzip() && rng.below(3) == 0 {
        let len = rng.range(1, 40_000);
        let dict: Vec<u8> = if data.len() > 16 && rng.below(2) == 0 {
            data.iter()
                .copied()
                .cycle()
                .skip(rng.below(data.len()))
                .take(len)
                .collect()
        } else {
            rng.bytes(len)
        };
        // SAFETY: the dictionary outlives the call.
        let ret = unsafe {
            (RZ_D.deflateSetDictionary)(&mut *fast.strm, dict.as_ptr(), dict.len() as c_uint)
        };
        assert_eq!(ret, Z_OK, "{label}: deflateSetDictionary");
        reading.dictionary = Some(dict);
    }
    let mut name = *b"fast-profile.txt\0";
    let mut comment = *b"written by rzlib's fast profile\0";
    let mut extra = *b"RZ\x04\x00fast";
    let mut head = empty_header();
    if extras && setup.is_gzip() && rng.below(2) == 0 {
        head.name = name.as_mut_ptr();
        head.comment = comment.as_mut_ptr();
        head.extra = extra.as_mut_ptr();
        head.extra_len = extra.len() as c_uint;
        head.hcrc = rng.below(2) as c_int;
        head.time = 1_234_567;
        // SAFETY: the header outlives the stream.
        let ret = unsafe { (RZ_D.deflateSetHeader)(&mut *fast.strm, &mut head) };
        assert_eq!(ret, Z_OK, "{label}: deflateSetHeader");
        header_name = Some(name);
    }
    if extras && setup.is_raw() && rng.below(3) == 0 {
        // Primed bits that inflate reads as deflate data: one or two empty
        // fixed blocks (BFINAL 0, BTYPE 01, end-of-block 0000000) before
        // the first block. (Whole bytes of primed bits go out at once, so
        // with a header they would land before it: raw streams only.)
        for _ in 0..rng.range(1, 2) {
            // SAFETY: the stream is live.
            let ret = unsafe { (RZ_D.deflatePrime)(&mut *fast.strm, 10, 0b010) };
            assert_eq!(ret, Z_OK, "{label}: deflatePrime");
        }
    }
    let max_room = plan.max_room;
    let mut room = {
        let mut rng = Rng::new(rng.next_u64());
        move || rng.range(1, max_room)
    };
    let mut follower = Follower::new(setup.window_bits, &reading);
    let mut given = 0;
    while given < data.len() {
        let chunk = rng.range(0, plan.max_chunk).min(data.len() - given);
        let flush = rng.pick(&plan.flushes);
        let input = &data[given..given + chunk];
        if flush == Z_NO_FLUSH {
            let (_, used) = fast.call(input, room(), flush);
            given += used;
        } else {
            let ret = fast.flush_through(input, flush, &mut room);
            // Z_BUF_ERROR: nothing new to flush (zlib's rule for a repeated
            // flush without input).
            assert!(
                matches!(ret, Z_OK | Z_BUF_ERROR),
                "{label}: flush {flush}: {ret}"
            );
            given += chunk;
            if matches!(flush, Z_SYNC_FLUSH | Z_FULL_FLUSH) {
                let back = follower.follow(label, &fast.out);
                assert!(
                    back == &data[..given],
                    "{label}: after flush {flush} at {given}, the original inflates {} of {given} bytes{}",
                    back.len(),
                    if data[..back.len().min(given)] == back[..back.len().min(given)] {
                        " (a correct prefix)"
                    } else {
                        ", wrongly"
                    }
                );
            }
        }
        if extras {
            extra_call(
                label, &mut fast, data, given, setup, &reading, rng, &mut room,
            );
        }
    }
    let ret = fast.flush_through(&[], Z_FINISH, &mut room);
    assert_eq!(ret, Z_STREAM_END, "{label}: Z_FINISH");
    // A finished stream answers Z_FINISH with Z_STREAM_END again.
    assert_eq!(fast.call(&[], 16, Z_FINISH).0, Z_STREAM_END, "{label}");
    assert_eq!(
        fast.strm.total_in as usize,
        data.len() + dictionary_total(&reading, setup)
    );
    assert_eq!(fast.strm.total_out as usize, fast.out.len());
    check_value(label, &fast, data, setup);
    assert_eq!(fast.end(), Z_OK, "{label}: deflateEnd");
    let back = original_inflate(
        label,
        &fast.out,
        setup.window_bits,
        &reading,
        true,
        data.len(),
    );
    assert!(
        back == data,
        "{label}: round trip ({} of {} bytes)",
        back.len(),
        data.len()
    );
    if let Some(name) = header_name {
        check_gzip_name(label, &fast.out, &name);
    }
}

/// deflateSetDictionary counts the dictionary (its last window's worth)
/// in total_in, as zlib does.
fn dictionary_total(reading: &Reading, setup: Setup) -> usize {
    match &reading.dictionary {
        Some(dict) => dict.len().min(1 << setup.window_bits.unsigned_abs().max(9)),
        None => 0,
    }
}

/// `adler` after the stream: the data's Adler-32 (zlib) or CRC-32 (gzip).
fn check_value(label: &str, fast: &Fast, data: &[u8], setup: Setup) {
    let expected = if setup.is_gzip() {
        // SAFETY: the slice is readable.
        unsafe { (ZLIB.crc32_z)(0, data.as_ptr(), data.len()) }
    } else if setup.is_raw() {
        return;
    } else {
        // SAFETY: the slice is readable.
        unsafe { (ZLIB.adler32_z)(1, data.as_ptr(), data.len()) }
    };
    assert_eq!(fast.strm.adler, expected, "{label}: check value");
}

/// The original's inflateGetHeader reads back the name deflate was given.
fn check_gzip_name(label: &str, stream: &[u8], name: &[u8]) {
    let mut strm = plain_stream();
    let mut got = [0u8; 64];
    let mut head = empty_header();
    head.name = got.as_mut_ptr();
    head.name_max = got.len() as c_uint;
    let mut out = vec![0u8; 1];
    // SAFETY: the buffers outlive the calls.
    unsafe {
        assert_eq!(
            (ZLIB.inflateInit2_)(&mut *strm, 31, VERSION.as_ptr(), STREAM_SIZE),
            Z_OK
        );
        assert_eq!((ZLIB.inflateGetHeader)(&mut *strm, &mut head), Z_OK);
        set_buffers(&mut strm, stream, &mut out);
        (ZLIB.inflate)(&mut *strm, Z_NO_FLUSH);
        assert_eq!(head.done, 1, "{label}: gzip header read");
        (ZLIB.inflateEnd)(&mut *strm);
    }
    assert_eq!(&got[..name.len()], name, "{label}: gzip name");
}

/// One random extra call between chunks: deflateParams, deflatePending,
/// deflateBound, or a deflateCopy whose copy finishes the data on its own.
#[allow(clippy::too_many_arguments)]
fn extra_call(
    label: &str,
    fast: &mut Fast,
    data: &[u8],
    given: usize,
    setup: Setup,
    reading: &Reading,
    rng: &mut Rng,
    room: &mut dyn FnMut() -> usize,
) {
    match rng.below(8) {
        0 => {
            let (level, strategy) = (rng.range(0, 10) as c_int - 1, rng.range(0, 4) as c_int);
            let mut buf = vec![0u8; room()];
            set_buffers(&mut fast.strm, &[], &mut buf);
            let before = fast.strm.total_out;
            // SAFETY: the buffers outlive the call.
            let ret = unsafe { (RZ_D.deflateParams)(&mut *fast.strm, level, strategy) };
            let made = (fast.strm.total_out - before) as usize;
            fast.out.extend_from_slice(&buf[..made]);
            assert!(
                matches!(ret, Z_OK | Z_BUF_ERROR),
                "{label}: deflateParams({level}, {strategy}) returned {ret}"
            );
        }
        1 => {
            let (mut pending, mut bits) = (0 as c_uint, 0 as c_int);
            // SAFETY: the stream is live.
            let ret = unsafe { (RZ_D.deflatePending)(&mut *fast.strm, &mut pending, &mut bits) };
            assert_eq!(ret, Z_OK);
            assert!(
                (0..=16).contains(&bits),
                "{label}: deflatePending bits {bits}"
            );
            assert!(pending < 1 << 20, "{label}: deflatePending bytes {pending}");
        }
        2 => {
            // The copy takes the rest at once and must give the whole data.
            // Its state comes from the source's allocator (deflateCopy
            // copies zalloc and opaque), which outlives it.
            let mut copy = plain_stream();
            // SAFETY: both streams are valid.
            let ret = unsafe { (RZ_D.deflateCopy)(&mut *copy, &mut *fast.strm) };
            assert_eq!(ret, Z_OK, "{label}: deflateCopy");
            let mut twin = Fast {
                _counter: Counter::new(false),
                strm: copy,
                out: fast.out.clone(),
                live: true,
            };
            let rest = &data[given..];
            let ret = twin.flush_through(rest, Z_FINISH, room);
            assert_eq!(ret, Z_STREAM_END, "{label}: the copy finishes");
            let back = original_inflate(
                label,
                &twin.out,
                setup.window_bits,
                reading,
                true,
                data.len(),
            );
            assert!(back == data, "{label}: the copy's stream");
        }
        3 => {
            let len = rng.below(1 << 17);
            let bound = fast.bound(len);
            assert!(bound >= len, "{label}: deflateBound({len}) = {bound}");
        }
        _ => {}
    }
}

/// The fuzz body: the first 8 bytes choose the settings and the plan, the
/// rest is the data (see fuzz/fuzz_targets/fast_profile.rs).
pub fn fuzz_fast(data: &[u8]) {
    if data.len() < 8 {
        return;
    }
    let (cfg, input) = data.split_at(8);
    let setup = Setup::new(
        (cfg[0] % 11) as c_int - 1,
        fuzz_window_bits(cfg[1]),
        1 + (cfg[2] % 9) as c_int,
        (cfg[3] % 5) as c_int,
    );
    let plan = Plan {
        flushes: fuzz_flushes(cfg[4]),
        max_chunk: 1 + cfg[5] as usize * 64,
        max_room: 1 + (cfg[5] as usize * 97 + 13) % 4096,
        extras: cfg[4] & 0x80 != 0,
    };
    let mut rng = Rng::new(u64::from(u16::from_le_bytes([cfg[6], cfg[7]])));
    run_sequence("fuzz", input, setup, &mut rng, &plan);
}

/// The parallel streams' fuzz body (fuzz/fuzz_targets/parallel.rs and
/// tests/parallel.rs): the first 8 bytes as in [`fuzz_fast`], the ninth
/// chooses the threads (2 to 4, bits 0-1) and how many times the data is
/// repeated (1 to 16, bits 2-5), each copy a little changed, so that short
/// inputs still make streams of several jobs. The stream runs through
/// [`run_sequence`] on that many threads (a deflateCopy must be refused).
pub fn fuzz_parallel(data: &[u8]) {
    if data.len() < 9 {
        return;
    }
    let (cfg, input) = data.split_at(9);
    let threads = 2 + c_int::from(cfg[8] & 3) % 3;
    let copies = 1 + usize::from(cfg[8] >> 2 & 15);
    let mut expanded = Vec::with_capacity(input.len() * copies);
    for copy in 0..copies {
        let start = expanded.len();
        expanded.extend_from_slice(input);
        // Every 251st byte of copy `copy` (from byte `copy`) moves on by
        // `copy`, so that copies are not all one long match.
        let mut at = start + copy;
        while at < expanded.len() {
            expanded[at] = expanded[at].wrapping_add(copy as u8);
            at += 251;
        }
        if expanded.len() >= 1 << 20 {
            break;
        }
    }
    let mut fuzz_input = cfg[..8].to_vec();
    fuzz_input.extend_from_slice(&expanded);
    let before = THREADS.get();
    THREADS.set(threads);
    // Restored even when a check fails, for the next input of the process.
    struct Restore(c_int);
    impl Drop for Restore {
        fn drop(&mut self) {
            THREADS.set(self.0);
        }
    }
    let _restore = Restore(before);
    fuzz_fast(&fuzz_input);
}
