//! Rule-based life-cycle stage classification from tenure and spend, with evidence.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::trend::{check_magnitude, fmt_p, kernel, mk_z_p, t_p_value};
use crate::strategy::{LifecycleStage, Recommendation, Strategy, StrategyBook, ValueSegment};
use crate::{Error, Result};

/// The stage rules of MODELS.md §4.2, every threshold an option. Data enter at
/// [`LifecycleRules::classify`] (one customer) or [`LifecycleRules::classify_base`] (a whole
/// base).
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `onboarding_tenure` | 6 | tenure (months) below this is onboarding | any `u32` (0 turns the rule off) |
/// | `window` | 6 | trend on the last `k` months of the customer's history | `>= min_points`; `<= 4096` when `robust` |
/// | `min_points` | 3 | a window with fewer months is insufficient | `>= 2` |
/// | `threshold` | 0.03 | relative slope `g >= +θ` growth, `g <= -θ` decline, else maturity | finite, `> 0` |
/// | `drawdown` | off | decline when the recent mean falls below `ratio` × the trailing peak | on/off |
/// | `drawdown_recent` | 3 | months in the recent mean | `>= 1`, `<= drawdown_lookback` |
/// | `drawdown_lookback` | 12 | months over which the peak is taken | `>= drawdown_recent` |
/// | `drawdown_ratio` | 0.8 | fraction of the peak | in (0, 1) |
/// | `robust` | true | also compute Theil-Sen and Mann-Kendall evidence | bool |
///
/// # Rules, in order
///
/// The customer's *history* is the last `min(len, tenure)` months of the series (months
/// before joining are not spend); the *window* is the last `min(window, history)` months.
///
/// 1. `tenure < onboarding_tenure` → [`StageRule::Onboarding`].
/// 2. Window shorter than `min_points` → [`StageRule::Insufficient`], no stage.
/// 3. Window mean `<= 0`: the relative slope is undefined. Positive spend earlier in the
///    history → [`StageRule::ZeroSpendAfterActivity`] (decline); none →
///    [`StageRule::NoActivity`], no stage.
/// 4. Drawdown on and the mean of the last `drawdown_recent` months below
///    `drawdown_ratio` × the peak month of the last `drawdown_lookback` months →
///    [`StageRule::Drawdown`] (decline), whatever the slope.
/// 5. `g = b / mean` with `b` the OLS slope per month: `g >= θ` growth, `g <= -θ`
///    decline, else maturity.
///
/// Negative months (refunds) are allowed; NaN, infinities and magnitudes above
/// [`MAX_SPEND`](super::MAX_SPEND) are errors.
///
/// # Example
///
/// ```
/// use crm_analytics::lifecycle::{LifecycleRules, LifecycleStage, StageRule};
///
/// let rules = LifecycleRules::new();
/// let call = rules.classify(24, &[80.0, 84.0, 90.0, 95.0, 99.0, 105.0])?;
/// assert_eq!(call.stage, Some(LifecycleStage::Growth));
/// assert_eq!(call.rule, StageRule::Growth);
/// let g = call.evidence.trend.and_then(|t| t.relative_slope);
/// assert!(g.is_some_and(|g| g > 0.03));
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// MODELS.md §4.2; the stage vocabulary of Dwyer, Schurr & Oh (1987) and 陈明亮 (2003).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LifecycleRules {
    onboarding_tenure: u32,
    window: usize,
    min_points: usize,
    threshold: f64,
    drawdown: bool,
    drawdown_recent: usize,
    drawdown_lookback: usize,
    drawdown_ratio: f64,
    robust: bool,
}

impl Default for LifecycleRules {
    fn default() -> Self {
        LifecycleRules {
            onboarding_tenure: 6,
            window: 6,
            min_points: 3,
            threshold: 0.03,
            drawdown: false,
            drawdown_recent: 3,
            drawdown_lookback: 12,
            drawdown_ratio: 0.8,
            robust: true,
        }
    }
}

