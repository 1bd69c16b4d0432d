//! The block layer of deflate (zlib's trees.c): the symbol buffer, the
//! choice between stored, fixed and dynamic blocks, the tree headers and
//! the coded symbols, all written through the [`BitWriter`].
//!
//! [`BlockWriter`] is what the deflate state machine drives:
//! - [`BlockWriter::tally_literal`] / [`BlockWriter::tally_match`] record a
//!   symbol (zlib's `_tr_tally_lit` / `_tr_tally_dist`) and say when the
//!   block is full;
//! - [`BlockWriter::flush_block`] ends a block (`_tr_flush_block`), given the
//!   block's input bytes when they are still in the window;
//! - [`BlockWriter::stored_block`], [`BlockWriter::stored_block_header`],
//!   [`BlockWriter::align`], [`BlockWriter::flush_bits`] are
//!   `_tr_stored_block`, `deflate_stored`'s dummy header, `_tr_align` and
//!   `_tr_flush_bits`;
//! - [`BlockWriter::output`] gives the pending bytes and bits as zlib would
//!   report them, [`BlockWriter::prime`] is `deflatePrime`.
//!
//! Memory follows zlib 1.3 without LIT_MEM: one buffer of
//! `lit_bufsize * 4` bytes holds the pending output from its start and the
//! block's symbols (three bytes each: distance low, distance high, literal
//! or length - 3) from offset `lit_bufsize`. A block's symbols are only
//! tallied while no output is pending, and its coded form never overtakes
//! them (zlib's argument since CVE-2018-25032, which `sym_end` secures).

mod build;
mod coder;
mod match_codes;
pub(crate) mod static_tables;

use crate::memory::Grow;

use super::bit_writer::BitWriter;
use build::{BlockCost, Tree, TreeBuilder, TreeKind};
pub(crate) use coder::{Coder, OpenBlock};
use match_codes::MatchCodes;
use static_tables::{
    distance_code, HuffCode, BL_CODES, BL_ORDER, D_CODES, END_BLOCK, EXTRA_BLBITS, EXTRA_DBITS,
    EXTRA_LBITS, LENGTH_CODE, LITERALS, L_CODES, MAX_BITS, MAX_BL_BITS, MIN_MATCH, REPZ_11_138,
    REPZ_3_10, REP_3_6, STATIC_DTREE, STATIC_LTREE,
};

/// `strm->data_type` values (zlib's Z_BINARY, Z_TEXT, Z_UNKNOWN).
pub(crate) mod data_type {
    /// Z_BINARY.
    pub(crate) const BINARY: i32 = 0;
    /// Z_TEXT.
    pub(crate) const TEXT: i32 = 1;
    /// Z_UNKNOWN: not decided yet; the first non-stored flush decides.
    pub(crate) const UNKNOWN: i32 = 2;
}

/// zlib's Z_FIXED strategy value: never use dynamic trees.
pub(crate) const Z_FIXED: i32 = 4;

/// Block type codes (the two bits after BFINAL).
const STORED_BLOCK: u32 = 0;
const STATIC_TREES: u32 = 1;
const DYN_TREES: u32 = 2;

static LITERAL_KIND: TreeKind = TreeKind {
    static_tree: Some(&STATIC_LTREE),
    extra_bits: &EXTRA_LBITS,
    extra_base: LITERALS + 1,
    elems: L_CODES,
    max_length: MAX_BITS,
};

static DISTANCE_KIND: TreeKind = TreeKind {
    static_tree: Some(&STATIC_DTREE),
    extra_bits: &EXTRA_DBITS,
    extra_base: 0,
    elems: D_CODES,
    max_length: MAX_BITS,
};

static BIT_LENGTH_KIND: TreeKind = TreeKind {
    static_tree: None,
    extra_bits: &EXTRA_BLBITS,
    extra_base: 0,
    elems: BL_CODES,
    max_length: MAX_BL_BITS,
};

/// Literal/length tree: 288 code slots (like the fixed tree), room for the
/// internal nodes.
type LiteralTree = Tree<{ L_CODES + 2 }, { 2 * L_CODES + 1 }>;
type DistanceTree = Tree<D_CODES, { 2 * D_CODES + 1 }>;
type BitLengthTree = Tree<BL_CODES, { 2 * BL_CODES + 1 }>;

