//! Survival, churn-probability and score-evaluation tests against published values and
//! independent tools (each test names its source).

use approx::assert_relative_eq;
use crm_analytics::Error;
use crm_analytics::survival::{
    ConfidenceType, CoxPh, Design, KaplanMeier, LogRank, LogRankWeight, Logistic, NelsonAalen,
    ScoreEvaluation, Ties,
};
use nalgebra::DMatrix;
use proptest::prelude::*;

use crate::common::{data, published};

// ---------------------------------------------------------------------------------------
// Data loading
// ---------------------------------------------------------------------------------------

/// Gehan leukemia: (group, time, event); group 1 = placebo, 2 = 6-MP.
fn gehan() -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mut g, mut t, mut e) = (vec![], vec![], vec![]);
    for line in data("survival/gehan_leukemia.csv").lines().skip(1) {
        let f: Vec<f64> = line.split(',').map(|s| s.trim().parse().unwrap()).collect();
        g.push(f[0]);
        t.push(f[1]);
        e.push(f[2]);
    }
    (g, t, e)
}

fn subset(v: &[f64], g: &[f64], which: f64) -> Vec<f64> {
    v.iter()
        .zip(g)
        .filter(|(_, x)| **x == which)
        .map(|(a, _)| *a)
        .collect()
}

/// waltons: (T, E, group)
fn waltons() -> (Vec<f64>, Vec<f64>, Vec<String>) {
    let (mut t, mut e, mut g) = (vec![], vec![], vec![]);
    for line in data("survival/waltons.csv").lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        t.push(f[0].parse().unwrap());
        e.push(f[1].parse().unwrap());
        g.push(f[2].trim().to_string());
    }
    (t, e, g)
}

struct Telco {
    tenure: Vec<f64>,
    churn: Vec<f64>,
    contract: Vec<String>,
    internet: Vec<String>,
    monthly: Vec<f64>,
}

fn telco() -> Telco {
    let text = data("telco/ibm_telco_churn.csv");
    let mut d = Telco {
        tenure: vec![],
        churn: vec![],
        contract: vec![],
        internet: vec![],
        monthly: vec![],
    };
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.trim_end_matches('\r').split(',').collect();
        d.tenure.push(f[5].parse().unwrap());
        d.internet.push(f[8].to_string());
        d.contract.push(f[15].to_string());
        d.monthly.push(f[18].parse().unwrap());
        d.churn.push(if f[20] == "Yes" { 1.0 } else { 0.0 });
    }
    assert_eq!(d.tenure.len(), 7043);
    d
}

// ---------------------------------------------------------------------------------------
// Kaplan-Meier and Nelson-Aalen
// ---------------------------------------------------------------------------------------

/// Gehan 6-MP group: Kleinbaum & Klein's textbook KM table (3 d.p.; tests/data/survival/README.md,
/// checked there with lifelines to 4 d.p.), median 23; placebo median 8.
#[test]
fn gehan_kaplan_meier_matches_textbook() {
    let (g, t, e) = gehan();
    let km = KaplanMeier::new()
        .fit(&subset(&t, &g, 2.0), &subset(&e, &g, 2.0))
        .unwrap();
    let expect = [
        (6.0, 0.8571),
        (7.0, 0.8067),
        (10.0, 0.7529),
        (13.0, 0.6902),
        (16.0, 0.6275),
        (22.0, 0.5378),
        (23.0, 0.4482),
    ];
    for (time, s) in expect {
        assert_relative_eq!(
            km.survival_at(time).unwrap(),
            s,
            max_relative = published(s, 4)
        );
    }
    assert_eq!(km.median().time, Some(23.0));
    let placebo = KaplanMeier::new()
        .fit(&subset(&t, &g, 1.0), &subset(&e, &g, 1.0))
        .unwrap();
    assert_eq!(placebo.median().time, Some(8.0));
    assert_relative_eq!(
        placebo.survival_at(8.0).unwrap(),
        8.0 / 21.0,
        epsilon = 1e-15
    );
    assert_eq!(placebo.survival_at(23.0).unwrap(), 0.0);
    // Greenwood SE at t = 6 (6-MP): S = 18/21, n = 21, d = 3: se = S sqrt(3/(21·18)) = 0.07636.
    let se = km.std_errors()[0].unwrap();
    assert_relative_eq!(
        se,
        18.0 / 21.0 * (3.0f64 / (21.0 * 18.0)).sqrt(),
        epsilon = 1e-14
    );
}

/// Nelson-Aalen H(23) for the 6-MP group = 0.7595 (README, checked with lifelines 0.30.3,
/// whose default smooths ties: our `tie_correction(true)`). R's d/n form by hand: event times
/// (n, d) = (21,3) (17,1) (15,1) (12,1) (11,1) (7,1) (6,1):
/// 3/21 + 1/17 + 1/15 + 1/12 + 1/11 + 1/7 + 1/6 = 0.752114.
#[test]
fn gehan_nelson_aalen() {
    let (g, t, e) = gehan();
    let (tt, ee) = (subset(&t, &g, 2.0), subset(&e, &g, 2.0));
    let na = NelsonAalen::new()
        .tie_correction(true)
        .fit(&tt, &ee)
        .unwrap();
    assert_relative_eq!(
        na.cumulative_hazard_at(23.0).unwrap(),
        0.7595,
        max_relative = published(0.7595, 4)
    );
    let na = NelsonAalen::new().fit(&tt, &ee).unwrap();
    let hand =
        3.0 / 21.0 + 1.0 / 17.0 + 1.0 / 15.0 + 1.0 / 12.0 + 1.0 / 11.0 + 1.0 / 7.0 + 1.0 / 6.0;
    assert_relative_eq!(
        na.cumulative_hazard_at(23.0).unwrap(),
        hand,
        epsilon = 1e-14
    );
}

