use std::fmt;

use nalgebra::{DMatrix, DVector};
use serde::Serialize;

use super::scale::LikertScale;
use crate::{Error, Result};

/// Questionnaire answers: `n` respondents (rows) by `q` named items (columns) on one
/// [`LikertScale`], with missing answers stored as NaN.
///
/// Built by [`ItemMatrix::new`] (NaN means "no answer") or
/// [`ItemMatrix::with_missing_codes`] (codes such as `-99` become missing). Every present
/// score is checked against the scale, and an error names the first offending
/// respondent (zero-based row) and item. Reverse-coded items are declared with
/// [`ItemMatrix::reverse`].
///
/// # Example
///
/// ```
/// use crm_analytics::survey::{ItemMatrix, LikertScale};
/// use nalgebra::DMatrix;
///
/// let scale = LikertScale::new(1.0, 5.0)?;
/// let data = DMatrix::from_row_slice(3, 2, &[4.0, 2.0, 5.0, -99.0, 3.0, 1.0]);
/// let items = ItemMatrix::with_missing_codes(data, &["q1", "q2_neg"], scale, &[-99.0])?
///     .reverse(&["q2_neg"])?;
/// assert_eq!(items.missing_counts(), vec![0, 1]);
/// assert_eq!(items.data()[(0, 1)], 4.0); // 1 + 5 - 2
/// assert_eq!(items.complete_rows(), 2);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemMatrix {
    data: DMatrix<f64>,
    names: Vec<String>,
    scale: LikertScale,
    reversed: Vec<String>,
    /// Scores minus `min` as `i16`, column-major, when the scale is integer with a range
    /// up to 180 and nothing is missing: 4x smaller than `data`, and reliability sums
    /// them exactly in integers.
    #[serde(skip)]
    packed: Option<Vec<i16>>,
}

impl ItemMatrix {
    /// Items from a matrix whose NaN cells are missing answers.
    ///
    /// # Errors
    /// - [`Error::Empty`] if there are no rows or no columns;
    /// - [`Error::DimensionMismatch`] if `names.len()` differs from the column count;
    /// - [`Error::DuplicateName`] for a repeated item name;
    /// - [`Error::InvalidValue`] naming respondent and item for an infinity, a score
    ///   outside the scale or a non-integer on an integer scale.
    pub fn new<S: AsRef<str>>(data: DMatrix<f64>, names: &[S], scale: LikertScale) -> Result<Self> {
        Self::with_missing_codes(data, names, scale, &[])
    }

    /// Items from a matrix where NaN and each of `codes` (e.g. `-99`, `99`) mean missing.
    ///
    /// # Errors
    /// As [`ItemMatrix::new`], plus [`Error::InvalidOption`] if a code is not finite or
    /// lies inside the scale (it would hide valid answers).
    pub fn with_missing_codes<S: AsRef<str>>(
        mut data: DMatrix<f64>,
        names: &[S],
        scale: LikertScale,
        codes: &[f64],
    ) -> Result<Self> {
        if data.nrows() == 0 || data.ncols() == 0 {
            return Err(Error::Empty {
                what: "item matrix".into(),
            });
        }
        crate::validate::same_len("item names (must equal columns)", data.ncols(), names.len())?;
        let names: Vec<String> = names.iter().map(|s| s.as_ref().to_string()).collect();
        check_unique("item", &names)?;
        for &c in codes {
            if !c.is_finite() || (c >= scale.min() && c <= scale.max()) {
                return Err(Error::option(
                    "missing_codes",
                    c,
                    format!("finite and outside the scale {scale}"),
                ));
            }
        }
        let n = data.nrows();
        let (lo, hi, integer) = (scale.min(), scale.max(), scale.is_integer());
        for (j, col) in data.as_mut_slice().chunks_mut(n).enumerate() {
            if !codes.is_empty() {
                for v in col.iter_mut() {
                    if codes.contains(v) {
                        *v = f64::NAN;
                    }
                }
            }
            // Branch-light pass: NaN (missing) passes; everything else must be a valid score.
            let ok = col.iter().all(|&v| {
                v.is_nan() || (v >= lo && v <= hi && (!integer || super::scale::is_whole(v)))
            });
            if !ok && let Some(i) = col.iter().position(|&v| !v.is_nan() && !scale.contains(v)) {
                return Err(scale
                    .check(col[i], i, &names[j])
                    .err()
                    .unwrap_or_else(|| Error::input("item matrix", "invalid score")));
            }
        }
        let packed = if scale.is_integer() {
            super::missing::pack_integer(&data, scale.min(), scale.range())
        } else {
            None
        };
        Ok(ItemMatrix {
            data,
            names,
            scale,
            reversed: Vec::new(),
            packed,
        })
    }

