//! Two chain walks at once: the search at strstart and the one at
//! strstart + 1, which the lazy routine would run next. Each waits on its
//! own link loads, so together they take little more than the longer.

use super::frame::{as_32k, Fixed32k, Frame};
use super::lazy::TOO_FAR;
use super::longest_match::{search_in, try_candidate, Here, MatchSearch, Probe};
use crate::deflate::machine::MIN_MATCH;

/// A chain walk in progress: the next candidate to visit, the best match
/// so far and the visits left.
#[derive(Clone, Copy)]
pub(super) struct Walk {
    pub(super) cur: usize,
    pub(super) best_len: usize,
    pub(super) match_start: usize,
    pub(super) chain: u32,
}

/// One visit of [`search_chain`](super::longest_match::search_chain)'s
/// loop for a [`Walk`]: tests `w.cur` and moves to its successor. Returns
/// false when the walk ends: at `nice`, at the limit (`w.chain` left
/// nonzero) or with no visits left (`w.chain` 0, `w.cur` the successor).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(super) fn visit<'a, const LONG: bool>(
    f: impl Frame<'a>,
    here: Here<'_>,
    probe: &mut Probe,
    w: &mut Walk,
    nice: usize,
    limit: usize,
) -> bool {
    let cur = w.cur;
    let best = (&mut w.best_len, &mut w.match_start);
    if try_candidate(f, !LONG, here, probe, best, cur, nice) {
        return false;
    }
    let next = f.link(cur);
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
pub(super) struct Ahead {
    pub(super) walk: Walk,
    /// The walk ended (nice, limit, or the full budget used).
    pub(super) done: bool,
    /// Best length and start after the quarter budget (or at the end if
    /// the walk ended sooner); `None` while the walk is short of it.
    pub(super) quarter: Option<(usize, usize)>,
    /// Visits of the full budget beyond the quarter.
    pub(super) rest: u32,
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
pub(super) struct PairSearch {
    pub(super) a: MatchSearch,
    pub(super) a_head: usize,
    pub(super) b_head: usize,
    pub(super) b_limit: usize,
    pub(super) quarter: u32,
    pub(super) full: u32,
    /// What the lazy step at strstart makes of A's match (see
    /// [`pair_chain`]): zlib's good_match, max_lazy_match and whether the
    /// strategy is Z_FILTERED.
    pub(super) good: usize,
    pub(super) max_lazy: usize,
    pub(super) filtered: bool,
}

#[inline(always)]
pub(super) fn pair_chain<'a, F: Frame<'a>, const LONG: bool>(
    f: F,
    p: PairSearch,
) -> ((usize, usize), Ahead) {
    let s = p.a;
    let (here_a, here_b) = (Here::at(f, s.scan), Here::at(f, s.scan + 1));
    let mut probe_a = Probe::new(f, s.scan, s.best_len);
    let mut probe_b = Probe::new(f, s.scan + 1, MIN_MATCH - 1);
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
        if !visit::<LONG>(f, here_a, &mut probe_a, &mut a, s.nice, s.limit) {
            break true;
        }
        if !visit::<LONG>(f, here_b, &mut probe_b, &mut b, s.nice, p.b_limit) {
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
    // On long chains, when A ended first with a match that the step at
    // strstart keeps pending (zlib's step drops some short ones), B's
    // search is the next step's, from that length and with the budget it
    // sets: B goes on here, sharpened to that length, rather than from the
    // next step (on short chains, measured slower). B at best length 2
    // found what a walk from there would have (see `resume_ahead`).
    let mut b_budget = None;
    if LONG && a_ended {
        let mut len = a.best_len;
        if len <= 5
            && (p.filtered || (len == MIN_MATCH && s.scan.wrapping_sub(a.match_start) > TOO_FAR))
        {
            len = MIN_MATCH - 1;
        }
        if (MIN_MATCH..p.max_lazy).contains(&len) {
            b_budget = match (len >= p.good, quarter) {
                (false, None) => Some((len, b.chain + (p.full - p.quarter))),
                (true, Some(_)) => None,
                _ => Some((len, b.chain)),
            };
        }
    }
    // The walk that goes on alone: A's, or B's.
    let rest = match b_budget {
        _ if !a_ended => Some((a.cur, s.scan, a.best_len, a.match_start, s.limit, a.chain)),
        Some((len, chain)) if b.best_len < len => {
            Some((b.cur, s.scan + 1, len, 0, p.b_limit, chain))
        }
        Some((_, chain)) => Some((
            b.cur,
            s.scan + 1,
            b.best_len,
            b.match_start,
            p.b_limit,
            chain,
        )),
        None => None,
    };
    let rest = rest.map(|(cur, scan, best_len, match_start, limit, chain)| {
        let search = MatchSearch {
            scan,
            best_len,
            match_start,
            nice: s.nice,
            limit,
            chain,
        };
        search_in::<F, LONG>(f, cur, search)
    });
    let (found, done) = match rest {
        Some(found) if !a_ended => (found, true),
        Some((best_len, match_start)) => {
            b.best_len = best_len;
            b.match_start = match_start;
            quarter = Some((best_len, match_start));
            ((a.best_len, a.match_start), true)
        }
        None => ((a.best_len, a.match_start), !a_ended),
    };
    let ahead = Ahead {
        walk: b,
        done,
        quarter,
        rest: p.full - p.quarter,
    };
    (found, ahead)
}

/// Where a search stands: found, or still to walk from a candidate.
pub(super) enum Search {
    Found((usize, usize)),
    Walk(MatchSearch, usize),
}

/// The search at strstart + 1 with the state [`pair_chain`] left: `s` is
/// the step's own (zlib's prev_length, match_start, the budget it picked,
/// and the limit the walk ahead used).
#[inline(always)]
pub(super) fn resume_ahead(ahead: &Ahead, s: MatchSearch, full: u32) -> Search {
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

/// [`pair_chain`] in the 32 KiB window (windowBits 15), inlined for short
/// chains; `None` for smaller windows, whose chains are walked one at a
/// time (they are rare, and a copy of the pair walk for them does not pay).
#[inline(always)]
pub(super) fn pair_any_window<const LONG: bool>(
    window: &[u8],
    prev: &[u16],
    w_bits: u32,
    p: PairSearch,
) -> Option<((usize, usize), Ahead)> {
    let f = as_32k(window, prev, w_bits)?;
    Some(if LONG {
        pair_long_chains(f, p)
    } else {
        pair_chain::<_, false>(f, p)
    })
}

/// [`pair_chain`] on long chains in the 32 KiB window, through a call (see
/// `search_long_chain`).
#[inline(never)]
fn pair_long_chains(f: Fixed32k<'_>, p: PairSearch) -> ((usize, usize), Ahead) {
    pair_chain::<_, true>(f, p)
}
