//! Integration tests of `retention`: MODELS.md §5.3 worked examples, textbook tests
//! (Agresti; Fleiss, Levin & Paik; R `fisher.test` documentation), hand cases and
//! properties.

use approx::assert_relative_eq;
use crm_analytics::retention::*;
use crm_analytics::strategy::{BondLevel, LifecycleStage, StrategyBook, ValueSegment};
use crm_analytics::{Error, Probability};
use proptest::prelude::*;

use crate::common::{EXACT, TIGHT, published};

fn prob(p: f64) -> Probability {
    Probability::new(p).unwrap()
}

/// MODELS.md §5.3 five customers (p, γ, V, c), in the order A, B, C, D, E.
fn five_offers() -> Vec<RetentionOffer> {
    let data = [
        (0.5, 0.4, 1000.0, 50.0),
        (0.2, 0.3, 2000.0, 40.0),
        (0.6, 0.2, 300.0, 20.0),
        (0.1, 0.5, 800.0, 30.0),
        (0.4, 0.25, 600.0, 30.0),
    ];
    data.iter()
        .enumerate()
        .map(|(i, &(p, g, v, c))| {
            RetentionOffer::from_economics(i, prob(p), prob(g), v, c).unwrap()
        })
        .collect()
}

// ---------------------------------------------------------------- rates

#[test]
fn rates_models_5_1_conventions() {
    // MODELS.md §5.1: churn = left / customers at start; r = 1 - churn; lifetime 1/(1-r).
    // 10,000 at start, 200 left, 300 joined -> 10,100 at end.
    let r = PeriodRates::from_counts(10_000, 10_100, 200, RateBase::StartOfPeriod).unwrap();
    assert_relative_eq!(r.churn().get(), 0.02, max_relative = EXACT);
    assert_relative_eq!(r.retention().get(), 0.98, max_relative = EXACT);
    assert_relative_eq!(r.expected_lifetime().unwrap(), 50.0, max_relative = TIGHT);
    // Average base: 200 / 10,050.
    let a = PeriodRates::from_counts(10_000, 10_100, 200, RateBase::Average).unwrap();
    assert_relative_eq!(a.churn().get(), 200.0 / 10_050.0, max_relative = EXACT);
    assert_eq!(a.base(), RateBase::Average);
    // r = .8 -> 5 periods (the geometric lifetime of MODELS.md §5.1's CLV example).
    assert_relative_eq!(
        expected_lifetime(prob(0.8)).unwrap(),
        5.0,
        max_relative = TIGHT
    );
}

// ---------------------------------------------------------------- economics and campaigns

#[test]
fn neslin_campaign_profit_models_worked_example() {
    // MODELS.md §5.3 [calc]: N=10000, α=.1, β=.3, γ=.25, CLV=500, c=2, δ=30, A=1000
    // -> 1000·[.075·468 + .225·(-2) + .7·(-32)] - 1000 = 1000·12.25 - 1000 = 11,250.
    let r = CampaignProfit::new(10_000, prob(0.1), prob(0.3), prob(0.25))
        .clv(500.0)
        .contact_cost(2.0)
        .incentive_cost(30.0)
        .fixed_cost(1_000.0)
        .evaluate()
        .unwrap();
    assert_relative_eq!(r.profit, 11_250.0, max_relative = EXACT);
    assert_relative_eq!(r.retained_churners, 75.0, max_relative = EXACT);
    assert!(r.to_string().contains("11250.00"));
    let e = CampaignProfit::new(1, prob(0.1), prob(0.1), prob(0.1))
        .contact_cost(-1.0)
        .evaluate()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "option `contact_cost` must be finite and >= 0, got -1"
    );
}

#[test]
fn offer_economics_models_worked_example() {
    // MODELS.md §5.3: A g=150 ROI 3; B g=80 ROI 2; C g=16 ROI .8; D g=10 ROI 1/3; E g=30 ROI 1.
    let want = [
        (150.0, 3.0),
        (80.0, 2.0),
        (16.0, 0.8),
        (10.0, 1.0 / 3.0),
        (30.0, 1.0),
    ];
    for (o, (g, roi)) in five_offers().iter().zip(want) {
        assert_relative_eq!(o.gain(), g, max_relative = TIGHT);
        assert_relative_eq!(o.roi().unwrap(), roi, max_relative = TIGHT);
    }
    let a = OfferEconomics::evaluate(prob(0.5), prob(0.4), 1000.0, 50.0).unwrap();
    assert_relative_eq!(a.max_justified_spend(), 200.0, max_relative = EXACT);
    assert!(a.is_profitable());
    assert!(OfferEconomics::evaluate(prob(0.5), prob(0.4), f64::NAN, 50.0).is_err());
    assert!(OfferEconomics::evaluate(prob(0.5), prob(0.4), 1.0, -1.0).is_err());
}

