use std::fmt;

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, FisherSnedecor};

use super::construct::Construct;
use super::items::ItemMatrix;
use super::missing::{MissingPolicy, Moments, item_moments};
use crate::{Error, Result, validate};

/// Options of a scale-reliability analysis (SPSS RELIABILITY with `/STATISTICS` item,
/// scale and correlations). Data enter only at [`Reliability::fit`].
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `confidence_level` | `0.95` | level of the Feldt interval for alpha | (0, 1) |
/// | `missing` | [`MissingPolicy::Listwise`] | treatment of missing answers | all three |
///
/// # Example
///
/// ```
/// use crm_analytics::survey::{ItemMatrix, LikertScale, Reliability};
/// use nalgebra::DMatrix;
///
/// let data = DMatrix::from_row_slice(5, 3, &[
///     4.0, 5.0, 4.0,  2.0, 3.0, 3.0,  5.0, 5.0, 4.0,  3.0, 2.0, 3.0,  1.0, 2.0, 2.0,
/// ]);
/// let items = ItemMatrix::new(data, &["q1", "q2", "q3"], LikertScale::new(1.0, 5.0)?)?;
/// let rel = Reliability::new().fit(&items)?;
/// assert!(rel.alpha() > 0.9);
/// let text = rel.to_string(); // ready to print
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Reliability {
    confidence_level: f64,
    missing: MissingPolicy,
}

impl Default for Reliability {
    fn default() -> Self {
        Reliability {
            confidence_level: 0.95,
            missing: MissingPolicy::Listwise,
        }
    }
}

impl Reliability {
    /// Default options: 95% Feldt interval, listwise deletion.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Level of the Feldt confidence interval.
    ///
    /// # Errors
    /// [`Reliability::fit`] rejects a level outside (0, 1).
    #[must_use]
    pub fn confidence_level(mut self, level: f64) -> Self {
        self.confidence_level = level;
        self
    }

    /// Missing-value policy.
    #[must_use]
    pub fn missing(mut self, policy: MissingPolicy) -> Self {
        self.missing = policy;
        self
    }

    /// The confidence level.
    #[must_use]
    pub fn get_confidence_level(&self) -> f64 {
        self.confidence_level
    }

    /// The missing-value policy.
    #[must_use]
    pub fn get_missing(&self) -> MissingPolicy {
        self.missing
    }

    /// Reliability of all items of `items` as one scale (named `"scale"`).
    ///
    /// # Errors
    /// - [`Error::InvalidOption`] for a bad confidence level;
    /// - [`Error::InvalidInput`] for fewer than two items or a total score with zero variance;
    /// - [`Error::TooFewObservations`] if fewer than two respondents remain after the
    ///   missing-value policy.
    pub fn fit(&self, items: &ItemMatrix) -> Result<ScaleReliability> {
        self.fit_named("scale", items)
    }

    /// Reliability of the items of one construct.
    ///
    /// # Errors
    /// As [`Reliability::fit`], plus [`Error::UnknownName`] for an item not in `items`.
    pub fn fit_construct(
        &self,
        items: &ItemMatrix,
        construct: &Construct,
    ) -> Result<ScaleReliability> {
        let sub = items.select(construct.items())?;
        self.fit_named(construct.name(), &sub)
    }

    /// Reliability of every construct, in order.
    ///
    /// # Errors
    /// As [`Reliability::fit_construct`], for the first construct that fails.
    pub fn fit_constructs(
        &self,
        items: &ItemMatrix,
        constructs: &[Construct],
    ) -> Result<Vec<ScaleReliability>> {
        constructs
            .iter()
            .map(|c| self.fit_construct(items, c))
            .collect()
    }

    fn fit_named(&self, name: &str, items: &ItemMatrix) -> Result<ScaleReliability> {
        validate::open_unit("confidence_level", self.confidence_level)?;
        let m = item_moments(items, self.missing)?;
        ScaleReliability::from_moments(name, items.names(), &m, items.nrows(), *self)
    }

