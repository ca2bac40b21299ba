//! AHP hierarchies (global weights, hierarchical consistency) and group AHP.

use std::fmt;

use nalgebra::DMatrix;
use serde::Serialize;

use super::ahp::validate_pairwise;
use super::{Ahp, AhpWeights, Weights};
use crate::{Error, Result};

/// One node of an AHP hierarchy: the labels of its children and their pairwise
/// comparison matrix; a child may be refined by a sub-hierarchy.
///
/// A classic two-level problem (goal → criteria → alternatives) is a root node over
/// the criteria whose every child holds a node over the same alternatives; the global
/// priority of an alternative is then `Σ_k w_k · w_alt|k`
/// ([`HierarchyWeights::synthesis`]).
///
/// # Example
///
/// ```
/// use crm_analytics::weights::{Ahp, Hierarchy};
/// use nalgebra::DMatrix;
///
/// let crit = DMatrix::from_row_slice(2, 2, &[1.0, 3.0, 1.0 / 3.0, 1.0]);
/// let alt = |a: f64| DMatrix::from_row_slice(2, 2, &[1.0, a, 1.0 / a, 1.0]);
/// let h = Hierarchy::new(&["price", "coverage"], crit)?
///     .with_child("price", Hierarchy::new(&["A", "B"], alt(2.0))?)?
///     .with_child("coverage", Hierarchy::new(&["A", "B"], alt(0.5))?)?;
/// let fit = Ahp::new().weigh_hierarchy(&h)?;
/// // A: .75·2/3 + .25·1/3 = 0.5833
/// assert!((fit.synthesis()[0].1 - 0.58333333).abs() < 1e-6);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hierarchy {
    labels: Vec<String>,
    matrix: DMatrix<f64>,
    children: Vec<Option<Hierarchy>>,
}

impl Hierarchy {
    /// A node comparing `labels` by `matrix` (validated when weighed).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if the matrix is not `labels.len()` square;
    /// [`Error::DuplicateName`] for a repeated label.
    pub fn new<S: AsRef<str>>(labels: &[S], matrix: DMatrix<f64>) -> Result<Self> {
        let labels: Vec<String> = labels.iter().map(|s| s.as_ref().to_string()).collect();
        crate::validate::same_len("rows of the node's matrix", labels.len(), matrix.nrows())?;
        crate::validate::same_len("columns of the node's matrix", labels.len(), matrix.ncols())?;
        for (i, l) in labels.iter().enumerate() {
            if labels[..i].contains(l) {
                return Err(Error::DuplicateName {
                    what: "hierarchy label".into(),
                    name: l.clone(),
                });
            }
        }
        let children = vec![None; labels.len()];
        Ok(Hierarchy {
            labels,
            matrix,
            children,
        })
    }

    /// Refine child `label` by a sub-hierarchy.
    ///
    /// # Errors
    /// [`Error::UnknownName`] if `label` is not a child of this node.
    pub fn with_child(mut self, label: &str, child: Hierarchy) -> Result<Self> {
        let i = self
            .labels
            .iter()
            .position(|l| l == label)
            .ok_or_else(|| Error::UnknownName {
                what: "hierarchy label".into(),
                name: label.into(),
            })?;
        self.children[i] = Some(child);
        Ok(self)
    }

    /// The labels of this node's children.
    #[must_use]
    pub fn labels(&self) -> &[String] {
        &self.labels
    }
}

/// A leaf of a weighed hierarchy with its global weight (product of local weights on
/// its path).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Leaf {
    /// Labels from the root's child down to the leaf.
    pub path: Vec<String>,
    /// Global weight.
    pub global: f64,
}

/// One weighed node: its path, global weight of the node itself, and local AHP result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct NodeWeights {
    /// Labels from the root down to this node (empty for the root).
    pub path: Vec<String>,
    /// Depth (root = 0).
    pub depth: usize,
    /// Global weight of the node (1 for the root).
    pub global: f64,
    /// The node's local priorities and consistency.
    pub local: AhpWeights,
}

/// Hierarchical consistency of the matrices at one depth:
/// `CR_H = Σ_k g_k CI_k / Σ_k g_k RI_k`, `g_k` the global weight of node `k`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct LevelConsistency {
    /// Depth of the matrices (root = 0).
    pub depth: usize,
    /// `Σ g_k CI_k`.
    pub weighted_ci: f64,
    /// `Σ g_k RI_k`.
    pub weighted_ri: f64,
    /// `CR_H`, `None` when every RI at this depth is 0 (all matrices of order ≤ 2).
    pub cr: Option<f64>,
}

/// The result of [`Ahp::weigh_hierarchy`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct HierarchyWeights {
    nodes: Vec<NodeWeights>,
    leaves: Vec<Leaf>,
    synthesis: Vec<(String, f64)>,
    levels: Vec<LevelConsistency>,
}

