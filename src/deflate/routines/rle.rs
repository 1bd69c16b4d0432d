//! zlib's deflate_rle: runs of one byte as distance-1 matches.

use super::Refill;
use crate::deflate::io::DeflateIo;
use crate::deflate::machine::{BlockState, Deflater, MAX_MATCH, MIN_MATCH};
use crate::memory::Memory;

impl<M: Memory> Deflater<M> {
    /// zlib's deflate_rle: runs of one byte as distance-1 matches.
    pub(crate) fn deflate_rle(&mut self, io: &mut DeflateIo<'_, '_>, flush: i32) -> BlockState {
        loop {
            match self.refill(MAX_MATCH + 1, io, flush) {
                Refill::Ready => {}
                Refill::NeedMore => return BlockState::NeedMore,
                Refill::Drained => break,
            }
            self.match_length = 0;
            if self.lookahead >= MIN_MATCH && self.strstart > 0 {
                let run = self.window.get(self.strstart - 1..).unwrap_or(&[]);
                if let Some((&prev, rest)) = run.split_first() {
                    if rest.len() >= MIN_MATCH && rest[..MIN_MATCH].iter().all(|&b| b == prev) {
                        let len = rest
                            .iter()
                            .take(MAX_MATCH)
                            .take_while(|&&b| b == prev)
                            .count();
                        self.match_length = len.min(self.lookahead);
                    }
                }
            }
            let full = if self.match_length >= MIN_MATCH {
                let full = self.blocks.tally_match(1, self.match_length);
                self.lookahead -= self.match_length;
                self.strstart += self.match_length;
                self.match_length = 0;
                full
            } else {
                let full = self.tally_literal_at(self.strstart);
                self.lookahead -= 1;
                self.strstart += 1;
                full
            };
            if full {
                if let Some(state) = self.flush_block(io, false) {
                    return state;
                }
            }
        }
        self.insert = 0;
        self.finish_routine(io, flush)
    }
}
