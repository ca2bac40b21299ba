//! The value matrix: current × potential value, split into four segments.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ValueIndices;
use crate::strategy::{Strategy, StrategyBook, ValueSegment};
use crate::weights::{Weights, check_table_finite, row_score, rows_of, score_rows_into};
use crate::{Error, Result};

mod one_pass;

/// Where an axis of the value matrix is split into low and high.
///
/// A customer is *high* when its index is **greater than or equal to** the threshold:
/// ties go to high.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Split {
    /// The mean (the theses' usual choice; default).
    #[default]
    Mean,
    /// The median (type-7 quantile at 0.5).
    Median,
    /// The type-7 quantile at `q` in (0, 1); `Quantile(0.8)` marks the top 20% high.
    Quantile(f64),
    /// A fixed value.
    Fixed(f64),
    /// Exact one-dimensional 2-means: the split between two distinct sorted values
    /// that minimises the within-group sum of squares (a deterministic scan of the n - 1
    /// split points; no random starts). The threshold is the smallest value of the upper
    /// group. All values equal: everyone is high.
    TwoMeans,
}

impl fmt::Display for Split {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Split::Mean => f.pad("mean"),
            Split::Median => f.pad("median"),
            Split::Quantile(q) => f.pad(&format!("quantile {q}")),
            Split::Fixed(v) => f.pad(&format!("fixed {v}")),
            Split::TwoMeans => f.pad("2-means"),
        }
    }
}

/// Type-7 quantile of sorted finite data (Hyndman & Fan 1996; R's default, numpy's
/// `linear`): `h = (n - 1) q`, `Q = x[⌊h⌋] + (h - ⌊h⌋)(x[⌊h⌋ + 1] - x[⌊h⌋])`.
pub(crate) fn quantile_sorted(s: &[f64], q: f64) -> f64 {
    let n = s.len();
    if n == 1 {
        return s[0];
    }
    let h = (n - 1) as f64 * q;
    let lo = h.floor() as usize;
    if lo + 1 >= n {
        return s[n - 1];
    }
    s[lo] + (h - lo as f64) * (s[lo + 1] - s[lo])
}

/// Exact 1-D 2-means on sorted data: the threshold (smallest value of the upper group).
pub(crate) fn two_means_sorted(s: &[f64]) -> f64 {
    let n = s.len();
    let total: f64 = s.iter().sum();
    let total_sq: f64 = s.iter().map(|v| v * v).sum();
    let mut best = (f64::INFINITY, s[0]);
    let mut left = 0.0;
    let mut left_sq = 0.0;
    for k in 1..n {
        left += s[k - 1];
        left_sq += s[k - 1] * s[k - 1];
        if !(s[k] > s[k - 1]) {
            continue; // never split equal values
        }
        let right = total - left;
        let right_sq = total_sq - left_sq;
        let (nl, nr) = (k as f64, (n - k) as f64);
        let ssw = (left_sq - left * left / nl) + (right_sq - right * right / nr);
        if ssw < best.0 {
            best = (ssw, s[k]);
        }
    }
    best.1
}

/// The threshold of one axis.
pub(crate) fn threshold(split: Split, v: &[f64], axis: &'static str) -> Result<f64> {
    match split {
        Split::Mean => Ok(v.iter().sum::<f64>() / v.len() as f64),
        Split::Fixed(t) => {
            if t.is_finite() {
                Ok(t)
            } else {
                Err(Error::option(axis, t, "a finite fixed threshold"))
            }
        }
        Split::Median | Split::Quantile(_) | Split::TwoMeans => {
            let mut s = v.to_vec();
            s.sort_unstable_by(f64::total_cmp);
            match split {
                Split::Median => Ok(quantile_sorted(&s, 0.5)),
                Split::Quantile(q) => {
                    crate::validate::open_unit(axis, q)?;
                    Ok(quantile_sorted(&s, q))
                }
                _ => Ok(two_means_sorted(&s)),
            }
        }
    }
}

/// One row of the segment table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SegmentSummary {
    /// The segment.
    pub segment: ValueSegment,
    /// Customers in it.
    pub customers: usize,
    /// Share of all customers.
    pub share: f64,
    /// Share of total revenue (when revenue was given).
    pub revenue_share: Option<f64>,
    /// Mean ARPU (when ARPU was given and the segment is not empty).
    pub mean_arpu: Option<f64>,
    /// Mean current index (`None` for an empty segment).
    pub mean_current: Option<f64>,
    /// Mean potential index (`None` for an empty segment).
    pub mean_potential: Option<f64>,
    /// The segment's strategy from the [`StrategyBook`].
    pub strategy: Strategy,
}

