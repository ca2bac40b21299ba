//! The Gauss hypergeometric function `2F1(a, b; c; z)` for real arguments and `z <= 1`.
//!
//! # Method
//!
//! ```text
//! 2F1(a, b; c; z) = Σ_n (a)_n (b)_n / ((c)_n n!) z^n                       (|z| < 1)
//! Pfaff  (z < 0):  2F1 = (1 - z)^(-a) 2F1(a, c - b; c; z / (z - 1))
//! Euler  (c-a-b < 0, 0 < z < 1): 2F1 = (1 - z)^(c-a-b) 2F1(c - a, c - b; c; z)
//! 1 - z  (z > 0.999, |c - a - b| < 30, not near an integer):  DLMF 15.8.4
//! Gauss  (z = 1, c - a - b > 0): Γ(c) Γ(c-a-b) / (Γ(c-a) Γ(c-b))
//! ```
//!
//! The series is summed with a running power-of-two-free scale: whenever the partial sum or
//! the current term exceeds 1e280 both are divided by 1e280 and the logarithm of the scale
//! is carried separately, so [`ln_hyp2f1`] returns `ln F` even when `F` itself overflows (the
//! BG/NBD and Pareto/NBD likelihoods for customers with thousands of transactions). A
//! polynomial case (`a` or `b` a non-positive integer) is summed exactly to its last term.
//!
//! Every function returns `None` (never NaN) when 2F1 is undefined (`c` a non-positive
//! integer not cancelled by `a` or `b`, `z > 1`, divergence at `z = 1`) or when the series
//! does not reach double precision within [`MAX_TERMS`] terms.
//!
//! # References
//!
//! - Abramowitz, M. and Stegun, I. A. (1972), *Handbook of Mathematical Functions*, ch. 15.
//! - NIST DLMF, §15.2 (series), §15.4 (closed forms), §15.8 (transformations).

use super::special::ln_gamma_signed;

/// Maximum number of series terms before giving up.
pub(crate) const MAX_TERMS: usize = 2_000_000;

const BIG: f64 = 1e280;
const LN_BIG: f64 = 644.724_079_791_797_6; // ln(1e280)

/// A value `sign · exp(ln_abs)`, so that results beyond `f64` range can be carried.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Signed {
    /// `ln |F|`; `-inf` when `F = 0`.
    pub(crate) ln_abs: f64,
    /// `+1`, `-1` (or `0` when `F = 0`).
    pub(crate) sign: f64,
}

impl Signed {
    fn from_f64(v: f64) -> Self {
        if v == 0.0 {
            Signed {
                ln_abs: f64::NEG_INFINITY,
                sign: 0.0,
            }
        } else {
            Signed {
                ln_abs: v.abs().ln(),
                sign: v.signum(),
            }
        }
    }
    fn value(self) -> f64 {
        if self.sign == 0.0 {
            0.0
        } else {
            self.sign * self.ln_abs.exp()
        }
    }
    fn times_ln(self, ln_factor: f64, sign: f64) -> Self {
        Signed {
            ln_abs: self.ln_abs + ln_factor,
            sign: self.sign * sign,
        }
    }
}

/// `2F1(a, b; c; z)`, or `None` when undefined or out of range as a finite `f64`.
pub(crate) fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    let v = hyp2f1_signed(a, b, c, z)?.value();
    v.is_finite().then_some(v)
}

/// `ln 2F1(a, b; c; z)` when `2F1 > 0`, else `None`.
pub(crate) fn ln_hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    let s = hyp2f1_signed(a, b, c, z)?;
    (s.sign > 0.0 && !s.ln_abs.is_nan()).then_some(s.ln_abs)
}

fn is_nonpos_int(x: f64) -> bool {
    x <= 0.0 && x == x.round()
}

