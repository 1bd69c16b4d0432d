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
    /// Bytes `filled..capacity` hold an earlier lap's output, all written
    /// (see [`LapWindow`]): matches may reach back into them.
    lap: bool,
    buffer: PhantomData<&'a mut [MaybeUninit<u8>]>,
}

impl<'a> Writer<'a> {
    /// A writer at the start of `buf`.
    pub fn new(buf: &'a mut [MaybeUninit<u8>]) -> Writer<'a> {
        Writer {
            start: buf.as_mut_ptr().cast(),
            capacity: buf.len(),
            filled: 0,
            lap: false,
            buffer: PhantomData,
        }
    }

    /// A writer over initialised bytes (a Rust caller's `&mut [u8]`).
    pub fn from_bytes(buf: &'a mut [u8]) -> Writer<'a> {
        Writer {
            start: buf.as_mut_ptr(),
            capacity: buf.len(),
            filled: 0,
            lap: false,
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
            lap: false,
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

    /// Runs `f` on a writer over the next `n` bytes of room (`n <=
    /// remaining()`), then counts what it wrote as written here: a call
    /// that may use only part of the room, as zlib's `uncompress` feeds
    /// inflate at most 4 GiB of room per call.
    pub fn write_next<R>(&mut self, n: usize, f: impl FnOnce(&mut Writer<'_>) -> R) -> R {
        assert!(n <= self.remaining(), "output full");
        // SAFETY: the `n` bytes after `filled` are within the buffer, and
        // this writer does not touch them while `sub` lives.
        let at = unsafe { self.start.add(self.filled) };
        let mut sub = Writer {
            start: at,
            capacity: n,
            filled: 0,
            lap: false,
            buffer: PhantomData,
        };
        let result = f(&mut sub);
        // Only bytes `sub` wrote in this very buffer count (`f` could have
        // swapped in another writer).
        if sub.start == at && sub.filled <= n {
            self.filled += sub.filled;
        }
        result
    }

    /// A copy of this writer to be held in a local, which counts what it
    /// writes as written here when it is dropped. Hot loops write through
    /// the copy: its fields never escape, so the compiler keeps them in
    /// registers instead of reloading them after each store through the
    /// buffer pointer, which as far as it knows might alias them.
    #[inline(always)]
    pub fn detach(&mut self) -> Detached<'_, 'a> {
        let copy = Writer {
            start: self.start,
            capacity: self.capacity,
            filled: self.filled,
            lap: self.lap,
            buffer: PhantomData,
        };
        Detached { parent: self, copy }
    }

    /// Runs `f` on a copy of this writer, then counts what the copy wrote
    /// as written here: for a call from a hot loop that is not inlined,
    /// which then never sees this writer's address, so the loop keeps the
    /// writer's fields in registers (see [`Writer::detach`]).
    #[inline(always)]
    pub fn with_copy<R>(&mut self, f: impl FnOnce(&mut Writer<'_>) -> R) -> R {
        let mut copy = Writer {
            start: self.start,
            capacity: self.capacity,
            filled: self.filled,
            lap: self.lap,
            buffer: PhantomData,
        };
        let result = f(&mut copy);
        // Only bytes the copy wrote in this very buffer count.
        if copy.start == self.start && copy.capacity == self.capacity {
            self.filled = copy.filled.min(self.capacity);
        }
        result
    }

    /// Forgets the bytes written after the first `len` (`len <= len()`),
    /// to write them again; they stay in the buffer meanwhile.
    #[inline(always)]
    pub fn truncate(&mut self, len: usize) {
        assert!(len <= self.filled, "truncate past the end");
        self.filled = len;
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

    /// [`Writer::copy_match`] with fixed-size moves for the matches inflate
    /// meets most: short ones whose source lies wholly in the written bytes
    /// (two overlapping moves instead of a call to `memcpy`), and short
    /// periods (an 8-byte pattern stored repeatedly). Writes exactly `len`
    /// bytes, as `copy_match` does.
    ///
    /// # Panics
    /// Unless `1 <= dist <= len()` and `len <= remaining()`.
    #[inline(always)]
    pub fn copy_match_short(&mut self, dist: usize, len: usize) {
        self.copy_match_short_by::<false>(dist, len);
    }

    /// [`Writer::copy_match_short`] with the bulk loop's moves for short
    /// matches (see `move_quick`).
    ///
    /// # Panics
    /// Unless `1 <= dist <= len()` and `len <= remaining()`.
    #[inline(always)]
    pub fn copy_match_quick(&mut self, dist: usize, len: usize) {
        self.copy_match_short_by::<true>(dist, len);
    }

    /// [`Writer::copy_match_short`], with [`move_quick`] for a source
    /// that does not overlap its target when `QUICK`.
    #[inline(always)]
    fn copy_match_short_by<const QUICK: bool>(&mut self, dist: usize, len: usize) {
        assert!(
            dist >= 1 && dist <= self.filled && len <= self.remaining(),
            "bad match"
        );
        let start = self.filled;
        if dist >= len && len <= 32 {
            // SAFETY: the source `start - dist .. start - dist + len` ends at
            // or below `start`, within the written bytes; the target is the
            // `len` bytes after them, within the buffer.
            unsafe {
                let (src, dst) = (self.start.add(start - dist), self.start.add(start));
                if QUICK {
                    move_quick(src, dst, len);
                } else {
                    move_small(src, dst, len);
                }
            }
            self.filled = start + len;
        } else if QUICK && (8..16).contains(&dist) && len > dist {
            // The period's first and last 8 bytes, read once from before the
            // match and stored at each period's start and end: no store
            // reads bytes this match has just written (a read that
            // straddles two recent stores waits until they reach the cache,
            // which the 8-byte chunks below do for periods of 9 to 15).
            // SAFETY: the loads lie in the period, `start - dist .. start`,
            // written bytes (`dist <= start`, `dist >= 8`); every store lies
            // within the match: `at + dist <= len` in the loop, and the last
            // one ends at `len > dist >= 8`.
            unsafe {
                let dst = self.start.add(start);
                let src = dst.sub(dist);
                let load = |p: *const u8| u64::from_le_bytes(ptr::read_unaligned(p.cast()));
                let store = |p: *mut u8, v: u64| ptr::write_unaligned(p.cast(), v.to_le_bytes());
                let first = load(src);
                let last = load(dst.sub(8));
                let mut at = 0;
                while at + dist <= len {
                    store(dst.add(at), first);
                    store(dst.add(at + dist - 8), last);
                    at += dist;
                }
                // The `rest < dist` bytes after the whole periods: the
                // period's first 8 when `rest >= 8` (else stored where the
                // next store overwrites them), then the 8 bytes that end the
                // match: of the period when `rest >= 8`, else the end of the
                // last period and the start of the next (the second shift
                // in two: by 64 for `rest == 0`).
                let rest = len - at;
                store(dst.add(at.min(len - 8)), first);
                let within = load(src.add(rest.max(8) - 8));
                let across =
                    (last >> (8 * rest.min(7))) | ((first << 8) << (8 * (7 - rest.min(7))));
                store(dst.add(len - 8), if rest >= 8 { within } else { across });
            }
            self.filled = start + len;
        } else if !QUICK && (8..16).contains(&dist) && len > dist {
            // 8-byte chunks: each one's source ends at least 8 bytes back,
            // so it is written before it is read; the last chunk ends at
            // the match's end.
            let mut at = 0;
            while at + 8 <= len {
                // SAFETY: the source `start - dist + at .. + 8` ends at or
                // below `start + at`, within the written bytes; the target
                // is within the match.
                unsafe {
                    move_small(
                        self.start.add(start - dist + at),
                        self.start.add(start + at),
                        8,
                    )
                };
                at += 8;
            }
            if at < len {
                // SAFETY: as above, for the chunk that ends at `start + len`
                // (`len > dist >= 8`).
                unsafe {
                    move_small(
                        self.start.add(start + len - 8 - dist),
                        self.start.add(start + len - 8),
                        8,
                    )
                };
            }
            self.filled = start + len;
        } else if QUICK && dist < 8 && len > dist && start >= 8 {
            // The period spread over 16 bytes in a register, from one load
            // of the 8 bytes before the match (no bytes gathered one by one
            // into memory and read back as a word, which waits for the
            // bytes to reach the cache); its first 8 stored at steps of
            // the largest multiple of `dist` that fits in 8, each in phase;
            // then the 8 bytes that end the match, from the spread period
            // at the phase where they start. A match under 8 bytes takes
            // the first bytes of the spread period. (Both period paths kept
            // out of line, one copy for all loops, to save their code: 5-10%
            // slower through every group. Instead the quick copies leave
            // out the two older period paths below; the rare period before
            // 8 bytes are written takes `copy_match`.)
            const STEP: [usize; 8] = [8, 8, 8, 6, 8, 5, 6, 7];
            // SAFETY: the load lies in the written bytes (`start >= 8`),
            // every store within the match (`at + 8 <= len` in the loop,
            // and `len >= 8` for the last), or `len < 8` bytes of a local.
            unsafe {
                let dst = self.start.add(start);
                let before = u64::from_le_bytes(ptr::read_unaligned(dst.sub(8).cast()));
                let period = u128::from(before >> (64 - 8 * dist));
                let spread = period.wrapping_mul(SPREAD[dist]);
                let head = (spread as u64).to_le_bytes();
                if len >= 8 {
                    let step = STEP[dist];
                    let mut at = 0;
                    while at + 8 <= len {
                        ptr::write_unaligned(dst.add(at).cast(), head);
                        at += step;
                    }
                    // `at` is in phase and `len - at < 8`.
                    let phase = TAIL_PHASE[dist][len - at];
                    let tail = ((spread >> (8 * phase)) as u64).to_le_bytes();
                    ptr::write_unaligned(dst.add(len - 8).cast(), tail);
                } else {
                    move_quick(head.as_ptr(), dst, len);
                }
            }
            self.filled = start + len;
        } else if !QUICK && dist < 8 && len > dist {
            // The last `dist` bytes repeated to fill 8; stored at steps of
            // the largest multiple of `dist` that fits in 8, so each store
            // starts in phase. The tail (under 8 bytes) starts in phase too.
            const STEP: [usize; 8] = [8, 8, 8, 6, 8, 5, 6, 7];
            let mut pattern = [0u8; 8];
            let period = self.last(dist);
            for (i, byte) in pattern.iter_mut().enumerate() {
                *byte = period[i % dist];
            }
            let step = STEP[dist];
            let mut at = 0;
            while at + 8 <= len {
                // SAFETY: `start + at + 8 <= start + len <= capacity`.
                unsafe {
                    ptr::write_unaligned(self.start.add(start + at).cast::<[u8; 8]>(), pattern)
                };
                at += step;
            }
            // SAFETY: `len - at < 8` bytes of the pattern after `start + at`,
            // within the match; the pattern is a local.
            unsafe { move_small(pattern.as_ptr(), self.start.add(start + at), len - at) };
            self.filled = start + len;
        } else {
            self.copy_match(dist, len);
        }
    }

    /// [`Writer::copy_match_short`] with AVX-512 masked moves, which write
    /// and read exactly the bytes a mask selects: a match of up to 64 bytes
    /// is one load and one store whatever its length, and a short period is
    /// spread over a whole vector once, then stored in phase.
    ///
    /// # Panics
    /// Unless `1 <= dist <= len()` and `len <= remaining()`.
    ///
    /// # Safety
    /// The CPU has AVX-512 F, BW and VBMI, and BMI2. (Not a target-feature
    /// function, so that it is inlined into the caller's loop, which is.)
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    #[inline(always)]
    pub unsafe fn copy_match_avx512(&mut self, dist: usize, len: usize) {
        use core::arch::x86_64::{
            _mm512_mask_storeu_epi8, _mm512_permutexvar_epi8, _mm512_storeu_epi8,
        };
        assert!(
            dist >= 1 && dist <= self.filled && len <= self.remaining(),
            "bad match"
        );
        let start = self.filled;
        // SAFETY (both blocks): the source starts `dist` bytes back within
        // the written bytes, the target is the `len` bytes after them.
        if dist >= len || dist >= 64 {
            // Each 64-byte step reads only bytes written before it.
            unsafe { forward_avx512(self.start.add(start - dist), self.start.add(start), len) };
        } else {
            unsafe {
                let period = load_avx512(self.start.add(start - dist), dist);
                let lanes = period_lanes(dist);
                let pattern = _mm512_permutexvar_epi8(lanes, period);
                let dst = self.start.add(start);
                // Stores start at multiples of the period: all in phase.
                let step = 64 - 64 % dist;
                let mut at = 0;
                while len - at > 64 {
                    _mm512_storeu_epi8(dst.add(at).cast(), pattern);
                    at += step;
                }
                _mm512_mask_storeu_epi8(dst.add(at).cast(), mask_avx512(len - at), pattern);
            }
        }
        self.filled = start + len;
    }

    /// [`Writer::extend_short`] with AVX-512 masked moves (see
    /// [`Writer::copy_match_avx512`]).
    ///
    /// # Panics
    /// When they do not fit.
    ///
    /// # Safety
    /// The CPU has AVX-512 F, BW and VBMI, and BMI2. (Not a target-feature
    /// function, so that it is inlined into the caller's loop, which is.)
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    #[inline(always)]
    pub unsafe fn extend_avx512(&mut self, bytes: &[u8]) {
        assert!(bytes.len() <= self.remaining(), "output full");
        // SAFETY: the bytes fit after `filled`; a Rust slice cannot overlap
        // the part of the buffer this writer has not written.
        unsafe { forward_avx512(bytes.as_ptr(), self.start.add(self.filled), bytes.len()) };
        self.filled += bytes.len();
    }

    /// [`Writer::copy_from_lap`] with AVX-512 masked moves (see
    /// [`Writer::copy_match_avx512`]).
    ///
    /// # Panics
    /// Unless `n <= beyond <= lap_reach()` and `n <= remaining()`.
    ///
    /// # Safety
    /// The CPU has AVX-512 F, BW and VBMI, and BMI2. (Not a target-feature
    /// function, so that it is inlined into the caller's loop, which is.)
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    #[inline(always)]
    pub unsafe fn copy_from_lap_avx512(&mut self, beyond: usize, n: usize) {
        assert!(
            n <= beyond && beyond <= self.lap_reach() && n <= self.remaining(),
            "bad match"
        );
        let from = self.capacity - beyond;
        let to = self.filled;
        // SAFETY: as in `copy_from_lap`; the source starts at or ahead of
        // the target, so a forward copy reads each byte before it is
        // overwritten.
        unsafe { forward_avx512(self.start.add(from), self.start.add(to), n) };
        self.filled = to + n;
    }

    /// [`Writer::extend`] with fixed-size moves for short runs (up to 32
    /// bytes), such as matches copied from a history buffer.
    ///
    /// # Panics
    /// When they do not fit.
    #[inline(always)]
    pub fn extend_short(&mut self, bytes: &[u8]) {
        assert!(bytes.len() <= self.remaining(), "output full");
        if bytes.len() <= 32 {
            // SAFETY: the bytes fit after `filled`; a Rust slice cannot
            // overlap the part of the buffer this writer has not written.
            unsafe { move_small(bytes.as_ptr(), self.start.add(self.filled), bytes.len()) };
            self.filled += bytes.len();
        } else {
            self.extend(bytes);
        }
    }

    /// Appends `bytes` with `memmove`: a C caller that decompresses in
    /// place puts its input at the tail of the output buffer, and a stored
    /// block's bytes are then copied forward onto themselves, as zlib's
    /// `memcpy` copies them.
    ///
    /// # Panics
    /// When they do not fit.
    #[inline(always)]
    pub fn extend_from_input(&mut self, bytes: &[u8]) {
        assert!(bytes.len() <= self.remaining(), "output full");
        // SAFETY: the target fits after `filled`; `copy` allows overlap.
        unsafe { ptr::copy(bytes.as_ptr(), self.start.add(self.filled), bytes.len()) };
        self.filled += bytes.len();
    }

    /// Whether the bytes after the written ones hold an earlier lap, all
    /// written (see [`LapWindow`]).
    #[inline(always)]
    pub fn has_lap(&self) -> bool {
        self.lap
    }

    /// How far back past the written bytes matches may reach into an
    /// earlier lap (see [`LapWindow`]): the bytes after them, or none.
    #[inline(always)]
    pub fn lap_reach(&self) -> usize {
        if self.lap {
            self.capacity - self.filled
        } else {
            0
        }
    }

    /// Appends the `n` bytes of the earlier lap that start `beyond` bytes
    /// back past the written ones: at `capacity - beyond`, which is at or
    /// after the end of the written bytes, so the source lies at or ahead
    /// of the target and a forward move gives the LZ77 result.
    ///
    /// # Panics
    /// Unless `n <= beyond <= lap_reach()` and `n <= remaining()`.
    #[inline(always)]
    pub fn copy_from_lap(&mut self, beyond: usize, n: usize) {
        assert!(
            n <= beyond && beyond <= self.lap_reach() && n <= self.remaining(),
            "bad match"
        );
        let from = self.capacity - beyond;
        let to = self.filled;
        // SAFETY: the source `from..from + n` ends at or below `capacity`
        // and lies in the earlier lap's written bytes (`lap`); the target
        // `to..to + n` is within the buffer. They overlap only when the
        // source starts inside the target, ahead of it, where `copy` (a
        // memmove) reads each byte before it is overwritten.
        unsafe {
            let (src, dst) = (self.start.add(from), self.start.add(to));
            if from >= to + n && n <= 32 {
                move_small(src, dst, n);
            } else {
                ptr::copy(src, dst, n);
            }
        }
        self.filled = to + n;
    }

    /// In a ring window ([`LapWindow`]), appends the match of `len` bytes
    /// `distance` back when it is short (up to 32 bytes) and its source
    /// lies wholly in this lap's written bytes, ending at or before the
    /// match starts, or wholly in the earlier lap's bytes after them, and
    /// returns `true`; else writes nothing and returns `false`. The source
    /// is found without a branch on which lap it lies in (a branch that
    /// text, whose match distances spread over the whole window,
    /// mispredicts often), and the test that it is one of those is the
    /// safety check as well. Moves of `move_quick`.
    #[inline(always)]
    pub fn copy_ring_quick(&mut self, distance: usize, len: usize) -> bool {
        let Some(from) = self.ring_span(distance, len, 32) else {
            return false;
        };
        let to = self.filled;
        // SAFETY: the source `from..from + len` lies in written bytes and
        // the target `to..to + len` within the buffer (`ring_span`).
        // `move_quick` loads all `len` bytes before it stores any, so a
        // source ahead of the target may overlap it.
        unsafe { move_quick(self.start.add(from), self.start.add(to), len) };
        self.filled = to + len;
        true
    }

    /// [`Writer::copy_ring_quick`] for matches of up to 64 bytes, as one
    /// AVX-512 masked load and store.
    ///
    /// # Safety
    /// The CPU has AVX-512 F and BW, and BMI2. (Not a target-feature
    /// function, so that it is inlined into the caller's loop, which is.)
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    #[inline(always)]
    pub unsafe fn copy_ring_avx512(&mut self, distance: usize, len: usize) -> bool {
        use core::arch::x86_64::_mm512_mask_storeu_epi8;
        let Some(from) = self.ring_span(distance, len, 64) else {
            return false;
        };
        let to = self.filled;
        // SAFETY: as in `copy_ring_quick`; all `len` bytes are loaded
        // before any is stored, and the caller vouches for the CPU.
        unsafe {
            let bytes = load_avx512(self.start.add(from), len);
            _mm512_mask_storeu_epi8(self.start.add(to).cast(), mask_avx512(len), bytes);
        }
        self.filled = to + len;
        true
    }

    /// Where the source of the match of `len` bytes `distance` back in a
    /// ring window starts, when the match is at most `most` bytes long, fits
    /// in the room left, and its source lies wholly in this lap's written
    /// bytes, ending at or before the match starts, or wholly in the
    /// earlier lap's bytes after them, all written; else `None`. One test,
    /// which is the safety check of the copies too, and no branch on which
    /// lap the source lies in.
    #[inline(always)]
    fn ring_span(&self, distance: usize, len: usize, most: usize) -> Option<usize> {
        let to = self.filled;
        let earlier = distance > to;
        // Where the source starts: in this lap, or `distance - to` bytes
        // back from the window's end in the earlier one (any value when
        // `distance` reaches past both: the test below fails then).
        let from = if earlier {
            (to + self.capacity).wrapping_sub(distance)
        } else {
            to - distance
        };
        // Where the source's side ends: this lap's written bytes, or the
        // window's end when the earlier lap is all written (else none).
        let side_end = match (earlier, self.lap) {
            (false, _) => to,
            (true, true) => self.capacity,
            (true, false) => 0,
        };
        let quick =
            len <= most && from.saturating_add(len) <= side_end && len <= self.capacity - to;
        quick.then_some(from)
    }

    /// Appends `n <= 32` bytes with the fixed-size moves of
    /// [`Writer::extend_short`]: when `inside`, the written bytes at `from`
    /// (which must end at or before the written ones end, so that they do
    /// not overlap their target), else `other[at..at + n]`. The source is
    /// chosen without a branch: a match's in a stream whose history lies
    /// in another buffer, where which side the source lies in mispredicts
    /// often.
    ///
    /// # Panics
    /// Unless the chosen source lies within its bytes, `n <= 32` and `n <=
    /// remaining()`.
    #[inline(always)]
    pub fn copy_short_either(
        &mut self,
        inside: bool,
        from: usize,
        other: &[u8],
        at: usize,
        n: usize,
    ) {
        let to = self.filled;
        let source = self.either_source(inside, from, other, at, n, 32);
        // SAFETY: the source's `n` bytes lie in the written bytes, ending at
        // or before the target starts, or in `other`, a Rust slice
        // (`either_source`); the target `to..to + n` lies within the
        // buffer.
        unsafe { move_quick(source, self.start.add(to), n) };
        self.filled = to + n;
    }

    /// Where [`Writer::copy_short_either`] and its AVX-512 form read: `from`
    /// in the written bytes when `inside`, else `at` in `other`.
    ///
    /// # Panics
    /// Unless the `n` bytes there lie within those bytes, `n <= most` and
    /// `n <= remaining()`.
    #[inline(always)]
    fn either_source(
        &self,
        inside: bool,
        from: usize,
        other: &[u8],
        at: usize,
        n: usize,
        most: usize,
    ) -> *const u8 {
        let to = self.filled;
        let (base, limit, offset) = if inside {
            (self.start.cast_const(), to, from)
        } else {
            (other.as_ptr(), other.len(), at)
        };
        assert!(
            offset.saturating_add(n) <= limit && n <= most && n <= self.capacity - to,
            "bad span"
        );
        // The offset is within the chosen bytes (checked above), so the
        // pointer stays inside their allocation.
        base.wrapping_add(offset)
    }

    /// [`Writer::copy_short_either`] of at most 64 bytes as one AVX-512
    /// masked load and store.
    ///
    /// # Panics
    /// Unless the chosen source lies within its bytes, `n <= 64` and `n <=
    /// remaining()`.
    ///
    /// # Safety
    /// The CPU has AVX-512 F and BW, and BMI2. (Not a target-feature
    /// function, so that it is inlined into the caller's loop, which is.)
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    #[inline(always)]
    pub unsafe fn copy_either_avx512(
        &mut self,
        inside: bool,
        from: usize,
        other: &[u8],
        at: usize,
        n: usize,
    ) {
        use core::arch::x86_64::_mm512_mask_storeu_epi8;
        let to = self.filled;
        let source = self.either_source(inside, from, other, at, n, 64);
        // SAFETY: as in `copy_short_either`; the masks select exactly the
        // `n` bytes, and the caller vouches for the CPU.
        unsafe {
            let bytes = load_avx512(source, n);
            _mm512_mask_storeu_epi8(self.start.add(to).cast(), mask_avx512(n), bytes);
        }
        self.filled = to + n;
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

/// A writer's copy (see [`Writer::detach`]); derefs to it.
#[derive(Debug)]
pub struct Detached<'p, 'a> {
    parent: &'p mut Writer<'a>,
    copy: Writer<'p>,
}

impl<'p> core::ops::Deref for Detached<'p, '_> {
    type Target = Writer<'p>;
    #[inline(always)]
    fn deref(&self) -> &Writer<'p> {
        &self.copy
    }
}

impl<'p> core::ops::DerefMut for Detached<'p, '_> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut Writer<'p> {
        &mut self.copy
    }
}

impl Drop for Detached<'_, '_> {
    #[inline(always)]
    fn drop(&mut self) {
        // Only bytes the copy wrote in this very buffer count (the copy
        // could have been replaced by another writer).
        if self.copy.start == self.parent.start && self.copy.capacity == self.parent.capacity {
            self.parent.filled = self.copy.filled.min(self.parent.capacity);
        }
    }
}

/// A window written in laps, as `inflateBack` writes the caller's: output
/// fills it from the start, is handed out when the window is full
/// ([`LapWindow::part`]), and writing starts over at the beginning
/// ([`LapWindow::rewind`]), so that matches reach back into the previous
/// lap.
///
/// Its bytes may be uninitialised, and zlib's fast loop may copy window
/// bytes nobody wrote ([`LapWindow::copy_within`] copies them as they
/// are). So the window tracks what it knows: that the bytes of the current
/// lap are all written (`clean`), and that the previous lap is too
/// (`full`). Only then does it lend out a [`Writer`], whose reads must see
/// written bytes.
#[derive(Debug)]
pub struct LapWindow<'a> {
    start: *mut u8,
    capacity: usize,
    /// Bytes of the current lap written so far.
    put: usize,
    /// Bytes `..put` were all written (none copied from unwritten bytes).
    clean: bool,
    /// `clean`, and bytes `put..` hold the previous lap, all written.
    full: bool,
    buffer: PhantomData<&'a mut [MaybeUninit<u8>]>,
}

impl<'a> LapWindow<'a> {
    /// A window over `buf`, which may be uninitialised, at its first lap.
    pub fn new(buf: &'a mut [MaybeUninit<u8>]) -> LapWindow<'a> {
        LapWindow {
            start: buf.as_mut_ptr().cast(),
            capacity: buf.len(),
            put: 0,
            clean: true,
            full: false,
            buffer: PhantomData,
        }
    }

    /// Bytes written in this lap.
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.put
    }

    /// Whether nothing was written in this lap.
    #[inline(always)]
    pub fn is_empty(&self) -> bool {
        self.put == 0
    }

    /// The window's size.
    #[inline(always)]
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Room left in this lap.
    #[inline(always)]
    pub fn remaining(&self) -> usize {
        self.capacity - self.put
    }

    /// A writer at the current position, for the bytes of this lap: `None`
    /// unless they are all written.
    fn writer(&mut self) -> Option<Writer<'_>> {
        self.clean.then_some(Writer {
            start: self.start,
            capacity: self.capacity,
            filled: self.put,
            lap: self.full,
            buffer: PhantomData,
        })
    }

    /// Runs `f` on a [`Writer`] that continues this lap, whose matches may
    /// reach back into the previous lap when it is all written; what `f`
    /// writes counts as written here. `None` (and `f` is not run) when
    /// this lap holds bytes copied from bytes nobody wrote.
    pub fn write<R>(&mut self, f: impl FnOnce(&mut Writer<'_>) -> R) -> Option<R> {
        let (start, capacity) = (self.start, self.capacity);
        let mut out = self.writer()?;
        let result = f(&mut out);
        // Only a writer over this very window counts (`f` could have
        // swapped in another one).
        if out.start == start && out.capacity == capacity && out.filled <= capacity {
            self.put = out.filled;
        }
        Some(result)
    }

    /// Appends one byte.
    ///
    /// # Panics
    /// When the lap is full.
    pub fn push(&mut self, byte: u8) {
        assert!(self.put < self.capacity, "window full");
        // SAFETY: `put < capacity`: within the window.
        unsafe { self.start.add(self.put).write(byte) };
        self.put += 1;
    }

    /// Appends `bytes` (input, which does not overlap the window).
    ///
    /// # Panics
    /// When they do not fit.
    pub fn extend_from_input(&mut self, bytes: &[u8]) {
        assert!(bytes.len() <= self.remaining(), "window full");
        // SAFETY: the target fits after `put`; `copy` allows overlap.
        unsafe { ptr::copy(bytes.as_ptr(), self.start.add(self.put), bytes.len()) };
        self.put += bytes.len();
    }

    /// Appends the `n` window bytes at `from`, as a forward byte-by-byte
    /// copy does (a source just behind the target repeats it; one ahead of
    /// it is read before it is overwritten). The source may hold bytes
    /// nobody wrote, when `from` is ahead of this lap and there is no
    /// previous lap: they are copied as they are, and this lap is then no
    /// longer known to be written.
    ///
    /// # Panics
    /// Unless `from + n <= capacity()` and `n <= remaining()`.
    pub fn copy_within(&mut self, from: usize, n: usize) {
        assert!(
            from <= self.capacity && n <= self.capacity - from && n <= self.remaining(),
            "bad copy"
        );
        let to = self.put;
        // Behind the target, the source is this lap's written bytes or
        // bytes this copy writes first; ahead of it, the previous lap's.
        let known = if from < to { self.clean } else { self.full };
        // SAFETY (both blocks): the ranges are within the window; the
        // copies are untyped, so bytes nobody wrote are never read as
        // values.
        if from >= to || to - from >= n {
            unsafe { ptr::copy(self.start.add(from), self.start.add(to), n) };
        } else {
            // The source overlaps the target from behind: one period at a
            // time, each written before it is read.
            let period = to - from;
            let mut done = 0;
            while done < n {
                let step = period.min(n - done);
                unsafe {
                    ptr::copy_nonoverlapping(
                        self.start.add(from + done),
                        self.start.add(to + done),
                        step,
                    )
                };
                done += step;
            }
        }
        self.put = to + n;
        if !known {
            self.clean = false;
            self.full = false;
        }
    }

    /// Forgets the bytes written in this lap after the first `len`, to
    /// write them again (`len <= len()`).
    pub fn truncate(&mut self, len: usize) {
        assert!(len <= self.put, "truncate past the end");
        self.put = len;
    }

    /// The bytes written in this lap, to hand out.
    pub fn part(&mut self) -> WindowPart<'_> {
        WindowPart {
            start: self.start,
            len: self.put,
            written: self.clean,
            buffer: PhantomData,
        }
    }

    /// Starts the next lap once this one fills the window; its bytes are
    /// then the previous lap's.
    ///
    /// # Panics
    /// Unless the window is full.
    pub fn rewind(&mut self) {
        assert!(self.put == self.capacity, "window not full");
        self.full = self.clean;
        self.clean = true;
        self.put = 0;
    }
}

/// Window bytes handed to their consumer (`inflateBack`'s `out()`), which
/// may change them: later matches copy what it leaves. Only written bytes
/// are lent as `&mut [u8]`; a raw pointer serves code that takes the bytes
/// as they are, such as a C callback.
#[derive(Debug)]
pub struct WindowPart<'a> {
    start: *mut u8,
    len: usize,
    written: bool,
    buffer: PhantomData<&'a mut [MaybeUninit<u8>]>,
}

impl WindowPart<'_> {
    /// The number of bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes, if all of them were written (some may have been copied
    /// from bytes nobody wrote).
    pub fn written(&mut self) -> Option<&mut [u8]> {
        // SAFETY: the part lies within the window and was written (`written`);
        // the window lends it to nothing else while `self` lives.
        self.written
            .then(|| unsafe { core::slice::from_raw_parts_mut(self.start, self.len) })
    }

    /// The bytes' address, for writing through: whatever is written there
    /// must be initialised bytes (any `u8` is).
    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.start
    }
}

/// The low `n` bits set (`n <= 64`): the bytes a masked move takes.
///
/// # Safety
/// The CPU has BMI2.
#[cfg(all(target_arch = "x86_64", not(miri)))]
#[inline(always)]
unsafe fn mask_avx512(n: usize) -> u64 {
    // SAFETY: the caller vouches for BMI2.
    unsafe { core::arch::x86_64::_bzhi_u64(!0, n as u32) }
}

/// Loads the `n <= 64` bytes at `src` into the low lanes of a vector, and
/// zeros in the rest, reading nothing else.
///
/// # Safety
/// `src` is readable for `n` bytes; the CPU has AVX-512 F and BW, and BMI2.
#[cfg(all(target_arch = "x86_64", not(miri)))]
#[inline(always)]
unsafe fn load_avx512(src: *const u8, n: usize) -> core::arch::x86_64::__m512i {
    // SAFETY: only the first `n` bytes are read (the mask's).
    unsafe { core::arch::x86_64::_mm512_maskz_loadu_epi8(mask_avx512(n), src.cast()) }
}

/// Copies `n` bytes from `src` to `dst` forward, 64 at a time (the last
/// step masked to end exactly at `n`), each step's load before its store.
///
/// # Safety
/// `src` is readable and `dst` writable for `n` bytes, and no step reads
/// what an earlier step wrote unless it is the value meant: the ranges do
/// not overlap, or `src` is at or after `dst`, or 64 or more bytes before.
/// The CPU has AVX-512 F and BW, and BMI2.
#[cfg(all(target_arch = "x86_64", not(miri)))]
#[inline(always)]
unsafe fn forward_avx512(src: *const u8, dst: *mut u8, n: usize) {
    use core::arch::x86_64::{_mm512_loadu_epi8, _mm512_mask_storeu_epi8, _mm512_storeu_epi8};
    let mut at = 0;
    // SAFETY (both blocks): every move lies within the first `n` bytes.
    while n - at > 64 {
        unsafe { _mm512_storeu_epi8(dst.add(at).cast(), _mm512_loadu_epi8(src.add(at).cast())) };
        at += 64;
    }
    unsafe {
        let tail = load_avx512(src.add(at), n - at);
        _mm512_mask_storeu_epi8(dst.add(at).cast(), mask_avx512(n - at), tail);
    }
}

/// Byte indices that spread a period of `d < 32` bytes over a vector:
/// row `d` holds `i % d` in lane `i`, and row 0 holds `i`.
#[cfg(all(target_arch = "x86_64", not(miri)))]
static PERIOD_LANES: [[u8; 64]; 32] = {
    let mut table = [[0u8; 64]; 32];
    let mut d = 0;
    while d < 32 {
        let mut i = 0;
        while i < 64 {
            table[d][i] = if d == 0 { i as u8 } else { (i % d) as u8 };
            i += 1;
        }
        d += 1;
    }
    table
};

/// `i % d` in lane `i`, for `1 <= d < 64`: from [`PERIOD_LANES`] below 32;
/// from 32 on a lane is `i`, less `d` where `i >= d` (a table of all 64
/// rows was 2 KB more of the library).
///
/// # Safety
/// The CPU has AVX-512 F and BW.
#[cfg(all(target_arch = "x86_64", not(miri)))]
#[inline(always)]
unsafe fn period_lanes(d: usize) -> core::arch::x86_64::__m512i {
    use core::arch::x86_64::{
        _mm512_cmpge_epu8_mask, _mm512_loadu_epi8, _mm512_mask_sub_epi8, _mm512_set1_epi8,
    };
    // SAFETY: the rows are 64 readable bytes; the caller vouches for the
    // CPU.
    unsafe {
        match PERIOD_LANES.get(d) {
            Some(row) => _mm512_loadu_epi8(row.as_ptr().cast()),
            None => {
                let lanes = _mm512_loadu_epi8(PERIOD_LANES[0].as_ptr().cast());
                let period = _mm512_set1_epi8(d as i8);
                let past = _mm512_cmpge_epu8_mask(lanes, period);
                _mm512_mask_sub_epi8(lanes, past, lanes, period)
            }
        }
    }
}

/// Multipliers that spread a period of `d < 8` bytes (the low bytes of a
/// number) over 16: row `d` has a 1 at every multiple of `d` bytes.
const SPREAD: [u128; 8] = {
    let mut table = [0u128; 8];
    let mut d = 1;
    while d < 8 {
        let mut at = 0;
        while at < 16 {
            table[d] |= 1 << (8 * at);
            at += d;
        }
        d += 1;
    }
    table
};

/// For a period of `d < 8` bytes and `rest < 8` bytes left after a point in
/// phase: the phase at which the 8 bytes that end `rest` bytes after that
/// point start (the `8 - rest` bytes before the point, rounded up to whole
/// periods, less those bytes).
const TAIL_PHASE: [[usize; 8]; 8] = {
    let mut table = [[0; 8]; 8];
    let mut d = 1;
    while d < 8 {
        let mut rest = 0;
        while rest < 8 {
            let back = 8 - rest;
            table[d][rest] = back.div_ceil(d) * d - back;
            rest += 1;
        }
        d += 1;
    }
    table
};

/// Copies `n <= 32` bytes from `src` to `dst` with at most two pairs of
/// fixed-size moves (the second ending exactly at `n`), all loads before
/// all stores: the ranges may overlap (as `memmove`).
///
/// # Safety
/// `src` is readable and `dst` writable for `n` bytes.
#[inline(always)]
unsafe fn move_small(src: *const u8, dst: *mut u8, n: usize) {
    // SAFETY: the caller's guarantee.
    unsafe { move_upto_32::<false>(src, dst, n) }
}

/// [`move_small`] for the bulk loop's matches: 3 to 12 bytes take one path
/// (three 4-byte moves at offsets clamped to end at `n`, and two 2-byte
/// ones for 3 bytes), where branches at 4 and 8 mispredict often: match
/// lengths on text straddle 8, and on binary data many are 3. A few
/// instructions more at each place it is inlined, so only the bulk loop's
/// copies use it.
///
/// # Safety
/// As for [`move_small`].
#[inline(always)]
unsafe fn move_quick(src: *const u8, dst: *mut u8, n: usize) {
    // SAFETY: the caller's guarantee.
    unsafe { move_upto_32::<true>(src, dst, n) }
}

/// [`move_small`] (`CLAMPED` false) or [`move_quick`] (true).
///
/// # Safety
/// As for [`move_small`].
#[inline(always)]
unsafe fn move_upto_32<const CLAMPED: bool>(src: *const u8, dst: *mut u8, n: usize) {
    debug_assert!(n <= 32);
    // SAFETY (every block below): both moves lie within the first `n`
    // bytes of the ranges, which the caller vouches for.
    macro_rules! two {
        ($t:ty, $w:expr) => {{
            unsafe {
                let a = ptr::read_unaligned(src.cast::<$t>());
                let b = ptr::read_unaligned(src.add(n - $w).cast::<$t>());
                ptr::write_unaligned(dst.cast::<$t>(), a);
                ptr::write_unaligned(dst.add(n - $w).cast::<$t>(), b);
            }
        }};
    }
    if n >= 16 {
        two!([u8; 16], 16)
    } else if if CLAMPED { n > 12 } else { n >= 8 } {
        two!([u8; 8], 8)
    } else if CLAMPED && n >= 3 {
        // 3 to 12 bytes (see `move_quick`): two 2-byte moves at 0 and `n -
        // 2`, and three 4-byte moves at offsets clamped to end at `n`, which
        // for 3 bytes go to a scratch buffer instead (chosen without a
        // branch). Without the 2-byte moves, a branch at 4 (RZLIB_CPU=avx2,
        // all inputs) cost 3% through inflate and 4% through inflateBack,
        // though kennedy.xls, with few lengths above 3, gains 3-5% with it.
        // Four 4-byte moves for 4 to 15 bytes measured faster on dickens
        // through inflate than three and a branch at 13, slower on
        // kennedy.xls and ooffice through inflateBack.
        let wide = n >= 4;
        let mut scratch = [0u8; 4];
        // One pointer for the scratch buffer's loads and stores.
        let spare = scratch.as_mut_ptr();
        let (from, to) = if wide {
            (src, dst)
        } else {
            (spare.cast_const(), spare)
        };
        let last = n.max(4) - 4;
        let at = [0, last.min(4), last];
        // SAFETY: each move lies within the first `n` bytes (`at[i] + 4 <=
        // n` when `wide`), or within `scratch` (every `at[i]` is 0).
        unsafe {
            let head = ptr::read_unaligned(src.cast::<[u8; 2]>());
            let tail = ptr::read_unaligned(src.add(n - 2).cast::<[u8; 2]>());
            let words = at.map(|i| ptr::read_unaligned(from.add(i).cast::<[u8; 4]>()));
            ptr::write_unaligned(dst.cast::<[u8; 2]>(), head);
            ptr::write_unaligned(dst.add(n - 2).cast::<[u8; 2]>(), tail);
            for (i, word) in at.into_iter().zip(words) {
                ptr::write_unaligned(to.add(i).cast::<[u8; 4]>(), word);
            }
        }
    } else if n >= 4 {
        two!([u8; 4], 4)
    } else if n >= 2 {
        two!([u8; 2], 2)
    } else if n == 1 {
        // SAFETY: one byte each.
        unsafe { dst.write(src.read()) }
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

    /// The AVX-512 copy, every period and overlap, where the CPU has it.
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    #[test]
    fn avx512_matches_copy_like_lz77_and_stop_at_their_end() {
        let usable = std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512bw")
            && std::arch::is_x86_feature_detected!("avx512vbmi")
            && std::arch::is_x86_feature_detected!("bmi2");
        if !usable {
            return;
        }
        let history: Vec<u8> = (0..300u32).map(|i| (i * 7 + i / 13) as u8).collect();
        for dist in (1..=70).chain([127, 128, 300]) {
            for len in (1..=140).chain([200, 258]) {
                let mut buf = [MaybeUninit::new(0xa5u8); 700];
                let mut w = Writer::new(&mut buf);
                w.extend(&history);
                // SAFETY: the CPU has what the copy needs (checked above).
                unsafe { w.copy_match_avx512(dist, len) };
                let want = reference(&history, dist, len);
                assert_eq!(w.filled(), &want[..], "dist {dist} len {len}");
                // SAFETY: the test initialised the whole buffer.
                let rest = buf[want.len()..].iter().map(|b| unsafe { b.assume_init() });
                assert!(rest.into_iter().all(|b| b == 0xa5), "dist {dist} len {len}");
            }
        }
    }

    #[test]
    fn short_matches_copy_like_lz77_and_stop_at_their_end() {
        let history: Vec<u8> = (0..100u32).map(|i| (i * 13 + i / 5) as u8).collect();
        let step = if cfg!(miri) { 5 } else { 1 };
        // `copy_match_short`, then `copy_match_quick`.
        let copies: [fn(&mut Writer, usize, usize); 2] = [
            |w, d, l| w.copy_match_short(d, l),
            |w, d, l| w.copy_match_quick(d, l),
        ];
        for copy in copies {
            for dist in (1..=60).step_by(step) {
                // Under Miri, the sample has every path of the quick moves.
                let extra: &[usize] = if cfg!(miri) { &[3, 4, 9, 13, 15] } else { &[] };
                for len in (1..=80).step_by(step).chain(extra.iter().copied()) {
                    let mut buf = [MaybeUninit::<u8>::uninit(); 200];
                    let mut w = Writer::new(&mut buf);
                    w.extend_short(&history[..50]);
                    w.extend_short(&history[50..]);
                    copy(&mut w, dist, len);
                    assert_eq!(
                        w.filled(),
                        &reference(&history, dist, len)[..],
                        "{dist} {len}"
                    );
                    // Nothing past the match was written: checked with a
                    // guard pattern (uninitialised bytes cannot be compared).
                    let mut guarded = [0x5au8; 200];
                    let mut w = Writer::from_bytes(&mut guarded);
                    w.extend(&history);
                    copy(&mut w, dist, len);
                    let end = w.len();
                    assert!(guarded[end..].iter().all(|&b| b == 0x5a), "{dist} {len}");
                }
            }
        }
    }

    #[test]
    fn short_copies_from_either_side_stop_at_their_end() {
        let written: Vec<u8> = (0..40u32).map(|i| (i * 11 + 1) as u8).collect();
        let other: Vec<u8> = (0..50u32).map(|i| (i * 7 + 2) as u8).collect();
        let step = if cfg!(miri) { 6 } else { 1 };
        let extra: &[usize] = if cfg!(miri) { &[3, 4, 9, 13, 15] } else { &[] };
        for n in (0..=32).step_by(step).chain(extra.iter().copied()) {
            for inside in [false, true] {
                let sources = if inside { written.len() } else { other.len() };
                for from in (0..=sources - n).step_by(step) {
                    let mut buf = [MaybeUninit::<u8>::uninit(); 80];
                    let mut w = Writer::new(&mut buf);
                    w.extend(&written);
                    w.copy_short_either(inside, from, &other, from, n);
                    let source = if inside { &written } else { &other };
                    let mut want = written.clone();
                    want.extend_from_slice(&source[from..from + n]);
                    assert_eq!(w.filled(), &want[..], "{inside} {from} {n}");
                    let mut guarded = [0x5au8; 80];
                    let mut w = Writer::from_bytes(&mut guarded);
                    w.extend(&written);
                    w.copy_short_either(inside, from, &other, from, n);
                    let end = w.len();
                    assert!(
                        guarded[end..].iter().all(|&b| b == 0x5a),
                        "{inside} {from} {n}"
                    );
                }
            }
        }
    }

    #[test]
    fn matches_reach_back_into_the_previous_lap() {
        // A 64-byte window: a lap of known bytes, then matches of every
        // length and distance that reach back past the new lap's start.
        let lap: Vec<u8> = (0..64u32).map(|i| (i * 29 + 3) as u8).collect();
        let step = if cfg!(miri) { 5 } else { 1 };
        for written in (0..20).step_by(step) {
            for distance in (written + 1..=64).step_by(step) {
                for len in (1..=(64 - written).min(40)).step_by(step) {
                    let mut buf = [MaybeUninit::<u8>::uninit(); 64];
                    let mut window = LapWindow::new(&mut buf);
                    window.extend_from_input(&lap);
                    window.rewind();
                    window.extend_from_input(&lap[..written]);
                    // By the definition: the ring's bytes one at a time.
                    let mut ring = lap.clone();
                    for at in written..written + len {
                        ring[at] = ring[(at + 64 - distance) % 64];
                    }
                    let copied = window.write(|out| {
                        assert_eq!(out.lap_reach(), 64 - written);
                        let beyond = distance - written;
                        out.copy_from_lap(beyond, beyond.min(len));
                        if len > beyond {
                            out.copy_match_short(distance, len - beyond);
                        }
                        out.filled().to_vec()
                    });
                    let what = format!("written {written} distance {distance} len {len}");
                    assert_eq!(copied.as_deref(), Some(&ring[..written + len]), "{what}");
                    // The rest of the window is the previous lap's, untouched.
                    let mut part = window.part();
                    assert_eq!(part.len(), written + len);
                    assert!(part.written().is_some(), "{what}");
                    window.extend_from_input(&lap[written + len..]);
                    let mut whole = window.part();
                    assert_eq!(whole.written().map(|b| b.to_vec()), Some(ring), "{what}");
                }
            }
        }
    }

    #[test]
    fn spans_copy_from_either_side_and_stop_at_their_end() {
        // A 64-byte window: a lap of known bytes, then `written` bytes of
        // the next, then spans from behind and from the previous lap.
        let lap: Vec<u8> = (0..64u32).map(|i| (i * 37 + 5) as u8).collect();
        #[cfg(all(target_arch = "x86_64", not(miri)))]
        let avx512 = is_x86_feature_detected!("avx512f")
            && is_x86_feature_detected!("avx512bw")
            && is_x86_feature_detected!("bmi2");
        let step = if cfg!(miri) { 7 } else { 1 };
        for written in (1..60).step_by(step) {
            for from in (0..64).step_by(step) {
                for n in (1..=(64 - written)).step_by(step) {
                    let source_ok = if from < written {
                        from + n <= written
                    } else {
                        from + n <= 64
                    };
                    if !source_ok {
                        continue;
                    }
                    let mut want = lap.clone();
                    want[..written].copy_from_slice(&lap[64 - written..]);
                    let source = want[from..from + n].to_vec();
                    want[written..written + n].copy_from_slice(&source);
                    let distance = if from < written {
                        written - from
                    } else {
                        written + 64 - from
                    };
                    // 0: `copy_ring_quick`, which takes spans of up to 32
                    // bytes; 1: its AVX-512 form, up to 64.
                    let mut kinds = vec![0];
                    #[cfg(all(target_arch = "x86_64", not(miri)))]
                    if avx512 {
                        kinds.push(1);
                    }
                    for kind in kinds {
                        let mut buf = [MaybeUninit::<u8>::uninit(); 64];
                        let got = {
                            let mut window = LapWindow::new(&mut buf);
                            window.extend_from_input(&lap);
                            window.rewind();
                            window.extend_from_input(&lap[64 - written..]);
                            let taken = window.write(|out| match kind {
                                0 => out.copy_ring_quick(distance, n),
                                // SAFETY: the CPU has the features (checked).
                                #[cfg(all(target_arch = "x86_64", not(miri)))]
                                _ => unsafe { out.copy_ring_avx512(distance, n) },
                                #[cfg(not(all(target_arch = "x86_64", not(miri))))]
                                _ => unreachable!("no AVX-512 here"),
                            });
                            if taken != Some(true) {
                                // Declined: only spans longer than it takes.
                                let most = if kind == 0 { 32 } else { 64 };
                                assert!(n > most, "{written} {from} {n} kind {kind}");
                                continue;
                            }
                            let mut part = window.part();
                            part.written().map(|bytes| bytes.to_vec())
                        };
                        let what = format!("written {written} from {from} n {n} kind {kind}");
                        assert_eq!(got.as_deref(), Some(&want[..written + n]), "{what}");
                        // The rest of the previous lap is untouched.
                        // SAFETY: every byte was written (a whole lap).
                        let all: Vec<u8> = buf.iter().map(|b| unsafe { b.assume_init() }).collect();
                        assert_eq!(all, want, "{what}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_lap_is_lent_out_only_while_it_is_all_written() {
        let mut buf = [MaybeUninit::<u8>::uninit(); 16];
        let mut window = LapWindow::new(&mut buf);
        window.push(b'a');
        window.extend_from_input(b"bc");
        // Behind the target: written bytes, repeated.
        window.copy_within(1, 5);
        assert_eq!(window.part().written().as_deref(), Some(&b"abcbcbcb"[..]));
        // No earlier lap yet: nothing to reach back into.
        assert_eq!(window.write(|out| out.lap_reach()), Some(0));
        // Ahead of the target in the first lap: bytes nobody wrote.
        window.copy_within(12, 2);
        assert_eq!(window.len(), 10);
        assert!(window.part().written().is_none());
        assert!(window.write(|_| ()).is_none());
        window.extend_from_input(b"klmnop");
        window.rewind();
        // A fresh lap is written, but the previous one is not known to be.
        assert_eq!(window.write(|out| out.lap_reach()), Some(0));
        window.extend_from_input(&[7; 16]);
        window.rewind();
        assert_eq!(window.write(|out| out.lap_reach()), Some(16));
        // A writer swapped for another one does not count.
        window.write(|out| {
            out.push(1);
            *out = Writer::empty();
        });
        assert!(window.is_empty());
    }

    #[test]
    fn input_is_appended() {
        let mut bytes = *b"........";
        let mut w = Writer::from_bytes(&mut bytes);
        w.extend_from_input(b"abc");
        w.extend_from_input(b"de");
        assert_eq!(w.filled(), b"abcde");
        assert_eq!(&bytes, b"abcde...");
    }

    #[test]
    fn write_next_counts_what_the_inner_writer_wrote() {
        let mut buf = [MaybeUninit::<u8>::uninit(); 16];
        let mut w = Writer::new(&mut buf);
        w.push(b'a');
        let got = w.write_next(4, |sub| {
            sub.extend(b"bcd");
            sub.remaining()
        });
        assert_eq!(got, 1);
        w.write_next(3, |sub| *sub = Writer::empty());
        w.copy_match_short(2, 3);
        assert_eq!(w.filled(), b"abcdcdc");
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
