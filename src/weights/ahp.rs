//! AHP: pairwise comparison matrices, priority vectors and consistency.

use std::fmt;

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use super::{RandomIndex, Weights};
use crate::{Error, Result};

/// How the priority vector is derived from a pairwise comparison matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum PriorityMethod {
    /// Principal (Perron) eigenvector by power iteration (Saaty; default).
    #[default]
    Eigenvector,
    /// Normalised row geometric means (= logarithmic least squares; used for group AHP).
    GeometricMean,
    /// Normalise each column to sum 1, then average the rows (和积法, "sum method").
    ArithmeticMean,
}

impl fmt::Display for PriorityMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            PriorityMethod::Eigenvector => "eigenvector",
            PriorityMethod::GeometricMean => "geometric mean",
            PriorityMethod::ArithmeticMean => "arithmetic mean",
        })
    }
}

/// A statistical warning about an AHP matrix: reported in the result, not an error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum AhpWarning {
    /// The consistency ratio exceeds the acceptance threshold (default 0.1, Saaty).
    Inconsistent {
        /// The consistency ratio.
        cr: f64,
        /// The threshold it exceeds.
        threshold: f64,
    },
    /// A judgement lies outside Saaty's scale `[1/9, 9]`.
    OutsideScale {
        /// Zero-based row.
        row: usize,
        /// Zero-based column.
        col: usize,
        /// The judgement.
        value: f64,
    },
}

impl fmt::Display for AhpWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AhpWarning::Inconsistent { cr, threshold } => write!(
                f,
                "consistency ratio {cr:.4} exceeds {threshold}: revise the judgements"
            ),
            AhpWarning::OutsideScale { row, col, value } => write!(
                f,
                "judgement ({row}, {col}) = {value} lies outside Saaty's scale 1/9..9"
            ),
        }
    }
}

/// The convergence record of the power iteration.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Convergence {
    /// Iterations performed.
    pub iterations: usize,
    /// `max_i |w_i(k) - w_i(k-1)|` at the last iteration.
    pub last_change: f64,
    /// The tolerance it was compared with.
    pub tolerance: f64,
}

/// Options for the Analytic Hierarchy Process on one pairwise comparison matrix.
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `method` | [`PriorityMethod::Eigenvector`] | priority vector | any |
/// | `random_index` | [`RandomIndex::Saaty1980`] | RI table for CR | a built-in table or [`RandomIndex::custom`]; must cover n |
/// | `reciprocity_tolerance` | `1e-6` | max `|a_ij·a_ji - 1|` | finite, ≥ 0 |
/// | `tolerance` | `1e-13` | power iteration stops at `max|Δw| <` this | finite, > 0 |
/// | `max_iterations` | `1000` | power iteration cap | ≥ 1 |
/// | `cr_threshold` | `0.1` | CR above this is flagged | finite, > 0 |
/// | `strict` | `false` | turn a CR above the threshold into an `Err` | any |
///
/// A user who types 0.333 for 1/3 fails the reciprocity check: enter the upper triangle
/// with [`Ahp::weigh_upper_triangle`] instead, which builds exact reciprocals.
///
/// # Formula
///
/// ```text
/// eigenvector:  w <- A w / ‖A w‖₁ until max|Δw| < tol;   λmax = mean_i (A w)_i / w_i
/// geometric:    w_i ∝ (Π_j a_ij)^(1/n)
/// arithmetic:   w_i = mean_j a_ij / Σ_k a_kj
/// CI = (λmax - n)/(n - 1);  CR = CI/RI(n);  CR = 0 for n ≤ 2
/// ```
/// For the approximate methods λmax is estimated the same way, `mean_i (A w)_i / w_i`.
///
/// # Example
///
/// ```
/// use crm_analytics::weights::Ahp;
///
/// // Price is 3x as important as coverage and 5x as important as service.
/// let fit = Ahp::new().weigh_upper_triangle(3, &[3.0, 5.0, 2.0])?;
/// assert!(fit.weights().as_slice()[0] > 0.6);
/// assert!(fit.consistency_ratio() < 0.1);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// - Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill.
/// - Saaty, T. L. (2008). Decision making with the analytic hierarchy process.
///   *Int. J. Services Sciences* 1(1), 83-98.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ahp {
    method: PriorityMethod,
    random_index: RandomIndex,
    reciprocity_tolerance: f64,
    tolerance: f64,
    max_iterations: usize,
    cr_threshold: f64,
    strict: bool,
}

