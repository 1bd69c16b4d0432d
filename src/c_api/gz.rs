//! The gzip file exports: gzopen .. gzclose, over the safe core in
//! `crate::gz`. gzprintf and gzvprintf are variadic, which stable Rust
//! cannot define: they live in gzprintf.c and format into the buffer that
//! `rzlib_gzprintf_reserve` lends them.
//!
//! A gzFile is a [`Handle`]: zlib's exposed `struct gzFile_s` first (the
//! `gzgetc` macro reads and advances it), then the core. Every call copies
//! the exposed fields into the core and back. The addresses of the open
//! handles are registered: a call on any other pointer (a closed handle,
//! another zlib's gzFile) is refused without reading through it.

#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_int, c_uchar, c_uint, c_void, CStr};
use core::{ptr, slice};
use std::cell::Cell;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use super::catch_panic;
use super::constants::Z_STREAM_ERROR;
use super::posix::Fd;
use super::types::{voidp, voidpc, z_off64_t, z_off_t, z_size_t};
use crate::gz::{GzFile, OpenMode};

/// The part of a gzFile that zlib exposes for its `gzgetc` macro: `have`
/// bytes of data ready at `next`, and the position in the data.
#[repr(C)]
#[derive(Debug)]
pub struct gzFile_s {
    /// Bytes ready at `next`.
    pub have: c_uint,
    /// The next byte of data.
    pub next: *mut c_uchar,
    /// The position in the uncompressed data.
    pub pos: z_off64_t,
}

/// A gzip file handle.
pub type gzFile = *mut gzFile_s;

/// What a gzFile points to.
#[repr(C)]
struct Handle {
    exposed: gzFile_s,
    core: GzFile<Fd>,
}

/// The addresses of the handles that are open.
static OPEN: Mutex<BTreeSet<usize>> = Mutex::new(BTreeSet::new());

/// The set of open handles (a panic elsewhere cannot leave it inconsistent:
/// each update is one insert or remove).
fn open_handles() -> MutexGuard<'static, BTreeSet<usize>> {
    OPEN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// How many handles were ever closed: a thread's memory of the last handle
/// it found open holds while this count does.
static CLOSED: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// The last handle this thread found open, and [`CLOSED`] then.
    static LAST_OPEN: Cell<(usize, u64)> = const { Cell::new((0, 0)) };
}

/// True if `file` is one of rzlib's open handles. A run of calls on one
/// handle takes the lock once.
fn is_open(file: gzFile) -> bool {
    let address = file as usize;
    let closed = CLOSED.load(Ordering::Acquire);
    if LAST_OPEN.get() == (address, closed) && address != 0 {
        return true;
    }
    let open = open_handles().contains(&address);
    if open {
        LAST_OPEN.set((address, closed));
    }
    open
}

/// The handle behind `file`, if it is one of rzlib's open handles.
///
/// # Safety
/// No other reference to the handle is alive (the C contract: one call on
/// a gzFile at a time).
unsafe fn handle<'a>(file: gzFile) -> Option<&'a mut Handle> {
    if !is_open(file) {
        return None;
    }
    // SAFETY: registered addresses are live Boxes from open_handle.
    Some(unsafe { &mut *file.cast::<Handle>() })
}

impl Handle {
    /// Takes in what the gzgetc macro did since the last call.
    fn sync_in(&mut self) {
        let (output, have, next, _) = self.core.exposed();
        let x = &self.exposed;
        let left = x.have as usize;
        let taken = have.wrapping_sub(left);
        let consistent = left <= have && x.next == output.as_mut_ptr().wrapping_add(next + taken);
        let pos = x.pos;
        self.core
            .sync_exposed(if consistent { taken } else { 0 }, pos);
    }

    /// Shows the core's ready data to the gzgetc macro.
    fn sync_out(&mut self) {
        let (output, have, next, pos) = self.core.exposed();
        let base = output.as_mut_ptr();
        self.exposed = gzFile_s {
            have: have as c_uint,
            next: base.wrapping_add(next),
            pos,
        };
    }
}

/// Runs `body` on the core of `file`, or returns `fallback` for a file that
/// is not rzlib's (or NULL).
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
unsafe fn with_file<R: Copy>(
    file: gzFile,
    fallback: R,
    body: impl FnOnce(&mut GzFile<Fd>) -> R,
) -> R {
    catch_panic(fallback, || {
        // SAFETY: per the contract.
        let Some(handle) = (unsafe { handle(file) }) else {
            return fallback;
        };
        handle.sync_in();
        let result = body(&mut handle.core);
        handle.sync_out();
        result
    })
}

