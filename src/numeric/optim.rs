//! A small BFGS minimiser for smooth likelihoods in a handful of parameters.
//!
//! Used by every maximum-likelihood fit in [`crate::clv`] (on log-parameters) and available to
//! other modules. It never throws away a good point: the record it returns always holds the
//! best objective value seen, together with *why* it stopped ([`StopReason`]), so a caller can
//! accept an optimum whose gradient test failed by a hair (the lifetimes "ConvergenceError"
//! complaint) and tell it apart from a genuine failure.
//!
//! # Method
//!
//! ```text
//! BFGS on the inverse Hessian H, starting from H = I;
//! direction p = -H g; backtracking line search from step 1 (capped at `max_step` in
//! Euclidean norm) with the Armijo condition f(x + t p) <= f(x) + 1e-4 t g'p;
//! the update is skipped when s'y <= 1e-12 |s||y| (curvature condition fails);
//! H is reset to I after a failed line search, and the search stops after two in a row.
//! Stop when max|g_i| <= gtol (StopReason::Gradient) or when the relative change of f over
//! an iteration is below ftol twice in a row (StopReason::Objective).
//! ```
//!
//! Gradients come from the caller (analytic) or from [`central_gradient`]; the Hessian for
//! standard errors from [`hessian_from_gradient`] (central differences of the gradient).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why an iterative fit stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum StopReason {
    /// The largest gradient component fell below the gradient tolerance: converged.
    Gradient,
    /// The objective stopped changing (relative change below the tolerance twice in a row):
    /// converged in value, the gradient test may not have been met.
    Objective,
    /// The iteration limit was reached; the best point found is kept.
    MaxIterations,
    /// The line search could not decrease the objective along the search direction even
    /// after a restart; usually a flat or numerically noisy optimum. The best point is kept.
    LineSearch,
}

impl StopReason {
    /// `true` for [`StopReason::Gradient`] and [`StopReason::Objective`].
    #[must_use]
    pub fn converged(self) -> bool {
        matches!(self, StopReason::Gradient | StopReason::Objective)
    }
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StopReason::Gradient => "gradient below tolerance",
            StopReason::Objective => "objective change below tolerance",
            StopReason::MaxIterations => "iteration limit reached",
            StopReason::LineSearch => "line search could not improve",
        })
    }
}

/// The record of an iterative fit: what it did and why it stopped.
///
/// The parameters of a fitted model are always the best point found, whatever the reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Convergence {
    /// Why the optimiser stopped.
    pub reason: StopReason,
    /// Number of BFGS iterations.
    pub iterations: usize,
    /// Number of objective (and gradient) evaluations.
    pub evaluations: usize,
    /// Largest absolute gradient component of the minimised objective, on the optimiser's
    /// scale (log-parameters), at the returned point.
    pub gradient_max: f64,
    /// The minimised objective at the returned point.
    pub objective: f64,
}

impl Convergence {
    /// `true` when the fit stopped on the gradient or the objective test.
    #[must_use]
    pub fn converged(&self) -> bool {
        self.reason.converged()
    }
}

impl fmt::Display for Convergence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} after {} iterations ({} evaluations), max |gradient| {:.3e}",
            self.reason, self.iterations, self.evaluations, self.gradient_max
        )
    }
}

/// Settings of [`minimize`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    pub(crate) max_iter: usize,
    pub(crate) gtol: f64,
    pub(crate) ftol: f64,
    pub(crate) max_step: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_iter: 500,
            gtol: 1e-8,
            ftol: 1e-14,
            max_step: 5.0,
        }
    }
}

/// Result of [`minimize`]: the best point, its value and the record.
#[derive(Debug, Clone)]
pub(crate) struct Minimum {
    pub(crate) x: Vec<f64>,
    pub(crate) record: Convergence,
}

