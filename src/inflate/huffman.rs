//! Huffman decoding tables (the role of zlib's inftrees.c).
//!
//! [`build`] turns a list of code lengths into a two-level lookup table and
//! rejects the code sets zlib rejects: over-subscribed sets always, and
//! incomplete sets except a single one-bit code for literal/lengths or
//! distances (RFC 1951 allows one distance code).
//!
//! A table is indexed by the next `root_bits` bits of input (LSB first);
//! a code longer than that continues in a sub-table, as in zlib, whose
//! sizes this module also counts for `inflateCodesUsed`. The entries'
//! formats are in [`super::entry`].

use super::bits::BitReader;
use super::entry::{Entry, LitEntry};

/// Which alphabet a table decodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeKind {
    /// The 19 code-length codes of a dynamic block header.
    CodeLengths,
    /// Literals 0..=255, end of block 256, lengths 257..=285.
    LiteralLength,
    /// Distances 0..=29.
    Distance,
}

/// Why a set of code lengths cannot be decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuildError {
    /// More codes than the code space holds.
    OverSubscribed,
    /// Unused code space where RFC 1951 (as zlib reads it) allows none.
    Incomplete,
    /// The destination slice is too small for the table.
    TooSmall,
}

/// A successfully built table: its root index width and how many entries
/// of the destination it occupies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Built {
    /// Bits that index the root table.
    pub root_bits: u32,
    /// Entries used, root table plus sub-tables.
    pub used: usize,
}

/// The longest code deflate allows.
pub const MAX_CODE_BITS: usize = 15;
/// The most symbols a table is built for (zlib's `lens` array: 286
/// literal/length codes plus 30 distance codes, rounded up).
pub const MAX_SYMBOLS: usize = 320;

const LENGTH_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DISTANCE_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DISTANCE_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// The decoded meaning of `symbol` in alphabet `kind`, for a code of `bits` bits.
#[inline(always)]
fn symbol_entry<E: Entry>(kind: CodeKind, symbol: usize, bits: u32) -> E {
    let base =
        |bases: &[u16], extras: &[u8], index: usize| match (bases.get(index), extras.get(index)) {
            (Some(&base), Some(&extra)) => E::base(u32::from(base), u32::from(extra), bits),
            _ => E::invalid(bits),
        };
    match kind {
        CodeKind::CodeLengths => E::literal(symbol as u32, bits),
        CodeKind::LiteralLength => match symbol {
            0..=255 => E::literal(symbol as u32, bits),
            256 => E::end_of_block(bits),
            _ => base(&LENGTH_BASE, &LENGTH_EXTRA, symbol - 257),
        },
        CodeKind::Distance => base(&DISTANCE_BASE, &DISTANCE_EXTRA, symbol),
    }
}

/// Number of codes of each length 0..=15 (longer lengths count as 0..=15
/// cannot hold them and are reported as over-subscribed by the caller).
fn count_lengths(lengths: &[u8]) -> Result<[u16; MAX_CODE_BITS + 1], BuildError> {
    let mut count = [0u16; MAX_CODE_BITS + 1];
    for &len in lengths {
        let slot = count
            .get_mut(usize::from(len))
            .ok_or(BuildError::OverSubscribed)?;
        *slot += 1;
    }
    Ok(count)
}

/// The width of the sub-table that starts with a code of `len` bits, given
/// the codes not placed yet (`remaining`): the smallest width whose space
/// those codes fill, as zlib sizes it.
fn sub_table_bits(remaining: &[u16; MAX_CODE_BITS + 1], len: u32, root: u32, max: u32) -> u32 {
    let mut width = len - root;
    let mut space = 1i32 << width;
    while width + root < max {
        space -= i32::from(remaining[(width + root) as usize]);
        if space <= 0 {
            break;
        }
        width += 1;
        space <<= 1;
    }
    width
}

/// The root width zlib would use: the preferred one, clamped to the
/// shortest and longest code.
fn clamp_root(count: &[u16; MAX_CODE_BITS + 1], preferred: u32) -> (u32, u32) {
    let max = (1..=MAX_CODE_BITS)
        .rev()
        .find(|&l| count[l] != 0)
        .unwrap_or(0) as u32;
    let min = (1..=MAX_CODE_BITS).find(|&l| count[l] != 0).unwrap_or(0) as u32;
    (preferred.min(max).max(min), max)
}

