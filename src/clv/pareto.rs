//! Pareto/NBD (Schmittlein, Morrison & Colombo 1987), in the Fader-Hardie formulation.

use serde::{Deserialize, Serialize};
use statrs::function::gamma::{digamma, ln_gamma};
use std::fmt;

use super::bgnbd::{fit_options_setters, write_params};
use super::data::{check_customer, check_horizon};
use super::fitting::{FitOptions, fit_positive};
use super::{PeriodUnit, RfmData, TransactionModel};
use crate::numeric::hyp2f1::ln_hyp2f1;
use crate::numeric::optim::Convergence;
use crate::numeric::special::{inv_one_plus_exp, log_add_exp, log_sub_exp, one_minus_exp_over};
use crate::{Error, Result};

/// Pareto/NBD maximum-likelihood fit.
///
/// While alive, a customer buys at Poisson rate λ ~ Gamma(r, α); the lifetime is
/// exponential with rate μ ~ Gamma(s, β). Options: see [`FitOptions`]. Start values:
/// `r = s = 1, α = β = mean(T)`. Gradients are central differences of the exact
/// log-likelihood (2F1 derivatives in the parameters are not practical).
///
/// # Formula
///
/// ```text
/// L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^-(r+x) (β+T)^-s + s/(r+s+x) · A0 ]
/// A0 = F(t_x) - F(T),  α >= β:  F(u) = 2F1(r+s+x, s+1; r+s+x+1; (α-β)/(α+u)) / (α+u)^(r+s+x)
///                      α <  β:  F(u) = 2F1(r+s+x, r+x; r+s+x+1; (β-α)/(β+u)) / (β+u)^(r+s+x)
/// ```
///
/// evaluated as logarithms (`ln A0` by log-difference of `ln F`), so customers with
/// hundreds of transactions neither overflow nor underflow (lifetimes issue #25).
///
/// # Example
///
/// ```
/// use crm_analytics::clv::{ParetoNbd, PeriodUnit, RfmData};
/// let d = RfmData::new(&[2.0, 1.0, 0.0, 0.0, 5.0, 3.0], &[30.4, 1.7, 0.0, 0.0, 35.0, 20.0],
///                      &[38.9, 38.9, 38.9, 38.9, 38.9, 38.9], PeriodUnit::Week)?;
/// let fit = ParetoNbd::new().fit(&d)?;
/// assert!(fit.log_likelihood() < 0.0);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
///
/// Schmittlein, D. C., Morrison, D. G. and Colombo, R. (1987), "Counting your customers",
/// *Management Science* 33(1), 1-24. Fader, P. S. and Hardie, B. G. S. (2005), "A note on
/// deriving the Pareto/NBD model and related expressions".
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ParetoNbd {
    options: FitOptions,
}
fit_options_setters!(ParetoNbd);

/// `ln A0` (`-inf` when t_x = T) for one customer.
fn ln_a0(p: &[f64; 4], x: f64, t_x: f64, t: f64) -> Option<f64> {
    if t_x >= t {
        return Some(f64::NEG_INFINITY);
    }
    Some(log_sub_exp(ln_f(p, x, t_x)?, ln_f(p, x, t)?))
}

fn ll_one(p: &[f64; 4], x: f64, t_x: f64, t: f64) -> f64 {
    let [r, al, s, be] = *p;
    let Some(la0) = ln_a0(p, x, t_x, t) else {
        return f64::NAN;
    };
    let first = -(r + x) * (al + t).ln() - s * (be + t).ln();
    let second = (s / (r + s + x)).ln() + la0;
    ln_gamma(r + x) - ln_gamma(r) + r * al.ln() + s * be.ln() + log_add_exp(first, second)
}

/// `ln F(u)` of the A0 difference for one customer frequency `x`.
fn ln_f(p: &[f64; 4], x: f64, u: f64) -> Option<f64> {
    let [r, al, s, be] = *p;
    let rsx = r + s + x;
    if al >= be {
        Some(ln_hyp2f1(rsx, s + 1.0, rsx + 1.0, (al - be) / (al + u))? - rsx * (al + u).ln())
    } else {
        Some(ln_hyp2f1(rsx, r + x, rsx + 1.0, (be - al) / (be + u))? - rsx * (be + u).ln())
    }
}

