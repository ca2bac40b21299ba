//! The mergeable R-factor state against the one-shot fit.

use approx::assert_relative_eq;
use crm_analytics::Error;
use crm_analytics::regression::{Ols, OlsAccumulator};
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;

use crate::common::{TIGHT, data};

fn rows(x: &DMatrix<f64>, y: &DVector<f64>, idx: &[usize]) -> (DMatrix<f64>, DVector<f64>) {
    let xb = DMatrix::from_fn(idx.len(), x.ncols(), |i, j| x[(idx[i], j)]);
    let yb = DVector::from_fn(idx.len(), |i, _| y[idx[i]]);
    (xb, yb)
}

/// Fold `order` split at `cuts` into separate states, then merge them right to left.
fn streamed(
    x: &DMatrix<f64>,
    y: &DVector<f64>,
    order: &[usize],
    cuts: &[usize],
    intercept: bool,
) -> OlsAccumulator {
    let mut bounds = vec![0];
    bounds.extend(cuts.iter().copied().filter(|&c| c > 0 && c < order.len()));
    bounds.push(order.len());
    bounds.sort_unstable();
    bounds.dedup();
    let mut states: Vec<OlsAccumulator> = bounds
        .windows(2)
        .map(|w| {
            let (xb, yb) = rows(x, y, &order[w[0]..w[1]]);
            let mut s = OlsAccumulator::new(x.ncols(), intercept);
            s.fold(&xb, &yb).unwrap();
            s
        })
        .collect();
    let mut acc = states.pop().unwrap();
    while let Some(s) = states.pop() {
        acc.merge(&s).unwrap();
    }
    acc
}

#[test]
fn longley_streamed_in_four_blocks_matches_certified_values() {
    // NIST Longley certified values (tests/data/nist/strd_lls.json), folded in 4 blocks.
    let suite: serde_json::Value = serde_json::from_str(&data("nist/strd_lls.json")).unwrap();
    let d = suite["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Longley")
        .unwrap();
    let y: Vec<f64> = d["y"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let cols: Vec<Vec<f64>> = d["x"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            c.as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect()
        })
        .collect();
    let x = DMatrix::from_fn(16, 6, |i, j| cols[j][i]);
    let y = DVector::from_vec(y);
    let order: Vec<usize> = (0..16).collect();
    let s = streamed(&x, &y, &order, &[4, 8, 12], true)
        .finish(Ols::new())
        .unwrap();
    let beta = [
        -3482258.63459582,
        15.0618722713733,
        -0.358191792925910E-01,
        -2.02022980381683,
        -1.03322686717359,
        -0.511041056535807E-01,
        1829.15146461355,
    ];
    let se = [
        890420.383607373,
        84.9149257747669,
        0.334910077722432E-01,
        0.488399681651699,
        0.214274163161675,
        0.226073200069370,
        455.478499142212,
    ];
    for i in 0..7 {
        assert_relative_eq!(s.coefficients()[i], beta[i], max_relative = 1e-9);
        assert_relative_eq!(s.std_errors()[i], se[i], max_relative = 1e-9);
    }
    assert_relative_eq!(
        s.residual_std_error(),
        304.854073561965,
        max_relative = 1e-10
    );
    assert_relative_eq!(s.r_squared(), 0.995479004577296, max_relative = 1e-12);
}

#[test]
fn state_errors_are_named() {
    let mut s = OlsAccumulator::new(2, true);
    let e = s
        .fold(&DMatrix::zeros(3, 3), &DVector::zeros(3))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "dimension mismatch in columns of the `x` block: expected 2, found 3"
    );
    let e = s.merge(&OlsAccumulator::new(2, false)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid merged state: one state has an intercept and the other not"
    );
    let e = s.finish(Ols::new()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "OLS with 3 parameters needs at least 4 observations, got 0"
    );
    let x = DMatrix::from_row_slice(4, 2, &[1.0, 2.0, 2.0, 4.0, 3.0, 6.0, 4.0, 8.0]);
    s.fold(&x, &DVector::from_vec(vec![1.0, 3.0, 2.0, 5.0]))
        .unwrap();
    assert!(matches!(
        s.finish(Ols::new()),
        Err(Error::RankDeficient { .. })
    ));
}

fn design_strategy()
-> impl Strategy<Value = (DMatrix<f64>, DVector<f64>, Vec<usize>, Vec<usize>, bool)> {
    (8usize..60, 1usize..5, any::<bool>()).prop_flat_map(|(n, k, intercept)| {
        (
            proptest::collection::vec(-100.0f64..100.0, n * k),
            proptest::collection::vec(-100.0f64..100.0, n),
            Just((0..n).collect::<Vec<usize>>()).prop_shuffle(),
            proptest::collection::vec(0..n, 0..5),
            Just(intercept),
        )
            .prop_map(move |(xs, ys, order, cuts, intercept)| {
                (
                    DMatrix::from_vec(n, k, xs),
                    DVector::from_vec(ys),
                    order,
                    cuts,
                    intercept,
                )
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Any partition, any order: the finished state equals the one-shot fit.
    #[test]
    fn merge_equals_one_shot((x, y, order, cuts, intercept) in design_strategy()) {
        let one = Ols::new().intercept(intercept).fit(&x, &y);
        let st = streamed(&x, &y, &order, &cuts, intercept).finish(Ols::new());
        match (one, st) {
            (Ok(one), Ok(st)) => {
                let scale = one.coefficients().amax().max(1.0);
                for i in 0..one.coefficients().len() {
                    prop_assert!((one.coefficients()[i] - st.coefficients()[i]).abs() <= TIGHT * 0.1 * scale);
                    prop_assert!((one.std_errors()[i] - st.std_errors()[i]).abs() <= 1e-10 * one.std_errors()[i].max(1e-300) + 1e-12 * scale);
                }
                prop_assert!((one.r_squared() - st.r_squared()).abs() <= 1e-10);
                prop_assert!((one.rss() - st.rss()).abs() <= 1e-10 * one.tss());
                prop_assert!((one.tss() - st.tss()).abs() <= 1e-10 * one.tss());
                if let (Some(a), Some(b)) = (one.f_statistic(), st.f_statistic()) {
                    prop_assert!((a - b).abs() <= 1e-8 * a.abs().max(1.0));
                }
            }
            (Err(_), Err(_)) => {}
            (a, b) => prop_assert!(false, "one-shot {:?} vs streamed {:?}", a.map(|_| ()), b.map(|_| ())),
        }
    }

    /// No panic on arbitrary blocks, NaN and infinities included.
    #[test]
    fn fold_never_panics(vals in proptest::collection::vec(prop_oneof![Just(f64::NAN), Just(f64::INFINITY), -1e6f64..1e6], 0..40), k in 0usize..4) {
        let n = if k == 0 { vals.len() } else { vals.len() / (k + 1) };
        let x = DMatrix::from_fn(n, k, |i, j| vals[i * (k + 1) + j + usize::from(k == 0)].min(f64::MAX));
        let y = DVector::from_fn(n, |i, _| vals[(i * (k + 1)).min(vals.len().saturating_sub(1))]);
        let mut s = OlsAccumulator::new(k, true);
        let _ = s.fold(&x, &y);
        let _ = s.finish(Ols::new());
    }
}
