use std::fmt;

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

use crate::regression::{MAX_LMG_PREDICTORS, Ols, OlsFit, RelativeImportance};
use crate::survey::{Construct, ConstructScores, ItemMatrix, LikertScale, Scoring};
use crate::{Error, Result};

/// The satisfaction model: overall satisfaction regressed on its driver constructs
/// (the seeds' study: service, quality, perceived value; any names and number).
/// Data enter only at [`SatisfactionModel::fit`] or [`SatisfactionModel::fit_scores`].
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `outcome` | `"Satisfaction"` | the overall-satisfaction construct | a construct name |
/// | `drivers` | empty = every other construct | the driver constructs | construct names, not the outcome |
/// | `ols` | [`Ols::new()`] | regression options (intercept, covariance type, level) | |
/// | `scoring` | [`Scoring::new()`] | construct scores (item mean, listwise) | |
/// | `significance` | `0.05` | level at which a driver counts as significant | (0, 1) |
///
/// # Example
///
/// ```
/// use crm_analytics::satisfaction::SatisfactionModel;
/// use crm_analytics::survey::{Construct, ItemMatrix, LikertScale};
/// use nalgebra::DMatrix;
///
/// let d = DMatrix::from_row_slice(8, 3, &[
///     7.0, 6.0, 7.0,  9.0, 8.0, 9.0,  5.0, 6.0, 5.0,  8.0, 9.0, 9.0,
///     4.0, 3.0, 3.0,  6.0, 7.0, 7.0,  9.0, 9.0, 10.0, 3.0, 5.0, 4.0,
/// ]);
/// let items = ItemMatrix::new(d, &["service", "value", "overall"], LikertScale::new(1.0, 10.0)?)?;
/// let cons = [
///     Construct::new("Service", &["service"])?,
///     Construct::new("Value", &["value"])?,
///     Construct::new("Satisfaction", &["overall"])?,
/// ];
/// let fit = SatisfactionModel::new().fit(&items, &cons)?;
/// assert_eq!(fit.drivers().len(), 2);
/// let text = fit.report().to_string(); // ready to print
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SatisfactionModel {
    outcome: String,
    drivers: Vec<String>,
    ols: Ols,
    scoring: Scoring,
    significance: f64,
}

impl Default for SatisfactionModel {
    fn default() -> Self {
        SatisfactionModel {
            outcome: "Satisfaction".into(),
            drivers: Vec::new(),
            ols: Ols::new(),
            scoring: Scoring::new(),
            significance: 0.05,
        }
    }
}

impl SatisfactionModel {
    /// Default options (see the table).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The overall-satisfaction construct.
    ///
    /// # Errors
    /// [`SatisfactionModel::fit`] rejects a name that is not a construct.
    #[must_use]
    pub fn outcome(mut self, construct: &str) -> Self {
        self.outcome = construct.to_string();
        self
    }

    /// The driver constructs (empty: every construct but the outcome).
    ///
    /// # Errors
    /// [`SatisfactionModel::fit`] rejects unknown or repeated names and the outcome.
    #[must_use]
    pub fn drivers<S: AsRef<str>>(mut self, constructs: &[S]) -> Self {
        self.drivers = constructs.iter().map(|s| s.as_ref().to_string()).collect();
        self
    }

    /// Regression options.
    #[must_use]
    pub fn ols(mut self, ols: Ols) -> Self {
        self.ols = ols;
        self
    }

    /// Construct-score options.
    #[must_use]
    pub fn scoring(mut self, scoring: Scoring) -> Self {
        self.scoring = scoring;
        self
    }

    /// Significance level for the "significant driver" flag.
    ///
    /// # Errors
    /// [`SatisfactionModel::fit`] rejects a level outside (0, 1).
    #[must_use]
    pub fn significance(mut self, level: f64) -> Self {
        self.significance = level;
        self
    }

    /// The outcome construct.
    #[must_use]
    pub fn get_outcome(&self) -> &str {
        &self.outcome
    }

    /// The driver constructs as set (empty = all others).
    #[must_use]
    pub fn get_drivers(&self) -> &[String] {
        &self.drivers
    }

    /// Regression options.
    #[must_use]
    pub fn get_ols(&self) -> Ols {
        self.ols
    }

    /// Construct-score options.
    #[must_use]
    pub fn get_scoring(&self) -> Scoring {
        self.scoring
    }

    /// The significance level.
    #[must_use]
    pub fn get_significance(&self) -> f64 {
        self.significance
    }