impl HierarchyWeights {
    /// Every node with its local result, depth-first from the root.
    #[must_use]
    pub fn nodes(&self) -> &[NodeWeights] {
        &self.nodes
    }
    /// Every leaf with its global weight (they sum to 1).
    #[must_use]
    pub fn leaves(&self) -> &[Leaf] {
        &self.leaves
    }
    /// Global priorities of leaf labels, summed over the paths that end in the same
    /// label (the alternatives of a classic hierarchy), in order of first appearance.
    #[must_use]
    pub fn synthesis(&self) -> &[(String, f64)] {
        &self.synthesis
    }
    /// Hierarchical consistency per depth.
    #[must_use]
    pub fn levels(&self) -> &[LevelConsistency] {
        &self.levels
    }
}

impl fmt::Display for HierarchyWeights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "AHP hierarchy")?;
        writeln!(f, "{:<30} {:>8} {:>8}", "node", "global", "CR")?;
        for n in &self.nodes {
            let name = if n.path.is_empty() {
                "(goal)".to_string()
            } else {
                n.path.join(" / ")
            };
            writeln!(
                f,
                "{:<30} {:>8.4} {:>8.4}",
                name,
                n.global,
                n.local.consistency_ratio()
            )?;
        }
        writeln!(f, "synthesis:")?;
        for (l, w) in &self.synthesis {
            writeln!(f, "  {l:<28} {w:>8.4}")?;
        }
        for l in &self.levels {
            match l.cr {
                Some(cr) => writeln!(f, "CR_H at depth {}: {cr:.4}", l.depth)?,
                None => writeln!(f, "CR_H at depth {}: n/a (orders <= 2)", l.depth)?,
            }
        }
        Ok(())
    }
}

/// How individual judgements of a group are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Deserialize, Serialize)]
#[non_exhaustive]
pub enum GroupAggregation {
    /// Aggregation of individual judgements (AIJ): element-wise weighted geometric
    /// mean of the matrices, which preserves reciprocity (Aczél & Saaty 1983); then AHP.
    #[default]
    Judgements,
    /// Aggregation of individual priorities (AIP): weighted geometric mean of each
    /// expert's priority vector, normalised to sum 1.
    Priorities,
}

/// The result of [`Ahp::weigh_group`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct GroupAhpWeights {
    aggregation: GroupAggregation,
    weights: Weights,
    individual: Vec<AhpWeights>,
    aggregated: Option<AhpWeights>,
}

impl GroupAhpWeights {
    /// The group's priorities.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }
    /// How they were aggregated.
    #[must_use]
    pub fn aggregation(&self) -> GroupAggregation {
        self.aggregation
    }
    /// Each expert's own AHP result (with its CR).
    pub fn individual(&self) -> &[AhpWeights] {
        &self.individual
    }
    /// The AHP result of the aggregated matrix (AIJ only).
    #[must_use]
    pub fn aggregated(&self) -> Option<&AhpWeights> {
        self.aggregated.as_ref()
    }
}

impl fmt::Display for GroupAhpWeights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "group AHP ({} experts, {:?}): {}",
            self.individual.len(),
            self.aggregation,
            self.weights
        )?;
        for (i, a) in self.individual.iter().enumerate() {
            writeln!(f, "  expert {}: CR {:.4}", i + 1, a.consistency_ratio())?;
        }
        if let Some(a) = &self.aggregated {
            writeln!(f, "  aggregated matrix: CR {:.4}", a.consistency_ratio())?;
        }
        Ok(())
    }
}

impl Ahp {
    /// Weigh every node of a hierarchy; global weights, synthesis and `CR_H` per depth.
    ///
    /// # Errors
    /// As [`Ahp::weigh`] for any node's matrix (the message names the cell; nodes are
    /// visited depth-first from the root).
    pub fn weigh_hierarchy(&self, h: &Hierarchy) -> Result<HierarchyWeights> {
        let mut nodes = Vec::new();
        let mut leaves = Vec::new();
        self.visit(h, Vec::new(), 1.0, &mut nodes, &mut leaves)?;
        let mut synthesis: Vec<(String, f64)> = Vec::new();
        for leaf in &leaves {
            let label = leaf.path.last().cloned().unwrap_or_default();
            match synthesis.iter_mut().find(|(l, _)| *l == label) {
                Some((_, w)) => *w += leaf.global,
                None => synthesis.push((label, leaf.global)),
            }
        }
        let max_depth = nodes.iter().map(|n| n.depth).max().unwrap_or(0);
        let levels = (0..=max_depth)
            .map(|d| {
                let (ci, ri) = nodes.iter().filter(|n| n.depth == d).fold(
                    (0.0, 0.0),
                    |(ci, ri), n| {
                        (
                            ci + n.global * n.local.consistency_index(),
                            ri + n.global * n.local.random_index_value().unwrap_or(0.0),
                        )
                    },
                );
                LevelConsistency {
                    depth: d,
                    weighted_ci: ci,
                    weighted_ri: ri,
                    cr: (ri > 0.0).then(|| ci / ri),
                }
            })
            .collect();
        Ok(HierarchyWeights {
            nodes,
            leaves,
            synthesis,
            levels,
        })
    }

