//! Shared test helpers: the two zlib implementations behind one table of C
//! function pointers, a counting allocator, a seeded PRNG, test data (the
//! corpus or generated data), compression with the original zlib and a
//! deflate bit writer for hand-made streams.
//!
//! rzlib is reached through its exported `rz_*` symbols, exactly as a C
//! caller reaches it; the original is libz-sys's static zlib (plain names).
//! Suites that need rzlib's own `z_stream` (whose allocators may be Z_NULL)
//! get a zeroed one from [`rz_stream`].
#![allow(dead_code, non_snake_case)]

use std::ffi::{c_char, c_int, c_long, c_uint, c_ulong, c_void, CStr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

pub use libz_sys::{gz_header, z_stream};

pub mod bits;
pub mod deflate_diff;
pub mod diff;
// Reached through rzlib's `rz_` gz exports, which drop-in builds lack.
#[cfg(not(feature = "drop-in"))]
pub mod gz_diff;

// Links rzlib's exports: the tests reach them only by symbol name.
use rzlib as _;

pub const Z_NO_FLUSH: c_int = 0;
pub const Z_SYNC_FLUSH: c_int = 2;
pub const Z_FULL_FLUSH: c_int = 3;
pub const Z_FINISH: c_int = 4;
pub const Z_BLOCK: c_int = 5;
pub const Z_TREES: c_int = 6;
pub const Z_OK: c_int = 0;
pub const Z_STREAM_END: c_int = 1;
pub const Z_NEED_DICT: c_int = 2;
pub const Z_STREAM_ERROR: c_int = -2;
pub const Z_DATA_ERROR: c_int = -3;
pub const Z_MEM_ERROR: c_int = -4;
pub const Z_BUF_ERROR: c_int = -5;
pub const Z_VERSION_ERROR: c_int = -6;
pub const Z_DEFAULT_STRATEGY: c_int = 0;
pub const Z_FILTERED: c_int = 1;
pub const Z_HUFFMAN_ONLY: c_int = 2;
pub const Z_RLE: c_int = 3;
pub const Z_FIXED: c_int = 4;
pub const Z_DEFLATED: c_int = 8;

/// The version string both implementations accept (only its first character is checked).
pub const VERSION: &CStr = c"1.3.2";
pub const STREAM_SIZE: c_int = std::mem::size_of::<z_stream>() as c_int;

type Strm = *mut z_stream;
type Head = *mut gz_header;
/// `inflateBack`'s input callback (`in_func`, nullable as in C).
pub type InFunc = Option<unsafe extern "C" fn(desc: *mut c_void, buf: *mut *mut u8) -> c_uint>;
/// `inflateBack`'s output callback (`out_func`, nullable as in C).
pub type OutFunc =
    Option<unsafe extern "C" fn(desc: *mut c_void, buf: *mut u8, len: c_uint) -> c_int>;

/// Declares the same zlib functions twice: as rzlib's `rz_` exports and as
/// the original's plain names, and builds the [`Zlib`] table for each.
macro_rules! zlib_functions {
    ($($name:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty;)*) => {
        mod rz {
            use super::*;
            extern "C" {
                $(
                    #[link_name = concat!("rz_", stringify!($name))]
                    pub fn $name($($arg: $ty),*) -> $ret;
                )*
            }
        }
        mod orig {
            use super::*;
            extern "C" {
                $(
                    #[link_name = stringify!($name)]
                    pub fn $name($($arg: $ty),*) -> $ret;
                )*
            }
        }
        /// One implementation of zlib's inflate, inflateBack and checksum API.
        pub struct Zlib {
            pub name: &'static str,
            $(pub $name: unsafe extern "C" fn($($ty),*) -> $ret,)*
        }
        /// rzlib, through its `rz_` exports.
        pub static RZ: Zlib = Zlib { name: "rzlib", $($name: rz::$name,)* };
        /// The original zlib (libz-sys, static).
        pub static ZLIB: Zlib = Zlib { name: "zlib", $($name: orig::$name,)* };
    };
}

zlib_functions! {
    inflateInit_(strm: Strm, version: *const c_char, size: c_int) -> c_int;
    inflateInit2_(strm: Strm, window_bits: c_int, version: *const c_char, size: c_int) -> c_int;
    inflate(strm: Strm, flush: c_int) -> c_int;
    inflateEnd(strm: Strm) -> c_int;
    inflateReset(strm: Strm) -> c_int;
    inflateReset2(strm: Strm, window_bits: c_int) -> c_int;
    inflateResetKeep(strm: Strm) -> c_int;
    inflateSetDictionary(strm: Strm, dict: *const u8, len: c_uint) -> c_int;
    inflateGetDictionary(strm: Strm, dict: *mut u8, len: *mut c_uint) -> c_int;
    inflateSync(strm: Strm) -> c_int;
    inflateSyncPoint(strm: Strm) -> c_int;
    inflateCopy(dest: Strm, source: Strm) -> c_int;
    inflatePrime(strm: Strm, bits: c_int, value: c_int) -> c_int;
    inflateMark(strm: Strm) -> c_long;
    inflateGetHeader(strm: Strm, head: Head) -> c_int;
    inflateUndermine(strm: Strm, subvert: c_int) -> c_int;
    inflateValidate(strm: Strm, check: c_int) -> c_int;
    inflateCodesUsed(strm: Strm) -> c_ulong;
    inflateBackInit_(strm: Strm, window_bits: c_int, window: *mut u8, version: *const c_char, size: c_int) -> c_int;
    inflateBack(strm: Strm, input: InFunc, in_desc: *mut c_void, output: OutFunc, out_desc: *mut c_void) -> c_int;
    inflateBackEnd(strm: Strm) -> c_int;
    uncompress(dest: *mut u8, dest_len: *mut c_ulong, source: *const u8, source_len: c_ulong) -> c_int;
    uncompress2(dest: *mut u8, dest_len: *mut c_ulong, source: *const u8, source_len: *mut c_ulong) -> c_int;
    uncompress_z(dest: *mut u8, dest_len: *mut usize, source: *const u8, source_len: usize) -> c_int;
    uncompress2_z(dest: *mut u8, dest_len: *mut usize, source: *const u8, source_len: *mut usize) -> c_int;
    adler32(adler: c_ulong, buf: *const u8, len: c_uint) -> c_ulong;
    adler32_z(adler: c_ulong, buf: *const u8, len: usize) -> c_ulong;
    adler32_combine(a: c_ulong, b: c_ulong, len2: c_long) -> c_ulong;
    adler32_combine64(a: c_ulong, b: c_ulong, len2: i64) -> c_ulong;
    crc32(crc: c_ulong, buf: *const u8, len: c_uint) -> c_ulong;
    crc32_z(crc: c_ulong, buf: *const u8, len: usize) -> c_ulong;
    crc32_combine(a: c_ulong, b: c_ulong, len2: c_long) -> c_ulong;
    crc32_combine64(a: c_ulong, b: c_ulong, len2: i64) -> c_ulong;
    crc32_combine_gen(len2: c_long) -> c_ulong;
    crc32_combine_gen64(len2: i64) -> c_ulong;
    crc32_combine_op(a: c_ulong, b: c_ulong, op: c_ulong) -> c_ulong;
    get_crc_table() -> *const u32;
    zError(code: c_int) -> *const c_char;
}

/// Both implementations, rzlib first.
pub fn both() -> [&'static Zlib; 2] {
    [&RZ, &ZLIB]
}

// ---------------------------------------------------------------- allocator

/// A test allocator: counts allocations and frees, can fail on the Nth
/// allocation, and can hand out deliberately misaligned blocks (zlib never
/// promises its callers' allocators align memory).
pub struct Counter {
    /// Calls to zalloc, failed ones included.
    pub attempts: AtomicUsize,
    /// Successful allocations.
    pub allocs: AtomicUsize,
    pub frees: AtomicUsize,
    /// Bytes handed out and not yet freed, and their high-water mark.
    pub live_bytes: AtomicUsize,
    pub peak_bytes: AtomicUsize,
    /// Fail the allocation with this 1-based index (0: never fail).
    pub fail_at: usize,
    /// Return addresses that are 1 mod 8.
    pub misalign: bool,
}

impl Counter {
    const fn fresh(fail_at: usize, misalign: bool) -> Counter {
        Counter {
            attempts: AtomicUsize::new(0),
            allocs: AtomicUsize::new(0),
            frees: AtomicUsize::new(0),
            live_bytes: AtomicUsize::new(0),
            peak_bytes: AtomicUsize::new(0),
            fail_at,
            misalign,
        }
    }
    pub fn new(misalign: bool) -> Box<Counter> {
        Box::new(Counter::fresh(0, misalign))
    }
    pub fn failing_at(n: usize) -> Box<Counter> {
        Box::new(Counter::fresh(n, false))
    }
    pub fn live(&self) -> isize {
        self.allocs.load(Ordering::SeqCst) as isize - self.frees.load(Ordering::SeqCst) as isize
    }
}

/// Bytes in front of each block: its total size and its misalignment.
const HEADER: usize = 16;

unsafe extern "C" fn counting_alloc(
    opaque: *mut c_void,
    items: c_uint,
    size: c_uint,
) -> *mut c_void {
    // SAFETY: `opaque` is the `Counter` that `new_stream` installed.
    let counter = unsafe { &*(opaque as *const Counter) };
    let attempt = counter.attempts.fetch_add(1, Ordering::SeqCst) + 1;
    if attempt == counter.fail_at {
        return std::ptr::null_mut();
    }
    let Some(bytes) = (items as usize).checked_mul(size as usize) else {
        return std::ptr::null_mut();
    };
    let shift = if counter.misalign { 1 } else { 0 };
    let total = bytes + HEADER + shift;
    let layout = std::alloc::Layout::from_size_align(total, HEADER).unwrap();
    // SAFETY: non-zero size; header written inside the block.
    unsafe {
        let base = std::alloc::alloc(layout);
        if base.is_null() {
            return base.cast();
        }
        base.cast::<usize>().write(total);
        counter.allocs.fetch_add(1, Ordering::SeqCst);
        let live = counter.live_bytes.fetch_add(bytes, Ordering::SeqCst) + bytes;
        counter.peak_bytes.fetch_max(live, Ordering::SeqCst);
        base.add(HEADER + shift).cast()
    }
}

unsafe extern "C" fn counting_free(opaque: *mut c_void, address: *mut c_void) {
    if address.is_null() {
        return;
    }
    // SAFETY: `address` came from `counting_alloc` with the same counter.
    unsafe {
        let counter = &*(opaque as *const Counter);
        let shift = if counter.misalign { 1 } else { 0 };
        let base = address.cast::<u8>().sub(HEADER + shift);
        let total = base.cast::<usize>().read();
        counter
            .live_bytes
            .fetch_sub(total - HEADER - shift, Ordering::SeqCst);
        std::alloc::dealloc(
            base,
            std::alloc::Layout::from_size_align(total, HEADER).unwrap(),
        );
        counter.frees.fetch_add(1, Ordering::SeqCst);
    }
}

/// Points `strm` at `input` to read and `out` to fill (`next_*`/`avail_*`).
pub fn set_buffers(strm: &mut z_stream, input: &[u8], out: &mut [u8]) {
    strm.next_in = input.as_ptr() as *mut u8;
    strm.avail_in = input.len() as c_uint;
    strm.next_out = out.as_mut_ptr();
    strm.avail_out = out.len() as c_uint;
}

/// A fresh `z_stream` using `counter` as its allocator (libz-sys's type has
/// non-nullable function pointers, so every test stream gets real ones).
pub fn new_stream(counter: &Counter) -> Box<z_stream> {
    Box::new(z_stream {
        next_in: std::ptr::null_mut(),
        avail_in: 0,
        total_in: 0,
        next_out: std::ptr::null_mut(),
        avail_out: 0,
        total_out: 0,
        msg: std::ptr::null_mut(),
        state: std::ptr::null_mut(),
        zalloc: counting_alloc,
        zfree: counting_free,
        opaque: counter as *const Counter as *mut c_void,
        data_type: 0,
        adler: 0,
        reserved: 0,
    })
}

/// The allocator of the streams whose allocations no test checks.
static UNCHECKED: Counter = Counter::fresh(0, false);

/// A fresh `z_stream` with a working allocator, for tests that do not
/// count allocations.
pub fn plain_stream() -> Box<z_stream> {
    new_stream(&UNCHECKED)
}

/// rzlib's own `z_stream` mirror (nullable callbacks).
pub type RzStream = rzlib::c_api::stream::z_stream;
/// rzlib's own `gz_header` mirror.
pub type RzHeader = rzlib::c_api::stream::gz_header;

/// An all-zero rzlib `z_stream`: Z_NULL allocators (the Init functions
/// install the defaults), no buffers, no state.
pub fn rz_stream() -> Box<RzStream> {
    // SAFETY: all-zero is a valid `z_stream` mirror: its callbacks are
    // `Option`s and every other field is a number or a raw pointer.
    Box::new(unsafe { std::mem::MaybeUninit::zeroed().assume_init() })
}

/// An all-zero `gz_header` (every pointer NULL).
pub fn empty_header() -> gz_header {
    gz_header {
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
    }
}

/// A stream's `msg` as an owned string, `None` for NULL.
pub fn msg_of(msg: *const c_char) -> Option<String> {
    if msg.is_null() {
        None
    } else {
        // SAFETY: both implementations set `msg` to NULL or a static
        // NUL-terminated string.
        Some(
            unsafe { CStr::from_ptr(msg) }
                .to_string_lossy()
                .into_owned(),
        )
    }
}

// ---------------------------------------------------------------- PRNG

/// splitmix64: small, seeded, reproducible.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n`; 0 when `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        match n {
            0 => 0,
            _ => (self.next_u64() % n as u64) as usize,
        }
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }
}

