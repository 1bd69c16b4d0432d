//! zlib's longest_match: the walk along a hash chain for the longest match,
//! word at a time and with fixed-size windows so that every index is
//! provably in bounds.

use super::frame::{as_32k, Fixed32k, Frame, Sliced};
use crate::deflate::machine::{Deflater, MAX_MATCH, MIN_MATCH};
use crate::memory::Memory;

/// Common prefix length of `a` and `b`, eight bytes at a time.
#[inline(always)]
pub(super) fn common_prefix(a: &[u8; MAX_MATCH], b: &[u8; MAX_MATCH]) -> usize {
    let ((a_words, a_rest), (b_words, b_rest)) = (a.as_chunks::<8>(), b.as_chunks::<8>());
    for (i, (x, y)) in a_words.iter().zip(b_words).enumerate() {
        let diff = u64::from_le_bytes(*x) ^ u64::from_le_bytes(*y);
        if diff != 0 {
            return i * 8 + (diff.trailing_zeros() / 8) as usize;
        }
    }
    // The last MAX_MATCH % 8 bytes.
    MAX_MATCH - a_rest.len()
        + a_rest
            .iter()
            .zip(b_rest)
            .take_while(|(x, y)| x == y)
            .count()
}

/// The quick test of a candidate in the chain walk. zlib compares four
/// bytes: the two that end the best match so far (at best_len - 1 and
/// best_len) and the first two. A candidate is only taken if all of bytes
/// 0..=best_len match, so this tests more of them at once: the first eight
/// (up to best_len) and the eight that end at best_len. It lets through a
/// subset of what zlib's test lets through, never a candidate zlib would
/// take, and fewer reach the full comparison. With best_len 0, zlib tests
/// the byte before the string and bytes 0 and 1; so does this.
#[derive(Clone, Copy)]
pub(super) struct Probe {
    pub(super) head_at: usize,
    pub(super) tail_at: usize,
    pub(super) mask: u64,
    pub(super) head: u64,
    pub(super) tail: u64,
}

impl Probe {
    /// The test for candidates against the string at `scan` with the best
    /// length so far.
    #[inline(always)]
    pub(super) fn new<'a>(f: impl Frame<'a>, scan: usize, best_len: usize) -> Probe {
        // Offsets may be -1 (wrapping): the byte before the string.
        let (head_at, tail_at, mask) = match best_len {
            0 => (usize::MAX, usize::MAX, 0xff_ffff),
            1..=7 => (0, 0, u64::MAX >> (8 * (7 - best_len))),
            _ => (0, best_len - 7, u64::MAX),
        };
        Probe {
            head_at,
            tail_at,
            mask,
            head: f.word(scan.wrapping_add(head_at)),
            tail: f.word(scan.wrapping_add(tail_at)),
        }
    }

    /// Whether the string at `cur` passes the test.
    #[inline(always)]
    pub(super) fn may_beat<'a>(&self, f: impl Frame<'a>, cur: usize) -> bool {
        // The tail first, as zlib: most candidates fail there, and the
        // head is often in another cache line.
        (f.word(cur.wrapping_add(self.tail_at)) ^ self.tail) & self.mask == 0
            && (f.word(cur.wrapping_add(self.head_at)) ^ self.head) & self.mask == 0
    }
}

/// The string a search is for: its MAX_MATCH bytes, the first eight as a
/// word, and its position.
#[derive(Clone, Copy)]
pub(super) struct Here<'a> {
    pub(super) bytes: &'a [u8; MAX_MATCH],
    pub(super) word: u64,
    pub(super) scan: usize,
}

