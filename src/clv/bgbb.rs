//! BG/BB: the beta-geometric/beta-Bernoulli model for discrete-time non-contractual
//! settings (Fader, Hardie & Shang 2010).

use serde::{Deserialize, Serialize};
use statrs::function::gamma::{digamma, ln_gamma};
use std::fmt;

use super::bgnbd::{fit_options_setters, write_params};
use super::fitting::{FitOptions, fit_positive};
use crate::numeric::hyp2f1::hyp2f1;
use crate::numeric::optim::{Convergence, adaptive_gradient};
use crate::numeric::special::{ln_beta, log_add_exp};
use crate::{Error, Result};

/// BG/BB maximum-likelihood fit on discrete transaction opportunities.
///
/// At each of `n` opportunities an alive customer transacts with probability p ~ Beta(α, β)
/// and, after each opportunity, dies with probability θ ~ Beta(γ, δ). Data per row: `x`
/// transactions, the last at opportunity `t_x`, out of `n`; typically one row per
/// `(x, t_x, n)` pattern with a customer count as weight. Start values all 1; central-
/// difference gradients. Options: see [`FitOptions`].
///
/// # Formula
///
/// ```text
/// L = B(α+x, β+n-x)/B(α,β) · B(γ, δ+n)/B(γ,δ)
///   + Σ_{i=0}^{n-t_x-1} B(α+x, β+t_x-x+i)/B(α,β) · B(γ+1, δ+t_x+i)/B(γ,δ)
/// ```
///
/// summed in log space.
///
/// # Example
///
/// ```
/// use crm_analytics::clv::BgBb;
/// let x = [0, 1, 2, 3, 6];
/// let t_x = [0, 3, 5, 6, 6];
/// let n = [6, 6, 6, 6, 6];
/// let w = [30.0, 10.0, 8.0, 6.0, 9.0];
/// let fit = BgBb::new().fit(&x, &t_x, &n, Some(&w))?;
/// assert!(fit.params().p_alive(6, 6, 6)? > fit.params().p_alive(1, 1, 6)?);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
///
/// Fader, P. S., Hardie, B. G. S. and Shang, J. (2010), "Customer-base analysis in a
/// discrete-time noncontractual setting", *Marketing Science* 29(6), 1086-1108.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct BgBb {
    options: FitOptions,
}
fit_options_setters!(BgBb);

fn ll_one(p: &[f64; 4], x: f64, tx: f64, n: f64) -> f64 {
    let [a, b, g, d] = *p;
    let (lab, lgd) = (ln_beta(a, b), ln_beta(g, d));
    let mut l = ln_beta(a + x, b + n - x) - lab + ln_beta(g, d + n) - lgd;
    let mut i = 0.0;
    while i < n - tx {
        l = log_add_exp(
            l,
            ln_beta(a + x, b + tx - x + i) - lab + ln_beta(g + 1.0, d + tx + i) - lgd,
        );
        i += 1.0;
    }
    l
}

fn check_row(x: u32, tx: u32, n: u32, i: usize) -> Result<()> {
    if x > tx || tx > n || (x == 0 && tx != 0) || (x > 0 && tx == 0) {
        return Err(Error::InvalidValue {
            what: "(x, t_x, n)".into(),
            location: format!("row {i} ({x}, {tx}, {n})"),
            value: f64::from(x),
            expected: "0 <= x <= t_x <= n, with t_x = 0 exactly when x = 0".into(),
        });
    }
    Ok(())
}

