//! Allocation of a total retention budget over offers: greedy by ROI (a
//! 1/2-approximation) or exact multiple-choice knapsack by dynamic programming.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Error, Probability, Result};

/// One retention offer that can be made to one customer.
///
/// A customer may have several offers (a discount, a handset subsidy, a call from an
/// account manager); an allocation chooses at most one per customer.
///
/// # Example
///
/// ```
/// use crm_analytics::{Probability, retention::RetentionOffer};
///
/// let a = RetentionOffer::from_economics(0, Probability::new(0.5)?, Probability::new(0.4)?, 1000.0, 50.0)?;
/// assert!((a.gain() - 150.0).abs() < 1e-9);
/// assert!(a.roi().is_some_and(|v| (v - 3.0).abs() < 1e-12));
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RetentionOffer {
    customer: usize,
    cost: f64,
    gain: f64,
}

impl RetentionOffer {
    /// An offer of cost `cost` and expected net gain `gain` to customer `customer`.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a non-finite or negative cost or a non-finite gain.
    pub fn new(customer: usize, cost: f64, gain: f64) -> Result<RetentionOffer> {
        if !(cost.is_finite() && cost >= 0.0) {
            return Err(Error::InvalidValue {
                what: "offer cost".into(),
                location: format!("customer {customer}"),
                value: cost,
                expected: "finite and >= 0".into(),
            });
        }
        if !gain.is_finite() {
            return Err(Error::InvalidValue {
                what: "offer gain".into(),
                location: format!("customer {customer}"),
                value: gain,
                expected: "finite".into(),
            });
        }
        Ok(RetentionOffer {
            customer,
            cost,
            gain,
        })
    }

    /// An offer whose gain is the expected net gain `p·γ·V - c`
    /// (see [`OfferEconomics`](super::OfferEconomics)).
    ///
    /// # Errors
    /// As [`new`](Self::new), and for a non-finite value.
    pub fn from_economics(
        customer: usize,
        churn_probability: Probability,
        uplift: Probability,
        value: f64,
        cost: f64,
    ) -> Result<RetentionOffer> {
        let e = super::OfferEconomics::evaluate(churn_probability, uplift, value, cost)?;
        RetentionOffer::new(customer, cost, e.expected_gain())
    }

    /// The customer the offer is for.
    #[must_use]
    pub fn customer(&self) -> usize {
        self.customer
    }

    /// The offer's cost (what it takes from the budget).
    #[must_use]
    pub fn cost(&self) -> f64 {
        self.cost
    }

    /// The expected net gain.
    #[must_use]
    pub fn gain(&self) -> f64 {
        self.gain
    }

    /// `gain / cost`; `None` for a free offer.
    #[must_use]
    pub fn roi(&self) -> Option<f64> {
        (self.cost > 0.0).then(|| self.gain / self.cost)
    }
}

/// How [`BudgetAllocator`] chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum AllocationMethod {
    /// Greedy by (incremental) ROI with the best-single-offer check: at least half the
    /// optimal gain, `O(m log m)` for `m` offers (default).
    #[default]
    Greedy,
    /// Exact: dynamic programming over the budget in cents. Needs costs that are whole
    /// cents and a table within the memory limit.
    Exact,
}

impl fmt::Display for AllocationMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            AllocationMethod::Greedy => "greedy by ROI (1/2-approximation)",
            AllocationMethod::Exact => "exact knapsack (dynamic programming)",
        })
    }
}

