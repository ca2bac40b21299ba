//! Maximum-likelihood estimation of a transition matrix from state panels, through a
//! mergeable transition-count state (fold, merge, finish).

use std::fmt;

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use super::markov::{MarkovChain, write_matrix};
use crate::{Error, Result};

/// Transition counts `n_ij` (state `i` in one period, `j` in the next): the sufficient
/// statistic of a Markov chain's transition matrix.
///
/// A small serialisable state with the crate's three operations: **fold** panels,
/// sequences or single transitions into it, **merge** two states (counts add, so any
/// partition of the data in any order gives the same counts, exactly), and **finish**
/// into a [`MarkovEstimate`]. States are indices `0..k`.
///
/// # Example
///
/// ```
/// use crm_analytics::lifecycle::TransitionCounts;
///
/// // MODELS.md §4.3: A = 0, D = 1, L = 2; sequences AAAD, AADL, ADAA, AAAA, DDLL.
/// let panel: [u8; 20] = [0,0,0,1, 0,0,1,2, 0,1,0,0, 0,0,0,0, 1,1,2,2];
/// let mut counts = TransitionCounts::new(3)?;
/// counts.fold_panel(&panel, 4)?;
/// let est = counts.finish()?;
/// assert_eq!(est.counts()[(0, 0)], 7);
/// assert!((est.transition_matrix()[(1, 2)] - 0.5).abs() < 1e-15);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// Deserialisation checks that `counts` holds `k * k` entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CountsRepr")]
pub struct TransitionCounts {
    k: usize,
    counts: Vec<u64>,
}

#[derive(Deserialize)]
struct CountsRepr {
    k: usize,
    counts: Vec<u64>,
}

impl TryFrom<CountsRepr> for TransitionCounts {
    type Error = Error;
    fn try_from(r: CountsRepr) -> Result<TransitionCounts> {
        let mut t = TransitionCounts::new(r.k)?;
        crate::validate::same_len("transition counts (k * k)", r.k * r.k, r.counts.len())?;
        t.counts = r.counts;
        Ok(t)
    }
}

impl TransitionCounts {
    /// Empty counts over `k` states.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for `k == 0` or `k > 65536`.
    pub fn new(k: usize) -> Result<TransitionCounts> {
        if k == 0 || k > 65_536 {
            return Err(Error::option("states", k, "in 1..=65536"));
        }
        Ok(TransitionCounts {
            k,
            counts: vec![0; k * k],
        })
    }

    pub(crate) fn empty5() -> TransitionCounts {
        TransitionCounts {
            k: 5,
            counts: vec![0; 25],
        }
    }

    pub(crate) fn add(&mut self, from: usize, to: usize, n: u64) {
        self.counts[from * self.k + to] += n;
    }

    /// Number of states.
    #[must_use]
    pub fn n_states(&self) -> usize {
        self.k
    }

    /// Total number of transitions folded.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The count `n_ij`.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a state index `>= k`.
    pub fn count(&self, from: usize, to: usize) -> Result<u64> {
        self.check(from, "from-state")?;
        self.check(to, "to-state")?;
        Ok(self.counts[from * self.k + to])
    }

    fn check(&self, s: usize, what: &str) -> Result<()> {
        if s < self.k {
            Ok(())
        } else {
            Err(Error::InvalidValue {
                what: what.into(),
                location: "transition".into(),
                value: s as f64,
                expected: format!("a state index in 0..{}", self.k),
            })
        }
    }

    /// Fold one transition.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a state index `>= k`.
    pub fn fold_transition(&mut self, from: usize, to: usize) -> Result<()> {
        self.check(from, "from-state")?;
        self.check(to, "to-state")?;
        self.counts[from * self.k + to] += 1;
        Ok(())
    }

    /// Fold one customer's sequence of states (consecutive periods).
    ///
    /// # Errors
    /// [`Error::InvalidValue`] for a state index `>= k` (nothing is folded then).
    pub fn fold_sequence<S: Copy + Into<usize>>(&mut self, seq: &[S]) -> Result<()> {
        self.fold_panel(seq, seq.len().max(1))
    }

