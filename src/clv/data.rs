//! Validated per-customer (frequency, recency, age) data, optionally weighted.

use serde::Serialize;
use std::collections::HashMap;

use super::PeriodUnit;
use crate::{Error, Result};

/// Per-customer repeat-transaction summaries for the BG/NBD, MBG/NBD and Pareto/NBD models:
/// frequency `x` (repeat transactions), recency `t_x` (time of the last transaction since the
/// first) and age `T` (time since the first transaction to the end of calibration), all in
/// one explicit [`PeriodUnit`], with an optional weight per row (a row can stand for all
/// customers sharing the same `(x, t_x, T)` pattern).
///
/// # Example
///
/// ```
/// use crm_analytics::clv::{PeriodUnit, RfmData};
///
/// let d = RfmData::new(&[2.0, 0.0, 2.0], &[30.43, 0.0, 30.43], &[38.86, 38.86, 38.86], PeriodUnit::Week)?;
/// let c = d.compress();
/// assert_eq!(c.len(), 2);
/// assert_eq!(c.total_weight(), 3.0);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RfmData {
    x: Vec<f64>,
    t_x: Vec<f64>,
    t: Vec<f64>,
    w: Vec<f64>,
    unit: PeriodUnit,
}

impl RfmData {
    /// Validate and wrap three equal-length columns (weights all 1).
    ///
    /// # Errors
    ///
    /// [`Error::Empty`]; [`Error::DimensionMismatch`]; [`Error::NonFiniteAt`];
    /// [`Error::InvalidValue`] naming the customer when `x` is negative or not an integer,
    /// `t_x < 0`, `t_x > T`, or `x = 0` with `t_x > 0`; [`Error::InvalidOption`] for an
    /// invalid unit.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::{PeriodUnit, RfmData};
    /// let e = RfmData::new(&[1.0], &[5.0], &[4.0], PeriodUnit::Week).unwrap_err();
    /// assert_eq!(e.to_string(), "recency t_x at customer 0 must be in [0, T = 4], got 5");
    /// ```
    pub fn new(frequency: &[f64], recency: &[f64], age: &[f64], unit: PeriodUnit) -> Result<Self> {
        unit.days()?;
        if frequency.is_empty() {
            return Err(Error::Empty {
                what: "frequency".into(),
            });
        }
        let n = frequency.len();
        crate::validate::same_len("`recency` against `frequency`", n, recency.len())?;
        crate::validate::same_len("`age` against `frequency`", n, age.len())?;
        crate::validate::slice_finite("frequency", frequency)?;
        crate::validate::slice_finite("recency", recency)?;
        crate::validate::slice_finite("age", age)?;
        for i in 0..n {
            let (x, tx, t) = (frequency[i], recency[i], age[i]);
            let bad = |what: &str, v: f64, exp: String| Error::InvalidValue {
                what: what.into(),
                location: format!("customer {i}"),
                value: v,
                expected: exp,
            };
            if x < 0.0 || x != x.round() {
                return Err(bad("frequency x", x, "a non-negative integer".into()));
            }
            if t < 0.0 {
                return Err(bad("age T", t, ">= 0".into()));
            }
            if tx < 0.0 || tx > t {
                return Err(bad("recency t_x", tx, format!("in [0, T = {t}]")));
            }
            if x == 0.0 && tx > 0.0 {
                return Err(bad("recency t_x", tx, "0 when frequency is 0".into()));
            }
        }
        Ok(RfmData {
            x: frequency.to_vec(),
            t_x: recency.to_vec(),
            t: age.to_vec(),
            w: vec![1.0; n],
            unit,
        })
    }

