//! The typed inputs: an operator's customer base and, optionally, survey responses.

use std::collections::HashSet;
use std::fmt;

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use crate::survey::{Construct, ItemMatrix};
use crate::value::IndicatorSystem;
use crate::{Error, Result};

/// A customer's contract type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Contract {
    /// Prepaid or month-to-month: no commitment.
    MonthToMonth,
    /// A one-year commitment.
    OneYear,
    /// A two-year commitment.
    TwoYear,
}

impl Contract {
    /// The three contract types in report order.
    pub const ALL: [Contract; 3] = [Contract::MonthToMonth, Contract::OneYear, Contract::TwoYear];

    /// Commitment in months (0, 12, 24).
    #[must_use]
    pub fn months(self) -> f64 {
        match self {
            Contract::MonthToMonth => 0.0,
            Contract::OneYear => 12.0,
            Contract::TwoYear => 24.0,
        }
    }
}

impl fmt::Display for Contract {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Contract::MonthToMonth => "month-to-month",
            Contract::OneYear => "one year",
            Contract::TwoYear => "two year",
        })
    }
}

/// How a base records spend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Spend {
    /// A monthly series per customer: `values` row-major, `months` columns, the last column
    /// the most recent month. Months before a customer joined hold 0.
    Monthly {
        /// Months per customer.
        months: usize,
        /// Row-major `customers x months`.
        values: Vec<f64>,
    },
    /// Only the current monthly charge and the total billed since joining (as in the IBM
    /// Telco file). Stages then come from tenure and the ratio
    /// `total / (tenure · monthly)` (see [`Pipeline`](super::Pipeline)).
    Summary {
        /// Current monthly charge per customer.
        monthly: Vec<f64>,
        /// Total billed since joining per customer.
        total: Vec<f64>,
    },
}

/// One customer's place in the messages: id and row.
pub(crate) fn who(ids: &[String], i: usize) -> String {
    format!("customer `{}` (row {i})", ids[i])
}

fn check_len(what: &str, n: usize, got: usize) -> Result<()> {
    crate::validate::same_len(&format!("`{what}` (one per customer)"), n, got)
}

fn check_values(
    ids: &[String],
    field: &str,
    v: &[f64],
    expected: &str,
    ok: impl Fn(f64) -> bool,
) -> Result<()> {
    match v.iter().position(|&x| !ok(x)) {
        None => Ok(()),
        Some(i) => Err(Error::InvalidValue {
            what: field.into(),
            location: who(ids, i),
            value: v[i],
            expected: expected.into(),
        }),
    }
}

/// An operator's customer base: ids, tenure and spend (required), and optional columns
/// (VIP flag, group id, contract, churn flag, an external churn score, retention cost,
/// explicit value indicators). Every constructor and `with_*` method validates and names
/// the customer and field at fault.
///
/// | column | type | meaning |
/// |---|---|---|
/// | ids | `String` | unique customer id |
/// | tenure | `u32` | months on the network now, or at churn for a churned customer |
/// | spend | [`Spend`] | monthly series, or current monthly + total charges |
/// | vip | `bool` | VIP / high-end flag (tier high-end) |
/// | group | `Option<u32>` | group (corporate) account id |
/// | contract | [`Contract`] | contract type |
/// | churned | `bool` | has left (event); tenure is then the duration to churn |
/// | churn score | `f64` in [0, 1] | an external churn probability over the value horizon |
/// | retention cost | `f64 >= 0` | current retention spend per month on the customer |
/// | indicators | [`IndicatorSystem`] + matrix | replaces the derived value indicators |
///
/// # Example
///
/// ```
/// use crm_analytics::pipeline::{Contract, CustomerBase};
///
/// let base = CustomerBase::monthly(
///     vec!["a".into(), "b".into()],
///     vec![24, 3],
///     vec![50.0, 52.0, 55.0, 0.0, 20.0, 21.0],
///     3,
/// )?
/// .with_vip(vec![true, false])?
/// .with_contracts(vec![Contract::TwoYear, Contract::MonthToMonth])?;
/// assert_eq!(base.len(), 2);
/// let bad = CustomerBase::monthly(vec!["a".into()], vec![5], vec![1.0, f64::NAN], 2);
/// assert_eq!(
///     bad.unwrap_err().to_string(),
///     "monthly spend at customer `a` (row 0), month 1 must be finite and >= 0, got NaN"
/// );
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerBase {
    ids: Vec<String>,
    tenure: Vec<u32>,
    spend: Spend,
    vip: Option<Vec<bool>>,
    groups: Option<Vec<Option<u32>>>,
    contracts: Option<Vec<Contract>>,
    churned: Option<Vec<bool>>,
    churn_score: Option<Vec<f64>>,
    retention_cost: Option<Vec<f64>>,
    #[serde(skip)]
    indicators: Option<(IndicatorSystem, DMatrix<f64>)>,
}