/// EMPC by brute force: Simpson's rule over γ of the maximum over every ROC point
/// (not only the hull) of the profit, weighted by the Beta(6, 14) density. An
/// independent route to the same integral as the closed form.
fn empc_quadrature(scores: &[f64], churned: &[bool], clv: f64, d: f64, f: f64) -> f64 {
    let n = scores.len() as f64;
    let n0 = churned.iter().filter(|&&c| c).count() as f64;
    let n1 = n - n0;
    let (pi0, pi1) = (n0 / n, n1 / n);
    let mut thresholds: Vec<f64> = scores.to_vec();
    thresholds.push(f64::INFINITY);
    let points: Vec<(f64, f64)> = thresholds
        .iter()
        .map(|&t| {
            let tp = (0..scores.len())
                .filter(|&i| scores[i] >= t && churned[i])
                .count() as f64;
            let fp = (0..scores.len())
                .filter(|&i| scores[i] >= t && !churned[i])
                .count() as f64;
            (tp / n0, fp / n1)
        })
        .collect();
    let (delta, phi) = (d / clv, f / clv);
    let ln_b = statrs::function::beta::ln_beta(6.0, 14.0);
    let h = |g: f64| ((5.0 * g.ln() + 13.0 * (1.0 - g).ln()) - ln_b).exp();
    let profit = |g: f64| {
        points
            .iter()
            .map(|&(f0, f1)| {
                clv * (g * (1.0 - delta) - phi) * pi0 * f0 - clv * (delta + phi) * pi1 * f1
            })
            .fold(f64::NEG_INFINITY, f64::max)
    };
    let m = 200_000;
    let step = 1.0 / m as f64;
    let mut s = 0.0;
    for k in 1..m {
        let g = k as f64 * step;
        s += if k % 2 == 1 { 4.0 } else { 2.0 } * profit(g) * h(g);
    }
    s * step / 3.0
}

#[test]
fn empc_matches_numerical_integration() {
    // No published EMPC value was found for a data set we can see (R EMP's examples use
    // ROCR's data without printed results), so the closed form is checked against an
    // independent Simpson quadrature of the definition (Verbraken et al. 2013, eq. 10).
    let scores = [
        0.95, 0.9, 0.85, 0.8, 0.7, 0.7, 0.6, 0.5, 0.4, 0.35, 0.3, 0.2, 0.1, 0.05,
    ];
    let churned = [
        true, true, false, true, true, false, false, true, false, false, false, false, true, false,
    ];
    let r = Empc::new().evaluate(&scores, &churned).unwrap();
    let q = empc_quadrature(&scores, &churned, 200.0, 10.0, 1.0);
    assert_relative_eq!(r.empc, q, max_relative = 1e-7);
    assert!(r.empc > 0.0);
    // A perfect model targets exactly the churners: η = π0 whenever targeting pays,
    // and pays when γ > φ/(1-δ) = (1/200)/(0.95), almost surely under Beta(6, 14).
    let perfect: Vec<f64> = churned.iter().map(|&c| if c { 1.0 } else { 0.0 }).collect();
    let p = Empc::new().evaluate(&perfect, &churned).unwrap();
    let pi0 = 6.0 / 14.0;
    assert_relative_eq!(p.targeted_share, pi0, max_relative = 1e-6);
    // EMPC of a perfect model = CLV·π0·(E[γ](1-δ) - φ) = 200·(6/14)·(0.3·0.95 - 0.005).
    assert_relative_eq!(
        p.empc,
        200.0 * pi0 * (0.3 * 0.95 - 0.005),
        max_relative = 1e-6
    );
    let e = Empc::new()
        .incentive(300.0)
        .evaluate(&scores, &churned)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "option `incentive` must be below the clv (200), got 300"
    );
    assert!(Empc::new().evaluate(&[0.1, 0.2], &[true, true]).is_err());
}

// ---------------------------------------------------------------- allocation

