//! PLS path modeling against SmartPLS 2.0 (via R semPLS), seminr and MODELS.md §6.2.

use approx::assert_relative_eq;
use crm_analytics::Error;
use crm_analytics::pls::{
    Bootstrap, InnerScheme, MissingPolicy, Mode, Pls, PlsFit, PlsModel, Scaling, SignChange,
};
use nalgebra::DMatrix;
use proptest::prelude::*;
use serde_json::Value;

use crate::common::data;

/// mobi.csv as (column names, 250 x 24 matrix).
fn mobi() -> (Vec<String>, DMatrix<f64>) {
    crate::common::mobi_csv()
}

/// The ECSI model from `mobi/ecsi_model.json` (all blocks mode A).
fn ecsi_model() -> PlsModel {
    let spec: Value = serde_json::from_str(&data("mobi/ecsi_model.json")).unwrap();
    let blocks = spec["blocks_mode_A_reflective"].as_object().unwrap();
    // JSON object order is not guaranteed by serde_json's default map; use the paper's order.
    let order = [
        "Image",
        "Expectation",
        "Quality",
        "Value",
        "Satisfaction",
        "Complaints",
        "Loyalty",
    ];
    let mut model = PlsModel::new();
    for name in order {
        let items: Vec<String> = blocks[name]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        model = model.reflective(name, &items);
    }
    for p in spec["structural_paths_from_to"].as_array().unwrap() {
        model = model.path(p[0].as_str().unwrap(), p[1].as_str().unwrap());
    }
    model
}

fn reference() -> Value {
    serde_json::from_str(&data("mobi/ecsi_pls_reference.json")).unwrap()
}

pub fn fit(scheme: InnerScheme, scaling: Scaling) -> PlsFit {
    let (names, x) = mobi();
    Pls::new()
        .scheme(scheme)
        .scaling(scaling)
        .fit(&ecsi_model(), &x, &names)
        .unwrap()
}

fn split(key: &str) -> (&str, &str) {
    let mut it = key.split("->");
    (it.next().unwrap(), it.next().unwrap())
}

/// SmartPLS 2.0.M3 output (semPLS tests/SmartPLS/results/ecsi/*), printed to 8 decimals:
/// paths, total effects, outer weights and loadings agree to 1e-6 absolute or better.
fn check_smartpls(scheme: InnerScheme, key: &str) {
    let r = reference();
    let r = &r["schemes"][key];
    let fit = fit(scheme, Scaling::Standardized);
    assert!(fit.convergence().converged());
    let mut worst: f64 = 0.0;
    for (k, v) in r["smartpls_path_coefficients"].as_object().unwrap() {
        let (f, t) = split(k);
        let d = (fit.path_coefficient(f, t).unwrap() - v.as_f64().unwrap()).abs();
        worst = worst.max(d);
    }
    for (k, v) in r["smartpls_total_effects"].as_object().unwrap() {
        let (f, t) = split(k);
        worst = worst.max((fit.total_effect(f, t).unwrap() - v.as_f64().unwrap()).abs());
    }
    for (k, v) in r["smartpls_outer_weights"].as_object().unwrap() {
        worst = worst.max((fit.weight(k).unwrap() - v.as_f64().unwrap()).abs());
    }
    for (k, v) in r["smartpls_outer_loadings"].as_object().unwrap() {
        worst = worst.max((fit.loading(k).unwrap() - v.as_f64().unwrap()).abs());
    }
    for (item, row) in r["smartpls_cross_loadings"].as_object().unwrap() {
        let a = fit.item_index(item).unwrap();
        for (c, v) in row.as_object().unwrap() {
            let j = fit.construct_index(c).unwrap();
            worst = worst.max((fit.cross_loadings()[(a, j)] - v.as_f64().unwrap()).abs());
        }
    }
    // R² derived by an independent numpy implementation (matches SmartPLS to 1e-8).
    for (c, v) in r["r_squared_derived_own_implementation"]
        .as_object()
        .unwrap()
    {
        let r2 = fit.r_squared(c).unwrap().unwrap();
        worst = worst.max((r2 - v.as_f64().unwrap()).abs());
    }
    assert!(worst < 1e-7, "{key}: worst abs difference {worst:e}");
}

#[test]
fn mobi_path_scheme_matches_smartpls() {
    check_smartpls(InnerScheme::Path, "path");
}