    /// Fold a panel: row-major, one row of `periods` states per customer. Transitions are
    /// counted within rows, never across them.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for `periods == 0`; [`Error::DimensionMismatch`] if the
    /// length is not a multiple of `periods`; [`Error::InvalidValue`] naming the first
    /// state index `>= k` (customer and period). On error nothing is folded.
    pub fn fold_panel<S: Copy + Into<usize>>(&mut self, panel: &[S], periods: usize) -> Result<()> {
        if periods == 0 {
            return Err(Error::option("periods", 0, ">= 1"));
        }
        if !panel.len().is_multiple_of(periods) {
            return Err(Error::DimensionMismatch {
                what: format!("panel length (a multiple of periods = {periods})"),
                expected: panel.len().div_ceil(periods) * periods,
                found: panel.len(),
            });
        }
        if let Some(i) = panel.iter().position(|&s| s.into() >= self.k) {
            return Err(Error::InvalidValue {
                what: "state".into(),
                location: format!("customer {}, period {}", i / periods, i % periods),
                value: panel[i].into() as f64,
                expected: format!("a state index in 0..{}", self.k),
            });
        }
        let k = self.k;
        for row in panel.chunks_exact(periods) {
            let mut prev: usize = row[0].into();
            for &s in &row[1..] {
                let cur: usize = s.into();
                self.counts[prev * k + cur] += 1;
                prev = cur;
            }
        }
        Ok(())
    }

    /// Fold a panel on `threads` scoped threads (capped at [`MAX_THREADS`](super::MAX_THREADS);
    /// blocks of customers, merged in order).
    /// Counts are integers, so the result equals [`TransitionCounts::fold_panel`]'s exactly.
    ///
    /// # Errors
    /// As [`TransitionCounts::fold_panel`]; `threads == 0` is [`Error::InvalidOption`].
    pub fn fold_panel_parallel<S: Copy + Into<usize> + Sync>(
        &mut self,
        panel: &[S],
        periods: usize,
        threads: usize,
    ) -> Result<()> {
        if threads == 0 {
            return Err(Error::option("threads", 0, ">= 1"));
        }
        if periods == 0 {
            return Err(Error::option("periods", 0, ">= 1"));
        }
        let threads = threads.min(super::MAX_THREADS);
        let customers = panel.len() / periods;
        if threads == 1 || customers < 2 * threads {
            return self.fold_panel(panel, periods);
        }
        if !panel.len().is_multiple_of(periods) {
            return self.fold_panel(panel, periods);
        }
        let block = customers.div_ceil(threads) * periods;
        let k = self.k;
        let parts: Vec<Result<TransitionCounts>> = std::thread::scope(|scope| {
            let handles: Vec<_> = panel
                .chunks(block)
                .enumerate()
                .map(|(b, chunk)| {
                    scope.spawn(move || {
                        let mut c = TransitionCounts {
                            k,
                            counts: vec![0; k * k],
                        };
                        c.fold_panel(chunk, periods).map_err(|e| match e {
                            Error::InvalidValue {
                                what,
                                value,
                                expected,
                                ..
                            } => {
                                // Re-locate the first bad state in whole-panel terms.
                                let i = chunk.iter().position(|&s| s.into() >= k).unwrap_or(0)
                                    + b * block;
                                Error::InvalidValue {
                                    what,
                                    location: format!(
                                        "customer {}, period {}",
                                        i / periods,
                                        i % periods
                                    ),
                                    value,
                                    expected,
                                }
                            }
                            other => other,
                        })?;
                        Ok(c)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(Error::input("transition-count thread", "a worker panicked"))
                    })
                })
                .collect()
        });
        let mut total = TransitionCounts {
            k,
            counts: vec![0; k * k],
        };
        for p in parts {
            total.merge(&p?)?;
        }
        self.merge(&total)
    }

