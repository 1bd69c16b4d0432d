//! The differential check of the gz* file API: the same call sequences on rzlib
//! (`rz_` exports) and on the original zlib (libz-sys's static zlib 1.3.2,
//! whose gz state machine rzlib follows), each side on its own copy of the
//! file. After every call the return value, every byte the call stored in
//! the caller's buffer (guard bytes after it included), gzerror's code and
//! text (each side's own path prefix replaced by `<path>`) and the
//! `gzFile_s` fields that zlib.h's gzgetc macro reads must be the same;
//! after gzclose the files written must be byte-identical.
//!
//! - [`writing`]: random sequences of every writing call in every mode;
//! - [`reading`]: random sequences of every reading call on well-formed,
//!   concatenated, truncated, corrupted, trailing-garbage and plain inputs;
//! - [`bad_handles_and_modes`]: NULL handles, refused modes and paths, calls
//!   in the wrong direction and lengths zlib refuses;
//! - [`fuzz_gz`]: one reading or writing sequence driven by arbitrary bytes
//!   (the fuzz target `gz_diff`).
//!
//! Both implementations are reached by symbol name, as a C caller reaches
//! them, through one table type, so that one `Op` drives either.
//!
//! Three defects of the original are kept out of the comparison rather
//! than copied: an uninitialized field read when writing
//! (`clear_zlib_past`), a write through an unallocated buffer after an early
//! seek (`write_ops`), and a comparison of pointers into unrelated buffers
//! that makes gzprintf's flushing depend on the heap (`settle_zlib_next_in`).

