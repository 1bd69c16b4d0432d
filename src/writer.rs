//! Output into memory that may be uninitialised.
//!
//! C callers hand zlib output buffers straight from `malloc`: their bytes
//! have never been written. Reading such a byte, or making a `&[u8]` over
//! it, is undefined behaviour in Rust, so the core never sees the caller's
//! output as bytes. It writes through a [`Writer`], which counts how much it
//! has filled and lends out only the filled part. It writes nothing past
//! what it produces: the caller's bytes after the output stay exactly as
//! they were, as zlib leaves them.
//!
//! A writer made by the C boundary holds the caller's pointer rather than a
//! `&mut` slice, so no reference ever asserts that the output is unaliased:
//! a caller whose gzip header buffers overlap the output gets overlapping
//! writes, as with zlib, not undefined behaviour.
//!
//! This is the one core module with `unsafe`, in a few audited places that
//! write within the buffer and read back what this writer has written.

use core::marker::PhantomData;
use core::mem::MaybeUninit;
use core::ptr;

/// A cursor over an output buffer whose bytes may be uninitialised. Bytes
/// `..len()` have been written through it; the rest are never read and
/// never written until the writer reaches them.
#[derive(Debug)]
pub struct Writer<'a> {
    start: *mut u8,
    capacity: usize,
    filled: usize,
    buffer: PhantomData<&'a mut [MaybeUninit<u8>]>,
}

impl<'a> Writer<'a> {
    /// A writer at the start of `buf`.
    pub fn new(buf: &'a mut [MaybeUninit<u8>]) -> Writer<'a> {
        Writer {
            start: buf.as_mut_ptr().cast(),
            capacity: buf.len(),
            filled: 0,
            buffer: PhantomData,
        }
    }

    /// A writer over initialised bytes (a Rust caller's `&mut [u8]`).
    pub fn from_bytes(buf: &'a mut [u8]) -> Writer<'a> {
        Writer {
            start: buf.as_mut_ptr(),
            capacity: buf.len(),
            filled: 0,
            buffer: PhantomData,
        }
    }

    /// A writer over `len` bytes at `start`, for the C boundary.
    ///
    /// # Safety
    /// `start` is valid for writes of `len` bytes for `'a` (it may be NULL
    /// or dangling when `len` is 0), those bytes may be uninitialised, and
    /// nothing reads or writes them through a Rust reference meanwhile.
    pub unsafe fn from_raw(start: *mut u8, len: usize) -> Writer<'a> {
        Writer {
            start: if len == 0 {
                ptr::NonNull::dangling().as_ptr()
            } else {
                start
            },
            capacity: len,
            filled: 0,
            buffer: PhantomData,
        }
    }

    /// An empty writer (no output space).
    pub fn empty() -> Writer<'a> {
        Writer::from_bytes(&mut [])
    }

