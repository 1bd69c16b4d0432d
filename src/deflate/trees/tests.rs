//! Tests of the block layer: tree properties, round trips through rzlib's
//! inflate, and zlib's exact output for the strategies that need no
//! matcher (Huffman-only and RLE), emulated on top of [`BlockWriter`].

use super::build::{BlockCost, Tree, TreeBuilder};
use super::*;
use crate::inflate::{Code, Fields, Flush, Inflater, Stream};

/// A small deterministic generator (xorshift64*).
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub(super) fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}

/// Optimal Huffman cost (sum of merged weights), by a plain sorted list:
/// an independent check of the lengths when no length limit applies.
fn huffman_cost(freqs: &[u64]) -> u64 {
    let mut nodes: Vec<u64> = freqs.iter().copied().filter(|&f| f != 0).collect();
    let mut cost = 0;
    while nodes.len() > 1 {
        nodes.sort_unstable_by(|a, b| b.cmp(a));
        let a = nodes.pop().unwrap();
        let b = nodes.pop().unwrap();
        cost += a + b;
        nodes.push(a + b);
    }
    cost
}

/// Builds a literal/length tree for `freqs` and checks it: complete prefix
/// code (Kraft sum exactly 1), lengths within 15, canonical codes, and
/// optimal when no code needed limiting.
fn check_literal_tree(freqs: &[u16; L_CODES]) {
    let mut tree: LiteralTree = Tree::new();
    tree.freq[..L_CODES].copy_from_slice(freqs);
    let mut builder = TreeBuilder::new();
    let mut cost = BlockCost::default();
    builder.build(&mut tree, &LITERAL_KIND, &mut cost);

    let used: Vec<usize> = (0..L_CODES).filter(|&n| tree.len[n] != 0).collect();
    assert!(used.len() >= 2);
    let kraft: u64 = used.iter().map(|&n| 1u64 << (15 - tree.len[n])).sum();
    assert_eq!(kraft, 1 << 15, "not a complete code");
    assert!(used.iter().all(|&n| tree.len[n] <= 15));
    assert_eq!(tree.max_code, *used.last().unwrap().max(&1));

    // Canonical: shorter codes first, then by symbol; codes prefix-free.
    let mut order: Vec<(u16, usize)> = used.iter().map(|&n| (tree.len[n], n)).collect();
    order.sort();
    let mut next = 0u32;
    let mut prev_len = order[0].0;
    for &(len, n) in &order {
        next <<= len - prev_len;
        prev_len = len;
        let c = tree.codes[n];
        assert_eq!(c.len, len);
        assert_eq!(u32::from(reverse_bits_u32(c.code, len)), next, "symbol {n}");
        next += 1;
    }

    // Cost: sum of freq * (len + extra), which equals the Huffman optimum
    // when no length was capped.
    let weighted: u64 = used
        .iter()
        .map(|&n| u64::from(tree.freq[n].min(freqs[n].max(1))) * u64::from(tree.len[n]))
        .sum();
    let extra: u64 = (257..L_CODES)
        .map(|n| u64::from(freqs[n]) * u64::from(EXTRA_LBITS[n - 257]))
        .sum();
    assert_eq!(cost.optimal, weighted.wrapping_add(extra).wrapping_sub(forced(freqs)));
    let max_len = used.iter().map(|&n| tree.len[n]).max().unwrap();
    if max_len < 15 {
        let f: Vec<u64> = (0..L_CODES)
            .map(|n| u64::from(if tree.len[n] != 0 { freqs[n].max(1) } else { 0 }))
            .collect();
        assert_eq!(weighted, huffman_cost(&f));
    }
}

/// zlib charges -1 per forced code (frequency 1 but no symbols).
fn forced(freqs: &[u16]) -> u64 {
    let used = freqs.iter().filter(|&&f| f != 0).count() as u64;
    2u64.saturating_sub(used)
}

fn reverse_bits_u32(code: u16, len: u16) -> u16 {
    code.reverse_bits() >> (16 - len)
}

