//! Life cycle: spend trends, stage rules, Markov migration.
//!
//! Sources: MODELS.md §4.3 worked examples (hand calculations, shown there);
//! scipy 1.17.1 (`scipy.stats.theilslopes`, `scipy.stats.linregress`) and pymannkendall
//! 1.4.3 (`original_test`), run independently in /tmp/anchors-venv; hand calculations in
//! the comments.

use approx::assert_relative_eq;
use crm_analytics::Error;
use crm_analytics::lifecycle::{
    Horizon, LifecycleRules, LifecycleStage, MarkovChain, RowSource, StageMigration, StageRule,
    TransitionCounts, TrendOptions,
};
use crm_analytics::regression::Ols;
use crm_analytics::strategy::{Action, StrategyBook, ValueSegment};
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;

use crate::common::{EXACT, TIGHT, published};

// ---------------------------------------------------------------------------------------
// MODELS.md §4.3 worked example: A active, D declining, L lost.
// ---------------------------------------------------------------------------------------

fn example_chain() -> MarkovChain {
    let p = DMatrix::from_row_slice(3, 3, &[0.8, 0.15, 0.05, 0.3, 0.5, 0.2, 0.0, 0.0, 1.0]);
    MarkovChain::new(p)
        .unwrap()
        .with_names(&["A", "D", "L"])
        .unwrap()
}

#[test]
fn models_4_3_infinite_horizon_values() {
    // V = (4840/9, 3080/9, 0) = (537.778, 342.222, 0): solve 0.3 V_A - 0.15 V_D = 110,
    // -0.3 V_A + 0.6 V_D = 44 (MODELS.md §4.3).
    let v = example_chain()
        .state_values(&[100.0, 40.0, 0.0], 0.1, Horizon::Infinite)
        .unwrap();
    assert_relative_eq!(v.values()[0], 4840.0 / 9.0, max_relative = TIGHT);
    assert_relative_eq!(v.values()[1], 3080.0 / 9.0, max_relative = TIGHT);
    assert!(v.values()[2].abs() < EXACT);
    assert_relative_eq!(v.values()[0], 537.778, max_relative = published(537.778, 3));
    assert_relative_eq!(v.values()[1], 342.222, max_relative = published(342.222, 3));
}

#[test]
fn models_4_3_finite_horizon_values() {
    // T = 3: (292.825, 163.719, 0); four cash flows t = 0..=3, the first undiscounted.
    let v = example_chain()
        .state_values(&[100.0, 40.0, 0.0], 0.1, Horizon::Finite(3))
        .unwrap();
    assert_relative_eq!(v.values()[0], 292.825, max_relative = published(292.825, 3));
    assert_relative_eq!(v.values()[1], 163.719, max_relative = published(163.719, 3));
    assert!(v.values()[2].abs() < EXACT);
    // T = 0 is the current period's reward alone (hand: undiscounted R).
    let v0 = example_chain()
        .state_values(&[100.0, 40.0, 0.0], 0.1, Horizon::Finite(0))
        .unwrap();
    assert_eq!(v0.values().as_slice(), &[100.0, 40.0, 0.0]);
}

#[test]
fn models_4_3_fundamental_matrix_and_time_to_absorption() {
    // N = (I - Q)^-1 = [[.5, .15], [.3, .2]] / .055 = [[9.0909, 2.7273], [5.4545, 3.6364]];
    // t = N 1 = (11.818, 9.091).
    let a = example_chain().absorption().unwrap();
    let n = &a.fundamental;
    assert_relative_eq!(n[(0, 0)], 0.5 / 0.055, max_relative = TIGHT);
    assert_relative_eq!(n[(0, 1)], 0.15 / 0.055, max_relative = TIGHT);
    assert_relative_eq!(n[(1, 0)], 0.3 / 0.055, max_relative = TIGHT);
    assert_relative_eq!(n[(1, 1)], 0.2 / 0.055, max_relative = TIGHT);
    assert_relative_eq!(n[(0, 0)], 9.0909, max_relative = published(9.0909, 4));
    assert_relative_eq!(n[(1, 1)], 3.6364, max_relative = published(3.6364, 4));
    assert_relative_eq!(
        a.expected_time[0],
        11.818,
        max_relative = published(11.818, 3)
    );
    assert_relative_eq!(
        a.expected_time[1],
        9.091,
        max_relative = published(9.091, 3)
    );
    // One absorbing state: every customer ends there (B = N R is all ones).
    assert_eq!(a.absorbing_names, vec!["L".to_string()]);
    assert_relative_eq!(
        a.absorption_probabilities[(0, 0)],
        1.0,
        max_relative = TIGHT
    );
    assert_relative_eq!(
        a.absorption_probabilities[(1, 0)],
        1.0,
        max_relative = TIGHT
    );
    let shown = a.to_string();
    assert!(shown.contains("9.0909"), "{shown}");
}

