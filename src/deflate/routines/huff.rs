//! zlib's deflate_huff: literals only.

use super::Refill;
use crate::deflate::io::DeflateIo;
use crate::deflate::machine::{BlockState, Deflater};
use crate::memory::Memory;

impl<M: Memory> Deflater<M> {
    /// zlib's deflate_huff: literals only.
    pub(crate) fn deflate_huff(&mut self, io: &mut DeflateIo<'_, '_>, flush: i32) -> BlockState {
        loop {
            match self.refill(1, io, flush) {
                Refill::Ready => {}
                Refill::NeedMore => return BlockState::NeedMore,
                Refill::Drained => break,
            }
            self.match_length = 0;
            let full = self.tally_literal_at(self.strstart);
            self.lookahead -= 1;
            self.strstart += 1;
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
