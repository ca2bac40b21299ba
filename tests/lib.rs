//! The integration-test binary: one module per capability, sharing `common`.
#![allow(
    missing_docs,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::float_cmp,
    clippy::excessive_precision
)]

mod common;

mod clv;
mod lifecycle;
mod pipeline;
mod pls;
mod regression;
mod regression_nist;
mod regression_stream;
mod retention;
mod satisfaction;
mod strategy;
mod survey;
mod survival;
mod value;
mod weights;
