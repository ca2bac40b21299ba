use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

use super::reliability::{Reliability, ScaleReliability};
use super::scale::LikertScale;
use crate::{Error, Result};

/// A mergeable state of item means and co-moments: fold blocks of respondents, merge
/// states from other partitions (threads, files, cluster nodes), finish into the same
/// [`ScaleReliability`] as a one-shot [`Reliability::fit`].
///
/// Respondents with a missing answer (NaN) are skipped (listwise deletion) and counted
/// in [`MomentAccumulator::rows_skipped`]; any other invalid score is an error naming
/// the respondent's running index and the item.
///
/// # Formula
///
/// Chan, Golub & LeVeque's pairwise update of two partitions A and B, with
/// `δ = mean_B - mean_A` and `n = n_A + n_B`:
///
/// ```text
/// mean = mean_A + δ · n_B / n
/// M2   = M2_A + M2_B + δ δᵀ · n_A n_B / n          (M2 = Σ (x - mean)(x - mean)ᵀ)
/// cov  = M2 / (n - 1)
/// ```
///
/// Each block's own mean and M2 come from a two-pass pass over the block, so the state
/// is as accurate as the one-shot covariance.
///
/// # References
/// Chan, Golub & LeVeque (1979), "Updating formulae and a pairwise algorithm for
/// computing sample variances", Stanford CS report STAN-CS-79-773.
///
/// # Example
///
/// ```
/// use crm_analytics::survey::{LikertScale, MomentAccumulator, Reliability};
/// use nalgebra::DMatrix;
///
/// let scale = LikertScale::new(1.0, 5.0)?;
/// let mut a = MomentAccumulator::new(&["q1", "q2", "q3"], scale)?;
/// let mut b = a.clone();
/// a.fold(&DMatrix::from_row_slice(2, 3, &[1.0, 2.0, 2.0, 2.0, 2.0, 3.0]))?;
/// b.fold(&DMatrix::from_row_slice(2, 3, &[3.0, 4.0, 3.0, 4.0, 4.0, 4.0]))?;
/// a.merge(&b)?;
/// let rel = a.finish("scale", &Reliability::new())?;
/// assert!((rel.alpha() - 27.0 / 29.0).abs() < 1e-12);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MomentAccumulator {
    names: Vec<String>,
    scale: LikertScale,
    n: usize,
    rows_skipped: usize,
    mean: DVector<f64>,
    m2: DMatrix<f64>,
}

impl MomentAccumulator {
    /// An empty state for the named items on `scale`.
    ///
    /// # Errors
    /// [`Error::Empty`] for no items; [`Error::DuplicateName`] for a repeated item.
    pub fn new<S: AsRef<str>>(items: &[S], scale: LikertScale) -> Result<Self> {
        if items.is_empty() {
            return Err(Error::Empty {
                what: "accumulator items".into(),
            });
        }
        let names: Vec<String> = items.iter().map(|s| s.as_ref().to_string()).collect();
        super::items::check_unique("item", &names)?;
        let k = names.len();
        Ok(MomentAccumulator {
            names,
            scale,
            n: 0,
            rows_skipped: 0,
            mean: DVector::zeros(k),
            m2: DMatrix::zeros(k, k),
        })
    }

    /// Fold a block of respondents (`rows x items`).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for a wrong column count; [`Error::InvalidValue`]
    /// naming the respondent (running index over all folded rows) and item for an
    /// infinity, an out-of-range or non-integer score. On error the state is unchanged.
    pub fn fold(&mut self, block: &DMatrix<f64>) -> Result<()> {
        crate::validate::same_len("accumulator block columns", self.names.len(), block.ncols())?;
        let offset = self.n + self.rows_skipped;
        let rows = block.nrows();
        let (lo, hi, integer) = (self.scale.min(), self.scale.max(), self.scale.is_integer());
        let mut missing_row = vec![false; rows];
        for (j, col) in block.as_slice().chunks(rows.max(1)).enumerate() {
            let ok = col.iter().all(|&v| {
                v.is_nan() || (v >= lo && v <= hi && (!integer || super::scale::is_whole(v)))
            });
            if !ok
                && let Some(i) = col
                    .iter()
                    .position(|&v| !v.is_nan() && !self.scale.contains(v))
            {
                self.scale.check(col[i], offset + i, &self.names[j])?;
            }
            for (flag, v) in missing_row.iter_mut().zip(col) {
                *flag |= v.is_nan();
            }
        }
        let keep: Vec<usize> = (0..rows).filter(|&i| !missing_row[i]).collect();
        let skipped = rows - keep.len();
        self.rows_skipped += skipped;
        if keep.is_empty() {
            return Ok(());
        }
        let data = if keep.len() == block.nrows() {
            std::borrow::Cow::Borrowed(block)
        } else {
            std::borrow::Cow::Owned(block.select_rows(keep.iter()))
        };
        let other = Self::from_complete(&data, self);
        self.merge_unchecked(&other);
        Ok(())
    }

