//! Variable selection as SPSS REGRESSION does it: enter, forward, backward, stepwise.

use std::fmt;

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, FisherSnedecor};

use super::fit::OlsFit;
use super::options::Ols;
use super::summary::{RSquaredChange, fmt_opt, fmt_p};
use crate::{Error, Result, validate};

/// How predictors enter and leave the model (SPSS `/METHOD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum SelectionMethod {
    /// All predictors in one step.
    #[default]
    Enter,
    /// Start empty; at each step enter the candidate with the largest F to enter, while it
    /// meets the entry criterion.
    Forward,
    /// Start with all predictors; at each step remove the one with the smallest F to
    /// remove, while it meets the removal criterion.
    Backward,
    /// Forward selection, but after each step any predictor in the model that meets the
    /// removal criterion is removed (one per step) before the next entry.
    Stepwise,
}

/// When a predictor enters or leaves (SPSS `/CRITERIA`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum SelectionCriterion {
    /// Enter when the p value of F to enter is at most `enter` (SPSS PIN, default
    /// 0.05); remove when the p value of F to remove exceeds `remove` (POUT, default
    /// 0.10). Requires `0 < enter < remove < 1`.
    Probability {
        /// PIN.
        enter: f64,
        /// POUT.
        remove: f64,
    },
    /// Enter when F to enter is at least `enter` (SPSS FIN, default 3.84); remove when F
    /// to remove is below `remove` (FOUT, default 2.71). Requires `enter > remove > 0`.
    FValue {
        /// FIN.
        enter: f64,
        /// FOUT.
        remove: f64,
    },
}

impl Default for SelectionCriterion {
    fn default() -> Self {
        SelectionCriterion::Probability {
            enter: 0.05,
            remove: 0.10,
        }
    }
}

/// Options of a variable selection. Data enter only at [`Selection::run`].
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `method` | [`SelectionMethod::Enter`] | enter, forward, backward, stepwise | |
/// | `criterion` | `Probability { enter: 0.05, remove: 0.10 }` | PIN/POUT or FIN/FOUT | `0 < PIN < POUT < 1`; `FIN > FOUT > 0` |
/// | `tolerance` | `0.0001` | a candidate enters only if its tolerance, and every other predictor's, stays at least this (SPSS TOL) | (0, 1) |
/// | `max_steps` | `None` (= k for forward/backward, 2k for stepwise, as SPSS) | upper bound on steps | ≥ 1 |
/// | `ols` | `Ols::new()` | options of every fitted model (intercept, level, covariance) | |
///
/// F to enter and F to remove are the partial F tests of one predictor, `t²` with the
/// classical standard error, on `(1, n - p)` degrees of freedom of the model containing
/// it, whatever covariance type `ols` reports.
///
/// # Example
///
/// ```
/// use crm_analytics::regression::{Selection, SelectionMethod};
/// use nalgebra::{DMatrix, DVector};
///
/// // y = 2a + noise; b is unrelated to the noise.
/// let x = DMatrix::from_row_slice(8, 2, &[
///     1.0, 1.0, 2.0, -1.0, 3.0, -1.0, 4.0, 1.0, 5.0, 1.0, 6.0, -1.0, 7.0, -1.0, 8.0, 1.0]);
/// let y = DVector::from_vec(vec![2.3, 3.5, 6.2, 8.4, 9.7, 11.8, 14.5, 15.6]);
/// let path = Selection::new().method(SelectionMethod::Stepwise).run(&x, &y, &["a", "b"])?;
/// assert_eq!(path.final_variables(), vec!["a".to_string()]);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// IBM SPSS Statistics Algorithms, REGRESSION: "Methods for variable entry and removal".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Selection {
    method: SelectionMethod,
    criterion: SelectionCriterion,
    tolerance: f64,
    max_steps: Option<usize>,
    ols: Ols,
}

impl Default for Selection {
    fn default() -> Self {
        Selection {
            method: SelectionMethod::Enter,
            criterion: SelectionCriterion::default(),
            tolerance: 1e-4,
            max_steps: None,
            ols: Ols::new(),
        }
    }
}

impl Selection {
    /// Default options (SPSS's defaults, method Enter).
    #[must_use]
    pub fn new() -> Selection {
        Selection::default()
    }

    /// The selection method.
    #[must_use]
    pub fn method(mut self, method: SelectionMethod) -> Selection {
        self.method = method;
        self
    }

