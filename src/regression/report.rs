//! The SPSS-style report of a fit: Model Summary, ANOVA, Coefficients, Collinearity
//! Diagnostics, Residual Statistics and the casewise list.

use std::fmt;

use serde::Serialize;

use super::collinearity::CollinearityDiagnostics;
use super::diagnostics::{CaseContext, CasewiseRow, ResidualStatisticsRow};
use super::fit::OlsFit;
use super::options::CovarianceType;
use super::summary::{RSquaredChange, fmt_opt, fmt_p};
use crate::{Result, validate};

/// Everything SPSS REGRESSION prints for one model, as passive data. Made by
/// [`OlsFit::report`] or [`OlsFit::report_with`]; `Display` prints the tables.
///
/// # Example
///
/// ```
/// use crm_analytics::regression::Ols;
/// use nalgebra::{DMatrix, DVector};
///
/// let x = DMatrix::from_row_slice(6, 2, &[1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 6.0, 6.0, 4.0]);
/// let y = DVector::from_vec(vec![1.0, 2.5, 3.0, 3.5, 5.5, 5.0]);
/// let mut report = Ols::new().fit_named(&x, &y, &["service", "price"])?.report();
/// report.dependent = "satisfaction".into();
/// let text = report.to_string();
/// assert!(text.contains("Model Summary") && text.contains("Coefficients"));
/// assert_eq!(report.coefficients.len(), 3);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct OlsReport {
    /// Name of the response, printed in table titles (`"y"` unless set).
    pub dependent: String,
    /// Number of observations.
    pub n: usize,
    /// Whether the model has an intercept.
    pub intercept: bool,
    /// Covariance type of the standard errors in the coefficients table.
    pub covariance: CovarianceType,
    /// Confidence level of the coefficient intervals.
    pub confidence_level: f64,
    /// The Model Summary table.
    pub model_summary: ModelSummary,
    /// The ANOVA table.
    pub anova: AnovaTable,
    /// The Coefficients table, intercept first.
    pub coefficients: Vec<CoefficientRow>,
    /// Collinearity diagnostics; `None` without predictors.
    pub collinearity: Option<CollinearityDiagnostics>,
    /// Residual statistics; empty for an exact fit.
    pub residual_statistics: Vec<ResidualStatisticsRow>,
    /// Threshold of |standardised residual| for the casewise list.
    pub casewise_threshold: f64,
    /// Cases beyond the threshold.
    pub casewise: Vec<CasewiseRow>,
}

/// SPSS "Model Summary" plus the likelihood-based criteria statsmodels prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ModelSummary {
    /// Multiple correlation `R`.
    pub r: f64,
    /// R² (uncentred without intercept).
    pub r_squared: f64,
    /// Adjusted R².
    pub adj_r_squared: f64,
    /// Standard error of the estimate, `sqrt(RSS / (n - p))`.
    pub std_error_estimate: f64,
    /// Change statistics against the intercept-only model.
    pub change: RSquaredChange,
    /// Durbin-Watson statistic; `None` for an exact fit.
    pub durbin_watson: Option<f64>,
    /// Gaussian log-likelihood; `None` for an exact fit.
    pub log_likelihood: Option<f64>,
    /// AIC (statsmodels convention).
    pub aic: Option<f64>,
    /// BIC (statsmodels convention).
    pub bic: Option<f64>,
}

/// One row of the ANOVA table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct AnovaRow {
    /// Sum of squares.
    pub sum_of_squares: f64,
    /// Degrees of freedom.
    pub df: usize,
    /// Mean square; `None` for the total row (and for zero df).
    pub mean_square: Option<f64>,
}

/// The ANOVA table: regression, residual and total sums of squares, F and its p.
///
/// Without an intercept the total is the uncorrected `Σ y²` (SPSS "Uncorrected Total").
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct AnovaTable {
    /// Regression row (`df = k`).
    pub regression: AnovaRow,
    /// Residual row (`df = n - p`).
    pub residual: AnovaRow,
    /// Total row (`df = n - 1` with intercept, `n` without).
    pub total: AnovaRow,
    /// F statistic; `None` without predictors.
    pub f: Option<f64>,
    /// p value of F.
    pub p_value: Option<f64>,
}

