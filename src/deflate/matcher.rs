//! The window, the hash chains and the match finders (zlib's fill_window,
//! slide_hash, INSERT_STRING and longest_match), and the block routines
//! that drive them: deflate_fast, deflate_slow, deflate_rle, deflate_huff.

use super::io::DeflateIo;
use super::machine::{
    BlockState, Deflater, MAX_MATCH, MIN_LOOKAHEAD, MIN_MATCH, Z_FILTERED, Z_FINISH, Z_NO_FLUSH,
};
use crate::memory::Memory;

/// Lazy levels drop 3-byte matches farther than this.
const TOO_FAR: usize = 4096;

/// The MAX_MATCH bytes from `at`. `at` is clamped into the window: callers
/// only pass positions inside it (see [`Deflater::longest_match`]), and the
/// clamp lets the compiler drop the bounds checks.
#[inline(always)]
fn string_at<const WIN: usize>(window: &[u8; WIN], at: usize) -> &[u8; MAX_MATCH] {
    let at = at.min(WIN - MAX_MATCH);
    window[at..]
        .first_chunk::<MAX_MATCH>()
        .unwrap_or(&[0; MAX_MATCH])
}

/// Common prefix length of `a` and `b`, eight bytes at a time.
#[inline(always)]
fn common_prefix(a: &[u8; MAX_MATCH], b: &[u8; MAX_MATCH]) -> usize {
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

/// The eight bytes at `window[at..at + 8]`, `at` clamped as in [`string_at`].
#[inline(always)]
fn word_at<const WIN: usize>(window: &[u8; WIN], at: usize) -> u64 {
    let at = at.min(WIN - 8);
    u64::from_le_bytes(*window[at..].first_chunk::<8>().unwrap_or(&[0; 8]))
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
struct Probe {
    head_at: usize,
    tail_at: usize,
    mask: u64,
    head: u64,
    tail: u64,
}

impl Probe {
    /// The test for candidates against the string at `scan` with the best
    /// length so far.
    #[inline(always)]
    fn new<const WIN: usize>(window: &[u8; WIN], scan: usize, best_len: usize) -> Probe {
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
            head: word_at(window, scan.wrapping_add(head_at)),
            tail: word_at(window, scan.wrapping_add(tail_at)),
        }
    }

    /// Whether the string at `cur` passes the test.
    #[inline(always)]
    fn may_beat<const WIN: usize>(&self, window: &[u8; WIN], cur: usize) -> bool {
        // The tail first, as zlib: most candidates fail there, and the
        // head is often in another cache line.
        (word_at(window, cur.wrapping_add(self.tail_at)) ^ self.tail) & self.mask == 0
            && (word_at(window, cur.wrapping_add(self.head_at)) ^ self.head) & self.mask == 0
    }
}

/// The string a search is for: its MAX_MATCH bytes, the first eight as a
/// word, and its position.
#[derive(Clone, Copy)]
struct Here<'a> {
    bytes: &'a [u8; MAX_MATCH],
    word: u64,
    scan: usize,
}

