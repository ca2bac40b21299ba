//! The pipeline's report: every step's result in one serialisable value.

use std::fmt;

use serde::Serialize;

use crate::lifecycle::LifecycleStage;
use crate::retention::{ConcentrationPoint, GroupMatch, Tier};
use crate::satisfaction::{Driver, IpaResult};
use crate::strategy::{Action, BondLevel, ResourcePriority, ValueSegment};
use crate::value::{Dimension, SegmentSummary};

use super::base::Contract;

/// Everything [`Pipeline::run`](super::Pipeline::run) found: an executive summary, one
/// section per step, notes on what the data could not support, and the per-customer
/// results (not serialised: they are as long as the base).
///
/// `Display` prints the executive summary first, then the sections.
///
/// # Example
///
/// ```
/// use crm_analytics::pipeline::{Pipeline, SyntheticBase};
///
/// let report = Pipeline::new().run(&SyntheticBase::new(2_000).generate()?, None)?;
/// assert!(report.to_string().starts_with("Executive summary"));
/// assert!(report.satisfaction.is_none()); // no survey given
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct CrmReport {
    /// The key numbers of every step.
    pub summary: ExecutiveSummary,
    /// The base as given.
    pub base: BaseSection,
    /// Value indices, matrix and strategies.
    pub value: ValueSection,
    /// Revenue concentration.
    pub concentration: ConcentrationSection,
    /// Life-cycle stages with their evidence.
    pub lifecycle: LifecycleSection,
    /// Retention curves by value segment (when churn flags are known).
    pub survival: Option<SurvivalSection>,
    /// Satisfaction drivers (when a survey is given).
    pub satisfaction: Option<SatisfactionSection>,
    /// Cost matching and the budget plan (when retention costs are known).
    pub retention: Option<RetentionSection>,
    /// What was skipped or approximated, and why.
    pub notes: Vec<String>,
    /// Per-customer results, in base order (not serialised).
    #[serde(skip)]
    pub customers: CustomerResults,
}

/// Per-customer results, in base order.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct CustomerResults {
    /// ARPU (mean monthly spend on the network, or the current monthly charge).
    pub arpu: Vec<f64>,
    /// Current value index.
    pub current: Vec<f64>,
    /// Potential value index.
    pub potential: Vec<f64>,
    /// Value segment.
    pub segments: Vec<ValueSegment>,
    /// Life-cycle stage (`None` when unclassified).
    pub stages: Vec<Option<LifecycleStage>>,
    /// Churn probability over the horizon used by the budget plan (`None` when no plan).
    pub churn_probability: Option<Vec<f64>>,
    /// Customers chosen by the budget plan.
    pub targeted: Vec<bool>,
}

/// The headline numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ExecutiveSummary {
    /// Customers in the base.
    pub customers: usize,
    /// Total monthly revenue (sum of ARPU).
    pub monthly_revenue: f64,
    /// Gini of ARPU.
    pub gini: f64,
    /// Share of customers (the richest) carrying 80% of revenue.
    pub pareto_point: f64,
    /// Revenue share of the top 20% of customers.
    pub top20_share: f64,
    /// Customer shares of the value segments, in [`ValueSegment::ALL`] order.
    pub segment_shares: [f64; 4],
    /// Customer shares of the stages among all customers, in [`LifecycleStage::ALL`] order.
    pub stage_shares: [f64; 4],
    /// Share of customers flagged as churned.
    pub churn_rate: Option<f64>,
    /// Kaplan-Meier retention at 12 months over the whole base.
    pub retention_12m: Option<f64>,
    /// Satisfaction drivers, most important first.
    pub top_drivers: Vec<String>,
    /// Retention budget.
    pub budget: Option<f64>,
    /// Budget spent by the plan.
    pub spend: Option<f64>,
    /// Expected net gain of the plan.
    pub gain: Option<f64>,
    /// Customers chosen.
    pub targeted: Option<usize>,
}

/// Customers of one contract type.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ContractCount {
    /// Contract.
    pub contract: Contract,
    /// Customers.
    pub customers: usize,
}

