//! The deflate side of the differential harness: rzlib's and the original's
//! deflate API behind one table, a stream per side, random call sequences
//! compared after every call, and the fuzz body that drives them from
//! arbitrary bytes (fuzz/fuzz_targets/deflate_diff.rs, and a stable test in
//! tests/differential_deflate.rs).

use std::ffi::{c_char, c_int, c_uint, c_ulong};

use super::*;

pub type Strm = *mut z_stream;

/// Declares the deflate functions for both implementations.
macro_rules! deflate_functions {
    ($($name:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty;)*) => {
        mod rz_deflate {
            use super::*;
            extern "C" {
                $(
                    #[link_name = concat!("rz_", stringify!($name))]
                    pub fn $name($($arg: $ty),*) -> $ret;
                )*
            }
        }
        mod orig_deflate {
            use super::*;
            extern "C" {
                $(
                    #[link_name = stringify!($name)]
                    pub fn $name($($arg: $ty),*) -> $ret;
                )*
            }
        }
        /// One implementation of zlib's deflate API.
        pub struct DeflateApi {
            pub name: &'static str,
            $(pub $name: unsafe extern "C" fn($($ty),*) -> $ret,)*
        }
        pub static RZ_D: DeflateApi = DeflateApi { name: "rzlib", $($name: rz_deflate::$name,)* };
        pub static ZLIB_D: DeflateApi = DeflateApi { name: "zlib", $($name: orig_deflate::$name,)* };
    };
}

deflate_functions! {
    deflateInit_(strm: Strm, level: c_int, version: *const c_char, size: c_int) -> c_int;
    deflateInit2_(strm: Strm, level: c_int, method: c_int, window_bits: c_int, mem_level: c_int,
                  strategy: c_int, version: *const c_char, size: c_int) -> c_int;
    deflate(strm: Strm, flush: c_int) -> c_int;
    deflateEnd(strm: Strm) -> c_int;
    deflateReset(strm: Strm) -> c_int;
    deflateBound(strm: Strm, len: c_ulong) -> c_ulong;
    compress2(dest: *mut u8, dest_len: *mut c_ulong, source: *const u8, len: c_ulong, level: c_int) -> c_int;
    compressBound(len: c_ulong) -> c_ulong;
    compress_z(dest: *mut u8, dest_len: *mut usize, source: *const u8, len: usize) -> c_int;
    compress2_z(dest: *mut u8, dest_len: *mut usize, source: *const u8, len: usize, level: c_int) -> c_int;
    compressBound_z(len: usize) -> usize;
    deflateBound_z(strm: Strm, len: usize) -> usize;
    deflateUsed(strm: Strm, bits: *mut c_int) -> c_int;
    deflateSetDictionary(strm: Strm, dict: *const u8, len: c_uint) -> c_int;
    deflateGetDictionary(strm: Strm, dict: *mut u8, len: *mut c_uint) -> c_int;
    deflateCopy(dest: Strm, source: Strm) -> c_int;
    deflateParams(strm: Strm, level: c_int, strategy: c_int) -> c_int;
    deflateTune(strm: Strm, good: c_int, lazy: c_int, nice: c_int, chain: c_int) -> c_int;
    deflatePending(strm: Strm, pending: *mut c_uint, bits: *mut c_int) -> c_int;
    deflatePrime(strm: Strm, bits: c_int, value: c_int) -> c_int;
    deflateSetHeader(strm: Strm, head: *mut gz_header) -> c_int;
    deflateResetKeep(strm: Strm) -> c_int;
}

pub const Z_PARTIAL_FLUSH: c_int = 1;

impl DeflateApi {
    /// deflateInit2_ with what every test passes alike: Z_DEFLATED and the
    /// harness's zlib version and stream size.
    ///
    /// # Safety
    /// `strm` points to a stream in its initial state.
    pub unsafe fn deflate_init2(
        &self,
        strm: Strm,
        level: c_int,
        window_bits: c_int,
        mem_level: c_int,
        strategy: c_int,
    ) -> c_int {
        // SAFETY: the caller's stream; the version string is static.
        unsafe {
            (self.deflateInit2_)(
                strm,
                level,
                Z_DEFLATED,
                window_bits,
                mem_level,
                strategy,
                VERSION.as_ptr(),
                STREAM_SIZE,
            )
        }
    }
}

