//! The crate's one error type.
//!
//! Every fallible function in `crm_analytics` returns [`Result<T>`], whose error is
//! [`Error`]. Variants carry the context a user needs to fix the input: *what* was
//! wrong, *where* (row, column, field, customer) and *why* (the rule that was broken).
//! Messages are lowercase and have no trailing period, so they compose into larger
//! messages (`format!("loading survey: {e}")`).
//!
//! Statistical warnings (an AHP consistency ratio above 0.1, a large VIF) are **not**
//! errors: they are reported inside the fitted result.
//!
//! # Example
//!
//! ```
//! use crm_analytics::Error;
//!
//! let e = Error::DimensionMismatch { what: "rows of `y`".into(), expected: 10, found: 9 };
//! assert_eq!(e.to_string(), "dimension mismatch in rows of `y`: expected 10, found 9");
//! ```

/// The result type of every fallible function in this crate.
pub type Result<T> = std::result::Result<T, Error>;

/// Everything that can go wrong in `crm_analytics`.
///
/// Variants are struct-like with named context. New variants may be added in minor
/// releases (`#[non_exhaustive]`), so match with a wildcard arm.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A matrix-shaped input holds NaN or an infinity.
    #[error("`{what}` has a non-finite value ({value}) at row {row}, column {col}")]
    NonFinite {
        /// The input, e.g. "x" or "indicator matrix".
        what: String,
        /// Zero-based row.
        row: usize,
        /// Zero-based column.
        col: usize,
        /// The offending value (NaN or an infinity).
        value: f64,
    },
    /// A vector-shaped input or a scalar field holds NaN or an infinity.
    #[error("`{what}` has a non-finite value ({value}) at index {index}")]
    NonFiniteAt {
        /// The input, e.g. "y" or "spend".
        what: String,
        /// Zero-based position.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// Two inputs that must agree in size do not.
    #[error("dimension mismatch in {what}: expected {expected}, found {found}")]
    DimensionMismatch {
        /// What was measured, e.g. "rows of `y`".
        what: String,
        /// The size required.
        expected: usize,
        /// The size found.
        found: usize,
    },
    /// Not enough observations for the statistic asked for.
    #[error("{what} needs at least {needed} observations, got {got}")]
    TooFewObservations {
        /// The computation, e.g. "OLS with 3 parameters".
        what: String,
        /// Minimum number of observations.
        needed: usize,
        /// Number supplied.
        got: usize,
    },
    /// An option was set outside its valid range.
    #[error("option `{option}` must be {expected}, got {value}")]
    InvalidOption {
        /// The option's name as in the setter.
        option: &'static str,
        /// The value given, formatted.
        value: String,
        /// The valid range or set, e.g. "in (0, 1)".
        expected: String,
    },
    /// A data value breaks a rule of its domain (out of range, negative, not an integer).
    #[error("{what} at {location} must be {expected}, got {value}")]
    InvalidValue {
        /// The input, e.g. "Likert item `PERQ1`".
        what: String,
        /// Where, e.g. "respondent 17" or "row 3, column 2".
        location: String,
        /// The value found.
        value: f64,
        /// The rule, e.g. "an integer in 1..=10".
        expected: String,
    },
    /// An input is structurally wrong in a way the other variants do not describe.
    #[error("invalid {what}: {reason}")]
    InvalidInput {
        /// The input.
        what: String,
        /// Why it is invalid.
        reason: String,
    },
    /// An input that must hold data is empty.
    #[error("`{what}` is empty")]
    Empty {
        /// The input.
        what: String,
    },
    /// A design matrix (or any system) is rank deficient.
    #[error("rank deficient: {} (linearly dependent within the rank tolerance)", columns.join(", "))]
    RankDeficient {
        /// Names of the columns involved in the dependency.
        columns: Vec<String>,
    },
    /// A matrix that must be invertible is singular.
    #[error("{what} is singular: {reason}")]
    Singular {
        /// The matrix, e.g. "I - Q".
        what: String,
        /// Why it was judged singular.
        reason: String,
    },
    /// An iterative method stopped before meeting its tolerance.
    #[error("{what} did not converge in {iterations} iterations (last change {last_change:e})")]
    NotConverged {
        /// The method, e.g. "AHP power iteration".
        what: String,
        /// Iterations performed.
        iterations: usize,
        /// The final change or gradient norm.
        last_change: f64,
    },
    /// A name (construct, item, column, state) is unknown.
    #[error("unknown {what} `{name}`")]
    UnknownName {
        /// The kind of name, e.g. "construct".
        what: String,
        /// The name given.
        name: String,
    },
    /// A name that must be unique appears twice.
    #[error("duplicate {what} `{name}`")]
    DuplicateName {
        /// The kind of name.
        what: String,
        /// The repeated name.
        name: String,
    },
    /// A likelihood has no finite maximum because a predictor separates the outcomes
    /// (complete or quasi-complete separation in logistic regression, monotone likelihood in
    /// Cox regression): the named coefficients diverge.
    #[error("{what}: separation on {}: the estimates diverge (drop, merge or penalise these predictors)", columns.join(", "))]
    Separation {
        /// The model, e.g. "logistic regression".
        what: String,
        /// The predictors whose coefficients diverge.
        columns: Vec<String>,
    },
    /// A size or memory limit of an exact algorithm is exceeded.
    #[error("{what}: {got} exceeds the limit of {limit}; {suggestion}")]
    LimitExceeded {
        /// The algorithm and quantity, e.g. "exact LMG predictors".
        what: String,
        /// The limit.
        limit: usize,
        /// The size asked for.
        got: usize,
        /// What to do instead.
        suggestion: String,
    },
}

impl Error {
    /// Shorthand for [`Error::InvalidOption`].
    pub(crate) fn option(
        option: &'static str,
        value: impl ToString,
        expected: impl Into<String>,
    ) -> Self {
        Error::InvalidOption {
            option,
            value: value.to_string(),
            expected: expected.into(),
        }
    }

    /// Shorthand for [`Error::InvalidInput`].
    pub(crate) fn input(what: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            what: what.into(),
            reason: reason.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_small_send_sync() {
        fn assert_traits<T: Send + Sync + 'static>() {}
        assert_traits::<Error>();
        assert!(std::mem::size_of::<Error>() <= 128);
    }

    #[test]
    fn messages_are_lowercase_without_period() {
        let e = Error::NonFinite {
            what: "x".into(),
            row: 2,
            col: 1,
            value: f64::NAN,
        };
        assert_eq!(
            e.to_string(),
            "`x` has a non-finite value (NaN) at row 2, column 1"
        );
        let e = Error::option("confidence_level", 1.5, "in (0, 1)");
        assert_eq!(
            e.to_string(),
            "option `confidence_level` must be in (0, 1), got 1.5"
        );
        let e = Error::RankDeficient {
            columns: vec!["x2".into(), "x3".into()],
        };
        assert_eq!(
            e.to_string(),
            "rank deficient: x2, x3 (linearly dependent within the rank tolerance)"
        );
    }
}
