//! Evaluation of churn scores: ROC and AUC with a DeLong interval, gains and lift by
//! decile, top-decile lift, Gini, Brier score and a calibration table.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::data::{check_binary, same, z_crit};
use crate::{Error, Result, validate};

/// Options of the score evaluation. Data enter at [`ScoreEvaluation::evaluate`].
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `bins` | 10 | number of quantile groups (deciles) of the gains and calibration tables | 2..=n |
/// | `confidence_level` | 0.95 | level of the AUC interval | (0, 1) |
///
/// # Formula
///
/// ```text
/// AUC   = P(score of a churner > score of a non-churner) + P(tie) / 2   (Mann-Whitney)
/// DeLong: V10_i = share of non-churners below churner i (+ ties/2), V01_j likewise;
///         Var AUC = s²(V10)/n1 + s²(V01)/n0; CI = AUC ± z sqrt(Var), clipped to [0, 1]
/// Gini  = 2 AUC - 1
/// lift of decile k = churn rate in decile k / overall churn rate (deciles by descending score)
/// Brier = mean (p - y)²   (only for scores that are probabilities)
/// ```
///
/// Rows are sorted by descending score (ties in input order) and cut into groups of
/// `floor(k n / bins)` boundaries, so tied scores may straddle a boundary.
///
/// # Example
///
/// ```
/// use crm_analytics::survival::ScoreEvaluation;
///
/// let p = [0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1];
/// let y = [1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0];
/// let ev = ScoreEvaluation::new().bins(4).evaluate(&p, &y)?;
/// // 16 pairs; churner 0.2 beats 1 non-churner, 0.6 beats 3, 0.8 and 0.9 beat 4: 12/16
/// assert!((ev.auc() - 0.75).abs() < 1e-12);
/// assert!((ev.gini() - 0.5).abs() < 1e-12);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
///
/// DeLong, E. R., DeLong, D. M. & Clarke-Pearson, D. L. (1988). Comparing the areas under two
/// or more correlated ROC curves. Biometrics 44, 837-845. Neslin, S. A. et al. (2006).
/// Defection detection. Journal of Marketing Research 43, 204-211 (top-decile lift, Gini).
/// Brier, G. W. (1950). Monthly Weather Review 78, 1-3.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScoreEvaluation {
    bins: usize,
    confidence_level: f64,
}

impl Default for ScoreEvaluation {
    fn default() -> Self {
        ScoreEvaluation {
            bins: 10,
            confidence_level: 0.95,
        }
    }
}

impl ScoreEvaluation {
    /// The default options (deciles, 95 %).
    pub fn new() -> ScoreEvaluation {
        ScoreEvaluation::default()
    }
    /// Number of quantile groups.
    ///
    /// # Errors
    ///
    /// `evaluate` returns [`Error::InvalidOption`] when below 2 or above n.
    pub fn bins(mut self, bins: usize) -> ScoreEvaluation {
        self.bins = bins;
        self
    }
    /// Level of the AUC interval.
    ///
    /// # Errors
    ///
    /// `evaluate` returns [`Error::InvalidOption`] unless in (0, 1).
    pub fn confidence_level(mut self, level: f64) -> ScoreEvaluation {
        self.confidence_level = level;
        self
    }
    /// Number of groups.
    pub fn get_bins(&self) -> usize {
        self.bins
    }
    /// Confidence level.
    pub fn get_confidence_level(&self) -> f64 {
        self.confidence_level
    }

