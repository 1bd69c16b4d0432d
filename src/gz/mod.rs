//! The gzip file layer: zlib's gz* functions over a [`RawFile`], in safe
//! Rust, with zlib 1.3.2's state machine (the libz-sys oracle): lazy seeks,
//! transparent reads, concatenated members and sticky errors.
//!
//! - `mode`: gzopen's mode string;
//! - `file`: the descriptor operations and their error texts;
//! - `read`: looking for a header, copying or decompressing, skipping,
//!   gzread/gzgets/gzgetc/gzungetc;
//! - `write`: buffering, compressing, writing zeros for seeks,
//!   gzwrite/gzputc/gzprintf's buffer/gzflush/gzsetparams;
//! - this module: the state, errors, positions, rewinding and closing.
//!
//! The state mirrors zlib's `gz_state`. `have`, `next` and `pos` are the
//! fields zlib exposes in `struct gzFile_s` for the `gzgetc` macro; the C
//! boundary copies them in and out around every call.

#![forbid(unsafe_code)]

mod file;
mod mode;
mod read;
mod write;

use std::ffi::CString;

pub use file::{RawFile, Whence};
pub use mode::{Access, OpenMode};

use crate::deflate::Deflater;
use crate::inflate::{Fields, Inflater};

const Z_OK: i32 = 0;
const Z_ERRNO: i32 = -1;
const Z_STREAM_ERROR: i32 = -2;
const Z_DATA_ERROR: i32 = -3;
const Z_MEM_ERROR: i32 = -4;
const Z_BUF_ERROR: i32 = -5;

/// zlib's default buffer size (GZBUFSIZE).
const DEFAULT_BUFFER: usize = 8192;
/// The most one read() or write() call is asked for (1 GiB, as zlib).
const MAX_IO: usize = (u32::MAX >> 2) as usize + 1;

/// A step that failed; the error is recorded in the state (zlib's -1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Failed;

/// What a reader does next (zlib's `how`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum How {
    /// Look for a gzip header.
    Look,
    /// Copy the input as is.
    Copy,
    /// Decompress a gzip member.
    Gzip,
}

/// The running fields of the deflate stream between calls.
#[derive(Clone, Copy, Debug, Default)]
struct DeflateFields {
    total_in: u64,
    total_out: u64,
    adler: u64,
    data_type: i32,
}

/// An open gzip file (zlib's `gz_state`).
pub struct GzFile<F: RawFile> {
    file: F,
    /// The path (or `<fd:N>`) that error messages start with.
    path: Vec<u8>,
    reading: bool,
    /// Bytes of output ready at `output[next..]` (reading).
    have: usize,
    /// Reading: where the ready output starts. Writing: the first
    /// compressed byte not yet written to the file.
    next: usize,
    /// The position in the uncompressed data.
    pos: i64,
    /// The buffer size in use, 0 until the buffers exist.
    size: usize,
    /// The buffer size gzbuffer asked for.
    want: usize,
    /// Reading: `size` bytes of file data. Writing: `2 * size` bytes of
    /// data to compress (the second half for gzprintf).
    input: Vec<u8>,
    /// Reading: `2 * size` bytes of decompressed data. Writing: `size`
    /// bytes of compressed data.
    output: Vec<u8>,
    /// See [`OpenMode::direct`]; after a reader's look, 1 for plain data.
    direct: i32,
    /// Reading: -1 before the first member, 1 while a member could still
    /// turn out to be trailing junk, 0 once it decompressed.
    junk: i32,
    how: How,
    /// The last read or write would have blocked.
    again: bool,
    /// The errno that said so.
    blocked: i32,
    /// Where the data started in the file, for rewinding.
    start: i64,
    /// The file's end was reached (data may remain in `input`).
    eof: bool,
    /// A read asked for more than there was.
    past: bool,
    level: i32,
    strategy: i32,
    /// A new gzip member starts with the next data (after Z_FINISH).
    reset: bool,
    /// Bytes to skip (reading) or zeros to write (writing), from a seek.
    skip: i64,
    err: i32,
    msg: Option<CString>,
    /// The codec's input: `avail_in` bytes from `next_in` (in `input`, or
    /// in the caller's buffer during a large write).
    next_in: usize,
    avail_in: usize,
    /// The codec's output space: `avail_out` bytes from `next_out`.
    next_out: usize,
    avail_out: usize,
    inflater: Option<Box<Inflater<F::Memory>>>,
    inflate_fields: Fields,
    /// The inflate stream's `msg`, for data errors.
    inflate_msg: Option<&'static std::ffi::CStr>,
    deflater: Option<Box<Deflater<F::Memory>>>,
    deflate_fields: DeflateFields,
}

