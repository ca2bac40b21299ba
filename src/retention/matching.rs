//! Contribution-cost matching: is each customer's retention cost in line with its
//! contribution?

use std::fmt;

use serde::{Deserialize, Serialize};

use super::tier::Tier;
use crate::strategy::ValueSegment;
use crate::validate::{same_len, slice_finite};
use crate::{Error, Result};

/// How the tables of most over- and under-served customers are ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum MatchRanking {
    /// By the money gap `c_i - C·v_i/V` (cost above or below the matched cost): the
    /// customers where most budget is misplaced come first (default).
    #[default]
    CostGap,
    /// By the matching index `M_i` itself; customers of zero value with a positive cost
    /// (index undefined, infinitely over-served) rank first among the over-served.
    Index,
}

/// Options of contribution-cost matching.
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `top` | 10 | rows in the tables of most over- and under-served customers | any |
/// | `curve_points` | 101 | points of the stored concentration curve, evenly spaced in population share | >= 2 |
/// | `rank_by` | [`MatchRanking::CostGap`] | ranking of those tables | |
///
/// The matching index (MODELS.md §5.3; our formalisation of the seeds' "retention cost
/// should match the customer's contribution", MODELS.md §9):
///
/// # Formula
///
/// ```text
/// M_i = (c_i / C) / (v_i / V)        C = Σ c, V = Σ v
///       1 matched, > 1 over-served, < 1 under-served; None when v_i = 0
/// M_g = (Σ_{i in g} c_i / C) / (Σ_{i in g} v_i / V)    per tier or segment
/// Σ_i (v_i / V) · M_i = Σ_{v_i > 0} c_i / C            (= 1 when every v_i > 0)
///
/// concentration curve: customers ranked by value ascending (ties form one step),
///   L_c(p) = share of total cost held by the poorest share p of customers
///   L_v(p) = the same for value (the Lorenz curve of value, "the value line")
/// concentration index CI = 1 - 2 ∫ L_c(p) dp   (trapezoids on the exact steps;
///   equal to 2/(n·mean c) Σ c_i R_i - 1 with mid-ranks R_i for ties)
/// value Gini G = 1 - 2 ∫ L_v(p) dp
/// ```
///
/// When cost is exactly proportional to value, `L_c = L_v` and `CI = G`. `CI < G` means
/// cost is less concentrated on high-value customers than value is: the high-value end
/// is under-served relative to its contribution (the [`gap`](MatchingFit::concentration_gap)
/// `G - CI` is then positive).
///
/// # Example
///
/// ```
/// use crm_analytics::retention::{CostMatching, Tier};
///
/// let value = [400.0, 300.0, 200.0, 100.0];
/// let cost = [20.0, 30.0, 30.0, 20.0];
/// let tiers = [Tier::HighEnd, Tier::HighEnd, Tier::Mass, Tier::Mass];
/// let fit = CostMatching::new().fit(&value, &cost, Some(&tiers), None)?;
/// // customer 0: cost share .2, value share .4 -> 0.5 (under-served)
/// assert!(fit.indices()[0].is_some_and(|v| (v - 0.5).abs() < 1e-12));
/// // mass tier: cost share .5, value share .3 -> 5/3 (over-served)
/// assert!(fit.tiers()[1].index.is_some_and(|v| (v - 5.0 / 3.0).abs() < 1e-12));
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// - MODELS.md §5.3 (our formalisation).
/// - Kakwani, N., Wagstaff, A. & van Doorslaer, E. (1997). Socioeconomic inequalities in
///   health: measurement, computation and statistical inference. *Journal of
///   Econometrics* 77(1), 87-103 (the concentration index and its mid-rank formula).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CostMatching {
    top: usize,
    curve_points: usize,
    rank_by: MatchRanking,
}

impl Default for CostMatching {
    fn default() -> Self {
        CostMatching {
            top: 10,
            curve_points: 101,
            rank_by: MatchRanking::CostGap,
        }
    }
}

