//! Level 1 of the fast profile: one candidate per position, no chains.
//! `head` holds the last position seen per hash of the next four bytes
//! (a multiplicative hash, which spreads four bytes over the table better
//! than zlib's shifted three); a candidate whose four bytes match is
//! extended eight bytes at a time and taken at once. Strings inside a
//! match are not hashed except its last ones. `prev` is left alone.
//!
//! Candidates are always verified, so the table may hold anything: entries
//! made by zlib's hash (fill_window, a dictionary) or by other levels
//! (deflateParams) only cost a missed match.

use super::levels::FastLevel;
use super::Step;
use crate::deflate::io::DeflateIo;
use crate::deflate::machine::{BlockState, Deflater, MAX_MATCH, MIN_LOOKAHEAD, Z_FILTERED};
use crate::deflate::trees::Tally;
use crate::memory::Memory;

/// Knuth's multiplicative constant (2^32 / golden ratio).
const MULTIPLIER: u32 = 0x9E37_79B1;

/// The four bytes at `at` (0 past the window, which never matches a real
/// candidate's bytes for long: lengths are capped by the lookahead).
#[inline(always)]
fn word32(window: &[u8], at: usize) -> u32 {
    match window.get(at..at + 4) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
        _ => 0,
    }
}

/// The eight bytes at `at`, zeros past the window's end.
#[inline(always)]
fn word64(window: &[u8], at: usize) -> u64 {
    match window.get(at..at + 8) {
        Some(bytes) => u64::from_le_bytes(bytes.try_into().unwrap_or([0; 8])),
        None => partial_word64(window, at),
    }
}

#[cold]
fn partial_word64(window: &[u8], at: usize) -> u64 {
    let mut bytes = [0; 8];
    let tail = window.get(at..).unwrap_or(&[]);
    let n = tail.len().min(8);
    bytes[..n].copy_from_slice(&tail[..n]);
    u64::from_le_bytes(bytes)
}

/// The slot of the four bytes `word` in a table of `1 << (32 - shift)`.
#[inline(always)]
fn slot(word: u32, shift: u32) -> usize {
    (word.wrapping_mul(MULTIPLIER) >> shift) as usize
}

/// Length of the common prefix of the strings at `a < b`, known to agree
/// on their first `from` bytes, at most `max`, compared sixteen bytes at a
/// time (bytes past the window read as zeros, where `max` has stopped
/// the count already).
#[inline(always)]
fn common_length(window: &[u8], a: usize, b: usize, from: usize, max: usize) -> usize {
    let word = |at: usize| match window.get(at..at + 16) {
        Some(bytes) => u128::from_le_bytes(bytes.try_into().unwrap_or([0; 16])),
        None => u128::from(word64(window, at)) | u128::from(word64(window, at + 8)) << 64,
    };
    let mut len = from;
    while len < max {
        let diff = word(a + len) ^ word(b + len);
        if diff != 0 {
            return (len + (diff.trailing_zeros() / 8) as usize).min(max);
        }
        len += 16;
    }
    max
}

impl<M: Memory> Deflater<M> {
    /// The single-probe routine: the same protocol as zlib's deflate_fast.
    pub(super) fn deflate_quick(
        &mut self,
        io: &mut DeflateIo<'_, '_>,
        flush: i32,
        level: FastLevel,
    ) -> BlockState {
        self.greedy_routine(io, flush, |d| d.quick_steps(&level) == Step::BlockFull)
    }

    /// Steps while the lookahead stays at least MIN_LOOKAHEAD (one step
    /// when it is already below), with the positions in locals.
    fn quick_steps(&mut self, level: &FastLevel) -> Step {
        let max_dist = self.max_dist();
        // Z_FILTERED: no matches of 5 or fewer bytes, as the greedy levels.
        let min_len = if self.strategy == Z_FILTERED { 6 } else { 4 };
        let shift = 32 - self.hash_bits;
        let tail = level.insert_all;
        let mut strstart = self.strstart;
        let mut lookahead = self.lookahead;
        let one_step = lookahead < MIN_LOOKAHEAD;
        let window: &[u8] = &self.window;
        let head: &mut [u16] = &mut self.head;
        let step = self.blocks.with_tally(|mut tally| {
            if !one_step {
                let step = far_steps(
                    window,
                    head,
                    &mut tally,
                    (&mut strstart, &mut lookahead),
                    max_dist,
                    min_len,
                    shift,
                    tail,
                );
                return (tally.next(), step);
            }
            let step = loop {
                // Eight bytes: four to hash, all to compare at once.
                let here = word64(window, strstart);
                let mut len = 0;
                let mut dist = 0;
                if lookahead >= 4 {
                    let limit = strstart.saturating_sub(max_dist);
                    if let Some(entry) = head.get_mut(slot(here as u32, shift)) {
                        let candidate = usize::from(*entry);
                        *entry = strstart as u16;
                        dist = strstart.wrapping_sub(candidate);
                        let diff = word64(window, candidate) ^ here;
                        // One range test keeps out NIL (0), stale entries
                        // (dist 0) and the too far. With the four bytes'
                        // test it makes one branch, hard to predict, so taken
                        // once: black_box keeps the compiler from splitting
                        // it again.
                        let near =
                            candidate.wrapping_sub(limit + 1) < strstart.saturating_sub(limit + 1);
                        let found = core::hint::black_box(near & (diff as u32 == 0));
                        if found {
                            let max = lookahead.min(MAX_MATCH);
                            len = if diff != 0 {
                                ((diff.trailing_zeros() / 8) as usize).min(max)
                            } else {
                                common_length(window, candidate, strstart, 8, max)
                            };
                        }
                    }
                }
                let full = if len >= min_len {
                    let full = tally.matched(dist, len);
                    // The strings inside the match: all of them up to
                    // `tail` long, else the last two, where a repeat
                    // resumes; only those whose four bytes are in the
                    // lookahead (the rest wait for fill_window).
                    let end = strstart + len;
                    let hashed_end = end.min((strstart + lookahead).saturating_sub(3));
                    let first = if len <= tail { strstart + 1 } else { end - 2 };
                    for at in first..hashed_end {
                        if let Some(entry) = head.get_mut(slot(word32(window, at), shift)) {
                            *entry = at as u16;
                        }
                    }
                    strstart = end;
                    lookahead -= len;
                    full
                } else {
                    strstart += 1;
                    lookahead -= 1;
                    tally.literal(here as u8)
                };
                if full {
                    break Step::BlockFull;
                }
                if one_step || lookahead < MIN_LOOKAHEAD {
                    break Step::Refill;
                }
            };
            (tally.next(), step)
        });
        self.strstart = strstart;
        self.lookahead = lookahead;
        step
    }
}