    /// Entry and removal criterion.
    ///
    /// # Errors
    /// [`Selection::run`] rejects PIN ≥ POUT, FIN ≤ FOUT and values out of range.
    #[must_use]
    pub fn criterion(mut self, criterion: SelectionCriterion) -> Selection {
        self.criterion = criterion;
        self
    }

    /// Tolerance criterion (SPSS TOL).
    ///
    /// # Errors
    /// [`Selection::run`] rejects a value outside (0, 1).
    #[must_use]
    pub fn tolerance(mut self, tol: f64) -> Selection {
        self.tolerance = tol;
        self
    }

    /// Maximum number of steps.
    ///
    /// # Errors
    /// [`Selection::run`] rejects 0.
    #[must_use]
    pub fn max_steps(mut self, steps: usize) -> Selection {
        self.max_steps = Some(steps);
        self
    }

    /// Options of the fitted models.
    #[must_use]
    pub fn ols(mut self, ols: Ols) -> Selection {
        self.ols = ols;
        self
    }

    /// The method.
    #[must_use]
    pub fn get_method(&self) -> SelectionMethod {
        self.method
    }

    /// The criterion.
    #[must_use]
    pub fn get_criterion(&self) -> SelectionCriterion {
        self.criterion
    }

    /// The tolerance criterion.
    #[must_use]
    pub fn get_tolerance(&self) -> f64 {
        self.tolerance
    }

    /// The step limit, if set.
    #[must_use]
    pub fn get_max_steps(&self) -> Option<usize> {
        self.max_steps
    }

    /// The options of the fitted models.
    #[must_use]
    pub fn get_ols(&self) -> Ols {
        self.ols
    }

    fn validate(&self) -> Result<()> {
        match self.criterion {
            SelectionCriterion::Probability { enter, remove } => {
                validate::open_unit("pin", enter)?;
                validate::open_unit("pout", remove)?;
                if enter >= remove {
                    return Err(Error::option("pin", enter, format!("< pout ({remove})")));
                }
            }
            SelectionCriterion::FValue { enter, remove } => {
                validate::positive("fin", enter)?;
                validate::positive("fout", remove)?;
                if enter <= remove {
                    return Err(Error::option("fin", enter, format!("> fout ({remove})")));
                }
            }
        }
        validate::open_unit("tolerance", self.tolerance)?;
        if self.max_steps == Some(0) {
            return Err(Error::option("max_steps", 0, ">= 1"));
        }
        Ok(())
    }

