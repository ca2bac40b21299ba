//! Discounted customer lifetime value as an explicit per-period cash-flow table.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::{PeriodUnit, TransactionModel};
use crate::{Error, Result};

/// Options for a discounted CLV cash-flow table.
///
/// The horizon is cut into `periods` cash-flow periods of `period_unit`. For each period
/// `k = 1..=periods` the table shows the model's expected transactions in that period
/// (the *increment* of the cumulative conditional expectation, never the cumulative value:
/// the lifetimes #27 bug), times the expected spend per transaction, times the margin, and
/// discounts it by `(1 + d)^-k` (cash flows at the end of each period; `d` is per
/// cash-flow period). The model's own time unit is converted explicitly, so a weekly model
/// and monthly cash flows cannot be mixed up (lifetimes #194, #215).
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `periods` | 12 | number of cash-flow periods | >= 1 |
/// | `period_unit` | `Month` | length of one cash-flow period | any valid [`PeriodUnit`] |
/// | `discount_rate` | 0.01 | discount rate per cash-flow period | finite, >= 0 |
/// | `margin` | 1.0 | share of spend kept as margin | finite, in [0, 1] |
///
/// # Example
///
/// ```
/// use crm_analytics::clv::{BetaGeoModel, BetaGeoParams, DiscountedClv, PeriodUnit};
///
/// let model = BetaGeoParams::new(BetaGeoModel::BgNbd, 0.243, 4.414, 0.793, 2.426, PeriodUnit::Week)?;
/// let table = DiscountedClv::new().periods(12).discount_rate(0.0).cash_flows(&model, 2.0, 30.43, 38.86, 35.0)?;
/// // With no discounting the CLV is E[Y(12 months)] x spend x margin.
/// let weeks = PeriodUnit::Month.convert(12.0, PeriodUnit::Week)?;
/// let e = model.conditional_expected(weeks, 2.0, 30.43, 38.86)?;
/// assert!((table.clv - e * 35.0).abs() < 1e-9);
/// let text = table.to_string(); // ready to print
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DiscountedClv {
    periods: u32,
    period_unit: PeriodUnit,
    discount_rate: f64,
    margin: f64,
}

impl Default for DiscountedClv {
    fn default() -> Self {
        DiscountedClv {
            periods: 12,
            period_unit: PeriodUnit::Month,
            discount_rate: 0.01,
            margin: 1.0,
        }
    }
}

impl DiscountedClv {
    /// Defaults (see the table).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }
    /// Number of cash-flow periods.
    ///
    /// # Errors
    ///
    /// [`DiscountedClv::cash_flows`] rejects 0.
    #[must_use]
    pub fn periods(mut self, n: u32) -> Self {
        self.periods = n;
        self
    }
    /// Length of a cash-flow period.
    #[must_use]
    pub fn period_unit(mut self, u: PeriodUnit) -> Self {
        self.period_unit = u;
        self
    }
    /// Discount rate per cash-flow period.
    ///
    /// # Errors
    ///
    /// [`DiscountedClv::cash_flows`] rejects values that are not finite and >= 0.
    #[must_use]
    pub fn discount_rate(mut self, d: f64) -> Self {
        self.discount_rate = d;
        self
    }
    /// Margin as a share of spend.
    ///
    /// # Errors
    ///
    /// [`DiscountedClv::cash_flows`] rejects values outside [0, 1].
    #[must_use]
    pub fn margin(mut self, m: f64) -> Self {
        self.margin = m;
        self
    }
    /// The number of periods.
    #[must_use]
    pub fn get_periods(&self) -> u32 {
        self.periods
    }
    /// The cash-flow period.
    #[must_use]
    pub fn get_period_unit(&self) -> PeriodUnit {
        self.period_unit
    }
    /// The discount rate per period.
    #[must_use]
    pub fn get_discount_rate(&self) -> f64 {
        self.discount_rate
    }
    /// The margin.
    #[must_use]
    pub fn get_margin(&self) -> f64 {
        self.margin
    }