/// waltons KM medians: control 58, miR-137 26 (README; lifelines 0.30.3).
#[test]
fn waltons_medians() {
    let (t, e, g) = waltons();
    for (label, median) in [("control", 58.0), ("miR-137", 26.0)] {
        let tt: Vec<f64> = (0..t.len())
            .filter(|&i| g[i] == label)
            .map(|i| t[i])
            .collect();
        let ee: Vec<f64> = (0..t.len())
            .filter(|&i| g[i] == label)
            .map(|i| e[i])
            .collect();
        let km = KaplanMeier::new().fit(&tt, &ee).unwrap();
        assert_eq!(km.median().time, Some(median), "{label}");
    }
}

/// IBM Telco, all 7,043 customers, time = tenure, event = Churn == Yes: recomputed values in
/// tests/data/telco/README.md (4 d.p.); the median is not reached.
#[test]
fn telco_full_base_kaplan_meier() {
    let d = telco();
    let km = KaplanMeier::new().fit(&d.tenure, &d.churn).unwrap();
    for (time, s) in [
        (1.0, 0.9460),
        (12.0, 0.8432),
        (24.0, 0.7887),
        (36.0, 0.7485),
        (48.0, 0.7088),
        (60.0, 0.6644),
        (72.0, 0.5928),
    ] {
        assert_relative_eq!(
            km.survival_at(time).unwrap(),
            s,
            max_relative = published(s, 4)
        );
    }
    assert_eq!(km.median().time, None);
}

/// IBM Telco month-to-month internet customers (n = 3,351, 1,556 churned): published at
/// lingying.me/posts/2026/04/survival-analysis-telco-churn/ (median 34; S to 4 d.p.).
#[test]
fn telco_month_to_month_internet_published() {
    let d = telco();
    let rows: Vec<usize> = (0..d.tenure.len())
        .filter(|&i| d.contract[i] == "Month-to-month" && d.internet[i] != "No")
        .collect();
    assert_eq!(rows.len(), 3351);
    let t: Vec<f64> = rows.iter().map(|&i| d.tenure[i]).collect();
    let e: Vec<f64> = rows.iter().map(|&i| d.churn[i]).collect();
    assert_eq!(e.iter().sum::<f64>(), 1556.0);
    let km = KaplanMeier::new().fit(&t, &e).unwrap();
    for (time, s) in [
        (6.0, 0.7803),
        (12.0, 0.6950),
        (24.0, 0.5753),
        (34.0, 0.4951),
        (48.0, 0.3872),
        (60.0, 0.2890),
    ] {
        assert_relative_eq!(
            km.survival_at(time).unwrap(),
            s,
            max_relative = published(s, 4)
        );
    }
    assert_eq!(km.median().time, Some(34.0));
    let q = km.median();
    assert!(q.lower.unwrap() <= 34.0 && q.upper.unwrap() >= 34.0, "{q}");
    let table = km.at_risk_table(&[0.0, 12.0, 24.0]).unwrap();
    assert_eq!(table.rows[0].at_risk, 3351.0);
    assert!(table.rows[1].at_risk < table.rows[0].at_risk);
}

/// Log-log and plain intervals by hand at the first Gehan 6-MP time (S = 6/7, v = 3/378).
#[test]
fn confidence_interval_types_by_hand() {
    let (g, t, e) = gehan();
    let (tt, ee) = (subset(&t, &g, 2.0), subset(&e, &g, 2.0));
    let s: f64 = 18.0 / 21.0;
    let v: f64 = 3.0 / (21.0 * 18.0);
    let z = 1.959963984540054;
    let km = KaplanMeier::new().fit(&tt, &ee).unwrap();
    let (_, lo, hi) = km.survival_with_ci(6.0).unwrap();
    let th = z * v.sqrt() / s.ln().abs();
    assert_relative_eq!(lo, s.powf(th.exp()), epsilon = 1e-13);
    assert_relative_eq!(hi, s.powf((-th).exp()), epsilon = 1e-13);
    // lifelines 0.30.3 KaplanMeierFitter (exponential Greenwood = log-log) prints
    // 0.61971796 to 0.95155175 for this row.
    assert_relative_eq!(lo, 0.61971796, max_relative = 1e-7);
    assert_relative_eq!(hi, 0.95155175, max_relative = 1e-7);
    // Median CI of the 6-MP group: lifelines' median_survival_times gives [13, inf).
    let q = km.median();
    assert_eq!((q.lower, q.upper), (Some(13.0), None));
    let km = KaplanMeier::new()
        .confidence_type(ConfidenceType::Plain)
        .fit(&tt, &ee)
        .unwrap();
    let (_, lo, hi) = km.survival_with_ci(6.0).unwrap();
    assert_relative_eq!(lo, s - z * s * v.sqrt(), epsilon = 1e-13);
    assert_relative_eq!(hi, (s + z * s * v.sqrt()).min(1.0), epsilon = 1e-13);
    assert_eq!(hi, 1.0); // clipped
}

