//! BG/NBD (Fader, Hardie & Lee 2005) and MBG/NBD (Batislam, Denizel & Filiztekin 2007).

use serde::{Deserialize, Serialize};
use statrs::function::beta::checked_beta_reg;
use statrs::function::gamma::{digamma, ln_gamma};
use std::collections::HashMap;
use std::fmt;

use super::data::{check_customer, check_horizon};
use super::fitting::{FitOptions, fit_positive};
use super::{PeriodUnit, RfmData, TransactionModel};
use crate::numeric::optim::Convergence;
use crate::numeric::special::{inv_one_plus_exp, ln_beta, ln1p_exp, one_minus_exp_over};
use crate::{Error, Result};

/// Which beta-geometric model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BetaGeoModel {
    /// BG/NBD: a customer can drop out only after a repeat transaction.
    BgNbd,
    /// MBG/NBD: a customer can also drop out right after the first purchase (at time 0),
    /// so zero-repeaters can be dead.
    MbgNbd,
}

impl BetaGeoModel {
    fn shift(self) -> f64 {
        match self {
            BetaGeoModel::BgNbd => 0.0,
            BetaGeoModel::MbgNbd => 1.0,
        }
    }
    fn active(self, x: f64) -> bool {
        matches!(self, BetaGeoModel::MbgNbd) || x > 0.0
    }
}

impl fmt::Display for BetaGeoModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BetaGeoModel::BgNbd => "BG/NBD",
            BetaGeoModel::MbgNbd => "MBG/NBD",
        })
    }
}

macro_rules! fit_options_setters {
    ($t:ident) => {
        impl $t {
            /// Default options (see [`FitOptions`]).
            #[must_use]
            pub fn new() -> Self {
                Self::default()
            }
            /// Replace all fit options at once.
            #[must_use]
            pub fn options(mut self, o: FitOptions) -> Self {
                self.options = o;
                self
            }
            /// BFGS iteration limit (see [`FitOptions::max_iter`]).
            #[must_use]
            pub fn max_iter(mut self, n: usize) -> Self {
                self.options = self.options.max_iter(n);
                self
            }
            /// Gradient tolerance (see [`FitOptions::tolerance`]).
            #[must_use]
            pub fn tolerance(mut self, t: f64) -> Self {
                self.options = self.options.tolerance(t);
                self
            }
            /// L2 penalty (see [`FitOptions::penalty`]).
            #[must_use]
            pub fn penalty(mut self, p: f64) -> Self {
                self.options = self.options.penalty(p);
                self
            }
            /// The fit options.
            #[must_use]
            pub fn get_options(&self) -> FitOptions {
                self.options
            }
        }
    };
}
pub(crate) use fit_options_setters;

/// BG/NBD maximum-likelihood fit (Fader, Hardie & Lee 2005).
///
/// While alive, a customer buys at Poisson rate λ ~ Gamma(r, α); after each repeat
/// transaction the customer drops out with probability p ~ Beta(a, b). Options: see
/// [`FitOptions`]. Start values: `r = 1, α = mean(T) / (1 + mean(x)), a = 1, b = 1`.
///
/// # Formula
///
/// ```text
/// LL_i = ln Γ(r+x) - ln Γ(r) + r ln α + ln B(a, b+x) - ln B(a, b) - (r+x) ln(α+T)
///        + ln(1 + δ_{x>0} a/(b+x-1) ((α+T)/(α+t_x))^(r+x))
/// ```
///
/// summed with weights, in log space (log-sum-exp), with an analytic gradient. The
/// log-likelihood includes every constant and is in the data's time unit.
///
/// # Example
///
/// ```
/// use crm_analytics::clv::{BgNbd, PeriodUnit, RfmData};
/// let d = RfmData::new(&[2.0, 1.0, 0.0, 0.0, 5.0, 3.0], &[30.4, 1.7, 0.0, 0.0, 35.0, 20.0],
///                      &[38.9, 38.9, 38.9, 38.9, 38.9, 38.9], PeriodUnit::Week)?;
/// let fit = BgNbd::new().fit(&d)?;
/// let p = fit.params();
/// assert!(p.p_alive(2.0, 30.43, 38.86)? <= 1.0);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
///
/// Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "'Counting your customers' the easy
/// way: an alternative to the Pareto/NBD model", *Marketing Science* 24(2), 275-284.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct BgNbd {
    options: FitOptions,
}
fit_options_setters!(BgNbd);

