//! Levels 1-3 of the fast profile: at each position the best match of a
//! short chain walk is taken at once (no lazy evaluation), and only short
//! matches have all their strings hashed.

use super::chains::{Chains, Search};
use super::levels::FastLevel;
use super::{worth_taking, Step};
use crate::deflate::io::DeflateIo;
use crate::deflate::machine::{
    BlockState, Deflater, MAX_MATCH, MIN_LOOKAHEAD, MIN_MATCH, Z_FILTERED,
};
use crate::memory::Memory;

/// Hashes the strings inside a match that covers `from - 1 .. stop`
/// (the one at `from - 1` is hashed already), as far as `end` (the end of
/// the lookahead) allows: all of them for a match up to `insert_all`
/// long, else the last two, which a repetition is most likely to reuse.
#[inline(always)]
pub(super) fn hash_match_strings(
    chains: &mut Chains<'_>,
    from: usize,
    stop: usize,
    end: usize,
    insert_all: usize,
) {
    let hashed_end = stop.min(end.saturating_sub(MIN_MATCH - 1));
    // One insert loop for both cases: at levels 7-9 each insert also keeps
    // `prev2`, and one copy of it is smaller.
    let start = if stop - from < insert_all {
        from
    } else {
        stop.saturating_sub(2).max(from)
    };
    chains.insert_range(start, hashed_end);
}

impl<M: Memory> Deflater<M> {
    /// The greedy routine: the same protocol as zlib's deflate_fast.
    pub(super) fn deflate_greedy(
        &mut self,
        io: &mut DeflateIo<'_, '_>,
        flush: i32,
        level: FastLevel,
    ) -> BlockState {
        self.greedy_routine(io, flush, |d| d.greedy_steps(&level) == Step::BlockFull)
    }

    /// Greedy steps while the lookahead stays at least MIN_LOOKAHEAD (one
    /// step when it is already below), with the positions in locals.
    fn greedy_steps(&mut self, level: &FastLevel) -> Step {
        let max_dist = self.max_dist();
        let filtered = self.strategy == Z_FILTERED;
        let mut strstart = self.strstart;
        let mut lookahead = self.lookahead;
        let one_step = lookahead < MIN_LOOKAHEAD;
        let (mut chains, blocks) = self.chains(level.hash4, false);
        let step = loop {
            let end = strstart + lookahead;
            let (mut len, mut start) = (0, 0);
            if lookahead >= MIN_MATCH {
                let first = chains.insert(strstart);
                if first != 0 {
                    let search = Search {
                        scan: strstart,
                        limit: strstart.saturating_sub(max_dist),
                        best_len: MIN_MATCH - 1,
                        nice: level.nice,
                        max: lookahead.min(MAX_MATCH),
                        chain: level.chain,
                    };
                    (len, start) = chains.longest::<false>(first, search);
                }
            }
            let full = if len >= MIN_MATCH && worth_taking(level, filtered, len, strstart - start) {
                let full = blocks.tally_match(strstart - start, len);
                hash_match_strings(
                    &mut chains,
                    strstart + 1,
                    strstart + len,
                    end,
                    level.insert_all,
                );
                strstart += len;
                lookahead -= len;
                full
            } else {
                let byte = chains.window.get(strstart).copied().unwrap_or(0);
                strstart += 1;
                lookahead -= 1;
                blocks.tally_literal(byte)
            };
            if full {
                break Step::BlockFull;
            }
            if one_step || lookahead < MIN_LOOKAHEAD {
                break Step::Refill;
            }
        };
        self.strstart = strstart;
        self.lookahead = lookahead;
        step
    }
}