/// Case weights equal replicated rows; late entry removes customers from early risk sets.
#[test]
fn weights_equal_replication_and_entry_shrinks_risk_sets() {
    let t = [2.0, 3.0, 5.0, 7.0];
    let e = [1.0, 0.0, 1.0, 1.0];
    let w = [2.0, 1.0, 3.0, 1.0];
    let kw = KaplanMeier::new().fit_weighted(&t, &e, &w).unwrap();
    let tr = [2.0, 2.0, 3.0, 5.0, 5.0, 5.0, 7.0];
    let er = [1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0];
    let kr = KaplanMeier::new().fit(&tr, &er).unwrap();
    for (a, b) in kw.survival().iter().zip(kr.survival()) {
        assert_relative_eq!(*a, *b, epsilon = 1e-15);
    }
    // Entry: the customer with duration 7 enters at 6: at t=2 risk set = 3, not 4.
    // S(2) = 2/3, S(5) = 2/3 · 0 = ... n(5) = 1 (row 2), d = 1 -> 0.
    let k = KaplanMeier::new()
        .fit_with_entry(&[0.0, 0.0, 0.0, 6.0], &t, &e)
        .unwrap();
    assert_relative_eq!(k.survival_at(2.0).unwrap(), 2.0 / 3.0, epsilon = 1e-15);
    assert_eq!(k.at_risk()[0], 3.0);
}

// ---------------------------------------------------------------------------------------
// Log-rank family
// ---------------------------------------------------------------------------------------

/// Gehan placebo vs 6-MP: chi2 = 16.79, p = 4.17e-5 (R survdiff, via lifelines' tests;
/// checked 16.7929, 4.1688e-05 in tests/data/survival/README.md).
#[test]
fn gehan_logrank() {
    let (g, t, e) = gehan();
    let test = LogRank::new()
        .test(&t, &e, &g.iter().map(|x| *x as u8).collect::<Vec<_>>())
        .unwrap();
    assert_relative_eq!(
        test.chi_square(),
        16.7929,
        max_relative = published(16.7929, 4)
    );
    assert_relative_eq!(test.p_value(), 4.1688e-5, max_relative = 1.2e-4);
    assert_eq!(test.df(), 1);
    // Observed 21 (placebo) and 9 (6-MP); expected 10.75 and 19.25 (R survdiff prints these).
    assert_eq!(test.observed(), &[21.0, 9.0]);
    assert_relative_eq!(
        test.expected()[0],
        10.75,
        max_relative = published(10.75, 2)
    );
    assert_relative_eq!(
        test.expected()[1],
        19.25,
        max_relative = published(19.25, 2)
    );
}

/// g3 glioma, RIT vs Control: p = 0.0138 (R), chi2 = 6.0629 (README, lifelines).
#[test]
fn g3_logrank() {
    let text = data("survival/g3.csv");
    let (mut t, mut e, mut g) = (vec![], vec![], vec![]);
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        g.push(f[4].to_string());
        e.push(if f[5] == "True" { 1.0 } else { 0.0 });
        t.push(f[6].trim().parse::<f64>().unwrap());
    }
    let test = LogRank::new().test(&t, &e, &g).unwrap();
    assert_relative_eq!(
        test.chi_square(),
        6.0629,
        max_relative = published(6.0629, 4)
    );
    assert_relative_eq!(test.p_value(), 0.0138, max_relative = published(0.0138, 4));
}

/// waltons: chi2 = 122.25 (README, lifelines 0.30.3).
#[test]
fn waltons_logrank() {
    let (t, e, g) = waltons();
    let test = LogRank::new().test(&t, &e, &g).unwrap();
    assert_relative_eq!(
        test.chi_square(),
        122.25,
        max_relative = published(122.25, 2)
    );
}

/// Weighted family on Gehan placebo vs 6-MP, lifelines 0.30.3 `logrank_test(weightings=...)`:
/// Wilcoxon 13.457852049631066, Tarone-Ware 15.123575301872695, FH(1,0) 14.457150818717132,
/// FH(0,1) 13.048448624020741, FH(1,1) 12.741495708630964.
#[test]
fn gehan_weighted_family_matches_lifelines() {
    let (g, t, e) = gehan();
    let groups: Vec<u8> = g.iter().map(|x| *x as u8).collect();
    for (w, chi) in [
        (LogRankWeight::Wilcoxon, 13.457852049631066),
        (LogRankWeight::TaroneWare, 15.123575301872695),
        (
            LogRankWeight::FlemingHarrington { p: 1.0, q: 0.0 },
            14.457150818717132,
        ),
        (
            LogRankWeight::FlemingHarrington { p: 0.0, q: 1.0 },
            13.048448624020741,
        ),
        (
            LogRankWeight::FlemingHarrington { p: 1.0, q: 1.0 },
            12.741495708630964,
        ),
    ] {
        let c = LogRank::new().weight(w).test(&t, &e, &groups).unwrap();
        assert_relative_eq!(c.chi_square(), chi, max_relative = 1e-10);
    }
    // FH(0, 0) is the log-rank test; one common stratum changes nothing.
    let lr = LogRank::new().test(&t, &e, &groups).unwrap().chi_square();
    let fh0 = LogRank::new()
        .weight(LogRankWeight::FlemingHarrington { p: 0.0, q: 0.0 })
        .test(&t, &e, &groups)
        .unwrap();
    assert_relative_eq!(fh0.chi_square(), lr, epsilon = 1e-12);
    let one = vec!["all"; t.len()];
    let st = LogRank::new()
        .test_stratified(&t, &e, &groups, &one)
        .unwrap();
    assert_relative_eq!(st.chi_square(), lr, epsilon = 1e-12);
}

