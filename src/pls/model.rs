//! The model specification: measurement blocks (construct -> items) and the structural
//! paths between constructs, with the validation that turns it into index form.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// How a construct's outer weights are estimated from its block of items.
///
/// # Formula
///
/// ```text
/// Mode A (reflective, "correlation weights"): w_j = X_jᵀ Z_j / (n - 1)
/// Mode B (formative, "regression weights"):   w_j = (X_jᵀ X_j)⁻¹ X_jᵀ Z_j
/// ```
///
/// with `Z_j` the inner estimate of construct `j`; in both cases the weights are then
/// scaled so that the construct score `X_j w_j` has unit variance (n - 1).
///
/// # Example
///
/// ```
/// use crm_analytics::pls::{Mode, PlsModel};
/// let m = PlsModel::new().block("Price", &["p1", "p2"], Mode::B);
/// assert_eq!(m.blocks()[0].mode.to_string(), "B");
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Mode {
    /// Mode A: weights proportional to the covariances of the items with the inner
    /// estimate (reflective blocks; the ECSI/ACSI default).
    #[default]
    A,
    /// Mode B: weights from the multiple regression of the inner estimate on the items
    /// (formative blocks).
    B,
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mode::A => f.write_str("A"),
            Mode::B => f.write_str("B"),
        }
    }
}

/// One measurement block: a construct, its items (column names of the data) and its mode.
///
/// # Example
///
/// ```
/// use crm_analytics::pls::{Mode, PlsModel};
/// let m = PlsModel::new().reflective("Image", &["i1", "i2"]);
/// let block = &m.blocks()[0];
/// assert_eq!((block.construct.as_str(), block.items.len()), ("Image", 2));
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    /// Construct name.
    pub construct: String,
    /// Item (manifest variable) names, matched against the data's column names.
    pub items: Vec<String>,
    /// Outer estimation mode.
    pub mode: Mode,
}

/// A PLS path model: measurement blocks and structural paths (a directed acyclic graph).
///
/// Built with [`PlsModel::block`] / [`PlsModel::reflective`] / [`PlsModel::formative`]
/// and [`PlsModel::path`]; nothing is checked until [`PlsModel::validate`] or
/// [`Pls::fit`](super::Pls::fit), which reject, naming the problem: no blocks, a
/// duplicate construct, an empty block, an item listed twice or in two blocks, a path to
/// or from an unknown construct, a self-loop or duplicate path, a cycle (printed as
/// `A -> B -> A`), and a construct with no structural path (its inner estimate would be
/// undefined).
///
/// # Example
///
/// ```
/// use crm_analytics::pls::PlsModel;
///
/// let model = PlsModel::new()
///     .reflective("Value", &["PERV1", "PERV2"])
///     .reflective("Satisfaction", &["CUSA1", "CUSA2", "CUSA3"])
///     .path("Value", "Satisfaction");
/// model.validate()?;
/// assert_eq!(model.constructs(), vec!["Value", "Satisfaction"]);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PlsModel {
    blocks: Vec<Block>,
    paths: Vec<(String, String)>,
}

impl PlsModel {
    /// An empty model.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Mode, PlsModel};
    /// assert!(PlsModel::new().blocks().is_empty());
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn new() -> PlsModel {
        PlsModel::default()
    }