/// Options of the value matrix.
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `current_split` | [`Split::Mean`] | threshold of the current axis | quantile in (0, 1), fixed finite |
/// | `potential_split` | [`Split::Mean`] | threshold of the potential axis | as above |
/// | `book` | [`StrategyBook::default()`] | strategies per segment | any |
///
/// | segment | current | potential |
/// |---|---|---|
/// | valuable | high | high |
/// | sub-valuable | high | low |
/// | potential | low | high |
/// | low value | low | low |
///
/// # Example
///
/// ```
/// use crm_analytics::value::ValueMatrix;
/// use crm_analytics::strategy::ValueSegment;
///
/// let cur = [0.9, 0.8, 0.2, 0.1];
/// let pot = [0.7, 0.1, 0.9, 0.2];
/// let fit = ValueMatrix::new().classify(&cur, &pot, None, None)?;
/// assert_eq!(fit.segments(), &[ValueSegment::Valuable, ValueSegment::SubValuable,
///                              ValueSegment::Potential, ValueSegment::LowValue]);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ValueMatrix {
    current_split: Split,
    potential_split: Split,
    book: StrategyBook,
}

impl ValueMatrix {
    /// Mean splits and the default strategy book.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }
    /// Split of the current-value axis.
    ///
    /// # Errors
    /// `classify` rejects a quantile outside (0, 1) or a non-finite fixed value.
    #[must_use]
    pub fn current_split(mut self, s: Split) -> Self {
        self.current_split = s;
        self
    }
    /// Split of the potential-value axis.
    ///
    /// # Errors
    /// As [`ValueMatrix::current_split`].
    #[must_use]
    pub fn potential_split(mut self, s: Split) -> Self {
        self.potential_split = s;
        self
    }
    /// Both splits at once.
    #[must_use]
    pub fn split(self, s: Split) -> Self {
        self.current_split(s).potential_split(s)
    }
    /// The strategy book.
    #[must_use]
    pub fn book(mut self, b: StrategyBook) -> Self {
        self.book = b;
        self
    }
    /// Split of the current axis.
    #[must_use]
    pub fn get_current_split(&self) -> Split {
        self.current_split
    }
    /// Split of the potential axis.
    #[must_use]
    pub fn get_potential_split(&self) -> Split {
        self.potential_split
    }
    /// The strategy book.
    #[must_use]
    pub fn get_book(&self) -> &StrategyBook {
        &self.book
    }

    /// Segment the customers of fitted [`ValueIndices`].
    ///
    /// # Errors
    /// As [`ValueMatrix::classify`].
    pub fn classify_indices(
        &self,
        idx: &ValueIndices,
        revenue: Option<&[f64]>,
        arpu: Option<&[f64]>,
    ) -> Result<ValueMatrixFit> {
        self.classify(idx.current(), idx.potential(), revenue, arpu)
    }

    /// Segment customers by current and potential value; `revenue` (for revenue
    /// shares, ≥ 0) and `arpu` (for mean ARPU) are optional, one per customer.
    ///
    /// # Errors
    /// [`Error::Empty`] for no customers; [`Error::DimensionMismatch`] for unequal
    /// lengths; [`Error::NonFiniteAt`] for NaN/inf; [`Error::InvalidOption`] for a bad
    /// split; [`Error::InvalidValue`] for negative revenue.
    pub fn classify(
        &self,
        current: &[f64],
        potential: &[f64],
        revenue: Option<&[f64]>,
        arpu: Option<&[f64]>,
    ) -> Result<ValueMatrixFit> {
        let n = current.len();
        if n == 0 {
            return Err(Error::Empty {
                what: "current value index".into(),
            });
        }
        crate::validate::same_len("potential value index", n, potential.len())?;
        let sc = finite_sum("current value index", current)?;
        let sp = finite_sum("potential value index", potential)?;
        check_revenue_arpu(n, revenue, arpu)?;
        let tc = match self.current_split {
            Split::Mean => sc / n as f64,
            s => threshold(s, current, "current_split")?,
        };
        let tp = match self.potential_split {
            Split::Mean => sp / n as f64,
            s => threshold(s, potential, "potential_split")?,
        };
        let mut segments = vec![ValueSegment::LowValue; n];
        let acc = fold_in_halves(tc, tp, n, &mut segments, |acc, range, out| {
            let (s, e) = (range.start, range.end);
            acc.fold_into(
                &current[s..e],
                &potential[s..e],
                revenue.map(|r| &r[s..e]),
                arpu.map(|a| &a[s..e]),
                out,
            );
        });
        Ok(self.fit(&acc, segments, revenue.is_some(), arpu.is_some()))
    }
}