    /// Evaluate `scores` (higher = likelier to churn) against observed 0/1 `outcomes`.
    ///
    /// # Errors
    ///
    /// [`Error::Empty`], [`Error::DimensionMismatch`], [`Error::NonFiniteAt`] on a bad score,
    /// [`Error::InvalidValue`] on an outcome not 0/1, [`Error::InvalidInput`] when only one
    /// class occurs, [`Error::InvalidOption`].
    pub fn evaluate(&self, scores: &[f64], outcomes: &[f64]) -> Result<ScoreEvaluationFit> {
        let z = z_crit(self.confidence_level)?;
        let n = scores.len();
        if n == 0 {
            return Err(Error::Empty {
                what: "scores".into(),
            });
        }
        validate::same_len("`outcomes` (one per score)", n, outcomes.len())?;
        validate::slice_finite("scores", scores)?;
        check_binary("outcome", outcomes)?;
        if self.bins < 2 || self.bins > n {
            return Err(Error::option("bins", self.bins, format!("in 2..={n}")));
        }
        let n1 = outcomes.iter().filter(|&&y| y > 0.5).count();
        let n0 = n - n1;
        if n1 == 0 || n0 == 0 {
            return Err(Error::input(
                "outcomes",
                "both churners (1) and non-churners (0) are needed",
            ));
        }
        let (f1, f0) = (n1 as f64, n0 as f64);

        // DeLong via midranks.
        let all = midranks(scores);
        let pos: Vec<f64> = (0..n)
            .filter(|&i| outcomes[i] > 0.5)
            .map(|i| scores[i])
            .collect();
        let neg: Vec<f64> = (0..n)
            .filter(|&i| outcomes[i] == 0.0)
            .map(|i| scores[i])
            .collect();
        let rp = midranks(&pos);
        let rn = midranks(&neg);
        let (mut v10, mut v01) = (Vec::with_capacity(n1), Vec::with_capacity(n0));
        let (mut ip, mut ineg) = (0, 0);
        for i in 0..n {
            if outcomes[i] > 0.5 {
                v10.push((all[i] - rp[ip]) / f0);
                ip += 1;
            } else {
                v01.push(1.0 - (all[i] - rn[ineg]) / f1);
                ineg += 1;
            }
        }
        let auc = v10.iter().sum::<f64>() / f1;
        let var = |v: &[f64]| -> f64 {
            if v.len() < 2 {
                return 0.0;
            }
            let m = v.iter().sum::<f64>() / v.len() as f64;
            v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64
        };
        let auc_se = (var(&v10) / f1 + var(&v01) / f0).sqrt();

        // Descending order, stable.
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));

        // ROC points at distinct thresholds.
        let mut roc = vec![RocPoint {
            threshold: None,
            false_positive_rate: 0.0,
            true_positive_rate: 0.0,
        }];
        let (mut tp, mut fp) = (0.0, 0.0);
        let mut i = 0;
        while i < n {
            let s = scores[order[i]];
            while i < n && same(scores[order[i]], s) {
                if outcomes[order[i]] > 0.5 {
                    tp += 1.0;
                } else {
                    fp += 1.0;
                }
                i += 1;
            }
            roc.push(RocPoint {
                threshold: Some(s),
                false_positive_rate: fp / f0,
                true_positive_rate: tp / f1,
            });
        }

        // Gains and calibration by bins.
        let base = f1 / n as f64;
        let probabilities = scores.iter().all(|&s| (0.0..=1.0).contains(&s));
        let mut gains = Vec::with_capacity(self.bins);
        let mut calibration = Vec::with_capacity(self.bins);
        let (mut cum_n, mut cum_r) = (0usize, 0.0);
        for k in 0..self.bins {
            let (a, b) = (k * n / self.bins, (k + 1) * n / self.bins);
            let rows = &order[a..b];
            let responders: f64 = rows.iter().map(|&r| outcomes[r]).sum();
            let size = rows.len();
            cum_n += size;
            cum_r += responders;
            let rate = responders / size as f64;
            let mean_score = rows.iter().map(|&r| scores[r]).sum::<f64>() / size as f64;
            gains.push(GainsRow {
                group: k + 1,
                n: size,
                responders,
                response_rate: rate,
                cumulative_n: cum_n,
                cumulative_responders: cum_r,
                cumulative_capture: cum_r / f1,
                lift: rate / base,
                cumulative_lift: (cum_r / cum_n as f64) / base,
                max_score: scores[rows[0]],
                min_score: scores[rows[size - 1]],
            });
            calibration.push(CalibrationRow {
                group: k + 1,
                n: size,
                mean_predicted: mean_score,
                observed_rate: rate,
            });
        }
        let brier = probabilities.then(|| {
            scores
                .iter()
                .zip(outcomes)
                .map(|(p, y)| (p - y).powi(2))
                .sum::<f64>()
                / n as f64
        });
        Ok(ScoreEvaluationFit {
            options: *self,
            n,
            n_positive: n1,
            auc,
            auc_se,
            auc_ci: ((auc - z * auc_se).max(0.0), (auc + z * auc_se).min(1.0)),
            top_decile_lift: gains[0].lift,
            roc,
            gains,
            calibration: if probabilities {
                calibration
            } else {
                Vec::new()
            },
            brier,
        })
    }
}

/// Midranks (average ranks of ties), 1-based.
fn midranks(v: &[f64]) -> Vec<f64> {
    let n = v.len();
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut r = vec![0.0; n];
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && same(v[idx[j + 1]], v[idx[i]]) {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            r[k] = avg;
        }
        i = j + 1;
    }
    r
}

/// A point of the ROC curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct RocPoint {
    /// Scores at or above this value are called churners; `None` for the origin.
    pub threshold: Option<f64>,
    /// 1 - specificity.
    pub false_positive_rate: f64,
    /// Sensitivity.
    pub true_positive_rate: f64,
}

/// One group (decile) of the gains and lift table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct GainsRow {
    /// 1 = highest scores.
    pub group: usize,
    /// Customers in the group.
    pub n: usize,
    /// Churners in the group.
    pub responders: f64,
    /// Churn rate in the group.
    pub response_rate: f64,
    /// Customers in groups 1..=group.
    pub cumulative_n: usize,
    /// Churners in groups 1..=group.
    pub cumulative_responders: f64,
    /// Share of all churners captured by groups 1..=group (the gains curve).
    pub cumulative_capture: f64,
    /// Churn rate in the group over the overall rate.
    pub lift: f64,
    /// Cumulative churn rate over the overall rate.
    pub cumulative_lift: f64,
    /// Highest score in the group.
    pub max_score: f64,
    /// Lowest score in the group.
    pub min_score: f64,
}