#[test]
fn mobi_centroid_scheme_matches_smartpls() {
    check_smartpls(InnerScheme::Centroid, "centroid");
}

#[test]
fn mobi_factorial_scheme_matches_smartpls() {
    check_smartpls(InnerScheme::Factorial, "factorial");
}

#[test]
fn mobi_published_path_coefficients_models_md() {
    // MODELS.md §6.2 (SmartPLS, path scheme), 6 decimals; R² Satisfaction .681078.
    let fit = fit(InnerScheme::Path, Scaling::Standardized);
    let cases = [
        ("Image", "Expectation", 0.504914),
        ("Quality", "Satisfaction", 0.512024),
        ("Complaints", "Loyalty", 0.066926),
        ("Satisfaction", "Loyalty", 0.485478),
    ];
    for (f, t, v) in cases {
        assert_relative_eq!(
            fit.path_coefficient(f, t).unwrap(),
            v,
            epsilon = 5e-7,
            max_relative = 0.0
        );
    }
    let r2 = fit.r_squared("Satisfaction").unwrap().unwrap();
    assert!((r2 - 0.681078).abs() < 5e-7, "{r2}");
}

/// Items only centred (R plspm `scaled = FALSE`): paths and R² from the steering session's
/// numpy implementation (converged tightly; we agree to ~1e-12), whose centroid paths equal
/// Python plspm 0.5.7 to 1e-6.
#[test]
fn mobi_unscaled_variant_matches_plspm_convention() {
    let r = reference();
    for (scheme, key) in [
        (InnerScheme::Path, "path"),
        (InnerScheme::Centroid, "centroid"),
        (InnerScheme::Factorial, "factorial"),
    ] {
        let fit = fit(scheme, Scaling::Centered);
        let r = &r["variant_unscaled_mvs"]["schemes"][key];
        for (k, v) in r["path_coefficients"].as_object().unwrap() {
            let (f, t) = split(k);
            let d = (fit.path_coefficient(f, t).unwrap() - v.as_f64().unwrap()).abs();
            assert!(d < 1e-9, "{key} {k}: {d:e}");
        }
        for (c, v) in r["r_squared"].as_object().unwrap() {
            let d = (fit.r_squared(c).unwrap().unwrap() - v.as_f64().unwrap()).abs();
            assert!(d < 1e-9, "{key} R² {c}: {d:e}");
        }
    }
}

#[test]
fn mobi_csi_indices_models_md() {
    // MODELS.md §6.2: Satisfaction 72.45, Quality 74.98, Value 62.35, Loyalty 70.91
    // (path scheme, scale 1..10), published to 2 decimals.
    let fit = fit(InnerScheme::Path, Scaling::Standardized);
    for (c, v) in [
        ("Satisfaction", 72.45),
        ("Quality", 74.98),
        ("Value", 62.35),
        ("Loyalty", 70.91),
    ] {
        let idx = fit.index(c, 1.0, 10.0).unwrap();
        assert!((idx.index - v).abs() <= 0.005, "{c}: {}", idx.index);
        assert_relative_eq!(
            idx.rescaled_weights.iter().sum::<f64>(),
            1.0,
            epsilon = 1e-12
        );
    }
    // The refdata file carries the same indices unrounded and the rescaled weights.
    let r = reference();
    let all = fit.construct_indices(1.0, 10.0).unwrap();
    for ci in &all {
        let want = &r["csi_index_0_100_derived"]["constructs"][&ci.construct];
        assert!((ci.index - want["index_0_100"].as_f64().unwrap()).abs() < 1e-6);
        for (item, u) in ci.items.iter().zip(&ci.rescaled_weights) {
            let w = want["rescaled_weights"][item].as_f64().unwrap();
            assert!((u - w).abs() < 1e-7, "{item}");
        }
    }
    // Respondent-level rescaled scores average to the index.
    let scores = fit.rescaled_scores(1.0, 10.0).unwrap();
    for (j, ci) in all.iter().enumerate() {
        assert_relative_eq!(scores.column(j).mean(), ci.index, epsilon = 1e-9);
    }
}

