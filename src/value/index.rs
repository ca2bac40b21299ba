//! Current and potential value indices from normalised indicators and weights.

use std::fmt;

use nalgebra::DMatrix;
use serde::Serialize;

use super::{Dimension, IndicatorSystem};
use crate::weights::{
    AhpWeights, Combination, Critic, CvWeights, Direction, EntropyVariant, EntropyWeights, Merec,
    Normalize, ObjectiveWeights, StdDevWeights, WeightingMethod, Weights,
};
use crate::{Error, Result};

/// An objective (data-driven) weighting method, computed on the customers' raw
/// indicator columns of one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub enum ObjectiveMethod {
    /// [`EntropyWeights`] with the given variant.
    Entropy(EntropyVariant),
    /// [`Critic`].
    Critic,
    /// [`StdDevWeights`] (on min-max normalised columns).
    StdDev,
    /// [`CvWeights`].
    CoefficientOfVariation,
    /// [`Merec`].
    Merec,
}

impl ObjectiveMethod {
    fn weigh(self, x: &DMatrix<f64>, d: &[Direction]) -> Result<ObjectiveWeights> {
        match self {
            ObjectiveMethod::Entropy(v) => EntropyWeights::new().variant(v).weigh(x, d),
            ObjectiveMethod::Critic => Critic::new().weigh(x, d),
            ObjectiveMethod::StdDev => StdDevWeights::new().weigh(x, d),
            ObjectiveMethod::CoefficientOfVariation => CvWeights::new().weigh(x, d),
            ObjectiveMethod::Merec => Merec::new().weigh(x, d),
        }
    }
}

/// Where the weights of one dimension come from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub enum WeightSource {
    /// Equal weights.
    Equal,
    /// Weights given by the caller, in the dimension's indicator order.
    Fixed(Weights),
    /// AHP priorities (their CR is carried into the result).
    Ahp(AhpWeights),
    /// Objective weights from the data.
    Objective(ObjectiveMethod),
    /// AHP priorities combined with objective weights.
    Combined {
        /// The subjective (AHP) weights.
        subjective: AhpWeights,
        /// The objective method.
        objective: ObjectiveMethod,
        /// How to combine them.
        combination: Combination,
    },
}

/// The weights used for one dimension, with their diagnostics.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct DimensionWeights {
    /// Current or potential.
    pub dimension: Dimension,
    /// Indicator names, in weight order.
    pub indicators: Vec<String>,
    /// The method.
    pub method: WeightingMethod,
    /// The final weights.
    pub weights: Weights,
    /// The AHP result (with λmax, CI, CR and the RI table), when AHP was involved.
    pub ahp: Option<AhpWeights>,
    /// The objective result, when an objective method was involved.
    pub objective: Option<ObjectiveWeights>,
}

impl fmt::Display for DimensionWeights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} value weights ({})", self.dimension, self.method)?;
        for (n, w) in self.indicators.iter().zip(self.weights.iter()) {
            writeln!(f, "  {n:<22} {w:>8.4}")?;
        }
        if let Some(a) = &self.ahp {
            writeln!(
                f,
                "  AHP: lambda_max {:.4}, CR {:.4} ({}){}",
                a.lambda_max(),
                a.consistency_ratio(),
                a.random_index(),
                if a.is_consistent() { "" } else { " -- above threshold" }
            )?;
        }
        Ok(())
    }
}

/// Options for current and potential value indices.
///
/// `V_i = Σ_j w_j r_ij` over the dimension's indicators, with `r` the normalised
/// indicator matrix (min-max by direction by default, so indices lie in `[0, 1]`).
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `current` | [`WeightSource::Equal`] | weights of current-value indicators | matching length |
/// | `potential` | [`WeightSource::Equal`] | weights of potential-value indicators | matching length |
/// | `normalize` | [`Normalize::new()`] (min-max, constant column = error) | normalisation | any |
///
/// # Example
///
/// ```
/// use crm_analytics::value::{Dimension, Indicator, IndicatorSystem, ValueIndex, WeightSource};
/// use crm_analytics::weights::{Ahp, Direction};
/// use nalgebra::DMatrix;
///
/// let sys = IndicatorSystem::new(vec![
///     Indicator::new("arpu", Dimension::Current, Direction::Benefit, ""),
///     Indicator::new("tenure", Dimension::Current, Direction::Benefit, ""),
///     Indicator::new("growth", Dimension::Potential, Direction::Benefit, ""),
/// ])?;
/// let x = DMatrix::from_row_slice(3, 3, &[50.0, 12.0, 0.1, 80.0, 36.0, -0.2, 20.0, 6.0, 0.3]);
/// let ahp = Ahp::new().weigh_upper_triangle(2, &[3.0])?; // arpu 3x tenure
/// let fit = ValueIndex::new(sys).current(WeightSource::Ahp(ahp)).fit(&x)?;
/// // customer 1: .75·1 + .25·1 = 1
/// assert!((fit.current()[1] - 1.0).abs() < 1e-12);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueIndex {
    system: IndicatorSystem,
    current: WeightSource,
    potential: WeightSource,
    normalize: Normalize,
}

