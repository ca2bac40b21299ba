//! The PLS-PM iteration (Lohmöller 1989), run on the item covariance matrix.
//!
//! Every quantity of the iteration is a linear function of the items, so the whole loop
//! needs only `S = XᵀX / (n - 1)` of the preprocessed items: with `W` the block-diagonal
//! weight matrix, construct covariances are `WᵀSW` and the mode A update
//! `X_jᵀ Z_j / (n - 1) = Σ_i e_ji S_{j,i} w_i`. One pass over the data builds `S`; the
//! iterations cost `O(p²k)` whatever `n` is, and a bootstrap resample costs one `S`.

use std::collections::HashMap;

use nalgebra::{DMatrix, DVector};

use super::model::{Mode, Spec};
use super::options::{InnerScheme, MissingPolicy, Pls, Scaling};
use crate::{Error, Result};

/// Item data selected in stacked block order, after the missing-value policy.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    /// Raw item values (n x p), stacked block order.
    pub(crate) raw: DMatrix<f64>,
    /// Rows of the caller's data kept (listwise deletion drops some).
    pub(crate) rows_kept: Vec<usize>,
    /// Number of cells replaced by item means.
    pub(crate) replaced: usize,
}

/// Select the model's items from `data`, apply the missing policy and check the values.
pub(crate) fn prepare<S: AsRef<str>>(
    spec: &Spec,
    data: &DMatrix<f64>,
    columns: &[S],
    missing: MissingPolicy,
) -> Result<Prepared> {
    crate::validate::same_len(
        "column names (must equal columns of `data`)",
        data.ncols(),
        columns.len(),
    )?;
    let mut by_name: HashMap<&str, usize> = HashMap::with_capacity(columns.len());
    for (c, name) in columns.iter().enumerate() {
        if by_name.insert(name.as_ref(), c).is_some() {
            return Err(Error::DuplicateName {
                what: "data column".into(),
                name: name.as_ref().to_string(),
            });
        }
    }
    let mut cols = Vec::with_capacity(spec.p());
    for item in spec.items.iter().flatten() {
        match by_name.get(item.as_str()) {
            Some(&c) => cols.push(c),
            None => {
                return Err(Error::UnknownName {
                    what: "item (not among the data's columns)".into(),
                    name: item.clone(),
                });
            }
        }
    }
    let n = data.nrows();
    // Infinities are never data; NaN is missing.
    for r in 0..n {
        for &c in &cols {
            let v = data[(r, c)];
            if v.is_infinite() || (v.is_nan() && missing == MissingPolicy::Reject) {
                return Err(Error::NonFinite {
                    what: "PLS data".into(),
                    row: r,
                    col: c,
                    value: v,
                });
            }
        }
    }
    let rows_kept: Vec<usize> = match missing {
        MissingPolicy::Listwise => (0..n)
            .filter(|&r| cols.iter().all(|&c| !data[(r, c)].is_nan()))
            .collect(),
        _ => (0..n).collect(),
    };
    let mut raw = DMatrix::from_fn(rows_kept.len(), cols.len(), |r, j| {
        data[(rows_kept[r], cols[j])]
    });
    let mut replaced = 0;
    if missing == MissingPolicy::MeanReplacement {
        for j in 0..raw.ncols() {
            let observed: Vec<f64> = raw
                .column(j)
                .iter()
                .copied()
                .filter(|v| !v.is_nan())
                .collect();
            if observed.is_empty() && raw.nrows() > 0 {
                return Err(Error::input(
                    "PLS data",
                    format!("item `{}` has no observed value", columns[cols[j]].as_ref()),
                ));
            }
            let mean = observed.iter().sum::<f64>() / observed.len().max(1) as f64;
            for v in raw.column_mut(j).iter_mut() {
                if v.is_nan() {
                    *v = mean;
                    replaced += 1;
                }
            }
        }
    }
    Ok(Prepared {
        raw,
        rows_kept,
        replaced,
    })
}

