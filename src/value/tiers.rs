//! VIP tiers, the customer pyramid and group (corporate) customer value.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// One row of a tier table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TierRow {
    /// Tier name.
    pub tier: String,
    /// Customers in the tier.
    pub customers: usize,
    /// Share of all customers.
    pub customer_share: f64,
    /// Share of the total value (or revenue, when given).
    pub value_share: f64,
    /// Mean value in the tier (`None` when empty).
    pub mean_value: Option<f64>,
}

fn tier_rows(names: &[String], tier_of: &[usize], value: &[f64]) -> Vec<TierRow> {
    let k = names.len();
    let mut counts = vec![0usize; k];
    let mut sums = vec![0.0; k];
    for (&t, &v) in tier_of.iter().zip(value) {
        counts[t] += 1;
        sums[t] += v;
    }
    let n = tier_of.len() as f64;
    let total: f64 = sums.iter().sum();
    (0..k)
        .map(|t| TierRow {
            tier: names[t].clone(),
            customers: counts[t],
            customer_share: counts[t] as f64 / n,
            value_share: if total > 0.0 { sums[t] / total } else { 0.0 },
            mean_value: (counts[t] > 0).then(|| sums[t] / counts[t] as f64),
        })
        .collect()
}

fn write_rows(f: &mut fmt::Formatter<'_>, rows: &[TierRow]) -> fmt::Result {
    writeln!(f, "{:<12} {:>10} {:>8} {:>8} {:>12}", "tier", "customers", "share", "value", "mean")?;
    for r in rows {
        writeln!(
            f,
            "{:<12} {:>10} {:>7.1}% {:>7.1}% {:>12}",
            r.tier,
            r.customers,
            100.0 * r.customer_share,
            100.0 * r.value_share,
            r.mean_value.map_or_else(|| "-".into(), |m| format!("{m:.2}"))
        )?;
    }
    Ok(())
}

fn check_values(what: &str, v: &[f64]) -> Result<()> {
    if v.is_empty() {
        return Err(Error::Empty { what: what.into() });
    }
    crate::validate::slice_finite(what, v)
}

/// VIP tiers by ARPU (or any value) thresholds: the operator's rule, as a parameter.
///
/// A customer belongs to the highest tier whose threshold it reaches (value ≥
/// threshold); customers below every threshold are in `"mass"`.
///
/// # Example
///
/// ```
/// use crm_analytics::value::VipTiers;
///
/// let tiers = VipTiers::new(&[("gold", 200.0), ("diamond", 500.0), ("silver", 100.0)])?;
/// let fit = tiers.classify(&[600.0, 250.0, 120.0, 30.0], None)?;
/// assert_eq!(fit.tiers(), &["diamond", "gold", "silver", "mass"]);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VipTiers {
    tiers: Vec<(String, f64)>,
}

impl VipTiers {
    /// Tiers from `(name, threshold)` pairs in any order.
    ///
    /// # Errors
    /// [`Error::Empty`]; [`Error::NonFiniteAt`] for a non-finite threshold;
    /// [`Error::DuplicateName`] for a repeated name or `"mass"`; [`Error::InvalidInput`]
    /// for two equal thresholds.
    pub fn new(tiers: &[(&str, f64)]) -> Result<Self> {
        if tiers.is_empty() {
            return Err(Error::Empty {
                what: "VIP tiers".into(),
            });
        }
        let mut t: Vec<(String, f64)> = Vec::with_capacity(tiers.len());
        for (i, (name, th)) in tiers.iter().enumerate() {
            if !th.is_finite() {
                return Err(Error::NonFiniteAt {
                    what: "VIP tier threshold".into(),
                    index: i,
                    value: *th,
                });
            }
            if *name == "mass" || t.iter().any(|(n, _)| n == name) {
                return Err(Error::DuplicateName {
                    what: "VIP tier".into(),
                    name: (*name).into(),
                });
            }
            t.push(((*name).into(), *th));
        }
        t.sort_by(|a, b| b.1.total_cmp(&a.1));
        if t.windows(2).any(|w| !(w[0].1 > w[1].1)) {
            return Err(Error::input("VIP tiers", "two tiers have the same threshold"));
        }
        Ok(VipTiers { tiers: t })
    }

