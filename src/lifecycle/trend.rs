//! Trend of a monthly spend series: OLS slope and t, relative slope, Theil-Sen slope
//! with Sen's confidence interval, Mann-Kendall S, Z and p.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

use crate::{Error, Result, validate};

/// Largest window for the Theil-Sen slope and Mann-Kendall test, whose cost grows with the
/// `n(n-1)/2` pairs: 4096 months give 8.4 million pairwise slopes (67 MB).
pub const MAX_PAIRWISE_POINTS: usize = 4096;

/// Options of a spend-trend estimate: which months to use and the confidence level of the
/// Theil-Sen interval. The data enter at [`TrendOptions::fit`].
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `window` | `Some(6)` | use the last `k` months (`None`: the whole series) | `k >= min_points` |
/// | `min_points` | 3 | fewer points than this is [`Error::TooFewObservations`] | `>= 2` |
/// | `confidence_level` | 0.95 | level of Sen's interval for the Theil-Sen slope | in (0, 1) |
///
/// The month index runs 0, 1, ..., n-1 over the window, so every slope is *per month*.
///
/// # Example
///
/// ```
/// use crm_analytics::lifecycle::TrendOptions;
///
/// let spend = [50.0, 52.0, 55.0, 54.0, 58.0, 60.0, 63.0];
/// let trend = TrendOptions::new().window(6).fit(&spend)?;
/// assert_eq!(trend.n(), 6);
/// assert!(trend.ols().slope > 0.0);
/// assert!(trend.relative_slope().is_some_and(|g| g > 0.03));
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrendOptions {
    window: Option<usize>,
    min_points: usize,
    confidence_level: f64,
}

impl Default for TrendOptions {
    fn default() -> Self {
        TrendOptions {
            window: Some(6),
            min_points: 3,
            confidence_level: 0.95,
        }
    }
}

impl TrendOptions {
    /// The defaults (same as `default()`).
    #[must_use]
    pub fn new() -> TrendOptions {
        TrendOptions::default()
    }

    /// Use the last `k` months of the series.
    ///
    /// # Errors
    /// [`TrendOptions::fit`] rejects `k < min_points`.
    #[must_use]
    pub fn window(mut self, k: usize) -> TrendOptions {
        self.window = Some(k);
        self
    }

    /// Use the whole series, however long.
    #[must_use]
    pub fn whole_series(mut self) -> TrendOptions {
        self.window = None;
        self
    }

    /// Fewest points that give a trend.
    ///
    /// # Errors
    /// [`TrendOptions::fit`] rejects `m < 2`.
    #[must_use]
    pub fn min_points(mut self, m: usize) -> TrendOptions {
        self.min_points = m;
        self
    }

    /// Confidence level of the Theil-Sen interval.
    ///
    /// # Errors
    /// [`TrendOptions::fit`] rejects a level outside (0, 1).
    #[must_use]
    pub fn confidence_level(mut self, level: f64) -> TrendOptions {
        self.confidence_level = level;
        self
    }

    /// The window (`None`: whole series).
    #[must_use]
    pub fn get_window(&self) -> Option<usize> {
        self.window
    }

    /// The minimum number of points.
    #[must_use]
    pub fn get_min_points(&self) -> usize {
        self.min_points
    }

    /// The confidence level of the Theil-Sen interval.
    #[must_use]
    pub fn get_confidence_level(&self) -> f64 {
        self.confidence_level
    }

    pub(crate) fn validate(&self) -> Result<()> {
        if self.min_points < 2 {
            return Err(Error::option("min_points", self.min_points, ">= 2"));
        }
        if let Some(k) = self.window
            && k < self.min_points
        {
            return Err(Error::option(
                "window",
                k,
                format!(">= min_points ({})", self.min_points),
            ));
        }
        validate::open_unit("confidence_level", self.confidence_level)
    }