#[test]
fn mobi_seminr_published_r_squared() {
    // seminr fixture rsquared1.csv (tests/data/telco/README.md §3): Image, Expectation,
    // Value -> Satisfaction, mode A, path weighting: R² .590603, adjusted .585611.
    let (names, x) = mobi();
    let model = PlsModel::new()
        .reflective("Image", &["IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5"])
        .reflective("Expectation", &["CUEX1", "CUEX2", "CUEX3"])
        .reflective("Value", &["PERV1", "PERV2"])
        .reflective("Satisfaction", &["CUSA1", "CUSA2", "CUSA3"])
        .paths(&["Image", "Expectation", "Value"], "Satisfaction");
    let fit = Pls::new().fit(&model, &x, &names).unwrap();
    let r2 = fit.r_squared("Satisfaction").unwrap().unwrap();
    let adj = fit.adj_r_squared("Satisfaction").unwrap().unwrap();
    assert!((r2 - 0.590603).abs() < 5e-7, "{r2}");
    assert!((adj - 0.585611).abs() < 5e-7, "{adj}");
}

#[test]
fn quality_criteria_follow_their_formulas() {
    let fit = fit(InnerScheme::Path, Scaling::Standardized);
    // Hand formulas from the loadings: AVE = mean λ², ρ_C = (Σλ)²/((Σλ)² + Σ(1-λ²)).
    let j = fit.construct_index("Satisfaction").unwrap();
    let l: Vec<f64> = ["CUSA1", "CUSA2", "CUSA3"]
        .iter()
        .map(|i| fit.loading(i).unwrap())
        .collect();
    let ave = l.iter().map(|x| x * x).sum::<f64>() / 3.0;
    let s: f64 = l.iter().sum();
    let cr = s * s / (s * s + l.iter().map(|x| 1.0 - x * x).sum::<f64>());
    assert_relative_eq!(fit.ave()[j], ave, epsilon = 1e-14);
    assert_relative_eq!(fit.composite_reliability()[j], cr, epsilon = 1e-14);
    // Single-item block: loading 1, weight 1 (CUSCO in SmartPLS).
    assert_relative_eq!(fit.weight("CUSCO").unwrap(), 1.0, epsilon = 1e-12);
    // Indirect = total - direct; Image -> Loyalty total from SmartPLS .39873238.
    let (i, l) = (
        fit.construct_index("Image").unwrap(),
        fit.construct_index("Loyalty").unwrap(),
    );
    assert_relative_eq!(
        fit.indirect_effects()[(i, l)],
        0.39873238 - 0.19575534,
        epsilon = 1e-6
    );
    // Path coefficients come with their regression statistics.
    let eq = fit
        .structural_equations()
        .iter()
        .find(|e| e.construct == "Satisfaction")
        .unwrap();
    assert_eq!(
        eq.predecessors,
        ["Image", "Expectation", "Quality", "Value"]
    );
    assert_eq!(eq.ols.df_residual(), 245);
    // GoF = √(mean communality over the 23 items of multi-item blocks (CUSCO excluded) ×
    // mean of the six R²).
    let comm: Vec<f64> = fit
        .items()
        .iter()
        .filter(|i| *i != "CUSCO")
        .map(|i| fit.loading(i).unwrap().powi(2))
        .collect();
    assert_eq!(comm.len(), 23);
    let r2: Vec<f64> = fit.r_squared_all().iter().flatten().copied().collect();
    assert_eq!(r2.len(), 6);
    let want = (comm.iter().sum::<f64>() / 23.0 * r2.iter().sum::<f64>() / 6.0).sqrt();
    assert_relative_eq!(fit.gof().unwrap(), want, epsilon = 1e-14);
    // Redundancy = communality · R².
    let a = fit.item_index("CUSA1").unwrap();
    let r2 = fit.r_squared("Satisfaction").unwrap().unwrap();
    assert_relative_eq!(
        fit.redundancies()[a].unwrap(),
        fit.communalities()[a] * r2,
        epsilon = 1e-15
    );
    assert!(fit.redundancies()[fit.item_index("IMAG1").unwrap()].is_none());
}