use std::ffi::{c_char, c_int, c_long, c_uint, c_void, CStr, CString};
use std::fs;
use std::io::{Seek, SeekFrom};
use std::os::fd::{FromRawFd, IntoRawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::ptr::{null, null_mut};
use std::time::Instant;

use super::{deflate, samples, z_stream, Deflate, GzFields, Rng, Sample};
use super::{
    Z_DEFAULT_STRATEGY, Z_FINISH, Z_FIXED, Z_FULL_FLUSH, Z_NO_FLUSH, Z_OK, Z_RLE, Z_SYNC_FLUSH,
};

const SEEK_SET: c_int = 0;
const SEEK_CUR: c_int = 1;
const SEEK_END: c_int = 2;

// ---------------------------------------------------------------- the two APIs

/// The fields of a gzip file's state that zlib.h exposes (`struct
/// gzFile_s`) for its gzgetc macro; a handle points at them.
#[repr(C)]
struct Exposed {
    have: c_uint,
    next: *const u8,
    pos: i64,
}

/// A gzip file handle (`gzFile`) of either implementation.
type Handle = *mut Exposed;

/// gzprintf's type: variadic, so it is declared apart from the others.
type Printf = unsafe extern "C" fn(Handle, *const c_char, ...) -> c_int;

/// Declares the gz functions twice, as rzlib's `rz_` exports and as the
/// original's plain names, and builds one [`Gz`] table for each.
macro_rules! gz_functions {
    ($($name:ident ( $($arg:ident : $ty:ty),* ) $(-> $ret:ty)?;)*) => {
        mod rz_gz {
            use super::*;
            extern "C" {
                $(
                    #[link_name = concat!("rz_", stringify!($name))]
                    pub fn $name($($arg: $ty),*) $(-> $ret)?;
                )*
                #[link_name = "rz_gzprintf"]
                pub fn gzprintf(file: Handle, format: *const c_char, ...) -> c_int;
            }
        }
        mod zlib_gz {
            use super::*;
            extern "C" {
                $(pub fn $name($($arg: $ty),*) $(-> $ret)?;)*
                pub fn gzprintf(file: Handle, format: *const c_char, ...) -> c_int;
            }
        }
        /// One implementation's gz functions.
        struct Gz {
            $($name: unsafe extern "C" fn($($ty),*) $(-> $ret)?,)*
            gzprintf: Printf,
        }
        /// rzlib, through its `rz_` exports.
        static RZ: Gz = Gz { $($name: rz_gz::$name,)* gzprintf: rz_gz::gzprintf };
        /// The original zlib (libz-sys, static).
        static ZLIB: Gz = Gz { $($name: zlib_gz::$name,)* gzprintf: zlib_gz::gzprintf };
    };
}

gz_functions! {
    gzopen(path: *const c_char, mode: *const c_char) -> Handle;
    gzopen64(path: *const c_char, mode: *const c_char) -> Handle;
    gzdopen(fd: c_int, mode: *const c_char) -> Handle;
    gzbuffer(file: Handle, size: c_uint) -> c_int;
    gzsetparams(file: Handle, level: c_int, strategy: c_int) -> c_int;
    gzread(file: Handle, buf: *mut c_void, len: c_uint) -> c_int;
    gzfread(buf: *mut c_void, size: usize, nitems: usize, file: Handle) -> usize;
    gzwrite(file: Handle, buf: *const c_void, len: c_uint) -> c_int;
    gzfwrite(buf: *const c_void, size: usize, nitems: usize, file: Handle) -> usize;
    gzputs(file: Handle, s: *const c_char) -> c_int;
    gzgets(file: Handle, buf: *mut c_char, len: c_int) -> *mut c_char;
    gzputc(file: Handle, c: c_int) -> c_int;
    gzgetc(file: Handle) -> c_int;
    gzgetc_(file: Handle) -> c_int;
    gzungetc(c: c_int, file: Handle) -> c_int;
    gzflush(file: Handle, flush: c_int) -> c_int;
    gzseek(file: Handle, offset: c_long, whence: c_int) -> c_long;
    gzseek64(file: Handle, offset: i64, whence: c_int) -> i64;
    gzrewind(file: Handle) -> c_int;
    gztell(file: Handle) -> c_long;
    gztell64(file: Handle) -> i64;
    gzoffset(file: Handle) -> c_long;
    gzoffset64(file: Handle) -> i64;
    gzeof(file: Handle) -> c_int;
    gzdirect(file: Handle) -> c_int;
    gzclose(file: Handle) -> c_int;
    gzclose_r(file: Handle) -> c_int;
    gzclose_w(file: Handle) -> c_int;
    gzerror(file: Handle, errnum: *mut c_int) -> *const c_char;
    gzclearerr(file: Handle);
}

// ---------------------------------------------------------------- calls

/// gzprintf formats: each takes an int, then a string (or fewer arguments).
const FORMATS: [&CStr; 7] = [
    c"%d %s\n",
    c"%d\n",
    c"<%08x>%.40s|",
    c"%-7d|%30s|\n",
    c"",
    c"no conversions\n",
    c"%c%s",
];

/// gzbuffer sizes: below zlib's minimum of 8, ordinary, and one whose
/// double overflows an unsigned int (refused).
const BUFFERS: [c_uint; 8] = [0, 1, 8, 100, 1024, 8192, 65536, 0x8000_0000];

/// Bytes after every caller buffer, which no call may touch.
const GUARD: usize = 16;
const GUARD_BYTE: u8 = 0xa5;

/// `errnum` before gzerror: a value gzerror never stores.
const UNTOUCHED: c_int = 0x5eed;

/// One gz call and its arguments. Data arguments are ranges of the test
/// data (strings lose their NUL bytes).
#[derive(Clone, Copy, Debug)]
enum Op {
    Write {
        at: usize,
        len: usize,
    },
    FWrite {
        at: usize,
        size: usize,
        nitems: usize,
    },
    Putc(c_int),
    Puts {
        at: usize,
        len: usize,
    },
    Printf {
        format: usize,
        n: c_int,
        at: usize,
        len: usize,
    },
    Flush(c_int),
    SetParams(c_int, c_int),
    Read(usize),
    FRead {
        size: usize,
        nitems: usize,
    },
    Getc,
    /// gzgetc_, the function behind the macro.
    GetcUnderscore,
    /// zlib.h's gzgetc macro, run on the exposed `gzFile_s`.
    GetcMacro,
    Ungetc(c_int),
    Gets(c_int),
    /// gzgets with a NULL buffer.
    GetsNull,
    Seek(c_long, c_int),
    Seek64(i64, c_int),
    Rewind,
    Tell,
    Tell64,
    Offset,
    Offset64,
    Eof,
    Direct,
    ClearErr,
    Buffer(c_uint),
    /// gzerror with a NULL errnum.
    ErrorText,
    /// gzread and gzwrite with a length that does not fit in an int.
    ReadTooLong,
    WriteTooLong,
    Close,
    CloseR,
    CloseW,
}

/// What one call did, as far as its caller can see.
struct Outcome {
    ret: i64,
    /// The caller's buffer after the call, guard bytes included.
    buf: Vec<u8>,
    state: State,
}

/// A file's visible state: gzerror's code and text, and `gzFile_s`'s
/// `have` and `pos` (None for a NULL handle).
#[derive(Debug, PartialEq)]
struct State {
    err: c_int,
    msg: Option<String>,
    exposed: Option<(c_uint, i64)>,
}

/// A caller buffer of `len` bytes plus the guard, all set to the guard byte.
fn guarded(len: usize) -> Vec<u8> {
    vec![GUARD_BYTE; len + GUARD]
}

/// `bytes` as a C string, without its NUL bytes.
fn c_text(bytes: &[u8]) -> CString {
    CString::new(
        bytes
            .iter()
            .copied()
            .filter(|&b| b != 0)
            .collect::<Vec<u8>>(),
    )
    .unwrap()
}

/// gzgets's result: 0 for NULL, 1 for the caller's buffer, 2 for anything else.
fn returned_pointer(p: *const c_char, buf: &[u8]) -> i64 {
    match p {
        _ if p.is_null() => 0,
        _ if p == buf.as_ptr().cast() => 1,
        _ => 2,
    }
}

impl Op {
    /// Runs this call on `side`'s file and reads back the file's state.
    // `c_long as i64` is a no-op only where long is 64 bits.
    #[allow(clippy::unnecessary_cast)]
    fn apply(self, side: &mut Side, data: &[u8]) -> Outcome {
        let (gz, f) = (side.gz, side.file);
        let mut buf = Vec::new();
        let text = |at: usize, len: usize| c_text(&data[at..at + len]);
        // SAFETY: `f` is NULL or a file `side` opened and has not closed
        // (the closing calls clear `side.file`). Every pointer passed points
        // into `data`, `buf` or a C string that outlives the call and holds
        // at least the length the call is given, except for the *TooLong
        // calls and a gzfread/gzfwrite whose size overflows: zlib refuses
        // those lengths before touching the buffer.
        let ret = unsafe {
            match self {
                Op::Write { at, len } => {
                    let part = &data[at..at + len];
                    (gz.gzwrite)(f, part.as_ptr().cast(), len as c_uint).into()
                }
                Op::FWrite { at, size, nitems } => {
                    (gz.gzfwrite)(data[at..].as_ptr().cast(), size, nitems, f) as i64
                }
                Op::Putc(c) => (gz.gzputc)(f, c).into(),
                Op::Puts { at, len } => (gz.gzputs)(f, text(at, len).as_ptr()).into(),
                Op::Printf { format, n, at, len } => {
                    let s = text(at, len);
                    (gz.gzprintf)(f, FORMATS[format].as_ptr(), n, s.as_ptr()).into()
                }
                Op::Flush(flush) => (gz.gzflush)(f, flush).into(),
                Op::SetParams(level, strategy) => (gz.gzsetparams)(f, level, strategy).into(),
                Op::Read(len) => {
                    buf = guarded(len);
                    (gz.gzread)(f, buf.as_mut_ptr().cast(), len as c_uint).into()
                }
                Op::ReadTooLong => {
                    buf = guarded(0);
                    (gz.gzread)(f, buf.as_mut_ptr().cast(), 1 << 31).into()
                }
                Op::WriteTooLong => (gz.gzwrite)(f, data.as_ptr().cast(), 1 << 31).into(),
                Op::FRead { size, nitems } => {
                    buf = guarded(size.checked_mul(nitems).unwrap_or(0));
                    (gz.gzfread)(buf.as_mut_ptr().cast(), size, nitems, f) as i64
                }
                Op::Getc => (gz.gzgetc)(f).into(),
                Op::GetcUnderscore => (gz.gzgetc_)(f).into(),
                Op::GetcMacro => getc_macro(gz, f).into(),
                Op::Ungetc(c) => (gz.gzungetc)(c, f).into(),
                Op::Gets(len) => {
                    buf = guarded(len.max(0) as usize);
                    returned_pointer((gz.gzgets)(f, buf.as_mut_ptr().cast(), len), &buf)
                }
                Op::GetsNull => returned_pointer((gz.gzgets)(f, null_mut(), 10), &buf),
                Op::Seek(offset, whence) => (gz.gzseek)(f, offset, whence) as i64,
                Op::Seek64(offset, whence) => (gz.gzseek64)(f, offset, whence),
                Op::Rewind => (gz.gzrewind)(f).into(),
                Op::Tell => (gz.gztell)(f) as i64,
                Op::Tell64 => (gz.gztell64)(f),
                Op::Offset => (gz.gzoffset)(f) as i64,
                Op::Offset64 => (gz.gzoffset64)(f),
                Op::Eof => (gz.gzeof)(f).into(),
                Op::Direct => (gz.gzdirect)(f).into(),
                Op::ClearErr => {
                    (gz.gzclearerr)(f);
                    0
                }
                Op::Buffer(size) => (gz.gzbuffer)(f, size).into(),
                Op::ErrorText => {
                    let msg = (gz.gzerror)(f, null_mut());
                    if let Some(text) = side.message(msg) {
                        buf = text.into_bytes();
                    }
                    i64::from(msg.is_null())
                }
                // A close in the file's own direction frees it, whatever it
                // returns; one in the other direction must leave it open.
                Op::Close => side.close(gz.gzclose, true),
                Op::CloseR => side.close(gz.gzclose_r, side.reading),
                Op::CloseW => side.close(gz.gzclose_w, !side.reading),
            }
        };
        Outcome {
            ret,
            buf,
            state: side.state(),
        }
    }
}

/// zlib.h's gzgetc macro: a byte from the exposed buffer when it has one,
/// otherwise a call to gzgetc.
///
/// # Safety
/// `f` must be an open file.
unsafe fn getc_macro(gz: &Gz, f: Handle) -> c_int {
    // SAFETY: an open handle points at its `gzFile_s`, whose `next` has
    // `have` readable bytes.
    unsafe {
        let x = &mut *f;
        if x.have > 0 {
            x.have -= 1;
            x.pos += 1;
            let c = *x.next;
            x.next = x.next.add(1);
            c_int::from(c)
        } else {
            (gz.gzgetc)(f)
        }
    }
}

/// zlib 1.3.2's `gz_state` (gzguts.h).
#[repr(C)]
struct ZlibState {
    x: Exposed,
    mode: c_int,
    fd: c_int,
    path: *mut c_char,
    size: c_uint,
    want: c_uint,
    input: *mut u8,
    output: *mut u8,
    direct: c_int,
    junk: c_int,
    how: c_int,
    again: c_int,
    start: i64,
    eof: c_int,
    past: c_int,
    level: c_int,
    strategy: c_int,
    reset: c_int,
    skip: i64,
    err: c_int,
    msg: *mut c_char,
    strm: z_stream,
}

/// gz_state's `mode` for a file open for writing (GZ_WRITE).
const GZ_WRITE: c_int = 31153;

/// zlib 1.3.2 leaves `past` uninitialized in a file opened for writing
/// (gz_reset sets it only for reading), yet gztell64 and gzseek64 read it:
/// where malloc's garbage is non-zero, they ignore a pending seek, and a
/// SEEK_CUR seek then drops its zeros. Zeroing it, as a calloc would, makes
/// the oracle deterministic.
fn clear_zlib_past(file: Handle) {
    let state = file.cast::<ZlibState>();
    // SAFETY: `file` is a zlib file just opened for writing, so it points
    // at a gz_state; two fields with known values check the layout first.
    unsafe {
        assert_eq!((*state).mode, GZ_WRITE, "zlib's gz_state layout changed");
        assert_eq!((*state).want, 8192, "zlib's gz_state layout changed");
        (*state).past = 0;
    }
}

/// After a large gzwrite, zlib 1.3.2 leaves `strm.next_in` pointing past the
/// caller's data, and gzprintf's gz_vacate compares it with the file's own
/// buffer: two unrelated allocations, so whether gzprintf first writes out
/// a full output buffer (seen in gzoffset) depends on where malloc put
/// them. With no input pending the pointer is unused; aiming it at the
/// file's buffer, as zlib does everywhere else, makes the oracle
/// deterministic. (rzlib's input is always in its own buffer.)
fn settle_zlib_next_in(file: Handle) {
    let state = file.cast::<ZlibState>();
    // SAFETY: `file` is an open zlib file for writing (layout checked at
    // open); `in` is its allocated input buffer when `size` is non-zero.
    unsafe {
        if (*state).size != 0 && (*state).strm.avail_in == 0 {
            (*state).strm.next_in = (*state).input;
        }
    }
}

// ---------------------------------------------------------------- the two sides

/// How a file is opened. `Dopen(n)` opens the file itself, moves `n`
/// bytes in and hands the descriptor to gzdopen.
#[derive(Clone, Copy, Debug)]
enum Opener {
    Open,
    Open64,
    Dopen(u64),
}

/// The part of a mode string that decides the access: the last r, w or a.
fn access(mode: &CStr) -> Option<u8> {
    mode.to_bytes()
        .iter()
        .copied()
        .rfind(|c| b"rwa".contains(c))
}

/// A descriptor for `path`, opened as gzopen would for `mode`; -1 where
/// that fails.
fn open_fd(path: &Path, mode: Option<&CStr>, skip: u64) -> c_int {
    let mut options = fs::OpenOptions::new();
    match mode.and_then(access) {
        Some(b'w') => options.write(true).create(true).truncate(true),
        Some(b'a') => options.write(true).create(true),
        _ => options.read(true),
    };
    match options.open(path) {
        Ok(mut file) => {
            file.seek(SeekFrom::Start(skip)).unwrap();
            file.into_raw_fd()
        }
        Err(_) => -1,
    }
}

fn c_path(path: &Path) -> CString {
    CString::new(path.as_os_str().as_bytes()).unwrap()
}

/// One implementation's open file, in a directory of its own.
struct Side {
    gz: &'static Gz,
    dir: PathBuf,
    /// NULL when no file is open.
    file: Handle,
    reading: bool,
    /// What the file's error messages start with: its path, or `<fd:N>`.
    label: String,
}

impl Side {
    fn new(gz: &'static Gz, dir: PathBuf) -> Side {
        fs::create_dir_all(&dir).unwrap();
        Side {
            gz,
            dir,
            file: null_mut(),
            reading: false,
            label: String::new(),
        }
    }

    /// Opens `name` in this side's directory (None: a NULL path, or for
    /// gzdopen descriptor -1); true when the call returned a file.
    fn open(&mut self, opener: Opener, name: Option<&str>, mode: Option<&CStr>) -> bool {
        assert!(self.file.is_null());
        let path = name.map(|name| self.dir.join(name));
        let mode_ptr = mode.map_or(null(), CStr::as_ptr);
        self.reading = mode.and_then(access) == Some(b'r');
        match opener {
            Opener::Dopen(skip) => {
                let fd = path.map_or(-1, |path| open_fd(&path, mode, skip));
                self.label = format!("<fd:{fd}>");
                // SAFETY: `fd` is -1 or a descriptor this side owns; the
                // mode is NULL or a C string.
                self.file = unsafe { (self.gz.gzdopen)(fd, mode_ptr) };
                if self.file.is_null() && fd != -1 {
                    // gzdopen leaves the descriptors it refuses open.
                    // SAFETY: nothing else owns `fd`.
                    drop(unsafe { fs::File::from_raw_fd(fd) });
                }
            }
            Opener::Open | Opener::Open64 => {
                let path = path.map(|path| c_path(&path));
                self.label = path
                    .as_ref()
                    .map_or(String::new(), |p| p.to_string_lossy().into_owned());
                let open = match opener {
                    Opener::Open => self.gz.gzopen,
                    _ => self.gz.gzopen64,
                };
                // SAFETY: path and mode are NULL or C strings.
                self.file = unsafe { open(path.as_ref().map_or(null(), |p| p.as_ptr()), mode_ptr) };
            }
        }
        !self.file.is_null()
    }

    /// Closes the file with `close`; `frees` says whether that call ends
    /// the handle (a close in the wrong direction must not).
    fn close(&mut self, close: unsafe extern "C" fn(Handle) -> c_int, frees: bool) -> i64 {
        // SAFETY: `file` is NULL or open; it is forgotten once freed.
        let ret = unsafe { close(self.file) };
        if frees {
            self.file = null_mut();
        }
        ret.into()
    }

    /// A gzerror text with this file's own path prefix replaced by `<path>`.
    fn message(&self, msg: *const c_char) -> Option<String> {
        if msg.is_null() {
            return None;
        }
        // SAFETY: gzerror returns a NUL-terminated string that lives until
        // the next call on the file.
        let text = unsafe { CStr::from_ptr(msg) }.to_string_lossy();
        let prefix = format!("{}: ", self.label);
        Some(match text.strip_prefix(&prefix) {
            Some(rest) => format!("<path>: {rest}"),
            None => text.into_owned(),
        })
    }

    fn state(&self) -> State {
        let mut err = UNTOUCHED;
        // SAFETY: `file` is NULL or open; `err` is writable.
        let msg = unsafe { (self.gz.gzerror)(self.file, &mut err) };
        let exposed = (!self.file.is_null()).then(|| {
            // SAFETY: an open handle points at its `gzFile_s`.
            let x = unsafe { &*self.file };
            (x.have, x.pos)
        });
        State {
            err,
            msg: self.message(msg),
            exposed,
        }
    }
}

/// The first difference between two byte strings, described.
fn first_difference(got: &[u8], expected: &[u8]) -> Option<String> {
    let common = got.len().min(expected.len());
    match (0..common).find(|&i| got[i] != expected[i]) {
        Some(i) => Some(format!("byte {i}: {:#04x} vs {:#04x}", got[i], expected[i])),
        None if got.len() != expected.len() => {
            Some(format!("lengths {} vs {}", got.len(), expected.len()))
        }
        None => None,
    }
}

/// A fresh, empty directory for one test's files.
fn fresh_root(test: &str) -> PathBuf {
    // Cargo's scratch directory for tests; the system's for the fuzz target.
    let scratch = option_env!("CARGO_TARGET_TMPDIR").map_or_else(std::env::temp_dir, PathBuf::from);
    let root = scratch.join("differential_gz").join(test);
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(&root).unwrap();
    root
}

/// rzlib and the original side by side, running the same calls, each on
/// its own copy of the files.
struct Pair {
    root: PathBuf,
    /// rzlib, then zlib.
    sides: [Side; 2],
    /// Where the current sequence comes from (seed, sequence, mode).
    context: String,
    /// The calls of the current sequence so far.
    history: Vec<String>,
    /// Calls compared in all.
    calls: usize,
}

impl Pair {
    fn new(test: &str) -> Pair {
        let root = fresh_root(test);
        Pair {
            sides: [
                Side::new(&RZ, root.join("rzlib")),
                Side::new(&ZLIB, root.join("zlib")),
            ],
            root,
            context: String::new(),
            history: Vec::new(),
            calls: 0,
        }
    }

    fn begin(&mut self, context: String) {
        self.context = context;
        self.history.clear();
    }

    /// Where a mismatch happened: the sequence and its calls so far.
    fn describe(&self) -> String {
        format!(
            "{} (left: rzlib, right: zlib)\n  step {}: {}\n  calls so far: {}",
            self.context,
            self.history.len(),
            self.history.last().map_or("open", String::as_str),
            self.history.join("; ")
        )
    }

    fn put_file(&self, name: &str, bytes: &[u8]) {
        for side in &self.sides {
            fs::write(side.dir.join(name), bytes).unwrap();
        }
    }

    fn remove(&self, name: &str) {
        for side in &self.sides {
            let _ = fs::remove_file(side.dir.join(name));
        }
    }

    /// Opens `name` on both sides; true when both did.
    fn open(&mut self, opener: Opener, name: Option<&str>, mode: Option<&CStr>) -> bool {
        self.history
            .push(format!("open({opener:?}, {name:?}, {mode:?})"));
        let opened = self.sides.each_mut().map(|s| s.open(opener, name, mode));
        assert_eq!(opened[0], opened[1], "{}: open succeeded", self.describe());
        if opened[0] {
            if !self.sides[1].reading {
                clear_zlib_past(self.sides[1].file);
            }
            let [rz, zlib] = self.sides.each_ref().map(Side::state);
            assert_eq!(rz, zlib, "{}: state after open", self.describe());
        }
        opened[0]
    }

    /// Runs `op` on both sides and compares what the caller sees.
    fn step(&mut self, op: Op, data: &[u8]) {
        self.history.push(format!("{op:?}"));
        self.calls += 1;
        let [rz, zlib] = self.sides.each_mut().map(|side| op.apply(side, data));
        if !self.sides[1].file.is_null() && !self.sides[1].reading {
            settle_zlib_next_in(self.sides[1].file);
        }
        assert_eq!(rz.ret, zlib.ret, "{}: return value", self.describe());
        assert_eq!(
            first_difference(&rz.buf, &zlib.buf),
            None,
            "{}: the caller's buffer after the call (both returned {})",
            self.describe(),
            zlib.ret
        );
        assert_eq!(
            rz.state,
            zlib.state,
            "{}: gzerror and gzFile_s after the call",
            self.describe()
        );
    }

    /// True while the original's file has no buffers yet (`size` 0).
    fn zlib_unallocated(&self) -> bool {
        let state = self.sides[1].file.cast::<ZlibState>();
        // SAFETY: an open zlib file points at a gz_state (its layout was
        // checked when it was opened for writing).
        !state.is_null() && unsafe { (*state).size } == 0
    }

    /// The original's position (gztell64), to aim seeks with.
    fn zlib_tell(&self) -> i64 {
        // SAFETY: the file is open (or NULL, which gztell64 refuses).
        unsafe { (ZLIB.gztell64)(self.sides[1].file) }
    }

    /// Both copies of `name` must hold the same bytes.
    fn same_files(&self, name: &str) {
        let [rz, zlib] = self
            .sides
            .each_ref()
            .map(|s| fs::read(s.dir.join(name)).unwrap_or_default());
        assert_eq!(
            first_difference(&rz, &zlib),
            None,
            "{}: {name} after gzclose ({} and {} bytes)",
            self.describe(),
            rz.len(),
            zlib.len()
        );
    }
}

// ---------------------------------------------------------------- test data

/// All samples end to end: the data that writes take their bytes from.
fn pool(samples: &[Sample]) -> Vec<u8> {
    let mut pool: Vec<u8> = samples
        .iter()
        .flat_map(|s| s.data.iter().copied())
        .collect();
    while pool.len() < 200_000 {
        pool.extend_from_within(..pool.len().min(50_000));
        pool.push(b'\n');
    }
    pool
}

/// A gzip member of `data` made by the original's deflate.
fn gzip(data: &[u8], level: c_int, strategy: c_int) -> Vec<u8> {
    deflate(data, &Deflate::new(level, 31, strategy))
}

/// A file written by the original's gz functions in `mode`: each part
/// written, then flushed with its flush value.
fn written_by_zlib(path: &Path, mode: &CStr, parts: &[(&[u8], c_int)]) -> Vec<u8> {
    let name = c_path(path);
    // SAFETY: calls on a file opened here and closed at the end; every
    // buffer outlives its call.
    unsafe {
        let file = (ZLIB.gzopen)(name.as_ptr(), mode.as_ptr());
        assert!(!file.is_null(), "gzopen {path:?}");
        for (part, flush) in parts {
            let len = part.len() as c_uint;
            assert_eq!(
                (ZLIB.gzwrite)(file, part.as_ptr().cast(), len),
                len as c_int
            );
            assert_eq!((ZLIB.gzflush)(file, *flush), Z_OK);
        }
        assert_eq!((ZLIB.gzclose)(file), Z_OK);
    }
    let bytes = fs::read(path).unwrap();
    fs::remove_file(path).unwrap();
    bytes
}

/// One file to read: its bytes, how far seeks should roam, and how many
/// bytes a gzdopen descriptor starts past (0: any opener).
struct Input {
    name: String,
    bytes: Vec<u8>,
    span: usize,
    prefix: u64,
}

/// `bytes` with the byte at `at` changed.
fn flipped(bytes: &[u8], at: usize, mask: u8) -> Vec<u8> {
    let mut bytes = bytes.to_vec();
    bytes[at] ^= mask;
    bytes
}

/// The files the reading test reads: gzip members (one, several, with
/// header fields, stored, written with flushes), damaged ones (truncated,
/// corrupted, bad trailer, trailing garbage) and plain data.
fn read_inputs(samples: &[Sample], scratch: &Path) -> Vec<Input> {
    let mut rng = Rng::new(0x1f8b);
    let big: Vec<&[u8]> = samples
        .iter()
        .map(|s| &s.data[..])
        .filter(|d| d.len() >= 20_000)
        .collect();
    let a = &big[0][..big[0].len().min(120_000)];
    let b = big[big.len() / 2];
    let b = &b[..b.len().min(60_000)];
    let single = gzip(a, 6, Z_DEFAULT_STRATEGY);
    let second = gzip(b, 1, Z_DEFAULT_STRATEGY);
    let span = a.len() + b.len();
    let fields = GzFields {
        text: true,
        time: 0x1234_5678,
        os: 3,
        extra: Some(b"ab\x04\x00wxyz".to_vec()),
        name: Some(b"name.txt".to_vec()),
        comment: Some(b"a comment".to_vec()),
        hcrc: true,
    };
    let with_fields = Deflate {
        gzip: Some(fields),
        ..Deflate::new(9, 31, Z_DEFAULT_STRATEGY)
    };
    let flushes: [(&[u8], c_int); 5] = [
        (&a[..40_000], Z_SYNC_FLUSH),
        (&a[40_000..80_000], Z_FINISH),
        (&b[..20_000], Z_FULL_FLUSH),
        (&[], Z_FINISH),
        (&b[20_000..], Z_NO_FLUSH),
    ];
    let mut inputs: Vec<(String, Vec<u8>)> = vec![
        ("single".into(), single.clone()),
        ("header-fields".into(), deflate(b, &with_fields)),
        (
            "members".into(),
            [
                gzip(&a[..30_000], 9, Z_DEFAULT_STRATEGY),
                gzip(&[], 6, Z_DEFAULT_STRATEGY),
                second.clone(),
                gzip(b"x", 0, Z_DEFAULT_STRATEGY),
            ]
            .concat(),
        ),
        ("stored".into(), gzip(&a[..70_000], 0, Z_DEFAULT_STRATEGY)),
        ("fixed".into(), gzip(b, 6, Z_FIXED)),
        ("rle".into(), gzip(b, 6, Z_RLE)),
        ("empty-member".into(), gzip(&[], 6, Z_DEFAULT_STRATEGY)),
        (
            "gz-flushes".into(),
            written_by_zlib(&scratch.join("flushes"), c"wb", &flushes),
        ),
        (
            "gz-transparent".into(),
            written_by_zlib(&scratch.join("transparent"), c"wbT", &[(b, Z_NO_FLUSH)]),
        ),
        ("trailing-garbage".into(), {
            let len = rng.range(1, 300);
            [single.clone(), rng.bytes(len)].concat()
        }),
        (
            "trailing-junk-member".into(),
            [&single[..], b"\x1f\x8b\x08\x00", &rng.bytes(50)].concat(),
        ),
        ("trailing-zeros".into(), [&single[..], &[0; 512]].concat()),
        ("trailing-1f".into(), [&single[..], b"\x1f"].concat()),
        ("trailing-1f8b".into(), [&single[..], b"\x1f\x8b"].concat()),
        ("second-truncated".into(), {
            let cut = rng.range(1, second.len() - 1);
            [&single[..], &second[..cut]].concat()
        }),
        ("second-corrupt".into(), {
            let at = rng.range(10, second.len() - 9);
            [single.clone(), flipped(&second, at, 0x08)].concat()
        }),
        (
            "second-bad-flags".into(),
            [single.clone(), flipped(&second, 3, 0xe0)].concat(),
        ),
        ("bad-crc".into(), flipped(&single, single.len() - 8, 0x01)),
        (
            "bad-length".into(),
            flipped(&single, single.len() - 1, 0x80),
        ),
        ("bad-method".into(), flipped(&single, 2, 0x0f)),
        ("reserved-flags".into(), flipped(&single, 3, 0x20)),
        ("header-only".into(), single[..10].to_vec()),
        ("plain".into(), a[..60_000].to_vec()),
        (
            "plain-1f8b09".into(),
            [&b"\x1f\x8b\x09"[..], &b[..1000]].concat(),
        ),
        ("empty".into(), Vec::new()),
        ("one-byte".into(), b"\x1f".to_vec()),
        ("three-bytes-magic".into(), b"\x1f\x8b\x08".to_vec()),
        ("three-bytes".into(), b"abc".to_vec()),
        ("four-bytes-header".into(), b"\x1f\x8b\x08\x00".to_vec()),
    ];
    let len = single.len();
    for cut in [1, 2, 4, 9, 12, len - 8, len - 5, len - 1]
        .into_iter()
        .chain((0..3).map(|_| rng.range(13, len - 9)))
    {
        inputs.push((format!("truncated-{cut}"), single[..cut].to_vec()));
    }
    for _ in 0..3 {
        let at = rng.range(10, len - 9);
        let mask = 1 << rng.below(8);
        inputs.push((format!("corrupt-{at}"), flipped(&single, at, mask)));
    }
    let mut inputs: Vec<Input> = inputs
        .into_iter()
        .map(|(name, bytes)| Input {
            name,
            bytes,
            span,
            prefix: 0,
        })
        .collect();
    // A descriptor that starts past other data: gzrewind goes back to
    // where it started, not to the start of the file.
    inputs.push(Input {
        name: "prefixed".into(),
        bytes: [&b"not part of the stream"[..], &single].concat(),
        span,
        prefix: 22,
    });
    for input in &mut inputs {
        input.span = input.span.min(input.bytes.len() * 4 + 100);
    }
    inputs
}

// ---------------------------------------------------------------- random calls

fn pick_opener(rng: &mut Rng) -> Opener {
    match rng.below(4) {
        0 | 1 => Opener::Open,
        2 => Opener::Open64,
        _ => Opener::Dopen(0),
    }
}

/// A write length: mostly small, sometimes up to 70000 bytes.
fn write_len(rng: &mut Rng) -> usize {
    match rng.below(10) {
        0..=3 => rng.below(64),
        4..=6 => rng.range(64, 4096),
        7 | 8 => rng.range(4096, 20_000),
        _ => rng.range(20_000, 70_000),
    }
}

/// A read length: 0, small, or up to 100000 (large reads go straight to
/// the caller's buffer).
fn read_len(rng: &mut Rng) -> usize {
    match rng.below(20) {
        0 => 0,
        1..=5 => rng.range(1, 16),
        6..=11 => rng.range(16, 1000),
        12..=16 => rng.range(1000, 20_000),
        _ => rng.range(20_000, 100_000),
    }
}

/// A character for gzputc or gzungetc: a byte, or rarely -1 or above 255.
fn char_value(rng: &mut Rng) -> c_int {
    match rng.below(20) {
        0 => -1,
        1 => 256 + rng.below(256) as c_int,
        _ => rng.below(256) as c_int,
    }
}

/// Where a data range of `len` bytes starts in a pool of `pool` bytes.
fn start(rng: &mut Rng, pool: usize, len: usize) -> usize {
    rng.below(pool - len + 1)
}

/// gzseek or gzseek64, at random.
fn seek(rng: &mut Rng, offset: i64, whence: c_int) -> Op {
    match rng.below(2) {
        0 => Op::Seek(offset as c_long, whence),
        _ => Op::Seek64(offset, whence),
    }
}

fn any_tell(rng: &mut Rng) -> Op {
    [Op::Tell, Op::Tell64, Op::Offset, Op::Offset64][rng.below(4)]
}

/// The next calls of a writing sequence; `pos` is the original's gztell.
///
/// zlib writes a pending seek's zeros with `memset(state->in, ...)` before
/// gzputc, gzflush, gzsetparams and gzclose_w have allocated `in`: a write
/// through an uninitialized pointer. So while the original's file has no
/// buffers (`unallocated`) a seek is followed at once by a write (which
/// allocates first), and gzsetparams takes only values with which that
/// allocation cannot fail.
fn write_ops(rng: &mut Rng, pool: usize, pos: i64, unallocated: bool) -> Vec<Op> {
    let op = match rng.below(100) {
        0..=27 => {
            let len = write_len(rng);
            Op::Write {
                at: start(rng, pool, len),
                len,
            }
        }
        28..=33 => {
            let size = [0, 1, 3, 8, 100][rng.below(5)];
            let nitems = write_len(rng) / size.max(1);
            Op::FWrite {
                at: start(rng, pool, size * nitems),
                size,
                nitems,
            }
        }
        34..=40 => {
            let run = rng.range(1, 30);
            return (0..run).map(|_| Op::Putc(char_value(rng))).collect();
        }
        41..=46 => {
            let len = match rng.below(5) {
                0 => 0,
                1 => rng.below(20),
                2 => rng.range(20, 500),
                3 => rng.range(500, 10_000),
                _ => rng.range(10_000, 30_000),
            };
            Op::Puts {
                at: start(rng, pool, len),
                len,
            }
        }
        47..=54 => {
            // Strings near 8192 bytes straddle the default buffer's limit.
            let len = match rng.below(5) {
                0 => 0,
                1 => rng.below(40),
                2 => rng.range(100, 2000),
                3 => rng.range(7000, 9000),
                _ => 20_000,
            };
            Op::Printf {
                format: rng.below(FORMATS.len()),
                n: rng.next_u64() as c_int,
                at: start(rng, pool, len),
                len,
            }
        }
        55..=62 => Op::Flush(match rng.below(20) {
            0 => -1,
            1 => 5,
            _ => rng.range(0, 4) as c_int,
        }),
        63..=67 => {
            // Invalid values one time in ten (deflateParams refuses them).
            let invalid = !unallocated && rng.below(10) == 0;
            let level = match invalid {
                true => [-2, 10][rng.below(2)],
                false => rng.range(0, 10) as c_int - 1,
            };
            let invalid = !unallocated && rng.below(10) == 0;
            let strategy = match invalid {
                true => [-1, 5][rng.below(2)],
                false => rng.range(0, 4) as c_int,
            };
            Op::SetParams(level, strategy)
        }
        68..=75 => {
            // Forward seeks write zeros; backward ones and SEEK_END fail.
            let forward = match rng.below(4) {
                0 => 0,
                1 => rng.below(100),
                2 => rng.below(5000),
                _ => rng.below(100_000),
            } as i64;
            let back = 1 + rng.below(100) as i64;
            let op = match rng.below(6) {
                0 | 1 => seek(rng, forward, SEEK_CUR),
                2 | 3 => seek(rng, pos + forward, SEEK_SET),
                4 => seek(rng, -back, SEEK_CUR),
                _ => match rng.below(2) {
                    0 => seek(rng, pos - back, SEEK_SET),
                    _ => seek(rng, 0, SEEK_END),
                },
            };
            if !unallocated {
                return vec![op];
            }
            let len = 1 + write_len(rng);
            let at = start(rng, pool, len);
            return vec![op, Op::Write { at, len }];
        }
        76..=81 => any_tell(rng),
        82..=85 => [Op::Eof, Op::Direct, Op::ClearErr][rng.below(3)],
        86 | 87 => Op::Buffer(BUFFERS[rng.below(BUFFERS.len())]),
        _ => READING_CALLS[rng.below(READING_CALLS.len())],
    };
    vec![op]
}

/// The next calls of a reading sequence; `span` bounds the seeks and
/// `pos` is the original's gztell.
fn read_ops(rng: &mut Rng, span: usize, pos: i64) -> Vec<Op> {
    let op = match rng.below(100) {
        0..=23 => Op::Read(read_len(rng)),
        24..=28 => {
            let size = [0, 1, 2, 3, 7, 64, 1000][rng.below(7)];
            Op::FRead {
                size,
                nitems: read_len(rng) / size.max(1),
            }
        }
        29..=36 => {
            let run = rng.range(1, 40);
            return (0..run)
                .map(|_| [Op::Getc, Op::GetcUnderscore, Op::GetcMacro][rng.below(3)])
                .collect();
        }
        37..=42 => {
            // Several in a row, beyond the room a small buffer leaves.
            let run = match rng.below(6) {
                0..=2 => 1,
                3 => 2,
                4 => rng.range(3, 20),
                _ => rng.range(20, 40),
            };
            return (0..run).map(|_| Op::Ungetc(char_value(rng))).collect();
        }
        43..=50 => Op::Gets(match rng.below(9) {
            0 => 1,
            1 => 2,
            2 => 3,
            3 => 10,
            4 => 80,
            5 => rng.range(1, 3000) as c_int,
            6 => 100_000,
            7 => 0,
            _ => rng.range(80, 200) as c_int,
        }),
        51..=61 => {
            let near = rng.below(100) as i64;
            let (offset, whence) = match rng.below(8) {
                0 => (rng.below(span + 1) as i64, SEEK_SET),
                1 => (pos + near, SEEK_SET),
                2 => (pos - near, SEEK_SET),
                3 => (rng.below(200) as i64, SEEK_CUR),
                4 => (-(rng.below(200) as i64), SEEK_CUR),
                5 => (span as i64 + near, SEEK_SET),
                6 => (-1 - near, SEEK_SET),
                _ => (near, SEEK_END),
            };
            seek(rng, offset, whence)
        }
        62..=64 => Op::Rewind,
        65..=72 => any_tell(rng),
        73..=80 => [Op::Eof, Op::Direct][rng.below(2)],
        81..=84 => Op::ClearErr,
        85 | 86 => Op::Buffer(BUFFERS[rng.below(BUFFERS.len())]),
        _ => WRITING_CALLS[rng.below(WRITING_CALLS.len())],
    };
    vec![op]
}

/// One call of each reading function (and gzrewind and gzclose_r), with
/// small arguments: refused on a write handle.
const READING_CALLS: [Op; 9] = [
    Op::Read(10),
    Op::FRead {
        size: 1,
        nitems: 10,
    },
    Op::Getc,
    Op::GetcUnderscore,
    Op::GetcMacro,
    Op::Ungetc(65),
    Op::Gets(10),
    Op::Rewind,
    Op::CloseR,
];

/// One call of each writing function (and gzclose_w), with small
/// arguments: refused on a read handle.
const WRITING_CALLS: [Op; 8] = [
    Op::Write { at: 0, len: 10 },
    Op::FWrite {
        at: 0,
        size: 1,
        nitems: 10,
    },
    Op::Putc(65),
    Op::Puts { at: 0, len: 10 },
    Op::Printf {
        format: 0,
        n: 1,
        at: 0,
        len: 5,
    },
    Op::Flush(Z_SYNC_FLUSH),
    Op::SetParams(1, 0),
    Op::CloseW,
];

// ---------------------------------------------------------------- tests

const WRITE_MODES: [&CStr; 18] = [
    c"wb", c"wb1", c"wb9", c"wb0", c"wbf", c"wbh", c"wbR", c"wbF", c"wbT", c"ab", c"a9", c"abT",
    c"wx", c"wbx", c"w", c"w3", c"w47", c"wb6eN",
];

const READ_MODES: [&CStr; 6] = [c"rb", c"r", c"rbG", c"rbe", c"rbN", c"r9h"];

/// One writing sequence on the file `name`: a random mode and opener, the
/// file's earlier content for modes that need one, 5 to 40 rounds of
/// writing calls and a close; then both sides' files must be the same.
fn write_sequence(pair: &mut Pair, rng: &mut Rng, pool: &[u8], name: &str, context: &str) {
    let mode = WRITE_MODES[rng.below(WRITE_MODES.len())];
    let opener = pick_opener(rng);
    if access(mode) == Some(b'a') || mode.to_bytes().contains(&b'x') {
        pair.put_file(name, &existing(rng, pool));
    }
    pair.begin(format!("{context}, {opener:?} mode {mode:?}"));
    // "wx" on an existing file: both refuse it.
    if pair.open(opener, Some(name), Some(mode)) {
        if rng.below(3) == 0 {
            pair.step(Op::Buffer(BUFFERS[rng.below(BUFFERS.len())]), pool);
        }
        for _ in 0..rng.range(5, 40) {
            let (pos, unallocated) = (pair.zlib_tell(), pair.zlib_unallocated());
            for op in write_ops(rng, pool.len(), pos, unallocated) {
                pair.step(op, pool);
            }
        }
        pair.step([Op::Close, Op::CloseW][rng.below(2)], pool);
    }
    pair.same_files(name);
    pair.remove(name);
}

/// One reading sequence on `input` (already on both sides): a random mode
/// and opener, 10 to 60 rounds of reading calls (and refused writing
/// ones) and a close.
fn read_sequence(pair: &mut Pair, rng: &mut Rng, input: &Input, pool: &[u8], context: &str) {
    let mode = READ_MODES[rng.below(READ_MODES.len())];
    let opener = match input.prefix {
        0 => pick_opener(rng),
        prefix => Opener::Dopen(prefix),
    };
    pair.begin(format!(
        "reading {} ({} bytes): {context}, {opener:?} mode {mode:?}",
        input.name,
        input.bytes.len()
    ));
    assert!(
        pair.open(opener, Some(&input.name), Some(mode)),
        "{}: zlib refused the file",
        pair.describe()
    );
    if rng.below(2) == 0 {
        pair.step(Op::Buffer(BUFFERS[rng.below(BUFFERS.len())]), pool);
    }
    for _ in 0..rng.range(10, 60) {
        let pos = pair.zlib_tell();
        for op in read_ops(rng, input.span, pos) {
            pair.step(op, pool);
        }
    }
    pair.step([Op::Close, Op::CloseR][rng.below(2)], pool);
}

/// What an appended-to or must-not-exist file holds before it is opened.
fn existing(rng: &mut Rng, pool: &[u8]) -> Vec<u8> {
    match rng.below(3) {
        0 => Vec::new(),
        1 => {
            let len = rng.range(1, 100);
            rng.bytes(len)
        }
        _ => {
            let len = rng.below(3000);
            let at = start(rng, pool.len(), len);
            gzip(&pool[at..at + len], 6, Z_DEFAULT_STRATEGY)
        }
    }
}

pub fn writing() {
    let started = Instant::now();
    let pool = pool(&samples(64 * 1024));
    let mut pair = Pair::new("writing");
    let mut sequences = 0;
    for seed in [1u64, 2, 3, 4] {
        let mut rng = Rng::new(seed);
        for seq in 0..100 {
            let name = format!("w{seed}-{seq}.gz");
            let context = format!("writing: seed {seed}, sequence {seq}");
            write_sequence(&mut pair, &mut rng, &pool, &name, &context);
            sequences += 1;
        }
    }
    eprintln!(
        "writing: {sequences} sequences, {} calls compared in {:.1?}",
        pair.calls,
        started.elapsed()
    );
}

pub fn reading() {
    let started = Instant::now();
    let samples = samples(128 * 1024);
    let pool = pool(&samples);
    let mut pair = Pair::new("reading");
    let inputs = read_inputs(&samples, &pair.root);
    for input in &inputs {
        pair.put_file(&input.name, &input.bytes);
    }
    let mut sequences = 0;
    for seed in [11u64, 12, 13] {
        let mut rng = Rng::new(seed);
        for input in &inputs {
            for seq in 0..4 {
                let context = format!("seed {seed}, sequence {seq}");
                read_sequence(&mut pair, &mut rng, input, &pool, &context);
                sequences += 1;
            }
        }
    }
    eprintln!(
        "reading: {} inputs, {sequences} sequences, {} calls compared in {:.1?}",
        inputs.len(),
        pair.calls,
        started.elapsed()
    );
}

/// With [`WRITING_CALLS`], every call, with ordinary arguments (for NULL
/// handles).
const OTHER_CALLS: [Op; 23] = [
    Op::WriteTooLong,
    Op::Flush(Z_FINISH),
    Op::Read(10),
    Op::ReadTooLong,
    Op::FRead {
        size: 1,
        nitems: 10,
    },
    Op::Getc,
    Op::GetcUnderscore,
    Op::Ungetc(65),
    Op::Gets(10),
    Op::GetsNull,
    Op::Seek(0, SEEK_SET),
    Op::Seek64(0, SEEK_CUR),
    Op::Rewind,
    Op::Tell,
    Op::Tell64,
    Op::Offset,
    Op::Offset64,
    Op::Eof,
    Op::Direct,
    Op::ClearErr,
    Op::Buffer(100),
    Op::ErrorText,
    Op::CloseR,
];

pub fn bad_handles_and_modes() {
    let data: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let member = gzip(&data[..50_000], 6, Z_DEFAULT_STRATEGY);
    let mut pair = Pair::new("bad");

    pair.begin("NULL handle".into());
    for op in WRITING_CALLS
        .into_iter()
        .chain(OTHER_CALLS)
        .chain([Op::Close])
    {
        pair.step(op, &data);
    }

    // NULL arguments, refused modes, missing files and a directory; the
    // files that open get a few calls and are closed.
    let exists = Some("exists.gz");
    let mut opens: Vec<(Opener, Option<&str>, Option<&CStr>)> = vec![
        (Opener::Open, exists, None),
        (Opener::Open, None, Some(c"rb")),
        (Opener::Open64, None, Some(c"wb")),
        (Opener::Dopen(0), None, Some(c"rb")),
        (Opener::Dopen(0), exists, None),
        (Opener::Open, Some("missing.gz"), Some(c"rb")),
        (Opener::Dopen(0), Some("missing.gz"), Some(c"rb")),
        (Opener::Open, Some("missing.gz"), Some(c"wx")),
        (Opener::Open, Some("missing.gz"), Some(c"ab")),
        (Opener::Open, Some("."), Some(c"rb")),
        (Opener::Open, Some("."), Some(c"wb")),
    ];
    for mode in [
        c"", c"b", c"9", c"f", c"+", c"r+", c"w+", c"a+", c"rb+", c"+r", c"rT", c"rbT", c"wG",
        c"abG", c"rG", c"r", c"rbe", c"r9hRF", c"wx", c"wbx", c"ax", c"wb9T",
    ] {
        opens.push((Opener::Open, exists, Some(mode)));
        opens.push((Opener::Dopen(0), exists, Some(mode)));
    }
    for (opener, name, mode) in opens {
        pair.put_file("exists.gz", &member);
        pair.remove("missing.gz");
        pair.begin(format!("open({opener:?}, {name:?}, {mode:?})"));
        if pair.open(opener, name, mode) {
            for op in [
                Op::Direct,
                Op::Read(100),
                Op::Write { at: 0, len: 100 },
                Op::Close,
            ] {
                pair.step(op, &data);
            }
        }
    }

    // Reading calls on a write handle, refused lengths and sticky errors;
    // the handle stays usable for writing.
    pair.begin("reading calls on a write handle".into());
    assert!(pair.open(Opener::Open, Some("w.gz"), Some(c"wb")));
    let first = [Op::Buffer(0x8000_0000), Op::Buffer(100)];
    let more = [Op::ReadTooLong, Op::GetsNull, Op::Eof, Op::Direct];
    for op in first.into_iter().chain(READING_CALLS).chain(more).chain([
        Op::Write { at: 0, len: 1000 },
        Op::Buffer(8),
        Op::WriteTooLong,
        Op::Write { at: 0, len: 10 },
        Op::ErrorText,
        Op::ClearErr,
        Op::Write { at: 10, len: 10 },
        Op::FWrite {
            at: 0,
            size: usize::MAX,
            nitems: 2,
        },
        Op::Putc(1),
        Op::ClearErr,
        Op::Seek(-1, SEEK_CUR),
        Op::Seek(10, SEEK_END),
        Op::SetParams(9, Z_RLE),
        Op::Write { at: 20, len: 5000 },
        Op::CloseR,
        Op::Close,
    ]) {
        pair.step(op, &data);
    }
    pair.same_files("w.gz");

    // Writing calls on a read handle, refused lengths and sticky errors;
    // the handle stays usable for reading.
    pair.begin("writing calls on a read handle".into());
    pair.put_file("r.gz", &member);
    assert!(pair.open(Opener::Open, Some("r.gz"), Some(c"rb")));
    let writing = [Op::Buffer(65536)].into_iter().chain(WRITING_CALLS);
    for op in writing.chain([
        Op::Flush(Z_FINISH),
        Op::Read(1000),
        Op::ReadTooLong,
        Op::Read(10),
        Op::ErrorText,
        Op::ClearErr,
        Op::Read(10),
        Op::FRead {
            size: usize::MAX,
            nitems: 2,
        },
        Op::FRead {
            size: 1,
            nitems: 10,
        },
        Op::ClearErr,
        Op::FRead {
            size: 3,
            nitems: 10,
        },
        Op::Gets(0),
        Op::Gets(-1),
        Op::GetsNull,
        Op::Gets(1),
        Op::Buffer(100),
        Op::Ungetc(-1),
        Op::Ungetc(300),
        Op::Getc,
        Op::CloseW,
        Op::Close,
    ]) {
        pair.step(op, &data);
    }
    eprintln!(
        "bad handles and modes: {} calls compared (synthetic data)",
        pair.calls
    );
}

// ---------------------------------------------------------------- fuzzing

/// The fuzz check: arbitrary bytes drive one sequence of gz calls on both
/// implementations, compared as in the tests above. The first byte picks
/// reading (even) or writing (odd) and the next eight seed the calls (mode,
/// opener, buffer size, lengths, seeks); the rest is the file to read, or
/// the data the writes take their bytes from.
pub fn fuzz_gz(data: &[u8]) {
    let Some((&[which, ref seed @ ..], rest)) = data.split_first_chunk::<9>() else {
        return;
    };
    let mut rng = Rng::new(u64::from_le_bytes(*seed));
    // A directory per process and thread: fuzzing jobs and tests run side
    // by side.
    let thread = format!("{:?}", std::thread::current().id());
    let thread: String = thread.chars().filter(char::is_ascii_digit).collect();
    let mut pair = Pair::new(&format!("fuzz-{}-{thread}", std::process::id()));
    if which & 1 == 0 {
        let input = Input {
            name: "fuzz.gz".into(),
            bytes: rest.to_vec(),
            span: rest.len() * 4 + 100,
            prefix: 0,
        };
        pair.put_file(&input.name, &input.bytes);
        // The writing calls, refused on a read handle, take their
        // arguments from here.
        let pool = [b'.'; 64];
        read_sequence(&mut pair, &mut rng, &input, &pool, "fuzz");
    } else {
        // Writes take up to 70000 bytes at a time: the data, repeated.
        let pool: Vec<u8> = match rest {
            [] => vec![0; 70_000],
            _ => rest
                .iter()
                .copied()
                .cycle()
                .take(rest.len().max(70_000))
                .collect(),
        };
        write_sequence(&mut pair, &mut rng, &pool, "fuzz.gz", "fuzz");
    }
}