/// Item means and standard deviations (n - 1) of `raw`, and the covariance matrix of the
/// preprocessed items.
#[derive(Debug, Clone)]
pub(crate) struct Moments {
    pub(crate) means: Vec<f64>,
    pub(crate) sds: Vec<f64>,
    /// Preprocessed items (n x p): centred, and scaled when standardised.
    pub(crate) x: DMatrix<f64>,
    /// `xᵀx / (n - 1)`.
    pub(crate) s: DMatrix<f64>,
}

/// Centre (and scale) `raw`; `names` name the items in errors.
pub(crate) fn moments(raw: &DMatrix<f64>, scaling: Scaling, names: &[String]) -> Result<Moments> {
    let (n, p) = raw.shape();
    if n < 3 {
        return Err(Error::TooFewObservations {
            what: "PLS path model".into(),
            needed: 3,
            got: n,
        });
    }
    let mut x = raw.clone();
    let mut means = Vec::with_capacity(p);
    let mut sds = Vec::with_capacity(p);
    let ones = vec![1.0; n];
    for (j, col) in x.as_mut_slice().chunks_exact_mut(n).enumerate() {
        // Two-pass mean for accuracy on data with leading constant digits.
        let mean = dot(col, &ones) / n as f64;
        for v in col.iter_mut() {
            *v -= mean;
        }
        let shift = dot(col, &ones) / n as f64;
        for v in col.iter_mut() {
            *v -= shift;
        }
        let mean = mean + shift;
        let sd = (dot(col, col) / (n - 1) as f64).sqrt();
        let scale = mean.abs().max(f64::MIN_POSITIVE);
        if !(sd.is_finite() && sd > 1e-12 * scale) {
            return Err(Error::input(
                "PLS data",
                format!(
                    "item `{}` has zero variance, so it cannot be scaled or weighted",
                    names.get(j).map_or("?", String::as_str)
                ),
            ));
        }
        if scaling == Scaling::Standardized {
            let inv = sd.recip();
            for v in col.iter_mut() {
                *v *= inv;
            }
        }
        means.push(mean);
        sds.push(sd);
    }
    // Symmetric cross-products by contiguous column dots (half of xᵀx; about twice as fast
    // as nalgebra's generic `tr_mul` on tall matrices).
    let mut s = DMatrix::zeros(p, p);
    let df = (n - 1) as f64;
    let data = x.as_slice(); // column-major: column i is data[i*n..(i+1)*n]
    for i in 0..p {
        for j in 0..=i {
            let d = dot(&data[i * n..(i + 1) * n], &data[j * n..(j + 1) * n]) / df;
            s[(i, j)] = d;
            s[(j, i)] = d;
        }
    }
    Ok(Moments { means, sds, x, s })
}

/// Dot product with four independent accumulators (vectorises; equal-length slices).
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        acc[0] += x[0] * y[0];
        acc[1] += x[1] * y[1];
        acc[2] += x[2] * y[2];
        acc[3] += x[3] * y[3];
    }
    let tail: f64 = ra.iter().zip(rb).map(|(x, y)| x * y).sum();
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// How the iteration ended.
#[derive(Debug, Clone)]
pub(crate) struct Outer {
    /// Stacked outer weights (p), each block scaled to a unit-variance score.
    pub(crate) w: DVector<f64>,
    /// `S W` (p x k): covariances of items with construct scores.
    pub(crate) sw: DMatrix<f64>,
    /// `Wᵀ S W` (k x k): construct correlations.
    pub(crate) c: DMatrix<f64>,
    pub(crate) iterations: usize,
    pub(crate) last_change: f64,
    pub(crate) converged: bool,
}

/// Block-restricted `S W` and `Wᵀ S W` for stacked weights `w`.
fn cross_products(spec: &Spec, s: &DMatrix<f64>, w: &DVector<f64>) -> (DMatrix<f64>, DMatrix<f64>) {
    let (p, k) = (spec.p(), spec.k());
    let mut sw = DMatrix::zeros(p, k);
    for l in 0..k {
        let bl = spec.block(l);
        for i in 0..p {
            let mut acc = 0.0;
            for q in bl.clone() {
                acc += s[(i, q)] * w[q];
            }
            sw[(i, l)] = acc;
        }
    }
    let mut c = DMatrix::zeros(k, k);
    for j in 0..k {
        for l in 0..k {
            c[(j, l)] = spec.block(j).map(|i| w[i] * sw[(i, l)]).sum();
        }
    }
    (sw, c)
}