/// The observable state of one stream after a call.
#[derive(Debug, PartialEq)]
pub struct Observed {
    pub ret: c_int,
    pub avail_in: u32,
    pub avail_out: u32,
    pub total_in: c_ulong,
    pub total_out: c_ulong,
    pub adler: c_ulong,
    pub data_type: c_int,
    pub msg: Option<String>,
    /// deflateUsed's answer and bits (-1 when it does not set them).
    pub used: (c_int, c_int),
}

/// One implementation's stream and what it produced.
pub struct Side {
    pub api: &'static DeflateApi,
    pub _counter: Box<Counter>,
    pub strm: Box<z_stream>,
    pub out: Vec<u8>,
}

impl Side {
    pub fn new(api: &'static DeflateApi) -> Side {
        let counter = Counter::new(false);
        let strm = new_stream(&counter);
        Side {
            api,
            _counter: counter,
            strm,
            out: Vec::new(),
        }
    }

    pub fn observe(&mut self, ret: c_int) -> Observed {
        let mut bits = -1;
        // SAFETY: the stream is this side's; deflateUsed only reads it.
        let used = unsafe { (self.api.deflateUsed)(&mut *self.strm, &mut bits) };
        Observed {
            ret,
            avail_in: self.strm.avail_in,
            avail_out: self.strm.avail_out,
            total_in: self.strm.total_in,
            total_out: self.strm.total_out,
            adler: self.strm.adler,
            data_type: self.strm.data_type,
            msg: msg_of(self.strm.msg),
            used: (used, bits),
        }
    }

    /// The observation after `f` runs on this side's stream.
    pub unsafe fn apply(&mut self, f: impl FnOnce(&DeflateApi, Strm) -> c_int) -> Observed {
        let ret = f(self.api, &mut *self.strm);
        self.observe(ret)
    }

    /// One deflate call with `input` and `out_len` bytes of output space.
    pub fn call(&mut self, input: &[u8], out_len: usize, flush: c_int) -> (Observed, usize) {
        let mut buf = vec![0u8; out_len];
        self.strm.next_in = input.as_ptr() as *mut u8;
        self.strm.avail_in = input.len() as u32;
        self.strm.next_out = buf.as_mut_ptr();
        self.strm.avail_out = out_len as u32;
        // SAFETY: the buffers outlive the call.
        let ret = unsafe { (self.api.deflate)(&mut *self.strm, flush) };
        let used = input.len() - self.strm.avail_in as usize;
        let produced = out_len - self.strm.avail_out as usize;
        self.out.extend_from_slice(&buf[..produced]);
        (self.observe(ret), used)
    }
}

/// deflateInit2_'s parameters, for a differential run or a fast-profile
/// stream.
#[derive(Clone, Copy, Debug)]
pub struct Setup {
    pub level: c_int,
    pub window_bits: c_int,
    pub mem_level: c_int,
    pub strategy: c_int,
}

impl Setup {
    pub fn new(level: c_int, window_bits: c_int, mem_level: c_int, strategy: c_int) -> Setup {
        Setup {
            level,
            window_bits,
            mem_level,
            strategy,
        }
    }

    pub fn is_raw(&self) -> bool {
        self.window_bits < 0
    }

    pub fn is_gzip(&self) -> bool {
        self.window_bits > 15
    }
}

/// Runs a random call sequence on both implementations; returns the
/// (identical) compressed stream.
pub fn run(
    label: &str,
    data: &[u8],
    setup: Setup,
    rng: &mut Rng,
    flushes: &[c_int],
    max_chunk: usize,
) -> Vec<u8> {
    run_with(
        label,
        data,
        setup,
        rng,
        flushes,
        max_chunk,
        false,
        &mut |_| Vec::new(),
    )
}

