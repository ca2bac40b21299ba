//! Revenue concentration: Lorenz curve, Gini, top shares, the Pareto point.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::{Error, Result};

/// The concentration of a non-negative quantity (revenue, value) over customers.
///
/// Built from the values by sorting (O(n log n); exact Gini and quantiles need sorted
/// data, so there is no mergeable state for them). Keeps the sorted values and the
/// Lorenz curve.
///
/// # Formula
///
/// ```text
/// x_(1) ≤ ... ≤ x_(n);  L(k/n) = Σ_{i≤k} x_(i) / Σx,  L(0) = 0
/// G = 2 Σ_i i·x_(i) / (n Σx) - (n + 1)/n  (= Σ_iΣ_j |x_i - x_j| / (2 n² mean))
/// G_corrected = G·n/(n - 1)                (R ineq::Gini(corr = TRUE))
/// S(q) = 1 - L(1 - q), L linear between the points k/n (top-q share)
/// Pareto point for share s: the smallest q with S(q) ≥ s
/// ```
///
/// # Example
///
/// ```
/// use crm_analytics::value::Concentration;
///
/// // MODELS.md §3.4: G = 0.4 (corrected 0.5), S(0.2) = 0.5, S(0.4) = 0.7.
/// let c = Concentration::new(&[1.0, 2.0, 3.0, 4.0, 10.0])?;
/// assert!((c.gini() - 0.4).abs() < 1e-12);
/// assert!(c.gini_corrected().is_some_and(|v| (v - 0.5).abs() < 1e-12));
/// assert!((c.top_share(0.2)? - 0.5).abs() < 1e-12);
/// assert!((c.pareto_point(0.8)? - 8.0 / 15.0).abs() < 1e-12);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// - Lorenz, M. O. (1905). Methods of measuring the concentration of wealth. *JASA* 9(70).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct Concentration {
    sorted: Vec<f64>,
    lorenz: Vec<f64>,
    total: f64,
    gini: f64,
}

impl Concentration {
    /// The concentration of `values` (one per customer).
    ///
    /// # Errors
    /// [`Error::Empty`] for no values; [`Error::NonFiniteAt`] for NaN/inf;
    /// [`Error::InvalidValue`] for a negative value; [`Error::InvalidInput`] if the
    /// total is zero.
    pub fn new(values: &[f64]) -> Result<Self> {
        if values.is_empty() {
            return Err(Error::Empty {
                what: "values for concentration".into(),
            });
        }
        // One pass: a finite sum has only finite terms; min and max catch negatives and
        // give the sort its key range. The slow path only names the offending value.
        let (total, lo, hi) = values
            .iter()
            .fold((0.0, f64::INFINITY, f64::NEG_INFINITY), |(s, a, b), &v| {
                (s + v, a.min(v), b.max(v))
            });
        if !(total.is_finite() && lo >= 0.0) {
            super::matrix::check_revenue(values).map_err(|e| match e {
                Error::InvalidValue {
                    location, value, ..
                } => Error::InvalidValue {
                    what: "value for concentration".into(),
                    location,
                    value,
                    expected: ">= 0".into(),
                },
                other => other,
            })?;
        }
        if !(total > 0.0) || !total.is_finite() {
            return Err(Error::input(
                "values for concentration",
                "their total is zero (or overflows), so shares are undefined",
            ));
        }
        let (sorted, mut lorenz) = super::sort::sorted_with_spare(values, lo, hi);
        let n = sorted.len();
        // One pass: the Lorenz points and Σ_k cum_k (the total was summed before sorting;
        // it differs from the last cumulative sum by rounding only, and L(1) is set to 1).
        let inv = 1.0 / total;
        lorenz.push(0.0);
        let mut cum = 0.0;
        let mut cum_sum = 0.0;
        for &v in &sorted {
            cum += v;
            cum_sum += cum;
            lorenz.push(cum * inv);
        }
        if let Some(last) = lorenz.last_mut() {
            *last = 1.0;
        }
        // Σ_i i x_(i) = (n + 1) Σx - Σ_k cum_k, so
        // G = 2 Σ i x_(i)/(n Σx) - (n+1)/n = (n + 1 - 2 Σ_k cum_k / Σx)/n.
        let nf = n as f64;
        let gini = ((nf + 1.0 - 2.0 * cum_sum / total) / nf).max(0.0);
        Ok(Concentration {
            sorted,
            lorenz,
            total,
            gini,
        })
    }

