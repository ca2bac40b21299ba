use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// How missing answers (NaN) are handled.
///
/// | Policy | Rows used | Where it applies |
/// |---|---|---|
/// | `Listwise` (default) | respondents who answered every item involved | everywhere |
/// | `Pairwise` | each covariance from the respondents who answered both items | reliability, correlations; not scores |
/// | `ItemMean` | every respondent; a missing answer is replaced by the item's mean over those who answered | everywhere |
///
/// Results report the rows each policy used ([`ScaleReliability::rows_used`](super::ScaleReliability::rows_used)).
/// Under `Pairwise` the reported count is the smallest pairwise count, which is also the
/// `n` used by the Feldt interval (conservative; pingouin uses every row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum MissingPolicy {
    /// Drop respondents with any missing answer (SPSS RELIABILITY, pingouin default).
    #[default]
    Listwise,
    /// Pairwise-complete covariances (pandas `DataFrame.cov`, pingouin `nan_policy="pairwise"`).
    Pairwise,
    /// Replace a missing answer by the item mean (seminr's treatment of `-99` codes).
    ItemMean,
}

/// Means and sample covariance (n - 1) of the columns of a matrix under a missing policy.
#[derive(Debug, Clone)]
pub(crate) struct Moments {
    pub(crate) n: usize,
    pub(crate) means: DVector<f64>,
    pub(crate) cov: DMatrix<f64>,
}

/// Rows with no NaN, in order.
pub(crate) fn complete_row_indices(data: &DMatrix<f64>) -> Vec<usize> {
    (0..data.nrows())
        .filter(|&i| data.row(i).iter().all(|v| !v.is_nan()))
        .collect()
}

/// `data` with missing cells handled for a row-wise statistic (scores, regression):
/// listwise keeps complete rows, item-mean fills cells. Returns the matrix and the indices
/// of the rows kept.
pub(crate) fn complete_data(
    data: &DMatrix<f64>,
    policy: MissingPolicy,
) -> Result<(DMatrix<f64>, Vec<usize>)> {
    match policy {
        MissingPolicy::Listwise => {
            let rows = complete_row_indices(data);
            if rows.len() == data.nrows() {
                Ok((data.clone(), rows))
            } else {
                Ok((data.select_rows(rows.iter()), rows))
            }
        }
        MissingPolicy::ItemMean => Ok((fill_item_means(data)?, (0..data.nrows()).collect())),
        MissingPolicy::Pairwise => Err(Error::option(
            "missing",
            "Pairwise",
            "Listwise or ItemMean (pairwise deletion applies to covariances, not to per-respondent scores)",
        )),
    }
}

fn fill_item_means(data: &DMatrix<f64>) -> Result<DMatrix<f64>> {
    let mut out = data.clone();
    for j in 0..out.ncols() {
        let (s, c) = out
            .column(j)
            .iter()
            .filter(|v| !v.is_nan())
            .fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
        if c == 0 {
            return Err(Error::input(
                "item matrix",
                format!("column {j} has no answers, so its mean cannot replace missing values"),
            ));
        }
        let m = s / c as f64;
        out.column_mut(j).apply(|v| {
            if v.is_nan() {
                *v = m;
            }
        });
    }
    Ok(out)
}

/// Two-pass means and covariance of complete data.
pub(crate) fn moments_complete(data: &DMatrix<f64>) -> Moments {
    let n = data.nrows();
    let k = data.ncols();
    let means = DVector::from_iterator(k, data.column_iter().map(|c| c.sum() / n as f64));
    let mut centred = data.clone();
    for (j, mut c) in centred.column_iter_mut().enumerate() {
        let m = means[j];
        c.apply(|v| *v -= m);
    }
    let denom = (n.max(2) - 1) as f64;
    let cov = centred.tr_mul(&centred) / denom;
    Moments { n, means, cov }
}

/// Means and covariance under a missing-value policy.
pub(crate) fn moments(data: &DMatrix<f64>, policy: MissingPolicy) -> Result<Moments> {
    let has_missing = data.iter().any(|v| v.is_nan());
    if !has_missing {
        return Ok(moments_complete(data));
    }
    match policy {
        MissingPolicy::Listwise | MissingPolicy::ItemMean => {
            let (d, _) = complete_data(data, policy)?;
            Ok(moments_complete(&d))
        }
        MissingPolicy::Pairwise => Ok(moments_pairwise(data)),
    }
}

fn moments_pairwise(data: &DMatrix<f64>) -> Moments {
    let k = data.ncols();
    let mut cov = DMatrix::zeros(k, k);
    let mut n_min = usize::MAX;
    let means = DVector::from_iterator(
        k,
        data.column_iter().map(|c| {
            let (s, m) = c
                .iter()
                .filter(|v| !v.is_nan())
                .fold((0.0, 0usize), |(s, m), v| (s + v, m + 1));
            s / m.max(1) as f64
        }),
    );
    for a in 0..k {
        for b in a..k {
            let ca = data.column(a);
            let cb = data.column(b);
            let both: Vec<(f64, f64)> = ca
                .iter()
                .zip(cb.iter())
                .filter(|(x, y)| !x.is_nan() && !y.is_nan())
                .map(|(x, y)| (*x, *y))
                .collect();
            let m = both.len();
            n_min = n_min.min(m);
            let (ma, mb) = both
                .iter()
                .fold((0.0, 0.0), |(p, q), (x, y)| (p + x, q + y));
            let (ma, mb) = (ma / m.max(1) as f64, mb / m.max(1) as f64);
            let s: f64 = both.iter().map(|(x, y)| (x - ma) * (y - mb)).sum();
            let c = if m > 1 { s / (m - 1) as f64 } else { f64::NAN };
            cov[(a, b)] = c;
            cov[(b, a)] = c;
        }
    }
    Moments {
        n: if n_min == usize::MAX { 0 } else { n_min },
        means,
        cov,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn policies_by_hand() {
        // columns a = (1, 2, 3, NaN), b = (2, 4, 5, 1)
        let nan = f64::NAN;
        let d = DMatrix::from_row_slice(4, 2, &[1.0, 2.0, 2.0, 4.0, 3.0, 5.0, nan, 1.0]);
        // listwise: rows 0..3; mean a = 2, b = 11/3; cov = ((-1)(-5/3) + 0 + 1(4/3))/2 = 1.5
        let m = moments(&d, MissingPolicy::Listwise).unwrap();
        assert_eq!(m.n, 3);
        assert_relative_eq!(m.cov[(0, 1)], 1.5, epsilon = 1e-12);
        // item mean: a(3) = 2; var a = (1 + 0 + 1 + 0)/3 = 2/3
        let m = moments(&d, MissingPolicy::ItemMean).unwrap();
        assert_eq!(m.n, 4);
        assert_relative_eq!(m.cov[(0, 0)], 2.0 / 3.0, epsilon = 1e-12);
        // pairwise: var b over 4 rows: mean 3, ss = 1 + 1 + 4 + 4 = 10, var = 10/3
        let m = moments(&d, MissingPolicy::Pairwise).unwrap();
        assert_eq!(m.n, 3);
        assert_relative_eq!(m.cov[(1, 1)], 10.0 / 3.0, epsilon = 1e-12);
        assert_relative_eq!(m.cov[(0, 1)], 1.5, epsilon = 1e-12);
        assert!(complete_data(&d, MissingPolicy::Pairwise).is_err());
    }
}
