//! CRC-32 by carry-less multiplication on 512-bit vectors (VPCLMULQDQ,
//! AVX-512F): four vectors fold 256 bytes per step, then one vector folds
//! 64-byte steps, and the 128-bit kernel ([`super::pclmul`]) finishes.

// A SIMD kernel: its intrinsics are `unsafe`.
#![allow(unsafe_code)]

use core::arch::x86_64::{
    __m128i, __m512i, _mm512_broadcast_i32x4, _mm512_clmulepi64_epi128, _mm512_extracti32x4_epi32,
    _mm512_loadu_si512, _mm512_maskz_set1_epi32, _mm512_ternarylogic_epi64, _mm512_xor_si512,
    _mm_set_epi64x, _mm_xor_si128,
};

use super::fold::constants;
use super::pclmul::{self, FOLD_BY_1};
use super::{portable, Kernel};
use crate::cpu::{self, Tier};

/// Multipliers that move each 128-bit lane 2048 bits (four vectors) along.
const FOLD_BY_16: (i64, i64) = constants(2048);
/// Multipliers that move each 128-bit lane 512 bits (one vector) along.
const FOLD_BY_4: (i64, i64) = constants(512);

/// Shorter inputs go to the 128-bit kernel's finishing loop or the portable
/// kernel; the wide setup does not pay off below this.
const MIN_LEN: usize = 512;

/// This kernel, if the CPU has VPCLMULQDQ and AVX-512F.
pub(super) fn detect() -> Option<Kernel> {
    let usable = cpu::allows(Tier::Avx512)
        && is_x86_feature_detected!("vpclmulqdq")
        && is_x86_feature_detected!("avx512f")
        && is_x86_feature_detected!("pclmulqdq");
    usable.then_some(update)
}

fn update(crc: u32, data: &[u8]) -> u32 {
    // SAFETY: `update` is handed out only by `detect`, after checking that
    // the CPU has every feature `update_vpclmul` enables.
    unsafe { update_vpclmul(crc, data) }
}

/// Loads 64 bytes.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn load(bytes: &[u8; 64]) -> __m512i {
    // SAFETY: `bytes` is 64 readable bytes and the load is unaligned.
    unsafe { _mm512_loadu_si512(bytes.as_ptr().cast()) }
}

/// Moves every 128-bit lane of `v` along by the distance `k` was built for
/// and adds (xors) `next`.
#[inline]
#[target_feature(enable = "avx512f,vpclmulqdq")]
unsafe fn fold_into(v: __m512i, k: __m512i, next: __m512i) -> __m512i {
    _mm512_ternarylogic_epi64(
        _mm512_clmulepi64_epi128(v, k, 0x00),
        _mm512_clmulepi64_epi128(v, k, 0x11),
        next,
        0x96, // a ^ b ^ c
    )
}

#[target_feature(enable = "avx512f,vpclmulqdq,pclmulqdq,sse2")]
unsafe fn update_vpclmul(crc: u32, data: &[u8]) -> u32 {
    if data.len() < MIN_LEN {
        return portable::update(crc, data);
    }
    let Some((first, mut rest)) = data.split_first_chunk::<256>() else {
        return portable::update(crc, data);
    };
    let vector = |block: &[u8; 256], i: usize| -> __m512i {
        let mut bytes = [0u8; 64];
        bytes.copy_from_slice(&block[64 * i..64 * i + 64]);
        // SAFETY: the enclosing function's features include AVX-512F.
        unsafe { load(&bytes) }
    };
    let by_16 = _mm512_broadcast_i32x4(_mm_set_epi64x(FOLD_BY_16.1, FOLD_BY_16.0));
    let by_4 = _mm512_broadcast_i32x4(_mm_set_epi64x(FOLD_BY_4.1, FOLD_BY_4.0));

    // The incoming register joins the first four message bytes.
    let mut vectors = [
        _mm512_xor_si512(vector(first, 0), _mm512_maskz_set1_epi32(1, crc as i32)),
        vector(first, 1),
        vector(first, 2),
        vector(first, 3),
    ];
    while let Some((block, tail)) = rest.split_first_chunk::<256>() {
        for (i, v) in vectors.iter_mut().enumerate() {
            // SAFETY: the caller's features are this function's.
            *v = unsafe { fold_into(*v, by_16, vector(block, i)) };
        }
        rest = tail;
    }
    let [a, b, c, d] = vectors;
    // SAFETY: as above.
    let mut acc = unsafe { fold_into(fold_into(fold_into(a, by_4, b), by_4, c), by_4, d) };
    while let Some((block, tail)) = rest.split_first_chunk::<64>() {
        // SAFETY: as above.
        acc = unsafe { fold_into(acc, by_4, load(block)) };
        rest = tail;
    }
    // Fold the four 128-bit lanes of `acc` into one.
    let by_1 = _mm_set_epi64x(FOLD_BY_1.1, FOLD_BY_1.0);
    let lanes: [__m128i; 4] = [
        _mm512_extracti32x4_epi32(acc, 0),
        _mm512_extracti32x4_epi32(acc, 1),
        _mm512_extracti32x4_epi32(acc, 2),
        _mm512_extracti32x4_epi32(acc, 3),
    ];
    let mut lane = lanes[0];
    for next in &lanes[1..] {
        // SAFETY: as above.
        lane = _mm_xor_si128(unsafe { pclmul::fold(lane, by_1) }, *next);
    }
    // SAFETY: as above.
    unsafe { pclmul::finish(lane, rest) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn matches_portable() {
        crate::checksum::check_detected(
            super::detect(),
            super::super::tests::check_kernel,
            "vpclmul: CPU lacks VPCLMULQDQ/AVX-512F",
        );
    }
}