impl Default for Ahp {
    fn default() -> Self {
        Ahp {
            method: PriorityMethod::Eigenvector,
            random_index: RandomIndex::Saaty1980,
            reciprocity_tolerance: 1e-6,
            tolerance: 1e-13,
            max_iterations: 1000,
            cr_threshold: 0.1,
            strict: false,
        }
    }
}

impl Ahp {
    /// The defaults of the table above.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }
    /// Set the priority method.
    #[must_use]
    pub fn method(mut self, m: PriorityMethod) -> Self {
        self.method = m;
        self
    }
    /// Set the RI table.
    #[must_use]
    pub fn random_index(mut self, t: RandomIndex) -> Self {
        self.random_index = t;
        self
    }
    /// Set the reciprocity tolerance.
    ///
    /// # Errors
    /// `weigh` rejects a negative or non-finite value ([`Error::InvalidOption`]).
    #[must_use]
    pub fn reciprocity_tolerance(mut self, t: f64) -> Self {
        self.reciprocity_tolerance = t;
        self
    }
    /// Set the power-iteration tolerance.
    ///
    /// # Errors
    /// `weigh` rejects a value that is not finite and > 0.
    #[must_use]
    pub fn tolerance(mut self, t: f64) -> Self {
        self.tolerance = t;
        self
    }
    /// Set the power-iteration cap.
    ///
    /// # Errors
    /// `weigh` rejects 0.
    #[must_use]
    pub fn max_iterations(mut self, n: usize) -> Self {
        self.max_iterations = n;
        self
    }
    /// Set the CR acceptance threshold.
    ///
    /// # Errors
    /// `weigh` rejects a value that is not finite and > 0.
    #[must_use]
    pub fn cr_threshold(mut self, t: f64) -> Self {
        self.cr_threshold = t;
        self
    }
    /// Make a CR above the threshold an error instead of a warning.
    #[must_use]
    pub fn strict(mut self, yes: bool) -> Self {
        self.strict = yes;
        self
    }
    /// The priority method.
    #[must_use]
    pub fn get_method(&self) -> PriorityMethod {
        self.method
    }
    /// The RI table.
    #[must_use]
    pub fn get_random_index(&self) -> &RandomIndex {
        &self.random_index
    }
    /// The reciprocity tolerance.
    #[must_use]
    pub fn get_reciprocity_tolerance(&self) -> f64 {
        self.reciprocity_tolerance
    }
    /// The power-iteration tolerance.
    #[must_use]
    pub fn get_tolerance(&self) -> f64 {
        self.tolerance
    }
    /// The power-iteration cap.
    #[must_use]
    pub fn get_max_iterations(&self) -> usize {
        self.max_iterations
    }
    /// The CR acceptance threshold.
    #[must_use]
    pub fn get_cr_threshold(&self) -> f64 {
        self.cr_threshold
    }
    /// Whether a high CR is an error.
    #[must_use]
    pub fn get_strict(&self) -> bool {
        self.strict
    }

    fn validate_options(&self) -> Result<()> {
        crate::validate::non_negative("reciprocity_tolerance", self.reciprocity_tolerance)?;
        crate::validate::positive("tolerance", self.tolerance)?;
        crate::validate::positive("cr_threshold", self.cr_threshold)?;
        if self.max_iterations == 0 {
            return Err(Error::option("max_iterations", 0, ">= 1"));
        }
        Ok(())
    }

    /// Priorities and consistency of a full pairwise comparison matrix.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for a bad option; [`Error::Empty`] for a 0x0 matrix;
    /// [`Error::DimensionMismatch`] if not square; [`Error::NonFinite`] for NaN/inf;
    /// [`Error::InvalidValue`] naming the cell for a non-positive judgement, a diagonal
    /// entry other than 1, or `|a_ij·a_ji - 1|` above the reciprocity tolerance;
    /// [`Error::LimitExceeded`] if the RI table does not cover `n > 2` (the message names
    /// tables that do; or supply one with [`RandomIndex::custom`]);
    /// [`Error::NotConverged`] if the power iteration hits its cap;
    /// [`Error::InvalidInput`] if judgements are too extreme for `f64` (λmax or a weight
    /// overflows or underflows, e.g. `f64::MAX` next to `1e-308`);
    /// with `strict(true)`, [`Error::InvalidInput`] if CR exceeds the threshold.
    pub fn weigh(&self, a: &DMatrix<f64>) -> Result<AhpWeights> {
        self.validate_options()?;
        validate_pairwise(a, self.reciprocity_tolerance)?;
        self.weigh_valid(a)
    }

