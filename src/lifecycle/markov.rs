//! Markov chains of customer states: projection, stationary distribution, absorption
//! (fundamental matrix) and expected value by state (Pfeifer & Carraway 2000).

use std::fmt;

use nalgebra::{DMatrix, DVector};
use serde::Serialize;

use crate::{Error, Result, validate};

/// Tolerance on row sums of a transition matrix (and on distributions summing to 1).
pub const ROW_SUM_TOLERANCE: f64 = 1e-9;

/// A validated, row-stochastic transition matrix with state names.
///
/// `P[i][j]` is the probability of moving from state `i` in one period to state `j` in
/// the next. Rows sum to 1 within [`ROW_SUM_TOLERANCE`]; entries are finite and `>= 0`.
/// A state with `P[i][i] = 1` is *absorbing* (churn, "lost for good").
///
/// # Example
///
/// ```
/// use crm_analytics::lifecycle::MarkovChain;
/// use nalgebra::DMatrix;
///
/// // MODELS.md §4.3: active, declining, lost (absorbing).
/// let p = DMatrix::from_row_slice(3, 3, &[0.8, 0.15, 0.05, 0.3, 0.5, 0.2, 0.0, 0.0, 1.0]);
/// let chain = MarkovChain::new(p)?.with_names(&["A", "D", "L"])?;
/// let pi1 = chain.project(&[0.6, 0.3, 0.1], 1)?;
/// assert!((pi1[0] - 0.57).abs() < 1e-12);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// - Pfeifer, P. E. & Carraway, R. L. (2000). Modeling customer relationships as Markov
///   chains. *Journal of Interactive Marketing* 14(2), 43-55.
/// - Kemeny, J. G. & Snell, J. L. (1976). *Finite Markov Chains*, ch. III (absorbing chains).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarkovChain {
    p: DMatrix<f64>,
    names: Vec<String>,
}

/// Finite or infinite horizon of [`MarkovChain::state_values`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Horizon {
    /// Periods `0..=T`: `T + 1` cash flows, the first undiscounted.
    Finite(usize),
    /// All future periods.
    Infinite,
}

impl MarkovChain {
    /// A chain from its transition matrix; states are named `s0`, `s1`, ...
    ///
    /// # Errors
    /// - [`Error::Empty`] for a 0 × 0 matrix;
    /// - [`Error::DimensionMismatch`] if `p` is not square;
    /// - [`Error::NonFinite`] for NaN or infinities;
    /// - [`Error::InvalidValue`] for a negative entry or a row not summing to 1.
    pub fn new(p: DMatrix<f64>) -> Result<MarkovChain> {
        check_stochastic("transition matrix", &p)?;
        let names = (0..p.nrows()).map(|i| format!("s{i}")).collect();
        Ok(MarkovChain { p, names })
    }

    /// Name the states.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for the wrong number of names,
    /// [`Error::DuplicateName`] for a repeated name.
    pub fn with_names<S: AsRef<str>>(mut self, names: &[S]) -> Result<MarkovChain> {
        validate::same_len("state names", self.p.nrows(), names.len())?;
        let names: Vec<String> = names.iter().map(|s| s.as_ref().to_string()).collect();
        for (i, a) in names.iter().enumerate() {
            if names[..i].contains(a) {
                return Err(Error::DuplicateName {
                    what: "state".into(),
                    name: a.clone(),
                });
            }
        }
        self.names = names;
        Ok(self)
    }

    /// The transition matrix.
    #[must_use]
    pub fn transition_matrix(&self) -> &DMatrix<f64> {
        &self.p
    }

    /// The state names.
    #[must_use]
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Number of states.
    #[must_use]
    pub fn n_states(&self) -> usize {
        self.p.nrows()
    }

    /// Indices of absorbing states (`P[i][i] >= 1 - ROW_SUM_TOLERANCE`).
    #[must_use]
    pub fn absorbing_states(&self) -> Vec<usize> {
        (0..self.n_states())
            .filter(|&i| self.p[(i, i)] >= 1.0 - ROW_SUM_TOLERANCE)
            .collect()
    }

