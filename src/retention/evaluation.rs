//! Campaign effect evaluation: treatment vs control retention, the two-proportion z
//! test, Fisher's exact test, and the sample size to detect an uplift.

use std::fmt;

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::factorial::ln_binomial;

use crate::{Error, Probability, Result};

fn std_normal() -> Result<Normal> {
    Normal::new(0.0, 1.0).map_err(|e| Error::input("standard normal", e.to_string()))
}

/// Fisher's exact test on a 2 x 2 table.
///
/// The table is `[[a, b], [c, d]]` with fixed margins; `a` follows the hypergeometric
/// distribution under independence.
///
/// # Formula
///
/// ```text
/// P(X = x) = C(a+b, x) · C(c+d, a+c-x) / C(n, a+c),  max(0, a+c-(c+d)) <= x <= min(a+b, a+c)
/// two-sided p = Σ P(X = x) over x with P(X = x) <= P(X = a)·(1 + 1e-7)
/// less p      = P(X <= a),   greater p = P(X >= a)
/// ```
///
/// The two-sided p is the "sum of small p-values" (probability) method, with the
/// relative tolerance 1e-7 of R's `fisher.test` so that ties in probability count.
/// Probabilities are summed in log space relative to the largest term.
///
/// # Example
///
/// ```
/// use crm_analytics::retention::FisherExact;
///
/// // Fisher's tea-tasting: 3 of 4 milk-first cups identified (Agresti 2002, §3.5.2).
/// let t = FisherExact::test(3, 1, 1, 3)?;
/// assert!((t.p_two_sided - 0.4857).abs() < 5e-5);
/// assert!((t.p_greater - 0.2429).abs() < 5e-5);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// - Agresti, A. (2002). *Categorical Data Analysis*, 2nd ed., §3.5 (Fisher's exact test,
///   tea tasting).
/// - Fisher, R. A. (1935). *The Design of Experiments*.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FisherExact {
    /// The table `[a, b, c, d]`.
    pub table: [u64; 4],
    /// Two-sided p (probability method).
    pub p_two_sided: f64,
    /// One-sided p for a smaller `a` (odds ratio < 1).
    pub p_less: f64,
    /// One-sided p for a larger `a` (odds ratio > 1).
    pub p_greater: f64,
    /// Sample odds ratio `a·d / (b·c)`; `None` when `b·c = 0`.
    pub odds_ratio: Option<f64>,
}

impl FisherExact {
    /// Test the table `[[a, b], [c, d]]`.
    ///
    /// # Errors
    /// [`Error::Empty`] for an all-zero table.
    pub fn test(a: u64, b: u64, c: u64, d: u64) -> Result<FisherExact> {
        let r1 = a + b;
        let r2 = c + d;
        let c1 = a + c;
        let n = r1 + r2;
        if n == 0 {
            return Err(Error::Empty {
                what: "2 x 2 table".into(),
            });
        }
        let lo = c1.saturating_sub(r2);
        let hi = r1.min(c1);
        let lp: Vec<f64> = (lo..=hi)
            .map(|x| ln_binomial(r1, x) + ln_binomial(r2, c1 - x))
            .collect();
        let max = lp.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let w: Vec<f64> = lp.iter().map(|&l| (l - max).exp()).collect();
        let total: f64 = w.iter().sum();
        let obs = (a - lo) as usize;
        let cut = lp[obs] + (1.0f64 + 1e-7).ln();
        let two: f64 = lp
            .iter()
            .zip(&w)
            .filter(|&(&l, _)| l <= cut)
            .map(|(_, &x)| x)
            .sum();
        let less: f64 = w[..=obs].iter().sum();
        let greater: f64 = w[obs..].iter().sum();
        let bc = b as f64 * c as f64;
        Ok(FisherExact {
            table: [a, b, c, d],
            p_two_sided: (two / total).min(1.0),
            p_less: (less / total).min(1.0),
            p_greater: (greater / total).min(1.0),
            odds_ratio: (bc > 0.0).then(|| a as f64 * d as f64 / bc),
        })
    }
}

