//! Level 1 of the fast profile: one candidate per position, no chains.
//! `head` holds the last position seen per hash of the next four bytes
//! (a multiplicative hash, which spreads four bytes over the table better
//! than zlib's shifted three); a candidate whose four bytes match is
//! extended sixteen bytes at a time and taken at once. Strings inside a
//! match are not hashed. `prev` is left alone. The blocks are coded in
//! one pass ([`Coder`]).
//!
//! Candidates are always verified, so the table may hold anything: entries
//! made by zlib's hash (fill_window, a dictionary) or by other levels
//! (deflateParams) only cost a missed match.

use super::chains::hash4;
use super::levels::for_level;
use super::Step;
use crate::deflate::io::DeflateIo;
use crate::deflate::machine::{
    BlockState, Deflater, MAX_MATCH, MIN_LOOKAHEAD, MIN_MATCH, Z_FILTERED, Z_FINISH, Z_NO_FLUSH,
};
use crate::deflate::trees::{Coder, OpenBlock, Z_FIXED};
use crate::memory::Memory;

/// Blocks of less input than this take the fixed codes: trees would
/// cost more than they save.
const SHORT_BLOCK: usize = 2048;

/// A block goes on past the window's end only for this much input or more.
const MIN_CONTINUE: usize = 1024;

/// Input a step codes at most (its symbols are at most this many, plus
/// MIN_LOOKAHEAD).
const STEP: usize = 16 << 10;

/// Input in a stream's first block at most.
const FIRST_INPUT: usize = 16 << 10;

impl<M: Memory> Deflater<M> {
    /// The single-probe routine. Its blocks are coded as they are found
    /// ([`Coder`]) and never stay open between calls: without a flush a
    /// block opens only once the window is full (or input is left over),
    /// so that blocks span at least a window of input, as zlib's span its
    /// symbol buffer ([`Self::code_block`] says where they end).
    pub(super) fn deflate_quick(&mut self, io: &mut DeflateIo<'_, '_>, flush: i32) -> BlockState {
        // Symbols another level tallied (deflateParams within the band)
        // go out first, in their own block.
        if self.blocks.has_symbols() {
            if let Some(state) = self.flush_block(io, false) {
                return state;
            }
        }
        loop {
            if io.avail_in() != 0 {
                self.fill_window(io);
            }
            if self.lookahead == 0 {
                break;
            }
            // Without a flush a block waits for a full window and leaves
            // the last MIN_LOOKAHEAD bytes, as zlib's routines do.
            let input_left = io.avail_in() != 0;
            let window_full = self.strstart + self.lookahead >= self.window_size();
            let to_end = flush != Z_NO_FLUSH && !input_left;
            if !to_end && (self.lookahead < MIN_LOOKAHEAD || !(input_left || window_full)) {
                return BlockState::NeedMore;
            }
            // The rest of a short stream, or a short block before a flush,
            // goes through level 2's two passes: trees made for it (or the
            // fixed codes, or stored, as zlib chooses) pay there, where
            // trees from the block before are missing or cost too much for
            // so few bytes (on 1 KiB streams fixed codes alone made the
            // output 1.39 of zlib's).
            if to_end
                && self.lookahead < FIRST_INPUT
                && (!self.blocks.has_prior() || self.lookahead < SHORT_BLOCK)
            {
                self.blocks.forget_prior();
                return self.deflate_greedy(io, flush, for_level(2));
            }
            let fixed = self.strategy == Z_FIXED || self.lookahead < SHORT_BLOCK;
            let open = self.blocks.open_coded(fixed);
            self.code_block(io, &open, to_end);
            let last = flush == Z_FINISH && self.lookahead == 0 && io.avail_in() == 0;
            let stored = usize::try_from(self.block_start)
                .ok()
                .and_then(|start| self.window.get(start..self.strstart));
            self.blocks
                .close_coded(open, stored, last, &mut io.data_type);
            self.block_start = self.strstart as i64;
            self.flush_pending(io);
            if io.avail_out() == 0 {
                return if last {
                    BlockState::FinishStarted
                } else {
                    BlockState::NeedMore
                };
            }
            if last {
                return BlockState::FinishDone;
            }
        }
        self.insert = self.strstart.min(MIN_MATCH - 1);
        self.finish_routine(io, flush)
    }

