use std::fmt;

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

use super::items::{ItemMatrix, check_unique};
use super::missing::{MissingPolicy, complete_data};
use super::scale::LikertScale;
use crate::{Error, Result, validate};

/// A named block of items measuring one construct (e.g. "Quality": PERQ1..PERQ7),
/// optionally with item weights (e.g. PLS outer weights).
///
/// # Example
///
/// ```
/// use crm_analytics::survey::Construct;
///
/// let c = Construct::new("Value", &["PERV1", "PERV2"])?.weights(&[0.6, 0.4])?;
/// assert_eq!(c.items().len(), 2);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Construct {
    name: String,
    items: Vec<String>,
    weights: Option<Vec<f64>>,
}

impl Construct {
    /// A construct with unit item weights.
    ///
    /// # Errors
    /// [`Error::Empty`] for no items, [`Error::DuplicateName`] for a repeated item.
    pub fn new<S: AsRef<str>>(name: &str, items: &[S]) -> Result<Self> {
        if items.is_empty() {
            return Err(Error::Empty {
                what: format!("items of construct `{name}`"),
            });
        }
        let items: Vec<String> = items.iter().map(|s| s.as_ref().to_string()).collect();
        check_unique("item", &items)?;
        Ok(Construct {
            name: name.to_string(),
            items,
            weights: None,
        })
    }

    /// Item weights for [`ScoreMethod::Weighted`] (one per item, finite, ≥ 0, not all 0).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for a wrong count, [`Error::InvalidValue`] for a
    /// negative or non-finite weight, [`Error::InvalidInput`] if all are zero.
    pub fn weights(mut self, weights: &[f64]) -> Result<Self> {
        validate::same_len(
            &format!("weights of construct `{}`", self.name),
            self.items.len(),
            weights.len(),
        )?;
        for (i, &w) in weights.iter().enumerate() {
            if !(w.is_finite() && w >= 0.0) {
                return Err(Error::InvalidValue {
                    what: format!("weight of construct `{}`", self.name),
                    location: format!("item `{}`", self.items[i]),
                    value: w,
                    expected: "finite and >= 0".into(),
                });
            }
        }
        if weights.iter().sum::<f64>() <= 0.0 {
            return Err(Error::input(
                format!("weights of construct `{}`", self.name),
                "all weights are zero",
            ));
        }
        self.weights = Some(weights.to_vec());
        Ok(self)
    }

    /// Construct name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Item names.
    #[must_use]
    pub fn items(&self) -> &[String] {
        &self.items
    }

    /// Item weights, if set.
    #[must_use]
    pub fn get_weights(&self) -> Option<&[f64]> {
        self.weights.as_deref()
    }
}

/// How items combine into a construct score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ScoreMethod {
    /// Mean of the items (unit weights), on the item scale. The default.
    #[default]
    Mean,
    /// Sum of the items.
    Sum,
    /// Weighted mean `Σ w_i x_i / Σ w_i` with the construct's weights (unit weights when
    /// the construct has none), on the item scale.
    Weighted,
}

/// Options for construct scores. Data enter only at [`Scoring::score`].
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `method` | [`ScoreMethod::Mean`] | how items combine | |
/// | `missing` | [`MissingPolicy::Listwise`] | missing answers | `Listwise`, `ItemMean` |
///
/// # Example
///
/// ```
/// use crm_analytics::survey::{Construct, ItemMatrix, LikertScale, Scoring};
/// use nalgebra::DMatrix;
///
/// let d = DMatrix::from_row_slice(2, 3, &[1.0, 3.0, 5.0, 4.0, 4.0, 4.0]);
/// let items = ItemMatrix::new(d, &["a", "b", "c"], LikertScale::new(1.0, 5.0)?)?;
/// let scores = Scoring::new().score(&items, &[Construct::new("X", &["a", "b", "c"])?])?;
/// assert_eq!(scores.scores()[(0, 0)], 3.0);
/// assert_eq!(scores.to_percent()[(1, 0)], 75.0);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Scoring {
    method: ScoreMethod,
    missing: MissingPolicy,
}

