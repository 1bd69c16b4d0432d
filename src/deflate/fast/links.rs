//! The links two back (`prev2[x] = prev[prev[x]]`), kept beside zlib's
//! `prev` for the fast profile's long walks (levels 7-9): a walk waits on
//! one link load per candidate, mostly an L2 hit; with the link after the
//! next one read while a candidate is tested, two loads are in flight.
//! The walk visits the same candidates in the same order, so the output
//! is the same with or without the table. It costs `w_size` u16s, through
//! the stream's allocator, once a stream has a few KB (the fast profile
//! promises at most 1.5 times zlib's memory; the table adds a quarter of
//! it at the default settings).
//!
//! A walk trusts `prev2[x]` only when it lies before `prev[x]` (real
//! links go back; the stale entries of strings never linked may not), and
//! else reads `prev` itself: the table is kept exact where it is trusted,
//! rather than checked at every step (a second load per step). Every
//! writer of `prev` keeps it while the table is [`Links::Kept`]: the fast
//! profile's inserts at the levels that use it, zlib's insert_string
//! (fill_window, dictionaries: [`Links::relink`] after them) and
//! slide_hash, which maps both tables alike. An entry copies the link of
//! a string linked before it, which changes only when that position is
//! linked again: `w_size` on (the old string is then beyond every walk)
//! or, by `rehash_history`, the same string (then the table is rebuilt).
//! Levels that do not keep it, zlib's profile and the stored,
//! Huffman-only and RLE routines (whose strings a later walk may reach
//! unlinked, through stale entries) leave it [`Links::Stale`], and it is
//! rebuilt from `prev` before it serves again; a rebuilt entry whose link
//! is a string still to be linked is marked untrusted. Emptied chains (a
//! reset or a full flush) make the table exact again: at levels 7-9 a
//! walk then reaches only strings linked since, which all are.

use crate::memory::{Grow, Memory};

/// The table and whether it can be trusted.
#[derive(Debug)]
pub(crate) enum Links<B> {
    /// Not allocated (yet).
    Absent,
    /// The allocator refused it: the stream walks without (it is only a
    /// speed aid).
    Refused,
    /// Allocated; `prev` may have changed without it.
    Stale(B),
    /// Allocated and exact (see the module's doc).
    Kept(B),
}

impl<B: Grow<u16>> Links<B> {
    /// The table, if it is kept exact: the one every writer of `prev`
    /// must update.
    #[inline(always)]
    pub(crate) fn kept(&mut self) -> Option<&mut B> {
        match self {
            Links::Kept(table) => Some(table),
            _ => None,
        }
    }

    /// The table, whether exact or not.
    fn table(&mut self) -> Option<&mut B> {
        match self {
            Links::Kept(table) | Links::Stale(table) => Some(table),
            _ => None,
        }
    }

    /// `prev` changes without the table from now on.
    // Out of line: called from many routines, rarely with work to do.
    #[inline(never)]
    pub(crate) fn forget(&mut self) {
        *self = match core::mem::replace(self, Links::Absent) {
            Links::Kept(table) => Links::Stale(table),
            other => other,
        };
    }

    /// The chains were emptied: no walk reaches a link made before, so
    /// the table is exact again.
    // Out of line: called from many routines, rarely with work to do.
    #[inline(never)]
    pub(crate) fn chains_cleared(&mut self) {
        *self = match core::mem::replace(self, Links::Absent) {
            Links::Stale(table) => Links::Kept(table),
            other => other,
        };
    }

    /// Makes the table as long as `prev`, which grows as the window does.
    // Out of line: called from many routines, rarely with work to do.
    #[inline(never)]
    pub(crate) fn grow(&mut self, len: usize) {
        if let Some(table) = self.table() {
            table.grow_zeroed(len);
        }
    }

    /// zlib's slide_hash on the table: the same map as on `prev`, so that
    /// a link two back stays the link of the link.
    pub(crate) fn slide(&mut self, w_size: u16) {
        if let Some(table) = self.table() {
            crate::deflate::hash::slide(table, w_size);
        }
    }

    /// Brings the table up to date after zlib's insert_string linked the
    /// strings `at` (fill_window's pending strings, a dictionary), in one
    /// pass after them: their links are to strings linked before them,
    /// whose own links those inserts left alone.
    #[inline]
    pub(crate) fn relink(&mut self, prev: &[u16], at: core::ops::Range<usize>, w_mask: usize) {
        if let Links::Kept(table) = self {
            relink_range(table, prev, at, w_mask);
        }
    }

    /// Makes the table exact for a walk: allocated (`w_size` links,
    /// through the stream's allocator) the first time, rebuilt from `prev`
    /// when stale; strings from `unlinked` on are linked after this. Left
    /// [`Links::Refused`] when the allocator refuses it, and absent
    /// unless `allocate`.
    #[inline(never)]
    pub(crate) fn ready<M: Memory<Buffer<u16> = B>>(
        &mut self,
        memory: &M,
        w_size: usize,
        prev: &[u16],
        unlinked: usize,
        allocate: bool,
    ) {
        if let (Links::Absent, true) = (&self, allocate) {
            *self = memory
                .reserved::<u16>(w_size)
                .map_or(Links::Refused, Links::Stale);
        }
        let Links::Stale(table) = self else {
            return;
        };
        table.grow_zeroed(prev.len());
        let w_mask = w_size - 1;
        for (two, &one) in table.iter_mut().zip(prev) {
            // A link to a string still to be linked will change: the
            // greatest value is never trusted (nor, slid, is what it
            // becomes, which stays at or above the slid link).
            *two = match prev.get(usize::from(one) & w_mask) {
                Some(&after) if usize::from(one) < unlinked => after,
                _ => u16::MAX,
            };
        }
        // Exact now.
        self.chains_cleared();
    }
}

/// [`Links::relink`]'s loop, out of line: it runs for two strings after a
/// flush, a window's after stored blocks, or once per dictionary.
#[inline(never)]
fn relink_range(table: &mut [u16], prev: &[u16], at: core::ops::Range<usize>, w_mask: usize) {
    for at in at {
        let one = prev.get(at & w_mask).copied().unwrap_or(0);
        let two = prev.get(usize::from(one) & w_mask).copied().unwrap_or(0);
        if let Some(p) = table.get_mut(at & w_mask) {
            *p = two;
        }
    }
}