    /// Codes the open block: in steps of at most STEP bytes of input, so
    /// that its counts are kept small between them; up to the window's
    /// end, or (`to_end`) the end of the input; and a block that has
    /// compressed well goes on past the window's end (below).
    fn code_block(&mut self, io: &mut DeflateIo<'_, '_>, open: &OpenBlock, to_end: bool) {
        // A stream's first block, with the fixed codes, ends soon, so that
        // trees made of its counts come soon.
        let mut budget = if open.is_first() {
            FIRST_INPUT
        } else {
            usize::MAX
        };
        let mut before = (0, 0);
        loop {
            let at = self.strstart;
            let full = self.quick_steps(open, to_end, budget.min(STEP));
            budget = budget.saturating_sub(self.strstart - at);
            self.blocks.keep_counts_small();
            let window_end = self.lookahead < if to_end { 1 } else { MIN_LOOKAHEAD };
            if full || window_end && (to_end || open.is_first() || io.avail_in() == 0) {
                return;
            }
            if !window_end && budget != 0 {
                continue;
            }
            if open.is_first() {
                return;
            }
            // The window's end with input left, or the budget's. A block
            // that has compressed well goes on, past the slide that takes
            // its input: it stays smaller than stored however the next
            // `budget` bytes code (15 bits a byte at most), so that it
            // needs no stored block to fall back on. Fewer blocks spend
            // less time making trees.
            let input = (self.strstart as i64 - self.block_start) as u64;
            let coded = self.blocks.coded_bits(open);
            let spare = (8 * input).saturating_sub(coded + 15) / 7;
            // A step takes up to MIN_LOOKAHEAD bytes past its budget.
            budget = spare.saturating_sub(MIN_LOOKAHEAD as u64) as usize;
            if budget < MIN_CONTINUE || changed(before, (input, coded)) {
                return;
            }
            before = (input, coded);
            if window_end {
                self.fill_window(io);
            }
        }
    }

    /// Codes the open block's symbols, with the positions in locals: while
    /// the lookahead holds MIN_LOOKAHEAD bytes, or (`to_end`) all of it,
    /// and at most about `budget` bytes of input. Returns true when the
    /// block is full.
    fn quick_steps(&mut self, open: &OpenBlock, to_end: bool, budget: usize) -> bool {
        let max_dist = self.max_dist();
        // Z_FILTERED: no matches of 5 or fewer bytes, as the greedy levels.
        let min_len = if self.strategy == Z_FILTERED { 6 } else { 4 };
        let shift = 32 - self.hash_bits;
        let stop = if to_end { 1 } else { MIN_LOOKAHEAD };
        let mut strstart = self.strstart;
        // The search sees a shorter lookahead where the budget ends.
        let lookahead_all = self.lookahead;
        let mut lookahead = lookahead_all.min(budget.saturating_add(stop));
        let window: &[u8] = &self.window;
        let head: &mut [u16] = &mut self.head;
        // A symbol writes at most six bytes per four of input, the header
        // about 300: the block needs no more of the buffer than this.
        let end = self.blocks.output().pending_len() + 512 + 2 * lookahead;
        let full = self.blocks.with_coder(open, end, |mut coder| {
            let step;
            (step, coder) = far_steps(
                window,
                head,
                coder,
                (&mut strstart, &mut lookahead),
                (max_dist, stop),
                min_len,
                shift,
            );
            // Past the window's end there is no room to read ahead: the
            // last bytes of a flush that ends there go out as literals.
            if step == Step::Refill && lookahead >= stop {
                for &byte in window.get(strstart..strstart + lookahead).unwrap_or(&[]) {
                    strstart += 1;
                    lookahead -= 1;
                    if coder.literal(byte) {
                        return (coder, true);
                    }
                }
            }
            (coder, step == Step::BlockFull)
        });
        self.lookahead = lookahead_all - (strstart - self.strstart);
        self.strstart = strstart;
        full
    }
}

/// Whether the input coded since `before` (input bytes, coded bits of the
/// block) takes a quarter more or less bits a byte than the block did up
/// to there: the data has changed, and the block's trees, made for what
/// came before it, should be made again.
fn changed((input0, coded0): (u64, u64), (input, coded): (u64, u64)) -> bool {
    let (input1, coded1) = (input - input0, coded - coded0);
    input0 != 0 && input1 >= 4096 && {
        // coded1 / input1 against coded0 / input0.
        let (now, then) = (coded1 * input0, coded0 * input1);
        4 * now > 5 * then || 4 * now < 3 * then
    }
}

/// The bytes from `at` that a step reads: the longest match, and the
/// word past it that the compare reads, as one array so that the reads in
/// it need no checks of their own.
type Ahead = [u8; MIN_LOOKAHEAD];

