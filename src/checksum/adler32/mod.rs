//! Adler-32 as in zlib streams (RFC 1950): two sums modulo 65521, `a` of the
//! bytes plus one and `b` of the successive values of `a`, packed as b:a.

mod portable;

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
#[cfg(target_arch = "x86_64")]
mod ssse3;

/// The largest prime below 2^16.
const BASE: u32 = 65521;
/// The most bytes that can be summed before `b` must be reduced: the largest
/// n with 255n(n+1)/2 + (n+1)(BASE-1) <= 2^32-1.
const NMAX: usize = 5552;

use super::Kernel;

/// Updates the Adler-32 `start` (1 for no data yet) with `data`.
///
/// The halves of `start` are taken modulo 2^16, as zlib does. For one byte,
/// each half is reduced by a single subtraction of 65521 (zlib's fast path),
/// so a `start` whose halves are not reduced can give a half that is not
/// reduced either, exactly as in zlib.
pub fn adler32(start: u32, data: &[u8]) -> u32 {
    let (mut a, mut b) = (start & 0xffff, start >> 16);
    match data {
        [byte] => {
            a = reduce_once(a + u32::from(*byte));
            b = reduce_once(b + a);
        }
        // Few bytes: sum directly, as zlib does below 16 bytes.
        _ if data.len() < 16 => {
            for &byte in data {
                a += u32::from(byte);
                b += a;
            }
            a = reduce_once(a);
            b %= BASE;
        }
        _ => return kernel()((a % BASE) | (b % BASE) << 16, data),
    }
    a | b << 16
}

/// Subtracts [`BASE`] once if `x` is not below it.
fn reduce_once(x: u32) -> u32 {
    if x >= BASE {
        x - BASE
    } else {
        x
    }
}

/// The Adler-32 of A‖B from `adler1` = adler32(A), `adler2` = adler32(B)
/// and `len2` = len(B). A negative `len2` gives 0xffffffff, as in zlib.
///
/// The result is a `u64` because zlib's is a `uLong` that can exceed 32 bits:
/// when a half of an input is not reduced modulo 65521, a half of the result
/// can reach 2^16 and spill into the next bit. For checksums that
/// [`adler32`] produced the result always fits in 32 bits. The sums are
/// formed and corrected exactly as zlib forms them, so the result is zlib's
/// for every input.
pub fn adler32_combine(adler1: u32, adler2: u32, len2: i64) -> u64 {
    let Ok(len2) = u64::try_from(len2) else {
        return 0xffff_ffff;
    };
    let base = u64::from(BASE);
    // Below BASE, so it fits in u32 and the products below in u64.
    let rem = len2 % base;
    let (a1, b1) = (u64::from(adler1 & 0xffff), u64::from(adler1 >> 16));
    let (a2, b2) = (u64::from(adler2 & 0xffff), u64::from(adler2 >> 16));
    // A's `a` counts once more per byte of B in `b`; the `1` that each
    // checksum starts `a` with is counted twice and is taken out once.
    let mut a = a1 + a2 + base - 1;
    let mut b = (rem * a1) % base + b1 + b2 + base - rem;
    for _ in 0..2 {
        if a >= base {
            a -= base;
        }
    }
    if b >= 2 * base {
        b -= 2 * base;
    }
    if b >= base {
        b -= base;
    }
    // Each half is below BASE for reduced inputs; zlib packs them the same
    // way (overlapping) when they are not.
    a | b << 16
}

/// The fastest kernel this CPU runs. std keeps what the CPU has in atomics,
/// so asking on every call costs a few loads and takes no lock: a one-time
/// initialisation could be inherited half-done by a forked child, which
/// would then wait for it forever.
fn kernel() -> Kernel {
    #[cfg(target_arch = "x86_64")]
    if let Some(kernel) = avx512::detect()
        .or_else(avx2::detect)
        .or_else(ssse3::detect)
    {
        return kernel;
    }
    portable::update
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks `kernel` against the portable kernel at every alignment, and
    /// on buffers long enough to cross several reductions.
    pub(super) fn check_kernel(kernel: Kernel) {
        let start_from = |seed: u32| (seed % BASE) | ((seed >> 7) % BASE) << 16;
        crate::checksum::check_kernel_alignments(kernel, portable::update, start_from);
        let buffer: Vec<u8> = (0..40_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
            .collect();
        let ones = vec![0xffu8; 40_000];
        for data in [&buffer[..], &ones[..]] {
            for len in [NMAX - 1, NMAX, NMAX + 1, 3 * NMAX + 17, data.len()] {
                let start = (BASE - 1) | (BASE - 1) << 16;
                assert_eq!(
                    kernel(start, &data[..len]),
                    portable::update(start, &data[..len])
                );
            }
        }
    }

    #[test]
    fn known_values() {
        assert_eq!(adler32(1, b""), 1);
        assert_eq!(adler32(1, b"Wikipedia"), 0x11e6_0398);
        let long = vec![0xffu8; 100_000];
        let naive = long.iter().fold((1u64, 0u64), |(a, b), &x| {
            let a = (a + u64::from(x)) % 65521;
            (a, (b + a) % 65521)
        });
        assert_eq!(adler32(1, &long), (naive.0 | naive.1 << 16) as u32);
    }

    #[test]
    fn portable_matches_bytewise() {
        check_kernel(|start, data| {
            let (mut a, mut b) = (start & 0xffff, start >> 16);
            for &x in data {
                a = (a + u32::from(x)) % BASE;
                b = (b + a) % BASE;
            }
            a | b << 16
        });
    }

    #[test]
    fn combine_matches_concatenation() {
        let data: Vec<u8> = (0..20_000u32).map(|i| (i * 31 + 5) as u8).collect();
        for split in [0, 1, 2, 100, 15_000, 19_999, 20_000] {
            let (a, b) = data.split_at(split);
            let whole = adler32(1, &data);
            assert_eq!(
                adler32_combine(adler32(1, a), adler32(1, b), b.len() as i64),
                u64::from(whole)
            );
        }
        assert_eq!(adler32_combine(1, 1, -1), 0xffff_ffff);
    }
}
