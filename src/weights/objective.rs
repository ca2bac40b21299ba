//! Objective (data-driven) weights: entropy, CRITIC, standard deviation, coefficient
//! of variation, MEREC.

use std::fmt;

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use super::{Direction, Normalize, Weights};
use crate::{Error, Result};

/// The weighting method behind a set of weights (carried in results).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum WeightingMethod {
    /// Weights given by the caller.
    Fixed,
    /// AHP priorities.
    Ahp,
    /// Entropy weight method with the given variant.
    Entropy(EntropyVariant),
    /// CRITIC (Diakoulaki et al. 1995).
    Critic,
    /// Proportional to standard deviations.
    StdDev,
    /// Proportional to coefficients of variation.
    CoefficientOfVariation,
    /// MEREC (Keshavarz-Ghorabaee et al. 2021).
    Merec,
    /// A combination of two weight vectors.
    Combined(Combination),
}

impl fmt::Display for WeightingMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WeightingMethod::Fixed => f.pad("fixed"),
            WeightingMethod::Ahp => f.pad("AHP"),
            WeightingMethod::Entropy(v) => f.pad(&format!("entropy ({v})")),
            WeightingMethod::Critic => f.pad("CRITIC"),
            WeightingMethod::StdDev => f.pad("standard deviation"),
            WeightingMethod::CoefficientOfVariation => f.pad("coefficient of variation"),
            WeightingMethod::Merec => f.pad("MEREC"),
            WeightingMethod::Combined(c) => f.pad(&format!("combined ({c})")),
        }
    }
}

/// Objective weights with the per-criterion quantity they are proportional to.
///
/// # Example
///
/// ```
/// use crm_analytics::weights::{Direction, EntropyWeights};
/// use nalgebra::DMatrix;
///
/// // column 1 varies, column 2 is constant: all weight on column 1, E = (<1, 1)
/// let x = DMatrix::from_row_slice(3, 2, &[1.0, 5.0, 2.0, 5.0, 6.0, 5.0]);
/// let fit = EntropyWeights::new().weigh(&x, &[Direction::Benefit; 2])?;
/// assert_eq!(fit.weights().as_slice(), &[1.0, 0.0]);
/// assert_eq!(fit.entropy().map(|e| e[1]), Some(1.0));
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct ObjectiveWeights {
    method: WeightingMethod,
    weights: Weights,
    scores: Vec<f64>,
    entropy: Option<Vec<f64>>,
}

impl ObjectiveWeights {
    /// The weights.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }
    /// The method.
    #[must_use]
    pub fn method(&self) -> WeightingMethod {
        self.method
    }
    /// The un-normalised importance of each criterion: divergence `1 - E_j` (entropy),
    /// information `C_j` (CRITIC), `σ_j` (std), `σ_j/mean_j` (CV), removal effect
    /// `E_j` (MEREC).
    #[must_use]
    pub fn scores(&self) -> &[f64] {
        &self.scores
    }
    /// The entropies `E_j` (entropy method only).
    #[must_use]
    pub fn entropy(&self) -> Option<&[f64]> {
        self.entropy.as_deref()
    }
}

impl fmt::Display for ObjectiveWeights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} weights", self.method)?;
        writeln!(f, "{:>9}  {:>12}  {:>10}", "criterion", "score", "weight")?;
        for (j, (s, w)) in self.scores.iter().zip(self.weights.iter()).enumerate() {
            writeln!(f, "{:>9}  {:>12.6}  {:>10.6}", j + 1, s, w)?;
        }
        Ok(())
    }
}

fn check_matrix(
    x: &DMatrix<f64>,
    directions: &[Direction],
    min_rows: usize,
    what: &str,
) -> Result<()> {
    if x.nrows() == 0 || x.ncols() == 0 {
        return Err(Error::Empty {
            what: "indicator matrix".into(),
        });
    }
    crate::validate::same_len("directions (one per column)", x.ncols(), directions.len())?;
    crate::validate::matrix_finite("indicator matrix", x)?;
    if x.nrows() < min_rows {
        return Err(Error::TooFewObservations {
            what: what.into(),
            needed: min_rows,
            got: x.nrows(),
        });
    }
    Ok(())
}

