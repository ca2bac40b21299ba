//! Normalisation of indicators and weighting methods: AHP with consistency ratio,
//! entropy, CRITIC, standard deviation, coefficient of variation, MEREC, combinations.
//!
//! Every method returns a validated [`Weights`] vector (finite, ≥ 0, summing to 1)
//! inside a result that keeps the diagnostics: λmax, CI and CR with the name of the
//! random-index table for AHP ([`AhpWeights`]), entropies or information scores for
//! the objective methods ([`ObjectiveWeights`]).
//!
//! | what | type | reference |
//! |---|---|---|
//! | normalisation by direction | [`Normalize`], [`Normalization`], [`Direction`] | MODELS.md §1 |
//! | AHP, one matrix | [`Ahp`] → [`AhpWeights`] | Saaty (1980, 2008) |
//! | AHP hierarchy | [`Hierarchy`] → [`HierarchyWeights`] | Saaty (1980) |
//! | group AHP | [`Ahp::weigh_group`] → [`GroupAhpWeights`] | Aczél & Saaty (1983) |
//! | RI tables | [`RandomIndex`], [`CustomRandomIndex`] | eight published tables or your own |
//! | entropy | [`EntropyWeights`] | Xu (2004) |
//! | CRITIC | [`Critic`] | Diakoulaki et al. (1995) |
//! | std, CV | [`StdDevWeights`], [`CvWeights`] | |
//! | MEREC | [`Merec`] | Keshavarz-Ghorabaee et al. (2021) |
//! | subjective + objective | [`Combination`] | |
//!
//! Statistical warnings are not errors: an AHP matrix with CR > 0.1 still yields its
//! weights, with an [`AhpWarning`] in the result ([`Ahp::strict`] makes it an error).
//!
//! # Example
//!
//! ```
//! use crm_analytics::weights::{Ahp, Combination, Direction, EntropyWeights};
//! use nalgebra::DMatrix;
//!
//! // Subjective: ARPU 3x as important as tenure.
//! let ahp = Ahp::new().weigh_upper_triangle(2, &[3.0])?;
//! // Objective: entropy of four customers' ARPU and tenure.
//! let x = DMatrix::from_row_slice(4, 2, &[80.0, 12.0, 20.0, 30.0, 45.0, 24.0, 150.0, 6.0]);
//! let ent = EntropyWeights::new().weigh(&x, &[Direction::Benefit; 2])?;
//! let w = Combination::Linear(0.5).combine(ahp.weights(), ent.weights())?;
//! assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
//! # Ok::<(), crm_analytics::Error>(())
//! ```

// Checks are written `!(x > 0.0)` on purpose, so that NaN fails them (STYLE.md).
#![allow(clippy::neg_cmp_op_on_partial_ord)]

mod ahp;
mod hierarchy;
mod normalize;
mod objective;
mod random_index;
mod weight_vector;

pub use ahp::{Ahp, AhpWarning, AhpWeights, Convergence, PriorityMethod};
pub use hierarchy::{
    GroupAggregation, GroupAhpWeights, Hierarchy, HierarchyWeights, Leaf, LevelConsistency,
    NodeWeights,
};
pub use normalize::{ConstantColumn, Direction, Normalization, Normalize, RankTies};
pub use objective::{
    Combination, Critic, CvWeights, EntropyVariant, EntropyWeights, Merec, ObjectiveWeights,
    StdDevWeights, WeightingMethod,
};
pub use random_index::{CustomRandomIndex, RandomIndex};
pub use weight_vector::Weights;

pub(crate) use normalize::average_ranks;
pub(crate) use weight_vector::{check_table_finite, row_score, rows_of, score_rows_into};
