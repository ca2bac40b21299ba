//! [`Pipeline::run`]: the steps in order.

use std::collections::HashSet;

use nalgebra::DMatrix;

use super::base::{Contract, CustomerBase, Spend, SurveyData};
use super::options::{Budget, Pipeline};
use super::report::{
    BaseSection, BudgetPlan, ConcentrationSection, ContractCount, CrmReport, CustomerResults,
    ExecutiveSummary, IndicatorRow, LifecycleSection, LogRankSummary, MatchingSection, PlanSegment,
    RetentionSection, RuleCount, SatisfactionSection, StageSource, StrategyCell, SurvivalRow,
    SurvivalSection, ValueSection,
};
use crate::Probability;
use crate::Result;
use crate::lifecycle::LifecycleStage;
use crate::retention::{RetentionOffer, Tier};
use crate::satisfaction::{DriverRanking, SatisfactionModel};
use crate::strategy::ValueSegment;
use crate::survival::{KaplanMeier, KaplanMeierFit, LogRank};
use crate::value::{Concentration, Dimension, Indicator, IndicatorSystem, ValueIndex, ValueMatrix};
use crate::weights::{ConstantColumn, Direction, Normalize};

fn seg_index(s: ValueSegment) -> usize {
    match s {
        ValueSegment::Valuable => 0,
        ValueSegment::SubValuable => 1,
        ValueSegment::Potential => 2,
        ValueSegment::LowValue => 3,
    }
}

fn stage_index(s: LifecycleStage) -> usize {
    match s {
        LifecycleStage::Onboarding => 0,
        LifecycleStage::Growth => 1,
        LifecycleStage::Maturity => 2,
        LifecycleStage::Decline => 3,
    }
}

/// Growth of spend: the mean of the last `h` months over the mean of the `h` before,
/// minus 1, `h = min(3, k/2)` with `k` the months on the network in the window; 0 when
/// undefined; clamped to [-1, 1] so that a few outliers do not squash the min-max scale.
fn growth_monthly(row: &[f64], tenure: u32) -> f64 {
    let m = row.len();
    let k = (tenure as usize).min(m);
    let h = (k / 2).min(3);
    if h == 0 {
        return 0.0;
    }
    let last = row[m - h..].iter().sum::<f64>();
    let prev = row[m - 2 * h..m - h].iter().sum::<f64>();
    if prev > 0.0 {
        (last / prev - 1.0).clamp(-1.0, 1.0)
    } else {
        0.0
    }
}