impl fmt::Display for FisherExact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.table;
        writeln!(f, "Fisher's exact test on [[{a}, {b}], [{c}, {d}]]")?;
        writeln!(f, "  p two-sided   {:>12.6}", self.p_two_sided)?;
        writeln!(f, "  p less        {:>12.6}", self.p_less)?;
        writeln!(f, "  p greater     {:>12.6}", self.p_greater)?;
        match self.odds_ratio {
            Some(o) => writeln!(f, "  odds ratio    {o:>12.6}"),
            None => writeln!(f, "  odds ratio    {:>12}", "n/a"),
        }
    }
}

/// Options of the treatment-vs-control evaluation of a retention campaign.
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `confidence` | 0.95 | level of the interval for the difference | (0, 1) |
/// | `continuity_correction` | false | Yates-type correction `(1/n_t + 1/n_c)/2` in the z test | |
/// | `value_per_retained` | none | value of one extra retained customer, for the incremental value | finite |
///
/// # Formula
///
/// ```text
/// r_t = x_t / n_t,  r_c = x_c / n_c,  D = r_t - r_c
/// CI:  D ± z_{1-α/2} · sqrt(r_t(1-r_t)/n_t + r_c(1-r_c)/n_c)        (Wald, unpooled)
/// z  = (D [∓ (1/n_t + 1/n_c)/2]) / sqrt(r̄(1-r̄)(1/n_t + 1/n_c)),  r̄ = (x_t + x_c)/(n_t + n_c)
/// p  = 2·sf(|z|);   Fisher's exact test on [[x_t, n_t - x_t], [x_c, n_c - x_c]]
/// incremental retained = D · n_t,   incremental value = D · n_t · value_per_retained
/// ```
///
/// # Example
///
/// ```
/// use crm_analytics::retention::CampaignEffect;
///
/// // 900 of 1,000 treated stayed, 850 of 1,000 controls.
/// let e = CampaignEffect::new().value_per_retained(300.0).evaluate(900, 1_000, 850, 1_000)?;
/// assert!((e.difference - 0.05).abs() < 1e-12);
/// assert!((e.incremental_retained - 50.0).abs() < 1e-9);
/// assert!(e.p_value.is_some_and(|p| p < 0.01));
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// - Agresti, A. (2007). *An Introduction to Categorical Data Analysis*, 2nd ed., §2.2.
/// - Fleiss, J. L., Levin, B. & Paik, M. C. (2003). *Statistical Methods for Rates and
///   Proportions*, 3rd ed., ch. 4 (sample size) and §6.2.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CampaignEffect {
    confidence: f64,
    continuity_correction: bool,
    value_per_retained: Option<f64>,
}

impl Default for CampaignEffect {
    fn default() -> Self {
        CampaignEffect {
            confidence: 0.95,
            continuity_correction: false,
            value_per_retained: None,
        }
    }
}

/// The result of [`CampaignEffect::evaluate`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct EffectReport {
    /// The options used.
    pub options: CampaignEffect,
    /// Treated customers retained and treated customers.
    pub treated: (u64, u64),
    /// Control customers retained and control customers.
    pub control: (u64, u64),
    /// `r_t`.
    pub treated_rate: f64,
    /// `r_c`.
    pub control_rate: f64,
    /// `D = r_t - r_c`.
    pub difference: f64,
    /// Unpooled standard error of `D`.
    pub std_error: f64,
    /// Wald interval for `D` at `confidence`.
    pub conf_int: (f64, f64),
    /// `D / r_c`; `None` when the control rate is 0.
    pub relative_uplift: Option<f64>,
    /// z statistic (pooled); `None` when the pooled rate is 0 or 1.
    pub z: Option<f64>,
    /// Two-sided p of the z test; `None` with `z`.
    pub p_value: Option<f64>,
    /// Fisher's exact test on the same table.
    pub fisher: FisherExact,
    /// `D · n_t`: extra customers retained among the treated.
    pub incremental_retained: f64,
    /// `D · n_t · value_per_retained`, when a value was given.
    pub incremental_value: Option<f64>,
}

