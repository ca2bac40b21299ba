use std::fmt;

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

use super::model::{SatisfactionFit, correlation};
use crate::regression::{Ols, RelativeImportance};
use crate::survey::{ItemMatrix, LikertScale};
use crate::{Error, Result, validate};

/// Where importance comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ImportanceSource {
    /// Pearson r of the attribute with overall satisfaction (the default; Martilla &
    /// James's "derived importance").
    #[default]
    Correlation,
    /// Standardised regression beta of overall satisfaction on all attributes.
    StandardizedBeta,
    /// LMG share of R² of that regression.
    RelativeImportance,
    /// Importance stated by respondents (mean rated importance).
    Stated,
}

impl fmt::Display for ImportanceSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ImportanceSource::Correlation => "correlation with overall satisfaction",
            ImportanceSource::StandardizedBeta => "standardised beta",
            ImportanceSource::RelativeImportance => "LMG share of R²",
            ImportanceSource::Stated => "stated importance",
        })
    }
}

/// Where the crosshairs (quadrant boundaries) sit.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Crosshair {
    /// Means of the attributes' importances and performances (data-centred; default).
    #[default]
    DataMeans,
    /// Scale midpoints: performance at the rating scale's midpoint; importance at the
    /// importance scale's midpoint when importance is stated, else at the mean importance
    /// (derived importances have no scale midpoint).
    ScaleMidpoints,
    /// Fixed values.
    Fixed {
        /// Importance boundary.
        importance: f64,
        /// Performance boundary.
        performance: f64,
    },
}

/// The four IPA quadrants of Martilla & James (1977).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Quadrant {
    /// I: high importance, low performance.
    ConcentrateHere,
    /// II: high importance, high performance.
    KeepUpTheGoodWork,
    /// III: low importance, low performance.
    LowPriority,
    /// IV: low importance, high performance.
    PossibleOverkill,
}

impl Quadrant {
    /// Quadrant of a point; a value on a crosshair counts as high.
    #[must_use]
    pub fn of(importance: f64, performance: f64, ci: f64, cp: f64) -> Quadrant {
        match (importance >= ci, performance >= cp) {
            (true, false) => Quadrant::ConcentrateHere,
            (true, true) => Quadrant::KeepUpTheGoodWork,
            (false, false) => Quadrant::LowPriority,
            (false, true) => Quadrant::PossibleOverkill,
        }
    }
}

impl fmt::Display for Quadrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Quadrant::ConcentrateHere => "I concentrate here",
            Quadrant::KeepUpTheGoodWork => "II keep up the good work",
            Quadrant::LowPriority => "III low priority",
            Quadrant::PossibleOverkill => "IV possible overkill",
        })
    }
}

/// Options of an importance-performance analysis (Martilla & James 1977). Data enter at
/// [`Ipa::derived`], [`Ipa::stated`], [`Ipa::drivers`] or [`Ipa::from_points`].
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `importance` | [`ImportanceSource::Correlation`] | derived importance measure (ignored by `stated`) | not `Stated` for `derived` |
/// | `crosshair` | [`Crosshair::DataMeans`] | quadrant boundaries | finite fixed values |
///
/// # Formula
///
/// Performance `P_k` = mean rating of attribute `k`. The diagonal (iso-priority) variant
/// ranks attributes by `priority_k = (I_k - I_c)/sd_I - (P_k - P_c)/sd_P`, the signed
/// distance above the 45° line through the crosshair once both axes are put on a common
/// scale (divided by their spread across attributes); positive = importance ahead of
/// performance.
///
/// # References
/// Martilla & James (1977), J. Marketing 41(1):77-79; Bacon (2003), Int. J. Market
/// Research 45(1):55-71 (diagonal model); Ringle & Sarstedt (2016), IPMA.
///
/// # Example
///
/// ```
/// use crm_analytics::satisfaction::{Ipa, Quadrant};
///
/// let ipa = Ipa::new().from_points(&["coverage", "billing", "hotline"], &[0.7, 0.3, 0.5], &[6.0, 8.0, 7.5])?;
/// assert_eq!(ipa.points[0].quadrant, Quadrant::ConcentrateHere);
/// assert_eq!(ipa.points[1].quadrant, Quadrant::PossibleOverkill);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Ipa {
    importance: ImportanceSource,
    crosshair: Crosshair,
}

