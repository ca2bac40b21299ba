//! # crm-analytics
//!
//! Telecom customer-value, life-cycle, satisfaction and retention analytics in pure
//! Rust: the models an operator's data team or a CRM researcher would otherwise run in
//! SPSS, Excel and a pile of Python and R scripts, correct to published digits.
//!
//! ```
//! use crm_analytics::regression::Ols;
//! use nalgebra::{DMatrix, DVector};
//!
//! // Overall satisfaction on two drivers (service, value) for five respondents.
//! let x = DMatrix::from_row_slice(5, 2, &[7.0, 6.0, 8.0, 7.0, 6.0, 5.0, 9.0, 8.0, 5.0, 6.0]);
//! let y = DVector::from_vec(vec![7.0, 8.0, 5.5, 9.0, 5.0]);
//! let fit = Ols::new().fit_named(&x, &y, &["service", "value"])?;
//! assert!(fit.r_squared() > 0.9);
//! # Ok::<(), crm_analytics::Error>(())
//! ```
//!
//! ## Overview
//!
//! | module | answers |
//! |---|---|
//! | [`regression`] | least squares with everything SPSS's REGRESSION prints |
//! | [`survey`] | Likert data, reliability (Cronbach's alpha, composite reliability, AVE) |
//! | [`satisfaction`] | drivers of satisfaction, satisfaction index, IPA, Kano |
//! | [`pls`] | PLS path models (ECSI/ACSI) |
//! | [`weights`] | indicator normalisation, AHP, entropy, CRITIC and other weights |
//! | [`value`] | value indices, the four-segment value matrix, concentration, RFM, VIP, groups |
//! | [`lifecycle`] | spend trends, life-cycle stages with evidence, Markov migration |
//! | [`survival`] | Kaplan-Meier, log-rank, Cox; churn-probability models |
//! | [`clv`] | geometric CLV, sBG cohorts, BG/NBD, Pareto/NBD, Gamma-Gamma |
//! | [`retention`] | retention rates, contribution-cost matching, budget allocation |
//! | [`strategy`] | the typed vocabulary of segment and stage strategies |
//! | [`pipeline`] | the end-to-end analysis of an operator's base |
//!
//! ## Numerical accuracy
//!
//! Least squares use Householder QR of the centred, column-scaled `[X | y]`, never the
//! inverse of `X'X`; see [`regression`] for the rank test. p values come from survival
//! functions (`sf`), not `1 - cdf`.
//!
//! ## Input validation and errors
//!
//! Every public entry point rejects NaN, infinities and shape mismatches with an
//! [`Error`] that names what is wrong and where; nothing panics on any input, and a
//! statistic that does not exist is `None`, never NaN. Statistical warnings (an AHP
//! consistency ratio over 0.1, a large VIF) are reported in results, not as errors.
//!
//! ## Crate features
//!
//! None: serde support is always on, because typed, serialisable results are the product.

pub mod clv;
pub mod error;
pub mod lifecycle;
pub mod pipeline;
pub mod pls;
pub mod regression;
pub mod retention;
pub mod satisfaction;
pub mod strategy;
pub mod survey;
pub mod survival;
pub mod value;
pub mod weights;

#[allow(dead_code)]
mod numeric;
mod probability;
#[allow(dead_code)]
mod validate;

pub use error::{Error, Result};
pub use probability::Probability;