/// Scale block `j` of `w` so that its score has unit variance (`wᵀ S_jj w = 1`).
fn normalise_block(spec: &Spec, s: &DMatrix<f64>, w: &mut DVector<f64>, j: usize) -> Result<()> {
    let b = spec.block(j);
    let mut var = 0.0;
    for a in b.clone() {
        for q in b.clone() {
            var += w[a] * s[(a, q)] * w[q];
        }
    }
    if !(var.is_finite() && var > 1e-300) {
        return Err(Error::Singular {
            what: format!("outer estimate of construct `{}`", spec.constructs[j]),
            reason: "the weighted item sum has zero variance (no usable inner estimate)".into(),
        });
    }
    let f = var.sqrt().recip();
    for a in b {
        w[a] *= f;
    }
    Ok(())
}

/// Solve the small symmetric positive definite system `a x = b` by Cholesky.
fn spd_solve(
    a: DMatrix<f64>,
    b: &DVector<f64>,
    what: impl FnOnce() -> String,
) -> Result<DVector<f64>> {
    match a.cholesky() {
        Some(ch) => Ok(ch.solve(b)),
        None => Err(Error::Singular {
            what: what(),
            reason: "the matrix is not positive definite (collinear scores or items)".into(),
        }),
    }
}

/// Inner weights `e[(i, j)]`: weight of construct `i` in the inner estimate of `j`.
fn inner_weights(spec: &Spec, c: &DMatrix<f64>, scheme: InnerScheme) -> Result<DMatrix<f64>> {
    let k = spec.k();
    let mut e = DMatrix::zeros(k, k);
    for j in 0..k {
        let adjacent = spec.pred[j].iter().chain(spec.succ[j].iter());
        match scheme {
            InnerScheme::Centroid => {
                for &i in adjacent {
                    let r = c[(i, j)];
                    e[(i, j)] = if r > 0.0 {
                        1.0
                    } else if r < 0.0 {
                        -1.0
                    } else {
                        0.0
                    };
                }
            }
            InnerScheme::Factorial => {
                for &i in adjacent {
                    e[(i, j)] = c[(i, j)];
                }
            }
            InnerScheme::Path => {
                for &i in &spec.succ[j] {
                    e[(i, j)] = c[(i, j)];
                }
                let pred = &spec.pred[j];
                if !pred.is_empty() {
                    let b = regress(spec, c, pred, j)?;
                    for (t, &i) in pred.iter().enumerate() {
                        e[(i, j)] = b[t];
                    }
                }
            }
        }
    }
    Ok(e)
}

/// Standardised regression coefficients of construct `j` on `pred` from correlations.
pub(crate) fn regress(
    spec: &Spec,
    c: &DMatrix<f64>,
    pred: &[usize],
    j: usize,
) -> Result<DVector<f64>> {
    let m = pred.len();
    let a = DMatrix::from_fn(m, m, |r, q| c[(pred[r], pred[q])]);
    let b = DVector::from_fn(m, |r, _| c[(pred[r], j)]);
    spd_solve(a, &b, || {
        format!("regression of `{}` on its predecessors", spec.constructs[j])
    })
}

