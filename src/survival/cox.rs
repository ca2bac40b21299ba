//! Cox proportional-hazards regression: which customer attributes raise the hazard of churn.

use std::fmt;

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

use super::data::{
    check_durations_events, chi2_sf, fmt_p, normal_two_sided_p, order_by, same, z_crit,
};
use crate::{Error, Result, validate};

/// How tied event times enter the partial likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Ties {
    /// Efron (1977): the default of R `coxph` and lifelines; accurate with many ties.
    #[default]
    Efron,
    /// Breslow (1974): the default of SAS PHREG and Stata; simpler, biased toward 0 with many ties.
    Breslow,
}

/// Options of the Cox proportional-hazards fit. Data enter at [`CoxPh::fit`].
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `ties` | [`Ties::Efron`] | handling of tied event times | `Efron`, `Breslow` |
/// | `confidence_level` | 0.95 | level of hazard-ratio intervals | (0, 1) |
/// | `max_iterations` | 30 | Newton-Raphson iterations | >= 1 |
/// | `tolerance` | 1e-9 | relative change of the log partial likelihood that stops | (0, 1) |
///
/// # Formula
///
/// ```text
/// h(t | x) = h0(t) exp(x'b)
/// Breslow: l(b) = sum over event times t of [ sum_{i in D(t)} x_i'b - d ln S0(t) ],  S0 = sum_{R(t)} exp(x'b)
/// Efron:   l(b) = sum_t [ sum_{D} x_i'b - sum_{k=0}^{d-1} ln(S0 - (k/d) S0_D) ]
/// Newton-Raphson on b from 0, halving the step while l decreases; covariates are centred.
/// Baseline: Breslow's estimator H0(t) = sum_{t_i <= t} d_i / sum_{R(t_i)} exp((x - mean)'b), at the covariate means
/// ```
///
/// # Example
///
/// ```
/// use crm_analytics::survival::CoxPh;
/// use nalgebra::DMatrix;
///
/// let tenure = [5.0, 8.0, 12.0, 3.0, 20.0, 15.0, 7.0, 30.0];
/// let churned = [1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0];
/// let fibre = DMatrix::from_column_slice(8, 1, &[1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0]);
/// let fit = CoxPh::new().fit_named(&fibre, &tenure, &churned, &["fibre"])?;
/// assert!(fit.hazard_ratios()[0] > 1.0); // fibre customers churn sooner here
/// let report = fit.report().to_string(); // coefficients, hazard ratios, tests
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
///
/// Cox, D. R. (1972). Regression models and life-tables. JRSS B 34, 187-220. Efron, B. (1977).
/// JASA 72, 557-565. Breslow, N. (1974). Biometrics 30, 89-99. Harrell, F. E. et al. (1982).
/// Evaluating the yield of medical tests. JAMA 247, 2543-2546 (concordance).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CoxPh {
    ties: Ties,
    confidence_level: f64,
    max_iterations: usize,
    tolerance: f64,
}

impl Default for CoxPh {
    fn default() -> Self {
        CoxPh {
            ties: Ties::Efron,
            confidence_level: 0.95,
            max_iterations: 30,
            tolerance: 1e-9,
        }
    }
}

