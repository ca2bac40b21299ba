//! Retention: churn and retention rates, contribution-cost matching, retention
//! economics, budget allocation, campaign evaluation and the retention plan.
//!
//! The seeds' principle: retention cost should match each customer's contribution,
//! tilted toward high-end and group customers; the operator must know whom it
//! over-serves and under-serves, and where the next unit of retention budget returns
//! most. This module answers those questions on plain per-customer numbers
//! (contribution, cost, churn probability, CLV, tier), so it works with any value, CLV
//! or churn model.
//!
//! | concept | types |
//! |---|---|
//! | rates with the base stated, expected lifetime | [`PeriodRates`], [`RateBase`], [`expected_lifetime`] |
//! | contribution-cost matching, concentration curve | [`CostMatching`] → [`MatchingFit`] |
//! | target budgets with tier tilts, capped at `p·γ·V` | [`TargetBudget`], [`TierTilts`] → [`BudgetSplit`] |
//! | per-customer economics `c* = p·γ·V`, gain, ROI | [`OfferEconomics`] |
//! | campaign profit (Neslin et al. 2006), EMPC (Verbraken et al. 2013) | [`CampaignProfit`], [`Empc`] |
//! | budget allocation: greedy by ROI or exact knapsack | [`BudgetAllocator`], [`RetentionOffer`] → [`Allocation`] |
//! | campaign effect: z test, Fisher, sample size | [`CampaignEffect`], [`FisherExact`], [`SampleSize`] |
//! | the plan per customer | [`RetentionPlan`], [`CustomerProfile`] |
//!
//! # Quick start
//!
//! ```
//! use crm_analytics::Probability;
//! use crm_analytics::retention::{BudgetAllocator, CostMatching, RetentionOffer, Tier};
//!
//! let value = [400.0, 300.0, 200.0, 100.0];   // monthly contribution
//! let cost = [20.0, 30.0, 30.0, 20.0];        // retention cost now
//! let tiers = [Tier::HighEnd, Tier::Mass, Tier::Mass, Tier::Mass];
//! let m = CostMatching::new().fit(&value, &cost, Some(&tiers), None)?;
//! assert!(m.indices()[0].is_some_and(|v| v < 1.0)); // the high-end customer is under-served
//!
//! let churn = [0.5, 0.2, 0.6, 0.1];
//! let offers = (0..4)
//!     .map(|i| RetentionOffer::from_economics(i, Probability::new(churn[i])?, Probability::new(0.3)?, 12.0 * value[i], 40.0))
//!     .collect::<Result<Vec<_>, _>>()?;
//! let plan = BudgetAllocator::new().allocate(&offers, 100.0)?;
//! assert!(plan.spend() <= 100.0);
//! # Ok::<(), crm_analytics::Error>(())
//! ```
//!
//! # Conventions
//! - Money is plain `f64` in one currency; the exact allocator works in whole cents.
//! - The matching index, the tier tilts and their defaults are **our formalisation** of
//!   the seeds' principle (MODELS.md §5.3, §9), not published rules.
//! - Geometric CLV and the sBG model live in [`clv`](crate::clv); take their output as
//!   the value `V` here.

mod allocation;
mod budget;
mod campaign;
mod economics;
mod evaluation;
mod matching;
mod plan;
mod rates;
mod tier;

pub use allocation::{
    Allocation, AllocationMethod, BudgetAllocator, ChosenOffer, MarginalStep, RetentionOffer,
};
pub use budget::{BudgetSplit, TargetBudget, TierBudget};
pub use campaign::{CampaignProfit, CampaignProfitReport, Empc, EmpcReport};
pub use economics::OfferEconomics;
pub use evaluation::{CampaignEffect, EffectReport, FisherExact, SampleSize, SampleSizeReport};
pub use matching::{
    ConcentrationPoint, CostMatching, CustomerMatch, GroupMatch, MatchRanking, MatchingFit,
};
pub use plan::{CustomerProfile, PlanRow, PlanSummary, RetentionPlan};
pub use rates::{PeriodRates, RateBase, expected_lifetime};
pub use tier::{Tier, TierTilts};
