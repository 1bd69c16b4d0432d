//! The fast profile's view of the hash chains: zlib's own tables (so the
//! window, dictionaries, deflateParams and the stored level need nothing
//! of their own), hashed directly instead of rolling, and searched with a
//! short, quick chain walk. Strings that fill_window or a dictionary
//! linked by zlib's hash sit in other chains when `hash4` is on: a
//! candidate is always compared, so they only go unfound.

use crate::deflate::machine::{MAX_MATCH, MIN_MATCH};

/// The window, `head` and `prev`, borrowed apart from the rest of the
/// stream so that the hot loops keep their positions in registers.
pub(super) struct Chains<'a> {
    pub window: &'a [u8],
    pub head: &'a mut [u16],
    pub prev: &'a mut [u16],
    /// The links two back, exact (see [`super::links`]), at the levels
    /// that keep them: inserts update them and walks read them.
    pub prev2: Option<&'a mut [u16]>,
    pub hash_bits: u32,
    pub hash_shift: u32,
    pub hash4: bool,
    pub hash_mask: usize,
    pub w_mask: usize,
}

/// Strings inside a match whose chains a switching walk compares: the
/// first few hold most of the gain (on the bench corpus, 16 loses nothing
/// in size to all of them and saves 10% at level 9 on xml).
const SWITCH_SPAN: usize = 16;

/// A candidate search at one position.
#[derive(Clone, Copy)]
pub(super) struct Search {
    /// The position searched for.
    pub scan: usize,
    /// Candidates at or below this are too far (or NIL).
    pub limit: usize,
    /// Only a match longer than this counts.
    pub best_len: usize,
    /// Stop at a match this long.
    pub nice: usize,
    /// Never report a match longer than this (the lookahead).
    pub max: usize,
    /// Candidates to visit at most.
    pub chain: u32,
}

/// The four-byte hash: `word` multiplied by Knuth's constant (2^32 / the
/// golden ratio), its top `32 - shift` bits. Level 1's table and the
/// four-byte chains share it, so that level 1 can hand a stream to level 2
/// with its table.
#[inline(always)]
pub(super) fn hash4(word: u32, shift: u32) -> usize {
    (word.wrapping_mul(0x9E37_79B1) >> shift) as usize
}

/// The four bytes at `at`, or fewer if the window ends (the caller never
/// relies on bytes past the window: see [`Chains::match_length`]).
#[inline(always)]
fn word32(window: &[u8], at: usize) -> u32 {
    match window.get(at..at + 4) {
        Some(bytes) => u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]),
        None => 0,
    }
}