/// One row of the Coefficients table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CoefficientRow {
    /// `(Constant)` or the predictor name.
    pub name: String,
    /// Unstandardised coefficient B.
    pub b: f64,
    /// Standard error (of the report's covariance type).
    pub std_error: f64,
    /// Standardised coefficient Beta; `None` for the constant.
    pub beta: Option<f64>,
    /// t statistic.
    pub t: f64,
    /// Two-sided p value.
    pub p_value: f64,
    /// Lower confidence bound.
    pub ci_lower: f64,
    /// Upper confidence bound.
    pub ci_upper: f64,
    /// Zero-order correlation with `y`; `None` for the constant.
    pub zero_order: Option<f64>,
    /// Partial correlation; `None` for the constant or where it does not exist.
    pub partial: Option<f64>,
    /// Part (semipartial) correlation; `None` for the constant.
    pub part: Option<f64>,
    /// Tolerance; `None` for the constant.
    pub tolerance: Option<f64>,
    /// VIF; `None` for the constant.
    pub vif: Option<f64>,
}

impl OlsFit {
    /// The full SPSS-style report at the fit's confidence level, with the casewise list
    /// at |standardised residual| ≥ 3 (SPSS's default).
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::regression::Ols;
    /// use nalgebra::{DMatrix, DVector};
    ///
    /// let x = DMatrix::from_row_slice(6, 2, &[1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 6.0, 6.0, 4.0]);
    /// let y = DVector::from_vec(vec![1.0, 2.5, 3.0, 3.5, 5.5, 5.0]);
    /// let fit = Ols::new().fit_named(&x, &y, &["service", "price"])?;
    /// let text = fit.report().to_string(); // ready to print
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn report(&self) -> OlsReport {
        let level = self.options().get_confidence_level();
        // The level was validated by the fit and 3.0 is a valid threshold.
        self.report_with(level, 3.0)
            .unwrap_or_else(|_| self.build_report(0.95, 3.0))
    }

