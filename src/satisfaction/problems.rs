use std::fmt;

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::{Error, Result, validate};

/// Options of a service-problem Pareto analysis (complaint categories such as network
/// quality, billing errors, unclear bills, spam, hall and hotline service). Data enter at
/// [`ProblemPareto::tabulate`].
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `vital_share` | `0.8` | cumulative share the "vital few" must reach | (0, 1] |
///
/// Categories are sorted by count, largest first (ties keep input order). The vital few
/// are the leading categories up to and including the first whose cumulative share
/// reaches `vital_share`.
///
/// # Example
///
/// ```
/// use crm_analytics::satisfaction::ProblemPareto;
///
/// let t = ProblemPareto::new().tabulate(&["billing", "network", "spam"], &[30, 60, 10])?;
/// assert_eq!(t.rows[0].category, "network");
/// assert_eq!(t.vital_few, vec!["network", "billing"]); // 60% then 90% >= 80%
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ProblemPareto {
    vital_share: f64,
}

impl Default for ProblemPareto {
    fn default() -> Self {
        ProblemPareto { vital_share: 0.8 }
    }
}

impl ProblemPareto {
    /// Default options (80% vital share).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Cumulative share the vital few must reach.
    ///
    /// # Errors
    /// [`ProblemPareto::tabulate`] rejects a share outside (0, 1].
    #[must_use]
    pub fn vital_share(mut self, share: f64) -> Self {
        self.vital_share = share;
        self
    }

    /// The vital share.
    #[must_use]
    pub fn get_vital_share(&self) -> f64 {
        self.vital_share
    }

    /// The Pareto table of a raw complaint log: one category label per complaint
    /// (categories in order of first appearance break count ties).
    ///
    /// # Errors
    /// As [`ProblemPareto::tabulate`]; [`Error::Empty`] for an empty log.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::satisfaction::ProblemPareto;
    ///
    /// let log = ["spam", "network", "network", "billing", "network"];
    /// let t = ProblemPareto::new().tally(&log)?;
    /// assert_eq!((t.rows[0].category.as_str(), t.rows[0].count), ("network", 3));
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn tally<S: AsRef<str>>(&self, complaints: &[S]) -> Result<ParetoTable> {
        let mut names: Vec<&str> = Vec::new();
        let mut counts: Vec<u64> = Vec::new();
        for c in complaints {
            let c = c.as_ref();
            match names.iter().position(|n| *n == c) {
                Some(i) => counts[i] += 1,
                None => {
                    names.push(c);
                    counts.push(1);
                }
            }
        }
        self.tabulate(&names, &counts)
    }

    /// The Pareto table of complaint counts per category.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for a bad share; [`Error::DimensionMismatch`];
    /// [`Error::Empty`] for no categories; [`Error::DuplicateName`];
    /// [`Error::InvalidInput`] if all counts are zero.
    pub fn tabulate<S: AsRef<str>>(&self, categories: &[S], counts: &[u64]) -> Result<ParetoTable> {
        if !(self.vital_share.is_finite() && self.vital_share > 0.0 && self.vital_share <= 1.0) {
            return Err(Error::option("vital_share", self.vital_share, "in (0, 1]"));
        }
        validate::same_len("problem counts", categories.len(), counts.len())?;
        if categories.is_empty() {
            return Err(Error::Empty {
                what: "problem categories".into(),
            });
        }
        let names: Vec<String> = categories.iter().map(|s| s.as_ref().to_string()).collect();
        for (i, n) in names.iter().enumerate() {
            if names[..i].contains(n) {
                return Err(Error::DuplicateName {
                    what: "problem category".into(),
                    name: n.clone(),
                });
            }
        }
        let total: u64 = counts.iter().sum();
        if total == 0 {
            return Err(Error::input("problem counts", "all counts are zero"));
        }
        let mut order: Vec<usize> = (0..names.len()).collect();
        order.sort_by(|&a, &b| counts[b].cmp(&counts[a]));
        let mut cum = 0u64;
        let mut reached = false;
        let mut rows = Vec::with_capacity(order.len());
        let mut vital_few = Vec::new();
        for i in order {
            cum += counts[i];
            let vital = !reached;
            let cumulative_share = cum as f64 / total as f64;
            if vital {
                vital_few.push(names[i].clone());
                // Compare counts, not floats: cum / total >= share.
                reached = cumulative_share >= self.vital_share - 1e-12;
            }
            rows.push(ParetoRow {
                category: names[i].clone(),
                count: counts[i],
                share: counts[i] as f64 / total as f64,
                cumulative_share,
                vital,
            });
        }
        Ok(ParetoTable {
            rows,
            total,
            vital_share: self.vital_share,
            vital_few,
        })
    }
}

/// One category of a Pareto table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ParetoRow {
    /// Problem category.
    pub category: String,
    /// Complaints.
    pub count: u64,
    /// Share of all complaints.
    pub share: f64,
    /// Cumulative share, largest categories first.
    pub cumulative_share: f64,
    /// Whether the category is among the vital few.
    pub vital: bool,
}

