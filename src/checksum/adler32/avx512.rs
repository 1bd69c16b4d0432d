//! Adler-32 on 512-bit vectors with AVX-512 VNNI: 64 bytes per step. `a`
//! gains the plain byte sums (SAD against zero); `b` gains the bytes
//! weighted by their distance from the end of the step (one VPDPBUSD),
//! plus 64 times `a` as it stood before each step, which is accumulated
//! apart and scaled once per block. Two weighted accumulators take turns,
//! so consecutive steps do not wait on each other's multiply-add.

// A SIMD kernel: its intrinsics are `unsafe`.
#![allow(unsafe_code)]

use core::arch::x86_64::{
    __m512i, _mm512_add_epi32, _mm512_dpbusd_epi32, _mm512_loadu_si512, _mm512_reduce_add_epi32,
    _mm512_sad_epu8, _mm512_setzero_si512, _mm512_slli_epi32, _mm512_zextsi128_si512,
    _mm_cvtsi32_si128,
};

use super::{portable, Kernel, BASE, NMAX};
use crate::cpu::{self, Tier};

/// Bytes per step.
const STEP: usize = 64;
/// Bytes per block: as many whole steps as fit in [`NMAX`], so that the sums
/// of a block cannot overflow before they are reduced.
const BLOCK: usize = NMAX / STEP * STEP;

/// Each byte's weight in `b` within its step: 64 for the first, 1 for the last.
const WEIGHTS: [u8; STEP] = {
    let mut weights = [0u8; STEP];
    let mut i = 0;
    while i < STEP {
        weights[i] = (STEP - i) as u8;
        i += 1;
    }
    weights
};

/// This kernel, if the CPU has AVX-512 (F, BW) and its VNNI multiply-add.
pub(super) fn detect() -> Option<Kernel> {
    (cpu::allows(Tier::Avx512)
        && is_x86_feature_detected!("avx512f")
        && is_x86_feature_detected!("avx512bw")
        && is_x86_feature_detected!("avx512vnni"))
    .then_some(update)
}

fn update(adler: u32, data: &[u8]) -> u32 {
    // SAFETY: `update` is handed out only by `detect`, after checking that
    // the CPU has these features.
    unsafe { update_avx512(adler, data) }
}

/// Loads 64 bytes.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn load(bytes: &[u8; STEP]) -> __m512i {
    // SAFETY: `bytes` is 64 readable bytes and the load is unaligned.
    unsafe { _mm512_loadu_si512(bytes.as_ptr().cast()) }
}

/// Adds one step to the sums: `a` before it into `prior_a`, its bytes into
/// `sum_a`, its weighted bytes into `weighted`.
#[inline]
#[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
fn step(
    bytes: __m512i,
    weights: __m512i,
    sum_a: &mut __m512i,
    prior_a: &mut __m512i,
    weighted: &mut __m512i,
) {
    *prior_a = _mm512_add_epi32(*prior_a, *sum_a);
    *sum_a = _mm512_add_epi32(*sum_a, _mm512_sad_epu8(bytes, _mm512_setzero_si512()));
    *weighted = _mm512_dpbusd_epi32(*weighted, bytes, weights);
}

#[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
unsafe fn update_avx512(adler: u32, data: &[u8]) -> u32 {
    let (mut a, mut b) = (adler & 0xffff, adler >> 16);
    // SAFETY: AVX-512 F is enabled here.
    let weights = unsafe { load(&WEIGHTS) };
    let zero = _mm512_setzero_si512();

    let whole_steps = data.len() / STEP * STEP;
    let (vectorised, tail) = data.split_at(whole_steps);
    for block in vectorised.chunks(BLOCK) {
        let mut sum_a = _mm512_zextsi128_si512(_mm_cvtsi32_si128(a as i32));
        let mut prior_a = zero;
        let (mut weighted_even, mut weighted_odd) = (zero, zero);
        let (steps, _) = block.as_chunks::<STEP>();
        let mut pairs = steps.chunks_exact(2);
        for pair in &mut pairs {
            // SAFETY: AVX-512 F is enabled here.
            let (even, odd) = unsafe { (load(&pair[0]), load(&pair[1])) };
            step(even, weights, &mut sum_a, &mut prior_a, &mut weighted_even);
            step(odd, weights, &mut sum_a, &mut prior_a, &mut weighted_odd);
        }
        for single in pairs.remainder() {
            // SAFETY: AVX-512 F is enabled here.
            let single = unsafe { load(single) };
            step(
                single,
                weights,
                &mut sum_a,
                &mut prior_a,
                &mut weighted_even,
            );
        }
        let sum_b = _mm512_add_epi32(
            _mm512_slli_epi32(prior_a, 6),
            _mm512_add_epi32(weighted_even, weighted_odd),
        );
        // The lanes' wrapping sums are exact: a block's true sums fit in u32.
        a = _mm512_reduce_add_epi32(sum_a) as u32 % BASE;
        b = (b + _mm512_reduce_add_epi32(sum_b) as u32 % BASE) % BASE;
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
            "adler32 avx512: CPU lacks AVX-512 VNNI",
        );
    }
}
