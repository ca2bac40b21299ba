use std::fmt;

use serde::{Deserialize, Serialize};

use super::ipa::{IpaResult, Quadrant};
use super::model::Driver;

/// What to do about a driver or attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RecommendedAction {
    /// Important and under-performing: invest here first.
    ImproveFirst,
    /// Important and performing well: keep the level.
    Maintain,
    /// Neither important nor performing, or an effect that is not significant: watch it.
    Monitor,
    /// Performing beyond its importance: resources may be moved elsewhere.
    Reallocate,
}

impl fmt::Display for RecommendedAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RecommendedAction::ImproveFirst => "improve first",
            RecommendedAction::Maintain => "maintain",
            RecommendedAction::Monitor => "monitor",
            RecommendedAction::Reallocate => "reallocate",
        })
    }
}

/// One recommendation, with the numbers behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Recommendation {
    /// 1 = act first.
    pub priority: usize,
    /// Driver or attribute.
    pub name: String,
    /// The action.
    pub action: RecommendedAction,
    /// IPA quadrant.
    pub quadrant: Quadrant,
    /// Importance on the IPA grid.
    pub importance: f64,
    /// Performance (mean rating).
    pub performance: f64,
    /// Diagonal-model priority.
    pub gap: Option<f64>,
    /// Standardised beta, when the point is a regression driver.
    pub standardized_beta: Option<f64>,
    /// LMG share of R², when available.
    pub lmg_share: Option<f64>,
    /// p value, when the point is a regression driver.
    pub p_value: Option<f64>,
    /// Why, in one sentence.
    pub rationale: String,
}

/// Recommendations from an IPA grid and (optionally) the regression drivers of the same
/// names.
///
/// Rules: quadrant I -> improve first, II -> maintain, III -> monitor, IV -> reallocate;
/// a regression driver whose p value is not below `significance` is moved to *monitor*
/// (its effect is not established). Order: by action in that sequence, then by
/// diagonal priority (importance ahead of performance first), then by importance.
///
/// # Example
///
/// ```
/// use crm_analytics::satisfaction::{Ipa, RecommendedAction, recommend};
///
/// let ipa = Ipa::new().from_points(&["network", "billing", "hotline"], &[0.7, 0.3, 0.6], &[6.0, 8.0, 8.2])?;
/// let recs = recommend(&ipa, &[], 0.05);
/// assert_eq!(recs[0].name, "network");
/// assert_eq!(recs[0].action, RecommendedAction::ImproveFirst);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[must_use]
pub fn recommend(ipa: &IpaResult, drivers: &[Driver], significance: f64) -> Vec<Recommendation> {
    let mut out: Vec<Recommendation> = ipa
        .points
        .iter()
        .map(|p| {
            let d = drivers.iter().find(|d| d.name == p.name);
            let mut action = match p.quadrant {
                Quadrant::ConcentrateHere => RecommendedAction::ImproveFirst,
                Quadrant::KeepUpTheGoodWork => RecommendedAction::Maintain,
                Quadrant::LowPriority => RecommendedAction::Monitor,
                Quadrant::PossibleOverkill => RecommendedAction::Reallocate,
            };
            let (ci, cp) = (ipa.crosshair_importance, ipa.crosshair_performance);
            let mut rationale = match p.quadrant {
                Quadrant::ConcentrateHere => format!(
                    "importance {:.3} is above the crosshair {ci:.3} while performance {:.2} is below {cp:.2}",
                    p.importance, p.performance
                ),
                Quadrant::KeepUpTheGoodWork => format!(
                    "importance {:.3} >= {ci:.3} and performance {:.2} >= {cp:.2}: a strength to keep",
                    p.importance, p.performance
                ),
                Quadrant::LowPriority => format!(
                    "importance {:.3} < {ci:.3} and performance {:.2} < {cp:.2}: weak but matters little",
                    p.importance, p.performance
                ),
                Quadrant::PossibleOverkill => format!(
                    "performance {:.2} >= {cp:.2} exceeds its importance {:.3} < {ci:.3}",
                    p.performance, p.importance
                ),
            };
            if let Some(d) = d {
                rationale.push_str(&format!("; beta {:.3}, p {}", d.standardized_beta, fmt_p(d.p_value)));
                if let Some(s) = d.lmg_share {
                    rationale.push_str(&format!(", {:.1}% of R²", 100.0 * s));
                }
                if d.p_value >= significance && action != RecommendedAction::Reallocate {
                    action = RecommendedAction::Monitor;
                    rationale.push_str(&format!(" (effect not significant at {significance})"));
                }
            }
            if let Some(g) = p.priority
                && g > 0.0
                && action != RecommendedAction::ImproveFirst
            {
                rationale.push_str(&format!("; above the iso-priority diagonal (priority {g:+.2})"));
            }
            Recommendation {
                priority: 0,
                name: p.name.clone(),
                action,
                quadrant: p.quadrant,
                importance: p.importance,
                performance: p.performance,
                gap: p.priority,
                standardized_beta: d.map(|d| d.standardized_beta),
                lmg_share: d.and_then(|d| d.lmg_share),
                p_value: d.map(|d| d.p_value),
                rationale,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.action
            .cmp(&b.action)
            .then(
                b.gap
                    .unwrap_or(f64::NEG_INFINITY)
                    .total_cmp(&a.gap.unwrap_or(f64::NEG_INFINITY)),
            )
            .then(b.importance.total_cmp(&a.importance))
    });
    for (i, r) in out.iter_mut().enumerate() {
        r.priority = i + 1;
    }
    out
}

/// A p value for prose: `= 0.0042`, or `< 0.0001` for small values.
pub(crate) fn fmt_p(p: f64) -> String {
    if p < 1e-4 {
        "< 0.0001".to_string()
    } else {
        format!("= {p:.4}")
    }
}

impl fmt::Display for Recommendation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}. {} — {}: {}",
            self.priority, self.name, self.action, self.rationale
        )
    }
}
