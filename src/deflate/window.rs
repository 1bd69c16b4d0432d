//! The window: zlib's fill_window, which slides it when strstart nears its
//! end and reads input behind the lookahead, and the bounds of a match.

use super::io::DeflateIo;
use super::machine::{Deflater, MAX_MATCH, MIN_LOOKAHEAD, MIN_MATCH};
use crate::memory::{Grow, Memory};

/// How far past the data the searches read: a string to compare, and a
/// word past it.
const READ_MARGIN: usize = 2 * MAX_MATCH;

impl<M: Memory> Deflater<M> {
    /// zlib's MAX_DIST: the farthest match distance kept clear of the
    /// lookahead.
    #[inline(always)]
    pub(crate) fn max_dist(&self) -> usize {
        self.w_size - MIN_LOOKAHEAD
    }

    #[inline(always)]
    pub(crate) fn byte(&self, at: usize) -> u8 {
        self.window.get(at).copied().unwrap_or(0)
    }

    /// zlib's window_size: the window's bytes, usable or not yet.
    #[inline(always)]
    pub(crate) fn window_size(&self) -> usize {
        2 * self.w_size
    }

    /// Makes the window usable (zeroed) past `end`, the end of the data
    /// about to be written, by the searches' read margin, and `prev` for
    /// every position before it. Memory from a caller's allocator starts
    /// unusable (see [`Grow`]): a stream of a few KB zeroes only what it
    /// reaches, as zlib touches no more (its fresh pages cost more than its
    /// compression). Past 4 KB, or 2 KB at levels that walk long chains,
    /// it gets all of it at once: the searches' fast paths need the fixed
    /// sizes (without them level 9 takes a third longer on 3 KB of an
    /// executable).
    pub(crate) fn grow_window(&mut self, end: usize) {
        let size = self.window_size();
        let want = end + READ_MARGIN;
        if want <= self.window.len() {
            return;
        }
        let len = if want > size / 16 || (want > size / 32 && self.long_chains()) {
            size
        } else {
            want.max(2 * self.window.len()).min(size)
        };
        self.window.grow_zeroed(len);
        self.prev.grow_zeroed(len.min(self.w_size));
        self.links.grow(self.prev.len());
    }

    /// zlib's fill_window: slides the window when strstart nears its end,
    /// reads input behind the lookahead and hashes pending strings.
    pub(crate) fn fill_window(&mut self, io: &mut DeflateIo<'_, '_>) {
        let w = self.w_size;
        loop {
            let mut more = self.window_size() - self.lookahead - self.strstart;
            if self.strstart >= w + self.max_dist() {
                self.window.copy_within(w..w + w - more, 0);
                // zlib's unsigned `match_start -= wsize`: a pending match
                // may start just below the slid half (at most MAX_DIST back
                // from a strstart of at least w_size + MAX_DIST, so at
                // w_size - 1): it wraps, and the distances computed from it
                // wrap back.
                self.match_start = self.match_start.wrapping_sub(w);
                self.strstart -= w;
                self.block_start -= w as i64;
                self.insert = self.insert.min(self.strstart);
                self.slide_hash();
                more += w;
            }
            if io.avail_in() == 0 {
                break;
            }
            let at = self.strstart + self.lookahead;
            let end = at + more.min(io.avail_in());
            self.grow_window(end);
            let n = io.read_into(&mut self.window[at..end], self.wrap);
            self.lookahead += n;
            if self.lookahead + self.insert >= MIN_MATCH {
                let from = self.strstart - self.insert;
                let mut at = from;
                self.start_hash(at);
                while self.insert != 0 {
                    self.insert_string(at);
                    at += 1;
                    self.insert -= 1;
                    if self.lookahead + self.insert < MIN_MATCH {
                        break;
                    }
                }
                self.links.relink(&self.prev, from..at, self.w_mask);
            }
            if self.lookahead >= MIN_LOOKAHEAD || io.avail_in() == 0 {
                break;
            }
        }
        self.high_water = self.high_water.max(self.strstart + self.lookahead);
    }
}
