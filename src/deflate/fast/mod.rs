//! The fast profile: rzlib's own match finders for levels 1 to 9, beside
//! zlib's (src/deflate/exact/). The stream machinery is shared: the
//! window and its refills, zlib's hash chains, the block writer, flushes,
//! headers and trailers. Only the choice of matches differs, so every
//! flush mode, deflateParams, dictionaries and the rest behave as in the
//! zlib profile, with other (valid) bytes.
//!
//! - `levels`: how hard each level searches;
//! - `chains`: hashing and the chain walk;
//! - `quick`: level 1, one hashed candidate per position;
//! - `greedy`: levels 2-3, take the first good match;
//! - `lazy`: levels 4-9, look one byte ahead before taking a match.

mod chains;
mod greedy;
mod lazy;
mod levels;
mod links;
mod quick;

use super::io::DeflateIo;
use super::machine::{BlockState, Deflater, MIN_MATCH};
// zlib's routines' reasons to hand back control, so their loops serve here.
use super::routines::Step;
use crate::memory::Memory;
use chains::Chains;
pub(crate) use levels::band;
use levels::{Band, FastLevel};
pub(crate) use links::Links;

impl<M: Memory> Deflater<M> {
    /// The fast profile's block routine for levels 1-9 (the strategies
    /// Z_HUFFMAN_ONLY and Z_RLE and level 0 keep zlib's routines).
    pub(crate) fn deflate_fast_profile(
        &mut self,
        io: &mut DeflateIo<'_, '_>,
        flush: i32,
    ) -> BlockState {
        // Levels 1-6 build their trees without zlib's heap (sooner; the
        // codes differ in ties, by a few bytes either way); levels 7-9,
        // where the search takes nearly all of the time, keep zlib's.
        self.blocks.use_fast_trees(self.level <= 6);
        let level = levels::for_level(self.level);
        if level.hash4 || level.single_probe {
            self.rehash_history();
        }
        // Only the levels that walk with the links two back keep them. A
        // stream's first KB walk short chains: a table is allocated only
        // past them (on the bench's 1 KiB streams at level 9 its setup
        // cost 4% of the time).
        if level.two_back {
            let unlinked = self.strstart - self.insert;
            let seen = self.strstart + self.lookahead + io.avail_in();
            let links = &mut self.links;
            links.ready(
                &self.memory,
                self.w_size,
                &self.prev,
                unlinked,
                seen >= 4096,
            );
        } else {
            self.links.forget();
        }
        if !level.single_probe {
            // Their symbols are tallied: not on the counts level 1 left.
            self.blocks.forget_prior();
        }
        match band(self.level) {
            Band::Lazy => self.deflate_lazy(io, flush, level),
            _ if level.single_probe => self.deflate_quick(io, flush),
            _ => self.deflate_greedy(io, flush, level),
        }
    }

    /// Makes or frees the links two back for the stream's level and
    /// profile now, for a parallel stream's job about to run on a pool
    /// thread: there, compressing must neither allocate nor free (a
    /// caller's allocator is called on the caller's thread only).
    pub(crate) fn settle_links(&mut self) {
        let walks =
            self.profile() == super::Profile::Fast && levels::for_level(self.level).two_back;
        if !walks {
            self.links = Links::Absent;
        } else if matches!(self.links, Links::Absent) {
            self.links = self
                .memory
                .reserved(self.w_size)
                .map_or(Links::Refused, Links::Stale);
        }
    }

    /// Links the strings `from..to` under the four-byte hash.
    pub(crate) fn insert_four(&mut self, from: usize, to: usize) {
        let (mut chains, _) = self.chains(false, false);
        chains.hash4 = true;
        chains.insert_range(from, to);
        self.links.forget();
    }

    /// Hashes the history again with the four-byte hash when its last
    /// string is found under zlib's hash and neither it nor two older ones
    /// under the four-byte one: a dictionary (deflateSetDictionary hashes
    /// with zlib's) or a switch from a level that uses zlib's hash, whose
    /// strings could not be found otherwise. The older samples keep a run
    /// of tiny calls, where fill_window hashes the last strings with
    /// zlib's hash, from hashing the window again every call. A few
    /// lookups per call when nothing needs doing.
    fn rehash_history(&mut self) {
        let Some(last) = self.strstart.checked_sub(MIN_MATCH) else {
            return;
        };
        let from = self.strstart.saturating_sub(self.w_size);
        let (mut chains, _) = self.chains(false, false);
        let hashed =
            |chains: &Chains<'_>, at: usize| chains.head.get(chains.hash(at)) == Some(&(at as u16));
        if !hashed(&chains, last) {
            return;
        }
        chains.hash4 = true;
        let samples = [Some(last), last.checked_sub(64), last.checked_sub(512)];
        if samples
            .into_iter()
            .flatten()
            .any(|at| at >= from && hashed(&chains, at))
        {
            return;
        }
        chains.insert_range(from, last + 1);
        // Strings linked again change links that the table copied: it is
        // rebuilt before the walk.
        self.links.forget();
    }

    /// The chains borrowed apart from the rest of the state.
    /// `hash4` and `two_back` as the level's.
    fn chains(
        &mut self,
        hash4: bool,
        two_back: bool,
    ) -> (Chains<'_>, &mut super::trees::BlockWriter<M::Buffer<u8>>) {
        let prev2 = if two_back { self.links.kept() } else { None };
        (
            Chains {
                window: &self.window,
                head: &mut self.head,
                prev: &mut self.prev,
                prev2: prev2.map(|table| &mut **table),
                hash_bits: self.hash_bits,
                hash_shift: self.hash_shift,
                hash4,
                hash_mask: self.hash_mask,
                w_mask: self.w_mask,
            },
            &mut self.blocks,
        )
    }
}

/// Whether `level` hashes four bytes (rather than zlib's three).
pub(crate) fn hashes_four(level: i32) -> bool {
    let level = levels::for_level(level);
    level.hash4 || level.single_probe
}

/// Whether `level` never reads `prev` (level 1: one probe into `head`).
pub(crate) fn leaves_prev_unread(level: i32) -> bool {
    levels::for_level(level).single_probe
}

/// A match as the finders settle it: only matches the level keeps.
#[inline(always)]
fn worth_taking(level: &FastLevel, filtered: bool, len: usize, distance: usize) -> bool {
    len >= level.min_length && (len > 3 || distance <= level.far3) && !(filtered && len <= 5)
}
