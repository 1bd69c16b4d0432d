//! The fast loop: decodes literals and matches straight from a refilled
//! 64-bit accumulator while plenty of input and output remain, the role of
//! zlib's inffast.c.
//!
//! Observable behaviour must not depend on which loop decoded a symbol, with
//! one exception: `inflateMark` reports state the resumable decoder leaves
//! behind. So this loop stops after exactly the symbol after which zlib's
//! would stop; it keeps a shadow count of the bytes zlib's loop would have
//! read (`shadow_in`, `shadow_bits`) for that decision only.

use super::bits::BitReader;
use super::huffman::{Entry, OP_BASE, OP_END_OF_BLOCK, OP_INVALID};
use super::messages;
use super::window::Window;
use core::ffi::CStr;

/// Output space the loop needs before each symbol: the longest match.
pub const MIN_OUTPUT: usize = 258;
/// Input bytes zlib's loop needs at entry.
pub const MIN_INPUT: usize = 6;

/// The decoding tables and history one run uses.
pub struct Tables<'a> {
    /// Literal/length table.
    pub lit: &'a [Entry],
    /// Its root index width.
    pub lit_bits: u32,
    /// Distance table.
    pub dist: &'a [Entry],
    /// Its root index width.
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

/// Looks up the next code in `table` (following a sub-table link), drops
/// its bits and returns the final entry with the total bits dropped.
#[inline(always)]
fn decode(reader: &mut BitReader, table: &[Entry], root_bits: u32) -> (Entry, u32) {
    let mask = (1u64 << root_bits) - 1;
    let mut entry = table
        .get((reader.window() & mask) as usize)
        .copied()
        .unwrap_or(Entry::invalid(0));
    let mut dropped = 0;
    if entry.is_link() {
        dropped = entry.bits();
        reader.consume(dropped);
        let sub_mask = (1u64 << entry.op()) - 1;
        let index = entry.val() as usize + (reader.window() & sub_mask) as usize;
        entry = table.get(index).copied().unwrap_or(Entry::invalid(0));
    }
    reader.consume(entry.bits());
    (entry, dropped + entry.bits())
}

/// Copies `len` bytes from `distance` back within `out`, ending at
/// `pos + len`; overlapping copies repeat the pattern as LZ77 requires.
/// Does nothing if the ranges do not fit (callers make sure they do).
#[inline(always)]
pub fn copy_match(out: &mut [u8], pos: usize, distance: usize, len: usize) {
    let Some(src) = pos.checked_sub(distance) else {
        return;
    };
    if distance == 0 || pos.checked_add(len).map_or(true, |end| end > out.len()) {
        return;
    }
    if distance >= len {
        if len <= 16 && distance >= 16 {
            // Short match: a fixed-size load beats a memmove call.
            let (head, tail) = out.split_at_mut(pos);
            let chunk: [u8; 16] = head[src..src + 16].try_into().unwrap_or([0; 16]);
            tail[..len].copy_from_slice(&chunk[..len]);
        } else {
            out.copy_within(src..src + len, pos);
        }
    } else if distance == 1 {
        let byte = out[src];
        out[pos..pos + len].fill(byte);
    } else {
        // The pattern doubles with every copy.
        let mut done = 0;
        while done < len {
            let n = (distance + done).min(len - done);
            out.copy_within(src..src + n, pos + done);
            done += n;
        }
    }
}

/// Decodes symbols until zlib's fast loop would stop. On entry the
/// reader holds at least [`MIN_INPUT`] bytes and `out[*put..]` at least
/// [`MIN_OUTPUT`]; `window` is the history before `out[0]`.
pub fn run(
    tables: &Tables,
    window: &Window,
    reader: &mut BitReader,
    out: &mut [u8],
    put: &mut usize,
) -> Exit {
    let input_end = reader.consumed() + reader.available();
    // zlib's loop: `last` and its own read position and bit count.
    let shadow_last = input_end.saturating_sub(MIN_INPUT - 1);
    let mut shadow_in = reader.consumed();
    let mut shadow_bits = reader.bits();
    let mut pos = *put;
    let history = window.have();
    let exit = loop {
        if shadow_bits < 15 {
            shadow_in += 2;
            shadow_bits += 16;
        }
        reader.refill();
        let (entry, used) = decode(reader, tables.lit, tables.lit_bits);
        shadow_bits = shadow_bits.wrapping_sub(used);
        let op = entry.op();
        if op == 0 {
            if let Some(slot) = out.get_mut(pos) {
                *slot = entry.val() as u8;
            }
            pos += 1;
        } else if op & OP_BASE != 0 {
            let extra = op & 15;
            let mut len = entry.val() as usize;
            if extra != 0 {
                if shadow_bits < extra {
                    shadow_in += 1;
                    shadow_bits += 8;
                }
                len += (reader.window() & ((1 << extra) - 1)) as usize;
                reader.consume(extra);
                shadow_bits -= extra;
            }
            if shadow_bits < 15 {
                shadow_in += 2;
                shadow_bits += 16;
            }
            let (entry, used) = decode(reader, tables.dist, tables.dist_bits);
            shadow_bits = shadow_bits.wrapping_sub(used);
            let op = entry.op();
            if op & OP_BASE == 0 {
                break Exit::Error(messages::INVALID_DISTANCE_CODE);
            }
            let extra = op & 15;
            if shadow_bits < extra {
                shadow_in += 1;
                shadow_bits += 8;
                if shadow_bits < extra {
                    shadow_in += 1;
                    shadow_bits += 8;
                }
            }
            let distance = entry.val() as usize + (reader.window() & ((1 << extra) - 1)) as usize;
            reader.consume(extra);
            shadow_bits = shadow_bits.wrapping_sub(extra);
            if distance > pos {
                // Part of the match lies in the history of earlier calls.
                let back = distance - pos;
                if back > history {
                    break Exit::Error(messages::INVALID_DISTANCE_TOO_FAR_BACK);
                }
                let n = back.min(len);
                if let Some(dst) = out.get_mut(pos..pos + n) {
                    window.copy_back(back, dst);
                }
                pos += n;
                len -= n;
            }
            copy_match(out, pos, distance, len);
            pos += len;
        } else if op & OP_END_OF_BLOCK != 0 {
            break Exit::EndOfBlock;
        } else {
            debug_assert!(op & OP_INVALID != 0);
            break Exit::Error(messages::INVALID_LITERAL_LENGTH_CODE);
        }
        if !(shadow_in < shadow_last && out.len().saturating_sub(pos) >= MIN_OUTPUT) {
            break Exit::Pending;
        }
    };
    *put = pos;
    reader.give_back();
    exit
}
