//! `value` against MODELS.md §3, hand calculations, CDNOW and the telecom data sets.

use approx::assert_relative_eq;
use crm_analytics::strategy::{StrategyBook, ValueSegment};
use crm_analytics::value::{
    Concentration, CustomerPyramid, Dimension, GroupValue, Indicator, IndicatorSystem,
    MeanSplitAccumulator, ObjectiveMethod, PyramidTier, Rfm, RfmScoring, SegmentAccumulator, Split,
    ValueIndex, ValueMatrix, VipTiers, WeightSource, shares_by, spearman,
};
use crm_analytics::weights::{Ahp, Direction, EntropyVariant, Weights};
use nalgebra::DMatrix;
use proptest::prelude::*;

use crate::common::data;

// ---------- MODELS.md §3.4 worked example ----------

#[test]
fn models_concentration_worked_example() {
    // x = (1, 2, 3, 4, 10): G = 0.4 (corrected 0.5); S(0.2) = 0.5, S(0.4) = 0.7;
    // Lorenz (0, .05, .15, .30, .50, 1).
    let c = Concentration::new(&[4.0, 10.0, 1.0, 3.0, 2.0]).unwrap();
    assert_relative_eq!(c.gini(), 0.4, max_relative = 1e-12);
    assert_relative_eq!(c.gini_corrected().unwrap(), 0.5, max_relative = 1e-12);
    assert_relative_eq!(c.top_share(0.2).unwrap(), 0.5, max_relative = 1e-12);
    assert_relative_eq!(c.top_share(0.4).unwrap(), 0.7, max_relative = 1e-12);
    for (l, e) in c.lorenz().iter().zip([0.0, 0.05, 0.15, 0.30, 0.50, 1.0]) {
        assert!((l - e).abs() < 1e-12);
    }
    // Pareto point: S(.4) = .7, S(.6) = .85, linear between -> q = .4 + .2·(.1/.15) = 8/15.
    assert_relative_eq!(
        c.pareto_point(0.8).unwrap(),
        8.0 / 15.0,
        max_relative = 1e-12
    );
    assert!(c.report().to_string().contains("Gini"));
}

#[test]
fn concentration_errors() {
    assert_eq!(
        Concentration::new(&[]).unwrap_err().to_string(),
        "`values for concentration` is empty"
    );
    assert_eq!(
        Concentration::new(&[1.0, -2.0]).unwrap_err().to_string(),
        "value for concentration at customer 1 must be >= 0, got -2"
    );
    assert!(Concentration::new(&[0.0, 0.0]).is_err());
    assert!(Concentration::new(&[1.0, f64::NAN]).is_err());
    let c = Concentration::new(&[1.0]).unwrap();
    assert_eq!(c.gini_corrected(), None);
    assert!(c.top_share(1.5).is_err());
}

// ---------- value matrix ----------

#[test]
fn two_means_split_by_hand() {
    // current (1, 2, 3, 10, 11, 12): within-SS of the 3|10 split = 2 + 2 = 4, the minimum
    // (next best 2|3: 0.5 + 74.75); threshold 10 -> customers 3, 4, 5 high.
    // potential (5, 5, 5, 1, 1, 9): splits 1|5 (SS 0 + 12.8) vs 5|9 (SS 22.8 + 0)
    // -> threshold 5, customers 0, 1, 2, 5 high.
    let cur = [1.0, 2.0, 3.0, 10.0, 11.0, 12.0];
    let pot = [5.0, 5.0, 5.0, 1.0, 1.0, 9.0];
    let fit = ValueMatrix::new()
        .split(Split::TwoMeans)
        .classify(&cur, &pot, None, None)
        .unwrap();
    assert_eq!(fit.current_threshold(), 10.0);
    assert_eq!(fit.potential_threshold(), 5.0);
    use ValueSegment::*;
    assert_eq!(
        fit.segments(),
        &[
            Potential,
            Potential,
            Potential,
            SubValuable,
            SubValuable,
            Valuable
        ]
    );
}

#[test]
fn segment_table_by_hand() {
    // Mean split: current mean .5, potential mean .5 (ties high).
    // customers: A(.9,.9) valuable, B(.5,.1) sub-valuable (tie high), C(.1,.9) potential,
    // D(.5,.5) valuable (ties), E(0, 0.1) low.  potential mean = (.9+.1+.9+.5+.1)/5 = .5.
    let cur = [0.9, 0.5, 0.1, 0.5, 0.0];
    let pot = [0.9, 0.1, 0.9, 0.5, 0.1];
    let rev = [100.0, 40.0, 20.0, 30.0, 10.0];
    let fit = ValueMatrix::new()
        .classify(&cur, &pot, Some(&rev), Some(&rev))
        .unwrap();
    let v = fit.segment(ValueSegment::Valuable);
    assert_eq!(v.customers, 2);
    assert_relative_eq!(v.share, 0.4);
    assert_relative_eq!(
        v.revenue_share.unwrap(),
        130.0 / 200.0,
        max_relative = 1e-12
    );
    assert_relative_eq!(v.mean_arpu.unwrap(), 65.0, max_relative = 1e-12);
    assert_relative_eq!(v.mean_current.unwrap(), 0.7, max_relative = 1e-12);
    assert_eq!(fit.segment(ValueSegment::LowValue).customers, 1);
    assert_eq!(
        v.strategy,
        StrategyBook::default()
            .segment(ValueSegment::Valuable)
            .clone()
    );
    let table = fit.to_string();
    assert!(
        table.contains("valuable") && table.contains("one-to-one"),
        "{table}"
    );
    // median and quantile splits: median of cur = .5; quantile .8 of cur = .5 + .8·.4·...
    // sorted cur (0, .1, .5, .5, .9): h = 3.2 -> .5 + .2·.4 = .58 -> only A is high.
    let q = ValueMatrix::new()
        .current_split(Split::Quantile(0.8))
        .classify(&cur, &pot, None, None)
        .unwrap();
    assert_relative_eq!(q.current_threshold(), 0.58, max_relative = 1e-12);
    let m = ValueMatrix::new()
        .split(Split::Median)
        .classify(&cur, &pot, None, None)
        .unwrap();
    assert_eq!(m.current_threshold(), 0.5);
    let e = ValueMatrix::new()
        .split(Split::Quantile(1.5))
        .classify(&cur, &pot, None, None)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "option `current_split` must be in (0, 1), got 1.5"
    );
}

