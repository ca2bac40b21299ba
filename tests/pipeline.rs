//! The end-to-end pipeline: recovery of the synthetic generator's known structure, the
//! mobi survey step against statsmodels, serde round trip, pinned validation errors, and
//! no panic on arbitrary inputs.

use crate::common::TIGHT;
use crm_analytics::Error;
use crm_analytics::lifecycle::LifecycleStage;
use crm_analytics::pipeline::{
    Budget, Contract, CustomerBase, GENERATING_STAGE_SHARES, Pipeline, SurveyData, SyntheticBase,
};
use crm_analytics::survey::{ItemMatrix, LikertScale};
use proptest::prelude::*;
use statrs::distribution::{ContinuousCDF, Normal};
use std::sync::OnceLock;

const N: usize = 40_000;

fn report() -> &'static crm_analytics::pipeline::CrmReport {
    static R: OnceLock<crm_analytics::pipeline::CrmReport> = OnceLock::new();
    R.get_or_init(|| {
        let base = SyntheticBase::new(N).seed(2024).generate().unwrap();
        Pipeline::new().run(&base, Some(&mobi_survey())).unwrap()
    })
}

fn mobi_survey() -> SurveyData {
    let (names, m) = crate::common::mobi_csv();
    let items = ItemMatrix::new(m, &names, LikertScale::new(1.0, 10.0).unwrap()).unwrap();
    SurveyData::ecsi(items).unwrap()
}

fn phi(x: f64) -> f64 {
    Normal::standard().cdf(x)
}

/// Lognormal(σ) Lorenz curve L(p) = Φ(Φ⁻¹(p) − σ) (Aitchison & Brown 1957): the share of
/// customers carrying 80% is q = Φ(Φ⁻¹(0.8) − σ); the top-20% share Φ(σ − Φ⁻¹(0.8)); the
/// Gini 2Φ(σ/√2) − 1. With σ = 1.75: q = 0.1818, top-20% = 0.8182, Gini = 0.7841.
/// The pipeline's ARPU is the generating ARPU times the mean of 1-12 mean-one lognormal
/// noise terms (log-sd 0.04), which moves these by < 1e-3. Sampling error at n = 40,000:
/// the Pareto point's standard deviation is about 0.002 (heavy tail), so 0.01 is ~5 SD;
/// shares of a heavy tail vary more, hence 0.02.
#[test]
fn concentration_matches_the_lognormal_calibration() {
    let r = report();
    let z80 = Normal::standard().inverse_cdf(0.8);
    let sigma = 1.75;
    let q = phi(z80 - sigma);
    assert!((q - 0.1818).abs() < 1e-4, "analytic {q}");
    let c = &r.concentration;
    assert!(
        (c.pareto_point - q).abs() < 0.01,
        "pareto {} vs {q}",
        c.pareto_point
    );
    assert!(
        (c.top20_share - phi(sigma - z80)).abs() < 0.02,
        "top20 {}",
        c.top20_share
    );
    let gini = 2.0 * phi(sigma / 2f64.sqrt()) - 1.0;
    assert!((c.gini - gini).abs() < 0.02, "gini {} vs {gini}", c.gini);
    // The Lorenz curve is convex from (0, 0) to (1, 1).
    assert_eq!(c.lorenz.first().unwrap(), &[0.0, 0.0]);
    assert!((c.lorenz.last().unwrap()[1] - 1.0).abs() < 1e-12);
    assert!(c.lorenz.iter().all(|p| p[1] <= p[0] + 1e-12));
}

