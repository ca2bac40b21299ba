//! The retention plan: per customer, what to do and what to spend.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::tier::Tier;
use crate::strategy::{
    Action, BondLevel, LifecycleStage, ResourcePriority, StrategyBook, ValueSegment,
};
use crate::validate::{same_len, slice_finite};
use crate::{Error, Result};

/// What the plan needs to know about a customer: value segment, life-cycle stage (when
/// known) and tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CustomerProfile {
    /// Value segment (from the value matrix).
    pub segment: ValueSegment,
    /// Life-cycle stage, when classified.
    pub stage: Option<LifecycleStage>,
    /// Tier (high-end, group or mass).
    pub tier: Tier,
}

impl CustomerProfile {
    /// A profile from its parts.
    #[must_use]
    pub fn new(
        segment: ValueSegment,
        stage: Option<LifecycleStage>,
        tier: Tier,
    ) -> CustomerProfile {
        CustomerProfile {
            segment,
            stage,
            tier,
        }
    }
}

/// One customer's line in a [`RetentionPlan`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PlanRow {
    /// Zero-based position of the customer in the input.
    pub customer: usize,
    /// Value segment.
    pub segment: ValueSegment,
    /// Life-cycle stage, when given.
    pub stage: Option<LifecycleStage>,
    /// Tier.
    pub tier: Tier,
    /// Recommended relationship-bond level.
    pub bond: BondLevel,
    /// Recommended actions, most important first.
    pub actions: Vec<Action>,
    /// Resource priority.
    pub priority: ResourcePriority,
    /// Retention budget.
    pub budget: f64,
    /// Expected net gain of spending it.
    pub expected_gain: f64,
}

/// Sums of a plan for one value segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PlanSummary {
    /// The segment.
    pub segment: ValueSegment,
    /// Customers.
    pub customers: usize,
    /// Σ budget.
    pub budget: f64,
    /// Σ expected gain.
    pub expected_gain: f64,
}

/// The retention plan: one row per customer with segment, stage, tier, the bond level
/// and actions from a [`StrategyBook`], the budget and the expected gain; group members
/// (tier [`Tier::Group`]) get the book's group bond.
///
/// Budgets usually come from [`TargetBudget`](super::TargetBudget) or an
/// [`Allocation`](super::Allocation) (0 for customers without an offer), gains from
/// [`OfferEconomics`](super::OfferEconomics).
///
/// # Example
///
/// ```
/// use crm_analytics::retention::{CustomerProfile, RetentionPlan, Tier};
/// use crm_analytics::strategy::{BondLevel, LifecycleStage, StrategyBook, ValueSegment};
///
/// let profiles = [
///     CustomerProfile::new(ValueSegment::Valuable, Some(LifecycleStage::Maturity), Tier::HighEnd),
///     CustomerProfile::new(ValueSegment::LowValue, None, Tier::Group),
/// ];
/// let plan = RetentionPlan::build(&StrategyBook::default(), &profiles, &[120.0, 10.0], &[300.0, 5.0])?;
/// assert_eq!(plan.rows()[1].bond, BondLevel::Structural); // group customers: level 3
/// assert!((plan.total_budget() - 130.0).abs() < 1e-12);
/// let text = plan.to_string(); // the plan as a table, ready to print
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct RetentionPlan {
    rows: Vec<PlanRow>,
    summary: Vec<PlanSummary>,
    total_budget: f64,
    total_gain: f64,
}