impl ValueMatrix {
    /// Segment customers straight from their indicator tables: the current-value index
    /// of customer `i` is `Σ_j wc_j · current[i·kc + j]` (row-major, `kc = wc.len()`
    /// indicators per customer, already normalised), likewise the potential-value index.
    ///
    /// With mean splits (the default) the indices are never stored. From 2^18 customers
    /// one pass on two threads computes each customer's indices and places every
    /// customer clear of a band around a pilot estimate of each mean; the few inside a
    /// band are placed once the exact means are known (the pilot only decides the
    /// speed: when the exact mean falls outside its band, as it can for periodic data,
    /// the two-pass path below runs instead and the result is the same). Smaller bases
    /// take two passes: one sums the table's columns (the mean index is
    /// `Σ_j w_j · column mean_j`), a second computes each customer's indices and
    /// segment. Other splits need the index vectors and compute them with
    /// [`Weights::score_rows`] first. The result is that of [`ValueMatrix::classify`] on
    /// the index vectors (a customer within rounding of a mean threshold may fall on the
    /// other side).
    ///
    /// # Errors
    /// [`Error::Empty`]; [`Error::DimensionMismatch`] for a table whose length is not a
    /// multiple of its weights, unequal customer counts, or revenue/ARPU of another
    /// length; [`Error::NonFinite`] naming the first non-finite cell; as
    /// [`ValueMatrix::classify`] otherwise.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::strategy::ValueSegment;
    /// use crm_analytics::value::ValueMatrix;
    /// use crm_analytics::weights::Weights;
    ///
    /// // two indicators per dimension, four customers
    /// let current = [0.9, 0.8, 0.7, 0.9, 0.2, 0.1, 0.1, 0.3];
    /// let potential = [0.8, 0.6, 0.1, 0.2, 0.9, 0.7, 0.2, 0.1];
    /// let w = Weights::new(vec![0.6, 0.4])?;
    /// let fit = ValueMatrix::new().classify_weighted(&current, &w, &potential, &w, None, None)?;
    /// assert_eq!(fit.segments(), &[ValueSegment::Valuable, ValueSegment::SubValuable,
    ///                              ValueSegment::Potential, ValueSegment::LowValue]);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn classify_weighted(
        &self,
        current: &[f64],
        wc: &Weights,
        potential: &[f64],
        wp: &Weights,
        revenue: Option<&[f64]>,
        arpu: Option<&[f64]>,
    ) -> Result<ValueMatrixFit> {
        let n = rows_of("current indicator table", current, wc.len())?;
        let np = rows_of("potential indicator table", potential, wp.len())?;
        crate::validate::same_len("customers in the potential indicator table", n, np)?;
        if !(self.current_split == Split::Mean && self.potential_split == Split::Mean) {
            let ci = wc.score_rows(current)?;
            let pi = wp.score_rows(potential)?;
            return self.classify(&ci, &pi, revenue, arpu);
        }
        check_revenue_arpu(n, revenue, arpu)?;
        let mut segments = vec![ValueSegment::LowValue; n];
        if n >= one_pass::ONE_PASS_CUSTOMERS {
            let tables = one_pass::Tables {
                current,
                wc: wc.as_slice(),
                potential,
                wp: wp.as_slice(),
                revenue,
                arpu,
            };
            if let Some(acc) = one_pass::classify_at_means(tables, n, &mut segments) {
                return Ok(self.fit(&acc, segments, revenue.is_some(), arpu.is_some()));
            }
        }
        // pass 1: column sums (finite sums prove every cell finite)
        let tc = mean_score("current indicator table", current, wc)?;
        let tp = mean_score("potential indicator table", potential, wp)?;
        // pass 2: indices and segments, a block of customers at a time
        let (w1, w2) = (wc.as_slice(), wp.as_slice());
        let (k1, k2) = (w1.len(), w2.len());
        let acc = fold_in_halves(tc, tp, n, &mut segments, |acc, range, out| {
            let mut ci = [0.0; FOLD_BLOCK];
            let mut pi = [0.0; FOLD_BLOCK];
            let mut s = range.start;
            while s < range.end {
                let e = (s + FOLD_BLOCK).min(range.end);
                let m = e - s;
                score_rows_into(w1, &current[s * k1..e * k1], &mut ci[..m]);
                score_rows_into(w2, &potential[s * k2..e * k2], &mut pi[..m]);
                let off = s - range.start;
                acc.fold_into(
                    &ci[..m],
                    &pi[..m],
                    revenue.map(|r| &r[s..e]),
                    arpu.map(|a| &a[s..e]),
                    &mut out[off..off + m],
                );
                s = e;
            }
        });
        Ok(self.fit(&acc, segments, revenue.is_some(), arpu.is_some()))
    }
}