    /// `P^k` by repeated squaring.
    #[must_use]
    pub fn k_step(&self, k: usize) -> DMatrix<f64> {
        let n = self.n_states();
        let mut result = DMatrix::<f64>::identity(n, n);
        let mut base = self.p.clone();
        let mut e = k;
        while e > 0 {
            if e & 1 == 1 {
                result = &result * &base;
            }
            e >>= 1;
            if e > 0 {
                base = &base * &base;
            }
        }
        result
    }

    /// The state distribution after `k` periods: `π_k = π_0 P^k`.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for the wrong length; [`Error::NonFiniteAt`] or
    /// [`Error::InvalidValue`] if `pi0` is not a distribution (entries `>= 0` summing to 1).
    pub fn project(&self, pi0: &[f64], k: usize) -> Result<DVector<f64>> {
        let path = self.projection(pi0, k)?;
        Ok(path.distributions[k].clone())
    }

    /// The distributions `π_0, π_1, ..., π_k`.
    ///
    /// # Errors
    /// As [`MarkovChain::project`].
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::lifecycle::MarkovChain;
    /// use nalgebra::DMatrix;
    ///
    /// let chain = MarkovChain::new(DMatrix::from_row_slice(2, 2, &[0.75, 0.25, 0.0, 1.0]))?;
    /// let path = chain.projection(&[1.0, 0.0], 2)?;
    /// assert!((path.distributions[2][0] - 0.5625).abs() < 1e-12);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn projection(&self, pi0: &[f64], k: usize) -> Result<Projection> {
        let n = self.n_states();
        validate::same_len("initial distribution", n, pi0.len())?;
        check_distribution("initial distribution", pi0)?;
        let mut out = Vec::with_capacity(k + 1);
        let mut cur = DVector::from_column_slice(pi0);
        out.push(cur.clone());
        for _ in 0..k {
            cur = self.p.tr_mul(&cur);
            out.push(cur.clone());
        }
        Ok(Projection {
            names: self.names.clone(),
            distributions: out,
        })
    }

    /// Whether every state reaches every other (a single communicating class).
    #[must_use]
    pub fn is_irreducible(&self) -> bool {
        let n = self.n_states();
        (0..n).all(|i| reach(&self.p, i).iter().all(|&r| r))
    }

    /// The stationary distribution `π = π P`, `Σ π = 1`, of an irreducible chain.
    ///
    /// Solved as the linear system `(Pᵀ - I) π = 0` with its last equation replaced by
    /// `Σ π = 1` (LU with partial pivoting); unique for an irreducible chain, periodic or
    /// not (for a periodic chain `π_k` does not converge to it).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if the chain is reducible (an absorbing churn state makes it
    /// so: its stationary distribution is all mass on churn), naming a pair of states that
    /// do not communicate; [`Error::Singular`] if the system is numerically singular.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::lifecycle::MarkovChain;
    /// use nalgebra::DMatrix;
    ///
    /// // Two states: leave 0 w.p. 0.1, leave 1 w.p. 0.4 -> π = (0.4, 0.1) / 0.5 = (0.8, 0.2).
    /// let chain = MarkovChain::new(DMatrix::from_row_slice(2, 2, &[0.9, 0.1, 0.4, 0.6]))?;
    /// let pi = chain.stationary()?;
    /// assert!((pi[0] - 0.8).abs() < 1e-12);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn stationary(&self) -> Result<DVector<f64>> {
        let n = self.n_states();
        for i in 0..n {
            let r = reach(&self.p, i);
            if let Some(j) = r.iter().position(|&x| !x) {
                return Err(Error::input(
                    "chain for a stationary distribution",
                    format!(
                        "reducible: state `{}` cannot reach state `{}`",
                        self.names[i], self.names[j]
                    ),
                ));
            }
        }
        let mut a = self.p.transpose() - DMatrix::<f64>::identity(n, n);
        for j in 0..n {
            a[(n - 1, j)] = 1.0;
        }
        let mut b = DVector::<f64>::zeros(n);
        b[n - 1] = 1.0;
        let pi = a.lu().solve(&b).ok_or_else(|| Error::Singular {
            what: "[Pᵀ - I; 1ᵀ]".into(),
            reason: "zero pivot in LU".into(),
        })?;
        if pi.iter().any(|v| !v.is_finite()) {
            return Err(Error::Singular {
                what: "[Pᵀ - I; 1ᵀ]".into(),
                reason: "non-finite solution".into(),
            });
        }
        // Clamp rounding-level negatives and renormalise.
        let pi = pi.map(|v| v.max(0.0));
        let s = pi.sum();
        Ok(pi / s)
    }

    /// Absorption analysis: fundamental matrix `N = (I - Q)⁻¹`, expected periods to
    /// absorption `t = N 1`, their variance and the absorption probabilities `B = N R`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if the chain has no absorbing state, or if a transient state
    /// cannot reach any absorbing state (then `I - Q` is singular).
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::lifecycle::MarkovChain;
    /// use nalgebra::DMatrix;
    ///
    /// // Stay active w.p. 0.75, churn w.p. 0.25: expected 1 / 0.25 = 4 periods before churn.
    /// let chain = MarkovChain::new(DMatrix::from_row_slice(2, 2, &[0.75, 0.25, 0.0, 1.0]))?;
    /// let a = chain.absorption()?;
    /// assert!((a.expected_time[0] - 4.0).abs() < 1e-12);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn absorption(&self) -> Result<Absorption> {
        let absorbing = self.absorbing_states();
        if absorbing.is_empty() {
            return Err(Error::input(
                "chain for absorption analysis",
                "no absorbing state (P[i][i] = 1)",
            ));
        }
        let transient: Vec<usize> = (0..self.n_states())
            .filter(|i| !absorbing.contains(i))
            .collect();
        self.check_reaches_absorbing(&absorbing, &transient)?;
        let m = transient.len();
        let q = DMatrix::from_fn(m, m, |i, j| self.p[(transient[i], transient[j])]);
        let r = DMatrix::from_fn(m, absorbing.len(), |i, j| {
            self.p[(transient[i], absorbing[j])]
        });
        let i_q = DMatrix::<f64>::identity(m, m) - q;
        let n = if m == 0 {
            DMatrix::zeros(0, 0)
        } else {
            i_q.try_inverse().ok_or_else(|| Error::Singular {
                what: "I - Q".into(),
                reason: "not invertible".into(),
            })?
        };
        let t = &n * DVector::from_element(m, 1.0);
        // Var(steps) = (2N - I) t - t∘t (Kemeny & Snell, Theorem 3.3.5).
        let two_n_i = &n * 2.0 - DMatrix::<f64>::identity(m, m);
        let t_sq = t.component_mul(&t);
        let var = &two_n_i * &t - t_sq;
        let b = &n * r;
        Ok(Absorption {
            transient_names: transient.iter().map(|&i| self.names[i].clone()).collect(),
            absorbing_names: absorbing.iter().map(|&i| self.names[i].clone()).collect(),
            transient,
            absorbing,
            fundamental: n,
            expected_time: t,
            time_variance: var.map(|v| v.max(0.0)),
            absorption_probabilities: b,
        })
    }

    fn check_reaches_absorbing(&self, absorbing: &[usize], transient: &[usize]) -> Result<()> {
        for &i in transient {
            let r = reach(&self.p, i);
            if !absorbing.iter().any(|&a| r[a]) {
                return Err(Error::input(
                    "chain",
                    format!(
                        "state `{}` never reaches an absorbing state, so I - Q is singular",
                        self.names[i]
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Expected discounted value by starting state (Pfeifer & Carraway 2000).
    ///
    /// `rewards[i]` is the net contribution of a period spent in state `i` (margin minus
    /// marketing cost). The period the customer is in now is counted undiscounted
    /// (P&C's convention), the next one discounted once, and so on.
    ///
    /// # Formula
    ///
    /// ```text
    /// finite:   V_T = Σ_{t=0}^{T} [(1+d)^-1 P]^t R        (T + 1 cash flows)
    /// infinite: V   = (I - (1+d)^-1 P)^-1 R
    /// ```
    /// With `d = 0` the infinite horizon needs every non-absorbing state to reach an
    /// absorbing one and every absorbing state's reward to be 0; the system is then solved
    /// on the transient states.
    ///
    /// # Errors
    /// - [`Error::DimensionMismatch`] / [`Error::NonFiniteAt`] for bad rewards;
    /// - [`Error::InvalidOption`] for a discount rate that is not finite and `>= 0`;
    /// - [`Error::InvalidInput`] for `d = 0` with an infinite horizon and a chain or
    ///   rewards for which the value diverges.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::lifecycle::{Horizon, MarkovChain};
    /// use nalgebra::DMatrix;
    ///
    /// // Retention 0.75, margin 100 a period, d = 0.1: V = 100 / (1 - 0.75/1.1) = 314.2857.
    /// let chain = MarkovChain::new(DMatrix::from_row_slice(2, 2, &[0.75, 0.25, 0.0, 1.0]))?;
    /// let v = chain.state_values(&[100.0, 0.0], 0.1, Horizon::Infinite)?;
    /// assert!((v.values()[0] - 110.0 / 0.35).abs() < 1e-9);
    /// // Two periods: 100 now plus 100 * 0.75 / 1.1 next period.
    /// let v1 = chain.state_values(&[100.0, 0.0], 0.1, Horizon::Finite(1))?;
    /// assert!((v1.values()[0] - (100.0 + 75.0 / 1.1)).abs() < 1e-9);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn state_values(
        &self,
        rewards: &[f64],
        discount: f64,
        horizon: Horizon,
    ) -> Result<StateValues> {
        let n = self.n_states();
        validate::same_len("rewards", n, rewards.len())?;
        validate::slice_finite("rewards", rewards)?;
        validate::non_negative("discount", discount)?;
        let r = DVector::from_column_slice(rewards);
        let m = &self.p / (1.0 + discount);
        let values = match horizon {
            Horizon::Finite(t) => {
                let mut acc = r.clone();
                let mut term = r.clone();
                for _ in 0..t {
                    term = &m * term;
                    acc += &term;
                }
                acc
            }
            Horizon::Infinite if discount > 0.0 => {
                let a = DMatrix::<f64>::identity(n, n) - m;
                a.lu().solve(&r).ok_or_else(|| Error::Singular {
                    what: "I - P/(1+d)".into(),
                    reason: "zero pivot in LU".into(),
                })?
            }
            Horizon::Infinite => {
                let absorbing = self.absorbing_states();
                if let Some(&a) = absorbing.iter().find(|&&a| rewards[a].abs() > 0.0) {
                    return Err(Error::input(
                        "rewards",
                        format!(
                            "with discount 0 the absorbing state `{}` must have reward 0, got {}",
                            self.names[a], rewards[a]
                        ),
                    ));
                }
                if absorbing.is_empty() {
                    return Err(Error::input(
                        "chain",
                        "with discount 0 and an infinite horizon the chain needs an absorbing state",
                    ));
                }
                let transient: Vec<usize> = (0..n).filter(|i| !absorbing.contains(i)).collect();
                self.check_reaches_absorbing(&absorbing, &transient)?;
                let k = transient.len();
                if k == 0 {
                    // Every state absorbing with reward 0: nothing more to earn.
                    return Ok(StateValues {
                        names: self.names.clone(),
                        rewards: r,
                        discount,
                        horizon,
                        values: DVector::zeros(n),
                    });
                }
                let a = DMatrix::from_fn(k, k, |i, j| {
                    f64::from(u8::from(i == j)) - self.p[(transient[i], transient[j])]
                });
                let rt = DVector::from_fn(k, |i, _| rewards[transient[i]]);
                let vt = a.lu().solve(&rt).ok_or_else(|| Error::Singular {
                    what: "I - Q".into(),
                    reason: "zero pivot in LU".into(),
                })?;
                let mut v = DVector::zeros(n);
                for (i, &s) in transient.iter().enumerate() {
                    v[s] = vt[i];
                }
                v
            }
        };
        if let Some(i) = values.iter().position(|v| !v.is_finite()) {
            return Err(Error::NonFiniteAt {
                what: "state values".into(),
                index: i,
                value: values[i],
            });
        }
        Ok(StateValues {
            names: self.names.clone(),
            rewards: r,
            discount,
            horizon,
            values,
        })
    }

    /// The recency model of Pfeifer & Carraway (2000): state `r = 1..=k` is "last purchase
    /// `r` periods ago"; from state `r` a customer buys with probability `p[r-1]` (back to
    /// state 1) or moves to `r + 1`; state `k + 1` ("lost") is absorbing. Rewards are
    /// `NC - M` in state 1 (net contribution of a purchase less the marketing spend),
    /// `-M` in states `2..=k` (marketing to lapsed customers) and 0 when lost.
    ///
    /// Returns the chain (states `1`, ..., `k`, `lost`) and the reward vector.
    ///
    /// # Errors
    /// [`Error::Empty`] for no states; [`Error::InvalidValue`] for a probability outside
    /// [0, 1]; [`Error::NonFiniteAt`] for non-finite money.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::lifecycle::{Horizon, MarkovChain};
    ///
    /// let (chain, r) = MarkovChain::recency(&[0.3, 0.2, 0.15, 0.05], 40.0, 4.0)?;
    /// let v = chain.state_values(&r, 0.2, Horizon::Infinite)?;
    /// assert!(v.values()[0] > v.values()[1]);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn recency(
        purchase_prob: &[f64],
        net_contribution: f64,
        marketing: f64,
    ) -> Result<(MarkovChain, Vec<f64>)> {
        let k = purchase_prob.len();
        if k == 0 {
            return Err(Error::Empty {
                what: "purchase probabilities".into(),
            });
        }
        validate::slice_finite("purchase probabilities", purchase_prob)?;
        for (i, &p) in purchase_prob.iter().enumerate() {
            if !(0.0..=1.0).contains(&p) {
                return Err(Error::InvalidValue {
                    what: "purchase probability".into(),
                    location: format!("recency state {}", i + 1),
                    value: p,
                    expected: "in [0, 1]".into(),
                });
            }
        }
        validate::slice_finite("money", &[net_contribution, marketing])?;
        let n = k + 1;
        let mut p = DMatrix::zeros(n, n);
        for (r, &pr) in purchase_prob.iter().enumerate() {
            p[(r, 0)] += pr;
            p[(r, r + 1)] += 1.0 - pr;
        }
        p[(k, k)] = 1.0;
        let mut names: Vec<String> = (1..=k).map(|r| r.to_string()).collect();
        names.push("lost".into());
        let chain = MarkovChain::new(p)?.with_names(&names)?;
        let mut rewards = vec![-marketing; n];
        rewards[0] = net_contribution - marketing;
        rewards[k] = 0.0;
        Ok((chain, rewards))
    }
}

/// States reachable from `start` (including itself) along positive transitions.
fn reach(p: &DMatrix<f64>, start: usize) -> Vec<bool> {
    let n = p.nrows();
    let mut seen = vec![false; n];
    let mut stack = vec![start];
    seen[start] = true;
    while let Some(i) = stack.pop() {
        for j in 0..n {
            if !seen[j] && p[(i, j)] > 0.0 {
                seen[j] = true;
                stack.push(j);
            }
        }
    }
    seen
}

pub(crate) fn check_stochastic(what: &str, p: &DMatrix<f64>) -> Result<()> {
    if p.nrows() == 0 || p.ncols() == 0 {
        return Err(Error::Empty { what: what.into() });
    }
    validate::same_len(
        &format!("columns of {what} (must be square)"),
        p.nrows(),
        p.ncols(),
    )?;
    validate::matrix_finite(what, p)?;
    for i in 0..p.nrows() {
        for j in 0..p.ncols() {
            if p[(i, j)] < 0.0 {
                return Err(Error::InvalidValue {
                    what: what.into(),
                    location: format!("row {i}, column {j}"),
                    value: p[(i, j)],
                    expected: ">= 0".into(),
                });
            }
        }
        let s: f64 = p.row(i).sum();
        if (s - 1.0).abs() > ROW_SUM_TOLERANCE {
            return Err(Error::InvalidValue {
                what: format!("row sum of {what}"),
                location: format!("row {i}"),
                value: s,
                expected: "1 (within 1e-9)".into(),
            });
        }
    }
    Ok(())
}

fn check_distribution(what: &str, v: &[f64]) -> Result<()> {
    validate::slice_finite(what, v)?;
    if let Some(i) = v.iter().position(|&x| x < 0.0) {
        return Err(Error::InvalidValue {
            what: what.into(),
            location: format!("index {i}"),
            value: v[i],
            expected: ">= 0".into(),
        });
    }
    let s: f64 = v.iter().sum();
    if (s - 1.0).abs() > ROW_SUM_TOLERANCE {
        return Err(Error::InvalidValue {
            what: format!("sum of {what}"),
            location: "all states".into(),
            value: s,
            expected: "1 (within 1e-9)".into(),
        });
    }
    Ok(())
}

impl fmt::Display for MarkovChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Transition matrix (row: from, column: to)")?;
        write_matrix(f, &self.names, &self.names, &self.p, 4)
    }
}

pub(crate) fn write_matrix(
    f: &mut fmt::Formatter<'_>,
    rows: &[String],
    cols: &[String],
    m: &DMatrix<f64>,
    dp: usize,
) -> fmt::Result {
    let w = cols.iter().map(String::len).max().unwrap_or(0).max(dp + 4);
    let rw = rows.iter().map(String::len).max().unwrap_or(0).max(4);
    write!(f, "{:<rw$}", "")?;
    for c in cols {
        write!(f, " {c:>w$}")?;
    }
    for (i, r) in rows.iter().enumerate() {
        writeln!(f)?;
        write!(f, "{r:<rw$}")?;
        for j in 0..cols.len() {
            write!(f, " {:>w$.dp$}", m[(i, j)])?;
        }
    }
    Ok(())
}

/// State distributions `π_0, ..., π_k` from [`MarkovChain::projection`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Projection {
    /// State names.
    pub names: Vec<String>,
    /// `distributions[t]` is `π_t`.
    pub distributions: Vec<DVector<f64>>,
}