#[test]
fn models_4_3_projection() {
    // π0 = (.6, .3, .1) -> π1 = (.57, .24, .19), π2 = (.528, .2055, .2665).
    let c = example_chain();
    let path = c.projection(&[0.6, 0.3, 0.1], 2).unwrap();
    let expect = [[0.6, 0.3, 0.1], [0.57, 0.24, 0.19], [0.528, 0.2055, 0.2665]];
    for (t, e) in expect.iter().enumerate() {
        for (j, &v) in e.iter().enumerate() {
            assert_relative_eq!(path.distributions[t][j], v, max_relative = TIGHT);
        }
    }
    let pi2 = c.project(&[0.6, 0.3, 0.1], 2).unwrap();
    let via_power = c.k_step(2).tr_mul(&DVector::from_vec(vec![0.6, 0.3, 0.1]));
    assert!((pi2 - via_power).amax() < EXACT);
}

#[test]
fn models_4_3_estimation_example() {
    // Sequences AAAD, AADL, ADAA, AAAA, DDLL -> counts AA 7, AD 3, DA 1, DD 1, DL 2, LL 1;
    // p̂ = A: (.7, .3, 0), D: (.25, .25, .5), L: (0, 0, 1).
    let (a, d, l) = (0u8, 1u8, 2u8);
    let panel = [a, a, a, d, a, a, d, l, a, d, a, a, a, a, a, a, d, d, l, l];
    let mut counts = TransitionCounts::new(3).unwrap();
    counts.fold_panel(&panel, 4).unwrap();
    let est = counts
        .finish()
        .unwrap()
        .with_names(&["A", "D", "L"])
        .unwrap();
    let c = est.counts();
    let expected_counts = [[7, 3, 0], [1, 1, 2], [0, 0, 1]];
    for i in 0..3 {
        for j in 0..3 {
            assert_eq!(c[(i, j)], expected_counts[i][j], "n_{i}{j}");
        }
    }
    let p = est.transition_matrix();
    let expected_p = [[0.7, 0.3, 0.0], [0.25, 0.25, 0.5], [0.0, 0.0, 1.0]];
    for i in 0..3 {
        for j in 0..3 {
            assert_relative_eq!(p[(i, j)], expected_p[i][j], epsilon = EXACT);
        }
    }
    // SE = sqrt(p(1-p)/n_i.): A->A sqrt(.7 * .3 / 10) = 0.144914; D->L sqrt(.25/4) = .25.
    assert_relative_eq!(
        est.std_errors()[(0, 0)].unwrap(),
        (0.021f64).sqrt(),
        max_relative = TIGHT
    );
    assert_relative_eq!(
        est.std_errors()[(1, 2)].unwrap(),
        0.25,
        max_relative = TIGHT
    );
    assert_eq!(est.row_totals(), &[10, 4, 1]);
    // The same counts folded sequence by sequence, and merged from two halves.
    let mut by_seq = TransitionCounts::new(3).unwrap();
    for s in panel.chunks(4) {
        by_seq.fold_sequence(s).unwrap();
    }
    let mut left = TransitionCounts::new(3).unwrap();
    let mut right = TransitionCounts::new(3).unwrap();
    left.fold_panel(&panel[..8], 4).unwrap();
    right.fold_panel(&panel[8..], 4).unwrap();
    right.merge(&left).unwrap();
    assert_eq!(by_seq, counts);
    assert_eq!(right, counts);
    let shown = est.to_string();
    assert!(
        shown.contains("0.7000") && shown.contains("(0.1449)"),
        "{shown}"
    );
}

#[test]
fn estimation_empty_rows_error_or_prior() {
    // State 2 never observed as a "from" state.
    let mut counts = TransitionCounts::new(3).unwrap();
    counts.fold_sequence(&[0usize, 1, 0, 2]).unwrap();
    let e = counts.finish().unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid transition counts: state 2 has no outgoing transitions (n_i. = 0); give a prior row or make it absorbing"
    );
    let prior = MarkovChain::new(DMatrix::from_row_slice(
        3,
        3,
        &[0.5, 0.5, 0.0, 0.5, 0.5, 0.0, 0.1, 0.1, 0.8],
    ))
    .unwrap();
    let est = counts.finish_with_prior(Some(&prior), &[]).unwrap();
    assert_eq!(est.row_source()[2], RowSource::Prior);
    assert_eq!(est.std_errors()[(2, 2)], None);
    assert_relative_eq!(est.transition_matrix()[(2, 2)], 0.8, epsilon = EXACT);
    let est = counts.finish_with_prior(None, &[2]).unwrap();
    assert_eq!(est.row_source()[2], RowSource::Absorbing);
    assert_eq!(est.chain().absorbing_states(), vec![2]);
    // Bad state indices name customer and period.
    let mut c = TransitionCounts::new(2).unwrap();
    let e = c.fold_panel(&[0u8, 1, 1, 0, 2, 1], 3).unwrap_err();
    assert_eq!(
        e.to_string(),
        "state at customer 1, period 1 must be a state index in 0..2, got 2"
    );
    assert_eq!(c.total(), 0);
}

#[test]
fn parallel_fold_equals_serial() {
    let mut s = 12345u64;
    let panel: Vec<u8> = (0..5000 * 12)
        .map(|_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 33) % 5) as u8
        })
        .collect();
    let mut a = TransitionCounts::new(5).unwrap();
    a.fold_panel(&panel, 12).unwrap();
    for threads in [1, 2, 3, 7] {
        let mut b = TransitionCounts::new(5).unwrap();
        b.fold_panel_parallel(&panel, 12, threads).unwrap();
        assert_eq!(a, b, "threads = {threads}");
    }
    assert_eq!(a.total(), 5000 * 11);
}

