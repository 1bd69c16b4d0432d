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
//! observable (`next_out` is left there), so [`run_back`] runs the bulk
//! loop only where zlib's loop cannot stop, and the exact variant for the
//! rest, over its window's previous lap ([`PreviousLap`]). Both loops are
//! the same code for inflate and inflateBack ([`decode_bulk_local`] and
//! [`decode_exact_local`]), told apart by their [`Behind`]: where matches
//! find the bytes before the output, and whether the loop stops before a
//! symbol it does not decode. In inflateBack's window, a ring, a match's
//! source is found without a branch on which lap it lies in
//! ([`PreviousLap::copy_match`]).

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
pub trait Behind: Sized {
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
    /// written bytes (`n <= beyond`, and not too far), with `M`'s moves.
    fn copy<M: Moves>(&self, beyond: usize, n: usize, out: &mut Writer);
    /// Writes the match of `len` bytes at `distance` back (not too far).
    #[inline(always)]
    fn copy_match<M: Moves>(&self, out: &mut Writer, distance: usize, len: usize) {
        copy_match::<Self, M>(out, self, distance, len);
    }
}

impl Behind for History<'_> {
    const HANDS_OVER: bool = false;

    #[inline(always)]
    fn too_far(&self, distance: usize, out: &Writer) -> bool {
        distance > out.len() + self.have()
    }

    #[inline(always)]
    fn copy<M: Moves>(&self, beyond: usize, n: usize, out: &mut Writer) {
        self.copy_back_by(beyond, n, out, M::extend);
    }

    /// When streaming, a match's source lies in this call's output or in
    /// the history, depending on its distance and the output's length so
    /// far: `M` may take it without a branch on which.
    #[inline(always)]
    fn copy_match<M: Moves>(&self, out: &mut Writer, distance: usize, len: usize) {
        if !M::history(out, self, distance, len) {
            copy_match::<Self, M>(out, self, distance, len);
        }
    }
}

/// The bytes after a [`crate::writer::LapWindow`] writer's output: the
/// previous lap, when it was all written.
pub struct PreviousLap;

impl Behind for PreviousLap {
    const HANDS_OVER: bool = true;

    #[inline(always)]
    fn too_far(&self, distance: usize, out: &Writer) -> bool {
        // `out.len() + out.lap_reach()`, without the sum.
        distance
            > if out.has_lap() {
                out.capacity()
            } else {
                out.len()
            }
    }

    #[inline(always)]
    fn copy<M: Moves>(&self, beyond: usize, n: usize, out: &mut Writer) {
        M::from_lap(out, beyond, n);
    }

    /// The window is a ring: a match's source starts `distance` bytes back
    /// in it, in this lap's bytes or the previous lap's. Most matches'
    /// sources lie wholly on one side and do not overlap their target, and
    /// those take one move however far back they start, with no branch on
    /// which side they lie (which text, whose distances spread over the
    /// whole window, would mispredict often).
    #[inline(always)]
    fn copy_match<M: Moves>(&self, out: &mut Writer, distance: usize, len: usize) {
        if !M::ring(out, distance, len) {
            copy_match::<Self, M>(out, self, distance, len);
        }
    }
}

/// How a loop variant moves match bytes: with fixed-size moves of up to 16
/// bytes ([`Portable`]), or with AVX-512 masked moves ([`Avx512`]), which
/// copy any length up to 64 in one move without touching a byte past it.
pub trait Moves {
    /// See [`Writer::copy_match_short`].
    fn within(out: &mut Writer, distance: usize, len: usize);
    /// See [`Writer::extend_short`] (what every CPU has, by default).
    #[inline(always)]
    fn extend(out: &mut Writer, bytes: &[u8]) {
        out.extend_short(bytes);
    }
    /// See [`Writer::copy_from_lap`] (what every CPU has, by default).
    #[inline(always)]
    fn from_lap(out: &mut Writer, beyond: usize, n: usize) {
        out.copy_from_lap(beyond, n);
    }
    /// Writes the match of `len` bytes at `distance` back (not too far) in
    /// a ring window ([`PreviousLap::copy_match`]) when these moves take it
    /// in one go, and returns `true`; else writes nothing.
    fn ring(out: &mut Writer, distance: usize, len: usize) -> bool;
    /// Writes the match of `len` bytes at `distance` back (not too far)
    /// over `history` ([`History`]'s `copy_match`) when these moves take it
    /// in one go, and returns `true`; else writes nothing.
    #[inline(always)]
    fn history(_: &mut Writer, _: &History, _: usize, _: usize) -> bool {
        false
    }
}

/// The moves every CPU has, as the bulk loop makes them: short matches
/// without a branch on which side of the output they lie, and with the
/// moves of [`Writer::copy_match_quick`].
pub struct Portable;

impl Moves for Portable {
    #[inline(always)]
    fn within(out: &mut Writer, distance: usize, len: usize) {
        out.copy_match_quick(distance, len);
    }

    /// Matches of up to 32 bytes whose source does not overlap them from
    /// behind.
    #[inline(always)]
    fn ring(out: &mut Writer, distance: usize, len: usize) -> bool {
        out.copy_ring_quick(distance, len)
    }

    /// Matches of up to 32 bytes that lie wholly in the output (without
    /// overlapping their target) or wholly in the history (without
    /// wrapping), once there is history ([`Side`]).
    #[inline(always)]
    fn history(out: &mut Writer, history: &History, distance: usize, len: usize) -> bool {
        let Some(side) = Side::of(out, history, distance) else {
            return false;
        };
        let quick = len <= 32 && len <= side.room;
        if quick {
            out.copy_short_either(side.inside, side.from, history.storage(), side.at, len);
        }
        quick
    }
}

/// Where the source of a match `distance` back lies for [`Moves::history`]:
/// in the output from `from` (`inside`), or in the history from `at`, with
/// `room` bytes on that side from there, chosen without a branch.
struct Side {
    inside: bool,
    from: usize,
    at: usize,
    room: usize,
}

