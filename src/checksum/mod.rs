//! The two checksums of the zlib formats: Adler-32 (zlib streams) and CRC-32
//! (gzip members), with the functions that combine the checksums of two
//! adjacent pieces of data.
//!
//! Each checksum has a portable kernel and, on x86_64, SIMD kernels that are
//! picked at run time from what the CPU supports (std caches the features it
//! detects, in atomics, so the choice is safe across fork). Every kernel gives
//! the same results; only the speed differs.

// Safe Rust but for the SIMD kernels, which allow `unsafe` for their
// intrinsics.
#![deny(unsafe_code)]

mod adler32;
mod crc32;

pub use adler32::{adler32, adler32_combine};
pub use crc32::{crc32, crc32_combine, crc32_combine_gen, crc32_combine_op, CRC_TABLE};

/// A checksum kernel: the running value and the next bytes in, the updated
/// value out.
pub(crate) type Kernel = fn(u32, &[u8]) -> u32;

/// Runs `check` on a SIMD kernel when the CPU has what it needs
/// (`detected`), and says so when it does not (`missing`).
#[cfg(test)]
pub(crate) fn check_detected(detected: Option<Kernel>, check: fn(Kernel), missing: &str) {
    match detected {
        Some(kernel) => check(kernel),
        None => eprintln!("{missing}, kernel not tested"),
    }
}

/// Checks `kernel` against `reference` on a spread of lengths (all of 0..8,
/// then random ones below 5000) at every alignment 0..63, with running
/// values drawn by `start_from(seed)`.
#[cfg(test)]
pub(crate) fn check_kernel_alignments(
    kernel: Kernel,
    reference: Kernel,
    start_from: fn(u32) -> u32,
) {
    let buffer: Vec<u8> = (0..6000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let mut seed = 0x1234_5678u32;
    for align in 0..64 {
        for round in 0..40 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let len = if round < 8 {
                round
            } else {
                seed as usize % 5000
            };
            let data = &buffer[align..align + len];
            let start = start_from(seed);
            assert_eq!(
                kernel(start, data),
                reference(start, data),
                "len {len} align {align}"
            );
        }
    }
}