#[test]
fn stationary_and_reducibility() {
    let e = example_chain().stationary().unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid chain for a stationary distribution: reducible: state `L` cannot reach state `A`"
    );
    // Hand: birth-death chain [[.5,.5,0],[.25,.5,.25],[0,.5,.5]] has π = (.25, .5, .25)
    // (detailed balance: π1 .5 = π2 .25, π2 .25 = π3 .5).
    let p = DMatrix::from_row_slice(3, 3, &[0.5, 0.5, 0.0, 0.25, 0.5, 0.25, 0.0, 0.5, 0.5]);
    let c = MarkovChain::new(p).unwrap();
    assert!(c.is_irreducible());
    let pi = c.stationary().unwrap();
    assert_relative_eq!(pi[0], 0.25, max_relative = TIGHT);
    assert_relative_eq!(pi[1], 0.5, max_relative = TIGHT);
    // Periodic but irreducible: the two-cycle has π = (.5, .5).
    let c = MarkovChain::new(DMatrix::from_row_slice(2, 2, &[0.0, 1.0, 1.0, 0.0])).unwrap();
    assert_relative_eq!(c.stationary().unwrap()[0], 0.5, max_relative = TIGHT);
}

#[test]
fn chain_errors_are_typed() {
    let e = MarkovChain::new(DMatrix::from_row_slice(2, 2, &[0.5, 0.6, 0.0, 1.0])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "row sum of transition matrix at row 0 must be 1 (within 1e-9), got 1.1"
    );
    let e =
        MarkovChain::new(DMatrix::from_row_slice(2, 2, &[f64::NAN, 1.0, 0.0, 1.0])).unwrap_err();
    assert!(matches!(e, Error::NonFinite { row: 0, col: 0, .. }));
    assert!(matches!(
        MarkovChain::new(DMatrix::zeros(2, 3)),
        Err(Error::DimensionMismatch { .. })
    ));
    // No absorbing state.
    let c = MarkovChain::new(DMatrix::from_row_slice(2, 2, &[0.9, 0.1, 0.4, 0.6])).unwrap();
    assert!(c.absorption().is_err());
    // Discount 0, infinite horizon: solvable on the transient states when R_L = 0.
    // Hand: V = N R_T = (9.0909*100 + 2.7273*40, 5.4545*100 + 3.6364*40) = (1018.18, 690.91).
    let v = example_chain()
        .state_values(&[100.0, 40.0, 0.0], 0.0, Horizon::Infinite)
        .unwrap();
    assert_relative_eq!(
        v.values()[0],
        (0.5 * 100.0 + 0.15 * 40.0) / 0.055,
        max_relative = TIGHT
    );
    assert_relative_eq!(
        v.values()[1],
        (0.3 * 100.0 + 0.2 * 40.0) / 0.055,
        max_relative = TIGHT
    );
    let e = example_chain()
        .state_values(&[100.0, 40.0, 5.0], 0.0, Horizon::Infinite)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid rewards: with discount 0 the absorbing state `L` must have reward 0, got 5"
    );
    let e = example_chain()
        .state_values(&[100.0, 40.0, 0.0], -0.1, Horizon::Infinite)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "option `discount` must be finite and >= 0, got -0.1"
    );
    let e = example_chain().project(&[0.5, 0.3, 0.1], 1).unwrap_err();
    assert!(
        e.to_string().starts_with("sum of initial distribution"),
        "{e}"
    );
}

#[test]
fn all_absorbing_chain_has_empty_fundamental_matrix() {
    let c = MarkovChain::new(DMatrix::identity(2, 2)).unwrap();
    let a = c.absorption().unwrap();
    assert_eq!(a.fundamental.nrows(), 0);
    assert!(a.transient.is_empty());
    let v = c.state_values(&[0.0, 0.0], 0.0, Horizon::Infinite).unwrap();
    assert_eq!(v.values().as_slice(), &[0.0, 0.0]);
}

#[test]
fn recency_model_one_state_by_hand() {
    // k = 1: P = [[p, 1-p], [0, 1]], R = (NC - M, 0): V_1 = (NC - M) / (1 - p/(1+d)).
    // p = .5, NC = 40, M = 4, d = .1: 36 / (1 - .5/1.1) = 36 * 1.1 / .6 = 66.
    let (chain, r) = MarkovChain::recency(&[0.5], 40.0, 4.0).unwrap();
    assert_eq!(r, vec![36.0, 0.0]);
    let v = chain.state_values(&r, 0.1, Horizon::Infinite).unwrap();
    assert_relative_eq!(v.values()[0], 66.0, max_relative = TIGHT);
    // Structure for k = 3: rows go to state 1 with p_r, else to r + 1; last absorbing.
    let (chain, r) = MarkovChain::recency(&[0.3, 0.2, 0.1], 40.0, 4.0).unwrap();
    let p = chain.transition_matrix();
    assert_relative_eq!(p[(1, 0)], 0.2, epsilon = EXACT);
    assert_relative_eq!(p[(1, 2)], 0.8, epsilon = EXACT);
    assert_relative_eq!(p[(2, 3)], 0.9, epsilon = EXACT);
    assert_eq!(p[(3, 3)], 1.0);
    assert_eq!(r, vec![36.0, -4.0, -4.0, 0.0]);
    assert_eq!(chain.names()[3], "lost");
    assert!(MarkovChain::recency(&[1.2], 40.0, 4.0).is_err());
}

