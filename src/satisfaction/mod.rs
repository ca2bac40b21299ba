//! The satisfaction model: construct scores, regression on the drivers, driver ranking
//! (standardised beta, LMG share of R², significance), satisfaction index,
//! importance-performance analysis, Kano classification, service-problem analysis and
//! recommendations.
//!
//! # Quick start
//!
//! ```
//! use crm_analytics::satisfaction::{Ipa, ImportanceSource, SatisfactionModel};
//! use crm_analytics::survey::{Construct, ItemMatrix, LikertScale};
//! use nalgebra::DMatrix;
//!
//! // 10 respondents: service, quality, value and overall satisfaction on 1..10.
//! let d = DMatrix::from_row_slice(10, 4, &[
//!     7.0, 6.0, 7.0, 7.0,   9.0, 8.0, 9.0, 9.0,   5.0, 6.0, 5.0, 5.0,   8.0, 9.0, 9.0, 8.0,
//!     4.0, 3.0, 3.0, 3.0,   6.0, 7.0, 7.0, 7.0,   9.0, 9.0, 10.0, 10.0, 3.0, 5.0, 4.0, 4.0,
//!     6.0, 8.0, 5.0, 6.0,   7.0, 7.0, 8.0, 8.0,
//! ]);
//! let items = ItemMatrix::new(d, &["svc", "qual", "val", "overall"], LikertScale::new(1.0, 10.0)?)?;
//! let cons = [
//!     Construct::new("Service", &["svc"])?,
//!     Construct::new("Quality", &["qual"])?,
//!     Construct::new("Value", &["val"])?,
//!     Construct::new("Satisfaction", &["overall"])?,
//! ];
//! let fit = SatisfactionModel::new().fit(&items, &cons)?;
//! let ipa = Ipa::new().importance(ImportanceSource::RelativeImportance).drivers(&fit)?;
//! let report = fit.report().with_ipa(ipa);
//! assert_eq!(report.recommendations.len(), 3);
//! let text = report.to_string(); // ready to print
//! # Ok::<(), crm_analytics::Error>(())
//! ```
//!
//! # Contents
//!
//! | type | what |
//! |---|---|
//! | [`SatisfactionModel`], [`SatisfactionFit`], [`Driver`], [`DriverRanking`] | regression of overall satisfaction on the drivers |
//! | [`SatisfactionIndex`] | the 0-100 index with unstandardised weights (ACSI/ECSI) |
//! | [`Ipa`], [`IpaResult`], [`Quadrant`] | importance-performance analysis, diagonal variant |
//! | [`Kano`], [`KanoCategory`], [`KanoResult`] | Kano classification, Better/Worse |
//! | [`ProblemPareto`], [`ParetoTable`], [`ChiSquareTest`] | service-problem analysis |
//! | [`recommend`], [`Recommendation`] | typed recommendations |
//! | [`SatisfactionReport`] | everything above as one table |

mod index;
mod ipa;
mod kano;
mod model;
mod problems;
mod recommend;
mod report;

pub use index::SatisfactionIndex;
pub use ipa::{Crosshair, ImportanceSource, Ipa, IpaPoint, IpaResult, Quadrant};
pub use kano::{Kano, KanoCategory, KanoCounts, KanoFeature, KanoResult};
pub use model::{Driver, DriverRanking, SatisfactionFit, SatisfactionModel};
pub use problems::{ChiSquareTest, ParetoRow, ParetoTable, ProblemPareto};
pub use recommend::{Recommendation, RecommendedAction, recommend};
pub use report::SatisfactionReport;
