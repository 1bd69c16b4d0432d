//! Combining CRC-32s: the CRC of A‖B from crc(A), crc(B) and len(B).
//!
//! Appending `n` bytes multiplies the CRC register by x^(8n) modulo the CRC
//! polynomial, so combining is one polynomial product. Polynomials are held
//! bit-reflected in a `u32`: bit 31 is x^0 and bit 0 is x^31.

use super::tables::POLY;

/// The polynomial 1 (x^0) in the reflected representation.
const ONE: u32 = 1 << 31;

/// `POWERS[k]` is x^(2^k) modulo the CRC polynomial. The order of x divides
/// 2^32 - 1, so x^(2^32) = x and the table repeats with period 32.
static POWERS: [u32; 32] = build_powers();

/// a(x) * b(x) modulo the CRC polynomial (reflected operands and result).
const fn multiply(a: u32, mut b: u32) -> u32 {
    let mut product = 0;
    let mut bit = ONE;
    while bit != 0 {
        if a & bit != 0 {
            product ^= b;
        }
        // b *= x, reduced.
        b = if b & 1 != 0 { (b >> 1) ^ POLY } else { b >> 1 };
        bit >>= 1;
    }
    product
}

const fn build_powers() -> [u32; 32] {
    let mut powers = [0u32; 32];
    // x^1 is bit 30 in the reflected representation.
    powers[0] = ONE >> 1;
    let mut k = 1;
    while k < 32 {
        powers[k] = multiply(powers[k - 1], powers[k - 1]);
        k += 1;
    }
    powers
}

/// x^(8 * len2) modulo the CRC polynomial: the operator that appends `len2`
/// bytes, for [`crc32_combine_op`]. A negative `len2` gives 0, which
/// [`crc32_combine_op`] treats as invalid (zlib 1.3.2 does the same; 1.3.1
/// never returned).
pub fn crc32_combine_gen(len2: i64) -> u32 {
    // Non-negative i64 fits u64 exactly.
    let Ok(mut n) = u64::try_from(len2) else {
        return 0;
    };
    let mut op = ONE;
    // Bit j of len2 contributes x^(8 * 2^j) = x^(2^(j + 3)).
    let mut k = 3usize;
    while n != 0 {
        if n & 1 != 0 {
            op = multiply(POWERS[k % 32], op);
        }
        n >>= 1;
        k += 1;
    }
    op
}

/// The CRC-32 of A‖B from `crc1` = crc(A), `crc2` = crc(B) and an operator
/// from [`crc32_combine_gen`] for len(B). An `op` of 0 (the operator of a
/// negative length) gives 0, as in zlib.
pub fn crc32_combine_op(crc1: u32, crc2: u32, op: u32) -> u32 {
    if op == 0 {
        return 0;
    }
    multiply(op, crc1) ^ crc2
}

/// The CRC-32 of A‖B from `crc1` = crc(A), `crc2` = crc(B) and `len2` =
/// len(B). A negative `len2` gives 0, as in zlib.
pub fn crc32_combine(crc1: u32, crc2: u32, len2: i64) -> u32 {
    crc32_combine_op(crc1, crc2, crc32_combine_gen(len2))
}