/// Stratification: two copies of Gehan as two strata double U and V, so chi2 doubles
/// (U' V^-1 U scales with the number of identical strata).
#[test]
fn stratified_copies_double_the_statistic() {
    let (g, t, e) = gehan();
    let groups: Vec<u8> = g.iter().map(|x| *x as u8).collect();
    let lr = LogRank::new().test(&t, &e, &groups).unwrap().chi_square();
    let t2 = [t.clone(), t.clone()].concat();
    let e2 = [e.clone(), e.clone()].concat();
    let g2 = [groups.clone(), groups.clone()].concat();
    let s2: Vec<u8> = (0..t2.len()).map(|i| u8::from(i >= t.len())).collect();
    let st = LogRank::new().test_stratified(&t2, &e2, &g2, &s2).unwrap();
    assert_relative_eq!(st.chi_square(), 2.0 * lr, max_relative = 1e-12);
    assert_eq!(st.n_strata(), 2);
}

// ---------------------------------------------------------------------------------------
// Cox
// ---------------------------------------------------------------------------------------

fn gehan_cox(ties: Ties) -> crm_analytics::survival::CoxFit {
    let (g, t, e) = gehan();
    let placebo: Vec<f64> = g
        .iter()
        .map(|&x| if x == 1.0 { 1.0 } else { 0.0 })
        .collect();
    let x = DMatrix::from_column_slice(t.len(), 1, &placebo);
    CoxPh::new()
        .ties(ties)
        .fit_named(&x, &t, &e, &["placebo"])
        .unwrap()
}

/// Gehan, placebo vs 6-MP. Efron: coef 1.572, SE 0.412, HR 4.817 (R coxph; Kleinbaum & Klein
/// ch. 3), lifelines 0.30.3: 1.57212488, SE 0.4123967, LL -85.00842458, LR 16.3517, C 0.6900421,
/// baseline cumulative hazard (at the covariate mean) 0.03593385 at t=1 and 1.644394 at t=23.
#[test]
fn gehan_cox_efron() {
    let fit = gehan_cox(Ties::Efron);
    // lifelines stops on a step-size rule; our fit meets a 1e-9 relative LL change, so the
    // coefficient agrees to about 2e-7 relative.
    assert_relative_eq!(fit.coefficients()[0], 1.57212488, max_relative = 1e-6);
    assert_relative_eq!(fit.std_errors()[0], 0.4123967, max_relative = 1e-6);
    assert_relative_eq!(
        fit.hazard_ratios()[0],
        4.817,
        max_relative = published(4.817, 3)
    );
    assert_relative_eq!(
        fit.log_likelihood(),
        -85.00842457737184,
        max_relative = 1e-9
    );
    assert_relative_eq!(
        fit.likelihood_ratio_test().0,
        16.35169083895181,
        max_relative = 1e-7
    );
    assert_relative_eq!(
        fit.concordance().unwrap(),
        0.6900420757363254,
        max_relative = 1e-12
    );
    let h = fit.baseline_cumulative_hazard();
    let times = fit.baseline_times();
    let at = |t: f64| h[times.iter().position(|&x| x == t).unwrap()];
    assert_relative_eq!(at(1.0), 0.03593385, max_relative = 1e-6);
    assert_relative_eq!(at(23.0), 1.644394, max_relative = 1e-6);
    // Prediction for a placebo patient at t = 8: S = exp(-H0(8) exp(b (1 - 0.5))).
    let s = fit
        .predict_survival(&DMatrix::from_row_slice(1, 1, &[1.0]), &[8.0])
        .unwrap()[(0, 0)];
    let expect = (-0.4225146 * (1.57212488f64 * 0.5).exp()).exp();
    assert_relative_eq!(s, expect, max_relative = 1e-6);
    assert!(fit.convergence().converged);
    // R summary(coxph): "Wald test = 14.53", "Score (logrank) test = 17.25"; the score value
    // recomputed by central differences (h = 1e-3) of an independent numpy Efron likelihood: 17.2465364.
    assert_relative_eq!(fit.wald_test().0, 14.53, max_relative = published(14.53, 2));
    assert_relative_eq!(fit.score_test().0, 17.246536431711583, max_relative = 1e-6);
    let r = fit.report().to_string();
    assert!(r.contains("placebo") && r.contains("Concordance"), "{r}");
}

/// Breslow ties: coef 1.509, SE 0.410, HR 4.523 (Kleinbaum & Klein, Stata output); our
/// independent scipy profile of the Breslow partial likelihood: 1.5091914, SE 0.40956,
/// LL -86.3796221 (null -93.9850505).
#[test]
fn gehan_cox_breslow() {
    let fit = gehan_cox(Ties::Breslow);
    assert_relative_eq!(fit.coefficients()[0], 1.5091914, max_relative = 1e-6);
    assert_relative_eq!(
        fit.std_errors()[0],
        0.410,
        max_relative = published(0.410, 3)
    );
    assert_relative_eq!(
        fit.hazard_ratios()[0],
        4.523,
        max_relative = published(4.523, 3)
    );
    assert_relative_eq!(
        fit.log_likelihood(),
        -86.37962207114556,
        max_relative = 1e-9
    );
    assert_relative_eq!(
        fit.null_log_likelihood(),
        -93.98505047824518,
        max_relative = 1e-12
    );
}