fn finish(
    method: WeightingMethod,
    scores: Vec<f64>,
    entropy: Option<Vec<f64>>,
) -> Result<ObjectiveWeights> {
    let weights = Weights::from_scores(&scores).map_err(|_| {
        Error::input(
            "indicator matrix",
            format!("{method} gives every criterion zero importance (no column varies)"),
        )
    })?;
    Ok(ObjectiveWeights {
        method,
        weights,
        scores,
        entropy,
    })
}

/// Which matrix the entropy weight method measures (MODELS.md §2.2).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum EntropyVariant {
    /// `p_ij = x_ij/Σ_i x_ij` on the raw matrix (x ≥ 0); direction is ignored, since
    /// entropy measures dispersion. The published answers use this (default).
    #[default]
    Raw,
    /// Min-max normalise by direction first (Chinese thesis practice), `0·ln 0 = 0`.
    MinMax,
    /// Min-max by direction, then shift `r' = (1 - s)·r + s` so no entry is 0
    /// (`s = 0.01` gives the common `0.99·r + 0.01`); `s` must be in (0, 1).
    Shifted(f64),
}

impl fmt::Display for EntropyVariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntropyVariant::Raw => f.pad("raw"),
            EntropyVariant::MinMax => f.pad("min-max"),
            EntropyVariant::Shifted(s) => f.pad(&format!("min-max shifted by {s}")),
        }
    }
}

/// The entropy weight method (熵权法).
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `variant` | [`EntropyVariant::Raw`] | matrix the entropy is taken of | shift in (0, 1) |
///
/// # Formula
///
/// ```text
/// p_ij = x_ij / Σ_i x_ij;  E_j = -(1/ln n) Σ_i p_ij ln p_ij  (0·ln 0 = 0)
/// d_j = 1 - E_j;  w_j = d_j / Σ_k d_k
/// ```
///
/// # Example
///
/// ```
/// use crm_analytics::weights::{Direction, EntropyWeights};
/// use nalgebra::DMatrix;
///
/// // Xu (2004): weights .4630 .3992 .1378 .0000
/// let x = DMatrix::from_row_slice(4, 4, &[
///     30.0, 30.0, 38.0, 29.0, 19.0, 54.0, 86.0, 29.0,
///     19.0, 15.0, 85.0, 28.9, 68.0, 70.0, 60.0, 29.0]);
/// let fit = EntropyWeights::new().weigh(&x, &[Direction::Benefit; 4])?;
/// assert!((fit.weights().as_slice()[0] - 0.4630).abs() < 5e-5);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// - Xu, X. (2004). A note on the subjective and objective integrated approach to
///   determine attribute weights. *EJOR* 156(2), 530-532.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct EntropyWeights {
    variant: EntropyVariant,
}

impl EntropyWeights {
    /// Raw entropy weights.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }
    /// Set the variant.
    ///
    /// # Errors
    /// `weigh` rejects a shift outside (0, 1).
    #[must_use]
    pub fn variant(mut self, v: EntropyVariant) -> Self {
        self.variant = v;
        self
    }
    /// The variant.
    #[must_use]
    pub fn get_variant(&self) -> EntropyVariant {
        self.variant
    }

