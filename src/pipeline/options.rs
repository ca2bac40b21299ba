//! The pipeline's options.

use crate::lifecycle::LifecycleRules;
use crate::retention::{BudgetAllocator, CostMatching};
use crate::satisfaction::{ImportanceSource, Ipa};
use crate::strategy::StrategyBook;
use crate::value::{Split, WeightSource};
use crate::{Error, Result};

/// How the retention budget is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Budget {
    /// A fixed amount (currency).
    Fixed(f64),
    /// A share of one month's total revenue of the base.
    ShareOfMonthlyRevenue(f64),
}

/// A progress observer: called with the name of each step as it starts. The library
/// prints nothing itself.
pub type OnStep = fn(&str);

/// The end-to-end analysis: options of every step, then [`Pipeline::run`].
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `current_weights` | [`WeightSource::Equal`] | weights of current-value indicators | as [`ValueIndex`](crate::value::ValueIndex) |
/// | `potential_weights` | [`WeightSource::Equal`] | weights of potential-value indicators | as above |
/// | `split` | [`Split::Mean`] | value-matrix threshold on both axes | as [`ValueMatrix`](crate::value::ValueMatrix) |
/// | `book` | [`StrategyBook::default()`] | strategies per segment and stage | any |
/// | `lifecycle` | [`LifecycleRules::new()`] | stage rules on a monthly series | as [`LifecycleRules`] |
/// | `ratio_threshold` | 0.05 | charges-ratio band for stages without a series | in (0, 1) |
/// | `ipa` | [`Ipa::new()`] with relative importance | importance-performance analysis | any |
/// | `matching` | [`CostMatching::new()`] | contribution-cost matching | as [`CostMatching`] |
/// | `budget` | [`Budget::ShareOfMonthlyRevenue`]`(0.05)` | retention budget | amount or share finite, `> 0` |
/// | `uplift` | 0.3 | share of would-be churners an offer keeps (γ) | [0, 1] |
/// | `horizon` | 12 | months of revenue at stake (`V = horizon · ARPU`) and of the churn probability | finite, `> 0` |
/// | `allocator` | [`BudgetAllocator::new()`] (greedy) | budget allocation | as [`BudgetAllocator`] |
/// | `threads` | 0 (all cores) | threads of the stage classification | any (0 = available parallelism) |
/// | `on_step` | `None` | progress observer | any `fn(&str)` |
///
/// # Example
///
/// ```
/// use crm_analytics::pipeline::{Budget, Pipeline, SyntheticBase};
///
/// let base = SyntheticBase::new(2000).seed(1).generate()?;
/// let report = Pipeline::new().budget(Budget::Fixed(500.0)).run(&base, None)?;
/// assert_eq!(report.base.customers, 2000);
/// assert!(report.retention.as_ref().is_some_and(|r| r.plan.spend <= 500.0));
/// let text = report.to_string(); // ready to print
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Pipeline {
    pub(crate) current_weights: WeightSource,
    pub(crate) potential_weights: WeightSource,
    pub(crate) split: Split,
    pub(crate) book: StrategyBook,
    pub(crate) lifecycle: LifecycleRules,
    pub(crate) ratio_threshold: f64,
    pub(crate) ipa: Ipa,
    pub(crate) matching: CostMatching,
    pub(crate) budget: Budget,
    pub(crate) uplift: f64,
    pub(crate) horizon: f64,
    pub(crate) allocator: BudgetAllocator,
    pub(crate) threads: usize,
    pub(crate) on_step: Option<OnStep>,
}

impl Default for Pipeline {
    fn default() -> Self {
        Pipeline {
            current_weights: WeightSource::Equal,
            potential_weights: WeightSource::Equal,
            split: Split::Mean,
            book: StrategyBook::default(),
            lifecycle: LifecycleRules::new(),
            ratio_threshold: 0.05,
            ipa: Ipa::new().importance(ImportanceSource::RelativeImportance),
            matching: CostMatching::new(),
            budget: Budget::ShareOfMonthlyRevenue(0.05),
            uplift: 0.3,
            horizon: 12.0,
            allocator: BudgetAllocator::new(),
            threads: 0,
            on_step: None,
        }
    }
}

impl Pipeline {
    /// The defaults of the table.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Weights of the current-value indicators.
    #[must_use]
    pub fn current_weights(mut self, w: WeightSource) -> Self {
        self.current_weights = w;
        self
    }

    /// Weights of the potential-value indicators.
    #[must_use]
    pub fn potential_weights(mut self, w: WeightSource) -> Self {
        self.potential_weights = w;
        self
    }

    /// Value-matrix split rule (both axes).
    #[must_use]
    pub fn split(mut self, s: Split) -> Self {
        self.split = s;
        self
    }

