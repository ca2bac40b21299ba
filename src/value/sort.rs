//! Sorting of non-negative finite values: a two-level bucket sort on the IEEE bits,
//! on two threads.
//!
//! For non-negative doubles the bit patterns, read as unsigned integers ("keys"), are in
//! the same order as the values (once `-0.0` is mapped to `+0.0`) and roughly
//! logarithmic in the value, so revenue-like (log-normal) data spread well over them.
//!
//! 1. One pass (two threads, one per half of the input) counts the values of each half
//!    in 2,048 to 4,096 buckets of equal key range (the leading bits of `key - min_key`).
//! 2. Bucket `b`'s region of the output is split into a slice for the first half's
//!    values and one for the second half's, so each thread scatters its half into its
//!    own disjoint slices, a value at a time (the few thousand open cache lines stay in
//!    the core's L2; staging values per bucket in 64-byte lines and writing whole lines
//!    was measured slower). The output is a fresh buffer on huge pages where the system
//!    offers them (`crate::buffer`): with 4 KiB pages its page faults cost a third of
//!    the sort.
//! 3. The buckets are cut into two runs of about `n/2` values, one per thread. Each
//!    bucket, small enough for the cache, is scattered again into about one sub-bucket
//!    per value by the next key bits (its own min and max), then finished: by as many
//!    rounds of branch-free odd-even transposition as its largest sub-bucket has values
//!    (up to 8), else by insertion, which moves each value at most within its
//!    sub-bucket. A sub-bucket with more than 32 values (heavy clusters) is finished by
//!    the standard sort instead, so the worst case stays `O(n log n)`.
//!
//! Exact: the result is the total order, whatever the split. Small inputs use the
//! standard sort directly.

use crate::buffer::F64Buf;
use crate::simd::Unit;

#[cfg(target_arch = "x86_64")]
mod avx2;

/// Inputs below this size use the standard sort.
const SMALL: usize = 1 << 15;
/// Leading key bits of the first-level buckets.
const BUCKET_BITS: u32 = 12;
/// Largest sub-bucket size up to which a bucket is finished by transposition rounds.
const TRANSPOSITION_MAX: u32 = 8;
/// Largest sub-bucket finished by insertion.
const INSERTION_MAX: u32 = 32;

/// The non-negative finite `values` sorted ascending (`-0.0` becomes `+0.0`).
///
/// `lo` and `hi` are the minimum and maximum of `values` (the caller has them from its
/// validation pass).
pub(crate) fn sorted(values: &[f64], lo: f64, hi: f64) -> F64Buf {
    let n = values.len();
    let (lo, hi) = ((lo + 0.0).to_bits(), (hi + 0.0).to_bits());
    if n < SMALL || lo == hi {
        let mut v: Vec<f64> = values.iter().map(|x| x + 0.0).collect();
        if lo != hi {
            v.sort_unstable_by(f64::total_cmp);
        }
        return F64Buf::from_vec(v);
    }
    let span = hi - lo;
    let shift = (64 - span.leading_zeros()).saturating_sub(BUCKET_BITS);
    let nb = ((span >> shift) + 1) as usize;
    let buckets = Buckets { lo, shift };

    // 1. counts per bucket, one thread per half of the input
    let (first, second) = values.split_at(n / 2);
    let (ca, cb) = crate::parallel::join(|| buckets.count(first, nb), || buckets.count(second, nb));
    let cb = cb.unwrap_or_default();
    if ca.len() != nb || cb.len() != nb {
        // unreachable (no code path panics); never return a wrong order
        let mut v: Vec<f64> = values.iter().map(|x| x + 0.0).collect();
        v.sort_unstable_by(f64::total_cmp);
        return F64Buf::from_vec(v);
    }
    let mut start = vec![0usize; nb + 1];
    for b in 0..nb {
        start[b + 1] = start[b] + ca[b] + cb[b];
    }
    // 2. scatter: bucket b's region [start[b], start[b + 1]) is split into the part
    //    for the first half's values and the part for the second half's values, so each
    //    thread writes only its own disjoint slices
    let mut out = F64Buf::zeroed(n);
    {
        let mut parts_a: Vec<&mut [f64]> = Vec::with_capacity(nb);
        let mut parts_b: Vec<&mut [f64]> = Vec::with_capacity(nb);
        let mut rest: &mut [f64] = &mut out;
        for b in 0..nb {
            let (pa, r) = rest.split_at_mut(ca[b]);
            let (pb, r) = r.split_at_mut(cb[b]);
            parts_a.push(pa);
            parts_b.push(pb);
            rest = r;
        }
        std::thread::scope(|s| {
            s.spawn(|| buckets.scatter(second, &mut parts_b));
            buckets.scatter(first, &mut parts_a);
        });
    }
    // 3. each bucket sorted in cache; the buckets cut into two runs of about n/2 values
    let mid = start.partition_point(|&s| s < n / 2).clamp(1, nb);
    let cut = start[mid];
    let (run_a, run_b) = out.split_at_mut(cut);
    let unit = Unit::detect();
    std::thread::scope(|s| {
        s.spawn(|| finish_run(unit, run_b, &start[mid..]));
        finish_run(unit, run_a, &start[..=mid]);
    });
    out
}

