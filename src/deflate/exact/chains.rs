//! The exact profile's view of the hash chains in its hot loops: the tables
//! borrowed apart from the stream, at fixed sizes when they have the
//! default ones.

use crate::deflate::machine::MIN_MATCH;

/// A hash chain table (head or prev): a slice of any length, or an array
/// whose size is the table's, indexed without bounds checks.
pub(super) trait Table {
    /// The entry at `i`, which the caller masked to the table's size.
    fn entry(&mut self, i: usize) -> Option<&mut u16>;
    fn entries(&self) -> &[u16];
}

impl Table for [u16] {
    #[inline(always)]
    fn entry(&mut self, i: usize) -> Option<&mut u16> {
        self.get_mut(i)
    }

    fn entries(&self) -> &[u16] {
        self
    }
}

impl<const N: usize> Table for [u16; N] {
    /// `i & (N - 1)` is `i` for indices masked to the table's size, and
    /// provably in bounds.
    #[inline(always)]
    fn entry(&mut self, i: usize) -> Option<&mut u16> {
        Some(&mut self[i & (N - 1)])
    }

    fn entries(&self) -> &[u16] {
        self
    }
}

/// The sizes of the hash tables as the hot loops see them: fixed for the
/// default stream (windowBits 15, memLevel 8), which spares the inserts
/// their bounds checks (1.5% at level 6), or any.
pub(super) trait Shape {
    type Head: Table + ?Sized;
    type Prev: Table + ?Sized;

    /// Whether deflate_slow walks the chains at p and p + 1 together (see
    /// `PairSearch`): in the default shape only. The others are rare enough
    /// to walk one chain at a time, which keeps their copy of the loop small.
    const PAIRS: bool;

    /// The tables in this shape, if theirs (with the masks of their sizes).
    fn tables<'a>(
        head: &'a mut [u16],
        prev: &'a mut [u16],
        hash_mask: usize,
        w_mask: usize,
    ) -> Option<(&'a mut Self::Head, &'a mut Self::Prev)>;
}

/// Tables of 2^15 entries each.
pub(super) struct Default15;

impl Shape for Default15 {
    type Head = [u16; 1 << 15];
    type Prev = [u16; 1 << 15];
    const PAIRS: bool = true;

    #[inline(always)]
    fn tables<'a>(
        head: &'a mut [u16],
        prev: &'a mut [u16],
        hash_mask: usize,
        w_mask: usize,
    ) -> Option<(&'a mut Self::Head, &'a mut Self::Prev)> {
        if hash_mask != (1 << 15) - 1 || w_mask != (1 << 15) - 1 {
            return None;
        }
        Some((head.first_chunk_mut()?, prev.first_chunk_mut()?))
    }
}

/// Tables of any size.
pub(super) struct AnyShape;

impl Shape for AnyShape {
    type Head = [u16];
    type Prev = [u16];
    const PAIRS: bool = false;

    #[inline(always)]
    fn tables<'a>(
        head: &'a mut [u16],
        prev: &'a mut [u16],
        _: usize,
        _: usize,
    ) -> Option<(&'a mut [u16], &'a mut [u16])> {
        Some((head, prev))
    }
}

/// The hash chains borrowed apart from the rest of the state, so that the
/// hot loops keep their positions in registers.
pub(super) struct Chains<'a, S: Shape> {
    pub(super) window: &'a [u8],
    pub(super) head: &'a mut S::Head,
    pub(super) prev: &'a mut S::Prev,
    pub(super) hash_shift: u32,
    pub(super) hash_mask: usize,
    pub(super) w_mask: usize,
}

impl<S: Shape> Chains<'_, S> {
    /// zlib's UPDATE_HASH with the byte at `at` (0 outside the window).
    #[inline(always)]
    pub(super) fn update_hash(&self, h: usize, at: usize) -> usize {
        let c = self.window.get(at).copied().unwrap_or(0);
        ((h << self.hash_shift) ^ usize::from(c)) & self.hash_mask
    }

    /// zlib's INSERT_STRING for the string at `at` with the rolling hash
    /// `h`; returns the previous head of its chain.
    #[inline(always)]
    pub(super) fn insert(&mut self, h: &mut usize, at: usize) -> usize {
        *h = self.update_hash(*h, at + MIN_MATCH - 1);
        let Some(slot) = self.head.entry(*h) else {
            return 0;
        };
        let head = *slot;
        *slot = at as u16;
        if let Some(p) = self.prev.entry(at & self.w_mask) {
            *p = head;
        }
        usize::from(head)
    }
}
