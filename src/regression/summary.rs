//! Statistics derived from a fit's R factor: standardised coefficients, zero-order,
//! partial and part correlations, tolerance and VIF, Durbin-Watson, and the R² change
//! between nested models.
//!
//! Everything here uses only the fit's public state (R factor of the centred, unit-norm
//! `[X | y]`, `(X'X)^-1`, residuals), so it works as well on a fit finished from streamed
//! data as on a one-shot fit.

use std::fmt;

use nalgebra::{DMatrix, DVector};
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, FisherSnedecor};

use super::fit::OlsFit;
use crate::{Error, Result};

impl OlsFit {
    /// The R factor restricted to the predictors (`k x k`, upper triangular): `R_x' R_x`
    /// is the predictors' correlation matrix (cosine matrix without an intercept).
    fn r_x(&self) -> DMatrix<f64> {
        let k = self.df_model();
        self.r_factor().view((0, 0), (k, k)).into_owned()
    }

    /// `(R_x' R_x)^-1`, the inverse correlation matrix of the predictors, from the
    /// triangular inverse of `R_x`. `None` only if `R_x` has a zero on its diagonal,
    /// which the rank test of the fit rules out.
    fn inverse_correlation(&self) -> Option<DMatrix<f64>> {
        let k = self.df_model();
        if k == 0 {
            return Some(DMatrix::zeros(0, 0));
        }
        let rinv = self
            .r_x()
            .solve_upper_triangular(&DMatrix::identity(k, k))?;
        Some(&rinv * rinv.transpose())
    }

    /// Norms of the predictor columns about their means (about zero without an
    /// intercept), `sqrt(Σ (x_ij - x̄_j)²)`, recovered as `sqrt(G_jj / M_jj)` with `G` the
    /// inverse correlation matrix and `M` the predictor block of `(X'X)^-1`.
    pub(crate) fn predictor_scales(&self) -> DVector<f64> {
        let k = self.df_model();
        let off = usize::from(self.has_intercept());
        match self.inverse_correlation() {
            Some(g) => DVector::from_iterator(
                k,
                (0..k).map(|j| (g[(j, j)] / self.xtx_inverse()[(j + off, j + off)]).sqrt()),
            ),
            None => DVector::from_element(k, 1.0),
        }
    }

    /// Correlation matrix of `[X | y]` (`(k + 1) x (k + 1)`, `y` last), `R'R` of the
    /// fit's R factor. Without an intercept this is the uncentred cosine matrix.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::regression::Ols;
    /// use nalgebra::{DMatrix, DVector};
    ///
    /// let x = DMatrix::from_row_slice(6, 2, &[1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 6.0, 6.0, 4.0]);
    /// let y = DVector::from_vec(vec![1.0, 2.5, 3.0, 3.5, 5.5, 5.0]);
    /// let fit = Ols::new().fit_named(&x, &y, &["service", "price"])?;
    /// let c = fit.correlation_matrix();
    /// assert!((c[(2, 2)] - 1.0).abs() < 1e-12); // y with itself
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn correlation_matrix(&self) -> DMatrix<f64> {
        let r = self.r_factor();
        r.transpose() * r
    }

