//! The Rust API (src/api) against the original zlib (libz-sys, static):
//! the exact profile's bytes are zlib's for the same settings and calls,
//! everything rzlib writes inflates with zlib and everything zlib writes
//! inflates with rzlib, the io adapters survive tiny buffers and random
//! chunking, gzip files of several members read whole, and errors carry
//! zlib's messages. The last test builds and runs tests/consumer, a crate
//! that uses only the public API.

use std::ffi::{c_int, c_long, c_uint, c_ulong, c_void, CStr};
use std::io::{self, BufRead, BufReader, Read, Write};

use rzlib::{
    bufread, read, write, Adler32, Compress, Crc32, Decompress, ErrorKind, FlushCompress,
    FlushDecompress, Format, GzBuilder, Level, Profile, Status, Strategy,
};

// ------------------------------------------------------------- helpers

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// In `range` (inclusive).
    fn between(&mut self, low: usize, high: usize) -> usize {
        low + (self.next() % (high - low + 1) as u64) as usize
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

/// Text-like, binary, runs and noise, so every block type and match
/// length turns up.
fn samples() -> Vec<(&'static str, Vec<u8>)> {
    let mut rng = Rng(0x5eed);
    let words = [
        "deflate ", "inflate ", "zlib ", "gzip ", "window ", "the ", "a ",
    ];
    let text: Vec<u8> = (0..12_000)
        .flat_map(|_| words[rng.between(0, words.len() - 1)].bytes())
        .collect();
    let binary: Vec<u8> = (0..60_000u32)
        .map(|i| (i.wrapping_mul(i) >> 7) as u8 ^ (i as u8 & 0x0f))
        .collect();
    let runs: Vec<u8> = (0..50_000).map(|i| (i / 700) as u8).collect();
    vec![
        ("empty", Vec::new()),
        ("one byte", vec![b'x']),
        ("text", text),
        ("binary", binary),
        ("runs", runs),
        ("noise", rng.bytes(40_000)),
    ]
}

unsafe extern "C" fn zalloc(_: *mut c_void, items: c_uint, size: c_uint) -> *mut c_void {
    // SAFETY: calloc takes any sizes and returns NULL on failure.
    unsafe { libc::calloc(items as usize, size as usize) }
}

unsafe extern "C" fn zfree(_: *mut c_void, address: *mut c_void) {
    // SAFETY: zlib frees only what zalloc returned.
    unsafe { libc::free(address) }
}

fn zlib_stream() -> Box<libz_sys::z_stream> {
    Box::new(libz_sys::z_stream {
        next_in: std::ptr::null_mut(),
        avail_in: 0,
        total_in: 0,
        next_out: std::ptr::null_mut(),
        avail_out: 0,
        total_out: 0,
        msg: std::ptr::null_mut(),
        state: std::ptr::null_mut(),
        zalloc,
        zfree,
        opaque: std::ptr::null_mut(),
        data_type: 0,
        adler: 0,
        reserved: 0,
    })
}

const STREAM_SIZE: c_int = std::mem::size_of::<libz_sys::z_stream>() as c_int;

/// The gzip header fields both sides are given.
#[derive(Clone, Debug)]
struct Header {
    name: Option<Vec<u8>>,
    comment: Option<Vec<u8>>,
    extra: Option<Vec<u8>>,
    mtime: u32,
    os: u8,
    text: bool,
    hcrc: bool,
}

/// One compression setting, as zlib's deflateInit2 and rzlib's builder
/// take it.
#[derive(Clone, Debug)]
struct Setting {
    level: u32,
    format: Format,
    window_bits: u8,
    mem_level: u8,
    strategy: Strategy,
    dictionary: Option<Vec<u8>>,
    header: Option<Header>,
}

impl Setting {
    fn zlib_window_bits(&self) -> c_int {
        let bits = c_int::from(self.window_bits);
        match self.format {
            Format::Zlib => bits,
            Format::Gzip => bits + 16,
            Format::Raw => -bits,
        }
    }

    fn strategy_value(&self) -> c_int {
        match self.strategy {
            Strategy::Default => 0,
            Strategy::Filtered => 1,
            Strategy::HuffmanOnly => 2,
            Strategy::Rle => 3,
            Strategy::Fixed => 4,
        }
    }

    fn rzlib(&self, profile: Profile) -> Compress {
        let mut builder = Compress::builder()
            .level(Level::new(self.level))
            .format(self.format)
            .window_bits(self.window_bits)
            .mem_level(self.mem_level)
            .strategy(self.strategy)
            .profile(profile);
        if let Some(h) = &self.header {
            let mut gz = GzBuilder::new()
                .mtime(h.mtime)
                .operating_system(h.os)
                .text(h.text)
                .header_crc(h.hcrc);
            if let Some(name) = &h.name {
                gz = gz.filename(name.clone());
            }
            if let Some(comment) = &h.comment {
                gz = gz.comment(comment.clone());
            }
            if let Some(extra) = &h.extra {
                gz = gz.extra(extra.clone());
            }
            builder = builder.header(gz.into_header());
        }
        let mut stream = builder.build().expect("valid setting");
        if let Some(dictionary) = &self.dictionary {
            stream.set_dictionary(dictionary).expect("dictionary");
        }
        stream
    }
}

/// One call of a script: input bytes offered, output space, flush.
#[derive(Clone, Copy, Debug)]
struct Call {
    input: usize,
    room: usize,
    flush: FlushCompress,
}

fn flush_value(flush: FlushCompress) -> c_int {
    match flush {
        FlushCompress::None => 0,
        FlushCompress::Partial => 1,
        FlushCompress::Sync => 2,
        FlushCompress::Full => 3,
        FlushCompress::Finish => 4,
        FlushCompress::Block => 5,
    }
}

/// What each call did: its code (zlib's values), input taken, output
/// written; and all the output.
type Trace = (Vec<(c_int, usize, usize)>, Vec<u8>);

/// Runs `calls` over `data` on the original zlib, then finishes.
fn run_zlib(setting: &Setting, data: &[u8], calls: &[Call]) -> Trace {
    let mut strm = zlib_stream();
    let s: *mut libz_sys::z_stream = &mut *strm;
    let terminated = |v: &Option<Vec<u8>>| {
        v.clone().map(|mut v| {
            v.push(0);
            v
        })
    };
    let header = setting.header.clone();
    let mut name = header.as_ref().and_then(|h| terminated(&h.name));
    let mut comment = header.as_ref().and_then(|h| terminated(&h.comment));
    let mut extra = header.as_ref().and_then(|h| h.extra.clone());
    let mut head = libz_sys::gz_header {
        text: 0,
        time: 0,
        xflags: 0,
        os: 0,
        extra: std::ptr::null_mut(),
        extra_len: 0,
        extra_max: 0,
        name: std::ptr::null_mut(),
        name_max: 0,
        comment: std::ptr::null_mut(),
        comm_max: 0,
        hcrc: 0,
        done: 0,
    };
    let mut trace = Vec::new();
    let mut out = Vec::new();
    // SAFETY: zlib calls on a stream this function owns; every buffer it
    // is given outlives the calls that use it.
    unsafe {
        let ret = libz_sys::deflateInit2_(
            s,
            setting.level as c_int,
            8,
            setting.zlib_window_bits(),
            c_int::from(setting.mem_level),
            setting.strategy_value(),
            libz_sys::zlibVersion(),
            STREAM_SIZE,
        );
        assert_eq!(ret, 0, "{setting:?}");
        if let Some(h) = &header {
            head.text = c_int::from(h.text);
            head.time = c_ulong::from(h.mtime);
            head.os = c_int::from(h.os);
            head.hcrc = c_int::from(h.hcrc);
            if let Some(e) = extra.as_mut() {
                head.extra = e.as_mut_ptr();
                head.extra_len = e.len() as c_uint;
            }
            if let Some(n) = name.as_mut() {
                head.name = n.as_mut_ptr();
            }
            if let Some(c) = comment.as_mut() {
                head.comment = c.as_mut_ptr();
            }
            assert_eq!(libz_sys::deflateSetHeader(s, &mut head), 0);
        }
        if let Some(d) = &setting.dictionary {
            assert_eq!(
                libz_sys::deflateSetDictionary(s, d.as_ptr(), d.len() as c_uint),
                0
            );
        }
        let mut pos = 0;
        for call in with_finish(calls) {
            let end = (pos + call.input).min(data.len());
            let mut room = vec![0u8; call.room];
            strm.next_in = data.as_ptr().add(pos) as *mut u8;
            strm.avail_in = (end - pos) as c_uint;
            strm.next_out = room.as_mut_ptr();
            strm.avail_out = call.room as c_uint;
            let code = libz_sys::deflate(s, flush_value(call.flush));
            let taken = (end - pos) - strm.avail_in as usize;
            let written = call.room - strm.avail_out as usize;
            pos += taken;
            out.extend_from_slice(&room[..written]);
            trace.push((code, taken, written));
            if code == 1 {
                break;
            }
        }
        libz_sys::deflateEnd(s);
    }
    (trace, out)
}

/// A script, then finishing calls with 1 KiB of room each and all the
/// remaining input offered.
fn with_finish(calls: &[Call]) -> impl Iterator<Item = Call> + '_ {
    let finish = Call {
        input: usize::MAX / 2,
        room: 1024,
        flush: FlushCompress::Finish,
    };
    calls
        .iter()
        .copied()
        .chain(std::iter::repeat_n(finish, 1 << 20))
}