impl fmt::Display for Projection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Projected state distribution")?;
        let k = self.distributions.len();
        let m = DMatrix::from_fn(k, self.names.len(), |t, j| self.distributions[t][j]);
        let rows: Vec<String> = (0..k).map(|t| format!("t={t}")).collect();
        write_matrix(f, &rows, &self.names, &m, 4)
    }
}

/// Absorption analysis of a chain with absorbing states: see [`MarkovChain::absorption`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Absorption {
    /// Indices of the transient states (rows and columns of `N`).
    pub transient: Vec<usize>,
    /// Indices of the absorbing states.
    pub absorbing: Vec<usize>,
    /// Names of the transient states.
    pub transient_names: Vec<String>,
    /// Names of the absorbing states.
    pub absorbing_names: Vec<String>,
    /// `N = (I - Q)⁻¹`: expected periods spent in transient state `j` starting from `i`.
    pub fundamental: DMatrix<f64>,
    /// `t = N 1`: expected periods before absorption, by starting transient state
    /// (counting the current period).
    pub expected_time: DVector<f64>,
    /// Variance of the number of periods before absorption, `(2N - I) t - t∘t`.
    pub time_variance: DVector<f64>,
    /// `B = N R`: probability of ending in each absorbing state (columns).
    pub absorption_probabilities: DMatrix<f64>,
}