/// Which rule decided a customer's stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StageRule {
    /// Tenure below the onboarding threshold.
    Onboarding,
    /// Relative slope at or above `+θ`.
    Growth,
    /// Relative slope strictly between `-θ` and `+θ`.
    Maturity,
    /// Relative slope at or below `-θ`.
    Decline,
    /// The drawdown trigger fired (recent mean below a fraction of the trailing peak).
    Drawdown,
    /// No spend in the window after positive spend earlier: decline.
    ZeroSpendAfterActivity,
    /// No positive spend in the window nor before it: no stage.
    NoActivity,
    /// Fewer months in the window than `min_points`: no stage.
    Insufficient {
        /// `min_points`.
        needed: usize,
        /// Months available.
        got: usize,
    },
}

impl StageRule {
    /// The stage this rule assigns (`None` for no stage).
    #[must_use]
    pub fn stage(self) -> Option<LifecycleStage> {
        match self {
            StageRule::Onboarding => Some(LifecycleStage::Onboarding),
            StageRule::Growth => Some(LifecycleStage::Growth),
            StageRule::Maturity => Some(LifecycleStage::Maturity),
            StageRule::Decline | StageRule::Drawdown | StageRule::ZeroSpendAfterActivity => {
                Some(LifecycleStage::Decline)
            }
            StageRule::NoActivity | StageRule::Insufficient { .. } => None,
        }
    }
}

impl fmt::Display for StageRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StageRule::Onboarding => f.pad("tenure < onboarding tenure"),
            StageRule::Growth => f.pad("g >= +threshold"),
            StageRule::Maturity => f.pad("|g| < threshold"),
            StageRule::Decline => f.pad("g <= -threshold"),
            StageRule::Drawdown => f.pad("drawdown"),
            StageRule::ZeroSpendAfterActivity => f.pad("zero window after activity"),
            StageRule::NoActivity => f.pad("no activity"),
            StageRule::Insufficient { needed, got } => {
                f.pad(&format!("insufficient ({got} < {needed} months)"))
            }
        }
    }
}

/// Trend statistics of the classification window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TrendEvidence {
    /// Mean spend over the window.
    pub mean: f64,
    /// OLS slope per month.
    pub slope: f64,
    /// `slope / mean`; `None` when the mean is `<= 0`.
    pub relative_slope: Option<f64>,
    /// t statistic of the OLS slope; `None` with 2 points or an exact line.
    pub t: Option<f64>,
    /// Two-sided p value of `t` on `window - 2` degrees of freedom (computed when the call
    /// is read, so a batch does not pay for it).
    pub t_p: Option<f64>,
    /// Theil-Sen slope per month (`None` when `robust` is off).
    pub theil_sen: Option<f64>,
    /// Mann-Kendall S (`None` when `robust` is off).
    pub mk_s: Option<i64>,
    /// Mann-Kendall Z (continuity-corrected, tie-corrected variance).
    pub mk_z: Option<f64>,
    /// Two-sided Mann-Kendall p value.
    pub mk_p: Option<f64>,
}

/// The evidence behind one stage call.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct StageEvidence {
    /// Tenure in months.
    pub tenure: u32,
    /// Months in the trend window.
    pub window: usize,
    /// Trend of the window; `None` when it has fewer than 2 months or fewer than `min_points`.
    pub trend: Option<TrendEvidence>,
    /// Recent mean over trailing peak, when the drawdown rule is on and defined.
    pub drawdown_ratio: Option<f64>,
}

/// One customer's stage with the rule that fired and its evidence.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct StageCall {
    /// The stage, `None` when no rule can assign one (see [`StageRule`]).
    pub stage: Option<LifecycleStage>,
    /// The rule that decided.
    pub rule: StageRule,
    /// Tenure, window and trend statistics.
    pub evidence: StageEvidence,
}

impl StageCall {
    /// The stage's strategy in `book` (`None` without a stage).
    #[must_use]
    pub fn strategy<'a>(&self, book: &'a StrategyBook) -> Option<&'a Strategy> {
        self.stage.map(|s| book.stage(s))
    }

    /// The full recommendation for this customer given its value segment.
    #[must_use]
    pub fn recommend(
        &self,
        book: &StrategyBook,
        segment: ValueSegment,
        group_member: bool,
    ) -> Recommendation {
        book.recommend(segment, self.stage, group_member)
    }
}

