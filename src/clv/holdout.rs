//! Calibration/holdout evaluation of a transaction model.

use serde::Serialize;
use std::fmt;

use super::{RfmSummaries, TransactionModel};
use crate::{Error, Result};

/// Predicted versus actual holdout transactions by calibration frequency class.
///
/// Built from [`RfmSummaries`] with a holdout window (see
/// [`RfmAggregator::holdout_end`](super::RfmAggregator::holdout_end)) and a fitted
/// [`TransactionModel`]: for each customer the model's conditional expectation over the
/// holdout length (converted to the model's time unit) is compared with the holdout count.
/// Classes are `x = 0, 1, ..., max_class - 1` and `x >= max_class`.
///
/// # Example
///
/// ```
/// use crm_analytics::clv::{BetaGeoModel, BetaGeoParams, HoldoutTable, PeriodUnit, RfmAggregator};
/// let mut agg = RfmAggregator::new(100.0)?.holdout_end(200.0);
/// agg.fold(1, 1.0, 10.0)?;
/// agg.fold(1, 50.0, 10.0)?;
/// agg.fold(1, 150.0, 10.0)?;
/// agg.fold(2, 3.0, 5.0)?;
/// let s = agg.finish()?;
/// let model = BetaGeoParams::new(BetaGeoModel::BgNbd, 0.243, 4.414, 0.793, 2.426, PeriodUnit::Week)?;
/// let t = HoldoutTable::new(&model, &s, 7)?;
/// assert_eq!(t.actual_total, 1.0);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct HoldoutTable {
    /// Holdout length in the model's time unit.
    pub holdout_length: f64,
    /// One row per frequency class.
    pub rows: Vec<HoldoutRow>,
    /// Sum of actual holdout transactions.
    pub actual_total: f64,
    /// Sum of predicted holdout transactions.
    pub predicted_total: f64,
}

/// One frequency class of a [`HoldoutTable`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct HoldoutRow {
    /// Calibration frequency `x` of the class (the last class is `x >= class`).
    pub class: u32,
    /// `true` for the open-ended last class.
    pub open_ended: bool,
    /// Customers in the class.
    pub customers: usize,
    /// Mean actual holdout transactions.
    pub actual_mean: f64,
    /// Mean predicted holdout transactions.
    pub predicted_mean: f64,
}

impl HoldoutTable {
    /// Evaluate `model` on `summaries`' holdout window.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the summaries have no holdout window;
    /// [`Error::InvalidOption`] for `max_class = 0`; the model's errors.
    pub fn new<M: TransactionModel + ?Sized>(
        model: &M,
        summaries: &RfmSummaries,
        max_class: u32,
    ) -> Result<Self> {
        if max_class == 0 {
            return Err(Error::option("max_class", 0.0, ">= 1"));
        }
        let h = summaries.holdout_length().ok_or_else(|| {
            Error::input(
                "summaries",
                "no holdout window was set (RfmAggregator::holdout_end)",
            )
        })?;
        let conv = summaries.unit().convert(1.0, model.time_unit())?;
        let h_model = h * conv;
        let k = max_class as usize + 1;
        let mut n = vec![0usize; k];
        let mut act = vec![0.0; k];
        let mut pred = vec![0.0; k];
        for c in summaries.customers() {
            let class = (c.frequency as usize).min(max_class as usize);
            let e = model.conditional_expected_transactions(
                h_model,
                c.frequency,
                c.recency * conv,
                c.age * conv,
            )?;
            n[class] += 1;
            act[class] += c.holdout_frequency;
            pred[class] += e;
        }
        let rows = (0..k)
            .filter(|&i| n[i] > 0)
            .map(|i| HoldoutRow {
                class: i as u32,
                open_ended: i == max_class as usize,
                customers: n[i],
                actual_mean: act[i] / n[i] as f64,
                predicted_mean: pred[i] / n[i] as f64,
            })
            .collect();
        Ok(HoldoutTable {
            holdout_length: h_model,
            rows,
            actual_total: act.iter().sum(),
            predicted_total: pred.iter().sum(),
        })
    }
}

impl fmt::Display for HoldoutTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "calibration/holdout: holdout length {:.3} (model time units)",
            self.holdout_length
        )?;
        writeln!(
            f,
            "{:>7} {:>10} {:>12} {:>12}",
            "x", "customers", "actual", "predicted"
        )?;
        for r in &self.rows {
            let label = if r.open_ended {
                format!("{}+", r.class)
            } else {
                r.class.to_string()
            };
            writeln!(
                f,
                "{:>7} {:>10} {:>12.4} {:>12.4}",
                label, r.customers, r.actual_mean, r.predicted_mean
            )?;
        }
        write!(
            f,
            "total actual {:.1}, predicted {:.1}",
            self.actual_total, self.predicted_total
        )
    }
}
