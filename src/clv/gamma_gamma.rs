//! The Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005; Fader & Hardie
//! 2013, note 025).

use serde::{Deserialize, Serialize};
use statrs::function::gamma::{digamma, ln_gamma};
use std::fmt;

use super::bgnbd::{fit_options_setters, write_params};
use super::fitting::{FitOptions, fit_positive};
use crate::numeric::optim::Convergence;
use crate::{Error, Result};

/// Gamma-Gamma spend model fit.
///
/// A customer's transaction values are Gamma(p, ν) with ν ~ Gamma(q, γ) across customers,
/// independent of the transaction process. Fitted on repeat customers' `(x, z̄)`, `x >= 1`,
/// `z̄ > 0` (mean value of the `x` repeat transactions). Start values `p = q = γ = 1`;
/// analytic gradient. Options: see [`FitOptions`].
///
/// # Formula
///
/// ```text
/// ln f(z̄ | x) = ln Γ(px+q) - ln Γ(px) - ln Γ(q) + q ln γ + (px-1) ln z̄ + px ln x
///               - (px+q) ln(γ + x z̄)
/// E[M | x, z̄] = (q-1)/(px+q-1) · pγ/(q-1) + px/(px+q-1) · z̄ = p(γ + x z̄)/(px+q-1)
/// ```
///
/// # Example
///
/// ```
/// use crm_analytics::clv::GammaGamma;
/// let x = [1.0, 2.0, 5.0, 1.0, 3.0, 7.0, 2.0, 4.0];
/// let z = [20.0, 35.0, 30.0, 15.0, 60.0, 28.0, 22.0, 41.0];
/// let fit = GammaGamma::new().fit(&x, &z)?;
/// assert!(fit.conditional_expected_spend(2.0, 35.0)? > 0.0);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
///
/// Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "RFM and CLV: using iso-value curves
/// for customer base analysis", *Journal of Marketing Research* 42(4), 415-430.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct GammaGamma {
    options: FitOptions,
}
fit_options_setters!(GammaGamma);

/// Customers grouped by frequency: the gamma-function terms depend on `x` only, so they are
/// evaluated once per distinct `x`; `ln z̄` and `ln x` are fixed per customer.
struct Prepared {
    xs: Vec<(f64, f64)>,               // (x, count)
    rows: Vec<(usize, f64, f64, f64)>, // (x index, x z̄, x (ln z̄ + ln x), ln z̄)
}

fn prepare(x: &[f64], z: &[f64]) -> Prepared {
    let mut index = std::collections::HashMap::new();
    let mut xs: Vec<(f64, f64)> = Vec::new();
    let mut rows = Vec::with_capacity(x.len());
    for (&xi, &zi) in x.iter().zip(z) {
        let k = *index.entry(xi.to_bits()).or_insert_with(|| {
            xs.push((xi, 0.0));
            xs.len() - 1
        });
        xs[k].1 += 1.0;
        rows.push((k, xi * zi, xi * (zi.ln() + xi.ln()), zi.ln()));
    }
    Prepared { xs, rows }
}

fn gg_ll(p: &[f64], prep: &Prepared, g: &mut [f64], per_x: &mut Vec<(f64, f64)>) -> f64 {
    let (pp, q, gam) = (p[0], p[1], p[2]);
    let (lq, pq, lg) = (ln_gamma(q), digamma(q), gam.ln());
    let mut ll = 0.0;
    let mut gr = [0.0; 3];
    per_x.clear();
    for &(xi, c) in &prep.xs {
        let px = pp * xi;
        let d = digamma(px + q);
        ll += c * (ln_gamma(px + q) - ln_gamma(px) - lq + q * lg);
        gr[0] += c * xi * (d - digamma(px));
        gr[1] += c * (d - pq + lg);
        gr[2] += c * q / gam;
        per_x.push((px, xi));
    }
    for &(k, xz, xl, lz) in &prep.rows {
        let (px, xi) = per_x[k];
        let l = gam + xz;
        let ll_l = l.ln();
        ll += pp * xl - lz - (px + q) * ll_l;
        gr[0] += xl - xi * ll_l;
        gr[1] -= ll_l;
        gr[2] -= (px + q) / l;
    }
    g.copy_from_slice(&gr);
    ll
}

