//! Churn-campaign profit: Neslin et al. (2006) and the expected maximum profit (EMPC)
//! of Verbraken, Verbeke & Baesens (2013).

use std::fmt;

use serde::{Deserialize, Serialize};
use statrs::function::beta::beta_reg;

use crate::validate::{same_len, slice_finite};
use crate::{Error, Probability, Result};

/// The profit of a retention campaign (Neslin et al. 2006, as restated by Verbeke et
/// al. 2012).
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `customers` | (required) | `N`, customers in the base | any |
/// | `targeted` | (required) | `α`, share of the base targeted | [0, 1] |
/// | `churners` | (required) | `β`, share of churners among the targeted | [0, 1] |
/// | `acceptance` | (required) | `γ`, share of targeted churners who accept and stay | [0, 1] |
/// | `clv` | 0 | value of a retained customer | finite |
/// | `contact_cost` | 0 | `c`, cost of contacting one customer | finite, >= 0 |
/// | `incentive_cost` | 0 | `δ`, cost of the incentive to one accepting customer | finite, >= 0 |
/// | `fixed_cost` | 0 | `A`, fixed cost of the campaign | finite, >= 0 |
///
/// # Formula
///
/// ```text
/// Π = N·α·[β·γ·(CLV - c - δ) + β·(1 - γ)·(-c) + (1 - β)·(-c - δ)] - A
/// ```
///
/// Non-churners who are targeted are assumed to take the incentive (they cost `c + δ`);
/// churners who decline cost only the contact.
///
/// # Example
///
/// ```
/// use crm_analytics::{Probability, retention::CampaignProfit};
///
/// // MODELS.md §5.3 worked example.
/// let p = CampaignProfit::new(10_000, Probability::new(0.1)?, Probability::new(0.3)?, Probability::new(0.25)?)
///     .clv(500.0).contact_cost(2.0).incentive_cost(30.0).fixed_cost(1_000.0)
///     .evaluate()?;
/// assert!((p.profit - 11_250.0).abs() < 1e-6);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// - Neslin, S. A., Gupta, S., Kamakura, W., Lu, J. & Mason, C. H. (2006). Defection
///   detection: measuring and understanding the predictive accuracy of customer churn
///   models. *Journal of Marketing Research* 43(2), 204-211.
/// - Verbeke, W., Dejaeger, K., Martens, D., Hur, J. & Baesens, B. (2012). New insights
///   into churn prediction in the telecommunication sector: a profit driven data mining
///   approach. *European Journal of Operational Research* 218(1), 211-229.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CampaignProfit {
    customers: u64,
    targeted: Probability,
    churners: Probability,
    acceptance: Probability,
    clv: f64,
    contact_cost: f64,
    incentive_cost: f64,
    fixed_cost: f64,
}

/// The result of [`CampaignProfit::evaluate`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CampaignProfitReport {
    /// The campaign evaluated.
    pub campaign: CampaignProfit,
    /// `N·α`, customers contacted.
    pub targeted_customers: f64,
    /// `N·α·β·γ`, churners retained.
    pub retained_churners: f64,
    /// `N·α·β·γ·CLV`, value retained.
    pub retained_value: f64,
    /// Contact, incentive and fixed costs together.
    pub total_cost: f64,
    /// `Π`.
    pub profit: f64,
    /// `Π / (N·α)`; `None` when nobody is targeted.
    pub profit_per_targeted: Option<f64>,
}

impl CampaignProfit {
    /// A campaign on `customers` customers, targeting share `targeted`, with churner share
    /// `churners` among the targeted and acceptance `acceptance` among targeted churners;
    /// money parameters default to 0.
    #[must_use]
    pub fn new(
        customers: u64,
        targeted: Probability,
        churners: Probability,
        acceptance: Probability,
    ) -> CampaignProfit {
        CampaignProfit {
            customers,
            targeted,
            churners,
            acceptance,
            clv: 0.0,
            contact_cost: 0.0,
            incentive_cost: 0.0,
            fixed_cost: 0.0,
        }
    }

    /// Value of a retained customer. Checked (finite) by [`evaluate`](Self::evaluate).
    #[must_use]
    pub fn clv(mut self, clv: f64) -> CampaignProfit {
        self.clv = clv;
        self
    }

    /// Contact cost `c` per targeted customer. Checked (finite, >= 0) by `evaluate`.
    #[must_use]
    pub fn contact_cost(mut self, c: f64) -> CampaignProfit {
        self.contact_cost = c;
        self
    }

    /// Incentive cost `δ` per accepting customer. Checked (finite, >= 0) by `evaluate`.
    #[must_use]
    pub fn incentive_cost(mut self, d: f64) -> CampaignProfit {
        self.incentive_cost = d;
        self
    }