    /// Score the constructs of `items`, then fit (see [`SatisfactionModel::fit_scores`]).
    ///
    /// # Errors
    /// Every error of [`Scoring::score`] and [`SatisfactionModel::fit_scores`].
    pub fn fit(&self, items: &ItemMatrix, constructs: &[Construct]) -> Result<SatisfactionFit> {
        let scores = self.scoring.score(items, constructs)?;
        self.fit_scores(&scores)
    }

    /// Regress the outcome score on the driver scores and rank the drivers by
    /// standardised beta, by LMG share of R² and by p value.
    ///
    /// # Errors
    /// - [`Error::UnknownName`] / [`Error::DuplicateName`] / [`Error::InvalidInput`] for a
    ///   bad outcome or driver list (no drivers, the outcome among the drivers);
    /// - [`Error::InvalidOption`] for a bad significance level;
    /// - every error of [`Ols::fit_named`] (too few respondents, collinear drivers, ...);
    /// - [`Error::InvalidInput`] if the outcome or a driver score is constant.
    pub fn fit_scores(&self, scores: &ConstructScores) -> Result<SatisfactionFit> {
        crate::validate::open_unit("significance", self.significance)?;
        let yi = scores.index_of(&self.outcome)?;
        let drivers: Vec<String> = if self.drivers.is_empty() {
            scores
                .names()
                .iter()
                .filter(|n| **n != self.outcome)
                .cloned()
                .collect()
        } else {
            self.drivers.clone()
        };
        if drivers.is_empty() {
            return Err(Error::input("satisfaction model", "no driver constructs"));
        }
        for (i, d) in drivers.iter().enumerate() {
            if *d == self.outcome {
                return Err(Error::input(
                    "satisfaction model",
                    format!("the outcome `{d}` is also listed as a driver"),
                ));
            }
            if drivers[..i].contains(d) {
                return Err(Error::DuplicateName {
                    what: "driver".into(),
                    name: d.clone(),
                });
            }
        }
        let idx = drivers
            .iter()
            .map(|d| scores.index_of(d))
            .collect::<Result<Vec<_>>>()?;
        let s = scores.scores();
        let y: DVector<f64> = s.column(yi).into_owned();
        let x: DMatrix<f64> = s.select_columns(idx.iter());
        let sd = |v: &[f64]| -> f64 {
            let n = v.len() as f64;
            let m = v.iter().sum::<f64>() / n;
            (v.iter().map(|a| (a - m).powi(2)).sum::<f64>() / (n - 1.0).max(1.0)).sqrt()
        };
        let sd_y = sd(y.as_slice());
        if sd_y.is_nan() || sd_y <= 0.0 {
            return Err(Error::input(
                format!("outcome `{}`", self.outcome),
                "the score is constant, so there is nothing to explain",
            ));
        }
        let ols = self.ols.fit_named(&x, &y, &drivers)?;
        let importance = if self.ols.get_intercept() && drivers.len() <= MAX_LMG_PREDICTORS {
            Some(RelativeImportance::lmg_from_fit(&ols)?)
        } else {
            None
        };
        let off = usize::from(self.ols.get_intercept());
        let b = ols.coefficients();
        let se = ols.std_errors();
        let t = ols.t_values();
        let p = ols.p_values();
        let scale = scores.scale();
        let mut table: Vec<Driver> = drivers
            .iter()
            .enumerate()
            .map(|(j, name)| {
                let col: Vec<f64> = x.column(j).iter().copied().collect();
                let sdx = sd(&col);
                let mean = col.iter().sum::<f64>() / col.len() as f64;
                let r = correlation(&col, y.as_slice());
                Driver {
                    name: name.clone(),
                    coefficient: b[off + j],
                    std_error: se[off + j],
                    t_value: t[off + j],
                    p_value: p[off + j],
                    standardized_beta: b[off + j] * sdx / sd_y,
                    correlation: r,
                    lmg_share: importance.as_ref().map(|i| i.shares()[j]),
                    lmg_r_squared: importance.as_ref().map(|i| i.contributions()[j]),
                    significant: p[off + j] < self.significance,
                    mean_score: mean,
                    mean_percent: if scores.method() == crate::survey::ScoreMethod::Sum {
                        None
                    } else {
                        Some(scale.to_percent(mean))
                    },
                    rank_beta: 0,
                    rank_lmg: None,
                    rank_p: 0,
                }
            })
            .collect();
        if table.iter().any(|d| !d.standardized_beta.is_finite()) {
            return Err(Error::input(
                "satisfaction model",
                "a driver score is constant",
            ));
        }
        assign_ranks(&mut table);
        Ok(SatisfactionFit {
            options: self.clone(),
            outcome: self.outcome.clone(),
            drivers: table,
            ols,
            importance,
            rows_used: scores.rows_used(),
            rows_total: scores.rows_total(),
            scale,
            outcome_mean: y.mean(),
        })
    }
}