    /// Number of customers.
    #[must_use]
    pub fn n(&self) -> usize {
        self.sorted.len()
    }
    /// The total.
    #[must_use]
    pub fn total(&self) -> f64 {
        self.total
    }
    /// The values sorted ascending.
    #[must_use]
    pub fn sorted(&self) -> &[f64] {
        &self.sorted
    }
    /// The Lorenz curve `L(k/n)`, `k = 0..=n` (n + 1 points, from 0 to 1).
    #[must_use]
    pub fn lorenz(&self) -> &[f64] {
        &self.lorenz
    }
    /// The Gini coefficient.
    #[must_use]
    pub fn gini(&self) -> f64 {
        self.gini
    }
    /// The small-sample corrected Gini `G·n/(n - 1)`; `None` for one customer.
    #[must_use]
    pub fn gini_corrected(&self) -> Option<f64> {
        let n = self.n();
        (n >= 2).then(|| self.gini * n as f64 / (n as f64 - 1.0))
    }

    /// `L(p)` for any `p` in [0, 1], linear between the points `k/n`.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for `p` outside [0, 1].
    pub fn lorenz_at(&self, p: f64) -> Result<f64> {
        if !(p.is_finite() && (0.0..=1.0).contains(&p)) {
            return Err(Error::option("p", p, "in [0, 1]"));
        }
        let n = self.n();
        let pos = p * n as f64;
        let k = (pos.floor() as usize).min(n);
        if k == n {
            return Ok(1.0);
        }
        Ok(self.lorenz[k] + (pos - k as f64) * (self.lorenz[k + 1] - self.lorenz[k]))
    }

    /// Share of the total carried by the top fraction `q` of customers, with linear
    /// interpolation inside the boundary customer.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for `q` outside [0, 1].
    pub fn top_share(&self, q: f64) -> Result<f64> {
        if !(q.is_finite() && (0.0..=1.0).contains(&q)) {
            return Err(Error::option("q", q, "in [0, 1]"));
        }
        Ok(1.0 - self.lorenz_at(1.0 - q)?)
    }

    /// The Pareto point: the smallest share of customers (from the top) carrying
    /// `share` of the total (0.8 for the "80/20" reading).
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for `share` outside [0, 1].
    pub fn pareto_point(&self, share: f64) -> Result<f64> {
        if !(share.is_finite() && (0.0..=1.0).contains(&share)) {
            return Err(Error::option("share", share, "in [0, 1]"));
        }
        let n = self.n();
        let target = 1.0 - share;
        // largest k with L(k/n) <= target
        let k = self
            .lorenz
            .partition_point(|&l| l <= target)
            .saturating_sub(1);
        if k >= n {
            return Ok(0.0);
        }
        let (a, b) = (self.lorenz[k], self.lorenz[k + 1]);
        let frac = if b > a { (target - a) / (b - a) } else { 0.0 };
        Ok((1.0 - (k as f64 + frac) / n as f64).clamp(0.0, 1.0))
    }

    /// The summary numbers.
    pub fn report(&self) -> ConcentrationReport {
        ConcentrationReport {
            n: self.n(),
            total: self.total,
            gini: self.gini,
            gini_corrected: self.gini_corrected(),
            top_10: self.top_share(0.1).unwrap_or(f64::NAN),
            top_20: self.top_share(0.2).unwrap_or(f64::NAN),
            pareto_80: self.pareto_point(0.8).unwrap_or(f64::NAN),
        }
    }
}

/// The headline numbers of a [`Concentration`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ConcentrationReport {
    /// Customers.
    pub n: usize,
    /// Total.
    pub total: f64,
    /// Gini.
    pub gini: f64,
    /// Small-sample corrected Gini (`None` for n = 1).
    pub gini_corrected: Option<f64>,
    /// Share of the top 10% of customers.
    pub top_10: f64,
    /// Share of the top 20% of customers.
    pub top_20: f64,
    /// Smallest share of customers carrying 80% of the total.
    pub pareto_80: f64,
}

impl fmt::Display for ConcentrationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "customers            {:>12}", self.n)?;
        writeln!(f, "total                {:>12.2}", self.total)?;
        writeln!(f, "Gini                 {:>12.4}", self.gini)?;
        if let Some(g) = self.gini_corrected {
            writeln!(f, "Gini (n/(n-1))       {g:>12.4}")?;
        }
        writeln!(f, "top 10% share        {:>11.1}%", 100.0 * self.top_10)?;
        writeln!(f, "top 20% share        {:>11.1}%", 100.0 * self.top_20)?;
        writeln!(
            f,
            "80% of the total from the top {:.1}% of customers",
            100.0 * self.pareto_80
        )
    }
}

impl fmt::Display for Concentration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.report().fmt(f)
    }
}

