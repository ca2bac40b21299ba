//! Crate-private numerics shared by several modules (special functions, optimisers).