/// A new handle around `core`.
fn open_handle(core: GzFile<Fd>) -> gzFile {
    let mut handle = Box::new(Handle {
        exposed: gzFile_s {
            have: 0,
            next: ptr::null_mut(),
            pos: 0,
        },
        core,
    });
    handle.sync_out();
    let file: gzFile = Box::into_raw(handle).cast();
    open_handles().insert(file as usize);
    file
}

/// The mode string, parsed.
///
/// # Safety
/// `mode` is NULL or a NUL-terminated string.
unsafe fn parse_mode(mode: *const c_char) -> Option<OpenMode> {
    // SAFETY: per the contract.
    OpenMode::parse(unsafe { mode.as_ref().map(|m| CStr::from_ptr(m)) }?.to_bytes())
}

/// Opens the gzip file at `path` for reading (`"r"`) or writing (`"w"`,
/// `"a"`), with the options of the `mode` string as zlib reads them:
/// a level digit, `f`/`h`/`R`/`F` for the strategy, `T` to write
/// uncompressed, `G` to read gzip only, `x` exclusive, `e` close-on-exec,
/// `N` non-blocking. Reading accepts data that is not gzip and copies it.
///
/// # Returns
/// The handle, or NULL if the mode is invalid or the file cannot be opened
/// (errno tells why).
///
/// # Safety
/// `path` and `mode` are NULL or NUL-terminated strings.
#[export_name = symbol!("gzopen")]
pub unsafe extern "C" fn gzopen(path: *const c_char, mode: *const c_char) -> gzFile {
    catch_panic(ptr::null_mut(), || {
        // SAFETY: per the contract.
        let Some(mode) = (unsafe { parse_mode(mode) }) else {
            return ptr::null_mut();
        };
        if path.is_null() {
            return ptr::null_mut();
        }
        // SAFETY: `path` is a C string per the contract.
        let Some(fd) = (unsafe { Fd::open(path, &mode) }) else {
            return ptr::null_mut();
        };
        // SAFETY: as above.
        let name = unsafe { CStr::from_ptr(path) }.to_bytes().to_vec();
        open_handle(GzFile::new(fd, name, &mode))
    })
}

/// `gzopen` (offsets are 64-bit in either).
///
/// # Returns
/// As `gzopen`.
///
/// # Safety
/// As `gzopen`.
#[export_name = symbol!("gzopen64")]
pub unsafe extern "C" fn gzopen64(path: *const c_char, mode: *const c_char) -> gzFile {
    // SAFETY: forwarded under the same contract.
    unsafe { gzopen(path, mode) }
}

/// Opens descriptor `fd` as a gzip file, as `gzopen` opens a path; the
/// handle owns `fd` and `gzclose` closes it. Error messages name it
/// `<fd:N>`.
///
/// # Returns
/// The handle, or NULL for `fd` -1 or an invalid mode.
///
/// # Safety
/// `mode` is NULL or a NUL-terminated string.
#[export_name = symbol!("gzdopen")]
pub unsafe extern "C" fn gzdopen(fd: c_int, mode: *const c_char) -> gzFile {
    catch_panic(ptr::null_mut(), || {
        // SAFETY: per the contract.
        let mode = unsafe { parse_mode(mode) };
        let Some(mode) = mode.filter(|_| fd != -1) else {
            return ptr::null_mut();
        };
        let name = format!("<fd:{fd}>").into_bytes();
        open_handle(GzFile::new(Fd::adopt(fd, &mode), name, &mode))
    })
}

/// Sets the size of the buffers (8192 by default; at least 8) before the
/// first read or write. Reading uses `size` bytes of input and twice that
/// of output; writing the reverse.
///
/// # Returns
/// 0, or -1 for a NULL file, buffers already in use, or a size too large.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzbuffer")]
pub unsafe extern "C" fn gzbuffer(file: gzFile, size: c_uint) -> c_int {
    // SAFETY: per the contract.
    unsafe { with_file(file, -1, |gz| gz.set_buffer(size)) }
}

