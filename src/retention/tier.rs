//! Customer tiers for retention budgets and their tilts.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The tier of a customer for retention matching and budgets.
///
/// The seeds' principle tilts retention spending toward high-end (VIP) and group
/// (corporate) customers; everyone else is `Mass`. A customer who is both is best
/// entered as `Group` when the group relationship is the one at risk, else `HighEnd`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Tier {
    /// High-end (VIP) individual customers.
    HighEnd,
    /// Members of a group (corporate) account.
    Group,
    /// All other customers.
    Mass,
}

impl Tier {
    /// The three tiers in report order.
    pub const ALL: [Tier; 3] = [Tier::HighEnd, Tier::Group, Tier::Mass];
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Tier::HighEnd => "high-end",
            Tier::Group => "group",
            Tier::Mass => "mass",
        })
    }
}

/// Budget tilts per tier: how much more budget a unit of contribution earns in a tier.
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `high_end` | 1.5 | tilt of high-end (VIP) customers | finite, > 0 |
/// | `group` | 1.3 | tilt of group-account members | finite, > 0 |
/// | `mass` | 1.0 | tilt of everyone else | finite, > 0 |
///
/// The defaults are **our choice**, a formalisation of the seeds' "tilt toward high-end
/// and group customers" (MODELS.md §5.3, §9); no published rule gives them.
///
/// # Example
///
/// ```
/// use crm_analytics::retention::{Tier, TierTilts};
///
/// let t = TierTilts::new().group(1.6);
/// assert_eq!(t.get(Tier::HighEnd), 1.5);
/// assert_eq!(t.get(Tier::Group), 1.6);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TierTilts {
    high_end: f64,
    group: f64,
    mass: f64,
}

impl Default for TierTilts {
    fn default() -> Self {
        TierTilts {
            high_end: 1.5,
            group: 1.3,
            mass: 1.0,
        }
    }
}

impl TierTilts {
    /// The defaults (1.5, 1.3, 1.0).
    #[must_use]
    pub fn new() -> TierTilts {
        TierTilts::default()
    }

    /// No tilt: every tier 1.0 (budget strictly proportional to contribution).
    #[must_use]
    pub fn flat() -> TierTilts {
        TierTilts {
            high_end: 1.0,
            group: 1.0,
            mass: 1.0,
        }
    }

    /// Tilt of high-end customers. Checked (finite, > 0) when the budget is split.
    #[must_use]
    pub fn high_end(mut self, t: f64) -> TierTilts {
        self.high_end = t;
        self
    }

    /// Tilt of group customers. Checked (finite, > 0) when the budget is split.
    #[must_use]
    pub fn group(mut self, t: f64) -> TierTilts {
        self.group = t;
        self
    }

    /// Tilt of mass customers. Checked (finite, > 0) when the budget is split.
    #[must_use]
    pub fn mass(mut self, t: f64) -> TierTilts {
        self.mass = t;
        self
    }

    /// The tilt of a tier.
    #[must_use]
    pub fn get(&self, tier: Tier) -> f64 {
        match tier {
            Tier::HighEnd => self.high_end,
            Tier::Group => self.group,
            Tier::Mass => self.mass,
        }
    }

    /// Check every tilt is finite and > 0.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] naming the first bad tilt.
    pub fn validate(&self) -> Result<()> {
        for (name, t) in [
            ("high_end tilt", self.high_end),
            ("group tilt", self.group),
            ("mass tilt", self.mass),
        ] {
            if !(t.is_finite() && t > 0.0) {
                return Err(Error::option(name, t, "finite and > 0"));
            }
        }
        Ok(())
    }
}