/// The same script on rzlib's [`Compress`].
fn run_rzlib(stream: &mut Compress, data: &[u8], calls: &[Call]) -> Trace {
    let mut trace = Vec::new();
    let mut out = Vec::new();
    let mut pos = 0;
    for call in with_finish(calls) {
        let end = (pos + call.input).min(data.len());
        let mut room = vec![0u8; call.room];
        let before = (stream.total_in(), stream.total_out());
        let code = match stream.compress(&data[pos..end], &mut room, call.flush) {
            Ok(Status::Ok) => 0,
            Ok(Status::StreamEnd) => 1,
            Ok(Status::BufError) => -5,
            Err(e) => e.code(),
        };
        let taken = (stream.total_in() - before.0) as usize;
        let written = (stream.total_out() - before.1) as usize;
        pos += taken;
        out.extend_from_slice(&room[..written]);
        trace.push((code, taken, written));
        if code == 1 {
            break;
        }
    }
    (trace, out)
}

/// zlib's uncompress of a zlib stream, any format through inflateInit2
/// with `window_bits` (47 auto-detects zlib and gzip; -15 raw).
fn zlib_inflate(data: &[u8], window_bits: c_int, dictionary: Option<&[u8]>) -> Vec<u8> {
    let mut strm = zlib_stream();
    let s: *mut libz_sys::z_stream = &mut *strm;
    let mut out = Vec::new();
    // SAFETY: as in run_zlib.
    unsafe {
        assert_eq!(
            libz_sys::inflateInit2_(s, window_bits, libz_sys::zlibVersion(), STREAM_SIZE),
            0
        );
        if let (Some(d), true) = (dictionary, window_bits < 0) {
            assert_eq!(
                libz_sys::inflateSetDictionary(s, d.as_ptr(), d.len() as c_uint),
                0
            );
        }
        strm.next_in = data.as_ptr() as *mut u8;
        strm.avail_in = data.len() as c_uint;
        loop {
            let mut room = [0u8; 4096];
            strm.next_out = room.as_mut_ptr();
            strm.avail_out = room.len() as c_uint;
            let mut code = libz_sys::inflate(s, 0);
            if code == 2 {
                let d = dictionary.expect("the stream needs a dictionary");
                assert_eq!(
                    libz_sys::inflateSetDictionary(s, d.as_ptr(), d.len() as c_uint),
                    0
                );
                code = 0;
            }
            out.extend_from_slice(&room[..room.len() - strm.avail_out as usize]);
            if code == 1 {
                break;
            }
            assert_eq!(code, 0, "zlib's inflate: {:?}", message(strm.msg));
        }
        assert_eq!(strm.avail_in, 0, "bytes after the stream");
        libz_sys::inflateEnd(s);
    }
    out
}

