//! Importance-performance map analysis (IPMA) of a target construct.

use std::fmt;

use serde::Serialize;

use super::fit::PlsFit;
use crate::{Error, Result};

/// One predecessor of the IPMA target.
///
/// # Example
///
/// ```
/// # use crm_analytics::pls::{Pls, PlsModel};
/// # use nalgebra::DMatrix;
/// # let data = DMatrix::from_row_slice(6, 4, &[
/// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
/// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
/// # ]);
/// # let model = PlsModel::new()
/// #     .reflective("Quality", &["q1", "q2"])
/// #     .reflective("Satisfaction", &["s1", "s2"])
/// #     .path("Quality", "Satisfaction");
/// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
/// let row = &fit.ipma("Satisfaction", 1.0, 7.0)?.rows[0];
/// assert!(row.importance > 0.0 && row.performance > 0.0);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct IpmaRow {
    /// The construct.
    pub construct: String,
    /// Importance: its unstandardised total effect on the target's 0-100 score (a one-point
    /// rise in its 0-100 performance raises the target by this many points).
    pub importance: f64,
    /// Its standardised total effect on the target (the PLS total effect).
    pub total_effect: f64,
    /// Performance: its mean 0-100 rescaled score ([`PlsFit::index`]).
    pub performance: f64,
}

/// The importance-performance map of one target construct. Made by [`PlsFit::ipma`].
///
/// # Formula
///
/// ```text
/// performance_i = 100 · (Σ_a u_a x̄_a - min)/(max - min)          (PlsFit::index)
/// importance_i  = T_i,target · (Σ w̃_i) / (Σ w̃_target)
/// ```
///
/// `T` is the standardised total effect and `Σ w̃` the sum of a block's unstandardised
/// weights. The rescaled score of a construct is `c + Y / Σ w̃` (times `100/(max - min)`),
/// so this ratio turns standardised total effects into the total effects of the 0-100
/// scores exactly, which is what a regression on the rescaled scores would give.
///
/// # References
/// Ringle & Sarstedt (2016), *Gain more insight from your PLS-SEM results: the
/// importance-performance map analysis*, Industrial Management & Data Systems 116(9).
///
/// # Example
///
/// ```
/// # use crm_analytics::pls::{Pls, PlsModel};
/// # use nalgebra::DMatrix;
/// # let data = DMatrix::from_row_slice(6, 4, &[
/// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
/// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
/// # ]);
/// # let model = PlsModel::new()
/// #     .reflective("Quality", &["q1", "q2"])
/// #     .reflective("Satisfaction", &["s1", "s2"])
/// #     .path("Quality", "Satisfaction");
/// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
/// let map = fit.ipma("Satisfaction", 1.0, 7.0)?;
/// assert_eq!(map.target, "Satisfaction");
/// let text = map.to_string(); // ready to print
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Ipma {
    /// The target construct.
    pub target: String,
    /// Its own 0-100 performance.
    pub target_performance: f64,
    /// Constructs with a directed path to the target, block order.
    pub rows: Vec<IpmaRow>,
    /// Mean importance (a crosshair of the map).
    pub mean_importance: f64,
    /// Mean performance (the other crosshair).
    pub mean_performance: f64,
}

impl fmt::Display for Ipma {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "IPMA for {} (performance {:.2})",
            self.target, self.target_performance
        )?;
        writeln!(
            f,
            "{:<16} {:>11} {:>13} {:>12}  quadrant",
            "construct", "importance", "total effect", "performance"
        )?;
        for r in &self.rows {
            let quadrant = match (
                r.importance >= self.mean_importance,
                r.performance >= self.mean_performance,
            ) {
                (true, false) => "concentrate here",
                (true, true) => "keep up the good work",
                (false, false) => "low priority",
                (false, true) => "possible overkill",
            };
            writeln!(
                f,
                "{:<16} {:>11.4} {:>13.4} {:>12.2}  {quadrant}",
                r.construct, r.importance, r.total_effect, r.performance
            )?;
        }
        write!(
            f,
            "crosshairs: importance {:.4}, performance {:.2}",
            self.mean_importance, self.mean_performance
        )
    }
}

impl PlsFit {
    /// The importance-performance map of `target` on the scale `scale_min..scale_max`.
    ///
    /// # Errors
    /// - [`Error::UnknownName`] for an unknown construct;
    /// - [`Error::InvalidInput`] if no construct has a directed path to `target`;
    /// - the errors of [`PlsFit::index`].
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Pls, PlsModel};
    /// use nalgebra::DMatrix;
    ///
    /// let data = DMatrix::from_row_slice(6, 4, &[
    ///     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    ///     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// ]);
    /// let model = PlsModel::new()
    ///     .reflective("Quality", &["q1", "q2"])
    ///     .reflective("Satisfaction", &["s1", "s2"])
    ///     .path("Quality", "Satisfaction");
    /// let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// let map = fit.ipma("Satisfaction", 1.0, 7.0)?;
    /// assert_eq!(map.rows[0].construct, "Quality");
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn ipma(&self, target: &str, scale_min: f64, scale_max: f64) -> Result<Ipma> {
        let t = self.construct_index(target)?;
        let indices = self.construct_indices(scale_min, scale_max)?;
        let sums = self.weight_sums()?;
        let total = self.total_effects();
        let k = self.constructs().len();
        let reaches = reachability(self, t);
        let rows: Vec<IpmaRow> = (0..k)
            .filter(|&i| reaches[i])
            .map(|i| IpmaRow {
                construct: self.constructs()[i].clone(),
                importance: total[(i, t)] * sums[i] / sums[t],
                total_effect: total[(i, t)],
                performance: indices[i].index,
            })
            .collect();
        if rows.is_empty() {
            return Err(Error::input(
                "IPMA target",
                format!("no construct has a directed path to `{target}`"),
            ));
        }
        let m = rows.len() as f64;
        Ok(Ipma {
            target: target.to_string(),
            target_performance: indices[t].index,
            mean_importance: rows.iter().map(|r| r.importance).sum::<f64>() / m,
            mean_performance: rows.iter().map(|r| r.performance).sum::<f64>() / m,
            rows,
        })
    }
}

/// `reaches[i]`: construct `i` has a directed path to `t`.
fn reachability(fit: &PlsFit, t: usize) -> Vec<bool> {
    let spec = fit.spec();
    let mut reaches = vec![false; spec.k()];
    let mut stack = vec![t];
    while let Some(j) = stack.pop() {
        for &i in &spec.pred[j] {
            if !reaches[i] {
                reaches[i] = true;
                stack.push(i);
            }
        }
    }
    reaches
}
