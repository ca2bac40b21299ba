use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The response scale of a questionnaire item: `min..=max`, integer-valued (Likert) by
/// default, or continuous (slider, 0-100 ratings) via [`LikertScale::continuous`].
///
/// A `LikertScale` in hand is always valid: `min < max`, both finite, and integer
/// endpoints for an integer scale. It checks item scores with [`LikertScale::check`],
/// whose error names the respondent and the item.
///
/// # Formula
///
/// ```text
/// reverse coding:  x' = min + max - x
/// 0-100 rescaling: 100 · (x - min) / (max - min)
/// ```
///
/// # Example
///
/// ```
/// use crm_analytics::survey::LikertScale;
///
/// let s = LikertScale::new(1.0, 5.0)?;
/// assert_eq!(s.reverse(2.0), 4.0);
/// assert_eq!(s.to_percent(3.0), 50.0);
/// assert!(s.check(6.0, 3, "Q1").is_err());
/// assert!(LikertScale::new(5.0, 1.0).is_err());
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "RawScale", into = "RawScale")]
pub struct LikertScale {
    min: f64,
    max: f64,
    integer: bool,
}

#[derive(Serialize, Deserialize)]
struct RawScale {
    min: f64,
    max: f64,
    integer: bool,
}

impl TryFrom<RawScale> for LikertScale {
    type Error = Error;
    fn try_from(r: RawScale) -> Result<Self> {
        if r.integer {
            LikertScale::new(r.min, r.max)
        } else {
            LikertScale::continuous(r.min, r.max)
        }
    }
}

impl From<LikertScale> for RawScale {
    fn from(s: LikertScale) -> RawScale {
        RawScale {
            min: s.min,
            max: s.max,
            integer: s.integer,
        }
    }
}

impl TryFrom<(f64, f64)> for LikertScale {
    type Error = Error;
    fn try_from((min, max): (f64, f64)) -> Result<Self> {
        LikertScale::new(min, max)
    }
}

impl LikertScale {
    /// An integer scale `min..=max` (e.g. 1-5, 1-7, the ECSI 1-10).
    ///
    /// # Errors
    /// [`Error::InvalidOption`] if an endpoint is not a finite integer or `min >= max`.
    pub fn new(min: f64, max: f64) -> Result<Self> {
        for (name, v) in [("min", min), ("max", max)] {
            if !(v.is_finite() && v.fract() == 0.0) {
                return Err(Error::option(name, v, "a finite integer"));
            }
        }
        Self::build(min, max, true)
    }

    /// A continuous scale `[min, max]` (any real score inside is valid).
    ///
    /// # Errors
    /// [`Error::InvalidOption`] if an endpoint is not finite or `min >= max`.
    pub fn continuous(min: f64, max: f64) -> Result<Self> {
        for (name, v) in [("min", min), ("max", max)] {
            if !v.is_finite() {
                return Err(Error::option(name, v, "finite"));
            }
        }
        Self::build(min, max, false)
    }

    fn build(min: f64, max: f64, integer: bool) -> Result<Self> {
        if min < max {
            Ok(LikertScale { min, max, integer })
        } else {
            Err(Error::option(
                "max",
                max,
                format!("greater than min = {min}"),
            ))
        }
    }

    /// Lowest score.
    #[must_use]
    pub fn min(&self) -> f64 {
        self.min
    }

    /// Highest score.
    #[must_use]
    pub fn max(&self) -> f64 {
        self.max
    }

    /// Whether only integer scores are valid.
    #[must_use]
    pub fn is_integer(&self) -> bool {
        self.integer
    }

    /// `(min + max) / 2`, the neutral point (a crosshair option of IPA).
    #[must_use]
    pub fn midpoint(&self) -> f64 {
        0.5 * (self.min + self.max)
    }

    /// `max - min`.
    #[must_use]
    pub fn range(&self) -> f64 {
        self.max - self.min
    }

    /// Whether `x` is a valid score (finite, inside, integer on an integer scale).
    #[must_use]
    pub fn contains(&self, x: f64) -> bool {
        x.is_finite() && x >= self.min && x <= self.max && (!self.integer || x.fract() == 0.0)
    }

    /// Check one score, naming the respondent (zero-based row) and the item on failure.
    ///
    /// # Errors
    /// [`Error::InvalidValue`] if `x` is NaN, infinite, outside the scale or not an
    /// integer on an integer scale.
    pub fn check(&self, x: f64, respondent: usize, item: &str) -> Result<()> {
        if self.contains(x) {
            Ok(())
        } else {
            Err(Error::InvalidValue {
                what: format!("Likert item `{item}`"),
                location: format!("respondent {respondent}"),
                value: x,
                expected: self.rule(),
            })
        }
    }

    pub(crate) fn rule(&self) -> String {
        if self.integer {
            format!("an integer in {}..={}", self.min, self.max)
        } else {
            format!("a finite number in [{}, {}]", self.min, self.max)
        }
    }

    /// The reverse-coded score `min + max - x`.
    #[must_use]
    pub fn reverse(&self, x: f64) -> f64 {
        self.min + self.max - x
    }

    /// The score on a 0-100 scale, `100 (x - min) / (max - min)`.
    #[must_use]
    pub fn to_percent(&self, x: f64) -> f64 {
        100.0 * (x - self.min) / (self.max - self.min)
    }
}

/// Whether a finite `v` of moderate size is a whole number. The round trip through `i64`
/// compiles to two SSE2 conversions, where `fract`/`trunc` call libm on the baseline
/// x86-64 target; the exact comparison is intended.
#[allow(clippy::float_cmp)]
#[inline]
pub(crate) fn is_whole(v: f64) -> bool {
    (v as i64) as f64 == v
}

impl fmt::Display for LikertScale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.integer {
            write!(f, "{}..={}", self.min, self.max)
        } else {
            write!(f, "[{}, {}]", self.min, self.max)
        }
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn validates_endpoints_and_scores() {
        assert!(LikertScale::new(1.5, 5.0).is_err());
        assert!(LikertScale::new(1.0, 1.0).is_err());
        assert!(LikertScale::new(f64::NAN, 5.0).is_err());
        assert!(LikertScale::continuous(0.0, 0.5).is_ok());
        let s = LikertScale::new(1.0, 10.0).unwrap();
        // 1..10: reverse(3) = 1 + 10 - 3 = 8; percent(5.5) = 100 * 4.5 / 9 = 50.
        assert_eq!(s.reverse(3.0), 8.0);
        assert_eq!(s.to_percent(5.5), 50.0);
        assert_eq!(s.midpoint(), 5.5);
        let e = s.check(2.5, 17, "PERQ1").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Likert item `PERQ1` at respondent 17 must be an integer in 1..=10, got 2.5"
        );
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<LikertScale>(&json).unwrap(), s);
        assert!(
            serde_json::from_str::<LikertScale>(r#"{"min":5,"max":1,"integer":true}"#).is_err()
        );
        assert_eq!(s.to_string(), "1..=10");
    }
}