/// Allocation of a total retention budget over offers.
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `method` | [`AllocationMethod::Greedy`] | greedy or exact | |
/// | `memory_limit` | 1 GiB (`1 << 30` bytes) | most memory the exact method may use | > 0 |
/// | `reduce` | `true` | exact: fix variables by Lagrangian bounds before the DP | |
///
/// Only offers with a positive gain and a cost within the budget are candidates; at most
/// one offer per customer is chosen; the spend never exceeds the budget.
///
/// **Greedy.** For each customer the offers (with "no offer" at (0, 0)) are reduced to
/// their upper concave hull in (cost, gain); the hull's increments are taken in order of
/// incremental ROI while they fit (an increment upgrades the customer from the previous
/// hull offer, so its cost is the difference). The result is compared with the best
/// single offer and the better kept. For one offer per customer this is the classical
/// greedy for 0/1 knapsack; with several offers it is the greedy of the multiple-choice
/// knapsack (Sinha & Zoltners 1979). In both cases the gain is at least half the optimum,
/// since the LP relaxation's optimum is at most the greedy prefix plus one increment,
/// and that increment's gain is at most the gain of a single offer. With one offer per
/// customer and divisible spending (fractional offers) greedy is optimal.
///
/// **Exact.** Costs are converted to cents (each must be a whole number of cents within
/// 1e-6 cent) and divided by their greatest common divisor; the budget is rounded down
/// to that grid. `dp[g][w]` = best gain from the first `g` customers with spend at most
/// `w`; one row per customer and one cell per budget unit, `O(m·W)` time for `m` offers
/// and `W` budget units. To stay within memory the forward pass keeps only checkpoint
/// rows every `k` customers and the backward pass recomputes one block of `k` customers
/// at a time, storing their choices (1 byte per cell, 2 with more than 255 offers per
/// customer); `k ≈ sqrt(8·customers/bytes)` minimises the peak
/// `(customers/k)·8·(W+1) + k·bytes·(W+1)`. When the whole choice table fits, there is
/// one block and one pass. When even the best block size exceeds `memory_limit`,
/// [`Error::LimitExceeded`] suggests the greedy method.
///
/// **Reduction** (exact, option `reduce`, default on). Before the dynamic programme,
/// offers that no optimal solution uses are removed and customers whose offer every
/// optimal solution uses are fixed (Dembo & Hammer 1980, extended to one offer per
/// customer): with `λ` the ROI of the LP relaxation's critical increment, the
/// Lagrangian bound `U = λ·B + Σ_i max(0, max_k (g_k - λ·c_k))` drops by the forced
/// choice's shortfall, and a choice whose bound falls below the greedy solution's gain
/// cannot be optimal. On typical campaign data (many customers, a budget for a few
/// percent of them) this leaves a small core for the DP; [`Allocation::dp_offers`]
/// reports its size. The optimum is unchanged.
///
/// # Example
///
/// ```
/// use crm_analytics::{Probability, retention::{AllocationMethod, BudgetAllocator, RetentionOffer}};
///
/// // MODELS.md §5.3: A..E as (p, γ, V, c), budget 100.
/// let data = [(0.5, 0.4, 1000.0, 50.0), (0.2, 0.3, 2000.0, 40.0), (0.6, 0.2, 300.0, 20.0),
///             (0.1, 0.5, 800.0, 30.0), (0.4, 0.25, 600.0, 30.0)];
/// let offers = data.iter().enumerate()
///     .map(|(i, &(p, g, v, c))| RetentionOffer::from_economics(i, Probability::new(p)?, Probability::new(g)?, v, c))
///     .collect::<Result<Vec<_>, _>>()?;
/// let greedy = BudgetAllocator::new().allocate(&offers, 100.0)?;
/// let exact = BudgetAllocator::new().method(AllocationMethod::Exact).allocate(&offers, 100.0)?;
/// assert_eq!(greedy.customers(), vec![0, 1]);
/// assert!((greedy.spend() - 90.0).abs() < 1e-9 && (greedy.gain() - 230.0).abs() < 1e-9);
/// assert!((exact.gain() - 230.0).abs() < 1e-9);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// - MODELS.md §5.3 (the worked example).
/// - Sinha, P. & Zoltners, A. A. (1979). The multiple-choice knapsack problem.
///   *Operations Research* 27(3), 503-515.
/// - Kellerer, H., Pferschy, U. & Pisinger, D. (2004). *Knapsack Problems*. Springer
///   (greedy 1/2-approximation, §2.5; dynamic programming, §2.3; reduction, §3.2;
///   multiple-choice knapsack, ch. 11).
/// - Dembo, R. S. & Hammer, P. L. (1980). A reduction algorithm for knapsack problems.
///   *Methods of Operations Research* 36, 49-60.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BudgetAllocator {
    method: AllocationMethod,
    memory_limit: usize,
    reduce: bool,
}

impl Default for BudgetAllocator {
    fn default() -> Self {
        BudgetAllocator {
            method: AllocationMethod::Greedy,
            memory_limit: 1 << 30,
            reduce: true,
        }
    }
}

/// One chosen offer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ChosenOffer {
    /// Position of the offer in the input slice.
    pub offer: usize,
    /// The customer.
    pub customer: usize,
    /// Its cost.
    pub cost: f64,
    /// Its expected net gain.
    pub gain: f64,
    /// `gain / cost` (`None` when free).
    pub roi: Option<f64>,
}

/// One step of the marginal ROI curve: spending more buys gain at a falling rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MarginalStep {
    /// The customer whose offer (or upgrade) this step adds.
    pub customer: usize,
    /// Cost added by the step.
    pub cost: f64,
    /// Gain added by the step.
    pub gain: f64,
    /// `gain / cost` of the step (`None` when free).
    pub marginal_roi: Option<f64>,
    /// Cumulative spend after the step.
    pub cumulative_spend: f64,
    /// Cumulative gain after the step.
    pub cumulative_gain: f64,
}

/// The result of [`BudgetAllocator::allocate`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct Allocation {
    options: BudgetAllocator,
    budget: f64,
    offers: usize,
    candidates: usize,
    chosen: Vec<ChosenOffer>,
    spend: f64,
    gain: f64,
    curve: Vec<MarginalStep>,
    best_single_used: bool,
    memory_bytes: Option<usize>,
    dp_offers: Option<usize>,
}

impl BudgetAllocator {
    /// The defaults (greedy, 1 GiB).
    #[must_use]
    pub fn new() -> BudgetAllocator {
        BudgetAllocator::default()
    }

    /// Greedy or exact.
    #[must_use]
    pub fn method(mut self, m: AllocationMethod) -> BudgetAllocator {
        self.method = m;
        self
    }