impl CoxPh {
    /// The default options.
    pub fn new() -> CoxPh {
        CoxPh::default()
    }
    /// Handling of tied event times.
    pub fn ties(mut self, ties: Ties) -> CoxPh {
        self.ties = ties;
        self
    }
    /// Level of hazard-ratio intervals.
    ///
    /// # Errors
    ///
    /// The fit returns [`Error::InvalidOption`] unless the level is in (0, 1).
    pub fn confidence_level(mut self, level: f64) -> CoxPh {
        self.confidence_level = level;
        self
    }
    /// Maximum Newton-Raphson iterations.
    ///
    /// # Errors
    ///
    /// The fit returns [`Error::InvalidOption`] when 0.
    pub fn max_iterations(mut self, n: usize) -> CoxPh {
        self.max_iterations = n;
        self
    }
    /// Relative change of the log partial likelihood at which iteration stops.
    ///
    /// # Errors
    ///
    /// The fit returns [`Error::InvalidOption`] unless in (0, 1).
    pub fn tolerance(mut self, tol: f64) -> CoxPh {
        self.tolerance = tol;
        self
    }
    /// Handling of ties.
    pub fn get_ties(&self) -> Ties {
        self.ties
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

    /// Fit with covariates `x` (n x p, no constant column), named `x1..xp`.
    ///
    /// # Errors
    ///
    /// As [`CoxPh::fit_named`].
    pub fn fit(&self, x: &DMatrix<f64>, durations: &[f64], events: &[f64]) -> Result<CoxFit> {
        let names: Vec<String> = (1..=x.ncols()).map(|j| format!("x{j}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        self.fit_named(x, durations, events, &refs)
    }

    /// Fit with named covariates.
    ///
    /// # Errors
    ///
    /// Durations and events as [`super::KaplanMeier::fit`]; [`Error::DimensionMismatch`] when
    /// `x` or `names` do not match; [`Error::Empty`] when `x` has no columns;
    /// [`Error::NonFinite`] on a NaN in `x`; [`Error::TooFewObservations`] without events;
    /// [`Error::RankDeficient`] when a covariate is constant or collinear;
    /// [`Error::Separation`] when a coefficient diverges (monotone likelihood);
    /// [`Error::NotConverged`] when the iteration limit is reached; [`Error::InvalidOption`].
    pub fn fit_named(
        &self,
        x: &DMatrix<f64>,
        durations: &[f64],
        events: &[f64],
        names: &[&str],
    ) -> Result<CoxFit> {
        let z = z_crit(self.confidence_level)?;
        validate::open_unit("tolerance", self.tolerance)?;
        if self.max_iterations == 0 {
            return Err(Error::option("max_iterations", 0, ">= 1"));
        }
        check_durations_events(durations, events)?;
        let n = durations.len();
        let p = x.ncols();
        if p == 0 {
            return Err(Error::Empty {
                what: "covariate matrix `x`".into(),
            });
        }
        validate::same_len("rows of `x`", n, x.nrows())?;
        validate::same_len("`names` (one per column of `x`)", p, names.len())?;
        validate::matrix_finite("x", x)?;
        let n_events = events.iter().filter(|&&e| e > 0.5).count();
        if n_events == 0 {
            return Err(Error::TooFewObservations {
                what: "Cox regression (events)".into(),
                needed: 1,
                got: 0,
            });
        }
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        let means: Vec<f64> = (0..p).map(|j| x.column(j).mean()).collect();
        // Row-major centred covariates for cache-friendly passes.
        let mut xc = vec![0.0; n * p];
        for j in 0..p {
            for i in 0..n {
                xc[i * p + j] = x[(i, j)] - means[j];
            }
        }
        // Constant columns make the information singular: name them.
        let constant: Vec<String> = (0..p)
            .filter(|&j| (0..n).all(|i| xc[i * p + j].abs() <= 1e-12 * (1.0 + means[j].abs())))
            .map(|j| names[j].clone())
            .collect();
        if !constant.is_empty() {
            return Err(Error::RankDeficient { columns: constant });
        }
        let mut order = order_by(durations);
        order.reverse(); // descending time
        // Rows permuted once into descending time order, so every likelihood pass reads
        // memory sequentially (a gather through `order` is cache-miss bound at 1M rows).
        let mut xs = Vec::with_capacity(n * p);
        for &r in &order {
            xs.extend_from_slice(&xc[r * p..(r + 1) * p]);
        }
        let pl = PartialLikelihood {
            xc: &xs,
            p,
            durations: &order.iter().map(|&r| durations[r]).collect::<Vec<f64>>(),
            events: &order
                .iter()
                .map(|&r| events[r] > 0.5)
                .collect::<Vec<bool>>(),
            ties: self.ties,
        };

        let mut beta = DVector::zeros(p);
        let first = pl.eval(&beta, true);
        let ll0 = first.ll;
        let score_test =
            solve_quad(&first.info, &first.grad).ok_or_else(|| rank_error(&first.info, &names))?;
        let mut cur = first;
        let mut record = ConvergenceRecord {
            iterations: 0,
            converged: false,
            log_likelihoods: vec![ll0],
            step_halvings: 0,
            last_change: f64::INFINITY,
        };
        for it in 1..=self.max_iterations {
            let chol = cur
                .info
                .clone()
                .cholesky()
                .ok_or_else(|| rank_error(&cur.info, &names))?;
            let step = chol.solve(&cur.grad);
            let mut scale = 1.0;
            let mut next = pl.eval(&(&beta + &step * scale), true);
            let mut halvings = 0;
            while !(next.ll.is_finite() && next.ll >= cur.ll - 1e-12 * cur.ll.abs())
                && halvings < 30
            {
                scale *= 0.5;
                halvings += 1;
                next = pl.eval(&(&beta + &step * scale), true);
            }
            record.step_halvings += halvings;
            beta += &step * scale;
            let change = ((next.ll - cur.ll) / cur.ll.abs().max(1e-300)).abs();
            record.iterations = it;
            record.last_change = change;
            record.log_likelihoods.push(next.ll);
            cur = next;
            if change < self.tolerance {
                record.converged = true;
                break;
            }
        }
        // Diverging coefficients (monotone likelihood): exp(b · range(x)) beyond e^30, or a
        // standard error spanning more than e^100 across the covariate's range (the
        // information for the column has vanished: the partial likelihood keeps rising
        // while b runs off; R warns "coefficient may be infinite").
        let info_diag: Vec<f64> = (0..p).map(|j| cur.info[(j, j)]).collect();
        let diverging: Vec<String> = (0..p)
            .filter(|&j| {
                let (lo, hi) = (0..n).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), i| {
                    (a.min(xc[i * p + j]), b.max(xc[i * p + j]))
                });
                let range = hi - lo;
                let spread = info_diag[j] * range * range;
                let weak = spread.is_nan() || spread <= 1e-4;
                beta[j].abs() * range > 30.0 || (beta[j].abs() * range > 5.0 && weak)
            })
            .map(|j| names[j].clone())
            .collect();
        if !diverging.is_empty() {
            return Err(Error::Separation {
                what: "Cox regression".into(),
                columns: diverging,
            });
        }
        if !record.converged {
            return Err(Error::NotConverged {
                what: "Cox Newton-Raphson".into(),
                iterations: record.iterations,
                last_change: record.last_change,
            });
        }
        let cov = cur
            .info
            .clone()
            .cholesky()
            .ok_or_else(|| rank_error(&cur.info, &names))?
            .inverse();
        let wald = beta.dot(&(&cur.info * &beta));
        let risk: Vec<f64> = (0..n)
            .map(|i| (0..p).map(|j| xc[i * p + j] * beta[j]).sum())
            .collect();
        let concordance = concordance(durations, events, &risk);
        let (base_times, base_hazard) = pl.breslow_baseline(&beta);
        Ok(CoxFit {
            options: *self,
            names,
            n,
            n_events,
            z,
            std_errors: DVector::from_iterator(p, (0..p).map(|j| cov[(j, j)].sqrt())),
            coefficients: beta,
            cov,
            means,
            log_likelihood: cur.ll,
            null_log_likelihood: ll0,
            score_test,
            wald_test: wald,
            concordance,
            baseline_times: base_times,
            baseline_cumulative_hazard: base_hazard,
            convergence: record,
        })
    }
}

fn rank_error(info: &DMatrix<f64>, names: &[String]) -> Error {
    // Name the columns with the smallest diagonal information (the likeliest culprits).
    let p = info.nrows();
    let mut cols: Vec<String> = (0..p)
        .filter(|&j| info[(j, j)].is_nan() || info[(j, j)] <= 1e-10)
        .map(|j| names[j].clone())
        .collect();
    if cols.is_empty() {
        cols = names.to_vec();
    }
    Error::RankDeficient { columns: cols }
}

fn solve_quad(a: &DMatrix<f64>, b: &DVector<f64>) -> Option<f64> {
    let chol = a.clone().cholesky()?;
    Some(b.dot(&chol.solve(b)))
}

struct Eval {
    ll: f64,
    grad: DVector<f64>,
    info: DMatrix<f64>,
}

/// The data in descending time order (row-major centred covariates).
struct PartialLikelihood<'a> {
    xc: &'a [f64],
    p: usize,
    durations: &'a [f64],
    events: &'a [bool],
    ties: Ties,
}

