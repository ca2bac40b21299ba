//! Revenue concentration: Lorenz curve, Gini, top shares, the Pareto point.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::buffer::F64Buf;
use crate::{Error, Result};

/// The concentration of a non-negative quantity (revenue, value) over customers.
///
/// Built from the values by sorting (O(n log n); exact Gini and quantiles need sorted
/// data, so there is no mergeable state for them). Keeps the sorted values and, every
/// 64 customers, the running total, from which the Lorenz curve is read in O(1) per
/// point ([`Lorenz`]): half the memory of a stored curve. From 65,536 customers the sort
/// and the running totals run on two threads (a fixed split: the numbers do not depend
/// on the machine; see `docs/performance.md`).
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
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct Concentration {
    sorted: F64Buf,
    /// `block_cum[b]` = sum of the `b·LORENZ_BLOCK` smallest values (sequential sum).
    block_cum: Vec<f64>,
    total: f64,
    gini: f64,
}

/// Customers per stored running total of the Lorenz curve.
const LORENZ_BLOCK: usize = 64;
/// Customers from which the cumulative sums run on two threads.
const PARALLEL_SUMS: usize = 1 << 16;

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
        let (total, lo, hi) = if values.len() >= PARALLEL_SUMS {
            // two halves at a fixed split, so the total does not depend on the machine
            let (a, b) = values.split_at(values.len() / 2);
            let ((sa, la, ha), other) = crate::parallel::join(
                || crate::numeric::scan::sum_min_max(a),
                || crate::numeric::scan::sum_min_max(b),
            );
            let (sb, lb, hb) = other.unwrap_or((f64::NAN, f64::NAN, f64::NAN));
            (sa + sb, la.min(lb), ha.max(hb))
        } else {
            crate::numeric::scan::sum_min_max(values)
        };
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
        let sorted = super::sort::sorted(values, lo, hi);
        let n = sorted.len();
        // The running totals every LORENZ_BLOCK values and Σ_k cum_k, k = 1..n. For large
        // n the second half starts from the first half's total (a fixed split: the result
        // does not depend on the machine).
        let (block_cum, cum_sum) = if n >= PARALLEL_SUMS {
            let split = (n / 2) / LORENZ_BLOCK * LORENZ_BLOCK;
            let (a, b) = sorted.split_at(split);
            let ((ca, sa, ta), other) =
                crate::parallel::join(|| running_sums(a), || running_sums(b));
            let (cb, sb, _) = other.unwrap_or_default();
            if ca.len() != split / LORENZ_BLOCK + 1 || cb.len() != b.len() / LORENZ_BLOCK + 1 {
                return Err(Error::input(
                    "values for concentration",
                    "a worker thread failed",
                ));
            }
            let mut cum = ca;
            cum.pop(); // = ta, the first entry of the second half's (shifted) list
            cum.extend(cb.iter().map(|c| ta + c));
            (cum, sa + sb + ta * b.len() as f64)
        } else {
            let (c, s, _) = running_sums(&sorted);
            (c, s)
        };
        // Σ_i i x_(i) = (n + 1) Σx - Σ_k cum_k, so
        // G = 2 Σ i x_(i)/(n Σx) - (n+1)/n = (n + 1 - 2 Σ_k cum_k / Σx)/n.
        // (The total was summed before sorting; it differs from the last cumulative sum
        // by rounding only, and L(1) is 1.)
        let nf = n as f64;
        let gini = ((nf + 1.0 - 2.0 * cum_sum / total) / nf).max(0.0);
        Ok(Concentration {
            sorted,
            block_cum,
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
    /// The Lorenz curve `L(k/n)`, `k = 0..=n` (n + 1 points, from 0 to 1), read in O(1)
    /// per point.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::value::Concentration;
    ///
    /// let c = Concentration::new(&[1.0, 2.0, 3.0, 4.0, 10.0])?;
    /// let l = c.lorenz();
    /// assert_eq!(l.len(), 6);
    /// assert!(l.get(3).is_some_and(|v| (v - 0.3).abs() < 1e-12)); // (1+2+3)/20
    /// let points: Vec<f64> = l.iter().collect(); // or l.to_vec()
    /// assert_eq!(points.last(), Some(&1.0));
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn lorenz(&self) -> Lorenz<'_> {
        Lorenz {
            sorted: &self.sorted,
            block_cum: &self.block_cum,
            inv_total: 1.0 / self.total,
        }
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
        let l = self.lorenz();
        let (a, b) = (l.point(k), l.point(k + 1));
        Ok(a + (pos - k as f64) * (b - a))
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
        // largest k with L(k/n) <= target (L is non-decreasing): binary search
        let l = self.lorenz();
        let (mut lo, mut hi) = (0usize, n + 1); // L(lo/n) <= target < L(hi/n), hi = n + 1 is "past the end"
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if l.point(mid) <= target {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let k = lo;
        if k >= n {
            return Ok(0.0);
        }
        let (a, b) = (l.point(k), l.point(k + 1));
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

/// The running totals of `v` every [`LORENZ_BLOCK`] values (from 0, one more than the
/// number of whole blocks), `Σ_k cum_k` for `k = 1..len`, and the total.
fn running_sums(v: &[f64]) -> (Vec<f64>, f64, f64) {
    let mut blocks = Vec::with_capacity(v.len() / LORENZ_BLOCK + 1);
    let (mut cum, mut cum_sum) = (0.0, 0.0);
    for chunk in v.chunks(LORENZ_BLOCK) {
        blocks.push(cum);
        for &x in chunk {
            cum += x;
            cum_sum += cum;
        }
    }
    if v.len().is_multiple_of(LORENZ_BLOCK) {
        blocks.push(cum);
    }
    (blocks, cum_sum, cum)
}

/// The Lorenz curve of a [`Concentration`]: `n + 1` points `L(k/n)`, read from the
/// sorted values and a running total kept every 64 customers (O(1) per point; `get`,
/// `iter` and `to_vec` give the same numbers, bit for bit).
///
/// # Example
///
/// ```
/// use crm_analytics::value::Concentration;
///
/// let c = Concentration::new(&[4.0, 10.0, 1.0, 3.0, 2.0])?;
/// let expected = [0.0, 0.05, 0.15, 0.30, 0.50, 1.0]; // MODELS.md §3.4
/// for (l, e) in c.lorenz().iter().zip(expected) {
///     assert!((l - e).abs() < 1e-12);
/// }
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Lorenz<'a> {
    sorted: &'a [f64],
    block_cum: &'a [f64],
    inv_total: f64,
}

impl<'a> Lorenz<'a> {
    /// Number of points, `n + 1`.
    #[must_use]
    pub fn len(&self) -> usize {
        self.sorted.len() + 1
    }
    /// Never true (the curve has at least the points 0 and 1).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        false
    }
    /// `L(k/n)`, or `None` for `k > n`.
    #[must_use]
    pub fn get(&self, k: usize) -> Option<f64> {
        (k <= self.sorted.len()).then(|| self.point(k))
    }
    /// `L(k/n)` for `k <= n`.
    fn point(&self, k: usize) -> f64 {
        let n = self.sorted.len();
        if k >= n {
            return 1.0;
        }
        let b = k / LORENZ_BLOCK;
        let mut cum = self.block_cum[b];
        for &x in &self.sorted[b * LORENZ_BLOCK..k] {
            cum += x;
        }
        cum * self.inv_total
    }
    /// The points `L(0), L(1/n), ..., L(1)` in order.
    pub fn iter(&self) -> LorenzIter<'a> {
        LorenzIter {
            sorted: self.sorted,
            k: 0,
            cum: 0.0,
            inv_total: self.inv_total,
            block_cum: self.block_cum,
        }
    }
    /// The points as a vector (8 bytes per customer).
    #[must_use]
    pub fn to_vec(&self) -> Vec<f64> {
        self.iter().collect()
    }
}