    /// Entropy weights of the columns of `x` (rows alternatives or customers).
    ///
    /// # Errors
    /// [`Error::Empty`], [`Error::DimensionMismatch`], [`Error::NonFinite`] as usual;
    /// [`Error::TooFewObservations`] for fewer than 2 rows; [`Error::InvalidValue`] for
    /// a negative entry (raw); [`Error::InvalidInput`] naming a column that sums to zero
    /// or is constant (min-max variants), or when no column varies.
    pub fn weigh(&self, x: &DMatrix<f64>, directions: &[Direction]) -> Result<ObjectiveWeights> {
        if self.variant == EntropyVariant::Raw {
            return raw_entropy(x, directions);
        }
        check_matrix(x, directions, 2, "entropy weights")?;
        let n = x.nrows();
        let ln_n = (n as f64).ln();
        if let EntropyVariant::Shifted(s) = self.variant {
            crate::validate::open_unit("entropy shift", s)?;
        }
        let data = x.as_slice(); // column-major: column j is data[j n..(j + 1) n]
        let mut buf = vec![0.0; n];
        let mut e = Vec::with_capacity(x.ncols());
        for (j, &dir) in directions.iter().enumerate() {
            let src = &data[j * n..(j + 1) * n];
            Normalize::new().column_into(src, dir, j, &mut buf)?;
            if let EntropyVariant::Shifted(s) = self.variant {
                for v in &mut buf {
                    *v = (1.0 - s) * *v + s;
                }
            }
            let (total, lo, hi) = crate::numeric::scan::sum_min_max(&buf);
            e.push(column_entropy(&buf, total, lo, hi, j, ln_n)?);
        }
        let d: Vec<f64> = e.iter().map(|v| (1.0 - v).max(0.0)).collect();
        finish(WeightingMethod::Entropy(self.variant), d, Some(e))
    }
}

/// Raw entropy weights: one pass per column for the sum and range (which also proves
/// every entry finite and non-negative), one for `Σ x ln x`; the columns' second halves
/// run on a second thread for large matrices (a fixed split, so the result does not
/// depend on the machine).
fn raw_entropy(x: &DMatrix<f64>, directions: &[Direction]) -> Result<ObjectiveWeights> {
    if x.nrows() == 0 || x.ncols() == 0 {
        return Err(Error::Empty {
            what: "indicator matrix".into(),
        });
    }
    crate::validate::same_len("directions (one per column)", x.ncols(), directions.len())?;
    let (n, m) = (x.nrows(), x.ncols());
    let data = x.as_slice(); // column-major: column j is data[j n..(j + 1) n]
    // Per column and half: (sum, min, max, Σ x ln x). The logarithm pass runs only when
    // the column half is finite, non-negative and not vanishingly small.
    let half = if n >= PARALLEL_CELLS / m.max(1) {
        n / 2
    } else {
        n
    };
    let scan = |rows: std::ops::Range<usize>| -> Vec<[f64; 4]> {
        (0..m)
            .map(|j| {
                let col = &data[j * n + rows.start..j * n + rows.end];
                let (t, lo, hi) = crate::numeric::scan::sum_min_max(col);
                let usable = t.is_finite() && lo >= 0.0;
                // A subnormal x is off by at most 745·2^-1022 in x ln x: negligible unless the
                // whole column is tiny, which takes the exact path.
                let sl = if usable && t > 1e-250 {
                    crate::numeric::log::sum_x_ln_x(col)
                } else {
                    f64::NAN // recomputed below if needed
                };
                [t, lo, hi, sl]
            })
            .collect()
    };
    let parts: Vec<Vec<[f64; 4]>> = if half < n {
        let (first, second) = crate::parallel::join(|| scan(0..half), || scan(half..n));
        vec![first, second.unwrap_or_default()]
    } else {
        vec![scan(0..n)]
    };
    if parts.iter().any(|p| p.len() != m) {
        // the worker thread panicked: cannot happen (no panicking code), but never
        // return a wrong answer
        return Err(Error::input("indicator matrix", "a worker thread failed"));
    }
    if n < 2 {
        crate::validate::matrix_finite("indicator matrix", x)?;
        return Err(Error::TooFewObservations {
            what: "entropy weights".into(),
            needed: 2,
            got: n,
        });
    }
    let sums: Vec<[f64; 4]> = (0..m)
        .map(|j| {
            parts.iter().fold(
                [0.0, f64::INFINITY, f64::NEG_INFINITY, 0.0],
                |[t, lo, hi, sl], p| {
                    let [pt, plo, phi, psl] = p[j];
                    [t + pt, lo.min(plo), hi.max(phi), sl + psl]
                },
            )
        })
        .collect();
    if sums.iter().any(|c| !c[0].is_finite()) {
        // name the first non-finite cell (a finite sum has only finite terms)
        crate::validate::matrix_finite("indicator matrix", x)?;
    }
    let ln_n = (n as f64).ln();
    let mut e = Vec::with_capacity(m);
    for (j, &[t, lo, hi, sl]) in sums.iter().enumerate() {
        let col = &data[j * n..(j + 1) * n];
        e.push(if sl.is_finite() {
            entropy_from_sums(col, t, lo, hi, sl, j, ln_n)?
        } else {
            // subnormal entries (or a bad half, reported here): the definition
            column_entropy(col, t, lo, hi, j, ln_n)?
        });
    }
    let d: Vec<f64> = e.iter().map(|v| (1.0 - v).max(0.0)).collect();
    finish(WeightingMethod::Entropy(EntropyVariant::Raw), d, Some(e))
}