/// The Huffman/block half of a deflate stream (zlib's trees.c state).
#[derive(Clone, Debug)]
pub(crate) struct BlockWriter<B = Vec<u8>> {
    /// The pending output, and the symbol buffer above it.
    out: BitWriter<B>,
    literals: LiteralTree,
    distances: DistanceTree,
    bit_lengths: BitLengthTree,
    builder: TreeBuilder,
    /// zlib's `sym_next`: bytes of symbols in the current block, stored
    /// from offset `lit_bufsize` of the buffer.
    sym_next: usize,
    /// zlib's `sym_end`: the block is full when `sym_next` reaches it.
    symbols_end: usize,
    lit_bufsize: usize,
    cost: BlockCost,
    /// Build the trees (literal, distance, code lengths) with
    /// [`TreeBuilder::build_fast`] (the fast profile's routines ask for
    /// it) instead of zlib's heap; a reset goes back to zlib's.
    fast_trees: bool,
    /// The frequencies hold the last block coded in one pass
    /// ([`coder`]), for the next one's trees, not a block being tallied.
    prior: bool,
    /// zlib's `matches`. Tallying does not count matches (zlib's inline
    /// tally macros do not either); deflate_stored uses it to count pending
    /// hash slides. Like zlib, every block flush zeroes it.
    pub(crate) matches: u32,
}

/// zlib's `pending_buf_size` for `lit_bufsize` (zlib's `1 << (memLevel +
/// 6)`, kept within 2..=65536 so that frequencies fit 16 bits).
pub(crate) fn pending_buf_size(lit_bufsize: usize) -> usize {
    lit_bufsize.clamp(2, 1 << 16) * 4
}

impl<B: Grow<u8>> BlockWriter<B> {
    /// A writer on zlib's `pending_buf`, whose capacity is
    /// [`pending_buf_size`] of the stream's `lit_bufsize`.
    pub(crate) fn new(pending_buf: B) -> BlockWriter<B> {
        let lit_bufsize = pending_buf.capacity() / 4;
        let mut writer = BlockWriter {
            out: BitWriter::new(pending_buf),
            literals: Tree::new(),
            distances: Tree::new(),
            bit_lengths: Tree::new(),
            builder: TreeBuilder::new(),
            sym_next: 0,
            symbols_end: lit_bufsize.saturating_sub(1) * 3,
            lit_bufsize,
            cost: BlockCost::default(),
            fast_trees: false,
            prior: false,
            matches: 0,
        };
        writer.init_block();
        writer
    }

    /// A copy with its own buffer, made by `copy` from this one's.
    pub(crate) fn try_clone(&self, copy: impl FnOnce(&B) -> Option<B>) -> Option<Self> {
        Some(BlockWriter {
            out: self.out.try_clone(copy)?,
            ..*self
        })
    }

    /// zlib's `_tr_init` (with deflateResetKeep's emptying of pending):
    /// no bits, no pending bytes, a fresh block.
    pub(crate) fn reset(&mut self) {
        self.out.reset();
        self.fast_trees = false;
        self.prior = false;
        self.init_block();
    }

    /// Whether the next blocks' literal and distance trees are built the
    /// fast profile's way ([`TreeBuilder::build_fast`]: other, equally
    /// good codes, sooner); until the next reset or call.
    pub(crate) fn use_fast_trees(&mut self, fast: bool) {
        self.fast_trees = fast;
    }

    /// Drops the counts a block coded in one pass left for the next one:
    /// symbols are about to be tallied.
    pub(crate) fn forget_prior(&mut self) {
        if self.prior {
            self.prior = false;
            self.init_block();
        }
    }

    /// zlib's init_block: zero frequencies (end-of-block counts once),
    /// empty symbol buffer, zero costs and `matches`.
    fn init_block(&mut self) {
        self.literals.clear_freqs();
        self.distances.clear_freqs();
        self.bit_lengths.clear_freqs();
        self.literals.count(END_BLOCK, 1);
        self.cost = BlockCost::default();
        self.sym_next = 0;
        self.matches = 0;
    }