#[test]
fn standardised_alpha_matches_seminr_fixtures() {
    // MODELS.md §6.1 / survey_reference.json: seminr 2.3 fixtures IMAG .722835, CUEX .451903,
    // PERV .823632, CUSA .779195 (standardised alpha), full digits in the JSON.
    let fit = fit(InnerScheme::Path, Scaling::Standardized);
    let r: Value = serde_json::from_str(&data("mobi/survey_reference.json")).unwrap();
    for c in ["Image", "Expectation", "Value", "Satisfaction"] {
        let want = r["reliability"][c]["alpha_standardized_seminr_2.3_fixture"]
            .as_f64()
            .unwrap();
        let got = fit.cronbach_alpha()[fit.construct_index(c).unwrap()].unwrap();
        assert_relative_eq!(got, want, max_relative = 1e-12);
    }
    assert!(fit.cronbach_alpha()[fit.construct_index("Complaints").unwrap()].is_none());
    // The centred variant reports the same (scale-free) alpha.
    let centred = self::fit(InnerScheme::Path, Scaling::Centered);
    assert_relative_eq!(
        centred.cronbach_alpha()[0].unwrap(),
        fit.cronbach_alpha()[0].unwrap(),
        max_relative = 1e-12
    );
}

#[test]
fn report_prints_and_serialises() {
    let fit = fit(InnerScheme::Path, Scaling::Standardized);
    let text = fit.to_string();
    assert!(text.contains("Image -> Expectation"));
    assert!(text.contains("converged in"));
    let json = serde_json::to_value(fit.report()).unwrap();
    assert_eq!(json["paths"].as_array().unwrap().len(), 12);
    let full = serde_json::to_value(&fit).unwrap();
    assert!(full["weights"].is_object() || full["weights"].is_array());
}

#[test]
fn ipma_on_mobi_satisfaction() {
    let fit = fit(InnerScheme::Path, Scaling::Standardized);
    let map = fit.ipma("Satisfaction", 1.0, 10.0).unwrap();
    // Predecessors of Satisfaction: Image, Expectation, Quality, Value.
    let names: Vec<&str> = map.rows.iter().map(|r| r.construct.as_str()).collect();
    assert_eq!(names, ["Image", "Expectation", "Quality", "Value"]);
    let q = &map.rows[2];
    assert_relative_eq!(q.total_effect, 0.62076216, epsilon = 1e-6);
    assert_relative_eq!(q.performance, 74.97656691138546, epsilon = 1e-6);
    // Importance is the unstandardised total effect on the 0-100 scores. Value has no
    // indirect path to Satisfaction, so its importance must equal its coefficient in the OLS
    // of the rescaled Satisfaction score on the rescaled scores of its four predecessors.
    let s = fit.rescaled_scores(1.0, 10.0).unwrap();
    let pred = ["Image", "Expectation", "Quality", "Value"];
    let x = DMatrix::from_fn(s.nrows(), 4, |r, c| {
        s[(r, fit.construct_index(pred[c]).unwrap())]
    });
    let y = s
        .column(fit.construct_index("Satisfaction").unwrap())
        .into_owned();
    let ols = crm_analytics::regression::Ols::new().fit(&x, &y).unwrap();
    assert_relative_eq!(
        ols.coefficients()[4],
        map.rows[3].importance,
        epsilon = 1e-9
    );
    assert!(map.to_string().contains("crosshairs"));
    let e = fit.ipma("Image", 1.0, 10.0).unwrap_err();
    assert!(
        e.to_string().contains("no construct has a directed path"),
        "{e}"
    );
}

#[test]
fn bootstrap_is_deterministic_and_thread_independent() {
    let fit = fit(InnerScheme::Path, Scaling::Standardized);
    let b1 = Bootstrap::new().resamples(60).seed(11).run(&fit).unwrap();
    let b3 = Bootstrap::new()
        .resamples(60)
        .seed(11)
        .threads(3)
        .run(&fit)
        .unwrap();
    assert_eq!(b1.paths(), b3.paths());
    assert_eq!(b1.loadings(), b3.loadings());
    assert_eq!(b1.weights(), b3.weights());
    assert_eq!(b1.total_effects(), b3.total_effects());
    // A single-item block has weight and loading 1 in every resample: no SE, no t.
    let cusco = b1.weights().iter().find(|e| e.label == "CUSCO").unwrap();
    assert!(cusco.std_error.is_none() && cusco.t_value.is_none());
    let other = Bootstrap::new().resamples(60).seed(12).run(&fit).unwrap();
    assert_ne!(b1.paths()[0].std_error, other.paths()[0].std_error);
    assert_eq!(b1.successful() + b1.failed(), 60);
    assert_eq!(b1.paths().len(), 12);
    assert_eq!(b1.loadings().len(), 24);
    assert_eq!(b1.weights().len(), 24);
    assert_eq!(b1.total_effects().len(), 21);
    let p = b1.path("Image", "Expectation").unwrap();
    assert_relative_eq!(p.original, 0.50491393, epsilon = 1e-6);
    // A strong path: SE well below the estimate, interval excludes 0.
    assert!(p.std_error.unwrap() < 0.1 && p.ci_lower > 0.3 && p.ci_upper < 0.7);
    assert!(b1.total_effect("Image", "Loyalty").is_some());
    assert!(b1.to_string().contains("Path coefficients"));
    let cl = Bootstrap::new()
        .resamples(30)
        .sign_change(SignChange::ConstructLevel)
        .run(&fit)
        .unwrap();
    assert_eq!(cl.successful(), 30);
    let ind = Bootstrap::new()
        .resamples(30)
        .sign_change(SignChange::Individual)
        .run(&fit)
        .unwrap();
    assert!(ind.paths().iter().all(|e| e.ci_lower * e.original >= 0.0));
}