    /// The tiers, highest threshold first.
    #[must_use]
    pub fn tiers(&self) -> &[(String, f64)] {
        &self.tiers
    }

    /// Classify customers by `value`; shares use `revenue` when given, else `value`.
    ///
    /// # Errors
    /// [`Error::Empty`]; [`Error::NonFiniteAt`]; [`Error::DimensionMismatch`].
    pub fn classify(&self, value: &[f64], revenue: Option<&[f64]>) -> Result<TierFit> {
        check_values("tier value", value)?;
        let share_base = match revenue {
            Some(r) => {
                crate::validate::same_len("revenue", value.len(), r.len())?;
                super::matrix::check_revenue(r)?;
                r
            }
            None => value,
        };
        let k = self.tiers.len();
        let tier_of: Vec<usize> = value
            .iter()
            .map(|v| self.tiers.iter().position(|(_, t)| v >= t).unwrap_or(k))
            .collect();
        let mut names: Vec<String> = self.tiers.iter().map(|(n, _)| n.clone()).collect();
        names.push("mass".into());
        let rows = tier_rows(&names, &tier_of, share_base);
        Ok(TierFit {
            tiers: tier_of.iter().map(|&t| names[t].clone()).collect(),
            rows,
        })
    }
}

/// Customers assigned to named tiers, with the tier table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct TierFit {
    tiers: Vec<String>,
    rows: Vec<TierRow>,
}

impl TierFit {
    /// The tier of each customer.
    #[must_use]
    pub fn tiers(&self) -> &[String] {
        &self.tiers
    }
    /// One row per tier, highest first.
    #[must_use]
    pub fn rows(&self) -> &[TierRow] {
        &self.rows
    }
}

impl fmt::Display for TierFit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_rows(f, &self.rows)
    }
}

/// A tier of the customer pyramid (Zeithaml, Rust & Lemon 2001).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PyramidTier {
    /// Most profitable: heaviest users, low price sensitivity.
    Platinum,
    /// Profitable, but more price sensitive.
    Gold,
    /// Volume, low margin.
    Iron,
    /// Costs more than it brings.
    Lead,
}

impl PyramidTier {
    /// The four tiers, top first.
    pub const ALL: [PyramidTier; 4] = [
        PyramidTier::Platinum,
        PyramidTier::Gold,
        PyramidTier::Iron,
        PyramidTier::Lead,
    ];
}

impl fmt::Display for PyramidTier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            PyramidTier::Platinum => "platinum",
            PyramidTier::Gold => "gold",
            PyramidTier::Iron => "iron",
            PyramidTier::Lead => "lead",
        })
    }
}

/// The customer pyramid by value rank.
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `shares` | (0.05, 0.15, 0.30) | shares of platinum, gold, iron; lead is the rest | each in (0, 1), sum < 1 |
///
/// Customers are ranked by value, highest first (stable, so equal values keep input
/// order); the first `⌈0.05 n⌉` are platinum, up to `⌈0.20 n⌉` gold, up to `⌈0.50 n⌉`
/// iron, the rest lead. Ties go up: customers with the same value as a customer of a
/// higher tier share that tier.
///
/// # Example
///
/// ```
/// use crm_analytics::value::{CustomerPyramid, PyramidTier};
///
/// let v: Vec<f64> = (1..=20).map(f64::from).collect();
/// let fit = CustomerPyramid::new().classify(&v, None)?;
/// assert_eq!(fit.tiers()[19], PyramidTier::Platinum); // value 20, top 5% of 20
/// assert_eq!(fit.tiers()[0], PyramidTier::Lead);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// - Zeithaml, V. A., Rust, R. T. & Lemon, K. N. (2001). The customer pyramid: creating
///   and serving profitable customers. *California Management Review* 43(4), 118-142.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CustomerPyramid {
    shares: [f64; 3],
}

impl Default for CustomerPyramid {
    fn default() -> Self {
        CustomerPyramid {
            shares: [0.05, 0.15, 0.30],
        }
    }
}