impl<F: RawFile> GzFile<F> {
    /// zlib's gz_open after the descriptor is open: `file` opened as `mode`
    /// says, `path` for messages (the file name, or `<fd:N>`).
    pub fn new(mut file: F, path: Vec<u8>, mode: &OpenMode) -> GzFile<F> {
        let reading = mode.reading();
        if mode.access == Access::Append {
            // So that gzoffset counts from the end of the existing data.
            let _ = file.seek(0, Whence::End);
        }
        let start = if reading {
            file.seek(0, Whence::Current).unwrap_or(0)
        } else {
            0
        };
        let mut gz = GzFile {
            file,
            path,
            reading,
            have: 0,
            next: 0,
            pos: 0,
            size: 0,
            want: DEFAULT_BUFFER,
            input: Vec::new(),
            output: Vec::new(),
            direct: mode.direct,
            junk: -1,
            how: How::Look,
            again: false,
            blocked: 0,
            start,
            eof: false,
            past: false,
            level: mode.level,
            strategy: mode.strategy,
            reset: false,
            skip: 0,
            err: Z_OK,
            msg: None,
            next_in: 0,
            avail_in: 0,
            next_out: 0,
            avail_out: 0,
            inflater: None,
            inflate_fields: Fields::new(),
            inflate_msg: None,
            deflater: None,
            deflate_fields: DeflateFields::default(),
        };
        gz.reset();
        gz
    }

    /// True for a file opened for reading.
    pub fn is_reading(&self) -> bool {
        self.reading
    }

    /// zlib's gz_reset: back to the start of the data, errors cleared.
    fn reset(&mut self) {
        self.have = 0;
        if self.reading {
            self.eof = false;
            self.past = false;
            self.how = How::Look;
            self.junk = -1;
        } else {
            self.reset = false;
        }
        self.again = false;
        self.skip = 0;
        self.set_error(Z_OK, None);
        self.pos = 0;
        self.avail_in = 0;
    }

    /// zlib's gz_error: records `err` with `msg` (prefixed by the path).
    /// A fatal error empties the output so the gzgetc macro stops.
    fn set_error(&mut self, err: i32, msg: Option<&[u8]>) {
        self.msg = None;
        if err != Z_OK && err != Z_BUF_ERROR && !self.again {
            self.have = 0;
        }
        self.err = err;
        let Some(msg) = msg else { return };
        if err == Z_MEM_ERROR {
            return;
        }
        let mut text = Vec::with_capacity(self.path.len() + 2 + msg.len());
        text.extend_from_slice(&self.path);
        text.extend_from_slice(b": ");
        text.extend(msg.iter().copied().take_while(|&b| b != 0));
        // The path came from a C string, so the text holds no NUL.
        self.msg = CString::new(text).ok();
    }

    /// Records a failed read() or write(): Z_ERRNO with strerror's text.
    fn set_os_error(&mut self, errno: i32) {
        self.set_error(Z_ERRNO, Some(file::error_text(errno).as_bytes()));
    }

    /// Records a failed allocation.
    fn set_out_of_memory(&mut self) -> Failed {
        self.set_error(Z_MEM_ERROR, Some(b"out of memory"));
        Failed
    }

    /// True while no error stops reading or writing (Z_OK or Z_BUF_ERROR).
    fn usable(&self) -> bool {
        self.err == Z_OK || self.err == Z_BUF_ERROR
    }

    /// gzread's (and its kin's) entry check: a read handle without a
    /// serious error; clears a Z_BUF_ERROR.
    fn begin_read(&mut self) -> bool {
        if !self.reading || (!self.usable() && !self.again) {
            return false;
        }
        self.set_error(Z_OK, None);
        true
    }

    /// gzwrite's (and its kin's) entry check: a write handle without an
    /// error; clears it.
    fn begin_write(&mut self) -> bool {
        if self.reading || (self.err != Z_OK && !self.again) {
            return false;
        }
        self.set_error(Z_OK, None);
        true
    }

    /// gzfread's and gzfwrite's length, `size * nitems`; an error where it
    /// overflows.
    fn items_len(&mut self, size: usize, nitems: usize) -> Option<usize> {
        let len = size.checked_mul(nitems);
        if len.is_none() {
            self.set_error(Z_STREAM_ERROR, Some(b"request does not fit in a size_t"));
        }
        len
    }