    /// Standardised coefficients (SPSS "Beta"), one per predictor:
    /// `β_j = B_j · ‖x_j - x̄_j‖ / ‖y - ȳ‖` (norms about zero without an intercept).
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::regression::Ols;
    /// use nalgebra::{DMatrix, DVector};
    ///
    /// let x = DMatrix::from_row_slice(6, 2, &[1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 6.0, 6.0, 4.0]);
    /// let y = DVector::from_vec(vec![1.0, 2.5, 3.0, 3.5, 5.5, 5.0]);
    /// let fit = Ols::new().fit_named(&x, &y, &["service", "price"])?;
    /// let beta = fit.standardized_coefficients();
    /// assert_eq!(beta.len(), 2);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn standardized_coefficients(&self) -> DVector<f64> {
        let k = self.df_model();
        let off = usize::from(self.has_intercept());
        let sy = self.tss().sqrt();
        let sx = self.predictor_scales();
        DVector::from_iterator(k, (0..k).map(|j| self.coefficients()[j + off] * sx[j] / sy))
    }

    /// Variance inflation factors `VIF_j = 1 / (1 - R_j²)`, the diagonal of the inverse
    /// correlation matrix of the predictors (of the cosine matrix without an intercept,
    /// the uncentred VIF). A model with one predictor has VIF 1.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::regression::Ols;
    /// use nalgebra::{DMatrix, DVector};
    ///
    /// let x = DMatrix::from_row_slice(6, 2, &[1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 6.0, 6.0, 4.0]);
    /// let y = DVector::from_vec(vec![1.0, 2.5, 3.0, 3.5, 5.5, 5.0]);
    /// let fit = Ols::new().fit_named(&x, &y, &["service", "price"])?;
    /// let vif = fit.vif();
    /// assert!(vif.iter().all(|v| *v >= 1.0));
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn vif(&self) -> DVector<f64> {
        let k = self.df_model();
        match self.inverse_correlation() {
            Some(g) => DVector::from_iterator(k, (0..k).map(|j| g[(j, j)])),
            None => DVector::from_element(k, f64::INFINITY),
        }
    }

    /// Tolerances `1 - R_j² = 1 / VIF_j`.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::regression::Ols;
    /// use nalgebra::{DMatrix, DVector};
    ///
    /// let x = DMatrix::from_row_slice(6, 2, &[1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 6.0, 6.0, 4.0]);
    /// let y = DVector::from_vec(vec![1.0, 2.5, 3.0, 3.5, 5.5, 5.0]);
    /// let fit = Ols::new().fit_named(&x, &y, &["service", "price"])?;
    /// let tol = fit.tolerance();
    /// assert!((tol[0] * fit.vif()[0] - 1.0).abs() < 1e-12);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn tolerance(&self) -> DVector<f64> {
        self.vif().map(|v| 1.0 / v)
    }

    /// Zero-order (simple) correlations of each predictor with `y`.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::regression::Ols;
    /// use nalgebra::{DMatrix, DVector};
    ///
    /// let x = DMatrix::from_row_slice(6, 2, &[1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 6.0, 6.0, 4.0]);
    /// let y = DVector::from_vec(vec![1.0, 2.5, 3.0, 3.5, 5.5, 5.0]);
    /// let fit = Ols::new().fit_named(&x, &y, &["service", "price"])?;
    /// let r = fit.zero_order_correlations();
    /// assert!(r[0] > 0.9);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn zero_order_correlations(&self) -> DVector<f64> {
        let k = self.df_model();
        let c = self.correlation_matrix();
        DVector::from_iterator(k, (0..k).map(|j| c[(j, k)]))
    }

    /// Part (semipartial) correlations: `sr_j = β_j · sqrt(tolerance_j)`, so that
    /// `sr_j²` is the drop in R² when predictor `j` leaves the model.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::regression::Ols;
    /// use nalgebra::{DMatrix, DVector};
    ///
    /// let x = DMatrix::from_row_slice(6, 2, &[1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 6.0, 6.0, 4.0]);
    /// let y = DVector::from_vec(vec![1.0, 2.5, 3.0, 3.5, 5.5, 5.0]);
    /// let fit = Ols::new().fit_named(&x, &y, &["service", "price"])?;
    /// let sr = fit.part_correlations();
    /// // sr² is the R² lost when the predictor leaves.
    /// let without = Ols::new().fit(&x.columns(1, 1).into_owned(), &y)?;
    /// assert!((sr[0].powi(2) - (fit.r_squared() - without.r_squared())).abs() < 1e-12);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn part_correlations(&self) -> DVector<f64> {
        let beta = self.standardized_coefficients();
        let tol = self.tolerance();
        beta.zip_map(&tol, |b, t| b * t.max(0.0).sqrt())
    }

    /// Partial correlations: `pr_j = sr_j / sqrt(1 - R² + sr_j²)`, the correlation of `y`
    /// and `x_j` with the other predictors partialled out of both. `None` where it does
    /// not exist (an exact fit and a predictor with no unique contribution).
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::regression::Ols;
    /// use nalgebra::{DMatrix, DVector};
    ///
    /// let x = DMatrix::from_row_slice(6, 2, &[1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 6.0, 6.0, 4.0]);
    /// let y = DVector::from_vec(vec![1.0, 2.5, 3.0, 3.5, 5.5, 5.0]);
    /// let fit = Ols::new().fit_named(&x, &y, &["service", "price"])?;
    /// let pr = fit.partial_correlations();
    /// assert!(pr[0].is_some());
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn partial_correlations(&self) -> Vec<Option<f64>> {
        let r2 = self.r_squared();
        self.part_correlations()
            .iter()
            .map(|&sr| {
                let d = 1.0 - r2 + sr * sr;
                if d > 0.0 {
                    Some((sr / d.sqrt()).clamp(-1.0, 1.0))
                } else {
                    None
                }
            })
            .collect()
    }

    /// Durbin-Watson statistic `Σ (e_i - e_{i-1})² / Σ e_i²` in row order; `None` for an
    /// exact fit.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::regression::Ols;
    /// use nalgebra::{DMatrix, DVector};
    ///
    /// let x = DMatrix::from_row_slice(6, 2, &[1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 6.0, 6.0, 4.0]);
    /// let y = DVector::from_vec(vec![1.0, 2.5, 3.0, 3.5, 5.5, 5.0]);
    /// let fit = Ols::new().fit_named(&x, &y, &["service", "price"])?;
    /// let dw = fit.durbin_watson().unwrap_or(2.0);
    /// assert!((0.0..=4.0).contains(&dw));
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn durbin_watson(&self) -> Option<f64> {
        let e = self.residuals();
        if self.rss() <= 0.0 || e.len() < 2 {
            return None;
        }
        let num: f64 = e.as_slice().windows(2).map(|w| (w[1] - w[0]).powi(2)).sum();
        Some(num / self.rss())
    }

    /// Multiple correlation `R = sqrt(R²)`.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::regression::Ols;
    /// use nalgebra::{DMatrix, DVector};
    ///
    /// let x = DMatrix::from_row_slice(6, 2, &[1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 6.0, 6.0, 4.0]);
    /// let y = DVector::from_vec(vec![1.0, 2.5, 3.0, 3.5, 5.5, 5.0]);
    /// let fit = Ols::new().fit_named(&x, &y, &["service", "price"])?;
    /// assert!((fit.multiple_r().powi(2) - fit.r_squared()).abs() < 1e-12);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn multiple_r(&self) -> f64 {
        self.r_squared().max(0.0).sqrt()
    }
}