impl CustomerPyramid {
    /// The default 5% / 15% / 30% / 50% pyramid.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }
    /// Shares of platinum, gold and iron (lead is the rest).
    ///
    /// # Errors
    /// `classify` rejects shares outside (0, 1) or summing to 1 or more.
    #[must_use]
    pub fn shares(mut self, platinum: f64, gold: f64, iron: f64) -> Self {
        self.shares = [platinum, gold, iron];
        self
    }
    /// The shares of platinum, gold and iron.
    #[must_use]
    pub fn get_shares(&self) -> [f64; 3] {
        self.shares
    }

    /// Assign tiers; shares use `revenue` when given, else `value`.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for bad shares; [`Error::Empty`]; [`Error::NonFiniteAt`];
    /// [`Error::DimensionMismatch`].
    pub fn classify(&self, value: &[f64], revenue: Option<&[f64]>) -> Result<PyramidFit> {
        for (name, s) in ["platinum share", "gold share", "iron share"].iter().zip(self.shares) {
            crate::validate::open_unit(name, s)?;
        }
        let total: f64 = self.shares.iter().sum();
        if !(total < 1.0) {
            return Err(Error::option("shares", total, "summing to less than 1"));
        }
        check_values("pyramid value", value)?;
        let base = match revenue {
            Some(r) => {
                crate::validate::same_len("revenue", value.len(), r.len())?;
                super::matrix::check_revenue(r)?;
                r
            }
            None => value,
        };
        let n = value.len();
        let mut idx: Vec<usize> = (0..n).collect();
        idx.sort_by(|&a, &b| value[b].total_cmp(&value[a]));
        let c1 = (self.shares[0] * n as f64).ceil() as usize;
        let c2 = ((self.shares[0] + self.shares[1]) * n as f64).ceil() as usize;
        let c3 = (total * n as f64).ceil() as usize;
        let mut tier_of = vec![3usize; n];
        let mut prev: Option<(f64, usize)> = None;
        for (r, &i) in idx.iter().enumerate() {
            let mut t = if r < c1 {
                0
            } else if r < c2 {
                1
            } else if r < c3 {
                2
            } else {
                3
            };
            if let Some((v, pt)) = prev
                && v.total_cmp(&value[i]).is_eq()
            {
                t = pt; // ties go up
            }
            tier_of[i] = t;
            prev = Some((value[i], t));
        }
        let names: Vec<String> = PyramidTier::ALL.iter().map(ToString::to_string).collect();
        let rows = tier_rows(&names, &tier_of, base);
        Ok(PyramidFit {
            tiers: tier_of.iter().map(|&t| PyramidTier::ALL[t]).collect(),
            rows,
        })
    }
}

/// The customer pyramid.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct PyramidFit {
    tiers: Vec<PyramidTier>,
    rows: Vec<TierRow>,
}

impl PyramidFit {
    /// The tier of each customer.
    #[must_use]
    pub fn tiers(&self) -> &[PyramidTier] {
        &self.tiers
    }
    /// One row per tier, platinum first.
    #[must_use]
    pub fn rows(&self) -> &[TierRow] {
        &self.rows
    }
}

impl fmt::Display for PyramidFit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "customer pyramid")?;
        write_rows(f, &self.rows)
    }
}

/// Group (集团, corporate) customer value.
///
/// Our transparent default (MODELS.md §3.5): group value = group-level product revenue
/// plus Σ members' individual value plus `influence_weight` × members × mean member
/// influence (influence term off by default). Share of total = group value / (Σ every
/// customer's individual value + Σ group-level revenue).
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `influence_weight` | 0 | weight of the influence term | finite, ≥ 0 |
///
/// # Example
///
/// ```
/// use crm_analytics::value::GroupValue;
///
/// // customers 0, 1 in group 0; customer 2 in group 1; customer 3 in none
/// let groups = [Some(0), Some(0), Some(1), None];
/// let value = [10.0, 20.0, 5.0, 15.0];
/// let fit = GroupValue::new().evaluate(&groups, &value, None, &[50.0, 0.0])?;
/// assert_eq!(fit.rows()[0].value, 80.0);
/// assert!((fit.rows()[0].share_of_total - 0.8).abs() < 1e-12);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct GroupValue {
    influence_weight: f64,
}