/// The string at `at` as an [`Ahead`] (`None` only within MIN_LOOKAHEAD
/// bytes of the window's end, where a flush's last bytes can lie).
#[inline(always)]
fn ahead(window: &[u8], at: usize) -> Option<&Ahead> {
    window.get(at..at + MIN_LOOKAHEAD)?.try_into().ok()
}

#[inline(always)]
fn u64_at(bytes: &Ahead, at: usize) -> u64 {
    match bytes.get(at..at + 8) {
        Some(b) => u64::from_le_bytes(b.try_into().unwrap_or([0; 8])),
        None => 0,
    }
}

/// Length of the common prefix of `a` and `b`, known to agree on their
/// first eight bytes, up to MAX_MATCH: sixteen bytes at a time.
#[inline(always)]
fn ahead_length(a: &Ahead, b: &Ahead) -> usize {
    let (a_words, _) = a[8..].as_chunks::<16>();
    let (b_words, _) = b[8..].as_chunks::<16>();
    for (i, (x, y)) in a_words.iter().zip(b_words).enumerate() {
        let diff = u128::from_le_bytes(*x) ^ u128::from_le_bytes(*y);
        if diff != 0 {
            return (8 + 16 * i + (diff.trailing_zeros() / 8) as usize).min(MAX_MATCH);
        }
    }
    // The chunks cover bytes 8..248; the last sixteen bytes of the arrays
    // cover the rest up to MAX_MATCH.
    const LAST: usize = MIN_LOOKAHEAD - 16;
    let (Some(x), Some(y)) = (a.last_chunk::<16>(), b.last_chunk::<16>()) else {
        return MAX_MATCH;
    };
    let diff = u128::from_le_bytes(*x) ^ u128::from_le_bytes(*y);
    (LAST + (diff.trailing_zeros() / 8) as usize).min(MAX_MATCH)
}

/// [`Deflater::quick_steps`]' loop, down to a lookahead below `stop`:
/// both strings a step reads (the one searched and the candidate) lie in
/// an [`Ahead`] from their positions, each taken with one check. Below
/// MIN_LOOKAHEAD bytes the arrays reach past the data, into the zeros the
/// window keeps there ([`Deflater::grow_window`]): matches are cut to the
/// lookahead, and a position hashed with zeros only costs a missed
/// candidate.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn far_steps<'a, 'b>(
    window: &[u8],
    head: &mut [u16],
    mut coder: Coder<'a, 'b>,
    (strstart, lookahead): (&mut usize, &mut usize),
    (max_dist, stop): (usize, usize),
    min_len: usize,
    shift: u32,
) -> (Step, Coder<'a, 'b>) {
    let (mut at, mut ahead_len) = (*strstart, *lookahead);
    let step = loop {
        let Some(here_bytes) = ahead(window, at) else {
            break Step::Refill;
        };
        let here = u64_at(here_bytes, 0);
        let limit = at.saturating_sub(max_dist);
        let mut len = 0;
        let mut dist = 0;
        if let Some(entry) = head.get_mut(hash4(here as u32, shift)) {
            let candidate = usize::from(*entry);
            *entry = at as u16;
            dist = at.wrapping_sub(candidate);
            // The candidate lies before `at`, so its bytes are there too.
            let there = ahead(window, candidate);
            let diff = there.map_or(!0, |t| u64_at(t, 0) ^ here);
            // One range test keeps out NIL (0), stale entries (dist 0)
            // and the too far. With the four bytes' test it makes one
            // branch, hard to predict, so taken once: the two tests folded
            // into one word keep the compiler from splitting it again.
            let near = candidate.wrapping_sub(limit + 1) < at.saturating_sub(limit + 1);
            if (diff as u32 | u32::from(!near)) == 0 {
                len = if diff != 0 {
                    (diff.trailing_zeros() / 8) as usize
                } else {
                    there.map_or(8, |t| ahead_length(t, here_bytes))
                }
                .min(ahead_len);
            }
        }
        let full = if len >= min_len {
            // The strings inside the match are not hashed: on the bench
            // hashing the last one or two cost binary data and xml 3-10%
            // of their speed for 2-4% of size.
            let full = coder.matched(dist, len);
            at += len;
            ahead_len -= len;
            full
        } else {
            at += 1;
            ahead_len -= 1;
            coder.literal(here as u8)
        };
        if full {
            break Step::BlockFull;
        }
        if ahead_len < stop {
            break Step::Refill;
        }
    };
    *strstart = at;
    *lookahead = ahead_len;
    (step, coder)
}