/// Sort each bucket of a run in place; `bounds` are the run's bucket starts, from the
/// run's first value (`bounds[0]`) to its end.
fn finish_run(unit: Unit, run: &mut [f64], bounds: &[usize]) {
    let base = bounds.first().copied().unwrap_or(0);
    let mut scratch = Vec::new();
    let mut counts = Vec::new();
    for w in bounds.windows(2) {
        let (s, e) = (w[0] - base, w[1] - base);
        let sorted = sort_bucket(unit, &run[s..e], &mut scratch, &mut counts);
        run[s..e].copy_from_slice(sorted);
    }
}

/// The first-level bucket of a key.
#[derive(Clone, Copy)]
struct Buckets {
    lo: u64,
    shift: u32,
}

impl Buckets {
    #[inline]
    fn of(self, x: f64) -> usize {
        (((x + 0.0).to_bits() - self.lo) >> self.shift) as usize
    }

    fn count(self, values: &[f64], nb: usize) -> Vec<usize> {
        let mut c = vec![0usize; nb];
        for &x in values {
            c[self.of(x)] += 1;
        }
        c
    }

    /// Scatter `values` into their buckets' slices (each exactly as long as the count
    /// of its bucket in `values`), in order: branch-free, one store per value.
    fn scatter(self, values: &[f64], parts: &mut [&mut [f64]]) {
        let mut pos = vec![0usize; parts.len()];
        for &x in values {
            let b = self.of(x);
            let p = pos[b];
            parts[b][p] = x + 0.0;
            pos[b] = p + 1;
        }
    }
}

/// The values of one bucket sorted, in the first `bucket.len()` values of `scratch`
/// (which only grows, so that it is not zeroed again for every bucket).
fn sort_bucket<'s>(
    unit: Unit,
    bucket: &[f64],
    scratch: &'s mut Vec<f64>,
    counts: &mut Vec<u32>,
) -> &'s [f64] {
    let m = bucket.len();
    if scratch.len() < m {
        scratch.resize(m, 0.0);
    }
    let scratch = &mut scratch[..m];
    if m <= INSERTION_MAX as usize {
        scratch.copy_from_slice(bucket);
        insertion(scratch);
        return scratch;
    }
    let (lo, hi) = key_range(unit, bucket);
    if lo == hi {
        scratch.copy_from_slice(bucket);
        return scratch;
    }
    let span = hi - lo;
    // about one sub-bucket per value
    let bits = (usize::BITS - m.leading_zeros()).clamp(4, 14);
    let shift = (64 - span.leading_zeros()).saturating_sub(bits);
    let sub = |x: f64| ((x.to_bits() - lo) >> shift) as usize;
    let nsub = (span >> shift) as usize + 1;
    counts.clear();
    counts.resize(nsub, 0);
    for &x in bucket {
        counts[sub(x)] += 1;
    }
    let mut acc = 0u32;
    let mut largest = 0u32;
    for c in counts.iter_mut() {
        largest = largest.max(*c);
        let t = *c;
        *c = acc;
        acc += t;
    }
    for &x in bucket {
        let p = &mut counts[sub(x)];
        scratch[*p as usize] = x;
        *p += 1;
    }
    if largest <= TRANSPOSITION_MAX {
        transposition_rounds_on(unit, scratch, largest);
    } else if largest <= INSERTION_MAX {
        // each value is at most INSERTION_MAX - 1 places from its final place
        insertion(scratch);
    } else {
        // counts[b] is now the end of sub-bucket b
        let mut s = 0usize;
        for &e in counts.iter() {
            let e = e as usize;
            let r = &mut scratch[s..e];
            if r.len() > INSERTION_MAX as usize {
                r.sort_unstable_by(f64::total_cmp);
            } else {
                insertion(r);
            }
            s = e;
        }
    }
    scratch
}