/// The bytes from `at` that a step reads while the lookahead holds
/// MIN_LOOKAHEAD bytes: the longest match and the four bytes hashed at
/// its end (none past the lookahead), as one array so that the reads in
/// it need no checks of their own.
type Ahead = [u8; MIN_LOOKAHEAD];

/// The string at `at` as an [`Ahead`] (`None` only if the window is
/// shorter, which the lookahead rules out).
#[inline(always)]
fn ahead(window: &[u8], at: usize) -> Option<&Ahead> {
    window.get(at..at + MIN_LOOKAHEAD)?.try_into().ok()
}

#[inline(always)]
fn u64_at(bytes: &Ahead, at: usize) -> u64 {
    match bytes.get(at..at + 8) {
        Some(b) => u64::from_le_bytes(b.try_into().unwrap_or([0; 8])),
        None => 0,
    }
}

/// Length of the common prefix of `a` and `b`, known to agree on their
/// first eight bytes, up to MAX_MATCH: sixteen bytes at a time.
#[inline(always)]
fn ahead_length(a: &Ahead, b: &Ahead) -> usize {
    let (a_words, _) = a[8..].as_chunks::<16>();
    let (b_words, _) = b[8..].as_chunks::<16>();
    for (i, (x, y)) in a_words.iter().zip(b_words).enumerate() {
        let diff = u128::from_le_bytes(*x) ^ u128::from_le_bytes(*y);
        if diff != 0 {
            return (8 + 16 * i + (diff.trailing_zeros() / 8) as usize).min(MAX_MATCH);
        }
    }
    // The chunks cover bytes 8..248; the last sixteen bytes of the arrays
    // cover the rest up to MAX_MATCH.
    const LAST: usize = MIN_LOOKAHEAD - 16;
    let (Some(x), Some(y)) = (a.last_chunk::<16>(), b.last_chunk::<16>()) else {
        return MAX_MATCH;
    };
    let diff = u128::from_le_bytes(*x) ^ u128::from_le_bytes(*y);
    (LAST + (diff.trailing_zeros() / 8) as usize).min(MAX_MATCH)
}

/// [`Deflater::quick_steps`] while the lookahead holds MIN_LOOKAHEAD bytes
/// or more: every string a step reads (the one searched, the candidate,
/// the two hashed at the end of a match) lies in an [`Ahead`] from the
/// position searched or the candidate, each taken with one check.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn far_steps(
    window: &[u8],
    head: &mut [u16],
    tally: &mut Tally<'_>,
    (strstart, lookahead): (&mut usize, &mut usize),
    max_dist: usize,
    min_len: usize,
    shift: u32,
    tail: usize,
) -> Step {
    let (mut at, mut ahead_len) = (*strstart, *lookahead);
    let step = loop {
        let Some(here_bytes) = ahead(window, at) else {
            break Step::Refill;
        };
        let here = u64_at(here_bytes, 0);
        let limit = at.saturating_sub(max_dist);
        let mut len = 0;
        let mut dist = 0;
        if let Some(entry) = head.get_mut(slot(here as u32, shift)) {
            let candidate = usize::from(*entry);
            *entry = at as u16;
            dist = at.wrapping_sub(candidate);
            // The candidate lies before `at`, so its bytes are there too.
            let there = ahead(window, candidate);
            let diff = there.map_or(!0, |t| u64_at(t, 0) ^ here);
            // As in quick_steps: one branch for the range and the bytes.
            let near = candidate.wrapping_sub(limit + 1) < at.saturating_sub(limit + 1);
            let found = core::hint::black_box(near & (diff as u32 == 0));
            if found {
                len = if diff != 0 {
                    (diff.trailing_zeros() / 8) as usize
                } else {
                    there.map_or(8, |t| ahead_length(t, here_bytes))
                };
            }
        }
        let full = if len >= min_len {
            let full = tally.matched(dist, len);
            // The strings inside the match: all of them up to `tail`
            // long, else the last two (their four bytes lie in the
            // lookahead: len + 2 < MIN_LOOKAHEAD).
            let first = if len <= tail { 1 } else { len - 2 };
            for i in first..len {
                if let Some(&[a, b, c, d]) = here_bytes.get(i..i + 4) {
                    let word = u32::from_le_bytes([a, b, c, d]);
                    if let Some(entry) = head.get_mut(slot(word, shift)) {
                        *entry = (at + i) as u16;
                    }
                }
            }
            at += len;
            ahead_len -= len;
            full
        } else {
            at += 1;
            ahead_len -= 1;
            tally.literal(here as u8)
        };
        if full {
            break Step::BlockFull;
        }
        if ahead_len < MIN_LOOKAHEAD {
            break Step::Refill;
        }
    };
    *strstart = at;
    *lookahead = ahead_len;
    step
}