    /// Reverse-code the named items: `x' = min + max - x` (missing stays missing).
    /// Reversing an item twice restores it.
    ///
    /// # Errors
    /// [`Error::UnknownName`] for a name that is not an item.
    pub fn reverse<S: AsRef<str>>(mut self, items: &[S]) -> Result<Self> {
        for name in items {
            let j = self.index_of(name.as_ref())?;
            let s = self.scale;
            self.data.column_mut(j).apply(|v| *v = s.reverse(*v));
            let (n, r) = (self.data.nrows(), s.range() as i16);
            if let Some(p) = self.packed.as_mut() {
                // Shifted scores: x - min -> (max - x) = range - (x - min).
                p[j * n..(j + 1) * n].iter_mut().for_each(|x| *x = r - *x);
            }
            let name = name.as_ref().to_string();
            if let Some(p) = self.reversed.iter().position(|r| *r == name) {
                self.reversed.remove(p);
            } else {
                self.reversed.push(name);
            }
        }
        Ok(self)
    }

    /// The sub-matrix of the named items, in the order given.
    ///
    /// # Errors
    /// [`Error::UnknownName`] for an unknown item, [`Error::Empty`] for an empty list,
    /// [`Error::DuplicateName`] for a repeated name.
    pub fn select<S: AsRef<str>>(&self, items: &[S]) -> Result<ItemMatrix> {
        if items.is_empty() {
            return Err(Error::Empty {
                what: "item selection".into(),
            });
        }
        let names: Vec<String> = items.iter().map(|s| s.as_ref().to_string()).collect();
        check_unique("item", &names)?;
        let idx = names
            .iter()
            .map(|n| self.index_of(n))
            .collect::<Result<Vec<_>>>()?;
        let data = self.data.select_columns(idx.iter());
        let reversed = self
            .reversed
            .iter()
            .filter(|r| names.contains(r))
            .cloned()
            .collect();
        let n = self.data.nrows();
        let packed = self.packed.as_ref().map(|p| {
            idx.iter()
                .flat_map(|&j| p[j * n..(j + 1) * n].iter().copied())
                .collect()
        });
        Ok(ItemMatrix {
            data,
            names,
            scale: self.scale,
            reversed,
            packed,
        })
    }

    /// Column index of an item.
    ///
    /// # Errors
    /// [`Error::UnknownName`] if there is no such item.
    pub fn index_of(&self, item: &str) -> Result<usize> {
        self.names
            .iter()
            .position(|n| n == item)
            .ok_or_else(|| Error::UnknownName {
                what: "item".into(),
                name: item.to_string(),
            })
    }

    /// The answers of one item (NaN = missing).
    ///
    /// # Errors
    /// [`Error::UnknownName`] if there is no such item.
    pub fn column(&self, item: &str) -> Result<DVector<f64>> {
        Ok(self.data.column(self.index_of(item)?).into_owned())
    }

    /// The answers, `n x q`, NaN where missing, reverse-coded items already reversed.
    #[must_use]
    pub fn data(&self) -> &DMatrix<f64> {
        &self.data
    }

    pub(crate) fn packed(&self) -> Option<&[i16]> {
        self.packed.as_deref()
    }

    /// Item names in column order.
    #[must_use]
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The response scale.
    #[must_use]
    pub fn scale(&self) -> LikertScale {
        self.scale
    }

    /// Items currently reverse-coded.
    #[must_use]
    pub fn reversed(&self) -> &[String] {
        &self.reversed
    }

    /// Number of respondents.
    #[must_use]
    pub fn nrows(&self) -> usize {
        self.data.nrows()
    }

