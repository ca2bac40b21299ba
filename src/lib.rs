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
//! ## Examples
//!
//! ### Weight indicators: AHP judgements combined with entropy
//!
//! ```
//! use crm_analytics::weights::{Ahp, Combination, Direction, EntropyWeights};
//! use nalgebra::DMatrix;
//!
//! let ahp = Ahp::new().weigh_upper_triangle(2, &[3.0])?; // ARPU 3x as important as tenure
//! let x = DMatrix::from_row_slice(4, 2, &[80.0, 12.0, 20.0, 30.0, 45.0, 24.0, 150.0, 6.0]);
//! let ent = EntropyWeights::new().weigh(&x, &[Direction::Benefit; 2])?;
//! let w = Combination::Linear(0.5).combine(ahp.weights(), ent.weights())?;
//! assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
//! # Ok::<(), crm_analytics::Error>(())
//! ```
//!
//! ### Revenue concentration: Gini and the Pareto point
//!
//! ```
//! use crm_analytics::value::Concentration;
//!
//! // MODELS.md §3.4 worked example: x = (1, 2, 3, 4, 10) has Gini 0.4.
//! let c = Concentration::new(&[1.0, 2.0, 3.0, 4.0, 10.0])?;
//! assert!((c.gini() - 0.4).abs() < 1e-12);
//! # Ok::<(), crm_analytics::Error>(())
//! ```
//!
//! ### Retention curves by contract and a log-rank test
//!
//! ```
//! use crm_analytics::survival::{KaplanMeier, LogRank};
//!
//! let tenure = [2.0, 4.0, 4.0, 7.0, 9.0, 12.0, 3.0, 10.0, 15.0, 20.0, 24.0, 24.0];
//! let churned = [1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0];
//! let contract = ["monthly", "monthly", "monthly", "monthly", "monthly", "monthly",
//!                 "yearly", "yearly", "yearly", "yearly", "yearly", "yearly"];
//! let km = KaplanMeier::new().fit(&tenure, &churned)?;
//! let test = LogRank::new().test(&tenure, &churned, &contract)?;
//! assert!(test.p_value() < 1.0 && km.median().time.is_some());
//! # Ok::<(), crm_analytics::Error>(())
//! ```
//!
//! ### Customer lifetime value with the timing stated
//!
//! ```
//! use crm_analytics::clv::{MarginTiming, geometric_clv};
//!
//! // MODELS.md §5.1: margin 100, retention 0.8, discount 0.1.
//! let now = geometric_clv(100.0, 0.8, 0.1, MarginTiming::MarginNow)?;
//! let next = geometric_clv(100.0, 0.8, 0.1, MarginTiming::MarginNextPeriod)?;
//! assert!((now - 366.6667).abs() < 1e-3 && (next - 266.6667).abs() < 1e-3);
//! # Ok::<(), crm_analytics::Error>(())
//! ```
//!
//! Every module's page opens with its own quick start, and `examples/` holds one
//! runnable program per capability (`cargo run --release --example <name>`):
//! `telecom_crm` (the whole analysis), `regression_report`, `satisfaction_survey`,
//! `ecsi_model`, `customer_value`, `lifecycle`, `churn_survival`, `prepaid_clv`,
//! `retention_budget`.
//!
//! ## Numerical accuracy
//!
//! Least squares use Householder QR of the centred, column-scaled `[X | y]`, never the
//! inverse of `X'X`, refined in double-double arithmetic; on the NIST StRD linear suite
//! every dataset fits (Filip included) and reaches the accuracy limit of its f64 data
//! ([`_documentation::accuracy`]). Likelihoods are evaluated in log space; p values come
//! from survival functions (`sf`), not `1 - cdf`.
//!
//! ## Input validation and errors
//!
//! Every public entry point rejects NaN, infinities and shape mismatches with an
//! [`Error`] that names what is wrong and where; nothing panics on any input, and a
//! statistic that does not exist is `None`, never NaN. Statistical warnings (an AHP
//! consistency ratio over 0.1, a large VIF) are reported in results, not as errors.
//!
//! ## References
//!
//! Each module cites its sources; the principal ones are NIST StRD (regression),
//! Cronbach (1951) and Feldt (1965) (reliability), Wold/Lohmöller and Tenenhaus et al.
//! (2005) (PLS), Saaty (1980, 2008) (AHP), Diakoulaki et al. (1995) (CRITIC), Kaplan &
//! Meier (1958), Cox (1972), Fader & Hardie (2007, 2010) and Fader, Hardie & Lee (2005)
//! (sBG, BG/NBD, Gamma-Gamma), Pfeifer & Carraway (2000) (Markov CLV), Neslin et al.
//! (2006) (churn campaigns), Berry & Parasuraman (1991) (relationship bonds).
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

mod buffer;
#[allow(dead_code)]
mod numeric;
mod parallel;
mod probability;
mod simd;
#[cfg(test)]
mod test_support;
#[allow(dead_code)]
mod validate;

pub use error::{Error, Result};

/// The project's design notes, accuracy record, performance record and changelog,
/// included so that they are part of the API documentation.
pub mod _documentation {
    #[doc = include_str!("../docs/architecture.md")]
    pub mod architecture {}
    #[doc = include_str!("../docs/accuracy.md")]
    pub mod accuracy {}
    #[doc = include_str!("../docs/performance.md")]
    pub mod performance {}
    #[doc = include_str!("../CHANGELOG.md")]
    pub mod changelog {}
}
pub use probability::Probability;