#[test]
fn random_trees_are_complete_canonical_and_optimal() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    for round in 0..400 {
        let mut freqs = [0u16; L_CODES];
        let used = 1 + rng.below(L_CODES as u64) as usize;
        for _ in 0..used {
            let n = rng.below(L_CODES as u64) as usize;
            freqs[n] = match round % 3 {
                0 => 1 + rng.below(4) as u16,
                1 => 1 + rng.below(2000) as u16,
                _ => 1 << rng.below(12),
            };
        }
        freqs[END_BLOCK] = freqs[END_BLOCK].max(1);
        // A block holds under 64K symbols, so subtree sums fit 16 bits.
        let total: u32 = freqs.iter().map(|&f| u32::from(f)).sum();
        if total > 65_000 {
            for f in freqs.iter_mut().filter(|f| **f != 0) {
                *f = (u32::from(*f) * 65_000 / total).max(1) as u16;
            }
        }
        check_literal_tree(&freqs);
    }
}

#[test]
fn skewed_frequencies_take_the_overflow_path() {
    // Fibonacci weights give a Huffman tree as deep as there are symbols.
    let mut freqs = [0u16; L_CODES];
    let (mut a, mut b) = (1u16, 1u16);
    for f in freqs.iter_mut().take(22) {
        *f = a;
        (a, b) = (b, a.saturating_add(b));
    }
    check_literal_tree(&freqs);

    // The same for the code-length tree, limited to 7 bits.
    let mut tree: BitLengthTree = Tree::new();
    let (mut a, mut b) = (1u16, 1u16);
    for n in 0..BL_CODES {
        tree.freq[n] = a;
        (a, b) = (b, a + b);
    }
    let mut cost = BlockCost::default();
    TreeBuilder::new().build(&mut tree, &BIT_LENGTH_KIND, &mut cost);
    let kraft: u32 = (0..BL_CODES).map(|n| 1u32 << (7 - tree.len[n])).sum();
    assert_eq!(kraft, 1 << 7);
    assert!((0..BL_CODES).all(|n| (1..=7).contains(&tree.len[n])));
}

/// Decodes a raw deflate stream with rzlib's inflate.
fn inflate_raw(stream: &[u8], expected_len: usize) -> Vec<u8> {
    let mut fields = Fields::new();
    let mut inflater = Inflater::new(-15, &mut fields).unwrap();
    let mut out = vec![0u8; expected_len + 1];
    let mut s = Stream::new(stream, &mut out, fields);
    let code = inflater.inflate(&mut s, Flush::Finish, None);
    assert_eq!(code, Code::StreamEnd, "inflate failed");
    assert_eq!(s.consumed, stream.len(), "trailing bytes");
    let produced = s.produced;
    out.truncate(produced);
    out
}

/// Moves everything zlib's flush_pending would hand out.
fn take_output(bw: &mut BlockWriter, sink: &mut Vec<u8>) {
    bw.flush_bits();
    let out = bw.output();
    let bytes = out.pending().to_vec();
    out.consume(bytes.len());
    sink.extend_from_slice(&bytes);
    assert_eq!(bw.output().pending_len(), 0);
    assert!(bw.output().pending_bits() < 8);
}