#[test]
fn five_customer_allocation_models_worked_example() {
    // MODELS.md §5.3 [calc], B = 100: greedy picks A, B (spend 90, gain 230) = the
    // knapsack optimum.
    let offers = five_offers();
    for method in [AllocationMethod::Greedy, AllocationMethod::Exact] {
        let a = BudgetAllocator::new()
            .method(method)
            .allocate(&offers, 100.0)
            .unwrap();
        assert_eq!(a.customers(), vec![0, 1], "{method}");
        assert_relative_eq!(a.spend(), 90.0, max_relative = EXACT);
        assert_relative_eq!(a.gain(), 230.0, max_relative = TIGHT);
        assert!(a.to_string().contains("230.00"));
    }
    let g = BudgetAllocator::new().allocate(&offers, 100.0).unwrap();
    let curve = g.marginal_curve();
    assert_relative_eq!(curve[0].marginal_roi.unwrap(), 3.0, max_relative = TIGHT);
    assert_relative_eq!(curve[1].marginal_roi.unwrap(), 2.0, max_relative = TIGHT);
}

#[test]
fn greedy_not_optimal_and_best_single_check() {
    // Budget 10: X (cost 1, gain 2, ROI 2), Y (cost 10, gain 15, ROI 1.5).
    // Greedy fills X and cannot afford Y: gain 2; the best single Y gives 15 = optimum.
    let offers = vec![
        RetentionOffer::new(0, 1.0, 2.0).unwrap(),
        RetentionOffer::new(1, 10.0, 15.0).unwrap(),
    ];
    let g = BudgetAllocator::new().allocate(&offers, 10.0).unwrap();
    assert!(g.best_single_used());
    assert_eq!(g.customers(), vec![1]);
    // Budget 10: P, Q, R with cost 5, 5, 6 and gain 5, 5, 6.6 (ROI 1, 1, 1.1).
    // Greedy takes R (6) then neither P nor Q fits: 6.6; optimum P + Q = 10.
    let offers = vec![
        RetentionOffer::new(0, 5.0, 5.0).unwrap(),
        RetentionOffer::new(1, 5.0, 5.0).unwrap(),
        RetentionOffer::new(2, 6.0, 6.6).unwrap(),
    ];
    let g = BudgetAllocator::new().allocate(&offers, 10.0).unwrap();
    let e = BudgetAllocator::new()
        .method(AllocationMethod::Exact)
        .allocate(&offers, 10.0)
        .unwrap();
    assert_relative_eq!(g.gain(), 6.6, max_relative = TIGHT);
    assert_relative_eq!(e.gain(), 10.0, max_relative = TIGHT);
    assert!(g.gain() >= 0.5 * e.gain());
}

#[test]
fn multiple_offers_choose_at_most_one() {
    // Customer 0: small (cost 10, gain 30) or large (cost 30, gain 60); customer 1:
    // (cost 20, gain 30). Budget 40: the optimum is large + nothing (60) vs small +
    // customer 1 (60) vs ... -> 60; never both offers of customer 0 (would be 90 for 40).
    let offers = vec![
        RetentionOffer::new(0, 10.0, 30.0).unwrap(),
        RetentionOffer::new(0, 30.0, 60.0).unwrap(),
        RetentionOffer::new(1, 20.0, 30.0).unwrap(),
    ];
    for method in [AllocationMethod::Greedy, AllocationMethod::Exact] {
        let a = BudgetAllocator::new()
            .method(method)
            .allocate(&offers, 40.0)
            .unwrap();
        let mut seen = a.customers();
        seen.dedup();
        assert_eq!(seen.len(), a.chosen().len());
        assert_relative_eq!(a.gain(), 60.0, max_relative = TIGHT);
    }
    // Budget 50: large + customer 1 = 90 (exact); greedy upgrades small -> large
    // (incremental ROI 1.5) after customer 1 (ROI 1.5, tie by customer): also 90.
    let e = BudgetAllocator::new()
        .method(AllocationMethod::Exact)
        .allocate(&offers, 50.0)
        .unwrap();
    assert_relative_eq!(e.gain(), 90.0, max_relative = TIGHT);
    assert_eq!(
        e.chosen().iter().map(|c| c.offer).collect::<Vec<_>>(),
        vec![1, 2]
    );
}

