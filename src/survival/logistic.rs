//! Binary logistic regression (churn yes/no) by iteratively reweighted least squares with
//! QR steps, reported as SPSS LOGISTIC REGRESSION prints it.

use std::fmt;

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

use super::data::{check_binary, chi2_sf, fmt_p, same, z_crit};
use crate::{Error, Result, validate};

/// Options of the logistic regression. Data enter at [`Logistic::fit`].
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `intercept` | true | add a constant | bool |
/// | `confidence_level` | 0.95 | level of the odds-ratio intervals | (0, 1) |
/// | `max_iterations` | 25 | IRLS iterations (R `glm`) | >= 1 |
/// | `tolerance` | 1e-10 | relative change of the deviance that stops | (0, 1) |
/// | `cutoff` | 0.5 | probability at or above which the classification table predicts 1 | (0, 1) |
/// | `hosmer_lemeshow_groups` | 10 | groups of the Hosmer-Lemeshow test | >= 3 |
///
/// # Formula
///
/// ```text
/// P(y = 1 | x) = 1 / (1 + exp(-x'b))
/// IRLS: w = p(1 - p), z = x'b + (y - p)/w; b_new = argmin || sqrt(w)(X b - z) || by Householder QR
/// stop when |D_new - D_old| / (|D_new| + 0.1) < tolerance   (D = -2 LL, R glm's rule); halve the step if D rises
/// Cov(b) = (X'WX)^-1 = R^-1 R^-T;  Wald = (b / se)^2 on 1 df
/// Cox & Snell R² = 1 - exp((2/n)(LL0 - LL)); Nagelkerke R² = CS / (1 - exp(2 LL0 / n))
/// ```
///
/// # Example
///
/// ```
/// use crm_analytics::survival::Logistic;
/// use nalgebra::DMatrix;
///
/// let calls = DMatrix::from_column_slice(8, 1, &[0.0, 1.0, 1.0, 2.0, 3.0, 4.0, 4.0, 6.0]);
/// let churn = [0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0];
/// let fit = Logistic::new().fit_named(&calls, &churn, &["service_calls"])?;
/// assert!(fit.coefficients()[1] > 0.0);
/// let report = fit.report().to_string(); // the SPSS-style tables
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
///
/// McCullagh, P. & Nelder, J. A. (1989). Generalized Linear Models, 2nd ed. Hosmer, D. W. &
/// Lemeshow, S. (2000). Applied Logistic Regression, 2nd ed. Nagelkerke, N. J. D. (1991).
/// Biometrika 78, 691-692. IBM SPSS Statistics Algorithms, LOGISTIC REGRESSION.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Logistic {
    intercept: bool,
    confidence_level: f64,
    max_iterations: usize,
    tolerance: f64,
    cutoff: f64,
    hosmer_lemeshow_groups: usize,
}

impl Default for Logistic {
    fn default() -> Self {
        Logistic {
            intercept: true,
            confidence_level: 0.95,
            max_iterations: 25,
            tolerance: 1e-10,
            cutoff: 0.5,
            hosmer_lemeshow_groups: 10,
        }
    }
}