    /// gzerror: the error code and its message ("" for none).
    pub fn error(&self) -> (i32, &std::ffi::CStr) {
        let text = if self.err == Z_MEM_ERROR {
            c"out of memory"
        } else {
            self.msg.as_deref().unwrap_or(c"")
        };
        (self.err, text)
    }

    /// gzclearerr: clears the error and the end-of-file flags.
    pub fn clear_error(&mut self) {
        if self.reading {
            self.eof = false;
            self.past = false;
        }
        self.set_error(Z_OK, None);
    }

    /// gzbuffer: the buffer size, before the buffers exist; 0 or -1.
    pub fn set_buffer(&mut self, size: u32) -> i32 {
        if self.size != 0 || size.checked_mul(2).is_none() {
            return -1;
        }
        self.want = size.max(8) as usize;
        0
    }

    /// gzrewind: back to the start of a read file; 0 or -1.
    pub fn rewind(&mut self) -> i32 {
        if !self.reading || !self.usable() {
            return -1;
        }
        if self.file.seek(self.start, Whence::Start).is_none() {
            return -1;
        }
        self.reset();
        0
    }

    /// gzseek64 with `whence` 0 (SEEK_SET) or 1 (SEEK_CUR): the new
    /// position, or -1. The move happens lazily, at the next read or write.
    pub fn seek(&mut self, offset: i64, whence: i32) -> i64 {
        if !self.usable() || (whence != 0 && whence != 1) {
            return -1;
        }
        // As a move from the current position.
        let mut offset = if whence == 0 {
            offset.wrapping_sub(self.pos)
        } else {
            let pending = if self.past { 0 } else { self.skip };
            self.skip = 0;
            offset.wrapping_add(pending)
        };
        let target = self.pos.wrapping_add(offset);
        // Within plain data that is being copied: move the file itself.
        if self.reading && self.how == How::Copy && target >= 0 {
            let Some(moved) = offset.checked_sub(self.have as i64) else {
                return -1;
            };
            if self.file.seek(moved, Whence::Current).is_none() {
                return -1;
            }
            self.have = 0;
            self.eof = false;
            self.past = false;
            self.skip = 0;
            self.set_error(Z_OK, None);
            self.avail_in = 0;
            self.pos = target;
            return self.pos;
        }
        if offset < 0 {
            // Writing cannot go back; reading starts over and skips.
            if !self.reading || target < 0 || self.rewind() == -1 {
                return -1;
            }
            offset = target;
        }
        if self.reading {
            let n = (offset as u64).min(self.have as u64) as usize;
            self.have -= n;
            self.next += n;
            self.pos += n as i64;
            offset -= n as i64;
        }
        self.skip = offset;
        self.pos.wrapping_add(offset)
    }

    /// gztell64: the position in the uncompressed data.
    pub fn tell(&self) -> i64 {
        self.pos.wrapping_add(if self.past { 0 } else { self.skip })
    }

    /// gzoffset64: the offset in the file, less the input not yet used
    /// when reading; -1 if the file cannot tell.
    pub fn offset(&mut self) -> i64 {
        let Some(offset) = self.file.seek(0, Whence::Current) else {
            return -1;
        };
        if self.reading {
            offset - self.avail_in as i64
        } else {
            offset
        }
    }

    /// gzeof: a read went past the end of the data.
    pub fn eof(&self) -> bool {
        self.reading && self.past
    }

    /// The exposed `gzFile_s` fields: the output buffer, and `have` bytes
    /// ready at `next` (reading), with the position.
    pub fn exposed(&mut self) -> (&mut [u8], usize, usize, i64) {
        let next = if self.reading { self.next } else { 0 };
        (&mut self.output, self.have, next, self.pos)
    }

    /// Takes note of what the `gzgetc` macro did between calls: `taken`
    /// bytes of ready output consumed, and the position it left.
    pub fn sync_exposed(&mut self, taken: usize, pos: i64) {
        let taken = taken.min(self.have);
        self.have -= taken;
        self.next += taken;
        self.pos = pos;
    }

    /// gzclose_r or gzclose_w, whichever fits the handle.
    pub fn close(self) -> i32 {
        if self.reading {
            self.close_read()
        } else {
            self.close_write()
        }
    }

    /// Closes the descriptor: `code`, or Z_ERRNO where close() fails.
    fn close_file(self, code: i32) -> i32 {
        if self.file.close() {
            code
        } else {
            Z_ERRNO
        }
    }
}