impl BgNbd {
    /// Fit on `(x, t_x, T)` data.
    ///
    /// # Errors
    ///
    /// Option errors ([`Error::InvalidOption`]); [`Error::NotConverged`] when the
    /// likelihood is not finite at the start. A fit that stops on the iteration limit or a
    /// failed line search is returned with its best point and the reason in
    /// [`BetaGeoFit::convergence`].
    pub fn fit(&self, data: &RfmData) -> Result<BetaGeoFit> {
        fit_beta_geo(BetaGeoModel::BgNbd, &self.options, data)
    }
}

/// MBG/NBD maximum-likelihood fit (Batislam, Denizel & Filiztekin 2007): BG/NBD in which a
/// customer can also drop out at time 0.
///
/// # Formula
///
/// ```text
/// LL_i = ln Γ(r+x) - ln Γ(r) + r ln α + ln B(a, b+x+1) - ln B(a, b) - (r+x) ln(α+T)
///        + ln(1 + a/(b+x) ((α+T)/(α+t_x))^(r+x))
/// ```
///
/// # Example
///
/// ```
/// use crm_analytics::clv::{MbgNbd, PeriodUnit, RfmData};
/// let d = RfmData::new(&[2.0, 1.0, 0.0, 0.0, 5.0], &[30.4, 1.7, 0.0, 0.0, 35.0],
///                      &[38.9, 38.9, 38.9, 38.9, 38.9], PeriodUnit::Week)?;
/// let fit = MbgNbd::new().fit(&d)?;
/// assert!(fit.params().p_alive(0.0, 0.0, 38.9)? < 1.0); // zero-repeaters can be dead
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
///
/// Batislam, E. P., Denizel, M. and Filiztekin, A. (2007), "Empirical validation and
/// comparison of models for customer base analysis", *International Journal of Research in
/// Marketing* 24(3), 201-209.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct MbgNbd {
    options: FitOptions,
}
fit_options_setters!(MbgNbd);

impl MbgNbd {
    /// Fit on `(x, t_x, T)` data.
    ///
    /// # Errors
    ///
    /// As [`BgNbd::fit`].
    pub fn fit(&self, data: &RfmData) -> Result<BetaGeoFit> {
        fit_beta_geo(BetaGeoModel::MbgNbd, &self.options, data)
    }
}

/// Rows grouped for fast likelihood evaluation: per-x terms are computed once per distinct x.
/// Per-x terms are computed once per distinct x, and `ln(α + t)` once per distinct time
/// (CDNOW: about 30 frequencies and a few hundred times for 2,357 customers).
struct Prepared {
    xs: Vec<(f64, f64)>,                             // (x, total weight)
    times: Vec<f64>,                                 // distinct t_x and T values
    rows: Vec<(usize, f64, f64, f64, usize, usize)>, // (x index, t_x, T, weight, t_x index, T index)
}

fn prepare(data: &RfmData) -> Prepared {
    let d = data.compress();
    let mut idx: HashMap<u64, usize> = HashMap::new();
    let mut xs: Vec<(f64, f64)> = Vec::new();
    let mut rows = Vec::with_capacity(d.len());
    let mut tidx: HashMap<u64, usize> = HashMap::new();
    let mut times: Vec<f64> = Vec::new();
    let mut time = |v: f64| -> usize {
        *tidx.entry(v.to_bits()).or_insert_with(|| {
            times.push(v);
            times.len() - 1
        })
    };
    for i in 0..d.len() {
        let x = d.frequency()[i];
        let w = d.weights()[i];
        let k = *idx.entry(x.to_bits()).or_insert_with(|| {
            xs.push((x, 0.0));
            xs.len() - 1
        });
        xs[k].1 += w;
        let (tx, t) = (d.recency()[i], d.age()[i]);
        rows.push((k, tx, t, w, time(tx), time(t)));
    }
    Prepared { xs, times, rows }
}

