//! The log-rank test and its weighted family (Gehan-Breslow-Wilcoxon, Tarone-Ware,
//! Fleming-Harrington), for two or more groups, optionally stratified.

use std::collections::BTreeMap;
use std::fmt;

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

use super::data::{Tab, check_durations_events, chi2_sf, fmt_p, tabulate};
use crate::{Error, Result, validate};

/// The weight `w(t)` given to each event time.
///
/// # Formula
///
/// ```text
/// LogRank:                 w = 1
/// Wilcoxon (Gehan-Breslow): w = n(t)             (number at risk, pooled)
/// TaroneWare:              w = sqrt(n(t))
/// FlemingHarrington(p, q): w = S(t-)^p (1 - S(t-))^q, S the pooled Kaplan-Meier curve
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum LogRankWeight {
    /// Mantel-Haenszel log-rank test (R `survdiff(rho = 0)`). The default.
    #[default]
    LogRank,
    /// Gehan-Breslow generalised Wilcoxon: early differences weigh more.
    Wilcoxon,
    /// Tarone-Ware: between log-rank and Wilcoxon.
    TaroneWare,
    /// Fleming-Harrington G(p, q); `p = 1, q = 0` is the Peto-Peto-like test of R `survdiff(rho = 1)`.
    FlemingHarrington {
        /// Exponent on `S(t-)`, >= 0.
        p: f64,
        /// Exponent on `1 - S(t-)`, >= 0.
        q: f64,
    },
}

/// Options of the (weighted) log-rank test.
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `weight` | [`LogRankWeight::LogRank`] | weight of each event time | any variant; FH exponents finite, >= 0 |
///
/// # Formula
///
/// ```text
/// at each event time t, for group j: e_j = n_j d / n
/// U_j  = sum w (d_j - e_j)
/// V_jk = sum w^2 d (n - d) / (n - 1) · (n_j / n) (δ_jk - n_k / n)
/// chi2 = U' V^-1 U over the first K - 1 groups, df = K - 1
/// ```
/// Stratified: U and V are summed over strata (risk sets are formed within a stratum).
///
/// # Example
///
/// ```
/// use crm_analytics::survival::LogRank;
///
/// let tenure = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
/// let churned = [1.0; 8];
/// let plan = ["prepaid", "prepaid", "prepaid", "postpaid", "prepaid", "postpaid", "postpaid", "postpaid"];
/// let test = LogRank::new().test(&tenure, &churned, &plan)?;
/// assert_eq!(test.df(), 1);
/// assert!(test.p_value() > 0.0 && test.p_value() < 1.0);
/// # Ok::<(), crm_analytics::Error>(())
/// ```
///
/// # References
///
/// Mantel, N. (1966). Cancer Chemotherapy Reports 50, 163-170. Gehan, E. A. (1965). Biometrika 52,
/// 203-223. Tarone, R. E. & Ware, J. (1977). Biometrika 64, 156-160. Harrington, D. P. & Fleming,
/// T. R. (1982). Biometrika 69, 553-566.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct LogRank {
    weight: LogRankWeight,
}

impl LogRank {
    /// The default options (unweighted log-rank).
    pub fn new() -> LogRank {
        LogRank::default()
    }

    /// The weight function.
    ///
    /// # Errors
    ///
    /// The test returns [`Error::InvalidOption`] on a negative or non-finite FH exponent.
    pub fn weight(mut self, weight: LogRankWeight) -> LogRank {
        self.weight = weight;
        self
    }

    /// The weight function.
    pub fn get_weight(&self) -> LogRankWeight {
        self.weight
    }

    /// Test equality of the survival curves of the groups named by `groups[i]`.
    ///
    /// # Errors
    ///
    /// As [`super::KaplanMeier::fit`] for the durations and events; [`Error::DimensionMismatch`]
    /// when `groups` has another length; [`Error::InvalidInput`] with fewer than two groups;
    /// [`Error::Singular`] when the variance matrix is singular (e.g. a group has nobody at
    /// risk at any event time).
    pub fn test<G: Ord + ToString>(
        &self,
        durations: &[f64],
        events: &[f64],
        groups: &[G],
    ) -> Result<LogRankTest> {
        let strata = vec![0u8; durations.len()];
        self.test_stratified(durations, events, groups, &strata)
    }