impl GammaGamma {
    /// Fit on repeat customers' frequency `x` and mean repeat spend `z̄`.
    ///
    /// # Errors
    ///
    /// [`Error::Empty`], [`Error::DimensionMismatch`], [`Error::NonFiniteAt`];
    /// [`Error::InvalidValue`] for `x` not a positive integer or `z̄ <= 0` (customers
    /// without repeat transactions must be left out); option errors.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::GammaGamma;
    /// let fit = GammaGamma::new().fit(&[1.0, 2.0, 4.0, 1.0, 3.0], &[20.0, 35.0, 30.0, 15.0, 60.0])?;
    /// assert!(fit.p() > 0.0 && fit.frequency_spend_correlation().is_some());
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn fit(&self, frequency: &[f64], mean_spend: &[f64]) -> Result<GammaGammaFit> {
        check_spend(frequency, mean_spend)?;
        let n = frequency.len() as f64;
        let prep = prepare(frequency, mean_spend);
        let mut per_x = Vec::new();
        let (est, convergence, se) = fit_positive(
            "Gamma-Gamma",
            &self.options,
            n,
            &[1.0, 1.0, 1.0],
            true,
            |p, g| gg_ll(p, &prep, g, &mut per_x),
        )?;
        let mut g = [0.0; 3];
        let ll = gg_ll(&est, &prep, &mut g, &mut per_x);
        Ok(GammaGammaFit {
            p: est[0],
            q: est[1],
            gamma: est[2],
            std_errors: se.map(|v| [v[0], v[1], v[2]]),
            log_likelihood: ll,
            n_customers: frequency.len(),
            independence: pearson(frequency, mean_spend),
            convergence,
            options: self.options,
        })
    }
}

fn check_spend(x: &[f64], z: &[f64]) -> Result<()> {
    if x.is_empty() {
        return Err(Error::Empty {
            what: "frequency".into(),
        });
    }
    crate::validate::same_len("`mean_spend` against `frequency`", x.len(), z.len())?;
    crate::validate::slice_finite("frequency", x)?;
    crate::validate::slice_finite("mean_spend", z)?;
    for i in 0..x.len() {
        if !(x[i] >= 1.0 && x[i] == x[i].round()) {
            return Err(Error::InvalidValue {
                what: "frequency x".into(),
                location: format!("customer {i}"),
                value: x[i],
                expected: "a positive integer (fit Gamma-Gamma on repeat customers only)".into(),
            });
        }
        if !(z[i] > 0.0) {
            return Err(Error::InvalidValue {
                what: "mean spend".into(),
                location: format!("customer {i}"),
                value: z[i],
                expected: "> 0".into(),
            });
        }
    }
    Ok(())
}

/// Pearson correlation; `None` when a column is constant or n < 3.
fn pearson(a: &[f64], b: &[f64]) -> Option<f64> {
    let n = a.len() as f64;
    if a.len() < 3 {
        return None;
    }
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    let r = sab / (saa * sbb).sqrt();
    r.is_finite().then_some(r)
}

/// A fitted Gamma-Gamma spend model.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct GammaGammaFit {
    p: f64,
    q: f64,
    gamma: f64,
    std_errors: Option<[f64; 3]>,
    log_likelihood: f64,
    n_customers: usize,
    independence: Option<f64>,
    convergence: Convergence,
    options: FitOptions,
}