/// Cells from which the raw entropy scan runs on two threads.
const PARALLEL_CELLS: usize = 1 << 18;

/// The checks shared by both entropy paths: `x >= 0`, a positive finite total; a
/// constant column has `E = 1` exactly.
fn column_checks(col: &[f64], total: f64, lo: f64, hi: f64, j: usize) -> Result<Option<f64>> {
    if !(lo >= 0.0) {
        let i = col.iter().position(|&v| !(v >= 0.0)).unwrap_or(0);
        return Err(Error::InvalidValue {
            what: "raw entropy weights need x >= 0; indicator matrix".into(),
            location: format!("row {i}, column {j}"),
            value: col[i],
            expected: ">= 0 (or use EntropyVariant::MinMax)".into(),
        });
    }
    if !(total > 0.0) || !total.is_finite() {
        return Err(Error::input(
            format!("indicator column {j}"),
            "the column sums to zero (or overflows), so its shares p_ij are undefined",
        ));
    }
    if !(hi > lo) {
        // A constant column has p_ij = 1/n exactly: E_j = 1, d_j = 0 (no rounding).
        return Ok(Some(1.0));
    }
    Ok(None)
}

/// `E_j` from the column's sums: with `p = x/T`,
/// `-Σ p ln p = ln T - (Σ x ln x)/T`.
fn entropy_from_sums(
    col: &[f64],
    total: f64,
    lo: f64,
    hi: f64,
    sum_x_ln_x: f64,
    j: usize,
    ln_n: f64,
) -> Result<f64> {
    if let Some(e) = column_checks(col, total, lo, hi, j)? {
        return Ok(e);
    }
    Ok((total.ln() - sum_x_ln_x / total) / ln_n)
}

/// `E_j` of one (normalised) column by the definition, with `f64::ln`: the path for the
/// min-max variants and for columns with subnormal entries.
fn column_entropy(col: &[f64], total: f64, lo: f64, hi: f64, j: usize, ln_n: f64) -> Result<f64> {
    if let Some(e) = column_checks(col, total, lo, hi, j)? {
        return Ok(e);
    }
    let inv = 1.0 / total;
    // eight partial sums, as in the fast path
    let mut h = [0.0; 8];
    for (i, &v) in col.iter().enumerate() {
        if v > 0.0 {
            let p = v * inv;
            h[i % 8] -= p * p.ln();
        }
    }
    Ok(h.iter().sum::<f64>() / ln_n)
}

/// CRITIC weights (Criteria Importance Through Intercriteria Correlation).
///
/// Columns are min-max normalised by direction (a constant column is an error), then
/// `C_j = σ_j Σ_k (1 - r_jk)` with `σ_j` the sample (n - 1) standard deviation and
/// `r` the Pearson correlation of the normalised columns; `w_j = C_j/Σ C`.
/// Direction matters: a cost criterion flips the sign of its correlations.
///
/// # Example
///
/// ```
/// use crm_analytics::weights::{Critic, Direction};
/// use nalgebra::DMatrix;
///
/// let x = DMatrix::from_row_slice(4, 2, &[1.0, 4.0, 2.0, 1.0, 3.0, 3.0, 4.0, 2.0]);
/// let fit = Critic::new().weigh(&x, &[Direction::Benefit, Direction::Cost])?;
/// assert_eq!(fit.weights().len(), 2);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// - Diakoulaki, D., Mavrotas, G. & Papayannakis, L. (1995). Determining objective
///   weights in multiple criteria problems: the CRITIC method. *Computers & OR* 22(7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Critic {
    _private: (),
}

