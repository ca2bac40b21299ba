use std::fmt;

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use crate::{Error, Result, validate};

/// A Kano category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KanoCategory {
    /// M: expected; its absence dissatisfies, its presence does not delight.
    MustBe,
    /// O: more is better, linearly.
    OneDimensional,
    /// A: delights when present, not missed when absent.
    Attractive,
    /// I: the customer does not care.
    Indifferent,
    /// R: the customer prefers the opposite.
    Reverse,
    /// Q: contradictory answers.
    Questionable,
}

impl KanoCategory {
    /// One-letter code (M, O, A, I, R, Q).
    #[must_use]
    pub fn code(self) -> char {
        match self {
            KanoCategory::MustBe => 'M',
            KanoCategory::OneDimensional => 'O',
            KanoCategory::Attractive => 'A',
            KanoCategory::Indifferent => 'I',
            KanoCategory::Reverse => 'R',
            KanoCategory::Questionable => 'Q',
        }
    }

    /// Category of one functional/dysfunctional answer pair (1 like, 2 must-be,
    /// 3 neutral, 4 live with, 5 dislike), by the Kano evaluation table:
    ///
    /// ```text
    ///             dysfunctional 1  2  3  4  5
    /// functional 1              Q  A  A  A  O
    ///            2..4           R  I  I  I  M
    ///            5              R  R  R  R  Q
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidValue`] if an answer is not in 1..=5.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::satisfaction::KanoCategory;
    /// assert_eq!(KanoCategory::evaluate(1, 5)?, KanoCategory::OneDimensional);
    /// assert_eq!(KanoCategory::evaluate(3, 5)?, KanoCategory::MustBe);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn evaluate(functional: u8, dysfunctional: u8) -> Result<KanoCategory> {
        use KanoCategory::*;
        for (what, v) in [("functional", functional), ("dysfunctional", dysfunctional)] {
            if !(1..=5).contains(&v) {
                return Err(Error::InvalidValue {
                    what: format!("Kano {what} answer"),
                    location: "pair".into(),
                    value: f64::from(v),
                    expected: "an integer in 1..=5".into(),
                });
            }
        }
        Ok(match (functional, dysfunctional) {
            (1, 1) | (5, 5) => Questionable,
            (1, 5) => OneDimensional,
            (1, _) => Attractive,
            (5, _) => Reverse,
            (_, 1) => Reverse,
            (_, 5) => MustBe,
            _ => Indifferent,
        })
    }
}

impl fmt::Display for KanoCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KanoCategory::MustBe => "must-be",
            KanoCategory::OneDimensional => "one-dimensional",
            KanoCategory::Attractive => "attractive",
            KanoCategory::Indifferent => "indifferent",
            KanoCategory::Reverse => "reverse",
            KanoCategory::Questionable => "questionable",
        })
    }
}

/// Options of a Kano classification. Data enter at [`Kano::classify`].
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `tie_order` | M > O > A > I > R > Q | which category wins a tie for the mode (Berger et al. 1993: "M > O > A > I") | a permutation of the six |
///
/// # Formula
///
/// ```text
/// Better (satisfaction coefficient) =  (A + O) / (A + O + M + I)
/// Worse  (dissatisfaction)          = -(O + M) / (A + O + M + I)
/// ```
///
/// # References
/// Kano, Seraku, Takahashi & Tsuji (1984), Hinshitsu 14(2):39-48; Berger et al. (1993),
/// Center for Quality Management Journal 2(4):3-36.
///
/// # Example
///
/// ```
/// use crm_analytics::satisfaction::{Kano, KanoCategory};
/// use nalgebra::DMatrix;
///
/// // 3 respondents x 1 feature: (1,5) O, (1,5) O, (2,5) M.
/// let f = DMatrix::from_column_slice(3, 1, &[1.0, 1.0, 2.0]);
/// let d = DMatrix::from_column_slice(3, 1, &[5.0, 5.0, 5.0]);
/// let k = Kano::new().classify(&f, &d, &["5G coverage"])?;
/// assert_eq!(k.features[0].category, Some(KanoCategory::OneDimensional));
/// assert!(k.features[0].worse.is_some_and(|v| (v + 1.0).abs() < 1e-12));
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kano {
    tie_order: [KanoCategory; 6],
}

impl Default for Kano {
    fn default() -> Self {
        use KanoCategory::*;
        Kano {
            tie_order: [
                MustBe,
                OneDimensional,
                Attractive,
                Indifferent,
                Reverse,
                Questionable,
            ],
        }
    }
}

impl Kano {
    /// Default options.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Tie rule for the mode: earlier categories win ties.
    ///
    /// # Errors
    /// [`Kano::classify`] rejects an order that repeats a category.
    #[must_use]
    pub fn tie_order(mut self, order: [KanoCategory; 6]) -> Self {
        self.tie_order = order;
        self
    }