/// [`run`] with `prepare` called on each side after init (its observations
/// must agree) and, with `extras`, random deflateParams, deflatePending,
/// deflateGetDictionary and deflateCopy calls between deflate calls.
#[allow(clippy::too_many_arguments)]
pub fn run_with(
    label: &str,
    data: &[u8],
    setup: Setup,
    rng: &mut Rng,
    flushes: &[c_int],
    max_chunk: usize,
    extras: bool,
    prepare: &mut dyn FnMut(&mut Side) -> Vec<Observed>,
) -> Vec<u8> {
    let mut sides = [Side::new(&RZ_D), Side::new(&ZLIB_D)];
    let inits: Vec<c_int> = sides
        .iter_mut()
        .map(|s| unsafe {
            s.api.deflate_init2(
                &mut *s.strm,
                setup.level,
                setup.window_bits,
                setup.mem_level,
                setup.strategy,
            )
        })
        .collect();
    assert_eq!(inits[0], inits[1], "{label} {setup:?}: init");
    assert_eq!(inits[0], Z_OK, "{label} {setup:?}: init");
    let bounds: Vec<c_ulong> = sides
        .iter_mut()
        .map(|s| unsafe { (s.api.deflateBound)(&mut *s.strm, data.len() as c_ulong) })
        .collect();
    assert_eq!(bounds[0], bounds[1], "{label} {setup:?}: deflateBound");
    let prepared: Vec<Vec<Observed>> = sides.iter_mut().map(&mut *prepare).collect();
    assert_eq!(prepared[0], prepared[1], "{label} {setup:?}: prepare");
    let mut pos = 0;
    let mut calls = 0;
    loop {
        calls += 1;
        assert!(calls < 10_000_000, "{label}: no end");
        let in_len = rng.range(0, max_chunk).min(data.len() - pos);
        let min_out = usize::from(rng.below(8) != 0);
        let out_len = rng.range(min_out, max_chunk);
        let flush = if pos + in_len == data.len() && rng.below(3) != 0 {
            Z_FINISH
        } else {
            rng.pick(flushes)
        };
        let input = &data[pos..pos + in_len];
        let (a, used_a) = sides[0].call(input, out_len, flush);
        let (b, used_b) = sides[1].call(input, out_len, flush);
        assert_eq!(
            a, b,
            "{label} {setup:?}: call {calls} (in {in_len} at {pos}, out {out_len}, flush {flush})"
        );
        assert_eq!(used_a, used_b);
        assert!(
            sides[0].out == sides[1].out,
            "{label} {setup:?}: output differs after call {calls} (at byte {:?})",
            sides[0]
                .out
                .iter()
                .zip(&sides[1].out)
                .position(|(x, y)| x != y)
        );
        pos += used_a;
        if extras && a.ret != Z_STREAM_END {
            pos += random_extra(label, &mut sides, rng, &data[pos..]);
        }
        if a.ret == Z_STREAM_END {
            break;
        }
    }
    assert_eq!(pos, data.len());
    let ends: Vec<c_int> = sides
        .iter_mut()
        .map(|s| unsafe { (s.api.deflateEnd)(&mut *s.strm) })
        .collect();
    assert_eq!(ends, [Z_OK, Z_OK], "{label}: deflateEnd");
    std::mem::take(&mut sides[0].out)
}

/// One random call among deflateParams, deflatePending,
/// deflateGetDictionary and deflateCopy on both sides, compared.
pub fn random_extra(label: &str, sides: &mut [Side; 2], rng: &mut Rng, rest: &[u8]) -> usize {
    let choice = rng.below(40);
    let level = rng.range(0, 10) as c_int - 1;
    let strategy = rng.range(0, 4) as c_int;
    let in_len = rng.range(0, 64).min(rest.len());
    let out_len = rng.range(0, 64);
    let seen: Vec<(Observed, Vec<u8>)> = sides
        .iter_mut()
        .map(|side| unsafe {
            match choice {
                0..=2 => {
                    let mut buf = vec![0u8; out_len];
                    side.strm.next_in = rest.as_ptr() as *mut u8;
                    side.strm.avail_in = in_len as c_uint;
                    side.strm.next_out = buf.as_mut_ptr();
                    side.strm.avail_out = out_len as c_uint;
                    let ret = (side.api.deflateParams)(&mut *side.strm, level, strategy);
                    let produced = out_len - side.strm.avail_out as usize;
                    side.out.extend_from_slice(&buf[..produced]);
                    // Input the flush took is part of the data; hand back the rest.
                    let used = in_len - side.strm.avail_in as usize;
                    (side.observe(ret), used.to_le_bytes().to_vec())
                }
                3 => {
                    let (mut pending, mut bits) = (0, 0);
                    let ret = (side.api.deflatePending)(&mut *side.strm, &mut pending, &mut bits);
                    (
                        side.observe(ret),
                        vec![pending as u8, (pending >> 8) as u8, bits as u8],
                    )
                }
                4 => {
                    let mut dict = vec![0u8; 1 << 15];
                    let mut len = 0;
                    let ret = (side.api.deflateGetDictionary)(
                        &mut *side.strm,
                        dict.as_mut_ptr(),
                        &mut len,
                    );
                    dict.truncate(len as usize);
                    (side.observe(ret), dict)
                }
                5 => {
                    let mut copy = new_stream(&side._counter);
                    let ret = (side.api.deflateCopy)(&mut *copy, &mut *side.strm);
                    let end = (side.api.deflateEnd)(&mut *side.strm);
                    side.strm = copy;
                    (side.observe(ret), vec![end as u8])
                }
                _ => (side.observe(0), Vec::new()),
            }
        })
        .collect();
    assert_eq!(seen[0], seen[1], "{label}: extra call {choice}");
    assert!(
        sides[0].out == sides[1].out,
        "{label}: output after extra call {choice}"
    );
    if choice <= 2 {
        usize::from_le_bytes(seen[0].1[..8].try_into().unwrap())
    } else {
        0
    }
}