#[test]
fn exact_errors() {
    let offers = vec![RetentionOffer::new(0, 1.005, 2.0).unwrap()];
    let e = BudgetAllocator::new()
        .method(AllocationMethod::Exact)
        .allocate(&offers, 10.0)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "offer cost for the exact method at offer 0 (customer 0) must be a whole number of cents (use the greedy method otherwise), got 1.005"
    );
    // 3 customers with costs 0.01 and 0.02 (unit 1 cent), budget 1e6: the one-block
    // table needs 3·(1e8+1) bytes + rows; a 1 MiB limit cannot hold it.
    let offers = vec![
        RetentionOffer::new(0, 0.01, 1.0).unwrap(),
        RetentionOffer::new(1, 0.02, 1.0).unwrap(),
        RetentionOffer::new(2, 0.03, 1.0).unwrap(),
    ];
    let e = BudgetAllocator::new()
        .method(AllocationMethod::Exact)
        .reduce(false)
        .memory_limit(1 << 20)
        .allocate(&offers, 1.0e6)
        .unwrap_err();
    assert!(matches!(
        e,
        Error::LimitExceeded {
            limit: 1_048_576,
            ..
        }
    ));
    assert!(e.to_string().contains("use AllocationMethod::Greedy"));
    let e = BudgetAllocator::new().allocate(&offers, -1.0).unwrap_err();
    assert_eq!(
        e.to_string(),
        "option `budget` must be finite and >= 0, got -1"
    );
}

#[test]
fn checkpointed_dp_equals_one_block_dp() {
    // A memory limit that forces several blocks must give the same optimum.
    let mut g = 12345u64;
    let mut next = || {
        g = g
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (g >> 33) as f64 / (1u64 << 31) as f64
    };
    let offers: Vec<RetentionOffer> = (0..200)
        .map(|i| {
            let cost = (1.0 + (next() * 5000.0).floor()) / 100.0;
            RetentionOffer::new(i / 2, cost, cost * (0.5 + 2.0 * next())).unwrap()
        })
        .collect();
    let one = BudgetAllocator::new()
        .method(AllocationMethod::Exact)
        .reduce(false)
        .allocate(&offers, 300.0)
        .unwrap();
    // One block needs 100·width bytes of choices + 2 f64 rows = 3.48 MB; 2.4 MB forces
    // blocks of about sqrt(8·100) = 28 customers (peak 6 f64 rows + 28 byte rows, 2.25 MB).
    let limit = 2_400_000;
    let many = BudgetAllocator::new()
        .method(AllocationMethod::Exact)
        .reduce(false)
        .memory_limit(limit)
        .allocate(&offers, 300.0)
        .unwrap();
    assert!(many.memory_bytes().unwrap() <= limit);
    assert_relative_eq!(one.gain(), many.gain(), max_relative = 1e-12);
    assert!(many.spend() <= 300.0);
    // The reduction leaves fewer offers for the DP and the same optimum.
    let reduced = BudgetAllocator::new()
        .method(AllocationMethod::Exact)
        .allocate(&offers, 300.0)
        .unwrap();
    assert!(reduced.dp_offers().unwrap() < 200);
    assert_relative_eq!(one.gain(), reduced.gain(), max_relative = 1e-12);
}

/// Brute force over all choices of at most one offer per customer.
fn brute_force(offers: &[RetentionOffer], budget: f64) -> f64 {
    let m = offers.len();
    let mut best = 0.0f64;
    for mask in 0u32..(1 << m) {
        let mut cost = 0.0;
        let mut gain = 0.0;
        let mut seen = Vec::new();
        let mut ok = true;
        for (i, o) in offers.iter().enumerate() {
            if mask & (1 << i) != 0 {
                if seen.contains(&o.customer()) {
                    ok = false;
                    break;
                }
                seen.push(o.customer());
                cost += o.cost();
                gain += o.gain();
            }
        }
        if ok && cost <= budget + 1e-9 {
            best = best.max(gain);
        }
    }
    best
}