impl Critic {
    /// CRITIC with the published definition.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// CRITIC weights of the columns of `x`.
    ///
    /// # Errors
    /// As [`Normalize::apply`] (a constant column is named); [`Error::TooFewObservations`]
    /// for fewer than 2 rows.
    pub fn weigh(&self, x: &DMatrix<f64>, directions: &[Direction]) -> Result<ObjectiveWeights> {
        check_matrix(x, directions, 2, "CRITIC weights")?;
        let (n, m) = x.shape();
        // Min-max by benefit or cost is an affine map of the column, r = sign·(x - a)/range,
        // so σ and the correlations of the normalised columns follow from the raw
        // column's own moments: σ_r = σ_x/range, r_jk(norm) = sign_j·sign_k·r_jk(raw).
        // Target columns are not affine in x: they are transformed explicitly.
        let mut cols: Vec<std::borrow::Cow<'_, [f64]>> = Vec::with_capacity(m);
        let mut scale = vec![1.0; m];
        let mut sign = vec![1.0; m];
        let data = x.as_slice(); // column-major: column j is data[j n..(j + 1) n]
        for (j, &dir) in directions.iter().enumerate() {
            let c = &data[j * n..(j + 1) * n];
            match dir {
                Direction::Target(_) => {
                    let mut r = vec![0.0; n];
                    Normalize::new().column_into(c, dir, j, &mut r)?;
                    cols.push(std::borrow::Cow::Owned(r));
                }
                _ => {
                    let (lo, hi) = super::normalize::min_max(c);
                    let range = hi - lo;
                    if !(range > 0.0 && range.is_finite()) {
                        // reports the constant column by name
                        let mut tmp = vec![0.0; n];
                        Normalize::new().column_into(c, dir, j, &mut tmp)?;
                    }
                    scale[j] = 1.0 / range;
                    if dir == Direction::Cost {
                        sign[j] = -1.0;
                    }
                    cols.push(std::borrow::Cow::Borrowed(c));
                }
            }
        }
        let gram = centred_gram(&cols, n);
        let diag: Vec<f64> = (0..m).map(|j| gram[j * m + j]).collect();
        if let Some(j) = diag.iter().position(|d| !(*d > 0.0)) {
            return Err(Error::input(
                format!("indicator column {j}"),
                "the normalised column has zero variance, so its correlations are undefined",
            ));
        }
        let scores: Vec<f64> = (0..m)
            .map(|j| {
                let sd = scale[j] * (diag[j] / (n - 1) as f64).sqrt();
                let s: f64 = (0..m)
                    .map(|k| {
                        let g = if j <= k {
                            gram[j * m + k]
                        } else {
                            gram[k * m + j]
                        };
                        1.0 - sign[j] * sign[k] * g / (diag[j] * diag[k]).sqrt()
                    })
                    .sum();
                sd * s
            })
            .collect();
        finish(WeightingMethod::Critic, scores, None)
    }
}

/// Weights proportional to each column's standard deviation (sample, n - 1).
///
/// By default the deviation is taken of the min-max normalised column, so that units
/// do not decide the weights; `normalize(false)` uses the raw column (pymcdm's form).
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `normalize` | `true` | min-max first | bool |
///
/// # Example
///
/// ```
/// use crm_analytics::weights::{Direction, StdDevWeights};
/// use nalgebra::DMatrix;
///
/// let x = DMatrix::from_row_slice(3, 2, &[0.0, 0.0, 1.0, 0.5, 2.0, 1.0]);
/// let fit = StdDevWeights::new().normalize(false).weigh(&x, &[Direction::Benefit; 2])?;
/// assert!((fit.weights().as_slice()[0] - 2.0 / 3.0).abs() < 1e-12);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StdDevWeights {
    normalize: bool,
}

