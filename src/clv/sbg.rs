//! The shifted-beta-geometric (sBG) model of contractual retention (Fader & Hardie 2007).

use serde::{Deserialize, Serialize};
use statrs::function::gamma::{digamma, ln_gamma};
use std::fmt;

use crate::numeric::hyp2f1::hyp2f1;
use crate::numeric::optim::{self, Convergence, Settings};
use crate::numeric::special::ln_beta;
use crate::{Error, Result};

/// Options for fitting the sBG model by maximum likelihood.
///
/// Each customer renews at the end of every period with a probability `1 - θ`; churn
/// probabilities `θ` vary across customers as Beta(α, β). The fit maximises the exact
/// log-likelihood (in log-gamma space) over `ln α, ln β` with BFGS and an analytic gradient,
/// from the deterministic start α = β = 1.
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `max_iter` | 500 | BFGS iteration limit | >= 1 |
/// | `tolerance` | 1e-8 | max gradient component (log-parameters, per customer) | finite, > 0 |
///
/// # Example
///
/// ```
/// use crm_analytics::clv::Sbg;
///
/// // Fader & Hardie (2007), "regular" cohort, years 0..7 (1,000 customers).
/// let alive = [1000.0, 631.0, 468.0, 382.0, 326.0, 289.0, 262.0, 241.0];
/// let fit = Sbg::new().fit_cohorts(&[&alive])?;
/// assert!((fit.params().alpha() - 0.704).abs() < 5e-4);
/// assert!((fit.params().beta() - 1.182).abs() < 5e-4);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
///
/// Fader, P. S. and Hardie, B. G. S. (2007), "How to project customer retention",
/// *Journal of Interactive Marketing* 21(1), 76-90.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sbg {
    max_iter: usize,
    tolerance: f64,
}

impl Default for Sbg {
    fn default() -> Self {
        Sbg {
            max_iter: 500,
            tolerance: 1e-8,
        }
    }
}

impl Sbg {
    /// Default options (see the table on [`Sbg`]).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// BFGS iteration limit.
    ///
    /// # Errors
    ///
    /// The fit returns [`Error::InvalidOption`] when it is 0.
    #[must_use]
    pub fn max_iter(mut self, n: usize) -> Self {
        self.max_iter = n;
        self
    }

    /// Gradient tolerance (per customer, on log-parameters).
    ///
    /// # Errors
    ///
    /// The fit returns [`Error::InvalidOption`] unless finite and > 0.
    #[must_use]
    pub fn tolerance(mut self, tol: f64) -> Self {
        self.tolerance = tol;
        self
    }

    /// The iteration limit.
    #[must_use]
    pub fn get_max_iter(&self) -> usize {
        self.max_iter
    }

    /// The gradient tolerance.
    #[must_use]
    pub fn get_tolerance(&self) -> f64 {
        self.tolerance
    }

