//! Adler-32 on 256-bit vectors (AVX2): 64 bytes per step. `a` gains the
//! plain byte sums (SAD against zero); `b` gains the bytes weighted by their
//! distance from the end of the step, plus 64 times `a` as it stood before
//! each step, which is accumulated apart and scaled once per block.

// A SIMD kernel: its intrinsics are `unsafe`.
#![allow(unsafe_code)]

use core::arch::x86_64::{
    __m256i, _mm256_add_epi32, _mm256_castsi256_si128, _mm256_extracti128_si256,
    _mm256_loadu_si256, _mm256_madd_epi16, _mm256_maddubs_epi16, _mm256_sad_epu8,
    _mm256_set1_epi16, _mm256_setr_epi8, _mm256_setzero_si256, _mm256_slli_epi32,
    _mm256_zextsi128_si256, _mm_add_epi32, _mm_cvtsi128_si32, _mm_cvtsi32_si128, _mm_shuffle_epi32,
};

use super::{portable, Kernel, BASE, NMAX};
use crate::cpu::{self, Tier};

/// Bytes per step.
const STEP: usize = 64;
/// Bytes per block: as many whole steps as fit in [`NMAX`], so that the sums
/// of a block cannot overflow before they are reduced.
const BLOCK: usize = NMAX / STEP * STEP;

/// This kernel, if the CPU has AVX2.
pub(super) fn detect() -> Option<Kernel> {
    (cpu::allows(Tier::Avx2) && is_x86_feature_detected!("avx2")).then_some(update)
}

fn update(adler: u32, data: &[u8]) -> u32 {
    // SAFETY: `update` is handed out only by `detect`, after checking that
    // the CPU has AVX2.
    unsafe { update_avx2(adler, data) }
}

/// Loads 32 bytes.
#[inline]
#[target_feature(enable = "avx2")]
unsafe fn load(bytes: &[u8]) -> __m256i {
    let mut lane = [0u8; 32];
    lane.copy_from_slice(&bytes[..32]);
    // SAFETY: `lane` is 32 readable bytes and the load is unaligned.
    unsafe { _mm256_loadu_si256(lane.as_ptr().cast()) }
}

/// The wrapping sum of the eight 32-bit lanes of `v`.
#[inline]
#[target_feature(enable = "avx2")]
unsafe fn sum_lanes(v: __m256i) -> u32 {
    let half = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    let quarter = _mm_add_epi32(half, _mm_shuffle_epi32(half, 0b01_00_11_10));
    let one = _mm_add_epi32(quarter, _mm_shuffle_epi32(quarter, 0b10_11_00_01));
    _mm_cvtsi128_si32(one) as u32
}

#[target_feature(enable = "avx2")]
unsafe fn update_avx2(adler: u32, data: &[u8]) -> u32 {
    let (mut a, mut b) = (adler & 0xffff, adler >> 16);
    // Weights of the first and second 32 bytes of a step: 64..=33, 32..=1.
    #[rustfmt::skip]
    let weights_first = _mm256_setr_epi8(
        64, 63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49,
        48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33,
    );
    #[rustfmt::skip]
    let weights_second = _mm256_setr_epi8(
        32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17,
        16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1,
    );
    let ones = _mm256_set1_epi16(1);
    let zero = _mm256_setzero_si256();

    let whole_steps = data.len() / STEP * STEP;
    let (vectorised, tail) = data.split_at(whole_steps);
    for block in vectorised.chunks(BLOCK) {
        let mut sum_a = _mm256_zextsi128_si256(_mm_cvtsi32_si128(a as i32));
        let mut sum_b = _mm256_zextsi128_si256(_mm_cvtsi32_si128(b as i32));
        // The sum of `sum_a` before each step; b gains 64 times it.
        let mut prior_a = zero;
        // Weighted sums of the two halves, kept apart to shorten the chains.
        let mut weighted_first = zero;
        let mut weighted_second = zero;
        for step in block.chunks_exact(STEP) {
            // SAFETY: the chunk has 64 bytes; AVX2 is enabled here.
            let (first, second) = unsafe { (load(step), load(&step[32..])) };
            prior_a = _mm256_add_epi32(prior_a, sum_a);
            sum_a = _mm256_add_epi32(
                sum_a,
                _mm256_add_epi32(_mm256_sad_epu8(first, zero), _mm256_sad_epu8(second, zero)),
            );
            weighted_first = _mm256_add_epi32(
                weighted_first,
                _mm256_madd_epi16(_mm256_maddubs_epi16(first, weights_first), ones),
            );
            weighted_second = _mm256_add_epi32(
                weighted_second,
                _mm256_madd_epi16(_mm256_maddubs_epi16(second, weights_second), ones),
            );
        }
        sum_b = _mm256_add_epi32(sum_b, _mm256_slli_epi32(prior_a, 6));
        sum_b = _mm256_add_epi32(sum_b, _mm256_add_epi32(weighted_first, weighted_second));
        // SAFETY: AVX2 is enabled here.
        unsafe {
            a = sum_lanes(sum_a) % BASE;
            b = sum_lanes(sum_b) % BASE;
        }
    }
    portable::update(a | b << 16, tail)
}

#[cfg(test)]
mod tests {
    #[test]
    fn matches_portable() {
        crate::checksum::check_detected(
            super::detect(),
            super::super::tests::check_kernel,
            "adler32 avx2: CPU lacks AVX2",
        );
    }
}
