//! Decoding-table entries: what one table lookup yields (zlib's `code`).
//!
//! Literal/length tables hold 16-bit [`LitEntry`]s, half of zlib's 4-byte
//! `code`, so that an 11-bit root (which resolves nearly every literal code
//! of binary data in one lookup) takes less memory than zlib's 9-bit one.
//! A length's base value fits in the entry, so no second lookup is needed.
//! Distance bases take 15 bits, so distance tables hold 32-bit
//! [`DistEntry`]s. Both answer the decoders through [`Entry`].
//!
//! A link points to a sub-table that the bits after the root index; its
//! own code bits are the table's root width, which the decoder knows.

use core::fmt::Debug;

/// A table entry: a literal (or code-length symbol), a length or distance
/// base, the end of the block, an invalid code, or a link to a sub-table.
pub trait Entry: Copy + Debug + PartialEq + 'static {
    /// Literal or code-length symbol `value` (at most 255), `bits` long.
    fn literal(value: u32, bits: u32) -> Self;
    /// A length or distance `base` followed by `extra` bits.
    fn base(base: u32, extra: u32, bits: u32) -> Self;
    /// The end-of-block code.
    fn end_of_block(bits: u32) -> Self;
    /// An unused or invalid code.
    fn invalid(bits: u32) -> Self;
    /// A link to a sub-table of `width` index bits at `offset`, or `None`
    /// when this format cannot hold them.
    fn link(offset: usize, width: u32) -> Option<Self>;

    /// Code length at this level (not meaningful for a link).
    fn bits(self) -> u32;
    /// Input bits the entry's symbol takes: its code length, plus the
    /// extra bits for a length or distance base (not meaningful for a
    /// link). The fast loops drop them in one shift.
    fn used(self) -> u32;
    /// For a literal or a length or distance base: a shift count whose
    /// low six bits (all that a 64-bit shift uses) are [`Entry::used`], so
    /// that the fast loops' shift needs no mask first.
    fn shift(self) -> u32;
    /// A literal or code-length symbol.
    fn is_literal(self) -> bool;
    /// The literal or code-length symbol.
    fn value(self) -> u32;
    /// A length or distance base.
    fn is_base(self) -> bool;
    /// The extra bits after a length or distance code.
    fn extra(self) -> u32;
    /// The length or distance base value.
    fn base_value(self) -> u32;
    /// The end-of-block code.
    fn is_end_of_block(self) -> bool;
    /// A link to a sub-table.
    fn is_link(self) -> bool;
    /// A link's sub-table index width.
    fn link_width(self) -> u32;
    /// A link's sub-table offset in the table.
    fn link_offset(self) -> usize;

    /// Input bits this entry's level of the table takes: its code length,
    /// or for a link the table's root width.
    #[inline(always)]
    fn level_bits(self, root_bits: u32) -> u32 {
        if self.is_link() {
            root_bits
        } else {
            self.bits()
        }
    }
}

/// A literal/length (or code-length) table entry, 16 bits, with the code
/// length in the low nibble:
/// - `vvvvvvvv 0000 bbbb`: literal or symbol `v`, `b` bits;
/// - `vvvvvvvv 100u uuuu`: length `v + 3`, whose code and extra bits take
///   `u` bits in all; how many of them are extra bits follows from `v`
///   ([`length_extra`]), so the low six bits are the whole shift, as for a
///   literal;
/// - `hhhhhhhh 01ww llll`: link to a sub-table of `w + 1` index bits (an
///   11-bit root leaves at most 4 for 15-bit codes) at offset
///   `hhhhhhhhllll`, which is past the 2048-entry root, so the entry's top
///   bit is set;
/// - `00000000 0100 bbbb`: end of block; `00000001 0100 bbbb`: invalid.
///
/// A literal is told by bits 6 and 7 alone, so its bits 4 and 5, which are
/// zero, stay part of a shift count without masking: the decoder shifts by
/// the whole entry ([`LitEntry::literal_shift`]), for a length too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LitEntry(pub u16);

const LIT_KIND: u16 = 0xc0;
const LIT_LENGTH: u16 = 0x80;
const LIT_OTHER: u16 = 0x40;
const LIT_LINK: u16 = 0x8000 | LIT_OTHER;
const LIT_END_OF_BLOCK: u16 = LIT_OTHER;
const LIT_INVALID: u16 = 0x100 | LIT_OTHER;
/// The smallest offset a link can hold: past an 11-bit root.
const MIN_LINK_OFFSET: usize = 1 << 11;
/// The smallest length, which a length entry's value is relative to.
const MIN_LENGTH: u32 = 3;

