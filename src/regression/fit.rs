use nalgebra::{DMatrix, DVector};
use serde::Serialize;

use super::inference;
use super::options::{CovarianceType, Ols};
use super::qr::Core;
use crate::{Error, Result, validate};

/// A fitted ordinary least-squares model. Made by [`Ols::fit`].
///
/// Coefficient-indexed vectors hold the intercept first when the model has one, then the
/// predictors in the column order of `x`. Standard errors, t and p use the covariance type
/// chosen in the options ([`Ols::covariance`]).
///
/// # Example
///
/// ```
/// use crm_analytics::regression::Ols;
/// use nalgebra::{DMatrix, DVector};
///
/// // Hand case: points (0,1), (1,3), (2,2), (3,5): b = Sxy/Sxx = 5.5/5 = 1.1, a = 2.75 - 1.1·1.5 = 1.1.
/// let x = DMatrix::from_column_slice(4, 1, &[0.0, 1.0, 2.0, 3.0]);
/// let y = DVector::from_vec(vec![1.0, 3.0, 2.0, 5.0]);
/// let fit = Ols::new().fit(&x, &y)?;
/// assert!((fit.coefficients()[1] - 1.1).abs() < 1e-12);
/// assert!((fit.coefficients()[0] - 1.1).abs() < 1e-12);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Serialize)]
#[must_use]
pub struct OlsFit {
    options: Ols,
    names: Vec<String>,
    n: usize,
    coefficients: DVector<f64>,
    std_errors: DVector<f64>,
    cov_params: DMatrix<f64>,
    xtx_inv: DMatrix<f64>,
    residuals: DVector<f64>,
    fitted: DVector<f64>,
    leverage: DVector<f64>,
    rss: f64,
    tss: f64,
    ess: f64,
    r_factor: DMatrix<f64>,
    x_mean: DVector<f64>,
    y_mean: f64,
}