/// Weighted log-likelihood and gradient in (r, α, a, b).
fn beta_geo_ll(
    model: BetaGeoModel,
    p: &[f64],
    prep: &Prepared,
    g: &mut [f64],
    per_x: &mut Vec<[f64; 6]>,
) -> f64 {
    let (r, al, a, b) = (p[0], p[1], p[2], p[3]);
    let s = model.shift();
    let lr = ln_gamma(r);
    let lnal = al.ln();
    let lba = ln_beta(a, b);
    let (pr, pa_b, pb) = (digamma(r), digamma(a + b), digamma(b));
    let lna = a.ln();
    let mut ll = 0.0;
    let mut gr = [0.0f64; 4];
    per_x.clear();
    for &(x, w) in &prep.xs {
        let c = ln_gamma(r + x) - lr + r * lnal - lba + ln_beta(a, b + x + s);
        ll += w * c;
        let dab = digamma(a + b + x + s);
        gr[0] += w * (digamma(r + x) - pr + lnal);
        gr[1] += w * r / al;
        gr[2] += w * (pa_b - dab);
        gr[3] += w * (digamma(b + x + s) - dab - pb + pa_b);
        let denom = b + x + s - 1.0;
        per_x.push([
            x,
            r + x,
            lna - denom.ln(),
            1.0 / denom,
            if model.active(x) { 1.0 } else { 0.0 },
            0.0,
        ]);
    }
    let lnt: Vec<(f64, f64)> = prep
        .times
        .iter()
        .map(|&v| ((al + v).ln(), 1.0 / (al + v)))
        .collect();
    for &(k, _, _, w, itx, it) in &prep.rows {
        let px = &per_x[k];
        let rx = px[1];
        let (lt, inv_t) = lnt[it];
        ll -= w * rx * lt;
        gr[0] -= w * lt;
        gr[1] -= w * rx * inv_t;
        if px[4] > 0.0 {
            let (ltx, inv_tx) = lnt[itx];
            let u = px[2] + rx * (lt - ltx);
            ll += w * ln1p_exp(u);
            let sg = 1.0 - inv_one_plus_exp(u); // σ(u)
            gr[0] += w * sg * (lt - ltx);
            gr[1] += w * sg * rx * (inv_t - inv_tx);
            gr[2] += w * sg / a;
            gr[3] -= w * sg * px[3];
        }
    }
    g.copy_from_slice(&gr);
    ll
}

fn fit_beta_geo(model: BetaGeoModel, opts: &FitOptions, data: &RfmData) -> Result<BetaGeoFit> {
    opts.validate()?;
    let prep = prepare(data);
    let n = data.total_weight();
    let (mut sx, mut st) = (0.0, 0.0);
    for &(k, _, t, w, _, _) in &prep.rows {
        sx += w * prep.xs[k].0;
        st += w * t;
    }
    let alpha0 = ((st / n) / (1.0 + sx / n)).max(1e-3);
    let mut per_x = Vec::new();
    let (est, convergence, se) = fit_positive(
        &model.to_string(),
        opts,
        n,
        &[1.0, alpha0, 1.0, 1.0],
        true,
        |p, g| beta_geo_ll(model, p, &prep, g, &mut per_x),
    )?;
    let mut g = [0.0; 4];
    let mut per_x = Vec::new();
    let ll = beta_geo_ll(model, &est, &prep, &mut g, &mut per_x);
    Ok(BetaGeoFit {
        params: BetaGeoParams {
            model,
            r: est[0],
            alpha: est[1],
            a: est[2],
            b: est[3],
            unit: data.unit(),
        },
        std_errors: se.map(|v| [v[0], v[1], v[2], v[3]]),
        log_likelihood: ll,
        n_customers: n,
        convergence,
        options: *opts,
    })
}