/// Checks the Kraft inequality as zlib does.
fn check_code_space(
    kind: CodeKind,
    count: &[u16; MAX_CODE_BITS + 1],
    max: u32,
) -> Result<(), BuildError> {
    let mut left: i32 = 1;
    for &n in &count[1..] {
        left = (left << 1) - i32::from(n);
        if left < 0 {
            return Err(BuildError::OverSubscribed);
        }
    }
    if left > 0 && (kind == CodeKind::CodeLengths || max != 1) {
        return Err(BuildError::Incomplete);
    }
    Ok(())
}

/// Reverses the low `len` bits of `code`.
fn reverse(code: u32, len: u32) -> u32 {
    code.reverse_bits() >> (32 - len)
}

/// Builds the table for `lengths` (symbol `i` has a code of `lengths[i]`
/// bits, 0 = unused) into `table`, indexing its root by `preferred_root`
/// bits, clamped like zlib to the code lengths present. A root clamped
/// below `preferred_root` is then repeated to span `preferred_root` bits,
/// so the table can also be indexed by that width.
///
/// With no codes at all the table is two invalid one-bit entries, as zlib
/// makes it. Errors leave `table` partly written; more than
/// [`MAX_SYMBOLS`] used symbols are refused as [`BuildError::TooSmall`].
pub fn build<E: Entry>(
    kind: CodeKind,
    lengths: &[u8],
    preferred_root: u32,
    table: &mut [E],
) -> Result<Built, BuildError> {
    let count = count_lengths(lengths)?;
    let (root, max) = clamp_root(&count, preferred_root);
    if max == 0 {
        let slots = table.get_mut(..2).ok_or(BuildError::TooSmall)?;
        slots.fill(E::invalid(1));
        widen_root(table, 1, preferred_root);
        return Ok(Built {
            root_bits: 1,
            used: 2,
        });
    }
    check_code_space(kind, &count, max)?;

    // First canonical code of each length (MSB-first numbering).
    let mut next_code = [0u32; MAX_CODE_BITS + 2];
    let mut code = 0u32;
    for len in 1..=MAX_CODE_BITS {
        code = (code + u32::from(count[len - 1]) * u32::from(len > 1)) << 1;
        next_code[len] = code;
    }

    let root_size = 1usize << root;
    let root_table = table.get_mut(..root_size).ok_or(BuildError::TooSmall)?;
    if max == 1 {
        // A lone one-bit code leaves the other half invalid.
        root_table.fill(E::invalid(1));
    }

    // Place codes in canonical order: by length, then by symbol. A
    // counting sort puts the used symbols in that order in one pass.
    let mut start = [0usize; MAX_CODE_BITS + 2];
    for len in 1..=MAX_CODE_BITS {
        start[len + 1] = start[len] + usize::from(count[len]);
    }
    let mut sorted = [0u16; MAX_SYMBOLS];
    let mut fill = start;
    for (symbol, &len) in lengths.iter().enumerate() {
        if len != 0 {
            let slot = &mut fill[usize::from(len)];
            let symbol = u16::try_from(symbol).map_err(|_| BuildError::TooSmall)?;
            *sorted.get_mut(*slot).ok_or(BuildError::TooSmall)? = symbol;
            *slot += 1;
        }
    }
    let mut remaining = count;
    let mut used = root_size;
    let mut current_prefix = u32::MAX;
    let mut sub_start = 0usize;
    let mut sub_bits = 0u32;
    // Codes no longer than the root go in shortest first, each at its
    // reversed code among the first `1 << len` entries. Before each
    // length the entries placed so far are doubled: an entry then repeats
    // at every index whose low bits are its code, with block copies
    // instead of a store per repeat. (Indices that no code placed so far
    // matches hold stale entries until a longer code, or a link, takes
    // them; zlib's accepted sets leave none, and the one incomplete set,
    // a lone one-bit code, was filled with invalid entries above.)
    let mut span = 1usize;
    for len in 1..=max {
        if len <= root {
            while span < 1 << len {
                table.copy_within(..span, span);
                span <<= 1;
            }
        }
        let of_len = sorted
            .get(start[len as usize]..start[len as usize + 1])
            .unwrap_or(&[]);
        for &symbol in of_len {
            let symbol = usize::from(symbol);
            let code = next_code[len as usize];
            next_code[len as usize] += 1;
            let reversed = reverse(code, len);
            if len <= root {
                if let Some(slot) = table.get_mut(reversed as usize) {
                    *slot = symbol_entry(kind, symbol, len);
                }
            } else {
                let prefix = reversed & ((1 << root) - 1);
                if prefix != current_prefix {
                    current_prefix = prefix;
                    sub_bits = sub_table_bits(&remaining, len, root, max);
                    sub_start = used;
                    used += 1 << sub_bits;
                    if used > table.len() {
                        return Err(BuildError::TooSmall);
                    }
                    table[prefix as usize] =
                        E::link(sub_start, sub_bits).ok_or(BuildError::TooSmall)?;
                }
                let entry = symbol_entry(kind, symbol, len - root);
                let step = 1usize << (len - root);
                let mut index = (reversed >> root) as usize;
                while index < 1 << sub_bits {
                    table[sub_start + index] = entry;
                    index += step;
                }
            }
            remaining[len as usize] -= 1;
        }
        if len == root.min(max) {
            while span < root_size {
                table.copy_within(..span, span);
                span <<= 1;
            }
        }
    }
    widen_root(table, root, preferred_root);
    Ok(Built {
        root_bits: root,
        used,
    })
}