    /// Add another state's counts.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if the numbers of states differ.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::lifecycle::TransitionCounts;
    ///
    /// // Two partitions of customers, counted apart (e.g. on two machines), then merged.
    /// let mut a = TransitionCounts::new(2)?;
    /// a.fold_sequence(&[0u8, 0, 1])?;
    /// let mut b = TransitionCounts::new(2)?;
    /// b.fold_sequence(&[1u8, 0])?;
    /// a.merge(&b)?;
    /// assert_eq!(a.total(), 3);
    /// assert_eq!(a.count(1, 0)?, 1);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn merge(&mut self, other: &TransitionCounts) -> Result<()> {
        crate::validate::same_len("states of merged transition counts", self.k, other.k)?;
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        Ok(())
    }

    /// The MLE `p̂_ij = n_ij / n_i.` with standard errors.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the first state with no outgoing transitions
    /// (`n_i. = 0`); use [`TransitionCounts::finish_with_prior`] to fill such rows.
    pub fn finish(&self) -> Result<MarkovEstimate> {
        self.finish_inner(None, &[])
    }

    /// As [`TransitionCounts::finish`], but rows with no data take the caller's prior row,
    /// and the states in `absorbing` are forced absorbing (`p̂_ii = 1`) whatever their
    /// counts (e.g. churn, when churned customers drop out of the panel).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if the prior has a different number of states;
    /// [`Error::InvalidValue`] for an absorbing index `>= k`.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::lifecycle::{RowSource, TransitionCounts};
    ///
    /// // State 2 (churned) is never left in the data: force it absorbing.
    /// let mut c = TransitionCounts::new(3)?;
    /// c.fold_sequence(&[0u8, 1, 0, 1, 2])?;
    /// assert!(c.finish().is_err());
    /// let est = c.finish_with_prior(None, &[2])?;
    /// assert_eq!(est.row_source()[2], RowSource::Absorbing);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn finish_with_prior(
        &self,
        prior: Option<&MarkovChain>,
        absorbing: &[usize],
    ) -> Result<MarkovEstimate> {
        if let Some(p) = prior {
            crate::validate::same_len("states of the prior chain", self.k, p.n_states())?;
        }
        for &a in absorbing {
            self.check(a, "absorbing state")?;
        }
        self.finish_inner(prior, absorbing)
    }

    fn finish_inner(
        &self,
        prior: Option<&MarkovChain>,
        absorbing: &[usize],
    ) -> Result<MarkovEstimate> {
        let k = self.k;
        let counts = DMatrix::from_fn(k, k, |i, j| self.counts[i * k + j]);
        let mut p = DMatrix::zeros(k, k);
        let mut se = DMatrix::from_element(k, k, Some(0.0));
        let mut row_totals = vec![0u64; k];
        let mut source = vec![RowSource::Data; k];
        for i in 0..k {
            let n: u64 = (0..k).map(|j| counts[(i, j)]).sum();
            row_totals[i] = n;
            if absorbing.contains(&i) {
                p[(i, i)] = 1.0;
                source[i] = RowSource::Absorbing;
                continue;
            }
            if n == 0 {
                match prior {
                    Some(pr) => {
                        for j in 0..k {
                            p[(i, j)] = pr.transition_matrix()[(i, j)];
                            se[(i, j)] = None;
                        }
                        source[i] = RowSource::Prior;
                        continue;
                    }
                    None => {
                        return Err(Error::input(
                            "transition counts",
                            format!(
                                "state {i} has no outgoing transitions (n_i. = 0); give a prior row or make it absorbing"
                            ),
                        ));
                    }
                }
            }
            let nf = n as f64;
            for j in 0..k {
                let ph = counts[(i, j)] as f64 / nf;
                p[(i, j)] = ph;
                se[(i, j)] = Some((ph * (1.0 - ph) / nf).sqrt());
            }
        }
        let chain = MarkovChain::new(p)?;
        Ok(MarkovEstimate {
            counts,
            row_totals,
            chain,
            std_errors: se,
            row_source: source,
        })
    }
}

/// Where an estimated row came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowSource {
    /// The MLE from the row's counts.
    Data,
    /// The caller's prior (no data).
    Prior,
    /// Forced absorbing.
    Absorbing,
}

/// The estimated transition matrix with counts and standard errors: see
/// [`TransitionCounts::finish`].
///
/// # Formula
///
/// ```text
/// p̂_ij = n_ij / n_i.,   se(p̂_ij) = sqrt(p̂_ij (1 - p̂_ij) / n_i.)
/// ```
/// (the multinomial MLE of each row; Anderson & Goodman 1957).
///
/// # References
/// Anderson, T. W. & Goodman, L. A. (1957). Statistical inference about Markov chains.
/// *Annals of Mathematical Statistics* 28(1), 89-110.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct MarkovEstimate {
    counts: DMatrix<u64>,
    row_totals: Vec<u64>,
    chain: MarkovChain,
    std_errors: DMatrix<Option<f64>>,
    row_source: Vec<RowSource>,
}