// ---------------------------------------------------------------- data

/// One test input.
pub struct Sample {
    pub name: String,
    pub data: Vec<u8>,
}

/// Generated inputs of several kinds, for machines without the corpus and
/// for the shapes a corpus lacks (empty, one byte).
pub fn generated() -> Vec<Sample> {
    let mut rng = Rng::new(0x5eed);
    let words = [
        "the",
        "zlib",
        "stream",
        "inflate",
        "window",
        "of",
        "and",
        "a",
        "deflate",
        "block",
        "Huffman",
        "code",
        "length",
        "distance",
        "literal",
        "\n",
        "compression",
        "data",
    ];
    let mut text = String::new();
    while text.len() < 200_000 {
        text.push_str(rng.pick(&words));
        text.push(if rng.below(12) == 0 { '\n' } else { ' ' });
    }
    // Structured binary: little-endian records with slowly varying fields.
    let mut binary = Vec::new();
    for i in 0u32..40_000 {
        binary.extend_from_slice(&(i * 3).to_le_bytes());
        binary.extend_from_slice(&((i / 7) as u16).to_le_bytes());
        binary.push((rng.next_u64() % 4) as u8);
    }
    let repetitive: Vec<u8> = b"abcabcabd".iter().copied().cycle().take(300_000).collect();
    let mut runs = Vec::new();
    while runs.len() < 100_000 {
        let byte = rng.pick(&[0u8, 0xff, b'x', 7]);
        let len = rng.range(1, 600);
        runs.extend(std::iter::repeat_n(byte, len));
    }
    vec![
        Sample {
            name: "gen:text".into(),
            data: text.into_bytes(),
        },
        Sample {
            name: "gen:binary".into(),
            data: binary,
        },
        Sample {
            name: "gen:repetitive".into(),
            data: repetitive,
        },
        Sample {
            name: "gen:runs".into(),
            data: runs,
        },
        Sample {
            name: "gen:random".into(),
            data: rng.bytes(150_000),
        },
        Sample {
            name: "gen:empty".into(),
            data: Vec::new(),
        },
        Sample {
            name: "gen:one-byte".into(),
            data: vec![b'z'],
        },
    ]
}