/// Weighted patterns with the distinct `(x, u)` pairs at which `F` is needed, so that each
/// likelihood evaluation calls 2F1 once per pair rather than twice per customer.
struct Prepared {
    keys: Vec<(f64, f64)>,
    rows: Vec<(f64, f64, f64, f64, usize, usize)>, // x, t_x, T, w, key(t_x), key(T)
}

fn prepare(d: &RfmData) -> Prepared {
    let mut index = std::collections::HashMap::new();
    let mut keys = Vec::new();
    let mut key = |x: f64, u: f64| -> usize {
        *index.entry((x.to_bits(), u.to_bits())).or_insert_with(|| {
            keys.push((x, u));
            keys.len() - 1
        })
    };
    let mut rows = Vec::with_capacity(d.len());
    for i in 0..d.len() {
        let (x, tx, t, w) = (d.frequency()[i], d.recency()[i], d.age()[i], d.weights()[i]);
        rows.push((x, tx, t, w, key(x, tx), key(x, t)));
    }
    Prepared { keys, rows }
}

/// `ln F(u)` and its gradient in `(r, α, s, β)`, through the Euler-transformed series
/// `F(u) = (m+u)^-(r+s+x) (1-z)^e Σ_n (p)_n/(q)_n z^n` (positive terms, ratio < z < 1):
/// α >= β: m = α, z = (α-β)/(α+u), p = r+x, q = r+s+x+1, e = -s;
/// α <  β: m = β, z = (β-α)/(β+u), p = s+1, q = r+s+x+1, e = 1-r-x.
fn ln_f_grad(p4: &[f64; 4], x: f64, u: f64) -> Option<(f64, [f64; 4])> {
    let [r, al, s, be] = *p4;
    let rsx = r + s + x;
    let q = rsx + 1.0;
    let (ge, m, other) = (
        al >= be,
        if al >= be { al } else { be },
        if al >= be { be } else { al },
    );
    let (lm, lo) = ((m + u).ln(), (other + u).ln());
    let z = (m - other) / (m + u);
    let pp = if ge { r + x } else { s + 1.0 };
    // Series with running derivative sums.
    let (mut sum, mut term) = (1.0f64, 1.0f64);
    let (mut sp, mut sq, mut sz) = (0.0f64, 0.0f64, 0.0f64); // Σ T_n A_n, Σ T_n B_n, Σ n T_n
    let (mut a_n, mut b_n) = (0.0f64, 0.0f64);
    let mut n = 0.0f64;
    loop {
        a_n += 1.0 / (pp + n);
        b_n += 1.0 / (q + n);
        term *= (pp + n) / (q + n) * z;
        n += 1.0;
        sum += term;
        sp += term * a_n;
        sq += term * b_n;
        sz += term * n;
        let ratio = (pp + n) / (q + n) * z;
        if term <= 1e-17 * sum * (1.0 - ratio) || n > 1e6 {
            break;
        }
    }
    if !(sum.is_finite() && sum > 0.0) {
        return None;
    }
    let e = if ge { -s } else { 1.0 - r - x };
    let l1z = lo - lm; // ln(1 - z)
    let val = -rsx * lm + e * l1z + sum.ln();
    // d ln S: dp, dq, dz
    let (dp, dq) = (sp / sum, -sq / sum);
    let dz = if z > 0.0 { sz / (z * sum) } else { pp / q };
    let dz_total = dz - e / (1.0 - z); // includes e ln(1 - z)
    let mut g = [0.0; 4];
    // prefactor -rsx ln(m+u), shared q dependence on r and s
    g[0] += -lm + dq;
    g[2] += -lm + dq;
    if ge {
        // p = r + x, e = -s, z = (α-β)/(α+u)
        g[0] += dp;
        g[2] += -l1z;
        g[1] += -rsx / (al + u) + dz_total * (be + u) / ((al + u) * (al + u));
        g[3] += dz_total * (-1.0 / (al + u));
    } else {
        // p = s + 1, e = 1 - r - x, z = (β-α)/(β+u)
        g[2] += dp;
        g[0] += -l1z;
        g[3] += -rsx / (be + u) + dz_total * (al + u) / ((be + u) * (be + u));
        g[1] += dz_total * (-1.0 / (be + u));
    }
    Some((val, g))
}

