//! The gz* functions against files that fail or change under them, side by
//! side with the original zlib (libz-sys): a gzip file truncated, corrupted
//! or grown while it is being read, writes to a full device, reads of a
//! directory. Every return value and every gzerror text must match.

use std::ffi::{c_char, c_int, c_uint, c_void, CStr, CString};
use std::fs;
use std::path::{Path, PathBuf};

use rzlib::c_api::gz as rz;
// Links the original zlib, whose gz functions are declared below.
use libz_sys as _;

extern "C" {
    fn gzopen(path: *const c_char, mode: *const c_char) -> *mut c_void;
    fn gzread(file: *mut c_void, buf: *mut c_void, len: c_uint) -> c_int;
    fn gzwrite(file: *mut c_void, buf: *const c_void, len: c_uint) -> c_int;
    fn gzflush(file: *mut c_void, flush: c_int) -> c_int;
    fn gzerror(file: *mut c_void, errnum: *mut c_int) -> *const c_char;
    fn gzclearerr(file: *mut c_void);
    fn gzeof(file: *mut c_void) -> c_int;
    fn gzclose(file: *mut c_void) -> c_int;
}

/// The same file opened by both implementations.
struct Both {
    zlib: *mut c_void,
    rzlib: rz::gzFile,
    path: PathBuf,
}

/// What one call left behind: its result, gzerror's code and text (with
/// the path taken out) and gzeof.
type Outcome = (i64, c_int, String, c_int);

impl Both {
    fn open(path: &Path, mode: &str) -> Both {
        let (name, mode) = (cstring(path), CString::new(mode).unwrap());
        // SAFETY: both strings are NUL-terminated.
        let (zlib, rzlib) = unsafe {
            (
                gzopen(name.as_ptr(), mode.as_ptr()),
                rz::gzopen(name.as_ptr(), mode.as_ptr()),
            )
        };
        assert!(
            !zlib.is_null() && !rzlib.is_null(),
            "open {}",
            path.display()
        );
        Both {
            zlib,
            rzlib,
            path: path.to_owned(),
        }
    }

    /// The state of each side after `result` of one call.
    fn outcomes(&self, results: (i64, i64)) -> (Outcome, Outcome) {
        let strip = |text: *const c_char| {
            // SAFETY: gzerror returns a NUL-terminated string for open files.
            let text = unsafe { CStr::from_ptr(text) }
                .to_string_lossy()
                .into_owned();
            text.replace(&self.path.display().to_string(), "<path>")
        };
        let (mut zerr, mut rerr) = (0, 0);
        // SAFETY: both handles are open.
        unsafe {
            (
                (
                    results.0,
                    zerr,
                    strip(gzerror(self.zlib, &mut zerr)),
                    gzeof(self.zlib),
                ),
                (
                    results.1,
                    rerr,
                    strip(rz::gzerror(self.rzlib, &mut rerr)),
                    rz::gzeof(self.rzlib),
                ),
            )
        }
        .map_errnums(zerr, rerr)
    }

    /// Reads `len` bytes on both sides; the data must match too.
    fn read(&self, len: usize, what: &str) -> (Outcome, usize) {
        let (mut a, mut b) = (vec![0u8; len], vec![0u8; len]);
        // SAFETY: both buffers hold `len` bytes; both handles are open.
        let results = unsafe {
            (
                gzread(self.zlib, a.as_mut_ptr().cast(), len as c_uint),
                rz::gzread(self.rzlib, b.as_mut_ptr().cast(), len as c_uint),
            )
        };
        let (zlib, rzlib) = self.outcomes((results.0.into(), results.1.into()));
        assert_eq!(zlib, rzlib, "{what}: zlib vs rzlib");
        let got = usize::try_from(results.0).unwrap_or(0);
        assert_eq!(a[..got], b[..got], "{what}: data");
        (zlib, got)
    }

    /// Writes `data` on both sides.
    fn write(&self, data: &[u8], what: &str) -> Outcome {
        // SAFETY: `data` is readable; both handles are open.
        let results = unsafe {
            (
                gzwrite(self.zlib, data.as_ptr().cast(), data.len() as c_uint),
                rz::gzwrite(self.rzlib, data.as_ptr().cast(), data.len() as c_uint),
            )
        };
        self.same(results, what)
    }