/// A Pareto table of problem categories. Made by [`ProblemPareto::tabulate`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ParetoTable {
    /// Categories, largest first.
    pub rows: Vec<ParetoRow>,
    /// All complaints.
    pub total: u64,
    /// The vital share used.
    pub vital_share: f64,
    /// The vital few, largest first.
    pub vital_few: Vec<String>,
}

impl fmt::Display for ParetoTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Service problems (Pareto, vital few reach {:.0}%): {} complaints",
            100.0 * self.vital_share,
            self.total
        )?;
        writeln!(
            f,
            "  {:<20} {:>8} {:>8} {:>8}  vital",
            "category", "count", "share", "cum."
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "  {:<20} {:>8} {:>7.1}% {:>7.1}%  {}",
                r.category,
                r.count,
                100.0 * r.share,
                100.0 * r.cumulative_share,
                if r.vital { "*" } else { "" }
            )?;
        }
        Ok(())
    }
}

/// Pearson chi-square test of independence of problem mix (columns) and customer segment
/// (rows), with Pearson and adjusted (standardised) residuals.
///
/// # Formula
///
/// ```text
/// E_ij = n_i+ n_+j / n
/// X²   = Σ (n_ij - E_ij)² / E_ij,             df = (r - 1)(c - 1)
/// Pearson residual   e_ij = (n_ij - E_ij) / sqrt(E_ij)
/// adjusted residual  d_ij = (n_ij - E_ij) / sqrt(E_ij (1 - p_i+)(1 - p_+j))
/// ```
///
/// Adjusted residuals are approximately standard normal under independence: |d| > 2
/// marks a cell that departs from it (Agresti 2007, §2.4.5). The p value is the
/// chi-square survival function. The approximation needs expected counts of about 5 or
/// more; [`ChiSquareTest::cells_expected_below_5`] reports how many are smaller.
///
/// # References
/// Agresti, A. (2007), *An Introduction to Categorical Data Analysis*, 2nd ed., Wiley, §2.4.
///
/// # Example
///
/// ```
/// use crm_analytics::satisfaction::ChiSquareTest;
/// use nalgebra::DMatrix;
///
/// let t = DMatrix::from_row_slice(2, 2, &[30.0, 10.0, 10.0, 30.0]);
/// let x = ChiSquareTest::independence(&t, &["prepaid", "postpaid"], &["network", "billing"])?;
/// assert!((x.statistic - 20.0).abs() < 1e-12); // E = 20 everywhere: 4 · 100/20
/// assert_eq!(x.df, 1);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ChiSquareTest {
    /// Row (segment) names.
    pub rows: Vec<String>,
    /// Column (problem) names.
    pub columns: Vec<String>,
    /// Observed counts.
    pub observed: DMatrix<f64>,
    /// Expected counts under independence.
    pub expected: DMatrix<f64>,
    /// Pearson X².
    pub statistic: f64,
    /// Degrees of freedom.
    pub df: usize,
    /// p value.
    pub p_value: f64,
    /// Likelihood-ratio statistic G² (0 · ln 0 = 0).
    pub g_squared: f64,
    /// Pearson residuals.
    pub pearson_residuals: DMatrix<f64>,
    /// Adjusted (standardised) residuals.
    pub adjusted_residuals: DMatrix<f64>,
    /// Cells with an expected count below 5.
    pub cells_expected_below_5: usize,
}