/// Minimise `f` from `x0`. `f(x, g)` returns the objective and writes the gradient into `g`;
/// a non-finite value marks `x` as infeasible (the line search backs off). Returns `None`
/// only when `f` is not finite at the start.
pub(crate) fn minimize<F>(mut f: F, x0: &[f64], s: Settings) -> Option<Minimum>
where
    F: FnMut(&[f64], &mut [f64]) -> f64,
{
    let n = x0.len();
    let mut x = x0.to_vec();
    let mut g = vec![0.0; n];
    let mut fx = f(&x, &mut g);
    let mut evals = 1usize;
    if !fx.is_finite() || g.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let mut h = identity(n);
    let mut small_changes = 0;
    let mut failures = 0;
    let mut reason = StopReason::MaxIterations;
    let mut iter = 0;
    let mut xn = vec![0.0; n];
    let mut gn = vec![0.0; n];
    while iter < s.max_iter {
        if max_abs(&g) <= s.gtol {
            reason = StopReason::Gradient;
            break;
        }
        iter += 1;
        let mut p: Vec<f64> = (0..n)
            .map(|i| -(0..n).map(|j| h[i][j] * g[j]).sum::<f64>())
            .collect();
        let mut slope: f64 = p.iter().zip(&g).map(|(a, b)| a * b).sum();
        if !(slope < 0.0) {
            h = identity(n);
            p = g.iter().map(|v| -v).collect();
            slope = -g.iter().map(|v| v * v).sum::<f64>();
        }
        let norm = p.iter().map(|v| v * v).sum::<f64>().sqrt();
        let mut t = if norm > s.max_step {
            s.max_step / norm
        } else {
            1.0
        };
        let mut accepted = false;
        let mut fnew = f64::INFINITY;
        for _ in 0..60 {
            for i in 0..n {
                xn[i] = x[i] + t * p[i];
            }
            fnew = f(&xn, &mut gn);
            evals += 1;
            if fnew.is_finite() && gn.iter().all(|v| v.is_finite()) && fnew <= fx + 1e-4 * t * slope
            {
                accepted = true;
                break;
            }
            t *= 0.5;
        }
        if !accepted {
            failures += 1;
            if failures >= 2 {
                reason = StopReason::LineSearch;
                break;
            }
            h = identity(n);
            continue;
        }
        failures = 0;
        let sv: Vec<f64> = (0..n).map(|i| xn[i] - x[i]).collect();
        let yv: Vec<f64> = (0..n).map(|i| gn[i] - g[i]).collect();
        let sy: f64 = sv.iter().zip(&yv).map(|(a, b)| a * b).sum();
        let sn = sv.iter().map(|v| v * v).sum::<f64>().sqrt();
        let yn = yv.iter().map(|v| v * v).sum::<f64>().sqrt();
        if sy > 1e-12 * sn * yn {
            bfgs_update(&mut h, &sv, &yv, sy);
        }
        let change = (fx - fnew).abs() / fx.abs().max(1.0);
        x.copy_from_slice(&xn);
        g.copy_from_slice(&gn);
        fx = fnew;
        if change < s.ftol {
            small_changes += 1;
            if small_changes >= 2 {
                reason = if max_abs(&g) <= s.gtol {
                    StopReason::Gradient
                } else {
                    StopReason::Objective
                };
                break;
            }
        } else {
            small_changes = 0;
        }
    }
    if reason == StopReason::MaxIterations && max_abs(&g) <= s.gtol {
        reason = StopReason::Gradient;
    }
    Some(Minimum {
        x,
        record: Convergence {
            reason,
            iterations: iter,
            evaluations: evals,
            gradient_max: max_abs(&g),
            objective: fx,
        },
    })
}

fn identity(n: usize) -> Vec<Vec<f64>> {
    (0..n)
        .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect()
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0f64, |m, x| m.max(x.abs()))
}

fn bfgs_update(h: &mut [Vec<f64>], s: &[f64], y: &[f64], sy: f64) {
    let n = s.len();
    let rho = 1.0 / sy;
    let hy: Vec<f64> = (0..n)
        .map(|i| (0..n).map(|j| h[i][j] * y[j]).sum())
        .collect();
    let yhy: f64 = y.iter().zip(&hy).map(|(a, b)| a * b).sum();
    for i in 0..n {
        for j in 0..n {
            h[i][j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
        }
    }
}

/// Central-difference gradient of `f` at `x` (step `1e-6 · max(1, |x_i|)`).
pub(crate) fn central_gradient<F>(f: &mut F, x: &[f64], g: &mut [f64])
where
    F: FnMut(&[f64]) -> f64,
{
    let mut xp = x.to_vec();
    for i in 0..x.len() {
        let h = 1e-6 * x[i].abs().max(1.0);
        xp[i] = x[i] + h;
        let fp = f(&xp);
        xp[i] = x[i] - h;
        let fm = f(&xp);
        xp[i] = x[i];
        g[i] = (fp - fm) / (2.0 * h);
    }
}

/// Gradient for optimisation: forward differences (n + 1 evaluations, `f(x)` given) while
/// the gradient is large, central differences once its largest component is below `switch`,
/// so that tight gradient tolerances can still be met near the optimum.
pub(crate) fn adaptive_gradient<F>(f: &mut F, x: &[f64], fx: f64, g: &mut [f64], switch: f64)
where
    F: FnMut(&[f64]) -> f64,
{
    let mut xp = x.to_vec();
    for i in 0..x.len() {
        let h = 1e-7 * x[i].abs().max(1.0);
        xp[i] = x[i] + h;
        g[i] = (f(&xp) - fx) / h;
        xp[i] = x[i];
    }
    if max_abs(g) < switch {
        central_gradient(f, x, g);
    }
}

/// Symmetrised central-difference Hessian from function values (`1 + 2n + 2n(n-1)`
/// evaluations); `None` when a value is not finite.
pub(crate) fn hessian_from_values<F>(f: &mut F, x: &[f64]) -> Option<Vec<Vec<f64>>>
where
    F: FnMut(&[f64]) -> f64,
{
    let n = x.len();
    let h: Vec<f64> = x.iter().map(|v| 1e-4 * v.abs().max(1e-3)).collect();
    let f0 = f(x);
    let mut hm = vec![vec![0.0; n]; n];
    let mut xp = x.to_vec();
    for i in 0..n {
        xp[i] = x[i] + h[i];
        let fp = f(&xp);
        xp[i] = x[i] - h[i];
        let fm = f(&xp);
        xp[i] = x[i];
        hm[i][i] = (fp - 2.0 * f0 + fm) / (h[i] * h[i]);
        for j in 0..i {
            let mut e = [0.0; 4];
            for (k, (si, sj)) in [(1.0, 1.0), (1.0, -1.0), (-1.0, 1.0), (-1.0, -1.0)]
                .iter()
                .enumerate()
            {
                xp[i] = x[i] + si * h[i];
                xp[j] = x[j] + sj * h[j];
                e[k] = f(&xp);
            }
            xp[i] = x[i];
            xp[j] = x[j];
            let v = (e[0] - e[1] - e[2] + e[3]) / (4.0 * h[i] * h[j]);
            hm[i][j] = v;
            hm[j][i] = v;
        }
    }
    (f0.is_finite() && hm.iter().flatten().all(|v| v.is_finite())).then_some(hm)
}

/// Symmetrised central-difference Hessian from a gradient function; `None` when a
/// gradient evaluation is not finite.
pub(crate) fn hessian_from_gradient<G>(grad: &mut G, x: &[f64]) -> Option<Vec<Vec<f64>>>
where
    G: FnMut(&[f64], &mut [f64]) -> bool,
{
    let n = x.len();
    let mut hm = vec![vec![0.0; n]; n];
    let mut xp = x.to_vec();
    let mut gp = vec![0.0; n];
    let mut gm = vec![0.0; n];
    for i in 0..n {
        let h = 1e-5 * x[i].abs().max(1e-3);
        xp[i] = x[i] + h;
        if !grad(&xp, &mut gp) {
            return None;
        }
        xp[i] = x[i] - h;
        if !grad(&xp, &mut gm) {
            return None;
        }
        xp[i] = x[i];
        for (j, row) in hm.iter_mut().enumerate() {
            row[i] = (gp[j] - gm[j]) / (2.0 * h);
        }
    }
    let snapshot = hm.clone();
    for (i, row) in hm.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            *v = 0.5 * (snapshot[i][j] + snapshot[j][i]);
        }
    }
    hm.iter().flatten().all(|v| v.is_finite()).then_some(hm)
}

