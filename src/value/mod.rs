//! Customer value: indicator systems, current and potential value indices, the value
//! matrix, concentration (Lorenz, Gini, Pareto), RFM, VIP tiers, group value, the
//! customer pyramid.