/// The base as given.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct BaseSection {
    /// Customers.
    pub customers: usize,
    /// Months of series (`None` for summary charges).
    pub months: Option<usize>,
    /// Total monthly revenue.
    pub monthly_revenue: f64,
    /// Mean ARPU.
    pub mean_arpu: f64,
    /// Median ARPU.
    pub median_arpu: f64,
    /// Mean tenure in months.
    pub mean_tenure: f64,
    /// VIP customers.
    pub vip: Option<usize>,
    /// Members of group accounts.
    pub group_members: Option<usize>,
    /// Customers per contract type.
    pub contracts: Option<Vec<ContractCount>>,
    /// Customers flagged as churned.
    pub churned: Option<usize>,
}

/// One value indicator used.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct IndicatorRow {
    /// Name.
    pub name: String,
    /// Current or potential.
    pub dimension: Dimension,
    /// Weight within its dimension.
    pub weight: f64,
}

/// Customers of one (segment, stage) cell with the book's recommendation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct StrategyCell {
    /// Value segment.
    pub segment: ValueSegment,
    /// Stage (`None` = unclassified).
    pub stage: Option<LifecycleStage>,
    /// Customers.
    pub customers: usize,
    /// Share of monthly revenue.
    pub revenue_share: f64,
    /// Recommended actions (for individual customers).
    pub actions: Vec<Action>,
    /// Bond level.
    pub bond: BondLevel,
    /// Resource priority.
    pub priority: ResourcePriority,
}

/// Value indices, matrix and strategies.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ValueSection {
    /// Indicators used, with weights.
    pub indicators: Vec<IndicatorRow>,
    /// `true` when the indicators were derived from spend, tenure, group and contract.
    pub derived: bool,
    /// Threshold on the current index.
    pub current_threshold: f64,
    /// Threshold on the potential index.
    pub potential_threshold: f64,
    /// One row per segment, with its strategy.
    pub segments: Vec<SegmentSummary>,
    /// Non-empty (segment, stage) cells with recommendations.
    pub cells: Vec<StrategyCell>,
}

/// Revenue concentration of ARPU.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ConcentrationSection {
    /// Gini coefficient.
    pub gini: f64,
    /// Share of customers (the richest) carrying 80% of revenue.
    pub pareto_point: f64,
    /// Revenue share of the top 20%.
    pub top20_share: f64,
    /// Revenue share of the top 1%.
    pub top1_share: f64,
    /// Lorenz curve at population shares 0, 0.01, ..., 1: `[p, L(p)]`.
    pub lorenz: Vec<[f64; 2]>,
}

/// Where stages came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum StageSource {
    /// Trend rules on the monthly series ([`LifecycleRules`](crate::lifecycle::LifecycleRules)).
    MonthlyTrend,
    /// Tenure and the charges ratio `total / (tenure · monthly)` (no series).
    ChargesRatio,
}

/// Customers decided by one rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct RuleCount {
    /// The rule.
    pub rule: String,
    /// Customers.
    pub customers: usize,
}

/// Life-cycle stages with their evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct LifecycleSection {
    /// Where stages came from.
    pub source: StageSource,
    /// Customers per stage, in [`LifecycleStage::ALL`] order.
    pub stage_counts: [usize; 4],
    /// Shares of all customers.
    pub stage_shares: [f64; 4],
    /// Customers without a stage.
    pub unclassified: usize,
    /// Customers per deciding rule (the evidence).
    pub rules: Vec<RuleCount>,
    /// Stage counts per value segment: `[segment][stage]`.
    pub by_segment: [[usize; 4]; 4],
}

/// Kaplan-Meier retention of one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SurvivalRow {
    /// The segment (`None` = the whole base).
    pub segment: Option<ValueSegment>,
    /// Customers.
    pub customers: usize,
    /// Churn events.
    pub churned: usize,
    /// `S(12)`.
    pub s12: f64,
    /// `S(24)`.
    pub s24: f64,
    /// Median tenure to churn (`None` when the curve stays above 0.5).
    pub median: Option<f64>,
    /// The step curve `[t, S(t)]` at the event times.
    pub curve: Vec<[f64; 2]>,
}

/// Retention by value segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SurvivalSection {
    /// The whole base.
    pub overall: SurvivalRow,
    /// Non-empty segments.
    pub by_segment: Vec<SurvivalRow>,
    /// Log-rank test of equal retention across the segments (`None` with fewer than two
    /// segments or a singular variance).
    pub log_rank: Option<LogRankSummary>,
}