    /// Number of items.
    #[must_use]
    pub fn ncols(&self) -> usize {
        self.data.ncols()
    }

    /// Missing answers per item.
    #[must_use]
    pub fn missing_counts(&self) -> Vec<usize> {
        self.data
            .column_iter()
            .map(|c| c.iter().filter(|v| v.is_nan()).count())
            .collect()
    }

    /// Whether any answer is missing.
    #[must_use]
    pub fn has_missing(&self) -> bool {
        self.data.iter().any(|v| v.is_nan())
    }

    /// Number of respondents who answered every item.
    #[must_use]
    pub fn complete_rows(&self) -> usize {
        (0..self.nrows())
            .filter(|&i| self.data.row(i).iter().all(|v| !v.is_nan()))
            .count()
    }
}

impl fmt::Display for ItemMatrix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} respondents x {} items on {} ({} complete)",
            self.nrows(),
            self.ncols(),
            self.scale,
            self.complete_rows()
        )?;
        writeln!(
            f,
            "{:<12} {:>8} {:>8} {:>8}",
            "item", "mean", "sd", "missing"
        )?;
        for (j, name) in self.names.iter().enumerate() {
            let vals: Vec<f64> = self
                .data
                .column(j)
                .iter()
                .copied()
                .filter(|v| !v.is_nan())
                .collect();
            let n = vals.len() as f64;
            let mean = vals.iter().sum::<f64>() / n;
            let mean_txt = if vals.is_empty() {
                "n/a".to_string()
            } else {
                format!("{mean:.4}")
            };
            let sd = if vals.len() > 1 {
                format!(
                    "{:.4}",
                    (vals.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
                )
            } else {
                "n/a".to_string()
            };
            let rev = if self.reversed.contains(name) {
                " (reversed)"
            } else {
                ""
            };
            writeln!(
                f,
                "{:<12} {:>8} {:>8} {:>8}{rev}",
                name,
                mean_txt,
                sd,
                self.data.nrows() - vals.len()
            )?;
        }
        Ok(())
    }
}

pub(crate) fn check_unique(what: &str, names: &[String]) -> Result<()> {
    for (i, n) in names.iter().enumerate() {
        if names[..i].contains(n) {
            return Err(Error::DuplicateName {
                what: what.into(),
                name: n.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    fn scale() -> LikertScale {
        LikertScale::new(1.0, 5.0).unwrap()
    }

    #[test]
    fn validation_names_respondent_and_item() {
        let d = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 3.0, 7.0]);
        let e = ItemMatrix::new(d, &["a", "b"], scale()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Likert item `b` at respondent 1 must be an integer in 1..=5, got 7"
        );
        let d = DMatrix::from_row_slice(2, 2, &[1.0, f64::INFINITY, 3.0, 4.0]);
        assert!(ItemMatrix::new(d, &["a", "b"], scale()).is_err());
        let d = DMatrix::from_row_slice(1, 2, &[1.0, 2.0]);
        assert!(matches!(
            ItemMatrix::new(d.clone(), &["a", "a"], scale()),
            Err(Error::DuplicateName { .. })
        ));
        assert!(ItemMatrix::with_missing_codes(d, &["a", "b"], scale(), &[3.0]).is_err());
    }

    #[test]
    fn reverse_twice_is_identity_and_select_keeps_flags() {
        let d = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, f64::NAN, 5.0]);
        let m = ItemMatrix::new(d, &["a", "b"], scale()).unwrap();
        let r = m.clone().reverse(&["b"]).unwrap();
        // 1 + 5 - 2 = 4, 1 + 5 - 5 = 1
        assert_eq!(r.data()[(0, 1)], 4.0);
        assert_eq!(r.data()[(1, 1)], 1.0);
        assert_eq!(r.select(&["b"]).unwrap().reversed(), &["b".to_string()]);
        let rr = r.reverse(&["b"]).unwrap();
        assert_eq!(rr.data()[(0, 1)], 2.0);
        assert!(rr.reversed().is_empty());
        assert_eq!(rr.complete_rows(), 1);
        assert!(m.reverse(&["zz"]).is_err());
    }
}
