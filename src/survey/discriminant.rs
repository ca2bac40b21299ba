use std::fmt;

use nalgebra::DMatrix;
use serde::Serialize;

use super::composite::correlation_matrix;
use super::construct::Construct;
use super::items::{ItemMatrix, check_unique};
use super::missing::{MissingPolicy, item_moments};
use crate::{Error, Result, validate};

/// Fornell-Larcker criterion: each construct's sqrt(AVE) must exceed its correlations
/// with every other construct.
///
/// # Example
///
/// ```
/// use crm_analytics::survey::FornellLarcker;
/// use nalgebra::DMatrix;
///
/// let r = DMatrix::from_row_slice(2, 2, &[1.0, 0.6, 0.6, 1.0]);
/// let fl = FornellLarcker::new(&["A", "B"], &[0.64, 0.30], &r)?;
/// assert_eq!(fl.passes, vec![true, false]); // sqrt(.64) = .8 > .6; sqrt(.30) = .548 < .6
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FornellLarcker {
    /// Construct names.
    pub names: Vec<String>,
    /// The table: sqrt(AVE) on the diagonal, construct correlations off it.
    pub table: DMatrix<f64>,
    /// Per construct: sqrt(AVE) > max |r| with the others.
    pub passes: Vec<bool>,
}

impl FornellLarcker {
    /// From AVE per construct and the construct correlation matrix.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for inconsistent sizes; [`Error::NonFinite`] /
    /// [`Error::InvalidValue`] for non-finite entries or an AVE outside [0, 1].
    pub fn new<S: AsRef<str>>(
        names: &[S],
        ave: &[f64],
        correlations: &DMatrix<f64>,
    ) -> Result<Self> {
        let c = names.len();
        validate::same_len("AVE values", c, ave.len())?;
        validate::same_len("correlation rows", c, correlations.nrows())?;
        validate::same_len("correlation columns", c, correlations.ncols())?;
        validate::matrix_finite("construct correlations", correlations)?;
        for (i, &a) in ave.iter().enumerate() {
            if !(a.is_finite() && (0.0..=1.0).contains(&a)) {
                return Err(Error::InvalidValue {
                    what: "AVE".into(),
                    location: format!("construct `{}`", names[i].as_ref()),
                    value: a,
                    expected: "in [0, 1]".into(),
                });
            }
        }
        let mut table = correlations.clone();
        for i in 0..c {
            table[(i, i)] = ave[i].sqrt();
        }
        let passes = (0..c)
            .map(|i| {
                (0..c)
                    .filter(|&j| j != i)
                    .all(|j| table[(i, i)] > correlations[(i, j)].abs())
            })
            .collect();
        Ok(FornellLarcker {
            names: names.iter().map(|s| s.as_ref().to_string()).collect(),
            table,
            passes,
        })
    }
}

fn write_matrix(f: &mut fmt::Formatter<'_>, names: &[String], m: &DMatrix<f64>) -> fmt::Result {
    write!(f, "{:<14}", "")?;
    for n in names {
        write!(f, " {n:>10.10}")?;
    }
    writeln!(f)?;
    for (i, n) in names.iter().enumerate() {
        write!(f, "{n:<14.14}")?;
        for j in 0..names.len() {
            if j > i {
                write!(f, " {:>10}", "")?;
            } else {
                write!(f, " {:>10.4}", m[(i, j)])?;
            }
        }
        writeln!(f)?;
    }
    Ok(())
}

impl fmt::Display for FornellLarcker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Fornell-Larcker (diagonal: sqrt AVE)")?;
        write_matrix(f, &self.names, &self.table)
    }
}

/// Heterotrait-monotrait ratio of correlations (Henseler, Ringle & Sarstedt 2015).
///
/// # Formula
///
/// ```text
/// HTMT_ij = mean(r over item pairs across i and j)
///           / sqrt(mean(r over distinct item pairs within i) · mean(r within j))
/// ```
///
/// Item correlations are used as they are (signed), as in Henseler et al. and seminr;
/// a single-item construct has no monotrait correlations, so its HTMT is `None`.
/// Common thresholds: 0.85 (strict) and 0.90.
///
/// # References
/// Henseler, Ringle & Sarstedt (2015), J. Academy of Marketing Science 43:115-135.
///
/// # Example
///
/// ```
/// use crm_analytics::survey::{Construct, Htmt, ItemMatrix, LikertScale, MissingPolicy};
/// use nalgebra::DMatrix;
///
/// let d = DMatrix::from_row_slice(5, 4, &[
///     1.0, 2.0, 3.0, 3.0,  2.0, 2.0, 1.0, 2.0,  3.0, 4.0, 4.0, 5.0,
///     4.0, 4.0, 2.0, 1.0,  5.0, 5.0, 5.0, 4.0,
/// ]);
/// let items = ItemMatrix::new(d, &["a1", "a2", "b1", "b2"], LikertScale::new(1.0, 5.0)?)?;
/// let c = [Construct::new("A", &["a1", "a2"])?, Construct::new("B", &["b1", "b2"])?];
/// let h = Htmt::compute(&items, &c, MissingPolicy::Listwise)?;
/// assert!(h.value(0, 1).is_some());
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Htmt {
    /// Construct names.
    pub names: Vec<String>,
    /// HTMT ratios (symmetric; `None` on the diagonal and for single-item constructs).
    pub ratios: Vec<Vec<Option<f64>>>,
    /// Respondents used.
    pub rows_used: usize,
}

