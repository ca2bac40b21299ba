//! The end-to-end analysis of an operator's base as one typed report.
//!
//! What a new user runs first: give the pipeline a [`CustomerBase`] (ids, tenure, spend,
//! and whatever else is known: VIP flags, group ids, contracts, churn flags, retention
//! costs, explicit value indicators) and optionally [`SurveyData`], and
//! [`Pipeline::run`] returns a [`CrmReport`] with every step's result:
//!
//! | step | module | section of the report |
//! |---|---|---|
//! | value indices, value matrix, strategies | [`value`](crate::value), [`strategy`](crate::strategy) | [`ValueSection`] |
//! | revenue concentration (Gini, Pareto point, top-20% share, Lorenz) | [`value`](crate::value) | [`ConcentrationSection`] |
//! | life-cycle stages with their evidence | [`lifecycle`](crate::lifecycle) | [`LifecycleSection`] |
//! | retention curves by value segment (S(12), S(24), median) | [`survival`](crate::survival) | [`SurvivalSection`] |
//! | satisfaction drivers and IPA (with a survey) | [`satisfaction`](crate::satisfaction) | [`SatisfactionSection`] |
//! | cost matching and a budget plan | [`retention`](crate::retention) | [`RetentionSection`] |
//!
//! Each step's options are overridable on [`Pipeline`]; a progress observer
//! ([`Pipeline::on_step`]) is called with each step's name (the library prints nothing).
//! Steps the data cannot support (no churn flags, no costs, no series) are skipped or
//! approximated and say so in [`CrmReport::notes`].
//!
//! [`SyntheticBase`] draws a **synthetic** operator base from a documented generative
//! model (lognormal ARPU calibrated so that the top ~18% carry 80% of revenue, stated
//! stage shares, churn hazard by value, stage, contract and satisfaction), so that the
//! examples, docs and benches run with no files.
//!
//! # Example
//!
//! ```
//! use crm_analytics::pipeline::{Pipeline, SyntheticBase};
//!
//! let base = SyntheticBase::new(5_000).seed(42).generate()?;
//! let report = Pipeline::new().run(&base, None)?;
//! assert!(report.concentration.pareto_point > 0.1 && report.concentration.pareto_point < 0.3);
//! let text = report.to_string(); // ready to print
//! # Ok::<(), crm_analytics::Error>(())
//! ```

// Checks are written `!(x > 0.0)` on purpose, so that NaN fails them (STYLE.md).
#![allow(clippy::neg_cmp_op_on_partial_ord)]

mod base;
mod options;
mod report;
mod rng;
mod run;
mod synthetic;

pub use base::{Contract, CustomerBase, Spend, SurveyData};
pub use options::{Budget, OnStep, Pipeline};
pub use report::{
    BaseSection, BudgetPlan, ConcentrationSection, ContractCount, CrmReport, CustomerResults,
    ExecutiveSummary, IndicatorRow, LifecycleSection, LogRankSummary, MatchingSection, PlanSegment,
    RetentionSection, RuleCount, SatisfactionSection, StageSource, StrategyCell, SurvivalRow,
    SurvivalSection, ValueSection,
};
pub use synthetic::{GENERATING_STAGE_SHARES, SPEND_NOISE, STAGE_DRIFT, SyntheticBase};
