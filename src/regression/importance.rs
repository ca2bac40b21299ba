//! Relative importance of predictors: the LMG/Shapley decomposition of R² and Johnson's
//! relative weights.

use std::fmt;

use nalgebra::{DMatrix, DVector, SymmetricEigen};
use serde::Serialize;

use super::fit::OlsFit;
use super::options::Ols;
use crate::{Error, Result};

/// The largest number of predictors for which [`RelativeImportance::lmg`] evaluates all
/// `2^k` subsets exactly (32,768 small QR factorisations at the limit).
pub const MAX_LMG_PREDICTORS: usize = 15;

/// Which decomposition a [`RelativeImportance`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum ImportanceMethod {
    /// Lindeman, Merenda & Gold (1980): the Shapley value of R², the average increase in
    /// R² over all orders of entry.
    Lmg,
    /// Johnson (2000): squared loadings on orthogonalised predictors times the squared
    /// regression weights of the response on them.
    Johnson,
}

impl fmt::Display for ImportanceMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportanceMethod::Lmg => f.write_str("LMG (Shapley decomposition of R²)"),
            ImportanceMethod::Johnson => f.write_str("Johnson's relative weights"),
        }
    }
}

/// A decomposition of a model's R² into non-negative parts, one per predictor.
///
/// Both methods need a model with an intercept: they decompose the centred R².
/// `contributions()` sum to `r_squared()`, `shares()` to 1.
///
/// # Formula
///
/// ```text
/// LMG:     c_j = Σ_{S ⊆ P \ {j}} |S|! (k - |S| - 1)! / k! · (R²(S ∪ {j}) - R²(S))
/// Johnson: R_xx = V Λ V',  Λ* = V Λ^½ V',  β = Λ*^-1 r_xy,  c_j = Σ_m Λ*_jm² β_m²
/// ```
///
/// with `R_xx` the predictors' correlation matrix and `r_xy` their correlations with
/// `y`. Subset R² are computed from the R factor of the fit (the Cholesky factor of the
/// correlation matrix of `[X | y]`), one QR of the selected columns per subset, never by
/// inverting a correlation matrix.
///
/// # Example
///
/// ```
/// use crm_analytics::regression::RelativeImportance;
/// use nalgebra::{DMatrix, DVector};
///
/// let x = DMatrix::from_row_slice(6, 2, &[1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 6.0, 6.0, 4.0]);
/// let y = DVector::from_vec(vec![1.0, 2.5, 3.0, 3.5, 5.5, 5.0]);
/// let lmg = RelativeImportance::lmg(&x, &y, &["service", "price"])?;
/// let total: f64 = lmg.contributions().iter().sum();
/// assert!((total - lmg.r_squared()).abs() < 1e-12);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// - Lindeman, R. H., Merenda, P. F. & Gold, R. Z. (1980). *Introduction to Bivariate and
///   Multivariate Analysis*. Scott, Foresman.
/// - Grömping, U. (2006). Relative importance for linear regression in R: the package
///   relaimpo. *Journal of Statistical Software* 17(1).
/// - Johnson, J. W. (2000). A heuristic method for estimating the relative weight of
///   predictor variables in multiple regression. *Multivariate Behavioral Research* 35(1).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct RelativeImportance {
    method: ImportanceMethod,
    names: Vec<String>,
    r_squared: f64,
    contributions: Vec<f64>,
    shares: Vec<f64>,
}

impl RelativeImportance {
    /// Exact LMG/Shapley decomposition of the R² of `y` on the columns of `x` (with an
    /// intercept), over all `2^k` subsets.
    ///
    /// # Errors
    /// - [`Error::LimitExceeded`] for more than [`MAX_LMG_PREDICTORS`] predictors;
    /// - every error of [`Ols::fit_named`] (shapes, NaN, too few rows, rank deficiency,
    ///   constant `y`);
    /// - [`Error::InvalidInput`] for a design with no predictors.
    pub fn lmg<S: AsRef<str>>(
        x: &DMatrix<f64>,
        y: &DVector<f64>,
        names: &[S],
    ) -> Result<RelativeImportance> {
        check_lmg_limit(x.ncols())?;
        let fit = Ols::new().intercept(true).fit_named(x, y, names)?;
        RelativeImportance::lmg_from_fit(&fit)
    }