impl CampaignEffect {
    /// The defaults (same as `default()`).
    #[must_use]
    pub fn new() -> CampaignEffect {
        CampaignEffect::default()
    }

    /// Confidence level of the interval (default 0.95). Checked by `evaluate`.
    #[must_use]
    pub fn confidence(mut self, level: f64) -> CampaignEffect {
        self.confidence = level;
        self
    }

    /// Continuity correction in the z test (default false).
    #[must_use]
    pub fn continuity_correction(mut self, yes: bool) -> CampaignEffect {
        self.continuity_correction = yes;
        self
    }

    /// Value of one extra retained customer. Checked (finite) by `evaluate`.
    #[must_use]
    pub fn value_per_retained(mut self, v: f64) -> CampaignEffect {
        self.value_per_retained = Some(v);
        self
    }

    /// Confidence level.
    #[must_use]
    pub fn get_confidence(&self) -> f64 {
        self.confidence
    }

    /// Whether the z test is continuity corrected.
    #[must_use]
    pub fn get_continuity_correction(&self) -> bool {
        self.continuity_correction
    }

    /// Value per extra retained customer.
    #[must_use]
    pub fn get_value_per_retained(&self) -> Option<f64> {
        self.value_per_retained
    }

    /// Compare retention in the treated group (`treated_retained` of `treated`) with the
    /// control group (`control_retained` of `control`).
    ///
    /// # Errors
    /// - [`Error::InvalidOption`] for a confidence level outside (0, 1) or a non-finite
    ///   value per retained customer.
    /// - [`Error::TooFewObservations`] for an empty group; [`Error::InvalidValue`] when
    ///   more customers are retained than the group holds.
    pub fn evaluate(
        &self,
        treated_retained: u64,
        treated: u64,
        control_retained: u64,
        control: u64,
    ) -> Result<EffectReport> {
        crate::validate::open_unit("confidence", self.confidence)?;
        if let Some(v) = self.value_per_retained
            && !v.is_finite()
        {
            return Err(Error::option("value_per_retained", v, "finite"));
        }
        for (what, x, n) in [
            ("treated group", treated_retained, treated),
            ("control group", control_retained, control),
        ] {
            if n == 0 {
                return Err(Error::TooFewObservations {
                    what: what.into(),
                    needed: 1,
                    got: 0,
                });
            }
            if x > n {
                return Err(Error::InvalidValue {
                    what: "customers retained".into(),
                    location: what.into(),
                    value: x as f64,
                    expected: format!("at most the group size {n}"),
                });
            }
        }
        let (nt, nc) = (treated as f64, control as f64);
        let rt = treated_retained as f64 / nt;
        let rc = control_retained as f64 / nc;
        let d = rt - rc;
        let se = (rt * (1.0 - rt) / nt + rc * (1.0 - rc) / nc).sqrt();
        let normal = std_normal()?;
        let zq = normal.inverse_cdf(1.0 - (1.0 - self.confidence) / 2.0);
        let pooled = (treated_retained + control_retained) as f64 / (nt + nc);
        let se0 = (pooled * (1.0 - pooled) * (1.0 / nt + 1.0 / nc)).sqrt();
        let z = if se0 > 0.0 {
            let num = if self.continuity_correction {
                let cc = 0.5 * (1.0 / nt + 1.0 / nc);
                d.signum() * (d.abs() - cc).max(0.0)
            } else {
                d
            };
            Some(num / se0)
        } else {
            None
        };
        let p_value = z.map(|z| (2.0 * normal.sf(z.abs())).min(1.0));
        let fisher = FisherExact::test(
            treated_retained,
            treated - treated_retained,
            control_retained,
            control - control_retained,
        )?;
        Ok(EffectReport {
            options: *self,
            treated: (treated_retained, treated),
            control: (control_retained, control),
            treated_rate: rt,
            control_rate: rc,
            difference: d,
            std_error: se,
            conf_int: (d - zq * se, d + zq * se),
            relative_uplift: (rc > 0.0).then(|| d / rc),
            z,
            p_value,
            fisher,
            incremental_retained: d * nt,
            incremental_value: self.value_per_retained.map(|v| d * nt * v),
        })
    }
}