/// Changes the compression level and strategy for the data written next;
/// the data so far is compressed with the old ones first.
///
/// # Returns
/// `Z_OK`, `Z_STREAM_ERROR` for a NULL, reading or transparent file or an
/// earlier error, or the error of writing the data so far.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzsetparams")]
pub unsafe extern "C" fn gzsetparams(file: gzFile, level: c_int, strategy: c_int) -> c_int {
    // SAFETY: per the contract.
    unsafe { with_file(file, Z_STREAM_ERROR, |gz| gz.set_params(level, strategy)) }
}

/// A mutable view of the caller's buffer.
///
/// # Safety
/// `buf` is writable for `len` bytes, or `len` is 0.
unsafe fn buffer_mut<'a>(buf: *mut c_void, len: usize) -> &'a mut [u8] {
    if buf.is_null() || len == 0 {
        &mut []
    } else {
        // SAFETY: per the contract.
        unsafe { slice::from_raw_parts_mut(buf.cast(), len) }
    }
}

/// A view of the caller's data.
///
/// # Safety
/// `buf` is readable for `len` bytes, or `len` is 0.
unsafe fn buffer_ref<'a>(buf: *const c_void, len: usize) -> &'a [u8] {
    if buf.is_null() || len == 0 {
        &[]
    } else {
        // SAFETY: per the contract.
        unsafe { slice::from_raw_parts(buf.cast(), len) }
    }
}

/// Reads up to `len` uncompressed bytes into `buf`. Reading continues
/// across gzip members; data that is not gzip is copied as is.
///
/// # Returns
/// The bytes read (less than `len` at the end of the data), 0 at the end,
/// or -1 on an error (see `gzerror`) or a NULL `file`/`buf`.
///
/// # Safety
/// `file` may be any value (only rzlib's open handles are used); `buf` is
/// writable for `len` bytes.
#[export_name = symbol!("gzread")]
pub unsafe extern "C" fn gzread(file: gzFile, buf: voidp, len: c_uint) -> c_int {
    if buf.is_null() && len != 0 {
        return -1;
    }
    // SAFETY: per the contract.
    unsafe { with_file(file, -1, |gz| gz.read(buffer_mut(buf, len as usize))) }
}

/// Reads up to `nitems` items of `size` bytes into `buf`, like fread.
///
/// # Returns
/// The number of whole items read; 0 at the end, on an error, or if
/// `size * nitems` overflows.
///
/// # Safety
/// `file` may be any value (only rzlib's open handles are used); `buf` is
/// writable for `size * nitems`
/// bytes.
#[export_name = symbol!("gzfread")]
pub unsafe extern "C" fn gzfread(
    buf: voidp,
    size: z_size_t,
    nitems: z_size_t,
    file: gzFile,
) -> z_size_t {
    let len = size.checked_mul(nitems).unwrap_or(0);
    if buf.is_null() && len != 0 {
        return 0;
    }
    // SAFETY: per the contract.
    unsafe {
        with_file(file, 0, |gz| {
            gz.read_items(buffer_mut(buf, len), size, nitems)
        })
    }
}

/// Compresses and writes `len` bytes from `buf`.
///
/// # Returns
/// `len`, or 0 on an error (see `gzerror`).
///
/// # Safety
/// `file` may be any value (only rzlib's open handles are used); `buf` is readable for `len` bytes.
#[export_name = symbol!("gzwrite")]
pub unsafe extern "C" fn gzwrite(file: gzFile, buf: voidpc, len: c_uint) -> c_int {
    if buf.is_null() && len != 0 {
        return 0;
    }
    // SAFETY: per the contract.
    unsafe { with_file(file, 0, |gz| gz.write(buffer_ref(buf, len as usize))) }
}

/// Compresses and writes `nitems` items of `size` bytes, like fwrite.
///
/// # Returns
/// `nitems`, or 0 on an error or if `size * nitems` overflows.
///
/// # Safety
/// `file` may be any value (only rzlib's open handles are used); `buf` is
/// readable for `size * nitems` bytes.
#[export_name = symbol!("gzfwrite")]
pub unsafe extern "C" fn gzfwrite(
    buf: voidpc,
    size: z_size_t,
    nitems: z_size_t,
    file: gzFile,
) -> z_size_t {
    let len = size.checked_mul(nitems).unwrap_or(0);
    if buf.is_null() && len != 0 {
        return 0;
    }
    // SAFETY: per the contract.
    unsafe {
        with_file(file, 0, |gz| {
            gz.write_items(buffer_ref(buf, len), size, nitems)
        })
    }
}