/// Run the iteration from unit initial weights.
pub(crate) fn iterate(spec: &Spec, s: &DMatrix<f64>, opts: &Pls) -> Result<Outer> {
    let (p, k) = (spec.p(), spec.k());
    // Cholesky factors of mode B blocks, once.
    let mut chol = vec![None; k];
    for (j, slot) in chol.iter_mut().enumerate() {
        if spec.modes[j] == Mode::B {
            let b = spec.block(j);
            let sbb = s.view((b.start, b.start), (b.len(), b.len())).into_owned();
            match sbb.cholesky() {
                Some(ch) => *slot = Some(ch),
                None => {
                    return Err(Error::Singular {
                        what: format!("mode B block of construct `{}`", spec.constructs[j]),
                        reason: "its items are collinear, so regression weights do not exist"
                            .into(),
                    });
                }
            }
        }
    }
    let mut w = DVector::from_element(p, 1.0);
    for j in 0..k {
        normalise_block(spec, s, &mut w, j)?;
    }
    let mut iterations = 0;
    let mut last_change = f64::INFINITY;
    let mut converged = false;
    while iterations < opts.get_max_iterations() {
        iterations += 1;
        let (sw, c) = cross_products(spec, s, &w);
        let e = inner_weights(spec, &c, opts.get_scheme())?;
        let mut w_new = DVector::zeros(p);
        for j in 0..k {
            let b = spec.block(j);
            // X_jᵀ Z_j / (n - 1) = Σ_i e_ij (S W)_{b, i}
            let mut g = DVector::zeros(b.len());
            for i in 0..k {
                let eij = e[(i, j)];
                if eij != 0.0 {
                    for (t, a) in b.clone().enumerate() {
                        g[t] += eij * sw[(a, i)];
                    }
                }
            }
            let wj = match &chol[j] {
                Some(ch) => ch.solve(&g),
                None => g,
            };
            w_new.rows_mut(b.start, b.len()).copy_from(&wj);
            normalise_block(spec, s, &mut w_new, j)?;
        }
        last_change = w_new
            .iter()
            .zip(w.iter())
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        w = w_new;
        if !last_change.is_finite() {
            return Err(Error::Singular {
                what: "PLS iteration".into(),
                reason: "the outer weights became non-finite".into(),
            });
        }
        if last_change < opts.get_tolerance() {
            converged = true;
            break;
        }
    }
    // Sign convention: orient each construct so that most of its items correlate
    // positively with it (R plspm's rule; ties keep the estimate's orientation).
    let (sw, _) = cross_products(spec, s, &w);
    for j in 0..k {
        let b = spec.block(j);
        let neg = b.clone().filter(|&a| sw[(a, j)] < 0.0).count();
        let pos = b.clone().filter(|&a| sw[(a, j)] > 0.0).count();
        if neg > pos {
            for a in b {
                w[a] = -w[a];
            }
        }
    }
    let (sw, c) = cross_products(spec, s, &w);
    Ok(Outer {
        w,
        sw,
        c,
        iterations,
        last_change,
        converged,
    })
}

/// Direct effects (k x k, `b[(from, to)]`) from construct correlations, by solving each
/// endogenous construct's normal equations.
pub(crate) fn direct_effects(spec: &Spec, c: &DMatrix<f64>) -> Result<DMatrix<f64>> {
    let k = spec.k();
    let mut b = DMatrix::zeros(k, k);
    for j in spec.endogenous() {
        let coef = regress(spec, c, &spec.pred[j], j)?;
        for (t, &i) in spec.pred[j].iter().enumerate() {
            b[(i, j)] = coef[t];
        }
    }
    Ok(b)
}

/// Total effects `B + B² + ... + B^(k-1)` of a DAG's direct-effect matrix (nilpotent).
pub(crate) fn total_effects(b: &DMatrix<f64>) -> DMatrix<f64> {
    let k = b.nrows();
    let mut total = b.clone();
    let mut power = b.clone();
    for _ in 1..k {
        power = &power * b;
        if power.iter().all(|v| *v == 0.0) {
            break;
        }
        total += &power;
    }
    total
}

