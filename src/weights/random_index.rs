//! Random consistency index (RI) tables for the AHP consistency ratio.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A published table of random consistency indices `RI(n)`, used in `CR = CI/RI(n)`.
///
/// Sources disagree (MODELS.md §2.1), so the table is an option and its name is
/// printed with every consistency ratio. Every table has `RI(1) = RI(2) = 0`.
///
/// | variant | n | values n = 3..10 (then 11..15) |
/// |---|---|---|
/// | `Saaty1980` (default) | 1..10 | .58 .90 1.12 1.24 1.32 1.41 1.45 1.49 |
/// | `Saaty1980ExtCommon` | 1..15 | Saaty 1980, then 1.51 1.54 1.56 1.58 1.59 |
/// | `Saaty1980ExtPyDecision` | 1..15 | Saaty 1980, then 1.51 1.48 1.56 1.57 1.59 |
/// | `Saaty2005` | 1..15 | .52 .89 1.11 1.25 1.35 1.40 1.45 1.49, 1.52 1.54 1.56 1.58 1.59 |
/// | `DoneganDodd1991` | 1..15 | .4914 .8286 1.0591 1.1797 1.2519 1.3171 1.3733 1.4055, ... |
/// | `AlonsoLamata2006` | 1..15 | .5245 .8815 1.1086 1.2479 1.3417 1.4056 1.4499 1.4854, ... |
/// | `TummalaLing1998` | 1..15 | .5799 .8921 1.1159 1.2358 1.3322 1.3952 1.4537 1.4882, ... |
/// | `ChineseTextbook` | 1..15 | .52 .89 1.12 1.26 1.36 1.41 1.46 1.49, 1.52 1.54 1.56 1.58 1.59 |
///
/// **Default: `Saaty1980`.** It is the table of the method's author in the book that
/// defined the consistency ratio, the one most theses in the field cite, and it is
/// reproduced identically by most codes for n ≤ 10; beyond 10 its extensions disagree
/// (pyDecision even has a non-monotone 1.48 at n = 12), so the default refuses n > 10
/// with an error instead of picking one silently. Choose an extension or another
/// table for larger matrices.
///
/// # Example
///
/// ```
/// use crm_analytics::weights::RandomIndex;
///
/// assert_eq!(RandomIndex::Saaty1980.value(7), Some(1.32));
/// assert_eq!(RandomIndex::Saaty1980.value(11), None);
/// assert_eq!(RandomIndex::DoneganDodd1991.value(15), Some(1.4969));
/// ```
///
/// # References
/// - Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill.
/// - Saaty, T. L. (2005). *Theory and Applications of the Analytic Network Process*, p. 31.
/// - Donegan, H. A. & Dodd, F. J. (1991). A note on Saaty's random indexes. *Math.
///   Comput. Modelling* 15(10), 135-137.
/// - Alonso, J. A. & Lamata, M. T. (2006). Consistency in the analytic hierarchy process:
///   a new approach. *IJUFKS* 14(4), 445-459.
/// - Tummala, V. M. R. & Ling, H. (1998). *Theory and Decision* 44(3), 221-230.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum RandomIndex {
    /// Saaty (1980), n = 1..10.
    #[default]
    Saaty1980,
    /// Saaty (1980) with the n = 11..15 extension common in textbook codes.
    Saaty1980ExtCommon,
    /// Saaty (1980) with pyDecision 5.1.8's n = 11..15 extension (1.48 at n = 12).
    Saaty1980ExtPyDecision,
    /// Saaty (2005), ANP book p. 31 (AHPy `random_index="saaty"`).
    Saaty2005,
    /// Donegan & Dodd (1991) (AHPy's default `"dd"`).
    DoneganDodd1991,
    /// Alonso & Lamata (2006), 100,000 random matrices.
    AlonsoLamata2006,
    /// Tummala & Ling (1998) (pymcdm).
    TummalaLing1998,
    /// The table used throughout Chinese AHP textbooks and theses.
    ChineseTextbook,
}