impl<'a> Here<'a> {
    #[inline(always)]
    pub(super) fn at(f: impl Frame<'a>, scan: usize) -> Here<'a> {
        Here {
            bytes: f.string(scan),
            word: f.word(scan),
            scan,
        }
    }
}

/// The test of one candidate. A longer match becomes the best (`best`: its
/// length and start) and sharpens the probe. Returns true when the match
/// reaches `nice` (the walk ends).
///
/// With `short`, best lengths 2 to 7 take the length below 8 from the first
/// eight bytes without a branch: early in a walk improvements come often
/// and unpredictably, and a mispredicted quick test costs more than the
/// arithmetic. Longer best lengths, and 0 and 1 (whose zlib test differs),
/// go through the quick [`Probe`] and then the full comparison.
#[inline(always)]
pub(super) fn try_candidate<'a>(
    f: impl Frame<'a>,
    short: bool,
    here: Here<'_>,
    probe: &mut Probe,
    best: (&mut usize, &mut usize),
    cur: usize,
    nice: usize,
) -> bool {
    let (best_len, match_start) = best;
    if short && (MIN_MATCH - 1..8).contains(best_len) {
        let len = ((f.word(cur) ^ here.word).trailing_zeros() / 8) as usize;
        if len < nice.min(8) {
            let better = len > *best_len;
            *best_len = core::hint::select_unpredictable(better, len, *best_len);
            *match_start = core::hint::select_unpredictable(better, cur, *match_start);
            return false;
        }
    } else if !probe.may_beat(f, cur) {
        return false;
    }
    let len = common_prefix(here.bytes, f.string(cur));
    if len > *best_len {
        *match_start = cur;
        *best_len = len;
        if len >= nice {
            return true;
        }
        *probe = Probe::new(f, here.scan, len);
    }
    false
}

/// What longest_match needs besides the window and the chains.
#[derive(Clone, Copy)]
pub(super) struct MatchSearch {
    pub(super) scan: usize,
    pub(super) best_len: usize,
    pub(super) match_start: usize,
    pub(super) nice: usize,
    pub(super) limit: usize,
    pub(super) chain: u32,
}

/// zlib's longest_match loop over the window and links of `f`. `SPECULATE` turns on the loads ahead for regular strides (they
/// only pay on long chains), `SHORT` the branchless test of short best
/// lengths (see [`try_candidate`]). Returns the best length and its start.
#[inline(always)]
pub(super) fn search_chain<'a, F: Frame<'a>, const SPECULATE: bool, const SHORT: bool>(
    f: F,
    mut cur_match: usize,
    s: MatchSearch,
) -> (usize, usize) {
    let MatchSearch {
        scan,
        mut best_len,
        mut match_start,
        nice,
        limit,
        mut chain,
    } = s;
    let here = Here::at(f, scan);
    let mut probe = Probe::new(f, scan, best_len);
    let link = |at: usize| f.link(at);
    // One step of zlib's walk: test the candidate `$cur`, then move to its
    // successor `$next` unless the walk ends. Evaluates to the successor.
    macro_rules! visit {
        ($cur:expr, $next:expr) => {{
            let cur: usize = $cur;
            let best = (&mut best_len, &mut match_start);
            if try_candidate(f, SHORT, here, &mut probe, best, cur, nice) {
                break;
            }
            let next: usize = $next;
            if next <= limit {
                break;
            }
            chain = chain.wrapping_sub(1);
            if chain == 0 {
                break;
            }
            next
        }};
    }
    // Each step waits for the load of the next link. In repetitive data
    // the chain often steps back by the same distance again and again;
    // after two equal steps, the links of the next four guessed positions
    // are loaded together and each guess is used only once the chain
    // confirms it, so the candidates and their order stay zlib's. Tracking
    // the stride costs every visit, so a walk whose breaks of the stride
    // outnumber its runs of guesses by 16 (text, code: most chains) goes on
    // without (7-12% at level 9). Executables mix both within a chain
    // (runs of zeros and of table entries between code): with a plain
    // count of 16 breaks, level 9 took 10% longer on one.
    let mut stride = 0usize;
    let mut regular = false;
    let mut irregular = 16;
    loop {
        if regular {
            let g1 = cur_match.wrapping_sub(stride);
            let g2 = g1.wrapping_sub(stride);
            let g3 = g2.wrapping_sub(stride);
            let (l0, l1, l2, l3) = (link(cur_match), link(g1), link(g2), link(g3));
            let mut at = cur_match;
            let mut next = visit!(at, l0);
            if next == g1 {
                at = g1;
                next = visit!(at, l1);
                if next == g2 {
                    at = g2;
                    next = visit!(at, l2);
                    if next == g3 {
                        at = g3;
                        next = visit!(at, l3);
                    }
                }
            }
            regular = at.wrapping_sub(next) == stride;
            irregular += 1;
            cur_match = next;
        } else {
            let next = visit!(cur_match, link(cur_match));
            let step = cur_match.wrapping_sub(next);
            regular = SPECULATE && step == stride;
            stride = step;
            cur_match = next;
            if SPECULATE && !regular {
                irregular -= 1;
                if irregular == 0 {
                    let rest = MatchSearch {
                        best_len,
                        match_start,
                        chain,
                        ..s
                    };
                    return search_chain::<F, false, SHORT>(f, cur_match, rest);
                }
            }
        }
    }
    (best_len, match_start)
}