    /// The bytes written so far.
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.filled
    }

    /// Whether nothing has been written.
    #[inline(always)]
    pub fn is_empty(&self) -> bool {
        self.filled == 0
    }

    /// The whole buffer's size.
    #[inline(always)]
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Room left after the written bytes.
    #[inline(always)]
    pub fn remaining(&self) -> usize {
        self.capacity - self.filled
    }

    /// The bytes written so far.
    #[inline(always)]
    pub fn filled(&self) -> &[u8] {
        // SAFETY: the buffer is valid for `capacity >= filled` bytes, and
        // every byte below `filled` was written through this writer (or was
        // initialised already, for `from_bytes`).
        unsafe { core::slice::from_raw_parts(self.start, self.filled) }
    }

    /// The last `n` bytes written (`n <= len()`).
    #[inline(always)]
    pub fn last(&self, n: usize) -> &[u8] {
        &self.filled()[self.filled - n..]
    }

    /// Appends one byte.
    ///
    /// # Panics
    /// When the buffer is full (callers check [`Writer::remaining`]).
    #[inline(always)]
    pub fn push(&mut self, byte: u8) {
        assert!(self.filled < self.capacity, "output full");
        // SAFETY: `filled < capacity`: within the buffer.
        unsafe { self.start.add(self.filled).write(byte) };
        self.filled += 1;
    }

    /// Appends `bytes`.
    ///
    /// # Panics
    /// When they do not fit (callers check [`Writer::remaining`]).
    #[inline(always)]
    pub fn extend(&mut self, bytes: &[u8]) {
        assert!(bytes.len() <= self.remaining(), "output full");
        // SAFETY: the bytes fit after `filled`; `bytes` is a Rust slice,
        // which cannot overlap the part of the buffer not yet written that
        // this writer alone has the right to.
        unsafe {
            ptr::copy_nonoverlapping(bytes.as_ptr(), self.start.add(self.filled), bytes.len())
        };
        self.filled += bytes.len();
    }

    /// Appends the `len` bytes that start `dist` bytes back (an LZ77 match:
    /// overlapping when `dist < len`, repeating the last `dist` bytes).
    ///
    /// Writes exactly `len` bytes. Wide copies are used where they stay
    /// inside the match: long matches as 16-byte chunks and a last chunk
    /// that ends at the match's end, short periods by doubling.
    ///
    /// # Panics
    /// Unless `1 <= dist <= len()` and `len <= remaining()`.
    #[inline(always)]
    pub fn copy_match(&mut self, dist: usize, len: usize) {
        assert!(
            dist >= 1 && dist <= self.filled && len <= self.remaining(),
            "bad match"
        );
        let start = self.filled;
        let end = start + len;
        let from = start - dist;
        if dist >= len {
            // The source lies wholly in the written bytes.
            self.copy_back(from, start, len);
        } else if dist >= 16 {
            // Each 16-byte chunk's source is written before it is read.
            let mut at = 0;
            while at + 16 <= len {
                self.copy_back(from + at, start + at, 16);
                at += 16;
            }
            if at < len {
                self.copy_back(from + len - 16, end - 16, 16);
            }
        } else {
            // A short period: copy whole periods from the match's source,
            // doubling what each copy takes, until the match is done.
            let mut at = 0;
            while at < len {
                let n = (dist + at).min(len - at);
                self.copy_back(from, start + at, n);
                at += n;
            }
        }
        self.filled = end;
    }

    /// Copies `n` bytes at `from` to `to..to + n`, where `from + n <= to`
    /// and `to + n <= capacity`; the source is already written.
    #[inline(always)]
    fn copy_back(&mut self, from: usize, to: usize, n: usize) {
        debug_assert!(from + n <= to && to + n <= self.capacity);
        // SAFETY: both ranges are within the buffer and disjoint; the
        // source ends at or below `to`, which the callers keep at or below
        // the bytes written so far plus what this match has written.
        unsafe { ptr::copy_nonoverlapping(self.start.add(from), self.start.add(to), n) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// LZ77 by the definition: one byte at a time.
    fn reference(history: &[u8], dist: usize, len: usize) -> Vec<u8> {
        let mut out = history.to_vec();
        for _ in 0..len {
            out.push(out[out.len() - dist]);
        }
        out
    }

    #[test]
    fn matches_copy_like_lz77_and_stop_at_their_end() {
        let history: Vec<u8> = (0..300u32).map(|i| (i * 7 + i / 13) as u8).collect();
        // Miri runs a sample of the matrix (every copy path still).
        let step = if cfg!(miri) { 7 } else { 1 };
        for dist in (1..40).step_by(step).chain([64, 65, 300]) {
            for len in (1..70).step_by(step).chain([100, 258]) {
                let mut buf = [MaybeUninit::new(0xa5u8); 700];
                let mut w = Writer::new(&mut buf);
                w.extend(&history);
                w.copy_match(dist, len);
                let want = reference(&history, dist, len);
                assert_eq!(w.filled(), &want[..], "dist {dist} len {len}");
                // Nothing past the match was touched.
                // SAFETY: the test initialised the whole buffer.
                let rest = buf[want.len()..].iter().map(|b| unsafe { b.assume_init() });
                assert!(rest.into_iter().all(|b| b == 0xa5), "dist {dist} len {len}");
            }
        }
    }

    #[test]
    fn an_uninitialised_buffer_is_only_written() {
        let mut buf = [MaybeUninit::<u8>::uninit(); 64];
        let mut w = Writer::new(&mut buf);
        w.push(b'a');
        w.extend(b"bcd");
        w.copy_match(4, 12);
        w.copy_match(1, 5);
        assert_eq!(w.filled(), b"abcdabcdabcdabcdddddd");
        assert_eq!(w.last(3), b"ddd");
        assert_eq!(w.remaining(), 64 - 21);
    }

    #[test]
    fn from_bytes_keeps_the_rest() {
        let mut bytes = *b"..........";
        let mut w = Writer::from_bytes(&mut bytes);
        w.extend(b"xy");
        w.copy_match(2, 3);
        assert_eq!(w.len(), 5);
        assert_eq!(&bytes, b"xyxyx.....");
    }
}