/// The change in R² from a reduced model to a larger one that contains it (SPSS
/// "Change Statistics", hierarchical regression).
///
/// # Formula
///
/// ```text
/// ΔR² = R²_full - R²_reduced
/// F   = (ΔR² / df1) / ((1 - R²_full) / df2),   df1 = k_full - k_reduced,  df2 = n - p_full
/// p   = sf of F(df1, df2)
/// ```
///
/// # Example
///
/// ```
/// use crm_analytics::regression::{Ols, RSquaredChange};
/// use nalgebra::{DMatrix, DVector};
///
/// let x = DMatrix::from_row_slice(6, 2, &[1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 6.0, 6.0, 4.0]);
/// let y = DVector::from_vec(vec![1.0, 2.5, 3.0, 3.5, 5.5, 5.0]);
/// let small = Ols::new().fit_named(&x.columns(0, 1).into_owned(), &y, &["a"])?;
/// let big = Ols::new().fit_named(&x, &y, &["a", "b"])?;
/// let change = RSquaredChange::between(&small, &big)?;
/// assert_eq!(change.df1, 1);
/// assert!((change.r_squared_change - (big.r_squared() - small.r_squared())).abs() < 1e-14);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct RSquaredChange {
    /// R² of the larger model.
    pub r_squared: f64,
    /// R² gained over the reduced model.
    pub r_squared_change: f64,
    /// F statistic of the change; `None` for an exact fit of the larger model.
    pub f_change: Option<f64>,
    /// Numerator degrees of freedom (predictors added).
    pub df1: usize,
    /// Denominator degrees of freedom (residual df of the larger model).
    pub df2: usize,
    /// p value of the F change.
    pub p_value: Option<f64>,
}

