//! The CRC-32 lookup tables.
//!
//! `slices()[k][b]` is the CRC register after feeding byte `b` followed by
//! `k` zero bytes into a zeroed register. The first, the classic byte-wise
//! table that zlib's `get_crc_table` hands out, is built at compile time;
//! the other fifteen, which let the portable kernel consume 16 bytes per
//! step (slicing-by-16), are built on first use in zeroed memory, so that
//! their 15 KiB are not stored in the library's file.

use core::sync::atomic::AtomicBool;
use core::sync::atomic::AtomicU32;
use core::sync::atomic::Ordering::{Acquire, Relaxed, Release};

/// The CRC-32 polynomial x^32 + x^26 + ... + 1, bit-reflected, x^32 implied.
pub(super) const POLY: u32 = 0xedb8_8320;

/// How many bytes one step of the slicing kernel consumes.
pub(super) const SLICE_COUNT: usize = 16;

/// The byte-wise table.
pub(super) static BYTE_TABLE: [u32; 256] = build_byte_table();

/// The slicing tables. Every thread that finds them not ready fills them
/// with the same values, so a race (or a fork in the middle of the filling)
/// costs a refill, never a wrong entry or a wait: there is no lock.
static SLICES: [[AtomicU32; 256]; SLICE_COUNT] =
    [const { [const { AtomicU32::new(0) }; 256] }; SLICE_COUNT];
static SLICES_READY: AtomicBool = AtomicBool::new(false);

/// The slicing tables, filled. Relaxed loads of the entries are plain loads.
#[inline(always)]
pub(super) fn slices() -> &'static [[AtomicU32; 256]; SLICE_COUNT] {
    if !SLICES_READY.load(Acquire) {
        fill_slices();
    }
    &SLICES
}

#[cold]
fn fill_slices() {
    for (byte, &crc) in BYTE_TABLE.iter().enumerate() {
        SLICES[0][byte].store(crc, Relaxed);
    }
    for pair in SLICES.windows(2) {
        for (before, entry) in pair[0].iter().zip(&pair[1]) {
            // One more zero byte after the bytes the previous table covered.
            let prev = before.load(Relaxed);
            entry.store(BYTE_TABLE[(prev & 0xff) as usize] ^ (prev >> 8), Relaxed);
        }
    }
    SLICES_READY.store(true, Release);
}

/// Feeds one byte into the register `crc`.
#[inline(always)]
pub(super) fn update_byte(crc: u32, byte: u8) -> u32 {
    BYTE_TABLE[usize::from((crc as u8) ^ byte)] ^ (crc >> 8)
}

const fn build_byte_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut byte = 0;
    while byte < 256 {
        let mut crc = byte as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ POLY
            } else {
                crc >> 1
            };
            bit += 1;
        }
        table[byte] = crc;
        byte += 1;
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Threads that fill the tables while others read them only ever see
    /// the right entries once `slices` says they are ready: the filling
    /// is idempotent and takes no lock.
    #[test]
    fn filling_races_with_readers() {
        let want: Vec<u32> = (0..SLICE_COUNT * 256)
            .map(|i| {
                let (k, byte) = (i / 256, i % 256);
                (0..k).fold(BYTE_TABLE[byte], |crc, _| {
                    BYTE_TABLE[(crc & 0xff) as usize] ^ (crc >> 8)
                })
            })
            .collect();
        let want = &want;
        std::thread::scope(|scope| {
            for round in 0..4 {
                scope.spawn(move || {
                    if round % 2 == 0 {
                        fill_slices();
                    }
                    let table = slices();
                    for (i, &want) in want.iter().enumerate() {
                        assert_eq!(table[i / 256][i % 256].load(Relaxed), want, "entry {i}");
                    }
                });
            }
        });
    }
}