/// The keys (bits) of the smallest and largest of `values` (non-empty, non-negative).
fn key_range(unit: Unit, values: &[f64]) -> (u64, u64) {
    match unit {
        Unit::Scalar => values.iter().fold((u64::MAX, 0), |(lo, hi), x| {
            let k = x.to_bits();
            (lo.min(k), hi.max(k))
        }),
        #[cfg(target_arch = "x86_64")]
        Unit::Avx2(simd) => avx2::key_range(simd, values),
    }
}

/// [`transposition_rounds`] on `unit` (same result).
fn transposition_rounds_on(unit: Unit, a: &mut [f64], rounds: u32) {
    match unit {
        Unit::Scalar => transposition_rounds(a, rounds),
        #[cfg(target_arch = "x86_64")]
        Unit::Avx2(simd) => avx2::transposition_rounds(simd, a, rounds),
    }
}

/// Sort `a`, made of consecutive groups of at most `rounds` values with every value of a
/// group below every value of the next, by `rounds` rounds of odd-even transposition
/// (compare-exchange of the pairs at even positions, then at odd ones, and so on).
/// Within a group these rounds are the odd-even transposition sort of the group, which
/// sorts `g` values in `g` rounds (Knuth, TAOCP 3, §5.3.4, exercise 37); a pair across two
/// groups is already in order and never exchanged. Branch-free, unlike insertion, whose
/// every misplaced value costs a mispredicted branch. Values are non-negative, non-NaN.
fn transposition_rounds(a: &mut [f64], rounds: u32) {
    for r in 0..rounds {
        let start = (r % 2) as usize;
        for pair in a[start..].chunks_exact_mut(2) {
            let (x, y) = (pair[0], pair[1]);
            // min and max compile to minsd/maxsd; a select would become a branch
            pair[0] = x.min(y);
            pair[1] = x.max(y);
        }
    }
}