    /// Reliability from summary statistics alone: item means, their sample covariance
    /// matrix (n - 1 denominator) and the number of respondents. This is what streaming
    /// and distributed computation need (see [`MomentAccumulator`](super::MomentAccumulator)).
    ///
    /// # Errors
    /// - [`Error::DimensionMismatch`] if names, means and covariance disagree in size;
    /// - [`Error::NonFinite`] / [`Error::NonFiniteAt`] for NaN or infinities;
    /// - [`Error::InvalidInput`] for an asymmetric covariance, a negative variance, fewer
    ///   than two items or a zero-variance total; [`Error::TooFewObservations`] if `n < 2`.
    pub fn from_covariance<S: AsRef<str>>(
        &self,
        name: &str,
        item_names: &[S],
        n: usize,
        means: &DVector<f64>,
        cov: &DMatrix<f64>,
    ) -> Result<ScaleReliability> {
        validate::open_unit("confidence_level", self.confidence_level)?;
        let k = item_names.len();
        validate::same_len("item means", k, means.len())?;
        validate::same_len("covariance rows", k, cov.nrows())?;
        validate::same_len("covariance columns", k, cov.ncols())?;
        validate::vector_finite("item means", means)?;
        validate::matrix_finite("covariance", cov)?;
        for a in 0..k {
            if cov[(a, a)] < 0.0 {
                return Err(Error::input(
                    "covariance",
                    format!("negative variance at item {a}"),
                ));
            }
            for b in 0..a {
                let scale = cov[(a, a)]
                    .abs()
                    .max(cov[(b, b)].abs())
                    .max(f64::MIN_POSITIVE);
                if (cov[(a, b)] - cov[(b, a)]).abs() > 1e-9 * scale {
                    return Err(Error::input(
                        "covariance",
                        format!("not symmetric at ({a}, {b})"),
                    ));
                }
            }
        }
        let names: Vec<String> = item_names.iter().map(|s| s.as_ref().to_string()).collect();
        let m = Moments {
            n,
            means: means.clone(),
            cov: cov.clone(),
        };
        ScaleReliability::from_moments(name, &names, &m, n, *self)
    }
}

/// Statistics of one item within its scale (SPSS "Item Statistics" and "Item-Total
/// Statistics").
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ItemStatistics {
    /// Item name.
    pub name: String,
    /// Mean over the rows used.
    pub mean: f64,
    /// Standard deviation (n - 1).
    pub sd: f64,
    /// Scale mean if the item is deleted.
    pub scale_mean_if_deleted: f64,
    /// Scale variance if the item is deleted.
    pub scale_variance_if_deleted: f64,
    /// Corrected item-total correlation: r of the item with the sum of the other items.
    /// `None` if the item or the rest has zero variance.
    pub corrected_item_total_r: Option<f64>,
    /// Raw alpha of the scale without this item; `None` for a two-item scale (one item
    /// left) or a zero-variance rest.
    pub alpha_if_deleted: Option<f64>,
}

