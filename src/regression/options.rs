use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

use super::fit::OlsFit;
use super::qr;
use crate::{Error, Result, validate};

/// Which covariance matrix of the coefficients to report.
///
/// Names and formulas follow statsmodels: with `e` the residuals, `h_i` the leverages and
/// `(X'X)^-1` from the QR factor,
///
/// ```text
/// Classical: s² (X'X)^-1,                     s² = RSS / (n - p)
/// HC0:       (X'X)^-1 X' diag(e²) X (X'X)^-1
/// HC1:       HC0 · n / (n - p)
/// HC2:       HC0 with e_i² / (1 - h_i)
/// HC3:       HC0 with e_i² / (1 - h_i)²
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum CovarianceType {
    /// Homoskedastic errors (SPSS and statsmodels default).
    #[default]
    Classical,
    /// White's heteroskedasticity-consistent estimator.
    HC0,
    /// HC0 with the small-sample factor n / (n - p).
    HC1,
    /// HC0 with residuals scaled by 1 / (1 - h_i).
    HC2,
    /// HC0 with residuals scaled by 1 / (1 - h_i)² (MacKinnon & White's jackknife form).
    HC3,
}

/// Options of an ordinary least-squares fit. Data enter only at [`Ols::fit`].
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `intercept` | `true` | add a constant term (reported first) | |
/// | `confidence_level` | `0.95` | level of coefficient and prediction intervals | (0, 1) |
/// | `covariance` | [`CovarianceType::Classical`] | covariance used for SEs, t, p and intervals | |
/// | `rank_tolerance` | `None` (= `max(n, p)·ε`) | relative tolerance of the rank test on `|R_jj| / max|R_ii|` | [0, 1) |
///
/// # Example
///
/// ```
/// use crm_analytics::regression::{CovarianceType, Ols};
/// use nalgebra::{DMatrix, DVector};
///
/// let x = DMatrix::from_row_slice(4, 2, &[1.0, 0.0, 2.0, 1.0, 3.0, 0.0, 4.0, 2.0]);
/// let y = DVector::from_vec(vec![1.0, 3.0, 2.0, 5.0]);
/// let fit = Ols::new().covariance(CovarianceType::HC3).fit(&x, &y)?;
/// assert_eq!(fit.coefficients().len(), 3);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ols {
    intercept: bool,
    confidence_level: f64,
    covariance: CovarianceType,
    rank_tolerance: Option<f64>,
}

impl Default for Ols {
    fn default() -> Self {
        Ols {
            intercept: true,
            confidence_level: 0.95,
            covariance: CovarianceType::Classical,
            rank_tolerance: None,
        }
    }
}

impl Ols {
    /// Default options: intercept, 95% intervals, classical covariance.
    #[must_use]
    pub fn new() -> Ols {
        Ols::default()
    }

    /// Whether to add a constant term. Without one, R² is uncentred (as R and NIST do).
    #[must_use]
    pub fn intercept(mut self, yes: bool) -> Ols {
        self.intercept = yes;
        self
    }

    /// Confidence level of intervals.
    ///
    /// # Errors
    /// [`Ols::fit`] rejects a level outside (0, 1).
    #[must_use]
    pub fn confidence_level(mut self, level: f64) -> Ols {
        self.confidence_level = level;
        self
    }

    /// Covariance estimator for standard errors and tests.
    #[must_use]
    pub fn covariance(mut self, cov: CovarianceType) -> Ols {
        self.covariance = cov;
        self
    }

    /// Relative rank tolerance on `|R_jj| / max|R_ii|` of the column-scaled factor.
    ///
    /// # Errors
    /// [`Ols::fit`] rejects a tolerance outside [0, 1).
    #[must_use]
    pub fn rank_tolerance(mut self, tol: f64) -> Ols {
        self.rank_tolerance = Some(tol);
        self
    }

    /// Whether a constant term is fitted.
    #[must_use]
    pub fn get_intercept(&self) -> bool {
        self.intercept
    }

    /// The confidence level.
    #[must_use]
    pub fn get_confidence_level(&self) -> f64 {
        self.confidence_level
    }

    /// The covariance estimator.
    #[must_use]
    pub fn get_covariance(&self) -> CovarianceType {
        self.covariance
    }

    /// The rank tolerance, if set.
    #[must_use]
    pub fn get_rank_tolerance(&self) -> Option<f64> {
        self.rank_tolerance
    }

    /// Fit `y` on the columns of `x` (no constant column: set [`Ols::intercept`]).
    /// Predictors are named `x1`, `x2`, ...
    ///
    /// # Errors
    /// - [`Error::DimensionMismatch`] if `y` and `x` differ in rows;
    /// - [`Error::NonFinite`] / [`Error::NonFiniteAt`] naming the first NaN or infinity;
    /// - [`Error::TooFewObservations`] if `n <= p` (no residual degrees of freedom);
    /// - [`Error::RankDeficient`] naming the dependent columns;
    /// - [`Error::InvalidOption`] for a bad confidence level or rank tolerance.
    pub fn fit(&self, x: &DMatrix<f64>, y: &DVector<f64>) -> Result<OlsFit> {
        let names: Vec<String> = (1..=x.ncols()).map(|j| format!("x{j}")).collect();
        self.fit_named(x, y, &names)
    }

    /// [`Ols::fit`] with predictor names, used in reports and error messages.
    ///
    /// # Errors
    /// As [`Ols::fit`], plus [`Error::DimensionMismatch`] if `names.len() != x.ncols()`.
    pub fn fit_named<S: AsRef<str>>(
        &self,
        x: &DMatrix<f64>,
        y: &DVector<f64>,
        names: &[S],
    ) -> Result<OlsFit> {
        self.validate()?;
        validate::same_len("rows of `y` (must equal rows of `x`)", x.nrows(), y.len())?;
        validate::same_len(
            "predictor names (must equal columns of `x`)",
            x.ncols(),
            names.len(),
        )?;
        validate::matrix_finite("x", x)?;
        validate::vector_finite("y", y)?;
        let names: Vec<String> = names.iter().map(|s| s.as_ref().to_string()).collect();
        let n = x.nrows();
        let p = x.ncols() + usize::from(self.intercept);
        if p == 0 {
            return Err(Error::input(
                "design",
                "no predictors and no intercept: nothing to fit",
            ));
        }
        if n <= p {
            return Err(Error::TooFewObservations {
                what: format!("OLS with {p} parameters"),
                needed: p + 1,
                got: n,
            });
        }
        let core = qr::solve(x, y, self.intercept, self.rank_tolerance, &names)?;
        OlsFit::from_core(*self, names, x, y, core)
    }

    fn validate(&self) -> Result<()> {
        validate::open_unit("confidence_level", self.confidence_level)?;
        if let Some(t) = self.rank_tolerance
            && !(t.is_finite() && (0.0..1.0).contains(&t))
        {
            return Err(Error::option("rank_tolerance", t, "in [0, 1)"));
        }
        Ok(())
    }
}
