//! Target retention budgets: a total split by contribution with tier tilts.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::tier::{Tier, TierTilts};
use crate::validate::{same_len, slice_finite};
use crate::{Error, Result};

/// Options of the target-budget split.
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `tilts` | [`TierTilts::default()`] (high-end 1.5, group 1.3, mass 1.0; our choice) | budget per unit of contribution, by tier | each finite, > 0 |
/// | `redistribute` | `true` | with caps, hand the budget freed by capped customers to the uncapped ones (water-filling) | |
///
/// # Formula
///
/// ```text
/// w_i = t_{tier(i)} · v_i
/// B_i = B · w_i / Σ_k w_k                                  (no caps)
/// B_i = min(λ·w_i, cap_i),  λ solving Σ_i min(λ·w_i, cap_i) = B   (caps, redistribute)
/// B_i = min(B · w_i / Σ_k w_k, cap_i)                      (caps, no redistribution)
/// ```
///
/// Caps are usually the maximum justified spends `c*_i = p_i·γ_i·V_i`
/// ([`OfferEconomics::max_justified_spend`](super::OfferEconomics::max_justified_spend)).
/// Budget that no customer can absorb is reported as
/// [`unallocated`](BudgetSplit::unallocated).
///
/// # Example
///
/// ```
/// use crm_analytics::retention::{TargetBudget, Tier};
///
/// let value = [100.0, 100.0, 100.0];
/// let tiers = [Tier::HighEnd, Tier::Group, Tier::Mass];
/// let split = TargetBudget::new().split(380.0, &value, &tiers, None)?;
/// // weights 150 : 130 : 100 of 380
/// assert!((split.budgets()[0] - 150.0).abs() < 1e-9);
/// assert!((split.budgets()[2] - 100.0).abs() < 1e-9);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// MODELS.md §5.3 (the budget rule and its tilts are our formalisation of the seeds'
/// principle).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TargetBudget {
    tilts: TierTilts,
    redistribute: bool,
}

impl Default for TargetBudget {
    fn default() -> Self {
        TargetBudget {
            tilts: TierTilts::default(),
            redistribute: true,
        }
    }
}

/// Budget of one tier in a [`BudgetSplit`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TierBudget {
    /// The tier.
    pub tier: Tier,
    /// Its tilt.
    pub tilt: f64,
    /// Customers in the tier.
    pub customers: usize,
    /// Σ v over the tier.
    pub value: f64,
    /// Σ B_i over the tier.
    pub budget: f64,
    /// Tier value over total value.
    pub value_share: f64,
    /// Tier budget over allocated budget (`None` when nothing was allocated).
    pub budget_share: Option<f64>,
    /// Customers held at their cap.
    pub capped: usize,
}

/// The result of [`TargetBudget::split`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct BudgetSplit {
    options: TargetBudget,
    total: f64,
    budgets: Vec<f64>,
    capped: Vec<bool>,
    allocated: f64,
    tiers: Vec<TierBudget>,
}

impl TargetBudget {
    /// The defaults (same as `default()`).
    #[must_use]
    pub fn new() -> TargetBudget {
        TargetBudget::default()
    }

    /// Tier tilts. Checked by [`split`](TargetBudget::split).
    #[must_use]
    pub fn tilts(mut self, tilts: TierTilts) -> TargetBudget {
        self.tilts = tilts;
        self
    }

    /// Whether budget freed by caps goes to uncapped customers (default `true`).
    #[must_use]
    pub fn redistribute(mut self, yes: bool) -> TargetBudget {
        self.redistribute = yes;
        self
    }

    /// The tilts.
    #[must_use]
    pub fn get_tilts(&self) -> TierTilts {
        self.tilts
    }

    /// Whether capped budget is redistributed.
    #[must_use]
    pub fn get_redistribute(&self) -> bool {
        self.redistribute
    }

