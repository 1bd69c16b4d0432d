//! CRC-32 as in gzip and zlib's `crc32()`: the reflected polynomial
//! 0xedb88320, register preset to all ones and inverted at the end.

mod combine;
mod portable;
mod tables;

#[cfg(target_arch = "x86_64")]
mod pclmul;
#[cfg(target_arch = "x86_64")]
mod vpclmul;

pub use combine::{crc32_combine, crc32_combine_gen, crc32_combine_op};

/// zlib's byte-wise CRC-32 table (`get_crc_table`): entry `b` is the CRC
/// register after feeding byte `b` into a zeroed register.
pub static CRC_TABLE: &[u32; 256] = &tables::BYTE_TABLE;

use super::Kernel;

/// Updates the CRC-32 `start` (0 for no data yet) with `data`.
pub fn crc32(start: u32, data: &[u8]) -> u32 {
    !kernel()(!start, data)
}

/// The fastest kernel this CPU runs. std keeps what the CPU has in atomics,
/// so asking on every call costs a few loads and takes no lock: a one-time
/// initialisation could be inherited half-done by a forked child, which
/// would then wait for it forever.
fn kernel() -> Kernel {
    #[cfg(target_arch = "x86_64")]
    if let Some(kernel) = vpclmul::detect().or_else(pclmul::detect) {
        return kernel;
    }
    portable::update
}

/// Fold constants for the carry-less-multiply kernels (x86_64 only).
#[cfg(target_arch = "x86_64")]
mod fold {
    use super::tables::POLY;

    /// The pair of multipliers that moves a 128-bit lane `distance` bits
    /// further along the message: x^(distance + 32) for its low 64 bits and
    /// x^(distance - 32) for its high 64 bits, reflected and shifted left by
    /// one to suit the reflected carry-less product.
    pub(super) const fn constants(distance: u32) -> (i64, i64) {
        (
            (x_power(distance + 32) << 1) as i64,
            (x_power(distance - 32) << 1) as i64,
        )
    }

    /// x^n modulo the CRC polynomial, reflected.
    const fn x_power(n: u32) -> u64 {
        let mut p: u32 = 1 << 31;
        let mut i = 0;
        while i < n {
            p = if p & 1 != 0 { (p >> 1) ^ POLY } else { p >> 1 };
            i += 1;
        }
        p as u64
    }

    #[test]
    fn matches_published_constants() {
        assert_eq!(constants(512), (0x1_5444_2bd4, 0x1_c6e4_1596));
        assert_eq!(constants(128), (0x1_7519_97d0, 0x0_ccaa_009e));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks `kernel` against the portable kernel at every alignment.
    pub(super) fn check_kernel(kernel: Kernel) {
        crate::checksum::check_kernel_alignments(kernel, portable::update, |seed| {
            seed.rotate_left(7)
        });
    }

    #[test]
    fn check_value() {
        assert_eq!(crc32(0, b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(0, b""), 0);
        assert_eq!(crc32(0xffff_ffff, b""), 0xffff_ffff);
    }

    #[test]
    fn slicing_matches_bytewise() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 + i / 3) as u8).collect();
        for len in [0, 1, 15, 16, 17, 31, 32, 33, 999] {
            let bytewise = data[..len]
                .iter()
                .fold(0x5a5a_5a5a, |c, &b| tables::update_byte(c, b));
            assert_eq!(portable::update(0x5a5a_5a5a, &data[..len]), bytewise);
        }
    }

    #[test]
    fn combine_matches_concatenation() {
        let data: Vec<u8> = (0..3000u32).map(|i| (i * 31 + 5) as u8).collect();
        for split in [0, 1, 2, 100, 1500, 2999, 3000] {
            let (a, b) = data.split_at(split);
            let whole = crc32(0, &data);
            assert_eq!(
                crc32_combine(crc32(0, a), crc32(0, b), b.len() as i64),
                whole
            );
        }
        assert_eq!(crc32_combine(1, 2, -1), 0);
    }
}