/// Writes the string `s` without its terminating NUL.
///
/// # Returns
/// The number of characters written, or -1 on an error.
///
/// # Safety
/// `file` may be any value (only rzlib's open handles are used); `s` is NULL
/// or a NUL-terminated string.
#[export_name = symbol!("gzputs")]
pub unsafe extern "C" fn gzputs(file: gzFile, s: *const c_char) -> c_int {
    if s.is_null() {
        return -1;
    }
    // SAFETY: `s` is a C string per the contract.
    let text = unsafe { CStr::from_ptr(s) }.to_bytes();
    // SAFETY: per the contract.
    unsafe { with_file(file, -1, |gz| gz.puts(text)) }
}

/// Reads a line: up to `len - 1` bytes, through the first newline, then a
/// terminating NUL.
///
/// # Returns
/// `buf`, or NULL if nothing was read (end of data or an error) or for a
/// NULL `file`/`buf` or `len` < 1.
///
/// # Safety
/// `file` may be any value (only rzlib's open handles are used); `buf` is
/// writable for `len` bytes.
#[export_name = symbol!("gzgets")]
pub unsafe extern "C" fn gzgets(file: gzFile, buf: *mut c_char, len: c_int) -> *mut c_char {
    let Ok(len) = usize::try_from(len) else {
        return ptr::null_mut();
    };
    if buf.is_null() || len == 0 {
        return ptr::null_mut();
    }
    // SAFETY: per the contract.
    let read = unsafe { with_file(file, None, |gz| gz.gets(buffer_mut(buf.cast(), len))) };
    if read.is_some() {
        buf
    } else {
        ptr::null_mut()
    }
}

/// Writes the byte `c` (converted to unsigned char).
///
/// # Returns
/// The byte written, or -1 on an error.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzputc")]
pub unsafe extern "C" fn gzputc(file: gzFile, c: c_int) -> c_int {
    // SAFETY: per the contract.
    unsafe { with_file(file, -1, |gz| gz.putc(c)) }
}

/// Reads one byte. zlib.h's `gzgetc` macro reads ready bytes itself and
/// calls this only when there are none.
///
/// # Returns
/// The byte, or -1 at the end of the data or on an error.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzgetc")]
pub unsafe extern "C" fn gzgetc(file: gzFile) -> c_int {
    // SAFETY: per the contract.
    unsafe { with_file(file, -1, |gz| gz.getc()) }
}

/// `gzgetc` as a function, for older programs.
///
/// # Returns
/// As `gzgetc`.
///
/// # Safety
/// As `gzgetc`.
#[export_name = symbol!("gzgetc_")]
pub unsafe extern "C" fn gzgetc_(file: gzFile) -> c_int {
    // SAFETY: forwarded under the same contract.
    unsafe { gzgetc(file) }
}

/// Pushes `c` back so that the next read returns it first; at least one
/// byte can always be pushed back, more while the buffer has room.
///
/// # Returns
/// `c`, or -1 for a negative `c`, no room, or an error.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzungetc")]
pub unsafe extern "C" fn gzungetc(c: c_int, file: gzFile) -> c_int {
    // SAFETY: per the contract.
    unsafe { with_file(file, -1, |gz| gz.ungetc(c)) }
}

/// Compresses what was written so far with `flush` (`Z_NO_FLUSH` ..
/// `Z_FINISH`; `Z_FINISH` ends the gzip member, and later data starts a
/// new one) and writes it to the file.
///
/// # Returns
/// `Z_OK`, `Z_STREAM_ERROR` for a bad file or flush value, or the error of
/// writing.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzflush")]
pub unsafe extern "C" fn gzflush(file: gzFile, flush: c_int) -> c_int {
    // SAFETY: per the contract.
    unsafe { with_file(file, Z_STREAM_ERROR, |gz| gz.flush(flush)) }
}

/// Moves to `offset` in the uncompressed data, from the start (`SEEK_SET`)
/// or the current position (`SEEK_CUR`). Reading may go backwards (by
/// starting over); writing only forwards, with zeros. The move happens at
/// the next read or write.
///
/// # Returns
/// The new position, or -1 on an error.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzseek64")]
pub unsafe extern "C" fn gzseek64(file: gzFile, offset: z_off64_t, whence: c_int) -> z_off64_t {
    // SAFETY: per the contract.
    unsafe { with_file(file, -1, |gz| gz.seek(offset, whence)) }
}

