//! The customer life cycle: spend trends, stage classification with evidence, Markov
//! migration between stages and expected value by state.
//!
//! A telecom customer passes through onboarding (入网期), growth (成长期), maturity
//! (成熟期) and decline (衰退期), then churns (离网). This module answers *where is each
//! customer now, on what evidence, and where is the base heading*:
//!
//! | step | type | what it gives |
//! |---|---|---|
//! | trend of one spend series | [`TrendOptions`] → [`SpendTrend`] | OLS slope and t, relative slope, Theil-Sen slope and Sen's interval, Mann-Kendall S, Z, p |
//! | stage of one customer or a whole base | [`LifecycleRules`] → [`StageCall`], [`StageTable`] | stage, the rule that fired, tenure, slopes, t, p, window |
//! | what to do | [`StageCall::strategy`] with [`StrategyBook`](crate::strategy::StrategyBook) | the stage's actions and bond level |
//! | migration between two periods | [`StageMigration`] | counts and shares |
//! | Markov estimation | [`TransitionCounts`] → [`MarkovEstimate`] | counts, MLE, standard errors; mergeable |
//! | Markov analysis | [`MarkovChain`] | k-step projection, stationary distribution, fundamental matrix, state values (Pfeifer & Carraway 2000) |
//!
//! The stage vocabulary [`LifecycleStage`] lives in [`crate::strategy`] and is re-exported
//! here.
//!
//! # Example
//!
//! ```
//! use crm_analytics::lifecycle::{Horizon, LifecycleRules, LifecycleStage, MarkovChain};
//! use crm_analytics::strategy::StrategyBook;
//! use nalgebra::DMatrix;
//!
//! // One customer: 24 months of tenure, spend falling about 8% a month.
//! let call = LifecycleRules::new().classify(24, &[100.0, 93.0, 85.0, 79.0, 72.0, 66.0])?;
//! assert_eq!(call.stage, Some(LifecycleStage::Decline));
//! let book = StrategyBook::default();
//! assert!(call.strategy(&book).is_some_and(|s| !s.actions.is_empty()));
//!
//! // Where a base of active (A), declining (D) and lost (L) customers is heading and what
//! // each state is worth (MODELS.md §4.3).
//! let p = DMatrix::from_row_slice(3, 3, &[0.8, 0.15, 0.05, 0.3, 0.5, 0.2, 0.0, 0.0, 1.0]);
//! let chain = MarkovChain::new(p)?.with_names(&["A", "D", "L"])?;
//! let v = chain.state_values(&[100.0, 40.0, 0.0], 0.1, Horizon::Infinite)?;
//! assert!((v.values()[0] - 4840.0 / 9.0).abs() < 1e-9);
//! # Ok::<(), crm_analytics::Error>(())
//! ```
//!
//! # Conventions
//! - Months are indexed 0, 1, ..., n-1 within a window: slopes are per month.
//! - State values count the current period's cash flow undiscounted (P&C's convention).
//! - A statistic that does not exist (t of an exact line, Z of an all-tied series, the
//!   relative slope of a zero-mean window) is `None`.
//!
//! # References
//! - Pfeifer, P. E. & Carraway, R. L. (2000). Modeling customer relationships as Markov
//!   chains. *Journal of Interactive Marketing* 14(2), 43-55.
//! - Dwyer, F. R., Schurr, P. H. & Oh, S. (1987). Developing buyer-seller relationships.
//!   *Journal of Marketing* 51(2), 11-27.
//! - Sen, P. K. (1968). Estimates of the regression coefficient based on Kendall's tau.
//!   *JASA* 63, 1379-1389.
//! - Hirsch, R. M., Slack, J. R. & Smith, R. A. (1982). Techniques of trend analysis for
//!   monthly water quality data. *Water Resources Research* 18(1), 107-121.

/// Upper bound on worker threads of the parallel batch calls (more are silently capped).
pub const MAX_THREADS: usize = 256;

mod classify;
mod estimate;
mod markov;
mod migration;
mod trend;

pub use crate::strategy::LifecycleStage;
pub use classify::{
    LifecycleRules, StageCall, StageEvidence, StageRule, StageSummary, StageTable, TrendEvidence,
};
pub use estimate::{MarkovEstimate, RowSource, TransitionCounts};
pub use markov::{Absorption, Horizon, MarkovChain, Projection, ROW_SUM_TOLERANCE, StateValues};
pub use migration::{MIGRATION_LABELS, StageMigration};
pub use trend::{
    MAX_PAIRWISE_POINTS, MAX_SPEND, MannKendall, OlsTrend, SpendTrend, TheilSen, TrendOptions,
};
