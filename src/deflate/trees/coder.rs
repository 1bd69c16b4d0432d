//! Blocks coded in one pass (the fast profile's level 1): each symbol goes
//! out as it is found, where the other levels tally a block's symbols and
//! code them when it ends. The codes are chosen when the block opens, from
//! what the previous block held: its counts, each symbol counted once
//! more so that every symbol has a code, make the trees, unless the fixed
//! codes would cost less on them or there is no previous block. A block
//! that comes out larger than stored is taken back and stored instead, so
//! deflateBound holds as for zlib's blocks.

use super::match_codes::MatchCodes;
use super::static_tables::{
    distance_code_bits, HuffCode, D_CODES, END_BLOCK, LENGTH_CODE, LITERALS, L_CODES, MIN_MATCH,
    STATIC_DTREE, STATIC_LTREE,
};
use super::{
    data_type, BlockCost, BlockWriter, DISTANCE_KIND, DYN_TREES, LITERAL_KIND, STATIC_TREES,
};
use crate::deflate::bit_writer::{Bits, Mark};
use crate::memory::Grow;

/// Room left past a symbol's bytes: the eight a put stores, the six a
/// symbol writes at most, the end-of-block code's two.
const MARGIN: usize = 16;

/// Counts are halved once one passes this ([`BlockWriter::keep_counts_small`],
/// called at least every 17K symbols): they, and the one added to each for
/// the next block, stay within the trees' 16-bit frequencies.
const MAX_COUNT: u16 = 1 << 15;

/// A dynamic block's header takes at most about 300 bytes; with less room
/// than this for the block the fixed codes are used.
const DYNAMIC_ROOM: usize = 16 << 10;

/// The codes of an open block.
pub(crate) struct BlockCodes {
    /// No counts came before it (a stream's first block, or the first
    /// after other levels' blocks): the fixed codes.
    first: bool,
    literals: [HuffCode; LITERALS],
    matches: MatchCodes,
    end_of_block: HuffCode,
}

/// A block opened by [`BlockWriter::open_coded`]: its codes and where it
/// starts in the output.
pub(crate) struct OpenBlock {
    codes: BlockCodes,
    start: Mark,
}

impl OpenBlock {
    /// Whether no counts came before the block (see [`BlockCodes`]).
    pub(crate) fn is_first(&self) -> bool {
        self.codes.first
    }
}

/// The open block's writer, lent to the level's search loop: codes and
/// counts each symbol.
pub(crate) struct Coder<'a, 'b> {
    bits: Bits<'b>,
    codes: &'a BlockCodes,
    /// The literal/length counts (masked indexes: no checks).
    literals: &'a mut [HuffCode; 512],
    distances: &'a mut [HuffCode; 32],
    /// The block is full once the output reaches this.
    limit: usize,
}

impl Coder<'_, '_> {
    /// Codes a literal; true when the block is full.
    #[inline(always)]
    pub(crate) fn literal(&mut self, byte: u8) -> bool {
        let c = self.codes.literals[usize::from(byte)];
        self.bits.put(u64::from(c.code), u32::from(c.len));
        let node = &mut self.literals[usize::from(byte)];
        node.code = node.code.wrapping_add(1);
        self.is_full()
    }

    /// Codes a match of `length` (3..=258) at `distance` (1..=32768); true
    /// when the block is full.
    #[inline(always)]
    pub(crate) fn matched(&mut self, distance: usize, length: usize) -> bool {
        let lc = length.wrapping_sub(MIN_MATCH) as u8;
        let dist = (distance as u32).wrapping_sub(1) & 0x7fff;
        let l = self.codes.matches.length(lc);
        let d = self.codes.matches.distance(dist);
        self.bits.put(
            u64::from(l.bits) | u64::from(d.bits) << l.len,
            l.len + d.len,
        );
        let code = usize::from(LENGTH_CODE[usize::from(lc)]) + LITERALS + 1;
        let node = &mut self.literals[code & 511];
        node.code = node.code.wrapping_add(1);
        let node = &mut self.distances[distance_code_bits(dist).0 & 31];
        node.code = node.code.wrapping_add(1);
        self.is_full()
    }

    #[inline(always)]
    fn is_full(&self) -> bool {
        self.bits.len >= self.limit
    }
}

impl<B: Grow<u8>> BlockWriter<B> {
    /// Opens a block coded in one pass ([`Coder`]): writes its header
    /// (BFINAL clear: [`Self::close_coded`] sets it). `fixed` asks for the
    /// fixed codes (Z_FIXED, or a block too short to pay for trees).
    #[inline(never)]
    pub(crate) fn open_coded(&mut self, fixed: bool) -> OpenBlock {
        self.out.flush();
        let start = self.out.mark();
        let room = self.out.capacity().saturating_sub(self.out.pending_len());
        let codes = if !fixed && self.prior && room >= DYNAMIC_ROOM {
            self.dynamic_codes()
        } else {
            None
        };
        let mut codes = codes.unwrap_or_else(|| {
            self.out.send_bits(STATIC_TREES << 1, 3);
            block_codes(&STATIC_LTREE, &STATIC_DTREE)
        });
        codes.first = !self.prior;
        self.init_block();
        self.prior = false;
        OpenBlock { codes, start }
    }

    /// Whether the counts of a block coded in one pass are there for the
    /// next block's trees.
    pub(crate) fn has_prior(&self) -> bool {
        self.prior
    }