impl Logistic {
    /// The default options.
    pub fn new() -> Logistic {
        Logistic::default()
    }
    /// Add a constant term (default true).
    pub fn intercept(mut self, yes: bool) -> Logistic {
        self.intercept = yes;
        self
    }
    /// Level of odds-ratio intervals.
    ///
    /// # Errors
    ///
    /// The fit returns [`Error::InvalidOption`] unless in (0, 1).
    pub fn confidence_level(mut self, level: f64) -> Logistic {
        self.confidence_level = level;
        self
    }
    /// Maximum IRLS iterations.
    ///
    /// # Errors
    ///
    /// The fit returns [`Error::InvalidOption`] when 0.
    pub fn max_iterations(mut self, n: usize) -> Logistic {
        self.max_iterations = n;
        self
    }
    /// Relative deviance change that stops the iteration.
    ///
    /// # Errors
    ///
    /// The fit returns [`Error::InvalidOption`] unless in (0, 1).
    pub fn tolerance(mut self, tol: f64) -> Logistic {
        self.tolerance = tol;
        self
    }
    /// Classification cut-off.
    ///
    /// # Errors
    ///
    /// The fit returns [`Error::InvalidOption`] unless in (0, 1).
    pub fn cutoff(mut self, c: f64) -> Logistic {
        self.cutoff = c;
        self
    }
    /// Number of Hosmer-Lemeshow groups.
    ///
    /// # Errors
    ///
    /// The fit returns [`Error::InvalidOption`] when below 3.
    pub fn hosmer_lemeshow_groups(mut self, g: usize) -> Logistic {
        self.hosmer_lemeshow_groups = g;
        self
    }
    /// Whether a constant is added.
    pub fn get_intercept(&self) -> bool {
        self.intercept
    }
    /// Confidence level.
    pub fn get_confidence_level(&self) -> f64 {
        self.confidence_level
    }
    /// Maximum iterations.
    pub fn get_max_iterations(&self) -> usize {
        self.max_iterations
    }
    /// Tolerance.
    pub fn get_tolerance(&self) -> f64 {
        self.tolerance
    }
    /// Cut-off.
    pub fn get_cutoff(&self) -> f64 {
        self.cutoff
    }
    /// Hosmer-Lemeshow groups.
    pub fn get_hosmer_lemeshow_groups(&self) -> usize {
        self.hosmer_lemeshow_groups
    }