    /// Fixed campaign cost `A`. Checked (finite, >= 0) by `evaluate`.
    #[must_use]
    pub fn fixed_cost(mut self, a: f64) -> CampaignProfit {
        self.fixed_cost = a;
        self
    }

    /// `N`.
    #[must_use]
    pub fn get_customers(&self) -> u64 {
        self.customers
    }

    /// `α`.
    #[must_use]
    pub fn get_targeted(&self) -> Probability {
        self.targeted
    }

    /// `β`.
    #[must_use]
    pub fn get_churners(&self) -> Probability {
        self.churners
    }

    /// `γ`.
    #[must_use]
    pub fn get_acceptance(&self) -> Probability {
        self.acceptance
    }

    /// CLV.
    #[must_use]
    pub fn get_clv(&self) -> f64 {
        self.clv
    }

    /// `c`.
    #[must_use]
    pub fn get_contact_cost(&self) -> f64 {
        self.contact_cost
    }

    /// `δ`.
    #[must_use]
    pub fn get_incentive_cost(&self) -> f64 {
        self.incentive_cost
    }

    /// `A`.
    #[must_use]
    pub fn get_fixed_cost(&self) -> f64 {
        self.fixed_cost
    }

    /// The campaign's profit.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for a non-finite CLV or a negative or non-finite cost.
    pub fn evaluate(&self) -> Result<CampaignProfitReport> {
        if !self.clv.is_finite() {
            return Err(Error::option("clv", self.clv, "finite"));
        }
        crate::validate::non_negative("contact_cost", self.contact_cost)?;
        crate::validate::non_negative("incentive_cost", self.incentive_cost)?;
        crate::validate::non_negative("fixed_cost", self.fixed_cost)?;
        let (a, b, g) = (
            self.targeted.get(),
            self.churners.get(),
            self.acceptance.get(),
        );
        let (c, d) = (self.contact_cost, self.incentive_cost);
        let targeted = self.customers as f64 * a;
        let per_targeted = b * g * (self.clv - c - d) + b * (1.0 - g) * (-c) + (1.0 - b) * (-c - d);
        let profit = targeted * per_targeted - self.fixed_cost;
        let retained = targeted * b * g;
        let retained_value = retained * self.clv;
        Ok(CampaignProfitReport {
            campaign: *self,
            targeted_customers: targeted,
            retained_churners: retained,
            retained_value,
            total_cost: retained_value - profit,
            profit,
            profit_per_targeted: (targeted > 0.0).then(|| profit / targeted),
        })
    }
}

impl fmt::Display for CampaignProfitReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.campaign;
        writeln!(f, "Churn-campaign profit (Neslin et al. 2006)")?;
        writeln!(f, "  customers N              {:>14}", c.customers)?;
        writeln!(f, "  targeted share α         {:>14.4}", c.targeted.get())?;
        writeln!(f, "  churners among targeted β{:>14.4}", c.churners.get())?;
        writeln!(f, "  acceptance γ             {:>14.4}", c.acceptance.get())?;
        writeln!(f, "  CLV                      {:>14.2}", c.clv)?;
        writeln!(f, "  contact cost c           {:>14.2}", c.contact_cost)?;
        writeln!(f, "  incentive cost δ         {:>14.2}", c.incentive_cost)?;
        writeln!(f, "  fixed cost A             {:>14.2}", c.fixed_cost)?;
        writeln!(
            f,
            "  targeted customers       {:>14.1}",
            self.targeted_customers
        )?;
        writeln!(
            f,
            "  churners retained        {:>14.1}",
            self.retained_churners
        )?;
        writeln!(
            f,
            "  value retained           {:>14.2}",
            self.retained_value
        )?;
        writeln!(f, "  total cost               {:>14.2}", self.total_cost)?;
        writeln!(f, "  profit Π                 {:>14.2}", self.profit)
    }
}

