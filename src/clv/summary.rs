//! From a transaction log to per-customer summaries: a streaming, mergeable aggregator.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;

use super::{PeriodUnit, RfmData};
use crate::{Error, Result};

/// Streaming, mergeable aggregation of a transaction log into per-customer summaries
/// (frequency, recency, age, spend) for a calibration window and an optional holdout window.
///
/// Memory is one small record per customer, never per transaction, so a log of any length
/// can be folded block by block (the lifetimes "memory exhaustion over 1 million
/// transactions" problem), and partitions folded on different cores or machines merge.
///
/// # Conventions
///
/// - Time is a day number (days since 1970-01-01, fractional allowed; see
///   [`day_number`](super::day_number)). A transaction falls in merge period
///   `floor(day / merge_days)`; all transactions of a customer in one merge period count as
///   **one** transaction whose amount is their sum (same-period merging).
/// - Calibration: periods up to and including the period of `calibration_end`; holdout:
///   later periods up to and including the period of `holdout_end`. Later transactions are
///   ignored.
/// - `x` = distinct calibration periods − 1; `t_x` = (last − first period) and `T` =
///   (calibration-end period − first period), both converted to `unit`.
/// - Mean spend is over the `x` repeat periods (the first period excluded), the Fader-Hardie
///   Gamma-Gamma convention; the first period's amount is reported separately.
/// - Customers whose first transaction is in the holdout window are not in the calibration
///   cohort and are dropped by [`RfmAggregator::finish`].
///
/// # Ordering contract (checked)
///
/// Within one aggregator, each customer's transactions must arrive in non-decreasing time
/// (logs usually are); a step back in time returns [`Error::InvalidInput`] rather than a
/// silently wrong count. [`RfmAggregator::merge`] is exact when, for every customer, the two
/// partitions' periods do not interleave (partition by customer, or by time ranges that
/// are contiguous, a shared boundary period included); interleaving is an error.
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `merge_period` | `Day` | transactions in one such period are merged | any valid unit |
/// | `unit` | `Week` | unit of recency and age | any valid unit |
/// | `calibration_end` | (required) | last day of calibration | finite |
/// | `holdout_end` | none | last day of holdout | finite, >= calibration_end |
///
/// # Example
///
/// ```
/// use crm_analytics::clv::{day_number, PeriodUnit, RfmAggregator};
///
/// let end = day_number(1997, 9, 30)? as f64;
/// let mut agg = RfmAggregator::new(end)?.unit(PeriodUnit::Week);
/// let d = |y, m, dd| day_number(y, m, dd).map(|v| v as f64);
/// agg.fold(4, d(1997, 1, 1)?, 29.33)?;
/// agg.fold(4, d(1997, 1, 18)?, 29.73)?;
/// agg.fold(4, d(1997, 8, 2)?, 14.96)?;
/// let s = agg.finish()?;
/// let c = &s.customers()[0];
/// assert_eq!(c.frequency, 2.0);
/// assert!((c.recency - 30.428_571).abs() < 1e-6 && (c.age - 38.857_143).abs() < 1e-6);
/// assert!(c.mean_repeat_spend.is_some_and(|v| (v - 22.345).abs() < 1e-12));
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmAggregator {
    merge_period: PeriodUnit,
    unit: PeriodUnit,
    calibration_end: f64,
    holdout_end: Option<f64>,
    customers: HashMap<u64, State>,
    ignored: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Span {
    first: i64,
    first_amount: f64,
    last: i64,
    periods: u64,
    total: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
struct State {
    cal: Option<Span>,
    hold: Option<Span>,
}

impl Span {
    fn new(p: i64, amount: f64) -> Span {
        Span {
            first: p,
            first_amount: amount,
            last: p,
            periods: 1,
            total: amount,
        }
    }

    fn push(&mut self, p: i64, amount: f64) -> bool {
        if p < self.last {
            return false;
        }
        if p == self.last {
            if p == self.first {
                self.first_amount += amount;
            }
        } else {
            self.periods += 1;
            self.last = p;
        }
        self.total += amount;
        true
    }

    fn merge(a: Span, b: Span) -> Option<Span> {
        let (lo, hi) = if (a.first, a.last) <= (b.first, b.last) {
            (a, b)
        } else {
            (b, a)
        };
        if lo.last > hi.first {
            return None;
        }
        let shared = lo.last == hi.first;
        Some(Span {
            first: lo.first,
            first_amount: if shared && lo.first == hi.first {
                lo.first_amount + hi.first_amount
            } else {
                lo.first_amount
            },
            last: hi.last,
            periods: lo.periods + hi.periods - u64::from(shared),
            total: lo.total + hi.total,
        })
    }
}

fn merge_opt(a: Option<Span>, b: Option<Span>) -> Option<Option<Span>> {
    match (a, b) {
        (Some(a), Some(b)) => Span::merge(a, b).map(Some),
        (a, None) => Some(a),
        (None, b) => Some(b),
    }
}

impl RfmAggregator {
    /// An empty aggregator with calibration ending on day `calibration_end` (inclusive).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] for a non-finite day.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::RfmAggregator;
    /// assert!(RfmAggregator::new(f64::NAN).is_err());
    /// ```
    pub fn new(calibration_end: f64) -> Result<Self> {
        if !calibration_end.is_finite() {
            return Err(Error::option(
                "calibration_end",
                calibration_end,
                "a finite day number",
            ));
        }
        Ok(RfmAggregator {
            merge_period: PeriodUnit::Day,
            unit: PeriodUnit::Week,
            calibration_end,
            holdout_end: None,
            customers: HashMap::new(),
            ignored: 0,
        })
    }

    /// Transactions of one customer within one such period count once (default `Day`).
    /// Set before folding.
    #[must_use]
    pub fn merge_period(mut self, p: PeriodUnit) -> Self {
        self.merge_period = p;
        self
    }

    /// Unit of recency and age in the summaries (default `Week`).
    #[must_use]
    pub fn unit(mut self, u: PeriodUnit) -> Self {
        self.unit = u;
        self
    }

    /// Last day of the holdout window (inclusive). Set before folding.
    #[must_use]
    pub fn holdout_end(mut self, day: f64) -> Self {
        self.holdout_end = Some(day);
        self
    }

    /// The merge period.
    #[must_use]
    pub fn get_merge_period(&self) -> PeriodUnit {
        self.merge_period
    }
    /// The summary unit.
    #[must_use]
    pub fn get_unit(&self) -> PeriodUnit {
        self.unit
    }
    /// The last calibration day.
    #[must_use]
    pub fn get_calibration_end(&self) -> f64 {
        self.calibration_end
    }
    /// The last holdout day, if any.
    #[must_use]
    pub fn get_holdout_end(&self) -> Option<f64> {
        self.holdout_end
    }

    fn period(&self, day: f64) -> Result<i64> {
        let p = (day / self.merge_period.days()?).floor();
        if p.abs() > 9.0e15 {
            return Err(Error::option(
                "day",
                day,
                "a day number within ±9e15 periods",
            ));
        }
        Ok(p as i64)
    }

    /// Fold one transaction: customer id, day number, amount.
    ///
    /// # Errors
    ///
    /// [`Error::NonFiniteAt`] for a non-finite day or amount; [`Error::InvalidOption`]
    /// for invalid units or a holdout end before the calibration end;
    /// [`Error::InvalidInput`] when the customer's transactions step back in time.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::RfmAggregator;
    /// let mut agg = RfmAggregator::new(100.0)?;
    /// agg.fold(7, 3.2, 10.0)?;
    /// agg.fold(7, 3.9, 5.0)?; // same day: merged
    /// assert!(agg.fold(7, 1.0, 1.0).is_err()); // back in time
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn fold(&mut self, customer: u64, day: f64, amount: f64) -> Result<()> {
        crate::validate::slice_finite("transaction (day, amount)", &[day, amount])?;
        if let Some(h) = self.holdout_end
            && !(h.is_finite() && h >= self.calibration_end)
        {
            return Err(Error::option(
                "holdout_end",
                h,
                "finite and >= calibration_end",
            ));
        }
        self.unit.days()?;
        let p = self.period(day)?;
        let cal_end = self.period(self.calibration_end)?;
        let hold_end = match self.holdout_end {
            Some(h) => self.period(h)?,
            None => cal_end,
        };
        if p > hold_end {
            self.ignored += 1;
            return Ok(());
        }
        let st = self.customers.entry(customer).or_default();
        let back = || {
            Error::input(
                "transaction order",
                format!(
                    "customer {customer} steps back in time at day {day}; fold each customer's transactions in time order"
                ),
            )
        };
        if p <= cal_end {
            if st.hold.is_some() {
                return Err(back());
            }
            match &mut st.cal {
                Some(s) => {
                    if !s.push(p, amount) {
                        return Err(back());
                    }
                }
                None => st.cal = Some(Span::new(p, amount)),
            }
        } else {
            match &mut st.hold {
                Some(s) => {
                    if !s.push(p, amount) {
                        return Err(back());
                    }
                }
                None => st.hold = Some(Span::new(p, amount)),
            }
        }
        Ok(())
    }

    /// Merge another aggregator's state (same options) into this one.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the options differ or when a customer's periods
    /// interleave between the two partitions (see the ordering contract).
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::RfmAggregator;
    /// let (mut a, mut b) = (RfmAggregator::new(100.0)?, RfmAggregator::new(100.0)?);
    /// a.fold(1, 3.0, 10.0)?;
    /// b.fold(1, 40.0, 20.0)?; // a later time range
    /// a.merge(b)?;
    /// assert_eq!(a.finish()?.customers()[0].frequency, 1.0);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn merge(&mut self, other: RfmAggregator) -> Result<()> {
        if self.merge_period != other.merge_period
            || self.unit != other.unit
            || self.calibration_end.to_bits() != other.calibration_end.to_bits()
            || self.holdout_end.map(f64::to_bits) != other.holdout_end.map(f64::to_bits)
        {
            return Err(Error::input(
                "aggregator merge",
                "the two aggregators have different options",
            ));
        }
        self.ignored += other.ignored;
        for (id, b) in other.customers {
            match self.customers.get_mut(&id) {
                None => {
                    self.customers.insert(id, b);
                }
                Some(a) => {
                    let interleave = || {
                        Error::input(
                            "aggregator merge",
                            format!(
                                "customer {id} has interleaving periods in the two partitions; split logs by customer or by contiguous time ranges"
                            ),
                        )
                    };
                    a.cal = merge_opt(a.cal, b.cal).ok_or_else(interleave)?;
                    a.hold = merge_opt(a.hold, b.hold).ok_or_else(interleave)?;
                }
            }
        }
        Ok(())
    }

    /// Number of customers seen so far (including holdout-only ones).
    #[must_use]
    pub fn n_customers(&self) -> usize {
        self.customers.len()
    }

    /// Finish into per-customer summaries, sorted by customer id.
    ///
    /// # Errors
    ///
    /// [`Error::Empty`] when no customer has a calibration transaction; option errors.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::RfmAggregator;
    /// let agg = RfmAggregator::new(100.0)?;
    /// assert!(agg.finish().is_err()); // no customers yet
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn finish(&self) -> Result<RfmSummaries> {
        let f = self.merge_period.days()? / self.unit.days()?;
        let cal_end = self.period(self.calibration_end)?;
        let holdout_length = match self.holdout_end {
            Some(h) => Some((self.period(h)? - cal_end) as f64 * f),
            None => None,
        };
        let mut customers: Vec<CustomerSummary> = self
            .customers
            .iter()
            .filter_map(|(&id, st)| {
                let c = st.cal?;
                let x = (c.periods - 1) as f64;
                Some(CustomerSummary {
                    id,
                    frequency: x,
                    recency: (c.last - c.first) as f64 * f,
                    age: (cal_end - c.first) as f64 * f,
                    first_spend: c.first_amount,
                    mean_repeat_spend: (x > 0.0).then(|| (c.total - c.first_amount) / x),
                    holdout_frequency: st.hold.map_or(0.0, |h| h.periods as f64),
                    holdout_spend: st.hold.map_or(0.0, |h| h.total),
                })
            })
            .collect();
        if customers.is_empty() {
            return Err(Error::Empty {
                what: "calibration transactions".into(),
            });
        }
        customers.sort_by_key(|c| c.id);
        Ok(RfmSummaries {
            unit: self.unit,
            merge_period: self.merge_period,
            holdout_length,
            customers,
            ignored: self.ignored,
        })
    }
}

/// One customer's calibration summary and holdout counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CustomerSummary {
    /// Customer id.
    pub id: u64,
    /// Repeat transactions `x` in calibration (distinct merge periods − 1).
    pub frequency: f64,
    /// Recency `t_x`: time from first to last calibration transaction, in the summary unit.
    pub recency: f64,
    /// Age `T`: time from first transaction to the end of calibration, in the summary unit.
    pub age: f64,
    /// Amount of the first (acquisition) period.
    pub first_spend: f64,
    /// Mean amount over the `x` repeat periods; `None` when `x = 0`.
    pub mean_repeat_spend: Option<f64>,
    /// Transactions (distinct merge periods) in the holdout window.
    pub holdout_frequency: f64,
    /// Total amount in the holdout window.
    pub holdout_spend: f64,
}