/// Repeats a root table narrower than `preferred_root` bits until it spans
/// that many (as far as `table` has room), so that the fast loop can always
/// index it by the preferred width. A root is narrower only when no code is
/// longer than it, so there are no sub-tables behind it to overwrite, and
/// an entry's meaning does not depend on the index bits above its code.
fn widen_root<E: Entry>(table: &mut [E], root: u32, preferred_root: u32) {
    let target = (1usize << preferred_root).min(table.len());
    let mut filled = 1usize << root;
    while filled < target {
        let n = filled.min(target - filled);
        table.copy_within(..n, filled);
        filled += n;
    }
}

/// How many table entries zlib itself uses for `lengths` with root width
/// `preferred_root` (7 for code lengths, 9 for literal/lengths, 6 for
/// distances): the figure `inflateCodesUsed` reports. Meaningful for sets
/// that [`build`] accepts.
pub fn zlib_entries(lengths: &[u8], preferred_root: u32) -> usize {
    let Ok(count) = count_lengths(lengths) else {
        return 0;
    };
    let (root, max) = clamp_root(&count, preferred_root);
    if max == 0 {
        return 2;
    }
    // Walk the codes longer than the root in canonical order; a new
    // sub-table starts whenever the root-width prefix changes.
    let mut used = 1usize << root;
    let mut remaining = count;
    let mut code = 0u32;
    let mut current_prefix = u32::MAX;
    for len in 1..=max {
        if len > 1 {
            code = (code + u32::from(count[len as usize - 1])) << 1;
        } else {
            code = 0;
        }
        if len <= root {
            remaining[len as usize] = 0;
            continue;
        }
        for k in 0..u32::from(count[len as usize]) {
            let prefix = (code + k) >> (len - root);
            if prefix != current_prefix {
                current_prefix = prefix;
                used += 1 << sub_table_bits(&remaining, len, root, max);
            }
            remaining[len as usize] -= 1;
        }
    }
    used
}

/// The most input bytes [`read_lengths`] wants at hand: 316 codes of at
/// most 7 bits, each with at most 7 extra bits, and a refill's look-ahead.
pub const MAX_LENGTHS_INPUT: usize = (316 * 14_usize).div_ceil(8) + 8;

