//! Ordinary least squares with everything SPSS's REGRESSION procedure prints.
//!
//! General-purpose: this module knows nothing about customers. Other modules (the
//! satisfaction model, PLS path coefficients, spend trends) call it.
//!
//! # Quick start
//!
//! ```
//! use crm_analytics::regression::{Ols, OlsFit};
//! use nalgebra::{DMatrix, DVector};
//!
//! // y = 1 + 2 x exactly, on five points.
//! let x = DMatrix::from_column_slice(5, 1, &[0.0, 1.0, 2.0, 3.0, 4.0]);
//! let y = DVector::from_vec(vec![1.0, 3.0, 5.0, 7.0, 9.0]);
//! let fit: OlsFit = Ols::new().intercept(true).fit(&x, &y)?;
//! assert!((fit.coefficients()[0] - 1.0).abs() < 1e-12);
//! assert!((fit.coefficients()[1] - 2.0).abs() < 1e-12);
//! assert!((fit.r_squared() - 1.0).abs() < 1e-12);
//! # Ok::<(), crm_analytics::Error>(())
//! ```
//!
//! # What the fit gives you
//!
//! | SPSS output / statsmodels attribute | here |
//! |---|---|
//! | Coefficients: B, SE, t, Sig., CI | [`OlsFit::coefficients`], [`OlsFit::std_errors`], [`OlsFit::t_values`], [`OlsFit::p_values`], [`OlsFit::conf_int`] |
//! | Beta; zero-order, partial, part correlations | [`OlsFit::standardized_coefficients`], [`OlsFit::zero_order_correlations`], [`OlsFit::partial_correlations`], [`OlsFit::part_correlations`] |
//! | Tolerance, VIF | [`OlsFit::tolerance`], [`OlsFit::vif`] |
//! | Collinearity Diagnostics (eigenvalues, condition indices, variance proportions) | [`OlsFit::collinearity_diagnostics`] → [`CollinearityDiagnostics`] |
//! | Model Summary: R, R², adj. R², SE of estimate, Durbin-Watson; LL, AIC, BIC | [`OlsFit::multiple_r`], [`OlsFit::r_squared`], [`OlsFit::adj_r_squared`], [`OlsFit::residual_std_error`], [`OlsFit::durbin_watson`], [`OlsFit::log_likelihood`], [`OlsFit::aic`], [`OlsFit::bic`] |
//! | R² change, F change (hierarchical blocks) | [`RSquaredChange::between`], [`RSquaredChange::sequence`] |
//! | ANOVA table | [`OlsReport::anova`] ([`AnovaTable`]) |
//! | ZRESID, SRESID, SDRESID, LEVER, COOK, DFFITS, MAHAL, ZPRED | [`OlsFit::case_diagnostics`] → [`CaseDiagnostics`] |
//! | Casewise Diagnostics, Residuals Statistics | [`OlsFit::casewise`], [`OlsFit::residual_statistics`] |
//! | HC0-HC3 robust covariance | [`Ols::covariance`] with [`CovarianceType`] |
//! | Prediction: mean CI (MCIN) and prediction interval (ICIN) | [`OlsFit::predict`] → [`Prediction`] |
//! | `/METHOD = ENTER, FORWARD, BACKWARD, STEPWISE` | [`Selection`] → [`SelectionPath`] |
//! | Relative importance (LMG/Shapley, Johnson's weights) | [`RelativeImportance`] |
//! | All tables at once, printable and serialisable | [`OlsFit::report`] → [`OlsReport`] |
//!
//! Everything derived after the fit (betas, correlations, VIF, collinearity, relative
//! importance, R² change) uses only the fit's R factor, `(X'X)^-1`, means and residuals,
//! never the data again, so it works on a fit finished from streamed blocks too.
//!
//! # Example: the full SPSS report
//!
//! ```
//! use crm_analytics::regression::{Ols, RelativeImportance, Selection, SelectionMethod};
//! use nalgebra::{DMatrix, DVector};
//!
//! let x = DMatrix::from_row_slice(8, 2, &[
//!     7.0, 6.0, 8.0, 7.0, 6.0, 5.0, 9.0, 8.0, 5.0, 6.0, 8.0, 9.0, 4.0, 5.0, 7.0, 7.0]);
//! let y = DVector::from_vec(vec![7.0, 8.0, 5.5, 9.0, 5.0, 8.5, 4.0, 7.5]);
//! let names = ["service", "value"];
//! let fit = Ols::new().fit_named(&x, &y, &names)?;
//! let mut report = fit.report();
//! report.dependent = "satisfaction".into();
//! let text = report.to_string(); // ready to print
//! let text = RelativeImportance::lmg(&x, &y, &names)?.to_string(); // ready to print
//! let text = Selection::new().method(SelectionMethod::Stepwise).run(&x, &y, &names)?.to_string(); // ready to print
//! # Ok::<(), crm_analytics::Error>(())
//! ```
//!
//! # Conventions
//!
//! - Leverage: [`OlsFit::leverage`] and [`CaseDiagnostics::leverage`] are the hat-matrix
//!   diagonal `h_i` (statsmodels, R); SPSS prints the *centred* leverage `h_i - 1/n`
//!   ([`CaseDiagnostics::centered_leverage`]). Mahalanobis distance is `(n - 1)(h_i - 1/n)`.
//! - Without an intercept, R² and the ANOVA total are uncentred (about zero), as in R and
//!   NIST; betas, correlations and VIF then use uncentred norms (cosines).
//! - The coefficients table uses the covariance type chosen in [`Ols`]; the ANOVA F,
//!   F change, F to enter/remove and prediction intervals always use the classical `s²`.
//! - A statistic that does not exist (Durbin-Watson of an exact fit, a deleted residual
//!   at leverage 1) is `None`, never NaN.
//!
//! # Numerics
//!
//! Least squares by Householder QR of the augmented matrix `[X | y]`, never by inverting
//! `X'X`. With an intercept the columns are first centred (two-pass means), which removes
//! the intercept's collinearity with the other columns and the leading constant digits
//! that make data such as NIST Longley hard; the intercept and its variance are then
//! recovered exactly from the means. Every column is scaled to unit Euclidean norm before
//! factoring, so the rank test is scale-free: column `j` is declared linearly dependent
//! on the columns before it when `|R_jj| <= tol`, with the default
//! `tol = max(n, p) · ε · max_i |R_ii|` (ε the machine epsilon, `p` the number of
//! factored columns), the tolerance LAPACK-based tools (numpy `matrix_rank`) use. A rank
//! deficiency is an [`Error::RankDeficient`](crate::Error::RankDeficient) naming the
//! dependent column and the columns it depends on.

mod accumulator;
mod collinearity;
mod diagnostics;
mod fit;
mod importance;
mod inference;
mod options;
mod prediction;
mod qr;
mod report;
mod selection;
mod summary;

pub use accumulator::{OlsAccumulator, OlsSummary};
pub use collinearity::CollinearityDiagnostics;
pub use diagnostics::{CaseDiagnostics, CasewiseRow, ResidualStatisticsRow};
pub use fit::OlsFit;
pub use importance::{ImportanceMethod, MAX_LMG_PREDICTORS, RelativeImportance};
pub use options::{CovarianceType, Ols};
pub use prediction::Prediction;
pub use report::{AnovaRow, AnovaTable, CoefficientRow, ModelSummary, OlsReport};
pub use selection::{Selection, SelectionCriterion, SelectionMethod, SelectionPath, SelectionStep};
pub use summary::RSquaredChange;