/// One customer in the tables of most over- or under-served customers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CustomerMatch {
    /// Zero-based position of the customer in the input.
    pub customer: usize,
    /// Contribution `v_i`.
    pub value: f64,
    /// Retention cost `c_i`.
    pub cost: f64,
    /// `v_i / V`.
    pub value_share: f64,
    /// `c_i / C`.
    pub cost_share: f64,
    /// Matching index; `None` when the value is 0.
    pub index: Option<f64>,
    /// `c_i - C·v_i/V`: cost above (> 0) or below (< 0) the matched cost.
    pub gap: f64,
}

/// Matching of one group of customers (a tier or a value segment), from sums.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct GroupMatch<G> {
    /// The group.
    pub group: G,
    /// Customers in the group.
    pub customers: usize,
    /// Σ v over the group.
    pub value: f64,
    /// Σ c over the group.
    pub cost: f64,
    /// Group value over total value.
    pub value_share: f64,
    /// Group cost over total cost.
    pub cost_share: f64,
    /// `cost_share / value_share`; `None` when the group's value is 0.
    pub index: Option<f64>,
    /// Σ c - C·Σ v / V.
    pub gap: f64,
}

/// One point of the concentration curves (customers ranked by value ascending).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ConcentrationPoint {
    /// Share of customers, poorest first.
    pub population_share: f64,
    /// Their share of total value (the Lorenz curve of value).
    pub value_share: f64,
    /// Their share of total retention cost (the concentration curve of cost).
    pub cost_share: f64,
}

/// The result of [`CostMatching::fit`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct MatchingFit {
    options: CostMatching,
    n: usize,
    total_value: f64,
    total_cost: f64,
    indices: Vec<Option<f64>>,
    weighted_mean_index: f64,
    tiers: Vec<GroupMatch<Tier>>,
    segments: Vec<GroupMatch<ValueSegment>>,
    curve: Vec<ConcentrationPoint>,
    concentration_index: f64,
    value_gini: f64,
    over_served: Vec<CustomerMatch>,
    under_served: Vec<CustomerMatch>,
}

fn non_negative_total(what: &str, x: &[f64]) -> Result<f64> {
    slice_finite(what, x)?;
    if let Some(i) = x.iter().position(|&v| v < 0.0) {
        return Err(Error::InvalidValue {
            what: what.to_string(),
            location: format!("customer {i}"),
            value: x[i],
            expected: "finite and >= 0".into(),
        });
    }
    let total: f64 = x.iter().sum();
    if !(total > 0.0 && total.is_finite()) {
        return Err(Error::input(
            what,
            format!("the total must be finite and > 0, got {total}"),
        ));
    }
    Ok(total)
}

fn group_rows<G: Copy + Ord>(
    labels: &[G],
    values: &[f64],
    costs: &[f64],
    total_value: f64,
    total_cost: f64,
) -> Vec<GroupMatch<G>> {
    let mut keys: Vec<G> = Vec::new();
    let mut sums: Vec<(usize, f64, f64)> = Vec::new();
    for ((&g, &v), &c) in labels.iter().zip(values).zip(costs) {
        let k = match keys.iter().position(|&x| x == g) {
            Some(k) => k,
            None => {
                keys.push(g);
                sums.push((0, 0.0, 0.0));
                keys.len() - 1
            }
        };
        sums[k].0 += 1;
        sums[k].1 += v;
        sums[k].2 += c;
    }
    let mut rows: Vec<GroupMatch<G>> = keys
        .into_iter()
        .zip(sums)
        .map(|(group, (customers, value, cost))| {
            let value_share = value / total_value;
            let cost_share = cost / total_cost;
            GroupMatch {
                group,
                customers,
                value,
                cost,
                value_share,
                cost_share,
                index: (value > 0.0).then(|| cost_share / value_share),
                gap: cost - total_cost * value_share,
            }
        })
        .collect();
    rows.sort_by_key(|a| a.group);
    rows
}

impl CostMatching {
    /// The defaults (same as `default()`).
    #[must_use]
    pub fn new() -> CostMatching {
        CostMatching::default()
    }

    /// Rows in the tables of most over- and under-served customers (default 10).
    #[must_use]
    pub fn top(mut self, k: usize) -> CostMatching {
        self.top = k;
        self
    }

    /// Points stored on the concentration curve (default 101).
    ///
    /// # Errors
    /// [`fit`](CostMatching::fit) rejects fewer than 2 points.
    #[must_use]
    pub fn curve_points(mut self, m: usize) -> CostMatching {
        self.curve_points = m;
        self
    }