    fn flush(&self, flush: c_int, what: &str) -> Outcome {
        // SAFETY: both handles are open.
        let results = unsafe { (gzflush(self.zlib, flush), rz::gzflush(self.rzlib, flush)) };
        self.same(results, what)
    }

    fn clear_error(&self) {
        // SAFETY: both handles are open.
        unsafe {
            gzclearerr(self.zlib);
            rz::gzclearerr(self.rzlib);
        }
    }

    fn same(&self, results: (c_int, c_int), what: &str) -> Outcome {
        let (zlib, rzlib) = self.outcomes((results.0.into(), results.1.into()));
        assert_eq!(zlib, rzlib, "{what}: zlib vs rzlib");
        zlib
    }

    fn close(self, what: &str) -> (c_int, c_int) {
        // SAFETY: both handles are open and closed once.
        let results = unsafe { (gzclose(self.zlib), rz::gzclose(self.rzlib)) };
        assert_eq!(results.0, results.1, "{what}: gzclose");
        results
    }
}

/// Puts gzerror's errnum into each outcome.
trait MapErrnums {
    fn map_errnums(self, zlib: c_int, rzlib: c_int) -> Self;
}

impl MapErrnums for (Outcome, Outcome) {
    fn map_errnums(mut self, zlib: c_int, rzlib: c_int) -> Self {
        self.0 .1 = zlib;
        self.1 .1 = rzlib;
        self
    }
}

fn cstring(path: &Path) -> CString {
    CString::new(path.to_str().unwrap()).unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("gz_hostile");
    fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// A gzip file of `data` written by the original zlib.
fn gzip_file(name: &str, data: &[u8]) -> PathBuf {
    let path = scratch(name);
    let (name, mode) = (cstring(&path), c"wb");
    // SAFETY: valid strings and buffer; the handle is closed once.
    unsafe {
        let file = gzopen(name.as_ptr(), mode.as_ptr());
        assert_eq!(
            gzwrite(file, data.as_ptr().cast(), data.len() as c_uint),
            data.len() as c_int
        );
        assert_eq!(gzclose(file), 0);
    }
    path
}

fn sample(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i * 7 % 251) as u8 ^ (i >> 9) as u8)
        .collect()
}

#[test]
fn file_truncated_while_read() {
    let data = sample(400_000);
    let path = gzip_file("truncated.gz", &data);
    let both = Both::open(&path, "rb");
    both.read(1000, "first read");
    let len = fs::metadata(&path).unwrap().len();
    fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    // The read that meets the early end returns its data with Z_BUF_ERROR
    // set; the next one returns 0 (gzread clears a Z_BUF_ERROR first).
    let mut outcomes = vec![both.read(100_000, "read after truncation").0];
    while outcomes.last().unwrap().0 > 0 {
        outcomes.push(both.read(100_000, "read after truncation").0);
    }
    let ended = outcomes.iter().find(|o| o.1 == -5).expect("a Z_BUF_ERROR");
    assert!(ended.2.ends_with("unexpected end of file"), "{}", ended.2);
    assert_eq!(both.close("truncated"), (0, 0));
}

#[test]
fn file_corrupted_while_read() {
    let data = sample(400_000);
    let path = gzip_file("corrupted.gz", &data);
    let both = Both::open(&path, "rb");
    both.read(1000, "first read");
    let mut bytes = fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle..middle + 64].fill(0xff);
    fs::write(&path, &bytes).unwrap();
    let mut last = both.read(50_000, "read after corruption").0;
    while last.0 > 0 {
        last = both.read(50_000, "read after corruption").0;
    }
    assert_eq!((last.0, last.1), (-1, -3), "Z_DATA_ERROR");
    // A data error sticks: the next read fails at once.
    assert_eq!(both.read(10, "read after the error").0 .0, -1);
    both.close("corrupted");
}