    /// The tie order.
    #[must_use]
    pub fn get_tie_order(&self) -> [KanoCategory; 6] {
        self.tie_order
    }

    /// Classify each feature (column) from the respondents' (rows) functional and
    /// dysfunctional answers. A pair with a NaN is skipped for that feature.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for shape or name-count mismatches;
    /// [`Error::InvalidValue`] naming respondent and feature for an answer not in 1..=5;
    /// [`Error::InvalidOption`] for a tie order with a repeated category.
    pub fn classify<S: AsRef<str>>(
        &self,
        functional: &DMatrix<f64>,
        dysfunctional: &DMatrix<f64>,
        features: &[S],
    ) -> Result<KanoResult> {
        for (i, c) in self.tie_order.iter().enumerate() {
            if self.tie_order[..i].contains(c) {
                return Err(Error::option(
                    "tie_order",
                    format!("{:?}", self.tie_order),
                    "a permutation of the six categories",
                ));
            }
        }
        validate::same_len(
            "rows of dysfunctional answers",
            functional.nrows(),
            dysfunctional.nrows(),
        )?;
        validate::same_len(
            "columns of dysfunctional answers",
            functional.ncols(),
            dysfunctional.ncols(),
        )?;
        validate::same_len("feature names", functional.ncols(), features.len())?;
        let mut out = Vec::with_capacity(features.len());
        for (j, name) in features.iter().enumerate() {
            let name = name.as_ref();
            let mut counts = KanoCounts::default();
            for i in 0..functional.nrows() {
                let (f, d) = (functional[(i, j)], dysfunctional[(i, j)]);
                if f.is_nan() || d.is_nan() {
                    continue;
                }
                let answer = |v: f64, which: &str| -> Result<u8> {
                    if v.is_finite() && v.fract() == 0.0 && (1.0..=5.0).contains(&v) {
                        Ok(v as u8)
                    } else {
                        Err(Error::InvalidValue {
                            what: format!("Kano {which} answer for feature `{name}`"),
                            location: format!("respondent {i}"),
                            value: v,
                            expected: "an integer in 1..=5".into(),
                        })
                    }
                };
                counts.add(KanoCategory::evaluate(
                    answer(f, "functional")?,
                    answer(d, "dysfunctional")?,
                )?);
            }
            out.push(KanoFeature::new(name, counts, &self.tie_order));
        }
        Ok(KanoResult {
            features: out,
            tie_order: self.tie_order,
        })
    }
}

/// Answers per Kano category for one feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct KanoCounts {
    /// Must-be.
    pub m: usize,
    /// One-dimensional.
    pub o: usize,
    /// Attractive.
    pub a: usize,
    /// Indifferent.
    pub i: usize,
    /// Reverse.
    pub r: usize,
    /// Questionable.
    pub q: usize,
}

impl KanoCounts {
    fn add(&mut self, c: KanoCategory) {
        *self.slot(c) += 1;
    }

    fn slot(&mut self, c: KanoCategory) -> &mut usize {
        match c {
            KanoCategory::MustBe => &mut self.m,
            KanoCategory::OneDimensional => &mut self.o,
            KanoCategory::Attractive => &mut self.a,
            KanoCategory::Indifferent => &mut self.i,
            KanoCategory::Reverse => &mut self.r,
            KanoCategory::Questionable => &mut self.q,
        }
    }

    /// The count of one category.
    #[must_use]
    pub fn get(&self, c: KanoCategory) -> usize {
        let mut copy = *self;
        *copy.slot(c)
    }

