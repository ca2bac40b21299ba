//! Inference shared by the one-shot fit ([`super::OlsFit`]) and the streamed summary
//! ([`super::OlsSummary`]): both hold the same coefficients, standard errors and sums of
//! squares, so t, p, intervals, R² and F are computed by these functions alone.

use nalgebra::DVector;
use statrs::distribution::{ContinuousCDF, FisherSnedecor, StudentsT};

use crate::{Error, Result, validate};

/// R² from the sums of squares: `1 - RSS/TSS` when the residual part is the smaller, else
/// `ESS/TSS`, so that neither a near-perfect nor a near-useless fit loses digits.
pub(crate) fn r_squared(rss: f64, ess: f64, tss: f64) -> f64 {
    if rss <= ess {
        1.0 - rss / tss
    } else {
        ess / tss
    }
}

/// Adjusted R² = 1 - (1 - R²)(n - i)/(n - p), i = 1 with an intercept, 0 without.
pub(crate) fn adj_r_squared(r2: f64, n: usize, intercept: bool, df_resid: usize) -> f64 {
    let i = usize::from(intercept);
    1.0 - (1.0 - r2) * (n - i) as f64 / df_resid as f64
}

/// ANOVA F = (ESS/df_model) / (RSS/df_resid); `None` without predictors, +∞ for an exact fit.
pub(crate) fn f_statistic(ess: f64, rss: f64, df_model: usize, df_resid: usize) -> Option<f64> {
    if df_model == 0 {
        return None;
    }
    let ms_resid = rss / df_resid as f64;
    if ms_resid == 0.0 {
        return Some(f64::INFINITY);
    }
    Some((ess / df_model as f64) / ms_resid)
}

/// p value of an F statistic from the F distribution's survival function.
pub(crate) fn f_p_value(f: Option<f64>, df_model: usize, df_resid: usize) -> Option<f64> {
    let f = f?;
    if f.is_nan() || f < 0.0 {
        return None;
    }
    if f.is_infinite() {
        return Some(0.0);
    }
    let dist = FisherSnedecor::new(df_model as f64, df_resid as f64).ok()?;
    Some(dist.sf(f))
}

/// t = B / SE; a zero SE (exact fit) gives ±∞, or 0 for a zero coefficient.
pub(crate) fn t_values(coefficients: &DVector<f64>, std_errors: &DVector<f64>) -> DVector<f64> {
    coefficients.zip_map(std_errors, |b, se| {
        if se > 0.0 {
            b / se
        } else if b == 0.0 {
            0.0
        } else {
            b.signum() * f64::INFINITY
        }
    })
}

/// Two-sided p values `2·sf(|t|)` of Student's t on `df` degrees of freedom.
pub(crate) fn p_values(t: &DVector<f64>, df: usize) -> DVector<f64> {
    match StudentsT::new(0.0, 1.0, df as f64) {
        Ok(dist) => t.map(|t| {
            if t.is_nan() {
                1.0
            } else if t.is_infinite() {
                0.0
            } else {
                (2.0 * dist.sf(t.abs())).min(1.0)
            }
        }),
        Err(_) => t.map(|_| 1.0),
    }
}

/// Intervals `B ± t_{(1+level)/2, df} · SE`.
pub(crate) fn conf_int(
    coefficients: &DVector<f64>,
    std_errors: &DVector<f64>,
    df: usize,
    level: f64,
) -> Result<Vec<(f64, f64)>> {
    validate::open_unit("confidence_level", level)?;
    let dist = StudentsT::new(0.0, 1.0, df as f64)
        .map_err(|_| Error::option("confidence_level", level, "in (0, 1)"))?;
    let q = dist.inverse_cdf(0.5 + level / 2.0);
    Ok(coefficients
        .iter()
        .zip(std_errors.iter())
        .map(|(b, se)| (b - q * se, b + q * se))
        .collect())
}
