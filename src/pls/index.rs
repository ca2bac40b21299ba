//! Satisfaction-index (CSI) computation from PLS weights: the ACSI/ECSI 0-100 index of a
//! construct, and construct scores rescaled to 0-100.

use std::fmt;

use nalgebra::{DMatrix, DVector};
use serde::Serialize;

use super::fit::PlsFit;
use crate::{Error, Result};

/// The 0-100 index of one construct (ACSI/ECSI customer satisfaction index style).
///
/// # Formula
///
/// ```text
/// u_a   = w̃_a / Σ_b w̃_b            (w̃ = unstandardised weights, w_a / sd_a; Σ over the block)
/// score = Σ_a u_a x̄_a               (on the item scale)
/// index = 100 · (score - min) / (max - min)
/// ```
///
/// The per-respondent rescaled score uses `x_ra` in place of `x̄_a`; the index is its mean.
///
/// # References
/// Fornell, Johnson, Anderson, Cha & Bryant (1996), *The American Customer Satisfaction
/// Index*, J. Marketing 60(4):7-18; ECSI Technical Committee (1998).
///
/// # Example
///
/// ```
/// # use crm_analytics::pls::{Pls, PlsModel};
/// # use nalgebra::DMatrix;
/// # let data = DMatrix::from_row_slice(6, 4, &[
/// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
/// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
/// # ]);
/// # let model = PlsModel::new()
/// #     .reflective("Quality", &["q1", "q2"])
/// #     .reflective("Satisfaction", &["s1", "s2"])
/// #     .path("Quality", "Satisfaction");
/// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
/// let csi = fit.index("Quality", 1.0, 7.0)?;
/// assert_eq!(csi.items, ["q1", "q2"]);
/// let text = csi.to_string(); // ready to print
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ConstructIndex {
    /// The construct.
    pub construct: String,
    /// Its items.
    pub items: Vec<String>,
    /// The normalised unstandardised weights `u_a` (sum 1).
    pub rescaled_weights: Vec<f64>,
    /// `Σ u_a x̄_a` on the item scale.
    pub mean_score: f64,
    /// The 0-100 index.
    pub index: f64,
    /// Scale minimum used.
    pub scale_min: f64,
    /// Scale maximum used.
    pub scale_max: f64,
}

impl fmt::Display for ConstructIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: index {:.2} (score {:.4} on {}..{})",
            self.construct, self.index, self.mean_score, self.scale_min, self.scale_max
        )?;
        for (item, u) in self.items.iter().zip(&self.rescaled_weights) {
            writeln!(f, "  {item:<12} {u:>8.4}")?;
        }
        Ok(())
    }
}

fn check_scale(min: f64, max: f64) -> Result<()> {
    if !(min.is_finite() && max.is_finite()) {
        return Err(Error::option(
            "scale_min/scale_max",
            format!("{min}..{max}"),
            "finite",
        ));
    }
    if max <= min {
        return Err(Error::option(
            "scale_max",
            max,
            format!("greater than scale_min = {min}"),
        ));
    }
    Ok(())
}

impl PlsFit {
    /// Sum of unstandardised weights of block `j`; an error if it is (nearly) zero.
    pub(crate) fn weight_sum(&self, j: usize) -> Result<f64> {
        let raw = self.unstandardized_weights();
        let b = self.block(j);
        let sum: f64 = b.clone().map(|a| raw[a]).sum();
        let size: f64 = b.map(|a| raw[a].abs()).sum();
        if !(sum.abs() > 1e-12 * size && sum.is_finite()) {
            return Err(Error::Singular {
                what: format!("index of construct `{}`", self.constructs()[j]),
                reason: "its unstandardised weights sum to zero, so they cannot be normalised"
                    .into(),
            });
        }
        Ok(sum)
    }