impl RSquaredChange {
    /// Compare a reduced model with a full model that contains all its predictors (by
    /// name), fitted to the same response and rows.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if the models differ in observations, intercept or
    /// response, if a predictor of `reduced` is missing from `full`, or if `full` adds
    /// no predictor.
    pub fn between(reduced: &OlsFit, full: &OlsFit) -> Result<RSquaredChange> {
        if reduced.nobs() != full.nobs() || reduced.has_intercept() != full.has_intercept() {
            return Err(Error::input(
                "nested models",
                "the models differ in number of observations or intercept",
            ));
        }
        let (a, b) = (reduced.tss(), full.tss());
        if (a - b).abs() > 1e-9 * a.abs().max(b.abs()) {
            return Err(Error::input(
                "nested models",
                "the models have different responses (total sums of squares differ)",
            ));
        }
        if let Some(missing) = reduced.names().iter().find(|n| !full.names().contains(n)) {
            return Err(Error::input(
                "nested models",
                format!("predictor `{missing}` of the reduced model is not in the full model"),
            ));
        }
        if full.df_model() <= reduced.df_model() {
            return Err(Error::input(
                "nested models",
                "the full model must have more predictors than the reduced one",
            ));
        }
        Ok(RSquaredChange::from_parts(
            reduced.r_squared(),
            full.r_squared(),
            full.df_model() - reduced.df_model(),
            full.df_residual(),
        ))
    }

    /// The change statistics of a sequence of nested models (SPSS's "Model 1, 2, ..."):
    /// the first against the empty (intercept-only) model, each later one against the
    /// one before.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::regression::{Ols, RSquaredChange};
    /// use nalgebra::{DMatrix, DVector};
    ///
    /// let x = DMatrix::from_row_slice(6, 2, &[1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 6.0, 6.0, 4.0]);
    /// let y = DVector::from_vec(vec![1.0, 2.5, 3.0, 3.5, 5.5, 5.0]);
    /// let block1 = Ols::new().fit_named(&x.columns(0, 1).into_owned(), &y, &["a"])?;
    /// let block2 = Ols::new().fit_named(&x, &y, &["a", "b"])?;
    /// let steps = RSquaredChange::sequence(&[block1, block2])?;
    /// assert_eq!(steps.len(), 2);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`RSquaredChange::between`] for each consecutive pair; [`Error::Empty`] for an
    /// empty sequence.
    pub fn sequence(models: &[OlsFit]) -> Result<Vec<RSquaredChange>> {
        let first = models.first().ok_or_else(|| Error::Empty {
            what: "sequence of models".into(),
        })?;
        let mut out = vec![RSquaredChange::from_parts(
            0.0,
            first.r_squared(),
            first.df_model(),
            first.df_residual(),
        )];
        for w in models.windows(2) {
            out.push(RSquaredChange::between(&w[0], &w[1])?);
        }
        Ok(out)
    }

    pub(crate) fn from_parts(
        r2_reduced: f64,
        r2_full: f64,
        df1: usize,
        df2: usize,
    ) -> RSquaredChange {
        let change = r2_full - r2_reduced;
        let denom = (1.0 - r2_full) / df2 as f64;
        let f_change = if df1 > 0 && denom > 0.0 {
            Some((change / df1 as f64).max(0.0) / denom)
        } else {
            None
        };
        let f_change = f_change.filter(|f| f.is_finite() && *f >= 0.0);
        let p_value = f_change.and_then(|f| {
            FisherSnedecor::new(df1 as f64, df2 as f64)
                .ok()
                .map(|d| d.sf(f))
        });
        RSquaredChange {
            r_squared: r2_full,
            r_squared_change: change,
            f_change,
            df1,
            df2,
            p_value,
        }
    }
}

impl fmt::Display for RSquaredChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "R² = {:.4}, R² change = {:.4}, F change = {} (df {}, {}), Sig. F change = {}",
            self.r_squared,
            self.r_squared_change,
            fmt_opt(self.f_change, 3),
            self.df1,
            self.df2,
            fmt_p(self.p_value)
        )
    }
}