impl<'a> Here<'a> {
    #[inline(always)]
    fn at<const WIN: usize>(window: &'a [u8; WIN], scan: usize) -> Here<'a> {
        Here {
            bytes: string_at(window, scan),
            word: word_at(window, scan),
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
fn try_candidate<const WIN: usize>(
    window: &[u8; WIN],
    short: bool,
    here: Here<'_>,
    probe: &mut Probe,
    best: (&mut usize, &mut usize),
    cur: usize,
    nice: usize,
) -> bool {
    let (best_len, match_start) = best;
    if short && (MIN_MATCH - 1..8).contains(best_len) {
        let len = ((word_at(window, cur) ^ here.word).trailing_zeros() / 8) as usize;
        if len < nice.min(8) {
            let better = len > *best_len;
            *best_len = core::hint::select_unpredictable(better, len, *best_len);
            *match_start = core::hint::select_unpredictable(better, cur, *match_start);
            return false;
        }
    } else if !probe.may_beat(window, cur) {
        return false;
    }
    let len = common_prefix(here.bytes, string_at(window, cur));
    if len > *best_len {
        *match_start = cur;
        *best_len = len;
        if len >= nice {
            return true;
        }
        *probe = Probe::new(window, here.scan, len);
    }
    false
}

/// What longest_match needs besides the window and the chains.
#[derive(Clone, Copy)]
struct MatchSearch {
    scan: usize,
    best_len: usize,
    match_start: usize,
    nice: usize,
    limit: usize,
    chain: u32,
}

/// zlib's longest_match loop for a window of `WIN` bytes and `PREV` chain
/// links (2 * w_size and w_size): fixed sizes make every index provably in
/// bounds. `SPECULATE` turns on the loads ahead for regular strides (they
/// only pay on long chains), `SHORT` the branchless test of short best
/// lengths (see [`try_candidate`]). Returns the best length and its start.
#[inline(always)]
fn search_chain<const WIN: usize, const PREV: usize, const SPECULATE: bool, const SHORT: bool>(
    window: &[u8; WIN],
    prev: &[u16; PREV],
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
    let here = Here::at(window, scan);
    let mut probe = Probe::new(window, scan, best_len);
    let link = |at: usize| usize::from(prev[at & (PREV - 1)]);
    // One step of zlib's walk: test the candidate `$cur`, then move to its
    // successor `$next` unless the walk ends. Evaluates to the successor.
    macro_rules! visit {
        ($cur:expr, $next:expr) => {{
            let cur: usize = $cur;
            let best = (&mut best_len, &mut match_start);
            if try_candidate(window, SHORT, here, &mut probe, best, cur, nice) {
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
    // the stride costs every visit, so a walk that has broken it 16 times
    // (text, code: most chains) goes on without (7-12% at level 9).
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
                    return search_chain::<WIN, PREV, false, SHORT>(window, prev, cur_match, rest);
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
const LONG_CHAIN: u32 = 256;

/// Evaluates `$body` with `$win: &[u8; 2 * w_size]` and `$pr: &[u16; w_size]`
/// borrowed from `$window` and `$prev` for the window size at hand (`$w_bits`
/// 9..=15), or `$short` if they are shorter: fixed sizes make every index
/// in the walks provably in bounds.
macro_rules! for_window_size {
    ($w_bits:expr, $window:expr, $prev:expr, |$win:ident, $pr:ident| $body:expr, $short:expr) => {
        match $w_bits {
            15 => for_window_size!(@ 15, $window, $prev, |$win, $pr| $body, $short),
            14 => for_window_size!(@ 14, $window, $prev, |$win, $pr| $body, $short),
            13 => for_window_size!(@ 13, $window, $prev, |$win, $pr| $body, $short),
            12 => for_window_size!(@ 12, $window, $prev, |$win, $pr| $body, $short),
            11 => for_window_size!(@ 11, $window, $prev, |$win, $pr| $body, $short),
            10 => for_window_size!(@ 10, $window, $prev, |$win, $pr| $body, $short),
            _ => for_window_size!(@ 9, $window, $prev, |$win, $pr| $body, $short),
        }
    };
    (@ $bits:literal, $window:expr, $prev:expr, |$win:ident, $pr:ident| $body:expr, $short:expr) => {{
        const PREV: usize = 1 << $bits;
        match ($window.first_chunk::<{ 2 * PREV }>(), $prev.first_chunk::<PREV>()) {
            (Some($win), Some($pr)) => $body,
            _ => $short,
        }
    }};
}

/// The window and the chain links as fixed-size arrays when the window is
/// 32 KiB (windowBits 15, the common case): its walks are then inlined into
/// the caller's loop, which saves a call per search (about 3% at level 6).
#[inline(always)]
fn as_32k<'a>(
    window: &'a [u8],
    prev: &'a [u16],
    w_bits: u32,
) -> Option<(&'a [u8; 1 << 16], &'a [u16; 1 << 15])> {
    match (window.first_chunk(), prev.first_chunk()) {
        (Some(window), Some(prev)) if w_bits == 15 => Some((window, prev)),
        _ => None,
    }
}

/// [`search_chain`] for the window size at hand (`w_bits` 9..=15).
#[inline(always)]
fn search_any_window<const LONG: bool>(
    window: &[u8],
    prev: &[u16],
    w_bits: u32,
    cur_match: usize,
    s: MatchSearch,
) -> (usize, usize) {
    match as_32k(window, prev, w_bits) {
        Some((window, prev)) => search_any_window_sized::<_, _, LONG>(window, prev, cur_match, s),
        None => search_smaller_window::<LONG>(window, prev, w_bits, cur_match, s),
    }
}

/// [`search_any_window`] through a call, for windows under 32 KiB.
#[inline(never)]
fn search_smaller_window<const LONG: bool>(
    window: &[u8],
    prev: &[u16],
    w_bits: u32,
    cur_match: usize,
    s: MatchSearch,
) -> (usize, usize) {
    for_window_size!(
        w_bits,
        window,
        prev,
        |window, prev| search_any_window_sized::<_, _, LONG>(window, prev, cur_match, s),
        (s.best_len, s.match_start)
    )
}

/// A chain walk in progress: the next candidate to visit, the best match
/// so far and the visits left.
#[derive(Clone, Copy)]
struct Walk {
    cur: usize,
    best_len: usize,
    match_start: usize,
    chain: u32,
}

/// One visit of [`search_chain`]'s loop for a [`Walk`]: tests `w.cur` and
/// moves to its successor. Returns false when the walk ends: at `nice`, at
/// the limit (`w.chain` left nonzero) or with no visits left (`w.chain`
/// 0, `w.cur` the successor).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn visit<const WIN: usize, const PREV: usize, const LONG: bool>(
    window: &[u8; WIN],
    prev: &[u16; PREV],
    here: Here<'_>,
    probe: &mut Probe,
    w: &mut Walk,
    nice: usize,
    limit: usize,
) -> bool {
    let cur = w.cur;
    let best = (&mut w.best_len, &mut w.match_start);
    if try_candidate(window, !LONG, here, probe, best, cur, nice) {
        return false;
    }
    let next = usize::from(prev[cur & (PREV - 1)]);
    if next <= limit {
        return false;
    }
    w.cur = next;
    w.chain = w.chain.wrapping_sub(1);
    w.chain != 0
}

/// The search at strstart + 1 walked together with the one at strstart
/// (see [`PairSearch`]), from best length 2, before strstart's result (the
/// next step's best length and chain budget) is known.
#[derive(Clone, Copy)]
struct Ahead {
    walk: Walk,
    /// The walk ended (nice, limit, or the full budget used).
    done: bool,
    /// Best length and start after the quarter budget (or at the end if
    /// the walk ended sooner); `None` while the walk is short of it.
    quarter: Option<(usize, usize)>,
    /// Visits of the full budget beyond the quarter.
    rest: u32,
}

/// Two walks at once: the search at strstart (`a`, with its own best
/// length, from `a_head`: a chain's head or where a walk ahead stopped)
/// and the one at strstart + 1 (from best length 2, a quarter
/// budget `quarter` first, then `full - quarter` more). Each waits on its
/// own link loads, so together they take little more than the longer.
/// Short chains (not `LONG`) test short best lengths without a branch; on
/// long ones improvements are rarer per visit and the quick test's branch
/// is cheaper.
#[derive(Clone, Copy)]
struct PairSearch {
    a: MatchSearch,
    a_head: usize,
    b_head: usize,
    b_limit: usize,
    quarter: u32,
    full: u32,
}

#[inline(always)]
fn pair_chain<const WIN: usize, const PREV: usize, const LONG: bool>(
    window: &[u8; WIN],
    prev: &[u16; PREV],
    p: PairSearch,
) -> ((usize, usize), Ahead) {
    let s = p.a;
    let (here_a, here_b) = (Here::at(window, s.scan), Here::at(window, s.scan + 1));
    let mut probe_a = Probe::new(window, s.scan, s.best_len);
    let mut probe_b = Probe::new(window, s.scan + 1, MIN_MATCH - 1);
    let mut a = Walk {
        cur: p.a_head,
        best_len: s.best_len,
        match_start: s.match_start,
        chain: s.chain,
    };
    let mut b = Walk {
        cur: p.b_head,
        best_len: MIN_MATCH - 1,
        match_start: 0,
        chain: p.quarter,
    };
    let mut quarter = None;
    // A visit, then B's, until one walk ends; `true` when A's did (B's
    // next visit is then still to come).
    let a_ended = loop {
        if !visit::<WIN, PREV, LONG>(window, prev, here_a, &mut probe_a, &mut a, s.nice, s.limit) {
            break true;
        }
        if !visit::<WIN, PREV, LONG>(
            window,
            prev,
            here_b,
            &mut probe_b,
            &mut b,
            s.nice,
            p.b_limit,
        ) {
            if b.chain == 0 && quarter.is_none() {
                quarter = Some((b.best_len, b.match_start));
                b.chain = p.full - p.quarter;
            } else {
                break false;
            }
        }
    };
    if !a_ended && quarter.is_none() {
        quarter = Some((b.best_len, b.match_start));
    }
    let found = if !a_ended {
        let rest = MatchSearch {
            best_len: a.best_len,
            match_start: a.match_start,
            chain: a.chain,
            ..s
        };
        search_any_window_sized::<_, _, LONG>(window, prev, a.cur, rest)
    } else {
        (a.best_len, a.match_start)
    };
    let ahead = Ahead {
        walk: b,
        done: !a_ended,
        quarter,
        rest: p.full - p.quarter,
    };
    (found, ahead)
}

/// Where a search stands: found, or still to walk from a candidate.
enum Search {
    Found((usize, usize)),
    Walk(MatchSearch, usize),
}

/// The search at strstart + 1 with the state [`pair_chain`] left: `s` is
/// the step's own (zlib's prev_length, match_start, the budget it picked,
/// and the limit the walk ahead used).
fn resume_ahead(ahead: &Ahead, s: MatchSearch, full: u32) -> Search {
    let merge = |(len, start): (usize, usize)| {
        if len > s.best_len {
            (len, start)
        } else {
            (s.best_len, s.match_start)
        }
    };
    let b = &ahead.walk;
    let chain = if s.chain == full {
        if ahead.done {
            return Search::Found(merge((b.best_len, b.match_start)));
        }
        if ahead.quarter.is_none() {
            b.chain + ahead.rest
        } else {
            b.chain
        }
    } else {
        if let Some(q) = ahead.quarter {
            return Search::Found(merge(q));
        }
        b.chain
    };
    let (best_len, match_start) = merge((b.best_len, b.match_start));
    let rest = MatchSearch {
        best_len,
        match_start,
        chain,
        ..s
    };
    Search::Walk(rest, b.cur)
}

/// [`search_chain`] with the loads ahead for `LONG` chains, else with the
/// branchless test of short best lengths (see [`try_candidate`]) for
/// searches from best length 2: a search with a match pending improves too
/// rarely for it to pay.
#[inline(always)]
fn search_any_window_sized<const WIN: usize, const PREV: usize, const LONG: bool>(
    window: &[u8; WIN],
    prev: &[u16; PREV],
    cur_match: usize,
    s: MatchSearch,
) -> (usize, usize) {
    if LONG {
        search_chain::<WIN, PREV, true, false>(window, prev, cur_match, s)
    } else if s.best_len < MIN_MATCH {
        search_chain::<WIN, PREV, false, true>(window, prev, cur_match, s)
    } else {
        search_chain::<WIN, PREV, false, false>(window, prev, cur_match, s)
    }
}

/// [`pair_chain`] for the window size at hand (`w_bits` 9..=15).
#[inline(always)]
fn pair_any_window<const LONG: bool>(
    window: &[u8],
    prev: &[u16],
    w_bits: u32,
    p: PairSearch,
) -> Option<((usize, usize), Ahead)> {
    match as_32k(window, prev, w_bits) {
        Some((window, prev)) => Some(pair_chain::<_, _, LONG>(window, prev, p)),
        None => pair_smaller_window::<LONG>(window, prev, w_bits, p),
    }
}

/// [`pair_any_window`] through a call, for windows under 32 KiB.
#[inline(never)]
fn pair_smaller_window<const LONG: bool>(
    window: &[u8],
    prev: &[u16],
    w_bits: u32,
    p: PairSearch,
) -> Option<((usize, usize), Ahead)> {
    for_window_size!(
        w_bits,
        window,
        prev,
        |window, prev| Some(pair_chain::<_, _, LONG>(window, prev, p)),
        None
    )
}

/// A hash chain table (head or prev): a slice of any length, or an array
/// whose size is the table's, indexed without bounds checks.
trait Table {
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
trait Shape {
    type Head: Table + ?Sized;
    type Prev: Table + ?Sized;

    /// The tables in this shape, if theirs (with the masks of their sizes).
    fn tables<'a>(
        head: &'a mut [u16],
        prev: &'a mut [u16],
        hash_mask: usize,
        w_mask: usize,
    ) -> Option<(&'a mut Self::Head, &'a mut Self::Prev)>;
}

/// Tables of 2^15 entries each.
struct Default15;

impl Shape for Default15 {
    type Head = [u16; 1 << 15];
    type Prev = [u16; 1 << 15];

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
struct AnyShape;

impl Shape for AnyShape {
    type Head = [u16];
    type Prev = [u16];

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
struct Chains<'a, S: Shape> {
    window: &'a [u8],
    head: &'a mut S::Head,
    prev: &'a mut S::Prev,
    hash_shift: u32,
    hash_mask: usize,
    w_mask: usize,
}

impl<S: Shape> Chains<'_, S> {
    /// zlib's UPDATE_HASH with the byte at `at` (0 outside the window).
    #[inline(always)]
    fn update_hash(&self, h: usize, at: usize) -> usize {
        let c = self.window.get(at).copied().unwrap_or(0);
        ((h << self.hash_shift) ^ usize::from(c)) & self.hash_mask
    }

    /// zlib's INSERT_STRING for the string at `at` with the rolling hash
    /// `h`; returns the previous head of its chain.
    #[inline(always)]
    fn insert(&mut self, h: &mut usize, at: usize) -> usize {
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

/// What the refill at the top of a block routine's loop found.
enum Refill {
    /// Enough lookahead (or a flush asks to go on with less): step on.
    Ready,
    /// More input is needed before the next step.
    NeedMore,
    /// The input is all consumed: finish the block.
    Drained,
}

/// Why the hot loop of a block routine (zlib's or the fast profile's)
/// handed back control.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// The lookahead fell below MIN_LOOKAHEAD: refill first.
    Refill,
    /// A step filled the block (zlib's `bflush`).
    BlockFull,
    /// Lazy routines only: a literal step tallied the previous byte but has
    /// not stepped past it, because it filled the block (`true`) or the
    /// output has no space.
    Literal(bool),
}

impl<M: Memory> Deflater<M> {
    /// zlib's MAX_DIST: the farthest match distance kept clear of the
    /// lookahead.
    #[inline(always)]
    pub(crate) fn max_dist(&self) -> usize {
        self.w_size - MIN_LOOKAHEAD
    }

    /// Whether the stream's chains are long (see [`LONG_CHAIN`]): which copy
    /// of the walks serves it.
    #[inline(always)]
    fn long_chains(&self) -> bool {
        self.max_chain_length as u32 >= LONG_CHAIN
    }

    #[inline(always)]
    fn byte(&self, at: usize) -> u8 {
        self.window.get(at).copied().unwrap_or(0)
    }

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
    fn start_hash(&mut self, at: usize) {
        self.ins_h = usize::from(self.byte(at));
        self.ins_h = self.update_hash(self.ins_h, self.byte(at + 1));
    }

    /// zlib's slide_hash: positions move down by w_size, those that fall
    /// out become NIL.
    pub(crate) fn slide_hash(&mut self) {
        let w = self.w_size as u16;
        let slide = |p: &mut u16| *p = p.saturating_sub(w);
        self.head.iter_mut().for_each(slide);
        self.prev.iter_mut().for_each(slide);
        self.slid = true;
    }

    /// zlib's fill_window: slides the window when strstart nears its end,
    /// reads input behind the lookahead and hashes pending strings.
    pub(crate) fn fill_window(&mut self, io: &mut DeflateIo<'_, '_>) {
        let w = self.w_size;
        loop {
            let mut more = self.window.len() - self.lookahead - self.strstart;
            if self.strstart >= w + self.max_dist() {
                self.window.copy_within(w..w + w - more, 0);
                // zlib's unsigned `match_start -= wsize`: a pending match
                // may start just below the slid half (at most MAX_DIST back
                // from a strstart of at least w_size + MAX_DIST, so at
                // w_size - 1): it wraps, and the distances computed from it
                // wrap back.
                self.match_start = self.match_start.wrapping_sub(w);
                self.strstart -= w;
                self.block_start -= w as i64;
                self.insert = self.insert.min(self.strstart);
                self.slide_hash();
                more += w;
            }
            if io.avail_in() == 0 {
                break;
            }
            let at = self.strstart + self.lookahead;
            let n = io.read_into(&mut self.window[at..at + more], self.wrap);
            self.lookahead += n;
            if self.lookahead + self.insert >= MIN_MATCH {
                let mut at = self.strstart - self.insert;
                self.start_hash(at);
                while self.insert != 0 {
                    self.insert_string(at);
                    at += 1;
                    self.insert -= 1;
                    if self.lookahead + self.insert < MIN_MATCH {
                        break;
                    }
                }
            }
            if self.lookahead >= MIN_LOOKAHEAD || io.avail_in() == 0 {
                break;
            }
        }
        self.high_water = self.high_water.max(self.strstart + self.lookahead);
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

    /// Ends the block at strstart; `Some` tells the routine to return.
    pub(crate) fn flush_block(
        &mut self,
        io: &mut DeflateIo<'_, '_>,
        last: bool,
    ) -> Option<BlockState> {
        self.flush_block_only(io, last);
        if io.avail_out() == 0 {
            return Some(if last {
                BlockState::FinishStarted
            } else {
                BlockState::NeedMore
            });
        }
        None
    }

    /// The common end of the compressing routines once input ran out.
    pub(crate) fn finish_routine(&mut self, io: &mut DeflateIo<'_, '_>, flush: i32) -> BlockState {
        if flush == Z_FINISH {
            if let Some(state) = self.flush_block(io, true) {
                return state;
            }
            return BlockState::FinishDone;
        }
        if self.blocks.has_symbols() {
            if let Some(state) = self.flush_block(io, false) {
                return state;
            }
        }
        BlockState::BlockDone
    }

    /// The next window byte as a literal.
    #[inline(always)]
    fn tally_literal_at(&mut self, at: usize) -> bool {
        let byte = self.byte(at);
        self.blocks.tally_literal(byte)
    }

    /// The top of every block routine's loop (zlib's and the fast
    /// profile's): fills the window when the lookahead is below `min`.
    #[inline(always)]
    fn refill(&mut self, min: usize, io: &mut DeflateIo<'_, '_>, flush: i32) -> Refill {
        if self.lookahead < min {
            self.fill_window(io);
            if self.lookahead < min && flush == Z_NO_FLUSH {
                return Refill::NeedMore;
            }
            if self.lookahead == 0 {
                return Refill::Drained;
            }
        }
        Refill::Ready
    }

    /// The loop of a greedy routine (zlib's deflate_fast and the fast
    /// profile's) around its `steps`, which return true when the block is
    /// full.
    #[inline(always)]
    pub(crate) fn greedy_routine(
        &mut self,
        io: &mut DeflateIo<'_, '_>,
        flush: i32,
        mut steps: impl FnMut(&mut Self) -> bool,
    ) -> BlockState {
        loop {
            match self.refill(MIN_LOOKAHEAD, io, flush) {
                Refill::Ready => {}
                Refill::NeedMore => return BlockState::NeedMore,
                Refill::Drained => break,
            }
            if steps(self) {
                if let Some(state) = self.flush_block(io, false) {
                    return state;
                }
            }
        }
        self.insert = self.strstart.min(MIN_MATCH - 1);
        self.finish_routine(io, flush)
    }

    /// The loop of a lazy routine (zlib's deflate_slow and the fast
    /// profile's) around its `steps`, which are told whether the output has
    /// room and keep their match state in the stream between calls.
    #[inline(always)]
    pub(crate) fn lazy_routine(
        &mut self,
        io: &mut DeflateIo<'_, '_>,
        flush: i32,
        mut steps: impl FnMut(&mut Self, bool) -> Step,
    ) -> BlockState {
        loop {
            match self.refill(MIN_LOOKAHEAD, io, flush) {
                Refill::Ready => {}
                Refill::NeedMore => return BlockState::NeedMore,
                Refill::Drained => break,
            }
            match steps(self, io.avail_out() != 0) {
                Step::Refill => {}
                Step::BlockFull => {
                    if let Some(state) = self.flush_block(io, false) {
                        return state;
                    }
                }
                Step::Literal(full) => {
                    // zlib flushes before it steps past the literal.
                    if full {
                        self.flush_block_only(io, false);
                    }
                    self.strstart += 1;
                    self.lookahead -= 1;
                    if io.avail_out() == 0 {
                        return BlockState::NeedMore;
                    }
                }
            }
        }
        if self.match_available {
            // A full block is flushed by finish_routine, as in zlib.
            self.tally_literal_at(self.strstart - 1);
            self.match_available = false;
        }
        self.insert = self.strstart.min(MIN_MATCH - 1);
        self.finish_routine(io, flush)
    }

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
    /// `LONG` is whether the chains are long (see [`LONG_CHAIN`]).
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
            return self.slow_steps::<AnyShape, LONG>(out_room);
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
        let pairs = out_room && chain >= 4 && max_lazy <= nice_match;
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

    /// zlib's deflate_rle: runs of one byte as distance-1 matches.
    pub(crate) fn deflate_rle(&mut self, io: &mut DeflateIo<'_, '_>, flush: i32) -> BlockState {
        loop {
            match self.refill(MAX_MATCH + 1, io, flush) {
                Refill::Ready => {}
                Refill::NeedMore => return BlockState::NeedMore,
                Refill::Drained => break,
            }
            self.match_length = 0;
            if self.lookahead >= MIN_MATCH && self.strstart > 0 {
                let run = self.window.get(self.strstart - 1..).unwrap_or(&[]);
                if let Some((&prev, rest)) = run.split_first() {
                    if rest.len() >= MIN_MATCH && rest[..MIN_MATCH].iter().all(|&b| b == prev) {
                        let len = rest
                            .iter()
                            .take(MAX_MATCH)
                            .take_while(|&&b| b == prev)
                            .count();
                        self.match_length = len.min(self.lookahead);
                    }
                }
            }
            let full = if self.match_length >= MIN_MATCH {
                let full = self.blocks.tally_match(1, self.match_length);
                self.lookahead -= self.match_length;
                self.strstart += self.match_length;
                self.match_length = 0;
                full
            } else {
                let full = self.tally_literal_at(self.strstart);
                self.lookahead -= 1;
                self.strstart += 1;
                full
            };
            if full {
                if let Some(state) = self.flush_block(io, false) {
                    return state;
                }
            }
        }
        self.insert = 0;
        self.finish_routine(io, flush)
    }

    /// zlib's deflate_huff: literals only.
    pub(crate) fn deflate_huff(&mut self, io: &mut DeflateIo<'_, '_>, flush: i32) -> BlockState {
        loop {
            match self.refill(1, io, flush) {
                Refill::Ready => {}
                Refill::NeedMore => return BlockState::NeedMore,
                Refill::Drained => break,
            }
            self.match_length = 0;
            let full = self.tally_literal_at(self.strstart);
            self.lookahead -= 1;
            self.strstart += 1;
            if full {
                if let Some(state) = self.flush_block(io, false) {
                    return state;
                }
            }
        }
        self.insert = 0;
        self.finish_routine(io, flush)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                    assert_eq!(
                        search_chain::<WIN, PREV, true, false>(&window, &prev, hash_head, s),
                        want
                    );
                    assert_eq!(
                        search_chain::<WIN, PREV, false, false>(&window, &prev, hash_head, s),
                        want
                    );
                    assert_eq!(
                        search_chain::<WIN, PREV, false, true>(&window, &prev, hash_head, s),
                        want
                    );
                    assert_eq!(
                        search_chain::<WIN, PREV, true, true>(&window, &prev, hash_head, s),
                        want
                    );
                }
            }
        }
    }
}