/// IBM Telco (tenure > 0, n = 7,032), hazard of churn on MonthlyCharges and contract dummies
/// (reference Month-to-month): lifelines 0.30.3 CoxPHFitter (Efron):
/// coef 2.1004600378e-04, -2.1898919703, -4.2220186366; SE 0.0008991797, 0.0836021414,
/// 0.156878695; LL -14343.541902768768; C 0.7534443638; LR 2618.9954646854.
#[test]
fn telco_cox_matches_lifelines() {
    let d = telco();
    let rows: Vec<usize> = (0..d.tenure.len()).filter(|&i| d.tenure[i] > 0.0).collect();
    let t: Vec<f64> = rows.iter().map(|&i| d.tenure[i]).collect();
    let e: Vec<f64> = rows.iter().map(|&i| d.churn[i]).collect();
    let mc: Vec<f64> = rows.iter().map(|&i| d.monthly[i]).collect();
    let ct: Vec<&str> = rows.iter().map(|&i| d.contract[i].as_str()).collect();
    let design = Design::new()
        .numeric("MonthlyCharges", &mc)
        .unwrap()
        .categorical("Contract", &ct, "Month-to-month")
        .unwrap();
    let fit = CoxPh::new()
        .fit_named(&design.matrix(), &t, &e, &design.name_refs())
        .unwrap();
    let b = [2.1004600378e-04, -2.1898919703, -4.2220186366];
    let se = [0.0008991797, 0.0836021414, 0.156878695];
    // lifelines stops on its step-size rule slightly short of the optimum: our log partial
    // likelihood is higher by ~1e-7 (asserted below), and the coefficients differ by < 2e-5
    // relative (4e-4 SE), all along the flat direction of the likelihood.
    assert_relative_eq!(fit.coefficients()[0], b[0], epsilon = 1e-8);
    for j in 0..3 {
        if j > 0 {
            assert_relative_eq!(fit.coefficients()[j], b[j], max_relative = 2e-5);
        }
        assert_relative_eq!(fit.std_errors()[j], se[j], max_relative = 5e-5);
    }
    assert_relative_eq!(
        fit.log_likelihood(),
        -14343.541902768768,
        max_relative = 1e-10
    );
    assert!(fit.log_likelihood() >= -14343.541902768768);
    assert_relative_eq!(
        fit.concordance().unwrap(),
        0.7534443638469248,
        max_relative = 1e-9
    );
    assert_relative_eq!(
        fit.likelihood_ratio_test().0,
        2618.9954646854385,
        max_relative = 1e-7
    );
}

// ---------------------------------------------------------------------------------------
// Logistic regression and evaluation
// ---------------------------------------------------------------------------------------

/// IBM Telco, churn ~ tenure + MonthlyCharges + Contract (reference Month-to-month), all
/// 7,043 rows: statsmodels 0.15.0 `Logit(...).fit(tol=1e-12)`:
/// params -1.602709401702, -0.035728723017, 0.028617455753, -1.062463441566, -2.022614716847;
/// bse 0.089672361231, 0.002040638681, 0.00134942293, 0.100535672197, 0.166138649175;
/// llf -3072.938829288016, llnull -4075.072949547855. AUC of the fitted probabilities
/// (scipy 1.17.1 rankdata Mann-Whitney) 0.827113765725363; Brier 0.14349119937665;
/// at 0.5: TP 917, TN 4628, FP 546, FN 952.
#[test]
fn telco_logistic_matches_statsmodels() {
    let d = telco();
    let ct: Vec<&str> = d.contract.iter().map(String::as_str).collect();
    let design = Design::new()
        .numeric("tenure", &d.tenure)
        .unwrap()
        .numeric("MonthlyCharges", &d.monthly)
        .unwrap()
        .categorical("Contract", &ct, "Month-to-month")
        .unwrap();
    let fit = Logistic::new()
        .fit_named(&design.matrix(), &d.churn, &design.name_refs())
        .unwrap();
    let b = [
        -1.602709401702,
        -0.035728723017,
        0.028617455753,
        -1.062463441566,
        -2.022614716847,
    ];
    let se = [
        0.089672361231,
        0.002040638681,
        0.00134942293,
        0.100535672197,
        0.166138649175,
    ];
    for j in 0..5 {
        assert_relative_eq!(fit.coefficients()[j], b[j], max_relative = 1e-8);
        assert_relative_eq!(fit.std_errors()[j], se[j], max_relative = 1e-7);
    }
    let (ll, ll0) = (-3072.938829288016, -4075.072949547855);
    assert_relative_eq!(fit.log_likelihood(), ll, max_relative = 1e-11);
    assert_relative_eq!(fit.null_log_likelihood(), ll0, max_relative = 1e-11);
    assert_relative_eq!(
        fit.likelihood_ratio_test().0,
        2004.2682405196774,
        max_relative = 1e-9
    );
    let n = 7043.0;
    let cs = 1.0 - (2.0 / n * (ll0 - ll)).exp();
    assert_relative_eq!(fit.cox_snell_r2(), cs, max_relative = 1e-9);
    assert_relative_eq!(
        fit.nagelkerke_r2(),
        cs / (1.0 - (2.0 * ll0 / n).exp()),
        max_relative = 1e-9
    );
    assert_relative_eq!(fit.mcfadden_r2(), 0.24591808114037061, max_relative = 1e-9);
    let tab = fit.classification_table(0.5).unwrap();
    assert_eq!(
        (
            tab.true_positive,
            tab.true_negative,
            tab.false_positive,
            tab.false_negative
        ),
        (917, 4628, 546, 952)
    );
    let hl = fit.hosmer_lemeshow();
    assert_eq!(hl.df, 8);
    assert!(hl.chi_square > 0.0);
    let report = fit.report().to_string();
    assert!(
        report.contains("Nagelkerke") && report.contains("Contract=Two year"),
        "{report}"
    );

    let ev = ScoreEvaluation::new()
        .evaluate(fit.fitted_probabilities().as_slice(), &d.churn)
        .unwrap();
    assert_relative_eq!(ev.auc(), 0.827113765725363, max_relative = 1e-12);
    assert_relative_eq!(
        ev.gini(),
        2.0 * 0.827113765725363 - 1.0,
        max_relative = 1e-12
    );
    assert_relative_eq!(ev.brier().unwrap(), 0.14349119937665, max_relative = 1e-9);
    assert!(ev.top_decile_lift() > 2.0);
    let (lo, hi) = ev.auc_interval();
    assert!(lo < ev.auc() && ev.auc() < hi);
    let last = ev.gains().last().unwrap();
    assert_relative_eq!(last.cumulative_capture, 1.0, epsilon = 1e-12);
}