#[test]
fn value_index_carries_weights_and_cr() {
    let sys = IndicatorSystem::new(vec![
        Indicator::new("arpu", Dimension::Current, Direction::Benefit, ""),
        Indicator::new("tenure", Dimension::Current, Direction::Benefit, ""),
        Indicator::new("vas", Dimension::Potential, Direction::Benefit, ""),
        Indicator::new("churn", Dimension::Potential, Direction::Cost, ""),
    ])
    .unwrap();
    // arpu (10, 20, 30) -> (0, .5, 1); tenure (1, 3, 2) -> (0, 1, .5)
    // AHP 2x2 with a12 = 3 -> w = (.75, .25): current = (0, .625, .875).
    // potential equal weights: vas (0, 1, 2) -> (0, .5, 1); churn cost (.9, .5, .1) -> (0, .5, 1).
    let x = DMatrix::from_row_slice(
        3,
        4,
        &[
            10.0, 1.0, 0.0, 0.9, 20.0, 3.0, 1.0, 0.5, 30.0, 2.0, 2.0, 0.1,
        ],
    );
    let ahp = Ahp::new().weigh_upper_triangle(2, &[3.0]).unwrap();
    let fit = ValueIndex::new(sys.clone())
        .current(WeightSource::Ahp(ahp))
        .fit(&x)
        .unwrap();
    for (a, b) in fit.current().iter().zip([0.0, 0.625, 0.875]) {
        assert!((a - b).abs() < 1e-12);
    }
    for (a, b) in fit.potential().iter().zip([0.0, 0.5, 1.0]) {
        assert!((a - b).abs() < 1e-12);
    }
    assert_eq!(
        fit.current_weights()
            .ahp
            .as_ref()
            .unwrap()
            .consistency_ratio(),
        0.0
    );
    assert_eq!(fit.current_weights().indicators, vec!["arpu", "tenure"]);
    let obj = ValueIndex::new(sys.clone())
        .potential(WeightSource::Objective(ObjectiveMethod::Entropy(
            EntropyVariant::MinMax,
        )))
        .fit(&x)
        .unwrap();
    assert!(obj.potential_weights().objective.is_some());
    let e = ValueIndex::new(sys).fit(&DMatrix::zeros(3, 3)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "dimension mismatch in indicator matrix columns: expected 4, found 3"
    );
}

#[test]
fn telecom_default_catalogue() {
    let s = IndicatorSystem::telecom_default();
    assert_eq!(s.columns(Dimension::Current).len(), 5);
    assert_eq!(s.columns(Dimension::Potential).len(), 6);
    assert_eq!(s.directions(Dimension::Potential)[5], Direction::Cost);
    let e = IndicatorSystem::new(vec![
        Indicator::new("a", Dimension::Current, Direction::Benefit, ""),
        Indicator::new("a", Dimension::Potential, Direction::Benefit, ""),
    ])
    .unwrap_err();
    assert_eq!(e.to_string(), "duplicate indicator `a`");
}

#[test]
fn pyramid_vip_and_groups_by_hand() {
    // 20 customers valued 1..20: ⌈.05·20⌉ = 1 platinum (20), ⌈.2·20⌉ = 4 -> gold 19, 18, 17,
    // ⌈.5·20⌉ = 10 -> iron 16..11, lead 10..1. Value shares: platinum 20/210.
    let v: Vec<f64> = (1..=20).map(f64::from).collect();
    let p = CustomerPyramid::new().classify(&v, None).unwrap();
    let count = |t| p.tiers().iter().filter(|x| **x == t).count();
    assert_eq!(
        [
            count(PyramidTier::Platinum),
            count(PyramidTier::Gold),
            count(PyramidTier::Iron),
            count(PyramidTier::Lead)
        ],
        [1, 3, 6, 10]
    );
    assert_relative_eq!(p.rows()[0].value_share, 20.0 / 210.0, max_relative = 1e-12);
    // ties go up: two customers at the top value are both platinum
    let p = CustomerPyramid::new()
        .classify(&[5.0, 5.0, 1.0, 1.0, 1.0], None)
        .unwrap();
    assert_eq!(p.tiers()[1], PyramidTier::Platinum);
    assert!(
        CustomerPyramid::new()
            .shares(0.5, 0.3, 0.3)
            .classify(&v, None)
            .is_err()
    );
    let vip = VipTiers::new(&[("gold", 15.0), ("silver", 10.0)]).unwrap();
    let f = vip.classify(&v, None).unwrap();
    assert_eq!(f.rows()[0].customers, 6); // 15..20
    assert_eq!(f.rows()[2].tier, "mass");
    assert!(VipTiers::new(&[("a", 1.0), ("b", 1.0)]).is_err());
    // group: influence weight 0.5, influence (2, 4) of group 0's members -> 0.5·6 = 3
    let g = GroupValue::new()
        .influence_weight(0.5)
        .evaluate(
            &[Some(0), Some(0), None],
            &[10.0, 20.0, 30.0],
            Some(&[2.0, 4.0, 9.0]),
            &[40.0],
        )
        .unwrap();
    assert_eq!(g.rows()[0].value, 73.0);
    assert_relative_eq!(
        g.rows()[0].share_of_total,
        73.0 / 100.0,
        max_relative = 1e-12
    );
    let e = GroupValue::new()
        .evaluate(&[Some(3)], &[1.0], None, &[1.0])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "group index at customer 0 must be < 1 (the number of groups), got 3"
    );
}