/// BG/NBD or MBG/NBD parameters and the predictions that follow from them.
///
/// # Example
///
/// ```
/// use crm_analytics::clv::{BetaGeoModel, BetaGeoParams, PeriodUnit};
/// // Fader, Hardie & Lee (2005) CDNOW estimates (weeks).
/// let p = BetaGeoParams::new(BetaGeoModel::BgNbd, 0.242593, 4.413532, 0.792886, 2.425752, PeriodUnit::Week)?;
/// let e = p.conditional_expected(39.0, 2.0, 30.43, 38.86)?;
/// assert!((e - 1.226).abs() < 5e-4);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BetaGeoParams {
    model: BetaGeoModel,
    r: f64,
    alpha: f64,
    a: f64,
    b: f64,
    unit: PeriodUnit,
}

impl BetaGeoParams {
    /// Parameters `r, α` (Gamma purchase rates, α in `unit`) and `a, b` (Beta dropout).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] unless all are finite and > 0, or for an invalid unit.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::{BetaGeoModel, BetaGeoParams, PeriodUnit};
    /// let p = BetaGeoParams::new(BetaGeoModel::MbgNbd, 0.525, 6.183, 0.891, 1.614, PeriodUnit::Week)?;
    /// assert_eq!(p.model(), BetaGeoModel::MbgNbd);
    /// assert!(BetaGeoParams::new(BetaGeoModel::BgNbd, -1.0, 1.0, 1.0, 1.0, PeriodUnit::Week).is_err());
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn new(
        model: BetaGeoModel,
        r: f64,
        alpha: f64,
        a: f64,
        b: f64,
        unit: PeriodUnit,
    ) -> Result<Self> {
        for (n, v) in [("r", r), ("alpha", alpha), ("a", a), ("b", b)] {
            crate::validate::positive(n, v)?;
        }
        unit.days()?;
        Ok(BetaGeoParams {
            model,
            r,
            alpha,
            a,
            b,
            unit,
        })
    }
    /// Which model.
    #[must_use]
    pub fn model(&self) -> BetaGeoModel {
        self.model
    }
    /// `r`.
    #[must_use]
    pub fn r(&self) -> f64 {
        self.r
    }
    /// `α` (in the time unit).
    #[must_use]
    pub fn alpha(&self) -> f64 {
        self.alpha
    }
    /// `a`.
    #[must_use]
    pub fn a(&self) -> f64 {
        self.a
    }
    /// `b`.
    #[must_use]
    pub fn b(&self) -> f64 {
        self.b
    }
    /// The time unit.
    #[must_use]
    pub fn unit(&self) -> PeriodUnit {
        self.unit
    }

    fn u(&self, x: f64, t_x: f64, t: f64) -> Option<f64> {
        if !self.model.active(x) {
            return None;
        }
        let s = self.model.shift();
        Some(
            self.a.ln() - (self.b + x + s - 1.0).ln()
                + (self.r + x) * ((self.alpha + t).ln() - (self.alpha + t_x).ln()),
        )
    }

    /// Probability that the customer is alive at `T`.
    ///
    /// # Formula
    ///
    /// ```text
    /// BG/NBD:  P(alive) = 1 / (1 + δ_{x>0} a/(b+x-1) ((α+T)/(α+t_x))^(r+x))
    /// MBG/NBD: P(alive) = 1 / (1 + a/(b+x) ((α+T)/(α+t_x))^(r+x))
    /// ```
    ///
    /// computed as a logistic function of the log-odds, so it is in `[0, 1]` for any history.
    ///
    /// # Errors
    ///
    /// Invalid `(x, t_x, T)`.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::{BetaGeoModel, BetaGeoParams, PeriodUnit};
    /// let p = BetaGeoParams::new(BetaGeoModel::BgNbd, 0.242593, 4.413532, 0.792886, 2.425752, PeriodUnit::Week)?;
    /// // CDNOW customer with x = 2, t_x = 30.43, T = 38.86 weeks.
    /// assert!((p.p_alive(2.0, 30.43, 38.86)? - 0.7266).abs() < 5e-4);
    /// assert_eq!(p.p_alive(0.0, 0.0, 38.86)?, 1.0); // BG/NBD: no repeat, no dropout
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn p_alive(&self, x: f64, t_x: f64, t_cal: f64) -> Result<f64> {
        check_customer(x, t_x, t_cal)?;
        Ok(self.u(x, t_x, t_cal).map_or(1.0, inv_one_plus_exp))
    }