    /// Fit on one or several cohorts' survival counts.
    ///
    /// `cohorts[k][t]` is the number of customers of cohort `k` still active at the end of
    /// period `t`; `cohorts[k][0]` is the cohort's initial size. Counts may be fractional
    /// (e.g. percentages scaled to a cohort size) but must be finite, non-negative and
    /// non-increasing. All cohorts share (α, β).
    ///
    /// # Formula
    ///
    /// ```text
    /// LL = Σ_k [ Σ_{t=1..m_k} (n_{k,t-1} - n_{k,t}) ln P(T = t) + n_{k,m_k} ln S(m_k) ]
    /// P(T = t) = B(α + 1, β + t - 1) / B(α, β),  S(t) = B(α, β + t) / B(α, β)
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Empty`] without cohorts or with a cohort of fewer than 2 counts;
    /// [`Error::NonFiniteAt`]; [`Error::InvalidValue`] for a negative or increasing count
    /// or an initial size of 0; [`Error::InvalidOption`] for bad options;
    /// [`Error::NotConverged`] only when the likelihood cannot be evaluated at the start.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::Sbg;
    /// let fit = Sbg::new().fit_cohorts(&[&[1000.0, 869.0, 743.0, 653.0, 593.0, 551.0, 517.0, 491.0]])?;
    /// assert!((fit.params().alpha() - 0.668).abs() < 5e-4);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn fit_cohorts(&self, cohorts: &[&[f64]]) -> Result<SbgFit> {
        if cohorts.is_empty() {
            return Err(Error::Empty {
                what: "cohorts".into(),
            });
        }
        let mut groups = Vec::new();
        for (k, c) in cohorts.iter().enumerate() {
            let what = format!("cohort {k} survival counts");
            if c.len() < 2 {
                return Err(Error::Empty { what });
            }
            crate::validate::slice_finite(&what, c)?;
            if !(c[0] > 0.0) {
                return Err(Error::InvalidValue {
                    what,
                    location: "period 0".into(),
                    value: c[0],
                    expected: "> 0 (the cohort's initial size)".into(),
                });
            }
            for t in 1..c.len() {
                if c[t] < 0.0 || c[t] > c[t - 1] {
                    return Err(Error::InvalidValue {
                        what,
                        location: format!("period {t}"),
                        value: c[t],
                        expected: format!("in [0, {}] (counts cannot increase)", c[t - 1]),
                    });
                }
                let lost = c[t - 1] - c[t];
                if lost > 0.0 {
                    groups.push((t as u32, true, lost));
                }
            }
            let last = c.len() - 1;
            if c[last] > 0.0 {
                groups.push((last as u32, false, c[last]));
            }
        }
        self.fit_groups(groups)
    }

    /// Fit on individual customers: `tenure[i]` is the number of periods customer `i`
    /// completed; `churned[i]` says whether the customer left at the end of period
    /// `tenure[i]` (then `tenure >= 1`) or is still active (right-censored, `tenure >= 0`).
    ///
    /// # Errors
    ///
    /// [`Error::Empty`], [`Error::DimensionMismatch`] for unequal lengths,
    /// [`Error::InvalidValue`] for a churned customer with tenure 0, and option errors.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::Sbg;
    /// let tenure = [1, 1, 2, 3, 3, 5, 5, 5];
    /// let churned = [true, true, true, true, false, false, false, false];
    /// let fit = Sbg::new().fit_individual(&tenure, &churned)?;
    /// assert!(fit.params().survival(1)? < 1.0);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn fit_individual(&self, tenure: &[u32], churned: &[bool]) -> Result<SbgFit> {
        if tenure.is_empty() {
            return Err(Error::Empty {
                what: "tenure".into(),
            });
        }
        crate::validate::same_len("`churned` against `tenure`", tenure.len(), churned.len())?;
        let mut map = std::collections::BTreeMap::new();
        for (i, (&t, &c)) in tenure.iter().zip(churned).enumerate() {
            if c && t == 0 {
                return Err(Error::InvalidValue {
                    what: "tenure of a churned customer".into(),
                    location: format!("customer {i}"),
                    value: 0.0,
                    expected: ">= 1 (churn is observed at the end of a period)".into(),
                });
            }
            *map.entry((t, c)).or_insert(0.0) += 1.0;
        }
        self.fit_groups(map.into_iter().map(|((t, c), w)| (t, c, w)).collect())
    }

    fn fit_groups(&self, groups: Vec<(u32, bool, f64)>) -> Result<SbgFit> {
        if self.max_iter == 0 {
            return Err(Error::option("max_iter", 0.0, ">= 1"));
        }
        crate::validate::positive("tolerance", self.tolerance)?;
        let n: f64 = groups.iter().map(|g| g.2).sum();
        let f = |th: &[f64], g: &mut [f64]| -> f64 {
            let (a, b) = (th[0].exp(), th[1].exp());
            let (ll, ga, gb) = sbg_ll(a, b, &groups);
            g[0] = -ga * a / n;
            g[1] = -gb * b / n;
            -ll / n
        };
        let settings = Settings {
            max_iter: self.max_iter,
            gtol: self.tolerance,
            ..Settings::default()
        };
        let m = optim::minimize(f, &[0.0, 0.0], settings).ok_or_else(|| Error::NotConverged {
            what: "sBG maximum likelihood".into(),
            iterations: 0,
            last_change: f64::NAN,
        })?;
        let (a, b) = (m.x[0].exp(), m.x[1].exp());
        let (ll, _, _) = sbg_ll(a, b, &groups);
        let mut grad = |p: &[f64], g: &mut [f64]| {
            if p.iter().any(|v| !(*v > 0.0)) {
                return false;
            }
            let (_, ga, gb) = sbg_ll(p[0], p[1], &groups);
            g[0] = -ga;
            g[1] = -gb;
            ga.is_finite() && gb.is_finite()
        };
        let se = optim::hessian_from_gradient(&mut grad, &[a, b])
            .and_then(|h| optim::std_errors(&h))
            .map(|v| [v[0], v[1]]);
        Ok(SbgFit {
            params: SbgParams { alpha: a, beta: b },
            std_errors: se,
            log_likelihood: ll,
            n_customers: n,
            convergence: m.record,
            options: *self,
        })
    }
}

/// Log-likelihood and its gradient in (α, β).
fn sbg_ll(a: f64, b: f64, groups: &[(u32, bool, f64)]) -> (f64, f64, f64) {
    let lb = ln_beta(a, b);
    let (pa, pb, pab) = (digamma(a), digamma(b), digamma(a + b));
    let (mut ll, mut ga, mut gb) = (0.0, 0.0, 0.0);
    for &(t, churned, w) in groups {
        let t = f64::from(t);
        if churned {
            ll += w * (ln_beta(a + 1.0, b + t - 1.0) - lb);
            ga += w * (digamma(a + 1.0) - digamma(a + b + t) - pa + pab);
            gb += w * (digamma(b + t - 1.0) - digamma(a + b + t) - pb + pab);
        } else {
            ll += w * (ln_beta(a, b + t) - lb);
            ga += w * (pab - digamma(a + b + t));
            gb += w * (digamma(b + t) - digamma(a + b + t) - pb + pab);
        }
    }
    (ll, ga, gb)
}

/// sBG parameters (α, β) and everything that follows from them: survival, churn
/// probabilities, retention rates, discounted expected (residual) lifetimes and the
/// retention elasticity.
///
/// # Example
///
/// ```
/// use crm_analytics::clv::SbgParams;
/// // Fader & Hardie (2007), high-end cohort: DERL at d = 0.10 for a customer alive at
/// // the start of period 8 is 7.53 periods.
/// let p = SbgParams::new(0.668, 3.806)?;
/// assert!((p.derl(0.10, 8)? - 7.53).abs() < 0.005);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SbgParams {
    alpha: f64,
    beta: f64,
}