pub(crate) fn correlation(a: &[f64], b: &[f64]) -> Option<f64> {
    let n = a.len() as f64;
    let ma = a.iter().sum::<f64>() / n;
    let mb = b.iter().sum::<f64>() / n;
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    let d = (saa * sbb).sqrt();
    (d > 0.0 && d.is_finite()).then(|| (sab / d).clamp(-1.0, 1.0))
}

fn rank_by(
    table: &[Driver],
    key: impl Fn(&Driver) -> Option<f64>,
    descending: bool,
) -> Vec<Option<usize>> {
    let mut idx: Vec<usize> = (0..table.len())
        .filter(|&i| key(&table[i]).is_some())
        .collect();
    idx.sort_by(|&a, &b| {
        let (x, y) = (key(&table[a]).unwrap_or(0.0), key(&table[b]).unwrap_or(0.0));
        if descending {
            y.total_cmp(&x)
        } else {
            x.total_cmp(&y)
        }
    });
    let mut out = vec![None; table.len()];
    for (r, i) in idx.into_iter().enumerate() {
        out[i] = Some(r + 1);
    }
    out
}

fn assign_ranks(table: &mut [Driver]) {
    let rb = rank_by(table, |d| Some(d.standardized_beta.abs()), true);
    let rl = rank_by(table, |d| d.lmg_share, true);
    let rp = rank_by(table, |d| Some(d.p_value), false);
    for (i, d) in table.iter_mut().enumerate() {
        d.rank_beta = rb[i].unwrap_or(0);
        d.rank_lmg = rl[i];
        d.rank_p = rp[i].unwrap_or(0);
    }
}

/// One driver of satisfaction: its regression row, standardised beta, LMG share and ranks.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Driver {
    /// Construct name.
    pub name: String,
    /// Unstandardised coefficient.
    pub coefficient: f64,
    /// Standard error (of the covariance type chosen in the OLS options).
    pub std_error: f64,
    /// t statistic.
    pub t_value: f64,
    /// Two-sided p value.
    pub p_value: f64,
    /// Standardised beta `b · sd_x / sd_y`.
    pub standardized_beta: f64,
    /// Pearson correlation with the outcome; `None` if undefined.
    pub correlation: Option<f64>,
    /// LMG share of R² (sums to 1 over drivers); `None` without an intercept or with more
    /// than [`MAX_LMG_PREDICTORS`] drivers.
    pub lmg_share: Option<f64>,
    /// LMG contribution to R² (sums to R²).
    pub lmg_r_squared: Option<f64>,
    /// `p_value < significance`.
    pub significant: bool,
    /// Mean driver score (performance) on the item scale.
    pub mean_score: f64,
    /// Mean score on 0-100 (`None` for sum scores).
    pub mean_percent: Option<f64>,
    /// Rank by |standardised beta| (1 = largest).
    pub rank_beta: usize,
    /// Rank by LMG share (1 = largest).
    pub rank_lmg: Option<usize>,
    /// Rank by p value (1 = smallest).
    pub rank_p: usize,
}

/// Which criterion orders the drivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum DriverRanking {
    /// Largest LMG share of R² first (falls back to beta when LMG is unavailable). Default:
    /// the share of explained variance is robust to correlated drivers.
    #[default]
    RelativeImportance,
    /// Largest |standardised beta| first.
    StandardizedBeta,
    /// Smallest p value first.
    Significance,
}

/// A fitted satisfaction model. Made by [`SatisfactionModel::fit`].
#[derive(Debug, Clone, Serialize)]
#[must_use]
pub struct SatisfactionFit {
    options: SatisfactionModel,
    outcome: String,
    drivers: Vec<Driver>,
    ols: OlsFit,
    importance: Option<RelativeImportance>,
    rows_used: usize,
    rows_total: usize,
    scale: LikertScale,
    outcome_mean: f64,
}

impl SatisfactionFit {
    /// The options used.
    pub fn options(&self) -> &SatisfactionModel {
        &self.options
    }

    /// The outcome construct.
    #[must_use]
    pub fn outcome(&self) -> &str {
        &self.outcome
    }