/// Streams whose chains are at least this long (levels 7 to 9) walk with the
/// loads ahead for regular strides and without the branchless short test;
/// each class gets its own copy of the loops (`LONG`), so that neither's
/// code sits in the other's way.
pub(super) const LONG_CHAIN: u32 = 256;

/// [`search_chain`] for the window size at hand: the 32 KiB window's walks
/// of short chains inline into the caller's loop (a call per search saved,
/// about 3% at level 6); long chains and other sizes go through a call.
#[inline(always)]
pub(super) fn search_any_window<const LONG: bool>(
    window: &[u8],
    prev: &[u16],
    w_bits: u32,
    cur_match: usize,
    s: MatchSearch,
) -> (usize, usize) {
    match as_32k(window, prev, w_bits) {
        Some(f) if LONG => search_long_chain(f, cur_match, s),
        Some(f) => search_in::<_, false>(f, cur_match, s),
        None => {
            let w_mask = (1 << w_bits) - 1;
            search_smaller_window(Sliced::new(window, prev, w_mask), cur_match, s)
        }
    }
}

/// The walk of a long chain in the 32 KiB window, through a call: one copy
/// serves every routine, and a long walk makes the call's cost vanish.
#[inline(never)]
fn search_long_chain(f: Fixed32k<'_>, cur_match: usize, s: MatchSearch) -> (usize, usize) {
    search_in::<_, true>(f, cur_match, s)
}

/// [`search_any_window`] through a call, for windows under 32 KiB: one
/// plain copy of the walk, whatever the chains' length.
#[inline(never)]
fn search_smaller_window(f: Sliced<'_>, cur_match: usize, s: MatchSearch) -> (usize, usize) {
    search_chain::<_, false, false>(f, cur_match, s)
}

/// [`search_chain`] with the loads ahead for `LONG` chains, else with the
/// branchless test of short best lengths (see [`try_candidate`]) for
/// searches from best length 2: a search with a match pending improves too
/// rarely for it to pay.
#[inline(always)]
pub(super) fn search_in<'a, F: Frame<'a>, const LONG: bool>(
    f: F,
    cur_match: usize,
    s: MatchSearch,
) -> (usize, usize) {
    if LONG {
        search_chain::<F, true, false>(f, cur_match, s)
    } else if s.best_len < MIN_MATCH {
        search_chain::<F, false, true>(f, cur_match, s)
    } else {
        search_chain::<F, false, false>(f, cur_match, s)
    }
}

impl<M: Memory> Deflater<M> {
    /// Whether the stream's chains are long (see [`LONG_CHAIN`]): which copy
    /// of the walks serves it.
    #[inline(always)]
    pub(crate) fn long_chains(&self) -> bool {
        self.max_chain_length as u32 >= LONG_CHAIN
    }

    /// zlib's longest_match: follows the chain from `cur_match` and returns
    /// the best length (at most the lookahead), leaving its start in
    /// `match_start`.
    ///
    /// Like zlib, it reads up to MAX_MATCH bytes from strstart and from each
    /// candidate, and two bytes from the byte before it: strstart stays at
    /// most `window.len() - MIN_LOOKAHEAD` and candidates lie before it, so
    /// all of these are in the window.
    pub(crate) fn longest_match(&mut self, cur_match: usize) -> usize {
        // zlib counts the chain in a uInt: a tuned max_chain of 0 wraps.
        let mut chain = self.max_chain_length as u32;
        if self.prev_length >= self.good_match {
            chain >>= 2;
        }
        let search = MatchSearch {
            scan: self.strstart,
            best_len: self.prev_length,
            match_start: self.match_start,
            nice: self.nice_match.min(self.lookahead),
            limit: self.strstart.saturating_sub(self.max_dist()),
            chain,
        };
        let (window, prev, w_bits) = (&self.window, &self.prev, self.w_bits);
        let (best_len, match_start) = if self.long_chains() {
            search_any_window::<true>(window, prev, w_bits, cur_match, search)
        } else {
            search_any_window::<false>(window, prev, w_bits, cur_match, search)
        };
        self.match_start = match_start;
        best_len.min(self.lookahead)
    }
}