impl Chains<'_> {
    /// The chain of the string at `at`: a multiplicative hash of its four
    /// bytes (`hash4`), so that a chain holds few strings that share only
    /// three and a walk of a given length meets more real candidates; or
    /// zlib's hash of three bytes, as its rolling UPDATE_HASH leaves it
    /// (every older byte is shifted out of the mask), which keeps
    /// three-byte matches findable.
    #[inline(always)]
    pub fn hash(&self, at: usize) -> usize {
        let word = word32(self.window, at);
        if self.hash4 {
            return hash4(word, 32 - self.hash_bits);
        }
        let word = word as usize;
        let (b0, b1, b2) = (word & 0xff, (word >> 8) & 0xff, (word >> 16) & 0xff);
        ((b0 << (2 * self.hash_shift)) ^ (b1 << self.hash_shift) ^ b2) & self.hash_mask
    }

    /// zlib's INSERT_STRING: links the string at `at` into its chain and
    /// returns the previous head of the chain (0 for none).
    #[inline(always)]
    pub fn insert(&mut self, at: usize) -> usize {
        let Some(old) = self.link_head(at, self.hash(at)) else {
            return 0;
        };
        if let Some(two) = self.prev2.as_deref_mut() {
            // Read after the write above: a chain that comes back to `at`
            // (a string linked again) then reads its new link.
            let after = self.prev.get(usize::from(old) & self.w_mask);
            if let Some(p) = two.get_mut(at & self.w_mask) {
                *p = after.copied().unwrap_or(0);
            }
        }
        usize::from(old)
    }

    /// Makes `at` the head of chain `h`, linked to the old head, which it
    /// returns (`None` past the table).
    #[inline(always)]
    fn link_head(&mut self, at: usize, h: usize) -> Option<u16> {
        let old = core::mem::replace(self.head.get_mut(h)?, at as u16);
        if let Some(link) = self.prev.get_mut(at & self.w_mask) {
            *link = old;
        }
        Some(old)
    }

    /// Links the strings at `from..to` into their chains.
    #[inline(always)]
    pub fn insert_range(&mut self, from: usize, to: usize) {
        let mut at = from;
        if self.hash4 && self.prev2.is_none() {
            // Four strings' hashes from one eight-byte read (as `hash`
            // makes them), one bounds check: long matches link many.
            let shift = 32 - self.hash_bits;
            while at + 4 <= to {
                let Some(bytes) = self.window.get(at..at + 8) else {
                    break;
                };
                let word = u64::from_le_bytes(bytes.try_into().unwrap_or([0; 8]));
                for i in 0..4 {
                    self.link_head(at + i, hash4((word >> (8 * i)) as u32, shift));
                }
                at += 4;
            }
        }
        for at in at..to {
            self.insert(at);
        }
    }

    /// Common prefix of the strings at `a` and `b` (`a < b`), at most
    /// `max` (<= MAX_MATCH). Both lie before window.len() - MAX_MATCH
    /// (deflate keeps MIN_LOOKAHEAD bytes of window past strstart), so
    /// MAX_MATCH bytes from either are in the window; bytes past the
    /// lookahead may be stale, which `max` cuts off.
    #[inline(always)]
    pub fn match_length(&self, a: usize, b: usize, max: usize) -> usize {
        let (Some(x), Some(y)) = (
            self.window.get(a..a + MAX_MATCH),
            self.window.get(b..b + MAX_MATCH),
        ) else {
            return 0;
        };
        let (x_words, _) = x.as_chunks::<8>();
        let (y_words, _) = y.as_chunks::<8>();
        for (i, (p, q)) in x_words.iter().zip(y_words).enumerate() {
            let diff = u64::from_le_bytes(*p) ^ u64::from_le_bytes(*q);
            if diff != 0 {
                return (i * 8 + (diff.trailing_zeros() / 8) as usize).min(max);
            }
        }
        // The last MAX_MATCH % 8 bytes.
        let whole = x_words.len() * 8;
        let rest = x[whole..]
            .iter()
            .zip(&y[whole..])
            .take_while(|(p, q)| p == q)
            .count();
        (whole + rest).min(max)
    }

    /// Bytes the chains hash: a string's chain tells that it shares them.
    #[inline(always)]
    fn hashed_len(&self) -> usize {
        if self.hash4 {
            4
        } else {
            MIN_MATCH
        }
    }

    /// The longest match for `s.scan` on the chain from `first`, longer
    /// than `s.best_len`: its length and start, or `(s.best_len, 0)`.
    /// A candidate is only compared in full when the four bytes that end
    /// at the best length so far match (the bytes that a longer match
    /// needs, and the ones most likely to differ; the first three while
    /// it is shorter than three). The walk over candidates that fail that
    /// test is a loop of its own with few values live, so that they stay
    /// in registers (and so is the function: inlined into the routines'
    /// loops, it would share their registers).
    ///
    /// A longer match than one of `len` bytes has to share every string
    /// inside it, so with `SWITCH` the walk moves to the chain of the
    /// string inside it whose chain goes back farthest (the rarest, where
    /// fewer candidates fail), walking candidates `off` bytes before that
    /// chain's positions.
    ///
    /// With `prev2` (levels 7-9, [`super::links`]), the link after the
    /// next one is loaded while a candidate is tested, so that two link
    /// loads are in flight: the same candidates in the same order (`next`
    /// is always `cur`'s link).
    #[inline(never)]
    pub fn longest<const SWITCH: bool>(&self, first: usize, s: Search) -> (usize, usize) {
        let (window, prev, w_mask) = (self.window, &*self.prev, self.w_mask);
        let link = |at: usize| usize::from(prev.get(at & w_mask).copied().unwrap_or(0));
        // `cur`'s link two back: from `prev2` at `cur` when it lies
        // before `next` (a link that does not may be out of date: see
        // `super::links`), or else from `prev` at `next`. Only levels that
        // switch chains keep `prev2`.
        let prev2 = self.prev2.as_deref();
        let after_next = |cur: usize, next: usize| {
            if let Some(&after) = prev2.and_then(|table| table.get(cur & w_mask)) {
                if usize::from(after) < next {
                    return usize::from(after);
                }
            }
            link(next)
        };
        let (mut best_len, mut best_start) = (s.best_len.max(MIN_MATCH - 1), 0);
        // Candidates lie in limit + 1 .. scan: one unsigned compare.
        let low = s.limit + 1;
        let span = s.scan.saturating_sub(low);
        let hashed = self.hashed_len();
        let mut chain = s.chain.max(1);
        let mut tail_at = best_len.saturating_sub(3);
        let mut tail = word32(window, s.scan + tail_at);
        let mut mask = if best_len < 3 { 0x00ff_ffff } else { u32::MAX };
        // `cur` is a position on the chain walked, `off` bytes after the
        // candidate it stands for.
        let (mut cur, mut off) = (first, 0);
        if SWITCH && best_len > hashed {
            // The strings after scan are not linked yet: their chains
            // start at `head`.
            for i in 1..=(best_len - hashed).min(SWITCH_SPAN) {
                let head = self.head.get(self.hash(s.scan + i)).copied();
                let at = usize::from(head.unwrap_or(0));
                if at < cur {
                    (cur, off) = (at, i);
                }
            }
        }
        // (Without SWITCH, `next` and `after` go unused: the walk steps
        // through `link` as it always did.)
        let mut next = if SWITCH { link(cur) } else { 0 };
        loop {
            // The next candidate that passes the quick test, if any, with
            // `off` folded into the bounds and the tail's offset.
            let (low_at, tail_rel) = (low + off, tail_at.wrapping_sub(off));
            let after = loop {
                if cur.wrapping_sub(low_at) >= span {
                    return (best_len, best_start);
                }
                let after = if SWITCH { after_next(cur, next) } else { 0 };
                if (word32(window, cur.wrapping_add(tail_rel)) ^ tail) & mask == 0 {
                    break after;
                }
                chain -= 1;
                if chain == 0 {
                    return (best_len, best_start);
                }
                (cur, next) = if SWITCH {
                    (next, after)
                } else {
                    (link(cur), 0)
                };
            };
            let candidate = cur - off;
            let len = self.match_length(candidate, s.scan, s.max);
            if len > best_len {
                best_len = len;
                best_start = candidate;
                if len >= s.nice || len >= s.max {
                    return (best_len, best_start);
                }
                tail_at = best_len - 3;
                tail = word32(window, s.scan + tail_at);
                mask = u32::MAX;
                if SWITCH {
                    // The rarest chain among the strings inside the match
                    // that lie before scan (those after it are not linked
                    // yet: their entries still hold older strings').
                    let (mut to, mut to_off) = (link(candidate), 0);
                    // A match shorter than the bytes hashed (three bytes
                    // on four-byte chains) has no string inside to switch
                    // to: the walk goes on along the candidate's chain.
                    let last = len.saturating_sub(hashed);
                    let last = last.min(SWITCH_SPAN).min(s.scan - candidate - 1);
                    for i in 1..=last {
                        let at = link(candidate + i);
                        if at < to {
                            (to, to_off) = (at, i);
                        }
                    }
                    (cur, off) = (to, to_off);
                    next = link(cur);
                    chain -= 1;
                    if chain == 0 {
                        return (best_len, best_start);
                    }
                    continue;
                }
            }
            chain -= 1;
            if chain == 0 {
                return (best_len, best_start);
            }
            (cur, next) = if SWITCH {
                (next, after)
            } else {
                (link(cur), 0)
            };
        }
    }
}