#[test]
fn shares_by_segment() {
    let rev = [100.0, 50.0, 10.0, 10.0, 30.0];
    let rows = shares_by(&rev, &["vip", "vip", "mass", "mass", "mass"]).unwrap();
    assert_eq!(rows[0].group, "mass");
    assert_relative_eq!(rows[0].value_share, 0.25);
    assert_relative_eq!(rows[1].mean, 75.0);
    // Gini of (50, 100): Σ|xi-xj| = 100 over 2·4·75 = 1/6
    assert_relative_eq!(rows[1].gini.unwrap(), 1.0 / 6.0, max_relative = 1e-12);
}

// ---------- RFM on CDNOW ----------

fn cdnow() -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let text = data("cdnow/cdnow_customers_summary_with_transactions.csv");
    let (mut r, mut f, mut m) = (vec![], vec![], vec![]);
    for line in text.lines().skip(1) {
        let v: Vec<f64> = line.split(',').map(|s| s.parse().unwrap()).collect();
        r.push(v[3] - v[2]); // weeks since the last purchase: T - t_x
        f.push(v[1]);
        m.push(v[4]);
    }
    (r, f, m)
}

#[test]
fn rfm_cdnow_hand_checked_subset() {
    // First 10 CDNOW customers. F = (2,1,0,0,0,7,1,0,2,0), sorted 0,0,0,0,0,1,1,2,2,7;
    // type-7 breaks at h = 9q: 1.8 -> 0, 3.6 -> 0, 5.4 -> 1, 7.2 -> 2, so F scores
    // 1 + #(x > b) = (4,3,1,1,1,5,3,1,4,1).
    // R = T - t_x = (8.43, 37.15, 38.86, 38.86, 38.86, 9.43, 33.86, 38.86, 3.15, 38.86);
    // breaks 9.23, 35.834, 38.86, 38.86; R = 5 - #(r > b) = (5,3,3,3,3,4,4,3,5,3).
    // M = zbar, sorted 0 x5, 11.77, 11.77, 22.35, 25.55, 73.74; breaks 0, 0, 11.77, 22.99;
    // M = (4,3,1,1,1,5,3,1,5,1).
    let (r, f, m) = cdnow();
    let s = Rfm::new().score(&r[..10], &f[..10], &m[..10]).unwrap();
    assert_eq!(s.frequency(), &[4, 3, 1, 1, 1, 5, 3, 1, 4, 1]);
    assert_eq!(s.recency(), &[5, 3, 3, 3, 3, 4, 4, 3, 5, 3]);
    assert_eq!(s.monetary(), &[4, 3, 1, 1, 1, 5, 3, 1, 5, 1]);
    assert_eq!(
        s.codes(),
        &[544, 333, 311, 311, 311, 455, 433, 311, 545, 311]
    );
    assert_relative_eq!(s.breaks()[0][1], 35.834, max_relative = 1e-12);
    assert_relative_eq!(s.breaks()[2][3], 22.99, max_relative = 1e-12);
    // 544 Champions; 333 Loyal Customers; 311 Potential Loyalist; 433 Loyal Customers.
    assert_eq!(s.segments()[0], "Champions");
    assert_eq!(s.segments()[1], "Loyal Customers");
    assert_eq!(s.segments()[2], "Potential Loyalist");
    assert_eq!(s.segments()[6], "Loyal Customers");
    // The R `rfm` package's rule: breaks + 1, left-closed. R breaks 10.23, 36.834, 39.86,
    // 39.86 -> customer 6 (R = 9.43 < 10.23) scores 5, not 4; F and M are unchanged here
    // (F breaks 1, 1, 2, 3; M breaks 1, 1, 12.77, 23.99).
    let rp = Rfm::new()
        .scoring(RfmScoring::RPackage)
        .score(&r[..10], &f[..10], &m[..10])
        .unwrap();
    assert_eq!(rp.recency(), &[5, 3, 3, 3, 3, 5, 4, 3, 5, 3]);
    assert_eq!(rp.frequency(), s.frequency());
    assert_eq!(rp.monetary(), s.monetary());
    assert_eq!(rp.codes()[5], 555);
}

fn type7(sorted: &[f64], q: f64) -> f64 {
    // numpy 'linear': position (n-1)q
    let pos = q * (sorted.len() - 1) as f64;
    let (i, frac) = (pos as usize, pos.fract());
    if i + 1 < sorted.len() {
        sorted[i] * (1.0 - frac) + sorted[i + 1] * frac
    } else {
        sorted[i]
    }
}

