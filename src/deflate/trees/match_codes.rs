//! What compress_block sends for a block's matches, worked out once per
//! block: for each stored length (0..=255) its length code and extra bits as
//! one value, and for each distance code its code, extra-bit count and
//! base. Each match then costs two table reads indexed without bounds
//! checks, instead of five lookups in zlib's separate tables.

use super::static_tables::{
    distance_code, HuffCode, BASE_DIST, BASE_LENGTH, D_CODES, EXTRA_DBITS, EXTRA_LBITS,
    LENGTH_CODE, LITERALS, L_CODES,
};

/// `len` bits of `bits`, to go out in one send.
#[derive(Clone, Copy, Default)]
pub(super) struct Sent {
    pub(super) bits: u32,
    pub(super) len: u32,
}

/// A distance code as sent: its Huffman code, then the distance minus
/// `base` in the bits of `mask`.
#[derive(Clone, Copy, Default)]
struct DistanceCode {
    code: u32,
    len: u32,
    extra: u32,
    base: u32,
    mask: u32,
}

/// The sends of a block's matches under its trees.
pub(super) struct MatchCodes {
    lengths: [Sent; 256],
    /// Indexed by distance code (below D_CODES; 32 entries so that a
    /// masked index needs no bounds check).
    distances: [DistanceCode; 32],
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
        let mut distances = [DistanceCode::default(); 32];
        for (code, (d, c)) in distances.iter_mut().zip(dtree).enumerate() {
            let extra = u32::from(EXTRA_DBITS[code]);
            *d = DistanceCode {
                code: u32::from(c.code),
                len: u32::from(c.len),
                extra,
                base: u32::from(BASE_DIST[code]),
                mask: (1 << extra) - 1,
            };
        }
        MatchCodes { lengths, distances }
    }

    /// The length code and extra bits of a stored length (length - 3).
    #[inline(always)]
    pub(super) fn length(&self, lc: u8) -> Sent {
        self.lengths[usize::from(lc)]
    }

    /// The distance code and extra bits of `dist` (distance - 1).
    #[inline(always)]
    pub(super) fn distance(&self, dist: usize) -> Sent {
        let d = self.distances[distance_code(dist) & 31];
        Sent {
            bits: d.code | ((dist as u32).wrapping_sub(d.base) & d.mask) << d.len,
            len: d.len + d.extra,
        }
    }
}