    fn visit(
        &self,
        h: &Hierarchy,
        path: Vec<String>,
        global: f64,
        nodes: &mut Vec<NodeWeights>,
        leaves: &mut Vec<Leaf>,
    ) -> Result<()> {
        let local = self.weigh(&h.matrix)?;
        let w = local.weights().as_slice().to_vec();
        nodes.push(NodeWeights {
            path: path.clone(),
            depth: path.len(),
            global,
            local,
        });
        for (i, label) in h.labels.iter().enumerate() {
            let mut p = path.clone();
            p.push(label.clone());
            let g = global * w[i];
            match &h.children[i] {
                Some(child) => self.visit(child, p, g, nodes, leaves)?,
                None => leaves.push(Leaf { path: p, global: g }),
            }
        }
        Ok(())
    }

    /// Group AHP: combine several experts' matrices of the same order.
    ///
    /// `expert_weights` (default equal) weigh the experts in the geometric means.
    ///
    /// # Errors
    /// [`Error::Empty`] for no matrices; [`Error::DimensionMismatch`] if orders differ or
    /// `expert_weights` has another length; as [`Ahp::weigh`] for any matrix (checked
    /// one by one, so the error points at the first bad expert's cell).
    pub fn weigh_group(
        &self,
        matrices: &[DMatrix<f64>],
        expert_weights: Option<&Weights>,
        aggregation: GroupAggregation,
    ) -> Result<GroupAhpWeights> {
        let first = matrices.first().ok_or_else(|| Error::Empty {
            what: "group of pairwise matrices".into(),
        })?;
        let n = first.nrows();
        let k = matrices.len();
        let uniform;
        let ew = match expert_weights {
            Some(w) => {
                crate::validate::same_len("expert weights", k, w.len())?;
                w
            }
            None => {
                uniform = Weights::uniform(k)?;
                &uniform
            }
        };
        let mut individual = Vec::with_capacity(k);
        for m in matrices {
            crate::validate::same_len("order of every expert's matrix", n, m.nrows())?;
            individual.push(self.weigh(m)?);
        }
        match aggregation {
            GroupAggregation::Judgements => {
                let mut log = DMatrix::zeros(n, n);
                for (m, w) in matrices.iter().zip(ew.iter()) {
                    validate_pairwise(m, self.reciprocity_tolerance_value())?;
                    for i in 0..n {
                        for j in 0..n {
                            log[(i, j)] += w * m[(i, j)].ln();
                        }
                    }
                }
                let agg = log.map(f64::exp);
                let fit = self.weigh(&agg)?;
                Ok(GroupAhpWeights {
                    aggregation,
                    weights: fit.weights().clone(),
                    individual,
                    aggregated: Some(fit),
                })
            }
            GroupAggregation::Priorities => {
                let mut g = vec![0.0; n];
                for (fit, w) in individual.iter().zip(ew.iter()) {
                    for (gi, wi) in g.iter_mut().zip(fit.weights().iter()) {
                        *gi += w * wi.ln();
                    }
                }
                let g: Vec<f64> = g.into_iter().map(f64::exp).collect();
                Ok(GroupAhpWeights {
                    aggregation,
                    weights: Weights::from_scores(&g)?,
                    individual,
                    aggregated: None,
                })
            }
        }
    }

    fn reciprocity_tolerance_value(&self) -> f64 {
        self.get_reciprocity_tolerance()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_of_identical_experts_equals_one_expert() {
        // AIJ and AIP of k copies of A equal AHP(A): geometric means of equal things.
        let a = DMatrix::from_row_slice(3, 3, &[1.0, 3.0, 5.0, 1.0 / 3.0, 1.0, 2.0, 0.2, 0.5, 1.0]);
        let one = Ahp::new().weigh(&a).unwrap();
        for agg in [GroupAggregation::Judgements, GroupAggregation::Priorities] {
            let g = Ahp::new()
                .weigh_group(&[a.clone(), a.clone()], None, agg)
                .unwrap();
            for (x, y) in g.weights().iter().zip(one.weights().iter()) {
                assert!((x - y).abs() < 1e-12);
            }
        }
    }
}
