//! Life-cycle benches: the anchor workload `markov_large` (1,000,000 customers x 12 months
//! of 5 states: counts, MLE, stationary distribution) and stage classification of
//! 1,000,000 customers x 12 months.
#![allow(
    missing_docs,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::float_cmp
)]
use criterion::{Criterion, criterion_group, criterion_main};
use crm_analytics::lifecycle::{LifecycleRules, TransitionCounts};

mod common;

/// The anchor's 5-state chain (`MARKOV_TRUE` in anchors/bench.py).
const MARKOV_TRUE: [[f64; 5]; 5] = [
    [0.60, 0.30, 0.05, 0.03, 0.02],
    [0.05, 0.65, 0.20, 0.05, 0.05],
    [0.00, 0.05, 0.80, 0.10, 0.05],
    [0.00, 0.05, 0.15, 0.60, 0.20],
    [0.10, 0.00, 0.00, 0.10, 0.80],
];

/// The anchor's states (row-major, 12 per customer): from the `.npy` dump when
/// `CRM_ANCHOR_DATA` is set, else simulated from the same chain with a seeded generator.
fn markov_states() -> Vec<u8> {
    if let Some(a) = common::anchor_array("markov_large", "states") {
        assert_eq!(a.shape, vec![1_000_000, 12]);
        return a.data.iter().map(|&v| v as u8).collect();
    }
    let mut g = common::SplitMix(1010);
    let (n, months) = (1_000_000, 12);
    let mut s = Vec::with_capacity(n * months);
    for _ in 0..n {
        let mut cur = (g.uniform() * 5.0) as usize;
        s.push(cur as u8);
        for _ in 1..months {
            let u = g.uniform();
            let mut acc = 0.0;
            let mut next = 4;
            for (j, p) in MARKOV_TRUE[cur].iter().enumerate() {
                acc += p;
                if u <= acc {
                    next = j;
                    break;
                }
            }
            cur = next;
            s.push(cur as u8);
        }
    }
    s
}

fn markov_large(c: &mut Criterion) {
    let states = markov_states();
    // Same answer as the anchor before timing anything: on the anchor's dump, numpy prints
    // π = (0.09119, 0.1456, 0.2975, 0.1730, 0.2928).
    let mut t = TransitionCounts::new(5).unwrap();
    t.fold_panel(&states, 12).unwrap();
    let pi = t.finish().unwrap().chain().stationary().unwrap();
    if common::anchor_array("markov_large", "states").is_some() {
        let anchor = [0.09119, 0.1456, 0.2975, 0.1730, 0.2928];
        for (a, b) in pi.iter().zip(anchor) {
            assert!((a - b).abs() < 6e-5, "pi {a} vs anchor {b}");
        }
    }
    eprintln!("markov_large: pi = {:.5?}", pi.as_slice());
    c.bench_function("markov_large", |b| {
        b.iter(|| {
            let mut t = TransitionCounts::new(5).unwrap();
            t.fold_panel(&states, 12).unwrap();
            let est = t.finish().unwrap();
            est.chain().stationary().unwrap()
        })
    });
    c.bench_function("markov_large_2threads", |b| {
        b.iter(|| {
            let mut t = TransitionCounts::new(5).unwrap();
            t.fold_panel_parallel(&states, 12, 2).unwrap();
            let est = t.finish().unwrap();
            est.chain().stationary().unwrap()
        })
    });
}

/// 1,000,000 customers x 12 months: level lognormal-ish, drift +-5%/month, noise, 2% zero
/// months, tenure uniform in 0..60 (seeded SplitMix, seed 2024).
fn base() -> (Vec<f64>, Vec<u32>) {
    let (n, months) = (1_000_000, 12);
    let mut g = common::SplitMix(2024);
    let mut spend = Vec::with_capacity(n * months);
    let mut tenure = Vec::with_capacity(n);
    for _ in 0..n {
        let level = (3.5 + 0.8 * g.normal()).exp();
        let drift = 0.1 * (g.uniform() - 0.5);
        for m in 0..months {
            let v = level * (1.0 + drift * m as f64) * (1.0 + 0.1 * g.normal());
            spend.push(if g.uniform() < 0.02 { 0.0 } else { v.max(0.0) });
        }
        tenure.push((g.uniform() * 60.0) as u32);
    }
    (spend, tenure)
}

fn classify_1m(c: &mut Criterion) {
    let (spend, tenure) = base();
    let mut group = c.benchmark_group("classify_1m_x12");
    group.sample_size(10);
    let full = LifecycleRules::new().drawdown(true);
    let ols_only = full.robust(false);
    group.bench_function("full_evidence_1thread", |b| {
        b.iter(|| full.classify_base(&spend, 12, &tenure).unwrap())
    });
    group.bench_function("full_evidence_2threads", |b| {
        b.iter(|| full.classify_base_parallel(&spend, 12, &tenure, 2).unwrap())
    });
    group.bench_function("ols_only_1thread", |b| {
        b.iter(|| ols_only.classify_base(&spend, 12, &tenure).unwrap())
    });
    group.finish();
}

criterion_group!(benches, markov_large, classify_1m);
criterion_main!(benches);