#[test]
fn rfm_cdnow_full_sample() {
    // All 2,357 customers: each score equals 1 + the number of independently computed
    // quintile breakpoints below the value (reversed for recency); equal-count ranks put
    // 471 or 472 customers (2357/5 = 471.4) in every bin.
    let (r, f, m) = cdnow();
    let s = Rfm::new().score(&r, &f, &m).unwrap();
    for (vals, scores, rev) in [
        (&r, s.recency(), true),
        (&f, s.frequency(), false),
        (&m, s.monetary(), false),
    ] {
        let mut sorted = vals.clone();
        sorted.sort_by(f64::total_cmp);
        let b: Vec<f64> = [0.2, 0.4, 0.6, 0.8]
            .iter()
            .map(|q| type7(&sorted, *q))
            .collect();
        for (v, sc) in vals.iter().zip(scores) {
            let above = b.iter().filter(|x| v > *x).count() as u8;
            assert_eq!(*sc, if rev { 5 - above } else { 1 + above });
        }
    }
    // 1,411 of 2,357 customers never repeated (x = 0): they share the lowest F bin
    assert_eq!(s.frequency().iter().filter(|x| **x == 1).count(), 1411);
    let e = Rfm::new()
        .scoring(RfmScoring::EqualCountRanks)
        .score(&r, &f, &m)
        .unwrap();
    for scores in [e.recency(), e.frequency(), e.monetary()] {
        for b in 1..=5u8 {
            let c = scores.iter().filter(|x| **x == b).count();
            assert!(c == 471 || c == 472, "bin {b}: {c}");
        }
    }
    assert!(s.to_string().contains("Champions"));
}

// ---------- real telecom data ----------

fn parse_matrix(text: &str) -> Vec<Vec<f64>> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').map(|s| s.trim().parse().unwrap()).collect())
        .collect()
}

fn gini_pairs(x: &[f64]) -> f64 {
    // the definition: Σ_i Σ_j |x_i - x_j| / (2 n² mean), O(n²)
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let mut s = 0.0;
    for a in x {
        for b in x {
            s += (a - b).abs();
        }
    }
    s / (2.0 * n * n * mean)
}

fn pareto_by_count(x: &[f64], share: f64) -> usize {
    // smallest k such that the k largest values carry >= share of the total
    let mut s = x.to_vec();
    s.sort_by(|a, b| b.total_cmp(a));
    let total: f64 = s.iter().sum();
    let mut cum = 0.0;
    for (k, v) in s.iter().enumerate() {
        cum += v;
        if cum >= share * total {
            return k + 1;
        }
    }
    s.len()
}

fn ranks(x: &[f64]) -> Vec<f64> {
    // average ranks by counting: rank = #less + (#equal + 1)/2, O(n log n) via sorting copies
    let mut s = x.to_vec();
    s.sort_by(f64::total_cmp);
    x.iter()
        .map(|v| {
            let less = s.partition_point(|y| y < v) as f64;
            let le = s.partition_point(|y| y <= v) as f64;
            less + (le - less + 1.0) / 2.0
        })
        .collect()
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

#[test]
fn iranian_churn_value_system() {
    let x = parse_matrix(&data("telco/iranian_churn_X.txt"));
    let times: Vec<f64> = parse_matrix(&data("telco/iranian_churn_times.txt"))
        .into_iter()
        .map(|r| r[0])
        .collect();
    assert_eq!(x.len(), 3150);
    let cv: Vec<f64> = x.iter().map(|r| r[11]).collect();
    // Concentration of the operator's customer_value against the O(n²) definition.
    let c = Concentration::new(&cv).unwrap();
    assert_relative_eq!(c.gini(), gini_pairs(&cv), max_relative = 1e-10);
    let k = pareto_by_count(&cv, 0.8);
    let q = c.pareto_point(0.8).unwrap();
    assert!(
        q > (k - 1) as f64 / 3150.0 && q <= k as f64 / 3150.0 + 1e-12,
        "{q} vs {k}"
    );
    // Indicator system: current = usage (seconds, calls, SMS, distinct numbers, charge
    // amount); potential = tenure, contractual plan, active status, complaints and call
    // failures (cost).
    use Dimension::{Current as C, Potential as P};
    use Direction::{Benefit as B, Cost as K};
    let sys = IndicatorSystem::new(vec![
        Indicator::new("seconds_of_use", C, B, ""),
        Indicator::new("frequency_of_use", C, B, ""),
        Indicator::new("frequency_of_sms", C, B, ""),
        Indicator::new("distinct_called_numbers", C, B, ""),
        Indicator::new("charge_amount", C, B, ""),
        Indicator::new("subscription_length", P, B, ""),
        Indicator::new("tariff_plan", P, B, ""),
        Indicator::new("status", P, K, ""),
        Indicator::new("complains", P, K, ""),
        Indicator::new("call_failure", P, K, ""),
    ])
    .unwrap();
    let cols = [3, 4, 5, 6, 2];
    let m = DMatrix::from_fn(3150, 10, |i, j| match j {
        0..=4 => x[i][cols[j]],
        5 => times[i],
        6 => x[i][8],
        7 => x[i][9],
        8 => x[i][1],
        _ => x[i][0],
    });
    let idx = ValueIndex::new(sys)
        .current(WeightSource::Objective(ObjectiveMethod::Critic))
        .potential(WeightSource::Objective(ObjectiveMethod::Critic))
        .fit(&m)
        .unwrap();
    // Spearman of our current index with the operator's value, against ranks computed
    // independently here.
    let rho = spearman(idx.current(), &cv).unwrap();
    assert_relative_eq!(
        rho,
        pearson(&ranks(idx.current()), &ranks(&cv)),
        max_relative = 1e-10
    );
    // [calc] recomputed with numpy + scipy.stats.spearmanr (independent script, same
    // min-max and CRITIC definitions): weights .18557 .17104 .32224 .15349 .16767, rho .88936.
    assert_relative_eq!(rho, 0.8893597915399153, max_relative = 1e-9);
    for (w, e) in idx
        .current_weights()
        .weights
        .iter()
        .zip([0.1855669, 0.17103742, 0.32224247, 0.15348526, 0.16766796])
    {
        assert!((w - e).abs() < 5e-8);
    }
    // Segment table: counts add up and match an independent count at the mean thresholds.
    let fit = ValueMatrix::new()
        .classify_indices(&idx, Some(&cv), None)
        .unwrap();
    let n: usize = fit.summary().iter().map(|s| s.customers).sum();
    assert_eq!(n, 3150);
    let mc = idx.current().iter().sum::<f64>() / 3150.0;
    let mp = idx.potential().iter().sum::<f64>() / 3150.0;
    let valuable = (0..3150)
        .filter(|&i| idx.current()[i] >= mc && idx.potential()[i] >= mp)
        .count();
    assert_eq!(fit.segment(ValueSegment::Valuable).customers, valuable);
    // [calc] numpy (CRITIC on both dimensions, mean splits): 1214 valuable,
    // 119 sub-valuable, 964 potential.
    assert_eq!(valuable, 1214);
    assert_eq!(fit.segment(ValueSegment::SubValuable).customers, 119);
    assert_eq!(fit.segment(ValueSegment::Potential).customers, 964);
    let shares: f64 = fit.summary().iter().map(|s| s.revenue_share.unwrap()).sum();
    assert_relative_eq!(shares, 1.0, max_relative = 1e-12);
}

#[test]
fn ibm_telco_charges_concentration() {
    let text = data("telco/ibm_telco_churn.csv");
    let mut monthly = vec![];
    let mut total = vec![];
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.trim_end_matches('\r').split(',').collect();
        monthly.push(f[18].parse::<f64>().unwrap());
        total.push(f[19].trim().parse::<f64>().unwrap_or(0.0)); // 11 blanks, tenure 0
    }
    assert_eq!(monthly.len(), 7043);
    for v in [&monthly, &total] {
        let c = Concentration::new(v).unwrap();
        assert_relative_eq!(c.gini(), gini_pairs(v), max_relative = 1e-10);
        let k = pareto_by_count(v, 0.8);
        let q = c.pareto_point(0.8).unwrap();
        assert!(q > (k - 1) as f64 / 7043.0 && q <= k as f64 / 7043.0 + 1e-12);
    }
}

