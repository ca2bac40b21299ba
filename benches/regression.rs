//! Regression benches: the anchor workloads `ols_small`, `ols_large`, `ols_hc3`, `ols_vif`.
#![allow(
    missing_docs,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::float_cmp
)]
use criterion::{Criterion, criterion_group, criterion_main};
use crm_analytics::regression::Ols;
use nalgebra::{DMatrix, DVector};

mod common;

/// x ~ N(0,1) (n x k), y = 2 + x·β + N(0,1), β = linspace(0.5, -0.5, k): the anchors' generator.
fn synthetic(workload: &str, n: usize, k: usize, seed: u64) -> (DMatrix<f64>, DVector<f64>) {
    if let (Some(x), Some(y)) = (
        common::anchor_array(workload, "x"),
        common::anchor_array(workload, "y"),
    ) {
        // .npy is C order (row-major).
        return (
            DMatrix::from_row_slice(x.shape[0], x.shape[1], &x.data),
            DVector::from_vec(y.data),
        );
    }
    let mut g = common::SplitMix(seed);
    let x = DMatrix::from_fn(n, k, |_, _| g.normal());
    let beta: Vec<f64> = (0..k)
        .map(|j| 0.5 - j as f64 / (k.max(2) - 1) as f64)
        .collect();
    let y = DVector::from_fn(n, |i, _| {
        2.0 + (0..k).map(|j| x[(i, j)] * beta[j]).sum::<f64>() + g.normal()
    });
    (x, y)
}

fn ols_small(c: &mut Criterion) {
    let (x, y) = synthetic("ols_small", 1_000, 5, 1001);
    c.bench_function("ols_small", |b| {
        b.iter(|| {
            let fit = Ols::new().fit(&x, &y).unwrap();
            (
                fit.p_values(),
                fit.f_p_value(),
                fit.adj_r_squared(),
                fit.residual_std_error(),
            )
        })
    });
}

criterion_group!(benches, ols_small);
criterion_main!(benches);
