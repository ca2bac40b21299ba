//! What drives customer satisfaction at a mobile operator? The SPSS-style regression
//! report on the ECSI mobile-phone survey (Tenenhaus et al. 2005, n = 250; see
//! `examples/data/README.md` for provenance).
//!
//! Construct scores are the means of their items (1-10 scale):
//! Image = IMAG1-5, Expectation = CUEX1-3, Quality = PERQ1-7, Value = PERV1-2,
//! Satisfaction = CUSA1-3. Satisfaction is regressed on the other four.
//!
//! Run: `cargo run --release --example regression_report [path/to/mobi.csv]`

use std::error::Error;

use crm_analytics::regression::{
    CovarianceType, Ols, RSquaredChange, RelativeImportance, Selection, SelectionMethod,
};
use nalgebra::{DMatrix, DVector};

const BLOCKS: [(&str, &[&str]); 5] = [
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

fn main() -> Result<(), Box<dyn Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/mobi.csv").to_string()
    });
    let (x, y, names) = construct_scores(&std::fs::read_to_string(&path)?)?;

    println!("== Drivers of customer satisfaction: ECSI mobile-phone survey ({path}) ==\n");

    // 1. The full model, everything SPSS prints.
    let fit = Ols::new().fit_named(&x, &y, &names)?;
    let mut report = fit.report();
    report.dependent = "Satisfaction".into();
    println!("{report}");

    // 2. Heteroskedasticity-robust (HC3) standard errors, as statsmodels' cov_type="HC3".
    let robust = Ols::new()
        .covariance(CovarianceType::HC3)
        .fit_named(&x, &y, &names)?;
    println!("HC3 robust standard errors");
    println!("{:<14} {:>10} {:>10} {:>10}", "", "B", "SE(HC3)", "Sig.");
    for (i, name) in robust.parameter_names().iter().enumerate() {
        println!(
            "{:<14} {:>10.4} {:>10.4} {:>10.4}",
            name,
            robust.coefficients()[i],
            robust.std_errors()[i],
            robust.p_values()[i]
        );
    }
    println!();

    // 3. Hierarchical regression: does perceived Quality and Value add to Image and
    //    Expectation? (SPSS "R Square Change" across blocks.)
    let block1 = Ols::new().fit_named(&x.columns(0, 2).into_owned(), &y, &names[..2])?;
    let change = RSquaredChange::sequence(&[block1, fit.clone()])?;
    println!("Hierarchical blocks: (1) Image, Expectation; (2) + Quality, Value");
    for (i, c) in change.iter().enumerate() {
        println!("  Model {}: {c}", i + 1);
    }
    println!();

    // 4. Stepwise selection with SPSS's criteria (PIN 0.05, POUT 0.10).
    let path = Selection::new()
        .method(SelectionMethod::Stepwise)
        .run(&x, &y, &names)?;
    println!("Stepwise selection\n{path}");

    // 5. Which driver matters most? Relative importance of the four drivers.
    let lmg = RelativeImportance::lmg(&x, &y, &names)?;
    let johnson = RelativeImportance::johnson(&x, &y, &names)?;
    println!("{lmg}");
    println!("{johnson}");

    // 6. What satisfaction do we expect of a customer with these perceptions?
    let profiles = DMatrix::from_row_slice(2, 4, &[8.0, 7.5, 8.0, 7.0, 6.0, 6.0, 6.0, 4.0]);
    println!(
        "Predicted satisfaction of two customer profiles (Image, Expectation, Quality, Value):"
    );
    println!("  1 = (8, 7.5, 8, 7), 2 = (6, 6, 6, 4)");
    println!("{}", fit.predict(&profiles)?);
    Ok(())
}

/// Drivers (n x 4), satisfaction, driver names.
type Scores = (DMatrix<f64>, DVector<f64>, Vec<String>);

/// Mean-item construct scores: (drivers, satisfaction, driver names).
fn construct_scores(csv: &str) -> Result<Scores, Box<dyn Error>> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().ok_or("empty CSV")?.split(',').collect();
    let mut rows: Vec<Vec<f64>> = Vec::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        rows.push(
            line.split(',')
                .map(|v| v.trim().parse::<f64>())
                .collect::<Result<_, _>>()?,
        );
    }
    let mut scores = Vec::new();
    for (_, items) in BLOCKS {
        let idx = items
            .iter()
            .map(|it| {
                header
                    .iter()
                    .position(|h| h == it)
                    .ok_or_else(|| format!("column {it} missing"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        scores.push(
            rows.iter()
                .map(|r| idx.iter().map(|&i| r[i]).sum::<f64>() / idx.len() as f64)
                .collect::<Vec<f64>>(),
        );
    }
    let n = rows.len();
    let mut x = DMatrix::zeros(n, 4);
    for (j, s) in scores[..4].iter().enumerate() {
        x.set_column(j, &DVector::from_column_slice(s));
    }
    let y = DVector::from_column_slice(&scores[4]);
    let names = BLOCKS[..4].iter().map(|(n, _)| n.to_string()).collect();
    Ok((x, y, names))
}
