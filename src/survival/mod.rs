//! Survival on tenure: Kaplan-Meier, Nelson-Aalen, log-rank tests, Cox proportional
//! hazards; churn-probability models (logistic regression) and their evaluation.
//!
//! Postpaid customers leave at an observable moment, so tenure with a churn flag is
//! right-censored survival data: customers still active are censored at their current
//! tenure. This module answers "how long do customers stay" ([`KaplanMeier`],
//! [`NelsonAalen`]), "do two plans retain differently" ([`LogRank`]), "what drives the
//! hazard of leaving" ([`CoxPh`]), and "who will leave next" ([`Logistic`],
//! [`ScoreEvaluation`]).
//!
//! | type (options) | fitted | answers |
//! |---|---|---|
//! | [`KaplanMeier`] | [`KaplanMeierFit`] | retention curve, Greenwood intervals, median and quantiles, at-risk table |
//! | [`NelsonAalen`] | [`NelsonAalenFit`] | cumulative hazard with variance |
//! | [`LogRank`] | [`LogRankTest`] | equality of curves, weighted family, strata |
//! | [`CoxPh`] | [`CoxFit`] | hazard ratios of churn drivers, baseline survival, prediction |
//! | [`Logistic`] | [`LogisticFit`] | churn probability with SPSS LOGISTIC REGRESSION output |
//! | [`ScoreEvaluation`] | [`ScoreEvaluationFit`] | ROC/AUC, gains and lift, Gini, Brier, calibration |
//!
//! Data conventions: `durations` are finite and `>= 0` (any time unit); `events` are 1 for
//! an observed churn and 0 for a censored (still active) customer; anything else is an
//! [`crate::Error`] naming the index.
//!
//! # Example
//!
//! ```
//! use crm_analytics::survival::{KaplanMeier, LogRank};
//!
//! let tenure = [2.0, 4.0, 4.0, 7.0, 9.0, 12.0, 3.0, 10.0, 15.0, 20.0, 24.0, 24.0];
//! let churned = [1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0];
//! let contract = ["monthly", "monthly", "monthly", "monthly", "monthly", "monthly",
//!                 "yearly", "yearly", "yearly", "yearly", "yearly", "yearly"];
//! let km = KaplanMeier::new().fit(&tenure, &churned)?;
//! let table = km.to_string(); // the survival table, ready to print
//! let test = LogRank::new().test(&tenure, &churned, &contract)?;
//! assert!(test.p_value() < 1.0);
//! # Ok::<(), crm_analytics::Error>(())
//! ```

mod cox;
mod data;
mod design;
mod evaluation;
mod kaplan_meier;
mod logistic;
mod logrank;
mod nelson_aalen;
mod risk_table;

pub use cox::{ConvergenceRecord, CoxCoefficientRow, CoxFit, CoxPh, CoxReport, Ties};
pub use design::Design;
pub use evaluation::{CalibrationRow, GainsRow, RocPoint, ScoreEvaluation, ScoreEvaluationFit};
pub use kaplan_meier::{
    AtRiskRow, AtRiskTable, ConfidenceType, KaplanMeier, KaplanMeierFit, SurvivalQuantile,
};
pub use logistic::{
    ClassificationTable, HosmerLemeshow, Logistic, LogisticCoefficientRow, LogisticFit,
    LogisticReport,
};
pub use logrank::{LogRank, LogRankTest, LogRankWeight};
pub use nelson_aalen::{NelsonAalen, NelsonAalenFit};