impl OlsFit {
    pub(crate) fn from_core(
        options: Ols,
        names: Vec<String>,
        x: &DMatrix<f64>,
        y: &DVector<f64>,
        core: Core,
    ) -> Result<OlsFit> {
        let n = x.nrows();
        let k = x.ncols();
        let p = core.coef.len();
        // Finite inputs can still overflow (values near f64::MAX square to infinity).
        if !(core.rss.is_finite() && core.tss.is_finite())
            || core.coef.iter().any(|b| !b.is_finite())
        {
            return Err(Error::input(
                "data",
                "sums of squares overflow f64: rescale `x` and `y` (e.g. to thousands)",
            ));
        }
        let fitted = y - &core.residuals;

        // Leverage h_i = 1/n + ||xc_i' W||² (W = D^-1 R^-1), by blocks of rows with a GEMM.
        const BLOCK: usize = super::qr::ROW_BLOCK;
        let base = if options.get_intercept() {
            1.0 / n as f64
        } else {
            0.0
        };
        let mut leverage = DVector::from_element(n, base);
        let xs = x.as_slice();
        if k > 0 {
            super::qr::for_row_halves(leverage.as_mut_slice(), |start, out| {
                for (bi, block) in out.chunks_mut(super::qr::ROW_BLOCK).enumerate() {
                    let s0 = start + bi * super::qr::ROW_BLOCK;
                    let len = block.len();
                    let mut xc = DMatrix::<f64>::zeros(len, k);
                    for j in 0..k {
                        let mj = core.x_mean[j];
                        let col = &xs[j * n + s0..j * n + s0 + len];
                        for (dst, &v) in xc.column_mut(j).iter_mut().zip(col) {
                            *dst = v - mj;
                        }
                    }
                    let proj = &xc * &core.lev_map;
                    for j in 0..k {
                        for (h, v) in block.iter_mut().zip(proj.column(j).iter()) {
                            *h += v * v;
                        }
                    }
                }
            });
        }

        let df_resid = (n - p) as f64;
        let s2 = core.rss / df_resid;
        let cov_params = match options.get_covariance() {
            CovarianceType::Classical => &core.xtx_inv * s2,
            hc => {
                // (X'X)^-1 X' diag(w) X (X'X)^-1: the meat as Z'Z with Z = diag(sqrt w) X,
                // accumulated by blocks of rows.
                let mut meat = DMatrix::<f64>::zeros(p, p);
                let off = usize::from(options.get_intercept());
                let mut start = 0;
                while start < n {
                    let len = (n - start).min(BLOCK);
                    let mut sw = DVector::<f64>::zeros(len);
                    for (i, w) in sw.iter_mut().enumerate() {
                        let row = start + i;
                        let e2 = core.residuals[row] * core.residuals[row];
                        let h = leverage[row];
                        *w = match hc {
                            CovarianceType::HC2 => e2 / (1.0 - h),
                            CovarianceType::HC3 => e2 / ((1.0 - h) * (1.0 - h)),
                            _ => e2,
                        }
                        .sqrt();
                    }
                    let mut z = DMatrix::<f64>::zeros(len, p);
                    if off == 1 {
                        z.column_mut(0).copy_from(&sw);
                    }
                    for j in 0..k {
                        let src = x.column(j);
                        for (i, dst) in z.column_mut(off + j).iter_mut().enumerate() {
                            *dst = sw[i] * src[start + i];
                        }
                    }
                    meat.gemm_tr(1.0, &z, &z, 1.0);
                    start += len;
                }
                let mut v = &core.xtx_inv * meat * &core.xtx_inv;
                if hc == CovarianceType::HC1 {
                    v *= n as f64 / df_resid;
                }
                v
            }
        };
        let std_errors =
            DVector::from_iterator(p, (0..p).map(|i| cov_params[(i, i)].max(0.0).sqrt()));
        validate::vector_finite("standard errors", &std_errors).map_err(|_| Error::Singular {
            what: "X'X".into(),
            reason: "leverage of 1 makes the robust covariance infinite".into(),
        })?;

        Ok(OlsFit {
            options,
            names,
            n,
            coefficients: core.coef,
            std_errors,
            cov_params,
            xtx_inv: core.xtx_inv,
            residuals: core.residuals,
            fitted,
            leverage,
            rss: core.rss,
            tss: core.tss,
            ess: core.ess,
            r_factor: core.r,
            x_mean: core.x_mean,
            y_mean: core.y_mean,
        })
    }

    /// The options the model was fitted with.
    pub fn options(&self) -> &Ols {
        &self.options
    }

    /// Predictor names (without the intercept).
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Parameter names: `(intercept)` first when present, then the predictors.
    pub fn parameter_names(&self) -> Vec<String> {
        let mut v = Vec::with_capacity(self.coefficients.len());
        if self.options.get_intercept() {
            v.push("(intercept)".to_string());
        }
        v.extend(self.names.iter().cloned());
        v
    }

    /// Whether the model has an intercept.
    pub fn has_intercept(&self) -> bool {
        self.options.get_intercept()
    }

    /// Number of observations.
    pub fn nobs(&self) -> usize {
        self.n
    }

    /// Number of parameters, intercept included.
    pub fn n_params(&self) -> usize {
        self.coefficients.len()
    }

    /// Model degrees of freedom: parameters less the intercept.
    pub fn df_model(&self) -> usize {
        self.names.len()
    }

    /// Residual degrees of freedom, `n - p`.
    pub fn df_residual(&self) -> usize {
        self.n - self.coefficients.len()
    }

    /// Coefficients (B), intercept first when present.
    pub fn coefficients(&self) -> &DVector<f64> {
        &self.coefficients
    }

    /// Standard errors of the coefficients under the chosen covariance type.
    pub fn std_errors(&self) -> &DVector<f64> {
        &self.std_errors
    }

    /// Covariance matrix of the coefficients under the chosen covariance type.
    pub fn cov_params(&self) -> &DMatrix<f64> {
        &self.cov_params
    }

