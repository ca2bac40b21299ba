//! The common interface of the continuous-time transaction models.

use super::PeriodUnit;
use crate::Result;

/// What a "buy till you die" transaction model predicts for one customer, in the model's
/// time unit. Implemented by [`BetaGeoParams`](super::BetaGeoParams) (BG/NBD, MBG/NBD) and
/// [`ParetoNbdParams`](super::ParetoNbdParams); consumed by
/// [`CashFlowTable`](super::CashFlowTable) and [`HoldoutTable`](super::HoldoutTable).
///
/// `x` = repeat transactions, `t_x` = recency, `t_cal` = age `T`, all in
/// [`TransactionModel::time_unit`].
pub trait TransactionModel {
    /// The time unit of the model's rates (the unit of the data it was fitted on).
    fn time_unit(&self) -> PeriodUnit;

    /// Probability that the customer is still alive at the end of calibration.
    ///
    /// # Errors
    ///
    /// Invalid `(x, t_x, T)` (non-finite, `x` not a non-negative integer, `t_x` outside
    /// `[0, T]`).
    fn probability_alive(&self, x: f64, t_x: f64, t_cal: f64) -> Result<f64>;

    /// Expected transactions in `(T, T + t]` given the history.
    ///
    /// # Errors
    ///
    /// As [`TransactionModel::probability_alive`], and for `t` not finite and `>= 0`.
    fn conditional_expected_transactions(
        &self,
        t: f64,
        x: f64,
        t_x: f64,
        t_cal: f64,
    ) -> Result<f64>;

    /// Expected transactions `E[X(t)]` in `(0, t]` for a new customer.
    ///
    /// # Errors
    ///
    /// For `t` not finite and `>= 0`.
    fn expected_transactions(&self, t: f64) -> Result<f64>;
}
