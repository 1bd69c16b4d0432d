//! Differential tests of the checksum exports against zlib (libz-sys, built
//! from source and linked statically): every export, called through its C
//! entry point in `rzlib::c_api::checksum`, must return what zlib returns.
#![cfg(not(feature = "drop-in"))]

use std::path::Path;

use libz_sys::{uInt, uLong};
use rzlib::c_api::checksum as rz;
use rzlib::c_api::types::{z_crc_t, z_off64_t, z_off_t, z_size_t};

/// The zlib functions that libz-sys does not declare; its static library
/// defines them all.
mod zlib {
    use super::*;
    extern "C" {
        pub fn adler32_z(adler: uLong, buf: *const u8, len: z_size_t) -> uLong;
        pub fn crc32_z(crc: uLong, buf: *const u8, len: z_size_t) -> uLong;
        pub fn adler32_combine64(adler1: uLong, adler2: uLong, len2: z_off64_t) -> uLong;
        pub fn crc32_combine64(crc1: uLong, crc2: uLong, len2: z_off64_t) -> uLong;
        pub fn crc32_combine_gen(len2: z_off_t) -> uLong;
        pub fn crc32_combine_gen64(len2: z_off64_t) -> uLong;
        pub fn crc32_combine_op(crc1: uLong, crc2: uLong, op: uLong) -> uLong;
        pub fn get_crc_table() -> *const z_crc_t;
        pub fn adler32_combine(adler1: uLong, adler2: uLong, len2: z_off_t) -> uLong;
        pub fn crc32_combine(crc1: uLong, crc2: uLong, len2: z_off_t) -> uLong;
    }
    pub use libz_sys::{adler32, crc32};
}

/// A xorshift generator: reproducible inputs without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

/// Start values: the usual ones, unreduced Adler-32 halves, and values with
/// bits above 32 set, which zlib ignores.
fn start_values(rng: &mut Rng) -> Vec<uLong> {
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
        uLong::MAX,
    ];
    starts.extend((0..6).map(|_| rng.next()));
    starts.extend((0..6).map(|_| rng.next() & 0xffff_ffff));
    starts
}

/// Checks all four update exports on one buffer and start value.
fn check_update(start: uLong, data: &[u8]) {
    let (ptr, len) = (data.as_ptr(), data.len());
    // SAFETY: `ptr` is readable for `len` bytes.
    unsafe {
        assert_eq!(
            rz::crc32_z(start, ptr, len),
            zlib::crc32_z(start, ptr, len),
            "crc32_z {start:#x} len {len}"
        );
        assert_eq!(
            rz::adler32_z(start, ptr, len),
            zlib::adler32_z(start, ptr, len),
            "adler32_z {start:#x} len {len}"
        );
        let short = len as uInt;
        assert_eq!(
            rz::crc32(start, ptr, short),
            zlib::crc32(start, ptr, short),
            "crc32 {start:#x} len {len}"
        );
        assert_eq!(
            rz::adler32(start, ptr, short),
            zlib::adler32(start, ptr, short),
            "adler32 {start:#x} len {len}"
        );
    }
}

