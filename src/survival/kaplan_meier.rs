//! Kaplan-Meier estimator of the survival (retention) curve.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::data::{fmt_opt, z_crit};
use super::risk_table::RiskTable;
use crate::{Error, Result, validate};

/// How pointwise confidence intervals of a survival curve are built.
///
/// # Formula
///
/// ```text
/// v(t)   = sum over event times t_i <= t of d_i / (n_i (n_i - d_i))     (Greenwood, Var log S)
/// LogLog: S(t)^exp(±z sqrt(v) / ln S(t))     (R survfit conf.type = "log-log", lifelines' default)
/// Plain:  S(t) ± z S(t) sqrt(v), clipped to [0, 1]
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ConfidenceType {
    /// Interval on ln(-ln S), mapped back: stays inside (0, 1). The default.
    #[default]
    LogLog,
    /// Symmetric interval on S itself, clipped to [0, 1] (Greenwood's original).
    Plain,
}

/// Options of the Kaplan-Meier estimator. Data enter at [`KaplanMeier::fit`] (or
/// [`KaplanMeier::fit_weighted`], [`KaplanMeier::fit_with_entry`], [`KaplanMeier::fit_general`]).
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `confidence_level` | 0.95 | level of pointwise and quantile intervals | (0, 1) |
/// | `confidence_type` | [`ConfidenceType::LogLog`] | transformation of the pointwise interval | `LogLog`, `Plain` |
///
/// # Example
///
/// ```
/// use crm_analytics::survival::KaplanMeier;
///
/// // Tenure in months and whether the customer churned (1) or is still active (0).
/// let tenure = [3.0, 5.0, 5.0, 8.0, 12.0, 12.0];
/// let churned = [1.0, 1.0, 0.0, 1.0, 0.0, 1.0];
/// let km = KaplanMeier::new().fit(&tenure, &churned)?;
/// // S(3) = 5/6; S(5) = 5/6 · 4/5 = 2/3; S(8) = 2/3 · 2/3 = 4/9.
/// assert!((km.survival_at(8.0)? - 4.0 / 9.0).abs() < 1e-12);
/// assert_eq!(km.median().time, Some(8.0));
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
///
/// Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete observations.
/// JASA 53, 457-481. Greenwood, M. (1926). The natural duration of cancer. Brookmeyer, R. &
/// Crowley, J. (1982). A confidence interval for the median survival time. Biometrics 38, 29-41.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KaplanMeier {
    confidence_level: f64,
    confidence_type: ConfidenceType,
}

impl Default for KaplanMeier {
    fn default() -> Self {
        KaplanMeier {
            confidence_level: 0.95,
            confidence_type: ConfidenceType::LogLog,
        }
    }
}

impl KaplanMeier {
    /// The default options (95 % log-log intervals).
    pub fn new() -> KaplanMeier {
        KaplanMeier::default()
    }

    /// Confidence level of pointwise and quantile intervals.
    ///
    /// # Errors
    ///
    /// The fit returns [`Error::InvalidOption`] unless the level is in (0, 1).
    pub fn confidence_level(mut self, level: f64) -> KaplanMeier {
        self.confidence_level = level;
        self
    }

    /// Transformation of the pointwise interval.
    pub fn confidence_type(mut self, kind: ConfidenceType) -> KaplanMeier {
        self.confidence_type = kind;
        self
    }

    /// The confidence level.
    pub fn get_confidence_level(&self) -> f64 {
        self.confidence_level
    }

    /// The interval transformation.
    pub fn get_confidence_type(&self) -> ConfidenceType {
        self.confidence_type
    }

    /// Fit on right-censored durations: `events[i]` is 1 for an observed churn, 0 for a
    /// customer still active (censored) at `durations[i]`.
    ///
    /// # Errors
    ///
    /// [`Error::Empty`] on no data; [`Error::DimensionMismatch`] on unequal lengths;
    /// [`Error::NonFiniteAt`] on a NaN or infinite duration; [`Error::InvalidValue`] on a
    /// negative duration or an event that is not 0 or 1; [`Error::InvalidOption`] on a bad level.
    pub fn fit(&self, durations: &[f64], events: &[f64]) -> Result<KaplanMeierFit> {
        self.fit_general(durations, events, None, None)
    }

