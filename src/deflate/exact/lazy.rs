//! zlib's deflate_slow: lazy matching (levels 4-9), a match taken only if
//! the next position has no longer one.

use super::chains::{AnyShape, Chains, Default15, Shape, Table};
use super::longest_match::{search_any_window, MatchSearch};
use super::pair_search::{pair_any_window, resume_ahead, Ahead, PairSearch, Search};
use crate::deflate::io::DeflateIo;
use crate::deflate::machine::{BlockState, Deflater, MIN_LOOKAHEAD, MIN_MATCH, Z_FILTERED};
use crate::deflate::routines::Step;
use crate::memory::Memory;

/// Lazy levels drop 3-byte matches farther than this.
pub(super) const TOO_FAR: usize = 4096;

impl<M: Memory> Deflater<M> {
    /// zlib's deflate_slow: lazy matching (levels 4-9).
    pub(crate) fn deflate_slow(&mut self, io: &mut DeflateIo<'_, '_>, flush: i32) -> BlockState {
        self.lazy_routine(io, flush, |d, out_room| {
            if d.lookahead < MIN_LOOKAHEAD {
                d.slow_step()
            } else if d.long_chains() {
                d.slow_steps::<Default15, true>(out_room)
            } else {
                d.slow_steps::<Default15, false>(out_room)
            }
        })
    }

    /// One step of deflate_slow near the end of the input (the lookahead
    /// below MIN_LOOKAHEAD).
    fn slow_step(&mut self) -> Step {
        let mut hash_head = 0;
        if self.lookahead >= MIN_MATCH {
            hash_head = self.insert_string(self.strstart);
        }
        self.prev_length = self.match_length;
        self.prev_match = self.match_start;
        self.match_length = MIN_MATCH - 1;
        if hash_head != 0
            && self.prev_length < self.max_lazy_match
            && self.strstart.wrapping_sub(hash_head) <= self.max_dist()
        {
            self.match_length = self.longest_match(hash_head);
            if self.match_length <= 5
                && (self.strategy == Z_FILTERED
                    || (self.match_length == MIN_MATCH
                        && self.strstart.wrapping_sub(self.match_start) > TOO_FAR))
            {
                self.match_length = MIN_MATCH - 1;
            }
        }
        if self.prev_length >= MIN_MATCH && self.match_length <= self.prev_length {
            let max_insert = self.strstart + self.lookahead - MIN_MATCH;
            let full = self.blocks.tally_match(
                self.strstart.wrapping_sub(self.prev_match).wrapping_sub(1),
                self.prev_length,
            );
            self.lookahead = self.lookahead.saturating_sub(self.prev_length - 1);
            self.prev_length -= 2;
            while self.prev_length != 0 {
                self.strstart += 1;
                if self.strstart <= max_insert {
                    self.insert_string(self.strstart);
                }
                self.prev_length -= 1;
            }
            self.match_available = false;
            self.match_length = MIN_MATCH - 1;
            self.strstart += 1;
            if full {
                return Step::BlockFull;
            }
            Step::Refill
        } else if self.match_available {
            Step::Literal(self.tally_literal_at(self.strstart - 1))
        } else {
            self.match_available = true;
            self.strstart += 1;
            self.lookahead -= 1;
            Step::Refill
        }
    }

