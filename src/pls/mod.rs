//! PLS path modeling (ECSI/ACSI-type satisfaction-index models): outer and inner
//! estimation, weighting schemes, effects, bootstrap, satisfaction indices and IPMA.
//!
//! General-purpose: any model of composites (constructs measured by blocks of items)
//! joined by a directed acyclic structural model.
//!
//! # Quick start
//!
//! ```
//! use crm_analytics::pls::{InnerScheme, Pls, PlsModel};
//! use nalgebra::DMatrix;
//!
//! // Eight respondents rate quality (q1, q2), value (v1, v2) and satisfaction (s1, s2), 1..7.
//! let data = DMatrix::from_row_slice(8, 6, &[
//!     5.0, 6.0, 4.0, 5.0, 6.0, 5.0,
//!     3.0, 3.0, 4.0, 3.0, 3.0, 4.0,
//!     6.0, 7.0, 6.0, 6.0, 7.0, 7.0,
//!     2.0, 3.0, 2.0, 1.0, 2.0, 2.0,
//!     4.0, 4.0, 5.0, 5.0, 4.0, 5.0,
//!     7.0, 6.0, 6.0, 7.0, 6.0, 6.0,
//!     3.0, 2.0, 3.0, 4.0, 3.0, 2.0,
//!     5.0, 5.0, 3.0, 4.0, 5.0, 5.0,
//! ]);
//! let columns = ["q1", "q2", "v1", "v2", "s1", "s2"];
//! let model = PlsModel::new()
//!     .reflective("Quality", &["q1", "q2"])
//!     .reflective("Value", &["v1", "v2"])
//!     .reflective("Satisfaction", &["s1", "s2"])
//!     .path("Quality", "Value")
//!     .paths(&["Quality", "Value"], "Satisfaction");
//! let fit = Pls::new().scheme(InnerScheme::Path).fit(&model, &data, &columns)?;
//! assert!(fit.convergence().converged());
//! let csi = fit.index("Satisfaction", 1.0, 7.0)?; // the 0-100 satisfaction index
//! assert!(csi.index > 50.0);
//! let text = fit.to_string(); // ready to print
//! # Ok::<(), crm_analytics::Error>(())
//! ```
//!
//! # The algorithm
//!
//! Wold's PLS path modeling with Lohmöller's (1989) iteration, as in SmartPLS, semPLS,
//! seminr and R plspm:
//!
//! 1. Preprocess the items: standardise (mean 0, variance 1 with n - 1; default) or only
//!    centre ([`Scaling`]).
//! 2. Start from unit outer weights; scale each block's weights so that the score
//!    `Y_j = X_j w_j` has unit variance.
//! 3. Inner estimate `Z_j = Σ_i e_ji Y_i` over the constructs adjacent to `j`, with the
//!    [`InnerScheme`] weights (centroid, factorial or path).
//! 4. Outer update: mode A `w_j ∝ X_jᵀ Z_j`, mode B `w_j = (X_jᵀX_j)⁻¹ X_jᵀ Z_j`
//!    ([`Mode`]); rescale to unit-variance scores.
//! 5. Repeat 3-4 until `max |w_new - w_old| < tolerance` or the iteration cap
//!    ([`Convergence`]); a fit that hits the cap is still returned, flagged.
//! 6. Path coefficients: OLS of each endogenous score on its predecessors' scores with
//!    [`crate::regression::Ols`] ([`StructuralEquation`]); loadings `cor(x, Y)`; total
//!    effects over all directed paths.
//!
//! The iteration runs on the item covariance matrix (one pass over the data), so its cost
//! per iteration does not grow with the number of respondents.
//!
//! # Satisfaction index and IPMA
//!
//! [`PlsFit::index`] computes the ACSI/ECSI-style 0-100 index from the PLS weights
//! (unstandardised weights `w/sd`, normalised to sum 1, applied to the item means);
//! [`PlsFit::rescaled_scores`] gives the respondent-level 0-100 scores and
//! [`PlsFit::ipma`] the importance-performance map of a target construct.
//!
//! # Bootstrap
//!
//! [`Bootstrap`] resamples respondents with replacement and re-estimates the model,
//! giving standard errors, t values and percentile intervals of paths, loadings, weights
//! and total effects ([`BootstrapFit`]); deterministic for a seed, whatever the number of
//! threads.
//!
//! # References
//! - Lohmöller (1989), *Latent Variable Path Modeling with Partial Least Squares*, Physica.
//! - Tenenhaus, Esposito Vinzi, Chatelin & Lauro (2005), *PLS path modeling*, CSDA
//!   48:159-205 (the mobi data; GoF).
//! - Hair, Hult, Ringle & Sarstedt (2017), *A Primer on PLS-SEM*, 2nd ed. (bootstrap,
//!   sign changes, quality criteria).
//! - Ringle & Sarstedt (2016), IPMA, Industrial Management & Data Systems 116(9).

mod algorithm;
mod bootstrap;
mod fit;
mod index;
mod ipma;
mod model;
mod options;
mod report;
mod rng;

pub use bootstrap::{Bootstrap, BootstrapFit, Estimate, SignChange};
pub use fit::{Convergence, PlsFit, StructuralEquation, Termination};
pub use index::ConstructIndex;
pub use ipma::{Ipma, IpmaRow};
pub use model::{Block, Mode, PlsModel};
pub use options::{InnerScheme, MissingPolicy, Pls, Scaling};
pub use report::{ConstructRow, EffectRow, ItemRow, PathRow, PlsReport};
