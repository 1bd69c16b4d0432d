//! The fast loop: decodes literals and matches straight from a refilled
//! 64-bit accumulator while plenty of input and output remain, the role of
//! zlib's inffast.c.
//!
//! Observable behaviour must not depend on which loop decoded a symbol, with
//! one exception: `inflateMark` after corrupt data reports state the
//! resumable decoder leaves behind. So a run that meets corrupt data is
//! redone by a variant that stops after exactly the symbol after which
//! zlib's loop would stop (see [`run`]).
//!
//! `inflateBack` shares the loop: there zlib's stopping point is always
//! observable (`next_out` is left there), so it runs the exact variant
//! alone ([`run_exact`]), over its window's previous lap ([`PreviousLap`]).

use super::bits::BitReader;
use super::entry::{DistEntry, Entry, LitEntry};
use super::messages;
use super::window::History;
use super::{DIST_ROOT_BITS, DIST_TABLE_SIZE, LIT_ROOT_BITS, LIT_TABLE_SIZE};
use crate::writer::Writer;
use core::ffi::CStr;

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

/// Where matches find the bytes that lie before the output being written:
/// inflate's window of earlier calls ([`History`]), or for `inflateBack`
/// the previous lap of its window ([`PreviousLap`]).
pub trait Behind {
    /// Whether the exact loop stops before a symbol it cannot decode (a
    /// corrupt code, or a distance too far back), for the caller to decode
    /// it as zlib's loop would ([`Exit::Handover`]), instead of reporting
    /// the error. `inflateBack` needs this: there zlib's loop reads window
    /// bytes before the output whose contents only the caller knows, and
    /// redoing the run from its start is not possible, since the run has
    /// overwritten the previous lap.
    const HANDS_OVER: bool;
    /// Whether `distance` reaches farther back than the bytes written and
    /// those behind them.
    fn too_far(&self, distance: usize, out: &Writer) -> bool;
    /// Appends the `n` bytes that start `beyond` bytes back before the
    /// written bytes (`n <= beyond`, and not too far).
    fn copy(&self, beyond: usize, n: usize, out: &mut Writer);
}

impl Behind for History<'_> {
    const HANDS_OVER: bool = false;

    #[inline(always)]
    fn too_far(&self, distance: usize, out: &Writer) -> bool {
        distance > out.len() + self.have()
    }

    #[inline(always)]
    fn copy(&self, beyond: usize, n: usize, out: &mut Writer) {
        self.copy_back(beyond, n, out);
    }
}

/// The bytes after a [`crate::writer::LapWindow`] writer's output: the
/// previous lap, when it was all written.
pub struct PreviousLap;

impl Behind for PreviousLap {
    const HANDS_OVER: bool = true;

    #[inline(always)]
    fn too_far(&self, distance: usize, out: &Writer) -> bool {
        distance > out.len() + out.lap_reach()
    }

    #[inline(always)]
    fn copy(&self, beyond: usize, n: usize, out: &mut Writer) {
        out.copy_from_lap(beyond, n);
    }
}