/// Item loadings on their own construct, `cor(x_a, Y_j)` for `a` in block `j`.
pub(crate) fn own_loadings(spec: &Spec, s: &DMatrix<f64>, sw: &DMatrix<f64>) -> DVector<f64> {
    DVector::from_fn(spec.p(), |a, _| sw[(a, spec.owner(a))] / s[(a, a)].sqrt())
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;
    use crate::pls::PlsModel;

    #[test]
    fn total_effects_of_a_chain_by_hand() {
        // A -> B (0.5), B -> C (0.4), A -> C (0.2): total A -> C = 0.2 + 0.5·0.4 = 0.4.
        let mut b = DMatrix::zeros(3, 3);
        b[(0, 1)] = 0.5;
        b[(1, 2)] = 0.4;
        b[(0, 2)] = 0.2;
        let t = total_effects(&b);
        assert!((t[(0, 2)] - 0.4).abs() < 1e-15);
        assert_eq!(t[(0, 1)], 0.5);
        assert_eq!(t[(1, 2)], 0.4);
        assert_eq!(t[(2, 0)], 0.0);
    }

    #[test]
    fn single_item_blocks_reduce_to_correlations() {
        // Two single-item constructs: weights are 1 (unit-variance items) and the path is
        // the correlation r. With S = [[1, r], [r, 1]] and r = 0.6, every scheme gives
        // w = (1, 1), path 0.6, loadings 1.
        let model = PlsModel::new()
            .reflective("A", &["a"])
            .reflective("B", &["b"])
            .path("A", "B");
        let spec = Spec::new(&model).unwrap();
        let s = DMatrix::from_row_slice(2, 2, &[1.0, 0.6, 0.6, 1.0]);
        for scheme in [
            InnerScheme::Centroid,
            InnerScheme::Factorial,
            InnerScheme::Path,
        ] {
            let out = iterate(&spec, &s, &Pls::new().scheme(scheme)).unwrap();
            assert!(out.converged);
            assert!((out.w[0] - 1.0).abs() < 1e-15 && (out.w[1] - 1.0).abs() < 1e-15);
            let b = direct_effects(&spec, &out.c).unwrap();
            assert!((b[(0, 1)] - 0.6).abs() < 1e-15);
            let l = own_loadings(&spec, &s, &out.sw);
            assert!((l[0] - 1.0).abs() < 1e-15);
        }
    }

    #[test]
    fn mode_a_two_items_by_hand() {
        // Block A = {a1, a2} with cor(a1, a2) = 0.5; B = {b} with cor(a1, b) = 0.6,
        // cor(a2, b) = 0.2. Centroid, r_AB > 0: Z_A = Y_B = b, so w_A ∝ S_{A,b} = (0.6, 0.2);
        // var = 0.36 + 0.04 + 2·0.5·0.12 = 0.52, so w_A = (0.6, 0.2)/√0.52.
        let model = PlsModel::new()
            .reflective("A", &["a1", "a2"])
            .reflective("B", &["b"])
            .path("A", "B");
        let spec = Spec::new(&model).unwrap();
        let s = DMatrix::from_row_slice(3, 3, &[1.0, 0.5, 0.6, 0.5, 1.0, 0.2, 0.6, 0.2, 1.0]);
        let out = iterate(&spec, &s, &Pls::new().scheme(InnerScheme::Centroid)).unwrap();
        let d = 0.52f64.sqrt();
        assert!((out.w[0] - 0.6 / d).abs() < 1e-14);
        assert!((out.w[1] - 0.2 / d).abs() < 1e-14);
        // Path = cor(Y_A, b) = (0.6·0.6 + 0.2·0.2)/√0.52 = 0.4/√0.52.
        let b = direct_effects(&spec, &out.c).unwrap();
        assert!((b[(0, 1)] - 0.4 / d).abs() < 1e-14);
    }

    #[test]
    fn mode_b_collinear_block_is_singular() {
        let model = PlsModel::new()
            .formative("A", &["a1", "a2"])
            .reflective("B", &["b"])
            .path("A", "B");
        let spec = Spec::new(&model).unwrap();
        let s = DMatrix::from_row_slice(3, 3, &[1.0, 1.0, 0.5, 1.0, 1.0, 0.5, 0.5, 0.5, 1.0]);
        let e = iterate(&spec, &s, &Pls::new()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "mode B block of construct `A` is singular: its items are collinear, so regression weights do not exist"
        );
    }
}