/// Where the test data comes from, decided once for every suite by the
/// environment variable `RZLIB_CORPUS`:
/// - unset or empty: `../shared/corpus` beside the crate when it exists,
///   generated data only when it does not;
/// - `none`: generated data only, even when the corpus is there;
/// - any other value: the corpus directory at that path (relative paths from
///   the crate root, where cargo runs the tests); it must exist.
pub enum CorpusSource {
    /// No corpus; the text says why (for the "test data:" line).
    Absent(String),
    /// A corpus directory and how it was chosen.
    Dir { root: PathBuf, label: String },
}

/// The variable that overrides the corpus location.
pub const CORPUS_VAR: &str = "RZLIB_CORPUS";

/// Resolves [`CORPUS_VAR`] (see [`CorpusSource`]).
pub fn corpus_source() -> CorpusSource {
    let default = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    match std::env::var_os(CORPUS_VAR) {
        Some(value) if value == "none" => {
            CorpusSource::Absent(format!("{CORPUS_VAR}=none; generated data only"))
        }
        Some(value) if !value.is_empty() => {
            let root = PathBuf::from(&value);
            assert!(
                root.is_dir(),
                "{CORPUS_VAR}={} is not a directory (use {CORPUS_VAR}=none for generated data only)",
                root.display()
            );
            CorpusSource::Dir {
                label: format!("{} ({CORPUS_VAR})", root.display()),
                root,
            }
        }
        _ if default.is_dir() => CorpusSource::Dir {
            root: default,
            label: "../shared/corpus".to_owned(),
        },
        _ => CorpusSource::Absent(format!(
            "../shared/corpus not found; generated data only (set {CORPUS_VAR}=/path to use a corpus)"
        )),
    }
}

