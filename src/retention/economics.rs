//! Retention economics of one offer to one customer.

use std::fmt;

use serde::Serialize;

use crate::{Error, Probability, Result};

/// The economics of a retention offer to one customer.
///
/// # Formula
///
/// ```text
/// c*  = p · γ · V          maximum justified spend
/// g   = p · γ · V - c      expected net gain of the offer
/// ROI = g / c              (None when c = 0)
/// ```
///
/// `p` is the churn probability, `γ` the probability that the offer prevents the churn
/// (uplift), `V` the value if retained (CLV or margin over the horizon) and `c` the cost
/// of the offer.
///
/// # Example
///
/// ```
/// use crm_analytics::{Probability, retention::OfferEconomics};
///
/// // MODELS.md §5.3, customer A: p = .5, γ = .4, V = 1000, c = 50.
/// let a = OfferEconomics::evaluate(Probability::new(0.5)?, Probability::new(0.4)?, 1000.0, 50.0)?;
/// assert!((a.max_justified_spend() - 200.0).abs() < 1e-9);
/// assert!((a.expected_gain() - 150.0).abs() < 1e-9);
/// assert!(a.roi().is_some_and(|v| (v - 3.0).abs() < 1e-12));
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// MODELS.md §5.3; Neslin, S. A. et al. (2006). Defection detection. *Journal of
/// Marketing Research* 43(2), 204-211.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[must_use]
pub struct OfferEconomics {
    churn_probability: Probability,
    uplift: Probability,
    value: f64,
    cost: f64,
    max_justified_spend: f64,
    expected_gain: f64,
}

impl OfferEconomics {
    /// Evaluate an offer.
    ///
    /// # Errors
    /// [`Error::NonFiniteAt`] for a non-finite value or cost; [`Error::InvalidValue`] for
    /// a negative cost. A negative value (a customer who costs more than it brings) is
    /// allowed and gives a negative maximum justified spend.
    pub fn evaluate(
        churn_probability: Probability,
        uplift: Probability,
        value: f64,
        cost: f64,
    ) -> Result<OfferEconomics> {
        if !value.is_finite() {
            return Err(Error::NonFiniteAt {
                what: "value if retained".into(),
                index: 0,
                value,
            });
        }
        if !cost.is_finite() {
            return Err(Error::NonFiniteAt {
                what: "offer cost".into(),
                index: 0,
                value: cost,
            });
        }
        if cost < 0.0 {
            return Err(Error::InvalidValue {
                what: "offer cost".into(),
                location: "offer".into(),
                value: cost,
                expected: "finite and >= 0".into(),
            });
        }
        let c_star = churn_probability.get() * uplift.get() * value;
        Ok(OfferEconomics {
            churn_probability,
            uplift,
            value,
            cost,
            max_justified_spend: c_star,
            expected_gain: c_star - cost,
        })
    }

    /// The churn probability `p`.
    #[must_use]
    pub fn churn_probability(&self) -> Probability {
        self.churn_probability
    }

    /// The uplift `γ`.
    #[must_use]
    pub fn uplift(&self) -> Probability {
        self.uplift
    }

    /// The value if retained `V`.
    #[must_use]
    pub fn value(&self) -> f64 {
        self.value
    }

    /// The offer's cost `c`.
    #[must_use]
    pub fn cost(&self) -> f64 {
        self.cost
    }

    /// `c* = p·γ·V`: the most the offer may cost and still break even in expectation.
    #[must_use]
    pub fn max_justified_spend(&self) -> f64 {
        self.max_justified_spend
    }

    /// `g = p·γ·V - c`.
    #[must_use]
    pub fn expected_gain(&self) -> f64 {
        self.expected_gain
    }

    /// `g / c`; `None` for a free offer.
    #[must_use]
    pub fn roi(&self) -> Option<f64> {
        (self.cost > 0.0).then(|| self.expected_gain / self.cost)
    }

    /// Whether the offer is worth making (`g > 0`).
    #[must_use]
    pub fn is_profitable(&self) -> bool {
        self.expected_gain > 0.0
    }
}

impl fmt::Display for OfferEconomics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Retention offer economics")?;
        writeln!(
            f,
            "  churn probability p       {:>12.4}",
            self.churn_probability.get()
        )?;
        writeln!(f, "  uplift γ                  {:>12.4}", self.uplift.get())?;
        writeln!(f, "  value if retained V       {:>12.2}", self.value)?;
        writeln!(
            f,
            "  max justified spend pγV   {:>12.2}",
            self.max_justified_spend
        )?;
        writeln!(f, "  offer cost c              {:>12.2}", self.cost)?;
        writeln!(
            f,
            "  expected net gain         {:>12.2}",
            self.expected_gain
        )?;
        match self.roi() {
            Some(r) => writeln!(f, "  ROI                       {r:>12.4}"),
            None => writeln!(f, "  ROI                       {:>12}", "n/a (free)"),
        }
    }
}
