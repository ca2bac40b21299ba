//! The customer life cycle: spend trends, stage classification with evidence, Markov
//! migration between stages and state values.
