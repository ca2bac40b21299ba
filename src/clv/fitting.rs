//! Shared fitting machinery for the transaction and spend models: options, the weighted
//! penalised objective on log-parameters, Hessian standard errors.

use serde::{Deserialize, Serialize};

use crate::numeric::optim::{self, Minimum, Settings};
use crate::{Error, Result};

/// Options shared by every maximum-likelihood fit of the non-contractual models
/// ([`BgNbd`](super::BgNbd), [`MbgNbd`](super::MbgNbd), [`ParetoNbd`](super::ParetoNbd),
/// [`BgBb`](super::BgBb), [`GammaGamma`](super::GammaGamma)).
///
/// The fit minimises, over the logarithms of the (positive) parameters `p_j`,
///
/// ```text
/// objective = -LL / N + penalty · Σ_j p_j²
/// ```
///
/// where `LL` is the full weighted log-likelihood and `N` the total weight (the stated L2
/// penalty is the one lifetimes calls `penalizer_coef`; 0 gives the MLE). BFGS starts from
/// documented deterministic values, so two runs give the same answer.
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `max_iter` | 1000 | BFGS iteration limit | >= 1 |
/// | `tolerance` | 1e-9 | max gradient component of the objective (log-parameters) | finite, > 0 |
/// | `penalty` | 0 | L2 penalty on the natural parameters | finite, >= 0 |
///
/// # Example
///
/// ```
/// use crm_analytics::clv::FitOptions;
/// let o = FitOptions::new().penalty(0.001);
/// assert_eq!(o.get_penalty(), 0.001);
/// assert_eq!(FitOptions::new(), FitOptions::default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FitOptions {
    max_iter: usize,
    tolerance: f64,
    penalty: f64,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            max_iter: 1000,
            tolerance: 1e-9,
            penalty: 0.0,
        }
    }
}

impl FitOptions {
    /// Defaults (see the table).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }
    /// BFGS iteration limit.
    ///
    /// # Errors
    ///
    /// Fits return [`Error::InvalidOption`] when 0.
    #[must_use]
    pub fn max_iter(mut self, n: usize) -> Self {
        self.max_iter = n;
        self
    }
    /// Gradient tolerance.
    ///
    /// # Errors
    ///
    /// Fits return [`Error::InvalidOption`] unless finite and > 0.
    #[must_use]
    pub fn tolerance(mut self, t: f64) -> Self {
        self.tolerance = t;
        self
    }
    /// L2 penalty coefficient.
    ///
    /// # Errors
    ///
    /// Fits return [`Error::InvalidOption`] unless finite and >= 0.
    #[must_use]
    pub fn penalty(mut self, p: f64) -> Self {
        self.penalty = p;
        self
    }
    /// The iteration limit.
    #[must_use]
    pub fn get_max_iter(&self) -> usize {
        self.max_iter
    }
    /// The gradient tolerance.
    #[must_use]
    pub fn get_tolerance(&self) -> f64 {
        self.tolerance
    }
    /// The L2 penalty.
    #[must_use]
    pub fn get_penalty(&self) -> f64 {
        self.penalty
    }

    pub(crate) fn validate(&self) -> Result<()> {
        if self.max_iter == 0 {
            return Err(Error::option("max_iter", 0.0, ">= 1"));
        }
        crate::validate::positive("tolerance", self.tolerance)?;
        crate::validate::non_negative("penalty", self.penalty)
    }
}

/// Minimise the penalised objective. `ll(p, g)` returns the weighted log-likelihood at the
/// natural parameters `p` and writes its gradient in `p` into `g` (NaN/inf = infeasible).
/// Returns the natural parameters, the record and Hessian standard errors. With
/// `analytic = false`, `ll` is called with an empty gradient slice when only the value is needed.
pub(crate) fn fit_positive<F>(
    what: &str,
    opts: &FitOptions,
    n: f64,
    start: &[f64],
    analytic: bool,
    mut ll: F,
) -> Result<(
    Vec<f64>,
    crate::numeric::optim::Convergence,
    Option<Vec<f64>>,
)>
where
    F: FnMut(&[f64], &mut [f64]) -> f64,
{
    opts.validate()?;
    let k = start.len();
    let pen = opts.penalty;
    let mut gp = vec![0.0; k];
    let mut p = vec![0.0; k];
    let obj = |th: &[f64], g: &mut [f64], ll: &mut F, p: &mut Vec<f64>, gp: &mut Vec<f64>| -> f64 {
        for j in 0..k {
            p[j] = th[j].exp();
        }
        if p.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
            return f64::NAN;
        }
        let l = ll(p, gp);
        let mut f = -l / n;
        for j in 0..k {
            f += pen * p[j] * p[j];
            g[j] = (-gp[j] / n + 2.0 * pen * p[j]) * p[j];
        }
        f
    };
    let th0: Vec<f64> = start.iter().map(|v| v.ln()).collect();
    let settings = Settings {
        max_iter: opts.max_iter,
        gtol: opts.tolerance,
        ..Settings::default()
    };
    let Minimum { x, record } =
        optim::minimize(|th, g| obj(th, g, &mut ll, &mut p, &mut gp), &th0, settings).ok_or_else(
            || Error::NotConverged {
                what: format!("{what} maximum likelihood (log-likelihood not finite at the start)"),
                iterations: 0,
                last_change: f64::NAN,
            },
        )?;
    let est: Vec<f64> = x.iter().map(|v| v.exp()).collect();
    // Hessian of the penalised negative log-likelihood (times N) in natural parameters:
    // from the analytic gradient when there is one, else from values (an empty gradient
    // slice tells `ll` to skip its finite-difference gradient).
    let se = if analytic {
        let mut grad = |q: &[f64], g: &mut [f64]| -> bool {
            if q.iter().any(|v| !(*v > 0.0)) {
                return false;
            }
            let mut gg = vec![0.0; k];
            let l = ll(q, &mut gg);
            for j in 0..k {
                g[j] = -gg[j] + 2.0 * pen * n * q[j];
            }
            l.is_finite() && g.iter().all(|v| v.is_finite())
        };
        optim::hessian_from_gradient(&mut grad, &est)
    } else {
        let mut val = |q: &[f64]| -> f64 {
            if q.iter().any(|v| !(*v > 0.0)) {
                return f64::NAN;
            }
            -ll(q, &mut []) + pen * n * q.iter().map(|v| v * v).sum::<f64>()
        };
        optim::hessian_from_values(&mut val, &est)
    }
    .and_then(|h| optim::std_errors(&h));
    Ok((est, record, se))
}
