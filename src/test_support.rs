//! Helpers for the unit tests; `tests/common` includes this file too, so the integration
//! tests share them.

/// A deterministic uniform generator on [0, 1) for large test inputs: Knuth's MMIX linear
/// congruential step, the top 53 bits as the fraction.
pub(crate) fn lcg(seed: u64) -> impl FnMut() -> f64 {
    let mut s = seed;
    move || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 11) as f64 / (1u64 << 53) as f64
    }
}
