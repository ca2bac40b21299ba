//! Retention: churn and retention rates, contribution-cost matching, retention
//! economics and budget allocation.
