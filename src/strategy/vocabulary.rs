use std::fmt;

use serde::{Deserialize, Serialize};

/// The four cells of the customer value matrix (current value × potential value).
///
/// A closed vocabulary: code may match it exhaustively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ValueSegment {
    /// High current and high potential value (最有价值客户).
    Valuable,
    /// High current, low potential value (次有价值客户).
    SubValuable,
    /// Low current, high potential value (潜在价值客户).
    Potential,
    /// Low current and low potential value (低价值客户).
    LowValue,
}

impl ValueSegment {
    /// All four segments in the matrix's reading order.
    pub const ALL: [ValueSegment; 4] = [
        ValueSegment::Valuable,
        ValueSegment::SubValuable,
        ValueSegment::Potential,
        ValueSegment::LowValue,
    ];

    /// The segment of a customer whose current and potential values are high or low.
    #[must_use]
    pub fn from_levels(current_high: bool, potential_high: bool) -> ValueSegment {
        match (current_high, potential_high) {
            (true, true) => ValueSegment::Valuable,
            (true, false) => ValueSegment::SubValuable,
            (false, true) => ValueSegment::Potential,
            (false, false) => ValueSegment::LowValue,
        }
    }
}

impl fmt::Display for ValueSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            ValueSegment::Valuable => "valuable",
            ValueSegment::SubValuable => "sub-valuable",
            ValueSegment::Potential => "potential",
            ValueSegment::LowValue => "low value",
        })
    }
}

/// The four stages of a telecom customer's life cycle (入网期, 成长期, 成熟期, 衰退期).
///
/// A closed vocabulary: code may match it exhaustively. Churn (离网) is not a stage of
/// the living customer; Markov models add it as an absorbing state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LifecycleStage {
    /// Net entry: the first months after joining.
    Onboarding,
    /// Spending rising.
    Growth,
    /// Spending stable at its plateau.
    Maturity,
    /// Spending falling.
    Decline,
}

impl LifecycleStage {
    /// All four stages in life-cycle order.
    pub const ALL: [LifecycleStage; 4] = [
        LifecycleStage::Onboarding,
        LifecycleStage::Growth,
        LifecycleStage::Maturity,
        LifecycleStage::Decline,
    ];
}

impl fmt::Display for LifecycleStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            LifecycleStage::Onboarding => "onboarding",
            LifecycleStage::Growth => "growth",
            LifecycleStage::Maturity => "maturity",
            LifecycleStage::Decline => "decline",
        })
    }
}

/// Relationship-bond level (Berry & Parasuraman 1991). Each level includes those below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum BondLevel {
    /// Level 1: price incentives, points, discounts (easiest for rivals to copy).
    Financial,
    /// Level 2: personal contact, account managers, customer clubs, plus financial bonds.
    Social,
    /// Level 3: solutions embedded in the customer's operations (group VPN, bundled ICT,
    /// contracts, integrated billing), plus social and financial bonds.
    Structural,
}

impl BondLevel {
    /// The level number, 1 to 3.
    #[must_use]
    pub fn level(self) -> u8 {
        match self {
            BondLevel::Financial => 1,
            BondLevel::Social => 2,
            BondLevel::Structural => 3,
        }
    }
}

impl fmt::Display for BondLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            BondLevel::Financial => "financial (level 1)",
            BondLevel::Social => "social (level 2)",
            BondLevel::Structural => "structural (level 3)",
        })
    }
}

/// How much of the marketing and service budget a group of customers should get.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ResourcePriority {
    /// Least resources: standard and self service.
    Low,
    /// Standard resources.
    Medium,
    /// More than average.
    High,
    /// The most resources: dedicated people.
    Highest,
}

impl fmt::Display for ResourcePriority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            ResourcePriority::Low => "low",
            ResourcePriority::Medium => "medium",
            ResourcePriority::High => "high",
            ResourcePriority::Highest => "highest",
        })
    }
}

