//! Churn and retention rates of one period, with the base stated, and expected lifetime.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Error, Probability, Result};

/// The denominator of a churn rate.
///
/// Operators quote monthly churn on two bases; the number differs when the base grows
/// or shrinks during the period, so every rate in this crate says which one it uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum RateBase {
    /// Customers at the start of the period (MODELS.md §5.1 default).
    #[default]
    StartOfPeriod,
    /// The average of the customers at the start and at the end of the period.
    Average,
}

impl fmt::Display for RateBase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            RateBase::StartOfPeriod => "start-of-period base",
            RateBase::Average => "average base",
        })
    }
}

/// Churn rate, retention rate and expected lifetime of one period.
///
/// # Formula
///
/// ```text
/// base      = start                    (RateBase::StartOfPeriod)
///           = (start + end) / 2        (RateBase::Average)
/// churn     = lost / base
/// retention = 1 - churn
/// lifetime  = 1 / churn  periods       (geometric lifetime: E[T] = 1/(1 - r))
/// ```
///
/// The lifetime counts the current period (`T` geometric on 1, 2, ...); it does not
/// exist (`None`) when nobody churned.
///
/// # Example
///
/// ```
/// use crm_analytics::retention::{PeriodRates, RateBase};
///
/// // 1,000 customers at the start, 50 left, 110 joined: 1,060 at the end.
/// let r = PeriodRates::from_counts(1_000, 1_060, 50, RateBase::StartOfPeriod)?;
/// assert!((r.churn().get() - 0.05).abs() < 1e-12);
/// assert!(r.expected_lifetime().is_some_and(|v| (v - 20.0).abs() < 1e-9));
/// let avg = PeriodRates::from_counts(1_000, 1_060, 50, RateBase::Average)?;
/// assert!((avg.churn().get() - 50.0 / 1_030.0).abs() < 1e-12);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// MODELS.md §5.1; Gupta, S. & Lehmann, D. R. (2003). Customers as assets. *Journal of
/// Interactive Marketing* 17(1), 9-24.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[must_use]
pub struct PeriodRates {
    start: u64,
    end: u64,
    lost: u64,
    gained: u64,
    base: RateBase,
    base_size: f64,
    churn: Probability,
}

impl PeriodRates {
    /// Rates from the customer counts of one period.
    ///
    /// `start` and `end` are the customers at the start and end of the period, `lost`
    /// those who left during it. Customers gained are `end - start + lost`.
    ///
    /// # Errors
    /// - [`Error::InvalidValue`] if the base is zero, or `end < start - lost` (the counts
    ///   imply a negative number of new customers).
    /// - [`Error::InvalidInput`] if `lost` exceeds the base (a churn rate above 1, which
    ///   happens on the start base when customers who joined during the period also
    ///   left: use [`RateBase::Average`] or count those separately).
    pub fn from_counts(start: u64, end: u64, lost: u64, base: RateBase) -> Result<PeriodRates> {
        let gained = (end as i128) - (start as i128) + (lost as i128);
        if gained < 0 {
            return Err(Error::InvalidValue {
                what: "customers at the end of the period".into(),
                location: format!("start {start}, lost {lost}"),
                value: end as f64,
                expected: format!("at least start - lost = {}", start as i128 - lost as i128),
            });
        }
        let base_size = match base {
            RateBase::StartOfPeriod => start as f64,
            RateBase::Average => (start as f64 + end as f64) / 2.0,
        };
        if base_size <= 0.0 {
            return Err(Error::InvalidValue {
                what: "churn-rate base".into(),
                location: base.to_string(),
                value: base_size,
                expected: "greater than 0".into(),
            });
        }
        let churn = lost as f64 / base_size;
        let churn = Probability::new(churn).map_err(|_| {
            Error::input(
                "churn counts",
                format!(
                    "{lost} customers lost exceed the {base} of {base_size}; \
                     use the average base or exclude customers who joined and left within the period"
                ),
            )
        })?;
        Ok(PeriodRates {
            start,
            end,
            lost,
            gained: gained as u64,
            base,
            base_size,
            churn,
        })
    }

    /// Customers at the start of the period.
    #[must_use]
    pub fn start(&self) -> u64 {
        self.start
    }

    /// Customers at the end of the period.
    #[must_use]
    pub fn end(&self) -> u64 {
        self.end
    }

