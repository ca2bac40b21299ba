//! Single-pass scans of a slice, in interleaved lanes that the compiler vectorises.

/// Sum, minimum and maximum of `v`, in eight interleaved lanes (NaN propagates into
/// the sum; the comparisons ignore it).
pub(crate) fn sum_min_max(v: &[f64]) -> (f64, f64, f64) {
    const LANES: usize = 8;
    let mut t = [0.0; LANES];
    let mut lo = [f64::INFINITY; LANES];
    let mut hi = [f64::NEG_INFINITY; LANES];
    let chunks = v.chunks_exact(LANES);
    let rest = chunks.remainder();
    for c in chunks {
        for l in 0..LANES {
            t[l] += c[l];
            lo[l] = if c[l] < lo[l] { c[l] } else { lo[l] };
            hi[l] = if c[l] > hi[l] { c[l] } else { hi[l] };
        }
    }
    let mut s = ((t[0] + t[1]) + (t[2] + t[3])) + ((t[4] + t[5]) + (t[6] + t[7]));
    let mut a = lo
        .iter()
        .fold(f64::INFINITY, |a, &b| if b < a { b } else { a });
    let mut b = hi
        .iter()
        .fold(f64::NEG_INFINITY, |a, &b| if b > a { b } else { a });
    for &x in rest {
        s += x;
        a = if x < a { x } else { a };
        b = if x > b { x } else { b };
    }
    (s, a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sum_min_max_matches_plain_loops() {
        let v: Vec<f64> = (0..1003).map(|i| f64::from(i % 17) * 0.37).collect();
        let (s, lo, hi) = sum_min_max(&v);
        assert!((s - v.iter().sum::<f64>()).abs() < 1e-10);
        assert_eq!((lo, hi), (0.0, 16.0 * 0.37));
    }
}