/// One group of the calibration table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CalibrationRow {
    /// 1 = highest scores.
    pub group: usize,
    /// Customers in the group.
    pub n: usize,
    /// Mean predicted probability.
    pub mean_predicted: f64,
    /// Observed churn rate.
    pub observed_rate: f64,
}

/// The evaluation of a churn score. Made by [`ScoreEvaluation::evaluate`].
#[derive(Debug, Clone, Serialize)]
#[must_use]
pub struct ScoreEvaluationFit {
    options: ScoreEvaluation,
    n: usize,
    n_positive: usize,
    auc: f64,
    auc_se: f64,
    auc_ci: (f64, f64),
    top_decile_lift: f64,
    roc: Vec<RocPoint>,
    gains: Vec<GainsRow>,
    calibration: Vec<CalibrationRow>,
    brier: Option<f64>,
}

impl ScoreEvaluationFit {
    /// The options used.
    pub fn options(&self) -> &ScoreEvaluation {
        &self.options
    }
    /// Customers.
    pub fn n(&self) -> usize {
        self.n
    }
    /// Churners.
    pub fn n_positive(&self) -> usize {
        self.n_positive
    }
    /// Area under the ROC curve.
    pub fn auc(&self) -> f64 {
        self.auc
    }
    /// DeLong standard error of the AUC.
    pub fn auc_std_error(&self) -> f64 {
        self.auc_se
    }
    /// DeLong interval of the AUC (normal, clipped to [0, 1]).
    pub fn auc_interval(&self) -> (f64, f64) {
        self.auc_ci
    }
    /// Gini coefficient `2 AUC - 1` (accuracy ratio).
    pub fn gini(&self) -> f64 {
        2.0 * self.auc - 1.0
    }
    /// Lift of the first group (top decile with the default bins).
    pub fn top_decile_lift(&self) -> f64 {
        self.top_decile_lift
    }
    /// ROC curve from (0, 0) to (1, 1).
    pub fn roc(&self) -> &[RocPoint] {
        &self.roc
    }
    /// Gains and lift table.
    pub fn gains(&self) -> &[GainsRow] {
        &self.gains
    }
    /// Calibration table (empty when scores are not all in [0, 1]).
    pub fn calibration(&self) -> &[CalibrationRow] {
        &self.calibration
    }
    /// Brier score; `None` when scores are not all in [0, 1].
    pub fn brier(&self) -> Option<f64> {
        self.brier
    }
}

impl fmt::Display for ScoreEvaluationFit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lvl = self.options.confidence_level * 100.0;
        writeln!(
            f,
            "Churn score evaluation: n = {}, churners = {} ({:.2}%)",
            self.n,
            self.n_positive,
            100.0 * self.n_positive as f64 / self.n as f64
        )?;
        writeln!(
            f,
            "AUC = {:.4} (DeLong SE {:.4}, {lvl:.0}% CI {:.4} to {:.4}), Gini = {:.4}, top-decile lift = {:.3}",
            self.auc,
            self.auc_se,
            self.auc_ci.0,
            self.auc_ci.1,
            self.gini(),
            self.top_decile_lift
        )?;
        if let Some(b) = self.brier {
            writeln!(f, "Brier score = {b:.4}")?;
        }
        writeln!(
            f,
            "{:>5} {:>7} {:>9} {:>8} {:>9} {:>7} {:>8} {:>9} {:>9}",
            "group",
            "n",
            "churners",
            "rate",
            "captured",
            "lift",
            "cum.lift",
            "min score",
            "max score"
        )?;
        for g in &self.gains {
            writeln!(
                f,
                "{:>5} {:>7} {:>9.0} {:>8.4} {:>9.4} {:>7.3} {:>8.3} {:>9.4} {:>9.4}",
                g.group,
                g.n,
                g.responders,
                g.response_rate,
                g.cumulative_capture,
                g.lift,
                g.cumulative_lift,
                g.min_score,
                g.max_score
            )?;
        }
        if !self.calibration.is_empty() {
            writeln!(f, "Calibration: group, mean predicted, observed")?;
            for c in &self.calibration {
                writeln!(
                    f,
                    "{:>5} {:>9.4} {:>9.4}",
                    c.group, c.mean_predicted, c.observed_rate
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_count_half_and_midranks() {
        assert_eq!(midranks(&[3.0, 1.0, 3.0]), vec![2.5, 1.0, 2.5]);
        // One churner at 0.5, one non-churner at 0.5: AUC = 1/2.
        let ev = ScoreEvaluation::new()
            .bins(2)
            .evaluate(&[0.5, 0.5], &[1.0, 0.0])
            .unwrap();
        assert!((ev.auc() - 0.5).abs() < 1e-15);
    }
}