impl Ipa {
    /// Default options: correlation importance, crosshairs at the data means.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Derived-importance measure.
    ///
    /// # Errors
    /// [`Ipa::derived`] rejects [`ImportanceSource::Stated`].
    #[must_use]
    pub fn importance(mut self, source: ImportanceSource) -> Self {
        self.importance = source;
        self
    }

    /// Crosshair placement.
    ///
    /// # Errors
    /// Analyses reject non-finite fixed crosshairs.
    #[must_use]
    pub fn crosshair(mut self, crosshair: Crosshair) -> Self {
        self.crosshair = crosshair;
        self
    }

    /// The importance source.
    #[must_use]
    pub fn get_importance(&self) -> ImportanceSource {
        self.importance
    }

    /// The crosshair placement.
    #[must_use]
    pub fn get_crosshair(&self) -> Crosshair {
        self.crosshair
    }

    /// IPA with importance derived from the attributes' relation to `overall`
    /// satisfaction (one value per respondent, NaN = missing); respondents with any
    /// missing answer are dropped.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if `overall` does not match the rows;
    /// [`Error::InvalidOption`] for `Stated`; [`Error::NonFiniteAt`] for an infinite
    /// overall score; [`Error::TooFewObservations`]; regression errors for beta and LMG.
    pub fn derived(&self, attributes: &ItemMatrix, overall: &DVector<f64>) -> Result<IpaResult> {
        validate::same_len(
            "overall satisfaction (must equal respondents)",
            attributes.nrows(),
            overall.len(),
        )?;
        if let Some(i) = overall.iter().position(|v| v.is_infinite()) {
            return Err(Error::NonFiniteAt {
                what: "overall satisfaction".into(),
                index: i,
                value: overall[i],
            });
        }
        let rows: Vec<usize> = (0..attributes.nrows())
            .filter(|&i| {
                !overall[i].is_nan() && attributes.data().row(i).iter().all(|v| !v.is_nan())
            })
            .collect();
        if rows.len() < 3 {
            return Err(Error::TooFewObservations {
                what: "derived importance".into(),
                needed: 3,
                got: rows.len(),
            });
        }
        let x: DMatrix<f64> = attributes.data().select_rows(rows.iter());
        let y = DVector::from_iterator(rows.len(), rows.iter().map(|&i| overall[i]));
        let names = attributes.names();
        let importance: Vec<f64> = match self.importance {
            ImportanceSource::Correlation => x
                .column_iter()
                .enumerate()
                .map(|(j, c)| {
                    let c: Vec<f64> = c.iter().copied().collect();
                    correlation(&c, y.as_slice()).ok_or_else(|| {
                        Error::input(
                            format!("attribute `{}`", names[j]),
                            "zero variance, so its correlation is undefined",
                        )
                    })
                })
                .collect::<Result<_>>()?,
            ImportanceSource::StandardizedBeta => {
                let fit = Ols::new().fit_named(&x, &y, names)?;
                let sdy = sd(y.as_slice());
                (0..x.ncols())
                    .map(|j| {
                        fit.coefficients()[j + 1]
                            * sd(&x.column(j).iter().copied().collect::<Vec<_>>())
                            / sdy
                    })
                    .collect()
            }
            ImportanceSource::RelativeImportance => {
                RelativeImportance::lmg(&x, &y, names)?.shares().to_vec()
            }
            ImportanceSource::Stated => {
                return Err(Error::option(
                    "importance",
                    "Stated",
                    "a derived source (use Ipa::stated for stated importance)",
                ));
            }
        };
        let performance: Vec<f64> = x.column_iter().map(|c| c.mean()).collect();
        self.build(
            names,
            &importance,
            &performance,
            Some(attributes.scale()),
            None,
            self.importance,
            rows.len(),
        )
    }

    /// IPA with stated importance: mean importance ratings (`importance`, one column per
    /// attribute in the same order) against mean performance ratings. Each item's mean is
    /// over the respondents who answered it.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if the attribute counts differ; [`Error::InvalidInput`]
    /// if an attribute has no answers.
    pub fn stated(&self, performance: &ItemMatrix, importance: &ItemMatrix) -> Result<IpaResult> {
        validate::same_len(
            "importance items (must equal performance items)",
            performance.ncols(),
            importance.ncols(),
        )?;
        let means = |m: &ItemMatrix| -> Result<Vec<f64>> {
            m.data()
                .column_iter()
                .enumerate()
                .map(|(j, c)| {
                    let v: Vec<f64> = c.iter().copied().filter(|x| !x.is_nan()).collect();
                    if v.is_empty() {
                        Err(Error::input(
                            format!("item `{}`", m.names()[j]),
                            "no answers",
                        ))
                    } else {
                        Ok(v.iter().sum::<f64>() / v.len() as f64)
                    }
                })
                .collect()
        };
        let p = means(performance)?;
        let i = means(importance)?;
        self.build(
            performance.names(),
            &i,
            &p,
            Some(performance.scale()),
            Some(importance.scale()),
            ImportanceSource::Stated,
            performance.nrows(),
        )
    }