impl BgBb {
    /// Fit on rows of `x` (transactions), `t_x` (opportunity of the last one, 0 if none)
    /// and `n` (opportunities), with optional non-negative weights (customer counts).
    ///
    /// # Errors
    ///
    /// [`Error::Empty`], [`Error::DimensionMismatch`], [`Error::InvalidValue`] for an
    /// impossible row, weight errors as in [`RfmData::with_weights`](super::RfmData::with_weights),
    /// option errors.
    pub fn fit(
        &self,
        x: &[u32],
        t_x: &[u32],
        n: &[u32],
        weights: Option<&[f64]>,
    ) -> Result<BgBbFit> {
        self.options.validate()?;
        if x.is_empty() {
            return Err(Error::Empty { what: "x".into() });
        }
        crate::validate::same_len("`t_x` against `x`", x.len(), t_x.len())?;
        crate::validate::same_len("`n` against `x`", x.len(), n.len())?;
        for i in 0..x.len() {
            check_row(x[i], t_x[i], n[i], i)?;
        }
        let w: Vec<f64> = match weights {
            Some(w) => {
                crate::validate::same_len("`weights` against `x`", x.len(), w.len())?;
                crate::validate::slice_finite("weights", w)?;
                if let Some(i) = w.iter().position(|v| *v < 0.0) {
                    return Err(Error::InvalidValue {
                        what: "weight".into(),
                        location: format!("row {i}"),
                        value: w[i],
                        expected: ">= 0".into(),
                    });
                }
                w.to_vec()
            }
            None => vec![1.0; x.len()],
        };
        let total: f64 = w.iter().sum();
        if !(total > 0.0) {
            return Err(Error::input("weights", "all weights are 0"));
        }
        let rows: Vec<(f64, f64, f64, f64)> = (0..x.len())
            .filter(|&i| w[i] > 0.0)
            .map(|i| (f64::from(x[i]), f64::from(t_x[i]), f64::from(n[i]), w[i]))
            .collect();
        let ll = |p: &[f64]| -> f64 {
            let q = [p[0], p[1], p[2], p[3]];
            rows.iter()
                .map(|&(x, tx, n, w)| w * ll_one(&q, x, tx, n))
                .sum()
        };
        let (est, convergence, se) = fit_positive(
            "BG/BB",
            &self.options,
            total,
            &[1.0, 1.0, 1.0, 1.0],
            false,
            |p, g| {
                let mut f = ll;
                let v = f(p);
                if v.is_finite() && !g.is_empty() {
                    adaptive_gradient(&mut f, p, v, g, 1e-2 * total);
                }
                v
            },
        )?;
        Ok(BgBbFit {
            params: BgBbParams {
                alpha: est[0],
                beta: est[1],
                gamma: est[2],
                delta: est[3],
            },
            std_errors: se.map(|v| [v[0], v[1], v[2], v[3]]),
            log_likelihood: ll(&est),
            n_customers: total,
            convergence,
            options: self.options,
        })
    }
}

/// BG/BB parameters and predictions (periods are transaction opportunities).
///
/// # Example
///
/// ```
/// use crm_analytics::clv::BgBbParams;
/// let p = BgBbParams::new(1.204, 0.750, 0.657, 2.783)?;
/// assert!(p.expected(6)? > 0.0);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgBbParams {
    alpha: f64,
    beta: f64,
    gamma: f64,
    delta: f64,
}

impl BgBbParams {
    /// `α, β` (transaction probability) and `γ, δ` (dropout probability).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] unless all are finite and > 0.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::BgBbParams;
    /// let p = BgBbParams::new(1.204, 0.750, 0.657, 2.783)?;
    /// assert_eq!(p.delta(), 2.783);
    /// assert!(BgBbParams::new(1.0, 1.0, f64::NAN, 1.0).is_err());
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn new(alpha: f64, beta: f64, gamma: f64, delta: f64) -> Result<Self> {
        for (n, v) in [
            ("alpha", alpha),
            ("beta", beta),
            ("gamma", gamma),
            ("delta", delta),
        ] {
            crate::validate::positive(n, v)?;
        }
        Ok(BgBbParams {
            alpha,
            beta,
            gamma,
            delta,
        })
    }
    /// `α`.
    #[must_use]
    pub fn alpha(&self) -> f64 {
        self.alpha
    }
    /// `β`.
    #[must_use]
    pub fn beta(&self) -> f64 {
        self.beta
    }
    /// `γ`.
    #[must_use]
    pub fn gamma(&self) -> f64 {
        self.gamma
    }
    /// `δ`.
    #[must_use]
    pub fn delta(&self) -> f64 {
        self.delta
    }
    fn arr(&self) -> [f64; 4] {
        [self.alpha, self.beta, self.gamma, self.delta]
    }

