//! The portable CRC-32 kernel: slicing-by-16, then byte at a time.

use core::sync::atomic::Ordering::Relaxed;

use super::tables::{slices, update_byte, SLICE_COUNT};

/// Feeds `data` into the CRC register `crc` (pre-inverted, as the kernels
/// take it) and returns the new register.
pub(super) fn update(mut crc: u32, data: &[u8]) -> u32 {
    let mut rest = data;
    let table = slices();
    while let Some((block, tail)) = rest.split_first_chunk::<SLICE_COUNT>() {
        let word =
            |i: usize| u32::from_le_bytes([block[i], block[i + 1], block[i + 2], block[i + 3]]);
        // Byte j of the block is followed by 15 - j more bytes of the block,
        // so it is looked up in table[15 - j].
        let lookup = |word: u32, first: usize| {
            let [b0, b1, b2, b3] = word.to_le_bytes();
            table[first][usize::from(b0)].load(Relaxed)
                ^ table[first - 1][usize::from(b1)].load(Relaxed)
                ^ table[first - 2][usize::from(b2)].load(Relaxed)
                ^ table[first - 3][usize::from(b3)].load(Relaxed)
        };
        // The twelve lookups that do not depend on `crc` come first, so
        // that they overlap with the previous block's.
        let independent = lookup(word(4), 11) ^ lookup(word(8), 7) ^ lookup(word(12), 3);
        crc = independent ^ lookup(word(0) ^ crc, 15);
        rest = tail;
    }
    rest.iter().fold(crc, |crc, &byte| update_byte(crc, byte))
}