impl ValueIndex {
    /// Indices over `system` with equal weights and min-max normalisation.
    #[must_use]
    pub fn new(system: IndicatorSystem) -> Self {
        ValueIndex {
            system,
            current: WeightSource::Equal,
            potential: WeightSource::Equal,
            normalize: Normalize::new(),
        }
    }
    /// Weights of the current-value indicators.
    ///
    /// # Errors
    /// `fit` rejects weights whose length differs from the dimension's indicators.
    #[must_use]
    pub fn current(mut self, w: WeightSource) -> Self {
        self.current = w;
        self
    }
    /// Weights of the potential-value indicators.
    ///
    /// # Errors
    /// As [`ValueIndex::current`].
    #[must_use]
    pub fn potential(mut self, w: WeightSource) -> Self {
        self.potential = w;
        self
    }
    /// The normalisation.
    #[must_use]
    pub fn normalize(mut self, n: Normalize) -> Self {
        self.normalize = n;
        self
    }
    /// The indicator system.
    #[must_use]
    pub fn get_system(&self) -> &IndicatorSystem {
        &self.system
    }
    /// The current-value weight source.
    #[must_use]
    pub fn get_current(&self) -> &WeightSource {
        &self.current
    }
    /// The potential-value weight source.
    #[must_use]
    pub fn get_potential(&self) -> &WeightSource {
        &self.potential
    }
    /// The normalisation.
    #[must_use]
    pub fn get_normalize(&self) -> Normalize {
        self.normalize
    }

    /// Indices of the customers in `x` (rows customers, columns in system order).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if `x` has not one column per indicator or weights
    /// have another length; [`Error::InvalidInput`] if a dimension has no indicators;
    /// as [`Normalize::apply`] and the weighting methods otherwise.
    pub fn fit(&self, x: &DMatrix<f64>) -> Result<ValueIndices> {
        crate::validate::same_len("indicator matrix columns", self.system.len(), x.ncols())?;
        if x.nrows() == 0 {
            return Err(Error::Empty {
                what: "indicator matrix".into(),
            });
        }
        crate::validate::matrix_finite("indicator matrix", x)?;
        let (current, cw) = self.dimension(x, Dimension::Current, &self.current)?;
        let (potential, pw) = self.dimension(x, Dimension::Potential, &self.potential)?;
        Ok(ValueIndices {
            current,
            potential,
            current_weights: cw,
            potential_weights: pw,
        })
    }

    fn dimension(
        &self,
        x: &DMatrix<f64>,
        d: Dimension,
        source: &WeightSource,
    ) -> Result<(Vec<f64>, DimensionWeights)> {
        let cols = self.system.columns(d);
        if cols.is_empty() {
            return Err(Error::input(
                "indicator system",
                format!("it has no {d}-value indicator"),
            ));
        }
        let dirs = self.system.directions(d);
        let names = self.system.names(d);
        let sub = x.select_columns(cols.iter());
        let r = self.normalize.apply(&sub, &dirs)?;
        let k = cols.len();
        let check = |w: &Weights| {
            crate::validate::same_len(&format!("{d}-value weights"), k, w.len())
        };
        let (method, weights, ahp, objective) = match source {
            WeightSource::Equal => (WeightingMethod::Fixed, Weights::uniform(k)?, None, None),
            WeightSource::Fixed(w) => {
                check(w)?;
                (WeightingMethod::Fixed, w.clone(), None, None)
            }
            WeightSource::Ahp(a) => {
                check(a.weights())?;
                (WeightingMethod::Ahp, a.weights().clone(), Some(a.clone()), None)
            }
            WeightSource::Objective(m) => {
                let o = m.weigh(&sub, &dirs)?;
                (o.method(), o.weights().clone(), None, Some(o))
            }
            WeightSource::Combined {
                subjective,
                objective,
                combination,
            } => {
                check(subjective.weights())?;
                let o = objective.weigh(&sub, &dirs)?;
                let w = combination.combine(subjective.weights(), o.weights())?;
                (
                    WeightingMethod::Combined(*combination),
                    w,
                    Some(subjective.clone()),
                    Some(o),
                )
            }
        };
        let ws = weights.as_slice();
        let mut index = vec![0.0; x.nrows()];
        for (j, w) in ws.iter().enumerate() {
            for (v, r) in index.iter_mut().zip(r.column(j).iter()) {
                *v += w * r;
            }
        }
        Ok((
            index,
            DimensionWeights {
                dimension: d,
                indicators: names,
                method,
                weights,
                ahp,
                objective,
            },
        ))
    }
}

/// Current and potential value indices with the weights behind them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct ValueIndices {
    current: Vec<f64>,
    potential: Vec<f64>,
    current_weights: DimensionWeights,
    potential_weights: DimensionWeights,
}

impl ValueIndices {
    /// Current value index per customer.
    #[must_use]
    pub fn current(&self) -> &[f64] {
        &self.current
    }
    /// Potential value index per customer.
    #[must_use]
    pub fn potential(&self) -> &[f64] {
        &self.potential
    }
    /// Weights and diagnostics of the current-value index.
    pub fn current_weights(&self) -> &DimensionWeights {
        &self.current_weights
    }
    /// Weights and diagnostics of the potential-value index.
    pub fn potential_weights(&self) -> &DimensionWeights {
        &self.potential_weights
    }
    /// Number of customers.
    #[must_use]
    pub fn n(&self) -> usize {
        self.current.len()
    }
}

impl fmt::Display for ValueIndices {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
        writeln!(f, "value indices for {} customers", self.n())?;
        writeln!(
            f,
            "mean current {:.4}, mean potential {:.4}",
            mean(&self.current),
            mean(&self.potential)
        )?;
        write!(f, "{}{}", self.current_weights, self.potential_weights)
    }
}