    /// Attach a non-negative weight to each row (e.g. the number of customers sharing a
    /// pattern).
    ///
    /// # Errors
    ///
    /// [`Error::DimensionMismatch`], [`Error::NonFiniteAt`], [`Error::InvalidValue`] for a
    /// negative weight, [`Error::InvalidInput`] when all weights are 0.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::{PeriodUnit, RfmData};
    /// let d = RfmData::new(&[0.0, 1.0], &[0.0, 2.0], &[5.0, 5.0], PeriodUnit::Week)?.with_weights(&[10.0, 3.0])?;
    /// assert_eq!(d.total_weight(), 13.0);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn with_weights(mut self, weights: &[f64]) -> Result<Self> {
        crate::validate::same_len("`weights` against `frequency`", self.x.len(), weights.len())?;
        crate::validate::slice_finite("weights", weights)?;
        if let Some(i) = weights.iter().position(|w| *w < 0.0) {
            return Err(Error::InvalidValue {
                what: "weight".into(),
                location: format!("row {i}"),
                value: weights[i],
                expected: ">= 0".into(),
            });
        }
        if weights.iter().all(|w| *w == 0.0) {
            return Err(Error::input("weights", "all weights are 0"));
        }
        self.w = weights.to_vec();
        Ok(self)
    }

    /// Collapse identical `(x, t_x, T)` rows into one weighted row each (first-seen order).
    /// Fits on the compressed data give the same estimates and log-likelihood.
    #[must_use]
    pub fn compress(&self) -> RfmData {
        let mut index: HashMap<(u64, u64, u64), usize> = HashMap::new();
        let mut out = RfmData {
            x: vec![],
            t_x: vec![],
            t: vec![],
            w: vec![],
            unit: self.unit,
        };
        for i in 0..self.x.len() {
            if self.w[i] == 0.0 {
                continue;
            }
            let key = (
                self.x[i].to_bits(),
                self.t_x[i].to_bits(),
                self.t[i].to_bits(),
            );
            match index.get(&key) {
                Some(&k) => out.w[k] += self.w[i],
                None => {
                    index.insert(key, out.x.len());
                    out.x.push(self.x[i]);
                    out.t_x.push(self.t_x[i]);
                    out.t.push(self.t[i]);
                    out.w.push(self.w[i]);
                }
            }
        }
        out
    }

    /// Number of rows.
    #[must_use]
    pub fn len(&self) -> usize {
        self.x.len()
    }
    /// Never true for a constructed value (construction rejects empty input).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }
    /// Frequency `x` (repeat transactions).
    #[must_use]
    pub fn frequency(&self) -> &[f64] {
        &self.x
    }
    /// Recency `t_x`.
    #[must_use]
    pub fn recency(&self) -> &[f64] {
        &self.t_x
    }
    /// Age `T`.
    #[must_use]
    pub fn age(&self) -> &[f64] {
        &self.t
    }
    /// Row weights.
    #[must_use]
    pub fn weights(&self) -> &[f64] {
        &self.w
    }
    /// Sum of the weights (number of customers represented).
    #[must_use]
    pub fn total_weight(&self) -> f64 {
        self.w.iter().sum()
    }
    /// The unit of `t_x` and `T`.
    #[must_use]
    pub fn unit(&self) -> PeriodUnit {
        self.unit
    }
}

/// Check one customer's `(x, t_x, T)` for a prediction call.
pub(crate) fn check_customer(x: f64, t_x: f64, t: f64) -> Result<()> {
    crate::validate::slice_finite("customer (x, t_x, T)", &[x, t_x, t])?;
    let bad = |what: &str, v: f64, exp: String| Error::InvalidValue {
        what: what.into(),
        location: "customer".into(),
        value: v,
        expected: exp,
    };
    if x < 0.0 || x != x.round() {
        return Err(bad("frequency x", x, "a non-negative integer".into()));
    }
    if t < 0.0 {
        return Err(bad("age T", t, ">= 0".into()));
    }
    if tx_out(t_x, t) {
        return Err(bad("recency t_x", t_x, format!("in [0, T = {t}]")));
    }
    Ok(())
}

fn tx_out(t_x: f64, t: f64) -> bool {
    t_x < 0.0 || t_x > t
}

/// Check a prediction horizon.
pub(crate) fn check_horizon(t: f64) -> Result<()> {
    crate::validate::non_negative("t", t)
}
