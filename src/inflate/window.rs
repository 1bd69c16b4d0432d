//! The sliding window: the last `wsize` bytes of output from earlier calls,
//! kept circularly as zlib keeps them (`wsize`, `whave`, `wnext`), so that
//! matches may reach back across calls and `inflateGetDictionary` returns
//! what zlib returns. Like zlib's, its `1 << wbits` bytes are allocated the
//! first time the window is used (never, for a stream inflated in one call
//! with Z_FINISH), from the stream's [`Memory`](crate::memory::Memory).

use core::ops::DerefMut;

use crate::writer::Writer;

/// The largest window deflate uses.
pub const MAX_WINDOW: usize = 1 << 15;

/// A circular history buffer in storage `B`, allocated on first use.
pub struct Window<B> {
    buf: Option<B>,
    /// Logical size; 0 until the window is first used.
    size: usize,
    /// Bytes of valid history, at most `size`.
    have: usize,
    /// Where the next byte goes.
    next: usize,
}

/// A read-only view of a window's history, for the decoders.
#[derive(Clone, Copy)]
pub struct History<'a> {
    buf: &'a [u8],
    size: usize,
    have: usize,
    next: usize,
}

impl<B: DerefMut<Target = [u8]>> Window<B> {
    /// An unused window.
    pub fn new() -> Self {
        Window {
            buf: None,
            size: 0,
            have: 0,
            next: 0,
        }
    }

    /// A copy with its own storage from `copy`, which gets this one's
    /// (zlib's inflateCopy); `None` if `copy` refuses.
    pub fn try_clone(&self, copy: impl FnOnce(&[u8]) -> Option<B>) -> Option<Self> {
        let buf = match &self.buf {
            Some(buf) => Some(copy(buf)?),
            None => None,
        };
        Some(Window {
            buf,
            size: self.size,
            have: self.have,
            next: self.next,
        })
    }

    /// Whether the storage is allocated (zlib's `window != Z_NULL`).
    #[cfg(test)]
    pub fn allocated(&self) -> bool {
        self.buf.is_some()
    }

    /// The history, for the decoders.
    #[inline(always)]
    pub fn history(&self) -> History<'_> {
        History {
            buf: self.buf.as_deref().unwrap_or(&[]),
            size: self.size,
            have: self.have,
            next: self.next,
        }
    }

    /// Forgets the history and the size (zlib's `inflateReset`).
    pub fn clear(&mut self) {
        self.size = 0;
        self.have = 0;
        self.next = 0;
    }

    /// Whether the window has been put in use (`wsize != 0`).
    pub fn in_use(&self) -> bool {
        self.size != 0
    }

    /// Bytes of history held.
    pub fn have(&self) -> usize {
        self.have
    }

    /// Appends the tail of `recent` (the output just written) to the
    /// history, first sizing the window to `1 << wbits` if it is not in use
    /// and allocating its storage with `allocate` if it has none of that
    /// size. Returns `false` when `allocate` refuses (zlib's updatewindow
    /// failing), with the history unchanged.
    #[must_use]
    pub fn update(
        &mut self,
        wbits: u32,
        recent: &[u8],
        allocate: impl FnOnce(usize) -> Option<B>,
    ) -> bool {
        // The size is fixed while the window is in use, as zlib's wsize.
        let wanted = if self.size != 0 {
            self.size
        } else {
            (1usize << wbits.min(15)).min(MAX_WINDOW)
        };
        if self.buf.as_ref().is_none_or(|b| b.len() != wanted) {
            // zlib frees a window of another size when windowBits change.
            self.buf = None;
            match allocate(wanted) {
                Some(buf) => self.buf = Some(buf),
                None => return false,
            }
        }
        if self.size == 0 {
            self.size = wanted;
            self.next = 0;
            self.have = 0;
        }
        let size = self.size;
        let Some(buf) = self.buf.as_deref_mut() else {
            return false;
        };
        if recent.len() >= size {
            let tail = &recent[recent.len() - size..];
            buf[..size].copy_from_slice(tail);
            self.next = 0;
            self.have = size;
            return true;
        }
        let to_end = (size - self.next).min(recent.len());
        let (first, rest) = recent.split_at(to_end);
        if let Some(dst) = buf.get_mut(self.next..self.next + to_end) {
            dst.copy_from_slice(first);
        }
        if !rest.is_empty() {
            buf[..rest.len()].copy_from_slice(rest);
            self.next = rest.len();
            self.have = size;
        } else {
            self.next += to_end;
            if self.next == size {
                self.next = 0;
            }
            if self.have < size {
                self.have += to_end;
            }
        }
        true
    }

    /// See [`History::copy_back`].
    #[inline(always)]
    pub fn copy_back(&self, distance: usize, len: usize, out: &mut Writer) {
        self.history().copy_back(distance, len, out);
    }

    /// Appends the history, oldest byte first, to `out` (as much as fits).
    pub fn copy_history(&self, out: &mut Writer) {
        let Some(buf) = self.buf.as_deref() else {
            return;
        };
        let older = self.have - self.next.min(self.have);
        let room = out.remaining();
        if let Some(src) = buf.get(self.next..self.next + older.min(room)) {
            out.extend(src);
        }
        let n = (room - older.min(room)).min(self.next);
        if let Some(src) = buf.get(..n) {
            out.extend(src);
        }
    }
}