/// `monthly / (total / tenure) - 1`: current charge against the historical average.
fn growth_summary(monthly: f64, total: f64, tenure: u32) -> Option<f64> {
    (tenure > 0 && total > 0.0).then(|| monthly * f64::from(tenure) / total - 1.0)
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

const RULE_NAMES: [&str; 8] = [
    "onboarding (tenure)",
    "growth (slope)",
    "maturity (flat)",
    "decline (slope)",
    "decline (drawdown)",
    "decline (zero spend after activity)",
    "no activity",
    "insufficient months",
];

struct Stages {
    stages: Vec<Option<LifecycleStage>>,
    rules: Vec<RuleCount>,
    source: StageSource,
}

impl Pipeline {
    /// Run every step on `base` (and `survey` when given) and collect the results.
    ///
    /// Steps, in order (each announced to `on_step`):
    /// 1. **value**: indicators (given, or derived: ARPU as current value; spend growth,
    ///    group membership and contract commitment as potential value; constant columns
    ///    contribute nothing), indices, matrix, strategies per segment and per
    ///    (segment, stage) cell. Tenure and revenue summed over the window are *not*
    ///    derived indicators: both grow with time on the network, which is the survival
    ///    outcome, so segments built on them would make retention by segment circular
    ///    (customers who churned early could only ever be low value: immortal-time bias).
    ///    Give them explicitly with [`CustomerBase::with_indicators`] if wanted;
    /// 2. **concentration** of ARPU: Gini, Pareto point, top shares, Lorenz curve;
    /// 3. **lifecycle**: trend rules on the series, or, with summary charges only,
    ///    tenure `< onboarding_tenure` → onboarding and `g = monthly·tenure/total - 1`
    ///    against `ratio_threshold` (growth above `+θ`, decline below `-θ`, else
    ///    maturity; zero total → no stage);
    /// 4. **survival** (churn flags known): Kaplan-Meier on tenure per value segment;
    /// 5. **satisfaction** (survey given): driver regression, LMG ranking, IPA;
    /// 6. **retention** (costs known): cost matching against ARPU, then offers to active
    ///    customers with `V = horizon · ARPU`, cost = the customer's retention cost and
    ///    churn probability from the external score or, failing that, the conditional
    ///    Kaplan-Meier churn of the customer's segment `1 - S(t + horizon) / S(t)`,
    ///    allocated under the budget.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pipeline::{Pipeline, SyntheticBase};
    /// use crm_analytics::value::Split;
    ///
    /// let base = SyntheticBase::new(3_000).seed(5).generate()?;
    /// let report = Pipeline::new().split(Split::Median).threads(1).run(&base, None)?;
    /// // A median split puts half the base above the threshold on each axis.
    /// let high: f64 = report.summary.segment_shares[0] + report.summary.segment_shares[1];
    /// assert!((high - 0.5).abs() < 0.01);
    /// assert_eq!(report.customers.segments.len(), 3_000);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidOption`](crate::Error::InvalidOption) for options out of range;
    /// errors of the steps (e.g. [`Error::InvalidInput`](crate::Error::InvalidInput)
    /// when the base has no revenue at all, unknown survey items).
    pub fn run(&self, base: &CustomerBase, survey: Option<&SurveyData>) -> Result<CrmReport> {
        self.validate()?;
        let n = base.len();
        let mut notes = Vec::new();
        let arpu = base.arpu();
        let tenure = base.tenure();

        // ---- base
        self.step("base");
        let monthly_revenue: f64 = arpu.iter().sum();
        let base_section = BaseSection {
            customers: n,
            months: match base.spend() {
                Spend::Monthly { months, .. } => Some(*months),
                Spend::Summary { .. } => None,
            },
            monthly_revenue,
            mean_arpu: monthly_revenue / n as f64,
            median_arpu: median(&arpu),
            mean_tenure: tenure.iter().map(|&t| f64::from(t)).sum::<f64>() / n as f64,
            vip: base.vip().map(|v| v.iter().filter(|&&x| x).count()),
            group_members: base
                .groups()
                .map(|g| g.iter().filter(|x| x.is_some()).count()),
            contracts: base.contracts().map(|cs| {
                Contract::ALL
                    .iter()
                    .map(|&c| ContractCount {
                        contract: c,
                        customers: cs.iter().filter(|&&x| x == c).count(),
                    })
                    .collect()
            }),
            churned: base.churned().map(|c| c.iter().filter(|&&x| x).count()),
        };

        // ---- lifecycle first (the strategy cells need the stages)
        self.step("lifecycle");
        let st = self.stages(base)?;
        let mut stage_counts = [0usize; 4];
        let mut unclassified = 0;
        for s in &st.stages {
            match s {
                Some(s) => stage_counts[stage_index(*s)] += 1,
                None => unclassified += 1,
            }
        }

        // ---- value
        self.step("value");
        let (system, x, derived) = match base.indicators() {
            Some((s, m)) => (s.clone(), m.clone(), false),
            None => {
                let (s, m) = derive_indicators(base, &arpu)?;
                (s, m, true)
            }
        };
        let idx = ValueIndex::new(system.clone())
            .current(self.current_weights.clone())
            .potential(self.potential_weights.clone())
            .normalize(Normalize::new().constant(ConstantColumn::Zeros))
            .fit(&x)?;
        let vm = ValueMatrix::new()
            .split(self.split)
            .book(self.book.clone())
            .classify_indices(&idx, Some(&arpu), Some(&arpu))?;
        let segments = vm.segments().to_vec();
        let mut indicators = Vec::new();
        for dw in [idx.current_weights(), idx.potential_weights()] {
            for (name, w) in dw.indicators.iter().zip(dw.weights.as_slice()) {
                indicators.push(IndicatorRow {
                    name: name.clone(),
                    dimension: dw.dimension,
                    weight: *w,
                });
            }
        }
        let mut cell_n = [[0usize; 5]; 4];
        let mut cell_rev = [[0.0f64; 5]; 4];
        let mut by_segment = [[0usize; 4]; 4];
        for i in 0..n {
            let si = seg_index(segments[i]);
            let k = st.stages[i].map_or(4, stage_index);
            cell_n[si][k] += 1;
            cell_rev[si][k] += arpu[i];
            if k < 4 {
                by_segment[si][k] += 1;
            }
        }
        let mut cells = Vec::new();
        for (si, seg) in ValueSegment::ALL.iter().enumerate() {
            for k in 0..5 {
                if cell_n[si][k] == 0 {
                    continue;
                }
                let stage = LifecycleStage::ALL.get(k).copied();
                let r = self.book.recommend(*seg, stage, false);
                cells.push(StrategyCell {
                    segment: *seg,
                    stage,
                    customers: cell_n[si][k],
                    revenue_share: if monthly_revenue > 0.0 {
                        cell_rev[si][k] / monthly_revenue
                    } else {
                        0.0
                    },
                    actions: r.actions,
                    bond: r.bond,
                    priority: r.priority,
                });
            }
        }
        let value = ValueSection {
            indicators,
            derived,
            current_threshold: vm.current_threshold(),
            potential_threshold: vm.potential_threshold(),
            segments: vm.summary().to_vec(),
            cells,
        };

        // ---- concentration
        self.step("concentration");
        let conc = Concentration::new(&arpu)?;
        let lorenz = (0..=100)
            .map(|k| {
                let p = f64::from(k) / 100.0;
                conc.lorenz_at(p).map(|l| [p, l])
            })
            .collect::<Result<Vec<_>>>()?;
        let concentration = ConcentrationSection {
            gini: conc.gini(),
            pareto_point: conc.pareto_point(0.8)?,
            top20_share: conc.top_share(0.2)?,
            top1_share: conc.top_share(0.01)?,
            lorenz,
        };

        let lifecycle = LifecycleSection {
            source: st.source,
            stage_counts,
            stage_shares: stage_counts.map(|c| c as f64 / n as f64),
            unclassified,
            rules: st.rules,
            by_segment,
        };

        // ---- survival
        self.step("survival");
        let mut seg_fits: [Option<KaplanMeierFit>; 4] = [None, None, None, None];
        let survival = match base.churned() {
            None => {
                notes.push("no churn flags: survival by segment and the survival-based churn probability are not available".into());
                None
            }
            Some(churned) => {
                let d: Vec<f64> = tenure.iter().map(|&t| f64::from(t)).collect();
                let e: Vec<f64> = churned.iter().map(|&c| f64::from(u8::from(c))).collect();
                let km = KaplanMeier::new();
                let overall = survival_row(None, &km.fit(&d, &e)?, n, &e)?;
                let mut rows = Vec::new();
                for (si, seg) in ValueSegment::ALL.iter().enumerate() {
                    let (ds, es): (Vec<f64>, Vec<f64>) = (0..n)
                        .filter(|&i| segments[i] == *seg)
                        .map(|i| (d[i], e[i]))
                        .unzip();
                    if ds.is_empty() {
                        continue;
                    }
                    let fit = km.fit(&ds, &es)?;
                    rows.push(survival_row(Some(*seg), &fit, ds.len(), &es)?);
                    seg_fits[si] = Some(fit);
                }
                let log_rank = if rows.len() >= 2 {
                    match LogRank::new().test(&d, &e, &segments) {
                        Ok(t) => Some(LogRankSummary {
                            chi_square: t.chi_square(),
                            df: t.df(),
                            p_value: t.p_value(),
                        }),
                        Err(err) => {
                            notes.push(format!(
                                "log-rank test across segments not available: {err}"
                            ));
                            None
                        }
                    }
                } else {
                    None
                };
                Some(SurvivalSection {
                    overall,
                    by_segment: rows,
                    log_rank,
                })
            }
        };

        // ---- satisfaction
        self.step("satisfaction");
        let satisfaction = match survey {
            None => None,
            Some(sv) => Some(self.satisfaction(sv, base)?),
        };

        // ---- retention
        self.step("retention");
        let (retention, churn_probability, targeted) = self.retention(
            base,
            &arpu,
            &segments,
            &seg_fits,
            monthly_revenue,
            &mut notes,
        )?;

        if derived && base.groups().is_none() {
            notes.push(
                "no group ids: group membership is not among the potential-value indicators".into(),
            );
        }
        if let Spend::Summary { .. } = base.spend() {
            notes.push("no monthly series: stages come from tenure and the ratio of current to average monthly charge, ARPU is the current monthly charge and spend growth the same ratio".into());
        }

        let mut segment_shares = [0.0; 4];
        for s in &segments {
            segment_shares[seg_index(*s)] += 1.0 / n as f64;
        }
        let summary = ExecutiveSummary {
            customers: n,
            monthly_revenue,
            gini: concentration.gini,
            pareto_point: concentration.pareto_point,
            top20_share: concentration.top20_share,
            segment_shares,
            stage_shares: lifecycle.stage_shares,
            churn_rate: base_section.churned.map(|c| c as f64 / n as f64),
            retention_12m: survival.as_ref().map(|s| s.overall.s12),
            top_drivers: satisfaction
                .as_ref()
                .map(|s| s.drivers.iter().take(3).map(|d| d.name.clone()).collect())
                .unwrap_or_default(),
            budget: retention.as_ref().map(|r| r.plan.budget),
            spend: retention.as_ref().map(|r| r.plan.spend),
            gain: retention.as_ref().map(|r| r.plan.gain),
            targeted: retention.as_ref().map(|r| r.plan.targeted),
        };
        self.step("done");
        Ok(CrmReport {
            summary,
            base: base_section,
            value,
            concentration,
            lifecycle,
            survival,
            satisfaction,
            retention,
            notes,
            customers: CustomerResults {
                current: idx.current().to_vec(),
                potential: idx.potential().to_vec(),
                arpu,
                segments,
                stages: st.stages,
                churn_probability,
                targeted,
            },
        })
    }

    fn stages(&self, base: &CustomerBase) -> Result<Stages> {
        let tenure = base.tenure();
        match base.spend() {
            Spend::Monthly { months, values } => {
                let threads = if self.threads == 0 {
                    std::thread::available_parallelism().map_or(1, |t| t.get())
                } else {
                    self.threads
                };
                let table = self
                    .lifecycle
                    .classify_base_parallel(values, *months, tenure, threads)?;
                let rc = table.summary().rule_counts;
                Ok(Stages {
                    stages: table.stages(),
                    rules: RULE_NAMES
                        .iter()
                        .zip(rc)
                        .map(|(r, c)| RuleCount {
                            rule: (*r).into(),
                            customers: c,
                        })
                        .collect(),
                    source: StageSource::MonthlyTrend,
                })
            }
            Spend::Summary { monthly, total } => {
                let on = self.lifecycle.get_onboarding_tenure();
                let th = self.ratio_threshold;
                let mut counts = [0usize; 5];
                let stages = (0..base.len())
                    .map(|i| {
                        let (s, r) = if tenure[i] < on {
                            (Some(LifecycleStage::Onboarding), 0)
                        } else {
                            match growth_summary(monthly[i], total[i], tenure[i]) {
                                None => (None, 4),
                                Some(g) if g >= th => (Some(LifecycleStage::Growth), 1),
                                Some(g) if g <= -th => (Some(LifecycleStage::Decline), 3),
                                Some(_) => (Some(LifecycleStage::Maturity), 2),
                            }
                        };
                        counts[r] += 1;
                        s
                    })
                    .collect();
                let names = [
                    "onboarding (tenure)",
                    "growth (charge above average)",
                    "maturity (charge near average)",
                    "decline (charge below average)",
                    "no charges recorded",
                ];
                Ok(Stages {
                    stages,
                    rules: names
                        .iter()
                        .zip(counts)
                        .map(|(r, c)| RuleCount {
                            rule: (*r).into(),
                            customers: c,
                        })
                        .collect(),
                    source: StageSource::ChargesRatio,
                })
            }
        }
    }

    fn satisfaction(&self, sv: &SurveyData, base: &CustomerBase) -> Result<SatisfactionSection> {
        let fit = SatisfactionModel::new()
            .outcome(sv.get_outcome())
            .fit(sv.items(), sv.constructs())?;
        let ipa = self.ipa.drivers(&fit)?;
        let drivers = fit
            .ranked(DriverRanking::RelativeImportance)
            .into_iter()
            .cloned()
            .collect();
        let linked = sv.get_ids().map(|ids| {
            let set: HashSet<&str> = base.ids().iter().map(String::as_str).collect();
            ids.iter().filter(|i| set.contains(i.as_str())).count()
        });
        Ok(SatisfactionSection {
            outcome: fit.outcome().into(),
            respondents: fit.rows_total(),
            rows_used: fit.rows_used(),
            r_squared: fit.ols().r_squared(),
            drivers,
            ipa,
            linked,
        })
    }

    #[allow(clippy::type_complexity)]
    fn retention(
        &self,
        base: &CustomerBase,
        arpu: &[f64],
        segments: &[ValueSegment],
        seg_fits: &[Option<KaplanMeierFit>; 4],
        monthly_revenue: f64,
        notes: &mut Vec<String>,
    ) -> Result<(Option<RetentionSection>, Option<Vec<f64>>, Vec<bool>)> {
        let n = base.len();
        let mut targeted = vec![false; n];
        let Some(cost) = base.retention_cost() else {
            notes.push(
                "no retention costs: cost matching and the budget plan are not available".into(),
            );
            return Ok((None, None, targeted));
        };
        let tiers: Option<Vec<Tier>> = match (base.vip(), base.groups()) {
            (None, None) => None,
            (v, g) => Some(
                (0..n)
                    .map(|i| {
                        if v.is_some_and(|v| v[i]) {
                            Tier::HighEnd
                        } else if g.is_some_and(|g| g[i].is_some()) {
                            Tier::Group
                        } else {
                            Tier::Mass
                        }
                    })
                    .collect(),
            ),
        };
        let matching = if cost.iter().sum::<f64>() > 0.0 {
            let m = self
                .matching
                .fit(arpu, cost, tiers.as_deref(), Some(segments))?;
            Some(MatchingSection {
                total_value: m.total_value(),
                total_cost: m.total_cost(),
                weighted_mean_index: m.weighted_mean_index(),
                concentration_index: m.concentration_index(),
                value_gini: m.value_gini(),
                concentration_gap: m.concentration_gap(),
                tiers: if tiers.is_some() {
                    m.tiers().to_vec()
                } else {
                    Vec::new()
                },
                segments: m.segments().to_vec(),
                curve: m.curve().to_vec(),
            })
        } else {
            notes.push("all retention costs are 0: no cost matching".into());
            None
        };

        // Churn probabilities over the horizon.
        let h = self.horizon;
        let tenure = base.tenure();
        let (p, source): (Vec<f64>, String) = if let Some(s) = base.churn_score() {
            (s.to_vec(), "the external churn score".into())
        } else if base.churned().is_some() {
            let mut p = Vec::with_capacity(n);
            for i in 0..n {
                let fit = seg_fits[seg_index(segments[i])].as_ref();
                let t = f64::from(tenure[i]);
                let q = match fit {
                    Some(f) => {
                        let s0 = f.survival_at(t)?;
                        if s0 > 0.0 {
                            (1.0 - f.survival_at(t + h)? / s0).clamp(0.0, 1.0)
                        } else {
                            1.0
                        }
                    }
                    None => 0.0,
                };
                p.push(q);
            }
            (
                p,
                format!("Kaplan-Meier of the value segment, 1 - S(t + {h}) / S(t)"),
            )
        } else {
            notes.push("no churn flags or churn score: no budget plan".into());
            return Ok((
                matching.map(|m| RetentionSection {
                    matching: Some(m),
                    plan: BudgetPlan {
                        budget: 0.0,
                        churn_source: "none".into(),
                        candidates: 0,
                        targeted: 0,
                        spend: 0.0,
                        gain: 0.0,
                        roi: None,
                        by_segment: Vec::new(),
                    },
                }),
                None,
                targeted,
            ));
        };
        let budget = match self.budget {
            Budget::Fixed(b) => b,
            Budget::ShareOfMonthlyRevenue(s) => s * monthly_revenue,
        };
        let uplift = Probability::new(self.uplift)?;
        let active: Vec<usize> = match base.churned() {
            Some(c) => (0..n).filter(|&i| !c[i]).collect(),
            None => (0..n).collect(),
        };
        let offers = active
            .iter()
            .map(|&i| {
                RetentionOffer::from_economics(
                    i,
                    Probability::new(p[i])?,
                    uplift,
                    h * arpu[i],
                    cost[i],
                )
            })
            .collect::<Result<Vec<_>>>()?;
        let mut by = [(0usize, 0.0f64, 0.0f64); 4];
        let (spend, gain, chosen) = if offers.is_empty() {
            notes.push("no active customers: nothing to allocate".into());
            (0.0, 0.0, 0)
        } else {
            let a = self.allocator.allocate(&offers, budget)?;
            for c in a.chosen() {
                targeted[c.customer] = true;
                let b = &mut by[seg_index(segments[c.customer])];
                b.0 += 1;
                b.1 += c.cost;
                b.2 += c.gain;
            }
            (a.spend(), a.gain(), a.chosen().len())
        };
        let plan = BudgetPlan {
            budget,
            churn_source: source,
            candidates: offers.len(),
            targeted: chosen,
            spend,
            gain,
            roi: (spend > 0.0).then(|| gain / spend),
            by_segment: ValueSegment::ALL
                .iter()
                .zip(by)
                .map(|(s, (k, c, g))| PlanSegment {
                    segment: *s,
                    targeted: k,
                    spend: c,
                    gain: g,
                })
                .collect(),
        };
        Ok((Some(RetentionSection { matching, plan }), Some(p), targeted))
    }
}

fn survival_row(
    segment: Option<ValueSegment>,
    fit: &KaplanMeierFit,
    customers: usize,
    events: &[f64],
) -> Result<SurvivalRow> {
    Ok(SurvivalRow {
        segment,
        customers,
        churned: events.iter().filter(|&&e| e > 0.0).count(),
        s12: fit.survival_at(12.0)?,
        s24: fit.survival_at(24.0)?,
        median: fit.median().time,
        curve: fit
            .times()
            .iter()
            .zip(fit.survival())
            .map(|(&t, &s)| [t, s])
            .collect(),
    })
}

/// The derived indicator system and matrix (see [`Pipeline::run`]).
fn derive_indicators(base: &CustomerBase, arpu: &[f64]) -> Result<(IndicatorSystem, DMatrix<f64>)> {
    use Dimension::{Current as C, Potential as P};
    let n = base.len();
    let tenure = base.tenure();
    let mut cols: Vec<(Indicator, Vec<f64>)> = Vec::new();
    let b = Direction::Benefit;
    cols.push((
        Indicator::new("arpu", C, b, "mean monthly spend on the network"),
        arpu.to_vec(),
    ));
    let growth: Vec<f64> = match base.spend() {
        Spend::Monthly { months, values } => values
            .chunks_exact(*months)
            .zip(tenure)
            .map(|(row, &t)| growth_monthly(row, t))
            .collect(),
        Spend::Summary { monthly, total } => (0..n)
            .map(|i| {
                growth_summary(monthly[i], total[i], tenure[i]).map_or(0.0, |g| g.clamp(-1.0, 1.0))
            })
            .collect(),
    };
    cols.push((
        Indicator::new(
            "spending_growth",
            P,
            b,
            "recent vs earlier spend, clamped to [-1, 1]",
        ),
        growth,
    ));
    if let Some(g) = base.groups() {
        cols.push((
            Indicator::new("group_membership", P, b, "1 if in a group account"),
            g.iter().map(|x| f64::from(u8::from(x.is_some()))).collect(),
        ));
    }
    if let Some(c) = base.contracts() {
        cols.push((
            Indicator::new("contract_commitment", P, b, "months of contract commitment"),
            c.iter().map(|x| x.months()).collect(),
        ));
    }
    let k = cols.len();
    let m = DMatrix::from_fn(n, k, |i, j| cols[j].1[i]);
    Ok((
        IndicatorSystem::new(cols.into_iter().map(|(ind, _)| ind).collect())?,
        m,
    ))
}

#[cfg(test)]
#[allow(clippy::float_cmp, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn growth_of_a_monthly_row() {
        // 12 months, tenure 12: h = 3; last (12+12+12) / prev (10+10+10) - 1 = 0.2.
        let row = [
            5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 10.0, 10.0, 10.0, 12.0, 12.0, 12.0,
        ];
        assert!((growth_monthly(&row, 12) - 0.2).abs() < 1e-15);
        // tenure 4: k = 4, h = 2; last (12+12) / prev (10+12) - 1 = 24/22 - 1.
        assert!((growth_monthly(&row, 4) - (24.0 / 22.0 - 1.0)).abs() < 1e-15);
        // tenure 1: h = 0, undefined, 0.
        assert_eq!(growth_monthly(&row, 1), 0.0);
        // Clamped: from 1 to 10 is +900%, reported as +100%.
        let jump = [1.0, 1.0, 1.0, 10.0, 10.0, 10.0];
        assert_eq!(growth_monthly(&jump, 6), 1.0);
    }

    #[test]
    fn growth_against_the_average_charge() {
        // 80 a month now, 2400 over 40 months = 60 on average: 80·40/2400 - 1 = 1/3.
        assert!((growth_summary(80.0, 2400.0, 40).unwrap() - 1.0 / 3.0).abs() < 1e-15);
        assert_eq!(growth_summary(80.0, 0.0, 40), None);
        assert_eq!(growth_summary(80.0, 100.0, 0), None);
    }

    #[test]
    fn median_odd_and_even() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
    }

    #[test]
    fn segment_and_stage_indices_follow_all() {
        for (k, s) in ValueSegment::ALL.iter().enumerate() {
            assert_eq!(seg_index(*s), k);
        }
        for (k, s) in LifecycleStage::ALL.iter().enumerate() {
            assert_eq!(stage_index(*s), k);
        }
    }

    #[test]
    fn conditional_churn_uses_the_segment_curve() {
        // Four customers all in one segment: tenures 6 (churned), 12, 18 (churned), 30.
        // KM: S(6) = 3/4, S(18) = 3/4 · 1/2 = 3/8. A customer at t = 12 over 12 months:
        // 1 - S(24)/S(12) = 1 - (3/8)/(3/4) = 1/2.
        let ids: Vec<String> = (0..4).map(|i| format!("c{i}")).collect();
        let base = CustomerBase::summary(
            ids,
            vec![6, 12, 18, 30],
            vec![10.0; 4],
            vec![60.0, 120.0, 180.0, 300.0],
        )
        .unwrap()
        .with_churn(vec![true, false, true, false])
        .unwrap()
        .with_retention_cost(vec![1.0; 4])
        .unwrap();
        let r = Pipeline::new()
            .split(crate::value::Split::Fixed(-1.0))
            .run(&base, None)
            .unwrap();
        let p = r.customers.churn_probability.unwrap();
        assert!((p[1] - 0.5).abs() < 1e-12, "{p:?}");
        // t = 30, beyond the last event: S(42)/S(30) = 1, no churn expected.
        assert_eq!(p[3], 0.0);
    }
}
