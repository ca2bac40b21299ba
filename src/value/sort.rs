//! Sorting of non-negative finite values (LSD radix sort on the IEEE bits).

/// Sort non-negative finite values ascending. For non-negative IEEE doubles the bit
/// patterns, read as unsigned integers, are in the same order as the values (with
/// `-0.0` mapped to `+0.0` first), so an LSD radix sort on 16-bit digits is exact; it
/// skips digits every value shares. Small inputs use the standard unstable sort.
pub(crate) fn sort_non_negative(v: &mut [f64]) {
    const SMALL: usize = 1 << 12;
    if v.len() < SMALL {
        for x in v.iter_mut() {
            *x += 0.0; // -0.0 -> +0.0
        }
        v.sort_unstable_by(f64::total_cmp);
        return;
    }
    let mut keys: Vec<u64> = v.iter().map(|x| (x + 0.0).to_bits()).collect();
    let mut buf = vec![0u64; keys.len()];
    let mut hist = vec![0usize; 4 << 16];
    for &k in &keys {
        for d in 0..4 {
            hist[(d << 16) | ((k >> (16 * d)) & 0xFFFF) as usize] += 1;
        }
    }
    let n = keys.len();
    for (d, h) in hist.chunks_mut(1 << 16).enumerate() {
        if h.contains(&n) {
            continue; // every key has the same digit: nothing to do
        }
        let mut sum = 0;
        for c in h.iter_mut() {
            let t = *c;
            *c = sum;
            sum += t;
        }
        for &k in &keys {
            let b = ((k >> (16 * d)) & 0xFFFF) as usize;
            buf[h[b]] = k;
            h[b] += 1;
        }
        std::mem::swap(&mut keys, &mut buf);
    }
    for (x, k) in v.iter_mut().zip(&keys) {
        *x = f64::from_bits(*k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radix_matches_comparison_sort() {
        // deterministic pseudo-random non-negative values incl. zeros and -0.0
        let mut s: u64 = 42;
        let mut v: Vec<f64> = (0..10_000i32)
            .map(|i| {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
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
        sort_non_negative(&mut v);
        assert_eq!(
            v.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            w.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
    }
}
