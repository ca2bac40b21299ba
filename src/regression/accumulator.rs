//! The mergeable R-factor state: streaming, parallel and distributed least squares.

use std::fmt;

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

use super::inference;
use super::options::Ols;
use crate::{Error, Result, validate};

/// A mergeable least-squares state: the upper-triangular R factor of the (shifted)
/// augmented matrix `[1 | X | y]`, which is a sufficient statistic for OLS.
///
/// Three operations, in any partition and any order, give the same fit as the one-shot
/// [`Ols::fit`] (within `1e-10` relative; a property test checks it):
///
/// - [`fold`](OlsAccumulator::fold) a block of rows (Householder QR of `R` stacked on
///   the block);
/// - [`merge`](OlsAccumulator::merge) two states (QR of the two stacked R factors: TSQR);
/// - [`finish`](OlsAccumulator::finish) into an [`OlsSummary`].
///
/// Memory is `O(k²)` whatever the number of rows, so a fit streams over data larger than
/// memory, runs one state per thread and merges, or runs inside a distributed engine that
/// folds partitions and merges on the way back. The state serialises with serde.
///
/// With an intercept, rows are shifted by the first block's column means before they are
/// folded (`[1 | X - c | y - e]`), which keeps the leading constant digits of the data out
/// of the factorisation; moving a state to another shift is exact (it changes only the
/// first row of R), so states with different shifts merge.
///
/// Per-row statistics (residuals, leverage, robust covariance) need the rows themselves
/// and are not available from the state; use [`Ols::fit`] for them.
///
/// # Example
///
/// ```
/// use crm_analytics::regression::{Ols, OlsAccumulator};
/// use nalgebra::{DMatrix, DVector};
///
/// let x = DMatrix::from_fn(100, 2, |i, j| ((i * (j + 3)) % 17) as f64);
/// let y = DVector::from_fn(100, |i, _| 1.0 + 0.5 * x[(i, 0)] - 0.25 * x[(i, 1)] + (i % 5) as f64 * 0.1);
///
/// let mut left = OlsAccumulator::new(2, true);
/// left.fold(&x.rows(0, 60).into_owned(), &y.rows(0, 60).into_owned())?;
/// let mut right = OlsAccumulator::new(2, true);
/// right.fold(&x.rows(60, 40).into_owned(), &y.rows(60, 40).into_owned())?;
/// left.merge(&right)?;
///
/// let streamed = left.finish(Ols::new())?;
/// let one_shot = Ols::new().fit(&x, &y)?;
/// assert!((streamed.coefficients()[1] - one_shot.coefficients()[1]).abs() < 1e-12);
/// assert!((streamed.r_squared() - one_shot.r_squared()).abs() < 1e-12);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// - Demmel, Grigori, Hoemmen & Langou (2012). Communication-optimal parallel and
///   sequential QR and LU factorizations. *SIAM J. Sci. Comput.* 34(1), A206-A239.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OlsAccumulator {
    k: usize,
    intercept: bool,
    n: usize,
    /// Column shift `c` of x and shift `e` of y (zeros until the first block).
    x_shift: DVector<f64>,
    y_shift: f64,
    /// Upper-triangular factor, `(p + 1) x (p + 1)` with `p = k + intercept`.
    r: DMatrix<f64>,
}

impl OlsAccumulator {
    /// An empty state for `k` predictors, with or without an intercept.
    #[must_use]
    pub fn new(k: usize, intercept: bool) -> OlsAccumulator {
        let m = k + usize::from(intercept) + 1;
        OlsAccumulator {
            k,
            intercept,
            n: 0,
            x_shift: DVector::zeros(k),
            y_shift: 0.0,
            r: DMatrix::zeros(m, m),
        }
    }

    /// Number of rows folded so far.
    #[must_use]
    pub fn nobs(&self) -> usize {
        self.n
    }

    /// Number of predictors (without the intercept).
    #[must_use]
    pub fn n_predictors(&self) -> usize {
        self.k
    }

    /// Whether the state models an intercept.
    #[must_use]
    pub fn has_intercept(&self) -> bool {
        self.intercept
    }

    /// The current R factor of the shifted `[1 | X | y]` (upper triangular).
    #[must_use]
    pub fn r_factor(&self) -> &DMatrix<f64> {
        &self.r
    }