    /// Fit with case weights (e.g. counts of identical customers, or sampling weights).
    /// Counts at risk and of events are weighted sums; Greenwood's formula is applied to them.
    ///
    /// # Errors
    ///
    /// As [`KaplanMeier::fit`], plus [`Error::InvalidValue`] on a negative or non-finite
    /// weight and [`Error::InvalidInput`] when all weights are zero.
    pub fn fit_weighted(
        &self,
        durations: &[f64],
        events: &[f64],
        weights: &[f64],
    ) -> Result<KaplanMeierFit> {
        self.fit_general(durations, events, None, Some(weights))
    }

    /// Fit with late entry (left truncation): customer `i` is observed from `entry[i]`
    /// (e.g. the start of the data window) and is at risk at `t` when `entry[i] < t <= durations[i]`.
    ///
    /// # Errors
    ///
    /// As [`KaplanMeier::fit`], plus [`Error::InvalidValue`] when an entry time is negative,
    /// non-finite or not below its duration.
    pub fn fit_with_entry(
        &self,
        entry: &[f64],
        durations: &[f64],
        events: &[f64],
    ) -> Result<KaplanMeierFit> {
        self.fit_general(durations, events, Some(entry), None)
    }

    /// The general fit: optional late-entry times and optional case weights.
    ///
    /// # Errors
    ///
    /// The union of the errors of [`KaplanMeier::fit_weighted`] and [`KaplanMeier::fit_with_entry`].
    pub fn fit_general(
        &self,
        durations: &[f64],
        events: &[f64],
        entry: Option<&[f64]>,
        weights: Option<&[f64]>,
    ) -> Result<KaplanMeierFit> {
        let z = z_crit(self.confidence_level)?;
        let table = RiskTable::build(durations, events, entry, weights)?;
        Ok(KaplanMeierFit::from_table(*self, table, z))
    }
}

/// A fitted Kaplan-Meier curve: one row per distinct observed time (event or censoring),
/// as R's `survfit` prints with `censor = TRUE`.
///
/// The curve is right-continuous: `S(t)` for `t` between two rows is the value of the
/// earlier row, and 1 before the first row.
#[derive(Debug, Clone, Serialize)]
#[must_use]
pub struct KaplanMeierFit {
    options: KaplanMeier,
    n_rows: usize,
    total_weight: f64,
    times: Vec<f64>,
    at_risk: Vec<f64>,
    events: Vec<f64>,
    censored: Vec<f64>,
    survival: Vec<f64>,
    greenwood: Vec<Option<f64>>,
    std_err: Vec<Option<f64>>,
    lower: Vec<f64>,
    upper: Vec<f64>,
}

impl KaplanMeierFit {
    fn from_table(options: KaplanMeier, t: RiskTable, z: f64) -> KaplanMeierFit {
        let m = t.times.len();
        let mut survival = Vec::with_capacity(m);
        let mut greenwood = Vec::with_capacity(m);
        let mut std_err = Vec::with_capacity(m);
        let mut lower = Vec::with_capacity(m);
        let mut upper = Vec::with_capacity(m);
        let mut s = 1.0_f64;
        let mut g = Some(0.0_f64);
        for i in 0..m {
            let (n, d) = (t.at_risk[i], t.events[i]);
            if d > 0.0 && n > 0.0 {
                s *= (1.0 - d / n).max(0.0);
                g = match g {
                    Some(acc) if n - d > 1e-12 * n => Some(acc + d / (n * (n - d))),
                    _ => None,
                };
            }
            survival.push(s);
            greenwood.push(g);
            std_err.push(g.map(|v| s * v.sqrt()));
            let (lo, hi) = interval(s, g, z, options.confidence_type);
            lower.push(lo);
            upper.push(hi);
        }
        KaplanMeierFit {
            options,
            n_rows: t.n_rows,
            total_weight: t.total_weight,
            times: t.times,
            at_risk: t.at_risk,
            events: t.events,
            censored: t.censored,
            survival,
            greenwood,
            std_err,
            lower,
            upper,
        }
    }

    /// The options used.
    pub fn options(&self) -> &KaplanMeier {
        &self.options
    }

    /// Number of input rows.
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// Sum of case weights (the number of customers when unweighted).
    pub fn total_weight(&self) -> f64 {
        self.total_weight
    }