    /// Priorities from the strict upper triangle, row by row:
    /// `a_12, a_13, ..., a_1n, a_23, ..., a_(n-1)n` (`n(n-1)/2` values). The lower
    /// triangle is filled with exact reciprocals and the diagonal with ones.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if `upper` has not `n(n-1)/2` values;
    /// [`Error::Empty`] for `n = 0`; [`Error::NonFinite`] or [`Error::InvalidValue`] naming
    /// the cell `(i, j)`, `i < j`, of a value that is not finite and > 0; otherwise as
    /// [`Ahp::weigh`].
    pub fn weigh_upper_triangle(&self, n: usize, upper: &[f64]) -> Result<AhpWeights> {
        self.validate_options()?;
        // Checked cell by cell while building: finite and > 0, exact reciprocals and a
        // unit diagonal by construction, so the full-matrix checks would find nothing.
        let a = from_upper_triangle(n, upper)?;
        self.weigh_valid(&a)
    }

    pub(crate) fn weigh_valid(&self, a: &DMatrix<f64>) -> Result<AhpWeights> {
        let n = a.nrows();
        let ri = if n > 2 {
            Some(self.random_index.try_value(n)?)
        } else {
            None
        };
        let (w, lambda_max, convergence) = match self.method {
            PriorityMethod::Eigenvector => {
                let (w, lambda, c) = power_iteration(a, self.tolerance, self.max_iterations)?;
                (w, lambda, Some(c))
            }
            PriorityMethod::GeometricMean => {
                let w = geometric_mean(a);
                let lambda = lambda_estimate(a, &w);
                (w, lambda, None)
            }
            PriorityMethod::ArithmeticMean => {
                let w = arithmetic_mean(a);
                let lambda = lambda_estimate(a, &w);
                (w, lambda, None)
            }
        };
        // Judgements near the limits of f64 (e.g. 1e308 next to 1e-308) can overflow A·w or
        // a column sum, or underflow a weight to 0; report it instead of returning NaN,
        // infinity or weights that do not sum to 1.
        let normalised = (w.iter().sum::<f64>() - 1.0).abs() <= 1e-9;
        if !(lambda_max.is_finite() && normalised && w.iter().all(|x| x.is_finite() && *x > 0.0)) {
            return Err(Error::input(
                "pairwise comparison matrix",
                format!(
                    "the {} priorities or lambda_max are not finite: judgements too extreme \
                     for f64 (largest {:e})",
                    self.method,
                    a.max()
                ),
            ));
        }
        let (ci, cr) = if n <= 2 {
            (0.0, 0.0)
        } else {
            let ci = (lambda_max - n as f64) / (n as f64 - 1.0);
            (ci, ri.map_or(0.0, |ri| ci / ri))
        };
        let mut warnings = Vec::new();
        if cr > self.cr_threshold {
            if self.strict {
                return Err(Error::input(
                    "pairwise comparison matrix",
                    format!(
                        "consistency ratio {cr:.4} ({}) exceeds the threshold {}",
                        self.random_index, self.cr_threshold
                    ),
                ));
            }
            warnings.push(AhpWarning::Inconsistent {
                cr,
                threshold: self.cr_threshold,
            });
        }
        let (lo, hi) = (1.0 / 9.0 - 1e-9, 9.0 + 1e-9);
        let on_scale = |v: &f64| (lo..=hi).contains(v);
        // One branch-free contiguous pass; the row-major pass that names the cells runs
        // only if a judgement is off the scale.
        let on = a
            .as_slice()
            .iter()
            .fold(true, |on, &v| on & (v >= lo) & (v <= hi));
        if !on {
            for i in 0..n {
                for j in 0..n {
                    let v = a[(i, j)];
                    if !on_scale(&v) {
                        warnings.push(AhpWarning::OutsideScale {
                            row: i,
                            col: j,
                            value: v,
                        });
                    }
                }
            }
        }
        Ok(AhpWeights {
            weights: Weights::from_normalized(w),
            lambda_max,
            ci,
            cr,
            random_index_value: ri,
            random_index_interpolation: self.random_index.interpolation(n),
            options: self.clone(),
            n,
            convergence,
            warnings,
        })
    }
}