impl Side {
    /// `None` before there is history: in one call with all the output,
    /// the branch on the side is always right, and taking that case too
    /// made such calls 2-9% slower.
    #[inline(always)]
    fn of(out: &Writer, history: &History, distance: usize) -> Option<Side> {
        if history.have() == 0 {
            return None;
        }
        let pos = out.len();
        let inside = distance <= pos;
        let (at, span) = history.span_of(distance.wrapping_sub(pos));
        Some(Side {
            inside,
            from: pos.wrapping_sub(distance),
            at,
            room: if inside { distance } else { span },
        })
    }
}

/// The moves every CPU has, in less code: for the exact loop, which runs
/// only near the buffers' ends, and is inlined in several places.
pub struct Compact;

impl Moves for Compact {
    #[inline(always)]
    fn within(out: &mut Writer, distance: usize, len: usize) {
        out.copy_match_short(distance, len);
    }

    #[inline(always)]
    fn ring(_: &mut Writer, _: usize, _: usize) -> bool {
        false
    }
}

/// AVX-512 masked moves; only the loop variants compiled for AVX-512 use
/// them, after [`variants`] has detected it.
#[cfg(all(target_arch = "x86_64", not(miri)))]
pub struct Avx512;

// SAFETY (every block): the CPU has the features these moves need (see
// `Avx512`).
#[cfg(all(target_arch = "x86_64", not(miri)))]
#[allow(unsafe_code)]
impl Moves for Avx512 {
    #[inline(always)]
    fn within(out: &mut Writer, distance: usize, len: usize) {
        unsafe { out.copy_match_avx512(distance, len) };
    }

    #[inline(always)]
    fn extend(out: &mut Writer, bytes: &[u8]) {
        unsafe { out.extend_avx512(bytes) };
    }

    #[inline(always)]
    fn from_lap(out: &mut Writer, beyond: usize, n: usize) {
        unsafe { out.copy_from_lap_avx512(beyond, n) };
    }

    /// Matches of up to 64 bytes whose source does not overlap them.
    #[inline(always)]
    fn ring(out: &mut Writer, distance: usize, len: usize) -> bool {
        unsafe { out.copy_ring_avx512(distance, len) }
    }