    /// Run the selection of predictors of `y` among the columns of `x`.
    ///
    /// # Errors
    /// - [`Error::InvalidOption`] for bad options;
    /// - [`Error::DimensionMismatch`], [`Error::NonFinite`] / [`Error::NonFiniteAt`] for
    ///   bad data; [`Error::Empty`] for no predictors;
    /// - for [`SelectionMethod::Enter`] and [`SelectionMethod::Backward`], every error of
    ///   fitting the full model ([`Error::RankDeficient`], [`Error::TooFewObservations`]).
    ///   Forward and stepwise skip candidates that cannot be fitted or fail the tolerance
    ///   test, as SPSS does.
    pub fn run<S: AsRef<str>>(
        &self,
        x: &DMatrix<f64>,
        y: &DVector<f64>,
        names: &[S],
    ) -> Result<SelectionPath> {
        self.validate()?;
        validate::same_len("rows of `y` (must equal rows of `x`)", x.nrows(), y.len())?;
        validate::same_len(
            "predictor names (must equal columns of `x`)",
            x.ncols(),
            names.len(),
        )?;
        validate::matrix_finite("x", x)?;
        validate::vector_finite("y", y)?;
        let k = x.ncols();
        if k == 0 {
            return Err(Error::Empty {
                what: "predictors".into(),
            });
        }
        let names: Vec<String> = names.iter().map(|s| s.as_ref().to_string()).collect();
        let ctx = Ctx {
            x,
            y,
            names: &names,
            ols: self.ols,
        };
        let max_steps = self.max_steps.unwrap_or(match self.method {
            SelectionMethod::Stepwise => 2 * k,
            _ => k,
        });
        let mut steps: Vec<SelectionStep> = Vec::new();
        let mut current: Vec<usize> = Vec::new();
        let mut current_fit: Option<OlsFit> = None;

        if matches!(
            self.method,
            SelectionMethod::Enter | SelectionMethod::Backward
        ) {
            current = (0..k).collect();
            let fit = ctx.fit(&current)?;
            steps.push(SelectionStep {
                step: 1,
                entered: names.clone(),
                removed: Vec::new(),
                f_statistic: None,
                p_value: None,
                variables: names.clone(),
                change: RSquaredChange::from_parts(
                    0.0,
                    fit.r_squared(),
                    fit.df_model(),
                    fit.df_residual(),
                ),
                fit: fit.clone(),
                excluded: Vec::new(),
            });
            current_fit = Some(fit);
        }

        while steps.len() < max_steps.max(1) && self.method != SelectionMethod::Enter {
            // Removal (backward, stepwise).
            if matches!(
                self.method,
                SelectionMethod::Backward | SelectionMethod::Stepwise
            ) && let Some(fit) = &current_fit
                && let Some((pos, f, p)) = weakest(fit)
                && self.removes(f, p)
            {
                let var = current.remove(pos);
                let new_fit = ctx.fit(&current).ok();
                let (r2_new, df2) = (
                    new_fit.as_ref().map_or(0.0, OlsFit::r_squared),
                    fit.df_residual(),
                );
                let mut change = RSquaredChange::from_parts(r2_new, fit.r_squared(), 1, df2);
                change.r_squared = r2_new;
                change.r_squared_change = r2_new - fit.r_squared();
                steps.push(SelectionStep {
                    step: steps.len() + 1,
                    entered: Vec::new(),
                    removed: vec![names[var].clone()],
                    f_statistic: Some(f),
                    p_value: Some(p),
                    variables: current.iter().map(|&j| names[j].clone()).collect(),
                    change,
                    fit: new_fit.clone().unwrap_or_else(|| fit.clone()),
                    excluded: Vec::new(),
                });
                current_fit = new_fit;
                if current.is_empty() {
                    break;
                }
                continue;
            }
            if self.method == SelectionMethod::Backward {
                break;
            }
            // Entry (forward, stepwise).
            let mut best: Option<(usize, f64, f64, OlsFit)> = None;
            for cand in (0..k).filter(|j| !current.contains(j)) {
                let mut trial = current.clone();
                trial.push(cand);
                let Ok(fit) = ctx.fit(&trial) else { continue };
                if fit
                    .tolerance()
                    .iter()
                    .any(|t| t.is_nan() || *t < self.tolerance)
                {
                    continue;
                }
                let Some((f, p)) = partial_f(&fit, trial.len() - 1) else {
                    continue;
                };
                if best.as_ref().is_none_or(|b| f > b.1) {
                    best = Some((cand, f, p, fit));
                }
            }
            match best {
                Some((cand, f, p, fit)) if self.enters(f, p) => {
                    let r2_old = current_fit.as_ref().map_or(0.0, OlsFit::r_squared);
                    current.push(cand);
                    steps.push(SelectionStep {
                        step: steps.len() + 1,
                        entered: vec![names[cand].clone()],
                        removed: Vec::new(),
                        f_statistic: Some(f),
                        p_value: Some(p),
                        variables: current.iter().map(|&j| names[j].clone()).collect(),
                        change: RSquaredChange::from_parts(
                            r2_old,
                            fit.r_squared(),
                            1,
                            fit.df_residual(),
                        ),
                        fit: fit.clone(),
                        excluded: Vec::new(),
                    });
                    current_fit = Some(fit);
                }
                _ => break,
            }
        }
        for step in &mut steps {
            let inside: Vec<usize> = step
                .variables
                .iter()
                .filter_map(|v| names.iter().position(|n| n == v))
                .collect();
            step.excluded = (0..k)
                .filter(|j| !inside.contains(j))
                .map(|j| ctx.excluded(&inside, j))
                .collect();
        }
        let excluded = (0..k)
            .filter(|j| !current.contains(j))
            .map(|j| names[j].clone())
            .collect();
        Ok(SelectionPath {
            method: self.method,
            criterion: self.criterion,
            steps,
            excluded,
        })
    }

    fn enters(&self, f: f64, p: f64) -> bool {
        match self.criterion {
            SelectionCriterion::Probability { enter, .. } => p <= enter,
            SelectionCriterion::FValue { enter, .. } => f >= enter,
        }
    }

    fn removes(&self, f: f64, p: f64) -> bool {
        match self.criterion {
            SelectionCriterion::Probability { remove, .. } => p > remove,
            SelectionCriterion::FValue { remove, .. } => f < remove,
        }
    }
}