/// `2F1` as sign and log-magnitude.
pub(crate) fn hyp2f1_signed(a: f64, b: f64, c: f64, z: f64) -> Option<Signed> {
    if !(a.is_finite() && b.is_finite() && c.is_finite() && z.is_finite()) {
        return None;
    }
    if z == 0.0 || a == 0.0 || b == 0.0 {
        return Some(Signed::from_f64(1.0));
    }
    // A terminating series (polynomial) is valid for every z; c must not hit zero first.
    let poly = [a, b]
        .into_iter()
        .filter(|&v| is_nonpos_int(v))
        .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
    if let Some(m) = poly {
        if is_nonpos_int(c) && c > m {
            return None;
        }
        if -m > MAX_TERMS as f64 {
            return None;
        }
        return series(a, b, c, z, Some((-m) as usize));
    }
    if is_nonpos_int(c) || z > 1.0 {
        return None;
    }
    if z == 1.0 {
        return gauss_at_one(a, b, c);
    }
    if z < 0.0 {
        // Pfaff: both forms are valid; take the one whose first parameter is smaller in
        // magnitude (fewer growing terms).
        let w = z / (z - 1.0);
        let l1z = (1.0 - z).ln();
        let (p, q, lead) = if a.abs() <= b.abs() {
            (a, c - b, a)
        } else {
            (b, c - a, b)
        };
        return positive_z(p, q, c, w).map(|s| s.times_ln(-lead * l1z, 1.0));
    }
    positive_z(a, b, c, z)
}

/// `0 < z < 1`.
fn positive_z(a: f64, b: f64, c: f64, z: f64) -> Option<Signed> {
    let s = c - a - b;
    // The 1 - z transformation only pays when the power series would need very many terms
    // (z near 1); with large |c - a - b| its two terms cancel badly, so it is limited.
    if z > 0.999
        && s.abs() < 30.0
        && (s - s.round()).abs() > 0.05
        && let Some(v) = one_minus_z(a, b, c, z)
    {
        return Some(v);
    }
    if s < 0.0 {
        // Euler: the transformed series has c' - a' - b' = -s > 0 and terms that decay.
        let l1z = (-z).ln_1p();
        return series(c - a, c - b, c, z, None).map(|v| v.times_ln(s * l1z, 1.0));
    }
    series(a, b, c, z, None)
}

/// Gauss's summation theorem at z = 1.
fn gauss_at_one(a: f64, b: f64, c: f64) -> Option<Signed> {
    let s = c - a - b;
    if s <= 0.0 {
        return None;
    }
    let (lc, sc) = ln_gamma_signed(c)?;
    let (ls, ss) = ln_gamma_signed(s)?;
    // 1/Γ at a pole is zero.
    let (la, sa) = match ln_gamma_signed(c - a) {
        Some(v) => v,
        None => return Some(Signed::from_f64(0.0)),
    };
    let (lb, sb) = match ln_gamma_signed(c - b) {
        Some(v) => v,
        None => return Some(Signed::from_f64(0.0)),
    };
    Some(Signed {
        ln_abs: lc + ls - la - lb,
        sign: sc * ss * sa * sb,
    })
}

/// DLMF 15.8.4 (c - a - b not an integer).
fn one_minus_z(a: f64, b: f64, c: f64, z: f64) -> Option<Signed> {
    let s = c - a - b;
    let w = 1.0 - z;
    let (lc, sc) = ln_gamma_signed(c)?;
    let mut total = 0.0f64;
    let mut ln_ref = f64::NEG_INFINITY;
    let mut parts: Vec<Signed> = Vec::with_capacity(2);
    // First term: Γ(c)Γ(s)/(Γ(c-a)Γ(c-b)) 2F1(a, b; 1 - s; w).
    if let (Some((ls, ss)), Some((la, sa)), Some((lb, sb))) = (
        ln_gamma_signed(s),
        ln_gamma_signed(c - a),
        ln_gamma_signed(c - b),
    ) {
        let f = series(a, b, 1.0 - s, w, None)?;
        parts.push(f.times_ln(lc + ls - la - lb, sc * ss * sa * sb));
    }
    // Second term: (1-z)^s Γ(c)Γ(-s)/(Γ(a)Γ(b)) 2F1(c-a, c-b; 1 + s; w).
    if let (Some((ls, ss)), Some((la, sa)), Some((lb, sb))) =
        (ln_gamma_signed(-s), ln_gamma_signed(a), ln_gamma_signed(b))
    {
        let f = series(c - a, c - b, 1.0 + s, w, None)?;
        parts.push(f.times_ln(lc + ls - la - lb + s * w.ln(), sc * ss * sa * sb));
    }
    for p in &parts {
        if p.sign != 0.0 {
            ln_ref = ln_ref.max(p.ln_abs);
        }
    }
    if !ln_ref.is_finite() {
        return Some(Signed::from_f64(0.0));
    }
    let mut max_abs = 0.0f64;
    for p in &parts {
        let v = p.sign * (p.ln_abs - ln_ref).exp();
        max_abs = max_abs.max(v.abs());
        total += v;
    }
    // Reject results that lost more than ~6 digits to cancellation; the caller falls back.
    if total.abs() < 1e-6 * max_abs {
        return None;
    }
    let r = Signed::from_f64(total).times_ln(ln_ref, 1.0);
    r.ln_abs.is_finite().then_some(r)
}