impl PartialLikelihood<'_> {
    fn eta(&self, beta: &DVector<f64>) -> (Vec<f64>, f64) {
        let p = self.p;
        let n = self.durations.len();
        let eta: Vec<f64> = (0..n)
            .map(|i| {
                let row = &self.xc[i * p..(i + 1) * p];
                row.iter().zip(beta.iter()).map(|(a, b)| a * b).sum()
            })
            .collect();
        let shift = eta.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (eta, shift)
    }

    fn eval(&self, beta: &DVector<f64>, second: bool) -> Eval {
        let p = self.p;
        let (eta, shift) = self.eta(beta);
        let n = eta.len();
        let mut s0 = 0.0;
        let mut s1 = vec![0.0; p];
        let mut s2 = vec![0.0; p * p];
        let mut ll = 0.0;
        let mut grad = vec![0.0; p];
        let mut info = vec![0.0; p * p];
        let (mut d1, mut d2) = (vec![0.0; p], vec![0.0; p * p]);
        let mut a = vec![0.0; p];
        let mut i = 0;
        while i < n {
            let t = self.durations[i];
            let mut dcount = 0usize;
            let mut d0 = 0.0;
            d1.iter_mut().for_each(|v| *v = 0.0);
            if self.ties == Ties::Efron {
                d2.iter_mut().for_each(|v| *v = 0.0);
            }
            let mut j = i;
            while j < n && same(self.durations[j], t) {
                let r = j;
                let row = &self.xc[r * p..(r + 1) * p];
                let w = (eta[r] - shift).exp();
                s0 += w;
                add_row(w, row, &mut s1, &mut s2, second);
                if self.events[r] {
                    dcount += 1;
                    ll += eta[r] - shift;
                    for u in 0..p {
                        grad[u] += row[u];
                    }
                    if self.ties == Ties::Efron {
                        d0 += w;
                        add_row(w, row, &mut d1, &mut d2, second);
                    }
                }
                j += 1;
            }
            if dcount > 0 {
                let d = dcount as f64;
                match self.ties {
                    Ties::Breslow => {
                        ll -= d * s0.ln();
                        for u in 0..p {
                            a[u] = s1[u] / s0;
                            grad[u] -= d * a[u];
                        }
                        if second {
                            for u in 0..p {
                                for v in u..p {
                                    info[u * p + v] += d * (s2[u * p + v] / s0 - a[u] * a[v]);
                                }
                            }
                        }
                    }
                    Ties::Efron => {
                        // Sum over the d tie levels in closed form: with den_k = S0 - f_k D0,
                        // a_k = (S1 - f_k D1) / den_k, only scalar sums depend on k.
                        let (mut c0, mut c1, mut q0, mut q1, mut q2) = (0.0, 0.0, 0.0, 0.0, 0.0);
                        for k in 0..dcount {
                            let f = k as f64 / d;
                            let den = s0 - f * d0;
                            ll -= den.ln();
                            let inv = 1.0 / den;
                            c0 += inv;
                            c1 += f * inv;
                            q0 += inv * inv;
                            q1 += f * inv * inv;
                            q2 += f * f * inv * inv;
                        }
                        for u in 0..p {
                            grad[u] -= s1[u] * c0 - d1[u] * c1;
                        }
                        if second {
                            for u in 0..p {
                                for v in u..p {
                                    let outer = s1[u] * s1[v] * q0
                                        - (s1[u] * d1[v] + d1[u] * s1[v]) * q1
                                        + d1[u] * d1[v] * q2;
                                    info[u * p + v] +=
                                        s2[u * p + v] * c0 - d2[u * p + v] * c1 - outer;
                                }
                            }
                        }
                    }
                }
            }
            i = j;
        }
        let info = DMatrix::from_fn(p, p, |u, v| {
            if u <= v {
                info[u * p + v]
            } else {
                info[v * p + u]
            }
        });
        Eval {
            ll,
            grad: DVector::from_vec(grad),
            info,
        }
    }

    /// Breslow's baseline cumulative hazard at the covariate means, at each distinct event time.
    fn breslow_baseline(&self, beta: &DVector<f64>) -> (Vec<f64>, Vec<f64>) {
        let (eta, _) = self.eta(beta);
        let n = eta.len();
        let mut s0 = 0.0;
        let mut inc: Vec<(f64, f64)> = Vec::new();
        let mut i = 0;
        while i < n {
            let t = self.durations[i];
            let mut d = 0.0;
            let mut j = i;
            while j < n && same(self.durations[j], t) {
                let r = j;
                s0 += eta[r].exp();
                d += f64::from(u8::from(self.events[r]));
                j += 1;
            }
            if d > 0.0 {
                inc.push((t, d / s0));
            }
            i = j;
        }
        inc.reverse();
        let mut h = 0.0;
        let mut times = Vec::with_capacity(inc.len());
        let mut haz = Vec::with_capacity(inc.len());
        for (t, dh) in inc {
            h += dh;
            times.push(t);
            haz.push(h);
        }
        (times, haz)
    }
}