struct Ctx<'a> {
    x: &'a DMatrix<f64>,
    y: &'a DVector<f64>,
    names: &'a [String],
    ols: Ols,
}

impl Ctx<'_> {
    fn fit(&self, cols: &[usize]) -> Result<OlsFit> {
        let xs = self.x.select_columns(cols.iter());
        let names: Vec<&str> = cols.iter().map(|&j| self.names[j].as_str()).collect();
        self.ols.fit_named(&xs, self.y, &names)
    }
}

impl Ctx<'_> {
    fn excluded(&self, inside: &[usize], cand: usize) -> ExcludedVariable {
        let mut trial = inside.to_vec();
        trial.push(cand);
        let mut out = ExcludedVariable {
            name: self.names[cand].clone(),
            beta_in: None,
            t: None,
            p_value: None,
            partial: None,
            tolerance: None,
            min_tolerance: None,
        };
        if let Ok(fit) = self.fit(&trial) {
            let pos = trial.len() - 1;
            let off = usize::from(fit.has_intercept());
            let tol = fit.tolerance();
            out.beta_in = Some(fit.standardized_coefficients()[pos]);
            out.partial = fit.partial_correlations()[pos];
            out.tolerance = Some(tol[pos]);
            out.min_tolerance = tol.iter().copied().reduce(f64::min);
            if let Some((f, p)) = partial_f(&fit, pos) {
                out.t = Some(f.sqrt() * fit.coefficients()[pos + off].signum());
                out.p_value = Some(p);
            }
        }
        out
    }
}

/// Partial F (= t² with the classical SE) of the predictor at position `pos` of the fit,
/// and its p value on (1, n - p) df. `None` for an exact fit.
fn partial_f(fit: &OlsFit, pos: usize) -> Option<(f64, f64)> {
    let off = usize::from(fit.has_intercept());
    let df = fit.df_residual() as f64;
    let s2 = fit.rss() / df;
    let var = s2 * fit.xtx_inverse()[(pos + off, pos + off)];
    if !(var > 0.0 && var.is_finite()) {
        return None;
    }
    let b = fit.coefficients()[pos + off];
    let f = b * b / var;
    if !(f.is_finite() && f >= 0.0) {
        return None;
    }
    let p = FisherSnedecor::new(1.0, df).ok()?.sf(f);
    Some((f, p))
}

/// The predictor with the smallest F to remove: (position, F, p).
fn weakest(fit: &OlsFit) -> Option<(usize, f64, f64)> {
    (0..fit.df_model())
        .filter_map(|j| partial_f(fit, j).map(|(f, p)| (j, f, p)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

/// One step of a selection: what entered or left, and the model after the step.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct SelectionStep {
    /// One-based step number (SPSS "Model").
    pub step: usize,
    /// Predictors entered at this step (all of them for [`SelectionMethod::Enter`]).
    pub entered: Vec<String>,
    /// Predictors removed at this step.
    pub removed: Vec<String>,
    /// F to enter or F to remove of the predictor moved (none for a block entry).
    pub f_statistic: Option<f64>,
    /// Its p value.
    pub p_value: Option<f64>,
    /// Predictors in the model after the step.
    pub variables: Vec<String>,
    /// Change statistics against the previous step (R² change negative on removal, with
    /// the F to remove as F change).
    pub change: RSquaredChange,
    /// The model after the step (the previous model if the last predictor was removed).
    pub fit: OlsFit,
    /// SPSS "Excluded Variables" after the step: each predictor not in the model, as it
    /// would be if entered next.
    pub excluded: Vec<ExcludedVariable>,
}

/// A predictor outside the model at some step, evaluated as if it entered next (SPSS
/// "Excluded Variables"). Predictors that cannot enter (rank deficient with the model)
/// are listed with `None` statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ExcludedVariable {
    /// Predictor name.
    pub name: String,
    /// Standardised coefficient it would have ("Beta In").
    pub beta_in: Option<f64>,
    /// Its t statistic (classical SE), signed.
    pub t: Option<f64>,
    /// p value of t (= p of F to enter).
    pub p_value: Option<f64>,
    /// Partial correlation with `y` given the predictors in the model.
    pub partial: Option<f64>,
    /// Its tolerance given the predictors in the model.
    pub tolerance: Option<f64>,
    /// Smallest tolerance of any predictor if it entered ("Minimum Tolerance").
    pub min_tolerance: Option<f64>,
}

/// The sequence of models of a selection.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct SelectionPath {
    /// The method used.
    pub method: SelectionMethod,
    /// The criterion used.
    pub criterion: SelectionCriterion,
    /// The steps, in order; empty if no predictor met the entry criterion.
    pub steps: Vec<SelectionStep>,
    /// Predictors not in the final model.
    pub excluded: Vec<String>,
}