    /// [`RelativeImportance::lmg`] from an existing fit, which must have an intercept.
    /// Uses only the fit's R factor, so it also works on a fit finished from streamed data.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::regression::{Ols, RelativeImportance};
    /// use nalgebra::{DMatrix, DVector};
    ///
    /// let x = DMatrix::from_row_slice(6, 2, &[1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 6.0, 6.0, 4.0]);
    /// let y = DVector::from_vec(vec![1.0, 2.5, 3.0, 3.5, 5.5, 5.0]);
    /// let fit = Ols::new().fit_named(&x, &y, &["service", "price"])?;
    /// let lmg = RelativeImportance::lmg_from_fit(&fit)?;
    /// assert!((lmg.shares().iter().sum::<f64>() - 1.0).abs() < 1e-12);
    /// let text = lmg.to_string(); // ready to print
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a fit without an intercept or without predictors;
    /// [`Error::LimitExceeded`] beyond [`MAX_LMG_PREDICTORS`].
    pub fn lmg_from_fit(fit: &OlsFit) -> Result<RelativeImportance> {
        let r = check_fit(fit)?;
        let k = fit.df_model();
        check_lmg_limit(k)?;
        let r2 = subset_r_squared(&r, k);
        // Shapley weights w(s) = s! (k - s - 1)! / k!, by the recurrence
        // w(0) = 1/k, w(s + 1) = w(s) · (s + 1) / (k - s - 1).
        let mut w = vec![0.0; k];
        w[0] = 1.0 / k as f64;
        for s in 0..k.saturating_sub(1) {
            w[s + 1] = w[s] * (s + 1) as f64 / (k - s - 1) as f64;
        }
        let mut contributions = vec![0.0; k];
        for mask in 0usize..(1 << k) {
            let s = mask.count_ones() as usize;
            for (j, c) in contributions.iter_mut().enumerate() {
                if mask & (1 << j) == 0 {
                    *c += w[s] * (r2[mask | (1 << j)] - r2[mask]);
                }
            }
        }
        Ok(RelativeImportance::new(
            ImportanceMethod::Lmg,
            fit.names().to_vec(),
            fit.r_squared(),
            contributions,
        ))
    }

    /// Johnson's relative weights of the predictors of `y` (with an intercept).
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::regression::RelativeImportance;
    /// use nalgebra::{DMatrix, DVector};
    ///
    /// let x = DMatrix::from_row_slice(6, 2, &[1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 6.0, 6.0, 4.0]);
    /// let y = DVector::from_vec(vec![1.0, 2.5, 3.0, 3.5, 5.5, 5.0]);
    /// let jw = RelativeImportance::johnson(&x, &y, &["service", "price"])?;
    /// assert_eq!(jw.ranking().len(), 2);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    ///
    /// # Errors
    /// Every error of [`Ols::fit_named`]; [`Error::InvalidInput`] for no predictors.
    pub fn johnson<S: AsRef<str>>(
        x: &DMatrix<f64>,
        y: &DVector<f64>,
        names: &[S],
    ) -> Result<RelativeImportance> {
        let fit = Ols::new().intercept(true).fit_named(x, y, names)?;
        RelativeImportance::johnson_from_fit(&fit)
    }

    /// [`RelativeImportance::johnson`] from an existing fit with an intercept.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::regression::{Ols, RelativeImportance};
    /// use nalgebra::{DMatrix, DVector};
    ///
    /// let x = DMatrix::from_row_slice(6, 2, &[1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 6.0, 6.0, 4.0]);
    /// let y = DVector::from_vec(vec![1.0, 2.5, 3.0, 3.5, 5.5, 5.0]);
    /// let fit = Ols::new().fit_named(&x, &y, &["service", "price"])?;
    /// let jw = RelativeImportance::johnson_from_fit(&fit)?;
    /// assert!((jw.contributions().iter().sum::<f64>() - fit.r_squared()).abs() < 1e-12);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a fit without an intercept or without predictors;
    /// [`Error::Singular`] if the predictors' correlation matrix has a non-positive
    /// eigenvalue (cannot happen for a fit that passed the rank test, barring rounding).
    pub fn johnson_from_fit(fit: &OlsFit) -> Result<RelativeImportance> {
        let r = check_fit(fit)?;
        let k = fit.df_model();
        let c = r.transpose() * &r; // correlation matrix of [X | y]
        let rxx = c.view((0, 0), (k, k)).into_owned();
        let rxy = c.view((0, k), (k, 1)).column(0).into_owned();
        let eig = SymmetricEigen::new(rxx);
        if eig.eigenvalues.iter().any(|l| !(l.is_finite() && *l > 0.0)) {
            return Err(Error::Singular {
                what: "predictor correlation matrix".into(),
                reason: "a non-positive eigenvalue: the predictors are collinear".into(),
            });
        }
        let v = &eig.eigenvectors;
        let sqrt_l = eig.eigenvalues.map(f64::sqrt);
        let lambda_half = v * DMatrix::from_diagonal(&sqrt_l) * v.transpose();
        let inv_half = v * DMatrix::from_diagonal(&sqrt_l.map(|s| 1.0 / s)) * v.transpose();
        let beta = inv_half * rxy;
        let contributions: Vec<f64> = (0..k)
            .map(|j| {
                (0..k)
                    .map(|m| lambda_half[(j, m)].powi(2) * beta[m].powi(2))
                    .sum()
            })
            .collect();
        Ok(RelativeImportance::new(
            ImportanceMethod::Johnson,
            fit.names().to_vec(),
            fit.r_squared(),
            contributions,
        ))
    }