    /// Split `total` over customers by tilted contribution, optionally capped.
    ///
    /// # Errors
    /// - [`Error::InvalidOption`] for a bad tilt or a `total` that is not finite and >= 0.
    /// - [`Error::Empty`], [`Error::DimensionMismatch`] for empty or mismatched inputs.
    /// - [`Error::NonFiniteAt`] / [`Error::InvalidValue`] for NaN, infinite or negative
    ///   values or caps; [`Error::InvalidInput`] when all values are 0.
    pub fn split(
        &self,
        total: f64,
        values: &[f64],
        tiers: &[Tier],
        caps: Option<&[f64]>,
    ) -> Result<BudgetSplit> {
        self.tilts.validate()?;
        if !(total.is_finite() && total >= 0.0) {
            return Err(Error::option("total budget", total, "finite and >= 0"));
        }
        let n = values.len();
        if n == 0 {
            return Err(Error::Empty {
                what: "values".into(),
            });
        }
        same_len("tiers (one per customer)", n, tiers.len())?;
        check_non_negative("values", values)?;
        if let Some(c) = caps {
            same_len("caps (one per customer)", n, c.len())?;
            check_non_negative("caps", c)?;
        }
        let w: Vec<f64> = values
            .iter()
            .zip(tiers)
            .map(|(&v, &t)| self.tilts.get(t) * v)
            .collect();
        let sum_w: f64 = w.iter().sum();
        if !(sum_w > 0.0 && sum_w.is_finite()) {
            return Err(Error::input(
                "values",
                format!("the tilted total must be finite and > 0, got {sum_w}"),
            ));
        }
        let mut budgets: Vec<f64> = w.iter().map(|&wi| total * wi / sum_w).collect();
        let mut capped = vec![false; n];
        if let Some(caps) = caps {
            if self.redistribute {
                // Water-filling: customers in order of cap_i / w_i; those whose cap binds
                // at the current level λ = R / W_rem are capped and leave the pool.
                let mut order: Vec<usize> = (0..n).filter(|&i| w[i] > 0.0).collect();
                order.sort_unstable_by(|&a, &b| (caps[a] / w[a]).total_cmp(&(caps[b] / w[b])));
                let mut remaining = total;
                let mut w_rem = sum_w;
                let mut lambda = None;
                for &i in &order {
                    let level = remaining / w_rem;
                    if caps[i] <= level * w[i] {
                        budgets[i] = caps[i];
                        capped[i] = true;
                        remaining -= caps[i];
                        w_rem -= w[i];
                    } else {
                        lambda = Some(level);
                        break;
                    }
                }
                for &i in &order {
                    if !capped[i] {
                        budgets[i] = lambda.map_or(0.0, |l| (l * w[i]).min(caps[i]));
                    }
                }
            } else {
                for i in 0..n {
                    if budgets[i] >= caps[i] {
                        budgets[i] = caps[i];
                        capped[i] = true;
                    }
                }
            }
        }
        let allocated: f64 = budgets.iter().sum();
        let mut rows: Vec<TierBudget> = Vec::new();
        let total_value: f64 = values.iter().sum();
        for tier in Tier::ALL {
            let members: Vec<usize> = (0..n).filter(|&i| tiers[i] == tier).collect();
            if members.is_empty() {
                continue;
            }
            let value: f64 = members.iter().map(|&i| values[i]).sum();
            let budget: f64 = members.iter().map(|&i| budgets[i]).sum();
            rows.push(TierBudget {
                tier,
                tilt: self.tilts.get(tier),
                customers: members.len(),
                value,
                budget,
                value_share: value / total_value,
                budget_share: (allocated > 0.0).then(|| budget / allocated),
                capped: members.iter().filter(|&&i| capped[i]).count(),
            });
        }
        Ok(BudgetSplit {
            options: *self,
            total,
            budgets,
            capped,
            allocated,
            tiers: rows,
        })
    }
}

fn check_non_negative(what: &str, x: &[f64]) -> Result<()> {
    slice_finite(what, x)?;
    match x.iter().position(|&v| v < 0.0) {
        Some(i) => Err(Error::InvalidValue {
            what: what.to_string(),
            location: format!("customer {i}"),
            value: x[i],
            expected: "finite and >= 0".into(),
        }),
        None => Ok(()),
    }
}