impl History<'_> {
    /// Bytes of history held.
    #[inline(always)]
    pub fn have(&self) -> usize {
        self.have
    }

    /// The history's storage (its bytes `..size` are the ring; empty when
    /// the window is not in use).
    #[inline(always)]
    pub fn storage(&self) -> &[u8] {
        self.buf
    }

    /// Where in the storage the history byte `distance` back from its end
    /// lies, and how many bytes from there on are history and may be read
    /// in one go: up to the ring's end and at most `distance`. Computed
    /// without a branch, for any `distance` (meaningless unless the window
    /// is in use and `1 <= distance <= have`).
    #[inline(always)]
    pub fn span_of(&self, distance: usize) -> (usize, usize) {
        let at =
            self.next.wrapping_add(self.size).wrapping_sub(distance) & self.size.wrapping_sub(1);
        (at, self.size.wrapping_sub(at).min(distance))
    }

    /// Where in the buffer the history byte `distance` back from its end
    /// lies, if the history reaches that far.
    #[inline(always)]
    fn start_of(&self, distance: usize) -> Option<usize> {
        if distance > self.have || self.size == 0 {
            return None;
        }
        // The size is a power of two: a mask wraps without a division.
        Some((self.next + self.size - distance) & (self.size - 1))
    }

    /// Appends to `out` the `len` bytes of history that start `distance`
    /// bytes back from its end (`len <= distance <= have`); nothing when
    /// the history does not reach that far.
    #[inline(always)]
    pub fn copy_back(&self, distance: usize, len: usize, out: &mut Writer) {
        // Matches are short: fixed-size moves beat a call to memcpy.
        self.copy_back_by(distance, len, out, |out, src| out.extend_short(src));
    }

    /// [`History::copy_back`], appending each piece with `put`.
    #[inline(always)]
    pub fn copy_back_by(
        &self,
        distance: usize,
        len: usize,
        out: &mut Writer,
        put: impl Fn(&mut Writer, &[u8]),
    ) {
        let Some(start) = self.start_of(distance) else {
            return;
        };
        let first = (self.size - start).min(len);
        if let Some(src) = self.buf.get(start..start + first) {
            put(out, src);
        }
        if let Some(src) = self.buf.get(..len - first) {
            if !src.is_empty() {
                put(out, src);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(window: &Window<Vec<u8>>) -> Vec<u8> {
        let mut out = vec![0; window.have()];
        window.copy_history(&mut Writer::from_bytes(&mut out));
        out
    }

    #[test]
    fn wraps_like_zlib() {
        let mut window: Window<Vec<u8>> = Window::new();
        let data: Vec<u8> = (0..=255).cycle().take(700).map(|b: u16| b as u8).collect();
        assert!(window.update(8, &data[..100], |n| Some(vec![0; n])));
        assert_eq!(history(&window), data[..100]);
        assert!(window.update(8, &data[100..300], |n| Some(vec![0; n])));
        assert_eq!(history(&window), data[44..300]);
        assert!(window.update(8, &data[300..700], |n| Some(vec![0; n])));
        assert_eq!(history(&window), data[444..700]);
        let mut got = [0u8; 5];
        window.copy_back(10, 5, &mut Writer::from_bytes(&mut got));
        assert_eq!(got, data[690..695]);
    }

    #[test]
    fn storage_comes_on_first_use_and_refusal_changes_nothing() {
        let mut window: Window<Vec<u8>> = Window::new();
        assert!(!window.allocated());
        assert!(!window.update(9, b"abc", |_| None));
        assert!(!window.allocated());
        assert_eq!(window.have(), 0);
        assert!(window.update(9, b"abc", |n| {
            assert_eq!(n, 512);
            Some(vec![0; n])
        }));
        assert_eq!(history(&window), b"abc");
        // The same size again: no new storage asked for.
        assert!(window.update(9, b"de", |_| None));
        assert_eq!(history(&window), b"abcde");
    }

    #[test]
    fn copy_back_spans_the_wrap_point() {
        let mut window: Window<Vec<u8>> = Window::new();
        let data: Vec<u8> = (0..=255)
            .cycle()
            .take(400)
            .map(|b: u16| (b * 7) as u8)
            .collect();
        assert!(window.update(8, &data[..256], |n| Some(vec![0; n])));
        assert!(window.update(8, &data[256..300], |n| Some(vec![0; n])));
        // The oldest 212 bytes sit at the end of the buffer, the newest 44 at its start.
        for (distance, len) in [(50, 3), (50, 6), (50, 17), (60, 40), (256, 256), (45, 45)] {
            let mut got = vec![0xAAu8; len + 1];
            window.copy_back(distance, len, &mut Writer::from_bytes(&mut got[..len]));
            assert_eq!(got[..len], data[300 - distance..300 - distance + len]);
            assert_eq!(got[len], 0xAA, "nothing written past the copy");
        }
    }
}