    /// Drivers in the order given (or construct order).
    #[must_use]
    pub fn drivers(&self) -> &[Driver] {
        &self.drivers
    }

    /// The driver called `name`.
    ///
    /// # Errors
    /// [`Error::UnknownName`] if there is no such driver.
    pub fn driver(&self, name: &str) -> Result<&Driver> {
        self.drivers
            .iter()
            .find(|d| d.name == name)
            .ok_or_else(|| Error::UnknownName {
                what: "driver".into(),
                name: name.to_string(),
            })
    }

    /// Drivers ordered by `by` (most important first).
    #[must_use]
    pub fn ranked(&self, by: DriverRanking) -> Vec<&Driver> {
        let mut v: Vec<&Driver> = self.drivers.iter().collect();
        let use_lmg =
            by == DriverRanking::RelativeImportance && v.iter().all(|d| d.rank_lmg.is_some());
        v.sort_by_key(|d| match by {
            DriverRanking::RelativeImportance if use_lmg => d.rank_lmg.unwrap_or(usize::MAX),
            DriverRanking::Significance => d.rank_p,
            _ => d.rank_beta,
        });
        v
    }

    /// The full regression fit.
    pub fn ols(&self) -> &OlsFit {
        &self.ols
    }

    /// The LMG decomposition of R², when computed.
    #[must_use]
    pub fn relative_importance(&self) -> Option<&RelativeImportance> {
        self.importance.as_ref()
    }

    /// Respondents used.
    #[must_use]
    pub fn rows_used(&self) -> usize {
        self.rows_used
    }

    /// Respondents in the item matrix.
    #[must_use]
    pub fn rows_total(&self) -> usize {
        self.rows_total
    }

    /// The item scale.
    #[must_use]
    pub fn scale(&self) -> LikertScale {
        self.scale
    }

    /// Mean outcome score.
    #[must_use]
    pub fn outcome_mean(&self) -> f64 {
        self.outcome_mean
    }

    /// The report: regression table, driver ranking; add reliability, IPA, Kano and
    /// problem analysis with the `with_*` methods of [`SatisfactionReport`](super::SatisfactionReport).
    pub fn report(&self) -> super::SatisfactionReport {
        super::SatisfactionReport::from_fit(self)
    }
}

impl fmt::Display for SatisfactionFit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.report(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::satisfaction::{Ipa, RecommendedAction, recommend};
    use approx::assert_relative_eq;

    #[test]
    fn one_driver_by_hand_and_downgraded_recommendation() {
        // x = (1, 2, 3, 4), y = (1, 3, 2, 4): Sxx = Syy = 5, Sxy = 4 -> b = 0.8 and, with
        // equal SDs, beta = r = 0.8; t = r √(n-2) / √(1 - r²) = 0.8 √2 / 0.6 = 1.886 on
        // 2 df -> p ≈ 0.2, not significant at 0.05.
        let d = DMatrix::from_row_slice(4, 2, &[1.0, 1.0, 2.0, 3.0, 3.0, 2.0, 4.0, 4.0]);
        let items = ItemMatrix::new(d, &["x", "y"], LikertScale::new(1.0, 5.0).unwrap()).unwrap();
        let cons = [
            Construct::new("X", &["x"]).unwrap(),
            Construct::new("Satisfaction", &["y"]).unwrap(),
        ];
        let fit = SatisfactionModel::new().fit(&items, &cons).unwrap();
        let x = fit.driver("X").unwrap();
        assert_relative_eq!(x.coefficient, 0.8, epsilon = 1e-12);
        assert_relative_eq!(x.standardized_beta, 0.8, epsilon = 1e-12);
        assert_relative_eq!(x.correlation.unwrap(), 0.8, epsilon = 1e-12);
        assert_relative_eq!(x.t_value, 0.8 * 2f64.sqrt() / 0.6, epsilon = 1e-12);
        assert!(!x.significant);
        assert_relative_eq!(x.lmg_share.unwrap(), 1.0, epsilon = 1e-12);
        assert_eq!(x.mean_percent, Some(37.5)); // mean 2.5 on 1..5
        let ipa = Ipa::new().drivers(&fit).unwrap();
        let recs = recommend(&ipa, fit.drivers(), 0.05);
        assert_eq!(recs[0].action, RecommendedAction::Monitor);
        assert!(
            SatisfactionModel::new()
                .significance(1.0)
                .fit(&items, &cons)
                .is_err()
        );
    }
}