/// One recommended marketing or service action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Action {
    /// Individual offers and communication (one-to-one marketing).
    OneToOneMarketing,
    /// A named key-account manager.
    KeyAccountManager,
    /// Priority service channels (VIP hotline, fast lanes in halls).
    PriorityService,
    /// Improve service and network quality where this group is served.
    ServiceQuality,
    /// Loyalty rewards: points, tenure benefits.
    LoyaltyRewards,
    /// Renewal of contracts before they end.
    ContractRenewal,
    /// Social bonds: clubs, events, personal contact.
    SocialBonds,
    /// Structural bonds: group VPN, bundled ICT, integrated billing.
    StructuralBonds,
    /// Experiential marketing: trials and demonstrations.
    ExperientialMarketing,
    /// Up-sell: a larger plan of the same product.
    UpSell,
    /// Cross-sell: other products and value-added services.
    CrossSell,
    /// Value-added-service trials.
    VasTrial,
    /// Bundles of services.
    Bundles,
    /// Welcome care in the first weeks.
    WelcomeCare,
    /// Activation and usage guidance.
    UsageGuidance,
    /// Watch for early churn signals.
    EarlyChurnWatch,
    /// Diagnose why spending falls (complaints, competitor offers, needs).
    DiagnoseCause,
    /// A win-back offer sized by the customer's value.
    WinBack,
    /// Minimal resources: standard offers only.
    MinimalResources,
    /// Self-service channels.
    SelfService,
    /// Let the customer go: no retention spending.
    LetGo,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Action::OneToOneMarketing => "one-to-one marketing",
            Action::KeyAccountManager => "key-account manager",
            Action::PriorityService => "priority service",
            Action::ServiceQuality => "service and quality improvement",
            Action::LoyaltyRewards => "loyalty rewards",
            Action::ContractRenewal => "contract renewal",
            Action::SocialBonds => "social bonds",
            Action::StructuralBonds => "structural bonds",
            Action::ExperientialMarketing => "experiential marketing",
            Action::UpSell => "up-sell",
            Action::CrossSell => "cross-sell",
            Action::VasTrial => "value-added-service trial",
            Action::Bundles => "bundles",
            Action::WelcomeCare => "welcome care",
            Action::UsageGuidance => "usage guidance",
            Action::EarlyChurnWatch => "early churn watch",
            Action::DiagnoseCause => "diagnose the cause",
            Action::WinBack => "win-back offer",
            Action::MinimalResources => "minimal resources",
            Action::SelfService => "self service",
            Action::LetGo => "let go",
        })
    }
}

/// A strategy: actions, the relationship-bond level and the resource priority, with a
/// one-line rationale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Strategy {
    /// Recommended actions, most important first.
    pub actions: Vec<Action>,
    /// Relationship-bond level to build.
    pub bond: BondLevel,
    /// Share of resources.
    pub priority: ResourcePriority,
    /// Why, in one line.
    pub rationale: String,
}

impl Strategy {
    /// A strategy from its parts.
    #[must_use]
    pub fn new(
        actions: Vec<Action>,
        bond: BondLevel,
        priority: ResourcePriority,
        rationale: impl Into<String>,
    ) -> Strategy {
        Strategy {
            actions,
            bond,
            priority,
            rationale: rationale.into(),
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let actions: Vec<String> = self.actions.iter().map(ToString::to_string).collect();
        write!(
            f,
            "{}; bond: {}; resources: {} ({})",
            actions.join(", "),
            self.bond,
            self.priority,
            self.rationale
        )
    }
}

/// The recommendation for one customer, combining segment, stage and group membership.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Recommendation {
    /// The customer's value segment.
    pub segment: ValueSegment,
    /// The customer's life-cycle stage, when known.
    pub stage: Option<LifecycleStage>,
    /// Whether the customer belongs to a group (corporate) account.
    pub group_member: bool,
    /// Actions: the segment's first, then the stage's, without repeats.
    pub actions: Vec<Action>,
    /// The highest bond level among segment, stage and group rules.
    pub bond: BondLevel,
    /// The segment's resource priority (a declining low-value customer gets `Low`).
    pub priority: ResourcePriority,
}