fn message(msg: *const std::ffi::c_char) -> Option<String> {
    // SAFETY: zlib's msg is NULL or a static NUL-terminated string.
    (!msg.is_null()).then(|| {
        unsafe { CStr::from_ptr(msg) }
            .to_string_lossy()
            .into_owned()
    })
}

/// zlib's `inflate` result on `data` in one call: its code and message.
fn zlib_inflate_error(data: &[u8], window_bits: c_int) -> (c_int, Option<String>) {
    let mut strm = zlib_stream();
    let s: *mut libz_sys::z_stream = &mut *strm;
    let mut room = vec![0u8; 1 << 20];
    // SAFETY: as in run_zlib.
    unsafe {
        assert_eq!(
            libz_sys::inflateInit2_(s, window_bits, libz_sys::zlibVersion(), STREAM_SIZE),
            0
        );
        strm.next_in = data.as_ptr() as *mut u8;
        strm.avail_in = data.len() as c_uint;
        strm.next_out = room.as_mut_ptr();
        strm.avail_out = room.len() as c_uint;
        let code = libz_sys::inflate(s, 4);
        let msg = message(strm.msg);
        libz_sys::inflateEnd(s);
        (code, msg)
    }
}

// The original's combine functions (libz-sys declares them only with its
// libc feature); z_off_t is a long on the targets rzlib supports.
extern "C" {
    fn crc32_combine(crc1: c_ulong, crc2: c_ulong, len2: c_long) -> c_ulong;
    fn adler32_combine(adler1: c_ulong, adler2: c_ulong, len2: c_long) -> c_ulong;
    // Not bound by libz-sys at all.
    fn compressBound(source_len: c_ulong) -> c_ulong;
    fn compress2(
        dest: *mut u8,
        dest_len: *mut c_ulong,
        source: *const u8,
        source_len: c_ulong,
        level: c_int,
    ) -> c_int;
}

// ---------------------------------------------------------------- tests

#[test]
fn compress_is_zlibs_compress2() {
    for (name, data) in samples() {
        for level in 0..=9u32 {
            // SAFETY: compressBound only computes.
            let bound = unsafe { compressBound(data.len() as c_ulong) };
            let mut expected = vec![0u8; bound as usize];
            let mut len = bound;
            // SAFETY: the buffers are valid for the lengths given.
            let ret = unsafe {
                compress2(
                    expected.as_mut_ptr(),
                    &mut len,
                    data.as_ptr(),
                    data.len() as c_ulong,
                    level as c_int,
                )
            };
            assert_eq!(ret, 0);
            expected.truncate(len as usize);
            let ours = rzlib::compress(&data, Level::new(level));
            assert!(ours == expected, "{name} level {level}");
            assert_eq!(rzlib::decompress(&ours).unwrap(), data, "{name}");
        }
    }
}

#[test]
fn compress_gzip_is_zlibs_gzip_stream() {
    for (name, data) in samples() {
        for level in [0, 1, 6, 9] {
            let setting = Setting {
                level,
                format: Format::Gzip,
                window_bits: 15,
                mem_level: 8,
                strategy: Strategy::Default,
                dictionary: None,
                header: None,
            };
            let whole = [Call {
                input: data.len(),
                room: data.len() * 2 + 64,
                flush: FlushCompress::Finish,
            }];
            let (_, expected) = run_zlib(&setting, &data, &whole);
            let ours = rzlib::compress_gzip(&data, Level::new(level));
            assert!(ours == expected, "{name} level {level}");
            assert_eq!(rzlib::decompress_gzip(&ours).unwrap(), data);
        }
    }
}