    /// All answers counted.
    #[must_use]
    pub fn total(&self) -> usize {
        self.m + self.o + self.a + self.i + self.r + self.q
    }
}

/// Kano result for one feature.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct KanoFeature {
    /// Feature name.
    pub name: String,
    /// Answers per category.
    pub counts: KanoCounts,
    /// Modal category (ties by the tie order); `None` with no answers.
    pub category: Option<KanoCategory>,
    /// Better coefficient; `None` when A + O + M + I = 0.
    pub better: Option<f64>,
    /// Worse coefficient (≤ 0); `None` when A + O + M + I = 0.
    pub worse: Option<f64>,
}

impl KanoFeature {
    fn new(name: &str, counts: KanoCounts, order: &[KanoCategory; 6]) -> Self {
        let mut best: Option<(KanoCategory, usize)> = None;
        for &c in order {
            let n = counts.get(c);
            if n > 0 && best.is_none_or(|(_, b)| n > b) {
                best = Some((c, n));
            }
        }
        let denom = (counts.a + counts.o + counts.m + counts.i) as f64;
        let (better, worse) = if denom > 0.0 {
            (
                Some((counts.a + counts.o) as f64 / denom),
                Some(-((counts.o + counts.m) as f64) / denom),
            )
        } else {
            (None, None)
        };
        KanoFeature {
            name: name.to_string(),
            counts,
            category: best.map(|(c, _)| c),
            better,
            worse,
        }
    }
}

/// Kano classification of several features. Made by [`Kano::classify`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct KanoResult {
    /// Features, in input order.
    pub features: Vec<KanoFeature>,
    /// The tie order used.
    pub tie_order: [KanoCategory; 6],
}

impl fmt::Display for KanoResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let order: String = self
            .tie_order
            .iter()
            .map(|c| c.code().to_string())
            .collect::<Vec<_>>()
            .join(" > ");
        writeln!(f, "Kano classification (ties: {order})")?;
        writeln!(
            f,
            "  {:<16} {:>4} {:>4} {:>4} {:>4} {:>4} {:>4}  {:<16} {:>7} {:>7}",
            "feature", "M", "O", "A", "I", "R", "Q", "category", "better", "worse"
        )?;
        for x in &self.features {
            let c = x.counts;
            let cat = x
                .category
                .map_or_else(|| "n/a".to_string(), |c| c.to_string());
            let b = x
                .better
                .map_or_else(|| "n/a".to_string(), |v| format!("{v:.3}"));
            let w = x
                .worse
                .map_or_else(|| "n/a".to_string(), |v| format!("{v:.3}"));
            writeln!(
                f,
                "  {:<16} {:>4} {:>4} {:>4} {:>4} {:>4} {:>4}  {:<16} {:>7} {:>7}",
                x.name, c.m, c.o, c.a, c.i, c.r, c.q, cat, b, w
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluation_table_cell_by_cell() {
        // MODELS.md §6.4, rows functional 1..5, columns dysfunctional 1..5:
        // row1 Q A A A O; rows 2-4 R I I I M; row5 R R R R Q.
        let table = ["QAAAO", "RIIIM", "RIIIM", "RIIIM", "RRRRQ"];
        for (f, row) in table.iter().enumerate() {
            for (d, code) in row.chars().enumerate() {
                let c = KanoCategory::evaluate(f as u8 + 1, d as u8 + 1).unwrap();
                assert_eq!(
                    c.code(),
                    code,
                    "functional {}, dysfunctional {}",
                    f + 1,
                    d + 1
                );
            }
        }
        assert!(KanoCategory::evaluate(0, 3).is_err());
        assert!(KanoCategory::evaluate(3, 6).is_err());
    }

    #[test]
    fn repeated_tie_order_is_rejected() {
        use KanoCategory::*;
        let k = Kano::new().tie_order([
            MustBe,
            MustBe,
            Attractive,
            Indifferent,
            Reverse,
            Questionable,
        ]);
        let m = DMatrix::from_element(1, 1, 1.0);
        assert!(matches!(
            k.classify(&m, &m, &["x"]),
            Err(Error::InvalidOption { .. })
        ));
    }
}