    /// The trend of `spend` (oldest month first) over the window.
    ///
    /// # Errors
    /// - [`Error::InvalidOption`] for options outside their ranges;
    /// - [`Error::NonFiniteAt`] if a month in the window is NaN or infinite;
    /// - [`Error::TooFewObservations`] if the window holds fewer than `min_points` months;
    /// - [`Error::LimitExceeded`] if the window holds more than [`MAX_PAIRWISE_POINTS`].
    ///
    /// A constant series is not an error: its slopes are 0 and the statistics that do not
    /// exist (t, Mann-Kendall Z and p) are `None`.
    pub fn fit(&self, spend: &[f64]) -> Result<SpendTrend> {
        self.validate()?;
        let n = self.window.map_or(spend.len(), |k| k.min(spend.len()));
        let start = spend.len() - n;
        let y = &spend[start..];
        if let Some(i) = y.iter().position(|v| !v.is_finite()) {
            return Err(Error::NonFiniteAt {
                what: "spend".into(),
                index: start + i,
                value: y[i],
            });
        }
        check_magnitude(y, |i| format!("index {}", start + i))?;
        if n < self.min_points {
            return Err(Error::TooFewObservations {
                what: "spend trend".into(),
                needed: self.min_points,
                got: n,
            });
        }
        if n > MAX_PAIRWISE_POINTS {
            return Err(Error::LimitExceeded {
                what: "Theil-Sen / Mann-Kendall window (months)".into(),
                limit: MAX_PAIRWISE_POINTS,
                got: n,
                suggestion: "set a shorter `window`".into(),
            });
        }
        let mut scratch = Vec::with_capacity(n);
        let k = kernel(y, false, &mut scratch);
        let mean = k.mean;
        let (std_error, t, p) = match (k.se, k.t) {
            (Some(se), Some(t)) => (Some(se), Some(t), t_p_value(t, n)),
            (se, _) => (se, None, None),
        };
        let ols = OlsTrend {
            slope: k.slope,
            intercept: k.intercept,
            std_error,
            t,
            p_value: p,
        };
        // Theil-Sen: all pairwise slopes, sorted for Sen's interval.
        let mut slopes = pairwise_slopes(y);
        slopes.sort_by(f64::total_cmp);
        let ts_slope = median_sorted(&slopes);
        let mut ys = y.to_vec();
        ys.sort_by(f64::total_cmp);
        let ts_intercept = median_sorted(&ys) - ts_slope * (n as f64 - 1.0) / 2.0;
        let var_s = k.mk_var;
        let ci = sen_interval(&slopes, var_s, self.confidence_level);
        let theil_sen = TheilSen {
            slope: ts_slope,
            intercept: ts_intercept,
            ci,
            confidence_level: self.confidence_level,
        };
        let mann_kendall = MannKendall::from_s(k.mk_s, var_s, n);
        let relative = if mean > 0.0 {
            Some(k.slope / mean)
        } else {
            None
        };
        Ok(SpendTrend {
            options: *self,
            start,
            n,
            mean,
            ols,
            relative_slope: relative,
            theil_sen,
            mann_kendall,
        })
    }
}

/// The OLS line `spend = a + b * month` over the window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct OlsTrend {
    /// Slope `b` per month.
    pub slope: f64,
    /// Intercept `a` (the fitted value at the window's first month).
    pub intercept: f64,
    /// Standard error of `b`; `None` with fewer than 3 points.
    pub std_error: Option<f64>,
    /// `t = b / se(b)`; `None` with fewer than 3 points or an exact straight line.
    pub t: Option<f64>,
    /// Two-sided p value of `t` on `n - 2` degrees of freedom.
    pub p_value: Option<f64>,
}

/// The Theil-Sen slope (median of pairwise slopes) with Sen's interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TheilSen {
    /// Median of the `n(n-1)/2` pairwise slopes, per month.
    pub slope: f64,
    /// `median(spend) - slope * median(month)` (scipy's `method="separate"`).
    pub intercept: f64,
    /// Sen's (1968) distribution-free interval, `None` when too few pairs for the level.
    pub ci: Option<(f64, f64)>,
    /// Level of `ci`.
    pub confidence_level: f64,
}