/// Random settings and call scripts: every call's code, input taken and
/// output written are zlib's, and so is every byte.
#[test]
fn exact_streams_match_zlib_call_by_call() {
    let samples = samples();
    let mut rng = Rng(0xdef1a7e);
    let strategies = [
        Strategy::Default,
        Strategy::Filtered,
        Strategy::HuffmanOnly,
        Strategy::Rle,
        Strategy::Fixed,
    ];
    let flushes = [
        FlushCompress::None,
        FlushCompress::None,
        FlushCompress::None,
        FlushCompress::Partial,
        FlushCompress::Sync,
        FlushCompress::Full,
        FlushCompress::Block,
    ];
    for case in 0..240 {
        let (name, data) = &samples[case % samples.len()];
        let format = [Format::Zlib, Format::Gzip, Format::Raw][rng.between(0, 2)];
        let header = (format == Format::Gzip && rng.between(0, 1) == 1).then(|| Header {
            name: rng.between(0, 1).eq(&1).then(|| b"file.txt".to_vec()),
            comment: rng.between(0, 1).eq(&1).then(|| b"a comment".to_vec()),
            extra: rng
                .between(0, 1)
                .eq(&1)
                .then(|| vec![b'R', b'Z', 3, 0, 1, 2, 3]),
            mtime: rng.next() as u32,
            os: rng.next() as u8,
            text: rng.between(0, 1) == 1,
            hcrc: rng.between(0, 1) == 1,
        });
        let setting = Setting {
            level: rng.between(0, 9) as u32,
            format,
            window_bits: rng.between(9, 15) as u8,
            mem_level: rng.between(1, 9) as u8,
            strategy: strategies[rng.between(0, strategies.len() - 1)],
            dictionary: (format != Format::Gzip && rng.between(0, 3) == 0)
                .then(|| data.iter().rev().take(3000).copied().collect()),
            header,
        };
        let calls: Vec<Call> = (0..rng.between(1, 40))
            .map(|_| Call {
                input: rng.between(0, 9000),
                room: rng.between(0, 3000),
                flush: flushes[rng.between(0, flushes.len() - 1)],
            })
            .collect();
        let expected = run_zlib(&setting, data, &calls);
        let mut stream = setting.rzlib(Profile::Exact);
        let ours = run_rzlib(&mut stream, data, &calls);
        assert!(
            ours.0 == expected.0,
            "case {case} ({name}, {setting:?}): calls differ"
        );
        assert!(
            ours.1 == expected.1,
            "case {case} ({name}, {setting:?}): bytes differ"
        );
        // And it reads back, with rzlib and with zlib.
        let inflate_bits = match format {
            Format::Raw => -15,
            _ => 47,
        };
        let back = zlib_inflate(&ours.1, inflate_bits, setting.dictionary.as_deref());
        assert!(back == *data, "case {case}: zlib reads it back");
        assert_eq!(stream.total_in(), data.len() as u64);
        assert_eq!(stream.total_out(), ours.1.len() as u64);
        // A reset stream starts over with the same settings.
        stream.reset();
        if let Some(dictionary) = &setting.dictionary {
            stream.set_dictionary(dictionary).unwrap();
        }
        assert!(
            run_rzlib(&mut stream, data, &calls).1 == expected.1,
            "case {case}: reset"
        );
    }
}

/// set_params after a flush is zlib's deflateParams: same bytes after.
#[test]
fn set_params_is_deflate_params() {
    let samples = samples();
    let data = &samples[2].1;
    let half = data.len() / 2;
    for (from, to) in [(1, 9), (6, 0), (0, 6), (9, 1), (3, 3)] {
        let mut ours = Compress::new(Level::new(from), Format::Zlib);
        let mut out = Vec::with_capacity(data.len() * 2);
        ours.compress_vec(&data[..half], &mut out, FlushCompress::Block)
            .unwrap();
        ours.set_params(Level::new(to), Strategy::Filtered).unwrap();
        ours.compress_vec(&data[half..], &mut out, FlushCompress::Finish)
            .unwrap();

        let mut strm = zlib_stream();
        let s: *mut libz_sys::z_stream = &mut *strm;
        let mut expected = vec![0u8; data.len() * 2];
        // SAFETY: as in run_zlib.
        unsafe {
            libz_sys::deflateInit_(s, from as c_int, libz_sys::zlibVersion(), STREAM_SIZE);
            strm.next_in = data.as_ptr() as *mut u8;
            strm.avail_in = half as c_uint;
            strm.next_out = expected.as_mut_ptr();
            strm.avail_out = expected.len() as c_uint;
            assert_eq!(libz_sys::deflate(s, 5), 0);
            assert_eq!(libz_sys::deflateParams(s, to as c_int, 1), 0);
            strm.avail_in = (data.len() - half) as c_uint;
            assert_eq!(libz_sys::deflate(s, 4), 1);
            expected.truncate(strm.total_out as usize);
            libz_sys::deflateEnd(s);
        }
        assert!(out == expected, "{from} -> {to}");
    }
    // Data not flushed yet: the change must wait.
    let mut stream = Compress::new(Level::new(1), Format::Zlib);
    let mut out = Vec::with_capacity(1 << 16);
    stream
        .compress_vec(data, &mut out, FlushCompress::None)
        .unwrap();
    let err = stream
        .set_params(Level::best(), Strategy::Default)
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.message()),
        (ErrorKind::Buffer, "buffer error")
    );
}

#[test]
fn fast_profile_is_valid_deflate_that_zlib_reads() {
    for (name, data) in samples() {
        for level in 1..=9u32 {
            for format in [Format::Zlib, Format::Gzip, Format::Raw] {
                let mut stream = Compress::builder()
                    .level(Level::new(level))
                    .format(format)
                    .profile(Profile::Fast)
                    .build()
                    .unwrap();
                let mut out = Vec::with_capacity(stream.bound(data.len()));
                let status = stream
                    .compress_vec(&data, &mut out, FlushCompress::Finish)
                    .unwrap();
                assert_eq!(status, Status::StreamEnd);
                let bits = if format == Format::Raw { -15 } else { 47 };
                assert!(zlib_inflate(&out, bits, None) == data, "{name} {level}");
            }
        }
    }
    // It is another algorithm: on text its bytes differ from zlib's.
    let text = &samples()[2].1;
    let mut fast = Compress::builder()
        .profile(Profile::Fast)
        .level(Level::fast())
        .build()
        .unwrap();
    let mut out = Vec::with_capacity(text.len());
    fast.compress_vec(text, &mut out, FlushCompress::Finish)
        .unwrap();
    assert_ne!(out, rzlib::compress(text, Level::fast()));
}

