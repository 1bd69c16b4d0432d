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
    check_literal_tree_built(freqs, false);
    check_literal_tree_built(freqs, true);
}

/// [`check_literal_tree`] with zlib's builder or the fast profile's
/// ([`TreeBuilder::build_fast`]).
fn check_literal_tree_built(freqs: &[u16; L_CODES], fast: bool) {
    let mut tree: LiteralTree = Tree::new();
    for (n, &f) in freqs.iter().enumerate() {
        tree.count(n, f);
    }
    let mut builder = TreeBuilder::new();
    let mut cost = BlockCost::default();
    if fast {
        builder.build_fast(&mut tree, &LITERAL_KIND, &mut cost);
    } else {
        builder.build(&mut tree, &LITERAL_KIND, &mut cost);
    }

    let used: Vec<usize> = (0..L_CODES).filter(|&n| tree.len(n) != 0).collect();
    assert!(used.len() >= 2);
    let kraft: u64 = used.iter().map(|&n| 1u64 << (15 - tree.len(n))).sum();
    assert_eq!(kraft, 1 << 15, "not a complete code");
    assert!(used.iter().all(|&n| tree.len(n) <= 15));
    assert_eq!(tree.max_code, *used.last().unwrap().max(&1));

    // Canonical: shorter codes first, then by symbol; codes prefix-free.
    let mut order: Vec<(u16, usize)> = used.iter().map(|&n| (tree.len(n), n)).collect();
    order.sort();
    let mut next = 0u32;
    let mut prev_len = order[0].0;
    for &(len, n) in &order {
        next <<= len - prev_len;
        prev_len = len;
        let c = tree.codes()[n];
        assert_eq!(c.len, len);
        assert_eq!(u32::from(reverse_bits_u32(c.code, len)), next, "symbol {n}");
        next += 1;
    }

    // Cost: sum of freq * (len + extra), which equals the Huffman optimum
    // when no length was capped.
    let weighted: u64 = used
        .iter()
        .map(|&n| u64::from(freqs[n].max(1)) * u64::from(tree.len(n)))
        .sum();
    let extra: u64 = (257..L_CODES)
        .map(|n| u64::from(freqs[n]) * u64::from(EXTRA_LBITS[n - 257]))
        .sum();
    assert_eq!(
        cost.optimal,
        weighted.wrapping_add(extra).wrapping_sub(forced(freqs))
    );
    let max_len = used.iter().map(|&n| tree.len(n)).max().unwrap();
    if max_len < 15 {
        let f: Vec<u64> = (0..L_CODES)
            .map(|n| u64::from(if tree.len(n) != 0 { freqs[n].max(1) } else { 0 }))
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
        tree.count(n, a);
        (a, b) = (b, a + b);
    }
    for fast in [false, true] {
        let mut tree = tree;
        let mut cost = BlockCost::default();
        if fast {
            TreeBuilder::new().build_fast(&mut tree, &BIT_LENGTH_KIND, &mut cost);
        } else {
            TreeBuilder::new().build(&mut tree, &BIT_LENGTH_KIND, &mut cost);
        }
        let kraft: u32 = (0..BL_CODES).map(|n| 1u32 << (7 - tree.len(n))).sum();
        assert_eq!(kraft, 1 << 7);
        assert!((0..BL_CODES).all(|n| (1..=7).contains(&tree.len(n))));
    }
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
        let mut bw = BlockWriter::new(vec![0; pending_buf_size(lit_bufsize)]);
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
                // Level 0 forces one, which deflate_stored only asks for
                // when it fits the pending buffer.
                let room = pending_buf_size(lit_bufsize) - 5;
                let stored = (rng.below(4) != 0)
                    .then_some(block)
                    .filter(|b| b.len() <= 65535 && (level != 0 || b.len() <= room));
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
    let mut bw = BlockWriter::new(vec![0; pending_buf_size(128)]);
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
        let mut bw = BlockWriter::new(vec![0; pending_buf_size(1024)]);
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
    let mut bw = BlockWriter::new(vec![0; pending_buf_size(128)]);
    for i in 0..126 {
        assert!(!bw.tally_literal(i as u8));
    }
    assert!(bw.tally_match(5, 3));
    assert_eq!(bw.symbol_count(), 127);
}

#[test]
fn prime_refuses_like_zlib() {
    let mut bw = BlockWriter::new(vec![0; pending_buf_size(128)]);
    assert!(bw.prime(17, 0).is_err());
    assert!(bw.prime(-1, 0).is_err());
    assert!(bw.prime(16, 0xabcd).is_ok());
    assert_eq!(bw.output().pending(), &[0xcd, 0xab]);
    // pending_out past lit_bufsize - 2: no room.
    bw.output().put_bytes(&[0; 200]);
    bw.output().consume(126);
    assert!(bw.prime(0, 0).is_ok());
    bw.output().consume(1);
    assert!(bw.prime(3, 1).is_err());
}