/// Build a full reciprocal matrix from its strict upper triangle (row-major).
pub(crate) fn from_upper_triangle(n: usize, upper: &[f64]) -> Result<DMatrix<f64>> {
    if n == 0 {
        return Err(Error::Empty {
            what: "pairwise comparison matrix".into(),
        });
    }
    crate::validate::same_len(
        "upper triangle of the pairwise matrix (n(n-1)/2 values)",
        n * (n - 1) / 2,
        upper.len(),
    )?;
    // Fast path: one branch-free pass; the cell-by-cell pass runs only to name a bad cell.
    let ok = upper
        .iter()
        .fold(true, |ok, &v| ok & (v > 0.0) & (v < f64::INFINITY));
    if !ok {
        let mut k = 0;
        for i in 0..n {
            for j in (i + 1)..n {
                let v = upper[k];
                k += 1;
                if !v.is_finite() {
                    return Err(Error::NonFinite {
                        what: "pairwise comparison matrix".into(),
                        row: i,
                        col: j,
                        value: v,
                    });
                }
                if !(v > 0.0) {
                    return Err(Error::InvalidValue {
                        what: "pairwise comparison matrix".into(),
                        location: format!("row {i}, column {j}"),
                        value: v,
                        expected: "> 0".into(),
                    });
                }
            }
        }
    }
    // Column-major: below the diagonal, column i holds 1/a_ij for j > i contiguously
    // (a simple loop of divisions that vectorises); above it, row i is strided.
    let mut a = DMatrix::from_element(n, n, 1.0);
    let data = a.as_mut_slice();
    let mut k = 0;
    for i in 0..n {
        let row = &upper[k..k + n - i - 1];
        for (dst, &v) in data[i * n + i + 1..(i + 1) * n].iter_mut().zip(row) {
            *dst = 1.0 / v;
        }
        for (j, &v) in ((i + 1)..n).zip(row) {
            data[j * n + i] = v;
        }
        k += n - i - 1;
    }
    Ok(a)
}