/// Streams zlib wrote, decompressed in random pieces, with the gzip
/// header's fields read back.
#[test]
fn decompress_reads_zlib_streams_in_pieces() {
    let samples = samples();
    let mut rng = Rng(0x1f1a7e);
    for case in 0..120 {
        let (name, data) = &samples[case % samples.len()];
        let format = [Format::Zlib, Format::Gzip, Format::Raw][case % 3];
        let header = (format == Format::Gzip).then(|| Header {
            name: Some(b"name.bin".to_vec()),
            comment: (case % 2 == 0).then(|| b"comment".to_vec()),
            extra: Some(vec![1, 2, 3, 4]),
            mtime: 1_234_567,
            os: 11,
            text: true,
            hcrc: case % 4 == 0,
        });
        let setting = Setting {
            level: rng.between(0, 9) as u32,
            format,
            window_bits: rng.between(9, 15) as u8,
            mem_level: 8,
            strategy: Strategy::Default,
            dictionary: None,
            header: header.clone(),
        };
        let (_, packed) = run_zlib(&setting, data, &[]);
        let mut stream = Decompress::with_window_bits(format, setting.window_bits).unwrap();
        let mut out = Vec::new();
        let mut pos = 0;
        let mut status = Status::Ok;
        while status != Status::StreamEnd {
            let end = (pos + rng.between(0, 700)).min(packed.len());
            let mut room = vec![0u8; rng.between(0, 900)];
            let before = (stream.total_in(), stream.total_out());
            status = stream
                .decompress(&packed[pos..end], &mut room, FlushDecompress::None)
                .unwrap_or_else(|e| panic!("case {case} ({name}): {e}"));
            pos += (stream.total_in() - before.0) as usize;
            out.extend_from_slice(&room[..(stream.total_out() - before.1) as usize]);
        }
        assert!(out == *data, "case {case} ({name})");
        assert_eq!(pos, packed.len());
        assert!(stream.is_finished());
        if let Some(h) = header {
            let read = stream.header().expect("the header");
            assert_eq!(read.filename(), h.name.as_deref());
            assert_eq!(read.comment(), h.comment.as_deref());
            assert_eq!(read.extra(), h.extra.as_deref());
            assert_eq!(read.mtime(), h.mtime);
            assert_eq!(read.operating_system(), h.os);
            assert!(read.is_text());
            assert_eq!(read.has_header_crc(), h.hcrc);
        } else {
            assert!(stream.header().is_none());
        }
    }
}

/// A reader that hands out 0..=`max` bytes per call (0 only as EOF at the
/// end), so the adapters see every chunk boundary.
struct Trickle<'a> {
    data: &'a [u8],
    rng: Rng,
    max: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self
            .rng
            .between(1, self.max)
            .min(buf.len())
            .min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// A writer that takes 1..=`max` bytes per call.
struct Sip {
    data: Vec<u8>,
    rng: Rng,
    max: usize,
}

impl Write for Sip {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.rng.between(1, self.max).min(buf.len());
        self.data.extend_from_slice(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Reads all of `reader` in random pieces of 1..=`max` bytes.
fn read_in_pieces(mut reader: impl Read, rng: &mut Rng, max: usize) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let mut piece = vec![0u8; rng.between(1, max)];
        let n = reader.read(&mut piece)?;
        if n == 0 {
            return Ok(out);
        }
        out.extend_from_slice(&piece[..n]);
    }
}

/// Writes all of `data` in random pieces of 1..=`max` bytes, flushing now
/// and then.
fn write_in_pieces(writer: &mut impl Write, data: &[u8], rng: &mut Rng, max: usize) {
    let mut pos = 0;
    while pos < data.len() {
        let end = (pos + rng.between(1, max)).min(data.len());
        writer.write_all(&data[pos..end]).unwrap();
        if rng.between(0, 50) == 0 {
            writer.flush().unwrap();
        }
        pos = end;
    }
}

#[test]
fn io_adapters_round_trip_with_tiny_buffers() {
    let mut rng = Rng(0x10);
    for (name, data) in samples() {
        for max in [1, 7, 300] {
            let level = Level::new(rng.between(0, 9) as u32);
            let trickle = |rng: &mut Rng, data| Trickle {
                data,
                rng: Rng(rng.next() | 1),
                max,
            };
            let sip = |rng: &mut Rng| Sip {
                data: Vec::new(),
                rng: Rng(rng.next() | 1),
                max,
            };
            // read:: encoders, decoded by zlib and by read:: decoders.
            let zlib = read_in_pieces(
                read::ZlibEncoder::new(trickle(&mut rng, &data), level),
                &mut rng,
                max,
            )
            .unwrap();
            assert!(zlib_inflate(&zlib, 15, None) == data, "{name} {max}");
            let gz = read_in_pieces(
                read::GzEncoder::new(trickle(&mut rng, &data), level),
                &mut rng,
                max,
            )
            .unwrap();
            assert!(zlib_inflate(&gz, 31, None) == data, "{name} {max}");
            let raw = read_in_pieces(
                read::DeflateEncoder::new(trickle(&mut rng, &data), level),
                &mut rng,
                max,
            )
            .unwrap();
            assert!(zlib_inflate(&raw, -15, None) == data, "{name} {max}");
            let decoded = [
                read_in_pieces(
                    read::ZlibDecoder::new(trickle(&mut rng, &zlib)),
                    &mut rng,
                    max,
                ),
                read_in_pieces(read::GzDecoder::new(trickle(&mut rng, &gz)), &mut rng, max),
                read_in_pieces(
                    read::MultiGzDecoder::new(trickle(&mut rng, &gz)),
                    &mut rng,
                    max,
                ),
                read_in_pieces(
                    read::DeflateDecoder::new(trickle(&mut rng, &raw)),
                    &mut rng,
                    max,
                ),
            ];
            for d in decoded {
                assert!(d.unwrap() == data, "{name} {max}");
            }
            // bufread:: over a small BufReader.
            let buffered = |rng: &mut Rng, data| BufReader::with_capacity(max, trickle(rng, data));
            let out = read_in_pieces(
                bufread::ZlibDecoder::new(buffered(&mut rng, &zlib)),
                &mut rng,
                max,
            );
            assert!(out.unwrap() == data);
            let packed = read_in_pieces(
                bufread::GzEncoder::new(buffered(&mut rng, &data), level),
                &mut rng,
                max,
            )
            .unwrap();
            assert!(zlib_inflate(&packed, 31, None) == data);

            // write:: encoders into a sipping writer, and decoders.
            let mut w = write::ZlibEncoder::new(sip(&mut rng), level);
            write_in_pieces(&mut w, &data, &mut rng, max);
            assert_eq!(w.total_in(), data.len() as u64);
            let zlib_w = w.finish().unwrap().data;
            assert!(zlib_inflate(&zlib_w, 15, None) == data, "{name} {max}");
            let mut w = write::GzEncoder::new(sip(&mut rng), level);
            write_in_pieces(&mut w, &data, &mut rng, max);
            assert!(zlib_inflate(&w.finish().unwrap().data, 31, None) == data);
            let mut w = write::DeflateEncoder::new(sip(&mut rng), level);
            write_in_pieces(&mut w, &data, &mut rng, max);
            assert!(zlib_inflate(&w.finish().unwrap().data, -15, None) == data);

            let mut w = write::ZlibDecoder::new(sip(&mut rng));
            write_in_pieces(&mut w, &zlib, &mut rng, max);
            assert!(w.finish().unwrap().data == data);
            let mut w = write::GzDecoder::new(sip(&mut rng));
            write_in_pieces(&mut w, &gz, &mut rng, max);
            assert!(w.finish().unwrap().data == data);
            let mut w = write::DeflateDecoder::new(sip(&mut rng));
            write_in_pieces(&mut w, &raw, &mut rng, max);
            assert!(w.finish().unwrap().data == data);
        }
    }
}

