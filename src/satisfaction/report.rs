use std::fmt;

use serde::Serialize;

use super::ipa::IpaResult;
use super::kano::KanoResult;
use super::model::{Driver, DriverRanking, SatisfactionFit};
use super::problems::{ChiSquareTest, ParetoTable};
use super::recommend::{Recommendation, recommend};
use crate::regression::OlsReport;
use crate::survey::ScaleReliability;

/// The satisfaction study's report: reliability, regression, driver ranking, IPA, Kano,
/// service problems and recommendations. Passive data; `Display` prints the tables.
/// Made by [`SatisfactionFit::report`] and extended with the `with_*` methods.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SatisfactionReport {
    /// Outcome construct.
    pub outcome: String,
    /// Respondents used / in the data.
    pub rows_used: usize,
    /// Respondents in the data.
    pub rows_total: usize,
    /// Reliability of each scale (empty unless added).
    pub reliability: Vec<ScaleReliability>,
    /// The full SPSS-style regression report (Model Summary, ANOVA, Coefficients with
    /// standardised betas and collinearity statistics, residual statistics, casewise list).
    pub regression: OlsReport,
    /// Ranking criterion of `drivers`.
    pub ranking: DriverRanking,
    /// Drivers, most important first.
    pub drivers: Vec<Driver>,
    /// Importance-performance grid, if added.
    pub ipa: Option<IpaResult>,
    /// Kano classification, if added.
    pub kano: Option<KanoResult>,
    /// Service-problem Pareto table, if added.
    pub problems: Option<ParetoTable>,
    /// Chi-square test of problem mix across segments, if added.
    pub problem_mix: Option<ChiSquareTest>,
    /// Recommendations (from the IPA and the drivers).
    pub recommendations: Vec<Recommendation>,
    /// Significance level used for recommendations.
    pub significance: f64,
}

impl SatisfactionReport {
    pub(crate) fn from_fit(fit: &SatisfactionFit) -> Self {
        let mut regression = fit.ols().report();
        regression.dependent = fit.outcome().to_string();
        let ranking = DriverRanking::RelativeImportance;
        SatisfactionReport {
            outcome: fit.outcome().to_string(),
            rows_used: fit.rows_used(),
            rows_total: fit.rows_total(),
            reliability: Vec::new(),
            regression,
            ranking,
            drivers: fit.ranked(ranking).into_iter().cloned().collect(),
            ipa: None,
            kano: None,
            problems: None,
            problem_mix: None,
            recommendations: Vec::new(),
            significance: fit.options().get_significance(),
        }
    }

    /// Add the reliability table.
    #[must_use]
    pub fn with_reliability(mut self, reliability: Vec<ScaleReliability>) -> Self {
        self.reliability = reliability;
        self
    }

    /// Add an IPA grid; recommendations are rebuilt from it and the drivers.
    #[must_use]
    pub fn with_ipa(mut self, ipa: IpaResult) -> Self {
        self.recommendations = recommend(&ipa, &self.drivers, self.significance);
        self.ipa = Some(ipa);
        self
    }

    /// Add a Kano classification.
    #[must_use]
    pub fn with_kano(mut self, kano: KanoResult) -> Self {
        self.kano = Some(kano);
        self
    }

    /// Add a service-problem Pareto table.
    #[must_use]
    pub fn with_problems(mut self, problems: ParetoTable) -> Self {
        self.problems = Some(problems);
        self
    }

    /// Add a chi-square test of problem mix across segments.
    #[must_use]
    pub fn with_problem_mix(mut self, test: ChiSquareTest) -> Self {
        self.problem_mix = Some(test);
        self
    }
}

fn table_p(p: f64) -> String {
    if p < 1e-4 {
        format!("{p:.2e}")
    } else {
        format!("{p:.4}")
    }
}

fn opt(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(|| "n/a".to_string(), |x| format!("{x:.digits$}"))
}

impl fmt::Display for SatisfactionReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Satisfaction study: `{}` on {} respondents (of {})",
            self.outcome, self.rows_used, self.rows_total
        )?;
        if !self.reliability.is_empty() {
            writeln!(f, "\nScale reliability")?;
            writeln!(
                f,
                "  {:<14} {:>5} {:>8} {:>17} {:>9} {:>8}",
                "scale", "items", "alpha", "95% Feldt CI", "std alpha", "mean r"
            )?;
            for r in &self.reliability {
                writeln!(
                    f,
                    "  {:<14} {:>5} {:>8.4} {:>17} {:>9} {:>8}",
                    r.name,
                    r.k,
                    r.alpha,
                    format!("[{:.3}, {:.3}]", r.alpha_ci.0, r.alpha_ci.1),
                    opt(r.alpha_standardized, 4),
                    opt(r.mean_inter_item_r, 3)
                )?;
            }
        }
        writeln!(f, "\nRegression of {} on the drivers", self.outcome)?;
        write!(f, "{}", self.regression)?;
        let by = if self.drivers.iter().all(|d| d.rank_lmg.is_some()) {
            "LMG share of R²"
        } else {
            "|standardised beta| (LMG not computed)"
        };
        writeln!(
            f,
            "\nDriver ranking (by {by}; ranks by beta and by p alongside)"
        )?;
        writeln!(
            f,
            "  {:<14} {:>8} {:>9} {:>10} {:>6} {:>6} {:>6}",
            "driver", "beta", "LMG share", "p", "#LMG", "#beta", "#p"
        )?;
        for d in &self.drivers {
            writeln!(
                f,
                "  {:<14} {:>8.4} {:>9} {:>10} {:>6} {:>6} {:>6}",
                d.name,
                d.standardized_beta,
                d.lmg_share
                    .map_or_else(|| "n/a".into(), |s| format!("{:.1}%", 100.0 * s)),
                table_p(d.p_value),
                d.rank_lmg.map_or_else(|| "-".into(), |r| r.to_string()),
                d.rank_beta,
                d.rank_p
            )?;
        }
        if let Some(ipa) = &self.ipa {
            writeln!(f)?;
            write!(f, "{ipa}")?;
        }
        if let Some(k) = &self.kano {
            writeln!(f)?;
            write!(f, "{k}")?;
        }
        if let Some(p) = &self.problems {
            writeln!(f)?;
            write!(f, "{p}")?;
        }
        if let Some(t) = &self.problem_mix {
            writeln!(f)?;
            write!(f, "{t}")?;
        }
        if !self.recommendations.is_empty() {
            writeln!(f, "\nRecommendations")?;
            for r in &self.recommendations {
                writeln!(f, "  {r}")?;
            }
        }
        Ok(())
    }
}
