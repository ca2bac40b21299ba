//! Survival benches: the anchor workloads `km_waltons`, `km_large`, `logrank_gehan`,
//! `logrank_large` (lifelines 0.30.3 on the other side), and a Cox fit on 1,000,000
//! customers x 10 covariates (no anchor run; lifelines needs minutes at that size).
#![allow(
    missing_docs,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::float_cmp
)]
use criterion::{Criterion, criterion_group, criterion_main};
use crm_analytics::survival::{CoxPh, KaplanMeier, LogRank};
use nalgebra::DMatrix;

mod common;

fn read(name: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/survival")
        .join(name);
    std::fs::read_to_string(p).unwrap()
}

/// The anchors' `_synthetic_durations`: 1,000,000 tenures in whole days, Weibull(1.3) churn,
/// two groups with scales 900 / 700, censoring at 1825 days plus 20 % random early censoring.
/// Read from the anchor dump when `CRM_ANCHOR_DATA` is set, else drawn from a seeded stand-in.
fn large() -> (Vec<f64>, Vec<f64>, Vec<u8>) {
    if let (Some(t), Some(e), Some(g)) = (
        common::anchor_array("km_large", "t"),
        common::anchor_array("km_large", "e"),
        common::anchor_array("km_large", "group"),
    ) {
        return (t.data, e.data, g.data.iter().map(|&x| x as u8).collect());
    }
    let mut r = common::SplitMix(1009);
    let n = 1_000_000;
    let (mut t, mut e, mut g) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for _ in 0..n {
        let grp = r.uniform() < 0.5;
        let scale = if grp { 900.0 } else { 700.0 };
        let churn = (scale * (-r.uniform().ln()).powf(1.0 / 1.3)).ceil();
        let censor = if r.uniform() < 0.2 {
            (1.0 + r.uniform() * 1824.0).ceil()
        } else {
            1825.0
        };
        t.push(churn.min(censor));
        e.push(if churn <= censor { 1.0 } else { 0.0 });
        g.push(u8::from(grp));
    }
    (t, e, g)
}

fn km_waltons(c: &mut Criterion) {
    let text = read("waltons.csv");
    let mut groups: std::collections::BTreeMap<String, (Vec<f64>, Vec<f64>)> = Default::default();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let entry = groups.entry(f[2].trim().to_string()).or_default();
        entry.0.push(f[0].parse().unwrap());
        entry.1.push(f[1].parse().unwrap());
    }
    c.bench_function("km_waltons", |b| {
        b.iter(|| {
            groups
                .values()
                .map(|(t, e)| KaplanMeier::new().fit(t, e).unwrap().median().time)
                .collect::<Vec<_>>()
        })
    });
}

fn logrank_gehan(c: &mut Criterion) {
    let (mut t, mut e, mut g) = (vec![], vec![], vec![]);
    for line in read("gehan_leukemia.csv").lines().skip(1) {
        let f: Vec<f64> = line.split(',').map(|s| s.trim().parse().unwrap()).collect();
        g.push(f[0] as u8);
        t.push(f[1]);
        e.push(f[2]);
    }
    c.bench_function("logrank_gehan", |b| {
        b.iter(|| LogRank::new().test(&t, &e, &g).unwrap().p_value())
    });
}

fn km_logrank_large(c: &mut Criterion) {
    let (t, e, g) = large();
    let mut group = c.benchmark_group("large");
    group.sample_size(10);
    group.bench_function("km_large", |b| {
        b.iter(|| {
            let km = KaplanMeier::new().fit(&t, &e).unwrap();
            (km.median().time, km.survival_at(365.0).unwrap())
        })
    });
    group.bench_function("logrank_large", |b| {
        b.iter(|| LogRank::new().test(&t, &e, &g).unwrap().chi_square())
    });
    group.finish();
}

/// 1,000,000 customers x 10 N(0, 1) covariates, exponential churn with
/// log-hazard x'b (b from 0.5 to -0.5), times in whole days (many ties, Efron), 30 % censored.
fn cox_large(c: &mut Criterion) {
    let (n, p) = (1_000_000, 10);
    let mut r = common::SplitMix(77);
    let x = DMatrix::from_fn(n, p, |_, _| r.normal());
    let beta: Vec<f64> = (0..p).map(|j| 0.5 - j as f64 / (p - 1) as f64).collect();
    let (mut t, mut e) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for i in 0..n {
        let eta: f64 = (0..p).map(|j| x[(i, j)] * beta[j]).sum();
        let churn = (-r.uniform().ln() / (eta.exp() / 365.0)).ceil();
        let censor = (r.uniform() * 1200.0).ceil().max(1.0);
        t.push(churn.min(censor));
        e.push(if churn <= censor { 1.0 } else { 0.0 });
    }
    let mut group = c.benchmark_group("cox");
    group.sample_size(10);
    group.bench_function("cox_1m_x10", |b| {
        b.iter(|| CoxPh::new().fit(&x, &t, &e).unwrap().log_likelihood())
    });
    group.finish();
}

criterion_group!(
    benches,
    km_waltons,
    logrank_gehan,
    km_logrank_large,
    cox_large
);
criterion_main!(benches);