    /// Most memory (bytes) the exact method may use. Checked (> 0) by `allocate`.
    #[must_use]
    pub fn memory_limit(mut self, bytes: usize) -> BudgetAllocator {
        self.memory_limit = bytes;
        self
    }

    /// Exact only: fix variables by Lagrangian bounds before the dynamic programme
    /// (default `true`; see the type docs). The optimum is the same either way.
    #[must_use]
    pub fn reduce(mut self, yes: bool) -> BudgetAllocator {
        self.reduce = yes;
        self
    }

    /// Whether the exact method reduces the problem first.
    #[must_use]
    pub fn get_reduce(&self) -> bool {
        self.reduce
    }

    /// The method.
    #[must_use]
    pub fn get_method(&self) -> AllocationMethod {
        self.method
    }

    /// The memory limit in bytes.
    #[must_use]
    pub fn get_memory_limit(&self) -> usize {
        self.memory_limit
    }

    /// Choose at most one offer per customer to maximise the total expected net gain
    /// with total cost at most `budget`.
    ///
    /// # Errors
    /// - [`Error::InvalidOption`] for a budget that is not finite and >= 0, or a zero
    ///   memory limit.
    /// - Exact only: [`Error::InvalidValue`] for a cost that is not a whole number of
    ///   cents; [`Error::LimitExceeded`] when the table does not fit the memory limit
    ///   (use greedy, or round costs to whole currency units so that their common
    ///   divisor shrinks the table).
    pub fn allocate(&self, offers: &[RetentionOffer], budget: f64) -> Result<Allocation> {
        if !(budget.is_finite() && budget >= 0.0) {
            return Err(Error::option("budget", budget, "finite and >= 0"));
        }
        if self.memory_limit == 0 {
            return Err(Error::option("memory_limit", 0, "> 0 bytes"));
        }
        // Offers are validated by construction, but serde may have built them.
        for (i, o) in offers.iter().enumerate() {
            if !(o.cost.is_finite() && o.cost >= 0.0 && o.gain.is_finite()) {
                return Err(Error::InvalidValue {
                    what: "offer".into(),
                    location: format!("offer {i}"),
                    value: if o.cost.is_finite() { o.gain } else { o.cost },
                    expected: "a finite cost >= 0 and a finite gain".into(),
                });
            }
        }
        if offers.len() >= u32::MAX as usize {
            return Err(Error::LimitExceeded {
                what: "offers in one allocation".into(),
                limit: u32::MAX as usize - 1,
                got: offers.len(),
                suggestion: "allocate per region or segment and merge the plans".into(),
            });
        }
        let candidates: Vec<usize> = (0..offers.len())
            .filter(|&i| offers[i].gain > 0.0 && offers[i].cost <= budget)
            .collect();
        let mut result = match self.method {
            AllocationMethod::Greedy => greedy(offers, &candidates, budget),
            AllocationMethod::Exact => {
                exact(offers, &candidates, budget, self.memory_limit, self.reduce)?
            }
        };
        result.options = *self;
        result.offers = offers.len();
        result.candidates = candidates.len();
        Ok(result)
    }
}

fn empty(budget: f64) -> Allocation {
    Allocation {
        options: BudgetAllocator::default(),
        budget,
        offers: 0,
        candidates: 0,
        chosen: Vec::new(),
        spend: 0.0,
        gain: 0.0,
        curve: Vec::new(),
        best_single_used: false,
        memory_bytes: None,
        dp_offers: None,
    }
}

/// Candidate offer positions grouped by customer, stored flat: group `g` is
/// `order[starts[g]..starts[g + 1]]`, groups by ascending customer, offers by position.
struct Groups {
    order: Vec<usize>,
    starts: Vec<usize>,
}

impl Groups {
    fn new(offers: &[RetentionOffer], candidates: &[usize]) -> Groups {
        let mut order = candidates.to_vec();
        // Candidates ascend by position; offers usually come sorted by customer already.
        if !order
            .windows(2)
            .all(|w| offers[w[0]].customer <= offers[w[1]].customer)
        {
            order.sort_by_key(|&i| (offers[i].customer, i));
        }
        let mut starts = Vec::with_capacity(order.len() + 1);
        for (k, &i) in order.iter().enumerate() {
            if k == 0 || offers[order[k - 1]].customer != offers[i].customer {
                starts.push(k);
            }
        }
        starts.push(order.len());
        Groups { order, starts }
    }

    fn len(&self) -> usize {
        self.starts.len() - 1
    }

    fn get(&self, g: usize) -> &[usize] {
        &self.order[self.starts[g]..self.starts[g + 1]]
    }

    fn max_len(&self) -> usize {
        self.starts
            .windows(2)
            .map(|w| w[1] - w[0])
            .max()
            .unwrap_or(0)
    }
}

/// "No offer" in the compact increment records.
const NONE: u32 = u32::MAX;

/// One step up a customer's hull: from offer `from` (or none) to offer `to`. `rank`
/// sorts by incremental ROI descending: the ROI is positive (or +inf for a free step),
/// so the bit pattern of the f64 orders like the number and its complement reverses it.
#[derive(Clone, Copy)]
struct Increment {
    rank: u64,
    group: u32,
    from: u32,
    to: u32,
}