fn fmt_opt(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |x| format!("{x:.4}"))
}

impl fmt::Display for StageCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let stage = self
            .stage
            .map_or_else(|| "none".to_string(), |s| s.to_string());
        write!(
            f,
            "{stage} ({}); tenure {}, window {}",
            self.rule, self.evidence.tenure, self.evidence.window
        )?;
        if let Some(t) = &self.evidence.trend {
            write!(
                f,
                ", slope {:.4}, g {}, t {} (p {}), Theil-Sen {}, MK S {}, p {}",
                t.slope,
                fmt_opt(t.relative_slope),
                fmt_opt(t.t),
                fmt_p(t.t_p),
                fmt_opt(t.theil_sen),
                t.mk_s.map_or_else(|| "-".into(), |s| s.to_string()),
                fmt_p(t.mk_p)
            )?;
        }
        if let Some(d) = self.evidence.drawdown_ratio {
            write!(f, ", drawdown ratio {d:.4}")?;
        }
        Ok(())
    }
}

impl LifecycleRules {
    /// The defaults (same as `default()`).
    #[must_use]
    pub fn new() -> LifecycleRules {
        LifecycleRules::default()
    }
    /// Tenure (months) below which a customer is onboarding (many operators use 3).
    #[must_use]
    pub fn onboarding_tenure(mut self, months: u32) -> LifecycleRules {
        self.onboarding_tenure = months;
        self
    }
    /// Months in the trend window.
    ///
    /// # Errors
    /// Classification rejects `k < min_points`.
    #[must_use]
    pub fn window(mut self, k: usize) -> LifecycleRules {
        self.window = k;
        self
    }
    /// Fewest months in a window that give a stage.
    ///
    /// # Errors
    /// Classification rejects `m < 2`.
    #[must_use]
    pub fn min_points(mut self, m: usize) -> LifecycleRules {
        self.min_points = m;
        self
    }
    /// The relative-slope threshold θ (per month).
    ///
    /// # Errors
    /// Classification rejects a θ that is not finite and positive.
    #[must_use]
    pub fn threshold(mut self, theta: f64) -> LifecycleRules {
        self.threshold = theta;
        self
    }
    /// Turn the drawdown trigger on or off.
    #[must_use]
    pub fn drawdown(mut self, on: bool) -> LifecycleRules {
        self.drawdown = on;
        self
    }
    /// Months in the drawdown's recent mean.
    ///
    /// # Errors
    /// Classification rejects 0 or more than `drawdown_lookback`.
    #[must_use]
    pub fn drawdown_recent(mut self, months: usize) -> LifecycleRules {
        self.drawdown_recent = months;
        self
    }
    /// Months over which the drawdown's peak is taken.
    #[must_use]
    pub fn drawdown_lookback(mut self, months: usize) -> LifecycleRules {
        self.drawdown_lookback = months;
        self
    }
    /// Fraction of the peak below which the recent mean triggers decline.
    ///
    /// # Errors
    /// Classification rejects a ratio outside (0, 1).
    #[must_use]
    pub fn drawdown_ratio(mut self, ratio: f64) -> LifecycleRules {
        self.drawdown_ratio = ratio;
        self
    }
    /// Compute Theil-Sen and Mann-Kendall evidence (costs about twice the OLS work).
    #[must_use]
    pub fn robust(mut self, on: bool) -> LifecycleRules {
        self.robust = on;
        self
    }
    /// The onboarding tenure.
    #[must_use]
    pub fn get_onboarding_tenure(&self) -> u32 {
        self.onboarding_tenure
    }
    /// The window.
    #[must_use]
    pub fn get_window(&self) -> usize {
        self.window
    }
    /// The minimum number of months.
    #[must_use]
    pub fn get_min_points(&self) -> usize {
        self.min_points
    }
    /// The threshold θ.
    #[must_use]
    pub fn get_threshold(&self) -> f64 {
        self.threshold
    }
    /// Whether the drawdown trigger is on.
    #[must_use]
    pub fn get_drawdown(&self) -> bool {
        self.drawdown
    }
    /// Months in the drawdown's recent mean.
    #[must_use]
    pub fn get_drawdown_recent(&self) -> usize {
        self.drawdown_recent
    }
    /// Months of the drawdown's peak.
    #[must_use]
    pub fn get_drawdown_lookback(&self) -> usize {
        self.drawdown_lookback
    }
    /// The drawdown ratio.
    #[must_use]
    pub fn get_drawdown_ratio(&self) -> f64 {
        self.drawdown_ratio
    }
    /// Whether robust evidence is computed.
    #[must_use]
    pub fn get_robust(&self) -> bool {
        self.robust
    }

