//! Crate-private input checks shared by every module, so that each public entry point
//! rejects NaN, infinities and shape errors with the same, precise messages.

use nalgebra::{DMatrix, DVector};

use crate::{Error, Result};

/// Every entry of `m` is finite; otherwise [`Error::NonFinite`] naming the first bad cell
/// (row-major order, so the message points at the first row a user would look at).
pub(crate) fn matrix_finite(what: &str, m: &DMatrix<f64>) -> Result<()> {
    // Fast contiguous scan first; the row-major search below only names the culprit.
    if m.as_slice().iter().all(|v| v.is_finite()) {
        return Ok(());
    }
    for r in 0..m.nrows() {
        for c in 0..m.ncols() {
            let v = m[(r, c)];
            if !v.is_finite() {
                return Err(Error::NonFinite {
                    what: what.to_string(),
                    row: r,
                    col: c,
                    value: v,
                });
            }
        }
    }
    Ok(())
}

/// Every entry of `v` is finite; otherwise [`Error::NonFiniteAt`] naming the first bad index.
pub(crate) fn slice_finite(what: &str, v: &[f64]) -> Result<()> {
    match v.iter().position(|x| !x.is_finite()) {
        Some(i) => Err(Error::NonFiniteAt {
            what: what.to_string(),
            index: i,
            value: v[i],
        }),
        None => Ok(()),
    }
}

/// [`slice_finite`] for an nalgebra vector.
pub(crate) fn vector_finite(what: &str, v: &DVector<f64>) -> Result<()> {
    slice_finite(what, v.as_slice())
}

/// `found == expected`, else [`Error::DimensionMismatch`].
pub(crate) fn same_len(what: &str, expected: usize, found: usize) -> Result<()> {
    if expected == found {
        Ok(())
    } else {
        Err(Error::DimensionMismatch {
            what: what.to_string(),
            expected,
            found,
        })
    }
}

/// A finite scalar option strictly inside (0, 1), e.g. a confidence level.
pub(crate) fn open_unit(option: &'static str, x: f64) -> Result<()> {
    if x.is_finite() && x > 0.0 && x < 1.0 {
        Ok(())
    } else {
        Err(Error::option(option, x, "in (0, 1)"))
    }
}

/// A finite, strictly positive scalar option.
pub(crate) fn positive(option: &'static str, x: f64) -> Result<()> {
    if x.is_finite() && x > 0.0 {
        Ok(())
    } else {
        Err(Error::option(option, x, "finite and > 0"))
    }
}

/// A finite, non-negative scalar option.
pub(crate) fn non_negative(option: &'static str, x: f64) -> Result<()> {
    if x.is_finite() && x >= 0.0 {
        Ok(())
    } else {
        Err(Error::option(option, x, "finite and >= 0"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_bad_cell_is_named() {
        let m = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, f64::INFINITY, f64::NAN]);
        let e = matrix_finite("x", &m).unwrap_err();
        assert_eq!(
            e.to_string(),
            "`x` has a non-finite value (inf) at row 1, column 0"
        );
        assert!(slice_finite("y", &[1.0, f64::NAN]).is_err());
        assert!(open_unit("level", f64::NAN).is_err());
        assert!(open_unit("level", 0.95).is_ok());
        assert!(positive("d", 0.0).is_err());
        assert!(non_negative("d", -0.0).is_ok());
    }
}
