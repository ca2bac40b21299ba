use std::fmt;

use nalgebra::{DMatrix, SymmetricEigen};
use serde::Serialize;

use super::items::ItemMatrix;
use super::missing::{MissingPolicy, item_moments};
use crate::{Error, Result, validate};

/// Convergent validity of one construct from its standardised outer loadings:
/// composite reliability (rho_C, Jöreskog's rho) and average variance extracted.
///
/// # Formula
///
/// ```text
/// rho_C = (Σ λ_i)² / ((Σ λ_i)² + Σ (1 - λ_i²))
/// AVE   = Σ λ_i² / k
/// ```
///
/// Thresholds: rho_C ≥ 0.7 (Nunnally), AVE ≥ 0.5 (Fornell & Larcker 1981).
///
/// # References
/// Fornell & Larcker (1981), J. Marketing Research 18(1):39-50; Werts, Linn & Jöreskog
/// (1974), Educational and Psychological Measurement 34:25-33.
///
/// # Example
///
/// ```
/// use crm_analytics::survey::ConvergentValidity;
///
/// // λ = (0.8, 0.8): Σλ = 1.6, Σ(1-λ²) = 0.72 -> rho_C = 2.56/3.28; AVE = 0.64.
/// let cv = ConvergentValidity::from_loadings("X", &[0.8, 0.8])?;
/// assert!((cv.rho_c - 2.56 / 3.28).abs() < 1e-12);
/// assert!((cv.ave - 0.64).abs() < 1e-12);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ConvergentValidity {
    /// Construct name.
    pub name: String,
    /// The loadings used.
    pub loadings: Vec<f64>,
    /// Composite reliability rho_C.
    pub rho_c: f64,
    /// Average variance extracted.
    pub ave: f64,
}

impl ConvergentValidity {
    /// From standardised loadings (each in [-1, 1]).
    ///
    /// # Errors
    /// [`Error::Empty`] for no loadings; [`Error::InvalidValue`] for a loading that is
    /// not finite or outside [-1, 1].
    pub fn from_loadings(name: &str, loadings: &[f64]) -> Result<Self> {
        if loadings.is_empty() {
            return Err(Error::Empty {
                what: format!("loadings of `{name}`"),
            });
        }
        for (i, &l) in loadings.iter().enumerate() {
            if !(l.is_finite() && l.abs() <= 1.0) {
                return Err(Error::InvalidValue {
                    what: format!("loading of `{name}`"),
                    location: format!("index {i}"),
                    value: l,
                    expected: "a finite number in [-1, 1]".into(),
                });
            }
        }
        Ok(ConvergentValidity {
            name: name.to_string(),
            loadings: loadings.to_vec(),
            rho_c: rho_from_loadings(loadings),
            ave: loadings.iter().map(|l| l * l).sum::<f64>() / loadings.len() as f64,
        })
    }

    /// From the block's own first-principal-component loadings (the correlations of each
    /// item with the first component of the items' correlation matrix, signed so that
    /// Σλ > 0), when no PLS or factor loadings are at hand. rho_C from these loadings is
    /// the Dillon-Goldstein rho of R plspm.
    ///
    /// # Errors
    /// As [`dillon_goldstein_rho`].
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::survey::{ConvergentValidity, ItemMatrix, LikertScale, MissingPolicy};
    /// use nalgebra::DMatrix;
    ///
    /// // r = 0.8 between the two items: loadings sqrt(0.9), AVE 0.9.
    /// let d = DMatrix::from_row_slice(4, 2, &[1.0, 1.0, 2.0, 3.0, 3.0, 2.0, 4.0, 4.0]);
    /// let items = ItemMatrix::new(d, &["a", "b"], LikertScale::new(1.0, 5.0)?)?;
    /// let cv = ConvergentValidity::from_first_component("X", &items, MissingPolicy::Listwise)?;
    /// assert!((cv.ave - 0.9).abs() < 1e-12);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn from_first_component(
        name: &str,
        items: &ItemMatrix,
        missing: MissingPolicy,
    ) -> Result<Self> {
        let l = block_pc_loadings(items, missing)?;
        let l: Vec<f64> = l.into_iter().map(|x| x.clamp(-1.0, 1.0)).collect();
        Self::from_loadings(name, &l)
    }

    /// Whether rho_C ≥ 0.7 and AVE ≥ 0.5.
    #[must_use]
    pub fn is_acceptable(&self) -> bool {
        self.rho_c >= 0.7 && self.ave >= 0.5
    }
}

impl fmt::Display for ConvergentValidity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<14} rho_C {:.4}  AVE {:.4}",
            self.name, self.rho_c, self.ave
        )
    }
}

