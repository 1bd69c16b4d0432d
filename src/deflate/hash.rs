//! zlib's hash chains as the stream keeps them: the rolling hash
//! (UPDATE_HASH), INSERT_STRING and slide_hash. Both profiles' match
//! finders search these chains.

use super::fast;
use super::machine::{Deflater, MIN_MATCH};
use super::profile::Profile;
use crate::memory::Memory;

impl<M: Memory> Deflater<M> {
    /// zlib's UPDATE_HASH.
    #[inline(always)]
    fn update_hash(&self, h: usize, c: u8) -> usize {
        ((h << self.hash_shift) ^ usize::from(c)) & self.hash_mask
    }

    /// zlib's INSERT_STRING: hashes the string at `at`, links it into its
    /// chain and returns the previous head of the chain.
    #[inline(always)]
    pub(crate) fn insert_string(&mut self, at: usize) -> usize {
        self.ins_h = self.update_hash(self.ins_h, self.byte(at + MIN_MATCH - 1));
        let h = self.ins_h;
        let head = self.head.get(h).copied().unwrap_or(0);
        if let Some(p) = self.prev.get_mut(at & self.w_mask) {
            *p = head;
        }
        if let Some(slot) = self.head.get_mut(h) {
            *slot = at as u16;
        }
        usize::from(head)
    }

    /// Restarts the rolling hash at `at` (two bytes in).
    pub(crate) fn start_hash(&mut self, at: usize) {
        self.ins_h = usize::from(self.byte(at));
        self.ins_h = self.update_hash(self.ins_h, self.byte(at + 1));
    }

    /// zlib's slide_hash: positions move down by w_size, those that fall
    /// out become NIL.
    pub(crate) fn slide_hash(&mut self) {
        let w = self.w_size as u16;
        slide(&mut self.head, w);
        // The fast profile's level 1 never reads `prev`: its slides leave it
        // as it is (the fast profile's walks take stale links for missed
        // matches). Asked of the stream as it is now, so that a reset to
        // zlib's profile slides it again.
        if !(self.profile() == Profile::Fast && fast::leaves_prev_unread(self.level)) {
            slide(&mut self.prev, w);
        }
        self.links.slide(w);
        self.slid = true;
    }
}

/// slide_hash on one table (one copy of the loop for all of them).
#[inline(never)]
pub(crate) fn slide(table: &mut [u16], w_size: u16) {
    table.iter_mut().for_each(|p| *p = p.saturating_sub(w_size));
}