    /// Add a block `construct -> items` estimated in `mode`.
    ///
    /// # Errors
    /// None here; [`PlsModel::validate`] rejects an empty block, a duplicate construct and an
    /// item in two blocks.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Mode, PlsModel};
    /// let m = PlsModel::new().block("Price", &["p1", "p2"], Mode::B);
    /// assert_eq!(m.blocks()[0].mode, Mode::B);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn block<S: AsRef<str>>(mut self, construct: &str, items: &[S], mode: Mode) -> PlsModel {
        self.blocks.push(Block {
            construct: construct.to_string(),
            items: items.iter().map(|s| s.as_ref().to_string()).collect(),
            mode,
        });
        self
    }

    /// Add a mode A (reflective) block.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Mode, PlsModel};
    /// let m = PlsModel::new().reflective("Image", &["i1", "i2"]);
    /// assert_eq!(m.blocks()[0].mode, Mode::A);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn reflective<S: AsRef<str>>(self, construct: &str, items: &[S]) -> PlsModel {
        self.block(construct, items, Mode::A)
    }

    /// Add a mode B (formative) block.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Mode, PlsModel};
    /// let m = PlsModel::new().formative("Price", &["p1", "p2"]);
    /// assert_eq!(m.blocks()[0].items, ["p1", "p2"]);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn formative<S: AsRef<str>>(self, construct: &str, items: &[S]) -> PlsModel {
        self.block(construct, items, Mode::B)
    }

    /// Add the structural path `from -> to`.
    ///
    /// # Errors
    /// None here; [`PlsModel::validate`] rejects unknown constructs, self-loops, duplicate
    /// paths and cycles.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Mode, PlsModel};
    /// let m = PlsModel::new().path("Quality", "Satisfaction");
    /// assert_eq!(m.structural_paths()[0], ("Quality".to_string(), "Satisfaction".to_string()));
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn path(mut self, from: &str, to: &str) -> PlsModel {
        self.paths.push((from.to_string(), to.to_string()));
        self
    }

    /// Add a path from each of `from` to `to`.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Mode, PlsModel};
    /// let m = PlsModel::new().paths(&["Quality", "Value"], "Satisfaction");
    /// assert_eq!(m.structural_paths().len(), 2);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn paths<S: AsRef<str>>(mut self, from: &[S], to: &str) -> PlsModel {
        for f in from {
            self = self.path(f.as_ref(), to);
        }
        self
    }

    /// The blocks in the order added.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Mode, PlsModel};
    /// let m = PlsModel::new().reflective("A", &["a1"]).reflective("B", &["b1"]);
    /// assert_eq!(m.blocks().len(), 2);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// The structural paths `(from, to)` in the order added.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Mode, PlsModel};
    /// assert!(PlsModel::new().structural_paths().is_empty());
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn structural_paths(&self) -> &[(String, String)] {
        &self.paths
    }

    /// Construct names in block order.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Mode, PlsModel};
    /// let m = PlsModel::new().reflective("A", &["a1"]).reflective("B", &["b1"]);
    /// assert_eq!(m.constructs(), vec!["A", "B"]);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn constructs(&self) -> Vec<&str> {
        self.blocks.iter().map(|b| b.construct.as_str()).collect()
    }

    /// Check the specification without data.
    ///
    /// # Errors
    /// - [`Error::Empty`] for a model without blocks;
    /// - [`Error::DuplicateName`] for a construct defined twice or an item listed twice in
    ///   one block, or a path given twice;
    /// - [`Error::InvalidInput`] for a block without items, an item in two blocks, a self-loop, a cycle or a
    ///   construct without structural paths;
    /// - [`Error::UnknownName`] for a path naming an undefined construct.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Mode, PlsModel};
    /// let cyclic = PlsModel::new()
    ///     .reflective("A", &["a1"])
    ///     .reflective("B", &["b1"])
    ///     .path("A", "B")
    ///     .path("B", "A");
    /// let err = cyclic.validate().unwrap_err();
    /// assert!(err.to_string().contains("cycle"));
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn validate(&self) -> Result<()> {
        Spec::new(self).map(|_| ())
    }
}

/// The validated model in index form (crate-private).
#[derive(Debug, Clone)]
pub(crate) struct Spec {
    /// Construct names, block order.
    pub(crate) constructs: Vec<String>,
    /// Modes per construct.
    pub(crate) modes: Vec<Mode>,
    /// Items per construct, as given.
    pub(crate) items: Vec<Vec<String>>,
    /// Offsets into the stacked item list: block j owns `start[j]..start[j+1]`.
    pub(crate) start: Vec<usize>,
    /// `pred[j]`: predecessors of construct j (sorted).
    pub(crate) pred: Vec<Vec<usize>>,
    /// `succ[j]`: successors of construct j (sorted).
    pub(crate) succ: Vec<Vec<usize>>,
    /// Paths in the user's order, as index pairs.
    pub(crate) paths: Vec<(usize, usize)>,
    /// A topological order of the constructs.
    pub(crate) topo: Vec<usize>,
}

