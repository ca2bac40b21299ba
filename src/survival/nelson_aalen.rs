//! Nelson-Aalen estimator of the cumulative hazard (cumulative churn intensity).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::data::z_crit;
use super::risk_table::RiskTable;
use crate::{Error, Result};

/// Options of the Nelson-Aalen estimator.
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `confidence_level` | 0.95 | level of the pointwise interval (log-transformed) | (0, 1) |
/// | `tie_correction` | false | count `d` tied events as `1/n + 1/(n-1) + ... + 1/(n-d+1)` (lifelines' default smoothing) instead of `d/n` (R `survfit`) | bool |
///
/// # Formula
///
/// ```text
/// H(t)     = sum over t_i <= t of d_i / n_i
/// Var H(t) = sum over t_i <= t of d_i / n_i^2            (Aalen's estimator, R survfit)
/// with tie_correction: H increments by sum_{k=0}^{d-1} 1/(n-k), Var by sum 1/(n-k)^2
/// CI       = H · exp(±z sqrt(Var H) / H)
/// ```
///
/// # Example
///
/// ```
/// use crm_analytics::survival::NelsonAalen;
///
/// let na = NelsonAalen::new().fit(&[1.0, 2.0, 2.0, 3.0], &[1.0, 1.0, 0.0, 1.0])?;
/// // H(2) = 1/4 + 1/3
/// assert!((na.cumulative_hazard_at(2.0)? - (0.25 + 1.0 / 3.0)).abs() < 1e-12);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
///
/// Nelson, W. (1972). Theory and applications of hazard plotting for censored failure data.
/// Technometrics 14, 945-966. Aalen, O. (1978). Nonparametric inference for a family of
/// counting processes. Annals of Statistics 6, 701-726.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NelsonAalen {
    confidence_level: f64,
    tie_correction: bool,
}

impl Default for NelsonAalen {
    fn default() -> Self {
        NelsonAalen {
            confidence_level: 0.95,
            tie_correction: false,
        }
    }
}

impl NelsonAalen {
    /// The default options.
    pub fn new() -> NelsonAalen {
        NelsonAalen::default()
    }

    /// Confidence level of the pointwise interval.
    ///
    /// # Errors
    ///
    /// The fit returns [`Error::InvalidOption`] unless the level is in (0, 1).
    pub fn confidence_level(mut self, level: f64) -> NelsonAalen {
        self.confidence_level = level;
        self
    }

    /// Treat tied events as if they happened one after another (see the table above).
    pub fn tie_correction(mut self, yes: bool) -> NelsonAalen {
        self.tie_correction = yes;
        self
    }

    /// The confidence level.
    pub fn get_confidence_level(&self) -> f64 {
        self.confidence_level
    }

    /// Whether ties are corrected.
    pub fn get_tie_correction(&self) -> bool {
        self.tie_correction
    }

    /// Fit on right-censored durations (see [`super::KaplanMeier::fit`] for the data rules).
    ///
    /// # Errors
    ///
    /// As [`super::KaplanMeier::fit`].
    pub fn fit(&self, durations: &[f64], events: &[f64]) -> Result<NelsonAalenFit> {
        self.fit_general(durations, events, None, None)
    }

    /// Fit with optional late-entry times and case weights (as [`super::KaplanMeier::fit_general`]).
    ///
    /// # Errors
    ///
    /// As [`super::KaplanMeier::fit_general`].
    pub fn fit_general(
        &self,
        durations: &[f64],
        events: &[f64],
        entry: Option<&[f64]>,
        weights: Option<&[f64]>,
    ) -> Result<NelsonAalenFit> {
        let z = z_crit(self.confidence_level)?;
        let t = RiskTable::build(durations, events, entry, weights)?;
        let m = t.times.len();
        let (mut h, mut v) = (0.0, 0.0);
        let mut fit = NelsonAalenFit {
            options: *self,
            times: t.times.clone(),
            cumulative_hazard: Vec::with_capacity(m),
            variance: Vec::with_capacity(m),
            lower: Vec::with_capacity(m),
            upper: Vec::with_capacity(m),
        };
        for i in 0..m {
            let (n, d) = (t.at_risk[i], t.events[i]);
            if d > 0.0 && n > 0.0 {
                if self.tie_correction && d > 1.0 {
                    // Whole events one after another; a fractional (weighted) remainder last.
                    let mut left = d;
                    let mut k = 0.0;
                    while left > 0.0 && n - k > 0.0 {
                        let step = left.min(1.0);
                        h += step / (n - k);
                        v += step / ((n - k) * (n - k));
                        left -= step;
                        k += 1.0;
                    }
                } else {
                    h += d / n;
                    v += d / (n * n);
                }
            }
            fit.cumulative_hazard.push(h);
            fit.variance.push(v);
            if h > 0.0 {
                let k = (z * v.sqrt() / h).exp();
                fit.lower.push(h / k);
                fit.upper.push(h * k);
            } else {
                fit.lower.push(0.0);
                fit.upper.push(0.0);
            }
        }
        Ok(fit)
    }
}

/// A fitted Nelson-Aalen cumulative hazard, one row per distinct observed time.
#[derive(Debug, Clone, Serialize)]
#[must_use]
pub struct NelsonAalenFit {
    options: NelsonAalen,
    times: Vec<f64>,
    cumulative_hazard: Vec<f64>,
    variance: Vec<f64>,
    lower: Vec<f64>,
    upper: Vec<f64>,
}

impl NelsonAalenFit {
    /// The options used.
    pub fn options(&self) -> &NelsonAalen {
        &self.options
    }
    /// Distinct observed times, ascending.
    pub fn times(&self) -> &[f64] {
        &self.times
    }
    /// `H(t)` at each time.
    pub fn cumulative_hazard(&self) -> &[f64] {
        &self.cumulative_hazard
    }
    /// Aalen's variance of `H(t)` at each time.
    pub fn variance(&self) -> &[f64] {
        &self.variance
    }
    /// Lower pointwise limit.
    pub fn lower(&self) -> &[f64] {
        &self.lower
    }
    /// Upper pointwise limit.
    pub fn upper(&self) -> &[f64] {
        &self.upper
    }

    /// `H(t)` (right-continuous step function, 0 before the first time).
    ///
    /// # Errors
    ///
    /// [`Error::NonFiniteAt`] when `t` is NaN or infinite.
    pub fn cumulative_hazard_at(&self, t: f64) -> Result<f64> {
        if !t.is_finite() {
            return Err(Error::NonFiniteAt {
                what: "time".into(),
                index: 0,
                value: t,
            });
        }
        let k = self.times.partition_point(|&x| x <= t);
        Ok(k.checked_sub(1).map_or(0.0, |i| self.cumulative_hazard[i]))
    }
}

impl fmt::Display for NelsonAalenFit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Nelson-Aalen cumulative hazard")?;
        writeln!(
            f,
            "{:>10} {:>10} {:>10} {:>10} {:>10}",
            "time", "H(t)", "var", "lower", "upper"
        )?;
        let m = self.times.len();
        for i in (0..m).filter(|&i| m <= 40 || i < 20 || i >= m - 20) {
            writeln!(
                f,
                "{:>10.2} {:>10.4} {:>10.6} {:>10.4} {:>10.4}",
                self.times[i],
                self.cumulative_hazard[i],
                self.variance[i],
                self.lower[i],
                self.upper[i]
            )?;
        }
        Ok(())
    }
}
