//! Adler-32 on 128-bit vectors (SSSE3), for x86_64 CPUs without AVX2: the
//! scheme of [`super::avx2`] with 32-byte steps.

// A SIMD kernel: its intrinsics are `unsafe`.
#![allow(unsafe_code)]

use core::arch::x86_64::{
    __m128i, _mm_add_epi32, _mm_cvtsi128_si32, _mm_cvtsi32_si128, _mm_loadu_si128, _mm_madd_epi16,
    _mm_maddubs_epi16, _mm_sad_epu8, _mm_set1_epi16, _mm_setr_epi8, _mm_setzero_si128,
    _mm_shuffle_epi32, _mm_slli_epi32,
};

use super::{portable, Kernel, BASE, NMAX};
use crate::cpu::{self, Tier};

/// Bytes per step.
const STEP: usize = 32;
/// Bytes per block: as many whole steps as fit in [`NMAX`].
const BLOCK: usize = NMAX / STEP * STEP;

/// This kernel, if the CPU has SSSE3.
pub(super) fn detect() -> Option<Kernel> {
    (cpu::allows(Tier::Sse) && is_x86_feature_detected!("ssse3")).then_some(update)
}

fn update(adler: u32, data: &[u8]) -> u32 {
    // SAFETY: `update` is handed out only by `detect`, after checking that
    // the CPU has SSSE3.
    unsafe { update_ssse3(adler, data) }
}

/// Loads 16 bytes.
#[inline]
#[target_feature(enable = "ssse3")]
unsafe fn load(bytes: &[u8]) -> __m128i {
    let mut lane = [0u8; 16];
    lane.copy_from_slice(&bytes[..16]);
    // SAFETY: `lane` is 16 readable bytes and the load is unaligned.
    unsafe { _mm_loadu_si128(lane.as_ptr().cast()) }
}

/// The wrapping sum of the four 32-bit lanes of `v`.
#[inline]
#[target_feature(enable = "ssse3")]
unsafe fn sum_lanes(v: __m128i) -> u32 {
    let half = _mm_add_epi32(v, _mm_shuffle_epi32(v, 0b01_00_11_10));
    let one = _mm_add_epi32(half, _mm_shuffle_epi32(half, 0b10_11_00_01));
    _mm_cvtsi128_si32(one) as u32
}

#[target_feature(enable = "ssse3")]
unsafe fn update_ssse3(adler: u32, data: &[u8]) -> u32 {
    let (mut a, mut b) = (adler & 0xffff, adler >> 16);
    // Weights of the first and second 16 bytes of a step: 32..=17, 16..=1.
    let weights_first = _mm_setr_epi8(
        32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17,
    );
    let weights_second = _mm_setr_epi8(16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
    let ones = _mm_set1_epi16(1);
    let zero = _mm_setzero_si128();

    let whole_steps = data.len() / STEP * STEP;
    let (vectorised, tail) = data.split_at(whole_steps);
    for block in vectorised.chunks(BLOCK) {
        let mut sum_a = _mm_cvtsi32_si128(a as i32);
        let mut sum_b = _mm_cvtsi32_si128(b as i32);
        let mut prior_a = zero;
        let mut weighted = zero;
        for step in block.chunks_exact(STEP) {
            // SAFETY: the chunk has 32 bytes; SSSE3 is enabled here.
            let (first, second) = unsafe { (load(step), load(&step[16..])) };
            prior_a = _mm_add_epi32(prior_a, sum_a);
            sum_a = _mm_add_epi32(
                sum_a,
                _mm_add_epi32(_mm_sad_epu8(first, zero), _mm_sad_epu8(second, zero)),
            );
            let products = _mm_add_epi32(
                _mm_madd_epi16(_mm_maddubs_epi16(first, weights_first), ones),
                _mm_madd_epi16(_mm_maddubs_epi16(second, weights_second), ones),
            );
            weighted = _mm_add_epi32(weighted, products);
        }
        sum_b = _mm_add_epi32(sum_b, _mm_slli_epi32(prior_a, 5));
        sum_b = _mm_add_epi32(sum_b, weighted);
        // SAFETY: SSSE3 is enabled here.
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
            "adler32 ssse3: CPU lacks SSSE3",
        );
    }
}