    /// The pending output: bytes, bits and buffer offsets as zlib has them.
    pub(crate) fn output(&mut self) -> &mut BitWriter<B> {
        &mut self.out
    }

    /// zlib's `sym_next != 0`: the current block has symbols.
    pub(crate) fn has_symbols(&self) -> bool {
        self.sym_next != 0
    }

    /// zlib's `sym_next / 3`: symbols in the current block.
    #[cfg(test)]
    pub(crate) fn symbol_count(&self) -> usize {
        self.sym_next / 3
    }

    /// Whether one more symbol leaves the block short of full.
    #[inline(always)]
    pub(crate) fn has_room_for_two(&self) -> bool {
        self.sym_next + 6 <= self.symbols_end
    }

    /// Records a literal byte. Returns true when the block is full and must
    /// be flushed (zlib's `sym_next == sym_end`).
    #[inline(always)]
    pub(crate) fn tally_literal(&mut self, byte: u8) -> bool {
        self.push_symbol([0, 0, byte]);
        self.literals.count(byte as usize, 1);
        self.sym_next == self.symbols_end
    }

    /// Records a match of `length` (3..=258) bytes at `distance` (1..=32768)
    /// back. Returns true when the block is full and must be flushed.
    #[inline(always)]
    pub(crate) fn tally_match(&mut self, distance: usize, length: usize) -> bool {
        let dist = distance as u16;
        let lc = length.wrapping_sub(MIN_MATCH) as u8;
        let [lo, hi] = dist.to_le_bytes();
        self.push_symbol([lo, hi, lc]);
        self.literals
            .count(LENGTH_CODE[lc as usize] as usize + LITERALS + 1, 1);
        self.distances
            .count(distance_code(usize::from(dist.wrapping_sub(1))), 1);
        self.sym_next == self.symbols_end
    }

    #[inline(always)]
    fn push_symbol(&mut self, symbol: [u8; 3]) {
        self.out.store(self.lit_bufsize + self.sym_next, symbol);
        self.sym_next += 3;
    }

    /// zlib's `_tr_flush_block`: ends the current block, choosing the
    /// cheapest of stored, fixed and dynamic, and starts a new one.
    ///
    /// `stored` is the block's input (zlib's `window + block_start`,
    /// `strstart - block_start` bytes), or `None` when part of it has left
    /// the window (zlib's `buf == NULL`: no stored block possible).
    /// `level` 0 forces a stored block; `strategy` [`Z_FIXED`] forbids
    /// dynamic trees. `data_type` is `strm->data_type`: decided here on the
    /// first compressed block if still [`data_type::UNKNOWN`]. `last` sets
    /// BFINAL and aligns the output to a byte.
    pub(crate) fn flush_block(
        &mut self,
        stored: Option<&[u8]>,
        last: bool,
        level: i32,
        strategy: i32,
        data_type: &mut i32,
    ) {
        self.forget_prior();
        let stored_len = stored.map_or(0, |s| s.len() as u64);
        let mut max_blindex = 0;
        let (opt_lenb, static_lenb);
        if level > 0 {
            if *data_type == data_type::UNKNOWN {
                *data_type = self.detect_data_type();
            }
            if self.fast_trees {
                self.builder
                    .build_fast(&mut self.literals, &LITERAL_KIND, &mut self.cost);
                self.builder
                    .build_fast(&mut self.distances, &DISTANCE_KIND, &mut self.cost);
            } else {
                self.builder
                    .build(&mut self.literals, &LITERAL_KIND, &mut self.cost);
                self.builder
                    .build(&mut self.distances, &DISTANCE_KIND, &mut self.cost);
            }
            max_blindex = self.build_bl_tree();
            // Block sizes in bytes, with the 3 header bits.
            let optimal = self.cost.optimal.wrapping_add(3 + 7) >> 3;
            static_lenb = self.cost.fixed.wrapping_add(3 + 7) >> 3;
            opt_lenb = if static_lenb <= optimal || strategy == Z_FIXED {
                static_lenb
            } else {
                optimal
            };
        } else {
            opt_lenb = stored_len + 5;
            static_lenb = opt_lenb;
        }

        match stored {
            // 4: the LEN and NLEN words.
            Some(bytes) if stored_len + 4 <= opt_lenb => self.stored_block(bytes, last),
            _ if static_lenb == opt_lenb => {
                self.out.send_bits((STATIC_TREES << 1) + last as u32, 3);
                let symbols = self.lit_bufsize..self.lit_bufsize + self.sym_next;
                compress_block(&mut self.out, symbols, &STATIC_LTREE, &STATIC_DTREE);
            }
            _ => {
                self.out.send_bits((DYN_TREES << 1) + last as u32, 3);
                self.send_all_trees(
                    self.literals.max_code + 1,
                    self.distances.max_code + 1,
                    max_blindex + 1,
                );
                // The tables always have these sizes; the fixed ones stand
                // in only to keep this free of panics.
                compress_block(
                    &mut self.out,
                    self.lit_bufsize..self.lit_bufsize + self.sym_next,
                    self.literals.code_table().unwrap_or(&STATIC_LTREE),
                    self.distances.code_table().unwrap_or(&STATIC_DTREE),
                );
            }
        }
        self.init_block();
        if last {
            self.out.align();
        }
    }

