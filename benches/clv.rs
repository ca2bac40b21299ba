//! Benches for `crm_analytics::clv`: the five anchor workloads of the anchor harness (`shared/anchors/bench.py`)
//! (`sbg_fit`, `bgnbd_cdnow`, `gg_cdnow`, `pnbd_cdnow`, `bgnbd_scale`) on the same data,
//! read from `tests/data/` (the anchors read the identical files from `refdata/`).
#![allow(
    missing_docs,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

mod common;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use crm_analytics::clv::{BgNbd, GammaGamma, ParetoNbd, PeriodUnit, RfmData, Sbg};

fn read(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

fn cdnow() -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mut x, mut tx, mut t) = (vec![], vec![], vec![]);
    for line in read("cdnow/cdnow_customers_summary.csv").lines().skip(1) {
        let f: Vec<f64> = line.split(',').map(|v| v.parse().unwrap()).collect();
        x.push(f[1]);
        tx.push(f[2]);
        t.push(f[3]);
    }
    (x, tx, t)
}

fn benches(c: &mut Criterion) {
    // sbg_fit: both FH 2007 cohorts, years 0..7, 1,000 customers each, per call.
    let text = read("sbg/sbg_fader_hardie_2007_survival.csv");
    let rows: Vec<Vec<f64>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
        .collect();
    let reg: Vec<f64> = rows[..8].iter().map(|r| (r[1] * 10.0).round()).collect();
    let high: Vec<f64> = rows[..8].iter().map(|r| (r[2] * 10.0).round()).collect();
    c.bench_function("sbg_fit", |b| {
        b.iter(|| {
            let r = Sbg::new().fit_cohorts(&[black_box(&reg)]).unwrap();
            let h = Sbg::new().fit_cohorts(&[black_box(&high)]).unwrap();
            (r.log_likelihood(), h.log_likelihood())
        })
    });

    // bgnbd_cdnow: fit incl. Hessian standard errors (lifetimes computes them too).
    let (x, tx, t) = cdnow();
    c.bench_function("bgnbd_cdnow", |b| {
        b.iter(|| {
            let d = RfmData::new(black_box(&x), &tx, &t, PeriodUnit::Week).unwrap();
            BgNbd::new().fit(&d).unwrap().log_likelihood()
        })
    });

    // bgnbd_scale: the CDNOW summary stacked 100 times (235,700 rows).
    let (mut xs, mut txs, mut ts) = (vec![], vec![], vec![]);
    for _ in 0..100 {
        xs.extend_from_slice(&x);
        txs.extend_from_slice(&tx);
        ts.extend_from_slice(&t);
    }
    c.bench_function("bgnbd_scale", |b| {
        b.iter(|| {
            let d = RfmData::new(black_box(&xs), &txs, &ts, PeriodUnit::Week).unwrap();
            BgNbd::new().fit(&d).unwrap().log_likelihood()
        })
    });

    // gg_cdnow: the 946 repeat buyers.
    let (mut gx, mut gz) = (vec![], vec![]);
    for line in read("cdnow/cdnow_customers_summary_with_transactions.csv")
        .lines()
        .skip(1)
    {
        let f: Vec<f64> = line.split(',').map(|v| v.parse().unwrap()).collect();
        if f[1] > 0.0 {
            gx.push(f[1]);
            gz.push(f[4]);
        }
    }
    c.bench_function("gg_cdnow", |b| {
        b.iter(|| GammaGamma::new().fit(black_box(&gx), &gz).unwrap().p())
    });

    // pnbd_cdnow.
    c.bench_function("pnbd_cdnow", |b| {
        b.iter(|| {
            let d = RfmData::new(black_box(&x), &tx, &t, PeriodUnit::Week).unwrap();
            ParetoNbd::new().fit(&d).unwrap().log_likelihood()
        })
    });
}

criterion_group!(clv, benches);
criterion_main!(clv);
