//! Indicator systems: named indicators with a dimension and a direction.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::weights::Direction;
use crate::{Error, Result};

/// Which value index an indicator feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Dimension {
    /// Current value (当前价值): what the customer brings now.
    Current,
    /// Potential value (增值潜力): what the customer could bring.
    Potential,
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Dimension::Current => "current",
            Dimension::Potential => "potential",
        })
    }
}

/// One indicator: a name, its dimension and its direction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Indicator {
    /// Name, unique within a system.
    pub name: String,
    /// Current or potential value.
    pub dimension: Dimension,
    /// Benefit, cost or target.
    pub direction: Direction,
    /// A one-line definition.
    pub definition: String,
}

impl Indicator {
    /// An indicator.
    #[must_use]
    pub fn new(
        name: impl Into<String>,
        dimension: Dimension,
        direction: Direction,
        definition: impl Into<String>,
    ) -> Self {
        Indicator {
            name: name.into(),
            dimension,
            direction,
            definition: definition.into(),
        }
    }
}

/// An ordered set of indicators; columns of the indicator matrix follow this order.
///
/// [`IndicatorSystem::telecom_default`] is the catalogue of MODELS.md §3.1 (our choice,
/// assembled from the theses' lists); callers replace it with their own.
///
/// # Example
///
/// ```
/// use crm_analytics::value::{Dimension, Indicator, IndicatorSystem};
/// use crm_analytics::weights::Direction;
///
/// let sys = IndicatorSystem::new(vec![
///     Indicator::new("arpu", Dimension::Current, Direction::Benefit, "monthly revenue"),
///     Indicator::new("growth", Dimension::Potential, Direction::Benefit, "spend trend"),
/// ])?;
/// assert_eq!(sys.columns(Dimension::Current), vec![0]);
/// assert_eq!(IndicatorSystem::telecom_default().len(), 11);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorSystem {
    indicators: Vec<Indicator>,
}

impl IndicatorSystem {
    /// A system from indicators.
    ///
    /// # Errors
    /// [`Error::Empty`] for no indicators; [`Error::DuplicateName`] for a repeated name;
    /// [`Error::NonFiniteAt`] for a non-finite target value.
    pub fn new(indicators: Vec<Indicator>) -> Result<Self> {
        if indicators.is_empty() {
            return Err(Error::Empty {
                what: "indicator system".into(),
            });
        }
        for (i, ind) in indicators.iter().enumerate() {
            if indicators[..i].iter().any(|o| o.name == ind.name) {
                return Err(Error::DuplicateName {
                    what: "indicator".into(),
                    name: ind.name.clone(),
                });
            }
            if let Direction::Target(t) = ind.direction
                && !t.is_finite()
            {
                return Err(Error::NonFiniteAt {
                    what: format!("target of indicator `{}`", ind.name),
                    index: i,
                    value: t,
                });
            }
        }
        Ok(IndicatorSystem { indicators })
    }

    /// The default telecom catalogue (MODELS.md §3.1):
    ///
    /// | dimension | indicator | direction |
    /// |---|---|---|
    /// | current | `arpu` | benefit |
    /// | current | `revenue_12m` | benefit |
    /// | current | `tenure_months` | benefit |
    /// | current | `payment_record` | benefit |
    /// | current | `profit_contribution` | benefit |
    /// | potential | `spending_growth` | benefit |
    /// | potential | `vas_use` | benefit |
    /// | potential | `social_influence` | benefit |
    /// | potential | `group_membership` | benefit |
    /// | potential | `credit_rating` | benefit |
    /// | potential | `churn_propensity` | cost |
    #[must_use]
    pub fn telecom_default() -> Self {
        use Dimension::{Current as C, Potential as P};
        use Direction::{Benefit as B, Cost};
        let i = Indicator::new;
        IndicatorSystem {
            indicators: vec![
                i("arpu", C, B, "revenue in the period / months active"),
                i("revenue_12m", C, B, "total billed revenue over 12 months"),
                i("tenure_months", C, B, "months since net entry (在网时长)"),
                i("payment_record", C, B, "share of bills paid on time"),
                i("profit_contribution", C, B, "revenue minus cost to serve"),
                i("spending_growth", P, B, "mean spend last k months / previous k months - 1"),
                i("vas_use", P, B, "share of revenue from value-added services"),
                i("social_influence", P, B, "in-net call-circle size (distinct contacts)"),
                i("group_membership", P, B, "1 if a member of a group (corporate) account"),
                i("credit_rating", P, B, "credit or loyalty star level"),
                i("churn_propensity", P, Cost, "churn model score"),
            ],
        }
    }

    /// The indicators in column order.
    #[must_use]
    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }

    /// Number of indicators (columns).
    #[must_use]
    pub fn len(&self) -> usize {
        self.indicators.len()
    }

    /// Always `false` (a system has at least one indicator).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.indicators.is_empty()
    }

    /// Column indices of one dimension, in order.
    #[must_use]
    pub fn columns(&self, d: Dimension) -> Vec<usize> {
        self.indicators
            .iter()
            .enumerate()
            .filter(|(_, i)| i.dimension == d)
            .map(|(k, _)| k)
            .collect()
    }

    /// Names of one dimension's indicators, in order.
    #[must_use]
    pub fn names(&self, d: Dimension) -> Vec<String> {
        self.indicators
            .iter()
            .filter(|i| i.dimension == d)
            .map(|i| i.name.clone())
            .collect()
    }

    /// Directions of one dimension's indicators, in order.
    #[must_use]
    pub fn directions(&self, d: Dimension) -> Vec<Direction> {
        self.indicators
            .iter()
            .filter(|i| i.dimension == d)
            .map(|i| i.direction)
            .collect()
    }
}

impl fmt::Display for IndicatorSystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{:<22} {:<10} {:<12} definition", "indicator", "dimension", "direction")?;
        for i in &self.indicators {
            writeln!(
                f,
                "{:<22} {:<10} {:<12} {}",
                i.name, i.dimension, i.direction, i.definition
            )?;
        }
        Ok(())
    }
}
