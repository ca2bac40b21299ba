//! Random consistency index (RI) tables for the AHP consistency ratio.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// A table of random consistency indices `RI(n)`, used in `CR = CI/RI(n)`.
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
/// | `DoneganDodd1991` | 1..100 | .4914 .8286 1.0591 1.1797 1.2519 1.3171 1.3733 1.4055, ... |
/// | `AlonsoLamata2006` | 1..15 | .5245 .8815 1.1086 1.2479 1.3417 1.4056 1.4499 1.4854, ... |
/// | `TummalaLing1998` | 1..15 | .5799 .8921 1.1159 1.2358 1.3322 1.3952 1.4537 1.4882, ... |
/// | `ChineseTextbook` | 1..15 | .52 .89 1.12 1.26 1.36 1.41 1.46 1.49, 1.52 1.54 1.56 1.58 1.59 |
/// | `Custom` | 1..N | the caller's own, see [`RandomIndex::custom`] |
///
/// **Default: `Saaty1980`.** It is the table of the method's author in the book that
/// defined the consistency ratio, the one most theses in the field cite, and it is
/// reproduced identically by most codes for n ≤ 10; beyond 10 its extensions disagree
/// (pyDecision even has a non-monotone 1.48 at n = 12), so the default refuses n > 10
/// with an error instead of picking one silently. Choose an extension or another
/// table for larger matrices.
///
/// **Donegan & Dodd beyond n = 15.** Donegan & Dodd (1991) also published RI for
/// n = 16..20, 25, 30, 40, 50, ..., 100 (16: 1.5078, 17: 1.5153, 18: 1.5262,
/// 19: 1.5313, 20: 1.5371, 25: 1.5619, 30: 1.5772, 40: 1.5976, 50: 1.6102, 60: 1.6178,
/// 70: 1.6237, 80: 1.6277, 90: 1.6213, 100: 1.6339, as tabulated by AHPy 2.1). Between
/// two published orders, e.g. n = 22, `RI` is **interpolated linearly** between the
/// neighbours (20 and 25), as AHPy does; [`RandomIndex::interpolation`] returns the
/// neighbours and every AHP result prints them. The value for n = 90 is below the one for
/// n = 80; it is kept as tabulated (a simulation's noise or a transcription slip — we
/// could not check the paper), so the results agree with AHPy's.
///
/// **Your own table.** [`RandomIndex::custom`] takes a name and `RI(1..=N)`, e.g. from your
/// own simulation of random reciprocal matrices (as R `ahpsurvey::ahp.ri` produces), and
/// validates it; the name is printed like a built-in table's.
///
/// # Example
///
/// ```
/// use crm_analytics::weights::RandomIndex;
///
/// assert_eq!(RandomIndex::Saaty1980.value(7), Some(1.32));
/// assert_eq!(RandomIndex::Saaty1980.value(11), None);
/// assert_eq!(RandomIndex::DoneganDodd1991.value(15), Some(1.4969));
/// // n = 22 lies between the published n = 20 (1.5371) and n = 25 (1.5619).
/// let ri = RandomIndex::DoneganDodd1991.value(22).unwrap_or_default();
/// assert!((ri - (1.5371 + 2.0 / 5.0 * (1.5619 - 1.5371))).abs() < 1e-12);
/// assert_eq!(RandomIndex::DoneganDodd1991.interpolation(22), Some((20, 25)));
/// # Ok::<(), crm_analytics::Error>(())
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
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
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
    /// Donegan & Dodd (1991) (AHPy's default `"dd"`), n = 1..100, interpolated linearly
    /// between the published orders above 20.
    DoneganDodd1991,
    /// Alonso & Lamata (2006), 100,000 random matrices.
    AlonsoLamata2006,
    /// Tummala & Ling (1998) (pymcdm).
    TummalaLing1998,
    /// The table used throughout Chinese AHP textbooks and theses.
    ChineseTextbook,
    /// A caller-supplied table, built and validated by [`RandomIndex::custom`].
    Custom(CustomRandomIndex),
}