impl ValueMatrix {
    /// The fit from a folded accumulator (its thresholds) and the segments.
    fn fit(
        &self,
        acc: &SegmentAccumulator,
        segments: Vec<ValueSegment>,
        with_revenue: bool,
        with_arpu: bool,
    ) -> ValueMatrixFit {
        ValueMatrixFit {
            current_threshold: acc.current_threshold,
            potential_threshold: acc.potential_threshold,
            current_split: self.current_split,
            potential_split: self.potential_split,
            segments,
            summary: acc.summary(&self.book, with_revenue, with_arpu),
        }
    }
}

/// The mean of `Σ_j w_j x_ij` over the rows of a row-major table, from its column sums
/// (two threads for large tables); a non-finite sum is traced to its cell.
fn mean_score(what: &str, table: &[f64], w: &Weights) -> Result<f64> {
    let k = w.len();
    let n = table.len() / k;
    // Sums over runs of whole rows of up to 24 cells: cell l of a run belongs to column
    // l mod k, and the 24 partial sums stay independent (no chain per column).
    let column_sums = |rows: &[f64]| {
        let per = (24 / k).max(1) * k;
        let mut acc = vec![0.0; per];
        let runs = rows.chunks_exact(per);
        let rest = runs.remainder();
        for run in runs {
            for (a, x) in acc.iter_mut().zip(run) {
                *a += x;
            }
        }
        let mut s = vec![0.0; k];
        for (l, a) in acc.iter().enumerate() {
            s[l % k] += a;
        }
        for (l, x) in rest.iter().enumerate() {
            s[l % k] += x;
        }
        s
    };
    let sums = if n >= PARALLEL_CUSTOMERS {
        let (a, b) = table.split_at(n / 2 * k);
        let (sa, sb) = crate::parallel::join(|| column_sums(a), || column_sums(b));
        let sb = sb.unwrap_or_default();
        if sb.len() != k {
            return Err(Error::input(what, "a worker thread failed"));
        }
        sa.iter().zip(&sb).map(|(x, y)| x + y).collect()
    } else {
        column_sums(table)
    };
    if !sums.iter().all(|v| v.is_finite()) {
        check_table_finite(what, table, k)?;
        return Err(Error::input(
            what,
            "a column sum overflows the range of f64",
        ));
    }
    Ok(row_score(w.as_slice(), &sums) / n as f64)
}

/// Fold customers `0..n` into a [`SegmentAccumulator`] with the given thresholds, in
/// two halves on two threads for large bases (split at a block boundary, so the blocks
/// of naive sums are those of one sequential pass); `fold(acc, range, out)` folds the
/// customers of `range` and writes their segments to `out` (that range's slice).
fn fold_in_halves<F>(
    tc: f64,
    tp: f64,
    n: usize,
    segments: &mut [ValueSegment],
    fold: F,
) -> SegmentAccumulator
where
    F: Fn(&mut SegmentAccumulator, std::ops::Range<usize>, &mut [ValueSegment]) + Sync,
{
    let mut acc = SegmentAccumulator::new(tc, tp);
    if n < PARALLEL_CUSTOMERS {
        fold(&mut acc, 0..n, segments);
        return acc;
    }
    let split = n / 2 / FOLD_BLOCK * FOLD_BLOCK;
    let (sa, sb) = segments.split_at_mut(split);
    let ((), other) = crate::parallel::join(
        || fold(&mut acc, 0..split, sa),
        || {
            let mut b = SegmentAccumulator::new(tc, tp);
            fold(&mut b, split..n, sb);
            b
        },
    );
    match other {
        // same thresholds by construction, so the merge cannot fail
        Some(b) => {
            let _ = acc.merge(&b);
        }
        None => {
            // the worker panicked (no code path does): fold its half here instead
            let mut b = SegmentAccumulator::new(tc, tp);
            fold(&mut b, split..n, &mut segments[split..]);
            let _ = acc.merge(&b);
        }
    }
    acc
}