fn pnbd_ll(p: &[f64; 4], prep: &Prepared, f: &mut Vec<(f64, [f64; 4])>, grad: &mut [f64]) -> f64 {
    let [r, al, s, be] = *p;
    f.clear();
    for &(x, u) in &prep.keys {
        match ln_f_grad(p, x, u) {
            Some(v) => f.push(v),
            None => return f64::NAN,
        }
    }
    let (lr, lal, lbe, pr) = (ln_gamma(r), al.ln(), be.ln(), digamma(r));
    let mut ll = 0.0;
    let mut g = [0.0f64; 4];
    for &(x, tx, t, w, ktx, kt) in &prep.rows {
        let (lat, lbt) = ((al + t).ln(), (be + t).ln());
        let first = -(r + x) * lat - s * lbt;
        let mut gf = [-lat, -(r + x) / (al + t), -lbt, -s / (be + t)];
        let rsx = r + s + x;
        let total = if tx >= t {
            first
        } else {
            let (f1, g1) = f[ktx];
            let (f2, g2) = f[kt];
            let d = log_sub_exp(f1, f2);
            let second = (s / rsx).ln() + d;
            let lse = log_add_exp(first, second);
            let wt = (second - lse).exp(); // weight of the second term
            let ratio = (f2 - f1).exp();
            let den = 1.0 - ratio;
            let mut gs = [-1.0 / rsx, 0.0, 1.0 / s - 1.0 / rsx, 0.0];
            for j in 0..4 {
                gs[j] += (g1[j] - ratio * g2[j]) / den;
                gf[j] = (1.0 - wt) * gf[j] + wt * gs[j];
            }
            lse
        };
        ll += w * (ln_gamma(r + x) - lr + r * lal + s * lbe + total);
        g[0] += w * (digamma(r + x) - pr + lal + gf[0]);
        g[1] += w * (r / al + gf[1]);
        g[2] += w * (lbe + gf[2]);
        g[3] += w * (s / be + gf[3]);
    }
    if grad.len() == 4 {
        grad.copy_from_slice(&g);
    }
    ll
}

impl ParetoNbd {
    /// Fit on `(x, t_x, T)` data (compressed into weighted patterns first).
    ///
    /// # Errors
    ///
    /// As [`BgNbd::fit`](super::BgNbd::fit).
    pub fn fit(&self, data: &RfmData) -> Result<ParetoNbdFit> {
        self.options.validate()?;
        let d = data.compress();
        let prep = prepare(&d);
        let mut fbuf = Vec::new();
        let n = d.total_weight();
        let mean_t = d
            .age()
            .iter()
            .zip(d.weights())
            .map(|(t, w)| t * w)
            .sum::<f64>()
            / n;
        let start = mean_t.max(1e-3);
        let (est, convergence, se) = fit_positive(
            "Pareto/NBD",
            &self.options,
            n,
            &[1.0, start, 1.0, start],
            true,
            |p, g| pnbd_ll(&[p[0], p[1], p[2], p[3]], &prep, &mut fbuf, g),
        )?;
        let p = [est[0], est[1], est[2], est[3]];
        let ll = pnbd_ll(&p, &prep, &mut Vec::new(), &mut []);
        Ok(ParetoNbdFit {
            params: ParetoNbdParams {
                r: p[0],
                alpha: p[1],
                s: p[2],
                beta: p[3],
                unit: data.unit(),
            },
            std_errors: se.map(|v| [v[0], v[1], v[2], v[3]]),
            log_likelihood: ll,
            n_customers: n,
            convergence,
            options: self.options,
        })
    }
}