/// Customers, totals and concentration of one group (segment, tier, ...).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct GroupShare {
    /// The group's label.
    pub group: String,
    /// Customers in it.
    pub customers: usize,
    /// Share of all customers.
    pub customer_share: f64,
    /// The group's total.
    pub total: f64,
    /// Share of the grand total.
    pub value_share: f64,
    /// Mean value per customer (ARPU when the values are monthly revenue).
    pub mean: f64,
    /// Gini within the group (`None` if the group's total is zero).
    pub gini: Option<f64>,
}

/// Shares of customers and of the total by group, with the Gini inside each group;
/// groups are listed in the order of their keys.
///
/// # Errors
/// As [`Concentration::new`]; [`Error::DimensionMismatch`] if `keys` has another length.
///
/// # Example
///
/// ```
/// use crm_analytics::value::shares_by;
///
/// let rev = [100.0, 50.0, 10.0, 10.0, 30.0];
/// let rows = shares_by(&rev, &["vip", "vip", "mass", "mass", "mass"])?;
/// assert_eq!(rows[1].group, "vip");
/// assert!((rows[1].value_share - 0.75).abs() < 1e-12);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
pub fn shares_by<K: Ord + Clone + fmt::Display>(
    values: &[f64],
    keys: &[K],
) -> Result<Vec<GroupShare>> {
    let all = Concentration::new(values)?;
    crate::validate::same_len("group keys", values.len(), keys.len())?;
    let mut groups: BTreeMap<K, Vec<f64>> = BTreeMap::new();
    for (v, k) in values.iter().zip(keys) {
        groups.entry(k.clone()).or_default().push(*v);
    }
    let n = values.len() as f64;
    Ok(groups
        .into_iter()
        .map(|(k, v)| {
            let total: f64 = v.iter().sum();
            GroupShare {
                group: k.to_string(),
                customers: v.len(),
                customer_share: v.len() as f64 / n,
                total,
                value_share: total / all.total(),
                mean: total / v.len() as f64,
                gini: Concentration::new(&v).ok().map(|c| c.gini()),
            }
        })
        .collect())
}

/// Spearman's rank correlation (Pearson correlation of average ranks, ties averaged).
///
/// # Errors
/// [`Error::DimensionMismatch`]; [`Error::NonFiniteAt`]; [`Error::TooFewObservations`]
/// below 2; [`Error::InvalidInput`] if either input is constant (the correlation does
/// not exist).
///
/// # Example
///
/// ```
/// use crm_analytics::value::spearman;
///
/// assert!((spearman(&[1.0, 2.0, 3.0], &[10.0, 40.0, 90.0])? - 1.0).abs() < 1e-12);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
pub fn spearman(a: &[f64], b: &[f64]) -> Result<f64> {
    crate::validate::same_len("second variable", a.len(), b.len())?;
    crate::validate::slice_finite("first variable", a)?;
    crate::validate::slice_finite("second variable", b)?;
    if a.len() < 2 {
        return Err(Error::TooFewObservations {
            what: "Spearman correlation".into(),
            needed: 2,
            got: a.len(),
        });
    }
    let ra = crate::weights::average_ranks(a);
    let rb = crate::weights::average_ranks(b);
    let n = ra.len() as f64;
    let (ma, mb) = (ra.iter().sum::<f64>() / n, rb.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in ra.iter().zip(&rb) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    if !(saa > 0.0 && sbb > 0.0) {
        return Err(Error::input(
            "Spearman correlation",
            "a variable is constant, so the correlation does not exist",
        ));
    }
    Ok(sab / (saa * sbb).sqrt())
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn models_3_4_worked_example() {
        // x = (1,2,3,4,10): Lorenz (0,.05,.15,.30,.50,1); G .4; corrected .5;
        // S(.2) = .5, S(.4) = .7.
        let c = Concentration::new(&[10.0, 1.0, 3.0, 2.0, 4.0]).unwrap();
        for (l, e) in c.lorenz().iter().zip([0.0, 0.05, 0.15, 0.30, 0.50, 1.0]) {
            assert!((l - e).abs() < 1e-12);
        }
        assert!((c.gini() - 0.4).abs() < 1e-12);
        assert!((c.top_share(0.4).unwrap() - 0.7).abs() < 1e-12);
        // S(.1): half of the top customer = 5/20 = .25
        assert!((c.top_share(0.1).unwrap() - 0.25).abs() < 1e-12);
        assert!(c.pareto_point(1.0).unwrap() == 1.0);
        assert!(c.pareto_point(0.0).unwrap() == 0.0);
    }
}