/// The sum of `v`, checking finiteness on the way: a finite sum has only finite terms
/// (IEEE), so the slow scan runs only to name the culprit or report an overflow.
fn finite_sum(what: &str, v: &[f64]) -> Result<f64> {
    let s: f64 = v.iter().sum();
    if s.is_finite() {
        return Ok(s);
    }
    crate::validate::slice_finite(what, v)?;
    Err(Error::input(what, "its sum overflows the range of f64"))
}

/// Optional revenue (>= 0) and ARPU (finite), one per customer.
fn check_revenue_arpu(n: usize, revenue: Option<&[f64]>, arpu: Option<&[f64]>) -> Result<()> {
    if let Some(r) = revenue {
        crate::validate::same_len("revenue", n, r.len())?;
        check_revenue(r)?;
    }
    if let Some(a) = arpu {
        crate::validate::same_len("arpu", n, a.len())?;
        finite_sum("arpu", a)?;
    }
    Ok(())
}

pub(crate) fn check_revenue(r: &[f64]) -> Result<()> {
    // One pass: a sum that is finite has only finite terms; the minimum catches negatives.
    let (sum, min) = r
        .iter()
        .fold((0.0, f64::INFINITY), |(s, m), &v| (s + v, m.min(v)));
    if sum.is_finite() && min >= 0.0 {
        return Ok(());
    }
    crate::validate::slice_finite("revenue", r)?;
    match r.iter().position(|v| !(*v >= 0.0)) {
        Some(i) => Err(Error::InvalidValue {
            what: "revenue".into(),
            location: format!("customer {i}"),
            value: r[i],
            expected: ">= 0".into(),
        }),
        None => Ok(()),
    }
}

/// The segmented customer base.
///
/// # Example
///
/// ```
/// use crm_analytics::strategy::ValueSegment;
/// use crm_analytics::value::{Split, ValueMatrix};
///
/// let cur = [0.9, 0.7, 0.3, 0.1];
/// let pot = [0.8, 0.2, 0.6, 0.1];
/// let revenue = [120.0, 60.0, 15.0, 5.0];
/// let fit = ValueMatrix::new().split(Split::Median).classify(&cur, &pot, Some(&revenue), None)?;
/// let top = fit.segment(ValueSegment::Valuable);
/// assert_eq!(top.customers, 1);
/// assert!(top.revenue_share.is_some_and(|v| (v - 0.6).abs() < 1e-12));
/// let table = fit.to_string(); // the segment table with strategies, ready to print
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct ValueMatrixFit {
    current_threshold: f64,
    potential_threshold: f64,
    current_split: Split,
    potential_split: Split,
    segments: Vec<ValueSegment>,
    summary: Vec<SegmentSummary>,
}

impl ValueMatrixFit {
    /// The segment of each customer.
    #[must_use]
    pub fn segments(&self) -> &[ValueSegment] {
        &self.segments
    }
    /// Threshold of the current axis.
    #[must_use]
    pub fn current_threshold(&self) -> f64 {
        self.current_threshold
    }
    /// Threshold of the potential axis.
    #[must_use]
    pub fn potential_threshold(&self) -> f64 {
        self.potential_threshold
    }
    /// One row per segment, in [`ValueSegment::ALL`] order.
    #[must_use]
    pub fn summary(&self) -> &[SegmentSummary] {
        &self.summary
    }
    /// The row of one segment.
    #[must_use]
    pub fn segment(&self, s: ValueSegment) -> &SegmentSummary {
        &self.summary[seg_index(s)]
    }
}

impl fmt::Display for ValueMatrixFit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "value matrix: current split {} at {:.4}, potential split {} at {:.4}",
            self.current_split,
            self.current_threshold,
            self.potential_split,
            self.potential_threshold
        )?;
        write_summary(f, &self.summary)
    }
}

pub(crate) fn write_summary(f: &mut fmt::Formatter<'_>, rows: &[SegmentSummary]) -> fmt::Result {
    let opt = |v: Option<f64>, p: usize| v.map_or_else(|| "-".to_string(), |x| format!("{x:.p$}"));
    writeln!(
        f,
        "{:<13} {:>10} {:>7} {:>9} {:>10} {:>8} {:>8}  strategy",
        "segment", "customers", "share", "revenue", "mean ARPU", "current", "potent."
    )?;
    for r in rows {
        let actions: Vec<String> = r.strategy.actions.iter().map(ToString::to_string).collect();
        writeln!(
            f,
            "{:<13} {:>10} {:>6.1}% {:>9} {:>10} {:>8} {:>8}  {}",
            r.segment.to_string(),
            r.customers,
            100.0 * r.share,
            r.revenue_share
                .map_or_else(|| "-".to_string(), |x| format!("{:.1}%", 100.0 * x)),
            opt(r.mean_arpu, 2),
            opt(r.mean_current, 4),
            opt(r.mean_potential, 4),
            actions.join(", ")
        )?;
    }
    Ok(())
}