impl Default for StdDevWeights {
    fn default() -> Self {
        StdDevWeights { normalize: true }
    }
}

impl StdDevWeights {
    /// Standard-deviation weights of min-max normalised columns.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }
    /// Normalise (min-max) before taking deviations.
    #[must_use]
    pub fn normalize(mut self, yes: bool) -> Self {
        self.normalize = yes;
        self
    }
    /// Whether columns are normalised first.
    #[must_use]
    pub fn get_normalize(&self) -> bool {
        self.normalize
    }

    /// The weights.
    ///
    /// # Errors
    /// As [`Normalize::apply`] when normalising; [`Error::TooFewObservations`] for fewer
    /// than 2 rows; [`Error::InvalidInput`] when every column is constant.
    pub fn weigh(&self, x: &DMatrix<f64>, directions: &[Direction]) -> Result<ObjectiveWeights> {
        check_matrix(x, directions, 2, "standard-deviation weights")?;
        let r = if self.normalize {
            Normalize::new().apply(x, directions)?
        } else {
            x.clone()
        };
        let scores: Vec<f64> = (0..r.ncols())
            .map(|j| sample_sd(r.column(j).as_slice()))
            .collect();
        finish(WeightingMethod::StdDev, scores, None)
    }
}

/// Upper triangle (row-major, `m x m`) of the centred cross-product matrix of the columns,
/// in row blocks that stay in cache, with four-lane dot products.
fn centred_gram(cols: &[std::borrow::Cow<'_, [f64]>], n: usize) -> Vec<f64> {
    const B: usize = 2048;
    let m = cols.len();
    let means: Vec<f64> = cols
        .iter()
        .map(|c| c.iter().sum::<f64>() / n as f64)
        .collect();
    let mut gram = vec![0.0; m * m];
    let mut block = vec![0.0; m * B];
    let mut r0 = 0;
    while r0 < n {
        let len = B.min(n - r0);
        for (j, c) in cols.iter().enumerate() {
            for (b, v) in block[j * B..j * B + len].iter_mut().zip(&c[r0..r0 + len]) {
                *b = v - means[j];
            }
        }
        for j in 0..m {
            let a = &block[j * B..j * B + len];
            for k in j..m {
                gram[j * m + k] += dot4(a, &block[k * B..k * B + len]);
            }
        }
        r0 += len;
    }
    gram
}

fn dot4(a: &[f64], b: &[f64]) -> f64 {
    let mut s = [0.0; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        s[0] += x[0] * y[0];
        s[1] += x[1] * y[1];
        s[2] += x[2] * y[2];
        s[3] += x[3] * y[3];
    }
    let mut t = (s[0] + s[1]) + (s[2] + s[3]);
    for (x, y) in ra.iter().zip(rb) {
        t += x * y;
    }
    t
}

fn sample_sd(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    (x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0)).sqrt()
}

/// Weights proportional to each column's coefficient of variation `σ_j/mean_j`
/// (sample σ), on the raw matrix; needs a positive mean (a ratio-scale indicator).
///
/// # Example
///
/// ```
/// use crm_analytics::weights::{CvWeights, Direction};
/// use nalgebra::DMatrix;
///
/// // CV: col 1 sd 1 / mean 2 = .5; col 2 sd 10 / mean 20 = .5 -> equal weights
/// let x = DMatrix::from_row_slice(3, 2, &[1.0, 10.0, 2.0, 20.0, 3.0, 30.0]);
/// let fit = CvWeights::new().weigh(&x, &[Direction::Benefit; 2])?;
/// assert!((fit.weights().as_slice()[0] - 0.5).abs() < 1e-12);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CvWeights {
    _private: (),
}

