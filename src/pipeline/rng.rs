//! A small seeded generator (SplitMix64) for the synthetic base: no dependency, the same
//! stream on every platform.

/// SplitMix64 (Steele, Lea & Flood 2014): 64-bit state, full period, passes BigCrush
/// when used as a stream. Uniforms take the top 53 bits.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform on the open interval (0, 1).
    pub(crate) fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// Standard normal by Box-Muller (one of the pair; simple and exact).
    pub(crate) fn normal(&mut self) -> f64 {
        let u1 = self.uniform();
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Exponential with rate `rate > 0`.
    pub(crate) fn exponential(&mut self, rate: f64) -> f64 {
        -self.uniform().ln() / rate
    }

    /// Uniform integer in `0..n` (`n >= 1`), by multiply-shift.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_moments_and_determinism() {
        let mut a = SplitMix64::new(7);
        let mut b = SplitMix64::new(7);
        let n = 200_000;
        let (mut s, mut s2) = (0.0, 0.0);
        for _ in 0..n {
            let u = a.uniform();
            assert!(u > 0.0 && u < 1.0);
            assert_eq!(u.to_bits(), b.uniform().to_bits());
            s += u;
            s2 += u * u;
        }
        let m = s / n as f64;
        // U(0,1): mean 1/2, variance 1/12; SE of the mean sqrt(1/12/n) = 6.5e-4.
        assert!((m - 0.5).abs() < 4e-3);
        assert!((s2 / n as f64 - m * m - 1.0 / 12.0).abs() < 2e-3);
    }

    #[test]
    fn normal_moments() {
        let mut r = SplitMix64::new(11);
        let n = 200_000;
        let v: Vec<f64> = (0..n).map(|_| r.normal()).collect();
        let m = v.iter().sum::<f64>() / n as f64;
        let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n as f64;
        // SE of the mean 1/sqrt(n) = 2.2e-3; of the variance sqrt(2/n) = 3.2e-3.
        assert!(m.abs() < 1e-2);
        assert!((var - 1.0).abs() < 1.5e-2);
    }
}
