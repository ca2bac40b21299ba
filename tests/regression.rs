//! Regression engine against hand calculations and published references.

use approx::assert_relative_eq;
use crm_analytics::Error;
use crm_analytics::regression::{CovarianceType, Ols};
use nalgebra::{DMatrix, DVector};

use crate::common::{EXACT, TIGHT};

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