/// Stages are drawn with shares 10/20/50/20%. Growth and decline drift ±8% a month, so
/// the relative OLS slope over 6 months is about ±0.08 against the 0.03 threshold, with
/// noise SD 0.04/√17.5 ≈ 0.0096: misclassification is about 0.2% (maturity, 3.1 SD) and
/// under 1e-6 otherwise. Binomial SD of a share at n = 40,000 is at most 0.0025, so 0.01
/// is ~4 SD.
#[test]
fn stage_shares_match_the_generating_shares() {
    let r = report();
    let l = &r.lifecycle;
    assert_eq!(l.unclassified, 0);
    for (k, s) in LifecycleStage::ALL.iter().enumerate() {
        assert!(
            (l.stage_shares[k] - GENERATING_STAGE_SHARES[k]).abs() < 0.01,
            "{s}: {} vs {}",
            l.stage_shares[k],
            GENERATING_STAGE_SHARES[k]
        );
    }
    assert_eq!(r.summary.stage_shares, l.stage_shares);
    let total: usize = l.stage_counts.iter().sum();
    assert_eq!(total, N);
}

/// The generator's churn: VIP is the top 2% by ARPU (z > 2.054); the share of group
/// members is 15% (binomial SD 0.0018); contracts 55/25/20%.
#[test]
fn base_section_recovers_the_generator() {
    let b = &report().base;
    assert_eq!(b.customers, N);
    assert_eq!(b.months, Some(12));
    let vip = b.vip.unwrap() as f64 / N as f64;
    assert!((vip - (1.0 - phi(2.054))).abs() < 0.004, "vip {vip}");
    let g = b.group_members.unwrap() as f64 / N as f64;
    assert!((g - 0.15).abs() < 0.01, "groups {g}");
    let c = b.contracts.as_ref().unwrap();
    assert_eq!(c[0].contract, Contract::MonthToMonth);
    assert!((c[0].customers as f64 / N as f64 - 0.55).abs() < 0.01);
    // Mean ARPU 50 (lognormal mean); the sample mean of a σ = 1.75 lognormal has
    // SD 50·sqrt(e^{σ²} − 1)/sqrt(n) ≈ 1.1, so 5 is ~4.5 SD.
    assert!(
        (b.mean_arpu - 50.0).abs() < 5.0,
        "mean arpu {}",
        b.mean_arpu
    );
}

/// The satisfaction step on mobi equals statsmodels 0.15's OLS of the mean-item
/// Satisfaction score on Image, Expectation, Quality and Value
/// (`tests/data/mobi/survey_reference.json`, `unit_weighted_regression`).
#[test]
fn satisfaction_step_matches_statsmodels() {
    let s = report().satisfaction.as_ref().unwrap();
    assert_eq!(s.respondents, 250);
    assert!((s.r_squared - 0.669441309539813).abs() < TIGHT);
    let want = [
        ("Image", 0.1721672361247176, 0.15927820379390784),
        ("Expectation", 0.0643842225615912, 0.061513000087158605),
        ("Quality", 0.5532018784138816, 0.5285666499645242),
        ("Value", 0.13828261047464616, 0.19378142079813254),
    ];
    for (name, b, beta) in want {
        let d = s.drivers.iter().find(|d| d.name == name).unwrap();
        assert!((d.coefficient - b).abs() < TIGHT, "{name}");
        assert!((d.standardized_beta - beta).abs() < TIGHT, "{name}");
    }
    // Quality has by far the largest standardised beta and LMG share.
    assert_eq!(s.drivers[0].name, "Quality");
    assert_eq!(report().summary.top_drivers[0], "Quality");
}

#[test]
fn budget_plan_respects_the_budget() {
    let r = report();
    let p = &r.retention.as_ref().unwrap().plan;
    // Default budget: 5% of a month's revenue.
    assert!((p.budget - 0.05 * r.base.monthly_revenue).abs() < 1e-6 * p.budget);
    assert!(p.spend <= p.budget + 1e-9);
    assert!(p.targeted > 0 && p.gain > 0.0);
    let by: usize = p.by_segment.iter().map(|s| s.targeted).sum();
    assert_eq!(by, p.targeted);
    assert_eq!(
        r.customers.targeted.iter().filter(|&&t| t).count(),
        p.targeted
    );
    // Churned customers are never targeted.
    let churned = r.base.churned.unwrap();
    assert_eq!(p.candidates, N - churned);
}