/// The Mann-Kendall trend test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MannKendall {
    /// `S = sum_{i<j} sign(y_j - y_i)`.
    pub s: i64,
    /// Variance of `S` under no trend, corrected for ties.
    pub var_s: f64,
    /// Kendall's tau-a, `S / (n(n-1)/2)`.
    pub tau: f64,
    /// Continuity-corrected `Z`; `None` when `var_s = 0` (all values tied).
    pub z: Option<f64>,
    /// Two-sided normal p value of `Z`.
    pub p_value: Option<f64>,
}

impl MannKendall {
    pub(crate) fn from_s(s: i64, var_s: f64, n: usize) -> MannKendall {
        let pairs = (n * (n - 1) / 2) as f64;
        let tau = if pairs > 0.0 { s as f64 / pairs } else { 0.0 };
        let (z, p) = mk_z_p(s, var_s);
        MannKendall {
            s,
            var_s,
            tau,
            z,
            p_value: p,
        }
    }
}

/// The trend of one spend series: see [`TrendOptions`].
///
/// # Formula
///
/// ```text
/// month x = 0..n-1, spend y over the window, ybar = mean(y)
/// OLS      b = sum (x - xbar) y / sum (x - xbar)^2,  se(b) = sqrt(RSS / (n - 2) / Sxx),  t = b / se(b)
/// relative g = b / ybar   (None when ybar <= 0)
/// Theil-Sen  b_TS = median_{i<j} (y_j - y_i) / (j - i)
/// Mann-Kendall S = sum_{i<j} sign(y_j - y_i),
///   Var S = [n(n-1)(2n+5) - sum_g t_g (t_g - 1)(2 t_g + 5)] / 18   (t_g: size of tie group g)
///   Z = (S - 1)/sqrt(Var S) if S > 0, 0 if S = 0, (S + 1)/sqrt(Var S) if S < 0;  p = 2 P(N > |Z|)
/// Sen's interval: C = z_{1-a/2} sqrt(Var S), M1 = (N - C)/2, M2 = (N + C)/2 (N pairs);
///   bounds are the M1-th and (M2 + 1)-th smallest slopes, ranks rounded half to even
/// ```
///
/// # References
/// - Theil, H. (1950). A rank-invariant method of linear and polynomial regression analysis.
/// - Sen, P. K. (1968). Estimates of the regression coefficient based on Kendall's tau.
///   *JASA* 63, 1379-1389.
/// - Mann, H. B. (1945). Nonparametric tests against trend. *Econometrica* 13, 245-259;
///   Kendall, M. G. (1975). *Rank Correlation Methods*.
/// - Hirsch, R. M., Slack, J. R. & Smith, R. A. (1982). Techniques of trend analysis for
///   monthly water quality data. *Water Resources Research* 18(1), 107-121.
/// - Gilbert, R. O. (1987). *Statistical Methods for Environmental Pollution Monitoring*,
///   §16.4-16.5 (Mann-Kendall with ties; Sen's interval).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct SpendTrend {
    options: TrendOptions,
    start: usize,
    n: usize,
    mean: f64,
    ols: OlsTrend,
    relative_slope: Option<f64>,
    theil_sen: TheilSen,
    mann_kendall: MannKendall,
}

impl SpendTrend {
    /// The options used.
    pub fn options(&self) -> &TrendOptions {
        &self.options
    }
    /// Index in the input series of the window's first month.
    pub fn start(&self) -> usize {
        self.start
    }
    /// Number of months in the window.
    pub fn n(&self) -> usize {
        self.n
    }
    /// Mean spend over the window.
    pub fn mean(&self) -> f64 {
        self.mean
    }
    /// The OLS line with its t statistic.
    pub fn ols(&self) -> &OlsTrend {
        &self.ols
    }
    /// OLS slope over window mean (per month); `None` when the mean is `<= 0`.
    pub fn relative_slope(&self) -> Option<f64> {
        self.relative_slope
    }
    /// The Theil-Sen slope and interval.
    pub fn theil_sen(&self) -> &TheilSen {
        &self.theil_sen
    }
    /// The Mann-Kendall test.
    pub fn mann_kendall(&self) -> &MannKendall {
        &self.mann_kendall
    }
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |x| format!("{x:.4}"))
}