const SAATY_1980: [f64; 10] = [0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49];
const EXT_COMMON: [f64; 5] = [1.51, 1.54, 1.56, 1.58, 1.59];
const EXT_PYDECISION: [f64; 5] = [1.51, 1.48, 1.56, 1.57, 1.59];
const SAATY_2005: [f64; 15] = [
    0.0, 0.0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59,
];
const DONEGAN_DODD: [f64; 15] = [
    0.0, 0.0, 0.4914, 0.8286, 1.0591, 1.1797, 1.2519, 1.3171, 1.3733, 1.4055, 1.4213, 1.4497,
    1.4643, 1.4822, 1.4969,
];
const ALONSO_LAMATA: [f64; 15] = [
    0.0, 0.0, 0.5245, 0.8815, 1.1086, 1.2479, 1.3417, 1.4056, 1.4499, 1.4854, 1.5141, 1.5365,
    1.5551, 1.5713, 1.5838,
];
const TUMMALA_LING: [f64; 15] = [
    0.0, 0.0, 0.5799, 0.8921, 1.1159, 1.2358, 1.3322, 1.3952, 1.4537, 1.4882, 1.5117, 1.5356,
    1.5571, 1.5714, 1.5831,
];
const CHINESE: [f64; 15] = [
    0.0, 0.0, 0.52, 0.89, 1.12, 1.26, 1.36, 1.41, 1.46, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59,
];

impl RandomIndex {
    /// Every table, in declaration order.
    pub const ALL: [RandomIndex; 8] = [
        RandomIndex::Saaty1980,
        RandomIndex::Saaty1980ExtCommon,
        RandomIndex::Saaty1980ExtPyDecision,
        RandomIndex::Saaty2005,
        RandomIndex::DoneganDodd1991,
        RandomIndex::AlonsoLamata2006,
        RandomIndex::TummalaLing1998,
        RandomIndex::ChineseTextbook,
    ];

    /// `RI(n)`, or `None` if the table does not cover `n` (or `n == 0`).
    #[must_use]
    pub fn value(self, n: usize) -> Option<f64> {
        if n == 0 {
            return None;
        }
        let i = n - 1;
        match self {
            RandomIndex::Saaty1980 => SAATY_1980.get(i).copied(),
            RandomIndex::Saaty1980ExtCommon => {
                SAATY_1980.get(i).or_else(|| EXT_COMMON.get(i - 10)).copied()
            }
            RandomIndex::Saaty1980ExtPyDecision => SAATY_1980
                .get(i)
                .or_else(|| EXT_PYDECISION.get(i - 10))
                .copied(),
            RandomIndex::Saaty2005 => SAATY_2005.get(i).copied(),
            RandomIndex::DoneganDodd1991 => DONEGAN_DODD.get(i).copied(),
            RandomIndex::AlonsoLamata2006 => ALONSO_LAMATA.get(i).copied(),
            RandomIndex::TummalaLing1998 => TUMMALA_LING.get(i).copied(),
            RandomIndex::ChineseTextbook => CHINESE.get(i).copied(),
        }
    }

    /// Largest `n` the table covers.
    #[must_use]
    pub fn max_order(self) -> usize {
        match self {
            RandomIndex::Saaty1980 => 10,
            _ => 15,
        }
    }
}

impl fmt::Display for RandomIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            RandomIndex::Saaty1980 => "Saaty (1980)",
            RandomIndex::Saaty1980ExtCommon => "Saaty (1980), common n=11..15 extension",
            RandomIndex::Saaty1980ExtPyDecision => "Saaty (1980), pyDecision n=11..15 extension",
            RandomIndex::Saaty2005 => "Saaty (2005)",
            RandomIndex::DoneganDodd1991 => "Donegan & Dodd (1991)",
            RandomIndex::AlonsoLamata2006 => "Alonso & Lamata (2006)",
            RandomIndex::TummalaLing1998 => "Tummala & Ling (1998)",
            RandomIndex::ChineseTextbook => "Chinese textbook table",
        })
    }
}
