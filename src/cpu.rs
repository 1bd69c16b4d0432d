//! How far up the instruction sets the kernels may go: as far as the CPU
//! goes, or less when the environment variable `RZLIB_CPU` says so. On a
//! machine with AVX-512 the capped run takes the code that other CPUs take,
//! so the tests check every kernel and the benchmarks measure them
//! (`RZLIB_CPU=avx2`: what an AVX2 CPU runs; `sse`: SSSE3 and PCLMULQDQ;
//! `portable`: no SIMD at all). Any other value, or none, caps nothing.

#![forbid(unsafe_code)]

use core::sync::atomic::{AtomicU8, Ordering};

/// A rung of the ladder of instruction sets that rzlib's kernels use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Tier {
    /// Plain Rust, on every CPU.
    Portable = 1,
    /// SSSE3 and PCLMULQDQ (x86-64 CPUs since about 2010).
    Sse = 2,
    /// AVX2 and BMI2 (since 2013-2015).
    Avx2 = 3,
    /// AVX-512 and VPCLMULQDQ.
    Avx512 = 4,
}

/// The variable that caps the tier.
pub const CPU_VARIABLE: &str = "RZLIB_CPU";

/// The cap, once read: `UNREAD` or a tier's value. A plain atomic rather
/// than a lock, so that a child forked while another thread reads the
/// variable never inherits a lock held.
static CAP: AtomicU8 = AtomicU8::new(UNREAD);
const UNREAD: u8 = 0;

/// The tier named `name`; `None` for a name that caps nothing.
fn tier_named(name: &[u8]) -> Option<Tier> {
    match name {
        b"portable" => Some(Tier::Portable),
        b"sse" => Some(Tier::Sse),
        b"avx2" => Some(Tier::Avx2),
        _ => None,
    }
}

/// Whether kernels of `tier` may run (the CPU must still be asked whether
/// it has their instructions). A few loads once the cap is read.
#[inline]
pub(crate) fn allows(tier: Tier) -> bool {
    let mut cap = CAP.load(Ordering::Relaxed);
    if cap == UNREAD {
        let named = std::env::var_os(CPU_VARIABLE).and_then(|v| tier_named(v.as_encoded_bytes()));
        cap = named.unwrap_or(Tier::Avx512) as u8;
        // Threads reading at once read the same environment: any store is
        // right.
        CAP.store(cap, Ordering::Relaxed);
    }
    tier as u8 <= cap
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cap_their_tier_and_above() {
        assert_eq!(tier_named(b"portable"), Some(Tier::Portable));
        assert_eq!(tier_named(b"sse"), Some(Tier::Sse));
        assert_eq!(tier_named(b"avx2"), Some(Tier::Avx2));
        assert_eq!(tier_named(b"avx512"), None);
        assert_eq!(tier_named(b"AVX2"), None);
        assert!(Tier::Portable < Tier::Sse && Tier::Sse < Tier::Avx2 && Tier::Avx2 < Tier::Avx512);
    }
}