    /// deflate_slow's steps while the lookahead stays at least
    /// MIN_LOOKAHEAD, with the state in locals: the same steps as
    /// [`Deflater::slow_step`]. `out_room` is whether the output has space
    /// (a literal step stops the loop when it has not, as zlib returns).
    ///
    /// The tables are taken in shape `S` when they have it, else in any;
    /// `LONG` (for shape `S`) is whether the chains are long (see
    /// [`LONG_CHAIN`](super::longest_match::LONG_CHAIN)).
    fn slow_steps<S: Shape, const LONG: bool>(&mut self, out_room: bool) -> Step {
        let max_dist = self.max_dist();
        let max_lazy = self.max_lazy_match;
        let (good_match, nice_match) = (self.good_match, self.nice_match);
        let chain = self.max_chain_length as u32;
        let filtered = self.strategy == Z_FILTERED;
        let w_bits = self.w_bits;
        let mut strstart = self.strstart;
        let mut lookahead = self.lookahead;
        let mut ins_h = self.ins_h;
        let mut match_length = self.match_length;
        let mut match_start = self.match_start;
        let mut prev_length = self.prev_length;
        let mut prev_match = self.prev_match;
        let mut match_available = self.match_available;
        let blocks = &mut self.blocks;
        let Some((head, prev)) =
            S::tables(&mut self.head, &mut self.prev, self.hash_mask, self.w_mask)
        else {
            // Other shapes (memLevel or windowBits not the default) are
            // rare enough to share one copy of the loop, long chains or not.
            return self.slow_steps::<AnyShape, false>(out_room);
        };
        let mut chains = Chains::<S> {
            window: &self.window,
            head,
            prev,
            hash_shift: self.hash_shift,
            hash_mask: self.hash_mask,
            w_mask: self.w_mask,
        };
        // Pairs the search at p (a new walk, or the rest of the one walked
        // ahead for it) with the one at p + 1 when no match is pending, the
        // step at p cannot end the loop and the one at p + 1 will search
        // (see [`PairSearch`]). From best length 2 the quick test is a plain
        // necessary condition, so the walk at p + 1 finds what zlib's would
        // for any best length at least 2 below nice_match.
        let pairs = S::PAIRS && out_room && chain >= 4 && max_lazy <= nice_match;
        let mut carried = None;
        let mut ahead: Option<Ahead> = None;
        let step = loop {
            if lookahead < MIN_LOOKAHEAD {
                break Step::Refill;
            }
            let hash_head = match carried.take() {
                Some(head) => head,
                None => chains.insert(&mut ins_h, strstart),
            };
            let pending = ahead.take();
            prev_length = match_length;
            prev_match = match_start;
            match_length = MIN_MATCH - 1;
            if hash_head != 0
                && prev_length < max_lazy
                && strstart.wrapping_sub(hash_head) <= max_dist
            {
                let search = MatchSearch {
                    scan: strstart,
                    best_len: prev_length,
                    match_start,
                    nice: nice_match.min(lookahead),
                    limit: strstart.saturating_sub(max_dist),
                    chain: if prev_length >= good_match {
                        chain >> 2
                    } else {
                        chain
                    },
                };
                let search = match pending {
                    Some(pending) => resume_ahead(&pending, search, chain),
                    None => Search::Walk(search, hash_head),
                };
                let (len, start) = match search {
                    Search::Found(found) => found,
                    Search::Walk(search, from) => {
                        let paired = if pairs
                            // Exactly 2: with a match pending, the walk at
                            // p + 1 is mostly wasted (measured slower); below
                            // 2 (after Z_RLE), a search that finds nothing
                            // leaves p + 1 at best length 0, whose quick test
                            // differs.
                            && prev_length == MIN_MATCH - 1
                            && lookahead > MIN_LOOKAHEAD
                            && blocks.has_room_for_two()
                        {
                            let next_head = chains.insert(&mut ins_h, strstart + 1);
                            carried = Some(next_head);
                            if next_head != 0 && strstart + 1 - next_head <= max_dist {
                                pair_any_window::<LONG>(
                                    chains.window,
                                    chains.prev.entries(),
                                    w_bits,
                                    PairSearch {
                                        a: search,
                                        a_head: from,
                                        b_head: next_head,
                                        b_limit: (strstart + 1).saturating_sub(max_dist),
                                        quarter: chain >> 2,
                                        full: chain,
                                        good: good_match,
                                        max_lazy,
                                        filtered,
                                    },
                                )
                            } else {
                                None
                            }
                        } else {
                            None
                        };
                        match paired {
                            Some((found, next)) => {
                                ahead = Some(next);
                                found
                            }
                            None => search_any_window::<LONG>(
                                chains.window,
                                chains.prev.entries(),
                                w_bits,
                                from,
                                search,
                            ),
                        }
                    }
                };
                match_length = len.min(lookahead);
                match_start = start;
                if match_length <= 5
                    && (filtered
                        || (match_length == MIN_MATCH
                            && strstart.wrapping_sub(match_start) > TOO_FAR))
                {
                    match_length = MIN_MATCH - 1;
                }
            }
            if prev_length >= MIN_MATCH && match_length <= prev_length {
                let full = blocks.tally_match(
                    strstart.wrapping_sub(prev_match).wrapping_sub(1),
                    prev_length,
                );
                lookahead -= prev_length - 1;
                // zlib inserts up to strstart + lookahead - MIN_MATCH; with at
                // least MIN_LOOKAHEAD bytes ahead that covers the whole match.
                for _ in 2..prev_length {
                    strstart += 1;
                    chains.insert(&mut ins_h, strstart);
                }
                prev_length = 0;
                match_available = false;
                match_length = MIN_MATCH - 1;
                strstart += 1;
                if full {
                    break Step::BlockFull;
                }
            } else if match_available {
                let byte = chains.window.get(strstart - 1).copied().unwrap_or(0);
                let full = blocks.tally_literal(byte);
                if full || !out_room {
                    break Step::Literal(full);
                }
                strstart += 1;
                lookahead -= 1;
            } else {
                match_available = true;
                strstart += 1;
                lookahead -= 1;
            }
        };
        self.strstart = strstart;
        self.lookahead = lookahead;
        self.ins_h = ins_h;
        self.match_length = match_length;
        self.match_start = match_start;
        self.prev_length = prev_length;
        self.prev_match = prev_match;
        self.match_available = match_available;
        step
    }
}
