use std::fmt;

use serde::Serialize;

use crate::survey::ItemMatrix;
use crate::{Error, Result, validate};

/// A customer satisfaction index (ACSI/ECSI style) on 0-100 for one construct.
///
/// # Formula
///
/// With outer weights `w_i` of the construct's standardised items (e.g. PLS weights), item
/// standard deviations `sd_i` and means `x̄_i` on the scale `[min, max]`:
///
/// ```text
/// u_i = (w_i / sd_i) / Σ_j (w_j / sd_j)          (unstandardised weights, Σ u = 1)
/// CSI = 100 · (Σ_i u_i x̄_i - min) / (max - min)
/// ```
///
/// Means and SDs (n - 1) use the respondents who answered every item (listwise).
///
/// # References
/// Fornell, Johnson, Anderson, Cha & Bryant (1996), J. Marketing 60(4):7-18; ECSI
/// Technical Committee (1998).
///
/// # Example
///
/// ```
/// use crm_analytics::satisfaction::SatisfactionIndex;
/// use crm_analytics::survey::{ItemMatrix, LikertScale};
/// use nalgebra::DMatrix;
///
/// // Item a: (1, 3) mean 2, sd √2; item b: (4, 6) mean 5, sd √2; equal weights ->
/// // u = (½, ½), Σ u x̄ = 3.5 on 1..10 -> CSI = 100 · 2.5 / 9.
/// let d = DMatrix::from_row_slice(2, 2, &[1.0, 4.0, 3.0, 6.0]);
/// let items = ItemMatrix::new(d, &["a", "b"], LikertScale::new(1.0, 10.0)?)?;
/// let csi = SatisfactionIndex::compute(&items, &[0.5, 0.5])?;
/// assert!((csi.index - 250.0 / 9.0).abs() < 1e-12);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SatisfactionIndex {
    /// Item names.
    pub items: Vec<String>,
    /// The weights given.
    pub weights: Vec<f64>,
    /// Unstandardised weights `u_i`, summing to 1.
    pub unstandardized_weights: Vec<f64>,
    /// Weighted mean score on the item scale.
    pub mean_score: f64,
    /// The index, 0-100.
    pub index: f64,
    /// Respondents used.
    pub rows_used: usize,
}

impl SatisfactionIndex {
    /// The index of the construct measured by all items of `items` with outer weights
    /// `weights` (one per item, for standardised items).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for a wrong weight count; [`Error::NonFiniteAt`] for a
    /// non-finite weight; [`Error::TooFewObservations`] for fewer than two complete
    /// respondents; [`Error::InvalidInput`] for a zero-variance item or weights whose
    /// unstandardised sum is not positive.
    pub fn compute(items: &ItemMatrix, weights: &[f64]) -> Result<Self> {
        validate::same_len("index weights (one per item)", items.ncols(), weights.len())?;
        validate::slice_finite("index weights", weights)?;
        let rows: Vec<usize> = (0..items.nrows())
            .filter(|&i| items.data().row(i).iter().all(|v| !v.is_nan()))
            .collect();
        if rows.len() < 2 {
            return Err(Error::TooFewObservations {
                what: "satisfaction index".into(),
                needed: 2,
                got: rows.len(),
            });
        }
        let n = rows.len() as f64;
        let mut raw = Vec::with_capacity(weights.len());
        let mut means = Vec::with_capacity(weights.len());
        for (j, w) in weights.iter().enumerate() {
            let col: Vec<f64> = rows.iter().map(|&i| items.data()[(i, j)]).collect();
            let m = col.iter().sum::<f64>() / n;
            let sd = (col.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            if sd <= 0.0 {
                return Err(Error::input(
                    format!("item `{}`", items.names()[j]),
                    "zero variance, so its unstandardised weight is undefined",
                ));
            }
            raw.push(w / sd);
            means.push(m);
        }
        let s: f64 = raw.iter().sum();
        if !(s.is_finite() && s > 0.0) {
            return Err(Error::input(
                "index weights",
                "the unstandardised weights do not sum to a positive number",
            ));
        }
        let u: Vec<f64> = raw.iter().map(|r| r / s).collect();
        let mean_score: f64 = u.iter().zip(&means).map(|(a, b)| a * b).sum();
        Ok(SatisfactionIndex {
            items: items.names().to_vec(),
            weights: weights.to_vec(),
            unstandardized_weights: u,
            mean_score,
            index: items.scale().to_percent(mean_score),
            rows_used: rows.len(),
        })
    }
}

impl fmt::Display for SatisfactionIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "satisfaction index {:.2} (mean score {:.4}, {} respondents)",
            self.index, self.mean_score, self.rows_used
        )?;
        for (i, n) in self.items.iter().enumerate() {
            writeln!(
                f,
                "  {:<12} w {:>8.4}  u {:>8.4}",
                n, self.weights[i], self.unstandardized_weights[i]
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::LikertScale;
    use approx::assert_relative_eq;
    use nalgebra::DMatrix;

    #[test]
    fn unstandardised_weights_by_hand() {
        // a = (2, 4, 6): mean 4, sd 2; b = (3, 3, 6): mean 4, sd √3. Weights (1, 1):
        // w/sd = (0.5, 0.57735) -> u = (0.4641, 0.5359), Σ u x̄ = 4 -> CSI = 100 · 3/9.
        let d = DMatrix::from_row_slice(3, 2, &[2.0, 3.0, 4.0, 3.0, 6.0, 6.0]);
        let items = ItemMatrix::new(d, &["a", "b"], LikertScale::new(1.0, 10.0).unwrap()).unwrap();
        let csi = SatisfactionIndex::compute(&items, &[1.0, 1.0]).unwrap();
        let (ua, ub) = (0.5, 1.0 / 3f64.sqrt());
        assert_relative_eq!(
            csi.unstandardized_weights[0],
            ua / (ua + ub),
            epsilon = 1e-15
        );
        assert_relative_eq!(csi.index, 100.0 / 3.0, epsilon = 1e-12);
        assert!(SatisfactionIndex::compute(&items, &[1.0, -(3f64.sqrt()) / 2.0]).is_err());
    }
}
