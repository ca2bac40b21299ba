//! The printable, serialisable report of a PLS fit.

use std::fmt;

use serde::Serialize;

use super::fit::{Convergence, PlsFit};
use super::model::Mode;
use super::options::{InnerScheme, MissingPolicy, Scaling};

/// One structural path with its regression statistics.
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
/// let row = &fit.report().paths[0];
/// assert_eq!((row.from.as_str(), row.to.as_str()), ("Quality", "Satisfaction"));
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PathRow {
    /// Predecessor.
    pub from: String,
    /// Endogenous construct.
    pub to: String,
    /// Path coefficient (standardised).
    pub coefficient: f64,
    /// OLS standard error (classical).
    pub std_error: f64,
    /// t value.
    pub t_value: f64,
    /// Two-sided p value (t with the regression's residual df).
    pub p_value: f64,
}

/// One construct's quality criteria.
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
/// let row = &fit.report().constructs[1];
/// assert_eq!(row.construct, "Satisfaction");
/// assert!(row.r_squared.is_some());
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ConstructRow {
    /// Construct.
    pub construct: String,
    /// Outer mode.
    pub mode: Mode,
    /// Number of items.
    pub items: usize,
    /// R² (endogenous only).
    pub r_squared: Option<f64>,
    /// Adjusted R² (endogenous only).
    pub adj_r_squared: Option<f64>,
    /// Average variance extracted.
    pub ave: f64,
    /// Composite reliability ρ_C.
    pub composite_reliability: f64,
    /// Standardised Cronbach's alpha (multi-item blocks only).
    pub cronbach_alpha: Option<f64>,
}

/// One item's measurement statistics.
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
/// let row = &fit.report().items[0];
/// assert_eq!((row.construct.as_str(), row.item.as_str()), ("Quality", "q1"));
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ItemRow {
    /// Construct owning the item.
    pub construct: String,
    /// Item.
    pub item: String,
    /// Outer weight.
    pub weight: f64,
    /// Loading.
    pub loading: f64,
    /// Communality (loading²).
    pub communality: f64,
    /// Redundancy (endogenous constructs only).
    pub redundancy: Option<f64>,
}

/// One pair of constructs joined by a directed path.
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
/// let row = &fit.report().effects[0];
/// assert!((row.total - row.direct - row.indirect).abs() < 1e-15);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct EffectRow {
    /// Cause.
    pub from: String,
    /// Effect.
    pub to: String,
    /// Direct effect (0 without a path).
    pub direct: f64,
    /// Indirect effect.
    pub indirect: f64,
    /// Total effect.
    pub total: f64,
}

/// The report of a [`PlsFit`]: passive tables, `Display` and `Serialize`.
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
/// let report = fit.report();
/// assert_eq!(report.nobs, 6);
/// let text = report.to_string(); // ready to print
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PlsReport {
    /// Inner scheme.
    pub scheme: InnerScheme,
    /// Item preprocessing.
    pub scaling: Scaling,
    /// Missing-value policy.
    pub missing: MissingPolicy,
    /// Respondents used.
    pub nobs: usize,
    /// Convergence record.
    pub convergence: Convergence,
    /// Structural paths.
    pub paths: Vec<PathRow>,
    /// Construct criteria.
    pub constructs: Vec<ConstructRow>,
    /// Item statistics.
    pub items: Vec<ItemRow>,
    /// Effects for every connected pair.
    pub effects: Vec<EffectRow>,
    /// Goodness of fit.
    pub gof: Option<f64>,
}

