//! The whole pipeline on 1,000,000 customers x 12 months of the built-in synthetic base
//! (value, concentration, stages, survival by segment, cost matching, budget plan), and the
//! generator alone. No anchor: no Python or R tool runs this end-to-end analysis.
#![allow(
    missing_docs,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::float_cmp
)]
use criterion::{Criterion, criterion_group, criterion_main};
use crm_analytics::pipeline::{Pipeline, SyntheticBase};

fn pipeline_1m(c: &mut Criterion) {
    let mut group = c.benchmark_group("pipeline");
    group.sample_size(10);
    let base = SyntheticBase::new(1_000_000).seed(2024).generate().unwrap();
    group.bench_function("pipeline_1m_x12_t1", |b| {
        b.iter(|| Pipeline::new().threads(1).run(&base, None).unwrap());
    });
    group.bench_function("pipeline_1m_x12_all_threads", |b| {
        b.iter(|| Pipeline::new().run(&base, None).unwrap());
    });
    group.bench_function("synthetic_base_1m_x12", |b| {
        b.iter(|| SyntheticBase::new(1_000_000).seed(2024).generate().unwrap());
    });
    group.finish();
}

criterion_group!(benches, pipeline_1m);
criterion_main!(benches);