impl BudgetSplit {
    /// The options used.
    pub fn options(&self) -> &TargetBudget {
        &self.options
    }

    /// The total budget to split.
    #[must_use]
    pub fn total(&self) -> f64 {
        self.total
    }

    /// Per-customer budgets, in input order.
    #[must_use]
    pub fn budgets(&self) -> &[f64] {
        &self.budgets
    }

    /// Whether each customer is held at its cap.
    #[must_use]
    pub fn capped(&self) -> &[bool] {
        &self.capped
    }

    /// Σ B_i.
    #[must_use]
    pub fn allocated(&self) -> f64 {
        self.allocated
    }

    /// Budget no customer can absorb under its cap, `max(total - allocated, 0)`.
    #[must_use]
    pub fn unallocated(&self) -> f64 {
        (self.total - self.allocated).max(0.0)
    }

    /// Per-tier sums (tiers present only).
    #[must_use]
    pub fn tiers(&self) -> &[TierBudget] {
        &self.tiers
    }
}

impl fmt::Display for BudgetSplit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Target retention budget: {:.2} split over {} customers",
            self.total,
            self.budgets.len()
        )?;
        writeln!(
            f,
            "  {:<10} {:>6} {:>10} {:>10} {:>14} {:>10} {:>8}",
            "tier", "tilt", "customers", "value %", "budget", "budget %", "capped"
        )?;
        for r in &self.tiers {
            writeln!(
                f,
                "  {:<10} {:>6.2} {:>10} {:>10.2} {:>14.2} {:>10} {:>8}",
                r.tier.to_string(),
                r.tilt,
                r.customers,
                100.0 * r.value_share,
                r.budget,
                r.budget_share
                    .map_or_else(|| "n/a".into(), |s| format!("{:.2}", 100.0 * s)),
                r.capped
            )?;
        }
        writeln!(f, "  allocated   {:>14.2}", self.allocated)?;
        writeln!(f, "  unallocated {:>14.2}", self.unallocated())
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn water_filling_by_hand() {
        // v = (100, 100, 100) all mass, B = 300, caps (50, 200, 200).
        // Level 100 each; customer 0 capped at 50; the freed 50 split evenly -> 125, 125.
        let v = [100.0; 3];
        let t = [Tier::Mass; 3];
        let s = TargetBudget::new()
            .split(300.0, &v, &t, Some(&[50.0, 200.0, 200.0]))
            .unwrap();
        assert_eq!(s.budgets(), &[50.0, 125.0, 125.0]);
        assert_eq!(s.capped(), &[true, false, false]);
        assert!(s.unallocated().abs() < 1e-12);
        // Without redistribution the 50 stays unallocated.
        let s = TargetBudget::new()
            .redistribute(false)
            .split(300.0, &v, &t, Some(&[50.0, 200.0, 200.0]))
            .unwrap();
        assert_eq!(s.budgets(), &[50.0, 100.0, 100.0]);
        assert!((s.unallocated() - 50.0).abs() < 1e-12);
        // Caps summing below the budget: everyone capped, 250 unallocated.
        let s = TargetBudget::new()
            .split(300.0, &v, &t, Some(&[10.0, 20.0, 20.0]))
            .unwrap();
        assert_eq!(s.budgets(), &[10.0, 20.0, 20.0]);
        assert!((s.unallocated() - 250.0).abs() < 1e-12);
    }

    #[test]
    fn bad_inputs() {
        let e = TargetBudget::new()
            .tilts(TierTilts::new().group(-1.0))
            .split(1.0, &[1.0], &[Tier::Mass], None)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "option `group tilt` must be finite and > 0, got -1"
        );
        assert!(
            TargetBudget::new()
                .split(f64::NAN, &[1.0], &[Tier::Mass], None)
                .is_err()
        );
        assert!(
            TargetBudget::new()
                .split(1.0, &[0.0], &[Tier::Mass], None)
                .is_err()
        );
    }
}