impl PlsFit {
    /// The report tables of this fit.
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
    /// let report = fit.report();
    /// assert_eq!(report.paths.len(), 1);
    /// assert!(report.to_string().contains("Quality -> Satisfaction"));
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn report(&self) -> PlsReport {
        let spec = self.spec();
        let mut paths = Vec::new();
        for eq in self.structural_equations() {
            let t = eq.ols.t_values();
            let p = eq.ols.p_values();
            for (q, from) in eq.predecessors.iter().enumerate() {
                paths.push(PathRow {
                    from: from.clone(),
                    to: eq.construct.clone(),
                    coefficient: eq.ols.coefficients()[q + 1],
                    std_error: eq.ols.std_errors()[q + 1],
                    t_value: t[q + 1],
                    p_value: p[q + 1],
                });
            }
        }
        let constructs = (0..spec.k())
            .map(|j| ConstructRow {
                construct: spec.constructs[j].clone(),
                mode: spec.modes[j],
                items: spec.block(j).len(),
                r_squared: self.r_squared_all()[j],
                adj_r_squared: self.adj_r_squared_all()[j],
                ave: self.ave()[j],
                composite_reliability: self.composite_reliability()[j],
                cronbach_alpha: self.cronbach_alpha()[j],
            })
            .collect();
        let items = (0..spec.p())
            .map(|a| ItemRow {
                construct: spec.constructs[spec.owner(a)].clone(),
                item: self.items()[a].clone(),
                weight: self.weights()[a],
                loading: self.loadings()[a],
                communality: self.communalities()[a],
                redundancy: self.redundancies()[a],
            })
            .collect();
        let mut effects = Vec::new();
        for &i in &spec.topo {
            for &j in &spec.topo {
                let total = self.total_effects()[(i, j)];
                let direct = self.direct_effects()[(i, j)];
                if spec.pred[j].contains(&i) || total.abs() > 0.0 {
                    effects.push(EffectRow {
                        from: spec.constructs[i].clone(),
                        to: spec.constructs[j].clone(),
                        direct,
                        indirect: self.indirect_effects()[(i, j)],
                        total,
                    });
                }
            }
        }
        PlsReport {
            scheme: self.options().get_scheme(),
            scaling: self.options().get_scaling(),
            missing: self.options().get_missing(),
            nobs: self.nobs(),
            convergence: *self.convergence(),
            paths,
            constructs,
            items,
            effects,
            gof: self.gof(),
        }
    }
}

fn opt(v: Option<f64>, width: usize) -> String {
    match v {
        Some(x) => format!("{x:>width$.4}"),
        None => format!("{:>width$}", "-"),
    }
}

impl fmt::Display for PlsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "PLS path model")?;
        writeln!(
            f,
            "scheme: {}   items: {}   missing: {}   n = {}",
            self.scheme, self.scaling, self.missing, self.nobs
        )?;
        writeln!(f, "{}", self.convergence)?;
        writeln!(f)?;
        writeln!(f, "Path coefficients")?;
        writeln!(
            f,
            "{:<32} {:>9} {:>9} {:>9} {:>9}",
            "path", "coef", "std.err", "t", "p"
        )?;
        for r in &self.paths {
            writeln!(
                f,
                "{:<32} {:>9.4} {:>9.4} {:>9.3} {:>9.4}",
                format!("{} -> {}", r.from, r.to),
                r.coefficient,
                r.std_error,
                r.t_value,
                r.p_value
            )?;
        }
        writeln!(f)?;
        writeln!(f, "Constructs")?;
        writeln!(
            f,
            "{:<16} {:>4} {:>5} {:>9} {:>9} {:>9} {:>9} {:>9}",
            "construct", "mode", "items", "R2", "adj.R2", "AVE", "rho_C", "alpha"
        )?;
        for r in &self.constructs {
            writeln!(
                f,
                "{:<16} {:>4} {:>5} {} {} {:>9.4} {:>9.4} {}",
                r.construct,
                r.mode,
                r.items,
                opt(r.r_squared, 9),
                opt(r.adj_r_squared, 9),
                r.ave,
                r.composite_reliability,
                opt(r.cronbach_alpha, 9)
            )?;
        }
        writeln!(f)?;
        writeln!(f, "Measurement model")?;
        writeln!(
            f,
            "{:<16} {:<10} {:>9} {:>9} {:>9} {:>9}",
            "construct", "item", "weight", "loading", "commun.", "redund."
        )?;
        for r in &self.items {
            writeln!(
                f,
                "{:<16} {:<10} {:>9.4} {:>9.4} {:>9.4} {}",
                r.construct,
                r.item,
                r.weight,
                r.loading,
                r.communality,
                opt(r.redundancy, 9)
            )?;
        }
        writeln!(f)?;
        writeln!(f, "Effects")?;
        writeln!(
            f,
            "{:<32} {:>9} {:>9} {:>9}",
            "from -> to", "direct", "indirect", "total"
        )?;
        for r in &self.effects {
            writeln!(
                f,
                "{:<32} {:>9.4} {:>9.4} {:>9.4}",
                format!("{} -> {}", r.from, r.to),
                r.direct,
                r.indirect,
                r.total
            )?;
        }
        writeln!(f)?;
        write!(f, "GoF: {}", opt(self.gof, 0))
    }
}