fn offers_strategy(max: usize) -> impl Strategy<Value = Vec<RetentionOffer>> {
    prop::collection::vec((0usize..8, 1u32..5_000, -2_000i32..10_000), 1..max).prop_map(|v| {
        v.into_iter()
            .map(|(c, cents, gain)| {
                RetentionOffer::new(c, f64::from(cents) / 100.0, f64::from(gain) / 100.0).unwrap()
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn knapsack_equals_brute_force(offers in offers_strategy(15), budget_cents in 0u32..12_000) {
        let budget = f64::from(budget_cents) / 100.0;
        let bf = brute_force(&offers, budget);
        for reduce in [true, false] {
            let exact = BudgetAllocator::new().method(AllocationMethod::Exact).reduce(reduce).allocate(&offers, budget).unwrap();
            prop_assert!((exact.gain() - bf).abs() <= 1e-9 * bf.max(1.0), "exact (reduce {}) {} brute {}", reduce, exact.gain(), bf);
            prop_assert!(exact.spend() <= budget);
            let mut c = exact.customers();
            c.dedup();
            prop_assert_eq!(c.len(), exact.chosen().len());
        }
        let greedy = BudgetAllocator::new().allocate(&offers, budget).unwrap();
        prop_assert!(greedy.spend() <= budget);
        prop_assert!(greedy.gain() >= 0.5 * bf - 1e-9, "greedy {} < half of {}", greedy.gain(), bf);
        prop_assert!(greedy.gain() <= bf + 1e-9);
        let mut c = greedy.customers();
        c.dedup();
        prop_assert_eq!(c.len(), greedy.chosen().len());
    }

    #[test]
    fn gain_monotone_in_budget(offers in offers_strategy(20), b1 in 0u32..10_000, extra in 0u32..5_000) {
        // Exact: by definition. Greedy: the fills at two budgets agree up to the first
        // increment k that fits only the larger one; everything the smaller budget adds
        // after that has ROI <= r_k and costs less than c_k, so it gains less than k.
        let lo = f64::from(b1) / 100.0;
        let hi = f64::from(b1 + extra) / 100.0;
        for m in [AllocationMethod::Exact, AllocationMethod::Greedy] {
            let a = BudgetAllocator::new().method(m);
            let g_lo = a.allocate(&offers, lo).unwrap().gain();
            let g_hi = a.allocate(&offers, hi).unwrap().gain();
            prop_assert!(g_hi >= g_lo - 1e-9, "{}: {} at {} > {} at {}", m, g_lo, lo, g_hi, hi);
        }
    }

    #[test]
    fn matching_weighted_mean_index_is_one(
        v in prop::collection::vec(0.01f64..1e4, 1..50),
        c_seed in prop::collection::vec(0.0f64..1e3, 50),
    ) {
        let c: Vec<f64> = c_seed[..v.len()].iter().map(|x| x + 0.001).collect();
        let fit = CostMatching::new().fit(&v, &c, None, None).unwrap();
        let total: f64 = v.iter().sum();
        let avg: f64 = fit.indices().iter().zip(&v).map(|(m, vi)| m.unwrap() * vi / total).sum();
        prop_assert!((avg - 1.0).abs() < 1e-9);
        prop_assert!((fit.weighted_mean_index() - 1.0).abs() < 1e-9);
        prop_assert!(fit.concentration_index().abs() <= 1.0 && fit.value_gini().abs() <= 1.0);
        // cost proportional to value: CI equals the Gini of value.
        let prop_c: Vec<f64> = v.iter().map(|x| 3.0 * x).collect();
        let same = CostMatching::new().fit(&v, &prop_c, None, None).unwrap();
        prop_assert!(same.concentration_gap().abs() < 1e-9);
    }

    #[test]
    fn no_panic_on_arbitrary_input(
        v in prop::collection::vec(prop_oneof![Just(f64::NAN), Just(-1.0), Just(0.0), any::<f64>(), 0.0f64..100.0], 0..12),
        c in prop::collection::vec(prop_oneof![Just(f64::NAN), Just(f64::INFINITY), any::<f64>(), 0.0f64..100.0], 0..12),
        b in prop_oneof![Just(f64::NAN), any::<f64>(), 0.0f64..500.0],
        counts in (0u64..50, 0u64..50, 0u64..50, 0u64..50),
    ) {
        let tiers = vec![Tier::Mass; v.len()];
        let _ = CostMatching::new().fit(&v, &c, Some(&tiers), None);
        let _ = TargetBudget::new().split(b, &v, &tiers, Some(&c));
        let offers: Vec<RetentionOffer> = v.iter().zip(&c).enumerate()
            .filter_map(|(i, (&g, &cost))| RetentionOffer::new(i % 3, cost, g).ok()).collect();
        for m in [AllocationMethod::Greedy, AllocationMethod::Exact] {
            if let Ok(a) = BudgetAllocator::new().method(m).memory_limit(1 << 24).allocate(&offers, b) {
                prop_assert!(a.spend() <= b);
            }
        }
        let (x1, n1, x2, n2) = counts;
        if let Ok(r) = CampaignEffect::new().evaluate(x1, n1, x2, n2) {
            prop_assert!(r.conf_int.0.is_finite() && r.fisher.p_two_sided <= 1.0);
        }
        let _ = FisherExact::test(x1, n1, x2, n2);
        let _ = Empc::new().evaluate(&v, &vec![true; v.len()]);
        let _ = PeriodRates::from_counts(counts.0, counts.1, counts.2, RateBase::Average);
    }

    #[test]
    fn split_never_exceeds_total_or_caps(
        v in prop::collection::vec(0.1f64..1e3, 1..30),
        caps in prop::collection::vec(0.0f64..200.0, 30),
        total in 0.0f64..5_000.0,
    ) {
        let tiers: Vec<Tier> = (0..v.len()).map(|i| Tier::ALL[i % 3]).collect();
        let caps = &caps[..v.len()];
        let s = TargetBudget::new().split(total, &v, &tiers, Some(caps)).unwrap();
        prop_assert!(s.allocated() <= total * (1.0 + 1e-12) + 1e-9);
        for (bi, ci) in s.budgets().iter().zip(caps) {
            prop_assert!(*bi <= *ci * (1.0 + 1e-12) + 1e-12);
        }
        // Water-filling hands out the whole budget unless every customer is capped.
        if s.capped().iter().any(|&c| !c) {
            prop_assert!((s.allocated() - total).abs() <= 1e-9 * total.max(1.0));
        }
    }
}

// ---------------------------------------------------------------- matching and budgets

#[test]
fn matching_four_customer_base_by_tier_and_segment() {
    // v = (400, 300, 200, 100), c = (20, 30, 30, 20); V = 1000, C = 100.
    // Tier high-end {0, 1}: value .7, cost .5 -> 5/7 (under-served);
    // mass {2, 3}: value .3, cost .5 -> 5/3 (over-served).
    let v = [400.0, 300.0, 200.0, 100.0];
    let c = [20.0, 30.0, 30.0, 20.0];
    let tiers = [Tier::HighEnd, Tier::HighEnd, Tier::Mass, Tier::Mass];
    let segs = [
        ValueSegment::Valuable,
        ValueSegment::SubValuable,
        ValueSegment::SubValuable,
        ValueSegment::LowValue,
    ];
    let fit = CostMatching::new()
        .fit(&v, &c, Some(&tiers), Some(&segs))
        .unwrap();
    assert_relative_eq!(
        fit.tiers()[0].index.unwrap(),
        5.0 / 7.0,
        max_relative = EXACT
    );
    assert_relative_eq!(
        fit.tiers()[1].index.unwrap(),
        5.0 / 3.0,
        max_relative = EXACT
    );
    // Sub-valuable {1, 2}: value .5, cost .6 -> 1.2; low value {3}: .2/.1 = 2.
    assert_eq!(fit.segments()[1].group, ValueSegment::SubValuable);
    assert_relative_eq!(fit.segments()[1].index.unwrap(), 1.2, max_relative = EXACT);
    assert_relative_eq!(fit.segments()[2].index.unwrap(), 2.0, max_relative = EXACT);
    // By index: most over-served is customer 3 (M = 2), most under-served 0 (M = .5).
    let by_index = CostMatching::new()
        .rank_by(MatchRanking::Index)
        .fit(&v, &c, None, None)
        .unwrap();
    assert_eq!(by_index.over_served()[0].customer, 3);
    assert_eq!(by_index.under_served()[0].customer, 0);
    let text = fit.to_string();
    assert!(text.contains("By tier") && text.contains("under-served"));
    let json = serde_json::to_string(&fit).unwrap();
    assert!(json.contains("\"concentration_index\""));
}

#[test]
fn matching_errors_are_pinned() {
    let e = CostMatching::new()
        .fit(&[1.0, 2.0], &[1.0], None, None)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "dimension mismatch in costs (one per customer): expected 2, found 1"
    );
    let e = CostMatching::new()
        .fit(&[1.0, f64::NAN], &[1.0, 1.0], None, None)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "`values` has a non-finite value (NaN) at index 1"
    );
    let e = CostMatching::new()
        .fit(&[1.0, -2.0], &[1.0, 1.0], None, None)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "values at customer 1 must be finite and >= 0, got -2"
    );
    let e = CostMatching::new()
        .fit(&[1.0], &[0.0], None, None)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid costs: the total must be finite and > 0, got 0"
    );
    assert!(matches!(
        CostMatching::new().fit(&[], &[], None, None),
        Err(Error::Empty { .. })
    ));
    // A customer of zero value with a cost: index undefined, weighted mean below 1.
    let fit = CostMatching::new()
        .fit(&[1.0, 0.0], &[1.0, 1.0], None, None)
        .unwrap();
    assert_eq!(fit.indices()[1], None);
    assert_relative_eq!(fit.weighted_mean_index(), 0.5, max_relative = EXACT);
}

