//! Customer value: indicator systems, current and potential value indices, the value
//! matrix, concentration (Lorenz, Gini, Pareto), RFM, VIP tiers, group value, the
//! customer pyramid.
//!
//! The seeds' value appraisal system: concrete indicators split into current and
//! potential value ([`IndicatorSystem`]), normalised and weighted by any method of
//! [`crate::weights`] ([`ValueIndex`]), and customers segmented into the four cells of
//! the value matrix, each with its strategy ([`ValueMatrix`], [`ValueSegment`],
//! [`crate::strategy::StrategyBook`]). Revenue concentration ("80% of income from
//! 15-20% of customers") is measured by [`Concentration`].
//!
//! | what | type | reference |
//! |---|---|---|
//! | indicator system | [`IndicatorSystem`], [`Indicator`] | MODELS.md §3.1 |
//! | value indices | [`ValueIndex`] → [`ValueIndices`] | MODELS.md §3.1 |
//! | value matrix | [`ValueMatrix`] → [`ValueMatrixFit`] | MODELS.md §3.2 |
//! | concentration | [`Concentration`], [`shares_by`] | MODELS.md §3.4 |
//! | RFM | [`Rfm`] → [`RfmScores`] | Miglautsch (2000), R `rfm` |
//! | VIP tiers | [`VipTiers`] | MODELS.md §3.5 |
//! | group customers | [`GroupValue`] | MODELS.md §3.5 |
//! | customer pyramid | [`CustomerPyramid`] | Zeithaml, Rust & Lemon (2001) |
//!
//! # Scale: mergeable states
//!
//! Mean thresholds ([`MeanSplitAccumulator`]) and the segment table's counts, sums and
//! shares ([`SegmentAccumulator`]) fold blocks of customers and merge, so a base of
//! tens of millions can be processed in partitions (two passes: means, then segments).
//! Exact quantiles, medians, 2-means splits, the Lorenz curve and the Gini
//! coefficient need the sorted data and have no such state.
//!
//! # Example
//!
//! ```
//! use crm_analytics::value::{Concentration, IndicatorSystem, ValueIndex, ValueMatrix};
//! use crm_analytics::strategy::ValueSegment;
//! use nalgebra::DMatrix;
//!
//! let sys = IndicatorSystem::telecom_default();
//! // 4 customers x 11 indicators (arpu, revenue, tenure, ..., churn propensity)
//! let x = DMatrix::from_row_slice(4, 11, &[
//!     120.0, 1440.0, 60.0, 1.0, 600.0, 0.10, 0.3, 80.0, 1.0, 5.0, 0.05,
//!      30.0,  360.0, 12.0, 0.9,  60.0, 0.40, 0.1, 40.0, 0.0, 3.0, 0.20,
//!      90.0, 1080.0, 48.0, 1.0, 400.0, -0.1, 0.0, 10.0, 0.0, 4.0, 0.60,
//!      10.0,  120.0,  3.0, 0.5,   5.0, -0.2, 0.0,  5.0, 0.0, 1.0, 0.90,
//! ]);
//! let idx = ValueIndex::new(sys).fit(&x)?;
//! let arpu: Vec<f64> = x.column(0).iter().copied().collect();
//! let fit = ValueMatrix::new().classify_indices(&idx, Some(&arpu), Some(&arpu))?;
//! assert_eq!(fit.segments()[0], ValueSegment::Valuable);
//! let c = Concentration::new(&arpu)?;
//! assert!(c.gini() > 0.0);
//! # Ok::<(), crm_analytics::Error>(())
//! ```

// Checks are written `!(x > 0.0)` on purpose, so that NaN fails them (STYLE.md).
#![allow(clippy::neg_cmp_op_on_partial_ord)]

mod concentration;
mod index;
mod indicators;
mod matrix;
mod rfm;
mod sort;
mod tiers;

pub use crate::strategy::ValueSegment;
pub use concentration::{
    Concentration, ConcentrationReport, GroupShare, Lorenz, LorenzIter, shares_by, spearman,
};
pub use index::{DimensionWeights, ObjectiveMethod, ValueIndex, ValueIndices, WeightSource};
pub use indicators::{Dimension, Indicator, IndicatorSystem};
pub use matrix::{
    MeanSplitAccumulator, SegmentAccumulator, SegmentSummary, Split, ValueMatrix, ValueMatrixFit,
};
pub use rfm::{Rfm, RfmScores, RfmScoring, RfmSegmentRule};
pub use tiers::{
    CustomerPyramid, GroupRow, GroupValue, GroupValueFit, PyramidFit, PyramidTier, TierFit,
    TierRow, VipTiers,
};
