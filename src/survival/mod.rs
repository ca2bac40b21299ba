//! Survival on tenure: Kaplan-Meier, Nelson-Aalen, log-rank tests, Cox proportional
//! hazards; churn-probability models and their evaluation.
