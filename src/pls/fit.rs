//! The fitted PLS path model ([`PlsFit`]) and its convergence record.

use std::fmt;

use nalgebra::{DMatrix, DVector};
use serde::Serialize;

use super::algorithm::{self, Prepared};
use super::model::{PlsModel, Spec};
use super::options::{Pls, Scaling};
use crate::regression::{Ols, OlsFit};
use crate::{Error, Result};

/// Why the PLS iteration stopped.
///
/// # Example
///
/// ```
/// # use crm_analytics::pls::{Pls, PlsModel};
/// # use nalgebra::DMatrix;
/// # let data = DMatrix::from_row_slice(6, 4, &[
/// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
/// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
/// # ]);
/// # let model = PlsModel::new()
/// #     .reflective("Quality", &["q1", "q2"])
/// #     .reflective("Satisfaction", &["s1", "s2"])
/// #     .path("Quality", "Satisfaction");
/// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
/// use crm_analytics::pls::Termination;
/// let capped = Pls::new().max_iterations(1).fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
/// assert_eq!(fit.convergence().termination, Termination::Converged);
/// assert!(matches!(capped.convergence().termination, Termination::Converged | Termination::MaxIterations));
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum Termination {
    /// The largest weight change fell below the tolerance.
    Converged,
    /// The iteration cap was reached first; the fit holds the last estimate.
    MaxIterations,
}

/// The convergence record of a PLS fit.
///
/// # Example
///
/// ```
/// # use crm_analytics::pls::{Pls, PlsModel};
/// # use nalgebra::DMatrix;
/// # let data = DMatrix::from_row_slice(6, 4, &[
/// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
/// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
/// # ]);
/// # let model = PlsModel::new()
/// #     .reflective("Quality", &["q1", "q2"])
/// #     .reflective("Satisfaction", &["s1", "s2"])
/// #     .path("Quality", "Satisfaction");
/// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
/// let c = fit.convergence();
/// assert!(c.converged() && c.last_change < c.tolerance);
/// let text = c.to_string(); // ready to print
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Convergence {
    /// Why the iteration stopped.
    pub termination: Termination,
    /// Outer/inner iterations performed (weight updates).
    pub iterations: usize,
    /// `max |w_new - w_old|` of the last update.
    pub last_change: f64,
    /// The tolerance in force.
    pub tolerance: f64,
}

impl Convergence {
    /// Whether the iteration met the tolerance.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert!(fit.convergence().converged());
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn converged(&self) -> bool {
        self.termination == Termination::Converged
    }
}

impl fmt::Display for Convergence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.termination {
            Termination::Converged => write!(
                f,
                "converged in {} iterations (max |Δw| = {:.2e} < {:.0e})",
                self.iterations, self.last_change, self.tolerance
            ),
            Termination::MaxIterations => write!(
                f,
                "NOT converged after {} iterations (max |Δw| = {:.2e} >= {:.0e}); last estimate shown",
                self.iterations, self.last_change, self.tolerance
            ),
        }
    }
}

/// The OLS regression of one endogenous construct on its predecessors (the structural
/// equation), with all regression statistics of [`OlsFit`].
///
/// # Example
///
/// ```
/// # use crm_analytics::pls::{Pls, PlsModel};
/// # use nalgebra::DMatrix;
/// # let data = DMatrix::from_row_slice(6, 4, &[
/// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
/// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
/// # ]);
/// # let model = PlsModel::new()
/// #     .reflective("Quality", &["q1", "q2"])
/// #     .reflective("Satisfaction", &["s1", "s2"])
/// #     .path("Quality", "Satisfaction");
/// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
/// let eq = &fit.structural_equations()[0];
/// assert_eq!(eq.predecessors, ["Quality"]);
/// assert!(eq.ols.p_values()[1] < 0.05);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct StructuralEquation {
    /// The endogenous construct.
    pub construct: String,
    /// Its predecessors, in the order of the coefficients after the intercept.
    pub predecessors: Vec<String>,
    /// The regression on the construct scores (intercept first, ≈ 0 since scores are centred).
    pub ols: OlsFit,
}

