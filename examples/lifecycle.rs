//! Life cycle of a synthetic telecom base: stages with evidence, stage strategies, stage
//! migration between two half-years, a Markov chain with churn absorbing, projected stage
//! distribution and expected value by stage.
//!
//! Run with `cargo run --release --example lifecycle`.
//!
//! The base (seeded, so every run prints the same numbers): 20,000 customers observed
//! for 18 months. Each has a spend level `exp(3.5 + 0.6 z)` per month and a monthly drift
//! in months 0-11 drawn from growth (+6%), flat (0) or decline (-6%) with probabilities
//! 0.35, 0.45, 0.20. In months 12-17 growers flatten with probability 0.5, flat customers
//! start declining with probability 0.2, and decliners already on the network at month 11
//! churn with probability 0.35 (spend 0 from a random month in 12-17 on). Months carry 8%
//! multiplicative noise. Tenure at month 17 is uniform on 1..=60; months before joining
//! are 0. Period 1 is classified at month 11, period 2 at month 17, both with the default
//! rules plus the drawdown trigger. No files are written.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crm_analytics::lifecycle::{
    Horizon, LifecycleRules, LifecycleStage, MIGRATION_LABELS, StageMigration,
};
use crm_analytics::strategy::{StrategyBook, ValueSegment};

/// SplitMix64: a tiny seeded generator, so the example needs no extra dependency.
struct SplitMix(u64);

impl SplitMix {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.uniform(), self.uniform());
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

const N: usize = 20_000;
const MONTHS: usize = 18;

struct Base {
    spend: Vec<f64>, // N x 18, row-major
    tenure: Vec<u32>,
    churned: Vec<bool>,
    level: Vec<f64>,
}

