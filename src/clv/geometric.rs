//! Geometric (constant-retention) lifetime value.

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// When the first margin is received, the timing convention of geometric CLV.
///
/// Textbooks differ by exactly one margin; the convention is always stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MarginTiming {
    /// The current period's margin is counted (received now, undiscounted):
    /// `CLV = m (1 + d) / (1 + d - r)`.
    MarginNow,
    /// The first margin arrives one period ahead and only if the customer is retained
    /// (Gupta & Lehmann 2003, "margin multiple"): `CLV = m r / (1 + d - r)`.
    MarginNextPeriod,
}

/// Geometric customer lifetime value for a constant margin, retention rate and discount
/// rate per period.
///
/// # Formula
///
/// ```text
/// MarginNow:        CLV = Σ_{t>=0} m r^t / (1+d)^t     = m (1 + d) / (1 + d - r)
/// MarginNextPeriod: CLV = Σ_{t>=1} m r^t / (1+d)^t     = m r / (1 + d - r)
/// ```
///
/// # Errors
///
/// [`Error::InvalidOption`] for a non-finite margin, a retention outside `[0, 1]` or a
/// discount rate that is not finite and `>= 0`, and when `r = 1` with `d = 0` (the sum
/// diverges).
///
/// # Example
///
/// ```
/// use crm_analytics::clv::{geometric_clv, MarginTiming};
///
/// // MODELS.md §5.1: m = 100, r = 0.8, d = 0.1.
/// let now = geometric_clv(100.0, 0.8, 0.1, MarginTiming::MarginNow)?;
/// let next = geometric_clv(100.0, 0.8, 0.1, MarginTiming::MarginNextPeriod)?;
/// assert!((now - 366.666_667).abs() < 1e-6 && (next - 266.666_667).abs() < 1e-6);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
///
/// Gupta, S. and Lehmann, D. R. (2003), "Customers as assets", *Journal of Interactive
/// Marketing* 17(1), 9-24.
pub fn geometric_clv(
    margin: f64,
    retention: f64,
    discount: f64,
    timing: MarginTiming,
) -> Result<f64> {
    if !margin.is_finite() {
        return Err(Error::option("margin", margin, "finite"));
    }
    if !(retention.is_finite() && (0.0..=1.0).contains(&retention)) {
        return Err(Error::option("retention", retention, "in [0, 1]"));
    }
    crate::validate::non_negative("discount", discount)?;
    let denom = 1.0 + discount - retention;
    if denom <= 0.0 {
        return Err(Error::option(
            "discount",
            discount,
            "> 0 when retention is 1 (the sum diverges)",
        ));
    }
    Ok(match timing {
        MarginTiming::MarginNow => margin * (1.0 + discount) / denom,
        MarginTiming::MarginNextPeriod => margin * retention / denom,
    })
}

/// Expected lifetime `1 / (1 - r)` in periods under constant retention `r` (the mean of a
/// geometric lifetime counting the current period); `None` when `r = 1`.
///
/// # Errors
///
/// [`Error::InvalidOption`] for `r` outside `[0, 1]` or NaN.
///
/// # Example
///
/// ```
/// use crm_analytics::clv::expected_lifetime;
/// assert_eq!(expected_lifetime(0.8)?, Some(5.000000000000001));
/// assert_eq!(expected_lifetime(1.0)?, None);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
pub fn expected_lifetime(retention: f64) -> Result<Option<f64>> {
    if !(retention.is_finite() && (0.0..=1.0).contains(&retention)) {
        return Err(Error::option("retention", retention, "in [0, 1]"));
    }
    Ok((retention < 1.0).then(|| 1.0 / (1.0 - retention)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn series_equals_closed_form() {
        // Sum the first 2000 discounted margins by hand: m r^t/(1+d)^t.
        let (m, r, d) = (40.0f64, 0.9f64, 0.05f64);
        let s: f64 = (0..2000).map(|t| m * (r / (1.0 + d)).powi(t)).sum();
        let now = geometric_clv(m, r, d, MarginTiming::MarginNow).unwrap();
        assert!((s - now).abs() < 1e-9);
        let next = geometric_clv(m, r, d, MarginTiming::MarginNextPeriod).unwrap();
        assert!((s - m - next).abs() < 1e-9);
        assert!(geometric_clv(m, 1.0, 0.0, MarginTiming::MarginNow).is_err());
        assert!(geometric_clv(m, f64::NAN, 0.1, MarginTiming::MarginNow).is_err());
    }
}
