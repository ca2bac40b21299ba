//! Questionnaire data: Likert scales, item validation, reverse coding, missing values,
//! construct scores and scale reliability (Cronbach's alpha, composite reliability, AVE).