    /// Fold a block of rows into the state.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if `x` has the wrong number of columns or `y` the wrong
    /// length; [`Error::NonFinite`] / [`Error::NonFiniteAt`] naming the first bad value
    /// (row numbers are within the block). The state is unchanged on error.
    pub fn fold(&mut self, x: &DMatrix<f64>, y: &DVector<f64>) -> Result<()> {
        validate::same_len("columns of the `x` block", self.k, x.ncols())?;
        validate::same_len(
            "rows of the `y` block (must equal rows of `x`)",
            x.nrows(),
            y.len(),
        )?;
        validate::matrix_finite("x", x)?;
        validate::vector_finite("y", y)?;
        let b = x.nrows();
        if b == 0 {
            return Ok(());
        }
        if self.n == 0 && self.intercept {
            for j in 0..self.k {
                self.x_shift[j] = super::qr::accurate_mean(x.column(j).iter().copied());
            }
            self.y_shift = super::qr::accurate_mean(y.iter().copied());
        }
        let m = self.r.nrows();
        let off = usize::from(self.intercept);
        let mut stacked = DMatrix::<f64>::zeros(m + b, m);
        stacked.view_mut((0, 0), (m, m)).copy_from(&self.r);
        for i in 0..b {
            let row = m + i;
            if self.intercept {
                stacked[(row, 0)] = 1.0;
            }
            for j in 0..self.k {
                stacked[(row, off + j)] = x[(i, j)] - self.x_shift[j];
            }
            stacked[(row, m - 1)] = y[i] - self.y_shift;
        }
        self.r = super::qr::upper_factor(stacked, m);
        self.n += b;
        Ok(())
    }

    /// Merge another state into this one (TSQR).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if the states differ in predictors, or
    /// [`Error::InvalidInput`] if one has an intercept and the other not.
    pub fn merge(&mut self, other: &OlsAccumulator) -> Result<()> {
        validate::same_len("predictors of the merged state", self.k, other.k)?;
        if self.intercept != other.intercept {
            return Err(Error::input(
                "merged state",
                "one state has an intercept and the other not",
            ));
        }
        if other.n == 0 {
            return Ok(());
        }
        if self.n == 0 {
            *self = other.clone();
            return Ok(());
        }
        let theirs = other.shifted_to(&self.x_shift, self.y_shift);
        let m = self.r.nrows();
        let mut stacked = DMatrix::<f64>::zeros(2 * m, m);
        stacked.view_mut((0, 0), (m, m)).copy_from(&self.r);
        stacked.view_mut((m, 0), (m, m)).copy_from(&theirs);
        self.r = super::qr::upper_factor(stacked, m);
        self.n += other.n;
        Ok(())
    }

    /// This state's R re-expressed for rows shifted by `c` and `e` instead of its own
    /// shift. Row `[1, x - c_old, y - e_old] = [1, x - c, y - e] + [0, c - c_old, e - e_old]`,
    /// i.e. the old row is the new row times a unit upper-triangular matrix; hence the new
    /// R is the old R with `r00 · (c_old - c)` added to its first row.
    fn shifted_to(&self, c: &DVector<f64>, e: f64) -> DMatrix<f64> {
        let mut r = self.r.clone();
        if self.intercept {
            let r00 = r[(0, 0)];
            let m = r.nrows();
            for j in 0..self.k {
                r[(0, 1 + j)] += r00 * (self.x_shift[j] - c[j]);
            }
            r[(0, m - 1)] += r00 * (self.y_shift - e);
        }
        r
    }

    /// Finish into the fitted summary, using `options` for the confidence level and rank
    /// tolerance (the intercept is the state's own; the covariance is classical).
    ///
    /// # Errors
    /// [`Error::TooFewObservations`] if `n <= p`; [`Error::RankDeficient`] naming the
    /// dependent columns (`x1`, `x2`, ... in fold order); [`Error::InvalidInput`] for a
    /// constant response; [`Error::InvalidOption`] for an invalid option.
    pub fn finish(&self, options: Ols) -> Result<OlsSummary> {
        let names: Vec<String> = (1..=self.k).map(|j| format!("x{j}")).collect();
        self.finish_named(options, &names)
    }