fn seg_index(s: ValueSegment) -> usize {
    match s {
        ValueSegment::Valuable => 0,
        ValueSegment::SubValuable => 1,
        ValueSegment::Potential => 2,
        ValueSegment::LowValue => 3,
    }
}

/// Customers per block of naive sums in [`SegmentAccumulator`].
const FOLD_BLOCK: usize = 1024;
/// Customers from which classification runs on two threads.
const PARALLEL_CUSTOMERS: usize = 1 << 16;

/// Neumaier-compensated sum, so that merged partial sums match one-shot sums.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
struct Sum {
    s: f64,
    c: f64,
}

impl Sum {
    fn add(&mut self, x: f64) {
        let t = self.s + x;
        if self.s.abs() >= x.abs() {
            self.c += (self.s - t) + x;
        } else {
            self.c += (x - t) + self.s;
        }
        self.s = t;
    }
    fn merge(&mut self, o: Sum) {
        self.add(o.s);
        self.c += o.c;
    }
    fn value(self) -> f64 {
        self.s + self.c
    }
}

/// Naive per-segment sums over one block of at most [`FOLD_BLOCK`] customers, in
/// [`BANKS`] banks by row (customer `i` goes to bank `i mod BANKS`), so that successive
/// customers of one segment do not wait on each other's sums.
#[derive(Default)]
struct BlockSums {
    count: [[u64; 4]; BANKS],
    current: [[f64; 4]; BANKS],
    potential: [[f64; 4]; BANKS],
    revenue: [[f64; 4]; BANKS],
    arpu: [[f64; 4]; BANKS],
}

/// Banks of [`BlockSums`].
const BANKS: usize = 4;

impl BlockSums {
    /// Add another block's sums, bank by bank and segment by segment.
    fn merge(&mut self, o: &BlockSums) {
        for bank in 0..BANKS {
            for k in 0..4 {
                self.count[bank][k] += o.count[bank][k];
                self.current[bank][k] += o.current[bank][k];
                self.potential[bank][k] += o.potential[bank][k];
                self.revenue[bank][k] += o.revenue[bank][k];
                self.arpu[bank][k] += o.arpu[bank][k];
            }
        }
    }

    /// Customer `i` (indices `c`, `p`) into segment `k`.
    #[inline]
    fn add(
        &mut self,
        k: usize,
        c: f64,
        p: f64,
        revenue: Option<&[f64]>,
        arpu: Option<&[f64]>,
        i: usize,
    ) {
        let bank = i % BANKS;
        self.count[bank][k] += 1;
        self.current[bank][k] += c;
        self.potential[bank][k] += p;
        if let Some(r) = revenue {
            self.revenue[bank][k] += r[i];
        }
        if let Some(a) = arpu {
            self.arpu[bank][k] += a[i];
        }
    }
}

/// Mergeable state for mean thresholds: counts and compensated sums of both indices.
///
/// Fold blocks of customers (in any partition, in any order), merge states, finish
/// into the mean thresholds of [`Split::Mean`]. Exact quantiles, medians, 2-means and
/// Gini need the sorted data and have no such state.
///
/// # Example
///
/// ```
/// use crm_analytics::value::MeanSplitAccumulator;
///
/// let mut a = MeanSplitAccumulator::new();
/// a.fold(&[1.0, 2.0], &[0.0, 1.0])?;
/// let mut b = MeanSplitAccumulator::new();
/// b.fold(&[3.0], &[2.0])?;
/// a.merge(&b);
/// assert_eq!(a.finish(), Some((2.0, 1.0)));
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct MeanSplitAccumulator {
    n: u64,
    current: Sum,
    potential: Sum,
}

