//! Normalisation of indicators and weighting methods: AHP with consistency ratio,
//! entropy, CRITIC, standard deviation, coefficient of variation, MEREC, combinations.
