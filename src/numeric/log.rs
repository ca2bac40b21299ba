//! A natural logarithm that the compiler can vectorise, for the hot loops that take one
//! logarithm per cell (entropy weights).
//!
//! The algorithm is the classical one of Sun's fdlibm `__ieee754_log` (also in musl):
//! write `x = 2^k · (1 + f)` with `1 + f` in `[√2/2, √2)`, put `s = f/(2 + f)`, and
//! `ln(1 + f) = f - f²/2 + s·(f²/2 + R(s²))` with a degree-14 even minimax polynomial `R`
//! (coefficients `LG1..LG7`, error below 2^-58.45), then add `k·ln 2` split in a high
//! and a low part. The reduction here uses only 64-bit integer and floating-point
//! operations (no branches, no `i32` to `f64` conversion), so eight independent lanes
//! compile to SIMD code. Accuracy: within one ulp of the correctly rounded result for
//! positive normal `x` (the tests compare with `f64::ln`); zero, subnormals, infinities
//! and NaN are outside its domain and the callers keep them out.

const LG1: f64 = 6.666_666_666_666_735e-1;
const LG2: f64 = 3.999_999_999_940_942e-1;
const LG3: f64 = 2.857_142_874_366_239e-1;
const LG4: f64 = 2.222_219_843_214_978_4e-1;
const LG5: f64 = 1.818_357_216_161_805e-1;
const LG6: f64 = 1.531_383_769_920_937_3e-1;
const LG7: f64 = 1.479_819_860_511_658_6e-1;
const LN2_HI: f64 = 6.931_471_803_691_238e-1;
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;

/// The bits of `√2/2` in the top word: mantissas at or above it map to `[√2/2, 1)`.
const SQRT_HALF_HI: u64 = 0x3fe6_a09e_0000_0000;
/// `2^52`, whose bit pattern ORed with a small integer `e` reads as `2^52 + e`.
const TWO52: f64 = 4_503_599_627_370_496.0;

/// `ln(x)` for positive normal `x` (within one ulp).
#[inline(always)]
pub(crate) fn ln_normal(x: f64) -> f64 {
    // Move the exponent boundary from 1 down to √2/2, so that the mantissa lands in
    // [√2/2, √2) and the exponent field holds k + 1023.
    let u = x
        .to_bits()
        .wrapping_add(0x3ff0_0000_0000_0000 - SQRT_HALF_HI);
    let k = f64::from_bits(0x4330_0000_0000_0000 | (u >> 52)) - (TWO52 + 1023.0);
    let m = f64::from_bits((u & 0x000f_ffff_ffff_ffff).wrapping_add(SQRT_HALF_HI));
    let f = m - 1.0;
    let hfsq = 0.5 * f * f;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG2 + w * (LG4 + w * LG6));
    let t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    let r = t2 + t1;
    s * (hfsq + r) + k * LN2_LO - hfsq + f + k * LN2_HI
}

/// `Σ x ln x` over `v` (each `x` finite and `>= 0`; 0 contributes 0; a subnormal `x`
/// is off by at most `745·2^-1022`), in eight interleaved partial sums.
pub(crate) fn sum_x_ln_x(v: &[f64]) -> f64 {
    const LANES: usize = 8;
    let mut acc = [0.0; LANES];
    let chunks = v.chunks_exact(LANES);
    let rest = chunks.remainder();
    for c in chunks {
        for l in 0..LANES {
            // x = 0 gives 0·(a finite number) = 0
            acc[l] += c[l] * ln_normal(c[l]);
        }
    }
    let mut s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for &x in rest {
        s += x * ln_normal(x);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ulps(a: f64, b: f64) -> u64 {
        a.to_bits().abs_diff(b.to_bits())
    }

    #[test]
    fn within_one_ulp_of_std_over_the_normal_range() {
        // Known values first (correctly rounded constants).
        assert_eq!(ln_normal(1.0), 0.0);
        assert!(ulps(ln_normal(2.0), std::f64::consts::LN_2) <= 1);
        assert!(ulps(ln_normal(10.0), std::f64::consts::LN_10) <= 1);
        assert!(ulps(ln_normal(std::f64::consts::E), 1.0) <= 1);
        // A geometric sweep over 2^-1022 .. 2^1023 plus values near 1 and near √2/2.
        let mut worst = 0;
        let mut x = f64::MIN_POSITIVE;
        while x < f64::MAX / 1.01 {
            worst = worst.max(ulps(ln_normal(x), x.ln()));
            x *= 1.000_731;
        }
        for i in 1..200_000u32 {
            let d = f64::from(i) * 1e-9;
            for y in [
                1.0 + d,
                1.0 - d,
                std::f64::consts::FRAC_1_SQRT_2 + d,
                0.707 - d,
            ] {
                worst = worst.max(ulps(ln_normal(y), y.ln()));
            }
        }
        assert!(worst <= 1, "worst {worst} ulps");
    }

    #[test]
    fn kernels_match_plain_loops() {
        let v: Vec<f64> = (0..1003).map(|i| f64::from(i % 17) * 0.37).collect();
        let plain: f64 = v.iter().filter(|&&x| x > 0.0).map(|&x| x * x.ln()).sum();
        assert!((sum_x_ln_x(&v) - plain).abs() < 1e-10 * plain.abs());
    }
}
