//! A small seeded generator for bootstrap resampling (no dependency): SplitMix64.

/// SplitMix64 (Steele, Lea & Flood 2014; the seeding generator of xoshiro): 64-bit state,
/// passes BigCrush, and `stream(seed, b)` gives each resample its own independent-looking
/// stream so results do not depend on how resamples are spread over threads.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    /// The generator for resample `b` under `seed`.
    pub(crate) fn stream(seed: u64, b: u64) -> SplitMix64 {
        let mut g = SplitMix64(seed ^ 0x5851_F42D_4C95_7F2D);
        // Advance by b golden-ratio steps and scramble, so streams for b and b+1 differ in
        // all bits.
        g.0 = g.0.wrapping_add(b.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let s = g.next_u64();
        SplitMix64(s)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform index in `0..n` by Lemire's multiply-shift (bias below n / 2^64).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_reference_value() {
        // SplitMix64 with state 0: first output 0xE220A8397B1DCDAF (Vigna's reference C code).
        let mut g = SplitMix64(0);
        assert_eq!(g.next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn below_stays_in_range_and_streams_differ() {
        let mut g = SplitMix64::stream(7, 0);
        assert!((0..1000).all(|_| g.below(13) < 13));
        let a = SplitMix64::stream(7, 0).next_u64();
        let b = SplitMix64::stream(7, 1).next_u64();
        assert_ne!(a, b);
    }
}