/// A caller-supplied random-index table: a name and `RI(n)` for `n = 1..=N`.
///
/// Built by [`CustomRandomIndex::new`] (or [`RandomIndex::custom`]), which validates it;
/// deserialising runs the same checks. Cloning is cheap (the values are shared).
///
/// # Example
///
/// ```
/// use crm_analytics::weights::CustomRandomIndex;
///
/// let t = CustomRandomIndex::new("my simulation", &[0.0, 0.0, 0.53, 0.88])?;
/// assert_eq!(t.name(), "my simulation");
/// assert_eq!(t.values()[2], 0.53);
/// assert!(CustomRandomIndex::new("bad", &[0.0, 0.0, -0.5]).is_err());
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawTable", into = "RawTable")]
pub struct CustomRandomIndex {
    name: Arc<str>,
    values: Arc<[f64]>,
}

/// The serialised form of a [`CustomRandomIndex`] (validated on the way in).
#[derive(Clone, Serialize, Deserialize)]
struct RawTable {
    name: String,
    values: Vec<f64>,
}

impl TryFrom<RawTable> for CustomRandomIndex {
    type Error = Error;
    fn try_from(raw: RawTable) -> Result<Self> {
        CustomRandomIndex::new(raw.name, &raw.values)
    }
}

impl From<CustomRandomIndex> for RawTable {
    fn from(t: CustomRandomIndex) -> Self {
        RawTable {
            name: t.name.to_string(),
            values: t.values.to_vec(),
        }
    }
}

impl CustomRandomIndex {
    /// A table named `name` with `values[k] = RI(k + 1)`, `k = 0..N`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an empty (or blank) name or fewer than 3 values (a table
    /// must reach n = 3, the first order with a consistency ratio);
    /// [`Error::InvalidValue`] naming the order `n` of the first bad entry: `RI(1)` and
    /// `RI(2)` must be 0 (every 1x1 and 2x2 reciprocal matrix is consistent), and
    /// `RI(n)` for `n ≥ 3` must be finite and > 0.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::weights::CustomRandomIndex;
    ///
    /// let e = CustomRandomIndex::new("sim", &[0.0, 0.0, 0.52, f64::NAN]).unwrap_err();
    /// assert_eq!(
    ///     e.to_string(),
    ///     "custom random-index table `sim` at n = 4 must be finite and > 0, got NaN"
    /// );
    /// ```
    pub fn new(name: impl Into<String>, values: &[f64]) -> Result<Self> {
        let name: String = name.into();
        if name.trim().is_empty() {
            return Err(Error::input(
                "custom random-index table",
                "the name is empty; it is printed with every consistency ratio",
            ));
        }
        let what = || format!("custom random-index table `{name}`");
        if values.len() < 3 {
            return Err(Error::input(
                what(),
                format!(
                    "needs RI(n) for n = 1..N with N >= 3, got {} values",
                    values.len()
                ),
            ));
        }
        for (k, &v) in values.iter().enumerate() {
            let n = k + 1;
            let (ok, expected) = if n <= 2 {
                (
                    v == 0.0,
                    "0 (every 1x1 and 2x2 reciprocal matrix is consistent)",
                )
            } else {
                (v.is_finite() && v > 0.0, "finite and > 0")
            };
            if !ok {
                return Err(Error::InvalidValue {
                    what: what(),
                    location: format!("n = {n}"),
                    value: v,
                    expected: expected.into(),
                });
            }
        }
        Ok(CustomRandomIndex {
            name: name.into(),
            values: values.into(),
        })
    }

