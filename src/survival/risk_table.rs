//! The counting-process summary every non-parametric estimator starts from: at each
//! distinct observed time, the (weighted) number at risk, of events and of censorings.

use serde::Serialize;

use super::data::{
    check_durations_events, check_entry, check_weights, from_key, runs, sort_key, tabulate,
    weighted_runs,
};
use crate::Result;

/// Number at risk, events and censorings at each distinct observed time (ascending).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct RiskTable {
    pub(crate) times: Vec<f64>,
    pub(crate) at_risk: Vec<f64>,
    pub(crate) events: Vec<f64>,
    pub(crate) censored: Vec<f64>,
    pub(crate) n_rows: usize,
    pub(crate) total_weight: f64,
}

impl RiskTable {
    /// Validate and tabulate. `entry` gives late-entry (left-truncation) times: a row is at
    /// risk at `t` when `entry < t <= duration`. `weights` are case weights (default 1).
    pub(crate) fn build(
        durations: &[f64],
        events: &[f64],
        entry: Option<&[f64]>,
        weights: Option<&[f64]>,
    ) -> Result<RiskTable> {
        check_durations_events(durations, events)?;
        if let Some(w) = weights {
            check_weights(w, durations.len())?;
        }
        if let Some(a) = entry {
            check_entry(a, durations)?;
        }
        let n = durations.len();
        let tab = tabulate(durations, events, weights, &|_| 0, 1);
        let entries = entry.map(|a| match weights {
            Some(w) => weighted_runs((0..n).map(|i| (sort_key(a[i]), w[i])).collect()),
            None => runs(a.iter().map(|&x| sort_key(x)).collect()),
        });
        let total: f64 = tab.counts.iter().sum();
        let mut table = RiskTable {
            times: Vec::with_capacity(tab.keys.len()),
            at_risk: Vec::with_capacity(tab.keys.len()),
            events: Vec::with_capacity(tab.keys.len()),
            censored: Vec::with_capacity(tab.keys.len()),
            n_rows: n,
            total_weight: total,
        };
        let mut ep = 0;
        let mut remaining = total; // weight with duration >= t
        let mut entered_before = 0.0; // weight with entry < t
        for (i, &k) in tab.keys.iter().enumerate() {
            let (d, c) = (tab.row(i)[0], tab.row(i)[1]);
            let at_risk = match &entries {
                Some(en) => {
                    while ep < en.len() && en[ep].0 < k {
                        entered_before += en[ep].1;
                        ep += 1;
                    }
                    remaining - (total - entered_before)
                }
                None => remaining,
            };
            table.times.push(from_key(k));
            table.at_risk.push(at_risk.max(0.0));
            table.events.push(d);
            table.censored.push(c);
            remaining -= d + c;
        }
        Ok(table)
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn counts_with_ties_and_entry() {
        // times 1,2,2,3 events 1,1,0,1; entry 0,0,1.5,2.5
        // at t=1: at risk rows with entry<1<=dur: rows 0,1 (row2 entry 1.5, row3 entry 2.5) -> 2
        // at t=2: rows 1,2 -> 2 (row0 gone); at t=3: row3 -> 1
        let t = [1.0, 2.0, 2.0, 3.0];
        let e = [1.0, 1.0, 0.0, 1.0];
        let a = [0.0, 0.0, 1.5, 2.5];
        let rt = RiskTable::build(&t, &e, Some(&a), None).unwrap();
        assert_eq!(rt.times, vec![1.0, 2.0, 3.0]);
        assert_eq!(rt.at_risk, vec![2.0, 2.0, 1.0]);
        assert_eq!(rt.events, vec![1.0, 1.0, 1.0]);
        assert_eq!(rt.censored, vec![0.0, 1.0, 0.0]);
        let rt = RiskTable::build(&t, &e, None, None).unwrap();
        assert_eq!(rt.at_risk, vec![4.0, 3.0, 1.0]);
    }
}
