//! The portable CRC-32 kernel: slicing-by-16, then byte at a time.

use super::tables::{update_byte, SLICES, SLICE_COUNT};

/// Feeds `data` into the CRC register `crc` (pre-inverted, as the kernels
/// take it) and returns the new register.
pub(super) fn update(mut crc: u32, data: &[u8]) -> u32 {
    let mut rest = data;
    while let Some((block, tail)) = rest.split_first_chunk::<SLICE_COUNT>() {
        let head = u32::from_le_bytes([block[0], block[1], block[2], block[3]]) ^ crc;
        let mut next = 0;
        // Byte i of the block is followed by 15 - i more bytes of the block.
        for (i, byte) in head.to_le_bytes().iter().chain(&block[4..]).enumerate() {
            next ^= SLICES[SLICE_COUNT - 1 - i][usize::from(*byte)];
        }
        crc = next;
        rest = tail;
    }
    rest.iter().fold(crc, |crc, &byte| update_byte(crc, byte))
}