    /// Ranking of the over- and under-served tables (default by cost gap).
    #[must_use]
    pub fn rank_by(mut self, r: MatchRanking) -> CostMatching {
        self.rank_by = r;
        self
    }

    /// Rows in the customer tables.
    #[must_use]
    pub fn get_top(&self) -> usize {
        self.top
    }

    /// Points on the stored curve.
    #[must_use]
    pub fn get_curve_points(&self) -> usize {
        self.curve_points
    }

    /// Ranking of the customer tables.
    #[must_use]
    pub fn get_rank_by(&self) -> MatchRanking {
        self.rank_by
    }

    /// Match costs to contributions.
    ///
    /// `values` are the customers' contributions (margin, ARPU or CLV; one unit for all),
    /// `costs` their retention costs, `tiers` and `segments` optional labels for the
    /// group tables.
    ///
    /// # Errors
    /// - [`Error::Empty`] for no customers; [`Error::DimensionMismatch`] when lengths differ.
    /// - [`Error::NonFiniteAt`] / [`Error::InvalidValue`] for NaN, infinite or negative
    ///   values or costs; [`Error::InvalidInput`] when either total is 0.
    /// - [`Error::InvalidOption`] when `curve_points < 2`.
    pub fn fit(
        &self,
        values: &[f64],
        costs: &[f64],
        tiers: Option<&[Tier]>,
        segments: Option<&[ValueSegment]>,
    ) -> Result<MatchingFit> {
        if self.curve_points < 2 {
            return Err(Error::option("curve_points", self.curve_points, ">= 2"));
        }
        let n = values.len();
        if n == 0 {
            return Err(Error::Empty {
                what: "values".into(),
            });
        }
        same_len("costs (one per customer)", n, costs.len())?;
        if let Some(t) = tiers {
            same_len("tiers (one per customer)", n, t.len())?;
        }
        if let Some(s) = segments {
            same_len("segments (one per customer)", n, s.len())?;
        }
        let total_value = non_negative_total("values", values)?;
        let total_cost = non_negative_total("costs", costs)?;

        let mut indices = Vec::with_capacity(n);
        let mut weighted = 0.0;
        for (&v, &c) in values.iter().zip(costs) {
            if v > 0.0 {
                let m = (c / total_cost) / (v / total_value);
                weighted += (v / total_value) * m;
                indices.push(Some(m));
            } else {
                indices.push(None);
            }
        }

        let tiers = tiers
            .map(|t| group_rows(t, values, costs, total_value, total_cost))
            .unwrap_or_default();
        let segments = segments
            .map(|s| group_rows(s, values, costs, total_value, total_cost))
            .unwrap_or_default();

        let (curve, concentration_index, value_gini) =
            self.concentration(values, costs, total_value, total_cost);

        let row = |i: usize| CustomerMatch {
            customer: i,
            value: values[i],
            cost: costs[i],
            value_share: values[i] / total_value,
            cost_share: costs[i] / total_cost,
            index: indices[i],
            gap: costs[i] - total_cost * values[i] / total_value,
        };
        // Over-served: descending key; under-served: ascending key.
        let key = |i: usize| -> f64 {
            match self.rank_by {
                MatchRanking::CostGap => costs[i] - total_cost * values[i] / total_value,
                MatchRanking::Index => {
                    indices[i].unwrap_or(if costs[i] > 0.0 { f64::INFINITY } else { 1.0 })
                }
            }
        };
        let over_served = top_k((0..n).map(key), self.top, true)
            .into_iter()
            .map(row)
            .collect();
        let under_served = top_k((0..n).map(key), self.top, false)
            .into_iter()
            .map(row)
            .collect();

        Ok(MatchingFit {
            options: *self,
            n,
            total_value,
            total_cost,
            indices,
            weighted_mean_index: weighted,
            tiers,
            segments,
            curve,
            concentration_index,
            value_gini,
            over_served,
            under_served,
        })
    }