    /// Check every option.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] naming the first option out of range.
    pub fn validate(&self) -> Result<()> {
        if self.min_points < 2 {
            return Err(Error::option("min_points", self.min_points, ">= 2"));
        }
        if self.window < self.min_points {
            return Err(Error::option(
                "window",
                self.window,
                format!(">= min_points ({})", self.min_points),
            ));
        }
        if self.robust && self.window > super::trend::MAX_PAIRWISE_POINTS {
            return Err(Error::option(
                "window",
                self.window,
                format!(
                    "<= {} with robust evidence (Theil-Sen, Mann-Kendall)",
                    super::trend::MAX_PAIRWISE_POINTS
                ),
            ));
        }
        crate::validate::positive("threshold", self.threshold)?;
        if self.drawdown_recent == 0 || self.drawdown_recent > self.drawdown_lookback {
            return Err(Error::option(
                "drawdown_recent",
                self.drawdown_recent,
                format!(">= 1 and <= drawdown_lookback ({})", self.drawdown_lookback),
            ));
        }
        crate::validate::open_unit("drawdown_ratio", self.drawdown_ratio)
    }

    /// Classify one customer from tenure (months) and spend (oldest month first).
    ///
    /// # Errors
    /// - [`Error::InvalidOption`] for options out of range;
    /// - [`Error::NonFiniteAt`] naming the first NaN or infinite month.
    ///
    /// Short or all-zero series are not errors: see [`StageRule::Insufficient`] and
    /// [`StageRule::NoActivity`].
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::lifecycle::{LifecycleRules, StageRule};
    ///
    /// let rules = LifecycleRules::new().drawdown(true);
    /// // Peak 100, last three months at 60: the drawdown trigger fires.
    /// let call = rules.classify(36, &[100.0, 98.0, 95.0, 60.0, 60.0, 60.0])?;
    /// assert_eq!(call.rule, StageRule::Drawdown);
    /// assert_eq!(call.evidence.drawdown_ratio, Some(0.6));
    /// // Two months of history: no stage, and the call says why.
    /// let short = rules.classify(24, &[10.0, 12.0])?;
    /// assert_eq!(short.rule, StageRule::Insufficient { needed: 3, got: 2 });
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn classify(&self, tenure: u32, spend: &[f64]) -> Result<StageCall> {
        self.validate()?;
        crate::validate::slice_finite("spend", spend)?;
        check_magnitude(spend, |i| format!("index {i}"))?;
        let mut scratch = Vec::new();
        Ok(self
            .classify_unchecked(tenure, spend, &mut scratch)
            .expand(self.min_points))
    }