/// The reliability of one scale: Cronbach's alpha (raw and standardised) with a Feldt
/// interval, item statistics and inter-item correlations. Made by [`Reliability::fit`].
///
/// # Formula
///
/// With `k` items, covariance matrix `C`, item variances `s²_i = C_ii`, total-score
/// variance `s²_T = Σ_ij C_ij`, correlation matrix `R` and its mean off-diagonal `r̄`:
///
/// ```text
/// alpha       = k/(k-1) · (1 - Σ s²_i / s²_T)                 (SPSS "Cronbach's Alpha")
/// alpha_std   = k r̄ / (1 + (k-1) r̄) = k/(k-1) · (1 - k / Σ_ij R_ij)
/// Feldt CI    = [1 - (1-alpha) F(1-a/2; n-1, (n-1)(k-1)), 1 - (1-alpha) F(a/2; n-1, (n-1)(k-1))]
/// r_(i,T-i)   = (Σ_j C_ij - s²_i) / sqrt(s²_i (s²_T - 2 Σ_j C_ij + s²_i))
/// ```
///
/// # Numerics
///
/// On an integer scale with no missing answers the item matrix keeps its scores packed as
/// small integers, and the covariance matrix is computed from exact integer sums:
/// `C_ab = (n S_ab - S_a S_b) / (n (n - 1))` with an exact numerator, so alpha is as
/// accurate as double precision allows. Otherwise a one-pass shifted-data algorithm over
/// cache-sized row blocks is used (two roundings per product, no cancellation of leading
/// digits). Pairwise deletion uses explicit pair loops.
///
/// # References
/// Cronbach (1951), Psychometrika 16:297-334; Feldt, Woodruff & Salih (1987), Applied
/// Psychological Measurement 11:93-103; IBM SPSS Statistics Algorithms, RELIABILITY.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ScaleReliability {
    /// Scale (construct) name.
    pub name: String,
    /// Number of items `k`.
    pub k: usize,
    /// Respondents used (smallest pairwise count under pairwise deletion).
    pub rows_used: usize,
    /// Respondents in the input.
    pub rows_total: usize,
    /// Missing-value policy used.
    pub missing: MissingPolicy,
    /// Raw Cronbach's alpha.
    pub alpha: f64,
    /// Alpha based on standardised items; `None` if an item has zero variance.
    pub alpha_standardized: Option<f64>,
    /// Confidence level of [`ScaleReliability::alpha_ci`].
    pub confidence_level: f64,
    /// Feldt confidence interval of the raw alpha.
    pub alpha_ci: (f64, f64),
    /// Mean of the total (sum) score.
    pub scale_mean: f64,
    /// Variance of the total (sum) score.
    pub scale_variance: f64,
    /// Per-item statistics, in item order.
    pub items: Vec<ItemStatistics>,
    /// Inter-item correlation matrix; `None` if an item has zero variance.
    pub inter_item_correlations: Option<DMatrix<f64>>,
    /// Mean off-diagonal inter-item correlation; `None` with the matrix.
    pub mean_inter_item_r: Option<f64>,
}

/// Raw alpha from a covariance matrix: `k/(k-1) (1 - tr C / 1'C1)`; `None` if k < 2 or
/// the total variance is not positive.
pub(crate) fn alpha_from_cov(cov: &DMatrix<f64>) -> Option<f64> {
    let k = cov.nrows();
    let total = cov.sum();
    if k < 2 || total.is_nan() || total <= 0.0 {
        return None;
    }
    let kf = k as f64;
    Some(kf / (kf - 1.0) * (1.0 - cov.trace() / total))
}

fn correlation(cov: &DMatrix<f64>) -> Option<DMatrix<f64>> {
    let k = cov.nrows();
    let sd: Vec<f64> = (0..k).map(|i| cov[(i, i)].sqrt()).collect();
    if sd.iter().any(|s| s.is_nan() || *s <= 0.0) {
        return None;
    }
    Some(DMatrix::from_fn(k, k, |a, b| {
        if a == b {
            1.0
        } else {
            cov[(a, b)] / (sd[a] * sd[b])
        }
    }))
}