impl CvWeights {
    /// Coefficient-of-variation weights.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The weights (directions are checked for length but not used: CV measures
    /// dispersion).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming a column whose mean is not positive; otherwise as
    /// [`StdDevWeights::weigh`].
    pub fn weigh(&self, x: &DMatrix<f64>, directions: &[Direction]) -> Result<ObjectiveWeights> {
        check_matrix(x, directions, 2, "coefficient-of-variation weights")?;
        let mut scores = Vec::with_capacity(x.ncols());
        for j in 0..x.ncols() {
            let c = x.column(j);
            let c = c.as_slice();
            let mean = c.iter().sum::<f64>() / c.len() as f64;
            if !(mean > 0.0) {
                return Err(Error::input(
                    format!("indicator column {j}"),
                    format!(
                        "its mean is {mean}; the coefficient of variation needs a positive mean"
                    ),
                ));
            }
            scores.push(sample_sd(c) / mean);
        }
        finish(WeightingMethod::CoefficientOfVariation, scores, None)
    }
}

/// MEREC: weights from the removal effect of each criterion (Keshavarz-Ghorabaee et
/// al. 2021). Needs a strictly positive matrix.
///
/// # Formula
///
/// ```text
/// n_ij = min_k x_kj / x_ij (benefit),  x_ij / max_k x_kj (cost)
/// S_i = ln(1 + (1/m) Σ_j |ln n_ij|);   S'_ij = ln(1 + (1/m) Σ_{k≠j} |ln n_ik|)
/// E_j = Σ_i |S'_ij - S_i|;             w_j = E_j / Σ_k E_k
/// ```
///
/// # Example
///
/// ```
/// use crm_analytics::weights::{Direction, Merec};
/// use nalgebra::DMatrix;
///
/// let x = DMatrix::from_row_slice(5, 4, &[
///     450.0, 8000.0, 54.0, 145.0, 10.0, 9100.0, 2.0, 160.0, 100.0, 8200.0, 31.0, 153.0,
///     220.0, 9300.0, 1.0, 162.0, 5.0, 8400.0, 23.0, 158.0]);
/// use Direction::{Benefit as B, Cost as C};
/// let fit = Merec::new().weigh(&x, &[B, B, C, C])?;
/// assert!((fit.weights().as_slice()[0] - 0.5752).abs() < 5e-5);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// - Keshavarz-Ghorabaee, M., Amiri, M., Zavadskas, E. K., Turskis, Z. &
///   Antucheviciene, J. (2021). Determination of objective weights using a new method
///   based on the removal effects of criteria (MEREC). *Symmetry* 13(4), 525.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Merec {
    _private: (),
}

impl Merec {
    /// MEREC with the published definition.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The weights. A target direction is treated as benefit of the target score.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] naming a non-positive cell; [`Error::InvalidInput`] for
    /// fewer than 2 criteria; [`Error::Empty`], [`Error::DimensionMismatch`] and
    /// [`Error::NonFinite`] as usual.
    pub fn weigh(&self, x: &DMatrix<f64>, directions: &[Direction]) -> Result<ObjectiveWeights> {
        check_matrix(x, directions, 1, "MEREC weights")?;
        let (n, m) = x.shape();
        if m < 2 {
            return Err(Error::input(
                "indicator matrix",
                "MEREC needs at least 2 criteria (the removal effect of the only one is 0)",
            ));
        }
        let mut logs = DMatrix::zeros(n, m);
        for j in 0..m {
            let c = x.column(j);
            let c = c.as_slice();
            if let Some(i) = c.iter().position(|&v| !(v > 0.0)) {
                return Err(Error::InvalidValue {
                    what: "MEREC indicator matrix".into(),
                    location: format!("row {i}, column {j}"),
                    value: c[i],
                    expected: "> 0".into(),
                });
            }
            let (lo, hi) = super::normalize::min_max(c);
            for i in 0..n {
                let r = match directions[j] {
                    Direction::Cost => c[i] / hi,
                    _ => lo / c[i],
                };
                logs[(i, j)] = r.ln().abs();
            }
        }
        let mf = m as f64;
        let mut e = vec![0.0; m];
        for i in 0..n {
            let total: f64 = logs.row(i).sum();
            let s = (1.0 + total / mf).ln();
            for (j, ej) in e.iter_mut().enumerate() {
                let s_removed = (1.0 + (total - logs[(i, j)]) / mf).ln();
                *ej += (s_removed - s).abs();
            }
        }
        finish(WeightingMethod::Merec, e, None)
    }
}