impl Htmt {
    /// HTMT of every pair of constructs.
    ///
    /// # Errors
    /// [`Error::UnknownName`] for an unknown item; [`Error::DuplicateName`];
    /// [`Error::InvalidInput`] for a zero-variance item; [`Error::TooFewObservations`].
    pub fn compute(
        items: &ItemMatrix,
        constructs: &[Construct],
        missing: MissingPolicy,
    ) -> Result<Self> {
        let names: Vec<String> = constructs.iter().map(|c| c.name().to_string()).collect();
        check_unique("construct", &names)?;
        let mut all: Vec<String> = Vec::new();
        for c in constructs {
            for i in c.items() {
                if !all.contains(i) {
                    all.push(i.clone());
                }
            }
        }
        if all.is_empty() {
            return Err(Error::Empty {
                what: "constructs".into(),
            });
        }
        let sub = items.select(&all)?;
        let m = item_moments(&sub, missing)?;
        if m.n < 2 {
            return Err(Error::TooFewObservations {
                what: "HTMT".into(),
                needed: 2,
                got: m.n,
            });
        }
        let r = correlation_matrix(&m.cov, sub.names())?;
        let idx: Vec<Vec<usize>> = constructs
            .iter()
            .map(|c| {
                c.items()
                    .iter()
                    .filter_map(|i| all.iter().position(|a| a == i))
                    .collect()
            })
            .collect();
        let mono = |a: &[usize]| -> Option<f64> {
            let mut s = 0.0;
            let mut n = 0usize;
            for (p, &i) in a.iter().enumerate() {
                for &j in &a[p + 1..] {
                    s += r[(i, j)];
                    n += 1;
                }
            }
            (n > 0).then(|| s / n as f64)
        };
        let c = constructs.len();
        let mut ratios = vec![vec![None; c]; c];
        for a in 0..c {
            for b in (a + 1)..c {
                let hetero: f64 = idx[a]
                    .iter()
                    .flat_map(|&i| idx[b].iter().map(move |&j| (i, j)))
                    .map(|(i, j)| r[(i, j)])
                    .sum::<f64>()
                    / (idx[a].len() * idx[b].len()) as f64;
                let v = match (mono(&idx[a]), mono(&idx[b])) {
                    (Some(x), Some(y)) if x * y > 0.0 => Some(hetero / (x * y).sqrt()),
                    _ => None,
                };
                ratios[a][b] = v;
                ratios[b][a] = v;
            }
        }
        Ok(Htmt {
            names,
            ratios,
            rows_used: m.n,
        })
    }

    /// HTMT of constructs `i` and `j` (by position), if defined.
    #[must_use]
    pub fn value(&self, i: usize, j: usize) -> Option<f64> {
        self.ratios.get(i).and_then(|r| r.get(j)).copied().flatten()
    }

    /// Pairs whose HTMT exceeds `threshold` (0.85 or 0.90): discriminant validity in doubt.
    #[must_use]
    pub fn violations(&self, threshold: f64) -> Vec<(String, String, f64)> {
        let mut out = Vec::new();
        for a in 0..self.names.len() {
            for b in (a + 1)..self.names.len() {
                if let Some(v) = self.value(a, b)
                    && v > threshold
                {
                    out.push((self.names[a].clone(), self.names[b].clone(), v));
                }
            }
        }
        out
    }
}

impl fmt::Display for Htmt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "HTMT ({} respondents)", self.rows_used)?;
        write!(f, "{:<14}", "")?;
        for n in &self.names {
            write!(f, " {n:>10.10}")?;
        }
        writeln!(f)?;
        for (i, n) in self.names.iter().enumerate() {
            write!(f, "{n:<14.14}")?;
            for j in 0..i {
                match self.value(i, j) {
                    Some(v) => write!(f, " {v:>10.4}")?,
                    None => write!(f, " {:>10}", "n/a")?,
                }
            }
            writeln!(f)?;
        }
        Ok(())
    }
}