    /// The 0-100 satisfaction-style index of `construct` from the PLS weights, for items on
    /// the scale `scale_min..scale_max` (1..10 for ECSI/mobi).
    ///
    /// # Errors
    /// - [`Error::UnknownName`] for an unknown construct;
    /// - [`Error::InvalidOption`] unless `scale_min < scale_max`, both finite;
    /// - [`Error::Singular`] if the block's unstandardised weights sum to zero.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Pls, PlsModel};
    /// use nalgebra::DMatrix;
    ///
    /// let data = DMatrix::from_row_slice(6, 4, &[
    ///     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    ///     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// ]);
    /// let model = PlsModel::new()
    ///     .reflective("Quality", &["q1", "q2"])
    ///     .reflective("Satisfaction", &["s1", "s2"])
    ///     .path("Quality", "Satisfaction");
    /// let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// let csi = fit.index("Satisfaction", 1.0, 7.0)?;
    /// assert!((csi.rescaled_weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    /// assert!(csi.index > 0.0 && csi.index < 100.0);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn index(&self, construct: &str, scale_min: f64, scale_max: f64) -> Result<ConstructIndex> {
        check_scale(scale_min, scale_max)?;
        let j = self.construct_index(construct)?;
        self.index_at(j, scale_min, scale_max)
    }

    fn index_at(&self, j: usize, scale_min: f64, scale_max: f64) -> Result<ConstructIndex> {
        let raw = self.unstandardized_weights();
        let sum = self.weight_sum(j)?;
        let b = self.block(j);
        let u: Vec<f64> = b.clone().map(|a| raw[a] / sum).collect();
        let mean_score: f64 = b
            .clone()
            .zip(&u)
            .map(|(a, ua)| ua * self.item_means()[a])
            .sum();
        Ok(ConstructIndex {
            construct: self.constructs()[j].clone(),
            items: self.items()[b].to_vec(),
            rescaled_weights: u,
            mean_score,
            index: 100.0 * (mean_score - scale_min) / (scale_max - scale_min),
            scale_min,
            scale_max,
        })
    }

    /// [`PlsFit::index`] of every construct, block order.
    ///
    /// # Errors
    /// As [`PlsFit::index`].
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// let all = fit.construct_indices(1.0, 7.0)?;
    /// assert_eq!(all.len(), 2);
    /// assert_eq!(all[1].construct, "Satisfaction");
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn construct_indices(&self, scale_min: f64, scale_max: f64) -> Result<Vec<ConstructIndex>> {
        check_scale(scale_min, scale_max)?;
        (0..self.constructs().len())
            .map(|j| self.index_at(j, scale_min, scale_max))
            .collect()
    }

    /// Construct scores rescaled to 0-100 (n x k): `100 · (Σ_a u_a x_ra - min)/(max - min)`,
    /// the respondent-level counterpart of [`PlsFit::index`] (whose value is their mean).
    ///
    /// # Errors
    /// As [`PlsFit::construct_indices`].
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// let s = fit.rescaled_scores(1.0, 7.0)?;
    /// let csi = fit.index("Satisfaction", 1.0, 7.0)?;
    /// assert!((s.column(1).mean() - csi.index).abs() < 1e-9); // the index is their mean
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn rescaled_scores(&self, scale_min: f64, scale_max: f64) -> Result<DMatrix<f64>> {
        let indices = self.construct_indices(scale_min, scale_max)?;
        let range = scale_max - scale_min;
        // Σ_a u_a x_ra = Σ_a u_a x̄_a + Y_r / Σ_b w̃_b, because Y = Σ_a w̃_a (x_a - x̄_a).
        let mut out = self.scores().clone();
        for (j, ci) in indices.iter().enumerate() {
            let sum = self.weight_sum(j)?;
            let base = ci.mean_score;
            for v in out.column_mut(j).iter_mut() {
                *v = 100.0 * (base + *v / sum - scale_min) / range;
            }
        }
        Ok(out)
    }

    /// Per-construct sums of unstandardised weights (block order), used to convert
    /// standardised effects into effects on rescaled scores.
    pub(crate) fn weight_sums(&self) -> Result<DVector<f64>> {
        let k = self.constructs().len();
        let mut v = DVector::zeros(k);
        for j in 0..k {
            v[j] = self.weight_sum(j)?;
        }
        Ok(v)
    }
}
