//! The fast loop: decodes literals and matches straight from a refilled
//! 64-bit accumulator while plenty of input and output remain, the role of
//! zlib's inffast.c.
//!
//! Observable behaviour must not depend on which loop decoded a symbol, with
//! one exception: `inflateMark` after corrupt data reports state the
//! resumable decoder leaves behind. So a run that meets corrupt data is
//! redone by a variant that stops after exactly the symbol after which
//! zlib's loop would stop (see [`run`]).

use super::bits::BitReader;
use super::entry::{DistEntry, Entry, LitEntry};
use super::messages;
use super::window::History;
use super::{DIST_ROOT_BITS, DIST_TABLE_SIZE, LIT_ROOT_BITS, LIT_TABLE_SIZE};
use core::ffi::CStr;
use std::sync::OnceLock;

/// Output space the loop needs before each symbol: the longest match.
const MIN_OUTPUT: usize = 258;
/// Input bytes zlib's loop needs at entry.
pub const MIN_INPUT: usize = 6;
/// Output room the bulk loop needs for a pass: its most literals.
const LITERALS_PER_PASS: usize = 4;
/// The most bits one pass of the loop uses: a 15-bit length code with 5
/// extra bits and a 15-bit distance code with 13.
const MIN_PASS_BITS: u32 = 48;

/// The decoding tables and history one run uses.
pub struct Tables<'a> {
    /// Literal/length table; its root spans `LIT_ROOT_BITS` bits, however
    /// narrow the code's own root (see [`super::huffman::build`]).
    pub lit: &'a [LitEntry; LIT_TABLE_SIZE],
    /// Its root index width (for the resumable decoder).
    pub lit_bits: u32,
    /// Distance table; its root spans `DIST_ROOT_BITS` bits.
    pub dist: &'a [DistEntry; DIST_TABLE_SIZE],
    /// Its root index width (for the resumable decoder).
    pub dist_bits: u32,
}

