//! Crate-private numerics shared by several modules.
//!
//! - [`hyp2f1`]: the Gauss hypergeometric function 2F1 (series with the Pfaff, Euler and
//!   1 - z transformations, summed with a running scale so that huge terms cannot overflow).
//!   Needed by sBG DEL/DERL, the BG/NBD and MBG/NBD conditional expectations and the
//!   Pareto/NBD likelihood.
//! - [`optim`]: a BFGS minimiser with a backtracking line search, finite-difference
//!   gradients and Hessians, and a typed convergence record that keeps the best point seen.
//! - [`log`]: a vectorisable natural logarithm (fdlibm's algorithm, within one ulp) and
//!   the eight-lane kernel `Σ x ln x` of the entropy weights.
//! - [`scan`]: single-pass eight-lane scans (sum, minimum and maximum at once), used by
//!   the entropy weights and concentration.
//! - [`special`]: signed log-gamma and small helpers (log-sum-exp, `ln(1 + e^x)`).
//!
//! Everything here returns `Option`/typed records rather than NaN or panics, so that public
//! entry points can turn a numerical failure into a typed [`crate::Error`].

// Exact comparisons are intentional (poles at non-positive integers, z == 0 and z == 1
// special cases, NaN-rejecting `!(v < 0.0)` forms).
#![allow(clippy::float_cmp, clippy::neg_cmp_op_on_partial_ord)]

pub(crate) mod hyp2f1;
pub(crate) mod log;
pub(crate) mod optim;
pub(crate) mod scan;
pub(crate) mod special;