/// A writer's flush makes everything written so far decodable.
#[test]
fn write_flush_makes_the_data_so_far_readable() {
    let mut encoder = write::ZlibEncoder::new(Vec::new(), Level::default());
    encoder.write_all(b"first part, ").unwrap();
    encoder.flush().unwrap();
    let so_far = encoder.get_ref().clone();
    let mut inflater = Decompress::new(Format::Zlib);
    let mut out = Vec::with_capacity(100);
    let status = inflater
        .decompress_vec(&so_far, &mut out, FlushDecompress::Sync)
        .unwrap();
    assert_eq!(status, Status::Ok);
    assert_eq!(out, b"first part, ");
    encoder.write_all(b"second part").unwrap();
    let all = encoder.finish().unwrap();
    assert_eq!(rzlib::decompress(&all).unwrap(), b"first part, second part");
}

/// Several members, from zlib and from rzlib, concatenated.
#[test]
fn multi_member_gzip_reads_whole() {
    let samples = samples();
    let mut file = Vec::new();
    let mut expected = Vec::new();
    for (i, (_, data)) in samples.iter().enumerate() {
        let member = if i % 2 == 0 {
            let setting = Setting {
                level: 6,
                format: Format::Gzip,
                window_bits: 15,
                mem_level: 8,
                strategy: Strategy::Default,
                dictionary: None,
                header: None,
            };
            run_zlib(&setting, data, &[]).1
        } else {
            let mut w = GzBuilder::new()
                .filename(format!("member{i}"))
                .write(Vec::new(), Level::fast());
            w.write_all(data).unwrap();
            w.finish().unwrap()
        };
        file.extend_from_slice(&member);
        expected.extend_from_slice(data);
    }
    // zlib's own reading of the file agrees.
    assert!(rzlib::decompress_gzip(&file).unwrap() == expected);
    let mut rng = Rng(0x6a);
    let whole = read_in_pieces(read::MultiGzDecoder::new(&file[..]), &mut rng, 5000).unwrap();
    assert!(whole == expected);
    let mut w = write::MultiGzDecoder::new(Vec::new());
    write_in_pieces(&mut w, &file, &mut rng, 3000);
    assert!(w.finish().unwrap() == expected);

    // GzDecoder stops after the first member and leaves the rest.
    let first_len = run_zlib(
        &Setting {
            level: 6,
            format: Format::Gzip,
            window_bits: 15,
            mem_level: 8,
            strategy: Strategy::Default,
            dictionary: None,
            header: None,
        },
        &samples[0].1,
        &[],
    )
    .1
    .len();
    let mut single = bufread::GzDecoder::new(&file[..]);
    let mut first = Vec::new();
    single.read_to_end(&mut first).unwrap();
    assert!(first == samples[0].1);
    assert_eq!(single.into_inner().len(), file.len() - first_len);
    // The second member's header, as the multi-member reader sees it.
    let mut multi = bufread::MultiGzDecoder::new(&file[first_len..]);
    assert_eq!(multi.header().unwrap().filename(), Some(&b"member1"[..]));
    let mut rest = Vec::new();
    multi.read_to_end(&mut rest).unwrap();
    assert!(rest == expected[samples[0].1.len()..]);
}