/// A log-rank test across value segments.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct LogRankSummary {
    /// Chi-square statistic.
    pub chi_square: f64,
    /// Degrees of freedom.
    pub df: usize,
    /// Upper-tail p value.
    pub p_value: f64,
}

/// Satisfaction drivers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SatisfactionSection {
    /// Outcome construct.
    pub outcome: String,
    /// Responses given.
    pub respondents: usize,
    /// Responses used (complete).
    pub rows_used: usize,
    /// R² of the driver regression.
    pub r_squared: f64,
    /// Drivers, most important (LMG share) first.
    pub drivers: Vec<Driver>,
    /// Importance-performance grid.
    pub ipa: IpaResult,
    /// Respondents whose id is in the base (when ids were given).
    pub linked: Option<usize>,
}

/// Contribution-cost matching.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MatchingSection {
    /// Σ ARPU.
    pub total_value: f64,
    /// Σ retention cost.
    pub total_cost: f64,
    /// Value-weighted mean matching index (1 = cost proportional to value).
    pub weighted_mean_index: f64,
    /// Concentration index of cost over customers ranked by value.
    pub concentration_index: f64,
    /// Gini of value.
    pub value_gini: f64,
    /// Gini of value minus the concentration index of cost (> 0: cost less concentrated).
    pub concentration_gap: f64,
    /// Per tier (when VIP or group flags are known).
    pub tiers: Vec<GroupMatch<Tier>>,
    /// Per value segment.
    pub segments: Vec<GroupMatch<ValueSegment>>,
    /// Concentration curves.
    pub curve: Vec<ConcentrationPoint>,
}

/// The plan in one segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PlanSegment {
    /// Segment.
    pub segment: ValueSegment,
    /// Customers chosen.
    pub targeted: usize,
    /// Spend.
    pub spend: f64,
    /// Expected gain.
    pub gain: f64,
}

/// The budget plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct BudgetPlan {
    /// Budget.
    pub budget: f64,
    /// Where churn probabilities came from.
    pub churn_source: String,
    /// Active customers offered.
    pub candidates: usize,
    /// Customers chosen.
    pub targeted: usize,
    /// Spend.
    pub spend: f64,
    /// Expected net gain `Σ (p·γ·V - c)`.
    pub gain: f64,
    /// `gain / spend`.
    pub roi: Option<f64>,
    /// Per segment.
    pub by_segment: Vec<PlanSegment>,
}

/// Retention: matching and plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct RetentionSection {
    /// Contribution-cost matching (`None` when all costs are 0).
    pub matching: Option<MatchingSection>,
    /// The budget plan.
    pub plan: BudgetPlan,
}

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

fn money(x: f64) -> String {
    let a = x.abs();
    if a >= 1e9 {
        format!("{:.2}bn", x / 1e9)
    } else if a >= 1e6 {
        format!("{:.2}M", x / 1e6)
    } else if a >= 1e4 {
        format!("{:.1}k", x / 1e3)
    } else {
        format!("{x:.2}")
    }
}

fn opt(x: Option<f64>, dp: usize) -> String {
    x.map_or_else(|| "-".into(), |v| format!("{v:.dp$}"))
}

impl fmt::Display for ExecutiveSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Executive summary")?;
        writeln!(
            f,
            "  Base        {} customers, monthly revenue {}",
            self.customers,
            money(self.monthly_revenue)
        )?;
        writeln!(
            f,
            "  Revenue     top 20% carry {}; 80% comes from the top {} (Gini {:.3})",
            pct(self.top20_share),
            pct(self.pareto_point),
            self.gini
        )?;
        let seg: Vec<String> = ValueSegment::ALL
            .iter()
            .zip(self.segment_shares)
            .map(|(s, x)| format!("{s} {}", pct(x)))
            .collect();
        writeln!(f, "  Segments    {}", seg.join(", "))?;
        let st: Vec<String> = LifecycleStage::ALL
            .iter()
            .zip(self.stage_shares)
            .map(|(s, x)| format!("{s} {}", pct(x)))
            .collect();
        writeln!(f, "  Stages      {}", st.join(", "))?;
        match (self.churn_rate, self.retention_12m) {
            (Some(c), Some(r)) => writeln!(
                f,
                "  Churn       {} of the base churned; 12-month retention {}",
                pct(c),
                pct(r)
            )?,
            _ => writeln!(f, "  Churn       not known")?,
        }
        if self.top_drivers.is_empty() {
            writeln!(f, "  Drivers     no survey given")?;
        } else {
            writeln!(f, "  Drivers     {}", self.top_drivers.join(" > "))?;
        }
        match (self.budget, self.spend, self.gain, self.targeted) {
            (Some(b), Some(s), Some(g), Some(t)) => writeln!(
                f,
                "  Budget      {} of {} on {} customers, expected net gain {}",
                money(s),
                money(b),
                t,
                money(g)
            ),
            _ => writeln!(
                f,
                "  Budget      no plan (retention costs or churn not known)"
            ),
        }
    }
}

