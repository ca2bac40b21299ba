//! Survey benches: the anchor workloads `alpha_mobi` (pingouin `cronbach_alpha` on the mobi
//! PERQ1..7 block, 250 x 7) and `alpha_large` (100,000 x 20 one-factor Likert 1..5).
//!
//! pingouin's timed call receives an existing DataFrame and returns alpha and the Feldt CI.
//! `*_fit` times the same on an existing `ItemMatrix` (we also return item statistics and
//! the inter-item correlations); `*_build_and_fit` adds the construction and Likert
//! validation of the item matrix from a raw matrix; `alpha_large_accumulate` folds the
//! rows in 10 blocks into the mergeable state and finishes it.
#![allow(
    missing_docs,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::float_cmp
)]
use criterion::{Criterion, criterion_group, criterion_main};
use crm_analytics::survey::{ItemMatrix, LikertScale, MomentAccumulator, Reliability};
use nalgebra::DMatrix;

mod common;

fn mobi_perq() -> DMatrix<f64> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/mobi/mobi.csv");
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let cols: Vec<usize> = (1..=7)
        .map(|i| {
            header
                .iter()
                .position(|h| *h == format!("PERQ{i}"))
                .unwrap()
        })
        .collect();
    let rows: Vec<Vec<f64>> = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Vec<f64> = l.split(',').map(|x| x.trim().parse().unwrap()).collect();
            cols.iter().map(|&c| v[c]).collect()
        })
        .collect();
    DMatrix::from_fn(rows.len(), 7, |i, j| rows[i][j])
}

/// The anchor's items (int8 dump) or a seeded stand-in of the same generator:
/// latent ~ N(0,1), raw = 0.7 latent + 0.7 N(0,1), cut at (-1.2, -0.4, 0.4, 1.2) -> 1..5.
fn large() -> DMatrix<f64> {
    if let Some(a) = common::anchor_array("alpha_large", "items") {
        return DMatrix::from_row_slice(a.shape[0], a.shape[1], &a.data);
    }
    let (n, q) = (100_000, 20);
    let mut g = common::SplitMix(1004);
    let mut m = DMatrix::zeros(n, q);
    for i in 0..n {
        let latent = g.normal();
        for j in 0..q {
            let raw = 0.7 * latent + 0.7 * g.normal();
            let cut = [-1.2, -0.4, 0.4, 1.2].iter().filter(|c| raw >= **c).count();
            m[(i, j)] = (cut + 1) as f64;
        }
    }
    m
}

fn names(k: usize) -> Vec<String> {
    (1..=k).map(|j| format!("Q{j}")).collect()
}

fn alpha_mobi(c: &mut Criterion) {
    let raw = mobi_perq();
    let scale = LikertScale::new(1.0, 10.0).unwrap();
    let items = ItemMatrix::new(raw.clone(), &names(7), scale).unwrap();
    c.bench_function("alpha_mobi_fit", |b| {
        b.iter(|| {
            let r = Reliability::new().fit(&items).unwrap();
            (r.alpha, r.alpha_ci)
        })
    });
    c.bench_function("alpha_mobi_build_and_fit", |b| {
        b.iter(|| {
            let items = ItemMatrix::new(raw.clone(), &names(7), scale).unwrap();
            let r = Reliability::new().fit(&items).unwrap();
            (r.alpha, r.alpha_ci)
        })
    });
}

fn alpha_large(c: &mut Criterion) {
    let raw = large();
    let scale = LikertScale::new(1.0, 5.0).unwrap();
    let k = raw.ncols();
    let items = ItemMatrix::new(raw.clone(), &names(k), scale).unwrap();
    let mut group = c.benchmark_group("alpha_large");
    group.sample_size(20);
    group.bench_function("fit", |b| {
        b.iter(|| {
            let r = Reliability::new().fit(&items).unwrap();
            (r.alpha, r.alpha_ci)
        })
    });
    group.bench_function("build_and_fit", |b| {
        b.iter(|| {
            let items = ItemMatrix::new(raw.clone(), &names(k), scale).unwrap();
            let r = Reliability::new().fit(&items).unwrap();
            (r.alpha, r.alpha_ci)
        })
    });
    let blocks: Vec<DMatrix<f64>> = (0..10)
        .map(|b| {
            raw.rows(b * raw.nrows() / 10, raw.nrows() / 10)
                .into_owned()
        })
        .collect();
    group.bench_function("accumulate", |b| {
        b.iter(|| {
            let mut acc = MomentAccumulator::new(&names(k), scale).unwrap();
            for blk in &blocks {
                acc.fold(blk).unwrap();
            }
            acc.finish("scale", &Reliability::new()).unwrap().alpha
        })
    });
    group.finish();
}

criterion_group!(benches, alpha_mobi, alpha_large);
criterion_main!(benches);
