//! Options of a PLS path-model fit ([`Pls`]) and their enums.

use std::fmt;

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use super::algorithm;
use super::fit::PlsFit;
use super::model::{PlsModel, Spec};
use crate::{Error, Result};

/// Inner weighting scheme: how the inner estimate `Z_j = Σ_i e_ji Y_i` of construct `j`
/// weighs its adjacent constructs `i` (Lohmöller 1989).
///
/// # Formula
///
/// ```text
/// centroid:  e_ji = sign(r_ji)
/// factorial: e_ji = r_ji
/// path:      e_ji = b_ji  for predecessors i of j, where b_j = regression of Y_j on its predecessors
///            e_ji = r_ji  for successors i of j
/// ```
///
/// with `r_ji` the correlation of the current construct scores (`sign(0) = 0`).
///
/// # Example
///
/// ```
/// use crm_analytics::pls::{InnerScheme, MissingPolicy, Pls, Scaling};
/// assert_eq!(InnerScheme::default(), InnerScheme::Path);
/// assert_eq!(InnerScheme::Centroid.to_string(), "centroid");
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum InnerScheme {
    /// Signs of the correlations (Wold's original scheme).
    Centroid,
    /// The correlations themselves.
    Factorial,
    /// Path weighting: regression weights for predecessors, correlations for successors
    /// (SmartPLS and seminr default).
    #[default]
    Path,
}

impl fmt::Display for InnerScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InnerScheme::Centroid => "centroid",
            InnerScheme::Factorial => "factorial",
            InnerScheme::Path => "path",
        })
    }
}

/// Preprocessing of the manifest variables (items).
///
/// # Example
///
/// ```
/// use crm_analytics::pls::{InnerScheme, MissingPolicy, Pls, Scaling};
/// let opts = Pls::new().scaling(Scaling::Centered); // R plspm scaled = FALSE
/// assert_eq!(opts.get_scaling().to_string(), "centered");
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Scaling {
    /// Centre and scale each item to mean 0 and variance 1 (n - 1): SmartPLS, seminr,
    /// semPLS, R plspm `scaled = TRUE`.
    #[default]
    Standardized,
    /// Only centre the items (R plspm `scaled = FALSE`): items on a common scale keep
    /// their relative spread in the weights.
    Centered,
}

impl fmt::Display for Scaling {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scaling::Standardized => "standardized",
            Scaling::Centered => "centered",
        })
    }
}

/// What to do with missing item values, coded as NaN in the data matrix.
/// Infinities are always rejected.
///
/// # Example
///
/// ```
/// use crm_analytics::pls::{InnerScheme, MissingPolicy, Pls, Scaling};
/// let opts = Pls::new().missing(MissingPolicy::Listwise);
/// assert_eq!(opts.get_missing().to_string(), "listwise deletion");
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum MissingPolicy {
    /// NaN is an error naming the row and column (the crate-wide default).
    #[default]
    Reject,
    /// Drop every respondent with a missing value in any item of the model.
    Listwise,
    /// Replace a missing value by the mean of the item's observed values (seminr's
    /// `mean_replacement`, SmartPLS "mean replacement").
    MeanReplacement,
}

impl fmt::Display for MissingPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MissingPolicy::Reject => "reject",
            MissingPolicy::Listwise => "listwise deletion",
            MissingPolicy::MeanReplacement => "mean replacement",
        })
    }
}