impl SelectionPath {
    /// The final model, `None` if nothing entered or everything was removed.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::regression::{Selection, SelectionMethod};
    /// use nalgebra::{DMatrix, DVector};
    ///
    /// let x = DMatrix::from_row_slice(6, 2, &[1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 6.0, 6.0, 4.0]);
    /// let y = DVector::from_vec(vec![1.0, 2.5, 3.0, 3.5, 5.5, 5.0]);
    /// let path = Selection::new().method(SelectionMethod::Forward).run(&x, &y, &["a", "b"])?;
    /// if let Some(fit) = path.final_fit() {
    ///     let text = fit.report().to_string(); // ready to print
    /// }
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn final_fit(&self) -> Option<&OlsFit> {
        self.steps
            .last()
            .filter(|s| !s.variables.is_empty())
            .map(|s| &s.fit)
    }

    /// Predictors of the final model.
    pub fn final_variables(&self) -> Vec<String> {
        self.steps
            .last()
            .map(|s| s.variables.clone())
            .unwrap_or_default()
    }
}

impl fmt::Display for SelectionPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let crit = match self.criterion {
            SelectionCriterion::Probability { enter, remove } => {
                format!("probability of F to enter <= {enter}, to remove > {remove}")
            }
            SelectionCriterion::FValue { enter, remove } => {
                format!("F to enter >= {enter}, F to remove < {remove}")
            }
        };
        writeln!(f, "Variables Entered/Removed ({:?}; {crit})", self.method)?;
        if self.steps.is_empty() {
            return writeln!(f, "  no predictor met the entry criterion");
        }
        writeln!(
            f,
            "{:>5}  {:<24} {:<16} {:>7} {:>7} {:>9} {:>9} {:>8}",
            "Model", "Entered", "Removed", "R²", "Adj.R²", "R² chg", "F chg", "Sig."
        )?;
        for s in &self.steps {
            writeln!(
                f,
                "{:>5}  {:<24} {:<16} {:>7.4} {:>7.4} {:>9.4} {:>9} {:>8}",
                s.step,
                if s.entered.is_empty() {
                    ".".to_string()
                } else {
                    s.entered.join(", ")
                },
                if s.removed.is_empty() {
                    ".".to_string()
                } else {
                    s.removed.join(", ")
                },
                s.change.r_squared,
                s.fit.adj_r_squared(),
                s.change.r_squared_change,
                fmt_opt(s.change.f_change, 3),
                fmt_p(s.change.p_value),
            )?;
        }
        writeln!(f, "Final model: {}", self.final_variables().join(", "))?;
        if let Some(last) = self.steps.last()
            && !last.excluded.is_empty()
        {
            writeln!(f, "Excluded Variables (final model)")?;
            writeln!(
                f,
                "{:<16} {:>8} {:>8} {:>8} {:>8} {:>10} {:>10}",
                "", "Beta In", "t", "Sig.", "Partial", "Tolerance", "Min. Tol."
            )?;
            for e in &last.excluded {
                writeln!(
                    f,
                    "{:<16} {:>8} {:>8} {:>8} {:>8} {:>10} {:>10}",
                    e.name,
                    fmt_opt(e.beta_in, 3),
                    fmt_opt(e.t, 3),
                    fmt_p(e.p_value),
                    fmt_opt(e.partial, 3),
                    fmt_opt(e.tolerance, 3),
                    fmt_opt(e.min_tolerance, 3)
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_criteria_are_rejected() {
        let x = DMatrix::from_row_slice(4, 1, &[1.0, 2.0, 3.0, 4.0]);
        let y = DVector::from_vec(vec![1.0, 2.0, 2.5, 4.0]);
        let e = Selection::new()
            .criterion(SelectionCriterion::Probability {
                enter: 0.2,
                remove: 0.1,
            })
            .run(&x, &y, &["a"])
            .unwrap_err();
        assert_eq!(e.to_string(), "option `pin` must be < pout (0.1), got 0.2");
    }
}