#[test]
fn tilted_budget_capped_at_max_justified_spend() {
    // MODELS.md §5.3 budget rule: B_i = B·t_i v_i / Σ t v. v = (100, 100, 100, 100),
    // tiers (high-end, group, mass, mass): weights 150, 130, 100, 100 (Σ 480); B = 480.
    let v = [100.0; 4];
    let tiers = [Tier::HighEnd, Tier::Group, Tier::Mass, Tier::Mass];
    let s = TargetBudget::new().split(480.0, &v, &tiers, None).unwrap();
    assert_eq!(s.budgets(), &[150.0, 130.0, 100.0, 100.0]);
    // Caps c* = p γ V: customer 0 at 60. Freed 90 goes to the others by weight:
    // λ = (480 - 60)/330, budgets 130·λ = 165.4545..., 100·λ = 127.2727...
    let caps = [60.0, 1e9, 1e9, 1e9];
    let s = TargetBudget::new()
        .split(480.0, &v, &tiers, Some(&caps))
        .unwrap();
    assert_relative_eq!(s.budgets()[0], 60.0, max_relative = EXACT);
    assert_relative_eq!(s.budgets()[1], 130.0 * 420.0 / 330.0, max_relative = TIGHT);
    assert_relative_eq!(s.budgets()[2], 100.0 * 420.0 / 330.0, max_relative = TIGHT);
    assert_eq!(s.tiers()[0].capped, 1);
    assert!(s.to_string().contains("high-end"));
    // Flat tilts: proportional to value.
    let s = TargetBudget::new()
        .tilts(TierTilts::flat())
        .split(400.0, &v, &tiers, None)
        .unwrap();
    assert_eq!(s.budgets(), &[100.0; 4]);
}