    /// The report at a chosen confidence level and casewise threshold.
    ///
    /// # Errors
    /// [`crate::Error::InvalidOption`] for a level outside (0, 1) or a threshold that is
    /// not finite and > 0.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::regression::Ols;
    /// use nalgebra::{DMatrix, DVector};
    ///
    /// let x = DMatrix::from_row_slice(6, 2, &[1.0, 2.0, 2.0, 1.0, 3.0, 4.0, 4.0, 3.0, 5.0, 6.0, 6.0, 4.0]);
    /// let y = DVector::from_vec(vec![1.0, 2.5, 3.0, 3.5, 5.5, 5.0]);
    /// let fit = Ols::new().fit_named(&x, &y, &["service", "price"])?;
    /// let report = fit.report_with(0.99, 2.0)?;
    /// assert_eq!(report.confidence_level, 0.99);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn report_with(&self, level: f64, casewise_threshold: f64) -> Result<OlsReport> {
        validate::open_unit("confidence_level", level)?;
        validate::positive("casewise_threshold", casewise_threshold)?;
        Ok(self.build_report(level, casewise_threshold))
    }

    fn build_report(&self, level: f64, threshold: f64) -> OlsReport {
        let k = self.df_model();
        let off = usize::from(self.has_intercept());
        let df_res = self.df_residual();
        let ms_res = self.rss() / df_res as f64;
        let anova = AnovaTable {
            regression: AnovaRow {
                sum_of_squares: self.ess(),
                df: k,
                mean_square: (k > 0).then(|| self.ess() / k as f64),
            },
            residual: AnovaRow {
                sum_of_squares: self.rss(),
                df: df_res,
                mean_square: Some(ms_res),
            },
            total: AnovaRow {
                sum_of_squares: self.tss(),
                df: self.nobs() - off,
                mean_square: None,
            },
            f: self.f_statistic(),
            p_value: self.f_p_value(),
        };
        let model_summary = ModelSummary {
            r: self.multiple_r(),
            r_squared: self.r_squared(),
            adj_r_squared: self.adj_r_squared(),
            std_error_estimate: self.residual_std_error(),
            change: RSquaredChange::from_parts(0.0, self.r_squared(), k, df_res),
            durbin_watson: self.durbin_watson(),
            log_likelihood: self.log_likelihood(),
            aic: self.aic(),
            bic: self.bic(),
        };
        let ci = self
            .conf_int(level)
            .unwrap_or_else(|_| vec![(f64::NEG_INFINITY, f64::INFINITY); self.n_params()]);
        let t = self.t_values();
        let p = self.p_values();
        let beta = self.standardized_coefficients();
        let zero = self.zero_order_correlations();
        let partial = self.partial_correlations();
        let part = self.part_correlations();
        let tol = self.tolerance();
        let vif = self.vif();
        let mut coefficients = Vec::with_capacity(self.n_params());
        for i in 0..self.n_params() {
            let j = i.checked_sub(off);
            coefficients.push(CoefficientRow {
                name: match j {
                    None => "(Constant)".to_string(),
                    Some(j) => self.names()[j].clone(),
                },
                b: self.coefficients()[i],
                std_error: self.std_errors()[i],
                beta: j.map(|j| beta[j]),
                t: t[i],
                p_value: p[i],
                ci_lower: ci[i].0,
                ci_upper: ci[i].1,
                zero_order: j.map(|j| zero[j]),
                partial: j.and_then(|j| partial[j]),
                part: j.map(|j| part[j]),
                tolerance: j.map(|j| tol[j]),
                vif: j.map(|j| vif[j]),
            });
        }
        let collinearity = if k > 0 {
            self.collinearity_diagnostics().ok()
        } else {
            None
        };
        let cases = CaseContext::new(self).ok();
        OlsReport {
            dependent: "y".to_string(),
            n: self.nobs(),
            intercept: self.has_intercept(),
            covariance: self.options().get_covariance(),
            confidence_level: level,
            model_summary,
            anova,
            coefficients,
            collinearity,
            residual_statistics: cases
                .as_ref()
                .map(|c| c.residual_statistics(self))
                .unwrap_or_default(),
            casewise_threshold: threshold,
            casewise: cases
                .as_ref()
                .map(|c| c.casewise(self, threshold))
                .unwrap_or_default(),
        }
    }
}

fn rule(f: &mut fmt::Formatter<'_>, width: usize) -> fmt::Result {
    writeln!(f, "{}", "-".repeat(width))
}

impl fmt::Display for ModelSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:>7} {:>9} {:>9} {:>10} {:>10} {:>10} {:>5} {:>5} {:>10} {:>8}",
            "R", "R²", "Adj. R²", "SE est.", "R² chg", "F chg", "df1", "df2", "Sig. F chg", "D-W"
        )?;
        writeln!(
            f,
            "{:>7.4} {:>9.4} {:>9.4} {:>10.5} {:>10.4} {:>10} {:>5} {:>5} {:>10} {:>8}",
            self.r,
            self.r_squared,
            self.adj_r_squared,
            self.std_error_estimate,
            self.change.r_squared_change,
            fmt_opt(self.change.f_change, 3),
            self.change.df1,
            self.change.df2,
            fmt_p(self.change.p_value),
            fmt_opt(self.durbin_watson, 3)
        )?;
        writeln!(
            f,
            "Log-likelihood {}   AIC {}   BIC {}",
            fmt_opt(self.log_likelihood, 3),
            fmt_opt(self.aic, 3),
            fmt_opt(self.bic, 3)
        )
    }
}

impl fmt::Display for AnovaTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<18} {:>16} {:>6} {:>14} {:>10} {:>10}",
            "", "Sum of Squares", "df", "Mean Square", "F", "Sig."
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, r: &AnovaRow, fs: &str, ps: &str| {
            writeln!(
                f,
                "{:<18} {:>16.4} {:>6} {:>14} {:>10} {:>10}",
                name,
                r.sum_of_squares,
                r.df,
                fmt_opt(r.mean_square, 4),
                fs,
                ps
            )
        };
        row(
            f,
            "Regression",
            &self.regression,
            &fmt_opt(self.f, 3),
            &fmt_p(self.p_value),
        )?;
        row(f, "Residual", &self.residual, "", "")?;
        row(f, "Total", &self.total, "", "")
    }
}