/// Pareto/NBD parameters and predictions.
///
/// # Example
///
/// ```
/// use crm_analytics::clv::{ParetoNbdParams, PeriodUnit};
/// // R BTYD walkthrough: P(alive | x = 26, t_x = 30.86, T = 31) = 0.9979.
/// let p = ParetoNbdParams::new(0.5534, 10.5802, 0.6061, 11.6562, PeriodUnit::Week)?;
/// assert!((p.p_alive(26.0, 30.86, 31.0)? - 0.9979).abs() < 5e-4);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ParetoNbdParams {
    r: f64,
    alpha: f64,
    s: f64,
    beta: f64,
    unit: PeriodUnit,
}

impl ParetoNbdParams {
    /// `r, α` (purchase rates), `s, β` (dropout rates), α and β in `unit`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] unless all are finite and > 0.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::{ParetoNbdParams, PeriodUnit};
    /// let p = ParetoNbdParams::new(0.5534, 10.5802, 0.6061, 11.6562, PeriodUnit::Week)?;
    /// assert_eq!(p.s(), 0.6061);
    /// assert!(ParetoNbdParams::new(0.5, 0.0, 0.6, 11.0, PeriodUnit::Week).is_err());
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn new(r: f64, alpha: f64, s: f64, beta: f64, unit: PeriodUnit) -> Result<Self> {
        for (n, v) in [("r", r), ("alpha", alpha), ("s", s), ("beta", beta)] {
            crate::validate::positive(n, v)?;
        }
        unit.days()?;
        Ok(ParetoNbdParams {
            r,
            alpha,
            s,
            beta,
            unit,
        })
    }
    /// `r`.
    #[must_use]
    pub fn r(&self) -> f64 {
        self.r
    }
    /// `α`.
    #[must_use]
    pub fn alpha(&self) -> f64 {
        self.alpha
    }
    /// `s`.
    #[must_use]
    pub fn s(&self) -> f64 {
        self.s
    }
    /// `β`.
    #[must_use]
    pub fn beta(&self) -> f64 {
        self.beta
    }
    /// The time unit.
    #[must_use]
    pub fn unit(&self) -> PeriodUnit {
        self.unit
    }
    fn arr(&self) -> [f64; 4] {
        [self.r, self.alpha, self.s, self.beta]
    }

    /// The log-likelihood of one customer's history (all constants included).
    ///
    /// # Errors
    ///
    /// Invalid `(x, t_x, T)`; [`Error::NotConverged`] if 2F1 fails.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::{ParetoNbdParams, PeriodUnit};
    /// let p = ParetoNbdParams::new(0.5534, 10.5802, 0.6061, 11.6562, PeriodUnit::Week)?;
    /// assert!(p.log_likelihood(500.0, 1.0, 37.0)?.is_finite()); // no overflow for large x
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn log_likelihood(&self, x: f64, t_x: f64, t_cal: f64) -> Result<f64> {
        check_customer(x, t_x, t_cal)?;
        let v = ll_one(&self.arr(), x, t_x, t_cal);
        if v.is_finite() { Ok(v) } else { Err(hyp_err()) }
    }

    /// Probability that the customer is alive at `T`.
    ///
    /// # Formula
    ///
    /// ```text
    /// P(alive) = 1 / (1 + s/(r+s+x) (α+T)^(r+x) (β+T)^s A0)
    /// ```
    ///
    /// # Errors
    ///
    /// Invalid inputs; [`Error::NotConverged`] if 2F1 fails.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::{ParetoNbdParams, PeriodUnit};
    /// let p = ParetoNbdParams::new(0.5534, 10.5802, 0.6061, 11.6562, PeriodUnit::Week)?;
    /// assert!((p.p_alive(26.0, 30.86, 31.0)? - 0.9979).abs() < 5e-4); // BTYD walkthrough
    /// assert_eq!(p.p_alive(3.0, 20.0, 20.0)?, 1.0); // purchased at T
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn p_alive(&self, x: f64, t_x: f64, t_cal: f64) -> Result<f64> {
        check_customer(x, t_x, t_cal)?;
        let [r, al, s, be] = self.arr();
        let la0 = ln_a0(&self.arr(), x, t_x, t_cal).ok_or_else(hyp_err)?;
        let u = (s / (r + s + x)).ln() + (r + x) * (al + t_cal).ln() + s * (be + t_cal).ln() + la0;
        Ok(inv_one_plus_exp(u))
    }

