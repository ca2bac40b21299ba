//! The built-in synthetic operator base.

use super::base::{Contract, CustomerBase};
use super::rng::SplitMix64;
use crate::{Error, Result};

/// Shares of the generating stages, in [`LifecycleStage::ALL`](crate::strategy::LifecycleStage::ALL) order (onboarding, growth,
/// maturity, decline).
pub const GENERATING_STAGE_SHARES: [f64; 4] = [0.10, 0.20, 0.50, 0.20];

/// Monthly spend drift of the generating stages (growth +8%, decline -8% a month).
pub const STAGE_DRIFT: [f64; 4] = [0.0, 0.08, 0.0, -0.08];

/// Month-to-month noise of spend: lognormal with this log standard deviation, mean 1.
pub const SPEND_NOISE: f64 = 0.04;

/// A **synthetic** operator base, drawn from a stated generative model so that examples,
/// docs, tests and benches run with no files. Not real data: use it to see the pipeline
/// work and to check that it recovers known structure.
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `n` | (required) | customers | `>= 1` |
/// | `seed` | 2024 | generator seed (SplitMix64) | any `u64` |
/// | `months` | 12 | months of spend series | `>= 1` |
/// | `arpu_sigma` | 1.75 | log-sd of ARPU | finite, in (0, 4] |
/// | `mean_arpu` | 50 | mean ARPU (currency per month) | finite, `> 0` |
///
/// # Generative model
///
/// For each customer, in order, from one SplitMix64 stream:
///
/// 1. **Stage** drawn with shares [`GENERATING_STAGE_SHARES`]: onboarding 10%, growth 20%,
///    maturity 50%, decline 20%.
/// 2. **ARPU** lognormal: `ln ARPU = μ + σ z`, `z ~ N(0, 1)`, `μ = ln(mean_arpu) - σ²/2`.
///    The Lorenz curve of a lognormal is `L(p) = Φ(Φ⁻¹(p) - σ)`, so the share `q` of
///    customers (the richest) carrying 80% of revenue solves `1 - L(1 - q) = 0.8`:
///    `q = Φ(Φ⁻¹(0.8) - σ)`. With `σ = 1.75`: `q = Φ(0.8416 - 1.75) = Φ(-0.9084) = 0.182`
///    (σ = 1.6 gives 0.224, σ = 1.8 gives 0.169); the top 20% carry
///    `Φ(σ - 0.8416) = 0.818` and the Gini is `2Φ(σ/√2) - 1 = 0.784`.
/// 3. **Satisfaction** latent `s ~ N(0, 1)` (not observed in the base).
/// 4. **Contract**: month-to-month 55%, one year 25%, two year 20%.
/// 5. **Group**: a member of a group account with probability 15%, the group uniform among
///    `max(1, n/40)` groups. **VIP**: `z > 2.054` (the top 2% by ARPU).
/// 6. **Age** (months since joining): onboarding uniform on 1..=5, other stages uniform on
///    6..=72.
/// 7. **Churn**: monthly hazard
///    `h = 0.012 · exp(-0.3 z - 0.4 s) · m_stage · m_contract`, with
///    `m_stage` = 1.5, 0.6, 1.0, 2.5 (onboarding, growth, maturity, decline) and
///    `m_contract` = 1.0, 0.6, 0.35. The time to churn is `start + Exp(h)` with
///    `start` = 0 for onboarding and 6 months otherwise (customers reach a later stage
///    only after onboarding). If it falls before the age, the customer churned
///    (flag set, tenure = that time rounded up, at least `start`); otherwise the customer
///    is active with tenure = age.
/// 8. **Spend**: over the customer's last `k = min(tenure, months)` months on the network
///    (before churn for churners), `spend_t = ARPU · f_t / mean(f) · ε_t`, with
///    `f_t = (1 + drift)^t` ([`STAGE_DRIFT`]) and `ε_t` lognormal with log-sd
///    [`SPEND_NOISE`] and mean 1. Earlier months are 0. So the customer's mean monthly
///    spend equals ARPU up to the noise, and the stage shows as the slope of the
///    series.
/// 9. **Retention cost** per month: `1.5 + 0.02 · ARPU · η`, `η` lognormal (log-sd 0.5,
///    mean 1): flat costs over-serve the mass market, the seeds' mismatch.
///
/// # Example
///
/// ```
/// use crm_analytics::pipeline::SyntheticBase;
///
/// let base = SyntheticBase::new(1000).seed(7).generate()?;
/// assert_eq!(base.len(), 1000);
/// assert_eq!(base, SyntheticBase::new(1000).seed(7).generate()?);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SyntheticBase {
    n: usize,
    seed: u64,
    months: usize,
    arpu_sigma: f64,
    mean_arpu: f64,
}

impl SyntheticBase {
    /// `n` customers with the defaults of the table.
    #[must_use]
    pub fn new(n: usize) -> Self {
        SyntheticBase {
            n,
            seed: 2024,
            months: 12,
            arpu_sigma: 1.75,
            mean_arpu: 50.0,
        }
    }

    /// Generator seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Months of spend series.
    #[must_use]
    pub fn months(mut self, months: usize) -> Self {
        self.months = months;
        self
    }

