//! Normalisation of an indicator matrix by direction (MODELS.md §1).

use std::fmt;

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use crate::validate;
use crate::{Error, Result};

/// Which way an indicator points.
///
/// `Benefit`: more is better (ARPU, tenure). `Cost`: less is better (complaints, churn
/// score). `Target(x*)`: closest to `x*` is best (a moderate usage level).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Direction {
    /// More is better.
    Benefit,
    /// Less is better.
    Cost,
    /// Closest to the given value is best.
    Target(f64),
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Direction::Benefit => f.pad("benefit"),
            Direction::Cost => f.pad("cost"),
            Direction::Target(t) => f.pad(&format!("target {t}")),
        }
    }
}

/// How ties are ranked in [`Normalization::PercentRank`].
///
/// With `b` values strictly below `x`, `e` values equal to `x` (including `x`) and `n`
/// values in all, and the average rank `r = b + (e + 1)/2`:
///
/// | variant | formula | x = (10, 20, 20, 40, 60) |
/// |---|---|---|
/// | `MidRank` (default) | `(b + 0.5·e)/n` | .1 .4 .4 .7 .9 |
/// | `RankOverN` (pandas `rank(pct=True)`) | `r/n` | .2 .5 .5 .8 1 |
/// | `ZeroToOne` | `(r - 1)/(n - 1)` | 0 .375 .375 .75 1 |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum RankTies {
    /// Mid-rank percentile: `(#below + 0.5·#equal)/n`.
    #[default]
    MidRank,
    /// Average rank over `n`, as pandas `rank(pct=True)`.
    RankOverN,
    /// `(average rank - 1)/(n - 1)`, spanning `[0, 1]`; needs `n >= 2`.
    ZeroToOne,
}

/// A normalisation method (MODELS.md §1). Columns with direction
/// [`Direction::Target`] always use the target formula, whatever the method.
///
/// | method | benefit | cost |
/// |---|---|---|
/// | `MinMax` | `(x - min)/(max - min)` | `(max - x)/(max - min)` |
/// | `ZScore` | `(x - mean)/s`, `s` with `n - 1` | `-(x - mean)/s` |
/// | `Sum` | `x/Σx` (x ≥ 0, Σx > 0) | `(1/x)/Σ(1/x)` (x > 0) |
/// | `Max` | `x/max` (x ≥ 0, max > 0) | `min/x` (x > 0) |
/// | `Vector` | `x/√Σx²` | `1 - x/√Σx²` |
/// | `PercentRank(t)` | percentile rank by tie rule `t` | `1 - PR` |
/// | target `x*` | `1 - |x - x*|/max|x - x*|` | |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Normalization {
    /// Min-max to `[0, 1]` (default).
    #[default]
    MinMax,
    /// Standard score with the sample standard deviation (`n - 1`).
    ZScore,
    /// Share of the column sum.
    Sum,
    /// Ratio to the column maximum ("linear" in MCDM texts).
    Max,
    /// Ratio to the Euclidean norm of the column (TOPSIS).
    Vector,
    /// Percentile rank with the given tie rule.
    PercentRank(RankTies),
}

impl fmt::Display for Normalization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Normalization::MinMax => "min-max",
            Normalization::ZScore => "z-score",
            Normalization::Sum => "sum",
            Normalization::Max => "max",
            Normalization::Vector => "vector",
            Normalization::PercentRank(RankTies::MidRank) => "percent rank (mid-rank)",
            Normalization::PercentRank(RankTies::RankOverN) => "percent rank (rank/n)",
            Normalization::PercentRank(RankTies::ZeroToOne) => "percent rank ((rank-1)/(n-1))",
        };
        f.pad(s)
    }
}

/// What to do with a column whose spread is zero (min-max, z-score and target methods).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ConstantColumn {
    /// Return [`Error::InvalidInput`] naming the column (default): a constant indicator
    /// carries no information and usually means a data error.
    #[default]
    Error,
    /// Map every entry to 1, as pymcdm's min-max does.
    Ones,
    /// Map every entry to 0, so the indicator contributes nothing to an index.
    Zeros,
}

