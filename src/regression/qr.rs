//! The least-squares kernel: Householder QR of the centred, column-scaled `[X | y]`.

use nalgebra::{DMatrix, DVector};

use crate::{Error, Result};

/// Everything the fitted model derives its statistics from.
#[derive(Debug, Clone)]
pub(crate) struct Core {
    /// Coefficients, intercept first when present.
    pub(crate) coef: DVector<f64>,
    /// `(X'X)^-1` of the full parameter vector (intercept first), so that the classical
    /// covariance is `s² · xtx_inv`.
    pub(crate) xtx_inv: DMatrix<f64>,
    /// `y - X b`.
    pub(crate) residuals: DVector<f64>,
    /// Residual sum of squares.
    pub(crate) rss: f64,
    /// Total sum of squares: about the mean with an intercept, about zero without.
    pub(crate) tss: f64,
    /// Regression sum of squares: `tss - rss`, or on ill-conditioned designs the sum of
    /// squared fitted values (about the mean) formed directly in double-double.
    pub(crate) ess: f64,
    /// Upper-triangular R of the centred (with intercept) and column-scaled `[X | y]`,
    /// `(k + 1) x (k + 1)`.
    pub(crate) r: DMatrix<f64>,
    /// Column means of `x` and the mean of `y` (zeros without intercept).
    pub(crate) x_mean: DVector<f64>,
    pub(crate) y_mean: f64,
    /// `W = D^-1 R_xx^-1` (k x k), so that `(Xc'Xc)^-1 = W W'` and the leverage of a
    /// centred row is `||xc' W||²` (+ 1/n with an intercept).
    pub(crate) lev_map: DMatrix<f64>,
}

/// Ratio `max|R_ii| / min|R_ii|` above which the coefficients are refined.
const REFINE_CONDITION: f64 = 100.0;

/// Problems of up to this many cells (n·k) always have their coefficients refined.
const REFINE_ALWAYS_CELLS: usize = 1 << 20;

/// Ratio `max|R_ii| / min|R_ii|` above which `(X'X)^-1` is refined too.
const COV_REFINE_CONDITION: f64 = 1e6;

/// Maximum refinement steps for the coefficients.
const REFINE_STEPS: usize = 3;

/// `yc - Xc b` for every row, each accumulated in double-double.
fn centred_residual(
    x: &DMatrix<f64>,
    y: &DVector<f64>,
    x_mean: &DVector<f64>,
    y_mean: f64,
    b: &DVector<f64>,
) -> Vec<f64> {
    (0..x.nrows())
        .map(|i| {
            let mut acc = DoubleDouble::from_diff(y[i], y_mean);
            for j in 0..x.ncols() {
                acc.sub_product_of_diff(x[(i, j)], x_mean[j], b[j]);
            }
            acc.value()
        })
        .collect()
}

/// `Xc' v`, each entry accumulated in double-double.
fn centred_transpose_times(x: &DMatrix<f64>, x_mean: &DVector<f64>, v: &[f64]) -> DVector<f64> {
    DVector::from_iterator(
        x.ncols(),
        (0..x.ncols()).map(|j| {
            let mut acc = DoubleDouble { hi: 0.0, lo: 0.0 };
            for (i, &vi) in v.iter().enumerate() {
                acc.sub_product_of_diff(x[(i, j)], x_mean[j], -vi);
            }
            acc.value()
        }),
    )
}

/// Two refinement steps of `s` towards the solution of `Xc'Xc s = rhs`.
fn refine_solution(
    x: &DMatrix<f64>,
    x_mean: &DVector<f64>,
    s: &mut DVector<f64>,
    rhs: &DVector<f64>,
    correct: &impl Fn(&DVector<f64>) -> DVector<f64>,
) {
    for _ in 0..2 {
        let zero = DVector::zeros(x.nrows());
        // Xc s (as the residual of y = 0, negated), then Xc'Xc s.
        let xs: Vec<f64> = centred_residual(x, &zero, x_mean, 0.0, s)
            .iter()
            .map(|v| -v)
            .collect();
        let xtxs = centred_transpose_times(x, x_mean, &xs);
        let u = correct(&(rhs - xtxs));
        *s += u;
    }
}

/// A double-double accumulator (Dekker 1971; Ogita, Rump & Oishi 2005) for residuals.
#[derive(Debug, Clone, Copy)]
struct DoubleDouble {
    hi: f64,
    lo: f64,
}