#[test]
fn file_grown_after_its_end() {
    // zlib.h: gzclearerr lets a reader follow a file that is still being
    // written, like tail -f.
    let first = sample(5000);
    let path = gzip_file("grown.gz", &first);
    let both = Both::open(&path, "rb");
    let (end, got) = both.read(10_000, "read to the end");
    assert_eq!((got, end.3), (first.len(), 1), "short read sets eof");
    let second = gzip_file("member.gz", b"a second member, appended later");
    let mut bytes = fs::read(&path).unwrap();
    bytes.extend(fs::read(&second).unwrap());
    fs::write(&path, &bytes).unwrap();
    assert_eq!(
        both.read(100, "read at eof").0 .0,
        0,
        "eof sticks until cleared"
    );
    both.clear_error();
    let (_, got) = both.read(100, "read after gzclearerr");
    assert_eq!(got, 31, "the appended member is read");
    both.close("grown");
}

#[test]
fn write_to_a_full_device() {
    if !Path::new("/dev/full").exists() {
        eprintln!("no /dev/full: skipped");
        return;
    }
    let both = Both::open(Path::new("/dev/full"), "wb");
    // Data that does not compress, so the output buffer fills at once.
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let data: Vec<u8> = (0..100_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    let written = both.write(&data, "write to /dev/full");
    assert_eq!((written.0, written.1), (0, -1), "Z_ERRNO");
    assert!(
        written.2.ends_with("No space left on device"),
        "{}",
        written.2
    );
    // The error sticks for writes and flushes.
    assert_eq!(both.write(b"more", "write after the error").0, 0);
    assert_eq!(both.flush(2, "flush after the error").0, -2);
    assert_eq!(both.close("full").0, -1);
}

#[test]
fn read_of_a_directory() {
    let dir = scratch("a-directory");
    fs::create_dir_all(&dir).unwrap();
    let both = Both::open(&dir, "rb");
    let outcome = both.read(10, "read a directory").0;
    assert_eq!((outcome.0, outcome.1), (-1, -1), "Z_ERRNO");
    assert!(outcome.2.ends_with("Is a directory"), "{}", outcome.2);
    both.close("directory");
}

#[test]
fn closed_and_foreign_handles_are_refused() {
    // zlib cannot tell a closed gzFile from an open one; rzlib refuses both
    // a closed handle and one the original opened, without reading them
    // (valgrind checks that under make memcheck).
    let path = gzip_file("closed.gz", b"some data");
    let name = cstring(&path);
    let mut buf = [0u8; 16];
    let mut errnum = 0;
    // SAFETY: valid strings and buffers; the stale handle is only passed to
    // rzlib, which refuses it; the original's handle is closed by it once.
    unsafe {
        let file = rz::gzopen(name.as_ptr(), c"rb".as_ptr());
        assert_eq!(rz::gzclose(file), 0);
        let theirs = gzopen(name.as_ptr(), c"rb".as_ptr()).cast();
        for stale in [file, theirs] {
            assert_eq!(rz::gzread(stale, buf.as_mut_ptr().cast(), 16), -1);
            assert_eq!(rz::gzwrite(stale, buf.as_ptr().cast(), 16), 0);
            assert_eq!(rz::gzgetc(stale), -1);
            assert_eq!(rz::gzungetc(b'x'.into(), stale), -1);
            assert!(rz::gzgets(stale, buf.as_mut_ptr().cast(), 16).is_null());
            assert_eq!(rz::gzputc(stale, b'x'.into()), -1);
            assert_eq!(rz::gzflush(stale, 0), -2);
            assert_eq!(rz::gzseek64(stale, 1, 0), -1);
            assert_eq!((rz::gztell64(stale), rz::gzoffset64(stale)), (-1, -1));
            assert_eq!((rz::gzeof(stale), rz::gzdirect(stale)), (0, 0));
            assert_eq!((rz::gzbuffer(stale, 64), rz::gzrewind(stale)), (-1, -1));
            assert_eq!(rz::gzsetparams(stale, 1, 0), -2);
            assert!(rz::gzerror(stale, &mut errnum).is_null());
            rz::gzclearerr(stale);
            assert_eq!(rz::gzclose(stale), -2);
            assert_eq!((rz::gzclose_r(stale), rz::gzclose_w(stale)), (-2, -2));
        }
        assert_eq!(gzread(theirs.cast(), buf.as_mut_ptr().cast(), 16), 9);
        assert_eq!(gzclose(theirs.cast()), 0);
    }
    assert_eq!(&buf[..9], b"some data");
}
