//! Mean splits of large bases in one pass over the indicator tables.
//!
//! A mean split needs the mean index before any customer can be placed, which naively
//! costs two passes over the tables (one for the column sums, one to classify). For
//! large bases the second pass is mostly avoidable:
//!
//! 1. **Pilot.** The indices of a systematic sample (runs of [`RUN`] customers, about
//!    one customer in [`SAMPLE_EVERY`]) give a mean and a spread, hence a band
//!    `[lo, hi)` of [`SIGMAS`] standard errors around the pilot mean that holds the
//!    exact mean unless the sample is badly unrepresentative.
//! 2. **One pass** (two threads, one per half): every customer's indices; each
//!    customer clear of both bands classified and summed at once, each customer inside
//!    a band set aside with its indices.
//! 3. **Exact thresholds**: the mean indices, from the sums of step 2 and those of the
//!    customers set aside. If each lies in its band (`lo <= t <= hi`), every customer
//!    placed in step 2 is on the right side (`x < lo <= t`, or `x >= hi >= t`), and the
//!    customers set aside are placed against `t`. Otherwise (periodic data that fooled
//!    the sample, too many customers set aside, a non-finite cell) the caller runs the
//!    second pass instead: the result is exact whatever the data, the pilot only decides
//!    how fast it comes.

use super::{BANKS, BlockSums, FOLD_BLOCK, SegmentAccumulator, Sum, ValueSegment};
use crate::simd::Unit;
use crate::weights::{row_score, score_rows_into};

#[cfg(target_arch = "x86_64")]
mod avx2;

/// The pilot sample: runs of `RUN` consecutive customers spread evenly over the base,
/// about one customer in [`SAMPLE_EVERY`] but at least [`SAMPLE_MIN`] (a run reads a
/// few whole cache lines; single customers far apart would each cost a line of
/// latency).
const RUN: usize = 32;
const SAMPLE_EVERY: usize = 128;
const SAMPLE_MIN: usize = 1 << 15;
/// Half-width of the band in standard errors of the pilot mean.
const SIGMAS: f64 = 6.0;
/// A half gives up (and the caller runs the second pass) once it has set aside more
/// than one customer in `GIVE_UP`.
const GIVE_UP: usize = 8;
/// Bases from this size are classified in one pass.
pub(super) const ONE_PASS_CUSTOMERS: usize = 1 << 18;

/// One block of customers to place: their indices, revenue and ARPU (empty when
/// absent), the two bands `[lo, hi)` and the row of the block's first customer.
#[derive(Clone, Copy)]
struct Block<'a> {
    ci: &'a [f64],
    pi: &'a [f64],
    rev: &'a [f64],
    arpu: &'a [f64],
    bc: (f64, f64),
    bp: (f64, f64),
    first: usize,
}

impl<'a> Block<'a> {
    /// The first `at` customers and the rest.
    fn split_at(self, at: usize) -> (Block<'a>, Block<'a>) {
        let cut = |v: &'a [f64]| if v.is_empty() { (v, v) } else { v.split_at(at) };
        let ((ci, ci_rest), (pi, pi_rest)) = (self.ci.split_at(at), self.pi.split_at(at));
        let ((rev, rev_rest), (arpu, arpu_rest)) = (cut(self.rev), cut(self.arpu));
        let head = Block {
            ci,
            pi,
            rev,
            arpu,
            ..self
        };
        let rest = Block {
            ci: ci_rest,
            pi: pi_rest,
            rev: rev_rest,
            arpu: arpu_rest,
            first: self.first + at,
            ..self
        };
        (head, rest)
    }
}

/// [`place`] on `unit`: the AVX2 loop where the processor has it (same result).
fn place_on<const R: bool, const A: bool>(
    unit: Unit,
    block: Block<'_>,
    out: &mut [ValueSegment],
    aside: &mut Vec<Aside>,
) -> BlockSums {
    match unit {
        Unit::Scalar => place::<R, A>(block, out, aside),
        #[cfg(target_arch = "x86_64")]
        Unit::Avx2(simd) => {
            // whole groups of four on AVX2, the rest (fewer than four, from a multiple of
            // four, so into the same banks) by the scalar loop; a bank holds at most one
            // customer of the rest, so adding its sums is the scalar loop's last addition
            let whole = block.ci.len() / 4 * 4;
            let (head, rest) = block.split_at(whole);
            let (out_head, out_rest) = out.split_at_mut(whole);
            let mut sums = avx2::place::<R, A>(simd, head, out_head, aside);
            if !rest.ci.is_empty() {
                sums.merge(&place::<R, A>(rest, out_rest, aside));
            }
            sums
        }
    }
}

/// A customer inside a band: row and indices.
#[derive(Clone, Copy)]
struct Aside {
    row: usize,
    current: f64,
    potential: f64,
}