    /// zlib's `_tr_stored_block`: a stored block holding `bytes` (at most
    /// 65535; LEN is their count modulo 2^16, as in zlib).
    pub(crate) fn stored_block(&mut self, bytes: &[u8], last: bool) {
        self.stored_block_header(bytes.len() as u16, last);
        self.out.put_bytes(bytes);
    }

    /// A stored block header announcing `len` bytes that the caller copies
    /// itself (deflate_stored's dummy `_tr_stored_block` with patched LEN and
    /// NLEN): block type, padding to a byte, LEN, NLEN.
    pub(crate) fn stored_block_header(&mut self, len: u16, last: bool) {
        self.out.send_bits((STORED_BLOCK << 1) + last as u32, 3);
        self.out.align();
        let [l0, l1] = len.to_le_bytes();
        let [n0, n1] = (!len).to_le_bytes();
        self.out.put_bytes(&[l0, l1, n0, n1]);
    }

    /// zlib's `_tr_align`: an empty fixed block (10 bits), then whole bytes
    /// out (Z_PARTIAL_FLUSH).
    pub(crate) fn align(&mut self) {
        self.out.send_bits(STATIC_TREES << 1, 3);
        let eob = STATIC_LTREE[END_BLOCK];
        self.out.send_bits(u32::from(eob.code), u32::from(eob.len));
        self.out.flush();
    }

    /// zlib's `_tr_flush_bits`: whole bytes to the pending buffer, at most 7
    /// bits kept.
    pub(crate) fn flush_bits(&mut self) {
        self.out.flush();
    }

    /// zlib's deflatePrime (after its state check): `Err(())` where zlib
    /// returns Z_BUF_ERROR, that is `bits` outside 0..=16 or too little room
    /// before the symbol buffer (zlib's `sym_buf < pending_out + 2`, with
    /// `sym_buf` at `lit_bufsize` in zlib's shared buffer), and also where
    /// the bits would not fit in the buffer beside what is pending.
    #[allow(clippy::result_unit_err)]
    pub(crate) fn prime(&mut self, bits: i32, value: i32) -> Result<(), ()> {
        if !(0..=16).contains(&bits) || self.lit_bufsize < self.out.pending_offset() + 2 {
            return Err(());
        }
        // zlib's check looks only at pending_out, so calls without deflate
        // in between run the pending bytes into the block's symbols and
        // then past the buffer, where zlib writes and we refuse instead.
        let room = if self.has_symbols() {
            self.lit_bufsize
        } else {
            self.out.capacity()
        };
        self.out.normalize();
        let whole_bytes = (self.out.pending_bits() + bits as u32) as usize / 8;
        if self.out.pending_len() + whole_bytes > room {
            return Err(());
        }
        self.out.prime(bits as u32, value);
        Ok(())
    }