fn simulate() -> Base {
    let mut g = SplitMix(20_240_601);
    let mut spend = Vec::with_capacity(N * MONTHS);
    let mut tenure = Vec::with_capacity(N);
    let mut churned = Vec::with_capacity(N);
    let mut levels = Vec::with_capacity(N);
    for _ in 0..N {
        let level = (3.5 + 0.6 * g.normal()).exp();
        let u = g.uniform();
        let drift1: f64 = if u < 0.35 {
            0.06
        } else if u < 0.80 {
            0.0
        } else {
            -0.06
        };
        let v = g.uniform();
        let ten = 1 + (g.uniform() * 60.0) as u32;
        let (drift2, churn_at) = match drift1 {
            d if d > 0.0 => (if v < 0.5 { 0.0 } else { 0.06 }, None),
            d if d < 0.0 => {
                // Only customers already on the network in period 1 can churn.
                let churn = (v < 0.35 && ten > 6).then(|| 12 + (g.uniform() * 6.0) as usize);
                (-0.06, churn)
            }
            _ => (if v < 0.2 { -0.06 } else { 0.0 }, None),
        };
        let joined_at = MONTHS as i64 - ten as i64; // first month with spend
        let mut x = level;
        for m in 0..MONTHS {
            let drift = if m < 12 { drift1 } else { drift2 };
            if m > 0 {
                x *= 1.0 + drift;
            }
            let noisy = x * (1.0 + 0.08 * g.normal());
            let active = (m as i64) >= joined_at && churn_at.is_none_or(|c| m < c);
            spend.push(if active { noisy.max(0.0) } else { 0.0 });
        }
        tenure.push(ten);
        churned.push(churn_at.is_some());
        levels.push(level);
    }
    Base {
        spend,
        tenure,
        churned,
        level: levels,
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = simulate();
    let rules = LifecycleRules::new().drawdown(true);

    // Period 1: months 0..=11, tenure six months shorter.
    let mut spend1 = Vec::with_capacity(N * 12);
    let mut tenure1 = Vec::with_capacity(N);
    for i in 0..N {
        spend1.extend_from_slice(&base.spend[i * MONTHS..i * MONTHS + 12]);
        tenure1.push(base.tenure[i].saturating_sub(6));
    }
    let p1 = rules.classify_base_parallel(&spend1, 12, &tenure1, 2)?;
    let p2 = rules.classify_base_parallel(&base.spend, MONTHS, &base.tenure, 2)?;
    println!("== Period 1 (month 11) ==\n{p1}\n");
    println!("== Period 2 (month 17) ==\n{p2}\n");

    // A few customers with their evidence and strategy.
    let book = StrategyBook::default();
    let median_level = {
        let mut l = base.level.clone();
        l.sort_by(f64::total_cmp);
        l[N / 2]
    };
    println!("== Sample customers (period 2) ==");
    for i in [0usize, 1, 2, 3, 5, 8, 13, 21] {
        let call = p2.call(i).ok_or("customer index out of range")?;
        println!("customer {i:>5}: {call}");
        let segment = ValueSegment::from_levels(
            base.level[i] > median_level,
            call.stage == Some(LifecycleStage::Growth),
        );
        println!(
            "                recommendation: {}",
            call.recommend(&book, segment, false)
        );
    }
    println!();
    println!("== Stage strategies ==");
    for s in LifecycleStage::ALL {
        println!("{s:<11} {}", book.stage(s));
    }
    println!();

    // Migration between the periods: customers who had not joined by month 11 are "none"
    // in period 1 (the none row counts new customers), churned customers are "none" in
    // period 2.
    let before: Vec<Option<LifecycleStage>> = p1
        .stages()
        .into_iter()
        .zip(&tenure1)
        .map(|(s, &t)| if t == 0 { None } else { s })
        .collect();
    let after: Vec<Option<LifecycleStage>> = p2
        .iter()
        .zip(&base.churned)
        .map(|(c, &ch)| if ch { None } else { c.stage })
        .collect();
    let migration = StageMigration::between(&before, &after)?;
    println!("== {migration}\n");

    // Markov chain over half-years with "none" read as churn, forced absorbing (this
    // replaces the new-customer row, which is acquisition, not migration).
    let counts = migration.to_transition_counts();
    let names: Vec<&str> = MIGRATION_LABELS
        .iter()
        .map(|&l| if l == "none" { "churned" } else { l })
        .collect();
    let est = counts.finish_with_prior(None, &[4])?.with_names(&names)?;
    println!("== Markov estimate (one step = six months) ==\n{est}\n");
    let chain = est.chain();
    let pi0: Vec<f64> = migration
        .after
        .iter()
        .map(|&c| c as f64 / migration.customers as f64)
        .collect();
    let projection = chain.projection(&pi0, 6)?;
    println!("== {projection}\n");
    let absorption = chain.absorption()?;
    println!("== Time to churn (half-years) ==\n{absorption}\n");

    // Net contribution per half-year by stage: 35% margin on six months of mean spend,
    // less the stage's marketing cost (welcome care, up-sell campaigns, loyalty, win-back).
    let mean_spend = |s: LifecycleStage| {
        let (mut sum, mut n) = (0.0, 0usize);
        for c in p2.iter().filter(|c| c.stage == Some(s)) {
            if let Some(t) = c.evidence.trend {
                sum += t.mean;
                n += 1;
            }
        }
        if n == 0 { 0.0 } else { sum / n as f64 }
    };
    let cost = [15.0, 10.0, 8.0, 12.0];
    let mut rewards = Vec::with_capacity(5);
    for (k, s) in LifecycleStage::ALL.iter().enumerate() {
        rewards.push(0.35 * 6.0 * mean_spend(*s) - cost[k]);
    }
    rewards.push(0.0);
    let d = 0.05; // per half-year
    let v4 = chain.state_values(&rewards, d, Horizon::Finite(4))?;
    let v = chain.state_values(&rewards, d, Horizon::Infinite)?;
    println!("== {v4}\n");
    println!("== {v}\n");
    println!(
        "expected value of the period-2 base per customer: {:.2} (infinite horizon)",
        v.base_value(&pi0)?
    );
    Ok(())
}