    /// Total (weighted) number of events.
    pub fn total_events(&self) -> f64 {
        self.events.iter().sum()
    }

    /// Distinct observed times, ascending.
    pub fn times(&self) -> &[f64] {
        &self.times
    }

    /// (Weighted) number at risk just before each time.
    pub fn at_risk(&self) -> &[f64] {
        &self.at_risk
    }

    /// (Weighted) number of events at each time.
    pub fn events(&self) -> &[f64] {
        &self.events
    }

    /// (Weighted) number censored at each time.
    pub fn censored(&self) -> &[f64] {
        &self.censored
    }

    /// Survival probability at each time.
    pub fn survival(&self) -> &[f64] {
        &self.survival
    }

    /// Greenwood standard error of `S` at each time; `None` once the curve has reached 0
    /// (the variance does not exist there).
    pub fn std_errors(&self) -> &[Option<f64>] {
        &self.std_err
    }

    /// Greenwood's sum `v(t)`, the variance of `ln S(t)`; `None` once the curve has reached 0.
    pub fn log_variance(&self) -> &[Option<f64>] {
        &self.greenwood
    }

    /// Lower pointwise confidence limit at each time (degenerate: equal to `S` where `S` is 0 or 1).
    pub fn lower(&self) -> &[f64] {
        &self.lower
    }

    /// Upper pointwise confidence limit at each time (degenerate where `S` is 0 or 1).
    pub fn upper(&self) -> &[f64] {
        &self.upper
    }

    fn row_at(&self, t: f64) -> Option<usize> {
        // Last row with time <= t.
        let k = self.times.partition_point(|&x| x <= t);
        k.checked_sub(1)
    }

    /// `S(t)`: the probability of still being a customer after `t`.
    ///
    /// # Errors
    ///
    /// [`Error::NonFiniteAt`] when `t` is NaN or infinite.
    pub fn survival_at(&self, t: f64) -> Result<f64> {
        check_time(t)?;
        Ok(self.row_at(t).map_or(1.0, |i| self.survival[i]))
    }

    /// `S(t)` with its pointwise interval `(S, lower, upper)` at `t`.
    ///
    /// # Errors
    ///
    /// [`Error::NonFiniteAt`] when `t` is NaN or infinite.
    pub fn survival_with_ci(&self, t: f64) -> Result<(f64, f64, f64)> {
        check_time(t)?;
        Ok(self.row_at(t).map_or((1.0, 1.0, 1.0), |i| {
            (self.survival[i], self.lower[i], self.upper[i])
        }))
    }

    /// The median survival time (the 0.5 quantile) with its Brookmeyer-Crowley interval.
    pub fn median(&self) -> SurvivalQuantile {
        self.quantile_unchecked(0.5)
    }

    /// The `p` quantile of the survival time, i.e. the time by which a share `p` of the
    /// customers have churned, with a Brookmeyer-Crowley confidence interval.
    ///
    /// # Formula
    ///
    /// ```text
    /// t_p   = min { t : S(t) <= 1 - p }; if S equals 1 - p exactly on [t_i, t_j), (t_i + t_j) / 2
    /// lower = min { t : lower(t) <= 1 - p },  upper = min { t : upper(t) <= 1 - p }
    /// ```
    /// (the convention of R's `survfit`; lower/upper use the chosen interval type). A bound
    /// that the curve never reaches is `None`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] unless `p` is in (0, 1).
    pub fn quantile(&self, p: f64) -> Result<SurvivalQuantile> {
        validate::open_unit("p", p)?;
        Ok(self.quantile_unchecked(p))
    }

    fn quantile_unchecked(&self, p: f64) -> SurvivalQuantile {
        let target = 1.0 - p;
        let eps = 1e-10;
        let first = |v: &[f64]| v.iter().position(|&s| s <= target + eps);
        let time = first(&self.survival).map(|i| {
            if (self.survival[i] - target).abs() <= eps {
                // Flat at exactly 1 - p: midpoint to the next drop.
                match (i + 1..self.times.len()).find(|&j| self.survival[j] < self.survival[i]) {
                    Some(j) => 0.5 * (self.times[i] + self.times[j]),
                    None => self.times[i],
                }
            } else {
                self.times[i]
            }
        });
        SurvivalQuantile {
            p,
            time,
            lower: first(&self.lower).map(|i| self.times[i]),
            upper: first(&self.upper).map(|i| self.times[i]),
        }
    }