    /// Strategy book.
    #[must_use]
    pub fn book(mut self, b: StrategyBook) -> Self {
        self.book = b;
        self
    }

    /// Life-cycle rules.
    #[must_use]
    pub fn lifecycle(mut self, r: LifecycleRules) -> Self {
        self.lifecycle = r;
        self
    }

    /// Charges-ratio band (stages without a monthly series).
    #[must_use]
    pub fn ratio_threshold(mut self, t: f64) -> Self {
        self.ratio_threshold = t;
        self
    }

    /// Importance-performance options.
    #[must_use]
    pub fn ipa(mut self, ipa: Ipa) -> Self {
        self.ipa = ipa;
        self
    }

    /// Contribution-cost matching options.
    #[must_use]
    pub fn matching(mut self, m: CostMatching) -> Self {
        self.matching = m;
        self
    }

    /// Retention budget.
    #[must_use]
    pub fn budget(mut self, b: Budget) -> Self {
        self.budget = b;
        self
    }

    /// Retention uplift γ.
    #[must_use]
    pub fn uplift(mut self, g: f64) -> Self {
        self.uplift = g;
        self
    }

    /// Value and churn horizon in months.
    #[must_use]
    pub fn horizon(mut self, months: f64) -> Self {
        self.horizon = months;
        self
    }

    /// Budget allocator.
    #[must_use]
    pub fn allocator(mut self, a: BudgetAllocator) -> Self {
        self.allocator = a;
        self
    }

    /// Threads (0 = available parallelism).
    #[must_use]
    pub fn threads(mut self, t: usize) -> Self {
        self.threads = t;
        self
    }

    /// Progress observer.
    #[must_use]
    pub fn on_step(mut self, f: OnStep) -> Self {
        self.on_step = Some(f);
        self
    }

    /// Current-value weights.
    #[must_use]
    pub fn get_current_weights(&self) -> &WeightSource {
        &self.current_weights
    }

    /// Potential-value weights.
    #[must_use]
    pub fn get_potential_weights(&self) -> &WeightSource {
        &self.potential_weights
    }

    /// Split rule.
    #[must_use]
    pub fn get_split(&self) -> Split {
        self.split
    }

    /// Strategy book.
    #[must_use]
    pub fn get_book(&self) -> &StrategyBook {
        &self.book
    }

    /// Life-cycle rules.
    #[must_use]
    pub fn get_lifecycle(&self) -> LifecycleRules {
        self.lifecycle
    }

    /// Charges-ratio band.
    #[must_use]
    pub fn get_ratio_threshold(&self) -> f64 {
        self.ratio_threshold
    }

    /// IPA options.
    #[must_use]
    pub fn get_ipa(&self) -> Ipa {
        self.ipa
    }

    /// Matching options.
    #[must_use]
    pub fn get_matching(&self) -> CostMatching {
        self.matching
    }

    /// Budget rule.
    #[must_use]
    pub fn get_budget(&self) -> Budget {
        self.budget
    }

    /// Uplift γ.
    #[must_use]
    pub fn get_uplift(&self) -> f64 {
        self.uplift
    }

    /// Horizon in months.
    #[must_use]
    pub fn get_horizon(&self) -> f64 {
        self.horizon
    }

    /// Allocator.
    #[must_use]
    pub fn get_allocator(&self) -> BudgetAllocator {
        self.allocator
    }

    /// Threads.
    #[must_use]
    pub fn get_threads(&self) -> usize {
        self.threads
    }

    /// Progress observer.
    #[must_use]
    pub fn get_on_step(&self) -> Option<OnStep> {
        self.on_step
    }

    pub(crate) fn validate(&self) -> Result<()> {
        self.lifecycle.validate()?;
        if !(self.ratio_threshold > 0.0 && self.ratio_threshold < 1.0) {
            return Err(Error::option(
                "ratio_threshold",
                self.ratio_threshold,
                "in (0, 1)",
            ));
        }
        if !(0.0..=1.0).contains(&self.uplift) {
            return Err(Error::option("uplift", self.uplift, "in [0, 1]"));
        }
        if !(self.horizon.is_finite() && self.horizon > 0.0) {
            return Err(Error::option("horizon", self.horizon, "finite and > 0"));
        }
        match self.budget {
            Budget::Fixed(b) if !(b.is_finite() && b > 0.0) => {
                Err(Error::option("budget", b, "a finite amount > 0"))
            }
            Budget::ShareOfMonthlyRevenue(s) if !(s.is_finite() && s > 0.0) => {
                Err(Error::option("budget share", s, "finite and > 0"))
            }
            _ => Ok(()),
        }
    }

    pub(crate) fn step(&self, name: &str) {
        if let Some(f) = self.on_step {
            f(name);
        }
    }
}