/// The indicator tables of a weighted classification (row-major, weights as slices).
#[derive(Clone, Copy)]
pub(super) struct Tables<'a> {
    pub current: &'a [f64],
    pub wc: &'a [f64],
    pub potential: &'a [f64],
    pub wp: &'a [f64],
    pub revenue: Option<&'a [f64]>,
    pub arpu: Option<&'a [f64]>,
}

/// The band `[lo, hi)` around the pilot mean of `Σ_j w_j x_ij`; `None` when the sample
/// holds a non-finite value.
fn band(table: &[f64], w: &[f64], n: usize) -> Option<(f64, f64)> {
    let k = w.len();
    let x0 = row_score(w, &table[..k]);
    let runs = ((n / SAMPLE_EVERY).max(SAMPLE_MIN) / RUN).max(1);
    let stride = (n / runs).max(RUN);
    let (mut s, mut s2, mut m) = (0.0, 0.0, 0usize);
    for start in (0..n).step_by(stride) {
        let end = (start + RUN).min(n);
        for row in table[start * k..end * k].chunks_exact(k) {
            let d = row_score(w, row) - x0;
            s += d;
            s2 += d * d;
            m += 1;
        }
    }
    let mean = s / m as f64;
    let sd = (s2 / m as f64 - mean * mean).max(0.0).sqrt();
    let centre = x0 + mean;
    // SIGMAS standard errors, and a few ulps of the centre for the rounding of sums
    let half = SIGMAS * sd / (m as f64).sqrt() + centre.abs() * 1e-12;
    let (lo, hi) = (centre - half, centre + half);
    (lo.is_finite() && hi.is_finite()).then_some((lo, hi))
}

/// What one half of the base leaves: its sums and the customers set aside.
struct Half {
    acc: SegmentAccumulator,
    aside: Vec<Aside>,
    gave_up: bool,
}

/// One half (`rows`) of the pass; `out` is that half's slice of the segments.
fn half(
    unit: Unit,
    t: Tables<'_>,
    bc: (f64, f64),
    bp: (f64, f64),
    rows: std::ops::Range<usize>,
    out: &mut [ValueSegment],
) -> Half {
    let (k1, k2) = (t.wc.len(), t.wp.len());
    let limit = rows.len() / GIVE_UP;
    let mut h = Half {
        acc: SegmentAccumulator::new(0.0, 0.0),
        // room for all it may set aside before giving up, so the list is never copied
        // as it grows (the pages beyond what is used are never touched)
        aside: Vec::with_capacity(limit + FOLD_BLOCK),
        gave_up: false,
    };
    let mut ci = [0.0; FOLD_BLOCK];
    let mut pi = [0.0; FOLD_BLOCK];
    let mut s = rows.start;
    while s < rows.end {
        let e = (s + FOLD_BLOCK).min(rows.end);
        let m = e - s;
        let (cur, pot) = (&t.current[s * k1..e * k1], &t.potential[s * k2..e * k2]);
        score_rows_into(t.wc, cur, &mut ci[..m]);
        score_rows_into(t.wp, pot, &mut pi[..m]);
        let off = s - rows.start;
        let m_out = &mut out[off..off + m];
        let none = [0.0; 0];
        let r = t.revenue.map_or(&none[..], |r| &r[s..e]);
        let a = t.arpu.map_or(&none[..], |a| &a[s..e]);
        let block = Block {
            ci: &ci[..m],
            pi: &pi[..m],
            rev: r,
            arpu: a,
            bc,
            bp,
            first: s,
        };
        // monomorphised on what is present, so absent sums cost nothing
        let aside = &mut h.aside;
        let b = match (t.revenue.is_some(), t.arpu.is_some()) {
            (false, false) => place_on::<false, false>(unit, block, m_out, aside),
            (true, false) => place_on::<true, false>(unit, block, m_out, aside),
            (false, true) => place_on::<false, true>(unit, block, m_out, aside),
            (true, true) => place_on::<true, true>(unit, block, m_out, aside),
        };
        h.acc.absorb(&b);
        if h.aside.len() > limit {
            h.gave_up = true;
            return h;
        }
        s = e;
    }
    h
}