impl MarkovEstimate {
    /// The counts `n_ij`.
    pub fn counts(&self) -> &DMatrix<u64> {
        &self.counts
    }
    /// Row totals `n_i.`.
    pub fn row_totals(&self) -> &[u64] {
        &self.row_totals
    }
    /// `p̂`.
    pub fn transition_matrix(&self) -> &DMatrix<f64> {
        self.chain.transition_matrix()
    }
    /// Standard errors (`None` for prior rows; 0 for forced absorbing rows).
    pub fn std_errors(&self) -> &DMatrix<Option<f64>> {
        &self.std_errors
    }
    /// Where each row came from.
    pub fn row_source(&self) -> &[RowSource] {
        &self.row_source
    }
    /// The estimated chain (for projection, stationary distribution, values).
    pub fn chain(&self) -> &MarkovChain {
        &self.chain
    }
    /// The estimate with named states.
    ///
    /// # Errors
    /// As [`MarkovChain::with_names`].
    pub fn with_names<S: AsRef<str>>(mut self, names: &[S]) -> Result<MarkovEstimate> {
        self.chain = self.chain.with_names(names)?;
        Ok(self)
    }
}

impl fmt::Display for MarkovEstimate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = self.chain.names();
        writeln!(f, "Transition counts (row: from, column: to)")?;
        let c = self.counts.map(|v| v as f64);
        write_matrix(f, names, names, &c, 0)?;
        writeln!(f)?;
        writeln!(
            f,
            "Estimated transition matrix (standard errors below each row)"
        )?;
        let w = names.iter().map(String::len).max().unwrap_or(0).max(8);
        let rw = names.iter().map(String::len).max().unwrap_or(0).max(4);
        write!(f, "{:<rw$}", "")?;
        for n in names {
            write!(f, " {n:>w$}")?;
        }
        write!(f, " {:>10} {:>8}", "n_i.", "source")?;
        for (i, name) in names.iter().enumerate() {
            write!(f, "\n{name:<rw$}")?;
            for j in 0..names.len() {
                write!(f, " {:>w$.4}", self.transition_matrix()[(i, j)])?;
            }
            let src = match self.row_source[i] {
                RowSource::Data => "data",
                RowSource::Prior => "prior",
                RowSource::Absorbing => "absorb",
            };
            write!(f, " {:>10} {:>8}", self.row_totals[i], src)?;
            write!(f, "\n{:<rw$}", "")?;
            for j in 0..names.len() {
                match self.std_errors[(i, j)] {
                    Some(s) => write!(f, " {:>w$}", format!("({s:.4})"))?,
                    None => write!(f, " {:>w$}", "-")?,
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn two_state_mle_by_hand() {
        // Sequence 0 0 1 1 0: transitions 00, 01, 11, 10 -> n = [[1, 1], [1, 1]],
        // p̂ = 0.5 everywhere, se = sqrt(.25 / 2) = 0.353553.
        let mut c = TransitionCounts::new(2).unwrap();
        c.fold_sequence(&[0u8, 0, 1, 1, 0]).unwrap();
        let e = c.finish().unwrap();
        assert_eq!(e.transition_matrix()[(0, 1)], 0.5);
        assert!((e.std_errors()[(1, 0)].unwrap() - 0.125f64.sqrt()).abs() < 1e-15);
        assert_eq!(e.row_totals(), &[2, 2]);
    }

    #[test]
    fn panel_rows_do_not_link() {
        // Rows (0, 1) and (1, 0): the 1 -> 1 across the row boundary must not count.
        let mut c = TransitionCounts::new(2).unwrap();
        c.fold_panel(&[0u8, 1, 1, 0], 2).unwrap();
        assert_eq!(c.count(1, 1).unwrap(), 0);
        assert_eq!(c.total(), 2);
        assert!(c.fold_panel(&[0u8, 1, 1], 2).is_err());
        assert!(TransitionCounts::new(0).is_err());
    }
}