impl Scoring {
    /// Default options: item means, listwise deletion.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Score method.
    #[must_use]
    pub fn method(mut self, method: ScoreMethod) -> Self {
        self.method = method;
        self
    }

    /// Missing-value policy.
    ///
    /// # Errors
    /// [`Scoring::score`] rejects [`MissingPolicy::Pairwise`].
    #[must_use]
    pub fn missing(mut self, policy: MissingPolicy) -> Self {
        self.missing = policy;
        self
    }

    /// The score method.
    #[must_use]
    pub fn get_method(&self) -> ScoreMethod {
        self.method
    }

    /// The missing-value policy.
    #[must_use]
    pub fn get_missing(&self) -> MissingPolicy {
        self.missing
    }

    /// Scores of every construct for every respondent kept by the missing policy
    /// (listwise: respondents who answered all items of all constructs).
    ///
    /// # Errors
    /// - [`Error::Empty`] for no constructs; [`Error::DuplicateName`] for a repeated construct;
    /// - [`Error::UnknownName`] for an item not in `items`;
    /// - [`Error::InvalidOption`] for pairwise deletion;
    /// - [`Error::TooFewObservations`] if no respondent remains.
    pub fn score(&self, items: &ItemMatrix, constructs: &[Construct]) -> Result<ConstructScores> {
        if constructs.is_empty() {
            return Err(Error::Empty {
                what: "constructs".into(),
            });
        }
        let names: Vec<String> = constructs.iter().map(|c| c.name.clone()).collect();
        check_unique("construct", &names)?;
        let mut all: Vec<String> = Vec::new();
        for c in constructs {
            for i in &c.items {
                items.index_of(i)?;
                if !all.contains(i) {
                    all.push(i.clone());
                }
            }
        }
        let sub = items.select(&all)?;
        let (data, rows) = complete_data(sub.data(), self.missing)?;
        if rows.is_empty() {
            return Err(Error::TooFewObservations {
                what: "construct scores (after listwise deletion)".into(),
                needed: 1,
                got: 0,
            });
        }
        let n = data.nrows();
        let mut scores = DMatrix::zeros(n, constructs.len());
        for (c, con) in constructs.iter().enumerate() {
            let idx: Vec<usize> = con
                .items
                .iter()
                .map(|i| all.iter().position(|a| a == i).unwrap_or(0))
                .collect();
            let q = idx.len() as f64;
            let w: Vec<f64> = match (self.method, &con.weights) {
                (ScoreMethod::Mean, _) => vec![1.0 / q; idx.len()],
                (ScoreMethod::Sum, _) => vec![1.0; idx.len()],
                (ScoreMethod::Weighted, Some(w)) => {
                    let s: f64 = w.iter().sum();
                    w.iter().map(|x| x / s).collect()
                }
                (ScoreMethod::Weighted, None) => vec![1.0 / q; idx.len()],
            };
            for r in 0..n {
                scores[(r, c)] = idx.iter().zip(&w).map(|(&j, wj)| wj * data[(r, j)]).sum();
            }
        }
        let scale = items.scale();
        let (lo, hi) = match self.method {
            ScoreMethod::Sum => (0.0, 0.0),
            _ => (scale.min(), scale.max()),
        };
        let ranges = constructs
            .iter()
            .map(|c| match self.method {
                ScoreMethod::Sum => {
                    let q = c.items.len() as f64;
                    (q * scale.min(), q * scale.max())
                }
                _ => (lo, hi),
            })
            .collect();
        Ok(ConstructScores {
            names,
            scores,
            rows,
            rows_total: items.nrows(),
            ranges,
            scale,
            method: self.method,
        })
    }
}

/// Construct scores, `n_used x c`, with the rows they came from. Made by [`Scoring::score`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct ConstructScores {
    names: Vec<String>,
    scores: DMatrix<f64>,
    rows: Vec<usize>,
    rows_total: usize,
    ranges: Vec<(f64, f64)>,
    scale: LikertScale,
    method: ScoreMethod,
}

impl ConstructScores {
    /// Construct names, in column order.
    #[must_use]
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Scores, one row per respondent used, one column per construct.
    #[must_use]
    pub fn scores(&self) -> &DMatrix<f64> {
        &self.scores
    }