impl Spec {
    pub(crate) fn new(model: &PlsModel) -> Result<Spec> {
        if model.blocks.is_empty() {
            return Err(Error::Empty {
                what: "PLS model blocks".into(),
            });
        }
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut item_owner: HashMap<&str, &str> = HashMap::new();
        let mut start = vec![0];
        for (j, b) in model.blocks.iter().enumerate() {
            if index.insert(b.construct.as_str(), j).is_some() {
                return Err(Error::DuplicateName {
                    what: "construct".into(),
                    name: b.construct.clone(),
                });
            }
            if b.items.is_empty() {
                return Err(Error::input(
                    "measurement model",
                    format!("block `{}` has no items", b.construct),
                ));
            }
            for item in &b.items {
                if let Some(owner) = item_owner.insert(item.as_str(), b.construct.as_str()) {
                    if owner == b.construct {
                        return Err(Error::DuplicateName {
                            what: format!("item in block `{}`", b.construct),
                            name: item.clone(),
                        });
                    }
                    return Err(Error::input(
                        "measurement model",
                        format!(
                            "item `{item}` is in two blocks, `{owner}` and `{}`",
                            b.construct
                        ),
                    ));
                }
            }
            start.push(start[j] + b.items.len());
        }
        let k = model.blocks.len();
        let mut pred = vec![Vec::new(); k];
        let mut succ = vec![Vec::new(); k];
        let mut paths = Vec::with_capacity(model.paths.len());
        for (from, to) in &model.paths {
            let lookup = |name: &String| {
                index
                    .get(name.as_str())
                    .copied()
                    .ok_or_else(|| Error::UnknownName {
                        what: "construct in structural path".into(),
                        name: name.clone(),
                    })
            };
            let (f, t) = (lookup(from)?, lookup(to)?);
            if f == t {
                return Err(Error::input(
                    "structural model",
                    format!("self-loop `{from} -> {to}`"),
                ));
            }
            if paths.contains(&(f, t)) {
                return Err(Error::DuplicateName {
                    what: "structural path".into(),
                    name: format!("{from} -> {to}"),
                });
            }
            paths.push((f, t));
            pred[t].push(f);
            succ[f].push(t);
        }
        for list in pred.iter_mut().chain(succ.iter_mut()) {
            list.sort_unstable();
        }
        let names: Vec<String> = model.blocks.iter().map(|b| b.construct.clone()).collect();
        let topo = topological_order(&succ, &names)?;
        if k > 1 || !paths.is_empty() {
            for j in 0..k {
                if pred[j].is_empty() && succ[j].is_empty() {
                    return Err(Error::input(
                        "structural model",
                        format!(
                            "construct `{}` has no structural path, so its inner estimate is undefined",
                            names[j]
                        ),
                    ));
                }
            }
        }
        if k == 1 {
            return Err(Error::input(
                "structural model",
                "a PLS path model needs at least two constructs joined by a path",
            ));
        }
        Ok(Spec {
            constructs: names,
            modes: model.blocks.iter().map(|b| b.mode).collect(),
            items: model.blocks.iter().map(|b| b.items.clone()).collect(),
            start,
            pred,
            succ,
            paths,
            topo,
        })
    }

    pub(crate) fn k(&self) -> usize {
        self.constructs.len()
    }

    pub(crate) fn p(&self) -> usize {
        self.start[self.k()]
    }

    pub(crate) fn block(&self, j: usize) -> std::ops::Range<usize> {
        self.start[j]..self.start[j + 1]
    }