    /// Expected transactions in `(T, T + t]` given `(x, t_x, T)` (FHL 2005 eq. 10; for
    /// MBG/NBD, b → b + 1 and the alive factor applies at x = 0).
    ///
    /// # Formula
    ///
    /// ```text
    /// E = (a+b+x-1)/(a-1) [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)] · P(alive),
    /// z = t/(α+T+t). Evaluated without cancellation through Euler's transformation:
    /// [..]/(a-1) = K - (1-z)^(a-1) H,  K = (1 - (1-z)^(a-1))/(a-1),
    /// H = Σ_{n>=1} (a+b-1-r)_n (a)_{n-1} z^n / ((a+b+x-1)_n n!),
    /// which is also valid at a = 1.
    /// ```
    ///
    /// # Errors
    ///
    /// Invalid inputs; [`Error::NotConverged`] when the series does not converge (only for
    /// `t` astronomically larger than `α + T`).
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::{BetaGeoModel, BetaGeoParams, PeriodUnit};
    /// let p = BetaGeoParams::new(BetaGeoModel::BgNbd, 0.242593, 4.413532, 0.792886, 2.425752, PeriodUnit::Week)?;
    /// // FHL 2005: 1.226 expected transactions in the next 39 weeks.
    /// assert!((p.conditional_expected(39.0, 2.0, 30.43, 38.86)? - 1.226).abs() < 5e-4);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn conditional_expected(&self, t: f64, x: f64, t_x: f64, t_cal: f64) -> Result<f64> {
        check_customer(x, t_x, t_cal)?;
        check_horizon(t)?;
        let core = self.core(t, x, t_cal)?;
        let alive = self.u(x, t_x, t_cal).map_or(1.0, inv_one_plus_exp);
        Ok((core * alive).max(0.0))
    }

    /// `(a+b+x-1)/(a-1) [1 - ...]` with b shifted for MBG/NBD.
    fn core(&self, t: f64, x: f64, t_cal: f64) -> Result<f64> {
        if t == 0.0 {
            return Ok(0.0);
        }
        let (r, al, a) = (self.r, self.alpha, self.a);
        let b = self.b + self.model.shift();
        let z = t / (al + t_cal + t);
        let l1z = (al + t_cal).ln() - (al + t_cal + t).ln(); // ln(1 - z)
        let k = one_minus_exp_over(a - 1.0, l1z);
        let big_a = a + b - 1.0 - r;
        let c = a + b + x - 1.0;
        let mut term = big_a * z / c;
        let mut h = term;
        let mut n = 1.0f64;
        let mut converged = false;
        for _ in 0..crate::numeric::hyp2f1::MAX_TERMS {
            let ratio = (big_a + n) * (a + n - 1.0) * z / ((c + n) * (n + 1.0));
            term *= ratio;
            h += term;
            n += 1.0;
            if !h.is_finite() {
                break;
            }
            let next = ((big_a + n) * (a + n - 1.0) * z / ((c + n) * (n + 1.0))).abs();
            if next < 1.0 && term.abs() * next / (1.0 - next) <= 1e-17 * h.abs().max(1e-300)
                || term == 0.0
            {
                converged = true;
                break;
            }
        }
        if !converged {
            return Err(Error::NotConverged {
                what: format!("{} conditional expectation series", self.model),
                iterations: n as usize,
                last_change: term,
            });
        }
        let v = c * (k - ((a - 1.0) * l1z).exp() * h);
        Ok(if v.is_finite() { v.max(0.0) } else { 0.0 })
    }

    /// Expected transactions in `(0, t]` for a new customer.
    ///
    /// # Formula
    ///
    /// ```text
    /// BG/NBD:  E[X(t)] = (a+b-1)/(a-1) [1 - (α/(α+t))^r 2F1(r, b; a+b-1; t/(α+t))]
    /// MBG/NBD: E[X(t)] = b/(a-1)       [1 - (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t))]
    ///          (the factor b/(a+b) is the probability of surviving time 0)
    /// ```
    ///
    /// # Errors
    ///
    /// `t` not finite and `>= 0`.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::{BetaGeoModel, BetaGeoParams, PeriodUnit};
    /// let p = BetaGeoParams::new(BetaGeoModel::BgNbd, 0.242593, 4.413532, 0.792886, 2.425752, PeriodUnit::Week)?;
    /// assert!((p.expected(32.0)? - 1.0437).abs() < 5e-4); // Hardie's CDNOW sheet
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn expected(&self, t: f64) -> Result<f64> {
        self.conditional_expected(t, 0.0, 0.0, 0.0)
    }

    /// `P(X(t) = n)` for a new customer (FHL 2005 eq. 8; for MBG/NBD, Batislam et al.).
    ///
    /// # Formula
    ///
    /// ```text
    /// P(X(t)=n) = B(a, b+n+s)/B(a, b) NB(n; r, α/(α+t))
    ///           + [n+s > 0] B(a+1, b+n+s-1)/B(a, b) P(NB >= n)
    /// NB(j) = Γ(r+j)/(Γ(r) j!) (α/(α+t))^r (t/(α+t))^j,  P(NB >= n) = I_{t/(α+t)}(n, r),
    /// s = 0 for BG/NBD and 1 for MBG/NBD.
    /// ```
    ///
    /// # Errors
    ///
    /// `t` not finite and `>= 0`.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::{BetaGeoModel, BetaGeoParams, PeriodUnit};
    /// let p = BetaGeoParams::new(BetaGeoModel::BgNbd, 0.243, 4.414, 0.793, 2.426, PeriodUnit::Week)?;
    /// assert!((p.pmf(0, 39.0)? - 0.5737864).abs() < 1e-7); // R BTYD
    /// let mut total = 0.0;
    /// for n in 0..300 {
    ///     total += p.pmf(n, 39.0)?;
    /// }
    /// assert!((total - 1.0).abs() < 1e-9);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn pmf(&self, n: u32, t: f64) -> Result<f64> {
        check_horizon(t)?;
        let (r, al, a, b) = (self.r, self.alpha, self.a, self.b);
        let s = self.model.shift();
        let nf = f64::from(n);
        if t == 0.0 {
            return Ok(if n == 0 { 1.0 } else { 0.0 });
        }
        let lp = (al / (al + t)).ln();
        let lq = (t / (al + t)).ln();
        let lnb = ln_gamma(r + nf) - ln_gamma(r) - ln_gamma(nf + 1.0) + r * lp + nf * lq;
        let lba = ln_beta(a, b);
        let mut v = (ln_beta(a, b + nf + s) - lba + lnb).exp();
        if nf + s > 0.0 {
            let tail = if n == 0 {
                1.0
            } else {
                checked_beta_reg(nf, r, t / (al + t)).unwrap_or(0.0)
            };
            v += (ln_beta(a + 1.0, b + nf + s - 1.0) - lba).exp() * tail;
        }
        Ok(v.clamp(0.0, 1.0))
    }
}

