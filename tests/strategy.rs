//! The strategy vocabulary against MODELS.md §3.2 and §5.4.

use crm_analytics::strategy::{Action, BondLevel, LifecycleStage, StrategyBook, ValueSegment};

#[test]
fn segment_strategies_are_the_seeds() {
    // MODELS.md §3.2: valuable -> one-to-one marketing; sub-valuable -> service and quality;
    // potential -> experiential marketing, up-sell, cross-sell; low value -> minimal resources.
    let book = StrategyBook::default();
    assert!(
        book.segment(ValueSegment::Valuable)
            .actions
            .contains(&Action::OneToOneMarketing)
    );
    assert!(
        book.segment(ValueSegment::SubValuable)
            .actions
            .contains(&Action::ServiceQuality)
    );
    let p = &book.segment(ValueSegment::Potential).actions;
    assert!(
        p.contains(&Action::ExperientialMarketing)
            && p.contains(&Action::UpSell)
            && p.contains(&Action::CrossSell)
    );
    assert!(
        book.segment(ValueSegment::LowValue)
            .actions
            .contains(&Action::MinimalResources)
    );
    assert_eq!(book.stage(LifecycleStage::Maturity).bond, BondLevel::Social);
}