#[test]
fn bootstrap_errors() {
    let fit = fit(InnerScheme::Path, Scaling::Standardized);
    let e = Bootstrap::new().resamples(1).run(&fit).unwrap_err();
    assert_eq!(e.to_string(), "option `resamples` must be >= 2, got 1");
    let e = Bootstrap::new()
        .confidence_level(1.0)
        .run(&fit)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "option `confidence_level` must be in (0, 1), got 1"
    );
}

#[test]
fn missing_data_policies() {
    let (names, mut x) = mobi();
    x[(3, 0)] = f64::NAN;
    x[(10, 20)] = f64::NAN;
    let model = ecsi_model();
    let e = Pls::new().fit(&model, &x, &names).unwrap_err();
    assert!(matches!(e, Error::NonFinite { row: 3, col: 0, .. }), "{e}");
    let lw = Pls::new()
        .missing(MissingPolicy::Listwise)
        .fit(&model, &x, &names)
        .unwrap();
    assert_eq!(lw.nobs(), 248);
    assert!(!lw.rows_used().contains(&3) && !lw.rows_used().contains(&10));
    // Listwise equals a fit on the data with the two rows removed.
    let keep: Vec<usize> = (0..250).filter(|&r| r != 3 && r != 10).collect();
    let sub = DMatrix::from_fn(248, 24, |r, c| x[(keep[r], c)]);
    let direct = Pls::new().fit(&model, &sub, &names).unwrap();
    assert_relative_eq!(lw.weights(), direct.weights(), epsilon = 1e-14);
    let mr = Pls::new()
        .missing(MissingPolicy::MeanReplacement)
        .fit(&model, &x, &names)
        .unwrap();
    assert_eq!(mr.nobs(), 250);
    assert_eq!(mr.values_replaced(), 2);
    // Mean replacement leaves the item mean unchanged (hand check on IMAG1).
    let (_, orig) = mobi();
    let observed: f64 = (0..250)
        .filter(|&r| r != 3)
        .map(|r| orig[(r, 0)])
        .sum::<f64>()
        / 249.0;
    assert_relative_eq!(mr.item_means()[0], observed, epsilon = 1e-12);
    // Infinity is never a missing value.
    x[(5, 5)] = f64::INFINITY;
    let e = Pls::new()
        .missing(MissingPolicy::MeanReplacement)
        .fit(&model, &x, &names)
        .unwrap_err();
    assert!(matches!(e, Error::NonFinite { row: 5, col: 5, .. }), "{e}");
}

#[test]
fn non_convergence_is_typed_and_keeps_the_estimate() {
    let (names, x) = mobi();
    let model = ecsi_model();
    let fit = Pls::new()
        .max_iterations(2)
        .fit(&model, &x, &names)
        .unwrap();
    assert!(!fit.convergence().converged());
    assert_eq!(fit.convergence().iterations, 2);
    assert!(fit.convergence().last_change > fit.convergence().tolerance);
    // The last estimate is there and already close to the converged one.
    assert!((fit.path_coefficient("Image", "Expectation").unwrap() - 0.5049).abs() < 0.01);
    let e = Pls::new()
        .max_iterations(2)
        .require_convergence(true)
        .fit(&model, &x, &names)
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("PLS path model did not converge in 2 iterations"),
        "{e}"
    );
}

