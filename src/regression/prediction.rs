//! Prediction for new rows: mean response with its confidence interval, and the
//! prediction interval of a new observation.

use std::fmt;

use nalgebra::{DMatrix, DVector};
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

use super::fit::OlsFit;
use crate::{Error, Result, validate};

/// Predictions for new rows (SPSS `/SAVE PRED MCIN ICIN`, statsmodels
/// `get_prediction().summary_frame()`).
///
/// # Formula
///
/// ```text
/// ŷ0 = x0' b                          (x0 with a leading 1 when there is an intercept)
/// se_mean = s sqrt(x0' (X'X)^-1 x0)    computed on centred x0 with an intercept
/// se_obs  = s sqrt(1 + x0' (X'X)^-1 x0)
/// CI: ŷ0 ± t_{(1+level)/2, n-p} se_mean,   PI: ŷ0 ± t_{(1+level)/2, n-p} se_obs
/// ```
///
/// Intervals use the classical `s² = RSS/(n - p)` whatever covariance type the fit chose.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Prediction {
    /// Confidence level of the intervals.
    pub level: f64,
    /// Predicted mean response.
    pub mean: Vec<f64>,
    /// Standard error of the mean response.
    pub se_mean: Vec<f64>,
    /// Standard error of a new observation.
    pub se_observation: Vec<f64>,
    /// Confidence interval of the mean response, `(lower, upper)`.
    pub confidence_interval: Vec<(f64, f64)>,
    /// Prediction interval of a new observation, `(lower, upper)`.
    pub prediction_interval: Vec<(f64, f64)>,
}

impl OlsFit {
    /// Predict the response for the rows of `x_new` (same columns as the fitted `x`, no
    /// constant column) with intervals at the fit's confidence level.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::regression::Ols;
    /// use nalgebra::{DMatrix, DVector};
    ///
    /// let x = DMatrix::from_column_slice(4, 1, &[0.0, 1.0, 2.0, 3.0]);
    /// let y = DVector::from_vec(vec![1.0, 3.0, 2.0, 5.0]);
    /// let fit = Ols::new().fit(&x, &y)?;
    /// let p = fit.predict(&DMatrix::from_column_slice(1, 1, &[1.5]))?;
    /// assert!((p.mean[0] - 2.75).abs() < 1e-12); // the line passes through (x̄, ȳ)
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`OlsFit::predict_with`].
    pub fn predict(&self, x_new: &DMatrix<f64>) -> Result<Prediction> {
        self.predict_with(x_new, self.options().get_confidence_level())
    }

    /// [`OlsFit::predict`] at a chosen confidence level.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if `x_new` has the wrong number of columns;
    /// [`Error::NonFinite`] for NaN or infinities in `x_new`;
    /// [`Error::InvalidOption`] for a level outside (0, 1).
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
    /// let p = fit.predict_with(&DMatrix::from_row_slice(1, 2, &[3.5, 3.0]), 0.9)?;
    /// assert!(p.prediction_interval[0].0 < p.confidence_interval[0].0);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn predict_with(&self, x_new: &DMatrix<f64>, level: f64) -> Result<Prediction> {
        validate::open_unit("confidence_level", level)?;
        let k = self.df_model();
        validate::same_len(
            "columns of `x_new` (must equal the fitted predictors)",
            k,
            x_new.ncols(),
        )?;
        validate::matrix_finite("x_new", x_new)?;
        let df = self.df_residual() as f64;
        let s2 = self.rss() / df;
        let t = StudentsT::new(0.0, 1.0, df)
            .map_err(|_| Error::option("confidence_level", level, "in (0, 1)"))?
            .inverse_cdf(0.5 + level / 2.0);
        let off = usize::from(self.has_intercept());
        let b = self.coefficients();
        let m = self.xtx_inverse().view((off, off), (k, k)).into_owned();
        let mean_x = self.x_means();
        let mut out = Prediction {
            level,
            mean: Vec::with_capacity(x_new.nrows()),
            se_mean: Vec::with_capacity(x_new.nrows()),
            se_observation: Vec::with_capacity(x_new.nrows()),
            confidence_interval: Vec::with_capacity(x_new.nrows()),
            prediction_interval: Vec::with_capacity(x_new.nrows()),
        };
        let mut d = DVector::zeros(k);
        for i in 0..x_new.nrows() {
            // ŷ = ȳ + (x - x̄)' b with an intercept (the same as b0 + x'b), else x'b.
            let mut yhat = if off == 1 { b[0] } else { 0.0 };
            for j in 0..k {
                yhat += x_new[(i, j)] * b[j + off];
                d[j] = x_new[(i, j)] - mean_x[j];
            }
            let q = if off == 1 {
                1.0 / self.nobs() as f64
            } else {
                0.0
            } + d.dot(&(&m * &d)).max(0.0);
            let se_m = (s2 * q).sqrt();
            let se_o = (s2 * (1.0 + q)).sqrt();
            out.mean.push(yhat);
            out.se_mean.push(se_m);
            out.se_observation.push(se_o);
            out.confidence_interval
                .push((yhat - t * se_m, yhat + t * se_m));
            out.prediction_interval
                .push((yhat - t * se_o, yhat + t * se_o));
        }
        Ok(out)
    }
}

impl fmt::Display for Prediction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = 100.0 * self.level;
        writeln!(
            f,
            "{:>5}  {:>10}  {:>9}  {:>21}  {:>21}",
            "Row",
            "Predicted",
            "SE mean",
            format!("{pct:.0}% CI of mean"),
            format!("{pct:.0}% pred. interval")
        )?;
        for i in 0..self.mean.len() {
            let (cl, cu) = self.confidence_interval[i];
            let (pl, pu) = self.prediction_interval[i];
            writeln!(
                f,
                "{:>5}  {:>10.4}  {:>9.4}  {:>10.4} {:>10.4}  {:>10.4} {:>10.4}",
                i + 1,
                self.mean[i],
                self.se_mean[i],
                cl,
                cu,
                pl,
                pu
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use approx::assert_relative_eq;

    use super::super::Ols;
    use super::*;

    #[test]
    fn intervals_by_hand() {
        // Line through (0,1),(1,3),(2,2),(3,5): b = 1.1, a = 1.1, s² = 1.35, n = 4, Sxx = 5.
        // At x0 = 4: ŷ = 5.5, q = 1/4 + (4 - 1.5)²/5 = 1.5, se_mean = sqrt(1.35 · 1.5),
        // se_obs = sqrt(1.35 · 2.5); t_{0.975, 2} = 4.302652729911275.
        let x = DMatrix::from_column_slice(4, 1, &[0.0, 1.0, 2.0, 3.0]);
        let y = DVector::from_vec(vec![1.0, 3.0, 2.0, 5.0]);
        let fit = Ols::new().fit(&x, &y).unwrap();
        let p = fit
            .predict(&DMatrix::from_column_slice(1, 1, &[4.0]))
            .unwrap();
        assert_relative_eq!(p.mean[0], 5.5, max_relative = 1e-12);
        assert_relative_eq!(p.se_mean[0], (1.35f64 * 1.5).sqrt(), max_relative = 1e-12);
        let t = 4.302652729911275;
        assert_relative_eq!(
            p.prediction_interval[0].1,
            5.5 + t * (1.35f64 * 2.5).sqrt(),
            max_relative = 1e-10
        );
    }
}