    /// The name printed with the consistency ratio.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::weights::CustomRandomIndex;
    ///
    /// assert_eq!(CustomRandomIndex::new("sim", &[0.0, 0.0, 0.5])?.name(), "sim");
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `RI(n)` for `n = 1..=N` (`values()[n - 1]`).
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::weights::CustomRandomIndex;
    ///
    /// let t = CustomRandomIndex::new("sim", &[0.0, 0.0, 0.5])?;
    /// assert_eq!(t.values(), &[0.0, 0.0, 0.5]);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn values(&self) -> &[f64] {
        &self.values
    }
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
/// Donegan & Dodd (1991) beyond n = 15: (n, RI) at the published orders, increasing n.
const DONEGAN_DODD_LARGE: [(usize, f64); 14] = [
    (16, 1.5078),
    (17, 1.5153),
    (18, 1.5262),
    (19, 1.5313),
    (20, 1.5371),
    (25, 1.5619),
    (30, 1.5772),
    (40, 1.5976),
    (50, 1.6102),
    (60, 1.6178),
    (70, 1.6237),
    (80, 1.6277),
    (90, 1.6213),
    (100, 1.6339),
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

/// Where `n` falls in the Donegan & Dodd large-n list: `Ok(i)` at a published order,
/// `Err(i)` strictly between entries `i - 1` and `i`. Only called for 15 < n ≤ 100.
fn dd_position(n: usize) -> std::result::Result<usize, usize> {
    DONEGAN_DODD_LARGE.binary_search_by_key(&n, |&(m, _)| m)
}

impl RandomIndex {
    /// Every built-in table, in declaration order (not `Custom`).
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

    /// A caller-supplied table: `values[k] = RI(k + 1)`; see [`CustomRandomIndex::new`].
    ///
    /// # Errors
    /// As [`CustomRandomIndex::new`]: the message names the bad entry's order `n`.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::weights::{Ahp, RandomIndex};
    ///
    /// let sim = RandomIndex::custom("own simulation, 10^5 draws", &[0.0, 0.0, 0.525])?;
    /// let fit = Ahp::new()
    ///     .random_index(sim)
    ///     .weigh_upper_triangle(3, &[3.0, 5.0, 2.0])?;
    /// assert_eq!(fit.random_index_value(), Some(0.525));
    /// assert!(fit.to_string().contains("own simulation, 10^5 draws"));
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn custom(name: impl Into<String>, values: &[f64]) -> Result<RandomIndex> {
        CustomRandomIndex::new(name, values).map(RandomIndex::Custom)
    }

    /// `RI(n)`, or `None` if the table does not cover `n` (or `n == 0`). For
    /// `DoneganDodd1991` between published orders above 20 the value is interpolated
    /// linearly ([`RandomIndex::interpolation`] names the neighbours).
    #[must_use]
    pub fn value(&self, n: usize) -> Option<f64> {
        if n == 0 {
            return None;
        }
        let i = n - 1;
        match self {
            RandomIndex::Saaty1980 => SAATY_1980.get(i).copied(),
            RandomIndex::Saaty1980ExtCommon => SAATY_1980
                .get(i)
                .or_else(|| EXT_COMMON.get(i - 10))
                .copied(),
            RandomIndex::Saaty1980ExtPyDecision => SAATY_1980
                .get(i)
                .or_else(|| EXT_PYDECISION.get(i - 10))
                .copied(),
            RandomIndex::Saaty2005 => SAATY_2005.get(i).copied(),
            RandomIndex::DoneganDodd1991 => {
                if let Some(&v) = DONEGAN_DODD.get(i) {
                    return Some(v);
                }
                match dd_position(n) {
                    Ok(k) => Some(DONEGAN_DODD_LARGE[k].1),
                    Err(k) if k > 0 && k < DONEGAN_DODD_LARGE.len() => {
                        let (n0, r0) = DONEGAN_DODD_LARGE[k - 1];
                        let (n1, r1) = DONEGAN_DODD_LARGE[k];
                        let t = (n - n0) as f64 / (n1 - n0) as f64;
                        Some(r0 + t * (r1 - r0))
                    }
                    Err(_) => None,
                }
            }
            RandomIndex::AlonsoLamata2006 => ALONSO_LAMATA.get(i).copied(),
            RandomIndex::TummalaLing1998 => TUMMALA_LING.get(i).copied(),
            RandomIndex::ChineseTextbook => CHINESE.get(i).copied(),
            RandomIndex::Custom(t) => t.values.get(i).copied(),
        }
    }

    /// The published orders `(n0, n1)` that `RI(n)` is interpolated between, or `None`
    /// when `n` is tabulated (or not covered). Only `DoneganDodd1991` interpolates, for
    /// 20 < n < 100 off its published orders.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::weights::RandomIndex;
    ///
    /// assert_eq!(RandomIndex::DoneganDodd1991.interpolation(45), Some((40, 50)));
    /// assert_eq!(RandomIndex::DoneganDodd1991.interpolation(40), None);
    /// assert_eq!(RandomIndex::Saaty2005.interpolation(7), None);
    /// ```
    #[must_use]
    pub fn interpolation(&self, n: usize) -> Option<(usize, usize)> {
        if !matches!(self, RandomIndex::DoneganDodd1991) || n <= DONEGAN_DODD.len() {
            return None;
        }
        match dd_position(n) {
            Err(k) if k > 0 && k < DONEGAN_DODD_LARGE.len() => {
                Some((DONEGAN_DODD_LARGE[k - 1].0, DONEGAN_DODD_LARGE[k].0))
            }
            _ => None,
        }
    }

    /// Largest `n` the table covers.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::weights::RandomIndex;
    ///
    /// assert_eq!(RandomIndex::Saaty1980.max_order(), 10);
    /// assert_eq!(RandomIndex::DoneganDodd1991.max_order(), 100);
    /// assert_eq!(RandomIndex::custom("sim", &[0.0, 0.0, 0.5])?.max_order(), 3);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn max_order(&self) -> usize {
        match self {
            RandomIndex::Saaty1980 => 10,
            RandomIndex::DoneganDodd1991 => 100,
            RandomIndex::Custom(t) => t.values.len(),
            _ => 15,
        }
    }

    /// `RI(n)` for a matrix of order `n ≥ 1`, or an error that says which tables cover it.
    ///
    /// # Errors
    /// [`Error::LimitExceeded`] if the table stops below `n`, naming `n`, the table and
    /// its largest order, and suggesting a built-in table that covers `n` or
    /// [`RandomIndex::custom`]; [`Error::InvalidInput`] for `n = 0`.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::weights::RandomIndex;
    ///
    /// assert_eq!(RandomIndex::Saaty1980.try_value(3)?, 0.58);
    /// let e = RandomIndex::Saaty1980.try_value(12).unwrap_err();
    /// assert!(e.to_string().contains("Saaty (1980)"));
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn try_value(&self, n: usize) -> Result<f64> {
        if n == 0 {
            return Err(Error::input(
                "matrix order for the random index",
                "n must be at least 1",
            ));
        }
        self.value(n).ok_or_else(|| self.not_covered(n))
    }

    fn not_covered(&self, n: usize) -> Error {
        let covering: Vec<String> = RandomIndex::ALL
            .iter()
            .filter(|t| t.max_order() >= n)
            .map(|t| format!("RandomIndex::{t:?}"))
            .collect();
        let suggestion = if covering.is_empty() {
            format!(
                "no built-in table covers n = {n}: supply RI(1..={n}), e.g. from your own \
                 simulation, with RandomIndex::custom"
            )
        } else {
            format!(
                "choose a table that covers n = {n} ({}) or supply your own with \
                 RandomIndex::custom",
                covering.join(", ")
            )
        };
        Error::LimitExceeded {
            what: format!("matrix order n for the random-index table {self}"),
            limit: self.max_order(),
            got: n,
            suggestion,
        }
    }
}