/// Options for normalising an indicator matrix (rows customers, columns indicators).
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `method` | [`Normalization::MinMax`] | formula per column | any |
/// | `constant` | [`ConstantColumn::Error`] | policy for a zero-spread column | any |
///
/// # Example
///
/// ```
/// use crm_analytics::weights::{Direction, Normalize};
/// use nalgebra::DMatrix;
///
/// let x = DMatrix::from_column_slice(5, 1, &[10.0, 20.0, 20.0, 40.0, 60.0]);
/// let r = Normalize::new().apply(&x, &[Direction::Benefit])?;
/// assert!((r[(3, 0)] - 0.6).abs() < 1e-12);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Normalize {
    method: Normalization,
    constant: ConstantColumn,
}

impl Normalize {
    /// Min-max with constant columns rejected.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Set the normalisation method.
    #[must_use]
    pub fn method(mut self, method: Normalization) -> Self {
        self.method = method;
        self
    }

    /// Set the constant-column policy.
    #[must_use]
    pub fn constant(mut self, policy: ConstantColumn) -> Self {
        self.constant = policy;
        self
    }

    /// The normalisation method.
    #[must_use]
    pub fn get_method(&self) -> Normalization {
        self.method
    }

    /// The constant-column policy.
    #[must_use]
    pub fn get_constant(&self) -> ConstantColumn {
        self.constant
    }

    /// Normalise every column of `x` by its direction.
    ///
    /// # Errors
    /// [`Error::Empty`] for no rows or columns; [`Error::DimensionMismatch`] if
    /// `directions` does not have one entry per column; [`Error::NonFinite`] for NaN or
    /// infinities (also in a target value); [`Error::InvalidInput`] naming the column for
    /// a constant column (unless a fallback is chosen), a zero divisor, or a value out
    /// of the method's domain (negative for `Sum`/`Max`, zero for their cost forms);
    /// [`Error::TooFewObservations`] for z-score or `ZeroToOne` ranks with one row.
    pub fn apply(&self, x: &DMatrix<f64>, directions: &[Direction]) -> Result<DMatrix<f64>> {
        if x.nrows() == 0 || x.ncols() == 0 {
            return Err(Error::Empty {
                what: "indicator matrix".into(),
            });
        }
        validate::same_len("directions (one per column)", x.ncols(), directions.len())?;
        validate::matrix_finite("indicator matrix", x)?;
        let mut out = DMatrix::zeros(x.nrows(), x.ncols());
        let mut col = vec![0.0; x.nrows()];
        for (j, &dir) in directions.iter().enumerate() {
            let src = x.column(j);
            let src = src.as_slice();
            self.column_into(src, dir, j, &mut col)?;
            out.column_mut(j).copy_from_slice(&col);
        }
        Ok(out)
    }

    /// Normalise one column (index `j` is used in error messages only).
    ///
    /// # Errors
    /// As [`Normalize::apply`].
    pub fn column(&self, x: &[f64], direction: Direction) -> Result<Vec<f64>> {
        if x.is_empty() {
            return Err(Error::Empty {
                what: "indicator column".into(),
            });
        }
        validate::slice_finite("indicator column", x)?;
        let mut out = vec![0.0; x.len()];
        self.column_into(x, direction, 0, &mut out)?;
        Ok(out)
    }

    fn constant_fallback(&self, j: usize, out: &mut [f64]) -> Result<()> {
        match self.constant {
            ConstantColumn::Error => Err(Error::input(
                format!("indicator column {j}"),
                "the column is constant (zero spread), so it cannot be normalised; \
                 drop it or choose a ConstantColumn fallback",
            )),
            ConstantColumn::Ones => {
                out.fill(1.0);
                Ok(())
            }
            ConstantColumn::Zeros => {
                out.fill(0.0);
                Ok(())
            }
        }
    }