    /// Construct owning stacked item `i`.
    pub(crate) fn owner(&self, i: usize) -> usize {
        self.start.partition_point(|&s| s <= i) - 1
    }

    pub(crate) fn item_names(&self) -> Vec<String> {
        self.items.iter().flatten().cloned().collect()
    }

    /// Endogenous constructs (with at least one predecessor), in block order.
    pub(crate) fn endogenous(&self) -> Vec<usize> {
        (0..self.k())
            .filter(|&j| !self.pred[j].is_empty())
            .collect()
    }
}

/// Kahn's algorithm; on a cycle, walk predecessors among the remaining nodes to print it.
fn topological_order(succ: &[Vec<usize>], names: &[String]) -> Result<Vec<usize>> {
    let k = succ.len();
    let mut indeg = vec![0usize; k];
    for s in succ {
        for &t in s {
            indeg[t] += 1;
        }
    }
    let mut queue: Vec<usize> = (0..k).filter(|&j| indeg[j] == 0).collect();
    let mut order = Vec::with_capacity(k);
    while let Some(j) = queue.pop() {
        order.push(j);
        for &t in &succ[j] {
            indeg[t] -= 1;
            if indeg[t] == 0 {
                queue.push(t);
            }
        }
    }
    if order.len() == k {
        return Ok(order);
    }
    // Every remaining node lies on or downstream of a cycle; follow successors that are
    // still remaining until a node repeats.
    let remaining: Vec<bool> = (0..k).map(|j| indeg[j] > 0).collect();
    let mut node = (0..k).find(|&j| remaining[j]).unwrap_or(0);
    let mut seen = vec![usize::MAX; k];
    let mut walk = Vec::new();
    while seen[node] == usize::MAX {
        seen[node] = walk.len();
        walk.push(node);
        node = succ[node]
            .iter()
            .copied()
            .find(|&t| remaining[t])
            .unwrap_or(node);
    }
    let cycle: Vec<&str> = walk[seen[node]..]
        .iter()
        .chain(std::iter::once(&node))
        .map(|&j| names[j].as_str())
        .collect();
    Err(Error::input(
        "structural model",
        format!("the paths form a cycle: {}", cycle.join(" -> ")),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two() -> PlsModel {
        PlsModel::new()
            .reflective("A", &["a1", "a2"])
            .reflective("B", &["b1"])
    }

    #[test]
    fn valid_model_has_index_form() {
        let m = two()
            .reflective("C", &["c1", "c2", "c3"])
            .path("A", "B")
            .path("B", "C")
            .path("A", "C");
        let s = Spec::new(&m).unwrap();
        assert_eq!(s.start, vec![0, 2, 3, 6]);
        assert_eq!(s.pred[2], vec![0, 1]);
        assert_eq!(s.owner(0), 0);
        assert_eq!(s.owner(2), 1);
        assert_eq!(s.owner(5), 2);
        assert_eq!(s.endogenous(), vec![1, 2]);
    }

    #[test]
    fn errors_name_the_problem() {
        let e = two().path("A", "B").path("B", "A").validate().unwrap_err();
        assert!(
            e.to_string().contains("cycle: A -> B -> A")
                || e.to_string().contains("cycle: B -> A -> B"),
            "{e}"
        );
        let e = two().path("A", "Z").validate().unwrap_err();
        assert_eq!(e.to_string(), "unknown construct in structural path `Z`");
        let e = two()
            .reflective("C", &[] as &[&str])
            .path("A", "B")
            .validate()
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid measurement model: block `C` has no items"
        );
        let e = two()
            .reflective("C", &["a2"])
            .path("A", "B")
            .validate()
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid measurement model: item `a2` is in two blocks, `A` and `C`"
        );
        let e = two().validate().unwrap_err();
        assert!(e.to_string().contains("`A` has no structural path"), "{e}");
        let e = two().path("A", "A").validate().unwrap_err();
        assert!(e.to_string().contains("self-loop"), "{e}");
    }
}