impl SbgParams {
    /// Parameters of the Beta(α, β) distribution of churn probabilities.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] unless both are finite and > 0.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::SbgParams;
    /// assert!(SbgParams::new(1.0, 0.0).is_err());
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn new(alpha: f64, beta: f64) -> Result<Self> {
        crate::validate::positive("alpha", alpha)?;
        crate::validate::positive("beta", beta)?;
        Ok(SbgParams { alpha, beta })
    }

    /// α.
    #[must_use]
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// β.
    #[must_use]
    pub fn beta(&self) -> f64 {
        self.beta
    }

    /// Survival `S(t) = B(α, β + t) / B(α, β) = Π_{j<t} (β + j) / (α + β + j)`: the share of
    /// a cohort still active after `t` periods.
    ///
    /// # Errors
    ///
    /// Never fails for valid parameters; returns `Result` for a uniform API.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::SbgParams;
    /// // S(1) = β / (α + β)
    /// assert!((SbgParams::new(1.0, 3.0)?.survival(1)? - 0.75).abs() < 1e-15);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn survival(&self, t: u32) -> Result<f64> {
        Ok(self.ln_survival(t).exp().clamp(0.0, 1.0))
    }

    fn ln_survival(&self, t: u32) -> f64 {
        let (a, b) = (self.alpha, self.beta);
        if t <= 4096 {
            (0..t)
                .map(|j| ((b + f64::from(j)) / (a + b + f64::from(j))).ln())
                .sum()
        } else {
            let t = f64::from(t);
            let v = ln_gamma(b + t) - ln_gamma(b) - ln_gamma(a + b + t) + ln_gamma(a + b);
            v.min(0.0)
        }
    }

    /// Probability of churning in period `t`: `P(T = t) = α / (α + β + t - 1) · S(t - 1)`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] for `t = 0`.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::SbgParams;
    /// // P(T = 1) = α / (α + β)
    /// assert!((SbgParams::new(1.0, 3.0)?.churn_probability(1)? - 0.25).abs() < 1e-15);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn churn_probability(&self, t: u32) -> Result<f64> {
        if t == 0 {
            return Err(Error::option("t", 0.0, ">= 1"));
        }
        let (a, b) = (self.alpha, self.beta);
        let h = a / (a + b + f64::from(t) - 1.0);
        Ok((h * self.ln_survival(t - 1).exp()).clamp(0.0, 1.0))
    }

    /// Retention rate in period `t`: `r_t = S(t) / S(t-1) = (β + t - 1) / (α + β + t - 1)`,
    /// which rises with `t` (heterogeneity, not individual loyalty).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] for `t = 0`.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::SbgParams;
    /// let p = SbgParams::new(0.704, 1.182)?;
    /// assert!(p.retention_rate(2)? > p.retention_rate(1)?);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn retention_rate(&self, t: u32) -> Result<f64> {
        if t == 0 {
            return Err(Error::option("t", 0.0, ">= 1"));
        }
        let (a, b) = (self.alpha, self.beta);
        let t = f64::from(t);
        Ok(((b + t - 1.0) / (a + b + t - 1.0)).clamp(0.0, 1.0))
    }

    /// Discounted expected lifetime of a new customer, in periods, counting the current
    /// period undiscounted (Fader & Hardie 2010, eq. 5).
    ///
    /// # Formula
    ///
    /// ```text
    /// DEL(d) = Σ_{t>=1} S(t-1) / (1+d)^(t-1) = 2F1(1, β; α + β; 1 / (1 + d))
    /// ```
    ///
    /// Multiply by a constant margin per period to get the expected CLV.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] unless `d` is finite and `> 0`; [`Error::NotConverged`]
    /// if 2F1 cannot be evaluated (not expected for valid parameters).
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::SbgParams;
    /// // Geometric limit check: α = 0.2 k, β = 0.8 k with k large behaves as r = 0.8:
    /// // (1 + d) / (d + 0.2) = 3.6667 at d = 0.1.
    /// let p = SbgParams::new(0.2e6, 0.8e6)?;
    /// assert!((p.del(0.1)? - 1.1 / 0.3).abs() < 1e-4);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn del(&self, discount: f64) -> Result<f64> {
        crate::validate::positive("discount", discount)?;
        h(
            1.0,
            self.beta,
            self.alpha + self.beta,
            1.0 / (1.0 + discount),
            "DEL",
        )
    }

    /// Discounted expected residual lifetime of a customer who has made `n - 1` renewals
    /// and is alive at the start of period `n` (Fader & Hardie 2010, eq. 6), in periods,
    /// the first of which is discounted one period.
    ///
    /// # Formula
    ///
    /// ```text
    /// DERL(d, n) = Σ_{k>=0} [S(n+k) / S(n-1)] / (1+d)^k
    ///            = (β + n - 1) / (α + β + n - 1) · 2F1(1, β + n; α + β + n; 1 / (1 + d))
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] for `n = 0` or a discount not finite and `> 0`.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::SbgParams;
    /// let p = SbgParams::new(0.668, 3.806)?;
    /// assert!(p.derl(0.1, 8)? > p.derl(0.1, 2)?); // survivors are better customers
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn derl(&self, discount: f64, n: u32) -> Result<f64> {
        crate::validate::positive("discount", discount)?;
        if n == 0 {
            return Err(Error::option("n", 0.0, ">= 1"));
        }
        let (a, b, nf) = (self.alpha, self.beta, f64::from(n));
        let f = h(1.0, b + nf, a + b + nf, 1.0 / (1.0 + discount), "DERL")?;
        Ok((b + nf - 1.0) / (a + b + nf - 1.0) * f)
    }

    /// Retention elasticity of residual lifetime value: the percentage increase in DERL
    /// from a 1% increase in every future retention rate, for a customer at the start of
    /// period `n` (Fader & Hardie 2010).
    ///
    /// # Formula
    ///
    /// ```text
    /// With every retention rate scaled by κ, DERL(κ) = Σ_{k>=0} κ^(k+1) c_k z^k, so
    /// ε = d ln DERL / d ln κ |κ=1 = 1 + z F'(z) / F(z), F(z) = 2F1(1, β+n; α+β+n; z),
    /// F'(z) = (β+n)/(α+β+n) · 2F1(2, β+n+1; α+β+n+1; z), z = 1/(1+d).
    /// ```
    ///
    /// For a homogeneous base (retention r) this is `(1 + d) / (1 + d - r)`.
    ///
    /// # Errors
    ///
    /// As [`SbgParams::derl`].
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::SbgParams;
    /// // Near-homogeneous base with r = 0.8, d = 0.1: (1.1) / (0.3) = 3.667.
    /// let p = SbgParams::new(0.2e6, 0.8e6)?;
    /// assert!((p.retention_elasticity(0.1, 1)? - 1.1 / 0.3).abs() < 1e-3);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn retention_elasticity(&self, discount: f64, n: u32) -> Result<f64> {
        crate::validate::positive("discount", discount)?;
        if n == 0 {
            return Err(Error::option("n", 0.0, ">= 1"));
        }
        let (a, b, nf) = (self.alpha, self.beta, f64::from(n));
        let z = 1.0 / (1.0 + discount);
        let f = h(1.0, b + nf, a + b + nf, z, "retention elasticity")?;
        let fp = (b + nf) / (a + b + nf)
            * h(
                2.0,
                b + nf + 1.0,
                a + b + nf + 1.0,
                z,
                "retention elasticity",
            )?;
        Ok(1.0 + z * fp / f)
    }

    /// Observed and projected survival side by side for periods `0..=horizon`.
    ///
    /// `observed[t]` (optional per period) is a cohort's observed share alive, as a
    /// fraction in `[0, 1]` (pass `&[]` for none).
    ///
    /// # Errors
    ///
    /// [`Error::NonFiniteAt`] for a non-finite observed share and
    /// [`Error::InvalidValue`] for one outside `[0, 1]`.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::SbgParams;
    /// let table = SbgParams::new(0.704, 1.182)?.projection(&[1.0, 0.631], 12)?;
    /// assert_eq!(table.rows.len(), 13);
    /// let text = table.to_string(); // ready to print
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn projection(&self, observed: &[f64], horizon: u32) -> Result<SbgProjection> {
        crate::validate::slice_finite("observed survival", observed)?;
        if let Some(i) = observed.iter().position(|v| !(0.0..=1.0).contains(v)) {
            return Err(Error::InvalidValue {
                what: "observed survival".into(),
                location: format!("period {i}"),
                value: observed[i],
                expected: "a fraction in [0, 1]".into(),
            });
        }
        let mut rows = Vec::with_capacity(horizon as usize + 1);
        for t in 0..=horizon {
            rows.push(ProjectionRow {
                period: t,
                observed: observed.get(t as usize).copied(),
                projected: self.survival(t)?,
                retention_rate: if t == 0 {
                    None
                } else {
                    Some(self.retention_rate(t)?)
                },
                churn_probability: if t == 0 {
                    None
                } else {
                    Some(self.churn_probability(t)?)
                },
            });
        }
        Ok(SbgProjection {
            params: *self,
            rows,
        })
    }
}