    /// Customers lost during the period.
    #[must_use]
    pub fn lost(&self) -> u64 {
        self.lost
    }

    /// Customers gained during the period, `end - start + lost`.
    #[must_use]
    pub fn gained(&self) -> u64 {
        self.gained
    }

    /// The base used.
    #[must_use]
    pub fn base(&self) -> RateBase {
        self.base
    }

    /// The size of the base (a half-integer for the average base).
    #[must_use]
    pub fn base_size(&self) -> f64 {
        self.base_size
    }

    /// Churn rate, `lost / base`.
    #[must_use]
    pub fn churn(&self) -> Probability {
        self.churn
    }

    /// Retention rate, `1 - churn`.
    #[must_use]
    pub fn retention(&self) -> Probability {
        self.churn.complement()
    }

    /// Expected lifetime in periods, `1 / churn`; `None` when nobody churned.
    #[must_use]
    pub fn expected_lifetime(&self) -> Option<f64> {
        expected_lifetime(self.retention())
    }
}

impl fmt::Display for PeriodRates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Period rates ({})", self.base)?;
        writeln!(f, "  customers at start   {:>12}", self.start)?;
        writeln!(f, "  customers at end     {:>12}", self.end)?;
        writeln!(f, "  lost                 {:>12}", self.lost)?;
        writeln!(f, "  gained               {:>12}", self.gained)?;
        writeln!(f, "  base                 {:>12.1}", self.base_size)?;
        writeln!(f, "  churn rate           {:>12.6}", self.churn.get())?;
        writeln!(f, "  retention rate       {:>12.6}", self.retention().get())?;
        match self.expected_lifetime() {
            Some(l) => writeln!(f, "  expected lifetime    {l:>12.4} periods"),
            None => writeln!(f, "  expected lifetime    {:>12}", "unbounded"),
        }
    }
}

/// Expected lifetime in periods of a customer retained with constant probability `r`
/// each period: `1 / (1 - r)`, counting the current period. `None` when `r = 1`.
///
/// # Example
///
/// ```
/// use crm_analytics::{Probability, retention::expected_lifetime};
///
/// let l = expected_lifetime(Probability::new(0.8)?);
/// assert!(l.is_some_and(|l| (l - 5.0).abs() < 1e-12));
/// assert_eq!(expected_lifetime(Probability::ONE), None);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[must_use]
pub fn expected_lifetime(retention: Probability) -> Option<f64> {
    let churn = 1.0 - retention.get();
    if churn > 0.0 { Some(1.0 / churn) } else { None }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn start_and_average_bases() {
        // start 200, end 190, lost 30 -> gained 20; start base 30/200 = 0.15;
        // average base 30/195 = 0.153846...; lifetimes 6.6667 and 6.5.
        let s = PeriodRates::from_counts(200, 190, 30, RateBase::StartOfPeriod).unwrap();
        assert_eq!(s.gained(), 20);
        assert!((s.churn().get() - 0.15).abs() < 1e-15);
        assert!((s.retention().get() - 0.85).abs() < 1e-15);
        assert!((s.expected_lifetime().unwrap() - 200.0 / 30.0).abs() < 1e-12);
        let a = PeriodRates::from_counts(200, 190, 30, RateBase::Average).unwrap();
        assert!((a.churn().get() - 30.0 / 195.0).abs() < 1e-15);
        assert!((a.expected_lifetime().unwrap() - 6.5).abs() < 1e-12);
        assert!(s.to_string().contains("start-of-period base"));
    }

    #[test]
    fn invalid_counts() {
        let e = PeriodRates::from_counts(0, 0, 0, RateBase::StartOfPeriod).unwrap_err();
        assert_eq!(
            e.to_string(),
            "churn-rate base at start-of-period base must be greater than 0, got 0"
        );
        assert!(PeriodRates::from_counts(10, 2, 3, RateBase::StartOfPeriod).is_err());
        // 10 at start, 12 lost, 20 at end: joiners who left push churn above 1.
        let e = PeriodRates::from_counts(10, 20, 12, RateBase::StartOfPeriod).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("invalid churn counts: 12 customers lost")
        );
        assert!(PeriodRates::from_counts(10, 20, 12, RateBase::Average).is_ok());
        let none = PeriodRates::from_counts(10, 10, 0, RateBase::Average).unwrap();
        assert_eq!(none.expected_lifetime(), None);
    }
}
