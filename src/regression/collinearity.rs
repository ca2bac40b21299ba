//! SPSS "Collinearity Diagnostics": eigenvalues, condition indices and variance
//! proportions of the scaled, uncentred cross-product matrix of the design.

use std::fmt;

use nalgebra::{DMatrix, SymmetricEigen};
use serde::Serialize;

use super::fit::OlsFit;
use crate::{Error, Result};

/// Belsley-Kuh-Welsch collinearity diagnostics, computed as SPSS REGRESSION does.
///
/// The design `X` includes the constant column when the model has an intercept. Each
/// column is scaled to unit length (uncentred), giving `Z = S X'X S` with
/// `S = diag(1 / sqrt(Σ_i x_ij²))`. With `Z = V Λ V'` (eigenvalues in decreasing order):
///
/// # Formula
///
/// ```text
/// condition index_m     = sqrt(λ_max / λ_m)
/// variance proportion_mj = (v_jm² / λ_m) / Σ_l (v_jl² / λ_l)
/// ```
///
/// so that each parameter's proportions (a column of the SPSS table) sum to 1. A
/// condition index above 15 signals possible, above 30 serious collinearity, where two or
/// more parameters have large proportions (over 0.5) on the same dimension.
///
/// # Example
///
/// ```
/// use crm_analytics::regression::Ols;
/// use nalgebra::{DMatrix, DVector};
///
/// let x = DMatrix::from_row_slice(5, 1, &[1.0, 2.0, 3.0, 4.0, 5.0]);
/// let y = DVector::from_vec(vec![2.0, 4.1, 5.9, 8.2, 9.9]);
/// let cd = Ols::new().fit(&x, &y)?.collinearity_diagnostics()?;
/// assert_eq!(cd.eigenvalues.len(), 2);
/// assert!((cd.eigenvalues.iter().sum::<f64>() - 2.0).abs() < 1e-12); // trace of Z
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// - Belsley, D. A., Kuh, E. & Welsch, R. E. (1980). *Regression Diagnostics*. Wiley.
/// - IBM SPSS Statistics Algorithms, REGRESSION: "Collinearity diagnostics".
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CollinearityDiagnostics {
    /// Parameter names: `(Constant)` first with an intercept, then the predictors.
    pub parameters: Vec<String>,
    /// Eigenvalues of `Z`, largest first (they sum to the number of parameters).
    pub eigenvalues: Vec<f64>,
    /// Condition indices `sqrt(λ_max / λ_m)`, one per dimension.
    pub condition_indices: Vec<f64>,
    /// `variance_proportions[m][j]`: share of parameter `j`'s variance on dimension `m`.
    pub variance_proportions: Vec<Vec<f64>>,
}

impl OlsFit {
    /// Collinearity diagnostics of the design, as SPSS prints them.
    ///
    /// The uncentred cross products are rebuilt from the fit's R factor, column norms
    /// and means (`X'X = Xc'Xc + n x̄ x̄'`), so no data are needed.
    ///
    /// # Errors
    /// [`Error::Singular`] if the scaled cross-product matrix has a non-positive
    /// eigenvalue (an exactly collinear design, which the fit's rank test rules out).
    pub fn collinearity_diagnostics(&self) -> Result<CollinearityDiagnostics> {
        let k = self.df_model();
        let off = usize::from(self.has_intercept());
        let p = k + off;
        let r = self.r_factor();
        let rx = r.view((0, 0), (k, k));
        let corr = rx.transpose() * rx;
        let sx = self.predictor_scales();
        let n = self.nobs() as f64;
        let m = self.x_means();
        let mut xtx = DMatrix::<f64>::zeros(p, p);
        if off == 1 {
            xtx[(0, 0)] = n;
            for j in 0..k {
                xtx[(0, j + 1)] = n * m[j];
                xtx[(j + 1, 0)] = n * m[j];
            }
        }
        for i in 0..k {
            for j in 0..k {
                xtx[(i + off, j + off)] = corr[(i, j)] * sx[i] * sx[j] + n * m[i] * m[j];
            }
        }
        let d: Vec<f64> = (0..p).map(|j| 1.0 / xtx[(j, j)].sqrt()).collect();
        let z = DMatrix::from_fn(p, p, |i, j| xtx[(i, j)] * d[i] * d[j]);
        let eig = SymmetricEigen::new(z);
        let mut order: Vec<usize> = (0..p).collect();
        order.sort_by(|&a, &b| eig.eigenvalues[b].total_cmp(&eig.eigenvalues[a]));
        let eigenvalues: Vec<f64> = order.iter().map(|&i| eig.eigenvalues[i]).collect();
        if eigenvalues.iter().any(|l| !(l.is_finite() && *l > 0.0)) {
            return Err(Error::Singular {
                what: "scaled cross-product matrix".into(),
                reason: "a non-positive eigenvalue: the design is exactly collinear".into(),
            });
        }
        let lmax = eigenvalues[0];
        let condition_indices = eigenvalues.iter().map(|l| (lmax / l).sqrt()).collect();
        // phi[m][j] = v_jm² / λ_m
        let phi: Vec<Vec<f64>> = order
            .iter()
            .map(|&c| {
                (0..p)
                    .map(|j| eig.eigenvectors[(j, c)].powi(2) / eig.eigenvalues[c])
                    .collect()
            })
            .collect();
        let totals: Vec<f64> = (0..p).map(|j| phi.iter().map(|row| row[j]).sum()).collect();
        let variance_proportions = phi
            .iter()
            .map(|row| row.iter().zip(&totals).map(|(v, t)| v / t).collect())
            .collect();
        let mut parameters = Vec::with_capacity(p);
        if off == 1 {
            parameters.push("(Constant)".to_string());
        }
        parameters.extend(self.names().iter().cloned());
        Ok(CollinearityDiagnostics {
            parameters,
            eigenvalues,
            condition_indices,
            variance_proportions,
        })
    }
}

