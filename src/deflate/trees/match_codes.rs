//! What compress_block sends for a block's matches, worked out once per
//! block: for each stored length (0..=255) its length code and extra bits as
//! one value, and for each distance code its code, extra-bit count and
//! base. Each match then costs two table reads indexed without bounds
//! checks, instead of five lookups in zlib's separate tables.

use super::static_tables::{
    distance_code_bits, HuffCode, BASE_LENGTH, D_CODES, EXTRA_LBITS, LENGTH_CODE, LITERALS, L_CODES,
};

/// `len` bits of `bits`, to go out in one send.
#[derive(Clone, Copy, Default)]
pub(super) struct Sent {
    pub(super) bits: u32,
    pub(super) len: u32,
}

/// The sends of a block's matches under its trees.
pub(super) struct MatchCodes {
    lengths: [Sent; 256],
    /// Each distance code's Huffman code (indexed by the code; 32
    /// entries so that a masked index needs no bounds check).
    distances: [Sent; 32],
}

impl MatchCodes {
    /// The sends under the literal/length tree `ltree` and the distance
    /// tree `dtree`.
    pub(super) fn new(ltree: &[HuffCode; L_CODES + 2], dtree: &[HuffCode; D_CODES]) -> MatchCodes {
        let mut lengths = [Sent::default(); 256];
        for (lc, sent) in lengths.iter_mut().enumerate() {
            let code = usize::from(LENGTH_CODE[lc]);
            let c = ltree[code + LITERALS + 1];
            let xbits = u32::from(EXTRA_LBITS[code]);
            let extra = u32::from((lc as u8).wrapping_sub(BASE_LENGTH[code])) & ((1 << xbits) - 1);
            *sent = Sent {
                bits: u32::from(c.code) | extra << c.len,
                len: u32::from(c.len) + xbits,
            };
        }
        let mut distances = [Sent::default(); 32];
        for (d, c) in distances.iter_mut().zip(dtree) {
            *d = Sent {
                bits: u32::from(c.code),
                len: u32::from(c.len),
            };
        }
        MatchCodes { lengths, distances }
    }

    /// The length code and extra bits of a stored length (length - 3).
    #[inline(always)]
    pub(super) fn length(&self, lc: u8) -> Sent {
        self.lengths[usize::from(lc)]
    }

    /// The distance code and extra bits of `dist` (distance - 1, below
    /// 32768), with no branch ([`distance_code_bits`]).
    #[inline(always)]
    pub(super) fn distance(&self, dist: u32) -> Sent {
        let (code, extra) = distance_code_bits(dist);
        let c = self.distances[code & 31];
        Sent {
            bits: c.bits | (dist & ((1 << extra) - 1)) << c.len,
            len: c.len + extra,
        }
    }
}