    /// zlib's detect_data_type: binary if any block-listed control byte
    /// (0..6, 14..25, 28..31) occurs, else text if any allow-listed byte (9,
    /// 10, 13, 32..255) occurs, else binary.
    fn detect_data_type(&self) -> i32 {
        const BLOCK_MASK: u32 = 0xf3ff_c07f;
        let freq = |n| self.literals.freq(n);
        if (0..32).any(|n| BLOCK_MASK >> n & 1 != 0 && freq(n) != 0) {
            return data_type::BINARY;
        }
        if freq(9) != 0 || freq(10) != 0 || freq(13) != 0 {
            return data_type::TEXT;
        }
        if (32..LITERALS).any(|n| freq(n) != 0) {
            return data_type::TEXT;
        }
        data_type::BINARY
    }

    /// zlib's build_bl_tree: the code-length tree for the two trees, and
    /// the index in [`BL_ORDER`] of the last length to send (never below 3:
    /// at least four are sent).
    fn build_bl_tree(&mut self) -> usize {
        let bl = &mut self.bit_lengths;
        scan_tree(bl, self.literals.codes(), self.literals.max_code);
        scan_tree(bl, self.distances.codes(), self.distances.max_code);
        if self.fast_trees {
            self.builder
                .build_fast(&mut self.bit_lengths, &BIT_LENGTH_KIND, &mut self.cost);
        } else {
            self.builder
                .build(&mut self.bit_lengths, &BIT_LENGTH_KIND, &mut self.cost);
        }
        // zlib's loop stops at 3, or leaves 2 when nothing above is used.
        let max_blindex = (3..BL_CODES)
            .rev()
            .find(|&i| self.bit_lengths.len(BL_ORDER[i] as usize) != 0)
            .unwrap_or(2);
        // Counts (5 + 5 + 4 bits) and 3 bits per code-length length.
        self.cost.optimal = self
            .cost
            .optimal
            .wrapping_add(3 * (max_blindex as u64 + 1) + 5 + 5 + 4);
        max_blindex
    }

    /// zlib's send_all_trees: the dynamic block header after its 3 bits.
    fn send_all_trees(&mut self, lcodes: usize, dcodes: usize, blcodes: usize) {
        self.out.send_bits(lcodes.wrapping_sub(257) as u32 & 31, 5);
        self.out.send_bits(dcodes.wrapping_sub(1) as u32 & 31, 5);
        self.out.send_bits(blcodes.wrapping_sub(4) as u32 & 15, 4);
        for &sym in BL_ORDER.iter().take(blcodes) {
            let len = self.bit_lengths.len(sym as usize);
            self.out.send_bits(u32::from(len) & 7, 3);
        }
        let bl = self.bit_lengths.codes();
        send_tree(
            &mut self.out,
            bl,
            self.literals.codes(),
            lcodes.wrapping_sub(1),
        );
        send_tree(
            &mut self.out,
            bl,
            self.distances.codes(),
            dcodes.wrapping_sub(1),
        );
    }
}

/// Marks the end of the lengths in scan_tree/send_tree (zlib's guard).
const GUARD: u16 = 0xffff;

/// The run-length rules shared by scan_tree and send_tree: how the lengths
/// `lens[0..=max_code]` split into runs, each coded as single lengths
/// (`count` times `len`) or one repeat code.
#[derive(Clone, Copy)]
enum Run {
    /// `count` copies of `len`, each sent as itself.
    Singles { len: u16, count: u16 },
    /// `len` sent once if it differs from the previous run's length, then
    /// REP_3_6 for `count` (3..=6) more.
    Repeat { len: u16, once: bool, count: u16 },
    /// REPZ_3_10 for `count` (3..=10) zeros.
    ShortZeros { count: u16 },
    /// REPZ_11_138 for `count` (11..=138) zeros.
    LongZeros { count: u16 },
}