    /// Classify a whole base: `spend` is row-major, one row of `months` per customer,
    /// `tenure` one entry per customer.
    ///
    /// # Errors
    /// - [`Error::InvalidOption`] for options out of range, or `months == 0`;
    /// - [`Error::DimensionMismatch`] if `spend.len() != tenure.len() * months`;
    /// - [`Error::NonFinite`] naming the customer (row) and month (column) of the first
    ///   NaN or infinity.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::lifecycle::{LifecycleRules, LifecycleStage};
    ///
    /// // Three customers x 6 months: rising, flat, new.
    /// let spend = [
    ///     50.0, 55.0, 60.0, 66.0, 72.0, 80.0,
    ///     40.0, 41.0, 39.0, 40.0, 40.0, 41.0,
    ///     0.0, 0.0, 0.0, 0.0, 30.0, 35.0,
    /// ];
    /// let table = LifecycleRules::new().classify_base(&spend, 6, &[30, 40, 2])?;
    /// assert_eq!(
    ///     table.stages(),
    ///     vec![Some(LifecycleStage::Growth), Some(LifecycleStage::Maturity), Some(LifecycleStage::Onboarding)]
    /// );
    /// assert_eq!(table.summary().stage_counts, [1, 1, 1, 0]);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn classify_base(
        &self,
        spend: &[f64],
        months: usize,
        tenure: &[u32],
    ) -> Result<StageTable> {
        self.classify_base_parallel(spend, months, tenure, 1)
    }

    /// [`LifecycleRules::classify_base`] on `threads` scoped threads (capped at
    /// [`MAX_THREADS`](super::MAX_THREADS)). The result does not depend on `threads`:
    /// customers are split into contiguous blocks kept in order, and an error names the
    /// first bad customer in input order.
    ///
    /// # Errors
    /// As [`LifecycleRules::classify_base`]; `threads == 0` is [`Error::InvalidOption`].
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::lifecycle::LifecycleRules;
    ///
    /// let spend: Vec<f64> = (0..600).map(|i| 50.0 + (i % 12) as f64).collect();
    /// let tenure = vec![24; 50];
    /// let rules = LifecycleRules::new();
    /// let serial = rules.classify_base(&spend, 12, &tenure)?;
    /// let parallel = rules.classify_base_parallel(&spend, 12, &tenure, 4)?;
    /// assert_eq!(serial, parallel);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn classify_base_parallel(
        &self,
        spend: &[f64],
        months: usize,
        tenure: &[u32],
        threads: usize,
    ) -> Result<StageTable> {
        self.validate()?;
        if months == 0 {
            return Err(Error::option("months", 0, ">= 1"));
        }
        if threads == 0 {
            return Err(Error::option("threads", 0, ">= 1"));
        }
        let n = tenure.len();
        let expected = n
            .checked_mul(months)
            .ok_or_else(|| Error::input("spend panel", "customers x months overflows usize"))?;
        crate::validate::same_len("spend (customers x months)", expected, spend.len())?;
        // At most MAX_THREADS workers, and never more than customers.
        let threads = threads.min(super::MAX_THREADS).min(n.max(1));
        let block = n.div_ceil(threads).max(1);
        let run = |first: usize, ten: &[u32]| -> Result<Vec<Packed>> {
            let mut out = Vec::with_capacity(ten.len());
            let mut scratch = Vec::new();
            for (k, &t) in ten.iter().enumerate() {
                let row = first + k;
                let s = &spend[row * months..(row + 1) * months];
                if let Some(c) = s.iter().position(|v| !v.is_finite()) {
                    return Err(Error::NonFinite {
                        what: "spend".into(),
                        row,
                        col: c,
                        value: s[c],
                    });
                }
                check_magnitude(s, |c| format!("row {row}, column {c}"))?;
                out.push(self.classify_unchecked(t, s, &mut scratch));
            }
            Ok(out)
        };
        let parts: Vec<Result<Vec<Packed>>> = if threads == 1 || n <= block {
            vec![run(0, tenure)]
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = tenure
                    .chunks(block)
                    .enumerate()
                    .map(|(b, ten)| {
                        let run = &run;
                        scope.spawn(move || run(b * block, ten))
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| {
                        h.join().unwrap_or_else(|_| {
                            Err(Error::input("classification thread", "a worker panicked"))
                        })
                    })
                    .collect()
            })
        };
        let blocks = parts.into_iter().collect::<Result<Vec<_>>>()?;
        Ok(StageTable::new(*self, blocks, block))
    }

    fn classify_unchecked(&self, tenure: u32, spend: &[f64], scratch: &mut Vec<f64>) -> Packed {
        let history_len = spend.len().min(tenure as usize);
        let history = &spend[spend.len() - history_len..];
        let w = self.window.min(history_len);
        let window = &history[history_len - w..];
        let mut out = Packed {
            mean: f64::NAN,
            slope: f64::NAN,
            t: f64::NAN,
            theil_sen: f64::NAN,
            mk_var: f64::NAN,
            drawdown: f64::NAN,
            tenure,
            mk_s: 0,
            window: u32::try_from(w).unwrap_or(u32::MAX),
            rule: 0,
            flags: 0,
        };
        let has_trend = w >= 2 && w >= self.min_points;
        if has_trend {
            let k = kernel(window, self.robust, scratch);
            out.mean = k.mean;
            out.slope = k.slope;
            out.t = k.t.unwrap_or(f64::NAN);
            if self.robust {
                out.theil_sen = k.theil_sen.unwrap_or(f64::NAN);
                out.mk_var = k.mk_var;
                out.mk_s = i32::try_from(k.mk_s).unwrap_or(i32::MAX);
                out.flags |= FLAG_ROBUST;
            }
            out.flags |= FLAG_TREND;
        }
        if self.drawdown && history_len >= self.drawdown_recent {
            let look = &history[history_len - self.drawdown_lookback.min(history_len)..];
            let peak = look.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let recent = &history[history_len - self.drawdown_recent..];
            let recent_mean = recent.iter().sum::<f64>() / recent.len() as f64;
            if peak > 0.0 {
                out.drawdown = recent_mean / peak;
            }
        }
        let rule = if tenure < self.onboarding_tenure {
            StageRule::Onboarding
        } else if !has_trend {
            StageRule::Insufficient {
                needed: self.min_points,
                got: w,
            }
        } else if out.mean.is_nan() || out.mean <= 0.0 {
            if history[..history_len - w].iter().any(|&v| v > 0.0) {
                StageRule::ZeroSpendAfterActivity
            } else {
                StageRule::NoActivity
            }
        } else {
            let g = out.slope / out.mean;
            if out.drawdown < self.drawdown_ratio {
                // NaN (drawdown off or undefined) compares false.
                StageRule::Drawdown
            } else if g >= self.threshold {
                StageRule::Growth
            } else if g <= -self.threshold {
                StageRule::Decline
            } else {
                StageRule::Maturity
            }
        };
        out.rule = u8::try_from(rule_index(rule)).unwrap_or(7);
        out
    }
}