// ---------------------------------------------------------------------------------------
// Theil-Sen, Mann-Kendall, OLS t against scipy 1.17.1 and pymannkendall 1.4.3.
// ---------------------------------------------------------------------------------------

struct TrendRef {
    y: &'static [f64],
    ts: (f64, f64, f64, f64), // slope, intercept, low, high (theilslopes, alpha = 0.95)
    mk: (i64, f64, f64, f64), // s, var_s, z, p (pymannkendall.original_test)
    ols: (f64, f64, f64, f64), // slope, stderr, t, p (scipy.stats.linregress)
}

const TREND_REFS: [TrendRef; 3] = [
    // 12 months with a triple tie (58.7) and a double tie (55.0).
    TrendRef {
        y: &[
            52.1, 48.3, 55.0, 55.0, 60.2, 58.7, 58.7, 58.7, 63.4, 61.0, 66.5, 70.2,
        ],
        ts: (1.5, 50.45, 0.9666666666666662, 2.0250000000000004),
        mk: (52, 208.0, 3.536213750935836, 0.0004059061236363348),
        ols: (
            1.546853146853147,
            0.2025928960412952,
            7.635278319620085,
            1.767753795001397e-05,
        ),
    },
    TrendRef {
        y: &[120.0, 118.5, 121.0, 110.2, 104.9, 99.0, 101.3, 90.4],
        ts: (
            -4.416666666666664,
            123.00833333333334,
            -5.900000000000006,
            -2.9666666666666686,
        ),
        mk: (
            -22,
            65.33333333333333,
            -2.598076211353316,
            0.009374768459434968,
        ),
        ols: (
            -4.3392857142857135,
            0.5714918119767443,
            -7.592909685401218,
            0.00027154709929783696,
        ),
    },
    TrendRef {
        y: &[30.0, 29.5, 31.2, 30.8, 30.1, 29.9, 31.0, 30.4, 30.0, 30.9],
        ts: (
            0.033333333333333805,
            30.099999999999998,
            -0.16000000000000014,
            0.20000000000000048,
        ),
        mk: (6, 124.0, 0.4490132550669373, 0.6534220947553175),
        ols: (
            0.04848484848484836,
            0.06374737791471047,
            0.7605779260398395,
            0.4687306627150393,
        ),
    },
];

#[test]
fn trend_matches_scipy_and_pymannkendall() {
    for (k, r) in TREND_REFS.iter().enumerate() {
        let t = TrendOptions::new().whole_series().fit(r.y).unwrap();
        let ts = t.theil_sen();
        assert_relative_eq!(ts.slope, r.ts.0, max_relative = TIGHT, epsilon = 1e-12);
        assert_relative_eq!(ts.intercept, r.ts.1, max_relative = TIGHT);
        let (lo, hi) = ts.ci.unwrap();
        assert_relative_eq!(lo, r.ts.2, max_relative = TIGHT, epsilon = 1e-12);
        assert_relative_eq!(hi, r.ts.3, max_relative = TIGHT, epsilon = 1e-12);
        let mk = t.mann_kendall();
        assert_eq!(mk.s, r.mk.0, "series {k}");
        assert_relative_eq!(mk.var_s, r.mk.1, max_relative = TIGHT);
        assert_relative_eq!(mk.z.unwrap(), r.mk.2, max_relative = TIGHT);
        assert_relative_eq!(mk.p_value.unwrap(), r.mk.3, max_relative = 1e-7);
        let o = t.ols();
        assert_relative_eq!(o.slope, r.ols.0, max_relative = TIGHT);
        assert_relative_eq!(o.std_error.unwrap(), r.ols.1, max_relative = TIGHT);
        assert_relative_eq!(o.t.unwrap(), r.ols.2, max_relative = TIGHT);
        assert_relative_eq!(o.p_value.unwrap(), r.ols.3, max_relative = 1e-6);
    }
}

#[test]
fn mann_kendall_published_hand_example() {
    // J. Little, "A Mann-Kendall Example (By Hand)", College of the Holy Cross
    // (mathcs.holycross.edu/~little/Montserrat/MannKendallByHand.txt): 14 values with one
    // tied pair; S = 54, V = (14)(13)(33)/18 - (2)(1)(9)/18 = 332.667, Z = (S - 1)/sqrt(V)
    // = 2.9058, one-sided p about .0018.
    let y = [
        12.9, 14.8, 13.2, 15.7, 13.8, 15.6, 12.9, 11.0, 17.3, 15.9, 19.0, 18.3, 20.1, 21.7,
    ];
    let t = TrendOptions::new().whole_series().fit(&y).unwrap();
    let mk = t.mann_kendall();
    assert_eq!(mk.s, 54);
    assert_relative_eq!(
        mk.var_s,
        14.0 * 13.0 * 33.0 / 18.0 - 1.0,
        max_relative = TIGHT
    );
    assert_relative_eq!(mk.z.unwrap(), 2.9058, max_relative = published(2.9058, 4));
    // Two-sided p is twice the one-sided .0018 (to the page's two digits).
    assert_relative_eq!(
        mk.p_value.unwrap() / 2.0,
        0.0018,
        max_relative = published(0.0018, 4)
    );
}

