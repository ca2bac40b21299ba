//! Explicit time units for transaction summaries, model time and cash-flow periods.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::{Error, Result};

/// A period length, measured in days.
///
/// Every time quantity in [`crate::clv`] carries its unit: an [`RfmData`](super::RfmData)
/// knows the unit of its recency and age, a fitted model knows the unit of its rate
/// parameters, and a [`CashFlowTable`](super::CashFlowTable) converts between the model's
/// unit and the cash-flow period explicitly (no hidden "30-day month").
///
/// | variant | length in days |
/// |---|---|
/// | `Day` | 1 |
/// | `Week` | 7 |
/// | `Month` | 365.25 / 12 = 30.4375 (the mean Gregorian month) |
/// | `Quarter` | 365.25 / 4 = 91.3125 |
/// | `Year` | 365.25 |
/// | `Days(d)` | `d` (finite, > 0) |
///
/// # Example
///
/// ```
/// use crm_analytics::clv::PeriodUnit;
///
/// // A 12-month horizon measured in weeks.
/// let weeks = PeriodUnit::Month.convert(12.0, PeriodUnit::Week)?;
/// assert!((weeks - 52.178_571).abs() < 1e-6);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum PeriodUnit {
    /// One calendar day.
    Day,
    /// Seven days.
    Week,
    /// The mean Gregorian month, 30.4375 days.
    Month,
    /// A quarter of the mean Gregorian year, 91.3125 days.
    Quarter,
    /// The mean Gregorian year, 365.25 days.
    Year,
    /// A custom length in days.
    Days(f64),
}

impl PeriodUnit {
    /// The length of one period in days.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidOption`] for `Days(d)` with `d` not finite or not positive.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::PeriodUnit;
    /// assert_eq!(PeriodUnit::Week.days()?, 7.0);
    /// assert!(PeriodUnit::Days(0.0).days().is_err());
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn days(self) -> Result<f64> {
        Ok(match self {
            PeriodUnit::Day => 1.0,
            PeriodUnit::Week => 7.0,
            PeriodUnit::Month => 365.25 / 12.0,
            PeriodUnit::Quarter => 365.25 / 4.0,
            PeriodUnit::Year => 365.25,
            PeriodUnit::Days(d) => {
                if d.is_finite() && d > 0.0 {
                    d
                } else {
                    return Err(Error::option("period unit days", d, "finite and > 0"));
                }
            }
        })
    }

    /// Convert `amount` periods of `self` into periods of `to`.
    ///
    /// # Errors
    ///
    /// As [`PeriodUnit::days`], and [`Error::NonFiniteAt`] for a non-finite `amount`.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::clv::PeriodUnit;
    /// assert_eq!(PeriodUnit::Week.convert(2.0, PeriodUnit::Day)?, 14.0);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn convert(self, amount: f64, to: PeriodUnit) -> Result<f64> {
        crate::validate::slice_finite("amount", &[amount])?;
        Ok(amount * self.days()? / to.days()?)
    }
}

impl fmt::Display for PeriodUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeriodUnit::Day => f.write_str("day"),
            PeriodUnit::Week => f.write_str("week"),
            PeriodUnit::Month => f.write_str("month (30.4375 days)"),
            PeriodUnit::Quarter => f.write_str("quarter (91.3125 days)"),
            PeriodUnit::Year => f.write_str("year (365.25 days)"),
            PeriodUnit::Days(d) => write!(f, "{d}-day period"),
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian calendar date (negative before 1970).
///
/// A dependency-free way to turn `YYYYMMDD` dates into the day numbers that
/// [`RfmAggregator`](super::RfmAggregator) expects.
///
/// # Errors
///
/// [`Error::InvalidValue`] for a month outside 1..=12 or a day outside the month.
///
/// # Example
///
/// ```
/// use crm_analytics::clv::day_number;
/// assert_eq!(day_number(1970, 1, 1)?, 0);
/// assert_eq!(day_number(1997, 9, 30)? - day_number(1997, 1, 1)?, 272);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
pub fn day_number(year: i32, month: u32, day: u32) -> Result<i64> {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let dim = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => {
            if leap {
                29
            } else {
                28
            }
        }
        _ => {
            return Err(Error::InvalidValue {
                what: "month".into(),
                location: format!("{year}-{month:02}-{day:02}"),
                value: f64::from(month),
                expected: "in 1..=12".into(),
            });
        }
    };
    if day == 0 || day > dim {
        return Err(Error::InvalidValue {
            what: "day of month".into(),
            location: format!("{year}-{month:02}-{day:02}"),
            value: f64::from(day),
            expected: format!("in 1..={dim}"),
        });
    }
    // Howard Hinnant's days_from_civil.
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Ok(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn civil_days() {
        // 2000-03-01 is day 11017 (30 years of 365 days + 7 leap days + Jan + Feb(29)).
        assert_eq!(day_number(2000, 3, 1).unwrap(), 11_017);
        assert_eq!(day_number(1969, 12, 31).unwrap(), -1);
        assert!(day_number(1997, 2, 29).is_err());
        assert!(day_number(2000, 2, 29).is_ok());
    }
}
