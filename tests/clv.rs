//! Integration tests of `crm_analytics::clv` against published values.

use crate::common::{data, published};
use crm_analytics::clv::*;

fn sbg_table() -> (Vec<f64>, Vec<f64>) {
    // tests/data/sbg: Fader & Hardie (2007) Table 1, percent alive at years 0..12.
    let text = data("sbg/sbg_fader_hardie_2007_survival.csv");
    let mut reg = Vec::new();
    let mut high = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<f64> = line.split(',').map(|v| v.trim().parse().unwrap()).collect();
        reg.push(f[1] * 10.0); // 1,000 customers per cohort
        high.push(f[2] * 10.0);
    }
    (reg, high)
}

#[test]
fn geometric_clv_models_5_1() {
    // MODELS.md §5.1: m = 100, r = 0.8, d = 0.1 -> 366.667 (margin now) and 266.667.
    let now = geometric_clv(100.0, 0.8, 0.1, MarginTiming::MarginNow).unwrap();
    let next = geometric_clv(100.0, 0.8, 0.1, MarginTiming::MarginNextPeriod).unwrap();
    assert!((now - 366.667).abs() < 5e-4);
    assert!((next - 266.667).abs() < 5e-4);
    assert_eq!(
        geometric_clv(100.0, 1.2, 0.1, MarginTiming::MarginNow).unwrap_err().to_string(),
        "option `retention` must be in [0, 1], got 1.2"
    );
}

#[test]
fn sbg_fader_hardie_2007_both_cohorts() {
    // FH 2007: regular alpha 0.704 beta 1.182; high end 0.668, 3.806 (fit on years 0..7).
    // Independent recomputation (tests/data/sbg/README.md): LL -1680.27 and -1611.16.
    let (reg, high) = sbg_table();
    let r = Sbg::new().fit_cohorts(&[&reg[..8]]).unwrap();
    let h = Sbg::new().fit_cohorts(&[&high[..8]]).unwrap();
    assert!(r.convergence().converged(), "{}", r.convergence());
    assert!((r.params().alpha() - 0.704).abs() < published(0.704, 3) * 0.704);
    assert!((r.params().beta() - 1.182).abs() < published(1.182, 3) * 1.182);
    assert!((h.params().alpha() - 0.668).abs() < 5e-4);
    assert!((h.params().beta() - 3.806).abs() < 5e-4);
    assert!((r.log_likelihood() + 1680.27).abs() < 5e-3);
    assert!((h.log_likelihood() + 1611.16).abs() < 5e-3);
    assert!(r.std_errors().is_some());
    // Both cohorts in one fit: LL is at least the sum of... no, shared parameters cannot
    // beat separate fits.
    let both = Sbg::new().fit_cohorts(&[&reg[..8], &high[..8]]).unwrap();
    assert!(both.log_likelihood() < r.log_likelihood() + h.log_likelihood());
    assert!(both.n_customers() == 2000.0);
}

#[test]
fn sbg_projection_to_year_12_and_derl() {
    // README: projected high-end survival at years 8..12 = 0.460 0.436 0.414 0.395 0.378
    // (also in jdmaturen/shifted_beta_geometric_py); DERL(d = 0.10, period 8) = 7.53.
    let (_, high) = sbg_table();
    let h = Sbg::new().fit_cohorts(&[&high[..8]]).unwrap();
    let want = [0.460, 0.436, 0.414, 0.395, 0.378];
    for (k, w) in want.iter().enumerate() {
        let s = h.params().survival(8 + k as u32).unwrap();
        assert!((s - w).abs() < 5e-4, "year {}: {s}", 8 + k);
    }
    assert!((h.params().derl(0.10, 8).unwrap() - 7.53).abs() < 5e-3);
    let obs: Vec<f64> = high.iter().map(|v| v / 1000.0).collect();
    let proj = h.params().projection(&obs, 12).unwrap();
    assert_eq!(proj.rows[12].observed, Some(0.394));
    // Regular cohort recomputed projection (README): 17.0% at year 12.
    let (reg, _) = sbg_table();
    let r = Sbg::new().fit_cohorts(&[&reg[..8]]).unwrap();
    assert!((r.params().survival(12).unwrap() - 0.170).abs() < 5e-4);
}