    /// The log-likelihood of one history.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for an impossible `(x, t_x, n)`.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::BgBbParams;
    /// let p = BgBbParams::new(1.204, 0.750, 0.657, 2.783)?;
    /// assert!(p.log_likelihood(3, 5, 6)? < 0.0);
    /// assert!(p.log_likelihood(4, 3, 6).is_err()); // x > t_x is impossible
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn log_likelihood(&self, x: u32, t_x: u32, n: u32) -> Result<f64> {
        check_row(x, t_x, n, 0)?;
        Ok(ll_one(
            &self.arr(),
            f64::from(x),
            f64::from(t_x),
            f64::from(n),
        ))
    }

    /// Probability that the customer is alive at opportunity `n + 1` (FHS 2010 eq. 11).
    ///
    /// # Formula
    ///
    /// ```text
    /// P(alive at n+1) = B(α+x, β+n-x)/B(α,β) · B(γ, δ+n+1)/B(γ,δ) / L
    /// ```
    ///
    /// # Errors
    ///
    /// As [`BgBbParams::log_likelihood`].
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::BgBbParams;
    /// let p = BgBbParams::new(1.204, 0.750, 0.657, 2.783)?;
    /// // FHS 2010 Table 6: P(alive in 2002) for a 1995 donor who gave every year: 0.93.
    /// assert!((p.p_alive(6, 6, 6)? - 0.93).abs() < 0.005);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn p_alive(&self, x: u32, t_x: u32, n: u32) -> Result<f64> {
        let l = self.log_likelihood(x, t_x, n)?;
        let [a, b, g, d] = self.arr();
        let (x, n) = (f64::from(x), f64::from(n));
        let num =
            ln_beta(a + x, b + n - x) - ln_beta(a, b) + ln_beta(g, d + n + 1.0) - ln_beta(g, d);
        Ok((num - l).exp().clamp(0.0, 1.0))
    }

    /// `[f(m1) - f(m2)] / (γ - 1)` with `f(m) = Γ(1+δ+m)/Γ(γ+δ+m)`, stable at γ = 1.
    fn d(&self, m1: f64, m2: f64) -> f64 {
        let (g, d) = (self.gamma, self.delta);
        if (g - 1.0).abs() < 1e-7 {
            return digamma(1.0 + d + m2) - digamma(1.0 + d + m1);
        }
        let f = |m: f64| (ln_gamma(1.0 + d + m) - ln_gamma(g + d + m)).exp();
        (f(m1) - f(m2)) / (g - 1.0)
    }

    /// Expected transactions in the next `n_star` opportunities given `(x, t_x, n)`
    /// (FHS 2010 eq. 13).
    ///
    /// # Formula
    ///
    /// ```text
    /// E = B(α+x+1, β+n-x)/B(α,β) · δ/(γ-1) · Γ(γ+δ)/Γ(1+δ)
    ///     · [Γ(1+δ+n)/Γ(γ+δ+n) - Γ(1+δ+n+n*)/Γ(γ+δ+n+n*)] / L
    /// ```
    ///
    /// # Errors
    ///
    /// As [`BgBbParams::log_likelihood`].
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::BgBbParams;
    /// let p = BgBbParams::new(1.204, 0.750, 0.657, 2.783)?;
    /// assert!(p.conditional_expected(5, 6, 6, 6)? > p.conditional_expected(5, 1, 1, 6)?);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn conditional_expected(&self, n_star: u32, x: u32, t_x: u32, n: u32) -> Result<f64> {
        let l = self.log_likelihood(x, t_x, n)?;
        let [a, b, g, d] = self.arr();
        let (xf, nf) = (f64::from(x), f64::from(n));
        let lead = (ln_beta(a + xf + 1.0, b + nf - xf) - ln_beta(a, b) + ln_gamma(g + d)
            - ln_gamma(1.0 + d)
            - l)
            .exp();
        Ok((lead * d * self.d(nf, nf + f64::from(n_star))).max(0.0))
    }

    /// Expected transactions in the first `n` opportunities for a new customer (eq. 6).
    ///
    /// # Errors
    ///
    /// Never fails for valid parameters; `Result` for a uniform API.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::BgBbParams;
    /// let p = BgBbParams::new(1.204, 0.750, 0.657, 2.783)?;
    /// assert!(p.expected(6)? > p.expected(1)?);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn expected(&self, n: u32) -> Result<f64> {
        let [a, b, g, d] = self.arr();
        let lead = a / (a + b) * d * (ln_gamma(g + d) - ln_gamma(1.0 + d)).exp();
        Ok((lead * self.d(0.0, f64::from(n))).max(0.0))
    }

    /// `P(X(n) = x)` for a new customer (FHS 2010 eq. 7).
    ///
    /// # Formula
    ///
    /// ```text
    /// P(X(n)=x) = C(n,x) B(α+x, β+n-x)/B(α,β) · B(γ, δ+n)/B(γ,δ)
    ///           + Σ_{i=x}^{n-1} C(i,x) B(α+x, β+i-x)/B(α,β) · B(γ+1, δ+i)/B(γ,δ)
    /// ```
    ///
    /// # Errors
    ///
    /// Never fails; `0` for `x > n`.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::BgBbParams;
    /// let p = BgBbParams::new(1.204, 0.750, 0.657, 2.783)?;
    /// // Hardie's sheet: 3,454.9 of 11,104 donors make no repeat donation in 6 years.
    /// assert!((11104.0 * p.pmf(0, 6)? - 3454.9).abs() < 1.5);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn pmf(&self, x: u32, n: u32) -> Result<f64> {
        if x > n {
            return Ok(0.0);
        }
        let [a, b, g, d] = self.arr();
        let (xf, nf) = (f64::from(x), f64::from(n));
        let (lab, lgd) = (ln_beta(a, b), ln_beta(g, d));
        let lc = |i: f64| ln_gamma(i + 1.0) - ln_gamma(xf + 1.0) - ln_gamma(i - xf + 1.0);
        let mut l = lc(nf) + ln_beta(a + xf, b + nf - xf) - lab + ln_beta(g, d + nf) - lgd;
        for i in x..n {
            let i = f64::from(i);
            l = log_add_exp(
                l,
                lc(i) + ln_beta(a + xf, b + i - xf) - lab + ln_beta(g + 1.0, d + i) - lgd,
            );
        }
        Ok(l.exp().clamp(0.0, 1.0))
    }

    /// Discounted expected residual transactions with discount rate `d` per opportunity
    /// (FHS 2010 eq. 14).
    ///
    /// # Formula
    ///
    /// ```text
    /// DERT = B(α+x+1, β+n-x)/B(α,β) · B(γ, δ+n+1)/(B(γ,δ)(1+d))
    ///        · 2F1(1, δ+n+1; γ+δ+n+1; 1/(1+d)) / L
    /// ```
    ///
    /// # Errors
    ///
    /// As [`BgBbParams::log_likelihood`]; [`Error::InvalidOption`] unless `d` is finite and
    /// > 0.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::BgBbParams;
    /// let p = BgBbParams::new(1.204, 0.750, 0.657, 2.783)?;
    /// assert!(p.dert(0.10, 6, 6, 6)? > p.dert(0.10, 1, 1, 6)?);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn dert(&self, discount: f64, x: u32, t_x: u32, n: u32) -> Result<f64> {
        crate::validate::positive("discount", discount)?;
        let l = self.log_likelihood(x, t_x, n)?;
        let [a, b, g, d] = self.arr();
        let (xf, nf) = (f64::from(x), f64::from(n));
        let lead = ln_beta(a + xf + 1.0, b + nf - xf) - ln_beta(a, b) + ln_beta(g, d + nf + 1.0)
            - ln_beta(g, d)
            - (1.0 + discount).ln()
            - l;
        let h = hyp2f1(1.0, d + nf + 1.0, g + d + nf + 1.0, 1.0 / (1.0 + discount)).ok_or_else(
            || Error::NotConverged {
                what: "hypergeometric series in BG/BB DERT".into(),
                iterations: crate::numeric::hyp2f1::MAX_TERMS,
                last_change: f64::NAN,
            },
        )?;
        Ok((lead.exp() * h).max(0.0))
    }
}