    /// Matches of up to 64 bytes that lie wholly in the output (without
    /// overlapping their target) or wholly in the history (without
    /// wrapping), once there is history (see [`Portable`]'s).
    #[inline(always)]
    fn history(out: &mut Writer, history: &History, distance: usize, len: usize) -> bool {
        let Some(side) = Side::of(out, history, distance) else {
            return false;
        };
        let quick = len <= 64 && len <= side.room;
        if quick {
            let storage = history.storage();
            unsafe { out.copy_either_avx512(side.inside, side.from, storage, side.at, len) };
        }
        quick
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

/// A length or distance: the base of the code at the bottom of `hold` plus
/// the extra bits that follow the code.
#[inline(always)]
fn with_extra(entry: impl Entry, hold: u64) -> usize {
    let extra = (hold & ((1 << entry.used()) - 1)) >> (entry.used() - entry.extra());
    entry.base_value() as usize + extra as usize
}

/// Writes the match of `len` bytes at `distance` back: within the output,
/// wholly before it in `window` (common when streaming, and in
/// inflateBack's laps), or across the two out of line.
#[inline(always)]
fn copy_match<H: Behind, M: Moves>(out: &mut Writer, window: &H, distance: usize, len: usize) {
    let pos = out.len();
    if distance <= pos {
        M::within(out, distance, len);
    } else if distance - pos >= len {
        window.copy::<M>(distance - pos, len, out);
    } else {
        out.with_copy(|out| copy_to_output(out, window, distance, len));
    }
}

/// Writes the match of `len` bytes at `distance` back, taking what lies
/// before this call's output from `window` (`distance` reaches no farther
/// back than the history). Writes exactly `len` bytes. Kept out of line:
/// the bulk loop's literal path then keeps its state in registers. Only
/// matches that start before the output and end in it come here: for
/// inflate, a few near the output's start, whose copies are those of least
/// code; for inflateBack, every match whose source wraps around its ring
/// window's end (with the copies of least code there too, ooffice through
/// inflateBack with the AVX-512 loops was 2-3% slower).
#[inline(never)]
fn copy_to_output<H: Behind>(out: &mut Writer, window: &H, distance: usize, len: usize) {
    let pos = out.len();
    let mut len = len;
    if distance > pos {
        // Part of the match lies in the bytes before the output.
        let n = (distance - pos).min(len);
        window.copy::<Compact>(distance - pos, n, out);
        len -= n;
    }
    if len != 0 {
        if H::HANDS_OVER {
            out.copy_match_short(distance, len);
        } else {
            out.copy_match(distance, len);
        }
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
    let bulk = variants::<H>();
    let start = (reader.clone(), out.len());
    match bulk(tables, window, reader, out) {
        Exit::Error(_) => {
            // The bytes written before the bad code are written again, with
            // the same values, by whichever decoder zlib would have used.
            *reader = start.0;
            out.truncate(start.1);
            let zlib_enters = reader.available() >= MIN_INPUT && out.remaining() >= MIN_OUTPUT;
            if zlib_enters {
                let shadow = Shadow::at_start(reader);
                decode_exact::<H, Compact>(tables, window, reader, out, shadow)
            } else {
                // zlib's resumable decoder meets the bad code; so does ours.
                Exit::Pending
            }
        }
        exit => exit,
    }
}

/// Input bytes, beyond those after which zlib's loop might stop, that
/// [`run_back`] decodes last with the bit count zlib's loop holds still
/// unknown, then recovers it from ([`shadow_bits_at`]); it stops also
/// [`LADDER`], `LADDER * LADDER`, ... times as far ahead ([`RUNGS`] stops
/// in all), to fall back on.
const TAIL_INPUT: usize = 24;
/// Output bytes, likewise.
const TAIL_OUTPUT: usize = 192;
/// See [`TAIL_INPUT`].
const LADDER: usize = 2;
/// See [`TAIL_INPUT`].
const RUNGS: usize = 8;

/// `inflateBack`'s run of the fast loop: decodes as zlib's loop does and
/// stops exactly where it stops (zlib leaves `next_out` there), over the
/// window's previous lap, handing over before a symbol that only zlib's
/// loop decodes as zlib does ([`Exit::Handover`]).
///
/// zlib's loop stops only near the end of the input or of the window, and
/// where it stops depends on how far it has read ahead, which only a
/// shadow of its bit count tells. Far from both ends the bulk loop runs
/// without that bookkeeping ([`decode_back_bulk`]), stopping before any
/// pass within which zlib's loop could stop, however many bits it holds.
/// On the way it stops at a few margins ([`TAIL_INPUT`], [`TAIL_OUTPUT`],
/// [`LADDER`]) to note where it was. Then the bit count zlib's loop holds
/// is recovered by decoding the symbols since the nearest such point
/// again without output, from every count that agrees with the bits read
/// so far: the wrong ones merge into the right one or turn impossible
/// (below zero). When they do not within that stretch, the stretch before
/// it, from the next point back, tells which count was right at its start
/// (last from the run's start, where zlib's count is known). The exact
/// loop finishes the run.
pub fn run_back(tables: &Tables, reader: &mut BitReader, out: &mut Writer) -> Exit {
    let bulk = back_variants();
    let start = reader.clone();
    let zlib = Shadow::at_start(reader);
    // The most bits zlib's loop holds: it tops up only below 15 bits.
    let most_held = zlib.bits.max(31);
    // Where the bulk loop stopped on the way, nearest last.
    let mut checkpoints: [Option<BitReader>; RUNGS] = core::array::from_fn(|_| None);
    let free_output = out
        .capacity()
        .checked_sub(MIN_OUTPUT)
        .and_then(|zlib_limit| zlib_limit.checked_sub(MIN_OUTPUT));
    if let Some(free_output) = free_output {
        // Bits left (held or not) above which zlib's loop cannot stop
        // within a pass: it stops only when no more than `MIN_INPUT - 1`
        // bytes are unread, and holds at most `most_held` of the bits left.
        let near = 8 * (MIN_INPUT - 1) + MIN_PASS_BITS as usize + most_held as usize;
        let mut bad = false;
        for (rung, checkpoint) in checkpoints.iter_mut().enumerate() {
            // Checked again at each stop: the room left shrinks.
            if bits_left(reader) > near + 16 * out.remaining() {
                return to_window_end(bulk, tables, &start, reader, out, near);
            }
            let margin = LADDER.pow((RUNGS - 1 - rung) as u32);
            let floor = near + 8 * TAIL_INPUT * margin;
            let out_limit = free_output.saturating_sub(TAIL_OUTPUT * margin);
            let before = bits_left(reader);
            match bulk(tables, reader, out, floor, out_limit) {
                BulkExit::EndOfBlock => return Exit::EndOfBlock,
                BulkExit::Bad => {
                    bad = true;
                    break;
                }
                BulkExit::Limit => {
                    // A point worth noting when the loop got past the last.
                    if bits_left(reader) != before {
                        *checkpoint = Some(reader.clone());
                    }
                }
            }
        }
        if !bad && bulk(tables, reader, out, near, free_output) == BulkExit::EndOfBlock {
            return Exit::EndOfBlock;
        }
    }
    let bits = shadow_bits_at(tables, &start, zlib.bits, most_held, &checkpoints, reader);
    let shadow = Shadow {
        bits,
        first_unread: zlib.first_unread,
    };
    decode_exact::<_, Compact>(tables, &PreviousLap, reader, out, shadow)
}

/// Decodes whole symbols into `inflateBack`'s window, over its previous
/// lap, as long as each fits before the window's end and at least eight
/// input bytes are left, stopping before any symbol it does not decode
/// ([`decode_back_bulk`]). For the stretches zlib decodes one symbol at a
/// time, where only the bits used matter. Returns `true` after the
/// end-of-block code.
pub fn run_plain(tables: &Tables, reader: &mut BitReader, out: &mut Writer) -> bool {
    let Some(out_limit) = out.capacity().checked_sub(LITERALS_PER_PASS) else {
        return false;
    };
    let bulk = back_variants();
    bulk(tables, reader, out, 0, out_limit) == BulkExit::EndOfBlock
}

/// [`run_back`] with input to spare: zlib's loop cannot run short of input
/// before it stops for the window (it writes at most the room left, at
/// most 16 bits for each byte), so it stops after the first symbol that
/// leaves less than [`MIN_OUTPUT`] bytes of room, whatever bits it holds.
/// The bulk loop runs up to a few bytes before that point, and the
/// symbol-at-a-time emulation of zlib's loop takes over ([`Exit::Handover`]),
/// told that zlib's loop holds what this reader holds (how far it has read
/// ahead matters only for its input test, which cannot fail here).
fn to_window_end(
    bulk: BackBulk,
    tables: &Tables,
    start: &BitReader,
    reader: &mut BitReader,
    out: &mut Writer,
    near: usize,
) -> Exit {
    // zlib's loop goes on while fewer bytes than this are written.
    let end = out.capacity() - (MIN_OUTPUT - 1);
    if bulk(tables, reader, out, near, end - LITERALS_PER_PASS) == BulkExit::EndOfBlock {
        return Exit::EndOfBlock;
    }
    if out.len() >= end {
        // The last symbol (a match; literals stop short of `end`) ended
        // zlib's loop.
        return Exit::Pending;
    }
    Exit::Handover {
        loaded: start.available() - reader.available(),
        bits: reader.bits(),
    }
}

/// Bits left to read: the input not taken and the bits held.
fn bits_left(reader: &BitReader) -> usize {
    8 * reader.available() + reader.bits() as usize
}

/// The bit count zlib's loop, which started at `start` holding
/// `start_bits`, holds where `now` is. Found by replaying the stretch from
/// the nearest of `checkpoints` to `now` for each count `most_held` or
/// below that agrees with the bits read (zlib reads whole bytes); when
/// those counts do not agree at the end, the stretch before it, from the
/// next checkpoint back (last from `start`, where the count is known),
/// tells which of them was right at its start.
fn shadow_bits_at(
    tables: &Tables,
    start: &BitReader,
    start_bits: u32,
    most_held: u32,
    checkpoints: &[Option<BitReader>],
    now: &BitReader,
) -> u32 {
    let from_start = [start_bits as i32, IMPOSSIBLE, IMPOSSIBLE, IMPOSSIBLE];
    // The stretches replayed so far, latest first: the counts each started
    // from and where each of them ended.
    let mut later: Vec<([i32; 4], [i32; 4])> = Vec::new();
    let mut end = bits_left(now);
    let nearer_first = checkpoints.iter().rev().flatten();
    let points = nearer_first
        .filter(|_| most_held < 32)
        .map(Some)
        .chain([None]);
    for point in points {
        let (reader, counts) = match point {
            Some(checkpoint) => {
                let read = bits_left(start) - bits_left(checkpoint);
                // zlib's bits read since the start are whole bytes.
                let low = (start_bits as usize).wrapping_sub(read) & 7;
                (checkpoint, [0, 8, 16, 24].map(|k| (low + k) as i32))
            }
            None => (start, from_start),
        };
        let Some(ends) = replay(tables, reader, end, counts) else {
            // A stretch that does not end at the later point: start over
            // from the start.
            break;
        };
        if let Some(mut bits) = agreed(ends) {
            // Carry the count through the later stretches.
            for (starts, ends) in later.iter().rev() {
                match starts.iter().position(|&count| count == bits as i32) {
                    Some(i) if ends[i] >= 0 => bits = ends[i] as u32,
                    _ => return whole_run(tables, start, start_bits, now),
                }
            }
            return bits;
        }
        end = bits_left(reader);
        later.push((counts, ends));
    }
    whole_run(tables, start, start_bits, now)
}

/// The bit count where `now` is, replayed from `start` (see
/// [`shadow_bits_at`]). Cannot fail on symbols the loop decoded.
fn whole_run(tables: &Tables, start: &BitReader, start_bits: u32, now: &BitReader) -> u32 {
    let counts = [start_bits as i32, IMPOSSIBLE, IMPOSSIBLE, IMPOSSIBLE];
    replay(tables, start, bits_left(now), counts)
        .and_then(agreed)
        .unwrap_or(start_bits)
}

/// The count that all possible ones agree on, if they do.
fn agreed(counts: [i32; 4]) -> Option<u32> {
    let mut possible = counts.into_iter().filter(|&count| count >= 0);
    let first = possible.next()?;
    possible.all(|count| count == first).then_some(first as u32)
}

/// A bit count zlib's loop cannot hold (see [`replay`]).
const IMPOSSIBLE: i32 = -1000;

/// Decodes the symbols from `reader` on until `target` bits are left,
/// without output, keeping for each of `counts` the bit count zlib's loop
/// would hold, or [`IMPOSSIBLE`] once it would have dropped bits it did
/// not hold. Returns the counts at the end, or `None` when the symbols
/// end past `target`.
fn replay(
    tables: &Tables,
    reader: &BitReader,
    target: usize,
    mut counts: [i32; 4],
) -> Option<[i32; 4]> {
    let mut rest = reader.remaining();
    let (mut hold, mut bits) = reader.accumulator();
    // zlib's loads: `n` more bytes while it holds fewer than `below` bits;
    // then it drops `used` bits.
    let step = |counts: &mut [i32; 4], below: u32, n: i32, used: u32| {
        for count in counts.iter_mut() {
            let loaded = *count + if *count < below as i32 { 8 * n } else { 0 };
            let after = loaded - used as i32;
            *count = if after < 0 { IMPOSSIBLE } else { after };
        }
    };
    macro_rules! consume {
        ($n:expr) => {{
            let n: u32 = $n;
            hold >>= n & 63;
            bits = bits.wrapping_sub(n);
        }};
    }
    loop {
        let left = 8 * rest.len() + bits as usize;
        if left <= target {
            return (left == target).then_some(counts);
        }
        // Up to 56..=63 bits: a whole symbol (at most 48).
        if let (Some(word), true) = (rest.first_chunk::<8>(), bits < 64) {
            hold |= u64::from_le_bytes(*word) << (bits & 63);
            let taken = ((!bits & 63) >> 3) as usize;
            rest = rest.get(taken..).unwrap_or(&[]);
            bits |= 56;
        } else {
            while bits <= 56 {
                let Some((&byte, after)) = rest.split_first() else {
                    break;
                };
                hold |= u64::from(byte) << bits;
                bits += 8;
                rest = after;
            }
        }
        let mut entry = tables.lit[(hold & ((1 << LIT_ROOT_BITS) - 1)) as usize];
        let mut used = 0;
        if entry.is_link() {
            consume!(LIT_ROOT_BITS);
            used = LIT_ROOT_BITS;
            entry = follow(tables.lit, entry, hold);
        }
        used += entry.bits();
        consume!(entry.bits());
        step(&mut counts, 15, 2, used);
        if entry.is_literal() {
            continue;
        }
        if !entry.is_base() {
            return None;
        }
        let extra = entry.extra();
        consume!(extra);
        step(&mut counts, extra, 1, extra);
        let mut entry = tables.dist[(hold & ((1 << DIST_ROOT_BITS) - 1)) as usize];
        let mut used = 0;
        if entry.is_link() {
            consume!(DIST_ROOT_BITS);
            used = DIST_ROOT_BITS;
            entry = follow(tables.dist, entry, hold);
        }
        used += entry.bits();
        consume!(entry.bits());
        step(&mut counts, 15, 2, used);
        if !entry.is_base() {
            return None;
        }
        let extra = entry.extra();
        consume!(extra);
        step(&mut counts, extra, 1, 0);
        step(&mut counts, extra, 1, extra);
    }
}

/// How a run of [`decode_back_bulk`] ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BulkExit {
    /// At its limits, before the next symbol.
    Limit,
    /// After the end-of-block code.
    EndOfBlock,
    /// Before a symbol it does not decode: a corrupt code, or a distance
    /// too far back.
    Bad,
}

/// One compiled variant of [`decode_back_bulk`].
type BackBulk = fn(&Tables, &mut BitReader, &mut Writer, usize, usize) -> BulkExit;

/// The variant of [`run_back`]'s bulk loop for this CPU (see [`variants`]).
#[inline(always)]
fn back_variants() -> BackBulk {
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    if has_avx512() {
        return compiled::avx512::back_bulk;
    } else if has_bmi2() {
        return compiled::bmi2::back_bulk;
    }
    decode_back_bulk::<Portable>
}

/// The bulk loop for `inflateBack`'s window ([`decode_bulk`] over the
/// previous lap): decodes a pass (up to four literals or one match, at
/// most [`MIN_PASS_BITS`] bits and 258 bytes) only while more than
/// `left_floor` bits are left to read and no more than `out_limit` bytes
/// are written. Stops before a symbol it does not decode, for the exact
/// loop to meet it.
#[inline(always)]
fn decode_back_bulk<M: Moves>(
    tables: &Tables,
    reader: &mut BitReader,
    out: &mut Writer,
    left_floor: usize,
    out_limit: usize,
) -> BulkExit {
    // Passes go on while more input bytes than `left_floor / 8` are left
    // (the bits held aside: a little conservative, and at least eight
    // bytes to load): the loop sees the input without the bytes beyond
    // eight that must stay.
    let keep = left_floor / 8 + 1;
    let limits = Limits {
        kept_input: keep.max(8) - 8,
        out_limit,
    };
    // The writer's fields in registers (see `Writer::detach`).
    let mut local = out.detach();
    match decode_bulk_local::<PreviousLap, M>(tables, &PreviousLap, reader, &mut local, limits) {
        Exit::EndOfBlock => BulkExit::EndOfBlock,
        Exit::Pending => BulkExit::Limit,
        Exit::Error(_) | Exit::Handover { .. } => BulkExit::Bad,
    }
}

/// zlib's loop's bookkeeping, for the exact loop to start from: the bits
/// it holds, and the input bits it had not read when its run started (the
/// input left then, beyond the bits held).
#[derive(Clone, Copy, Debug)]
pub struct Shadow {
    bits: u32,
    first_unread: isize,
}

impl Shadow {
    /// zlib's loop starting where `reader` is: it holds the same bits.
    fn at_start(reader: &BitReader) -> Shadow {
        Shadow {
            bits: reader.bits(),
            first_unread: 8 * reader.available() as isize,
        }
    }
}

/// One compiled variant of [`decode_bulk`].
type Variant<H> = fn(&Tables, &H, &mut BitReader, &mut Writer) -> Exit;
/// The bulk loop's variant for this CPU. std caches the CPU's features in
/// atomics, so asking each time costs a load and takes no lock (a lock
/// held by another thread at `fork()` would never be released in the
/// child). Miri runs the portable code. The exact loop is the portable one
/// on every CPU: it runs near the buffers' ends, where compiled for BMI2
/// or AVX-512 it was no faster in the inflate bench, and its copies per
/// feature set made the library 18 KB larger.
#[inline(always)]
fn variants<H: Behind>() -> Variant<H> {
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    if has_avx512() {
        return compiled::avx512::bulk::<H>;
    } else if has_bmi2() {
        return compiled::bmi2::bulk::<H>;
    }
    decode_bulk::<H, Portable>
}

/// Whether the CPU has what the [`Avx512`] moves need (and `RZLIB_CPU`
/// allows them, see `crate::cpu`).
#[cfg(all(target_arch = "x86_64", not(miri)))]
#[inline(always)]
fn has_avx512() -> bool {
    crate::cpu::allows(crate::cpu::Tier::Avx512)
        && is_x86_feature_detected!("avx512f")
        && is_x86_feature_detected!("avx512bw")
        && is_x86_feature_detected!("avx512vbmi")
        && is_x86_feature_detected!("bmi2")
}

/// Whether the CPU has BMI2 (and `RZLIB_CPU` allows it).
#[cfg(all(target_arch = "x86_64", not(miri)))]
#[inline(always)]
fn has_bmi2() -> bool {
    crate::cpu::allows(crate::cpu::Tier::Avx2) && is_x86_feature_detected!("bmi2")
}

/// The loops compiled for a CPU feature set: `bmi2`, whose shifts and bit
/// extraction take a variable count without the flag-merging cost of the
/// plain shifts, and `avx512`, which adds [`Avx512`]'s masked moves.
#[cfg(all(target_arch = "x86_64", not(miri)))]
mod compiled {
    use super::*;

    macro_rules! variant {
        ($name:ident, $features:literal, $moves:ty) => {
            /// The loops compiled with these features.
            #[allow(unsafe_code)]
            pub mod $name {
                use super::*;

                /// [`decode_bulk`].
                pub fn bulk<H: Behind>(
                    tables: &Tables,
                    window: &H,
                    reader: &mut BitReader,
                    out: &mut Writer,
                ) -> Exit {
                    #[target_feature(enable = $features)]
                    unsafe fn with<H: Behind>(
                        tables: &Tables,
                        window: &H,
                        reader: &mut BitReader,
                        out: &mut Writer,
                    ) -> Exit {
                        decode_bulk::<H, $moves>(tables, window, reader, out)
                    }
                    // SAFETY: `variants` hands this function out only after
                    // detecting the features.
                    unsafe { with(tables, window, reader, out) }
                }

                /// [`decode_back_bulk`].
                pub fn back_bulk(
                    tables: &Tables,
                    reader: &mut BitReader,
                    out: &mut Writer,
                    left_floor: usize,
                    out_limit: usize,
                ) -> BulkExit {
                    #[target_feature(enable = $features)]
                    unsafe fn with(
                        tables: &Tables,
                        reader: &mut BitReader,
                        out: &mut Writer,
                        left_floor: usize,
                        out_limit: usize,
                    ) -> BulkExit {
                        decode_back_bulk::<$moves>(tables, reader, out, left_floor, out_limit)
                    }
                    // SAFETY: as in `bulk`.
                    unsafe { with(tables, reader, out, left_floor, out_limit) }
                }
            }
        };
    }

    variant!(bmi2, "bmi2", Portable);
    variant!(avx512, "avx512f,avx512bw,avx512vbmi,bmi2", Avx512);
}

/// The bulk loop: checks only at the start of each pass that a whole pass
/// fits in the input and output left, which never stops it earlier than
/// zlib's loop: zlib's loop holds at least the bytes this one has taken,
/// and continues only while six more are left (48 bits, the most a pass
/// uses). The input position and the accumulator live in locals for the
/// whole loop.
#[inline(always)]
fn decode_bulk<H: Behind, M: Moves>(
    tables: &Tables,
    window: &H,
    reader: &mut BitReader,
    out: &mut Writer,
) -> Exit {
    // The writer's fields in registers (see `Writer::detach`).
    let mut local = out.detach();
    let limits = Limits {
        kept_input: 0,
        out_limit: usize::MAX,
    };
    decode_bulk_local::<H, M>(tables, window, reader, &mut local, limits)
}

/// Where a run of the bulk loop stops early (see [`decode_back_bulk`]).
struct Limits {
    /// Input bytes at the end that the loop leaves alone: it stops when
    /// fewer than eight others are left (inflateBack), or, with none kept,
    /// refills byte by byte up to the input's end (inflate).
    kept_input: usize,
    /// The most bytes written before a pass.
    out_limit: usize,
}

/// The loop of [`decode_bulk`], shared by inflate and inflateBack. For
/// inflateBack ([`Behind::HANDS_OVER`]) it stops before a symbol it does
/// not decode, with the reader at that symbol, and keeps the bits held at
/// its start that it did not use.
#[inline(always)]
fn decode_bulk_local<H: Behind, M: Moves>(
    tables: &Tables,
    window: &H,
    reader: &mut BitReader,
    out: &mut Writer,
    limits: Limits,
) -> Exit {
    let (lit, dist) = (tables.lit, tables.dist);
    let all = reader.remaining();
    let kept = limits.kept_input.min(all.len());
    let mut rest = &all[..all.len() - kept];
    let (mut hold, mut bits) = reader.accumulator();
    let started = out.len();
    // Room for a pass of literals. A match checks its own length: near the
    // end of the output, one that does not fit whole is left to the
    // resumable decoder, which copies what fits as zlib does.
    let Some(out_limit) = out.capacity().checked_sub(LITERALS_PER_PASS) else {
        return Exit::Pending;
    };
    let out_limit = out_limit.min(limits.out_limit);
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
    // The bytes-by-byte refill never runs for inflateBack: it keeps at
    // least eight bytes after those the loop sees.
    if H::HANDS_OVER && rest.len() < 8 {
        return Exit::Pending;
    }
    fill!();
    let mut next = lit_entry(hold);
    let exit = 'pass: loop {
        if !fill!() {
            if H::HANDS_OVER || bits < MIN_PASS_BITS {
                break Exit::Pending;
            }
            next = lit_entry(hold);
        }
        if out.len() > out_limit {
            break Exit::Pending;
        }
        // The accumulator before this pass's symbol, to put back a match
        // that does not fit, or to stop before a symbol left to the exact
        // loop (the pass has taken no input since the refill).
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
                    bits = bits.wrapping_sub(entry.used());
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
            (hold, bits) = pass_start;
            break 'pass Exit::Error(messages::INVALID_LITERAL_LENGTH_CODE);
        }
        // Length code and its extra bits dropped with one shift, then
        // the distance code and its extra bits likewise: all within
        // the bits of this pass's refill.
        let saved = hold;
        // Unmasked: see `Entry::shift`.
        hold >>= entry.shift() & 63;
        bits = bits.wrapping_sub(entry.used());
        let len = with_extra(entry, saved);
        // A match that does not fit is left to the resumable decoder (it
        // copies what fits, as zlib does), before its distance is judged.
        let stop = |out: &Writer, message| {
            if len > out.remaining() {
                Exit::Pending
            } else {
                Exit::Error(message)
            }
        };
        let mut entry = dist_entry(hold);
        if entry.is_link() {
            consume!(DIST_ROOT_BITS);
            entry = follow(dist, entry, hold);
        }
        if !entry.is_base() {
            (hold, bits) = pass_start;
            break stop(out, messages::INVALID_DISTANCE_CODE);
        }
        let saved = hold;
        hold >>= entry.shift() & 63;
        bits = bits.wrapping_sub(entry.used());
        let distance = with_extra(entry, saved);
        if len > out.remaining() || window.too_far(distance, out) {
            (hold, bits) = pass_start;
            break stop(out, messages::INVALID_DISTANCE_TOO_FAR_BACK);
        }
        next = lit_entry(hold);
        window.copy_match::<M>(out, distance, len);
    };
    if out.len() == started && !matches!(exit, Exit::EndOfBlock) {
        // Nothing decoded: the reader stays as it was. Giving back whole
        // bytes could return more than this call took, since a code left
        // unfinished by an earlier call's input may be held. (inflate
        // redoes a run that meets corrupt data from its start.)
        return exit;
    }
    reader.resume(rest.len() + kept, hold, bits);
    if H::HANDS_OVER {
        reader.give_back_taken();
    } else {
        reader.give_back();
    }
    exit
}