impl fmt::Display for Recommendation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let actions: Vec<String> = self.actions.iter().map(ToString::to_string).collect();
        write!(f, "{}", self.segment)?;
        if let Some(stage) = self.stage {
            write!(f, " / {stage}")?;
        }
        if self.group_member {
            write!(f, " / group")?;
        }
        write!(
            f,
            ": {}; bond: {}; resources: {}",
            actions.join(", "),
            self.bond,
            self.priority
        )
    }
}

/// The map from segments and stages to strategies. `default()` holds the seeds'
/// recommendations (see the [module docs](crate::strategy)); every entry can be replaced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StrategyBook {
    segments: [Strategy; 4],
    stages: [Strategy; 4],
    group_bond: BondLevel,
}

fn segment_index(s: ValueSegment) -> usize {
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

impl Default for StrategyBook {
    fn default() -> Self {
        use Action::*;
        StrategyBook {
            segments: [
                Strategy::new(
                    vec![OneToOneMarketing, KeyAccountManager, PriorityService],
                    BondLevel::Structural,
                    ResourcePriority::Highest,
                    "high current and potential value: invest most, personally",
                ),
                Strategy::new(
                    vec![ServiceQuality, LoyaltyRewards, SocialBonds],
                    BondLevel::Social,
                    ResourcePriority::High,
                    "high value today, little growth left: hold loyalty through service and quality",
                ),
                Strategy::new(
                    vec![ExperientialMarketing, UpSell, CrossSell],
                    BondLevel::Financial,
                    ResourcePriority::Medium,
                    "low value today, room to grow: develop spending",
                ),
                Strategy::new(
                    vec![MinimalResources, SelfService],
                    BondLevel::Financial,
                    ResourcePriority::Low,
                    "low current and potential value: serve at minimal cost",
                ),
            ],
            stages: [
                Strategy::new(
                    vec![WelcomeCare, UsageGuidance, EarlyChurnWatch],
                    BondLevel::Financial,
                    ResourcePriority::Medium,
                    "new on the network: activate and watch early churn",
                ),
                Strategy::new(
                    vec![UpSell, CrossSell, VasTrial, Bundles],
                    BondLevel::Financial,
                    ResourcePriority::Medium,
                    "spending rising: grow the relationship",
                ),
                Strategy::new(
                    vec![
                        LoyaltyRewards,
                        ContractRenewal,
                        SocialBonds,
                        StructuralBonds,
                    ],
                    BondLevel::Social,
                    ResourcePriority::High,
                    "spending at its plateau: lock in loyalty",
                ),
                Strategy::new(
                    vec![DiagnoseCause, WinBack],
                    BondLevel::Financial,
                    ResourcePriority::Medium,
                    "spending falling: find the cause, win back if the value justifies it",
                ),
            ],
            group_bond: BondLevel::Structural,
        }
    }
}

impl StrategyBook {
    /// The default book (same as `default()`).
    #[must_use]
    pub fn new() -> StrategyBook {
        StrategyBook::default()
    }

    /// Replace the strategy of one value segment.
    #[must_use]
    pub fn with_segment(mut self, segment: ValueSegment, strategy: Strategy) -> StrategyBook {
        self.segments[segment_index(segment)] = strategy;
        self
    }

    /// Replace the strategy of one life-cycle stage.
    #[must_use]
    pub fn with_stage(mut self, stage: LifecycleStage, strategy: Strategy) -> StrategyBook {
        self.stages[stage_index(stage)] = strategy;
        self
    }

    /// The minimum bond level for group (corporate) customers (default structural).
    #[must_use]
    pub fn with_group_bond(mut self, bond: BondLevel) -> StrategyBook {
        self.group_bond = bond;
        self
    }

    /// The strategy of a value segment.
    #[must_use]
    pub fn segment(&self, segment: ValueSegment) -> &Strategy {
        &self.segments[segment_index(segment)]
    }

    /// The strategy of a life-cycle stage.
    #[must_use]
    pub fn stage(&self, stage: LifecycleStage) -> &Strategy {
        &self.stages[stage_index(stage)]
    }

    /// The minimum bond level for group customers.
    #[must_use]
    pub fn group_bond(&self) -> BondLevel {
        self.group_bond
    }

    /// The recommendation for one customer.
    ///
    /// Actions are the segment's, then the stage's, without repeats. The bond level is the
    /// highest of the segment's, the stage's and (for group members) the group bond. A
    /// declining customer of low current value (`LowValue` or `Potential`) is let go:
    /// the win-back offer is replaced by [`Action::LetGo`], since win-back is sized by
    /// value (MODELS.md §4.1); a declining customer of high current value keeps it.
    #[must_use]
    pub fn recommend(
        &self,
        segment: ValueSegment,
        stage: Option<LifecycleStage>,
        group_member: bool,
    ) -> Recommendation {
        let seg = self.segment(segment);
        let mut actions = seg.actions.clone();
        let mut bond = seg.bond;
        let mut priority = seg.priority;
        if let Some(st) = stage {
            let s = self.stage(st);
            let low_current = matches!(segment, ValueSegment::LowValue | ValueSegment::Potential);
            for &a in &s.actions {
                let a = if st == LifecycleStage::Decline && a == Action::WinBack && low_current {
                    Action::LetGo
                } else {
                    a
                };
                if !actions.contains(&a) {
                    actions.push(a);
                }
            }
            bond = bond.max(s.bond);
            if st == LifecycleStage::Decline && segment == ValueSegment::LowValue {
                priority = ResourcePriority::Low;
            }
        }
        if group_member {
            bond = bond.max(self.group_bond);
        }
        Recommendation {
            segment,
            stage,
            group_member,
            actions,
            bond,
            priority,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bond_map_follows_models_5_4() {
        // MODELS.md §5.4: low value -> level 1; sub-valuable and mature -> level 2;
        // valuable and group customers -> level 3.
        let book = StrategyBook::default();
        assert_eq!(
            book.recommend(ValueSegment::LowValue, None, false)
                .bond
                .level(),
            1
        );
        assert_eq!(
            book.recommend(ValueSegment::SubValuable, None, false)
                .bond
                .level(),
            2
        );
        assert_eq!(
            book.recommend(
                ValueSegment::Potential,
                Some(LifecycleStage::Maturity),
                false
            )
            .bond
            .level(),
            2
        );
        assert_eq!(
            book.recommend(ValueSegment::Valuable, None, false)
                .bond
                .level(),
            3
        );
        assert_eq!(
            book.recommend(ValueSegment::LowValue, None, true)
                .bond
                .level(),
            3
        );
    }

    #[test]
    fn decline_win_back_is_sized_by_value() {
        let book = StrategyBook::default();
        let high = book.recommend(
            ValueSegment::SubValuable,
            Some(LifecycleStage::Decline),
            false,
        );
        assert!(high.actions.contains(&Action::WinBack));
        let low = book.recommend(ValueSegment::LowValue, Some(LifecycleStage::Decline), false);
        assert!(low.actions.contains(&Action::LetGo));
        assert!(!low.actions.contains(&Action::WinBack));
        assert_eq!(low.priority, ResourcePriority::Low);
    }

    #[test]
    fn overrides_and_serde() {
        let custom = Strategy::new(
            vec![Action::SelfService],
            BondLevel::Financial,
            ResourcePriority::Low,
            "x",
        );
        let book = StrategyBook::default().with_segment(ValueSegment::Valuable, custom.clone());
        assert_eq!(book.segment(ValueSegment::Valuable), &custom);
        let json = serde_json::to_string(&book).unwrap();
        let back: StrategyBook = serde_json::from_str(&json).unwrap();
        assert_eq!(back, book);
        assert_eq!(
            ValueSegment::from_levels(true, false),
            ValueSegment::SubValuable
        );
    }
}