const FLAG_TREND: u8 = 1;
const FLAG_ROBUST: u8 = 2;

/// One call in 64 bytes (NaN marks a missing statistic internally; the public
/// [`StageCall`] turns it into `None`). A base of 10^6 customers then needs 64 MB, not the
/// ~180 MB of expanded calls, and first-touch page faults dominate the batch time.
#[derive(Debug, Clone, Copy)]
struct Packed {
    mean: f64,
    slope: f64,
    t: f64,
    theil_sen: f64,
    mk_var: f64,
    drawdown: f64,
    tenure: u32,
    mk_s: i32,
    window: u32,
    rule: u8,
    flags: u8,
}

impl PartialEq for Packed {
    fn eq(&self, o: &Packed) -> bool {
        let f = |a: f64, b: f64| a.to_bits() == b.to_bits();
        f(self.mean, o.mean)
            && f(self.slope, o.slope)
            && f(self.t, o.t)
            && f(self.theil_sen, o.theil_sen)
            && f(self.mk_var, o.mk_var)
            && f(self.drawdown, o.drawdown)
            && self.tenure == o.tenure
            && self.mk_s == o.mk_s
            && self.window == o.window
            && self.rule == o.rule
            && self.flags == o.flags
    }
}

fn some(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

impl Packed {
    fn expand(&self, min_points: usize) -> StageCall {
        let rule = match self.rule {
            0 => StageRule::Onboarding,
            1 => StageRule::Growth,
            2 => StageRule::Maturity,
            3 => StageRule::Decline,
            4 => StageRule::Drawdown,
            5 => StageRule::ZeroSpendAfterActivity,
            6 => StageRule::NoActivity,
            _ => StageRule::Insufficient {
                needed: min_points,
                got: self.window as usize,
            },
        };
        let trend = (self.flags & FLAG_TREND != 0).then(|| {
            let robust = self.flags & FLAG_ROBUST != 0;
            let (mk_z, mk_p) = if robust {
                mk_z_p(i64::from(self.mk_s), self.mk_var)
            } else {
                (None, None)
            };
            TrendEvidence {
                mean: self.mean,
                slope: self.slope,
                relative_slope: (self.mean > 0.0).then(|| self.slope / self.mean),
                t: some(self.t),
                t_p: some(self.t).and_then(|t| t_p_value(t, self.window as usize)),
                theil_sen: some(self.theil_sen),
                mk_s: robust.then_some(i64::from(self.mk_s)),
                mk_z,
                mk_p,
            }
        });
        StageCall {
            stage: rule.stage(),
            rule,
            evidence: StageEvidence {
                tenure: self.tenure,
                window: self.window as usize,
                trend,
                drawdown_ratio: some(self.drawdown),
            },
        }
    }
}

/// Stage calls for a whole base, in input order, with counts by stage and rule.
///
/// Calls are stored packed (64 bytes each) and expanded on access by
/// [`StageTable::call`] and [`StageTable::iter`]; Mann-Kendall Z and p are computed then.
/// Serialises as `{ rules, summary, calls: [StageCall, ...] }`.
#[derive(Debug, Clone)]
#[must_use]
pub struct StageTable {
    rules: LifecycleRules,
    // Blocks as produced by the worker threads (all but the last of length `block`), kept
    // as they are so that no second copy of the base is made.
    blocks: Vec<Vec<Packed>>,
    block: usize,
    summary: StageSummary,
}

impl PartialEq for StageTable {
    fn eq(&self, o: &StageTable) -> bool {
        self.rules == o.rules && self.summary == o.summary && self.packed().eq(o.packed())
    }
}

impl Serialize for StageTable {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct Calls<'a>(&'a StageTable);
        impl Serialize for Calls<'_> {
            fn serialize<S: serde::Serializer>(
                &self,
                serializer: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.iter())
            }
        }
        let mut st = serializer.serialize_struct("StageTable", 3)?;
        st.serialize_field("rules", &self.rules)?;
        st.serialize_field("summary", &self.summary)?;
        st.serialize_field("calls", &Calls(self))?;
        st.end()
    }
}