#[test]
fn survival_rows_are_consistent() {
    let s = report().survival.as_ref().unwrap();
    assert_eq!(s.overall.customers, N);
    let by: usize = s.by_segment.iter().map(|r| r.customers).sum();
    assert_eq!(by, N);
    for r in std::iter::once(&s.overall).chain(&s.by_segment) {
        assert!(r.s24 <= r.s12 && r.s12 <= 1.0 && r.s24 >= 0.0);
    }
}

#[test]
fn report_serde_round_trip() {
    let r = report();
    let json = serde_json::to_string(r).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["summary"]["customers"], N);
    assert_eq!(v["base"]["months"], 12);
    assert_eq!(
        v["concentration"]["gini"].as_f64().unwrap(),
        r.concentration.gini
    );
    assert_eq!(v["concentration"]["lorenz"].as_array().unwrap().len(), 101);
    assert_eq!(v["lifecycle"]["stage_counts"].as_array().unwrap().len(), 4);
    assert_eq!(v["lifecycle"]["source"], "MonthlyTrend");
    assert_eq!(v["value"]["segments"].as_array().unwrap().len(), 4);
    assert_eq!(v["survival"]["by_segment"][0]["segment"], "Valuable");
    assert_eq!(v["satisfaction"]["drivers"][0]["name"], "Quality");
    assert_eq!(
        v["retention"]["plan"]["spend"].as_f64().unwrap(),
        r.retention.as_ref().unwrap().plan.spend
    );
    // Per-customer columns are not serialised.
    assert!(v.get("customers").is_none());
    // Display: the executive summary comes first.
    let text = r.to_string();
    assert!(text.starts_with("Executive summary"));
    assert!(text.contains("Retention by value segment"));
}

#[test]
fn summary_charges_base_runs_with_notes() {
    let ids: Vec<String> = (0..8).map(|i| format!("c{i}")).collect();
    let tenure = vec![2, 10, 20, 30, 40, 50, 60, 70];
    let monthly = vec![20.0, 30.0, 50.0, 80.0, 70.0, 60.0, 100.0, 10.0];
    // c1: charge above average (growth); c3 near; c7 far below (decline).
    let total = vec![40.0, 200.0, 1000.0, 2400.0, 2800.0, 3000.0, 6000.0, 1400.0];
    let base = CustomerBase::summary(ids, tenure, monthly, total)
        .unwrap()
        .with_churn(vec![false, true, false, false, true, false, false, true])
        .unwrap();
    let r = Pipeline::new().run(&base, None).unwrap();
    // c0 onboarding; g = monthly·tenure/total − 1: c1 0.5 growth, c2 0 maturity,
    // c3 0 maturity, c4 0 maturity, c5 0 maturity, c6 0 maturity, c7 −0.5 decline.
    assert_eq!(r.lifecycle.stage_counts, [1, 1, 5, 1]);
    assert!(r.notes.iter().any(|n| n.contains("no monthly series")));
    assert!(r.notes.iter().any(|n| n.contains("no retention costs")));
    assert!(r.retention.is_none());
}