    /// [`OlsAccumulator::finish`] with predictor names.
    ///
    /// # Errors
    /// As [`OlsAccumulator::finish`], plus [`Error::DimensionMismatch`] for a wrong number
    /// of names.
    pub fn finish_named<S: AsRef<str>>(&self, options: Ols, names: &[S]) -> Result<OlsSummary> {
        validate::same_len("predictor names", self.k, names.len())?;
        validate::open_unit("confidence_level", options.get_confidence_level())?;
        let names: Vec<String> = names.iter().map(|s| s.as_ref().to_string()).collect();
        let off = usize::from(self.intercept);
        let p = self.k + off;
        if p == 0 {
            return Err(Error::input(
                "design",
                "no predictors and no intercept: nothing to fit",
            ));
        }
        if self.n <= p {
            return Err(Error::TooFewObservations {
                what: format!("OLS with {p} parameters"),
                needed: p + 1,
                got: self.n,
            });
        }
        let m = p + 1;
        let r = &self.r;
        // Scale-free rank test: the part of column j not explained by the columns before
        // it, |R_jj|, against the column's norm in the (shifted) data, ||R[.., j]||.
        let eps = f64::EPSILON;
        let tol = options
            .get_rank_tolerance()
            .unwrap_or(self.n.max(m) as f64 * eps);
        for j in off..p {
            let norm = r.view((0, j), (j + 1, 1)).norm();
            if norm == 0.0 || r[(j, j)].abs() <= tol * norm {
                let mut columns = Vec::new();
                if self.intercept {
                    columns.push("(intercept)".to_string());
                }
                for (i, name) in names.iter().enumerate().take(j - off) {
                    if r[(i + off, j)].abs() > tol * norm {
                        columns.push(name.clone());
                    }
                }
                columns.push(names[j - off].clone());
                return Err(Error::RankDeficient { columns });
            }
        }
        let y_norm_part = if self.intercept {
            r.view((1, m - 1), (m - 1, 1)).norm_squared()
        } else {
            0.0
        };
        let tss = if self.intercept {
            y_norm_part
        } else {
            r.column(m - 1).norm_squared()
        };
        if tss == 0.0 {
            return Err(Error::input(
                "y",
                "the response is constant (zero without intercept): R², t and F are undefined",
            ));
        }
        let rxx = r.view((0, 0), (p, p)).into_owned();
        let rxy = r.view((0, m - 1), (p, 1)).column(0).into_owned();
        let singular = || Error::Singular {
            what: "R factor".into(),
            reason: "zero on the diagonal".into(),
        };
        let theta = rxx.solve_upper_triangular(&rxy).ok_or_else(singular)?;
        let rss = r[(m - 1, m - 1)] * r[(m - 1, m - 1)];
        let rinv = rxx
            .solve_upper_triangular(&DMatrix::identity(p, p))
            .ok_or_else(singular)?;
        let mut xtx_inv = &rinv * rinv.transpose();
        let mut coef = theta.clone();
        if self.intercept {
            // Back to unshifted coordinates: a = a_s + e - c'b; Var(a)/s² = ||R^-T v||² with
            // v = (1, -c), a sum of squares; Cov(a, b_j) = (R^-1 R^-T v)_j.
            let b = theta.rows(1, self.k).into_owned();
            coef[0] = theta[0] + self.y_shift - self.x_shift.dot(&b);
            let mut v = DVector::zeros(p);
            v[0] = 1.0;
            for j in 0..self.k {
                v[1 + j] = -self.x_shift[j];
            }
            let z = rxx.tr_solve_upper_triangular(&v).ok_or_else(singular)?;
            let w = rxx.solve_upper_triangular(&z).ok_or_else(singular)?;
            xtx_inv[(0, 0)] = z.norm_squared();
            for j in 1..p {
                xtx_inv[(0, j)] = w[j];
                xtx_inv[(j, 0)] = w[j];
            }
        }
        let df_resid = (self.n - p) as f64;
        let s2 = rss / df_resid;
        let std_errors =
            DVector::from_iterator(p, (0..p).map(|i| (s2 * xtx_inv[(i, i)]).max(0.0).sqrt()));
        Ok(OlsSummary {
            options,
            intercept: self.intercept,
            names,
            n: self.n,
            coefficients: coef,
            std_errors,
            xtx_inv,
            rss,
            tss,
        })
    }
}

/// The fit finished from an [`OlsAccumulator`]: every statistic that the R factor
/// determines (coefficients, classical SEs, t, p, intervals, R², F, the ANOVA sums of
/// squares). Equal to the one-shot [`OlsFit`](super::OlsFit) on the same rows.
#[derive(Debug, Clone, Serialize)]
#[must_use]
pub struct OlsSummary {
    options: Ols,
    intercept: bool,
    names: Vec<String>,
    n: usize,
    coefficients: DVector<f64>,
    std_errors: DVector<f64>,
    xtx_inv: DMatrix<f64>,
    rss: f64,
    tss: f64,
}