    /// `(X'X)^-1` (intercept first), from the R factor; classical covariance is `s²` times it.
    pub fn xtx_inverse(&self) -> &DMatrix<f64> {
        &self.xtx_inv
    }

    /// Residual standard error `s = sqrt(RSS / (n - p))` (SPSS "Std. Error of the Estimate").
    pub fn residual_std_error(&self) -> f64 {
        (self.rss / self.df_residual() as f64).sqrt()
    }

    /// Residual sum of squares.
    pub fn rss(&self) -> f64 {
        self.rss
    }

    /// Total sum of squares: about the mean with an intercept, about zero (uncentred) without.
    pub fn tss(&self) -> f64 {
        self.tss
    }

    /// Explained (regression) sum of squares: `TSS - RSS`, or on ill-conditioned designs the
    /// sum of squared fitted values about the mean, formed directly.
    pub fn ess(&self) -> f64 {
        self.ess
    }

    /// R² = 1 - RSS/TSS; uncentred (TSS about zero) without an intercept, as R and NIST do.
    ///
    /// Computed as `1 - RSS/TSS` when the residual part is the smaller, else as `ESS/TSS`,
    /// so that neither a near-perfect nor a near-useless fit loses digits to cancellation.
    pub fn r_squared(&self) -> f64 {
        inference::r_squared(self.rss, self.ess, self.tss)
    }

    /// Adjusted R² = 1 - (1 - R²)(n - i)/(n - p), with i = 1 with an intercept, 0 without.
    pub fn adj_r_squared(&self) -> f64 {
        inference::adj_r_squared(
            self.r_squared(),
            self.n,
            self.has_intercept(),
            self.df_residual(),
        )
    }

    /// Overall F statistic of the ANOVA table, `(ESS/df_model) / (RSS/df_resid)`, on the
    /// classical covariance whatever the chosen covariance type (SPSS prints this one).
    /// `None` for a model with no predictors.
    pub fn f_statistic(&self) -> Option<f64> {
        inference::f_statistic(self.ess, self.rss, self.df_model(), self.df_residual())
    }

    /// p value of [`OlsFit::f_statistic`], from the F distribution's survival function.
    pub fn f_p_value(&self) -> Option<f64> {
        inference::f_p_value(self.f_statistic(), self.df_model(), self.df_residual())
    }

    /// t statistics `B / SE`. A zero SE (exact fit) gives ±∞, or 0 for a zero coefficient.
    pub fn t_values(&self) -> DVector<f64> {
        inference::t_values(&self.coefficients, &self.std_errors)
    }

    /// Two-sided p values of the t statistics, `2·sf(|t|)` of Student's t on `n - p` df.
    pub fn p_values(&self) -> DVector<f64> {
        inference::p_values(&self.t_values(), self.df_residual())
    }

    /// Confidence intervals `B ± t_{(1+level)/2, n-p} · SE`, one `(lower, upper)` per
    /// coefficient.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] if `level` is not in (0, 1).
    pub fn conf_int(&self, level: f64) -> Result<Vec<(f64, f64)>> {
        inference::conf_int(
            &self.coefficients,
            &self.std_errors,
            self.df_residual(),
            level,
        )
    }

    /// Residuals `y - ŷ`.
    pub fn residuals(&self) -> &DVector<f64> {
        &self.residuals
    }

    /// Fitted values `ŷ`.
    pub fn fitted_values(&self) -> &DVector<f64> {
        &self.fitted
    }

    /// Leverages `h_i` (diagonal of the hat matrix, intercept included).
    pub fn leverage(&self) -> &DVector<f64> {
        &self.leverage
    }

    /// Gaussian log-likelihood `-n/2 (ln 2π + ln(RSS/n) + 1)`; `None` for an exact fit.
    pub fn log_likelihood(&self) -> Option<f64> {
        if self.rss <= 0.0 {
            return None;
        }
        let n = self.n as f64;
        Some(-0.5 * n * ((2.0 * std::f64::consts::PI).ln() + (self.rss / n).ln() + 1.0))
    }

