//! Regression engine against hand calculations and published references.

use approx::assert_relative_eq;
use crm_analytics::Error;
use crm_analytics::regression::{
    CovarianceType, Ols, RelativeImportance, Selection, SelectionMethod,
};
use nalgebra::{DMatrix, DVector};

use crate::common::{EXACT, TIGHT, lre};

#[test]
fn three_by_two_design_by_hand() {
    // y = 1 + 2 x1 - x2 exactly on a 3x2 design (n = 4 so that df_resid = 1):
    // rows (x1, x2): (0,0), (1,0), (0,1), (1,1) -> y = 1, 3, 0, 2; perfect fit.
    let x = DMatrix::from_row_slice(4, 2, &[0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 1.0]);
    let y = DVector::from_vec(vec![1.0, 3.0, 0.0, 2.0]);
    let fit = Ols::new().intercept(true).fit(&x, &y).unwrap();
    assert_relative_eq!(fit.coefficients()[0], 1.0, epsilon = EXACT);
    assert_relative_eq!(fit.coefficients()[1], 2.0, epsilon = EXACT);
    assert_relative_eq!(fit.coefficients()[2], -1.0, epsilon = EXACT);
    assert!(fit.residual_std_error() < 1e-14);
}

#[test]
fn errors_are_pinned_by_message() {
    let x = DMatrix::from_row_slice(3, 1, &[1.0, 2.0, 3.0]);
    let y = DVector::from_vec(vec![1.0, 2.0]);
    let e = Ols::new().fit(&x, &y).unwrap_err();
    assert_eq!(
        e.to_string(),
        "dimension mismatch in rows of `y` (must equal rows of `x`): expected 3, found 2"
    );

    let x = DMatrix::from_row_slice(3, 1, &[1.0, f64::NAN, 3.0]);
    let y = DVector::from_vec(vec![1.0, 2.0, 4.0]);
    let e = Ols::new().fit(&x, &y).unwrap_err();
    assert_eq!(
        e.to_string(),
        "`x` has a non-finite value (NaN) at row 1, column 0"
    );

    let x = DMatrix::from_row_slice(2, 1, &[1.0, 2.0]);
    let y = DVector::from_vec(vec![1.0, 2.0]);
    let e = Ols::new().fit(&x, &y).unwrap_err();
    assert_eq!(
        e.to_string(),
        "OLS with 2 parameters needs at least 3 observations, got 2"
    );

    let x = DMatrix::from_row_slice(4, 2, &[1.0, 2.0, 2.0, 4.0, 3.0, 6.0, 4.0, 8.0]);
    let y = DVector::from_vec(vec![1.0, 2.0, 2.0, 5.0]);
    let e = Ols::new()
        .fit_named(&x, &y, &["arpu", "arpu_x2"])
        .unwrap_err();
    assert_eq!(
        e,
        Error::RankDeficient {
            columns: vec!["arpu".into(), "arpu_x2".into()]
        }
    );
}

// ---------------------------------------------------------------------------------------
// mobi (Tenenhaus et al. 2005 ECSI survey, n = 250): OLS of the mean-item Satisfaction
// score on Image, Expectation, Quality and Value. Reference: statsmodels 0.15.0, stored in
// tests/data/mobi/survey_reference.json (computed independently of this crate).
// ---------------------------------------------------------------------------------------

const MOBI_BLOCKS: [(&str, &[&str]); 5] = [
    ("Image", &["IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5"]),
    ("Expectation", &["CUEX1", "CUEX2", "CUEX3"]),
    (
        "Quality",
        &[
            "PERQ1", "PERQ2", "PERQ3", "PERQ4", "PERQ5", "PERQ6", "PERQ7",
        ],
    ),
    ("Value", &["PERV1", "PERV2"]),
    ("Satisfaction", &["CUSA1", "CUSA2", "CUSA3"]),
];
const MOBI_PREDICTORS: [&str; 4] = ["Image", "Expectation", "Quality", "Value"];

