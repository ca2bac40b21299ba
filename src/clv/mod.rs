//! Customer lifetime value: geometric CLV, the shifted-beta-geometric cohort model, and
//! the non-contractual BG/NBD, Pareto/NBD, MBG/NBD, BG/BB and Gamma-Gamma models.
//!
//! | question | contractual (postpaid) | non-contractual (prepaid) |
//! |---|---|---|
//! | constant retention | [`geometric_clv`] with an explicit [`MarginTiming`] | — |
//! | cohort retention, heterogeneity | [`Sbg`] → [`SbgFit`], [`SbgParams`] (S(t), r_t, DEL, DERL, elasticity) | — |
//! | transaction log → summaries | — | [`RfmAggregator`] (streaming, mergeable) → [`RfmData`] |
//! | transactions, P(alive) | — | [`BgNbd`], [`MbgNbd`], [`ParetoNbd`], [`BgBb`] (discrete) |
//! | spend per transaction | — | [`GammaGamma`] |
//! | discounted CLV | [`SbgParams::del`] × margin | [`DiscountedClv`] → [`CashFlowTable`] (per-period, units explicit) |
//! | calibration / holdout | — | [`HoldoutTable`] |
//!
//! All time quantities carry a [`PeriodUnit`]. Likelihoods are evaluated in log space and
//! reported in full (all constants, in the caller's time unit); every fit returns a
//! [`Convergence`] record that keeps the best point found.

// Exact float comparisons here are intentional: integer-valued checks (`x == x.round()`),
// exact zero weights and the NaN-rejecting form `!(v > 0.0)` (STYLE.md: write checks so
// that NaN fails them).
#![allow(clippy::float_cmp, clippy::neg_cmp_op_on_partial_ord)]

mod bgbb;
mod bgnbd;
mod cashflow;
mod data;
mod fitting;
mod gamma_gamma;
mod geometric;
mod holdout;
mod model;
mod pareto;
mod sbg;
mod summary;
mod units;

pub use crate::numeric::optim::{Convergence, StopReason};
pub use bgbb::{BgBb, BgBbFit, BgBbParams};
pub use bgnbd::{BetaGeoFit, BetaGeoModel, BetaGeoParams, BgNbd, MbgNbd};
pub use cashflow::{CashFlowRow, CashFlowTable, DiscountedClv};
pub use data::RfmData;
pub use fitting::FitOptions;
pub use gamma_gamma::{GammaGamma, GammaGammaFit};
pub use geometric::{MarginTiming, expected_lifetime, geometric_clv};
pub use holdout::{HoldoutRow, HoldoutTable};
pub use model::TransactionModel;
pub use pareto::{ParetoNbd, ParetoNbdFit, ParetoNbdParams};
pub use sbg::{ProjectionRow, Sbg, SbgFit, SbgParams, SbgProjection};
pub use summary::{CustomerSummary, RfmAggregator, RfmSummaries};
pub use units::{PeriodUnit, day_number};