/// The corpus files (`<corpus>/canterbury/*` and `<corpus>/silesia/*`),
/// each truncated to `max_len` bytes, with the text that says where they
/// came from; `Err` with the reason when there is no corpus.
pub fn corpus_files(max_len: usize) -> Result<(Vec<Sample>, String), String> {
    let (root, label) = match corpus_source() {
        CorpusSource::Absent(why) => return Err(why),
        CorpusSource::Dir { root, label } => (root, label),
    };
    let mut samples = Vec::new();
    for set in ["canterbury", "silesia"] {
        let Ok(dir) = std::fs::read_dir(root.join(set)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths.into_iter().filter(|p| p.is_file()) {
            let Ok(mut data) = std::fs::read(&path) else {
                continue;
            };
            data.truncate(max_len);
            let name = format!("{set}/{}", path.file_name().unwrap().to_string_lossy());
            samples.push(Sample { name, data });
        }
    }
    if samples.is_empty() {
        return Err(format!(
            "{label} holds no canterbury/* or silesia/* files; generated data only"
        ));
    }
    Ok((samples, label))
}

/// The corpus files, each truncated to `max_len` bytes, or `None` when
/// there is no corpus (see [`corpus_source`]); says on stderr which.
pub fn corpus(max_len: usize) -> Option<Vec<Sample>> {
    match corpus_files(max_len) {
        Ok((files, label)) => {
            eprintln!("test data: {} corpus files from {label}", files.len());
            Some(files)
        }
        Err(why) => {
            eprintln!("test data: {why}");
            None
        }
    }
}

/// The corpus (files truncated to `max_len`) followed by the generated data.
/// Prints which source was used.
pub fn samples(max_len: usize) -> Vec<Sample> {
    with_generated(corpus_files(max_len), max_len, usize::MAX)
}

/// The corpus files named in `names` (such as "canterbury/alice29.txt")
/// followed by the generated data, everything cut to `max_len` bytes, for
/// suites whose every case runs on every sample. Prints which source was used.
pub fn chosen_samples(names: &[&str], max_len: usize) -> Vec<Sample> {
    let chosen = corpus_files(max_len).and_then(|(files, label)| {
        let files: Vec<Sample> = files
            .into_iter()
            .filter(|s| names.contains(&s.name.as_str()))
            .collect();
        if files.is_empty() {
            Err(format!("{label} lacks {names:?}; generated data only"))
        } else {
            Ok((files, label))
        }
    });
    with_generated(chosen, max_len, max_len)
}

/// `files` (`Err`: why there is no corpus), then the generated data cut to
/// `generated_len`; says on stderr which data the test used.
fn with_generated(
    files: Result<(Vec<Sample>, String), String>,
    max_len: usize,
    generated_len: usize,
) -> Vec<Sample> {
    let mut all = match files {
        Ok((files, label)) => {
            let cut = if max_len == usize::MAX {
                "whole".to_owned()
            } else {
                format!("cut to {max_len} bytes")
            };
            eprintln!(
                "test data: {} corpus files from {label} ({cut}) + generated data",
                files.len()
            );
            files
        }
        Err(why) => {
            eprintln!("test data: {why}");
            Vec::new()
        }
    };
    all.extend(generated().into_iter().map(|mut s| {
        s.data.truncate(generated_len);
        s
    }));
    all
}

// ---------------------------------------------------------------- compression with the original

/// gzip header fields to write (`deflateSetHeader`).
#[derive(Clone, Default)]
pub struct GzFields {
    pub text: bool,
    pub time: u32,
    pub os: i32,
    pub extra: Option<Vec<u8>>,
    pub name: Option<Vec<u8>>,
    pub comment: Option<Vec<u8>>,
    pub hcrc: bool,
}

/// How the original zlib should compress.
#[derive(Clone)]
pub struct Deflate {
    pub level: c_int,
    pub strategy: c_int,
    /// deflateInit2's windowBits: 8..15 zlib, -15..-9 raw, 24..31 gzip.
    pub window_bits: c_int,
    pub mem_level: c_int,
    pub dictionary: Option<Vec<u8>>,
    pub gzip: Option<GzFields>,
    /// Call deflate with this flush every `n` input bytes.
    pub flush_every: Option<(usize, c_int)>,
}

impl Default for Deflate {
    fn default() -> Deflate {
        Deflate {
            level: 6,
            strategy: Z_DEFAULT_STRATEGY,
            window_bits: 15,
            mem_level: 8,
            dictionary: None,
            gzip: None,
            flush_every: None,
        }
    }
}

impl Deflate {
    /// `level`, `window_bits` and `strategy`, the rest as zlib defaults them.
    pub fn new(level: c_int, window_bits: c_int, strategy: c_int) -> Deflate {
        Deflate {
            level,
            window_bits,
            strategy,
            ..Deflate::default()
        }
    }
}

fn c_bytes(bytes: &Option<Vec<u8>>) -> Option<Vec<u8>> {
    bytes.as_ref().map(|b| {
        let mut v = b.clone();
        v.push(0);
        v
    })
}

/// Compresses `data` with the original zlib as `params` say.
pub fn deflate(data: &[u8], params: &Deflate) -> Vec<u8> {
    let counter = Counter::new(false);
    let mut strm = new_stream(&counter);
    let s: *mut z_stream = &mut *strm;
    // SAFETY: plain zlib calls on a stream this function owns; every buffer
    // outlives the stream.
    unsafe {
        let ret = libz_sys::deflateInit2_(
            s,
            params.level,
            Z_DEFLATED,
            params.window_bits,
            params.mem_level,
            params.strategy,
            libz_sys::zlibVersion(),
            STREAM_SIZE,
        );
        assert_eq!(
            ret,
            Z_OK,
            "deflateInit2_ {:?}",
            (params.level, params.window_bits)
        );
        if let Some(dict) = &params.dictionary {
            assert_eq!(
                libz_sys::deflateSetDictionary(s, dict.as_ptr(), dict.len() as c_uint),
                Z_OK
            );
        }
        // The header and its strings must live until deflate has written them.
        let gzip = params.gzip.clone().unwrap_or_default();
        let mut extra = gzip.extra.clone();
        let mut name = c_bytes(&gzip.name);
        let mut comment = c_bytes(&gzip.comment);
        let mut head = empty_header();
        if let Some(g) = &params.gzip {
            head.text = g.text as c_int;
            head.time = g.time as c_ulong;
            head.os = g.os;
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
            head.hcrc = g.hcrc as c_int;
            assert_eq!(libz_sys::deflateSetHeader(s, &mut head), Z_OK);
        }
        let mut out = vec![0u8; libz_sys::deflateBound(s, data.len() as c_ulong) as usize + 64];
        let step = params
            .flush_every
            .map_or(data.len().max(1), |(n, _)| n.max(1));
        let mut pos = 0;
        loop {
            let end = (pos + step).min(data.len());
            let last = end == data.len();
            strm.next_in = data.as_ptr().add(pos) as *mut u8;
            strm.avail_in = (end - pos) as c_uint;
            let flush = if last {
                Z_FINISH
            } else {
                params.flush_every.unwrap().1
            };
            loop {
                let written = strm.total_out as usize;
                if out.len() - written < 1024 {
                    out.resize(out.len() * 2 + 1024, 0);
                }
                strm.next_out = out.as_mut_ptr().add(written);
                strm.avail_out = (out.len() - written) as c_uint;
                let ret = libz_sys::deflate(s, flush);
                assert!(
                    ret == Z_OK || ret == Z_STREAM_END || ret == Z_BUF_ERROR,
                    "deflate {ret}"
                );
                if ret == Z_STREAM_END || (strm.avail_out != 0 && strm.avail_in == 0 && !last) {
                    break;
                }
            }
            pos = end;
            if last {
                break;
            }
        }
        out.truncate(strm.total_out as usize);
        assert_eq!(libz_sys::deflateEnd(s), Z_OK);
        out
    }
}

/// Compresses as raw deflate (no wrapper) with a `window_bits` window
/// (8..=15), at `level` with `strategy`.
pub fn raw_deflate(data: &[u8], level: c_int, window_bits: c_int, strategy: c_int) -> Vec<u8> {
    deflate(
        data,
        &Deflate {
            level,
            strategy,
            window_bits: -window_bits,
            ..Deflate::default()
        },
    )
}

/// Compresses with a zlib wrapper at `level`, the common case.
pub fn zlib_compress(data: &[u8], level: c_int) -> Vec<u8> {
    deflate(
        data,
        &Deflate {
            level,
            ..Deflate::default()
        },
    )
}

/// Runs a fuzz body on `rounds` made-up inputs: `config` random bytes (the
/// body's settings), then a random piece of one of `samples`.
pub fn fuzz_random_inputs(
    samples: &[Sample],
    config: usize,
    rounds: usize,
    seed: u64,
    body: impl Fn(&[u8]),
) {
    let mut rng = Rng::new(seed);
    for round in 0..rounds {
        let mut input = rng.bytes(config);
        let sample = &samples[round % samples.len()].data;
        let start = rng.below(sample.len());
        let len = rng.below(sample.len() - start + 1);
        input.extend_from_slice(&sample[start..start + len]);
        body(&input);
    }
}

/// Runs `check` on every file of the fuzz target's seeds and committed
/// reproducers (fuzz/seeds/<target>, fuzz/regressions/<target>); there must
/// be at least one.
pub fn replay_fuzz_inputs(target: &str, check: impl Fn(&[u8])) {
    let fuzz = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut count = 0;
    for dir in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join(target)) else {
            continue;
        };
        for entry in entries.flatten() {
            let data = std::fs::read(entry.path()).unwrap();
            eprintln!("replaying {}", entry.path().display());
            check(&data);
            count += 1;
        }
    }
    assert!(count > 0, "no {target} fuzz seeds under {}", fuzz.display());
}