    /// IPA of the drivers of a fitted satisfaction model: performance = mean driver
    /// score, importance = correlation, standardised beta or LMG share per the options
    /// (`Stated` is read as `Correlation`).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if the chosen importance is unavailable (a correlation
    /// undefined, LMG not computed).
    pub fn drivers(&self, fit: &SatisfactionFit) -> Result<IpaResult> {
        let names: Vec<String> = fit.drivers().iter().map(|d| d.name.clone()).collect();
        let perf: Vec<f64> = fit.drivers().iter().map(|d| d.mean_score).collect();
        let source = match self.importance {
            ImportanceSource::Stated => ImportanceSource::Correlation,
            s => s,
        };
        let imp: Vec<f64> = fit
            .drivers()
            .iter()
            .map(|d| match source {
                ImportanceSource::StandardizedBeta => Some(d.standardized_beta),
                ImportanceSource::RelativeImportance => d.lmg_share,
                _ => d.correlation,
            })
            .collect::<Option<_>>()
            .ok_or_else(|| {
                Error::input(
                    "driver importance",
                    format!("{source} is not available for every driver"),
                )
            })?;
        self.build(
            &names,
            &imp,
            &perf,
            Some(fit.scale()),
            None,
            source,
            fit.rows_used(),
        )
    }