/// `s1 += w x`, and (upper triangle) `s2 += w x x'` when `second`.
#[inline]
fn add_row(w: f64, row: &[f64], s1: &mut [f64], s2: &mut [f64], second: bool) {
    let p = row.len();
    for (u, (acc, &xu)) in s1.iter_mut().zip(row).enumerate() {
        let wu = w * xu;
        *acc += wu;
        if second {
            for (a2, &xv) in s2[u * p + u..(u + 1) * p].iter_mut().zip(&row[u..]) {
                *a2 += wu * xv;
            }
        }
    }
}

/// Harrell's concordance index of a risk score (higher = earlier churn).
///
/// Comparable pairs: `t_i < t_j` with an event at `t_i`, or `t_i == t_j` with an event at
/// `t_i` and a censoring at `t_j` (a censored time tied with an event counts as later, as in R
/// `survival` and lifelines). Tied risks count one half. O(n log n) with a Fenwick tree.
pub(crate) fn concordance(durations: &[f64], events: &[f64], risk: &[f64]) -> Option<f64> {
    let n = durations.len();
    // Ranks of distinct risk values.
    let ro = order_by(risk);
    let mut rank = vec![0usize; n];
    let mut k = 0;
    for w in 0..n {
        if w > 0 && risk[ro[w]] > risk[ro[w - 1]] {
            k += 1;
        }
        rank[ro[w]] = k;
    }
    let m = k + 1;
    let mut tree = vec![0.0f64; m + 1];
    let add = |tree: &mut Vec<f64>, mut i: usize| {
        i += 1;
        while i <= m {
            tree[i] += 1.0;
            i += i & i.wrapping_neg();
        }
    };
    let sum = |tree: &Vec<f64>, mut i: usize| -> f64 {
        // sum of counts of ranks < i
        let mut s = 0.0;
        while i > 0 {
            s += tree[i];
            i -= i & i.wrapping_neg();
        }
        s
    };
    let mut order = order_by(durations);
    order.reverse();
    let (mut conc, mut disc, mut tied) = (0.0, 0.0, 0.0);
    let mut total = 0.0;
    let mut i = 0;
    while i < n {
        let t = durations[order[i]];
        let mut j = i;
        while j < n && same(durations[order[j]], t) {
            j += 1;
        }
        // Censored at t join the "later" set first.
        for &r in &order[i..j] {
            if events[r] == 0.0 {
                add(&mut tree, rank[r]);
                total += 1.0;
            }
        }
        for &r in &order[i..j] {
            if events[r] > 0.5 {
                let less = sum(&tree, rank[r]);
                let le = sum(&tree, rank[r] + 1);
                conc += less;
                tied += le - less;
                disc += total - le;
            }
        }
        for &r in &order[i..j] {
            if events[r] > 0.5 {
                add(&mut tree, rank[r]);
                total += 1.0;
            }
        }
        i = j;
    }
    let pairs = conc + disc + tied;
    (pairs > 0.0).then(|| (conc + 0.5 * tied) / pairs)
}