#[test]
fn sbg_fader_hardie_2010_cases() {
    // FH 2010: both segments have 80% first-year retention; heterogeneous DEL differs from
    // the geometric (1 + d) / (d + p) = 1.1 / 0.3 = 3.667 at d = 0.1.
    let c1 = SbgParams::new(3.80, 15.20).unwrap();
    let c2 = SbgParams::new(0.067, 0.267).unwrap();
    assert!((c1.retention_rate(1).unwrap() - 0.8).abs() < 1e-12);
    assert!((c2.retention_rate(1).unwrap() - 0.8).abs() < 5e-3);
    let (d1, d2) = (c1.del(0.1).unwrap(), c2.del(0.1).unwrap());
    assert!(d1 > 1.1 / 0.3 && d2 > d1);
    // The DEL series summed by hand (S(t) as running product of r_t), 20,000 terms.
    for p in [c1, c2] {
        let z: f64 = 1.0 / 1.1;
        let (mut s, mut surv) = (1.0, 1.0);
        for t in 1..20_000u32 {
            surv *= p.retention_rate(t).unwrap();
            s += surv * z.powi(t as i32);
        }
        assert!((p.del(0.1).unwrap() - s).abs() < 1e-8);
    }
}

#[test]
fn sbg_individual_equals_cohort() {
    // The same customers as individuals (tenure, churned) give the cohort MLE.
    let (reg, _) = sbg_table();
    let mut tenure = Vec::new();
    let mut churned = Vec::new();
    for t in 1..8 {
        for _ in 0..(reg[t - 1] - reg[t]) as usize {
            tenure.push(t as u32);
            churned.push(true);
        }
    }
    for _ in 0..reg[7] as usize {
        tenure.push(7);
        churned.push(false);
    }
    let a = Sbg::new().fit_individual(&tenure, &churned).unwrap();
    let b = Sbg::new().fit_cohorts(&[&reg[..8]]).unwrap();
    assert!((a.params().alpha() - b.params().alpha()).abs() < 1e-6);
    assert!((a.log_likelihood() - b.log_likelihood()).abs() < 1e-6);
}

#[test]
fn sbg_errors() {
    let e = Sbg::new().fit_cohorts(&[&[1000.0, 1200.0]]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cohort 0 survival counts at period 1 must be in [0, 1000] (counts cannot increase), got 1200"
    );
    assert!(Sbg::new().fit_cohorts(&[&[1000.0, f64::NAN]]).is_err());
    assert!(Sbg::new().fit_cohorts(&[]).is_err());
    assert!(Sbg::new().fit_individual(&[0], &[true]).is_err());
    assert!(SbgParams::new(f64::NAN, 1.0).is_err());
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn sbg_curves_are_valid(la in -30.0f64..30.0, lb in -30.0f64..30.0, t in 1u32..500) {
            let p = SbgParams::new(la.exp(), lb.exp()).unwrap();
            let s0 = p.survival(t - 1).unwrap();
            let s1 = p.survival(t).unwrap();
            prop_assert!((0.0..=1.0).contains(&s1) && s1 <= s0);
            let r1 = p.retention_rate(t).unwrap();
            let r2 = p.retention_rate(t + 1).unwrap();
            prop_assert!(r2 >= r1 && (0.0..=1.0).contains(&r1));
            let pt = p.churn_probability(t).unwrap();
            prop_assert!((0.0..=1.0).contains(&pt));
            for v in [p.del(0.1), p.derl(0.1, t), p.retention_elasticity(0.1, t)] {
                match v {
                    Ok(v) => prop_assert!(v.is_finite() && v >= 0.0),
                    Err(_) => {}
                }
            }
        }

        #[test]
        fn sbg_fit_never_panics(c in proptest::collection::vec(0.0f64..1000.0, 2..8), bad in any::<bool>()) {
            let mut c = c;
            c.sort_by(|a, b| b.total_cmp(a));
            if bad { c[1] = f64::NAN; }
            let _ = Sbg::new().fit_cohorts(&[&c]);
        }
    }
}