/// Hanley & McNeil (1982) rating-scale example (58 normal, 51 abnormal, 5 categories):
/// AUC = 0.893. DeLong SE by direct pairwise comparison in numpy 2.4 (O(n0 n1) placements,
/// independent of our midrank algorithm): 0.030724408379381122; AUC 0.8931710615280596.
#[test]
fn hanley_mcneil_rating_table_auc() {
    // ratings 1..5: normal counts 33, 6, 6, 11, 2; abnormal 3, 2, 2, 11, 33
    let normal = [33, 6, 6, 11, 2];
    let abnormal = [3, 2, 2, 11, 33];
    let (mut s, mut y) = (vec![], vec![]);
    for r in 0..5 {
        for _ in 0..normal[r] {
            s.push((r + 1) as f64);
            y.push(0.0);
        }
        for _ in 0..abnormal[r] {
            s.push((r + 1) as f64);
            y.push(1.0);
        }
    }
    let ev = ScoreEvaluation::new().evaluate(&s, &y).unwrap();
    assert_relative_eq!(ev.auc(), 0.893, max_relative = published(0.893, 3));
    assert_relative_eq!(ev.auc(), 0.8931710615280596, max_relative = 1e-12);
    assert_relative_eq!(
        ev.auc_std_error(),
        0.030724408379381122,
        max_relative = 1e-10
    );
    assert!(ev.brier().is_none());
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

#[test]
fn input_errors_are_pinned() {
    let km = KaplanMeier::new();
    assert_eq!(
        km.fit(&[1.0, -2.0], &[1.0, 0.0]).unwrap_err().to_string(),
        "duration at index 1 must be finite and >= 0, got -2"
    );
    assert_eq!(
        km.fit(&[1.0, f64::NAN], &[1.0, 0.0])
            .unwrap_err()
            .to_string(),
        "`durations` has a non-finite value (NaN) at index 1"
    );
    assert_eq!(
        km.fit(&[1.0, 2.0], &[1.0, 2.0]).unwrap_err().to_string(),
        "event indicator at index 1 must be 0 or 1, got 2"
    );
    assert_eq!(
        km.fit(&[], &[]).unwrap_err().to_string(),
        "`durations` is empty"
    );
    assert_eq!(
        km.fit(&[1.0, 2.0], &[1.0]).unwrap_err().to_string(),
        "dimension mismatch in `events` (one per duration): expected 2, found 1"
    );
    assert_eq!(
        km.confidence_level(1.5)
            .fit(&[1.0], &[1.0])
            .unwrap_err()
            .to_string(),
        "option `confidence_level` must be in (0, 1), got 1.5"
    );
    assert_eq!(
        LogRank::new()
            .test(&[1.0, 2.0], &[1.0, 1.0], &["a", "a"])
            .unwrap_err()
            .to_string(),
        "invalid groups: the log-rank test needs at least 2 groups, found 1"
    );
    let x = DMatrix::from_column_slice(3, 1, &[1.0, 1.0, 1.0]);
    assert_eq!(
        CoxPh::new()
            .fit_named(&x, &[1.0, 2.0, 3.0], &[1.0, 0.0, 1.0], &["flat"])
            .unwrap_err(),
        Error::RankDeficient {
            columns: vec!["flat".into()]
        }
    );
    let x = DMatrix::from_column_slice(4, 1, &[1.0, 2.0, 3.0, 4.0]);
    assert_eq!(
        Logistic::new()
            .fit(&x, &[1.0, 1.0, 1.0, 1.0])
            .unwrap_err()
            .to_string(),
        "invalid y: the outcome has only one class (all 0 or all 1)"
    );
    assert_eq!(
        Design::new()
            .categorical("Contract", &["a", "b"], "c")
            .unwrap_err()
            .to_string(),
        "unknown reference level of `Contract` `c`"
    );
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// S(t) is non-increasing and inside [0, 1], and so are the interval limits.
    #[test]
    fn km_is_monotone_in_unit_interval(
        data in prop::collection::vec((0.0f64..100.0, prop::bool::ANY), 1..60)
    ) {
        let t: Vec<f64> = data.iter().map(|d| d.0.round()).collect();
        let e: Vec<f64> = data.iter().map(|d| if d.1 { 1.0 } else { 0.0 }).collect();
        let km = KaplanMeier::new().fit(&t, &e).unwrap();
        let s = km.survival();
        for w in s.windows(2) {
            prop_assert!(w[1] <= w[0]);
        }
        for ((si, lo), hi) in s.iter().zip(km.lower()).zip(km.upper()) {
            prop_assert!((0.0..=1.0).contains(si));
            prop_assert!(*lo <= si + 1e-12 && *si <= hi + 1e-12);
            prop_assert!(*lo >= 0.0 && *hi <= 1.0);
        }
    }

    /// Without censoring, S(t) = 1 - ECDF(t) at every observed time.
    #[test]
    fn km_without_censoring_is_one_minus_ecdf(t in prop::collection::vec(0u32..50, 1..80)) {
        let t: Vec<f64> = t.into_iter().map(f64::from).collect();
        let e = vec![1.0; t.len()];
        let km = KaplanMeier::new().fit(&t, &e).unwrap();
        let n = t.len() as f64;
        for (&time, &s) in km.times().iter().zip(km.survival()) {
            let ecdf = t.iter().filter(|&&x| x <= time).count() as f64 / n;
            prop_assert!((s - (1.0 - ecdf)).abs() < 1e-12);
        }
    }

    /// No panic on arbitrary input, NaN included: every entry point returns Ok or Err.
    #[test]
    fn no_panic_on_arbitrary_input(
        t in prop::collection::vec(prop::num::f64::ANY, 0..12),
        e in prop::collection::vec(prop::sample::select(vec![0.0, 1.0, 2.0, f64::NAN]), 0..12),
        x in prop::collection::vec(prop::num::f64::ANY, 0..12),
    ) {
        let _ = KaplanMeier::new().fit(&t, &e);
        let _ = NelsonAalen::new().fit(&t, &e);
        let g: Vec<usize> = (0..t.len()).map(|i| i % 2).collect();
        let _ = LogRank::new().test(&t, &e, &g);
        let n = t.len().min(x.len());
        let xm = DMatrix::from_column_slice(n, 1, &x[..n]);
        let _ = CoxPh::new().fit(&xm, &t[..n], &e[..n.min(e.len())]);
        let _ = Logistic::new().fit(&xm, &e[..n.min(e.len())]);
        let _ = ScoreEvaluation::new().evaluate(&x, &e);
    }

    /// Well-posed random data: Cox and logistic fits return finite numbers or a typed error.
    #[test]
    fn fits_are_finite_or_typed(
        rows in prop::collection::vec((1.0f64..50.0, prop::bool::ANY, -3.0f64..3.0), 8..40)
    ) {
        let t: Vec<f64> = rows.iter().map(|r| r.0.round()).collect();
        let e: Vec<f64> = rows.iter().map(|r| if r.1 { 1.0 } else { 0.0 }).collect();
        let x = DMatrix::from_column_slice(rows.len(), 1, &rows.iter().map(|r| r.2).collect::<Vec<_>>());
        if let Ok(fit) = CoxPh::new().fit(&x, &t, &e) {
            prop_assert!(fit.coefficients()[0].is_finite() && fit.std_errors()[0].is_finite());
        }
        if let Ok(fit) = Logistic::new().fit(&x, &e) {
            prop_assert!(fit.coefficients().iter().all(|b| b.is_finite()));
        }
    }
}

/// IBM Telco, tenure by contract type (3 groups, 2 df): lifelines 0.30.3
/// `multivariate_logrank_test` chi2 = 2352.8725382593416.
#[test]
fn telco_contract_three_group_logrank() {
    let d = telco();
    let test = LogRank::new()
        .test(&d.tenure, &d.churn, &d.contract)
        .unwrap();
    assert_eq!(test.df(), 2);
    assert_eq!(test.groups(), &["Month-to-month", "One year", "Two year"]);
    assert_relative_eq!(test.chi_square(), 2352.8725382593416, max_relative = 1e-10);
    assert!(test.p_value() < 1e-300 || test.p_value() == 0.0);
    assert!(
        test.to_string()
            .contains("Chisq = 2352.873 on 2 degrees of freedom")
    );
}

/// Left truncation and case weights on waltons, against lifelines 0.30.3
/// `KaplanMeierFitter.fit(T, E, entry = floor(T/2) + 0.5)` and `weights = 1, 2, 3, 1, 2, 3, ...`.
#[test]
fn waltons_entry_and_weights_match_lifelines() {
    let (t, e, _) = waltons();
    let entry: Vec<f64> = t.iter().map(|x| (x / 2.0).floor() + 0.5).collect();
    let km = KaplanMeier::new().fit_with_entry(&entry, &t, &e).unwrap();
    for (time, s) in [
        (10.0, 0.48611111111111105),
        (30.0, 0.20138545783926193),
        (50.0, 0.14897847754358898),
        (60.0, 0.07524165532504494),
    ] {
        assert_relative_eq!(km.survival_at(time).unwrap(), s, max_relative = 1e-12);
    }
    let w: Vec<f64> = (0..t.len()).map(|i| [1.0, 2.0, 3.0][i % 3]).collect();
    let km = KaplanMeier::new().fit_weighted(&t, &e, &w).unwrap();
    for (time, s) in [
        (10.0, 0.9721340728237283),
        (30.0, 0.829264528574874),
        (50.0, 0.6115667729460833),
        (60.0, 0.3089036251105218),
    ] {
        assert_relative_eq!(km.survival_at(time).unwrap(), s, max_relative = 1e-12);
    }
    assert_eq!(km.median().time, Some(56.0));
}

/// Results serialise and are Send + Sync.
#[test]
fn results_serialise_and_are_send_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<crm_analytics::survival::KaplanMeierFit>();
    send_sync::<crm_analytics::survival::CoxFit>();
    send_sync::<crm_analytics::survival::LogisticFit>();
    send_sync::<crm_analytics::survival::LogRankTest>();
    send_sync::<crm_analytics::survival::ScoreEvaluationFit>();
    let (g, t, e) = gehan();
    let km = KaplanMeier::new().fit(&t, &e).unwrap();
    let json = serde_json::to_string(&km).unwrap();
    assert!(json.contains("\"survival\""));
    let fit = gehan_cox(Ties::Efron);
    assert!(
        serde_json::to_string(&fit.report())
            .unwrap()
            .contains("placebo")
    );
    let test = LogRank::new()
        .test(&t, &e, &g.iter().map(|x| *x as u8).collect::<Vec<_>>())
        .unwrap();
    assert!(serde_json::to_string(&test).unwrap().contains("chi_square"));
    let opts: KaplanMeier =
        serde_json::from_str(&serde_json::to_string(&KaplanMeier::new()).unwrap()).unwrap();
    assert_eq!(opts, KaplanMeier::new());
}