/// A fitted PLS path model. Made by [`Pls::fit`].
///
/// Items are held in *stacked order*: the blocks in model order, the items of each block
/// in the order given ([`PlsFit::items`]). Constructs are in block order
/// ([`PlsFit::constructs`]). Effect matrices are indexed `(from, to)`.
///
/// # Conventions
///
/// - Construct scores `Y_j = X_j w_j` of the preprocessed items have mean 0 and variance
///   1 (n - 1); outer weights are scaled accordingly (SmartPLS, seminr, plspm).
/// - Signs: the iteration starts from unit weights (so each construct is oriented like
///   the sum of its items), and after convergence a construct is flipped if more of its
///   items correlate negatively than positively with it (R plspm's rule). On data such
///   as mobi no flip occurs and the signs equal SmartPLS's and seminr's.
/// - Loadings and cross-loadings are correlations of items with construct scores.
/// - Path coefficients are OLS coefficients of each endogenous score on its
///   predecessors' scores ([`StructuralEquation`]); total effects sum the products of
///   direct effects over all directed paths; indirect = total - direct.
/// - Communality = loading²; redundancy = communality · R² of the item's construct
///   (endogenous only); AVE = mean loading² of the block; composite reliability
///   ρ_C = (Σλ)² / ((Σλ)² + Σ(1 - λ²)); GoF = √(mean communality × mean R²), the mean
///   communality over all items of blocks with more than one item (whatever their mode,
///   as R plspm's `get_gof`) and the mean R² over endogenous constructs (Tenenhaus et al.
///   2005).
///
/// # Example
///
/// ```
/// use crm_analytics::pls::{Pls, PlsModel};
/// use nalgebra::DMatrix;
///
/// let data = DMatrix::from_row_slice(6, 4, &[
///     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
///     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
/// ]);
/// let model = PlsModel::new()
///     .reflective("Quality", &["q1", "q2"])
///     .reflective("Satisfaction", &["s1", "s2"])
///     .path("Quality", "Satisfaction");
/// let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
/// let r2 = fit.r_squared("Satisfaction")?.unwrap_or(0.0);
/// let b = fit.path_coefficient("Quality", "Satisfaction")?;
/// assert!((r2 - b * b).abs() < 1e-12); // one predecessor: R² = b²
/// let text = fit.to_string(); // ready to print
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Serialize)]
#[must_use]
pub struct PlsFit {
    options: Pls,
    model: PlsModel,
    #[serde(skip)]
    spec: Spec,
    #[serde(skip)]
    raw: DMatrix<f64>,
    constructs: Vec<String>,
    items: Vec<String>,
    nobs: usize,
    rows_kept: Vec<usize>,
    replaced: usize,
    convergence: Convergence,
    item_means: DVector<f64>,
    item_sds: DVector<f64>,
    weights: DVector<f64>,
    loadings: DVector<f64>,
    cross_loadings: DMatrix<f64>,
    scores: DMatrix<f64>,
    construct_correlations: DMatrix<f64>,
    direct: DMatrix<f64>,
    indirect: DMatrix<f64>,
    total: DMatrix<f64>,
    equations: Vec<StructuralEquation>,
    r_squared: Vec<Option<f64>>,
    adj_r_squared: Vec<Option<f64>>,
    communality: DVector<f64>,
    redundancy: Vec<Option<f64>>,
    ave: DVector<f64>,
    composite_reliability: DVector<f64>,
    cronbach_alpha: Vec<Option<f64>>,
    gof: Option<f64>,
}