/// The exact loop: stops after exactly the symbol after which zlib's loop
/// would stop. zlib's loop reads input ahead of need, and its stopping
/// test looks at how much it has read; this loop keeps a shadow of the bit
/// count zlib's loop holds (`shadow_bits`), from which, with the bits this
/// loop holds and the input left, follows how many bytes zlib's loop has
/// not read yet.
#[inline(always)]
fn decode_exact<H: Behind, M: Moves>(
    tables: &Tables,
    window: &H,
    reader: &mut BitReader,
    out: &mut Writer,
    shadow: Shadow,
) -> Exit {
    // The writer's fields in registers (see `Writer::detach`).
    let mut local = out.detach();
    decode_exact_local::<H, M>(tables, window, reader, &mut local, shadow)
}

#[inline(always)]
fn decode_exact_local<H: Behind, M: Moves>(
    tables: &Tables,
    window: &H,
    reader: &mut BitReader,
    out: &mut Writer,
    shadow: Shadow,
) -> Exit {
    let (lit, dist) = (tables.lit, tables.dist);
    // The input position and the accumulator live in locals for the whole
    // loop, as in the bulk loop.
    let mut rest = reader.remaining();
    let (mut hold, mut bits) = reader.accumulator();
    // The bits zlib's loop holds, and the input bits it had not read when
    // its run started: it has read `first_unread - unread!()` bits since.
    let mut shadow_bits = shadow.bits;
    let first_unread = shadow.first_unread;
    // Input bits zlib's loop has not read: the input left, and the bits
    // this loop holds beyond zlib's (it reads whole bytes too, so this is
    // a multiple of 8). zlib's loop continues while more than
    // `MIN_INPUT - 1` bytes are unread.
    macro_rules! unread {
        () => {
            8 * rest.len() as isize + bits as isize - shadow_bits as isize
        };
    }
    const GOES_ON: isize = 8 * (MIN_INPUT as isize - 1);
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
    // zlib's loads: `$n` more bytes while it holds fewer than `$below`
    // bits (without a branch: taken or not about half the time).
    macro_rules! shadow_load {
        ($below:expr, $n:expr) => {
            let low = shadow_bits < $below;
            shadow_bits += 8 * $n * u32::from(low);
        };
    }
    macro_rules! shadow_drop {
        ($n:expr) => {
            shadow_bits = shadow_bits.wrapping_sub($n);
        };
    }
    macro_rules! zlib_stops {
        () => {
            !(unread!() > GOES_ON && out.len() <= out_limit)
        };
    }
    if !fill_word!() {
        fill_bytes!();
    }
    let mut next = lit_entry(hold);
    let exit = loop {
        if !fill_word!() {
            // The look-ahead above the bits held is no longer all input.
            fill_bytes!();
            next = lit_entry(hold);
        }
        let entry = next;
        if entry.is_literal() {
            // Root-level literals: up to four per refill (11 bits each at
            // most). zlib's loop cannot stop within four when more than
            // eight bytes past its stopping point are unread (it reads at
            // most two for each) and there is room for four more bytes:
            // then they go without the test after each.
            let unchecked = unread!() > GOES_ON + 64 && out.len() + 4 <= out_limit;
            macro_rules! literal {
                ($entry:expr) => {
                    let entry: LitEntry = $entry;
                    // Unmasked: see `LitEntry::literal_shift`.
                    hold >>= entry.literal_shift() & 63;
                    bits = bits.wrapping_sub(entry.used());
                    next = lit_entry(hold);
                    shadow_load!(15, 2);
                    shadow_drop!(entry.used());
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
        let symbol_start = (rest, hold, bits, shadow_bits);
        macro_rules! fail {
            ($message:expr) => {
                if H::HANDS_OVER {
                    (rest, hold, bits, shadow_bits) = symbol_start;
                    let unread = unread!();
                    break Exit::Handover {
                        loaded: ((first_unread - unread) >> 3) as usize,
                        bits: shadow_bits,
                    };
                }
                break Exit::Error($message)
            };
        }
        shadow_load!(15, 2);
        let mut entry = entry;
        if entry.is_link() {
            consume!(LIT_ROOT_BITS);
            shadow_drop!(LIT_ROOT_BITS);
            entry = follow(lit, entry, hold);
        }
        consume!(entry.bits());
        shadow_drop!(entry.bits());
        if entry.is_base() {
            // Length extra, distance code and distance extra: all within
            // the bits of this pass's refill.
            let extra = entry.extra();
            let len = entry.base_value() as usize + (hold & ((1 << extra) - 1)) as usize;
            shadow_load!(extra, 1);
            consume!(extra);
            shadow_drop!(extra);
            shadow_load!(15, 2);
            let mut entry = dist_entry(hold);
            if entry.is_link() {
                consume!(DIST_ROOT_BITS);
                shadow_drop!(DIST_ROOT_BITS);
                entry = follow(dist, entry, hold);
            }
            consume!(entry.bits());
            shadow_drop!(entry.bits());
            if !entry.is_base() {
                fail!(messages::INVALID_DISTANCE_CODE);
            }
            let extra = entry.extra();
            shadow_load!(extra, 1);
            shadow_load!(extra, 1);
            let distance = entry.base_value() as usize + (hold & ((1 << extra) - 1)) as usize;
            consume!(extra);
            shadow_drop!(extra);
            next = lit_entry(hold);
            if window.too_far(distance, out) {
                fail!(messages::INVALID_DISTANCE_TOO_FAR_BACK);
            }
            window.copy_match::<M>(out, distance, len);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `M`'s match copies and extensions write what a byte-by-byte copy
    /// writes, and nothing after it, for every distance below 80 and
    /// length below 300.
    fn moves_are_exact<M: Moves>() {
        const UNTOUCHED: u8 = 0xa5;
        for dist in 1..80 {
            let history: Vec<u8> = (0..dist + 3).map(|i| (i * 7 + 1) as u8).collect();
            for len in 0..300 {
                let mut expected = history.clone();
                for _ in 0..len {
                    expected.push(expected[expected.len() - dist]);
                }
                let mut buf = vec![UNTOUCHED; expected.len() + 80];
                let mut out = Writer::from_bytes(&mut buf);
                out.extend(&history);
                M::within(&mut out, dist, len);
                assert_eq!(out.len(), expected.len());
                assert_eq!(&buf[..expected.len()], &expected[..], "{dist} {len}");
                assert!(buf[expected.len()..].iter().all(|&b| b == UNTOUCHED));

                let mut buf = vec![UNTOUCHED; len + 80];
                let mut out = Writer::from_bytes(&mut buf);
                M::extend(&mut out, &expected[..len]);
                assert_eq!(out.len(), len);
                assert_eq!(&buf[..len], &expected[..len]);
                assert!(buf[len..].iter().all(|&b| b == UNTOUCHED));
            }
        }
    }

    #[test]
    fn portable_moves_are_exact() {
        moves_are_exact::<Portable>();
    }

    #[test]
    fn compact_moves_are_exact() {
        moves_are_exact::<Compact>();
    }

    /// `M`'s copies of matches over a stream's history (a 256-byte window,
    /// its ring at several positions) write what a byte-by-byte copy
    /// writes, and nothing after it, or take nothing.
    fn history_moves_are_exact<M: Moves>() {
        use super::super::window::Window;
        const UNTOUCHED: u8 = 0xa5;
        let stream: Vec<u8> = (0..700u32).map(|i| (i * 31 + i / 7) as u8).collect();
        for fed in [0, 100, 256, 300, 500] {
            let mut window: Window<Vec<u8>> = Window::new();
            if fed != 0 {
                // In two parts, so that the ring's next byte is not at 0.
                let (a, b) = stream[..fed].split_at(fed / 3);
                assert!(window.update(8, a, |n| Some(vec![0; n])));
                assert!(window.update(8, b, |n| Some(vec![0; n])));
            }
            let history = window.history();
            let have = history.have();
            let mut taken = 0;
            for written in [0, 1, 5, 40, 100] {
                for distance in 1..=have + written {
                    for len in 1..=70 {
                        let mut buf = vec![UNTOUCHED; written + len + 16];
                        let mut out = Writer::from_bytes(&mut buf);
                        out.extend(&stream[fed..fed + written]);
                        let took = M::history(&mut out, &history, distance, len);
                        let end = if took { written + len } else { written };
                        taken += usize::from(took);
                        let what =
                            format!("fed {fed} written {written} distance {distance} len {len}");
                        assert_eq!(out.len(), end, "{what}");
                        let mut want = stream[fed - have..fed + written].to_vec();
                        for _ in 0..len {
                            want.push(want[want.len() - distance]);
                        }
                        assert_eq!(&buf[..end], &want[have..have + end], "{what}");
                        assert!(buf[end..].iter().all(|&b| b == UNTOUCHED), "{what}");
                    }
                }
            }
            // Without history nothing needs these moves.
            assert_eq!(taken > 0, fed != 0, "fed {fed}");
        }
    }

    #[test]
    fn portable_history_moves_are_exact() {
        history_moves_are_exact::<Portable>();
    }

    #[cfg(all(target_arch = "x86_64", not(miri)))]
    #[test]
    fn avx512_history_moves_are_exact() {
        if has_avx512() {
            history_moves_are_exact::<Avx512>();
        }
    }

    /// `M`'s ring copies in a 128-byte window, over a previous lap and
    /// without one, write what a byte-by-byte copy in the ring writes, and
    /// nothing after it, or take nothing.
    fn ring_moves_are_exact<M: Moves>() {
        use crate::writer::LapWindow;
        use core::mem::MaybeUninit;
        const SIZE: usize = 128;
        let lap: Vec<u8> = (0..SIZE).map(|i| (i * 29 + 3) as u8).collect();
        for laps in [false, true] {
            for written in (1..SIZE - 1).step_by(3) {
                let reach = if laps { SIZE } else { written };
                for distance in 1..=reach {
                    for len in (1..=(SIZE - written).min(70)).step_by(5) {
                        let mut buf = [MaybeUninit::new(0xa5u8); SIZE];
                        let mut window = LapWindow::new(&mut buf);
                        if laps {
                            window.extend_from_input(&lap);
                            window.rewind();
                        }
                        window.extend_from_input(&lap[SIZE - written..]);
                        let mut ring = lap.clone();
                        ring[..written].copy_from_slice(&lap[SIZE - written..]);
                        for at in written..written + len {
                            ring[at] = ring[(at + SIZE - distance) % SIZE];
                        }
                        let took = window.write(|out| M::ring(out, distance, len)).unwrap();
                        let what =
                            format!("laps {laps} written {written} distance {distance} len {len}");
                        let end = if took { written + len } else { written };
                        assert_eq!(window.len(), end, "{what}");
                        let mut part = window.part();
                        assert_eq!(part.written().unwrap(), &ring[..end], "{what}");
                        if laps {
                            // The previous lap after the match is as it
                            // was: copied onto itself, it reads back so.
                            let rest = SIZE - end;
                            window.write(|out| out.copy_from_lap(rest, rest)).unwrap();
                            let mut whole = window.part();
                            let whole = whole.written().unwrap();
                            assert_eq!(&whole[end..], &lap[end..], "{what}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn portable_ring_moves_are_exact() {
        ring_moves_are_exact::<Portable>();
    }

    #[cfg(all(target_arch = "x86_64", not(miri)))]
    #[test]
    fn avx512_ring_moves_are_exact() {
        if has_avx512() {
            ring_moves_are_exact::<Avx512>();
        }
    }

    #[cfg(all(target_arch = "x86_64", not(miri)))]
    #[test]
    fn avx512_moves_are_exact() {
        if has_avx512() {
            moves_are_exact::<Avx512>();
        }
    }
}
