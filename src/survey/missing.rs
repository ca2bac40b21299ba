use nalgebra::{DMatrix, DMatrixView, DVector, Dyn};
use serde::{Deserialize, Serialize};

use super::items::ItemMatrix;
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

/// Means and covariance of complete data in one pass over the matrix.
///
/// Shifted-data algorithm (Chan, Golub & LeVeque 1983): with the shift `K_j` = the first
/// row's value of column `j` (a data value, so `|mean_j - K_j|` is of the order of the
/// spread, never of the magnitude), `S = Σ (x - K)(x - K)ᵀ` and `d = mean - K`,
/// `cov = (S - n d dᵀ) / (n - 1)`. Rows are processed in cache-sized blocks; each centred
/// block is multiplied as `Bᵀ B` through a strided transposed view, so nalgebra hands it
/// to its blocked, vectorised GEMM (matrixmultiply) without materialising a transpose.
/// A NaN anywhere makes its column sum NaN, which the caller uses as the missing-value
/// test (item data hold no infinities).
pub(crate) fn moments_complete(data: &DMatrix<f64>) -> Moments {
    const BLOCK: usize = 1024;
    const GEMM_MIN_DIM: usize = 5;
    let n = data.nrows();
    let k = data.ncols();
    let mut cov = DMatrix::zeros(k, k);
    if n == 0 {
        return Moments {
            n,
            means: DVector::zeros(k),
            cov,
        };
    }
    let src = data.as_slice();
    let shift: Vec<f64> = (0..k).map(|j| src[j * n]).collect();
    let mut sums = vec![0.0; k];
    let mut buf = vec![0.0; BLOCK.min(n) * k];
    let mut start = 0;
    while start < n {
        let b = BLOCK.min(n - start);
        for j in 0..k {
            let m = shift[j];
            let col = &src[j * n + start..j * n + start + b];
            let mut s = 0.0;
            for (d, x) in buf[j * b..(j + 1) * b].iter_mut().zip(col) {
                *d = x - m;
                s += *d;
            }
            sums[j] += s;
        }
        if k > GEMM_MIN_DIM && b > GEMM_MIN_DIM {
            let blk = DMatrixView::from_slice_generic(&buf[..b * k], Dyn(b), Dyn(k));
            let blk_t = DMatrixView::from_slice_with_strides_generic(
                &buf[..b * k],
                Dyn(k),
                Dyn(b),
                Dyn(b),
                Dyn(1),
            );
            cov.gemm(1.0, &blk_t, &blk, 1.0);
        } else {
            // nalgebra only dispatches to matrixmultiply above 5 x 5; below, plain dots.
            for a in 0..k {
                let ca = &buf[a * b..(a + 1) * b];
                for c in 0..=a {
                    let cc = &buf[c * b..(c + 1) * b];
                    let dot: f64 = ca.iter().zip(cc).map(|(x, y)| x * y).sum();
                    cov[(a, c)] += dot;
                    if a != c {
                        cov[(c, a)] += dot;
                    }
                }
            }
        }
        start += b;
    }
    let nf = n as f64;
    let d: Vec<f64> = sums.iter().map(|s| s / nf).collect();
    let denom = (n.max(2) - 1) as f64;
    for a in 0..k {
        for c in 0..=a {
            // Exact symmetry: GEMM may round the two triangles differently.
            let v = (0.5 * (cov[(a, c)] + cov[(c, a)]) - nf * d[a] * d[c]) / denom;
            cov[(a, c)] = v;
            cov[(c, a)] = v;
        }
    }
    let means = DVector::from_iterator(k, (0..k).map(|j| shift[j] + d[j]));
    Moments { n, means, cov }
}

/// Exact co-moments of integer scores with a small range (Likert data), or `None` when
/// the data hold a missing value or the range is too wide.
///
/// Scores are shifted to `0..=range` and stored as `i16`; cross-products are summed in
/// integers (i32 within blocks of 8,192 rows, i64 across blocks), which the compiler
/// vectorises freely because integer addition is associative. The covariance is then
/// `(n S_ab - S_a S_b) / (n (n - 1))` with an exact i128 numerator: correctly rounded
/// up to two roundings, more accurate than any floating-point pass.
pub(crate) fn moments_integer(data: &DMatrix<f64>, lo: f64, range: f64) -> Option<Moments> {
    let packed = pack_integer(data, lo, range)?;
    Some(moments_packed(&packed, data.nrows(), data.ncols(), lo))
}