impl PlsFit {
    pub(crate) fn estimate(
        options: Pls,
        model: PlsModel,
        spec: Spec,
        prepared: Prepared,
    ) -> Result<PlsFit> {
        let items = spec.item_names();
        let m = algorithm::moments(&prepared.raw, options.get_scaling(), &items)?;
        let outer = algorithm::iterate(&spec, &m.s, &options)?;
        let (n, p, k) = (prepared.raw.nrows(), spec.p(), spec.k());

        // Scores Y = X W, block by block.
        let mut scores = DMatrix::zeros(n, k);
        for j in 0..k {
            let b = spec.block(j);
            let xb = m.x.columns(b.start, b.len());
            let wb = outer.w.rows(b.start, b.len());
            scores.set_column(j, &(xb * wb));
        }
        let cross_loadings = DMatrix::from_fn(p, k, |a, j| outer.sw[(a, j)] / m.s[(a, a)].sqrt());
        let loadings = algorithm::own_loadings(&spec, &m.s, &outer.sw);

        // Structural equations by OLS on the scores.
        let mut direct = DMatrix::zeros(k, k);
        let mut equations = Vec::new();
        let mut r_squared = vec![None; k];
        let mut adj_r_squared = vec![None; k];
        for j in spec.endogenous() {
            let pred = &spec.pred[j];
            let x = DMatrix::from_fn(n, pred.len(), |r, t| scores[(r, pred[t])]);
            let y = scores.column(j).into_owned();
            let names: Vec<&str> = pred.iter().map(|&i| spec.constructs[i].as_str()).collect();
            let ols = Ols::new().intercept(true).fit_named(&x, &y, &names)?;
            for (t, &i) in pred.iter().enumerate() {
                direct[(i, j)] = ols.coefficients()[t + 1];
            }
            r_squared[j] = Some(ols.r_squared());
            adj_r_squared[j] = Some(ols.adj_r_squared());
            equations.push(StructuralEquation {
                construct: spec.constructs[j].clone(),
                predecessors: names.iter().map(|s| s.to_string()).collect(),
                ols,
            });
        }
        let total = algorithm::total_effects(&direct);
        let indirect = &total - &direct;

        let communality = loadings.map(|l| l * l);
        let redundancy: Vec<Option<f64>> = (0..p)
            .map(|a| r_squared[spec.owner(a)].map(|r2| r2 * communality[a]))
            .collect();
        let mut ave = DVector::zeros(k);
        let mut cr = DVector::zeros(k);
        for j in 0..k {
            let b = spec.block(j);
            let len = b.len() as f64;
            let sum_l: f64 = b.clone().map(|a| loadings[a]).sum();
            let sum_err: f64 = b.clone().map(|a| 1.0 - communality[a]).sum();
            ave[j] = b.clone().map(|a| communality[a]).sum::<f64>() / len;
            cr[j] = sum_l * sum_l / (sum_l * sum_l + sum_err);
        }
        // Standardised alpha from the item correlations: k r̄ / (1 + (k - 1) r̄).
        let cronbach_alpha: Vec<Option<f64>> = (0..k)
            .map(|j| {
                let b = spec.block(j);
                let kk = b.len();
                if kk < 2 {
                    return None;
                }
                let mut sum = 0.0;
                for a in b.clone() {
                    for q in b.clone() {
                        if q > a {
                            sum += m.s[(a, q)] / (m.s[(a, a)] * m.s[(q, q)]).sqrt();
                        }
                    }
                }
                let rbar = sum / (kk * (kk - 1) / 2) as f64;
                let kf = kk as f64;
                Some(kf * rbar / (1.0 + (kf - 1.0) * rbar))
            })
            .collect();
        let comm: Vec<f64> = (0..p)
            .filter(|&a| spec.block(spec.owner(a)).len() > 1)
            .map(|a| communality[a])
            .collect();
        let r2s: Vec<f64> = r_squared.iter().flatten().copied().collect();
        let gof = if comm.is_empty() || r2s.is_empty() {
            None
        } else {
            let mc = comm.iter().sum::<f64>() / comm.len() as f64;
            let mr = r2s.iter().sum::<f64>() / r2s.len() as f64;
            Some((mc * mr).sqrt())
        };
        let convergence = Convergence {
            termination: if outer.converged {
                super::fit::Termination::Converged
            } else {
                super::fit::Termination::MaxIterations
            },
            iterations: outer.iterations,
            last_change: outer.last_change,
            tolerance: options.get_tolerance(),
        };
        Ok(PlsFit {
            options,
            model,
            constructs: spec.constructs.clone(),
            items,
            nobs: n,
            rows_kept: prepared.rows_kept.clone(),
            replaced: prepared.replaced,
            convergence,
            item_means: DVector::from_vec(m.means),
            item_sds: DVector::from_vec(m.sds),
            weights: outer.w,
            loadings,
            cross_loadings,
            scores,
            construct_correlations: outer.c,
            direct,
            indirect,
            total,
            equations,
            r_squared,
            adj_r_squared,
            communality,
            redundancy,
            ave,
            composite_reliability: cr,
            cronbach_alpha,
            gof,
            spec,
            raw: prepared.raw,
        })
    }