/// `gzseek64` with a `z_off_t` offset.
///
/// # Returns
/// As `gzseek64`; -1 if the position does not fit in a `z_off_t`.
///
/// # Safety
/// As `gzseek64`.
#[export_name = symbol!("gzseek")]
pub unsafe extern "C" fn gzseek(file: gzFile, offset: z_off_t, whence: c_int) -> z_off_t {
    // z_off_t is 64-bit on LP64 targets, narrower elsewhere.
    #[allow(clippy::useless_conversion)]
    let offset = z_off64_t::from(offset);
    // SAFETY: forwarded under the same contract.
    narrow(unsafe { gzseek64(file, offset, whence) })
}

/// A 64-bit position as a `z_off_t`: -1 where it does not fit, as zlib's
/// 32-bit functions answer.
fn narrow(at: z_off64_t) -> z_off_t {
    z_off_t::try_from(at).unwrap_or(-1)
}

/// Rewinds a file being read to the start of its data.
///
/// # Returns
/// 0, or -1 on an error or for a file being written.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzrewind")]
pub unsafe extern "C" fn gzrewind(file: gzFile) -> c_int {
    // SAFETY: per the contract.
    unsafe { with_file(file, -1, |gz| gz.rewind()) }
}

/// The position in the uncompressed data.
///
/// # Returns
/// The position, or -1 for a NULL file.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gztell64")]
pub unsafe extern "C" fn gztell64(file: gzFile) -> z_off64_t {
    // SAFETY: per the contract.
    unsafe { with_file(file, -1, |gz| gz.tell()) }
}

/// `gztell64` as a `z_off_t`.
///
/// # Returns
/// As `gztell64`; -1 if the position does not fit.
///
/// # Safety
/// As `gztell64`.
#[export_name = symbol!("gztell")]
pub unsafe extern "C" fn gztell(file: gzFile) -> z_off_t {
    // SAFETY: forwarded under the same contract.
    narrow(unsafe { gztell64(file) })
}

/// The offset in the (compressed) file: where reading has got to,
/// excluding buffered input, or how much has been written.
///
/// # Returns
/// The offset, or -1 on an error.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzoffset64")]
pub unsafe extern "C" fn gzoffset64(file: gzFile) -> z_off64_t {
    // SAFETY: per the contract.
    unsafe { with_file(file, -1, |gz| gz.offset()) }
}

/// `gzoffset64` as a `z_off_t`.
///
/// # Returns
/// As `gzoffset64`; -1 if the offset does not fit.
///
/// # Safety
/// As `gzoffset64`.
#[export_name = symbol!("gzoffset")]
pub unsafe extern "C" fn gzoffset(file: gzFile) -> z_off_t {
    // SAFETY: forwarded under the same contract.
    narrow(unsafe { gzoffset64(file) })
}

/// Whether a read went past the end of the data.
///
/// # Returns
/// 1 if so, else 0 (always 0 when writing).
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzeof")]
pub unsafe extern "C" fn gzeof(file: gzFile) -> c_int {
    // SAFETY: per the contract.
    unsafe { with_file(file, 0, |gz| c_int::from(gz.eof())) }
}

/// Whether the data is copied as is (not gzip) rather than decompressed,
/// or written uncompressed (`T`).
///
/// # Returns
/// 1 if so, else 0.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzdirect")]
pub unsafe extern "C" fn gzdirect(file: gzFile) -> c_int {
    // SAFETY: per the contract.
    unsafe { with_file(file, 0, |gz| c_int::from(gz.direct())) }
}

/// Closes a file opened for reading or writing, as `gzclose_r` or
/// `gzclose_w`, and frees the handle.
///
/// # Returns
/// `Z_OK`, `Z_STREAM_ERROR` for a NULL or foreign file, `Z_ERRNO` if
/// closing fails, `Z_BUF_ERROR` if the data being read ended early, or the
/// error of writing the rest.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used; it is closed afterwards.
#[export_name = symbol!("gzclose")]
pub unsafe extern "C" fn gzclose(file: gzFile) -> c_int {
    // SAFETY: per the contract.
    unsafe { close(file, None) }
}