/// Why the loop returned.
pub enum Exit {
    /// Resources ran low mid-block; the resumable decoder continues.
    Pending,
    /// The end-of-block code was decoded.
    EndOfBlock,
    /// Corrupt data.
    Error(&'static CStr),
}

/// The root-table entry for the next input bits. Tables are indexed by
/// their preferred root width, which narrower roots are widened to, and
/// hold at least that many entries, so the index is always in range.
#[inline(always)]
fn lookup<E: Entry, const N: usize, const ROOT_BITS: u32>(reader: &BitReader, table: &[E; N]) -> E {
    let mask = (1u64 << ROOT_BITS) - 1;
    table[(reader.window() & mask) as usize]
}

/// The sub-table entry a link points to, for the bits after the root's.
#[inline(always)]
fn follow<E: Entry, const N: usize>(table: &[E; N], link: E, after_root: u64) -> E {
    let index = link.link_offset() + (after_root & ((1 << link.link_width()) - 1)) as usize;
    // Links never point past the table; clamping keeps that unchecked.
    table[index.min(N - 1)]
}

/// Finishes decoding the code whose root entry is `entry`: follows a
/// sub-table link (a table has links only when its root is `ROOT_BITS`
/// wide), drops the code's bits, and returns the final entry with the
/// total bits dropped.
#[inline(always)]
fn resolve<E: Entry, const N: usize, const ROOT_BITS: u32>(
    reader: &mut BitReader,
    table: &[E; N],
    entry: E,
) -> (E, u32) {
    let mut entry = entry;
    let mut dropped = 0;
    if entry.is_link() {
        dropped = ROOT_BITS;
        reader.consume(dropped);
        entry = follow(table, entry, reader.window());
    }
    reader.consume(entry.bits());
    (entry, dropped + entry.bits())
}

/// Copies `len` bytes from `distance` back within `out`, ending at
/// `pos + len`; overlapping copies repeat the pattern as LZ77 requires.
/// Writes nothing past `pos + len`, and nothing at all if the ranges do
/// not fit (callers make sure they do).
#[inline(always)]
pub fn copy_match(out: &mut [u8], pos: usize, distance: usize, len: usize) {
    let Some(start) = pos.checked_sub(distance) else {
        return;
    };
    let Some(window) = out.get_mut(start..pos.wrapping_add(len)) else {
        return;
    };
    if distance >= len {
        let (src, dst) = window.split_at_mut(distance);
        copy_disjoint(src, dst);
    } else if distance >= 8 {
        chunked_copy(window, distance, len);
    } else if distance >= 1 {
        repeat_pattern(window, distance);
    }
}

/// Fills `window[distance..]` by repeating `window[..distance]`, for
/// `1 <= distance < 8`: eight pattern bytes at a time, stepping by the
/// largest multiple of `distance` that fits in eight. No division and no
/// call: short runs are common in images and tables.
#[inline(always)]
fn repeat_pattern(window: &mut [u8], distance: usize) {
    // The largest multiple of `distance` up to 8, by distance.
    const STEP: [usize; 8] = [8, 8, 8, 6, 8, 5, 6, 7];
    let (src, dst) = window.split_at_mut(distance.min(window.len()));
    let mut pattern = [0u8; 8];
    let mut from = 0;
    for byte in pattern.iter_mut() {
        if let Some(&b) = src.get(from) {
            *byte = b;
        }
        from += 1;
        if from == distance {
            from = 0;
        }
    }
    let step = STEP[distance & 7];
    let mut at = 0;
    while at + 8 <= dst.len() {
        dst[at..at + 8].copy_from_slice(&pattern);
        at += step;
    }
    if let Some(rest) = dst.get_mut(at..) {
        copy_disjoint(&pattern, rest);
    }
}

/// Copies the first `dst.len()` bytes of `src` (which holds at least that
/// many) to `dst`; short lengths are done as two overlapping fixed-size
/// moves instead of a call.
#[inline(always)]
pub(super) fn copy_disjoint(src: &[u8], dst: &mut [u8]) {
    let n = dst.len();
    if n > src.len() {
        return;
    }
    if n <= 8 {
        if n >= 4 {
            dst[..4].copy_from_slice(&src[..4]);
            dst[n - 4..].copy_from_slice(&src[n - 4..n]);
        } else if n >= 2 {
            dst[..2].copy_from_slice(&src[..2]);
            dst[n - 2..].copy_from_slice(&src[n - 2..n]);
        } else if n == 1 {
            dst[0] = src[0];
        }
    } else if n <= 16 {
        dst[..8].copy_from_slice(&src[..8]);
        dst[n - 8..].copy_from_slice(&src[n - 8..n]);
    } else if n <= 32 {
        dst[..16].copy_from_slice(&src[..16]);
        dst[n - 16..].copy_from_slice(&src[n - 16..n]);
    } else {
        dst.copy_from_slice(&src[..n]);
    }
}

/// Copies `window[..len]` to `window[distance..]` for
/// `8 <= distance < len` in 8-byte chunks: each chunk's source is final
/// before it is read. The last chunk overlaps the previous one and ends
/// exactly at the end of the match.
#[inline(always)]
fn chunked_copy(window: &mut [u8], distance: usize, len: usize) {
    const C: usize = 8;
    let mut from = 0;
    while from + C <= len {
        let mut chunk = [0u8; C];
        chunk.copy_from_slice(&window[from..from + C]);
        window[from + distance..from + distance + C].copy_from_slice(&chunk);
        from += C;
    }
    if from < len && len >= C {
        let from = len - C;
        let mut chunk = [0u8; C];
        chunk.copy_from_slice(&window[from..from + C]);
        window[from + distance..from + distance + C].copy_from_slice(&chunk);
    }
}

/// The 16 bytes of `out` at `at`, if they are all there.
#[inline(always)]
fn load16(out: &[u8], at: usize) -> Option<u128> {
    let bytes = out.get(at..)?.first_chunk::<16>()?;
    Some(u128::from_le_bytes(*bytes))
}

/// Stores 16 bytes at `at` if they fit.
#[inline(always)]
fn store16(out: &mut [u8], at: usize, value: u128) {
    if let Some(bytes) = out.get_mut(at..).and_then(|r| r.first_chunk_mut::<16>()) {
        *bytes = value.to_le_bytes();
    }
}

/// Output bytes past a match that [`copy_match_slack`] may overwrite.
const SLACK: usize = 16;

/// The bulk loop's match copy: whole 16- or 8-byte moves that may run up
/// to [`SLACK`] bytes past the end of the match, into output space the
/// loop has not produced yet (it is overwritten by later symbols, or left
/// beyond `next_out`, which zlib does not promise to leave alone; zlib-ng
/// does the same). Returns `false`, having written nothing, when the
/// output has less than [`SLACK`] bytes to spare after the match.
#[inline(always)]
fn copy_match_slack(out: &mut [u8], pos: usize, distance: usize, len: usize) -> bool {
    let Some(from) = pos.checked_sub(distance) else {
        return false;
    };
    let Some(window) = out.get_mut(from..pos + len + SLACK) else {
        return false;
    };
    // A chunk's source is final before it is read when the chunk is no
    // longer than the distance, or when the match ends within the chunk's
    // first `distance` bytes (the rest of the chunk is slack).
    if distance >= 16 || len <= distance {
        let mut at = 0;
        while at < len {
            if let Some(chunk) = load16(window, at) {
                store16(window, at + distance, chunk);
            }
            at += 16;
        }
    } else if distance >= 8 {
        let mut at = 0;
        while at < len {
            if let Some(chunk) = window.get(at..).and_then(|r| r.first_chunk::<8>()) {
                let chunk = *chunk;
                if let Some(dst) = window
                    .get_mut(at + distance..)
                    .and_then(|r| r.first_chunk_mut::<8>())
                {
                    *dst = chunk;
                }
            }
            at += 8;
        }
    } else {
        if let Some(span) = window.get_mut(..distance + len) {
            repeat_pattern(span, distance);
        }
    }
    true
}

/// Writes the match of `len` bytes at `distance` back to `out[pos..]`,
/// taking what lies before `out` from `window` (`distance` reaches no
/// farther back than the history), and may write up to 16 bytes past the
/// match. Kept out of line: the bulk loop's literal path then keeps its
/// state in registers.
#[inline(never)]
fn copy_to_output(out: &mut [u8], window: &History<'_>, pos: usize, distance: usize, len: usize) {
    let (mut pos, mut len) = (pos, len);
    if distance > pos {
        // Part of the match lies in the history of earlier calls.
        let back = distance - pos;
        let n = back.min(len);
        if !window.copy_back_wide(back, n, out, pos) {
            if let Some(dst) = out.get_mut(pos..pos + n) {
                window.copy_back(back, dst);
            }
        }
        pos += n;
        len -= n;
    }
    if !copy_match_slack(out, pos, distance, len) {
        copy_match(out, pos, distance, len);
    }
}

/// Decodes whole symbols while enough input remains and they fit in the
/// output. On entry the reader holds at least [`MIN_INPUT`] bytes; `window`
/// is the history before `out[0]`.
///
/// Each pass refills the accumulator once (56 or more bits, or all the
/// input that is left) and then decodes either up to four literals of at
/// most `lit_bits` bits each, or one whole length/distance pair (at most
/// 48 bits), without refilling in between. A refill loads 64 bits of real
/// input, so the bits above the count stay valid look-ahead and the next
/// root entry can be fetched before the next refill.
///
/// Where this loop stops is not observable: between symbols zlib holds
/// fewer than eight bits whichever of its decoders ran, so the stream's
/// state after a symbol is the same. The exception: after
/// corrupt data, `inflateMark` reports the bit count the resumable decoder
/// left behind, which differs depending on whether zlib's fast loop or its
/// resumable decoder met the bad code. So a first run decodes without
/// zlib's bookkeeping and goes at least as far as zlib's loop would (see
/// [`decode`]); only when it meets corrupt data does the run start over
/// from the same point with the exact copy of zlib's stopping rule.
pub fn run(
    tables: &Tables,
    window: &History<'_>,
    reader: &mut BitReader,
    out: &mut [u8],
    put: &mut usize,
) -> Exit {
    let (bulk, exact) = variants();
    let start = (reader.clone(), *put);
    match bulk(tables, window, reader, out, put) {
        Exit::Error(_) => {
            // The bytes written before the bad code are written again, with
            // the same values, by whichever decoder zlib would have used.
            (*reader, *put) = start;
            let zlib_enters = reader.available() >= MIN_INPUT && out.len() - *put >= MIN_OUTPUT;
            if zlib_enters {
                exact(tables, window, reader, out, put)
            } else {
                // zlib's resumable decoder meets the bad code; so does ours.
                Exit::Pending
            }
        }
        exit => exit,
    }
}

/// One compiled variant of [`decode`].
type Variant = fn(&Tables, &History<'_>, &mut BitReader, &mut [u8], &mut usize) -> Exit;

/// The variants for this CPU, chosen once: the bulk one and the exact one.
fn variants() -> (Variant, Variant) {
    static CHOSEN: OnceLock<(Variant, Variant)> = OnceLock::new();
    *CHOSEN.get_or_init(|| {
        #[cfg(target_arch = "x86_64")]
        if is_x86_feature_detected!("bmi2") {
            return (bulk_bmi2, exact_bmi2);
        }
        (decode_bulk, decode_exact)
    })
}

/// The loops compiled with BMI2, whose shifts and bit extraction take a
/// variable count without the flag-merging cost of the plain shifts.
#[cfg(target_arch = "x86_64")]
fn bulk_bmi2(
    tables: &Tables,
    window: &History<'_>,
    reader: &mut BitReader,
    out: &mut [u8],
    put: &mut usize,
) -> Exit {
    #[target_feature(enable = "bmi2")]
    unsafe fn with_bmi2(
        tables: &Tables,
        window: &History<'_>,
        reader: &mut BitReader,
        out: &mut [u8],
        put: &mut usize,
    ) -> Exit {
        decode_bulk(tables, window, reader, out, put)
    }
    // SAFETY: `variants` hands this function out only after detecting BMI2.
    unsafe { with_bmi2(tables, window, reader, out, put) }
}

/// See [`bulk_bmi2`].
#[cfg(target_arch = "x86_64")]
fn exact_bmi2(
    tables: &Tables,
    window: &History<'_>,
    reader: &mut BitReader,
    out: &mut [u8],
    put: &mut usize,
) -> Exit {
    #[target_feature(enable = "bmi2")]
    unsafe fn with_bmi2(
        tables: &Tables,
        window: &History<'_>,
        reader: &mut BitReader,
        out: &mut [u8],
        put: &mut usize,
    ) -> Exit {
        decode_exact(tables, window, reader, out, put)
    }
    // SAFETY: `variants` hands this function out only after detecting BMI2.
    unsafe { with_bmi2(tables, window, reader, out, put) }
}

/// The bulk loop: checks only at the start of each pass that a whole pass
/// fits in the input and output left, which never stops it earlier than
/// zlib's loop: zlib's loop holds at least the bytes this one has taken,
/// and continues only while six more are left (48 bits, the most a pass
/// uses). The input position, the accumulator and the output position
/// live in locals for the whole loop.
#[inline(always)]
fn decode_bulk(
    tables: &Tables,
    window: &History<'_>,
    reader: &mut BitReader,
    out: &mut [u8],
    put: &mut usize,
) -> Exit {
    let (lit, dist) = (tables.lit, tables.dist);
    let mut rest = reader.remaining();
    let (mut hold, mut bits) = reader.accumulator();
    let mut pos = *put;
    // Room for a pass of literals. A match checks its own length: near the
    // end of the output, one that does not fit whole is left to the
    // resumable decoder, which copies what fits as zlib does.
    let Some(out_limit) = out.len().checked_sub(LITERALS_PER_PASS) else {
        return Exit::Pending;
    };
    let lit_entry = |hold: u64| lit[(hold & ((1 << LIT_ROOT_BITS) - 1)) as usize];
    let dist_entry = |hold: u64| dist[(hold & ((1 << DIST_ROOT_BITS) - 1)) as usize];
    // Whole bytes up to 56..=63 bits from one 8-byte load (`true`); else,
    // near the end of the input, byte by byte (`false`), after which the
    // look-ahead above `bits` is not all input, so the caller fetches the
    // next entry again.
    macro_rules! fill {
        () => {
            if let Some(word) = rest.first_chunk::<8>() {
                hold |= u64::from_le_bytes(*word) << (bits & 63);
                // 63 - bits, for bits < 64.
                let taken = ((!bits & 63) >> 3) as usize;
                rest = rest.get(taken..).unwrap_or(&[]);
                bits |= 56;
                true
            } else {
                while bits <= 56 {
                    let Some((&byte, after)) = rest.split_first() else {
                        break;
                    };
                    hold |= u64::from(byte) << bits;
                    bits += 8;
                    rest = after;
                }
                false
            }
        };
    }
    macro_rules! consume {
        ($n:expr) => {{
            let n: u32 = $n;
            hold >>= n & 63;
            bits = bits.wrapping_sub(n);
        }};
    }
    fill!();
    let mut next = lit_entry(hold);
    let exit = 'pass: loop {
        if !fill!() {
            if bits < MIN_PASS_BITS {
                break Exit::Pending;
            }
            next = lit_entry(hold);
        }
        if pos > out_limit {
            break Exit::Pending;
        }
        // The accumulator before this pass's symbol, to put back a match
        // that does not fit (the pass has taken no input since the refill).
        let pass_start = (hold, bits);
        let entry = next;
        if entry.is_literal() {
            // Root-level literals: up to four per refill (11 bits each at
            // most, 44 in all, within a pass's 48).
            macro_rules! literal {
                ($entry:expr) => {
                    let entry: LitEntry = $entry;
                    // Unmasked: see `LitEntry::literal_shift`.
                    hold >>= entry.literal_shift() & 63;
                    bits = bits.wrapping_sub(entry.bits());
                    next = lit_entry(hold);
                    if let Some(slot) = out.get_mut(pos) {
                        *slot = entry.value() as u8;
                    }
                    pos += 1;
                };
            }
            literal!(entry);
            if !next.is_literal() {
                continue;
            }
            literal!(next);
            if !next.is_literal() {
                continue;
            }
            literal!(next);
            if !next.is_literal() {
                continue;
            }
            literal!(next);
            continue;
        }
        let mut entry = entry;
        // Lengths, which are common, are told apart first. A link is
        // followed once: sub-tables hold no links.
        let mut followed = false;
        while !entry.is_base() {
            if entry.is_link() && !followed {
                // The sub-table index follows the root bits.
                consume!(LIT_ROOT_BITS);
                entry = follow(lit, entry, hold);
                followed = true;
                continue;
            }
            consume!(entry.bits());
            if entry.is_literal() {
                // A literal reached through a sub-table.
                if let Some(slot) = out.get_mut(pos) {
                    *slot = entry.value() as u8;
                }
                pos += 1;
                next = lit_entry(hold);
                continue 'pass;
            }
            if entry.is_end_of_block() {
                break 'pass Exit::EndOfBlock;
            }
            break 'pass Exit::Error(messages::INVALID_LITERAL_LENGTH_CODE);
        }
        // Length code and its extra bits dropped with one shift, then
        // the distance code and its extra bits likewise: all within
        // the bits of this pass's refill.
        let extra = entry.extra();
        let saved = hold;
        consume!(entry.bits() + extra);
        let len =
            entry.base_value() as usize + ((saved >> entry.bits()) & ((1 << extra) - 1)) as usize;
        let room = out.len() - pos;
        if len > room {
            (hold, bits) = pass_start;
            break Exit::Pending;
        }
        let mut entry = dist_entry(hold);
        if entry.is_link() {
            consume!(DIST_ROOT_BITS);
            entry = follow(dist, entry, hold);
        }
        if !entry.is_base() {
            // The exact loop redoes this run; the bits need no care.
            break Exit::Error(messages::INVALID_DISTANCE_CODE);
        }
        let extra = entry.extra();
        let saved = hold;
        consume!(entry.bits() + extra);
        let distance =
            entry.base_value() as usize + ((saved >> entry.bits()) & ((1 << extra) - 1)) as usize;
        next = lit_entry(hold);
        if distance > pos + window.have() {
            break Exit::Error(messages::INVALID_DISTANCE_TOO_FAR_BACK);
        }
        if len <= 32 && distance >= 16 && distance <= pos && room >= 32 {
            // The common short match: two 16-byte moves, each source
            // final before it is read.
            let from = pos - distance;
            if let Some(chunk) = load16(out, from) {
                store16(out, pos, chunk);
            }
            if let Some(chunk) = load16(out, from + 16) {
                store16(out, pos + 16, chunk);
            }
        } else if len <= 32 && distance >= pos + len && room >= 32 {
            // A short match wholly in the history of earlier calls.
            if !window.copy_back_wide(distance - pos, len, out, pos) {
                copy_to_output(out, window, pos, distance, len);
            }
        } else {
            copy_to_output(out, window, pos, distance, len);
        }
        pos += len;
    };
    if pos == *put && matches!(exit, Exit::Pending) {
        // Nothing decoded: the reader stays as it was. Giving back whole
        // bytes could return more than this call took, since a code left
        // unfinished by an earlier call's input may be held.
        return exit;
    }
    *put = pos;
    reader.resume(rest.len(), hold, bits);
    reader.give_back();
    exit
}

/// The exact loop: stops after exactly the symbol after which zlib's loop
/// would stop, keeping a shadow count of the bytes zlib's loop would have
/// read (`shadow_left`, `shadow_bits`) for that decision only.
#[inline(always)]
fn decode_exact(
    tables: &Tables,
    window: &History<'_>,
    caller_reader: &mut BitReader,
    out: &mut [u8],
    put: &mut usize,
) -> Exit {
    // A local copy lives in registers for the whole loop.
    let mut local = caller_reader.clone();
    let reader = &mut local;
    let input_end = reader.consumed() + reader.available();
    // zlib's loop as it would run: `last - in` (it continues while this
    // is positive) and its own bit count.
    let mut shadow_left =
        input_end.saturating_sub(MIN_INPUT - 1) as isize - reader.consumed() as isize;
    let mut shadow_bits = reader.bits();
    let mut pos = *put;
    // zlib's `out < end`: at least MIN_OUTPUT bytes of room remain.
    let out_limit = out.len().wrapping_sub(MIN_OUTPUT);
    let history = window.have();
    reader.refill();
    let mut next = lookup::<_, _, LIT_ROOT_BITS>(reader, tables.lit);
    // zlib's refill before each literal/length code.
    macro_rules! shadow_refill {
        () => {
            if shadow_bits < 15 {
                shadow_left -= 2;
                shadow_bits += 16;
            }
        };
    }
    macro_rules! shadow_drop {
        ($n:expr) => {
            shadow_bits = shadow_bits.wrapping_sub($n);
        };
    }
    macro_rules! zlib_stops {
        () => {
            !(shadow_left > 0 && pos <= out_limit)
        };
    }
    let exit = loop {
        if !reader.refill_word() {
            // Byte by byte near the end of the input: the look-ahead above
            // the bits held is no longer all input.
            reader.refill();
            next = lookup::<_, _, LIT_ROOT_BITS>(reader, tables.lit);
        }
        let entry = next;
        if entry.is_literal() {
            // Root-level literals: up to three per refill (11 bits each at most).
            reader.consume(entry.bits());
            next = lookup::<_, _, LIT_ROOT_BITS>(reader, tables.lit);
            shadow_refill!();
            shadow_drop!(entry.bits());
            if let Some(slot) = out.get_mut(pos) {
                *slot = entry.value() as u8;
            }
            pos += 1;
            if zlib_stops!() {
                break Exit::Pending;
            }
            let entry = next;
            if !entry.is_literal() {
                continue;
            }
            reader.consume(entry.bits());
            next = lookup::<_, _, LIT_ROOT_BITS>(reader, tables.lit);
            shadow_refill!();
            shadow_drop!(entry.bits());
            if let Some(slot) = out.get_mut(pos) {
                *slot = entry.value() as u8;
            }
            pos += 1;
            if zlib_stops!() {
                break Exit::Pending;
            }
            let entry = next;
            if !entry.is_literal() {
                continue;
            }
            reader.consume(entry.bits());
            next = lookup::<_, _, LIT_ROOT_BITS>(reader, tables.lit);
            shadow_refill!();
            shadow_drop!(entry.bits());
            if let Some(slot) = out.get_mut(pos) {
                *slot = entry.value() as u8;
            }
            pos += 1;
            if zlib_stops!() {
                break Exit::Pending;
            }
            continue;
        }
        shadow_refill!();
        let (entry, used) = resolve::<_, _, LIT_ROOT_BITS>(reader, tables.lit, entry);
        shadow_drop!(used);
        if entry.is_base() {
            // Length extra, distance code and distance extra: all within
            // the bits of this pass's refill.
            let extra = entry.extra();
            let mut len = entry.base_value() as usize;
            if extra != 0 {
                if shadow_bits < extra {
                    shadow_left -= 1;
                    shadow_bits += 8;
                }
                len += (reader.window() & ((1 << extra) - 1)) as usize;
                reader.consume(extra);
                shadow_drop!(extra);
            }
            if shadow_bits < 15 {
                shadow_left -= 2;
                shadow_bits += 16;
            }
            let root = lookup::<_, _, DIST_ROOT_BITS>(reader, tables.dist);
            let (entry, used) = resolve::<_, _, DIST_ROOT_BITS>(reader, tables.dist, root);
            shadow_drop!(used);
            if !entry.is_base() {
                break Exit::Error(messages::INVALID_DISTANCE_CODE);
            }
            let extra = entry.extra();
            if shadow_bits < extra {
                shadow_left -= 1;
                shadow_bits += 8;
                if shadow_bits < extra {
                    shadow_left -= 1;
                    shadow_bits += 8;
                }
            }
            let distance =
                entry.base_value() as usize + (reader.window() & ((1 << extra) - 1)) as usize;
            reader.consume(extra);
            shadow_drop!(extra);
            next = lookup::<_, _, LIT_ROOT_BITS>(reader, tables.lit);
            if distance > pos + history {
                break Exit::Error(messages::INVALID_DISTANCE_TOO_FAR_BACK);
            }
            copy_to_output(out, window, pos, distance, len);
            pos += len;
        } else if entry.is_literal() {
            // A literal reached through a sub-table.
            if let Some(slot) = out.get_mut(pos) {
                *slot = entry.value() as u8;
            }
            pos += 1;
            next = lookup::<_, _, LIT_ROOT_BITS>(reader, tables.lit);
        } else if entry.is_end_of_block() {
            break Exit::EndOfBlock;
        } else {
            break Exit::Error(messages::INVALID_LITERAL_LENGTH_CODE);
        }
        if zlib_stops!() {
            break Exit::Pending;
        }
    };
    *put = pos;
    reader.give_back();
    *caller_reader = local;
    exit
}

#[cfg(test)]
mod tests {
    use super::*;

    /// LZ77 semantics, one byte at a time.
    fn naive(out: &mut [u8], pos: usize, distance: usize, len: usize) {
        for i in pos..pos + len {
            out[i] = out[i - distance];
        }
    }

    #[test]
    fn copies_match_byte_by_byte_semantics() {
        let seed: Vec<u8> = (0..64u32).map(|i| (i * 37 + 11) as u8).collect();
        for distance in 1..=40 {
            for len in 0..=300 {
                let pos = 64;
                let mut want = vec![0xAAu8; pos + len + 20];
                want[..pos].copy_from_slice(&seed);
                let mut got = want.clone();
                naive(&mut want, pos, distance, len);
                copy_match(&mut got, pos, distance, len);
                assert_eq!(got, want, "copy_match distance {distance} len {len}");
                let mut slack = got.clone();
                slack[pos..].fill(0xAA);
                // 20 bytes follow the match: room for the slack.
                assert!(copy_match_slack(&mut slack, pos, distance, len));
                assert_eq!(
                    slack[..pos + len],
                    want[..pos + len],
                    "copy_match_slack distance {distance} len {len}"
                );
                assert!(!copy_match_slack(&mut slack, pos, distance, len + 5));
            }
        }
    }
}