/// The extra bits after the length whose base is `v + 3`: none below 11
/// and for 258, else one more for each doubling from 11 on. A table, so
/// that the fast loops take it with one load and no branch.
#[inline(always)]
fn length_extra(v: u32) -> u32 {
    static EXTRA: [u8; 256] = {
        let mut extra = [0u8; 256];
        let mut v = 8;
        while v < 255 {
            extra[v] = (v.ilog2() - 2) as u8;
            v += 1;
        }
        extra
    };
    u32::from(EXTRA[v as usize & 255])
}

impl LitEntry {
    /// For a literal or a length: a shift count whose low six bits (all
    /// that a 64-bit shift uses) are the bits the symbol takes.
    #[inline(always)]
    pub fn literal_shift(self) -> u32 {
        u32::from(self.0)
    }

    fn new(high: u32, low: u16, bits: u32) -> Self {
        LitEntry(((high as u16 & 0xff) << 8) | low | (bits as u16 & 15))
    }

    /// The symbol of a code-length code's entry: 0 to 18, or 0 for the
    /// entries of a code-length code with no codes at all, which zlib
    /// reads as a zero length taking one bit (so such a block fails for
    /// its missing end-of-block code, not for its lengths).
    #[inline(always)]
    pub fn code_length_symbol(self) -> u32 {
        if self.is_literal() {
            self.value()
        } else {
            0
        }
    }
}

impl Entry for LitEntry {
    fn literal(value: u32, bits: u32) -> Self {
        LitEntry::new(value, 0, bits)
    }

    fn base(base: u32, extra: u32, bits: u32) -> Self {
        let v = base.wrapping_sub(MIN_LENGTH);
        debug_assert!(v <= 255 && length_extra(v) == extra && bits <= 15);
        LitEntry(((v as u16 & 0xff) << 8) | LIT_LENGTH | ((bits + extra) as u16 & 31))
    }

    fn end_of_block(bits: u32) -> Self {
        LitEntry(LIT_END_OF_BLOCK | (bits as u16 & 15))
    }

    fn invalid(bits: u32) -> Self {
        LitEntry(LIT_INVALID | (bits as u16 & 15))
    }

    fn link(offset: usize, width: u32) -> Option<Self> {
        if !(MIN_LINK_OFFSET..=0x0fff).contains(&offset) || !(1..=4).contains(&width) {
            return None;
        }
        let low = LIT_OTHER | ((width as u16 - 1) << 4);
        Some(LitEntry::new((offset >> 4) as u32, low, offset as u32))
    }

    #[inline(always)]
    fn bits(self) -> u32 {
        if self.is_base() {
            self.used() - self.extra()
        } else {
            u32::from(self.0 & 15)
        }
    }

    #[inline(always)]
    fn used(self) -> u32 {
        // Bit 4 is zero but in a length.
        u32::from(self.0 & 31)
    }

    #[inline(always)]
    fn shift(self) -> u32 {
        // Bit 5 is zero in a literal and a length.
        self.literal_shift()
    }

    #[inline(always)]
    fn is_literal(self) -> bool {
        self.0 & LIT_KIND == 0
    }

    #[inline(always)]
    fn value(self) -> u32 {
        u32::from(self.0 >> 8)
    }

    #[inline(always)]
    fn is_base(self) -> bool {
        self.0 & LIT_LENGTH != 0
    }

    #[inline(always)]
    fn extra(self) -> u32 {
        length_extra(self.value())
    }

    #[inline(always)]
    fn base_value(self) -> u32 {
        self.value() + MIN_LENGTH
    }

    #[inline(always)]
    fn is_end_of_block(self) -> bool {
        self.0 & 0xfff0 == LIT_END_OF_BLOCK
    }

    #[inline(always)]
    fn is_link(self) -> bool {
        self.0 & (LIT_LINK | LIT_LENGTH) == LIT_LINK
    }

    #[inline(always)]
    fn link_width(self) -> u32 {
        u32::from((self.0 >> 4) & 3) + 1
    }

    #[inline(always)]
    fn link_offset(self) -> usize {
        usize::from(((self.0 >> 8) << 4) | (self.0 & 15))
    }
}

/// A distance table entry, 32 bits: the code length in bits 0..8 (for a
/// distance base, the code length plus its extra bits), a tag in bits
/// 8..16 and a value in bits 16..32. Tags: `0x10 | e`, a distance base
/// followed by `e` extra bits; `0x80 | w`, a link to a sub-table of
/// `w` index bits at offset value; `0x40`, invalid; `0x20`, end of block;
/// 0, a literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DistEntry(pub u32);

const DIST_BASE: u32 = 0x10;
const DIST_END_OF_BLOCK: u32 = 0x20;
const DIST_INVALID: u32 = 0x40;
const DIST_LINK: u32 = 0x80;