fn step(offers: &[RetentionOffer], from: u32, to: u32) -> (f64, f64) {
    let o = offers[to as usize];
    if from == NONE {
        (o.cost, o.gain)
    } else {
        let f = offers[from as usize];
        (o.cost - f.cost, o.gain - f.gain)
    }
}

fn rank_of(cost: f64, gain: f64) -> u64 {
    let roi = if cost > 0.0 {
        gain / cost
    } else {
        f64::INFINITY
    };
    !roi.to_bits()
}

fn greedy(offers: &[RetentionOffer], candidates: &[usize], budget: f64) -> Allocation {
    let groups = Groups::new(offers, candidates);
    let incs = hull_increments(offers, &groups);
    greedy_fill(offers, candidates, &groups, &incs, budget)
}

/// Each customer's offers reduced to the increments of their upper concave hull in
/// (cost, gain) from "no offer", all sorted by incremental ROI descending.
fn hull_increments(offers: &[RetentionOffer], groups: &Groups) -> Vec<Increment> {
    let mut incs: Vec<Increment> = Vec::with_capacity(groups.order.len());
    let mut pts: Vec<usize> = Vec::new();
    let mut hull: Vec<u32> = Vec::new();
    let xy = |p: u32| {
        if p == NONE {
            (0.0, 0.0)
        } else {
            (offers[p as usize].cost, offers[p as usize].gain)
        }
    };
    for gi in 0..groups.len() {
        let g = groups.get(gi);
        if let [only] = g {
            let o = offers[*only];
            incs.push(Increment {
                rank: rank_of(o.cost, o.gain),
                group: gi as u32,
                from: NONE,
                to: *only as u32,
            });
            continue;
        }
        pts.clear();
        pts.extend_from_slice(g);
        pts.sort_by(|&a, &b| {
            offers[a]
                .cost
                .total_cmp(&offers[b].cost)
                .then(offers[b].gain.total_cmp(&offers[a].gain))
        });
        // Upper concave hull from the origin ("no offer").
        hull.clear();
        hull.push(NONE);
        for &p in &pts {
            let (px, py) = xy(p as u32);
            if py <= xy(hull[hull.len() - 1]).1 {
                continue; // dominated: costs at least as much, gains no more
            }
            while hull.len() >= 2 {
                let a = xy(hull[hull.len() - 2]);
                let b = xy(hull[hull.len() - 1]);
                let cross = (b.0 - a.0) * (py - a.1) - (b.1 - a.1) * (px - a.0);
                if cross >= 0.0 {
                    hull.pop();
                } else {
                    break;
                }
            }
            hull.push(p as u32);
        }
        for w in hull.windows(2) {
            let (c, g) = step(offers, w[0], w[1]);
            incs.push(Increment {
                rank: rank_of(c, g),
                group: gi as u32,
                from: w[0],
                to: w[1],
            });
        }
    }
    // Incremental ROI descending, free steps first; ties by customer. Within a customer
    // the hull's increments have strictly falling ROI, so they stay in upgrade order.
    incs.sort_unstable_by_key(|x| (x.rank, x.group));
    incs
}

/// Take the sorted increments while they fit, then compare with the best single offer.
fn greedy_fill(
    offers: &[RetentionOffer],
    candidates: &[usize],
    groups: &Groups,
    incs: &[Increment],
    budget: f64,
) -> Allocation {
    let mut current: Vec<u32> = vec![NONE; groups.len()];
    let mut blocked = vec![false; groups.len()];
    let mut spend = 0.0;
    let mut gain = 0.0;
    let mut curve = Vec::new();
    for x in incs {
        let gi = x.group as usize;
        if blocked[gi] || current[gi] != x.from {
            continue;
        }
        let (c, g) = step(offers, x.from, x.to);
        if spend + c <= budget {
            spend += c;
            gain += g;
            current[gi] = x.to;
            curve.push(MarginalStep {
                customer: offers[x.to as usize].customer,
                cost: c,
                gain: g,
                marginal_roi: (c > 0.0).then(|| g / c),
                cumulative_spend: spend,
                cumulative_gain: gain,
            });
        } else {
            blocked[gi] = true;
        }
    }
    let mut chosen: Vec<usize> = current
        .into_iter()
        .filter(|&t| t != NONE)
        .map(|t| t as usize)
        .collect();
    // Best single offer.
    let best = candidates
        .iter()
        .copied()
        .max_by(|&a, &b| offers[a].gain.total_cmp(&offers[b].gain).then(b.cmp(&a)));
    let mut best_single_used = false;
    if let Some(b) = best
        && offers[b].gain > gain
    {
        best_single_used = true;
        chosen = vec![b];
        spend = offers[b].cost;
        gain = offers[b].gain;
        curve = vec![MarginalStep {
            customer: offers[b].customer,
            cost: offers[b].cost,
            gain: offers[b].gain,
            marginal_roi: offers[b].roi(),
            cumulative_spend: spend,
            cumulative_gain: gain,
        }];
    }
    let mut a = empty(budget);
    a.chosen = chosen_rows(offers, chosen);
    a.spend = spend;
    a.gain = gain;
    a.curve = curve;
    a.best_single_used = best_single_used;
    a
}