impl DoubleDouble {
    /// `a - b` exactly, as a double-double (TwoSum).
    fn from_diff(a: f64, b: f64) -> DoubleDouble {
        let (hi, lo) = two_sum(a, -b);
        DoubleDouble { hi, lo }
    }

    /// `self -= (a - m) * b`, with the difference and the product kept exact.
    fn sub_product_of_diff(&mut self, a: f64, m: f64, b: f64) {
        let (d_hi, d_lo) = two_sum(a, -m);
        let p = d_hi * b;
        let p_err = d_hi.mul_add(b, -p) + d_lo * b;
        let (s, e) = two_sum(self.hi, -p);
        self.hi = s;
        self.lo += e - p_err;
    }

    fn value(self) -> f64 {
        self.hi + self.lo
    }
}

/// Knuth's TwoSum: `a + b = s + e` exactly.
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    let e = (a - (s - bb)) + (b - bb);
    (s, e)
}

/// Rows per cache block in the row-wise passes (residuals, leverage).
pub(crate) const ROW_BLOCK: usize = 4096;

/// Run `f(first_row, rows)` over `out`, split in two halves on two threads when it is
/// long (a fixed split: results do not depend on the machine), else in one call.
pub(crate) fn for_row_halves<F>(out: &mut [f64], f: F)
where
    F: Fn(usize, &mut [f64]) + Sync,
{
    let n = out.len();
    if n < PARALLEL_ROWS {
        f(0, out);
        return;
    }
    let half = n / 2;
    let (a, b) = out.split_at_mut(half);
    std::thread::scope(|s| {
        s.spawn(|| f(half, b));
        f(0, a);
    });
}

/// Rows from which the QR is split over two threads.
const PARALLEL_ROWS: usize = 1 << 16;

/// Rows per block of the blocked Householder QR (a block of 11 columns fits in L2).
const QR_BLOCK_ROWS: usize = 2048;

/// The upper `m x m` triangle of the R factor of `a` (which has at least `m` rows).
pub(crate) fn upper_factor(a: DMatrix<f64>, m: usize) -> DMatrix<f64> {
    let r = a.qr().r();
    let mut out = DMatrix::zeros(m, m);
    let rows = r.nrows().min(m);
    out.view_mut((0, 0), (rows, m))
        .copy_from(&r.view((0, 0), (rows, m)));
    out
}

/// Euclidean norms of `v - c` and of `v` in one pass; a second, scaled pass only when the
/// plain sum of squares overflows (entries beyond about 1e154).
fn centred_and_raw_norm(v: &[f64], c: f64) -> (f64, f64) {
    let (mut sc, mut sr) = (0.0f64, 0.0f64);
    for &x in v {
        let d = x - c;
        sc += d * d;
        sr += x * x;
    }
    if sc.is_finite() && sr.is_finite() {
        return (sc.sqrt(), sr.sqrt());
    }
    let scaled = |c: f64| {
        let big = v.iter().fold(0.0f64, |a, &x| a.max((x - c).abs()));
        if big == 0.0 || !big.is_finite() {
            return big;
        }
        big * v
            .iter()
            .map(|&x| ((x - c) / big).powi(2))
            .sum::<f64>()
            .sqrt()
    };
    (scaled(c), scaled(0.0))
}