/// A p value: 4 decimals, or scientific notation below 1e-4 (never a bare 0.0000).
pub(crate) fn fmt_p(v: Option<f64>) -> String {
    match v {
        None => "-".to_string(),
        Some(p) if p < 1e-4 => format!("{p:.2e}"),
        Some(p) => format!("{p:.4}"),
    }
}

impl fmt::Display for SpendTrend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Spend trend over {} months (from index {}), mean {:.4}",
            self.n, self.start, self.mean
        )?;
        writeln!(f, "{:<22} {:>12}", "statistic", "value")?;
        writeln!(f, "{:<22} {:>12.4}", "OLS slope", self.ols.slope)?;
        writeln!(f, "{:<22} {:>12}", "  std. error", opt(self.ols.std_error))?;
        writeln!(f, "{:<22} {:>12}", "  t", opt(self.ols.t))?;
        writeln!(f, "{:<22} {:>12}", "  p (t)", fmt_p(self.ols.p_value))?;
        writeln!(
            f,
            "{:<22} {:>12}",
            "relative slope",
            opt(self.relative_slope)
        )?;
        writeln!(
            f,
            "{:<22} {:>12.4}",
            "Theil-Sen slope", self.theil_sen.slope
        )?;
        let ci = self
            .theil_sen
            .ci
            .map_or_else(|| "-".to_string(), |(l, u)| format!("[{l:.4}, {u:.4}]"));
        writeln!(
            f,
            "{:<22} {:>12}",
            format!("  {:.0}% CI (Sen)", 100.0 * self.theil_sen.confidence_level),
            ci
        )?;
        writeln!(f, "{:<22} {:>12}", "Mann-Kendall S", self.mann_kendall.s)?;
        writeln!(f, "{:<22} {:>12.4}", "  Var(S)", self.mann_kendall.var_s)?;
        writeln!(f, "{:<22} {:>12}", "  Z", opt(self.mann_kendall.z))?;
        write!(f, "{:<22} {:>12}", "  p", fmt_p(self.mann_kendall.p_value))
    }
}

/// Largest spend magnitude accepted (sums of squares of larger values overflow `f64`).
pub const MAX_SPEND: f64 = 1e100;

/// `|v| <= MAX_SPEND` for every (already finite) month; `location(i)` names index `i`.
pub(crate) fn check_magnitude(y: &[f64], location: impl Fn(usize) -> String) -> Result<()> {
    match y.iter().position(|v| v.abs() > MAX_SPEND) {
        Some(i) => Err(Error::InvalidValue {
            what: "spend".into(),
            location: location(i),
            value: y[i],
            expected: "at most 1e100 in absolute value".into(),
        }),
        None => Ok(()),
    }
}

/// Everything the classifier needs from one window, computed without allocation beyond
/// the caller's scratch buffer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kernel {
    pub(crate) mean: f64,
    pub(crate) slope: f64,
    pub(crate) intercept: f64,
    pub(crate) se: Option<f64>,
    pub(crate) t: Option<f64>,
    pub(crate) theil_sen: Option<f64>,
    pub(crate) mk_s: i64,
    pub(crate) mk_var: f64,
}