impl ScaleReliability {
    fn from_moments(
        name: &str,
        names: &[String],
        m: &Moments,
        rows_total: usize,
        opts: Reliability,
    ) -> Result<Self> {
        let k = names.len();
        if k < 2 {
            return Err(Error::input(
                format!("scale `{name}`"),
                format!("Cronbach's alpha needs at least 2 items, got {k}"),
            ));
        }
        if m.n < 2 {
            return Err(Error::TooFewObservations {
                what: format!("reliability of `{name}`"),
                needed: 2,
                got: m.n,
            });
        }
        validate::matrix_finite("item covariance", &m.cov)?;
        let cov = &m.cov;
        let alpha = alpha_from_cov(cov).ok_or_else(|| {
            Error::input(
                format!("scale `{name}`"),
                "the total score has zero variance, so alpha is undefined",
            )
        })?;
        let total = cov.sum();
        let kf = k as f64;
        let corr = correlation(cov);
        let (alpha_std, mean_r) = match &corr {
            Some(r) => {
                let mean_r = (r.sum() - kf) / (kf * (kf - 1.0));
                (
                    Some(kf * mean_r / (1.0 + (kf - 1.0) * mean_r)),
                    Some(mean_r),
                )
            }
            None => (None, None),
        };
        let level = opts.confidence_level;
        let a = 1.0 - level;
        let df1 = (m.n - 1) as f64;
        let df2 = df1 * (kf - 1.0);
        let f = FisherSnedecor::new(df1, df2)
            .map_err(|e| Error::input("Feldt interval", e.to_string()))?;
        let alpha_ci = (
            1.0 - (1.0 - alpha) * f.inverse_cdf(1.0 - a / 2.0),
            1.0 - (1.0 - alpha) * f.inverse_cdf(a / 2.0),
        );
        let scale_mean = m.means.sum();
        let items = (0..k)
            .map(|i| {
                let row_sum: f64 = cov.row(i).sum();
                let var_i = cov[(i, i)];
                let rest_var = total - 2.0 * row_sum + var_i;
                let cov_rest = row_sum - var_i;
                let r = if var_i > 0.0 && rest_var > 0.0 {
                    Some((cov_rest / (var_i * rest_var).sqrt()).clamp(-1.0, 1.0))
                } else {
                    None
                };
                let alpha_del = if k >= 3 && rest_var > 0.0 {
                    let kr = kf - 1.0;
                    Some(kr / (kr - 1.0) * (1.0 - (cov.trace() - var_i) / rest_var))
                } else {
                    None
                };
                ItemStatistics {
                    name: names[i].clone(),
                    mean: m.means[i],
                    sd: var_i.sqrt(),
                    scale_mean_if_deleted: scale_mean - m.means[i],
                    scale_variance_if_deleted: rest_var,
                    corrected_item_total_r: r,
                    alpha_if_deleted: alpha_del,
                }
            })
            .collect();
        Ok(ScaleReliability {
            name: name.to_string(),
            k,
            rows_used: m.n,
            rows_total,
            missing: opts.missing,
            alpha,
            alpha_standardized: alpha_std,
            confidence_level: level,
            alpha_ci,
            scale_mean,
            scale_variance: total,
            items,
            inter_item_correlations: corr,
            mean_inter_item_r: mean_r,
        })
    }

    /// Raw Cronbach's alpha.
    #[must_use]
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// Standardised alpha (SPSS "based on standardized items"; seminr, plspm).
    #[must_use]
    pub fn alpha_standardized(&self) -> Option<f64> {
        self.alpha_standardized
    }

    /// Respondents used.
    #[must_use]
    pub fn rows_used(&self) -> usize {
        self.rows_used
    }

    /// Whether alpha reaches Nunnally's 0.7.
    #[must_use]
    pub fn is_acceptable(&self) -> bool {
        self.alpha >= 0.7
    }

    /// Items whose corrected item-total correlation is below `threshold` (commonly 0.3).
    #[must_use]
    pub fn weak_items(&self, threshold: f64) -> Vec<&str> {
        self.items
            .iter()
            .filter(|i| i.corrected_item_total_r.is_none_or(|r| r < threshold))
            .map(|i| i.name.as_str())
            .collect()
    }
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".to_string(), |x| format!("{x:.4}"))
}