    fn new(
        method: ImportanceMethod,
        names: Vec<String>,
        r_squared: f64,
        contributions: Vec<f64>,
    ) -> RelativeImportance {
        let total: f64 = contributions.iter().sum();
        let shares = contributions
            .iter()
            .map(|c| if total > 0.0 { c / total } else { 0.0 })
            .collect();
        RelativeImportance {
            method,
            names,
            r_squared,
            contributions,
            shares,
        }
    }

    /// The decomposition method.
    pub fn method(&self) -> ImportanceMethod {
        self.method
    }

    /// Predictor names, in the column order of `x`.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// R² of the full model (the quantity decomposed).
    pub fn r_squared(&self) -> f64 {
        self.r_squared
    }

    /// Each predictor's part of R² (they sum to R²).
    pub fn contributions(&self) -> &[f64] {
        &self.contributions
    }

    /// Each predictor's share of R² (they sum to 1), the "normalised" importance.
    pub fn shares(&self) -> &[f64] {
        &self.shares
    }

    /// Predictor indices from most to least important.
    pub fn ranking(&self) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..self.names.len()).collect();
        idx.sort_by(|&a, &b| self.contributions[b].total_cmp(&self.contributions[a]));
        idx
    }

    /// The contribution of the predictor called `name`, if there is one.
    pub fn contribution_of(&self, name: &str) -> Option<f64> {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|i| self.contributions[i])
    }
}

impl fmt::Display for RelativeImportance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Relative importance: {}", self.method)?;
        writeln!(f, "R² = {:.4}", self.r_squared)?;
        let w = self.names.iter().map(String::len).max().unwrap_or(0).max(9);
        writeln!(
            f,
            "{:<w$}  {:>12}  {:>9}  {:>4}",
            "Predictor", "Part of R²", "Share %", "Rank"
        )?;
        let ranking = self.ranking();
        for (i, name) in self.names.iter().enumerate() {
            let rank = ranking.iter().position(|&r| r == i).map_or(0, |r| r + 1);
            writeln!(
                f,
                "{:<w$}  {:>12.4}  {:>9.1}  {:>4}",
                name,
                self.contributions[i],
                100.0 * self.shares[i],
                rank
            )?;
        }
        Ok(())
    }
}

fn check_lmg_limit(k: usize) -> Result<()> {
    if k > MAX_LMG_PREDICTORS {
        return Err(Error::LimitExceeded {
            what: "exact LMG predictors".into(),
            limit: MAX_LMG_PREDICTORS,
            got: k,
            suggestion: "use Johnson's relative weights (RelativeImportance::johnson), which \
                         approximate LMG closely at O(k³) cost"
                .into(),
        });
    }
    Ok(())
}

/// The R factor of the fit's centred, unit-norm `[X | y]`, after checking that the
/// decomposition is defined.
fn check_fit(fit: &OlsFit) -> Result<DMatrix<f64>> {
    if !fit.has_intercept() {
        return Err(Error::input(
            "relative importance",
            "needs a model with an intercept (it decomposes the centred R²)",
        ));
    }
    if fit.df_model() == 0 {
        return Err(Error::input(
            "relative importance",
            "the model has no predictors",
        ));
    }
    let r = fit.r_factor().clone();
    let k = fit.df_model();
    if r.nrows() != k + 1 || r.ncols() != k + 1 {
        return Err(Error::DimensionMismatch {
            what: "R factor of the fit".into(),
            expected: k + 1,
            found: r.ncols(),
        });
    }
    Ok(r)
}

