//! The window: zlib's fill_window, which slides it when strstart nears its
//! end and reads input behind the lookahead, and the bounds of a match.

use super::io::DeflateIo;
use super::machine::{Deflater, MIN_LOOKAHEAD, MIN_MATCH};
use crate::memory::Memory;

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

    /// zlib's fill_window: slides the window when strstart nears its end,
    /// reads input behind the lookahead and hashes pending strings.
    pub(crate) fn fill_window(&mut self, io: &mut DeflateIo<'_, '_>) {
        let w = self.w_size;
        loop {
            let mut more = self.window.len() - self.lookahead - self.strstart;
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
            let n = io.read_into(&mut self.window[at..at + more], self.wrap);
            self.lookahead += n;
            if self.lookahead + self.insert >= MIN_MATCH {
                let mut at = self.strstart - self.insert;
                self.start_hash(at);
                while self.insert != 0 {
                    self.insert_string(at);
                    at += 1;
                    self.insert -= 1;
                    if self.lookahead + self.insert < MIN_MATCH {
                        break;
                    }
                }
            }
            if self.lookahead >= MIN_LOOKAHEAD || io.avail_in() == 0 {
                break;
            }
        }
        self.high_water = self.high_water.max(self.strstart + self.lookahead);
    }
}
