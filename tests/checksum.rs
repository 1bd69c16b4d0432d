//! Differential tests of the checksum exports against zlib (libz-sys, built
//! from source and linked statically): every export, called through its
//! `rz_*` C symbol, must return what zlib returns.
#![cfg(not(feature = "drop-in"))]

mod common;

use std::ffi::{c_long, c_uint, c_ulong};

use common::{samples, Rng, Sample, Zlib, RZ, ZLIB};

/// Start values: the usual ones, unreduced Adler-32 halves, and values with
/// bits above 32 set, which zlib ignores.
fn start_values(rng: &mut Rng) -> Vec<c_ulong> {
    let mut starts = vec![
        0,
        1,
        0xffff,
        0xfff0,
        0xfff1_fff0,
        0xfff0_fff1,
        0xffff_ffff,
        0x1_0000_0000,
        0xdead_beef_1234_5678,
        c_ulong::MAX,
    ];
    starts.extend((0..6).map(|_| rng.next_u64()));
    starts.extend((0..6).map(|_| rng.next_u64() & 0xffff_ffff));
    starts
}

/// Checks all four update exports on one buffer and start value.
fn check_update(start: c_ulong, data: &[u8]) {
    let (ptr, len) = (data.as_ptr(), data.len());
    let short = len as c_uint;
    // SAFETY: `ptr` is readable for `len` bytes.
    let sums = |z: &Zlib| unsafe {
        [
            (z.crc32_z)(start, ptr, len),
            (z.adler32_z)(start, ptr, len),
            (z.crc32)(start, ptr, short),
            (z.adler32)(start, ptr, short),
        ]
    };
    assert_eq!(
        sums(&RZ),
        sums(&ZLIB),
        "[crc32_z, adler32_z, crc32, adler32] of start {start:#x} len {len}"
    );
}

#[test]
fn updates_match_zlib_for_many_lengths_starts_and_alignments() {
    let mut rng = Rng::new(0x9e37_79b9_7f4a_7c15);
    let buffer = rng.bytes(70_000);
    let ones = vec![0xffu8; 70_000];
    let starts = start_values(&mut rng);
    for &start in &starts {
        for len in 0..=600 {
            check_update(start, &buffer[len % 64..len % 64 + len]);
            check_update(start, &ones[..len]);
        }
        for _ in 0..60 {
            let (align, len) = (rng.below(64), rng.below(65_000));
            check_update(start, &buffer[align..align + len]);
        }
        for len in [5551, 5552, 5553, 11_104, 65_536, 69_999] {
            check_update(start, &ones[..len]);
        }
    }
}

#[test]
fn null_buffers_give_the_initial_values() {
    for start in [0, 1, 0x1234_5678, c_ulong::MAX] {
        for len in [0, 2, 7, 100] {
            // SAFETY: zlib reads nothing from a NULL buffer with these lengths.
            unsafe {
                let null = std::ptr::null();
                assert_eq!(
                    (RZ.adler32)(start, null, len),
                    (ZLIB.adler32)(start, null, len)
                );
                assert_eq!((RZ.adler32_z)(start, null, len as usize), 1);
                assert_eq!((RZ.crc32)(start, null, len), (ZLIB.crc32)(start, null, len));
                assert_eq!((RZ.crc32_z)(start, null, len as usize), 0);
            }
        }
        // zlib reads the byte for length 1 before it checks for NULL; rzlib
        // checks first.
        // SAFETY: rzlib reads nothing from a NULL buffer.
        unsafe {
            assert_eq!((RZ.adler32)(start, std::ptr::null(), 1), 1);
            assert_eq!((RZ.crc32)(start, std::ptr::null(), 1), 0);
        }
    }
}

/// Combine lengths: 0, 1, around the Adler-32 modulus, large and negative.
fn combine_lengths(rng: &mut Rng) -> Vec<i64> {
    let mut lengths = vec![
        0,
        1,
        2,
        65_520,
        65_521,
        65_522,
        1 << 31,
        (1 << 32) + 5,
        1 << 40,
        i64::MAX,
        -1,
        -65_521,
        i64::MIN,
    ];
    lengths.extend((0..8).map(|_| rng.next_u64() as i64));
    lengths.extend((0..8).map(|_| (rng.next_u64() % 100_000) as i64));
    lengths
}

