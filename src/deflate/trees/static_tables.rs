//! deflate's fixed tables (RFC 1951 section 3.2.5 and 3.2.6), computed at
//! compile time: extra-bit counts, base values, the symbol-to-code maps and
//! the fixed ("static") literal/length and distance trees.

/// Number of length codes, not counting the literals and end-of-block.
pub(crate) const LENGTH_CODES: usize = 29;
/// Number of literal byte values.
pub(crate) const LITERALS: usize = 256;
/// Number of literal/length codes, end-of-block included.
pub(crate) const L_CODES: usize = LITERALS + 1 + LENGTH_CODES;
/// Number of distance codes.
pub(crate) const D_CODES: usize = 30;
/// Number of code-length codes.
pub(crate) const BL_CODES: usize = 19;
/// Longest code of the literal/length and distance trees.
pub(crate) const MAX_BITS: usize = 15;
/// Longest code of the code-length tree.
pub(crate) const MAX_BL_BITS: usize = 7;
/// The end-of-block symbol.
pub(crate) const END_BLOCK: usize = 256;
/// Shortest match.
pub(crate) const MIN_MATCH: usize = 3;
/// Longest match.
pub(crate) const MAX_MATCH: usize = 258;
/// Code-length symbol: repeat the previous length 3..6 times (2 extra bits).
pub(crate) const REP_3_6: usize = 16;
/// Code-length symbol: repeat a zero length 3..10 times (3 extra bits).
pub(crate) const REPZ_3_10: usize = 17;
/// Code-length symbol: repeat a zero length 11..138 times (7 extra bits).
pub(crate) const REPZ_11_138: usize = 18;

/// Extra bits of each length code.
pub(crate) const EXTRA_LBITS: [u8; LENGTH_CODES] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];

/// Extra bits of each distance code.
pub(crate) const EXTRA_DBITS: [u8; D_CODES] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// Extra bits of each code-length code.
pub(crate) const EXTRA_BLBITS: [u8; BL_CODES] =
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7];

/// The order in which the code-length code lengths are sent (most likely
/// used first, so that trailing unused ones can be left out).
pub(crate) const BL_ORDER: [u8; BL_CODES] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// A Huffman code as it is sent: `len` bits of `code`, already bit-reversed
/// so that it goes out LSB first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct HuffCode {
    /// The bit-reversed code.
    pub(crate) code: u16,
    /// Its length in bits (0 for an unused symbol).
    pub(crate) len: u16,
}

/// Reverses the low `len` bits of `code` (1 <= len <= 15).
pub(crate) const fn reverse_bits(code: u16, len: u16) -> u16 {
    if len == 0 || len > 16 {
        return 0;
    }
    code.reverse_bits() >> (16 - len)
}

/// First match length (minus [`MIN_MATCH`]) of each length code.
pub(crate) const BASE_LENGTH: [u8; LENGTH_CODES] = base_lengths();

/// Length code (0..28) of each match length minus [`MIN_MATCH`].
pub(crate) const LENGTH_CODE: [u8; MAX_MATCH - MIN_MATCH + 1] = length_codes();

/// First distance (minus one) of each distance code.
pub(crate) const BASE_DIST: [u16; D_CODES] = base_distances();

/// Distance code of a distance minus one: entries 0..256 map distances
/// 1..=256 directly, entries 256..512 map the top 8 bits of a 15-bit
/// distance (`256 + (dist >> 7)`). Entries 256 and 257 are never used.
pub(crate) const DIST_CODE: [u8; 512] = distance_codes();

/// The fixed literal/length tree. Symbols 286 and 287 do not occur in data,
/// but take part in the code assignment so that the tree is complete.
pub(crate) const STATIC_LTREE: [HuffCode; L_CODES + 2] = static_literal_tree();

/// The fixed distance tree: every code is 5 bits.
pub(crate) const STATIC_DTREE: [HuffCode; D_CODES] = static_distance_tree();

/// Distance code of `dist`, the match distance minus one (0..32767).
#[inline]
pub(crate) fn distance_code(dist: usize) -> usize {
    if dist < 256 {
        DIST_CODE[dist] as usize
    } else {
        DIST_CODE[256 + ((dist >> 7) & 0xff)] as usize
    }
}

/// Distance code and extra-bit count of `dist`, the match distance minus
/// one (below 32768), without a table or a branch: a `dist` of 2 or more
/// whose highest set bit is bit `n` has code `2n` plus bit `n - 1` and
/// `n - 1` extra bits (its low bits); with `n` taken from `dist | 1` and
/// no extra bits, 0 and 1 come out right too.
#[inline(always)]
pub(crate) fn distance_code_bits(dist: u32) -> (usize, u32) {
    let n = 31 - (dist | 1).leading_zeros();
    let extra = n.saturating_sub(1);
    ((2 * n + (dist >> extra & 1)) as usize, extra)
}

const fn base_lengths() -> [u8; LENGTH_CODES] {
    let mut base = [0u8; LENGTH_CODES];
    let mut length = 0usize;
    let mut code = 0;
    while code < LENGTH_CODES - 1 {
        base[code] = length as u8;
        length += 1 << EXTRA_LBITS[code];
        code += 1;
    }
    // Code 285 is length 258 alone (normalised 255), with no extra bits.
    base[LENGTH_CODES - 1] = (MAX_MATCH - MIN_MATCH) as u8;
    base
}

