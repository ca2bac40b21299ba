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
    /// Upper-triangular R of the centred (with intercept) and column-scaled `[X | y]`,
    /// `(k + 1) x (k + 1)`.
    pub(crate) r: DMatrix<f64>,
    /// Column means of `x` and the mean of `y` (zeros without intercept).
    pub(crate) x_mean: DVector<f64>,
    pub(crate) y_mean: f64,
}

/// Ratio `max|R_ii| / min|R_ii|` above which the solution is refined.
const REFINE_CONDITION: f64 = 1e6;

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
    let mut x_mean = DVector::zeros(k);
    let mut y_mean = 0.0;
    if intercept {
        for j in 0..k {
            x_mean[j] = accurate_mean(x.column(j).iter().copied());
        }
        y_mean = accurate_mean(y.iter().copied());
    }

    // Augmented, centred matrix A = [Xc | yc].
    let mut a = DMatrix::<f64>::zeros(n, k + 1);
    for j in 0..k {
        let m = x_mean[j];
        for (dst, &src) in a.column_mut(j).iter_mut().zip(x.column(j).iter()) {
            *dst = src - m;
        }
    }
    for (dst, &src) in a.column_mut(k).iter_mut().zip(y.iter()) {
        *dst = src - y_mean;
    }

    // A column that is (numerically) constant duplicates the intercept; a zero column
    // without intercept is dependent on nothing at all.
    let eps = f64::EPSILON;
    let rel_tol = rank_tolerance.unwrap_or((n.max(k + 1)) as f64 * eps);
    let mut scale = DVector::<f64>::zeros(k + 1);
    for j in 0..=k {
        let norm = a.column(j).norm();
        if j < k {
            let raw = x.column(j).norm();
            if norm <= rel_tol.max(n as f64 * eps) * raw || norm == 0.0 {
                let mut columns = Vec::new();
                if intercept {
                    columns.push("(intercept)".to_string());
                }
                columns.push(names[j].clone());
                return Err(Error::RankDeficient { columns });
            }
        }
        scale[j] = if norm > 0.0 { norm } else { 1.0 };
    }
    let tss = if intercept {
        a.column(k).norm_squared()
    } else {
        y.norm_squared()
    };
    if tss == 0.0 || (intercept && a.column(k).norm() <= n as f64 * eps * y.norm()) {
        return Err(Error::input(
            "y",
            "the response is constant (zero without intercept): R², t and F are undefined",
        ));
    }
    for j in 0..=k {
        let s = scale[j];
        a.column_mut(j).iter_mut().for_each(|v| *v /= s);
    }

    let r_full = a.qr().r();
    let r = r_full.view((0, 0), (k + 1, k + 1)).into_owned();

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

    // On ill-conditioned designs, one step of iterative refinement by the corrected
    // semi-normal equations (Björck 1987) with the residual r = yc - Xc b accumulated in
    // double-double arithmetic: R'R u = Xs' r, b += D^-1 u. It recovers digits lost to
    // rounding in Q'y; well-conditioned designs skip it (it would change nothing).
    let min_diag = (0..k)
        .map(|i| r[(i, i)].abs())
        .fold(f64::INFINITY, f64::min);
    if k > 0 && max_diag > REFINE_CONDITION * min_diag {
        let mut g = DVector::<f64>::zeros(k);
        for i in 0..n {
            let mut acc = DoubleDouble::from_diff(y[i], y_mean);
            for j in 0..k {
                acc.sub_product_of_diff(x[(i, j)], x_mean[j], b[j]);
            }
            let res = acc.value();
            for j in 0..k {
                g[j] += (x[(i, j)] - x_mean[j]) / scale[j] * res;
            }
        }
        if let Some(w) = rxx.tr_solve_upper_triangular(&g)
            && let Some(u) = rxx.solve_upper_triangular(&w)
        {
            for j in 0..k {
                b[j] += u[j] / scale[j];
            }
        }
    }

    // (Xc'Xc)^-1 = D^-1 R^-1 R^-T D^-1.
    let mut m = DMatrix::<f64>::zeros(k, k);
    if k > 0 {
        let rinv = rxx
            .solve_upper_triangular(&DMatrix::identity(k, k))
            .ok_or_else(|| Error::Singular {
                what: "R factor".into(),
                reason: "zero on the diagonal".into(),
            })?;
        let g = &rinv * rinv.transpose();
        for i in 0..k {
            for j in 0..k {
                m[(i, j)] = g[(i, j)] / (scale[i] * scale[j]);
            }
        }
    }

    // Residuals from the centred data (fewer leading digits than the raw data).
    let mut residuals = DVector::<f64>::zeros(n);
    for i in 0..n {
        let mut fit = 0.0;
        for j in 0..k {
            fit += (x[(i, j)] - x_mean[j]) * b[j];
        }
        residuals[i] = (y[i] - y_mean) - fit;
    }
    let rss = residuals.norm_squared();

    let (coef, xtx_inv) = if intercept {
        let p = k + 1;
        let mut coef = DVector::zeros(p);
        coef[0] = y_mean - x_mean.dot(&b);
        coef.rows_mut(1, k).copy_from(&b);
        // Var(a)/s² = 1/n + x̄'(Xc'Xc)^-1 x̄ = 1/n + ||z||² with R'z = D^-1 x̄: a sum of
        // squares, free of the cancellation in the quadratic form.
        let xs = DVector::from_iterator(k, (0..k).map(|j| x_mean[j] / scale[j]));
        let z = rxx
            .tr_solve_upper_triangular(&xs)
            .unwrap_or_else(|| DVector::zeros(k));
        let mx = &m * &x_mean;
        let mut full = DMatrix::zeros(p, p);
        full[(0, 0)] = 1.0 / n as f64 + z.norm_squared();
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
        r,
        x_mean,
        y_mean,
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
