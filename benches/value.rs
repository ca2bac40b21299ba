//! Weights and value benches: the anchor workloads `ahp_drinks`, `ahp_large`,
//! `entropy_large`, `critic_large`, `gini_large`, `quadrant_large`.
//!
//! With `CRM_ANCHOR_DATA` set (see `benches/common`), the large inputs are the anchor
//! harness's own `.npy` dumps; otherwise they are drawn from a seeded stand-in of the same
//! shape and distribution.
#![allow(
    missing_docs,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::float_cmp
)]
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use crm_analytics::value::{Concentration, ValueMatrix};
use crm_analytics::weights::{Ahp, Critic, Direction, EntropyWeights, RandomIndex, Weights};
use nalgebra::DMatrix;

mod common;

/// Saaty (2008) drinks, upper triangle row by row (tests/data/weights).
const DRINKS_UPPER: [f64; 21] = [
    9.0,
    5.0,
    2.0,
    1.0,
    1.0,
    0.5, // coffee
    1.0 / 3.0,
    1.0 / 9.0,
    1.0 / 9.0,
    1.0 / 9.0,
    1.0 / 9.0, // wine
    1.0 / 3.0,
    0.25,
    1.0 / 3.0,
    1.0 / 9.0, // tea
    0.5,
    1.0,
    1.0 / 3.0, // beer
    2.0,
    0.5,       // soda
    1.0 / 3.0, // milk
];

fn upper(m: &DMatrix<f64>) -> Vec<f64> {
    let n = m.nrows();
    let mut v = Vec::new();
    for i in 0..n {
        for j in (i + 1)..n {
            v.push(m[(i, j)]);
        }
    }
    v
}

fn ahp(c: &mut Criterion) {
    let dd = Ahp::new().random_index(RandomIndex::DoneganDodd1991);
    c.bench_function("ahp_drinks", |b| {
        b.iter(|| {
            let fit = dd
                .weigh_upper_triangle(7, black_box(&DRINKS_UPPER))
                .unwrap();
            (fit.weights().as_slice()[6], fit.consistency_ratio())
        })
    });
    // 15x15 near-consistent: a_ij = w_i/w_j·exp(N(0, .15)), w ~ U(1, 9).
    let m = match common::anchor_array("ahp_large", "matrix") {
        Some(a) => DMatrix::from_row_slice(a.shape[0], a.shape[1], &a.data),
        None => {
            let mut g = common::SplitMix(1005);
            let w: Vec<f64> = (0..15).map(|_| 1.0 + 8.0 * g.uniform()).collect();
            let mut m = DMatrix::from_element(15, 15, 1.0);
            for i in 0..15 {
                for j in (i + 1)..15 {
                    m[(i, j)] = w[i] / w[j] * (0.15 * g.normal()).exp();
                    m[(j, i)] = 1.0 / m[(i, j)];
                }
            }
            m
        }
    };
    let up = upper(&m);
    c.bench_function("ahp_large", |b| {
        b.iter(|| {
            let fit = dd.weigh_upper_triangle(15, black_box(&up)).unwrap();
            (fit.weights().as_slice()[0], fit.consistency_ratio())
        })
    });
}

/// 1,000,000 x 10 lognormal indicators with correlation 0.3 (bench.py `_indicators`).
fn indicators() -> DMatrix<f64> {
    if let Some(a) = common::anchor_array("entropy_large", "x") {
        return DMatrix::from_row_slice(a.shape[0], a.shape[1], &a.data);
    }
    let (n, m) = (1_000_000, 10);
    let mut g = common::SplitMix(1006);
    // z_j = sqrt(.3)·u + sqrt(.7)·e_j gives corr .3
    let mut x = DMatrix::zeros(n, m);
    for i in 0..n {
        let u = g.normal();
        for j in 0..m {
            let z = 0.3f64.sqrt() * u + 0.7f64.sqrt() * g.normal();
            let sig = 0.2 + 1.3 * j as f64 / 9.0;
            x[(i, j)] = (z * sig).exp();
        }
    }
    x
}

fn objective(c: &mut Criterion) {
    let x = indicators();
    let dirs = vec![Direction::Benefit; x.ncols()];
    let mut g = c.benchmark_group("weights_large");
    g.sample_size(10);
    g.bench_function("entropy_large", |b| {
        b.iter(|| EntropyWeights::new().weigh(black_box(&x), &dirs).unwrap())
    });
    g.bench_function("critic_large", |b| {
        b.iter(|| Critic::new().weigh(black_box(&x), &dirs).unwrap())
    });
    g.finish();
}

fn value(c: &mut Criterion) {
    let rev = match common::anchor_array("gini_large", "revenue") {
        Some(a) => a.data,
        None => {
            let mut g = common::SplitMix(1007);
            (0..10_000_000)
                .map(|_| (3.5 + 1.1 * g.normal()).exp())
                .collect()
        }
    };
    let (cur_ind, pot_ind) = match (
        common::anchor_array("quadrant_large", "current"),
        common::anchor_array("quadrant_large", "potential"),
    ) {
        (Some(a), Some(b)) => (a.data, b.data),
        _ => {
            let mut g = common::SplitMix(1008);
            let a: Vec<f64> = (0..30_000_000).map(|_| g.uniform()).collect();
            let b: Vec<f64> = (0..30_000_000).map(|_| g.uniform()).collect();
            (a, b)
        }
    };
    let wc = Weights::new(vec![0.5, 0.3, 0.2]).unwrap();
    let wp = Weights::new(vec![0.4, 0.4, 0.2]).unwrap();
    let mut g = c.benchmark_group("value_large");
    g.sample_size(10);
    g.bench_function("gini_large", |b| {
        b.iter(|| {
            let c = Concentration::new(black_box(&rev)).unwrap();
            (c.gini(), c.lorenz().len(), c.top_share(0.2).unwrap())
        })
    });
    // The anchor computes current = C·w_c and potential = P·w_p (10M x 3 each,
    // row-major), splits each at its mean and counts the four segments; the library
    // does the same from the tables without storing the indices (two passes), and
    // also returns every customer's segment and the segment means.
    let matrix = ValueMatrix::new();
    g.bench_function("quadrant_large", |b| {
        b.iter(|| {
            let fit = matrix
                .classify_weighted(black_box(&cur_ind), &wc, &pot_ind, &wp, None, None)
                .unwrap();
            fit.summary()[0].customers
        })
    });
    // The same with the index vectors stored first (what a caller who keeps the
    // indices pays), for the record in docs/performance.md.
    g.bench_function("quadrant_large_stored_indices", |b| {
        b.iter(|| {
            let cur = wc.score_rows(black_box(&cur_ind)).unwrap();
            let pot = wp.score_rows(&pot_ind).unwrap();
            let fit = matrix.classify(&cur, &pot, None, None).unwrap();
            fit.summary()[0].customers
        })
    });
    // Gini with the whole Lorenz curve materialised, as the anchor's array.
    g.bench_function("gini_large_lorenz_vec", |b| {
        b.iter(|| {
            let c = Concentration::new(black_box(&rev)).unwrap();
            (
                c.gini(),
                c.lorenz().to_vec().len(),
                c.top_share(0.2).unwrap(),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, ahp, objective, value);
criterion_main!(benches);