    /// Fit with predictors named `x1..xk`.
    ///
    /// # Errors
    ///
    /// As [`Logistic::fit_named`].
    pub fn fit(&self, x: &DMatrix<f64>, y: &[f64]) -> Result<LogisticFit> {
        let names: Vec<String> = (1..=x.ncols()).map(|j| format!("x{j}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        self.fit_named(x, y, &refs)
    }

    /// Fit `P(y = 1)` on the columns of `x` (n x k, no constant column); `y` is 0/1.
    ///
    /// # Errors
    ///
    /// [`Error::Empty`]; [`Error::DimensionMismatch`] for `x`, `y` or `names`;
    /// [`Error::NonFinite`]; [`Error::InvalidValue`] when `y` is not 0/1;
    /// [`Error::InvalidInput`] when `y` has one class only; [`Error::TooFewObservations`]
    /// with fewer rows than parameters; [`Error::RankDeficient`] naming collinear columns;
    /// [`Error::Separation`] when the outcomes are (quasi-)completely separated;
    /// [`Error::NotConverged`]; [`Error::InvalidOption`].
    pub fn fit_named(&self, x: &DMatrix<f64>, y: &[f64], names: &[&str]) -> Result<LogisticFit> {
        let zc = z_crit(self.confidence_level)?;
        validate::open_unit("tolerance", self.tolerance)?;
        validate::open_unit("cutoff", self.cutoff)?;
        if self.max_iterations == 0 {
            return Err(Error::option("max_iterations", 0, ">= 1"));
        }
        if self.hosmer_lemeshow_groups < 3 {
            return Err(Error::option(
                "hosmer_lemeshow_groups",
                self.hosmer_lemeshow_groups,
                ">= 3",
            ));
        }
        let n = y.len();
        if n == 0 {
            return Err(Error::Empty { what: "y".into() });
        }
        validate::same_len("rows of `x`", n, x.nrows())?;
        validate::same_len("`names` (one per column of `x`)", x.ncols(), names.len())?;
        validate::matrix_finite("x", x)?;
        check_binary("outcome y", y)?;
        let n1 = y.iter().sum::<f64>();
        if n1 == 0.0 || same(n1, n as f64) {
            return Err(Error::input(
                "y",
                "the outcome has only one class (all 0 or all 1)",
            ));
        }
        let off = usize::from(self.intercept);
        let k = x.ncols() + off;
        if k == 0 {
            return Err(Error::Empty {
                what: "model (no intercept and no predictors)".into(),
            });
        }
        if n <= k {
            return Err(Error::TooFewObservations {
                what: format!("logistic regression with {k} parameters"),
                needed: k + 1,
                got: n,
            });
        }
        let mut param_names = Vec::with_capacity(k);
        if self.intercept {
            param_names.push("(Intercept)".to_string());
        }
        param_names.extend(names.iter().map(|s| s.to_string()));
        let design = DMatrix::from_fn(n, k, |i, j| if j < off { 1.0 } else { x[(i, j - off)] });
        let yv = DVector::from_column_slice(y);

        let deviance = |eta: &DVector<f64>| -> f64 {
            -2.0 * eta
                .iter()
                .zip(y)
                .map(|(&e, &yi)| yi * e - log1pexp(e))
                .sum::<f64>()
        };
        let mut beta = DVector::zeros(k);
        let mut eta = DVector::zeros(n);
        let mut dev = deviance(&eta);
        let mut history = vec![dev];
        let mut converged = false;
        let mut last_change = f64::INFINITY;
        let mut iterations = 0;
        for it in 1..=self.max_iterations {
            iterations = it;
            let mu = eta.map(sigmoid);
            let w = mu.map(|m| (m * (1.0 - m)).max(1e-300));
            let sw = w.map(f64::sqrt);
            let mut xw = design.clone();
            for i in 0..n {
                let s = sw[i];
                xw.row_mut(i).scale_mut(s);
            }
            let mut zw = DVector::from_fn(n, |i, _| sw[i] * (eta[i] + (yv[i] - mu[i]) / w[i]));
            let new_beta = qr_solve(xw, &mut zw, &param_names)?;
            // Step halving on deviance increase.
            let mut step = &new_beta - &beta;
            let mut cand = &beta + &step;
            let mut cand_eta = &design * &cand;
            let mut cand_dev = deviance(&cand_eta);
            let mut halvings = 0;
            while !(cand_dev.is_finite() && cand_dev <= dev * (1.0 + 1e-12) + 1e-12)
                && halvings < 30
            {
                step *= 0.5;
                cand = &beta + &step;
                cand_eta = &design * &cand;
                cand_dev = deviance(&cand_eta);
                halvings += 1;
            }
            beta = cand;
            eta = cand_eta;
            last_change = (cand_dev - dev).abs() / (cand_dev.abs() + 0.1);
            dev = cand_dev;
            history.push(dev);
            if last_change < self.tolerance {
                converged = true;
                break;
            }
        }
        let max_eta = eta.iter().fold(0.0f64, |a, e| a.max(e.abs()));
        if max_eta > 25.0 {
            let spread: Vec<f64> = (0..k)
                .map(|j| {
                    let c = design.column(j);
                    (c.max() - c.min()) * beta[j].abs()
                })
                .collect();
            let top = spread.iter().copied().fold(0.0f64, f64::max);
            let cols = (0..k)
                .filter(|&j| spread[j] >= 0.5 * top && !(self.intercept && j == 0))
                .map(|j| param_names[j].clone())
                .collect::<Vec<_>>();
            return Err(Error::Separation {
                what: "logistic regression".into(),
                columns: if cols.is_empty() {
                    param_names.clone()
                } else {
                    cols
                },
            });
        }
        if !converged {
            return Err(Error::NotConverged {
                what: "logistic IRLS".into(),
                iterations,
                last_change,
            });
        }
        // Covariance at the final estimate: refactor with final weights.
        let mu = eta.map(sigmoid);
        let mut xw = design.clone();
        for i in 0..n {
            let s = (mu[i] * (1.0 - mu[i])).sqrt();
            xw.row_mut(i).scale_mut(s);
        }
        let r = upper_r(xw, &param_names)?;
        let rinv = r
            .solve_upper_triangular(&DMatrix::identity(k, k))
            .ok_or_else(|| Error::RankDeficient {
                columns: param_names.clone(),
            })?;
        let cov = &rinv * rinv.transpose();
        let std_errors = DVector::from_fn(k, |j, _| cov[(j, j)].sqrt());
        let ll = -0.5 * dev;
        let nf = n as f64;
        let p1 = n1 / nf;
        let ll0 = if self.intercept {
            n1 * p1.ln() + (nf - n1) * (1.0 - p1).ln()
        } else {
            nf * 0.5f64.ln()
        };
        Ok(LogisticFit {
            options: *self,
            names: param_names,
            n,
            n_events: n1,
            z: zc,
            coefficients: beta,
            std_errors,
            cov,
            fitted: mu,
            y: y.to_vec(),
            log_likelihood: ll,
            null_log_likelihood: ll0,
            deviance_history: history,
            iterations,
        })
    }
}

/// ln(1 + e^x) without overflow.
pub(crate) fn log1pexp(x: f64) -> f64 {
    if x > 0.0 {
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

/// The logistic function without overflow.
pub(crate) fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

fn upper_r(xw: DMatrix<f64>, names: &[String]) -> Result<DMatrix<f64>> {
    let k = xw.ncols();
    let qr = xw.qr();
    let r = qr.r();
    check_rank(&r, k, names)?;
    Ok(r)
}

fn check_rank(r: &DMatrix<f64>, k: usize, names: &[String]) -> Result<()> {
    let dmax = (0..k).map(|j| r[(j, j)].abs()).fold(0.0f64, f64::max);
    let bad: Vec<String> = (0..k)
        .filter(|&j| r[(j, j)].is_nan() || r[(j, j)].abs() <= 1e-10 * dmax)
        .map(|j| names[j].clone())
        .collect();
    if bad.is_empty() {
        Ok(())
    } else {
        Err(Error::RankDeficient { columns: bad })
    }
}

/// Least squares `min ||A b - z||` by Householder QR.
fn qr_solve(a: DMatrix<f64>, z: &mut DVector<f64>, names: &[String]) -> Result<DVector<f64>> {
    let k = a.ncols();
    let qr = a.qr();
    let r = qr.r();
    check_rank(&r, k, names)?;
    qr.q_tr_mul(z);
    let c = z.rows(0, k).into_owned();
    let b = r
        .solve_upper_triangular(&c)
        .ok_or_else(|| Error::RankDeficient {
            columns: names.to_vec(),
        })?;
    Ok(b)
}

/// A fitted logistic regression. Made by [`Logistic::fit`].
#[derive(Debug, Clone, Serialize)]
#[must_use]
pub struct LogisticFit {
    options: Logistic,
    names: Vec<String>,
    n: usize,
    n_events: f64,
    z: f64,
    coefficients: DVector<f64>,
    std_errors: DVector<f64>,
    cov: DMatrix<f64>,
    fitted: DVector<f64>,
    y: Vec<f64>,
    log_likelihood: f64,
    null_log_likelihood: f64,
    deviance_history: Vec<f64>,
    iterations: usize,
}

impl LogisticFit {
    /// The options used.
    pub fn options(&self) -> &Logistic {
        &self.options
    }
    /// Parameter names, `(Intercept)` first when present.
    pub fn names(&self) -> &[String] {
        &self.names
    }
    /// Number of observations.
    pub fn nobs(&self) -> usize {
        self.n
    }
    /// Number of observations with y = 1.
    pub fn n_events(&self) -> f64 {
        self.n_events
    }
    /// Coefficients B (log odds ratios).
    pub fn coefficients(&self) -> &DVector<f64> {
        &self.coefficients
    }
    /// Standard errors.
    pub fn std_errors(&self) -> &DVector<f64> {
        &self.std_errors
    }
    /// Covariance of the coefficients.
    pub fn cov_params(&self) -> &DMatrix<f64> {
        &self.cov
    }
    /// Wald chi-square statistics `(B / SE)^2` (1 df each).
    pub fn wald(&self) -> DVector<f64> {
        self.coefficients
            .component_div(&self.std_errors)
            .map(|z| z * z)
    }
    /// p values of the Wald statistics.
    pub fn p_values(&self) -> DVector<f64> {
        self.wald().map(|w| chi2_sf(w, 1.0).unwrap_or(1.0))
    }
    /// Odds ratios `Exp(B)`.
    pub fn odds_ratios(&self) -> DVector<f64> {
        self.coefficients.map(f64::exp)
    }
    /// Odds-ratio intervals `exp(B ± z SE)`.
    pub fn odds_ratio_intervals(&self) -> Vec<(f64, f64)> {
        self.coefficients
            .iter()
            .zip(self.std_errors.iter())
            .map(|(b, s)| ((b - self.z * s).exp(), (b + self.z * s).exp()))
            .collect()
    }
    /// Fitted probabilities.
    pub fn fitted_probabilities(&self) -> &DVector<f64> {
        &self.fitted
    }
    /// Log-likelihood.
    pub fn log_likelihood(&self) -> f64 {
        self.log_likelihood
    }
    /// Log-likelihood of the constant-only model (of the empty model without intercept).
    pub fn null_log_likelihood(&self) -> f64 {
        self.null_log_likelihood
    }
    /// -2 log-likelihood.
    pub fn minus_two_ll(&self) -> f64 {
        -2.0 * self.log_likelihood
    }
    /// -2LL at the start and after each iteration.
    pub fn iteration_history(&self) -> &[f64] {
        &self.deviance_history
    }
    /// IRLS iterations.
    pub fn iterations(&self) -> usize {
        self.iterations
    }
    /// Omnibus likelihood-ratio test against the null model `(chi2, df, p)`.
    pub fn likelihood_ratio_test(&self) -> (f64, usize, f64) {
        let s = 2.0 * (self.log_likelihood - self.null_log_likelihood);
        let df = self.names.len() - usize::from(self.options.intercept);
        (s, df, chi2_sf(s, df as f64).unwrap_or(1.0))
    }
    /// Cox & Snell R².
    pub fn cox_snell_r2(&self) -> f64 {
        1.0 - ((2.0 / self.n as f64) * (self.null_log_likelihood - self.log_likelihood)).exp()
    }
    /// Nagelkerke R² (Cox & Snell scaled to a maximum of 1).
    pub fn nagelkerke_r2(&self) -> f64 {
        let max = 1.0 - (2.0 * self.null_log_likelihood / self.n as f64).exp();
        self.cox_snell_r2() / max
    }
    /// McFadden's pseudo R² `1 - LL / LL0`.
    pub fn mcfadden_r2(&self) -> f64 {
        1.0 - self.log_likelihood / self.null_log_likelihood
    }

    /// Predicted probabilities for new rows (columns as in the fit, without a constant).
    ///
    /// # Errors
    ///
    /// [`Error::DimensionMismatch`] on a wrong column count; [`Error::NonFinite`] on NaN.
    pub fn predict(&self, x_new: &DMatrix<f64>) -> Result<DVector<f64>> {
        let off = usize::from(self.options.intercept);
        validate::same_len("columns of `x_new`", self.names.len() - off, x_new.ncols())?;
        validate::matrix_finite("x_new", x_new)?;
        Ok(DVector::from_fn(x_new.nrows(), |i, _| {
            let mut eta = if off == 1 { self.coefficients[0] } else { 0.0 };
            for j in 0..x_new.ncols() {
                eta += self.coefficients[j + off] * x_new[(i, j)];
            }
            sigmoid(eta)
        }))
    }

    /// The Hosmer-Lemeshow goodness-of-fit test with the options' number of groups.
    ///
    /// Observations are sorted by fitted probability and cut into groups of (nearly) equal
    /// size; tied probabilities are kept in one group, so fewer groups may result. df = groups - 2.
    pub fn hosmer_lemeshow(&self) -> HosmerLemeshow {
        let g = self.options.hosmer_lemeshow_groups;
        let n = self.n;
        let mut idx: Vec<usize> = (0..n).collect();
        idx.sort_by(|&a, &b| self.fitted[a].total_cmp(&self.fitted[b]));
        let mut rows = Vec::new();
        let mut start = 0;
        for k in 1..=g {
            if start >= n {
                break;
            }
            let mut end = (k * n / g).max(start + 1).min(n);
            while end < n && same(self.fitted[idx[end]], self.fitted[idx[end - 1]]) {
                end += 1;
            }
            if k == g {
                end = n;
            }
            let (mut o1, mut e1) = (0.0, 0.0);
            for &i in &idx[start..end] {
                o1 += self.y[i];
                e1 += self.fitted[i];
            }
            let size = (end - start) as f64;
            rows.push([size, o1, e1, size - o1, size - e1]);
            start = end;
        }
        let chi: f64 = rows
            .iter()
            .map(|r| {
                let a = if r[2] > 0.0 {
                    (r[1] - r[2]).powi(2) / r[2]
                } else {
                    0.0
                };
                let b = if r[4] > 0.0 {
                    (r[3] - r[4]).powi(2) / r[4]
                } else {
                    0.0
                };
                a + b
            })
            .sum();
        let df = rows.len().saturating_sub(2);
        HosmerLemeshow {
            chi_square: chi,
            df,
            p_value: chi2_sf(chi, df as f64),
            groups: rows,
        }
    }

    /// The classification table at `cutoff` (predict 1 when `p >= cutoff`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] unless the cut-off is in (0, 1).
    pub fn classification_table(&self, cutoff: f64) -> Result<ClassificationTable> {
        validate::open_unit("cutoff", cutoff)?;
        let mut t = ClassificationTable {
            cutoff,
            true_negative: 0,
            false_positive: 0,
            false_negative: 0,
            true_positive: 0,
        };
        for (p, &y) in self.fitted.iter().zip(&self.y) {
            match (y > 0.5, *p >= cutoff) {
                (false, false) => t.true_negative += 1,
                (false, true) => t.false_positive += 1,
                (true, false) => t.false_negative += 1,
                (true, true) => t.true_positive += 1,
            }
        }
        Ok(t)
    }

    /// The SPSS-style report.
    pub fn report(&self) -> LogisticReport {
        let wald = self.wald();
        let p = self.p_values();
        let ci = self.odds_ratio_intervals();
        let cutoff = self.options.cutoff;
        LogisticReport {
            n: self.n,
            n_events: self.n_events,
            confidence_level: self.options.confidence_level,
            iteration_history: self.deviance_history.clone(),
            minus_two_ll: self.minus_two_ll(),
            null_minus_two_ll: -2.0 * self.null_log_likelihood,
            omnibus: self.likelihood_ratio_test(),
            cox_snell_r2: self.cox_snell_r2(),
            nagelkerke_r2: self.nagelkerke_r2(),
            hosmer_lemeshow: self.hosmer_lemeshow(),
            classification: self
                .classification_table(cutoff)
                .unwrap_or(ClassificationTable {
                    cutoff,
                    true_negative: 0,
                    false_positive: 0,
                    false_negative: 0,
                    true_positive: 0,
                }),
            rows: (0..self.names.len())
                .map(|j| LogisticCoefficientRow {
                    name: self.names[j].clone(),
                    b: self.coefficients[j],
                    std_error: self.std_errors[j],
                    wald: wald[j],
                    df: 1,
                    p_value: p[j],
                    odds_ratio: self.coefficients[j].exp(),
                    or_lower: ci[j].0,
                    or_upper: ci[j].1,
                })
                .collect(),
        }
    }
}

/// The Hosmer-Lemeshow test. Made by [`LogisticFit::hosmer_lemeshow`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct HosmerLemeshow {
    /// The chi-square statistic.
    pub chi_square: f64,
    /// Degrees of freedom (groups - 2).
    pub df: usize,
    /// p value; `None` with fewer than 3 groups.
    pub p_value: Option<f64>,
    /// Per group: `[size, observed 1, expected 1, observed 0, expected 0]`.
    pub groups: Vec<[f64; 5]>,
}

/// A 2 x 2 classification table. Made by [`LogisticFit::classification_table`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ClassificationTable {
    /// The cut-off.
    pub cutoff: f64,
    /// Observed 0, predicted 0.
    pub true_negative: usize,
    /// Observed 0, predicted 1.
    pub false_positive: usize,
    /// Observed 1, predicted 0.
    pub false_negative: usize,
    /// Observed 1, predicted 1.
    pub true_positive: usize,
}

impl ClassificationTable {
    /// Share of all observations classified correctly.
    pub fn accuracy(&self) -> f64 {
        let n = self.true_negative + self.false_positive + self.false_negative + self.true_positive;
        (self.true_negative + self.true_positive) as f64 / n.max(1) as f64
    }
    /// Sensitivity (recall of churners); `None` without observed 1s.
    pub fn sensitivity(&self) -> Option<f64> {
        let d = self.true_positive + self.false_negative;
        (d > 0).then(|| self.true_positive as f64 / d as f64)
    }
    /// Specificity; `None` without observed 0s.
    pub fn specificity(&self) -> Option<f64> {
        let d = self.true_negative + self.false_positive;
        (d > 0).then(|| self.true_negative as f64 / d as f64)
    }
}

impl fmt::Display for ClassificationTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Classification table (cut value {:.3})", self.cutoff)?;
        writeln!(
            f,
            "{:<14} {:>10} {:>10} {:>10}",
            "observed", "pred 0", "pred 1", "% correct"
        )?;
        let pc = |a: usize, b: usize| 100.0 * a as f64 / (a + b).max(1) as f64;
        writeln!(
            f,
            "{:<14} {:>10} {:>10} {:>10.1}",
            "0",
            self.true_negative,
            self.false_positive,
            pc(self.true_negative, self.false_positive)
        )?;
        writeln!(
            f,
            "{:<14} {:>10} {:>10} {:>10.1}",
            "1",
            self.false_negative,
            self.true_positive,
            pc(self.true_positive, self.false_negative)
        )?;
        writeln!(f, "{:<14} {:>32.1}", "overall %", 100.0 * self.accuracy())
    }
}