/// One group's value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct GroupRow {
    /// Group index.
    pub group: usize,
    /// Members.
    pub members: usize,
    /// Σ members' individual value.
    pub member_value: f64,
    /// Group-level product revenue.
    pub group_revenue: f64,
    /// Influence term.
    pub influence: f64,
    /// Group value.
    pub value: f64,
    /// Share of the total.
    pub share_of_total: f64,
}

impl GroupValue {
    /// No influence term.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }
    /// Weight of the influence term.
    ///
    /// # Errors
    /// `evaluate` rejects a negative or non-finite weight.
    #[must_use]
    pub fn influence_weight(mut self, w: f64) -> Self {
        self.influence_weight = w;
        self
    }
    /// The influence weight.
    #[must_use]
    pub fn get_influence_weight(&self) -> f64 {
        self.influence_weight
    }

    /// Value of each group. `member_group[i]` is customer `i`'s group (index into
    /// `group_revenue`) or `None`.
    ///
    /// # Errors
    /// [`Error::InvalidOption`]; [`Error::Empty`]; [`Error::DimensionMismatch`];
    /// [`Error::NonFiniteAt`]; [`Error::InvalidValue`] for a group index out of range.
    pub fn evaluate(
        &self,
        member_group: &[Option<usize>],
        member_value: &[f64],
        member_influence: Option<&[f64]>,
        group_revenue: &[f64],
    ) -> Result<GroupValueFit> {
        crate::validate::non_negative("influence_weight", self.influence_weight)?;
        check_values("member value", member_value)?;
        crate::validate::same_len("member groups", member_value.len(), member_group.len())?;
        if group_revenue.is_empty() {
            return Err(Error::Empty {
                what: "group revenue".into(),
            });
        }
        crate::validate::slice_finite("group revenue", group_revenue)?;
        if let Some(inf) = member_influence {
            crate::validate::same_len("member influence", member_value.len(), inf.len())?;
            crate::validate::slice_finite("member influence", inf)?;
        }
        let g = group_revenue.len();
        let mut members = vec![0usize; g];
        let mut mv = vec![0.0; g];
        let mut infl = vec![0.0; g];
        for (i, grp) in member_group.iter().enumerate() {
            if let Some(k) = *grp {
                if k >= g {
                    return Err(Error::InvalidValue {
                        what: "group index".into(),
                        location: format!("customer {i}"),
                        value: k as f64,
                        expected: format!("< {g} (the number of groups)"),
                    });
                }
                members[k] += 1;
                mv[k] += member_value[i];
                if let Some(inf) = member_influence {
                    infl[k] += inf[i];
                }
            }
        }
        let total: f64 = member_value.iter().sum::<f64>() + group_revenue.iter().sum::<f64>();
        let rows: Vec<GroupRow> = (0..g)
            .map(|k| {
                // members × mean influence = Σ influence
                let influence = self.influence_weight * infl[k];
                let value = group_revenue[k] + mv[k] + influence;
                GroupRow {
                    group: k,
                    members: members[k],
                    member_value: mv[k],
                    group_revenue: group_revenue[k],
                    influence,
                    value,
                    share_of_total: if total.abs() > 0.0 { value / total } else { 0.0 },
                }
            })
            .collect();
        Ok(GroupValueFit { rows, total })
    }
}

/// Group values.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct GroupValueFit {
    rows: Vec<GroupRow>,
    total: f64,
}

impl GroupValueFit {
    /// One row per group.
    #[must_use]
    pub fn rows(&self) -> &[GroupRow] {
        &self.rows
    }
    /// The total the shares refer to.
    #[must_use]
    pub fn total(&self) -> f64 {
        self.total
    }
}

impl fmt::Display for GroupValueFit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:>6} {:>8} {:>12} {:>12} {:>10} {:>12} {:>7}",
            "group", "members", "members val", "group rev", "influence", "value", "share"
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "{:>6} {:>8} {:>12.2} {:>12.2} {:>10.2} {:>12.2} {:>6.1}%",
                r.group,
                r.members,
                r.member_value,
                r.group_revenue,
                r.influence,
                r.value,
                100.0 * r.share_of_total
            )?;
        }
        Ok(())
    }
}
