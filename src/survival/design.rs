//! Building a named design matrix from numeric and categorical columns (indicator coding
//! with a named reference level), for [`super::Logistic`] and [`super::CoxPh`].

use std::collections::BTreeSet;

use nalgebra::DMatrix;
use serde::Serialize;

use crate::{Error, Result, validate};

/// A design matrix under construction: numeric columns as given, categorical columns as
/// 0/1 indicators of every level but the reference (named `variable=level`, levels in
/// sorted order).
///
/// # Example
///
/// ```
/// use crm_analytics::survival::Design;
///
/// let contract = ["Month-to-month", "One year", "Two year", "Month-to-month"];
/// let design = Design::new()
///     .numeric("tenure", &[1.0, 34.0, 45.0, 2.0])?
///     .categorical("Contract", &contract, "Month-to-month")?;
/// assert_eq!(design.names(), &["tenure", "Contract=One year", "Contract=Two year"]);
/// let x = design.matrix();
/// assert_eq!(x[(2, 2)], 1.0);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Design {
    n: Option<usize>,
    columns: Vec<Vec<f64>>,
    names: Vec<String>,
}

impl Design {
    /// An empty design.
    pub fn new() -> Design {
        Design::default()
    }

    fn check_rows(&mut self, what: &str, n: usize) -> Result<()> {
        if n == 0 {
            return Err(Error::Empty { what: what.into() });
        }
        match self.n {
            Some(m) => validate::same_len(&format!("rows of column `{what}`"), m, n),
            None => {
                self.n = Some(n);
                Ok(())
            }
        }
    }

    fn check_name(&self, name: &str) -> Result<()> {
        if self.names.iter().any(|n| n == name) {
            return Err(Error::DuplicateName {
                what: "design column".into(),
                name: name.into(),
            });
        }
        Ok(())
    }

    /// Add a numeric column.
    ///
    /// # Errors
    ///
    /// [`Error::Empty`], [`Error::DimensionMismatch`] against earlier columns,
    /// [`Error::NonFiniteAt`], [`Error::DuplicateName`].
    pub fn numeric(mut self, name: &str, values: &[f64]) -> Result<Design> {
        self.check_rows(name, values.len())?;
        self.check_name(name)?;
        validate::slice_finite(name, values)?;
        self.columns.push(values.to_vec());
        self.names.push(name.to_string());
        Ok(self)
    }

    /// Add a categorical column coded by indicators against `reference`.
    ///
    /// # Errors
    ///
    /// [`Error::Empty`], [`Error::DimensionMismatch`], [`Error::UnknownName`] when the
    /// reference level does not occur, [`Error::InvalidInput`] when only one level occurs,
    /// [`Error::DuplicateName`].
    pub fn categorical<S: AsRef<str>>(
        mut self,
        name: &str,
        values: &[S],
        reference: &str,
    ) -> Result<Design> {
        self.check_rows(name, values.len())?;
        let levels: BTreeSet<&str> = values.iter().map(AsRef::as_ref).collect();
        if !levels.contains(reference) {
            return Err(Error::UnknownName {
                what: format!("reference level of `{name}`"),
                name: reference.into(),
            });
        }
        if levels.len() < 2 {
            return Err(Error::input(
                format!("categorical column `{name}`"),
                "only one level occurs",
            ));
        }
        for level in levels.iter().filter(|l| **l != reference) {
            let col_name = format!("{name}={level}");
            self.check_name(&col_name)?;
            self.columns.push(
                values
                    .iter()
                    .map(|v| if v.as_ref() == *level { 1.0 } else { 0.0 })
                    .collect(),
            );
            self.names.push(col_name);
        }
        Ok(self)
    }

    /// Column names in order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Column names as `&str` (handy for `fit_named`).
    pub fn name_refs(&self) -> Vec<&str> {
        self.names.iter().map(String::as_str).collect()
    }

    /// The n x k matrix (0 x 0 when empty).
    pub fn matrix(&self) -> DMatrix<f64> {
        let n = self.n.unwrap_or(0);
        DMatrix::from_fn(n, self.columns.len(), |i, j| self.columns[j][i])
    }
}