impl TransactionModel for BetaGeoParams {
    fn time_unit(&self) -> PeriodUnit {
        self.unit
    }
    fn probability_alive(&self, x: f64, t_x: f64, t_cal: f64) -> Result<f64> {
        self.p_alive(x, t_x, t_cal)
    }
    fn conditional_expected_transactions(
        &self,
        t: f64,
        x: f64,
        t_x: f64,
        t_cal: f64,
    ) -> Result<f64> {
        self.conditional_expected(t, x, t_x, t_cal)
    }
    fn expected_transactions(&self, t: f64) -> Result<f64> {
        self.expected(t)
    }
}

/// A fitted BG/NBD or MBG/NBD model.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct BetaGeoFit {
    params: BetaGeoParams,
    std_errors: Option<[f64; 4]>,
    log_likelihood: f64,
    n_customers: f64,
    convergence: Convergence,
    options: FitOptions,
}

impl BetaGeoFit {
    /// The estimates (the best point found).
    pub fn params(&self) -> BetaGeoParams {
        self.params
    }
    /// Standard errors of `(r, α, a, b)` from the inverse Hessian of the (penalised)
    /// negative log-likelihood; `None` if it is not positive definite.
    #[must_use]
    pub fn std_errors(&self) -> Option<[f64; 4]> {
        self.std_errors
    }
    /// The full log-likelihood (all constants, data time unit), without the penalty.
    #[must_use]
    pub fn log_likelihood(&self) -> f64 {
        self.log_likelihood
    }
    /// Total weight (customers) fitted.
    #[must_use]
    pub fn n_customers(&self) -> f64 {
        self.n_customers
    }
    /// The optimiser's record.
    pub fn convergence(&self) -> &Convergence {
        &self.convergence
    }
    /// The options used (including the penalty).
    pub fn options(&self) -> FitOptions {
        self.options
    }
}