/// Construct scores (mean of items) of the mobi survey: (x = 4 predictors, y = Satisfaction).
pub(crate) fn mobi_scores() -> (DMatrix<f64>, DVector<f64>) {
    let text = crate::common::data("mobi/mobi.csv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<f64>> = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').map(|v| v.trim().parse().unwrap()).collect())
        .collect();
    let n = rows.len();
    let score = |items: &[&str]| -> Vec<f64> {
        let idx: Vec<usize> = items
            .iter()
            .map(|it| header.iter().position(|h| h == it).unwrap())
            .collect();
        rows.iter()
            .map(|r| idx.iter().map(|&i| r[i]).sum::<f64>() / idx.len() as f64)
            .collect()
    };
    let mut x = DMatrix::zeros(n, 4);
    for (j, (_, items)) in MOBI_BLOCKS[..4].iter().enumerate() {
        x.set_column(j, &DVector::from_vec(score(items)));
    }
    let y = DVector::from_vec(score(MOBI_BLOCKS[4].1));
    (x, y)
}

fn mobi_reference() -> serde_json::Value {
    let v: serde_json::Value =
        serde_json::from_str(&crate::common::data("mobi/survey_reference.json")).unwrap();
    v["unit_weighted_regression"].clone()
}

fn by_name(v: &serde_json::Value, names: &[&str]) -> Vec<f64> {
    names.iter().map(|n| v[*n].as_f64().unwrap()).collect()
}

#[test]
fn mobi_matches_statsmodels() {
    let (x, y) = mobi_scores();
    let r = mobi_reference();
    let fit = Ols::new().fit_named(&x, &y, &MOBI_PREDICTORS).unwrap();
    let params = ["const", "Image", "Expectation", "Quality", "Value"];
    // statsmodels prints 16-17 significant digits; a different QR agrees to ~1e-12.
    let check = |got: &[f64], want: &[f64]| {
        for (g, w) in got.iter().zip(want) {
            assert_relative_eq!(*g, *w, max_relative = TIGHT);
        }
    };
    check(
        fit.coefficients().as_slice(),
        &by_name(&r["coefficients"], &params),
    );
    check(
        fit.std_errors().as_slice(),
        &by_name(&r["std_errors"], &params),
    );
    check(fit.t_values().as_slice(), &by_name(&r["t_values"], &params));
    check(fit.p_values().as_slice(), &by_name(&r["p_values"], &params));
    check(
        fit.standardized_coefficients().as_slice(),
        &by_name(&r["standardized_betas"], &MOBI_PREDICTORS),
    );
    check(fit.vif().as_slice(), &by_name(&r["vif"], &MOBI_PREDICTORS));
    assert_relative_eq!(
        fit.r_squared(),
        r["r_squared"].as_f64().unwrap(),
        max_relative = TIGHT
    );
    assert_relative_eq!(
        fit.adj_r_squared(),
        r["adj_r_squared"].as_f64().unwrap(),
        max_relative = TIGHT
    );
    assert_relative_eq!(
        fit.f_statistic().unwrap(),
        r["f_statistic"].as_f64().unwrap(),
        max_relative = TIGHT
    );
    assert_relative_eq!(
        fit.f_p_value().unwrap(),
        r["f_p_value"].as_f64().unwrap(),
        max_relative = 1e-6
    );
    assert_relative_eq!(
        fit.residual_std_error(),
        r["residual_std_error"].as_f64().unwrap(),
        max_relative = TIGHT
    );
    assert_relative_eq!(
        fit.durbin_watson().unwrap(),
        r["durbin_watson"].as_f64().unwrap(),
        max_relative = TIGHT
    );
    assert_eq!(fit.df_residual(), 245);

    let hc3 = Ols::new()
        .covariance(CovarianceType::HC3)
        .fit_named(&x, &y, &MOBI_PREDICTORS)
        .unwrap();
    check(
        hc3.std_errors().as_slice(),
        &by_name(&r["hc3_std_errors"], &params),
    );
}

// ---------------------------------------------------------------------------------------
// Body fat (Kutner, Nachtsheim, Neter & Li, Applied Linear Statistical Models, 5th ed.,
// Table 7.1; n = 20): bodyfat on triceps, thigh, midarm, a classic of near-collinearity.
// Reference: SYSTAT 7 output (MGLH, print=long) published in the UNC SOCI 709 notes,
// "Advanced collinearity diagnostics for body fat example",
// http://nielsen.sites.oasis.unc.edu/soci709/m11/m11009.html. Its "unit scaled X'X" is
// the scaled, uncentred cross-product matrix with the constant that SPSS also uses.
// ---------------------------------------------------------------------------------------

const BODYFAT: [[f64; 4]; 20] = [
    [19.5, 43.1, 29.1, 11.9],
    [24.7, 49.8, 28.2, 22.8],
    [30.7, 51.9, 37.0, 18.7],
    [29.8, 54.3, 31.1, 20.1],
    [19.1, 42.2, 30.9, 12.9],
    [25.6, 53.9, 23.7, 21.7],
    [31.4, 58.5, 27.6, 27.1],
    [27.9, 52.1, 30.6, 25.4],
    [22.1, 49.9, 23.2, 21.3],
    [25.5, 53.5, 24.8, 19.3],
    [31.1, 56.6, 30.0, 25.4],
    [30.4, 56.7, 28.3, 27.2],
    [18.7, 46.5, 23.0, 11.7],
    [19.7, 44.2, 28.6, 17.8],
    [14.6, 42.7, 21.3, 12.8],
    [29.5, 54.4, 30.1, 23.9],
    [27.7, 55.3, 25.7, 22.6],
    [30.2, 58.6, 24.6, 25.4],
    [22.7, 48.2, 27.1, 14.8],
    [25.2, 51.0, 27.5, 21.1],
];
const BODYFAT_NAMES: [&str; 3] = ["triceps", "thigh", "midarm"];

fn bodyfat() -> (DMatrix<f64>, DVector<f64>) {
    let x = DMatrix::from_fn(20, 3, |i, j| BODYFAT[i][j]);
    let y = DVector::from_fn(20, |i, _| BODYFAT[i][3]);
    (x, y)
}

/// Published to 6 decimals: agreement to half a unit in the last place.
fn six_dp(got: f64, want: f64) {
    assert!(
        (got - want).abs() <= 5.000_001e-7 * want.abs().max(1.0),
        "got {got}, published {want}"
    );
}

#[test]
fn bodyfat_coefficients_and_anova_match_systat() {
    let (x, y) = bodyfat();
    let fit = Ols::new().fit_named(&x, &y, &BODYFAT_NAMES).unwrap();
    let report = fit.report();
    for (got, want) in fit
        .coefficients()
        .iter()
        .zip([117.084695, 4.334092, -2.856848, -2.186060])
    {
        six_dp(*got, want);
    }
    for (got, want) in fit
        .std_errors()
        .iter()
        .zip([99.782403, 3.015511, 2.582015, 1.595499])
    {
        six_dp(*got, want);
    }
    for (got, want) in fit
        .standardized_coefficients()
        .iter()
        .zip([4.263705, -2.928701, -1.561417])
    {
        six_dp(*got, want);
    }
    for (got, want) in fit.tolerance().iter().zip([0.001411, 0.001772, 0.009560]) {
        six_dp(*got, want);
    }
    six_dp(fit.multiple_r(), 0.895186);
    six_dp(fit.r_squared(), 0.801359);
    six_dp(fit.adj_r_squared(), 0.764113);
    six_dp(fit.residual_std_error(), 2.479981);
    six_dp(report.anova.regression.sum_of_squares, 396.984612);
    six_dp(report.anova.residual.sum_of_squares, 98.404888);
    six_dp(report.anova.regression.mean_square.unwrap(), 132.328204);
    six_dp(report.anova.residual.mean_square.unwrap(), 6.150306);
    six_dp(report.anova.f.unwrap(), 21.515712);
    six_dp(report.anova.p_value.unwrap(), 0.000007);
    assert_eq!(
        (report.anova.regression.df, report.anova.residual.df),
        (3, 16)
    );
    // 95% intervals (published: CONSTANT -94.444551 .. 328.613941, THIGH -8.330476 .. 2.616780).
    let ci = fit.conf_int(0.95).unwrap();
    six_dp(ci[0].0, -94.444551);
    six_dp(ci[0].1, 328.613941);
    six_dp(ci[2].0, -8.330476);
    six_dp(ci[2].1, 2.616780);
    // Two-tailed p values, published to 5 decimals: 0.25781, 0.16991, 0.28489, 0.18956.
    for (got, want) in fit
        .p_values()
        .iter()
        .zip([0.25781, 0.16991, 0.28489, 0.18956])
    {
        assert!((got - want).abs() <= 5e-6, "p {got} vs {want}");
    }
}

#[test]
fn bodyfat_collinearity_diagnostics_match_systat() {
    let (x, y) = bodyfat();
    let cd = Ols::new()
        .fit_named(&x, &y, &BODYFAT_NAMES)
        .unwrap()
        .collinearity_diagnostics()
        .unwrap();
    assert_eq!(cd.parameters, ["(Constant)", "triceps", "thigh", "midarm"]);
    for (got, want) in cd
        .eigenvalues
        .iter()
        .zip([3.967957, 0.020523, 0.011512, 0.000009])
    {
        assert!((got - want).abs() <= 5e-7, "eigenvalue {got} vs {want}");
    }
    for (got, want) in cd
        .condition_indices
        .iter()
        .zip([1.0, 13.904816, 18.565705, 677.372065])
    {
        six_dp(*got, want);
    }
    // Published variance proportions, rows = parameters, columns = dimensions 1..4.
    let published = [
        [0.000002, 0.000372, 0.000599, 0.999027],
        [0.000003, 0.001319, 0.000219, 0.998459],
        [0.000001, 0.000033, 0.000326, 0.999641],
        [0.000010, 0.001389, 0.006934, 0.991668],
    ];
    for (j, row) in published.iter().enumerate() {
        for (m, want) in row.iter().enumerate() {
            let got = cd.variance_proportions[m][j];
            assert!((got - want).abs() <= 5e-7, "π[{m}][{j}] = {got} vs {want}");
        }
    }
}

#[test]
fn bodyfat_selection_follows_published_partial_tests() {
    let (x, y) = bodyfat();
    // Backward from the full model (PIN 0.05, POUT 0.10): every p in the full model exceeds
    // 0.10 and the largest is thigh's (SYSTAT: t = -1.10644, p = 0.28489), so thigh leaves
    // first with F to remove = t² = 1.224209.
    let back = Selection::new()
        .method(SelectionMethod::Backward)
        .run(&x, &y, &BODYFAT_NAMES)
        .unwrap();
    assert_eq!(back.steps[0].entered.len(), 3);
    assert_eq!(back.steps[1].removed, ["thigh"]);
    let f = back.steps[1].f_statistic.unwrap();
    assert!((f - 1.10644f64.powi(2)).abs() < 1e-4, "F to remove {f}");
    assert!((back.steps[1].p_value.unwrap() - 0.28489).abs() < 5e-6);

    // Forward: thigh has the largest simple R² (Kutner Table 7.2: SSR(X2) = 381.97 of
    // SSTO = 495.39, SSE(X2) = 113.42 on 18 df), so it enters first with
    // F = 381.97 / (113.42 / 18) = 60.62. Given thigh, triceps adds SSR(X1|X2) = 3.47
    // with SSE(X1,X2) = 109.95 on 17 df: F = 0.54, p ≈ 0.47 > PIN, so it does not enter.
    let fwd = Selection::new()
        .method(SelectionMethod::Forward)
        .run(&x, &y, &BODYFAT_NAMES)
        .unwrap();
    assert_eq!(fwd.steps[0].entered, ["thigh"]);
    assert_relative_eq!(
        fwd.steps[0].f_statistic.unwrap(),
        381.97 / (113.42 / 18.0),
        max_relative = 2e-4
    );
    assert!(!fwd.final_variables().contains(&"triceps".to_string()));
    // Excluded Variables after step 1: triceps given thigh has t = b1/SE = 0.2224/0.3034
    // (Kutner Table 7.2, model X1, X2) = 0.733 and partial r² = SSR(X1|X2)/SSE(X2)
    // = 3.47/113.42 = 0.0306 (Kutner: r²_Y1|2 = .031).
    let triceps = fwd.steps[0]
        .excluded
        .iter()
        .find(|e| e.name == "triceps")
        .unwrap();
    assert_relative_eq!(triceps.t.unwrap(), 0.2224 / 0.3034, max_relative = 1e-3);
    assert_relative_eq!(
        triceps.partial.unwrap().powi(2),
        3.47 / 113.42,
        max_relative = 3e-3
    );
    assert!(triceps.tolerance.unwrap() < 0.2); // r(X1, X2) = 0.924
    // Stepwise with the same data never ends with a predictor whose p exceeds POUT.
    let sw = Selection::new()
        .method(SelectionMethod::Stepwise)
        .run(&x, &y, &BODYFAT_NAMES)
        .unwrap();
    let last = sw.final_fit().unwrap();
    assert!(last.p_values().iter().skip(1).all(|p| *p <= 0.10));
}

// ---------------------------------------------------------------------------------------
// Relative importance
// ---------------------------------------------------------------------------------------

#[test]
fn johnson_weights_two_predictors_by_hand() {
    // With two predictors of correlation r, R_xx = [[1, r], [r, 1]] has eigenvalues 1 ± r
    // and eigenvectors (1, ±1)/√2, so Λ* = R_xx^½ = [[a, b], [b, a]] with
    // a = (√(1+r) + √(1-r))/2, b = (√(1+r) - √(1-r))/2. β = Λ*^-1 r_xy and
    // ε_1 = a² β_1² + b² β_2², ε_2 = b² β_1² + a² β_2² (Johnson 2000, eq. 4-6).
    let (x, y) = bodyfat();
    let x = x.columns(0, 2).into_owned();
    let fit = Ols::new().fit(&x, &y).unwrap();
    let c = fit.correlation_matrix();
    let (r, r1, r2) = (c[(0, 1)], c[(0, 2)], c[(1, 2)]);
    let (sp, sm) = ((1.0 + r).sqrt(), (1.0 - r).sqrt());
    let (a, b) = ((sp + sm) / 2.0, (sp - sm) / 2.0);
    let det = a * a - b * b;
    let beta1 = (a * r1 - b * r2) / det;
    let beta2 = (a * r2 - b * r1) / det;
    let jw = RelativeImportance::johnson(&x, &y, &["triceps", "thigh"]).unwrap();
    assert_relative_eq!(
        jw.contributions()[0],
        a * a * beta1 * beta1 + b * b * beta2 * beta2,
        max_relative = 1e-10
    );
    assert_relative_eq!(
        jw.contributions()[1],
        b * b * beta1 * beta1 + a * a * beta2 * beta2,
        max_relative = 1e-10
    );
    assert_relative_eq!(
        jw.contributions().iter().sum::<f64>(),
        fit.r_squared(),
        max_relative = 1e-12
    );
}

#[test]
fn lmg_bodyfat_two_predictors_is_the_average_of_the_two_orders() {
    // Kutner Table 7.2: SSTO = 495.39, SSR(X1) = 352.27, SSR(X2) = 381.97,
    // SSR(X1, X2) = 385.44. Order (X1, X2) credits X1 with 352.27; order (X2, X1) with
    // 385.44 - 381.97 = 3.47. LMG(X1) = (352.27 + 3.47)/2 / 495.39 = 0.359055;
    // LMG(X2) = (381.97 + 33.17)/2 / 495.39 = 0.419003.
    let (x, y) = bodyfat();
    let imp =
        RelativeImportance::lmg(&x.columns(0, 2).into_owned(), &y, &["triceps", "thigh"]).unwrap();
    assert_relative_eq!(
        imp.contributions()[0],
        (352.27 + 3.47) / 2.0 / 495.39,
        max_relative = 2e-4
    );
    assert_relative_eq!(
        imp.contributions()[1],
        (381.97 + 33.17) / 2.0 / 495.39,
        max_relative = 2e-4
    );
}

#[test]
fn lmg_three_predictors_by_hand_from_subset_fits() {
    // With three predictors the six orders give x1 the weights 1/3 (entering first),
    // 1/6 + 1/6 (second, after x2 or after x3) and 1/3 (last):
    // LMG_1 = R²(1)/3 + (R²(12) - R²(2))/6 + (R²(13) - R²(3))/6 + (R²(123) - R²(23))/3.
    let (x, y) = bodyfat();
    let r2 = |cols: &[usize]| {
        Ols::new()
            .fit(&x.select_columns(cols.iter()), &y)
            .unwrap()
            .r_squared()
    };
    let lmg1 = r2(&[0]) / 3.0
        + (r2(&[0, 1]) - r2(&[1])) / 6.0
        + (r2(&[0, 2]) - r2(&[2])) / 6.0
        + (r2(&[0, 1, 2]) - r2(&[1, 2])) / 3.0;
    let imp = RelativeImportance::lmg(&x, &y, &BODYFAT_NAMES).unwrap();
    assert_relative_eq!(imp.contributions()[0], lmg1, max_relative = 1e-10);
    assert_relative_eq!(
        imp.contributions().iter().sum::<f64>(),
        r2(&[0, 1, 2]),
        max_relative = 1e-12
    );
    assert_eq!(imp.contribution_of("triceps"), Some(imp.contributions()[0]));
}

#[test]
fn lmg_limit_error_is_pinned() {
    let x = DMatrix::<f64>::zeros(40, 16);
    let y = DVector::<f64>::zeros(40);
    let names: Vec<String> = (0..16).map(|i| format!("v{i}")).collect();
    let e = RelativeImportance::lmg(&x, &y, &names).unwrap_err();
    assert_eq!(
        e.to_string(),
        "exact LMG predictors: 16 exceeds the limit of 15; use Johnson's relative weights \
         (RelativeImportance::johnson), which approximate LMG closely at O(k³) cost"
    );
}

// ---------------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------------

mod props {
    use approx::assert_relative_eq;
    use crm_analytics::regression::{
        Ols, RSquaredChange, RelativeImportance, Selection, SelectionMethod,
    };
    use nalgebra::{DMatrix, DVector};
    use proptest::prelude::*;

    /// A well-conditioned design: n in 8..30, k in 1..4, entries in [-10, 10].
    fn design() -> impl Strategy<Value = (DMatrix<f64>, Vec<f64>, DVector<f64>)> {
        (8usize..30, 1usize..5).prop_flat_map(|(n, k)| {
            (
                proptest::collection::vec(-10.0f64..10.0, n * k)
                    .prop_map(move |v| DMatrix::from_vec(n, k, v)),
                proptest::collection::vec(-5.0f64..5.0, k + 1),
                proptest::collection::vec(-1.0f64..1.0, n).prop_map(DVector::from_vec),
            )
        })
    }

    /// Any cell: ordinary values, exact duplicates, zeros, NaN and infinities.
    fn wild_cell() -> impl Strategy<Value = f64> {
        prop_oneof![
            6 => -1e3f64..1e3,
            1 => Just(0.0),
            1 => Just(1.0),
            1 => Just(f64::NAN),
            1 => Just(f64::INFINITY),
            1 => Just(f64::NEG_INFINITY),
            1 => Just(1e300),
        ]
    }

    fn wild() -> impl Strategy<Value = (DMatrix<f64>, DVector<f64>, DMatrix<f64>)> {
        (0usize..7, 0usize..5, any::<bool>()).prop_flat_map(|(n, k, dup)| {
            (
                proptest::collection::vec(wild_cell(), n * k).prop_map(move |v| {
                    let mut m = DMatrix::from_vec(n, k, v);
                    if dup && k >= 2 {
                        let c = m.column(0).into_owned();
                        m.set_column(1, &c);
                    }
                    m
                }),
                proptest::collection::vec(wild_cell(), n).prop_map(DVector::from_vec),
                proptest::collection::vec(wild_cell(), 2 * k)
                    .prop_map(move |v| DMatrix::from_vec(2, k, v)),
            )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn recovers_beta_exactly_without_noise((x, beta, _) in design()) {
            let n = x.nrows();
            let k = x.ncols();
            let y = DVector::from_fn(n, |i, _| {
                beta[0] + (0..k).map(|j| beta[j + 1] * x[(i, j)]).sum::<f64>()
            });
            // Skip the rare random design that is (near-)singular or has constant y.
            if let Ok(fit) = Ols::new().fit(&x, &y) {
                for (j, (b, want)) in fit.coefficients().iter().zip(&beta).enumerate() {
                    prop_assert!((b - want).abs() < 1e-8, "b{} = {} vs {}", j, b, want);
                }
            }
        }

        #[test]
        fn sums_of_squares_add_up_and_r2_in_unit_interval((x, beta, e) in design()) {
            let n = x.nrows();
            let k = x.ncols();
            let y = DVector::from_fn(n, |i, _| {
                beta[0] + (0..k).map(|j| beta[j + 1] * x[(i, j)]).sum::<f64>() + e[i]
            });
            if let Ok(fit) = Ols::new().fit(&x, &y) {
                let ybar = y.mean();
                let sst: f64 = y.iter().map(|v| (v - ybar).powi(2)).sum();
                let ssr: f64 = fit.fitted_values().iter().map(|v| (v - ybar).powi(2)).sum();
                let sse: f64 = fit.residuals().norm_squared();
                prop_assert!((sst - ssr - sse).abs() <= 1e-9 * sst.max(1.0));
                let r2 = fit.r_squared();
                prop_assert!((0.0..=1.0).contains(&r2));
                let rep = fit.report();
                prop_assert!((rep.anova.total.sum_of_squares
                    - rep.anova.regression.sum_of_squares
                    - rep.anova.residual.sum_of_squares).abs() <= 1e-9 * sst.max(1.0));
                // LMG and Johnson decompose R² into non-negative parts.
                let lmg = RelativeImportance::lmg_from_fit(&fit).unwrap();
                let jw = RelativeImportance::johnson_from_fit(&fit).unwrap();
                for imp in [&lmg, &jw] {
                    prop_assert!(imp.contributions().iter().all(|c| *c >= -1e-12));
                    prop_assert!((imp.contributions().iter().sum::<f64>() - r2).abs() < 1e-9);
                }
                // With two predictors Johnson's weights equal the Shapley values.
                if k == 2 {
                    for j in 0..2 {
                        prop_assert!((lmg.contributions()[j] - jw.contributions()[j]).abs() < 1e-9);
                    }
                }
                // Collinearity: eigenvalues sum to the number of parameters, each
                // parameter's variance proportions sum to 1.
                let cd = fit.collinearity_diagnostics().unwrap();
                prop_assert!((cd.eigenvalues.iter().sum::<f64>() - (k + 1) as f64).abs() < 1e-9);
                for j in 0..=k {
                    let s: f64 = cd.variance_proportions.iter().map(|row| row[j]).sum();
                    prop_assert!((s - 1.0).abs() < 1e-9);
                }
            }
        }

        #[test]
        fn invariant_to_row_order((x, beta, e) in design(), seed in any::<u64>()) {
            let n = x.nrows();
            let k = x.ncols();
            let y = DVector::from_fn(n, |i, _| {
                beta[0] + (0..k).map(|j| beta[j + 1] * x[(i, j)]).sum::<f64>() + e[i]
            });
            let mut perm: Vec<usize> = (0..n).collect();
            let mut s = seed;
            for i in (1..n).rev() {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                perm.swap(i, (s >> 33) as usize % (i + 1));
            }
            let xp = DMatrix::from_fn(n, k, |i, j| x[(perm[i], j)]);
            let yp = DVector::from_fn(n, |i, _| y[perm[i]]);
            if let (Ok(a), Ok(b)) = (Ols::new().fit(&x, &y), Ols::new().fit(&xp, &yp)) {
                for j in 0..=k {
                    assert_relative_eq!(a.coefficients()[j], b.coefficients()[j],
                        epsilon = 1e-9, max_relative = 1e-9);
                    assert_relative_eq!(a.std_errors()[j], b.std_errors()[j],
                        epsilon = 1e-9, max_relative = 1e-9);
                }
                assert_relative_eq!(a.r_squared(), b.r_squared(), epsilon = 1e-10);
                for j in 0..k {
                    assert_relative_eq!(a.vif()[j], b.vif()[j], max_relative = 1e-8);
                }
            }
        }

        #[test]
        fn no_panic_on_arbitrary_input((x, y, x_new) in wild(), intercept in any::<bool>()) {
            let k = x.ncols();
            let names: Vec<String> = (0..k).map(|j| format!("v{j}")).collect();
            let ols = Ols::new().intercept(intercept);
            if let Ok(fit) = ols.fit_named(&x, &y, &names) {
                let _ = fit.report().to_string();
                let _ = fit.report_with(0.9, 2.0);
                let _ = fit.report_with(f64::NAN, 0.0);
                let _ = fit.case_diagnostics();
                let _ = fit.casewise(f64::NAN);
                let _ = fit.residual_statistics();
                let _ = fit.collinearity_diagnostics();
                let _ = fit.predict(&x_new);
                let _ = fit.predict_with(&x_new, 1.5);
                let _ = fit.predict(&DMatrix::zeros(1, k + 1));
                let _ = (fit.vif(), fit.tolerance(), fit.standardized_coefficients());
                let _ = (fit.partial_correlations(), fit.part_correlations());
                let _ = (fit.zero_order_correlations(), fit.durbin_watson());
                let _ = RelativeImportance::lmg_from_fit(&fit);
                let _ = RelativeImportance::johnson_from_fit(&fit);
                let _ = RSquaredChange::between(&fit, &fit);
                let _ = RSquaredChange::sequence(std::slice::from_ref(&fit));
            }
            let _ = RSquaredChange::sequence(&[]);
            let _ = RelativeImportance::lmg(&x, &y, &names);
            let _ = RelativeImportance::johnson(&x, &y, &names);
            for m in [SelectionMethod::Enter, SelectionMethod::Forward,
                      SelectionMethod::Backward, SelectionMethod::Stepwise] {
                if let Ok(path) = Selection::new().method(m).ols(ols).run(&x, &y, &names) {
                    let _ = path.to_string();
                }
            }
        }
    }
}

mod props_degenerate {
    use crm_analytics::regression::{Ols, RelativeImportance, Selection, SelectionMethod};
    use nalgebra::{DMatrix, DVector};
    use proptest::prelude::*;

    /// Small finite designs from a few integer levels: exact fits, leverage-1 cases,
    /// df_resid = 1, constant and duplicated columns all occur.
    fn small() -> impl Strategy<Value = (DMatrix<f64>, DVector<f64>)> {
        (0usize..4, 1usize..4).prop_flat_map(|(k, extra)| {
            let n = k + extra;
            (
                proptest::collection::vec(prop_oneof![Just(0.0), Just(1.0), Just(2.0)], n * k)
                    .prop_map(move |v| DMatrix::from_vec(n, k, v)),
                proptest::collection::vec(prop_oneof![Just(0.0), Just(1.0), Just(3.0)], n)
                    .prop_map(DVector::from_vec),
            )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn no_panic_on_degenerate_finite_designs((x, y) in small(), intercept in any::<bool>()) {
            let k = x.ncols();
            let names: Vec<String> = (0..k).map(|j| format!("v{j}")).collect();
            let ols = Ols::new().intercept(intercept);
            if let Ok(fit) = ols.fit_named(&x, &y, &names) {
                let report = fit.report();
                let _ = report.to_string();
                // Nothing in the report is NaN: a missing statistic is None.
                for row in &report.coefficients {
                    prop_assert!(!row.b.is_nan() && !row.std_error.is_nan());
                    prop_assert!(!row.p_value.is_nan());
                    prop_assert!(row.partial.is_none_or(|v| !v.is_nan()));
                }
                let _ = fit.case_diagnostics();
                let _ = fit.predict(&DMatrix::from_element(2, k, 1.0));
                let _ = RelativeImportance::lmg_from_fit(&fit);
                let _ = RelativeImportance::johnson_from_fit(&fit);
            }
            for m in [SelectionMethod::Forward, SelectionMethod::Backward, SelectionMethod::Stepwise] {
                if let Ok(path) = Selection::new().method(m).ols(ols).run(&x, &y, &names) {
                    let _ = path.to_string();
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// A hard case of our own: seven leading constant digits and near-collinear predictors.
// ---------------------------------------------------------------------------------------

#[test]
fn near_collinear_leading_digits_derived_statistics_by_hand() {
    // Centred directions in R⁴, mutually orthogonal and orthogonal to 1:
    //   u = (-3, -1, 1, 3), v = (1, -1, -1, 1), w = (-1, 3, -3, 1); |u|² = 20, |v|² = 4, |w|² = 20.
    // x1 = c + u, x2 = c + u + ε v with c = 10⁶ and ε = 2⁻¹³ (every value exact in f64),
    // y = 10 + 2 x1 + 3 x2 + ½ w, so B = (10, 2, 3) exactly and the residual is ½ w.
    // By hand: r12² = 20 / (20 + 4ε²), VIF = 1/(1 - r12²) = 5/ε² + 1 = 335,544,321;
    // |y - ȳ|² = |5u + 3εv + ½w|² = 505 + 36ε²; Beta_1 = 2√20 / √(505 + 36ε²),
    // Beta_2 = 3 √(20 + 4ε²) / √(505 + 36ε²); RSS = ¼ · 20 = 5.
    let c = 1.0e6;
    let eps = 2f64.powi(-13);
    let u = [-3.0, -1.0, 1.0, 3.0];
    let v = [1.0, -1.0, -1.0, 1.0];
    let w = [-1.0, 3.0, -3.0, 1.0];
    let x = DMatrix::from_fn(4, 2, |i, j| {
        c + u[i] + if j == 1 { eps * v[i] } else { 0.0 }
    });
    let y = DVector::from_fn(4, |i, _| {
        10.0 + 5.0 * c + 5.0 * u[i] + 3.0 * eps * v[i] + 0.5 * w[i]
    });
    let fit = Ols::new().fit_named(&x, &y, &["x1", "x2"]).unwrap();
    let vif = 5.0 / (eps * eps) + 1.0;
    let syy = 505.0 + 36.0 * eps * eps;
    let beta1 = 2.0 * 20f64.sqrt() / syy.sqrt();
    let beta2 = 3.0 * (20.0 + 4.0 * eps * eps).sqrt() / syy.sqrt();
    let lres = [
        ("B1", lre(fit.coefficients()[1], 2.0)),
        ("B2", lre(fit.coefficients()[2], 3.0)),
        ("VIF", lre(fit.vif()[0], vif)),
        ("Beta1", lre(fit.standardized_coefficients()[0], beta1)),
        ("Beta2", lre(fit.standardized_coefficients()[1], beta2)),
        ("RSS", lre(fit.rss(), 5.0)),
    ];
    println!("near-collinear, 7 leading digits: LRE {lres:?}");
    // The centred design has condition number² ≈ VIF ≈ 3e8; expect at least 7 digits
    // in everything (LAPACK's QR gives the same order on this problem); we get ~9.
    for (what, l) in lres {
        assert!(l >= 7.0, "{what}: LRE {l}");
    }
}

#[test]
fn reports_serialise_and_types_are_send_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<crm_analytics::regression::OlsReport>();
    send_sync::<crm_analytics::regression::RelativeImportance>();
    send_sync::<crm_analytics::regression::SelectionPath>();
    send_sync::<crm_analytics::regression::Prediction>();
    send_sync::<crm_analytics::regression::CaseDiagnostics>();
    send_sync::<crm_analytics::regression::CollinearityDiagnostics>();
    let (x, y) = mobi_scores();
    let fit = Ols::new().fit_named(&x, &y, &MOBI_PREDICTORS).unwrap();
    let json = serde_json::to_value(fit.report()).unwrap();
    assert_eq!(json["anova"]["residual"]["df"], 245);
    assert_eq!(json["coefficients"][3]["name"], "Quality");
    let imp = RelativeImportance::lmg(&x, &y, &MOBI_PREDICTORS).unwrap();
    let json = serde_json::to_value(&imp).unwrap();
    assert_eq!(json["method"], "Lmg");
    // The mobi report's casewise list: SPSS's default |ZRESID| >= 3.
    let report = fit.report();
    assert!(
        report
            .casewise
            .iter()
            .all(|c| c.standardized_residual.abs() >= 3.0)
    );
    let text = report.to_string();
    for table in [
        "Model Summary",
        "ANOVA",
        "Coefficients",
        "Collinearity Diagnostics",
        "Residuals Statistics",
        "Casewise Diagnostics",
    ] {
        assert!(text.contains(table), "missing {table}");
    }
}

#[test]
fn johnson_weights_match_published_rwa_diamonds_output() {
    // R package rwa (Chan), reference page of `rwa()`, example
    // `rwa(diamonds, "price", c("depth", "carat"))` (ggplot2 diamonds, n = 53,940):
    //   RXX: r(depth, carat) = 0.02822431; RXY: depth -0.0106474, carat 0.9215913;
    //   R² = 0.8506755; raw weights depth 0.000729149, carat 0.849946308.
    // Johnson's weights depend on the data only through these correlations, so we build a
    // 4-row data set with exactly this correlation matrix: with q1, q2, q3 orthonormal,
    // centred columns and L the Cholesky factor of the correlation matrix, the columns of
    // [q1 q2 q3] L' have correlation matrix L L'. (The published correlations are rounded
    // to 7 digits; that rounding moves the small depth weight by ~1e-5 relative.)
    let (r, a, b) = (0.02822431f64, -0.0106474f64, 0.9215913f64);
    let l22 = (1.0 - r * r).sqrt();
    let l32 = (b - r * a) / l22;
    let l33 = (1.0 - a * a - l32 * l32).sqrt();
    let norm = |v: [f64; 4]| {
        let s = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        v.map(|x| x / s)
    };
    let q1 = norm([-3.0, -1.0, 1.0, 3.0]);
    let q2 = norm([1.0, -1.0, -1.0, 1.0]);
    let q3 = norm([-1.0, 3.0, -3.0, 1.0]);
    // Any location and positive scale: correlations are invariant.
    let x = DMatrix::from_fn(4, 2, |i, j| match j {
        0 => 61.7 + 1.4 * q1[i],
        _ => 0.8 + 0.47 * (r * q1[i] + l22 * q2[i]),
    });
    let y = DVector::from_fn(4, |i, _| {
        3933.0 + 3989.0 * (a * q1[i] + l32 * q2[i] + l33 * q3[i])
    });
    let jw = RelativeImportance::johnson(&x, &y, &["depth", "carat"]).unwrap();
    assert_relative_eq!(jw.r_squared(), 0.8506755, max_relative = 1e-6);
    assert_relative_eq!(jw.contributions()[0], 0.000729149, max_relative = 5e-5);
    assert_relative_eq!(jw.contributions()[1], 0.849946308, max_relative = 1e-6);
    assert_eq!(jw.ranking(), vec![1, 0]);
    // With two predictors Johnson's weights and the LMG/Shapley values coincide (noted in
    // the rwa vignette "Evaluating the Tonidandel & LeBreton RWA method"), so the same
    // published numbers check LMG.
    let lmg = RelativeImportance::lmg(&x, &y, &["depth", "carat"]).unwrap();
    assert_relative_eq!(lmg.contributions()[0], 0.000729149, max_relative = 5e-5);
    assert_relative_eq!(lmg.contributions()[1], 0.849946308, max_relative = 1e-6);
}

#[test]
fn derived_call_errors_are_pinned_by_message() {
    let (x, y) = bodyfat();
    let fit = Ols::new().fit_named(&x, &y, &BODYFAT_NAMES).unwrap();
    let e = fit.predict(&DMatrix::zeros(1, 2)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "dimension mismatch in columns of `x_new` (must equal the fitted predictors): expected 3, found 2"
    );
    let mut bad = DMatrix::zeros(2, 3);
    bad[(1, 2)] = f64::NAN;
    assert_eq!(
        fit.predict(&bad).unwrap_err().to_string(),
        "`x_new` has a non-finite value (NaN) at row 1, column 2"
    );
    assert_eq!(
        fit.casewise(0.0).unwrap_err().to_string(),
        "option `casewise_threshold` must be finite and > 0, got 0"
    );
    assert_eq!(
        fit.report_with(1.0, 3.0).unwrap_err().to_string(),
        "option `confidence_level` must be in (0, 1), got 1"
    );
    // An exact fit has no standardised residuals.
    let xe = DMatrix::from_column_slice(4, 1, &[0.0, 1.0, 2.0, 3.0]);
    let ye = DVector::from_vec(vec![1.0, 3.0, 5.0, 7.0]);
    let exact = Ols::new().fit(&xe, &ye).unwrap();
    assert_eq!(
        exact.case_diagnostics().unwrap_err().to_string(),
        "residual variance is singular: the fit is exact, so standardised residuals do not exist"
    );
    assert!(exact.durbin_watson().is_none());
    assert!(exact.report().residual_statistics.is_empty());
    let e = Selection::new()
        .method(SelectionMethod::Stepwise)
        .run(&x, &y, &["a", "b"])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "dimension mismatch in predictor names (must equal columns of `x`): expected 3, found 2"
    );
}