#[test]
fn public_types_are_send_sync() {
    fn check<T: Send + Sync + 'static>() {}
    check::<crm_analytics::weights::Weights>();
    check::<crm_analytics::weights::AhpWeights>();
    check::<crm_analytics::weights::HierarchyWeights>();
    check::<crm_analytics::weights::GroupAhpWeights>();
    check::<crm_analytics::weights::ObjectiveWeights>();
    check::<crm_analytics::value::ValueIndices>();
    check::<crm_analytics::value::ValueMatrixFit>();
    check::<crm_analytics::value::Concentration>();
    check::<crm_analytics::value::RfmScores>();
    check::<crm_analytics::value::PyramidFit>();
    check::<crm_analytics::value::TierFit>();
    check::<crm_analytics::value::GroupValueFit>();
    check::<SegmentAccumulator>();
    check::<MeanSplitAccumulator>();
}

#[test]
fn results_serialise() {
    let fit = Ahp::new()
        .weigh_upper_triangle(3, &[2.0, 4.0, 2.0])
        .unwrap();
    let j = serde_json::to_string(&fit).unwrap();
    assert!(j.contains("lambda_max") && j.contains("Saaty1980"));
    let m = ValueMatrix::new()
        .classify(&[1.0, 2.0], &[2.0, 1.0], None, None)
        .unwrap();
    assert!(serde_json::to_string(&m).unwrap().contains("SubValuable"));
    // a consistent 3x3 (w = 4:2:1) has CR 0 and prints its table name
    assert!(fit.to_string().contains("RI = 0.58 from Saaty (1980)"));
}

// ---------- properties ----------

fn revenues() -> impl Strategy<Value = Vec<f64>> {
    proptest::collection::vec(prop_oneof![Just(0.0), 0.0f64..1000.0], 1..200)
        .prop_filter("positive total", |v| v.iter().sum::<f64>() > 0.0)
}

#[test]
fn value_matrix_from_indicator_tables_equals_the_definition() {
    // 200,003 customers, 3 current and 2 potential indicators, row-major: the two-pass,
    // two-thread path (below 2^18 customers). The reference is the definition written
    // out in `matrix_by_hand` below.
    let n = 200_003;
    let mut u = crate::common::lcg(5);
    let cur: Vec<f64> = (0..3 * n).map(|_| u()).collect();
    let pot: Vec<f64> = (0..2 * n).map(|_| u() * u()).collect();
    let rev: Vec<f64> = (0..n).map(|_| 100.0 * u()).collect();
    let (wc, wp) = ([0.5, 0.3, 0.2], [0.7, 0.3]);
    let h = matrix_by_hand(&cur, &wc, &pot, &wp, &rev, None);
    let wcv = Weights::new(wc.to_vec()).unwrap();
    let wpv = Weights::new(wp.to_vec()).unwrap();
    let fit = ValueMatrix::new()
        .classify_weighted(&cur, &wcv, &pot, &wpv, Some(&rev), None)
        .unwrap();
    // customers within rounding of a threshold may differ; there are none this close here
    assert_matches_by_hand(&fit, &h);
    let ci: Vec<f64> = cur
        .chunks(3)
        .map(|r| wc[0] * r[0] + wc[1] * r[1] + wc[2] * r[2])
        .collect();
    let pi: Vec<f64> = pot.chunks(2).map(|r| wp[0] * r[0] + wp[1] * r[1]).collect();
    // the same customers through the index vectors and another split
    assert_eq!(wcv.score_rows(&cur).unwrap(), ci);
    let med = ValueMatrix::new().split(Split::Median);
    assert_eq!(
        med.classify_weighted(&cur, &wcv, &pot, &wpv, None, None)
            .unwrap()
            .segments(),
        med.classify(&ci, &pi, None, None).unwrap().segments()
    );
    // errors name the table and the cell
    let mut bad = cur.clone();
    bad[3 * 150_000 + 2] = f64::NAN;
    let e = ValueMatrix::new()
        .classify_weighted(&bad, &wcv, &pot, &wpv, None, None)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "`current indicator table` has a non-finite value (NaN) at row 150000, column 2"
    );
    let e = ValueMatrix::new()
        .classify_weighted(&cur[1..], &wcv, &pot, &wpv, None, None)
        .unwrap_err();
    assert!(e.to_string().contains("3 values per row"), "{e}");
}