/// Decodes a dynamic block header's code lengths from `have` on to the end
/// of `lens`, with the code-length code's `table` (indexed by its widened
/// root of 7 bits, the longest code-length code), from a `reader` that
/// holds all of them ([`MAX_LENGTHS_INPUT`] bytes or more) and fewer than
/// eight bits. Afterwards it is where decoding one byte at a time, as zlib
/// does, leaves it: past the last length, holding fewer than eight bits,
/// so the input taken is the whole bytes the bits used need.
///
/// Returns `false` at an invalid repeat, with `lens` and `reader` partly
/// advanced: the caller decodes again one byte at a time, from where it
/// called this, to fail where zlib fails.
pub fn read_lengths(
    table: &[LitEntry],
    lens: &mut [u8],
    mut have: usize,
    reader: &mut BitReader,
) -> bool {
    while have < lens.len() {
        // At least 56 bits: a code and its extra bits take at most 14.
        reader.refill();
        let hold = reader.window();
        let Some(&entry) = table.get((hold & 0x7f) as usize) else {
            return false;
        };
        // A code-length code with no codes reads as lengths of 0, 1 bit
        // each, as zlib reads it.
        let symbol = entry.code_length_symbol();
        let code_bits = entry.bits();
        if symbol < 16 {
            reader.consume(code_bits);
            if let Some(slot) = lens.get_mut(have) {
                *slot = symbol as u8;
            }
            have += 1;
            continue;
        }
        let (extra_bits, base, repeated) = match symbol {
            16 => {
                let Some(&previous) = have.checked_sub(1).and_then(|i| lens.get(i)) else {
                    return false;
                };
                (2, 3, previous)
            }
            17 => (3, 3, 0),
            _ => (7, 11, 0),
        };
        let extra = ((hold >> code_bits) & ((1 << extra_bits) - 1)) as usize;
        reader.consume(code_bits + extra_bits);
        let Some(run) = lens.get_mut(have..have + base + extra) else {
            return false;
        };
        run.fill(repeated);
        have += base + extra;
    }
    reader.give_back();
    true
}

/// The fixed literal/length code lengths of RFC 1951 (288 symbols).
pub fn fixed_literal_lengths() -> [u8; 288] {
    let mut lengths = [8u8; 288];
    lengths[144..256].fill(9);
    lengths[256..280].fill(7);
    lengths
}