    fn from_complete(data: &DMatrix<f64>, like: &Self) -> Self {
        let m = like
            .scale
            .is_integer()
            .then(|| super::missing::moments_integer(data, like.scale.min(), like.scale.range()))
            .flatten()
            .unwrap_or_else(|| super::missing::moments_complete(data));
        let denom = (m.n.max(2) - 1) as f64;
        MomentAccumulator {
            names: like.names.clone(),
            scale: like.scale,
            n: m.n,
            rows_skipped: 0,
            mean: m.means,
            m2: if m.n >= 2 {
                m.cov * denom
            } else {
                DMatrix::zeros(data.ncols(), data.ncols())
            },
        }
    }

    /// Merge another partition's state into this one.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if the states have different items or scales.
    pub fn merge(&mut self, other: &MomentAccumulator) -> Result<()> {
        if self.names != other.names || self.scale != other.scale {
            return Err(Error::input(
                "accumulator merge",
                "the two states have different items or scales",
            ));
        }
        self.rows_skipped += other.rows_skipped;
        self.merge_unchecked(other);
        Ok(())
    }

    fn merge_unchecked(&mut self, other: &MomentAccumulator) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            self.n = other.n;
            self.mean.copy_from(&other.mean);
            self.m2.copy_from(&other.m2);
            return;
        }
        let na = self.n as f64;
        let nb = other.n as f64;
        let n = na + nb;
        let delta = &other.mean - &self.mean;
        self.mean += &delta * (nb / n);
        self.m2 += &other.m2;
        self.m2.ger(na * nb / n, &delta, &delta, 1.0);
        self.n += other.n;
    }

    /// Respondents folded in (complete rows).
    #[must_use]
    pub fn count(&self) -> usize {
        self.n
    }

    /// Respondents skipped for a missing answer.
    #[must_use]
    pub fn rows_skipped(&self) -> usize {
        self.rows_skipped
    }

    /// Item names.
    #[must_use]
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Item means so far.
    #[must_use]
    pub fn means(&self) -> &DVector<f64> {
        &self.mean
    }

    /// Sample covariance (n - 1); `None` before two respondents.
    #[must_use]
    pub fn covariance(&self) -> Option<DMatrix<f64>> {
        (self.n >= 2).then(|| &self.m2 / (self.n - 1) as f64)
    }

    /// The scale of the items.
    #[must_use]
    pub fn scale(&self) -> LikertScale {
        self.scale
    }

    /// Reliability of all items as the scale `name`.
    ///
    /// # Errors
    /// As [`Reliability::from_covariance`]; [`Error::TooFewObservations`] before two
    /// respondents.
    pub fn finish(&self, name: &str, options: &Reliability) -> Result<ScaleReliability> {
        let cov = self.covariance().ok_or_else(|| Error::TooFewObservations {
            what: format!("reliability of `{name}`"),
            needed: 2,
            got: self.n,
        })?;
        let mut rel = options.from_covariance(name, &self.names, self.n, &self.mean, &cov)?;
        rel.rows_total = self.n + self.rows_skipped;
        Ok(rel)
    }
}

impl std::fmt::Display for MomentAccumulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "moment accumulator: {} items on {}, {} respondents folded, {} skipped (missing)",
            self.names.len(),
            self.scale,
            self.n,
            self.rows_skipped
        )?;
        let cov = self.covariance();
        for (j, name) in self.names.iter().enumerate() {
            match &cov {
                Some(c) => writeln!(
                    f,
                    "  {:<12} mean {:>9.4}  var {:>9.4}",
                    name,
                    self.mean[j],
                    c[(j, j)]
                )?,
                None => writeln!(f, "  {:<12} mean {:>9.4}", name, self.mean[j])?,
            }
        }
        Ok(())
    }
}
