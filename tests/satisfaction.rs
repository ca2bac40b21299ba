//! Satisfaction module: the mobi regression against statsmodels, the IPA example, the
//! index formula, Kano, Pareto and chi-square against hand and textbook values.

use approx::assert_relative_eq;
use crm_analytics::satisfaction::{
    ChiSquareTest, Crosshair, DriverRanking, ImportanceSource, Ipa, Kano, KanoCategory,
    ProblemPareto, Quadrant, RecommendedAction, SatisfactionIndex, SatisfactionModel,
};
use crm_analytics::survey::{Construct, ItemMatrix, LikertScale, Reliability};
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;
use serde_json::Value;

use crate::common::{TIGHT, data, published};
use crate::survey::mobi;

fn reference() -> Value {
    serde_json::from_str(&data("mobi/survey_reference.json")).unwrap()
}

fn constructs(r: &Value, names: &[&str]) -> Vec<Construct> {
    names
        .iter()
        .map(|n| {
            let items: Vec<String> = r["reliability"][n]["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
            Construct::new(n, &items).unwrap()
        })
        .collect()
}

const DRIVERS: [&str; 4] = ["Image", "Expectation", "Quality", "Value"];

fn mobi_fit() -> crm_analytics::satisfaction::SatisfactionFit {
    let r = reference();
    let cons = constructs(
        &r,
        &["Image", "Expectation", "Quality", "Value", "Satisfaction"],
    );
    SatisfactionModel::new()
        .outcome("Satisfaction")
        .drivers(&DRIVERS)
        .fit(&mobi(), &cons)
        .unwrap()
}

#[test]
fn mobi_regression_matches_statsmodels() {
    // survey_reference.json "unit_weighted_regression": statsmodels 0.15 OLS of mean-item
    // Satisfaction on Image, Expectation, Quality, Value (n = 250).
    let r = &reference()["unit_weighted_regression"];
    let fit = mobi_fit();
    let ols = fit.ols();
    for (i, term) in ["const", "Image", "Expectation", "Quality", "Value"]
        .iter()
        .enumerate()
    {
        assert_relative_eq!(
            ols.coefficients()[i],
            r["coefficients"][term].as_f64().unwrap(),
            max_relative = TIGHT
        );
        assert_relative_eq!(
            ols.std_errors()[i],
            r["std_errors"][term].as_f64().unwrap(),
            max_relative = TIGHT
        );
    }
    for d in fit.drivers() {
        assert_relative_eq!(
            d.standardized_beta,
            r["standardized_betas"][&d.name].as_f64().unwrap(),
            max_relative = TIGHT
        );
        assert_relative_eq!(
            d.p_value,
            r["p_values"][&d.name].as_f64().unwrap(),
            max_relative = 1e-6
        );
    }
    assert_relative_eq!(
        ols.r_squared(),
        r["r_squared"].as_f64().unwrap(),
        max_relative = TIGHT
    );
    assert_relative_eq!(
        ols.f_statistic().unwrap(),
        r["f_statistic"].as_f64().unwrap(),
        max_relative = TIGHT
    );
    // MODELS.md §6.2: b_Quality .55320, SE .06202, R² .669441.
    assert_relative_eq!(
        ols.coefficients()[3],
        0.55320,
        max_relative = published(0.55320, 5)
    );
    assert_relative_eq!(
        ols.r_squared(),
        0.669441,
        max_relative = published(0.669441, 6)
    );
    assert_eq!(fit.rows_used(), 250);
}

#[test]
fn mobi_drivers_ranked_by_beta_significance_and_lmg() {
    // From the statsmodels reference: |beta| Quality .529 > Value .194 > Image .159 >
    // Expectation .062; p Quality 1e-16 < Value 2.6e-5 < Image .0042 < Expectation .169.
    let fit = mobi_fit();
    let by_beta: Vec<&str> = fit
        .ranked(DriverRanking::StandardizedBeta)
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(by_beta, ["Quality", "Value", "Image", "Expectation"]);
    let by_p: Vec<&str> = fit
        .ranked(DriverRanking::Significance)
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(by_p, ["Quality", "Value", "Image", "Expectation"]);
    // LMG: shares sum to 1, contributions to R²; Quality has the largest share.
    let shares: f64 = fit.drivers().iter().map(|d| d.lmg_share.unwrap()).sum();
    assert_relative_eq!(shares, 1.0, epsilon = 1e-12);
    let r2: f64 = fit.drivers().iter().map(|d| d.lmg_r_squared.unwrap()).sum();
    assert_relative_eq!(r2, fit.ols().r_squared(), epsilon = 1e-12);
    assert_eq!(
        fit.ranked(DriverRanking::RelativeImportance)[0].name,
        "Quality"
    );
    assert!(!fit.driver("Expectation").unwrap().significant);
}

#[test]
fn mobi_ipa_of_quality_items_matches_reference() {
    // survey_reference.json "ipa_quality_items_example" (numpy): importance = r of each
    // PERQ item with the mean-of-CUSA score, performance = item mean, crosshairs at means
    // (I .59614, P 7.7131; MODELS.md §6.3).
    let r = reference();
    let ex = &r["ipa_quality_items_example"];
    let items = mobi();
    let perq: Vec<String> = (1..=7).map(|i| format!("PERQ{i}")).collect();
    let attrs = items.select(&perq).unwrap();
    let cusa = items.select(&["CUSA1", "CUSA2", "CUSA3"]).unwrap();
    let overall = DVector::from_iterator(250, cusa.data().row_iter().map(|row| row.sum() / 3.0));
    let ipa = Ipa::new().derived(&attrs, &overall).unwrap();
    assert_relative_eq!(
        ipa.crosshair_importance,
        ex["crosshair_importance_mean"].as_f64().unwrap(),
        max_relative = TIGHT
    );
    assert_relative_eq!(
        ipa.crosshair_performance,
        ex["crosshair_performance_mean"].as_f64().unwrap(),
        max_relative = TIGHT
    );
    assert_relative_eq!(
        ipa.crosshair_importance,
        0.59614,
        max_relative = published(0.59614, 5)
    );
    for p in &ipa.points {
        let e = &ex["items"][&p.name];
        assert_relative_eq!(
            p.importance,
            e["importance_pearson_r_with_satisfaction"]
                .as_f64()
                .unwrap(),
            max_relative = TIGHT
        );
        assert_relative_eq!(
            p.performance,
            e["performance_mean"].as_f64().unwrap(),
            max_relative = TIGHT
        );
        assert_eq!(
            p.quadrant.to_string(),
            e["quadrant"].as_str().unwrap(),
            "{}",
            p.name
        );
    }
    // Scale midpoints (5.5 on 1..10): every PERQ mean is above, so no item is in I or III.
    let mid = Ipa::new()
        .crosshair(Crosshair::ScaleMidpoints)
        .derived(&attrs, &overall)
        .unwrap();
    assert!(mid.points.iter().all(|p| matches!(
        p.quadrant,
        Quadrant::KeepUpTheGoodWork | Quadrant::PossibleOverkill
    )));
    // Diagonal variant: PERQ7 (highest r, below-mean performance) has the top priority.
    assert_eq!(ipa.by_priority()[0].name, "PERQ7");
    // Other derived importances run on the same data.
    let beta = Ipa::new()
        .importance(ImportanceSource::StandardizedBeta)
        .derived(&attrs, &overall)
        .unwrap();
    let lmg = Ipa::new()
        .importance(ImportanceSource::RelativeImportance)
        .derived(&attrs, &overall)
        .unwrap();
    let s: f64 = lmg.points.iter().map(|p| p.importance).sum();
    assert_relative_eq!(s, 1.0, epsilon = 1e-12);
    assert_eq!(beta.points.len(), 7);
}

#[test]
fn stated_importance_ipa_by_hand() {
    // Performance means: a (4+2)/2 = 3, b (5+5)/2 = 5; importance means a 5, b 2.
    // Crosshairs at means: I 3.5, P 4 -> a: I5 >= 3.5, P3 < 4 -> concentrate here;
    // b: I2 < 3.5, P5 >= 4 -> possible overkill.
    let s = LikertScale::new(1.0, 5.0).unwrap();
    let perf = ItemMatrix::new(
        DMatrix::from_row_slice(2, 2, &[4.0, 5.0, 2.0, 5.0]),
        &["a", "b"],
        s,
    )
    .unwrap();
    let imp = ItemMatrix::new(
        DMatrix::from_row_slice(2, 2, &[5.0, 2.0, 5.0, 2.0]),
        &["a", "b"],
        s,
    )
    .unwrap();
    let ipa = Ipa::new().stated(&perf, &imp).unwrap();
    assert_eq!(ipa.points[0].quadrant, Quadrant::ConcentrateHere);
    assert_eq!(ipa.points[1].quadrant, Quadrant::PossibleOverkill);
    // Midpoints (3, 3): a: I5 >= 3, P3 >= 3 -> keep up; b: I2 < 3, P5 -> overkill.
    let mid = Ipa::new()
        .crosshair(Crosshair::ScaleMidpoints)
        .stated(&perf, &imp)
        .unwrap();
    assert_eq!(mid.points[0].quadrant, Quadrant::KeepUpTheGoodWork);
}

#[test]
fn satisfaction_index_formula_by_hand() {
    // MODELS.md §6.2 formula u_i = (w_i/sd_i)/Σ(w_j/sd_j), CSI = 100 (Σ u x̄ - min)/(max - min).
    // Items on 1..10, 3 respondents: a = (6, 8, 10): mean 8, sd 2; b = (5, 6, 7): mean 6, sd 1.
    // Weights (0.4, 0.6): w/sd = (0.2, 0.6) -> u = (0.25, 0.75);
    // Σ u x̄ = 2 + 4.5 = 6.5 -> CSI = 100 · 5.5 / 9 = 61.111...
    // (The mobi CSI values 72.45/74.98/62.35/70.91 need PLS weights: tested by the PLS module.)
    let s = LikertScale::new(1.0, 10.0).unwrap();
    let items = ItemMatrix::new(
        DMatrix::from_row_slice(3, 2, &[6.0, 5.0, 8.0, 6.0, 10.0, 7.0]),
        &["a", "b"],
        s,
    )
    .unwrap();
    let csi = SatisfactionIndex::compute(&items, &[0.4, 0.6]).unwrap();
    assert_relative_eq!(csi.unstandardized_weights[0], 0.25, epsilon = 1e-15);
    assert_relative_eq!(csi.mean_score, 6.5, epsilon = 1e-14);
    assert_relative_eq!(csi.index, 550.0 / 9.0, epsilon = 1e-12);
    assert!(SatisfactionIndex::compute(&items, &[1.0]).is_err());
}

#[test]
fn kano_hand_worked_table() {
    // Feature "roaming", 8 respondents (functional, dysfunctional) -> category:
    //   (1,5) O   (1,5) O   (2,5) M   (3,5) M   (1,3) A   (3,3) I   (5,1) R   (1,1) Q
    // Counts M 2, O 2, A 1, I 1, R 1, Q 1. Mode tie M = O = 2 -> M by M > O > A > I.
    // Better = (A + O)/(A + O + M + I) = 3/6 = 0.5; Worse = -(O + M)/6 = -4/6.
    // With the tie order O first, the category is one-dimensional.
    // Feature "app", 3 respondents: (2,4) I, (4,2) I, (1,2) A -> I; Better 1/3, Worse 0.
    let f = DMatrix::from_row_slice(
        8,
        2,
        &[
            1.0,
            2.0,
            1.0,
            4.0,
            2.0,
            1.0,
            3.0,
            f64::NAN,
            1.0,
            f64::NAN,
            3.0,
            f64::NAN,
            5.0,
            f64::NAN,
            1.0,
            f64::NAN,
        ],
    );
    let d = DMatrix::from_row_slice(
        8,
        2,
        &[
            5.0, 4.0, 5.0, 2.0, 5.0, 2.0, 5.0, 1.0, 3.0, 1.0, 3.0, 1.0, 1.0, 1.0, 1.0, 1.0,
        ],
    );
    let k = Kano::new().classify(&f, &d, &["roaming", "app"]).unwrap();
    let r = &k.features[0];
    assert_eq!(
        (
            r.counts.m, r.counts.o, r.counts.a, r.counts.i, r.counts.r, r.counts.q
        ),
        (2, 2, 1, 1, 1, 1)
    );
    assert_eq!(r.category, Some(KanoCategory::MustBe));
    assert_relative_eq!(r.better.unwrap(), 0.5, epsilon = 1e-15);
    assert_relative_eq!(r.worse.unwrap(), -4.0 / 6.0, epsilon = 1e-15);
    let a = &k.features[1];
    assert_eq!(a.counts.total(), 3);
    assert_eq!(a.category, Some(KanoCategory::Indifferent));
    assert_relative_eq!(a.better.unwrap(), 1.0 / 3.0, epsilon = 1e-15);
    use KanoCategory::*;
    let k2 = Kano::new()
        .tie_order([
            OneDimensional,
            MustBe,
            Attractive,
            Indifferent,
            Reverse,
            Questionable,
        ])
        .classify(&f, &d, &["roaming", "app"])
        .unwrap();
    assert_eq!(k2.features[0].category, Some(OneDimensional));
    let bad = DMatrix::from_row_slice(1, 1, &[6.0]);
    assert_eq!(
        Kano::new()
            .classify(&bad, &bad, &["x"])
            .unwrap_err()
            .to_string(),
        "Kano functional answer for feature `x` at respondent 0 must be an integer in 1..=5, got 6"
    );
}

#[test]
fn pareto_table_by_hand() {
    // Complaints: network 120, billing errors 45, unclear bills 30, spam 60, hall 15, hotline 30 (total 300).
    // Sorted: network 40%, spam 20% (60%), billing 15% (75%), unclear 10% (85%) -> vital few
    // reach 80% with four categories; then hotline (ties keep input order: unclear first).
    let t = ProblemPareto::new()
        .tabulate(
            &[
                "network",
                "billing errors",
                "unclear bills",
                "spam",
                "hall",
                "hotline",
            ],
            &[120, 45, 30, 60, 15, 30],
        )
        .unwrap();
    let order: Vec<&str> = t.rows.iter().map(|r| r.category.as_str()).collect();
    assert_eq!(
        order,
        [
            "network",
            "spam",
            "billing errors",
            "unclear bills",
            "hotline",
            "hall"
        ]
    );
    assert_eq!(
        t.vital_few,
        ["network", "spam", "billing errors", "unclear bills"]
    );
    assert_relative_eq!(t.rows[3].cumulative_share, 0.85, epsilon = 1e-15);
    assert_eq!(t.total, 300);
    assert!(
        ProblemPareto::new()
            .vital_share(0.0)
            .tabulate(&["a"], &[1])
            .is_err()
    );
}

#[test]
fn chi_square_matches_agresti_party_identification_example() {
    // Agresti (2007), An Introduction to Categorical Data Analysis, 2nd ed., Table 2.5
    // (gender x party identification, GSS): females 762 / 327 / 468, males 484 / 239 / 477.
    // Published: X² = 30.1, G² = 30.0, df = 2, P < 0.001; Table 2.6 adjusted residuals
    // females 4.50, 0.70, -5.32 and males -4.50, -0.70, 5.32.
    let t = DMatrix::from_row_slice(2, 3, &[762.0, 327.0, 468.0, 484.0, 239.0, 477.0]);
    let x = ChiSquareTest::independence(
        &t,
        &["female", "male"],
        &["democrat", "independent", "republican"],
    )
    .unwrap();
    assert_relative_eq!(x.statistic, 30.1, max_relative = published(30.1, 1));
    assert_relative_eq!(x.g_squared, 30.0, max_relative = published(30.0, 1));
    assert_eq!(x.df, 2);
    assert!(x.p_value < 0.001);
    let want = [[4.50, 0.70, -5.32], [-4.50, -0.70, 5.32]];
    for (i, row) in want.iter().enumerate() {
        for (j, &w) in row.iter().enumerate() {
            assert_relative_eq!(
                x.adjusted_residuals[(i, j)],
                w,
                max_relative = published(w, 2)
            );
        }
    }
    // p from the chi-square(2) survival function: exp(-X²/2).
    assert_relative_eq!(x.p_value, (-x.statistic / 2.0).exp(), max_relative = 1e-12);
}

#[test]
fn report_has_every_section_and_serialises() {
    let r = reference();
    let items = mobi();
    let fit = mobi_fit();
    let rel = Reliability::new()
        .fit_constructs(
            &items,
            &constructs(
                &r,
                &["Image", "Expectation", "Quality", "Value", "Satisfaction"],
            ),
        )
        .unwrap();
    let ipa = Ipa::new()
        .importance(ImportanceSource::StandardizedBeta)
        .drivers(&fit)
        .unwrap();
    let report = fit.report().with_reliability(rel).with_ipa(ipa);
    // Drivers: Quality beta .529 and Value .194 are above the mean beta (.236)? Value is not:
    // mean beta = (.159 + .062 + .529 + .194)/4 = .236; performance means 7.54, 7.51, 7.71, 6.54
    // (mean 7.32). Quality: high I, high P -> maintain; Value: low I, low P -> monitor;
    // Image: low I, high P -> reallocate; Expectation: low I, high P, not significant -> reallocate.
    let q = report
        .recommendations
        .iter()
        .find(|x| x.name == "Quality")
        .unwrap();
    assert_eq!(q.action, RecommendedAction::Maintain);
    let v = report
        .recommendations
        .iter()
        .find(|x| x.name == "Value")
        .unwrap();
    assert_eq!(v.action, RecommendedAction::Monitor);
    let text = report.to_string();
    for needle in [
        "Scale reliability",
        "Driver ranking",
        "Importance-performance",
        "Recommendations",
        "Quality",
    ] {
        assert!(text.contains(needle), "missing {needle}");
    }
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["drivers"][0]["name"], "Quality");

    // The other sections (hand-made inputs: the mobi survey has no Kano or complaint data).
    let f = DMatrix::from_row_slice(2, 1, &[1.0, 2.0]);
    let d = DMatrix::from_row_slice(2, 1, &[5.0, 5.0]);
    let kano = Kano::new().classify(&f, &d, &["coverage"]).unwrap();
    let pareto = ProblemPareto::new()
        .tabulate(&["network", "billing"], &[70, 30])
        .unwrap();
    let mix = DMatrix::from_row_slice(2, 2, &[40.0, 10.0, 30.0, 20.0]);
    let chi = ChiSquareTest::independence(&mix, &["prepaid", "postpaid"], &["network", "billing"])
        .unwrap();
    let full = report
        .with_kano(kano)
        .with_problems(pareto)
        .with_problem_mix(chi);
    let text = full.to_string();
    for needle in [
        "Kano classification",
        "Service problems",
        "Problem mix by segment",
    ] {
        assert!(text.contains(needle), "missing {needle}");
    }
    assert!(serde_json::to_string(&full).unwrap().contains("vital_few"));
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync + 'static>() {}
    use crm_analytics::satisfaction::*;
    use crm_analytics::survey::*;
    check::<ItemMatrix>();
    check::<ScaleReliability>();
    check::<MomentAccumulator>();
    check::<ConstructScores>();
    check::<Htmt>();
    check::<SatisfactionFit>();
    check::<SatisfactionReport>();
    check::<IpaResult>();
    check::<KanoResult>();
    check::<ChiSquareTest>();
    check::<ParetoTable>();
}

