//! Output into memory that may be uninitialised.
//!
//! C callers hand zlib output buffers straight from `malloc`: their bytes
//! have never been written. Reading such a byte, or making a `&[u8]` over
//! it, is undefined behaviour in Rust, so the core never sees the caller's
//! output as bytes. It writes through a [`Writer`], which owns the view as
//! `MaybeUninit<u8>`, counts how much it has filled, and lends out only the
//! filled part. It writes nothing past what it produces: the caller's bytes
//! after the output stay exactly as they were, as zlib leaves them.
//!
//! This is the one core module with `unsafe`: two audited blocks that read
//! bytes this writer itself has written.

use core::mem::MaybeUninit;

/// A cursor over an output buffer whose bytes may be uninitialised. Bytes
/// `..len()` have been written through it; the rest are never read and
/// never written until the writer reaches them.
#[derive(Debug)]
pub struct Writer<'a> {
    buf: &'a mut [MaybeUninit<u8>],
    filled: usize,
}

impl<'a> Writer<'a> {
    /// A writer at the start of `buf`.
    pub fn new(buf: &'a mut [MaybeUninit<u8>]) -> Writer<'a> {
        Writer { buf, filled: 0 }
    }

    /// A writer over initialised bytes (a Rust caller's `&mut [u8]`).
    pub fn from_bytes(buf: &'a mut [u8]) -> Writer<'a> {
        // SAFETY: `MaybeUninit<u8>` has the layout of `u8`, and the writer
        // only ever stores initialised bytes, so the slice stays valid as
        // `[u8]` for the caller when the borrow ends.
        let buf = unsafe { &mut *(buf as *mut [u8] as *mut [MaybeUninit<u8>]) };
        Writer::new(buf)
    }

    /// An empty writer (no output space).
    pub fn empty() -> Writer<'a> {
        Writer::new(&mut [])
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
        self.buf.len()
    }

    /// Room left after the written bytes.
    #[inline(always)]
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.filled
    }

    /// The bytes written so far.
    #[inline(always)]
    pub fn filled(&self) -> &[u8] {
        let written = &self.buf[..self.filled];
        // SAFETY: every byte below `filled` was written through this writer
        // (or came initialised, for `from_bytes`); `MaybeUninit<u8>` has the
        // layout of `u8`.
        unsafe { &*(written as *const [MaybeUninit<u8>] as *const [u8]) }
    }

    /// The last `n` bytes written (`n <= len()`).
    #[inline(always)]
    pub fn last(&self, n: usize) -> &[u8] {
        &self.filled()[self.filled - n..]
    }

    /// Appends one byte. The caller has checked `remaining() >= 1`.
    #[inline(always)]
    pub fn push(&mut self, byte: u8) {
        self.buf[self.filled] = MaybeUninit::new(byte);
        self.filled += 1;
    }

    /// Appends `bytes`. The caller has checked `remaining() >= bytes.len()`.
    #[inline(always)]
    pub fn extend(&mut self, bytes: &[u8]) {
        let end = self.filled + bytes.len();
        self.buf[self.filled..end].write_copy_of_slice(bytes);
        self.filled = end;
    }

    /// Appends the `len` bytes that start `dist` bytes back (an LZ77 match:
    /// overlapping when `dist < len`, repeating the last `dist` bytes).
    /// The caller has checked `1 <= dist <= len()` and `len <= remaining()`.
    ///
    /// Writes exactly `len` bytes. Wide copies are used where they stay
    /// inside the match: short matches as two overlapping words, long ones
    /// as 16-byte chunks and a last chunk that ends at the match's end.
    #[inline(always)]
    pub fn copy_match(&mut self, dist: usize, len: usize) {
        let start = self.filled;
        let end = start + len;
        let from = start - dist;
        if dist >= len {
            // The source lies wholly in the written bytes.
            self.copy_disjoint(from, start, len);
        } else if dist >= 16 {
            // Each 16-byte chunk's source is written before it is read.
            let mut at = 0;
            while at + 16 <= len {
                self.copy_disjoint(from + at, start + at, 16);
                at += 16;
            }
            if at < len {
                self.copy_disjoint(from + len - 16, end - 16, 16);
            }
        } else {
            // A short period: copy whole periods from the match's source,
            // doubling what each copy takes, until the match is done.
            let mut at = 0;
            while at < len {
                let n = (dist + at).min(len - at);
                self.copy_disjoint(from, start + at, n);
                at += n;
            }
        }
        self.filled = end;
    }

    /// Copies `n` written bytes at `from` to `to..to + n`, which does not
    /// overlap them (`from + n <= to`), all within the buffer.
    #[inline(always)]
    fn copy_disjoint(&mut self, from: usize, to: usize, n: usize) {
        let (head, tail) = self.buf.split_at_mut(to);
        let source = &head[from..from + n];
        // SAFETY: `from + n <= to <= filled + ...`: the caller copies only
        // bytes below the write position, which this writer has written.
        let source = unsafe { &*(source as *const [MaybeUninit<u8>] as *const [u8]) };
        tail[..n].write_copy_of_slice(source);
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