fn h(a: f64, b: f64, c: f64, z: f64, what: &str) -> Result<f64> {
    hyp2f1(a, b, c, z)
        .filter(|v| v.is_finite())
        .ok_or_else(|| Error::NotConverged {
            what: format!("hypergeometric series for sBG {what}"),
            iterations: crate::numeric::hyp2f1::MAX_TERMS,
            last_change: f64::NAN,
        })
}

/// A fitted sBG model: the maximum-likelihood (α, β), their standard errors, the full
/// log-likelihood and the convergence record.
///
/// Predictions are on [`SbgFit::params`] ([`SbgParams`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct SbgFit {
    params: SbgParams,
    std_errors: Option<[f64; 2]>,
    log_likelihood: f64,
    n_customers: f64,
    convergence: Convergence,
    options: Sbg,
}

impl SbgFit {
    /// The fitted (α, β).
    pub fn params(&self) -> SbgParams {
        self.params
    }
    /// Standard errors of (α, β) from the inverse observed information (numerical Hessian
    /// of the log-likelihood); `None` if the Hessian is not positive definite.
    #[must_use]
    pub fn std_errors(&self) -> Option<[f64; 2]> {
        self.std_errors
    }
    /// The full log-likelihood at the optimum (all constants included).
    #[must_use]
    pub fn log_likelihood(&self) -> f64 {
        self.log_likelihood
    }
    /// Number of customers (sum of counts) in the fit.
    #[must_use]
    pub fn n_customers(&self) -> f64 {
        self.n_customers
    }
    /// Why and after how many iterations the optimiser stopped.
    pub fn convergence(&self) -> &Convergence {
        &self.convergence
    }
    /// The options used.
    pub fn options(&self) -> Sbg {
        self.options
    }
}

