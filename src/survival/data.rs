//! Input checks and small shared helpers for the survival module.

use statrs::distribution::{ContinuousCDF, Normal};

use crate::{Error, Result, validate};

/// Durations finite and `>= 0`, events exactly 0 or 1, same length, not empty.
pub(crate) fn check_durations_events(durations: &[f64], events: &[f64]) -> Result<()> {
    if durations.is_empty() {
        return Err(Error::Empty {
            what: "durations".into(),
        });
    }
    validate::same_len("`events` (one per duration)", durations.len(), events.len())?;
    for (i, &t) in durations.iter().enumerate() {
        if t.is_nan() || t.is_infinite() {
            return Err(Error::NonFiniteAt {
                what: "durations".into(),
                index: i,
                value: t,
            });
        }
        if t < 0.0 {
            return Err(Error::InvalidValue {
                what: "duration".into(),
                location: format!("index {i}"),
                value: t,
                expected: "finite and >= 0".into(),
            });
        }
    }
    check_binary("event indicator", events)
}

/// Every value exactly 0.0 or 1.0.
pub(crate) fn check_binary(what: &str, v: &[f64]) -> Result<()> {
    for (i, &e) in v.iter().enumerate() {
        if !(e == 0.0 || same(e, 1.0)) {
            return Err(Error::InvalidValue {
                what: what.into(),
                location: format!("index {i}"),
                value: e,
                expected: "0 or 1".into(),
            });
        }
    }
    Ok(())
}

/// Case weights: one per row, finite and `>= 0`, at least one positive.
pub(crate) fn check_weights(weights: &[f64], n: usize) -> Result<()> {
    validate::same_len("`weights` (one per duration)", n, weights.len())?;
    for (i, &w) in weights.iter().enumerate() {
        if !(w.is_finite() && w >= 0.0) {
            return Err(Error::InvalidValue {
                what: "case weight".into(),
                location: format!("index {i}"),
                value: w,
                expected: "finite and >= 0".into(),
            });
        }
    }
    if !weights.iter().any(|&w| w > 0.0) {
        return Err(Error::input("weights", "all case weights are zero"));
    }
    Ok(())
}

/// Entry (left-truncation) times: one per row, finite, `>= 0` and strictly below the duration.
pub(crate) fn check_entry(entry: &[f64], durations: &[f64]) -> Result<()> {
    validate::same_len("`entry` (one per duration)", durations.len(), entry.len())?;
    for (i, (&a, &t)) in entry.iter().zip(durations).enumerate() {
        if !(a.is_finite() && a >= 0.0 && a < t) {
            return Err(Error::InvalidValue {
                what: "entry time".into(),
                location: format!("index {i}"),
                value: a,
                expected: format!("finite, >= 0 and < the duration {t}"),
            });
        }
    }
    Ok(())
}

/// Two-sided normal critical value for a confidence level in (0, 1).
pub(crate) fn z_crit(level: f64) -> Result<f64> {
    validate::open_unit("confidence_level", level)?;
    let n = Normal::standard();
    Ok(n.inverse_cdf(0.5 + level / 2.0))
}

/// Two-sided p value of a standard normal statistic, from the survival function.
pub(crate) fn normal_two_sided_p(z: f64) -> f64 {
    let n = Normal::standard();
    2.0 * n.sf(z.abs())
}

/// Upper-tail p value of a chi-square statistic with `df` degrees of freedom.
pub(crate) fn chi2_sf(stat: f64, df: f64) -> Option<f64> {
    if !(stat.is_finite() && df > 0.0) {
        return None;
    }
    statrs::distribution::ChiSquared::new(df)
        .ok()
        .map(|c| c.sf(stat.max(0.0)))
}