/// OLS, Theil-Sen (if `robust`) and Mann-Kendall on a finite window `y` of length >= 2.
pub(crate) fn kernel(y: &[f64], robust: bool, scratch: &mut Vec<f64>) -> Kernel {
    let n = y.len();
    let nf = n as f64;
    let mean = y.iter().sum::<f64>() / nf;
    let xbar = (nf - 1.0) / 2.0;
    // Sxx = sum (i - xbar)^2 = n (n^2 - 1) / 12.
    let sxx = nf * (nf * nf - 1.0) / 12.0;
    let mut sxy = 0.0;
    for (i, &v) in y.iter().enumerate() {
        sxy += (i as f64 - xbar) * (v - mean);
    }
    let slope = sxy / sxx;
    let intercept = mean - slope * xbar;
    let (se, t) = if n > 2 {
        let mut rss = 0.0;
        let mut scale = 0.0_f64;
        for (i, &v) in y.iter().enumerate() {
            let r = v - intercept - slope * i as f64;
            rss += r * r;
            scale = scale.max(v.abs());
        }
        let se = (rss / (nf - 2.0) / sxx).sqrt();
        // An exact straight line (residuals at rounding level): t does not exist.
        let floor = 64.0 * f64::EPSILON * scale.max(f64::MIN_POSITIVE) * nf;
        if rss.sqrt() <= floor {
            (Some(se), None)
        } else {
            (Some(se), Some(slope / se))
        }
    } else {
        (None, None)
    };
    // Mann-Kendall S; a zero difference flags a tie, and only then are tie groups counted.
    let mut s: i64 = 0;
    let mut any_tie = false;
    for i in 0..n {
        let yi = y[i];
        for &yj in &y[i + 1..] {
            let d = yj - yi;
            s += i64::from(d > 0.0) - i64::from(d < 0.0);
            any_tie |= d == 0.0;
        }
    }
    let mut ties = 0.0;
    if any_tie {
        scratch.clear();
        scratch.extend_from_slice(y);
        scratch.sort_unstable_by(f64::total_cmp);
        let mut run = 1usize;
        for w in 1..=n {
            if w < n && scratch[w].partial_cmp(&scratch[w - 1]) == Some(Ordering::Equal) {
                run += 1;
            } else {
                if run > 1 {
                    let t = run as f64;
                    ties += t * (t - 1.0) * (2.0 * t + 5.0);
                }
                run = 1;
            }
        }
    }
    let mk_var = ((nf * (nf - 1.0) * (2.0 * nf + 5.0) - ties) / 18.0).max(0.0);
    let theil_sen = if robust {
        scratch.clear();
        for i in 0..n {
            for j in i + 1..n {
                scratch.push((y[j] - y[i]) / (j - i) as f64);
            }
        }
        Some(median_select(scratch))
    } else {
        None
    };
    Kernel {
        mean,
        slope,
        intercept,
        se,
        t,
        theil_sen,
        mk_s: s,
        mk_var,
    }
}

/// Two-sided p of an OLS slope's t on `n - 2` degrees of freedom (`None` for `n <= 2`).
pub(crate) fn t_p_value(t: f64, n: usize) -> Option<f64> {
    if n <= 2 || !t.is_finite() {
        return None;
    }
    StudentsT::new(0.0, 1.0, (n - 2) as f64)
        .ok()
        .map(|d| (2.0 * d.sf(t.abs())).min(1.0))
}

/// Continuity-corrected Z and two-sided p of Mann-Kendall S.
pub(crate) fn mk_z_p(s: i64, var_s: f64) -> (Option<f64>, Option<f64>) {
    if var_s.is_finite() && var_s > 0.0 {
        let sd = var_s.sqrt();
        let z = match s.cmp(&0) {
            Ordering::Greater => (s as f64 - 1.0) / sd,
            Ordering::Less => (s as f64 + 1.0) / sd,
            Ordering::Equal => 0.0,
        };
        let p = (2.0 * Normal::standard().sf(z.abs())).min(1.0);
        (Some(z), Some(p))
    } else {
        (None, None)
    }
}

fn pairwise_slopes(y: &[f64]) -> Vec<f64> {
    let n = y.len();
    let mut out = Vec::with_capacity(n * (n - 1) / 2);
    for i in 0..n {
        for j in i + 1..n {
            out.push((y[j] - y[i]) / (j - i) as f64);
        }
    }
    out
}