/// A fitted BG/BB model.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct BgBbFit {
    params: BgBbParams,
    std_errors: Option<[f64; 4]>,
    log_likelihood: f64,
    n_customers: f64,
    convergence: Convergence,
    options: FitOptions,
}

impl BgBbFit {
    /// The estimates.
    pub fn params(&self) -> BgBbParams {
        self.params
    }
    /// Standard errors of `(α, β, γ, δ)`; `None` if the Hessian is not positive definite.
    #[must_use]
    pub fn std_errors(&self) -> Option<[f64; 4]> {
        self.std_errors
    }
    /// The full log-likelihood.
    #[must_use]
    pub fn log_likelihood(&self) -> f64 {
        self.log_likelihood
    }
    /// Total weight fitted.
    #[must_use]
    pub fn n_customers(&self) -> f64 {
        self.n_customers
    }
    /// The optimiser's record.
    pub fn convergence(&self) -> &Convergence {
        &self.convergence
    }
    /// The options used.
    pub fn options(&self) -> FitOptions {
        self.options
    }
}

impl fmt::Display for BgBbFit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.params;
        writeln!(f, "BG/BB fit: {} customers", self.n_customers)?;
        write_params(
            f,
            &[
                ("alpha", p.alpha),
                ("beta", p.beta),
                ("gamma", p.gamma),
                ("delta", p.delta),
            ],
            self.std_errors.as_ref().map(|s| &s[..]),
        )?;
        writeln!(
            f,
            "log-likelihood {:.4} (L2 penalty {})",
            self.log_likelihood,
            self.options.get_penalty()
        )?;
        write!(f, "convergence: {}", self.convergence)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn pmf_sums_to_one_and_matches_expectation() {
        let p = BgBbParams::new(1.2, 0.75, 0.66, 2.8).unwrap();
        for n in [1u32, 6, 20] {
            let s: f64 = (0..=n).map(|x| p.pmf(x, n).unwrap()).sum();
            let m: f64 = (0..=n).map(|x| f64::from(x) * p.pmf(x, n).unwrap()).sum();
            assert!((s - 1.0).abs() < 1e-12);
            assert!((m - p.expected(n).unwrap()).abs() < 1e-10);
        }
        // γ = 1 limit is continuous.
        let q = BgBbParams::new(1.2, 0.75, 1.0, 2.8).unwrap();
        let r = BgBbParams::new(1.2, 0.75, 1.0 + 1e-6, 2.8).unwrap();
        assert!((q.expected(10).unwrap() - r.expected(10).unwrap()).abs() < 1e-5);
    }

    #[test]
    fn dert_is_the_discounted_sum() {
        // DERT = Σ_{k>=1} E[transaction at n+k | history] / (1+d)^k, with
        // E[tx at n+k] = conditional_expected(k) - conditional_expected(k-1).
        let p = BgBbParams::new(1.2, 0.75, 0.66, 2.8).unwrap();
        let d = 0.1f64;
        let mut prev = 0.0;
        let mut s = 0.0;
        for k in 1..3000u32 {
            let c = p.conditional_expected(k, 3, 5, 6).unwrap();
            s += (c - prev) / (1.0 + d).powi(k as i32);
            prev = c;
        }
        assert!((p.dert(d, 3, 5, 6).unwrap() - s).abs() < 1e-8, "{s}");
    }
}
