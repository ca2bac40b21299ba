//! Case diagnostics: standardised, studentised and deleted residuals, leverage, Cook's
//! distance, DFFITS, Mahalanobis distance; the casewise list and the residual statistics.

use std::fmt;

use serde::Serialize;

use super::fit::OlsFit;
use super::summary::fmt_opt;
use crate::{Error, Result, validate};

/// Per-case regression diagnostics (SPSS `/SAVE` variables), one entry per row of `x`.
///
/// With `e_i` the residual, `h_i` the leverage (intercept included), `s² = RSS/(n - p)`:
///
/// # Formula
///
/// ```text
/// standardized (ZRESID)     e_i / s
/// studentized (SRESID)      e_i / (s sqrt(1 - h_i))
/// deleted studentized       e_i / (s_(i) sqrt(1 - h_i)),  s_(i)² = ((n-p) s² - e_i²/(1-h_i)) / (n-p-1)
///   (SDRESID, external)
/// leverage                  h_i                    (statsmodels, R hatvalues)
/// centred leverage (LEVER)  h_i - 1/n              (what SPSS prints, with an intercept)
/// Cook's distance           e_i² h_i / (p s² (1 - h_i)²)
/// DFFITS                    SDRESID_i · sqrt(h_i / (1 - h_i))
/// Mahalanobis (MAHAL)       (n - 1)(h_i - 1/n)     (with an intercept)
/// std. predicted (ZPRED)    (ŷ_i - mean ŷ) / sd(ŷ)
/// ```
///
/// A value that does not exist for a case (for example at `h_i = 1`, or a deleted
/// residual with `n - p = 1`) is `None`.
///
/// # Example
///
/// ```
/// use crm_analytics::regression::Ols;
/// use nalgebra::{DMatrix, DVector};
///
/// let x = DMatrix::from_column_slice(5, 1, &[1.0, 2.0, 3.0, 4.0, 10.0]);
/// let y = DVector::from_vec(vec![1.1, 1.9, 3.2, 3.9, 7.0]);
/// let d = Ols::new().fit(&x, &y)?.case_diagnostics()?;
/// // The far point has the largest leverage and Cook's distance.
/// assert!(d.leverage[4] > 0.7);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// - Cook, R. D. & Weisberg, S. (1982). *Residuals and Influence in Regression*.
/// - Belsley, Kuh & Welsch (1980). *Regression Diagnostics*.
/// - IBM SPSS Statistics Algorithms, REGRESSION: "Residuals and associated statistics".
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CaseDiagnostics {
    /// Fitted values `ŷ`.
    pub predicted: Vec<f64>,
    /// Standardised predicted values; `None` when the fitted values are constant.
    pub standardized_predicted: Option<Vec<f64>>,
    /// Raw residuals `e`.
    pub residuals: Vec<f64>,
    /// Standardised residuals `e / s`.
    pub standardized: Vec<f64>,
    /// Internally studentised residuals.
    pub studentized: Vec<Option<f64>>,
    /// Externally studentised (deleted) residuals.
    pub deleted_studentized: Vec<Option<f64>>,
    /// Leverage `h_i` (hat-matrix diagonal, intercept included).
    pub leverage: Vec<f64>,
    /// Centred leverage `h_i - 1/n` as SPSS prints it; equal to `h_i` without intercept.
    pub centered_leverage: Vec<f64>,
    /// Cook's distance.
    pub cooks_distance: Vec<Option<f64>>,
    /// DFFITS.
    pub dffits: Vec<Option<f64>>,
    /// Mahalanobis distance from the predictors' centroid; `None` without intercept.
    pub mahalanobis: Option<Vec<f64>>,
}