    /// Log-sd of ARPU.
    #[must_use]
    pub fn arpu_sigma(mut self, sigma: f64) -> Self {
        self.arpu_sigma = sigma;
        self
    }

    /// Mean ARPU.
    #[must_use]
    pub fn mean_arpu(mut self, mean: f64) -> Self {
        self.mean_arpu = mean;
        self
    }

    /// Customers.
    #[must_use]
    pub fn get_n(&self) -> usize {
        self.n
    }

    /// Seed.
    #[must_use]
    pub fn get_seed(&self) -> u64 {
        self.seed
    }

    /// Months.
    #[must_use]
    pub fn get_months(&self) -> usize {
        self.months
    }

    /// Log-sd of ARPU.
    #[must_use]
    pub fn get_arpu_sigma(&self) -> f64 {
        self.arpu_sigma
    }

    /// Mean ARPU.
    #[must_use]
    pub fn get_mean_arpu(&self) -> f64 {
        self.mean_arpu
    }

    /// Draw the base.
    ///
    /// # Errors
    /// [`Error::Empty`] for `n == 0`; [`Error::InvalidOption`] for `months == 0`,
    /// `arpu_sigma` outside (0, 4] or a non-positive `mean_arpu`.
    pub fn generate(&self) -> Result<CustomerBase> {
        if !(self.arpu_sigma > 0.0 && self.arpu_sigma <= 4.0) {
            return Err(Error::option("arpu_sigma", self.arpu_sigma, "in (0, 4]"));
        }
        if !(self.mean_arpu.is_finite() && self.mean_arpu > 0.0) {
            return Err(Error::option("mean_arpu", self.mean_arpu, "finite and > 0"));
        }
        if self.months == 0 {
            return Err(Error::option("months", 0, ">= 1"));
        }
        let (n, m) = (self.n, self.months);
        let sigma = self.arpu_sigma;
        let mu = self.mean_arpu.ln() - sigma * sigma / 2.0;
        let groups = (n / 40).max(1) as u64;
        let mut rng = SplitMix64::new(self.seed);
        let mut ids = Vec::with_capacity(n);
        let mut tenure = Vec::with_capacity(n);
        let mut spend = vec![0.0; n.saturating_mul(m)];
        let mut vip = Vec::with_capacity(n);
        let mut group = Vec::with_capacity(n);
        let mut contract = Vec::with_capacity(n);
        let mut churned = Vec::with_capacity(n);
        let mut cost = Vec::with_capacity(n);
        let mut f = vec![0.0; m];
        for (i, row) in spend.chunks_exact_mut(m).enumerate() {
            ids.push(format!("C{i:07}"));
            let u = rng.uniform();
            let mut acc = 0.0;
            let mut s = 3;
            for (k, share) in GENERATING_STAGE_SHARES.iter().enumerate() {
                acc += share;
                if u < acc {
                    s = k;
                    break;
                }
            }
            let z = rng.normal();
            let arpu = (mu + sigma * z).exp();
            let sat = rng.normal();
            let u = rng.uniform();
            let c = if u < 0.55 {
                Contract::MonthToMonth
            } else if u < 0.80 {
                Contract::OneYear
            } else {
                Contract::TwoYear
            };
            let g = if rng.uniform() < 0.15 {
                Some(rng.below(groups) as u32)
            } else {
                None
            };
            let (start, age) = if s == 0 {
                (0.0, 1 + rng.below(5) as u32)
            } else {
                (6.0, 6 + rng.below(67) as u32)
            };
            let m_stage = [1.5, 0.6, 1.0, 2.5][s];
            let m_contract = match c {
                Contract::MonthToMonth => 1.0,
                Contract::OneYear => 0.6,
                Contract::TwoYear => 0.35,
            };
            let h = 0.012 * (-0.3 * z - 0.4 * sat).exp() * m_stage * m_contract;
            let d = start + rng.exponential(h);
            let (t, left) = if d < f64::from(age) {
                let t = (d.ceil() as u32).max(start as u32).clamp(1, age);
                (t, true)
            } else {
                (age, false)
            };
            let k = (t as usize).clamp(1, m);
            let drift = STAGE_DRIFT[s];
            for (j, fj) in f[..k].iter_mut().enumerate() {
                *fj = (1.0 + drift).powi(j as i32);
            }
            let mean_f = f[..k].iter().sum::<f64>() / k as f64;
            for (j, x) in row[m - k..].iter_mut().enumerate() {
                let eps = (SPEND_NOISE * rng.normal() - SPEND_NOISE * SPEND_NOISE / 2.0).exp();
                *x = arpu * f[j] / mean_f * eps;
            }
            let eta = (0.5 * rng.normal() - 0.125).exp();
            tenure.push(t);
            vip.push(z > 2.054);
            group.push(g);
            contract.push(c);
            churned.push(left);
            cost.push(1.5 + 0.02 * arpu * eta);
        }
        CustomerBase::monthly(ids, tenure, spend, m)?
            .with_vip(vip)?
            .with_groups(group)?
            .with_contracts(contract)?
            .with_churn(churned)?
            .with_retention_cost(cost)
    }
}
