//! The CRC-32 lookup tables, built at compile time.
//!
//! `SLICES[k][b]` is the CRC register after feeding byte `b` followed by `k`
//! zero bytes into a zeroed register. `SLICES[0]` is the classic byte-wise
//! table that zlib's `get_crc_table` hands out; the other fifteen let the
//! portable kernel consume 16 bytes per step (slicing-by-16).

/// The CRC-32 polynomial x^32 + x^26 + ... + 1, bit-reflected, x^32 implied.
pub(super) const POLY: u32 = 0xedb8_8320;

/// How many bytes one step of the slicing kernel consumes.
pub(super) const SLICE_COUNT: usize = 16;

/// The byte-wise table, then one table per extra zero byte.
pub(super) static SLICES: [[u32; 256]; SLICE_COUNT] = build_slices();

/// Feeds one byte into the register `crc`.
#[inline(always)]
pub(super) fn update_byte(crc: u32, byte: u8) -> u32 {
    SLICES[0][usize::from((crc as u8) ^ byte)] ^ (crc >> 8)
}

const fn build_slices() -> [[u32; 256]; SLICE_COUNT] {
    let mut slices = [[0u32; 256]; SLICE_COUNT];
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
        slices[0][byte] = crc;
        byte += 1;
    }
    let mut k = 1;
    while k < SLICE_COUNT {
        let mut byte = 0;
        while byte < 256 {
            // One more zero byte after the bytes the previous table covered.
            let prev = slices[k - 1][byte];
            slices[k][byte] = slices[0][(prev & 0xff) as usize] ^ (prev >> 8);
            byte += 1;
        }
        k += 1;
    }
    slices
}