#[test]
fn errors_carry_zlibs_code_and_message() {
    let text = b"some text to be damaged, some text to be damaged".repeat(20);
    let good = rzlib::compress(&text, Level::default());
    let gz = rzlib::compress_gzip(&text, Level::default());
    let mut bad_header = good.clone();
    bad_header[1] ^= 1;
    let mut bad_check = good.clone();
    *bad_check.last_mut().unwrap() ^= 1;
    let mut bad_crc = gz.clone();
    let n = bad_crc.len();
    bad_crc[n - 8] ^= 1;
    let mut bad_length = gz.clone();
    bad_length[n - 1] ^= 1;
    let cases: [(&[u8], Format, c_int); 6] = [
        (&bad_header, Format::Zlib, 15),
        (&bad_check, Format::Zlib, 15),
        (&[0x78, 0x9c, 0x07], Format::Zlib, 15),
        (&bad_crc, Format::Gzip, 31),
        (&bad_length, Format::Gzip, 31),
        (&[0x1f, 0x8b, 9, 0, 0, 0, 0, 0, 0, 3], Format::Gzip, 31),
    ];
    for (data, format, bits) in cases {
        let (code, msg) = zlib_inflate_error(data, bits);
        assert_eq!(code, -3, "zlib finds the damage");
        let err = match format {
            Format::Gzip => rzlib::decompress_gzip(data).unwrap_err(),
            _ => rzlib::decompress(data).unwrap_err(),
        };
        assert_eq!(err.kind(), ErrorKind::Data);
        assert_eq!(err.code(), code);
        assert_eq!(Some(err.message().to_owned()), msg);
        assert_eq!(Some(err.to_string()), msg);
        // Through io: InvalidData with the same text.
        let io_err = read_in_pieces(
            read::ZlibDecoder::new_with_decompress(data, Decompress::new(format)),
            &mut Rng(3),
            64,
        )
        .unwrap_err();
        assert_eq!(io_err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(Some(io_err.to_string()), msg);
    }
    // Cut short: an error, not a short result.
    let cut = &good[..good.len() - 3];
    assert_eq!(rzlib::decompress(cut).unwrap_err().kind(), ErrorKind::Data);
    let err = read_in_pieces(read::ZlibDecoder::new(cut), &mut Rng(4), 64).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    let mut w = write::GzDecoder::new(Vec::new());
    w.write_all(&gz[..gz.len() / 2]).unwrap();
    assert_eq!(
        w.try_finish().unwrap_err().kind(),
        io::ErrorKind::UnexpectedEof
    );
    // Calls the stream does not allow: zlib's Z_STREAM_ERROR.
    let mut gzip = Compress::new(Level::default(), Format::Gzip);
    let err = gzip.set_dictionary(b"dictionary").unwrap_err();
    assert_eq!(
        (err.kind(), err.code(), err.message()),
        (ErrorKind::Stream, -2, "stream error")
    );
    let mut finished = Compress::new(Level::default(), Format::Zlib);
    let mut out = Vec::with_capacity(64);
    finished
        .compress_vec(b"x", &mut out, FlushCompress::Finish)
        .unwrap();
    let err = finished
        .compress_vec(b"more", &mut out, FlushCompress::None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Stream);
    assert!(Compress::builder().window_bits(16).build().is_err());
    assert!(Compress::builder().mem_level(0).build().is_err());
    assert!(Compress::builder()
        .format(Format::Zlib)
        .header(GzBuilder::new().into_header())
        .build()
        .is_err());
    assert!(Decompress::with_window_bits(Format::Zlib, 7).is_err());
    // A window too small for the stream.
    let mut small = Decompress::with_window_bits(Format::Zlib, 9).unwrap();
    let err = small
        .decompress_vec(
            &good,
            &mut Vec::with_capacity(4096),
            FlushDecompress::Finish,
        )
        .unwrap_err();
    assert_eq!(err.message(), "invalid window size");
    // The wrong dictionary.
    let mut d = Compress::new(Level::default(), Format::Zlib);
    let id = d.set_dictionary(b"the right one").unwrap();
    assert_eq!(id, Adler32::checksum(b"the right one"));
    let mut packed = Vec::with_capacity(64);
    d.compress_vec(b"the right one", &mut packed, FlushCompress::Finish)
        .unwrap();
    assert!(zlib_inflate(&packed, 15, Some(b"the right one")) == b"the right one");
    let err = rzlib::decompress(&packed).unwrap_err();
    assert_eq!(
        (err.kind(), err.needs_dictionary()),
        (ErrorKind::NeedDictionary, Some(id))
    );
    let mut inflater = Decompress::new(Format::Zlib);
    inflater
        .decompress_vec(&packed, &mut Vec::with_capacity(64), FlushDecompress::None)
        .unwrap_err();
    assert_eq!(
        inflater
            .set_dictionary(b"the wrong one")
            .unwrap_err()
            .kind(),
        ErrorKind::Data
    );
}

#[test]
fn raw_streams_with_a_dictionary_and_small_windows() {
    let samples = samples();
    let data = &samples[2].1;
    let dictionary = &data[..4000];
    let mut stream = Compress::builder()
        .format(Format::Raw)
        .window_bits(10)
        .build()
        .unwrap();
    stream.set_dictionary(dictionary).unwrap();
    let mut packed = Vec::with_capacity(data.len());
    stream
        .compress_vec(&data[4000..], &mut packed, FlushCompress::Finish)
        .unwrap();
    assert!(zlib_inflate(&packed, -10, Some(dictionary)) == data[4000..]);
    let mut inflater = Decompress::with_window_bits(Format::Raw, 10).unwrap();
    inflater.set_dictionary(dictionary).unwrap();
    let mut out = Vec::with_capacity(data.len());
    let status = inflater
        .decompress_vec(&packed, &mut out, FlushDecompress::Finish)
        .unwrap();
    assert_eq!(status, Status::StreamEnd);
    assert!(out == data[4000..]);
}

#[test]
fn checksums_are_zlibs() {
    let mut rng = Rng(0xc4c);
    for (_, data) in samples() {
        let cut = rng.between(0, data.len());
        let (a, b) = data.split_at(cut);
        // SAFETY: zlib's checksums read `len` bytes of valid slices.
        let (crc, adler, crc_comb, adler_comb) = unsafe {
            let crc_a = libz_sys::crc32(0, a.as_ptr(), a.len() as c_uint);
            let crc_b = libz_sys::crc32(0, b.as_ptr(), b.len() as c_uint);
            let ad_a = libz_sys::adler32(1, a.as_ptr(), a.len() as c_uint);
            let ad_b = libz_sys::adler32(1, b.as_ptr(), b.len() as c_uint);
            (
                libz_sys::crc32(crc_a, b.as_ptr(), b.len() as c_uint),
                libz_sys::adler32(ad_a, b.as_ptr(), b.len() as c_uint),
                crc32_combine(crc_a, crc_b, b.len() as c_long),
                adler32_combine(ad_a, ad_b, b.len() as c_long),
            )
        };
        assert_eq!(crc, crc_comb);
        assert_eq!(adler, adler_comb);
        let mut c = Crc32::new();
        let mut tail = Crc32::new();
        c.update(a);
        tail.update(b);
        c.combine(&tail);
        assert_eq!(c_ulong::from(c.value()), crc);
        assert_eq!(c.amount(), data.len() as u64);
        assert_eq!(c_ulong::from(Crc32::checksum(&data)), crc);
        let mut d = Adler32::new();
        let mut tail = Adler32::new();
        d.update(a);
        tail.update(b);
        d.combine(&tail);
        assert_eq!(c_ulong::from(d.finalize()), adler);
        let mut written = Adler32::new();
        written.write_all(&data).unwrap();
        assert_eq!(written.value(), d.value());
    }
}

/// tests/consumer: a crate outside the workspace that depends on rzlib by
/// path and uses only the public API; its main asserts and exits 0.
#[test]
fn consumer_crate_builds_and_runs() {
    let root = env!("CARGO_MANIFEST_DIR");
    let target = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("consumer");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["run", "--locked", "--quiet", "--manifest-path"])
        .arg(format!("{root}/tests/consumer/Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "consumer failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("consumer: all checks passed"), "{stdout}");
}

/// The BufRead trait is what bufread:: adapters take; a Chain of two
/// readers is one.
#[test]
fn bufread_over_any_bufread() {
    let gz = rzlib::compress_gzip(b"chained input", Level::default());
    let (head, tail) = gz.split_at(7);
    let chained = head.chain(tail);
    fn assert_bufread<R: BufRead>(_: &R) {}
    assert_bufread(&chained);
    let mut text = String::new();
    bufread::GzDecoder::new(chained)
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, "chained input");
}

