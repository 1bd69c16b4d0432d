//! zlib's deflate_fast: greedy matching (levels 1-3).

use super::chains::{AnyShape, Chains, Default15, Shape, Table};
use super::longest_match::{search_any_window, MatchSearch};
use crate::deflate::io::DeflateIo;
use crate::deflate::machine::{BlockState, Deflater, MIN_LOOKAHEAD, MIN_MATCH};
use crate::deflate::routines::Step;
use crate::memory::Memory;

impl<M: Memory> Deflater<M> {
    /// zlib's deflate_fast: greedy matching (levels 1-3).
    pub(crate) fn deflate_fast(&mut self, io: &mut DeflateIo<'_, '_>, flush: i32) -> BlockState {
        self.greedy_routine(io, flush, |d| {
            if d.lookahead >= MIN_LOOKAHEAD {
                d.fast_steps::<Default15>() == Step::BlockFull
            } else {
                d.fast_step()
            }
        })
    }

    /// One step of deflate_fast near the end of the input (the lookahead
    /// below MIN_LOOKAHEAD). Returns true when the block is full.
    fn fast_step(&mut self) -> bool {
        let mut hash_head = 0;
        if self.lookahead >= MIN_MATCH {
            hash_head = self.insert_string(self.strstart);
        }
        if hash_head != 0 && self.strstart.wrapping_sub(hash_head) <= self.max_dist() {
            self.match_length = self.longest_match(hash_head);
        }
        if self.match_length >= MIN_MATCH {
            let full = self.blocks.tally_match(
                self.strstart.wrapping_sub(self.match_start),
                self.match_length,
            );
            self.lookahead = self.lookahead.saturating_sub(self.match_length);
            if self.match_length <= self.max_lazy_match && self.lookahead >= MIN_MATCH {
                self.match_length -= 1;
                while self.match_length != 0 {
                    self.strstart += 1;
                    self.insert_string(self.strstart);
                    self.match_length -= 1;
                }
                self.strstart += 1;
            } else {
                self.strstart += self.match_length;
                self.match_length = 0;
                self.start_hash(self.strstart);
            }
            full
        } else {
            let full = self.tally_literal_at(self.strstart);
            self.lookahead -= 1;
            self.strstart += 1;
            full
        }
    }

    /// deflate_fast's steps while the lookahead stays at least
    /// MIN_LOOKAHEAD (so every string is hashed and no refill is due), with
    /// the state in locals. The same steps as [`Deflater::fast_step`]. The
    /// tables are taken in shape `S` when they have it, else in any.
    fn fast_steps<S: Shape>(&mut self) -> Step {
        let max_dist = self.max_dist();
        let max_insert = self.max_lazy_match;
        let mut search = MatchSearch {
            scan: 0,
            best_len: self.prev_length,
            match_start: 0,
            nice: self.nice_match,
            limit: 0,
            chain: self.max_chain_length as u32,
        };
        if self.prev_length >= self.good_match {
            search.chain >>= 2;
        }
        let w_bits = self.w_bits;
        let mut strstart = self.strstart;
        let mut lookahead = self.lookahead;
        let mut ins_h = self.ins_h;
        let mut match_length = self.match_length;
        let mut match_start = self.match_start;
        let blocks = &mut self.blocks;
        let Some((head, prev)) =
            S::tables(&mut self.head, &mut self.prev, self.hash_mask, self.w_mask)
        else {
            return self.fast_steps::<AnyShape>();
        };
        let mut chains = Chains::<S> {
            window: &self.window,
            head,
            prev,
            hash_shift: self.hash_shift,
            hash_mask: self.hash_mask,
            w_mask: self.w_mask,
        };
        let step = loop {
            if lookahead < MIN_LOOKAHEAD {
                break Step::Refill;
            }
            let hash_head = chains.insert(&mut ins_h, strstart);
            if hash_head != 0 && strstart.wrapping_sub(hash_head) <= max_dist {
                search.scan = strstart;
                search.match_start = match_start;
                search.nice = self.nice_match.min(lookahead);
                search.limit = strstart.saturating_sub(max_dist);
                let (len, start) = search_any_window::<false>(
                    chains.window,
                    chains.prev.entries(),
                    w_bits,
                    hash_head,
                    search,
                );
                match_length = len.min(lookahead);
                match_start = start;
            }
            let full;
            if match_length >= MIN_MATCH {
                full = blocks.tally_match(strstart.wrapping_sub(match_start), match_length);
                lookahead -= match_length;
                if match_length <= max_insert {
                    // lookahead >= MIN_MATCH still: it was >= MIN_LOOKAHEAD.
                    for _ in 1..match_length {
                        strstart += 1;
                        chains.insert(&mut ins_h, strstart);
                    }
                    strstart += 1;
                } else {
                    strstart += match_length;
                    ins_h = chains.update_hash(chains.update_hash(0, strstart), strstart + 1);
                }
                match_length = 0;
            } else {
                let byte = chains.window.get(strstart).copied().unwrap_or(0);
                full = blocks.tally_literal(byte);
                lookahead -= 1;
                strstart += 1;
            }
            if full {
                break Step::BlockFull;
            }
        };
        self.strstart = strstart;
        self.lookahead = lookahead;
        self.ins_h = ins_h;
        self.match_length = match_length;
        self.match_start = match_start;
        step
    }
}
