//! The portable Adler-32 kernel: sums of 8 bytes at a time, reduced once per
//! [`NMAX`] bytes.

use super::{BASE, NMAX};

/// Updates the Adler-32 `adler` (both halves below [`BASE`]) with `data`.
pub(super) fn update(adler: u32, data: &[u8]) -> u32 {
    let (mut a, mut b) = (adler & 0xffff, adler >> 16);
    // NMAX is a multiple of 8, so only the last chunk has a partial group.
    for chunk in data.chunks(NMAX) {
        let mut rest = chunk;
        while let Some((group, tail)) = rest.split_first_chunk::<8>() {
            // b gains a once per byte plus each byte once per byte after it
            // (itself included): the same sums as byte by byte, with a
            // shorter dependency chain.
            let weighted = group
                .iter()
                .zip((1..=8u32).rev())
                .fold(0, |sum, (&x, w)| sum + w * u32::from(x));
            let plain = group.iter().fold(0, |sum, &x| sum + u32::from(x));
            b += 8 * a + weighted;
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