#[test]
fn input_errors_name_the_problem() {
    let (names, x) = mobi();
    let model = ecsi_model();
    let e = Pls::new().fit(&model, &x, &names[..23]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "dimension mismatch in column names (must equal columns of `data`): expected 24, found 23"
    );
    let bad = ecsi_model()
        .reflective("Extra", &["NOPE"])
        .path("Extra", "Loyalty");
    let e = Pls::new().fit(&bad, &x, &names).unwrap_err();
    assert_eq!(
        e.to_string(),
        "unknown item (not among the data's columns) `NOPE`"
    );
    let e = Pls::new()
        .tolerance(0.0)
        .fit(&model, &x, &names)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "option `tolerance` must be finite and > 0, got 0"
    );
    let cyc = ecsi_model().path("Loyalty", "Image");
    let e = Pls::new().fit(&cyc, &x, &names).unwrap_err();
    assert!(e.to_string().contains("the paths form a cycle"), "{e}");
    let mut flat = x.clone();
    flat.column_mut(0).fill(5.0);
    let e = Pls::new().fit(&model, &flat, &names).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid PLS data: item `IMAG1` has zero variance, so it cannot be scaled or weighted"
    );
    let e = Pls::new()
        .fit(&model, &x.rows(0, 2).into_owned(), &names)
        .unwrap_err();
    assert!(matches!(e, Error::TooFewObservations { .. }), "{e}");
}

#[test]
fn mode_b_block_estimates_regression_weights() {
    // Mode B weights are regression weights: the construct score equals the fitted values
    // of regressing its inner estimate on the items. With a single neighbour, the inner
    // estimate is ±that neighbour's score; check Quality (formative) vs Satisfaction.
    let (names, x) = mobi();
    let model = PlsModel::new()
        .block(
            "Quality",
            &[
                "PERQ1", "PERQ2", "PERQ3", "PERQ4", "PERQ5", "PERQ6", "PERQ7",
            ],
            Mode::B,
        )
        .reflective("Satisfaction", &["CUSA1", "CUSA2", "CUSA3"])
        .path("Quality", "Satisfaction");
    let fit = Pls::new().fit(&model, &x, &names).unwrap();
    let s = fit.scores();
    let q = fit.construct_index("Quality").unwrap();
    let sat = fit.construct_index("Satisfaction").unwrap();
    let items = DMatrix::from_fn(250, 7, |r, c| {
        let col = names
            .iter()
            .position(|n| *n == format!("PERQ{}", c + 1))
            .unwrap();
        x[(r, col)]
    });
    let ols = crm_analytics::regression::Ols::new()
        .fit(&items, &s.column(sat).into_owned())
        .unwrap();
    let fitted = ols.fitted_values();
    let sd = (fitted.variance() * 250.0 / 249.0).sqrt();
    let mean = fitted.mean();
    for r in 0..250 {
        assert_relative_eq!(s[(r, q)], (fitted[r] - mean) / sd, epsilon = 1e-7);
    }
    // With one predecessor the mode B R² is the squared multiple correlation of the
    // regression above.
    assert_relative_eq!(
        fit.r_squared("Satisfaction").unwrap().unwrap(),
        ols.r_squared(),
        epsilon = 1e-9
    );
}