impl RetentionPlan {
    /// Build the plan.
    ///
    /// # Errors
    /// [`Error::Empty`], [`Error::DimensionMismatch`] for empty or mismatched inputs;
    /// [`Error::NonFiniteAt`] for non-finite budgets or gains; [`Error::InvalidValue`]
    /// for a negative budget.
    pub fn build(
        book: &StrategyBook,
        profiles: &[CustomerProfile],
        budgets: &[f64],
        expected_gains: &[f64],
    ) -> Result<RetentionPlan> {
        let n = profiles.len();
        if n == 0 {
            return Err(Error::Empty {
                what: "customer profiles".into(),
            });
        }
        same_len("budgets (one per customer)", n, budgets.len())?;
        same_len("expected gains (one per customer)", n, expected_gains.len())?;
        slice_finite("budgets", budgets)?;
        slice_finite("expected gains", expected_gains)?;
        if let Some(i) = budgets.iter().position(|&b| b < 0.0) {
            return Err(Error::InvalidValue {
                what: "budget".into(),
                location: format!("customer {i}"),
                value: budgets[i],
                expected: ">= 0".into(),
            });
        }
        let mut rows = Vec::with_capacity(n);
        let mut summary: Vec<PlanSummary> = ValueSegment::ALL
            .iter()
            .map(|&segment| PlanSummary {
                segment,
                customers: 0,
                budget: 0.0,
                expected_gain: 0.0,
            })
            .collect();
        for (i, p) in profiles.iter().enumerate() {
            let rec = book.recommend(p.segment, p.stage, p.tier == Tier::Group);
            if let Some(s) = summary.iter_mut().find(|s| s.segment == p.segment) {
                s.customers += 1;
                s.budget += budgets[i];
                s.expected_gain += expected_gains[i];
            }
            rows.push(PlanRow {
                customer: i,
                segment: p.segment,
                stage: p.stage,
                tier: p.tier,
                bond: rec.bond,
                actions: rec.actions,
                priority: rec.priority,
                budget: budgets[i],
                expected_gain: expected_gains[i],
            });
        }
        summary.retain(|s| s.customers > 0);
        Ok(RetentionPlan {
            rows,
            summary,
            total_budget: budgets.iter().sum(),
            total_gain: expected_gains.iter().sum(),
        })
    }

    /// One row per customer, in input order.
    #[must_use]
    pub fn rows(&self) -> &[PlanRow] {
        &self.rows
    }

    /// Sums per value segment (present only).
    #[must_use]
    pub fn summary(&self) -> &[PlanSummary] {
        &self.summary
    }

    /// Σ budget.
    #[must_use]
    pub fn total_budget(&self) -> f64 {
        self.total_budget
    }

    /// Σ expected gain.
    #[must_use]
    pub fn total_gain(&self) -> f64 {
        self.total_gain
    }
}

impl fmt::Display for RetentionPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Retention plan ({} customers)", self.rows.len())?;
        writeln!(
            f,
            "  {:<14} {:>10} {:>14} {:>14}",
            "segment", "customers", "budget", "exp. gain"
        )?;
        for s in &self.summary {
            writeln!(
                f,
                "  {:<14} {:>10} {:>14.2} {:>14.2}",
                s.segment.to_string(),
                s.customers,
                s.budget,
                s.expected_gain
            )?;
        }
        writeln!(
            f,
            "  {:<14} {:>10} {:>14.2} {:>14.2}",
            "total",
            self.rows.len(),
            self.total_budget,
            self.total_gain
        )?;
        let show = self.rows.len().min(20);
        writeln!(f, "  First {show} customers")?;
        writeln!(
            f,
            "  {:>8} {:<13} {:<11} {:<9} {:<21} {:>10} {:>10}  actions",
            "customer", "segment", "stage", "tier", "bond", "budget", "gain"
        )?;
        for r in &self.rows[..show] {
            let actions: Vec<String> = r.actions.iter().map(ToString::to_string).collect();
            writeln!(
                f,
                "  {:>8} {:<13} {:<11} {:<9} {:<21} {:>10.2} {:>10.2}  {}",
                r.customer,
                r.segment.to_string(),
                r.stage.map_or_else(|| "-".to_string(), |s| s.to_string()),
                r.tier.to_string(),
                r.bond.to_string(),
                r.budget,
                r.expected_gain,
                actions.join(", ")
            )?;
        }
        if self.rows.len() > show {
            writeln!(f, "  ... {} more", self.rows.len() - show)?;
        }
        Ok(())
    }
}
