//! Levels 4-9 of the fast profile: zlib's lazy evaluation (a match is
//! taken only if the next position has none longer) over a shorter chain
//! walk, with far three-byte matches left as literals.

use super::chains::Search;
use super::greedy::hash_match_strings;
use super::levels::FastLevel;
use super::{worth_taking, Step};
use crate::deflate::io::DeflateIo;
use crate::deflate::machine::{
    BlockState, Deflater, MAX_MATCH, MIN_LOOKAHEAD, MIN_MATCH, Z_FILTERED,
};
use crate::memory::Memory;

impl<M: Memory> Deflater<M> {
    /// The lazy routine: the same protocol as zlib's deflate_slow, whose
    /// state (`match_length`, `match_start`, `match_available`) it keeps
    /// between calls.
    pub(super) fn deflate_lazy(
        &mut self,
        io: &mut DeflateIo<'_, '_>,
        flush: i32,
        level: FastLevel,
    ) -> BlockState {
        self.lazy_routine(io, flush, |d, _out_room| d.lazy_steps(&level))
    }

    /// Lazy steps while the lookahead stays at least MIN_LOOKAHEAD (one
    /// step when it is already below), with the state in locals.
    fn lazy_steps(&mut self, level: &FastLevel) -> Step {
        let max_dist = self.max_dist();
        let filtered = self.strategy == Z_FILTERED;
        let mut strstart = self.strstart;
        let mut lookahead = self.lookahead;
        let mut match_length = self.match_length;
        let mut match_start = self.match_start;
        let mut match_available = self.match_available;
        let one_step = lookahead < MIN_LOOKAHEAD;
        let (mut chains, blocks) = self.chains(level.hash4, level.two_back);
        let step = loop {
            let end = strstart + lookahead;
            let prev_length = match_length;
            let prev_match = match_start;
            match_length = MIN_MATCH - 1;
            if lookahead >= MIN_MATCH {
                let first = chains.insert(strstart);
                if first != 0 && prev_length < level.lazy {
                    let search = Search {
                        scan: strstart,
                        limit: strstart.saturating_sub(max_dist),
                        best_len: prev_length,
                        nice: level.nice,
                        max: lookahead.min(MAX_MATCH),
                        chain: if prev_length >= level.good && prev_length < level.long {
                            level.chain >> 2
                        } else {
                            level.chain
                        },
                    };
                    let (len, start) = if level.switch {
                        chains.longest::<true>(first, search)
                    } else {
                        chains.longest::<false>(first, search)
                    };
                    if len > prev_length.max(MIN_MATCH - 1)
                        && worth_taking(level, filtered, len, strstart - start)
                    {
                        match_length = len;
                        match_start = start;
                    }
                }
            }
            if prev_length >= MIN_MATCH && match_length <= prev_length {
                // The match at strstart - 1 stands.
                let full = blocks.tally_match(strstart - 1 - prev_match, prev_length);
                let stop = strstart - 1 + prev_length;
                hash_match_strings(&mut chains, strstart + 1, stop, end, level.insert_all);
                lookahead -= prev_length - 1;
                strstart = stop;
                match_available = false;
                match_length = MIN_MATCH - 1;
                if full {
                    break Step::BlockFull;
                }
            } else if match_available {
                let byte = chains.window.get(strstart - 1).copied().unwrap_or(0);
                if blocks.tally_literal(byte) {
                    break Step::Literal(true);
                }
                strstart += 1;
                lookahead -= 1;
            } else {
                match_available = true;
                strstart += 1;
                lookahead -= 1;
            }
            if one_step || lookahead < MIN_LOOKAHEAD {
                break Step::Refill;
            }
        };
        self.strstart = strstart;
        self.lookahead = lookahead;
        self.match_length = match_length;
        self.match_start = match_start;
        self.match_available = match_available;
        step
    }
}
