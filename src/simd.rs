//! The vector unit of the crate's hot loops: AVX2 (x86-64-v3) where the processor has
//! it, detected once at run time through `pulp`, whose token compiles a kernel with
//! the features enabled by safe calls (the crate forbids `unsafe`). Every kernel has a
//! scalar twin with the same result bit for bit, run on other processors and targets
//! and compared with the vector kernel in the unit tests.

/// Where a kernel runs.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Unit {
    /// Plain Rust, compiled for the target's baseline.
    Scalar,
    /// AVX2 and FMA, four doubles per instruction.
    #[cfg(target_arch = "x86_64")]
    Avx2(pulp::x86::V3),
}

impl Unit {
    /// The best unit of this processor.
    pub(crate) fn detect() -> Self {
        #[cfg(target_arch = "x86_64")]
        if let Some(simd) = pulp::x86::V3::try_new() {
            return Unit::Avx2(simd);
        }
        Unit::Scalar
    }
}