impl fmt::Display for RandomIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RandomIndex::Custom(t) => f.pad(&format!("{} (caller-supplied)", t.name)),
            _ => f.pad(match self {
                RandomIndex::Saaty1980 => "Saaty (1980)",
                RandomIndex::Saaty1980ExtCommon => "Saaty (1980), common n=11..15 extension",
                RandomIndex::Saaty1980ExtPyDecision => {
                    "Saaty (1980), pyDecision n=11..15 extension"
                }
                RandomIndex::Saaty2005 => "Saaty (2005)",
                RandomIndex::DoneganDodd1991 => "Donegan & Dodd (1991)",
                RandomIndex::AlonsoLamata2006 => "Alonso & Lamata (2006)",
                RandomIndex::TummalaLing1998 => "Tummala & Ling (1998)",
                _ => "Chinese textbook table",
            }),
        }
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn donegan_dodd_interpolates_between_published_orders() {
        // n = 22: 1.5371 + (22 - 20)/(25 - 20)·(1.5619 - 1.5371) = 1.5371 + 0.4·0.0248 = 1.54702
        let v = RandomIndex::DoneganDodd1991.value(22).unwrap();
        assert!((v - 1.54702).abs() < 1e-12);
        // n = 95: 1.6213 + 0.5·(1.6339 - 1.6213) = 1.6276
        let v = RandomIndex::DoneganDodd1991.value(95).unwrap();
        assert!((v - 1.6276).abs() < 1e-12);
        assert_eq!(RandomIndex::DoneganDodd1991.value(16), Some(1.5078));
        assert_eq!(RandomIndex::DoneganDodd1991.value(100), Some(1.6339));
        assert_eq!(RandomIndex::DoneganDodd1991.value(101), None);
        assert_eq!(RandomIndex::DoneganDodd1991.interpolation(16), None);
        assert_eq!(
            RandomIndex::DoneganDodd1991.interpolation(99),
            Some((90, 100))
        );
        assert_eq!(RandomIndex::DoneganDodd1991.interpolation(101), None);
        assert_eq!(RandomIndex::Saaty2005.value(16), None);
    }

    #[test]
    fn custom_table_is_validated_by_order() {
        let e = RandomIndex::custom("sim", &[0.0, 0.0, 0.5, f64::NAN]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "custom random-index table `sim` at n = 4 must be finite and > 0, got NaN"
        );
        let e = RandomIndex::custom("sim", &[0.0, 0.1, 0.5]).unwrap_err();
        assert!(e.to_string().contains("at n = 2 must be 0"));
        assert!(RandomIndex::custom("sim", &[0.0, 0.0]).is_err());
        assert!(RandomIndex::custom(" ", &[0.0, 0.0, 0.5]).is_err());
        let t = RandomIndex::custom("sim", &[0.0, 0.0, 0.5]).unwrap();
        assert_eq!(t.value(3), Some(0.5));
        assert_eq!(t.max_order(), 3);
        assert_eq!(t.to_string(), "sim (caller-supplied)");
    }

    #[test]
    fn custom_table_round_trips_through_serde_and_is_revalidated() {
        let t = RandomIndex::custom("sim", &[0.0, 0.0, 0.5]).unwrap();
        let s = serde_json::to_string(&t).unwrap();
        assert_eq!(s, r#"{"Custom":{"name":"sim","values":[0.0,0.0,0.5]}}"#);
        assert_eq!(serde_json::from_str::<RandomIndex>(&s).unwrap(), t);
        let bad = r#"{"Custom":{"name":"sim","values":[0.0,0.0,-0.5]}}"#;
        let e = serde_json::from_str::<RandomIndex>(bad).unwrap_err();
        assert!(e.to_string().contains("at n = 3"));
        let s = serde_json::to_string(&RandomIndex::Saaty2005).unwrap();
        assert_eq!(s, r#""Saaty2005""#);
    }

    #[test]
    fn beyond_the_table_names_n_table_and_max() {
        let e = RandomIndex::Saaty1980.try_value(11).unwrap_err();
        assert_eq!(
            e.to_string(),
            "matrix order n for the random-index table Saaty (1980): 11 exceeds the limit \
             of 10; choose a table that covers n = 11 (RandomIndex::Saaty1980ExtCommon, \
             RandomIndex::Saaty1980ExtPyDecision, RandomIndex::Saaty2005, \
             RandomIndex::DoneganDodd1991, RandomIndex::AlonsoLamata2006, \
             RandomIndex::TummalaLing1998, RandomIndex::ChineseTextbook) or supply your own \
             with RandomIndex::custom"
        );
        let e = RandomIndex::Saaty2005.try_value(16).unwrap_err();
        assert!(e.to_string().contains(
            "Saaty (2005): 16 exceeds the limit of 15; choose a table that covers n = 16 \
             (RandomIndex::DoneganDodd1991)"
        ));
        let e = RandomIndex::DoneganDodd1991.try_value(101).unwrap_err();
        assert!(e.to_string().contains("no built-in table covers n = 101"));
    }
}