/// zlib's flush values.
pub(super) mod flush {
    pub(in super::super) const NO_FLUSH: i32 = 0;
    pub(in super::super) const PARTIAL: i32 = 1;
    pub(in super::super) const SYNC: i32 = 2;
    pub(in super::super) const FULL: i32 = 3;
    pub(in super::super) const FINISH: i32 = 4;
    pub(in super::super) const BLOCK: i32 = 5;
}

/// What one deflate() call leaves observable.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Call {
    pub(super) output: Vec<u8>,
    /// deflatePending's `pending` and `bits`.
    pub(super) pending: usize,
    pub(super) bits: u32,
    pub(super) data_type: i32,
}

const LEVEL: i32 = 6;
const Z_HUFFMAN_ONLY: i32 = 2;
const Z_RLE: i32 = 3;

/// zlib's deflate_huff plus deflate()'s flush handling, for a raw stream
/// whose every block still has its bytes in the window (memLevel <= 8, or
/// input under 64K): one [`Call`] per `(chunk length, flush)` of `plan`.
/// `prime` is a deflatePrime before the first call and after each call
/// that ended without flushing.
pub(super) fn emulate_huffman(
    data: &[u8],
    mem_level: u32,
    plan: &[(usize, i32)],
    prime: Option<(i32, i32)>,
) -> Vec<Call> {
    let mut bw = BlockWriter::new(vec![0; pending_buf_size(1 << (mem_level + 6))]);
    if let Some((bits, value)) = prime {
        bw.prime(bits, value).unwrap();
    }
    let mut data_type = data_type::UNKNOWN;
    let (mut pos, mut block_start) = (0, 0);
    let mut calls = Vec::new();
    for &(len, mode) in plan {
        let mut output = Vec::new();
        // deflate() first hands out what deflatePrime left pending.
        if bw.output().pending_len() != 0 {
            take_output(&mut bw, &mut output);
        }
        let end = (pos + len).min(data.len());
        while pos < end {
            let full = bw.tally_literal(data[pos]);
            pos += 1;
            if full {
                let block = &data[block_start..pos];
                bw.flush_block(Some(block), false, LEVEL, Z_HUFFMAN_ONLY, &mut data_type);
                block_start = pos;
                take_output(&mut bw, &mut output);
            }
        }
        let block = &data[block_start..pos];
        if mode == flush::FINISH {
            bw.flush_block(Some(block), true, LEVEL, Z_HUFFMAN_ONLY, &mut data_type);
            take_output(&mut bw, &mut output);
        } else if mode != flush::NO_FLUSH {
            if bw.has_symbols() {
                bw.flush_block(Some(block), false, LEVEL, Z_HUFFMAN_ONLY, &mut data_type);
                block_start = pos;
            }
            if mode == flush::PARTIAL {
                bw.align();
            } else if mode != flush::BLOCK {
                bw.stored_block(&[], false);
            }
            take_output(&mut bw, &mut output);
        }
        if let (Some((bits, value)), flush::NO_FLUSH) = (prime, mode) {
            bw.prime(bits, value).unwrap();
        }
        let bits = bw.output().pending_bits();
        calls.push(Call {
            output,
            pending: bw.output().pending_len(),
            bits,
            data_type,
        });
    }
    calls
}

/// zlib's deflate_rle in one Z_FINISH call over input under 64K (so the
/// window never slides): runs of a byte repeating the previous one become
/// matches at distance 1.
pub(super) fn emulate_rle(data: &[u8], mem_level: u32) -> Call {
    let mut bw = BlockWriter::new(vec![0; pending_buf_size(1 << (mem_level + 6))]);
    let mut data_type = data_type::UNKNOWN;
    let mut output = Vec::new();
    let (mut pos, mut block_start) = (0, 0);
    while pos < data.len() {
        let run = match pos.checked_sub(1).map(|p| data[p]) {
            Some(prev) if data.len() - pos >= MIN_MATCH && data[pos..pos + 3] == [prev; 3] => data
                [pos..]
                .iter()
                .take(258)
                .take_while(|&&b| b == prev)
                .count(),
            _ => 0,
        };
        let full = if run >= MIN_MATCH {
            pos += run;
            bw.tally_match(1, run)
        } else {
            pos += 1;
            bw.tally_literal(data[pos - 1])
        };
        if full {
            let block = &data[block_start..pos];
            bw.flush_block(Some(block), false, LEVEL, Z_RLE, &mut data_type);
            block_start = pos;
            take_output(&mut bw, &mut output);
        }
    }
    bw.flush_block(
        Some(&data[block_start..]),
        true,
        LEVEL,
        Z_RLE,
        &mut data_type,
    );
    take_output(&mut bw, &mut output);
    let bits = bw.output().pending_bits();
    Call {
        output,
        pending: 0,
        bits,
        data_type,
    }
}