    /// The cash-flow table for one customer with history `(x, t_x, T)` (in the model's time
    /// unit) and expected spend per transaction `spend` (e.g. from
    /// [`GammaGammaFit::conditional_expected_spend`](super::GammaGammaFit::conditional_expected_spend)).
    ///
    /// # Formula
    ///
    /// ```text
    /// t_k = k · (period length in model units)
    /// N_k = E[Y(t_k) | x, t_x, T] - E[Y(t_{k-1}) | x, t_x, T]
    /// CLV = Σ_{k=1..K} N_k · spend · margin / (1 + d)^k
    /// ```
    ///
    /// # Errors
    ///
    /// Option errors ([`Error::InvalidOption`]), a non-finite or negative `spend`, and the
    /// model's errors for an invalid history.
    pub fn cash_flows<M: TransactionModel + ?Sized>(
        &self,
        model: &M,
        x: f64,
        t_x: f64,
        t_cal: f64,
        spend: f64,
    ) -> Result<CashFlowTable> {
        if self.periods == 0 {
            return Err(Error::option("periods", 0.0, ">= 1"));
        }
        crate::validate::non_negative("discount_rate", self.discount_rate)?;
        if !(self.margin.is_finite() && (0.0..=1.0).contains(&self.margin)) {
            return Err(Error::option("margin", self.margin, "in [0, 1]"));
        }
        crate::validate::non_negative("spend", spend)?;
        let step = self.period_unit.convert(1.0, model.time_unit())?;
        let mut rows = Vec::with_capacity(self.periods as usize);
        let mut prev = 0.0;
        let (mut clv, mut total) = (0.0, 0.0);
        for k in 1..=self.periods {
            let end = step * f64::from(k);
            let cum = model.conditional_expected_transactions(end, x, t_x, t_cal)?;
            let n_k = (cum - prev).max(0.0);
            prev = cum.max(prev);
            let revenue = n_k * spend;
            let margin = revenue * self.margin;
            let factor = (1.0 + self.discount_rate).powi(-(k as i32));
            let pv = margin * factor;
            clv += pv;
            total += n_k;
            rows.push(CashFlowRow {
                period: k,
                start: step * f64::from(k - 1),
                end,
                expected_transactions: n_k,
                expected_revenue: revenue,
                expected_margin: margin,
                discount_factor: factor,
                present_value: pv,
            });
        }
        Ok(CashFlowTable {
            options: *self,
            model_unit: model.time_unit(),
            spend_per_transaction: spend,
            rows,
            expected_transactions: total,
            clv,
        })
    }
}

/// One cash-flow period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CashFlowRow {
    /// Period number `k` (1-based).
    pub period: u32,
    /// Start of the period, in the model's time unit after the end of calibration.
    pub start: f64,
    /// End of the period, in the model's time unit.
    pub end: f64,
    /// Expected transactions in the period (increment, not cumulative).
    pub expected_transactions: f64,
    /// Expected revenue: transactions × spend per transaction.
    pub expected_revenue: f64,
    /// Expected margin: revenue × margin share.
    pub expected_margin: f64,
    /// `(1 + d)^-k`.
    pub discount_factor: f64,
    /// Discounted margin.
    pub present_value: f64,
}

/// A discounted CLV cash-flow table, from [`DiscountedClv::cash_flows`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CashFlowTable {
    /// The options (periods, period unit, discount rate, margin).
    pub options: DiscountedClv,
    /// The transaction model's time unit.
    pub model_unit: PeriodUnit,
    /// Expected spend per transaction used.
    pub spend_per_transaction: f64,
    /// One row per cash-flow period.
    pub rows: Vec<CashFlowRow>,
    /// Total expected transactions over the horizon.
    pub expected_transactions: f64,
    /// Discounted CLV: the sum of present values (in the money unit of `spend`).
    pub clv: f64,
}

impl fmt::Display for CashFlowTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let o = &self.options;
        writeln!(
            f,
            "discounted CLV: {} periods of one {}, discount {} per period, margin {}, model time unit {}",
            o.periods, o.period_unit, o.discount_rate, o.margin, self.model_unit
        )?;
        writeln!(
            f,
            "{:>6} {:>10} {:>10} {:>12} {:>12} {:>10} {:>12}",
            "period", "end", "E[tx]", "revenue", "margin", "discount", "PV"
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "{:>6} {:>10.3} {:>10.4} {:>12.4} {:>12.4} {:>10.6} {:>12.4}",
                r.period,
                r.end,
                r.expected_transactions,
                r.expected_revenue,
                r.expected_margin,
                r.discount_factor,
                r.present_value
            )?;
        }
        write!(
            f,
            "total expected transactions {:.4}; CLV {:.4}",
            self.expected_transactions, self.clv
        )
    }
}