/// How subjective (e.g. AHP) and objective weights are combined.
///
/// ```text
/// Linear(α):       w_j = α a_j + (1 - α) b_j          (default α = 0.5)
/// Multiplicative:  w_j = a_j b_j / Σ_k a_k b_k
/// ```
///
/// # Example
///
/// ```
/// use crm_analytics::weights::{Combination, Weights};
///
/// let a = Weights::new(vec![0.6, 0.4])?;
/// let b = Weights::new(vec![0.2, 0.8])?;
/// let w = Combination::Linear(0.5).combine(&a, &b)?;
/// assert!((w.as_slice()[0] - 0.4).abs() < 1e-12);
/// let w = Combination::Multiplicative.combine(&a, &b)?; // .12/.44, .32/.44
/// assert!((w.as_slice()[0] - 0.12 / 0.44).abs() < 1e-12);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Combination {
    /// `α a + (1 - α) b`, α in [0, 1].
    Linear(f64),
    /// `a ∘ b`, renormalised.
    Multiplicative,
}

impl Default for Combination {
    fn default() -> Self {
        Combination::Linear(0.5)
    }
}

impl fmt::Display for Combination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Combination::Linear(a) => f.pad(&format!("linear, alpha {a}")),
            Combination::Multiplicative => f.pad("multiplicative"),
        }
    }
}

impl Combination {
    /// Combine subjective weights `a` with objective weights `b`.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if lengths differ; [`Error::InvalidOption`] for α
    /// outside [0, 1]; [`Error::InvalidInput`] if a multiplicative product is all zero.
    pub fn combine(&self, a: &Weights, b: &Weights) -> Result<Weights> {
        crate::validate::same_len("weights to combine", a.len(), b.len())?;
        match *self {
            Combination::Linear(alpha) => {
                if !(alpha.is_finite() && (0.0..=1.0).contains(&alpha)) {
                    return Err(Error::option("alpha", alpha, "in [0, 1]"));
                }
                let s: Vec<f64> = a
                    .iter()
                    .zip(b.iter())
                    .map(|(x, y)| alpha * x + (1.0 - alpha) * y)
                    .collect();
                Weights::from_scores(&s)
            }
            Combination::Multiplicative => {
                let s: Vec<f64> = a.iter().zip(b.iter()).map(|(x, y)| x * y).collect();
                Weights::from_scores(&s)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merec_published_example() {
        // Keshavarz-Ghorabaee et al. (2021) Table 2 -> w = (.5752, .0141, .4016, .0091).
        let x = DMatrix::from_row_slice(
            5,
            4,
            &[
                450.0, 8000.0, 54.0, 145.0, 10.0, 9100.0, 2.0, 160.0, 100.0, 8200.0, 31.0, 153.0,
                220.0, 9300.0, 1.0, 162.0, 5.0, 8400.0, 23.0, 158.0,
            ],
        );
        use Direction::{Benefit as B, Cost as C};
        let w = Merec::new().weigh(&x, &[B, B, C, C]).unwrap();
        for (g, p) in w.weights().iter().zip([0.5752, 0.0141, 0.4016, 0.0091]) {
            assert!((g - p).abs() < 5e-5, "{g} vs {p}");
        }
    }

    #[test]
    fn entropy_of_constant_matrix_is_an_error() {
        let x = DMatrix::from_element(3, 2, 4.0);
        let e = EntropyWeights::new()
            .weigh(&x, &[Direction::Benefit; 2])
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid indicator matrix: entropy (raw) gives every criterion zero importance (no column varies)"
        );
    }
}