const fn length_codes() -> [u8; MAX_MATCH - MIN_MATCH + 1] {
    let mut map = [0u8; MAX_MATCH - MIN_MATCH + 1];
    let mut length = 0usize;
    let mut code = 0;
    while code < LENGTH_CODES - 1 {
        let mut n = 0;
        while n < (1 << EXTRA_LBITS[code]) {
            map[length] = code as u8;
            length += 1;
            n += 1;
        }
        code += 1;
    }
    // Length 258 fits both code 284 (with 5 extra bits) and code 285; the
    // shorter encoding wins.
    map[MAX_MATCH - MIN_MATCH] = (LENGTH_CODES - 1) as u8;
    map
}

const fn base_distances() -> [u16; D_CODES] {
    let mut base = [0u16; D_CODES];
    let mut dist = 0usize;
    let mut code = 0;
    while code < D_CODES {
        base[code] = dist as u16;
        dist += 1 << EXTRA_DBITS[code];
        code += 1;
    }
    base
}

const fn distance_codes() -> [u8; 512] {
    let mut map = [0u8; 512];
    let mut code = 0;
    while code < D_CODES {
        let first = BASE_DIST[code] as usize;
        let last = first + (1 << EXTRA_DBITS[code]);
        let mut dist = first;
        while dist < last {
            if dist < 256 {
                map[dist] = code as u8;
            } else {
                map[256 + (dist >> 7)] = code as u8;
            }
            // Above 256, one entry stands for 128 distances.
            dist += if dist < 256 { 1 } else { 128 };
        }
        code += 1;
    }
    map
}

const fn static_literal_tree() -> [HuffCode; L_CODES + 2] {
    let mut tree = [HuffCode { code: 0, len: 0 }; L_CODES + 2];
    let mut count = [0u16; MAX_BITS + 1];
    let mut n = 0;
    while n < L_CODES + 2 {
        let len = match n {
            0..=143 => 8,
            144..=255 => 9,
            256..=279 => 7,
            _ => 8,
        };
        tree[n].len = len;
        count[len as usize] += 1;
        n += 1;
    }
    let next = first_codes(&count);
    assign_codes(tree, next)
}

const fn static_distance_tree() -> [HuffCode; D_CODES] {
    let mut tree = [HuffCode { code: 0, len: 0 }; D_CODES];
    let mut n = 0;
    while n < D_CODES {
        tree[n] = HuffCode {
            code: reverse_bits(n as u16, 5),
            len: 5,
        };
        n += 1;
    }
    tree
}

/// The first canonical code of each length, given the count of codes of
/// each length.
pub(crate) const fn first_codes(count: &[u16; MAX_BITS + 1]) -> [u16; MAX_BITS + 1] {
    let mut next = [0u16; MAX_BITS + 1];
    let mut code: u32 = 0;
    let mut bits = 1;
    while bits <= MAX_BITS {
        code = ((code + count[bits - 1] as u32) << 1) & 0xffff;
        next[bits] = code as u16;
        bits += 1;
    }
    next
}

const fn assign_codes<const N: usize>(
    mut tree: [HuffCode; N],
    mut next: [u16; MAX_BITS + 1],
) -> [HuffCode; N] {
    let mut n = 0;
    while n < N {
        let len = tree[n].len;
        if len != 0 && (len as usize) <= MAX_BITS {
            tree[n].code = reverse_bits(next[len as usize], len);
            next[len as usize] = next[len as usize].wrapping_add(1);
        }
        n += 1;
    }
    tree
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_tables_agree() {
        for (lc, &code) in LENGTH_CODE.iter().enumerate() {
            let code = code as usize;
            let base = BASE_LENGTH[code] as usize;
            assert!(lc >= base, "length {lc}");
            assert!(lc - base < (1 << EXTRA_LBITS[code]) || code == 28);
        }
        assert_eq!(LENGTH_CODE[255], 28);
        assert_eq!(LENGTH_CODE[254], 27);
        assert_eq!(BASE_LENGTH[27], 227 - 3);
    }

    #[test]
    fn distance_tables_agree() {
        for dist in 0..32768usize {
            let code = distance_code(dist);
            let base = BASE_DIST[code] as usize;
            assert!(
                dist >= base && dist - base < (1 << EXTRA_DBITS[code]),
                "{dist}"
            );
        }
        assert_eq!(BASE_DIST[29], 24576);
    }

    #[test]
    fn static_trees_are_rfc1951() {
        // RFC 1951 3.2.6: 0..143 -> 00110000.., 144..255 -> 110010000..,
        // 256..279 -> 0000000.., 280..287 -> 11000000..
        let expect = |sym: usize, first: u16, base: usize, len: u16| {
            let c = STATIC_LTREE[sym];
            assert_eq!(c.len, len);
            assert_eq!(
                c.code,
                reverse_bits(first + (sym - base) as u16, len),
                "{sym}"
            );
        };
        for sym in 0..=143 {
            expect(sym, 0b0011_0000, 0, 8);
        }
        for sym in 144..=255 {
            expect(sym, 0b1_1001_0000, 144, 9);
        }
        for sym in 256..=279 {
            expect(sym, 0, 256, 7);
        }
        for sym in 280..=287 {
            expect(sym, 0b1100_0000, 280, 8);
        }
        assert_eq!(STATIC_DTREE[1].code, 0b10000);
    }
}
