use std::fmt;

use serde::Serialize;

use super::ipa::IpaResult;
use super::kano::KanoResult;
use super::model::{Driver, DriverRanking, SatisfactionFit};
use super::problems::{ChiSquareTest, ParetoTable};
use super::recommend::{Recommendation, recommend};
use crate::survey::ScaleReliability;

/// One row of the coefficient table (SPSS "Coefficients").
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CoefficientRow {
    /// Term (`const` for the intercept).
    pub term: String,
    /// Unstandardised coefficient B.
    pub coefficient: f64,
    /// Standard error.
    pub std_error: f64,
    /// Standardised beta (`None` for the intercept).
    pub beta: Option<f64>,
    /// t statistic.
    pub t_value: f64,
    /// p value.
    pub p_value: f64,
}

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
    /// Coefficient table, intercept first.
    pub coefficients: Vec<CoefficientRow>,
    /// R².
    pub r_squared: f64,
    /// Adjusted R².
    pub adj_r_squared: f64,
    /// F statistic and its p value (`None` without predictors or intercept).
    pub f_statistic: Option<f64>,
    /// p value of F.
    pub f_p_value: Option<f64>,
    /// Model and residual degrees of freedom.
    pub df: (usize, usize),
    /// Residual standard error.
    pub residual_std_error: f64,
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
        let ols = fit.ols();
        let names = ols.parameter_names();
        let b = ols.coefficients();
        let se = ols.std_errors();
        let t = ols.t_values();
        let p = ols.p_values();
        let coefficients = names
            .iter()
            .enumerate()
            .map(|(i, n)| CoefficientRow {
                term: n.clone(),
                coefficient: b[i],
                std_error: se[i],
                beta: fit
                    .drivers()
                    .iter()
                    .find(|d| d.name == *n)
                    .map(|d| d.standardized_beta),
                t_value: t[i],
                p_value: p[i],
            })
            .collect();
        let ranking = DriverRanking::RelativeImportance;
        SatisfactionReport {
            outcome: fit.outcome().to_string(),
            rows_used: fit.rows_used(),
            rows_total: fit.rows_total(),
            reliability: Vec::new(),
            coefficients,
            r_squared: ols.r_squared(),
            adj_r_squared: ols.adj_r_squared(),
            f_statistic: ols.f_statistic(),
            f_p_value: ols.f_p_value(),
            df: (ols.df_model(), ols.df_residual()),
            residual_std_error: ols.residual_std_error(),
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
        writeln!(
            f,
            "  R² = {:.4}, adjusted R² = {:.4}, F({}, {}) = {}, p = {}, s = {:.4}",
            self.r_squared,
            self.adj_r_squared,
            self.df.0,
            self.df.1,
            opt(self.f_statistic, 3),
            self.f_p_value
                .map_or_else(|| "n/a".into(), |p| format!("{p:.3e}")),
            self.residual_std_error
        )?;
        writeln!(
            f,
            "  {:<14} {:>10} {:>10} {:>8} {:>8} {:>10}",
            "term", "B", "SE", "beta", "t", "p"
        )?;
        for c in &self.coefficients {
            writeln!(
                f,
                "  {:<14} {:>10.5} {:>10.5} {:>8} {:>8.3} {:>10}",
                c.term,
                c.coefficient,
                c.std_error,
                opt(c.beta, 4),
                c.t_value,
                table_p(c.p_value)
            )?;
        }
        writeln!(
            f,
            "\nDriver ranking (by LMG share of R²; ranks by beta and by p alongside)"
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
