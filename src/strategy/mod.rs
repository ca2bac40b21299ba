//! The typed strategy vocabulary: what to do with a customer, given its value segment,
//! its life-cycle stage and whether it belongs to a group (corporate) account.
//!
//! The seeds' recommendations, written down once so that every module speaks the same
//! words:
//!
//! | segment | current | potential | strategy | bond level |
//! |---|---|---|---|---|
//! | [`ValueSegment::Valuable`] | high | high | one-to-one marketing, key-account manager, most resources | structural |
//! | [`ValueSegment::SubValuable`] | high | low | service and quality to hold loyalty, retention bonds | social |
//! | [`ValueSegment::Potential`] | low | high | experiential marketing, up-sell, cross-sell | financial |
//! | [`ValueSegment::LowValue`] | low | low | minimal resources, standard and self service | financial |
//!
//! | stage | strategy |
//! |---|---|
//! | [`LifecycleStage::Onboarding`] | welcome and activation care, usage guidance, early churn watch |
//! | [`LifecycleStage::Growth`] | up-sell and cross-sell, value-added-service trials, bundles |
//! | [`LifecycleStage::Maturity`] | loyalty rewards, contract renewal, social and structural bonds |
//! | [`LifecycleStage::Decline`] | diagnose the cause; win-back sized by value, or let go if low value |
//!
//! Relationship bonds follow Berry & Parasuraman (1991): level 1 financial (price
//! incentives, points), level 2 social (personal contact, account managers, clubs) on
//! top of financial, level 3 structural (solutions embedded in the customer's operations:
//! group VPN, bundled ICT services, integrated billing) on top of both. The default map
//! (MODELS.md §5.4): low value → level 1; sub-valuable and mature → level 2; valuable and
//! group customers → level 3.
//!
//! [`StrategyBook::default()`] holds these defaults; a caller may override any entry with
//! [`StrategyBook::with_segment`] and [`StrategyBook::with_stage`]. Everything serialises.
//!
//! # Example
//!
//! ```
//! use crm_analytics::strategy::{BondLevel, LifecycleStage, StrategyBook, ValueSegment};
//!
//! let book = StrategyBook::default();
//! let plan = book.recommend(ValueSegment::Valuable, Some(LifecycleStage::Decline), false);
//! assert_eq!(plan.bond, BondLevel::Structural);
//! assert!(plan.actions.iter().any(|a| a.to_string() == "win-back offer"));
//! ```
//!
//! # References
//! - Berry, L. L. & Parasuraman, A. (1991). *Marketing Services: Competing through Quality*.
//! - Zeithaml, V. A., Rust, R. T. & Lemon, K. N. (2001). The customer pyramid. *California
//!   Management Review* 43(4), 118-142.

mod vocabulary;

pub use vocabulary::{
    Action, BondLevel, LifecycleStage, Recommendation, ResourcePriority, Strategy, StrategyBook,
    ValueSegment,
};
