//! Small special functions: signed log-gamma, log-beta, log-sum-exp helpers.

use statrs::function::gamma::ln_gamma;

/// `ln |Γ(x)|` and the sign of `Γ(x)`; `None` at the poles (0, -1, -2, ...) and for
/// non-finite `x`.
///
/// For `x < 0.5` the reflection formula `Γ(x) Γ(1 - x) = π / sin(πx)` is used.
pub(crate) fn ln_gamma_signed(x: f64) -> Option<(f64, f64)> {
    if !x.is_finite() {
        return None;
    }
    if x > 0.0 {
        return Some((ln_gamma(x), 1.0));
    }
    if x == x.round() {
        return None;
    }
    let s = (std::f64::consts::PI * x).sin();
    if s == 0.0 {
        return None;
    }
    let l = std::f64::consts::PI.ln() - s.abs().ln() - ln_gamma(1.0 - x);
    Some((l, s.signum()))
}

/// `ln B(a, b)` for positive `a`, `b`.
pub(crate) fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// `ln(e^x + e^y)` without overflow.
pub(crate) fn log_add_exp(x: f64, y: f64) -> f64 {
    if x == f64::NEG_INFINITY {
        return y;
    }
    if y == f64::NEG_INFINITY {
        return x;
    }
    let m = x.max(y);
    m + ((x - m).exp() + (y - m).exp()).ln()
}

/// `ln(e^x - e^y)` for `x >= y`; `-inf` when they are equal.
pub(crate) fn log_sub_exp(x: f64, y: f64) -> f64 {
    if y == f64::NEG_INFINITY {
        return x;
    }
    if y >= x {
        return f64::NEG_INFINITY;
    }
    x + (-(y - x).exp()).ln_1p()
}

/// `ln(1 + e^u)` (softplus) without overflow.
pub(crate) fn ln1p_exp(u: f64) -> f64 {
    if u > 35.0 {
        u + (-u).exp()
    } else if u < -35.0 {
        u.exp()
    } else {
        u.exp().ln_1p()
    }
}

/// The logistic function `1 / (1 + e^u)`, computed without overflow.
pub(crate) fn inv_one_plus_exp(u: f64) -> f64 {
    if u >= 0.0 {
        let e = (-u).exp();
        e / (1.0 + e)
    } else {
        1.0 / (1.0 + u.exp())
    }
}

/// `(1 - e^{k·l}) / k` for `l <= 0`, with its limit `-l` at `k = 0`.
pub(crate) fn one_minus_exp_over(k: f64, l: f64) -> f64 {
    if k.abs() < 1e-10 {
        -l * (1.0 + 0.5 * k * l)
    } else {
        -(k * l).exp_m1() / k
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn signed_gamma_matches_known_values() {
        // Γ(-0.5) = -2 sqrt(pi) = -3.5449077018110318
        let (l, s) = ln_gamma_signed(-0.5).unwrap();
        assert_eq!(s, -1.0);
        assert!((l.exp() - 3.544_907_701_811_032).abs() < 1e-12);
        // Γ(-1.5) = 4 sqrt(pi) / 3 = 2.3632718012073544
        let (l, s) = ln_gamma_signed(-1.5).unwrap();
        assert_eq!(s, 1.0);
        assert!((l.exp() - 2.363_271_801_207_355).abs() < 1e-12);
        assert!(ln_gamma_signed(-2.0).is_none());
        assert!(ln_gamma_signed(0.0).is_none());
    }

    #[test]
    fn log_sum_helpers() {
        assert!((log_add_exp(0.0, 0.0) - 2f64.ln()).abs() < 1e-15);
        assert!((log_sub_exp(2f64.ln(), 0.0)).abs() < 1e-15);
        assert_eq!(log_sub_exp(1.0, 1.0), f64::NEG_INFINITY);
        assert!((ln1p_exp(1000.0) - 1000.0).abs() < 1e-12);
        assert!((inv_one_plus_exp(-1000.0) - 1.0).abs() < 1e-15);
        assert_eq!(inv_one_plus_exp(1000.0), 0.0);
        // (1 - e^{k l})/k at k = 0 is -l
        assert!((one_minus_exp_over(0.0, -0.3) - 0.3).abs() < 1e-15);
        assert!((one_minus_exp_over(1.0, -0.3) - (1.0 - (-0.3f64).exp())).abs() < 1e-15);
    }
}
