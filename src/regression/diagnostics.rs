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
        let ctx = CaseContext::new(self)?;
        let (e, h, yhat) = (self.residuals(), self.leverage(), self.fitted_values());
        let n = self.nobs();
        let mut out = CaseDiagnostics {
            predicted: yhat.iter().copied().collect(),
            standardized_predicted: ctx
                .pred_sd
                .map(|sd| yhat.iter().map(|v| (v - ctx.pred_mean) / sd).collect()),
            residuals: e.iter().copied().collect(),
            standardized: e.iter().map(|&v| ctx.standardized(v)).collect(),
            studentized: Vec::with_capacity(n),
            deleted_studentized: Vec::with_capacity(n),
            leverage: h.iter().copied().collect(),
            centered_leverage: h.iter().map(|v| v - ctx.inv_n).collect(),
            cooks_distance: Vec::with_capacity(n),
            dffits: Vec::with_capacity(n),
            mahalanobis: self
                .has_intercept()
                .then(|| h.iter().map(|&v| ctx.mahalanobis(v)).collect()),
        };
        for i in 0..n {
            let (stud, del, cook, dffits) = ctx.influence(e[i], h[i]);
            out.studentized.push(stud);
            out.deleted_studentized.push(del);
            out.cooks_distance.push(cook);
            out.dffits.push(dffits);
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
        let ctx = CaseContext::new(self)?;
        Ok(ctx.casewise(self, threshold))
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
        let ctx = CaseContext::new(self)?;
        Ok(ctx.residual_statistics(self))
    }
}

/// Per-case diagnostics computed on demand from the residuals and leverages, so that the
/// report's tables stream over the rows instead of materialising a vector per measure
/// (on a million rows that is the difference between one pass and ~200 MB of allocation).
pub(crate) struct CaseContext {
    n: usize,
    p: f64,
    df: f64,
    s2: f64,
    s: f64,
    inv_n: f64,
    pred_mean: f64,
    pred_sd: Option<f64>,
}

impl CaseContext {
    pub(crate) fn new(fit: &OlsFit) -> Result<CaseContext> {
        let n = fit.nobs();
        let df = fit.df_residual() as f64;
        let s2 = fit.rss() / df;
        if s2.is_nan() || s2 <= 0.0 {
            return Err(Error::Singular {
                what: "residual variance".into(),
                reason: "the fit is exact, so standardised residuals do not exist".into(),
            });
        }
        let (pred_mean, pred_sd) = mean_sd(fit.fitted_values().as_slice());
        Ok(CaseContext {
            n,
            p: fit.n_params() as f64,
            df,
            s2,
            s: s2.sqrt(),
            inv_n: if fit.has_intercept() {
                1.0 / n as f64
            } else {
                0.0
            },
            pred_mean,
            pred_sd: pred_sd.filter(|v| *v > 0.0),
        })
    }

    fn standardized(&self, e: f64) -> f64 {
        e / self.s
    }

    /// (studentised, deleted studentised, Cook's distance, DFFITS) of case (e, h).
    fn influence(&self, e: f64, h: f64) -> (Option<f64>, Option<f64>, Option<f64>, Option<f64>) {
        let one_minus = 1.0 - h;
        if one_minus <= 1e-12 {
            return (None, None, None, None);
        }
        let stud = e / (self.s * one_minus.sqrt());
        let cook = e * e * h / (self.p * self.s2 * one_minus * one_minus);
        let s2_del = (self.df * self.s2 - e * e / one_minus) / (self.df - 1.0);
        if self.df > 1.0 && s2_del > 0.0 {
            let t = e / (s2_del.sqrt() * one_minus.sqrt());
            (
                Some(stud),
                Some(t),
                Some(cook),
                Some(t * (h / one_minus).sqrt()),
            )
        } else {
            (Some(stud), None, Some(cook), None)
        }
    }

    fn mahalanobis(&self, h: f64) -> f64 {
        ((self.n as f64 - 1.0) * (h - self.inv_n)).max(0.0)
    }

    pub(crate) fn casewise(&self, fit: &OlsFit, threshold: f64) -> Vec<CasewiseRow> {
        let (e, yhat) = (fit.residuals(), fit.fitted_values());
        (0..self.n)
            .filter(|&i| self.standardized(e[i]).abs() >= threshold)
            .map(|i| CasewiseRow {
                case: i + 1,
                standardized_residual: self.standardized(e[i]),
                observed: yhat[i] + e[i],
                predicted: yhat[i],
                residual: e[i],
            })
            .collect()
    }

    pub(crate) fn residual_statistics(&self, fit: &OlsFit) -> Vec<ResidualStatisticsRow> {
        let (e, h, yhat) = (fit.residuals(), fit.leverage(), fit.fitted_values());
        // One pass over the cases, one Welford accumulator per measure (SPSS's order).
        const NAMES: [&str; 9] = [
            "Predicted Value",
            "Residual",
            "Std. Predicted Value",
            "Std. Residual",
            "Stud. Residual",
            "Stud. Deleted Residual",
            "Mahal. Distance",
            "Cook's Distance",
            "Centered Leverage Value",
        ];
        let mut acc = [Welford::default(); 9];
        for i in 0..self.n {
            let (stud, del, cook, _) = self.influence(e[i], h[i]);
            acc[0].push(Some(yhat[i]));
            acc[1].push(Some(e[i]));
            acc[2].push(self.pred_sd.map(|sd| (yhat[i] - self.pred_mean) / sd));
            acc[3].push(Some(self.standardized(e[i])));
            acc[4].push(stud);
            acc[5].push(del);
            acc[6].push(fit.has_intercept().then(|| self.mahalanobis(h[i])));
            acc[7].push(cook);
            acc[8].push(Some(h[i] - self.inv_n));
        }
        NAMES
            .iter()
            .zip(acc.iter())
            .enumerate()
            .filter(|(j, _)| match j {
                2 => self.pred_sd.is_some(),
                6 => fit.has_intercept(),
                _ => true,
            })
            .map(|(_, (name, a))| a.row(name))
            .collect()
    }
}

/// Running count, mean, sum of squared deviations, min and max (Welford 1962), so that a
/// residual-statistics row needs one pass and no allocation.
#[derive(Debug, Clone, Copy)]
struct Welford {
    n: usize,
    mean: f64,
    m2: f64,
    min: f64,
    max: f64,
}

impl Default for Welford {
    fn default() -> Self {
        Welford {
            n: 0,
            mean: 0.0,
            m2: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl Welford {
    fn push(&mut self, v: Option<f64>) {
        if let Some(v) = v {
            self.n += 1;
            let d = v - self.mean;
            self.mean += d / self.n as f64;
            self.m2 += d * (v - self.mean);
            self.min = self.min.min(v);
            self.max = self.max.max(v);
        }
    }

    fn row(&self, name: &str) -> ResidualStatisticsRow {
        ResidualStatisticsRow {
            name: name.to_string(),
            min: self.min,
            max: self.max,
            mean: self.mean,
            std_dev: (self.n >= 2).then(|| (self.m2 / (self.n as f64 - 1.0)).sqrt()),
            n: self.n,
        }
    }
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