/// Why the loop returned.
pub enum Exit {
    /// Resources ran low mid-block; the resumable decoder continues.
    Pending,
    /// The end-of-block code was decoded.
    EndOfBlock,
    /// Corrupt data.
    Error(&'static CStr),
    /// Stopped before a symbol it does not decode (see
    /// [`Behind::HANDS_OVER`]): the reader is at the symbol's start, and
    /// zlib's loop, which would go on, has loaded `loaded` input bytes
    /// since it started and holds `bits` bits.
    Handover {
        /// Input bytes zlib's loop has loaded since the run started.
        loaded: usize,
        /// Bits zlib's loop holds.
        bits: u32,
    },
}

/// The sub-table entry a link points to, for the bits after the root's.
#[inline(always)]
fn follow<E: Entry, const N: usize>(table: &[E; N], link: E, after_root: u64) -> E {
    let index = link.link_offset() + (after_root & ((1 << link.link_width()) - 1)) as usize;
    // Links never point past the table; clamping keeps that unchecked.
    table[index.min(N - 1)]
}

/// Writes the match of `len` bytes at `distance` back, taking what lies
/// before this call's output from `window` (`distance` reaches no farther
/// back than the history). Writes exactly `len` bytes. Kept out of line:
/// the bulk loop's literal path then keeps its state in registers.
#[inline(never)]
fn copy_to_output<H: Behind>(out: &mut Writer, window: &H, distance: usize, len: usize) {
    let pos = out.len();
    let mut len = len;
    if distance > pos {
        // Part of the match lies in the bytes before the output.
        let n = (distance - pos).min(len);
        window.copy(distance - pos, n, out);
        len -= n;
    }
    if len != 0 {
        out.copy_match_short(distance, len);
    }
}

/// Decodes whole symbols while enough input remains and they fit in the
/// output. On entry the reader holds at least [`MIN_INPUT`] bytes; `window`
/// is the history before this call's output. Nothing is written past the
/// symbols decoded.
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
pub fn run<H: Behind>(
    tables: &Tables,
    window: &H,
    reader: &mut BitReader,
    out: &mut Writer,
) -> Exit {
    let (bulk, exact) = variants::<H>();
    let start = (reader.clone(), out.len());
    match bulk(tables, window, reader, out) {
        Exit::Error(_) => {
            // The bytes written before the bad code are written again, with
            // the same values, by whichever decoder zlib would have used.
            *reader = start.0;
            out.truncate(start.1);
            let zlib_enters = reader.available() >= MIN_INPUT && out.remaining() >= MIN_OUTPUT;
            if zlib_enters {
                exact(tables, window, reader, out)
            } else {
                // zlib's resumable decoder meets the bad code; so does ours.
                Exit::Pending
            }
        }
        exit => exit,
    }
}

/// Runs only the exact loop: decodes as zlib's loop does and stops
/// exactly where it stops, for a caller to whom that point is observable
/// (`inflateBack` leaves `next_out` there).
pub fn run_exact<H: Behind>(
    tables: &Tables,
    window: &H,
    reader: &mut BitReader,
    out: &mut Writer,
) -> Exit {
    let (_, exact) = variants::<H>();
    exact(tables, window, reader, out)
}

/// One compiled variant of [`decode_bulk`] or [`decode_exact`].
type Variant<H> = fn(&Tables, &H, &mut BitReader, &mut Writer) -> Exit;

/// The variants for this CPU: the bulk one and the exact one. std caches
/// the CPU's features in atomics, so asking each time costs a load and
/// takes no lock (a lock held by another thread at `fork()` would never be
/// released in the child). Miri runs the portable code.
#[inline(always)]
fn variants<H: Behind>() -> (Variant<H>, Variant<H>) {
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    if is_x86_feature_detected!("bmi2") {
        return (bulk_bmi2::<H>, exact_bmi2::<H>);
    }
    (decode_bulk::<H>, decode_exact::<H>)
}

/// The loops compiled with BMI2, whose shifts and bit extraction take a
/// variable count without the flag-merging cost of the plain shifts.
#[cfg(all(target_arch = "x86_64", not(miri)))]
#[allow(unsafe_code)]
fn bulk_bmi2<H: Behind>(
    tables: &Tables,
    window: &H,
    reader: &mut BitReader,
    out: &mut Writer,
) -> Exit {
    #[target_feature(enable = "bmi2")]
    unsafe fn with_bmi2<H: Behind>(
        tables: &Tables,
        window: &H,
        reader: &mut BitReader,
        out: &mut Writer,
    ) -> Exit {
        decode_bulk(tables, window, reader, out)
    }
    // SAFETY: `variants` hands this function out only after detecting BMI2.
    unsafe { with_bmi2(tables, window, reader, out) }
}

/// See [`bulk_bmi2`].
#[cfg(all(target_arch = "x86_64", not(miri)))]
#[allow(unsafe_code)]
fn exact_bmi2<H: Behind>(
    tables: &Tables,
    window: &H,
    reader: &mut BitReader,
    out: &mut Writer,
) -> Exit {
    #[target_feature(enable = "bmi2")]
    unsafe fn with_bmi2<H: Behind>(
        tables: &Tables,
        window: &H,
        reader: &mut BitReader,
        out: &mut Writer,
    ) -> Exit {
        decode_exact(tables, window, reader, out)
    }
    // SAFETY: `variants` hands this function out only after detecting BMI2.
    unsafe { with_bmi2(tables, window, reader, out) }
}

/// The bulk loop: checks only at the start of each pass that a whole pass
/// fits in the input and output left, which never stops it earlier than
/// zlib's loop: zlib's loop holds at least the bytes this one has taken,
/// and continues only while six more are left (48 bits, the most a pass
/// uses). The input position and the accumulator live in locals for the
/// whole loop.
#[inline(always)]
fn decode_bulk<H: Behind>(
    tables: &Tables,
    window: &H,
    reader: &mut BitReader,
    out: &mut Writer,
) -> Exit {
    // The writer's fields in registers (see `Writer::detach`).
    let mut local = out.detach();
    decode_bulk_local(tables, window, reader, &mut local)
}

#[inline(always)]
fn decode_bulk_local<H: Behind>(
    tables: &Tables,
    window: &H,
    reader: &mut BitReader,
    out: &mut Writer,
) -> Exit {
    let (lit, dist) = (tables.lit, tables.dist);
    let mut rest = reader.remaining();
    let (mut hold, mut bits) = reader.accumulator();
    let started = out.len();
    // Room for a pass of literals. A match checks its own length: near the
    // end of the output, one that does not fit whole is left to the
    // resumable decoder, which copies what fits as zlib does.
    let Some(out_limit) = out.capacity().checked_sub(LITERALS_PER_PASS) else {
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
        if out.len() > out_limit {
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
                    out.push(entry.value() as u8);
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
                out.push(entry.value() as u8);
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
        if len > out.remaining() {
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
        let pos = out.len();
        if window.too_far(distance, out) {
            break Exit::Error(messages::INVALID_DISTANCE_TOO_FAR_BACK);
        }
        if distance <= pos {
            out.copy_match_short(distance, len);
        } else if distance - pos >= len {
            // Wholly before the output (common when streaming).
            window.copy(distance - pos, len, out);
        } else {
            copy_to_output(out, window, distance, len);
        }
    };
    if out.len() == started && matches!(exit, Exit::Pending) {
        // Nothing decoded: the reader stays as it was. Giving back whole
        // bytes could return more than this call took, since a code left
        // unfinished by an earlier call's input may be held.
        return exit;
    }
    reader.resume(rest.len(), hold, bits);
    reader.give_back();
    exit
}

/// The exact loop: stops after exactly the symbol after which zlib's loop
/// would stop, keeping a shadow count of the bytes zlib's loop would have
/// read (`shadow_left`, `shadow_bits`) for that decision only.
#[inline(always)]
fn decode_exact<H: Behind>(
    tables: &Tables,
    window: &H,
    reader: &mut BitReader,
    out: &mut Writer,
) -> Exit {
    // The writer's fields in registers (see `Writer::detach`).
    let mut local = out.detach();
    decode_exact_local(tables, window, reader, &mut local)
}

#[inline(always)]
fn decode_exact_local<H: Behind>(
    tables: &Tables,
    window: &H,
    reader: &mut BitReader,
    out: &mut Writer,
) -> Exit {
    let (lit, dist) = (tables.lit, tables.dist);
    // The input position and the accumulator live in locals for the whole
    // loop, as in the bulk loop.
    let mut rest = reader.remaining();
    let (mut hold, mut bits) = reader.accumulator();
    // zlib's loop as it would run: `last - in` (it continues while this
    // is positive) and its own bit count.
    let mut shadow_left = rest.len() as isize - (MIN_INPUT - 1) as isize;
    let mut shadow_bits = bits;
    let first_left = shadow_left;
    // zlib's `out < end`: at least MIN_OUTPUT bytes of room remain.
    let out_limit = out.capacity().wrapping_sub(MIN_OUTPUT);
    let lit_entry = |hold: u64| lit[(hold & ((1 << LIT_ROOT_BITS) - 1)) as usize];
    let dist_entry = |hold: u64| dist[(hold & ((1 << DIST_ROOT_BITS) - 1)) as usize];
    // Whole bytes up to 56..=63 bits from one 8-byte load (`true`), or
    // `false` with nothing done when fewer than eight bytes are left.
    macro_rules! fill_word {
        () => {
            if let (Some(word), true) = (rest.first_chunk::<8>(), bits < 64) {
                hold |= u64::from_le_bytes(*word) << (bits & 63);
                // 63 - bits, for bits < 64.
                let taken = ((!bits & 63) >> 3) as usize;
                rest = rest.get(taken..).unwrap_or(&[]);
                bits |= 56;
                true
            } else {
                false
            }
        };
    }
    // Byte by byte near the end of the input.
    macro_rules! fill_bytes {
        () => {
            while bits <= 56 {
                let Some((&byte, after)) = rest.split_first() else {
                    break;
                };
                hold |= u64::from(byte) << bits;
                bits += 8;
                rest = after;
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
    // Finishes a code whose root entry is given: follows a sub-table link,
    // drops the code's bits; yields the final entry and the bits dropped.
    macro_rules! resolve {
        ($table:expr, $root_bits:expr, $entry:expr) => {{
            let mut entry = $entry;
            let mut dropped = 0;
            if entry.is_link() {
                dropped = $root_bits;
                consume!(dropped);
                entry = follow($table, entry, hold);
            }
            consume!(entry.bits());
            (entry, dropped + entry.bits())
        }};
    }
    if !fill_word!() {
        fill_bytes!();
    }
    let mut next = lit_entry(hold);
    // zlib's refill before each literal/length code.
    macro_rules! shadow_refill {
        () => {
            // Without a branch: taken or not about half the time.
            let low = shadow_bits < 15;
            shadow_left -= 2 * isize::from(low);
            shadow_bits += 16 * u32::from(low);
        };
    }
    macro_rules! shadow_drop {
        ($n:expr) => {
            shadow_bits = shadow_bits.wrapping_sub($n);
        };
    }
    macro_rules! zlib_stops {
        () => {
            !(shadow_left > 0 && out.len() <= out_limit)
        };
    }
    let exit = loop {
        if !fill_word!() {
            // The look-ahead above the bits held is no longer all input.
            fill_bytes!();
            next = lit_entry(hold);
        }
        let entry = next;
        if entry.is_literal() {
            // Root-level literals: up to four per refill (11 bits each at
            // most). zlib's loop cannot stop within four when it has more
            // than eight bytes left to load (it loads at most two for
            // each) and room for four more bytes: then they go without
            // the test after each.
            let unchecked = shadow_left > 8 && out.len() + 4 <= out_limit;
            macro_rules! literal {
                ($entry:expr) => {
                    let entry: LitEntry = $entry;
                    // Unmasked: see `LitEntry::literal_shift`.
                    hold >>= entry.literal_shift() & 63;
                    bits = bits.wrapping_sub(entry.bits());
                    next = lit_entry(hold);
                    shadow_refill!();
                    shadow_drop!(entry.bits());
                    out.push(entry.value() as u8);
                    if !unchecked && zlib_stops!() {
                        break Exit::Pending;
                    }
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
            if !(unchecked && next.is_literal()) {
                continue;
            }
            literal!(next);
            continue;
        }
        // Where this symbol starts, to hand it over (see `fail!`).
        let symbol_start = (rest, hold, bits, shadow_left, shadow_bits);
        macro_rules! fail {
            ($message:expr) => {
                if H::HANDS_OVER {
                    let left;
                    (rest, hold, bits, left, shadow_bits) = symbol_start;
                    break Exit::Handover {
                        loaded: (first_left - left) as usize,
                        bits: shadow_bits,
                    };
                }
                break Exit::Error($message)
            };
        }
        shadow_refill!();
        let (entry, used) = resolve!(lit, LIT_ROOT_BITS, entry);
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
                len += (hold & ((1 << extra) - 1)) as usize;
                consume!(extra);
                shadow_drop!(extra);
            }
            if shadow_bits < 15 {
                shadow_left -= 2;
                shadow_bits += 16;
            }
            let root = dist_entry(hold);
            let (entry, used) = resolve!(dist, DIST_ROOT_BITS, root);
            shadow_drop!(used);
            if !entry.is_base() {
                fail!(messages::INVALID_DISTANCE_CODE);
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
            let distance = entry.base_value() as usize + (hold & ((1 << extra) - 1)) as usize;
            consume!(extra);
            shadow_drop!(extra);
            next = lit_entry(hold);
            if window.too_far(distance, out) {
                fail!(messages::INVALID_DISTANCE_TOO_FAR_BACK);
            }
            let pos = out.len();
            if distance <= pos {
                out.copy_match_short(distance, len);
            } else if distance - pos >= len {
                // Wholly before the output (common in inflateBack's laps).
                window.copy(distance - pos, len, out);
            } else {
                copy_to_output(out, window, distance, len);
            }
        } else if entry.is_literal() {
            // A literal reached through a sub-table.
            out.push(entry.value() as u8);
            next = lit_entry(hold);
        } else if entry.is_end_of_block() {
            break Exit::EndOfBlock;
        } else {
            fail!(messages::INVALID_LITERAL_LENGTH_CODE);
        }
        if zlib_stops!() {
            break Exit::Pending;
        }
    };
    reader.resume(rest.len(), hold, bits);
    reader.give_back();
    exit
}
