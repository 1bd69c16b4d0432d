//! The block routines' shared loop, used by both profiles: the refill at the
//! top of each step, the block flushes, and the end once input runs out;
//! and zlib's routines that find no matches in the chains (rle, huff),
//! which both profiles run.
//!
//! - `rle`: zlib's deflate_rle (Z_RLE);
//! - `huff`: zlib's deflate_huff (Z_HUFFMAN_ONLY).

mod huff;
mod rle;

use super::io::DeflateIo;
use super::machine::{BlockState, Deflater, MIN_LOOKAHEAD, MIN_MATCH, Z_FINISH, Z_NO_FLUSH};
use crate::memory::Memory;

/// What the refill at the top of a block routine's loop found.
pub(crate) enum Refill {
    /// Enough lookahead (or a flush asks to go on with less): step on.
    Ready,
    /// More input is needed before the next step.
    NeedMore,
    /// The input is all consumed: finish the block.
    Drained,
}

/// Why the hot loop of a block routine (zlib's or the fast profile's)
/// handed back control.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// The lookahead fell below MIN_LOOKAHEAD: refill first.
    Refill,
    /// A step filled the block (zlib's `bflush`).
    BlockFull,
    /// Lazy routines only: a literal step tallied the previous byte but has
    /// not stepped past it, because it filled the block (`true`) or the
    /// output has no space.
    Literal(bool),
}

impl<M: Memory> Deflater<M> {
    /// Ends the block at strstart; `Some` tells the routine to return.
    pub(crate) fn flush_block(
        &mut self,
        io: &mut DeflateIo<'_, '_>,
        last: bool,
    ) -> Option<BlockState> {
        self.flush_block_only(io, last);
        if io.avail_out() == 0 {
            return Some(if last {
                BlockState::FinishStarted
            } else {
                BlockState::NeedMore
            });
        }
        None
    }

    /// The common end of the compressing routines once input ran out.
    pub(crate) fn finish_routine(&mut self, io: &mut DeflateIo<'_, '_>, flush: i32) -> BlockState {
        if flush == Z_FINISH {
            if let Some(state) = self.flush_block(io, true) {
                return state;
            }
            return BlockState::FinishDone;
        }
        if self.blocks.has_symbols() {
            if let Some(state) = self.flush_block(io, false) {
                return state;
            }
        }
        BlockState::BlockDone
    }

    /// The next window byte as a literal.
    #[inline(always)]
    pub(crate) fn tally_literal_at(&mut self, at: usize) -> bool {
        let byte = self.byte(at);
        self.blocks.tally_literal(byte)
    }

    /// The top of every block routine's loop (zlib's and the fast
    /// profile's): fills the window when the lookahead is below `min`.
    #[inline(always)]
    pub(crate) fn refill(&mut self, min: usize, io: &mut DeflateIo<'_, '_>, flush: i32) -> Refill {
        if self.lookahead < min {
            self.fill_window(io);
            if self.lookahead < min && flush == Z_NO_FLUSH {
                return Refill::NeedMore;
            }
            if self.lookahead == 0 {
                return Refill::Drained;
            }
        }
        Refill::Ready
    }

    /// The loop of a greedy routine (zlib's deflate_fast and the fast
    /// profile's) around its `steps`, which return true when the block is
    /// full.
    #[inline(always)]
    pub(crate) fn greedy_routine(
        &mut self,
        io: &mut DeflateIo<'_, '_>,
        flush: i32,
        mut steps: impl FnMut(&mut Self) -> bool,
    ) -> BlockState {
        loop {
            match self.refill(MIN_LOOKAHEAD, io, flush) {
                Refill::Ready => {}
                Refill::NeedMore => return BlockState::NeedMore,
                Refill::Drained => break,
            }
            if steps(self) {
                if let Some(state) = self.flush_block(io, false) {
                    return state;
                }
            }
        }
        self.insert = self.strstart.min(MIN_MATCH - 1);
        self.finish_routine(io, flush)
    }

    /// The loop of a lazy routine (zlib's deflate_slow and the fast
    /// profile's) around its `steps`, which are told whether the output has
    /// room and keep their match state in the stream between calls.
    #[inline(always)]
    pub(crate) fn lazy_routine(
        &mut self,
        io: &mut DeflateIo<'_, '_>,
        flush: i32,
        mut steps: impl FnMut(&mut Self, bool) -> Step,
    ) -> BlockState {
        loop {
            match self.refill(MIN_LOOKAHEAD, io, flush) {
                Refill::Ready => {}
                Refill::NeedMore => return BlockState::NeedMore,
                Refill::Drained => break,
            }
            match steps(self, io.avail_out() != 0) {
                Step::Refill => {}
                Step::BlockFull => {
                    if let Some(state) = self.flush_block(io, false) {
                        return state;
                    }
                }
                Step::Literal(full) => {
                    // zlib flushes before it steps past the literal.
                    if full {
                        self.flush_block_only(io, false);
                    }
                    self.strstart += 1;
                    self.lookahead -= 1;
                    if io.avail_out() == 0 {
                        return BlockState::NeedMore;
                    }
                }
            }
        }
        if self.match_available {
            // A full block is flushed by finish_routine, as in zlib.
            self.tally_literal_at(self.strstart - 1);
            self.match_available = false;
        }
        self.insert = self.strstart.min(MIN_MATCH - 1);
        self.finish_routine(io, flush)
    }
}