impl OlsFit {
    /// Per-case diagnostics.
    ///
    /// # Errors
    /// [`Error::Singular`] for an exact fit (zero residual variance), where no
    /// standardised residual exists.
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
    /// let d = fit.case_diagnostics()?;
    /// assert_eq!(d.standardized.len(), 6);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn case_diagnostics(&self) -> Result<CaseDiagnostics> {
        let n = self.nobs();
        let p = self.n_params() as f64;
        let df = self.df_residual() as f64;
        let s2 = self.rss() / df;
        if s2.is_nan() || s2 <= 0.0 {
            return Err(Error::Singular {
                what: "residual variance".into(),
                reason: "the fit is exact, so standardised residuals do not exist".into(),
            });
        }
        let s = s2.sqrt();
        let e = self.residuals();
        let h = self.leverage();
        let inv_n = if self.has_intercept() {
            1.0 / n as f64
        } else {
            0.0
        };
        let mut out = CaseDiagnostics {
            predicted: self.fitted_values().iter().copied().collect(),
            standardized_predicted: None,
            residuals: e.iter().copied().collect(),
            standardized: e.iter().map(|v| v / s).collect(),
            studentized: Vec::with_capacity(n),
            deleted_studentized: Vec::with_capacity(n),
            leverage: h.iter().copied().collect(),
            centered_leverage: h.iter().map(|v| v - inv_n).collect(),
            cooks_distance: Vec::with_capacity(n),
            dffits: Vec::with_capacity(n),
            mahalanobis: None,
        };
        for i in 0..n {
            let (ei, hi) = (e[i], h[i]);
            let one_minus = 1.0 - hi;
            if one_minus <= 1e-12 {
                out.studentized.push(None);
                out.deleted_studentized.push(None);
                out.cooks_distance.push(None);
                out.dffits.push(None);
                continue;
            }
            out.studentized.push(Some(ei / (s * one_minus.sqrt())));
            out.cooks_distance
                .push(Some(ei * ei * hi / (p * s2 * one_minus * one_minus)));
            let s2_del = (df * s2 - ei * ei / one_minus) / (df - 1.0);
            if df > 1.0 && s2_del > 0.0 {
                let t = ei / (s2_del.sqrt() * one_minus.sqrt());
                out.deleted_studentized.push(Some(t));
                out.dffits.push(Some(t * (hi / one_minus).sqrt()));
            } else {
                out.deleted_studentized.push(None);
                out.dffits.push(None);
            }
        }
        if self.has_intercept() {
            out.mahalanobis = Some(
                h.iter()
                    .map(|v| ((n as f64 - 1.0) * (v - inv_n)).max(0.0))
                    .collect(),
            );
        }
        let (mean, sd) = mean_sd(&out.predicted);
        if let Some(sd) = sd.filter(|v| *v > 0.0) {
            out.standardized_predicted =
                Some(out.predicted.iter().map(|v| (v - mean) / sd).collect());
        }
        Ok(out)
    }

    /// Cases whose |standardised residual| is at least `threshold` (SPSS
    /// `/CASEWISE OUTLIERS(3)`: use 3.0 for its default).
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for a threshold that is not finite and > 0;
    /// [`Error::Singular`] for an exact fit.
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
    /// let outliers = fit.casewise(3.0)?; // SPSS's default threshold
    /// assert!(outliers.is_empty());
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn casewise(&self, threshold: f64) -> Result<Vec<CasewiseRow>> {
        validate::positive("casewise_threshold", threshold)?;
        Ok(casewise_rows(&self.case_diagnostics()?, threshold))
    }

    /// SPSS "Residuals Statistics": min, max, mean, SD and N of the predicted values,
    /// residuals, standardised predicted values and standardised residuals, plus the
    /// studentised and deleted residuals, Mahalanobis distance, Cook's distance and
    /// centred leverage.
    ///
    /// # Errors
    /// [`Error::Singular`] for an exact fit.
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
    /// let table = fit.residual_statistics()?;
    /// assert_eq!(table[0].name, "Predicted Value");
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn residual_statistics(&self) -> Result<Vec<ResidualStatisticsRow>> {
        Ok(residual_statistics_rows(&self.case_diagnostics()?))
    }
}

/// The casewise list of precomputed diagnostics.
pub(crate) fn casewise_rows(d: &CaseDiagnostics, threshold: f64) -> Vec<CasewiseRow> {
    let y: Vec<f64> = d
        .predicted
        .iter()
        .zip(&d.residuals)
        .map(|(a, b)| a + b)
        .collect();
    (0..d.residuals.len())
        .filter(|&i| d.standardized[i].abs() >= threshold)
        .map(|i| CasewiseRow {
            case: i + 1,
            standardized_residual: d.standardized[i],
            observed: y[i],
            predicted: d.predicted[i],
            residual: d.residuals[i],
        })
        .collect()
}

/// The residual statistics table of precomputed diagnostics.
pub(crate) fn residual_statistics_rows(d: &CaseDiagnostics) -> Vec<ResidualStatisticsRow> {
    let flat = |v: &[Option<f64>]| -> Vec<f64> { v.iter().flatten().copied().collect() };
    let mut rows = vec![ResidualStatisticsRow::of("Predicted Value", &d.predicted)];
    rows.push(ResidualStatisticsRow::of("Residual", &d.residuals));
    if let Some(z) = &d.standardized_predicted {
        rows.push(ResidualStatisticsRow::of("Std. Predicted Value", z));
    }
    rows.push(ResidualStatisticsRow::of("Std. Residual", &d.standardized));
    rows.push(ResidualStatisticsRow::of(
        "Stud. Residual",
        &flat(&d.studentized),
    ));
    rows.push(ResidualStatisticsRow::of(
        "Stud. Deleted Residual",
        &flat(&d.deleted_studentized),
    ));
    if let Some(m) = &d.mahalanobis {
        rows.push(ResidualStatisticsRow::of("Mahal. Distance", m));
    }
    rows.push(ResidualStatisticsRow::of(
        "Cook's Distance",
        &flat(&d.cooks_distance),
    ));
    rows.push(ResidualStatisticsRow::of(
        "Centered Leverage Value",
        &d.centered_leverage,
    ));
    rows
}