impl CustomerBase {
    fn with_spend(ids: Vec<String>, tenure: Vec<u32>, spend: Spend) -> Result<Self> {
        if ids.is_empty() {
            return Err(Error::Empty {
                what: "customer base".into(),
            });
        }
        check_len("tenure", ids.len(), tenure.len())?;
        let mut seen = HashSet::with_capacity(ids.len());
        for id in &ids {
            if !seen.insert(id.as_str()) {
                return Err(Error::DuplicateName {
                    what: "customer id".into(),
                    name: id.clone(),
                });
            }
        }
        Ok(CustomerBase {
            ids,
            tenure,
            spend,
            vip: None,
            groups: None,
            contracts: None,
            churned: None,
            churn_score: None,
            retention_cost: None,
            indicators: None,
        })
    }

    /// A base with a monthly spend series: `spend` row-major `ids.len() x months`.
    ///
    /// # Errors
    /// [`Error::Empty`] for no customers; [`Error::DuplicateName`] for a repeated id;
    /// [`Error::InvalidOption`] for `months == 0`; [`Error::DimensionMismatch`] for
    /// lengths that disagree; [`Error::InvalidValue`] naming customer and month for a
    /// negative, NaN or infinite spend.
    pub fn monthly(
        ids: Vec<String>,
        tenure: Vec<u32>,
        spend: Vec<f64>,
        months: usize,
    ) -> Result<Self> {
        if months == 0 {
            return Err(Error::option("months", 0, ">= 1"));
        }
        let expected = ids
            .len()
            .checked_mul(months)
            .ok_or_else(|| Error::input("spend panel", "customers x months overflows usize"))?;
        crate::validate::same_len("`spend` (customers x months)", expected, spend.len())?;
        if let Some(k) = spend.iter().position(|&x| !(x.is_finite() && x >= 0.0)) {
            let (i, m) = (k / months, k % months);
            return Err(Error::InvalidValue {
                what: "monthly spend".into(),
                location: format!("{}, month {m}", who(&ids, i)),
                value: spend[k],
                expected: "finite and >= 0".into(),
            });
        }
        CustomerBase::with_spend(
            ids,
            tenure,
            Spend::Monthly {
                months,
                values: spend,
            },
        )
    }

    /// A base with only current monthly and total charges (no series).
    ///
    /// # Errors
    /// As [`CustomerBase::monthly`], naming the field `monthly charge` or `total charge`.
    pub fn summary(
        ids: Vec<String>,
        tenure: Vec<u32>,
        monthly: Vec<f64>,
        total: Vec<f64>,
    ) -> Result<Self> {
        check_len("monthly", ids.len(), monthly.len())?;
        check_len("total", ids.len(), total.len())?;
        let ok = |x: f64| x.is_finite() && x >= 0.0;
        check_values(&ids, "monthly charge", &monthly, "finite and >= 0", ok)?;
        check_values(&ids, "total charge", &total, "finite and >= 0", ok)?;
        CustomerBase::with_spend(ids, tenure, Spend::Summary { monthly, total })
    }

    /// VIP (high-end) flags.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for a wrong length.
    pub fn with_vip(mut self, vip: Vec<bool>) -> Result<Self> {
        check_len("vip", self.len(), vip.len())?;
        self.vip = Some(vip);
        Ok(self)
    }

    /// Group (corporate) account ids; `None` for individual customers.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for a wrong length.
    pub fn with_groups(mut self, groups: Vec<Option<u32>>) -> Result<Self> {
        check_len("groups", self.len(), groups.len())?;
        self.groups = Some(groups);
        Ok(self)
    }