/// Check: square, non-empty, finite, positive, unit diagonal, reciprocal within `tol`.
pub(crate) fn validate_pairwise(a: &DMatrix<f64>, tol: f64) -> Result<()> {
    let n = a.nrows();
    if n == 0 || a.ncols() == 0 {
        return Err(Error::Empty {
            what: "pairwise comparison matrix".into(),
        });
    }
    crate::validate::same_len("columns of the pairwise comparison matrix", n, a.ncols())?;
    crate::validate::matrix_finite("pairwise comparison matrix", a)?;
    let cell = |i: usize, j: usize, v: f64, expected: &str| Error::InvalidValue {
        what: "pairwise comparison matrix".into(),
        location: format!("row {i}, column {j}"),
        value: v,
        expected: expected.into(),
    };
    for i in 0..n {
        for j in 0..n {
            let v = a[(i, j)];
            if !(v > 0.0) {
                return Err(cell(i, j, v, "> 0"));
            }
        }
        if (a[(i, i)] - 1.0).abs() > tol {
            return Err(cell(i, i, a[(i, i)], "1 on the diagonal"));
        }
    }
    for i in 0..n {
        for j in (i + 1)..n {
            let v = a[(j, i)];
            if (a[(i, j)] * v - 1.0).abs() > tol {
                return Err(cell(
                    j,
                    i,
                    v,
                    &format!(
                        "the reciprocal of a[{i}][{j}] = {} within {tol:e}",
                        a[(i, j)]
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// A column-major copy of a square matrix whose columns are padded with zero rows to a
/// multiple of 8, so that `A w` runs in blocks of 8 rows whose partial sums stay in
/// registers (a row-by-row dot product is one serial chain of additions per row; a
/// column-by-column axpy loads and stores the whole result once per column).
struct BlockedMatrix {
    data: Vec<f64>,
    n: usize,
    stride: usize,
}

impl BlockedMatrix {
    const BLOCK: usize = 8;

    fn new(a: &DMatrix<f64>) -> Self {
        let n = a.nrows();
        let stride = n.div_ceil(Self::BLOCK) * Self::BLOCK;
        let mut data = vec![0.0; stride * n];
        for (dst, src) in data
            .chunks_exact_mut(stride)
            .zip(a.as_slice().chunks_exact(n))
        {
            dst[..n].copy_from_slice(src);
        }
        BlockedMatrix { data, n, stride }
    }

    /// `out[..n] = A w` (`w.len() == n`); `out` has `stride` entries, the padding gets 0.
    fn mul(&self, w: &[f64], out: &mut [f64]) {
        for (b, o) in out.chunks_exact_mut(Self::BLOCK).enumerate() {
            let lo = b * Self::BLOCK;
            let mut acc = [0.0; Self::BLOCK];
            for (col, &wj) in self.data.chunks_exact(self.stride).zip(w) {
                for (s, &x) in acc.iter_mut().zip(&col[lo..lo + Self::BLOCK]) {
                    *s += x * wj;
                }
            }
            o.copy_from_slice(&acc);
        }
    }

    /// `mean_i (A w)_i / w_i`, the λmax estimate.
    fn lambda(&self, w: &[f64], scratch: &mut [f64]) -> f64 {
        self.mul(w, scratch);
        scratch.iter().zip(w).map(|(x, wi)| x / wi).sum::<f64>() / self.n as f64
    }
}

/// Sum of a slice whose length is a multiple of 4, with four independent partial sums
/// (the padded vectors here have a multiple of [`BlockedMatrix::BLOCK`] = 8 entries).
fn sum4(x: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    for c in x.chunks_exact(4) {
        for (s, &v) in acc.iter_mut().zip(c) {
            *s += v;
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3])
}

/// The Perron vector by power iteration, and λmax at it.
fn power_iteration(
    a: &DMatrix<f64>,
    tol: f64,
    max_it: usize,
) -> Result<(Vec<f64>, f64, Convergence)> {
    let m = BlockedMatrix::new(a);
    let n = m.n;
    // w and A·w are padded to the block size with zeros, so every loop runs over whole
    // lanes of 4 and vectorises; the padding stays 0 (0·inv = 0).
    let mut w = vec![0.0; m.stride];
    w[..n].fill(1.0 / n as f64);
    let mut next = vec![0.0; m.stride];
    let mut change = f64::INFINITY;
    for it in 1..=max_it {
        m.mul(&w[..n], &mut next);
        let total = sum4(&next);
        if !(total.is_finite() && total > 0.0) {
            return Err(Error::input(
                "pairwise comparison matrix",
                format!("A·w is not finite at power iteration {it}: judgements too large to weigh"),
            ));
        }
        let inv = 1.0 / total;
        let mut lane = [0.0f64; 4];
        for (nc, wc) in next.chunks_exact(4).zip(w.chunks_exact_mut(4)) {
            for ((l, &nx), wi) in lane.iter_mut().zip(nc).zip(wc) {
                let v = nx * inv;
                let d = (v - *wi).abs();
                *l = if d > *l { d } else { *l };
                *wi = v;
            }
        }
        change = lane[0].max(lane[1]).max(lane[2].max(lane[3]));
        if change < tol {
            w.truncate(n);
            let lambda = m.lambda(&w, &mut next);
            return Ok((
                w,
                lambda,
                Convergence {
                    iterations: it,
                    last_change: change,
                    tolerance: tol,
                },
            ));
        }
    }
    Err(Error::NotConverged {
        what: "AHP power iteration".into(),
        iterations: max_it,
        last_change: change,
    })
}

fn geometric_mean(a: &DMatrix<f64>) -> Vec<f64> {
    let n = a.nrows();
    let g: Vec<f64> = (0..n)
        .map(|i| ((0..n).map(|j| a[(i, j)].ln()).sum::<f64>() / n as f64).exp())
        .collect();
    let s: f64 = g.iter().sum();
    g.into_iter().map(|v| v / s).collect()
}

fn arithmetic_mean(a: &DMatrix<f64>) -> Vec<f64> {
    let n = a.nrows();
    let colsum: Vec<f64> = (0..n).map(|j| a.column(j).sum()).collect();
    (0..n)
        .map(|i| (0..n).map(|j| a[(i, j)] / colsum[j]).sum::<f64>() / n as f64)
        .collect()
}

/// `mean_i (A w)_i / w_i`.
fn lambda_estimate(a: &DMatrix<f64>, w: &[f64]) -> f64 {
    let m = BlockedMatrix::new(a);
    let mut scratch = vec![0.0; m.stride];
    m.lambda(w, &mut scratch)
}

/// The priorities and consistency of one pairwise comparison matrix.
///
/// Produced by [`Ahp::weigh`]. A consistency ratio above the threshold is reported in
/// [`AhpWeights::warnings`], not as an error (unless [`Ahp::strict`]).
///
/// # Example
///
/// ```
/// use crm_analytics::weights::{Ahp, AhpWarning, RandomIndex};
///
/// // An intransitive 3x3: a > b (5), b > c (5), but c > a (3).
/// let fit = Ahp::new()
///     .random_index(RandomIndex::Saaty2005)
///     .weigh_upper_triangle(3, &[5.0, 1.0 / 3.0, 5.0])?;
/// assert!(!fit.is_consistent());
/// assert!(matches!(fit.warnings()[0], AhpWarning::Inconsistent { .. }));
/// assert_eq!(fit.random_index_value(), Some(0.52));
/// let text = fit.to_string(); // weights, lambda_max, CI, CR with the table's name
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct AhpWeights {
    weights: Weights,
    lambda_max: f64,
    ci: f64,
    cr: f64,
    random_index_value: Option<f64>,
    random_index_interpolation: Option<(usize, usize)>,
    options: Ahp,
    n: usize,
    convergence: Option<Convergence>,
    warnings: Vec<AhpWarning>,
}

impl AhpWeights {
    /// The priority vector.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }
    /// λmax, `mean_i (A w)_i / w_i`.
    #[must_use]
    pub fn lambda_max(&self) -> f64 {
        self.lambda_max
    }
    /// Consistency index `(λmax - n)/(n - 1)` (0 for n ≤ 2).
    #[must_use]
    pub fn consistency_index(&self) -> f64 {
        self.ci
    }
    /// Consistency ratio `CI/RI(n)` (0 for n ≤ 2 by definition).
    #[must_use]
    pub fn consistency_ratio(&self) -> f64 {
        self.cr
    }
    /// `RI(n)` from the table used; `None` for n ≤ 2.
    #[must_use]
    pub fn random_index_value(&self) -> Option<f64> {
        self.random_index_value
    }
    /// The RI table used.
    #[must_use]
    pub fn random_index(&self) -> &RandomIndex {
        &self.options.random_index
    }
    /// The published orders `(n0, n1)` that `RI(n)` was interpolated between
    /// (Donegan & Dodd for 20 < n < 100 off its published orders), else `None`.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::weights::{Ahp, RandomIndex};
    ///
    /// // 22 items, all equally important: CR = 0, RI interpolated between n = 20 and 25.
    /// let fit = Ahp::new()
    ///     .random_index(RandomIndex::DoneganDodd1991)
    ///     .weigh_upper_triangle(22, &vec![1.0; 22 * 21 / 2])?;
    /// assert_eq!(fit.random_index_interpolation(), Some((20, 25)));
    /// assert!(fit.to_string().contains("interpolated between n = 20 and n = 25"));
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn random_index_interpolation(&self) -> Option<(usize, usize)> {
        self.random_index_interpolation
    }
    /// Whether CR ≤ the threshold.
    #[must_use]
    pub fn is_consistent(&self) -> bool {
        self.cr <= self.options.cr_threshold
    }
    /// Matrix order n.
    #[must_use]
    pub fn n(&self) -> usize {
        self.n
    }
    /// The options used.
    pub fn options(&self) -> &Ahp {
        &self.options
    }
    /// The power-iteration record (eigenvector method only).
    #[must_use]
    pub fn convergence(&self) -> Option<Convergence> {
        self.convergence
    }
    /// Warnings: CR above the threshold, judgements outside 1/9..9.
    #[must_use]
    pub fn warnings(&self) -> &[AhpWarning] {
        &self.warnings
    }
    /// Saaty's stricter acceptance (CR < 0.05 for n = 3, < 0.08 for n = 4, < 0.1 otherwise).
    #[must_use]
    pub fn saaty_strict_acceptable(&self) -> bool {
        let t = match self.n {
            3 => 0.05,
            4 => 0.08,
            _ => 0.1,
        };
        self.cr < t
    }
    /// Alonso & Lamata (2006) linear rule: `λmax < n + 0.1·(1.7699 n - 4.3513)`.
    #[must_use]
    pub fn alonso_lamata_acceptable(&self) -> bool {
        let n = self.n as f64;
        self.n <= 2 || self.lambda_max < n + 0.1 * (1.7699 * n - 4.3513)
    }
}

impl fmt::Display for AhpWeights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "AHP priorities ({}, n = {})",
            self.options.method, self.n
        )?;
        writeln!(f, "{:>6}  {:>10}", "item", "weight")?;
        for (i, w) in self.weights.iter().enumerate() {
            writeln!(f, "{:>6}  {:>10.6}", i + 1, w)?;
        }
        writeln!(
            f,
            "lambda_max = {:.6}, CI = {:.6}",
            self.lambda_max, self.ci
        )?;
        match self.random_index_value {
            Some(ri) => {
                write!(
                    f,
                    "CR = {:.4} (RI = {ri} from {}",
                    self.cr, self.options.random_index
                )?;
                if let Some((n0, n1)) = self.random_index_interpolation {
                    write!(f, ", interpolated between n = {n0} and n = {n1}")?;
                }
                writeln!(f, ")")?;
            }
            None => writeln!(f, "CR = 0 (n <= 2: always consistent)")?,
        }
        if let Some(c) = self.convergence {
            writeln!(
                f,
                "power iteration: {} iterations, last change {:.1e}",
                c.iterations, c.last_change
            )?;
        }
        for w in &self.warnings {
            writeln!(f, "warning: {w}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn consistent_matrix_is_exact() {
        // a_ij = w_i/w_j with w = (.5, .3, .2): eigenvector = w, λmax = 3, CI = 0.
        let w = [0.5, 0.3, 0.2];
        let a = DMatrix::from_fn(3, 3, |i, j| w[i] / w[j]);
        for m in [
            PriorityMethod::Eigenvector,
            PriorityMethod::GeometricMean,
            PriorityMethod::ArithmeticMean,
        ] {
            let fit = Ahp::new().method(m).weigh(&a).unwrap();
            for (x, y) in fit.weights().iter().zip(w) {
                assert!((x - y).abs() < 1e-14);
            }
            assert!((fit.lambda_max() - 3.0).abs() < 1e-12);
            assert!(fit.consistency_ratio().abs() < 1e-12);
        }
    }

    #[test]
    fn validation_names_the_cell() {
        let a = DMatrix::from_row_slice(2, 2, &[1.0, 3.0, 0.333, 1.0]);
        let e = Ahp::new().weigh(&a).unwrap_err();
        assert_eq!(
            e.to_string(),
            "pairwise comparison matrix at row 1, column 0 must be the reciprocal of \
             a[0][1] = 3 within 1e-6, got 0.333"
        );
        let a = DMatrix::from_row_slice(2, 2, &[1.0, -3.0, 0.5, 1.0]);
        assert!(
            Ahp::new()
                .weigh(&a)
                .unwrap_err()
                .to_string()
                .contains("row 0, column 1")
        );
        let a = DMatrix::from_element(11, 11, 1.0);
        let e = Ahp::new().weigh(&a).unwrap_err();
        assert!(e.to_string().starts_with(
            "matrix order n for the random-index table Saaty (1980): 11 exceeds the limit of 10"
        ));
        assert!(
            Ahp::new()
                .random_index(RandomIndex::Saaty2005)
                .weigh(&a)
                .is_ok()
        );
    }

    #[test]
    fn extreme_judgements_are_an_error_not_nan() {
        // Every judgement f64::MAX: column sums overflow (arithmetic mean) and A·w overflows.
        for m in [
            PriorityMethod::Eigenvector,
            PriorityMethod::GeometricMean,
            PriorityMethod::ArithmeticMean,
        ] {
            let r = Ahp::new().method(m).weigh_upper_triangle(3, &[f64::MAX; 3]);
            match r {
                Ok(fit) => {
                    assert!(fit.consistency_ratio().is_finite());
                    assert!(fit.weights().iter().all(|w| w.is_finite()));
                }
                Err(e) => assert!(e.to_string().contains("too extreme"), "{e}"),
            }
        }
    }

    #[test]
    fn n_two_is_consistent_by_definition() {
        let fit = Ahp::new().weigh_upper_triangle(2, &[3.0]).unwrap();
        assert_eq!(fit.consistency_ratio(), 0.0);
        assert!((fit.weights().as_slice()[0] - 0.75).abs() < 1e-14);
        let fit = Ahp::new().weigh_upper_triangle(1, &[]).unwrap();
        assert_eq!(fit.weights().as_slice(), &[1.0]);
    }
}
