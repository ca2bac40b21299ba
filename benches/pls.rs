//! PLS path-model benches: the ECSI model on mobi (250 x 24), on a 100,000-respondent
//! synthetic survey with the same model, and 1,000 bootstrap resamples on mobi.
//! There is no Python anchor for PLS-PM; times are absolute.
#![allow(
    missing_docs,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::float_cmp
)]
use criterion::{Criterion, criterion_group, criterion_main};
use crm_analytics::pls::{Bootstrap, Pls, PlsModel};
use nalgebra::DMatrix;

mod common;

const BLOCKS: [(&str, &[&str]); 7] = [
    ("Image", &["IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5"]),
    ("Expectation", &["CUEX1", "CUEX2", "CUEX3"]),
    (
        "Quality",
        &[
            "PERQ1", "PERQ2", "PERQ3", "PERQ4", "PERQ5", "PERQ6", "PERQ7",
        ],
    ),
    ("Value", &["PERV1", "PERV2"]),
    ("Satisfaction", &["CUSA1", "CUSA2", "CUSA3"]),
    ("Complaints", &["CUSCO"]),
    ("Loyalty", &["CUSL1", "CUSL2", "CUSL3"]),
];

/// The 12 ECSI paths with the SmartPLS path-scheme coefficients on mobi.
const PATHS: [(usize, usize, f64); 12] = [
    (0, 1, 0.505),
    (0, 4, 0.179),
    (0, 6, 0.196),
    (1, 2, 0.557),
    (1, 3, 0.050),
    (1, 4, 0.063),
    (2, 3, 0.558),
    (2, 4, 0.512),
    (3, 4, 0.195),
    (4, 5, 0.528),
    (4, 6, 0.485),
    (5, 6, 0.067),
];

fn ecsi() -> PlsModel {
    let mut m = PlsModel::new();
    for (c, items) in BLOCKS {
        m = m.reflective(c, items);
    }
    for (f, t, _) in PATHS {
        m = m.path(BLOCKS[f].0, BLOCKS[t].0);
    }
    m
}

fn mobi() -> (Vec<String>, DMatrix<f64>) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/mobi/mobi.csv");
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let names: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let cells: Vec<f64> = lines
        .flat_map(|l| l.split(',').map(|v| v.parse::<f64>().unwrap()))
        .collect();
    let n = cells.len() / names.len();
    (
        names.clone(),
        DMatrix::from_row_slice(n, names.len(), &cells),
    )
}

/// Synthetic survey: standardised latent scores following the ECSI paths (exogenous Image
/// N(0,1), each endogenous construct = Σ b·pred + N(0, 1 - R²-ish)), items = 6.5 +
/// 1.6·(0.8·LV + 0.6·noise) rounded and clamped to 1..10, as on a 10-point scale.
fn synthetic(n: usize, seed: u64) -> (Vec<String>, DMatrix<f64>) {
    let mut g = common::SplitMix(seed);
    let names: Vec<String> = BLOCKS
        .iter()
        .flat_map(|(_, items)| items.iter().map(|s| s.to_string()))
        .collect();
    let p = names.len();
    let mut x = DMatrix::zeros(n, p);
    for r in 0..n {
        let mut lv = [0.0f64; 7];
        for j in 0..7 {
            let mut v = 0.0;
            let mut explained = 0.0;
            for (f, t, b) in PATHS {
                if t == j {
                    v += b * lv[f];
                    explained += b * b;
                }
            }
            lv[j] = v + (1.0 - explained).max(0.2).sqrt() * g.normal();
        }
        let mut col = 0;
        for (j, (_, items)) in BLOCKS.iter().enumerate() {
            for _ in items.iter() {
                let raw = 6.5 + 1.6 * (0.8 * lv[j] + 0.6 * g.normal());
                x[(r, col)] = raw.round().clamp(1.0, 10.0);
                col += 1;
            }
        }
    }
    (names, x)
}

fn pls_mobi(c: &mut Criterion) {
    let (names, x) = mobi();
    let model = ecsi();
    c.bench_function("pls_mobi", |b| {
        b.iter(|| Pls::new().fit(&model, &x, &names).unwrap())
    });
}

fn pls_synthetic_100k(c: &mut Criterion) {
    let (names, x) = synthetic(100_000, 2024);
    let model = ecsi();
    let mut group = c.benchmark_group("pls_large");
    group.sample_size(10);
    group.bench_function("pls_synthetic_100k", |b| {
        b.iter(|| Pls::new().fit(&model, &x, &names).unwrap())
    });
    group.finish();
}

fn pls_bootstrap_mobi(c: &mut Criterion) {
    let (names, x) = mobi();
    let fit = Pls::new().fit(&ecsi(), &x, &names).unwrap();
    let mut group = c.benchmark_group("pls_bootstrap");
    group.sample_size(10);
    for threads in [1, 2] {
        group.bench_function(format!("pls_bootstrap_mobi_1000_t{threads}"), |b| {
            b.iter(|| {
                Bootstrap::new()
                    .resamples(1000)
                    .seed(1)
                    .threads(threads)
                    .run(&fit)
                    .unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, pls_mobi, pls_synthetic_100k, pls_bootstrap_mobi);
criterion_main!(benches);
