//! RFM scoring: recency, frequency, monetary scores, codes and named segments.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::matrix::quantile_sorted;
use crate::{Error, Result};

/// How raw R, F, M values become scores 1..=bins (bins best).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum RfmScoring {
    /// Value breakpoints at the inner type-7 quantiles `k/bins` (as R's `rfm` package):
    /// bins are right-closed, `(b_(k-1), b_k]`, so **ties share a bin** and a value
    /// equal to a breakpoint goes to the lower bin; repeated breakpoints (many equal
    /// values) leave some scores unused. Default.
    #[default]
    QuantileBreaks,
    /// Equal-count bins on ranks: sort (stable, so ties are ordered by input
    /// position, i.e. by customer id when rows are in id order), rank `r = 0..n-1`, score
    /// `1 + ⌊r·bins/n⌋`; equal values may straddle a bin edge. Recency is ranked from
    /// the longest to the shortest time since the last purchase.
    EqualCountRanks,
}

/// A named RFM segment: a customer belongs to it when each score lies in the given
/// inclusive range. Rules are tried in order; the first match wins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RfmSegmentRule {
    /// Segment name.
    pub name: String,
    /// Inclusive recency score range.
    pub r: (u8, u8),
    /// Inclusive frequency score range.
    pub f: (u8, u8),
    /// Inclusive monetary score range.
    pub m: (u8, u8),
}

impl RfmSegmentRule {
    /// A rule.
    #[must_use]
    pub fn new(name: impl Into<String>, r: (u8, u8), f: (u8, u8), m: (u8, u8)) -> Self {
        RfmSegmentRule {
            name: name.into(),
            r,
            f,
            m,
        }
    }

    fn matches(&self, r: u8, f: u8, m: u8) -> bool {
        (self.r.0..=self.r.1).contains(&r)
            && (self.f.0..=self.f.1).contains(&f)
            && (self.m.0..=self.m.1).contains(&m)
    }

    /// The default segment table for 5 bins, following the segment names and score
    /// ranges of the R `rfm` package's documentation (Champions R4-5 F4-5 M4-5, Loyal
    /// Customers R2-5 F3-5 M3-5, ..., Lost R1-2 F1-2 M1-2); customers matching no rule
    /// are "Others".
    #[must_use]
    pub fn default_rules() -> Vec<RfmSegmentRule> {
        let r = RfmSegmentRule::new;
        vec![
            r("Champions", (4, 5), (4, 5), (4, 5)),
            r("Loyal Customers", (2, 5), (3, 5), (3, 5)),
            r("Potential Loyalist", (3, 5), (1, 3), (1, 3)),
            r("New Customers", (4, 5), (1, 1), (1, 1)),
            r("Promising", (3, 4), (1, 1), (1, 1)),
            r("Need Attention", (2, 3), (2, 3), (2, 3)),
            r("About To Sleep", (2, 3), (1, 2), (1, 2)),
            r("At Risk", (1, 2), (2, 5), (2, 5)),
            r("Can't Lose Them", (1, 1), (4, 5), (4, 5)),
            r("Hibernating", (1, 2), (1, 2), (1, 2)),
            r("Lost", (1, 1), (1, 2), (1, 2)),
        ]
    }
}

/// RFM options.
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `scoring` | [`RfmScoring::QuantileBreaks`] | how values become scores | any |
/// | `bins` | 5 | scores 1..=bins, bins best | 2..=9 |
/// | `rules` | [`RfmSegmentRule::default_rules`] | named segments | any |
///
/// Scores are independent (R, F and M each over all customers), the default in
/// Miglautsch (2000). Recency is time since the last purchase (smaller is better, so it
/// is reversed); frequency and monetary are "more is better". Code = 100R + 10F + M.
///
/// # Example
///
/// ```
/// use crm_analytics::value::Rfm;
///
/// let r = [5.0, 30.0, 60.0, 90.0, 200.0];
/// let f = [10.0, 6.0, 3.0, 2.0, 1.0];
/// let m = [500.0, 200.0, 90.0, 40.0, 10.0];
/// let s = Rfm::new().score(&r, &f, &m)?;
/// assert_eq!(s.codes()[0], 555);
/// assert_eq!(s.codes()[4], 111);
/// assert_eq!(s.segments()[0], "Champions");
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// - Miglautsch, J. R. (2000). Thoughts on RFM scoring. *J. Database Marketing* 8(1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rfm {
    scoring: RfmScoring,
    bins: u8,
    rules: Vec<RfmSegmentRule>,
}

impl Default for Rfm {
    fn default() -> Self {
        Rfm {
            scoring: RfmScoring::QuantileBreaks,
            bins: 5,
            rules: RfmSegmentRule::default_rules(),
        }
    }
}

impl Rfm {
    /// Quintile breaks and the default segments.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }
    /// Set the scoring.
    #[must_use]
    pub fn scoring(mut self, s: RfmScoring) -> Self {
        self.scoring = s;
        self
    }
    /// Set the number of bins.
    ///
    /// # Errors
    /// `score` rejects bins outside 2..=9.
    #[must_use]
    pub fn bins(mut self, b: u8) -> Self {
        self.bins = b;
        self
    }
    /// Replace the segment rules.
    #[must_use]
    pub fn rules(mut self, rules: Vec<RfmSegmentRule>) -> Self {
        self.rules = rules;
        self
    }
    /// The scoring.
    #[must_use]
    pub fn get_scoring(&self) -> RfmScoring {
        self.scoring
    }
    /// The number of bins.
    #[must_use]
    pub fn get_bins(&self) -> u8 {
        self.bins
    }
    /// The segment rules.
    #[must_use]
    pub fn get_rules(&self) -> &[RfmSegmentRule] {
        &self.rules
    }