impl fmt::Display for OlsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = 100;
        writeln!(
            f,
            "Linear regression of {} (n = {}{})",
            self.dependent,
            self.n,
            if self.intercept {
                ""
            } else {
                ", no intercept: R² and total SS uncentred"
            }
        )?;
        writeln!(f)?;
        writeln!(f, "Model Summary")?;
        rule(f, width)?;
        write!(f, "{}", self.model_summary)?;
        writeln!(f)?;
        writeln!(f, "ANOVA (dependent variable: {})", self.dependent)?;
        rule(f, width)?;
        write!(f, "{}", self.anova)?;
        writeln!(f)?;
        writeln!(
            f,
            "Coefficients (dependent variable: {}; SE: {:?}; {:.0}% CI)",
            self.dependent,
            self.covariance,
            100.0 * self.confidence_level
        )?;
        rule(f, width)?;
        let w = self
            .coefficients
            .iter()
            .map(|c| c.name.len())
            .max()
            .unwrap_or(0)
            .max(10);
        writeln!(
            f,
            "{:<w$} {:>10} {:>9} {:>7} {:>8} {:>6} {:>9} {:>9}",
            "", "B", "Std.Err", "Beta", "t", "Sig.", "Lower", "Upper"
        )?;
        for c in &self.coefficients {
            writeln!(
                f,
                "{:<w$} {:>10.4} {:>9.4} {:>7} {:>8.3} {:>6} {:>9.4} {:>9.4}",
                c.name,
                c.b,
                c.std_error,
                fmt_opt(c.beta, 3),
                c.t,
                fmt_p(Some(c.p_value)),
                c.ci_lower,
                c.ci_upper
            )?;
        }
        writeln!(f)?;
        writeln!(
            f,
            "{:<w$} {:>10} {:>9} {:>9} {:>10} {:>8}",
            "", "Zero-order", "Partial", "Part", "Tolerance", "VIF"
        )?;
        for c in self.coefficients.iter().filter(|c| c.zero_order.is_some()) {
            writeln!(
                f,
                "{:<w$} {:>10} {:>9} {:>9} {:>10} {:>8}",
                c.name,
                fmt_opt(c.zero_order, 3),
                fmt_opt(c.partial, 3),
                fmt_opt(c.part, 3),
                fmt_opt(c.tolerance, 3),
                fmt_opt(c.vif, 3)
            )?;
        }
        if let Some(cd) = &self.collinearity {
            writeln!(f)?;
            write!(f, "{cd}")?;
            rule(f, width)?;
        }
        if !self.residual_statistics.is_empty() {
            writeln!(f)?;
            writeln!(f, "Residuals Statistics")?;
            rule(f, width)?;
            writeln!(
                f,
                "{:<24}{:>11}{:>11}{:>11}{:>11}{:>6}",
                "", "Minimum", "Maximum", "Mean", "Std. Dev.", "N"
            )?;
            for r in &self.residual_statistics {
                writeln!(f, "{r}")?;
            }
        }
        writeln!(f)?;
        if self.casewise.is_empty() {
            writeln!(
                f,
                "Casewise Diagnostics: no case with |std. residual| >= {}",
                self.casewise_threshold
            )?;
        } else {
            writeln!(
                f,
                "Casewise Diagnostics (|std. residual| >= {})",
                self.casewise_threshold
            )?;
            writeln!(
                f,
                "{:>8} {:>12} {:>12} {:>12} {:>12}",
                "Case", "Std. Resid.", self.dependent, "Predicted", "Residual"
            )?;
            for c in &self.casewise {
                writeln!(
                    f,
                    "{:>8} {:>12.3} {:>12.4} {:>12.4} {:>12.4}",
                    c.case, c.standardized_residual, c.observed, c.predicted, c.residual
                )?;
            }
        }
        Ok(())
    }
}