/// One row of "Variables in the Equation".
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct LogisticCoefficientRow {
    /// Parameter name.
    pub name: String,
    /// B.
    pub b: f64,
    /// S.E.
    pub std_error: f64,
    /// Wald chi-square.
    pub wald: f64,
    /// df (1).
    pub df: usize,
    /// Sig.
    pub p_value: f64,
    /// Exp(B).
    pub odds_ratio: f64,
    /// Lower limit of Exp(B).
    pub or_lower: f64,
    /// Upper limit of Exp(B).
    pub or_upper: f64,
}

/// The SPSS LOGISTIC REGRESSION-like report of a [`LogisticFit`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct LogisticReport {
    /// Observations.
    pub n: usize,
    /// Observations with y = 1.
    pub n_events: f64,
    /// Level of the Exp(B) intervals.
    pub confidence_level: f64,
    /// -2LL per iteration.
    pub iteration_history: Vec<f64>,
    /// -2LL of the model.
    pub minus_two_ll: f64,
    /// -2LL of the null model.
    pub null_minus_two_ll: f64,
    /// Omnibus test (chi2, df, p).
    pub omnibus: (f64, usize, f64),
    /// Cox & Snell R².
    pub cox_snell_r2: f64,
    /// Nagelkerke R².
    pub nagelkerke_r2: f64,
    /// Hosmer-Lemeshow test.
    pub hosmer_lemeshow: HosmerLemeshow,
    /// Classification table at the options' cut-off.
    pub classification: ClassificationTable,
    /// Variables in the equation.
    pub rows: Vec<LogisticCoefficientRow>,
}