#[cfg(test)]
mod tests {
    use super::super::frame::Fixed;
    use super::*;
    use crate::deflate::machine::MIN_LOOKAHEAD;

    const PREV: usize = 512;
    const WIN: usize = 2 * PREV;

    /// zlib's longest_match loop written from its description: a byte at a
    /// time, the four-byte test, bytes from index 2 compared after it.
    fn reference(
        window: &[u8; WIN],
        prev: &[u16; PREV],
        mut cur: usize,
        s: MatchSearch,
    ) -> (usize, usize) {
        let (scan, mut best_len, mut start, mut chain) =
            (s.scan, s.best_len, s.match_start, s.chain);
        loop {
            let at = |p: usize, k: usize| window[(p + k).wrapping_sub(1)];
            if at(cur, best_len + 1) == at(scan, best_len + 1)
                && at(cur, best_len) == at(scan, best_len)
                && window[cur] == window[scan]
                && window[cur + 1] == window[scan + 1]
            {
                let mut len = 2;
                while len < MAX_MATCH && window[cur + len] == window[scan + len] {
                    len += 1;
                }
                if len > best_len {
                    start = cur;
                    best_len = len;
                    if len >= s.nice {
                        break;
                    }
                }
            }
            cur = usize::from(prev[cur & (PREV - 1)]);
            if cur <= s.limit {
                break;
            }
            chain = chain.wrapping_sub(1);
            if chain == 0 {
                break;
            }
        }
        (best_len, start)
    }

    /// Periodic data with some noise: long chains with regular strides
    /// that now and then break, ties, and matches of every length.
    #[test]
    fn chain_walks_match_zlibs_on_regular_and_broken_strides() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for round in 0..40 {
            let period = 3 + round % 13;
            let mut window = [0u8; WIN];
            for (i, b) in window.iter_mut().enumerate() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                *b = if seed.is_multiple_of(4 + round as u64) {
                    seed as u8 >> 6
                } else {
                    (i % period) as u8
                };
            }
            // Chains as INSERT_STRING builds them (hash of 3 bytes).
            let (hash_bits, mut head) = (9u32, [0u16; 512]);
            let mut prev = [0u16; PREV];
            let scan_max = WIN - MIN_LOOKAHEAD;
            for scan in 1..scan_max {
                let h = |p: usize| {
                    ((usize::from(window[p]) << 6)
                        ^ (usize::from(window[p + 1]) << 3)
                        ^ usize::from(window[p + 2]))
                        & ((1 << hash_bits) - 1)
                };
                let hash_head = usize::from(head[h(scan)]);
                prev[scan & (PREV - 1)] = hash_head as u16;
                head[h(scan)] = scan as u16;
                if hash_head == 0 || scan - hash_head > PREV - MIN_LOOKAHEAD {
                    continue;
                }
                for (best_len, chain, nice) in [
                    (2, 4, 8),
                    (0, 128, 258),
                    (5, 4096, 258),
                    (9, 64, 32),
                    (2, 32, 5),
                    (3, 128, 258),
                    (7, 16, 12),
                ] {
                    let s = MatchSearch {
                        scan,
                        best_len,
                        match_start: 7,
                        nice,
                        limit: scan.saturating_sub(PREV - MIN_LOOKAHEAD),
                        chain,
                    };
                    let want = reference(&window, &prev, hash_head, s);
                    // The fixed-size frame and the sliced one that windows
                    // under 32 KiB use must walk alike.
                    let fixed = Fixed {
                        window: &window,
                        prev: &prev,
                    };
                    let sliced = Sliced::new(&window, &prev, PREV - 1);
                    let walks = [
                        search_chain::<_, true, false>(fixed, hash_head, s),
                        search_chain::<_, false, false>(fixed, hash_head, s),
                        search_chain::<_, false, true>(fixed, hash_head, s),
                        search_chain::<_, true, true>(fixed, hash_head, s),
                        search_chain::<_, true, false>(sliced, hash_head, s),
                        search_chain::<_, false, false>(sliced, hash_head, s),
                        search_chain::<_, false, true>(sliced, hash_head, s),
                        search_chain::<_, true, true>(sliced, hash_head, s),
                    ];
                    assert_eq!(walks, [want; 8]);
                }
            }
        }
    }
}
