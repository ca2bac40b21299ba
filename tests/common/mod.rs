//! Named tolerances and helpers shared by the integration tests (after statrs `prec.rs`).
#![allow(dead_code)]

/// Values that are exact up to rounding in a few floating-point operations.
pub const EXACT: f64 = 1e-12;
/// Values computed by a different but equally accurate algorithm (another tool's QR, a
/// closed form): agreement to about ten significant digits.
pub const TIGHT: f64 = 1e-9;
/// Reference values printed to six or more significant digits.
pub const SIX_DIGITS: f64 = 5e-6;
/// Iterative fits (maximum likelihood, PLS) compared with another tool's optimum.
pub const OPTIMUM: f64 = 1e-4;

// The unit tests' generator, the same source file, so both kinds of test draw the same
// numbers from one definition.
#[path = "../../src/test_support.rs"]
mod test_support;
pub(crate) use test_support::lcg;

/// Relative tolerance that matches a value published with `decimals` decimal places:
/// half a unit in the last place, relative to the value.
pub fn published(value: f64, decimals: i32) -> f64 {
    0.5 * 10f64.powi(-decimals) / value.abs().max(f64::MIN_POSITIVE)
}

/// Log relative error (LRE) of `computed` against `certified`: the number of correct
/// significant digits, as used for the NIST StRD (McCullough 1998). When the certified
/// value is 0, the log absolute error is used instead.
pub fn lre(computed: f64, certified: f64) -> f64 {
    if computed == certified {
        return 15.0;
    }
    let err = if certified == 0.0 {
        (computed - certified).abs()
    } else {
        ((computed - certified) / certified).abs()
    };
    (-err.log10()).min(15.0)
}

/// Read a file from `tests/data/`.
pub fn data(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// `tests/data/mobi/mobi.csv` (the ECSI mobile-phone survey) as column names and a
/// 250 x 24 matrix.
pub fn mobi_csv() -> (Vec<String>, nalgebra::DMatrix<f64>) {
    let text = data("mobi/mobi.csv");
    let mut lines = text.lines();
    let names: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(|s| s.trim().to_string())
        .collect();
    let rows: Vec<Vec<f64>> = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').map(|v| v.trim().parse().unwrap()).collect())
        .collect();
    let m = nalgebra::DMatrix::from_fn(rows.len(), names.len(), |r, c| rows[r][c]);
    (names, m)
}