/// Walks the code lengths of a tree the way zlib's scan_tree and send_tree
/// do, calling `emit` for each run.
fn for_each_run(codes: &[HuffCode], max_code: usize, mut emit: impl FnMut(Run)) {
    let length = |n: usize| {
        if n <= max_code {
            codes.get(n).map_or(GUARD, |c| c.len)
        } else {
            GUARD
        }
    };
    let mut prevlen: Option<u16> = None;
    let mut nextlen = length(0);
    let mut count: u16 = 0;
    let (mut max_count, mut min_count) = if nextlen == 0 { (138, 3) } else { (7, 4) };
    for n in 0..=max_code {
        let curlen = nextlen;
        nextlen = length(n + 1);
        count += 1;
        if count < max_count && curlen == nextlen {
            continue;
        }
        let run = if count < min_count {
            Run::Singles { len: curlen, count }
        } else if curlen != 0 {
            let once = prevlen != Some(curlen);
            Run::Repeat {
                len: curlen,
                once,
                count: count - once as u16,
            }
        } else if count <= 10 {
            Run::ShortZeros { count }
        } else {
            Run::LongZeros { count }
        };
        emit(run);
        count = 0;
        prevlen = Some(curlen);
        (max_count, min_count) = if nextlen == 0 {
            (138, 3)
        } else if curlen == nextlen {
            (6, 3)
        } else {
            (7, 4)
        };
    }
}

/// zlib's scan_tree: counts the code-length symbols a tree will need.
fn scan_tree(bl: &mut BitLengthTree, codes: &[HuffCode], max_code: usize) {
    let mut bump = |sym: usize, by: u16| bl.count(sym, by);
    for_each_run(codes, max_code, |run| match run {
        Run::Singles { len, count } => bump(len as usize, count),
        Run::Repeat { len, once, .. } => {
            if once {
                bump(len as usize, 1);
            }
            bump(REP_3_6, 1);
        }
        Run::ShortZeros { .. } => bump(REPZ_3_10, 1),
        Run::LongZeros { .. } => bump(REPZ_11_138, 1),
    });
}

/// zlib's send_tree: sends a tree's code lengths with the code-length codes
/// (a repeat code and its extra bits in one send).
fn send_tree<B: Grow<u8>>(
    out: &mut BitWriter<B>,
    bl: &[HuffCode],
    codes: &[HuffCode],
    max_code: usize,
) {
    for_each_run(codes, max_code, |run| {
        let mut send = |sym: usize, extra: u16, xbits: u32| {
            let c = bl.get(sym).copied().unwrap_or_default();
            let extra = u32::from(extra) & ((1 << xbits) - 1);
            out.send_bits(u32::from(c.code) | extra << c.len, u32::from(c.len) + xbits);
        };
        match run {
            Run::Singles { len, count } => {
                for _ in 0..count {
                    send(len as usize, 0, 0);
                }
            }
            Run::Repeat { len, once, count } => {
                if once {
                    send(len as usize, 0, 0);
                }
                send(REP_3_6, count.wrapping_sub(3), 2);
            }
            Run::ShortZeros { count } => send(REPZ_3_10, count.wrapping_sub(3), 3),
            Run::LongZeros { count } => send(REPZ_11_138, count.wrapping_sub(11), 7),
        }
    });
}

/// zlib's compress_block: the block's symbols with the given trees, then
/// end-of-block. Length and distance codes go out with their extra bits in
/// one send each, from tables made for the block ([`MatchCodes`]).
/// `symbols` is where they lie in the writer's buffer.
fn compress_block<B: Grow<u8>>(
    out: &mut BitWriter<B>,
    symbols: core::ops::Range<usize>,
    ltree: &[HuffCode; L_CODES + 2],
    dtree: &[HuffCode; D_CODES],
) {
    let matches = MatchCodes::new(ltree, dtree);
    // Literals and matches alternate unpredictably, so both codes are
    // worked out for every symbol and one is chosen without a branch.
    out.send_symbols(symbols, |[lo, hi, lc]| {
        let dist = u32::from(u16::from_le_bytes([lo, hi]));
        let c = ltree[usize::from(lc)];
        // Length and distance with their extra bits: at most 48 bits.
        let length = matches.length(lc);
        let distance = matches.distance(dist.wrapping_sub(1) & 0x7fff);
        let value = u64::from(length.bits) | u64::from(distance.bits) << length.len;
        let is_match = u64::from(dist != 0).wrapping_neg();
        let value = value & is_match | u64::from(c.code) & !is_match;
        let n = (length.len + distance.len) & is_match as u32 | u32::from(c.len) & !is_match as u32;
        (value, n)
    });
    let eob = ltree[END_BLOCK];
    out.send_bits(u32::from(eob.code), u32::from(eob.len));
}

#[cfg(test)]
mod tests;