impl fmt::Display for SbgFit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "shifted-beta-geometric (sBG) fit, {} customers",
            self.n_customers
        )?;
        writeln!(f, "{:<8} {:>12} {:>12}", "param", "estimate", "std. error")?;
        let se = self.std_errors.map(|s| s.map(|v| format!("{v:.6}")));
        for (i, (name, v)) in [("alpha", self.params.alpha), ("beta", self.params.beta)]
            .iter()
            .enumerate()
        {
            let s = se.as_ref().map_or("n/a".to_string(), |s| s[i].clone());
            writeln!(f, "{name:<8} {v:>12.6} {s:>12}")?;
        }
        writeln!(f, "log-likelihood {:.4}", self.log_likelihood)?;
        write!(f, "convergence: {}", self.convergence)
    }
}

/// One period of an [`SbgProjection`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ProjectionRow {
    /// Period `t` (0 = start).
    pub period: u32,
    /// Observed share alive, when supplied.
    pub observed: Option<f64>,
    /// Model survival S(t).
    pub projected: f64,
    /// Retention rate r_t (none at t = 0).
    pub retention_rate: Option<f64>,
    /// P(T = t) (none at t = 0).
    pub churn_probability: Option<f64>,
}

/// Observed versus projected cohort survival, from [`SbgParams::projection`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SbgProjection {
    /// The parameters projected.
    pub params: SbgParams,
    /// One row per period.
    pub rows: Vec<ProjectionRow>,
}