    pub(crate) fn column_into(
        &self,
        x: &[f64],
        direction: Direction,
        j: usize,
        out: &mut [f64],
    ) -> Result<()> {
        let n = x.len();
        let cost = matches!(direction, Direction::Cost);
        if let Direction::Target(t) = direction {
            if !t.is_finite() {
                return Err(Error::NonFiniteAt {
                    what: "target value of direction".into(),
                    index: j,
                    value: t,
                });
            }
            let m = x.iter().fold(0.0_f64, |m, &v| m.max((v - t).abs()));
            if !(m > 0.0) {
                return self.constant_fallback(j, out);
            }
            for (o, &v) in out.iter_mut().zip(x) {
                *o = 1.0 - (v - t).abs() / m;
            }
            return Ok(());
        }
        match self.method {
            Normalization::MinMax => {
                let (lo, hi) = min_max(x);
                let range = hi - lo;
                if !(range > 0.0) || !range.is_finite() {
                    return self.constant_fallback(j, out);
                }
                for (o, &v) in out.iter_mut().zip(x) {
                    *o = if cost { (hi - v) / range } else { (v - lo) / range };
                }
            }
            Normalization::ZScore => {
                if n < 2 {
                    return Err(Error::TooFewObservations {
                        what: "z-score normalisation".into(),
                        needed: 2,
                        got: n,
                    });
                }
                let mean = x.iter().sum::<f64>() / n as f64;
                let ss: f64 = x.iter().map(|v| (v - mean) * (v - mean)).sum();
                let s = (ss / (n - 1) as f64).sqrt();
                if !(s > 0.0) || !s.is_finite() {
                    return self.constant_fallback(j, out);
                }
                let sign = if cost { -1.0 } else { 1.0 };
                for (o, &v) in out.iter_mut().zip(x) {
                    *o = sign * (v - mean) / s;
                }
            }
            Normalization::Sum => {
                if cost {
                    positive_column(x, j, "sum normalisation of a cost indicator")?;
                    let s: f64 = x.iter().map(|v| 1.0 / v).sum();
                    for (o, &v) in out.iter_mut().zip(x) {
                        *o = (1.0 / v) / s;
                    }
                } else {
                    non_negative_column(x, j, "sum normalisation")?;
                    let s: f64 = x.iter().sum();
                    if !(s > 0.0) || !s.is_finite() {
                        return Err(Error::input(
                            format!("indicator column {j}"),
                            "the column sums to zero, so shares are undefined",
                        ));
                    }
                    for (o, &v) in out.iter_mut().zip(x) {
                        *o = v / s;
                    }
                }
            }
            Normalization::Max => {
                if cost {
                    positive_column(x, j, "max normalisation of a cost indicator")?;
                    let (lo, _) = min_max(x);
                    for (o, &v) in out.iter_mut().zip(x) {
                        *o = lo / v;
                    }
                } else {
                    non_negative_column(x, j, "max normalisation")?;
                    let (_, hi) = min_max(x);
                    if !(hi > 0.0) {
                        return Err(Error::input(
                            format!("indicator column {j}"),
                            "the column maximum is zero, so x/max is undefined",
                        ));
                    }
                    for (o, &v) in out.iter_mut().zip(x) {
                        *o = v / hi;
                    }
                }
            }
            Normalization::Vector => {
                let norm = x.iter().map(|v| v * v).sum::<f64>().sqrt();
                if !(norm > 0.0) || !norm.is_finite() {
                    return Err(Error::input(
                        format!("indicator column {j}"),
                        "the column is all zeros (or overflows), so x/|x| is undefined",
                    ));
                }
                for (o, &v) in out.iter_mut().zip(x) {
                    *o = if cost { 1.0 - v / norm } else { v / norm };
                }
            }
            Normalization::PercentRank(ties) => {
                if ties == RankTies::ZeroToOne && n < 2 {
                    return Err(Error::TooFewObservations {
                        what: "percent rank (rank-1)/(n-1)".into(),
                        needed: 2,
                        got: n,
                    });
                }
                percent_rank(x, ties, out);
                if cost {
                    for o in out.iter_mut() {
                        *o = 1.0 - *o;
                    }
                }
            }
        }
        Ok(())
    }
}

pub(crate) fn min_max(x: &[f64]) -> (f64, f64) {
    x.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
        (lo.min(v), hi.max(v))
    })
}

fn positive_column(x: &[f64], j: usize, what: &str) -> Result<()> {
    match x.iter().position(|&v| !(v > 0.0)) {
        Some(i) => Err(Error::InvalidValue {
            what: what.into(),
            location: format!("row {i}, column {j}"),
            value: x[i],
            expected: "> 0".into(),
        }),
        None => Ok(()),
    }
}

fn non_negative_column(x: &[f64], j: usize, what: &str) -> Result<()> {
    match x.iter().position(|&v| !(v >= 0.0)) {
        Some(i) => Err(Error::InvalidValue {
            what: what.into(),
            location: format!("row {i}, column {j}"),
            value: x[i],
            expected: ">= 0".into(),
        }),
        None => Ok(()),
    }
}