impl fmt::Display for ScaleReliability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Reliability of `{}`: {} items, {} of {} respondents ({:?})",
            self.name, self.k, self.rows_used, self.rows_total, self.missing
        )?;
        writeln!(
            f,
            "  Cronbach's alpha {:.4} [{:.0}% Feldt CI {:.4}, {:.4}]; standardised {}; mean inter-item r {}",
            self.alpha,
            100.0 * self.confidence_level,
            self.alpha_ci.0,
            self.alpha_ci.1,
            opt(self.alpha_standardized),
            opt(self.mean_inter_item_r)
        )?;
        writeln!(
            f,
            "  {:<12} {:>8} {:>8} {:>12} {:>12}",
            "item", "mean", "sd", "corr. r(i,T)", "alpha if del"
        )?;
        for i in &self.items {
            writeln!(
                f,
                "  {:<12} {:>8.4} {:>8.4} {:>12} {:>12}",
                i.name,
                i.mean,
                i.sd,
                opt(i.corrected_item_total_r),
                opt(i.alpha_if_deleted)
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::LikertScale;
    use approx::assert_relative_eq;

    #[test]
    fn hand_worked_three_items() {
        // Items (rows = respondents): (1,2,2), (2,2,3), (3,4,3), (4,4,4)
        // means 2.5, 3, 3; deviations a = (-1.5,-.5,.5,1.5), b = (-1,-1,1,1), c = (-1,0,0,1)
        // cov (n-1 = 3): aa = 5/3, bb = 4/3, cc = 2/3, ab = 4/3, ac = 1, bc = 2/3
        // total = 5/3 + 4/3 + 2/3 + 2(4/3 + 1 + 2/3) = 11/3 + 6 = 29/3; trace = 11/3
        // alpha = 1.5 (1 - 11/29) = 1.5 · 18/29 = 27/29
        let d = DMatrix::from_row_slice(
            4,
            3,
            &[1.0, 2.0, 2.0, 2.0, 2.0, 3.0, 3.0, 4.0, 3.0, 4.0, 4.0, 4.0],
        );
        let items =
            ItemMatrix::new(d, &["a", "b", "c"], LikertScale::new(1.0, 5.0).unwrap()).unwrap();
        let r = Reliability::new().fit(&items).unwrap();
        assert_relative_eq!(r.alpha, 27.0 / 29.0, epsilon = 1e-12);
        // alpha if a deleted: cov(b,c) block: trace 2, total 2 + 4/3 = 10/3 -> 2 (1 - 0.6) = 0.8
        assert_relative_eq!(r.items[0].alpha_if_deleted.unwrap(), 0.8, epsilon = 1e-12);
        // corrected r for a: cov(a, b+c) = 4/3 + 1 = 7/3; var(b+c) = 10/3
        // r = (7/3) / sqrt(5/3 · 10/3) = 7 / sqrt(50)
        assert_relative_eq!(
            r.items[0].corrected_item_total_r.unwrap(),
            7.0 / 50f64.sqrt(),
            epsilon = 1e-12
        );
        assert_eq!(r.rows_used, 4);
        assert!(r.alpha_ci.0 < r.alpha && r.alpha < r.alpha_ci.1);
    }

    #[test]
    fn zero_variance_total_is_an_error_and_constant_item_has_no_std_alpha() {
        let d = DMatrix::from_row_slice(3, 2, &[2.0, 2.0, 2.0, 2.0, 2.0, 2.0]);
        let items = ItemMatrix::new(d, &["a", "b"], LikertScale::new(1.0, 5.0).unwrap()).unwrap();
        let e = Reliability::new().fit(&items).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid scale `scale`: the total score has zero variance, so alpha is undefined"
        );
        let d = DMatrix::from_row_slice(3, 2, &[2.0, 1.0, 2.0, 3.0, 2.0, 4.0]);
        let items = ItemMatrix::new(d, &["a", "b"], LikertScale::new(1.0, 5.0).unwrap()).unwrap();
        let r = Reliability::new().fit(&items).unwrap();
        assert!(r.alpha_standardized.is_none());
        assert!(r.items[0].corrected_item_total_r.is_none());
    }
}