    /// Restricted mean survival time up to `horizon`: the area under the curve on
    /// `[0, horizon]`, i.e. the expected tenure within the horizon.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] unless `horizon` is finite and `>= 0`.
    pub fn restricted_mean(&self, horizon: f64) -> Result<f64> {
        validate::non_negative("horizon", horizon)?;
        let mut area = 0.0;
        let mut prev_t = 0.0;
        let mut s = 1.0;
        for (&t, &si) in self.times.iter().zip(&self.survival) {
            if t >= horizon {
                break;
            }
            area += s * (t - prev_t);
            prev_t = t;
            s = si;
        }
        Ok(area + s * (horizon - prev_t))
    }

    /// The at-risk table at the given times (as printed under survival plots): the number
    /// still at risk at each `t` (observed at or after `t`), and cumulative events and
    /// censorings up to `t` inclusive. With late entry, "at risk" counts customers at risk
    /// at the first observed time at or after `t`.
    ///
    /// # Errors
    ///
    /// [`Error::NonFiniteAt`] when a time is NaN or infinite.
    pub fn at_risk_table(&self, times: &[f64]) -> Result<AtRiskTable> {
        let mut rows = Vec::with_capacity(times.len());
        for &t in times {
            check_time(t)?;
            let k = self.times.partition_point(|&x| x < t);
            let at_risk = self.at_risk.get(k).copied().unwrap_or(0.0);
            let upto = self.times.partition_point(|&x| x <= t);
            rows.push(AtRiskRow {
                time: t,
                at_risk,
                cumulative_events: self.events[..upto].iter().sum::<f64>() + 0.0,
                cumulative_censored: self.censored[..upto].iter().sum::<f64>() + 0.0,
                survival: self.row_at(t).map_or(1.0, |i| self.survival[i]),
            });
        }
        Ok(AtRiskTable { rows })
    }
}

fn check_time(t: f64) -> Result<()> {
    if t.is_finite() {
        Ok(())
    } else {
        Err(Error::NonFiniteAt {
            what: "time".into(),
            index: 0,
            value: t,
        })
    }
}

/// Pointwise interval for survival `s` with Greenwood sum `g` (variance of ln S).
pub(crate) fn interval(s: f64, g: Option<f64>, z: f64, kind: ConfidenceType) -> (f64, f64) {
    if s >= 1.0 || s <= 0.0 {
        return (s, s);
    }
    let Some(v) = g else { return (s, s) };
    let se_log = v.sqrt();
    match kind {
        ConfidenceType::LogLog => {
            let se_theta = se_log / s.ln().abs();
            (s.powf((z * se_theta).exp()), s.powf((-z * se_theta).exp()))
        }
        ConfidenceType::Plain => {
            let h = z * s * se_log;
            ((s - h).clamp(0.0, 1.0), (s + h).clamp(0.0, 1.0))
        }
    }
}

/// A quantile of the survival time with its confidence interval. Made by
/// [`KaplanMeierFit::quantile`] and [`KaplanMeierFit::median`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SurvivalQuantile {
    /// The share that has churned by `time` (0.5 for the median).
    pub p: f64,
    /// The quantile, `None` when the curve never falls to `1 - p`.
    pub time: Option<f64>,
    /// Lower confidence limit (`None` if not reached).
    pub lower: Option<f64>,
    /// Upper confidence limit (`None` if not reached: the interval is open to the right).
    pub upper: Option<f64>,
}

impl fmt::Display for SurvivalQuantile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "q({:.2}) = {} [{}, {}]",
            self.p,
            fmt_opt(self.time, 3),
            fmt_opt(self.lower, 3),
            fmt_opt(self.upper, 3)
        )
    }
}

/// One row of an [`AtRiskTable`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct AtRiskRow {
    /// The time.
    pub time: f64,
    /// Number still at risk at `time`.
    pub at_risk: f64,
    /// Events up to and including `time`.
    pub cumulative_events: f64,
    /// Censorings up to and including `time`.
    pub cumulative_censored: f64,
    /// `S(time)`.
    pub survival: f64,
}