    /// Halves the open block's counts (none of them to zero) when one has
    /// grown past MAX_COUNT: the next block's trees want the proportions.
    pub(crate) fn keep_counts_small(&mut self) {
        let literals = &mut self.literals.freqs_mut()[..L_CODES];
        let distances = &mut self.distances.freqs_mut()[..D_CODES];
        if literals
            .iter()
            .chain(&*distances)
            .any(|f| f.code > MAX_COUNT)
        {
            for f in literals.iter_mut().chain(distances) {
                f.code = f.code.div_ceil(2);
            }
        }
    }

    /// The trees of the previous block's counts, each symbol counted once
    /// more, with the dynamic header sent; `None` (nothing sent) when the
    /// fixed codes would cost less.
    fn dynamic_codes(&mut self) -> Option<BlockCodes> {
        for n in 0..L_CODES {
            self.literals.count(n, 1);
        }
        for n in 0..D_CODES {
            self.distances.count(n, 1);
        }
        self.cost = BlockCost::default();
        self.builder
            .build_fast(&mut self.literals, &LITERAL_KIND, &mut self.cost);
        self.builder
            .build_fast(&mut self.distances, &DISTANCE_KIND, &mut self.cost);
        let max_blindex = self.build_bl_tree();
        if self.cost.fixed <= self.cost.optimal {
            return None;
        }
        let (Some(ltree), Some(dtree)) = (
            self.literals.code_table::<{ L_CODES + 2 }>(),
            self.distances.code_table::<D_CODES>(),
        ) else {
            return None;
        };
        let codes = block_codes(ltree, dtree);
        self.out.send_bits(DYN_TREES << 1, 3);
        self.send_all_trees(
            self.literals.max_code + 1,
            self.distances.max_code + 1,
            max_blindex + 1,
        );
        Some(codes)
    }

    /// Runs `code` with the open block's [`Coder`], by value so that its
    /// state stays in registers; `code` hands it back. The block is full
    /// when its output would pass `end` (an offset in the pending buffer).
    #[inline(always)]
    pub(crate) fn with_coder<R: Default>(
        &mut self,
        open: &OpenBlock,
        end: usize,
        code: impl for<'c, 'd> FnOnce(Coder<'c, 'd>) -> (Coder<'c, 'd>, R),
    ) -> R {
        let literals = self.literals.freqs_mut().first_chunk_mut::<512>();
        let distances = self.distances.freqs_mut().first_chunk_mut::<32>();
        let (Some(literals), Some(distances)) = (literals, distances) else {
            return R::default();
        };
        let codes = &open.codes;
        self.out.with_bits(end, |bits| {
            let limit = bits.end().saturating_sub(MARGIN);
            let coder = Coder {
                bits,
                codes,
                literals,
                distances,
                limit,
            };
            let (coder, result) = code(coder);
            (coder.bits, result)
        })
    }

    /// Bits the open block has taken so far, its header included.
    pub(crate) fn coded_bits(&self, open: &OpenBlock) -> u64 {
        self.out.mark().position() - open.start.position()
    }

    /// Ends the open block: end-of-block, then BFINAL if `last`; or, when
    /// its input is at hand (`stored`) and a stored block would be no
    /// larger, the stored block instead. Decides `data_type` as zlib's
    /// first block flush does. The block's counts stay, for the next
    /// block's trees.
    #[inline(never)]
    pub(crate) fn close_coded(
        &mut self,
        open: OpenBlock,
        stored: Option<&[u8]>,
        last: bool,
        data_type: &mut i32,
    ) {
        if *data_type == data_type::UNKNOWN {
            *data_type = self.detect_data_type();
        }
        let eob = open.codes.end_of_block;
        self.out.send_bits(u32::from(eob.code), u32::from(eob.len));
        let start = open.start.position();
        let coded = self.coded_bits(&open);
        // Three header bits, padding to a byte, LEN and NLEN.
        let stored_cost = |len: usize| 3 + (8 - (start + 3) % 8) % 8 + 32 + 8 * len as u64;
        match stored {
            Some(bytes) if stored_cost(bytes.len()) <= coded => {
                self.out.rewind(open.start);
                self.stored_block(bytes, last);
            }
            _ if last => self.out.set_bit(open.start),
            _ => {}
        }
        self.prior = true;
        if last {
            self.out.align();
        }
    }
}

/// The codes a block sends under the trees `ltree` and `dtree`.
fn block_codes(ltree: &[HuffCode; L_CODES + 2], dtree: &[HuffCode; D_CODES]) -> BlockCodes {
    let mut literals = [HuffCode::default(); LITERALS];
    literals.copy_from_slice(&ltree[..LITERALS]);
    BlockCodes {
        first: false,
        literals,
        matches: MatchCodes::new(ltree, dtree),
        end_of_block: ltree[END_BLOCK],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts past MAX_COUNT are halved, none to zero, and smaller ones
    /// are left alone.
    #[test]
    fn counts_stay_small() {
        let mut writer = BlockWriter::new(Vec::with_capacity(1 << 16));
        writer.literals.count(7, 3);
        writer.literals.count(285, MAX_COUNT);
        writer.distances.count(0, 1);
        writer.keep_counts_small();
        assert_eq!(writer.literals.freq(285), MAX_COUNT);
        assert_eq!(writer.literals.freq(7), 3);
        writer.literals.count(285, 1);
        writer.keep_counts_small();
        assert_eq!(writer.literals.freq(285), MAX_COUNT / 2 + 1);
        assert_eq!(writer.literals.freq(7), 2);
        assert_eq!(writer.distances.freq(0), 1);
        assert_eq!(writer.literals.freq(8), 0);
    }
}