/// Deterministic inputs of different character: text-like, random with a
/// small alphabet, runs, sparse binary, incompressible.
pub(super) fn generated(kind: u64, len: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed | 1);
    let words: [&[u8]; 8] = [
        b"the ",
        b"deflate ",
        b"tree ",
        b"of ",
        b"zlib\n",
        b"block ",
        b"Huffman ",
        b"\t",
    ];
    let mut out = Vec::with_capacity(len + 300);
    while out.len() < len {
        match kind % 5 {
            0 => out.extend_from_slice(words[rng.below(8) as usize]),
            1 => out.push(b'a' + rng.below(4) as u8),
            2 => {
                let b = rng.below(6) as u8;
                let longest = if rng.below(4) == 0 { 400 } else { 6 };
                let n = 1 + rng.below(longest) as usize;
                out.extend(core::iter::repeat_n(b, n));
            }
            3 => out.push(if rng.below(10) == 0 {
                rng.next() as u8
            } else {
                0
            }),
            _ => out.push(rng.next() as u8),
        }
    }
    out.truncate(len);
    out
}

/// A chunking plan with random flush modes, ending with Z_FINISH.
pub(super) fn plan(len: usize, seed: u64) -> Vec<(usize, i32)> {
    let mut rng = Rng(seed | 1);
    let modes = [
        flush::NO_FLUSH,
        flush::NO_FLUSH,
        flush::PARTIAL,
        flush::SYNC,
        flush::FULL,
        flush::BLOCK,
    ];
    let mut plan = Vec::new();
    let mut left = len;
    while left > 0 {
        let n = (1 + rng.below(30_000) as usize).min(left);
        left -= n;
        let mode = if left == 0 {
            flush::FINISH
        } else {
            modes[rng.below(6) as usize]
        };
        plan.push((n, mode));
    }
    if plan.is_empty() {
        plan.push((0, flush::FINISH));
    }
    plan
}

/// Number of cases with golden digests per strategy.
pub(super) const GOLDEN_CASES: u64 = 40;

/// Input, memLevel, plan and prime of a Huffman-only golden case.
#[allow(clippy::type_complexity)]
pub(super) fn huffman_case(case: u64) -> (Vec<u8>, u32, Vec<(usize, i32)>, Option<(i32, i32)>) {
    let len = [0usize, 1, 100, 5000, 70_000, 200_000, 1000, 20_000][(case / 5 % 8) as usize];
    let data = generated(case % 5, len, case * 7919 + 1);
    let prime = case
        .is_multiple_of(3)
        .then_some(((case % 17) as i32, (case * 0x9e37_79b9) as i32));
    (data, 1 + (case % 8) as u32, plan(len, case + 99), prime)
}

/// Input and memLevel of an RLE golden case (under 64K: no window slide).
pub(super) fn rle_case(case: u64) -> (Vec<u8>, u32) {
    let len = [0usize, 1, 3, 100, 5000, 60_000, 259, 30_000][(case / 5 % 8) as usize];
    (
        generated(case % 5, len, case * 31 + 5),
        1 + (case % 9) as u32,
    )
}

/// CRC-32 over every call's output, `bits` and `data_type`.
pub(super) fn digest(calls: &[Call]) -> u32 {
    calls.iter().fold(0, |crc, call| {
        let crc = crate::checksum::crc32(crc, &call.output);
        crate::checksum::crc32(
            crc,
            &[call.pending as u8, call.bits as u8, call.data_type as u8],
        )
    })
}

/// Digests of zlib 1.3.2's own output (libz-sys, deflateInit2 level 6,
/// raw, the case's memLevel and strategy; deflatePrime and deflatePending
/// as in the emulation) for [`huffman_case`] 0..[`GOLDEN_CASES`].
const ZLIB_HUFFMAN_DIGESTS: [u32; GOLDEN_CASES as usize] = [
    0x81828dcd, 0x81828dcd, 0x81828dcd, 0xd112518e, 0x81828dcd, 0x9e3a422a, 0xa03ecd80, 0xf7425327,
    0x3fa2dc57, 0x0dc0cc24, 0xe827bfb0, 0x18a4afbe, 0xe06fc07d, 0xc255bd8a, 0x13cbd17e, 0x9b98ba3c,
    0x22ccc341, 0xd25b2ef6, 0xcf33e0c3, 0x562c1ed1, 0x6bfe15f3, 0x3fe85881, 0xd80c136d, 0xfd0af580,
    0xa384644f, 0xe6372529, 0x94440086, 0x3066b19b, 0x1cec2327, 0xe8431353, 0xa66ba0c3, 0x294fcdc1,
    0xb0e458ff, 0xf76a7419, 0x28115f1b, 0x33f39b8e, 0xfee22961, 0x766e6de3, 0xf1f097da, 0x6b11e1db,
];