    /// Curves at `curve_points` population shares, the concentration index of cost and
    /// the Gini of value, from customers ranked by value ascending with ties grouped.
    fn concentration(
        &self,
        values: &[f64],
        costs: &[f64],
        total_value: f64,
        total_cost: f64,
    ) -> (Vec<ConcentrationPoint>, f64, f64) {
        let n = values.len();
        // Values are finite and >= 0 (`+ 0.0` turns -0 into +0), so their bit patterns
        // sort like the numbers: an integer key is faster than a float comparison.
        let mut pairs: Vec<(f64, f64)> = values
            .iter()
            .map(|&v| v + 0.0)
            .zip(costs.iter().copied())
            .collect();
        pairs.sort_unstable_by_key(|p| p.0.to_bits());
        let m = self.curve_points;
        let mut curve = Vec::with_capacity(m);
        curve.push(ConcentrationPoint {
            population_share: 0.0,
            value_share: 0.0,
            cost_share: 0.0,
        });
        let mut next_point = 1usize;
        let (mut cum_v, mut cum_c) = (0.0, 0.0);
        let (mut prev_p, mut prev_v, mut prev_c) = (0.0, 0.0, 0.0);
        // Σ over steps of Δp·(L_k + L_{k-1}), accumulated for cost and value.
        let (mut area_c, mut area_v) = (0.0, 0.0);
        let mut i = 0;
        while i < n {
            let mut j = i;
            let mut step_v = 0.0;
            let mut step_c = 0.0;
            while j < n && pairs[j].0.total_cmp(&pairs[i].0).is_eq() {
                step_v += pairs[j].0;
                step_c += pairs[j].1;
                j += 1;
            }
            cum_v += step_v;
            cum_c += step_c;
            let p = j as f64 / n as f64;
            let lv = (cum_v / total_value).min(1.0);
            let lc = (cum_c / total_cost).min(1.0);
            let dp = p - prev_p;
            area_c += dp * (lc + prev_c);
            area_v += dp * (lv + prev_v);
            // Emit every stored point whose population share falls in (prev_p, p]
            // (exact integer comparison: k/(m-1) <= j/n).
            while next_point < m
                && (next_point as u128) * (n as u128) <= (j as u128) * ((m - 1) as u128)
            {
                let target = next_point as f64 / (m - 1) as f64;
                let t = if dp > 0.0 {
                    ((target - prev_p) / dp).clamp(0.0, 1.0)
                } else {
                    1.0
                };
                curve.push(ConcentrationPoint {
                    population_share: target,
                    value_share: prev_v + t * (lv - prev_v),
                    cost_share: prev_c + t * (lc - prev_c),
                });
                next_point += 1;
            }
            prev_p = p;
            prev_v = lv;
            prev_c = lc;
            i = j;
        }
        if let Some(last) = curve.last_mut() {
            // Rounding in the running sums must not leave the curve short of (1, 1, 1).
            last.population_share = 1.0;
            last.value_share = 1.0;
            last.cost_share = 1.0;
        }
        (curve, 1.0 - area_c, 1.0 - area_v)
    }
}

/// A candidate in a top-k selection: ordered so that the *worse* entry is greater,
/// which puts the worst kept entry on top of a max-heap.
struct Ranked {
    key: f64,
    idx: usize,
    descending: bool,
}

impl Ranked {
    /// Better-first order: by key (descending or ascending), ties by position.
    fn better_first(&self, other: &Ranked) -> std::cmp::Ordering {
        let by_key = if self.descending {
            other.key.total_cmp(&self.key)
        } else {
            self.key.total_cmp(&other.key)
        };
        by_key.then(self.idx.cmp(&other.idx))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.better_first(other).is_eq()
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.better_first(other)
    }
}

/// Positions of the `k` largest (`descending`) or smallest keys, best first, ties by
/// position; one sequential pass with a heap of `k` entries, `O(n log k)`.
fn top_k(keys: impl Iterator<Item = f64>, k: usize, descending: bool) -> Vec<usize> {
    if k == 0 {
        return Vec::new();
    }
    let mut heap: std::collections::BinaryHeap<Ranked> = std::collections::BinaryHeap::new();
    for (idx, key) in keys.enumerate() {
        let r = Ranked {
            key,
            idx,
            descending,
        };
        if heap.len() < k {
            heap.push(r);
        } else if let Some(mut worst) = heap.peek_mut()
            && r < *worst
        {
            *worst = r;
        }
    }
    heap.into_sorted_vec().into_iter().map(|r| r.idx).collect()
}