impl fmt::Display for LogisticReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Logistic regression: N = {}, events = {}",
            self.n, self.n_events
        )?;
        writeln!(
            f,
            "Iteration history (-2LL): {}",
            self.iteration_history
                .iter()
                .map(|d| format!("{d:.3}"))
                .collect::<Vec<_>>()
                .join(", ")
        )?;
        let (c, df, p) = self.omnibus;
        writeln!(
            f,
            "Omnibus test of model coefficients: chi-square = {c:.3}, df = {df}, Sig. = {}",
            fmt_p(Some(p))
        )?;
        writeln!(
            f,
            "Model summary: -2LL = {:.3}, Cox & Snell R² = {:.3}, Nagelkerke R² = {:.3}",
            self.minus_two_ll, self.cox_snell_r2, self.nagelkerke_r2
        )?;
        let hl = &self.hosmer_lemeshow;
        writeln!(
            f,
            "Hosmer and Lemeshow test: chi-square = {:.3}, df = {}, Sig. = {}",
            hl.chi_square,
            hl.df,
            fmt_p(hl.p_value)
        )?;
        write!(f, "{}", self.classification)?;
        let lvl = self.confidence_level * 100.0;
        writeln!(f, "Variables in the equation")?;
        let wn = self
            .rows
            .iter()
            .map(|r| r.name.len())
            .max()
            .unwrap_or(0)
            .max(8);
        writeln!(
            f,
            "{:<wn$} {:>10} {:>9} {:>10} {:>3} {:>9} {:>9} {:>9} {:>9}",
            "",
            "B",
            "S.E.",
            "Wald",
            "df",
            "Sig.",
            "Exp(B)",
            format!("L{lvl:.0}%"),
            format!("U{lvl:.0}%")
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "{:<wn$} {:>10.4} {:>9.4} {:>10.3} {:>3} {:>9} {:>9.4} {:>9.4} {:>9.4}",
                r.name,
                r.b,
                r.std_error,
                r.wald,
                r.df,
                fmt_p(Some(r.p_value)),
                r.odds_ratio,
                r.or_lower,
                r.or_upper
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturated_two_by_two_closed_form() {
        // x = 0: 1 of 4 churn; x = 1: 3 of 4 churn.
        // b0 = logit(1/4) = -ln 3; b1 = logit(3/4) - logit(1/4) = 2 ln 3.
        // se(b1)^2 = 1/1 + 1/3 + 1/3 + 1/1 = 8/3 (cell counts 1,3 | 3,1).
        let x = DMatrix::from_column_slice(8, 1, &[0., 0., 0., 0., 1., 1., 1., 1.]);
        let y = [1., 0., 0., 0., 1., 1., 1., 0.];
        let fit = Logistic::new().fit(&x, &y).unwrap();
        assert!((fit.coefficients()[0] + 3f64.ln()).abs() < 1e-9);
        assert!((fit.coefficients()[1] - 2.0 * 3f64.ln()).abs() < 1e-9);
        assert!((fit.std_errors()[1] - (8.0f64 / 3.0).sqrt()).abs() < 1e-8);
        // -2LL = -2 [2(ln .75) + 2·3... ]: each group: 1·ln(1/4) + 3·ln(3/4)
        let ll = 2.0 * (0.25f64.ln() + 3.0 * 0.75f64.ln());
        assert!((fit.log_likelihood() - ll).abs() < 1e-9);
        assert!((fit.null_log_likelihood() - 8.0 * 0.5f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn complete_separation_is_typed() {
        let x = DMatrix::from_column_slice(6, 1, &[1., 2., 3., 4., 5., 6.]);
        let y = [0., 0., 0., 1., 1., 1.];
        let e = Logistic::new().fit_named(&x, &y, &["calls"]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "logistic regression: separation on calls: the estimates diverge (drop, merge or penalise these predictors)"
        );
    }
}
