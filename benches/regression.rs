//! Regression benches: the anchor workloads `ols_small`, `ols_large`, `ols_hc3`, `ols_vif`,
//! plus the streaming accumulator on `ols_large`'s data.
#![allow(
    missing_docs,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::float_cmp
)]

use criterion::{Criterion, criterion_group, criterion_main};
use crm_analytics::regression::{CovarianceType, Ols, OlsAccumulator};
use nalgebra::{DMatrix, DVector};

mod common;

/// x ~ N(0,1) (n x k), y = 2 + x·β + N(0,1), β = linspace(0.5, -0.5, k): the anchors'
/// generator; with `CRM_ANCHOR_DATA` set, exactly the anchors' numbers.
fn synthetic(workload: &str, n: usize, k: usize, seed: u64) -> (DMatrix<f64>, DVector<f64>) {
    if let (Some(x), Some(y)) = (
        common::anchor_array(workload, "x"),
        common::anchor_array(workload, "y"),
    ) {
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

/// Equicorrelated predictors (rho = 0.5): x = sqrt(0.5)·z_i + sqrt(0.5)·common.
fn equicorrelated(n: usize, k: usize, seed: u64) -> DMatrix<f64> {
    if let Some(x) = common::anchor_array("ols_vif", "x") {
        return DMatrix::from_row_slice(x.shape[0], x.shape[1], &x.data);
    }
    let mut g = common::SplitMix(seed);
    let mut x = DMatrix::zeros(n, k);
    for i in 0..n {
        let c = g.normal();
        for j in 0..k {
            x[(i, j)] = 0.5f64.sqrt() * g.normal() + 0.5f64.sqrt() * c;
        }
    }
    x
}

/// Everything statsmodels' anchor reads: params, bse, t, p, R², adj. R², F, its p, scale.
fn full_summary(fit: &crm_analytics::regression::OlsFit) -> (f64, f64) {
    let t = fit.t_values();
    let p = fit.p_values();
    let s = fit.adj_r_squared() + fit.f_p_value().unwrap_or(0.0) + fit.residual_std_error();
    (t[1] + p[1] + s, fit.f_statistic().unwrap_or(0.0))
}

fn ols_small(c: &mut Criterion) {
    let (x, y) = synthetic("ols_small", 1_000, 5, 1001);
    c.bench_function("ols_small", |b| {
        b.iter(|| full_summary(&Ols::new().fit(&x, &y).unwrap()))
    });
}

fn ols_large(c: &mut Criterion) {
    let (x, y) = synthetic("ols_large", 1_000_000, 10, 1002);
    let mut g = c.benchmark_group("large");
    g.sample_size(10);
    g.bench_function("ols_large", |b| {
        b.iter(|| full_summary(&Ols::new().fit(&x, &y).unwrap()))
    });
    g.bench_function("ols_large_full_report", |b| {
        b.iter(|| Ols::new().fit(&x, &y).unwrap().report().to_string().len())
    });
    g.bench_function("ols_hc3", |b| {
        b.iter(|| {
            full_summary(
                &Ols::new()
                    .covariance(CovarianceType::HC3)
                    .fit(&x, &y)
                    .unwrap(),
            )
        })
    });
    g.bench_function("ols_large_streamed_64k_blocks", |b| {
        b.iter(|| {
            let mut s = OlsAccumulator::new(10, true);
            let mut start = 0;
            while start < x.nrows() {
                let len = (x.nrows() - start).min(65_536);
                s.fold(
                    &x.rows(start, len).into_owned(),
                    &y.rows(start, len).into_owned(),
                )
                .unwrap();
                start += len;
            }
            let f = s.finish(Ols::new()).unwrap();
            (f.p_values()[1], f.f_p_value())
        })
    });
    g.finish();
}

fn ols_vif(c: &mut Criterion) {
    let x = equicorrelated(100_000, 10, 1003);
    let y = DVector::from_fn(x.nrows(), |i, _| x.row(i).sum());
    let mut g = c.benchmark_group("vif");
    g.sample_size(10);
    // statsmodels runs k auxiliary regressions; VIF here comes from one QR of the design.
    g.bench_function("ols_vif", |b| {
        b.iter(|| Ols::new().fit(&x, &y).unwrap().vif())
    });
    g.finish();
}

criterion_group!(benches, ols_small, ols_large, ols_vif);
criterion_main!(benches);