    /// Zero-based indices (in the item matrix) of the respondents used.
    #[must_use]
    pub fn rows(&self) -> &[usize] {
        &self.rows
    }

    /// Number of respondents used.
    #[must_use]
    pub fn rows_used(&self) -> usize {
        self.rows.len()
    }

    /// Number of respondents in the item matrix.
    #[must_use]
    pub fn rows_total(&self) -> usize {
        self.rows_total
    }

    /// The item scale.
    #[must_use]
    pub fn scale(&self) -> LikertScale {
        self.scale
    }

    /// The score method used.
    #[must_use]
    pub fn method(&self) -> ScoreMethod {
        self.method
    }

    /// The scores of one construct.
    ///
    /// # Errors
    /// [`Error::UnknownName`] if there is no such construct.
    pub fn column(&self, construct: &str) -> Result<DVector<f64>> {
        Ok(self.scores.column(self.index_of(construct)?).into_owned())
    }

    /// Column index of a construct.
    ///
    /// # Errors
    /// [`Error::UnknownName`] if there is no such construct.
    pub fn index_of(&self, construct: &str) -> Result<usize> {
        self.names
            .iter()
            .position(|n| n == construct)
            .ok_or_else(|| Error::UnknownName {
                what: "construct".into(),
                name: construct.to_string(),
            })
    }

    /// Mean score per construct.
    #[must_use]
    pub fn means(&self) -> DVector<f64> {
        let n = self.scores.nrows() as f64;
        DVector::from_iterator(
            self.names.len(),
            self.scores.column_iter().map(|c| c.sum() / n),
        )
    }

    /// Scores rescaled to 0-100: `100 (score - lo) / (hi - lo)` with the lowest and highest
    /// possible score of each construct.
    #[must_use]
    pub fn to_percent(&self) -> DMatrix<f64> {
        let mut out = self.scores.clone();
        for (j, mut c) in out.column_iter_mut().enumerate() {
            let (lo, hi) = self.ranges[j];
            c.apply(|v| *v = 100.0 * (*v - lo) / (hi - lo));
        }
        out
    }
}

impl fmt::Display for ConstructScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "construct scores ({:?}) for {} of {} respondents",
            self.method,
            self.rows.len(),
            self.rows_total
        )?;
        let means = self.means();
        let pct = self.to_percent();
        let n = pct.nrows() as f64;
        writeln!(f, "{:<14} {:>8} {:>8}", "construct", "mean", "0-100")?;
        for (j, name) in self.names.iter().enumerate() {
            writeln!(
                f,
                "{:<14} {:>8.4} {:>8.2}",
                name,
                means[j],
                pct.column(j).sum() / n
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn methods_and_listwise_by_hand() {
        let nan = f64::NAN;
        let d = DMatrix::from_row_slice(3, 2, &[1.0, 3.0, 2.0, nan, 5.0, 5.0]);
        let items = ItemMatrix::new(d, &["a", "b"], LikertScale::new(1.0, 5.0).unwrap()).unwrap();
        let c = Construct::new("X", &["a", "b"])
            .unwrap()
            .weights(&[3.0, 1.0])
            .unwrap();
        let s = Scoring::new()
            .score(&items, std::slice::from_ref(&c))
            .unwrap();
        assert_eq!(s.rows(), &[0, 2]);
        assert_eq!(s.scores()[(0, 0)], 2.0);
        // weighted: (3·1 + 1·3)/4 = 1.5
        let s = Scoring::new()
            .method(ScoreMethod::Weighted)
            .score(&items, std::slice::from_ref(&c))
            .unwrap();
        assert_eq!(s.scores()[(0, 0)], 1.5);
        // sum with item-mean fill: b mean = 4, row 1 = 2 + 4 = 6, percent = 100 (6 - 2)/8 = 50
        let s = Scoring::new()
            .method(ScoreMethod::Sum)
            .missing(MissingPolicy::ItemMean)
            .score(&items, &[c])
            .unwrap();
        assert_eq!(s.rows_used(), 3);
        assert_eq!(s.scores()[(1, 0)], 6.0);
        assert_eq!(s.to_percent()[(1, 0)], 50.0);
    }
}