impl MatchingFit {
    /// The options used.
    pub fn options(&self) -> &CostMatching {
        &self.options
    }

    /// Number of customers.
    #[must_use]
    pub fn n(&self) -> usize {
        self.n
    }

    /// Total value `V`.
    #[must_use]
    pub fn total_value(&self) -> f64 {
        self.total_value
    }

    /// Total retention cost `C`.
    #[must_use]
    pub fn total_cost(&self) -> f64 {
        self.total_cost
    }

    /// Per-customer matching index `M_i`, in input order; `None` where the value is 0.
    #[must_use]
    pub fn indices(&self) -> &[Option<f64>] {
        &self.indices
    }

    /// `Σ (v_i/V)·M_i` over customers with value: 1 when every customer has value, less
    /// by the cost share of zero-value customers otherwise.
    #[must_use]
    pub fn weighted_mean_index(&self) -> f64 {
        self.weighted_mean_index
    }

    /// Matching per tier (tiers present only, in [`Tier`] order); empty without tiers.
    #[must_use]
    pub fn tiers(&self) -> &[GroupMatch<Tier>] {
        &self.tiers
    }

    /// Matching per value segment (present only); empty without segments.
    #[must_use]
    pub fn segments(&self) -> &[GroupMatch<ValueSegment>] {
        &self.segments
    }

    /// The value (Lorenz) and cost concentration curves at evenly spaced population
    /// shares, from (0, 0, 0) to (1, 1, 1).
    #[must_use]
    pub fn curve(&self) -> &[ConcentrationPoint] {
        &self.curve
    }

    /// Concentration index of cost over customers ranked by value, in [-1, 1].
    #[must_use]
    pub fn concentration_index(&self) -> f64 {
        self.concentration_index
    }

    /// Gini coefficient of value (the concentration index of value over its own ranking).
    #[must_use]
    pub fn value_gini(&self) -> f64 {
        self.value_gini
    }

    /// `value_gini - concentration_index`: 0 when cost is proportional to value;
    /// positive when cost is spread more evenly than value (high-value customers
    /// under-served), negative when it is more concentrated.
    #[must_use]
    pub fn concentration_gap(&self) -> f64 {
        self.value_gini - self.concentration_index
    }

    /// The most over-served customers, most first.
    #[must_use]
    pub fn over_served(&self) -> &[CustomerMatch] {
        &self.over_served
    }

    /// The most under-served customers, most first.
    #[must_use]
    pub fn under_served(&self) -> &[CustomerMatch] {
        &self.under_served
    }
}

fn fmt_index(m: Option<f64>) -> String {
    m.map_or_else(|| "n/a".to_string(), |m| format!("{m:.3}"))
}

fn verdict(m: Option<f64>) -> &'static str {
    match m {
        None => "over (no value)",
        Some(m) if m > 1.05 => "over-served",
        Some(m) if m < 0.95 => "under-served",
        Some(_) => "matched",
    }
}

fn fmt_groups<G: fmt::Display>(
    f: &mut fmt::Formatter<'_>,
    title: &str,
    rows: &[GroupMatch<G>],
) -> fmt::Result {
    writeln!(f, "{title}")?;
    writeln!(
        f,
        "  {:<14} {:>10} {:>10} {:>10} {:>9} {:>14}  verdict (±5%)",
        "group", "customers", "value %", "cost %", "index", "cost gap"
    )?;
    for r in rows {
        writeln!(
            f,
            "  {:<14} {:>10} {:>10.2} {:>10.2} {:>9} {:>14.2}  {}",
            r.group.to_string(),
            r.customers,
            100.0 * r.value_share,
            100.0 * r.cost_share,
            fmt_index(r.index),
            r.gap,
            verdict(r.index)
        )?;
    }
    Ok(())
}

fn fmt_customers(f: &mut fmt::Formatter<'_>, title: &str, rows: &[CustomerMatch]) -> fmt::Result {
    writeln!(f, "{title}")?;
    writeln!(
        f,
        "  {:>10} {:>12} {:>10} {:>9} {:>12}",
        "customer", "value", "cost", "index", "cost gap"
    )?;
    for r in rows {
        writeln!(
            f,
            "  {:>10} {:>12.2} {:>10.2} {:>9} {:>12.2}",
            r.customer,
            r.value,
            r.cost,
            fmt_index(r.index),
            r.gap
        )?;
    }
    Ok(())
}