/// Insertion sort of non-negative, non-NaN values.
fn insertion(a: &mut [f64]) {
    for i in 1..a.len() {
        let x = a[i];
        let mut j = i;
        while j > 0 && a[j - 1] > x {
            a[j] = a[j - 1];
            j -= 1;
        }
        a[j] = x;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::lcg;

    fn check(v: &[f64]) {
        let mut w: Vec<f64> = v.iter().map(|x| x + 0.0).collect();
        w.sort_by(f64::total_cmp);
        let (lo, hi) = v
            .iter()
            .fold((f64::INFINITY, 0.0_f64), |(a, b), &x| (a.min(x), b.max(x)));
        let got = sorted(v, lo, hi);
        assert_eq!(
            got.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            w.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn transposition_rounds_sort_ordered_groups() {
        // groups of 1 to 8 values, each group a shuffle of its values, every group below
        // the next: `largest` rounds sort the lot, from either parity of group start
        let mut u = lcg(7);
        for largest in 1..=8usize {
            let mut a = Vec::new();
            let mut base = 0.0;
            for g in 0..200 {
                let size = 1 + (g * 7 + largest) % largest;
                let mut group: Vec<f64> = (0..size).map(|k| base + k as f64).collect();
                for i in (1..size).rev() {
                    group.swap(i, (u() * (i + 1) as f64) as usize);
                }
                a.extend(group);
                base += 10.0;
            }
            let mut expected = a.clone();
            expected.sort_by(f64::total_cmp);
            // odd lengths too, so the vector loop meets every tail
            for len in [a.len(), a.len() - 1, a.len() - 2, a.len() - 3] {
                let want: Vec<f64> = {
                    let mut w = a[..len].to_vec();
                    transposition_rounds(&mut w, largest as u32);
                    w
                };
                let mut b = a[..len].to_vec();
                transposition_rounds_on(Unit::detect(), &mut b, largest as u32);
                assert_eq!(b, want, "largest group {largest}, length {len}");
            }
            transposition_rounds(&mut a, largest as u32);
            assert_eq!(a, expected, "largest group {largest}");
        }
    }

    #[test]
    fn key_range_on_every_unit() {
        // the extremes at every position mod 4 and in the tail, repeated values, zero
        let mut u = lcg(11);
        for len in 1..=23 {
            for at in 0..len {
                let mut v: Vec<f64> = (0..len).map(|_| 1.0 + u()).collect();
                v[at] = 0.0;
                v[len - 1 - at] = 7.5;
                let k = v.iter().map(|x| x.to_bits());
                let want = (k.clone().min().unwrap_or(0), k.max().unwrap_or(0));
                assert_eq!(key_range(Unit::Scalar, &v), want);
                assert_eq!(key_range(Unit::detect(), &v), want, "length {len}, at {at}");
            }
        }
    }

    #[test]
    fn bucket_sort_matches_comparison_sort() {
        let n = 100_000;
        let mut u = lcg(42);
        // log-normal-like revenue with zeros and -0.0
        check(
            &(0..n)
                .map(|i| match i % 97 {
                    0 => 0.0,
                    1 => -0.0,
                    _ => (4.0 * u() - 1.0).exp() * 30.0,
                })
                .collect::<Vec<_>>(),
        );
        // uniform, many ties (prices), two values, a huge span with subnormals
        check(&(0..n).map(|_| u()).collect::<Vec<_>>());
        check(
            &(0..n)
                .map(|_| (u() * 20.0).floor() * 9.99)
                .collect::<Vec<_>>(),
        );
        check(
            &(0..n)
                .map(|i| if i % 3 == 0 { 1.0 } else { 2.0 })
                .collect::<Vec<_>>(),
        );
        check(
            &(0..n)
                .map(|i| match i % 5 {
                    0 => 1e-310,
                    1 => 1e300,
                    _ => u() * 10f64.powi((u() * 600.0) as i32 - 300),
                })
                .collect::<Vec<_>>(),
        );
        // a tight cluster and one outlier: one first-level bucket holds nearly all
        check(
            &(0..n)
                .map(|i| if i == 7 { 1e12 } else { 1.0 + u() * 1e-9 })
                .collect::<Vec<_>>(),
        );
        // clusters of distinct values inside one sub-bucket (the standard-sort branch)
        check(
            &(0..n)
                .map(|i| {
                    if i % 2 == 0 {
                        5.0 + u() * 1e-12
                    } else {
                        u() * 1e6
                    }
                })
                .collect::<Vec<_>>(),
        );
        // large enough for the output to be a huge-page mapping (crate::buffer)
        let big = crate::buffer::F64Buf::ZEROED_MAPPED_FROM / 8 + 1001;
        check(
            &(0..big)
                .map(|i| {
                    if i % 1000 == 0 {
                        0.0
                    } else {
                        (3.0 * u() - 1.0).exp() * 30.0
                    }
                })
                .collect::<Vec<_>>(),
        );
        // all equal; small input
        check(&vec![3.5; n]);
        check(&(0..1000).map(|_| u()).collect::<Vec<_>>());
    }
}
