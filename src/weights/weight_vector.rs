//! The [`Weights`] newtype.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// Weights that are finite, non-negative and sum to 1 within [`Weights::TOLERANCE`].
///
/// The output of every weighting method (AHP, entropy, CRITIC, ...) and the input of
/// value indices. The constructor validates, so a `Weights` in hand is always valid,
/// including one read from JSON (`#[serde(try_from = "Vec<f64>")]`). It implements the
/// `approx` traits, so whole weight vectors compare with one macro.
///
/// # Example
///
/// ```
/// use crm_analytics::weights::Weights;
///
/// let w = Weights::new(vec![0.5, 0.3, 0.2])?;
/// assert_eq!(w.len(), 3);
/// let v = Weights::from_scores(&[2.0, 1.0, 1.0])?; // normalised: (.5, .25, .25)
/// approx::assert_relative_eq!(v, Weights::new(vec![0.5, 0.25, 0.25])?);
/// assert!(Weights::new(vec![0.5, 0.6]).is_err());
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Vec<f64>", into = "Vec<f64>")]
pub struct Weights(Vec<f64>);

impl Weights {
    /// Absolute tolerance on `|Σw - 1|` accepted by [`Weights::new`]: `1e-9`, loose
    /// enough for weights typed from a table with nine decimals, tight enough to catch
    /// a forgotten normalisation.
    pub const TOLERANCE: f64 = 1e-9;

    /// Validated weights.
    ///
    /// # Errors
    /// [`Error::Empty`] for no weights; [`Error::NonFiniteAt`] for NaN/inf;
    /// [`Error::InvalidValue`] for a negative weight; [`Error::InvalidInput`] if the sum
    /// differs from 1 by more than [`Weights::TOLERANCE`].
    pub fn new(w: Vec<f64>) -> Result<Self> {
        check_scores(&w)?;
        let s: f64 = w.iter().sum();
        if (s - 1.0).abs() > Self::TOLERANCE {
            return Err(Error::input(
                "weights",
                format!("they must sum to 1 within 1e-9, got sum {s}"),
            ));
        }
        Ok(Weights(w))
    }

    /// Weights proportional to non-negative `scores` (`w_j = s_j / Σs`).
    ///
    /// # Errors
    /// As [`Weights::new`] for empty, non-finite or negative scores;
    /// [`Error::InvalidInput`] if every score is zero.
    pub fn from_scores(scores: &[f64]) -> Result<Self> {
        check_scores(scores)?;
        let s: f64 = scores.iter().sum();
        if !(s > 0.0) || !s.is_finite() {
            return Err(Error::input(
                "weight scores",
                "all scores are zero, so no weights can be derived",
            ));
        }
        Ok(Weights(scores.iter().map(|v| v / s).collect()))
    }

    /// Equal weights `1/n`.
    ///
    /// # Errors
    /// [`Error::Empty`] if `n == 0`.
    pub fn uniform(n: usize) -> Result<Self> {
        if n == 0 {
            return Err(Error::Empty {
                what: "weights".into(),
            });
        }
        Ok(Weights(vec![1.0 / n as f64; n]))
    }

    /// Trusted constructor for internal callers that normalise themselves.
    pub(crate) fn from_normalized(w: Vec<f64>) -> Self {
        Weights(w)
    }

    /// The weights as a slice.
    #[must_use]
    pub fn as_slice(&self) -> &[f64] {
        &self.0
    }

    /// The weights as a vector.
    #[must_use]
    pub fn into_inner(self) -> Vec<f64> {
        self.0
    }

    /// Number of weights.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false`: weights are never empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The `i`-th weight, if any.
    #[must_use]
    pub fn get(&self, i: usize) -> Option<f64> {
        self.0.get(i).copied()
    }