#[test]
fn validation_errors_are_pinned() {
    let ids = |k: usize| (0..k).map(|i| format!("c{i}")).collect::<Vec<_>>();
    let e = CustomerBase::monthly(vec!["a".into(), "a".into()], vec![1, 2], vec![1.0, 2.0], 1);
    assert_eq!(e.unwrap_err().to_string(), "duplicate customer id `a`");
    let e = CustomerBase::monthly(ids(2), vec![1, 2], vec![1.0, 2.0, -3.0, 4.0], 2);
    assert_eq!(
        e.unwrap_err().to_string(),
        "monthly spend at customer `c1` (row 1), month 0 must be finite and >= 0, got -3"
    );
    let e = CustomerBase::monthly(ids(2), vec![1], vec![1.0, 2.0], 1);
    assert!(matches!(e, Err(Error::DimensionMismatch { .. })));
    let e = CustomerBase::monthly(Vec::new(), Vec::new(), Vec::new(), 3);
    assert_eq!(e.unwrap_err().to_string(), "`customer base` is empty");
    let base = CustomerBase::monthly(ids(2), vec![1, 2], vec![1.0, 2.0], 1).unwrap();
    let e = base.clone().with_retention_cost(vec![1.0, f64::NAN]);
    assert_eq!(
        e.unwrap_err().to_string(),
        "retention cost at customer `c1` (row 1) must be finite and >= 0, got NaN"
    );
    let e = base.clone().with_churn_score(vec![1.5, 0.0]);
    assert_eq!(
        e.unwrap_err().to_string(),
        "churn score at customer `c0` (row 0) must be in [0, 1], got 1.5"
    );
    let e = base.clone().with_vip(vec![true]);
    assert_eq!(
        e.unwrap_err().to_string(),
        "dimension mismatch in `vip` (one per customer): expected 2, found 1"
    );
    let e = Pipeline::new().uplift(1.5).run(&base, None);
    assert_eq!(
        e.unwrap_err().to_string(),
        "option `uplift` must be in [0, 1], got 1.5"
    );
    let e = Pipeline::new().budget(Budget::Fixed(-1.0)).run(&base, None);
    assert_eq!(
        e.unwrap_err().to_string(),
        "option `budget` must be a finite amount > 0, got -1"
    );
    let e = SyntheticBase::new(0).generate();
    assert_eq!(e.unwrap_err().to_string(), "`customer base` is empty");
}

#[test]
fn synthetic_base_is_deterministic() {
    let a = SyntheticBase::new(500).seed(9).generate().unwrap();
    let b = SyntheticBase::new(500).seed(9).generate().unwrap();
    let c = SyntheticBase::new(500).seed(10).generate().unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Arbitrary small bases, NaN and infinities included: `Ok` or a typed `Err`, never a
    /// panic.
    #[test]
    fn no_panic_on_arbitrary_bases(
        spend in prop::collection::vec(
            prop_oneof![Just(f64::NAN), Just(0.0), 0.0..500.0f64, Just(f64::INFINITY), -5.0..0.0f64],
            1..40,
        ),
        months in 1usize..6,
        tenure in prop::collection::vec(0u32..40, 1..10),
        churn in prop::collection::vec(any::<bool>(), 1..10),
        cost in prop::collection::vec(prop_oneof![Just(f64::NAN), 0.0..10.0f64], 1..10),
    ) {
        let n = tenure.len();
        let ids: Vec<String> = (0..n).map(|i| i.to_string()).collect();
        let mut s = spend.clone();
        s.resize(n * months, 1.0);
        if let Ok(base) = CustomerBase::monthly(ids, tenure, s, months) {
            let base = base.clone().with_churn(churn).unwrap_or(base);
            let base = base.clone().with_retention_cost(cost).unwrap_or(base);
            let _ = Pipeline::new().threads(1).run(&base, None);
        }
    }
}

/// The generator's hazard falls with ARPU (factor exp(-0.3 z)) and with contract length
/// (1, 0.6, 0.35), and the derived value matrix puts high ARPU on the current axis and
/// contract commitment on the potential axis: valuable customers must retain better than
/// low-value ones, and the log-rank test must see it.
#[test]
fn retention_ordering_follows_the_hazard_model() {
    let s = report().survival.as_ref().unwrap();
    let row = |seg| {
        s.by_segment
            .iter()
            .find(|r| r.segment == Some(seg))
            .unwrap()
    };
    use crm_analytics::strategy::ValueSegment;
    assert!(row(ValueSegment::Valuable).s24 > row(ValueSegment::LowValue).s24 + 0.05);
    let t = s.log_rank.unwrap();
    assert_eq!(t.df, 3);
    assert!(t.p_value < 1e-10);
}

static STEPS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn count_step(_: &str) {
    STEPS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
}

#[test]
fn progress_observer_sees_every_step() {
    let base = SyntheticBase::new(300).seed(3).generate().unwrap();
    Pipeline::new()
        .on_step(count_step)
        .run(&base, None)
        .unwrap();
    // base, lifecycle, value, concentration, survival, satisfaction, retention, done.
    assert_eq!(STEPS.load(std::sync::atomic::Ordering::SeqCst), 8);
}
