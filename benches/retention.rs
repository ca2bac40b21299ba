//! Retention benches: matching and greedy allocation over 10,000,000 customers, exact
//! knapsack for 10,000 customers and a 1,000,000-cent budget. No Python anchor exists
//! for these workloads; absolute times and memory are recorded in docs/notes/retention.md.
#![allow(
    missing_docs,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::float_cmp
)]
use criterion::{Criterion, criterion_group, criterion_main};
use crm_analytics::Probability;
use crm_analytics::retention::{
    AllocationMethod, BudgetAllocator, CostMatching, RetentionOffer, Tier,
};

mod common;

/// Contribution lognormal(3.5, 1.1) (as the anchors' `gini_large`), cost 5 + 5% of
/// contribution + U(0, 5), tiers: top ~10% high-end.
fn base(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>, Vec<Tier>) {
    let mut g = common::SplitMix(seed);
    let v: Vec<f64> = (0..n).map(|_| (3.5 + 1.1 * g.normal()).exp()).collect();
    let c: Vec<f64> = v
        .iter()
        .map(|x| 5.0 + 0.05 * x + 5.0 * g.uniform())
        .collect();
    let t: Vec<Tier> = v
        .iter()
        .map(|&x| if x > 135.0 { Tier::HighEnd } else { Tier::Mass })
        .collect();
    (v, c, t)
}

fn matching_10m(c: &mut Criterion) {
    let (v, cost, t) = base(10_000_000, 2001);
    let mut group = c.benchmark_group("retention");
    group.sample_size(10);
    group.bench_function("matching_10m", |b| {
        b.iter(|| {
            let fit = CostMatching::new().fit(&v, &cost, Some(&t), None).unwrap();
            (fit.concentration_index(), fit.tiers().len())
        })
    });
    group.finish();
}

fn greedy_10m(c: &mut Criterion) {
    let (v, _, _) = base(10_000_000, 2002);
    let mut g = common::SplitMix(2003);
    let gamma = Probability::new(0.3).unwrap();
    let offers: Vec<RetentionOffer> = v
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let p = Probability::new(0.5 * g.uniform()).unwrap();
            let cost = (1.0 + 49.0 * g.uniform()).round();
            RetentionOffer::from_economics(i, p, gamma, 12.0 * x, cost).unwrap()
        })
        .collect();
    let budget = 10_000_000.0;
    let mut group = c.benchmark_group("retention");
    group.sample_size(10);
    group.bench_function("greedy_10m", |b| {
        b.iter(|| {
            let a = BudgetAllocator::new().allocate(&offers, budget).unwrap();
            (a.gain(), a.spend())
        })
    });
    group.finish();
}

fn knapsack_10k(c: &mut Criterion) {
    // 10,000 customers, one offer each, costs 1.00..200.00 in whole cents, budget
    // 1,000,000 cents (10,000.00): about 10^10 DP cells.
    let mut g = common::SplitMix(2004);
    let offers: Vec<RetentionOffer> = (0..10_000)
        .map(|i| {
            let cents = 100.0 + (19_900.0 * g.uniform()).floor();
            let cost = cents / 100.0;
            RetentionOffer::new(i, cost, cost * (0.2 + 2.0 * g.uniform())).unwrap()
        })
        .collect();
    // Default: Lagrangian reduction, then the DP on what is left.
    let alloc = BudgetAllocator::new().method(AllocationMethod::Exact);
    let mut group = c.benchmark_group("retention");
    group.sample_size(10);
    let mut last = None;
    group.bench_function("knapsack_10k_1m_cents", |b| {
        b.iter(|| {
            let a = alloc.allocate(&offers, 10_000.0).unwrap();
            let g = a.gain();
            last = Some(a);
            g
        })
    });
    group.finish();
    if let Some(a) = last {
        eprintln!(
            "knapsack_10k (reduced): gain {:.2}, spend {:.2}, {} chosen, {} offers left for the DP, DP peak memory {} bytes",
            a.gain(),
            a.spend(),
            a.chosen().len(),
            a.dp_offers().unwrap(),
            a.memory_bytes().unwrap()
        );
    }
    // The full DP over all 10,000 x 1,000,001 cells takes minutes per solve on a shared
    // 2-core machine, too long for criterion's 10 samples: with
    // CRM_RETENTION_FULL_DP=1 it is timed once with `Instant` (a measurement, not a test).
    if std::env::var_os("CRM_RETENTION_FULL_DP").is_some() {
        let full = BudgetAllocator::new()
            .method(AllocationMethod::Exact)
            .reduce(false);
        let t = std::time::Instant::now();
        let a = full.allocate(&offers, 10_000.0).unwrap();
        eprintln!(
            "knapsack_10k (full DP, one solve): {:.1} s, gain {:.2}, DP peak memory {} bytes",
            t.elapsed().as_secs_f64(),
            a.gain(),
            a.memory_bytes().unwrap()
        );
    }
}

criterion_group!(benches, matching_10m, greedy_10m, knapsack_10k);
criterion_main!(benches);