    /// Contract types.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for a wrong length.
    pub fn with_contracts(mut self, contracts: Vec<Contract>) -> Result<Self> {
        check_len("contracts", self.len(), contracts.len())?;
        self.contracts = Some(contracts);
        Ok(self)
    }

    /// Churn flags: `true` for a customer who has left (tenure is then the time to churn).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for a wrong length.
    pub fn with_churn(mut self, churned: Vec<bool>) -> Result<Self> {
        check_len("churned", self.len(), churned.len())?;
        self.churned = Some(churned);
        Ok(self)
    }

    /// An external churn probability per customer over the pipeline's value horizon
    /// (replaces the survival-based estimate in the budget plan).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for a wrong length; [`Error::InvalidValue`] naming the
    /// customer for a score outside [0, 1] or NaN.
    pub fn with_churn_score(mut self, score: Vec<f64>) -> Result<Self> {
        check_len("churn score", self.len(), score.len())?;
        check_values(&self.ids, "churn score", &score, "in [0, 1]", |x| {
            (0.0..=1.0).contains(&x)
        })?;
        self.churn_score = Some(score);
        Ok(self)
    }

    /// Current retention cost per customer and month.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for a wrong length; [`Error::InvalidValue`] naming the
    /// customer for a negative, NaN or infinite cost.
    pub fn with_retention_cost(mut self, cost: Vec<f64>) -> Result<Self> {
        check_len("retention cost", self.len(), cost.len())?;
        check_values(&self.ids, "retention cost", &cost, "finite and >= 0", |x| {
            x.is_finite() && x >= 0.0
        })?;
        self.retention_cost = Some(cost);
        Ok(self)
    }

    /// Explicit value indicators (one row per customer, columns in `system` order); they
    /// replace the indicators the pipeline would derive from spend, tenure and group.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for a wrong shape; [`Error::InvalidValue`] naming the
    /// customer and indicator for NaN or infinity.
    pub fn with_indicators(
        mut self,
        system: IndicatorSystem,
        values: DMatrix<f64>,
    ) -> Result<Self> {
        check_len("indicator rows", self.len(), values.nrows())?;
        crate::validate::same_len(
            "indicator columns (one per indicator)",
            system.len(),
            values.ncols(),
        )?;
        for (j, ind) in system.indicators().iter().enumerate() {
            for i in 0..values.nrows() {
                let x = values[(i, j)];
                if !x.is_finite() {
                    return Err(Error::InvalidValue {
                        what: format!("indicator `{}`", ind.name),
                        location: who(&self.ids, i),
                        value: x,
                        expected: "finite".into(),
                    });
                }
            }
        }
        self.indicators = Some((system, values));
        Ok(self)
    }

    /// Number of customers.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Always `false`: a base has at least one customer.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Customer ids.
    #[must_use]
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// Tenure in months.
    #[must_use]
    pub fn tenure(&self) -> &[u32] {
        &self.tenure
    }

    /// The spend data.
    #[must_use]
    pub fn spend(&self) -> &Spend {
        &self.spend
    }

    /// VIP flags, if given.
    #[must_use]
    pub fn vip(&self) -> Option<&[bool]> {
        self.vip.as_deref()
    }

    /// Group ids, if given.
    #[must_use]
    pub fn groups(&self) -> Option<&[Option<u32>]> {
        self.groups.as_deref()
    }

    /// Contract types, if given.
    #[must_use]
    pub fn contracts(&self) -> Option<&[Contract]> {
        self.contracts.as_deref()
    }

    /// Churn flags, if given.
    #[must_use]
    pub fn churned(&self) -> Option<&[bool]> {
        self.churned.as_deref()
    }

    /// External churn scores, if given.
    #[must_use]
    pub fn churn_score(&self) -> Option<&[f64]> {
        self.churn_score.as_deref()
    }

    /// Retention costs, if given.
    #[must_use]
    pub fn retention_cost(&self) -> Option<&[f64]> {
        self.retention_cost.as_deref()
    }

    /// Explicit indicators, if given.
    #[must_use]
    pub fn indicators(&self) -> Option<(&IndicatorSystem, &DMatrix<f64>)> {
        self.indicators.as_ref().map(|(s, m)| (s, m))
    }

