//! The counting-process summary every non-parametric estimator starts from: at each
//! distinct observed time, the (weighted) number at risk, of events and of censorings.

use serde::Serialize;

use super::data::{
    check_durations_events, check_entry, check_weights, from_key, runs, sort_key, weighted_runs,
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
        let split = |event: bool| -> Vec<(u64, f64)> {
            let rows = (0..n).filter(|&i| (events[i] > 0.5) == event);
            match weights {
                Some(w) => weighted_runs(rows.map(|i| (sort_key(durations[i]), w[i])).collect()),
                None => runs(rows.map(|i| sort_key(durations[i])).collect()),
            }
        };
        let ev = split(true);
        let ce = split(false);
        let entries = entry.map(|a| match weights {
            Some(w) => weighted_runs((0..n).map(|i| (sort_key(a[i]), w[i])).collect()),
            None => runs(a.iter().map(|&x| sort_key(x)).collect()),
        });
        let total: f64 = ev.iter().chain(&ce).map(|r| r.1).sum();
        let mut table = RiskTable {
            times: Vec::with_capacity(ev.len() + ce.len()),
            at_risk: Vec::with_capacity(ev.len() + ce.len()),
            events: Vec::with_capacity(ev.len() + ce.len()),
            censored: Vec::with_capacity(ev.len() + ce.len()),
            n_rows: n,
            total_weight: total,
        };
        let (mut i, mut j, mut ep) = (0, 0, 0);
        let mut remaining = total; // weight with duration >= t
        let mut entered_before = 0.0; // weight with entry < t
        while i < ev.len() || j < ce.len() {
            let k = match (ev.get(i), ce.get(j)) {
                (Some(a), Some(b)) => a.0.min(b.0),
                (Some(a), None) => a.0,
                (None, Some(b)) => b.0,
                (None, None) => break,
            };
            let mut d = 0.0;
            let mut c = 0.0;
            if ev.get(i).is_some_and(|a| a.0 == k) {
                d = ev[i].1;
                i += 1;
            }
            if ce.get(j).is_some_and(|b| b.0 == k) {
                c = ce[j].1;
                j += 1;
            }
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
