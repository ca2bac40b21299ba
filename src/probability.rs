//! The [`Probability`] newtype.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// A probability: finite and in `[0, 1]`.
///
/// Used wherever a number must be a probability: churn probability, retention rate,
/// offer acceptance (uplift). The constructor validates, so a `Probability` in hand is
/// always valid, including one read from JSON (`#[serde(try_from = "f64")]`).
///
/// # Example
///
/// ```
/// use crm_analytics::Probability;
///
/// let p = Probability::new(0.25)?;
/// assert_eq!(p.get(), 0.25);
/// assert!(Probability::new(1.7).is_err());
/// assert!(Probability::new(f64::NAN).is_err());
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Probability(f64);

impl Probability {
    /// Probability zero.
    pub const ZERO: Probability = Probability(0.0);
    /// Probability one.
    pub const ONE: Probability = Probability(1.0);

    /// A validated probability.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] if `p` is NaN, infinite or outside `[0, 1]`.
    pub fn new(p: f64) -> Result<Self> {
        if p.is_finite() && (0.0..=1.0).contains(&p) {
            Ok(Probability(p))
        } else {
            Err(Error::InvalidValue {
                what: "probability".into(),
                location: "value".into(),
                value: p,
                expected: "a finite number in [0, 1]".into(),
            })
        }
    }

    /// The value, in `[0, 1]`.
    #[must_use]
    pub fn get(self) -> f64 {
        self.0
    }

    /// `1 - p`, itself a probability.
    #[must_use]
    pub fn complement(self) -> Probability {
        Probability(1.0 - self.0)
    }
}

impl TryFrom<f64> for Probability {
    type Error = Error;
    fn try_from(p: f64) -> Result<Self> {
        Probability::new(p)
    }
}

impl From<Probability> for f64 {
    fn from(p: Probability) -> f64 {
        p.0
    }
}

impl fmt::Display for Probability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn validates_and_round_trips() {
        assert!(Probability::new(-0.0).is_ok());
        assert!(Probability::new(1.0 + 1e-12).is_err());
        assert!(Probability::new(f64::INFINITY).is_err());
        assert_eq!(Probability::new(0.3).unwrap().complement().get(), 1.0 - 0.3);
        let json = serde_json::to_string(&Probability::new(0.5).unwrap()).unwrap();
        assert_eq!(json, "0.5");
        assert!(serde_json::from_str::<Probability>("1.7").is_err());
        assert_eq!(
            serde_json::from_str::<Probability>("0.2").unwrap().get(),
            0.2
        );
    }
}