/// Closes a file opened for reading.
///
/// # Returns
/// As `gzclose`; `Z_STREAM_ERROR` (and nothing closed) for a file being
/// written.
///
/// # Safety
/// As `gzclose`.
#[export_name = symbol!("gzclose_r")]
pub unsafe extern "C" fn gzclose_r(file: gzFile) -> c_int {
    // SAFETY: per the contract.
    unsafe { close(file, Some(true)) }
}

/// Closes a file opened for writing, finishing its gzip member.
///
/// # Returns
/// As `gzclose`; `Z_STREAM_ERROR` (and nothing closed) for a file being
/// read.
///
/// # Safety
/// As `gzclose`.
#[export_name = symbol!("gzclose_w")]
pub unsafe extern "C" fn gzclose_w(file: gzFile) -> c_int {
    // SAFETY: per the contract.
    unsafe { close(file, Some(false)) }
}

/// Closes `file` if it is rzlib's and, when `reading` says so, opened for
/// reading (`Some(true)`) or writing (`Some(false)`).
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
unsafe fn close(file: gzFile, reading: Option<bool>) -> c_int {
    catch_panic(Z_STREAM_ERROR, || {
        // SAFETY: per the contract.
        let Some(handle) = (unsafe { handle(file) }) else {
            return Z_STREAM_ERROR;
        };
        if reading.is_some_and(|r| r != handle.core.is_reading()) {
            return Z_STREAM_ERROR;
        }
        open_handles().remove(&(file as usize));
        // Before the memory goes: no thread may take it for open after this.
        CLOSED.fetch_add(1, Ordering::Release);
        // SAFETY: the handle came from Box::into_raw in open_handle, and it
        // is freed once: it is no longer registered.
        let handle = unsafe { Box::from_raw(file.cast::<Handle>()) };
        handle.core.close()
    })
}

/// The last error: its code in `*errnum` (when not NULL) and its message,
/// which starts with the file's name.
///
/// # Returns
/// The message ("" for none), valid until the next call on `file`; NULL for
/// a NULL file.
///
/// # Safety
/// `file` may be any value (only rzlib's open handles are used); `errnum` is NULL or writable.
#[export_name = symbol!("gzerror")]
pub unsafe extern "C" fn gzerror(file: gzFile, errnum: *mut c_int) -> *const c_char {
    // SAFETY: per the contract.
    unsafe {
        with_file(file, ptr::null(), |gz| {
            let (code, text) = gz.error();
            if let Some(errnum) = errnum.as_mut() {
                *errnum = code;
            }
            text.as_ptr()
        })
    }
}

/// Clears the error and end-of-file flags.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
#[export_name = symbol!("gzclearerr")]
pub unsafe extern "C" fn gzclearerr(file: gzFile) {
    // SAFETY: per the contract.
    unsafe { with_file(file, (), |gz| gz.clear_error()) }
}

/// gzvprintf's first half (gzprintf.c): makes room in `file`'s buffer and
/// lends it: `*buffer` gets where to format and `*size` how many bytes,
/// NUL included.
///
/// # Returns
/// 0 when lent; otherwise the value gzprintf returns.
///
/// # Safety
/// `file` may be any value (only rzlib's open handles are used); `buffer` and `size` are writable.
/// cbindgen:ignore
#[no_mangle]
pub unsafe extern "C" fn rzlib_gzprintf_reserve(
    file: gzFile,
    buffer: *mut *mut c_char,
    size: *mut c_uint,
) -> c_int {
    // SAFETY: per the contract.
    unsafe {
        with_file(file, Z_STREAM_ERROR, |gz| match gz.printf_reserve() {
            Ok((offset, len)) => {
                let lent = gz.printf_buffer()[offset..].as_mut_ptr();
                *buffer = lent.cast();
                *size = len as c_uint;
                0
            }
            Err(code) => code,
        })
    }
}

/// gzvprintf's second half: `len` is what vsnprintf returned into the lent
/// buffer and `terminated` whether its last byte is still NUL.
///
/// # Returns
/// gzprintf's result: `len`, 0 if the text did not fit, or an error code.
///
/// # Safety
/// `file` may be any value: only rzlib's open handles are used.
/// cbindgen:ignore
#[no_mangle]
pub unsafe extern "C" fn rzlib_gzprintf_commit(
    file: gzFile,
    len: c_int,
    terminated: c_int,
) -> c_int {
    // SAFETY: per the contract.
    unsafe {
        with_file(file, Z_STREAM_ERROR, |gz| {
            gz.printf_commit(len, terminated != 0)
        })
    }
}