/// The value matrix at mean splits written out from its definition: index = Σ w x per
/// row (row-major tables), threshold = mean index, segment by (current >= t_c,
/// potential >= t_p), ties high; then counts, revenue shares, mean ARPU and mean
/// indices per segment in `ValueSegment::ALL` order.
struct MatrixByHand {
    tc: f64,
    tp: f64,
    segments: Vec<ValueSegment>,
    counts: [usize; 4],
    revenue_share: [f64; 4],
    mean_arpu: [f64; 4],
    mean_current: [f64; 4],
    mean_potential: [f64; 4],
}

fn matrix_by_hand(
    cur: &[f64],
    wc: &[f64],
    pot: &[f64],
    wp: &[f64],
    rev: &[f64],
    arpu: Option<&[f64]>,
) -> MatrixByHand {
    let score = |t: &[f64], w: &[f64]| -> Vec<f64> {
        t.chunks(w.len())
            .map(|r| r.iter().zip(w).map(|(x, w)| x * w).sum())
            .collect()
    };
    let (ci, pi) = (score(cur, wc), score(pot, wp));
    let n = ci.len();
    let tc = ci.iter().sum::<f64>() / n as f64;
    let tp = pi.iter().sum::<f64>() / n as f64;
    let mut h = MatrixByHand {
        tc,
        tp,
        segments: Vec::with_capacity(n),
        counts: [0; 4],
        revenue_share: [0.0; 4],
        mean_arpu: [0.0; 4],
        mean_current: [0.0; 4],
        mean_potential: [0.0; 4],
    };
    for i in 0..n {
        let seg = match (ci[i] >= tc, pi[i] >= tp) {
            (true, true) => ValueSegment::Valuable,
            (true, false) => ValueSegment::SubValuable,
            (false, true) => ValueSegment::Potential,
            (false, false) => ValueSegment::LowValue,
        };
        let k = ValueSegment::ALL.iter().position(|&x| x == seg).unwrap();
        h.counts[k] += 1;
        h.revenue_share[k] += rev[i];
        h.mean_arpu[k] += arpu.map_or(0.0, |a| a[i]);
        h.mean_current[k] += ci[i];
        h.mean_potential[k] += pi[i];
        h.segments.push(seg);
    }
    let total: f64 = rev.iter().sum();
    for k in 0..4 {
        let c = h.counts[k] as f64;
        h.revenue_share[k] /= total;
        h.mean_arpu[k] /= c;
        h.mean_current[k] /= c;
        h.mean_potential[k] /= c;
    }
    h
}

fn assert_matches_by_hand(fit: &crm_analytics::value::ValueMatrixFit, h: &MatrixByHand) {
    assert!((fit.current_threshold() - h.tc).abs() <= 1e-12 * h.tc.abs().max(1.0));
    assert!((fit.potential_threshold() - h.tp).abs() <= 1e-12 * h.tp.abs().max(1.0));
    assert_eq!(fit.segments(), &h.segments[..]);
    for (k, row) in fit.summary().iter().enumerate() {
        assert_eq!(row.customers, h.counts[k], "{:?}", row.segment);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-11 * b.abs().max(1e-3);
        assert!(close(row.revenue_share.unwrap(), h.revenue_share[k]));
        if let Some(a) = row.mean_arpu {
            assert!(close(a, h.mean_arpu[k]));
        }
        assert!(close(row.mean_current.unwrap(), h.mean_current[k]));
        assert!(close(row.mean_potential.unwrap(), h.mean_potential[k]));
    }
}