#[test]
fn errors_are_pinned() {
    let r = reference();
    let cons = constructs(&r, &["Quality", "Satisfaction"]);
    let e = SatisfactionModel::new()
        .outcome("Loyalty")
        .fit(&mobi(), &cons)
        .unwrap_err();
    assert_eq!(e.to_string(), "unknown construct `Loyalty`");
    let e = SatisfactionModel::new()
        .drivers(&["Quality", "Satisfaction"])
        .fit(&mobi(), &cons)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid satisfaction model: the outcome `Satisfaction` is also listed as a driver"
    );
    let t = DMatrix::from_row_slice(2, 2, &[1.0, 0.0, 2.0, 0.0]);
    assert_eq!(
        ChiSquareTest::independence(&t, &["a", "b"], &["x", "y"])
            .unwrap_err()
            .to_string(),
        "invalid contingency table: problem `y` has no counts"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn no_panic_on_arbitrary_input(
        v in proptest::collection::vec(prop_oneof![Just(f64::NAN), Just(f64::INFINITY), -2.0f64..8.0, (0u8..7).prop_map(f64::from)], 0..40),
        k in 1usize..4,
    ) {
        let n = v.len() / (k + 1);
        let m = DMatrix::from_iterator(n, k + 1, v.iter().copied().take(n * (k + 1)));
        let s = LikertScale::new(1.0, 5.0).unwrap();
        let names: Vec<String> = (0..=k).map(|j| format!("q{j}")).collect();
        if let Ok(items) = ItemMatrix::new(m.clone(), &names, s) {
            let cons: Vec<Construct> = names.iter().map(|n| Construct::new(n, &[n]).unwrap()).collect();
            if let Ok(fit) = SatisfactionModel::new().outcome("q0").fit(&items, &cons) {
                let _ = fit.report().to_string();
                for src in [ImportanceSource::Correlation, ImportanceSource::StandardizedBeta, ImportanceSource::RelativeImportance] {
                    if let Ok(ipa) = Ipa::new().importance(src).drivers(&fit) {
                        prop_assert!(ipa.points.iter().all(|p| p.importance.is_finite()));
                    }
                }
            }
            let overall = DVector::from_iterator(n, m.column(0).iter().copied());
            let _ = Ipa::new().derived(&items, &overall);
            let _ = SatisfactionIndex::compute(&items, &vec![1.0; k + 1]);
        }
        let _ = Kano::new().classify(&m, &m, &names);
        let _ = ChiSquareTest::independence(&m, &vec!["r"; n], &names);
        let counts: Vec<u64> = v.iter().map(|x| if x.is_finite() { x.abs() as u64 } else { 0 }).collect();
        let cats: Vec<String> = (0..counts.len()).map(|i| format!("c{i}")).collect();
        let _ = ProblemPareto::new().tabulate(&cats, &counts);
    }

    #[test]
    fn pareto_shares_sum_to_one_and_cumulate(counts in proptest::collection::vec(0u64..1000, 1..12)) {
        let cats: Vec<String> = (0..counts.len()).map(|i| format!("c{i}")).collect();
        if let Ok(t) = ProblemPareto::new().tabulate(&cats, &counts) {
            let s: f64 = t.rows.iter().map(|r| r.share).sum();
            prop_assert!((s - 1.0).abs() < 1e-12);
            prop_assert!((t.rows.last().unwrap().cumulative_share - 1.0).abs() < 1e-12);
            prop_assert!(t.rows.windows(2).all(|w| w[0].count >= w[1].count));
        }
    }
}