/// Direct power series with a running scale. `terms` bounds a terminating series.
fn series(a: f64, b: f64, c: f64, z: f64, terms: Option<usize>) -> Option<Signed> {
    if is_nonpos_int(c) && terms.is_none_or(|m| (-c) as usize <= m) {
        return None;
    }
    let mut sum = 1.0f64;
    let mut term = 1.0f64;
    let mut ln_scale = 0.0f64;
    let limit = terms.unwrap_or(MAX_TERMS);
    let ratio_at = |n: usize| {
        let nf = n as f64;
        (a + nf) * (b + nf) / ((c + nf) * (nf + 1.0)) * z
    };
    let mut ratio = ratio_at(0);
    let mut n = 0usize;
    loop {
        if n >= limit {
            return if terms.is_some() {
                finish(sum, ln_scale)
            } else {
                None
            };
        }
        term *= ratio;
        sum += term;
        n += 1;
        if !sum.is_finite() || !term.is_finite() {
            return None;
        }
        if sum.abs() > BIG || term.abs() > BIG {
            sum /= BIG;
            term /= BIG;
            ln_scale += LN_BIG;
        }
        // The next ratio is needed anyway; once the terms decay geometrically it bounds
        // the tail: |tail| <= |term| q / (1 - q).
        ratio = ratio_at(n);
        if terms.is_none() {
            let q = ratio.abs();
            if term == 0.0 || (q < 1.0 && term.abs() * q <= 1e-17 * sum.abs() * (1.0 - q)) {
                return finish(sum, ln_scale);
            }
        }
    }
}

fn finish(sum: f64, ln_scale: f64) -> Option<Signed> {
    Some(Signed::from_f64(sum).times_ln(ln_scale, 1.0))
}

#[cfg(test)]
#[allow(clippy::float_cmp, clippy::unwrap_used)]
mod tests {
    use super::*;

    fn close(x: f64, y: f64, tol: f64) -> bool {
        (x - y).abs() <= tol * y.abs().max(1e-300)
    }

    #[test]
    fn log_series() {
        // A&S 15.1.3: 2F1(1, 1; 2; z) = -ln(1 - z) / z
        for &z in &[-5.0f64, -0.9, -0.3, 0.1, 0.5, 0.9, 0.99, 0.999] {
            let want = -(-z).ln_1p() / z;
            assert!(
                close(hyp2f1(1.0, 1.0, 2.0, z).unwrap(), want, 1e-13),
                "z={z}"
            );
        }
    }

    #[test]
    fn binomial_closed_form() {
        // A&S 15.1.8: 2F1(a, b; b; z) = (1 - z)^(-a)
        for &(a, z) in &[(0.3f64, 0.7f64), (2.5, -3.0), (-1.7, 0.95), (7.0, 0.5)] {
            let want = (1.0 - z).powf(-a);
            assert!(
                close(hyp2f1(a, 3.3, 3.3, z).unwrap(), want, 1e-12),
                "a={a} z={z}"
            );
        }
    }

    #[test]
    fn arcsin_and_arctan() {
        // A&S 15.1.6: 2F1(1/2, 1/2; 3/2; z^2) = arcsin(z) / z
        for &x in &[0.1f64, 0.5, 0.9, 0.99] {
            let want = x.asin() / x;
            assert!(
                close(hyp2f1(0.5, 0.5, 1.5, x * x).unwrap(), want, 1e-12),
                "x={x}"
            );
        }
        // A&S 15.1.5: 2F1(1/2, 1; 3/2; -z^2) = arctan(z) / z
        for &x in &[0.2f64, 1.0, 3.0, 30.0] {
            let want = x.atan() / x;
            assert!(
                close(hyp2f1(0.5, 1.0, 1.5, -x * x).unwrap(), want, 1e-12),
                "x={x}"
            );
        }
    }