    pub(crate) fn spec(&self) -> &Spec {
        &self.spec
    }

    /// The raw item data used (n x p, stacked order), for resampling.
    pub(crate) fn raw(&self) -> &DMatrix<f64> {
        &self.raw
    }

    /// The options used.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert_eq!(fit.options().get_scheme(), crm_analytics::pls::InnerScheme::Path);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn options(&self) -> &Pls {
        &self.options
    }

    /// The model estimated.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert_eq!(fit.model().constructs(), vec!["Quality", "Satisfaction"]);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn model(&self) -> &PlsModel {
        &self.model
    }

    /// Construct names, block order.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert_eq!(fit.constructs(), ["Quality", "Satisfaction"]);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn constructs(&self) -> &[String] {
        &self.constructs
    }

    /// Item names, stacked order.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert_eq!(fit.items(), ["q1", "q2", "s1", "s2"]);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn items(&self) -> &[String] {
        &self.items
    }

    /// Respondents used (after listwise deletion).
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert_eq!(fit.nobs(), 6);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn nobs(&self) -> usize {
        self.nobs
    }

    /// Row indices of the caller's data that were used (all, unless listwise deletion
    /// dropped some).
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert_eq!(fit.rows_used(), [0, 1, 2, 3, 4, 5]);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn rows_used(&self) -> &[usize] {
        &self.rows_kept
    }

    /// Number of missing cells replaced by item means.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert_eq!(fit.values_replaced(), 0);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn values_replaced(&self) -> usize {
        self.replaced
    }

    /// The convergence record.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert!(fit.convergence().converged() && fit.convergence().iterations >= 1);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn convergence(&self) -> &Convergence {
        &self.convergence
    }

    /// Item means of the raw data (after the missing policy), stacked order.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// // q1 = 1..6: mean 3.5.
    /// assert!((fit.item_means()[0] - 3.5).abs() < 1e-12);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn item_means(&self) -> &DVector<f64> {
        &self.item_means
    }

    /// Item standard deviations (n - 1) of the raw data, stacked order.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// // q1 = 1..6: Σ(x - 3.5)² = 17.5, sd = √(17.5 / 5).
    /// assert!((fit.item_sds()[0] - 3.5f64.sqrt()).abs() < 1e-12);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn item_sds(&self) -> &DVector<f64> {
        &self.item_sds
    }

    /// Outer weights on the preprocessed items, stacked order; each block's score has unit
    /// variance.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert_eq!(fit.weights().len(), 4);
    /// assert!(fit.weights().iter().all(|w| *w > 0.0));
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn weights(&self) -> &DVector<f64> {
        &self.weights
    }

    /// Loadings `cor(x_a, Y_j)` of each item on its own construct, stacked order.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert!(fit.loadings().iter().all(|l| *l > 0.5 && *l <= 1.0));
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn loadings(&self) -> &DVector<f64> {
        &self.loadings
    }

    /// Cross-loadings: `cor(item, construct)` for every item (rows, stacked order) and
    /// construct (columns).
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert_eq!(fit.cross_loadings().shape(), (4, 2));
    /// assert!((fit.cross_loadings()[(0, 0)] - fit.loadings()[0]).abs() < 1e-12);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn cross_loadings(&self) -> &DMatrix<f64> {
        &self.cross_loadings
    }

    /// Construct scores (n x k), unit variance (n - 1), mean 0.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// let y = fit.scores().column(1);
    /// assert!(y.mean().abs() < 1e-12);
    /// assert!((y.variance() * 6.0 / 5.0 - 1.0).abs() < 1e-12); // unit variance with n - 1
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn scores(&self) -> &DMatrix<f64> {
        &self.scores
    }

    /// Correlations of the construct scores (k x k).
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// // One predecessor: the path coefficient is the correlation.
    /// let r = fit.construct_correlations()[(0, 1)];
    /// assert!((r - fit.path_coefficient("Quality", "Satisfaction")?).abs() < 1e-12);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn construct_correlations(&self) -> &DMatrix<f64> {
        &self.construct_correlations
    }

    /// Direct effects `(from, to)`: the path coefficients, 0 where there is no path.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert!(fit.direct_effects()[(0, 1)] > 0.0);
    /// assert!(fit.direct_effects()[(1, 0)].abs() < 1e-15);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn direct_effects(&self) -> &DMatrix<f64> {
        &self.direct
    }

    /// Indirect effects `(from, to)` = total - direct.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert!(fit.indirect_effects()[(0, 1)].abs() < 1e-15);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn indirect_effects(&self) -> &DMatrix<f64> {
        &self.indirect
    }

    /// Total effects `(from, to)`: sums over all directed paths of the products of direct
    /// effects.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert!((fit.total_effects()[(0, 1)] - fit.direct_effects()[(0, 1)]).abs() < 1e-15);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn total_effects(&self) -> &DMatrix<f64> {
        &self.total
    }

    /// One structural equation per endogenous construct, block order.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// let eq = &fit.structural_equations()[0];
    /// assert_eq!(eq.construct, "Satisfaction");
    /// assert_eq!(eq.ols.df_residual(), 4); // 6 rows - intercept - 1 predictor
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn structural_equations(&self) -> &[StructuralEquation] {
        &self.equations
    }

    /// Communalities (loading²), stacked order.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert!((fit.communalities()[0] - fit.loadings()[0].powi(2)).abs() < 1e-15);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn communalities(&self) -> &DVector<f64> {
        &self.communality
    }

    /// Redundancies (communality × R² of the construct), stacked order; `None` for items
    /// of exogenous constructs.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert!(fit.redundancies()[0].is_none() && fit.redundancies()[2].is_some());
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn redundancies(&self) -> &[Option<f64>] {
        &self.redundancy
    }

    /// R² per construct (block order); `None` for exogenous constructs.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert!(fit.r_squared_all()[0].is_none() && fit.r_squared_all()[1].is_some());
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn r_squared_all(&self) -> &[Option<f64>] {
        &self.r_squared
    }

    /// Average variance extracted per construct (block order).
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert!(fit.ave().iter().all(|a| *a > 0.5));
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn ave(&self) -> &DVector<f64> {
        &self.ave
    }

    /// Composite reliability ρ_C per construct (block order).
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert!(fit.composite_reliability().iter().all(|r| *r > 0.7));
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn composite_reliability(&self) -> &DVector<f64> {
        &self.composite_reliability
    }

    /// Standardised Cronbach's alpha per construct (block order), `k r̄ / (1 + (k - 1) r̄)`
    /// with `r̄` the mean inter-item correlation (what seminr and R plspm report; the raw
    /// alpha is in the `survey` module); `None` for single-item blocks.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// // Two items: α = 2r / (1 + r) with r = cor(q1, q2).
    /// assert!(fit.cronbach_alpha()[0].is_some_and(|a| a > 0.8));
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn cronbach_alpha(&self) -> &[Option<f64>] {
        &self.cronbach_alpha
    }

    /// Goodness of fit (Tenenhaus et al. 2005); `None` if no block has two or more items.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert!(fit.gof().is_some_and(|g| g > 0.0 && g < 1.0));
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn gof(&self) -> Option<f64> {
        self.gof
    }

    /// Index of construct `name`.
    ///
    /// # Errors
    /// [`Error::UnknownName`] if the model has no such construct.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert_eq!(fit.construct_index("Satisfaction")?, 1);
    /// assert!(fit.construct_index("Loyalty").is_err());
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn construct_index(&self, name: &str) -> Result<usize> {
        self.constructs
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| Error::UnknownName {
                what: "construct".into(),
                name: name.to_string(),
            })
    }

    /// Stacked index of item `name`.
    ///
    /// # Errors
    /// [`Error::UnknownName`] if the model has no such item.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert_eq!(fit.item_index("s1")?, 2);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn item_index(&self, name: &str) -> Result<usize> {
        self.items
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| Error::UnknownName {
                what: "item".into(),
                name: name.to_string(),
            })
    }

    /// The path coefficient `from -> to`.
    ///
    /// # Errors
    /// [`Error::UnknownName`] for an unknown construct, [`Error::InvalidInput`] if the model
    /// has no such path.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert!(fit.path_coefficient("Quality", "Satisfaction")? > 0.0);
    /// assert!(fit.path_coefficient("Satisfaction", "Quality").is_err()); // no such path
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn path_coefficient(&self, from: &str, to: &str) -> Result<f64> {
        let (f, t) = (self.construct_index(from)?, self.construct_index(to)?);
        if !self.spec.pred[t].contains(&f) {
            return Err(Error::input(
                "path",
                format!("the model has no path `{from} -> {to}`"),
            ));
        }
        Ok(self.direct[(f, t)])
    }

    /// The total effect of `from` on `to` (0 when no directed path joins them).
    ///
    /// # Errors
    /// [`Error::UnknownName`] for an unknown construct.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert!(fit.total_effect("Satisfaction", "Quality")?.abs() < 1e-15);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn total_effect(&self, from: &str, to: &str) -> Result<f64> {
        let (f, t) = (self.construct_index(from)?, self.construct_index(to)?);
        Ok(self.total[(f, t)])
    }

    /// The outer weight of item `name`.
    ///
    /// # Errors
    /// [`Error::UnknownName`] for an unknown item.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert!(fit.weight("q1")? > 0.0);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn weight(&self, item: &str) -> Result<f64> {
        Ok(self.weights[self.item_index(item)?])
    }

    /// The loading of item `name` on its construct.
    ///
    /// # Errors
    /// [`Error::UnknownName`] for an unknown item.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert!(fit.loading("s2")? > 0.5);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn loading(&self, item: &str) -> Result<f64> {
        Ok(self.loadings[self.item_index(item)?])
    }

    /// R² of construct `name`; `None` if it is exogenous.
    ///
    /// # Errors
    /// [`Error::UnknownName`] for an unknown construct.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert_eq!(fit.r_squared("Quality")?, None); // exogenous
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn r_squared(&self, construct: &str) -> Result<Option<f64>> {
        Ok(self.r_squared[self.construct_index(construct)?])
    }

    /// Adjusted R² of construct `name`; `None` if it is exogenous.
    ///
    /// # Errors
    /// [`Error::UnknownName`] for an unknown construct.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// let (r2, adj) = (fit.r_squared("Satisfaction")?, fit.adj_r_squared("Satisfaction")?);
    /// assert!(adj.unwrap_or(1.0) < r2.unwrap_or(0.0));
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn adj_r_squared(&self, construct: &str) -> Result<Option<f64>> {
        Ok(self.adj_r_squared[self.construct_index(construct)?])
    }

    /// Adjusted R² per construct (block order); `None` for exogenous constructs.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// assert_eq!(fit.adj_r_squared_all().len(), 2);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn adj_r_squared_all(&self) -> &[Option<f64>] {
        &self.adj_r_squared
    }

    /// Weights of the raw items that give the construct score up to an affine map:
    /// `w_a / sd_a` when items are standardised, `w_a` when only centred (stacked order).
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// let u = fit.unstandardized_weights();
    /// assert!((u[0] - fit.weights()[0] / fit.item_sds()[0]).abs() < 1e-15);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn unstandardized_weights(&self) -> DVector<f64> {
        match self.options.get_scaling() {
            Scaling::Standardized => self.weights.component_div(&self.item_sds),
            _ => self.weights.clone(),
        }
    }

    /// Items of construct `j` in stacked order (crate-private helper).
    pub(crate) fn block(&self, j: usize) -> std::ops::Range<usize> {
        self.spec.block(j)
    }
}

impl fmt::Display for PlsFit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.report().fmt(f)
    }
}