impl MeanSplitAccumulator {
    /// An empty state.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }
    /// Fold a block of customers.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for unequal lengths; [`Error::NonFiniteAt`] for
    /// NaN/inf (the state is unchanged on error).
    pub fn fold(&mut self, current: &[f64], potential: &[f64]) -> Result<()> {
        crate::validate::same_len("potential value index", current.len(), potential.len())?;
        crate::validate::slice_finite("current value index", current)?;
        crate::validate::slice_finite("potential value index", potential)?;
        for (c, p) in current.iter().zip(potential) {
            self.current.add(*c);
            self.potential.add(*p);
        }
        self.n += current.len() as u64;
        Ok(())
    }
    /// Merge another state into this one.
    pub fn merge(&mut self, other: &Self) {
        self.n += other.n;
        self.current.merge(other.current);
        self.potential.merge(other.potential);
    }
    /// Customers folded so far.
    #[must_use]
    pub fn n(&self) -> u64 {
        self.n
    }
    /// The mean thresholds `(current, potential)`, `None` before any customer.
    #[must_use]
    pub fn finish(&self) -> Option<(f64, f64)> {
        (self.n > 0).then(|| {
            let n = self.n as f64;
            (self.current.value() / n, self.potential.value() / n)
        })
    }
}

/// Mergeable state for the segment table at given thresholds: counts, revenue, ARPU
/// and index sums per segment.
///
/// # Example
///
/// ```
/// use crm_analytics::value::SegmentAccumulator;
/// use crm_analytics::strategy::{StrategyBook, ValueSegment};
///
/// let mut a = SegmentAccumulator::new(0.5, 0.5);
/// a.fold(&[0.9, 0.1], &[0.9, 0.1], Some(&[100.0, 10.0]), None)?;
/// let rows = a.finish(&StrategyBook::default());
/// assert_eq!(rows[0].segment, ValueSegment::Valuable);
/// assert!(rows[0].revenue_share.is_some_and(|v| (v - 100.0 / 110.0).abs() < 1e-12));
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SegmentAccumulator {
    current_threshold: f64,
    potential_threshold: f64,
    counts: [u64; 4],
    revenue: [Sum; 4],
    arpu: [Sum; 4],
    current: [Sum; 4],
    potential: [Sum; 4],
    revenue_seen: bool,
    arpu_seen: bool,
}

impl SegmentAccumulator {
    /// An empty state splitting at the given thresholds (ties go high).
    #[must_use]
    pub fn new(current_threshold: f64, potential_threshold: f64) -> Self {
        SegmentAccumulator {
            current_threshold,
            potential_threshold,
            counts: [0; 4],
            revenue: [Sum::default(); 4],
            arpu: [Sum::default(); 4],
            current: [Sum::default(); 4],
            potential: [Sum::default(); 4],
            revenue_seen: false,
            arpu_seen: false,
        }
    }

    /// Fold a block of customers.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`], [`Error::NonFiniteAt`], or [`Error::InvalidValue`]
    /// for negative revenue (the state is unchanged on error).
    pub fn fold(
        &mut self,
        current: &[f64],
        potential: &[f64],
        revenue: Option<&[f64]>,
        arpu: Option<&[f64]>,
    ) -> Result<()> {
        let n = current.len();
        crate::validate::same_len("potential value index", n, potential.len())?;
        crate::validate::slice_finite("current value index", current)?;
        crate::validate::slice_finite("potential value index", potential)?;
        if let Some(r) = revenue {
            crate::validate::same_len("revenue", n, r.len())?;
            check_revenue(r)?;
        }
        if let Some(a) = arpu {
            crate::validate::same_len("arpu", n, a.len())?;
            crate::validate::slice_finite("arpu", a)?;
        }
        let _ = self.fold_segments(current, potential, revenue, arpu);
        Ok(())
    }

    fn fold_segments(
        &mut self,
        current: &[f64],
        potential: &[f64],
        revenue: Option<&[f64]>,
        arpu: Option<&[f64]>,
    ) -> Vec<ValueSegment> {
        let mut out = vec![ValueSegment::LowValue; current.len()];
        self.fold_into(current, potential, revenue, arpu, &mut out);
        out
    }

    /// Fold customers (all slices of one length) and write their segments to `out`.
    fn fold_into(
        &mut self,
        current: &[f64],
        potential: &[f64],
        revenue: Option<&[f64]>,
        arpu: Option<&[f64]>,
        out: &mut [ValueSegment],
    ) {
        self.revenue_seen |= revenue.is_some();
        self.arpu_seen |= arpu.is_some();
        // Naive sums over blocks of FOLD_BLOCK customers, folded into the compensated
        // sums per block: fast, and accurate to a few ulps of each block's sum.
        let n = current.len();
        let mut start = 0;
        while start < n {
            let end = (start + FOLD_BLOCK).min(n);
            let mut b = BlockSums::default();
            for i in start..end {
                let k = usize::from(current[i] < self.current_threshold) * 2
                    + usize::from(potential[i] < self.potential_threshold);
                b.add(k, current[i], potential[i], revenue, arpu, i);
                out[i] = ValueSegment::ALL[k];
            }
            self.absorb(&b);
            start = end;
        }
    }