// ---------------------------------------------------------------- effect evaluation

#[test]
fn fisher_tea_tasting_agresti() {
    // Agresti (2002) Categorical Data Analysis §3.5.2, Table 3.8: tea tasting
    // [[3, 1], [1, 3]]: P(n11 = 3) = 0.229, P(4) = 0.014; one-sided p = 0.243;
    // two-sided p = 0.486 (0.4857 to four places: 34/70).
    let t = FisherExact::test(3, 1, 1, 3).unwrap();
    assert_relative_eq!(t.p_two_sided, 34.0 / 70.0, max_relative = TIGHT);
    assert_relative_eq!(t.p_two_sided, 0.4857, max_relative = published(0.4857, 4));
    assert_relative_eq!(t.p_greater, 17.0 / 70.0, max_relative = TIGHT);
    assert_relative_eq!(t.odds_ratio.unwrap(), 9.0, max_relative = EXACT);
}

#[test]
fn fisher_convictions_r_documentation() {
    // R `?fisher.test`, Fisher (1962) convictions of like-sex twins [[2, 10], [15, 3]]:
    // two-sided p = 0.0005367, alternative "less" p = 0.0004652 (also scipy 1.17.1
    // fisher_exact: 0.0005367241191434357 and 0.000465180943362905).
    let t = FisherExact::test(2, 10, 15, 3).unwrap();
    assert_relative_eq!(
        t.p_two_sided,
        0.000_536_724_119_143_435_7,
        max_relative = 1e-9
    );
    assert_relative_eq!(t.p_less, 0.000_465_180_943_362_905, max_relative = 1e-9);
    assert!(FisherExact::test(0, 0, 0, 0).is_err());
}

#[test]
fn two_proportions_aspirin_agresti() {
    // Agresti (2007) An Introduction to Categorical Data Analysis §2.2.3, Physicians'
    // Health Study: myocardial infarction 189 of 11,034 (placebo) vs 104 of 11,037
    // (aspirin). Difference 0.0077, SE 0.0015, 95% CI (0.005, 0.011); Pearson X² = 25.01
    // (statsmodels 0.15.0 proportions_ztest: z = 5.001388204008378).
    let e = CampaignEffect::new()
        .evaluate(189, 11_034, 104, 11_037)
        .unwrap();
    assert_relative_eq!(e.difference, 0.0077, max_relative = published(0.0077, 4));
    assert_relative_eq!(e.std_error, 0.0015, max_relative = published(0.0015, 4));
    assert_relative_eq!(e.conf_int.0, 0.005, max_relative = published(0.005, 3));
    assert_relative_eq!(e.conf_int.1, 0.011, max_relative = published(0.011, 3));
    assert_relative_eq!(e.z.unwrap(), 5.001_388_204_008_378, max_relative = TIGHT);
    assert_relative_eq!(
        e.z.unwrap().powi(2),
        25.01,
        max_relative = published(25.01, 2)
    );
    assert!(e.p_value.unwrap() < 1e-6 && e.fisher.p_two_sided < 1e-5);
    let e = CampaignEffect::new().evaluate(2, 1, 1, 1).unwrap_err();
    assert_eq!(
        e.to_string(),
        "customers retained at treated group must be at most the group size 1, got 2"
    );
    let e = CampaignEffect::new().evaluate(0, 0, 1, 1).unwrap_err();
    assert_eq!(
        e.to_string(),
        "treated group needs at least 1 observations, got 0"
    );
    let e = CampaignEffect::new()
        .confidence(1.0)
        .evaluate(1, 2, 1, 2)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "option `confidence` must be in (0, 1), got 1"
    );
}