impl GammaGammaFit {
    /// Gamma-Gamma parameters from values (for prediction with published estimates).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] unless all are finite and > 0.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::GammaGammaFit;
    /// // Fader & Hardie note 025, CDNOW customer 1: E[M | x = 2, z̄ = 22.345] = 24.65
    /// // at the MLE p 6.2488, q 3.7446, γ 15.4477.
    /// let gg = GammaGammaFit::from_params(6.248802, 3.744588, 15.447748)?;
    /// assert!((gg.conditional_expected_spend(2.0, 22.345)? - 24.65).abs() < 0.005);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn from_params(p: f64, q: f64, gamma: f64) -> Result<Self> {
        for (n, v) in [("p", p), ("q", q), ("gamma", gamma)] {
            crate::validate::positive(n, v)?;
        }
        Ok(GammaGammaFit {
            p,
            q,
            gamma,
            std_errors: None,
            log_likelihood: f64::NAN,
            n_customers: 0,
            independence: None,
            convergence: Convergence {
                reason: crate::clv::StopReason::Gradient,
                iterations: 0,
                evaluations: 0,
                gradient_max: 0.0,
                objective: 0.0,
            },
            options: FitOptions::default(),
        })
    }
    /// `p` (shape of transaction values).
    #[must_use]
    pub fn p(&self) -> f64 {
        self.p
    }
    /// `q` (shape of the scale's distribution).
    #[must_use]
    pub fn q(&self) -> f64 {
        self.q
    }
    /// `γ` (scale of the scale's distribution, in money).
    #[must_use]
    pub fn gamma(&self) -> f64 {
        self.gamma
    }
    /// Standard errors of `(p, q, γ)`; `None` if the Hessian is not positive definite or
    /// the value was built from parameters.
    #[must_use]
    pub fn std_errors(&self) -> Option<[f64; 3]> {
        self.std_errors
    }
    /// The full log-likelihood (all constants); `None` when built from parameters.
    #[must_use]
    pub fn log_likelihood(&self) -> Option<f64> {
        self.log_likelihood
            .is_finite()
            .then_some(self.log_likelihood)
    }
    /// Number of customers fitted.
    #[must_use]
    pub fn n_customers(&self) -> usize {
        self.n_customers
    }
    /// The independence check: Pearson correlation of frequency and mean spend among the
    /// fitted customers (the model assumes none; |r| well above 0.1 is a warning sign).
    /// `None` when undefined.
    #[must_use]
    pub fn frequency_spend_correlation(&self) -> Option<f64> {
        self.independence
    }
    /// The optimiser's record.
    pub fn convergence(&self) -> &Convergence {
        &self.convergence
    }
    /// The options used.
    pub fn options(&self) -> FitOptions {
        self.options
    }

    /// Population mean spend per transaction `pγ/(q-1)`; `None` when `q <= 1` (infinite).
    #[must_use]
    pub fn population_mean_spend(&self) -> Option<f64> {
        (self.q > 1.0).then(|| self.p * self.gamma / (self.q - 1.0))
    }

    /// Expected mean spend per transaction given `x` repeat transactions with mean `z̄`
    /// (`x = 0`: the population mean).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for `x` not a non-negative integer or `z̄` negative or
    /// non-finite; [`Error::InvalidInput`] when `px + q <= 1` (the expectation is infinite).
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::GammaGammaFit;
    /// let gg = GammaGammaFit::from_params(6.248802, 3.744588, 15.447748)?;
    /// // x = 0: the population mean pγ/(q-1) = 35.17.
    /// assert!((gg.conditional_expected_spend(0.0, 0.0)? - 35.17).abs() < 0.005);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn conditional_expected_spend(&self, x: f64, mean_spend: f64) -> Result<f64> {
        crate::validate::slice_finite("(x, mean spend)", &[x, mean_spend])?;
        if x < 0.0 || x != x.round() || mean_spend < 0.0 {
            return Err(Error::InvalidValue {
                what: "(x, mean spend)".into(),
                location: "customer".into(),
                value: if x < 0.0 || x != x.round() {
                    x
                } else {
                    mean_spend
                },
                expected: "x a non-negative integer and mean spend >= 0".into(),
            });
        }
        let den = self.p * x + self.q - 1.0;
        if den <= 0.0 {
            return Err(Error::input(
                "Gamma-Gamma expectation",
                "p·x + q <= 1: the expected spend is infinite",
            ));
        }
        Ok(self.p * (self.gamma + x * mean_spend) / den)
    }
}

impl fmt::Display for GammaGammaFit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Gamma-Gamma spend model: {} repeat customers",
            self.n_customers
        )?;
        write_params(
            f,
            &[("p", self.p), ("q", self.q), ("gamma", self.gamma)],
            self.std_errors.as_ref().map(|s| &s[..]),
        )?;
        if let Some(ll) = self.log_likelihood() {
            writeln!(f, "log-likelihood {ll:.4}")?;
        }
        if let Some(m) = self.population_mean_spend() {
            writeln!(f, "population mean spend {m:.4}")?;
        }
        if let Some(r) = self.independence {
            writeln!(
                f,
                "independence check: corr(frequency, mean spend) = {r:.4}"
            )?;
        }
        write!(f, "convergence: {}", self.convergence)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let x = [1.0, 2.0, 5.0, 1.0, 3.0, 7.0, 2.0];
        let z = [20.0, 35.0, 30.0, 15.0, 60.0, 28.0, 22.0];
        let prep = prepare(&x, &z);
        let p = [6.2, 3.7, 15.4];
        let mut g = [0.0; 3];
        let mut px = Vec::new();
        gg_ll(&p, &prep, &mut g, &mut px);
        for j in 0..3 {
            let h = 1e-6 * p[j];
            let mut q = p;
            let mut gg = [0.0; 3];
            q[j] += h;
            let fp = gg_ll(&q, &prep, &mut gg, &mut px);
            q[j] -= 2.0 * h;
            let fm = gg_ll(&q, &prep, &mut gg, &mut px);
            assert!(((fp - fm) / (2.0 * h) - g[j]).abs() < 1e-5, "{j}");
        }
    }
}