    /// Add one block's naive sums to the compensated sums.
    fn absorb(&mut self, b: &BlockSums) {
        let total = |v: &[[f64; 4]; BANKS], k: usize| v.iter().map(|bank| bank[k]).sum::<f64>();
        for k in 0..4 {
            self.counts[k] += b.count.iter().map(|bank| bank[k]).sum::<u64>();
            self.current[k].add(total(&b.current, k));
            self.potential[k].add(total(&b.potential, k));
            self.revenue[k].add(total(&b.revenue, k));
            self.arpu[k].add(total(&b.arpu, k));
        }
    }

    /// Merge another state (with the same thresholds) into this one.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if the thresholds differ.
    pub fn merge(&mut self, other: &Self) -> Result<()> {
        if self.current_threshold.to_bits() != other.current_threshold.to_bits()
            || self.potential_threshold.to_bits() != other.potential_threshold.to_bits()
        {
            return Err(Error::input(
                "segment accumulators",
                "they split at different thresholds and cannot be merged",
            ));
        }
        for k in 0..4 {
            self.counts[k] += other.counts[k];
            self.revenue[k].merge(other.revenue[k]);
            self.arpu[k].merge(other.arpu[k]);
            self.current[k].merge(other.current[k]);
            self.potential[k].merge(other.potential[k]);
        }
        self.revenue_seen |= other.revenue_seen;
        self.arpu_seen |= other.arpu_seen;
        Ok(())
    }

    /// Customers per segment in [`ValueSegment::ALL`] order.
    #[must_use]
    pub fn counts(&self) -> [u64; 4] {
        self.counts
    }

    /// The segment table.
    #[must_use]
    pub fn finish(&self, book: &StrategyBook) -> Vec<SegmentSummary> {
        self.summary(book, self.revenue_seen, self.arpu_seen)
    }

    fn summary(
        &self,
        book: &StrategyBook,
        with_revenue: bool,
        with_arpu: bool,
    ) -> Vec<SegmentSummary> {
        let n: u64 = self.counts.iter().sum();
        let total_rev: f64 = self.revenue.iter().map(|s| s.value()).sum();
        ValueSegment::ALL
            .iter()
            .enumerate()
            .map(|(k, &segment)| {
                let c = self.counts[k];
                let mean = |s: Sum| (c > 0).then(|| s.value() / c as f64);
                SegmentSummary {
                    segment,
                    customers: c as usize,
                    share: if n > 0 { c as f64 / n as f64 } else { 0.0 },
                    revenue_share: (with_revenue && total_rev > 0.0)
                        .then(|| self.revenue[k].value() / total_rev),
                    mean_arpu: if with_arpu { mean(self.arpu[k]) } else { None },
                    mean_current: mean(self.current[k]),
                    mean_potential: mean(self.potential[k]),
                    strategy: book.segment(segment).clone(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn two_means_exact_split() {
        // (1, 2, 3, 10, 11, 12): SSW at the 3|10 split = 2 + 2 = 4, every other split
        // is larger (e.g. 2|3: 0.5 + 74.75), so the threshold is 10.
        assert_eq!(two_means_sorted(&[1.0, 2.0, 3.0, 10.0, 11.0, 12.0]), 10.0);
        // Ties are never split: (1, 5, 5, 5) -> groups {1} and {5, 5, 5}.
        assert_eq!(two_means_sorted(&[1.0, 5.0, 5.0, 5.0]), 5.0);
        assert_eq!(two_means_sorted(&[4.0, 4.0]), 4.0);
    }

    #[test]
    fn type7_quantile() {
        // numpy.quantile([1,2,3,4,10], .8, method="linear") = 4 + 0.2·6 = 5.2
        assert!((quantile_sorted(&[1.0, 2.0, 3.0, 4.0, 10.0], 0.8) - 5.2).abs() < 1e-12);
        assert_eq!(quantile_sorted(&[1.0, 2.0, 3.0, 4.0], 0.5), 2.5);
    }

    #[test]
    fn ties_go_high() {
        let fit = ValueMatrix::new()
            .split(Split::Fixed(0.5))
            .classify(&[0.5, 0.4], &[0.5, 0.6], None, None)
            .unwrap();
        assert_eq!(
            fit.segments(),
            &[ValueSegment::Valuable, ValueSegment::Potential]
        );
    }
}
