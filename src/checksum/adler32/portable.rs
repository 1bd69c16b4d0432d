//! The portable Adler-32 kernel: sums of 16 bytes at a time, reduced once
//! per block of at most [`NMAX`] bytes.

use super::{BASE, NMAX};

/// Bytes per group.
const GROUP: usize = 16;
/// Bytes per block: whole groups within [`NMAX`], so only the last block
/// ends in a partial group.
const BLOCK: usize = NMAX / GROUP * GROUP;

/// Updates the Adler-32 `adler` (both halves below [`BASE`]) with `data`.
pub(super) fn update(adler: u32, data: &[u8]) -> u32 {
    let (mut a, mut b) = (adler & 0xffff, adler >> 16);
    for block in data.chunks(BLOCK) {
        let mut rest = block;
        while let Some((group, tail)) = rest.split_first_chunk::<GROUP>() {
            // b gains a once per byte plus each byte once per byte from it to
            // the end of the group: the byte-by-byte sums, formed without a
            // chain through every byte (the compiler unrolls the loop).
            let (mut plain, mut weighted) = (0u32, 0u32);
            for (&x, weight) in group.iter().zip((1..=GROUP as u32).rev()) {
                plain += u32::from(x);
                weighted += weight * u32::from(x);
            }
            b += GROUP as u32 * a + weighted;
            a += plain;
            rest = tail;
        }
        for &x in rest {
            a += u32::from(x);
            b += a;
        }
        a %= BASE;
        b %= BASE;
    }
    a | b << 16
}