#[test]
fn value_matrix_of_a_large_base_in_one_pass_equals_the_definition() {
    // 300,007 customers (from 2^18 the mean split takes one pass over the tables, with a
    // pilot estimate of each mean and the customers near it set aside): 3 current and 4
    // potential indicators, revenue and ARPU; the reference is the definition above.
    let n = 300_007;
    let mut u = crate::common::lcg(17);
    let cur: Vec<f64> = (0..3 * n).map(|_| u()).collect();
    let pot: Vec<f64> = (0..4 * n).map(|_| u() * u()).collect();
    let rev: Vec<f64> = (0..n).map(|_| 100.0 * u()).collect();
    let arpu: Vec<f64> = (0..n).map(|_| 10.0 + 40.0 * u()).collect();
    let (wc, wp) = ([0.5, 0.3, 0.2], [0.1, 0.2, 0.3, 0.4]);
    let h = matrix_by_hand(&cur, &wc, &pot, &wp, &rev, Some(&arpu));
    let wcv = Weights::new(wc.to_vec()).unwrap();
    let wpv = Weights::new(wp.to_vec()).unwrap();
    let fit = ValueMatrix::new()
        .classify_weighted(&cur, &wcv, &pot, &wpv, Some(&rev), Some(&arpu))
        .unwrap();
    // customers within rounding of a threshold could differ; none is that close here
    assert_matches_by_hand(&fit, &h);

    // Wider tables (5 and 6 indicators) take the loop for any width.
    let m5 = 270_001;
    let cur5: Vec<f64> = (0..5 * m5).map(|_| u()).collect();
    let pot6: Vec<f64> = (0..6 * m5).map(|_| u().sqrt()).collect();
    let (w5, w6) = ([0.3, 0.1, 0.2, 0.25, 0.15], [0.1, 0.1, 0.2, 0.2, 0.3, 0.1]);
    let fit = ValueMatrix::new()
        .classify_weighted(
            &cur5,
            &Weights::new(w5.to_vec()).unwrap(),
            &pot6,
            &Weights::new(w6.to_vec()).unwrap(),
            Some(&rev[..m5]),
            Some(&arpu[..m5]),
        )
        .unwrap();
    assert_matches_by_hand(
        &fit,
        &matrix_by_hand(&cur5, &w5, &pot6, &w6, &rev[..m5], Some(&arpu[..m5])),
    );

    // Customers exactly at the mean (a quarter at 0, half at 0.5, a quarter at 1: the
    // mean is 0.5 exactly): ties go high, and so many customers near the mean make the
    // one-pass path give way to the two-pass one.
    let m = 1 << 19;
    let tied: Vec<f64> = (0..m).map(|i| [0.0, 0.5, 0.5, 1.0][i % 4]).collect();
    let other: Vec<f64> = (0..m).map(|i| (i % 7) as f64).collect();
    let ones = vec![1.0; m];
    let w1 = Weights::new(vec![1.0]).unwrap();
    let fit = ValueMatrix::new()
        .classify_weighted(&tied, &w1, &other, &w1, Some(&ones), Some(&ones))
        .unwrap();
    assert_eq!(fit.current_threshold(), 0.5);
    assert_eq!(fit.summary().iter().map(|r| r.customers).sum::<usize>(), m);
    assert_matches_by_hand(
        &fit,
        &matrix_by_hand(&tied, &[1.0], &other, &[1.0], &ones, Some(&ones)),
    );

    // A periodic base that fools a systematic pilot sample taken in runs: the first 32
    // of every 512 customers sit at 0, the rest between 1 and 2 (the library's pilot at
    // this size reads exactly those runs, sees no spread and misses the mean by far).
    // Whatever the pilot estimates, the result is the definition's.
    let periodic: Vec<f64> = (0..m)
        .map(|i| if i % 512 < 32 { 0.0 } else { 1.0 + u() })
        .collect();
    let smooth: Vec<f64> = (0..m).map(|_| u()).collect();
    let fit = ValueMatrix::new()
        .classify_weighted(&periodic, &w1, &smooth, &w1, Some(&ones), Some(&ones))
        .unwrap();
    assert_matches_by_hand(
        &fit,
        &matrix_by_hand(&periodic, &[1.0], &smooth, &[1.0], &ones, Some(&ones)),
    );

    // A non-finite cell anywhere is named, wherever the pilot looked.
    let mut bad = cur.clone();
    bad[3 * 299_999 + 1] = f64::INFINITY;
    let e = ValueMatrix::new()
        .classify_weighted(&bad, &wcv, &pot, &wpv, None, None)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "`current indicator table` has a non-finite value (inf) at row 299999, column 1"
    );
}