#[test]
fn ols_slope_and_t_agree_with_the_regression_engine() {
    // Independent code path: crate::regression::Ols (Householder QR) on month index.
    let y = TREND_REFS[0].y;
    let t = TrendOptions::new().window(8).fit(y).unwrap();
    let w = &y[4..];
    let x = DMatrix::from_fn(8, 1, |i, _| i as f64);
    let fit = Ols::new().fit(&x, &DVector::from_column_slice(w)).unwrap();
    assert_relative_eq!(t.ols().slope, fit.coefficients()[1], max_relative = TIGHT);
    assert_relative_eq!(
        t.ols().std_error.unwrap(),
        fit.std_errors()[1],
        max_relative = TIGHT
    );
    assert_relative_eq!(
        t.ols().intercept,
        fit.coefficients()[0],
        max_relative = TIGHT
    );
    assert_eq!(t.start(), 4);
}

#[test]
fn trend_short_and_degenerate_series() {
    let e = TrendOptions::new().fit(&[1.0, 2.0]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "spend trend needs at least 3 observations, got 2"
    );
    let e = TrendOptions::new().fit(&[1.0, f64::NAN, 3.0]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "`spend` has a non-finite value (NaN) at index 1"
    );
    // A NaN outside the window does not matter.
    assert!(
        TrendOptions::new()
            .window(3)
            .fit(&[f64::NAN, 1.0, 2.0, 3.0])
            .is_ok()
    );
    let e = TrendOptions::new()
        .window(2)
        .fit(&[1.0, 2.0, 3.0])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "option `window` must be >= min_points (3), got 2"
    );
    // Two points allowed when asked: t does not exist.
    let t = TrendOptions::new().min_points(2).fit(&[1.0, 3.0]).unwrap();
    assert_eq!(t.ols().t, None);
    assert_relative_eq!(t.ols().slope, 2.0, epsilon = EXACT);
    // Exact line: slope exists, t does not; Mann-Kendall is fine.
    let t = TrendOptions::new().fit(&[10.0, 20.0, 30.0, 40.0]).unwrap();
    assert_eq!(t.ols().t, None);
    assert_eq!(t.mann_kendall().s, 6);
    assert!(t.to_string().contains("Mann-Kendall S"));
}

// ---------------------------------------------------------------------------------------
// Stage rules at each boundary (MODELS.md §4.2 defaults).
// ---------------------------------------------------------------------------------------

const FLAT: [f64; 6] = [100.0; 6];

#[test]
fn onboarding_boundary() {
    let r = LifecycleRules::new();
    assert_eq!(r.classify(5, &FLAT).unwrap().rule, StageRule::Onboarding);
    assert_eq!(r.classify(6, &FLAT).unwrap().rule, StageRule::Maturity);
    assert_eq!(
        r.onboarding_tenure(3).classify(3, &FLAT).unwrap().rule,
        StageRule::Maturity
    );
    // Onboarding evidence still carries the trend when the window allows it.
    let c = r.classify(5, &FLAT).unwrap();
    assert_eq!(c.evidence.window, 5);
    assert!(c.evidence.trend.is_some());
}

#[test]
fn slope_threshold_boundaries() {
    let r = LifecycleRules::new();
    // y = 100 + b (i - 2.5): mean 100, OLS slope b exactly (Sxy = 17.5 b, Sxx = 17.5).
    let line = |b: f64| -> Vec<f64> { (0..6).map(|i| 100.0 + b * (i as f64 - 2.5)).collect() };
    let at = |b: f64| r.classify(24, &line(b)).unwrap();
    assert_eq!(at(3.0).rule, StageRule::Growth); // g = 0.03 exactly: growth (>=)
    assert_eq!(at(2.9).rule, StageRule::Maturity); // g = 0.029
    assert_eq!(at(0.0).rule, StageRule::Maturity);
    assert_eq!(at(-2.9).rule, StageRule::Maturity);
    assert_eq!(at(-3.0).rule, StageRule::Decline); // g = -0.03 exactly: decline (<=)
    assert_eq!(at(-3.0).stage, Some(LifecycleStage::Decline));
    // Evidence t and its p equal the single-series trend's (scipy-checked above).
    let noisy = [100.0, 104.0, 101.0, 108.0, 107.0, 112.0];
    let call = r.classify(24, &noisy).unwrap().evidence.trend.unwrap();
    let single = TrendOptions::new().fit(&noisy).unwrap();
    assert_eq!(call.t, single.ols().t);
    assert_eq!(call.t_p, single.ols().p_value);
    assert!(call.t_p.is_some());
    let ev = at(3.0).evidence.trend.unwrap();
    assert_eq!(ev.relative_slope, Some(0.03));
    assert_eq!(ev.mk_s, Some(15));
    assert_eq!(ev.theil_sen, Some(3.0));
    // Only the last 6 months count.
    let mut long = vec![500.0, 1.0, 500.0];
    long.extend(line(3.0));
    assert_eq!(r.classify(24, &long).unwrap().rule, StageRule::Growth);
    // A different threshold.
    assert_eq!(
        r.threshold(0.05).classify(24, &line(3.0)).unwrap().rule,
        StageRule::Maturity
    );
}

