//! Sorting of non-negative finite values (bucket pass on the IEEE bits, then small sorts).

/// Sort non-negative finite values ascending.
///
/// For non-negative IEEE doubles the bit patterns, read as unsigned integers, are in the
/// same order as the values (once `-0.0` is mapped to `+0.0`), and roughly logarithmic
/// in the value, so revenue-like (log-normal) data spread evenly over them. One pass
/// counts the values per bucket (about 2,048 buckets of equal key range: the leading bits
/// of `key - min_key`), one pass scatters them, and each bucket, small enough for the
/// cache, is finished by the standard unstable sort on the integer keys. Exact: the
/// result is the total order. Small inputs use the standard sort directly.
///
/// `lo` and `hi` are the minimum and maximum of `values` (the caller has them from its
/// validation pass). Returns the sorted values and an empty buffer with capacity for
/// `n + 1` values (the caller's Lorenz curve).
pub(crate) fn sorted_with_spare(values: &[f64], lo: f64, hi: f64) -> (Vec<f64>, Vec<f64>) {
    const SMALL: usize = 1 << 12;
    const BUCKET_BITS: u32 = 11;
    let n = values.len();
    if n < SMALL {
        let mut v: Vec<f64> = values.iter().map(|x| x + 0.0).collect(); // -0.0 -> +0.0
        v.sort_unstable_by(f64::total_cmp);
        return (v, Vec::with_capacity(n + 1));
    }
    let (lo, hi) = ((lo + 0.0).to_bits(), (hi + 0.0).to_bits());
    let span = hi - lo;
    let shift = (64 - span.leading_zeros()).saturating_sub(BUCKET_BITS);
    let nb = ((span >> shift) + 1) as usize;
    let bucket = |x: f64| (((x + 0.0).to_bits() - lo) >> shift) as usize;
    let mut start = vec![0usize; nb + 1];
    for &x in values {
        start[bucket(x) + 1] += 1;
    }
    for i in 1..=nb {
        start[i] += start[i - 1];
    }
    let mut out = vec![0.0_f64; n];
    let mut pos = start.clone();
    for &x in values {
        let b = bucket(x);
        out[pos[b]] = x + 0.0;
        pos[b] += 1;
    }
    for b in 0..nb {
        // for non-negative doubles the bit pattern orders like the value
        out[start[b]..start[b + 1]].sort_unstable_by_key(|v| v.to_bits());
    }
    (out, Vec::with_capacity(n + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radix_matches_comparison_sort() {
        // deterministic pseudo-random non-negative values incl. zeros and -0.0
        let mut s: u64 = 42;
        let v: Vec<f64> = (0..10_000i32)
            .map(|i| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                match i % 97 {
                    0 => 0.0,
                    1 => -0.0,
                    _ => ((s >> 11) as f64 / (1u64 << 53) as f64) * 1e3_f64.powi(i % 5),
                }
            })
            .collect();
        let mut w = v.clone();
        for x in &mut w {
            *x += 0.0;
        }
        w.sort_by(f64::total_cmp);
        let (lo, hi) = v
            .iter()
            .fold((f64::INFINITY, 0.0_f64), |(a, b), &x| (a.min(x), b.max(x)));
        let (v, spare) = sorted_with_spare(&v, lo, hi);
        assert!(spare.capacity() > v.len() && spare.is_empty());
        assert_eq!(
            v.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            w.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
    }
}