#[test]
fn concentration_of_a_large_base_equals_the_definitions() {
    // 300,001 log-normal-like revenues with ties and zeros: the two-thread sort and
    // running totals. References computed here independently: the standard library's
    // comparison sort, a sequential cumulative sum, and the rank formula
    // G = Σ_i (2i - n - 1) x_(i) / (n Σx) (i = 1..n).
    let n = 300_001;
    let mut u = crate::common::lcg(99);
    let v: Vec<f64> = (0..n)
        .map(|i| match i % 50 {
            0 => 0.0,
            1 => 19.99,
            _ => (3.5 + 1.1 * (4.0 * u() - 2.0)).exp(),
        })
        .collect();
    let c = Concentration::new(&v).unwrap();
    let mut w = v.clone();
    w.sort_by(f64::total_cmp);
    assert_eq!(c.sorted(), &w[..]);
    let total: f64 = w.iter().sum();
    let mut cum = vec![0.0];
    for x in &w {
        cum.push(cum.last().unwrap() + x);
    }
    let lorenz = c.lorenz().to_vec();
    assert_eq!(lorenz.len(), n + 1);
    for k in (0..=n).step_by(997).chain([1, 63, 64, 65, n / 2, n - 1, n]) {
        let reference = cum[k] / total;
        assert!((lorenz[k] - reference).abs() < 1e-12, "L({k}/n)");
        assert_eq!(
            c.lorenz().get(k),
            Some(lorenz[k]),
            "get and iter agree at {k}"
        );
    }
    assert_eq!(c.lorenz().get(n + 1), None);
    let g: f64 = w
        .iter()
        .enumerate()
        .map(|(i, x)| (2.0 * (i + 1) as f64 - n as f64 - 1.0) * x)
        .sum::<f64>()
        / (n as f64 * total);
    assert!((c.gini() - g).abs() < 1e-12, "{} vs {g}", c.gini());
    // top 20%: 1 - L(0.8) with L linear between k/n points
    let pos = 0.8 * n as f64;
    let k = pos.floor() as usize;
    let l08 = (cum[k] + (pos - k as f64) * w[k]) / total;
    assert!((c.top_share(0.2).unwrap() - (1.0 - l08)).abs() < 1e-12);
    // the Pareto point carries 80%: S(q) = 0.8 at q
    let q = c.pareto_point(0.8).unwrap();
    assert!((c.top_share(q).unwrap() - 0.8).abs() < 1e-9);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn lorenz_is_convex_and_ends_at_one(v in revenues()) {
        let c = Concentration::new(&v).unwrap();
        let l = c.lorenz().to_vec();
        prop_assert_eq!(l.len(), v.len() + 1);
        prop_assert_eq!(l[0], 0.0);
        prop_assert_eq!(*l.last().unwrap(), 1.0);
        for w in l.windows(3) {
            prop_assert!(w[2] - w[1] >= w[1] - w[0] - 1e-12);
        }
        prop_assert!((0.0..=1.0).contains(&c.gini()));
        prop_assert!((c.gini() - gini_pairs(&v)).abs() < 1e-9);
        let q = c.pareto_point(0.8).unwrap();
        prop_assert!(c.top_share(q).unwrap() >= 0.8 - 1e-9);
    }

    #[test]
    fn segment_counts_add_up_and_partitions_merge(
        cur in proptest::collection::vec(-10.0f64..10.0, 1..120),
        seed in 0usize..1000,
        split in prop_oneof![Just(Split::Mean), Just(Split::Median), Just(Split::TwoMeans), Just(Split::Quantile(0.8))],
    ) {
        let n = cur.len();
        let pot: Vec<f64> = (0..n).map(|i| cur[(i * 7 + seed) % n] * 0.5 + (i % 3) as f64).collect();
        let rev: Vec<f64> = cur.iter().map(|c| c.abs()).collect();
        let fit = ValueMatrix::new().split(split).classify(&cur, &pot, Some(&rev), None).unwrap();
        prop_assert_eq!(fit.summary().iter().map(|s| s.customers).sum::<usize>(), n);
        // two-pass streaming over 3 partitions equals the one-shot mean split
        let cut1 = seed % n;
        let cut2 = cut1.max((seed * 31) % n);
        let parts = [(0, cut1), (cut1, cut2), (cut2, n)];
        let mut means = MeanSplitAccumulator::new();
        for &(a, b) in parts.iter().rev() {
            let mut p = MeanSplitAccumulator::new();
            p.fold(&cur[a..b], &pot[a..b]).unwrap();
            means.merge(&p);
        }
        let (tc, tp) = means.finish().unwrap();
        let one = ValueMatrix::new().classify(&cur, &pot, Some(&rev), None).unwrap();
        prop_assert!((tc - one.current_threshold()).abs() < 1e-12 * (1.0 + tc.abs()));
        prop_assert!((tp - one.potential_threshold()).abs() < 1e-12 * (1.0 + tp.abs()));
        let mut seg = SegmentAccumulator::new(one.current_threshold(), one.potential_threshold());
        for &(a, b) in &parts {
            let mut p = SegmentAccumulator::new(one.current_threshold(), one.potential_threshold());
            p.fold(&cur[a..b], &pot[a..b], Some(&rev[a..b]), None).unwrap();
            seg.merge(&p).unwrap();
        }
        let rows = seg.finish(&StrategyBook::default());
        for (r, s) in rows.iter().zip(one.summary()) {
            prop_assert_eq!(r.customers, s.customers);
            if let (Some(a), Some(b)) = (r.revenue_share, s.revenue_share) {
                prop_assert!((a - b).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn no_panic_on_arbitrary_input(v in proptest::collection::vec(prop_oneof![
        Just(f64::NAN), Just(0.0), Just(-1.0), Just(f64::INFINITY), -1e6f64..1e6], 0..40)) {
        let h = v.len() / 2;
        let (a, b) = (&v[..h], &v[h..2 * h]);
        let _ = Concentration::new(&v);
        let _ = shares_by(&v, &vec![1; v.len()]);
        let _ = spearman(a, b);
        for s in [Split::Mean, Split::Median, Split::TwoMeans, Split::Quantile(0.3), Split::Fixed(f64::NAN)] {
            let _ = ValueMatrix::new().split(s).classify(a, b, Some(a), Some(b));
            let w2 = Weights::new(vec![0.5, 0.5]).unwrap();
            let _ = ValueMatrix::new().split(s).classify_weighted(&v, &w2, a, &w2, Some(a), None);
            let _ = ValueMatrix::new().split(s).classify_weighted(a, &w2, b, &w2, None, Some(b));
        }
        let _ = Weights::new(vec![0.2, 0.3, 0.5]).unwrap().score_rows(&v);
        let _ = Rfm::new().score(a, b, a);
        let _ = Rfm::new().scoring(RfmScoring::EqualCountRanks).score(a, b, b);
        let _ = Rfm::new().scoring(RfmScoring::RPackage).bins(3).score(b, a, b);
        let _ = CustomerPyramid::new().classify(&v, None);
        let _ = VipTiers::new(&[("g", 1.0)]).unwrap().classify(&v, Some(&v));
        let _ = GroupValue::new().evaluate(&vec![Some(0); v.len()], &v, None, &[1.0]);
        if h > 0 {
            let m = DMatrix::from_row_slice(h, 2, &v[..2 * h]);
            let sys = IndicatorSystem::new(vec![
                Indicator::new("a", Dimension::Current, Direction::Benefit, ""),
                Indicator::new("b", Dimension::Potential, Direction::Cost, ""),
            ]).unwrap();
            let _ = ValueIndex::new(sys).fit(&m);
        }
    }
}