impl fmt::Display for CollinearityDiagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = self
            .parameters
            .iter()
            .map(String::len)
            .max()
            .unwrap_or(0)
            .max(10);
        writeln!(
            f,
            "Collinearity Diagnostics (variance proportions by parameter)"
        )?;
        write!(
            f,
            "{:>9}  {:>10}  {:>9}",
            "Dimension", "Eigenvalue", "Cond.Idx"
        )?;
        for p in &self.parameters {
            write!(f, "  {p:>w$}")?;
        }
        writeln!(f)?;
        for (m, (l, ci)) in self
            .eigenvalues
            .iter()
            .zip(&self.condition_indices)
            .enumerate()
        {
            write!(f, "{:>9}  {:>10.3}  {:>9.3}", m + 1, l, ci)?;
            for v in &self.variance_proportions[m] {
                write!(f, "  {v:>w$.2}")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use approx::assert_relative_eq;
    use nalgebra::DVector;

    use super::super::Ols;

    #[test]
    fn simple_regression_by_hand() {
        // X = [1 x] with x = 1..5: Σ1 = 5, Σx = 15, Σx² = 55.
        // Z = [[1, 15/sqrt(5·55)], [., 1]] = [[1, c], [c, 1]], c = 15/sqrt(275) = 0.904534.
        // Eigenvalues 1 ± c, eigenvectors (1, ±1)/√2, so condition index sqrt((1+c)/(1-c))
        // and, with v_jm² = ½ everywhere, each parameter's proportion on dimension m is
        // (1/λ_m) / (1/λ_1 + 1/λ_2): on dimension 2, λ_1 / (λ_1 + λ_2) = (1 + c)/2.
        let x = DMatrix::from_column_slice(5, 1, &[1.0, 2.0, 3.0, 4.0, 5.0]);
        let y = DVector::from_vec(vec![2.0, 4.1, 5.9, 8.2, 9.9]);
        let cd = Ols::new()
            .fit(&x, &y)
            .unwrap()
            .collinearity_diagnostics()
            .unwrap();
        let c = 15.0 / 275f64.sqrt();
        assert_relative_eq!(cd.eigenvalues[0], 1.0 + c, max_relative = 1e-12);
        assert_relative_eq!(cd.eigenvalues[1], 1.0 - c, max_relative = 1e-12);
        assert_relative_eq!(
            cd.condition_indices[1],
            ((1.0 + c) / (1.0 - c)).sqrt(),
            max_relative = 1e-12
        );
        for j in 0..2 {
            assert_relative_eq!(
                cd.variance_proportions[1][j],
                (1.0 + c) / 2.0,
                max_relative = 1e-12
            );
        }
    }

    use nalgebra::DMatrix;
}