    /// Expected transactions in `(T, T + t]` given the history.
    ///
    /// # Formula
    ///
    /// ```text
    /// E = (r+x)(β+T) / ((α+T)(s-1)) · [1 - ((β+T)/(β+T+t))^(s-1)] · P(alive)
    /// (the bracket over s - 1 is evaluated stably, including s = 1)
    /// ```
    ///
    /// # Errors
    ///
    /// As [`ParetoNbdParams::p_alive`], and `t` not finite and `>= 0`.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::{ParetoNbdParams, PeriodUnit};
    /// let p = ParetoNbdParams::new(0.5534, 10.5802, 0.6061, 11.6562, PeriodUnit::Week)?;
    /// assert!((p.conditional_expected(52.0, 26.0, 30.86, 31.0)? - 25.46).abs() < 0.01); // BTYD
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn conditional_expected(&self, t: f64, x: f64, t_x: f64, t_cal: f64) -> Result<f64> {
        check_horizon(t)?;
        let pa = self.p_alive(x, t_x, t_cal)?;
        let [r, al, s, be] = self.arr();
        let k = one_minus_exp_over(s - 1.0, (be + t_cal).ln() - (be + t_cal + t).ln());
        Ok(((r + x) * (be + t_cal) / (al + t_cal) * k * pa).max(0.0))
    }

    /// Expected transactions `E[X(t)] = rβ/(α(s-1)) [1 - (β/(β+t))^(s-1)]` for a new
    /// customer.
    ///
    /// # Errors
    ///
    /// `t` not finite and `>= 0`.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::{ParetoNbdParams, PeriodUnit};
    /// let p = ParetoNbdParams::new(0.5534, 10.5802, 0.6061, 11.6562, PeriodUnit::Week)?;
    /// assert!(p.expected(52.0)? > p.expected(26.0)?);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn expected(&self, t: f64) -> Result<f64> {
        check_horizon(t)?;
        let [r, al, s, be] = self.arr();
        Ok((r * be / al * one_minus_exp_over(s - 1.0, be.ln() - (be + t).ln())).max(0.0))
    }

    /// Discounted expected residual transactions (Fader, Hardie & Lee 2005, "RFM and CLV"),
    /// with a continuously compounded discount rate `delta` per time unit (e.g. an annual
    /// 15% in weeks: `ln(1.15)/52`).
    ///
    /// # Formula
    ///
    /// ```text
    /// DERT = P(alive) · (r+x)/(α+T) · E[1/(δ+μ) | alive],  μ | alive ~ Gamma(s, β+T)
    ///      = P(alive) · (r+x)/(α+T) · ∫_0^∞ e^(-δy) ((β+T)/(β+T+y))^s dy
    /// ```
    ///
    /// which equals FHL's `α^r β^s δ^(s-1) Γ(r+x+1) Ψ(s, s; δ(β+T)) / (Γ(r)(α+T)^(r+x+1) L)`.
    /// The integral is computed by double-exponential (exp-sinh) quadrature.
    ///
    /// # Errors
    ///
    /// Invalid inputs; [`Error::InvalidOption`] unless `delta` is finite and > 0.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::{ParetoNbdParams, PeriodUnit};
    /// let p = ParetoNbdParams::new(0.5534, 10.5802, 0.6061, 11.6562, PeriodUnit::Week)?;
    /// // 15% a year, continuously compounded, in weeks.
    /// let delta = 1.15f64.ln() / 52.0;
    /// let d = p.dert(delta, 26.0, 30.86, 31.0)?;
    /// assert!(d > p.conditional_expected(52.0, 26.0, 30.86, 31.0)?);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn dert(&self, delta: f64, x: f64, t_x: f64, t_cal: f64) -> Result<f64> {
        crate::validate::positive("delta", delta)?;
        let pa = self.p_alive(x, t_x, t_cal)?;
        let [r, al, s, be] = self.arr();
        let b = be + t_cal;
        let integral = b * laplace_power(delta * b, s);
        Ok((pa * (r + x) / (al + t_cal) * integral).max(0.0))
    }

    /// `P(X(t) = n)` for a new customer.
    ///
    /// # Formula
    ///
    /// ```text
    /// Alive throughout (0, t] or dead at τ <= t, lifetime τ ~ Exp(μ), μ ~ Gamma(s, β),
    /// purchases ~ Poisson(λ), λ ~ Gamma(r, α):
    /// P(X(t)=n) = (β/(β+t))^s NB(n; t)
    ///           + ∫_0^t s β^s (β+τ)^-(s+1) NB(n; τ) dτ,
    /// NB(n; τ) = Γ(r+n)/(Γ(r) n!) (α/(α+τ))^r (τ/(α+τ))^n.
    /// ```
    ///
    /// The integral is evaluated by tanh-sinh quadrature in log space.
    ///
    /// # Errors
    ///
    /// `t` not finite and `>= 0`.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::{ParetoNbdParams, PeriodUnit};
    /// let p = ParetoNbdParams::new(0.5534, 10.5802, 0.6061, 11.6562, PeriodUnit::Week)?;
    /// let mut total = 0.0;
    /// for n in 0..400 {
    ///     total += p.pmf(n, 39.0)?;
    /// }
    /// assert!((total - 1.0).abs() < 1e-8);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn pmf(&self, n: u32, t: f64) -> Result<f64> {
        check_horizon(t)?;
        if t == 0.0 {
            return Ok(if n == 0 { 1.0 } else { 0.0 });
        }
        let [r, al, s, be] = self.arr();
        let nf = f64::from(n);
        let lc = ln_gamma(r + nf) - ln_gamma(r) - ln_gamma(nf + 1.0);
        let ln_nb = |tau: f64| lc + r * (al / (al + tau)).ln() + nf * (tau / (al + tau)).ln();
        let alive = (s * (be / (be + t)).ln() + ln_nb(t)).exp();
        let ln_dead = |tau: f64| s.ln() + s * be.ln() - (s + 1.0) * (be + tau).ln() + ln_nb(tau);
        let dead = tanh_sinh(&ln_dead, t);
        Ok((alive + dead).clamp(0.0, 1.0))
    }
}