/// An integer key with the order of the floats (`-0.0` and `0.0` share a key): sorting
/// plain `u64` keys is several times faster than an indirect sort with a float comparator.
pub(crate) fn sort_key(x: f64) -> u64 {
    let bits = (x + 0.0).to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// Row order sorting by value ascending (NaN-free input); ties keep no particular order.
pub(crate) fn order_by(values: &[f64]) -> Vec<usize> {
    let mut keyed: Vec<(u64, usize)> = values
        .iter()
        .enumerate()
        .map(|(i, &v)| (sort_key(v), i))
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// Sorted, run-length compressed `(key, total weight)` of a list of keys.
pub(crate) fn runs(mut keys: Vec<u64>) -> Vec<(u64, f64)> {
    radix_sort(&mut keys);
    let mut out: Vec<(u64, f64)> = Vec::new();
    for k in keys {
        match out.last_mut() {
            Some(last) if last.0 == k => last.1 += 1.0,
            _ => out.push((k, 1.0)),
        }
    }
    out
}

/// Distinct observed times (as [`sort_key`]s, ascending) with, per time and slot, the
/// (weighted) number of events (column `2 s`) and of censorings (column `2 s + 1`).
#[derive(Debug, Clone)]
pub(crate) struct Tab {
    pub(crate) keys: Vec<u64>,
    pub(crate) counts: Vec<f64>,
    pub(crate) width: usize,
}

impl Tab {
    pub(crate) fn row(&self, i: usize) -> &[f64] {
        &self.counts[i * self.width..(i + 1) * self.width]
    }
}

/// Tabulate validated, non-negative durations by distinct time and slot (e.g. group).
///
/// Tenure data have few distinct times, so rows are counted in an open-addressing hash table
/// keyed by the time's bits and only the distinct times are sorted: O(n) instead of an
/// O(n log n) sort. Past 65,536 distinct times it falls back to sorting the rows.
pub(crate) fn tabulate(
    durations: &[f64],
    events: &[f64],
    weights: Option<&[f64]>,
    slot: &dyn Fn(usize) -> usize,
    n_slots: usize,
) -> Tab {
    const LIMIT: usize = 1 << 16;
    let width = 2 * n_slots;
    let n = durations.len();
    let col = |i: usize| 2 * slot(i) + usize::from(events[i] < 0.5);
    let w = |i: usize| weights.map_or(1.0, |w| w[i]);
    let mut bits = 10u32;
    let mut table = vec![u32::MAX; 1 << bits];
    let mut keys: Vec<u64> = Vec::new();
    let mut counts: Vec<f64> = Vec::new();
    let hash = |k: u64, bits: u32| (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize;
    let mut overflow = false;
    for i in 0..n {
        let k = sort_key(durations[i]);
        let mask = (1usize << bits) - 1;
        let mut h = hash(k, bits);
        let idx = loop {
            let e = table[h];
            if e == u32::MAX {
                table[h] = keys.len() as u32;
                keys.push(k);
                counts.extend(std::iter::repeat_n(0.0, width));
                break keys.len() - 1;
            }
            if keys[e as usize] == k {
                break e as usize;
            }
            h = (h + 1) & mask;
        };
        counts[idx * width + col(i)] += w(i);
        if keys.len() > LIMIT {
            overflow = true;
            break;
        }
        if 2 * keys.len() > table.len() {
            bits += 1;
            table = vec![u32::MAX; 1 << bits];
            let mask = (1usize << bits) - 1;
            for (j, &kk) in keys.iter().enumerate() {
                let mut h = hash(kk, bits);
                while table[h] != u32::MAX {
                    h = (h + 1) & mask;
                }
                table[h] = j as u32;
            }
        }
    }
    if overflow {
        // Many distinct times: sort the rows instead.
        let mut keyed: Vec<(u64, u32)> =
            (0..n).map(|i| (sort_key(durations[i]), i as u32)).collect();
        keyed.sort_unstable();
        let mut out = Tab {
            keys: Vec::new(),
            counts: Vec::new(),
            width,
        };
        for (k, i) in keyed {
            if out.keys.last() != Some(&k) {
                out.keys.push(k);
                out.counts.extend(std::iter::repeat_n(0.0, width));
            }
            let base = (out.keys.len() - 1) * width;
            out.counts[base + col(i as usize)] += w(i as usize);
        }
        return out;
    }
    let mut order: Vec<(u64, usize)> = keys.iter().copied().zip(0..).collect();
    order.sort_unstable();
    let mut out = Tab {
        keys: Vec::with_capacity(order.len()),
        counts: Vec::with_capacity(counts.len()),
        width,
    };
    for (k, j) in order {
        out.keys.push(k);
        out.counts
            .extend_from_slice(&counts[j * width..(j + 1) * width]);
    }
    out
}

/// LSD radix sort on bytes; passes where every key shares the byte are skipped, so tenure
/// data (few distinct values, equal low mantissa bytes) takes two or three passes.
pub(crate) fn radix_sort(keys: &mut Vec<u64>) {
    let n = keys.len();
    if n < 1024 {
        keys.sort_unstable();
        return;
    }
    let mut counts = vec![[0usize; 256]; 8];
    for &k in keys.iter() {
        for (pass, c) in counts.iter_mut().enumerate() {
            c[((k >> (8 * pass)) & 0xFF) as usize] += 1;
        }
    }
    let mut buf = vec![0u64; n];
    for (pass, c) in counts.iter().enumerate() {
        if c.contains(&n) {
            continue;
        }
        let mut offsets = [0usize; 256];
        let mut sum = 0;
        for (o, &x) in offsets.iter_mut().zip(c.iter()) {
            *o = sum;
            sum += x;
        }
        let shift = 8 * pass;
        for &k in keys.iter() {
            let b = ((k >> shift) & 0xFF) as usize;
            buf[offsets[b]] = k;
            offsets[b] += 1;
        }
        std::mem::swap(keys, &mut buf);
    }
}

/// As [`runs`] with a weight per key.
pub(crate) fn weighted_runs(mut pairs: Vec<(u64, f64)>) -> Vec<(u64, f64)> {
    pairs.sort_unstable_by_key(|p| p.0);
    let mut out: Vec<(u64, f64)> = Vec::new();
    for (k, w) in pairs {
        match out.last_mut() {
            Some(last) if last.0 == k => last.1 += w,
            _ => out.push((k, w)),
        }
    }
    out
}

/// Back from [`sort_key`] to the float.
pub(crate) fn from_key(k: u64) -> f64 {
    if k >> 63 == 1 {
        f64::from_bits(k & !(1 << 63))
    } else {
        f64::from_bits(!k)
    }
}

/// Format an optional number for report tables.
pub(crate) fn fmt_opt(x: Option<f64>, prec: usize) -> String {
    match x {
        Some(v) => format!("{v:.prec$}"),
        None => "-".to_string(),
    }
}

/// Format a p value: scientific below 1e-4.
pub(crate) fn fmt_p(p: Option<f64>) -> String {
    match p {
        Some(v) if v < 1e-300 => "<1e-300".into(),
        Some(v) if v < 1e-4 => format!("{v:.2e}"),
        Some(v) => format!("{v:.4}"),
        None => "-".into(),
    }
}

/// Exact equality of two floats without tripping `float_cmp`: used only to group tied,
/// already-validated values (durations, scores), where exact ties are the definition.
#[allow(clippy::float_cmp)]
pub(crate) fn same(a: f64, b: f64) -> bool {
    a == b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radix_sort_and_keys_order_like_floats() {
        let v: Vec<f64> = (0..5000)
            .map(|i| ((i * 7919) % 1000) as f64 * 0.37 - 100.0)
            .collect();
        let mut keys: Vec<u64> = v.iter().map(|&x| sort_key(x)).collect();
        radix_sort(&mut keys);
        let back: Vec<f64> = keys.iter().map(|&k| from_key(k)).collect();
        let mut sorted = v.clone();
        sorted.sort_by(f64::total_cmp);
        assert_eq!(back, sorted);
        assert_eq!(sort_key(-0.0), sort_key(0.0));
    }
}
