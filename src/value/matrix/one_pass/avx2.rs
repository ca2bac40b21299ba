//! The placing loop of [`super::place`] on AVX2: four customers per step, the segment
//! sums kept in registers (one vector per segment and quantity, lane `l` holding bank
//! `l`), through `pulp`'s safe x86-64-v3 token (detected at run time).
//!
//! The scalar loop keeps its sums in memory, indexed by the customer's slot, so each
//! customer costs three read-modify-writes through the store buffer; here a customer
//! costs four comparisons, four mask ands and a masked add per sum, shared four ways.
//! Customer `j` of a block adds into bank `j mod 4` in the same order as in the scalar
//! loop, and a customer outside a segment adds `+0.0` to it, so the sums are the scalar
//! loop's bit for bit (`x + 0.0 == x` for every sum, which starts at `+0.0`).

use pulp::x86::V3;
use pulp::{cast, f64x4, m64x4, u64x4};

use super::super::{BANKS, BlockSums, ValueSegment};
use super::{Aside, Block};

/// The four segments of four customers from the bit masks of their low current
/// (`bits >> 4`) and low potential (`bits & 15`) indices.
static SEGMENTS: [[ValueSegment; 4]; 256] = segment_table();

const fn segment_table() -> [[ValueSegment; 4]; 256] {
    let mut t = [[ValueSegment::Valuable; 4]; 256];
    let mut bits = 0;
    while bits < 256 {
        let mut lane = 0;
        while lane < 4 {
            let c_low = (bits >> (4 + lane)) & 1;
            let p_low = (bits >> lane) & 1;
            t[bits][lane] = ValueSegment::ALL[2 * c_low + p_low];
            lane += 1;
        }
        bits += 1;
    }
    t
}

/// [`super::place`] on AVX2 (same arguments, same result) for a block of whole groups
/// of four customers (`block.ci.len() % 4 == 0`; any others are left untouched).
pub(super) fn place<const R: bool, const A: bool>(
    simd: V3,
    block: Block<'_>,
    out: &mut [ValueSegment],
    aside: &mut Vec<Aside>,
) -> BlockSums {
    simd.vectorize(Place::<R, A> {
        simd,
        block,
        out,
        aside,
    })
}

/// The loop as a `pulp` operation (a struct rather than a closure: closures are not
/// reliably inlined into the target-feature context).
struct Place<'a, const R: bool, const A: bool> {
    simd: V3,
    block: Block<'a>,
    out: &'a mut [ValueSegment],
    aside: &'a mut Vec<Aside>,
}

impl<const R: bool, const A: bool> pulp::NullaryFnOnce for Place<'_, R, A> {
    type Output = BlockSums;

    #[inline(always)]
    fn call(self) -> BlockSums {
        let Place {
            simd,
            block,
            out,
            aside,
        } = self;
        let (ci, pi, rev, arpu) = (block.ci, block.pi, block.rev, block.arpu);
        let (bc, bp, first) = (block.bc, block.bp, block.first);
        let (c4, _) = pulp::as_arrays::<4, f64>(ci);
        let (p4, _) = pulp::as_arrays::<4, f64>(pi);
        let (o4, _) = pulp::as_arrays_mut::<4, ValueSegment>(out);
        let zero = simd.splat_f64x4(0.0);
        let (c_lo, c_hi) = (simd.splat_f64x4(bc.0), simd.splat_f64x4(bc.1));
        let (p_lo, p_hi) = (simd.splat_f64x4(bp.0), simd.splat_f64x4(bp.1));
        let mut count = [simd.splat_u64x4(0); 4];
        let mut cs = [zero; 4];
        let mut ps = [zero; 4];
        let mut rs = [zero; 4];
        let mut a_s = [zero; 4];
        for (q, ((c, p), o)) in c4.iter().zip(p4).zip(o4.iter_mut()).enumerate() {
            let (c, p): (f64x4, f64x4) = (cast(*c), cast(*p));
            let (c_low, c_high) = (simd.cmp_lt_f64x4(c, c_lo), simd.cmp_ge_f64x4(c, c_hi));
            let (p_low, p_high) = (simd.cmp_lt_f64x4(p, p_lo), simd.cmp_ge_f64x4(p, p_hi));
            // segment k = 2·c_low + p_low, clear of both bands (low and high exclude
            // each other, so these four masks are the clear customers)
            let member = [
                simd.and_m64x4(c_high, p_high),
                simd.and_m64x4(c_high, p_low),
                simd.and_m64x4(c_low, p_high),
                simd.and_m64x4(c_low, p_low),
            ];
            let (r, a) = if R || A {
                let at = 4 * q..4 * q + 4;
                (
                    if R { load(&rev[at.clone()]) } else { zero },
                    if A { load(&arpu[at]) } else { zero },
                )
            } else {
                (zero, zero)
            };
            for k in 0..4 {
                let m = member[k];
                count[k] = simd.wrapping_sub_u64x4(count[k], cast::<m64x4, u64x4>(m));
                cs[k] = simd.add_f64x4(cs[k], simd.select_f64x4(m, c, zero));
                ps[k] = simd.add_f64x4(ps[k], simd.select_f64x4(m, p, zero));
                if R {
                    rs[k] = simd.add_f64x4(rs[k], simd.select_f64x4(m, r, zero));
                }
                if A {
                    a_s[k] = simd.add_f64x4(a_s[k], simd.select_f64x4(m, a, zero));
                }
            }
            let c_bits = simd.avx._mm256_movemask_pd(cast(c_low)) as usize & 15;
            let p_bits = simd.avx._mm256_movemask_pd(cast(p_low)) as usize & 15;
            *o = SEGMENTS[(c_bits << 4) | p_bits];
            let clear = simd.and_m64x4(simd.or_m64x4(c_low, c_high), simd.or_m64x4(p_low, p_high));
            let clear_bits = simd.avx._mm256_movemask_pd(cast(clear));
            if clear_bits != 15 {
                // about one step in sixteen: a customer inside a band
                let (cv, pv): ([f64; 4], [f64; 4]) = (cast(c), cast(p));
                for lane in (0..4).filter(|l| clear_bits & (1 << l) == 0) {
                    aside.push(Aside {
                        row: first + 4 * q + lane,
                        current: cv[lane],
                        potential: pv[lane],
                    });
                }
            }
        }
        let mut b = BlockSums::default();
        for k in 0..4 {
            let n: [u64; 4] = cast(count[k]);
            let (c, p): ([f64; 4], [f64; 4]) = (cast(cs[k]), cast(ps[k]));
            let (r, a): ([f64; 4], [f64; 4]) = (cast(rs[k]), cast(a_s[k]));
            for bank in 0..BANKS {
                b.count[bank][k] = n[bank];
                b.current[bank][k] = c[bank];
                b.potential[bank][k] = p[bank];
                b.revenue[bank][k] = r[bank];
                b.arpu[bank][k] = a[bank];
            }
        }
        b
    }
}

/// Four values as a vector (`v.len() == 4`).
#[inline(always)]
fn load(v: &[f64]) -> f64x4 {
    let mut a = [0.0; 4];
    a.copy_from_slice(v);
    cast(a)
}