impl fmt::Display for CrmReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.summary)?;

        let b = &self.base;
        writeln!(f, "Base")?;
        match b.months {
            Some(m) => writeln!(f, "  {} customers, {m} months of spend", b.customers)?,
            None => writeln!(
                f,
                "  {} customers, monthly and total charges only",
                b.customers
            )?,
        }
        writeln!(
            f,
            "  ARPU mean {:.2}, median {:.2}; mean tenure {:.1} months",
            b.mean_arpu, b.median_arpu, b.mean_tenure
        )?;
        if let Some(v) = b.vip {
            writeln!(f, "  VIP {v}")?;
        }
        if let Some(g) = b.group_members {
            writeln!(f, "  group members {g}")?;
        }
        if let Some(cs) = &b.contracts {
            let s: Vec<String> = cs
                .iter()
                .map(|c| format!("{} {}", c.contract, c.customers))
                .collect();
            writeln!(f, "  contracts: {}", s.join(", "))?;
        }
        if let Some(c) = b.churned {
            writeln!(f, "  churned {c}")?;
        }

        let c = &self.concentration;
        writeln!(f, "\nRevenue concentration (ARPU)")?;
        writeln!(
            f,
            "  Gini {:.4}; top 1% {}, top 20% {}; Pareto point (80% of revenue) {}",
            c.gini,
            pct(c.top1_share),
            pct(c.top20_share),
            pct(c.pareto_point)
        )?;

        let v = &self.value;
        writeln!(
            f,
            "\nValue matrix ({} indicators; thresholds current {:.4}, potential {:.4})",
            if v.derived { "derived" } else { "given" },
            v.current_threshold,
            v.potential_threshold
        )?;
        for ind in &v.indicators {
            writeln!(
                f,
                "  {:<22} {:<9} w = {:.4}",
                ind.name,
                ind.dimension.to_string(),
                ind.weight
            )?;
        }
        writeln!(
            f,
            "  {:<13} {:>9} {:>8} {:>9} {:>10}  strategy",
            "segment", "customers", "share", "revenue", "mean ARPU"
        )?;
        for s in &v.segments {
            let acts: Vec<String> = s.strategy.actions.iter().map(|a| a.to_string()).collect();
            writeln!(
                f,
                "  {:<13} {:>9} {:>8} {:>9} {:>10}  {}",
                s.segment,
                s.customers,
                pct(s.share),
                s.revenue_share.map_or_else(|| "-".into(), pct),
                opt(s.mean_arpu, 2),
                acts.join(", ")
            )?;
        }

        writeln!(f, "\nStrategy by segment and stage (individual customers)")?;
        writeln!(
            f,
            "  {:<13} {:<12} {:>9} {:>8}  bond, actions",
            "segment", "stage", "customers", "revenue"
        )?;
        for c in &v.cells {
            let acts: Vec<String> = c.actions.iter().map(|a| a.to_string()).collect();
            writeln!(
                f,
                "  {:<13} {:<12} {:>9} {:>8}  {}: {}",
                c.segment,
                c.stage.map_or_else(|| "-".into(), |s| s.to_string()),
                c.customers,
                pct(c.revenue_share),
                c.bond,
                acts.join(", ")
            )?;
        }

        let l = &self.lifecycle;
        writeln!(
            f,
            "\nLife-cycle stages ({})",
            match l.source {
                StageSource::MonthlyTrend => "trend of the monthly series",
                StageSource::ChargesRatio => "tenure and charges ratio",
            }
        )?;
        for (k, s) in LifecycleStage::ALL.iter().enumerate() {
            writeln!(
                f,
                "  {:<11} {:>9} {:>7}",
                s.to_string(),
                l.stage_counts[k],
                pct(l.stage_shares[k])
            )?;
        }
        writeln!(f, "  unclassified {}", l.unclassified)?;
        let ev: Vec<String> = l
            .rules
            .iter()
            .filter(|r| r.customers > 0)
            .map(|r| format!("{} {}", r.rule, r.customers))
            .collect();
        writeln!(f, "  evidence: {}", ev.join("; "))?;

        if let Some(s) = &self.survival {
            writeln!(f, "\nRetention by value segment (Kaplan-Meier on tenure)")?;
            writeln!(
                f,
                "  {:<13} {:>9} {:>8} {:>7} {:>7} {:>7}",
                "segment", "customers", "churned", "S(12)", "S(24)", "median"
            )?;
            for r in std::iter::once(&s.overall).chain(&s.by_segment) {
                writeln!(
                    f,
                    "  {:<13} {:>9} {:>8} {:>7.3} {:>7.3} {:>7}",
                    r.segment.map_or_else(|| "all".into(), |x| x.to_string()),
                    r.customers,
                    r.churned,
                    r.s12,
                    r.s24,
                    opt(r.median, 0)
                )?;
            }
            if let Some(t) = &s.log_rank {
                writeln!(
                    f,
                    "  log-rank across segments: chi² {:.2} on {} df, p {}",
                    t.chi_square,
                    t.df,
                    if t.p_value < 1e-300 {
                        "< 1e-300".to_string()
                    } else {
                        format!("{:.3e}", t.p_value)
                    }
                )?;
            }
        }

        if let Some(s) = &self.satisfaction {
            writeln!(
                f,
                "\nSatisfaction drivers of `{}` ({} of {} responses, R² {:.3})",
                s.outcome, s.rows_used, s.respondents, s.r_squared
            )?;
            writeln!(
                f,
                "  {:<13} {:>8} {:>8} {:>8} {:>7}  quadrant",
                "driver", "beta", "LMG", "p", "mean"
            )?;
            for d in &s.drivers {
                let q = s
                    .ipa
                    .point(&d.name)
                    .map_or_else(|| "-".into(), |p| p.quadrant.to_string());
                writeln!(
                    f,
                    "  {:<13} {:>8.3} {:>8} {:>8.4} {:>7.2}  {q}",
                    d.name,
                    d.standardized_beta,
                    opt(d.lmg_share, 3),
                    d.p_value,
                    d.mean_score
                )?;
            }
            if let Some(k) = s.linked {
                writeln!(f, "  {k} respondents linked to the base by id")?;
            }
        }

        if let Some(r) = &self.retention {
            writeln!(f, "\nRetention cost matching")?;
            match &r.matching {
                Some(m) => {
                    writeln!(
                        f,
                        "  value {} vs cost {} a month; weighted mean index {:.3}; value Gini {:.3}, cost concentration {:.3}",
                        money(m.total_value),
                        money(m.total_cost),
                        m.weighted_mean_index,
                        m.value_gini,
                        m.concentration_index
                    )?;
                    for g in &m.segments {
                        writeln!(
                            f,
                            "  {:<13} value {:>7} cost {:>7} index {}",
                            g.group,
                            pct(g.value_share),
                            pct(g.cost_share),
                            opt(g.index, 3)
                        )?;
                    }
                    for g in &m.tiers {
                        writeln!(
                            f,
                            "  {:<13} value {:>7} cost {:>7} index {}",
                            g.group,
                            pct(g.value_share),
                            pct(g.cost_share),
                            opt(g.index, 3)
                        )?;
                    }
                }
                None => writeln!(f, "  no retention cost recorded")?,
            }
            let p = &r.plan;
            writeln!(
                f,
                "\nBudget plan (greedy by ROI; churn from {})\n  budget {}, spent {} on {} of {} active customers, expected net gain {} (ROI {})",
                p.churn_source,
                money(p.budget),
                money(p.spend),
                p.targeted,
                p.candidates,
                money(p.gain),
                opt(p.roi, 2)
            )?;
            for s in &p.by_segment {
                writeln!(
                    f,
                    "  {:<13} {:>8} customers, spend {:>10}, gain {:>10}",
                    s.segment,
                    s.targeted,
                    money(s.spend),
                    money(s.gain)
                )?;
            }
        }

        if !self.notes.is_empty() {
            writeln!(f, "\nNotes")?;
            for n in &self.notes {
                writeln!(f, "  - {n}")?;
            }
        }
        Ok(())
    }
}