/// The satisfaction index with PLS as its engine: the outer weights of the ECSI path-scheme
/// fit, passed to the satisfaction module's own index formula, reproduce MODELS.md §6.2
/// (Satisfaction 72.45, Quality 74.98, Value 62.35, Loyalty 70.91, published to 2 decimals)
/// and agree with the `pls` module's own index computation.
#[test]
fn csi_from_pls_weights_matches_models_md() {
    let pls = crate::pls::fit(
        crm_analytics::pls::InnerScheme::Path,
        crm_analytics::pls::Scaling::Standardized,
    );
    let all = mobi();
    for (construct, items, published) in [
        ("Satisfaction", vec!["CUSA1", "CUSA2", "CUSA3"], 72.45),
        (
            "Quality",
            vec![
                "PERQ1", "PERQ2", "PERQ3", "PERQ4", "PERQ5", "PERQ6", "PERQ7",
            ],
            74.98,
        ),
        ("Value", vec!["PERV1", "PERV2"], 62.35),
        ("Loyalty", vec!["CUSL1", "CUSL2", "CUSL3"], 70.91),
    ] {
        let weights: Vec<f64> = items.iter().map(|i| pls.weight(i).unwrap()).collect();
        let block = all.select(&items).unwrap();
        let csi = SatisfactionIndex::compute(&block, &weights).unwrap();
        assert!(
            (csi.index - published).abs() <= 0.005,
            "{construct}: {}",
            csi.index
        );
        let own = pls.index(construct, 1.0, 10.0).unwrap();
        assert_relative_eq!(csi.index, own.index, max_relative = 1e-10);
    }
}