/// Standard errors `sqrt(diag(H^-1))` of a positive-definite Hessian; `None` when it is not
/// positive definite.
pub(crate) fn std_errors(hm: &[Vec<f64>]) -> Option<Vec<f64>> {
    let n = hm.len();
    let m = nalgebra::DMatrix::from_fn(n, n, |i, j| hm[i][j]);
    let inv = m.cholesky()?.inverse();
    let se: Vec<f64> = (0..n).map(|i| inv[(i, i)].sqrt()).collect();
    se.iter().all(|v| v.is_finite() && *v > 0.0).then_some(se)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn rosenbrock() {
        // Minimum at (1, 1) with value 0.
        let f = |x: &[f64], g: &mut [f64]| {
            g[0] = -2.0 * (1.0 - x[0]) - 400.0 * x[0] * (x[1] - x[0] * x[0]);
            g[1] = 200.0 * (x[1] - x[0] * x[0]);
            (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2)
        };
        let m = minimize(f, &[-1.2, 1.0], Settings::default()).unwrap();
        assert!(
            (m.x[0] - 1.0).abs() < 1e-6 && (m.x[1] - 1.0).abs() < 1e-6,
            "{:?}",
            m.x
        );
        assert!(m.record.converged());
    }

    #[test]
    fn value_hessian_of_a_quadratic() {
        // f = x^2 + 2 y^2 + x y: H = [[2, 1], [1, 4]]
        let mut f = |x: &[f64]| x[0] * x[0] + 2.0 * x[1] * x[1] + x[0] * x[1];
        let h = hessian_from_values(&mut f, &[0.3, -0.2]).unwrap();
        assert!(
            (h[0][0] - 2.0).abs() < 1e-5
                && (h[0][1] - 1.0).abs() < 1e-5
                && (h[1][1] - 4.0).abs() < 1e-5
        );
        let mut g = [0.0; 2];
        let f0 = f(&[0.3, -0.2]);
        adaptive_gradient(&mut f, &[0.3, -0.2], f0, &mut g, 1e-3);
        assert!((g[0] - 0.4).abs() < 1e-5 && (g[1] + 0.5).abs() < 1e-5);
    }

    #[test]
    fn quadratic_hessian_and_se() {
        // f = x^2 + 2 y^2 + x y: H = [[2, 1], [1, 4]], inverse diag = 4/7, 2/7
        let mut g = |x: &[f64], g: &mut [f64]| {
            g[0] = 2.0 * x[0] + x[1];
            g[1] = 4.0 * x[1] + x[0];
            true
        };
        let h = hessian_from_gradient(&mut g, &[0.3, -0.2]).unwrap();
        let se = std_errors(&h).unwrap();
        assert!((se[0] - (4.0f64 / 7.0).sqrt()).abs() < 1e-8);
        assert!((se[1] - (2.0f64 / 7.0).sqrt()).abs() < 1e-8);
    }
}