/// Numbers at risk at chosen times. Made by [`KaplanMeierFit::at_risk_table`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct AtRiskTable {
    /// One row per requested time.
    pub rows: Vec<AtRiskRow>,
}

impl fmt::Display for AtRiskTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:>10} {:>10} {:>10} {:>10} {:>8}",
            "time", "at risk", "events", "censored", "S(t)"
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "{:>10.2} {:>10.0} {:>10.0} {:>10.0} {:>8.4}",
                r.time, r.at_risk, r.cumulative_events, r.cumulative_censored, r.survival
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for KaplanMeierFit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lvl = self.options.confidence_level * 100.0;
        writeln!(
            f,
            "Kaplan-Meier estimate: n = {}, events = {}, {:?} {lvl:.0}% intervals",
            self.total_weight,
            self.total_events(),
            self.options.confidence_type
        )?;
        writeln!(f, "median {}", self.median())?;
        writeln!(
            f,
            "{:>10} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
            "time", "n.risk", "n.event", "n.cens", "S(t)", "std.err", "lower", "upper"
        )?;
        let m = self.times.len();
        let show: Vec<usize> = if m <= 40 {
            (0..m).collect()
        } else {
            (0..20).chain(m - 20..m).collect()
        };
        let mut last = None;
        for i in show {
            if last.is_some_and(|l| i != l + 1) {
                writeln!(f, "{:>10}", "...")?;
            }
            last = Some(i);
            writeln!(
                f,
                "{:>10.2} {:>9.0} {:>8.0} {:>8.0} {:>8.4} {:>8} {:>8.4} {:>8.4}",
                self.times[i],
                self.at_risk[i],
                self.events[i],
                self.censored[i],
                self.survival[i],
                fmt_opt(self.std_err[i], 4),
                self.lower[i],
                self.upper[i]
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn hand_case_with_greenwood() {
        // t: 1 2 2 3 4 ; e: 1 1 0 1 0
        // t=1: n=5 d=1 S=0.8, g = 1/(5·4) = 0.05
        // t=2: n=4 d=1 S=0.6, g += 1/(4·3) = 0.05 + 0.083333 = 0.133333
        // t=3: n=2 d=1 S=0.3, g += 1/(2·1) = 0.633333
        let km = KaplanMeier::new()
            .fit(&[1.0, 2.0, 2.0, 3.0, 4.0], &[1.0, 1.0, 0.0, 1.0, 0.0])
            .unwrap();
        assert_eq!(km.times(), &[1.0, 2.0, 3.0, 4.0]);
        let s = km.survival();
        assert!((s[0] - 0.8).abs() < 1e-15 && (s[1] - 0.6).abs() < 1e-15);
        assert!((s[2] - 0.3).abs() < 1e-15 && (s[3] - 0.3).abs() < 1e-15);
        let se = km.std_errors()[2].unwrap();
        assert!((se - 0.3 * (0.05f64 + 1.0 / 12.0 + 0.5).sqrt()).abs() < 1e-14);
        assert_eq!(km.median().time, Some(3.0));
        assert_eq!(km.quantile(0.1).unwrap().time, Some(1.0));
        // RMST to 4: 1·1 + 0.8·1 + 0.6·1 + 0.3·1 = 2.7
        assert!((km.restricted_mean(4.0).unwrap() - 2.7).abs() < 1e-14);
        // Plain CI at t=1: 0.8 ± 1.96·0.8·sqrt(0.05)
        let km = KaplanMeier::new()
            .confidence_type(ConfidenceType::Plain)
            .fit(&[1.0, 2.0, 2.0, 3.0, 4.0], &[1.0, 1.0, 0.0, 1.0, 0.0])
            .unwrap();
        let z = 1.959963984540054;
        assert!((km.lower()[0] - (0.8 - z * 0.8 * 0.05f64.sqrt())).abs() < 1e-12);
    }

    #[test]
    fn median_midpoint_when_flat_at_half() {
        // 4 customers, events at 1, 2, 3, 4: S = .75 .5 .25 0 -> S = 0.5 on [2, 3): median 2.5
        let km = KaplanMeier::new()
            .fit(&[1.0, 2.0, 3.0, 4.0], &[1.0; 4])
            .unwrap();
        assert_eq!(km.median().time, Some(2.5));
        assert_eq!(km.std_errors()[3], None);
    }
}