#[test]
fn updates_match_zlib_for_many_lengths_starts_and_alignments() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
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
    for start in [0, 1, 0x1234_5678, uLong::MAX] {
        for len in [0, 2, 7, 100] {
            // SAFETY: zlib reads nothing from a NULL buffer with these lengths.
            unsafe {
                let null = std::ptr::null();
                assert_eq!(
                    rz::adler32(start, null, len),
                    zlib::adler32(start, null, len)
                );
                assert_eq!(rz::adler32_z(start, null, len as z_size_t), 1);
                assert_eq!(rz::crc32(start, null, len), zlib::crc32(start, null, len));
                assert_eq!(rz::crc32_z(start, null, len as z_size_t), 0);
            }
        }
        // zlib reads the byte for length 1 before it checks for NULL; rzlib
        // checks first.
        // SAFETY: rzlib reads nothing from a NULL buffer.
        unsafe {
            assert_eq!(rz::adler32(start, std::ptr::null(), 1), 1);
            assert_eq!(rz::crc32(start, std::ptr::null(), 1), 0);
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
    lengths.extend((0..8).map(|_| rng.next() as i64));
    lengths.extend((0..8).map(|_| (rng.next() % 100_000) as i64));
    lengths
}

#[test]
fn combines_match_zlib() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let starts = start_values(&mut rng);
    let lengths = combine_lengths(&mut rng);
    for &len2 in &lengths {
        // SAFETY: these functions take no pointers.
        unsafe {
            assert_eq!(
                rz::crc32_combine_gen64(len2),
                zlib::crc32_combine_gen64(len2),
                "gen64 {len2}"
            );
            assert_eq!(
                rz::crc32_combine_gen(len2 as z_off_t),
                zlib::crc32_combine_gen(len2 as z_off_t)
            );
        }
        for &first in &starts {
            for &second in starts.iter().step_by(3) {
                // SAFETY: as above.
                unsafe {
                    let what = format!("{first:#x} {second:#x} {len2}");
                    assert_eq!(
                        rz::adler32_combine64(first, second, len2),
                        zlib::adler32_combine64(first, second, len2),
                        "adler {what}"
                    );
                    assert_eq!(
                        rz::adler32_combine(first, second, len2),
                        zlib::adler32_combine(first, second, len2),
                        "adler {what}"
                    );
                    assert_eq!(
                        rz::crc32_combine64(first, second, len2),
                        zlib::crc32_combine64(first, second, len2),
                        "crc {what}"
                    );
                    assert_eq!(
                        rz::crc32_combine(first, second, len2),
                        zlib::crc32_combine(first, second, len2),
                        "crc {what}"
                    );
                    let op = zlib::crc32_combine_gen64(len2);
                    assert_eq!(
                        rz::crc32_combine_op(first, second, op),
                        zlib::crc32_combine_op(first, second, op),
                        "op {what}"
                    );
                }
            }
        }
    }
    // Operators that no length produces, including ones with high bits set
    // (zlib reads only the low 32 bits unless they are all zero).
    for _ in 0..200 {
        let (crc1, crc2) = (rng.next(), rng.next());
        let op = match rng.below(3) {
            0 => rng.next() & 0xffff_ffff,
            1 => rng.next() | 1,
            _ => 0,
        };
        // SAFETY: as above.
        unsafe {
            assert_eq!(
                rz::crc32_combine_op(crc1, crc2, op),
                zlib::crc32_combine_op(crc1, crc2, op),
                "op {op:#x}"
            );
        }
    }
    // zlib never returns for such an operator; rzlib treats it as op == 0.
    // SAFETY: as above.
    unsafe { assert_eq!(rz::crc32_combine_op(5, 6, 1 << 32), 0) };
}

#[test]
fn combining_pieces_gives_the_whole_checksum() {
    let mut rng = Rng(7);
    let data = rng.bytes(50_000);
    for _ in 0..50 {
        let split = rng.below(data.len() + 1);
        let (a, b) = data.split_at(split);
        // SAFETY: the slices are readable for their lengths.
        unsafe {
            let crc = |d: &[u8]| rz::crc32_z(0, d.as_ptr(), d.len());
            let adler = |d: &[u8]| rz::adler32_z(1, d.as_ptr(), d.len());
            let len2 = b.len() as z_off64_t;
            assert_eq!(rz::crc32_combine64(crc(a), crc(b), len2), crc(&data));
            assert_eq!(
                rz::adler32_combine64(adler(a), adler(b), len2),
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
            std::slice::from_raw_parts(rz::get_crc_table(), 256),
            std::slice::from_raw_parts(zlib::get_crc_table(), 256),
        )
    };
    assert_eq!(ours, theirs);
}

/// The corpus files, or generated data when ../shared/corpus is absent.
fn corpus() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut files = Vec::new();
    for set in ["canterbury", "silesia"] {
        let Ok(entries) = std::fs::read_dir(root.join(set)) else {
            continue;
        };
        for entry in entries.flatten() {
            if let Ok(data) = std::fs::read(entry.path()) {
                files.push((
                    format!("{set}/{}", entry.file_name().to_string_lossy()),
                    data,
                ));
            }
        }
    }
    if files.is_empty() {
        eprintln!("checksum corpus test: ../shared/corpus absent, using generated data");
        let mut rng = Rng(99);
        files.push(("generated/random".into(), rng.bytes(3 << 20)));
        files.push((
            "generated/text".into(),
            b"the quick brown fox ".repeat(100_000),
        ));
    } else {
        eprintln!(
            "checksum corpus test: {} files from ../shared/corpus",
            files.len()
        );
    }
    files
}

#[test]
fn corpus_checksums_match_zlib_whole_and_in_pieces() {
    let mut rng = Rng(0xc0ff_ee00);
    for (name, data) in corpus() {
        check_update(0, &data);
        check_update(1, &data);
        // Fed in random pieces, as a stream would feed them.
        let (mut ours, mut theirs) = ((0, 1), (0, 1));
        let mut rest = &data[..];
        while !rest.is_empty() {
            let (piece, tail) = rest.split_at(rng.below(100_000).min(rest.len()));
            let (ptr, len) = (piece.as_ptr(), piece.len());
            // SAFETY: `ptr` is readable for `len` bytes.
            unsafe {
                ours = (
                    rz::crc32_z(ours.0, ptr, len),
                    rz::adler32_z(ours.1, ptr, len),
                );
                theirs = (
                    zlib::crc32_z(theirs.0, ptr, len),
                    zlib::adler32_z(theirs.1, ptr, len),
                );
            }
            rest = tail;
        }
        assert_eq!(ours, theirs, "{name}");
    }
}