/// The summaries produced by [`RfmAggregator::finish`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RfmSummaries {
    unit: PeriodUnit,
    merge_period: PeriodUnit,
    holdout_length: Option<f64>,
    customers: Vec<CustomerSummary>,
    ignored: u64,
}

impl RfmSummaries {
    /// Per-customer rows, sorted by id.
    #[must_use]
    pub fn customers(&self) -> &[CustomerSummary] {
        &self.customers
    }
    /// Unit of recency and age.
    #[must_use]
    pub fn unit(&self) -> PeriodUnit {
        self.unit
    }
    /// Length of the holdout window in the summary unit, if a holdout was set.
    #[must_use]
    pub fn holdout_length(&self) -> Option<f64> {
        self.holdout_length
    }
    /// Transactions after the last window, ignored.
    #[must_use]
    pub fn ignored(&self) -> u64 {
        self.ignored
    }
    /// The `(x, t_x, T)` data for the transaction models.
    ///
    /// # Errors
    ///
    /// As [`RfmData::new`] (not expected for aggregator output).
    pub fn to_rfm_data(&self) -> Result<RfmData> {
        let x: Vec<f64> = self.customers.iter().map(|c| c.frequency).collect();
        let tx: Vec<f64> = self.customers.iter().map(|c| c.recency).collect();
        let t: Vec<f64> = self.customers.iter().map(|c| c.age).collect();
        RfmData::new(&x, &tx, &t, self.unit)
    }
    /// `(x, mean repeat spend)` of the repeat customers (`x > 0`), for
    /// [`GammaGamma`](super::GammaGamma), with their ids.
    #[must_use]
    pub fn spend(&self) -> (Vec<u64>, Vec<f64>, Vec<f64>) {
        let mut ids = Vec::new();
        let mut x = Vec::new();
        let mut m = Vec::new();
        for c in &self.customers {
            if let Some(s) = c.mean_repeat_spend {
                ids.push(c.id);
                x.push(c.frequency);
                m.push(s);
            }
        }
        (ids, x, m)
    }
}

impl fmt::Display for RfmSummaries {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.customers.len();
        let sx: f64 = self.customers.iter().map(|c| c.frequency).sum();
        let sh: f64 = self.customers.iter().map(|c| c.holdout_frequency).sum();
        writeln!(
            f,
            "customer summaries: {n} customers, time unit {}, merged per {}",
            self.unit, self.merge_period
        )?;
        writeln!(f, "repeat transactions (calibration) {sx}")?;
        match self.holdout_length {
            Some(h) => write!(f, "holdout: {h:.2} {}s, {sh} transactions", self.unit),
            None => write!(f, "no holdout window"),
        }
    }
}