/// The same for [`rle_case`] with Z_RLE, one Z_FINISH call.
const ZLIB_RLE_DIGESTS: [u32; GOLDEN_CASES as usize] = [
    0x81828dcd, 0x81828dcd, 0x81828dcd, 0x81828dcd, 0x81828dcd, 0xd99a38fa, 0x56dacd5a, 0x02c2f5e7,
    0xaf1b562e, 0x3eebb756, 0x4327628c, 0x717324c4, 0x82cd1809, 0x1a04ecb9, 0xef525406, 0x6437fd4b,
    0xb0ddf915, 0xc5435702, 0x90955c47, 0x79e3aa58, 0x0dd2196b, 0x8806cdb0, 0x9f0dea19, 0xf419a2e4,
    0xbb658b26, 0xd77d8dce, 0xd8a57c0f, 0xd3dcb467, 0x3d413f55, 0xf95f44df, 0x4815bb1a, 0x7beb4404,
    0x3cd4dcb6, 0x005d6881, 0xeb913994, 0xed1601e9, 0x72303d8a, 0xaeebc610, 0x67b6f88d, 0x05e81d9b,
];

#[test]
fn huffman_only_output_is_zlibs_call_by_call() {
    for case in 0..GOLDEN_CASES {
        let (data, mem_level, plan, prime) = huffman_case(case);
        let calls = emulate_huffman(&data, mem_level, &plan, prime);
        assert_eq!(
            digest(&calls),
            ZLIB_HUFFMAN_DIGESTS[case as usize],
            "case {case}"
        );
    }
}

#[test]
fn rle_output_is_zlibs() {
    for case in 0..GOLDEN_CASES {
        let (data, mem_level) = rle_case(case);
        let call = emulate_rle(&data, mem_level);
        assert_eq!(
            digest(&[call]),
            ZLIB_RLE_DIGESTS[case as usize],
            "case {case}"
        );
    }
}

/// The Canterbury corpus files (or generated data when the corpus is
/// absent, or `RZLIB_CORPUS=none` as for the integration tests) through
/// both emulations and back through inflate.
#[test]
fn corpus_round_trips_through_huffman_and_rle() {
    let root = match std::env::var("RZLIB_CORPUS") {
        Ok(chosen) if chosen == "none" => None,
        Ok(chosen) if !chosen.is_empty() => Some(std::path::PathBuf::from(chosen)),
        _ => Some(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")),
    };
    let dir = root.map(|root| root.join("canterbury")).unwrap_or_default();
    let mut inputs: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter_map(|e| {
                    Some((
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read(e.path()).ok()?,
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    if inputs.is_empty() {
        eprintln!("no corpus (absent, or RZLIB_CORPUS=none): using generated data");
        inputs = (0..5)
            .map(|k| (format!("generated-{k}"), generated(k, 300_000, k + 1)))
            .collect();
    } else {
        eprintln!("using the Canterbury corpus in {}", dir.display());
    }
    for (name, data) in &inputs {
        let calls = emulate_huffman(data, 8, &[(data.len(), flush::FINISH)], None);
        assert_eq!(
            inflate_raw(&calls[0].output, data.len()),
            *data,
            "{name} huffman"
        );
        // RLE keeps its input under 64K (the emulation does not slide).
        let head = &data[..data.len().min(60_000)];
        let call = emulate_rle(head, 8);
        assert_eq!(inflate_raw(&call.output, head.len()), head, "{name} rle");
    }
}

#[test]
fn distance_codes_without_a_table_match_zlibs_table() {
    for dist in 0..32768u32 {
        let (code, extra) = static_tables::distance_code_bits(dist);
        assert_eq!(code, distance_code(dist as usize), "distance {}", dist + 1);
        assert_eq!(extra, u32::from(EXTRA_DBITS[code]), "distance {}", dist + 1);
        let base = u32::from(static_tables::BASE_DIST[code]);
        assert_eq!(
            dist & ((1 << extra) - 1),
            dist - base,
            "distance {}",
            dist + 1
        );
    }
}