#[test]
fn drawdown_boundary() {
    // 12 months, peak 100; last three months mean 80 = exactly 0.8 x peak: no trigger
    // (the rule is strict <), so the slope rule decides.
    let mut y = vec![100.0; 9];
    y.extend([80.0, 80.0, 80.0]);
    let r = LifecycleRules::new().drawdown(true);
    let c = r.classify(24, &y).unwrap();
    assert_eq!(c.evidence.drawdown_ratio, Some(0.8));
    assert_ne!(c.rule, StageRule::Drawdown);
    // 79.9: triggers.
    let mut y2 = vec![100.0; 9];
    y2.extend([79.9, 79.9, 79.9]);
    let c = r.classify(24, &y2).unwrap();
    assert_eq!(c.rule, StageRule::Drawdown);
    assert_eq!(c.stage, Some(LifecycleStage::Decline));
    // Drawdown overrides a rising recent slope: fell from 200 to 50, now recovering
    // (without drawdown the last six months, 50..62, are growth).
    let y3 = [
        200.0, 200.0, 200.0, 200.0, 200.0, 200.0, 50.0, 52.0, 55.0, 58.0, 60.0, 62.0,
    ];
    assert_eq!(r.classify(24, &y3).unwrap().rule, StageRule::Drawdown);
    assert_eq!(
        LifecycleRules::new().classify(24, &y3).unwrap().rule,
        StageRule::Growth
    );
    // Off by default.
    assert_eq!(
        LifecycleRules::new()
            .classify(24, &y2)
            .unwrap()
            .evidence
            .drawdown_ratio,
        None
    );
}

#[test]
fn zero_mean_window_rules() {
    let r = LifecycleRules::new();
    let mut y = vec![50.0, 40.0, 30.0];
    y.extend([0.0; 6]);
    let c = r.classify(24, &y).unwrap();
    assert_eq!(c.rule, StageRule::ZeroSpendAfterActivity);
    assert_eq!(c.stage, Some(LifecycleStage::Decline));
    assert_eq!(c.evidence.trend.unwrap().relative_slope, None);
    let c = r.classify(24, &[0.0; 9]).unwrap();
    assert_eq!(c.rule, StageRule::NoActivity);
    assert_eq!(c.stage, None);
    // Activity before joining (outside tenure) does not count: tenure 6 covers zeros only.
    let c = r.classify(6, &y).unwrap();
    assert_eq!(c.rule, StageRule::NoActivity);
}

#[test]
fn insufficient_and_invalid_inputs() {
    let r = LifecycleRules::new();
    let c = r.classify(24, &[10.0, 12.0]).unwrap();
    assert_eq!(c.rule, StageRule::Insufficient { needed: 3, got: 2 });
    assert_eq!(c.stage, None);
    assert_eq!(c.rule.to_string(), "insufficient (2 < 3 months)");
    let e = r.classify(24, &[10.0, f64::INFINITY, 3.0]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "`spend` has a non-finite value (inf) at index 1"
    );
    let e = r.classify(24, &[10.0, 1e300, 3.0]).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("spend at index 1 must be at most 1e100 in absolute value, got 1000"),
        "{e}"
    );
    let e = r.threshold(-0.1).classify(24, &FLAT).unwrap_err();
    assert_eq!(
        e.to_string(),
        "option `threshold` must be finite and > 0, got -0.1"
    );
    let e = r.drawdown_ratio(1.0).classify(24, &FLAT).unwrap_err();
    assert_eq!(
        e.to_string(),
        "option `drawdown_ratio` must be in (0, 1), got 1"
    );
    let e = r.classify_base(&[1.0; 11], 6, &[12, 12]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "dimension mismatch in spend (customers x months): expected 12, found 11"
    );
    let mut panel = vec![1.0; 12];
    panel[9] = f64::NAN;
    let e = r.classify_base(&panel, 6, &[12, 12]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "`spend` has a non-finite value (NaN) at row 1, column 3"
    );
}

#[test]
fn batch_equals_single_and_parallel_equals_serial() {
    let months = 12;
    let n = 1001;
    let mut s = 7u64;
    let mut next = || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut spend = Vec::with_capacity(n * months);
    let mut tenure = Vec::with_capacity(n);
    for _ in 0..n {
        let level = 20.0 + 100.0 * next();
        let drift = 0.1 * (next() - 0.5);
        for m in 0..months {
            let v = level * (1.0 + drift * m as f64) + 5.0 * (next() - 0.5);
            spend.push(if next() < 0.02 { 0.0 } else { v.max(0.0) });
        }
        tenure.push((next() * 40.0) as u32);
    }
    let r = LifecycleRules::new().drawdown(true);
    let table = r.classify_base(&spend, months, &tenure).unwrap();
    for i in (0..n).step_by(97) {
        let one = r
            .classify(tenure[i], &spend[i * months..(i + 1) * months])
            .unwrap();
        assert_eq!(table.call(i).unwrap(), one);
    }
    for threads in [2, 3, 8] {
        let par = r
            .classify_base_parallel(&spend, months, &tenure, threads)
            .unwrap();
        assert_eq!(par, table, "threads = {threads}");
    }
    let sum = table.summary();
    assert_eq!(sum.stage_counts.iter().sum::<usize>() + sum.unclassified, n);
    assert_eq!(sum.rule_counts.iter().sum::<usize>(), n);
    let shown = table.to_string();
    assert!(
        shown.contains("Life-cycle stages of 1001 customers"),
        "{shown}"
    );
    let json = serde_json::to_string(&table.call(0).unwrap()).unwrap();
    assert!(json.contains("\"rule\""));
    assert_eq!(table.iter().count(), n);
    assert!(table.call(n).is_none());
    let stages = table.stages();
    assert!(table.iter().zip(&stages).all(|(c, s)| c.stage == *s));
    let whole = serde_json::to_value(&table).unwrap();
    assert_eq!(whole["calls"].as_array().unwrap().len(), n);
}