    /// Iterate over the weights.
    pub fn iter(&self) -> std::slice::Iter<'_, f64> {
        self.0.iter()
    }

    /// `Σ w_j x_j` for a row of normalised indicators.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if `x` has another length.
    pub fn dot(&self, x: &[f64]) -> Result<f64> {
        crate::validate::same_len("indicator row", self.len(), x.len())?;
        Ok(self.0.iter().zip(x).map(|(w, v)| w * v).sum())
    }

    /// `Σ_j w_j x_ij` for every row of a row-major table (one row of `len()` indicators
    /// per customer): a composite index per customer. Large tables run on two threads
    /// (a fixed split; each row's sum is taken in the same order whatever the split).
    ///
    /// # Errors
    /// [`Error::Empty`] for an empty table; [`Error::DimensionMismatch`] if its length
    /// is not a multiple of `len()`; [`Error::NonFinite`] naming the first non-finite
    /// cell (row, column).
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::weights::Weights;
    ///
    /// let w = Weights::new(vec![0.5, 0.3, 0.2])?;
    /// // two customers, three indicators each
    /// let idx = w.score_rows(&[1.0, 0.0, 0.0, 0.2, 0.5, 1.0])?;
    /// assert!((idx[0] - 0.5).abs() < 1e-15 && (idx[1] - 0.45).abs() < 1e-15);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn score_rows(&self, table: &[f64]) -> Result<Vec<f64>> {
        let n = rows_of("indicator table", table, self.len())?;
        let mut out = vec![0.0; n];
        let w = self.as_slice();
        let score = |rows: &[f64], out: &mut [f64]| score_rows_into(w, rows, out);
        if n >= PARALLEL_ROWS {
            let half = n / 2;
            let (ta, tb) = table.split_at(half * w.len());
            let (oa, ob) = out.split_at_mut(half);
            std::thread::scope(|s| {
                s.spawn(|| score(tb, ob));
                score(ta, oa);
            });
        } else {
            score(table, &mut out);
        }
        if !out.iter().all(|v| v.is_finite()) {
            // a finite weighted sum of finite cells can still overflow; name the cell
            // when there is one
            check_table_finite("indicator table", table, w.len())?;
            return Err(Error::input(
                "indicator table",
                "a weighted row sum overflows the range of f64",
            ));
        }
        Ok(out)
    }
}

/// Rows from which row scoring runs on two threads.
const PARALLEL_ROWS: usize = 1 << 16;

/// `Σ_j w_j x_j` in column order.
#[inline]
pub(crate) fn row_score(w: &[f64], row: &[f64]) -> f64 {
    let mut terms = w.iter().zip(row).map(|(wj, xj)| wj * xj);
    let first = terms.next().unwrap_or(0.0);
    terms.fold(first, |s, t| s + t)
}

/// `out[i] = Σ_j w_j x_ij` for the rows of a row-major table with `w.len()` columns
/// (`out.len()` rows), with the sum in column order; tables of 1 to 4 columns get a
/// loop with the width fixed at compile time.
pub(crate) fn score_rows_into(w: &[f64], table: &[f64], out: &mut [f64]) {
    fn fixed<const K: usize>(w: &[f64], table: &[f64], out: &mut [f64]) {
        let mut wk = [0.0; K];
        wk.copy_from_slice(&w[..K]);
        for (o, r) in out.iter_mut().zip(table.chunks_exact(K)) {
            // from the first product, not from 0.0 (whose add the compiler must keep)
            let mut s = wk[0] * r[0];
            for j in 1..K {
                s += wk[j] * r[j];
            }
            *o = s;
        }
    }
    match w.len() {
        1 => fixed::<1>(w, table, out),
        2 => fixed::<2>(w, table, out),
        3 => fixed::<3>(w, table, out),
        4 => fixed::<4>(w, table, out),
        k => {
            for (o, r) in out.iter_mut().zip(table.chunks_exact(k)) {
                *o = row_score(w, r);
            }
        }
    }
}