fn chosen_rows(offers: &[RetentionOffer], mut chosen: Vec<usize>) -> Vec<ChosenOffer> {
    chosen.sort_by_key(|&i| (offers[i].customer, i));
    chosen
        .into_iter()
        .map(|i| ChosenOffer {
            offer: i,
            customer: offers[i].customer,
            cost: offers[i].cost,
            gain: offers[i].gain,
            roi: offers[i].roi(),
        })
        .collect()
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

/// Per-customer choice tables, 1 or 2 bytes per cell.
struct Choices {
    bytes: usize,
    width: usize,
    data: Vec<u8>,
}

impl Choices {
    fn get(&self, row: usize, w: usize) -> usize {
        let at = (row * self.width + w) * self.bytes;
        if self.bytes == 1 {
            self.data[at] as usize
        } else {
            u16::from_le_bytes([self.data[at], self.data[at + 1]]) as usize
        }
    }
}

/// One DP row: `next[w] = max(prev[w], max_j prev[w - c_j] + g_j)`; records the
/// choice (0 = none, j + 1 = offer j of the group) when `choice` is given. The first
/// offer is fused with the copy of `prev`, so a one-offer customer costs one pass.
fn dp_row(
    prev: &[f64],
    next: &mut [f64],
    group: &[(usize, f64)],
    mut choice: Option<(&mut [u8], usize)>,
) {
    let width = prev.len();
    let mut first = true;
    for (j, &(cost, gain)) in group.iter().enumerate() {
        if cost >= width {
            continue;
        }
        let tag = (j + 1) as u16;
        if first {
            first = false;
            next[..cost].copy_from_slice(&prev[..cost]);
            let shifted = &prev[..width - cost];
            match choice.as_mut() {
                None => {
                    for ((n, &keep), &p) in next[cost..].iter_mut().zip(&prev[cost..]).zip(shifted)
                    {
                        let cand = p + gain;
                        *n = if cand > keep { cand } else { keep };
                    }
                }
                Some((c, 1)) => {
                    c[..cost].fill(0);
                    for (((n, t), &keep), &p) in next[cost..]
                        .iter_mut()
                        .zip(c[cost..].iter_mut())
                        .zip(&prev[cost..])
                        .zip(shifted)
                    {
                        let cand = p + gain;
                        let take = cand > keep;
                        *n = if take { cand } else { keep };
                        *t = u8::from(take) * (tag as u8);
                    }
                }
                Some((c, _)) => {
                    c.fill(0);
                    for w in cost..width {
                        let cand = prev[w - cost] + gain;
                        if cand > prev[w] {
                            next[w] = cand;
                            let b = tag.to_le_bytes();
                            c[2 * w] = b[0];
                            c[2 * w + 1] = b[1];
                        } else {
                            next[w] = prev[w];
                        }
                    }
                }
            }
            continue;
        }
        match choice.as_mut() {
            None => {
                for (n, &p) in next[cost..].iter_mut().zip(&prev[..width - cost]) {
                    let cand = p + gain;
                    if cand > *n {
                        *n = cand;
                    }
                }
            }
            Some((c, bytes)) => {
                let bytes = *bytes;
                for (w, &p) in (cost..width).zip(&prev[..width - cost]) {
                    let cand = p + gain;
                    if cand > next[w] {
                        next[w] = cand;
                        if bytes == 1 {
                            c[w] = tag as u8;
                        } else {
                            let b = tag.to_le_bytes();
                            c[2 * w] = b[0];
                            c[2 * w + 1] = b[1];
                        }
                    }
                }
            }
        }
    }
    if first {
        // No offer fits: the row is the previous one, with no choices.
        next.copy_from_slice(prev);
        if let Some((c, _)) = choice.as_mut() {
            c.fill(0);
        }
    }
}

/// The exact multiple-choice knapsack on `candidates` with costs `cents` and a budget
/// of `budget_cents`: the chosen offers and the peak memory in bytes.
fn dp_solve(
    offers: &[RetentionOffer],
    candidates: &[usize],
    cents: &[u64],
    budget_cents: u64,
    memory_limit: usize,
) -> Result<(Vec<usize>, usize)> {
    let unit = candidates
        .iter()
        .map(|&i| cents[i])
        .filter(|&c| c > 0)
        .fold(0u64, gcd)
        .max(1);
    let groups = Groups::new(offers, candidates);
    if groups.len() == 0 {
        return Ok((Vec::new(), 0));
    }
    let cap = (budget_cents / unit) as usize;
    let width = cap + 1;
    let max_offers = groups.max_len().max(1);
    if max_offers > u16::MAX as usize - 1 {
        return Err(Error::LimitExceeded {
            what: "exact knapsack offers per customer".into(),
            limit: u16::MAX as usize - 1,
            got: max_offers,
            suggestion: "use AllocationMethod::Greedy".into(),
        });
    }
    let bytes = if max_offers <= 255 { 1 } else { 2 };
    let m = groups.len();
    // Peak memory for block size k: checkpoints ceil(m/k) rows of f64, k choice rows,
    // two working rows.
    let peak = |k: usize| -> Option<usize> {
        let rows = m.div_ceil(k);
        let f = rows.checked_add(2)?.checked_mul(width)?.checked_mul(8)?;
        let c = k.checked_mul(width)?.checked_mul(bytes)?;
        f.checked_add(c)
    };
    let block = if peak(m).is_some_and(|p| p <= memory_limit) {
        m
    } else {
        let k0 = ((8.0 * m as f64 / bytes as f64).sqrt().round() as usize).clamp(1, m);
        let best = [k0.saturating_sub(1).max(1), k0, (k0 + 1).min(m)]
            .into_iter()
            .min_by_key(|&k| peak(k).unwrap_or(usize::MAX))
            .unwrap_or(k0);
        match peak(best) {
            Some(p) if p <= memory_limit => best,
            p => {
                return Err(Error::LimitExceeded {
                    what: format!(
                        "exact knapsack memory in bytes ({m} customers x {width} budget units of {unit} cent(s))"
                    ),
                    limit: memory_limit,
                    got: p.unwrap_or(usize::MAX),
                    suggestion: "use AllocationMethod::Greedy, raise memory_limit, or round costs to coarser units"
                        .into(),
                });
            }
        }
    };
    let items: Vec<Vec<(usize, f64)>> = (0..m)
        .map(|g| {
            groups
                .get(g)
                .iter()
                .map(|&i| ((cents[i] / unit) as usize, offers[i].gain))
                .collect()
        })
        .collect();
    let n_blocks = m.div_ceil(block);
    let mut checkpoints: Vec<Vec<f64>> = Vec::with_capacity(n_blocks);
    let mut prev = vec![0.0; width];
    let mut next = vec![0.0; width];
    let mut choices = Choices {
        bytes,
        width,
        data: Vec::new(),
    };
    if n_blocks == 1 {
        choices.data = vec![0u8; m * width * bytes];
        for (g, grp) in items.iter().enumerate() {
            let row = &mut choices.data[g * width * bytes..(g + 1) * width * bytes];
            dp_row(&prev, &mut next, grp, Some((row, bytes)));
            std::mem::swap(&mut prev, &mut next);
        }
    } else {
        for (g, grp) in items.iter().enumerate() {
            if g % block == 0 {
                checkpoints.push(prev.clone());
            }
            dp_row(&prev, &mut next, grp, None);
            std::mem::swap(&mut prev, &mut next);
        }
        choices.data = vec![0u8; block * width * bytes];
    }
    // Backward pass.
    let mut w = cap;
    let mut picked: Vec<usize> = Vec::new();
    for b in (0..n_blocks).rev() {
        let start = b * block;
        let end = ((b + 1) * block).min(m);
        let base = if n_blocks == 1 {
            0
        } else {
            let mut p = checkpoints[b].clone();
            for (r, grp) in items[start..end].iter().enumerate() {
                let row = &mut choices.data[r * width * bytes..(r + 1) * width * bytes];
                dp_row(&p, &mut next, grp, Some((row, bytes)));
                std::mem::swap(&mut p, &mut next);
            }
            start
        };
        for g in (start..end).rev() {
            let tag = choices.get(g - base, w);
            if tag > 0 {
                let (cost, _) = items[g][tag - 1];
                picked.push(groups.get(g)[tag - 1]);
                w -= cost;
            }
        }
    }
    Ok((picked, peak(block).unwrap_or(usize::MAX)))
}

/// The outcome of the reduction: offers fixed into every optimal solution, their cost,
/// and the offers left for the dynamic programme.
struct Reduced {
    fixed: Vec<usize>,
    fixed_cents: u64,
    kept: Vec<usize>,
}

/// Variable fixing before the dynamic programme (Dembo & Hammer 1980, extended to one
/// offer per customer). With `λ` the ROI of the critical increment of the LP relaxation,
/// `U = λ·B + Σ_customers max(0, max_k (g_k - λ·c_k))` bounds every solution (weak
/// Lagrangian duality), and forcing customer `i` to take offer `k` (or none) lowers the
/// bound to `U - M_i + (g_k - λ·c_k)` (or `U - M_i`), with `M_i` the customer's term. Any
/// choice whose bound is below the greedy solution's gain is in no optimal solution:
/// such offers are dropped, and a customer left with one offer that it must take is
/// fixed. `None` when nothing can be fixed or the bounds are numerically unsafe.
fn reduction(
    offers: &[RetentionOffer],
    candidates: &[usize],
    budget: f64,
    cents: &[u64],
    budget_cents: u64,
) -> Option<Reduced> {
    let groups = Groups::new(offers, candidates);
    let incs = hull_increments(offers, &groups);
    let lower = greedy_fill(offers, candidates, &groups, &incs, budget).gain;
    // λ: ROI of the first increment that does not fit (0 when everything fits).
    let mut remaining = budget;
    let mut lambda = 0.0;
    for x in &incs {
        let (c, g) = step(offers, x.from, x.to);
        if c <= remaining {
            remaining -= c;
        } else {
            lambda = if c > 0.0 { g / c } else { 0.0 };
            break;
        }
    }
    let term = |i: usize| offers[i].gain - lambda * offers[i].cost;
    let best_terms: Vec<f64> = (0..groups.len())
        .map(|g| groups.get(g).iter().map(|&i| term(i)).fold(0.0, f64::max))
        .collect();
    let upper = lambda * budget + best_terms.iter().sum::<f64>();
    if !upper.is_finite() {
        return None;
    }
    let tol = 1e-9 * upper.abs().max(1.0);
    let cut = lower - tol;
    let mut fixed = Vec::new();
    let mut kept = Vec::new();
    for (g, &m) in best_terms.iter().enumerate() {
        let base = upper - m;
        let keep: Vec<usize> = groups
            .get(g)
            .iter()
            .copied()
            .filter(|&i| base + term(i) >= cut)
            .collect();
        let must_take = base < cut;
        match (must_take, keep.as_slice()) {
            (true, []) => return None, // contradicts the bound: do not trust it
            (true, [only]) => fixed.push(*only),
            _ => kept.extend(keep),
        }
    }
    if fixed.is_empty() && kept.len() == candidates.len() {
        return None;
    }
    let fixed_cents: u64 = fixed.iter().map(|&i| cents[i]).sum();
    if fixed_cents > budget_cents {
        return None;
    }
    kept.sort_unstable();
    Some(Reduced {
        fixed,
        fixed_cents,
        kept,
    })
}

fn exact(
    offers: &[RetentionOffer],
    candidates: &[usize],
    budget: f64,
    memory_limit: usize,
    reduce: bool,
) -> Result<Allocation> {
    // Costs in whole cents.
    let mut cents: Vec<u64> = vec![0; offers.len()];
    for &i in candidates {
        let c = offers[i].cost * 100.0;
        let r = c.round();
        if (c - r).abs() > 1e-6 || r > 9.0e15 {
            return Err(Error::InvalidValue {
                what: "offer cost for the exact method".into(),
                location: format!("offer {i} (customer {})", offers[i].customer),
                value: offers[i].cost,
                expected: "a whole number of cents (use the greedy method otherwise)".into(),
            });
        }
        cents[i] = r as u64;
    }
    let budget_cents = (budget * 100.0 + 1e-6).floor();
    if budget_cents > 9.0e15 {
        return Err(Error::LimitExceeded {
            what: "exact knapsack budget in cents".into(),
            limit: 9_000_000_000_000_000,
            got: usize::MAX,
            suggestion: "use AllocationMethod::Greedy".into(),
        });
    }
    let mut budget_cents = budget_cents as u64;
    // Whole-cent spends must convert back to at most `budget` (correctly rounded
    // division is monotone, so checking the largest is enough).
    while budget_cents > 0 && budget_cents as f64 / 100.0 > budget {
        budget_cents -= 1;
    }
    let (mut picked, dp_offers, memory) = match reduce
        .then(|| reduction(offers, candidates, budget, &cents, budget_cents))
        .flatten()
    {
        Some(r) => {
            let (mut picked, memory) = dp_solve(
                offers,
                &r.kept,
                &cents,
                budget_cents - r.fixed_cents,
                memory_limit,
            )?;
            picked.extend_from_slice(&r.fixed);
            (picked, r.kept.len(), memory)
        }
        None => {
            let (picked, memory) =
                dp_solve(offers, candidates, &cents, budget_cents, memory_limit)?;
            (picked, candidates.len(), memory)
        }
    };
    picked.sort_unstable();
    // Marginal curve: chosen offers by ROI, descending.
    let mut order = picked.clone();
    order.sort_by(|&a, &b| {
        let ka = offers[a].roi().unwrap_or(f64::INFINITY);
        let kb = offers[b].roi().unwrap_or(f64::INFINITY);
        kb.total_cmp(&ka).then(a.cmp(&b))
    });
    let mut spend = 0.0;
    let mut gain = 0.0;
    let mut curve = Vec::with_capacity(order.len());
    for &i in &order {
        spend += offers[i].cost;
        gain += offers[i].gain;
        curve.push(MarginalStep {
            customer: offers[i].customer,
            cost: offers[i].cost,
            gain: offers[i].gain,
            marginal_roi: offers[i].roi(),
            cumulative_spend: spend,
            cumulative_gain: gain,
        });
    }
    let spent_cents: u64 = picked.iter().map(|&i| cents[i]).sum();
    let mut a = empty(budget);
    a.chosen = chosen_rows(offers, picked);
    a.spend = spent_cents as f64 / 100.0;
    a.gain = gain;
    a.curve = curve;
    a.memory_bytes = Some(memory);
    a.dp_offers = Some(dp_offers);
    Ok(a)
}

impl Allocation {
    /// The options used.
    pub fn options(&self) -> &BudgetAllocator {
        &self.options
    }

    /// The total budget.
    #[must_use]
    pub fn budget(&self) -> f64 {
        self.budget
    }

    /// Offers given.
    #[must_use]
    pub fn offers(&self) -> usize {
        self.offers
    }

    /// Offers with positive gain and cost within the budget.
    #[must_use]
    pub fn candidates(&self) -> usize {
        self.candidates
    }

    /// The chosen offers, by customer.
    #[must_use]
    pub fn chosen(&self) -> &[ChosenOffer] {
        &self.chosen
    }

    /// The customers who get an offer, ascending.
    #[must_use]
    pub fn customers(&self) -> Vec<usize> {
        self.chosen.iter().map(|c| c.customer).collect()
    }

    /// Total cost of the chosen offers (never above the budget).
    #[must_use]
    pub fn spend(&self) -> f64 {
        self.spend
    }

    /// Total expected net gain.
    #[must_use]
    pub fn gain(&self) -> f64 {
        self.gain
    }

    /// `gain / spend`; `None` when nothing is spent.
    #[must_use]
    pub fn roi(&self) -> Option<f64> {
        (self.spend > 0.0).then(|| self.gain / self.spend)
    }

    /// The marginal ROI curve: steps in the order budget is spent (greedy: its order of
    /// incremental ROI; exact: the chosen offers by ROI).
    #[must_use]
    pub fn marginal_curve(&self) -> &[MarginalStep] {
        &self.curve
    }

    /// Greedy only: whether the best single offer beat the greedy fill.
    #[must_use]
    pub fn best_single_used(&self) -> bool {
        self.best_single_used
    }

    /// Exact only: the peak memory of the dynamic programme in bytes.
    #[must_use]
    pub fn memory_bytes(&self) -> Option<usize> {
        self.memory_bytes
    }

    /// Exact only: offers left for the dynamic programme after the reduction (all
    /// candidates without it).
    #[must_use]
    pub fn dp_offers(&self) -> Option<usize> {
        self.dp_offers
    }
}

impl fmt::Display for Allocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Retention budget allocation: {}", self.options.method)?;
        writeln!(f, "  budget                {:>16.2}", self.budget)?;
        writeln!(
            f,
            "  offers / candidates   {:>9} / {:>4}",
            self.offers, self.candidates
        )?;
        writeln!(f, "  customers chosen      {:>16}", self.chosen.len())?;
        writeln!(f, "  spend                 {:>16.2}", self.spend)?;
        writeln!(f, "  expected net gain     {:>16.2}", self.gain)?;
        if let Some(r) = self.roi() {
            writeln!(f, "  ROI                   {r:>16.4}")?;
        }
        if self.best_single_used {
            writeln!(f, "  (the best single offer beat the greedy fill)")?;
        }
        if let Some(m) = self.memory_bytes {
            writeln!(f, "  DP peak memory        {:>16} bytes", m)?;
        }
        if let Some(d) = self.dp_offers {
            writeln!(f, "  offers left for DP    {d:>16}")?;
        }
        let show = self.curve.len().min(15);
        if show > 0 {
            writeln!(
                f,
                "  Marginal ROI curve (first {show} of {} steps)",
                self.curve.len()
            )?;
            writeln!(
                f,
                "  {:>10} {:>10} {:>10} {:>10} {:>14} {:>14}",
                "customer", "cost", "gain", "ROI", "cum. spend", "cum. gain"
            )?;
            for s in &self.curve[..show] {
                writeln!(
                    f,
                    "  {:>10} {:>10.2} {:>10.2} {:>10} {:>14.2} {:>14.2}",
                    s.customer,
                    s.cost,
                    s.gain,
                    s.marginal_roi
                        .map_or_else(|| "free".into(), |r| format!("{r:.4}")),
                    s.cumulative_spend,
                    s.cumulative_gain
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn two_byte_choices_for_many_offers() {
        // One customer with 300 offers (cost k cents, gain k·(1 + (k mod 7)/10)), one
        // with a single offer; budget 3.50 (all 300 offers are candidates: 2-byte choices). The best is the single largest gain among
        // pairs that fit: brute force over (offer of customer 0 or none) x (offer 1 or not).
        let mut offers: Vec<RetentionOffer> = (1..=300)
            .map(|k| {
                let c = f64::from(k) / 100.0;
                RetentionOffer::new(0, c, c * (1.0 + f64::from(k % 7) / 10.0)).unwrap()
            })
            .collect();
        offers.push(RetentionOffer::new(1, 1.0, 1.05).unwrap());
        let budget = 3.5;
        let mut best = 0.0f64;
        for o in &offers[..300] {
            if o.cost() <= budget {
                best = best.max(o.gain());
            }
            if o.cost() + 1.0 <= budget + 1e-12 {
                best = best.max(o.gain() + 1.05);
            }
        }
        for reduce in [false, true] {
            let a = BudgetAllocator::new()
                .method(AllocationMethod::Exact)
                .reduce(reduce)
                .allocate(&offers, budget)
                .unwrap();
            assert!((a.gain() - best).abs() < 1e-9, "{} vs {best}", a.gain());
            assert!(a.spend() <= budget);
        }
    }
}