impl fmt::Display for EffectReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Retention campaign effect (treatment vs control)")?;
        writeln!(
            f,
            "  {:<10} {:>10} {:>10} {:>12}",
            "group", "retained", "size", "rate"
        )?;
        writeln!(
            f,
            "  {:<10} {:>10} {:>10} {:>12.6}",
            "treated", self.treated.0, self.treated.1, self.treated_rate
        )?;
        writeln!(
            f,
            "  {:<10} {:>10} {:>10} {:>12.6}",
            "control", self.control.0, self.control.1, self.control_rate
        )?;
        writeln!(f, "  difference             {:>12.6}", self.difference)?;
        writeln!(f, "  std. error (unpooled)  {:>12.6}", self.std_error)?;
        writeln!(
            f,
            "  {:.0}% CI (Wald)         [{:.6}, {:.6}]",
            100.0 * self.options.confidence,
            self.conf_int.0,
            self.conf_int.1
        )?;
        if let Some(u) = self.relative_uplift {
            writeln!(f, "  relative uplift        {u:>12.6}")?;
        }
        match (self.z, self.p_value) {
            (Some(z), Some(p)) => writeln!(
                f,
                "  z (pooled{})     {z:>12.4}   p = {p:.6}",
                if self.options.continuity_correction {
                    ", cc"
                } else {
                    "   "
                }
            )?,
            _ => writeln!(f, "  z                      {:>12}", "n/a")?,
        }
        writeln!(
            f,
            "  Fisher exact p (two-sided) {:>8.6}",
            self.fisher.p_two_sided
        )?;
        writeln!(
            f,
            "  incremental retained   {:>12.2}",
            self.incremental_retained
        )?;
        if let Some(v) = self.incremental_value {
            writeln!(f, "  incremental value      {v:>12.2}")?;
        }
        Ok(())
    }
}

/// Sample size per group to detect a difference between two retention rates.
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `alpha` | 0.05 | two-sided significance level | (0, 1) |
/// | `power` | 0.80 | power | (0, 1) |
/// | `continuity_correction` | true | Fleiss-Tytun-Ury correction | |
///
/// # Formula
///
/// ```text
/// p̄ = (p1 + p2)/2,  Δ = |p2 - p1|
/// n  = [z_{1-α/2}·sqrt(2 p̄ (1-p̄)) + z_{1-β}·sqrt(p1(1-p1) + p2(1-p2))]² / Δ²
/// n' = n/4 · [1 + sqrt(1 + 4/(n·Δ))]²         (continuity correction)
/// ```
///
/// Both are rounded up to whole customers per group.
///
/// # Example
///
/// ```
/// use crm_analytics::{Probability, retention::SampleSize};
///
/// let n = SampleSize::new().per_group(Probability::new(0.15)?, Probability::new(0.30)?)?;
/// assert_eq!(n.uncorrected, 121);
/// assert_eq!(n.corrected, 134);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// - Fleiss, J. L., Levin, B. & Paik, M. C. (2003). *Statistical Methods for Rates and
///   Proportions*, 3rd ed., §4.2, eqs. (4.14) and (4.15).
/// - Fleiss, J. L., Tytun, A. & Ury, H. K. (1980). A simple approximation for calculating
///   sample sizes for comparing independent proportions. *Biometrics* 36, 343-346.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SampleSize {
    alpha: f64,
    power: f64,
    continuity_correction: bool,
}

impl Default for SampleSize {
    fn default() -> Self {
        SampleSize {
            alpha: 0.05,
            power: 0.80,
            continuity_correction: true,
        }
    }
}

