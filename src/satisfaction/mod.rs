//! The satisfaction model: construct scores, regression (or PLS) on the drivers, driver
//! ranking, satisfaction index, importance-performance analysis and Kano classification.