#[test]
fn combines_match_zlib() {
    let mut rng = Rng::new(0x2545_f491_4f6c_dd1d);
    let starts = start_values(&mut rng);
    let lengths = combine_lengths(&mut rng);
    for &len2 in &lengths {
        // SAFETY: these functions take no pointers.
        let generators = |z: &Zlib| unsafe {
            [
                (z.crc32_combine_gen64)(len2),
                (z.crc32_combine_gen)(len2 as c_long),
            ]
        };
        assert_eq!(
            generators(&RZ),
            generators(&ZLIB),
            "[crc32_combine_gen64, crc32_combine_gen] of {len2}"
        );
        for &first in &starts {
            for &second in starts.iter().step_by(3) {
                // SAFETY: as above.
                let op = unsafe { (ZLIB.crc32_combine_gen64)(len2) };
                let combined = |z: &Zlib| unsafe {
                    [
                        (z.adler32_combine64)(first, second, len2),
                        (z.adler32_combine)(first, second, len2 as c_long),
                        (z.crc32_combine64)(first, second, len2),
                        (z.crc32_combine)(first, second, len2 as c_long),
                        (z.crc32_combine_op)(first, second, op),
                    ]
                };
                assert_eq!(
                    combined(&RZ),
                    combined(&ZLIB),
                    "[adler32_combine64, adler32_combine, crc32_combine64, crc32_combine, \
                     crc32_combine_op] of {first:#x} {second:#x} {len2}"
                );
            }
        }
    }
    // Operators that no length produces, including ones with high bits set
    // (zlib reads only the low 32 bits unless they are all zero).
    for _ in 0..200 {
        let (crc1, crc2) = (rng.next_u64(), rng.next_u64());
        let op = match rng.below(3) {
            0 => rng.next_u64() & 0xffff_ffff,
            1 => rng.next_u64() | 1,
            _ => 0,
        };
        // SAFETY: as above.
        unsafe {
            assert_eq!(
                (RZ.crc32_combine_op)(crc1, crc2, op),
                (ZLIB.crc32_combine_op)(crc1, crc2, op),
                "op {op:#x}"
            );
        }
    }
    // zlib never returns for such an operator; rzlib treats it as op == 0.
    // SAFETY: as above.
    unsafe { assert_eq!((RZ.crc32_combine_op)(5, 6, 1 << 32), 0) };
}

#[test]
fn combining_pieces_gives_the_whole_checksum() {
    let mut rng = Rng::new(7);
    let data = rng.bytes(50_000);
    for _ in 0..50 {
        let split = rng.below(data.len() + 1);
        let (a, b) = data.split_at(split);
        // SAFETY: the slices are readable for their lengths.
        unsafe {
            let crc = |d: &[u8]| (RZ.crc32_z)(0, d.as_ptr(), d.len());
            let adler = |d: &[u8]| (RZ.adler32_z)(1, d.as_ptr(), d.len());
            let len2 = b.len() as i64;
            assert_eq!((RZ.crc32_combine64)(crc(a), crc(b), len2), crc(&data));
            assert_eq!(
                (RZ.adler32_combine64)(adler(a), adler(b), len2),
                adler(&data)
            );
        }
    }
}

#[test]
fn crc_table_matches_zlib() {
    // SAFETY: both tables are static arrays of 256 entries.
    let (ours, theirs) = unsafe {
        (
            std::slice::from_raw_parts((RZ.get_crc_table)(), 256),
            std::slice::from_raw_parts((ZLIB.get_crc_table)(), 256),
        )
    };
    assert_eq!(ours, theirs);
}

/// Every corpus file whole (or generated data without the corpus), and a
/// generated buffer of several MiB either way.
fn corpus() -> Vec<Sample> {
    let mut all = samples(usize::MAX);
    all.push(Sample {
        name: "gen:random-3MiB".into(),
        data: Rng::new(99).bytes(3 << 20),
    });
    all
}

#[test]
fn corpus_checksums_match_zlib_whole_and_in_pieces() {
    let mut rng = Rng::new(0xc0ff_ee00);
    for Sample { name, data } in corpus() {
        check_update(0, &data);
        check_update(1, &data);
        // Fed in random pieces, as a stream would feed them.
        let mut pieces = Vec::new();
        let mut rest = &data[..];
        while !rest.is_empty() {
            let (piece, tail) = rest.split_at(rng.below(100_000).min(rest.len()));
            pieces.push(piece);
            rest = tail;
        }
        let streamed = |z: &Zlib| {
            pieces.iter().fold((0, 1), |(crc, adler), piece| {
                let (ptr, len) = (piece.as_ptr(), piece.len());
                // SAFETY: `ptr` is readable for `len` bytes.
                unsafe { ((z.crc32_z)(crc, ptr, len), (z.adler32_z)(adler, ptr, len)) }
            })
        };
        assert_eq!(streamed(&RZ), streamed(&ZLIB), "{name}");
    }
}