/// Options of a PLS path-model fit (Wold's PLS-PM with Lohmöller's iteration). Data enter
/// only at [`Pls::fit`].
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `scheme` | [`InnerScheme::Path`] | inner weighting scheme | centroid, factorial, path |
/// | `scaling` | [`Scaling::Standardized`] | item preprocessing | standardized, centered |
/// | `tolerance` | `1e-10` | stop when `max |w_new - w_old| < tolerance` | finite, > 0 |
/// | `max_iterations` | `300` | cap on outer/inner iterations | ≥ 1 |
/// | `missing` | [`MissingPolicy::Reject`] | handling of NaN items | reject, listwise, mean |
/// | `require_convergence` | `false` | turn a non-converged fit into [`Error::NotConverged`] | |
///
/// SmartPLS stops at `1e-7` (on the same criterion); the tighter default makes results
/// reproducible to about nine digits. A fit that reaches `max_iterations` is still
/// returned with its last estimate and a [`Convergence`](super::Convergence) record whose
/// `termination` says so, unless `require_convergence` is set.
///
/// # Example
///
/// ```
/// use crm_analytics::pls::{InnerScheme, Pls, Scaling};
///
/// let opts = Pls::new().scheme(InnerScheme::Centroid).scaling(Scaling::Centered);
/// assert_eq!(opts.get_scheme(), InnerScheme::Centroid);
/// assert_eq!(Pls::new(), Pls::default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Pls {
    scheme: InnerScheme,
    scaling: Scaling,
    tolerance: f64,
    max_iterations: usize,
    missing: MissingPolicy,
    require_convergence: bool,
}

impl Default for Pls {
    fn default() -> Self {
        Pls {
            scheme: InnerScheme::Path,
            scaling: Scaling::Standardized,
            tolerance: 1e-10,
            max_iterations: 300,
            missing: MissingPolicy::Reject,
            require_convergence: false,
        }
    }
}

impl Pls {
    /// Default options (path scheme, standardised items, tolerance 1e-10, 300 iterations).
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{InnerScheme, MissingPolicy, Pls, Scaling};
    /// assert_eq!(Pls::new(), Pls::default());
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn new() -> Pls {
        Pls::default()
    }