/// How the Newton-Raphson iteration went.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ConvergenceRecord {
    /// Iterations performed.
    pub iterations: usize,
    /// Whether the tolerance was met.
    pub converged: bool,
    /// Log-likelihood at the start and after each iteration.
    pub log_likelihoods: Vec<f64>,
    /// Total number of step halvings.
    pub step_halvings: usize,
    /// Final relative change of the log-likelihood.
    pub last_change: f64,
}

/// A fitted Cox model. Made by [`CoxPh::fit`].
#[derive(Debug, Clone, Serialize)]
#[must_use]
pub struct CoxFit {
    options: CoxPh,
    names: Vec<String>,
    n: usize,
    n_events: usize,
    z: f64,
    coefficients: DVector<f64>,
    std_errors: DVector<f64>,
    cov: DMatrix<f64>,
    means: Vec<f64>,
    log_likelihood: f64,
    null_log_likelihood: f64,
    score_test: f64,
    wald_test: f64,
    concordance: Option<f64>,
    baseline_times: Vec<f64>,
    baseline_cumulative_hazard: Vec<f64>,
    convergence: ConvergenceRecord,
}

impl CoxFit {
    /// The options used.
    pub fn options(&self) -> &CoxPh {
        &self.options
    }
    /// Covariate names.
    pub fn names(&self) -> &[String] {
        &self.names
    }
    /// Number of customers.
    pub fn nobs(&self) -> usize {
        self.n
    }
    /// Number of events.
    pub fn n_events(&self) -> usize {
        self.n_events
    }
    /// Coefficients `b` (log hazard ratios).
    pub fn coefficients(&self) -> &DVector<f64> {
        &self.coefficients
    }
    /// Standard errors from the inverse information.
    pub fn std_errors(&self) -> &DVector<f64> {
        &self.std_errors
    }
    /// Covariance of the coefficients.
    pub fn cov_params(&self) -> &DMatrix<f64> {
        &self.cov
    }
    /// Wald z statistics.
    pub fn z_values(&self) -> DVector<f64> {
        self.coefficients.component_div(&self.std_errors)
    }
    /// Two-sided p values of the z statistics.
    pub fn p_values(&self) -> DVector<f64> {
        self.z_values().map(normal_two_sided_p)
    }
    /// Hazard ratios `exp(b)`.
    pub fn hazard_ratios(&self) -> DVector<f64> {
        self.coefficients.map(f64::exp)
    }
    /// Hazard-ratio intervals `exp(b ± z se)` at the options' level.
    pub fn hazard_ratio_intervals(&self) -> Vec<(f64, f64)> {
        self.coefficients
            .iter()
            .zip(self.std_errors.iter())
            .map(|(b, s)| ((b - self.z * s).exp(), (b + self.z * s).exp()))
            .collect()
    }
    /// Covariate means (the reference point of the baseline).
    pub fn means(&self) -> &[f64] {
        &self.means
    }
    /// Log partial likelihood at the estimate.
    pub fn log_likelihood(&self) -> f64 {
        self.log_likelihood
    }
    /// Log partial likelihood at `b = 0`.
    pub fn null_log_likelihood(&self) -> f64 {
        self.null_log_likelihood
    }
    /// Likelihood-ratio test `(statistic, df, p)`.
    pub fn likelihood_ratio_test(&self) -> (f64, usize, f64) {
        let s = 2.0 * (self.log_likelihood - self.null_log_likelihood);
        let df = self.coefficients.len();
        (s, df, chi2_sf(s, df as f64).unwrap_or(1.0))
    }
    /// Wald test of all coefficients `(statistic, df, p)`.
    pub fn wald_test(&self) -> (f64, usize, f64) {
        let df = self.coefficients.len();
        (
            self.wald_test,
            df,
            chi2_sf(self.wald_test, df as f64).unwrap_or(1.0),
        )
    }
    /// Score (log-rank) test at `b = 0` `(statistic, df, p)`.
    pub fn score_test(&self) -> (f64, usize, f64) {
        let df = self.coefficients.len();
        (
            self.score_test,
            df,
            chi2_sf(self.score_test, df as f64).unwrap_or(1.0),
        )
    }
    /// Harrell's concordance of the linear predictor; `None` without comparable pairs.
    pub fn concordance(&self) -> Option<f64> {
        self.concordance
    }
    /// The convergence record.
    pub fn convergence(&self) -> &ConvergenceRecord {
        &self.convergence
    }
    /// Distinct event times of the baseline.
    pub fn baseline_times(&self) -> &[f64] {
        &self.baseline_times
    }
    /// Breslow baseline cumulative hazard at the covariate means, at [`CoxFit::baseline_times`].
    pub fn baseline_cumulative_hazard(&self) -> &[f64] {
        &self.baseline_cumulative_hazard
    }
    /// Baseline survival `exp(-H0(t))` at the covariate means.
    pub fn baseline_survival(&self) -> Vec<f64> {
        self.baseline_cumulative_hazard
            .iter()
            .map(|h| (-h).exp())
            .collect()
    }

