//! Customer lifetime value: geometric CLV, the shifted-beta-geometric cohort model, and
//! the non-contractual BG/NBD, Pareto/NBD, MBG/NBD, BG/BB and Gamma-Gamma models.