impl<'a> IntoIterator for Lorenz<'a> {
    type Item = f64;
    type IntoIter = LorenzIter<'a>;
    fn into_iter(self) -> LorenzIter<'a> {
        self.iter()
    }
}

impl Serialize for Lorenz<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// Iterator over the points of a [`Lorenz`] curve.
#[derive(Debug, Clone)]
pub struct LorenzIter<'a> {
    sorted: &'a [f64],
    block_cum: &'a [f64],
    k: usize,
    cum: f64,
    inv_total: f64,
}

impl Iterator for LorenzIter<'_> {
    type Item = f64;
    fn next(&mut self) -> Option<f64> {
        let n = self.sorted.len();
        let k = self.k;
        if k > n {
            return None;
        }
        self.k += 1;
        if k == n {
            return Some(1.0);
        }
        if k.is_multiple_of(LORENZ_BLOCK) {
            // start each block from its stored total, as `get` does
            self.cum = self.block_cum[k / LORENZ_BLOCK];
        }
        let point = self.cum * self.inv_total;
        self.cum += self.sorted[k];
        Some(point)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.sorted.len() + 1).saturating_sub(self.k);
        (left, Some(left))
    }
}

impl ExactSizeIterator for LorenzIter<'_> {}

impl Serialize for Concentration {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Concentration", 4)?;
        st.serialize_field("sorted", &*self.sorted)?;
        st.serialize_field("lorenz", &self.lorenz())?;
        st.serialize_field("total", &self.total)?;
        st.serialize_field("gini", &self.gini)?;
        st.end()
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