    fn check_new(&self, x_new: &DMatrix<f64>) -> Result<()> {
        validate::same_len("columns of `x_new`", self.means.len(), x_new.ncols())?;
        validate::matrix_finite("x_new", x_new)
    }

    /// Relative hazard `exp((x - mean)'b)` of each new customer (row of `x_new`).
    ///
    /// # Errors
    ///
    /// [`Error::DimensionMismatch`] on a wrong column count; [`Error::NonFinite`] on NaN.
    pub fn predict_relative_hazard(&self, x_new: &DMatrix<f64>) -> Result<DVector<f64>> {
        self.check_new(x_new)?;
        Ok(DVector::from_iterator(
            x_new.nrows(),
            (0..x_new.nrows()).map(|i| {
                (0..self.means.len())
                    .map(|j| (x_new[(i, j)] - self.means[j]) * self.coefficients[j])
                    .sum::<f64>()
                    .exp()
            }),
        ))
    }

    /// Predicted survival `S(t | x) = exp(-H0(t) · exp((x - mean)'b))` for each new customer
    /// (rows) at each time (columns).
    ///
    /// # Errors
    ///
    /// As [`CoxFit::predict_relative_hazard`], plus [`Error::NonFiniteAt`] on a bad time.
    pub fn predict_survival(&self, x_new: &DMatrix<f64>, times: &[f64]) -> Result<DMatrix<f64>> {
        validate::slice_finite("times", times)?;
        let rh = self.predict_relative_hazard(x_new)?;
        let h0: Vec<f64> = times
            .iter()
            .map(|&t| {
                let k = self.baseline_times.partition_point(|&x| x <= t);
                k.checked_sub(1)
                    .map_or(0.0, |i| self.baseline_cumulative_hazard[i])
            })
            .collect();
        Ok(DMatrix::from_fn(x_new.nrows(), times.len(), |i, j| {
            (-h0[j] * rh[i]).exp()
        }))
    }

