//! PLS path modeling (ECSI/ACSI-type satisfaction-index models): outer and inner
//! estimation, weighting schemes, effects and bootstrap.