/// `∫_0^t exp(g(τ)) dτ` by tanh-sinh quadrature (g finite on (0, t)).
fn tanh_sinh(g: &dyn Fn(f64) -> f64, t: f64) -> f64 {
    let h = 1.0 / 64.0;
    let half_pi = std::f64::consts::FRAC_PI_2;
    let mut sum = 0.0;
    for k in -320i32..=320 {
        let u = f64::from(k) * h;
        let q = half_pi * u.sinh();
        let th = q.tanh();
        let c = q.cosh();
        // τ = t (1 + tanh q) / 2, dτ/du = t/2 · (π/2) cosh u / cosh² q
        let tau = 0.5 * t * (1.0 + th);
        let w = 0.5 * t * half_pi * u.cosh() / (c * c);
        if !(tau > 0.0 && tau < t && w.is_finite() && w > 0.0) {
            continue;
        }
        let v = g(tau);
        if v.is_finite() {
            sum += (v.exp() * w).max(0.0);
        }
    }
    sum * h
}

/// `∫_0^∞ e^{-z v} (1+v)^{-s} dv` by exp-sinh quadrature (z > 0, s > 0).
pub(crate) fn laplace_power(z: f64, s: f64) -> f64 {
    let h = 1.0 / 64.0;
    let half_pi = std::f64::consts::FRAC_PI_2;
    let mut sum = 0.0;
    let mut k = -400i32;
    while k <= 400 {
        let t = f64::from(k) * h;
        let e = half_pi * t.sinh();
        if e > 700.0 {
            break;
        }
        let v = e.exp();
        let dv = v * half_pi * t.cosh();
        let f = (-z * v - s * v.ln_1p()).exp();
        sum += f * dv;
        k += 1;
    }
    sum * h
}

fn hyp_err() -> Error {
    Error::NotConverged {
        what: "hypergeometric function in the Pareto/NBD likelihood".into(),
        iterations: crate::numeric::hyp2f1::MAX_TERMS,
        last_change: f64::NAN,
    }
}