/// p values as SPSS prints them: three decimals, `<.001` below.
pub(crate) fn fmt_p(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 0.001 => "<.001".to_string(),
        Some(p) => format!("{p:.3}"),
        None => "-".to_string(),
    }
}

/// Format an optional statistic, `-` when it does not exist.
pub(crate) fn fmt_opt(v: Option<f64>, decimals: usize) -> String {
    match v {
        Some(x) => format!("{x:.decimals$}"),
        None => "-".to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use approx::assert_relative_eq;

    use super::super::Ols;
    use super::*;

    fn data() -> (DMatrix<f64>, DVector<f64>) {
        let x = DMatrix::from_row_slice(
            6,
            2,
            &[1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 6.0, 6.0, 4.0],
        );
        let y = DVector::from_vec(vec![1.0, 2.5, 3.0, 3.5, 5.5, 5.0]);
        (x, y)
    }

    #[test]
    fn two_predictor_correlations_by_hand() {
        // x1 = 1..6, x2 = (2,1,4,3,6,4): Σ(x1-3.5)² = 17.5, x̄2 = 10/3,
        // Σ(x2-x̄2)² = 16/9+49/9+4/9+1/9+64/9+4/9 = 138/9,
        // Σ(x1-3.5)(x2-x̄2) = (-2.5)(-4/3)+(-1.5)(-7/3)+(-0.5)(2/3)+(0.5)(-1/3)+(1.5)(8/3)+(2.5)(2/3)
        //                   = (10 + 10.5 - 1 - 0.5 + 12 + 5)/3 = 12, r12 = 12/sqrt(17.5·138/9),
        // VIF = 1/(1 - r12²) = 2.158177 for both predictors.
        let (x, y) = data();
        let fit = Ols::new().fit(&x, &y).unwrap();
        let r12 = 12.0 / (17.5f64 * 138.0 / 9.0).sqrt();
        let vif = 1.0 / (1.0 - r12 * r12);
        assert_relative_eq!(fit.vif()[0], vif, max_relative = 1e-12);
        assert_relative_eq!(fit.vif()[1], vif, max_relative = 1e-12);
        // Part correlation squared = drop in R² when the predictor leaves.
        let only2 = Ols::new().fit(&x.columns(1, 1).into_owned(), &y).unwrap();
        let sr1 = fit.part_correlations()[0];
        assert_relative_eq!(
            sr1 * sr1,
            fit.r_squared() - only2.r_squared(),
            max_relative = 1e-12
        );
        // Zero-order correlation of x1 with y = sqrt(R²) of the simple regression, signed.
        let only1 = Ols::new().fit(&x.columns(0, 1).into_owned(), &y).unwrap();
        assert_relative_eq!(
            fit.zero_order_correlations()[0],
            only1.r_squared().sqrt(),
            max_relative = 1e-12
        );
        // Standardised beta of a simple regression is the correlation.
        assert_relative_eq!(
            only1.standardized_coefficients()[0],
            only1.r_squared().sqrt(),
            max_relative = 1e-12
        );
    }

    #[test]
    fn durbin_watson_by_hand() {
        // Line through (0,1),(1,3),(2,2),(3,5): residuals (-0.1, 0.8, -1.3, 0.6), RSS 2.7,
        // Σ diff² = 0.81 + 4.41 + 3.61 = 8.83, DW = 8.83 / 2.7.
        let x = DMatrix::from_column_slice(4, 1, &[0.0, 1.0, 2.0, 3.0]);
        let y = DVector::from_vec(vec![1.0, 3.0, 2.0, 5.0]);
        let fit = Ols::new().fit(&x, &y).unwrap();
        assert_relative_eq!(
            fit.durbin_watson().unwrap(),
            8.83 / 2.7,
            max_relative = 1e-12
        );
    }

    #[test]
    fn r_squared_change_rejects_non_nested() {
        let (x, y) = data();
        let a = Ols::new()
            .fit_named(&x.columns(0, 1).into_owned(), &y, &["a"])
            .unwrap();
        let b = Ols::new()
            .fit_named(&x.columns(1, 1).into_owned(), &y, &["b"])
            .unwrap();
        let e = RSquaredChange::between(&a, &b).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid nested models: predictor `a` of the reduced model is not in the full model"
        );
    }
}