impl fmt::Display for Absorption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Fundamental matrix N = (I - Q)^-1")?;
        write_matrix(
            f,
            &self.transient_names,
            &self.transient_names,
            &self.fundamental,
            4,
        )?;
        writeln!(f)?;
        writeln!(f, "{:<12} {:>14} {:>14}", "from", "E[periods]", "sd")?;
        for (i, name) in self.transient_names.iter().enumerate() {
            writeln!(
                f,
                "{:<12} {:>14.4} {:>14.4}",
                name,
                self.expected_time[i],
                self.time_variance[i].sqrt()
            )?;
        }
        writeln!(f, "Absorption probabilities B = N R")?;
        write_matrix(
            f,
            &self.transient_names,
            &self.absorbing_names,
            &self.absorption_probabilities,
            4,
        )
    }
}

/// Expected discounted value by starting state: see [`MarkovChain::state_values`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct StateValues {
    names: Vec<String>,
    rewards: DVector<f64>,
    discount: f64,
    horizon: Horizon,
    values: DVector<f64>,
}

impl StateValues {
    /// Value by starting state.
    pub fn values(&self) -> &DVector<f64> {
        &self.values
    }
    /// The per-period rewards.
    pub fn rewards(&self) -> &DVector<f64> {
        &self.rewards
    }
    /// The discount rate per period.
    pub fn discount(&self) -> f64 {
        self.discount
    }
    /// The horizon.
    pub fn horizon(&self) -> Horizon {
        self.horizon
    }
    /// State names.
    pub fn names(&self) -> &[String] {
        &self.names
    }
    /// Expected value of a base with state distribution `pi` (`π · V`).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] or [`Error::NonFiniteAt`] for a bad `pi`.
    pub fn base_value(&self, pi: &[f64]) -> Result<f64> {
        validate::same_len("state distribution", self.values.len(), pi.len())?;
        validate::slice_finite("state distribution", pi)?;
        Ok(pi.iter().zip(self.values.iter()).map(|(a, b)| a * b).sum())
    }
}