    /// Inner weighting scheme.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{InnerScheme, MissingPolicy, Pls, Scaling};
    /// assert_eq!(Pls::new().scheme(InnerScheme::Factorial).get_scheme(), InnerScheme::Factorial);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn scheme(mut self, scheme: InnerScheme) -> Pls {
        self.scheme = scheme;
        self
    }

    /// Item preprocessing: standardised (default) or only centred.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{InnerScheme, MissingPolicy, Pls, Scaling};
    /// assert_eq!(Pls::new().scaling(Scaling::Centered).get_scaling(), Scaling::Centered);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn scaling(mut self, scaling: Scaling) -> Pls {
        self.scaling = scaling;
        self
    }

    /// Convergence tolerance on the largest absolute change of an outer weight.
    ///
    /// # Errors
    /// [`Pls::fit`] rejects a value that is not finite and > 0.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{InnerScheme, MissingPolicy, Pls, Scaling};
    /// assert_eq!(Pls::new().tolerance(1e-7).get_tolerance(), 1e-7);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn tolerance(mut self, tolerance: f64) -> Pls {
        self.tolerance = tolerance;
        self
    }

    /// Iteration cap.
    ///
    /// # Errors
    /// [`Pls::fit`] rejects 0.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{InnerScheme, MissingPolicy, Pls, Scaling};
    /// assert_eq!(Pls::new().max_iterations(50).get_max_iterations(), 50);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn max_iterations(mut self, max_iterations: usize) -> Pls {
        self.max_iterations = max_iterations;
        self
    }

    /// Missing-value policy for NaN items.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{InnerScheme, MissingPolicy, Pls, Scaling};
    /// let opts = Pls::new().missing(MissingPolicy::MeanReplacement);
    /// assert_eq!(opts.get_missing(), MissingPolicy::MeanReplacement);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn missing(mut self, missing: MissingPolicy) -> Pls {
        self.missing = missing;
        self
    }

    /// Return [`Error::NotConverged`] instead of a fit flagged as not converged.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{InnerScheme, MissingPolicy, Pls, Scaling};
    /// assert!(Pls::new().require_convergence(true).get_require_convergence());
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn require_convergence(mut self, yes: bool) -> Pls {
        self.require_convergence = yes;
        self
    }

    /// The inner weighting scheme.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{InnerScheme, MissingPolicy, Pls, Scaling};
    /// assert_eq!(Pls::new().get_scheme(), InnerScheme::Path);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn get_scheme(&self) -> InnerScheme {
        self.scheme
    }

    /// The item preprocessing.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{InnerScheme, MissingPolicy, Pls, Scaling};
    /// assert_eq!(Pls::new().get_scaling(), Scaling::Standardized);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn get_scaling(&self) -> Scaling {
        self.scaling
    }

    /// The convergence tolerance.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{InnerScheme, MissingPolicy, Pls, Scaling};
    /// assert_eq!(Pls::new().get_tolerance(), 1e-10);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn get_tolerance(&self) -> f64 {
        self.tolerance
    }

    /// The iteration cap.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{InnerScheme, MissingPolicy, Pls, Scaling};
    /// assert_eq!(Pls::new().get_max_iterations(), 300);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn get_max_iterations(&self) -> usize {
        self.max_iterations
    }

    /// The missing-value policy.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{InnerScheme, MissingPolicy, Pls, Scaling};
    /// assert_eq!(Pls::new().get_missing(), MissingPolicy::Reject);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn get_missing(&self) -> MissingPolicy {
        self.missing
    }

    /// Whether non-convergence is an error.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{InnerScheme, MissingPolicy, Pls, Scaling};
    /// assert!(!Pls::new().get_require_convergence());
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn get_require_convergence(&self) -> bool {
        self.require_convergence
    }

    pub(crate) fn validate(&self) -> Result<()> {
        crate::validate::positive("tolerance", self.tolerance)?;
        if self.max_iterations == 0 {
            return Err(Error::option("max_iterations", 0, ">= 1"));
        }
        Ok(())
    }

    /// Estimate `model` on `data` (respondents in rows), whose columns are named by
    /// `columns`. Columns not used by the model are ignored; item order in `data` is free.
    ///
    /// # Errors
    /// - any error of [`PlsModel::validate`];
    /// - [`Error::InvalidOption`] for a bad tolerance or iteration cap;
    /// - [`Error::DimensionMismatch`] if `columns.len() != data.ncols()`;
    /// - [`Error::DuplicateName`] for a repeated column name;
    /// - [`Error::UnknownName`] for a model item missing from `columns`;
    /// - [`Error::NonFinite`] for an infinity, or a NaN under [`MissingPolicy::Reject`];
    /// - [`Error::TooFewObservations`] if fewer rows than the structural regressions need
    ///   remain (after listwise deletion);
    /// - [`Error::InvalidInput`] for an item with zero variance or no observed value;
    /// - [`Error::Singular`] for a mode B block whose items are collinear, or a degenerate
    ///   inner regression;
    /// - [`Error::RankDeficient`] if the construct scores of a structural regression are
    ///   collinear;
    /// - [`Error::NotConverged`] if `require_convergence` is set and the cap is reached.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Pls, PlsModel};
    /// use nalgebra::DMatrix;
    ///
    /// // Six respondents, two constructs of two items each.
    /// let data = DMatrix::from_row_slice(6, 4, &[
    ///     1.0, 2.0, 2.0, 1.0,
    ///     2.0, 2.0, 3.0, 2.0,
    ///     3.0, 4.0, 3.0, 4.0,
    ///     4.0, 3.0, 5.0, 4.0,
    ///     5.0, 5.0, 4.0, 5.0,
    ///     6.0, 5.0, 6.0, 6.0,
    /// ]);
    /// let model = PlsModel::new()
    ///     .reflective("Quality", &["q1", "q2"])
    ///     .reflective("Satisfaction", &["s1", "s2"])
    ///     .path("Quality", "Satisfaction");
    /// let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert!(fit.convergence().converged());
    /// assert!(fit.path_coefficient("Quality", "Satisfaction")? > 0.8);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn fit<S: AsRef<str>>(
        &self,
        model: &PlsModel,
        data: &DMatrix<f64>,
        columns: &[S],
    ) -> Result<PlsFit> {
        self.validate()?;
        let spec = Spec::new(model)?;
        let prepared = algorithm::prepare(&spec, data, columns, self.missing)?;
        let fit = PlsFit::estimate(*self, model.clone(), spec, prepared)?;
        if self.require_convergence && !fit.convergence().converged() {
            return Err(Error::NotConverged {
                what: "PLS path model".into(),
                iterations: fit.convergence().iterations,
                last_change: fit.convergence().last_change,
            });
        }
        Ok(fit)
    }
}