    /// Stratified test: risk sets are formed within each stratum and the statistics summed.
    ///
    /// # Errors
    ///
    /// As [`LogRank::test`], plus [`Error::DimensionMismatch`] when `strata` has another length.
    pub fn test_stratified<G: Ord + ToString, S: Ord>(
        &self,
        durations: &[f64],
        events: &[f64],
        groups: &[G],
        strata: &[S],
    ) -> Result<LogRankTest> {
        if let LogRankWeight::FlemingHarrington { p, q } = self.weight {
            validate::non_negative("p", p)?;
            validate::non_negative("q", q)?;
        }
        check_durations_events(durations, events)?;
        validate::same_len("`groups` (one per duration)", durations.len(), groups.len())?;
        validate::same_len("`strata` (one per duration)", durations.len(), strata.len())?;
        let (sorted, gidx) = index_labels(groups);
        let k = sorted.len();
        if k < 2 {
            return Err(Error::input(
                "groups",
                format!("the log-rank test needs at least 2 groups, found {k}"),
            ));
        }
        let (strata_labels, sidx) = index_labels(strata);
        let n_strata = strata_labels.len();
        let slot_of: Vec<u32> = sidx
            .iter()
            .zip(&gidx)
            .map(|(&si, &gi)| (si * k + gi) as u32)
            .collect();
        let tab = tabulate(
            durations,
            events,
            None,
            &|i| slot_of[i] as usize,
            n_strata * k,
        );
        let mut acc = Accum::new(k);
        for st in 0..n_strata {
            acc.stratum(&tab, st, self.weight);
        }
        let m = k - 1;
        let u = DVector::from_iterator(m, acc.u.iter().take(m).copied());
        let v = DMatrix::from_fn(m, m, |i, j| acc.v[i * k + j]);
        let chol = v.clone().cholesky().ok_or_else(|| Error::Singular {
            what: "log-rank variance matrix".into(),
            reason: "a group contributes no variance (nobody at risk at any event time?)".into(),
        })?;
        let chi_square = u.dot(&chol.solve(&u));
        let p_value = chi2_sf(chi_square, m as f64).unwrap_or(1.0);
        let mut n = vec![0.0; k];
        for &g in &gidx {
            n[g] += 1.0;
        }
        Ok(LogRankTest {
            weight: self.weight,
            groups: sorted.iter().map(|g| g.to_string()).collect(),
            n,
            observed: acc.o,
            expected: acc.e,
            statistic: acc.u,
            chi_square,
            df: m,
            p_value,
            n_strata,
        })
    }
}

/// Distinct labels in sorted order and each row's index into them. A short linear list
/// serves the usual handful of groups (faster than a tree lookup per row); many labels
/// fall back to a `BTreeMap`.
fn index_labels<G: Ord>(groups: &[G]) -> (Vec<&G>, Vec<usize>) {
    let mut seen: Vec<&G> = Vec::new();
    let mut raw: Vec<usize> = Vec::with_capacity(groups.len());
    let mut tree: Option<BTreeMap<&G, usize>> = None;
    for g in groups {
        let idx = if let Some(t) = tree.as_mut() {
            let next = t.len();
            *t.entry(g).or_insert(next)
        } else if let Some(i) = seen.iter().position(|x| *x == g) {
            i
        } else {
            seen.push(g);
            if seen.len() > 16 {
                tree = Some(seen.iter().enumerate().map(|(i, x)| (*x, i)).collect());
            }
            seen.len() - 1
        };
        raw.push(idx);
    }
    let discovered: Vec<&G> = match &tree {
        Some(t) => {
            let mut v: Vec<(&G, usize)> = t.iter().map(|(g, i)| (*g, *i)).collect();
            v.sort_by_key(|p| p.1);
            v.into_iter().map(|p| p.0).collect()
        }
        None => seen,
    };
    let mut order: Vec<usize> = (0..discovered.len()).collect();
    order.sort_by(|&a, &b| discovered[a].cmp(discovered[b]));
    let mut rank = vec![0; discovered.len()];
    for (r, &o) in order.iter().enumerate() {
        rank[o] = r;
    }
    let sorted = order.iter().map(|&o| discovered[o]).collect();
    (sorted, raw.into_iter().map(|i| rank[i]).collect())
}

struct Accum {
    k: usize,
    o: Vec<f64>,
    e: Vec<f64>,
    u: Vec<f64>,
    v: Vec<f64>,
}

impl Accum {
    fn new(k: usize) -> Accum {
        Accum {
            k,
            o: vec![0.0; k],
            e: vec![0.0; k],
            u: vec![0.0; k],
            v: vec![0.0; k * k],
        }
    }