/// The ECSI model with the items of each block rotated by `shift[j]` and reversed if odd.
fn permuted_model(shift: &[usize]) -> PlsModel {
    let mut m = PlsModel::new();
    for (j, b) in ecsi_model().blocks().iter().enumerate() {
        let mut items = b.items.clone();
        let len = items.len();
        items.rotate_left(shift[j] % len);
        if shift[j] % 2 == 1 {
            items.reverse();
        }
        m = m.block(&b.construct, &items, b.mode);
    }
    for (f, t) in ecsi_model().structural_paths() {
        m = m.path(f, t);
    }
    m
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Pls>();
    check::<PlsModel>();
    check::<PlsFit>();
    check::<Bootstrap>();
    check::<crm_analytics::pls::BootstrapFit>();
    check::<crm_analytics::pls::PlsReport>();
    check::<crm_analytics::pls::Ipma>();
    check::<crm_analytics::pls::ConstructIndex>();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn invariant_to_item_order_within_blocks(
        shift in proptest::collection::vec(0usize..8, 7),
        scheme in prop_oneof![Just(InnerScheme::Path), Just(InnerScheme::Centroid), Just(InnerScheme::Factorial)],
    ) {
        let (names, x) = mobi();
        let a = Pls::new().scheme(scheme).fit(&ecsi_model(), &x, &names).unwrap();
        let b = Pls::new().scheme(scheme).fit(&permuted_model(&shift), &x, &names).unwrap();
        for item in a.items() {
            prop_assert!((a.weight(item).unwrap() - b.weight(item).unwrap()).abs() < 1e-10);
            prop_assert!((a.loading(item).unwrap() - b.loading(item).unwrap()).abs() < 1e-10);
        }
        prop_assert!((a.direct_effects() - b.direct_effects()).amax() < 1e-10);
    }

    #[test]
    fn invariant_to_row_order(seed in any::<u64>()) {
        let (names, x) = mobi();
        let mut order: Vec<usize> = (0..250).collect();
        // Fisher-Yates with a tiny LCG driven by the seed.
        let mut s = seed | 1;
        for i in (1..250).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            order.swap(i, (s >> 33) as usize % (i + 1));
        }
        let y = DMatrix::from_fn(250, 24, |r, c| x[(order[r], c)]);
        let a = Pls::new().fit(&ecsi_model(), &x, &names).unwrap();
        let b = Pls::new().fit(&ecsi_model(), &y, &names).unwrap();
        prop_assert!((a.weights() - b.weights()).amax() < 1e-10);
        prop_assert!((a.direct_effects() - b.direct_effects()).amax() < 1e-10);
    }

    #[test]
    fn scores_have_unit_variance_when_scaled(
        seed in any::<u64>(),
        scheme in prop_oneof![Just(InnerScheme::Path), Just(InnerScheme::Centroid), Just(InnerScheme::Factorial)],
    ) {
        // Random synthetic survey with the ECSI structure.
        let (names, x) = mobi();
        let mut s = seed | 1;
        let noise = DMatrix::from_fn(250, 24, |_, _| {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((s >> 40) % 3) as f64 - 1.0
        });
        let y = &x + noise;
        if let Ok(fit) = Pls::new().scheme(scheme).fit(&ecsi_model(), &y, &names) {
            for j in 0..7 {
                let c = fit.scores().column(j);
                let var = c.variance() * 250.0 / 249.0;
                prop_assert!((var - 1.0).abs() < 1e-10);
                prop_assert!(c.mean().abs() < 1e-10);
            }
        }
    }
}

/// Small arbitrary specs on arbitrary data (NaN and infinities included): Ok or typed Err.
/// (constructs, paths, owner of each of 6 items, cells row-major, missing policy).
type Case = (usize, Vec<(usize, usize)>, Vec<usize>, Vec<f64>, usize);

fn arbitrary_case() -> impl Strategy<Value = Case> {
    (
        1usize..6,
        proptest::collection::vec((0usize..5, 0usize..5), 0..8),
        proptest::collection::vec(0usize..4, 6),
        proptest::collection::vec(
            prop_oneof![
                8 => -5.0f64..5.0,
                1 => Just(f64::NAN),
                1 => Just(f64::INFINITY),
                1 => Just(0.0),
            ],
            0..60,
        ),
        0usize..3,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn no_panic_on_arbitrary_specs_and_data((k, paths, owners, cells, policy) in arbitrary_case()) {
        let p = 6;
        let names: Vec<String> = (0..p).map(|i| format!("x{i}")).collect();
        let mut model = PlsModel::new();
        for j in 0..k {
            let items: Vec<&str> = (0..p).filter(|&i| owners[i] == j).map(|i| names[i].as_str()).collect();
            model = if j % 2 == 0 { model.reflective(&format!("C{j}"), &items) } else { model.formative(&format!("C{j}"), &items) };
        }
        for (f, t) in paths {
            model = model.path(&format!("C{f}"), &format!("C{t}"));
        }
        let n = cells.len() / p;
        let x = DMatrix::from_fn(n, p, |r, c| cells[r * p + c]);
        let missing = [MissingPolicy::Reject, MissingPolicy::Listwise, MissingPolicy::MeanReplacement][policy];
        if let Ok(fit) = Pls::new().missing(missing).fit(&model, &x, &names) {
            let _ = fit.to_string();
            let _ = fit.construct_indices(-5.0, 5.0);
            prop_assert!(fit.weights().iter().all(|w| w.is_finite()));
            let _ = Bootstrap::new().resamples(3).run(&fit);
        }
    }
}