#[test]
fn stage_strategies_come_from_the_strategy_book() {
    let book = StrategyBook::default();
    let grow = LifecycleRules::new()
        .classify(24, &[80.0, 84.0, 90.0, 95.0, 99.0, 105.0])
        .unwrap();
    let s = grow.strategy(&book).unwrap();
    assert!(s.actions.contains(&Action::UpSell));
    let onboard = LifecycleRules::new().classify(2, &[10.0, 10.0]).unwrap();
    assert!(
        onboard
            .strategy(&book)
            .unwrap()
            .actions
            .contains(&Action::WelcomeCare)
    );
    let declining = LifecycleRules::new()
        .classify(24, &[100.0, 93.0, 85.0, 79.0, 72.0, 66.0])
        .unwrap();
    let rec = declining.recommend(&book, ValueSegment::LowValue, false);
    assert!(rec.actions.contains(&Action::LetGo));
    let none = LifecycleRules::new().classify(24, &[0.0; 6]).unwrap();
    assert!(none.strategy(&book).is_none());
}

#[test]
fn stage_migration_report() {
    use LifecycleStage::*;
    let before = [
        Some(Onboarding),
        Some(Onboarding),
        Some(Growth),
        Some(Maturity),
        Some(Maturity),
        Some(Maturity),
        Some(Decline),
        None,
    ];
    let after = [
        Some(Growth),
        Some(Onboarding),
        Some(Maturity),
        Some(Maturity),
        Some(Maturity),
        Some(Decline),
        None,
        Some(Onboarding),
    ];
    let m = StageMigration::between(&before, &after).unwrap();
    assert_eq!(m.counts[(0, 1)], 1);
    assert_eq!(m.counts[(2, 2)], 2);
    assert_eq!(m.counts[(3, 4)], 1);
    assert_eq!(m.counts[(4, 0)], 1);
    assert_eq!(m.before, [2, 1, 3, 1, 1]);
    assert_eq!(m.after, [2, 1, 3, 1, 1]);
    // Hand: maturity row (3 customers) -> 2 stay, 1 decline: shares 2/3, 1/3.
    assert_relative_eq!(m.shares[(2, 2)], 2.0 / 3.0, epsilon = EXACT);
    assert_relative_eq!(m.shares[(2, 3)], 1.0 / 3.0, epsilon = EXACT);
    // Stay: onboarding 1 + maturity 2 = 3 of 8.
    assert_relative_eq!(m.stay_rate, 3.0 / 8.0, epsilon = EXACT);
    let t = m.to_transition_counts();
    assert_eq!(t.count(2, 3).unwrap(), 1);
    assert_eq!(t.total(), 8);
    assert!(m.to_string().contains("Row shares"));
    assert!(StageMigration::between(&before, &after[..3]).is_err());
}