fn median_sorted(v: &[f64]) -> f64 {
    let m = v.len();
    if m % 2 == 1 {
        v[m / 2]
    } else {
        0.5 * (v[m / 2 - 1] + v[m / 2])
    }
}

/// Median by selection (reorders `v`); `v` is non-empty.
fn median_select(v: &mut [f64]) -> f64 {
    let m = v.len();
    let (_, &mut hi, _) = v.select_nth_unstable_by(m / 2, f64::total_cmp);
    if m % 2 == 1 {
        hi
    } else {
        let lo = v[..m / 2].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        0.5 * (lo + hi)
    }
}

/// Sen's (1968) interval on sorted slopes, with scipy's rank rounding (half to even).
fn sen_interval(sorted: &[f64], var_s: f64, level: f64) -> Option<(f64, f64)> {
    let nt = sorted.len();
    if nt == 0 || var_s.is_nan() || var_s <= 0.0 {
        return None;
    }
    let z = Normal::standard().inverse_cdf(0.5 + level / 2.0);
    let c = z * var_s.sqrt();
    let nt_f = nt as f64;
    let lower_rank = ((nt_f - c) / 2.0).round_ties_even(); // 1-based
    let upper_rank0 = ((nt_f + c) / 2.0).round_ties_even(); // 0-based index of (M2+1)-th
    if lower_rank < 1.0 || upper_rank0 > nt_f - 1.0 {
        return None;
    }
    Some((
        sorted[lower_rank as usize - 1],
        sorted[upper_rank0 as usize],
    ))
}

#[cfg(test)]
#[allow(clippy::float_cmp, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_small_series() {
        // y = (1, 3, 2, 5): x = 0..3, xbar = 1.5, Sxx = 5,
        // Sxy = (-1.5)(1) + (-0.5)(3) + (0.5)(2) + (1.5)(5) = -1.5 - 1.5 + 1 + 7.5 = 5.5,
        // b = 1.1, mean = 2.75, g = 0.4.
        // Pairs: (3-1)=+, (2-1)=+, (5-1)=+, (2-3)=-, (5-3)=+, (5-2)=+ -> S = 4.
        // Var S = 4*3*13/18 = 8.6667; Z = 3/sqrt(8.6667) = 1.01905.
        // Slopes: 2, 0.5, 4/3, -1, 1, 3 -> sorted -1, .5, 1, 1.333, 2, 3 -> median 1.16667.
        let t = TrendOptions::new().fit(&[1.0, 3.0, 2.0, 5.0]).unwrap();
        assert!((t.ols().slope - 1.1).abs() < 1e-12);
        assert!((t.relative_slope().unwrap() - 0.4).abs() < 1e-12);
        assert_eq!(t.mann_kendall().s, 4);
        assert!((t.mann_kendall().var_s - 156.0 / 18.0).abs() < 1e-12);
        assert!((t.mann_kendall().z.unwrap() - 3.0 / (156.0f64 / 18.0).sqrt()).abs() < 1e-12);
        assert!((t.theil_sen().slope - 7.0 / 6.0).abs() < 1e-12);
    }

    #[test]
    fn constant_series_is_typed_not_nan() {
        let t = TrendOptions::new().fit(&[5.0; 6]).unwrap();
        assert_eq!(t.ols().slope, 0.0);
        assert_eq!(t.ols().t, None);
        assert_eq!(t.mann_kendall().z, None);
        assert_eq!(t.mann_kendall().var_s, 0.0);
        assert_eq!(t.relative_slope(), Some(0.0));
        let z = TrendOptions::new().fit(&[0.0; 6]).unwrap();
        assert_eq!(z.relative_slope(), None);
    }

    #[test]
    fn median_select_even_and_odd() {
        assert_eq!(median_select(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median_select(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
    }
}
