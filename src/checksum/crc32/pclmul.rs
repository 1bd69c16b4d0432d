//! CRC-32 by carry-less multiplication (PCLMULQDQ, SSE2): four 128-bit
//! lanes fold 64 bytes per step, one lane folds what is left in 16-byte
//! steps, and the final 16 bytes and the tail go through the portable kernel.
//!
//! Folding keeps the register's meaning: at every step the message so far is
//! equivalent to the lanes' bytes fed into a zeroed register, so the last lane
//! can be finished by the table kernel starting from zero.

// A SIMD kernel: its intrinsics are `unsafe`.
#![allow(unsafe_code)]

use core::arch::x86_64::{
    __m128i, _mm_clmulepi64_si128, _mm_cvtsi32_si128, _mm_loadu_si128, _mm_set_epi64x,
    _mm_storeu_si128, _mm_xor_si128,
};

use super::fold::constants;
use super::{portable, Kernel};
use crate::cpu::{self, Tier};

/// Multipliers that move a lane 512 bits (four lanes) along.
const FOLD_BY_4: (i64, i64) = constants(512);
/// Multipliers that move a lane 128 bits (one lane) along.
pub(super) const FOLD_BY_1: (i64, i64) = constants(128);

/// Shorter inputs go straight to the portable kernel.
const MIN_LEN: usize = 128;

/// This kernel, if the CPU has PCLMULQDQ.
pub(super) fn detect() -> Option<Kernel> {
    let usable = cpu::allows(Tier::Sse)
        && is_x86_feature_detected!("pclmulqdq")
        && is_x86_feature_detected!("sse2");
    usable.then_some(update)
}

fn update(crc: u32, data: &[u8]) -> u32 {
    // SAFETY: `update` is handed out only by `detect`, after checking that
    // the CPU has every feature `update_pclmul` enables.
    unsafe { update_pclmul(crc, data) }
}

/// Loads 16 bytes.
#[inline(always)]
fn load(bytes: &[u8; 16]) -> __m128i {
    // SAFETY: `bytes` is 16 readable bytes and the load is unaligned; SSE2 is
    // part of the x86_64 baseline.
    unsafe { _mm_loadu_si128(bytes.as_ptr().cast()) }
}

/// Moves `lane` along by the distance `k` was built for.
#[inline]
#[target_feature(enable = "pclmulqdq,sse2")]
pub(super) unsafe fn fold(lane: __m128i, k: __m128i) -> __m128i {
    _mm_xor_si128(
        _mm_clmulepi64_si128(lane, k, 0x00),
        _mm_clmulepi64_si128(lane, k, 0x11),
    )
}

#[target_feature(enable = "pclmulqdq,sse2")]
unsafe fn update_pclmul(crc: u32, data: &[u8]) -> u32 {
    if data.len() < MIN_LEN {
        return portable::update(crc, data);
    }
    let Some((first, mut rest)) = data.split_first_chunk::<64>() else {
        return portable::update(crc, data);
    };
    let chunk = |block: &[u8; 64], i: usize| -> __m128i {
        let mut lane = [0u8; 16];
        lane.copy_from_slice(&block[16 * i..16 * i + 16]);
        load(&lane)
    };
    let by_4 = _mm_set_epi64x(FOLD_BY_4.1, FOLD_BY_4.0);
    let by_1 = _mm_set_epi64x(FOLD_BY_1.1, FOLD_BY_1.0);

    // The incoming register joins the first four message bytes.
    let mut lanes = [
        _mm_xor_si128(chunk(first, 0), _mm_cvtsi32_si128(crc as i32)),
        chunk(first, 1),
        chunk(first, 2),
        chunk(first, 3),
    ];
    while let Some((block, tail)) = rest.split_first_chunk::<64>() {
        for (i, lane) in lanes.iter_mut().enumerate() {
            // SAFETY: the caller's features are this function's.
            *lane = _mm_xor_si128(unsafe { fold(*lane, by_4) }, chunk(block, i));
        }
        rest = tail;
    }
    let [a, b, c, d] = lanes;
    // SAFETY: as above.
    let mut acc = unsafe { _mm_xor_si128(fold(_mm_xor_si128(fold(a, by_1), b), by_1), c) };
    // SAFETY: as above.
    acc = unsafe { _mm_xor_si128(fold(acc, by_1), d) };
    // SAFETY: as above.
    unsafe { finish(acc, rest) }
}

/// Folds the remaining 16-byte blocks of `rest` into the lane `acc`, then
/// finishes the lane and the tail with the portable kernel.
#[target_feature(enable = "pclmulqdq,sse2")]
pub(super) unsafe fn finish(mut acc: __m128i, mut rest: &[u8]) -> u32 {
    let by_1 = _mm_set_epi64x(FOLD_BY_1.1, FOLD_BY_1.0);
    while let Some((block, tail)) = rest.split_first_chunk::<16>() {
        // SAFETY: the caller's features are this function's.
        acc = _mm_xor_si128(unsafe { fold(acc, by_1) }, load(block));
        rest = tail;
    }
    let mut last = [0u8; 16];
    // SAFETY: `last` is 16 writable bytes; the store is unaligned.
    unsafe { _mm_storeu_si128(last.as_mut_ptr().cast(), acc) };
    portable::update(portable::update(0, &last), rest)
}

#[cfg(test)]
mod tests {
    #[test]
    fn matches_portable() {
        crate::checksum::check_detected(
            super::detect(),
            super::super::tests::check_kernel,
            "pclmul: CPU lacks PCLMULQDQ",
        );
    }
}