/// Place one block of customers (rows `first..`, indices `ci`, `pi`): each customer
/// clear of both bands into its segment (`out`) and the block's sums; each inside a band
/// onto `aside`. Branch-free: a customer inside a band is summed into a discarded slot
/// (4..8) and its position is always written to a buffer whose length grows only when
/// it is inside (a branch on a customer's side of a threshold would be a coin toss).
/// `ci.len()` is at most [`FOLD_BLOCK`].
fn place<const R: bool, const A: bool>(
    block: Block<'_>,
    out: &mut [ValueSegment],
    aside: &mut Vec<Aside>,
) -> BlockSums {
    let (ci, pi, rev, arpu) = (block.ci, block.pi, block.rev, block.arpu);
    let (bc, bp, first) = (block.bc, block.bp, block.first);
    let mut count = [[0u64; 8]; BANKS];
    let mut cs = [[0.0; 8]; BANKS];
    let mut ps = [[0.0; 8]; BANKS];
    let mut rs = [[0.0; 8]; BANKS];
    let mut a_s = [[0.0; 8]; BANKS];
    // positions in the block of the customers inside a band (FOLD_BLOCK fits u16)
    let mut inside = [0u16; FOLD_BLOCK];
    let mut n_inside = 0usize;
    for (j, ((&c, &p), o)) in ci.iter().zip(pi).zip(out.iter_mut()).enumerate() {
        let (c_low, c_high) = (c < bc.0, c >= bc.1);
        let (p_low, p_high) = (p < bp.0, p >= bp.1);
        let unclear = usize::from(!((c_low | c_high) & (p_low | p_high)));
        let k = usize::from(c_low) * 2 + usize::from(p_low);
        let (bank, slot) = (j % BANKS, k | (unclear << 2));
        count[bank][slot] += 1;
        cs[bank][slot] += c;
        ps[bank][slot] += p;
        if R {
            rs[bank][slot] += rev[j];
        }
        if A {
            a_s[bank][slot] += arpu[j];
        }
        *o = ValueSegment::ALL[k];
        inside[n_inside] = j as u16;
        n_inside += unclear;
    }
    aside.extend(inside[..n_inside].iter().map(|&j| {
        let j = usize::from(j);
        Aside {
            row: first + j,
            current: ci[j],
            potential: pi[j],
        }
    }));
    let mut b = BlockSums::default();
    let first4 = |v: &[f64; 8]| [v[0], v[1], v[2], v[3]];
    for bank in 0..BANKS {
        b.count[bank] = [
            count[bank][0],
            count[bank][1],
            count[bank][2],
            count[bank][3],
        ];
        b.current[bank] = first4(&cs[bank]);
        b.potential[bank] = first4(&ps[bank]);
        b.revenue[bank] = first4(&rs[bank]);
        b.arpu[bank] = first4(&a_s[bank]);
    }
    b
}