/// One row of the casewise list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CasewiseRow {
    /// One-based case number (row of `x` plus one), as SPSS numbers cases.
    pub case: usize,
    /// Standardised residual.
    pub standardized_residual: f64,
    /// Observed `y`.
    pub observed: f64,
    /// Predicted value.
    pub predicted: f64,
    /// Residual.
    pub residual: f64,
}

/// One row of the residual statistics table. SD uses `n - 1`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ResidualStatisticsRow {
    /// The statistic, e.g. "Std. Residual".
    pub name: String,
    /// Minimum.
    pub min: f64,
    /// Maximum.
    pub max: f64,
    /// Mean.
    pub mean: f64,
    /// Standard deviation (`n - 1` denominator); `None` for a single value.
    pub std_dev: Option<f64>,
    /// Number of cases with a defined value.
    pub n: usize,
}

impl ResidualStatisticsRow {
    fn of(name: &str, v: &[f64]) -> ResidualStatisticsRow {
        let (mean, sd) = mean_sd(v);
        ResidualStatisticsRow {
            name: name.to_string(),
            min: v.iter().copied().fold(f64::INFINITY, f64::min),
            max: v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            mean,
            std_dev: sd,
            n: v.len(),
        }
    }
}

impl fmt::Display for ResidualStatisticsRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<24}{:>11.4}{:>11.4}{:>11.4}{:>11}{:>6}",
            self.name,
            self.min,
            self.max,
            self.mean,
            fmt_opt(self.std_dev, 4),
            self.n
        )
    }
}

/// Mean and `n - 1` standard deviation (two-pass).
pub(crate) fn mean_sd(v: &[f64]) -> (f64, Option<f64>) {
    if v.is_empty() {
        return (0.0, None);
    }
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    if v.len() < 2 {
        return (mean, None);
    }
    let ss: f64 = v.iter().map(|x| (x - mean).powi(2)).sum();
    (mean, Some((ss / (n - 1.0)).sqrt()))
}

#[cfg(test)]
mod tests {
    use approx::assert_relative_eq;
    use nalgebra::{DMatrix, DVector};

    use super::super::Ols;

    #[test]
    fn line_diagnostics_by_hand() {
        // x = 0..3, y = (1,3,2,5): residuals (-0.1, 0.8, -1.3, 0.6), s² = 1.35, p = 2.
        // h_i = 1/4 + (x_i - 1.5)²/5 = (0.7, 0.3, 0.3, 0.7).
        // Case 3 (x = 2): e = -1.3, h = 0.3: SRESID = -1.3 / sqrt(1.35 · 0.7),
        // Cook = 1.69 · 0.3 / (2 · 1.35 · 0.49), s_(3)² = (2.7 - 1.69/0.7)/1 = 0.285714...
        let x = DMatrix::from_column_slice(4, 1, &[0.0, 1.0, 2.0, 3.0]);
        let y = DVector::from_vec(vec![1.0, 3.0, 2.0, 5.0]);
        let d = Ols::new().fit(&x, &y).unwrap().case_diagnostics().unwrap();
        assert_relative_eq!(d.leverage[2], 0.3, max_relative = 1e-12);
        assert_relative_eq!(d.centered_leverage[2], 0.05, max_relative = 1e-10);
        assert_relative_eq!(
            d.studentized[2].unwrap(),
            -1.3 / (1.35f64 * 0.7).sqrt(),
            max_relative = 1e-12
        );
        assert_relative_eq!(
            d.cooks_distance[2].unwrap(),
            1.69 * 0.3 / (2.0 * 1.35 * 0.49),
            max_relative = 1e-12
        );
        let s_del = (2.7f64 - 1.69 / 0.7).sqrt();
        let t = -1.3 / (s_del * 0.7f64.sqrt());
        assert_relative_eq!(d.deleted_studentized[2].unwrap(), t, max_relative = 1e-12);
        assert_relative_eq!(
            d.dffits[2].unwrap(),
            t * (0.3f64 / 0.7).sqrt(),
            max_relative = 1e-12
        );
        // Mahalanobis distance of a single predictor = (x - x̄)² / var(x) = 0.25 / (5/3).
        assert_relative_eq!(
            d.mahalanobis.unwrap()[2],
            0.25 / (5.0 / 3.0),
            max_relative = 1e-10
        );
    }
}