/// The expected maximum profit measure for customer churn (EMPC) of a churn model's
/// scores (Verbraken, Verbeke & Baesens 2013).
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `clv` | 200 | value of a retained customer | finite, > 0 |
/// | `incentive` | 10 | `d`, cost of the retention offer | finite, >= 0, < `clv` |
/// | `contact` | 1 | `f`, cost of a contact | finite, >= 0 |
/// | `acceptance_shape` | (6, 14) | `γ ~ Beta(α, β)`, acceptance among contacted churners (mean 0.3) | both finite, > 0 |
///
/// The defaults are those of the paper and of R `EMP::empChurn`.
///
/// # Formula
///
/// ```text
/// δ = d / CLV, φ = f / CLV, π0 = share of churners, π1 = 1 - π0
/// F0(t), F1(t): share of churners / non-churners targeted at threshold t
/// P(t; γ) = CLV · [γ(1 - δ) - φ] · π0 · F0(t)  -  CLV · (δ + φ) · π1 · F1(t)
/// EMPC    = ∫_0^1 max_t P(t; γ) · h(γ) dγ,       h the Beta(α, β) density
/// η       = ∫_0^1 [π0 F0(t*(γ)) + π1 F1(t*(γ))] h(γ) dγ   (expected share targeted)
/// ```
///
/// The maximum over `t` lies on the convex hull of the ROC curve; between hull points
/// `i` and `i+1` the switch happens at
/// `γ_i = [π1 ΔF1 (δ + φ) / (π0 ΔF0) + φ] / (1 - δ)`, so the integral is a sum of
/// incomplete-beta terms, evaluated exactly (no quadrature). Scores are ranked so that a
/// higher score means more likely to churn; tied scores form one ROC step.
///
/// # Example
///
/// ```
/// use crm_analytics::retention::Empc;
///
/// let scores = [0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1];
/// let churned = [true, true, false, true, false, false, false, false];
/// let r = Empc::new().evaluate(&scores, &churned)?;
/// assert!(r.empc > 0.0 && r.targeted_share > 0.0);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
/// Verbraken, T., Verbeke, W. & Baesens, B. (2013). A novel profit maximizing metric for
/// measuring classification performance of customer churn prediction models. *IEEE
/// Transactions on Knowledge and Data Engineering* 25(5), 961-973.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Empc {
    clv: f64,
    incentive: f64,
    contact: f64,
    shape_alpha: f64,
    shape_beta: f64,
}

impl Default for Empc {
    fn default() -> Self {
        Empc {
            clv: 200.0,
            incentive: 10.0,
            contact: 1.0,
            shape_alpha: 6.0,
            shape_beta: 14.0,
        }
    }
}

/// The result of [`Empc::evaluate`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct EmpcReport {
    /// The options used.
    pub options: Empc,
    /// Customers scored.
    pub n: usize,
    /// Share of churners `π0`.
    pub churn_share: f64,
    /// EMPC: expected maximum profit per customer in the base, in CLV's currency.
    pub empc: f64,
    /// `η`: expected share of the base to target.
    pub targeted_share: f64,
    /// Points of the ROC convex hull, `(F1, F0)` = (non-churners, churners targeted).
    pub hull: Vec<(f64, f64)>,
}

impl Empc {
    /// The paper's defaults (same as `default()`).
    #[must_use]
    pub fn new() -> Empc {
        Empc::default()
    }

    /// Value of a retained customer (default 200).
    #[must_use]
    pub fn clv(mut self, clv: f64) -> Empc {
        self.clv = clv;
        self
    }

    /// Incentive cost `d` (default 10).
    #[must_use]
    pub fn incentive(mut self, d: f64) -> Empc {
        self.incentive = d;
        self
    }

    /// Contact cost `f` (default 1).
    #[must_use]
    pub fn contact(mut self, f: f64) -> Empc {
        self.contact = f;
        self
    }

    /// Shape parameters of the Beta distribution of acceptance (default 6, 14).
    #[must_use]
    pub fn acceptance_shape(mut self, alpha: f64, beta: f64) -> Empc {
        self.shape_alpha = alpha;
        self.shape_beta = beta;
        self
    }

    /// CLV.
    #[must_use]
    pub fn get_clv(&self) -> f64 {
        self.clv
    }

    /// `d`.
    #[must_use]
    pub fn get_incentive(&self) -> f64 {
        self.incentive
    }

    /// `f`.
    #[must_use]
    pub fn get_contact(&self) -> f64 {
        self.contact
    }

    /// `(α, β)` of the acceptance distribution.
    #[must_use]
    pub fn get_acceptance_shape(&self) -> (f64, f64) {
        (self.shape_alpha, self.shape_beta)
    }

    fn validate(&self) -> Result<()> {
        crate::validate::positive("clv", self.clv)?;
        crate::validate::non_negative("incentive", self.incentive)?;
        crate::validate::non_negative("contact", self.contact)?;
        crate::validate::positive("acceptance_shape alpha", self.shape_alpha)?;
        crate::validate::positive("acceptance_shape beta", self.shape_beta)?;
        if self.incentive >= self.clv {
            return Err(Error::option(
                "incentive",
                self.incentive,
                format!("below the clv ({})", self.clv),
            ));
        }
        Ok(())
    }