impl ChiSquareTest {
    /// Test a segments x problems table of counts.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for name counts; [`Error::InvalidInput`] for fewer than
    /// two rows or columns, or a row or column with no counts; [`Error::InvalidValue`]
    /// for a negative or non-finite count.
    pub fn independence<S: AsRef<str>, T: AsRef<str>>(
        counts: &DMatrix<f64>,
        rows: &[S],
        columns: &[T],
    ) -> Result<Self> {
        let (r, c) = counts.shape();
        validate::same_len("segment names (rows)", r, rows.len())?;
        validate::same_len("problem names (columns)", c, columns.len())?;
        if r < 2 || c < 2 {
            return Err(Error::input(
                "contingency table",
                format!("needs at least 2 rows and 2 columns, got {r} x {c}"),
            ));
        }
        for i in 0..r {
            for j in 0..c {
                let v = counts[(i, j)];
                if !(v.is_finite() && v >= 0.0) {
                    return Err(Error::InvalidValue {
                        what: "count".into(),
                        location: format!(
                            "segment `{}`, problem `{}`",
                            rows[i].as_ref(),
                            columns[j].as_ref()
                        ),
                        value: v,
                        expected: "finite and >= 0".into(),
                    });
                }
            }
        }
        let row_tot: Vec<f64> = (0..r).map(|i| counts.row(i).sum()).collect();
        let col_tot: Vec<f64> = (0..c).map(|j| counts.column(j).sum()).collect();
        if let Some(i) = row_tot.iter().position(|t| *t <= 0.0) {
            return Err(Error::input(
                "contingency table",
                format!("segment `{}` has no counts", rows[i].as_ref()),
            ));
        }
        if let Some(j) = col_tot.iter().position(|t| *t <= 0.0) {
            return Err(Error::input(
                "contingency table",
                format!("problem `{}` has no counts", columns[j].as_ref()),
            ));
        }
        let n: f64 = row_tot.iter().sum();
        let expected = DMatrix::from_fn(r, c, |i, j| row_tot[i] * col_tot[j] / n);
        let mut stat = 0.0;
        let mut g2 = 0.0;
        let mut pearson = DMatrix::zeros(r, c);
        let mut adjusted = DMatrix::zeros(r, c);
        for i in 0..r {
            for j in 0..c {
                let (o, e) = (counts[(i, j)], expected[(i, j)]);
                stat += (o - e) * (o - e) / e;
                if o > 0.0 {
                    g2 += 2.0 * o * (o / e).ln();
                }
                pearson[(i, j)] = (o - e) / e.sqrt();
                let v = e * (1.0 - row_tot[i] / n) * (1.0 - col_tot[j] / n);
                adjusted[(i, j)] = (o - e) / v.sqrt();
            }
        }
        let df = (r - 1) * (c - 1);
        let dist = ChiSquared::new(df as f64)
            .map_err(|e| Error::input("chi-square distribution", e.to_string()))?;
        Ok(ChiSquareTest {
            rows: rows.iter().map(|s| s.as_ref().to_string()).collect(),
            columns: columns.iter().map(|s| s.as_ref().to_string()).collect(),
            observed: counts.clone(),
            cells_expected_below_5: expected.iter().filter(|e| **e < 5.0).count(),
            expected,
            statistic: stat,
            df,
            p_value: dist.sf(stat),
            g_squared: g2,
            pearson_residuals: pearson,
            adjusted_residuals: adjusted,
        })
    }
}

impl fmt::Display for ChiSquareTest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Problem mix by segment: X² = {:.3}, df = {}, p = {:.4e}; G² = {:.3}",
            self.statistic, self.df, self.p_value, self.g_squared
        )?;
        writeln!(f, "  observed (adjusted residual)")?;
        write!(f, "  {:<14}", "")?;
        for c in &self.columns {
            write!(f, " {c:>18.18}")?;
        }
        writeln!(f)?;
        for (i, r) in self.rows.iter().enumerate() {
            write!(f, "  {r:<14.14}")?;
            for j in 0..self.columns.len() {
                let cell = format!(
                    "{} ({:+.2})",
                    self.observed[(i, j)],
                    self.adjusted_residuals[(i, j)]
                );
                write!(f, " {cell:>18}")?;
            }
            writeln!(f)?;
        }
        if self.cells_expected_below_5 > 0 {
            writeln!(
                f,
                "  note: {} cells have expected counts below 5",
                self.cells_expected_below_5
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn two_by_two_by_hand() {
        // [[30, 10], [10, 30]]: all margins 40, n = 80 -> E = 20 everywhere;
        // X² = 4 · 10²/20 = 20; Pearson residual 10/√20 = √5;
        // adjusted = 10 / sqrt(20 · ½ · ½) = 10/√5 = 2√5; G² = 2 Σ o ln(o/E)
        // = 2 (2 · 30 ln 1.5 + 2 · 10 ln 0.5) = 120 ln 1.5 - 40 ln 2.
        let t = DMatrix::from_row_slice(2, 2, &[30.0, 10.0, 10.0, 30.0]);
        let x = ChiSquareTest::independence(&t, &["a", "b"], &["x", "y"]).unwrap();
        assert_relative_eq!(x.statistic, 20.0, epsilon = 1e-12);
        assert_relative_eq!(x.pearson_residuals[(0, 0)], 5f64.sqrt(), epsilon = 1e-12);
        assert_relative_eq!(
            x.adjusted_residuals[(0, 1)],
            -2.0 * 5f64.sqrt(),
            epsilon = 1e-12
        );
        assert_relative_eq!(
            x.g_squared,
            120.0 * 1.5f64.ln() - 40.0 * 2f64.ln(),
            epsilon = 1e-12
        );
        assert_eq!(x.cells_expected_below_5, 0);
    }

    #[test]
    fn vital_few_at_exact_share() {
        // 8 + 2 = 10: the first category alone reaches exactly 80%.
        let t = ProblemPareto::new().tabulate(&["a", "b"], &[8, 2]).unwrap();
        assert_eq!(t.vital_few, vec!["a"]);
        assert!(ProblemPareto::new().tabulate(&["a", "a"], &[1, 2]).is_err());
        assert!(ProblemPareto::new().tabulate(&["a"], &[0]).is_err());
    }
}
