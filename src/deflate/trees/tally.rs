//! The current block's symbol buffer and frequencies lent to a hot loop as
//! plain locals ([`Tally`]), so that recording a symbol is a few stores
//! with nothing written back to the stream until the loop ends. It
//! records exactly what [`super::BlockWriter::tally_literal`] and
//! [`super::BlockWriter::tally_match`] would.

use super::static_tables::{distance_code_bits, HuffCode, LENGTH_CODE, LITERALS, MIN_MATCH};

/// The block's symbols from the first free slot, and its frequencies.
pub(crate) struct Tally<'a> {
    /// The symbol buffer up to zlib's `sym_end`.
    pub(super) symbols: &'a mut [u8],
    /// zlib's `sym_next`.
    pub(super) next: usize,
    pub(super) literals: &'a mut [HuffCode],
    pub(super) distances: &'a mut [HuffCode],
}

impl Tally<'_> {
    /// zlib's `sym_next`, to hand back.
    #[inline(always)]
    pub(crate) fn next(&self) -> usize {
        self.next
    }

    #[inline(always)]
    fn push(&mut self, symbol: [u8; 3]) {
        if let Some(dst) = self.symbols.get_mut(self.next..self.next + 3) {
            dst.copy_from_slice(&symbol);
        }
        self.next += 3;
    }

    #[inline(always)]
    fn count(freqs: &mut [HuffCode], n: usize) {
        if let Some(node) = freqs.get_mut(n) {
            node.code = node.code.wrapping_add(1);
        }
    }

    /// Records a literal; true when the block is full.
    #[inline(always)]
    pub(crate) fn literal(&mut self, byte: u8) -> bool {
        self.push([0, 0, byte]);
        Self::count(self.literals, usize::from(byte));
        self.next >= self.symbols.len()
    }

    /// Records a match of `length` (3..=258) at `distance` (1..=32768);
    /// true when the block is full.
    #[inline(always)]
    pub(crate) fn matched(&mut self, distance: usize, length: usize) -> bool {
        let dist = distance as u16;
        let lc = length.wrapping_sub(MIN_MATCH) as u8;
        let [lo, hi] = dist.to_le_bytes();
        self.push([lo, hi, lc]);
        let code = usize::from(LENGTH_CODE[usize::from(lc)]) + LITERALS + 1;
        Self::count(self.literals, code);
        Self::count(
            self.distances,
            distance_code_bits(u32::from(dist.wrapping_sub(1)) & 0x7fff).0,
        );
        self.next >= self.symbols.len()
    }
}