    /// EMPC of churn scores against observed churn.
    ///
    /// # Errors
    /// - [`Error::InvalidOption`] for options out of range.
    /// - [`Error::Empty`], [`Error::DimensionMismatch`], [`Error::NonFiniteAt`] for bad
    ///   scores; [`Error::InvalidInput`] when only one class is present.
    pub fn evaluate(&self, scores: &[f64], churned: &[bool]) -> Result<EmpcReport> {
        self.validate()?;
        if scores.is_empty() {
            return Err(Error::Empty {
                what: "scores".into(),
            });
        }
        same_len("churn labels (one per score)", scores.len(), churned.len())?;
        slice_finite("scores", scores)?;
        let n = scores.len();
        let n0 = churned.iter().filter(|&&c| c).count();
        let n1 = n - n0;
        if n0 == 0 || n1 == 0 {
            return Err(Error::input(
                "churn labels",
                format!("EMPC needs churners and non-churners, got {n0} churners of {n}"),
            ));
        }
        let pi0 = n0 as f64 / n as f64;
        let pi1 = 1.0 - pi0;
        // ROC points from the highest score down, ties as one step.
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_unstable_by(|&a, &b| scores[b].total_cmp(&scores[a]));
        let mut roc: Vec<(f64, f64)> = vec![(0.0, 0.0)];
        let (mut tp, mut fp) = (0usize, 0usize);
        let mut i = 0;
        while i < n {
            let mut j = i;
            while j < n && scores[order[j]].total_cmp(&scores[order[i]]).is_eq() {
                if churned[order[j]] {
                    tp += 1;
                } else {
                    fp += 1;
                }
                j += 1;
            }
            roc.push((fp as f64 / n1 as f64, tp as f64 / n0 as f64));
            i = j;
        }
        // Upper convex hull (x = F1 ascending, y = F0).
        let mut hull: Vec<(f64, f64)> = Vec::new();
        for &p in &roc {
            while hull.len() >= 2 {
                let a = hull[hull.len() - 2];
                let b = hull[hull.len() - 1];
                let cross = (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0);
                if cross >= 0.0 {
                    hull.pop();
                } else {
                    break;
                }
            }
            hull.push(p);
        }
        let delta = self.incentive / self.clv;
        let phi = self.contact / self.clv;
        let (sa, sb) = (self.shape_alpha, self.shape_beta);
        let mean_gamma = sa / (sa + sb);
        let cdf = |g: f64, a: f64| -> f64 {
            if g <= 0.0 {
                0.0
            } else if g >= 1.0 {
                1.0
            } else {
                beta_reg(a, sb, g)
            }
        };
        // γ thresholds between consecutive hull points (non-decreasing).
        let mut cuts: Vec<f64> = Vec::with_capacity(hull.len() + 1);
        cuts.push(0.0);
        for w in hull.windows(2) {
            let (df1, df0) = (w[1].0 - w[0].0, w[1].1 - w[0].1);
            let g = if df0 > 0.0 {
                (pi1 * df1 * (delta + phi) / (pi0 * df0) + phi) / (1.0 - delta)
            } else {
                f64::INFINITY
            };
            let prev = cuts.last().copied().unwrap_or(0.0);
            cuts.push(g.max(prev).min(1.0));
        }
        cuts.push(1.0);
        let mut empc = 0.0;
        let mut eta = 0.0;
        for (k, &(f1, f0)) in hull.iter().enumerate() {
            let (lo, hi) = (cuts[k], cuts[k + 1]);
            if hi <= lo {
                continue;
            }
            let mass = cdf(hi, sa) - cdf(lo, sa);
            let first_moment = mean_gamma * (cdf(hi, sa + 1.0) - cdf(lo, sa + 1.0));
            let slope = self.clv * (1.0 - delta) * pi0 * f0;
            let intercept = -self.clv * (phi * pi0 * f0 + (delta + phi) * pi1 * f1);
            empc += slope * first_moment + intercept * mass;
            eta += (pi0 * f0 + pi1 * f1) * mass;
        }
        Ok(EmpcReport {
            options: *self,
            n,
            churn_share: pi0,
            empc,
            targeted_share: eta,
            hull,
        })
    }
}

impl fmt::Display for EmpcReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let o = &self.options;
        writeln!(f, "Expected maximum profit for churn (EMPC)")?;
        writeln!(
            f,
            "  CLV {:.2}, incentive d {:.2}, contact f {:.2}, γ ~ Beta({}, {})",
            o.clv, o.incentive, o.contact, o.shape_alpha, o.shape_beta
        )?;
        writeln!(f, "  customers                 {:>12}", self.n)?;
        writeln!(f, "  churn share π0            {:>12.6}", self.churn_share)?;
        writeln!(f, "  ROC hull points           {:>12}", self.hull.len())?;
        writeln!(f, "  EMPC per customer         {:>12.6}", self.empc)?;
        writeln!(
            f,
            "  expected share targeted η {:>12.6}",
            self.targeted_share
        )
    }
}