impl DistEntry {
    #[inline(always)]
    fn tag(self) -> u32 {
        (self.0 >> 8) & 0xff
    }

    fn new(tag: u32, bits: u32, value: u32) -> Self {
        DistEntry((value << 16) | (tag << 8) | (bits & 0xff))
    }
}

impl Entry for DistEntry {
    fn literal(value: u32, bits: u32) -> Self {
        DistEntry::new(0, bits, value)
    }

    fn base(base: u32, extra: u32, bits: u32) -> Self {
        DistEntry::new(DIST_BASE | (extra & 15), bits + extra, base)
    }

    fn end_of_block(bits: u32) -> Self {
        DistEntry::new(DIST_END_OF_BLOCK, bits, 0)
    }

    fn invalid(bits: u32) -> Self {
        DistEntry::new(DIST_INVALID, bits, 0)
    }

    fn link(offset: usize, width: u32) -> Option<Self> {
        if offset > 0xffff || !(1..=15).contains(&width) {
            return None;
        }
        Some(DistEntry::new(DIST_LINK | width, 0, offset as u32))
    }

    #[inline(always)]
    fn bits(self) -> u32 {
        if self.is_base() {
            self.used() - self.extra()
        } else {
            self.used()
        }
    }

    #[inline(always)]
    fn used(self) -> u32 {
        self.0 & 0xff
    }

    #[inline(always)]
    fn shift(self) -> u32 {
        // At most 28 bits: bits 6 and 7 are zero.
        self.0
    }

    #[inline(always)]
    fn is_literal(self) -> bool {
        self.tag() == 0
    }

    #[inline(always)]
    fn value(self) -> u32 {
        self.0 >> 16
    }

    #[inline(always)]
    fn is_base(self) -> bool {
        // A link's width is below 16, so its tag never has this bit.
        self.tag() & DIST_BASE != 0
    }

    #[inline(always)]
    fn extra(self) -> u32 {
        self.tag() & 15
    }

    #[inline(always)]
    fn base_value(self) -> u32 {
        self.0 >> 16
    }

    #[inline(always)]
    fn is_end_of_block(self) -> bool {
        self.tag() == DIST_END_OF_BLOCK
    }

    #[inline(always)]
    fn is_link(self) -> bool {
        self.tag() & DIST_LINK != 0
    }

    #[inline(always)]
    fn link_width(self) -> u32 {
        self.tag() & 15
    }

    #[inline(always)]
    fn link_offset(self) -> usize {
        (self.0 >> 16) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind reads back what it was made with, in both formats.
    fn round_trip<E: Entry>(bases: &[(u32, u32)], widths: core::ops::RangeInclusive<u32>) {
        for bits in 0..=15 {
            let literal = E::literal(255, bits);
            assert!(literal.is_literal() && !literal.is_base() && !literal.is_link());
            assert!(!literal.is_end_of_block());
            assert_eq!((literal.value(), literal.bits()), (255, bits));
            for &(base, extra) in bases {
                let entry = E::base(base, extra, bits);
                assert_eq!(entry.used(), bits + extra);
                assert_eq!(entry.shift() & 63, bits + extra);
                assert!(entry.is_base() && !entry.is_literal() && !entry.is_link());
                assert!(!entry.is_end_of_block());
                assert_eq!(
                    (entry.base_value(), entry.extra(), entry.bits()),
                    (base, extra, bits)
                );
            }
            let end = E::end_of_block(bits);
            assert!(end.is_end_of_block() && !end.is_literal() && !end.is_base());
            assert!(!end.is_link());
            assert_eq!(end.bits(), bits);
            let invalid = E::invalid(bits);
            assert!(!invalid.is_literal() && !invalid.is_base() && !invalid.is_link());
            assert!(!invalid.is_end_of_block());
            assert_eq!(invalid.bits(), bits);
        }
        for width in widths {
            let link = E::link(4095, width).unwrap();
            assert!(link.is_link() && !link.is_literal() && !link.is_base());
            assert!(!link.is_end_of_block());
            assert_eq!((link.link_offset(), link.link_width()), (4095, width));
            assert_eq!(link.level_bits(11), 11);
        }
    }

    #[test]
    fn entries_read_back_what_they_hold() {
        round_trip::<LitEntry>(&[(3, 0), (10, 0), (11, 1), (227, 5), (258, 0)], 1..=4);
        round_trip::<DistEntry>(&[(1, 0), (24577, 13)], 1..=15);
        assert_eq!(LitEntry::link(4096, 1), None);
        assert_eq!(LitEntry::link(2048, 5), None);
        // Offsets inside the root would look like other kinds.
        assert_eq!(LitEntry::link(2047, 1), None);
        assert!(LitEntry::link(2048, 1).unwrap().is_link());
    }
}