/// Number of rows of a row-major table with `k` columns.
pub(crate) fn rows_of(what: &str, table: &[f64], k: usize) -> Result<usize> {
    if table.is_empty() {
        return Err(Error::Empty { what: what.into() });
    }
    if k == 0 || !table.len().is_multiple_of(k) {
        return Err(Error::DimensionMismatch {
            what: format!("{what} (row-major, {k} values per row)"),
            expected: table.len().div_ceil(k.max(1)) * k.max(1),
            found: table.len(),
        });
    }
    Ok(table.len() / k)
}

/// The first non-finite cell of a row-major table, as an error.
pub(crate) fn check_table_finite(what: &str, table: &[f64], k: usize) -> Result<()> {
    match table.iter().position(|v| !v.is_finite()) {
        Some(i) => Err(Error::NonFinite {
            what: what.into(),
            row: i / k.max(1),
            col: i % k.max(1),
            value: table[i],
        }),
        None => Ok(()),
    }
}

fn check_scores(w: &[f64]) -> Result<()> {
    if w.is_empty() {
        return Err(Error::Empty {
            what: "weights".into(),
        });
    }
    crate::validate::slice_finite("weights", w)?;
    if let Some(i) = w.iter().position(|&v| !(v >= 0.0)) {
        return Err(Error::InvalidValue {
            what: "weight".into(),
            location: format!("index {i}"),
            value: w[i],
            expected: ">= 0".into(),
        });
    }
    Ok(())
}

impl TryFrom<Vec<f64>> for Weights {
    type Error = Error;
    fn try_from(w: Vec<f64>) -> Result<Self> {
        Weights::new(w)
    }
}

impl From<Weights> for Vec<f64> {
    fn from(w: Weights) -> Vec<f64> {
        w.0
    }
}

impl<'a> IntoIterator for &'a Weights {
    type Item = &'a f64;
    type IntoIter = std::slice::Iter<'a, f64>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl fmt::Display for Weights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "(")?;
        for (i, w) in self.0.iter().enumerate() {
            if i > 0 {
                write!(f, ", ")?;
            }
            write!(f, "{w:.4}")?;
        }
        write!(f, ")")
    }
}

impl approx::AbsDiffEq for Weights {
    type Epsilon = f64;
    fn default_epsilon() -> f64 {
        f64::EPSILON
    }
    fn abs_diff_eq(&self, other: &Self, epsilon: f64) -> bool {
        self.len() == other.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|(a, b)| a.abs_diff_eq(b, epsilon))
    }
}

impl approx::RelativeEq for Weights {
    fn default_max_relative() -> f64 {
        f64::EPSILON
    }
    fn relative_eq(&self, other: &Self, epsilon: f64, max_relative: f64) -> bool {
        self.len() == other.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|(a, b)| a.relative_eq(b, epsilon, max_relative))
    }
}

impl approx::UlpsEq for Weights {
    fn default_max_ulps() -> u32 {
        4
    }
    fn ulps_eq(&self, other: &Self, epsilon: f64, max_ulps: u32) -> bool {
        self.len() == other.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|(a, b)| a.ulps_eq(b, epsilon, max_ulps))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_messages() {
        assert_eq!(
            Weights::new(vec![0.5, 0.6]).unwrap_err().to_string(),
            "invalid weights: they must sum to 1 within 1e-9, got sum 1.1"
        );
        assert_eq!(
            Weights::new(vec![1.5, -0.5]).unwrap_err().to_string(),
            "weight at index 1 must be >= 0, got -0.5"
        );
        assert!(Weights::new(vec![f64::NAN]).is_err());
        assert!(Weights::from_scores(&[0.0, 0.0]).is_err());
        let w: Weights = serde_json::from_str("[0.25, 0.75]").unwrap();
        assert_eq!(w.as_slice(), &[0.25, 0.75]);
        assert!(serde_json::from_str::<Weights>("[0.25, 0.8]").is_err());
    }
}
