//! The end-to-end analysis of an operator's base as one typed report.