    /// Accumulate one stratum: group j's events are column `2 (st k + j)` of `tab`.
    fn stratum(&mut self, tab: &Tab, st: usize, weight: LogRankWeight) {
        let k = self.k;
        let base = 2 * st * k;
        let mut nj = vec![0.0; k];
        for i in 0..tab.keys.len() {
            let row = tab.row(i);
            for j in 0..k {
                nj[j] += row[base + 2 * j] + row[base + 2 * j + 1];
            }
        }
        let mut n: f64 = nj.iter().sum();
        let mut dj = vec![0.0; k];
        let mut leaving = vec![0.0; k];
        let mut s_left: f64 = 1.0; // pooled KM S(t-)
        for i in 0..tab.keys.len() {
            let row = tab.row(i);
            for j in 0..k {
                dj[j] = row[base + 2 * j];
                leaving[j] = dj[j] + row[base + 2 * j + 1];
            }
            let d: f64 = dj.iter().sum();
            if d > 0.0 {
                let at_risk = &nj;
                let w = match weight {
                    LogRankWeight::LogRank => 1.0,
                    LogRankWeight::Wilcoxon => n,
                    LogRankWeight::TaroneWare => n.sqrt(),
                    LogRankWeight::FlemingHarrington { p, q } => {
                        s_left.powf(p) * (1.0 - s_left).powf(q)
                    }
                };
                let c = if n > 1.0 {
                    w * w * d * (n - d) / (n - 1.0) / n
                } else {
                    0.0
                };
                for a in 0..k {
                    let ea = at_risk[a] * d / n;
                    self.o[a] += dj[a];
                    self.e[a] += ea;
                    self.u[a] += w * (dj[a] - ea);
                    for b in 0..k {
                        let delta = if a == b { 1.0 } else { 0.0 };
                        self.v[a * k + b] += c * at_risk[a] * (delta - at_risk[b] / n);
                    }
                }
                s_left *= 1.0 - d / n;
            }
            for j in 0..k {
                nj[j] -= leaving[j];
                n -= leaving[j];
            }
        }
    }
}

/// The result of a (weighted, possibly stratified) log-rank test. Made by [`LogRank::test`].
#[derive(Debug, Clone, Serialize)]
#[must_use]
pub struct LogRankTest {
    weight: LogRankWeight,
    groups: Vec<String>,
    n: Vec<f64>,
    observed: Vec<f64>,
    expected: Vec<f64>,
    statistic: Vec<f64>,
    chi_square: f64,
    df: usize,
    p_value: f64,
    n_strata: usize,
}

impl LogRankTest {
    /// The weight used.
    pub fn weight(&self) -> LogRankWeight {
        self.weight
    }
    /// Group labels, sorted.
    pub fn groups(&self) -> &[String] {
        &self.groups
    }
    /// Customers per group.
    pub fn n(&self) -> &[f64] {
        &self.n
    }
    /// Observed events per group.
    pub fn observed(&self) -> &[f64] {
        &self.observed
    }
    /// Expected events per group under equal hazards (unweighted, as R `survdiff` prints).
    pub fn expected(&self) -> &[f64] {
        &self.expected
    }
    /// The weighted score `U_j = sum w (O - E)` per group.
    pub fn scores(&self) -> &[f64] {
        &self.statistic
    }
    /// The chi-square statistic.
    pub fn chi_square(&self) -> f64 {
        self.chi_square
    }
    /// Degrees of freedom (groups - 1).
    pub fn df(&self) -> usize {
        self.df
    }
    /// Upper-tail p value of the chi-square statistic.
    pub fn p_value(&self) -> f64 {
        self.p_value
    }
    /// Number of strata (1 when not stratified).
    pub fn n_strata(&self) -> usize {
        self.n_strata
    }
}

impl fmt::Display for LogRankTest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Log-rank test ({:?}), {} strat{}",
            self.weight,
            self.n_strata,
            if self.n_strata == 1 { "um" } else { "a" }
        )?;
        writeln!(
            f,
            "{:<24} {:>8} {:>10} {:>10} {:>10}",
            "group", "N", "Observed", "Expected", "(O-E)^2/E"
        )?;
        for i in 0..self.groups.len() {
            let (o, e) = (self.observed[i], self.expected[i]);
            writeln!(
                f,
                "{:<24} {:>8.0} {:>10.2} {:>10.2} {:>10.3}",
                self.groups[i],
                self.n[i],
                o,
                e,
                if e > 0.0 { (o - e).powi(2) / e } else { 0.0 }
            )?;
        }
        writeln!(
            f,
            "Chisq = {:.3} on {} degrees of freedom, p = {}",
            self.chi_square,
            self.df,
            fmt_p(Some(self.p_value))
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_group_hand_case() {
        // A: 1, 3 (events); B: 2, 4 (events)
        // t=1: n=4, nA=2, d=1, dA=1: e=0.5, U=+0.5, V = 1·1·3/3 /4 · 2 · (1 - 2/4) = 0.25
        // t=2: n=3, nA=1, d=1, dA=0: e=1/3, U=-1/3, V = (1·2/2)/3 · 1 · (2/3) = 2/9
        // t=3: n=2, nA=1, d=1, dA=1: e=0.5, U=+0.5, V = (1·1/1)/2 · 1 · 0.5 = 0.25
        // t=4: n=1: V=0, e=0
        // U = 2/3, V = 0.25 + 2/9 + 0.25 = 13/18; chi2 = (4/9)/(13/18) = 8/13
        let t = LogRank::new()
            .test(&[1.0, 3.0, 2.0, 4.0], &[1.0; 4], &["A", "A", "B", "B"])
            .unwrap();
        assert!((t.chi_square() - 8.0 / 13.0).abs() < 1e-12);
        let e = LogRank::new()
            .test(&[1.0, 2.0], &[1.0, 1.0], &["A", "A"])
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid groups: the log-rank test needs at least 2 groups, found 1"
        );
    }
}