/// Inflates `stream` with both implementations and checks it gives `data`.
pub fn check_inflates(label: &str, stream: &[u8], data: &[u8], window_bits: c_int) {
    let inflate_bits = match window_bits {
        w if w < 0 => -15,
        w if w > 15 => 31,
        _ => 15,
    };
    for z in both() {
        let counter = Counter::new(false);
        let mut strm = new_stream(&counter);
        let mut out = vec![0u8; data.len() + 1];
        // SAFETY: buffers outlive the calls.
        unsafe {
            assert_eq!(
                (z.inflateInit2_)(&mut *strm, inflate_bits, VERSION.as_ptr(), STREAM_SIZE),
                Z_OK
            );
            strm.next_in = stream.as_ptr() as *mut u8;
            strm.avail_in = stream.len() as u32;
            strm.next_out = out.as_mut_ptr();
            strm.avail_out = out.len() as u32;
            let ret = (z.inflate)(&mut *strm, Z_FINISH);
            assert_eq!(ret, Z_STREAM_END, "{label}: inflate with {}", z.name);
            assert_eq!(strm.total_out as usize, data.len());
            (z.inflateEnd)(&mut *strm);
        }
        out.truncate(data.len());
        assert!(out == data, "{label}: round trip with {}", z.name);
    }
}

/// Flush modes a call sequence may use.
pub const ALL_FLUSHES: [c_int; 5] = [
    Z_NO_FLUSH,
    Z_PARTIAL_FLUSH,
    Z_SYNC_FLUSH,
    Z_FULL_FLUSH,
    Z_BLOCK,
];

/// A deflate fuzz input's windowBits: bits 0-2 of its config byte give
/// 8 to 15, bits 3-4 the wrapper (zlib, raw, gzip, or 15 with zlib's).
pub fn fuzz_window_bits(config: u8) -> c_int {
    let bits = 8 + (config & 7) as c_int;
    // windowBits 8 exists for the zlib wrapper only.
    match config >> 3 & 3 {
        0 => bits,
        1 => -bits.max(9),
        2 => 16 + bits.max(9),
        _ => 15,
    }
}

/// The flush modes of [`ALL_FLUSHES`] whose bits are set in `mask`
/// (bits 0-4), or Z_NO_FLUSH alone when none is.
pub fn fuzz_flushes(mask: u8) -> Vec<c_int> {
    let mut flushes: Vec<c_int> = (0..ALL_FLUSHES.len())
        .filter(|i| mask >> i & 1 != 0)
        .map(|i| ALL_FLUSHES[i])
        .collect();
    if flushes.is_empty() {
        flushes.push(Z_NO_FLUSH);
    }
    flushes
}

/// The fuzz check for deflate. The first 8 bytes choose the level, the
/// wrapper and window, memLevel, strategy, the flush modes on offer, the
/// largest chunk, whether deflateParams/Pending/GetDictionary/Copy calls
/// are mixed in, and the seed of the call sequence; the rest is the data.
/// Both implementations run the same calls with everything compared after
/// each, and the stream must inflate with both.
pub fn fuzz_deflate(data: &[u8]) {
    if data.len() < 8 {
        return;
    }
    let (cfg, input) = data.split_at(8);
    let window_bits = fuzz_window_bits(cfg[1]);
    let setup = Setup {
        level: (cfg[0] % 11) as c_int - 1,
        window_bits,
        mem_level: 1 + (cfg[2] % 9) as c_int,
        strategy: (cfg[3] % 5) as c_int,
    };
    let flushes = fuzz_flushes(cfg[4]);
    let max_chunk = 1 + cfg[5] as usize * 64;
    let extras = cfg[4] & 0x80 != 0;
    let mut rng = Rng::new(u64::from(u16::from_le_bytes([cfg[6], cfg[7]])));
    let stream = run_with(
        "fuzz",
        input,
        setup,
        &mut rng,
        &flushes,
        max_chunk,
        extras,
        &mut |_| Vec::new(),
    );
    check_inflates("fuzz", &stream, input, window_bits);
}