#[test]
fn campaign_effect_incremental_value() {
    // 900/1000 vs 850/1000: D = .05; 50 extra customers; at 300 each, 15,000.
    let e = CampaignEffect::new()
        .value_per_retained(300.0)
        .evaluate(900, 1000, 850, 1000)
        .unwrap();
    assert_relative_eq!(e.incremental_retained, 50.0, max_relative = TIGHT);
    assert_relative_eq!(e.incremental_value.unwrap(), 15_000.0, max_relative = TIGHT);
    assert_relative_eq!(
        e.relative_uplift.unwrap(),
        0.05 / 0.85,
        max_relative = TIGHT
    );
    assert!(e.to_string().contains("Fisher exact p"));
}

#[test]
fn sample_size_fleiss_levin_paik() {
    // Fleiss, Levin & Paik (2003) §4.2, eqs. (4.14)-(4.15) by hand for p1 = .15,
    // p2 = .30, α = .05 two-sided, power .80:
    // n = [1.959964·sqrt(2·.225·.775) + 0.841621·sqrt(.1275 + .21)]² / .15² = 120.47 -> 121;
    // n' = n/4·[1 + sqrt(1 + 4/(n·.15))]² = 133.47 -> 134 (recomputed with scipy 1.17.1
    // norm.ppf: 120.47193818474688 and 133.47228520277946).
    let r = SampleSize::new().per_group(prob(0.15), prob(0.30)).unwrap();
    assert_relative_eq!(r.exact, 120.47, max_relative = published(120.47, 2));
    assert_relative_eq!(r.exact, 120.471_938_184_746_88, max_relative = TIGHT);
    assert_eq!(r.uncorrected, 121);
    assert_eq!(r.corrected, 134);
    assert_eq!(r.per_group, 134);
    let r = SampleSize::new()
        .continuity_correction(false)
        .per_group(prob(0.30), prob(0.15))
        .unwrap();
    assert_eq!(r.per_group, 121);
    let e = SampleSize::new()
        .per_group(prob(0.2), prob(0.2))
        .unwrap_err();
    assert!(e.to_string().contains("no difference to detect"));
    assert!(
        SampleSize::new()
            .power(1.0)
            .per_group(prob(0.2), prob(0.3))
            .is_err()
    );
}

// ---------------------------------------------------------------- plan

#[test]
fn plan_uses_strategy_book_and_serialises() {
    let profiles = [
        CustomerProfile::new(
            ValueSegment::Valuable,
            Some(LifecycleStage::Maturity),
            Tier::HighEnd,
        ),
        CustomerProfile::new(
            ValueSegment::LowValue,
            Some(LifecycleStage::Decline),
            Tier::Mass,
        ),
        CustomerProfile::new(ValueSegment::LowValue, None, Tier::Group),
    ];
    let plan = RetentionPlan::build(
        &StrategyBook::default(),
        &profiles,
        &[100.0, 0.0, 20.0],
        &[50.0, 0.0, 4.0],
    )
    .unwrap();
    assert_eq!(plan.rows()[0].bond, BondLevel::Structural);
    assert_eq!(plan.rows()[1].bond, BondLevel::Financial);
    assert_eq!(plan.rows()[2].bond, BondLevel::Structural);
    assert!(
        plan.rows()[1]
            .actions
            .iter()
            .any(|a| a.to_string() == "let go")
    );
    assert_relative_eq!(plan.total_gain(), 54.0, max_relative = EXACT);
    assert_eq!(plan.summary().len(), 2);
    let text = plan.to_string();
    assert!(text.contains("maturity") && text.contains("structural (level 3)"));
    let json = serde_json::to_string(&plan).unwrap();
    assert!(json.contains("\"bond\":\"Structural\""));
    let e = RetentionPlan::build(
        &StrategyBook::default(),
        &profiles,
        &[1.0],
        &[1.0, 2.0, 3.0],
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "dimension mismatch in budgets (one per customer): expected 3, found 1"
    );
}

#[test]
fn public_types_are_send_sync() {
    fn check<T: Send + Sync + 'static>() {}
    check::<MatchingFit>();
    check::<Allocation>();
    check::<BudgetSplit>();
    check::<EffectReport>();
    check::<RetentionPlan>();
    check::<EmpcReport>();
}