impl fmt::Display for BetaGeoFit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.params;
        writeln!(
            f,
            "{} fit: {} customers, time unit {}",
            p.model, self.n_customers, p.unit
        )?;
        write_params(
            f,
            &[("r", p.r), ("alpha", p.alpha), ("a", p.a), ("b", p.b)],
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

/// Shared parameter table writer.
pub(crate) fn write_params(
    f: &mut fmt::Formatter<'_>,
    ps: &[(&str, f64)],
    se: Option<&[f64]>,
) -> fmt::Result {
    writeln!(f, "{:<8} {:>12} {:>12}", "param", "estimate", "std. error")?;
    for (i, (n, v)) in ps.iter().enumerate() {
        let s = se.map_or("n/a".to_string(), |s| format!("{:.6}", s[i]));
        writeln!(f, "{n:<8} {v:>12.6} {s:>12}")?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let d = RfmData::new(
            &[0.0, 2.0, 7.0, 1.0],
            &[0.0, 10.0, 30.0, 3.0],
            &[20.0, 25.0, 38.0, 9.0],
            PeriodUnit::Week,
        )
        .unwrap();
        let prep = prepare(&d);
        for model in [BetaGeoModel::BgNbd, BetaGeoModel::MbgNbd] {
            let p = [0.7, 3.0, 0.9, 2.2];
            let mut g = [0.0; 4];
            let mut px = Vec::new();
            beta_geo_ll(model, &p, &prep, &mut g, &mut px);
            for j in 0..4 {
                let mut q = p;
                let h = 1e-6;
                q[j] += h;
                let mut gg = [0.0; 4];
                let fp = beta_geo_ll(model, &q, &prep, &mut gg, &mut px);
                q[j] -= 2.0 * h;
                let fm = beta_geo_ll(model, &q, &prep, &mut gg, &mut px);
                assert!(((fp - fm) / (2.0 * h) - g[j]).abs() < 1e-5, "{model} {j}");
            }
        }
    }

    #[test]
    fn expectation_small_t_and_a_equal_one() {
        // E[X(t)] ≈ r t / α for small t (rate r/α while alive at t = 0).
        let p =
            BetaGeoParams::new(BetaGeoModel::BgNbd, 0.5, 4.0, 1.0, 2.0, PeriodUnit::Week).unwrap();
        let e = p.expected(1e-6).unwrap();
        assert!((e / 1e-6 - 0.5 / 4.0).abs() < 1e-6);
        // a = 1 exactly (the 1/(a-1) singularity) is continuous with a = 1 ± 1e-7.
        let q = BetaGeoParams::new(
            BetaGeoModel::BgNbd,
            0.5,
            4.0,
            1.0 + 1e-7,
            2.0,
            PeriodUnit::Week,
        )
        .unwrap();
        assert!((p.expected(10.0).unwrap() - q.expected(10.0).unwrap()).abs() < 1e-6);
    }
}