    #[test]
    fn gauss_sum_and_polynomials() {
        // DLMF 15.4.20: 2F1(a,b;c;1) = Γ(c)Γ(c-a-b)/(Γ(c-a)Γ(c-b)); a=1,b=1,c=3 -> 2
        assert!(close(hyp2f1(1.0, 1.0, 3.0, 1.0).unwrap(), 2.0, 1e-13));
        assert!(hyp2f1(1.0, 1.0, 2.0, 1.0).is_none());
        // 2F1(-2, 3; 4; z) = 1 - (2·3/4) z + (2·1·3·4)/(4·5·2) z^2 = 1 - 1.5 z + 0.6 z^2
        assert!(close(hyp2f1(-2.0, 3.0, 4.0, 2.0).unwrap(), 0.4, 1e-13));
        assert!(close(hyp2f1(-2.0, 3.0, 4.0, 1.0).unwrap(), 0.1, 1e-13));
        assert!(close(
            hyp2f1(-2.0, 3.0, 4.0, -3.0).unwrap(),
            1.0 + 4.5 + 5.4,
            1e-13
        ));
        assert!(hyp2f1(1.0, 1.0, -2.0, 0.5).is_none());
    }

    #[test]
    fn near_one_uses_the_transformation() {
        // z = 0.9999: -ln(1-z)/z for 2F1(1,1;2;z) (c-a-b = 0, series path) and
        // 2F1(1/2, 1/2; 3/2; z) = arcsin(sqrt z)/sqrt z (c-a-b = 1/2, 1 - z path).
        let z: f64 = 0.9999;
        assert!(close(
            hyp2f1(1.0, 1.0, 2.0, z).unwrap(),
            -(-z).ln_1p() / z,
            1e-12
        ));
        let want = z.sqrt().asin() / z.sqrt();
        assert!(close(hyp2f1(0.5, 0.5, 1.5, z).unwrap(), want, 1e-12));
        // sBG DERL-type arguments with large c - a - b stay positive and finite.
        let v = hyp2f1(1.0, 420.0, 602.8, 1.0 / 1.1).unwrap();
        assert!(v.is_finite() && v > 1.0);
    }

    #[test]
    fn huge_values_in_log_space() {
        // 2F1(a, b; b; z) = (1-z)^(-a): a = 2000, z = 0.9 -> ln = 2000 ln 10
        let l = ln_hyp2f1(2000.0, 5.0, 5.0, 0.9).unwrap();
        assert!(close(l, 2000.0 * 10f64.ln(), 1e-12));
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]

            #[test]
            fn symmetric_in_a_and_b(a in -5.0f64..20.0, b in -5.0f64..20.0, c in 0.1f64..30.0, z in -3.0f64..0.99) {
                if let (Some(x), Some(y)) = (hyp2f1(a, b, c, z), hyp2f1(b, a, c, z)) {
                    prop_assert!((x - y).abs() <= 1e-9 * x.abs().max(1.0), "{x} {y}");
                }
            }

            #[test]
            fn euler_identity(a in 0.1f64..10.0, b in 0.1f64..10.0, c in 0.1f64..20.0, z in 0.0f64..0.95) {
                // DLMF 15.8.1: F(a,b;c;z) = (1-z)^(c-a-b) F(c-a,c-b;c;z)
                if let (Some(x), Some(y)) = (hyp2f1(a, b, c, z), hyp2f1(c - a, c - b, c, z)) {
                    let y = y * (1.0 - z).powf(c - a - b);
                    prop_assert!((x - y).abs() <= 1e-8 * x.abs().max(1.0), "{x} {y}");
                }
            }

            #[test]
            fn derivative_formula(a in 0.1f64..5.0, b in 0.1f64..5.0, c in 0.5f64..10.0, z in -0.9f64..0.9) {
                // DLMF 15.5.1: dF/dz = ab/c F(a+1, b+1; c+1; z)
                let h = 1e-6;
                let fd = (hyp2f1(a, b, c, z + h).unwrap() - hyp2f1(a, b, c, z - h).unwrap()) / (2.0 * h);
                let an = a * b / c * hyp2f1(a + 1.0, b + 1.0, c + 1.0, z).unwrap();
                prop_assert!((fd - an).abs() <= 1e-5 * an.abs().max(1.0), "{fd} {an}");
            }

            #[test]
            fn never_nan(a in prop::num::f64::ANY, b in prop::num::f64::ANY, c in prop::num::f64::ANY, z in prop::num::f64::ANY) {
                if let Some(v) = hyp2f1(a, b, c, z) {
                    prop_assert!(v.is_finite());
                }
                if let Some(v) = ln_hyp2f1(a, b, c, z) {
                    prop_assert!(!v.is_nan());
                }
            }
        }
    }
}
