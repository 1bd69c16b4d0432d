//! The window and the chain links as a match search reads them.
//!
//! A 32 KiB window (windowBits 15, nearly every stream) is read through
//! fixed-size arrays, so that the walks compile without bounds checks and
//! inline into the routines. Smaller windows share one copy of the walks
//! over slices: a copy per window size would make the library a fifth
//! larger for streams that are rare, and the checks cost them little.

use crate::deflate::machine::MAX_MATCH;

/// Read access to the window and the chain links. Positions are clamped
/// into the window: callers only pass positions inside it (see
/// `Deflater::longest_match`), and the clamp lets the compiler drop the
/// bounds checks.
pub(super) trait Frame<'a>: Copy {
    /// The MAX_MATCH bytes from `at`.
    fn string(self, at: usize) -> &'a [u8; MAX_MATCH];
    /// The eight bytes from `at`, little-endian.
    fn word(self, at: usize) -> u64;
    /// The chain link of `at`: the previous position with the same hash.
    fn link(self, at: usize) -> usize;
}

/// A window of `WIN` bytes and `PREV` links (2 * w_size and w_size).
#[derive(Clone, Copy)]
pub(super) struct Fixed<'a, const WIN: usize, const PREV: usize> {
    pub(super) window: &'a [u8; WIN],
    pub(super) prev: &'a [u16; PREV],
}

impl<'a, const WIN: usize, const PREV: usize> Frame<'a> for Fixed<'a, WIN, PREV> {
    #[inline(always)]
    fn string(self, at: usize) -> &'a [u8; MAX_MATCH] {
        let at = at.min(WIN - MAX_MATCH);
        self.window[at..]
            .first_chunk::<MAX_MATCH>()
            .unwrap_or(&[0; MAX_MATCH])
    }

    #[inline(always)]
    fn word(self, at: usize) -> u64 {
        let at = at.min(WIN - 8);
        u64::from_le_bytes(*self.window[at..].first_chunk::<8>().unwrap_or(&[0; 8]))
    }

    #[inline(always)]
    fn link(self, at: usize) -> usize {
        usize::from(self.prev[at & (PREV - 1)])
    }
}

/// A window of any size, for windowBits 8 to 14, and for a 32 KiB one
/// while its buffers are usable only in part (see
/// `Deflater::grow_window`).
#[derive(Clone, Copy)]
pub(super) struct Sliced<'a> {
    window: &'a [u8],
    prev: &'a [u16],
    /// w_size - 1 (w_size is a power of two).
    w_mask: usize,
}

impl<'a> Sliced<'a> {
    pub(super) fn new(window: &'a [u8], prev: &'a [u16], w_mask: usize) -> Sliced<'a> {
        Sliced {
            window,
            prev,
            w_mask,
        }
    }
}

impl<'a> Frame<'a> for Sliced<'a> {
    #[inline(always)]
    fn string(self, at: usize) -> &'a [u8; MAX_MATCH] {
        let at = at.min(self.window.len().saturating_sub(MAX_MATCH));
        self.window[at..]
            .first_chunk::<MAX_MATCH>()
            .unwrap_or(&[0; MAX_MATCH])
    }

    #[inline(always)]
    fn word(self, at: usize) -> u64 {
        let at = at.min(self.window.len().saturating_sub(8));
        u64::from_le_bytes(*self.window[at..].first_chunk::<8>().unwrap_or(&[0; 8]))
    }

    /// A missing link reads as 0, which ends every walk.
    #[inline(always)]
    fn link(self, at: usize) -> usize {
        self.prev
            .get(at & self.w_mask)
            .map_or(0, |&l| usize::from(l))
    }
}

/// The frame of a 32 KiB window (windowBits 15).
pub(super) type Fixed32k<'a> = Fixed<'a, { 1 << 16 }, { 1 << 15 }>;

/// The 32 KiB window as [`Fixed`] arrays, when that is the stream's size.
#[inline(always)]
pub(super) fn as_32k<'a>(window: &'a [u8], prev: &'a [u16], w_bits: u32) -> Option<Fixed32k<'a>> {
    match (window.first_chunk(), prev.first_chunk()) {
        (Some(window), Some(prev)) if w_bits == 15 => Some(Fixed { window, prev }),
        _ => None,
    }
}