#[test]
fn random_symbol_blocks_round_trip_through_inflate() {
    let mut rng = Rng(0xfeed_beef_cafe_f00d);
    for round in 0..120 {
        let lit_bufsize = 1 << (7 + rng.below(8));
        let mut bw = BlockWriter::new(lit_bufsize);
        let mut data = Vec::new();
        let mut stream = Vec::new();
        let mut block_start = 0;
        let mut data_type = data_type::UNKNOWN;
        let alphabet = 2 + rng.below(255) as u8;
        let target = rng.below(200_000) as usize;
        let match_rate = rng.below(100);
        while data.len() < target {
            let full = if !data.is_empty() && rng.below(100) < match_rate {
                let dist = 1 + rng.below(data.len().min(32768) as u64) as usize;
                let len = 3 + rng.below(256) as usize;
                for _ in 0..len {
                    data.push(data[data.len() - dist]);
                }
                bw.tally_match(dist, len)
            } else {
                let byte = rng.below(u64::from(alphabet)) as u8;
                data.push(byte);
                bw.tally_literal(byte)
            };
            if full || rng.below(5000) == 0 {
                let level = if rng.below(10) == 0 { 0 } else { 6 };
                let strategy = if rng.below(5) == 0 { Z_FIXED } else { 0 };
                let block = &data[block_start..];
                // Without the block's bytes a stored block is impossible.
                let stored = (rng.below(4) != 0).then_some(block).filter(|b| b.len() <= 65535);
                bw.flush_block(stored, false, level, strategy, &mut data_type);
                block_start = data.len();
                take_output(&mut bw, &mut stream);
            }
            // Now and then an empty stored block, an empty fixed block, or
            // a byte-aligning flush, as deflate's flush modes do.
            match rng.below(3000) {
                0 => bw.stored_block(&[], false),
                1 => bw.align(),
                _ => {}
            }
        }
        let block = &data[block_start..];
        let stored = (block.len() <= 65535).then_some(block);
        bw.flush_block(stored, true, 1 + (round % 9), 0, &mut data_type);
        take_output(&mut bw, &mut stream);
        assert_eq!(inflate_raw(&stream, data.len()), data, "round {round}");
        assert_ne!(data_type, data_type::UNKNOWN);
    }
}

#[test]
fn pending_counts_follow_zlib_after_every_symbol() {
    // After any send zlib holds 1..=16 bits and the rest is in pending.
    let mut bw = BlockWriter::new(128);
    let mut rng = Rng(77);
    let mut data_type = data_type::UNKNOWN;
    let mut produced = 0usize;
    for _ in 0..2000 {
        if bw.tally_literal(rng.below(256) as u8) {
            bw.flush_block(None, false, 6, 0, &mut data_type);
            let (bits, len) = (bw.output().pending_bits(), bw.output().pending_len());
            assert!((1..=16).contains(&bits), "{bits}");
            let pending = bw.output().pending().len();
            assert_eq!(pending, len);
            bw.output().consume(pending);
            produced += pending;
        }
    }
    assert!(produced > 1000);
}

#[test]
fn detect_data_type_uses_zlibs_lists() {
    let cases: &[(&[u8], i32)] = &[
        (b"hello world\n", data_type::TEXT),
        (b"\x07\x08\x0b\x0c\x1a\x1b", data_type::BINARY), // gray list only
        (b"text\x00", data_type::BINARY),
        (b"\x09", data_type::TEXT),
        (b"\x1f", data_type::BINARY),
        (b"\xff\x80", data_type::TEXT),
        (b"", data_type::BINARY),
    ];
    for &(bytes, expected) in cases {
        let mut bw = BlockWriter::new(1024);
        for &b in bytes {
            bw.tally_literal(b);
        }
        let mut dt = data_type::UNKNOWN;
        bw.flush_block(Some(bytes), true, 6, 0, &mut dt);
        assert_eq!(dt, expected, "{bytes:?}");
    }
}

#[test]
fn block_is_full_exactly_at_sym_end() {
    let mut bw = BlockWriter::new(128);
    for i in 0..126 {
        assert!(!bw.tally_literal(i as u8));
    }
    assert!(bw.tally_match(5, 3));
    assert_eq!(bw.symbol_count(), 127);
}

#[test]
fn prime_refuses_like_zlib() {
    let mut bw = BlockWriter::new(128);
    assert!(bw.prime(17, 0).is_err());
    assert!(bw.prime(-1, 0).is_err());
    assert!(bw.prime(16, 0xabcd).is_ok());
    assert_eq!(bw.output().pending(), &[0xcd, 0xab]);
    // pending_out past lit_bufsize - 2: no room.
    bw.output().put_bytes(&[0; 200]);
    bw.output().consume(127);
    assert!(bw.prime(3, 1).is_err());
}
