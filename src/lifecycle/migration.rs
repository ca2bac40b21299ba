//! Stage migration between two periods' classifications.

use std::fmt;

use nalgebra::DMatrix;
use serde::Serialize;

use super::classify::{StageTable, stage_index};
use super::estimate::TransitionCounts;
use super::markov::write_matrix;
use crate::strategy::LifecycleStage;
use crate::{Result, validate};

/// Labels of the migration matrix's rows and columns: the four stages, then "none"
/// (no stage: unclassified, churned or absent in that period).
pub const MIGRATION_LABELS: [&str; 5] = ["onboarding", "growth", "maturity", "decline", "none"];

fn idx(s: Option<LifecycleStage>) -> usize {
    s.map_or(4, stage_index)
}

/// The 5 × 5 matrix of customers by stage in one period (rows) and the next (columns),
/// with row shares; "none" (index 4) holds customers with no stage (`None`).
///
/// # Example
///
/// ```
/// use crm_analytics::lifecycle::{LifecycleStage::*, StageMigration};
///
/// let before = [Some(Growth), Some(Growth), Some(Maturity), Some(Decline)];
/// let after = [Some(Maturity), Some(Growth), Some(Maturity), None];
/// let m = StageMigration::between(&before, &after)?;
/// assert_eq!(m.counts[(1, 2)], 1); // growth -> maturity
/// assert!((m.shares[(1, 1)] - 0.5).abs() < 1e-15);
/// assert!((m.stay_rate - 0.5).abs() < 1e-15);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct StageMigration {
    /// `counts[(i, j)]`: customers in stage `i` before and `j` after ([`MIGRATION_LABELS`] order).
    pub counts: DMatrix<u64>,
    /// Row shares `counts[(i, j)] / row total` (0 for an empty row).
    pub shares: DMatrix<f64>,
    /// Customers per stage before (row totals).
    pub before: [u64; 5],
    /// Customers per stage after (column totals).
    pub after: [u64; 5],
    /// Customers compared.
    pub customers: u64,
    /// Share of customers whose stage did not change (including none -> none).
    pub stay_rate: f64,
}

impl StageMigration {
    /// Cross-tabulate two periods' stages of the same customers (same order).
    ///
    /// # Errors
    /// [`crate::Error::DimensionMismatch`] if the slices differ in length.
    pub fn between(
        before: &[Option<LifecycleStage>],
        after: &[Option<LifecycleStage>],
    ) -> Result<StageMigration> {
        validate::same_len("customers in the second period", before.len(), after.len())?;
        let mut counts = DMatrix::<u64>::zeros(5, 5);
        for (&a, &b) in before.iter().zip(after) {
            counts[(idx(a), idx(b))] += 1;
        }
        let mut rows = [0u64; 5];
        let mut cols = [0u64; 5];
        for i in 0..5 {
            for j in 0..5 {
                rows[i] += counts[(i, j)];
                cols[j] += counts[(i, j)];
            }
        }
        let shares = DMatrix::from_fn(5, 5, |i, j| {
            if rows[i] == 0 {
                0.0
            } else {
                counts[(i, j)] as f64 / rows[i] as f64
            }
        });
        let n = before.len() as u64;
        let diag: u64 = (0..5).map(|i| counts[(i, i)]).sum();
        Ok(StageMigration {
            counts,
            shares,
            before: rows,
            after: cols,
            customers: n,
            stay_rate: if n == 0 { 0.0 } else { diag as f64 / n as f64 },
        })
    }

    /// The migration between two [`StageTable`]s of the same customers in the same order
    /// (unclassified customers count as "none").
    ///
    /// # Errors
    /// [`crate::Error::DimensionMismatch`] if the tables differ in length.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::lifecycle::{LifecycleRules, StageMigration};
    ///
    /// let rules = LifecycleRules::new();
    /// // Two customers, six months each, classified at two dates.
    /// let before = rules.classify_base(&[50.0, 52.0, 55.0, 58.0, 60.0, 63.0, 40.0, 40.0, 41.0, 40.0, 39.0, 40.0], 6, &[12, 24])?;
    /// let after = rules.classify_base(&[60.0, 63.0, 63.0, 62.0, 63.0, 63.0, 40.0, 35.0, 30.0, 26.0, 22.0, 20.0], 6, &[18, 30])?;
    /// let m = StageMigration::between_tables(&before, &after)?;
    /// assert_eq!(m.counts[(1, 2)], 1); // growth -> maturity
    /// assert_eq!(m.counts[(2, 3)], 1); // maturity -> decline
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn between_tables(before: &StageTable, after: &StageTable) -> Result<StageMigration> {
        StageMigration::between(&before.stages(), &after.stages())
    }

    /// The counts as a [`TransitionCounts`] state over 5 states, to merge with other
    /// periods and estimate a Markov chain.
    #[must_use]
    pub fn to_transition_counts(&self) -> TransitionCounts {
        let mut t = TransitionCounts::empty5();
        for i in 0..5 {
            for j in 0..5 {
                t.add(i, j, self.counts[(i, j)]);
            }
        }
        t
    }
}

impl fmt::Display for StageMigration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let labels: Vec<String> = MIGRATION_LABELS.iter().map(|s| s.to_string()).collect();
        writeln!(
            f,
            "Stage migration of {} customers (row: before, column: after); stay rate {:.4}",
            self.customers, self.stay_rate
        )?;
        writeln!(f, "Counts")?;
        let mut c = self.counts.map(|v| v as f64).insert_column(5, 0.0);
        for i in 0..5 {
            c[(i, 5)] = self.before[i] as f64;
        }
        let mut cl = labels.clone();
        cl.push("total".into());
        write_matrix(f, &labels, &cl, &c, 0)?;
        writeln!(f)?;
        writeln!(f, "Row shares")?;
        write_matrix(f, &labels, &labels, &self.shares, 4)
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn empty_rows_have_zero_shares() {
        // One growth -> decline move: growth row share 1, every other row empty (0).
        let m = StageMigration::between(
            &[Some(LifecycleStage::Growth)],
            &[Some(LifecycleStage::Decline)],
        )
        .unwrap();
        assert_eq!(m.shares[(1, 3)], 1.0);
        assert_eq!(m.shares[(0, 0)], 0.0);
        assert_eq!(m.stay_rate, 0.0);
        let e = StageMigration::between(&[], &[]).unwrap();
        assert_eq!(e.customers, 0);
        assert_eq!(e.stay_rate, 0.0);
    }
}