/// Counts and shares of stages and rules in a base.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct StageSummary {
    /// Customers classified.
    pub customers: usize,
    /// Customers per stage, in [`LifecycleStage::ALL`] order.
    pub stage_counts: [usize; 4],
    /// Customers without a stage.
    pub unclassified: usize,
    /// Customers per rule, in the order: onboarding, growth, maturity, decline, drawdown,
    /// zero spend after activity, no activity, insufficient.
    pub rule_counts: [usize; 8],
}

fn rule_index(r: StageRule) -> usize {
    match r {
        StageRule::Onboarding => 0,
        StageRule::Growth => 1,
        StageRule::Maturity => 2,
        StageRule::Decline => 3,
        StageRule::Drawdown => 4,
        StageRule::ZeroSpendAfterActivity => 5,
        StageRule::NoActivity => 6,
        StageRule::Insufficient { .. } => 7,
    }
}

pub(crate) fn stage_index(s: LifecycleStage) -> usize {
    match s {
        LifecycleStage::Onboarding => 0,
        LifecycleStage::Growth => 1,
        LifecycleStage::Maturity => 2,
        LifecycleStage::Decline => 3,
    }
}

impl StageTable {
    fn new(rules: LifecycleRules, blocks: Vec<Vec<Packed>>, block: usize) -> StageTable {
        let mut summary = StageSummary {
            customers: blocks.iter().map(Vec::len).sum(),
            stage_counts: [0; 4],
            unclassified: 0,
            rule_counts: [0; 8],
        };
        for c in blocks.iter().flatten() {
            let r = usize::from(c.rule).min(7);
            summary.rule_counts[r] += 1;
            // Rules 0-5 have a stage (0 onboarding, 1 growth, 2 maturity, 3-5 decline).
            match r {
                0..=2 => summary.stage_counts[r] += 1,
                3..=5 => summary.stage_counts[3] += 1,
                _ => summary.unclassified += 1,
            }
        }
        StageTable {
            rules,
            blocks,
            block,
            summary,
        }
    }

