//! The integration-test binary: one module per capability, sharing `common`.
#![allow(
    missing_docs,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::float_cmp
)]

mod common;

mod pls;
mod regression;
mod strategy;