/// Largest `max - min` of an integer scale whose scores are packed as `i16`:
/// 180² · 8,192 < 2^31, so the i32 block sums of [`moments_packed`] cannot overflow.
pub(crate) const PACKED_MAX_RANGE: f64 = 180.0;

/// Column-major `i16` copy of integer scores shifted to `0..=range`, or `None` for a
/// missing value, a score off the grid or a range above [`PACKED_MAX_RANGE`].
pub(crate) fn pack_integer(data: &DMatrix<f64>, lo: f64, range: f64) -> Option<Vec<i16>> {
    if range.is_nan() || range > PACKED_MAX_RANGE || data.nrows() == 0 {
        return None;
    }
    let src = data.as_slice();
    let ok = src.iter().all(|&v| {
        let x = v - lo;
        x >= 0.0 && x <= range && super::scale::is_whole(x)
    });
    ok.then(|| src.iter().map(|&v| (v - lo) as i16).collect())
}

/// Exact co-moments of packed scores (see [`moments_integer`]).
pub(crate) fn moments_packed(cols: &[i16], n: usize, k: usize, lo: f64) -> Moments {
    const BLOCK: usize = 8192;
    let sums: Vec<i64> = cols
        .chunks(n.max(1))
        .map(|c| c.iter().map(|&x| i64::from(x)).sum())
        .collect();
    let mut cross = vec![0i64; k * k];
    let mut start = 0;
    while start < n {
        let end = (start + BLOCK).min(n);
        for a in 0..k {
            let ca = &cols[a * n + start..a * n + end];
            for c in 0..=a {
                let cc = &cols[c * n + start..c * n + end];
                let dot: i32 = ca
                    .iter()
                    .zip(cc)
                    .map(|(&x, &y)| i32::from(x) * i32::from(y))
                    .sum();
                cross[a * k + c] += i64::from(dot);
            }
        }
        start = end;
    }
    let ni = n as i128;
    let denom = n as f64 * (n.max(2) - 1) as f64;
    let mut cov = DMatrix::zeros(k, k);
    for a in 0..k {
        for c in 0..=a {
            let num = ni * i128::from(cross[a * k + c]) - i128::from(sums[a]) * i128::from(sums[c]);
            let v = num as f64 / denom;
            cov[(a, c)] = v;
            cov[(c, a)] = v;
        }
    }
    let means = DVector::from_iterator(k, sums.iter().map(|&s| lo + s as f64 / n.max(1) as f64));
    Moments { n, means, cov }
}

/// [`moments`] for an item matrix: the exact integer path on its packed scores when it
/// has them (integer scale, no missing value).
pub(crate) fn item_moments(items: &ItemMatrix, policy: MissingPolicy) -> Result<Moments> {
    if let Some(p) = items.packed() {
        return Ok(moments_packed(
            p,
            items.nrows(),
            items.ncols(),
            items.scale().min(),
        ));
    }
    moments(items.data(), policy)
}

/// Means and covariance under a missing-value policy.
pub(crate) fn moments(data: &DMatrix<f64>, policy: MissingPolicy) -> Result<Moments> {
    // Item data hold no infinities, so a mean is NaN exactly when its column has a
    // missing value: the one pass doubles as the missing-value scan.
    let m = moments_complete(data);
    if m.means.iter().all(|v| !v.is_nan()) {
        return Ok(m);
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

    #[test]
    fn integer_path_equals_float_path() {
        // 20,000 pseudo-random scores on 1..7 in 6 columns (more than one 8,192-row block,
        // more than 5 columns so the float path uses GEMM).
        let mut x: u64 = 7;
        let d = DMatrix::from_fn(20_000, 6, |_, j| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (1 + ((x >> 33) % 7) as usize * (j % 2 + 1) % 7) as f64
        });
        let f = moments_complete(&d);
        let i = moments_integer(&d, 1.0, 6.0).unwrap();
        assert_eq!(i.n, f.n);
        for (a, b) in i.cov.iter().zip(f.cov.iter()) {
            assert_relative_eq!(a, b, max_relative = 1e-13);
        }
        for (a, b) in i.means.iter().zip(f.means.iter()) {
            assert_relative_eq!(a, b, max_relative = 1e-14);
        }
        let mut m = d.clone();
        m[(3, 2)] = f64::NAN;
        assert!(moments_integer(&m, 1.0, 6.0).is_none());
        assert!(moments_integer(&d, 1.0, 500.0).is_none());
    }
}
