//! Regression engine against hand calculations and published references.

use approx::assert_relative_eq;
use crm_analytics::Error;
use crm_analytics::regression::Ols;
use nalgebra::{DMatrix, DVector};

use crate::common::EXACT;

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