    /// ARPU per customer: the mean of the months on the network within the series
    /// (the last `min(tenure, months)` months; at least one), or the current monthly
    /// charge for [`Spend::Summary`].
    #[must_use]
    pub fn arpu(&self) -> Vec<f64> {
        match &self.spend {
            Spend::Monthly { months, values } => values
                .chunks_exact(*months)
                .zip(&self.tenure)
                .map(|(row, &t)| {
                    let k = (t as usize).clamp(1, *months);
                    row[*months - k..].iter().sum::<f64>() / k as f64
                })
                .collect(),
            Spend::Summary { monthly, .. } => monthly.clone(),
        }
    }
}

/// Survey responses for the satisfaction step: an item matrix, its constructs and the
/// outcome construct; optionally the respondents' customer ids (to report how many
/// respondents link to the base).
///
/// # Example
///
/// ```
/// use crm_analytics::pipeline::SurveyData;
/// use crm_analytics::survey::{Construct, ItemMatrix, LikertScale};
/// use nalgebra::DMatrix;
///
/// let d = DMatrix::from_row_slice(4, 2, &[7.0, 6.0, 9.0, 9.0, 4.0, 5.0, 6.0, 6.0]);
/// let items = ItemMatrix::new(d, &["svc", "overall"], LikertScale::new(1.0, 10.0)?)?;
/// let s = SurveyData::new(items, vec![
///     Construct::new("Service", &["svc"])?,
///     Construct::new("Satisfaction", &["overall"])?,
/// ]);
/// assert_eq!(s.get_outcome(), "Satisfaction");
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct SurveyData {
    items: ItemMatrix,
    constructs: Vec<Construct>,
    outcome: String,
    ids: Option<Vec<String>>,
}

impl SurveyData {
    /// Responses with their constructs; the outcome defaults to `"Satisfaction"`.
    #[must_use]
    pub fn new(items: ItemMatrix, constructs: Vec<Construct>) -> Self {
        SurveyData {
            items,
            constructs,
            outcome: "Satisfaction".into(),
            ids: None,
        }
    }

    /// The ECSI drivers of the mobile-phone study (Tenenhaus et al. 2005, `mobi`):
    /// Image (IMAG1-5), Expectation (CUEX1-3), Quality (PERQ1-7) and Value (PERV1-2)
    /// driving Satisfaction (CUSA1-3). Complaints and loyalty are consequences of
    /// satisfaction in ECSI, not drivers, and are left out.
    ///
    /// # Errors
    /// [`Error::UnknownName`] when an item is missing from `items` (checked at run time by
    /// the satisfaction model); construct errors as [`Construct::new`].
    pub fn ecsi(items: ItemMatrix) -> Result<Self> {
        let constructs = vec![
            Construct::new("Image", &["IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5"])?,
            Construct::new("Expectation", &["CUEX1", "CUEX2", "CUEX3"])?,
            Construct::new(
                "Quality",
                &[
                    "PERQ1", "PERQ2", "PERQ3", "PERQ4", "PERQ5", "PERQ6", "PERQ7",
                ],
            )?,
            Construct::new("Value", &["PERV1", "PERV2"])?,
            Construct::new("Satisfaction", &["CUSA1", "CUSA2", "CUSA3"])?,
        ];
        Ok(SurveyData::new(items, constructs))
    }

    /// The outcome construct.
    #[must_use]
    pub fn outcome(mut self, construct: &str) -> Self {
        self.outcome = construct.into();
        self
    }

    /// Respondents' customer ids, one per response row.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when the count differs from the responses.
    pub fn ids(mut self, ids: Vec<String>) -> Result<Self> {
        crate::validate::same_len(
            "survey ids (one per response)",
            self.items.nrows(),
            ids.len(),
        )?;
        self.ids = Some(ids);
        Ok(self)
    }

    /// The outcome construct's name.
    #[must_use]
    pub fn get_outcome(&self) -> &str {
        &self.outcome
    }

    /// The responses.
    #[must_use]
    pub fn items(&self) -> &ItemMatrix {
        &self.items
    }

    /// The constructs.
    #[must_use]
    pub fn constructs(&self) -> &[Construct] {
        &self.constructs
    }

    /// Respondent ids, if given.
    #[must_use]
    pub fn get_ids(&self) -> Option<&[String]> {
        self.ids.as_deref()
    }
}
