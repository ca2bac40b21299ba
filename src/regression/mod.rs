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

mod fit;
mod importance;
mod options;
mod qr;

pub use fit::OlsFit;
pub use importance::{ImportanceMethod, MAX_LMG_PREDICTORS, RelativeImportance};
pub use options::{CovarianceType, Ols};