/// A name longer than the 64 KiB kept: the header keeps its first 64 KiB,
/// the data still decodes (the rest of the name is skipped, as zlib skips
/// what does not fit a gz_header's buffer).
#[test]
fn overlong_header_names_are_cut_not_fatal() {
    let data = b"the data after a long name".repeat(50);
    let mut raw = Compress::new(Level::default(), Format::Raw);
    let mut body = Vec::with_capacity(raw.bound(data.len()));
    raw.compress_vec(&data, &mut body, FlushCompress::Finish)
        .unwrap();
    let name = vec![b'n'; 100_000];
    let mut file = vec![0x1f, 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 3];
    file.extend_from_slice(&name);
    file.push(0);
    file.extend_from_slice(&body);
    file.extend_from_slice(&Crc32::checksum(&data).to_le_bytes());
    file.extend_from_slice(&(data.len() as u32).to_le_bytes());
    assert!(zlib_inflate(&file, 31, None) == data, "zlib reads the file");

    let mut decoder = read::GzDecoder::new(&file[..]);
    let header = decoder.header().expect("the header").clone();
    assert_eq!(header.filename().map(<[u8]>::len), Some(65_536));
    assert!(header.filename().unwrap().iter().all(|&b| b == b'n'));
    let mut out = Vec::new();
    decoder.read_to_end(&mut out).unwrap();
    assert!(out == data);
}

/// reset finishes the stream into the old writer (or starts over on a new
/// reader) and the next stream is independent.
#[test]
fn adapters_reset_to_new_streams() {
    let mut encoder = write::ZlibEncoder::new(Vec::new(), Level::default());
    encoder.write_all(b"first stream").unwrap();
    let first = encoder.reset(Vec::new()).unwrap();
    assert_eq!(rzlib::decompress(&first).unwrap(), b"first stream");
    encoder.write_all(b"second stream").unwrap();
    assert_eq!(encoder.total_in(), 13);
    let second = encoder.finish().unwrap();
    assert_eq!(rzlib::decompress(&second).unwrap(), b"second stream");
    assert!(second == rzlib::compress(b"second stream", Level::default()));

    let mut decoder = bufread::ZlibDecoder::new(&first[..]);
    let mut out = String::new();
    decoder.read_to_string(&mut out).unwrap();
    assert_eq!(out, "first stream");
    decoder.reset(&second[..]);
    out.clear();
    decoder.read_to_string(&mut out).unwrap();
    assert_eq!(out, "second stream");
    assert_eq!(decoder.total_in(), second.len() as u64);
}

/// tests/consumer/Cargo.lock pins the versions rzlib's Cargo.lock has, so
/// that building the consumer needs no crate the main build did not fetch.
#[test]
fn consumer_lock_pins_rzlibs_versions() {
    let root = env!("CARGO_MANIFEST_DIR");
    let packages = |path: &str| -> Vec<(String, String)> {
        let text = std::fs::read_to_string(format!("{root}/{path}")).expect("a lock file");
        let lines: Vec<&str> = text.lines().collect();
        lines
            .windows(2)
            .filter_map(|pair| {
                let name = pair[0].strip_prefix("name = \"")?.strip_suffix('"')?;
                let version = pair[1].strip_prefix("version = \"")?.strip_suffix('"')?;
                Some((name.to_owned(), version.to_owned()))
            })
            .collect()
    };
    let main = packages("Cargo.lock");
    let consumer = packages("tests/consumer/Cargo.lock");
    assert!(consumer.iter().any(|(name, _)| name == "thiserror"));
    for package in consumer {
        if package.0 != "rzlib" && package.0 != "rzlib-consumer" {
            assert!(
                main.contains(&package),
                "tests/consumer/Cargo.lock has {package:?}, which Cargo.lock does not"
            );
        }
    }
}