impl OlsSummary {
    /// Predictor names.
    pub fn names(&self) -> &[String] {
        &self.names
    }
    /// Number of observations.
    pub fn nobs(&self) -> usize {
        self.n
    }
    /// Whether the model has an intercept.
    pub fn has_intercept(&self) -> bool {
        self.intercept
    }
    /// Model degrees of freedom (predictors).
    pub fn df_model(&self) -> usize {
        self.names.len()
    }
    /// Residual degrees of freedom.
    pub fn df_residual(&self) -> usize {
        self.n - self.coefficients.len()
    }
    /// Coefficients, intercept first when present.
    pub fn coefficients(&self) -> &DVector<f64> {
        &self.coefficients
    }
    /// Classical standard errors.
    pub fn std_errors(&self) -> &DVector<f64> {
        &self.std_errors
    }
    /// `(X'X)^-1`, intercept first.
    pub fn xtx_inverse(&self) -> &DMatrix<f64> {
        &self.xtx_inv
    }
    /// Residual sum of squares.
    pub fn rss(&self) -> f64 {
        self.rss
    }
    /// Total sum of squares (centred with an intercept, uncentred without).
    pub fn tss(&self) -> f64 {
        self.tss
    }
    /// Regression sum of squares.
    pub fn ess(&self) -> f64 {
        self.tss - self.rss
    }
    /// Residual standard error.
    pub fn residual_std_error(&self) -> f64 {
        (self.rss / self.df_residual() as f64).sqrt()
    }
    /// R² (uncentred without an intercept).
    pub fn r_squared(&self) -> f64 {
        inference::r_squared(self.rss, self.ess(), self.tss)
    }
    /// Adjusted R².
    pub fn adj_r_squared(&self) -> f64 {
        inference::adj_r_squared(self.r_squared(), self.n, self.intercept, self.df_residual())
    }
    /// ANOVA F statistic; `None` without predictors.
    pub fn f_statistic(&self) -> Option<f64> {
        inference::f_statistic(self.ess(), self.rss, self.df_model(), self.df_residual())
    }
    /// p value of the F statistic.
    pub fn f_p_value(&self) -> Option<f64> {
        inference::f_p_value(self.f_statistic(), self.df_model(), self.df_residual())
    }
    /// t statistics.
    pub fn t_values(&self) -> DVector<f64> {
        inference::t_values(&self.coefficients, &self.std_errors)
    }
    /// Two-sided p values.
    pub fn p_values(&self) -> DVector<f64> {
        inference::p_values(&self.t_values(), self.df_residual())
    }
    /// Confidence intervals at the options' level.
    ///
    /// # Errors
    /// Never for a summary made by `finish` (the level was validated there).
    pub fn conf_int(&self) -> Result<Vec<(f64, f64)>> {
        inference::conf_int(
            &self.coefficients,
            &self.std_errors,
            self.df_residual(),
            self.options.get_confidence_level(),
        )
    }
}

impl fmt::Display for OlsSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Streamed OLS: n = {}, R² = {:.6}, adj. R² = {:.6}, s = {:.6}",
            self.n,
            self.r_squared(),
            self.adj_r_squared(),
            self.residual_std_error()
        )?;
        let t = self.t_values();
        let p = self.p_values();
        writeln!(
            f,
            "{:<16} {:>14} {:>12} {:>9} {:>8}",
            "", "B", "Std. Error", "t", "Sig."
        )?;
        let mut names = Vec::new();
        if self.intercept {
            names.push("(intercept)".to_string());
        }
        names.extend(self.names.iter().cloned());
        for (i, name) in names.iter().enumerate() {
            writeln!(
                f,
                "{:<16} {:>14.6} {:>12.6} {:>9.3} {:>8.4}",
                name, self.coefficients[i], self.std_errors[i], t[i], p[i]
            )?;
        }
        if let (Some(fs), Some(fp)) = (self.f_statistic(), self.f_p_value()) {
            writeln!(
                f,
                "F({}, {}) = {:.4}, p = {:.4e}",
                self.df_model(),
                self.df_residual(),
                fs,
                fp
            )?;
        }
        Ok(())
    }
}