    fn packed(&self) -> impl Iterator<Item = &Packed> + '_ {
        self.blocks.iter().flatten()
    }
    /// The rules used.
    pub fn rules(&self) -> &LifecycleRules {
        &self.rules
    }
    /// Number of customers.
    #[must_use]
    pub fn len(&self) -> usize {
        self.summary.customers
    }
    /// Whether the base was empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.summary.customers == 0
    }
    /// The call of customer `i` (input order), `None` past the end.
    #[must_use]
    pub fn call(&self, i: usize) -> Option<StageCall> {
        self.blocks
            .get(i / self.block)
            .and_then(|b| b.get(i % self.block))
            .map(|p| p.expand(self.rules.min_points))
    }
    /// All calls in input order.
    pub fn iter(&self) -> impl Iterator<Item = StageCall> + '_ {
        self.packed().map(|p| p.expand(self.rules.min_points))
    }
    /// The stages alone (input to [`StageMigration::between`](super::StageMigration::between)).
    pub fn stages(&self) -> Vec<Option<LifecycleStage>> {
        self.packed()
            .map(|p| match p.rule {
                0 => Some(LifecycleStage::Onboarding),
                1 => Some(LifecycleStage::Growth),
                2 => Some(LifecycleStage::Maturity),
                3..=5 => Some(LifecycleStage::Decline),
                _ => None,
            })
            .collect()
    }
    /// Counts by stage and rule.
    pub fn summary(&self) -> &StageSummary {
        &self.summary
    }
}

impl fmt::Display for StageSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let share = |c: usize| {
            if self.customers == 0 {
                0.0
            } else {
                100.0 * c as f64 / self.customers as f64
            }
        };
        writeln!(f, "Life-cycle stages of {} customers", self.customers)?;
        writeln!(f, "{:<14} {:>10} {:>8}", "stage", "customers", "share %")?;
        for (s, &c) in LifecycleStage::ALL.iter().zip(&self.stage_counts) {
            writeln!(f, "{:<14} {:>10} {:>8.2}", s, c, share(c))?;
        }
        writeln!(
            f,
            "{:<14} {:>10} {:>8.2}",
            "unclassified",
            self.unclassified,
            share(self.unclassified)
        )?;
        writeln!(f, "{:<28} {:>10}", "rule fired", "customers")?;
        let names = [
            "tenure < onboarding tenure",
            "g >= +threshold",
            "|g| < threshold",
            "g <= -threshold",
            "drawdown",
            "zero window after activity",
            "no activity",
            "insufficient months",
        ];
        for (i, (name, c)) in names.iter().zip(&self.rule_counts).enumerate() {
            if i + 1 < names.len() {
                writeln!(f, "{name:<28} {c:>10}")?;
            } else {
                write!(f, "{name:<28} {c:>10}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for StageTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.summary, f)
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn exact_threshold_is_growth() {
        // y = 100 + 3 (i - 2.5): mean 100, slope 3 (Sxy = 52.5, Sxx = 17.5), g = 0.03.
        let y = [92.5, 95.5, 98.5, 101.5, 104.5, 107.5];
        let c = LifecycleRules::new().classify(12, &y).unwrap();
        assert_eq!(c.rule, StageRule::Growth);
        assert_eq!(c.evidence.trend.unwrap().relative_slope, Some(0.03));
    }

    #[test]
    fn history_is_limited_by_tenure() {
        // Tenure 4 with onboarding at 3: window = 4 months, not 6.
        let c = LifecycleRules::new()
            .onboarding_tenure(3)
            .classify(4, &[0.0, 0.0, 10.0, 10.0, 10.0, 10.0])
            .unwrap();
        assert_eq!(c.evidence.window, 4);
        assert_eq!(c.rule, StageRule::Maturity);
    }
}