/// Two-pass mean: the plain mean, corrected by the mean of the deviations from it.
pub(crate) fn accurate_mean(v: impl Iterator<Item = f64> + Clone) -> f64 {
    let (mut s, mut n) = (0.0, 0usize);
    for x in v.clone() {
        s += x;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    let m = s / n as f64;
    let corr: f64 = v.map(|x| x - m).sum::<f64>() / n as f64;
    m + corr
}

/// Solve the least-squares problem. Inputs are already validated (finite, n > p).
pub(crate) fn solve(
    x: &DMatrix<f64>,
    y: &DVector<f64>,
    intercept: bool,
    rank_tolerance: Option<f64>,
    names: &[String],
) -> Result<Core> {
    let (n, k) = x.shape();
    // Per column (the k predictors, then y): mean (two-pass, zero without intercept) and
    // the centred and raw norms; columns are independent, so large inputs use two threads.
    let column = |j: usize| -> (f64, f64, f64) {
        let v = if j < k {
            &x.as_slice()[j * n..(j + 1) * n]
        } else {
            y.as_slice()
        };
        let mean = if intercept {
            accurate_mean(v.iter().copied())
        } else {
            0.0
        };
        let (norm, raw) = centred_and_raw_norm(v, mean);
        (mean, norm, raw)
    };
    let stats: Vec<(f64, f64, f64)> = if n >= PARALLEL_ROWS && k > 0 {
        let odd = crate::parallel::join(
            || (0..=k).step_by(2).map(column).collect::<Vec<_>>(),
            || (1..=k).step_by(2).map(column).collect::<Vec<_>>(),
        );
        match odd {
            (even, Some(odd)) => (0..=k)
                .map(|j| if j % 2 == 0 { even[j / 2] } else { odd[j / 2] })
                .collect(),
            (_, None) => (0..=k).map(column).collect(),
        }
    } else {
        (0..=k).map(column).collect()
    };
    let x_mean = DVector::from_iterator(k, stats.iter().take(k).map(|s| s.0));
    let y_mean = stats[k].0;

    // Column norms of the centred data, overflow-safe (scaled by the largest entry).
    let eps = f64::EPSILON;
    let rel_tol = rank_tolerance.unwrap_or((n.max(k + 1)) as f64 * eps);
    let mut scale = DVector::<f64>::zeros(k + 1);
    for j in 0..=k {
        let (_, norm, raw) = stats[j];
        if j < k && (norm == 0.0 || norm <= rel_tol.max(n as f64 * eps) * raw) {
            // A (numerically) constant column duplicates the intercept; a zero column
            // without intercept is dependent on nothing at all.
            let mut columns = Vec::new();
            if intercept {
                columns.push("(intercept)".to_string());
            }
            columns.push(names[j].clone());
            return Err(Error::RankDeficient { columns });
        }
        if j == k && (norm == 0.0 || (intercept && norm <= n as f64 * eps * raw)) {
            return Err(Error::input(
                "y",
                "the response is constant (zero without intercept): R², t and F are undefined",
            ));
        }
        scale[j] = norm;
    }
    let tss = {
        let s = scale[k];
        s * s
    };

    // Householder QR of the centred, scaled [Xc | yc], by blocks of rows that stay in
    // cache: each block is factored stacked under the running R (TSQR).
    let m = k + 1;
    let factor_rows = |from: usize, to: usize| -> DMatrix<f64> {
        let mut r = DMatrix::<f64>::zeros(m, m);
        let mut start = from;
        while start < to {
            let len = (to - start).min(QR_BLOCK_ROWS);
            // The first block is factored alone; later ones under the running R.
            let top = if start == from { 0 } else { m };
            let mut stacked = DMatrix::<f64>::zeros(top + len, m);
            if top > 0 {
                stacked.view_mut((0, 0), (m, m)).copy_from(&r);
            }
            for j in 0..k {
                let (mj, sj) = (x_mean[j], scale[j]);
                let src = &x.as_slice()[j * n + start..j * n + start + len];
                for (dst, &v) in stacked.column_mut(j).as_mut_slice()[top..]
                    .iter_mut()
                    .zip(src)
                {
                    *dst = (v - mj) / sj;
                }
            }
            let sy = scale[k];
            let src = &y.as_slice()[start..start + len];
            for (dst, &v) in stacked.column_mut(k).as_mut_slice()[top..]
                .iter_mut()
                .zip(src)
            {
                *dst = (v - y_mean) / sy;
            }
            r = upper_factor(stacked, m);
            start += len;
        }
        r
    };
    // Large problems are factored in two halves on two threads and merged (TSQR); the
    // split is fixed, so the result does not depend on the machine.
    let r = if n >= PARALLEL_ROWS {
        let half = n / 2;
        let (top, bottom) = crate::parallel::join(|| factor_rows(0, half), || factor_rows(half, n));
        match bottom {
            Some(bottom) => {
                let mut stacked = DMatrix::<f64>::zeros(2 * m, m);
                stacked.view_mut((0, 0), (m, m)).copy_from(&top);
                stacked.view_mut((m, 0), (m, m)).copy_from(&bottom);
                upper_factor(stacked, m)
            }
            // A worker cannot panic on validated input; fall back to one thread if it did.
            None => factor_rows(0, n),
        }
    } else {
        factor_rows(0, n)
    };

    // Rank test on the x part of R.
    let max_diag = (0..k).map(|i| r[(i, i)].abs()).fold(0.0, f64::max);
    for j in 0..k {
        if r[(j, j)].abs() <= rel_tol * max_diag {
            // Express column j through the columns before it: R[..j, ..j] c = R[..j, j].
            let mut columns = Vec::new();
            if j > 0 {
                let rjj = r.view((0, 0), (j, j)).into_owned();
                let rhs = r.view((0, j), (j, 1)).column(0).into_owned();
                if let Some(c) = rjj.solve_upper_triangular(&rhs) {
                    let cmax = c.amax();
                    for (i, ci) in c.iter().enumerate() {
                        if ci.abs() > 1e-8 * cmax {
                            columns.push(names[i].clone());
                        }
                    }
                }
            }
            if columns.is_empty() && intercept {
                columns.push("(intercept)".to_string());
            }
            columns.push(names[j].clone());
            return Err(Error::RankDeficient { columns });
        }
    }

    // Coefficients of the scaled problem, then unscale.
    let rxx = r.view((0, 0), (k, k)).into_owned();
    let rxy = r.view((0, k), (k, 1)).column(0).into_owned();
    let bs = if k > 0 {
        rxx.solve_upper_triangular(&rxy)
            .ok_or_else(|| Error::Singular {
                what: "R factor".into(),
                reason: "zero on the diagonal".into(),
            })?
    } else {
        DVector::zeros(0)
    };
    let dy = scale[k];
    let mut b = DVector::from_iterator(k, (0..k).map(|j| bs[j] * dy / scale[j]));

    // (Xc'Xc)^-1 = W W' with W = D^-1 R^-1.
    let singular = || Error::Singular {
        what: "R factor".into(),
        reason: "zero on the diagonal".into(),
    };
    let mut lev_map = DMatrix::<f64>::zeros(k, k);
    if k > 0 {
        let rinv = rxx
            .solve_upper_triangular(&DMatrix::identity(k, k))
            .ok_or_else(singular)?;
        for i in 0..k {
            for j in 0..k {
                lev_map[(i, j)] = rinv[(i, j)] / scale[i];
            }
        }
    }
    let mut m = &lev_map * lev_map.transpose();

    // Iterative refinement by the corrected semi-normal equations (Björck 1967, 1987):
    // residuals of the normal equations are formed in double-double arithmetic over the
    // centred rows and corrected through W W'. The coefficients (and the intercept,
    // residuals and ESS, in double-double) are refined for problems of up to
    // REFINE_ALWAYS_CELLS cells or with |R_jj| spread over more than REFINE_CONDITION;
    // the columns of (Xc'Xc)^-1 (hence the SEs) when the spread exceeds COV_REFINE_CONDITION.
    // Large, well-conditioned problems skip it: it would not change their digits.
    let min_diag = (0..k)
        .map(|i| r[(i, i)].abs())
        .fold(f64::INFINITY, f64::min);
    let spread = if min_diag > 0.0 {
        max_diag / min_diag
    } else {
        f64::INFINITY
    };
    let ill = k > 0 && (n * k <= REFINE_ALWAYS_CELLS || spread > REFINE_CONDITION);
    let correct = |g: &DVector<f64>| &lev_map * (lev_map.transpose() * g);
    if ill {
        for _ in 0..REFINE_STEPS {
            // g = Xc' (yc - Xc b), exactly rounded.
            let res = centred_residual(x, y, &x_mean, y_mean, &b);
            let g = centred_transpose_times(x, &x_mean, &res);
            let u = correct(&g);
            b += &u;
            if u.amax() <= 4.0 * f64::EPSILON * b.amax() {
                break;
            }
        }
    }
    if k > 0 && spread > COV_REFINE_CONDITION {
        // Columns of (Xc'Xc)^-1: s_j += W W' (e_j - Xc'Xc s_j).
        let mut refined = m.clone();
        for j in 0..k {
            let mut sj = m.column(j).into_owned();
            let mut e = DVector::zeros(k);
            e[j] = 1.0;
            refine_solution(x, &x_mean, &mut sj, &e, &correct);
            refined.set_column(j, &sj);
        }
        m = (&refined + refined.transpose()) * 0.5;
    }

    // Residuals from the centred data (fewer leading digits than the raw data): column by
    // column so that x is read contiguously, or in double-double on ill-conditioned
    // designs, where the terms cancel heavily.
    let residuals = if ill {
        DVector::from_vec(centred_residual(x, y, &x_mean, y_mean, &b))
    } else {
        let mut res = DVector::<f64>::zeros(n);
        let (xs, ys) = (x.as_slice(), y.as_slice());
        for_row_halves(res.as_mut_slice(), |start, out| {
            for (bi, block) in out.chunks_mut(ROW_BLOCK).enumerate() {
                let s0 = start + bi * ROW_BLOCK;
                for (i, r) in block.iter_mut().enumerate() {
                    *r = ys[s0 + i] - y_mean;
                }
                for j in 0..k {
                    let (mj, bj) = (x_mean[j], b[j]);
                    let col = &xs[j * n + s0..j * n + s0 + block.len()];
                    for (r, &xv) in block.iter_mut().zip(col) {
                        *r -= (xv - mj) * bj;
                    }
                }
            }
        });
        res
    };
    let rss = residuals.norm_squared();
    let ess = if ill {
        // Fitted values about the mean, Xc b, as the residual of a zero response.
        let zero = DVector::zeros(n);
        centred_residual(x, &zero, &x_mean, 0.0, &b)
            .iter()
            .map(|v| v * v)
            .sum()
    } else {
        tss - rss
    };

    let (coef, xtx_inv) = if intercept {
        let p = k + 1;
        let mut coef = DVector::zeros(p);
        // a = mean(y - X b): with refined b, the mean of the exact residuals (double-double)
        // avoids the cancellation in ȳ - x̄'b when the intercept is small against ȳ.
        coef[0] = if ill {
            let mut acc = DoubleDouble { hi: 0.0, lo: 0.0 };
            for i in 0..n {
                let mut row = DoubleDouble::from_diff(y[i], 0.0);
                for j in 0..k {
                    row.sub_product_of_diff(x[(i, j)], 0.0, b[j]);
                }
                let (s, e) = two_sum(acc.hi, row.hi);
                acc.hi = s;
                acc.lo += e + row.lo;
            }
            acc.value() / n as f64
        } else {
            y_mean - x_mean.dot(&b)
        };
        coef.rows_mut(1, k).copy_from(&b);
        // Var(a)/s² = 1/n + x̄'(Xc'Xc)^-1 x̄. Well-conditioned: 1/n + ||z||² with
        // R'z = D^-1 x̄, a sum of squares free of cancellation; ill-conditioned: the refined
        // solution s of Xc'Xc s = x̄ and a double-double dot product.
        let mut mx = &m * &x_mean;
        let quad = if k > 0 && spread > COV_REFINE_CONDITION {
            refine_solution(x, &x_mean, &mut mx, &x_mean, &correct);
            let mut acc = DoubleDouble { hi: 0.0, lo: 0.0 };
            for j in 0..k {
                acc.sub_product_of_diff(x_mean[j], 0.0, -mx[j]);
            }
            acc.value()
        } else {
            let xs = DVector::from_iterator(k, (0..k).map(|j| x_mean[j] / scale[j]));
            rxx.tr_solve_upper_triangular(&xs)
                .map(|z| z.norm_squared())
                .ok_or_else(singular)?
        };
        let mut full = DMatrix::zeros(p, p);
        full[(0, 0)] = 1.0 / n as f64 + quad;
        for i in 0..k {
            full[(0, i + 1)] = -mx[i];
            full[(i + 1, 0)] = -mx[i];
            for j in 0..k {
                full[(i + 1, j + 1)] = m[(i, j)];
            }
        }
        (coef, full)
    } else {
        (b, m)
    };

    Ok(Core {
        coef,
        xtx_inv,
        residuals,
        rss,
        tss,
        ess,
        r,
        x_mean,
        y_mean,
        lev_map,
    })
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn two_pass_mean_handles_leading_digits() {
        let v = [1e9 + 1.0, 1e9 + 2.0, 1e9 + 3.0];
        assert_eq!(accurate_mean(v.iter().copied()), 1e9 + 2.0);
    }

    #[test]
    fn duplicated_column_is_named() {
        let x = DMatrix::from_row_slice(4, 2, &[1.0, 2.0, 2.0, 4.0, 3.0, 6.0, 5.0, 10.0]);
        let y = DVector::from_vec(vec![1.0, 2.0, 2.0, 4.0]);
        let names = vec!["a".to_string(), "b".to_string()];
        let e = solve(&x, &y, true, None, &names).unwrap_err();
        assert_eq!(
            e,
            Error::RankDeficient {
                columns: vec!["a".into(), "b".into()]
            }
        );
    }

    #[test]
    fn constant_column_with_intercept_is_named() {
        let x = DMatrix::from_row_slice(3, 2, &[1.0, 7.0, 2.0, 7.0, 4.0, 7.0]);
        let y = DVector::from_vec(vec![1.0, 2.0, 2.5]);
        let names = vec!["a".to_string(), "c".to_string()];
        let e = solve(&x, &y, true, None, &names).unwrap_err();
        assert_eq!(
            e,
            Error::RankDeficient {
                columns: vec!["(intercept)".into(), "c".into()]
            }
        );
    }
}