/// The fixed distance code lengths as zlib uses them (32 symbols of 5 bits,
/// 30 and 31 decoding as invalid).
pub fn fixed_distance_lengths() -> [u8; 32] {
    [5u8; 32]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inflate::entry::{DistEntry, LitEntry};
    use crate::inflate::{DIST_TABLE_SIZE, LIT_TABLE_SIZE};

    fn decode<E: Entry>(table: &[E], root: u32, bits: u32) -> E {
        let entry = table[(bits & ((1 << root) - 1)) as usize];
        if entry.is_link() {
            let index =
                entry.link_offset() + ((bits >> root) & ((1 << entry.link_width()) - 1)) as usize;
            table[index]
        } else {
            entry
        }
    }

    #[test]
    fn fixed_tables_match_zlib_sizes_and_symbols() {
        let lit = fixed_literal_lengths();
        let mut table = vec![LitEntry(0); 2048];
        let built = build(CodeKind::LiteralLength, &lit, 9, &mut table).unwrap();
        assert_eq!(
            built,
            Built {
                root_bits: 9,
                used: 512
            }
        );
        // End of block is the 7-bit code 0000000.
        assert!(table[0].is_end_of_block());
        assert_eq!(table[0].bits(), 7);
        // Literal 0 is 00110000 (MSB first).
        let entry = table[reverse(0b0011_0000, 8) as usize];
        assert!(entry.is_literal());
        assert_eq!((entry.value(), entry.bits()), (0, 8));
        // Length 258 (symbol 285) is 11000101.
        let entry = table[reverse(0b1100_0101, 8) as usize];
        assert!(entry.is_base());
        assert_eq!(
            (entry.base_value(), entry.extra(), entry.bits()),
            (258, 0, 8)
        );
        let dist = fixed_distance_lengths();
        let mut table = vec![DistEntry(0); 64];
        let built = build(CodeKind::Distance, &dist, 6, &mut table).unwrap();
        assert_eq!(built.root_bits, 5);
        assert_eq!(table[reverse(31, 5) as usize], DistEntry::invalid(5));
        let entry = table[reverse(29, 5) as usize];
        assert!(entry.is_base());
        assert_eq!((entry.base_value(), entry.extra()), (24577, 13));
    }

    #[test]
    fn sub_tables_decode_long_codes() {
        // Lengths 1, 2, ..., 14, 15, 15: a complete, very skewed code.
        let mut lengths: Vec<u8> = (1..=15).collect();
        lengths.push(15);
        let mut table = vec![DistEntry(0); 2048];
        let built = build(CodeKind::Distance, &lengths, 6, &mut table).unwrap();
        for (symbol, &len) in lengths.iter().enumerate() {
            let len = u32::from(len);
            // Canonical code of symbol s (< 15) is s ones then a zero.
            let code = if symbol < 15 {
                ((1u32 << symbol) - 1) << 1
            } else {
                (1 << 15) - 1
            };
            let entry = decode(&table, built.root_bits, reverse(code, len));
            let expected: DistEntry = symbol_entry(CodeKind::Distance, symbol, 0);
            assert_eq!(
                (entry.base_value(), entry.extra()),
                (expected.base_value(), expected.extra()),
                "symbol {symbol}"
            );
        }
        // Root 6; codes 7..=15 share prefix 111111 → one 9-bit sub-table.
        assert_eq!(built.used, 64 + 512);
        // A literal/length link holds at most a 4-bit sub-table.
        let mut table = vec![LitEntry(0); 2048];
        assert_eq!(
            build(CodeKind::LiteralLength, &lengths, 6, &mut table),
            Err(BuildError::TooSmall)
        );
    }

    /// The codes that need the most entries at the roots inflate uses,
    /// as zlib's examples/enough.c reports them ("enough 286 11 15" and
    /// "enough 30 8 15"): lengths 1, 2, 3, ... for the short codes, then
    /// `long` as (count, length) pairs.
    fn worst_case(short: u8, long: &[(usize, u8)]) -> Vec<u8> {
        let mut lengths: Vec<u8> = (1..=short).collect();
        for &(count, len) in long {
            lengths.extend(std::iter::repeat_n(len, count));
        }
        lengths
    }

    #[test]
    fn worst_cases_fill_the_tables_exactly() {
        let lit = worst_case(4, &[(249, 12), (5, 13), (8, 14), (20, 15)]);
        assert_eq!(lit.len(), 286);
        let mut table = vec![LitEntry(0); LIT_TABLE_SIZE];
        let built = build(CodeKind::LiteralLength, &lit, 11, &mut table).unwrap();
        assert_eq!(built.used, LIT_TABLE_SIZE);
        let dist = worst_case(
            6,
            &[(1, 9), (9, 10), (9, 11), (1, 12), (1, 13), (1, 14), (2, 15)],
        );
        assert_eq!(dist.len(), 30);
        let mut table = vec![DistEntry(0); DIST_TABLE_SIZE];
        let built = build(CodeKind::Distance, &dist, 8, &mut table).unwrap();
        assert_eq!(built.used, DIST_TABLE_SIZE);
    }

    #[test]
    fn rejects_like_zlib() {
        let mut table = vec![DistEntry(0); 2048];
        assert_eq!(
            build(CodeKind::LiteralLength, &[1, 1, 1], 9, &mut table),
            Err(BuildError::OverSubscribed)
        );
        assert_eq!(
            build(CodeKind::LiteralLength, &[2, 2, 2], 9, &mut table),
            Err(BuildError::Incomplete)
        );
        assert_eq!(
            build(CodeKind::CodeLengths, &[1], 7, &mut table),
            Err(BuildError::Incomplete)
        );
        let one = build(CodeKind::Distance, &[1], 6, &mut table).unwrap();
        assert_eq!(
            one,
            Built {
                root_bits: 1,
                used: 2
            }
        );
        assert_eq!(table[1], DistEntry::invalid(1));
        let none = build(CodeKind::Distance, &[0, 0], 6, &mut table).unwrap();
        assert_eq!(
            none,
            Built {
                root_bits: 1,
                used: 2
            }
        );
    }

    #[test]
    fn zlib_entry_counts() {
        // zlib's fixed literal/length table at root 9 has no sub-tables.
        assert_eq!(zlib_entries(&fixed_literal_lengths(), 9), 512);
        // Root 6 for 5-bit codes is clamped to 5.
        assert_eq!(zlib_entries(&fixed_distance_lengths(), 6), 32);
        let mut lengths: Vec<u8> = (1..=15).collect();
        lengths.push(15);
        // Root 6; codes 7..=15 share prefix 111111 → one 9-bit sub-table.
        assert_eq!(zlib_entries(&lengths, 6), 64 + 512);
    }
}