impl TransactionModel for ParetoNbdParams {
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

/// A fitted Pareto/NBD model.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct ParetoNbdFit {
    params: ParetoNbdParams,
    std_errors: Option<[f64; 4]>,
    log_likelihood: f64,
    n_customers: f64,
    convergence: Convergence,
    options: FitOptions,
}

impl ParetoNbdFit {
    /// The estimates.
    pub fn params(&self) -> ParetoNbdParams {
        self.params
    }
    /// Standard errors of `(r, α, s, β)` (numerical Hessian); `None` if not positive definite.
    #[must_use]
    pub fn std_errors(&self) -> Option<[f64; 4]> {
        self.std_errors
    }
    /// The full log-likelihood (all constants, data time unit).
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

impl fmt::Display for ParetoNbdFit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.params;
        writeln!(
            f,
            "Pareto/NBD fit: {} customers, time unit {}",
            self.n_customers, p.unit
        )?;
        write_params(
            f,
            &[("r", p.r), ("alpha", p.alpha), ("s", p.s), ("beta", p.beta)],
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
    fn laplace_power_closed_forms() {
        // s = 1: ∫ e^{-zv}/(1+v) dv = e^z E1(z); E1(1) = 0.219383934395520 (A&S 5.1).
        let want = 1f64.exp() * 0.219_383_934_395_520_3;
        assert!((laplace_power(1.0, 1.0) - want).abs() < 1e-12);
        // s = 2: 1 - z e^z E1(z)
        assert!((laplace_power(1.0, 2.0) - (1.0 - want)).abs() < 1e-12);
        // Small z, s = 0.6: compare with the recurrence-free series check z -> integral finite
        assert!(laplace_power(1e-3, 0.6).is_finite());
    }

    #[test]
    fn analytic_gradient_matches_finite_differences() {
        let d = RfmData::new(
            &[0.0, 2.0, 7.0, 1.0, 30.0],
            &[0.0, 10.0, 30.0, 3.0, 37.0],
            &[20.0, 25.0, 38.0, 9.0, 38.0],
            PeriodUnit::Week,
        )
        .unwrap();
        let prep = prepare(&d);
        for p in [
            [0.55, 10.6, 0.61, 11.7],
            [0.55, 12.0, 0.61, 3.0],
            [1.3, 4.0, 2.0, 4.0],
        ] {
            let mut g = [0.0; 4];
            let mut buf = Vec::new();
            pnbd_ll(&p, &prep, &mut buf, &mut g);
            for j in 0..4 {
                let h = 1e-6 * p[j];
                let mut q = p;
                q[j] += h;
                let fp = pnbd_ll(&q, &prep, &mut buf, &mut []);
                q[j] -= 2.0 * h;
                let fm = pnbd_ll(&q, &prep, &mut buf, &mut []);
                let fd = (fp - fm) / (2.0 * h);
                assert!(
                    (fd - g[j]).abs() < 1e-5 * fd.abs().max(1.0),
                    "{p:?} {j}: {fd} vs {}",
                    g[j]
                );
            }
        }
    }

    #[test]
    fn a0_is_the_integral() {
        // s ∫_{t_x}^{T} (α+τ)^-(r+x) (β+τ)^-(s+1) dτ = s/(r+s+x) A0, by Simpson's rule.
        for p in [[0.55, 10.6, 0.61, 11.7], [0.55, 12.0, 0.61, 3.0]] {
            let (x, tx, t) = (3.0, 10.0, 30.0);
            let [r, al, s, be] = p;
            let g = |u: f64| (al + u).powf(-(r + x)) * (be + u).powf(-(s + 1.0));
            let m = 2000;
            let h = (t - tx) / f64::from(m);
            let mut acc = g(tx) + g(t);
            for i in 1..m {
                acc += g(tx + f64::from(i) * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
            }
            let integral = acc * h / 3.0;
            let a0 = ln_a0(&p, x, tx, t).unwrap().exp();
            assert!((a0 / (r + s + x) / integral - 1.0).abs() < 1e-9);
        }
    }
}