fn rho_from_loadings(l: &[f64]) -> f64 {
    let s: f64 = l.iter().sum();
    let e: f64 = l.iter().map(|x| 1.0 - x * x).sum();
    let s2 = s * s;
    if s2 + e > 0.0 { s2 / (s2 + e) } else { 0.0 }
}

/// Dillon-Goldstein rho of a block, as R plspm's `unidim` computes it: the rho_C formula
/// applied to the loadings of the block's first principal component (correlations of the
/// items with the first component of their correlation matrix), signed so that Σλ > 0.
///
/// # Errors
/// [`Error::InvalidInput`] for fewer than two items or an item with zero variance;
/// [`Error::TooFewObservations`] for fewer than two respondents after `missing`.
///
/// # Example
///
/// ```
/// use crm_analytics::survey::{ItemMatrix, LikertScale, MissingPolicy, dillon_goldstein_rho};
/// use nalgebra::DMatrix;
///
/// // Two items with r = 0.8: first-PC loadings sqrt(0.9) each -> rho = 3.6 / 3.8.
/// let d = DMatrix::from_row_slice(4, 2, &[1.0, 1.0, 2.0, 3.0, 3.0, 2.0, 4.0, 4.0]);
/// let items = ItemMatrix::new(d, &["a", "b"], LikertScale::new(1.0, 5.0)?)?;
/// let rho = dillon_goldstein_rho(&items, MissingPolicy::Listwise)?;
/// assert!((rho - 3.6 / 3.8).abs() < 1e-12);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
pub fn dillon_goldstein_rho(items: &ItemMatrix, missing: MissingPolicy) -> Result<f64> {
    Ok(rho_from_loadings(&block_pc_loadings(items, missing)?))
}

fn block_pc_loadings(items: &ItemMatrix, missing: MissingPolicy) -> Result<Vec<f64>> {
    let k = items.ncols();
    if k < 2 {
        return Err(Error::input(
            "Dillon-Goldstein rho",
            format!("needs at least 2 items, got {k}"),
        ));
    }
    let m = item_moments(items, missing)?;
    if m.n < 2 {
        return Err(Error::TooFewObservations {
            what: "Dillon-Goldstein rho".into(),
            needed: 2,
            got: m.n,
        });
    }
    let corr = correlation_matrix(&m.cov, items.names())?;
    Ok(first_pc_loadings(&corr))
}

/// Correlation matrix from a covariance matrix; errors on a zero-variance item.
pub(crate) fn correlation_matrix(cov: &DMatrix<f64>, names: &[String]) -> Result<DMatrix<f64>> {
    validate::matrix_finite("item covariance", cov)?;
    let k = cov.nrows();
    let sd: Vec<f64> = (0..k).map(|i| cov[(i, i)].sqrt()).collect();
    if let Some(i) = sd.iter().position(|s| *s <= 0.0) {
        return Err(Error::input(
            format!("item `{}`", names.get(i).map_or("?", |s| s.as_str())),
            "zero variance, so its correlations are undefined",
        ));
    }
    Ok(DMatrix::from_fn(k, k, |a, b| {
        if a == b {
            1.0
        } else {
            cov[(a, b)] / (sd[a] * sd[b])
        }
    }))
}

/// Loadings on the first principal component of a correlation matrix: sqrt(λ1) v1,
/// signed so that their sum is positive.
pub(crate) fn first_pc_loadings(corr: &DMatrix<f64>) -> Vec<f64> {
    let eig = SymmetricEigen::new(corr.clone());
    let (mut best, mut val) = (0, f64::NEG_INFINITY);
    for (i, &v) in eig.eigenvalues.iter().enumerate() {
        if v > val {
            best = i;
            val = v;
        }
    }
    let v = eig.eigenvectors.column(best);
    let sign = if v.sum() < 0.0 { -1.0 } else { 1.0 };
    v.iter().map(|x| sign * x * val.max(0.0).sqrt()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn two_item_pc_loadings_by_hand() {
        // R = [[1, r], [r, 1]]: λ1 = 1 + r, v1 = (1, 1)/√2 -> loadings sqrt((1 + r)/2) each.
        let r = 0.5;
        let corr = DMatrix::from_row_slice(2, 2, &[1.0, r, r, 1.0]);
        let l = first_pc_loadings(&corr);
        assert_relative_eq!(l[0], 0.75f64.sqrt(), epsilon = 1e-12);
        // rho = (2√.75)² / ((2√.75)² + 2·0.25) = 3 / 3.5
        assert_relative_eq!(rho_from_loadings(&l), 3.0 / 3.5, epsilon = 1e-12);
        assert!(ConvergentValidity::from_loadings("X", &[1.2]).is_err());
    }
}