impl fmt::Display for MatchingFit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Contribution-cost matching ({} customers)", self.n)?;
        writeln!(
            f,
            "  total value                 {:>16.2}",
            self.total_value
        )?;
        writeln!(f, "  total retention cost        {:>16.2}", self.total_cost)?;
        writeln!(
            f,
            "  value-weighted mean index   {:>16.6}",
            self.weighted_mean_index
        )?;
        writeln!(f, "  Gini of value               {:>16.6}", self.value_gini)?;
        writeln!(
            f,
            "  concentration index of cost {:>16.6}",
            self.concentration_index
        )?;
        writeln!(
            f,
            "  gap (Gini - CI)             {:>16.6}",
            self.concentration_gap()
        )?;
        if !self.tiers.is_empty() {
            fmt_groups(f, "By tier", &self.tiers)?;
        }
        if !self.segments.is_empty() {
            fmt_groups(f, "By value segment", &self.segments)?;
        }
        if !self.over_served.is_empty() {
            fmt_customers(f, "Most over-served customers", &self.over_served)?;
            fmt_customers(f, "Most under-served customers", &self.under_served)?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn four_customer_hand_case() {
        // v = (400, 300, 200, 100), V = 1000; c = (20, 30, 30, 20), C = 100.
        // M = (.2/.4, .3/.3, .3/.2, .2/.1) = (0.5, 1, 1.5, 2).
        // Ranked by value ascending: cost (20, 30, 30, 20) -> L_c = (.2, .5, .8, 1);
        // value (100, 200, 300, 400)/1000 -> L_v = (.1, .3, .6, 1).
        // CI = 1 - 0.25·[(0+.2)+(.2+.5)+(.5+.8)+(.8+1)] = 1 - 0.25·4.0 = 0.0
        // G  = 1 - 0.25·[(0+.1)+(.1+.3)+(.3+.6)+(.6+1)] = 1 - 0.25·3.0 = 0.25
        let v = [400.0, 300.0, 200.0, 100.0];
        let c = [20.0, 30.0, 30.0, 20.0];
        let fit = CostMatching::new()
            .curve_points(5)
            .fit(&v, &c, None, None)
            .unwrap();
        let m: Vec<f64> = fit.indices().iter().map(|x| x.unwrap()).collect();
        for (a, b) in m.iter().zip([0.5, 1.0, 1.5, 2.0]) {
            assert!((a - b).abs() < 1e-12);
        }
        assert!(fit.concentration_index().abs() < 1e-12);
        assert!((fit.value_gini() - 0.25).abs() < 1e-12);
        assert!((fit.weighted_mean_index() - 1.0).abs() < 1e-12);
        let lc: Vec<f64> = fit.curve().iter().map(|p| p.cost_share).collect();
        for (a, b) in lc.iter().zip([0.0, 0.2, 0.5, 0.8, 1.0]) {
            assert!((a - b).abs() < 1e-12, "{lc:?}");
        }
        // gaps: c - 100·v/1000 = (-20, 0, 10, 10); the most over-served by gap are 2
        // and 3 (tie broken by position), the most under-served is 0.
        assert_eq!(fit.over_served()[0].customer, 2);
        assert_eq!(fit.under_served()[0].customer, 0);
    }

    #[test]
    fn ties_use_mid_ranks() {
        // Two customers of equal value, cost (0, 1): with ties grouped, L_c = (0, 1) at
        // p = (0, 1): CI = 1 - (0 + 1) = 0, as the mid-rank formula gives
        // (R = 0.5 for both: 2/(2·0.5)·(1·0.5) - 1 = 0).
        let fit = CostMatching::new()
            .fit(&[5.0, 5.0], &[0.0, 1.0], None, None)
            .unwrap();
        assert!(fit.concentration_index().abs() < 1e-12);
        assert!(fit.value_gini().abs() < 1e-12);
        assert_eq!(fit.curve().len(), 101);
        assert!((fit.curve()[50].cost_share - 0.5).abs() < 1e-12);
    }
}