    /// Akaike information criterion `-2 LL + 2p` (statsmodels' convention: p counts the
    /// coefficients, not the variance).
    pub fn aic(&self) -> Option<f64> {
        Some(-2.0 * self.log_likelihood()? + 2.0 * self.n_params() as f64)
    }

    /// Bayesian information criterion `-2 LL + p ln n`.
    pub fn bic(&self) -> Option<f64> {
        Some(-2.0 * self.log_likelihood()? + self.n_params() as f64 * (self.n as f64).ln())
    }

    /// Upper-triangular R factor of the centred (with intercept), column-scaled `[X | y]`.
    pub fn r_factor(&self) -> &DMatrix<f64> {
        &self.r_factor
    }

    /// Column means of `x` (zeros without intercept).
    pub fn x_means(&self) -> &DVector<f64> {
        &self.x_mean
    }

    /// Mean of `y` (zero without intercept).
    pub fn y_mean(&self) -> f64 {
        self.y_mean
    }
}

#[cfg(test)]
mod tests {
    use approx::assert_relative_eq;

    use super::*;

    #[test]
    fn line_through_four_points_by_hand() {
        // x = 0..3, y = (1, 3, 2, 5): x̄ = 1.5, ȳ = 2.75, Sxx = 5, Sxy = 5.5
        // b = 1.1, a = 2.75 - 1.65 = 1.1; residuals (-0.1, 0.8, -1.3, 0.6), RSS = 2.7
        // s² = 1.35, SE(b) = sqrt(1.35/5) = 0.519615, R² = 1 - 2.7/8.75 = 0.691429
        let x = DMatrix::from_column_slice(4, 1, &[0.0, 1.0, 2.0, 3.0]);
        let y = DVector::from_vec(vec![1.0, 3.0, 2.0, 5.0]);
        let fit = Ols::new().fit(&x, &y).unwrap();
        assert_relative_eq!(fit.coefficients()[1], 1.1, max_relative = 1e-14);
        assert_relative_eq!(fit.coefficients()[0], 1.1, max_relative = 1e-14);
        assert_relative_eq!(fit.rss(), 2.7, max_relative = 1e-14);
        assert_relative_eq!(
            fit.std_errors()[1],
            (1.35f64 / 5.0).sqrt(),
            max_relative = 1e-14
        );
        assert_relative_eq!(fit.r_squared(), 1.0 - 2.7 / 8.75, max_relative = 1e-14);
        // SE(a) = s·sqrt(1/n + x̄²/Sxx) = sqrt(1.35·(0.25 + 0.45))
        assert_relative_eq!(
            fit.std_errors()[0],
            (1.35f64 * 0.7).sqrt(),
            max_relative = 1e-14
        );
    }

    #[test]
    fn no_intercept_r2_is_uncentred() {
        // Through the origin: b = Σxy/Σx² = (1·2 + 2·1.9 + 3·6.3)/(1 + 4 + 9) = 24.7/14.
        let x = DMatrix::from_column_slice(3, 1, &[1.0, 2.0, 3.0]);
        let y = DVector::from_vec(vec![2.0, 1.9, 2.1 * 3.0]);
        let fit = Ols::new().intercept(false).fit(&x, &y).unwrap();
        let b = 24.7 / 14.0;
        assert_relative_eq!(fit.coefficients()[0], b, max_relative = 1e-14);
        let rss: f64 = [(2.0 - b), (1.9 - 2.0 * b), (6.3 - 3.0 * b)]
            .iter()
            .map(|e| e * e)
            .sum();
        assert_relative_eq!(
            fit.r_squared(),
            1.0 - rss / (4.0 + 3.61 + 39.69),
            max_relative = 1e-12
        );
    }
}