/// Classify customers `0..n` at their mean indices in one pass, writing `segments`;
/// `None` when the caller must run the two-pass path (see the module docs).
pub(super) fn classify_at_means(
    t: Tables<'_>,
    n: usize,
    segments: &mut [ValueSegment],
) -> Option<SegmentAccumulator> {
    let (bc, bp) =
        crate::parallel::join(|| band(t.current, t.wc, n), || band(t.potential, t.wp, n));
    let (bc, bp) = (bc?, bp.flatten()?);
    let split = n / 2 / FOLD_BLOCK * FOLD_BLOCK;
    let (sa, sb) = segments.split_at_mut(split);
    let unit = Unit::detect();
    let (a, b) = crate::parallel::join(
        || half(unit, t, bc, bp, 0..split, sa),
        || half(unit, t, bc, bp, split..n, sb),
    );
    let mut b = b?;
    let mut a = a;
    if a.gave_up || b.gave_up {
        return None;
    }
    // same (placeholder) thresholds on both halves, so the merge cannot fail
    a.acc.merge(&b.acc).ok()?;
    a.aside.append(&mut b.aside);
    // the mean indices: the sums of the customers placed plus those set aside
    let (mut sc, mut sp) = (Sum::default(), Sum::default());
    for k in 0..4 {
        sc.merge(a.acc.current[k]);
        sp.merge(a.acc.potential[k]);
    }
    for block in a.aside.chunks(FOLD_BLOCK) {
        sc.add(block.iter().map(|x| x.current).sum());
        sp.add(block.iter().map(|x| x.potential).sum());
    }
    let (tc, tp) = (sc.value() / n as f64, sp.value() / n as f64);
    let inside = |x: f64, (lo, hi): (f64, f64)| lo <= x && x <= hi;
    if !(inside(tc, bc) && inside(tp, bp)) {
        // also when a threshold is not finite: the two-pass path names the cell
        return None;
    }
    let mut acc = a.acc;
    acc.current_threshold = tc;
    acc.potential_threshold = tp;
    acc.revenue_seen = t.revenue.is_some();
    acc.arpu_seen = t.arpu.is_some();
    for block in a.aside.chunks(FOLD_BLOCK) {
        let mut sums = BlockSums::default();
        for x in block {
            let k = usize::from(x.current < tc) * 2 + usize::from(x.potential < tp);
            sums.add(k, x.current, x.potential, t.revenue, t.arpu, x.row);
            segments[x.row] = ValueSegment::ALL[k];
        }
        acc.absorb(&sums);
    }
    Some(acc)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A block of `m` customers whose indices are drawn from a few values, among them
    /// both edges of each band, so every comparison meets equality somewhere.
    fn block(m: usize, seed: u64) -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
        let grid = [0.1, 0.49, 0.5, 0.55, 0.6, 0.61, 0.9];
        let mut u = crate::test_support::lcg(seed);
        let mut pick = || grid[(u() * grid.len() as f64) as usize];
        let ci: Vec<f64> = (0..m).map(|_| pick()).collect();
        let pi: Vec<f64> = (0..m).map(|_| pick()).collect();
        let rev: Vec<f64> = (0..m).map(|i| 1.0 + i as f64 / 7.0).collect();
        let arpu: Vec<f64> = (0..m).map(|i| 2.0 + i as f64 / 3.0).collect();
        (ci, pi, rev, arpu)
    }

    fn bits(b: &BlockSums) -> Vec<u64> {
        let mut v = Vec::new();
        for bank in 0..BANKS {
            v.extend(b.count[bank]);
            for sums in [b.current, b.potential, b.revenue, b.arpu] {
                v.extend(sums[bank].iter().map(|x| x.to_bits()));
            }
        }
        v
    }

    /// A block's sums (as bits), segments and customers set aside (row, bits).
    type Placed = (Vec<u64>, Vec<ValueSegment>, Vec<(usize, u64, u64)>);

    fn run<const R: bool, const A: bool>(
        unit: Unit,
        (ci, pi, rev, arpu): &(Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>),
    ) -> Placed {
        let (bc, bp) = ((0.5, 0.6), (0.55, 0.61));
        let mut out = vec![ValueSegment::LowValue; ci.len()];
        let mut aside = Vec::new();
        let block = Block {
            ci,
            pi,
            rev,
            arpu,
            bc,
            bp,
            first: 100,
        };
        let b = place_on::<R, A>(unit, block, &mut out, &mut aside);
        let aside = aside
            .iter()
            .map(|x| (x.row, x.current.to_bits(), x.potential.to_bits()))
            .collect();
        (bits(&b), out, aside)
    }

    /// The vector loop (where this processor has one) against the scalar loop: same
    /// sums bit for bit, same segments, same customers set aside in the same order.
    #[test]
    fn every_unit_places_as_the_scalar_loop() {
        let unit = Unit::detect();
        for (m, seed) in [
            (1, 1),
            (3, 2),
            (4, 3),
            (5, 4),
            (64, 5),
            (1023, 6),
            (1024, 7),
        ] {
            let data = block(m, seed);
            assert_eq!(
                run_all(unit, &data),
                run_all(Unit::Scalar, &data),
                "m = {m}"
            );
        }
    }

    /// [`run`] without and with revenue and ARPU.
    fn run_all(unit: Unit, data: &(Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>)) -> [Placed; 4] {
        [
            run::<false, false>(unit, data),
            run::<true, false>(unit, data),
            run::<false, true>(unit, data),
            run::<true, true>(unit, data),
        ]
    }

    /// The scalar loop on a hand-checked block. Bands: current [0.5, 0.6), potential
    /// [0.55, 0.61). Customer 0 (0.9, 0.9): high, high → valuable. 1 (0.1, 0.61): low
    /// current, potential at the band's top edge (high) → potential. 2 (0.6, 0.1): current
    /// at its top edge (high), low potential → sub-valuable. 3 (0.5, 0.9): current at
    /// the band's lower edge, inside → set aside.
    #[test]
    fn scalar_loop_by_hand() {
        let data = (
            vec![0.9, 0.1, 0.6, 0.5],
            vec![0.9, 0.61, 0.1, 0.9],
            vec![10.0, 20.0, 30.0, 40.0],
            vec![1.0, 2.0, 3.0, 4.0],
        );
        let (sums, out, aside) = run::<true, true>(Unit::Scalar, &data);
        assert_eq!(
            out[..3],
            [
                ValueSegment::Valuable,
                ValueSegment::Potential,
                ValueSegment::SubValuable
            ]
        );
        assert_eq!(aside, vec![(103, 0.5f64.to_bits(), 0.9f64.to_bits())]);
        // bank 0 (customer 0) holds valuable: count 1, current 0.9, revenue 10
        assert_eq!(sums[0], 1);
        assert_eq!(sums[4], 0.9f64.to_bits());
        assert_eq!(sums[12], 10.0f64.to_bits());
        // the customer set aside adds to no bank
        let b3 = &sums[3 * 20..4 * 20];
        assert!(b3.iter().all(|&x| x == 0));
        assert_eq!(run::<true, true>(Unit::detect(), &data), (sums, out, aside));
    }
}