/// The result of [`SampleSize::per_group`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SampleSizeReport {
    /// The options used.
    pub options: SampleSize,
    /// Rate in the first (control) group.
    pub p1: f64,
    /// Rate in the second (treated) group.
    pub p2: f64,
    /// `n` before rounding.
    pub exact: f64,
    /// `n` rounded up.
    pub uncorrected: u64,
    /// `n'` rounded up.
    pub corrected: u64,
    /// The size to use: `corrected` or `uncorrected` as the option says.
    pub per_group: u64,
}

impl SampleSize {
    /// The defaults (same as `default()`).
    #[must_use]
    pub fn new() -> SampleSize {
        SampleSize::default()
    }

    /// Two-sided significance level (default 0.05). Checked by `per_group`.
    #[must_use]
    pub fn alpha(mut self, a: f64) -> SampleSize {
        self.alpha = a;
        self
    }

    /// Power (default 0.80). Checked by `per_group`.
    #[must_use]
    pub fn power(mut self, p: f64) -> SampleSize {
        self.power = p;
        self
    }

    /// Use the continuity-corrected size (default true).
    #[must_use]
    pub fn continuity_correction(mut self, yes: bool) -> SampleSize {
        self.continuity_correction = yes;
        self
    }

    /// Significance level.
    #[must_use]
    pub fn get_alpha(&self) -> f64 {
        self.alpha
    }

    /// Power.
    #[must_use]
    pub fn get_power(&self) -> f64 {
        self.power
    }

    /// Whether the corrected size is used.
    #[must_use]
    pub fn get_continuity_correction(&self) -> bool {
        self.continuity_correction
    }

    /// Customers per group to detect `p1` vs `p2`.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for `alpha` or `power` outside (0, 1);
    /// [`Error::InvalidInput`] when `p1 = p2` (no difference to detect).
    pub fn per_group(&self, p1: Probability, p2: Probability) -> Result<SampleSizeReport> {
        crate::validate::open_unit("alpha", self.alpha)?;
        crate::validate::open_unit("power", self.power)?;
        let (a, b) = (p1.get(), p2.get());
        let delta = (b - a).abs();
        if delta.is_nan() || delta <= 0.0 {
            return Err(Error::input(
                "rates",
                format!("p1 and p2 are equal ({a}): there is no difference to detect"),
            ));
        }
        let normal = std_normal()?;
        let za = normal.inverse_cdf(1.0 - self.alpha / 2.0);
        let zb = normal.inverse_cdf(self.power);
        let pbar = (a + b) / 2.0;
        let num =
            za * (2.0 * pbar * (1.0 - pbar)).sqrt() + zb * (a * (1.0 - a) + b * (1.0 - b)).sqrt();
        let n = num * num / (delta * delta);
        let nc = n / 4.0 * (1.0 + (1.0 + 4.0 / (n * delta)).sqrt()).powi(2);
        let up = |x: f64| -> u64 {
            // Guard against 120.0000000001 from rounding of an exact integer.
            let r = x.round();
            if (x - r).abs() < 1e-9 * r.max(1.0) {
                r as u64
            } else {
                x.ceil() as u64
            }
        };
        let (uncorrected, corrected) = (up(n), up(nc));
        Ok(SampleSizeReport {
            options: *self,
            p1: a,
            p2: b,
            exact: n,
            uncorrected,
            corrected,
            per_group: if self.continuity_correction {
                corrected
            } else {
                uncorrected
            },
        })
    }
}

impl fmt::Display for SampleSizeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Sample size per group: p1 = {:.4}, p2 = {:.4}, alpha = {} (two-sided), power = {}",
            self.p1, self.p2, self.options.alpha, self.options.power
        )?;
        writeln!(
            f,
            "  without continuity correction {:>10}",
            self.uncorrected
        )?;
        writeln!(f, "  with continuity correction    {:>10}", self.corrected)?;
        writeln!(f, "  per group (as chosen)         {:>10}", self.per_group)
    }
}