impl fmt::Display for StateValues {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = match self.horizon {
            Horizon::Finite(t) => format!("periods 0..={t}"),
            Horizon::Infinite => "infinite horizon".into(),
        };
        writeln!(
            f,
            "Expected value by state ({h}, discount {} per period, first period undiscounted)",
            self.discount
        )?;
        write!(f, "{:<12} {:>12} {:>14}", "state", "reward", "value")?;
        for (i, n) in self.names.iter().enumerate() {
            write!(
                f,
                "\n{:<12} {:>12.4} {:>14.4}",
                n, self.rewards[i], self.values[i]
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn k_step_matches_repeated_product() {
        let p = DMatrix::from_row_slice(2, 2, &[0.9, 0.1, 0.4, 0.6]);
        let c = MarkovChain::new(p.clone()).unwrap();
        let p3 = &p * &p * &p;
        assert!((c.k_step(3) - p3).abs().max() < 1e-15);
        assert_eq!(c.k_step(0), DMatrix::identity(2, 2));
    }

    #[test]
    fn two_state_stationary_by_hand() {
        // π = (b, a)/(a + b) for P = [[1-a, a], [b, 1-b]]; a = .1, b = .4 -> (.8, .2).
        let p = DMatrix::from_row_slice(2, 2, &[0.9, 0.1, 0.4, 0.6]);
        let pi = MarkovChain::new(p).unwrap().stationary().unwrap();
        assert!((pi[0] - 0.8).abs() < 1e-14 && (pi[1] - 0.2).abs() < 1e-14);
    }
}