impl fmt::Display for SbgProjection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "sBG projection (alpha {:.4}, beta {:.4})",
            self.params.alpha, self.params.beta
        )?;
        writeln!(
            f,
            "{:>6} {:>10} {:>10} {:>10} {:>10}",
            "period", "observed", "S(t)", "r_t", "P(T=t)"
        )?;
        let o = |v: Option<f64>| v.map_or("".to_string(), |v| format!("{v:.4}"));
        for r in &self.rows {
            writeln!(
                f,
                "{:>6} {:>10} {:>10.4} {:>10} {:>10}",
                r.period,
                o(r.observed),
                r.projected,
                o(r.retention_rate),
                o(r.churn_probability)
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn closed_forms_by_hand() {
        // α = 1, β = 3: S(1) = 3/4, S(2) = 3/4 · 4/5 = 0.6, P(T=2) = 1/5 · 3/4 = 0.15
        let p = SbgParams::new(1.0, 3.0).unwrap();
        assert!((p.survival(2).unwrap() - 0.6).abs() < 1e-15);
        assert!((p.churn_probability(2).unwrap() - 0.15).abs() < 1e-15);
        // S(t-1) - S(t) = P(T = t)
        for t in 1..30 {
            let d = p.survival(t - 1).unwrap() - p.survival(t).unwrap();
            assert!((d - p.churn_probability(t).unwrap()).abs() < 1e-14);
        }
        // DEL = Σ S(t-1) z^(t-1), summed directly
        let z: f64 = 1.0 / 1.1;
        let s: f64 = (0..3000)
            .map(|t| p.survival(t).unwrap() * z.powi(t as i32))
            .sum();
        assert!((p.del(0.1).unwrap() - s).abs() < 1e-10);
        // DERL at n: Σ_{k>=0} S(n+k)/S(n-1) z^k
        let n = 4;
        let s: f64 = (0..3000)
            .map(|k| p.survival(n + k).unwrap() / p.survival(n - 1).unwrap() * z.powi(k as i32))
            .sum();
        assert!((p.derl(0.1, n).unwrap() - s).abs() < 1e-10);
    }

    #[test]
    fn elasticity_matches_finite_difference() {
        // Scale all retention rates by κ = 1 ± 1e-6 and sum the series by hand.
        let p = SbgParams::new(0.668, 3.806).unwrap();
        let (d, n) = (0.1f64, 3u32);
        let derl = |kappa: f64| -> f64 {
            let z: f64 = 1.0 / (1.0 + d);
            let mut term = 1.0;
            let mut s = 0.0;
            for k in 0..20_000u32 {
                term *= kappa * p.retention_rate(n + k).unwrap();
                s += term * z.powi(k as i32);
            }
            s
        };
        let e = (derl(1.0 + 1e-6).ln() - derl(1.0 - 1e-6).ln())
            / ((1.0f64 + 1e-6).ln() - (1.0f64 - 1e-6).ln());
        assert!(
            (p.retention_elasticity(d, n).unwrap() - e).abs() < 1e-5,
            "{e}"
        );
    }
}