    /// The summary table (R `summary(coxph)`-like).
    pub fn report(&self) -> CoxReport {
        let z = self.z_values();
        let p = self.p_values();
        let ci = self.hazard_ratio_intervals();
        CoxReport {
            ties: self.options.ties,
            n: self.n,
            n_events: self.n_events,
            confidence_level: self.options.confidence_level,
            rows: (0..self.names.len())
                .map(|j| CoxCoefficientRow {
                    name: self.names[j].clone(),
                    coefficient: self.coefficients[j],
                    hazard_ratio: self.coefficients[j].exp(),
                    std_error: self.std_errors[j],
                    z: z[j],
                    p_value: p[j],
                    hr_lower: ci[j].0,
                    hr_upper: ci[j].1,
                })
                .collect(),
            log_likelihood: self.log_likelihood,
            null_log_likelihood: self.null_log_likelihood,
            likelihood_ratio: self.likelihood_ratio_test(),
            wald: self.wald_test(),
            score: self.score_test(),
            concordance: self.concordance,
            iterations: self.convergence.iterations,
        }
    }
}

/// One coefficient row of a [`CoxReport`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CoxCoefficientRow {
    /// Covariate name.
    pub name: String,
    /// Coefficient b.
    pub coefficient: f64,
    /// exp(b).
    pub hazard_ratio: f64,
    /// Standard error of b.
    pub std_error: f64,
    /// b / se.
    pub z: f64,
    /// Two-sided p.
    pub p_value: f64,
    /// Lower limit of exp(b).
    pub hr_lower: f64,
    /// Upper limit of exp(b).
    pub hr_upper: f64,
}