/// R² of every subset of predictors (bit `j` of the index selects predictor `j`), from
/// the R factor of the centred, unit-norm `[X | y]`: the response column has unit norm,
/// so `R²(S) = 1 - r_{last}²` where `r_{last}` is the last diagonal entry of the R factor
/// of the columns `S ∪ {y}`.
fn subset_r_squared(r: &DMatrix<f64>, k: usize) -> Vec<f64> {
    let rows = k + 1;
    let mut out = vec![0.0; 1 << k];
    for (mask, slot) in out.iter_mut().enumerate().skip(1) {
        let cols: Vec<usize> = (0..k)
            .filter(|j| mask & (1 << j) != 0)
            .chain(std::iter::once(k))
            .collect();
        let mut a = DMatrix::<f64>::zeros(rows, cols.len());
        for (c, &j) in cols.iter().enumerate() {
            a.set_column(c, &r.column(j));
        }
        let rr = a.qr().r();
        let last = cols.len() - 1;
        let rss = rr[(last, last)] * rr[(last, last)];
        *slot = (1.0 - rss).clamp(0.0, 1.0);
    }
    out
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use approx::assert_relative_eq;

    use super::*;

    /// Two predictors with correlation r12 and correlations r1, r2 with y: by hand,
    /// R²(1) = r1², R²(2) = r2², R²(12) = (r1² + r2² - 2 r1 r2 r12) / (1 - r12²), and the LMG
    /// share of x1 is the average of its two orders of entry:
    /// c1 = ½ r1² + ½ (R²(12) - r2²).
    #[test]
    fn two_predictors_average_the_two_orders() {
        let x = DMatrix::from_row_slice(
            6,
            2,
            &[1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 6.0, 6.0, 4.0],
        );
        let y = DVector::from_vec(vec![1.0, 2.5, 3.0, 3.5, 5.5, 5.0]);
        let corr = |a: &DVector<f64>, b: &DVector<f64>| {
            let (ma, mb) = (a.mean(), b.mean());
            let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
            for i in 0..a.len() {
                sab += (a[i] - ma) * (b[i] - mb);
                saa += (a[i] - ma).powi(2);
                sbb += (b[i] - mb).powi(2);
            }
            sab / (saa * sbb).sqrt()
        };
        let x1 = x.column(0).into_owned();
        let x2 = x.column(1).into_owned();
        let (r1, r2, r12) = (corr(&x1, &y), corr(&x2, &y), corr(&x1, &x2));
        let r2_full = (r1 * r1 + r2 * r2 - 2.0 * r1 * r2 * r12) / (1.0 - r12 * r12);
        let imp = RelativeImportance::lmg(&x, &y, &["a", "b"]).unwrap();
        assert_relative_eq!(imp.r_squared(), r2_full, max_relative = 1e-12);
        assert_relative_eq!(
            imp.contributions()[0],
            0.5 * r1 * r1 + 0.5 * (r2_full - r2 * r2),
            max_relative = 1e-12
        );
        assert_relative_eq!(
            imp.contributions()[1],
            0.5 * r2 * r2 + 0.5 * (r2_full - r1 * r1),
            max_relative = 1e-12
        );
    }

    /// Orthogonal (uncorrelated) predictors: every order gives x_j the same increment
    /// r_j², so LMG = Johnson = r_j².
    #[test]
    fn orthogonal_predictors_get_their_squared_correlations() {
        // Centred, mutually orthogonal columns.
        let x = DMatrix::from_row_slice(4, 2, &[1.0, 1.0, 1.0, -1.0, -1.0, 1.0, -1.0, -1.0]);
        let y = DVector::from_vec(vec![3.0, 1.0, 0.5, -0.5]);
        // y centred: ȳ = 1, yc = (2, 0, -0.5, -1.5); Σyc² = 4 + 0.25 + 2.25 = 6.5
        // r1² = (Σ x1 yc)² / (4 · 6.5) = (2 + 0 + 0.5 + 1.5)² / 26 = 16/26
        // r2² = (2 - 0 - 0.5 + 1.5)² / 26 = 9/26
        let lmg = RelativeImportance::lmg(&x, &y, &["a", "b"]).unwrap();
        let jw = RelativeImportance::johnson(&x, &y, &["a", "b"]).unwrap();
        for imp in [&lmg, &jw] {
            assert_relative_eq!(imp.contributions()[0], 16.0 / 26.0, max_relative = 1e-12);
            assert_relative_eq!(imp.contributions()[1], 9.0 / 26.0, max_relative = 1e-12);
        }
        assert_eq!(lmg.ranking(), vec![0, 1]);
    }

    #[test]
    fn too_many_predictors_is_a_limit_error() {
        let x = DMatrix::<f64>::zeros(3, 16);
        let y = DVector::zeros(3);
        let e = RelativeImportance::lmg(&x, &y, &vec!["v"; 16]).unwrap_err();
        assert!(matches!(
            e,
            Error::LimitExceeded {
                limit: 15,
                got: 16,
                ..
            }
        ));
    }
}