    /// IPA from given importance and performance values (no scale: `ScaleMidpoints`
    /// falls back to the data means).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`], [`Error::NonFiniteAt`], [`Error::Empty`].
    pub fn from_points<S: AsRef<str>>(
        &self,
        names: &[S],
        importance: &[f64],
        performance: &[f64],
    ) -> Result<IpaResult> {
        let names: Vec<String> = names.iter().map(|s| s.as_ref().to_string()).collect();
        self.build(
            &names,
            importance,
            performance,
            None,
            None,
            ImportanceSource::Stated,
            0,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        &self,
        names: &[String],
        importance: &[f64],
        performance: &[f64],
        pscale: Option<LikertScale>,
        iscale: Option<LikertScale>,
        source: ImportanceSource,
        rows_used: usize,
    ) -> Result<IpaResult> {
        if names.is_empty() {
            return Err(Error::Empty {
                what: "IPA attributes".into(),
            });
        }
        validate::same_len("importance values", names.len(), importance.len())?;
        validate::same_len("performance values", names.len(), performance.len())?;
        validate::slice_finite("importance", importance)?;
        validate::slice_finite("performance", performance)?;
        let k = names.len() as f64;
        let mi = importance.iter().sum::<f64>() / k;
        let mp = performance.iter().sum::<f64>() / k;
        let (ci, cp) = match self.crosshair {
            Crosshair::DataMeans => (mi, mp),
            Crosshair::ScaleMidpoints => (
                iscale.map_or(mi, |s| s.midpoint()),
                pscale.map_or(mp, |s| s.midpoint()),
            ),
            Crosshair::Fixed {
                importance,
                performance,
            } => {
                validate::slice_finite("crosshair", &[importance, performance])?;
                (importance, performance)
            }
        };
        let (si, sp) = (sd(importance), sd(performance));
        let points = names
            .iter()
            .enumerate()
            .map(|(j, n)| IpaPoint {
                name: n.clone(),
                importance: importance[j],
                performance: performance[j],
                performance_percent: pscale.map(|s| s.to_percent(performance[j])),
                quadrant: Quadrant::of(importance[j], performance[j], ci, cp),
                priority: (si > 0.0 && sp > 0.0)
                    .then(|| (importance[j] - ci) / si - (performance[j] - cp) / sp),
            })
            .collect();
        Ok(IpaResult {
            points,
            crosshair_importance: ci,
            crosshair_performance: cp,
            importance_source: source,
            performance_scale: pscale,
            rows_used,
        })
    }
}

pub(crate) fn sd(v: &[f64]) -> f64 {
    let n = v.len() as f64;
    if v.len() < 2 {
        return 0.0;
    }
    let m = v.iter().sum::<f64>() / n;
    (v.iter().map(|a| (a - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
}

/// One attribute on the importance-performance grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct IpaPoint {
    /// Attribute name.
    pub name: String,
    /// Importance.
    pub importance: f64,
    /// Performance (mean rating).
    pub performance: f64,
    /// Performance on 0-100 when the rating scale is known.
    pub performance_percent: Option<f64>,
    /// Quadrant.
    pub quadrant: Quadrant,
    /// Diagonal-model priority (see [`Ipa`]); `None` if importances or performances do
    /// not vary across attributes.
    pub priority: Option<f64>,
}

/// An importance-performance grid. Made by [`Ipa`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct IpaResult {
    /// Attributes, in input order.
    pub points: Vec<IpaPoint>,
    /// Importance crosshair.
    pub crosshair_importance: f64,
    /// Performance crosshair.
    pub crosshair_performance: f64,
    /// Importance measure.
    pub importance_source: ImportanceSource,
    /// Rating scale of performance, if known.
    pub performance_scale: Option<LikertScale>,
    /// Respondents used (0 when built from points).
    pub rows_used: usize,
}

impl IpaResult {
    /// The point called `name`.
    #[must_use]
    pub fn point(&self, name: &str) -> Option<&IpaPoint> {
        self.points.iter().find(|p| p.name == name)
    }

    /// Attributes in one quadrant, in input order.
    #[must_use]
    pub fn in_quadrant(&self, q: Quadrant) -> Vec<&IpaPoint> {
        self.points.iter().filter(|p| p.quadrant == q).collect()
    }

    /// Attributes by diagonal priority, highest first (attributes without a priority last).
    #[must_use]
    pub fn by_priority(&self) -> Vec<&IpaPoint> {
        let mut v: Vec<&IpaPoint> = self.points.iter().collect();
        v.sort_by(|a, b| {
            b.priority
                .unwrap_or(f64::NEG_INFINITY)
                .total_cmp(&a.priority.unwrap_or(f64::NEG_INFINITY))
        });
        v
    }
}

impl fmt::Display for IpaResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Importance-performance analysis (importance: {}; crosshairs I = {:.4}, P = {:.4})",
            self.importance_source, self.crosshair_importance, self.crosshair_performance
        )?;
        writeln!(
            f,
            "  {:<14} {:>10} {:>11} {:>9}  quadrant",
            "attribute", "importance", "performance", "priority"
        )?;
        for p in &self.points {
            let pr = p
                .priority
                .map_or_else(|| "n/a".to_string(), |v| format!("{v:.3}"));
            writeln!(
                f,
                "  {:<14} {:>10.4} {:>11.4} {:>9}  {}",
                p.name, p.importance, p.performance, pr, p.quadrant
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn quadrants_and_diagonal_by_hand() {
        // I = (1, 3), P = (4, 2): crosshairs (2, 3); sd_I = sd_P = √2.
        // a: I 1 < 2, P 4 >= 3 -> overkill; priority = (1 - 2)/√2 - (4 - 3)/√2 = -√2.
        // b: I 3 >= 2, P 2 < 3 -> concentrate here; priority = +√2.
        let r = Ipa::new()
            .from_points(&["a", "b"], &[1.0, 3.0], &[4.0, 2.0])
            .unwrap();
        assert_eq!(r.points[0].quadrant, Quadrant::PossibleOverkill);
        assert_eq!(r.points[1].quadrant, Quadrant::ConcentrateHere);
        assert_relative_eq!(r.points[1].priority.unwrap(), 2f64.sqrt(), epsilon = 1e-12);
        assert_eq!(r.by_priority()[0].name, "b");
        // On the crosshair counts as high.
        assert_eq!(
            Quadrant::of(2.0, 3.0, 2.0, 3.0),
            Quadrant::KeepUpTheGoodWork
        );
        let fixed = Ipa::new()
            .crosshair(Crosshair::Fixed {
                importance: 0.0,
                performance: 5.0,
            })
            .from_points(&["a", "b"], &[1.0, 3.0], &[4.0, 2.0])
            .unwrap();
        assert!(
            fixed
                .points
                .iter()
                .all(|p| p.quadrant == Quadrant::ConcentrateHere)
        );
        assert!(Ipa::new().from_points(&["a"], &[f64::NAN], &[1.0]).is_err());
    }
}