/// Iranian telecom churn (UCI 563, via survivalpredict 0.0.4), time = subscription length:
/// recomputed KM in tests/data/telco/README.md (4 d.p.): S(12) 0.9827, S(24) 0.9794,
/// S(36) 0.8473, S(40) 0.7300, S(44) 0.6080, S(45) 0.5916; median not reached.
#[test]
fn iranian_churn_kaplan_meier() {
    let parse = |name: &str| -> Vec<f64> {
        data(name)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.trim().parse().unwrap())
            .collect()
    };
    let t = parse("telco/iranian_churn_times.txt");
    let e = parse("telco/iranian_churn_events.txt");
    assert_eq!((t.len(), e.iter().sum::<f64>()), (3150, 495.0));
    let km = KaplanMeier::new().fit(&t, &e).unwrap();
    for (time, s) in [
        (12.0, 0.9827),
        (24.0, 0.9794),
        (36.0, 0.8473),
        (40.0, 0.7300),
        (44.0, 0.6080),
        (45.0, 0.5916),
    ] {
        assert_relative_eq!(
            km.survival_at(time).unwrap(),
            s,
            max_relative = published(s, 4)
        );
    }
    assert_eq!(km.median().time, None);
}

/// Non-convergence is a typed error naming the method and the iteration count.
#[test]
fn non_convergence_is_typed() {
    let (g, t, e) = gehan();
    let placebo: Vec<f64> = g
        .iter()
        .map(|&x| if x == 1.0 { 1.0 } else { 0.0 })
        .collect();
    let x = DMatrix::from_column_slice(t.len(), 1, &placebo);
    let err = CoxPh::new().max_iterations(1).fit(&x, &t, &e).unwrap_err();
    assert!(
        matches!(err, Error::NotConverged { iterations: 1, .. }),
        "{err}"
    );
    assert!(
        err.to_string()
            .starts_with("Cox Newton-Raphson did not converge in 1 iterations")
    );
    let err = Logistic::new().max_iterations(1).fit(&x, &e).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("logistic IRLS did not converge in 1 iterations"),
        "{err}"
    );
    // Monotone likelihood: every placebo patient fails before every 6-MP patient.
    let t2: Vec<f64> = placebo
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            if p == 1.0 {
                i as f64 + 1.0
            } else {
                100.0 + i as f64
            }
        })
        .collect();
    let err = CoxPh::new()
        .fit_named(&x, &t2, &vec![1.0; t2.len()], &["placebo"])
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Cox regression: separation on placebo: the estimates diverge (drop, merge or penalise these predictors)"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Without tied event times, Efron's and Breslow's partial likelihoods are the same.
    #[test]
    fn efron_equals_breslow_without_ties(
        rows in prop::collection::vec((prop::bool::ANY, -2.0f64..2.0), 10..40)
    ) {
        let n = rows.len();
        let t: Vec<f64> = (0..n).map(|i| (i + 1) as f64).collect();
        let e: Vec<f64> = rows.iter().map(|r| if r.0 { 1.0 } else { 0.0 }).collect();
        let x = DMatrix::from_column_slice(n, 1, &rows.iter().map(|r| r.1).collect::<Vec<_>>());
        let a = CoxPh::new().ties(Ties::Efron).fit(&x, &t, &e);
        let b = CoxPh::new().ties(Ties::Breslow).fit(&x, &t, &e);
        if let (Ok(a), Ok(b)) = (a, b) {
            prop_assert!((a.coefficients()[0] - b.coefficients()[0]).abs() < 1e-9);
            prop_assert!((a.log_likelihood() - b.log_likelihood()).abs() < 1e-9);
        }
    }
}