/// The printed summary of a [`CoxFit`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CoxReport {
    /// Tie handling.
    pub ties: Ties,
    /// Customers.
    pub n: usize,
    /// Events.
    pub n_events: usize,
    /// Level of the hazard-ratio intervals.
    pub confidence_level: f64,
    /// One row per covariate.
    pub rows: Vec<CoxCoefficientRow>,
    /// Log partial likelihood.
    pub log_likelihood: f64,
    /// Log partial likelihood at b = 0.
    pub null_log_likelihood: f64,
    /// Likelihood-ratio test (statistic, df, p).
    pub likelihood_ratio: (f64, usize, f64),
    /// Wald test (statistic, df, p).
    pub wald: (f64, usize, f64),
    /// Score test (statistic, df, p).
    pub score: (f64, usize, f64),
    /// Harrell's C.
    pub concordance: Option<f64>,
    /// Newton-Raphson iterations.
    pub iterations: usize,
}

impl fmt::Display for CoxReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Cox proportional hazards ({:?} ties): n = {}, events = {}",
            self.ties, self.n, self.n_events
        )?;
        let lvl = self.confidence_level * 100.0;
        let wn = self
            .rows
            .iter()
            .map(|r| r.name.len())
            .max()
            .unwrap_or(0)
            .max(8);
        writeln!(
            f,
            "{:<wn$} {:>10} {:>10} {:>10} {:>8} {:>10} {:>10} {:>10}",
            "",
            "coef",
            "exp(coef)",
            "se(coef)",
            "z",
            "Pr(>|z|)",
            format!("lower {lvl:.0}%"),
            format!("upper {lvl:.0}%")
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "{:<wn$} {:>10.4} {:>10.4} {:>10.4} {:>8.3} {:>10} {:>10.4} {:>10.4}",
                r.name,
                r.coefficient,
                r.hazard_ratio,
                r.std_error,
                r.z,
                fmt_p(Some(r.p_value)),
                r.hr_lower,
                r.hr_upper
            )?;
        }
        writeln!(
            f,
            "Concordance = {}",
            super::data::fmt_opt(self.concordance, 4)
        )?;
        writeln!(
            f,
            "Log partial likelihood = {:.4} (null {:.4}), {} iterations",
            self.log_likelihood, self.null_log_likelihood, self.iterations
        )?;
        for (name, (s, df, p)) in [
            ("Likelihood ratio test", self.likelihood_ratio),
            ("Wald test", self.wald),
            ("Score (logrank) test", self.score),
        ] {
            writeln!(f, "{name:<22} = {s:.3} on {df} df, p = {}", fmt_p(Some(p)))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concordance_hand_case() {
        // times 1,2,3 all events; risk 3,1,2.
        // pairs (1,2): risk 3 > 1 concordant; (1,3): 3 > 2 concordant; (2,3): 1 < 2 discordant
        // C = 2/3
        let c = concordance(&[1.0, 2.0, 3.0], &[1.0; 3], &[3.0, 1.0, 2.0]).unwrap();
        assert!((c - 2.0 / 3.0).abs() < 1e-15);
        // Tied event at 1 and censoring at 1: comparable; tied risk counts 1/2.
        let c = concordance(&[1.0, 1.0], &[1.0, 0.0], &[1.0, 1.0]).unwrap();
        assert!((c - 0.5).abs() < 1e-15);
    }

    #[test]
    fn one_binary_covariate_breslow_no_ties_closed_form() {
        // Two customers: x = (1, 0), times (1, 2), both events.
        // l(b) = b - ln(e^b + 1) (second risk set contributes 0): increasing in b -> separation.
        let x = DMatrix::from_column_slice(2, 1, &[1.0, 0.0]);
        let e = CoxPh::new().fit(&x, &[1.0, 2.0], &[1.0, 1.0]).unwrap_err();
        assert!(matches!(e, Error::Separation { .. }), "{e}");
    }
}
