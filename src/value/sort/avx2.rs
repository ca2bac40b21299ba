//! The bucket finishing of [`super::sort_bucket`] on AVX2, four values per instruction,
//! through `pulp`'s safe x86-64-v3 token. Same results bit for bit as the scalar
//! loops: the values are non-negative and not NaN (no `-0.0`, which the scatter maps to
//! `+0.0`), so `min`/`max` of two values is one of them whichever the instruction
//! returns on a tie.

use pulp::x86::V3;
use pulp::{cast, f64x4};

/// The keys (bits) of the smallest and largest of `values` (non-empty).
pub(super) fn key_range(simd: V3, values: &[f64]) -> (u64, u64) {
    simd.vectorize(KeyRange { simd, values })
}

/// [`super::transposition_rounds`] on AVX2.
pub(super) fn transposition_rounds(simd: V3, a: &mut [f64], rounds: u32) {
    simd.vectorize(Rounds { simd, a, rounds });
}

struct KeyRange<'a> {
    simd: V3,
    values: &'a [f64],
}

impl pulp::NullaryFnOnce for KeyRange<'_> {
    type Output = (u64, u64);

    #[inline(always)]
    fn call(self) -> (u64, u64) {
        let KeyRange { simd, values } = self;
        let (quads, rest) = pulp::as_arrays::<4, f64>(values);
        let mut lo = simd.splat_f64x4(f64::INFINITY);
        let mut hi = simd.splat_f64x4(0.0);
        for q in quads {
            let v: f64x4 = cast(*q);
            lo = simd.min_f64x4(lo, v);
            hi = simd.max_f64x4(hi, v);
        }
        let (lo, hi): ([f64; 4], [f64; 4]) = (cast(lo), cast(hi));
        let lo = rest.iter().chain(&lo).fold(f64::INFINITY, |a, &b| a.min(b));
        let hi = rest.iter().chain(&hi).fold(0.0_f64, |a, &b| a.max(b));
        (lo.to_bits(), hi.to_bits())
    }
}

struct Rounds<'a> {
    simd: V3,
    a: &'a mut [f64],
    rounds: u32,
}

impl pulp::NullaryFnOnce for Rounds<'_> {
    type Output = ();

    #[inline(always)]
    fn call(self) {
        let Rounds { simd, a, rounds } = self;
        for r in 0..rounds {
            let start = (r % 2) as usize;
            let (quads, rest) = pulp::as_arrays_mut::<4, f64>(&mut a[start..]);
            // the pairs (0, 1) and (2, 3) of four values: each against its neighbour
            // (lanes swapped within each half), then the smaller left, the larger right
            for q in quads {
                let v: f64x4 = cast(*q);
                let swapped: f64x4 = cast(simd.avx._mm256_permute_pd::<0b0101>(cast(v)));
                let (lo, hi) = (simd.min_f64x4(v, swapped), simd.max_f64x4(v, swapped));
                *q = cast(simd.avx._mm256_blend_pd::<0b1010>(cast(lo), cast(hi)));
            }
            if let [x, y, ..] = rest {
                let (u, w) = (*x, *y);
                *x = u.min(w);
                *y = u.max(w);
            }
        }
    }
}
