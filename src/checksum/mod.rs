//! The two checksums of the zlib formats: Adler-32 (zlib streams) and CRC-32
//! (gzip members), with the functions that combine the checksums of two
//! adjacent pieces of data.
//!
//! Each checksum has a portable kernel and, on x86_64, SIMD kernels that are
//! picked at run time from what the CPU supports (the choice is made once and
//! cached). Every kernel gives the same results; only the speed differs.

mod adler32;
mod crc32;

pub use adler32::{adler32, adler32_combine};
pub use crc32::{crc32, crc32_combine, crc32_combine_gen, crc32_combine_op, CRC_TABLE};