// ---------------------------------------------------------------------------------------
// Properties.
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn estimated_rows_sum_to_one(panel in prop::collection::vec(0u8..4, 8..400), periods in 2usize..8) {
        let len = panel.len() / periods * periods;
        let mut c = TransitionCounts::new(4).unwrap();
        c.fold_panel(&panel[..len], periods).unwrap();
        // Rows without data are made absorbing so that finish always succeeds.
        let empty: Vec<usize> = (0..4)
            .filter(|&i| (0..4).all(|j| c.count(i, j).unwrap() == 0))
            .collect();
        let est = c.finish_with_prior(None, &empty).unwrap();
        for i in 0..4 {
            let s: f64 = est.transition_matrix().row(i).sum();
            prop_assert!((s - 1.0).abs() < 1e-12);
        }
        // Merge invariance: any split point gives the same counts.
        let cut = (len / periods / 2) * periods;
        let mut a = TransitionCounts::new(4).unwrap();
        let mut b = TransitionCounts::new(4).unwrap();
        a.fold_panel(&panel[..cut], periods).unwrap();
        b.fold_panel(&panel[cut..len], periods).unwrap();
        b.merge(&a).unwrap();
        prop_assert_eq!(b, c);
    }

    #[test]
    fn stationary_is_invariant(raw in prop::collection::vec(0.01f64..1.0, 16)) {
        let mut p = DMatrix::from_row_slice(4, 4, &raw);
        for i in 0..4 {
            let s: f64 = p.row(i).sum();
            for j in 0..4 {
                p[(i, j)] /= s;
            }
        }
        let c = MarkovChain::new(p.clone()).unwrap();
        let pi = c.stationary().unwrap();
        let pip = p.tr_mul(&pi);
        prop_assert!((pip - &pi).amax() < 1e-12);
        prop_assert!((pi.sum() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn no_panic_on_arbitrary_chains(
        raw in prop::collection::vec(prop_oneof![
            4 => 0.0f64..1.0,
            1 => Just(0.0),
            1 => Just(1.0),
            1 => Just(f64::NAN),
            1 => Just(-0.2),
        ], 9),
        normalise in any::<bool>(),
        rewards in prop::collection::vec(-100.0f64..100.0, 3),
        d in prop_oneof![Just(0.0), 0.0f64..0.5, Just(f64::NAN)],
        k in 0usize..5,
    ) {
        let mut p = DMatrix::from_row_slice(3, 3, &raw);
        if normalise {
            for i in 0..3 {
                let s: f64 = p.row(i).sum();
                if s > 0.0 {
                    for j in 0..3 {
                        p[(i, j)] /= s;
                    }
                }
            }
        }
        if let Ok(c) = MarkovChain::new(p) {
            let _ = c.stationary();
            let _ = c.absorption();
            let _ = c.project(&[0.2, 0.3, 0.5], k);
            let _ = c.k_step(k);
            for h in [Horizon::Finite(k), Horizon::Infinite] {
                if let Ok(v) = c.state_values(&rewards, d, h) {
                    prop_assert!(v.values().iter().all(|x| x.is_finite()));
                }
            }
            let _ = c.to_string();
        }
    }

    #[test]
    fn no_panic_on_arbitrary_series(
        y in prop::collection::vec(prop_oneof![
            4 => -1e6f64..1e6,
            1 => Just(0.0),
            1 => Just(f64::NAN),
            1 => Just(f64::INFINITY),
            1 => Just(5.0),
            1 => Just(f64::MAX),
            1 => Just(-1e100),
            1 => Just(1e-300),
        ], 0..20),
        tenure in 0u32..40,
        window in 0usize..10,
        min_points in 0usize..6,
    ) {
        let r = LifecycleRules::new().window(window).min_points(min_points).drawdown(true);
        match r.classify(tenure, &y) {
            Ok(c) => {
                if let Some(t) = c.evidence.trend {
                    prop_assert!(t.slope.is_finite());
                    prop_assert!(t.relative_slope.is_none_or(f64::is_finite));
                    prop_assert!(t.mk_p.is_none_or(|p| (0.0..=1.0).contains(&p)));
                }
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        let _ = TrendOptions::new().window(window).min_points(min_points).fit(&y);
        if !y.is_empty() {
            let _ = r.classify_base(&y, y.len(), &[tenure]);
        }
    }
}

#[test]
fn public_types_are_send_sync_and_options_round_trip() {
    fn assert_traits<T: Send + Sync + 'static>() {}
    assert_traits::<crm_analytics::lifecycle::StageTable>();
    assert_traits::<crm_analytics::lifecycle::StageCall>();
    assert_traits::<crm_analytics::lifecycle::SpendTrend>();
    assert_traits::<MarkovChain>();
    assert_traits::<crm_analytics::lifecycle::MarkovEstimate>();
    assert_traits::<TransitionCounts>();
    assert_traits::<StageMigration>();
    assert_traits::<crm_analytics::lifecycle::StateValues>();
    let rules = LifecycleRules::new().threshold(0.05).drawdown(true);
    let back: LifecycleRules =
        serde_json::from_str(&serde_json::to_string(&rules).unwrap()).unwrap();
    assert_eq!(back, rules);
    assert_eq!(LifecycleRules::new(), LifecycleRules::default());
    assert_eq!(TrendOptions::new(), TrendOptions::default());
    let mut c = TransitionCounts::new(2).unwrap();
    c.fold_transition(0, 1).unwrap();
    let back: TransitionCounts = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
    assert_eq!(back, c);
    let bad = serde_json::from_str::<TransitionCounts>(r#"{"k": 2, "counts": [1, 2, 3]}"#);
    assert!(bad.unwrap_err().to_string().contains("expected 4, found 3"));
}

#[test]
fn pairwise_statistics_have_a_size_limit() {
    let y = vec![1.0; 5000];
    let e = TrendOptions::new().whole_series().fit(&y).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Theil-Sen / Mann-Kendall window (months): 5000 exceeds the limit of 4096; set a shorter `window`"
    );
    let e = LifecycleRules::new()
        .window(5000)
        .classify(24, &y)
        .unwrap_err();
    assert!(
        e.to_string().starts_with("option `window` must be <= 4096"),
        "{e}"
    );
    // Without robust evidence a long window is fine (OLS is linear in n).
    let c = LifecycleRules::new()
        .window(5000)
        .robust(false)
        .classify(6000, &y)
        .unwrap();
    assert_eq!(c.rule, StageRule::Maturity);
}

#[test]
fn absurd_thread_counts_are_capped() {
    let spend = vec![10.0; 6 * 40];
    let tenure = vec![12; 40];
    let r = LifecycleRules::new();
    let a = r.classify_base(&spend, 6, &tenure).unwrap();
    let b = r
        .classify_base_parallel(&spend, 6, &tenure, usize::MAX)
        .unwrap();
    assert_eq!(a, b);
    let panel = vec![0u8; 12 * 1000];
    let mut c = TransitionCounts::new(2).unwrap();
    c.fold_panel_parallel(&panel, 12, usize::MAX).unwrap();
    assert_eq!(c.count(0, 0).unwrap(), 11_000);
    let empty = r.classify_base_parallel(&[], 6, &[], 4).unwrap();
    assert!(empty.is_empty());
    assert!(empty.to_string().contains("0 customers"));
}