/// Percentile ranks of finite `x` into `out` (same length), by the tie rule.
pub(crate) fn percent_rank(x: &[f64], ties: RankTies, out: &mut [f64]) {
    let n = x.len();
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let nf = n as f64;
    let mut start = 0;
    while start < n {
        let mut end = start + 1;
        while end < n && x[idx[end]].total_cmp(&x[idx[start]]).is_eq() {
            end += 1;
        }
        let below = start as f64;
        let equal = (end - start) as f64;
        let avg_rank = below + (equal + 1.0) / 2.0;
        let v = match ties {
            RankTies::MidRank => (below + 0.5 * equal) / nf,
            RankTies::RankOverN => avg_rank / nf,
            RankTies::ZeroToOne => (avg_rank - 1.0) / (nf - 1.0),
        };
        for &i in &idx[start..end] {
            out[i] = v;
        }
        start = end;
    }
}

/// Average ranks (1-based, ties averaged), as used by Spearman's correlation.
pub(crate) fn average_ranks(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mut out = vec![0.0; n];
    percent_rank(x, RankTies::RankOverN, &mut out);
    for o in &mut out {
        *o *= n as f64;
    }
    out
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    const X: [f64; 5] = [10.0, 20.0, 20.0, 40.0, 60.0];

    fn close(a: &[f64], b: &[f64]) {
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-12, "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn models_section_1_worked_example() {
        // MODELS.md §1: min-max (0,.2,.2,.6,1); z (-1,-.5,-.5,.5,1.5) with mean 30, s 20.
        let n = Normalize::new();
        close(&n.column(&X, Direction::Benefit).unwrap(), &[0.0, 0.2, 0.2, 0.6, 1.0]);
        let z = n.method(Normalization::ZScore);
        close(&z.column(&X, Direction::Benefit).unwrap(), &[-1.0, -0.5, -0.5, 0.5, 1.5]);
        let pr = n.method(Normalization::PercentRank(RankTies::MidRank));
        close(&pr.column(&X, Direction::Benefit).unwrap(), &[0.1, 0.4, 0.4, 0.7, 0.9]);
        let pr = n.method(Normalization::PercentRank(RankTies::RankOverN));
        close(&pr.column(&X, Direction::Benefit).unwrap(), &[0.2, 0.5, 0.5, 0.8, 1.0]);
        let pr = n.method(Normalization::PercentRank(RankTies::ZeroToOne));
        close(&pr.column(&X, Direction::Benefit).unwrap(), &[0.0, 0.375, 0.375, 0.75, 1.0]);
    }

    #[test]
    fn cost_and_target_forms() {
        // cost min-max: (60 - x)/50 = (1, .8, .8, .4, 0); target 20: |x-20| = (10,0,0,20,40),
        // max 40 -> 1 - d/40 = (.75, 1, 1, .5, 0).
        let n = Normalize::new();
        close(&n.column(&X, Direction::Cost).unwrap(), &[1.0, 0.8, 0.8, 0.4, 0.0]);
        close(&n.column(&X, Direction::Target(20.0)).unwrap(), &[0.75, 1.0, 1.0, 0.5, 0.0]);
        // sum: Σ = 150; max: x/60; vector: sqrt(100+400+400+1600+3600) = sqrt(6100).
        let s = n.method(Normalization::Sum).column(&X, Direction::Benefit).unwrap();
        assert!((s[0] - 10.0 / 150.0).abs() < 1e-15);
        let m = n.method(Normalization::Max).column(&X, Direction::Cost).unwrap();
        assert!((m[4] - 10.0 / 60.0).abs() < 1e-15);
        let v = n.method(Normalization::Vector).column(&X, Direction::Benefit).unwrap();
        assert!((v[4] - 60.0 / 6100f64.sqrt()).abs() < 1e-15);
    }

    #[test]
    fn constant_column_is_named_unless_fallback() {
        let x = DMatrix::from_row_slice(3, 2, &[1.0, 5.0, 2.0, 5.0, 3.0, 5.0]);
        let e = Normalize::new()
            .apply(&x, &[Direction::Benefit, Direction::Benefit])
            .unwrap_err();
        assert!(e.to_string().starts_with("invalid indicator column 1: the column is constant"));
        let r = Normalize::new()
            .constant(ConstantColumn::Ones)
            .apply(&x, &[Direction::Benefit, Direction::Benefit])
            .unwrap();
        assert_eq!(r[(2, 1)], 1.0);
    }
}