    /// Score customers from their recency, frequency and monetary values.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for bins outside 2..=9; [`Error::Empty`];
    /// [`Error::DimensionMismatch`]; [`Error::NonFiniteAt`].
    pub fn score(&self, recency: &[f64], frequency: &[f64], monetary: &[f64]) -> Result<RfmScores> {
        if !(2..=9).contains(&self.bins) {
            return Err(Error::option("bins", self.bins, "in 2..=9"));
        }
        let n = recency.len();
        if n == 0 {
            return Err(Error::Empty {
                what: "recency".into(),
            });
        }
        crate::validate::same_len("frequency", n, frequency.len())?;
        crate::validate::same_len("monetary", n, monetary.len())?;
        crate::validate::slice_finite("recency", recency)?;
        crate::validate::slice_finite("frequency", frequency)?;
        crate::validate::slice_finite("monetary", monetary)?;
        let (r, rb) = self.scores_of(recency, true);
        let (f, fb) = self.scores_of(frequency, false);
        let (m, mb) = self.scores_of(monetary, false);
        let codes: Vec<u16> = (0..n)
            .map(|i| 100 * r[i] as u16 + 10 * f[i] as u16 + m[i] as u16)
            .collect();
        let segments = (0..n)
            .map(|i| {
                self.rules
                    .iter()
                    .find(|rule| rule.matches(r[i], f[i], m[i]))
                    .map_or_else(|| "Others".to_string(), |rule| rule.name.clone())
            })
            .collect();
        Ok(RfmScores {
            recency: r,
            frequency: f,
            monetary: m,
            codes,
            segments,
            breaks: [rb, fb, mb],
            scoring: self.scoring,
        })
    }

    fn scores_of(&self, x: &[f64], reverse: bool) -> (Vec<u8>, Vec<f64>) {
        let bins = self.bins as usize;
        let n = x.len();
        match self.scoring {
            RfmScoring::QuantileBreaks => {
                let mut s = x.to_vec();
                s.sort_unstable_by(f64::total_cmp);
                let breaks: Vec<f64> = (1..bins)
                    .map(|k| quantile_sorted(&s, k as f64 / bins as f64))
                    .collect();
                let scores = x
                    .iter()
                    .map(|v| {
                        let above = breaks.iter().filter(|b| v > b).count() as u8;
                        if reverse { self.bins - above } else { 1 + above }
                    })
                    .collect();
                (scores, breaks)
            }
            RfmScoring::EqualCountRanks => {
                let mut idx: Vec<usize> = (0..n).collect();
                if reverse {
                    idx.sort_by(|&a, &b| x[b].total_cmp(&x[a]));
                } else {
                    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
                }
                let mut scores = vec![0u8; n];
                for (r, &i) in idx.iter().enumerate() {
                    scores[i] = 1 + (r * bins / n) as u8;
                }
                (scores, Vec::new())
            }
        }
    }
}

/// RFM scores, codes and segments per customer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct RfmScores {
    recency: Vec<u8>,
    frequency: Vec<u8>,
    monetary: Vec<u8>,
    codes: Vec<u16>,
    segments: Vec<String>,
    breaks: [Vec<f64>; 3],
    scoring: RfmScoring,
}

impl RfmScores {
    /// Recency scores (bins = most recent).
    #[must_use]
    pub fn recency(&self) -> &[u8] {
        &self.recency
    }
    /// Frequency scores.
    #[must_use]
    pub fn frequency(&self) -> &[u8] {
        &self.frequency
    }
    /// Monetary scores.
    #[must_use]
    pub fn monetary(&self) -> &[u8] {
        &self.monetary
    }
    /// Combined codes `100R + 10F + M`.
    #[must_use]
    pub fn codes(&self) -> &[u16] {
        &self.codes
    }
    /// Sums `R + F + M`.
    #[must_use]
    pub fn sums(&self) -> Vec<u8> {
        (0..self.codes.len())
            .map(|i| self.recency[i] + self.frequency[i] + self.monetary[i])
            .collect()
    }
    /// Named segment per customer.
    #[must_use]
    pub fn segments(&self) -> &[String] {
        &self.segments
    }
    /// Inner breakpoints of R, F and M (empty for rank scoring).
    #[must_use]
    pub fn breaks(&self) -> &[Vec<f64>; 3] {
        &self.breaks
    }
    /// Customers per segment name, sorted by count (descending), then name.
    #[must_use]
    pub fn segment_counts(&self) -> Vec<(String, usize)> {
        let mut m: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        for s in &self.segments {
            *m.entry(s.as_str()).or_default() += 1;
        }
        let mut v: Vec<(String, usize)> = m.into_iter().map(|(k, c)| (k.to_string(), c)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    }
}

impl fmt::Display for RfmScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "RFM scores ({:?}), {} customers", self.scoring, self.codes.len())?;
        for (name, b) in ["R", "F", "M"].iter().zip(&self.breaks) {
            if !b.is_empty() {
                let s: Vec<String> = b.iter().map(|v| format!("{v:.2}")).collect();
                writeln!(f, "  {name} breaks: {}", s.join(", "))?;
            }
        }
        writeln!(f, "{:<20} {:>9} {:>7}", "segment", "customers", "share")?;
        let n = self.codes.len() as f64;
        for (s, c) in self.segment_counts() {
            writeln!(f, "{s:<20} {c:>9} {:>6.1}%", 100.0 * c as f64 / n)?;
        }
        Ok(())
    }
}
