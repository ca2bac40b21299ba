//! Questionnaire data: Likert scales, item validation, reverse coding, missing values,
//! construct scores and scale reliability (Cronbach's alpha, composite reliability, AVE,
//! discriminant validity).
//!
//! # Quick start
//!
//! ```
//! use crm_analytics::survey::{Construct, ItemMatrix, LikertScale, Reliability, Scoring};
//! use nalgebra::DMatrix;
//!
//! let scale = LikertScale::new(1.0, 5.0)?;
//! let data = DMatrix::from_row_slice(6, 4, &[
//!     4.0, 5.0, 4.0, 2.0,   2.0, 3.0, 3.0, 4.0,   5.0, 5.0, 4.0, 1.0,
//!     3.0, 2.0, 3.0, 3.0,   1.0, 2.0, 2.0, 5.0,   4.0, 4.0, 5.0, 2.0,
//! ]);
//! // q4 is worded negatively: reverse it before anything else.
//! let items = ItemMatrix::new(data, &["q1", "q2", "q3", "q4"], scale)?.reverse(&["q4"])?;
//! let service = Construct::new("Service", &["q1", "q2", "q3", "q4"])?;
//! let rel = Reliability::new().fit_construct(&items, &service)?;
//! assert!(rel.alpha() > 0.9);
//! let scores = Scoring::new().score(&items, &[service])?;
//! assert_eq!(scores.rows_used(), 6);
//! # Ok::<(), crm_analytics::Error>(())
//! ```
//!
//! # Contents
//!
//! | type | what |
//! |---|---|
//! | [`LikertScale`] | a validated response scale; reverse coding and 0-100 rescaling |
//! | [`ItemMatrix`] | named item columns, missing codes, reverse-coded items |
//! | [`MissingPolicy`] | listwise, pairwise, item-mean |
//! | [`Construct`], [`Scoring`], [`ConstructScores`] | item blocks and their scores |
//! | [`Reliability`], [`ScaleReliability`], [`ItemStatistics`] | Cronbach's alpha (raw, standardised, Feldt CI), item-total statistics |
//! | [`ConvergentValidity`], [`dillon_goldstein_rho`] | rho_C, AVE, Dillon-Goldstein rho |
//! | [`FornellLarcker`], [`Htmt`] | discriminant validity |
//! | [`MomentAccumulator`] | the mergeable state (means and co-moments) for streaming and parallel data |
//!
//! # Conventions
//!
//! Variances and covariances use `n - 1`. Respondent indices in errors are zero-based
//! rows. Thresholds quoted in docs (alpha ≥ 0.7, AVE ≥ 0.5, corrected item-total r ≥ 0.3,
//! HTMT < 0.85/0.90) are conventions, reported but never enforced.

mod accumulator;
mod composite;
mod construct;
mod discriminant;
mod items;
mod missing;
mod reliability;
mod scale;

pub use accumulator::MomentAccumulator;
pub use composite::{ConvergentValidity, dillon_goldstein_rho};
pub use construct::{Construct, ConstructScores, ScoreMethod, Scoring};
pub use discriminant::{FornellLarcker, Htmt};
pub use items::ItemMatrix;
pub use missing::MissingPolicy;
pub use reliability::{ItemStatistics, Reliability, ScaleReliability};
pub use scale::LikertScale;
